//! DRUM-k (Hashemi et al., "DRUM: A Dynamic Range Unbiased Multiplier"):
//! each operand is reduced to the k bits starting at its leading one, with
//! the lowest kept bit forced to 1 (unbiasing) when bits were dropped; the
//! k x k product is shifted back. Operands below 2^k are exact.

use super::circuit::{Circuit, Sig};
use super::matrix::{self, Pp};

/// Segment of operand `v` and its shift amount (binary, LSB first).
fn segment(c: &mut Circuit, v: &[Sig], k: usize) -> (Vec<Sig>, Vec<Sig>) {
    let (hot, _) = c.leading_one(v);
    // shift s = lead - k + 1 for lead >= k, else 0: one-hot over s = 1..=8-k.
    let shot: Vec<Sig> = (0..=8 - k)
        .map(|s| if s == 0 { Sig::Zero } else { hot[k - 1 + s] })
        .collect();
    let bits = usize::BITS as usize - (8 - k).leading_zeros() as usize;
    let s = c.encode(&shot, bits.max(1));
    let shifted = c.shift_right(v, &s);
    let dropped = c.or_all(&shot);
    let mut seg: Vec<Sig> = shifted[..k].to_vec();
    seg[0] = c.or(seg[0], dropped);
    (seg, s)
}

/// Product bits, LSB first, of unsigned operand bits `a` and `x` (LSB first): DRUM with `k`-bit segments.
pub fn build(c: &mut Circuit, a: &[Sig], x: &[Sig], k: usize) -> Vec<Sig> {
    let (sa, sha) = segment(c, a, k);
    let (sb, shb) = segment(c, x, k);
    let mut cols = matrix::columns();
    for j in 0..k {
        for i in 0..k {
            let p = Pp {
                i,
                j,
                inverted: false,
            };
            let s = matrix::pp_sig(c, &sa, &sb, p);
            cols[i + j].push(s);
        }
    }
    let prod = matrix::dadda(c, cols);
    let w = sha.len() + 1;
    let shift = c.add(&sha, &shb, w);
    c.shift_left(&prod[..2 * k], &shift, 16)
}

fn seg_ref(v: u32, k: usize) -> (u32, u32) {
    if v < 1 << k {
        return (v, 0);
    }
    let lead = 31 - v.leading_zeros();
    let s = lead + 1 - k as u32;
    ((v >> s) | 1, s)
}

/// Reference: DRUM-k product of `a`, `b`.
pub fn reference(a: u8, b: u8, k: usize) -> u16 {
    let (ma, sa) = seg_ref(a as u32, k);
    let (mb, sb) = seg_ref(b as u32, k);
    ((ma * mb) << (sa + sb)) as u16
}
