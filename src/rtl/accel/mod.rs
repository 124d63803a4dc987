//! The accelerator of an integer network: one engine per multiplying layer
//! (hand-written `mac_engine` with `P` lanes of that layer's multiplier,
//! one per output channel of a group, sharing one input read per cycle),
//! pooling and residual units, one activation buffer per tensor (flatten
//! shares its input's), a sequencer that runs the nodes in order, and a
//! debug read port through which the test bench reads every tensor back.
//!
//! Only the top module, the engine and lanes modules and the multipliers
//! are generated (through the typed AST); every buffer and ROM is a memory
//! macro ([`super::memory`]), ROM contents in `.hex` files read with
//! `$readmemh`. Engines live in `engine`, buffers in `buffers`, the emitter of each
//! unit kind in `units`.

mod buffers;
mod engine;
mod units;

use super::blocks::{self, Block};
use super::memory::MemoryInfo;
use crate::error::{Error, Result};
use crate::intnet::{AddRescale, IntNetwork, Op, Shape, TensorId};
use crate::netlist::Netlist;
use crate::verilog::ast::*;
use crate::verilog::build::*;
use crate::verilog::names::{fixed, sanitize, Scope};
use buffers::Mem;
use serde::{Deserialize, Serialize};
use std::path::Path;
use units::{Handshake, Top};

/// The synthesis script (`yosys/synth.ys`) the export ships beside its
/// Verilog, so that `yosys -s synth.ys` (and `codesign synth`) run in it.
pub const SYNTH_YS: &str = include_str!("../../../yosys/synth.ys");

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
    /// Number of values (`c*h*w`).
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
    /// Parallel multiplier lanes (engines only; 0 otherwise).
    pub lanes: usize,
    /// Clock cycles the unit takes once started (from its schedule).
    pub cycles: u64,
}

/// What `export-rtl` writes beside the Verilog: enough for `cosim` and
/// `synth` to run without the network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Manifest format version.
    pub version: u32,
    /// Name of the integer network.
    pub network: String,
    /// Name of the top module.
    pub top: String,
    /// Signed (two's complement) multipliers.
    pub signed: bool,
    /// Bytes per input image (`c*h*w`).
    pub input_len: usize,
    /// Number of logits.
    pub classes: usize,
    /// Every tensor with its buffer, in id order.
    pub tensors: Vec<TensorInfo>,
    /// Units in the order the sequencer starts them.
    pub units: Vec<UnitInfo>,
    /// Design sources in compile order (blocks first).
    pub sources: Vec<String>,
    /// Testbench file name.
    pub testbench: String,
    /// Clock cycles per inference: the units' cycles plus the sequencer's
    /// handshake (2 per unit, 1 to `done`), what the test bench counts.
    pub cycles_estimate: u64,
    /// Memory macros (engines' ROMs, then activation buffers); synthesis
    /// reads them as black boxes and models their area.
    #[serde(default)]
    pub memories: Vec<MemoryInfo>,
}

/// A complete accelerator, ready to be written to a directory.
#[derive(Clone, Debug)]
pub struct Design {
    /// The manifest written beside the Verilog.
    pub manifest: Manifest,
    /// Generated modules (multipliers, lanes, top), in one file.
    pub verilog: File,
    /// Hand-written blocks the design instantiates.
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
        crate::io::write_atomic(dir.join("synth.ys"), SYNTH_YS.as_bytes())?;
        crate::io::write_json(
            crate::rundir::ExportDir::new(dir).manifest(),
            &self.manifest,
        )
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

/// Significant bits of a layer's largest requantization multiplier (at
/// least 1): the width of its engine's requantizing multiplier.
pub fn mult_bits(l: &crate::intnet::MacLayer) -> usize {
    let max = l
        .requant
        .as_ref()
        .and_then(|r| r.mult.iter().copied().max())
        .unwrap_or(0)
        .max(1) as u32;
    (32 - max.leading_zeros()) as usize
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
    let raw_ok = crate::intnet::raw_tensor_readers_ok(net);
    for (i, node) in net.nodes.iter().enumerate() {
        let is_last = i + 1 == net.nodes.len();
        let t = TensorId::output_of(i);
        if shapes[t].len() >= 1 << 16 {
            return Err(unsupported(
                net,
                &node.name,
                "tensors larger than 65535 values are not supported by the RTL",
            ));
        }
        if let Some(l) = node.mac() {
            match (&l.requant, is_last) {
                (None, false) if !raw_ok[t] => {
                    return Err(unsupported(
                        net,
                        &node.name,
                        "only the last layer and layers read only by residual additions may output raw accumulators",
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
        } else if let Op::Add {
            params: AddRescale { shift, .. },
            ..
        } = node.op
        {
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

/// The top module's ports: clock, reset, the start/done handshake, the
/// test bench's input write port and the debug read-back port.
struct TopPorts {
    clk: Ident,
    rst: Ident,
    start: Ident,
    done: Ident,
    in_we: Ident,
    in_addr: Ident,
    in_data: Ident,
    dbg_sel: Ident,
    dbg_addr: Ident,
    dbg_data: Ident,
}

impl TopPorts {
    /// Reserve the port names first, so no generated name takes them.
    fn reserve(s: &mut Scope) -> Self {
        TopPorts {
            clk: s.reserve("clk"),
            rst: s.reserve("rst"),
            start: s.reserve("start"),
            done: s.reserve("done"),
            in_we: s.reserve("in_we"),
            in_addr: s.reserve("in_addr"),
            in_data: s.reserve("in_data"),
            dbg_sel: s.reserve("dbg_sel"),
            dbg_addr: s.reserve("dbg_addr"),
            dbg_data: s.reserve("dbg_data"),
        }
    }

    fn ports(&self) -> Vec<Port> {
        vec![
            port(Dir::Input, self.clk.clone(), 1),
            port(Dir::Input, self.rst.clone(), 1),
            port(Dir::Input, self.start.clone(), 1),
            port(Dir::Output, self.done.clone(), 1),
            port(Dir::Input, self.in_we.clone(), 1),
            port(Dir::Input, self.in_addr.clone(), 32),
            port(Dir::Input, self.in_data.clone(), 8),
            port(Dir::Input, self.dbg_sel.clone(), 8),
            port(Dir::Input, self.dbg_addr.clone(), 32),
            port(Dir::Output, self.dbg_data.clone(), 32),
        ]
    }

    /// The input buffer's write port: the test bench writes tensor 0, with
    /// the network's input shift applied here.
    fn input_write(&self, net: &IntNetwork, aw: u32) -> (Expr, Expr, Expr) {
        let data = if net.input_shift == 0 {
            r(&self.in_data)
        } else {
            bin(
                BinOp::Shr,
                r(&self.in_data),
                konst(8, net.input_shift as u64),
            )
        };
        (r(&self.in_we), slice(&self.in_addr, aw - 1, 0), data)
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
    let mut modules_scope = Scope::new();
    for m in blocks::MODULE_NAMES {
        modules_scope.reserve(m);
    }
    let top_name = modules_scope.fresh(&format!("{}_top", net.name));
    let mut modules: Vec<Module> = vec![];
    let (mult_of_layer, netlists) = multiplier_modules(mults, &mut modules_scope, &mut modules);

    let mut s = Scope::new();
    let io = TopPorts::reserve(&mut s);
    let shapes = net.tensor_shapes();
    if shapes.len() > 256 {
        return Err(Error::input(format!(
            "network '{}' has more than 255 nodes; the debug port selects 256 tensors",
            net.name
        )));
    }
    let raw: Vec<bool> = std::iter::once(false)
        .chain(
            net.nodes
                .iter()
                .map(|n| n.mac().is_some_and(|l| l.raw_output())),
        )
        .collect();
    let (mut mems, mem_of) = plan_buffers(net, &shapes, &raw, &mut s);
    mems[0].write = Some(io.input_write(net, mems[0].aw));
    let mut top = Top {
        net,
        shapes,
        raw,
        s,
        modules_scope,
        modules,
        mems,
        mem_of,
        items: vec![],
        hex: vec![],
        hex_scope: Scope::new(),
        memories: vec![],
        used_blocks: vec![blocks::ACT_MEM, blocks::SEQUENCER, blocks::SIM_COUNTERS],
    };

    let mut units: Vec<UnitInfo> = vec![];
    let mut handshakes: Vec<Handshake> = vec![];
    let mut macs = mults.iter().zip(&mult_of_layer);
    for (i, node) in net.nodes.iter().enumerate() {
        if matches!(node.op, Op::Flatten) {
            continue;
        }
        let mac = node.mac().map(|_| {
            let ((id, _), module) = macs.next().expect("validate: one multiplier per layer");
            (id.as_str(), module)
        });
        let (info, handshake) =
            top.unit(i, node, mac, lanes, [&io.clk, &io.rst], handshakes.len())?;
        units.push(info);
        handshakes.push(handshake);
    }
    let Top {
        shapes,
        mut s,
        mut modules,
        mems,
        mem_of,
        items: unit_items,
        hex,
        mut memories,
        used_blocks,
        ..
    } = top;

    let (items, buffer_memories) = top_items(&mut s, &io, unit_items, &handshakes, &mems, &mem_of)?;
    memories.extend(buffer_memories);
    let doc = vec![
        format!(
            "Accelerator of network `{}`: {} units, {} multiplier modules.",
            net.name,
            units.len(),
            netlists.len()
        ),
        "Generated by codesign export-rtl.".to_string(),
    ];
    modules.push(module(top_name.clone(), doc, vec![], io.ports(), items));

    let tensors = tensor_infos(net, &shapes, &mems, &mem_of);
    let mut sources: Vec<String> = used_blocks.iter().map(|b| b.0.to_string()).collect();
    sources.push(format!("{top_name}.v"));
    // The sequencer's handshake: 2 cycles per unit (its start pulse is
    // registered, and it sees the unit's registered done a cycle later),
    // plus 1 to the accelerator's own done.
    let cycles_estimate = units.iter().map(|u| u.cycles).sum::<u64>() + 2 * units.len() as u64 + 1;
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

/// The top module's body: the sequencer, the units (`unit_items`, their
/// wires declared first, started by `handshakes`), the buffers and the
/// debug read-back; with the buffers' memory macros.
fn top_items(
    s: &mut Scope,
    io: &TopPorts,
    unit_items: Vec<Item>,
    handshakes: &[Handshake],
    mems: &[Mem],
    mem_of: &[usize],
) -> Result<(Vec<Item>, Vec<MemoryInfo>)> {
    let unit_done: Vec<Ident> = handshakes.iter().map(|h| h.done.clone()).collect();
    let (mut items, seq_start, seq_active) =
        sequencer(s, [&io.clk, &io.rst, &io.start, &io.done], &unit_done);
    items.push(comment("Units."));
    // Wires of units must be declared before their use in assigns.
    let (decls, rest): (Vec<Item>, Vec<Item>) = unit_items
        .into_iter()
        .partition(|it| matches!(it, Item::Wire { .. }));
    items.extend(decls);
    for (k, h) in handshakes.iter().enumerate() {
        items.push(assign(r(&h.start), bit(&seq_start, k as u32)));
    }
    items.extend(rest);
    let (buffer_items, memories) = buffers::instantiate(mems, &io.clk, &io.dbg_addr, &seq_active)?;
    items.extend(buffer_items);
    items.extend(debug_readback(mems, mem_of, &io.dbg_sel, &io.dbg_data));
    Ok((items, memories))
}

/// Every tensor as the test bench reads it back: its producer, length and
/// buffer.
fn tensor_infos(
    net: &IntNetwork,
    shapes: &[Shape],
    mems: &[Mem],
    mem_of: &[usize],
) -> Vec<TensorInfo> {
    (0..shapes.len())
        .map(|t| TensorInfo {
            id: t,
            producer: TensorId(t)
                .producer()
                .map_or_else(|| "input".into(), |i| net.nodes[i].name.clone()),
            len: shapes[t].len(),
            memory: mems[mem_of[t]].inst.to_string(),
        })
        .collect()
}

/// One module per distinct multiplier (library id and netlist): the
/// module of each multiplying layer in order, and each module's Yosys JSON
/// netlist (for the equivalence proof).
fn multiplier_modules(
    mults: &[(String, Netlist)],
    scope: &mut Scope,
    modules: &mut Vec<Module>,
) -> (Vec<Ident>, Vec<(String, String)>) {
    let mut distinct: Vec<(&str, &Netlist, Ident)> = vec![];
    let mut of_layer: Vec<Ident> = vec![];
    let mut netlists: Vec<(String, String)> = vec![];
    for (id, n) in mults {
        let ident = match distinct.iter().find(|(mid, mn, _)| mid == id && *mn == n) {
            Some((_, _, ident)) => ident.clone(),
            None => {
                let ident = scope.fresh(&format!("mul_{id}"));
                modules.push(crate::netlist::module::module_of(n, ident.clone()));
                netlists.push((
                    ident.to_string(),
                    crate::netlist::yosys_json::write(n, NETLIST_MODULE),
                ));
                distinct.push((id, n, ident.clone()));
                ident
            }
        };
        of_layer.push(ident);
    }
    (of_layer, netlists)
}

/// Bits of a two's complement word that holds every output of layer `l`
/// when it is not clamped (raw accumulators, or a residual branch rescaled
/// by `mult / 2^shift`), for any multiplier: the contract bounds each
/// product by `|prod| <= 2^16` (DESIGN.md, "The integer network"), so
/// `|acc| <= |bias| + fan_in * 2^16`, and the rescaled value by
/// `|acc| * mult / 2^shift + 1`. At most 32.
pub fn raw_bits(l: &crate::intnet::MacLayer) -> u32 {
    let acc = |o: usize| l.bias[o].unsigned_abs() as u64 + ((l.fan_in() as u64) << 16);
    let bound = (0..l.out_ch)
        .map(|o| match &l.requant {
            Some(r) => ((acc(o) * r.mult[o] as u64) >> r.shift[o]) + 2,
            None => acc(o),
        })
        .max()
        .unwrap_or(0);
    // Values in -bound..=bound need the magnitude's bits plus a sign bit.
    (64 - bound.leading_zeros() + 1).min(32)
}

/// One buffer per tensor (flatten shares its input's): 8-bit words for
/// activations, two's complement words of [`raw_bits`] for raw
/// accumulators (the logits, residual branches; `raw`): the buffers and
/// each tensor's buffer index.
fn plan_buffers(
    net: &IntNetwork,
    shapes: &[Shape],
    raw: &[bool],
    s: &mut Scope,
) -> (Vec<Mem>, Vec<usize>) {
    let mut mems: Vec<Mem> = vec![];
    let mut mem_of: Vec<usize> = vec![];
    for (t, shape) in shapes.iter().enumerate() {
        let node = TensorId(t).producer().map(|i| &net.nodes[i]);
        if let Some(nd) = node.filter(|n| matches!(n.op, Op::Flatten)) {
            mem_of.push(mem_of[nd.input]);
            continue;
        }
        let base = node.map(|n| n.name.as_str()).unwrap_or("input");
        let depth = shape.len().max(1);
        let inst = s.fresh(&format!("buf_{base}"));
        let raddr = s.fresh(&format!("{inst}_raddr"));
        let rdata = s.fresh(&format!("{inst}_rdata"));
        let producer = node.and_then(|n| n.mac());
        mems.push(Mem {
            inst,
            width: match producer {
                Some(l) if raw[t] => raw_bits(l),
                _ => 8,
            },
            signed: raw[t],
            depth,
            aw: addr_bits(depth),
            reads: vec![],
            write: None,
            raddr,
            rdata,
        });
        mem_of.push(mems.len() - 1);
    }
    (mems, mem_of)
}

/// The sequencer that runs the units in node order (`ports`: clk, rst,
/// start, done of the top), its done inputs wired to `unit_done`: its items
/// and the wires of its start pulses and active unit.
fn sequencer(s: &mut Scope, ports: [&Ident; 4], unit_done: &[Ident]) -> (Vec<Item>, Ident, Ident) {
    let [clk, rst, start, done] = ports;
    let n_units = unit_done.len() as u32;
    let seq_start = s.fresh("seq_unit_start");
    let seq_done = s.fresh("seq_unit_done");
    let seq_active = s.fresh("seq_unit_active");
    let items = vec![
        comment("Sequencer: runs the units in node order."),
        wire(seq_start.clone(), n_units),
        wire(seq_done.clone(), n_units),
        wire(seq_active.clone(), n_units),
        instance(
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
                (fixed("clk"), r(clk)),
                (fixed("rst"), r(rst)),
                (fixed("start"), r(start)),
                (fixed("unit_done"), r(&seq_done)),
                (fixed("unit_start"), r(&seq_start)),
                (fixed("active"), r(&seq_active)),
                (fixed("done"), r(done)),
            ],
        ),
        assign(
            r(&seq_done),
            concat(unit_done.iter().rev().map(r).collect()),
        ),
    ];
    (items, seq_start, seq_active)
}

/// The debug read-back: tensor `dbg_sel`'s word at the buffers' debug
/// address, zero-extended to 32 bits, on `dbg_data`.
fn debug_readback(mems: &[Mem], mem_of: &[usize], dbg_sel: &Ident, dbg_data: &Ident) -> Vec<Item> {
    let mut dbg = konst(32, 0);
    for t in (0..mem_of.len()).rev() {
        let m = &mems[mem_of[t]];
        let word = m.word32(0);
        dbg = cond(bin(BinOp::Eq, r(dbg_sel), konst(8, t as u64)), word, dbg);
    }
    vec![
        comment("Debug read-back of tensor dbg_sel."),
        assign(r(dbg_data), dbg),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eda::cosim;
    use crate::intnet::{sim::Simulator, testnet};
    use crate::rtl::fixtures::multiplier;
    use crate::tool::Tool;

    #[test]
    fn accelerator_top_of_a_small_network_matches_golden() {
        let net = testnet::random(1, false);
        let mults: Vec<(String, Netlist)> = (0..net.mac_layers().count())
            .map(|_| ("exact".to_string(), multiplier("exact", false, 0)))
            .collect();
        let design = build(&net, &mults, Some(4)).unwrap();
        crate::golden::check("rtl/accel_random_top.v", &design.verilog.to_string());
    }

    /// A raw tensor's words hold the contract's worst case and no more: the
    /// smallest two's complement width whose range covers the bound.
    #[test]
    fn raw_words_are_as_wide_as_the_worst_case_needs() {
        let mut l = testnet::random(1, false)
            .mac_layers()
            .next()
            .unwrap()
            .1
            .clone();
        l.in_ch = 64;
        l.kernel = 3;
        l.bias = vec![0; l.out_ch];
        let fits = |bound: i64| (1..=32u32).find(|w| bound < 1i64 << (w - 1)).unwrap();
        l.requant = None;
        // 576 products of at most 2^16 each.
        assert_eq!(raw_bits(&l), fits(576 << 16));
        assert_eq!(raw_bits(&l), 27);
        let out = l.out_ch;
        l.requant = Some(crate::intnet::Requant {
            mult: vec![1; out],
            shift: vec![8; out],
            relu: false,
        });
        assert_eq!(raw_bits(&l), fits(((576i64 << 16) >> 8) + 2));
        l.bias[0] = 1 << 30;
        l.requant = None;
        assert_eq!(raw_bits(&l), 32);
    }

    #[test]
    fn random_network_cosimulates_with_exact_multipliers() {
        if !crate::tool::tools_for_test(&[Tool::Iverilog]) {
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
        // The schedule is exact: units, handshakes and memory latencies.
        assert_eq!(
            rep.cycles_per_inference,
            design.manifest.cycles_estimate as f64
        );
    }
}
