//! Yosys-mapped cell statistics: a design's structural Verilog is
//! re-synthesized by Yosys and mapped to simple gates (`abc -g`), and the
//! cell counts of `stat` are kept. Slow (one Yosys run per design), hence
//! optional in `library build --yosys-area`; stored in
//! `yosys_area.yaml` next to the index.

use super::energy::{MappedNetlist, PowerLibrary};
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

/// ABC's `resyn2` script, spelled out (Yosys's ABC has no alias file).
const RESYN2: &str =
    "balance; rewrite; refactor; balance; rewrite; rewrite -z; balance; refactor -z; rewrite -z; balance";

/// Live-node limit of the global BDDs of the function-derived start.
const BDD_LIMIT: u32 = 1000;

/// The canonical mapping every imported design's cost is computed on, so
/// that one circuit gets one cost however its file was written (the exact
/// reference multiplier goes through the same flow).
pub const CANONICAL_FLOW: &str = "the netlist as imported, written as Verilog and flattened to a BLIF netlist by Yosys (`proc; flatten; techmap; opt_clean`, ports in bus order); ABC (yosys-abc) then rebuilds it twice: from its structure (`strash; fraig; resyn2; resyn2; dc2; dch -f`) and, where the global BDDs of its outputs fit in 1000 live nodes, from its function (`collapse -r -B 1000; strash; fraig; resyn2; resyn2; dc2; dch -f`); each is mapped to the NanGate45 cells with the area-oriented `amap`, and the smaller area is kept (the function-derived one on a tie); the mapping is checked against the netlist on all 65,536 operand pairs";

/// `n` mapped by [`CANONICAL_FLOW`] to the cells of `lib` (Yosys and ABC
/// runs in a temporary directory). Errors: a tool fails, or the mapping
/// does not compute the netlist's products (a tool fault, reported as such).
pub fn canonical(n: &Netlist, lib: &PowerLibrary) -> Result<MappedNetlist> {
    let work = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let dir = work.path();
    crate::io::write_atomic(
        dir.join("design.v"),
        crate::netlist::verilog::write(n).as_bytes(),
    )?;
    let top = crate::netlist::verilog::module_name(n);
    let script = format!(
        "read_verilog design.v; hierarchy -top {top}; proc; flatten; techmap; opt_clean; write_blif design.blif"
    );
    run(Tool::Yosys, &["-q", "-p", &script], dir, None)?;
    let liberty = crate::tool::path_arg(&lib.path)?;
    let opt = format!("strash; fraig; {RESYN2}; {RESYN2}; dc2; dch -f");
    let mut best: Option<(f64, MappedNetlist)> = None;
    for (out, start) in [
        (
            "function.blif",
            format!("strash; collapse -r -B {BDD_LIMIT}; "),
        ),
        ("structure.blif", String::new()),
    ] {
        let script = format!(
            "read_blif design.blif; {start}{opt}; read_lib -w \"{liberty}\"; amap; write_blif {out}"
        );
        let r = run(Tool::YosysAbc, &["-c", &script], dir, None)?;
        if r.stdout.contains("Collapsing has failed") || !dir.join(out).exists() {
            continue; // the function is too large for its BDDs
        }
        let path = dir.join(out);
        let m = MappedNetlist::from_blif(&crate::io::read_text(&path)?, &path, lib)
            .map_err(|e| Error::tool(format!("canonical mapping of `{}`: {e}", n.name)))?;
        let area = super::energy::area_um2(&m, lib)?;
        if best.as_ref().is_none_or(|(a, _)| area < *a) {
            best = Some((area, m));
        }
    }
    let (_, mut m) = best.ok_or_else(|| {
        Error::tool(format!(
            "canonical mapping of `{}`: ABC wrote no netlist",
            n.name
        ))
    })?;
    m.name = n.name.clone();
    let want = crate::netlist::sim::Program::compile(n, "A", "B", "O")?.run();
    if m.products(lib)? != want {
        return Err(Error::tool(format!(
            "canonical mapping of `{}` does not compute the same products (Yosys/ABC fault)",
            n.name
        )));
    }
    Ok(m)
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
