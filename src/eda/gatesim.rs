//! Gate-level simulation of the synthesized accelerator: the Liberty
//! flow's mapped netlist (`netlist_sta.v`: library cells, flip-flops and
//! one black-box cell per memory macro) run cycle by cycle in Rust, 64
//! images at once (one per bit of a machine word), through the test
//! bench's protocol (`rtl/tb_accel.v`). It does two things no RTL
//! simulation does:
//! - it checks the *synthesized* netlist bit-exactly against the integer
//!   simulation ([`crate::eda::cosim::compare`]), so an error of synthesis
//!   or mapping cannot hide behind a correct RTL;
//! - it counts every net's rises and falls during each inference and
//!   prices them with the library's per-transition energies
//!   ([`crate::library::energy`]'s model: ½·C·V² of the net's load plus the
//!   driver's and loads' internal energies), plus every flip-flop's clock
//!   energy per cycle: the logic energy per inference from the activity of
//!   real images, beside the architecture-count model of
//!   [`crate::report::system`] (which prices operations, not nets).
//!
//! Semantics (zero delay, no glitches, as the multiplier energy model):
//! each cycle the combinational cells settle (event-driven, in topological
//! order); at the clock edge every flip-flop takes its Liberty
//! `next_state` (clear and preset applied at the edge) and every macro
//! acts as its behavioural model (`rtl/act_mem.v`, `rtl/rom.v`): a
//! registered read returns the word addressed at the edge, before that
//! edge's write; an asynchronous ROM read is combinational. All images
//! share the control flow, so a memory address that differs between images
//! is an error. Flip-flops start at 0 (the test bench resets them); macro
//! inputs have no pin capacitance in the model (their access energy is the
//! SRAM model's, not counted here).

use crate::error::{Error, Result};
use crate::library::energy::{transition_energies, PinsOf};
use crate::netlist::import::boolfn::{Func, WordFn};
use crate::netlist::import::liberty::power::{Cell, FlipFlop, PowerLibrary};
use crate::netlist::import::parse::{Conns, Decl, Expr, Item, Sel};
use crate::rtl::accel::Manifest;
use crate::rtl::memory::MemoryInfo;
use std::collections::HashMap;
use std::path::Path;

/// Layout version of `gatesim.json` ([`GateSimReport`]).
pub const GATESIM_VERSION: u32 = 1;

/// Images simulated at once (the bits of a word).
pub const LANES: usize = 64;

/// One combinational library cell instance.
struct CellInst<'l> {
    def: &'l Cell,
    inputs: Vec<u32>,
    outputs: Vec<Option<u32>>,
}

/// One flip-flop instance.
struct FlopInst<'l> {
    def: &'l FlipFlop,
    clock_fj: f64,
    inputs: Vec<u32>,
    outputs: Vec<Option<u32>>,
}

/// One memory macro instance: its ports' nets, LSB first.
struct MacroInst {
    info: MemoryInfo,
    /// ROM contents (`depth` words), or `None` for an activation buffer.
    init: Option<Vec<u64>>,
    we: Option<u32>,
    waddr: Vec<u32>,
    wdata: Vec<u32>,
    /// Read address and data nets of each read port.
    raddr: Vec<Vec<u32>>,
    rdata: Vec<Vec<u32>>,
}

/// A node of the combinational order.
#[derive(Clone, Copy)]
enum Node {
    Cell(usize),
    /// Asynchronous read port `port` of macro `m`.
    Read(usize, usize),
}

/// The mapped netlist of an accelerator, ready to simulate.
pub struct GateNetlist<'l> {
    names: Vec<String>,
    ports: HashMap<String, u32>,
    cells: Vec<CellInst<'l>>,
    flops: Vec<FlopInst<'l>>,
    macros: Vec<MacroInst>,
    /// Combinational nodes in topological order.
    order: Vec<Node>,
    /// Per position in `order`, the node's input nets (pins in the cell's
    /// order) and, for a cell, its connected outputs with their functions.
    /// Flat rows rather than the instances' own vectors, and compiled
    /// functions ([`WordFn`]): the settle loop is bound by memory latency
    /// and branch mispredictions (together 29.3 to 17.9 s for the 64-image
    /// simulation of the exact LeNet-5 design).
    node_inputs: Rows<u32>,
    node_outputs: Rows<(u32, WordFn<'l>)>,
    /// Per net, the positions in `order` of the nodes it feeds.
    fanout: Rows<u32>,
    /// Per net, the flip-flops it feeds.
    flop_fanout: Rows<u32>,
}

/// Rows of varying length in one vector (compressed sparse rows).
struct Rows<T> {
    /// Row `r` is `items[start[r]..start[r + 1]]`.
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T> Rows<T> {
    fn new<R: IntoIterator<Item = T>>(rows: impl IntoIterator<Item = R>) -> Rows<T> {
        let (mut start, mut items) = (vec![0], vec![]);
        for row in rows {
            items.extend(row);
            start.push(items.len() as u32);
        }
        Rows { start, items }
    }

    fn row(&self, r: usize) -> &[T] {
        &self.items[self.start[r] as usize..self.start[r + 1] as usize]
    }
}

impl<T> Default for Rows<T> {
    /// No rows.
    fn default() -> Rows<T> {
        Rows {
            start: vec![0],
            items: vec![],
        }
    }
}

impl<'l> GateNetlist<'l> {
    /// Read module `manifest.top` of the mapped netlist `path` (as the
    /// Liberty flow of [`super::synth`] writes it) with the cells of `lib`
    /// and the macros of `manifest` (ROM contents from the export `dir`).
    /// Errors name the file and line: a cell that is neither a
    /// combinational cell nor a flip-flop of `lib` nor a macro, a
    /// combinational loop, a net with two drivers.
    pub fn read(
        path: &Path,
        dir: &Path,
        lib: &'l PowerLibrary,
        manifest: &Manifest,
    ) -> Result<GateNetlist<'l>> {
        let text = crate::io::read_text(path)?;
        let tokens = crate::netlist::import::lex::lex(&text, path)?;
        let modules = crate::netlist::import::parse::parse(&tokens).map_err(|e| match e {
            crate::netlist::import::parse::ParseError::Behavioural { line, what }
            | crate::netlist::import::parse::ParseError::Syntax { line, msg: what } => {
                Error::at_line(path, line as usize, what)
            }
        })?;
        let top = modules
            .iter()
            .find(|m| m.name == manifest.top)
            .ok_or_else(|| Error::in_file(path, format!("no module `{}`", manifest.top)))?;
        let mut b = Builder {
            path,
            names: vec!["1'b0".into(), "1'b1".into()],
            ids: HashMap::new(),
            decls: top.decls.iter().map(|d| (d.name.clone(), d)).collect(),
        };
        let mut ports = HashMap::new();
        for d in &top.decls {
            if d.dir == crate::netlist::import::parse::Dir::Wire {
                continue;
            }
            for (k, net) in Builder::indices(d.range).into_iter().zip(b.decl_bits(d)) {
                let name = match k {
                    None => d.name.clone(),
                    Some(k) => format!("{}[{k}]", d.name),
                };
                ports.insert(name, net);
            }
        }
        // Assigns alias nets; resolved after every instance is read.
        let mut alias: Vec<(u32, u32)> = vec![];
        let mut cells = vec![];
        let mut flops = vec![];
        let mut macros = vec![];
        for item in &top.items {
            match item {
                Item::Assign { lhs, rhs, line } => {
                    let (l, r) = (b.bits(lhs, *line)?, b.bits(rhs, *line)?);
                    if l.len() != r.len() {
                        return Err(Error::at_line(
                            path,
                            *line as usize,
                            "assign of different widths",
                        ));
                    }
                    alias.extend(l.into_iter().zip(r));
                }
                Item::Prim { line, .. } => {
                    return Err(Error::at_line(
                        path,
                        *line as usize,
                        "gate primitive in a mapped netlist",
                    ))
                }
                Item::Inst {
                    cell,
                    conns,
                    line,
                    name,
                } => {
                    let Conns::Named(conns) = conns else {
                        return Err(Error::at_line(
                            path,
                            *line as usize,
                            format!("instance `{name}`: positional connections"),
                        ));
                    };
                    let mut pin = HashMap::new();
                    for (p, e) in conns {
                        let nets = match e {
                            Some(e) => b.bits(e, *line)?,
                            None => vec![],
                        };
                        pin.insert(p.as_str(), nets);
                    }
                    let one =
                        |p: &str| -> Option<u32> { pin.get(p).and_then(|v| v.first().copied()) };
                    let inputs_of =
                        |pins: &[crate::netlist::import::liberty::power::InputPin]| {
                            pins.iter()
                                .map(|p| {
                                    one(&p.name).ok_or_else(|| {
                                        Error::at_line(
                                            path,
                                            *line as usize,
                                            format!(
                                                "`{cell} {name}`: input `{}` unconnected",
                                                p.name
                                            ),
                                        )
                                    })
                                })
                                .collect::<Result<Vec<u32>>>()
                        };
                    if let Some(def) = lib.cells.get(cell) {
                        let inputs = inputs_of(&def.inputs)?;
                        let outputs = def.outputs.iter().map(|p| one(&p.name)).collect();
                        cells.push(CellInst {
                            def,
                            inputs,
                            outputs,
                        });
                    } else if let Some(reg) = lib.registers.get(cell) {
                        let def = reg.ff.as_ref().ok_or_else(|| {
                            Error::at_line(
                                path,
                                *line as usize,
                                format!("`{cell}` is not an edge-triggered flip-flop this simulator reads"),
                            )
                        })?;
                        let inputs = inputs_of(&def.inputs)?;
                        let outputs = def.outputs.iter().map(|p| one(&p.name)).collect();
                        flops.push(FlopInst {
                            def,
                            clock_fj: reg.clock_fj_per_cycle(
                                crate::library::energy::INPUT_TRANSITION_NS,
                                lib.nom_voltage,
                            ),
                            inputs,
                            outputs,
                        });
                    } else if let Some(info) = manifest
                        .memories
                        .iter()
                        .find(|m| super::synth::macro_cell(&m.name) == *cell)
                    {
                        macros.push(macro_inst(info, &pin, dir, path, *line)?);
                    } else {
                        return Err(Error::at_line(
                            path,
                            *line as usize,
                            format!(
                                "cell `{cell}` is not a cell of {} nor a memory macro of the manifest",
                                lib.name
                            ),
                        ));
                    }
                }
            }
        }
        let n = b.names.len();
        let mut rename: Vec<u32> = (0..n as u32).collect();
        for (l, r) in alias {
            rename[l as usize] = r;
        }
        let resolve = |mut x: u32| {
            for _ in 0..n {
                if rename[x as usize] == x {
                    break;
                }
                x = rename[x as usize];
            }
            x
        };
        let fin: Vec<u32> = (0..n as u32).map(resolve).collect();
        let mut g = GateNetlist {
            names: b.names,
            ports,
            cells,
            flops,
            macros,
            order: vec![],
            node_inputs: Rows::default(),
            node_outputs: Rows::default(),
            fanout: Rows::default(),
            flop_fanout: Rows::default(),
        };
        g.map_nets(&fin);
        g.sort(path)?;
        Ok(g)
    }

    /// Replace every reference to net `x` by `map[x]`.
    fn map_nets(&mut self, map: &[u32]) {
        let one = |x: &mut u32| *x = map[*x as usize];
        for c in &mut self.cells {
            c.inputs.iter_mut().for_each(one);
            c.outputs.iter_mut().flatten().for_each(one);
        }
        for f in &mut self.flops {
            f.inputs.iter_mut().for_each(one);
            f.outputs.iter_mut().flatten().for_each(one);
        }
        for m in &mut self.macros {
            [&mut m.waddr, &mut m.wdata]
                .into_iter()
                .chain(m.raddr.iter_mut())
                .chain(m.rdata.iter_mut())
                .flatten()
                .chain(m.we.as_mut())
                .for_each(one);
        }
        self.ports.values_mut().for_each(one);
    }

    /// Cells (combinational and flip-flops) and macros.
    pub fn size(&self) -> (usize, usize, usize) {
        (self.cells.len(), self.flops.len(), self.macros.len())
    }

    /// Order the combinational nodes topologically and build the fanout
    /// lists. Errors: a net with two drivers, a combinational loop.
    fn sort(&mut self, path: &Path) -> Result<()> {
        let n = self.names.len();
        let mut nodes: Vec<Node> = (0..self.cells.len()).map(Node::Cell).collect();
        for (m, mi) in self.macros.iter().enumerate() {
            if !mi.info.registered_read {
                nodes.extend((0..mi.raddr.len()).map(|p| Node::Read(m, p)));
            }
        }
        let io: Vec<(Vec<u32>, Vec<u32>)> = nodes.iter().map(|&x| self.node_io(x)).collect();
        // Drivers: nodes, flip-flops, registered macro reads, primary inputs.
        let mut driver = vec![usize::MAX; n];
        let mut sequential = vec![false; n];
        for f in &self.flops {
            f.outputs
                .iter()
                .flatten()
                .for_each(|&o| sequential[o as usize] = true);
        }
        for m in self.macros.iter().filter(|m| m.info.registered_read) {
            m.rdata
                .iter()
                .flatten()
                .for_each(|&o| sequential[o as usize] = true);
        }
        for (k, (_, o)) in io.iter().enumerate() {
            for &net in o {
                if net < 2 || driver[net as usize] != usize::MAX || sequential[net as usize] {
                    return Err(Error::in_file(
                        path,
                        format!("net `{}` has two drivers", self.names[net as usize]),
                    ));
                }
                driver[net as usize] = k;
            }
        }
        let inputs: Vec<&[u32]> = io.iter().map(|x| x.0.as_slice()).collect();
        let order: Vec<Node> = crate::library::energy::topological_order(&inputs, &driver)
            .map_err(|net| {
                Error::in_file(
                    path,
                    format!(
                        "combinational loop through net `{}`",
                        self.names[net as usize]
                    ),
                )
            })?
            .into_iter()
            .map(|k| nodes[k])
            .collect();
        // Number the nets in the order the settle loop drives them (the
        // nets no node drives first, then each node's outputs in
        // topological order), so that it walks the per-net arrays mostly
        // forward: about 5 % less time than in the netlist's order.
        let mut number = vec![u32::MAX; n];
        let sources = (0..n as u32).filter(|&x| driver[x as usize] == usize::MAX);
        let driven = order.iter().flat_map(|&node| self.node_io(node).1);
        for (new, old) in sources.chain(driven).enumerate() {
            number[old as usize] = new as u32;
        }
        let mut names = vec![String::new(); n];
        for (x, name) in std::mem::take(&mut self.names).into_iter().enumerate() {
            names[number[x] as usize] = name;
        }
        self.names = names;
        self.map_nets(&number);
        let mut fanout = vec![vec![]; n];
        for (pos, &node) in order.iter().enumerate() {
            for i in self.node_io(node).0 {
                fanout[i as usize].push(pos as u32);
            }
        }
        let mut flop_fanout = vec![vec![]; n];
        for (k, f) in self.flops.iter().enumerate() {
            for &i in &f.inputs {
                flop_fanout[i as usize].push(k as u32);
            }
        }
        self.node_inputs = Rows::new(order.iter().map(|&node| self.node_io(node).0));
        let cells = &self.cells;
        self.node_outputs = Rows::new(order.iter().map(|&node| match node {
            Node::Cell(k) => {
                let c = &cells[k];
                c.outputs
                    .iter()
                    .zip(&c.def.outputs)
                    .filter_map(|(o, p)| o.map(|o| (o, WordFn::new(&p.function, c.inputs.len()))))
                    .collect()
            }
            Node::Read(..) => vec![],
        }));
        self.order = order;
        self.fanout = Rows::new(fanout);
        self.flop_fanout = Rows::new(flop_fanout);
        Ok(())
    }

    fn node_io(&self, node: Node) -> (Vec<u32>, Vec<u32>) {
        match node {
            Node::Cell(k) => (
                self.cells[k].inputs.clone(),
                self.cells[k].outputs.iter().flatten().copied().collect(),
            ),
            Node::Read(m, p) => (
                self.macros[m].raddr[p].clone(),
                self.macros[m].rdata[p].clone(),
            ),
        }
    }
}

/// Nets by name while reading: `name` for a scalar, `name[k]` for a bit.
struct Builder<'a> {
    path: &'a Path,
    names: Vec<String>,
    ids: HashMap<String, u32>,
    decls: HashMap<String, &'a Decl>,
}

impl Builder<'_> {
    fn net(&mut self, key: String) -> u32 {
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(key.clone());
        self.ids.insert(key, id);
        id
    }

    /// Indices of a declaration's bits, LSB (the range's right index) first.
    fn indices(range: Option<(i64, i64)>) -> Vec<Option<i64>> {
        match range {
            None => vec![None],
            Some((msb, lsb)) if msb >= lsb => (lsb..=msb).map(Some).collect(),
            Some((msb, lsb)) => (msb..=lsb).rev().map(Some).collect(),
        }
    }

    fn bit(&mut self, name: &str, k: Option<i64>) -> u32 {
        match k {
            None => self.net(name.to_string()),
            Some(k) => self.net(format!("{name}[{k}]")),
        }
    }

    fn decl_bits(&mut self, d: &Decl) -> Vec<u32> {
        Self::indices(d.range)
            .into_iter()
            .map(|k| self.bit(&d.name, k))
            .collect()
    }

    /// The nets of `e`, LSB first.
    fn bits(&mut self, e: &Expr, line: u32) -> Result<Vec<u32>> {
        let bad = |what: &str| Error::at_line(self.path, line as usize, what.to_string());
        Ok(match e {
            Expr::Ref { name, sel, .. } => {
                let range = self.decls.get(name).and_then(|d| d.range);
                match sel {
                    Sel::All => Self::indices(range)
                        .into_iter()
                        .map(|k| self.bit(name, k))
                        .collect(),
                    Sel::Bit(k) => vec![self.bit(name, Some(*k))],
                    Sel::Part(msb, lsb) => Self::indices(Some((*msb, *lsb)))
                        .into_iter()
                        .map(|k| self.bit(name, k))
                        .collect(),
                }
            }
            Expr::Const(bits) => bits
                .iter()
                .map(|b| b.map(|v| v as u32).ok_or_else(|| bad("x or z constant")))
                .collect::<Result<_>>()?,
            Expr::Concat(parts) => {
                let mut v = vec![];
                for p in parts.iter().rev() {
                    v.extend(self.bits(p, line)?);
                }
                v
            }
            Expr::Repeat(n, e) => self.bits(e, line)?.repeat(*n),
            _ => {
                return Err(bad(
                    "an expression in a mapped netlist (write_verilog -noexpr)",
                ))
            }
        })
    }
}

/// A macro instance of `info` with pin connections `pin`.
fn macro_inst(
    info: &MemoryInfo,
    pin: &HashMap<&str, Vec<u32>>,
    dir: &Path,
    path: &Path,
    line: u32,
) -> Result<MacroInst> {
    let get = |p: &str| -> Result<Vec<u32>> {
        pin.get(p).cloned().ok_or_else(|| {
            Error::at_line(
                path,
                line as usize,
                format!("memory `{}`: port `{p}` unconnected", info.name),
            )
        })
    };
    let w = info.width as usize;
    let chunks = |v: Vec<u32>, ports: usize| -> Result<Vec<Vec<u32>>> {
        if ports == 0 || !v.len().is_multiple_of(ports) {
            return Err(Error::at_line(
                path,
                line as usize,
                format!(
                    "memory `{}`: port widths do not match the manifest",
                    info.name
                ),
            ));
        }
        Ok(v.chunks(v.len() / ports).map(<[u32]>::to_vec).collect())
    };
    let m = if info.module == "rom" {
        let init = info.init.as_ref().ok_or_else(|| {
            Error::input(format!("memory `{}`: a ROM without contents", info.name))
        })?;
        if w > 64 {
            return Err(Error::input(format!(
                "memory `{}`: a ROM of {w}-bit words (at most 64 are read)",
                info.name
            )));
        }
        let words = super::cosim::read_hex_words(&dir.join(init))?;
        MacroInst {
            info: info.clone(),
            init: Some(words),
            we: None,
            waddr: vec![],
            wdata: vec![],
            raddr: vec![get("addr")?],
            rdata: vec![get("data")?],
        }
    } else {
        let ports = info.read_ports as usize;
        MacroInst {
            info: info.clone(),
            init: None,
            we: get("we")?.first().copied(),
            waddr: get("waddr")?,
            wdata: get("wdata")?,
            raddr: chunks(get("raddr")?, ports)?,
            rdata: chunks(get("rdata")?, ports)?,
        }
    };
    if m.rdata.iter().any(|d| d.len() != w) || (m.init.is_none() && m.wdata.len() != w) {
        return Err(Error::at_line(
            path,
            line as usize,
            format!(
                "memory `{}`: data ports are not {w} bits wide as the manifest says",
                info.name
            ),
        ));
    }
    Ok(m)
}

/// The simulation state: a word of 64 lanes per net.
struct State<'g, 'l> {
    g: &'g GateNetlist<'l>,
    v: Vec<u64>,
    /// Lanes in use.
    mask: u64,
    counting: bool,
    rises: Vec<u64>,
    falls: Vec<u64>,
    /// Clock edges counted.
    edges: u64,
    /// Positions of `g.order` to evaluate (bitset).
    dirty: Vec<u64>,
    /// Flip-flop states.
    ff: Vec<u64>,
    /// Flip-flops whose inputs changed since their last clock edge (the
    /// others keep their state: the same function of the same inputs).
    ff_dirty: Vec<bool>,
    /// Per macro, `depth * width` words, bit `b` of word `a` at `a * width + b`.
    mem: Vec<Vec<u64>>,
    pins: Vec<u64>,
}

impl<'g, 'l> State<'g, 'l> {
    fn new(g: &'g GateNetlist<'l>, lanes: usize) -> State<'g, 'l> {
        let n = g.names.len();
        let mask = if lanes >= 64 { !0 } else { (1u64 << lanes) - 1 };
        let mem = g
            .macros
            .iter()
            .map(|m| {
                let w = m.info.width as usize;
                let mut words = vec![0u64; m.info.depth * w];
                if let Some(init) = &m.init {
                    for (a, x) in init.iter().enumerate().take(m.info.depth) {
                        for b in 0..w {
                            words[a * w + b] = if x >> b & 1 == 1 { !0 } else { 0 };
                        }
                    }
                }
                words
            })
            .collect();
        let mut s = State {
            g,
            v: vec![0; n],
            mask,
            counting: false,
            rises: vec![0; n],
            falls: vec![0; n],
            edges: 0,
            dirty: vec![!0; g.order.len().div_ceil(64)],
            ff: vec![0; g.flops.len()],
            ff_dirty: vec![true; g.flops.len()],
            mem,
            pins: Vec::with_capacity(16),
        };
        if !g.order.len().is_multiple_of(64) {
            if let Some(last) = s.dirty.last_mut() {
                *last = (1u64 << (g.order.len() % 64)) - 1;
            }
        }
        s.set(1, !0);
        for k in 0..g.flops.len() {
            s.flop_outputs(k);
        }
        s
    }

    /// Drive net `net` with `w`, counting its transitions and scheduling
    /// its fanout.
    fn set(&mut self, net: u32, w: u64) {
        let old = self.v[net as usize];
        if old == w {
            return;
        }
        if self.counting {
            let d = (old ^ w) & self.mask;
            self.rises[net as usize] += (d & w).count_ones() as u64;
            self.falls[net as usize] += (d & old).count_ones() as u64;
        }
        self.v[net as usize] = w;
        for &p in self.g.fanout.row(net as usize) {
            self.dirty[p as usize / 64] |= 1 << (p % 64);
        }
        for &k in self.g.flop_fanout.row(net as usize) {
            self.ff_dirty[k as usize] = true;
        }
    }

    /// The lanes' common value of address bits `bits` (LSB first).
    fn address(&self, bits: &[u32], what: &str) -> Result<usize> {
        let mut a = 0usize;
        for (k, &net) in bits.iter().enumerate() {
            match self.v[net as usize] & self.mask {
                0 => {}
                x if x == self.mask => a |= 1 << k,
                _ => {
                    return Err(Error::check(format!(
                    "{what}: net `{}` differs between images (a data-dependent address or enable)",
                    self.g.names[net as usize]
                )))
                }
            }
        }
        Ok(a)
    }

    /// The word at `addr` of macro `m` (0 beyond its depth).
    fn read(&self, m: usize, addr: usize) -> Vec<u64> {
        let info = &self.g.macros[m].info;
        let w = info.width as usize;
        if addr < info.depth {
            self.mem[m][addr * w..(addr + 1) * w].to_vec()
        } else {
            vec![0; w]
        }
    }

    /// Settle the combinational logic.
    fn settle(&mut self) -> Result<()> {
        let g = self.g;
        let mut wi = 0;
        while wi < self.dirty.len() {
            let word = self.dirty[wi];
            if word == 0 {
                wi += 1;
                continue;
            }
            let bit = word.trailing_zeros() as usize;
            self.dirty[wi] &= !(1u64 << bit);
            let pos = wi * 64 + bit;
            match g.order[pos] {
                Node::Cell(_) => {
                    self.pins.clear();
                    self.pins
                        .extend(g.node_inputs.row(pos).iter().map(|&i| self.v[i as usize]));
                    for &(o, f) in g.node_outputs.row(pos) {
                        let x = f.eval(&self.pins);
                        self.set(o, x);
                    }
                }
                Node::Read(m, p) => {
                    let mi = &g.macros[m];
                    let a = self.address(&mi.raddr[p], &mi.info.name)?;
                    for (&o, x) in mi.rdata[p].iter().zip(self.read(m, a)) {
                        self.set(o, x);
                    }
                }
            }
        }
        Ok(())
    }

    /// Drive flip-flop `k`'s outputs from its state.
    fn flop_outputs(&mut self, k: usize) {
        let f = &self.g.flops[k];
        self.pins.clear();
        self.pins
            .extend(f.inputs.iter().map(|&i| self.v[i as usize]));
        self.pins.extend([self.ff[k], !self.ff[k]]);
        for (o, p) in f.outputs.iter().zip(&f.def.outputs) {
            if let Some(o) = *o {
                let x = p.function.eval_words(&self.pins);
                self.set(o, x);
            }
        }
    }

    /// One rising clock edge (the logic settled before it).
    fn posedge(&mut self) -> Result<()> {
        let g = self.g;
        let mut next = vec![];
        for (k, f) in g.flops.iter().enumerate() {
            if !std::mem::take(&mut self.ff_dirty[k]) {
                continue;
            }
            self.pins.clear();
            self.pins
                .extend(f.inputs.iter().map(|&i| self.v[i as usize]));
            let on = |x: &Option<Func>, pins: &[u64]| x.as_ref().map_or(0, |x| x.eval_words(pins));
            let d = f.def.next_state.eval_words(&self.pins);
            let (clr, pre) = (on(&f.def.clear, &self.pins), on(&f.def.preset, &self.pins));
            next.push((k, (d | pre) & !clr));
        }
        // Registered reads see the words before this edge's writes.
        let mut reads = vec![];
        for (m, mi) in g.macros.iter().enumerate() {
            if !mi.info.registered_read {
                continue;
            }
            for (p, bits) in mi.raddr.iter().enumerate() {
                let a = self.address(bits, &mi.info.name)?;
                reads.push((m, p, self.read(m, a)));
            }
        }
        for (m, mi) in g.macros.iter().enumerate() {
            let Some(we) = mi.we else { continue };
            if self.address(&[we], &mi.info.name)? == 0 {
                continue;
            }
            let a = self.address(&mi.waddr, &mi.info.name)?;
            let w = mi.info.width as usize;
            if a < mi.info.depth {
                for (b, &net) in mi.wdata.iter().enumerate() {
                    self.mem[m][a * w + b] = self.v[net as usize];
                }
            }
        }
        for (k, x) in next {
            if self.ff[k] != x {
                self.ff[k] = x;
                self.flop_outputs(k);
            }
        }
        for (m, p, word) in reads {
            for (&o, x) in g.macros[m].rdata[p].iter().zip(word) {
                self.set(o, x);
            }
        }
        if self.counting {
            self.edges += 1;
        }
        Ok(())
    }

    /// Drive the nets `bits` (LSB first) with `value(lane)` in each lane.
    fn drive(&mut self, bits: &[u32], value: impl Fn(usize) -> u64) {
        for (k, &net) in bits.iter().enumerate() {
            let w = (0..64).fold(0u64, |acc, l| acc | (value(l) >> k & 1) << l);
            self.set(net, w);
        }
    }

    /// The value of the nets `bits` (LSB first, at most 64) in lane `lane`.
    fn sample(&self, bits: &[u32], lane: usize) -> u64 {
        bits.iter().enumerate().fold(0, |x, (k, &net)| {
            x | (self.v[net as usize] >> lane & 1) << k
        })
    }
}

impl GateNetlist<'_> {
    /// The nets of the top's port `name`, LSB first: the scalar port, or
    /// `name[0]`, `name[1]`, ... as far as the netlist has them. Errors:
    /// no such port.
    fn bus(&self, name: &str) -> Result<Vec<u32>> {
        if let Some(&net) = self.ports.get(name) {
            return Ok(vec![net]);
        }
        let bits: Vec<u32> = (0..)
            .map_while(|k| self.ports.get(&format!("{name}[{k}]")).copied())
            .collect();
        if bits.is_empty() {
            return Err(Error::input(format!(
                "the mapped netlist has no port `{name}`"
            )));
        }
        Ok(bits)
    }
}

/// Toggle counts of one simulation, for [`energy`].
pub struct Activity {
    /// Rises and falls of each net over the counted cycles, all lanes.
    pub rises: Vec<u64>,
    /// See `rises`.
    pub falls: Vec<u64>,
    /// Clock edges counted, summed over the images (each lane sees every
    /// edge of its run).
    pub lane_edges: u64,
    /// Images (lanes) the counts cover.
    pub images: usize,
}

impl Activity {
    /// Add the counts of another run of the same netlist.
    pub fn add(&mut self, other: &Activity) {
        self.rises
            .iter_mut()
            .zip(&other.rises)
            .for_each(|(a, b)| *a += b);
        self.falls
            .iter_mut()
            .zip(&other.falls)
            .for_each(|(a, b)| *a += b);
        self.lane_edges += other.lane_edges;
        self.images += other.images;
    }
}

/// Run up to [`LANES`] images (`manifest.input_len` raw pixels each)
/// through the netlist as the test bench does: reset for three cycles,
/// then the pixels written through the input port one per cycle, a start
/// pulse, the cycles until `done`, and every tensor read back through the
/// debug port. Transitions are counted from the first pixel write to
/// `done` (not the reset or the read-back). Errors: no image or more than
/// [`LANES`], a port of the test bench missing from the netlist, a memory
/// address or `done` that differs between images.
pub fn simulate(
    g: &GateNetlist,
    manifest: &Manifest,
    images: &[u8],
) -> Result<(Vec<super::cosim::ImageRun>, Activity)> {
    let len = manifest.input_len.max(1);
    let n = images.len() / len;
    if n == 0 || n > LANES || n * len != images.len() {
        return Err(Error::input(format!(
            "{} pixels are not 1 to {LANES} images of {len} pixels",
            images.len()
        )));
    }
    let pixel = |lane: usize, i: usize| images[lane.min(n - 1) * len + i] as u64;
    let mut s = State::new(g, n);
    let bus = |p: &str| g.bus(p);
    let (rst, start, in_we) = (bus("rst")?, bus("start")?, bus("in_we")?);
    let (in_addr, in_data, done) = (bus("in_addr")?, bus("in_data")?, bus("done")?);
    let (dbg_sel, dbg_addr, dbg_data) = (bus("dbg_sel")?, bus("dbg_addr")?, bus("dbg_data")?);
    s.drive(&rst, |_| 1);
    for _ in 0..3 {
        s.settle()?;
        s.posedge()?;
    }
    s.drive(&rst, |_| 0);
    s.counting = true;
    for i in 0..len {
        s.drive(&in_we, |_| 1);
        s.drive(&in_addr, |_| i as u64);
        s.drive(&in_data, |l| pixel(l, i));
        s.settle()?;
        s.posedge()?;
    }
    s.drive(&in_we, |_| 0);
    s.drive(&start, |_| 1);
    s.settle()?;
    s.posedge()?;
    s.drive(&start, |_| 0);
    s.settle()?;
    let limit = 10 * manifest.cycles_estimate + 1000;
    let mut cycles = 1u64;
    let mut finished = true;
    loop {
        if s.address(&done, "done")? == 1 {
            break;
        }
        if cycles >= limit {
            finished = false;
            break;
        }
        s.posedge()?;
        s.settle()?;
        cycles += 1;
    }
    s.counting = false;
    let mut tensors = vec![vec![vec![]; manifest.tensors.len()]; n];
    if finished {
        for (t, info) in manifest.tensors.iter().enumerate() {
            for i in 0..info.len {
                s.drive(&dbg_sel, |_| t as u64);
                s.drive(&dbg_addr, |_| i as u64);
                s.settle()?;
                s.posedge()?;
                s.settle()?;
                for (lane, img) in tensors.iter_mut().enumerate() {
                    img[t].push(s.sample(&dbg_data, lane) as u32 as i32);
                }
            }
        }
    }
    let runs = tensors
        .into_iter()
        .map(|tensors| super::cosim::ImageRun {
            cycles: finished.then_some(cycles),
            tensors,
        })
        .collect();
    Ok((
        runs,
        Activity {
            rises: s.rises,
            falls: s.falls,
            lane_edges: s.edges * n as u64,
            images: n,
        },
    ))
}

/// Energy per inference (pJ) from simulated activity, by what drives the
/// nets.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GateEnergy {
    /// Nets driven by combinational cells: their transitions' internal and
    /// switching energy.
    pub logic_pj: f64,
    /// Nets driven by flip-flops (register outputs), likewise.
    pub register_outputs_pj: f64,
    /// Nets driven by memory macros and the top's inputs: their loads'
    /// switching and input-pin internal energy.
    pub macro_and_port_nets_pj: f64,
    /// Every flip-flop clocked every cycle (`Register::clock_fj_per_cycle`).
    pub clock_pj: f64,
    /// The sum.
    pub total_pj: f64,
}

/// Price `activity` with the library's per-transition energies of `g`'s
/// nets (see the module doc): energy per inference.
pub fn energy(g: &GateNetlist, lib: &PowerLibrary, activity: &Activity) -> GateEnergy {
    let mut pins: Vec<PinsOf> = g
        .flops
        .iter()
        .map(|f| PinsOf {
            inputs: &f.def.inputs,
            in_nets: &f.inputs,
            outputs: &f.def.outputs,
            out_nets: &f.outputs,
        })
        .collect();
    pins.extend(g.order.iter().filter_map(|node| match node {
        Node::Cell(k) => {
            let c = &g.cells[*k];
            Some(PinsOf {
                inputs: &c.def.inputs,
                in_nets: &c.inputs,
                outputs: &c.def.outputs,
                out_nets: &c.outputs,
            })
        }
        Node::Read(..) => None,
    }));
    let macro_loads: Vec<(u32, f64)> = g
        .macros
        .iter()
        .flat_map(|m| {
            m.we.iter()
                .chain(&m.waddr)
                .chain(&m.wdata)
                .chain(m.raddr.iter().flatten())
                .map(|&n| (n, 0.0))
                .collect::<Vec<_>>()
        })
        .collect();
    let per = transition_energies(g.names.len(), &pins, &macro_loads, lib);
    let mut driver = vec![0u8; g.names.len()]; // 0 macro/port, 1 logic, 2 register
    for c in &g.cells {
        c.outputs
            .iter()
            .flatten()
            .for_each(|&o| driver[o as usize] = 1);
    }
    for f in &g.flops {
        f.outputs
            .iter()
            .flatten()
            .for_each(|&o| driver[o as usize] = 2);
    }
    let mut fj = [0f64; 3];
    for k in 2..g.names.len() {
        fj[driver[k] as usize] +=
            activity.rises[k] as f64 * per[k].rise() + activity.falls[k] as f64 * per[k].fall();
    }
    let images = activity.images.max(1) as f64;
    let clock_fj: f64 =
        g.flops.iter().map(|f| f.clock_fj).sum::<f64>() * activity.lane_edges as f64 / images;
    let pj = |x: f64| x / 1000.0;
    let mut e = GateEnergy {
        logic_pj: pj(fj[1] / images),
        register_outputs_pj: pj(fj[2] / images),
        macro_and_port_nets_pj: pj(fj[0] / images),
        clock_pj: pj(clock_fj),
        total_pj: 0.0,
    };
    e.total_pj = e.logic_pj + e.register_outputs_pj + e.macro_and_port_nets_pj + e.clock_pj;
    e
}

/// `gatesim.json`: the synthesized netlist run on real images.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GateSimReport {
    /// Layout version ([`GATESIM_VERSION`]).
    pub version: u32,
    /// The netlist simulated (file name in the export).
    pub netlist: String,
    /// The Liberty library of its cells.
    pub liberty: String,
    /// Combinational cells, flip-flops and memory macros of the netlist.
    pub cells: usize,
    /// See `cells`.
    pub flip_flops: usize,
    /// See `cells`.
    pub macros: usize,
    /// Images simulated.
    pub images: usize,
    /// Images whose tensors differ from the integer simulation anywhere.
    pub mismatches: usize,
    /// Images whose logits differ.
    pub logit_mismatches: usize,
    /// First difference of each differing image.
    pub first_mismatches: Vec<super::cosim::Mismatch>,
    /// Clock cycles from start to done (NaN: did not finish).
    pub cycles_per_inference: f64,
    /// The schedule's count.
    pub cycles_estimate: u64,
    /// Energy per inference from the simulated activity (pJ), logic only:
    /// memory accesses and leakage are the system model's.
    pub energy: GateEnergy,
    /// How `energy` was computed.
    pub model: String,
}

/// What [`GateSimReport::model`] says.
pub const MODEL: &str = "zero-delay cycle simulation of the mapped netlist (Liberty functions of its cells, flip-flops' next_state, memory macros as their behavioural models) on the images; per net rise/fall between settled states from the first pixel write to done: 1/2 C V^2 (fanout input-pin capacitances + default wire-load model; macro pins 0) plus the driver's internal_power at its load and input transition plus input-pin internal_power; plus every flip-flop's clock pin per cycle (internal rise + fall + C V^2); pJ per inference";

impl GateSimReport {
    /// Whether the netlist matched the integer simulation on every image.
    pub fn passed(&self) -> bool {
        self.mismatches == 0 && self.cycles_per_inference.is_finite()
    }
}

/// Simulate the Liberty-synthesized export in `dir` (`synth.json` naming
/// its netlist and library) on `images` (whole images of
/// `manifest.input_len` pixels, run [`LANES`] at a time), compare every
/// tensor with the integer simulation and write `gatesim.json`. Errors: an
/// export not synthesized with a Liberty library, unreadable files, a
/// netlist this simulator cannot read (see [`GateNetlist::read`]).
pub fn gate_simulate(dir: &Path, images: &[u8]) -> Result<GateSimReport> {
    let export = crate::rundir::ExportDir::new(dir);
    let manifest: Manifest = crate::io::read_json(export.manifest())?;
    let synth: super::synth::SynthReport = crate::io::read_json(export.synth())?;
    let (Some(netlist), Some(liberty)) = (&synth.sta_netlist, &synth.liberty) else {
        return Err(Error::input(format!(
            "{}: synthesized without a Liberty library (codesign synth --liberty): no mapped netlist to simulate",
            export.synth().display()
        )));
    };
    let lib = PowerLibrary::cached(Path::new(liberty))?;
    let g = GateNetlist::read(&dir.join(netlist), dir, &lib, &manifest)?;
    let reference = super::cosim::load_reference(dir)?;
    let len = manifest.input_len.max(1);
    let mut runs = vec![];
    // Toggles of every batch summed, priced once.
    let mut total: Option<Activity> = None;
    for batch in images.chunks(LANES * len) {
        let (r, activity) = simulate(&g, &manifest, batch)?;
        runs.extend(r);
        total = Some(match total {
            None => activity,
            Some(mut t) => {
                t.add(&activity);
                t
            }
        });
    }
    let total = total.map_or_else(GateEnergy::default, |a| energy(&g, &lib, &a));
    let expected: Vec<Vec<Vec<i32>>> = images
        .chunks(len)
        .map(|im| reference.forward_trace(im).tensors)
        .collect();
    let d = super::cosim::differences(&manifest, &runs, &expected);
    let (cells, flip_flops, macros) = g.size();
    let report = GateSimReport {
        version: GATESIM_VERSION,
        netlist: netlist.clone(),
        liberty: liberty.clone(),
        cells,
        flip_flops,
        macros,
        images: runs.len(),
        mismatches: d.first.len(),
        logit_mismatches: d.logit_mismatches,
        first_mismatches: d.first,
        cycles_per_inference: d.cycles_per_inference,
        cycles_estimate: manifest.cycles_estimate,
        energy: total,
        model: MODEL.to_string(),
    };
    crate::io::write_json(export.gatesim(), &report)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An inverter and a D flip-flop with hand-chosen numbers.
    const LIB: &str = r#"
library (tiny) {
  capacitive_load_unit (1,ff); voltage_unit : "1V"; time_unit : "1ns";
  nom_voltage : 2.0;
  power_lut_template (P) { variable_1 : input_transition_time; variable_2 : total_output_net_capacitance;
    index_1 ("1, 2"); index_2 ("1, 2"); }
  cell (INV) { area : 0.5;
    pin (A) { direction : input; capacitance : 3.0; }
    pin (ZN) { direction : output; function : "!A";
      internal_power () { related_pin : "A";
        rise_power (P) { index_1 ("0.0, 1.0"); index_2 ("0.0, 10.0"); values ("1.0, 1.0", "1.0, 1.0"); }
        fall_power (P) { index_1 ("0.0, 1.0"); index_2 ("0.0, 10.0"); values ("0.5, 0.5", "0.5, 0.5"); } } } }
  cell (DFFR) { area : 4.0; ff (IQ, IQN) { next_state : "D"; clocked_on : "CK"; clear : "!RN"; }
    pin (D) { direction : input; capacitance : 5.0; }
    pin (RN) { direction : input; capacitance : 1.0; }
    pin (CK) { direction : input; clock : true; capacitance : 2.0;
      internal_power () {
        rise_power (P) { index_1 ("0.0, 1.0"); index_2 ("0.0, 10.0"); values ("4.0, 4.0", "4.0, 4.0"); }
        fall_power (P) { index_1 ("0.0, 1.0"); index_2 ("0.0, 10.0"); values ("2.0, 2.0", "2.0, 2.0"); } } }
    pin (Q) { direction : output; function : "IQ"; }
    pin (QN) { direction : output; function : "IQN"; } }
}
"#;

    /// A toggle flip-flop (Q feeds an inverter into D) with a reset, and
    /// a registered 4-word activation buffer written with the count.
    const NETLIST: &str = "module top(clk, rst, q);
  input clk; input rst; output q;
  wire d; wire rn; wire qn;
  wire \\rd[0] ; wire \\rd[1] ;
  INV u_rn (.A(rst), .ZN(rn));
  INV u_inv (.A(q), .ZN(d));
  DFFR u_ff (.CK(clk), .D(d), .RN(rn), .Q(q), .QN(qn));
  mem_buf buf (.clk(clk), .we(1'b1), .waddr({ 1'b0, q }), .wdata({ qn, q }),
    .raddr({ 1'b0, qn }), .rdata({ \\rd[1] , \\rd[0] }));
endmodule
";

    fn setup(dir: &Path) -> (PowerLibrary, Manifest) {
        let lib = PowerLibrary::parse(LIB, Path::new("tiny.lib")).unwrap();
        std::fs::write(dir.join("n.v"), NETLIST).unwrap();
        let manifest: Manifest = serde_json::from_value(serde_json::json!({
            "version": 1, "network": "t", "top": "top", "signed": false, "input_len": 1,
            "classes": 1, "tensors": [], "units": [], "sources": [], "testbench": "tb",
            "cycles_estimate": 1,
            "memories": [{"name": "buf", "kind": "activations", "module": "act_mem", "depth": 4,
                "width": 2, "read_ports": 1, "write_ports": 1, "registered_read": true}]
        }))
        .unwrap();
        (lib, manifest)
    }

    #[test]
    fn toggle_flip_flop_counts_and_energy() {
        let tmp = tempfile::tempdir().unwrap();
        let (lib, manifest) = setup(tmp.path());
        let g = GateNetlist::read(&tmp.path().join("n.v"), tmp.path(), &lib, &manifest).unwrap();
        assert_eq!(g.size(), (2, 1, 1));
        let mut s = State::new(&g, 64);
        let rst = g.ports["rst"];
        let q = g.ports["q"];
        s.set(rst, !0);
        s.settle().unwrap();
        s.posedge().unwrap();
        s.settle().unwrap();
        assert_eq!(s.v[q as usize], 0, "held in reset");
        s.set(rst, 0);
        s.settle().unwrap();
        s.counting = true;
        // Ten edges: q goes 1, 0, 1, ... (five rises, five falls per lane).
        let mut seen = vec![];
        for _ in 0..10 {
            s.posedge().unwrap();
            s.settle().unwrap();
            seen.push(s.v[q as usize] & 1);
        }
        assert_eq!(seen, [1, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
        // The buffer was written {qn, q} at address q each edge and read at
        // address qn (registered, the word before the edge's write).
        let rd: Vec<u64> = ["rd[0]", "rd[1]"]
            .iter()
            .map(|n| s.v[g.names.iter().position(|x| x == n).unwrap()])
            .collect();
        // Last edge: q was 1 before it, so the read address qn = 0, whose
        // word was written when q was 0: {qn, q} = {1, 0}.
        assert_eq!(rd, [0, !0]);
        let act = Activity {
            rises: s.rises.clone(),
            falls: s.falls.clone(),
            lane_edges: s.edges * 64,
            images: 64,
        };
        assert_eq!(act.lane_edges, 10 * 64);
        assert_eq!(
            (act.rises[q as usize], act.falls[q as usize]),
            (5 * 64, 5 * 64)
        );
        let e = energy(&g, &lib, &act);
        // Clock: 10 edges x (rise 4 + fall 2 + C 2 fF x V^2 4) = 140 fJ.
        assert!((e.clock_pj - 0.140).abs() < 1e-12, "{}", e.clock_pj);
        // q: loads INV.A (3 fF) and the macro's waddr pin (0 fF; one more
        // fanout, no wire-load model): 1/2 * 3 * 4 = 6 fJ per transition,
        // no internal tables on Q. qn: only the macro: 0. d = !q: loads
        // DFFR.D (5 fF): 10 fJ plus INV internal 1 (rise) / 0.5 (fall).
        // Per lane (image): 10 transitions of q, 10 of d (5 rises, 5 falls).
        let want_reg = 10.0 * 6.0;
        let want_logic = 10.0 * 10.0 + 5.0 * 1.0 + 5.0 * 0.5;
        assert!(
            (e.register_outputs_pj * 1000.0 - want_reg).abs() < 1e-9,
            "{e:?}"
        );
        assert!((e.logic_pj * 1000.0 - want_logic).abs() < 1e-9, "{e:?}");
    }

    #[test]
    fn unknown_cell_and_data_dependent_address_are_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let (lib, manifest) = setup(tmp.path());
        std::fs::write(
            tmp.path().join("bad.v"),
            NETLIST.replace("INV u_inv", "NAND9 u_inv"),
        )
        .unwrap();
        let e = GateNetlist::read(&tmp.path().join("bad.v"), tmp.path(), &lib, &manifest)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("bad.v:6") && e.contains("NAND9"), "{e}");
        let g = GateNetlist::read(&tmp.path().join("n.v"), tmp.path(), &lib, &manifest).unwrap();
        let mut s = State::new(&g, 64);
        // Reset released in half of the lanes only: the write address q
        // then differs between lanes.
        s.set(g.ports["rst"], 0xffff_ffff);
        s.settle().unwrap();
        s.posedge().unwrap();
        s.settle().unwrap();
        let e = s.posedge().err().unwrap().to_string();
        assert!(
            e.contains("buf") && e.contains("differs between images"),
            "{e}"
        );
    }
}
