//! Yosys routes: reading `write_json` netlists of Yosys's internal gate
//! cells, and synthesizing any other Verilog to such a netlist first.

use crate::error::{Error, Result};
use crate::netlist::validate::{Loc, PartPort, Parts, Ports};
use crate::netlist::{Bus, GateKind, NetId, Netlist};
use crate::tool::{self, Tool};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// The Yosys script that maps a design to the internal single-bit gates
/// this crate simulates (`abc -g` keeps ABC to those cell types), after
/// `hierarchy -top <top>`.
pub const SYNTH_SCRIPT: &str = "hierarchy -auto-top; proc; flatten; synth -flatten; \
     abc -g AND,NAND,OR,NOR,XOR,XNOR,ANDNOT,ORNOT,MUX; opt_clean";

/// Synthesize module `top` of the Verilog file `path` (plus `--cells` and
/// `models`, Verilog models of the library cells it uses) with Yosys and
/// read the result. Errors name the user's file (and line, where Yosys
/// keeps a `src` attribute), never a temporary file.
pub fn synthesize(
    path: &Path,
    opts: &super::ImportOptions,
    top: &str,
    models: &str,
) -> Result<Netlist> {
    let dir = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let abs = |p: &Path| std::fs::canonicalize(p).map_err(|e| Error::io(p, e));
    let mut reads = format!("read_verilog -sv {}; ", quote(&abs(path)?));
    if let Some(c) = &opts.cells {
        reads += &format!("read_verilog -sv {}; ", quote(&abs(c)?));
    }
    if !models.is_empty() {
        let m = dir.path().join("cells.v");
        crate::io::write_atomic(&m, models.as_bytes())?;
        reads += "read_verilog -sv cells.v; ";
    }
    let script =
        format!("{reads}hierarchy -check -top {top}; {SYNTH_SCRIPT}; write_json netlist.json");
    let hide = |msg: String| {
        msg.replace(
            &dir.path().join("cells.v").display().to_string(),
            "(library cell models)",
        )
        .replace(&dir.path().display().to_string(), ".")
    };
    tool::run(Tool::Yosys, &["-q", "-p", &script], dir.path(), None).map_err(|e| {
        Error::input(hide(format!(
            "{}: Yosys could not synthesize it: {e}",
            path.display()
        )))
    })?;
    let out = dir.path().join("netlist.json");
    let text = crate::io::read_text(&out)?;
    from_json(&text, &out, &opts.ports, None, Some(path))
        .map_err(|e| Error::input(hide(e.to_string())))
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

/// Simple gates for one compound Yosys gate cell, added to [`Parts`].
struct PartsGates<'p> {
    parts: &'p mut Parts,
    name: String,
    loc: Loc,
    what: String,
    n: usize,
}

impl super::cells::Gates for PartsGates<'_> {
    fn gate(&mut self, kind: GateKind, inputs: &[NetId]) -> NetId {
        self.n += 1;
        let out = self.parts.net(format!("{}.t{}", self.name, self.n));
        self.parts
            .drive(kind, inputs.to_vec(), out, self.loc, self.what.clone());
        out
    }
}

/// Whether a Yosys cell type stores state.
fn is_sequential(ty: &str) -> bool {
    let t = ty.to_ascii_lowercase();
    ["dff", "dlatch", "latch", "sr_", "$_sr", "$mem", "$fsm"]
        .iter()
        .any(|k| t.contains(k))
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

/// Line in the user's source of a Yosys `src` attribute
/// (`file.v:12.3-12.20`, possibly several joined by `|`).
fn src_line(entry: &Value) -> u32 {
    let Some(src) = entry.pointer("/attributes/src").and_then(Value::as_str) else {
        return 0;
    };
    let first = src.split('|').next().unwrap_or("");
    first
        .rsplit(':')
        .next()
        .and_then(|p| p.split('.').next())
        .and_then(|l| l.parse().ok())
        .unwrap_or(0)
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

/// Deepest module nesting accepted (guards against recursive modules).
const MAX_DEPTH: usize = 32;

/// Flattens a Yosys JSON design into [`Parts`].
struct Reader<'a> {
    text: &'a str,
    modules: &'a serde_json::Map<String, Value>,
    parts: Parts,
    consts: [Option<NetId>; 2],
    /// Locations come from `src` attributes (the user's source), not JSON lines.
    from_src: bool,
}

impl Reader<'_> {
    fn loc(&self, mod_at: usize, key: &str, entry: &Value) -> Loc {
        let line = if self.from_src {
            src_line(entry)
        } else {
            line_of(
                self.text,
                mod_at,
                &format!("{}:", Value::String(key.to_string())),
            )
            .1
        };
        Loc { file: 0, line }
    }

    fn constant(&mut self, v: bool, loc: Loc) -> NetId {
        if let Some(n) = self.consts[v as usize] {
            return n;
        }
        let n = self.parts.net(if v { "1'b1" } else { "1'b0" });
        let kind = if v {
            GateKind::Const1
        } else {
            GateKind::Const0
        };
        self.parts.drive(kind, vec![], n, loc, "constant");
        self.consts[v as usize] = Some(n);
        n
    }

    /// Resolve one JSON bit (net number or constant) in a module instance.
    fn bit(
        &mut self,
        nets: &mut HashMap<u64, NetId>,
        names: &HashMap<u64, String>,
        prefix: &str,
        b: &Value,
        loc: Loc,
        what: &str,
    ) -> Result<NetId> {
        if let Some(id) = b.as_u64() {
            if let Some(&n) = nets.get(&id) {
                return Ok(n);
            }
            let label = names.get(&id).cloned().unwrap_or_else(|| format!("${id}"));
            let n = self.parts.net(format!("{prefix}{label}"));
            nets.insert(id, n);
            return Ok(n);
        }
        match b.as_str() {
            Some("0") => Ok(self.constant(false, loc)),
            Some("1") => Ok(self.constant(true, loc)),
            Some("x" | "z") => {
                let n = self.parts.net("1'bx");
                self.parts.x_nets.push((n, loc));
                Ok(n)
            }
            _ => Err(Error::input(format!(
                "{}: {what}: a bit must be a net number or \"0\"/\"1\"/\"x\"",
                self.parts.at(loc)
            ))),
        }
    }

    /// Instantiate module `name` with its port bits bound as `bound`
    /// (port name -> parent nets); the top has `bound = None` and its ports
    /// become the netlist's ports.
    fn module(
        &mut self,
        name: &str,
        prefix: &str,
        bound: Option<&HashMap<String, Vec<NetId>>>,
        depth: usize,
        inst_loc: Loc,
    ) -> Result<()> {
        let module = &self.modules[name];
        if depth > MAX_DEPTH {
            return Err(Error::input(format!(
                "{}: module `{name}` is instantiated more than {MAX_DEPTH} levels deep (recursive?)",
                self.parts.at(inst_loc)
            )));
        }
        let (mod_at, _) = line_of(
            self.text,
            0,
            &format!("{}:", Value::String(name.to_string())),
        );
        // Names of bits, preferring user-visible net names.
        let mut pref: HashMap<u64, (bool, String)> = HashMap::new();
        let ports = module.get("ports").and_then(Value::as_object);
        for (pname, port) in ports.into_iter().flatten() {
            for (id, label) in bit_labels(pname.trim_start_matches('\\'), port) {
                pref.entry(id).or_insert((false, label));
            }
        }
        if let Some(nn) = module.get("netnames").and_then(Value::as_object) {
            for (n, info) in nn {
                let hidden = info.get("hide_name").and_then(Value::as_u64).unwrap_or(0) != 0;
                for (id, label) in bit_labels(n.trim_start_matches('\\'), info) {
                    match pref.get(&id) {
                        Some((false, _)) => {}
                        Some((true, _)) if hidden => {}
                        _ => {
                            pref.insert(id, (hidden, label));
                        }
                    }
                }
            }
        }
        let names: HashMap<u64, String> = pref.into_iter().map(|(k, v)| (k, v.1)).collect();
        let mut nets: HashMap<u64, NetId> = HashMap::new();
        // Ports: inputs first, so an output bit equal to an input bit
        // (a feed-through) becomes a buffer.
        let mut port_list: Vec<(&String, &Value)> = ports.into_iter().flatten().collect();
        port_list.sort_by_key(|(_, p)| p.get("direction").and_then(Value::as_str) != Some("input"));
        for (pname, port) in port_list {
            let src_entry = module
                .pointer(&format!(
                    "/netnames/{}",
                    pname.replace('~', "~0").replace('/', "~1")
                ))
                .unwrap_or(port);
            let loc = if self.from_src {
                Loc {
                    file: 0,
                    line: src_line(src_entry),
                }
            } else {
                self.loc(mod_at, pname, port)
            };
            let what = format!("port `{pname}`");
            let dir = port.get("direction").and_then(Value::as_str).unwrap_or("");
            let bits = port.get("bits").and_then(Value::as_array).ok_or_else(|| {
                Error::input(format!("{}: {what} has no `bits`", self.parts.at(loc)))
            })?;
            match bound {
                None => {
                    let mut v = vec![];
                    for b in bits {
                        if dir == "input" && !b.is_u64() {
                            return Err(Error::input(format!(
                                "{}: input {what} has a constant bit",
                                self.parts.at(loc)
                            )));
                        }
                        v.push(self.bit(&mut nets, &names, prefix, b, loc, &what)?);
                    }
                    let p = PartPort {
                        bus: Bus {
                            name: pname.trim_start_matches('\\').to_string(),
                            nets: v,
                        },
                        loc,
                    };
                    match dir {
                        "input" => self.parts.inputs.push(p),
                        "output" => self.parts.outputs.push(p),
                        d => {
                            return Err(Error::input(format!(
                                "{}: {what} has direction `{d}`; expected input or output",
                                self.parts.at(loc)
                            )))
                        }
                    }
                }
                Some(bound) => {
                    let Some(outer) = bound.get(pname) else {
                        continue;
                    };
                    for (b, &o) in bits.iter().zip(outer) {
                        match b.as_u64() {
                            Some(id) if !nets.contains_key(&id) => {
                                nets.insert(id, o);
                            }
                            _ => {
                                let inner = self.bit(&mut nets, &names, prefix, b, loc, &what)?;
                                self.parts
                                    .drive(GateKind::Buf, vec![inner], o, loc, what.clone());
                            }
                        }
                    }
                }
            }
        }
        let cells = module.get("cells").and_then(Value::as_object);
        for (cname, cell) in cells.into_iter().flatten() {
            let loc = self.loc(mod_at, cname, cell);
            let ty = cell.get("type").and_then(Value::as_str).unwrap_or("?");
            let short = cname.trim_start_matches('\\');
            let what = format!("cell `{prefix}{short}` ({})", ty.trim_start_matches('\\'));
            let conns = cell.get("connections").and_then(Value::as_object);
            if self.modules.contains_key(ty) {
                let mut b: HashMap<String, Vec<NetId>> = HashMap::new();
                for (pin, bits) in conns.into_iter().flatten() {
                    let mut v = vec![];
                    for x in bits.as_array().map(Vec::as_slice).unwrap_or_default() {
                        v.push(self.bit(&mut nets, &names, prefix, x, loc, &what)?);
                    }
                    b.insert(pin.clone(), v);
                }
                self.module(ty, &format!("{prefix}{short}."), Some(&b), depth + 1, loc)?;
                continue;
            }
            if is_sequential(ty) {
                let named = if short.starts_with('$') {
                    String::new()
                } else {
                    format!(" `{prefix}{short}`")
                };
                return Err(Error::input(format!(
                    "{}: the design stores state: flip-flop or latch{named} (Yosys cell {}); only combinational multipliers are supported",
                    self.parts.at(loc),
                    ty.trim_start_matches('\\')
                )));
            }
            // Yosys reading its own `write_verilog -noexpr` output keeps
            // the escape: `\$_AOI3_` is the gate `$_AOI3_`.
            let gty = ty.strip_prefix('\\').unwrap_or(ty);
            let spec = cell_kind(gty);
            let gate = super::cells::yosys_gate(gty);
            let pins: Vec<&str> = match (spec, gate) {
                (Some((pins, _, _)), _) => pins.to_vec(),
                (None, Some(def)) => def.inputs.iter().map(String::as_str).collect(),
                (None, None) => {
                    let hint = if ty.starts_with("$_") || !ty.starts_with('$') {
                        "unknown cell (not a Yosys gate and not a module of the file)"
                    } else {
                        "not a single-bit gate cell: synthesize to gates first, or pass the Verilog source"
                    };
                    return Err(Error::input(format!(
                        "{}: {what}: {hint}",
                        self.parts.at(loc)
                    )));
                }
            };
            let at = self.parts.at(loc);
            let pin = |p: &str| -> Result<Value> {
                let bits = conns
                    .and_then(|c| c.get(p))
                    .and_then(Value::as_array)
                    .ok_or_else(|| {
                        Error::input(format!("{at}: {what}: pin `{p}` is not connected"))
                    })?;
                match bits.as_slice() {
                    [b] => Ok(b.clone()),
                    _ => Err(Error::input(format!(
                        "{at}: {what}: pin `{p}` has {} bits, expected 1",
                        bits.len()
                    ))),
                }
            };
            let mut ins = vec![];
            for p in pins {
                let b = pin(p)?;
                ins.push(self.bit(&mut nets, &names, prefix, &b, loc, &what)?);
            }
            let yb = pin("Y")?;
            if !yb.is_u64() {
                return Err(Error::input(format!(
                    "{}: {what}: output pin `Y` is tied to a constant",
                    self.parts.at(loc)
                )));
            }
            let y = self.bit(&mut nets, &names, prefix, &yb, loc, &what)?;
            match (spec, gate) {
                (Some((_, kind, true)), _) => {
                    let t = self.parts.net(format!("{prefix}{short}.t"));
                    self.parts.drive(kind, ins, t, loc, what.clone());
                    self.parts.drive(GateKind::Not, vec![t], y, loc, what);
                }
                (Some((_, kind, false)), _) => self.parts.drive(kind, ins, y, loc, what),
                (None, Some(def)) => {
                    // A compound gate ($_AOI3_, $_MUX4_, ...): its function
                    // as simple gates.
                    let mut g = PartsGates {
                        parts: &mut self.parts,
                        name: format!("{prefix}{short}"),
                        loc,
                        what: what.clone(),
                        n: 0,
                    };
                    let out = def.outputs[0].1.build(&mut g, &ins);
                    self.parts.drive(GateKind::Buf, vec![out], y, loc, what);
                }
                (None, None) => unreachable!("refused above"),
            }
        }
        Ok(())
    }
}

/// Read a Yosys JSON netlist (`text`, from `path`), flattening the
/// hierarchy below the top module: `top`, else the one marked `top`, else
/// the one module no other instantiates. With `source`, the JSON was made
/// by Yosys from that file: errors name it, with lines from `src`
/// attributes, instead of the JSON file.
pub fn from_json(
    text: &str,
    path: &Path,
    ports: &Ports,
    top: Option<&str>,
    source: Option<&Path>,
) -> Result<Netlist> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        Error::at_line(
            path,
            e.line(),
            format!("invalid JSON: {}", crate::io::one_line(&e.to_string())),
        )
    })?;
    let shown = source.unwrap_or(path);
    let modules = v
        .get("modules")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::in_file(shown, "not a Yosys JSON netlist: no `modules` object"))?;
    let is_top = |m: &Value| {
        m.pointer("/attributes/top").is_some_and(|t| match t {
            Value::String(s) => s.trim_start_matches('0') == "1",
            Value::Number(n) => n.as_u64() == Some(1),
            _ => false,
        })
    };
    let used: Vec<&str> = modules
        .values()
        .filter_map(|m| m.get("cells").and_then(Value::as_object))
        .flat_map(|c| {
            c.values()
                .filter_map(|c| c.get("type").and_then(Value::as_str))
        })
        .collect();
    let name: &String = if let Some(t) = top {
        modules
            .keys()
            .find(|k| k.trim_start_matches('\\') == t)
            .ok_or_else(|| Error::in_file(shown, format!("--top `{t}`: no such module")))?
    } else if let Some((n, _)) = modules.iter().find(|(_, m)| is_top(m)) {
        n
    } else {
        let tops: Vec<&String> = modules
            .keys()
            .filter(|n| !used.contains(&n.as_str()))
            .collect();
        match tops.as_slice() {
            [one] => one,
            _ => return Err(Error::in_file(
                shown,
                "no module marked top and no single uninstantiated module: name it with --top NAME",
            )),
        }
    };
    let mut r = Reader {
        text,
        modules,
        parts: Parts {
            name: name.trim_start_matches('\\').to_string(),
            files: vec![shown.to_path_buf()],
            ..Default::default()
        },
        consts: [None, None],
        from_src: source.is_some(),
    };
    r.module(name, "", None, 0, Loc::default())?;
    Netlist::from_parts(r.parts, ports)
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
        let n = from_json(json, &p, &Ports::default(), None, None).unwrap();
        assert_eq!(
            crate::netlist::sim::exhaustive(&n, false).unwrap(),
            ErrorMap::from_fn(false, |a, b| a & b & 1)
        );
        let e = from_json(
            &json.replace("$_AND_", "$mul"),
            &p,
            &Ports::default(),
            None,
            None,
        )
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
            None,
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("x.json:6") && e.contains("`$99` is undriven"),
            "{e}"
        );
        let e = from_json(&json[..200], &p, &Ports::default(), None, None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.json:") && e.contains("invalid JSON"), "{e}");
    }

    #[test]
    fn behavioural_multiplier_synthesizes_exactly() {
        if !crate::tool::tools_for_test(&[Tool::Yosys]) {
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
