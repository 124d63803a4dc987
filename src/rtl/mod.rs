//! Verilog emitter: a typed description of Verilog ([`ast`]), its checked
//! constructors ([`build`]), the one place for names ([`names`]), the one
//! printer ([`print`]), gate-level multiplier modules ([`mult`]) and the
//! accelerator built from them ([`accel`]) with its memory macros and
//! their area/energy model ([`memory`]).

pub mod accel;
pub mod ast;
pub mod blocks;
pub mod build;
pub mod fixtures;
pub mod memory;
pub mod mult;
pub mod names;
pub mod print;
pub mod yosys_json;
