//! Real data sets, installed by `scripts/setup.sh` from the package
//! registries, loaded from their standard files; and LeNet-5 trained on the
//! real Fashion-MNIST through quantization, assignment, evaluation, export,
//! Yosys synthesis and a bit-exact co-simulation of real test images.
//!
//! Under `CI=true` a missing data set or tool is a failure; elsewhere the
//! tests say what is missing and skip.

use codesign::config::Config;
use codesign::data::{self, DatasetKind, Split};
use codesign::eda::cosim::CosimReport;
use codesign::tool::Tool;
use serde_json::Value;
use std::path::Path;

mod common;
use common::codesign_in;
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The installed data set `kind`, or `None` (skip) outside CI.
fn installed(kind: DatasetKind) -> Option<Split> {
    let dir = Path::new(ROOT).join(kind.default_path().unwrap());
    match data::load(kind, Some(&dir)) {
        Ok(split) => Some(split),
        Err(e) => {
            codesign::tool::skip_test(&e.to_string());
            None
        }
    }
}

/// Images per class of `labels`.
fn class_counts(labels: &[u8]) -> Vec<usize> {
    let mut n = vec![0; 10];
    for &l in labels {
        n[l as usize] += 1;
    }
    n
}

#[test]
fn fashion_mnist_is_the_published_data_set() {
    let Some(s) = installed(DatasetKind::FashionMnist) else {
        return;
    };
    // Zalando's published split: 60,000 + 10,000 28x28 grey images, 10
    // classes of exactly 6,000 and 1,000 images each.
    assert_eq!((s.train.c, s.train.h, s.train.w), (1, 28, 28));
    assert_eq!((s.train.len(), s.test.len()), (60_000, 10_000));
    assert_eq!(class_counts(&s.train.labels), vec![6_000; 10]);
    assert_eq!(class_counts(&s.test.labels), vec![1_000; 10]);
}

#[test]
fn mnist_is_the_published_data_set() {
    let Some(s) = installed(DatasetKind::Mnist) else {
        return;
    };
    // LeCun et al.'s split: 60,000 + 10,000 28x28 images; the test set's
    // published class counts (0: 980, 1: 1,135, ..., 9: 1,009).
    assert_eq!((s.train.c, s.train.h, s.train.w), (1, 28, 28));
    assert_eq!((s.train.len(), s.test.len()), (60_000, 10_000));
    assert_eq!(
        class_counts(&s.test.labels),
        vec![980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    );
}

/// A short schedule of `configs/lenet5_fashion.yaml`: 6,000 training
/// images, three baseline epochs and one per later stage.
fn short_lenet5_fashion() -> String {
    let text =
        std::fs::read_to_string(Path::new(ROOT).join("configs/lenet5_fashion.yaml")).unwrap();
    let mut cfg: Value = serde_yaml_ng::from_str(&text).unwrap();
    cfg["dataset"]["train_images"] = 6000.into();
    for stage in ["baseline", "qat", "agn", "retrain"] {
        let s = &mut cfg["stages"][stage];
        s["epochs"] = if stage == "baseline" { 3 } else { 1 }.into();
        s["lr_steps"] = Value::Array(vec![]);
    }
    let out = serde_yaml_ng::to_string(&cfg).unwrap();
    Config::from_yaml(&out).expect("the short schedule is a valid config");
    out
}

#[test]
fn lenet5_on_fashion_mnist_through_the_hardware() {
    if installed(DatasetKind::FashionMnist).is_none()
        || !codesign::tool::tools_for_test(&[Tool::Yosys, Tool::Verilator])
        || !common::torch_for_test()
    {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("lenet5_fashion.yaml");
    std::fs::write(&cfg, short_lenet5_fashion()).unwrap();
    let out = codesign_in(
        tmp.path(),
        &[
            "run",
            "lenet5_fashion.yaml",
            "--out",
            "run",
            "--until",
            "export-rtl",
        ],
    );
    assert!(out.status.success(), "codesign run failed");

    // Learned from the real images: the exact integer network on the whole
    // real test split is far above chance (10 %).
    let run = tmp.path().join("run");
    let eval: Value = codesign::io::read_json(run.join("eval.json")).unwrap();
    assert_eq!(eval["exact"]["images"], 10_000, "{eval}");
    let exact = eval["exact"]["top1"]
        .as_f64()
        .unwrap_or_else(|| panic!("{eval}"));
    assert!(exact > 0.6, "exact integer top-1 {exact}");

    let (synth, cosim) = std::thread::scope(|s| {
        let synth = s.spawn(|| codesign_in(tmp.path(), &["synth", "run/rtl"]));
        let cosim = s.spawn(|| {
            codesign_in(
                tmp.path(),
                &["cosim", "run/rtl", "--images", "5", "--sim", "verilator"],
            )
        });
        (synth.join().unwrap(), cosim.join().unwrap())
    });
    assert!(cosim.status.success(), "co-simulation failed");
    let rep: CosimReport = codesign::io::read_json(run.join("rtl/cosim.json")).unwrap();
    assert_eq!(
        (rep.images, rep.mismatches),
        (5, 0),
        "{:?}",
        rep.first_mismatches
    );
    assert!(rep.passed(), "{:?}", rep.multipliers);
    let planned = rep.cycles_estimate as f64;
    assert!((rep.cycles_per_inference - planned).abs() <= 0.01 * planned);
    assert!(synth.status.success(), "synthesis failed");
    let rep: Value = codesign::io::read_json(run.join("rtl/synth.json")).unwrap();
    assert!(rep["total"]["area_ge"].as_f64().unwrap() > 0.0);
}
