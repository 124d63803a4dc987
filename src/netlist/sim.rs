//! Bit-parallel exhaustive simulation: every net holds 65,536 lanes (one per
//! operand pair) as 1,024 64-bit words; gates run in topological order.
//!
//! Lane `i` carries operands `a = i >> 8` (bus `A`) and `b = i & 255`
//! (bus `B`), the same order as [`crate::errmap::index`].

use super::{GateKind, NetId, Netlist};
use crate::errmap::ErrorMap;
use crate::error::{Error, Result};

/// Words per net for the exhaustive 8x8 operand space.
pub const WORDS: usize = 65536 / 64;

/// Lane words of operand bit `bit` of `A` (`is_a`) or `B`.
fn operand_words(is_a: bool, bit: usize) -> Vec<u64> {
    (0..WORDS)
        .map(|w| {
            let mut word = 0u64;
            for l in 0..64 {
                let i = w * 64 + l;
                let v = if is_a { i >> 8 } else { i & 255 };
                word |= (((v >> bit) & 1) as u64) << l;
            }
            word
        })
        .collect()
}

/// Check that `n` has 8-bit inputs `a`, `b` and an output `o` of 16 bits.
pub fn check_ports<'n>(
    n: &'n Netlist,
    a: &str,
    b: &str,
    o: &str,
) -> Result<(&'n [NetId], &'n [NetId], &'n [NetId])> {
    let get_in = |name: &str| {
        n.input(name)
            .ok_or_else(|| Error::input(format!("netlist {}: no input port `{name}`", n.name)))
    };
    let (ba, bb) = (get_in(a)?, get_in(b)?);
    let bo = n
        .output(o)
        .ok_or_else(|| Error::input(format!("netlist {}: no output port `{o}`", n.name)))?;
    for (bus, w) in [(ba, 8), (bb, 8), (bo, 16)] {
        if bus.nets.len() != w {
            return Err(Error::input(format!(
                "netlist {}: port `{}` is {} bits wide, expected {w}",
                n.name,
                bus.name,
                bus.nets.len()
            )));
        }
    }
    Ok((&ba.nets, &bb.nets, &bo.nets))
}

/// Simulate `n` (ports `A`, `B`, `O`) on all operand pairs.
pub fn exhaustive(n: &Netlist, signed: bool) -> Result<ErrorMap> {
    exhaustive_ports(n, signed, "A", "B", "O")
}

/// Simulate `n` on all operand pairs with the given port names.
pub fn exhaustive_ports(n: &Netlist, signed: bool, a: &str, b: &str, o: &str) -> Result<ErrorMap> {
    let program = Program::compile(n, a, b, o)?;
    Ok(ErrorMap::from_raw(signed, &program.run()))
}

/// Words simulated per chunk: all nets of a chunk stay in the L1 cache
/// (350 nets x 16 words x 8 bytes = 45 KB for an exact 8x8 multiplier).
const CHUNK: usize = 16;

/// One gate over buffer slots (slot = net's row in the chunk buffer).
#[derive(Copy, Clone, Debug)]
struct Op {
    kind: GateKind,
    a: u32,
    b: u32,
    s: u32,
    out: u32,
}

/// A netlist compiled for chunked bit-parallel simulation: slots `0..8` are
/// `A`, `8..16` are `B`, then one slot per gate output in topological order.
#[derive(Clone, Debug)]
pub struct Program {
    ops: Vec<Op>,
    slots: usize,
    outputs: [u32; 16],
}

impl Program {
    /// Compile `n` with operand ports `a`, `b` and product port `o`.
    pub fn compile(n: &Netlist, a: &str, b: &str, o: &str) -> Result<Program> {
        let (pa, pb, po) = check_ports(n, a, b, o)?;
        let mut slot = vec![u32::MAX; n.num_nets as usize];
        for (i, net) in pa.iter().chain(pb).enumerate() {
            slot[net.0 as usize] = i as u32;
        }
        let mut ops = Vec::with_capacity(n.gates.len());
        let mut next = 16u32;
        let lookup = |slot: &[u32], x: NetId| -> Result<u32> {
            match slot.get(x.0 as usize) {
                Some(&s) if s != u32::MAX => Ok(s),
                _ => Err(Error::input(format!(
                    "netlist {}: net #{} is read before it is driven (not topologically ordered or undriven)",
                    n.name, x.0
                ))),
            }
        };
        for g in &n.gates {
            let ins: Vec<u32> = g
                .inputs
                .iter()
                .map(|&x| lookup(&slot, x))
                .collect::<Result<_>>()?;
            let pick = |k: usize| ins.get(k).copied().unwrap_or(0);
            ops.push(Op {
                kind: g.kind,
                a: pick(0),
                b: pick(1),
                s: pick(2),
                out: next,
            });
            match slot.get_mut(g.output.0 as usize) {
                Some(s) => *s = next,
                None => {
                    return Err(Error::input(format!(
                        "netlist {}: gate output #{} out of range",
                        n.name, g.output.0
                    )))
                }
            }
            next += 1;
        }
        let mut outputs = [0u32; 16];
        for (k, &x) in po.iter().enumerate() {
            outputs[k] = lookup(&slot, x)?;
        }
        Ok(Program {
            ops,
            slots: next as usize,
            outputs,
        })
    }

    /// Raw 16-bit products of all 65,536 operand pairs (lane order of
    /// [`crate::errmap::index`]).
    pub fn run(&self) -> Vec<u16> {
        let mut raw = vec![0u16; 65536];
        let mut buf = vec![0u64; self.slots * CHUNK];
        for chunk in 0..WORDS / CHUNK {
            let w0 = chunk * CHUNK;
            fill_operands(&mut buf, w0);
            for op in &self.ops {
                eval_op(&mut buf, op);
            }
            for w in 0..CHUNK {
                let mut words = [0u64; 16];
                for (k, &s) in self.outputs.iter().enumerate() {
                    words[k] = buf[s as usize * CHUNK + w];
                }
                let lanes: &mut [u16; 64] = (&mut raw[(w0 + w) * 64..(w0 + w + 1) * 64])
                    .try_into()
                    .unwrap();
                transpose_word(&words, lanes);
            }
        }
        raw
    }
}

/// Operand lanes of words `w0..w0+CHUNK`: in word `w`, lane `l` is pair
/// `i = 64w + l`, so `a = w >> 2` is constant per word and `b = 64(w & 3) + l`.
fn fill_operands(buf: &mut [u64], w0: usize) {
    /// Bit `k` (k < 6) of the lane number within a word.
    const LANE_BITS: [u64; 6] = [
        0xAAAA_AAAA_AAAA_AAAA,
        0xCCCC_CCCC_CCCC_CCCC,
        0xF0F0_F0F0_F0F0_F0F0,
        0xFF00_FF00_FF00_FF00,
        0xFFFF_0000_FFFF_0000,
        0xFFFF_FFFF_0000_0000,
    ];
    let all = |bit: usize| if bit != 0 { !0u64 } else { 0 };
    for w in 0..CHUNK {
        let word = w0 + w;
        let (a, bhi) = (word >> 2, word & 3);
        for k in 0..8 {
            buf[k * CHUNK + w] = all((a >> k) & 1);
        }
        for k in 0..6 {
            buf[(8 + k) * CHUNK + w] = LANE_BITS[k];
        }
        buf[14 * CHUNK + w] = all(bhi & 1);
        buf[15 * CHUNK + w] = all(bhi >> 1);
    }
}

/// Evaluate one gate over a chunk; the match is outside the word loop so
/// each arm is a straight vectorizable loop.
#[inline(always)]
fn eval_op(buf: &mut [u64], op: &Op) {
    let row = |buf: &[u64], s: u32| -> [u64; CHUNK] {
        buf[s as usize * CHUNK..][..CHUNK].try_into().unwrap()
    };
    macro_rules! map {
        (|$x:ident, $y:ident, $z:ident| $e:expr) => {{
            let (xs, ys, zs) = (row(buf, op.a), row(buf, op.b), row(buf, op.s));
            let out: &mut [u64] = &mut buf[op.out as usize * CHUNK..][..CHUNK];
            for i in 0..CHUNK {
                let ($x, $y, $z) = (xs[i], ys[i], zs[i]);
                let _ = (&$y, &$z);
                out[i] = $e;
            }
        }};
    }
    use GateKind::*;
    match op.kind {
        Const0 => buf[op.out as usize * CHUNK..][..CHUNK].fill(0),
        Const1 => buf[op.out as usize * CHUNK..][..CHUNK].fill(!0),
        Buf => map!(|x, y, z| x),
        Not => map!(|x, y, z| !x),
        And => map!(|x, y, z| x & y),
        Or => map!(|x, y, z| x | y),
        Xor => map!(|x, y, z| x ^ y),
        Nand => map!(|x, y, z| !(x & y)),
        Nor => map!(|x, y, z| !(x | y)),
        Xnor => map!(|x, y, z| !(x ^ y)),
        AndNot => map!(|x, y, z| x & !y),
        OrNot => map!(|x, y, z| x | !y),
        Mux => map!(|x, y, z| (x & !z) | (y & z)),
    }
}

/// Transpose an 8x8 bit matrix held in a u64 (byte `r` = row `r`, bit `c`
/// of a byte = column `c`): afterwards byte `c` holds column `c`.
#[inline(always)]
fn transpose8(mut x: u64) -> u64 {
    let t = (x ^ (x >> 7)) & 0x00AA_00AA_00AA_00AA;
    x ^= t ^ (t << 7);
    let t = (x ^ (x >> 14)) & 0x0000_CCCC_0000_CCCC;
    x ^= t ^ (t << 14);
    let t = (x ^ (x >> 28)) & 0x0000_0000_F0F0_F0F0;
    x ^= t ^ (t << 28);
    x
}

/// Turn 16 output-bit words (64 lanes each) into 64 16-bit products.
#[inline(always)]
fn transpose_word(words: &[u64; 16], lanes: &mut [u16; 64]) {
    for byte in 0..8 {
        let gather = |half: usize| -> u64 {
            let mut m = 0u64;
            for r in 0..8 {
                m |= ((words[half * 8 + r] >> (8 * byte)) & 0xff) << (8 * r);
            }
            transpose8(m)
        };
        let (lo, hi) = (gather(0), gather(1));
        for j in 0..8 {
            lanes[byte * 8 + j] =
                ((lo >> (8 * j)) & 0xff) as u16 | ((((hi >> (8 * j)) & 0xff) as u16) << 8);
        }
    }
}

/// The plain one-gate-at-a-time simulation over whole 1,024-word rows,
/// kept as the reference the fast path is tested against.
pub fn exhaustive_naive(n: &Netlist, signed: bool) -> Result<ErrorMap> {
    let (pa, pb, po) = check_ports(n, "A", "B", "O")?;
    let mut val = vec![0u64; n.num_nets as usize * WORDS];
    for (is_a, port) in [(true, pa), (false, pb)] {
        for (bit, net) in port.iter().enumerate() {
            let s = net.0 as usize * WORDS;
            val[s..s + WORDS].copy_from_slice(&operand_words(is_a, bit));
        }
    }
    for g in &n.gates {
        let o = g.output.0 as usize * WORDS;
        let inp = |k: usize| g.inputs.get(k).map(|x| x.0 as usize * WORDS);
        let (ia, ib, is) = (inp(0), inp(1), inp(2));
        for w in 0..WORDS {
            let x = ia.map_or(0, |i| val[i + w]);
            let y = ib.map_or(0, |i| val[i + w]);
            let s = is.map_or(0, |i| val[i + w]);
            val[o + w] = g.kind.eval(x, y, s);
        }
    }
    let mut raw = vec![0u16; 65536];
    for (bit, net) in po.iter().enumerate() {
        let s = net.0 as usize * WORDS;
        for w in 0..WORDS {
            let word = val[s + w];
            for l in 0..64 {
                raw[w * 64 + l] |= (((word >> l) & 1) as u16) << bit;
            }
        }
    }
    Ok(ErrorMap::from_raw(signed, &raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlist::Builder;

    /// A textbook array multiplier built from full adders.
    fn array_mult() -> Netlist {
        let mut b = Builder::new("array8");
        let a = b.input("A", 8);
        let x = b.input("B", 8);
        let zero = b.zero();
        let mut acc: Vec<NetId> = vec![zero; 16];
        for j in 0..8 {
            let mut carry = zero;
            for i in 0..8 {
                let pp = b.and(a[i], x[j]);
                let (s, c) = b.full_adder(acc[i + j], pp, carry);
                acc[i + j] = s;
                carry = c;
            }
            acc[j + 8] = carry;
        }
        b.output("O", acc);
        b.build()
    }

    #[test]
    fn exact_array_multiplier_matches_arithmetic() {
        assert_eq!(
            exhaustive(&array_mult(), false).unwrap(),
            ErrorMap::exact(false)
        );
    }

    /// A netlist of every gate kind on mixed operand bits, so the fast
    /// path is compared with the naive one on all kinds and output bits.
    fn every_kind() -> Netlist {
        use GateKind::*;
        let mut b = Builder::new("kinds");
        let a = b.input("A", 8);
        let x = b.input("B", 8);
        let kinds = [
            Const0, Const1, Buf, Not, And, Or, Xor, Nand, Nor, Xnor, AndNot, OrNot, Mux, Xor, And,
            Or,
        ];
        let mut outs = vec![];
        for (k, kind) in kinds.into_iter().enumerate() {
            let ins = [a[k % 8], x[(k * 3 + 1) % 8], a[(k + 5) % 8]];
            let g = b.gate(kind, &ins[..kind.arity()]);
            outs.push(if k >= 13 { b.xor(g, x[k % 8]) } else { g });
        }
        b.output("O", outs);
        b.build()
    }

    #[test]
    fn fast_path_equals_naive_on_every_gate_kind() {
        for signed in [false, true] {
            let n = every_kind();
            assert_eq!(
                exhaustive(&n, signed).unwrap(),
                exhaustive_naive(&n, signed).unwrap()
            );
            let m = array_mult();
            assert_eq!(
                exhaustive(&m, signed).unwrap(),
                exhaustive_naive(&m, signed).unwrap()
            );
        }
    }

    #[test]
    fn transpose8_matches_bit_definition() {
        let x = 0x0123_4567_89ab_cdefu64;
        let t = transpose8(x);
        for r in 0..8 {
            for c in 0..8 {
                assert_eq!((x >> (8 * r + c)) & 1, (t >> (8 * c + r)) & 1);
            }
        }
    }

    #[test]
    fn missing_port_is_an_input_error() {
        let mut b = Builder::new("bad");
        b.input("A", 8);
        let e = exhaustive(&b.build(), false).unwrap_err();
        assert!(e.to_string().contains("no input port `B`"), "{e}");
    }
}
