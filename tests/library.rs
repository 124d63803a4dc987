//! Library integration tests: built-in designs written as Verilog and
//! simulated exhaustively by Icarus Verilog equal their Rust error maps, and
//! the energy model ranks real approximate multipliers (EvoApprox8b, with
//! their published 45 nm power) at least as well as gate count.

use codesign::errmap::ErrorMap;
use codesign::library::generators::{default_designs, Design, Spec};
use codesign::library::yosys::yosys_area;
use codesign::library::{cost, metrics};
use codesign::netlist::import::{load, ImportOptions};
use std::collections::BTreeMap;
use std::path::Path;

/// Up to two designs of every family and signedness (first and last
/// parameter value in the default library).
fn sample() -> Vec<Design> {
    let mut by_family: BTreeMap<(bool, String), Vec<Design>> = BTreeMap::new();
    for d in default_designs() {
        by_family.entry((d.signed, d.family())).or_default().push(d);
    }
    let mut out = Vec::new();
    for (_, v) in by_family {
        out.push(v[0].clone());
        if v.len() > 1 {
            out.push(v[v.len() - 1].clone());
        }
    }
    out
}

/// A test bench that applies every operand pair to all `ids` at once and
/// prints one line per pair: `a b O_1 O_2 ...` (raw 16-bit outputs).
fn testbench(ids: &[String]) -> String {
    let mut s =
        String::from("`timescale 1ns/1ps\nmodule tb;\n  reg [7:0] a, b;\n  integer i, j;\n");
    for (k, id) in ids.iter().enumerate() {
        s += &format!("  wire [15:0] o{k};\n  {id} u{k} (.A(a), .B(b), .O(o{k}));\n");
    }
    s += "  initial begin\n    for (i = 0; i < 256; i = i + 1) for (j = 0; j < 256; j = j + 1) begin\n";
    s += "      a = i; b = j; #1;\n      $write(\"%0d %0d\", a, b);\n";
    for k in 0..ids.len() {
        s += &format!("      $write(\" %0d\", o{k});\n");
    }
    s += "      $write(\"\\n\");\n    end\n    $finish;\n  end\nendmodule\n";
    s
}

#[test]
fn sampled_designs_simulate_identically_in_iverilog() {
    if !codesign::tool::Tool::Iverilog.available() {
        panic!("iverilog is not installed (scripts/setup.sh installs it)");
    }
    let designs = sample();
    assert!(designs.len() >= 20, "{} sampled designs", designs.len());
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let ids: Vec<String> = designs.iter().map(|d| d.id()).collect();
    for d in &designs {
        let path = dir.path().join(format!("{}.v", d.id()));
        std::fs::write(&path, codesign::netlist::verilog::write(&d.netlist())).unwrap();
        files.push(path.display().to_string());
    }
    std::fs::write(dir.path().join("tb.v"), testbench(&ids)).unwrap();
    let mut args = vec!["-g2005", "-o", "tb.vvp", "tb.v"];
    args.extend(files.iter().map(String::as_str));
    codesign::tool::run(codesign::tool::Tool::Iverilog, &args, dir.path(), None).unwrap();
    let out = codesign::tool::run(
        codesign::tool::Tool::Vvp,
        &["-n", "tb.vvp"],
        dir.path(),
        None,
    )
    .unwrap();
    let mut raw: Vec<Vec<u16>> = vec![vec![0; 65536]; ids.len()];
    let mut lines = 0;
    for line in out.stdout.lines() {
        let v: Vec<u32> = match line.split_whitespace().map(str::parse).collect() {
            Ok(v) => v,
            Err(_) => continue,
        };
        if v.len() != ids.len() + 2 {
            continue;
        }
        let i = (v[0] as usize) << 8 | v[1] as usize;
        for k in 0..ids.len() {
            raw[k][i] = v[k + 2] as u16;
        }
        lines += 1;
    }
    assert_eq!(lines, 65536, "iverilog printed {lines} operand pairs");
    for (k, d) in designs.iter().enumerate() {
        let verilog = ErrorMap::from_raw(d.signed, &raw[k]);
        assert!(
            verilog == d.reference_map(),
            "{}: iverilog disagrees with the arithmetic reference",
            d.id()
        );
        let rust = codesign::netlist::sim::exhaustive(&d.netlist(), d.signed).unwrap();
        assert!(
            verilog == rust,
            "{}: iverilog disagrees with the Rust simulation",
            d.id()
        );
    }
}

/// Spearman rank correlation (average ranks for ties).
fn spearman(x: &[f64], y: &[f64]) -> f64 {
    fn ranks(v: &[f64]) -> Vec<f64> {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        let mut r = vec![0.0; v.len()];
        let mut i = 0;
        while i < idx.len() {
            let mut j = i;
            while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
                j += 1;
            }
            for &k in &idx[i..=j] {
                r[k] = (i + j) as f64 / 2.0 + 1.0;
            }
            i = j + 1;
        }
        r
    }
    let (rx, ry) = (ranks(x), ranks(y));
    let n = x.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let cov: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - mx) * (b - my)).sum();
    let vx: f64 = rx.iter().map(|a| (a - mx) * (a - mx)).sum();
    let vy: f64 = ry.iter().map(|b| (b - my) * (b - my)).sum();
    cov / (vx * vy).sqrt()
}

#[test]
fn spearman_matches_hand_values() {
    assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]) - 1.0).abs() < 1e-12);
    assert!((spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
    // One swap among four: 1 - 6*2/(4*15) = 0.8.
    assert!((spearman(&[1.0, 2.0, 3.0, 4.0], &[1.0, 3.0, 2.0, 4.0]) - 0.8).abs() < 1e-12);
}

/// `// KEY = value` from an EvoApprox8b header.
fn header(text: &str, key: &str) -> f64 {
    codesign::library::evoapprox::header(text)[key]
}

#[test]
fn energy_ranks_evoapprox_power_at_least_as_well_as_gate_count() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/evoapprox8b");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "v"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 10);
    let (mut power, mut energy, mut unit, mut gates, mut area) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut canonical = vec![];
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let n = load(f, &ImportOptions::default()).unwrap().netlist;
        // The import is faithful: the published error metrics come out.
        let m = metrics::metrics(&codesign::netlist::sim::exhaustive(&n, false).unwrap());
        assert!(
            (m.mae - header(&text, "MAE")).abs() < 1e-3,
            "{}: MAE {}",
            f.display(),
            m.mae
        );
        assert_eq!(m.wce, header(&text, "WCE"), "{}", f.display());
        assert!(
            (m.ep_pct - header(&text, "EP")).abs() < 0.06,
            "{}: EP {}",
            f.display(),
            m.ep_pct
        );
        let c = cost::cost(&n, false).unwrap();
        power.push(header(&text, "Power (45)"));
        energy.push(c.energy_rel);
        gates.push(c.gates as f64);
        area.push(c.area_ge);
        unit.push(cost::energy_with(&n, &cost::Stimulus::Uniform, cost::Delay::Unit).unwrap());
        canonical.push(cost::canonical_cost(&n, false).unwrap().energy_rel);
    }
    // The cost flow of imported designs (canonical mapping): rank
    // correlation and mean relative error after the best single scale
    // (least squares on relative errors), reported, not asserted.
    let scaled_error = |e: &[f64]| {
        let ratio: Vec<f64> = e.iter().zip(&power).map(|(e, p)| e / p).collect();
        let scale = ratio.iter().sum::<f64>() / ratio.iter().map(|r| r * r).sum::<f64>();
        ratio.iter().map(|r| (scale * r - 1.0).abs()).sum::<f64>() / ratio.len() as f64
    };
    eprintln!(
        "energy_rel vs published 45 nm power (unsigned, {} designs): canonical mapping Spearman {:.3}, mean relative error after best scale {:.3}; as written {:.3}, {:.3}",
        files.len(),
        spearman(&canonical, &power),
        scaled_error(&canonical),
        spearman(&energy, &power),
        scaled_error(&energy)
    );
    let (re, rg, ra, ru) = (
        spearman(&energy, &power),
        spearman(&gates, &power),
        spearman(&area, &power),
        spearman(&unit, &power),
    );
    eprintln!("Spearman vs published 45 nm power ({} designs): energy_rel {re:.3}, gates {rg:.3}, area_ge {ra:.3}, unit-delay energy {ru:.3}", files.len());
    assert!(re > 0.95, "energy_rel ranks published power with rho {re}");
    assert!(
        re >= rg && re >= ra,
        "energy_rel rho {re} below gate count {rg} / area {ra}"
    );
}

#[test]
fn yosys_maps_a_truncated_multiplier_to_fewer_cells_than_the_exact_one() {
    let work = tempfile::tempdir().unwrap();
    let exact = Design::new(
        Spec::Exact(codesign::library::generators::Reducer::Dadda),
        false,
    )
    .netlist();
    let trunc = Design::new(
        Spec::Truncation {
            k: 8,
            compensated: false,
        },
        false,
    )
    .netlist();
    let e = yosys_area(&exact, &work.path().join("exact")).unwrap();
    let t = yosys_area(&trunc, &work.path().join("trunc")).unwrap();
    assert!(
        e.cells > 100 && t.cells < e.cells,
        "exact {e:?} truncated {t:?}"
    );
    assert_eq!(e.by_type.values().sum::<usize>(), e.cells);
}
