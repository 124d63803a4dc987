//! Turn a fake-quantized [`Net`] into the integer network
//! (`codesign::intnet::IntNetwork`). The integer parameters are not re-derived
//! here: they are the very tensors the quantized forward pass used
//! (`QuantOpts::record`), so the two agree by construction.

use crate::nn::net::{Net, NodeOp, NodeParams, QuantOpts};
use crate::nn::quant::to_vec_f64;
use codesign::error::{Error, Result};
use codesign::intnet::{self, IntNetwork, MacLayer, Op, Requant};
use tch::{Kind, Tensor};

/// The integer network of `net` (whose activation scales must be set).
pub fn to_intnet(net: &Net, name: &str) -> Result<IntNetwork> {
    if !net.scales_ready() {
        return Err(Error::input(
            "the checkpoint has no activation scales (quantize a qat, agn or retrain checkpoint)",
        ));
    }
    let dev = net.nodes.iter().find_map(|n| match &n.op {
        NodeOp::Mac(m) => Some(m.weight.device()),
        _ => None,
    });
    let dev = dev.unwrap_or(tch::Device::Cpu);
    let s = net.input;
    let probe = Tensor::zeros([1, s.c as i64, s.h as i64, s.w as i64], (Kind::Uint8, dev));
    let out = tch::no_grad(|| {
        net.forward_quant(
            &probe,
            &QuantOpts {
                record: true,
                ..Default::default()
            },
        )
    });
    let mut nodes = Vec::with_capacity(net.nodes.len());
    for (node, params) in net.nodes.iter().zip(&out.params) {
        let op = match (&node.op, params) {
            (NodeOp::Mac(m), NodeParams::Mac { w, b, requant, .. }) => {
                let weights = to_vec_f64(w).into_iter().map(|v| v as i8).collect();
                let bias = to_vec_f64(b)
                    .into_iter()
                    .map(|v| to_i32(v, &node.name, "bias"))
                    .collect::<Result<Vec<_>>>()?;
                let requant = match requant {
                    Some((mult, shift)) => Some(Requant {
                        mult: to_vec_f64(mult)
                            .into_iter()
                            .map(|v| to_i32(v, &node.name, "requantization multiplier"))
                            .collect::<Result<_>>()?,
                        shift: to_vec_f64(shift).into_iter().map(|v| v as u32).collect(),
                        relu: m.relu,
                    }),
                    None => None,
                };
                let layer = MacLayer {
                    in_ch: m.in_ch,
                    out_ch: m.out_ch,
                    kernel: m.kernel,
                    stride: m.stride,
                    padding: m.padding,
                    weights,
                    bias,
                    requant,
                };
                if m.linear {
                    Op::Linear(layer)
                } else {
                    Op::Conv(layer)
                }
            }
            (NodeOp::MaxPool { kernel, stride }, _) => Op::MaxPool {
                kernel: *kernel,
                stride: *stride,
            },
            (NodeOp::AvgPool { kernel, stride }, _) => Op::AvgPool {
                kernel: *kernel,
                stride: *stride,
            },
            (NodeOp::GlobalAvgPool, _) => Op::GlobalAvgPool,
            (NodeOp::Flatten, _) => Op::Flatten,
            (
                NodeOp::Add { other, .. },
                NodeParams::Add {
                    mult_a,
                    mult_b,
                    shift,
                },
            ) => Op::Add {
                other: *other,
                mult_a: to_i32(*mult_a, &node.name, "multiplier")?,
                mult_b: to_i32(*mult_b, &node.name, "multiplier")?,
                shift: *shift as u32,
            },
            _ => {
                return Err(Error::input(format!(
                    "{}: no integer parameters recorded",
                    node.name
                )))
            }
        };
        nodes.push(intnet::Node {
            name: node.name.clone(),
            input: node.input,
            op,
            out: node.out,
        });
    }
    Ok(IntNetwork {
        version: intnet::FORMAT_VERSION,
        name: name.to_string(),
        input: net.input,
        input_shift: net.input_shift,
        act_max: net.act_max,
        signed: net.act_max == 127,
        nodes,
        classes: net.classes,
    })
}

fn to_i32(v: f64, layer: &str, what: &str) -> Result<i32> {
    if v.fract() != 0.0 || v < i32::MIN as f64 || v > i32::MAX as f64 {
        return Err(Error::input(format!(
            "layer {layer}: {what} {v} does not fit a 32-bit integer"
        )));
    }
    Ok(v as i32)
}
