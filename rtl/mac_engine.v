// One multiplying layer (conv, or linear as a 1x1 conv on a 1x1 map) with
// P MAC lanes. The layer's multipliers live outside (a generated lanes
// module): the engine drives P operand pairs (mul_a = activation, mul_b =
// weight byte, or its magnitude for unsigned multipliers) and receives P
// 16-bit products.
//
// Arithmetic (the integer contract, src/intnet/mod.rs):
//   acc[o][p] = bias[o] + sum_k prod(x[k][p], w[o][k])        (32-bit)
//   prod = sign(w) * M(x, |w|)   (unsigned)   or   M(x, w)   (signed)
//   zero padding feeds x = 0 into the multiplier (M(0, w) may be nonzero);
//   y = clamp((acc * mult[o] + (1 << (shift[o]-1))) >>> shift[o], 0, ACT_MAX)
//   or, without requantization (REQUANT = 0), y = acc (the logits).
//
// Schedule: outputs in (o, oy, ox) order, i.e. at consecutive addresses;
// each output takes NSTEP accumulation cycles (P reduction terms each)
// plus one write cycle. The reduction index k = (ci, ky, kx) of each lane
// and step comes from a decode ROM (D_FILE: per lane {valid, ky[6:0],
// kx[6:0], ci*IH*IW[16:0]}), so no division is needed in hardware.
`default_nettype none
module mac_engine #(
  parameter IH = 1, parameter IW = 1,
  parameter OC = 1, parameter OH = 1, parameter OW = 1,
  parameter S = 1, parameter PAD = 0,
  parameter P = 1, parameter PP = 1,   // lanes; PP = next power of two
  parameter NSTEP = 1,                 // ceil(fan_in / P)
  parameter SIGNED = 0, parameter REQUANT = 1, parameter ACT_MAX = 255,
  parameter IAW = 1, parameter OAW = 1,
  parameter W_FILE = "w.hex", parameter D_FILE = "d.hex", parameter B_FILE = "b.hex",
  parameter M_FILE = "m.hex", parameter SH_FILE = "s.hex"
) (
  input  wire             clk,
  input  wire             rst,
  input  wire             start,
  output reg              done,
  output wire [P*IAW-1:0] in_addr,
  input  wire [P*8-1:0]   in_data,
  output wire [P*8-1:0]   mul_a,
  output wire [P*8-1:0]   mul_b,
  input  wire [P*16-1:0]  mul_p,
  output reg              out_we,
  output reg  [OAW-1:0]   out_addr,
  output reg  [31:0]      out_data
);
  reg [P*8-1:0]  wrom [0:OC*NSTEP-1];
  reg [P*32-1:0] drom [0:NSTEP-1];
  reg [31:0]     brom [0:OC-1];
  reg [31:0]     mrom [0:OC-1];
  reg [7:0]      srom [0:OC-1];
  initial begin
    $readmemh(W_FILE, wrom);
    $readmemh(D_FILE, drom);
    $readmemh(B_FILE, brom);
    $readmemh(M_FILE, mrom);
    $readmemh(SH_FILE, srom);
  end

  // ROM address widths.
  localparam WAW = (OC * NSTEP > 1) ? $clog2(OC * NSTEP) : 1;
  localparam DAW = (NSTEP > 1) ? $clog2(NSTEP) : 1;
  localparam CAW = (OC > 1) ? $clog2(OC) : 1;

  reg               busy, wr;
  reg [31:0]        o, oy, ox, step, wbase;
  reg [OAW-1:0]     optr;
  reg signed [31:0] acc, sum_r;

  wire [31:0]     wptr = wbase + step;
  wire [P*8-1:0]  wrow = wrom[wptr[WAW-1:0]];
  wire [P*32-1:0] drow = drom[step[DAW-1:0]];
  wire signed [31:0] tree [1:2*PP-1] /* verilator split_var */;

  genvar l;
  generate
    for (l = 0; l < PP; l = l + 1) begin : lane
      if (l < P) begin : on
        wire [31:0] d     = drow[l*32 +: 32];
        wire        valid = d[31];
        // Input row/column; below zero wraps around and fails "< IH".
        wire [31:0] iy    = oy * S + {25'd0, d[30:24]} - PAD;
        wire [31:0] ix    = ox * S + {25'd0, d[23:17]} - PAD;
        wire        inb   = valid && iy < IH && ix < IW;
        wire [31:0] addr  = {15'd0, d[16:0]} + iy * IW + ix;
        wire [7:0]  x     = inb ? in_data[l*8 +: 8] : 8'd0;
        wire [7:0]  w     = wrow[l*8 +: 8];
        wire [15:0] p     = mul_p[l*16 +: 16];
        wire signed [31:0] pv = SIGNED ? {{16{p[15]}}, p} : {16'd0, p};
        assign in_addr[l*IAW +: IAW] = addr[IAW-1:0];
        assign mul_a[l*8 +: 8] = x;
        assign mul_b[l*8 +: 8] = (SIGNED || !w[7]) ? w : (~w + 8'd1);
        assign tree[PP + l] = !valid ? 32'sd0 : (!SIGNED && w[7]) ? -pv : pv;
      end else begin : off
        assign tree[PP + l] = 32'sd0;
      end
    end
    for (l = 1; l < PP; l = l + 1) begin : add
      assign tree[l] = tree[2*l] + tree[2*l+1];
    end
  endgenerate

  // Requantization of the finished sum (write cycle).
  wire [31:0]        mult   = mrom[o[CAW-1:0]];
  wire [7:0]         sh     = srom[o[CAW-1:0]];
  wire signed [63:0] scaled = sum_r * $signed({1'b0, mult});
  wire signed [63:0] half   = 64'sd1 <<< (sh - 8'd1);
  wire signed [63:0] q      = (scaled + half) >>> sh;
  wire [31:0]        act    = (q < 0) ? 32'd0 : (q > ACT_MAX) ? ACT_MAX : q[31:0];

  always @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0; wr <= 1'b0; done <= 1'b0; out_we <= 1'b0;
      o <= 32'd0; oy <= 32'd0; ox <= 32'd0; step <= 32'd0; wbase <= 32'd0;
      acc <= 32'sd0; sum_r <= 32'sd0; optr <= {OAW{1'b0}}; out_addr <= {OAW{1'b0}}; out_data <= 32'd0;
    end else begin
      done   <= 1'b0;
      out_we <= 1'b0;
      if (start && !busy) begin
        busy <= 1'b1; wr <= 1'b0;
        o <= 32'd0; oy <= 32'd0; ox <= 32'd0; step <= 32'd0; wbase <= 32'd0;
        acc <= 32'sd0; optr <= {OAW{1'b0}};
      end else if (busy && !wr) begin
        if (step == NSTEP - 1) begin
          sum_r <= acc + tree[1] + $signed(brom[o[CAW-1:0]]);
          wr    <= 1'b1;
        end else begin
          acc  <= acc + tree[1];
          step <= step + 32'd1;
        end
      end else if (busy && wr) begin
        out_we   <= 1'b1;
        out_data <= REQUANT ? act : sum_r;
        out_addr <= optr;
        optr     <= optr + 1'b1;
        wr   <= 1'b0;
        acc  <= 32'sd0;
        step <= 32'd0;
        if (ox == OW - 1) begin
          ox <= 32'd0;
          if (oy == OH - 1) begin
            oy <= 32'd0;
            if (o == OC - 1) begin
              busy <= 1'b0;
              done <= 1'b1;
            end else begin
              o     <= o + 32'd1;
              wbase <= wbase + NSTEP;
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
endmodule
`default_nettype wire
