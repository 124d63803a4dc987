//! The command line's typed interface: what each `codesign` subcommand
//! takes, as clap structs. The binary parses these ([`crate::cli`] runs
//! them); the pipeline builds its stages' command lines from them
//! ([`argv`]), so both sides share one definition. This module sits below
//! the pipeline and the executors and depends only on the stages' own
//! option types (models, simulators, browsers).

pub mod argv;

use crate::assign::Model;
use crate::eda::cosim::Sim;
use std::path::PathBuf;

/// The `codesign` command line (the binary's `main` parses it; the pipeline's
/// tests parse every stage's argument list with it).
#[derive(clap::Parser)]
#[command(
    name = "codesign",
    version,
    about = "Co-design quantized neural networks and approximate multiplier hardware"
)]
pub struct Cli {
    /// Log level (error, warn, info, debug, trace).
    #[arg(long, global = true, default_value = "info")]
    pub log: String,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(clap::Subcommand, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Command {
    /// Characterize one multiplier netlist exhaustively.
    Characterize(CharacterizeArgs),
    /// Build, import into, or show a multiplier library.
    Library(LibraryArgs),
    /// Train a network: float baseline, QAT, AGN search.
    Train(TrainArgs),
    /// Turn a QAT/AGN checkpoint into the integer network.
    Quantize(QuantizeArgs),
    /// Fine-tune with the assigned approximate multipliers in the loop.
    Retrain(RetrainArgs),
    /// Evaluate the integer network bit-exactly with an assignment.
    Eval(EvalArgs),
    /// Assign multipliers to layers with the error model.
    Assign(AssignArgs),
    /// Emit the heterogeneous accelerator as Verilog.
    ExportRtl(ExportRtlArgs),
    /// Synthesize an exported accelerator with Yosys, module by module;
    /// mapped modules are cached in $CODESIGN_CACHE_DIR/synth (else
    /// ~/.cache/codesign/synth) and reused by later designs.
    Synth(SynthArgs),
    /// Co-simulate an exported accelerator against the Rust simulation.
    Cosim(CosimArgs),
    /// Simulate the synthesized (Liberty-mapped) netlist on real images:
    /// bit-exact check and energy from its switching activity.
    Gatesim(GatesimArgs),
    /// Write the report of a run directory.
    Report(ReportArgs),
    /// Run every stage of a config.
    Run(RunArgs),
    /// Sweep AGN lambda and collect accuracy/energy points.
    Sweep(SweepArgs),
    /// One step of a batch job (run by `--executor slurm` jobs).
    #[command(hide = true)]
    Job(JobArgs),
}

/// How to read a netlist: options shared by `characterize` and `library import`.
#[derive(Debug, Clone, clap::Args, serde::Serialize)]
pub struct ImportArgs {
    /// Operands and product are two's complement.
    #[arg(long)]
    pub signed: bool,
    /// Verilog file defining further cells the netlist instantiates (a
    /// vendor cell library; its behavioural, UDP and sequential cells are
    /// skipped unless used).
    #[arg(long)]
    pub cells: Option<PathBuf>,
    /// Liberty file whose combinational cells the netlist instantiates.
    #[arg(long)]
    pub liberty: Option<PathBuf>,
    /// Names of the operand and product ports in the file.
    #[arg(long, default_value = "A,B,O", value_name = "A,B,O")]
    pub ports: String,
    /// The multiplier's module (default: the one no other module instantiates).
    #[arg(long)]
    pub top: Option<String>,
}

/// Arguments of `codesign characterize`.
#[derive(Debug, clap::Args, serde::Serialize)]
pub struct CharacterizeArgs {
    /// Netlist: structural or behavioural Verilog (`.v`, `.sv`), or Yosys JSON (`.json`).
    pub file: PathBuf,
    #[command(flatten)]
    #[serde(flatten)]
    /// Import options: signedness, cell library or Liberty file, port names.
    pub import: ImportArgs,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Error metrics only: skip the cost, whose canonical mapping runs
    /// Yosys and ABC (about a second); what a search that characterizes
    /// many candidates wants.
    #[arg(long)]
    pub no_cost: bool,
}

/// Arguments of `codesign library`.
#[derive(Debug, clap::Args, serde::Serialize)]
pub struct LibraryArgs {
    #[command(subcommand)]
    /// Which `library` subcommand.
    pub command: LibraryCommand,
}

#[derive(Debug, clap::Subcommand, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
/// The `library` subcommands.
pub enum LibraryCommand {
    /// Build the default library of built-in designs.
    Build {
        /// Library directory to write (replaced atomically).
        #[arg(long)]
        out: PathBuf,
        /// Also synthesize every design with Yosys and keep its mapped cell
        /// statistics (`yosys_area.yaml`; slow).
        #[arg(long)]
        yosys_area: bool,
    },
    /// Characterize external netlists and add them to a library.
    Import {
        /// Netlist files (structural Verilog, Yosys JSON, or Verilog that
        /// Yosys synthesizes).
        #[arg(required_unless_present = "evoapprox")]
        files: Vec<PathBuf>,
        /// An EvoApproxLib checkout (or part of it): imports every 8x8
        /// multiplier `mul8*.v` under it, `mul8s_*` as signed, keeping the
        /// header's published figures (`PDK45_PWR`, ...) as extra columns.
        #[arg(long)]
        evoapprox: Option<PathBuf>,
        /// Library directory (created if missing).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        #[serde(flatten)]
        /// Import options: signedness, cell library or Liberty file, port names.
        import: ImportArgs,
    },
    /// Show a library: one row per design, sorted by energy.
    Show {
        /// Library directory.
        dir: PathBuf,
        /// Print the entries as JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// Arguments of `codesign train`.
#[derive(Debug, clap::Args, serde::Serialize)]
pub struct TrainArgs {
    /// Experiment config (YAML).
    pub config: PathBuf,
    /// Stages to run, comma-separated, in order: baseline,qat,agn.
    #[arg(long, default_value = "baseline,qat,agn", value_delimiter = ',')]
    pub stages: Vec<String>,
    /// Skip stages whose checkpoint already exists in the run directory.
    #[arg(long)]
    pub resume: bool,
    /// Run directory (default: the config's `out`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Override `agn.lambda`.
    #[arg(long)]
    pub lambda: Option<f64>,
    /// Override the seed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// cpu, cuda, or auto (cuda when available).
    #[arg(long, default_value = "cpu")]
    pub device: String,
    /// libtorch intra-op threads (default: the config's `threads`).
    #[arg(long)]
    pub threads: Option<usize>,
}

/// Arguments of `codesign quantize`.
#[derive(Debug, clap::Args, serde::Serialize)]
pub struct QuantizeArgs {
    /// Run directory written by `codesign train`.
    pub run_dir: PathBuf,
    /// Checkpoint to quantize (default: agn if present, else qat).
    #[arg(long)]
    pub stage: Option<String>,
    /// Output file (default RUN_DIR/intnet.json).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Arguments of `codesign retrain`.
#[derive(Debug, clap::Args, serde::Serialize)]
pub struct RetrainArgs {
    /// Run directory (with the agn or qat checkpoint).
    pub run_dir: PathBuf,
    /// Multiplier assignment (assignment.yaml).
    #[arg(long)]
    pub assignment: PathBuf,
    /// Library directory (default: the one the assignment names).
    #[arg(long)]
    pub library: Option<PathBuf>,
    /// cpu, cuda, or auto.
    #[arg(long, default_value = "cpu")]
    pub device: String,
}

/// Arguments of `codesign eval`.
#[derive(Debug, clap::Args, serde::Serialize)]
pub struct EvalArgs {
    /// Run directory holding `intnet.json` (and `config.yaml`, here or in
    /// the parent directory, e.g. for `RUN_DIR/retrain`).
    pub run_dir: PathBuf,
    /// Assignment (`assignment.yaml`); without it every layer is exact.
    #[arg(long)]
    pub assignment: Option<PathBuf>,
    /// Library directory (default: the one the assignment names).
    #[arg(long)]
    pub library: Option<PathBuf>,
    /// Data set directory (default: the config's `dataset.path`).
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Which split to evaluate.
    #[arg(long, default_value = "test", value_parser = ["test", "train"])]
    pub split: String,
    /// Evaluate only the first N images.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Record name in eval.json (default: `exact`, or the assignment's
    /// file stem, with `_paper` under `--paper`).
    #[arg(long)]
    pub name: Option<String>,
    /// Evaluate the error model's choice recorded in the assignment before
    /// its accuracy-budget repair (the paper's assignment).
    #[arg(long, requires = "assignment")]
    pub paper: bool,
}

/// Arguments of `codesign assign`.
#[derive(Debug, clap::Args, serde::Serialize)]
pub struct AssignArgs {
    /// Run directory: reads intnet.json, train/agn.yaml and calibration.json
    /// (computed from config.yaml's data set if missing); writes
    /// assignment.yaml and error_model.json.
    pub run_dir: PathBuf,
    /// Multiplier library directory.
    #[arg(long)]
    pub library: PathBuf,
    /// Error model that drives the choice.
    #[arg(long, value_enum, default_value_t = Model::Population)]
    pub model: Model,
    /// Sidecar with the learned sigma per layer [default: RUN_DIR/train/agn.yaml].
    #[arg(long)]
    pub sidecar: Option<PathBuf>,
    /// Where to write the assignment [default: RUN_DIR/assignment.yaml].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Recompute calibration.json even if it exists.
    #[arg(long)]
    pub recalibrate: bool,
    /// Do not measure the errors (no error_model.json).
    #[arg(long)]
    pub no_validate: bool,
    /// Keep the error model's choice as it is (no accuracy-budget repair,
    /// whatever the config's `assign.max_accuracy_drop`).
    #[arg(long)]
    pub no_repair: bool,
    /// Held-out training images to measure on [default: as many as calibration drew].
    #[arg(long)]
    pub validate_images: Option<usize>,
    /// The cost minimized: the library's energy model, or the published
    /// 45 nm power of imported EvoApprox designs (`PDK45_PWR`, as the paper).
    #[arg(long, default_value = "energy", value_parser = ["energy", "published-power"])]
    pub cost: String,
}

/// Arguments of `codesign export-rtl`.
#[derive(Debug, clap::Args, serde::Serialize)]
pub struct ExportRtlArgs {
    /// Run directory holding `intnet.json` and `config.yaml`.
    pub run_dir: PathBuf,
    /// Assignment (`assignment.yaml`); required unless `--exact`.
    #[arg(long)]
    pub assignment: Option<PathBuf>,
    /// Library directory (default: the one the assignment names).
    #[arg(long)]
    pub library: Option<PathBuf>,
    /// Output directory (default: RUN_DIR/rtl, or RUN_DIR/rtl_exact).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// MAC lanes per engine, each computing one output channel (default:
    /// min(output channels, 8) per layer).
    #[arg(long)]
    pub lanes: Option<usize>,
    /// Integer network to export (default: RUN_DIR/intnet.json; e.g.
    /// RUN_DIR/retrain/intnet.json for the retrained network).
    #[arg(long)]
    pub intnet: Option<PathBuf>,
    /// The baseline design: the library's exact multiplier in every layer.
    #[arg(long)]
    pub exact: bool,
}

/// Arguments of `codesign synth`.
#[derive(Debug, clap::Args, serde::Serialize)]
pub struct SynthArgs {
    /// Export directory written by `codesign export-rtl`.
    pub dir: PathBuf,
    /// Map the logic to this Liberty standard-cell library (areas in µm²,
    /// netlist for static timing). Default: NanGate45
    /// (`$CODESIGN_NANGATE45_LIB`, else `.pdk/nangate45/stdcells.lib` of the
    /// source tree, fetched by scripts/pdk.sh) when it exists, else the
    /// generic flow.
    #[arg(long, conflicts_with = "generic")]
    pub liberty: Option<PathBuf>,
    /// Map to Yosys's generic gates (areas in NAND2 equivalents; fast, no PDK).
    #[arg(long)]
    pub generic: bool,
    /// CACTI build folder for the memory macros' figures (Liberty flow).
    /// Default: `$CODESIGN_CACTI`, else `.cacti` of the source tree (built by
    /// scripts/pdk.sh), when it exists; else the per-bit SRAM model.
    #[arg(long)]
    pub cacti: Option<PathBuf>,
    /// Target clock period for the Liberty flow's delay-driven mapping (ns).
    #[arg(long, default_value_t = crate::eda::synth::DEFAULT_CLOCK_NS)]
    pub clock_ns: f64,
}

/// Arguments of `codesign cosim`.
#[derive(Debug, clap::Args, serde::Serialize)]
pub struct CosimArgs {
    /// Export directory written by `codesign export-rtl`.
    pub dir: PathBuf,
    /// Number of test images.
    #[arg(long, default_value_t = 20)]
    pub images: usize,
    /// Simulator.
    #[arg(long, value_enum, default_value_t = Sim::default())]
    pub sim: Sim,
    /// Data set directory (default: the run config's `dataset.path`).
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Simulator processes run at once, each on a slice of the images
    /// (default: the number of CPU cores).
    #[arg(long)]
    pub jobs: Option<usize>,
}

/// Arguments of `codesign gatesim`.
#[derive(Debug, clap::Args, serde::Serialize)]
pub struct GatesimArgs {
    /// Export directory, synthesized with `codesign synth --liberty`.
    pub dir: PathBuf,
    /// Number of test images (64 are simulated at once).
    #[arg(long, default_value_t = crate::eda::gatesim::LANES)]
    pub images: usize,
    /// Data set directory (default: the run config's `dataset.path`).
    #[arg(long)]
    pub data: Option<PathBuf>,
}

/// Arguments of `codesign report`.
#[derive(Debug, clap::Args, serde::Serialize)]
pub struct ReportArgs {
    /// Run directory (as written by `codesign run`).
    pub run_dir: PathBuf,
    /// Library directory (default: the one the assignment names, else RUN_DIR/library).
    #[arg(long)]
    pub library: Option<PathBuf>,
    /// Output directory (default: RUN_DIR/report).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Browser check of the HTML: auto (when chromium is installed), require, skip.
    #[arg(long, value_enum, default_value_t = crate::report::Browser::IfAvailable)]
    pub browser: crate::report::Browser,
}

/// Arguments of `codesign run`.
#[derive(Debug, clap::Args, serde::Serialize)]
pub struct RunArgs {
    /// Experiment config (YAML), e.g. configs/digits.yaml.
    pub config: PathBuf,
    /// Run directory; every stage reads and writes here (default: the config's `out`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Test images co-simulated in RTL.
    #[arg(long, default_value_t = 20)]
    pub cosim_images: usize,
    /// Simulator of the RTL co-simulation (`codesign cosim --sim`).
    #[arg(long, value_enum, default_value_t = Sim::default())]
    pub cosim_sim: Sim,
    /// Test images run on the synthesized NanGate45 netlists (`codesign
    /// gatesim`: bit-exact check and energy from switching activity; 64 at
    /// once; 0: off). Only where synthesis maps to NanGate45.
    #[arg(long, default_value_t = crate::eda::gatesim::LANES)]
    pub gatesim_images: usize,
    /// libtorch device for training: cpu, cuda or auto.
    #[arg(long, default_value = "cpu")]
    pub device: String,
    /// Sweep AGN lambda over these values (`codesign sweep`) for the
    /// report's accuracy-vs-energy plot, e.g. `--sweep 0.05,0.5` [default:
    /// the config's `sweep`, itself by default 0.05, 0.2, 0.8].
    #[arg(long, value_delimiter = ',')]
    pub sweep: Vec<f64>,
    /// Re-run every stage even if its inputs have not changed.
    #[arg(long)]
    pub force: bool,
    /// Stop after this stage (e.g. `export-rtl`); the report is written
    /// only by a complete run.
    #[arg(long)]
    pub until: Option<String>,
    #[command(flatten)]
    #[serde(flatten)]
    /// Where the stages run (local or a batch scheduler).
    pub executor: ExecutorArgs,
}

/// Where the stages run (`codesign run`, `codesign sweep`).
#[derive(Debug, clap::Args, serde::Serialize)]
pub struct ExecutorArgs {
    /// local: child processes of this machine; slurm: one batch job per
    /// stage (the run directory must be on a file system the nodes share).
    #[arg(long, value_enum, default_value_t = ExecutorKind::Local)]
    pub executor: ExecutorKind,
    /// With a batch executor: submit, print the job ids and return; running
    /// the same command again follows the jobs.
    #[arg(long)]
    pub no_wait: bool,
}

/// Arguments of `codesign sweep`.
#[derive(Debug, clap::Args, serde::Serialize)]
pub struct SweepArgs {
    /// Experiment config (YAML).
    pub config: PathBuf,
    /// AGN lambdas to sweep, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "0.05,0.2,0.5")]
    pub lambdas: Vec<f64>,
    /// Run directory holding (or receiving) the baseline and QAT
    /// checkpoints; points go to `DIR/sweep/lambda_<L>/`, the summary to DIR/sweep.json.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// libtorch device for training: cpu, cuda or auto.
    #[arg(long, default_value = "cpu")]
    pub device: String,
    #[command(flatten)]
    #[serde(flatten)]
    /// Where the sweep points run (local or a batch scheduler).
    pub executor: ExecutorArgs,
}

/// Arguments of the hidden `codesign job`, which a batch job runs.
#[derive(Debug, clap::Args, serde::Serialize)]
pub struct JobArgs {
    /// Job spec written at submission (`RUN_DIR/.jobs/<submission>/<node>.json`).
    pub spec: PathBuf,
    /// Which of the spec's steps (the array index; 0 for a single job).
    #[arg(long, default_value_t = 0)]
    pub task: usize,
}

/// `--executor`.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExecutorKind {
    /// Child processes of this machine, independent stages side by side.
    #[default]
    Local,
    /// One Slurm batch job per stage (`sbatch`), sweep points as a job array.
    Slurm,
}
