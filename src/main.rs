//! The `codesign` binary: parses the command line and dispatches to
//! `codesign::cli`. Every error is printed as one line. Exit codes: 0
//! success, 1 a check that ran and failed (`codesign::Error::Check`), 2 bad
//! input or a tool that could not run (and clap's usage errors).

use clap::{Parser, Subcommand};
use codesign::cli;

#[derive(Parser)]
#[command(
    name = "codesign",
    version,
    about = "Co-design quantized neural networks and approximate multiplier hardware"
)]
struct Cli {
    /// Log level (error, warn, info, debug, trace).
    #[arg(long, global = true, default_value = "info")]
    log: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Characterize one multiplier netlist exhaustively.
    Characterize(cli::characterize::CharacterizeArgs),
    /// Build, import into, or show a multiplier library.
    Library(cli::library::LibraryArgs),
    /// Train a network: float baseline, QAT, AGN search.
    Train(cli::train::TrainArgs),
    /// Turn a QAT/AGN checkpoint into the integer network.
    Quantize(cli::train::QuantizeArgs),
    /// Fine-tune with the assigned approximate multipliers in the loop.
    Retrain(cli::train::RetrainArgs),
    /// Evaluate the integer network bit-exactly with an assignment.
    Eval(cli::eval::EvalArgs),
    /// Assign multipliers to layers with the error model.
    Assign(cli::assign::AssignArgs),
    /// Emit the heterogeneous accelerator as Verilog.
    ExportRtl(cli::rtl::ExportRtlArgs),
    /// Synthesize an exported accelerator with Yosys.
    Synth(cli::rtl::SynthArgs),
    /// Co-simulate an exported accelerator against the Rust simulation.
    Cosim(cli::rtl::CosimArgs),
    /// Write the report of a run directory.
    Report(cli::report::ReportArgs),
    /// Run every stage of a config.
    Run(cli::report::RunArgs),
    /// Sweep AGN lambda and collect accuracy/energy points.
    Sweep(cli::report::SweepArgs),
    /// One step of a batch job (run by `--executor slurm` jobs).
    #[command(hide = true)]
    Job(cli::report::JobArgs),
}

fn main() {
    let cli = Cli::parse();
    cli::init(&cli.log);
    let result = match cli.command {
        Command::Characterize(a) => cli::characterize::characterize(a),
        Command::Library(a) => cli::library::library(a),
        // Parsed here (one --help, one usage check), run by codesign-torch.
        Command::Train(_) | Command::Quantize(_) | Command::Retrain(_) => {
            cli::train::delegate_to_torch().map_err(Into::into)
        }
        Command::Eval(a) => cli::eval::eval(a),
        Command::Assign(a) => cli::assign::assign(a),
        Command::ExportRtl(a) => cli::rtl::export_rtl(a),
        Command::Synth(a) => cli::rtl::synth(a),
        Command::Cosim(a) => cli::rtl::cosim(a),
        Command::Report(a) => cli::report::report(a),
        Command::Run(a) => cli::report::run(a),
        Command::Sweep(a) => cli::report::sweep(a),
        Command::Job(a) => cli::report::job(a),
    };
    cli::exit(result)
}
