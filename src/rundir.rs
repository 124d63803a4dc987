//! The run directory and the export directory as types: every file a stage
//! writes or reads has one name, here (DESIGN.md, "Run directory").
//!
//! Stages meet only at these files, so their names are the interface
//! between stages. [`rel`] holds them relative to the run directory (the
//! form `codesign run` declares as a stage's inputs and outputs and records
//! in `.stages/<stage>.json`); [`RunDir`] and [`ExportDir`] give the full
//! paths by method.

use std::path::{Path, PathBuf};

/// The files of a run directory, relative to it.
pub mod rel {
    /// The config the run was trained with (written by `train`).
    pub const CONFIG: &str = "config.yaml";
    /// Training checkpoints and their sidecars (`train/<stage>.*`).
    pub const TRAIN: &str = "train";
    /// The integer network (`quantize`).
    pub const INTNET: &str = "intnet.json";
    /// The multiplier per layer (`assign`).
    pub const ASSIGNMENT: &str = "assignment.yaml";
    /// Calibration statistics of the integer network (`assign`).
    pub const CALIBRATION: &str = "calibration.json";
    /// The error models' held-out validation (`assign`).
    pub const ERROR_MODEL: &str = "error_model.json";
    /// Bit-exact accuracies (`eval`).
    pub const EVAL: &str = "eval.json";
    /// The retrained network and its accuracies (`retrain`).
    pub const RETRAIN: &str = "retrain";
    /// `retrain/intnet.json`.
    pub const RETRAIN_INTNET: &str = "retrain/intnet.json";
    /// `retrain/eval.json`.
    pub const RETRAIN_EVAL: &str = "retrain/eval.json";
    /// The heterogeneous accelerator's export (`export-rtl`).
    pub const RTL: &str = "rtl";
    /// The all-exact accelerator's export (`export-rtl`).
    pub const RTL_EXACT: &str = "rtl_exact";
    /// The multiplier library when the run builds it (`library`).
    pub const LIBRARY: &str = "library";
    /// One run directory per sweep point (`sweep/lambda_<L>/`).
    pub const SWEEP: &str = "sweep";
    /// The sweep's points (`sweep`).
    pub const SWEEP_JSON: &str = "sweep.json";
    /// report.json, report.md, report.html and the CSV tables (`report`).
    pub const REPORT: &str = "report";
    /// Stage records (`codesign run`).
    pub const STAGES: &str = ".stages";
    /// Stage logs (`codesign run`).
    pub const LOGS: &str = "logs";
    /// Batch-job scripts and the submission record (`--executor slurm`).
    pub const JOBS: &str = ".jobs";

    /// `train/<stage>.safetensors`.
    pub fn checkpoint(stage: &str) -> String {
        format!("{TRAIN}/{stage}.safetensors")
    }
    /// `train/<stage>.yaml`, the checkpoint's sidecar.
    pub fn sidecar(stage: &str) -> String {
        format!("{TRAIN}/{stage}.yaml")
    }
    /// `rtl/<file>` or `rtl_exact/<file>`.
    pub fn in_export(export: &str, file: &str) -> String {
        format!("{export}/{file}")
    }
}

/// A run directory (`codesign run --out DIR`, or the config's `out`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunDir(PathBuf);

impl RunDir {
    /// The run directory at `root` (nothing is created).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        RunDir(root.into())
    }
    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.0
    }
    /// `root/rel`.
    pub fn at(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.0.join(rel)
    }
    /// The config copy the later stages read.
    pub fn config(&self) -> PathBuf {
        self.at(rel::CONFIG)
    }
    /// The `train/` folder.
    pub fn train_dir(&self) -> PathBuf {
        self.at(rel::TRAIN)
    }
    /// A training stage's checkpoint (`baseline`, `qat`, `agn`, `retrain`).
    pub fn checkpoint(&self, stage: &str) -> PathBuf {
        self.at(rel::checkpoint(stage))
    }
    /// A training stage's sidecar (accuracy, sigmas, quantization scales).
    pub fn sidecar(&self, stage: &str) -> PathBuf {
        self.at(rel::sidecar(stage))
    }
    /// The integer network.
    pub fn intnet(&self) -> PathBuf {
        self.at(rel::INTNET)
    }
    /// The assignment.
    pub fn assignment(&self) -> PathBuf {
        self.at(rel::ASSIGNMENT)
    }
    /// Calibration statistics.
    pub fn calibration(&self) -> PathBuf {
        self.at(rel::CALIBRATION)
    }
    /// The error models' validation.
    pub fn error_model(&self) -> PathBuf {
        self.at(rel::ERROR_MODEL)
    }
    /// Bit-exact accuracies of the network as quantized.
    pub fn eval(&self) -> PathBuf {
        self.at(rel::EVAL)
    }
    /// The `retrain/` folder.
    pub fn retrain_dir(&self) -> PathBuf {
        self.at(rel::RETRAIN)
    }
    /// The retrained integer network.
    pub fn retrain_intnet(&self) -> PathBuf {
        self.at(rel::RETRAIN_INTNET)
    }
    /// Bit-exact accuracies of the retrained network.
    pub fn retrain_eval(&self) -> PathBuf {
        self.at(rel::RETRAIN_EVAL)
    }
    /// The heterogeneous accelerator's export.
    pub fn rtl(&self) -> ExportDir {
        ExportDir(self.at(rel::RTL))
    }
    /// The all-exact accelerator's export.
    pub fn rtl_exact(&self) -> ExportDir {
        ExportDir(self.at(rel::RTL_EXACT))
    }
    /// The library the run builds when the config names none.
    pub fn library(&self) -> PathBuf {
        self.at(rel::LIBRARY)
    }
    /// The run directory of the sweep point `lambda`.
    pub fn sweep_point(&self, lambda: f64) -> RunDir {
        RunDir(self.at(rel::SWEEP).join(format!("lambda_{lambda}")))
    }
    /// The sweep's points.
    pub fn sweep_json(&self) -> PathBuf {
        self.at(rel::SWEEP_JSON)
    }
    /// The report folder.
    pub fn report_dir(&self) -> PathBuf {
        self.at(rel::REPORT)
    }
    /// A stage's record.
    pub fn record(&self, stage: &str) -> PathBuf {
        self.at(rel::STAGES).join(format!("{stage}.json"))
    }
    /// A stage's log.
    pub fn log(&self, stage: &str) -> PathBuf {
        self.at(rel::LOGS).join(format!("{stage}.log"))
    }
    /// The batch executor's folder.
    pub fn jobs_dir(&self) -> PathBuf {
        self.at(rel::JOBS)
    }
}

/// The files of an export directory (`codesign export-rtl --out DIR`).
pub mod export {
    /// What was exported: layers, engines, memories, schedule.
    pub const MANIFEST: &str = "manifest.json";
    /// The run directory, assignment and network the export came from.
    pub const SOURCE: &str = "source.json";
    /// The synthesis report (`codesign synth`).
    pub const SYNTH: &str = "synth.json";
    /// Yosys's `stat -json` output behind it.
    pub const SYNTH_STAT: &str = "synth_stat.json";
    /// The co-simulation report (`codesign cosim`).
    pub const COSIM: &str = "cosim.json";
    /// The integer network the test bench checks against.
    pub const INTNET: &str = "intnet.json";
    /// The flattened NanGate45 netlist for static timing (Liberty flow).
    pub const STA_NETLIST: &str = "netlist_sta.v";
    /// The gate-level simulation report (`codesign gatesim`).
    pub const GATESIM: &str = "gatesim.json";
}

/// An accelerator export (`RUN_DIR/rtl`, `RUN_DIR/rtl_exact`, or any
/// `export-rtl --out`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportDir(PathBuf);

impl ExportDir {
    /// The export at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ExportDir(root.into())
    }
    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.0
    }
    /// `manifest.json`.
    pub fn manifest(&self) -> PathBuf {
        self.0.join(export::MANIFEST)
    }
    /// `source.json`.
    pub fn source(&self) -> PathBuf {
        self.0.join(export::SOURCE)
    }
    /// `synth.json`.
    pub fn synth(&self) -> PathBuf {
        self.0.join(export::SYNTH)
    }
    /// `synth_stat.json`.
    pub fn synth_stat(&self) -> PathBuf {
        self.0.join(export::SYNTH_STAT)
    }
    /// `cosim.json`.
    pub fn cosim(&self) -> PathBuf {
        self.0.join(export::COSIM)
    }
    /// `intnet.json`.
    pub fn intnet(&self) -> PathBuf {
        self.0.join(export::INTNET)
    }
    /// `gatesim.json`.
    pub fn gatesim(&self) -> PathBuf {
        self.0.join(export::GATESIM)
    }
}
