//! Access counts of the generated architecture per inference: what each
//! unit of an export does, from its schedule ([`schedule`], the same
//! arithmetic as the blocks' comments in `rtl/`), and the same events as
//! the RTL counts them in co-simulation ([`parse_counters`]: every block
//! prints its counters when it finishes, outside synthesis). The two must
//! agree; [`memory_accesses`] then turns the counts into reads and writes
//! per memory macro, which the report multiplies by each macro's per-access
//! energy.
//!
//! Events per unit and run (one inference):
//! - `act_reads`: reads of the unit's input buffer (an engine's issue
//!   cycles, one activation byte broadcast to every lane; a pooling unit's
//!   window reads; a residual unit's first operand);
//! - `other_reads`: reads of a residual unit's second operand;
//! - `weight_rows`: an engine's weight-ROM row reads (`P` bytes each, one
//!   per issue cycle);
//! - `mac_cycles`: cycles in which an engine's lanes accumulate a product
//!   (every lane multiplies then: lane MACs = `mac_cycles * lanes`);
//! - `writes`: words written to the unit's output buffer (an engine also
//!   reads its per-channel bias, multiplier and shift once per write and
//!   requantizes then, unless it outputs raw accumulators).
//!
//! A read is counted per cycle in which the reader addresses the memory
//! (the macro's chip enable is the reader's read state); a padded
//! position's read is counted (the engine addresses the buffer and
//! discards the word).

use crate::error::{Error, Result};
use crate::intnet::{IntNetwork, Op, TensorId};
use crate::rtl::accel::Manifest;
use crate::rtl::memory::MemoryKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Events of one unit in one inference (see the module doc).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitCounts {
    /// Reads of the input buffer.
    pub act_reads: u64,
    /// Reads of a residual unit's second operand buffer.
    pub other_reads: u64,
    /// Weight-ROM row reads (engines).
    pub weight_rows: u64,
    /// Cycles in which every lane accumulates a product (engines).
    pub mac_cycles: u64,
    /// Words written to the output buffer.
    pub writes: u64,
}

/// Counts of one unit of an export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitActivity {
    /// Node (layer) name.
    pub layer: String,
    /// Instance in the top module.
    pub instance: String,
    /// `mac_engine`, `pool` or `residual_add`.
    pub kind: String,
    /// Lanes (engines; 0 otherwise).
    pub lanes: usize,
    /// The counts per inference.
    pub counts: UnitCounts,
}

/// The node of `net` a unit of the manifest runs, with its index.
fn node_of<'a>(net: &'a IntNetwork, layer: &str) -> Result<(usize, &'a crate::intnet::Node)> {
    net.nodes
        .iter()
        .enumerate()
        .find(|(_, n)| n.name == layer)
        .ok_or_else(|| {
            Error::input(format!(
                "manifest unit `{layer}` is not a node of network `{}`",
                net.name
            ))
        })
}

/// Per-inference counts of every unit of `manifest` (in sequencer order)
/// from the schedule of the network `net` it was built from:
/// - engine, output `OC x OH x OW`, `KK = IC*K*K`, `G = ceil(OC / P)`:
///   `act_reads = weight_rows = mac_cycles = OH*OW*G*KK`, `writes = OC*OH*OW`
///   (`rtl/mac_engine.v`);
/// - pooling, output of `n` values, `KH x KW` window (the whole map for a
///   global pool): `act_reads = n*KH*KW`, `writes = n` (`rtl/pool.v`);
/// - residual addition of `n` values: `act_reads = other_reads = writes = n`
///   (`rtl/residual_add.v`).
///
/// Errors: a unit that names no node of `net`.
pub fn schedule(manifest: &Manifest, net: &IntNetwork) -> Result<Vec<UnitActivity>> {
    let shapes = net.tensor_shapes();
    manifest
        .units
        .iter()
        .map(|u| {
            let (i, node) = node_of(net, &u.layer)?;
            let out = node.out;
            let input = shapes[node.input];
            let positions = (out.h * out.w) as u64;
            let counts = match &node.op {
                Op::Conv(l) | Op::Linear(l) => {
                    let p = u.lanes.max(1);
                    let groups = l.out_ch.div_ceil(p) as u64;
                    let issue = positions * groups * (l.in_ch * l.kernel * l.kernel) as u64;
                    UnitCounts {
                        act_reads: issue,
                        weight_rows: issue,
                        mac_cycles: issue,
                        writes: out.len() as u64,
                        ..Default::default()
                    }
                }
                Op::MaxPool { kernel, .. } | Op::AvgPool { kernel, .. } => UnitCounts {
                    act_reads: (out.len() * kernel * kernel) as u64,
                    writes: out.len() as u64,
                    ..Default::default()
                },
                Op::GlobalAvgPool => UnitCounts {
                    act_reads: (out.len() * input.h * input.w) as u64,
                    writes: out.len() as u64,
                    ..Default::default()
                },
                Op::Add { .. } => UnitCounts {
                    act_reads: input.len() as u64,
                    other_reads: input.len() as u64,
                    writes: out.len() as u64,
                    ..Default::default()
                },
                Op::Flatten => {
                    return Err(Error::input(format!(
                        "manifest unit `{}` is node {i}, a flatten (no unit)",
                        u.layer
                    )))
                }
            };
            Ok(UnitActivity {
                layer: u.layer.clone(),
                instance: u.instance.clone(),
                kind: u.kind.clone(),
                lanes: u.lanes,
                counts,
            })
        })
        .collect()
}

/// The line prefix of the blocks' counter dumps in the simulator's output.
pub const COUNTER_LINE: &str = "counters";

/// Parse the counter lines the blocks print when they finish a run
/// (`counters <hierarchical name> act_reads N other_reads N weight_rows N
/// mac_cycles N writes N`), in order: `(instance in the top module, counts)`.
/// The instance is the path component below the test bench's `dut`.
/// Errors name the output line.
pub fn parse_counters(stdout: &str) -> Result<Vec<(String, UnitCounts)>> {
    let mut out = vec![];
    for (i, line) in stdout.lines().enumerate() {
        let mut w = line.split_whitespace();
        if w.next() != Some(COUNTER_LINE) {
            continue;
        }
        let bad =
            |what: &str| Error::input(format!("simulator output line {}: {what}: `{line}`", i + 1));
        let path = w.next().ok_or_else(|| bad("no instance"))?;
        let instance = path
            .split('.')
            .skip_while(|c| *c != "dut")
            .nth(1)
            .ok_or_else(|| bad("instance not below `dut`"))?
            .to_string();
        let mut c = UnitCounts::default();
        let rest: Vec<&str> = w.collect();
        if rest.len() != 10 {
            return Err(bad("expected 5 counters"));
        }
        for kv in rest.chunks(2) {
            let v: u64 = kv[1].parse().map_err(|_| bad("counter is not a number"))?;
            match kv[0] {
                "act_reads" => c.act_reads = v,
                "other_reads" => c.other_reads = v,
                "weight_rows" => c.weight_rows = v,
                "mac_cycles" => c.mac_cycles = v,
                "writes" => c.writes = v,
                _ => return Err(bad("unknown counter")),
            }
        }
        out.push((instance, c));
    }
    Ok(out)
}

/// The measured counts per inference of every unit of `manifest` from the
/// counter dumps of `images` runs: each unit must have finished once per
/// image with the same counts every time (the schedule does not depend on
/// the data). Errors say which unit differs or is missing.
pub fn measured(
    manifest: &Manifest,
    dumps: &[(String, UnitCounts)],
    images: usize,
) -> Result<Vec<UnitActivity>> {
    manifest
        .units
        .iter()
        .map(|u| {
            let runs: Vec<&UnitCounts> = dumps
                .iter()
                .filter(|(inst, _)| inst == &u.instance)
                .map(|(_, c)| c)
                .collect();
            if runs.len() != images {
                return Err(Error::input(format!(
                    "unit `{}` reported its counters {} times in {images} images",
                    u.instance,
                    runs.len()
                )));
            }
            let first = *runs.first().ok_or_else(|| {
                Error::input(format!("unit `{}`: no counters (no images)", u.instance))
            })?;
            if let Some(k) = runs.iter().position(|c| *c != first) {
                return Err(Error::input(format!(
                    "unit `{}`: counters of image {k} differ from image 0's",
                    u.instance
                )));
            }
            Ok(UnitActivity {
                layer: u.layer.clone(),
                instance: u.instance.clone(),
                kind: u.kind.clone(),
                lanes: u.lanes,
                counts: *first,
            })
        })
        .collect()
}

/// Reads and writes of one memory macro per inference.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryAccesses {
    /// Word reads.
    pub reads: u64,
    /// Word writes.
    pub writes: u64,
}

/// Operations per inference beside memory accesses.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Operations {
    /// Lane multiplications per engine layer (`mac_cycles * lanes`; the
    /// lanes of a last, partial channel group multiply too).
    pub lane_macs: BTreeMap<String, u64>,
    /// 32-bit accumulations (one per lane MAC).
    pub accumulations: u64,
    /// Bias additions (one per engine output).
    pub bias_adds: u64,
    /// Requantizations (engine outputs of requantizing layers).
    pub requantizations: u64,
    /// Pooling window operations (compare or add, one per window read).
    pub pool_ops: u64,
    /// Residual additions (two constant multiplications, an add, a shift).
    pub residual_ops: u64,
}

/// Memory accesses (by macro name, as in `manifest.memories`) and
/// operations of one inference from unit counts: input buffers read by
/// their readers, output buffers written by their producers and the input
/// image loaded once (`input_len` writes), an engine's weight ROM read per
/// row and its per-channel ROMs once per output write (the shift and
/// multiplier ROMs of a layer without requantization are not read).
/// Errors: a unit or memory the manifest or network does not have.
pub fn memory_accesses(
    manifest: &Manifest,
    net: &IntNetwork,
    units: &[UnitActivity],
) -> Result<(BTreeMap<String, MemoryAccesses>, Operations)> {
    let mut mem: BTreeMap<String, MemoryAccesses> = manifest
        .memories
        .iter()
        .map(|m| (m.name.clone(), MemoryAccesses::default()))
        .collect();
    let buffer = |t: TensorId| -> Result<String> {
        manifest
            .tensors
            .get(t.index())
            .map(|t| t.memory.clone())
            .ok_or_else(|| Error::input(format!("manifest has no tensor {t}")))
    };
    let mut add = |name: &str, reads: u64, writes: u64| -> Result<()> {
        let m = mem
            .get_mut(name)
            .ok_or_else(|| Error::input(format!("manifest has no memory `{name}`")))?;
        m.reads += reads;
        m.writes += writes;
        Ok(())
    };
    add(&buffer(TensorId::INPUT)?, 0, manifest.input_len as u64)?;
    let mut ops = Operations::default();
    for u in units {
        let (i, node) = node_of(net, &u.layer)?;
        let c = &u.counts;
        add(&buffer(node.input)?, c.act_reads, 0)?;
        add(&buffer(TensorId::output_of(i))?, 0, c.writes)?;
        match &node.op {
            Op::Conv(l) | Op::Linear(l) => {
                let rom = |kind: MemoryKind| -> Result<String> {
                    manifest
                        .memories
                        .iter()
                        .find(|m| m.kind == kind && m.unit.as_deref() == Some(&u.layer))
                        .map(|m| m.name.clone())
                        .ok_or_else(|| {
                            Error::input(format!(
                                "manifest: engine `{}` has no {kind:?} ROM",
                                u.layer
                            ))
                        })
                };
                add(&rom(MemoryKind::Weights)?, c.weight_rows, 0)?;
                add(&rom(MemoryKind::Bias)?, c.writes, 0)?;
                if l.requant.is_some() {
                    add(&rom(MemoryKind::RequantMult)?, c.writes, 0)?;
                    add(&rom(MemoryKind::RequantShift)?, c.writes, 0)?;
                    ops.requantizations += c.writes;
                }
                let macs = c.mac_cycles * u.lanes as u64;
                ops.lane_macs.insert(u.layer.clone(), macs);
                ops.accumulations += macs;
                ops.bias_adds += c.writes;
            }
            Op::Add { other, .. } => {
                add(&buffer(*other)?, c.other_reads, 0)?;
                ops.residual_ops += c.writes;
            }
            _ => ops.pool_ops += c.act_reads,
        }
    }
    Ok((mem, ops))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intnet::testnet;
    use crate::netlist::Netlist;
    use crate::rtl::fixtures::multiplier;

    fn design(lanes: usize) -> (IntNetwork, crate::rtl::accel::Design) {
        let net = testnet::random(1, false);
        let mults: Vec<(String, Netlist)> = (0..net.mac_layers().count())
            .map(|_| ("exact".to_string(), multiplier("exact", false, 0)))
            .collect();
        let d = crate::rtl::accel::build(&net, &mults, Some(lanes)).unwrap();
        (net, d)
    }

    /// Events of an engine by walking its loops one issue at a time, as
    /// `rtl/mac_engine.v`'s comment describes them.
    fn walk_engine(oc: usize, oh: usize, ow: usize, kk: usize, p: usize) -> UnitCounts {
        let mut c = UnitCounts::default();
        let mut g = 0;
        while g * p < oc {
            for _pos in 0..oh * ow {
                for _k in 0..kk {
                    c.act_reads += 1;
                    c.weight_rows += 1;
                    c.mac_cycles += 1;
                }
                c.writes += (p).min(oc - g * p) as u64;
            }
            g += 1;
        }
        c
    }

    #[test]
    fn schedule_counts_match_a_walk_of_the_loops() {
        for lanes in [1, 3, 4] {
            let (net, d) = design(lanes);
            let units = schedule(&d.manifest, &net).unwrap();
            assert_eq!(units.len(), d.manifest.units.len());
            let shapes = net.tensor_shapes();
            for (u, node) in units
                .iter()
                .zip(net.nodes.iter().filter(|n| !matches!(n.op, Op::Flatten)))
            {
                let o = node.out;
                let want = match &node.op {
                    Op::Conv(l) | Op::Linear(l) => {
                        walk_engine(l.out_ch, o.h, o.w, l.in_ch * l.kernel * l.kernel, u.lanes)
                    }
                    Op::Add { .. } => {
                        let n = shapes[node.input].c * shapes[node.input].h * shapes[node.input].w;
                        UnitCounts {
                            act_reads: n as u64,
                            other_reads: n as u64,
                            writes: n as u64,
                            ..Default::default()
                        }
                    }
                    _ => {
                        // Every input value in some window, once per window
                        // that holds it (non-overlapping windows here or not).
                        let (kh, kw) = match node.op {
                            Op::MaxPool { kernel, .. } | Op::AvgPool { kernel, .. } => {
                                (kernel, kernel)
                            }
                            _ => (shapes[node.input].h, shapes[node.input].w),
                        };
                        let mut reads = 0u64;
                        for _c in 0..o.c {
                            for _y in 0..o.h {
                                for _x in 0..o.w {
                                    reads += (kh * kw) as u64;
                                }
                            }
                        }
                        UnitCounts {
                            act_reads: reads,
                            writes: (o.c * o.h * o.w) as u64,
                            ..Default::default()
                        }
                    }
                };
                assert_eq!(u.counts, want, "{} with {lanes} lanes", u.layer);
            }
            // The engines' cycles in the manifest: issue + drain per group
            // and position, plus one write per channel.
            for u in units.iter().filter(|u| u.kind == "mac_engine") {
                let m = d
                    .manifest
                    .units
                    .iter()
                    .find(|m| m.layer == u.layer)
                    .unwrap();
                let (_, node) = node_of(&net, &u.layer).unwrap();
                let pos = (node.out.h * node.out.w) as u64;
                let groups = u.counts.mac_cycles / pos / node.mac().unwrap().fan_in() as u64;
                assert_eq!(
                    m.cycles,
                    u.counts.mac_cycles + pos * groups + u.counts.writes
                );
            }
        }
    }

    #[test]
    fn memory_accesses_add_up() {
        let (net, d) = design(4);
        let units = schedule(&d.manifest, &net).unwrap();
        let (mem, ops) = memory_accesses(&d.manifest, &net, &units).unwrap();
        let total_writes: u64 = mem.values().map(|m| m.writes).sum();
        let unit_writes: u64 = units.iter().map(|u| u.counts.writes).sum();
        assert_eq!(total_writes, unit_writes + net.input.len() as u64);
        // Lane MACs cover the network's MACs, plus the idle lanes of a
        // partial last group.
        let macs: u64 = net.macs().iter().sum();
        let lane_macs: u64 = ops.lane_macs.values().sum();
        assert!(lane_macs >= macs);
        let exact: u64 = net
            .mac_layers()
            .map(|(n, l)| {
                let g = l.out_ch.div_ceil(4.min(l.out_ch)) * 4.min(l.out_ch);
                (n.out.h * n.out.w * g * l.fan_in()) as u64
            })
            .sum();
        assert_eq!(lane_macs, exact);
        // ROMs are never written; every weight ROM row read once per issue.
        for m in &d.manifest.memories {
            if m.kind != MemoryKind::Activations {
                assert_eq!(mem[&m.name].writes, 0, "{}", m.name);
            }
        }
    }

    #[test]
    fn counter_lines_parse_and_bad_ones_are_named() {
        let out = "VCD info\ncounters tb_accel.dut.u_conv1.core act_reads 3 other_reads 0 weight_rows 3 mac_cycles 3 writes 2\n";
        let v = parse_counters(out).unwrap();
        assert_eq!(v[0].0, "u_conv1");
        assert_eq!(v[0].1.writes, 2);
        let e = parse_counters(
            "counters tb_accel.dut.u act_reads x other_reads 0 weight_rows 3 mac_cycles 3 writes 2",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("line 1"), "{e}");
    }

    #[test]
    fn rtl_counters_equal_the_schedule() {
        if !crate::tool::tools_for_test(&[crate::tool::Tool::Iverilog]) {
            return;
        }
        let (net, d) = design(3);
        let tmp = tempfile::tempdir().unwrap();
        d.write(tmp.path()).unwrap();
        let images = testnet::random_images(2, &net, 2);
        let (_, counters) = super::super::cosim::run_accel_counted(
            tmp.path(),
            &d.manifest,
            &images,
            super::super::cosim::Sim::Iverilog,
            1,
        )
        .unwrap();
        assert_eq!(counters, schedule(&d.manifest, &net).unwrap());
    }
}
