//! Runners for the external EDA tools: Yosys, Icarus Verilog, Verilator.
