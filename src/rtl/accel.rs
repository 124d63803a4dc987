//! The accelerator of an integer network: one engine per multiplying layer
//! (hand-written `mac_engine` with `P` lanes of that layer's multiplier,
//! one per output channel of a group, sharing one input read per cycle),
//! pooling and residual units, one activation buffer per tensor (flatten
//! shares its input's), a sequencer that runs the nodes in order, and a
//! debug read port through which the test bench reads every tensor back.
//!
//! Only the top module, the lanes modules and the multipliers are
//! generated (through the typed AST); memory contents go to `.hex` files
//! read with `$readmemh`.

use super::ast::*;
use super::blocks::{self, Block};
use super::build::*;
use super::memory::{MemoryInfo, MemoryKind};
use super::names::{fixed, sanitize, Scope};
use crate::error::{Error, Result};
use crate::intnet::{IntNetwork, MacLayer, Op, Shape};
use crate::netlist::Netlist;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Default lanes per engine: `min(output channels, DEFAULT_LANES)`.
pub const DEFAULT_LANES: usize = 8;

/// Manifest format version.
pub const MANIFEST_VERSION: u32 = 1;

/// One tensor as the test bench reads it back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TensorInfo {
    /// Tensor id (0 = input, node `i` makes tensor `i + 1`).
    pub id: usize,
    /// Node that produced it (`input` for tensor 0).
    pub producer: String,
    pub len: usize,
    /// Buffer instance holding it.
    pub memory: String,
}

/// One unit run by the sequencer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitInfo {
    /// Node (layer) name.
    pub layer: String,
    /// Instance name in the top module.
    pub instance: String,
    /// Module of that instance (a generated engine, or a block).
    #[serde(default)]
    pub module: String,
    /// `mac_engine`, `pool` or `residual_add`.
    pub kind: String,
    /// Library id of the multiplier (engines only).
    #[serde(default)]
    pub multiplier: Option<String>,
    /// Verilog module of the multiplier (engines only).
    #[serde(default)]
    pub multiplier_module: Option<String>,
    /// Lanes module (engines only).
    #[serde(default)]
    pub lanes_module: Option<String>,
    #[serde(default)]
    pub lanes: usize,
    /// Clock cycles the unit takes once started (from its schedule).
    pub cycles: u64,
}

/// What `export-rtl` writes beside the Verilog: enough for `cosim` and
/// `synth` to run without the network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub network: String,
    pub top: String,
    pub signed: bool,
    pub input_len: usize,
    pub classes: usize,
    pub tensors: Vec<TensorInfo>,
    pub units: Vec<UnitInfo>,
    /// Design sources in compile order (blocks first).
    pub sources: Vec<String>,
    pub testbench: String,
    /// Sum of the units' cycles (the sequencer adds 2 per unit).
    pub cycles_estimate: u64,
    /// Memory macros (engines' ROMs, then activation buffers); synthesis
    /// reads them as black boxes and models their area.
    #[serde(default)]
    pub memories: Vec<MemoryInfo>,
}

/// A complete accelerator, ready to be written to a directory.
#[derive(Clone, Debug)]
pub struct Design {
    pub manifest: Manifest,
    /// Generated modules (multipliers, lanes, top), in one file.
    pub verilog: File,
    pub blocks: Vec<Block>,
    /// `(file name, contents)` of memory images.
    pub hex: Vec<(String, String)>,
    /// `(multiplier module, Yosys JSON of its source netlist)`: what
    /// `cosim` proves each emitted multiplier equivalent to.
    pub netlists: Vec<(String, String)>,
}

/// Module name of the source netlists in `netlists/*.json`.
pub const NETLIST_MODULE: &str = "gold";

/// Where [`Design::write`] puts the source netlist of a multiplier module.
pub fn netlist_file(module: &str) -> String {
    format!("netlists/{module}.json")
}

impl Design {
    /// Write every file into `dir` (created if missing).
    pub fn write(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        crate::io::write_atomic(
            dir.join(format!("{}.v", self.manifest.top)),
            self.verilog.to_string().as_bytes(),
        )?;
        for (name, text) in self.blocks.iter().chain(std::iter::once(&blocks::TB_ACCEL)) {
            crate::io::write_atomic(dir.join(name), text.as_bytes())?;
        }
        for (name, text) in &self.hex {
            crate::io::write_atomic(dir.join(name), text.as_bytes())?;
        }
        for (module, json) in &self.netlists {
            let path = dir.join(netlist_file(module));
            if let Some(sub) = path.parent() {
                std::fs::create_dir_all(sub).map_err(|e| Error::io(sub, e))?;
            }
            crate::io::write_atomic(path, json.as_bytes())?;
        }
        let lens: String = self
            .manifest
            .tensors
            .iter()
            .map(|t| format!("{:08x}\n", t.len))
            .collect();
        crate::io::write_atomic(dir.join("tensor_lens.hex"), lens.as_bytes())?;
        // Yosys: read the sources (deferred: blocks elaborate only with the
        // parameters they are instantiated with), then yosys/synth.ys.
        // The memory macros are read as black boxes (`-lib`: ports only).
        let (macros, logic): (Vec<&String>, Vec<&String>) = self
            .manifest
            .sources
            .iter()
            .partition(|f| blocks::MACROS.iter().any(|b| b.0 == f.as_str()));
        let join = |v: Vec<&String>| v.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(" ");
        let mut read = String::new();
        if !macros.is_empty() {
            read.push_str(&format!("read_verilog -lib {}\n", join(macros)));
        }
        read.push_str(&format!(
            "read_verilog -defer {}\nhierarchy -check -top {}\n",
            join(logic),
            self.manifest.top
        ));
        crate::io::write_atomic(dir.join("read.ys"), read.as_bytes())?;
        crate::io::write_atomic(dir.join("synth.ys"), crate::eda::synth::SYNTH_YS.as_bytes())?;
        crate::io::write_json(dir.join("manifest.json"), &self.manifest)
    }
}

/// Bits to address `n` words (at least 1).
pub fn addr_bits(n: usize) -> u32 {
    let mut b = 1;
    while (1usize << b) < n {
        b += 1;
    }
    b
}

/// Lanes of a layer with `out_ch` output channels given the requested
/// count (a lane computes one output channel; more would idle).
pub fn lanes_for(out_ch: usize, requested: Option<usize>) -> usize {
    requested.unwrap_or(DEFAULT_LANES).clamp(1, out_ch.max(1))
}

fn unsupported(net: &IntNetwork, node: &str, msg: impl std::fmt::Display) -> Error {
    Error::input(format!("network '{}', layer '{node}': {msg}", net.name))
}

/// Check the network fits the accelerator's counters and formats.
fn validate(net: &IntNetwork, mults: &[(String, Netlist)]) -> Result<()> {
    let macs: Vec<_> = net.mac_layers().collect();
    if macs.len() != mults.len() {
        return Err(Error::input(format!(
            "network '{}' has {} multiplying layers but {} multipliers were given",
            net.name,
            macs.len(),
            mults.len()
        )));
    }
    for (id, n) in mults {
        crate::netlist::sim::check_ports(n, "A", "B", "O")
            .map_err(|e| Error::input(format!("multiplier '{id}': {e}")))?;
    }
    let last = net
        .nodes
        .last()
        .ok_or_else(|| Error::input(format!("network '{}' has no nodes", net.name)))?;
    let shapes = net.tensor_shapes();
    for (i, node) in net.nodes.iter().enumerate() {
        let is_last = i + 1 == net.nodes.len();
        if shapes[i + 1].len() >= 1 << 16 {
            return Err(unsupported(
                net,
                &node.name,
                "tensors larger than 65535 values are not supported by the RTL",
            ));
        }
        if let Some(l) = node.mac() {
            match (&l.requant, is_last) {
                (None, false) => {
                    return Err(unsupported(
                        net,
                        &node.name,
                        "only the last layer may output raw accumulators",
                    ))
                }
                (Some(_), true) => {
                    return Err(unsupported(
                        net,
                        &node.name,
                        "the last layer must output raw accumulators",
                    ))
                }
                _ => {}
            }
            if let Some(r) = &l.requant {
                if let Some(s) = r.shift.iter().find(|&&s| !(1..=62).contains(&s)) {
                    return Err(unsupported(
                        net,
                        &node.name,
                        format!("requantization shift {s} outside 1..=62"),
                    ));
                }
                if r.mult.iter().any(|&m| m < 0) {
                    return Err(unsupported(
                        net,
                        &node.name,
                        "negative requantization multiplier",
                    ));
                }
            }
        } else if let Op::Add { shift, .. } = node.op {
            if !(1..=62).contains(&shift) {
                return Err(unsupported(
                    net,
                    &node.name,
                    format!("residual shift {shift} outside 1..=62"),
                ));
            }
        }
    }
    if last.mac().is_none() {
        return Err(unsupported(
            net,
            &last.name,
            "the network must end with a conv or linear layer (the logits)",
        ));
    }
    Ok(())
}

/// Input geometry an engine sees: `(IC, IH, IW)`.
fn engine_input(op: &Op, l: &MacLayer, s: Shape) -> (usize, usize, usize) {
    match op {
        Op::Linear(_) => (l.in_ch, 1, 1),
        _ => (s.c, s.h, s.w),
    }
}

fn hex_word(bits: u32, v: u64) -> String {
    format!("{:0w$x}", v, w = bits.div_ceil(4) as usize)
}

/// Memory images of one engine with `p` lanes (output channels at once):
/// weights (row `g * fan_in + k`: the group's `p` weights at `k`, lane 0
/// in the low byte), bias, requantization multiplier and shift.
fn engine_hex(l: &MacLayer, p: usize) -> [String; 4] {
    let kk = l.in_ch * l.kernel * l.kernel;
    let mut w = String::new();
    for g in 0..l.out_ch.div_ceil(p) {
        for k in 0..kk {
            for lane in (0..p).rev() {
                let o = g * p + lane;
                let v = if o < l.out_ch {
                    l.weights[o * kk + k] as u8
                } else {
                    0
                };
                w.push_str(&format!("{v:02x}"));
            }
            w.push('\n');
        }
    }
    let b: String = l
        .bias
        .iter()
        .map(|&v| hex_word(32, v as u32 as u64) + "\n")
        .collect();
    let (m, sh): (String, String) = match &l.requant {
        Some(r) => (
            r.mult
                .iter()
                .map(|&v| hex_word(32, v as u32 as u64) + "\n")
                .collect(),
            r.shift
                .iter()
                .map(|&v| hex_word(8, v as u64) + "\n")
                .collect(),
        ),
        None => (
            (0..l.out_ch).map(|_| hex_word(32, 0) + "\n").collect(),
            (0..l.out_ch).map(|_| hex_word(8, 1) + "\n").collect(),
        ),
    };
    [w, b, m, sh]
}

/// The lanes module of one layer: `p` copies of multiplier `mult`.
fn lanes_module(name: Ident, mult: &Ident, p: usize) -> Module {
    let mut scope = Scope::new();
    let (a, b, o) = (scope.reserve("a"), scope.reserve("b"), scope.reserve("p"));
    let p32 = p as u32;
    let ports = vec![
        port(Dir::Input, a.clone(), 8 * p32),
        port(Dir::Input, b.clone(), 8 * p32),
        port(Dir::Output, o.clone(), 16 * p32),
    ];
    let items = (0..p32)
        .map(|l| {
            instance(
                mult.clone(),
                scope.fresh(&format!("m{l}")),
                vec![],
                vec![
                    (fixed("A"), part(&a, 8 * l, 8)),
                    (fixed("B"), part(&b, 8 * l, 8)),
                    (fixed("O"), part(&o, 16 * l, 16)),
                ],
            )
        })
        .collect();
    module(
        name,
        vec![format!("{p} MAC lanes, each a `{mult}` multiplier.")],
        vec![],
        ports,
        items,
    )
}

/// ROM macros of one engine: `(file, width, depth)` of the weights (read on the
/// clock edge) and of the per-channel bias, multiplier and shift (read in
/// the same cycle).
struct EngineRoms {
    weights: (String, u32, usize),
    per_channel: [(String, u32); 3],
    channels: usize,
}

/// The engine of one layer: the `mac_engine` block with `params`, the
/// layer's lanes module and its ROMs, behind the engine's memory-side ports.
fn engine_module(
    name: Ident,
    lanes: &Ident,
    params: Vec<(Ident, Value)>,
    p: u32,
    iaw: u32,
    oaw: u32,
    roms: &EngineRoms,
) -> (Module, Vec<MemoryInfo>) {
    let mut sc = Scope::new();
    let names = [
        "clk", "rst", "start", "done", "in_addr", "in_data", "out_we", "out_addr", "out_data",
    ];
    let ids: Vec<Ident> = names.iter().map(|n| sc.reserve(n)).collect();
    let widths = [1, 1, 1, 1, iaw, 8, 1, oaw, 32];
    let dirs = [
        Dir::Input,
        Dir::Input,
        Dir::Input,
        Dir::Output,
        Dir::Output,
        Dir::Input,
        Dir::Output,
        Dir::Output,
        Dir::Output,
    ];
    let ports = ids
        .iter()
        .zip(widths)
        .zip(dirs)
        .map(|((id, w), d)| port(d, id.clone(), w))
        .collect();
    let clk = ids[0].clone();
    let (a, b, pr) = (sc.fresh("mul_a"), sc.fresh("mul_b"), sc.fresh("mul_p"));
    let mut items = vec![
        wire(a.clone(), 8 * p),
        wire(b.clone(), 8 * p),
        wire(pr.clone(), 16 * p),
    ];
    let mut conns: Vec<(Ident, Expr)> = ids.iter().map(|id| (id.clone(), r(id))).collect();
    conns.extend([
        (fixed("mul_a"), r(&a)),
        (fixed("mul_b"), r(&b)),
        (fixed("mul_p"), r(&pr)),
    ]);
    // Weight ROM, read on the clock edge into `w_row`; per-channel ROMs,
    // read in the same cycle at the channel being written.
    let (file, width, depth) = &roms.weights;
    let (w_addr, w_row) = (sc.fresh("w_addr"), sc.fresh("w_row"));
    items.extend([wire(w_addr.clone(), 32), wire(w_row.clone(), *width)]);
    conns.extend([(fixed("w_addr"), r(&w_addr)), (fixed("w_row"), r(&w_row))]);
    let mut memories = vec![];
    let mut rom = |sc: &mut Scope,
                   items: &mut Vec<Item>,
                   inst: &str,
                   kind: MemoryKind,
                   (file, width, depth): (&String, u32, usize),
                   addr: &Ident,
                   data: &Ident,
                   registered: bool| {
        let inst = sc.fresh(inst);
        let aw = addr_bits(depth);
        items.push(instance(
            fixed("rom"),
            inst.clone(),
            vec![
                (fixed("W"), Value::Int(width as i64)),
                (fixed("DEPTH"), Value::Int(depth as i64)),
                (fixed("AW"), Value::Int(aw as i64)),
                (fixed("REG"), Value::Int(registered as i64)),
                (fixed("INIT"), Value::Str(file.clone())),
            ],
            vec![
                (fixed("clk"), r(&clk)),
                (fixed("addr"), slice(addr, aw - 1, 0)),
                (fixed("data"), r(data)),
            ],
        ));
        memories.push(MemoryInfo {
            name: inst.to_string(),
            kind,
            module: "rom".to_string(),
            unit: None,
            depth,
            width,
            read_ports: 1,
            write_ports: 0,
            registered_read: registered,
            init: Some(file.clone()),
        });
    };
    rom(
        &mut sc,
        &mut items,
        "w_rom",
        MemoryKind::Weights,
        (file, *width, *depth),
        &w_addr,
        &w_row,
        true,
    );
    let ch = sc.fresh("ch");
    items.push(wire(ch.clone(), 32));
    conns.push((fixed("ch"), r(&ch)));
    let per_channel = [
        ("bias", MemoryKind::Bias),
        ("mult", MemoryKind::RequantMult),
        ("shift", MemoryKind::RequantShift),
    ];
    for ((file, width), (port_name, kind)) in roms.per_channel.iter().zip(per_channel) {
        let data = sc.fresh(port_name);
        items.push(wire(data.clone(), *width));
        rom(
            &mut sc,
            &mut items,
            &format!("{port_name}_rom"),
            kind,
            (file, *width, roms.channels),
            &ch,
            &data,
            false,
        );
        conns.push((fixed(port_name), r(&data)));
    }
    items.extend([
        instance(fixed("mac_engine"), sc.fresh("core"), params, conns),
        instance(
            lanes.clone(),
            sc.fresh("lanes"),
            vec![],
            vec![
                (fixed("a"), r(&a)),
                (fixed("b"), r(&b)),
                (fixed("p"), r(&pr)),
            ],
        ),
    ]);
    let m = module(
        name,
        vec![format!(
            "Engine: mac_engine with {p} lanes of `{lanes}` and its ROMs."
        )],
        vec![],
        ports,
        items,
    );
    (m, memories)
}

/// One activation buffer being wired up.
struct Mem {
    inst: Ident,
    width: u32,
    depth: usize,
    aw: u32,
    /// Readers: (unit index, or `None` for the debug port; address; port).
    reads: Vec<(Option<usize>, Expr, u32)>,
    write: Option<(Expr, Expr, Expr)>,
    raddr: Ident,
    rdata: Ident,
}

impl Mem {
    /// Add a reader (unit `unit`, or the debug port) addressing `addr`;
    /// returns the read data it gets. Readers share port 0 (one unit runs
    /// at a time, the debug port only when none does); a unit that reads
    /// the buffer more than once at a time gets further ports.
    fn reader(&mut self, addr: Expr, unit: Option<usize>) -> Expr {
        let port = match unit {
            Some(_) => self.reads.iter().filter(|r| r.0 == unit).count() as u32,
            None => 0,
        };
        self.reads.push((unit, addr, port));
        part(&self.rdata, port * self.width, self.width)
    }

    /// Read ports of the macro.
    fn ports(&self) -> u32 {
        self.reads.iter().map(|r| r.2 + 1).max().unwrap_or(1)
    }

    /// Address of read port `port`: the active unit's, else the debug
    /// port's (port 0) or zero.
    fn port_addr(&self, port: u32, active: &Ident, debug: Expr) -> Expr {
        let idle = if port == 0 { debug } else { konst(self.aw, 0) };
        self.reads
            .iter()
            .filter_map(|(u, a, p)| Some((u.as_ref()?, a, p)))
            .filter(|r| *r.2 == port)
            .fold(idle, |rest, (u, a, _)| {
                cond(bit(active, *u as u32), a.clone(), rest)
            })
    }
}

/// Build the accelerator of `net` with `mults[i] = (library id, netlist)`
/// for the i-th multiplying layer, `lanes` per engine (default
/// `min(output channels, 8)`).
pub fn build(
    net: &IntNetwork,
    mults: &[(String, Netlist)],
    lanes: Option<usize>,
) -> Result<Design> {
    validate(net, mults)?;
    let shapes = net.tensor_shapes();
    let mut modules_scope = Scope::new();
    for m in blocks::MODULE_NAMES {
        modules_scope.reserve(m);
    }
    let top_name = modules_scope.fresh(&format!("{}_top", net.name));
    let mut modules: Vec<Module> = vec![];

    // Multiplier modules, one per distinct (id, netlist).
    let mut mult_modules: Vec<(&str, &Netlist, Ident)> = vec![];
    let mut mult_of_layer: Vec<Ident> = vec![];
    let mut netlists: Vec<(String, String)> = vec![];
    for (id, n) in mults {
        let ident = match mult_modules
            .iter()
            .find(|(mid, mn, _)| mid == id && *mn == n)
        {
            Some((_, _, ident)) => ident.clone(),
            None => {
                let ident = modules_scope.fresh(&format!("mul_{id}"));
                modules.push(super::mult::module_of(n, ident.clone()));
                netlists.push((
                    ident.to_string(),
                    super::yosys_json::write(n, NETLIST_MODULE),
                ));
                mult_modules.push((id, n, ident.clone()));
                ident
            }
        };
        mult_of_layer.push(ident);
    }

    // Top-level names.
    let mut s = Scope::new();
    let clk = s.reserve("clk");
    let rst = s.reserve("rst");
    let start = s.reserve("start");
    let done = s.reserve("done");
    let in_we = s.reserve("in_we");
    let in_addr = s.reserve("in_addr");
    let in_data = s.reserve("in_data");
    let dbg_sel = s.reserve("dbg_sel");
    let dbg_addr = s.reserve("dbg_addr");
    let dbg_data = s.reserve("dbg_data");
    let ports = vec![
        port(Dir::Input, clk.clone(), 1),
        port(Dir::Input, rst.clone(), 1),
        port(Dir::Input, start.clone(), 1),
        port(Dir::Output, done.clone(), 1),
        port(Dir::Input, in_we.clone(), 1),
        port(Dir::Input, in_addr.clone(), 32),
        port(Dir::Input, in_data.clone(), 8),
        port(Dir::Input, dbg_sel.clone(), 8),
        port(Dir::Input, dbg_addr.clone(), 32),
        port(Dir::Output, dbg_data.clone(), 32),
    ];
    if shapes.len() > 256 {
        return Err(Error::input(format!(
            "network '{}' has more than 255 nodes; the debug port selects 256 tensors",
            net.name
        )));
    }

    // Buffers: one per tensor, flatten shares its input's.
    let mut mems: Vec<Mem> = vec![];
    let mut mem_of: Vec<usize> = vec![];
    let n_tensors = shapes.len();
    for (t, shape) in shapes.iter().enumerate() {
        let node = t.checked_sub(1).map(|i| &net.nodes[i]);
        if let Some(nd) = node {
            if matches!(nd.op, Op::Flatten) {
                mem_of.push(mem_of[nd.input]);
                continue;
            }
        }
        let base = node.map(|n| n.name.as_str()).unwrap_or("input");
        let depth = shape.len().max(1);
        let width = if t + 1 == n_tensors { 32 } else { 8 };
        let aw = addr_bits(depth);
        let inst = s.fresh(&format!("buf_{base}"));
        let raddr = s.fresh(&format!("{inst}_raddr"));
        let rdata = s.fresh(&format!("{inst}_rdata"));
        let m = Mem {
            inst,
            width,
            depth,
            aw,
            reads: vec![],
            write: None,
            raddr,
            rdata,
        };
        mems.push(m);
        mem_of.push(mems.len() - 1);
    }
    // Tensor 0 is written by the test bench (input shift applied here).
    {
        let m = &mut mems[0];
        let data = if net.input_shift == 0 {
            r(&in_data)
        } else {
            bin(BinOp::Shr, r(&in_data), konst(8, net.input_shift as u64))
        };
        m.write = Some((r(&in_we), slice(&in_addr, m.aw - 1, 0), data));
    }

    let mut items: Vec<Item> = vec![];
    let mut unit_items: Vec<Item> = vec![];
    let mut units: Vec<UnitInfo> = vec![];
    let mut unit_done: Vec<Ident> = vec![];
    let mut unit_start: Vec<Ident> = vec![];
    let mut hex: Vec<(String, String)> = vec![];
    let mut memories: Vec<MemoryInfo> = vec![];
    let mut used_blocks: Vec<Block> = vec![blocks::ACT_MEM, blocks::SEQUENCER];
    let mut mac_i = 0;
    let mut hex_scope = Scope::new();

    for (i, node) in net.nodes.iter().enumerate() {
        if matches!(node.op, Op::Flatten) {
            continue;
        }
        let out_t = i + 1;
        let out_m = mem_of[out_t];
        // This unit's index in the sequencer.
        let unit_k = unit_start.len();
        let inst = s.fresh(&format!("u_{}", node.name));
        let w_start = s.fresh(&format!("{inst}_start"));
        let w_done = s.fresh(&format!("{inst}_done"));
        let w_we = s.fresh(&format!("{inst}_we"));
        let w_waddr = s.fresh(&format!("{inst}_waddr"));
        let w_wdata = s.fresh(&format!("{inst}_wdata"));
        let (oaw, owidth) = (mems[out_m].aw, mems[out_m].width);
        let in_m = mem_of[node.input];
        let in_shape = shapes[node.input];
        let iaw = mems[in_m].aw;
        let mut conns = vec![
            (fixed("clk"), r(&clk)),
            (fixed("rst"), r(&rst)),
            (fixed("start"), r(&w_start)),
            (fixed("done"), r(&w_done)),
            (fixed("out_we"), r(&w_we)),
            (fixed("out_addr"), r(&w_waddr)),
            (fixed("out_data"), r(&w_wdata)),
        ];
        unit_items.push(wire(w_start.clone(), 1));
        unit_items.push(wire(w_done.clone(), 1));
        unit_items.push(wire(w_we.clone(), 1));
        unit_items.push(wire(w_waddr.clone(), oaw));
        let int = |v: usize| Value::Int(v as i64);
        let named = |ps: Vec<(&str, Value)>| -> Vec<(Ident, Value)> {
            ps.into_iter().map(|(k, v)| (fixed(k), v)).collect()
        };
        let (inst_module, params, cycles, info_extra, block, kind) = match &node.op {
            Op::Conv(l) | Op::Linear(l) => {
                unit_items.push(wire(w_wdata.clone(), 32));
                let (ic, ih, iw) = engine_input(&node.op, l, in_shape);
                if ic * ih * iw != in_shape.len() || ic != l.in_ch {
                    return Err(unsupported(
                        net,
                        &node.name,
                        format!(
                            "input tensor has {} values, layer expects {ic}x{ih}x{iw}",
                            in_shape.len()
                        ),
                    ));
                }
                let kk = l.in_ch * l.kernel * l.kernel;
                let p = lanes_for(l.out_ch, lanes);
                let ngroup = l.out_ch.div_ceil(p);
                if ngroup * kk >= 1 << 24 {
                    return Err(unsupported(
                        net,
                        &node.name,
                        "weight memory too deep for the engine",
                    ));
                }
                let prefix = hex_scope.fresh(&node.name);
                let files: Vec<String> = ["w", "b", "m", "s"]
                    .iter()
                    .map(|k| format!("{prefix}_{k}.hex"))
                    .collect();
                for (f, text) in files.iter().zip(engine_hex(l, p)) {
                    hex.push((f.clone(), text));
                }
                let roms = EngineRoms {
                    weights: (files[0].clone(), 8 * p as u32, ngroup * kk),
                    per_channel: [
                        (files[1].clone(), 32),
                        (files[2].clone(), 32),
                        (files[3].clone(), 8),
                    ],
                    channels: l.out_ch,
                };
                let lanes_name = modules_scope.fresh(&format!("{}_lanes", node.name));
                modules.push(lanes_module(lanes_name.clone(), &mult_of_layer[mac_i], p));
                let w_ia = s.fresh(&format!("{inst}_in_addr"));
                unit_items.push(wire(w_ia.clone(), iaw));
                let rd = mems[in_m].reader(r(&w_ia), Some(unit_k));
                conns.push((fixed("in_addr"), r(&w_ia)));
                conns.push((fixed("in_data"), rd));
                let o = node.out;
                let params = vec![
                    ("IC", int(ic)),
                    ("IH", int(ih)),
                    ("IW", int(iw)),
                    ("K", int(l.kernel)),
                    ("OC", int(o.c)),
                    ("OH", int(o.h)),
                    ("OW", int(o.w)),
                    ("S", int(l.stride)),
                    ("PAD", int(l.padding)),
                    ("P", int(p)),
                    ("NGROUP", int(ngroup)),
                    ("SIGNED", int(net.signed as usize)),
                    ("REQUANT", int(l.requant.is_some() as usize)),
                    ("ACT_MAX", Value::Int(net.act_max as i64)),
                    ("IAW", Value::Int(iaw as i64)),
                    ("OAW", Value::Int(oaw as i64)),
                ];
                // Per output position and channel group: kk issue cycles,
                // one drain cycle, then one write per channel.
                let cycles = (o.h * o.w * (ngroup * (kk + 1) + o.c)) as u64;
                let engine_name = modules_scope.fresh(&format!("{}_engine", node.name));
                let params: Vec<(Ident, Value)> =
                    params.into_iter().map(|(k, v)| (fixed(k), v)).collect();
                let (engine, roms) = engine_module(
                    engine_name.clone(),
                    &lanes_name,
                    params,
                    p as u32,
                    iaw,
                    oaw,
                    &roms,
                );
                modules.push(engine);
                memories.extend(roms.into_iter().map(|m| MemoryInfo {
                    name: format!("{inst}.{}", m.name),
                    unit: Some(node.name.clone()),
                    ..m
                }));
                if !used_blocks.contains(&blocks::ROM) {
                    used_blocks.push(blocks::ROM);
                }
                let extra = (
                    Some(mults[mac_i].0.clone()),
                    Some(mult_of_layer[mac_i].to_string()),
                    Some(lanes_name.to_string()),
                    p,
                );
                mac_i += 1;
                (
                    engine_name,
                    vec![],
                    cycles,
                    extra,
                    blocks::MAC_ENGINE,
                    "mac_engine",
                )
            }
            Op::MaxPool { .. } | Op::AvgPool { .. } | Op::GlobalAvgPool => {
                // A global average pool is an average pool whose window is
                // the whole map.
                let (kh, kw, stride, mode) = match node.op {
                    Op::MaxPool { kernel, stride } => (kernel, kernel, stride, 0),
                    Op::AvgPool { kernel, stride } => (kernel, kernel, stride, 1),
                    _ => (in_shape.h, in_shape.w, 1, 1),
                };
                unit_items.push(wire(w_wdata.clone(), 8));
                pool_unit(
                    &mut mems[in_m],
                    &mut s,
                    &inst,
                    &mut unit_items,
                    &mut conns,
                    iaw,
                    unit_k,
                );
                let o = node.out;
                let params = vec![
                    ("C", int(in_shape.c)),
                    ("IH", int(in_shape.h)),
                    ("IW", int(in_shape.w)),
                    ("OH", int(o.h)),
                    ("OW", int(o.w)),
                    ("KH", int(kh)),
                    ("KW", int(kw)),
                    ("S", int(stride)),
                    ("MODE", int(mode)),
                    ("IAW", Value::Int(iaw as i64)),
                    ("OAW", Value::Int(oaw as i64)),
                ];
                (
                    fixed("pool"),
                    named(params),
                    (o.len() * (kh * kw + 1)) as u64,
                    (None, None, None, 0),
                    blocks::POOL,
                    "pool",
                )
            }
            Op::Add {
                other,
                mult_a,
                mult_b,
                shift,
            } => {
                unit_items.push(wire(w_wdata.clone(), 8));
                let om = mem_of[*other];
                if shapes[*other].len() != in_shape.len() || mems[om].aw != iaw {
                    return Err(unsupported(
                        net,
                        &node.name,
                        "residual operands differ in size",
                    ));
                }
                let (wa, wb) = (
                    s.fresh(&format!("{inst}_a_addr")),
                    s.fresh(&format!("{inst}_b_addr")),
                );
                unit_items.push(wire(wa.clone(), iaw));
                unit_items.push(wire(wb.clone(), iaw));
                let ra = mems[in_m].reader(r(&wa), Some(unit_k));
                let rb = mems[om].reader(r(&wb), Some(unit_k));
                conns.push((fixed("a_addr"), r(&wa)));
                conns.push((fixed("a_data"), ra));
                conns.push((fixed("b_addr"), r(&wb)));
                conns.push((fixed("b_data"), rb));
                let params = vec![
                    ("N", int(in_shape.len())),
                    ("AW", Value::Int(iaw as i64)),
                    ("MA", Value::Int(*mult_a as i64)),
                    ("MB", Value::Int(*mult_b as i64)),
                    ("SH", Value::Int(*shift as i64)),
                    ("ACT_MAX", Value::Int(net.act_max as i64)),
                ];
                // out_addr of residual_add is AW (= input) wide; same as output buffer.
                (
                    fixed("residual_add"),
                    named(params),
                    in_shape.len() as u64,
                    (None, None, None, 0),
                    blocks::RESIDUAL_ADD,
                    "residual_add",
                )
            }
            Op::Flatten => unreachable!(),
        };
        if !used_blocks.contains(&block) {
            used_blocks.push(block);
        }
        let wdata = if owidth == 32 {
            r(&w_wdata)
        } else {
            slice(&w_wdata, 7, 0)
        };
        mems[out_m].write = Some((r(&w_we), r(&w_waddr), wdata));
        unit_items.push(instance(inst_module.clone(), inst.clone(), params, conns));
        unit_start.push(w_start);
        unit_done.push(w_done);
        units.push(UnitInfo {
            layer: node.name.clone(),
            instance: inst.to_string(),
            module: inst_module.to_string(),
            kind: kind.to_string(),
            multiplier: info_extra.0,
            multiplier_module: info_extra.1,
            lanes_module: info_extra.2,
            lanes: info_extra.3,
            cycles,
        });
    }

    // Sequencer.
    let n_units = unit_start.len() as u32;
    let seq_start = s.fresh("seq_unit_start");
    let seq_done = s.fresh("seq_unit_done");
    let seq_active = s.fresh("seq_unit_active");
    items.push(comment("Sequencer: runs the units in node order."));
    items.push(wire(seq_start.clone(), n_units));
    items.push(wire(seq_done.clone(), n_units));
    items.push(wire(seq_active.clone(), n_units));
    items.push(instance(
        fixed("sequencer"),
        s.fresh("u_sequencer"),
        vec![
            (fixed("N"), Value::Int(n_units as i64)),
            (
                fixed("SW"),
                Value::Int(addr_bits(n_units as usize + 1) as i64),
            ),
        ],
        vec![
            (fixed("clk"), r(&clk)),
            (fixed("rst"), r(&rst)),
            (fixed("start"), r(&start)),
            (fixed("unit_done"), r(&seq_done)),
            (fixed("unit_start"), r(&seq_start)),
            (fixed("active"), r(&seq_active)),
            (fixed("done"), r(&done)),
        ],
    ));
    items.push(assign(
        r(&seq_done),
        concat(unit_done.iter().rev().map(r).collect()),
    ));
    items.push(comment("Units."));
    let mut unit_items2 = vec![];
    for (k, st) in unit_start.iter().enumerate() {
        unit_items2.push(assign(r(st), bit(&seq_start, k as u32)));
    }
    // Wires of units must be declared before their use in assigns.
    let (decls, rest): (Vec<Item>, Vec<Item>) = unit_items
        .into_iter()
        .partition(|it| matches!(it, Item::Wire { .. }));
    items.extend(decls);
    items.extend(unit_items2);
    items.extend(rest);

    // Buffers.
    items.push(comment(
        "Activation buffers: read port 0 serves the active unit, else the debug port.",
    ));
    for m in &mems {
        let rp = m.ports();
        items.push(wire(m.raddr.clone(), rp * m.aw));
        items.push(wire(m.rdata.clone(), rp * m.width));
        let addrs = (0..rp)
            .rev()
            .map(|p| m.port_addr(p, &seq_active, slice(&dbg_addr, m.aw - 1, 0)))
            .collect();
        items.push(assign(r(&m.raddr), concat(addrs)));
        let (we, wa, wd) = m
            .write
            .clone()
            .ok_or_else(|| Error::input(format!("buffer {} has no writer", m.inst)))?;
        items.push(instance(
            fixed("act_mem"),
            m.inst.clone(),
            vec![
                (fixed("W"), Value::Int(m.width as i64)),
                (fixed("DEPTH"), Value::Int(m.depth as i64)),
                (fixed("AW"), Value::Int(m.aw as i64)),
                (fixed("RP"), Value::Int(rp as i64)),
            ],
            vec![
                (fixed("clk"), r(&clk)),
                (fixed("we"), we),
                (fixed("waddr"), wa),
                (fixed("wdata"), wd),
                (fixed("raddr"), r(&m.raddr)),
                (fixed("rdata"), r(&m.rdata)),
            ],
        ));
        memories.push(MemoryInfo {
            name: m.inst.to_string(),
            kind: MemoryKind::Activations,
            module: "act_mem".to_string(),
            unit: None,
            depth: m.depth,
            width: m.width,
            read_ports: rp,
            write_ports: 1,
            registered_read: false,
            init: None,
        });
    }
    // Debug read-back: tensor `dbg_sel`, word `dbg_addr`.
    items.push(comment("Debug read-back of tensor dbg_sel."));
    let mut dbg = konst(32, 0);
    for t in (0..n_tensors).rev() {
        let m = &mems[mem_of[t]];
        let word = if m.width == 32 {
            slice(&m.rdata, 31, 0)
        } else {
            concat(vec![konst(24, 0), slice(&m.rdata, 7, 0)])
        };
        dbg = cond(bin(BinOp::Eq, r(&dbg_sel), konst(8, t as u64)), word, dbg);
    }
    items.push(assign(r(&dbg_data), dbg));

    let doc = vec![
        format!(
            "Accelerator of network `{}`: {} units, {} multiplier modules.",
            net.name,
            units.len(),
            mult_modules.len()
        ),
        "Generated by codesign export-rtl.".to_string(),
    ];
    modules.push(module(top_name.clone(), doc, vec![], ports, items));

    let tensors = (0..n_tensors)
        .map(|t| TensorInfo {
            id: t,
            producer: if t == 0 {
                "input".into()
            } else {
                net.nodes[t - 1].name.clone()
            },
            len: shapes[t].len(),
            memory: mems[mem_of[t]].inst.to_string(),
        })
        .collect();
    let top_file = format!("{top_name}.v");
    let mut sources: Vec<String> = used_blocks.iter().map(|b| b.0.to_string()).collect();
    sources.push(top_file);
    let cycles_estimate = units.iter().map(|u| u.cycles).sum();
    let manifest = Manifest {
        version: MANIFEST_VERSION,
        network: net.name.clone(),
        top: top_name.to_string(),
        signed: net.signed,
        input_len: net.input.len(),
        classes: net.classes,
        tensors,
        units,
        sources,
        testbench: blocks::TB_ACCEL.0.to_string(),
        cycles_estimate,
        memories,
    };
    let verilog = File {
        header: vec![format!(
            "Accelerator of `{}`, generated by codesign export-rtl.",
            sanitize(&net.name)
        )],
        modules,
    };
    Ok(Design {
        manifest,
        verilog,
        blocks: used_blocks,
        hex,
        netlists,
    })
}

/// Wire a pooling unit's single read port to its input buffer.
fn pool_unit(
    m: &mut Mem,
    s: &mut Scope,
    inst: &Ident,
    items: &mut Vec<Item>,
    conns: &mut Vec<(Ident, Expr)>,
    iaw: u32,
    unit: usize,
) {
    let wa = s.fresh(&format!("{inst}_in_addr"));
    items.push(wire(wa.clone(), iaw));
    let rd = m.reader(r(&wa), Some(unit));
    conns.push((fixed("in_addr"), r(&wa)));
    conns.push((fixed("in_data"), rd));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eda::{cosim, Tool};
    use crate::intnet::{sim::Simulator, testnet};
    use crate::rtl::fixtures::multiplier;

    #[test]
    fn random_network_cosimulates_with_exact_multipliers() {
        if !crate::eda::tools_for_test(&[Tool::Iverilog]) {
            return;
        }
        let net = testnet::random(1, false);
        let n_mac = net.mac_layers().count();
        let mults: Vec<(String, Netlist)> = (0..n_mac)
            .map(|_| ("exact".to_string(), multiplier("exact", false, 0)))
            .collect();
        let design = build(&net, &mults, Some(4)).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        design.write(dir).unwrap();
        let images = testnet::random_images(2, &net, 2);
        let runs =
            cosim::run_accel(dir, &design.manifest, &images, cosim::Sim::Iverilog, 2).unwrap();
        let sim = Simulator::exact(&net).unwrap();
        let exp: Vec<Vec<Vec<i32>>> = images
            .chunks(net.input.len())
            .map(|im| sim.forward_trace(im).tensors)
            .collect();
        let rep = cosim::compare(&design.manifest, &runs, &exp, cosim::Sim::Iverilog);
        assert_eq!(rep.mismatches, 0, "{:?}", rep.first_mismatches);
    }
}
