// One multiplying layer (conv, or linear as a 1x1 conv on a 1x1 map) with
// P MAC lanes, one per output channel of a group of P channels. Each cycle
// the engine reads one input activation x (a single read port, so the
// activation buffer can be a one-read-port memory) and broadcasts it to
// every lane; lane l multiplies it by its channel's weight. The layer's
// multipliers and ROMs live outside, in the generated engine module: the
// engine drives P operand pairs (mul_a = x, mul_b = weight byte, or its
// magnitude for unsigned multipliers) and receives P 16-bit products; it
// addresses the weight ROM (registered read: the row arrives one cycle
// later) and the per-channel bias/scale ROMs (read in the same cycle).
//
// Arithmetic (the integer contract, src/intnet/mod.rs):
//   acc[o][p] = bias[o] + sum_k prod(x[k][p], w[o][k])        (32-bit)
//   prod = sign(w) * M(x, |w|)   (unsigned)   or   M(x, w)   (signed)
//   zero padding feeds x = 0 into the multiplier (M(0, w) may be nonzero);
//   y = clamp((acc * mult[o] + (1 << (shift[o]-1))) >>> shift[o], 0, ACT_MAX)
//   or, without requantization (REQUANT = 0), y = acc (the logits).
//
// Schedule: for each channel group g (channels g*P .. g*P+P-1) and output
// position (oy, ox): KK issue cycles, k = (ci, ky, kx) counted without
// division; each issue reads x[k] and the weight row g*KK + k, which are
// multiplied and accumulated in the next cycle (a two-stage pipeline: the
// multipliers see registered operands). One drain cycle accumulates the
// last product, then one write cycle per channel of the group that exists
// (o < OC) requantizes that lane's sum. Cycles: OH*OW*(NGROUP*(KK+1) + OC).
// Weight ROM row g*KK + k holds the P weights of the group at k, lane 0
// lowest.
`default_nettype none
module mac_engine #(
  parameter IC = 1, parameter IH = 1, parameter IW = 1, parameter K = 1,
  parameter OC = 1, parameter OH = 1, parameter OW = 1,
  parameter S = 1, parameter PAD = 0,
  parameter P = 1,                     // lanes (output channels at once)
  parameter NGROUP = 1,                // ceil(OC / P)
  parameter SIGNED = 0, parameter REQUANT = 1, parameter ACT_MAX = 255,
  parameter IAW = 1, parameter OAW = 1
) (
  input  wire             clk,
  input  wire             rst,
  input  wire             start,
  output reg              done,
  output wire [IAW-1:0]   in_addr,
  input  wire [7:0]       in_data,
  output wire [31:0]      w_addr,      // weight ROM row, read on the clock edge
  input  wire [P*8-1:0]   w_row,       // the row addressed one cycle earlier
  output wire [31:0]      ch,          // output channel of the write cycle
  input  wire [31:0]      bias,        // bias[ch]
  input  wire [31:0]      mult,        // requantization multiplier[ch]
  input  wire [7:0]       shift,       // requantization shift[ch]
  output wire [P*8-1:0]   mul_a,
  output wire [P*8-1:0]   mul_b,
  input  wire [P*16-1:0]  mul_p,
  output reg              out_we,
  output reg  [OAW-1:0]   out_addr,
  output reg  [31:0]      out_data
);
  localparam KK  = IC * K * K;
  localparam LAW = (P > 1) ? $clog2(P) : 1;
  localparam OHW = OH * OW;
  localparam IHW = IH * IW;
  // Phases of one (group, position).
  localparam ISSUE = 2'd0, DRAIN = 2'd1, WRITE = 2'd2;

  reg               busy;
  reg [1:0]         phase;
  reg [31:0]        g, oy, ox, k, kx, ky, cbase, wbase, obase, pos;
  reg [LAW-1:0]     wl;                  // lane being written
  reg [7:0]         x_q;                 // operand stage: x of the last issue
  reg               acc_q;               // ... and whether it accumulates

  // The input activation of issue k at (oy, ox), shared by every lane.
  // Input row/column; below zero wraps around and fails "< IH".
  wire [31:0] iy    = oy * S + ky - PAD;
  wire [31:0] ix    = ox * S + kx - PAD;
  wire        inb   = iy < IH && ix < IW;
  wire [31:0] addr  = cbase + iy * IW + ix;
  wire        issue = busy && phase == ISSUE;
  assign in_addr = addr[IAW-1:0];
  assign w_addr  = wbase + k;

  // Channel o = g*P + wl written this cycle, and whether it is the
  // group's last.
  wire [31:0] wl32       = {{(32-LAW){1'b0}}, wl};
  wire [31:0] o          = g * P + wl32;
  wire        write      = busy && phase == WRITE;
  wire        last_write = wl32 == P - 1 || o == OC - 1;
  wire        clear      = (start && !busy) || (write && last_write);
  // obase = g*P*OHW; channel o = g*P + wl sits at o*OHW + pos.
  wire [31:0] waddr      = obase + wl32 * OHW + pos;
  assign ch = o;

  // Lanes: one accumulator each.
  wire [P*32-1:0] accs;
  genvar l;
  generate
    for (l = 0; l < P; l = l + 1) begin : lane
      wire [7:0]  w  = w_row[l*8 +: 8];
      wire [15:0] p  = mul_p[l*16 +: 16];
      wire signed [31:0] pv   = SIGNED ? {{16{p[15]}}, p} : {16'd0, p};
      wire signed [31:0] term = (!SIGNED && w[7]) ? -pv : pv;
      reg  signed [31:0] acc;
      assign mul_a[l*8 +: 8] = x_q;
      assign mul_b[l*8 +: 8] = (SIGNED || !w[7]) ? w : (~w + 8'd1);
      assign accs[l*32 +: 32] = acc;
      always @(posedge clk) begin
        if (rst || clear) acc <= 32'sd0;
        else if (acc_q) acc <= acc + term;
      end
    end
  endgenerate

  // Requantization of lane wl's sum (write cycle).
  wire signed [31:0] sum    = $signed(accs[wl32*32 +: 32]) + $signed(bias);
  wire signed [63:0] scaled = sum * $signed({1'b0, mult});
  wire signed [63:0] half   = 64'sd1 <<< (shift - 8'd1);
  wire signed [63:0] q      = (scaled + half) >>> shift;
  wire [31:0]        act    = (q < 0) ? 32'd0 : (q > ACT_MAX) ? ACT_MAX : q[31:0];

  always @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0; phase <= ISSUE; done <= 1'b0; out_we <= 1'b0;
      g <= 32'd0; oy <= 32'd0; ox <= 32'd0; k <= 32'd0;
      kx <= 32'd0; ky <= 32'd0; cbase <= 32'd0; wbase <= 32'd0;
      obase <= 32'd0; pos <= 32'd0; wl <= {LAW{1'b0}};
      x_q <= 8'd0; acc_q <= 1'b0;
      out_addr <= {OAW{1'b0}}; out_data <= 32'd0;
    end else begin
      done   <= 1'b0;
      out_we <= 1'b0;
      x_q    <= inb ? in_data : 8'd0;
      acc_q  <= issue;
      if (start && !busy) begin
        busy <= 1'b1; phase <= ISSUE;
        g <= 32'd0; oy <= 32'd0; ox <= 32'd0; k <= 32'd0;
        kx <= 32'd0; ky <= 32'd0; cbase <= 32'd0; wbase <= 32'd0;
        obase <= 32'd0; pos <= 32'd0; wl <= {LAW{1'b0}};
      end else if (issue) begin
        // Next k = (ci, ky, kx) in that order, kx fastest.
        if (k == KK - 1) begin
          k <= 32'd0; kx <= 32'd0; ky <= 32'd0; cbase <= 32'd0;
          phase <= DRAIN;
        end else begin
          k <= k + 32'd1;
          if (kx == K - 1) begin
            kx <= 32'd0;
            if (ky == K - 1) begin
              ky    <= 32'd0;
              cbase <= cbase + IHW;
            end else begin
              ky <= ky + 32'd1;
            end
          end else begin
            kx <= kx + 32'd1;
          end
        end
      end else if (busy && phase == DRAIN) begin
        phase <= WRITE;
      end else if (write) begin
        out_we   <= 1'b1;
        out_data <= REQUANT ? act : sum;
        out_addr <= waddr[OAW-1:0];
        if (last_write) begin
          wl    <= {LAW{1'b0}};
          phase <= ISSUE;
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
