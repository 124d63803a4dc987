//! Yosys-mapped cell statistics: a design's structural Verilog is
//! re-synthesized by Yosys and mapped to simple gates (`abc -g`), and the
//! cell counts of `stat` are kept. Slow (one Yosys run per design), hence
//! optional in `library build --yosys-area`; stored in
//! `yosys_area.yaml` next to the index.

use super::Library;
use crate::error::{Error, Result};
use crate::netlist::Netlist;
use crate::tool::{run, Tool};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Name of the per-library file of Yosys statistics.
pub const FILE: &str = "yosys_area.yaml";

/// The gate set Yosys maps to.
const GATES: &str = "AND,NAND,OR,NOR,XOR,XNOR,ANDNOT,ORNOT,MUX";

/// The canonical mapping every imported design's cost is computed on, so
/// that one circuit gets one cost however its file was written: the
/// netlist (as imported) written as structural Verilog, then this Yosys
/// script (the exact reference multiplier goes through the same flow).
pub const CANONICAL_FLOW: &str =
    "synth -flatten; abc -g AND,NAND,OR,NOR,XOR,XNOR,ANDNOT,ORNOT,MUX; opt_clean";

/// `n` re-synthesized by [`CANONICAL_FLOW`] (a Yosys run in a temporary
/// directory; the result computes the same function, checked by the caller
/// where it matters).
pub fn canonical(n: &Netlist) -> Result<Netlist> {
    let work = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let src = work.path().join("design.v");
    crate::io::write_atomic(&src, crate::netlist::verilog::write(n).as_bytes())?;
    let top = crate::netlist::verilog::module_name(n);
    let script = format!(
        "read_verilog design.v; hierarchy -top {top}; {CANONICAL_FLOW}; write_json canonical.json"
    );
    run(Tool::Yosys, &["-q", "-p", &script], work.path(), None)?;
    let json = work.path().join("canonical.json");
    let text = crate::io::read_text(&json)?;
    let mut c =
        crate::netlist::import::yosys::from_json(&text, &json, &Default::default(), None, None)
            .map_err(|e| Error::tool(format!("canonical mapping of `{}`: {e}", n.name)))?;
    c.name = n.name.clone();
    Ok(c)
}

/// Cell counts of one design after Yosys synthesis.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct YosysArea {
    /// Total number of cells.
    pub cells: usize,
    /// Cells by Yosys type (`$_AND_`, ...).
    pub by_type: BTreeMap<String, usize>,
}

/// Synthesize `n` with Yosys in `work` and read its cell statistics.
pub fn yosys_area(n: &Netlist, work: &Path) -> Result<YosysArea> {
    std::fs::create_dir_all(work).map_err(|e| Error::io(work, e))?;
    let src = work.join("design.v");
    crate::io::write_atomic(&src, crate::netlist::verilog::write(n).as_bytes())?;
    let script = format!("read_verilog design.v; hierarchy -auto-top; synth -flatten; abc -g {GATES}; opt_clean; tee -o stat.txt stat");
    run(
        Tool::Yosys,
        &["-q", "-p", &script],
        work,
        Some(&work.join("yosys.log")),
    )?;
    let stat = work.join("stat.txt");
    let text = crate::io::read_text(&stat)?;
    parse_stat(&text)
        .ok_or_else(|| Error::tool(format!("yosys: no `Number of cells` in {}", stat.display())))
}

/// Parse the last `stat` report in `text`.
pub fn parse_stat(text: &str) -> Option<YosysArea> {
    let start = text.rfind("Number of cells:")?;
    let mut lines = text[start..].lines();
    let cells = lines.next()?.split(':').nth(1)?.trim().parse().ok()?;
    let mut by_type = BTreeMap::new();
    for line in lines {
        let mut parts = line.split_whitespace();
        match (parts.next(), parts.next(), parts.next()) {
            (Some(name), Some(count), None) => match count.parse::<usize>() {
                Ok(c) => {
                    by_type.insert(name.to_string(), c);
                }
                Err(_) => break,
            },
            _ => break,
        }
    }
    Some(YosysArea { cells, by_type })
}

impl Library {
    /// Yosys statistics of design `id`, if the library was built with them.
    pub fn yosys_area(&self, id: &str) -> Result<Option<YosysArea>> {
        let path = self.dir.join(FILE);
        if !path.exists() {
            return Ok(None);
        }
        let all: BTreeMap<String, YosysArea> = crate::io::read_yaml(&path)?;
        Ok(all.get(id).cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_yosys_stat() {
        let text = "=== top ===\n\n   Number of wires:                 40\n   Number of cells:                 12\n     $_AND_                          7\n     $_XOR_                          5\n\n";
        let a = parse_stat(text).unwrap();
        assert_eq!(a.cells, 12);
        assert_eq!(a.by_type["$_AND_"], 7);
        assert_eq!(a.by_type["$_XOR_"], 5);
        assert_eq!(parse_stat("nothing"), None);
    }
}
