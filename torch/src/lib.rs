//! `codesign-torch`: the half of codesign that links libtorch, the float,
//! QAT and AGN training of DESIGN.md, quantization of a checkpoint into the
//! integer network, and retraining with the assigned multipliers in the loop.
//!
//! It depends on the core crate `codesign` and nothing in the core depends
//! on it: the `codesign` binary parses `train`, `quantize` and `retrain`
//! and hands them to the `codesign-torch` executable next to it.

#![warn(missing_docs)]

pub mod cli;
pub mod nn;
