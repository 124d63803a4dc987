// Pooling over a C x IH x IW activation map, one input read per cycle.
// MODE 0: max over the window. MODE 1: average, (sum + N/2) / N with
// N = KH*KW (round half up; the integer contract's AvgPool and, with the
// window covering the whole map, GlobalAvgPool). No padding.
// The input buffer has a registered read port: the word addressed in one
// cycle arrives in the next, so each window's KH*KW read cycles fold in
// the word of the cycle before, and its write cycle folds in the last one.
// Cycles: OH*OW*C*(KH*KW + 1).
`default_nettype none
module pool #(
  parameter C = 1, parameter IH = 1, parameter IW = 1,
  parameter OH = 1, parameter OW = 1,
  parameter KH = 1, parameter KW = 1, parameter S = 1,
  parameter MODE = 0,
  parameter IAW = 1, parameter OAW = 1
) (
  input  wire           clk,
  input  wire           rst,
  input  wire           start,
  output reg            done,
  output wire [IAW-1:0] in_addr,
  input  wire [7:0]     in_data,
  output reg            out_we,
  output reg  [OAW-1:0] out_addr,
  output reg  [7:0]     out_data
);
  localparam N = KH * KW;
  reg        busy, wr;
  reg        first_q;                    // the word arriving is a window's first
  reg [31:0] c, oy, ox, wy, wx;
  reg [31:0] acc;
  reg [OAW-1:0] optr;

  wire [31:0] addr  = c * (IH * IW) + (oy * S + wy) * IW + ox * S + wx;
  wire        first = (wy == 32'd0) && (wx == 32'd0);
  wire [31:0] v     = {24'd0, in_data};
  // The window so far with the word addressed last cycle folded in.
  wire [31:0] next  = first_q ? v : (MODE != 0) ? acc + v : (v > acc ? v : acc);
  wire [31:0] avg   = (next + N / 2) / N;
  assign in_addr = addr[IAW-1:0];

  always @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0; wr <= 1'b0; done <= 1'b0; out_we <= 1'b0;
      c <= 32'd0; oy <= 32'd0; ox <= 32'd0; wy <= 32'd0; wx <= 32'd0;
      acc <= 32'd0; optr <= {OAW{1'b0}}; out_addr <= {OAW{1'b0}}; out_data <= 8'd0;
      first_q <= 1'b0;
    end else begin
      done   <= 1'b0;
      out_we <= 1'b0;
      if (start && !busy) begin
        busy <= 1'b1; wr <= 1'b0;
        c <= 32'd0; oy <= 32'd0; ox <= 32'd0; wy <= 32'd0; wx <= 32'd0;
        optr <= {OAW{1'b0}};
      end else if (busy && !wr) begin
        // The window's first read cycle has no word of this window yet.
        if (!first) acc <= next;
        first_q <= first;
        if (wx == KW - 1) begin
          wx <= 32'd0;
          if (wy == KH - 1) begin
            wy <= 32'd0;
            wr <= 1'b1;
          end else begin
            wy <= wy + 32'd1;
          end
        end else begin
          wx <= wx + 32'd1;
        end
      end else if (busy && wr) begin
        wr       <= 1'b0;
        out_we   <= 1'b1;
        out_addr <= optr;
        optr     <= optr + 1'b1;
        out_data <= (MODE != 0) ? avg[7:0] : next[7:0];
        if (ox == OW - 1) begin
          ox <= 32'd0;
          if (oy == OH - 1) begin
            oy <= 32'd0;
            if (c == C - 1) begin
              busy <= 1'b0;
              done <= 1'b1;
            end else begin
              c <= c + 32'd1;
            end
          end else begin
            oy <= oy + 32'd1;
          end
        end else begin
          ox <= ox + 32'd1;
        end
      end
    end
  end
`ifndef SYNTHESIS
  // Simulation only: this run's events for the co-simulation's access
  // counts (rtl/sim_counters.v, src/eda/activity.rs).
  sim_counters counters (
    .clk(clk), .clear(start && !busy), .done(done),
    .act(busy && !wr), .other(1'b0), .wrow(1'b0), .mac(1'b0), .write(busy && wr)
  );
`endif
endmodule
`default_nettype wire
