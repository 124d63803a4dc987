//! Built-in generic cells of structural netlists (what EvoApprox8b and
//! similar libraries instantiate): simple gates, inverter, buffer, 2:1 mux,
//! half and full adders and a few complex gates. Cell names may carry a
//! vendor prefix (`PDKGEN`, or anything ending in `_`) and a drive suffix
//! (`X1`, `_1`); a module of the same name defined in the file or in the
//! `--cells` file always wins over the built-in.

use crate::netlist::{GateKind, NetId};

/// Something that can make gates (the elaborator).
pub trait Gates {
    fn gate(&mut self, kind: GateKind, inputs: &[NetId]) -> NetId;
}

/// A built-in cell: accepted names of each input and output pin, and its logic.
pub struct Cell {
    pub base: &'static str,
    pub inputs: &'static [&'static [&'static str]],
    pub outputs: &'static [&'static [&'static str]],
    pub build: fn(&mut dyn Gates, &[NetId]) -> Vec<NetId>,
}

const Y: &[&str] = &["Y", "Z", "ZN", "X", "O", "OUT", "Q"];
const A: &[&str] = &["A", "A1", "I", "IN", "I0"];
const B: &[&str] = &["B", "A2", "I1", "B1"];
const C: &[&str] = &["C", "A3", "B2", "CI", "CIN"];
const D: &[&str] = &["D", "A4"];
const S: &[&str] = &["S", "S0", "SEL"];
const SUM: &[&str] = &["YS", "S", "SUM"];
const CARRY: &[&str] = &["YC", "CO", "COUT", "C"];

macro_rules! cell {
    ($base:expr, [$($i:expr),*], [$($o:expr),*], $f:expr) => {
        Cell { base: $base, inputs: &[$($i),*], outputs: &[$($o),*], build: $f }
    };
}

/// Longest names first, so `NAND2` is not read as `AND2` with prefix `N`.
static CELLS: &[Cell] = &[
    cell!("XNOR2", [A, B], [Y], |g, i| vec![
        g.gate(GateKind::Xnor, &[i[0], i[1]])
    ]),
    cell!("NAND2", [A, B], [Y], |g, i| vec![
        g.gate(GateKind::Nand, &[i[0], i[1]])
    ]),
    cell!("NAND3", [A, B, C], [Y], |g, i| {
        let t = g.gate(GateKind::And, &[i[0], i[1]]);
        vec![g.gate(GateKind::Nand, &[t, i[2]])]
    }),
    cell!("AOI21", [A, B, C], [Y], |g, i| {
        let t = g.gate(GateKind::And, &[i[0], i[1]]);
        vec![g.gate(GateKind::Nor, &[t, i[2]])]
    }),
    cell!("OAI21", [A, B, C], [Y], |g, i| {
        let t = g.gate(GateKind::Or, &[i[0], i[1]]);
        vec![g.gate(GateKind::Nand, &[t, i[2]])]
    }),
    cell!("AOI22", [A, B, C, D], [Y], |g, i| {
        let t = g.gate(GateKind::And, &[i[0], i[1]]);
        let u = g.gate(GateKind::And, &[i[2], i[3]]);
        vec![g.gate(GateKind::Nor, &[t, u])]
    }),
    cell!("OAI22", [A, B, C, D], [Y], |g, i| {
        let t = g.gate(GateKind::Or, &[i[0], i[1]]);
        let u = g.gate(GateKind::Or, &[i[2], i[3]]);
        vec![g.gate(GateKind::Nand, &[t, u])]
    }),
    cell!("XOR2", [A, B], [Y], |g, i| vec![
        g.gate(GateKind::Xor, &[i[0], i[1]])
    ]),
    cell!("NOR2", [A, B], [Y], |g, i| vec![
        g.gate(GateKind::Nor, &[i[0], i[1]])
    ]),
    cell!("NOR3", [A, B, C], [Y], |g, i| {
        let t = g.gate(GateKind::Or, &[i[0], i[1]]);
        vec![g.gate(GateKind::Nor, &[t, i[2]])]
    }),
    cell!("AND2", [A, B], [Y], |g, i| vec![
        g.gate(GateKind::And, &[i[0], i[1]])
    ]),
    cell!("AND3", [A, B, C], [Y], |g, i| {
        let t = g.gate(GateKind::And, &[i[0], i[1]]);
        vec![g.gate(GateKind::And, &[t, i[2]])]
    }),
    cell!("OR2", [A, B], [Y], |g, i| vec![
        g.gate(GateKind::Or, &[i[0], i[1]])
    ]),
    cell!("OR3", [A, B, C], [Y], |g, i| {
        let t = g.gate(GateKind::Or, &[i[0], i[1]]);
        vec![g.gate(GateKind::Or, &[t, i[2]])]
    }),
    cell!("MUX2", [A, B, S], [Y], |g, i| vec![
        g.gate(GateKind::Mux, &[i[0], i[1], i[2]])
    ]),
    cell!("CLKINV", [A], [Y], |g, i| vec![
        g.gate(GateKind::Not, &[i[0]])
    ]),
    cell!("CLKBUF", [A], [Y], |g, i| vec![
        g.gate(GateKind::Buf, &[i[0]])
    ]),
    cell!("INV", [A], [Y], |g, i| vec![g.gate(GateKind::Not, &[i[0]])]),
    cell!("NOT", [A], [Y], |g, i| vec![g.gate(GateKind::Not, &[i[0]])]),
    cell!("BUF", [A], [Y], |g, i| vec![g.gate(GateKind::Buf, &[i[0]])]),
    cell!("HA", [A, B], [SUM, CARRY], |g, i| {
        vec![
            g.gate(GateKind::Xor, &[i[0], i[1]]),
            g.gate(GateKind::And, &[i[0], i[1]]),
        ]
    }),
    cell!("FA", [A, B, C], [SUM, CARRY], |g, i| {
        let t = g.gate(GateKind::Xor, &[i[0], i[1]]);
        let s = g.gate(GateKind::Xor, &[t, i[2]]);
        let c1 = g.gate(GateKind::And, &[i[0], i[1]]);
        let c2 = g.gate(GateKind::And, &[t, i[2]]);
        vec![s, g.gate(GateKind::Or, &[c1, c2])]
    }),
];

/// Vendor prefixes known without a trailing `_`.
const PREFIXES: &[&str] = &["", "PDKGEN", "PDK", "GEN", "GTECH_", "CELL"];

/// Whether `prefix` may precede a cell's base name.
fn prefix_ok(prefix: &str) -> bool {
    PREFIXES.contains(&prefix) || prefix.ends_with('_')
}

/// Strip a drive-strength suffix (`X1`, `_X2`, `_1`).
fn strip_drive(name: &str) -> Option<&str> {
    let digits = name.trim_end_matches(|c: char| c.is_ascii_digit());
    if digits.len() == name.len() {
        return None;
    }
    digits
        .strip_suffix("_X")
        .or_else(|| digits.strip_suffix('X'))
        .or_else(|| digits.strip_suffix('_'))
}

/// The built-in cell called `name`, if any.
pub fn lookup(name: &str) -> Option<&'static Cell> {
    let upper = name.to_ascii_uppercase();
    let mut candidates = vec![upper.as_str()];
    if let Some(s) = strip_drive(&upper) {
        candidates.push(s);
    }
    for cand in candidates {
        for cell in CELLS {
            if let Some(prefix) = cand.strip_suffix(cell.base) {
                if prefix_ok(prefix) {
                    return Some(cell);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_prefixes_and_suffixes() {
        for (name, base) in [
            ("HAX1", "HA"),
            ("PDKGENFAX1", "FA"),
            ("PDKGENNAND2X1", "NAND2"),
            ("NOR2", "NOR2"),
            ("xnor2", "XNOR2"),
            ("MUX2", "MUX2"),
            ("MUX2X1", "MUX2"),
            ("INVX1", "INV"),
            ("sky130_fd_sc_hd__nand2_1", "NAND2"),
            ("PDKGENBUFX2", "BUF"),
        ] {
            assert_eq!(lookup(name).map(|c| c.base), Some(base), "{name}");
        }
        for name in ["MYHA", "NAND2Y", "ADDER", "XAND2"] {
            assert!(lookup(name).is_none(), "{name}");
        }
    }
}
