//! Bit-parallel exhaustive simulation: every net holds 65,536 lanes (one per
//! operand pair) as 1,024 64-bit words; gates run in topological order.
//!
//! Lane `i` carries operands `a = i >> 8` (bus `A`) and `b = i & 255`
//! (bus `B`), the same order as [`crate::errmap::index`].

use super::{Netlist, NetId};
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
pub fn check_ports<'n>(n: &'n Netlist, a: &str, b: &str, o: &str) -> Result<(&'n [NetId], &'n [NetId], &'n [NetId])> {
    let get_in = |name: &str| {
        n.input(name).ok_or_else(|| Error::input(format!("netlist {}: no input port `{name}`", n.name)))
    };
    let (ba, bb) = (get_in(a)?, get_in(b)?);
    let bo = n.output(o).ok_or_else(|| Error::input(format!("netlist {}: no output port `{o}`", n.name)))?;
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
    let (pa, pb, po) = check_ports(n, a, b, o)?;
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
        assert_eq!(exhaustive(&array_mult(), false).unwrap(), ErrorMap::exact(false));
    }

    #[test]
    fn missing_port_is_an_input_error() {
        let mut b = Builder::new("bad");
        b.input("A", 8);
        let e = exhaustive(&b.build(), false).unwrap_err();
        assert!(e.to_string().contains("no input port `B`"), "{e}");
    }
}
