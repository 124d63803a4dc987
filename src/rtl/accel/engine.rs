//! The MAC engine of one multiplying layer: its generated module (the
//! `mac_engine` block, the layer's lanes module and its ROM macros) and
//! the memory images of its ROMs.

use super::super::memory::{MemoryInfo, MemoryKind};
use super::addr_bits;
use crate::intnet::{MacLayer, Op, Shape};
use crate::verilog::ast::*;
use crate::verilog::build::*;
use crate::verilog::names::{fixed, Scope};

/// Input geometry an engine sees: `(IC, IH, IW)`.
pub(super) fn engine_input(op: &Op, l: &MacLayer, s: Shape) -> (usize, usize, usize) {
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
pub(super) fn engine_hex(l: &MacLayer, p: usize) -> [String; 4] {
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
pub(super) fn lanes_module(name: Ident, mult: &Ident, p: usize) -> Module {
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

/// ROM macros of one engine: `(file, width, depth)` of the weights and of
/// the per-channel bias, multiplier and shift (every one read on the clock
/// edge, as an SRAM macro's registered read port).
pub(super) struct EngineRoms {
    pub weights: (String, u32, usize),
    pub per_channel: [(String, u32); 3],
    pub channels: usize,
}

/// The engine of one layer: the `mac_engine` block with `params`, the
/// layer's lanes module and its ROMs, behind the engine's memory-side ports.
pub(super) fn engine_module(
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
    // read on the clock edge too (the engine addresses them a cycle ahead).
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
            true,
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
