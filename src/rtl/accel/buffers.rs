//! Activation buffers: one `act_mem` macro per tensor, its readers sharing
//! one read port through a multiplexer on the sequencer's active unit.

use super::super::memory::{MemoryInfo, MemoryKind};
use crate::error::{Error, Result};
use crate::verilog::ast::*;
use crate::verilog::build::*;
use crate::verilog::names::fixed;

/// One activation buffer being wired up.
pub(super) struct Mem {
    pub inst: Ident,
    /// Word width: 8 for activations; for signed tensors (raw accumulators,
    /// residual branches) the bits their values need ([`super::raw_bits`]).
    pub width: u32,
    /// Words are two's complement (raw accumulators, residual branches).
    pub signed: bool,
    pub depth: usize,
    pub aw: u32,
    /// Readers: (unit index, or `None` for the debug port; address; port).
    pub reads: Vec<(Option<usize>, Expr, u32)>,
    pub write: Option<(Expr, Expr, Expr)>,
    pub raddr: Ident,
    pub rdata: Ident,
}

impl Mem {
    /// Add a reader (unit `unit`, or the debug port) addressing `addr`;
    /// returns the read data it gets. Readers share port 0 (one unit runs
    /// at a time, the debug port only when none does); a unit that reads
    /// the buffer more than once at a time gets further ports.
    pub fn reader(&mut self, addr: Expr, unit: Option<usize>) -> Expr {
        let port = match unit {
            Some(_) => self.reads.iter().filter(|r| r.0 == unit).count() as u32,
            None => 0,
        };
        self.reads.push((unit, addr, port));
        part(&self.rdata, port * self.width, self.width)
    }

    /// The word of read port `port` widened to 32 bits: sign-extended for
    /// signed tensors, zero-extended for activations.
    pub fn word32(&self, port: u32) -> Expr {
        let lo = port * self.width;
        let data = part(&self.rdata, lo, self.width);
        if self.width >= 32 {
            return data;
        }
        let fill = 32 - self.width;
        let mut parts = if self.signed {
            vec![bit(&self.rdata, lo + self.width - 1); fill as usize]
        } else {
            vec![konst(fill, 0)]
        };
        parts.push(data);
        concat(parts)
    }

    /// Add a reader like [`Mem::reader`]; returns its word widened to 32
    /// bits ([`Mem::word32`]).
    pub fn reader32(&mut self, addr: Expr, unit: Option<usize>) -> Expr {
        self.reader(addr, unit);
        let port = self.reads.last().map_or(0, |r| r.2);
        self.word32(port)
    }

    /// Read ports of the macro.
    pub fn ports(&self) -> u32 {
        self.reads.iter().map(|r| r.2 + 1).max().unwrap_or(1)
    }

    /// Address of read port `port`: the active unit's, else the debug
    /// port's (port 0) or zero.
    pub fn port_addr(&self, port: u32, active: &Ident, debug: Expr) -> Expr {
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

/// The buffer macros (`act_mem`, each read port's address multiplexed on
/// the sequencer's `active` unit, the debug address `dbg_addr` when no
/// unit runs) and their manifest entries. Errors if a buffer has no writer.
pub(super) fn instantiate(
    mems: &[Mem],
    clk: &Ident,
    dbg_addr: &Ident,
    active: &Ident,
) -> Result<(Vec<Item>, Vec<MemoryInfo>)> {
    let mut items = vec![];
    let mut memories = vec![];
    items.push(comment(
        "Activation buffers: read port 0 serves the active unit, else the debug port.",
    ));
    for m in mems {
        let rp = m.ports();
        items.push(wire(m.raddr.clone(), rp * m.aw));
        items.push(wire(m.rdata.clone(), rp * m.width));
        let addrs = (0..rp)
            .rev()
            .map(|p| m.port_addr(p, active, slice(dbg_addr, m.aw - 1, 0)))
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
                (fixed("clk"), r(clk)),
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
            registered_read: true,
            init: None,
        });
    }
    Ok((items, memories))
}
