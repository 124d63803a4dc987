//! Partial products and their reduction to a 16-bit sum.
//!
//! The partial-product matrix of an 8x8 multiplier has bit `(i, j)` =
//! `A[i] & B[j]` in column `i + j` (row `j`). The signed (Baugh-Wooley)
//! matrix inverts the bits where exactly one of `i`, `j` is 7 and adds the
//! constant `2^8 + 2^15`; its sum mod 2^16 is the two's complement product.
//! Approximate families drop or alter bits of this matrix; [`pp_value`] is
//! the arithmetic definition their reference functions are written with.

use super::circuit::{Circuit, Sig};

/// One partial-product bit.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Pp {
    /// Bit of operand `A`.
    pub i: usize,
    /// Bit of operand `B` (the row).
    pub j: usize,
    /// Baugh-Wooley inverted bit.
    pub inverted: bool,
}

impl Pp {
    /// Column (weight `2^col`) of the partial product: `i + j`.
    pub fn col(&self) -> usize {
        self.i + self.j
    }
}

/// All 64 partial-product bits, row by row.
pub fn pp_bits(signed: bool) -> Vec<Pp> {
    let mut v = Vec::with_capacity(64);
    for j in 0..8 {
        for i in 0..8 {
            v.push(Pp {
                i,
                j,
                inverted: signed && ((i == 7) != (j == 7)),
            });
        }
    }
    v
}

/// Constant added to the matrix (mod 2^16).
pub fn pp_constant(signed: bool) -> u32 {
    if signed {
        (1 << 15) + (1 << 8)
    } else {
        0
    }
}

/// Arithmetic value (0 or 1) of bit `p` for operand bytes `a`, `b`.
pub fn pp_value(p: Pp, a: u8, b: u8) -> u32 {
    let v = (a as u32 >> p.i) & (b as u32 >> p.j) & 1;
    if p.inverted {
        v ^ 1
    } else {
        v
    }
}

/// Probability that bit `p` is 1 under uniform operands.
pub fn pp_mean(p: Pp) -> f64 {
    if p.inverted {
        0.75
    } else {
        0.25
    }
}

/// The gate computing bit `p` from operands `a`, `x` (LSB first).
pub fn pp_sig(c: &mut Circuit, a: &[Sig], x: &[Sig], p: Pp) -> Sig {
    let (a, b) = (a[p.i], x[p.j]);
    if p.inverted {
        c.nand(a, b)
    } else {
        c.and(a, b)
    }
}

/// Bits of `k` (mod 2^16) as constant signals in their columns.
pub fn add_constant(cols: &mut [Vec<Sig>], k: u32) {
    for (bit, col) in cols.iter_mut().enumerate().take(16) {
        if k >> bit & 1 == 1 {
            col.push(Sig::One);
        }
    }
}

/// Empty 16-column matrix.
pub fn columns() -> Vec<Vec<Sig>> {
    vec![Vec::new(); 16]
}

/// Dadda reduction of a bit matrix to two rows, then a ripple-carry adder;
/// returns the 16-bit sum (mod 2^16). Bits beyond column 15 are dropped.
pub fn dadda(c: &mut Circuit, mut cols: Vec<Vec<Sig>>) -> Vec<Sig> {
    cols.resize(16, Vec::new());
    cols.truncate(16);
    fold_constants(&mut cols);
    let max_h = cols.iter().map(Vec::len).max().unwrap_or(0);
    let mut targets = vec![2usize];
    while *targets.last().unwrap() < max_h {
        let d = *targets.last().unwrap();
        targets.push(d * 3 / 2);
    }
    targets.pop();
    for &d in targets.iter().rev() {
        let mut next: Vec<Vec<Sig>> = vec![Vec::new(); 17];
        for col in 0..16 {
            let mut rest = std::mem::take(&mut cols[col]);
            while rest.len() + next[col].len() > d && rest.len() >= 2 {
                if rest.len() + next[col].len() == d + 1 || rest.len() == 2 {
                    let (p, q) = (rest.pop().unwrap(), rest.pop().unwrap());
                    let (s, cy) = c.half_adder(p, q);
                    next[col].push(s);
                    next[col + 1].push(cy);
                } else {
                    let (p, q, r) = (
                        rest.pop().unwrap(),
                        rest.pop().unwrap(),
                        rest.pop().unwrap(),
                    );
                    let (s, cy) = c.full_adder(p, q, r);
                    next[col].push(s);
                    next[col + 1].push(cy);
                }
            }
            next[col].extend(rest);
        }
        next.truncate(16);
        cols = next;
    }
    final_adder(c, cols)
}

/// Wallace reduction: every stage compresses each column in groups of
/// three (full adders) and a leftover pair (half adder).
pub fn wallace(c: &mut Circuit, mut cols: Vec<Vec<Sig>>) -> Vec<Sig> {
    cols.resize(16, Vec::new());
    cols.truncate(16);
    fold_constants(&mut cols);
    while cols.iter().any(|col| col.len() > 2) {
        let mut next: Vec<Vec<Sig>> = vec![Vec::new(); 17];
        for col in 0..16 {
            let bits = std::mem::take(&mut cols[col]);
            let mut k = 0;
            while bits.len() - k >= 3 {
                let (s, cy) = c.full_adder(bits[k], bits[k + 1], bits[k + 2]);
                next[col].push(s);
                next[col + 1].push(cy);
                k += 3;
            }
            if bits.len() - k == 2 && bits.len() > 2 {
                let (s, cy) = c.half_adder(bits[k], bits[k + 1]);
                next[col].push(s);
                next[col + 1].push(cy);
            } else {
                next[col].extend_from_slice(&bits[k..]);
            }
        }
        next.truncate(16);
        cols = next;
    }
    final_adder(c, cols)
}

/// Carry-save array: rows are added one after the other, each column
/// keeping a sum and a carry bit between rows (the textbook array
/// multiplier); a ripple-carry adder resolves the last row.
pub fn array(c: &mut Circuit, rows: Vec<Vec<(usize, Sig)>>, constant: u32) -> Vec<Sig> {
    let mut pending: Vec<Vec<Sig>> = columns();
    add_constant(&mut pending, constant);
    fold_constants(&mut pending);
    for row in rows {
        let mut next: Vec<Vec<Sig>> = vec![Vec::new(); 17];
        let mut add: Vec<Vec<Sig>> = columns();
        for (col, s) in row {
            if col < 16 {
                add[col].push(s);
            }
        }
        for col in 0..16 {
            let mut bits = std::mem::take(&mut pending[col]);
            bits.append(&mut add[col]);
            // Prior carries from this row go into `next[col]`; keep the
            // invariant of at most two bits per column.
            while bits.len() + next[col].len() > 2 && bits.len() >= 2 {
                if bits.len() >= 3 {
                    let (p, q, r) = (bits.remove(0), bits.remove(0), bits.remove(0));
                    let (s, cy) = c.full_adder(p, q, r);
                    bits.insert(0, s);
                    next[col + 1].push(cy);
                } else {
                    let (p, q) = (bits.remove(0), bits.remove(0));
                    let (s, cy) = c.half_adder(p, q);
                    bits.insert(0, s);
                    next[col + 1].push(cy);
                }
            }
            next[col].extend(bits);
        }
        next.truncate(16);
        pending = next;
    }
    final_adder(c, pending)
}

/// Merge constant ones of each column into one constant word, re-added as
/// at most one constant bit per column.
fn fold_constants(cols: &mut [Vec<Sig>]) {
    let mut k = 0u32;
    for (bit, col) in cols.iter_mut().enumerate() {
        let ones = col.iter().filter(|s| **s == Sig::One).count() as u32;
        k = k.wrapping_add(ones << bit);
        col.retain(|s| matches!(s, Sig::Net(_)));
    }
    add_constant(cols, k & 0xffff);
}

/// Ripple-carry adder over columns of at most three bits.
fn final_adder(c: &mut Circuit, cols: Vec<Vec<Sig>>) -> Vec<Sig> {
    let mut out = Vec::with_capacity(16);
    let mut carry = Sig::Zero;
    for col in cols.into_iter().take(16) {
        let mut bits = col;
        bits.push(carry);
        while bits.len() < 3 {
            bits.push(Sig::Zero);
        }
        assert!(
            bits.len() == 3,
            "reducer left more than two bits in a column"
        );
        let (s, cy) = c.full_adder(bits[0], bits[1], bits[2]);
        out.push(s);
        carry = cy;
    }
    out.resize(16, Sig::Zero);
    out
}
