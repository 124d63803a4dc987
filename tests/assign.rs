//! `codesign assign` end to end on a run directory made of a random integer
//! network for the built-in digits, a sidecar with learned sigmas and a
//! small library of real generated designs: calibration, assignment,
//! validation, and the one-line errors for mismatched inputs.

use codesign::assign::Assignment;
use codesign::errmodel::validate::ErrorModelReport;
use codesign::intnet::{testnet, IntNetwork, Shape};
use codesign::library::generators::{Design, Spec};
use codesign::sidecar::{LayerInfo, Sidecar};
use std::path::Path;
use std::process::Command;

fn net(signed: bool) -> IntNetwork {
    let opt = testnet::Options {
        signed,
        input: Shape { c: 1, h: 8, w: 8 },
        classes: 10,
        width: 6,
    };
    testnet::random_with(5, &opt)
}

fn library(dir: &Path, signed: bool) {
    let specs = [
        Spec::Exact(codesign::library::generators::Reducer::Array),
        Spec::Truncation {
            k: 4,
            compensated: false,
        },
        Spec::Truncation {
            k: 8,
            compensated: true,
        },
        Spec::OperandTrunc { ka: 2, kb: 1 },
        Spec::Drum { k: 4 },
    ];
    let designs: Vec<Design> = specs.into_iter().map(|s| Design::new(s, signed)).collect();
    let built = codesign::library::build::build_designs(&designs).unwrap();
    codesign::library::build::write_new(dir, &built).unwrap();
}

fn run_dir(dir: &Path, signed: bool, sigma: f64) {
    let net = net(signed);
    codesign::io::write_json(dir.join("intnet.json"), &net).unwrap();
    let cfg = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/configs/digits.yaml"))
        .unwrap();
    let cfg = cfg.replace(
        "calibration: {images: 128, samples: 512}",
        "calibration: {images: 24, samples: 128}",
    );
    let cfg = if signed {
        cfg.replace("multipliers: unsigned", "multipliers: signed")
    } else {
        cfg
    };
    std::fs::write(dir.join("config.yaml"), cfg).unwrap();
    let layers = net
        .mac_layers()
        .map(|(n, l)| LayerInfo {
            name: n.name.clone(),
            kind: "conv".into(),
            shape: vec![l.out_ch, l.in_ch, l.kernel, l.kernel],
            macs: 0,
            sigma,
            quant: None,
        })
        .collect();
    let sidecar = Sidecar {
        stage: "agn".into(),
        model: "digits_cnn".into(),
        dataset: "digits".into(),
        seed: 1,
        epochs: 1,
        test_accuracy: 0.9,
        lambda: 0.2,
        layers,
    };
    codesign::io::write_yaml(dir.join("train/agn.yaml"), &sidecar).unwrap();
}

fn codesign(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn assign_calibrates_assigns_and_validates() {
    let tmp = tempfile::tempdir().unwrap();
    let (run, lib) = (tmp.path().join("run"), tmp.path().join("lib"));
    library(&lib, false);
    run_dir(&run, false, 0.2);
    let (r, s) = (run.to_str().unwrap(), lib.to_str().unwrap());
    let (code, out, err) = codesign(&["assign", r, "--library", s, "--model", "per-channel"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("relative multiplication energy") && out.contains("share_within"),
        "{out}"
    );

    let a = Assignment::load(run.join("assignment.yaml")).unwrap();
    let lib_loaded = codesign::library::Library::load(&lib).unwrap();
    let net = codesign::intnet::load(run.join("intnet.json")).unwrap();
    a.check(&net, &lib_loaded, "assignment.yaml").unwrap();
    assert_eq!(a.model, "per-channel");
    for c in &a.layers {
        assert!(
            c.predicted_std <= c.tolerance || c.multiplier == "u_exact_array",
            "{c:?}"
        );
    }
    // The MAC-weighted energy, recomputed from the entries.
    let total: u64 = a.layers.iter().map(|c| c.macs).sum();
    let e: f64 = a
        .layers
        .iter()
        .map(|c| {
            c.macs as f64 / total as f64 * lib_loaded.entry(&c.multiplier).unwrap().cost.energy_rel
        })
        .sum();
    assert!((e - a.relative_energy).abs() < 1e-12);
    assert!(
        a.relative_energy < 1.0,
        "sigma 0.2 should afford some approximation"
    );

    let report: ErrorModelReport = codesign::io::read_json(run.join("error_model.json")).unwrap();
    // Every (multiplying layer, design) pair of the five-design library.
    assert_eq!(report.pairs.len(), net.mac_layers().count() * 5);
    assert_eq!(report.images, 24);
    for p in &report.pairs {
        assert!(p.measured >= 0.0 && p.predicted_population >= 0.0);
        if p.multiplier == "u_exact_array" {
            assert_eq!(
                (p.measured, p.predicted_population, p.predicted_per_channel),
                (0.0, 0.0, 0.0)
            );
        }
    }
    let sw = &report.summary.share_within;
    assert!((0.0..=1.0).contains(&sw.population) && (0.0..=1.0).contains(&sw.per_channel));
    assert!(report.summary.population.pairs > 0);
    assert!(report
        .pairs
        .iter()
        .all(|p| p.predicted_sampled.is_some() && p.measured_sampled.is_some()));
    assert!(sw.sampled.is_some_and(|v| (0.0..=1.0).contains(&v)));

    // Second run reuses calibration.json and is identical.
    let cal1 = std::fs::read(run.join("calibration.json")).unwrap();
    let a1 = std::fs::read(run.join("assignment.yaml")).unwrap();
    let (code, _, err) = codesign(&[
        "assign",
        r,
        "--library",
        s,
        "--model",
        "per-channel",
        "--no-validate",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read(run.join("calibration.json")).unwrap(), cal1);
    assert_eq!(std::fs::read(run.join("assignment.yaml")).unwrap(), a1);
}

#[test]
fn mismatches_are_one_line_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let (run, lib) = (tmp.path().join("run"), tmp.path().join("slib"));
    library(&lib, true);
    run_dir(&run, false, 0.1);
    let (r, s) = (run.to_str().unwrap(), lib.to_str().unwrap());
    let one_line = |err: &str| err.lines().filter(|l| l.starts_with("error:")).count() == 1;

    // Library of the wrong signedness.
    let (code, _, err) = codesign(&["assign", r, "--library", s, "--no-validate"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no unsigned (sign-magnitude) multipliers") && one_line(&err),
        "{err}"
    );

    // A calibration made for another network.
    let mut other = net(false);
    other
        .nodes
        .iter_mut()
        .filter(|n| n.name == "conv2")
        .for_each(|n| n.name = "conv2b".into());
    let fake = codesign::calib::calibrate(&other, &vec![7u8; 64 * 4], 4, 8, 1).unwrap();
    codesign::io::write_json(run.join("calibration.json"), &fake).unwrap();
    let (code, _, err) = codesign(&["assign", r, "--library", s]);
    assert_eq!(code, 2);
    assert!(
        err.contains("calibration.json: layers [") && err.contains("conv2b") && one_line(&err),
        "{err}"
    );
    // Same layers, one weight changed (a stale calibration).
    let mut stale = net(false);
    if let codesign::intnet::Op::Conv(l) = &mut stale.nodes[0].op {
        l.weights[0] = l.weights[0].wrapping_add(1);
    }
    let fake = codesign::calib::calibrate(&stale, &vec![7u8; 64 * 4], 4, 8, 1).unwrap();
    codesign::io::write_json(run.join("calibration.json"), &fake).unwrap();
    let (code, _, err) = codesign(&["assign", r, "--library", s]);
    assert_eq!(code, 2);
    assert!(err.contains("weight histogram differs"), "{err}");

    // Sidecar naming a layer the network does not have.
    std::fs::remove_file(run.join("calibration.json")).unwrap();
    let sc = std::fs::read_to_string(run.join("train/agn.yaml"))
        .unwrap()
        .replacen("name: conv1", "name: stem", 1);
    std::fs::write(run.join("train/agn.yaml"), sc).unwrap();
    let (code, _, err) = codesign(&["assign", r, "--library", s]);
    assert_eq!(code, 2);
    assert!(
        err.contains("agn.yaml: layer 'stem' is not a multiplying layer"),
        "{err}"
    );
}

/// A multiplier whose error follows the activation (truncation drops the
/// low product bits, so its error grows with `x * w`) on a layer whose
/// weights follow the activation too (large where the digits' pixels are
/// bright, zero on the dark border): the layer-local models pair
/// activations and weights independently and miss the error; the report
/// must flag that pair, as the bit-exact simulator measures it.
#[test]
fn report_flags_a_pair_the_layer_local_model_misses() {
    use codesign::intnet::sim::{ProductTable, Simulator};
    use codesign::intnet::{MacLayer, Node, Op, FORMAT_VERSION};
    let tmp = tempfile::tempdir().unwrap();
    let (run, lib) = (tmp.path().join("run"), tmp.path().join("lib"));
    library(&lib, false);
    run_dir(&run, false, 0.2);
    // Flatten, then one linear layer: weight of pixel i = its mean
    // brightness over the training images, scaled to 0..=120.
    let train = codesign::data::digits().unwrap().train;
    let mean: Vec<f64> = (0..64)
        .map(|i| {
            (0..train.len())
                .map(|k| train.image(k)[i] as f64)
                .sum::<f64>()
                / train.len() as f64
        })
        .collect();
    let top = mean.iter().cloned().fold(0.0, f64::max);
    let weights: Vec<i8> = (0..10)
        .flat_map(|j| {
            mean.iter()
                .map(move |&m| ((m / top * 120.0).round() as i32 - j).clamp(0, 127) as i8)
        })
        .collect();
    let net = IntNetwork {
        version: FORMAT_VERSION,
        name: "correlated".into(),
        input: Shape { c: 1, h: 8, w: 8 },
        input_shift: 0,
        act_max: 255,
        signed: false,
        nodes: vec![
            Node {
                name: "flatten".into(),
                input: codesign::intnet::TensorId::INPUT,
                op: Op::Flatten,
                out: Shape { c: 64, h: 1, w: 1 },
            },
            Node {
                name: "fc".into(),
                input: codesign::intnet::TensorId(1),
                op: Op::Linear(MacLayer {
                    in_ch: 64,
                    out_ch: 10,
                    kernel: 1,
                    stride: 1,
                    padding: 0,
                    weights,
                    bias: vec![0; 10],
                    requant: None,
                }),
                out: Shape { c: 10, h: 1, w: 1 },
            },
        ],
        classes: 10,
    };
    codesign::io::write_json(run.join("intnet.json"), &net).unwrap();
    let sidecar: Sidecar = codesign::io::read_yaml(run.join("train/agn.yaml")).unwrap();
    let sidecar = Sidecar {
        layers: vec![LayerInfo {
            name: "fc".into(),
            kind: "linear".into(),
            shape: vec![10, 64, 1, 1],
            ..sidecar.layers[0].clone()
        }],
        ..sidecar
    };
    codesign::io::write_yaml(run.join("train/agn.yaml"), &sidecar).unwrap();
    let (r, s) = (run.to_str().unwrap(), lib.to_str().unwrap());
    let (code, _, err) = codesign(&["assign", r, "--library", s, "--no-repair"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = codesign(&["report", r, "--library", s]);
    assert_eq!(code, 0, "{err}");

    // The measurement, recomputed with the simulator: approximate minus
    // exact logits (bias 0) on the held-out images error_model.json names.
    let em: ErrorModelReport = codesign::io::read_json(run.join("error_model.json")).unwrap();
    let lib_loaded = codesign::library::Library::load(&lib).unwrap();
    let exact = Simulator::exact(&net).unwrap();
    let report: serde_json::Value =
        codesign::io::read_json(run.join("report/report.json")).unwrap();
    let flag_of = |model: &str, multiplier: &str| -> Option<String> {
        report["error_model"]["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["model"] == model && p["multiplier"] == multiplier)
            .unwrap()["flag"]
            .as_str()
            .map(str::to_string)
    };
    let mut missed = 0;
    for p in &em.pairs {
        let approx = Simulator::new(
            &net,
            vec![ProductTable::new(
                &lib_loaded.error_map(&p.multiplier).unwrap(),
            )],
        )
        .unwrap();
        let mut d = Vec::new();
        for &i in &em.validation_images.indices {
            let (a, e) = (
                approx.forward(train.image(i)),
                exact.forward(train.image(i)),
            );
            d.extend(a.iter().zip(&e).map(|(a, e)| (a - e) as f64));
        }
        let mean = d.iter().sum::<f64>() / d.len() as f64;
        let std = (d.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / d.len() as f64).sqrt();
        assert!(
            (std - p.measured).abs() <= 1e-6 * std.max(1.0),
            "{p:?}: {std}"
        );
        // Each layer-local model against its own measurement: the
        // population model against the raw error, the per-channel model
        // against what is left after its bias correction.
        for (model, predicted, measured) in [
            ("population", p.predicted_population, std),
            (
                "per-channel",
                p.predicted_per_channel,
                p.measured_compensated,
            ),
        ] {
            let ratio = predicted / measured;
            let visible = predicted / p.y_std > 1e-3;
            let outside = visible && !(0.8..=1.25).contains(&ratio);
            let want = outside.then_some(if ratio < 0.8 {
                "under-predicted"
            } else {
                "over-predicted"
            });
            let got = flag_of(model, &p.multiplier);
            assert_eq!(got.as_deref(), want, "{model} {p:?}: ratio {ratio}");
            if p.multiplier.starts_with("u_truncation") && outside {
                missed += 1;
            }
        }
    }
    assert!(missed > 0, "no truncation pair is missed: {:?}", em.pairs);
}

/// `eval --paper` evaluates the paper's choice; where the repair changed no
/// layer that is the plain evaluation's network, whose record is copied
/// instead of evaluating again. A changed layer is evaluated.
#[test]
fn paper_evaluation_reuses_the_plain_record_only_when_nothing_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let (run, lib) = (tmp.path().join("run"), tmp.path().join("lib"));
    library(&lib, false);
    run_dir(&run, false, 0.2);
    let (r, s) = (run.to_str().unwrap(), lib.to_str().unwrap());
    let (code, _, err) = codesign(&["assign", r, "--library", s, "--no-validate"]);
    assert_eq!(code, 0, "{err}");
    let path = run.join("assignment.yaml");
    let a = Assignment::load(&path).unwrap();
    let p = path.to_str().unwrap();
    let eval = |paper: bool| {
        let mut args = vec!["eval", r, "--assignment", p, "--limit", "40"];
        if paper {
            args.push("--paper");
        }
        let (code, _, err) = codesign(&args);
        assert_eq!(code, 0, "{err}");
        (
            err,
            codesign::intnet::evalfile::read(&run.join("eval.json")).unwrap(),
        )
    };
    eval(false);
    // No repair, or a repair that kept the choice: copied.
    let same = Assignment {
        repair: None,
        ..a.clone()
    };
    codesign::io::write_yaml(&path, &same).unwrap();
    eval(false);
    let (err, ev) = eval(true);
    assert!(err.contains("record copied"), "{err}");
    assert_eq!(ev["assignment_paper"].top1, ev["assignment"].top1);
    assert_eq!(
        ev["assignment_paper"].multipliers,
        ev["assignment"].multipliers
    );
    // The paper's choice differs in one layer: evaluated, with its own multipliers.
    let lib_loaded = codesign::library::Library::load(&lib).unwrap();
    let other = lib_loaded
        .entries
        .iter()
        .find(|e| e.id != a.layers[0].multiplier)
        .unwrap()
        .id
        .clone();
    let mut paper_layers = a.layers.clone();
    paper_layers[0].multiplier = other.clone();
    let repaired = Assignment {
        repair: Some(codesign::assign::repair::Repair {
            max_accuracy_drop: 0.01,
            margin_z: 0.0,
            validation_images: 40,
            exact_accuracy: 0.5,
            paper_accuracy: 0.5,
            paper_relative_energy: a.relative_energy,
            paper_layers,
            accuracy: 0.5,
            drop_upper: 0.0,
            met: true,
            steps: vec![],
        }),
        ..a.clone()
    };
    codesign::io::write_yaml(&path, &repaired).unwrap();
    eval(false);
    let (err, ev) = eval(true);
    assert!(!err.contains("record copied"), "{err}");
    assert_eq!(ev["assignment_paper"].multipliers[0].multiplier, other);
    assert_ne!(
        ev["assignment_paper"].multipliers,
        ev["assignment"].multipliers
    );
}
