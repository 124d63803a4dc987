//! Bottom-up synthesis with a module cache. Yosys elaborates the export
//! once (`hierarchy`, written as RTLIL); then every module is mapped on its
//! own, in its own Yosys process, with the modules it instantiates as black
//! boxes (ports and parameters only). A mapped module is a function of its
//! elaborated text, its submodules' ports, the map script, the Liberty file
//! and the Yosys version, so it is kept in a content-addressed cache under
//! that key and reused: the exact-multiplier design of a run differs from
//! the heterogeneous one only in its multipliers, so its engines, pooling
//! units and sequencer come from the cache; so do those of every point of a
//! sweep and every rerun. Modules missing from the cache are mapped in
//! parallel, one process per core, most work first. Yosys keeps the hierarchy in either case
//! (no pass optimizes across module boundaries without `flatten`), so this
//! maps each module as the one-process flow does; its choices can differ in
//! detail (ABC's results depend on the names of internal nets, which depend
//! on what else the process has seen), which is why each module gets a
//! fresh process: the result is then the same with or without the cache.
//!
//! The cache folder is `$CODESIGN_CACHE_DIR/synth`, else
//! `$XDG_CACHE_HOME/codesign/synth`, else `~/.cache/codesign/synth`; with
//! none writable the modules are mapped without a cache. The report's
//! mappings of the adders and requantizers (`library::units`) are kept
//! there too (`through_cache`).

use crate::error::{Error, Result};
use crate::tool::{run, Tool};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Format of the cache key's preamble; bump when the per-module flow changes.
const KEY_VERSION: &str = "codesign bottom-up synthesis 1";

/// Fixed start of Yosys's counter for new object names in every per-module
/// run (RTLIL `autoidx`): above any name elaboration made, and the same
/// whatever design the module came from.
const AUTOIDX: u64 = 1_000_000_000;

/// One module of an RTLIL file.
#[derive(Clone, Debug, PartialEq)]
pub struct RtlilModule {
    /// Module name as RTLIL writes it (`\name` or `$paramod$...`).
    pub name: String,
    /// Its text, from the attribute lines before `module` to `end`.
    pub text: String,
    /// Whether it is a black box (a memory macro read with `-lib`).
    pub blackbox: bool,
    /// Types of the cells it instantiates, in order of first use.
    pub cell_types: Vec<String>,
}

/// The modules of RTLIL text `text` (as `write_rtlil` writes it: `module`
/// and its closing `end` at the start of a line, attributes before it).
pub fn split(text: &str) -> Vec<RtlilModule> {
    let mut out = vec![];
    let mut pending = String::new();
    let mut cur: Option<RtlilModule> = None;
    for line in text.lines() {
        if let Some(m) = cur.as_mut() {
            m.text += line;
            m.text.push('\n');
            if line == "end" {
                out.push(cur.take().unwrap());
            } else if let Some(rest) = line.strip_prefix("  cell ") {
                let ty = rest.split_whitespace().next().unwrap_or("").to_string();
                if !m.cell_types.contains(&ty) {
                    m.cell_types.push(ty);
                }
            }
        } else if let Some(name) = line.strip_prefix("module ") {
            let text = std::mem::take(&mut pending) + line + "\n";
            cur = Some(RtlilModule {
                name: name.trim().to_string(),
                blackbox: text.lines().any(|l| l.trim() == "attribute \\blackbox 1"),
                text,
                cell_types: vec![],
            });
        } else if line.starts_with("attribute ") {
            pending += line;
            pending.push('\n');
        } else {
            pending.clear();
        }
    }
    out
}

/// `m`'s text with its internal names (RTLIL's `$`-names: Yosys numbers
/// them with one counter over the whole elaboration, so the same module
/// elaborated in another design gets other numbers) renamed `$n0`, `$n1`,
/// ... in order of first use. Cell types (`cell $add ...`, `$paramod...`),
/// the module's own name and attribute lines stay as they are.
fn canonical(m: &RtlilModule) -> String {
    let mut names: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut out = String::with_capacity(m.text.len());
    for line in m.text.lines() {
        let body = line.trim_start();
        if body.starts_with("attribute ") || body.starts_with("module ") || line.contains('"') {
            out += line;
            out.push('\n');
            continue;
        }
        out += &line[..line.len() - body.len()];
        let is_cell = body.starts_with("cell ");
        for (i, tok) in body.split(' ').enumerate() {
            if i > 0 {
                out.push(' ');
            }
            if tok.starts_with('$') && !(is_cell && i == 1) {
                let n = names.len();
                let k = *names.entry(tok).or_insert(n);
                out += &format!("$n{k}");
            } else {
                out += tok;
            }
        }
        out.push('\n');
    }
    out
}

/// `m` as a black box: its parameters and ports, nothing inside.
fn stub(m: &RtlilModule) -> String {
    if m.blackbox {
        return m.text.clone();
    }
    let mut s = format!("attribute \\blackbox 1\nmodule {}\n", m.name);
    for line in m.text.lines() {
        let port = line.starts_with("  wire ")
            && line
                .split_whitespace()
                .any(|t| matches!(t, "input" | "output" | "inout"));
        if port || line.starts_with("  parameter ") {
            s += line;
            s.push('\n');
        }
    }
    s + "end\n"
}

/// What one module's map script does after reading it: the flow's mapping
/// commands (`synth -noabc -top` added here), ending with `opt_clean -purge`.
pub struct MapScript {
    /// The commands after `synth -noabc -top <module>`, one per line.
    pub commands: String,
    /// Files the commands read whose contents decide the result (the
    /// Liberty library): hashed into the key.
    pub inputs: Vec<PathBuf>,
}

/// The cache folder (see the module doc), created; `None` when there is
/// none or it cannot be created.
pub fn cache_dir() -> Option<PathBuf> {
    let env = |k| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let dir = env("CODESIGN_CACHE_DIR")
        .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("codesign")))
        .or_else(|| env("HOME").map(|h| h.join(".cache").join("codesign")))?
        .join("synth");
    std::fs::create_dir_all(&dir).ok().map(|_| dir)
}

/// File-name form of a module name (`$paramod$4f..\mac_engine` ->
/// `_paramod_4f.._mac_engine_` and 8 hex digits of the name's SHA-256, so
/// that names differing only in punctuation get different files).
fn file_stem(name: &str) -> String {
    let clean = crate::verilog::names::word_chars(name);
    format!("{clean}_{:.8x}", Sha256::digest(name))
}

/// How the modules of one synthesis were obtained.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Modules mapped by this run.
    pub mapped: Vec<String>,
    /// Modules taken from the cache.
    pub cached: Vec<String>,
}

/// Map every module of `elaborated` (RTLIL of the whole design after
/// `hierarchy`) with `script`, each in its own Yosys process in `work`
/// (its input, script, log and output kept there), reusing and filling
/// `cache`. Returns the mapped design as one RTLIL text (black boxes kept)
/// and which modules came from where. Errors: a Yosys run failing (naming
/// its log), a module missing from a run's output.
pub fn map_modules(
    elaborated: &str,
    script: &MapScript,
    work: &Path,
    cache: Option<&Path>,
) -> Result<(String, Outcome)> {
    std::fs::create_dir_all(work).map_err(|e| Error::io(work, e))?;
    let modules = split(elaborated);
    let by_name: std::collections::HashMap<&str, &RtlilModule> =
        modules.iter().map(|m| (m.name.as_str(), m)).collect();
    let inputs: Vec<&Path> = script.inputs.iter().map(PathBuf::as_path).collect();
    let mut preamble = key_preamble(KEY_VERSION, &inputs)?;
    preamble.update(&script.commands);
    // Each module's input file: the stubs of its submodules, then itself.
    let jobs: Vec<(&RtlilModule, String, String)> = modules
        .iter()
        .filter(|m| !m.blackbox)
        .map(|m| {
            let mut input = format!("autoidx {AUTOIDX}\n");
            for ty in &m.cell_types {
                if let Some(sub) = by_name.get(ty.as_str()) {
                    input += &stub(sub);
                }
            }
            input += &canonical(m);
            let mut h = preamble.clone();
            h.update(&input);
            let key = format!("{:x}", h.finalize());
            (m, input, key)
        })
        .collect();
    // Most work first, each job to the next free core (list scheduling):
    // the engines take the longest, and started last they left one core
    // idle at the end.
    let mut by_size: Vec<usize> = (0..jobs.len()).collect();
    by_size.sort_by_key(|&j| std::cmp::Reverse(mapping_work(jobs[j].0)));
    let mut results: Vec<(usize, Result<(String, bool)>)> = by_size
        .into_iter()
        .par_bridge()
        .map(|j| {
            let (m, input, key) = &jobs[j];
            let r = through_cache(cache, &format!("{key}.il"), || {
                map_one(m, input, script, work)
            });
            (j, r)
        })
        .collect();
    results.sort_by_key(|(j, _)| *j);
    let mut design = String::new();
    let mut outcome = Outcome::default();
    for m in modules.iter().filter(|m| m.blackbox) {
        design += &m.text;
    }
    for ((m, _, _), (_, r)) in jobs.iter().zip(results) {
        let (text, hit) = r?;
        // `synth -top` marked each module top of its own run.
        design.extend(
            text.lines()
                .filter(|l| *l != "attribute \\top 1")
                .map(|l| format!("{l}\n")),
        );
        if hit {
            &mut outcome.cached
        } else {
            &mut outcome.mapped
        }
        .push(m.name.clone());
    }
    Ok((design, outcome))
}

/// A rough measure of the logic `m` maps to, to start the largest
/// modules first: per cell the widest of its ports, the product of the
/// operand widths for a multiplier (its partial products); 0 for the
/// instances of other modules (black boxes in its run).
fn mapping_work(m: &RtlilModule) -> u64 {
    let mut total = 0;
    let mut cell: Option<(bool, [u64; 3])> = None;
    let mut close = |c: Option<(bool, [u64; 3])>| {
        if let Some((mul, [a, b, y])) = c {
            total += if mul { a * b } else { a.max(b).max(y).max(1) };
        }
    };
    for line in m.text.lines().map(str::trim) {
        let mut words = line.split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (Some("cell"), Some(ty), _) => {
                close(cell.take());
                let primitive = ty.starts_with('$') && !ty.starts_with("$paramod");
                cell = primitive.then(|| (ty == "$mul" || ty == "$macc", [0; 3]));
            }
            (Some("parameter"), Some(p), Some(v)) => {
                if let (Some((_, w)), Some(k)) = (
                    cell.as_mut(),
                    ["\\A_WIDTH", "\\B_WIDTH", "\\Y_WIDTH"]
                        .iter()
                        .position(|x| x == &p),
                ) {
                    w[k] = v.parse().unwrap_or(0);
                }
            }
            (Some("end"), None, _) => close(cell.take()),
            _ => {}
        }
    }
    close(cell);
    total
}

/// The start of a cache key: the key's format `version`, `yosys -V` and
/// the contents of the files `inputs` (a Liberty library); the caller adds
/// what it maps. Errors: Yosys missing, an unreadable input.
pub(crate) fn key_preamble(version: &str, inputs: &[&Path]) -> Result<Sha256> {
    let mut h = Sha256::new();
    h.update(version);
    h.update(yosys_version()?);
    for f in inputs {
        h.update(std::fs::read(f).map_err(|e| Error::io(f, e))?);
    }
    Ok(h)
}

/// The text cached as `file` in `cache` (a name made of a content key),
/// else `make()`'s, then stored there; and whether it came from the
/// cache. The cache only saves time: a failed write is a warning.
pub(crate) fn through_cache(
    cache: Option<&Path>,
    file: &str,
    make: impl FnOnce() -> Result<String>,
) -> Result<(String, bool)> {
    if let Some(text) = cache.and_then(|c| std::fs::read_to_string(c.join(file)).ok()) {
        return Ok((text, true));
    }
    let text = make()?;
    if let Some(c) = cache {
        if let Err(e) = crate::io::write_atomic(c.join(file), text.as_bytes()) {
            tracing::warn!("synthesis cache: {e}");
        }
    }
    Ok((text, false))
}

/// Map module `m` alone (its input file `input`) in `work`; its mapped
/// text.
fn map_one(m: &RtlilModule, input: &str, script: &MapScript, work: &Path) -> Result<String> {
    let stem = file_stem(&m.name);
    let (inp, out, ys) = (
        format!("{stem}.in.il"),
        format!("{stem}.mapped.il"),
        format!("{stem}.ys"),
    );
    crate::io::write_atomic(work.join(&inp), input.as_bytes())?;
    let text = format!(
        "read_rtlil {inp}\nsynth -noabc -top {name}\n{cmds}write_rtlil {out}\n",
        name = m.name,
        cmds = script.commands,
    );
    crate::io::write_atomic(work.join(&ys), text.as_bytes())?;
    run(
        Tool::Yosys,
        &["-q", "-l", &format!("{stem}.log"), "-s", &ys],
        work,
        Some(&work.join(format!("{stem}.run.log"))),
    )?;
    let mapped = crate::io::read_text(work.join(&out))?;
    split(&mapped)
        .into_iter()
        .find(|x| x.name == m.name)
        .map(|x| x.text)
        .ok_or_else(|| Error::in_file(work.join(&out), format!("module {} missing", m.name)))
}

/// `yosys -V` (part of every cache key).
fn yosys_version() -> Result<String> {
    let out = run(Tool::Yosys, &["-V"], Path::new("."), None)?;
    Ok(out.stdout.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tool::tools_for_test;

    const ADD: &str = "module add #(parameter W = 4) (input [W-1:0] a, b, output [W:0] s);\n  assign s = a + b;\nendmodule\n";

    /// Elaborate `top` (instantiating `add`) in `dir`: its RTLIL.
    fn elaborate(dir: &Path, top: &str) -> String {
        std::fs::write(dir.join("add.v"), ADD).unwrap();
        std::fs::write(dir.join("top.v"), top).unwrap();
        run(
            Tool::Yosys,
            &[
                "-q",
                "-p",
                "read_verilog add.v top.v; hierarchy -top top; write_rtlil elab.il",
            ],
            dir,
            None,
        )
        .unwrap();
        std::fs::read_to_string(dir.join("elab.il")).unwrap()
    }

    #[test]
    fn modules_map_the_same_with_and_without_the_cache_and_are_reused_across_designs() {
        if !tools_for_test(&[Tool::Yosys]) {
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let (d1, d2, cache) = (
            tmp.path().join("d1"),
            tmp.path().join("d2"),
            tmp.path().join("cache"),
        );
        for d in [&d1, &d2, &cache] {
            std::fs::create_dir_all(d).unwrap();
        }
        let script = MapScript {
            commands: "abc -g AND,NAND,OR,NOR,XOR,XNOR,ANDNOT,ORNOT,MUX\nopt_clean -purge\n".into(),
            inputs: vec![],
        };
        let e1 = elaborate(
            &d1,
            "module top(input [3:0] a, b, input [7:0] c, d, output [4:0] s, output [8:0] t);\n  add #(4) u0 (a, b, s);\n  add #(8) u1 (c, d, t);\nendmodule\n",
        );
        let (plain, o) = map_modules(&e1, &script, &d1.join("a"), None).unwrap();
        assert_eq!((o.mapped.len(), o.cached.len()), (3, 0), "{o:?}");
        let (cold, o) = map_modules(&e1, &script, &d1.join("b"), Some(&cache)).unwrap();
        assert_eq!((o.mapped.len(), o.cached.len()), (3, 0));
        let (warm, o) = map_modules(&e1, &script, &d1.join("c"), Some(&cache)).unwrap();
        assert_eq!((o.mapped.len(), o.cached.len()), (0, 3));
        assert_eq!(plain, cold);
        assert_eq!(plain, warm);
        // Mapped: the adders are gates now, the top instantiates them.
        let mapped = split(&plain);
        assert_eq!(mapped.len(), 3);
        assert!(mapped
            .iter()
            .all(|m| !m.cell_types.iter().any(|t| t == "$add")));
        // Another design with the 4-bit adder: that module is reused.
        let e2 = elaborate(
            &d2,
            "module top(input [3:0] a, b, input [5:0] c, d, output [4:0] s, output [6:0] t);\n  add #(6) u1 (c, d, t);\n  add #(4) u0 (a, b, s);\nendmodule\n",
        );
        let (_, o) = map_modules(&e2, &script, &d2.join("a"), Some(&cache)).unwrap();
        assert_eq!(o.cached.len(), 1, "{o:?}");
        assert!(
            o.cached[0].contains("add") && o.mapped.iter().any(|m| m == "\\top"),
            "{o:?}"
        );
    }

    const TEXT: &str = "autoidx 12\nattribute \\blackbox 1\nmodule \\rom\n  parameter \\W\n  wire width 8 output 1 \\q\nend\n\
attribute \\top 1\nattribute \\src \"top.v:1\"\nmodule \\top\n  wire input 1 \\a\n  wire \\n\n  cell \\rom \\u_rom\n    parameter \\W 8\n  end\n  cell $paramod$ab\\eng \\u_e\n  end\nend\n\
module $paramod$ab\\eng\n  parameter \\N 3\n  attribute \\src \"e.v:2\"\n  wire width 4 input 1 \\x\n  wire width 4 output 2 \\y\n  wire \\t\n  cell $and $auto$1\n  end\nend\n";

    #[test]
    fn mapping_work_counts_partial_products_and_word_widths() {
        let m = &split(
            "module \\m\n  cell $mul $1\n    parameter \\A_WIDTH 8\n    parameter \\B_WIDTH 6\n    parameter \\Y_WIDTH 14\n  end\n\
  cell $add $2\n    parameter \\A_WIDTH 32\n    parameter \\B_WIDTH 32\n    parameter \\Y_WIDTH 33\n  end\n\
  cell $paramod$x\\e \\u\n    parameter \\A_WIDTH 99\n  end\nend\n",
        )[0];
        assert_eq!(mapping_work(m), 8 * 6 + 33);
    }

    #[test]
    fn rtlil_splits_into_modules_with_their_attributes_and_cells() {
        let ms = split(TEXT);
        let names: Vec<&str> = ms.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["\\rom", "\\top", "$paramod$ab\\eng"]);
        assert!(ms[0].blackbox && !ms[1].blackbox);
        assert!(ms[1]
            .text
            .starts_with("attribute \\top 1\nattribute \\src \"top.v:1\"\nmodule \\top\n"));
        assert!(ms[1].text.ends_with("  end\nend\n"));
        assert_eq!(ms[1].cell_types, ["\\rom", "$paramod$ab\\eng"]);
        assert_eq!(ms[2].cell_types, ["$and"]);
        // A stub keeps parameters and ports only.
        assert_eq!(
            stub(&ms[2]),
            "attribute \\blackbox 1\nmodule $paramod$ab\\eng\n  parameter \\N 3\n  wire width 4 input 1 \\x\n  wire width 4 output 2 \\y\nend\n"
        );
        assert_eq!(stub(&ms[0]), ms[0].text);
        // Internal names renumbered, cell types and ports kept.
        let c = canonical(&ms[2]);
        // One 1-bit gate; the instances of other modules count nothing.
        assert_eq!((mapping_work(&ms[1]), mapping_work(&ms[2])), (0, 1));
        assert!(
            c.contains("  cell $and $n0\n") && c.contains("  wire \\t\n"),
            "{c}"
        );
    }
}
