//! Reading the cells of a Liberty (`.lib`) standard-cell library: each
//! `cell` group's `pin` groups with their `direction` and `function`
//! attributes. Timing, power and every other attribute is skipped. Cells
//! with an `ff`, `latch` or `statetable` group are kept but marked
//! sequential, so using one is a clear error while the library's
//! combinational cells stay usable. (No maintained Liberty crate with a
//! licence compatible with this crate's MIT licence was found: `liberty-io`
//! and `libertyparse` are AGPL.)

use super::boolfn::Func;
use super::cells::CellDef;
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::path::Path;

/// A Liberty group: `kind (args) { attributes; groups }`.
#[derive(Debug, Default)]
struct Group {
    kind: String,
    args: Vec<String>,
    line: u32,
    attrs: Vec<(String, String, u32)>,
    groups: Vec<Group>,
}

#[derive(Debug, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Sym(u8),
}

fn lex(text: &str, path: &Path) -> Result<Vec<(Tok, u32)>> {
    let b = text.as_bytes();
    let (mut i, mut line) = (0usize, 1u32);
    let mut out = vec![];
    while i < b.len() {
        match b[i] {
            b'\n' => {
                line += 1;
                i += 1
            }
            b'\\' => i += 1, // line continuation
            c if c.is_ascii_whitespace() => i += 1,
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let start = line;
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    line += (b[i] == b'\n') as u32;
                    i += 1;
                }
                if i + 1 >= b.len() {
                    return Err(Error::at_line(
                        path,
                        start as usize,
                        "unterminated `/*` comment",
                    ));
                }
                i += 2;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                let (s, start) = (i + 1, line);
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    line += (b[i] == b'\n') as u32;
                    i += 1;
                }
                if i >= b.len() {
                    return Err(Error::at_line(path, start as usize, "unterminated string"));
                }
                out.push((Tok::Str(text[s..i].to_string()), start));
                i += 1;
            }
            c @ (b'(' | b')' | b'{' | b'}' | b':' | b';' | b',') => {
                out.push((Tok::Sym(c), line));
                i += 1;
            }
            _ => {
                let s = i;
                while i < b.len()
                    && !b[i].is_ascii_whitespace()
                    && !b"(){}:;,\"".contains(&b[i])
                    && (b[i] != b'/' || !matches!(b.get(i + 1), Some(b'*' | b'/')))
                {
                    i += 1;
                }
                out.push((Tok::Word(text[s..i].to_string()), line));
            }
        }
    }
    Ok(out)
}

struct P<'a> {
    t: Vec<(Tok, u32)>,
    i: usize,
    path: &'a Path,
}

impl P<'_> {
    fn line(&self) -> u32 {
        self.t.get(self.i).or(self.t.last()).map_or(1, |t| t.1)
    }
    fn err(&self, msg: &str) -> Error {
        Error::at_line(
            self.path,
            self.line() as usize,
            format!("Liberty syntax error: {msg}"),
        )
    }
    fn sym(&self, c: u8) -> bool {
        matches!(self.t.get(self.i), Some((Tok::Sym(x), _)) if *x == c)
    }
    fn text(&mut self) -> Result<String> {
        match self.t.get(self.i) {
            Some((Tok::Word(s) | Tok::Str(s), _)) => {
                self.i += 1;
                Ok(s.clone())
            }
            _ => Err(self.err("expected a name or value")),
        }
    }
    /// The statements of a group body up to its `}`.
    fn body(&mut self, g: &mut Group) -> Result<()> {
        loop {
            if self.sym(b'}') {
                self.i += 1;
                return Ok(());
            }
            if self.i >= self.t.len() {
                return Err(self.err("missing `}`"));
            }
            self.statement(g)?;
        }
    }

    /// One attribute or group into `g`.
    fn statement(&mut self, g: &mut Group) -> Result<()> {
        {
            if self.sym(b';') {
                self.i += 1;
                return Ok(());
            }
            let line = self.line();
            let name = self.text()?;
            if self.sym(b':') {
                self.i += 1;
                let mut v = self.text()?;
                // Unquoted expressions may span several words.
                while !self.sym(b';') && !self.sym(b'}') && self.i < self.t.len() {
                    v.push(' ');
                    v += &self.text()?;
                }
                g.attrs.push((name, v, line));
            } else if self.sym(b'(') {
                self.i += 1;
                let mut args = vec![];
                while !self.sym(b')') {
                    if self.sym(b',') {
                        self.i += 1;
                        continue;
                    }
                    args.push(self.text()?);
                }
                self.i += 1;
                if self.sym(b'{') {
                    self.i += 1;
                    let mut sub = Group {
                        kind: name,
                        args,
                        line,
                        ..Default::default()
                    };
                    self.body(&mut sub)?;
                    g.groups.push(sub);
                } else {
                    g.attrs.push((name, args.join(","), line));
                }
            } else {
                return Err(self.err(&format!("expected `:` or `(` after `{name}`")));
            }
            Ok(())
        }
    }
}

/// The cells of the Liberty library `text` (read from `path`), by name.
/// Errors name the file and line (syntax, a function that does not parse,
/// a pin without direction).
pub fn read(text: &str, path: &Path) -> Result<HashMap<String, CellDef>> {
    let root = parse(text, path)?;
    let lib = library(&root, path)?;
    cells_of(lib, path)
}

/// The area of every cell of the Liberty library `text` (read from
/// `path`) that states one, by name, in the library's area unit (µm² for
/// NanGate45). Errors name the file and line.
pub fn cell_areas(text: &str, path: &Path) -> Result<HashMap<String, f64>> {
    let root = parse(text, path)?;
    let lib = library(&root, path)?;
    let mut out = HashMap::new();
    for c in lib.groups.iter().filter(|g| g.kind == "cell") {
        let name = c.args.first().cloned().unwrap_or_default();
        if let Some((_, v, line)) = c.attrs.iter().find(|a| a.0 == "area") {
            let a: f64 = v.trim().parse().map_err(|_| {
                Error::at_line(
                    path,
                    *line as usize,
                    format!("cell `{name}`: area `{v}` is not a number"),
                )
            })?;
            out.insert(name, a);
        }
    }
    Ok(out)
}

fn library<'a>(root: &'a Group, path: &Path) -> Result<&'a Group> {
    root.groups
        .iter()
        .find(|g| g.kind == "library")
        .ok_or_else(|| Error::in_file(path, "not a Liberty file: no `library (...) { ... }` group"))
}

fn parse(text: &str, path: &Path) -> Result<Group> {
    let mut p = P {
        t: lex(text, path)?,
        i: 0,
        path,
    };
    // The file is one `library (name) { ... }` group.
    let mut root = Group::default();
    while p.i < p.t.len() {
        p.statement(&mut root)?;
    }
    Ok(root)
}

fn cells_of(lib: &Group, path: &Path) -> Result<HashMap<String, CellDef>> {
    let mut cells = HashMap::new();
    for c in lib.groups.iter().filter(|g| g.kind == "cell") {
        let name = c.args.first().cloned().unwrap_or_default();
        let seq = c.groups.iter().find(|g| {
            matches!(
                g.kind.as_str(),
                "ff" | "latch" | "ff_bank" | "latch_bank" | "statetable"
            )
        });
        let mut inputs = vec![];
        let mut outs = vec![];
        for pin in c.groups.iter().filter(|g| g.kind == "pin") {
            let attr = |k: &str| pin.attrs.iter().find(|a| a.0 == k);
            let pname = pin.args.first().cloned().unwrap_or_default();
            match attr("direction").map(|a| a.1.as_str()) {
                Some("input") => inputs.push(pname),
                Some("output") | Some("inout") => {
                    outs.push((pname, attr("function").map(|a| (a.1.clone(), a.2))))
                }
                Some("internal") => {}
                _ => {
                    return Err(Error::at_line(
                        path,
                        pin.line as usize,
                        format!("cell `{name}`, pin `{pname}`: no `direction`"),
                    ))
                }
            }
        }
        let ins: Vec<&str> = inputs.iter().map(String::as_str).collect();
        let mut unusable = seq.map(|g| {
            format!(
                "cell `{name}` is sequential (`{}` group at {}:{})",
                g.kind,
                path.display(),
                g.line
            )
        });
        let mut outputs = vec![];
        for (o, f) in outs {
            match f {
                Some((text, line)) if unusable.is_none() => {
                    let func = Func::parse(&text, &ins).map_err(|e| {
                        Error::at_line(
                            path,
                            line as usize,
                            format!("cell `{name}`, pin `{o}`: function \"{text}\": {e}"),
                        )
                    })?;
                    outputs.push((o, func));
                }
                Some(_) => outputs.push((o, Func::Const(false))),
                None => {
                    unusable.get_or_insert_with(|| {
                        format!(
                            "cell `{name}` has no `function` for output `{o}` ({}:{})",
                            path.display(),
                            c.line
                        )
                    });
                    outputs.push((o, Func::Const(false)));
                }
            }
        }
        cells.insert(
            name.clone(),
            CellDef {
                name,
                library: path
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                inputs,
                outputs,
                power: c
                    .groups
                    .iter()
                    .filter(|g| g.kind == "pg_pin")
                    .filter_map(|g| g.args.first().cloned())
                    .collect(),
                unusable,
                positional: None,
            },
        );
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIB: &str = r#"/* a tiny library */
library (tiny) {
  delay_model : table_lookup;
  cell (AOI21_X1) {
    area : 1.06;
    pin (A) { direction : input; capacitance : 1.6; }
    pin (B1) { direction : input; }
    pin (B2) { direction : input; }
    pin (ZN) { direction : output;
      function : "!(A | (B1 & B2))";
      timing () { related_pin : "A"; values ("1, 2", \
        "3, 4"); }
    }
  }
  cell (MUX) { pin(A) {direction:input;} pin(B) {direction:input;} pin(S) {direction:input;}
    pin(Y) {direction:output; function: "(S B)+(S' A)";} }
  cell (DFF) { ff (IQ, IQN) { next_state : "D"; clocked_on : "CK"; }
    pin(D) {direction:input;} pin(CK) {direction:input;} pin(Q) {direction:output; function:"IQ";} }
}
"#;

    #[test]
    fn reads_cell_areas() {
        let a = cell_areas(LIB, Path::new("tiny.lib")).unwrap();
        assert_eq!(a.get("AOI21_X1"), Some(&1.06));
        assert_eq!(a.len(), 1, "{a:?}");
    }

    #[test]
    fn reads_pins_functions_and_marks_sequential_cells() {
        let cells = read(LIB, Path::new("tiny.lib")).unwrap();
        let aoi = &cells["AOI21_X1"];
        assert_eq!(aoi.inputs, ["A", "B1", "B2"]);
        assert_eq!(aoi.outputs[0].0, "ZN");
        assert!(aoi.unusable.is_none());
        let mux = &cells["MUX"];
        assert_eq!(
            mux.outputs[0].1.truth_table(3),
            (0..8)
                .map(|x| if x & 4 != 0 { x & 2 != 0 } else { x & 1 != 0 })
                .collect::<Vec<_>>()
        );
        assert!(cells["DFF"]
            .unusable
            .as_ref()
            .unwrap()
            .contains("sequential (`ff` group at tiny.lib:17)"));
    }

    #[test]
    fn bad_function_names_file_line_cell_and_pin() {
        let e = read(
            &LIB.replace("!(A | (B1 & B2))", "!(A | C)"),
            Path::new("t.lib"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("t.lib:10") && e.contains("cell `AOI21_X1`, pin `ZN`") && e.contains("`C`"),
            "{e}"
        );
        let e = read(
            "library (x) { cell (A) { pin (Y) { direction : output; }",
            Path::new("t.lib"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("t.lib:1") && e.contains("missing `}`"), "{e}");
    }
}
