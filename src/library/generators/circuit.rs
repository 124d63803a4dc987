//! A gate builder on top of [`Builder`] that folds constants (so a
//! truncated column or a compensation constant costs no dead gates) and
//! removes logic that drives no output. Generators write arithmetic
//! circuits with it: adders, bit-matrix reducers, shifters.

use crate::netlist::{Builder, GateKind, NetId, Netlist};

/// A signal: a constant or a net.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Sig {
    /// Constant 0.
    Zero,
    /// Constant 1.
    One,
    /// A net of the netlist being built.
    Net(NetId),
}

impl Sig {
    /// The constant `v`.
    pub fn bit(v: bool) -> Sig {
        if v {
            Sig::One
        } else {
            Sig::Zero
        }
    }
}

/// A circuit under construction with 8-bit inputs `A`, `B`.
pub struct Circuit {
    b: Builder,
    /// Operand `A`, LSB first.
    pub a: Vec<Sig>,
    /// Operand `B`, LSB first.
    pub x: Vec<Sig>,
}

impl Circuit {
    /// A circuit called `name` with input buses `A` and `B`.
    pub fn new(name: &str) -> Self {
        let mut b = Builder::new(name);
        let a = b.input("A", 8).into_iter().map(Sig::Net).collect();
        let x = b.input("B", 8).into_iter().map(Sig::Net).collect();
        Circuit { b, a, x }
    }

    fn gate(&mut self, kind: GateKind, ins: &[NetId]) -> Sig {
        Sig::Net(self.b.gate(kind, ins))
    }

    /// `!a`, folding constants; makes a gate only for a net.
    pub fn not(&mut self, a: Sig) -> Sig {
        match a {
            Sig::Zero => Sig::One,
            Sig::One => Sig::Zero,
            Sig::Net(n) => self.gate(GateKind::Not, &[n]),
        }
    }

    /// `a & b`, folding constants.
    pub fn and(&mut self, a: Sig, b: Sig) -> Sig {
        match (a, b) {
            (Sig::Zero, _) | (_, Sig::Zero) => Sig::Zero,
            (Sig::One, y) | (y, Sig::One) => y,
            (Sig::Net(p), Sig::Net(q)) if p == q => a,
            (Sig::Net(p), Sig::Net(q)) => self.gate(GateKind::And, &[p, q]),
        }
    }

    /// `a | b`, folding constants.
    pub fn or(&mut self, a: Sig, b: Sig) -> Sig {
        match (a, b) {
            (Sig::One, _) | (_, Sig::One) => Sig::One,
            (Sig::Zero, y) | (y, Sig::Zero) => y,
            (Sig::Net(p), Sig::Net(q)) if p == q => a,
            (Sig::Net(p), Sig::Net(q)) => self.gate(GateKind::Or, &[p, q]),
        }
    }

    /// `a ^ b`, folding constants.
    pub fn xor(&mut self, a: Sig, b: Sig) -> Sig {
        match (a, b) {
            (Sig::Zero, y) | (y, Sig::Zero) => y,
            (Sig::One, y) | (y, Sig::One) => self.not(y),
            (Sig::Net(p), Sig::Net(q)) if p == q => Sig::Zero,
            (Sig::Net(p), Sig::Net(q)) => self.gate(GateKind::Xor, &[p, q]),
        }
    }

    /// `!(a & b)`, folding constants.
    pub fn nand(&mut self, a: Sig, b: Sig) -> Sig {
        match (a, b) {
            (Sig::Net(p), Sig::Net(q)) if p != q => self.gate(GateKind::Nand, &[p, q]),
            _ => {
                let t = self.and(a, b);
                self.not(t)
            }
        }
    }

    /// `s ? y : x`.
    pub fn mux(&mut self, x: Sig, y: Sig, s: Sig) -> Sig {
        match (x, y, s) {
            (_, _, Sig::Zero) => x,
            (_, _, Sig::One) => y,
            _ if x == y => x,
            (Sig::Zero, _, _) => self.and(y, s),
            (_, Sig::Zero, _) => {
                let ns = self.not(s);
                self.and(x, ns)
            }
            (Sig::One, _, _) => {
                let ns = self.not(s);
                self.or(y, ns)
            }
            (_, Sig::One, _) => self.or(x, s),
            (Sig::Net(p), Sig::Net(q), Sig::Net(r)) => self.gate(GateKind::Mux, &[p, q, r]),
        }
    }

    /// OR of all `bits` (a balanced tree).
    pub fn or_all(&mut self, bits: &[Sig]) -> Sig {
        match bits.len() {
            0 => Sig::Zero,
            1 => bits[0],
            n => {
                let l = self.or_all(&bits[..n / 2]);
                let r = self.or_all(&bits[n / 2..]);
                self.or(l, r)
            }
        }
    }

    /// Half adder: `(sum, carry)`.
    pub fn half_adder(&mut self, a: Sig, b: Sig) -> (Sig, Sig) {
        (self.xor(a, b), self.and(a, b))
    }

    /// Full adder: `(sum, carry)`; the carry is the NAND-NAND majority form.
    pub fn full_adder(&mut self, a: Sig, b: Sig, c: Sig) -> (Sig, Sig) {
        // Constants reduce a full adder to a half adder or to XNOR/OR.
        let bits = [a, b, c];
        let ones = bits.iter().filter(|s| **s == Sig::One).count();
        let nets: Vec<Sig> = bits
            .iter()
            .copied()
            .filter(|s| matches!(s, Sig::Net(_)))
            .collect();
        if nets.len() < 3 {
            return match (ones, nets.as_slice()) {
                (0, [p, q]) => self.half_adder(*p, *q),
                (1, [p, q]) => {
                    let x = self.xor(*p, *q);
                    (self.not(x), self.or(*p, *q))
                }
                (_, [p]) => match ones {
                    0 => (*p, Sig::Zero),
                    1 => (self.not(*p), *p),
                    _ => (*p, Sig::One),
                },
                (_, []) => (Sig::bit(ones % 2 == 1), Sig::bit(ones >= 2)),
                _ => unreachable!("two constants and two nets"),
            };
        }
        let t = self.xor(a, b);
        let s = self.xor(t, c);
        let n1 = self.nand(a, b);
        let n2 = self.nand(t, c);
        (s, self.nand(n1, n2))
    }

    /// Ripple-carry sum of two little-endian words, `width` bits (mod 2^width).
    pub fn add(&mut self, x: &[Sig], y: &[Sig], width: usize) -> Vec<Sig> {
        let mut carry = Sig::Zero;
        let mut out = Vec::with_capacity(width);
        for i in 0..width {
            let p = x.get(i).copied().unwrap_or(Sig::Zero);
            let q = y.get(i).copied().unwrap_or(Sig::Zero);
            let (s, c) = self.full_adder(p, q, carry);
            out.push(s);
            carry = c;
        }
        out
    }

    /// `x + 1` when `inc`, `width` bits.
    pub fn increment(&mut self, x: &[Sig], inc: Sig, width: usize) -> Vec<Sig> {
        let mut carry = inc;
        let mut out = Vec::with_capacity(width);
        for i in 0..width {
            let p = x.get(i).copied().unwrap_or(Sig::Zero);
            let (s, c) = self.half_adder(p, carry);
            out.push(s);
            carry = c;
        }
        out
    }

    /// Two's complement negation of `x` when `neg` (`(x ^ neg) + neg`).
    pub fn cond_negate(&mut self, x: &[Sig], neg: Sig, width: usize) -> Vec<Sig> {
        let flipped: Vec<Sig> = (0..width)
            .map(|i| x.get(i).copied().unwrap_or(Sig::Zero))
            .map(|b| self.xor(b, neg))
            .collect();
        self.increment(&flipped, neg, width)
    }

    /// `x << s` (binary shift amount `s`, LSB first), `width` output bits.
    pub fn shift_left(&mut self, x: &[Sig], s: &[Sig], width: usize) -> Vec<Sig> {
        let mut v: Vec<Sig> = (0..width)
            .map(|i| x.get(i).copied().unwrap_or(Sig::Zero))
            .collect();
        for (k, &sk) in s.iter().enumerate() {
            let d = 1usize << k;
            v = (0..width)
                .map(|i| {
                    let shifted = if i >= d { v[i - d] } else { Sig::Zero };
                    self.mux(v[i], shifted, sk)
                })
                .collect();
        }
        v
    }

    /// `x >> s` (binary shift amount `s`), keeping `x.len()` bits.
    pub fn shift_right(&mut self, x: &[Sig], s: &[Sig]) -> Vec<Sig> {
        let w = x.len();
        let mut v = x.to_vec();
        for (k, &sk) in s.iter().enumerate() {
            let d = 1usize << k;
            v = (0..w)
                .map(|i| {
                    let shifted = if i + d < w { v[i + d] } else { Sig::Zero };
                    self.mux(v[i], shifted, sk)
                })
                .collect();
        }
        v
    }

    /// Leading-one detector of `x`: (one-hot position vector, any-one).
    /// `hot[p]` is 1 iff bit `p` is the highest set bit.
    pub fn leading_one(&mut self, x: &[Sig]) -> (Vec<Sig>, Sig) {
        let w = x.len();
        let mut hot = vec![Sig::Zero; w];
        let mut above = Sig::Zero; // OR of bits above p
        for p in (0..w).rev() {
            let na = self.not(above);
            hot[p] = self.and(x[p], na);
            above = self.or(above, x[p]);
        }
        (hot, above)
    }

    /// Binary encoding (`bits` wide) of a one-hot vector: bit `q` is the OR
    /// of the positions whose index has bit `q` set.
    pub fn encode(&mut self, hot: &[Sig], bits: usize) -> Vec<Sig> {
        (0..bits)
            .map(|q| {
                let sel: Vec<Sig> = hot
                    .iter()
                    .enumerate()
                    .filter(|(p, _)| p >> q & 1 == 1)
                    .map(|(_, s)| *s)
                    .collect();
                self.or_all(&sel)
            })
            .collect()
    }

    /// Finish: drive output `O` (16 bits, missing bits are 0) and drop gates
    /// that drive nothing.
    pub fn finish(mut self, out: &[Sig]) -> Netlist {
        let nets: Vec<NetId> = (0..16)
            .map(|i| match out.get(i).copied().unwrap_or(Sig::Zero) {
                Sig::Zero => self.b.zero(),
                Sig::One => self.b.one(),
                Sig::Net(n) => n,
            })
            .collect();
        self.b.output("O", nets);
        prune(self.b.build())
    }
}

/// Remove gates whose outputs reach no output bus, renumbering nets
/// (inputs keep their order, gates keep their topological order).
pub fn prune(n: Netlist) -> Netlist {
    let mut live = vec![false; n.num_nets as usize];
    for bus in &n.outputs {
        for id in &bus.nets {
            live[id.0 as usize] = true;
        }
    }
    for g in n.gates.iter().rev() {
        if live[g.output.0 as usize] {
            for i in &g.inputs {
                live[i.0 as usize] = true;
            }
        }
    }
    let mut map = vec![u32::MAX; n.num_nets as usize];
    let mut next = 0u32;
    let mut fresh = |id: NetId, map: &mut Vec<u32>| {
        map[id.0 as usize] = next;
        next += 1;
    };
    for bus in &n.inputs {
        for id in &bus.nets {
            fresh(*id, &mut map);
        }
    }
    let gates: Vec<_> = n
        .gates
        .iter()
        .filter(|g| live[g.output.0 as usize])
        .cloned()
        .collect();
    for g in &gates {
        fresh(g.output, &mut map);
    }
    let re = |id: &NetId| NetId(map[id.0 as usize]);
    Netlist {
        name: n.name,
        num_nets: next,
        inputs: n
            .inputs
            .iter()
            .map(|b| crate::netlist::Bus {
                name: b.name.clone(),
                nets: b.nets.iter().map(re).collect(),
            })
            .collect(),
        outputs: n
            .outputs
            .iter()
            .map(|b| crate::netlist::Bus {
                name: b.name.clone(),
                nets: b.nets.iter().map(re).collect(),
            })
            .collect(),
        gates: gates
            .iter()
            .map(|g| crate::netlist::Gate {
                kind: g.kind,
                inputs: g.inputs.iter().map(re).collect(),
                output: re(&g.output),
            })
            .collect(),
        net_names: vec![],
    }
}
