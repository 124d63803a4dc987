//! The network-level picture (beyond the layer-local check of
//! [`super::validate`]): every layer runs its assigned multiplier at once,
//! so each layer's accumulators deviate from the exact network's by its own
//! multiplier's error plus the deviation its inputs carry from the layers
//! before. Predicted by propagating variances through the network
//! ([`propagate`], the model in DESIGN.md "Error model"), measured bit-exactly
//! on held-out images ([`measure`]).
//!
//! The propagation model, per element of each tensor (`v_t`: variance of
//! the deviation of tensor `t` from the exact network's, `v_input = 0`):
//! * multiplying layer `l` reading tensor `t`, fan-in `n`, weights `w`:
//!   accumulator deviation variance `s_l^2 + n * mean(w^2) * v_t`, with
//!   `s_l` the layer's local predicted error std (the assignment's error
//!   model) and the input deviations taken as independent of each other,
//!   of the weights and of the local error;
//! * its requantized output: `v = var_acc * g * rho`, with
//!   `g = mean_j((mult_j / 2^shift_j)^2)` and `rho` the share of the exact
//!   network's outputs strictly inside the clamp range `(0, act_max)` on
//!   the calibration images (a clamped output does not pass a small
//!   deviation);
//! * max pooling and flatten pass `v` on (the window's winner carries its
//!   own deviation); average pooling over `k` values divides it by `k`;
//! * a residual add: `(mult_a^2 v_a + mult_b^2 v_b) / 4^shift * rho`.
//!
//! Rounding in requantization and the correlation of deviations across
//! neighbouring outputs (a multiplier's bias is shared by every output of
//! a channel) are left out; the measurement shows what that costs.

use crate::calib::IntMoments;
use crate::error::Result;
use crate::intnet::sim::{argmax, Simulator};
use crate::intnet::{AddRescale, IntNetwork, Op, TensorId};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// One multiplying layer with every layer approximate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetworkLayer {
    /// Layer name.
    pub layer: String,
    /// Multiplier id the layer runs.
    pub multiplier: String,
    /// The layer's own predicted error std (layer-local, exact inputs),
    /// accumulator units.
    pub predicted_local_std: f64,
    /// Predicted std of the accumulators' deviation from the exact
    /// network's, propagated through the earlier layers (module docs).
    pub predicted_std: f64,
    /// Measured std of that deviation over every accumulator of every
    /// held-out image.
    pub measured_std: f64,
}

/// One assignment run with every layer approximate at once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetworkCheck {
    /// Which assignment: `assignment` (the one the run uses, after repair)
    /// or `assignment_paper` (the error model's unrepaired choice).
    pub assignment: String,
    /// Per multiplying layer, in network order.
    pub layers: Vec<NetworkLayer>,
    /// Top-1 (share) of the exact integer network on the held-out images.
    pub exact_top1: f64,
    /// Top-1 (share) of this assignment on the same images.
    pub top1: f64,
}

/// Per node, the share of the exact network's outputs strictly inside the
/// clamp range `(0, act_max)` (1 for nodes that do not clamp), over
/// `images` (`N * C * H * W` raw pixels, the calibration images).
pub fn linear_share(net: &IntNetwork, images: &[u8]) -> Result<Vec<f64>> {
    let sim = Simulator::exact(net)?;
    let len = net.input.len();
    let counts = images
        .par_chunks(len)
        .map(|img| {
            let t = sim.forward_trace(img);
            net.nodes
                .iter()
                .enumerate()
                .map(|(i, _)| {
                    let out = &t.tensors[TensorId::output_of(i)];
                    let inside = out.iter().filter(|&&v| v > 0 && v < net.act_max).count();
                    (inside as u64, out.len() as u64)
                })
                .collect::<Vec<_>>()
        })
        .reduce(
            || vec![(0, 0); net.nodes.len()],
            |a, b| {
                a.iter()
                    .zip(&b)
                    .map(|(x, y)| (x.0 + y.0, x.1 + y.1))
                    .collect()
            },
        );
    Ok(net
        .nodes
        .iter()
        .zip(counts)
        .map(|(node, (inside, total))| {
            let clamps = match &node.op {
                Op::Conv(l) | Op::Linear(l) => l.requant.is_some(),
                Op::Add { .. } => true,
                _ => false,
            };
            if clamps && total > 0 {
                inside as f64 / total as f64
            } else {
                1.0
            }
        })
        .collect())
}

/// Predicted std of each multiplying layer's accumulator deviation with
/// every layer approximate (module docs). `local[l]`: layer `l`'s local
/// predicted error std (accumulator units); `share`: [`linear_share`].
pub fn propagate(net: &IntNetwork, local: &[f64], share: &[f64]) -> Vec<f64> {
    let shapes = net.tensor_shapes();
    let mut v = vec![0.0f64; net.nodes.len() + 1];
    let mut out = Vec::new();
    for (i, node) in net.nodes.iter().enumerate() {
        let vin = v[node.input];
        v[TensorId::output_of(i)] = match &node.op {
            Op::Conv(l) | Op::Linear(l) => {
                let n = (l.in_ch * l.kernel * l.kernel) as f64;
                let w2 = l.weights.iter().map(|&w| (w as f64).powi(2)).sum::<f64>()
                    / l.weights.len().max(1) as f64;
                let s = local.get(out.len()).copied().unwrap_or(0.0);
                let acc = s * s + n * w2 * vin;
                out.push(acc.sqrt());
                match &l.requant {
                    Some(r) => {
                        let g2 = r
                            .mult
                            .iter()
                            .zip(&r.shift)
                            .map(|(&m, &sh)| (m as f64 / (1u64 << sh) as f64).powi(2))
                            .sum::<f64>()
                            / r.mult.len().max(1) as f64;
                        acc * g2 * share[i]
                    }
                    None => acc,
                }
            }
            Op::MaxPool { .. } | Op::Flatten => vin,
            Op::AvgPool { kernel, .. } => vin / (kernel * kernel) as f64,
            Op::GlobalAvgPool => {
                let s = shapes[node.input];
                vin / (s.h * s.w).max(1) as f64
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
                let scale = 4f64.powi(*shift as i32);
                ((*mult_a as f64).powi(2) * vin + (*mult_b as f64).powi(2) * v[*other]) / scale
                    * share[i]
            }
        };
    }
    out
}

/// Measured std of each multiplying layer's accumulator deviation of
/// `approx` (the same network with the assigned multipliers and bias
/// corrections) from `exact`, and both networks' top-1, over the images
/// `indices` of `images` with `labels`. `corrections[l]`: layer `l`'s
/// per-channel bias correction (empty: none), added to the deviation
/// because the simulator's accumulators exclude the bias. Integer sums:
/// independent of thread scheduling.
pub fn measure(
    exact: &Simulator,
    approx: &Simulator,
    corrections: &[Vec<i32>],
    input_len: usize,
    images: &[u8],
    labels: &[u8],
    indices: &[usize],
) -> (Vec<f64>, f64, f64) {
    let per_image = |&i: &usize| {
        let img = &images[i * input_len..(i + 1) * input_len];
        let (te, ta) = (exact.forward_trace(img), approx.forward_trace(img));
        let moments: Vec<IntMoments> = te
            .accumulators
            .iter()
            .zip(&ta.accumulators)
            .enumerate()
            .map(|(l, (e, a))| {
                let corr = corrections.get(l).map_or(&[][..], |c| c.as_slice());
                let per_ch = e.len() / corr.len().max(1);
                let mut m = IntMoments::default();
                for (k, (x, y)) in e.iter().zip(a).enumerate() {
                    let r = corr.get(k / per_ch.max(1)).copied().unwrap_or(0);
                    m.add(*y as i64 - *x as i64 + r as i64);
                }
                m
            })
            .collect();
        let right = |t: &crate::intnet::sim::Trace| {
            (argmax(t.tensors.last().map_or(&[][..], |v| v)) == labels[i] as usize) as usize
        };
        (moments, right(&te), right(&ta))
    };
    let (moments, e, a) = indices.par_iter().map(per_image).reduce(
        || (vec![], 0, 0),
        |(ma, ea, aa), (mb, eb, ab)| {
            let m = if ma.is_empty() {
                mb
            } else if mb.is_empty() {
                ma
            } else {
                ma.iter()
                    .zip(&mb)
                    .map(|(x, y)| {
                        let mut z = *x;
                        z.merge(y);
                        z
                    })
                    .collect()
            };
            (m, ea + eb, aa + ab)
        },
    );
    let n = indices.len().max(1) as f64;
    (
        moments.iter().map(IntMoments::std).collect(),
        e as f64 / n,
        a as f64 / n,
    )
}
