//! Small multiplier netlists for the emitter's own tests (column
//! compression of partial products, optionally truncated), so the RTL checks
//! do not depend on the library's generators.

use crate::netlist::{Builder, NetId, Netlist};

/// An 8x8 multiplier `O = A * B` (mod 2^16) whose partial products
/// `a_i b_j` with `i + j < drop_below` are omitted (0 = exact). `signed`:
/// two's complement operands, sign-extended to 16 bits.
pub fn multiplier(name: &str, signed: bool, drop_below: usize) -> Netlist {
    let mut b = Builder::new(name);
    let a = b.input("A", 8);
    let w = b.input("B", 8);
    let ext = |v: &[NetId], i: usize| if signed { v[i.min(7)] } else { v[i] };
    let n = if signed { 16 } else { 8 };
    let mut cols: Vec<Vec<NetId>> = vec![vec![]; 16];
    for i in 0..n {
        for j in 0..n {
            if i + j < 16 && i + j >= drop_below {
                let (x, y) = (ext(&a, i), ext(&w, j));
                let p = b.and(x, y);
                cols[i + j].push(p);
            }
        }
    }
    for c in 0..16 {
        while cols[c].len() > 1 {
            let (s, carry) = if cols[c].len() >= 3 {
                let (x, y, z) = (cols[c].remove(0), cols[c].remove(0), cols[c].remove(0));
                b.full_adder(x, y, z)
            } else {
                let (x, y) = (cols[c].remove(0), cols[c].remove(0));
                b.half_adder(x, y)
            };
            cols[c].push(s);
            if c + 1 < 16 {
                cols[c + 1].push(carry);
            }
        }
    }
    let out: Vec<NetId> = (0..16)
        .map(|c| cols[c].first().copied().unwrap_or_else(|| b.zero()))
        .collect();
    b.output("O", out);
    b.build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errmap::ErrorMap;
    use crate::netlist::sim::exhaustive;

    #[test]
    fn exact_fixtures_multiply() {
        assert!(exhaustive(&multiplier("u", false, 0), false).unwrap() == ErrorMap::exact(false));
        assert!(exhaustive(&multiplier("s", true, 0), true).unwrap() == ErrorMap::exact(true));
        let t = exhaustive(&multiplier("t", false, 5), false).unwrap();
        let dropped = |x: i32, y: i32| -> i32 {
            (0..8)
                .flat_map(|i| (0..8).map(move |j| (i, j)))
                .filter(|(i, j)| i + j < 5)
                .map(|(i, j)| (((x >> i) & 1) * ((y >> j) & 1)) << (i + j))
                .sum()
        };
        assert_eq!(t, ErrorMap::from_fn(false, |x, y| x * y - dropped(x, y)));
        assert!(t != ErrorMap::exact(false));
    }
}
