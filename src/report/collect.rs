//! Reads a run directory into a [`Report`]: whatever stages have run. A
//! missing file leaves its part `None` ("not run"); a file that exists but
//! cannot be read is an error naming it, because a silently dropped result
//! would be worse than no report.

use super::energy::{self, Breakdown, Constants, EnergyConfig, LayerWork};
use super::model::*;
use crate::assign::Assignment;
use crate::eda::cosim::CosimReport;
use crate::eda::synth::SynthReport;
use crate::errmodel::validate::ErrorModelReport;
use crate::error::{Error, Result};
use crate::intnet::evalfile::{EvalFile, EvalRecord};
use crate::intnet::{IntNetwork, Op};
use crate::library::Library;
use crate::rundir::{export, rel, RunDir};
use crate::sidecar::Sidecar;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Files of a run directory the report reads (relative paths), in order.
pub fn run_files() -> Vec<String> {
    let mut v = vec![rel::CONFIG.to_string()];
    v.extend(TRAIN_STAGES.iter().map(|st| rel::sidecar(st)));
    v.extend(
        [
            rel::INTNET,
            rel::ASSIGNMENT,
            rel::ERROR_MODEL,
            rel::EVAL,
            rel::RETRAIN_EVAL,
        ]
        .map(String::from),
    );
    for e in [rel::RTL, rel::RTL_EXACT] {
        for f in [
            export::SYNTH,
            export::MANIFEST,
            export::INTNET,
            export::STA_NETLIST,
        ] {
            v.push(rel::in_export(e, f));
        }
    }
    v.push(rel::in_export(rel::RTL, export::COSIM));
    for e in [rel::RTL, rel::RTL_EXACT] {
        v.push(rel::in_export(e, export::GATESIM));
    }
    v.push(rel::SWEEP_JSON.to_string());
    v
}

/// The training stages whose sidecars the report reads.
const TRAIN_STAGES: [&str; 4] = ["baseline", "qat", "agn", "retrain"];

/// Every file the report may read: the run's files and the library index.
pub fn input_files(run_dir: &Path, library: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = run_files().iter().map(|f| run_dir.join(f)).collect();
    v.push(library.join(crate::library::store::INDEX));
    v
}

/// Read YAML at `path` if the file exists.
fn maybe_yaml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<T>> {
    if path.is_file() {
        crate::io::read_yaml(path).map(Some)
    } else {
        Ok(None)
    }
}

/// Read JSON at `path` if the file exists.
fn maybe_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<T>> {
    if path.is_file() {
        crate::io::read_json(path).map(Some)
    } else {
        Ok(None)
    }
}

/// The config's optional `energy:` section (the stages own the rest of it).
pub fn energy_config(config: &Path) -> Result<EnergyConfig> {
    let Some(v) = maybe_yaml::<serde_yaml_ng::Value>(config)? else {
        return Ok(EnergyConfig::default());
    };
    match v.get("energy") {
        None | Some(serde_yaml_ng::Value::Null) => Ok(EnergyConfig::default()),
        Some(e) => serde_yaml_ng::from_value(e.clone()).map_err(|err| {
            Error::in_file(
                config,
                format!(
                    "section `energy`: {}",
                    crate::io::one_line(&err.to_string())
                ),
            )
        }),
    }
}

/// An error if `path`'s layout `version` is newer than this build reads.
fn newer(path: &Path, version: u32, known: u32) -> Result<()> {
    if version > known {
        return Err(Error::in_file(
            path,
            format!("layout version {version} is newer than this codesign reads ({known})"),
        ));
    }
    Ok(())
}

/// `synth.json` at `path` if it exists (`eda::synth::SynthReport`).
fn read_synth(path: &Path) -> Result<Option<SynthReport>> {
    let s = maybe_json::<SynthReport>(path)?;
    if let Some(s) = &s {
        newer(path, s.version, crate::eda::synth::SYNTH_VERSION)?;
    }
    Ok(s)
}

/// The area by part from a `synth.json`.
fn area_breakdown(synth: &SynthReport) -> super::model::AreaBreakdown {
    let mut b = super::model::AreaBreakdown {
        buffers_ge: synth.buffers.area_ge,
        other_ge: synth.other.area_ge,
        memories_ge: synth.memory_area_ge,
        ..Default::default()
    };
    for e in &synth.engines {
        b.engines_ge += e.area.area_ge;
        b.multipliers_ge += e.lanes as f64 * e.multiplier_area.as_ref().map_or(0.0, |a| a.area_ge);
    }
    b
}

/// The µm² by part from a Liberty-flow `synth.json` (`None` for the
/// generic flow, whose areas are NAND2 equivalents).
fn area_breakdown_um2(synth: &SynthReport) -> Option<super::model::AreaBreakdownUm2> {
    synth.liberty.as_ref()?;
    let total = synth.total.area_um2;
    let memories = synth.memory_area_um2;
    let (mut multipliers, mut engines) = (0.0, 0.0);
    for e in &synth.engines {
        multipliers += e.lanes as f64 * e.multiplier_area.as_ref().map_or(0.0, |a| a.area_um2);
        engines += e.area.area_um2 - e.rom_area_um2;
    }
    Some(super::model::AreaBreakdownUm2 {
        multipliers,
        engine_logic: engines - multipliers,
        memories,
        other: total - engines - memories,
        total,
    })
}

/// The record of the assignment the run uses: `assignment`, or the only
/// record that names an assignment.
pub fn approx_record(ev: &EvalFile) -> Option<&EvalRecord> {
    ev.get("assignment").or_else(|| {
        let with: Vec<&EvalRecord> = ev.values().filter(|r| r.assignment.is_some()).collect();
        if with.len() == 1 {
            Some(with[0])
        } else {
            None
        }
    })
}

/// Every file of a run directory the report reads, each loaded once and
/// checked against the layout version this build reads; `None` where the
/// stage that writes it has not run.
struct Sources {
    run: RunDir,
    /// The run's name: the config's `name`, else the directory's.
    name: String,
    consts: Constants,
    /// Training sidecars by stage ([`TRAIN_STAGES`]).
    sidecars: BTreeMap<&'static str, Sidecar>,
    intnet: Option<IntNetwork>,
    assignment: Option<Assignment>,
    /// The library directory: explicit, else the assignment's, else the run's own.
    lib_dir: PathBuf,
    library: Option<Library>,
    library_cost_flow: Option<String>,
    evals: Option<EvalFile>,
    retrain_evals: Option<EvalFile>,
    error_model: Option<ErrorModelReport>,
    /// Synthesis of the heterogeneous (`rtl/`) and the all-exact (`rtl_exact/`) design.
    synth: Option<SynthReport>,
    synth_exact: Option<SynthReport>,
    cosim: Option<CosimReport>,
    sweep: Option<Sweep>,
}

impl Sources {
    fn load(run_dir: &Path, library: Option<&Path>) -> Result<Self> {
        let run = RunDir::new(run_dir);
        let config = run.config();
        let consts = Constants::from_config(&energy_config(&config)?);
        let name = maybe_yaml::<serde_yaml_ng::Value>(&config)?
            .and_then(|v| v.get("name")?.as_str().map(str::to_string))
            .unwrap_or_else(|| {
                run_dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
        let mut sidecars = BTreeMap::new();
        for st in TRAIN_STAGES {
            if let Some(s) = maybe_yaml::<Sidecar>(&run.sidecar(st))? {
                sidecars.insert(st, s);
            }
        }
        let assignment = maybe_yaml::<Assignment>(&run.assignment())?;
        let lib_dir = library
            .map(Path::to_path_buf)
            .or_else(|| assignment.as_ref().map(|a| PathBuf::from(&a.library)))
            .unwrap_or_else(|| run.library());
        let (library, library_cost_flow) = if lib_dir.join(crate::library::store::INDEX).is_file() {
            (
                Some(Library::load(&lib_dir)?),
                crate::library::store::read_index(&lib_dir)?.cost_flow,
            )
        } else {
            (None, None)
        };
        let cosim_path = run.rtl().cosim();
        let cosim = maybe_json::<CosimReport>(&cosim_path)?;
        if let Some(c) = &cosim {
            newer(&cosim_path, c.version, crate::eda::cosim::COSIM_VERSION)?;
        }
        Ok(Sources {
            name,
            consts,
            sidecars,
            intnet: maybe_json(&run.intnet())?,
            assignment,
            lib_dir,
            library,
            library_cost_flow,
            evals: maybe_json(&run.eval())?,
            retrain_evals: maybe_json(&run.retrain_eval())?,
            error_model: maybe_json(&run.error_model())?,
            synth: read_synth(&run.rtl().synth())?,
            synth_exact: read_synth(&run.rtl_exact().synth())?,
            cosim,
            sweep: maybe_json(&run.sweep_json())?,
            run,
        })
    }

    /// The sidecar that lists the layers: the last training stage that ran.
    fn layer_sidecar(&self) -> Option<&Sidecar> {
        ["agn", "qat", "baseline"]
            .iter()
            .find_map(|st| self.sidecars.get(st))
    }
}

/// Gather the report of `run_dir`. `library` overrides the library
/// directory named by the assignment (or `RUN_DIR/library`).
pub fn collect(run_dir: &Path, library: Option<&Path>) -> Result<Report> {
    let s = Sources::load(run_dir, library)?;
    let mut r = Report {
        version: REPORT_VERSION,
        name: s.name.clone(),
        sources: run_files()
            .into_iter()
            .filter(|f| s.run.at(f).is_file())
            .collect(),
        ..Default::default()
    };
    header_and_accuracy(&s, &mut r);
    let measured = error_model(&s, &mut r);
    area_and_timing(&mut r, &s.synth, &s.synth_exact);
    if let Some(c) = &s.cosim {
        r.cosim = cosim_summary(c);
    }
    system_energy(&mut r, &s)?;
    layers_and_energy(&s, &measured, &mut r);
    r.sweep = s.sweep.clone();
    stages(&s, &mut r);
    Ok(r)
}

/// Model, data set, library and the accuracy of every stage that ran.
fn header_and_accuracy(s: &Sources, r: &mut Report) {
    if let Some(sc) = s.layer_sidecar() {
        r.model = Some(sc.model.clone());
        r.dataset = Some(sc.dataset.clone());
    }
    r.library = Some(s.lib_dir.display().to_string());
    r.library_cost_flow = s.library_cost_flow.clone();
    if s.assignment.is_some() && s.library.is_none() {
        r.notes.push(format!(
            "library {} not found: multiplier metrics not shown",
            s.lib_dir.display()
        ));
    }
    let acc = |st: &str| s.sidecars.get(st).map(|sc| sc.test_accuracy);
    r.accuracy.baseline = acc("baseline");
    r.accuracy.qat = acc("qat");
    r.accuracy.agn = acc("agn");
    // Evaluations (`intnet::evalfile`): `exact`, and the assignment's record.
    if let Some(ev) = &s.evals {
        r.accuracy.exact = ev.get("exact").map(|x| x.top1);
        r.accuracy.approx = approx_record(ev).map(|x| x.top1);
        r.accuracy.approx_paper = ev.get("assignment_paper").map(|x| x.top1);
        r.energy.relative_multiplication_paper =
            ev.get("assignment_paper").and_then(|x| x.relative_energy);
    }
    r.accuracy.retrained = s
        .retrain_evals
        .as_ref()
        .and_then(approx_record)
        .map(|x| x.top1);
}

/// Which stages have run, from the files they leave.
fn stages(s: &Sources, r: &mut Report) {
    for (k, done) in [
        ("train", s.sidecars.contains_key("agn")),
        ("quantize", s.intnet.is_some()),
        ("assign", s.assignment.is_some()),
        ("eval", s.evals.is_some()),
        ("retrain", s.retrain_evals.is_some()),
        ("synth", s.synth.is_some()),
        ("cosim", s.cosim.is_some()),
        ("sweep", s.sweep.is_some()),
    ] {
        r.stages.insert(
            k.to_string(),
            if done { "done" } else { "not run" }.to_string(),
        );
    }
}

/// The multiplying layers (the training sidecar's list, else the
/// assignment's, else the integer network's), each joined by name with
/// its assignment, library entry, integer-network node, synthesized engine
/// and operand stream; then the network's datapath energy.
fn layers_and_energy(s: &Sources, measured: &BTreeMap<(String, String), f64>, r: &mut Report) {
    let mut names: Vec<String> = match (s.layer_sidecar(), &s.assignment) {
        (Some(sc), _) => sc.layers.iter().map(|l| l.name.clone()).collect(),
        (None, Some(a)) => a.layers.iter().map(|l| l.layer.clone()).collect(),
        (None, None) => s
            .intnet
            .as_ref()
            .map(|n| n.mac_layers().map(|(n, _)| n.name.clone()).collect())
            .unwrap_or_default(),
    };
    names.dedup();
    let n_layers = names.len();
    let mut rel_pairs = Vec::new();
    let mut total_exact = Breakdown::default();
    let mut total_approx = Breakdown::default();
    for (i, name) in names.iter().enumerate() {
        let (layer, exact, approx) = layer(s, name, i + 1 < n_layers, measured, &mut r.notes);
        total_exact.add(&exact);
        total_approx.add(&approx);
        rel_pairs.push((layer.macs, layer.energy_rel));
        r.layers.push(layer);
    }
    network_energy(s, r, &rel_pairs, total_exact, total_approx);
}

/// One layer of the report with its exact and assigned datapath energy.
/// `requantized`: whether its outputs are requantized when the integer
/// network does not say (all but the last layer).
fn layer(
    s: &Sources,
    name: &str,
    requantized: bool,
    measured: &BTreeMap<(String, String), f64>,
    notes: &mut Vec<String>,
) -> (Layer, Breakdown, Breakdown) {
    let consts = &s.consts;
    let mut layer = Layer {
        name: name.to_string(),
        ..Default::default()
    };
    if let Some(info) = s
        .layer_sidecar()
        .and_then(|sc| sc.layers.iter().find(|l| l.name == name))
    {
        layer.kind = info.kind.clone();
        layer.shape = info.shape.clone();
        layer.macs = info.macs;
        layer.sigma = Some(info.sigma);
    }
    let choice = s
        .assignment
        .as_ref()
        .and_then(|a| a.layers.iter().find(|l| l.layer == name));
    if let Some(c) = choice {
        if layer.macs == 0 {
            layer.macs = c.macs;
        }
        layer.tolerance = Some(c.tolerance);
        layer.predicted_std = Some(c.predicted_std);
        let entry = s.library.as_ref().and_then(|l| l.entry(&c.multiplier));
        if s.library.is_some() && entry.is_none() {
            notes.push(format!(
                "assignment.yaml: layer `{name}`: multiplier `{}` is not in library {}",
                c.multiplier,
                s.lib_dir.display()
            ));
        }
        layer.energy_rel = entry.map(|e| e.cost.energy_rel).unwrap_or(c.energy_rel);
        layer.multiplier = Some(Multiplier {
            id: c.multiplier.clone(),
            family: entry.map(|e| e.family.clone()),
            metrics: entry.map(|e| e.metrics.clone()),
            cost: entry.map(|e| e.cost.clone()),
        });
        layer.measured_std = measured
            .get(&(name.to_string(), c.multiplier.clone()))
            .copied();
    } else {
        layer.energy_rel = 1.0;
    }
    // Work of the layer: from the integer network where present, else
    // from the sidecar's weight shape (macs = outputs * fan-in).
    layer.fan_in = layer.shape.iter().skip(1).product::<usize>() as u64;
    let mut work = LayerWork {
        macs: layer.macs,
        outputs: layer.macs.checked_div(layer.fan_in).unwrap_or(0),
        weight_bytes: layer.shape.iter().product::<usize>() as u64,
        activation_bytes: 0,
        requantized,
    };
    let node = s.intnet.as_ref().and_then(|net| {
        let nd = net.nodes.iter().find(|nd| nd.name == name)?;
        match &nd.op {
            Op::Conv(l) | Op::Linear(l) => Some((net, nd, l)),
            _ => None,
        }
    });
    if let Some((net, nd, l)) = node {
        let in_len = net.tensor_shapes()[nd.input].len();
        work.outputs = nd.out.len() as u64;
        work.weight_bytes = l.weights.len() as u64;
        work.activation_bytes = (in_len + nd.out.len()) as u64;
        work.requantized = l.requant.is_some();
        layer.fan_in = (l.in_ch * l.kernel * l.kernel) as u64;
        if layer.macs == 0 {
            layer.macs = work.outputs * layer.fan_in;
            work.macs = layer.macs;
        }
        if layer.kind.is_empty() {
            layer.kind = if matches!(nd.op, Op::Conv(_)) {
                "conv"
            } else {
                "linear"
            }
            .into();
        }
    }
    if work.activation_bytes == 0 {
        work.activation_bytes = 2 * work.outputs;
    }
    layer.outputs = work.outputs;
    layer.energy_per_mult_pj = consts.mult8_pj * layer.energy_rel;
    layer.energy_per_mac_pj = layer.energy_per_mult_pj + consts.add32_pj;
    layer.weight_access_pj = consts.buffer_access_pj(work.weight_bytes);
    layer.activation_access_pj = consts.buffer_access_pj(work.activation_bytes);
    let exact = energy::layer_energy(consts, &work, 1.0);
    let approx = energy::layer_energy(consts, &work, layer.energy_rel);
    layer.multiplication_exact_pj = exact.multiply_pj;
    layer.multiplication_pj = approx.multiply_pj;
    layer.datapath_exact_pj = exact.total_pj();
    layer.datapath_pj = approx.total_pj();
    layer.breakdown = approx.clone();
    let engine_area = |synth: &Option<SynthReport>| {
        synth
            .as_ref()?
            .engines
            .iter()
            .find(|e| e.layer == name)
            .map(|e| e.area.area_ge)
    };
    layer.engine_area_ge = engine_area(&s.synth);
    layer.engine_area_exact_ge = engine_area(&s.synth_exact);
    if let Some(st) = s
        .cosim
        .iter()
        .flat_map(|c| &c.stream_energy)
        .find(|st| st.layer == name)
    {
        layer.mult_real_stream_pj = Some(st.real_pj);
        layer.mult_uniform_pj = Some(st.uniform_pj);
    }
    (layer, exact, approx)
}

/// The network's datapath energy from its layers' (`rel_pairs`: MACs and
/// relative multiplier energy per layer), and the multipliers' area from
/// the library, one lane per layer.
fn network_energy(
    s: &Sources,
    r: &mut Report,
    rel_pairs: &[(u64, f64)],
    total_exact: Breakdown,
    total_approx: Breakdown,
) {
    r.energy.constants = s.consts.table();
    r.energy.assumptions = energy::ASSUMPTIONS.iter().map(|s| s.to_string()).collect();
    r.energy.multiplication_exact_pj = total_exact.multiply_pj;
    r.energy.datapath_exact_pj = total_exact.total_pj();
    let Some(a) = s.assignment.as_ref().filter(|_| !r.layers.is_empty()) else {
        r.energy.breakdown_exact = total_exact;
        return;
    };
    let own = energy::relative_multiplication(rel_pairs);
    r.energy.relative_multiplication = Some(own);
    r.energy.relative_datapath = Some(total_approx.total_pj() / total_exact.total_pj());
    r.energy.multiplication_approx_pj = Some(total_approx.multiply_pj);
    r.energy.datapath_approx_pj = Some(total_approx.total_pj());
    r.energy.breakdown_approx = Some(total_approx);
    r.energy.breakdown_exact = total_exact;
    if (own - a.relative_energy).abs() > 1e-6 * a.relative_energy.abs().max(1.0) {
        r.notes.push(format!(
            "assignment.yaml states relative energy {:.6}; recomputed from the library: {:.6}",
            a.relative_energy, own
        ));
    }
    if let Some(lib) = &s.library {
        let signed = lib_signed(a, lib);
        let exact = lib
            .entries
            .iter()
            .filter(|e| e.metrics.ep_pct == 0.0 && e.signed == signed)
            .map(|e| e.cost.area_ge)
            .fold(None, |m: Option<f64>, a| Some(m.map_or(a, |m| m.min(a))));
        r.area.multipliers_approx_ge = r
            .layers
            .iter()
            .map(|l| l.multiplier.as_ref()?.cost.as_ref().map(|c| c.area_ge))
            .sum();
        r.area.multipliers_exact_ge = exact.map(|e| e * r.layers.len() as f64);
    }
}

/// Error model validation (`errmodel::validate`) into `r.error_model`: the
/// population model is compared with the raw error std, the per-channel
/// model with the error left after its bias correction. Returns the
/// measured std per (layer, multiplier) of the assignment's model.
fn error_model(s: &Sources, r: &mut Report) -> BTreeMap<(String, String), f64> {
    let per_channel = s
        .assignment
        .as_ref()
        .is_some_and(|a| a.model == "per-channel");
    let mut measured: BTreeMap<(String, String), f64> = BTreeMap::new();
    if let Some(em) = &s.error_model {
        let mut summary = ErrorModelSummary::default();
        summary
            .share_within
            .insert("population".into(), em.summary.share_within.population);
        summary
            .share_within
            .insert("per-channel".into(), em.summary.share_within.per_channel);
        for p in &em.pairs {
            let key = (p.layer.clone(), p.multiplier.clone());
            measured.insert(
                key,
                if per_channel {
                    p.measured_compensated
                } else {
                    p.measured
                },
            );
            for (model, predicted, meas) in [
                ("population", p.predicted_population, p.measured),
                (
                    "per-channel",
                    p.predicted_per_channel,
                    p.measured_compensated,
                ),
            ] {
                summary.pairs.push(ErrorPair {
                    layer: p.layer.clone(),
                    multiplier: p.multiplier.clone(),
                    model: model.into(),
                    predicted_std: predicted,
                    measured_std: meas,
                    flag: crate::errmodel::validate::flag(predicted, meas, p.y_std)
                        .map(str::to_string),
                });
            }
        }
        summary.network = em.network.clone();
        r.error_model = Some(summary);
    }
    measured
}

/// Area and timing of the heterogeneous (`rtl/`) and the all-exact
/// (`rtl_exact/`) design from their synthesis reports.
fn area_and_timing(r: &mut Report, synth: &Option<SynthReport>, synth_exact: &Option<SynthReport>) {
    r.area.approx_ge = synth.as_ref().map(|s| s.total.area_ge);
    r.area.exact_ge = synth_exact.as_ref().map(|s| s.total.area_ge);
    if let (Some(a), Some(e)) = (r.area.approx_ge, r.area.exact_ge) {
        r.area.relative = Some(a / e);
    }
    r.area.breakdown_approx = synth.as_ref().map(area_breakdown);
    r.area.breakdown_exact = synth_exact.as_ref().map(area_breakdown);
    r.area.breakdown_approx_um2 = synth.as_ref().and_then(area_breakdown_um2);
    r.area.breakdown_exact_um2 = synth_exact.as_ref().and_then(area_breakdown_um2);
    r.area.approx_um2 = r.area.breakdown_approx_um2.as_ref().map(|b| b.total);
    r.area.exact_um2 = r.area.breakdown_exact_um2.as_ref().map(|b| b.total);
    r.timing.approx = synth.as_ref().and_then(|s| s.timing.clone());
    r.timing.exact = synth_exact.as_ref().and_then(|s| s.timing.clone());
    r.area.liberty = synth
        .as_ref()
        .or(synth_exact.as_ref())
        .and_then(|s| s.liberty.clone());
}

/// The report's co-simulation summary of `cosim.json`.
fn cosim_summary(c: &CosimReport) -> Cosim {
    Cosim {
        images: Some(c.images as u64),
        mismatches: Some(c.mismatches as u64),
        cycles_per_inference: Some(c.cycles_per_inference),
        simulator: serde_json::to_value(c.simulator)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string)),
        multipliers_checked: Some(c.multipliers.len() as u64),
        multipliers_failed: Some(
            c.multipliers
                .iter()
                .filter(|m| m.mismatches != 0 || !m.equivalent)
                .count() as u64,
        ),
        counters_match_schedule: c.counters_match_schedule,
    }
}

/// System energy (`report::system`) of each design that was exported and
/// synthesized (`[heterogeneous, exact]` synthesis reports), multipliers
/// priced by the library's absolute energy where it has one.
fn system_energy(r: &mut Report, s: &Sources) -> Result<()> {
    let (run, consts) = (&s.run, &s.consts);
    let mult_pj = |id: &str, signed: bool| -> Option<f64> {
        s.library
            .as_ref()?
            .entry(id)
            .and_then(|e| (e.signed == signed).then_some(e.cost.energy_pj).flatten())
    };
    for (dir, synth, exact) in [
        (run.rtl(), &s.synth, false),
        (run.rtl_exact(), &s.synth_exact, true),
    ] {
        // Exports written before the network was stored beside them
        // cannot be counted: no system energy, nothing to note.
        let Some(synth) = synth
            .as_ref()
            .filter(|_| dir.manifest().is_file() && dir.intnet().is_file())
        else {
            continue;
        };
        match super::system::for_export(&dir, synth, consts, &mult_pj)? {
            Ok((b, memories)) => {
                let gate_level = gate_level(&dir, &b)?;
                if exact {
                    r.energy.gate_level_exact = gate_level;
                } else {
                    r.energy.gate_level_approx = gate_level;
                }
                if exact {
                    r.energy.system_exact_pj = Some(b.total);
                    r.energy.system_breakdown_exact = Some(b);
                } else {
                    r.energy.system_approx_pj = Some(b.total);
                    r.energy.system_breakdown_approx = Some(b);
                    r.memories = memories;
                }
            }
            Err(why) => r.notes.push(format!(
                "{}: no system energy: {why}",
                rel::in_export(if exact { rel::RTL_EXACT } else { rel::RTL }, export::SYNTH)
            )),
        }
    }
    if r.energy.system_exact_pj.is_some() || r.energy.system_approx_pj.is_some() {
        r.energy.system_model = super::system::MODEL.iter().map(|s| s.to_string()).collect();
    }
    Ok(())
}

/// The export's gate-level simulation (`gatesim.json`) beside the system
/// model's logic parts `b`, if it was run.
fn gate_level(
    dir: &crate::rundir::ExportDir,
    b: &super::system::SystemBreakdown,
) -> Result<Option<super::model::GateLevel>> {
    let path = dir.gatesim();
    let Some(g) = maybe_json::<crate::eda::gatesim::GateSimReport>(&path)? else {
        return Ok(None);
    };
    newer(&path, g.version, crate::eda::gatesim::GATESIM_VERSION)?;
    let ops = b.multipliers + b.adders_accumulators + b.requantization + b.pool_residual;
    Ok(Some(super::model::GateLevel {
        images: g.images,
        mismatches: g.mismatches,
        cycles_per_inference: g.cycles_per_inference,
        difference_datapath: (g.energy.total_pj - g.energy.clock_pj) / ops - 1.0,
        difference_total: g.energy.total_pj / (ops + b.clock) - 1.0,
        activity: g.energy,
        model_operations_pj: ops,
        model_clock_pj: b.clock,
    }))
}

/// Signedness of the assigned designs (unsigned when unknown).
fn lib_signed(assignment: &Assignment, lib: &Library) -> bool {
    assignment
        .layers
        .first()
        .and_then(|c| lib.entry(&c.multiplier))
        .map(|e| e.signed)
        .unwrap_or(false)
}
