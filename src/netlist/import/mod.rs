//! Importers of external multiplier netlists. [`load`] picks the route:
//!
//! - `.json`: a Yosys JSON netlist (`write_json`) of internal gate cells;
//! - Verilog that is structural (assigns of bitwise expressions, gate
//!   primitives, cell instances, EvoApprox8b style): read directly;
//! - any other synthesizable Verilog (arithmetic, `always`, parameters):
//!   synthesized to simple gates by Yosys, then read as Yosys JSON.
//!
//! Every route ends in [`Netlist::from_parts`], so every netlist is checked
//! the same way and every error names the file, line and net or cell.

pub mod boolfn;
pub mod cells;
pub(crate) mod elab;
pub(crate) mod lex;
pub mod liberty;
pub(crate) mod parse;
pub mod yosys;

use super::validate::{Parts, Ports};
use super::Netlist;
use crate::error::{Error, Result};
use cells::CellSet;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// How to read a netlist.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Verilog file defining further cells that instances may use (a
    /// vendor's cell library: behavioural or UDP cells in it are skipped
    /// unless the netlist uses them).
    pub cells: Option<PathBuf>,
    /// Liberty file whose combinational cells instances may use.
    pub liberty: Option<PathBuf>,
    /// Port names of the multiplier in the source.
    pub ports: Ports,
    /// The top module; by default the one no other module instantiates.
    pub top: Option<String>,
}

/// Route names reported in [`Imported::importer`].
pub const STRUCTURAL: &str = "verilog-structural";
/// Route name: Yosys JSON read directly.
pub const YOSYS_JSON: &str = "yosys-json";
/// Route name: behavioural Verilog synthesized by Yosys first.
pub const YOSYS_SYNTH: &str = "yosys-synth";

/// A netlist and the route that read it.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The validated netlist.
    pub netlist: Netlist,
    /// [`STRUCTURAL`], [`YOSYS_JSON`] or [`YOSYS_SYNTH`].
    pub importer: String,
}

/// The cells an import may use: `--liberty` ones, then the built-ins.
pub fn cell_set(opts: &ImportOptions) -> Result<CellSet> {
    let mut set = CellSet::default();
    if let Some(lib) = &opts.liberty {
        set.liberty = liberty::read(&crate::io::read_text(lib)?, lib)?;
    }
    Ok(set)
}

/// Read the multiplier netlist in `path`, choosing the importer by the file
/// name and contents.
pub fn load(path: &Path, opts: &ImportOptions) -> Result<Imported> {
    let text = crate::io::read_text(path)?;
    if text.trim().is_empty() {
        return Err(Error::in_file(path, "empty file: no netlist in it"));
    }
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        let netlist = yosys::from_json(&text, path, &opts.ports, opts.top.as_deref(), None)?;
        return Ok(Imported {
            netlist,
            importer: YOSYS_JSON.into(),
        });
    }
    let mut cells = cell_set(opts)?;
    cells.evoapprox = says_evoapprox(&text);
    match structural(&text, path, opts, &cells)? {
        Route::Netlist(netlist) => Ok(Imported {
            netlist,
            importer: STRUCTURAL.into(),
        }),
        Route::Yosys { why, top } => {
            tracing::debug!("{}: {why}; synthesizing with Yosys", path.display());
            let models = used_cell_models(&text, path, opts, &cells)?;
            let netlist = yosys::synthesize(path, opts, &top, &models)?;
            Ok(Imported {
                netlist,
                importer: YOSYS_SYNTH.into(),
            })
        }
    }
}

/// Whether a netlist names EvoApproxLib, as the licence header of its files
/// does.
pub fn says_evoapprox(text: &str) -> bool {
    text.to_ascii_lowercase().contains("evoapproxlib")
}

/// What the structural reader made of a file.
pub enum Route {
    /// A gate-level netlist, read without Yosys.
    Netlist(Netlist),
    /// A module the top uses is behavioural: synthesize `top` with Yosys.
    Yosys {
        /// Where and why the source is behavioural.
        why: String,
        /// Top module to synthesize.
        top: String,
    },
}

/// Verilog models of the library cells (built-in or `--liberty`) that the
/// file instantiates and does not define itself, for the Yosys route.
fn used_cell_models(
    text: &str,
    path: &Path,
    opts: &ImportOptions,
    cells: &CellSet,
) -> Result<String> {
    let mut defined: HashSet<String> = HashSet::new();
    for (t, p) in std::iter::once((text.to_string(), path.to_path_buf())).chain(
        opts.cells
            .iter()
            .map(|c| Ok((crate::io::read_text(c)?, c.clone())))
            .collect::<Result<Vec<_>>>()?,
    ) {
        defined.extend(parse_file(&t, &p)?.into_iter().map(|m| m.name));
    }
    let mut models = String::new();
    let mut done = HashSet::new();
    let tokens = lex::lex(text, path)?;
    for (k, tok) in tokens.iter().enumerate() {
        let lex::Tok::Ident(name) = &tok.tok else {
            continue;
        };
        if defined.contains(name) {
            continue;
        }
        let Some(c) = cells.get(name) else {
            continue;
        };
        // Yosys connects positional ports by the model's order: check the
        // instance as the structural reader would.
        if let Some((line, inst, n)) = positional_count(&tokens[k + 1..]) {
            c.positional_order(n).map_err(|why| {
                Error::at_line(
                    path,
                    line as usize,
                    format!("instance `{inst}` ({name}): {why}"),
                )
            })?;
        }
        if !done.insert(name.clone()) {
            continue;
        }
        if let Some(why) = cells.ambiguous(name) {
            return Err(Error::at_line(path, tok.line as usize, why));
        }
        if c.unusable.is_none() {
            models += &c.verilog_model(name);
        }
    }
    Ok(models)
}

/// After a cell name, `inst (a, b, c)`: the line, the instance name and
/// the number of positional connections (none for `inst ()` or named ones).
fn positional_count(after: &[lex::Token]) -> Option<(u32, &str, usize)> {
    use lex::Tok::{Ident, Sym};
    let [inst, open, first, ..] = after else {
        return None;
    };
    let Ident(name) = &inst.tok else {
        return None;
    };
    if !matches!(open.tok, Sym("(")) || matches!(first.tok, Sym(".") | Sym(")")) {
        return None;
    }
    let (mut depth, mut n) = (0usize, 1);
    for t in &after[2..] {
        match t.tok {
            Sym("(") | Sym("[") | Sym("{") => depth += 1,
            Sym(")") if depth == 0 => return Some((inst.line, name, n)),
            Sym(")") | Sym("]") | Sym("}") => depth = depth.saturating_sub(1),
            Sym(",") if depth == 0 => n += 1,
            _ => {}
        }
    }
    None
}

/// Read structural Verilog text. The outer error is bad input; [`Route::Yosys`]
/// says which behavioural construct needs the Yosys route.
pub fn structural(text: &str, path: &Path, opts: &ImportOptions, cells: &CellSet) -> Result<Route> {
    let file_modules = parse_file(text, path)?;
    let cell_modules = match &opts.cells {
        Some(c) => parse_file(&crate::io::read_text(c)?, c)?,
        None => vec![],
    };
    let top = pick_top(&file_modules, path, opts)?;
    // Modules the top reaches, file first, then --cells; a behavioural one
    // sends the file to Yosys.
    let find = |name: &str| -> Option<(&parse::Module, u16)> {
        file_modules
            .iter()
            .find(|m| m.name == name)
            .map(|m| (m, 0))
            .or_else(|| {
                cell_modules
                    .iter()
                    .find(|m| {
                        m.name == name && (m.behavioural.is_none() || cells.get(name).is_none())
                    })
                    .map(|m| (m, 1))
            })
    };
    let mut stack = vec![(top, 0u16)];
    let mut seen = HashSet::new();
    while let Some((m, file)) = stack.pop() {
        if !seen.insert(&m.name) {
            continue;
        }
        if let Some((line, what)) = &m.behavioural {
            let f = if file == 0 {
                path
            } else {
                opts.cells.as_deref().unwrap_or(path)
            };
            return Ok(Route::Yosys {
                why: format!("{}:{line}: {what} is behavioural", f.display()),
                top: top.name.clone(),
            });
        }
        for it in &m.items {
            if let parse::Item::Inst { cell, .. } = it {
                stack.extend(find(cell));
            }
        }
    }
    // Combinational user-defined primitives become cells.
    let mut cells = cells.clone();
    for (mods, f) in [
        (&cell_modules, opts.cells.as_deref()),
        (&file_modules, Some(path)),
    ] {
        let f = f.unwrap_or(path);
        for m in mods.iter().filter(|m| m.table.is_some()) {
            let def = cells::udp_def(m, &f.display().to_string())
                .map_err(|e| Error::at_line(f, m.line as usize, e))?;
            cells.udps.insert(m.name.clone(), def);
        }
    }
    let cells = &cells;
    let usable = |m: &&parse::Module| m.behavioural.is_none() && m.table.is_none();
    let mut defs: HashMap<&str, elab::Def> = HashMap::new();
    for m in cell_modules.iter().filter(usable) {
        defs.insert(&m.name, elab::Def { module: m, file: 1 });
    }
    for m in file_modules.iter().filter(usable) {
        defs.insert(&m.name, elab::Def { module: m, file: 0 });
    }
    let mut files = vec![path.to_path_buf()];
    files.extend(opts.cells.clone());
    let top_def = elab::Def {
        module: top,
        file: 0,
    };
    let parts: Parts = elab::Elab::new(&top.name, files, defs, cells).top(top_def)?;
    Netlist::from_parts(parts, &opts.ports).map(Route::Netlist)
}

/// Lex and parse one file (behavioural modules are marked, not errors).
fn parse_file(text: &str, path: &Path) -> Result<Vec<parse::Module>> {
    let tokens = lex::lex(text, path)?;
    match parse::parse(&tokens) {
        Ok(m) if m.is_empty() => Err(Error::in_file(path, "no `module` in the file")),
        Ok(m) => {
            let mut seen = HashSet::new();
            for x in &m {
                if !seen.insert(&x.name) {
                    return Err(Error::at_line(
                        path,
                        x.line as usize,
                        format!("module `{}` is defined twice", x.name),
                    ));
                }
            }
            Ok(m)
        }
        Err(parse::ParseError::Syntax { line, msg }) => {
            Err(Error::at_line(path, line as usize, msg))
        }
        Err(parse::ParseError::Behavioural { line, what }) => Err(Error::at_line(
            path,
            line as usize,
            format!("{what}: not understood here"),
        )),
    }
}

/// The top module: `--top`, else the one module no other module
/// instantiates (as Yosys `hierarchy -auto-top` and Icarus Verilog decide);
/// among several such, the one with the operand and product ports.
fn pick_top<'m>(
    mods: &'m [parse::Module],
    path: &Path,
    opts: &ImportOptions,
) -> Result<&'m parse::Module> {
    let names = || {
        mods.iter()
            .map(|m| format!("`{}`", m.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(t) = &opts.top {
        return mods.iter().find(|m| &m.name == t).ok_or_else(|| {
            Error::in_file(
                path,
                format!("--top `{t}`: no such module (modules: {})", names()),
            )
        });
    }
    let used: HashSet<&str> = mods
        .iter()
        .flat_map(|m| m.items.iter())
        .filter_map(|i| match i {
            parse::Item::Inst { cell, .. } => Some(cell.as_str()),
            _ => None,
        })
        .collect();
    let roots: Vec<&parse::Module> = mods
        .iter()
        .filter(|m| !used.contains(m.name.as_str()) && !m.ports.is_empty())
        .collect();
    if let [one] = roots.as_slice() {
        return Ok(one);
    }
    let p = &opts.ports;
    let has = |m: &parse::Module, n: &str| {
        m.ports
            .iter()
            .any(|q| q == n || q.strip_prefix(n).is_some_and(|r| r.starts_with('[')))
    };
    let with_ports: Vec<&&parse::Module> = roots
        .iter()
        .filter(|m| has(m, &p.a) && has(m, &p.b) && has(m, &p.o))
        .collect();
    match with_ports.as_slice() {
        [one] => Ok(one),
        _ if roots.is_empty() => Err(Error::in_file(
            path,
            "every module is instantiated by another one: no top module; name it with --top NAME",
        )),
        _ => Err(Error::in_file(
            path,
            format!(
                "{} modules are instantiated by no other ({}) and {} of them has the ports {}, {}, {}: name the multiplier with --top NAME",
                roots.len(),
                roots.iter().map(|m| format!("`{}`", m.name)).collect::<Vec<_>>().join(", "),
                if with_ports.is_empty() { "none".to_string() } else { with_ports.len().to_string() },
                p.a,
                p.b,
                p.o
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errmap::ErrorMap;
    use crate::netlist::sim::exhaustive;

    fn import(text: &str) -> Result<Imported> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.v");
        std::fs::write(&p, text).unwrap();
        load(&p, &ImportOptions::default()).map_err(|e| {
            Error::input(
                e.to_string()
                    .replace(&dir.path().display().to_string(), "DIR"),
            )
        })
    }

    /// A 2x2-bit multiplier padded to 8x8 (upper bits ignored), in
    /// EvoApprox style: wire vector, bit assigns, cell instances with
    /// expression connections, cell modules after the top module.
    const EVO: &str = "// mul2: 2x2 demo\n\
        module mul2(A, B, O);\n\
          input [7:0] A;\n\
          input [7:0] B;\n\
          output [15:0] O;\n\
          wire [9:0] N;\n\
          assign N[0] = A[0] & B[0];\n\
          PDKGENHAX1 u1 (.A(A[1] & B[0]), .B(~(~A[0] | ~B[1])), .YS(N[1]), .YC(N[2]));\n\
          and g2 (N[3], A[1], B[1]);\n\
          HAX1 u2 (.A(N[3]), .B(N[2]), .YS(N[4]), .YC(N[5]));\n\
          assign O[0] = N[0];\n\
          assign O[1] = N[1];\n\
          assign {O[3], O[2]} = {N[5], N[4]};\n\
          assign O[15:4] = 12'b0;\n\
        endmodule\n\
        module PDKGENHAX1(input A, input B, output YS, output YC);\n\
          assign YS = A ^ B;\n\
          assign YC = A & B;\n\
        endmodule\n";

    #[test]
    fn evoapprox_style_structural_file_imports() {
        let imp = import(EVO).unwrap();
        assert_eq!(imp.importer, STRUCTURAL);
        assert_eq!(imp.netlist.name, "mul2");
        let m = exhaustive(&imp.netlist, false).unwrap();
        assert_eq!(m, ErrorMap::from_fn(false, |a, b| (a & 3) * (b & 3)));
        // Buffers are gone; HA = xor + and, AND-of-inverted = and + 2 not ...
        assert!(imp
            .netlist
            .gates
            .iter()
            .all(|g| g.kind != crate::netlist::GateKind::Buf));
    }

    #[test]
    fn comments_do_not_matter() {
        let stripped: String = EVO
            .lines()
            .filter(|l| !l.starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let with = format!(
            "/* module fake(A); */\n{}",
            stripped.replace("assign N[0]", "// assign N[9] = 1;\nassign N[0]")
        );
        let a = exhaustive(&import(&with).unwrap().netlist, false).unwrap();
        assert_eq!(a, exhaustive(&import(EVO).unwrap().netlist, false).unwrap());
    }

    #[test]
    fn structural_errors_name_line_and_net() {
        let e = import(&EVO.replace("assign O[1] = N[1];", "assign O[1] = N[7];"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("DIR/m.v:12") && e.contains("`N[7]` is undriven"),
            "{e}"
        );
        let e = import(&EVO.replace(
            "assign O[1] = N[1];",
            "assign O[1] = N[1];\nassign O[0] = N[2];",
        ))
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("DIR/m.v:13")
                && e.contains("`O[0]` is multiply driven")
                && e.contains("m.v:11"),
            "{e}"
        );
        let e = import(&EVO.replace("HAX1 u2", "FOO u2"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("DIR/m.v:10") && e.contains("unknown cell `FOO`"),
            "{e}"
        );
        let e = import(&EVO.replace("input [7:0] B;", "input [3:0] B;"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("DIR/m.v:4") && e.contains("`B` is 4 bits wide, expected 8"),
            "{e}"
        );
        let e = import(&EVO.replace(
            "assign N[0] = A[0] & B[0];",
            "assign N[0] = A[0] & N[6];\nassign N[6] = N[0];",
        ))
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("cycle") && (e.contains("DIR/m.v:7") || e.contains("DIR/m.v:8")),
            "{e}"
        );
        let e = import(&EVO.replace("and g2 (N[3], A[1], B[1]);", "and g2 (N[3], A[1], B[1])"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("DIR/m.v:10") && e.contains("syntax error"),
            "{e}"
        );
        let e = import(&EVO.replace("N[0] = A[0]", "N[0] = A[9]"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("DIR/m.v:7") && e.contains("`A[9]` is outside `A[7:0]`"),
            "{e}"
        );
    }

    #[test]
    fn user_cells_file_defines_cells() {
        let dir = tempfile::tempdir().unwrap();
        let cells = dir.path().join("cells.v");
        std::fs::write(
            &cells,
            "module MYAND(input P, input Q, output R); and (R, P, Q); endmodule\n",
        )
        .unwrap();
        let top = dir.path().join("t.v");
        std::fs::write(
            &top,
            "module t(input [7:0] A, input [7:0] B, output [15:0] O);\n\
             MYAND u (.P(A[0]), .Q(B[0]), .R(O[0]));\n assign O[15:1] = 0;\nendmodule\n",
        )
        .unwrap();
        let e = load(&top, &ImportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown cell `MYAND`"), "{e}");
        let opts = ImportOptions {
            cells: Some(cells),
            ..Default::default()
        };
        let n = load(&top, &opts).unwrap().netlist;
        assert_eq!(
            exhaustive(&n, false).unwrap(),
            ErrorMap::from_fn(false, |a, b| a & b & 1)
        );
    }

    #[test]
    fn ternary_and_vectors_elaborate_bitwise() {
        let n = import(
            "module v(input [7:0] A, input [7:0] B, output [15:0] O);\n\
             wire [7:0] t = A ^ ~B;\n assign O = {A[7] ? t : B, 8'h0f & A};\nendmodule\n",
        )
        .unwrap()
        .netlist;
        let want = ErrorMap::from_fn(false, |a, b| {
            let t = (a ^ !b) & 255;
            let hi = if a & 128 != 0 { t } else { b };
            hi << 8 | (a & 15)
        });
        assert_eq!(exhaustive(&n, false).unwrap(), want);
    }
}
