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

/// Words simulated per chunk: the live nets of a chunk stay in the L1 cache
/// (slots are reused once a net is dead: 43 slots x 64 words x 8 bytes =
/// 22 KB for a 333-gate exact 8x8 multiplier), and each gate's dispatch is
/// paid once per 64 words (eight 512-bit operations).
const CHUNK: usize = 64;

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
/// `A`, `8..16` are `B` (filled per chunk), then gate outputs in
/// topological order, each in a slot that no live net holds (a net's slot
/// is free after the last gate that reads it).
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
        // The last gate that reads each net (`usize::MAX`: an output, read
        // at the end), so that its slot is reused after that: the live nets
        // of a multiplier are few, and a small buffer stays in L1.
        let mut last_read = vec![None::<usize>; n.num_nets as usize];
        for (i, g) in n.gates.iter().enumerate() {
            for x in &g.inputs {
                if let Some(l) = last_read.get_mut(x.0 as usize) {
                    *l = Some(i);
                }
            }
        }
        for x in po {
            if let Some(l) = last_read.get_mut(x.0 as usize) {
                *l = Some(usize::MAX);
            }
        }
        let mut ops = Vec::with_capacity(n.gates.len());
        let mut next = 16u32;
        let mut free: Vec<u32> = vec![];
        let lookup = |slot: &[u32], x: NetId| -> Result<u32> {
            match slot.get(x.0 as usize) {
                Some(&s) if s != u32::MAX => Ok(s),
                _ => Err(Error::input(format!(
                    "netlist {}: net #{} is read before it is driven (not topologically ordered or undriven)",
                    n.name, x.0
                ))),
            }
        };
        for (i, g) in n.gates.iter().enumerate() {
            let mut ins = [None::<u32>; 3];
            for (k, &x) in g.inputs.iter().enumerate() {
                let s = lookup(&slot, x)?;
                if let Some(v) = ins.get_mut(k) {
                    *v = Some(s);
                }
            }
            // A fresh slot, never one of the inputs' (the gate loops need
            // distinct rows); unused inputs read any other row.
            let out = free.pop().unwrap_or_else(|| {
                next += 1;
                next - 1
            });
            let pick = |k: usize| ins[k].unwrap_or(u32::from(out == 0));
            ops.push(Op {
                kind: g.kind,
                a: pick(0),
                b: pick(1),
                s: pick(2),
                out,
            });
            // Inputs read for the last time free their slots (operand slots
            // too: every gate value of a chunk is dead when the next chunk's
            // operands are filled in).
            for &x in &g.inputs {
                let xs = slot[x.0 as usize];
                if last_read[x.0 as usize] == Some(i) && xs != u32::MAX && x != g.output {
                    free.push(xs);
                    slot[x.0 as usize] = u32::MAX;
                }
            }
            match slot.get_mut(g.output.0 as usize) {
                Some(s) => *s = out,
                None => {
                    return Err(Error::input(format!(
                        "netlist {}: gate output #{} out of range",
                        n.name, g.output.0
                    )))
                }
            }
            if last_read[g.output.0 as usize].is_none() {
                // Nobody reads it: the next gate may take the slot.
                free.push(out);
            }
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

    /// Panics unless every gate's rows are slots of the buffer and its
    /// output row is none of its input rows (what [`eval_op`] relies on;
    /// [`Program::compile`] builds them so).
    fn check(&self) {
        let ok = |r: u32| (r as usize) < self.slots;
        assert!(
            self.ops.iter().all(|op| ok(op.a)
                && ok(op.b)
                && ok(op.s)
                && ok(op.out)
                && ![op.a, op.b, op.s].contains(&op.out))
                && self.outputs.iter().all(|&r| ok(r)),
            "netlist::sim: a gate's rows are out of range or overlap"
        );
    }

    /// Raw 16-bit products of all 65,536 operand pairs (lane order of
    /// [`crate::errmap::index`]). The same portable gate loop, compiled for
    /// the widest vectors this CPU has (picked at run time).
    pub fn run(&self) -> Vec<u16> {
        #[cfg(target_arch = "x86_64")]
        {
            if avx512::supported() {
                // SAFETY: the CPU has the features (checked above).
                return unsafe { self.run_avx512() };
            }
            if std::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU supports AVX2 (checked above).
                return unsafe { self.run_avx2() };
            }
        }
        self.run_chunked::<CHUNK>(transpose_word)
    }

    /// [`Program::run`] compiled with 512-bit vectors.
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, BW and VBMI ([`avx512::supported`]).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
    unsafe fn run_avx512(&self) -> Vec<u16> {
        self.run_chunked::<CHUNK>(|words, lanes| {
            // SAFETY: the features of this function.
            unsafe { avx512::transpose_word(words, lanes) }
        })
    }

    /// [`Program::run`] compiled with 256-bit vectors.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn run_avx2(&self) -> Vec<u16> {
        self.run_chunked::<CHUNK>(transpose_word)
    }

    /// The simulation in chunks of `C` words, the 16 output words of each
    /// word position turned into 64 products by `transpose` (inlined into
    /// each caller so that it is compiled for that caller's features).
    #[inline(always)]
    fn run_chunked<const C: usize>(
        &self,
        transpose: impl Fn(&[u64; 16], &mut [u16; 64]),
    ) -> Vec<u16> {
        self.check();
        let mut raw = vec![0u16; 65536];
        let mut buf = vec![0u64; self.slots * C];
        for (chunk, raw) in raw.chunks_exact_mut(C * 64).enumerate() {
            fill_operands::<C>(&mut buf, chunk * C);
            for op in &self.ops {
                // SAFETY: `check` above.
                unsafe { eval_op::<C>(&mut buf, op) };
            }
            for (w, lanes) in raw.chunks_exact_mut(64).enumerate() {
                let mut words = [0u64; 16];
                for (k, &s) in self.outputs.iter().enumerate() {
                    words[k] = buf[s as usize * C + w];
                }
                transpose(&words, lanes.try_into().unwrap());
            }
        }
        raw
    }
}

/// The transposition of output words into products with AVX-512.
#[cfg(target_arch = "x86_64")]
mod avx512 {
    use std::arch::x86_64::*;

    /// Whether the CPU has what [`transpose_word`] needs.
    pub fn supported() -> bool {
        std::is_x86_feature_detected!("avx512f")
            && std::is_x86_feature_detected!("avx512bw")
            && std::is_x86_feature_detected!("avx512vbmi")
    }

    /// [`super::transpose_word`]: per half (output bits 0-7, 8-15) one
    /// byte permute turns the eight words into, per lane byte, the eight
    /// output bits' bytes, an 8x8 bit transposition per 64-bit lane makes
    /// them the lanes' bytes, and byte interleaving of the halves gives the
    /// 16-bit products.
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, BW and VBMI.
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
    pub unsafe fn transpose_word(words: &[u64; 16], lanes: &mut [u16; 64]) {
        // Byte 8c + r of the result = byte c of word r.
        let idx: [u8; 64] = std::array::from_fn(|i| ((i % 8) * 8 + i / 8) as u8);
        let idx = _mm512_loadu_si512(idx.as_ptr() as *const _);
        let half = |h: usize| {
            let z = _mm512_loadu_si512(words.as_ptr().add(8 * h) as *const _);
            transpose8(_mm512_permutexvar_epi8(idx, z))
        };
        let (lo, hi) = (half(0), half(1));
        // 128-bit lane c of `a` holds the products of lane bytes 2c, of `b`
        // those of 2c + 1.
        let a = _mm512_unpacklo_epi8(lo, hi);
        let b = _mm512_unpackhi_epi8(lo, hi);
        let first = _mm512_setr_epi64(0, 1, 8, 9, 2, 3, 10, 11);
        let second = _mm512_setr_epi64(4, 5, 12, 13, 6, 7, 14, 15);
        let out = lanes.as_mut_ptr() as *mut __m512i;
        _mm512_storeu_si512(out, _mm512_permutex2var_epi64(a, first, b));
        _mm512_storeu_si512(out.add(1), _mm512_permutex2var_epi64(a, second, b));
    }

    /// [`super::transpose8`] on each 64-bit lane.
    #[inline(always)]
    unsafe fn transpose8(mut x: __m512i) -> __m512i {
        macro_rules! swap {
            ($shift:expr, $mask:expr) => {
                let t = _mm512_and_si512(
                    _mm512_xor_si512(x, _mm512_srli_epi64(x, $shift)),
                    _mm512_set1_epi64($mask),
                );
                x = _mm512_xor_si512(_mm512_xor_si512(x, t), _mm512_slli_epi64(t, $shift));
            };
        }
        swap!(7, 0x00AA_00AA_00AA_00AA);
        swap!(14, 0x0000_CCCC_0000_CCCC);
        swap!(28, 0x0000_0000_F0F0_F0F0);
        x
    }
}

/// Operand lanes of words `w0..w0+C`: in word `w`, lane `l` is pair
/// `i = 64w + l`, so `a = w >> 2` is constant per word and `b = 64(w & 3) + l`.
#[inline(always)]
fn fill_operands<const C: usize>(buf: &mut [u64], w0: usize) {
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
    for w in 0..C {
        let word = w0 + w;
        let (a, bhi) = (word >> 2, word & 3);
        for k in 0..8 {
            buf[k * C + w] = all((a >> k) & 1);
        }
        for k in 0..6 {
            buf[(8 + k) * C + w] = LANE_BITS[k];
        }
        buf[14 * C + w] = all(bhi & 1);
        buf[15 * C + w] = all(bhi >> 1);
    }
}

/// Evaluate one gate over a chunk; the match is outside the word loop so
/// each arm is a straight vectorizable loop.
///
/// # Safety
/// Rows `op.a`, `op.b`, `op.s` and `op.out` lie inside `buf` (`C` words
/// each) and `op.out` is none of the others ([`Program::check`]).
#[inline(always)]
unsafe fn eval_op<const C: usize>(buf: &mut [u64], op: &Op) {
    let base = buf.as_mut_ptr();
    // SAFETY: the caller's contract: the shared and the mutable borrows do
    // not overlap; `[u64; C]` has the alignment of `u64`.
    let row = |r: u32| &*(base.add(r as usize * C) as *const [u64; C]);
    let (xs, ys, zs) = (row(op.a), row(op.b), row(op.s));
    let out = &mut *(base.add(op.out as usize * C) as *mut [u64; C]);
    macro_rules! map {
        (|$x:ident, $y:ident, $z:ident| $e:expr) => {{
            for i in 0..C {
                let ($x, $y, $z) = (xs[i], ys[i], zs[i]);
                let _ = (&$y, &$z);
                out[i] = $e;
            }
        }};
    }
    use GateKind::*;
    match op.kind {
        Const0 => out.fill(0),
        Const1 => out.fill(!0),
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
    fn portable_and_vector_builds_agree() {
        for n in [every_kind(), array_mult()] {
            let p = Program::compile(&n, "A", "B", "O").unwrap();
            let want = exhaustive_naive(&n, false).unwrap();
            let portable = p.run_chunked::<CHUNK>(transpose_word);
            assert_eq!(ErrorMap::from_raw(false, &portable), want);
            assert_eq!(p.run(), portable);
            // Slots are reused: far fewer than gates in a multiplier.
            assert!(
                n.gates.len() < 100 || p.slots < n.gates.len() / 2,
                "{} slots",
                p.slots
            );
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx512_transposition_matches_portable() {
        if !avx512::supported() {
            eprintln!("skipping: this CPU lacks AVX-512 F/BW/VBMI");
            return;
        }
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..100 {
            let words: [u64; 16] = std::array::from_fn(|_| {
                // xorshift64
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            });
            let (mut want, mut got) = ([0u16; 64], [0u16; 64]);
            transpose_word(&words, &mut want);
            // SAFETY: support checked above.
            unsafe { avx512::transpose_word(&words, &mut got) };
            assert_eq!(got, want);
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
