//! Synthesis and formal checks with Yosys.

use super::{run, Tool};
use crate::error::{Error, Result};
use std::path::Path;

/// Prove with Yosys (miter + SAT) that module `gold_top` of `gold` and
/// module `gate_top` of `gate` compute the same outputs for every input.
/// Both must be combinational with the same ports. Fails with the tool's
/// complaint (including the counterexample) when they differ.
pub fn equiv(gold: &Path, gold_top: &str, gate: &Path, gate_top: &str, work: &Path) -> Result<()> {
    std::fs::create_dir_all(work).map_err(|e| Error::io(work, e))?;
    let abs = |p: &Path| p.canonicalize().map_err(|e| Error::io(p, e));
    let (g, t) = (abs(gold)?, abs(gate)?);
    let script = format!(
        "read_verilog {g}\nread_verilog {t}\nprep\nflatten\nmiter -equiv -flatten -make_assert {gold_top} {gate_top} equiv_miter\n\
         hierarchy -top equiv_miter\nsat -verify -prove-asserts -show-inputs equiv_miter\n",
        g = g.display(),
        t = t.display()
    );
    let ys = work.join(format!("equiv_{gate_top}.ys"));
    crate::io::write_atomic(&ys, script.as_bytes())?;
    run(Tool::Yosys, &["-q", "-s", ys.to_str().unwrap()], work, Some(&work.join(format!("equiv_{gate_top}.log"))))?;
    Ok(())
}

/// Prove with Yosys's equivalence checker (`equiv_make`, `equiv_simple`,
/// `equiv_status -assert`) that Verilog module `gate_top` of `gate` equals
/// the netlist `gold_top` in Yosys JSON file `gold_json`: a structural check,
/// fast when both describe the same gates.
pub fn equiv_json(gold_json: &Path, gold_top: &str, gate: &Path, gate_top: &str, work: &Path) -> Result<()> {
    std::fs::create_dir_all(work).map_err(|e| Error::io(work, e))?;
    let abs = |p: &Path| p.canonicalize().map_err(|e| Error::io(p, e));
    let (g, t) = (abs(gold_json)?, abs(gate)?);
    let script = format!(
        "read_json {g}\nread_verilog {t}\nprep\nequiv_make {gold_top} {gate_top} equiv_check\n\
         hierarchy -top equiv_check\nequiv_simple\nequiv_status -assert\n",
        g = g.display(),
        t = t.display()
    );
    let ys = work.join(format!("equiv_{gate_top}.ys"));
    crate::io::write_atomic(&ys, script.as_bytes())?;
    run(Tool::Yosys, &["-q", "-s", ys.to_str().unwrap()], work, Some(&work.join(format!("equiv_{gate_top}.log"))))?;
    Ok(())
}
