//! Yosys routes: reading `write_json` netlists of Yosys's internal gate
//! cells, and synthesizing any other Verilog to such a netlist first.

use crate::eda::{self, Tool};
use crate::error::{Error, Result};
use crate::netlist::validate::{Loc, PartPort, Parts, Ports};
use crate::netlist::{Bus, GateKind, NetId, Netlist};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// The Yosys script that maps a design to the internal single-bit gates
/// this crate simulates (`abc -g` keeps ABC to those cell types).
pub const SYNTH_SCRIPT: &str = "hierarchy -auto-top; proc; flatten; synth -flatten; \
     abc -g AND,NAND,OR,NOR,XOR,XNOR,ANDNOT,ORNOT,MUX; opt_clean";

/// Synthesize the Verilog file `path` (plus `--cells`) with Yosys and read
/// the result.
pub fn synthesize(path: &Path, opts: &super::ImportOptions) -> Result<Netlist> {
    let dir = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let abs = |p: &Path| std::fs::canonicalize(p).map_err(|e| Error::io(p, e));
    let mut reads = format!("read_verilog -sv {}; ", quote(&abs(path)?));
    if let Some(c) = &opts.cells {
        reads += &format!("read_verilog -sv {}; ", quote(&abs(c)?));
    }
    let out = dir.path().join("netlist.json");
    let script = format!("{reads}{SYNTH_SCRIPT}; write_json {}", quote(&out));
    eda::run(Tool::Yosys, &["-q", "-p", &script], dir.path(), None).map_err(|e| {
        Error::input(format!(
            "{}: Yosys could not synthesize it: {e}",
            path.display()
        ))
    })?;
    let text = crate::io::read_text(&out)?;
    let mut n = from_json(&text, &out, &opts.ports)
        .map_err(|e| Error::input(format!("{} (synthesized from {})", e, path.display())))?;
    if n.name.starts_with('\\') {
        n.name.remove(0);
    }
    Ok(n)
}

/// Quote a path for a Yosys command line.
fn quote(p: &Path) -> String {
    format!("\"{}\"", p.display())
}

/// Pins of a gate cell type: inputs in [`GateKind`] order, then whether
/// the result is inverted afterwards, and the kind.
fn cell_kind(ty: &str) -> Option<(&'static [&'static str], GateKind, bool)> {
    use GateKind::*;
    const AB: &[&str] = &["A", "B"];
    Some(match ty {
        "$_BUF_" => (&["A"], Buf, false),
        "$_NOT_" => (&["A"], Not, false),
        "$_AND_" => (AB, And, false),
        "$_OR_" => (AB, Or, false),
        "$_XOR_" => (AB, Xor, false),
        "$_NAND_" => (AB, Nand, false),
        "$_NOR_" => (AB, Nor, false),
        "$_XNOR_" => (AB, Xnor, false),
        "$_ANDNOT_" => (AB, AndNot, false),
        "$_ORNOT_" => (AB, OrNot, false),
        "$_MUX_" => (&["A", "B", "S"], Mux, false),
        "$_NMUX_" => (&["A", "B", "S"], Mux, true),
        _ => return None,
    })
}

/// 1-based line of the first occurrence of `needle` at or after `from`.
fn line_of(text: &str, from: usize, needle: &str) -> (usize, u32) {
    match text.get(from..).and_then(|t| t.find(needle)) {
        Some(i) => (
            from + i,
            text[..from + i].bytes().filter(|&b| b == b'\n').count() as u32 + 1,
        ),
        None => (from, 0),
    }
}

/// `(bit id, label)` of each net bit of a port or netname entry: `name`
/// for a one-bit signal, `name[i]` otherwise; constant bits are skipped.
fn bit_labels(name: &str, entry: &Value) -> Vec<(u64, String)> {
    let bits = entry
        .get("bits")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    bits.iter()
        .enumerate()
        .filter_map(|(i, b)| {
            let label = if bits.len() > 1 {
                format!("{name}[{i}]")
            } else {
                name.to_string()
            };
            Some((b.as_u64()?, label))
        })
        .collect()
}

/// Read a Yosys JSON netlist (`text`, from `path`).
pub fn from_json(text: &str, path: &Path, ports: &Ports) -> Result<Netlist> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        Error::at_line(
            path,
            e.line(),
            format!("invalid JSON: {}", crate::io::one_line(&e.to_string())),
        )
    })?;
    let modules = v
        .get("modules")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::in_file(path, "not a Yosys JSON netlist: no `modules` object"))?;
    let is_top = |m: &Value| {
        m.pointer("/attributes/top").is_some_and(|t| match t {
            Value::String(s) => s.trim_start_matches('0') == "1",
            Value::Number(n) => n.as_u64() == Some(1),
            _ => false,
        })
    };
    let (name, module) = match modules.iter().find(|(_, m)| is_top(m)) {
        Some(x) => x,
        None if modules.len() == 1 => modules.iter().next().unwrap(),
        None => {
            let used: Vec<&str> = modules
                .values()
                .filter_map(|m| m.get("cells").and_then(Value::as_object))
                .flat_map(|c| {
                    c.values()
                        .filter_map(|c| c.get("type").and_then(Value::as_str))
                })
                .collect();
            let tops: Vec<_> = modules
                .iter()
                .filter(|(n, _)| !used.contains(&n.as_str()))
                .collect();
            match tops.as_slice() {
                [one] => *one,
                _ => {
                    return Err(Error::in_file(
                        path,
                        "no module marked top and no single uninstantiated module",
                    ))
                }
            }
        }
    };
    let (mod_at, _) = line_of(text, 0, &format!("{}:", Value::String(name.clone())));
    let mut parts = Parts {
        name: name.trim_start_matches('\\').to_string(),
        files: vec![path.to_path_buf()],
        ..Default::default()
    };
    let mut nets: HashMap<u64, NetId> = HashMap::new();
    // Names of bits, preferring user-visible net names.
    let mut names: HashMap<u64, (bool, String)> = HashMap::new();
    for (pname, port) in module
        .get("ports")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (id, label) in bit_labels(pname, port) {
            names.entry(id).or_insert((false, label));
        }
    }
    if let Some(nn) = module.get("netnames").and_then(Value::as_object) {
        for (n, info) in nn {
            let hidden = info.get("hide_name").and_then(Value::as_u64).unwrap_or(0) != 0;
            for (id, label) in bit_labels(n, info) {
                match names.get(&id) {
                    Some((false, _)) => {}
                    Some((true, _)) if hidden => {}
                    _ => {
                        names.insert(id, (hidden, label));
                    }
                }
            }
        }
    }
    let mut consts: [Option<NetId>; 2] = [None, None];
    // Resolve one JSON bit (net number or constant) to a net.
    let mut bit = |parts: &mut Parts, b: &Value, loc: Loc, what: &str| -> Result<NetId> {
        if let Some(id) = b.as_u64() {
            return Ok(*nets.entry(id).or_insert_with(|| {
                let label = names
                    .get(&id)
                    .map(|x| x.1.clone())
                    .unwrap_or_else(|| format!("${id}"));
                parts.net(label)
            }));
        }
        let c = match b.as_str() {
            Some("0") => false,
            Some("1") => true,
            Some(s) => {
                return Err(Error::input(format!(
                    "{}: {what}: constant bit `{s}` (x/z) is not supported",
                    parts.at(loc)
                )))
            }
            None => {
                return Err(Error::input(format!(
                    "{}: {what}: a bit must be a net number or \"0\"/\"1\"",
                    parts.at(loc)
                )))
            }
        };
        if let Some(n) = consts[c as usize] {
            return Ok(n);
        }
        let n = parts.net(if c { "1'b1" } else { "1'b0" });
        parts.drive(
            if c {
                GateKind::Const1
            } else {
                GateKind::Const0
            },
            vec![],
            n,
            loc,
            "constant",
        );
        consts[c as usize] = Some(n);
        Ok(n)
    };
    let port_list = module.get("ports").and_then(Value::as_object);
    for (pname, port) in port_list.into_iter().flatten() {
        let (_, line) = line_of(text, mod_at, &format!("{}:", Value::String(pname.clone())));
        let loc = Loc { file: 0, line };
        let what = format!("port `{pname}`");
        let dir = port.get("direction").and_then(Value::as_str).unwrap_or("");
        let bits = port
            .get("bits")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::input(format!("{}: {what} has no `bits`", parts.at(loc))))?;
        let mut v = vec![];
        for b in bits {
            if dir == "input" && !b.is_u64() {
                return Err(Error::input(format!(
                    "{}: input {what} has a constant bit",
                    parts.at(loc)
                )));
            }
            v.push(bit(&mut parts, b, loc, &what)?);
        }
        let p = PartPort {
            bus: Bus {
                name: pname.clone(),
                nets: v,
            },
            loc,
        };
        match dir {
            "input" => parts.inputs.push(p),
            "output" => parts.outputs.push(p),
            d => {
                return Err(Error::input(format!(
                    "{}: {what} has direction `{d}`; expected input or output",
                    parts.at(loc)
                )))
            }
        }
    }
    let cells = module.get("cells").and_then(Value::as_object);
    for (cname, cell) in cells.into_iter().flatten() {
        let (_, line) = line_of(text, mod_at, &format!("{}:", Value::String(cname.clone())));
        let loc = Loc { file: 0, line };
        let ty = cell.get("type").and_then(Value::as_str).unwrap_or("?");
        let what = format!("cell `{cname}` ({ty})");
        let Some((pins, kind, invert)) = cell_kind(ty) else {
            let hint = if ty.starts_with("$_") || !ty.starts_with('$') {
                "unknown cell"
            } else {
                "not a single-bit gate cell: synthesize to gates first, or pass the Verilog source"
            };
            return Err(Error::input(format!("{}: {what}: {hint}", parts.at(loc))));
        };
        let conns = cell.get("connections").and_then(Value::as_object);
        let at = parts.at(loc);
        let pin = |p: &str| -> Result<&Value> {
            let bits = conns
                .and_then(|c| c.get(p))
                .and_then(Value::as_array)
                .ok_or_else(|| Error::input(format!("{at}: {what}: pin `{p}` is not connected")))?;
            match bits.as_slice() {
                [b] => Ok(b),
                _ => Err(Error::input(format!(
                    "{at}: {what}: pin `{p}` has {} bits, expected 1",
                    bits.len()
                ))),
            }
        };
        let mut ins = vec![];
        for p in pins {
            let b = pin(p)?.clone();
            ins.push(bit(&mut parts, &b, loc, &what)?);
        }
        let yb = pin("Y")?.clone();
        let y = bit(&mut parts, &yb, loc, &what)?;
        if !yb.is_u64() {
            return Err(Error::input(format!(
                "{}: {what}: output pin `Y` is tied to a constant",
                parts.at(loc)
            )));
        }
        let name = cname.trim_start_matches('\\');
        if invert {
            let t = parts.net(format!("{name}.t"));
            parts.drive(kind, ins, t, loc, format!("{what}"));
            parts.drive(GateKind::Not, vec![t], y, loc, what);
        } else {
            parts.drive(kind, ins, y, loc, what);
        }
    }
    // Port names come with Yosys's escaping removed.
    for p in parts.inputs.iter_mut().chain(parts.outputs.iter_mut()) {
        p.bus.name = p.bus.name.trim_start_matches('\\').to_string();
    }
    Netlist::from_parts(parts, ports)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errmap::ErrorMap;

    #[test]
    fn json_errors_name_cell_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.json");
        let json = r#"{"modules": {"m": {
  "ports": {"A": {"direction": "input", "bits": [2,3,4,5,6,7,8,9]},
            "B": {"direction": "input", "bits": [10,11,12,13,14,15,16,17]},
            "O": {"direction": "output", "bits": [18,"0","0","0","0","0","0","0","0","0","0","0","0","0","0","0"]}},
  "cells": {
    "g1": {"type": "$_AND_", "connections": {"A": [2], "B": [10], "Y": [18]}}
  }}}}"#;
        let n = from_json(json, &p, &Ports::default()).unwrap();
        assert_eq!(
            crate::netlist::sim::exhaustive(&n, false).unwrap(),
            ErrorMap::from_fn(false, |a, b| a & b & 1)
        );
        let e = from_json(&json.replace("$_AND_", "$mul"), &p, &Ports::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("x.json:6") && e.contains("cell `g1` ($mul)"),
            "{e}"
        );
        let e = from_json(
            &json.replace("\"B\": [10]", "\"B\": [99]"),
            &p,
            &Ports::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("x.json:6") && e.contains("`$99` is undriven"),
            "{e}"
        );
        let e = from_json(&json[..200], &p, &Ports::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.json:") && e.contains("invalid JSON"), "{e}");
    }

    #[test]
    fn behavioural_multiplier_synthesizes_exactly() {
        if !crate::eda::tools_for_test(&[Tool::Yosys]) {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("mul.v");
        std::fs::write(&p, "module mul8(input [7:0] A, input [7:0] B, output [15:0] O);\n assign O = A * B;\nendmodule\n").unwrap();
        let imp = super::super::load(&p, &Default::default()).unwrap();
        assert_eq!(imp.importer, super::super::YOSYS_SYNTH);
        assert_eq!(imp.netlist.name, "mul8");
        assert!(
            (250..450).contains(&imp.netlist.gates.len()),
            "{}",
            imp.netlist.gates.len()
        );
        assert_eq!(
            crate::netlist::sim::exhaustive(&imp.netlist, false).unwrap(),
            ErrorMap::exact(false)
        );
    }
}
