// Residual addition, one element per cycle (the integer contract's Add):
//   y = clamp((a*MA + b*MB + (1 << (SH-1))) >>> SH, 0, ACT_MAX)
// with a this node's input and b the other tensor, each a 32-bit word:
// raw accumulators (A_RAW / B_RAW = 1: two's complement, the paper's block
// adds before its ReLU) or activations (zero-extended). Both buffers have
// registered read ports: element i is addressed in one cycle and written
// in the next. Cycles: N + 1.
`default_nettype none
module residual_add #(
  parameter N = 1, parameter AW = 1,
  parameter MA = 1, parameter MB = 1, parameter SH = 1, parameter ACT_MAX = 255,
  parameter A_RAW = 0, parameter B_RAW = 0
) (
  input  wire          clk,
  input  wire          rst,
  input  wire          start,
  output reg           done,
  output wire [AW-1:0] a_addr,
  input  wire [31:0]   a_data,
  output wire [AW-1:0] b_addr,
  input  wire [31:0]   b_data,
  output reg           out_we,
  output reg  [AW-1:0] out_addr,
  output reg  [7:0]    out_data
);
  reg          busy;
  reg [AW-1:0] i;                        // element addressed this cycle
  reg          v_q;                      // the read registers hold element i_q
  reg [AW-1:0] i_q;
  // 33-bit operands times multipliers below 2^24 (the contract's bound):
  // the sum fits 58 bits (a shift past 57 rounds every sum to 0, as the
// contract's 64-bit arithmetic does after the clamp).
  wire signed [32:0] av = A_RAW ? {a_data[31], a_data} : {1'b0, a_data};
  wire signed [32:0] bv = B_RAW ? {b_data[31], b_data} : {1'b0, b_data};
  localparam signed [24:0] MA25 = MA;
  localparam signed [24:0] MB25 = MB;
  wire signed [57:0] s = av * MA25 + bv * MB25 + (58'sd1 <<< (SH - 1));
  wire signed [57:0] q = s >>> SH;
  wire [7:0] y = (q < 0) ? 8'd0 : (q > ACT_MAX) ? ACT_MAX[7:0] : q[7:0];
  assign a_addr = i;
  assign b_addr = i;
  always @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0; done <= 1'b0; out_we <= 1'b0; i <= {AW{1'b0}};
      v_q <= 1'b0; i_q <= {AW{1'b0}};
      out_addr <= {AW{1'b0}}; out_data <= 8'd0;
    end else begin
      done   <= 1'b0;
      out_we <= 1'b0;
      v_q    <= 1'b0;
      if (v_q) begin
        out_we   <= 1'b1;
        out_addr <= i_q;
        out_data <= y;
        if (i_q == N - 1) done <= 1'b1;
      end
      if (start && !busy) begin
        busy <= 1'b1;
        i    <= {AW{1'b0}};
      end else if (busy) begin
        v_q <= 1'b1;
        i_q <= i;
        i   <= i + 1'b1;
        if (i == N - 1) busy <= 1'b0;
      end
    end
  end
`ifndef SYNTHESIS
  // Simulation only: this run's events for the co-simulation's access
  // counts (rtl/sim_counters.v, src/eda/activity.rs).
  sim_counters counters (
    .clk(clk), .clear(start && !busy), .done(done),
    .act(busy), .other(busy), .wrow(1'b0), .mac(1'b0), .write(v_q)
  );
`endif
endmodule
`default_nettype wire
