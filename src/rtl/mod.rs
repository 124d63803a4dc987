//! Verilog emitter: a typed description of Verilog and one printer, and the accelerator built from it.
