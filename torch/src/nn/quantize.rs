//! Turn a fake-quantized [`Net`] into the integer network
//! (`codesign::intnet::IntNetwork`): a map over the shared graph
//! (`graph::Op::try_map`). The integer parameters are not re-derived
//! here: they are the very tensors the quantized forward pass used
//! (`QuantOpts::record`), so the two agree by construction.

use crate::nn::net::{MacNode, Net, NodeParams, QuantOpts};
use crate::nn::quant::to_vec_f64;
use codesign::error::{Error, Result};
use codesign::intnet::{self, AddRescale, IntNetwork, MacLayer, Requant};
use tch::{Kind, Tensor};

/// The integer network of `net` (whose activation scales must be set).
pub fn to_intnet(net: &Net, name: &str) -> Result<IntNetwork> {
    if !net.scales_ready() {
        return Err(Error::input(
            "the checkpoint has no activation scales (quantize a qat, agn or retrain checkpoint)",
        ));
    }
    let dev = net
        .mac_nodes()
        .next()
        .map_or(tch::Device::Cpu, |(_, _, m)| m.weight.device());
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
        let missing = || Error::input(format!("{}: no integer parameters recorded", node.name));
        let op = node.op.try_map(
            |m| match params {
                NodeParams::Mac { w, b, requant, .. } => mac_layer(m, w, b, requant, &node.name),
                _ => Err(missing()),
            },
            |_| match params {
                NodeParams::Add {
                    mult_a,
                    mult_b,
                    shift,
                } => Ok(AddRescale {
                    mult_a: to_i32(*mult_a, &node.name, "multiplier")?,
                    mult_b: to_i32(*mult_b, &node.name, "multiplier")?,
                    shift: *shift as u32,
                }),
                _ => Err(missing()),
            },
        )?;
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

/// The integer layer of `m` from the parameters the quantized forward pass
/// recorded for it.
fn mac_layer(
    m: &MacNode,
    w: &Tensor,
    b: &Tensor,
    requant: &Option<(Tensor, Tensor)>,
    layer: &str,
) -> Result<MacLayer> {
    let weights = to_vec_f64(w).into_iter().map(|v| v as i8).collect();
    let bias = to_vec_f64(b)
        .into_iter()
        .map(|v| to_i32(v, layer, "bias"))
        .collect::<Result<Vec<_>>>()?;
    let requant = match requant {
        Some((mult, shift)) => Some(Requant {
            mult: to_vec_f64(mult)
                .into_iter()
                .map(|v| to_i32(v, layer, "requantization multiplier"))
                .collect::<Result<_>>()?,
            shift: to_vec_f64(shift).into_iter().map(|v| v as u32).collect(),
            relu: m.relu,
        }),
        None => None,
    };
    Ok(MacLayer {
        in_ch: m.in_ch,
        out_ch: m.out_ch,
        kernel: m.kernel,
        stride: m.stride,
        padding: m.padding,
        weights,
        bias,
        requant,
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
