//! The `codesign-torch` binary: runs `codesign train`, `codesign quantize`
//! and `codesign retrain`, which the `codesign` binary hands over (same
//! arguments, same exit codes). Users type `codesign`.

use clap::{Parser, Subcommand};
use codesign::cli::train::{QuantizeArgs, RetrainArgs, TrainArgs};

#[derive(Parser)]
#[command(name = "codesign", version)]
struct Cli {
    /// Log level (error, warn, info, debug, trace).
    #[arg(long, global = true, default_value = "info")]
    log: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train a network: float baseline, QAT, AGN search.
    Train(TrainArgs),
    /// Turn a QAT/AGN checkpoint into the integer network.
    Quantize(QuantizeArgs),
    /// Fine-tune with the assigned approximate multipliers in the loop.
    Retrain(RetrainArgs),
}

fn main() {
    let cli = Cli::parse();
    codesign::cli::init(&cli.log);
    codesign::cli::exit(match cli.command {
        Command::Train(a) => codesign_torch::cli::train(a),
        Command::Quantize(a) => codesign_torch::cli::quantize(a),
        Command::Retrain(a) => codesign_torch::cli::retrain(a),
    })
}
