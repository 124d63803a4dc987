//! Kulkarni et al.'s underdesigned multiplier: the 8x8 product assembled
//! from sixteen 2x2 blocks, where an approximate block returns 7 for 3x3
//! (three output bits instead of four). Blocks `(i, j)` (operand digit
//! positions in base 4) with `i + j < level` are approximate; the block
//! products are summed exactly by a Dadda tree.

use super::circuit::{Circuit, Sig};
use super::matrix;

/// 2x2 block product bits (LSB first).
fn block(c: &mut Circuit, a: [Sig; 2], b: [Sig; 2], approx: bool) -> Vec<Sig> {
    let p0 = c.and(a[0], b[0]);
    let t1 = c.and(a[1], b[0]);
    let t2 = c.and(a[0], b[1]);
    let p2 = c.and(a[1], b[1]);
    if approx {
        vec![p0, c.or(t1, t2), p2]
    } else {
        let (s1, c1) = c.half_adder(t1, t2);
        let (s2, c2) = c.half_adder(p2, c1);
        vec![p0, s1, s2, c2]
    }
}

/// Product bits, LSB first, of unsigned operand bits `a` and `x` (LSB first): Kulkarni 2x2 blocks, approximate where the block's digit sum is below `level`.
pub fn build(c: &mut Circuit, a: &[Sig], x: &[Sig], level: usize) -> Vec<Sig> {
    let mut cols = matrix::columns();
    for i in 0..4 {
        for j in 0..4 {
            let bits = block(
                c,
                [a[2 * i], a[2 * i + 1]],
                [x[2 * j], x[2 * j + 1]],
                i + j < level,
            );
            for (k, s) in bits.into_iter().enumerate() {
                cols[2 * (i + j) + k].push(s);
            }
        }
    }
    matrix::dadda(c, cols)
}

/// Reference: sum of 2x2 digit products, 3x3 = 7 in approximate blocks.
pub fn reference(a: u8, b: u8, level: usize) -> u16 {
    let mut s = 0u32;
    for i in 0..4 {
        for j in 0..4 {
            let (da, db) = ((a as u32 >> (2 * i)) & 3, (b as u32 >> (2 * j)) & 3);
            let p = if i + j < level && da == 3 && db == 3 {
                7
            } else {
                da * db
            };
            s += p << (2 * (i + j));
        }
    }
    s as u16
}
