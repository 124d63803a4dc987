//! `codesign`: co-design of quantized neural networks and approximate
//! multiplier hardware. See DESIGN.md for the pipeline; each module below is
//! one concept of it, and data flows down this list.

pub mod error;
pub mod io;
pub mod config;

pub mod errmap;
pub mod netlist;
pub mod library;

pub mod nn;
pub mod intnet;
pub mod calib;
pub mod errmodel;
pub mod assign;

pub mod rtl;
pub mod eda;
pub mod report;
pub mod pipeline;

pub mod cli;

pub use error::{Error, Result};
