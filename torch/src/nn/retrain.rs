//! Approximate retraining (DESIGN.md, "Approximate retraining"): the
//! forward pass uses the assigned multipliers' products, computed by the
//! lookup-table kernel (`intnet::lut`) on the very integer operands of each
//! layer, as `exact + (approx - exact).detach()`; the backward pass sees the
//! exact product's gradient.

use crate::nn::net::MacNode;
use codesign::errmap::ErrorMap;
use codesign::intnet::lut::{self, ProductTable};
use tch::{Device, Kind, Tensor};

/// The approximate products of every multiplying layer.
pub struct ApproxProducts {
    tables: Vec<ProductTable>,
    /// Per layer, per output channel: added to the accumulators (the
    /// assignment's bias correction; zeros when none).
    corrections: Vec<Vec<i32>>,
}

impl ApproxProducts {
    /// One `(error map, bias correction)` per multiplying layer, in order
    /// (`assign::Assignment::layer_maps`).
    pub fn new(maps: &[(ErrorMap, Vec<i32>)]) -> Self {
        ApproxProducts {
            tables: maps.iter().map(|(m, _)| ProductTable::new(m)).collect(),
            corrections: maps.iter().map(|(_, c)| c.clone()).collect(),
        }
    }

    /// From ready tables, without corrections.
    pub fn from_tables(tables: Vec<ProductTable>) -> Self {
        let corrections = vec![vec![]; tables.len()];
        ApproxProducts {
            tables,
            corrections,
        }
    }

    /// Number of multiplying layers.
    pub fn layers(&self) -> usize {
        self.tables.len()
    }

    /// Accumulators (bias excluded, correction included) of layer `index`
    /// for integer activations `x` (`[n, c, h, w]`) and integer weights `w`
    /// (`[o, c, k, k]`), as an `f32` tensor `[n, o, oh, ow]` on `x`'s device.
    pub fn accumulate(&self, index: usize, m: &MacNode, x: &Tensor, w: &Tensor) -> Tensor {
        let dev = x.device();
        let size = x.size();
        let dims = [
            size[0] as usize,
            size[1] as usize,
            size[2] as usize,
            size[3] as usize,
        ];
        let xs: Vec<u8> = Vec::<f64>::try_from(
            x.to_device(Device::Cpu)
                .to_kind(Kind::Double)
                .flatten(0, -1),
        )
        .expect("activations")
        .into_iter()
        .map(|v| v as u8)
        .collect();
        let ws: Vec<i8> =
            Vec::<f32>::try_from(w.to_device(Device::Cpu).to_kind(Kind::Float).flatten(0, -1))
                .expect("weights")
                .into_iter()
                .map(|v| v as i8)
                .collect();
        let mut y = lut::conv2d(
            &self.tables[index],
            &ws,
            m.out_ch,
            m.kernel,
            m.stride,
            m.padding,
            &xs,
            dims,
        );
        let oh = (dims[2] + 2 * m.padding - m.kernel) / m.stride + 1;
        let ow = (dims[3] + 2 * m.padding - m.kernel) / m.stride + 1;
        let corr = &self.corrections[index];
        if !corr.is_empty() {
            for (i, v) in y.iter_mut().enumerate() {
                *v += corr[i / (oh * ow) % m.out_ch];
            }
        }
        Tensor::from_slice(&y)
            .view([dims[0] as i64, m.out_ch as i64, oh as i64, ow as i64])
            .to_kind(Kind::Float)
            .to_device(dev)
    }

    /// The hook for `QuantOpts::approx`.
    pub fn hook(&self) -> impl Fn(usize, &MacNode, &Tensor, &Tensor) -> Tensor + '_ {
        move |i, m, x, w| self.accumulate(i, m, x, w)
    }
}
