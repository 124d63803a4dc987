//! The digits demo in hardware, through the command line as a user runs
//! it: train, assign and export with `codesign run --until export-rtl`,
//! then synthesize the heterogeneous accelerator with Yosys and co-simulate
//! 20 test images in Icarus Verilog (and 100 in Verilator) against the Rust
//! integer simulation, bit for bit, with every multiplier module checked
//! exhaustively and formally on its own. A copy of the export with one gate
//! of one layer's multiplier changed must fail the co-simulation at that
//! layer and both checks of that module.

use codesign::eda::cosim::CosimReport;
use codesign::rtl::accel::Manifest;
use codesign::tool::Tool;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::codesign_in;

fn codesign(args: &[&str]) -> Output {
    codesign_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Change the first XOR (else AND) gate of module `module` in `file`:
/// `^` becomes `~^` (XNOR), `&` becomes `|`.
fn corrupt_module(file: &Path, module: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    let start = text.find(&format!("module {module} (")).unwrap();
    let end = start + text[start..].find("endmodule").unwrap();
    let body = &text[start..end];
    let (at, from, to) = match body.find(" ^ ") {
        Some(i) => (i, " ^ ", " ~^ "),
        None => (body.find(" & ").unwrap(), " & ", " | "),
    };
    let at = start + at;
    let bad = format!("{}{to}{}", &text[..at], &text[at + from.len()..]);
    std::fs::write(file, bad).unwrap();
}

/// The multipliers of `engines` (layer, multiplier), first use first.
fn distinct_in_order(engines: &[(String, String)]) -> Vec<&str> {
    let mut out: Vec<&str> = vec![];
    for (_, m) in engines {
        if !out.contains(&m.as_str()) {
            out.push(m);
        }
    }
    out
}

fn cosim_report(dir: &Path) -> CosimReport {
    codesign::io::read_json(dir.join("cosim.json")).unwrap()
}

#[test]
fn digits_accelerator_synthesizes_and_cosimulates_bit_exactly() {
    if !codesign::tool::tools_for_test(&[Tool::Yosys, Tool::Iverilog, Tool::Verilator])
        || !common::torch_for_test()
    {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("digits");
    let run_s = run.to_str().unwrap();
    let out = codesign(&[
        "run",
        "configs/digits.yaml",
        "--out",
        run_s,
        "--until",
        "export-rtl",
    ]);
    assert!(out.status.success(), "codesign run failed");

    // The export is heterogeneous: the assignment's multipliers, per layer,
    // and not one design everywhere.
    let rtl = run.join("rtl");
    let manifest: Manifest = codesign::io::read_json(rtl.join("manifest.json")).unwrap();
    let assignment: Value = codesign::io::read_yaml(run.join("assignment.yaml")).unwrap();
    let assigned: Vec<(String, String)> = assignment["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["layer"].as_str().unwrap().to_string(),
                l["multiplier"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let engines: Vec<(String, String)> = manifest
        .units
        .iter()
        .filter_map(|u| Some((u.layer.clone(), u.multiplier.clone()?)))
        .collect();
    assert_eq!(engines, assigned);
    // The accuracy budget was met on the validation split, every repair
    // step lowered its layer's predicted error, and the error model was
    // checked on images it was not computed from.
    let repair = &assignment["repair"];
    let (exact, final_acc) = (
        repair["exact_accuracy"].as_f64().unwrap(),
        repair["accuracy"].as_f64().unwrap(),
    );
    let budget = repair["max_accuracy_drop"].as_f64().unwrap();
    assert_eq!(repair["met"], Value::Bool(true), "{repair:?}");
    assert!((exact - final_acc) * 100.0 <= budget + 1e-9, "{repair:?}");
    assert!(repair["drop_upper"].as_f64().unwrap() <= budget + 1e-9);
    // The budget carries to the test split, which the repair never saw.
    let evals: Value = codesign::io::read_json(run.join("eval.json")).unwrap();
    let test_top1 = |k: &str| {
        assert_eq!(evals[k]["split"], "test");
        evals[k]["top1"].as_f64().unwrap()
    };
    let test_drop = (test_top1("exact") - test_top1("assignment")) * 100.0;
    assert!(
        test_drop <= budget + 1e-9,
        "test split: {test_drop:.2} points below the exact network (budget {budget})"
    );
    for step in repair["steps"].as_array().unwrap() {
        if step["kind"] == "repair" {
            assert!(
                step["predicted_std_to"].as_f64() < step["predicted_std_from"].as_f64(),
                "{step:?}"
            );
        }
    }
    let em: Value = codesign::io::read_json(run.join("error_model.json")).unwrap();
    let set = |k: &str| -> Vec<u64> {
        em[k]["indices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect()
    };
    let (calibration, validation) = (set("calibration_images"), set("validation_images"));
    assert!(!validation.is_empty() && !calibration.is_empty());
    assert!(
        validation.iter().all(|i| !calibration.contains(i)),
        "the error model was validated on calibration images"
    );

    let mut distinct: Vec<&str> = engines.iter().map(|(_, m)| m.as_str()).collect();
    distinct.sort();
    distinct.dedup();
    assert!(distinct.len() >= 2, "not heterogeneous: {engines:?}");

    // Copies made before anything runs in `rtl`: one for Verilator, one
    // with a corrupted multiplier (in the second multiplying layer).
    let rtl_v = run.join("rtl_verilator");
    let rtl_bad = run.join("rtl_corrupted");
    copy_dir(&rtl, &rtl_v);
    copy_dir(&rtl, &rtl_bad);
    let victim = manifest
        .units
        .iter()
        .filter(|u| u.multiplier.is_some())
        .nth(1)
        .unwrap();
    let module = victim.multiplier_module.clone().unwrap();
    corrupt_module(&rtl_bad.join(format!("{}.v", manifest.top)), &module);
    // The first layer whose RTL uses the corrupted module.
    let first_user = manifest
        .units
        .iter()
        .find(|u| u.multiplier_module.as_deref() == Some(module.as_str()))
        .unwrap()
        .layer
        .clone();

    // The hardware commands run from the run's parent folder with relative
    // paths: every path they hand to a tool must still name the right file.
    let path = |p: &PathBuf| {
        let rel = p.strip_prefix(tmp.path()).unwrap();
        rel.to_str().unwrap().to_string()
    };
    let codesign = |args: &[&str]| codesign_in(tmp.path(), args);
    // NanGate45 (scripts/pdk.sh) when fetched: cells in µm², OpenSTA timing.
    let nangate45 = codesign::library::energy::nangate45_path();
    let liberty = nangate45.is_file() && codesign::tool::tools_for_test(&[Tool::Sta]);
    if !nangate45.is_file() {
        codesign::tool::skip_test(
            "NanGate45 Liberty missing (scripts/pdk.sh): generic synthesis only",
        );
    }
    let lib_arg = nangate45.to_str().unwrap().to_string();
    let cacti = codesign::eda::cacti::default_dir();
    if liberty && !cacti.join("cacti").join("cacti").is_file() {
        codesign::tool::skip_test("CACTI not built (scripts/pdk.sh)");
    }
    let cacti_arg = cacti.to_str().unwrap().to_string();
    let (synth, cosim, verilator) = std::thread::scope(|s| {
        let synth = s.spawn(|| {
            if liberty {
                codesign(&[
                    "synth",
                    &path(&rtl),
                    "--liberty",
                    &lib_arg,
                    "--cacti",
                    &cacti_arg,
                ])
            } else {
                codesign(&["synth", &path(&rtl), "--generic"])
            }
        });
        let cosim =
            s.spawn(|| codesign(&["cosim", &path(&rtl), "--images", "20", "--sim", "iverilog"]));
        let verilator = s.spawn(|| {
            let good = codesign(&[
                "cosim",
                &path(&rtl_v),
                "--images",
                "100",
                "--sim",
                "verilator",
            ]);
            let bad = codesign(&[
                "cosim",
                &path(&rtl_bad),
                "--images",
                "20",
                "--sim",
                "verilator",
            ]);
            (good, bad)
        });
        (
            synth.join().unwrap(),
            cosim.join().unwrap(),
            verilator.join().unwrap(),
        )
    });

    // Icarus Verilog: 20 images, every tensor equal to the Rust simulation;
    // each distinct multiplier module simulated exhaustively against its
    // error map and proved equal to its netlist.
    assert!(cosim.status.success(), "iverilog co-simulation failed");
    let rep = cosim_report(&rtl);
    assert_eq!(
        (rep.images, rep.mismatches),
        (20, 0),
        "{:?}",
        rep.first_mismatches
    );
    let checked: Vec<&str> = rep
        .multipliers
        .iter()
        .map(|m| m.multiplier.as_str())
        .collect();
    assert_eq!(checked, distinct_in_order(&engines));
    assert!(rep.passed(), "{:?}", rep.multipliers);
    // The access counts of the schedule are the RTL's event counters, in
    // every image; every unit reported, engines with MACs on all lanes.
    assert_eq!(rep.counters_match_schedule, Some(true));
    assert_eq!(rep.counters.len(), manifest.units.len());
    let net = codesign::intnet::load(rtl.join("intnet.json")).unwrap();
    for ((u, c), (node, layer)) in manifest
        .units
        .iter()
        .zip(&rep.counters)
        .filter(|(u, _)| u.kind == "mac_engine")
        .zip(net.mac_layers())
    {
        assert_eq!(u.layer, node.name);
        // One issue per (position, channel group, reduction index).
        let issues =
            (node.out.h * node.out.w * layer.out_ch.div_ceil(u.lanes) * layer.fan_in()) as u64;
        assert_eq!(c.counts.mac_cycles, issues, "{}", u.layer);
        assert_eq!(c.counts.writes, node.out.len() as u64, "{}", u.layer);
    }
    // The schedule's cycle count is the measured one, up to the handshakes.
    let (measured, planned) = (rep.cycles_per_inference, rep.cycles_estimate as f64);
    assert!(
        (measured - planned).abs() <= 0.01 * planned,
        "{measured} cycles per inference, schedule says {planned}"
    );

    // Verilator: 100 images, same verdict.
    let (good, bad) = verilator;
    assert!(good.status.success(), "verilator co-simulation failed");
    let rep = cosim_report(&rtl_v);
    assert_eq!(
        (rep.images, rep.mismatches),
        (100, 0),
        "{:?}",
        rep.first_mismatches
    );
    assert_eq!(rep.cycles_per_inference, measured);

    // The corrupted multiplier is caught, at the first layer using it, and
    // on its own by both module checks.
    assert_eq!(
        bad.status.code(),
        Some(1),
        "a corrupted multiplier is a failed check (exit code 1)"
    );
    let rep = cosim_report(&rtl_bad);
    assert!(rep.mismatches > 0);
    for m in &rep.multipliers {
        let corrupted = m.module == module;
        assert_eq!(
            (m.mismatches > 0, m.equivalent),
            (corrupted, !corrupted),
            "{m:?}"
        );
    }
    assert!(
        rep.first_mismatches.iter().all(|m| m.layer == first_user),
        "expected first differences in {first_user}: {:?}",
        rep.first_mismatches
    );

    // Yosys: every engine reported with its multiplier, areas that add up.
    assert!(synth.status.success(), "synthesis failed");
    let rep: Value = codesign::io::read_json(rtl.join("synth.json")).unwrap();
    let total = rep["total"]["area_ge"].as_f64().unwrap();
    let mut engine_sum = 0.0;
    let mut reported = vec![];
    for e in rep["engines"].as_array().unwrap() {
        let area = e["area"]["area_ge"].as_f64().unwrap();
        assert!(area > 0.0, "{e}");
        engine_sum += area;
        if let Some(m) = e["multiplier"].as_str() {
            let mul = e["multiplier_area"]["area_ge"].as_f64().unwrap();
            assert!(mul > 0.0 && mul < area, "{e}");
            reported.push((e["layer"].as_str().unwrap().to_string(), m.to_string()));
        }
    }
    assert_eq!(reported, assigned);
    assert!(
        engine_sum < total,
        "engines {engine_sum} GE, top {total} GE"
    );
    assert!(rtl.join("yosys.log").is_file());
    if liberty {
        check_nangate45(&rtl, &rep, &manifest);
        // The synthesized netlist itself, simulated at gate level on 64
        // images: every tensor equal to the Rust simulation, in the
        // schedule's cycles; energy parts that add up.
        let out = codesign(&["gatesim", &path(&rtl), "--images", "64"]);
        assert!(out.status.success(), "gate-level simulation failed");
        let g: Value = codesign::io::read_json(rtl.join("gatesim.json")).unwrap();
        assert_eq!(
            (g["images"].as_u64(), g["mismatches"].as_u64()),
            (Some(64), Some(0)),
            "{g}"
        );
        assert_eq!(
            g["cycles_per_inference"].as_f64(),
            Some(manifest.cycles_estimate as f64)
        );
        let e = &g["energy"];
        let pj = |k: &str| e[k].as_f64().unwrap();
        let parts = [
            "logic_pj",
            "register_outputs_pj",
            "macro_and_port_nets_pj",
            "clock_pj",
        ];
        assert!(parts.iter().all(|k| pj(k) > 0.0), "{e}");
        let sum: f64 = parts.iter().map(|k| pj(k)).sum();
        assert!((sum - pj("total_pj")).abs() <= 1e-9 * sum, "{e}");
        // A netlist with one cell kind mapped wrongly (XNOR as XOR) is a
        // failed check (exit code 1), not a crash.
        let bad = run.join("rtl_gates_corrupted");
        copy_dir(&rtl, &bad);
        let sta = bad.join("netlist_sta.v");
        let text = std::fs::read_to_string(&sta).unwrap();
        assert!(text.contains(" XNOR2_X1 "));
        std::fs::write(&sta, text.replace(" XNOR2_X1 ", " XOR2_X1 ")).unwrap();
        let out = codesign(&["gatesim", &path(&bad), "--images", "4"]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "a wrong netlist fails the check"
        );
        let g: Value = codesign::io::read_json(bad.join("gatesim.json")).unwrap();
        assert_eq!(g["mismatches"].as_u64(), Some(4), "{g}");
    }

    // Every other subcommand, from the same folder with relative paths.
    let lib = path(&run.join("library"));
    let ok = |args: &[&str]| {
        let out = codesign(args);
        assert!(out.status.success(), "codesign {} failed", args.join(" "));
        out
    };
    ok(&["library", "show", &lib]);
    let netlist = run.join("mul.v");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import/cost_sop_abc.v"),
        &netlist,
    )
    .unwrap();
    ok(&["characterize", &path(&netlist), "--json"]);
    ok(&[
        "assign",
        "digits",
        "--library",
        &lib,
        "--out",
        "digits/assignment_again.yaml",
        "--no-validate",
    ]);
    let again: Value = codesign::io::read_yaml(run.join("assignment_again.yaml")).unwrap();
    // The same choice per layer (the cached calibration.json is read back
    // through serde_json, whose float parsing may differ by one ulp).
    let choice = |a: &Value| -> Vec<(Value, Value)> {
        a["layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["layer"].clone(), l["multiplier"].clone()))
            .collect()
    };
    assert_eq!(
        choice(&again),
        choice(&assignment),
        "assign is deterministic"
    );
    ok(&[
        "eval",
        "digits",
        "--assignment",
        "digits/assignment_again.yaml",
    ]);
    ok(&[
        "export-rtl",
        "digits",
        "--exact",
        "--library",
        &lib,
        "--out",
        "digits/rtl_again",
    ]);
    assert!(run.join("rtl_again/manifest.json").is_file());
    ok(&["report", "digits", "--browser", "skip"]);
    let report: Value = codesign::io::read_json(run.join("report/report.json")).unwrap();
    assert_eq!(report["accuracy"]["exact"], eval_exact(&run));
    // System energy of the heterogeneous accelerator: its parts add up, and
    // the SRAM parts are the memories' accesses times their energies.
    let b = &report["energy"]["system_breakdown_approx"];
    let part = |k: &str| b[k].as_f64().unwrap_or_else(|| panic!("{k}: {b}"));
    let parts = [
        "multipliers",
        "adders_accumulators",
        "requantization",
        "pool_residual",
        "sram_reads",
        "sram_writes",
        "clock",
        "leakage",
    ];
    let sum: f64 = parts.iter().map(|k| part(k)).sum();
    assert!((sum - part("total")).abs() <= 1e-9 * sum, "{b}");
    assert!(parts.iter().all(|k| part(k) >= 0.0) && part("multipliers") > 0.0);
    // Liberty flow: the adders are costed from the library's cells
    // (library::units), a whole number of 32-bit adds each.
    if let Some(u) = b["unit_energies"].as_object() {
        let add32 = u["add32_pj"].as_f64().unwrap();
        assert!(add32 > 0.0 && add32.is_finite(), "{b}");
        let adds = part("adders_accumulators") / add32;
        assert!(
            adds >= 1.0 && (adds - adds.round()).abs() < 1e-6 * adds,
            "{b}"
        );
        assert!(
            u["source"].as_str().unwrap().contains("abc -liberty"),
            "{b}"
        );
    }
    let mems = report["memories"].as_array().unwrap();
    assert_eq!(mems.len(), manifest.memories.len());
    let f = |m: &Value, k: &str| m[k].as_f64().unwrap();
    let reads: f64 = mems.iter().map(|m| f(m, "reads") * f(m, "read_pj")).sum();
    assert!((reads - part("sram_reads")).abs() <= 1e-9 * reads);
    assert_eq!(
        report["cosim"]["counters_match_schedule"],
        Value::Bool(true)
    );
    // Gate-level activity beside the system model (Liberty flow): the clock
    // is the same formula over the counted edges (the pixel writes and the
    // start pulse beside the schedule's cycles); the datapath nets agree
    // with the model's operations within 30 % (8 % when measured).
    if let Some(gl) = report["energy"].get("gate_level_approx") {
        assert_eq!(gl["mismatches"].as_u64(), Some(0), "{gl}");
        let f = |k: &str| gl[k].as_f64().unwrap();
        let clock = gl["activity"]["clock_pj"].as_f64().unwrap();
        let edges = (manifest.cycles_estimate + manifest.input_len as u64) as f64;
        assert!(
            (clock / f("model_clock_pj") - edges / manifest.cycles_estimate as f64).abs() < 1e-9,
            "{gl}"
        );
        assert!(f("difference_datapath").abs() < 0.3, "{gl}");
    }
}

/// The exact network's test accuracy as `eval.json` records it.
fn eval_exact(run: &Path) -> Value {
    let ev: Value = codesign::io::read_json(run.join("eval.json")).unwrap();
    ev["exact"]["top1"].clone()
}

/// The NanGate45 figures of `synth.json`: µm² by part adding up to the
/// total, the logic agreeing with Yosys's own `stat -liberty`, every
/// memory a macro with its model's figures and a timed Liberty cell, and
/// an OpenSTA critical path with a positive fmax.
fn check_nangate45(rtl: &Path, rep: &Value, manifest: &Manifest) {
    let f = |v: &Value| v.as_f64().unwrap();
    assert!(
        rep["liberty"].as_str().unwrap().contains("nangate45"),
        "{}",
        rep["liberty"]
    );
    let total = f(&rep["total"]["area_um2"]);
    let logic = f(&rep["logic"]["area_um2"]);
    let memories = f(&rep["memory_area_um2"]);
    // Logic: the sum of its cells' areas equals Yosys's own figure.
    let chip = f(&rep["yosys_chip_area_um2"]);
    assert!((chip - logic).abs() <= 1e-6 * logic, "{chip} vs {logic}");
    // Parts: engines (with ROMs) + buffers + other = logic + memories.
    let engines: f64 = rep["engines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| f(&e["area"]["area_um2"]))
        .sum();
    let parts = engines + f(&rep["buffers"]["area_um2"]) + f(&rep["other"]["area_um2"]);
    assert!(
        (parts - total).abs() <= 1e-6 * total,
        "parts {parts} vs total {total}"
    );
    assert!((logic + memories - total).abs() <= 1e-6 * total);
    // The memory macros are a large share but not all of it (stated range).
    assert!(
        (0.2..0.9).contains(&(memories / total)),
        "memories {memories} of {total}"
    );
    let mems = rep["memories"].as_array().unwrap();
    assert_eq!(mems.len(), manifest.memories.len());
    let macros = std::fs::read_to_string(rtl.join("macros.lib")).unwrap();
    let mut from_cacti = 0;
    for m in mems {
        if m["source"].as_str().unwrap().starts_with("CACTI") {
            from_cacti += 1;
            assert!(f(&m["leakage_uw"]) > 0.0, "{m}");
        }
        assert!(
            f(&m["area_um2"]) > 0.0 && f(&m["read_pj"]) > 0.0 && f(&m["access_ns"]) > 0.0,
            "{m}"
        );
        assert!(!m["source"].as_str().unwrap().is_empty());
        let cell = codesign::eda::synth::macro_cell(m["name"].as_str().unwrap());
        assert!(macros.contains(&format!("cell ({cell})")), "{cell}");
    }
    // Most macros come from CACTI (measured: 14 of 23 on digits; the small
    // bias/scale/shift ROMs and the 16-word logit buffer keep the per-bit model).
    let buffers = manifest
        .memories
        .iter()
        .filter(|m| m.module == "act_mem")
        .count();
    assert!(
        from_cacti >= buffers,
        "{from_cacti} of {} from CACTI",
        mems.len()
    );
    // OpenSTA: a named critical path and a positive fmax.
    let t = &rep["timing"];
    let (fmax, cp) = (f(&t["fmax_mhz"]), f(&t["critical_path_ns"]));
    assert!(
        fmax > 0.0 && cp > 0.0 && (fmax * cp - 1000.0).abs() < 1e-6,
        "{t}"
    );
    for k in ["start", "end"] {
        assert!(!t["critical_path"][k].as_str().unwrap().is_empty(), "{t}");
    }
    assert!(f(&t["inferences_per_s"]) > 0.0);
    let sta_report = std::fs::read_to_string(rtl.join("sta_report.txt")).unwrap();
    assert!(sta_report.contains("Startpoint:"), "{sta_report}");
}
