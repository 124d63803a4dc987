// Activation buffer: one synchronous write port, RP asynchronous read
// ports (one group per reader, port 0 the debug/readback port). Only one
// unit runs at a time, so readers never race the writer.
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
      assign rdata[i*W +: W] = mem[raddr[i*AW +: AW]];
    end
  endgenerate
endmodule
`default_nettype wire
