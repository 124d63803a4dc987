//! `codesign`: co-design of quantized neural networks and approximate
//! multiplier hardware. See DESIGN.md for the pipeline; each module below is
//! one concept of it, and data flows down this list: a module uses only
//! modules above it (DESIGN.md, "Layout", draws the graph).

#![warn(missing_docs)]

// Foundations: errors, files, the external-tool runner, the typed Verilog
// description, configs, data sets and the checkpoint sidecar.
pub mod config;
pub mod data;
pub mod error;
pub mod io;
pub mod progress;
pub mod rundir;
pub mod sidecar;
pub mod tool;
pub mod verilog;

// Multipliers: error maps, gate-level netlists, the library.
pub mod errmap;
pub mod library;
pub mod netlist;

// The network: the integer contract, calibration, error model, assignment,
// (training, the only part that needs libtorch, is the `codesign-torch`
// crate in `torch/`).
pub mod assign;
pub mod calib;
pub mod errmodel;
pub mod intnet;

// Hardware: the accelerator emitter, then synthesis and co-simulation.
pub mod eda;
pub mod rtl;

// Reporting and orchestration.
pub mod executor;
pub mod pipeline;
pub mod report;

pub mod cli;
pub mod commands;

#[cfg(test)]
mod golden;

pub use error::{Error, Result};
