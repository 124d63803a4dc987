//! Multiplier energy per layer on the real operand stream: the consecutive
//! operand pairs each lane of a layer's engine sees on real images, in the
//! order the engine issues them (`rtl/mac_engine.v`: per channel group,
//! per output position, per reduction index `(ci, ky, kx)`; lane `l` of
//! group `g` multiplies the broadcast activation by channel `g*P + l`'s
//! weight, a padded position's activation is 0, an unsigned multiplier
//! gets the weight's magnitude), through the Liberty switching-energy
//! model of the layer's multiplier on its canonical NanGate45 mapping
//! ([`crate::library::energy::switching_energy`]), beside the same
//! multiplier's figure on uniform random operands. Drain and write cycles
//! between positions are not part of the stream.

use crate::error::{Error, Result};
use crate::intnet::{IntNetwork, Op};
use crate::library::energy::{switching_energy, PowerLibrary};
use crate::rtl::accel::Manifest;
use serde::{Deserialize, Serialize};

/// One layer's multiplier energy per multiplication, real vs uniform.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerStream {
    /// Layer name.
    pub layer: String,
    /// Library id of its multiplier.
    pub multiplier: String,
    /// Operand pairs in the streams (all lanes, all images used).
    pub pairs: u64,
    /// Mean energy per multiplication on the real stream (pJ).
    pub real_pj: f64,
    /// The same on the library's uniform random stream (pJ).
    pub uniform_pj: f64,
}

/// Most operand pairs per lane and image kept (the stream's start).
pub const MAX_PAIRS_PER_LANE: usize = 4096;

/// The operand streams of every lane of the engine of node `node` (a conv
/// or linear layer of `net`) with `lanes` lanes, for the input tensor `x`
/// (`C*H*W` activations): one `Vec<(a, b)>` per lane, at most
/// [`MAX_PAIRS_PER_LANE`] pairs each.
pub fn lane_streams(
    net: &IntNetwork,
    node: &crate::intnet::Node,
    lanes: usize,
    x: &[i32],
) -> Vec<Vec<(u8, u8)>> {
    let (Op::Conv(l) | Op::Linear(l)) = &node.op else {
        return vec![];
    };
    let input = net.tensor_shapes()[node.input];
    let (ih, iw) = if matches!(node.op, Op::Linear(_)) {
        (1, 1)
    } else {
        (input.h, input.w)
    };
    let (k, s, pad) = (l.kernel, l.stride, l.padding as isize);
    let kk = l.in_ch * k * k;
    let p = lanes.max(1);
    let mut out = vec![vec![]; p];
    for (lane, stream) in out.iter_mut().enumerate() {
        'groups: for g in 0..l.out_ch.div_ceil(p) {
            let o = g * p + lane;
            for oy in 0..node.out.h {
                for ox in 0..node.out.w {
                    for ki in 0..kk {
                        if stream.len() >= MAX_PAIRS_PER_LANE {
                            break 'groups;
                        }
                        let (ci, ky, kx) = (ki / (k * k), ki / k % k, ki % k);
                        let y = (oy * s + ky) as isize - pad;
                        let xx = (ox * s + kx) as isize - pad;
                        let inside = y >= 0 && xx >= 0 && (y as usize) < ih && (xx as usize) < iw;
                        let a = if inside {
                            x[ci * ih * iw + y as usize * iw + xx as usize] as u8
                        } else {
                            0
                        };
                        // Channels past the last (a partial group) hold 0.
                        let w = if o < l.out_ch {
                            l.weights[o * kk + ki]
                        } else {
                            0
                        };
                        let b = if net.signed || w >= 0 {
                            w as u8
                        } else {
                            w.unsigned_abs()
                        };
                        stream.push((a, b));
                    }
                }
            }
        }
    }
    out
}

/// Per engine layer of `manifest`, the real-stream and uniform energy per
/// multiplication of its multiplier, on the input tensors `inputs[t]`
/// (tensor id -> one `Vec` per image) of the images used. The multipliers'
/// source netlists come from the export `dir` (`netlists/<module>.json`).
/// Errors: a tool or netlist failure.
pub fn layer_energies(
    dir: &std::path::Path,
    manifest: &Manifest,
    net: &IntNetwork,
    traces: &[Vec<Vec<i32>>],
    lib: &PowerLibrary,
) -> Result<Vec<LayerStream>> {
    let uniform = crate::library::cost::stream(&crate::library::cost::Stimulus::Uniform)?;
    let mut mapped: Vec<(String, crate::library::energy::MappedNetlist, f64)> = vec![];
    let mut out = vec![];
    for u in manifest.units.iter().filter(|u| u.kind == "mac_engine") {
        let (Some(id), Some(module)) = (&u.multiplier, &u.multiplier_module) else {
            continue;
        };
        let node = net
            .nodes
            .iter()
            .find(|n| n.name == u.layer)
            .ok_or_else(|| {
                Error::input(format!("manifest unit `{}` is not in the network", u.layer))
            })?;
        if !mapped.iter().any(|(m, _, _)| m == module) {
            let path = dir.join(crate::rtl::accel::netlist_file(module));
            let n = crate::netlist::import::yosys::from_json(
                &crate::io::read_text(&path)?,
                &path,
                &Default::default(),
                Some(crate::rtl::accel::NETLIST_MODULE),
                None,
            )?;
            let m = crate::library::yosys::canonical(&n, lib)?;
            let e = switching_energy(&m, lib, &uniform)?;
            mapped.push((module.clone(), m, e));
        }
        let (_, m, uniform_pj) = mapped.iter().find(|(n, _, _)| n == module).unwrap();
        let (mut sum, mut pairs) = (0.0, 0u64);
        for t in traces {
            for s in lane_streams(net, node, u.lanes, &t[node.input]) {
                if s.len() < 2 {
                    continue;
                }
                // switching_energy is the mean over the stream's transitions.
                let n = (s.len() - 1) as f64;
                sum += switching_energy(m, lib, &s)? * n;
                pairs += s.len() as u64 - 1;
            }
        }
        out.push(LayerStream {
            layer: u.layer.clone(),
            multiplier: id.clone(),
            pairs,
            real_pj: if pairs > 0 { sum / pairs as f64 } else { 0.0 },
            uniform_pj: *uniform_pj,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intnet::testnet;

    #[test]
    fn lane_streams_follow_the_engine_order() {
        let net = testnet::random(1, false);
        let (i, node) = net
            .nodes
            .iter()
            .enumerate()
            .find(|(_, n)| matches!(n.op, Op::Conv(_)))
            .unwrap();
        let _ = i;
        let l = node.mac().unwrap();
        let input = net.tensor_shapes()[node.input];
        let x: Vec<i32> = (0..input.len() as i32).map(|v| v % 251).collect();
        let lanes = 2.min(l.out_ch);
        let s = lane_streams(&net, node, lanes, &x);
        assert_eq!(s.len(), lanes);
        let kk = l.fan_in();
        // Lane 1's first pair: output (0, 0), k = 0, channel 1.
        let pad = l.padding;
        let a0 = if pad > 0 { 0 } else { x[0] as u8 };
        let w = l.weights[kk];
        let b0 = if w >= 0 { w as u8 } else { w.unsigned_abs() };
        assert_eq!(s[1][0], (a0, b0));
        let want =
            (node.out.h * node.out.w * l.out_ch.div_ceil(lanes) * kk).min(MAX_PAIRS_PER_LANE);
        assert_eq!(s[0].len(), want);
    }
}
