//! `codesign report` on a synthetic run directory built from the real types
//! (sidecars, assignment, eval records, error-model validation, a real
//! multiplier library): every number in `report.json` is checked against an
//! independent computation, the Accelergy tables are parsed back and checked
//! against the report, and the HTML is rendered in headless Chromium.

mod common;

use codesign::assign::{Assignment, LayerChoice};
use codesign::errmodel::validate::{
    model_summary, ErrorModelReport, ImageSet, PairEntry, ShareWithin, Summary, RELATIVE_THRESHOLD,
    WINDOW,
};
use codesign::intnet::evalfile::{self, EvalRecord, LayerMultiplier};
use codesign::library::generators::{Design, Reducer, Spec};
use codesign::library::Library;
use codesign::sidecar::{LayerInfo, Sidecar};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const EXE: &str = env!("CARGO_BIN_EXE_codesign");

/// (name, kind, weight shape, outputs per inference).
const LAYERS: &[(&str, &str, &[usize], u64)] = &[
    ("conv1", "conv", &[8, 1, 3, 3], 512),
    ("conv2", "conv", &[16, 8, 3, 3], 256),
    ("fc", "linear", &[10, 256], 10),
];

struct Fixture {
    _tmp: tempfile::TempDir,
    run: PathBuf,
    lib: Library,
    /// Multiplier id per layer.
    ids: Vec<String>,
    sigmas: Vec<f64>,
}

fn macs(shape: &[usize], outputs: u64) -> u64 {
    outputs * shape[1..].iter().product::<usize>() as u64
}

fn sidecar(stage: &str, acc: f64, sigmas: &[f64]) -> Sidecar {
    Sidecar {
        stage: stage.into(),
        model: "digits_cnn".into(),
        dataset: "digits".into(),
        seed: 1,
        epochs: 3,
        test_accuracy: acc,
        lambda: if stage == "agn" { 0.2 } else { 0.0 },
        layers: LAYERS
            .iter()
            .zip(sigmas)
            .map(|((name, kind, shape, outputs), s)| LayerInfo {
                name: name.to_string(),
                kind: kind.to_string(),
                shape: shape.to_vec(),
                macs: macs(shape, *outputs),
                sigma: *s,
                ..serde_yaml_ng::from_str::<LayerInfo>(
                    "{name: x, kind: conv, shape: [1], macs: 1, sigma: 0}",
                )
                .unwrap()
            })
            .collect(),
    }
}

fn record(assignment: Option<&Path>, ids: &[String], top1: f64) -> EvalRecord {
    EvalRecord {
        network: "digits".into(),
        assignment: assignment.map(|p| p.display().to_string()),
        library: None,
        multipliers: LAYERS
            .iter()
            .zip(ids)
            .map(|(l, id)| LayerMultiplier {
                layer: l.0.into(),
                multiplier: id.clone(),
            })
            .collect(),
        relative_energy: None,
        dataset: "digits".into(),
        split: "test".into(),
        images: 360,
        top1,
        top5: Some(1.0),
    }
}

/// A run directory with every stage's output except synthesis.
fn fixture(energy_override: bool) -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    let lib_dir = tmp.path().join("lib");
    let designs: Vec<Design> = [
        Spec::Exact(Reducer::Array),
        Spec::Truncation {
            k: 6,
            compensated: false,
        },
        Spec::Drum { k: 4 },
    ]
    .into_iter()
    .map(|s| Design::new(s, false))
    .collect();
    let built = codesign::library::build::build_designs(&designs).unwrap();
    codesign::library::build::write_new(&lib_dir, &built).unwrap();
    let lib = Library::load(&lib_dir).unwrap();
    let ids: Vec<String> = designs.iter().map(|d| d.id()).collect();

    let mut config =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("configs/digits.yaml"))
            .unwrap();
    if energy_override {
        config.push_str("energy: {mult8_pj: 0.25, sram_8kb_pj: 12.0, source: \"test override\"}\n");
    }
    codesign::io::write_atomic(run.join("config.yaml"), config.as_bytes()).unwrap();

    let sigmas = vec![0.02, 0.3, 0.11];
    codesign::io::write_yaml(
        run.join("train/baseline.yaml"),
        &sidecar("baseline", 0.981, &[0.1; 3]),
    )
    .unwrap();
    codesign::io::write_yaml(
        run.join("train/qat.yaml"),
        &sidecar("qat", 0.975, &[0.1; 3]),
    )
    .unwrap();
    codesign::io::write_yaml(run.join("train/agn.yaml"), &sidecar("agn", 0.969, &sigmas)).unwrap();

    let layers: Vec<LayerChoice> = LAYERS
        .iter()
        .zip(&ids)
        .enumerate()
        .map(|(i, ((name, _, shape, outputs), id))| LayerChoice {
            layer: name.to_string(),
            multiplier: id.clone(),
            predicted_std: 10.0 * (i + 1) as f64,
            tolerance: 100.0 + i as f64,
            macs: macs(shape, *outputs),
            energy_rel: lib.entry(id).unwrap().cost.energy_rel,
            bias_correction: vec![],
        })
        .collect();
    let assignment = Assignment {
        library: lib_dir.display().to_string(),
        model: "population".into(),
        relative_energy: 0.0,
        layers,
        repair: None,
    };
    let mut assignment = assignment;
    let total: f64 = assignment.layers.iter().map(|l| l.macs as f64).sum();
    assignment.relative_energy = assignment
        .layers
        .iter()
        .map(|l| l.macs as f64 * l.energy_rel)
        .sum::<f64>()
        / total;
    codesign::io::write_yaml(run.join("assignment.yaml"), &assignment).unwrap();

    let a = run.join("assignment.yaml");
    evalfile::update(
        &run.join("eval.json"),
        "exact",
        record(None, &vec!["exact".into(); 3], 0.9694),
    )
    .unwrap();
    evalfile::update(
        &run.join("eval.json"),
        "assignment",
        record(Some(&a), &ids, 0.9611),
    )
    .unwrap();
    evalfile::update(
        &run.join("retrain/eval.json"),
        "assignment",
        record(Some(&a), &ids, 0.9667),
    )
    .unwrap();

    let mut pairs = Vec::new();
    for (l, (name, ..)) in LAYERS.iter().enumerate() {
        for (m, id) in ids.iter().enumerate() {
            let p = (l * 3 + m) as f64 + 1.0;
            pairs.push(PairEntry {
                layer: name.to_string(),
                multiplier: id.clone(),
                y_std: 1000.0,
                predicted_population: p,
                predicted_per_channel: 0.9 * p,
                measured: 1.1 * p,
                measured_compensated: 0.8 * p,
                predicted_sampled: None,
                measured_sampled: None,
                outputs: 100,
            });
        }
    }
    let population = model_summary(
        pairs
            .iter()
            .map(|p| (p.predicted_population, p.measured, p.y_std)),
    );
    let per_channel = model_summary(
        pairs
            .iter()
            .map(|p| (p.predicted_per_channel, p.measured_compensated, p.y_std)),
    );
    let em = ErrorModelReport {
        calibration_images: ImageSet {
            split: "train".into(),
            indices: (0..8).collect(),
        },
        validation_images: ImageSet {
            split: "train".into(),
            indices: (8..16).collect(),
        },
        images: 8,
        samples: 64,
        pairs,
        summary: Summary {
            relative_threshold: RELATIVE_THRESHOLD,
            window: WINDOW,
            share_within: ShareWithin {
                population: population.share_within,
                per_channel: per_channel.share_within,
                sampled: None,
            },
            population,
            per_channel,
            sampled: None,
        },
        network: vec![],
    };
    codesign::io::write_json(run.join("error_model.json"), &em).unwrap();
    {
        use codesign::eda::cosim::{CosimReport, MultCheck, Sim, COSIM_VERSION};
        let check = |m: &str, mismatches: usize, equivalent: bool| MultCheck {
            module: format!("mul_{m}"),
            multiplier: m.into(),
            mismatches,
            equivalent,
        };
        let cosim = CosimReport {
            version: COSIM_VERSION,
            images: 20,
            mismatches: 0,
            logit_mismatches: 0,
            cycles_per_inference: 4321.0,
            cycles_estimate: 4321,
            simulator: Sim::Iverilog,
            first_mismatches: vec![],
            top: "digits_top".into(),
            multipliers: vec![
                check("a", 0, true),
                check("b", 3, true),
                check("c", 0, false),
            ],
            counters: vec![],
            counters_match_schedule: None,
            stream_energy: vec![],
        };
        codesign::io::write_json(run.join("rtl/cosim.json"), &cosim).unwrap();
    }
    // Synthesis of both designs (`eda::synth`'s format): engine areas per layer.
    for (dir, scale) in [("rtl", 1.0), ("rtl_exact", 2.0)] {
        use codesign::eda::synth::{Area, SynthReport, UnitArea};
        let area = |ge: f64| Area {
            cells: (ge / 2.0) as u64,
            flip_flops: 10,
            area_ge: ge,
            area_um2: ge * 0.798,
        };
        let rep = SynthReport {
            version: codesign::eda::synth::SYNTH_VERSION,
            top: "digits_top".into(),
            area_model: "test".into(),
            total: area(10_000.0 * scale),
            engines: LAYERS
                .iter()
                .enumerate()
                .map(|(i, l)| UnitArea {
                    layer: l.0.into(),
                    kind: "mac_engine".into(),
                    module: format!("{}_engine", l.0),
                    multiplier: Some(ids[i].clone()),
                    lanes: 8,
                    area: area(1000.0 * (i + 1) as f64 * scale),
                    rom_area_ge: 0.0,
                    rom_area_um2: 0.0,
                    multiplier_area: Some(area(100.0 * scale)),
                })
                .collect(),
            buffers: area(3000.0),
            other: area(500.0),
            logic: area(10_000.0 * scale - 3000.0),
            memory_area_ge: 3000.0,
            memory_area_um2: 3000.0 * 0.798,
            liberty: None,
            clock_ns: None,
            yosys_chip_area_um2: None,
            sta_netlist: None,
            timing: None,
            memories: vec![],
            memory_model: "test".into(),
            log: "yosys.log".into(),
        };
        codesign::io::write_json(run.join(dir).join("synth.json"), &rep).unwrap();
    }
    let sweep = codesign::report::model::Sweep {
        config: "configs/digits.yaml".into(),
        points: [(0.05, 0.97, 0.9), (0.2, 0.96, 0.7), (0.5, 0.93, 0.5)]
            .iter()
            .map(|&(lambda, acc, rel)| codesign::report::model::SweepPoint {
                lambda,
                accuracy: Some(acc),
                accuracy_paper: Some(acc - 0.3),
                accuracy_retrained: Some(acc + 0.005),
                exact_accuracy: Some(0.97),
                relative_energy: rel,
                relative_energy_paper: Some(0.8 * rel),
                sigmas: sigmas.clone(),
                multipliers: ids.clone(),
                multipliers_paper: None,
            })
            .collect(),
    };
    codesign::io::write_json(run.join("sweep.json"), &sweep).unwrap();
    Fixture {
        _tmp: tmp,
        run,
        lib,
        ids,
        sigmas,
    }
}

fn report(run: &Path, extra: &[&str]) -> Value {
    let out = Command::new(EXE)
        .arg("report")
        .arg(run)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "codesign report failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(run.join("report/report.json")).unwrap()).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn report_numbers_match_an_independent_computation() {
    let fx = fixture(true);
    let r = report(&fx.run, &["--browser", "skip"]);

    let acc = &r["accuracy"];
    assert_eq!(
        (f(&acc["baseline"]), f(&acc["qat"]), f(&acc["agn"])),
        (0.981, 0.975, 0.969)
    );
    assert_eq!(
        (f(&acc["exact"]), f(&acc["approx"]), f(&acc["retrained"])),
        (0.9694, 0.9611, 0.9667)
    );

    // Constants: the override and its source, the rest Horowitz's.
    let consts = r["energy"]["constants"].as_array().unwrap();
    let c = |n: &str| {
        consts
            .iter()
            .find(|c| c["name"] == n)
            .unwrap_or_else(|| panic!("constant {n}"))
    };
    assert_eq!(f(&c("mult8_pj")["value"]), 0.25);
    assert_eq!(c("mult8_pj")["source"], "test override");
    assert_eq!(f(&c("add32_pj")["value"]), 0.1);
    assert!(c("add32_pj")["source"]
        .as_str()
        .unwrap()
        .contains("Horowitz"));
    let (mult8, add32, mult32, sram) = (0.25, 0.1, 3.1, 12.0);

    // Relative multiplication energy and the datapath estimate, recomputed
    // from the sidecar shapes and the library entries.
    let mut macs_total = 0.0;
    let mut weighted = 0.0;
    let (mut dp_exact, mut dp_approx) = (0.0, 0.0);
    let layers = r["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 3);
    for (i, ((name, kind, shape, outputs), id)) in LAYERS.iter().zip(&fx.ids).enumerate() {
        let l = &layers[i];
        let entry = fx.lib.entry(id).unwrap();
        let m = macs(shape, *outputs) as f64;
        let rel = entry.cost.energy_rel;
        macs_total += m;
        weighted += m * rel;
        let o = *outputs as f64;
        let requant = if i + 1 < LAYERS.len() { mult32 } else { 0.0 };
        // Weights and activations are small here: every buffer is an 8 KB array.
        let rest = m * add32 + o * (add32 + requant) + m / 8.0 * sram * 2.0 + o / 8.0 * sram;
        dp_exact += m * mult8 + rest;
        dp_approx += m * mult8 * rel + rest;

        assert_eq!(l["name"], *name);
        assert_eq!(l["kind"], *kind);
        assert_eq!(f(&l["macs"]), m);
        assert_eq!(f(&l["sigma"]), fx.sigmas[i]);
        assert_eq!(f(&l["tolerance"]), 100.0 + i as f64);
        assert_eq!(f(&l["predicted_std"]), 10.0 * (i + 1) as f64);
        assert!(
            close(f(&l["measured_std"]), 1.1 * (i * 3 + i + 1) as f64),
            "measured std of {name}: {}",
            l["measured_std"]
        );
        assert_eq!(l["multiplier"]["id"], id.as_str());
        assert!(close(
            f(&l["multiplier"]["metrics"]["mae_pct"]),
            entry.metrics.mae_pct
        ));
        assert!(close(
            f(&l["multiplier"]["cost"]["area_ge"]),
            entry.cost.area_ge
        ));
        assert!(close(f(&l["energy_per_mult_pj"]), mult8 * rel));
        assert!(close(f(&l["multiplication_pj"]), m * mult8 * rel));
        assert!(close(f(&l["multiplication_exact_pj"]), m * mult8));
        assert!(close(f(&l["datapath_pj"]), m * mult8 * rel + rest));
    }
    let e = &r["energy"];
    assert!(close(
        f(&e["relative_multiplication"]),
        weighted / macs_total
    ));
    assert!(close(f(&e["multiplication_exact_pj"]), macs_total * mult8));
    assert!(close(f(&e["multiplication_approx_pj"]), weighted * mult8));
    assert!(close(f(&e["datapath_exact_pj"]), dp_exact));
    assert!(close(f(&e["relative_datapath"]), dp_approx / dp_exact));
    assert!(
        f(&e["relative_datapath"]) > f(&e["relative_multiplication"]),
        "other operations dilute the savings"
    );

    assert_eq!(
        (
            f(&r["cosim"]["images"]),
            f(&r["cosim"]["mismatches"]),
            f(&r["cosim"]["cycles_per_inference"]),
            f(&r["cosim"]["multipliers_checked"]),
            f(&r["cosim"]["multipliers_failed"])
        ),
        (20.0, 0.0, 4321.0, 3.0, 2.0)
    );
    assert_eq!(
        (
            f(&r["area"]["approx_ge"]),
            f(&r["area"]["exact_ge"]),
            f(&r["area"]["relative"])
        ),
        (10_000.0, 20_000.0, 0.5)
    );
    // By part: engines 1000 + 2000 + 3000 (x2 exact), multipliers 3 layers
    // x 8 lanes x 100 (x2 exact), buffers 3000, other 500.
    for (key, scale) in [("breakdown_approx", 1.0), ("breakdown_exact", 2.0)] {
        let b = &r["area"][key];
        assert_eq!(
            (
                f(&b["engines_ge"]),
                f(&b["multipliers_ge"]),
                f(&b["buffers_ge"]),
                f(&b["other_ge"])
            ),
            (6000.0 * scale, 2400.0 * scale, 3000.0, 500.0),
            "{key}"
        );
        // The memory macros' share comes from synth.json's `memory_area_ge`.
        assert_eq!(f(&b["memories_ge"]), 3000.0, "{key}");
    }
    for (i, l) in layers.iter().enumerate() {
        assert_eq!(
            (f(&l["engine_area_ge"]), f(&l["engine_area_exact_ge"])),
            (1000.0 * (i + 1) as f64, 2000.0 * (i + 1) as f64)
        );
    }
    let share = &r["error_model"]["share_within"];
    assert!(share["population"].is_number() && share["per-channel"].is_number());

    // Markdown and CSV show the same numbers; synthesis shows as not run.
    let md = std::fs::read_to_string(fx.run.join("report/report.md")).unwrap();
    assert!(
        md.contains(&format!(
            "| relative multiplication energy (paper's figure; multipliers only) | {:.4} |",
            weighted / macs_total
        )),
        "{md}"
    );
    assert!(
        md.contains("| synthesized area, exact accelerator (GE) | 20000 |"),
        "{md}"
    );
    assert!(md.contains("| accuracy: float baseline | 98.10% |"));
    assert!(md.contains("test override"));
    // The whole Markdown, reviewed (the run's temporary folder as `RUN`).
    let stable = md.replace(&fx._tmp.path().display().to_string(), "RUN");
    common::golden::check("report/report.md", &stable);
    let csv = std::fs::read_to_string(fx.run.join("report/layers.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4);
    assert!(csv.lines().nth(2).unwrap().starts_with(&format!(
        "conv2,conv,\"[16, 8, 3, 3]\",{},",
        macs(&[16, 8, 3, 3], 256)
    )));
    // The sweep's Pareto front over all three series of the fixture's
    // points (energy, top-1 %): the paper's choice at (0.4, 63), and the
    // retrained network at (0.5, 93.5), (0.7, 96.5), (0.9, 97.5); every
    // other point has one of these at no more energy and no less accuracy.
    let sweep = std::fs::read_to_string(fx.run.join("report/sweep.csv")).unwrap();
    let front: Vec<String> = sweep
        .lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split(",\"").collect();
            let lambda = l.split(',').next().unwrap().to_string();
            let front = if l.contains("\"paper's choice, retrained\"") {
                "paper's choice, retrained"
            } else if l.contains(",retrained,") {
                "retrained"
            } else {
                "-"
            };
            assert!(!cells.is_empty());
            format!("{lambda}: {front}")
        })
        .collect();
    assert_eq!(
        front,
        [
            "0.05: retrained",
            "0.2: retrained",
            "0.5: paper's choice, retrained"
        ],
        "{sweep}"
    );
}

#[test]
fn accelergy_tables_round_trip_against_the_report() {
    let fx = fixture(false);
    let r = report(&fx.run, &["--browser", "skip"]);
    let ert: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(fx.run.join("report/ERT.yaml")).unwrap())
            .unwrap();
    let art: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(fx.run.join("report/ART.yaml")).unwrap())
            .unwrap();
    // Layout: ERT: {version: 0.3, tables: [{name, actions: [{name, arguments: null, energy}]}]}.
    let ert = ert.as_mapping().unwrap();
    assert_eq!(ert.len(), 1);
    let body = &ert["ERT"];
    assert_eq!(body["version"].as_f64(), Some(0.3));
    let tables = body["tables"].as_sequence().unwrap();
    let energy = |comp: &str, action: &str| -> f64 {
        let t = tables
            .iter()
            .find(|t| t["name"].as_str() == Some(comp))
            .unwrap_or_else(|| panic!("ERT has no {comp}"));
        let a = t["actions"]
            .as_sequence()
            .unwrap()
            .iter()
            .find(|a| a["name"].as_str() == Some(action))
            .unwrap_or_else(|| panic!("{comp} has no {action}"));
        assert!(a["arguments"].is_null());
        a["energy"].as_f64().unwrap()
    };
    for t in tables {
        let keys: Vec<&str> = t
            .as_mapping()
            .unwrap()
            .keys()
            .map(|k| k.as_str().unwrap())
            .collect();
        assert_eq!(keys, ["name", "actions"]);
    }
    let consts = r["energy"]["constants"].as_array().unwrap();
    let c = |n: &str| f(&consts.iter().find(|c| c["name"] == n).unwrap()["value"]);
    assert_eq!(energy("exact_multiplier", "mult_random"), c("mult8_pj"));
    assert_eq!(energy("adder32", "add"), c("add32_pj"));
    assert_eq!(energy("adder8", "add"), c("add8_pj"));
    let layers = r["layers"].as_array().unwrap();
    let mut components = 4;
    for l in layers {
        let name = l["name"].as_str().unwrap();
        let id = l["multiplier"]["id"].as_str().unwrap();
        let rel = fx.lib.entry(id).unwrap().cost.energy_rel;
        assert!(close(
            energy(&format!("{name}.multiplier"), "mult_random"),
            f(&l["energy_per_mult_pj"])
        ));
        assert!(close(
            energy(&format!("{name}.multiplier"), "mult_random"),
            c("mult8_pj") * rel
        ));
        assert_eq!(energy(&format!("{name}.multiplier"), "idle"), 0.0);
        assert!(close(
            energy(&format!("{name}.mac"), "mac_random"),
            f(&l["energy_per_mac_pj"])
        ));
        assert!(close(
            energy(&format!("{name}.mac"), "mac_random"),
            c("mult8_pj") * rel + c("add32_pj")
        ));
        assert_eq!(
            energy(&format!("{name}.weight_buffer"), "read"),
            f(&l["weight_access_pj"])
        );
        assert_eq!(
            energy(&format!("{name}.activation_buffer"), "write"),
            f(&l["activation_access_pj"])
        );
        components += 4;
    }
    assert_eq!(tables.len(), components);

    let art = &art.as_mapping().unwrap()["ART"];
    assert_eq!(art["version"].as_f64(), Some(0.3));
    let areas = art["tables"].as_sequence().unwrap();
    for l in layers {
        let name = l["name"].as_str().unwrap();
        let t = areas
            .iter()
            .find(|t| t["name"].as_str() == Some(&format!("{name}.multiplier")))
            .unwrap();
        let ge = fx
            .lib
            .entry(l["multiplier"]["id"].as_str().unwrap())
            .unwrap()
            .cost
            .area_ge;
        assert!(close(t["area"].as_f64().unwrap(), ge * c("nand2_um2")));
    }
}

#[test]
fn missing_stages_show_as_not_run() {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path();
    codesign::io::write_yaml(run.join("train/qat.yaml"), &sidecar("qat", 0.97, &[0.1; 3])).unwrap();
    let r = report(run, &["--browser", "skip"]);
    assert_eq!(f(&r["accuracy"]["qat"]), 0.97);
    assert!(r["accuracy"]["approx"].is_null() && r["energy"]["relative_multiplication"].is_null());
    assert_eq!(r["stages"]["assign"], "not run");
    assert_eq!(r["layers"].as_array().unwrap().len(), 3);
    let md = std::fs::read_to_string(run.join("report/report.md")).unwrap();
    assert!(md.contains(
        "| accuracy: integer, assigned multipliers (after the accuracy budget) | not run |"
    ));

    // A file that exists but is broken is an error naming it, exit 2.
    std::fs::write(run.join("assignment.yaml"), "layers: [").unwrap();
    let out = Command::new(EXE)
        .arg("report")
        .arg(run)
        .args(["--browser", "skip"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("assignment.yaml"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

/// The HTML report in real headless Chromium: it loads, every plot is laid
/// out, the plots' SVG elements are in the rendered DOM, and the
/// screenshot is kept next to the report.
#[test]
fn html_report_renders_in_headless_chromium() {
    let chromium = codesign::report::browser::find().unwrap_or_else(|| {
        panic!("headless Chromium is needed for this test: install the Debian package `chromium` (scripts/setup.sh does)")
    });
    let fx = fixture(false);
    let r = report(&fx.run, &["--browser", "require"]);
    let b = &r["browser"];
    assert_eq!(b["plots_rendered"], b["plots_expected"]);
    assert_eq!(f(&b["plots_expected"]), 5.0);
    let png = std::fs::read(fx.run.join("report/report.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(
        png.len() > 20_000,
        "screenshot of {} bytes looks blank",
        png.len()
    );
    // Keep the rendered report for people to look at.
    let keep = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report");
    std::fs::create_dir_all(&keep).unwrap();
    for f in ["report.html", "report.png", "report.md"] {
        std::fs::copy(fx.run.join("report").join(f), keep.join(f)).unwrap();
    }

    // The DOM after rendering, dumped by the browser itself.
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
        ])
        .args([
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!(
            "file://{}",
            fx.run.join("report/report.html").display()
        ))
        .output()
        .unwrap();
    assert!(out.status.success());
    let dom = String::from_utf8_lossy(&out.stdout);
    for id in [
        "plot-sigma",
        "plot-energy",
        "plot-datapath",
        "plot-error",
        "plot-sweep",
    ] {
        assert!(
            dom.contains(&format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\""
            )),
            "{id} missing from the rendered DOM"
        );
    }
    assert!(dom.contains("data-plots-rendered=\"5\""));
    // One bar per layer in the sigma plot, two per layer in each energy plot.
    assert_eq!(dom.matches("class=\"bar\"").count(), 3 + 6 + 6);
    // Both error models' 9 pairs each in the scatter plot; 3 sweep points
    // each of the paper's choice, the repaired and the retrained network
    // (the Pareto front is a line through some of them).
    assert_eq!(dom.matches("class=\"point\"").count(), 18 + 9);
    // Labels: each layer's multiplier above its sigma bar.
    for id in &fx.ids {
        assert!(dom.contains(&format!(">{id}</text>")), "label {id}");
    }
}
