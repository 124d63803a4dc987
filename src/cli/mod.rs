//! Command-line front end: one file per group of subcommands, each with a
//! clap `Args` struct and a `run` function. `main` only dispatches.

pub mod characterize;
pub mod library;
pub mod train;
pub mod eval;
pub mod assign;
pub mod rtl;
pub mod report;
