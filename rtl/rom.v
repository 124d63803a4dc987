// Read-only memory macro (weights, bias, requantization multiplier and
// shift of one engine): DEPTH words of W bits loaded from the hex file
// INIT. REG = 1: synchronous read (data is the word addressed at the last
// clock edge); REG = 0: asynchronous read.
//
// Synthesis treats this module as a black-box macro (read with
// `read_verilog -lib`, see yosys/synth.ys); this body is the behavioural
// model Icarus Verilog and Verilator simulate. Its area and per-access
// energy come from the stated SRAM model (src/rtl/memory.rs).
`default_nettype none
module rom #(
  parameter W     = 8,   // word width
  parameter DEPTH = 1,   // words
  parameter AW    = 1,   // address width
  parameter REG   = 1,   // 1: registered read, 0: asynchronous read
  parameter INIT  = ""   // $readmemh file
) (
  input  wire          clk,
  input  wire [AW-1:0] addr,
  output wire [W-1:0]  data
);
  reg [W-1:0] mem [0:DEPTH-1];
`ifndef SYNTHESIS
  // Simulation only: synthesis reads this module as a black box.
  initial $readmemh(INIT, mem);
`endif
  generate
    if (REG != 0) begin : sync_read
      reg [W-1:0] q;
      always @(posedge clk) q <= mem[addr];
      assign data = q;
    end else begin : async_read
      assign data = mem[addr];
    end
  endgenerate
endmodule
`default_nettype wire
