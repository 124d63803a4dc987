//! A typed description of Verilog: data only ([`ast`]), its checked
//! constructors ([`build`]), the one place for names ([`names`]) and the one
//! printer ([`mod@print`]). At the bottom of the module graph: the netlist's
//! writer and the accelerator emitter both print through it.

pub mod ast;
pub mod build;
pub mod names;
pub mod print;
