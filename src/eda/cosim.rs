//! Co-simulation: run emitted Verilog in Icarus Verilog and compare it with
//! the Rust side bit for bit. Multipliers are checked exhaustively against
//! their error maps; the accelerator on real images against the integer
//! simulation's traces ([`compare`]).

use crate::errmap::ErrorMap;
use crate::error::{Error, Result};
use crate::rundir::ExportDir;
use crate::tool::{path_arg, run, Tool};
use rayon::prelude::*;
use std::path::Path;

/// The exhaustive multiplier test bench (`rtl/tb_mult.v`).
pub const TB_MULT: &str = include_str!("../../rtl/tb_mult.v");

/// First operand pairs whose simulated product differs from the map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultMismatch {
    /// Activation operand.
    pub a: u8,
    /// Weight operand (its bit pattern).
    pub b: u8,
    /// Product the RTL simulation gave.
    pub rtl: u16,
    /// Product from the error map.
    pub expected: u16,
}

/// Simulate module `module` of `verilog` in iverilog on all 65,536 operand
/// pairs and return the pairs whose 16-bit product differs from `map`
/// (empty: the module equals the map). Work files and logs go to `work`.
pub fn check_multiplier(
    verilog: &Path,
    module: &str,
    map: &ErrorMap,
    work: &Path,
) -> Result<Vec<MultMismatch>> {
    std::fs::create_dir_all(work).map_err(|e| Error::io(work, e))?;
    let tb = work.join("tb_mult.v");
    crate::io::write_atomic(&tb, TB_MULT.as_bytes())?;
    let vvp = work.join(format!("{module}.vvp"));
    let define = format!("-DMULT={module}");
    let (vvp_arg, tb_arg, src_arg) = (path_arg(&vvp)?, path_arg(&tb)?, path_arg(verilog)?);
    run(
        Tool::Iverilog,
        &[
            "-g2005", &define, "-s", "tb_mult", "-o", &vvp_arg, &tb_arg, &src_arg,
        ],
        work,
        Some(&work.join(format!("{module}.iverilog.log"))),
    )?;
    let out = work.join(format!("{module}.products.hex"));
    let plus = format!("+out={}", path_arg(&out)?);
    run(
        Tool::Vvp,
        &["-n", &vvp_arg, &plus],
        work,
        Some(&work.join(format!("{module}.vvp.log"))),
    )?;
    let got = read_hex_words(&out)?;
    if got.len() != 65536 {
        return Err(Error::in_file(
            &out,
            format!("expected 65536 products, found {}", got.len()),
        ));
    }
    let raw = map.to_raw();
    Ok((0..65536)
        .filter(|&i| got[i] as u16 != raw[i])
        .map(|i| MultMismatch {
            a: (i >> 8) as u8,
            b: i as u8,
            rtl: got[i] as u16,
            expected: raw[i],
        })
        .collect())
}

/// Read a file of hex words, one per line (`x` digits are an error naming the line).
pub fn read_hex_words(path: &Path) -> Result<Vec<u64>> {
    let text = crate::io::read_text(path)?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            u64::from_str_radix(l.trim(), 16).map_err(|_| {
                Error::at_line(
                    path,
                    i + 1,
                    format!("`{}` is not a hex word (undriven value?)", l.trim()),
                )
            })
        })
        .collect()
}

/// Verilator warnings waived by [`lint`], and why:
/// `DECLFILENAME`: one emitted file holds several modules;
/// `UNUSEDSIGNAL`/`UNUSEDPARAM`: generic blocks expose ports and parameters
/// that some configurations leave unused (e.g. the debug read port of a
/// memory without readers).
pub const LINT_WAIVERS: &[&str] = &["-Wno-DECLFILENAME", "-Wno-UNUSEDSIGNAL", "-Wno-UNUSEDPARAM"];

/// `verilator --lint-only -Wall` (minus [`LINT_WAIVERS`]) on `files` with
/// top module `top`.
pub fn lint(files: &[&Path], top: &str, work: &Path, log: Option<&Path>) -> Result<()> {
    let mut args: Vec<String> = vec!["--lint-only".into(), "-Wall".into()];
    args.extend(LINT_WAIVERS.iter().map(|s| s.to_string()));
    args.extend(["--top-module".to_string(), top.to_string()]);
    for f in files {
        args.push(path_arg(f)?);
    }
    let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    run(Tool::Verilator, &a, work, log)?;
    Ok(())
}

/// Simulator used for the accelerator. Verilator is the default: it
/// compiles the design once (tens of seconds) and then runs an image in a
/// fraction of a second, where Icarus needs about 18 s per LeNet-5 image
/// (72,513 cycles) and minutes per ResNet image.
#[derive(
    Copy,
    Clone,
    Debug,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
// Variant doc comments would become `--sim` help text; the names are the
// simulators' own.
#[allow(missing_docs)]
pub enum Sim {
    Iverilog,
    #[default]
    Verilator,
}

/// What the test bench reported for one image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRun {
    /// Clock cycles from start to done (`None`: never finished).
    pub cycles: Option<u64>,
    /// Every tensor read back, as two's complement 32-bit words.
    pub tensors: Vec<Vec<i32>>,
}

/// Run the exported accelerator in `dir` (as written by
/// [`crate::rtl::accel::Design::write`]) on `images` (`n` images of
/// `manifest.input_len` raw pixels). The test bench is compiled once and
/// run as up to `shards` simulator processes at the same time, each on a
/// contiguous slice of the images (a simulator is single-threaded; images
/// are independent). Work files and logs stay in `dir`.
pub fn run_accel(
    dir: &Path,
    manifest: &crate::rtl::accel::Manifest,
    images: &[u8],
    sim: Sim,
    shards: usize,
) -> Result<Vec<ImageRun>> {
    Ok(run_accel_counted(dir, manifest, images, sim, shards)?.0)
}

/// [`run_accel`], plus the per-inference event counts every unit of the
/// RTL reported ([`super::activity::measured`]: the same in every image).
pub fn run_accel_counted(
    dir: &Path,
    manifest: &crate::rtl::accel::Manifest,
    images: &[u8],
    sim: Sim,
    shards: usize,
) -> Result<(Vec<ImageRun>, Vec<super::activity::UnitActivity>)> {
    let n = images.len() / manifest.input_len.max(1);
    if n == 0 || n * manifest.input_len != images.len() {
        return Err(Error::input(format!(
            "{} pixels are not a whole number of {}-pixel images",
            images.len(),
            manifest.input_len
        )));
    }
    let per_shard = n.div_ceil(shards.clamp(1, n));
    let slices: Vec<&[u8]> = images.chunks(per_shard * manifest.input_len).collect();
    let exe = compile_testbench(dir, manifest, per_shard, sim)?;
    let runs: Vec<Result<(Vec<ImageRun>, String)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = slices
            .iter()
            .enumerate()
            .map(|(k, slice)| {
                let exe = &exe;
                scope.spawn(move || run_shard(dir, manifest, exe, k, slice))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("cosim shard thread panicked"))
            .collect()
    });
    let mut all = Vec::with_capacity(n);
    let mut dumps = vec![];
    for r in runs {
        let (images, stdout) = r?;
        all.extend(images);
        dumps.extend(super::activity::parse_counters(&stdout)?);
    }
    let counts = super::activity::measured(manifest, &dumps, n)?;
    Ok((all, counts))
}

/// How to start the compiled test bench: the program and its fixed
/// arguments.
struct TestbenchExe {
    program: crate::tool::Program,
    args: Vec<String>,
}

/// Compile the test bench of `dir` for at most `max_images` images per run.
fn compile_testbench(
    dir: &Path,
    manifest: &crate::rtl::accel::Manifest,
    max_images: usize,
    sim: Sim,
) -> Result<TestbenchExe> {
    let define = format!("-DTOP={}", manifest.top);
    let params = [
        format!("N_IMAGES={max_images}"),
        format!("IN_LEN={}", manifest.input_len),
        format!("N_TENSORS={}", manifest.tensors.len()),
    ];
    let mut sources: Vec<String> = manifest.sources.clone();
    sources.push(manifest.testbench.clone());
    let (compiler, mut args, exe) = match sim {
        Sim::Iverilog => {
            let args: Vec<String> = vec![
                "-g2005".into(),
                define,
                "-s".into(),
                "tb_accel".into(),
                "-o".into(),
                "accel.vvp".into(),
            ];
            let exe = TestbenchExe {
                program: crate::tool::Program::Tool(Tool::Vvp),
                args: vec!["-n".into(), "accel.vvp".into()],
            };
            (Tool::Iverilog, args, exe)
        }
        Sim::Verilator => {
            // The C++ build (most of Verilator's time) on every core, at
            // `-O1` (the per-cycle code) and `-O0` (the run-once code)
            // instead of Verilator's `-Os`: on LeNet-5 the build took
            // 21.5 s instead of 26.2 s and the simulation 3.9 s instead of
            // 4.9 s per 10 images (same outputs; 2-core Zen 3).
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            let args: Vec<String> = vec![
                "--binary".into(),
                "-j".into(),
                cores.to_string(),
                "-MAKEFLAGS".into(),
                "OPT_FAST=-O1 OPT_SLOW=-O0 OPT_GLOBAL=-O1".into(),
                "-O2".into(),
                "-Wno-fatal".into(),
                "-Wno-lint".into(),
                "-Wno-style".into(),
                define,
                "--top-module".into(),
                "tb_accel".into(),
                "-Mdir".into(),
                "obj_verilator".into(),
                "-o".into(),
                "accel_sim".into(),
            ];
            let exe = TestbenchExe {
                program: crate::tool::Program::Built(dir.join("obj_verilator/accel_sim")),
                args: vec![],
            };
            (Tool::Verilator, args, exe)
        }
    };
    args.extend(params.iter().map(|p| match sim {
        Sim::Iverilog => format!("-Ptb_accel.{p}"),
        Sim::Verilator => format!("-G{p}"),
    }));
    args.extend(sources);
    let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let log = dir.join(format!("{}.log", compiler.program()));
    run(compiler, &a, dir, Some(&log))?;
    Ok(exe)
}

/// Run shard `k` of the images (`slice`) and parse what it read back;
/// also returns the simulator's standard output (the units' counters).
/// Files: `images_<k>.hex` in, `cosim_out_<k>.txt` and `sim_<k>.log` out.
fn run_shard(
    dir: &Path,
    manifest: &crate::rtl::accel::Manifest,
    exe: &TestbenchExe,
    k: usize,
    slice: &[u8],
) -> Result<(Vec<ImageRun>, String)> {
    let images = format!("images_{k}.hex");
    let out = dir.join(format!("cosim_out_{k}.txt"));
    let log = dir.join(format!("sim_{k}.log"));
    let hex: String = slice.iter().map(|p| format!("{p:02x}\n")).collect();
    crate::io::write_atomic(dir.join(&images), hex.as_bytes())?;
    let _ = std::fs::remove_file(&out);
    let mut args: Vec<String> = exe.args.clone();
    args.extend([
        format!("+images={images}"),
        format!("+n={}", slice.len() / manifest.input_len),
        format!("+out={}", out.file_name().unwrap().to_string_lossy()),
    ]);
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = crate::tool::run_program(exe.program.clone(), &a, dir, Some(&log))?;
    Ok((
        parse_accel_output(&out, manifest.tensors.len())?,
        run.stdout,
    ))
}

/// Parse the test bench's output file.
pub fn parse_accel_output(path: &Path, n_tensors: usize) -> Result<Vec<ImageRun>> {
    let text = crate::io::read_text(path)?;
    let mut runs: Vec<ImageRun> = vec![];
    for (i, line) in text.lines().enumerate() {
        let bad = |what: &str| Error::at_line(path, i + 1, format!("{what}: `{line}`"));
        let mut words = line.split_whitespace();
        match words.next() {
            Some("image") => {
                let cycles: i64 = words
                    .nth(2)
                    .and_then(|w| w.parse().ok())
                    .ok_or_else(|| bad("bad image line"))?;
                runs.push(ImageRun {
                    cycles: (cycles >= 0).then_some(cycles as u64),
                    tensors: vec![],
                });
            }
            Some("tensor") => runs
                .last_mut()
                .ok_or_else(|| bad("tensor before image"))?
                .tensors
                .push(vec![]),
            Some(w) => {
                let v = u32::from_str_radix(w, 16)
                    .map_err(|_| bad("not a hex word (undriven value?)"))?;
                runs.last_mut()
                    .and_then(|r| r.tensors.last_mut())
                    .ok_or_else(|| bad("value before tensor"))?
                    .push(v as i32);
            }
            None => {}
        }
    }
    for (k, r) in runs.iter().enumerate() {
        if r.tensors.len() != n_tensors {
            return Err(Error::in_file(
                path,
                format!(
                    "image {k}: {} tensors read back, expected {n_tensors}",
                    r.tensors.len()
                ),
            ));
        }
    }
    Ok(runs)
}

/// The first difference of one image.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mismatch {
    /// Image index in the co-simulated set.
    pub image: usize,
    /// First tensor (in execution order) that differs.
    pub tensor: usize,
    /// Layer that produced it.
    pub layer: String,
    /// Flat index of the first differing value in the tensor.
    pub index: usize,
    /// Value the RTL simulation gave.
    pub rtl: i32,
    /// Value of the Rust integer simulation.
    pub expected: i32,
    /// Whether the logits differ.
    pub logits_differ: bool,
}

/// Layout version of `cosim.json` ([`CosimReport`]).
pub const COSIM_VERSION: u32 = 1;

/// `cosim.json`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CosimReport {
    /// Layout version ([`COSIM_VERSION`]; 0: written before it was stated).
    #[serde(default)]
    pub version: u32,
    /// Images co-simulated.
    pub images: usize,
    /// Images whose tensors differ anywhere.
    pub mismatches: usize,
    /// Images whose logits differ.
    pub logit_mismatches: usize,
    /// Mean clock cycles per image measured in RTL simulation (NaN if any run did not finish).
    pub cycles_per_inference: f64,
    /// Cycle count the accelerator generator predicted per image.
    pub cycles_estimate: u64,
    /// Simulator used.
    pub simulator: Sim,
    /// First mismatch of each differing image.
    pub first_mismatches: Vec<Mismatch>,
    /// Name of the accelerator's top module.
    pub top: String,
    /// Every emitted multiplier module, checked on its own.
    #[serde(default)]
    pub multipliers: Vec<MultCheck>,
    /// Per-inference event counts of every unit, as the RTL counted them
    /// ([`super::activity`]; the same in every image).
    #[serde(default)]
    pub counters: Vec<super::activity::UnitActivity>,
    /// Whether `counters` equal the schedule's counts
    /// ([`super::activity::schedule`]); `None` if not compared.
    #[serde(default)]
    pub counters_match_schedule: Option<bool>,
    /// Per engine layer, its multiplier's energy per multiplication on the
    /// operand stream its lanes see on the first co-simulated images
    /// ([`STREAM_IMAGES`]) and on uniform operands ([`super::stream`];
    /// empty without the NanGate45 Liberty file).
    #[serde(default)]
    pub stream_energy: Vec<super::stream::LayerStream>,
}

/// Images whose operand streams give [`CosimReport::stream_energy`].
pub const STREAM_IMAGES: usize = 2;

impl CosimReport {
    /// Whether every check passed: the accelerator and each multiplier.
    pub fn passed(&self) -> bool {
        self.mismatches == 0
            && self.counters_match_schedule != Some(false)
            && self
                .multipliers
                .iter()
                .all(|m| m.mismatches == 0 && m.equivalent)
    }
}

/// The checks of one emitted multiplier module of an export.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MultCheck {
    /// Verilog module, as emitted in the export.
    pub module: String,
    /// Library id.
    pub multiplier: String,
    /// Operand pairs (of all 65,536, simulated in iverilog) whose product
    /// differs from the multiplier's error map.
    pub mismatches: usize,
    /// Whether Yosys proved the module equal to its source netlist.
    pub equivalent: bool,
}

/// How a simulation's tensors differ from the expected ones.
pub struct Differences {
    /// The first mismatch of each differing image.
    pub first: Vec<Mismatch>,
    /// Images whose logits differ.
    pub logit_mismatches: usize,
    /// Mean cycles per image (NaN if any run did not finish).
    pub cycles_per_inference: f64,
}

/// Compare simulated tensors with the expected ones (index = tensor id,
/// as [`crate::intnet::sim::Trace::tensors`]).
pub fn differences(
    manifest: &crate::rtl::accel::Manifest,
    runs: &[ImageRun],
    expected: &[Vec<Vec<i32>>],
) -> Differences {
    let mut first = vec![];
    let mut logit_mismatches = 0;
    let last = manifest.tensors.len() - 1;
    for (img, (run, exp)) in runs.iter().zip(expected).enumerate() {
        let logits_differ = run.tensors[last] != exp[last];
        logit_mismatches += logits_differ as usize;
        'find: for (t, spec) in manifest.tensors.iter().enumerate() {
            let (a, b) = (&run.tensors[t], &exp[t]);
            for idx in 0..a.len().max(b.len()) {
                let (x, y) = (
                    a.get(idx).copied().unwrap_or(i32::MIN),
                    b.get(idx).copied().unwrap_or(i32::MIN),
                );
                if x != y {
                    first.push(Mismatch {
                        image: img,
                        tensor: t,
                        layer: spec.producer.clone(),
                        index: idx,
                        rtl: x,
                        expected: y,
                        logits_differ,
                    });
                    break 'find;
                }
            }
        }
    }
    let done: Vec<u64> = runs.iter().filter_map(|r| r.cycles).collect();
    let cycles_per_inference = if done.len() == runs.len() && !done.is_empty() {
        done.iter().sum::<u64>() as f64 / done.len() as f64
    } else {
        f64::NAN
    };
    Differences {
        first,
        logit_mismatches,
        cycles_per_inference,
    }
}

/// Compare the test bench's tensors with the expected ones
/// ([`differences`]) as a co-simulation report.
pub fn compare(
    manifest: &crate::rtl::accel::Manifest,
    runs: &[ImageRun],
    expected: &[Vec<Vec<i32>>],
    sim: Sim,
) -> CosimReport {
    let d = differences(manifest, runs, expected);
    CosimReport {
        version: COSIM_VERSION,
        images: runs.len(),
        mismatches: d.first.len(),
        logit_mismatches: d.logit_mismatches,
        cycles_per_inference: d.cycles_per_inference,
        cycles_estimate: manifest.cycles_estimate,
        simulator: sim,
        first_mismatches: d.first,
        top: manifest.top.clone(),
        multipliers: vec![],
        counters: vec![],
        counters_match_schedule: None,
        stream_energy: vec![],
    }
}

/// The text of module `module` in Verilog `text` as the emitter printed it
/// (from `module NAME (` to its `endmodule`).
fn module_text<'a>(text: &'a str, module: &str) -> Option<&'a str> {
    let start = text.find(&format!("module {module} ("))?;
    let len = text[start..].find("endmodule")? + "endmodule\n".len();
    text.get(start..start + len)
}

/// Check every distinct multiplier module of the export in `dir` on its
/// own: simulated exhaustively in iverilog against its error map, and
/// proved equal to its source netlist with Yosys. Work files go to
/// `dir/mult_checks/`.
pub fn check_multipliers(
    dir: &Path,
    manifest: &crate::rtl::accel::Manifest,
) -> Result<Vec<MultCheck>> {
    let top_file = dir.join(format!("{}.v", manifest.top));
    let text = crate::io::read_text(&top_file)?;
    let work = dir.join("mult_checks");
    // Each distinct module once, all at the same time (each check is two
    // external tools, a few seconds).
    let mut modules: Vec<(&String, &String)> = vec![];
    for u in &manifest.units {
        if let (Some(id), Some(module)) = (&u.multiplier, &u.multiplier_module) {
            if !modules.iter().any(|(_, m)| *m == module) {
                modules.push((id, module));
            }
        }
    }
    let checks = modules
        .par_iter()
        .map(|&(id, module)| {
            let body = module_text(&text, module)
                .ok_or_else(|| Error::in_file(&top_file, format!("no module `{module}`")))?;
            let file = work.join(format!("{module}.v"));
            crate::io::write_atomic(&file, body.as_bytes())?;
            let map = read_errmap(dir, id, manifest.signed)?;
            let mismatches = check_multiplier(&file, module, &map, &work)?.len();
            let gold = dir.join(crate::rtl::accel::netlist_file(module));
            let equivalent = super::synth::equiv_json(
                &gold,
                crate::rtl::accel::NETLIST_MODULE,
                &file,
                module,
                &work,
            )? == super::synth::Equivalence::Proven;
            Ok(MultCheck {
                module: module.clone(),
                multiplier: id.clone(),
                mismatches,
                equivalent,
            })
        })
        .collect::<Result<Vec<MultCheck>>>()?;
    Ok(checks)
}

/// Write what the Rust side of the co-simulation needs into an export
/// directory: the integer network as exported (`intnet.json`, bias
/// corrections applied) and the error map of each multiplier
/// (`errmaps/<id>.bin`), one per multiplying layer, in order.
pub fn write_reference(
    dir: &Path,
    net: &crate::intnet::IntNetwork,
    maps: &[(String, ErrorMap)],
) -> Result<()> {
    crate::io::write_json(ExportDir::new(dir).intnet(), net)?;
    let sub = dir.join("errmaps");
    std::fs::create_dir_all(&sub).map_err(|e| Error::io(&sub, e))?;
    let ids: Vec<&str> = maps.iter().map(|(id, _)| id.as_str()).collect();
    for (id, map) in maps {
        crate::io::write_atomic(errmap_path(dir, id), &map.to_bytes())?;
    }
    crate::io::write_json(sub.join("layers.json"), &ids)
}

/// Where an export keeps the error map of multiplier `id`.
fn errmap_path(dir: &Path, id: &str) -> std::path::PathBuf {
    dir.join("errmaps")
        .join(format!("{}.bin", crate::verilog::names::sanitize(id)))
}

/// The error map of multiplier `id` from an export directory.
fn read_errmap(dir: &Path, id: &str, signed: bool) -> Result<ErrorMap> {
    let p = errmap_path(dir, id);
    ErrorMap::from_bytes(signed, &crate::io::read_bytes(&p)?)
        .ok_or_else(|| Error::in_file(&p, "not an error map (expected 131072 bytes)"))
}

/// The Rust simulator of an export directory (see [`write_reference`]).
pub fn load_reference(dir: &Path) -> Result<crate::intnet::sim::Simulator> {
    let export = ExportDir::new(dir);
    let net = crate::intnet::load(export.intnet())?;
    let ids: Vec<String> = crate::io::read_json(dir.join("errmaps/layers.json"))?;
    let mut tables = vec![];
    for id in &ids {
        let map = read_errmap(dir, id, net.signed)?;
        tables.push(crate::intnet::sim::ProductTable::new(&map));
    }
    crate::intnet::sim::Simulator::new(&net, tables)
}

/// Co-simulate the export in `dir` on `images` and compare every tensor
/// with the Rust simulation, then check each multiplier module on its own
/// ([`check_multipliers`]); writes `cosim.json`.
pub fn cosimulate(dir: &Path, images: &[u8], sim: Sim, shards: usize) -> Result<CosimReport> {
    let export = ExportDir::new(dir);
    let manifest: crate::rtl::accel::Manifest = crate::io::read_json(export.manifest())?;
    let reference = load_reference(dir)?;
    let (runs, counters) = run_accel_counted(dir, &manifest, images, sim, shards)?;
    let expected: Vec<Vec<Vec<i32>>> = images
        .chunks(manifest.input_len)
        .map(|im| reference.forward_trace(im).tensors)
        .collect();
    let mut report = compare(&manifest, &runs, &expected, sim);
    report.multipliers = check_multipliers(dir, &manifest)?;
    let net = crate::intnet::load(export.intnet())?;
    report.counters_match_schedule = Some(super::activity::schedule(&manifest, &net)? == counters);
    report.counters = counters;
    if crate::library::energy::nangate45_path().is_file() {
        let lib = crate::library::energy::nangate45()?;
        let n = expected.len().min(STREAM_IMAGES);
        report.stream_energy =
            super::stream::layer_energies(dir, &manifest, &net, &expected[..n], &lib)?;
    }
    crate::io::write_json(export.cosim(), &report)?;
    Ok(report)
}
