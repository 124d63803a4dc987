//! Calibration statistics for the error model, measured on the integer
//! network with exact multipliers (so that histograms are of the very
//! operands the multipliers see): per multiplying layer, the weight
//! histogram, `S` receptive-field activation histograms, the fan-in and the
//! standard deviation of the exact accumulator outputs.
//! Stored as `RUN_DIR/calibration.json`.
//!
//! Sampling (deterministic for a seed, whatever the thread count): one
//! ChaCha8 stream draws the calibration images (distinct, from the training
//! set) and then, layer by layer, `S` receptive fields as (image, output
//! position) pairs with replacement. A receptive field is the layer's input
//! window of one output position, `in_ch * k * k` values with zero padding
//! included as activation 0 (the multipliers see those zeros too).

use crate::error::{Error, Result};
use crate::intnet::sim::Trace;
use crate::intnet::{IntNetwork, MacLayer, Op, Shape, TensorId};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Calibration of one multiplying layer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerCalib {
    /// Layer name.
    pub name: String,
    /// Products summed per output value (`in_ch * k * k`).
    pub fan_in: usize,
    /// Histogram over weight bytes (index = `w as u8`, two's complement).
    pub weight_hist: Vec<u64>,
    /// `S` histograms over activation bytes, one per sampled receptive field.
    pub act_hists: Vec<Vec<u32>>,
    /// Standard deviation of the exact accumulators (bias excluded) over
    /// the calibration data, in accumulator units.
    pub y_std: f64,
    /// The sampled receptive fields themselves (`S` x fan-in activation
    /// bytes, weight order), for the `sampled` model; `act_hists[s]` is the
    /// histogram of `fields[s]`. Empty in calibrations made before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Vec<u8>>,
}

/// Calibration of the whole network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Images drawn and seed, for the record.
    pub images: usize,
    /// Seed of the image draw.
    pub seed: u64,
    /// Per multiplying layer, in network order.
    pub layers: Vec<LayerCalib>,
    /// Receptive fields sampled per layer.
    #[serde(default)]
    pub samples: usize,
    /// Indices (into the training images) of the calibration images, in
    /// the order used; validation re-runs exactly these.
    #[serde(default)]
    pub image_indices: Vec<usize>,
}

/// Default number of calibration images (DESIGN.md).
pub const DEFAULT_IMAGES: usize = 128;
/// Default number of receptive fields per layer (DESIGN.md).
pub const DEFAULT_SAMPLES: usize = 512;

/// One multiplying layer seen from the error model: where its input comes
/// from and how its receptive fields are laid out.
#[derive(Clone, Debug)]
pub struct MacView<'a> {
    /// Layer name.
    pub name: &'a str,
    /// The integer layer.
    pub layer: &'a MacLayer,
    /// A linear layer reads its whole input tensor as one receptive field.
    pub linear: bool,
    /// Input tensor id and shape.
    pub input: TensorId,
    /// Input tensor shape.
    pub in_shape: Shape,
    /// Output tensor shape.
    pub out_shape: Shape,
}

impl MacView<'_> {
    /// Products per output value.
    pub fn fan_in(&self) -> usize {
        self.layer.in_ch * self.layer.kernel * self.layer.kernel
    }
    /// Output positions per channel.
    pub fn positions(&self) -> usize {
        self.out_shape.h * self.out_shape.w
    }
    /// Multiplications per inference.
    pub fn macs(&self) -> u64 {
        (self.fan_in() * self.positions() * self.layer.out_ch) as u64
    }
    /// Activation bytes of the receptive field of output position `pos`
    /// (`oy * out_w + ox`), in weight order `[in][ky][kx]`, zero padding as 0.
    pub fn receptive_field(&self, input: &[i32], pos: usize, out: &mut Vec<u8>) {
        out.clear();
        if self.linear {
            out.extend(input.iter().map(|&v| v as u8));
            return;
        }
        let l = self.layer;
        let (h, w) = (self.in_shape.h as isize, self.in_shape.w as isize);
        let (oy, ox) = (
            (pos / self.out_shape.w) as isize,
            (pos % self.out_shape.w) as isize,
        );
        let (y0, x0) = (
            oy * l.stride as isize - l.padding as isize,
            ox * l.stride as isize - l.padding as isize,
        );
        for c in 0..l.in_ch {
            let plane = &input[c * (h * w) as usize..(c + 1) * (h * w) as usize];
            for ky in 0..l.kernel as isize {
                let y = y0 + ky;
                for kx in 0..l.kernel as isize {
                    let x = x0 + kx;
                    out.push(if y < 0 || y >= h || x < 0 || x >= w {
                        0
                    } else {
                        plane[(y * w + x) as usize] as u8
                    });
                }
            }
        }
    }
}

/// The multiplying layers of `net`, in [`IntNetwork::mac_layers`] order,
/// checked for the layout the error model relies on.
pub fn mac_views(net: &IntNetwork) -> Result<Vec<MacView<'_>>> {
    let shapes = net.tensor_shapes();
    let mut views = Vec::new();
    for node in &net.nodes {
        let (layer, linear) = match &node.op {
            Op::Conv(l) => (l, false),
            Op::Linear(l) => (l, true),
            _ => continue,
        };
        let in_shape = *shapes.get(node.input.index()).ok_or_else(|| {
            Error::input(format!(
                "layer '{}': input tensor {} does not exist",
                node.name, node.input
            ))
        })?;
        let v = MacView {
            name: &node.name,
            layer,
            linear,
            input: node.input,
            in_shape,
            out_shape: node.out,
        };
        let fits = if linear {
            in_shape.len() == v.fan_in()
        } else {
            in_shape.c == layer.in_ch
        };
        if !fits || layer.weights.len() != layer.out_ch * v.fan_in() || node.out.c != layer.out_ch {
            return Err(Error::input(format!(
                "layer '{}': input {}x{}x{}, {} weights and output {}x{}x{} do not fit in_ch {}, out_ch {}, kernel {}",
                node.name, in_shape.c, in_shape.h, in_shape.w, layer.weights.len(), node.out.c, node.out.h,
                node.out.w, layer.in_ch, layer.out_ch, layer.kernel
            )));
        }
        views.push(v);
    }
    Ok(views)
}

/// Histogram of a layer's weights (index = weight byte, two's complement).
pub fn weight_hist(weights: &[i8]) -> Vec<u64> {
    let mut h = vec![0u64; 256];
    for &w in weights {
        h[w as u8 as usize] += 1;
    }
    h
}

/// Histogram of activation bytes.
pub fn act_hist(field: &[u8]) -> Vec<u32> {
    let mut h = vec![0u32; 256];
    field.iter().for_each(|&x| h[x as usize] += 1);
    h
}

/// Exact running moments of integer values (order-independent).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct IntMoments {
    /// Number of values added.
    pub count: u64,
    /// Sum of the values.
    pub sum: i128,
    /// Sum of their squares.
    pub sum_sq: i128,
}

impl IntMoments {
    /// Add one value.
    pub fn add(&mut self, v: i64) {
        self.count += 1;
        self.sum += v as i128;
        self.sum_sq += (v as i128) * (v as i128);
    }
    /// Add the moments of another set.
    pub fn merge(&mut self, o: &IntMoments) {
        self.count += o.count;
        self.sum += o.sum;
        self.sum_sq += o.sum_sq;
    }
    /// Population standard deviation.
    pub fn std(&self) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let n = self.count as i128;
        ((n * self.sum_sq - self.sum * self.sum) as f64)
            .max(0.0)
            .sqrt()
            / self.count as f64
    }
    /// Root mean square.
    pub fn rms(&self) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        (self.sum_sq as f64 / self.count as f64).sqrt()
    }
}

/// Draw the calibration images: `min(n_images, total)` distinct indices.
fn draw_images(rng: &mut ChaCha8Rng, total: usize, n_images: usize) -> Vec<usize> {
    let mut idx = rand::seq::index::sample(rng, total, n_images.min(total)).into_vec();
    idx.sort_unstable();
    idx
}

/// Validation images for the error model: `n` of the `total` training
/// images (fewer if not enough remain), drawn with `seed` on ChaCha stream
/// `stream` (calibration draws on stream 0; the error model's validation uses
/// 1, the accuracy budget 2), among those `calibration` did not use; sorted.
/// Held out so that no measurement checks a prediction on the images the
/// prediction was computed from.
pub fn held_out_images(
    total: usize,
    calibration: &[usize],
    n: usize,
    seed: u64,
    stream: u64,
) -> Vec<usize> {
    let used: std::collections::HashSet<usize> = calibration.iter().copied().collect();
    let free: Vec<usize> = (0..total).filter(|i| !used.contains(i)).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    let mut idx: Vec<usize> = rand::seq::index::sample(&mut rng, free.len(), n.min(free.len()))
        .into_iter()
        .map(|k| free[k])
        .collect();
    idx.sort_unstable();
    idx
}

/// Calibrate with a given exact forward pass (`trace` of one image's
/// pixels). `images` holds `N * C * H * W` raw pixels.
pub fn calibrate_with(
    net: &IntNetwork,
    images: &[u8],
    n_images: usize,
    samples: usize,
    seed: u64,
    trace: impl Fn(&[u8]) -> Result<Trace> + Sync,
) -> Result<Calibration> {
    let img_len = net.input.len();
    if img_len == 0 || images.is_empty() || !images.len().is_multiple_of(img_len) {
        return Err(Error::input(format!(
            "calibration images: {} bytes is not a positive multiple of the network input {}x{}x{}",
            images.len(),
            net.input.c,
            net.input.h,
            net.input.w
        )));
    }
    if n_images == 0 || samples == 0 {
        return Err(Error::input(
            "calibration needs at least one image and one sample",
        ));
    }
    let views = mac_views(net)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let indices = draw_images(&mut rng, images.len() / img_len, n_images);
    // Per layer, per sample: (image slot, output position).
    let picks: Vec<Vec<(usize, usize)>> = views
        .iter()
        .map(|v| {
            (0..samples)
                .map(|_| {
                    (
                        rng.random_range(0..indices.len()),
                        rng.random_range(0..v.positions()),
                    )
                })
                .collect()
        })
        .collect();

    let bar = crate::progress::bar(indices.len() as u64, "calibrating");
    // Per image slot: per layer, accumulator moments and (sample, histogram).
    type Slot = Vec<(IntMoments, Vec<(usize, Vec<u8>)>)>;
    let slots: Vec<Slot> = indices
        .par_iter()
        .enumerate()
        .map(|(slot, &img)| {
            let t = trace(&images[img * img_len..(img + 1) * img_len])?;
            if t.accumulators.len() != views.len() {
                return Err(Error::input(
                    "trace has a different number of multiplying layers than the network",
                ));
            }
            let mut field = Vec::new();
            let out = views
                .iter()
                .enumerate()
                .map(|(l, v)| {
                    let mut m = IntMoments::default();
                    t.accumulators[l].iter().for_each(|&a| m.add(a as i64));
                    let hists = picks[l]
                        .iter()
                        .enumerate()
                        .filter(|(_, &(s, _))| s == slot)
                        .map(|(k, &(_, pos))| {
                            v.receptive_field(&t.tensors[v.input], pos, &mut field);
                            (k, field.clone())
                        })
                        .collect();
                    (m, hists)
                })
                .collect();
            bar.inc(1);
            Ok(out)
        })
        .collect::<Result<_>>()?;
    bar.finish_and_clear();

    let layers = views
        .iter()
        .enumerate()
        .map(|(l, v)| {
            let mut m = IntMoments::default();
            let mut fields = vec![Vec::new(); samples];
            for slot in &slots {
                m.merge(&slot[l].0);
                for (k, f) in &slot[l].1 {
                    fields[*k] = f.clone();
                }
            }
            let act_hists = fields.iter().map(|f| act_hist(f)).collect();
            LayerCalib {
                name: v.name.to_string(),
                fan_in: v.fan_in(),
                weight_hist: weight_hist(&v.layer.weights),
                act_hists,
                y_std: m.std(),
                fields,
            }
        })
        .collect();
    Ok(Calibration {
        images: indices.len(),
        seed,
        layers,
        samples,
        image_indices: indices,
    })
}

/// Calibrate `net` on `images` (`N * C * H * W` raw pixels, normally the
/// training set): draw `n_images` of them and `samples` receptive fields
/// per layer with `seed`, run the exact integer simulator on each drawn
/// image.
pub fn calibrate(
    net: &IntNetwork,
    images: &[u8],
    n_images: usize,
    samples: usize,
    seed: u64,
) -> Result<Calibration> {
    let sim = crate::intnet::sim::Simulator::exact(net)?;
    calibrate_with(net, images, n_images, samples, seed, |img| {
        Ok(sim.forward_trace(img))
    })
}

impl Calibration {
    /// Check that this calibration was made for `net`: same multiplying
    /// layers in the same order, same fan-in and weights, well-formed
    /// histograms. `what` names the calibration (its file) in errors.
    pub fn check(&self, net: &IntNetwork, what: &str) -> Result<()> {
        let views = mac_views(net)?;
        let names: Vec<&str> = views.iter().map(|v| v.name).collect();
        let ours: Vec<&str> = self.layers.iter().map(|l| l.name.as_str()).collect();
        if names != ours {
            return Err(Error::input(format!(
                "{what}: layers [{}] do not match the network's multiplying layers [{}]",
                ours.join(", "),
                names.join(", ")
            )));
        }
        for (c, v) in self.layers.iter().zip(&views) {
            let err = |msg: String| Err(Error::input(format!("{what}: layer '{}': {msg}", c.name)));
            if c.fan_in != v.fan_in() {
                return err(format!(
                    "fan-in {} but the network's is {}",
                    c.fan_in,
                    v.fan_in()
                ));
            }
            if c.weight_hist != weight_hist(&v.layer.weights) {
                return err(
                    "weight histogram differs from the network's weights (stale calibration?)"
                        .into(),
                );
            }
            if c.act_hists.is_empty() {
                return err("no activation histograms".into());
            }
            for (s, h) in c.act_hists.iter().enumerate() {
                if h.len() != 256 || h.iter().map(|&x| x as usize).sum::<usize>() != c.fan_in {
                    return err(format!(
                        "activation histogram {s} is not 256 counts summing to the fan-in"
                    ));
                }
            }
            if !c.fields.is_empty()
                && (c.fields.len() != c.act_hists.len()
                    || c.fields
                        .iter()
                        .zip(&c.act_hists)
                        .any(|(f, h)| f.len() != c.fan_in || act_hist(f) != *h))
            {
                return err("receptive fields do not match the activation histograms".into());
            }
            if !c.y_std.is_finite() || c.y_std < 0.0 {
                return err(format!(
                    "y_std {} is not a finite non-negative number",
                    c.y_std
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::intnet::{Node, Requant};

    fn conv(
        in_ch: usize,
        out_ch: usize,
        kernel: usize,
        stride: usize,
        padding: usize,
        seed: i32,
    ) -> MacLayer {
        let n = in_ch * kernel * kernel;
        MacLayer {
            in_ch,
            out_ch,
            kernel,
            stride,
            padding,
            weights: (0..out_ch * n)
                .map(|i| (((i as i32 * 37 + seed * 11) % 200) - 100) as i8)
                .collect(),
            bias: vec![0; out_ch],
            requant: Some(Requant {
                mult: vec![1; out_ch],
                shift: vec![6; out_ch],
                relu: true,
            }),
        }
    }

    /// conv 1->2 (3x3, pad 1) on 1x6x6, flatten, linear 72->3.
    pub(crate) fn toy_net() -> IntNetwork {
        let s = |c, h, w| Shape { c, h, w };
        let mut lin = conv(72, 3, 1, 1, 0, 3);
        lin.requant = None;
        IntNetwork {
            version: 1,
            name: "toy".into(),
            input: s(1, 6, 6),
            input_shift: 0,
            act_max: 255,
            signed: false,
            nodes: vec![
                Node {
                    name: "conv1".into(),
                    input: TensorId(0),
                    op: Op::Conv(conv(1, 2, 3, 1, 1, 1)),
                    out: s(2, 6, 6),
                },
                Node {
                    name: "flat".into(),
                    input: TensorId(1),
                    op: Op::Flatten,
                    out: s(72, 1, 1),
                },
                Node {
                    name: "fc".into(),
                    input: TensorId(2),
                    op: Op::Linear(lin),
                    out: s(3, 1, 1),
                },
            ],
            classes: 3,
        }
    }

    /// Naive exact trace of [`toy_net`]: accumulators by the textbook
    /// convolution loop, activations a fixed function of them.
    pub(crate) fn toy_trace(net: &IntNetwork, img: &[u8]) -> Result<Trace> {
        let Op::Conv(c1) = &net.nodes[0].op else {
            unreachable!()
        };
        let Op::Linear(fc) = &net.nodes[2].op else {
            unreachable!()
        };
        let x: Vec<i32> = img.iter().map(|&p| p as i32).collect();
        let mut acc1 = vec![0i32; 72];
        for o in 0..2 {
            for oy in 0..6i32 {
                for ox in 0..6i32 {
                    let mut a = 0;
                    for ky in 0..3i32 {
                        for kx in 0..3i32 {
                            let (y, xx) = (oy + ky - 1, ox + kx - 1);
                            if (0..6).contains(&y) && (0..6).contains(&xx) {
                                a += x[(y * 6 + xx) as usize]
                                    * c1.weights[o * 9 + (ky * 3 + kx) as usize] as i32;
                            }
                        }
                    }
                    acc1[o * 36 + (oy * 6 + ox) as usize] = a;
                }
            }
        }
        let act1: Vec<i32> = acc1.iter().map(|&a| (a >> 6).clamp(0, 255)).collect();
        let acc2: Vec<i32> = (0..3)
            .map(|o| {
                (0..72)
                    .map(|k| act1[k] * fc.weights[o * 72 + k] as i32)
                    .sum()
            })
            .collect();
        Ok(Trace {
            tensors: vec![x, act1.clone(), act1, acc2.clone()],
            accumulators: vec![acc1, acc2],
        })
    }

    pub(crate) fn toy_images(n: usize) -> Vec<u8> {
        (0..n * 36)
            .map(|i| ((i * 97 + i / 36 * 13) % 256) as u8)
            .collect()
    }

    #[test]
    fn receptive_field_pads_with_zeros() {
        let mut l = conv(1, 1, 3, 1, 1, 0);
        fn view(l: &MacLayer, out: Shape) -> MacView<'_> {
            MacView {
                name: "c",
                layer: l,
                linear: false,
                input: TensorId(0),
                in_shape: Shape { c: 1, h: 3, w: 3 },
                out_shape: out,
            }
        }
        let input: Vec<i32> = (1..=9).collect();
        let mut f = Vec::new();
        view(&l, Shape { c: 1, h: 3, w: 3 }).receptive_field(&input, 0, &mut f);
        assert_eq!(f, vec![0, 0, 0, 0, 1, 2, 0, 4, 5]);
        view(&l, Shape { c: 1, h: 3, w: 3 }).receptive_field(&input, 5, &mut f);
        assert_eq!(f, vec![2, 3, 0, 5, 6, 0, 8, 9, 0]);
        l.stride = 2;
        view(&l, Shape { c: 1, h: 2, w: 2 }).receptive_field(&input, 3, &mut f);
        assert_eq!(f, vec![5, 6, 0, 8, 9, 0, 0, 0, 0]);
    }

    #[test]
    fn calibration_matches_naive_statistics() {
        let net = toy_net();
        let images = toy_images(10);
        let cal = calibrate_with(&net, &images, 4, 50, 7, |img| toy_trace(&net, img)).unwrap();
        assert_eq!(cal.images, 4);
        assert_eq!(cal.image_indices.len(), 4);
        cal.check(&net, "toy").unwrap();
        // y_std over every accumulator of the drawn images, two-pass.
        for l in 0..2 {
            let all: Vec<f64> = cal
                .image_indices
                .iter()
                .flat_map(|&i| {
                    toy_trace(&net, &images[i * 36..(i + 1) * 36])
                        .unwrap()
                        .accumulators[l]
                        .clone()
                })
                .map(|a| a as f64)
                .collect();
            let m = all.iter().sum::<f64>() / all.len() as f64;
            let sd = (all.iter().map(|a| (a - m) * (a - m)).sum::<f64>() / all.len() as f64).sqrt();
            assert!(
                (cal.layers[l].y_std - sd).abs() < 1e-9 * sd.max(1.0),
                "{} vs {sd}",
                cal.layers[l].y_std
            );
        }
        // The linear layer's receptive field is its whole input: every
        // histogram of it is one of the drawn images' activation histograms.
        let fc = &cal.layers[1];
        assert_eq!(fc.act_hists.len(), 50);
        let candidates: Vec<Vec<u32>> = cal
            .image_indices
            .iter()
            .map(|&i| {
                let t = toy_trace(&net, &images[i * 36..(i + 1) * 36]).unwrap();
                let mut h = vec![0u32; 256];
                t.tensors[2].iter().for_each(|&v| h[v as usize] += 1);
                h
            })
            .collect();
        assert!(fc.act_hists.iter().all(|h| candidates.contains(h)));
        // Padded conv fields: corner positions contribute zeros.
        assert!(cal.layers[0]
            .act_hists
            .iter()
            .all(|h| h.iter().sum::<u32>() == 9));
    }

    #[test]
    fn validation_images_are_held_out() {
        let calibration = [0, 3, 4, 9];
        let v = held_out_images(12, &calibration, 5, 7, 1);
        assert_eq!(v.len(), 5);
        assert!(
            v.iter().all(|i| *i < 12 && !calibration.contains(i)),
            "{v:?}"
        );
        assert!(v.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(v, held_out_images(12, &calibration, 5, 7, 1));
        // Fewer left than asked: all of them.
        assert_eq!(held_out_images(6, &calibration, 5, 7, 1), vec![1, 2, 5]);
    }

    #[test]
    fn calibration_is_deterministic_per_seed() {
        let net = toy_net();
        let images = toy_images(20);
        let a = calibrate_with(&net, &images, 5, 40, 3, |img| toy_trace(&net, img)).unwrap();
        let b = calibrate_with(&net, &images, 5, 40, 3, |img| toy_trace(&net, img)).unwrap();
        let c = calibrate_with(&net, &images, 5, 40, 4, |img| toy_trace(&net, img)).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    /// The same statistics through the real simulator on a random network
    /// with residual adds, pooling and strides.
    #[test]
    fn calibrate_runs_the_simulator() {
        for signed in [false, true] {
            let net = crate::intnet::testnet::random(11, signed);
            let images = crate::intnet::testnet::random_images(12, &net, 9);
            let cal = calibrate(&net, &images, 6, 30, 5).unwrap();
            cal.check(&net, "cal").unwrap();
            assert_eq!(cal.layers.len(), net.mac_layers().count());
            let sim = crate::intnet::sim::Simulator::exact(&net).unwrap();
            let len = net.input.len();
            for (l, lc) in cal.layers.iter().enumerate() {
                let mut m = IntMoments::default();
                for &i in &cal.image_indices {
                    sim.forward_trace(&images[i * len..(i + 1) * len])
                        .accumulators[l]
                        .iter()
                        .for_each(|&a| m.add(a as i64));
                }
                assert_eq!(lc.y_std, m.std());
                assert!(lc.y_std > 0.0);
                let max = lc
                    .act_hists
                    .iter()
                    .flat_map(|h| h.iter().enumerate().filter(|(_, &c)| c > 0).map(|(x, _)| x))
                    .max();
                assert!(max.unwrap() as i32 <= net.act_max);
            }
        }
    }

    #[test]
    fn check_names_the_mismatch() {
        let net = toy_net();
        let images = toy_images(3);
        let mut cal = calibrate_with(&net, &images, 3, 10, 1, |img| toy_trace(&net, img)).unwrap();
        cal.layers[1].fan_in = 71;
        let e = cal.check(&net, "calibration.json").unwrap_err().to_string();
        assert!(e.contains("calibration.json: layer 'fc': fan-in 71"), "{e}");
        cal.layers[1].name = "fc2".into();
        let e = cal.check(&net, "calibration.json").unwrap_err().to_string();
        assert!(
            e.contains("[conv1, fc2]") && e.contains("[conv1, fc]"),
            "{e}"
        );
        let bad =
            calibrate_with(&net, &images[..35], 3, 10, 1, |img| toy_trace(&net, img)).unwrap_err();
        assert!(bad.to_string().contains("35 bytes"), "{bad}");
    }
}
