//! Random valid integer networks for tests (simulator, RTL co-simulation):
//! conv with padding and stride, max/avg pooling, a residual add, global
//! average pooling, flatten and a linear classifier. Seeded: the same
//! options give the same network bit for bit. Requantization is scaled so
//! that activations spread over the range instead of saturating.

use super::{
    window_out, AddRescale, IntNetwork, MacLayer, Node, Op, Requant, Shape, TensorId,
    FORMAT_VERSION,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What to generate.
#[derive(Clone, Debug)]
pub struct Options {
    pub signed: bool,
    pub input: Shape,
    pub classes: usize,
    /// Channels of the first conv (later ones vary around it).
    pub width: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            signed: false,
            input: Shape { c: 3, h: 8, w: 8 },
            classes: 10,
            width: 6,
        }
    }
}

/// A random network with default options and the given signedness.
pub fn random(seed: u64, signed: bool) -> IntNetwork {
    random_with(
        seed,
        &Options {
            signed,
            ..Options::default()
        },
    )
}

/// Random raw images (`n * input.len()` pixels).
pub fn random_images(seed: u64, net: &IntNetwork, n: usize) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n * net.input.len()).map(|_| rng.random()).collect()
}

/// A random network: conv (3x3, pad 1) -> conv (3x3, pad 1) -> add with the
/// first conv's output -> conv (stride 2, random padding) -> a residual
/// block with raw accumulators on both branches (3x3 conv, 1x1 projection)
/// -> one with a raw conv and the identity -> max or avg pool (when the map is large enough) -> global average pool -> flatten ->
/// linear (raw logits).
pub fn random_with(seed: u64, opt: &Options) -> IntNetwork {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let act_max = if opt.signed { 127 } else { 255 };
    let mut b = NetBuilder {
        nodes: Vec::new(),
        shapes: vec![opt.input],
        act_max,
        rng: &mut rng,
    };
    let c1 = opt.width.max(1);
    let t1 = b.conv("conv1", 0, c1, 3, 1, 1, true);
    let t2 = b.conv("conv2", t1, c1, 3, 1, 1, true);
    let t3 = b.add("add1", t2, t1);
    let pad = b.rng.random_range(0..=1);
    let c3 = c1 + b.rng.random_range(1..=4);
    let mut t = b.conv("conv3", t3, c3, 3, 2, pad, true);
    // Two blocks in the paper's form (add before the ReLU): raw conv plus a
    // raw 1x1 projection, then raw conv plus the identity.
    let r1 = b.mac("conv4", t, c3, 3, 1, 1, false, false);
    let r2 = b.mac("short4", t, c3, 1, 1, 0, false, false);
    // The projection rescales its channels to one unit without the clamp.
    let shift: Vec<u32> = (0..c3).map(|_| b.rng.random_range(2..=6)).collect();
    let mult = shift
        .iter()
        .map(|&s| b.rng.random_range(1i32 << (s - 1)..=1 << s))
        .collect();
    if let Op::Conv(l) = &mut b.nodes[r2 - 1].op {
        l.requant = Some(Requant {
            mult,
            shift,
            relu: false,
        });
    }
    t = b.add_scaled("add2", r1, r2, [true, true]);
    let r3 = b.mac("conv5", t, c3, 3, 1, 1, false, false);
    t = b.add_scaled("add3", r3, t, [true, false]);
    let s = b.shapes[t];
    if s.h >= 2 && s.w >= 2 {
        let max = b.rng.random_bool(0.5);
        let op = if max {
            Op::MaxPool {
                kernel: 2,
                stride: 2,
            }
        } else {
            Op::AvgPool {
                kernel: 2,
                stride: 2,
            }
        };
        let out = Shape {
            c: s.c,
            h: window_out(s.h, 2, 2, 0).unwrap(),
            w: window_out(s.w, 2, 2, 0).unwrap(),
        };
        t = b.push(if max { "pool" } else { "avgpool" }, t, op, out);
    }
    let s = b.shapes[t];
    t = b.push("gap", t, Op::GlobalAvgPool, Shape { c: s.c, h: 1, w: 1 });
    let s = b.shapes[t];
    t = b.push(
        "flatten",
        t,
        Op::Flatten,
        Shape {
            c: s.len(),
            h: 1,
            w: 1,
        },
    );
    b.conv("fc", t, opt.classes, 1, 1, 0, false);
    IntNetwork {
        version: FORMAT_VERSION,
        name: format!("random{seed}"),
        input: opt.input,
        input_shift: if opt.signed { 1 } else { 0 },
        act_max,
        signed: opt.signed,
        nodes: b.nodes,
        classes: opt.classes,
    }
}

struct NetBuilder<'r> {
    nodes: Vec<Node>,
    shapes: Vec<Shape>,
    act_max: i32,
    rng: &'r mut ChaCha8Rng,
}

impl Node {
    /// Fan-in of a multiplying node (1 for others).
    fn op_fan_in(&self) -> usize {
        self.mac().map_or(1, MacLayer::fan_in)
    }
}

impl NetBuilder<'_> {
    fn push(&mut self, name: &str, input: usize, op: Op, out: Shape) -> usize {
        self.nodes.push(Node {
            name: name.into(),
            input: TensorId(input),
            op,
            out,
        });
        self.shapes.push(out);
        self.shapes.len() - 1
    }

    /// A conv (or, with `requant == false`, the final linear layer).
    #[allow(clippy::too_many_arguments)]
    fn conv(
        &mut self,
        name: &str,
        input: usize,
        out_ch: usize,
        k: usize,
        stride: usize,
        pad: usize,
        requant: bool,
    ) -> usize {
        self.mac(name, input, out_ch, k, stride, pad, !requant, requant)
    }

    /// Typical magnitude of a layer's accumulators for fan-in `fan_in`:
    /// `sqrt(fan_in) * act_max / 2 * 64`.
    fn spread(&self, fan_in: usize) -> f64 {
        (fan_in as f64).sqrt() * (self.act_max as f64 / 2.0) * 64.0
    }

    /// A conv or linear layer, requantized or with raw accumulators.
    #[allow(clippy::too_many_arguments)]
    fn mac(
        &mut self,
        name: &str,
        input: usize,
        out_ch: usize,
        k: usize,
        stride: usize,
        pad: usize,
        linear: bool,
        requant: bool,
    ) -> usize {
        let s = self.shapes[input];
        let in_ch = if linear { s.len() } else { s.c };
        let fan_in = in_ch * k * k;
        let weights: Vec<i8> = (0..out_ch * fan_in)
            .map(|_| self.rng.random_range(-127..=127))
            .collect();
        // Accumulator spread ~ sqrt(fan_in) * mean|x| * mean|w|.
        let spread = self.spread(fan_in);
        let bias: Vec<i32> = (0..out_ch)
            .map(|_| self.rng.random_range(-(spread as i32)..=spread as i32) / 4)
            .collect();
        let rq = requant.then(|| {
            let shift: Vec<u32> = (0..out_ch)
                .map(|_| self.rng.random_range(14..=20))
                .collect();
            // Map +-spread to about +-act_max, each channel a bit differently.
            let mult = shift
                .iter()
                .map(|&sh| {
                    let f = self.rng.random_range(0.5..1.5) * self.act_max as f64 / spread;
                    ((f * (1u64 << sh) as f64).round() as i32).max(1)
                })
                .collect();
            Requant {
                mult,
                shift,
                relu: true,
            }
        });
        let layer = MacLayer {
            in_ch,
            out_ch,
            kernel: k,
            stride,
            padding: pad,
            weights,
            bias,
            requant: rq,
        };
        if linear {
            self.push(
                name,
                input,
                Op::Linear(layer),
                Shape {
                    c: out_ch,
                    h: 1,
                    w: 1,
                },
            )
        } else {
            let out = Shape {
                c: out_ch,
                h: window_out(s.h, k, stride, pad).expect("window fits"),
                w: window_out(s.w, k, stride, pad).expect("window fits"),
            };
            self.push(name, input, Op::Conv(layer), out)
        }
    }

    /// A residual add whose operands are raw accumulators (`raw[i]`, scaled
    /// down by their spread) or activations, each mapped to about half the
    /// activation range.
    fn add_scaled(&mut self, name: &str, a: usize, other: usize, raw: [bool; 2]) -> usize {
        let shift = self.rng.random_range(16..=20);
        let mut mult = [0i32; 2];
        for (m, (t, is_raw)) in mult.iter_mut().zip([a, other].into_iter().zip(raw)) {
            let typical = if is_raw {
                let node = &self.nodes[TensorId(t).producer().expect("a node's output")];
                let fan_in = node.op_fan_in();
                self.spread(fan_in)
            } else {
                self.act_max as f64 / 2.0
            };
            let f = self.rng.random_range(0.5..1.5) * self.act_max as f64 / 2.0 / typical;
            *m = ((f * (1u64 << shift) as f64).round() as i32).max(1);
        }
        let out = self.shapes[a];
        self.push(
            name,
            a,
            Op::Add {
                other: TensorId(other),
                params: AddRescale {
                    mult_a: mult[0],
                    mult_b: mult[1],
                    shift,
                },
            },
            out,
        )
    }

    fn add(&mut self, name: &str, a: usize, other: usize) -> usize {
        let shift = self.rng.random_range(4..=8);
        let mult_a = self.rng.random_range(1..=(1 << shift));
        let mult_b = self.rng.random_range(1..=(1 << shift));
        let out = self.shapes[a];
        self.push(
            name,
            a,
            Op::Add {
                other: TensorId(other),
                params: AddRescale {
                    mult_a,
                    mult_b,
                    shift,
                },
            },
            out,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_networks_are_valid_and_deterministic() {
        for seed in 0..20 {
            for signed in [false, true] {
                let net = random(seed, signed);
                super::super::validate(&net).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
                assert_eq!(net, random(seed, signed));
            }
        }
        let odd = Options {
            signed: false,
            input: Shape { c: 1, h: 5, w: 7 },
            classes: 3,
            width: 2,
        };
        super::super::validate(&random_with(1, &odd)).unwrap();
    }
}
