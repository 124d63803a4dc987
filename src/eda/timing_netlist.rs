//! The flat, bit-level Verilog netlist of a Liberty-mapped accelerator
//! (`netlist_sta.v`) that OpenSTA ([`super::sta`]), the gate-level
//! simulator ([`super::gatesim`]) and the system energy report read,
//! written here from the flattened design Yosys leaves as JSON
//! (`write_json`). Yosys 0.23's `write_verilog` took 8 of the 15 s of the
//! statistics script on LeNet-5's 47,000 cells; reading its JSON and
//! printing the netlist here takes a fraction of a second.
//!
//! The form is the one Yosys writes after `splitnets -ports; splitnets`
//! with `-noattr -noexpr`, which OpenSTA 2.0's Verilog reader accepts:
//! every net one bit, named `name[i]` (an escaped identifier) after its
//! RTL wire where it has one, `_n<bit>_` where it has none; one instance
//! per cell with one `.pin(...)` line per pin (a bus pin as a
//! concatenation, most significant bit first); `assign` only where an
//! output port repeats another port's net or is a constant.

use crate::error::{Error, Result};
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

/// A JSON object read in file order (Yosys writes ports in declaration
/// order; `serde_json::Map` would sort them).
struct Ordered<T>(Vec<(String, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Ordered(vec![])
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut m: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut v = vec![];
                while let Some(entry) = m.next_entry()? {
                    v.push(entry);
                }
                Ok(Ordered(v))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// One bit of a Yosys JSON signal: a net number, or a constant `"0"`,
/// `"1"`, `"x"`, `"z"`.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(untagged)]
enum Bit {
    Net(u64),
    Const(Const),
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Hash)]
enum Const {
    #[serde(rename = "0")]
    Zero,
    #[serde(rename = "1")]
    One,
    #[serde(rename = "x")]
    X,
    #[serde(rename = "z")]
    Z,
}

#[derive(Deserialize)]
struct Design {
    modules: Ordered<Module>,
}

#[derive(Deserialize)]
struct Module {
    #[serde(default)]
    ports: Ordered<Port>,
    #[serde(default)]
    cells: Ordered<Cell>,
    #[serde(default)]
    netnames: Ordered<NetName>,
}

#[derive(Deserialize)]
struct Port {
    direction: String,
    bits: Vec<Bit>,
}

#[derive(Deserialize)]
struct Cell {
    #[serde(default)]
    hide_name: u8,
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    connections: Ordered<Vec<Bit>>,
}

#[derive(Deserialize)]
struct NetName {
    #[serde(default)]
    hide_name: u8,
    bits: Vec<Bit>,
    #[serde(default)]
    offset: i64,
    #[serde(default)]
    upto: u8,
}

/// `name` as a Verilog identifier: as is when it is a legal simple
/// identifier, else escaped (`\name` and a space).
fn ident(name: &str) -> String {
    if crate::verilog::names::is_legal(name) {
        name.to_string()
    } else {
        format!("\\{name} ")
    }
}

/// Name of bit `i` (LSB first) of a signal of `width` bits.
fn bit_name(name: &str, width: usize, i: usize, offset: i64, upto: bool) -> String {
    if width == 1 {
        return name.to_string();
    }
    let k = if upto { width - 1 - i } else { i };
    format!("{name}[{}]", offset + k as i64)
}

/// The names of the netlist: one per net, one per instance, all distinct
/// (nets and instances share a module's name space).
struct Names {
    of_net: HashMap<u64, String>,
    taken: HashSet<String>,
    next_cell: usize,
}

impl Names {
    /// Name `n` as `s` unless `s` is taken.
    fn claim(&mut self, n: u64, s: String) {
        if !self.of_net.contains_key(&n) && self.taken.insert(s.clone()) {
            self.of_net.insert(n, s);
        }
    }

    /// The connection text of bit `b`; a net without a name gets
    /// `_n<bit>_`.
    fn conn(&mut self, b: Bit) -> String {
        match b {
            Bit::Const(Const::Zero) => "1'h0".into(),
            Bit::Const(Const::One) => "1'h1".into(),
            Bit::Const(Const::X) => "1'hx".into(),
            Bit::Const(Const::Z) => "1'hz".into(),
            Bit::Net(n) => {
                if !self.of_net.contains_key(&n) {
                    let s = self.fresh(format!("_n{n}_"));
                    self.of_net.insert(n, s);
                }
                ident(&self.of_net[&n])
            }
        }
    }

    /// `base`, or `base` with underscores appended until it is free.
    fn fresh(&mut self, mut base: String) -> String {
        while !self.taken.insert(base.clone()) {
            base.push('_');
        }
        base
    }

    /// The instance name of a cell: its own when public and free, else
    /// `_c<k>_`.
    fn cell(&mut self, name: &str, public: bool) -> String {
        if public && self.taken.insert(name.to_string()) {
            return name.to_string();
        }
        self.next_cell += 1;
        self.fresh(format!("_c{}_", self.next_cell))
    }
}

/// The Verilog netlist of module `top` of the Yosys JSON `json` (see the
/// module doc). Errors: text that is not a Yosys JSON design, no module
/// `top`, a port that is neither input nor output.
pub fn write(json: &str, top: &str) -> Result<String> {
    let design: Design =
        serde_json::from_str(json).map_err(|e| Error::tool(format!("Yosys JSON netlist: {e}")))?;
    let m = design
        .modules
        .0
        .into_iter()
        .find(|(name, _)| name == top)
        .map(|(_, m)| m)
        .ok_or_else(|| Error::tool(format!("Yosys JSON netlist: no module `{top}`")))?;
    let mut names = Names {
        of_net: HashMap::new(),
        taken: HashSet::new(),
        next_cell: 0,
    };
    // Every port bit is a wire of its own; a net is named after the first
    // port bit on it.
    let mut ports: Vec<(String, &str, Bit)> = vec![];
    for (name, p) in &m.ports.0 {
        let dir = match p.direction.as_str() {
            "input" => "input",
            "output" => "output",
            d => {
                return Err(Error::tool(format!(
                    "Yosys JSON netlist: port `{name}` is `{d}`, not input or output"
                )))
            }
        };
        for (i, &b) in p.bits.iter().enumerate() {
            let wire = bit_name(name, p.bits.len(), i, 0, false);
            names.taken.insert(wire.clone());
            if let Bit::Net(n) = b {
                names.of_net.entry(n).or_insert_with(|| wire.clone());
            }
            ports.push((wire, dir, b));
        }
    }
    // Other nets after their RTL wire: the fewest hierarchy levels, then
    // the shortest name, then the first in byte order.
    let mut best: HashMap<u64, String> = HashMap::new();
    let rank = |s: &str| (s.matches('.').count(), s.len());
    for (name, nn) in m.netnames.0.iter().filter(|(_, nn)| nn.hide_name == 0) {
        for (i, b) in nn.bits.iter().enumerate() {
            let Bit::Net(n) = *b else { continue };
            if names.of_net.contains_key(&n) {
                continue;
            }
            let cand = bit_name(name, nn.bits.len(), i, nn.offset, nn.upto != 0);
            if best
                .get(&n)
                .is_none_or(|b| (rank(&cand), cand.as_str()) < (rank(b), b.as_str()))
            {
                best.insert(n, cand);
            }
        }
    }
    let mut best: Vec<(u64, String)> = best.into_iter().collect();
    best.sort();
    for (n, s) in best {
        names.claim(n, s);
    }

    let mut cells = String::new();
    for (name, cell) in &m.cells.0 {
        let inst = names.cell(name, cell.hide_name == 0);
        let _ = writeln!(cells, "  {} {} (", ident(&cell.ty), ident(&inst));
        let pins = &cell.connections.0;
        for (k, (pin, bits)) in pins.iter().enumerate() {
            let conn = if bits.len() == 1 {
                names.conn(bits[0])
            } else {
                let parts: Vec<String> = bits.iter().rev().map(|&b| names.conn(b)).collect();
                format!("{{ {} }}", parts.join(" , "))
            };
            let sep = if k + 1 < pins.len() { "," } else { "" };
            let _ = writeln!(cells, "    .{}({conn}){sep}", ident(pin));
        }
        cells += "  );\n";
    }
    // Output ports that repeat another port's net, or are constants.
    let mut assigns = String::new();
    for (wire, _, b) in &ports {
        let (lhs, rhs) = (ident(wire), names.conn(*b));
        if lhs != rhs {
            let _ = writeln!(assigns, "  assign {lhs} = {rhs};");
        }
    }

    let header: Vec<String> = ports.iter().map(|p| ident(&p.0)).collect();
    let mut out = format!(
        "/* Written by codesign (src/eda/timing_netlist.rs) from Yosys's JSON netlist. */\n\nmodule {}({});\n",
        ident(top),
        header.join(", ")
    );
    for (wire, dir, _) in &ports {
        let _ = writeln!(out, "  {dir} {};", ident(wire));
    }
    let port_wires: HashSet<&str> = ports.iter().map(|p| p.0.as_str()).collect();
    let mut wires: Vec<&String> = names
        .of_net
        .values()
        .filter(|s| !port_wires.contains(s.as_str()))
        .collect();
    wires.sort();
    for w in wires {
        let _ = writeln!(out, "  wire {};", ident(w));
    }
    out += &cells;
    out += &assigns;
    out += "endmodule\n";
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module with a bus port, a port that repeats another's net, a
    /// constant output, a two-level RTL name, a hidden net and a hidden
    /// cell: the forms OpenSTA and the gate-level simulator read.
    #[test]
    fn ports_split_buses_msb_first_aliases_and_constants_assigned() {
        let json = r#"{"creator": "Yosys", "modules": {
          "blk": {"ports": {}, "cells": {}, "netnames": {}},
          "top": {
            "ports": {
              "clk": {"direction": "input", "bits": [2]},
              "a": {"direction": "input", "bits": [3, 4]},
              "y": {"direction": "output", "bits": [5, 5, "0"]}
            },
            "cells": {
              "$abc$7$auto$1": {"hide_name": 1, "type": "NAND2_X1",
                "connections": {"A1": [3], "A2": [4], "ZN": [6]}},
              "u.m": {"hide_name": 0, "type": "mem_u_m",
                "connections": {"addr": [6, 3], "data": [5], "clk": [2]}}
            },
            "netnames": {
              "$abc$7$new_n9": {"hide_name": 1, "bits": [6]},
              "u.core.x": {"hide_name": 0, "bits": [5]},
              "x": {"hide_name": 0, "bits": [5]},
              "a": {"hide_name": 0, "bits": [3, 4]}
            }
          }}}"#;
        let v = write(json, "top").unwrap();
        let want = "\
module top(clk, \\a[0] , \\a[1] , \\y[0] , \\y[1] , \\y[2] );
  input clk;
  input \\a[0] ;
  input \\a[1] ;
  output \\y[0] ;
  output \\y[1] ;
  output \\y[2] ;
  wire _n6_;
  NAND2_X1 _c1_ (
    .A1(\\a[0] ),
    .A2(\\a[1] ),
    .ZN(_n6_)
  );
  mem_u_m \\u.m  (
";
        assert!(v.contains(want), "{v}");
        assert!(v.contains("    .addr({ \\a[0]  , _n6_ }),\n"), "{v}");
        assert!(
            v.contains("    .data(\\y[0] ),\n    .clk(clk)\n  );\n"),
            "{v}"
        );
        assert!(
            v.contains("  assign \\y[1]  = \\y[0] ;\n  assign \\y[2]  = 1'h0;\nendmodule\n"),
            "{v}"
        );
        // The output port names the net, not the RTL wires on it.
        assert!(!v.contains("u.core.x") && !v.contains(" x;"), "{v}");
        let e = write(json, "nope").unwrap_err().to_string();
        assert!(e.contains("no module `nope`"), "{e}");
    }

    /// An RTL name for a net that no port names: the fewest hierarchy
    /// levels, then the shortest; `upto` ranges count from the top.
    #[test]
    fn nets_take_their_highest_rtl_name() {
        let json = r#"{"modules": {"top": {
            "ports": {"o": {"direction": "output", "bits": [9]}},
            "cells": {"g": {"type": "INV_X1", "connections": {"A": [7], "ZN": [9]}},
                      "h": {"type": "INV_X1", "connections": {"A": [8], "ZN": [7]}},
                      "k": {"type": "INV_X1", "connections": {"A": [9], "ZN": [8]}}},
            "netnames": {
              "u.v.deep": {"hide_name": 0, "bits": [7]},
              "u.w": {"hide_name": 0, "bits": [7]},
              "r": {"hide_name": 0, "bits": [8, 10], "offset": 3, "upto": 1}}}}}"#;
        let v = write(json, "top").unwrap();
        assert!(v.contains("  wire \\u.w ;\n") && !v.contains("deep"), "{v}");
        assert!(v.contains("  wire \\r[4] ;\n"), "{v}");
        assert!(
            v.contains("  INV_X1 h (\n    .A(\\r[4] ),\n    .ZN(\\u.w )\n  );"),
            "{v}"
        );
    }
}
