//! Exhaustive characterization of a Yosys-synthesized exact 8x8 multiplier
//! (about 330 gates): the Rust bit-parallel simulation against Icarus
//! Verilog and Verilator running the same exhaustive test bench on the same
//! netlist (written by `netlist::verilog::write`), all in one run. Prints
//! times and ratios; every simulator's products are checked against Rust's.
//! Ends with one line of JSON: Rust's time and its ratios to each simulator's
//! run alone and to its whole process (compile + run), and the whole
//! `codesign characterize --no-cost` process against iverilog's.
//!
//! Targets: Rust >= 10,000x faster than the iverilog run, >= 300x faster
//! than the Verilator run alone.

use codesign::errmap::ErrorMap;
use codesign::library::metrics;
use codesign::netlist::import::{self, ImportOptions};
use codesign::netlist::{sim, verilog};
use codesign::tool::{self, Tool};
use std::path::Path;

mod common;
use common::{median, secs};
use std::time::{Duration, Instant};

/// Run a tool once, timed; panics with the tool's complaint on failure.
fn timed(tool: Tool, args: &[&str], dir: &Path) -> (Duration, String) {
    let t = Instant::now();
    let out = tool::run(tool, args, dir, None).unwrap_or_else(|e| panic!("{e}"));
    (t.elapsed(), out.stdout)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("mul8.v");
    std::fs::write(&src, "module mul8(input [7:0] A, input [7:0] B, output [15:0] O);\n  assign O = A * B;\nendmodule\n").unwrap();
    let imported = import::load(&src, &ImportOptions::default())
        .expect("Yosys synthesis of the exact multiplier");
    let n = imported.netlist;
    println!(
        "netlist: {} ({} gates, importer {})",
        n.name,
        n.gates.len(),
        imported.importer
    );
    let exact = ErrorMap::exact(false);
    assert_eq!(
        sim::exhaustive(&n, false).unwrap(),
        exact,
        "Rust simulation is not exact"
    );

    // Rust: warm up, then the median of many runs.
    for _ in 0..50 {
        std::hint::black_box(sim::exhaustive(&n, false).unwrap());
    }
    let rust = median(501, || sim::exhaustive(&n, false).unwrap());
    let rust_metrics = median(201, || {
        metrics::metrics(&sim::exhaustive(&n, false).unwrap())
    });
    let naive = median(21, || sim::exhaustive_naive(&n, false).unwrap());

    // The same netlist and test bench for the external simulators.
    std::fs::write(dir.path().join("dut.v"), verilog::write(&n)).unwrap();
    std::fs::write(
        dir.path().join("tb.v"),
        verilog::testbench(&verilog::module_name(&n)),
    )
    .unwrap();
    let check = |name: &str, stdout: &str| {
        let raw = verilog::parse_products(stdout).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            ErrorMap::from_raw(false, &raw),
            exact,
            "{name} disagrees with the Rust error map"
        );
    };
    let (iv_compile, _) = timed(
        Tool::Iverilog,
        &["-g2005", "-o", "tb.vvp", "tb.v", "dut.v"],
        dir.path(),
    );
    let (iv_run, out) = timed(Tool::Vvp, &["-n", "tb.vvp"], dir.path());
    check("iverilog", &out);
    let verilator = Tool::Verilator.available().then(|| {
        let (compile, _) = timed(
            Tool::Verilator,
            &[
                "--binary",
                "--timing",
                "-Wno-fatal",
                "-O3",
                "--top-module",
                "tb",
                "-Mdir",
                "obj",
                "tb.v",
                "dut.v",
            ],
            dir.path(),
        );
        let exe = dir.path().join("obj/Vtb");
        let mut outs = vec![];
        let run = median(3, || {
            let o = std::process::Command::new(&exe)
                .current_dir(dir.path())
                .output()
                .unwrap();
            assert!(o.status.success(), "Vtb failed");
            outs.push(String::from_utf8_lossy(&o.stdout).into_owned());
        });
        check("verilator", &outs[0]);
        (compile, run)
    });

    let ratio = |d: Duration| d.as_secs_f64() / rust.as_secs_f64();
    println!("\nexhaustive characterization, 65,536 operand pairs:");
    println!(
        "  rust sim::exhaustive (error map)        {:>10}",
        secs(rust.as_secs_f64())
    );
    println!(
        "  rust error map + metrics                {:>10}",
        secs(rust_metrics.as_secs_f64())
    );
    println!(
        "  rust naive one-gate-per-row reference   {:>10}   ({:.1}x the fast path)",
        secs(naive.as_secs_f64()),
        ratio(naive)
    );
    println!(
        "  iverilog compile                        {:>10}",
        secs(iv_compile.as_secs_f64())
    );
    println!(
        "  iverilog run (vvp)                      {:>10}   {:>10.0}x rust",
        secs(iv_run.as_secs_f64()),
        ratio(iv_run)
    );
    println!(
        "  iverilog compile + run                  {:>10}   {:>10.0}x rust",
        secs((iv_compile + iv_run).as_secs_f64()),
        ratio(iv_compile + iv_run)
    );
    // `codesign characterize` as a user runs it: a whole process (start,
    // import, exhaustive simulation, metrics, print), against iverilog's
    // whole process on the same netlist. Target: >= 50x.
    let process = median(11, || {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_codesign"))
            .args(["characterize", "--no-cost", "--json", "dut.v"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "codesign characterize failed");
    });
    let process_ratio = (iv_compile + iv_run).as_secs_f64() / process.as_secs_f64();
    println!(
        "  codesign characterize --no-cost process {:>10}   iverilog compile + run is {:.0}x that",
        secs(process.as_secs_f64()),
        process_ratio
    );
    let mut json = serde_json::json!({
        "bench": "characterize",
        "gates": n.gates.len(),
        "rust_s": rust.as_secs_f64(),
        "ratio_iverilog_run": ratio(iv_run),
        "ratio_iverilog_whole": ratio(iv_compile + iv_run),
        "process_s": process.as_secs_f64(),
        "ratio_process_iverilog_whole": process_ratio,
    });
    if let Some((compile, run)) = verilator {
        json["ratio_verilator_run"] = ratio(run).into();
        json["ratio_verilator_whole"] = ratio(compile + run).into();
    }
    match verilator {
        Some((compile, run)) => {
            println!(
                "  verilator compile                       {:>10}",
                secs(compile.as_secs_f64())
            );
            println!(
                "  verilator run alone                     {:>10}   {:>10.0}x rust",
                secs(run.as_secs_f64()),
                ratio(run)
            );
            println!(
                "  verilator compile + run                 {:>10}   {:>10.0}x rust",
                secs((compile + run).as_secs_f64()),
                ratio(compile + run)
            );
            println!(
                "\ntargets: iverilog run >= 10000x: {} ({:.0}x); verilator run >= 300x: {} ({:.0}x)",
                if ratio(iv_run) >= 10_000.0 {
                    "met"
                } else {
                    "MISSED"
                },
                ratio(iv_run),
                if ratio(run) >= 300.0 { "met" } else { "MISSED" },
                ratio(run)
            );
        }
        None => println!("  verilator: not installed (skipped)"),
    }
    println!("{json}");
}
