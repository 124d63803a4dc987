//! Elaboration of parsed structural Verilog into single-bit [`Parts`]:
//! every declared bit becomes a net, every operator a gate, every instance
//! of a user-defined module is flattened in place, built-in cells become
//! their gates. Plain wire-to-wire assigns become buffers, which validation
//! collapses.

use super::cells::{CellDef, CellSet, Gates};
use super::parse::{BinOp, Conns, Decl, Dir, Expr, Item, Module, Sel};
use crate::error::{Error, Result};
use crate::netlist::validate::{Loc, PartPort, Parts};
use crate::netlist::{Bus, GateKind, NetId};
use std::collections::HashMap;

/// Deepest instance nesting accepted (guards against recursive modules).
const MAX_DEPTH: usize = 32;

/// A declared vector in one module scope.
#[derive(Clone, Debug)]
struct Signal {
    nets: Vec<NetId>,
    msb: i64,
    lsb: i64,
    dir: Dir,
}

impl Signal {
    /// Position in `nets` of declared index `i`.
    fn pos(&self, i: i64) -> Option<usize> {
        let p = if self.msb >= self.lsb {
            i - self.lsb
        } else {
            self.lsb - i
        };
        (0..self.nets.len() as i64)
            .contains(&p)
            .then_some(p as usize)
    }
}

type Scope = HashMap<String, Signal>;

/// A module with the file it came from.
#[derive(Clone, Copy)]
pub struct Def<'m> {
    pub module: &'m Module,
    pub file: u16,
}

/// The elaborator: the parts being built and the modules it may inline.
pub struct Elab<'m> {
    pub parts: Parts,
    defs: HashMap<&'m str, Def<'m>>,
    cells: &'m CellSet,
    consts: [Option<NetId>; 2],
    /// Where gates being made now come from.
    loc: Loc,
    cell: String,
    temps: usize,
}

impl Gates for Elab<'_> {
    fn gate(&mut self, kind: GateKind, inputs: &[NetId]) -> NetId {
        self.temps += 1;
        let out = self
            .parts
            .net(format!("{}_t{}", self.cell_prefix(), self.temps));
        let (loc, cell) = (self.loc, self.cell.clone());
        self.parts.drive(kind, inputs.to_vec(), out, loc, cell);
        out
    }
}

impl<'m> Elab<'m> {
    /// An elaborator over `files`, able to inline `defs`.
    pub fn new(
        name: &str,
        files: Vec<std::path::PathBuf>,
        defs: HashMap<&'m str, Def<'m>>,
        cells: &'m CellSet,
    ) -> Self {
        Elab {
            parts: Parts {
                name: name.to_string(),
                files,
                ..Default::default()
            },
            defs,
            cells,
            consts: [None, None],
            loc: Loc::default(),
            cell: String::new(),
            temps: 0,
        }
    }

    fn cell_prefix(&self) -> &'static str {
        "$"
    }

    fn err(&self, line: u32, msg: impl std::fmt::Display) -> Error {
        self.parts_err(
            Loc {
                file: self.loc.file,
                line,
            },
            msg,
        )
    }

    fn parts_err(&self, loc: Loc, msg: impl std::fmt::Display) -> Error {
        Error::input(format!("{}: {msg}", self.parts.at(loc)))
    }

    fn constant(&mut self, v: bool) -> NetId {
        if let Some(n) = self.consts[v as usize] {
            return n;
        }
        let out = self.parts.net(if v { "1'b1" } else { "1'b0" });
        let kind = if v {
            GateKind::Const1
        } else {
            GateKind::Const0
        };
        self.parts
            .drive(kind, vec![], out, Loc::default(), "constant");
        self.consts[v as usize] = Some(out);
        out
    }

    /// Elaborate the top module: its inputs and outputs become the ports.
    pub fn top(mut self, top: Def<'m>) -> Result<Parts> {
        let scope = self.module(top, "", &HashMap::new(), 0)?;
        for d in &top.module.decls {
            let loc = Loc {
                file: top.file,
                line: d.line,
            };
            let bus = Bus {
                name: d.name.clone(),
                nets: scope[&d.name].nets.clone(),
            };
            match d.dir {
                Dir::Input => self.parts.inputs.push(PartPort { bus, loc }),
                Dir::Output => self.parts.outputs.push(PartPort { bus, loc }),
                Dir::Wire => {}
            }
        }
        // Only the first declaration of a name counts (`output O; wire O;`).
        let mut seen = std::collections::HashSet::new();
        self.parts
            .inputs
            .retain(|p| seen.insert(p.bus.name.clone()));
        self.parts
            .outputs
            .retain(|p| seen.insert(p.bus.name.clone()));
        Ok(self.parts)
    }

    /// Elaborate `def` with input ports bound to `bound`; returns its scope.
    fn module(
        &mut self,
        def: Def<'m>,
        prefix: &str,
        bound: &HashMap<String, Vec<NetId>>,
        depth: usize,
    ) -> Result<Scope> {
        let m = def.module;
        let file = def.file;
        self.loc = Loc { file, line: m.line };
        if depth > MAX_DEPTH {
            return Err(self.err(
                m.line,
                format!(
                    "module `{}` is instantiated more than {MAX_DEPTH} levels deep (recursive?)",
                    m.name
                ),
            ));
        }
        let mut scope: Scope = HashMap::new();
        for d in &m.decls {
            self.declare(&mut scope, d, prefix, bound, file)?;
        }
        // Implicit nets: an undeclared name on a gate terminal or a cell
        // port is a 1-bit wire (IEEE 1364-2005, 6.5).
        for item in &m.items {
            let exprs: Vec<&Expr> = match item {
                Item::Prim { terms, .. } => terms.iter().collect(),
                Item::Inst {
                    conns: Conns::Named(list),
                    ..
                } => list.iter().filter_map(|(_, e)| e.as_ref()).collect(),
                Item::Inst {
                    conns: Conns::Positional(list),
                    ..
                } => list.iter().flatten().collect(),
                Item::Assign { .. } => vec![],
            };
            for e in exprs {
                if let Expr::Ref {
                    name,
                    sel: Sel::All,
                    line,
                } = e
                {
                    if !scope.contains_key(name) {
                        let d = Decl {
                            dir: Dir::Wire,
                            range: None,
                            name: name.clone(),
                            line: *line,
                        };
                        self.declare(&mut scope, &d, prefix, bound, file)?;
                    }
                }
            }
        }
        for p in &m.ports {
            match scope.get(p) {
                Some(s) if s.dir != Dir::Wire => {}
                _ => {
                    return Err(self.err(
                        m.line,
                        format!(
                            "port `{p}` of module `{}` has no input/output declaration",
                            m.name
                        ),
                    ))
                }
            }
        }
        for item in &m.items {
            self.item(item, &scope, prefix, file, depth)?;
        }
        Ok(scope)
    }

    fn declare(
        &mut self,
        scope: &mut Scope,
        d: &Decl,
        prefix: &str,
        bound: &HashMap<String, Vec<NetId>>,
        file: u16,
    ) -> Result<()> {
        self.loc = Loc { file, line: d.line };
        let (msb, lsb) = d.range.unwrap_or((0, 0));
        let width = (msb - lsb).unsigned_abs() as usize + 1;
        if width > 1 << 20 {
            return Err(self.err(
                d.line,
                format!("`{}` is {width} bits wide: too wide", d.name),
            ));
        }
        if let Some(old) = scope.get_mut(&d.name) {
            // `output [15:0] O; wire [15:0] O;` declares one net twice.
            if old.nets.len() != width {
                return Err(self.err(
                    d.line,
                    format!("`{}` is declared again with another width", d.name),
                ));
            }
            if old.dir == Dir::Wire {
                old.dir = d.dir;
            }
            return Ok(());
        }
        let nets = if d.dir == Dir::Input && bound.contains_key(&d.name) {
            let mut v = bound[&d.name].clone();
            let zero = self.constant(false);
            v.resize(width, zero);
            v
        } else {
            (0..width)
                .map(|k| {
                    let i = if msb >= lsb {
                        lsb + k as i64
                    } else {
                        lsb - k as i64
                    };
                    let name = if d.range.is_some() {
                        format!("{prefix}{}[{i}]", d.name)
                    } else {
                        format!("{prefix}{}", d.name)
                    };
                    self.parts.net(name)
                })
                .collect()
        };
        scope.insert(
            d.name.clone(),
            Signal {
                nets,
                msb,
                lsb,
                dir: d.dir,
            },
        );
        Ok(())
    }

    fn item(
        &mut self,
        item: &Item,
        scope: &Scope,
        prefix: &str,
        file: u16,
        depth: usize,
    ) -> Result<()> {
        match item {
            Item::Assign { lhs, rhs, line } => {
                self.loc = Loc { file, line: *line };
                self.cell = "assign".into();
                let dst = self.lvalue(lhs, scope)?;
                let w = dst.len().max(self.width(rhs, scope)?);
                let src = self.expr(rhs, scope, w)?;
                for (d, s) in dst.into_iter().zip(src) {
                    self.parts
                        .drive(GateKind::Buf, vec![s], d, self.loc, "assign");
                }
            }
            Item::Prim {
                kind,
                name,
                array,
                terms,
                line,
            } => {
                self.loc = Loc { file, line: *line };
                self.cell = if name.is_empty() {
                    format!("`{kind}` gate")
                } else {
                    format!("`{kind}` gate `{prefix}{name}`")
                };
                let unary = kind == "not" || kind == "buf";
                if terms.len() < 2 || (!unary && terms.len() < 3) {
                    return Err(self.err(
                        *line,
                        format!(
                            "{} needs an output and {} input(s)",
                            self.cell,
                            if unary { 1 } else { 2 }
                        ),
                    ));
                }
                let n_out = if unary { terms.len() - 1 } else { 1 };
                // Terminal nets per instance: one instance, or an array of
                // `n` whose terminals are `n` bits (bit k to the k-th
                // instance from the right-hand index) or one bit (shared).
                let n = array.map_or(1, |(a, b)| (a - b).unsigned_abs() as usize + 1);
                let mut cols: Vec<Vec<NetId>> = vec![];
                for (j, t) in terms.iter().enumerate() {
                    let v = if j < n_out {
                        self.lvalue(t, scope)?
                    } else if array.is_none() {
                        vec![self.bit(t, scope)?]
                    } else {
                        let w = self.width(t, scope)?;
                        self.expr(t, scope, w)?
                    };
                    if v.len() != 1 && v.len() != n {
                        let what = if j < n_out { "output" } else { "input" };
                        return Err(self.err(
                            *line,
                            match array {
                                None => format!(
                                    "{what} of {} must be one bit, got {}",
                                    self.cell,
                                    v.len()
                                ),
                                Some((a, b)) => format!(
                                    "{what} {} of {}[{a}:{b}] is {} bits: an array of {n} instances takes {n} bits or 1",
                                    j + 1,
                                    self.cell,
                                    v.len()
                                ),
                            },
                        ));
                    }
                    cols.push(v);
                }
                for k in 0..n {
                    let at = |v: &Vec<NetId>| if v.len() == 1 { v[0] } else { v[k] };
                    let ins: Vec<NetId> = cols[n_out..].iter().map(at).collect();
                    let out = match kind.as_str() {
                        "not" => self.gate(GateKind::Not, &ins),
                        "buf" => ins[0],
                        k => {
                            let (chain, last) = match k {
                                "and" => (GateKind::And, GateKind::And),
                                "or" => (GateKind::Or, GateKind::Or),
                                "xor" => (GateKind::Xor, GateKind::Xor),
                                "nand" => (GateKind::And, GateKind::Nand),
                                "nor" => (GateKind::Or, GateKind::Nor),
                                _ => (GateKind::Xor, GateKind::Xnor),
                            };
                            let mut acc = ins[0];
                            for (j, &x) in ins[1..].iter().enumerate() {
                                acc = self
                                    .gate(if j + 2 == ins.len() { last } else { chain }, &[acc, x]);
                            }
                            acc
                        }
                    };
                    for dst in &cols[..n_out] {
                        let d = at(dst);
                        self.parts
                            .drive(GateKind::Buf, vec![out], d, self.loc, self.cell.clone());
                    }
                }
            }
            Item::Inst {
                cell,
                name,
                conns,
                line,
            } => {
                self.loc = Loc { file, line: *line };
                self.cell = format!("instance `{prefix}{name}` ({cell})");
                let cells = self.cells;
                if let Some(def) = self.defs.get(cell.as_str()).copied() {
                    self.instance(def, name, conns, scope, prefix, file, *line, depth)?;
                } else if let Some(why) = cells.ambiguous(cell) {
                    return Err(self.err(*line, format!("instance `{name}`: {why}")));
                } else if let Some(c) = cells.get(cell) {
                    self.builtin(c, cell, conns, scope, *line)?;
                } else if let Some(why) = super::cells::unsupported(cell) {
                    return Err(self.err(*line, format!("instance `{name}`: {why}")));
                } else {
                    return Err(self.err(
                        *line,
                        format!("unknown cell `{cell}` (instance `{name}`): not a cell of the built-in libraries (EvoApprox8b, NanGate45, sky130_fd_sc_hd, sky130_ef_sc_hd) and not defined in the file, in --cells or in --liberty"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// An instance of a library cell (built-in or `--liberty`): every
    /// connection names a pin of the cell, each output is its function.
    fn builtin(
        &mut self,
        c: &CellDef,
        cell: &str,
        conns: &Conns,
        scope: &Scope,
        line: u32,
    ) -> Result<()> {
        let positional: Vec<(String, Option<Expr>)>;
        let list = match conns {
            Conns::Named(list) => list,
            // `FILLCELL_X4 f ();`: nothing connected.
            Conns::Positional(v) if v.is_empty() => {
                positional = vec![];
                &positional
            }
            Conns::Positional(v) => {
                let order = c
                    .positional_order(v.len())
                    .map_err(|why| self.err(line, format!("{}: {why}", self.cell)))?;
                positional = order
                    .into_iter()
                    .map(String::from)
                    .zip(v.iter().cloned())
                    .collect();
                &positional
            }
        };
        if let Some(why) = &c.unusable {
            return Err(self.err(
                line,
                format!(
                    "{}: {why}; a multiplier netlist must be combinational",
                    self.cell
                ),
            ));
        }
        let mut ins: Vec<Option<NetId>> = vec![None; c.inputs.len()];
        let mut outs: Vec<(usize, &Expr)> = vec![];
        for (port, e) in list {
            if let Some(k) = c.inputs.iter().position(|p| p == port) {
                if let Some(e) = e {
                    ins[k] = Some(self.bit(e, scope)?);
                }
            } else if let Some(k) = c.outputs.iter().position(|(p, _)| p == port) {
                if let Some(e) = e {
                    outs.push((k, e));
                }
            } else if c.power.iter().any(|p| p == port) {
                // A supply connection of a powered netlist: no logic.
            } else {
                return Err(self.err(
                    line,
                    format!(
                        "{}: cell `{cell}` ({}) has no pin `{port}`; its pins are {}",
                        self.cell,
                        c.library,
                        c.pins().join(", ")
                    ),
                ));
            }
        }
        let mut inputs = vec![];
        for (k, x) in ins.into_iter().enumerate() {
            match x {
                Some(x) => inputs.push(x),
                None => {
                    return Err(self.err(
                        line,
                        format!("{}: input `{}` is not connected", self.cell, c.inputs[k]),
                    ))
                }
            }
        }
        for (k, e) in outs {
            let (pin, f) = &c.outputs[k];
            let dst = self.lvalue(e, scope)?;
            if dst.len() != 1 {
                return Err(self.err(
                    line,
                    format!(
                        "{}: output `{pin}` is 1 bit, connected to {} bits",
                        self.cell,
                        dst.len()
                    ),
                ));
            }
            let y = f.build(self, &inputs);
            self.parts
                .drive(GateKind::Buf, vec![y], dst[0], self.loc, self.cell.clone());
        }
        Ok(())
    }

    /// An instance of a user-defined module, flattened in place.
    #[allow(clippy::too_many_arguments)]
    fn instance(
        &mut self,
        def: Def<'m>,
        name: &str,
        conns: &Conns,
        scope: &Scope,
        prefix: &str,
        file: u16,
        line: u32,
        depth: usize,
    ) -> Result<()> {
        let m = def.module;
        let cell_desc = self.cell.clone();
        let pairs: Vec<(String, &Expr)> = match conns {
            Conns::Named(list) => {
                let mut v = vec![];
                for (port, e) in list {
                    if !m.ports.contains(port) {
                        return Err(self.err(
                            line,
                            format!("{cell_desc}: module `{}` has no port `{port}`", m.name),
                        ));
                    }
                    if let Some(e) = e {
                        v.push((port.clone(), e));
                    }
                }
                v
            }
            Conns::Positional(list) => {
                if list.len() > m.ports.len() {
                    return Err(self.err(
                        line,
                        format!(
                            "{cell_desc}: {} connections for {} ports of `{}`",
                            list.len(),
                            m.ports.len(),
                            m.name
                        ),
                    ));
                }
                list.iter()
                    .zip(&m.ports)
                    .filter_map(|(e, p)| e.as_ref().map(|e| (p.clone(), e)))
                    .collect()
            }
        };
        let dir_of = |p: &str| m.decls.iter().find(|d| d.name == p).map(|d| d.dir);
        let mut bound = HashMap::new();
        for (p, e) in &pairs {
            if dir_of(p) == Some(Dir::Input) {
                let w = self.width(e, scope)?;
                bound.insert(p.clone(), self.expr(e, scope, w)?);
            }
        }
        for p in &m.ports {
            if dir_of(p) == Some(Dir::Input) && !bound.contains_key(p) {
                return Err(self.err(line, format!("{cell_desc}: input `{p}` is not connected")));
            }
        }
        let inner = self.module(def, &format!("{prefix}{name}."), &bound, depth + 1)?;
        self.loc = Loc { file, line };
        self.cell = cell_desc.clone();
        for (p, e) in &pairs {
            if dir_of(p) == Some(Dir::Output) {
                let dst = self.lvalue(e, scope)?;
                let src = inner[p].nets.clone();
                let zero = self.constant(false);
                for (k, d) in dst.into_iter().enumerate() {
                    let s = src.get(k).copied().unwrap_or(zero);
                    self.parts
                        .drive(GateKind::Buf, vec![s], d, self.loc, cell_desc.clone());
                }
            }
        }
        Ok(())
    }

    /// The nets an assignable expression names, LSB first.
    fn lvalue(&mut self, e: &Expr, scope: &Scope) -> Result<Vec<NetId>> {
        match e {
            Expr::Ref { .. } => self.reference(e, scope),
            Expr::Concat(items) => {
                let mut v = vec![];
                for it in items.iter().rev() {
                    v.extend(self.lvalue(it, scope)?);
                }
                Ok(v)
            }
            _ => Err(self.err(self.loc.line, "the left side of an assignment or an output connection must be a net, a bit/part select or a concatenation of those")),
        }
    }

    fn reference(&mut self, e: &Expr, scope: &Scope) -> Result<Vec<NetId>> {
        let Expr::Ref { name, sel, line } = e else {
            unreachable!()
        };
        let s = scope
            .get(name)
            .ok_or_else(|| self.err(*line, format!("net `{name}` is not declared")))?;
        let bit = |i: i64| {
            s.pos(i).map(|p| s.nets[p]).ok_or_else(|| {
                self.err(
                    *line,
                    format!("`{name}[{i}]` is outside `{name}[{}:{}]`", s.msb, s.lsb),
                )
            })
        };
        match *sel {
            Sel::All => Ok(s.nets.clone()),
            Sel::Bit(i) => Ok(vec![bit(i)?]),
            Sel::Part(hi, lo) => {
                // LSB first: from the right index towards the left one.
                let (from, to) = (lo, hi);
                let mut v = vec![];
                let mut i = from;
                loop {
                    v.push(bit(i)?);
                    if i == to {
                        break;
                    }
                    i += if to > from { 1 } else { -1 };
                }
                Ok(v)
            }
        }
    }

    /// A one-bit operand (gate primitive terminal, cell pin).
    fn bit(&mut self, e: &Expr, scope: &Scope) -> Result<NetId> {
        let w = self.width(e, scope)?;
        let v = self.expr(e, scope, w)?;
        if v.len() != 1 && !matches!(e, Expr::Const(_)) {
            return Err(self.err(
                self.loc.line,
                format!("{}: a pin takes 1 bit, got {} bits", self.cell, v.len()),
            ));
        }
        Ok(v[0])
    }

    /// Self-determined width of an expression (Verilog rules).
    fn width(&self, e: &Expr, scope: &Scope) -> Result<usize> {
        Ok(match e {
            Expr::Ref { name, sel, line } => {
                let s = scope
                    .get(name)
                    .ok_or_else(|| self.err(*line, format!("net `{name}` is not declared")))?;
                match sel {
                    Sel::All => s.nets.len(),
                    Sel::Bit(_) => 1,
                    Sel::Part(a, b) => (a - b).unsigned_abs() as usize + 1,
                }
            }
            Expr::Const(bits) => bits.len(),
            Expr::Not(x) => self.width(x, scope)?,
            Expr::Bin(_, a, b) => self.width(a, scope)?.max(self.width(b, scope)?),
            Expr::Reduce(..) => 1,
            Expr::Cond(_, a, b) => self.width(a, scope)?.max(self.width(b, scope)?),
            Expr::Concat(items) => items
                .iter()
                .map(|x| self.width(x, scope))
                .sum::<Result<usize>>()?,
            Expr::Repeat(n, x) => n * self.width(x, scope)?,
        })
    }

    /// Resize to `w` bits (zero extension or truncation).
    fn fit(&mut self, mut v: Vec<NetId>, w: usize) -> Vec<NetId> {
        if v.len() < w {
            let zero = self.constant(false);
            v.resize(w, zero);
        }
        v.truncate(w);
        v
    }

    /// Gates computing `e` in a context of `w` bits, LSB first.
    fn expr(&mut self, e: &Expr, scope: &Scope, w: usize) -> Result<Vec<NetId>> {
        let v = match e {
            Expr::Ref { .. } => self.reference(e, scope)?,
            Expr::Const(bits) => bits
                .iter()
                .map(|&b| match b {
                    Some(v) => self.constant(v),
                    None => {
                        let n = self.parts.net("1'bx");
                        self.parts.x_nets.push((n, self.loc));
                        n
                    }
                })
                .collect(),
            Expr::Not(x) => {
                let v = self.expr(x, scope, w)?;
                v.into_iter()
                    .map(|a| self.gate(GateKind::Not, &[a]))
                    .collect()
            }
            Expr::Bin(op, a, b) => {
                let (va, vb) = (self.expr(a, scope, w)?, self.expr(b, scope, w)?);
                let kind = match op {
                    BinOp::And => GateKind::And,
                    BinOp::Or => GateKind::Or,
                    BinOp::Xor => GateKind::Xor,
                    BinOp::Xnor => GateKind::Xnor,
                };
                va.into_iter()
                    .zip(vb)
                    .map(|(x, y)| self.gate(kind, &[x, y]))
                    .collect()
            }
            Expr::Reduce(op, inv, x) => {
                let xw = self.width(x, scope)?;
                let v = self.expr(x, scope, xw)?;
                let kind = match op {
                    BinOp::And => GateKind::And,
                    BinOp::Or => GateKind::Or,
                    _ => GateKind::Xor,
                };
                let mut acc = v[0];
                for &y in &v[1..] {
                    acc = self.gate(kind, &[acc, y]);
                }
                if *inv {
                    acc = self.gate(GateKind::Not, &[acc]);
                }
                vec![acc]
            }
            Expr::Cond(c, a, b) => {
                let cw = self.width(c, scope)?;
                let vc = self.expr(c, scope, cw)?;
                let mut s = vc[0];
                for &y in &vc[1..] {
                    s = self.gate(GateKind::Or, &[s, y]);
                }
                let (va, vb) = (self.expr(a, scope, w)?, self.expr(b, scope, w)?);
                // `c ? a : b` is mux(inputs [else, then, select]).
                va.into_iter()
                    .zip(vb)
                    .map(|(t, f)| self.gate(GateKind::Mux, &[f, t, s]))
                    .collect()
            }
            Expr::Concat(items) => {
                let mut v = vec![];
                for it in items.iter().rev() {
                    let iw = self.width(it, scope)?;
                    v.extend(self.expr(it, scope, iw)?);
                }
                v
            }
            Expr::Repeat(n, x) => {
                let xw = self.width(x, scope)?;
                let one = self.expr(x, scope, xw)?;
                one.iter().copied().cycle().take(n * one.len()).collect()
            }
        };
        Ok(self.fit(v, w))
    }
}
