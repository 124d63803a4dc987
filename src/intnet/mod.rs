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
//!   `sign(w) * M(x, |w|)` (sign-magnitude); signed multiplier:
//!   `M(x, w)` on two's complement bytes. The exact multiplier gives `x * w`.
//! * **Conv / Linear**: `acc[o][p] = bias[o] + sum_k prod(x[k][p], w[o][k])`
//!   in `i32` (wide enough for every fan-in used: `|prod| <= 2^16`,
//!   fan-in `<= 2^14`). Zero padding uses activation value 0.
//! * **Requantization** (per output channel `o`, `shift >= 1`):
//!   `y = clamp((acc * mult[o] + (1 << (shift[o] - 1))) >> shift[o], 0, act_max)`
//!   in `i64`, `>>` arithmetic (floor): round half up. ReLU is the clamp at 0.
//!   A node without requantization outputs its raw accumulators (logits).
//! * **MaxPool**: max over the window, no padding.
//! * **AvgPool / GlobalAvgPool**: `(sum + n / 2) / n` (sums are >= 0; round
//!   half up), `n` the window size.
//! * **Add** (residual): `y = clamp((a * mult_a + b * mult_b + (1 << (shift - 1))) >> shift, 0, act_max)`
//!   in `i64`, both operands rescaled to a common scale before adding.
//! * **Flatten**: `C x H x W` to `CHW x 1 x 1`, same order.

use serde::{Deserialize, Serialize};

/// Version of the integer-network file format.
pub const FORMAT_VERSION: u32 = 1;

/// `channels x height x width`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shape {
    pub c: usize,
    pub h: usize,
    pub w: usize,
}

impl Shape {
    pub fn len(&self) -> usize {
        self.c * self.h * self.w
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Per-output-channel fixed-point rescaling.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requant {
    /// Positive multipliers, one per output channel.
    pub mult: Vec<i32>,
    /// Right shifts (>= 1), one per output channel.
    pub shift: Vec<u32>,
}

/// A multiplying layer (conv, or linear as a 1x1 conv on a 1x1 map).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MacLayer {
    pub in_ch: usize,
    pub out_ch: usize,
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
    /// `[out_ch][in_ch][kernel][kernel]`.
    pub weights: Vec<i8>,
    /// In accumulator units.
    pub bias: Vec<i32>,
    /// `None` for the last layer, which outputs raw accumulators.
    pub requant: Option<Requant>,
}

/// What a node computes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    Conv(MacLayer),
    Linear(MacLayer),
    MaxPool { kernel: usize, stride: usize },
    AvgPool { kernel: usize, stride: usize },
    GlobalAvgPool,
    Flatten,
    /// Residual addition of this node's input and tensor `other`.
    Add { other: usize, mult_a: i32, mult_b: i32, shift: u32 },
}

/// One node: `op` applied to tensor `input`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// Layer name, the same as in training's sidecar and in the assignment.
    pub name: String,
    /// Index of the input tensor (0 = network input).
    pub input: usize,
    pub op: Op,
    /// Output shape.
    pub out: Shape,
}

/// The whole integer network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntNetwork {
    pub version: u32,
    pub name: String,
    pub input: Shape,
    /// Right shift applied to raw input pixels.
    pub input_shift: u32,
    /// Largest activation value (255 or 127).
    pub act_max: i32,
    /// Multipliers are signed (two's complement) rather than sign-magnitude.
    pub signed: bool,
    pub nodes: Vec<Node>,
    pub classes: usize,
}

impl IntNetwork {
    /// Names of the multiplying layers, in order.
    pub fn mac_layers(&self) -> impl Iterator<Item = (&Node, &MacLayer)> {
        self.nodes.iter().filter_map(|n| match &n.op {
            Op::Conv(l) | Op::Linear(l) => Some((n, l)),
            _ => None,
        })
    }
}
