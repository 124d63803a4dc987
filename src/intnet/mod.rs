//! The integer network: the contract between the Rust simulator and the RTL
//! (DESIGN.md, "The integer network"). Produced once by `quantize`; every
//! later stage reads it and nothing re-derives its arithmetic.
//!
//! # Arithmetic (every rounding rule lives here)
//!
//! Tensors are per image, `C x H x W`, row-major. Tensor 0 is the input;
//! node `i` produces tensor `i + 1`.
//!
//! * **Input**: raw pixels `0..=255`, shifted right by `input_shift`
//!   (0 for unsigned activations, 1 for signed so that they fit `0..=127`).
//! * **Activations**: `0..=act_max` with `act_max = 255` (unsigned
//!   multipliers) or `127` (signed multipliers).
//! * **Weights**: `i8` in `-127..=127` (symmetric, per output channel).
//! * **Products** `prod(x, w)`: unsigned multiplier `M`:
//!   `M(x, |w|)` for `w >= 0` and `-M(x, |w|)` for `w < 0` (sign-magnitude;
//!   a zero weight gives `M(x, 0)`, what a sign-magnitude datapath computes);
//!   signed multiplier: `M(x, w)` on two's complement bytes. `M` is the
//!   multiplier's 16-bit output word, read unsigned (unsigned multipliers)
//!   or two's complement (signed). The exact multiplier gives `x * w`.
//! * **Conv / Linear**: `acc[o][p] = bias[o] + sum_k prod(x[k][p], w[o][k])`
//!   in `i32` (wide enough for every fan-in used: `|prod| <= 2^16`,
//!   fan-in `<= 2^14`, `|bias| <= 2^30`, checked by [`validate`]).
//!   Output size per axis `(H + 2 * padding - kernel) / stride + 1` (floor).
//!   Zero padding uses activation value 0 *through the multiplier*: a padded
//!   position contributes `prod(0, w)`, which an approximate multiplier may
//!   make non-zero. Linear reads its input tensor flattened (`C*H*W` values,
//!   row-major) and has `kernel = 1, stride = 1, padding = 0`, output
//!   `out_ch x 1 x 1`.
//! * **Requantization** (per output channel `o`, `mult >= 0`, `1 <= shift <= 62`):
//!   `y = clamp((acc * mult[o] + (1 << (shift[o] - 1))) >> shift[o], 0, act_max)`
//!   in `i64`, `>>` arithmetic (floor): round half up. ReLU is the clamp at 0.
//!   A node without requantization outputs its raw accumulators (signed
//!   `i32`): the last node (the logits), or a node whose tensor only
//!   residual additions read (the paper's ResNet block adds before the ReLU).
//!   A residual branch may instead rescale without the clamp
//!   (`requant.relu: false`): `y = (acc * mult[o] + (1 << (shift[o] - 1))) >> shift[o]`,
//!   signed, with `mult[o] <= 2^shift[o]` so that `|y| <= |acc| + 1` fits
//!   `i32`: per-channel weight scales brought to one unit before the add.
//! * **MaxPool**: max over the window, no padding; output size per axis
//!   `(H - kernel) / stride + 1`.
//! * **AvgPool / GlobalAvgPool**: `(sum + n / 2) / n` (sums are >= 0; round
//!   half up), `n` the window size (`kernel^2`, or `H*W` for global);
//!   AvgPool sizes as MaxPool.
//! * **Add** (residual): `y = clamp((a * mult_a + b * mult_b + (1 << (shift - 1))) >> shift, 0, act_max)`
//!   in `i64`, both operands rescaled to a common scale before adding;
//!   `a` is the node's input tensor, `b` tensor `other` (same shape),
//!   `0 <= mult_a, mult_b < 2^24`, `1 <= shift <= 62`. Either operand may
//!   be an activation tensor (`0..=act_max`) or raw accumulators (`i32`):
//!   `relu(bn2(conv2(h)) + shortcut(x))` is conv2 and a projection shortcut
//!   without requantization, then this one rounding and one clamp (the ReLU),
//!   and `|a * mult_a| + |b * mult_b| < 2^56` keeps the sum exact in `i64`.
//! * **Flatten**: `C x H x W` to `CHW x 1 x 1`, same order.
//! * **Output**: the last node's tensor, `classes` values.
//!
//! [`arith`] implements these rules (the one place they are code);
//! [`load`] reads and validates a file; [`sim`] is the reference
//! simulator, [`lut`] the fast lookup-table kernel it runs on.

pub mod arith;
pub mod evalfile;
pub mod graph;
pub mod lut;
pub mod sim;
#[doc(hidden)]
pub mod testnet;

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Version of the integer-network file format.
pub const FORMAT_VERSION: u32 = 1;

/// `channels x height x width`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shape {
    /// Channels.
    pub c: usize,
    /// Height, pixels.
    pub h: usize,
    /// Width, pixels.
    pub w: usize,
}

impl Shape {
    /// Element count `c*h*w`.
    pub fn len(&self) -> usize {
        self.c * self.h * self.w
    }
    /// True when any dimension is 0.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Per-output-channel fixed-point rescaling.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requant {
    /// Non-negative multipliers, one per output channel.
    pub mult: Vec<i32>,
    /// Right shifts (>= 1), one per output channel.
    pub shift: Vec<u32>,
    /// Clamp to `0..=act_max` (ReLU, an activation tensor); `false`: a
    /// residual branch rescaled to one signed unit for all channels, read
    /// only by residual additions.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub relu: bool,
}

fn yes() -> bool {
    true
}

fn is_true(v: &bool) -> bool {
    *v
}

impl MacLayer {
    /// Output value of channel `o` for accumulator `acc` (bias included):
    /// [`arith::requant`] (ReLU), [`arith::rescale`] (residual branch), or
    /// `acc` itself (raw accumulators).
    #[inline]
    pub fn output(&self, o: usize, acc: i32, act_max: i32) -> i32 {
        match &self.requant {
            Some(r) if r.relu => arith::requant(acc as i64, r.mult[o] as i64, r.shift[o], act_max),
            Some(r) => arith::rescale(acc as i64, r.mult[o] as i64, r.shift[o]) as i32,
            None => acc,
        }
    }

    /// Whether the output is signed 32-bit (raw accumulators or a rescaled
    /// residual branch) rather than an activation.
    pub fn raw_output(&self) -> bool {
        self.requant.as_ref().is_none_or(|r| !r.relu)
    }
}

/// A multiplying layer (conv, or linear as a 1x1 conv on a 1x1 map).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MacLayer {
    /// Input channels (input features for linear).
    pub in_ch: usize,
    /// Output channels (output features for linear).
    pub out_ch: usize,
    /// Square kernel size (1 for linear).
    pub kernel: usize,
    /// Convolution stride.
    pub stride: usize,
    /// Zero padding on each side, pixels (activation 0).
    pub padding: usize,
    /// `[out_ch][in_ch][kernel][kernel]`.
    pub weights: Vec<i8>,
    /// In accumulator units.
    pub bias: Vec<i32>,
    /// `None` for the last layer, which outputs raw accumulators.
    pub requant: Option<Requant>,
}

/// How a residual addition brings its two summands to one scale
/// ([`arith::residual_add`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddRescale {
    /// Multiplier of the node's input.
    pub mult_a: i32,
    /// Multiplier of the other summand.
    pub mult_b: i32,
    /// Right shift after the weighted sum (rounded, then clamped to `0..=act_max`).
    pub shift: u32,
}

/// What an integer node computes ([`graph::Op`] with the contract's payloads).
pub type Op = graph::Op<MacLayer, AddRescale>;

/// One integer node: `op` applied to tensor `input`.
pub type Node = graph::Node<MacLayer, AddRescale>;

impl graph::MacGeometry for MacLayer {
    fn out_ch(&self) -> usize {
        self.out_ch
    }
    fn kernel(&self) -> usize {
        self.kernel
    }
    fn stride(&self) -> usize {
        self.stride
    }
    fn padding(&self) -> usize {
        self.padding
    }
}

/// The whole integer network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntNetwork {
    /// File format version ([`FORMAT_VERSION`]).
    pub version: u32,
    /// Network name.
    pub name: String,
    /// Input image shape.
    pub input: Shape,
    /// Right shift applied to raw input pixels.
    pub input_shift: u32,
    /// Largest activation value (255 or 127).
    pub act_max: i32,
    /// Multipliers are signed (two's complement) rather than sign-magnitude.
    pub signed: bool,
    /// Nodes in execution order; node `i` produces tensor `i + 1`.
    pub nodes: Vec<Node>,
    /// Number of classes (logits of the last node).
    pub classes: usize,
}

impl IntNetwork {
    /// The multiplying layers with their nodes, in order.
    pub fn mac_layers(&self) -> impl Iterator<Item = (&Node, &MacLayer)> {
        graph::mac_nodes(&self.nodes).map(|(_, n, l)| (n, l))
    }
}

impl MacLayer {
    /// Products summed per output value: `in_ch * kernel^2`.
    pub fn fan_in(&self) -> usize {
        self.in_ch * self.kernel * self.kernel
    }
}

impl IntNetwork {
    /// Shape of every tensor (index = tensor id); assumes a valid network.
    pub fn tensor_shapes(&self) -> Vec<Shape> {
        graph::tensor_shapes(self.input, &self.nodes)
    }

    /// Multiplications per image of each multiplying layer, in
    /// [`IntNetwork::mac_layers`] order.
    pub fn macs(&self) -> Vec<u64> {
        self.mac_layers()
            .map(|(n, l)| (n.out.h * n.out.w * l.out_ch * l.fan_in()) as u64)
            .collect()
    }
}

pub use arith::window_out;
pub use graph::TensorId;

/// Read and validate an integer network file (`intnet.json`).
pub fn load(path: impl AsRef<std::path::Path>) -> Result<IntNetwork> {
    let path = path.as_ref();
    let net: IntNetwork = crate::io::read_json(path)?;
    validate(&net).map_err(|msg| Error::in_file(path, msg))?;
    Ok(net)
}

/// Largest fan-in a multiplying layer may have (keeps accumulators in `i32`).
pub const MAX_FAN_IN: usize = 1 << 14;
/// Largest bias magnitude (keeps accumulators in `i32`).
pub const MAX_BIAS: i32 = 1 << 30;

/// Check every rule of the format; the message names the node and field.
pub fn validate(net: &IntNetwork) -> std::result::Result<(), String> {
    if net.version != FORMAT_VERSION {
        return Err(format!(
            "version: {} is not supported (expected {FORMAT_VERSION})",
            net.version
        ));
    }
    let want_max = if net.signed { 127 } else { 255 };
    if net.act_max != want_max {
        return Err(format!(
            "act_max: {} does not match {} multipliers (expected {want_max})",
            net.act_max,
            if net.signed { "signed" } else { "unsigned" }
        ));
    }
    if net.input_shift > 7 || (255 >> net.input_shift) > net.act_max {
        return Err(format!(
            "input_shift: {} does not bring pixels 0..=255 into 0..={}",
            net.input_shift, net.act_max
        ));
    }
    if net.input.is_empty() {
        return Err("input: shape has a zero dimension".into());
    }
    if net.nodes.is_empty() {
        return Err("nodes: the network has no nodes".into());
    }
    let mut shapes = vec![net.input];
    let last = net.nodes.len() - 1;
    let raw_readers_ok = raw_tensor_readers_ok(net);
    for (i, node) in net.nodes.iter().enumerate() {
        let at = |field: &str, msg: String| format!("node {i} '{}': {field}: {msg}", node.name);
        let readable = |t: TensorId, field: &'static str| {
            if t.index() > i {
                Err(at(
                    field,
                    format!("tensor {t} is not produced before this node (tensors 0..={i} are)"),
                ))
            } else {
                Ok(shapes[t])
            }
        };
        let s = readable(node.input, "input")?;
        let expected = node.op.out_shape(s).map_err(|(f, m)| at(f, m))?;
        match &node.op {
            Op::Conv(l) | Op::Linear(l) => {
                let linear = matches!(node.op, Op::Linear(_));
                check_mac(
                    l,
                    s,
                    linear,
                    i == last || raw_readers_ok[TensorId::output_of(i)],
                )
                .map_err(|(f, m)| at(f, m))?
            }
            Op::Add {
                other,
                params:
                    AddRescale {
                        mult_a,
                        mult_b,
                        shift,
                    },
            } => {
                let o = readable(*other, "other")?;
                if o != s {
                    return Err(at(
                        "other",
                        format!("tensor {other} has shape {o:?}, the input {s:?}"),
                    ));
                }
                if !(0..MAX_ADD_MULT).contains(mult_a) || !(0..MAX_ADD_MULT).contains(mult_b) {
                    return Err(at(
                        "mult_a/mult_b",
                        format!("must be in 0..2^24 (got {mult_a}, {mult_b})"),
                    ));
                }
                if !(1..=62).contains(shift) {
                    return Err(at("shift", format!("{shift} is outside 1..=62")));
                }
            }
            _ => {}
        }
        if node.out != expected {
            return Err(at(
                "out",
                format!(
                    "{:?} does not match the computed shape {:?}",
                    node.out, expected
                ),
            ));
        }
        shapes.push(expected);
    }
    let out = net.nodes[last].out;
    if net.classes == 0 || out.len() != net.classes {
        return Err(format!(
            "classes: {} does not match the last node's output of {} values",
            net.classes,
            out.len()
        ));
    }
    Ok(())
}

/// Largest residual multiplier plus one: `2^24`, so that raw `i32`
/// operands times their multipliers stay below `2^56` (exact in `i64`).
pub const MAX_ADD_MULT: i32 = 1 << 24;

/// Per tensor id: true when at least one node reads it and every reader is
/// a residual addition (as its input or its other summand): the tensors
/// that may hold raw accumulators.
pub fn raw_tensor_readers_ok(net: &IntNetwork) -> Vec<bool> {
    let n = net.nodes.len() + 1;
    let mut read = vec![false; n];
    let mut only_add = vec![true; n];
    for node in &net.nodes {
        let add = matches!(node.op, Op::Add { .. });
        if node.input.index() < n {
            read[node.input] = true;
            only_add[node.input] &= add;
        }
        if let Some(other) = node.op.other().filter(|o| o.index() < n) {
            read[other] = true;
        }
    }
    read.iter().zip(only_add).map(|(r, o)| *r && o).collect()
}

/// Check one multiplying layer against its input shape (its output shape
/// is [`graph::Op::out_shape`]'s); `Err`: the offending field and message.
fn check_mac(
    l: &MacLayer,
    s: Shape,
    linear: bool,
    raw_ok: bool,
) -> std::result::Result<(), (&'static str, String)> {
    if l.in_ch == 0 || l.out_ch == 0 {
        return Err(("in_ch/out_ch", "must be >= 1".into()));
    }
    if linear {
        if l.kernel != 1 || l.stride != 1 || l.padding != 0 {
            return Err((
                "kernel",
                format!(
                    "a linear layer needs kernel 1, stride 1, padding 0 (got {}, {}, {})",
                    l.kernel, l.stride, l.padding
                ),
            ));
        }
        if l.in_ch != s.len() {
            return Err((
                "in_ch",
                format!(
                    "{} does not match the flattened input of {} values",
                    l.in_ch,
                    s.len()
                ),
            ));
        }
    } else if l.in_ch != s.c {
        return Err((
            "in_ch",
            format!("{} does not match the input's {} channels", l.in_ch, s.c),
        ));
    }
    if l.fan_in() > MAX_FAN_IN {
        return Err((
            "in_ch",
            format!("fan-in {} exceeds {MAX_FAN_IN}", l.fan_in()),
        ));
    }
    let nw = l.out_ch * l.fan_in();
    if l.weights.len() != nw {
        return Err((
            "weights",
            format!(
                "{} values, expected out_ch*in_ch*kernel^2 = {nw}",
                l.weights.len()
            ),
        ));
    }
    if let Some(j) = l.weights.iter().position(|&w| w == i8::MIN) {
        return Err(("weights", format!("value {j} is -128, outside -127..=127")));
    }
    if l.bias.len() != l.out_ch {
        return Err((
            "bias",
            format!("{} values, expected out_ch = {}", l.bias.len(), l.out_ch),
        ));
    }
    if let Some(j) = l
        .bias
        .iter()
        .position(|b| b.unsigned_abs() > MAX_BIAS as u32)
    {
        return Err(("bias", format!("value {j} ({}) exceeds +-2^30", l.bias[j])));
    }
    match &l.requant {
        None if !raw_ok => {
            return Err((
                "requant",
                "missing (only the last node and nodes read only by residual additions may output raw accumulators)".into(),
            ))
        }
        None => {}
        Some(r) if !r.relu && !raw_ok => {
            return Err((
                "requant.relu",
                "false (no clamp) is only allowed where residual additions alone read the output".into(),
            ))
        }
        Some(r) => {
            if !r.relu {
                if let Some(j) = (0..r.mult.len().min(r.shift.len())).find(|&j| {
                    (1..=62).contains(&r.shift[j]) && r.mult[j] as i64 > 1i64 << r.shift[j]
                }) {
                    return Err((
                        "requant.mult",
                        format!(
                            "value {j} ({}) exceeds 2^shift without the clamp (the output must fit 32 bits)",
                            r.mult[j]
                        ),
                    ));
                }
            }
            if r.mult.len() != l.out_ch {
                return Err((
                    "requant.mult",
                    format!("{} values, expected out_ch = {}", r.mult.len(), l.out_ch),
                ));
            }
            if r.shift.len() != l.out_ch {
                return Err((
                    "requant.shift",
                    format!("{} values, expected out_ch = {}", r.shift.len(), l.out_ch),
                ));
            }
            if let Some(j) = r.mult.iter().position(|&m| m < 0) {
                return Err((
                    "requant.mult",
                    format!("value {j} ({}) is negative", r.mult[j]),
                ));
            }
            if let Some(j) = r.shift.iter().position(|s| !(1..=62).contains(s)) {
                return Err((
                    "requant.shift",
                    format!("value {j} ({}) is outside 1..=62", r.shift[j]),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn broken(f: impl FnOnce(&mut IntNetwork)) -> String {
        let mut net = testnet::random(3, false);
        f(&mut net);
        validate(&net).unwrap_err()
    }

    fn mac_of(net: &mut IntNetwork, i: usize) -> &mut MacLayer {
        match &mut net.nodes[i].op {
            Op::Conv(l) | Op::Linear(l) => l,
            _ => panic!("node {i} is not a mac layer"),
        }
    }

    /// The file format is unchanged by the generic graph: an addition's
    /// fields sit beside `"op": "add"`, tensor ids are plain numbers, and a
    /// network reads back equal.
    #[test]
    fn file_format_round_trips() {
        let net = testnet::random(3, false);
        let json = serde_json::to_value(&net).unwrap();
        let add = json["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["op"]["op"] == "add")
            .expect("the test network has a residual addition");
        assert!(add["input"].is_u64(), "{add}");
        let op = &add["op"];
        assert!(op["other"].is_u64(), "{add}");
        assert!(op["mult_a"].is_i64() && op["shift"].is_u64(), "{add}");
        assert!(op.get("params").is_none(), "{add}");
        let back: IntNetwork = serde_json::from_value(json).unwrap();
        assert_eq!(back, net);
    }

    #[test]
    fn validation_names_node_and_field() {
        assert!(broken(|n| n.version = 9).starts_with("version:"));
        assert!(broken(|n| n.act_max = 127).starts_with("act_max:"));
        let e = broken(|n| {
            mac_of(n, 0).weights.pop();
        });
        assert!(e.contains("node 0 'conv1': weights:"), "{e}");
        let e = broken(|n| mac_of(n, 1).weights[4] = -128);
        assert!(
            e.contains("node 1 'conv2': weights: value 4 is -128"),
            "{e}"
        );
        let e = broken(|n| mac_of(n, 0).requant.as_mut().unwrap().shift[0] = 0);
        assert!(e.contains("'conv1': requant.shift"), "{e}");
        let e = broken(|n| mac_of(n, 0).requant = None);
        assert!(e.contains("'conv1': requant: missing"), "{e}");
        let e = broken(|n| mac_of(n, 0).bias.push(1));
        assert!(e.contains("'conv1': bias: "), "{e}");
        let e = broken(|n| n.nodes[0].out.h += 1);
        assert!(e.contains("'conv1': out: "), "{e}");
        let e = broken(|n| n.nodes[1].input = TensorId(7));
        assert!(e.contains("node 1 'conv2': input: tensor 7"), "{e}");
        let e = broken(|n| {
            if let Op::Add { other, .. } = &mut n.nodes[2].op {
                *other = TensorId::INPUT;
            }
        });
        assert!(e.contains("'add1': other: tensor 0 has shape"), "{e}");
        // No clamp only on a tensor that residual additions alone read,
        // with multipliers that keep the output in 32 bits.
        let e = broken(|n| mac_of(n, 0).requant.as_mut().unwrap().relu = false);
        assert!(e.contains("'conv1': requant.relu"), "{e}");
        let short = testnet::random(3, false)
            .nodes
            .iter()
            .position(|n| n.name == "short4")
            .unwrap();
        let e = broken(|n| {
            let r = mac_of(n, short).requant.as_mut().unwrap();
            r.mult[0] = (1 << r.shift[0]) + 1;
        });
        assert!(e.contains("'short4': requant.mult: value 0"), "{e}");
        let e = broken(|n| n.classes = 4);
        assert!(e.starts_with("classes:"), "{e}");
        let last = testnet::random(3, false).nodes.len() - 1;
        let e = broken(|n| mac_of(n, last).in_ch += 1);
        assert!(e.contains("'fc': in_ch"), "{e}");
    }
}
