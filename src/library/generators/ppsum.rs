//! Families that are a subset of the partial-product matrix summed exactly:
//! exact multipliers (array, Dadda, Wallace; unsigned and Baugh-Wooley),
//! partial-product column truncation with and without a compensation
//! constant, the broken-array multiplier and operand LSB truncation.

use super::circuit::{Circuit, Sig};
use super::matrix::{self, pp_bits, pp_constant, pp_mean, pp_sig, pp_value, Pp};

/// How the kept partial products are summed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Reducer {
    /// Carry-save array with a ripple-carry final adder.
    Array,
    /// Dadda tree (column compression with the fewest adders per stage).
    Dadda,
    /// Wallace tree (greedy column compression).
    Wallace,
}

/// Sum the partial products `keep` selects, plus the Baugh-Wooley constant
/// (signed) and `extra`, with the given reducer.
pub fn sum_pp(
    c: &mut Circuit,
    a: &[Sig],
    x: &[Sig],
    signed: bool,
    keep: impl Fn(Pp) -> bool,
    extra: u32,
    reducer: Reducer,
) -> Vec<Sig> {
    let constant = pp_constant(signed).wrapping_add(extra) & 0xffff;
    let bits: Vec<Pp> = pp_bits(signed).into_iter().filter(|p| keep(*p)).collect();
    match reducer {
        Reducer::Array => {
            let mut rows: Vec<Vec<(usize, Sig)>> = vec![Vec::new(); 8];
            for p in bits {
                let s = pp_sig(c, a, x, p);
                rows[p.j].push((p.col(), s));
            }
            matrix::array(c, rows, constant)
        }
        Reducer::Dadda | Reducer::Wallace => {
            let mut cols = matrix::columns();
            for p in bits {
                let s = pp_sig(c, a, x, p);
                cols[p.col()].push(s);
            }
            matrix::add_constant(&mut cols, constant);
            if reducer == Reducer::Dadda {
                matrix::dadda(c, cols)
            } else {
                matrix::wallace(c, cols)
            }
        }
    }
}

/// Reference: the arithmetic sum (mod 2^16) that [`sum_pp`] computes.
pub fn sum_pp_ref(a: u8, b: u8, signed: bool, keep: impl Fn(Pp) -> bool, extra: u32) -> u16 {
    let mut s = pp_constant(signed).wrapping_add(extra);
    for p in pp_bits(signed) {
        if keep(p) {
            s = s.wrapping_add(pp_value(p, a, b) << p.col());
        }
    }
    s as u16
}

/// Column truncation: keep bits in columns `>= k`.
pub fn trunc_keep(k: usize) -> impl Fn(Pp) -> bool {
    move |p| p.col() >= k
}

/// Compensation constant of column truncation at `k`: the expected value of
/// the dropped bits under uniform operands, rounded to the nearest integer.
pub fn trunc_compensation(signed: bool, k: usize) -> u32 {
    let e: f64 = pp_bits(signed)
        .into_iter()
        .filter(|p| p.col() < k)
        .map(|p| pp_mean(p) * (1u64 << p.col()) as f64)
        .sum();
    e.round() as u32
}

/// Broken-array multiplier (Mahdiani et al.): the carry-save cells of rows
/// below the horizontal break level `hbl` and of columns below the vertical
/// break level `vbl` are omitted, together with their partial products.
pub fn broken_keep(hbl: usize, vbl: usize) -> impl Fn(Pp) -> bool {
    move |p| p.j >= hbl && p.col() >= vbl
}

/// Operands with their `k` low bits forced to 0.
pub fn truncate_operand(v: &[Sig], k: usize) -> Vec<Sig> {
    v.iter()
        .enumerate()
        .map(|(i, s)| if i < k { Sig::Zero } else { *s })
        .collect()
}

/// Reference of operand LSB truncation: the exact product of the operands
/// with their low bits cleared (two's complement values when signed).
pub fn operand_trunc_ref(a: u8, b: u8, signed: bool, ka: usize, kb: usize) -> u16 {
    let ma = (0xffu32 << ka) as u8;
    let mb = (0xffu32 << kb) as u8;
    let p = crate::errmap::operand(a & ma, signed) * crate::errmap::operand(b & mb, signed);
    p as u16
}
