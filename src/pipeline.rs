//! The stage runner behind `codesign run`: every stage of the pipeline is
//! this same binary's subcommand, started as a child process, so stages meet
//! only at the files of the run directory (DESIGN.md, "Pipeline").
//!
//! A stage is skipped when its inputs have not changed. After a stage
//! succeeds, `RUN_DIR/.stages/<stage>.json` records a key: the SHA-256 of the
//! binary's version and contents, the config, the stage's command line and every input
//! file's contents. A stage runs again when that record is missing, its key
//! differs, or one of its outputs is gone. The record is written atomically
//! and only after success, so an interrupted run resumes at the first
//! unfinished stage without losing finished work.

use crate::commands::argv::{argv, defaults};
use crate::commands::Command;
use crate::commands::{
    AssignArgs, CosimArgs, EvalArgs, ExportRtlArgs, GatesimArgs, LibraryArgs, LibraryCommand,
    QuantizeArgs, ReportArgs, RetrainArgs, SweepArgs, SynthArgs, TrainArgs,
};
use crate::eda::cosim::Sim;
use crate::error::{Error, Result};
use crate::rundir::{export, rel, RunDir};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Version that enters every stage key: a new release re-runs everything.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where a stage's input comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// A file that must exist (relative to the run directory, or absolute).
    File(PathBuf),
    /// A file hashed when present (stages that may or may not have run).
    Optional(PathBuf),
    /// Every file an earlier stage produced under its directory outputs.
    StageOutputs(&'static str),
    /// No file: the stage only starts after stage `name` (an executor's
    /// ordering, e.g. a sweep's training after the run's own, so the two
    /// do not share the cores); nothing enters the key.
    After(&'static str),
}

/// What a stage leaves behind.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// A file the stage must write.
    File(PathBuf),
    /// A directory the stage writes into; the files it touched are recorded.
    Dir(PathBuf),
}

/// One stage: one or more invocations of this binary.
#[derive(Clone, Debug)]
pub struct Stage {
    /// Stage name (`train`, `quantize`, ...), also the record's file name.
    pub name: &'static str,
    /// Argument lists, each run as `codesign <args...>` in order.
    pub commands: Vec<Vec<String>>,
    /// Files and directories the stage reads (hashed into its key).
    pub inputs: Vec<Input>,
    /// Files and directories the stage writes.
    pub outputs: Vec<Output>,
    /// Whether the stage reads the config (its contents then enter the key).
    pub reads_config: bool,
}

/// What `.stages/<stage>.json` holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageRecord {
    /// Stage name.
    pub stage: String,
    /// Version of the codesign binary that ran it.
    pub version: String,
    /// SHA-256 over version, config, commands and inputs.
    pub key: String,
    /// Argument lists run.
    pub commands: Vec<Vec<String>>,
    /// Input path (as declared) to SHA-256 of its contents.
    pub inputs: BTreeMap<String, String>,
    /// Files produced (relative to the run directory) to SHA-256.
    pub outputs: BTreeMap<String, String>,
    /// Wall-clock time of the stage, seconds.
    pub seconds: f64,
}

/// The run being driven: its directory, config and library. Serializable,
/// so a batch job can rebuild the same stages (`crate::executor`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// The run directory.
    pub dir: PathBuf,
    /// The experiment config as the user gave it (its contents enter every
    /// stage key; `train` writes the copy `RUN_DIR/config.yaml` the later
    /// stages read).
    pub config: PathBuf,
    /// Multiplier library directory.
    pub library: PathBuf,
    /// Whether the library is built by the run (`RUN_DIR/library`) rather
    /// than named by the config.
    pub build_library: bool,
    /// Test images co-simulated in RTL.
    pub cosim_images: usize,
    /// Simulator of that co-simulation (runs written before it was a
    /// choice used Icarus).
    #[serde(default = "icarus")]
    pub cosim_sim: Sim,
    /// Test images run on the Liberty-mapped netlists (`codesign gatesim`;
    /// 0: no gate-level simulation). Its stages exist only where synthesis
    /// maps to a Liberty library (the NanGate45 default is installed).
    #[serde(default)]
    pub gatesim_images: usize,
    /// libtorch device for training (`cpu`, `cuda`, `auto`).
    pub device: String,
    /// AGN lambdas of an optional sweep (`codesign sweep`) before the report.
    pub sweep: Vec<f64>,
    /// SHA-256 of the binary that runs the stages: it enters every key, so
    /// a rebuilt binary re-runs the stages even under the same version.
    pub binary: Option<String>,
    /// The AGN lambda of a sweep point (`DIR/sweep/lambda_<L>/`): its `agn`
    /// stage searches with it, and its `assign` skips the error model's
    /// held-out check (the main run's business), so it writes no
    /// `error_model.json`. `None` for a main run.
    #[serde(default)]
    pub sweep_point: Option<f64>,
}

/// Serde default of [`Run::cosim_sim`].
fn icarus() -> Sim {
    Sim::Iverilog
}

fn p(x: &Path) -> String {
    x.display().to_string()
}

/// The argument list of one stage command (typed, see [`crate::commands::argv`]).
fn cmd(c: Command) -> Vec<String> {
    argv(&c)
}

impl Run {
    /// The stages of a full run, in order (DESIGN.md's run directory layout).
    pub fn stages(&self) -> Vec<Stage> {
        let d = &self.dir;
        let run = RunDir::new(d);
        let lib_index = self.library.join(crate::library::store::INDEX);
        let assignment = run.assignment();
        let f = |x: &str| Input::File(PathBuf::from(x));
        let out = |x: &str| Output::File(PathBuf::from(x));
        let mut stages = Vec::new();
        if self.build_library {
            stages.push(Stage {
                name: "library",
                commands: vec![cmd(Command::Library(LibraryArgs {
                    command: LibraryCommand::Build {
                        out: self.library.clone(),
                        yosys_area: false,
                    },
                }))],
                inputs: vec![],
                // index.yaml, and a netlist and an error map per design.
                outputs: vec![
                    Output::File(lib_index.clone()),
                    Output::Dir(self.library.clone()),
                ],
                reads_config: false,
            });
        }
        // Training, one checkpoint per stage, so an interrupted run keeps
        // the finished ones and a sweep can reuse baseline and QAT.
        let mut prev: Option<&str> = None;
        for st in ["baseline", "qat", "agn"] {
            let command = Command::Train(TrainArgs {
                config: self.config.clone(),
                stages: vec![st.to_string()],
                out: Some(d.clone()),
                device: self.device.clone(),
                lambda: self.sweep_point.filter(|_| st == "agn"),
                ..defaults()
            });
            stages.push(Stage {
                name: st,
                commands: vec![cmd(command)],
                inputs: prev
                    .iter()
                    .flat_map(|p| [f(&rel::checkpoint(p)), f(&rel::sidecar(p))])
                    .collect(),
                // Each training stage also writes the config copy later
                // stages read.
                outputs: vec![
                    out(&rel::checkpoint(st)),
                    out(&rel::sidecar(st)),
                    out(rel::CONFIG),
                ],
                reads_config: true,
            });
            prev = Some(st);
        }
        stages.extend([
            Stage {
                name: "quantize",
                commands: vec![cmd(Command::Quantize(QuantizeArgs {
                    run_dir: d.clone(),
                    ..defaults()
                }))],
                inputs: vec![f(&rel::checkpoint("agn")), f(&rel::sidecar("agn"))],
                outputs: vec![out(rel::INTNET)],
                reads_config: true,
            },
            Stage {
                name: "assign",
                commands: vec![cmd(Command::Assign(AssignArgs {
                    run_dir: d.clone(),
                    library: self.library.clone(),
                    no_validate: self.sweep_point.is_some(),
                    ..defaults()
                }))],
                inputs: vec![
                    f(rel::INTNET),
                    f(&rel::sidecar("agn")),
                    Input::File(lib_index.clone()),
                ],
                outputs: [rel::ASSIGNMENT, rel::CALIBRATION]
                    .into_iter()
                    .chain(self.sweep_point.is_none().then_some(rel::ERROR_MODEL))
                    .map(out)
                    .collect(),
                reads_config: true,
            },
            Stage {
                name: "eval",
                commands: [
                    (None, false),
                    (Some(&assignment), false),
                    (Some(&assignment), true),
                ]
                .map(|(a, paper)| {
                    cmd(Command::Eval(EvalArgs {
                        run_dir: d.clone(),
                        assignment: a.cloned(),
                        paper,
                        ..defaults()
                    }))
                })
                .to_vec(),
                inputs: vec![
                    f(rel::INTNET),
                    f(rel::ASSIGNMENT),
                    Input::File(lib_index.clone()),
                ],
                outputs: vec![out(rel::EVAL)],
                reads_config: true,
            },
            Stage {
                name: "retrain",
                commands: vec![cmd(Command::Retrain(RetrainArgs {
                    run_dir: d.clone(),
                    assignment: assignment.clone(),
                    ..defaults()
                }))],
                inputs: vec![
                    f(&rel::checkpoint("agn")),
                    f(rel::INTNET),
                    f(rel::ASSIGNMENT),
                    Input::File(lib_index.clone()),
                ],
                outputs: vec![
                    out(rel::RETRAIN_INTNET),
                    out(rel::RETRAIN_EVAL),
                    out(&rel::checkpoint("retrain")),
                    out(&rel::sidecar("retrain")),
                ],
                reads_config: true,
            },
            Stage {
                name: "export-rtl",
                // The retrained network is the one that ships.
                commands: vec![cmd(Command::ExportRtl(ExportRtlArgs {
                    run_dir: d.clone(),
                    assignment: Some(assignment.clone()),
                    intnet: Some(run.retrain_intnet()),
                    out: Some(run.rtl().root().to_path_buf()),
                    ..defaults()
                }))],
                inputs: vec![
                    f(rel::INTNET),
                    f(rel::RETRAIN_INTNET),
                    f(rel::ASSIGNMENT),
                    Input::File(lib_index.clone()),
                ],
                outputs: vec![Output::Dir(PathBuf::from(rel::RTL))],
                reads_config: true,
            },
            // For the area comparison, the quantized network with the exact
            // multiplier everywhere. It reads only the quantized network and
            // the library, so its synthesis and gate-level simulation can
            // run beside assignment and retraining.
            Stage {
                name: "export-exact",
                commands: vec![cmd(Command::ExportRtl(ExportRtlArgs {
                    run_dir: d.clone(),
                    exact: true,
                    library: Some(self.library.clone()),
                    out: Some(run.rtl_exact().root().to_path_buf()),
                    ..defaults()
                }))],
                inputs: vec![f(rel::INTNET), Input::File(lib_index.clone())],
                outputs: vec![Output::Dir(PathBuf::from(rel::RTL_EXACT))],
                reads_config: true,
            },
            Stage {
                name: "synth-exact",
                commands: vec![cmd(Command::Synth(SynthArgs {
                    dir: run.rtl_exact().root().to_path_buf(),
                    ..defaults()
                }))],
                inputs: vec![Input::StageOutputs("export-exact")],
                outputs: vec![out(&rel::in_export(rel::RTL_EXACT, export::SYNTH))],
                reads_config: true,
            },
            Stage {
                name: "cosim",
                commands: vec![cmd(Command::Cosim(CosimArgs {
                    dir: run.rtl().root().to_path_buf(),
                    images: self.cosim_images,
                    sim: self.cosim_sim,
                    ..defaults()
                }))],
                inputs: vec![Input::StageOutputs("export-rtl")],
                outputs: vec![out(&rel::in_export(rel::RTL, export::COSIM))],
                reads_config: true,
            },
        ]);
        if !self.sweep.is_empty() {
            stages.push(Stage {
                name: "sweep",
                commands: vec![cmd(Command::Sweep(SweepArgs {
                    config: self.config.clone(),
                    lambdas: self.sweep.clone(),
                    out: Some(d.clone()),
                    device: self.device.clone(),
                    executor: defaults(),
                }))],
                inputs: vec![
                    f(&rel::checkpoint("qat")),
                    f(&rel::sidecar("qat")),
                    Input::File(lib_index.clone()),
                    // Its points train: after the run's own training.
                    Input::After("retrain"),
                ],
                outputs: vec![out(rel::SWEEP_JSON)],
                reads_config: true,
            });
        }
        // The heterogeneous design after the exact one: its engines,
        // pooling units and sequencer are the same modules, which synthesis
        // then takes from its cache (`eda::bottom_up`).
        stages.push(Stage {
            name: "synth",
            commands: vec![cmd(Command::Synth(SynthArgs {
                dir: run.rtl().root().to_path_buf(),
                ..defaults()
            }))],
            inputs: vec![
                Input::StageOutputs("export-rtl"),
                Input::StageOutputs("synth-exact"),
            ],
            outputs: vec![out(&rel::in_export(rel::RTL, export::SYNTH))],
            reads_config: true,
        });
        if self.gatesim_images > 0 && crate::library::energy::nangate45_path().is_file() {
            for (name, synth, dir, export_rel) in [
                (
                    "gatesim-exact",
                    "synth-exact",
                    run.rtl_exact(),
                    rel::RTL_EXACT,
                ),
                ("gatesim", "synth", run.rtl(), rel::RTL),
            ] {
                stages.push(Stage {
                    name,
                    commands: vec![cmd(Command::Gatesim(GatesimArgs {
                        dir: dir.root().to_path_buf(),
                        images: self.gatesim_images,
                        ..defaults()
                    }))],
                    inputs: vec![Input::StageOutputs(synth)],
                    outputs: vec![out(&rel::in_export(export_rel, export::GATESIM))],
                    reads_config: true,
                });
            }
        }
        stages.extend([Stage {
            name: "report",
            commands: vec![cmd(Command::Report(ReportArgs {
                run_dir: d.clone(),
                ..defaults()
            }))],
            inputs: crate::report::collect::input_files(d, &self.library)
                .into_iter()
                .map(Input::Optional)
                .collect(),
            // report.json, .md, .html, the plot's PNG, CSV tables, Accelergy files.
            outputs: vec![
                out(&format!("{}/report.json", rel::REPORT)),
                Output::Dir(PathBuf::from(rel::REPORT)),
            ],
            reads_config: true,
        }]);
        stages
    }

    /// Whether `stage` reads anything `earlier` writes, or is to run after
    /// it ([`Input::After`]).
    pub fn depends_on(&self, stage: &Stage, earlier: &Stage) -> bool {
        let writes = |path: &Path| {
            let path = self.resolve(path);
            earlier.outputs.iter().any(|o| match o {
                Output::File(f) => self.resolve(f) == path,
                Output::Dir(d) => path.starts_with(self.resolve(d)),
            })
        };
        stage.inputs.iter().any(|i| match i {
            Input::File(path) | Input::Optional(path) => writes(path),
            Input::StageOutputs(name) | Input::After(name) => *name == earlier.name,
        })
    }

    fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.dir.join(path)
        }
    }

    /// Path of a stage's record.
    pub fn record_path(&self, stage: &str) -> PathBuf {
        RunDir::new(&self.dir).record(stage)
    }

    /// The recorded run of `stage`, if any (an unreadable record counts as none).
    pub fn record(&self, stage: &str) -> Option<StageRecord> {
        crate::io::read_json(self.record_path(stage)).ok()
    }

    /// Hash every input of `stage`; `Err` names a required input that is missing.
    pub fn input_hashes(&self, stage: &Stage) -> Result<BTreeMap<String, String>> {
        let mut hashes = BTreeMap::new();
        for input in &stage.inputs {
            match input {
                Input::File(path) => {
                    let full = self.resolve(path);
                    if !full.is_file() {
                        return Err(Error::input(format!(
                            "stage `{}`: input {} is missing (an earlier stage should have written it)",
                            stage.name,
                            full.display()
                        )));
                    }
                    hashes.insert(p(path), hash_file(&full)?);
                }
                Input::Optional(path) => {
                    let full = self.resolve(path);
                    if full.is_file() {
                        hashes.insert(p(path), hash_file(&full)?);
                    }
                }
                Input::StageOutputs(earlier) => {
                    let rec = self.record(earlier).ok_or_else(|| {
                        Error::input(format!(
                            "stage `{}`: stage `{earlier}` has not completed",
                            stage.name
                        ))
                    })?;
                    for rel in rec.outputs.keys() {
                        let full = self.dir.join(rel);
                        if !full.is_file() {
                            return Err(Error::input(format!(
                                "stage `{}`: {} (written by `{earlier}`) is missing",
                                stage.name,
                                full.display()
                            )));
                        }
                        hashes.insert(rel.clone(), hash_file(&full)?);
                    }
                }
                Input::After(_) => {}
            }
        }
        Ok(hashes)
    }

    /// The key of a stage: version, config, commands and input hashes.
    pub fn key(&self, stage: &Stage, inputs: &BTreeMap<String, String>) -> Result<String> {
        let mut h = Sha256::new();
        h.update(format!("codesign {VERSION}\n"));
        if let Some(b) = &self.binary {
            h.update(format!("binary {b}\n"));
        }
        if stage.reads_config {
            h.update(format!("config {}\n", config_hash(&self.config)?));
        }
        for c in &stage.commands {
            h.update(format!(
                "command {}\n",
                serde_json::to_string(c).unwrap_or_default()
            ));
        }
        for (path, hash) in inputs {
            h.update(format!("input {path} {hash}\n"));
        }
        Ok(hex(&h.finalize()))
    }

    /// Whether `stage` can be skipped now: its inputs are all there and its
    /// record matches them (what [`Run::execute`] would decide).
    pub fn up_to_date(&self, stage: &Stage) -> bool {
        self.input_hashes(stage)
            .and_then(|inputs| self.key(stage, &inputs))
            .is_ok_and(|key| !self.is_stale(stage, &key))
    }

    /// Whether `stage` must run: no record, a different key, or an output gone.
    pub fn is_stale(&self, stage: &Stage, key: &str) -> bool {
        let Some(rec) = self.record(stage.name) else {
            return true;
        };
        if rec.key != key {
            return true;
        }
        let outputs_present = stage.outputs.iter().all(|o| match o {
            Output::File(f) => self.resolve(f).is_file(),
            Output::Dir(d) => self.resolve(d).is_dir(),
        });
        let recorded_present = rec.outputs.keys().all(|rel| self.dir.join(rel).is_file());
        !(outputs_present && recorded_present)
    }

    /// After a successful stage: check its outputs and hash what it wrote.
    pub fn collect_outputs(
        &self,
        stage: &Stage,
        started: SystemTime,
    ) -> Result<BTreeMap<String, String>> {
        let mut out = BTreeMap::new();
        for o in &stage.outputs {
            match o {
                Output::File(f) => {
                    let full = self.resolve(f);
                    if !full.is_file() {
                        return Err(Error::input(format!(
                            "stage `{}` finished but did not write {}",
                            stage.name,
                            full.display()
                        )));
                    }
                    out.insert(self.rel(&full), hash_file(&full)?);
                }
                Output::Dir(d) => {
                    let full = self.resolve(d);
                    let mut files = Vec::new();
                    list_files(&full, &mut files)?;
                    for file in files {
                        let modified = std::fs::metadata(&file)
                            .and_then(|m| m.modified())
                            .map_err(|e| Error::io(&file, e))?;
                        if modified >= started {
                            out.insert(self.rel(&file), hash_file(&file)?);
                        }
                    }
                    if out.is_empty() {
                        return Err(Error::input(format!(
                            "stage `{}` finished but wrote nothing into {}",
                            stage.name,
                            full.display()
                        )));
                    }
                }
            }
        }
        Ok(out)
    }

    /// Files of the run directory written since `started` that neither
    /// `stage` nor any other stage of the run declares (under a declared file or directory output): a
    /// stage whose declaration drifted from what it writes. Independent
    /// stages run at the same time, so a file counts as declared when any
    /// stage declares it. Hidden entries, `logs/` (the runner's own) and
    /// `sweep/` (the sweep points' run directories, each checked as a run
    /// of its own) are not looked at.
    pub fn undeclared_writes(&self, stage: &Stage, started: SystemTime) -> Result<Vec<String>> {
        let stages = self.stages();
        let declared: Vec<PathBuf> = std::iter::once(stage)
            .chain(&stages)
            .flat_map(|s| s.outputs.iter())
            .map(|o| match o {
                Output::File(f) | Output::Dir(f) => self.resolve(f),
            })
            .collect();
        let mut files = Vec::new();
        if self.dir.is_dir() {
            list_files(&self.dir, &mut files)?;
        }
        let skip = [self.dir.join(rel::LOGS), self.dir.join(rel::SWEEP)];
        let mut undeclared = Vec::new();
        for file in files {
            if skip.iter().chain(&declared).any(|d| file.starts_with(d)) {
                continue;
            }
            let modified = std::fs::metadata(&file)
                .and_then(|m| m.modified())
                .map_err(|e| Error::io(&file, e))?;
            if modified >= started {
                undeclared.push(self.rel(&file));
            }
        }
        Ok(undeclared)
    }

    fn rel(&self, path: &Path) -> String {
        p(path.strip_prefix(&self.dir).unwrap_or(path))
    }

    /// Write a stage's record atomically.
    pub fn write_record(&self, rec: &StageRecord) -> Result<()> {
        crate::io::write_json(self.record_path(&rec.stage), rec)
    }
}

/// How a stage went.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Ran and succeeded, in this many seconds.
    Ran(f64),
    /// Inputs unchanged since its recorded success.
    UpToDate,
}

impl Run {
    /// Log file of a stage.
    pub fn log_path(&self, stage: &str) -> PathBuf {
        RunDir::new(&self.dir).log(stage)
    }

    /// Run `stage` with the binary `exe` unless it is up to date. Every
    /// output line of the child goes to `RUN_DIR/logs/<stage>.log` and to
    /// `on_line` (for progress display).
    pub fn execute(
        &self,
        stage: &Stage,
        exe: &Path,
        mut on_line: impl FnMut(&str),
    ) -> Result<Outcome> {
        let inputs = self.input_hashes(stage)?;
        let key = self.key(stage, &inputs)?;
        if !self.is_stale(stage, &key) {
            return Ok(Outcome::UpToDate);
        }
        let started = SystemTime::now();
        let clock = std::time::Instant::now();
        let log_path = self.log_path(stage.name);
        if let Some(dir) = log_path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let mut log = std::fs::File::create(&log_path).map_err(|e| Error::io(&log_path, e))?;
        let mut tail: Vec<String> = Vec::new();
        for args in &stage.commands {
            use std::io::Write;
            let _ = writeln!(log, "$ codesign {}", args.join(" "));
            let status = run_child(exe, args, |line| {
                let _ = writeln!(log, "{line}");
                tail.push(line.to_string());
                if tail.len() > 200 {
                    tail.drain(..100);
                }
                on_line(line);
            })
            .map_err(|e| {
                Error::tool(format!(
                    "stage `{}`: cannot start {}: {e}",
                    stage.name,
                    exe.display()
                ))
            })?;
            if !status.success() {
                let cmd = format!(
                    "codesign {}",
                    args.first().map(String::as_str).unwrap_or("")
                );
                let last: Vec<&str> = tail
                    .iter()
                    .rev()
                    .filter(|l| !l.trim().is_empty())
                    .take(3)
                    .map(String::as_str)
                    .collect();
                let last: Vec<&str> = last.into_iter().rev().collect();
                let msg = format!(
                    "stage `{}`: `{cmd}` failed with {status} (log: {}): {}",
                    stage.name,
                    log_path.display(),
                    last.join(" | ")
                );
                // The child's exit code 1 is a check that ran and failed.
                return Err(match status.code() {
                    Some(1) => Error::check(msg),
                    _ => Error::tool(msg),
                });
            }
        }
        let outputs = self.collect_outputs(stage, started)?;
        if let Some(file) = self.undeclared_writes(stage, started)?.first() {
            return Err(Error::check(format!(
                "stage `{}` wrote {file}, which no stage of the run declares as an output (src/pipeline.rs)",
                stage.name
            )));
        }
        let seconds = clock.elapsed().as_secs_f64();
        self.write_record(&StageRecord {
            stage: stage.name.to_string(),
            version: VERSION.to_string(),
            key,
            commands: stage.commands.clone(),
            inputs,
            outputs,
            seconds,
        })?;
        Ok(Outcome::Ran(seconds))
    }
}

/// Start `exe args`, feed every line of its stdout and stderr to `on_line`
/// as it comes, and wait for it.
fn run_child(
    exe: &Path,
    args: &[String],
    mut on_line: impl FnMut(&str),
) -> std::io::Result<std::process::ExitStatus> {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let mut readers = Vec::new();
    let out: Box<dyn std::io::Read + Send> = Box::new(child.stdout.take().expect("piped stdout"));
    let err: Box<dyn std::io::Read + Send> = Box::new(child.stderr.take().expect("piped stderr"));
    for stream in [out, err] {
        let tx = tx.clone();
        readers.push(std::thread::spawn(move || {
            // Progress bars redraw with '\r': split on it too.
            let mut reader = std::io::BufReader::new(stream);
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match reader.read_until(b'\n', &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        let text = String::from_utf8_lossy(&buf);
                        for part in text.split('\r') {
                            let line = part.trim_end();
                            if !line.is_empty() && tx.send(line.to_string()).is_err() {
                                return;
                            }
                        }
                    }
                }
            }
        }));
    }
    drop(tx);
    for line in rx {
        on_line(&line);
    }
    for r in readers {
        let _ = r.join();
    }
    child.wait()
}

/// Every file under `dir`, sorted, skipping hidden entries.
fn list_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
        {
            continue;
        }
        if path.is_dir() {
            list_files(&path, out)?;
        } else if path.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

/// SHA-256 of the config as the stages see it: the file's contents, or,
/// when it has a top-level `slurm:` section (where and with what resources
/// the stages run, which no stage reads) or `sweep:` (the sweep stage
/// names its lambdas in its command), the rest of it re-serialized, so
/// that moving a run onto a cluster or changing the sweep does not re-run
/// finished stages.
pub fn config_hash(path: &Path) -> Result<String> {
    let text = crate::io::read_text(path)?;
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text)
        .map_err(|e| Error::in_file(path, crate::io::one_line(&e.to_string())))?;
    let bytes = match value {
        serde_yaml_ng::Value::Mapping(mut m)
            if m.contains_key("slurm") || m.contains_key("sweep") =>
        {
            m.remove("slurm");
            m.remove("sweep");
            serde_yaml_ng::to_string(&m)
                .map_err(|e| Error::in_file(path, e))?
                .into_bytes()
        }
        _ => text.into_bytes(),
    };
    Ok(hex(&Sha256::digest(&bytes)))
}

/// SHA-256 of a file's contents, hex.
pub fn hash_file(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut h = Sha256::new();
    std::io::copy(&mut file, &mut h).map_err(|e| Error::io(path, e))?;
    Ok(hex(&h.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A run in `dir` with a one-line config there, for unit tests.
#[cfg(test)]
pub(crate) fn test_run(dir: &Path) -> Run {
    std::fs::write(dir.join("config.yaml"), "name: t\n").unwrap();
    Run {
        dir: dir.to_path_buf(),
        config: dir.join("config.yaml"),
        library: dir.join("library"),
        build_library: true,
        cosim_images: 4,
        cosim_sim: Sim::default(),
        gatesim_images: 0,
        device: "cpu".into(),
        sweep: vec![],
        binary: None,
        sweep_point: None,
    }
}

#[cfg(test)]
mod tests {
    use super::test_run as run_in;
    use super::*;

    fn s(x: &str) -> String {
        x.to_string()
    }

    fn stage(inputs: Vec<Input>, outputs: Vec<Output>) -> Stage {
        Stage {
            name: "quantize",
            commands: vec![vec![s("quantize")]],
            inputs,
            outputs,
            reads_config: true,
        }
    }

    /// Every stage's argument list, of a main run with a sweep and of a
    /// sweep point, is a valid `codesign` command line, and the point's
    /// parameters reach its commands as the CLI reads them.
    #[test]
    fn every_stage_command_parses_with_the_cli() {
        use crate::cli::{Cli, Command};
        use clap::Parser;
        let tmp = tempfile::tempdir().unwrap();
        let run = Run {
            sweep: vec![0.05, 0.2],
            ..run_in(tmp.path())
        };
        let (point, point_stages) = crate::executor::plan::sweep_point(&run, 0.2);
        let parse = |argv: &[String]| {
            Cli::try_parse_from(std::iter::once("codesign".to_string()).chain(argv.iter().cloned()))
                .unwrap_or_else(|e| panic!("{argv:?}: {e}"))
                .command
        };
        let main_stages = run.stages();
        for st in main_stages.iter().chain(&point_stages) {
            for argv in &st.commands {
                // Built from typed arguments: parsing and writing back is a fixpoint.
                assert_eq!(crate::commands::argv::argv(&parse(argv)), *argv);
            }
        }
        let command = |stages: &[Stage], name: &str| {
            let st = stages.iter().find(|s| s.name == name).unwrap();
            parse(&st.commands[0])
        };
        match command(&point_stages, "agn") {
            Command::Train(a) => assert_eq!(a.lambda, Some(0.2)),
            _ => panic!("agn is not a train command"),
        }
        match command(&main_stages, "agn") {
            Command::Train(a) => assert_eq!(a.lambda, None),
            _ => panic!("agn is not a train command"),
        }
        for (stages, skips) in [(&point_stages, true), (&main_stages, false)] {
            match command(stages, "assign") {
                Command::Assign(a) => assert_eq!(a.no_validate, skips),
                _ => panic!("assign is not an assign command"),
            }
            let assign = stages.iter().find(|s| s.name == "assign").unwrap();
            let declares = assign
                .outputs
                .contains(&Output::File(rel::ERROR_MODEL.into()));
            assert_eq!(declares, !skips);
        }
        assert_eq!(point.sweep_point, Some(0.2));
    }

    #[test]
    fn key_changes_with_input_contents_config_and_command() {
        let tmp = tempfile::tempdir().unwrap();
        let run = run_in(tmp.path());
        std::fs::write(tmp.path().join("a.txt"), "one").unwrap();
        let st = stage(vec![Input::File("a.txt".into())], vec![]);
        let k1 = run.key(&st, &run.input_hashes(&st).unwrap()).unwrap();
        assert_eq!(k1, run.key(&st, &run.input_hashes(&st).unwrap()).unwrap());
        std::fs::write(tmp.path().join("a.txt"), "two").unwrap();
        let k2 = run.key(&st, &run.input_hashes(&st).unwrap()).unwrap();
        assert_ne!(k1, k2);
        std::fs::write(tmp.path().join("config.yaml"), "name: u\n").unwrap();
        let k3 = run.key(&st, &run.input_hashes(&st).unwrap()).unwrap();
        assert_ne!(k2, k3);
        let mut st2 = st.clone();
        st2.commands[0].push(s("--flag"));
        assert_ne!(k3, run.key(&st2, &run.input_hashes(&st2).unwrap()).unwrap());
        // Another binary.
        let rebuilt = Run {
            binary: Some("0123".into()),
            ..run.clone()
        };
        assert_ne!(
            k3,
            rebuilt.key(&st, &run.input_hashes(&st).unwrap()).unwrap()
        );
    }

    #[test]
    fn missing_required_input_is_named_optional_is_not() {
        let tmp = tempfile::tempdir().unwrap();
        let run = run_in(tmp.path());
        let st = stage(vec![Input::File("train/agn.yaml".into())], vec![]);
        let e = run.input_hashes(&st).unwrap_err().to_string();
        assert!(
            e.contains("train/agn.yaml") && e.contains("quantize"),
            "{e}"
        );
        let st = stage(vec![Input::Optional("nope.json".into())], vec![]);
        assert!(run.input_hashes(&st).unwrap().is_empty());
    }

    #[test]
    fn stale_until_recorded_then_fresh_until_output_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let run = run_in(tmp.path());
        let st = stage(vec![], vec![Output::File("intnet.json".into())]);
        let key = run.key(&st, &BTreeMap::new()).unwrap();
        assert!(run.is_stale(&st, &key));
        let started = SystemTime::now();
        assert!(run
            .collect_outputs(&st, started)
            .unwrap_err()
            .to_string()
            .contains("did not write"));
        std::fs::write(tmp.path().join("intnet.json"), "{}").unwrap();
        let outputs = run.collect_outputs(&st, started).unwrap();
        run.write_record(&StageRecord {
            stage: st.name.into(),
            version: VERSION.into(),
            key: key.clone(),
            commands: st.commands.clone(),
            inputs: BTreeMap::new(),
            outputs,
            seconds: 0.0,
        })
        .unwrap();
        assert!(!run.is_stale(&st, &key));
        assert!(run.is_stale(&st, "other"));
        std::fs::remove_file(tmp.path().join("intnet.json")).unwrap();
        assert!(run.is_stale(&st, &key));
    }

    #[test]
    fn a_file_no_stage_declares_is_found() {
        let tmp = tempfile::tempdir().unwrap();
        let run = run_in(tmp.path());
        std::fs::write(tmp.path().join("before.json"), "{}").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let started = SystemTime::now();
        for f in [rel::INTNET, rel::CALIBRATION, "stray.json", "logs/x.log"] {
            let path = tmp.path().join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "{}").unwrap();
        }
        std::fs::create_dir_all(tmp.path().join("rtl")).unwrap();
        std::fs::write(tmp.path().join("rtl/top.v"), "").unwrap();
        // Declared (intnet.json by quantize, calibration.json by assign,
        // rtl/ by export-rtl), older than the stage, or the runner's log: not
        // reported; the stray file is.
        let quantize = stage(vec![], vec![Output::File(rel::INTNET.into())]);
        assert_eq!(
            run.undeclared_writes(&quantize, started).unwrap(),
            ["stray.json"]
        );
    }

    #[test]
    fn directory_outputs_record_only_files_written_by_the_stage() {
        let tmp = tempfile::tempdir().unwrap();
        let run = run_in(tmp.path());
        std::fs::create_dir_all(tmp.path().join("rtl")).unwrap();
        std::fs::write(tmp.path().join("rtl/old.v"), "x").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let started = SystemTime::now();
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(tmp.path().join("rtl/top.v"), "y").unwrap();
        let st = stage(vec![], vec![Output::Dir("rtl".into())]);
        let out = run.collect_outputs(&st, started).unwrap();
        assert_eq!(out.keys().collect::<Vec<_>>(), vec!["rtl/top.v"]);
    }

    /// `execute` with `/bin/sh` standing in for the binary: runs, records,
    /// skips, re-runs on changed input, and names failures.
    #[test]
    fn execute_runs_records_skips_and_reruns() {
        let tmp = tempfile::tempdir().unwrap();
        let run = run_in(tmp.path());
        let sh = Path::new("/bin/sh");
        std::fs::write(tmp.path().join("in.txt"), "1").unwrap();
        let script = format!(
            "cat {0}/in.txt > {0}/out.txt; echo working; echo more >&2",
            tmp.path().display()
        );
        let st = Stage {
            name: "copy",
            commands: vec![vec![s("-c"), script]],
            inputs: vec![Input::File("in.txt".into())],
            outputs: vec![Output::File("out.txt".into())],
            reads_config: true,
        };
        let mut lines = Vec::new();
        assert!(matches!(
            run.execute(&st, sh, |l| lines.push(l.to_string())).unwrap(),
            Outcome::Ran(_)
        ));
        assert!(lines.contains(&"working".to_string()) && lines.contains(&"more".to_string()));
        assert!(std::fs::read_to_string(run.log_path("copy"))
            .unwrap()
            .contains("working"));
        assert_eq!(run.execute(&st, sh, |_| {}).unwrap(), Outcome::UpToDate);
        std::fs::write(tmp.path().join("in.txt"), "2").unwrap();
        assert!(matches!(
            run.execute(&st, sh, |_| {}).unwrap(),
            Outcome::Ran(_)
        ));
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("out.txt")).unwrap(),
            "2"
        );
        assert_eq!(run.execute(&st, sh, |_| {}).unwrap(), Outcome::UpToDate);

        let fail = Stage {
            name: "fail",
            commands: vec![vec![s("-c"), s("echo 'error: 3 mismatches' >&2; exit 1")]],
            inputs: vec![],
            outputs: vec![],
            reads_config: false,
        };
        let e = run.execute(&fail, sh, |_| {}).unwrap_err();
        assert_eq!(e.exit_code(), 1, "a failed check stays a failed check: {e}");
        let e = e.to_string();
        assert!(
            e.contains("stage `fail`") && e.contains("3 mismatches"),
            "{e}"
        );
        assert!(run.record("fail").is_none(), "no record for a failed stage");
        let broken = Stage {
            commands: vec![vec![s("-c"), s("echo boom; exit 3")]],
            ..fail
        };
        let e = run.execute(&broken, sh, |_| {}).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        let e = e.to_string();
        assert!(e.contains("boom") && e.contains("fail.log"), "{e}");
    }

    #[test]
    fn the_exact_design_needs_only_the_quantized_network() {
        let tmp = tempfile::tempdir().unwrap();
        let mut run = run_in(tmp.path());
        run.sweep = vec![0.1];
        run.gatesim_images = 64;
        let stages = run.stages();
        let at = |name: &str| stages.iter().position(|s| s.name == name).unwrap();
        // Every stage, transitively, that `name` waits for.
        let needs = |name: &str| -> Vec<&str> {
            let mut all = vec![at(name)];
            let mut k = 0;
            while k < all.len() {
                let j = all[k];
                for i in 0..j {
                    if run.depends_on(&stages[j], &stages[i]) && !all.contains(&i) {
                        all.push(i);
                    }
                }
                k += 1;
            }
            let mut names: Vec<&str> = all[1..].iter().map(|&i| stages[i].name).collect();
            names.sort();
            names
        };
        // Stages come after everything they read (a topological order).
        for (j, st) in stages.iter().enumerate() {
            for later in &stages[j + 1..] {
                assert!(
                    !run.depends_on(st, later),
                    "{} before {}",
                    st.name,
                    later.name
                );
            }
        }
        let training = ["agn", "baseline", "library", "qat", "quantize"];
        assert_eq!(needs("export-exact"), training);
        let mut exact = training.to_vec();
        exact.push("export-exact");
        exact.sort();
        assert_eq!(needs("synth-exact"), exact);
        if stages.iter().any(|s| s.name == "gatesim-exact") {
            exact.push("synth-exact");
            exact.sort();
            assert_eq!(needs("gatesim-exact"), exact);
        }
        // The heterogeneous design: the retrained network, after the exact
        // design's synthesis (whose modules it takes from the cache).
        for n in ["retrain", "export-rtl", "synth-exact", "assign"] {
            assert!(needs("synth").contains(&n), "synth after {n}");
        }
        assert!(needs("cosim").contains(&"retrain"));
        assert!(!needs("cosim").contains(&"synth-exact"));
        // The sweep trains: after the run's own training.
        assert!(needs("sweep").contains(&"retrain"));
        assert_eq!(needs("report").len(), stages.len() - 1);
        assert_eq!(stages.last().unwrap().name, "report");
    }
}
