//! The EDA steps on an exported accelerator: synthesis and formal checks
//! with Yosys ([`synth`], module by module with a cache: [`bottom_up`]), static timing with OpenSTA ([`sta`]), OpenSTA's power of a mapped
//! multiplier against the library's energy model ([`power`]), SRAM macros from CACTI ([`cacti`]) and co-simulation in Icarus Verilog and Verilator
//! ([`cosim`]), each through the one tool runner, [`crate::tool`].

pub mod activity;
pub mod bottom_up;
pub mod cacti;
pub mod cosim;
pub mod gatesim;
pub mod power;
pub mod sta;
pub mod stream;
pub mod synth;
pub mod timing_netlist;
