//! Co-simulation: run emitted Verilog in Icarus Verilog and compare it with
//! the Rust side bit for bit. Multipliers are checked exhaustively against
//! their error maps; the accelerator on real images against the integer
//! simulation's traces ([`compare_traces`]).

use super::{run, Tool};
use crate::errmap::ErrorMap;
use crate::error::{Error, Result};
use std::path::Path;

/// The exhaustive multiplier test bench (`rtl/tb_mult.v`).
pub const TB_MULT: &str = include_str!("../../rtl/tb_mult.v");

/// First operand pairs whose simulated product differs from the map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultMismatch {
    pub a: u8,
    pub b: u8,
    pub rtl: u16,
    pub expected: u16,
}

/// Simulate module `module` of `verilog` in iverilog on all 65,536 operand
/// pairs and return the pairs whose 16-bit product differs from `map`
/// (empty: the module equals the map). Work files and logs go to `work`.
pub fn check_multiplier(verilog: &Path, module: &str, map: &ErrorMap, work: &Path) -> Result<Vec<MultMismatch>> {
    std::fs::create_dir_all(work).map_err(|e| Error::io(work, e))?;
    let tb = work.join("tb_mult.v");
    crate::io::write_atomic(&tb, TB_MULT.as_bytes())?;
    let vvp = work.join(format!("{module}.vvp"));
    let define = format!("-DMULT={module}");
    let src = verilog.canonicalize().map_err(|e| Error::io(verilog, e))?;
    run(
        Tool::Iverilog,
        &["-g2005", &define, "-s", "tb_mult", "-o", vvp.to_str().unwrap(), tb.to_str().unwrap(), src.to_str().unwrap()],
        work,
        Some(&work.join(format!("{module}.iverilog.log"))),
    )?;
    let out = work.join(format!("{module}.products.hex"));
    let plus = format!("+out={}", out.display());
    run(Tool::Vvp, &["-n", vvp.to_str().unwrap(), &plus], work, Some(&work.join(format!("{module}.vvp.log"))))?;
    let got = read_hex_words(&out)?;
    if got.len() != 65536 {
        return Err(Error::in_file(&out, format!("expected 65536 products, found {}", got.len())));
    }
    let raw = map.to_raw();
    Ok((0..65536)
        .filter(|&i| got[i] as u16 != raw[i])
        .map(|i| MultMismatch { a: (i >> 8) as u8, b: i as u8, rtl: got[i] as u16, expected: raw[i] })
        .collect())
}

/// Read a file of hex words, one per line (`x` digits are an error naming the line).
pub fn read_hex_words(path: &Path) -> Result<Vec<u64>> {
    let text = crate::io::read_text(path)?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            u64::from_str_radix(l.trim(), 16)
                .map_err(|_| Error::at_line(path, i + 1, format!("`{}` is not a hex word (undriven value?)", l.trim())))
        })
        .collect()
}

/// Verilator warnings waived by [`lint`], and why:
/// `DECLFILENAME`: one emitted file holds several modules;
/// `UNUSEDSIGNAL`/`UNUSEDPARAM`: generic blocks expose ports and parameters
/// that some configurations leave unused (e.g. the debug read port of a
/// memory without readers).
pub const LINT_WAIVERS: &[&str] = &["-Wno-DECLFILENAME", "-Wno-UNUSEDSIGNAL", "-Wno-UNUSEDPARAM"];

/// `verilator --lint-only -Wall` (minus [`LINT_WAIVERS`]) on `files` with
/// top module `top`.
pub fn lint(files: &[&Path], top: &str, work: &Path, log: Option<&Path>) -> Result<()> {
    let mut args: Vec<String> = vec!["--lint-only".into(), "-Wall".into()];
    args.extend(LINT_WAIVERS.iter().map(|s| s.to_string()));
    args.extend(["--top-module".to_string(), top.to_string()]);
    for f in files {
        args.push(f.canonicalize().map_err(|e| Error::io(f, e))?.display().to_string());
    }
    let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    run(Tool::Verilator, &a, work, log)?;
    Ok(())
}
