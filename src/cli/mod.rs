//! Command-line front end: one file per group of subcommands, each with a
//! clap `Args` struct and a `run` function. `main` only dispatches.

pub mod assign;
pub mod characterize;
pub mod eval;
pub mod library;
pub mod report;
pub mod rtl;
pub mod train;
