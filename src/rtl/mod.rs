//! The accelerator emitter: the heterogeneous accelerator ([`accel`]) built
//! from hand-written blocks ([`blocks`]), each layer's gate-level multiplier
//! modules ([`crate::netlist::module`]) and memory macros with their
//! area/energy model ([`memory`]), all through the typed Verilog description
//! of [`crate::verilog`].

pub mod accel;
pub mod blocks;
#[doc(hidden)]
pub mod fixtures;
pub mod memory;
