//! A netlist as a Yosys JSON module (`read_json`), built with Yosys's own
//! internal gate cells. It is a second, independent rendering of the
//! netlist, used only to prove each emitted Verilog module equivalent to its
//! source netlist with Yosys's equivalence checker.

use crate::netlist::{GateKind, Netlist};
use serde_json::{json, Map, Value};

/// Yosys JSON text of `n` as module `module`, ports named as in
/// [`super::module::module_of`].
pub fn write(n: &Netlist, module: &str) -> String {
    // Yosys numbers bits from 2; constants are the strings "0" / "1".
    let mut bit: Vec<Value> = (0..n.num_nets).map(|i| json!(i + 2)).collect();
    for g in &n.gates {
        match g.kind {
            GateKind::Const0 => bit[g.output.0 as usize] = json!("0"),
            GateKind::Const1 => bit[g.output.0 as usize] = json!("1"),
            _ => {}
        }
    }
    let bits = |nets: &[crate::netlist::NetId]| {
        Value::Array(nets.iter().map(|x| bit[x.0 as usize].clone()).collect())
    };
    let mut ports = Map::new();
    let names = super::module::names(n);
    let mut netnames = Map::new();
    for (g, w) in n.gates.iter().zip(&names.gates) {
        netnames.insert(w.as_str().to_string(), json!({"bits": bits(&[g.output])}));
    }
    let names = names.ports;
    let dirs = n
        .inputs
        .iter()
        .map(|b| ("input", b))
        .chain(n.outputs.iter().map(|b| ("output", b)));
    for ((dir, b), name) in dirs.zip(names) {
        ports.insert(
            name.as_str().to_string(),
            json!({"direction": dir, "bits": bits(&b.nets)}),
        );
    }
    let mut cells = Map::new();
    for (k, g) in n.gates.iter().enumerate() {
        use GateKind::*;
        let ty = match g.kind {
            Const0 | Const1 => continue,
            Buf => "$_BUF_",
            Not => "$_NOT_",
            And => "$_AND_",
            Or => "$_OR_",
            Xor => "$_XOR_",
            Nand => "$_NAND_",
            Nor => "$_NOR_",
            Xnor => "$_XNOR_",
            AndNot => "$_ANDNOT_",
            OrNot => "$_ORNOT_",
            Mux => "$_MUX_",
        };
        let mut conns = Map::new();
        for (p, net) in ["A", "B", "S"].iter().zip(&g.inputs) {
            conns.insert(p.to_string(), bits(&[*net]));
        }
        conns.insert("Y".into(), bits(&[g.output]));
        cells.insert(format!("g{k}"), json!({"type": ty, "connections": conns}));
    }
    let m = json!({"modules": {module: {"ports": ports, "cells": cells, "netnames": netnames}}});
    serde_json::to_string_pretty(&m).expect("JSON of a netlist")
}
