// Activation buffer: a memory macro with one synchronous write port and RP
// synchronous read ports, as a real SRAM macro has: rdata is the word
// addressed at the last clock edge (registered read; a read of the word
// being written returns the old word). The generated top gives every
// buffer one read port, shared by its readers and the debug port through
// a multiplexer on the sequencer's active unit; a second port only where
// one unit reads the same buffer twice at once. Only one unit runs at a
// time, so readers never race the writer.
//
// Synthesis treats this module as a black-box SRAM macro (read with
// `read_verilog -lib`, see yosys/synth.ys); this body is the behavioural
// model Icarus Verilog and Verilator simulate. Its area and per-access
// energy come from the stated SRAM model (src/rtl/memory.rs).
`default_nettype none
module act_mem #(
  parameter W     = 8,   // word width
  parameter DEPTH = 1,   // words
  parameter AW    = 1,   // address width
  parameter RP    = 1    // read ports
) (
  input  wire              clk,
  input  wire              we,
  input  wire [AW-1:0]     waddr,
  input  wire [W-1:0]      wdata,
  input  wire [RP*AW-1:0]  raddr,
  output wire [RP*W-1:0]   rdata
);
  reg [W-1:0] mem [0:DEPTH-1];
  always @(posedge clk) begin
    if (we) mem[waddr] <= wdata;
  end
  genvar i;
  generate
    for (i = 0; i < RP; i = i + 1) begin : rd
      reg [W-1:0] q;
      always @(posedge clk) q <= mem[raddr[i*AW +: AW]];
      assign rdata[i*W +: W] = q;
    end
  endgenerate
endmodule
`default_nettype wire
