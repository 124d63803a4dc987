//! Static timing analysis of a Liberty-mapped accelerator with OpenSTA:
//! the critical register-to-register path (start, end, delay), fmax and
//! throughput (inferences per second = fmax / cycles per inference).
//!
//! Memory macros are timed, not cut: each macro instance of the timing
//! netlist (`netlist_sta.v`, written by the Liberty flow of
//! [`super::synth`]) is a cell `mem_<instance>` of a generated Liberty
//! library (`macros.lib`, [`macro_liberty`]) whose arcs carry the
//! memory's access time from the SRAM model ([`crate::rtl::memory`]):
//! a registered read is a clock-to-data arc of the access time, an
//! asynchronous read an address-to-data arc of the access time, and every
//! clocked input (write enable, write address and data, the address of a
//! registered read) has a setup time of [`MACRO_SETUP_NS`]. Primary inputs
//! and outputs are left unconstrained: the figure is the core's
//! register-to-register (and register-to-macro) cycle.

use crate::error::{Error, Result};
use crate::rtl::memory::{MemoryArea, MemoryInfo};
use crate::tool::{path_arg, run, Tool};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Setup time of a memory macro's clocked inputs (ns): assumed, a typical
/// 45 nm SRAM address/data setup; CACTI reports access and cycle time only.
pub const MACRO_SETUP_NS: f64 = 0.1;

/// How the memory macros are timed, as `synth.json` states it.
pub const MACRO_TIMING_MODEL: &str = "memory macros as Liberty cells (macros.lib): registered read = clock-to-data arc, asynchronous read = address-to-data arc, both of the macro's access time (SRAM model); clocked inputs: setup 0.1 ns (assumed)";

/// Static timing of one design, as `synth.json` reports it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    /// Clock period constrained (ns).
    pub clock_ns: f64,
    /// Worst setup slack at that period (ns; negative: the period is missed).
    pub slack_ns: f64,
    /// Minimum clock period: the critical path's delay including the
    /// endpoint's setup time, `clock_ns - slack_ns` (ns).
    pub critical_path_ns: f64,
    /// `1000 / critical_path_ns` (MHz).
    pub fmax_mhz: f64,
    /// Where the critical path starts and ends (instance pins or cells).
    pub critical_path: CriticalPath,
    /// Clock cycles per inference (the schedule's estimate in `manifest.json`).
    pub cycles_per_inference: u64,
    /// `fmax / cycles_per_inference` (1/s).
    pub inferences_per_s: f64,
    /// How memory macros are timed ([`MACRO_TIMING_MODEL`]).
    pub macro_model: String,
    /// OpenSTA's full report of the critical path, in the export directory.
    pub report: String,
}

/// Start and end of a timing path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriticalPath {
    /// Startpoint as OpenSTA names it (a register or macro instance).
    pub start: String,
    /// Endpoint as OpenSTA names it.
    pub end: String,
}

/// A pin of a macro module: `(name, is_output)`, from its Verilog header.
fn module_pins(src: &str, module: &str) -> Vec<(String, bool)> {
    let Some(at) = src.find(&format!("module {module}")) else {
        return vec![];
    };
    let end = src[at..].find(");").map_or(src.len(), |e| at + e);
    let mut pins = vec![];
    for line in src[at..end].lines() {
        let t = line.trim();
        let out = t.starts_with("output");
        if !(out || t.starts_with("input")) {
            continue;
        }
        // `input wire [AW-1:0] addr,` -> the last word.
        let name = t
            .trim_end_matches(',')
            .split(|c: char| c.is_whitespace() || c == ']')
            .rfind(|w| !w.is_empty())
            .unwrap_or("")
            .to_string();
        pins.push((name, out));
    }
    pins
}

/// Pin widths of every `mem_*` instance in the timing netlist, by cell type.
fn macro_pin_widths(netlist: &str) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut out: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut lines = netlist.lines();
    while let Some(l) = lines.next() {
        let t = l.trim();
        let Some(cell) = t
            .split_whitespace()
            .next()
            .filter(|w| w.starts_with("mem_"))
        else {
            continue;
        };
        let pins = out.entry(cell.to_string()).or_default();
        for l in lines.by_ref() {
            let t = l.trim();
            if t.starts_with(");") {
                break;
            }
            if let Some(rest) = t.strip_prefix('.') {
                let (name, conn) = rest.split_once('(').unwrap_or((rest, ""));
                let width = if let Some(inner) = conn.trim_start().strip_prefix('{') {
                    inner.split('}').next().unwrap_or("").matches(',').count() + 1
                } else {
                    1
                };
                pins.insert(name.trim().to_string(), width);
            }
        }
    }
    out
}

/// A Liberty library with one cell per memory macro instance (see the
/// module doc), in the units of NanGate45 (ns, fF). `blocks` holds the
/// macro modules' Verilog (for pin directions), `netlist` the timing
/// netlist (for pin widths). Errors: a macro missing from the netlist or
/// a pin without direction.
pub fn macro_liberty(
    memories: &[(MemoryInfo, MemoryArea)],
    blocks: &str,
    netlist: &str,
) -> Result<String> {
    let widths = macro_pin_widths(netlist);
    let mut types = std::collections::BTreeSet::new();
    let mut cells = String::new();
    for (m, a) in memories {
        let cell = super::synth::macro_cell(&m.name);
        let pins = widths.get(&cell).ok_or_else(|| {
            Error::tool(format!(
                "timing netlist: no instance of memory macro {} ({cell})",
                m.name
            ))
        })?;
        let dirs = module_pins(blocks, &m.module);
        let t = a.access_ns;
        cells += &format!("  cell ({cell}) {{\n    area : {:.3};\n", a.area_um2);
        for (pin, &w) in pins {
            let out = dirs
                .iter()
                .find(|p| &p.0 == pin)
                .map(|p| p.1)
                .ok_or_else(|| {
                    Error::tool(format!(
                        "memory macro {}: no direction for pin {pin}",
                        m.module
                    ))
                })?;
            let (open, close) = if w > 1 {
                types.insert(w);
                (
                    format!("    bus ({pin}) {{\n      bus_type : bus{w};\n"),
                    "    }\n",
                )
            } else {
                (format!("    pin ({pin}) {{\n"), "    }\n")
            };
            cells += &open;
            let is_read_addr = pin.contains("addr") && !pin.starts_with('w');
            if pin == "clk" {
                cells +=
                    "      direction : input;\n      clock : true;\n      capacitance : 2.0;\n";
            } else if out {
                cells += "      direction : output;\n";
                if m.registered_read {
                    cells += &arc("clk", "rising_edge", t);
                } else {
                    // Every address bit to every data bit (bit names,
                    // since the buses differ in width).
                    let bits: Vec<String> = pins
                        .iter()
                        .filter(|(p, _)| p.contains("addr") && !p.starts_with('w'))
                        .flat_map(|(p, &w)| {
                            (0..w).map(move |i| {
                                if w > 1 {
                                    format!("{p}[{i}]")
                                } else {
                                    p.clone()
                                }
                            })
                        })
                        .collect();
                    cells += &arc(&bits.join(" "), "combinational", t);
                }
            } else {
                cells += "      direction : input;\n      capacitance : 1.0;\n";
                if !is_read_addr || m.registered_read {
                    cells += &format!(
                        "      timing () {{\n        related_pin : \"clk\";\n        timing_type : setup_rising;\n        rise_constraint (scalar) {{ values (\"{MACRO_SETUP_NS}\"); }}\n        fall_constraint (scalar) {{ values (\"{MACRO_SETUP_NS}\"); }}\n      }}\n"
                    );
                }
            }
            cells += close;
        }
        cells += "  }\n";
    }
    let mut lib = String::from(
        "/* Memory macros of one accelerator for OpenSTA, generated by codesign\n   (src/eda/sta.rs); delays from the SRAM model of src/rtl/memory.rs. */\nlibrary (codesign_macros) {\n  delay_model : table_lookup;\n  time_unit : \"1ns\";\n  voltage_unit : \"1V\";\n  current_unit : \"1mA\";\n  leakage_power_unit : \"1nW\";\n  capacitive_load_unit (1,ff);\n  pulling_resistance_unit : \"1kohm\";\n  nom_process : 1.0;\n  nom_temperature : 25.0;\n  nom_voltage : 1.1;\n  input_threshold_pct_rise : 50;\n  input_threshold_pct_fall : 50;\n  output_threshold_pct_rise : 50;\n  output_threshold_pct_fall : 50;\n  slew_lower_threshold_pct_rise : 30;\n  slew_lower_threshold_pct_fall : 30;\n  slew_upper_threshold_pct_rise : 70;\n  slew_upper_threshold_pct_fall : 70;\n",
    );
    for w in types {
        lib += &format!(
            "  type (bus{w}) {{\n    base_type : array;\n    data_type : bit;\n    bit_width : {w};\n    bit_from : {};\n    bit_to : 0;\n    downto : true;\n  }}\n",
            w - 1
        );
    }
    lib += &cells;
    lib += "}\n";
    Ok(lib)
}

/// One delay arc of `delay_ns` from `related` (a scalar table: the macro's
/// delay does not depend on slew or load in this model).
fn arc(related: &str, kind: &str, delay_ns: f64) -> String {
    format!(
        "      timing () {{\n        related_pin : \"{related}\";\n        timing_type : {kind};\n        cell_rise (scalar) {{ values (\"{delay_ns:.4}\"); }}\n        cell_fall (scalar) {{ values (\"{delay_ns:.4}\"); }}\n        rise_transition (scalar) {{ values (\"0.05\"); }}\n        fall_transition (scalar) {{ values (\"0.05\"); }}\n      }}\n"
    )
}

/// The worst path of an OpenSTA `report_checks` output: `(start, end,
/// slack)`.
fn parse_report(text: &str) -> Option<(String, String, f64)> {
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(key))
            .and_then(|r| r.split_whitespace().next())
            .map(str::to_string)
    };
    let slack = text
        .lines()
        .find(|l| l.contains("slack (MET)") || l.contains("slack (VIOLATED)"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse().ok())?;
    Some((field("Startpoint:")?, field("Endpoint:")?, slack))
}

/// A readable name for path point `inst` of the timing netlist: the net
/// its `Q` (else `QN`) output drives when that net has an RTL name (a
/// register such as `u_conv3.core.acc[5]`), else the instance name (a
/// macro instance is already named after the RTL).
fn point_name(netlist: &str, inst: &str) -> String {
    let escaped = format!("\\{inst} ");
    let plain = format!(" {inst} (");
    let Some(at) = netlist.find(&escaped).or_else(|| netlist.find(&plain)) else {
        return inst.to_string();
    };
    let end = netlist[at..].find(");").map_or(netlist.len(), |e| at + e);
    let body = &netlist[at..end];
    for pin in [".Q(", ".QN("] {
        if let Some(i) = body.find(pin) {
            let net = body[i + pin.len()..]
                .split(')')
                .next()
                .unwrap_or("")
                .trim()
                .trim_start_matches('\\')
                .trim();
            if !net.is_empty() && !net.starts_with('_') {
                return format!("{net} (register {inst})");
            }
        }
    }
    inst.to_string()
}

/// Time the Liberty-flow netlist `dir/netlist_sta.v` (top `manifest.top`,
/// cells of `lib`, memory macros `memories` with their model) at
/// `clock_ns` with OpenSTA; writes `macros.lib`, `sta.tcl` and
/// `sta_report.txt` into `dir`. Errors: OpenSTA failing or reporting no
/// constrained path.
pub fn sta(
    dir: &Path,
    manifest: &crate::rtl::accel::Manifest,
    lib: &Path,
    memories: &[MemoryArea],
    clock_ns: f64,
) -> Result<Timing> {
    let netlist = crate::io::read_text(dir.join("netlist_sta.v"))?;
    let mut blocks = String::new();
    for f in ["act_mem.v", "rom.v"] {
        if let Ok(t) = crate::io::read_text(dir.join(f)) {
            blocks += &t;
        }
    }
    let pairs: Vec<(MemoryInfo, MemoryArea)> = manifest
        .memories
        .iter()
        .cloned()
        .zip(memories.iter().cloned())
        .collect();
    crate::io::write_atomic(
        dir.join("macros.lib"),
        macro_liberty(&pairs, &blocks, &netlist)?.as_bytes(),
    )?;
    let tcl = format!(
        "# Static timing of the synthesized accelerator (codesign synth, src/eda/sta.rs).\n\
         read_liberty {lib}\n\
         {macros}\
         read_verilog netlist_sta.v\n\
         link_design {top}\n\
         create_clock -name clk -period {clock_ns} [get_ports clk]\n\
         report_checks -path_delay max -digits 4 > sta_report.txt\n",
        lib = path_arg(lib)?,
        macros = if pairs.is_empty() {
            String::new()
        } else {
            "read_liberty macros.lib\n".to_string()
        },
        top = manifest.top,
    );
    crate::io::write_atomic(dir.join("sta.tcl"), tcl.as_bytes())?;
    run(
        Tool::Sta,
        &["-no_init", "-no_splash", "-exit", "sta.tcl"],
        dir,
        Some(&dir.join("sta.log")),
    )?;
    let report_path = dir.join("sta_report.txt");
    let report = crate::io::read_text(&report_path)?;
    let (start, end, slack_ns) = parse_report(&report)
        .ok_or_else(|| Error::in_file(&report_path, "OpenSTA reported no constrained path"))?;
    let (start, end) = (point_name(&netlist, &start), point_name(&netlist, &end));
    let critical_path_ns = clock_ns - slack_ns;
    let fmax_mhz = 1000.0 / critical_path_ns;
    let cycles = manifest.cycles_estimate.max(1);
    Ok(Timing {
        clock_ns,
        slack_ns,
        critical_path_ns,
        fmax_mhz,
        critical_path: CriticalPath { start, end },
        cycles_per_inference: cycles,
        inferences_per_s: fmax_mhz * 1e6 / cycles as f64,
        macro_model: MACRO_TIMING_MODEL.to_string(),
        report: "sta_report.txt".to_string(),
    })
}
