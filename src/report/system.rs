//! System energy per inference of the accelerator that was built: the
//! architecture's access counts ([`crate::eda::activity`]) times per-access
//! energies, by part.
//!
//! - `multipliers`: lane multiplications of each layer times that layer's
//!   multiplier energy per multiplication (the library's `energy_pj`:
//!   NanGate45 Liberty switching energy on uniform operands,
//!   [`crate::library::energy::switching_energy`]);
//! - `adders_accumulators`: one 32-bit accumulation per lane
//!   multiplication and one 32-bit bias add per engine output, at the
//!   32-bit adder's energy;
//! - `requantization`: per requantized output one 32 x 17-bit multiply
//!   and one 32-bit add (rounding);
//! - `pool_residual`: per pooling window read one 8-bit compare/add, per
//!   residual element two 33 x 25-bit constant multiplies and one add
//!   (these per-operation energies: see below);
//! - `sram_reads`, `sram_writes`: words read and written per memory macro
//!   times that macro's `read_pj` / `write_pj` (CACTI 7 where installed,
//!   else the per-bit model; `synth.json`'s `memories`);
//! - `clock`: every flip-flop of the synthesized netlist clocked every
//!   cycle (the RTL has no clock gating): per cycle the Liberty
//!   `internal_power` of its clock pin (rise + fall) plus its clock-pin
//!   capacitance charged once (`C * V^2`). This is the control and
//!   register cost; data-dependent flip-flop output switching is not
//!   counted;
//! - `leakage`: the Liberty `cell_leakage_power` of every cell of the
//!   netlist plus the memories' leakage (CACTI), times the latency
//!   (`cycles_per_inference / fmax`, OpenSTA's fmax).
//!
//! The adders', requantizers' and pool/residual units' energies per
//! operation come, in the Liberty flow, from the library's cells
//! ([`crate::library::units`]: each unit mapped and its switching energy
//! simulated); in the generic flow from the report's constants (Horowitz,
//! ISSCC 2014, 45 nm, unless the config overrides them: `add32_pj`,
//! `mult32_pj` for both multiplies, `add8_pj`).
//!
//! The netlist-derived parts (`clock`, logic leakage) need the Liberty flow
//! (`synth.json`'s `sta_netlist` and `liberty`); without them they are 0
//! and the report says so.

use super::energy::Constants;
use crate::eda::activity::{MemoryAccesses, Operations};
use crate::error::{Error, Result};
use crate::netlist::import::liberty::power::PowerLibrary;
use crate::rtl::memory::MemoryArea;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Energy per inference by part (pJ).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SystemBreakdown {
    /// Lane multiplications.
    pub multipliers: f64,
    /// Accumulations and bias additions.
    pub adders_accumulators: f64,
    /// Requantizations of engine outputs.
    pub requantization: f64,
    /// Pooling and residual units' arithmetic.
    pub pool_residual: f64,
    /// Memory macro reads.
    pub sram_reads: f64,
    /// Memory macro writes (the input image included).
    pub sram_writes: f64,
    /// Registers clocked every cycle (control and pipeline registers).
    pub clock: f64,
    /// Leakage of logic and memories over the inference's latency.
    pub leakage: f64,
    /// Sum of the parts.
    pub total: f64,
    /// The Liberty-derived energies of the adders, requantization and
    /// residual multipliers used (`None`: the report's constants).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_energies: Option<crate::library::units::UnitEnergies>,
}

/// What the synthesized netlist contributes: clock energy and leakage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NetlistCells {
    /// Flip-flops (sequential cells with a clock pin).
    pub flip_flops: u64,
    /// Clock energy of all flip-flops per cycle (pJ).
    pub clock_pj_per_cycle: f64,
    /// Leakage of all cells (µW).
    pub leakage_uw: f64,
}

/// Clock energy per cycle and leakage of the gate-level netlist `text`
/// (structural Verilog, one `CELL name (` instance per line as Yosys
/// writes it) from the cells of `lib`: a flip-flop is a sequential cell
/// with a clock pin (`clock : true`); its clock energy per cycle is its `CK` pin's internal energy
/// (rise + fall, mean over the pin's `internal_power` groups, at
/// `slew_ns`) plus `C_CK * V^2` (fF * V^2 = fJ).
pub fn netlist_cells(text: &str, lib: &PowerLibrary, slew_ns: f64) -> NetlistCells {
    let mut n = NetlistCells::default();
    let mut fj = 0.0;
    let mut leak_nw = 0.0;
    for line in text.lines() {
        let Some(ty) = line.split_whitespace().next() else {
            continue;
        };
        if let Some(cell) = lib.cells.get(ty) {
            leak_nw += cell.leakage_nw;
            continue;
        }
        let Some(reg) = lib.registers.get(ty) else {
            continue;
        };
        leak_nw += reg.leakage_nw;
        if reg.clock.is_some() {
            n.flip_flops += 1;
            fj += reg.clock_fj_per_cycle(slew_ns, lib.nom_voltage);
        }
    }
    n.clock_pj_per_cycle = fj * 1e-3;
    n.leakage_uw = leak_nw * 1e-3;
    n
}

/// Everything the system energy of one design needs.
pub struct SystemInputs<'a> {
    /// Operations per inference.
    pub ops: &'a Operations,
    /// Accesses per memory macro per inference.
    pub accesses: &'a BTreeMap<String, MemoryAccesses>,
    /// The macros' per-access energies and leakage (`synth.json`).
    pub memories: &'a [MemoryArea],
    /// Energy per multiplication of each engine layer's multiplier (pJ).
    pub mult_pj: &'a BTreeMap<String, f64>,
    /// Per-operation constants (adders, requantizer, pool, residual).
    pub consts: &'a Constants,
    /// Liberty-derived energies of those units, used instead of `consts`.
    pub units: Option<&'a crate::library::units::UnitEnergies>,
    /// Clock and leakage of the synthesized netlist (`None`: not counted).
    pub cells: Option<&'a NetlistCells>,
    /// Clock cycles per inference.
    pub cycles: u64,
    /// Maximum clock frequency (MHz; `None`: leakage not counted).
    pub fmax_mhz: Option<f64>,
}

/// The system energy per inference by part (see the module doc). Errors:
/// a memory with accesses but no per-access energy, or a layer without a
/// multiplier energy.
pub fn system_energy(x: &SystemInputs) -> Result<SystemBreakdown> {
    let c = x.consts;
    let mut b = SystemBreakdown::default();
    for (layer, macs) in &x.ops.lane_macs {
        let pj = x.mult_pj.get(layer).ok_or_else(|| {
            Error::input(format!(
                "layer `{layer}`: no multiplier energy per multiplication"
            ))
        })?;
        b.multipliers += *macs as f64 * pj;
    }
    // (add8, add32, requantization multiply, residual multiply).
    let (add8, add32, requant_mult, residual_mult) = match x.units {
        Some(u) => (u.add8_pj, u.add32_pj, u.mult32x17_pj, u.mult33x25_pj),
        None => (c.add8_pj, c.add32_pj, c.mult32_pj, c.mult32_pj),
    };
    b.unit_energies = x.units.cloned();
    b.adders_accumulators = (x.ops.accumulations + x.ops.bias_adds) as f64 * add32;
    b.requantization = x.ops.requantizations as f64 * (requant_mult + add32);
    b.pool_residual =
        x.ops.pool_ops as f64 * add8 + x.ops.residual_ops as f64 * (2.0 * residual_mult + add32);
    let mut mem_leak_uw = 0.0;
    for m in x.memories {
        mem_leak_uw += m.leakage_uw;
    }
    for (name, a) in x.accesses {
        let m = x.memories.iter().find(|m| &m.name == name).ok_or_else(|| {
            Error::input(format!(
                "memory `{name}`: no per-access energy in synth.json"
            ))
        })?;
        b.sram_reads += a.reads as f64 * m.read_pj;
        b.sram_writes += a.writes as f64 * m.write_pj;
    }
    if let Some(cells) = x.cells {
        b.clock = cells.clock_pj_per_cycle * x.cycles as f64;
    }
    if let Some(f) = x.fmax_mhz.filter(|f| *f > 0.0) {
        let latency_ns = x.cycles as f64 * 1e3 / f;
        let logic_uw = x.cells.map_or(0.0, |c| c.leakage_uw);
        // µW * ns = fJ.
        b.leakage = (logic_uw + mem_leak_uw) * latency_ns * 1e-3;
    }
    b.total = b.multipliers
        + b.adders_accumulators
        + b.requantization
        + b.pool_residual
        + b.sram_reads
        + b.sram_writes
        + b.clock
        + b.leakage;
    Ok(b)
}

/// How the system energy counts, in words, with its sources (`report.json`'s
/// `energy.system_model`).
pub const MODEL: &[&str] = &[
    "access counts per inference from the schedule of the generated architecture (manifest.json and the network; src/eda/activity.rs), equal to the RTL's event counters in co-simulation (cosim.json counters_match_schedule)",
    "multipliers: lane multiplications (every lane of an engine multiplies each issue cycle, a partial last channel group included) x the layer's multiplier energy per multiplication, NanGate45 Liberty switching energy on uniform random operands: the library's energy_pj, else the export's cosim.json stream_energy (the engine's multiplier mapped the library's canonical way)",
    "adders_accumulators: one 32-bit accumulate per lane multiplication and one 32-bit bias add per engine output, x the 32-bit add energy; requantization: per requantized output a 32x17-bit multiply + a 32-bit add; pool_residual: an 8-bit add per pooling window read, 2 x a 33x25-bit multiply + a 32-bit add per residual element; energies: Liberty flow: the units mapped to the library's cells and simulated (energy.system_breakdown_*.unit_energies, src/library/units.rs); generic flow: energy.constants add32_pj, mult32_pj (both multiplies), add8_pj (Horowitz 45 nm unless configured)",
    "sram_reads / sram_writes: word reads and writes per memory macro x its read_pj / write_pj (memories[].source: CACTI 7 or the per-bit model); a read per cycle in which the reader addresses the macro; the input image's writes counted, the test bench's debug read-back not",
    "clock: every flip-flop of the NanGate45 netlist clocked every cycle (no clock gating in the RTL): Liberty internal_power of its CK pin (rise + fall) + CK pin capacitance x V^2, per cycle; flip-flop output switching not counted",
    "leakage: Liberty cell_leakage_power of every cell of the netlist + the memories' leakage_uw, x latency = cycles_per_inference / fmax (OpenSTA)",
];

/// The system energy of the export `export` synthesized as `synth`, and
/// its memories with their accesses. `mult_pj(id, signed)` gives a
/// library multiplier's energy per multiplication (pJ). The inner error
/// says why it cannot be computed (no manifest or network in the export,
/// a multiplier without an energy); the outer one is an unreadable file.
pub fn for_export(
    export: &crate::rundir::ExportDir,
    synth: &crate::eda::synth::SynthReport,
    consts: &Constants,
    mult_pj: &dyn Fn(&str, bool) -> Option<f64>,
) -> Result<std::result::Result<(SystemBreakdown, Vec<super::model::MemoryRow>), String>> {
    use crate::eda::activity;
    let (mpath, npath) = (export.manifest(), export.intnet());
    if !mpath.is_file() || !npath.is_file() {
        return Ok(Err("the export has no manifest.json or intnet.json".into()));
    }
    let manifest: crate::rtl::accel::Manifest = crate::io::read_json(&mpath)?;
    let net = crate::intnet::load(&npath)?;
    let units = activity::schedule(&manifest, &net)?;
    let (accesses, ops) = activity::memory_accesses(&manifest, &net, &units)?;
    // A library without absolute energies (the generated designs' gate
    // model): the same NanGate45 figure from this export's co-simulation,
    // which maps each engine's multiplier ([`crate::eda::stream`]).
    let cosim_path = export.cosim();
    let streams = if cosim_path.is_file() {
        crate::io::read_json::<crate::eda::cosim::CosimReport>(&cosim_path)?.stream_energy
    } else {
        vec![]
    };
    let mut per_layer = BTreeMap::new();
    for u in manifest.units.iter().filter(|u| u.kind == "mac_engine") {
        let id = u.multiplier.as_deref().unwrap_or_default();
        let from_cosim = || {
            streams
                .iter()
                .find(|s| s.layer == u.layer && s.multiplier == id)
                .map(|s| s.uniform_pj)
        };
        let Some(pj) = mult_pj(id, manifest.signed).or_else(from_cosim) else {
            return Ok(Err(format!(
                "multiplier `{id}` of layer `{}` has no energy_pj in the library and the export's cosim.json has no stream_energy for it",
                u.layer
            )));
        };
        per_layer.insert(u.layer.clone(), pj);
    }
    let cells = match (&synth.sta_netlist, &synth.liberty) {
        (Some(n), Some(lib)) => {
            let text = crate::io::read_text(export.root().join(n))?;
            let lib = PowerLibrary::cached(std::path::Path::new(lib))?;
            Some(netlist_cells(
                &text,
                &lib,
                crate::library::energy::INPUT_TRANSITION_NS,
            ))
        }
        _ => None,
    };
    let units = match &synth.liberty {
        Some(lib) => match crate::library::units::cached(std::path::Path::new(lib)) {
            Ok(u) => Some(u),
            Err(e) => return Ok(Err(format!("energies of the adders and requantizers: {e}"))),
        },
        None => None,
    };
    let b = system_energy(&SystemInputs {
        ops: &ops,
        accesses: &accesses,
        memories: &synth.memories,
        mult_pj: &per_layer,
        consts,
        units: units.as_ref(),
        cells: cells.as_ref(),
        cycles: manifest.cycles_estimate,
        fmax_mhz: synth.timing.as_ref().map(|t| t.fmax_mhz),
    })?;
    let rows = synth
        .memories
        .iter()
        .map(|m| {
            let a = accesses.get(&m.name).copied().unwrap_or_default();
            super::model::MemoryRow {
                name: m.name.clone(),
                kind: serde_json::to_value(m.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                depth: m.depth,
                width: m.width,
                read_ports: m.read_ports,
                write_ports: m.write_ports,
                area_um2: m.area_um2,
                read_pj: m.read_pj,
                write_pj: m.write_pj,
                leakage_uw: m.leakage_uw,
                reads: a.reads,
                writes: a.writes,
                source: m.source.clone(),
            }
        })
        .collect();
    Ok(Ok((b, rows)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtl::memory::MemoryKind;

    fn mem(name: &str, read_pj: f64, write_pj: f64, leakage_uw: f64) -> MemoryArea {
        MemoryArea {
            name: name.into(),
            kind: MemoryKind::Activations,
            unit: None,
            depth: 4,
            width: 8,
            read_ports: 1,
            write_ports: 1,
            bits: 32,
            area_um2: 1.0,
            area_ge: 1.0,
            read_pj,
            write_pj,
            leakage_uw,
            access_ns: 1.0,
            source: "test".into(),
        }
    }

    #[test]
    fn parts_are_counts_times_energies() {
        let ops = Operations {
            lane_macs: [("c1".to_string(), 100u64), ("fc".to_string(), 10)].into(),
            accumulations: 110,
            bias_adds: 7,
            requantizations: 5,
            pool_ops: 20,
            residual_ops: 3,
        };
        let accesses: BTreeMap<String, MemoryAccesses> = [
            (
                "a".to_string(),
                MemoryAccesses {
                    reads: 30,
                    writes: 2,
                },
            ),
            (
                "w".to_string(),
                MemoryAccesses {
                    reads: 40,
                    writes: 0,
                },
            ),
        ]
        .into();
        let memories = vec![mem("a", 0.5, 0.75, 2.0), mem("w", 1.25, 0.0, 3.0)];
        let mult_pj: BTreeMap<String, f64> =
            [("c1".to_string(), 0.25), ("fc".to_string(), 0.5)].into();
        let consts = Constants::default();
        let cells = NetlistCells {
            flip_flops: 3,
            clock_pj_per_cycle: 0.01,
            leakage_uw: 5.0,
        };
        let b = system_energy(&SystemInputs {
            ops: &ops,
            accesses: &accesses,
            memories: &memories,
            mult_pj: &mult_pj,
            consts: &consts,
            units: None,
            cells: Some(&cells),
            cycles: 1000,
            fmax_mhz: Some(500.0),
        })
        .unwrap();
        assert_eq!(b.multipliers, 100.0 * 0.25 + 10.0 * 0.5);
        assert!((b.adders_accumulators - 117.0 * 0.1).abs() < 1e-12);
        assert!((b.requantization - 5.0 * 3.2).abs() < 1e-12);
        assert!((b.pool_residual - (20.0 * 0.03 + 3.0 * 6.3)).abs() < 1e-12);
        assert_eq!(b.sram_reads, 30.0 * 0.5 + 40.0 * 1.25);
        assert_eq!(b.sram_writes, 2.0 * 0.75);
        assert!((b.clock - 10.0).abs() < 1e-12);
        // 1000 cycles at 500 MHz = 2 µs; (5 + 2 + 3) µW * 2 µs = 20 pJ.
        assert!((b.leakage - 20.0).abs() < 1e-9);
        let sum = b.multipliers
            + b.adders_accumulators
            + b.requantization
            + b.pool_residual
            + b.sram_reads
            + b.sram_writes
            + b.clock
            + b.leakage;
        assert!((b.total - sum).abs() < 1e-9);
        assert!(b.unit_energies.is_none());
        // Liberty-derived unit energies replace the constants.
        let units = crate::library::units::UnitEnergies {
            add8_pj: 0.5,
            add32_pj: 2.0,
            mult32x17_pj: 8.0,
            mult33x25_pj: 16.0,
            source: "test".into(),
        };
        let u = system_energy(&SystemInputs {
            ops: &ops,
            accesses: &accesses,
            memories: &memories,
            mult_pj: &mult_pj,
            consts: &consts,
            units: Some(&units),
            cells: Some(&cells),
            cycles: 1000,
            fmax_mhz: Some(500.0),
        })
        .unwrap();
        assert_eq!(u.adders_accumulators, 117.0 * 2.0);
        assert_eq!(u.requantization, 5.0 * (8.0 + 2.0));
        assert_eq!(u.pool_residual, 20.0 * 0.5 + 3.0 * (2.0 * 16.0 + 2.0));
        assert_eq!(u.multipliers, b.multipliers);
        assert_eq!(u.unit_energies.as_ref(), Some(&units));
    }

    #[test]
    fn netlist_clock_and_leakage_from_a_small_library() {
        let lib = PowerLibrary::parse(
            r#"library (t) {
  capacitive_load_unit (1,ff); voltage_unit : "1V"; time_unit : "1ns";
  leakage_power_unit : "1nW"; nom_voltage : 2.0;
  cell (INV) { area : 1; cell_leakage_power : 10;
    pin (A) { direction : input; capacitance : 1.0; }
    pin (ZN) { direction : output; function : "!A"; } }
  cell (DFF) { area : 4; cell_leakage_power : 30; ff (IQ, IQN) { next_state : "D"; clocked_on : "CK"; }
    pin (D) { direction : input; capacitance : 1.0; }
    pin (CK) { direction : input; capacitance : 1.5; clock : true;
      internal_power () { rise_power (scalar) { values ("4.0"); } fall_power (scalar) { values ("2.0"); } } }
    pin (Q) { direction : output; function : "IQ"; } }
}"#,
            std::path::Path::new("t.lib"),
        )
        .unwrap();
        let v = "module m (a, y);\n  INV _1_ (.A(a), .ZN(n));\n  DFF _2_ (.D(n), .CK(clk), .Q(y));\n  DFF _3_ (.D(n), .CK(clk), .Q(z));\nendmodule\n";
        let n = netlist_cells(v, &lib, 0.02);
        assert_eq!(n.flip_flops, 2);
        // Per flop: 4 + 2 fJ internal + 1.5 fF * 4 V^2 = 12 fJ.
        assert!((n.clock_pj_per_cycle - 2.0 * 12.0e-3).abs() < 1e-12);
        assert!((n.leakage_uw - 70.0e-3).abs() < 1e-12);
    }
}
