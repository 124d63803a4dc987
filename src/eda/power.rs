//! OpenSTA's `report_power` on a mapped multiplier: an independent reading
//! of the same Liberty file, to cross-check the library's switching-energy
//! model ([`crate::library::energy`]).
//!
//! Debian's OpenSTA 2.0.17 takes switching activity only globally or at
//! the inputs (its per-pin activities are ignored, DESIGN.md), so two
//! comparisons, each per cycle of one multiplication:
//! - [`Activity::Global`]: every net toggles at the same rate in both
//!   tools, so they must agree; this checks the per-transition energies
//!   (pin, wire-load and output-register capacitances, internal-power
//!   tables, transition times) and nothing else;
//! - [`Activity::Inputs`]: OpenSTA propagates the operands' activity
//!   through the cells by its probabilistic model, against the library's
//!   zero-delay simulation of real operand pairs: the difference is that of
//!   the activity models, reported, not asserted.

use crate::error::{Error, Result};
use crate::library::energy::{self, MappedNetlist, PowerLibrary, INPUT_TRANSITION_NS};
use crate::tool::{path_arg, run, Tool};

/// Clock period of the power run (ns); energies per cycle do not depend on it.
const PERIOD_NS: f64 = 10.0;

/// How OpenSTA is told the switching activity (transitions per clock
/// cycle, duty 0.5).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Activity {
    /// `set_power_activity -global`: every net.
    Global(f64),
    /// `set_power_activity -input`: the operand ports, propagated.
    Inputs(f64),
}

/// OpenSTA's power of one multiplier, as energy per clock cycle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PowerReport {
    /// Internal energy of the cells (pJ per cycle).
    pub internal_pj: f64,
    /// Energy of charging the nets (pJ per cycle).
    pub switching_pj: f64,
    /// Leakage power (nW).
    pub leakage_nw: f64,
}

impl PowerReport {
    /// Dynamic energy per cycle (pJ): internal plus switching.
    pub fn dynamic_pj(&self) -> f64 {
        self.internal_pj + self.switching_pj
    }
}

/// Run OpenSTA's `report_power` on `m` (cells of `lib`) at `activity`: the
/// operands switch in [`INPUT_TRANSITION_NS`], each product bit drives the
/// library's smallest flip-flop's data pin, as in
/// [`energy::switching_energy`]. Runs in a temporary folder. Errors:
/// OpenSTA missing or failing, or its report without a `Total` line.
pub fn report_power(
    m: &MappedNetlist,
    lib: &PowerLibrary,
    activity: Activity,
) -> Result<PowerReport> {
    let work = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let dir = work.path();
    crate::io::write_atomic(dir.join("mapped.v"), energy::verilog(m, lib)?.as_bytes())?;
    let set_activity = match activity {
        Activity::Global(a) => format!("set_power_activity -global -activity {a} -duty 0.5"),
        Activity::Inputs(a) => format!("set_power_activity -input -activity {a} -duty 0.5"),
    };
    let tcl = format!(
        "read_liberty {lib}\n\
         read_verilog mapped.v\n\
         link_design mapped\n\
         create_clock -name clk -period {PERIOD_NS}\n\
         set_input_delay 0 -clock clk [all_inputs]\n\
         set_output_delay 0 -clock clk [all_outputs]\n\
         set_input_transition {INPUT_TRANSITION_NS} [all_inputs]\n\
         set_load {load} [all_outputs]\n\
         {set_activity}\n\
         report_power -digits 6\n",
        lib = path_arg(&lib.path)?,
        load = lib.register_pin_capacitance.unwrap_or(0.0),
    );
    crate::io::write_atomic(dir.join("power.tcl"), tcl.as_bytes())?;
    let out = run(
        Tool::Sta,
        &["-no_init", "-no_splash", "-exit", "power.tcl"],
        dir,
        None,
    )?;
    parse_total(&out.stdout)
        .ok_or_else(|| Error::tool("OpenSTA report_power printed no Total line".to_string()))
}

/// The `Total` line of `report_power`: internal, switching, leakage (W)
/// as energy per cycle of [`PERIOD_NS`].
fn parse_total(text: &str) -> Option<PowerReport> {
    let line = text.lines().find(|l| l.starts_with("Total"))?;
    let w: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .take(3)
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    let [internal, switching, leakage] = w[..] else {
        return None;
    };
    // W x ns = 1e-9 J = 1e3 pJ.
    Some(PowerReport {
        internal_pj: internal * PERIOD_NS * 1e3,
        switching_pj: switching * PERIOD_NS * 1e3,
        leakage_nw: leakage * 1e9,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{cost, generators};
    use crate::tool::tools_for_test;

    #[test]
    fn total_line_is_read_as_energy_per_cycle() {
        let r = parse_total(
            "Group  Internal Switching Leakage Total\n\
             Total  1.05e-04   3.77e-05   8.26e-06   1.51e-04 100.0%\n",
        )
        .unwrap();
        assert!((r.internal_pj - 1.05).abs() < 1e-9);
        assert!((r.switching_pj - 0.377).abs() < 1e-9);
        assert!((r.leakage_nw - 8260.0).abs() < 1e-6);
        assert_eq!(parse_total("Total x y z"), None);
    }

    fn nangate45() -> Option<std::sync::Arc<PowerLibrary>> {
        let path = energy::nangate45_path();
        if !path.is_file() {
            crate::tool::skip_test("no NanGate45 Liberty file (scripts/pdk.sh)");
            return None;
        }
        if !tools_for_test(&[Tool::Yosys, Tool::YosysAbc, Tool::Sta]) {
            return None;
        }
        Some(PowerLibrary::cached(&path).unwrap())
    }

    /// One `INV_X1` from `A[0]` to `O[0]`.
    fn one_inverter(lib: &PowerLibrary) -> MappedNetlist {
        let mut blif = String::from(".model inv\n.inputs");
        for k in 0..8 {
            blif += &format!(" A[{k}] B[{k}]");
        }
        blif += "\n.outputs";
        for k in 0..16 {
            blif += &format!(" O[{k}]");
        }
        blif += "\n.gate INV_X1 A=A[0] ZN=O[0]\n";
        for k in 1..16 {
            blif += &format!(".names O[{k}]\n");
        }
        MappedNetlist::from_blif(&(blif + ".end\n"), std::path::Path::new("inv.blif"), lib).unwrap()
    }

    /// At one global activity OpenSTA and the library's model read the
    /// same NanGate45 numbers. The switching energy (every net's load:
    /// pins, wire-load model, output registers) and the leakage agree on
    /// the exact multipliers of both signednesses and on a truncated one.
    /// The internal energy does not, by OpenSTA 2.0.17's convention: it
    /// charges each output transition the sum of the rise and fall table
    /// energies where later OpenSTA (and this model) charge their mean;
    /// on one inverter that is exactly twice. The activity models are
    /// compared on uniform operands for the record (DESIGN.md).
    #[test]
    fn opensta_reads_the_same_energies_from_the_liberty_file() {
        let Some(lib) = nangate45() else { return };
        let inv = one_inverter(&lib);
        let ours = energy::energy_at_activity(&inv, &lib, 0.5).unwrap();
        let sta = report_power(&inv, &lib, Activity::Global(0.5)).unwrap();
        eprintln!("INV_X1: model {ours:?}, OpenSTA {sta:?}");
        let twice = sta.internal_pj / ours.internal_pj;
        assert!(
            (twice - 2.0).abs() < 0.04,
            "INV_X1 internal: OpenSTA / model = {twice}"
        );
        let pairs = cost::stream(&cost::Stimulus::Uniform).unwrap();
        let truncated = generators::Spec::Truncation {
            k: 6,
            compensated: false,
        };
        let designs = [
            generators::exact_reference(false),
            generators::exact_reference(true),
            generators::Design::new(truncated, false),
        ];
        for d in designs {
            let n = d.netlist();
            let m = crate::library::yosys::canonical(&n, &lib).unwrap();
            let ours = energy::energy_at_activity(&m, &lib, 0.5).unwrap();
            let sta = report_power(&m, &lib, Activity::Global(0.5)).unwrap();
            let simulated = energy::switching(&m, &lib, &pairs).unwrap();
            let propagated = report_power(&m, &lib, Activity::Inputs(0.5)).unwrap();
            eprintln!(
                "{}: activity 0.5 on every net: model {ours:?}, OpenSTA {sta:?}; uniform operands: \
                 simulated {:.4} pJ, OpenSTA propagated {:.4} pJ",
                n.name,
                simulated.energy_pj,
                propagated.dynamic_pj()
            );
            let rel = ours.switching_pj / sta.switching_pj - 1.0;
            assert!(
                rel.abs() < 0.02,
                "{}: switching {:+.2} %",
                n.name,
                100.0 * rel
            );
            let leak = energy::leakage_nw(&m, &lib).unwrap();
            assert!(
                (leak / sta.leakage_nw - 1.0).abs() < 0.01,
                "{}: leakage: model {leak} nW, OpenSTA {} nW",
                n.name,
                sta.leakage_nw
            );
        }
    }
}
