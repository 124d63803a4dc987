//! `codesign`: co-design of quantized neural networks and approximate
//! multiplier hardware. See DESIGN.md for the pipeline; each module below is
//! one concept of it, and data flows down this list.

pub mod config;
pub mod data;
pub mod error;
pub mod io;
pub mod sidecar;

pub mod errmap;
pub mod library;
pub mod netlist;

pub mod assign;
pub mod calib;
pub mod errmodel;
pub mod intnet;
pub mod nn;

pub mod eda;
pub mod executor;
pub mod pipeline;
pub mod report;
pub mod rtl;

pub mod cli;

pub use error::{Error, Result};
