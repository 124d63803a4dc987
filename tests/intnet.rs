//! Integer network files: round trip through `intnet::load` and bad input
//! rejected with one line naming the file and field.

use codesign::intnet::{self, sim::Simulator, testnet};

#[test]
fn load_round_trips_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("intnet.json");
    let net = testnet::random(11, false);
    codesign::io::write_json(&path, &net).unwrap();
    let back = intnet::load(&path).unwrap();
    assert_eq!(back, net);
    let sim = Simulator::exact(&back).unwrap();
    let img = testnet::random_images(1, &back, 1);
    assert_eq!(sim.forward(&img).len(), back.classes);
}

#[test]
fn bad_files_give_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("intnet.json");
    let mut net = testnet::random(11, true);
    net.nodes[0].name = "stem".into();
    if let intnet::Op::Conv(l) = &mut net.nodes[0].op {
        l.bias.truncate(1);
    }
    codesign::io::write_json(&path, &net).unwrap();
    let e = intnet::load(&path).unwrap_err().to_string();
    assert!(
        e.contains("intnet.json: node 0 'stem': bias: 1 values"),
        "{e}"
    );
    assert!(!e.contains('\n'));

    std::fs::write(&path, "{\"version\": 1, \"name\": \"x\"}").unwrap();
    let e = intnet::load(&path).unwrap_err().to_string();
    assert!(
        e.contains("intnet.json:1:") && e.contains("missing field"),
        "{e}"
    );

    std::fs::write(&path, "{\"version\": 1,\n \"nodes\": [{\"op\": \"warp\"}]}").unwrap();
    let e = intnet::load(&path).unwrap_err().to_string();
    assert!(e.contains("intnet.json:2:"), "{e}");

    let e = intnet::load(dir.path().join("missing.json"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("missing.json"), "{e}");
}

/// A run directory with a random digits-shaped network and the digits config.
fn digits_run(dir: &std::path::Path) -> codesign::intnet::IntNetwork {
    let opt = testnet::Options {
        signed: false,
        input: intnet::Shape { c: 1, h: 8, w: 8 },
        classes: 10,
        width: 4,
    };
    let net = testnet::random_with(5, &opt);
    codesign::io::write_json(dir.join("intnet.json"), &net).unwrap();
    let cfg = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/configs/digits.yaml"))
        .unwrap();
    std::fs::write(dir.join("config.yaml"), cfg).unwrap();
    net
}

#[test]
fn eval_command_writes_eval_json() {
    let dir = tempfile::tempdir().unwrap();
    let net = digits_run(dir.path());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args(["eval", dir.path().to_str().unwrap(), "--limit", "100"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("top-1") && stdout.contains("top-5"),
        "{stdout}"
    );
    let file = codesign::intnet::evalfile::read(&dir.path().join("eval.json")).unwrap();
    let rec = &file["exact"];
    // The same numbers from the library directly.
    let test = codesign::data::digits().unwrap().test.take(100);
    let want = Simulator::exact(&net).unwrap().evaluate(&test).unwrap();
    assert_eq!(
        (rec.images, rec.top1, rec.top5),
        (100, want.top1, Some(want.top5))
    );
    assert_eq!(rec.multipliers.len(), net.mac_layers().count());
    assert!(rec.multipliers.iter().all(|m| m.multiplier == "exact"));

    // An assignment naming a layer the network lacks: one line, exit 2.
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "library: lib\nmodel: population\nrelative_energy: 1.0\nlayers:\n- {layer: nope, multiplier: x, predicted_std: 0, tolerance: 0, macs: 1, energy_rel: 1}\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args([
            "eval",
            dir.path().to_str().unwrap(),
            "--assignment",
            bad.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("bad.yaml: layers[0]: 'nope' is not a multiplying layer"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn eval_command_with_an_assignment() {
    let dir = tempfile::tempdir().unwrap();
    let net = digits_run(dir.path());
    let lib = dir.path().join("lib");
    codesign::library::build_default(&lib).unwrap();
    let n_mac = net.mac_layers().count();
    // `last` is appended to the last layer's entry (e.g. a bias correction).
    let assign = |id: &str, file: &str, last: &str| {
        let layers: String = net
            .mac_layers()
            .enumerate()
            .map(|(i, (n, _))| {
                let extra = if i + 1 == n_mac { last } else { "" };
                format!("- {{layer: {}, multiplier: {id}, predicted_std: 0, tolerance: 0, macs: 1, energy_rel: 1{extra}}}\n", n.name)
            })
            .collect();
        let path = dir.path().join(file);
        std::fs::write(
            &path,
            format!(
                "library: {}\nmodel: population\nrelative_energy: 0.5\nlayers:\n{layers}",
                lib.display()
            ),
        )
        .unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_codesign"))
            .args([
                "eval",
                dir.path().to_str().unwrap(),
                "--limit",
                "60",
                "--assignment",
                path.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    assign("u_exact_array", "exact_lib.yaml", "");
    assign("u_truncation_k1", "trunc.yaml", "");
    let test = codesign::data::digits().unwrap().test.take(60);
    let exact = Simulator::exact(&net).unwrap().evaluate(&test).unwrap();
    // A bias correction on the logits that makes every image class `c`,
    // chosen so that this accuracy differs from the uncorrected one: eval
    // must run the corrected network, as retraining and the RTL do.
    let share = |c: usize| {
        test.labels.iter().filter(|&&l| l as usize == c).count() as f64 / test.labels.len() as f64
    };
    let classes = net.mac_layers().last().unwrap().1.out_ch;
    let c = (0..classes).find(|&c| share(c) != exact.top1).unwrap();
    let corr: Vec<String> = (0..classes)
        .map(|k| if k == c { "100000".into() } else { "0".into() })
        .collect();
    assign(
        "u_exact_array",
        "corrected.yaml",
        &format!(", bias_correction: [{}]", corr.join(", ")),
    );
    let file = codesign::intnet::evalfile::read(&dir.path().join("eval.json")).unwrap();
    assert_eq!(file["exact_lib"].top1, exact.top1);
    assert_eq!(file["exact_lib"].relative_energy, Some(0.5));
    assert_eq!(file["corrected"].top1, share(c));
    assert!(file["trunc"]
        .multipliers
        .iter()
        .all(|m| m.multiplier == "u_truncation_k1"));
}
