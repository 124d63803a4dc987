//! The units of the accelerator, one emitter per node kind: the MAC engine
//! of a conv or linear layer, the pooling unit, the residual adder. Each
//! wires its reads to the activation buffers and returns what the top
//! instantiates and the manifest records ([`Unit`]); [`Top::unit`] wires
//! the common handshake and the output buffer's write port around them.

use super::buffers::Mem;
use super::engine::{engine_hex, engine_input, engine_module, lanes_module, EngineRoms};
use super::{lanes_for, mult_bits, unsupported, UnitInfo};
use crate::error::Result;
use crate::intnet::{AddRescale, IntNetwork, MacLayer, Node, Op, Shape, TensorId};
use crate::rtl::blocks::{self, Block};
use crate::rtl::memory::MemoryInfo;
use crate::verilog::ast::*;
use crate::verilog::build::*;
use crate::verilog::names::{fixed, Scope};

/// The accelerator being built: names, generated modules, buffers and the
/// top's unit items, shared by every unit emitter.
pub(super) struct Top<'a> {
    /// The network.
    pub net: &'a IntNetwork,
    /// Shape of every tensor.
    pub shapes: Vec<Shape>,
    /// Per tensor: two's complement words (raw accumulators, residual branches).
    pub raw: Vec<bool>,
    /// Names in the top module.
    pub s: Scope,
    /// Module names.
    pub modules_scope: Scope,
    /// Generated modules (multipliers, lanes, engines; the top last).
    pub modules: Vec<Module>,
    /// Activation buffers.
    pub mems: Vec<Mem>,
    /// Buffer of each tensor (flatten shares its input's).
    pub mem_of: Vec<usize>,
    /// The units' wires, instances and assigns, in emission order.
    pub items: Vec<Item>,
    /// ROM contents: (file name, text).
    pub hex: Vec<(String, String)>,
    /// ROM file prefixes.
    pub hex_scope: Scope,
    /// Memory macros of the engines (ROMs), then of the buffers.
    pub memories: Vec<MemoryInfo>,
    /// Hand-written blocks the design uses.
    pub used_blocks: Vec<Block>,
}

/// One unit's connections as its emitter gets them: its index in the
/// sequencer, instance name, port connections so far, the write-data wire
/// and the input buffer.
pub(super) struct UnitPorts {
    /// Index in the sequencer.
    pub k: usize,
    /// Instance name.
    pub inst: Ident,
    /// Port connections (the handshake and output write ports so far).
    pub conns: Vec<(Ident, Expr)>,
    /// The unit's write-data wire (declared by the emitter: 32 or 8 bits).
    pub wdata: Ident,
    /// Input buffer.
    pub in_m: usize,
    /// Input tensor shape.
    pub in_shape: Shape,
}

/// What the top instantiates for a unit and the manifest records of it.
pub(super) struct Unit {
    /// Module of the instance (a generated engine, or a block).
    pub module: Ident,
    /// Parameters of the instance.
    pub params: Vec<(Ident, Value)>,
    /// Clock cycles once started (the schedule).
    pub cycles: u64,
    /// Engines: library id, multiplier module, lanes module, lanes.
    pub mac: Option<(String, String, String, usize)>,
    /// The hand-written block the unit is or wraps.
    pub block: Block,
    /// `mac_engine`, `pool` or `residual_add`.
    pub kind: &'static str,
}

/// A unit's handshake wires with the sequencer.
pub(super) struct Handshake {
    /// The sequencer's start pulse to the unit.
    pub start: Ident,
    /// The unit's done back to the sequencer.
    pub done: Ident,
}

fn int(v: usize) -> Value {
    Value::Int(v as i64)
}

fn named(ps: Vec<(&str, Value)>) -> Vec<(Ident, Value)> {
    ps.into_iter().map(|(k, v)| (fixed(k), v)).collect()
}

impl Top<'_> {
    /// Emit the unit of node `i` (not a flatten), the `k`-th the sequencer
    /// starts: its handshake and output-write wires, the unit itself
    /// (`mac`: library id and multiplier module of a multiplying layer),
    /// its instance and the output buffer's write port. Returns what the
    /// manifest records and the handshake wires.
    pub fn unit(
        &mut self,
        i: usize,
        node: &Node,
        mac: Option<(&str, &Ident)>,
        lanes: Option<usize>,
        [clk, rst]: [&Ident; 2],
        k: usize,
    ) -> Result<(UnitInfo, Handshake)> {
        let out_m = self.mem_of[TensorId::output_of(i)];
        let inst = self.s.fresh(&format!("u_{}", node.name));
        let start = self.s.fresh(&format!("{inst}_start"));
        let done = self.s.fresh(&format!("{inst}_done"));
        let we = self.s.fresh(&format!("{inst}_we"));
        let waddr = self.s.fresh(&format!("{inst}_waddr"));
        let wdata = self.s.fresh(&format!("{inst}_wdata"));
        let (oaw, owidth) = (self.mems[out_m].aw, self.mems[out_m].width);
        let mut u = UnitPorts {
            k,
            inst: inst.clone(),
            conns: vec![
                (fixed("clk"), r(clk)),
                (fixed("rst"), r(rst)),
                (fixed("start"), r(&start)),
                (fixed("done"), r(&done)),
                (fixed("out_we"), r(&we)),
                (fixed("out_addr"), r(&waddr)),
                (fixed("out_data"), r(&wdata)),
            ],
            wdata: wdata.clone(),
            in_m: self.mem_of[node.input],
            in_shape: self.shapes[node.input],
        };
        self.items.push(wire(start.clone(), 1));
        self.items.push(wire(done.clone(), 1));
        self.items.push(wire(we.clone(), 1));
        self.items.push(wire(waddr.clone(), oaw));
        let unit = match (&node.op, mac) {
            (Op::Conv(l) | Op::Linear(l), Some(mult)) => {
                self.mac_unit(node, l, &mut u, mult, lanes, out_m)?
            }
            (Op::MaxPool { .. } | Op::AvgPool { .. } | Op::GlobalAvgPool, _) => {
                self.pool_unit(node, &mut u, out_m)
            }
            (Op::Add { other, params }, _) => self.add_unit(node, &mut u, *other, params)?,
            (Op::Conv(_) | Op::Linear(_), None) => unreachable!("build: a multiplier per layer"),
            (Op::Flatten, _) => unreachable!("flatten shares its input's buffer"),
        };
        if !self.used_blocks.contains(&unit.block) {
            self.used_blocks.push(unit.block);
        }
        let out_data = if owidth == 32 {
            r(&wdata)
        } else {
            slice(&wdata, owidth - 1, 0)
        };
        self.mems[out_m].write = Some((r(&we), r(&waddr), out_data));
        self.items.push(instance(
            unit.module.clone(),
            inst.clone(),
            unit.params,
            u.conns,
        ));
        let (multiplier, multiplier_module, lanes_module, lanes) = match unit.mac {
            Some((id, m, l, p)) => (Some(id), Some(m), Some(l), p),
            None => (None, None, None, 0),
        };
        let info = UnitInfo {
            layer: node.name.clone(),
            instance: inst.to_string(),
            module: unit.module.to_string(),
            kind: unit.kind.to_string(),
            multiplier,
            multiplier_module,
            lanes_module,
            lanes,
            cycles: unit.cycles,
        };
        Ok((info, Handshake { start, done }))
    }

    /// Address bits of buffer `m`.
    fn aw(&self, m: usize) -> u32 {
        self.mems[m].aw
    }

    /// A read port of unit `u` on buffer `m` at a fresh `{inst}_{what}`
    /// address wire; returns the address wire and the read data.
    fn read_port(&mut self, u: &UnitPorts, m: usize, what: &str) -> (Ident, Expr) {
        let addr = self.s.fresh(&format!("{}_{what}", u.inst));
        let aw = self.aw(m);
        self.items.push(wire(addr.clone(), aw));
        let data = self.mems[m].reader(r(&addr), Some(u.k));
        (addr, data)
    }

    /// The engine of multiplying layer `l` (node `node`), `lanes` lanes of
    /// multiplier module `mult` (library id `mult_id`), writing buffer `out_m`.
    pub fn mac_unit(
        &mut self,
        node: &Node,
        l: &MacLayer,
        u: &mut UnitPorts,
        (mult_id, mult): (&str, &Ident),
        lanes: Option<usize>,
        out_m: usize,
    ) -> Result<Unit> {
        let net = self.net;
        self.items.push(wire(u.wdata.clone(), 32));
        let in_shape = u.in_shape;
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
        let kk = l.fan_in();
        let p = lanes_for(l.out_ch, lanes);
        let ngroup = l.out_ch.div_ceil(p);
        if ngroup * kk >= 1 << 24 {
            return Err(unsupported(
                net,
                &node.name,
                "weight memory too deep for the engine",
            ));
        }
        let prefix = self.hex_scope.fresh(&node.name);
        let files: Vec<String> = ["w", "b", "m", "s"]
            .iter()
            .map(|k| format!("{prefix}_{k}.hex"))
            .collect();
        for (f, text) in files.iter().zip(engine_hex(l, p)) {
            self.hex.push((f.clone(), text));
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
        let lanes_name = self.modules_scope.fresh(&format!("{}_lanes", node.name));
        self.modules.push(lanes_module(lanes_name.clone(), mult, p));
        let (w_ia, rd) = self.read_port(u, u.in_m, "in_addr");
        u.conns.push((fixed("in_addr"), r(&w_ia)));
        u.conns.push((fixed("in_data"), rd));
        let (iaw, oaw) = (self.aw(u.in_m), self.aw(out_m));
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
            // 0: raw accumulators, 1: requantized (ReLU), 2: rescaled.
            (
                "REQUANT",
                int(match &l.requant {
                    None => 0,
                    Some(r) if r.relu => 1,
                    Some(_) => 2,
                }),
            ),
            ("ACT_MAX", Value::Int(net.act_max as i64)),
            ("MW", int(mult_bits(l))),
            ("IAW", Value::Int(iaw as i64)),
            ("OAW", Value::Int(oaw as i64)),
        ];
        // Per output position and channel group: kk issue cycles, one drain
        // cycle, then one write per channel.
        let cycles = (o.h * o.w * (ngroup * (kk + 1) + o.c)) as u64;
        let engine_name = self.modules_scope.fresh(&format!("{}_engine", node.name));
        let (engine, roms) = engine_module(
            engine_name.clone(),
            &lanes_name,
            named(params),
            p as u32,
            iaw,
            oaw,
            &roms,
        );
        self.modules.push(engine);
        self.memories.extend(roms.into_iter().map(|m| MemoryInfo {
            name: format!("{}.{}", u.inst, m.name),
            unit: Some(node.name.clone()),
            ..m
        }));
        if !self.used_blocks.contains(&blocks::ROM) {
            self.used_blocks.push(blocks::ROM);
        }
        Ok(Unit {
            module: engine_name,
            params: vec![],
            cycles,
            mac: Some((
                mult_id.to_string(),
                mult.to_string(),
                lanes_name.to_string(),
                p,
            )),
            block: blocks::MAC_ENGINE,
            kind: "mac_engine",
        })
    }

    /// The pooling unit of `node` (max, average, or global average: an
    /// average pool whose window is the whole map), writing buffer `out_m`.
    pub fn pool_unit(&mut self, node: &Node, u: &mut UnitPorts, out_m: usize) -> Unit {
        let in_shape = u.in_shape;
        let (kh, kw, stride, mode) = match node.op {
            Op::MaxPool { kernel, stride } => (kernel, kernel, stride, 0),
            Op::AvgPool { kernel, stride } => (kernel, kernel, stride, 1),
            _ => (in_shape.h, in_shape.w, 1, 1),
        };
        self.items.push(wire(u.wdata.clone(), 8));
        let (wa, rd) = self.read_port(u, u.in_m, "in_addr");
        u.conns.push((fixed("in_addr"), r(&wa)));
        u.conns.push((fixed("in_data"), rd));
        let (iaw, oaw) = (self.aw(u.in_m), self.aw(out_m));
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
        Unit {
            module: fixed("pool"),
            params: named(params),
            cycles: (o.len() * (kh * kw + 1)) as u64,
            mac: None,
            block: blocks::POOL,
            kind: "pool",
        }
    }

    /// The residual adder of `node`: its input plus tensor `other`, both as
    /// 32-bit words (raw accumulators and branches sign-extended,
    /// activations zero-extended), rescaled by `rescale`.
    pub fn add_unit(
        &mut self,
        node: &Node,
        u: &mut UnitPorts,
        other: TensorId,
        rescale: &AddRescale,
    ) -> Result<Unit> {
        let net = self.net;
        let in_shape = u.in_shape;
        self.items.push(wire(u.wdata.clone(), 8));
        let om = self.mem_of[other];
        let iaw = self.aw(u.in_m);
        if self.shapes[other].len() != in_shape.len() || self.aw(om) != iaw {
            return Err(unsupported(
                net,
                &node.name,
                "residual operands differ in size",
            ));
        }
        let (wa, wb) = (
            self.s.fresh(&format!("{}_a_addr", u.inst)),
            self.s.fresh(&format!("{}_b_addr", u.inst)),
        );
        self.items.push(wire(wa.clone(), iaw));
        self.items.push(wire(wb.clone(), iaw));
        let k = u.k;
        let word = |m: &mut Mem, addr: &Ident| m.reader32(r(addr), Some(k));
        let ra = word(&mut self.mems[u.in_m], &wa);
        let rb = word(&mut self.mems[om], &wb);
        u.conns.push((fixed("a_addr"), r(&wa)));
        u.conns.push((fixed("a_data"), ra));
        u.conns.push((fixed("b_addr"), r(&wb)));
        u.conns.push((fixed("b_data"), rb));
        let params = vec![
            ("N", int(in_shape.len())),
            ("AW", Value::Int(iaw as i64)),
            ("MA", Value::Int(rescale.mult_a as i64)),
            ("MB", Value::Int(rescale.mult_b as i64)),
            ("SH", Value::Int(rescale.shift as i64)),
            ("ACT_MAX", Value::Int(net.act_max as i64)),
            ("A_RAW", int(self.raw[node.input] as usize)),
            ("B_RAW", int(self.raw[other] as usize)),
        ];
        // The output address is as wide as the input's (same length). One
        // cycle per element plus one: the buffers' read latency.
        Ok(Unit {
            module: fixed("residual_add"),
            params: named(params),
            cycles: in_shape.len() as u64 + 1,
            mac: None,
            block: blocks::RESIDUAL_ADD,
            kind: "residual_add",
        })
    }
}
