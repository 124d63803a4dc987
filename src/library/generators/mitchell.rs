//! Mitchell's logarithmic multiplier: log2(v) ~ lead + fraction (the bits
//! below the leading one), logs added, and the antilog taken as
//! `(1 + F) * 2^K`. Parameter `w`: fraction bits kept (7 is the full
//! Mitchell multiplier, fewer truncate the fraction). Zero operands give 0.

use super::circuit::{Circuit, Sig};

/// Base-2 log of `v`: `(lead, fraction)` as `3 + w` bits, LSB first, and
/// the nonzero flag.
fn log2(c: &mut Circuit, v: &[Sig], w: usize) -> (Vec<Sig>, Sig) {
    let (hot, nz) = c.leading_one(v);
    let lead = c.encode(&hot, 3);
    // Normalize: shift left by 7 - lead so the leading one lands at bit 7.
    let inv: Vec<Sig> = lead.iter().map(|s| c.not(*s)).collect();
    let norm = c.shift_left(v, &inv, 8);
    let mut log: Vec<Sig> = norm[7 - w..7].to_vec();
    log.extend(lead);
    (log, nz)
}

/// Product bits, LSB first, of unsigned operand bits `a` and `x` (LSB first): Mitchell's logarithmic multiplier with `w` fraction bits.
pub fn build(c: &mut Circuit, a: &[Sig], x: &[Sig], w: usize) -> Vec<Sig> {
    let (la, za) = log2(c, a, w);
    let (lb, zb) = log2(c, x, w);
    let sum = c.add(&la, &lb, w + 4);
    let (frac, k) = sum.split_at(w);
    let mut mant: Vec<Sig> = frac.to_vec();
    mant.push(Sig::One);
    // (mant << K) >> w: shift into 16 + w bits, keep the top 16.
    let wide = c.shift_left(&mant, k, 16 + w);
    let nz = c.and(za, zb);
    wide[w..].iter().map(|s| c.and(*s, nz)).collect()
}

/// Reference: Mitchell product with `w` fraction bits.
pub fn reference(a: u8, b: u8, w: usize) -> u16 {
    if a == 0 || b == 0 {
        return 0;
    }
    let log = |v: u32| {
        let lead = 31 - v.leading_zeros();
        let frac = ((v << (7 - lead)) & 0x7f) >> (7 - w);
        (lead << w) | frac
    };
    let l = log(a as u32) + log(b as u32);
    let (k, f) = (l >> w, l & ((1 << w) - 1));
    ((((1u64 << w) + f as u64) << k) >> w) as u16
}
