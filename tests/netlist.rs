//! Netlist import, simulation and characterization against independent
//! references: arithmetic, Yosys synthesis, Icarus Verilog; and the
//! bad-input corpus run through the real binary.

use codesign::errmap::ErrorMap;
use codesign::netlist::import::{self, yosys::SYNTH_SCRIPT, ImportOptions};
use codesign::netlist::{sim, verilog};
use codesign::tool::{self, Tool};
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_codesign"))
}

/// Every file of the corpus and what its one-line error must say.
const BAD_INPUTS: &[(&str, &[&str])] = &[
    (
        "behavioural_error.v",
        &[
            "behavioural_error.v",
            "Yosys could not synthesize",
            "syntax error",
        ],
    ),
    (
        "bit_out_of_range.v",
        &["bit_out_of_range.v:6:", "`A[8]` is outside `A[7:0]`"],
    ),
    ("blank.v", &["blank.v:", "empty file"]),
    (
        "cycle.json",
        &["cycle.json:", "combinational cycle through net", "cell `g"],
    ),
    (
        "cycle.v",
        &["cycle.v:", "combinational cycle through net `N["],
    ),
    ("empty.v", &["empty.v:", "empty file"]),
    (
        "extra_input.v",
        &["extra_input.v:2:", "unexpected input port `clk`"],
    ),
    ("garbage.v", &["garbage.v:", "not UTF-8"]),
    (
        "missing_pin.json",
        &[
            "missing_pin.json:",
            "cell `g1` ($_AND_)",
            "pin `B` is not connected",
        ],
    ),
    ("missing_port.v", &["missing_port.v:", "no input port `B`"]),
    (
        "multiply_driven.json",
        &[
            "multiply_driven.json:",
            "net `O[0]` is multiply driven",
            "cell `g1`",
            "cell `g2`",
        ],
    ),
    (
        "multiply_driven.v",
        &[
            "multiply_driven.v:7:",
            "net `N[0]` is multiply driven",
            "multiply_driven.v:6",
            "instance `u1`",
        ],
    ),
    ("not_netlist.json", &["not_netlist.json:", "no `modules`"]),
    (
        "syntax_error.v",
        &["syntax_error.v:7:", "syntax error", "expected `;`"],
    ),
    ("truncated.json", &["truncated.json:", "invalid JSON"]),
    (
        "unconnected_pin.v",
        &[
            "unconnected_pin.v:6:",
            "instance `u1`",
            "input `B` is not connected",
        ],
    ),
    (
        "undeclared_net.v",
        &["undeclared_net.v:7:", "net `Q` is not declared"],
    ),
    (
        "undriven.json",
        &["undriven.json:", "net `t` is undriven", "cell `g1`"],
    ),
    ("undriven.v", &["undriven.v:7:", "net `N[2]` is undriven"]),
    (
        "unknown_cell.v",
        &["unknown_cell.v:7:", "unknown cell `PDKGENFOO2X1`", "`u7`"],
    ),
    (
        "word_level_cell.json",
        &[
            "word_level_cell.json:",
            "($mul)",
            "not a single-bit gate cell",
        ],
    ),
    (
        "wrong_width.json",
        &["wrong_width.json:", "port `O` is 8 bits wide, expected 16"],
    ),
    (
        "wrong_width.v",
        &["wrong_width.v:4:", "port `O` is 15 bits wide, expected 16"],
    ),
    (
        "x_constant.v",
        &[
            "x_constant.v:6:",
            "x/z constant reaches the product through net `O[0]`",
        ],
    ),
];

#[test]
fn bad_inputs_exit_2_with_one_line_naming_the_problem() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let listed: Vec<String> = BAD_INPUTS.iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(
        files, listed,
        "every corpus file needs an expectation (and vice versa)"
    );
    let mut failures = vec![];
    for (file, expect) in BAD_INPUTS {
        let out = bin()
            .args(["characterize", "--json"])
            .arg(dir.join(file))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        let ok = out.status.code() == Some(2)
            && out.stdout.is_empty()
            && lines.len() == 1
            && !stderr.contains("panicked")
            && expect.iter().all(|e| lines[0].contains(e));
        if !ok {
            failures.push(format!(
                "{file}: exit {:?}, stderr {stderr:?}, expected {expect:?}",
                out.status.code()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// An 8x8 carry-save array multiplier in EvoApprox8b's published style:
/// a wire vector `N`, full-adder cell instances whose pins take
/// expressions (the partial products), bit assigns to the output, the cell
/// module after the top module, and comments that must not matter.
/// Partial products of columns below `trunc` are left out.
fn evoapprox_style(name: &str, trunc: usize) -> String {
    let mut body = String::new();
    let mut n = 0usize;
    let mut acc: Vec<String> = vec!["1'b0".into(); 16];
    for j in 0..8 {
        let mut carry = "1'b0".to_string();
        for i in 0..8 {
            let pp = if i + j < trunc {
                "1'b0".to_string()
            } else {
                format!("A[{i}] & B[{j}]")
            };
            body += &format!(
                "  PDKGENFAX1 n{n} (.A({}), .B({pp}), .C({carry}), .YS(N[{n}]), .YC(N[{}]));\n",
                acc[i + j],
                n + 1
            );
            acc[i + j] = format!("N[{n}]");
            carry = format!("N[{}]", n + 1);
            n += 2;
        }
        acc[j + 8] = carry;
    }
    for (b, a) in acc.iter().enumerate() {
        body += &format!("  assign O[{b}] = {a};\n");
    }
    format!(
        "// Library: test approximate multipliers\n// module fake(A); endmodule\n\
         module {name}(A, B, O);\n  input [7:0] A;\n  input [7:0] B;\n  output [15:0] O;\n  wire [2031:0] N;\n\
         {body}endmodule\n\n\
         /* full adder cell */\nmodule PDKGENFAX1(input A, input B, input C, output YS, output YC);\n\
         \x20 assign YS = A ^ B ^ C;\n  assign YC = (A & B) | (B & C) | (A & C);\nendmodule\n"
    )
}

/// Products of the truncated array: partial products of columns `< trunc` dropped.
fn truncated(trunc: usize) -> ErrorMap {
    ErrorMap::from_fn(false, |a, b| {
        let mut p = 0;
        for i in 0..8 {
            for j in 0..8 {
                if i + j >= trunc {
                    p += (((a >> i) & 1) * ((b >> j) & 1)) << (i + j);
                }
            }
        }
        p
    })
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn evoapprox_style_files_import_and_characterize() {
    let dir = tempfile::tempdir().unwrap();
    let exact = write(
        dir.path(),
        "mul8u_exact.v",
        &evoapprox_style("mul8u_exact", 0),
    );
    let imp = import::load(&exact, &ImportOptions::default()).unwrap();
    assert_eq!(imp.importer, import::STRUCTURAL);
    assert_eq!(
        sim::exhaustive(&imp.netlist, false).unwrap(),
        ErrorMap::exact(false)
    );

    let approx = write(dir.path(), "mul8u_t5.v", &evoapprox_style("mul8u_t5", 5));
    let want = truncated(5);
    let imp = import::load(&approx, &ImportOptions::default()).unwrap();
    assert_eq!(sim::exhaustive(&imp.netlist, false).unwrap(), want);

    // Through the binary: one JSON object with every key.
    let out = bin()
        .args(["characterize", "--json"])
        .arg(&approx)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "mae",
        "mae_pct",
        "wce",
        "wce_pct",
        "ep_pct",
        "mre_pct",
        "wcre_pct",
        "mse",
        "bias",
        "err_std",
        "name",
        "signed",
        "gates",
        "area_ge",
        "energy_rel",
        "importer",
    ] {
        assert!(v.get(key).is_some(), "missing {key} in {v}");
    }
    let mae: f64 = (0..65536usize)
        .map(|i| (want.products[i] - ErrorMap::exact(false).products[i]).abs() as f64)
        .sum::<f64>()
        / 65536.0;
    assert!((v["mae"].as_f64().unwrap() - mae).abs() < 1e-9, "{v}");
    assert_eq!(v["name"], "mul8u_t5");
    assert_eq!(v["importer"], "verilog-structural");
    assert_eq!(v["signed"], false);
}

#[test]
fn yosys_synthesized_multipliers_are_exact_through_both_routes_and_iverilog_agrees() {
    if !codesign::tool::tools_for_test(&[Tool::Yosys, Tool::Iverilog]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (signed, rhs) in [(false, "A * B"), (true, "$signed(A) * $signed(B)")] {
        let v = write(dir.path(), "mul.v", &format!("module mul8(input [7:0] A, input [7:0] B, output [15:0] O);\n  assign O = {rhs};\nendmodule\n"));
        // Route 3: Yosys synthesis from behavioural Verilog.
        let synth = import::load(&v, &ImportOptions::default()).unwrap();
        assert_eq!(synth.importer, import::YOSYS_SYNTH);
        assert_eq!(
            sim::exhaustive(&synth.netlist, signed).unwrap(),
            ErrorMap::exact(signed)
        );
        // Route 2: the JSON Yosys writes for it.
        let json = dir.path().join(format!("mul_{signed}.json"));
        tool::run(
            Tool::Yosys,
            &[
                "-q",
                "-p",
                &format!(
                    "read_verilog -sv mul.v; {SYNTH_SCRIPT}; write_json {}",
                    json.display()
                ),
            ],
            dir.path(),
            None,
        )
        .unwrap();
        let from_json = import::load(&json, &ImportOptions::default()).unwrap();
        assert_eq!(from_json.importer, import::YOSYS_JSON);
        assert_eq!(
            sim::exhaustive(&from_json.netlist, signed).unwrap(),
            ErrorMap::exact(signed)
        );
        // The binary agrees, signedness included.
        let mut cmd = bin();
        cmd.args(["characterize", "--json"]).arg(&json);
        if signed {
            cmd.arg("--signed");
        }
        let out = cmd.output().unwrap();
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            (r["mae"].as_f64(), r["wce"].as_f64(), r["signed"].as_bool()),
            (Some(0.0), Some(0.0), Some(signed)),
            "{r}"
        );
    }
    // Written back as Verilog, Icarus simulates the same products.
    let approx = write(dir.path(), "t6.v", &evoapprox_style("t6", 6));
    let n = import::load(&approx, &ImportOptions::default())
        .unwrap()
        .netlist;
    let work = dir.path().join("iverilog");
    std::fs::create_dir(&work).unwrap();
    let raw = verilog::simulate_iverilog(&n, &work).unwrap();
    assert_eq!(
        ErrorMap::from_raw(false, &raw),
        sim::exhaustive(&n, false).unwrap()
    );
    assert_eq!(ErrorMap::from_raw(false, &raw), truncated(6));
    // Yosys accepts the written module too, and its re-synthesis agrees.
    let json = work.join("dut.json");
    let script = format!(
        "read_verilog dut.v; {SYNTH_SCRIPT}; write_json {}",
        json.display()
    );
    tool::run(Tool::Yosys, &["-q", "-p", &script], &work, None).unwrap();
    let back = import::load(&json, &ImportOptions::default())
        .unwrap()
        .netlist;
    assert_eq!(sim::exhaustive(&back, false).unwrap(), truncated(6));
}
