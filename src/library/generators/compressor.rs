//! Approximate 4:2 compressor trees: partial-product rows are taken in two
//! groups of four (rows 0-3, 4-7); in every column below `t`, the group's
//! bits of that column go through an approximate 4:2 compressor without
//! carry-in/out (sum of weight 1, carry of weight 2). All remaining bits are
//! summed exactly by a Dadda tree. Works on the unsigned and the
//! Baugh-Wooley matrix.
//!
//! Compressors (`x1..x4` the four bits, missing bits are 0):
//! - `A` (after Momeni et al.'s design 2): carry = x1x2 + x3x4,
//!   sum = (x1^x2) + (x3^x4); errs whenever both pairs have a one.
//! - `B`: carry = x1x2 + x3x4 + (x1+x2)(x3+x4), sum = x1^x2^x3^x4; errs only
//!   for four ones (2 instead of 4).

use super::circuit::{Circuit, Sig};
use super::matrix::{self, pp_bits, pp_constant, pp_sig, pp_value, Pp};

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
/// Which approximate 4:2 compressor (see the module docs).
pub enum Kind {
    /// Momeni et al.'s design 2: errs whenever both pairs have a one.
    A,
    /// Errs only for four ones (2 instead of 4).
    B,
}

impl Kind {
    /// Name in design ids (`a`, `b`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::A => "a",
            Kind::B => "b",
        }
    }
    /// Arithmetic value (2 carry + sum) of the compressor on bits `x`.
    pub fn value(self, x: [u32; 4]) -> u32 {
        let [x1, x2, x3, x4] = x;
        match self {
            Kind::A => 2 * ((x1 & x2) | (x3 & x4)) + ((x1 ^ x2) | (x3 ^ x4)),
            Kind::B => 2 * ((x1 & x2) | (x3 & x4) | ((x1 | x2) & (x3 | x4))) + (x1 ^ x2 ^ x3 ^ x4),
        }
    }
    fn gates(self, c: &mut Circuit, x: [Sig; 4]) -> (Sig, Sig) {
        let [x1, x2, x3, x4] = x;
        let a12 = c.and(x1, x2);
        let a34 = c.and(x3, x4);
        let e12 = c.xor(x1, x2);
        let e34 = c.xor(x3, x4);
        match self {
            Kind::A => (c.or(e12, e34), c.or(a12, a34)),
            Kind::B => {
                let o12 = c.or(x1, x2);
                let o34 = c.or(x3, x4);
                let cross = c.and(o12, o34);
                let t = c.or(a12, a34);
                (c.xor(e12, e34), c.or(t, cross))
            }
        }
    }
}

/// The group's four bits of column `col` (rows `4g..4g+4`), if present.
fn group_bits(signed: bool, g: usize, col: usize) -> [Option<Pp>; 4] {
    let mut out = [None; 4];
    for p in pp_bits(signed) {
        if p.col() == col && p.j / 4 == g {
            out[p.j % 4] = Some(p);
        }
    }
    out
}

/// Product bits, LSB first, of operand bits `a` and `x` (LSB first) with `kind` compressors in the columns below `t`.
pub fn build(
    c: &mut Circuit,
    a: &[Sig],
    x: &[Sig],
    signed: bool,
    kind: Kind,
    t: usize,
) -> Vec<Sig> {
    let mut cols = matrix::columns();
    for col in 0..15 {
        for g in 0..2 {
            let bits = group_bits(signed, g, col);
            let present = bits.iter().filter(|b| b.is_some()).count();
            let sigs: Vec<Sig> = bits
                .iter()
                .map(|b| b.map_or(Sig::Zero, |p| pp_sig(c, a, x, p)))
                .collect();
            if col < t && present >= 2 {
                let (s, cy) = kind.gates(c, [sigs[0], sigs[1], sigs[2], sigs[3]]);
                cols[col].push(s);
                cols[col + 1].push(cy);
            } else {
                cols[col].extend(sigs.into_iter().filter(|s| *s != Sig::Zero));
            }
        }
    }
    matrix::add_constant(&mut cols, pp_constant(signed));
    matrix::dadda(c, cols)
}

/// Reference: compressed groups plus the exact sum of the other bits.
pub fn reference(a: u8, b: u8, signed: bool, kind: Kind, t: usize) -> u16 {
    let mut s = pp_constant(signed);
    for col in 0..15 {
        for g in 0..2 {
            let bits = group_bits(signed, g, col);
            let present = bits.iter().filter(|b| b.is_some()).count();
            let v = bits.map(|q| q.map_or(0, |p| pp_value(p, a, b)));
            let sum = if col < t && present >= 2 {
                kind.value(v)
            } else {
                v.iter().sum()
            };
            s = s.wrapping_add(sum << col);
        }
    }
    s as u16
}
