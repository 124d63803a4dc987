// One multiplying layer (conv, or linear as a 1x1 conv on a 1x1 map) with
// P MAC lanes, one per output channel of a group of P channels. Each cycle
// the engine reads one input activation x (a single read port, so the
// activation buffer can be a one-read-port memory) and broadcasts it to
// every lane; lane l multiplies it by its channel's weight. The layer's
// multipliers live outside (a generated lanes module): the engine drives P
// operand pairs (mul_a = x, mul_b = weight byte, or its magnitude for
// unsigned multipliers) and receives P 16-bit products.
//
// Arithmetic (the integer contract, src/intnet/mod.rs):
//   acc[o][p] = bias[o] + sum_k prod(x[k][p], w[o][k])        (32-bit)
//   prod = sign(w) * M(x, |w|)   (unsigned)   or   M(x, w)   (signed)
//   zero padding feeds x = 0 into the multiplier (M(0, w) may be nonzero);
//   y = clamp((acc * mult[o] + (1 << (shift[o]-1))) >>> shift[o], 0, ACT_MAX)
//   or, without requantization (REQUANT = 0), y = acc (the logits).
//
// Schedule: for each channel group g (channels g*P .. g*P+P-1) and output
// position (oy, ox): KK accumulation cycles (k = 0 .. KK-1), then one write
// cycle per channel of the group that exists (o < OC), requantizing that
// lane's sum. Cycles: OH*OW*(NGROUP*KK + OC). The reduction index
// k = (ci, ky, kx) comes from a decode ROM (D_FILE: {1'b1, ky[6:0],
// kx[6:0], ci*IH*IW[16:0]}), so no division is needed in hardware. Weight
// ROM row g*KK + k holds the P weights of the group at k, lane 0 lowest.
`default_nettype none
module mac_engine #(
  parameter IH = 1, parameter IW = 1,
  parameter OC = 1, parameter OH = 1, parameter OW = 1,
  parameter S = 1, parameter PAD = 0,
  parameter P = 1,                     // lanes (output channels at once)
  parameter KK = 1,                    // fan-in: IC * K * K
  parameter NGROUP = 1,                // ceil(OC / P)
  parameter SIGNED = 0, parameter REQUANT = 1, parameter ACT_MAX = 255,
  parameter IAW = 1, parameter OAW = 1,
  parameter W_FILE = "w.hex", parameter D_FILE = "d.hex", parameter B_FILE = "b.hex",
  parameter M_FILE = "m.hex", parameter SH_FILE = "s.hex"
) (
  input  wire             clk,
  input  wire             rst,
  input  wire             start,
  output reg              done,
  output wire [IAW-1:0]   in_addr,
  input  wire [7:0]       in_data,
  output wire [P*8-1:0]   mul_a,
  output wire [P*8-1:0]   mul_b,
  input  wire [P*16-1:0]  mul_p,
  output reg              out_we,
  output reg  [OAW-1:0]   out_addr,
  output reg  [31:0]      out_data
);
  reg [P*8-1:0]  wrom [0:NGROUP*KK-1];
  reg [31:0]     drom [0:KK-1];
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
  localparam WAW = (NGROUP * KK > 1) ? $clog2(NGROUP * KK) : 1;
  localparam DAW = (KK > 1) ? $clog2(KK) : 1;
  localparam CAW = (OC > 1) ? $clog2(OC) : 1;
  localparam LAW = (P > 1) ? $clog2(P) : 1;
  localparam OHW = OH * OW;

  reg               busy, wr;
  reg [31:0]        g, oy, ox, k, wbase, obase, pos;
  reg [LAW-1:0]     wl;                  // lane being written

  // The input activation at (k, oy, ox), shared by every lane.
  wire [31:0] d     = drom[k[DAW-1:0]];
  // Input row/column; below zero wraps around and fails "< IH".
  wire [31:0] iy    = oy * S + {25'd0, d[30:24]} - PAD;
  wire [31:0] ix    = ox * S + {25'd0, d[23:17]} - PAD;
  wire        inb   = iy < IH && ix < IW;
  wire [31:0] addr  = {15'd0, d[16:0]} + iy * IW + ix;
  wire [7:0]  x     = inb ? in_data : 8'd0;
  wire [31:0] wptr  = wbase + k;
  wire [P*8-1:0] wrow = wrom[wptr[WAW-1:0]];
  assign in_addr = addr[IAW-1:0];

  // Channel o = g*P + wl written this cycle, and whether it is the
  // group's last.
  wire [31:0] wl32       = {{(32-LAW){1'b0}}, wl};
  wire [31:0] o          = g * P + wl32;
  wire        last_write = wl32 == P - 1 || o == OC - 1;
  wire        accumulate = busy && !wr;
  // obase = g*P*OHW; channel o = g*P + wl sits at o*OHW + pos.
  wire [31:0] waddr      = obase + wl32 * OHW + pos;
  wire        clear      = (start && !busy) || (busy && wr && last_write);

  // Lanes: one accumulator each.
  wire [P*32-1:0] accs;
  genvar l;
  generate
    for (l = 0; l < P; l = l + 1) begin : lane
      wire [7:0]  w  = wrow[l*8 +: 8];
      wire [15:0] p  = mul_p[l*16 +: 16];
      wire signed [31:0] pv   = SIGNED ? {{16{p[15]}}, p} : {16'd0, p};
      wire signed [31:0] term = (!SIGNED && w[7]) ? -pv : pv;
      reg  signed [31:0] acc;
      assign mul_a[l*8 +: 8] = x;
      assign mul_b[l*8 +: 8] = (SIGNED || !w[7]) ? w : (~w + 8'd1);
      assign accs[l*32 +: 32] = acc;
      always @(posedge clk) begin
        if (rst || clear) acc <= 32'sd0;
        else if (accumulate) acc <= acc + term;
      end
    end
  endgenerate

  // Requantization of lane wl's sum (write cycle).
  wire signed [31:0] sum    = $signed(accs[wl32*32 +: 32]) + $signed(brom[o[CAW-1:0]]);
  wire [31:0]        mult   = mrom[o[CAW-1:0]];
  wire [7:0]         sh     = srom[o[CAW-1:0]];
  wire signed [63:0] scaled = sum * $signed({1'b0, mult});
  wire signed [63:0] half   = 64'sd1 <<< (sh - 8'd1);
  wire signed [63:0] q      = (scaled + half) >>> sh;
  wire [31:0]        act    = (q < 0) ? 32'd0 : (q > ACT_MAX) ? ACT_MAX : q[31:0];

  always @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0; wr <= 1'b0; done <= 1'b0; out_we <= 1'b0;
      g <= 32'd0; oy <= 32'd0; ox <= 32'd0; k <= 32'd0; wbase <= 32'd0;
      obase <= 32'd0; pos <= 32'd0; wl <= {LAW{1'b0}};
      out_addr <= {OAW{1'b0}}; out_data <= 32'd0;
    end else begin
      done   <= 1'b0;
      out_we <= 1'b0;
      if (start && !busy) begin
        busy <= 1'b1; wr <= 1'b0;
        g <= 32'd0; oy <= 32'd0; ox <= 32'd0; k <= 32'd0; wbase <= 32'd0;
        obase <= 32'd0; pos <= 32'd0; wl <= {LAW{1'b0}};
      end else if (accumulate) begin
        if (k == KK - 1) begin
          k  <= 32'd0;
          wr <= 1'b1;
        end else begin
          k <= k + 32'd1;
        end
      end else if (busy && wr) begin
        out_we   <= 1'b1;
        out_data <= REQUANT ? act : sum;
        out_addr <= waddr[OAW-1:0];
        if (last_write) begin
          wl <= {LAW{1'b0}};
          wr <= 1'b0;
          if (ox == OW - 1) begin
            ox <= 32'd0;
            if (oy == OH - 1) begin
              oy  <= 32'd0;
              pos <= 32'd0;
              if (g == NGROUP - 1) begin
                busy <= 1'b0;
                done <= 1'b1;
              end else begin
                g     <= g + 32'd1;
                wbase <= wbase + KK;
                obase <= obase + P * OHW;
              end
            end else begin
              oy  <= oy + 32'd1;
              pos <= pos + 32'd1;
            end
          end else begin
            ox  <= ox + 32'd1;
            pos <= pos + 32'd1;
          end
        end else begin
          wl <= wl + 1'b1;
        end
      end
    end
  end
endmodule
`default_nettype wire
