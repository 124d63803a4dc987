//! The `codesign` binary: parses the command line and dispatches to
//! `codesign::cli`. Every error is printed as one line. Exit codes: 0
//! success, 1 a check that ran and failed (`codesign::Error::Check`), 2 bad
//! input or a tool that could not run (and clap's usage errors).

use clap::Parser;
use codesign::cli;

fn main() {
    let cli = cli::Cli::parse();
    cli::init(&cli.log);
    cli::exit(cli.command.run())
}
