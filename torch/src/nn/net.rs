//! The trainable network as a list of nodes that mirrors the integer network
//! node for node (`codesign::intnet`: node `i` produces tensor `i + 1`, tensor 0
//! is the input), so that `quantize` is a walk over the same list and layer
//! names agree everywhere.
//!
//! Two forward passes:
//! * [`Net::forward_float`]: the float baseline (batch norm with batch
//!   statistics while training, input `pixel / 255`);
//! * [`Net::forward_quant`]: fake quantization that equals the integer
//!   network's arithmetic (see `nn::quant`), batch norm folded into the
//!   weights with its running statistics, optional AGN noise on every
//!   multiplying layer's accumulators (before bias), and an optional hook
//!   that replaces the exact products by approximate ones (retraining).

use crate::nn::quant::{add_params, requant_params, ste_round, W_MAX};
use crate::nn::ste;
use codesign::intnet::{graph, Shape};
use tch::{nn, Kind, Tensor};

/// Batch-norm epsilon (libtorch's default), also used when folding.
pub const BN_EPS: f64 = 1e-5;

/// A multiplying layer: conv (or linear as a 1x1 conv on a 1x1 map), optional
/// batch norm, then either requantization with ReLU or raw accumulators.
#[derive(Debug)]
pub struct MacNode {
    /// Input channels (input features for linear).
    pub in_ch: usize,
    /// Output channels (output features for linear).
    pub out_ch: usize,
    /// Square kernel size (1 for linear).
    pub kernel: usize,
    /// Convolution stride.
    pub stride: usize,
    /// Zero padding on each side, pixels.
    pub padding: usize,
    /// `[out, in, k, k]` (conv) or `[out, in]` (linear).
    pub weight: Tensor,
    /// `[out]` float bias, if the layer has one.
    pub bias: Option<Tensor>,
    /// Batch norm after the layer, folded into weight and bias when quantizing.
    pub bn: Option<nn::BatchNorm>,
    /// Requantized through ReLU (true) or not (false): the last layer, whose
    /// raw accumulators are the logits (one weight scale for all channels,
    /// so they share one unit), and the branches of a residual add before
    /// its ReLU (per-channel weight scales, rescaled to one unit without the
    /// clamp).
    pub relu: bool,
    /// AGN noise level `sigma_l` (scalar, trainable, optimizer group 1).
    pub sigma: Tensor,
    /// Output activation scale (real = scale * int), set by calibration.
    pub scale: Tensor,
    /// Multiply-accumulates per image.
    pub macs: u64,
}

/// What a float node computes: [`graph::Op`] whose multiplying layers are
/// [`MacNode`]s and whose residual additions carry their output activation
/// scale (`f64` scalar tensor, real = scale * int; `ReLU(input + other)`).
pub type NodeOp = graph::Op<Box<MacNode>, Tensor>;

/// One float node: `op` applied to tensor `input`.
pub type Node = graph::Node<Box<MacNode>, Tensor>;

impl graph::MacGeometry for MacNode {
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

/// A network over one `nn::Path`.
#[derive(Debug)]
pub struct Net {
    /// Input image shape.
    pub input: Shape,
    /// Number of classes (logits).
    pub classes: usize,
    /// Largest activation value (255 unsigned, 127 signed).
    pub act_max: i32,
    /// Input pixels are shifted right by this (1 for signed multipliers).
    pub input_shift: u32,
    /// Nodes in execution order.
    pub nodes: Vec<Node>,
}

/// Approximate-product hook: `(mac_index, node, x_int, w_int) -> acc`, the
/// approximate pre-bias accumulators of one MAC node.
pub type ApproxFn<'a> = dyn Fn(usize, &MacNode, &Tensor, &Tensor) -> Tensor + 'a;

/// Options of the quantized forward pass.
#[derive(Default)]
pub struct QuantOpts<'a> {
    /// Add AGN noise `sigma_l * std(acc) * N(0, 1)` to every accumulator.
    pub noise: bool,
    /// Replace the exact products: `(mac_index, node, x_int, w_int) -> acc`
    /// with the approximate accumulators (bias excluded), used as
    /// `exact + (approx - exact).detach()`.
    pub approx: Option<&'a ApproxFn<'a>>,
    /// Keep every node's integer parameters and pre-bias accumulators.
    pub record: bool,
}

/// Integer parameters of one node, as the forward pass used them.
#[derive(Debug)]
pub enum NodeParams {
    /// A conv or linear layer.
    Mac {
        /// `[out, in, k, k]` integer-valued `f32`.
        w: Tensor,
        /// `[out]` integer-valued `f32`, in accumulator units.
        b: Tensor,
        /// Per channel `f64` `(mult, shift)`, `None` for the logits; a
        /// residual branch's (no ReLU) are rescaled without the clamp.
        requant: Option<(Tensor, Tensor)>,
        /// Input scale and per-channel weight scales (`f64`).
        in_scale: f64,
        /// Per-output-channel weight scales (`f64`).
        w_scale: Tensor,
    },
    /// A residual addition ([`codesign::intnet::arith::residual_add`]).
    Add {
        /// Multiplier applied to this node's input.
        mult_a: f64,
        /// Multiplier applied to the other summand.
        mult_b: f64,
        /// Right shift after the weighted sum.
        shift: f64,
    },
    /// Nodes without integer parameters (pooling, flatten).
    None,
}

/// Result of the quantized forward pass.
pub struct QuantOutput {
    /// Logits in real units (carry gradients).
    pub logits: Tensor,
    /// The integer network's logits (raw accumulators, `f64`), for accuracy.
    pub exact: Tensor,
    /// Pre-bias accumulators of every multiplying layer (after noise), when recorded.
    pub accs: Vec<Tensor>,
    /// Integer parameters per node, when recorded.
    pub params: Vec<NodeParams>,
}

/// A tensor in the integer domain.
struct QT {
    /// Integer values as `f32` (exactly the integer network's), carrying
    /// gradients.
    v: Tensor,
    /// `f64` scalar: real = scale * int.
    scale: Tensor,
}

impl MacNode {
    /// Weights as `[out, in, k, k]`.
    fn weight4(&self) -> Tensor {
        self.weight.view([
            self.out_ch as i64,
            self.in_ch as i64,
            self.kernel as i64,
            self.kernel as i64,
        ])
    }

    /// Batch norm folded into weights and bias with the running statistics,
    /// exactly as the integer network gets them.
    pub fn folded(&self) -> (Tensor, Tensor) {
        let w = self.weight4();
        let b = match &self.bias {
            Some(b) => b.shallow_clone(),
            None => Tensor::zeros([self.out_ch as i64], (Kind::Float, w.device())),
        };
        match &self.bn {
            Some(bn) => {
                let f = bn.ws.as_ref().unwrap() / (&bn.running_var + BN_EPS).sqrt();
                let wf = &w * f.view([-1, 1, 1, 1]);
                let bf = bn.bs.as_ref().unwrap() + (b - &bn.running_mean) * &f;
                (wf, bf)
            }
            None => (w, b),
        }
    }

    fn conv(&self, x: &Tensor, w: &Tensor, b: Option<&Tensor>) -> Tensor {
        let (s, p) = (self.stride as i64, self.padding as i64);
        x.conv2d(w, b, [s, s], [p, p], [1, 1], 1)
    }
}

fn view_c(t: &Tensor) -> Tensor {
    t.view([1, -1, 1, 1])
}

impl Net {
    /// Indices of the multiplying nodes, in order.
    pub fn mac_nodes(&self) -> impl Iterator<Item = (usize, &Node, &MacNode)> {
        graph::mac_nodes(&self.nodes).map(|(i, n, m)| (i, n, m.as_ref()))
    }

    /// Total multiply-accumulates per image.
    pub fn total_macs(&self) -> u64 {
        self.mac_nodes().map(|(_, _, m)| m.macs).sum()
    }

    /// Every multiplying layer's learned sigma and multiplications, for the
    /// AGN loss ([`crate::nn::agn::loss`]).
    pub fn noisy_layers(&self) -> Vec<crate::nn::agn::NoisyLayer<'_>> {
        self.mac_nodes()
            .map(|(_, _, m)| (&m.sigma, m.macs))
            .collect()
    }

    /// Scale of the input tensor: `2^input_shift / 255`.
    pub fn input_scale(&self) -> f64 {
        (1u32 << self.input_shift) as f64 / 255.0
    }

    /// Raw pixels `[n, c, h, w]` (`u8` or integer-valued float) to the
    /// integer input `pixel >> input_shift` as `f32`.
    pub fn input_int(&self, pixels: &Tensor) -> Tensor {
        let p = pixels.to_kind(Kind::Float);
        if self.input_shift == 0 {
            p
        } else {
            (p / (1u32 << self.input_shift) as f64).floor()
        }
    }

    /// Float forward; returns every tensor (index 0 = input), the last being
    /// the logits `[n, classes, 1, 1]`.
    pub fn forward_float_all(&self, pixels: &Tensor, train: bool) -> Vec<Tensor> {
        let mut t = vec![self.input_int(pixels) * self.input_scale()];
        for node in &self.nodes {
            let x = &t[node.input];
            let y = match &node.op {
                NodeOp::Conv(m) | NodeOp::Linear(m) => {
                    let mut y = m.conv(x, &m.weight4(), m.bias.as_ref());
                    if let Some(bn) = &m.bn {
                        y = y.apply_t(bn, train);
                    }
                    if m.relu {
                        y.relu()
                    } else {
                        y
                    }
                }
                NodeOp::MaxPool { kernel, stride } => {
                    let (k, s) = (*kernel as i64, *stride as i64);
                    x.max_pool2d([k, k], [s, s], [0, 0], [1, 1], false)
                }
                NodeOp::AvgPool { kernel, stride } => {
                    let (k, s) = (*kernel as i64, *stride as i64);
                    x.avg_pool2d([k, k], [s, s], [0, 0], false, true, None)
                }
                NodeOp::GlobalAvgPool => x.mean_dim([2i64, 3].as_slice(), true, Kind::Float),
                NodeOp::Flatten => x.flatten(1, -1).unsqueeze(-1).unsqueeze(-1),
                NodeOp::Add { other, .. } => (x + &t[*other]).relu(),
            };
            t.push(y);
        }
        t
    }

    /// Float logits `[n, classes]`.
    pub fn forward_float(&self, pixels: &Tensor, train: bool) -> Tensor {
        self.forward_float_all(pixels, train)
            .pop()
            .unwrap()
            .flatten(1, -1)
    }

    /// Fake-quantized forward pass (see the module doc).
    ///
    /// Only the `f32` integer-domain values travel between nodes (they hold
    /// the integer network's values exactly, see the straight-through copy `ste`); the `f64`
    /// arithmetic runs where rounding needs it (requantization, residual
    /// additions, averages) on detached copies.
    pub fn forward_quant(&self, pixels: &Tensor, opts: &QuantOpts) -> QuantOutput {
        let dev = pixels.device();
        let scalar = |v: f64| Tensor::from(v).to_device(dev);
        let mut t = vec![QT {
            v: self.input_int(pixels),
            scale: scalar(self.input_scale()),
        }];
        let mut exact_logits = None;
        let mut accs = vec![];
        let mut params = vec![];
        let mut mac_index = 0;
        let last = self.nodes.len() - 1;
        for (i, node) in self.nodes.iter().enumerate() {
            let x = &t[node.input];
            let (out, p) = match &node.op {
                NodeOp::Conv(m) | NodeOp::Linear(m) => {
                    let (wf, bf) = m.folded();
                    let mut amax = wf.detach().abs().amax([1i64, 2, 3].as_slice(), false);
                    // The logits share one unit: one weight scale.
                    if !m.relu && i == last {
                        amax = amax.max().expand([m.out_ch as i64], false);
                    }
                    let w_scale = (amax.to_kind(Kind::Double) / W_MAX).clamp_min(1e-12);
                    let w = ste_round(&(&wf / w_scale.to_kind(Kind::Float).view([-1, 1, 1, 1])))
                        .clamp(-W_MAX, W_MAX);
                    let unit = &x.scale * &w_scale; // accumulator unit per channel, f64
                    let b = ste_round(&(&bf / unit.to_kind(Kind::Float)));
                    let mut acc = m.conv(&x.v, &w, None);
                    if opts.noise {
                        acc = crate::nn::agn::add_noise(acc, &m.sigma);
                    }
                    if let Some(approx) = opts.approx {
                        let x_exact = x.v.detach().to_kind(Kind::Double);
                        let a = approx(mac_index, m, &x_exact, &w.detach());
                        acc = &acc + (a.to_kind(Kind::Float) - &acc).detach();
                    }
                    if opts.record {
                        accs.push(acc.detach());
                    }
                    let b_exact = view_c(&b.detach().to_kind(Kind::Double));
                    let (v, requant) = if m.relu || i != last {
                        // ReLU: requantized to the calibrated scale. A
                        // residual branch: per-channel weight scales,
                        // rescaled without the clamp to the coarsest
                        // channel's unit (ratios <= 1: the values fit 32 bits).
                        let (out_scale, clamp) = if m.relu {
                            (m.scale.to_kind(Kind::Double), Some(self.act_max))
                        } else {
                            (unit.max(), None)
                        };
                        let ratio = &unit / &out_scale;
                        let (mult, shift) = requant_params(&ratio);
                        // (acc + b) * ratio as one multiply-add.
                        let float_ratio = view_c(&ratio.to_kind(Kind::Float));
                        let float = (view_c(&b) * &float_ratio).addcmul(&acc, &float_ratio);
                        let v = ste::requant(float, &acc.detach(), &b_exact, &mult, &shift, clamp);
                        (
                            QT {
                                v,
                                scale: out_scale,
                            },
                            Some((mult, shift)),
                        )
                    } else {
                        exact_logits = Some(acc.detach().to_kind(Kind::Double) + &b_exact);
                        (
                            QT {
                                v: &acc + view_c(&b),
                                scale: unit.get(0),
                            },
                            None,
                        )
                    };
                    mac_index += 1;
                    let p = if opts.record {
                        NodeParams::Mac {
                            w: w.detach(),
                            b: b.detach(),
                            requant,
                            in_scale: x.scale.double_value(&[]),
                            w_scale,
                        }
                    } else {
                        NodeParams::None
                    };
                    (v, p)
                }
                NodeOp::MaxPool { kernel, stride } => {
                    let (k, s) = (*kernel as i64, *stride as i64);
                    (
                        QT {
                            v: x.v.max_pool2d([k, k], [s, s], [0, 0], [1, 1], false),
                            scale: x.scale.shallow_clone(),
                        },
                        NodeParams::None,
                    )
                }
                NodeOp::AvgPool { kernel, stride } => {
                    let (k, s) = (*kernel as i64, *stride as i64);
                    let float = x.v.avg_pool2d([k, k], [s, s], [0, 0], false, true, None);
                    (
                        QT {
                            v: ste::avg_pool(float, &x.v.detach(), k, s),
                            scale: x.scale.shallow_clone(),
                        },
                        NodeParams::None,
                    )
                }
                NodeOp::GlobalAvgPool => {
                    let float = x.v.mean_dim([2i64, 3].as_slice(), true, Kind::Float);
                    (
                        QT {
                            v: ste::global_avg_pool(float, &x.v.detach()),
                            scale: x.scale.shallow_clone(),
                        },
                        NodeParams::None,
                    )
                }
                NodeOp::Flatten => (
                    QT {
                        v: x.v.flatten(1, -1).unsqueeze(-1).unsqueeze(-1),
                        scale: x.scale.shallow_clone(),
                    },
                    NodeParams::None,
                ),
                NodeOp::Add {
                    other,
                    params: scale,
                } => {
                    let b = &t[*other];
                    let out_scale = scale.to_kind(Kind::Double);
                    let (ra, rb) = (&x.scale / &out_scale, &b.scale / &out_scale);
                    let (ma, mb, sh) = add_params(&ra, &rb);
                    let float =
                        (&x.v * ra.to_kind(Kind::Float)).addcmul(&b.v, &rb.to_kind(Kind::Float));
                    let float = ste::residual_add(
                        float,
                        &x.v.detach(),
                        &b.v.detach(),
                        &ma,
                        &mb,
                        &sh,
                        self.act_max,
                    );
                    let p = if opts.record {
                        NodeParams::Add {
                            mult_a: ma.double_value(&[]),
                            mult_b: mb.double_value(&[]),
                            shift: sh.double_value(&[]),
                        }
                    } else {
                        NodeParams::None
                    };
                    (
                        QT {
                            v: float,
                            scale: out_scale,
                        },
                        p,
                    )
                }
            };
            t.push(out);
            if opts.record {
                params.push(p);
            }
        }
        let last = t.pop().unwrap();
        let logits = (&last.v * last.scale.to_kind(Kind::Float)).flatten(1, -1);
        // A network ending in a requantizing node (not built today): its
        // integer output.
        let exact = exact_logits.unwrap_or_else(|| last.v.detach().to_kind(Kind::Double));
        QuantOutput {
            logits,
            exact: exact.flatten(1, -1),
            accs,
            params,
        }
    }

    /// Per node that requantizes (ReLU MAC or Add), its output scale variable.
    pub fn act_scales(&self) -> Vec<(usize, &Tensor)> {
        self.nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match &n.op {
                NodeOp::Conv(m) | NodeOp::Linear(m) if m.relu => Some((i, &m.scale)),
                NodeOp::Add { params: scale, .. } => Some((i, scale)),
                _ => None,
            })
            .collect()
    }

    /// Whether every activation scale has been set.
    pub fn scales_ready(&self) -> bool {
        self.act_scales()
            .iter()
            .all(|(_, s)| s.double_value(&[]) > 0.0)
    }

    /// Set every activation scale to `max / act_max`, with `max` the mean
    /// over `batches` of each batch's largest value of that tensor in the
    /// float model (batch norm in evaluation mode, as folded).
    pub fn calibrate_scales(&self, batches: &[Tensor]) {
        let idx: Vec<usize> = self.act_scales().iter().map(|(i, _)| *i).collect();
        let mut sums = vec![0f64; idx.len()];
        tch::no_grad(|| {
            for pixels in batches {
                let all = self.forward_float_all(pixels, false);
                for (k, &i) in idx.iter().enumerate() {
                    sums[k] += all[graph::TensorId::output_of(i)].max().double_value(&[]);
                }
            }
            for ((_, s), sum) in self.act_scales().into_iter().zip(sums) {
                let max = (sum / batches.len().max(1) as f64).max(1e-6);
                let mut s = s.shallow_clone();
                s.copy_(&Tensor::from((max / self.act_max as f64) as f32).to_device(s.device()));
            }
        });
    }

    /// Set every layer's AGN sigma to `value`.
    pub fn reset_sigmas(&self, value: f64) {
        tch::no_grad(|| {
            for (_, _, m) in self.mac_nodes() {
                let mut s = m.sigma.shallow_clone();
                let _ = s.fill_(value);
            }
        });
    }

    /// `|sigma_l|` per multiplying layer.
    pub fn sigmas(&self) -> Vec<f64> {
        self.mac_nodes()
            .map(|(_, _, m)| m.sigma.double_value(&[]).abs())
            .collect()
    }
}
