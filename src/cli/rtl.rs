//! Command line of `codesign export-rtl`, `codesign synth` and
//! `codesign cosim`: the heterogeneous accelerator as Verilog, its Yosys
//! synthesis, and its co-simulation against the Rust integer simulation.

use crate::assign::Assignment;
pub use crate::commands::{CosimArgs, ExportRtlArgs, GatesimArgs, SynthArgs};
use crate::config::Config;
use crate::eda::cosim;
use crate::eda::synth;
use crate::errmap::ErrorMap;
use crate::intnet;
use crate::library::Library;
use crate::netlist::Netlist;
use crate::rtl::accel::{self, Manifest};
use crate::rundir::{ExportDir, RunDir};
use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Where an export came from (`source.json`), so `cosim` can find test images.
#[derive(Debug, Serialize, Deserialize)]
pub struct Source {
    /// Run directory the network came from.
    pub run_dir: PathBuf,
    /// Assignment used (`None`: every layer exact).
    pub assignment: Option<PathBuf>,
    /// Multiplier library.
    pub library: PathBuf,
    /// Every layer used the exact multiplier (`--exact`).
    pub exact: bool,
}

/// The library's exact design of the given signedness.
fn exact_id(lib: &Library, signed: bool) -> anyhow::Result<String> {
    let mut exact: Vec<_> = lib
        .entries
        .iter()
        .filter(|e| e.signed == signed && e.metrics.ep_pct == 0.0)
        .collect();
    exact.sort_by(|a, b| {
        (!a.family.starts_with("exact"), &a.id).cmp(&(!b.family.starts_with("exact"), &b.id))
    });
    match exact.first() {
        Some(e) => Ok(e.id.clone()),
        None => bail!(
            "library {} has no exact {} multiplier",
            lib.dir.display(),
            if signed { "signed" } else { "unsigned" }
        ),
    }
}

/// `codesign export-rtl`.
pub fn export_rtl(args: ExportRtlArgs) -> anyhow::Result<()> {
    let net = intnet::load(
        args.intnet
            .clone()
            .unwrap_or_else(|| RunDir::new(&args.run_dir).intnet()),
    )?;
    let (assignment, lib_dir) = match (&args.assignment, args.exact) {
        (Some(p), _) => {
            let a = Assignment::load(p)?;
            let dir = args
                .library
                .clone()
                .unwrap_or_else(|| PathBuf::from(&a.library));
            (Some(a), dir)
        }
        (None, true) => match &args.library {
            Some(d) => (None, d.clone()),
            None => bail!("--exact needs --library (or an --assignment naming one)"),
        },
        (None, false) => bail!("give --assignment FILE, or --exact for the baseline design"),
    };
    let lib = Library::load(&lib_dir).with_context(|| format!("library {}", lib_dir.display()))?;
    if let Some(a) = &assignment {
        a.check(
            &net,
            &lib,
            &args.assignment.as_ref().unwrap().display().to_string(),
        )?;
    }
    let exact = if args.exact {
        Some(exact_id(&lib, net.signed)?)
    } else {
        None
    };
    // The RTL adds the assignment's bias corrections to `bias`, as eval
    // and retraining do.
    let mut net_out = net.clone();
    if let (Some(a), false) = (&assignment, args.exact) {
        a.apply_bias_corrections(&mut net_out, &lib)?;
    }
    let mut mults: Vec<(String, Netlist)> = vec![];
    let mut maps: Vec<(String, ErrorMap)> = vec![];
    for (node, _) in net.mac_layers() {
        let id = match (&exact, &assignment) {
            (Some(id), _) => id.clone(),
            (None, Some(a)) => a
                .layer(&node.name)
                .map(|c| c.multiplier.clone())
                .context("assignment checked")?,
            (None, None) => unreachable!(),
        };
        mults.push((id.clone(), lib.netlist(&id)?));
        maps.push((id.clone(), lib.error_map(&id)?));
    }
    if let Some(0) = args.lanes {
        bail!("--lanes must be at least 1");
    }
    let design = accel::build(&net_out, &mults, args.lanes)?;
    let out = args.out.clone().unwrap_or_else(|| {
        args.run_dir
            .join(if args.exact { "rtl_exact" } else { "rtl" })
    });
    design.write(&out)?;
    cosim::write_reference(&out, &net_out, &maps)?;
    // Absolute paths: `cosim` may run from another directory.
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let source = Source {
        run_dir: abs(&args.run_dir),
        assignment: args.assignment.as_deref().map(abs),
        library: abs(&lib_dir),
        exact: args.exact,
    };
    crate::io::write_json(ExportDir::new(&out).source(), &source)?;
    println!(
        "{}: {} units, top `{}`, about {} cycles per inference",
        out.display(),
        design.manifest.units.len(),
        design.manifest.top,
        design.manifest.cycles_estimate
    );
    for u in &design.manifest.units {
        if let Some(m) = &u.multiplier {
            println!("  {:<16} {:>2} lanes of {m}", u.layer, u.lanes);
        }
    }
    Ok(())
}

impl SynthArgs {
    /// The flow these arguments select (see [`SynthArgs::liberty`]).
    pub fn flow(&self) -> anyhow::Result<synth::Flow> {
        if !(self.clock_ns.is_finite() && self.clock_ns > 0.0) {
            bail!(crate::Error::input(format!(
                "--clock-ns {}: must be a positive number of nanoseconds",
                self.clock_ns
            )));
        }
        let lib = match (&self.liberty, self.generic) {
            (_, true) => return Ok(synth::Flow::Generic),
            (Some(l), _) => {
                if !l.is_file() {
                    bail!(crate::Error::input(format!(
                        "--liberty {}: no such file",
                        l.display()
                    )));
                }
                l.clone()
            }
            (None, false) if crate::library::energy::nangate45_path().is_file() => {
                crate::library::energy::nangate45_path()
            }
            (None, false) => return Ok(synth::Flow::Generic),
        };
        let cacti = match &self.cacti {
            Some(d) if d.join("cacti").join("cacti").is_file() => Some(d.clone()),
            Some(d) => bail!(crate::Error::input(format!(
                "--cacti {}: no CACTI build there (expected cacti/cacti; scripts/pdk.sh builds it)",
                d.display()
            ))),
            None => Some(crate::eda::cacti::default_dir())
                .filter(|d| d.join("cacti").join("cacti").is_file()),
        };
        Ok(synth::Flow::Liberty {
            lib,
            clock_ns: self.clock_ns,
            cacti,
        })
    }
}

/// `codesign synth`.
pub fn synth(args: SynthArgs) -> anyhow::Result<()> {
    let flow = args.flow()?;
    let export = ExportDir::new(&args.dir);
    let manifest: Manifest = crate::io::read_json(export.manifest())?;
    let rep = synth::synth_with(&args.dir, &manifest, &flow)?;
    crate::io::write_json(export.synth(), &rep)?;
    print_synth(&rep);
    Ok(())
}

/// The synthesis table: per unit and part, in µm² for a Liberty flow and
/// NAND2 equivalents for the generic one; the memory macros; the timing.
fn print_synth(rep: &synth::SynthReport) {
    type Pick = fn(&synth::Area) -> f64;
    let (unit, area, memories_total): (&str, Pick, f64) = if rep.liberty.is_some() {
        ("um2", |a| a.area_um2, rep.memory_area_um2)
    } else {
        ("GE", |a| a.area_ge, rep.memory_area_ge)
    };
    println!(
        "{:<20} {:<22} {:>5} {:>9} {:>7} {:>12} {:>10}",
        "unit",
        "multiplier",
        "lanes",
        "cells",
        "FFs",
        format!("area ({unit})"),
        format!("mult ({unit})")
    );
    for e in &rep.engines {
        println!(
            "{:<20} {:<22} {:>5} {:>9} {:>7} {:>12.1} {:>10.1}",
            e.layer,
            e.multiplier.as_deref().unwrap_or("-"),
            e.lanes,
            e.area.cells,
            e.area.flip_flops,
            area(&e.area),
            e.multiplier_area.as_ref().map_or(0.0, area)
        );
    }
    for (name, a) in [
        ("buffers", &rep.buffers),
        ("other", &rep.other),
        ("logic", &rep.logic),
        ("total", &rep.total),
    ] {
        println!(
            "{:<20} {:<22} {:>5} {:>9} {:>7} {:>12.1}",
            name,
            "",
            "",
            a.cells,
            a.flip_flops,
            area(a)
        );
    }
    if !rep.memories.is_empty() {
        println!(
            "\n{:<28} {:>8} {:>6} {:>5} {:>10} {:>10} {:>9} {:>9} {:>10}",
            "memory macro",
            "depth",
            "width",
            "ports",
            "area (um2)",
            "area (GE)",
            "read pJ",
            "write pJ",
            "leak (uW)"
        );
        for m in &rep.memories {
            println!(
                "{:<28} {:>8} {:>6} {:>5} {:>10.1} {:>10.1} {:>9.3} {:>9.3} {:>10.3}",
                m.name,
                m.depth,
                m.width,
                format!("{}r{}w", m.read_ports, m.write_ports),
                m.area_um2,
                m.area_ge,
                m.read_pj,
                m.write_pj,
                m.leakage_uw
            );
        }
    }
    println!(
        "memories: {memories_total:.1} {unit} of {:.1} {unit} in all; model: {}",
        area(&rep.total),
        rep.memory_model
    );
    println!("area model: {}; log: {}", rep.area_model, rep.log);
    if let Some(t) = &rep.timing {
        println!(
            "timing (OpenSTA): critical path {:.3} ns from {} to {}; fmax {:.1} MHz; {:.0} inferences/s at {} cycles",
            t.critical_path_ns,
            t.critical_path.start,
            t.critical_path.end,
            t.fmax_mhz,
            t.inferences_per_s,
            t.cycles_per_inference
        );
    }
}

/// The first `n` test images of the run an export came from.
fn test_images(dir: &Path, n: usize, data_dir: Option<&Path>) -> anyhow::Result<Vec<u8>> {
    let source: Source = crate::io::read_json(ExportDir::new(dir).source())?;
    let config = Config::load(RunDir::new(&source.run_dir).config())?;
    let split = config.dataset.load_from(data_dir)?;
    if split.test.len() < n {
        bail!(
            "the test split has only {} images, {n} requested",
            split.test.len()
        );
    }
    Ok(split.test.take(n).images)
}

/// `codesign gatesim`.
pub fn gatesim(args: GatesimArgs) -> anyhow::Result<()> {
    if args.images == 0 {
        bail!("--images must be at least 1");
    }
    let images = test_images(&args.dir, args.images, args.data.as_deref())?;
    let start = std::time::Instant::now();
    let rep = crate::eda::gatesim::gate_simulate(&args.dir, &images)?;
    let e = &rep.energy;
    println!(
        "{}: {} ({} cells, {} flip-flops, {} macros): {} images in {:.1} s, {} mismatching ({} in the logits), {:.0} cycles per inference (schedule: {})",
        args.dir.display(),
        rep.netlist,
        rep.cells,
        rep.flip_flops,
        rep.macros,
        rep.images,
        start.elapsed().as_secs_f64(),
        rep.mismatches,
        rep.logit_mismatches,
        rep.cycles_per_inference,
        rep.cycles_estimate
    );
    println!(
        "  logic energy per inference from switching activity: {:.1} pJ (combinational nets {:.1}, register outputs {:.1}, macro and port nets {:.1}, clock {:.1})",
        e.total_pj, e.logic_pj, e.register_outputs_pj, e.macro_and_port_nets_pj, e.clock_pj
    );
    for m in rep.first_mismatches.iter().take(5) {
        println!(
            "  image {}: first difference in tensor {} (layer {}) at index {}: netlist {} expected {}",
            m.image, m.tensor, m.layer, m.index, m.rtl, m.expected
        );
    }
    if !rep.passed() {
        return Err(crate::Error::check(format!(
            "gate-level simulation found {} mismatching images (details in {})",
            rep.mismatches,
            ExportDir::new(&args.dir).gatesim().display()
        ))
        .into());
    }
    Ok(())
}

/// `codesign cosim`.
pub fn cosim(args: CosimArgs) -> anyhow::Result<()> {
    if args.images == 0 {
        bail!("--images must be at least 1");
    }
    let sim = args.sim;
    let images = test_images(&args.dir, args.images, args.data.as_deref())?;
    let jobs = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    if jobs == 0 {
        bail!("--jobs must be at least 1");
    }
    let rep = cosim::cosimulate(&args.dir, &images, sim, jobs)?;
    println!(
        "{}: {} images, {} mismatching ({} in the logits), {:.0} cycles per inference (schedule: {})",
        args.dir.display(),
        rep.images,
        rep.mismatches,
        rep.logit_mismatches,
        rep.cycles_per_inference,
        rep.cycles_estimate
    );
    for m in rep.first_mismatches.iter().take(5) {
        println!(
            "  image {}: first difference in tensor {} (layer {}) at index {}: rtl {} expected {}",
            m.image, m.tensor, m.layer, m.index, m.rtl, m.expected
        );
    }
    for m in &rep.multipliers {
        println!(
            "  multiplier {} ({}): {} of 65536 products differ from its error map; {}",
            m.module,
            m.multiplier,
            m.mismatches,
            if m.equivalent {
                "proved equal to its netlist"
            } else {
                "NOT equal to its netlist"
            }
        );
    }
    if !rep.passed() {
        let bad_mults = rep
            .multipliers
            .iter()
            .filter(|m| m.mismatches > 0 || !m.equivalent)
            .count();
        return Err(crate::Error::check(format!(
            "co-simulation found {} mismatching images and {bad_mults} failing multiplier modules (details in {})",
            rep.mismatches,
            ExportDir::new(&args.dir).cosim().display()
        ))
        .into());
    }
    Ok(())
}
