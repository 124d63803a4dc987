//! Bit-exact simulation of the integer network with one product table per
//! multiplying layer. Two implementations of the same arithmetic (module doc
//! of `intnet`): [`reference_trace`], a direct per-image transcription kept
//! obviously correct, and [`Simulator`], which batches images through the
//! lookup-table kernel ([`super::lut`]) and is checked against it.

pub use super::lut::ProductTable;
use super::{arith, lut};
use super::{AddRescale, IntNetwork, MacLayer, Op, Shape};
use crate::data::Dataset;
use crate::error::{Error, Result};
use rayon::prelude::*;

/// Everything one image computes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    /// Every tensor, index = tensor id (0 = the shifted input), `C*H*W` values.
    pub tensors: Vec<Vec<i32>>,
    /// Per multiplying layer (in `mac_layers` order), the raw accumulators
    /// without bias, `[out_ch][oh*ow]`.
    pub accumulators: Vec<Vec<i32>>,
}

/// Accuracy over a set of images.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EvalResult {
    /// Share of images whose label is the top-1 class.
    pub top1: f64,
    /// Share of images whose label is among the 5 top classes.
    pub top5: f64,
    /// Number of images.
    pub n: usize,
}

/// Rank of class `label` in `logits`: how many classes come before it, by
/// larger logit first and, among equal logits, lower class index first.
pub fn rank(logits: &[i32], label: usize) -> usize {
    let l = logits[label];
    logits
        .iter()
        .enumerate()
        .filter(|&(c, &v)| v > l || (v == l && c < label))
        .count()
}

/// Top-1 class (lowest index among equal maxima).
pub fn argmax(logits: &[i32]) -> usize {
    let mut best = 0;
    for (c, &v) in logits.iter().enumerate() {
        if v > logits[best] {
            best = c;
        }
    }
    best
}

/// Images per batch of [`Simulator::logits`] (batches run in parallel). A
/// fully connected layer's GEMM has one position per image: 128 fill two
/// whole 64-position blocks of the lookup-table kernel, and each weight's
/// product row, brought into L1 for the block, serves 128 lookups
/// (LeNet-5 evaluation 1.5x faster than with 32).
const BATCH: usize = 128;

/// Memory a [`PrefixCache`] may hold, in bytes.
pub const PREFIX_CACHE_BYTES: usize = 512 << 20;

/// What every batch of images held just before each multiplying layer in
/// the last [`Simulator::logits_cached`] call, and the simulator that
/// computed it. A later call on the same images whose network and tables
/// agree with that simulator before layer `k` starts at layer `k`. The
/// repair search of `codesign assign` changes one layer per step, so most
/// of its evaluations run only the layers after the changed one. Layers
/// are kept from the last one back while they fit in
/// [`PREFIX_CACHE_BYTES`].
#[derive(Default)]
pub struct PrefixCache {
    images: Vec<u8>,
    sim: Option<Simulator>,
    /// `[layer][batch]`: every tensor (dead ones empty) before the layer.
    at: Vec<Option<Vec<Tensors>>>,
}

/// The tensors of one batch, by tensor index (`[n][C*H*W]` each).
type Tensors = Vec<Vec<i32>>;

/// The network with its product tables, ready to run.
#[derive(Clone, Debug)]
pub struct Simulator {
    net: IntNetwork,
    tables: Vec<ProductTable>,
    /// For each node, its index among the multiplying layers.
    mac_index: Vec<Option<usize>>,
}

impl Simulator {
    /// One table per multiplying layer, in `mac_layers` order; their
    /// signedness must be the network's.
    pub fn new(net: &IntNetwork, tables: Vec<ProductTable>) -> Result<Self> {
        let n_mac = net.mac_layers().count();
        if tables.len() != n_mac {
            return Err(Error::input(format!(
                "network '{}' has {n_mac} multiplying layers but {} product tables were given",
                net.name,
                tables.len()
            )));
        }
        for ((node, _), t) in net.mac_layers().zip(&tables) {
            if t.signed != net.signed {
                return Err(Error::input(format!(
                    "layer '{}': a {} multiplier cannot serve a network built for {} multipliers",
                    node.name,
                    if t.signed { "signed" } else { "unsigned" },
                    if net.signed { "signed" } else { "unsigned" }
                )));
            }
        }
        let mut next = 0;
        let mac_index = net
            .nodes
            .iter()
            .map(|n| {
                n.mac().map(|_| {
                    next += 1;
                    next - 1
                })
            })
            .collect();
        Ok(Simulator {
            net: net.clone(),
            tables,
            mac_index,
        })
    }

    /// Every layer exact.
    pub fn exact(net: &IntNetwork) -> Result<Self> {
        let n = net.mac_layers().count();
        Self::new(net, vec![ProductTable::exact(net.signed); n])
    }

    /// The network being simulated.
    pub fn network(&self) -> &IntNetwork {
        &self.net
    }

    /// The product table of each multiplying layer, in network order.
    pub fn tables(&self) -> &[ProductTable] {
        &self.tables
    }

    /// Logits of one image (`C*H*W` raw pixels).
    pub fn forward(&self, image: &[u8]) -> Vec<i32> {
        self.forward_batch(image, 1)
    }

    /// Every tensor and accumulator of one image.
    pub fn forward_trace(&self, image: &[u8]) -> Trace {
        let (mut tensors, accs) = self.run(image, 1, true);
        Trace {
            tensors: std::mem::take(&mut tensors),
            accumulators: accs,
        }
    }

    /// Logits of `n` images stored one after another, `[n][classes]`.
    pub fn forward_batch(&self, images: &[u8], n: usize) -> Vec<i32> {
        let (mut tensors, _) = self.run(images, n, false);
        tensors.pop().unwrap_or_default()
    }

    /// Logits of every image, `[n][classes]`; batches run in parallel.
    pub fn logits(&self, images: &[u8]) -> Vec<i32> {
        let len = self.net.input.len();
        assert_eq!(
            images.len() % len,
            0,
            "images are not a whole number of {len}-byte images"
        );
        let parts: Vec<Vec<i32>> = images
            .par_chunks(BATCH * len)
            .map(|chunk| self.forward_batch(chunk, chunk.len() / len))
            .collect();
        parts.concat()
    }

    /// [`Simulator::logits`], started from what `cache` kept of an earlier
    /// call where that call's network and tables agree with this one's
    /// (the same logits, bit for bit); `cache` then holds this call's.
    pub fn logits_cached(&self, images: &[u8], cache: &mut PrefixCache) -> Vec<i32> {
        let net = &self.net;
        let len = net.input.len();
        assert_eq!(
            images.len() % len,
            0,
            "images are not a whole number of {len}-byte images"
        );
        let layer_node: Vec<usize> = (0..net.nodes.len())
            .filter(|&i| self.mac_index[i].is_some())
            .collect();
        let layers = layer_node.len();
        if cache.images != images {
            *cache = PrefixCache {
                images: images.to_vec(),
                ..Default::default()
            };
        }
        cache.at.resize(layers, None);
        let agrees = |old: &Simulator, k: usize| {
            (old.net.input_shift, old.net.act_max, old.net.signed)
                == (net.input_shift, net.act_max, net.signed)
                && old.net.nodes[..layer_node[k]] == net.nodes[..layer_node[k]]
                && old.tables[..k] == self.tables[..k]
        };
        let start = cache.sim.as_ref().and_then(|old| {
            (0..layers)
                .rev()
                .find(|&k| cache.at[k].is_some() && agrees(old, k))
        });
        // Layers kept: from the last back, while their tensors fit.
        let shapes = net.tensor_shapes();
        let last_use = last_uses(net);
        let images_n = images.len() / len;
        let mut budget = PREFIX_CACHE_BYTES;
        let mut keep = vec![false; layers];
        for k in (0..layers).rev() {
            let i = layer_node[k];
            let live: usize = (0..=i)
                .filter(|&t| last_use[t] >= i)
                .map(|t| shapes[t].len())
                .sum();
            let bytes = live * images_n * std::mem::size_of::<i32>();
            if bytes > budget {
                break;
            }
            budget -= bytes;
            keep[k] = true;
        }
        // What this call recomputes replaces the old entries.
        let from = start.unwrap_or(0);
        for entry in cache.at.iter_mut().skip(from + 1) {
            *entry = None;
        }
        let begin = start.map(|k| cache.at[k].take().expect("a kept layer"));
        let parts: Vec<(Vec<i32>, Vec<Option<Tensors>>)> = images
            .par_chunks(BATCH * len)
            .enumerate()
            .map(|(b, chunk)| {
                let n = chunk.len() / len;
                let tensors = match &begin {
                    Some(batches) => batches[b].clone(),
                    None => vec![self.input_tensor(chunk)],
                };
                let mut kept = vec![None; layers];
                let node = start.map_or(0, |k| layer_node[k]);
                let (mut t, _) = self.run_from(node, tensors, n, false, |k, ts| {
                    if keep[k] {
                        kept[k] = Some(ts.to_vec());
                    }
                });
                (t.pop().unwrap_or_default(), kept)
            })
            .collect();
        let mut logits = Vec::with_capacity(images_n * net.classes);
        for (entry, &kept) in cache.at.iter_mut().zip(&keep).skip(from) {
            *entry = kept.then(Vec::new);
        }
        for (l, kept) in parts {
            logits.extend(l);
            for (k, t) in kept.into_iter().enumerate().skip(from) {
                if let (Some(entry), Some(t)) = (cache.at[k].as_mut(), t) {
                    entry.push(t);
                }
            }
        }
        cache.sim = Some(self.clone());
        logits
    }

    /// Top-1 and top-5 accuracy on images (`[n][C*H*W]`) with labels.
    pub fn evaluate_images(&self, images: &[u8], labels: &[u8]) -> EvalResult {
        let logits = self.logits(images);
        accuracy(&logits, labels, self.net.classes)
    }

    /// Top-1 and top-5 accuracy on a data set (checked against the
    /// network's input shape and class count).
    pub fn evaluate(&self, data: &Dataset) -> Result<EvalResult> {
        Ok(accuracy(
            &self.dataset_logits(data)?,
            &data.labels,
            self.net.classes,
        ))
    }

    /// Logits of every image of a data set, `[n][classes]`.
    pub fn dataset_logits(&self, data: &Dataset) -> Result<Vec<i32>> {
        self.check_dataset(data)?;
        Ok(self.logits(&data.images))
    }

    /// Errors: `data`'s image shape, classes or labels do not fit the
    /// network, or its pixels are not a whole number of images.
    pub fn check_dataset(&self, data: &Dataset) -> Result<()> {
        let want = self.net.input;
        if (data.c, data.h, data.w) != (want.c, want.h, want.w) {
            return Err(Error::input(format!(
                "data set images are {}x{}x{} but network '{}' takes {}x{}x{}",
                data.c, data.h, data.w, self.net.name, want.c, want.h, want.w
            )));
        }
        if data.classes != self.net.classes {
            return Err(Error::input(format!(
                "data set has {} classes but network '{}' outputs {}",
                data.classes, self.net.name, self.net.classes
            )));
        }
        if let Some(&bad) = data
            .labels
            .iter()
            .find(|&&l| l as usize >= self.net.classes)
        {
            return Err(Error::input(format!(
                "data set label {bad} is not a class of network '{}'",
                self.net.name
            )));
        }
        if data.images.len() != data.labels.len() * want.len() {
            return Err(Error::input(format!(
                "data set has {} pixels for {} labels of {}-pixel images",
                data.images.len(),
                data.labels.len(),
                want.len()
            )));
        }
        Ok(())
    }

    /// Runs `n` images; every tensor is `[n][C*H*W]`. Keeps all tensors and
    /// accumulators when `keep` (trace), else drops tensors once unused.
    fn run(&self, images: &[u8], n: usize, keep: bool) -> (Vec<Vec<i32>>, Vec<Vec<i32>>) {
        let net = &self.net;
        assert_eq!(
            images.len(),
            n * net.input.len(),
            "image size does not match the network input"
        );
        self.run_from(0, vec![self.input_tensor(images)], n, keep, |_, _| {})
    }

    /// Tensor 0 of a batch: its raw pixels as input activations.
    fn input_tensor(&self, images: &[u8]) -> Vec<i32> {
        images
            .iter()
            .map(|&p| arith::input_activation(p, self.net.input_shift))
            .collect()
    }

    /// [`Simulator::run`] from node `start` on: `tensors` holds tensors
    /// `0..=start` (those no node from `start` on reads may be empty).
    /// `before_mac(k, tensors)` sees the tensors just before multiplying
    /// layer `k` runs (what [`PrefixCache`] keeps).
    fn run_from(
        &self,
        start: usize,
        mut tensors: Vec<Vec<i32>>,
        n: usize,
        keep: bool,
        mut before_mac: impl FnMut(usize, &[Vec<i32>]),
    ) -> (Vec<Vec<i32>>, Vec<Vec<i32>>) {
        let net = &self.net;
        let shapes = net.tensor_shapes();
        let last_use = last_uses(net);
        let mut accs = Vec::new();
        for (i, node) in net.nodes.iter().enumerate().skip(start) {
            if let Some(k) = self.mac_index[i] {
                before_mac(k, &tensors);
            }
            let s = shapes[node.input];
            let input = &tensors[node.input];
            let out = match &node.op {
                Op::Conv(l) | Op::Linear(l) => {
                    let table = &self.tables[self.mac_index[i].expect("mac node")];
                    let x: Vec<u8> = input.iter().map(|&v| v as u8).collect();
                    let (c, h, w) = match node.op {
                        Op::Linear(_) => (s.len(), 1, 1),
                        _ => (s.c, s.h, s.w),
                    };
                    let acc = lut::conv2d(
                        table,
                        &l.weights,
                        l.out_ch,
                        l.kernel,
                        l.stride,
                        l.padding,
                        &x,
                        [n, c, h, w],
                    );
                    let y = finish_mac(l, &acc, node.out.h * node.out.w, net.act_max);
                    if keep {
                        accs.push(acc);
                    }
                    y
                }
                Op::MaxPool { kernel, stride } => per_image(input, n, s, node.out, |a, y| {
                    max_pool(a, s, y, node.out, *kernel, *stride)
                }),
                Op::AvgPool { kernel, stride } => per_image(input, n, s, node.out, |a, y| {
                    avg_pool(a, s, y, node.out, *kernel, *stride)
                }),
                Op::GlobalAvgPool => {
                    per_image(input, n, s, node.out, |a, y| global_avg_pool(a, s, y))
                }
                Op::Flatten => input.clone(),
                Op::Add {
                    other,
                    params:
                        AddRescale {
                            mult_a,
                            mult_b,
                            shift,
                        },
                } => add(
                    input,
                    &tensors[*other],
                    *mult_a,
                    *mult_b,
                    *shift,
                    net.act_max,
                ),
            };
            tensors.push(out);
            if !keep {
                for (t, &lu) in last_use.iter().enumerate().take(i + 1) {
                    if lu == i {
                        tensors[t] = Vec::new();
                    }
                }
            }
        }
        (tensors, accs)
    }
}

/// Top-1/top-5 accuracy of `[n][classes]` logits.
pub fn accuracy(logits: &[i32], labels: &[u8], classes: usize) -> EvalResult {
    let n = labels.len();
    assert_eq!(logits.len(), n * classes);
    let (mut c1, mut c5) = (0usize, 0usize);
    for (l, &label) in logits.chunks(classes).zip(labels) {
        let r = rank(l, label as usize);
        c1 += (r == 0) as usize;
        c5 += (r < 5) as usize;
    }
    let frac = |c: usize| if n == 0 { 0.0 } else { c as f64 / n as f64 };
    EvalResult {
        top1: frac(c1),
        top5: frac(c5),
        n,
    }
}

/// Last node index that reads each tensor (the final tensor: never freed).
fn last_uses(net: &IntNetwork) -> Vec<usize> {
    let mut last = vec![usize::MAX; net.nodes.len() + 1];
    for (i, node) in net.nodes.iter().enumerate() {
        last[node.input] = i;
        if let Op::Add { other, .. } = node.op {
            last[other] = i;
        }
    }
    last[net.nodes.len()] = usize::MAX;
    last
}

/// Apply `f` to each image of a batch tensor.
fn per_image(
    input: &[i32],
    n: usize,
    s: Shape,
    o: Shape,
    f: impl Fn(&[i32], &mut [i32]),
) -> Vec<i32> {
    let mut out = vec![0i32; n * o.len()];
    for (a, y) in input.chunks(s.len()).zip(out.chunks_mut(o.len())) {
        f(a, y);
    }
    out
}

/// Bias and requantization of batch accumulators `[n][out_ch][positions]`.
fn finish_mac(l: &MacLayer, acc: &[i32], positions: usize, act_max: i32) -> Vec<i32> {
    acc.chunks(positions)
        .enumerate()
        .flat_map(|(j, ch)| {
            let o = j % l.out_ch;
            ch.iter()
                .map(move |&a| l.output(o, arith::accumulate(a, l.bias[o]), act_max))
        })
        .collect()
}

/// Residual addition, elementwise ([`arith::residual_add`]).
fn add(a: &[i32], b: &[i32], mult_a: i32, mult_b: i32, shift: u32, act_max: i32) -> Vec<i32> {
    a.iter()
        .zip(b)
        .map(|(&a, &b)| {
            arith::residual_add(
                a as i64,
                b as i64,
                mult_a as i64,
                mult_b as i64,
                shift,
                act_max,
            )
        })
        .collect()
}

/// Sliding-window pooling of one image: `f` reduces each window.
fn pool(
    a: &[i32],
    s: Shape,
    o: Shape,
    k: usize,
    stride: usize,
    y: &mut [i32],
    f: impl Fn(&mut dyn Iterator<Item = i32>) -> i32,
) {
    for c in 0..s.c {
        for oy in 0..o.h {
            for ox in 0..o.w {
                let mut window = (0..k).flat_map(|ky| {
                    let row = (c * s.h + oy * stride + ky) * s.w + ox * stride;
                    a[row..row + k].iter().copied()
                });
                y[(c * o.h + oy) * o.w + ox] = f(&mut window);
            }
        }
    }
}

fn max_pool(a: &[i32], s: Shape, y: &mut [i32], o: Shape, k: usize, stride: usize) {
    pool(a, s, o, k, stride, y, |w| w.max().unwrap_or(0));
}

fn avg_pool(a: &[i32], s: Shape, y: &mut [i32], o: Shape, k: usize, stride: usize) {
    pool(a, s, o, k, stride, y, |w| {
        arith::round_mean(w.map(|v| v as i64).sum(), k * k)
    });
}

fn global_avg_pool(a: &[i32], s: Shape, y: &mut [i32]) {
    let n = s.h * s.w;
    for (c, v) in y.iter_mut().enumerate().take(s.c) {
        *v = arith::round_mean(a[c * n..][..n].iter().map(|&v| v as i64).sum(), n);
    }
}

/// The arithmetic of the contract transcribed directly, one image, one
/// multiplication at a time; the definition [`Simulator`] is tested against.
/// `tables` as for [`Simulator::new`] (not checked here).
pub fn reference_trace(net: &IntNetwork, tables: &[ProductTable], image: &[u8]) -> Trace {
    let shapes = net.tensor_shapes();
    let mut tensors: Vec<Vec<i32>> = vec![image
        .iter()
        .map(|&p| arith::input_activation(p, net.input_shift))
        .collect()];
    let mut accumulators = Vec::new();
    let mut tables = tables.iter();
    for node in &net.nodes {
        let s = shapes[node.input];
        let o = node.out;
        let x = &tensors[node.input];
        let mut y = vec![0i32; o.len()];
        match &node.op {
            Op::Conv(l) | Op::Linear(l) => {
                let table = tables.next().expect("one table per multiplying layer");
                // A linear layer is a 1x1 convolution of the flattened input.
                let s = if matches!(node.op, Op::Linear(_)) {
                    Shape {
                        c: s.len(),
                        h: 1,
                        w: 1,
                    }
                } else {
                    s
                };
                let (k, st, pad) = (l.kernel, l.stride, l.padding as isize);
                let mut acc = vec![0i32; o.len()];
                for oc in 0..o.c {
                    for oy in 0..o.h {
                        for ox in 0..o.w {
                            let mut sum = 0i32;
                            for ic in 0..s.c {
                                for ky in 0..k {
                                    for kx in 0..k {
                                        let iy = (oy * st + ky) as isize - pad;
                                        let ix = (ox * st + kx) as isize - pad;
                                        let inside = iy >= 0
                                            && ix >= 0
                                            && iy < s.h as isize
                                            && ix < s.w as isize;
                                        let xv = if inside {
                                            x[(ic * s.h + iy as usize) * s.w + ix as usize]
                                        } else {
                                            0
                                        };
                                        let wv = l.weights[((oc * s.c + ic) * k + ky) * k + kx];
                                        sum = arith::accumulate(sum, table.prod(xv as u8, wv));
                                    }
                                }
                            }
                            let at = (oc * o.h + oy) * o.w + ox;
                            acc[at] = sum;
                            let a = arith::accumulate(sum, l.bias[oc]);
                            y[at] = l.output(oc, a, net.act_max);
                        }
                    }
                }
                accumulators.push(acc);
            }
            Op::MaxPool { kernel, stride } | Op::AvgPool { kernel, stride } => {
                let is_max = matches!(node.op, Op::MaxPool { .. });
                for c in 0..o.c {
                    for oy in 0..o.h {
                        for ox in 0..o.w {
                            let mut vals = Vec::new();
                            for ky in 0..*kernel {
                                for kx in 0..*kernel {
                                    vals.push(
                                        x[(c * s.h + oy * stride + ky) * s.w + ox * stride + kx],
                                    );
                                }
                            }
                            let sum: i64 = vals.iter().map(|&v| v as i64).sum();
                            y[(c * o.h + oy) * o.w + ox] = if is_max {
                                *vals.iter().max().unwrap()
                            } else {
                                arith::round_mean(sum, vals.len())
                            };
                        }
                    }
                }
            }
            Op::GlobalAvgPool => {
                let n = s.h * s.w;
                for c in 0..s.c {
                    let sum: i64 = x[c * n..(c + 1) * n].iter().map(|&v| v as i64).sum();
                    y[c] = arith::round_mean(sum, n);
                }
            }
            Op::Flatten => y.copy_from_slice(x),
            Op::Add {
                other,
                params:
                    AddRescale {
                        mult_a,
                        mult_b,
                        shift,
                    },
            } => {
                let b = &tensors[*other];
                for j in 0..y.len() {
                    y[j] = arith::residual_add(
                        x[j] as i64,
                        b[j] as i64,
                        *mult_a as i64,
                        *mult_b as i64,
                        *shift,
                        net.act_max,
                    );
                }
            }
        }
        tensors.push(y);
    }
    Trace {
        tensors,
        accumulators,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{testnet, validate, Node, Requant, FORMAT_VERSION};
    use super::*;
    use crate::errmap::ErrorMap;
    use crate::intnet::TensorId;

    fn node(name: &str, input: usize, op: Op, c: usize, h: usize, w: usize) -> Node {
        Node {
            name: name.into(),
            input: TensorId(input),
            op,
            out: Shape { c, h, w },
        }
    }

    #[allow(clippy::too_many_arguments)] // one argument per MacLayer field
    fn mac(
        in_ch: usize,
        out_ch: usize,
        kernel: usize,
        stride: usize,
        padding: usize,
        weights: Vec<i8>,
        bias: Vec<i32>,
        requant: Option<Requant>,
    ) -> MacLayer {
        MacLayer {
            in_ch,
            out_ch,
            kernel,
            stride,
            padding,
            weights,
            bias,
            requant,
        }
    }

    fn net(input: Shape, signed: bool, nodes: Vec<Node>, classes: usize) -> IntNetwork {
        let n = IntNetwork {
            version: FORMAT_VERSION,
            name: "hand".into(),
            input,
            input_shift: signed as u32,
            act_max: if signed { 127 } else { 255 },
            signed,
            nodes,
            classes,
        };
        validate(&n).unwrap();
        n
    }

    /// 3x3 input, 2x2 kernel, stride 2, padding 1 (hand-computed).
    fn padded_conv() -> IntNetwork {
        let l = mac(1, 1, 2, 2, 1, vec![1, 2, 3, -1], vec![5], None);
        net(
            Shape { c: 1, h: 3, w: 3 },
            false,
            vec![node("conv", 0, Op::Conv(l), 1, 2, 2)],
            4,
        )
    }

    #[test]
    fn conv_with_padding_and_stride() {
        let n = padded_conv();
        let image = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        let sim = Simulator::exact(&n).unwrap();
        let t = sim.forward_trace(&image);
        assert_eq!(t.accumulators, vec![vec![-1, 3, 1, 32]]);
        assert_eq!(sim.forward(&image), vec![4, 8, 6, 37]);
        // M(x, b) = x*b + 1: each padded position adds +-M(0, |w|) = +-1.
        let plus_one = ProductTable::new(&ErrorMap::from_fn(false, |a, b| a * b + 1));
        let sim = Simulator::new(&n, vec![plus_one.clone()]).unwrap();
        // (0,0): 3 padded (+1 each) and x=1, w=-1: -(1+1).
        // (0,1): 2 padded (w=1,2), 2*3+1, -(3+1).   (1,0): 2 padded (w=1,3), 4*2+1, -(7+1).
        // (1,1): 5+1, 12+1, 24+1, -(9+1).
        assert_eq!(
            sim.forward_trace(&image).accumulators,
            vec![vec![1, 5, 3, 34]]
        );
        assert_eq!(
            reference_trace(&n, &[plus_one], &image).accumulators,
            vec![vec![1, 5, 3, 34]]
        );
    }

    /// conv 1x1 (2 channels, requant with rounding and a negative
    /// accumulator) -> maxpool, avgpool -> add -> flatten -> linear.
    fn small_graph() -> IntNetwork {
        let rq = Requant {
            mult: vec![3, 1],
            shift: vec![2, 1],
            relu: true,
        };
        let conv = mac(1, 2, 1, 1, 0, vec![1, -2], vec![3, 50], Some(rq));
        let fc = mac(
            2,
            3,
            1,
            1,
            0,
            vec![1, 0, 0, 1, 2, -1],
            vec![0, 0, -100],
            None,
        );
        net(
            Shape { c: 1, h: 2, w: 2 },
            false,
            vec![
                node("conv", 0, Op::Conv(conv), 2, 2, 2),
                node(
                    "max",
                    1,
                    Op::MaxPool {
                        kernel: 2,
                        stride: 2,
                    },
                    2,
                    1,
                    1,
                ),
                node(
                    "avg",
                    1,
                    Op::AvgPool {
                        kernel: 2,
                        stride: 2,
                    },
                    2,
                    1,
                    1,
                ),
                node(
                    "add",
                    2,
                    Op::Add {
                        other: TensorId(3),
                        params: AddRescale {
                            mult_a: 1,
                            mult_b: 3,
                            shift: 1,
                        },
                    },
                    2,
                    1,
                    1,
                ),
                node("flat", 4, Op::Flatten, 2, 1, 1),
                node("fc", 5, Op::Linear(fc), 3, 1, 1),
            ],
            3,
        )
    }

    #[test]
    fn requant_pools_add_and_linear() {
        let n = small_graph();
        let sim = Simulator::exact(&n).unwrap();
        let t = sim.forward_trace(&[10, 20, 30, 40]);
        // ch0: (x+3)*3+2 >> 2; ch1: (-2x+50)+1 >> 1, negatives clamp to 0.
        assert_eq!(t.accumulators[0], vec![10, 20, 30, 40, -20, -40, -60, -80]);
        assert_eq!(t.tensors[1], vec![10, 17, 25, 32, 15, 5, 0, 0]);
        assert_eq!(t.tensors[2], vec![32, 15]);
        // (84 + 2) / 4 = 21, (20 + 2) / 4 = 5.
        assert_eq!(t.tensors[3], vec![21, 5]);
        // (32 + 63 + 1) >> 1 = 48 (47.5 rounds up), (15 + 15 + 1) >> 1 = 15.
        assert_eq!(t.tensors[4], vec![48, 15]);
        assert_eq!(t.tensors[6], vec![48, 15, 96 - 15 - 100]);
        assert_eq!(t.accumulators[1], vec![48, 15, 81]);
        assert_eq!(t, reference_trace(&n, sim.tables(), &[10, 20, 30, 40]));
    }

    #[test]
    fn global_average_rounds_half_up() {
        let s = Shape { c: 3, h: 2, w: 2 };
        let mut y = [0; 3];
        global_avg_pool(&[1, 2, 2, 2, 1, 1, 1, 2, 1, 2, 1, 2], s, &mut y);
        assert_eq!(y, [2, 1, 2]); // 1.75, 1.25, 1.5
    }

    #[test]
    fn signed_input_shift_and_negative_products() {
        let fc = mac(2, 2, 1, 1, 0, vec![-127, 5, 1, 1], vec![0, 0], None);
        let n = net(
            Shape { c: 2, h: 1, w: 1 },
            true,
            vec![node("fc", 0, Op::Linear(fc), 2, 1, 1)],
            2,
        );
        let sim = Simulator::exact(&n).unwrap();
        assert_eq!(sim.forward(&[255, 3]), vec![-127 * 127 + 5, 128]);
        assert!(Simulator::new(&n, vec![ProductTable::exact(false)]).is_err());
        assert!(Simulator::new(&n, vec![]).is_err());
    }

    fn approx_tables(net: &IntNetwork, seed: i32) -> Vec<ProductTable> {
        let n = net.mac_layers().count();
        (0..n as i32)
            .map(|i| {
                let map = if net.signed {
                    ErrorMap::from_fn(true, move |a, b| ((a * b) ^ (seed + i)) & !3)
                } else {
                    ErrorMap::from_fn(false, move |a, b| ((a * b) & !0x1f) + ((a + b + i) & 3))
                };
                ProductTable::new(&map)
            })
            .collect()
    }

    #[test]
    fn simulator_matches_reference_on_random_networks() {
        for seed in 0..6u64 {
            for signed in [false, true] {
                let net = testnet::random(seed, signed);
                let images = testnet::random_images(seed, &net, 5);
                for tables in [
                    vec![ProductTable::exact(signed); net.mac_layers().count()],
                    approx_tables(&net, seed as i32),
                ] {
                    let sim = Simulator::new(&net, tables.clone()).unwrap();
                    let batch = sim.logits(&images);
                    for (i, img) in images.chunks(net.input.len()).enumerate() {
                        let want = reference_trace(&net, &tables, img);
                        let got = sim.forward_trace(img);
                        assert_eq!(got, want, "seed {seed} signed {signed} image {i}");
                        assert_eq!(
                            &batch[i * net.classes..][..net.classes],
                            want.tensors.last().unwrap().as_slice()
                        );
                    }
                }
            }
        }
    }

    /// The prefix cache gives the logits of a fresh run after every change
    /// (one layer's table, a bias, several layers, back again), and a run
    /// that agrees with the cached one before layer `k` starts there: the
    /// cached tensors, spoiled, spoil its logits.
    #[test]
    fn logits_from_the_prefix_cache_are_those_of_a_fresh_run() {
        for seed in 0..4u64 {
            for signed in [false, true] {
                let net = testnet::random(seed, signed);
                let layers = net.mac_layers().count();
                assert!(layers >= 2);
                // Three batches, the last one short.
                let images = testnet::random_images(seed, &net, 2 * BATCH + 5);
                let exact = vec![ProductTable::exact(signed); layers];
                let approx = approx_tables(&net, seed as i32);
                let mut biased = net.clone();
                let last = biased
                    .nodes
                    .iter()
                    .rposition(|n| n.mac().is_some())
                    .unwrap();
                if let Op::Conv(l) | Op::Linear(l) = &mut biased.nodes[last].op {
                    l.bias.iter_mut().for_each(|b| *b += 3);
                }
                let mut one = exact.clone();
                one[layers - 1] = approx[layers - 1].clone();
                let mut first = exact.clone();
                first[0] = approx[0].clone();
                let mut cache = PrefixCache::default();
                for (n, tables) in [
                    (&net, &exact),
                    (&net, &one),
                    (&biased, &one),
                    (&net, &approx),
                    (&net, &first),
                    (&net, &exact),
                ] {
                    let sim = Simulator::new(n, tables.clone()).unwrap();
                    assert_eq!(
                        sim.logits_cached(&images, &mut cache),
                        sim.logits(&images),
                        "seed {seed} signed {signed}"
                    );
                }
                // Only the last layer changes: the run starts there.
                for batch in cache.at[layers - 1].as_mut().unwrap() {
                    for t in batch.iter_mut() {
                        t.iter_mut().for_each(|v| *v = (*v + 7) & 0x7f);
                    }
                }
                let sim = Simulator::new(&net, one.clone()).unwrap();
                assert_ne!(sim.logits_cached(&images, &mut cache), sim.logits(&images));
            }
        }
    }

    #[test]
    fn random_networks_use_the_activation_range() {
        let net = testnet::random(1, false);
        let sim = Simulator::exact(&net).unwrap();
        let t = sim.forward_trace(&testnet::random_images(2, &net, 1));
        let a = &t.tensors[1];
        let zeros = a.iter().filter(|&&v| v == 0).count();
        let sat = a.iter().filter(|&&v| v == 255).count();
        assert!(
            zeros < a.len() * 3 / 4 && sat < a.len() / 2,
            "zeros {zeros} saturated {sat} of {}",
            a.len()
        );
    }

    #[test]
    fn evaluate_on_a_dataset() {
        let net = testnet::random(4, false);
        let sim = Simulator::exact(&net).unwrap();
        let images = testnet::random_images(9, &net, 40);
        // Labels: the reference's top-1 for half the images, another class otherwise.
        let labels: Vec<u8> = images
            .chunks(net.input.len())
            .enumerate()
            .map(|(i, img)| {
                let top = argmax(
                    reference_trace(&net, sim.tables(), img)
                        .tensors
                        .last()
                        .unwrap(),
                ) as u8;
                if i % 2 == 0 {
                    top
                } else {
                    (top + 1) % net.classes as u8
                }
            })
            .collect();
        let s = net.input;
        let data = Dataset {
            c: s.c,
            h: s.h,
            w: s.w,
            classes: net.classes,
            images,
            labels,
        };
        let r = sim.evaluate(&data).unwrap();
        assert_eq!((r.top1, r.n), (0.5, 40));
        assert!(r.top5 >= 0.5);
        let wrong = Dataset {
            h: s.h + 1,
            ..data.clone()
        };
        assert!(sim
            .evaluate(&wrong)
            .unwrap_err()
            .to_string()
            .contains("takes"));
        let wrong = Dataset { classes: 3, ..data };
        assert!(sim
            .evaluate(&wrong)
            .unwrap_err()
            .to_string()
            .contains("classes"));
    }

    #[test]
    fn accuracy_ranks_ties_by_class_index() {
        assert_eq!(rank(&[5, 7, 7, 1], 2), 1);
        assert_eq!(rank(&[5, 7, 7, 1], 3), 3);
        assert_eq!(rank(&[5, 7, 7, 1], 1), 0);
        assert_eq!(argmax(&[5, 7, 7, 1]), 1);
        let r = accuracy(&[1, 2, 3, 3, 2, 1], &[2, 1], 3);
        assert_eq!((r.top1, r.n), (0.5, 2));
    }
}
