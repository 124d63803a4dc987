// One multiplying layer (conv, or linear as a 1x1 conv on a 1x1 map) with
// P MAC lanes, one per output channel of a group of P channels. Each cycle
// the engine reads one input activation x (a single read port, so the
// activation buffer can be a one-read-port memory) and broadcasts it to
// every lane; lane l multiplies it by its channel's weight. The layer's
// multipliers and ROMs live outside, in the generated engine module: the
// engine drives P operand pairs (mul_a = x, mul_b = weight byte, or its
// magnitude for unsigned multipliers) and receives P 16-bit products. Every
// memory it reads has a registered read port, as SRAM macros do: the
// activation buffer and the weight ROM return the word addressed one cycle
// earlier, and the per-channel bias/scale ROMs are addressed one cycle
// ahead of the write cycle that uses them.
//
// Arithmetic (the integer contract, src/intnet/mod.rs):
//   acc[o][p] = bias[o] + sum_k prod(x[k][p], w[o][k])        (32-bit)
//   prod = sign(w) * M(x, |w|)   (unsigned)   or   M(x, w)   (signed)
//   zero padding feeds x = 0 into the multiplier (M(0, w) may be nonzero);
//   y = clamp((acc * mult[o] + (1 << (shift[o]-1))) >>> shift[o], 0, ACT_MAX)
//   or, without requantization (REQUANT = 0), y = acc (the logits, or a
//   residual branch), or rescaled without the clamp (REQUANT = 2, a
//   residual branch): y = (acc * mult[o] + (1 << (shift[o]-1))) >>> shift[o].
//
// Schedule: for each channel group g (channels g*P .. g*P+P-1) and output
// position (oy, ox): KK issue cycles, k = (ci, ky, kx) counted without
// division; each issue addresses x[k] and the weight row g*KK + k, which
// arrive from the memories' read registers in the next cycle, are
// multiplied and accumulated then (the multipliers see registered
// operands; a padded position's x is forced to 0). One drain cycle
// accumulates the last product and addresses the first channel's bias and
// scale, then one write cycle per channel of the group that exists
// (o < OC) requantizes that lane's sum while addressing the next channel's.
// Cycles: OH*OW*(NGROUP*(KK+1) + OC).
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
  parameter MW = 32,                   // significant bits of every mult[o]
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
  output wire [31:0]      ch,          // per-channel ROM address (registered read)
  input  wire [31:0]      bias,        // bias of the channel being written
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

  // Counters, each as wide as its range needs, with 32-bit views for
  // the address arithmetic.
  localparam GW  = (NGROUP > 1) ? $clog2(NGROUP) : 1;
  localparam OYW = (OH > 1) ? $clog2(OH) : 1;
  localparam OXW = (OW > 1) ? $clog2(OW) : 1;
  localparam KIW = (KK > 1) ? $clog2(KK) : 1;
  localparam KXW = (K > 1) ? $clog2(K) : 1;
  localparam CBW = $clog2(IC * IHW + 1);
  localparam WBW = $clog2(NGROUP * KK + 1);
  localparam OBW = $clog2(NGROUP * P * OHW + 1);
  localparam PSW = $clog2(OHW + 1);

  reg               busy;
  reg [1:0]         phase;
  reg [GW-1:0]      g;                   // channel group
  reg [OYW-1:0]     oy;
  reg [OXW-1:0]     ox;
  reg [KIW-1:0]     k;                   // reduction index (ci, ky, kx)
  reg [KXW-1:0]     kx, ky;
  reg [CBW-1:0]     cbase;               // ci * IH * IW
  reg [WBW-1:0]     wbase;               // g * KK
  reg [OBW-1:0]     obase;               // g * P * OH * OW
  reg [PSW-1:0]     pos;                 // oy * OW + ox
  reg [LAW-1:0]     wl;                  // lane being written
  wire [31:0] g32  = {{(32-GW){1'b0}}, g};
  wire [31:0] oy32 = {{(32-OYW){1'b0}}, oy};
  wire [31:0] ox32 = {{(32-OXW){1'b0}}, ox};
  wire [31:0] k32  = {{(32-KIW){1'b0}}, k};
  wire [31:0] kx32 = {{(32-KXW){1'b0}}, kx};
  wire [31:0] ky32 = {{(32-KXW){1'b0}}, ky};
  wire [31:0] cb32 = {{(32-CBW){1'b0}}, cbase};
  wire [31:0] wb32 = {{(32-WBW){1'b0}}, wbase};
  wire [31:0] ob32 = {{(32-OBW){1'b0}}, obase};
  wire [31:0] ps32 = {{(32-PSW){1'b0}}, pos};
  wire [31:0] cb_next = cb32 + IHW;
  wire [31:0] wb_next = wb32 + KK;
  wire [31:0] ob_next = ob32 + P * OHW;
  reg               inb_q;               // the last issue's x is inside the map
  reg               acc_q;               // ... and that issue accumulates

  // The input activation of issue k at (oy, ox), shared by every lane.
  // Input row/column; below zero wraps around and fails "< IH".
  wire [31:0] iy    = oy32 * S + ky32 - PAD;
  wire [31:0] ix    = ox32 * S + kx32 - PAD;
  wire        inb   = iy < IH && ix < IW;
  wire [31:0] addr  = cb32 + iy * IW + ix;
  wire        issue = busy && phase == ISSUE;
  assign in_addr = addr[IAW-1:0];
  assign w_addr  = wb32 + k32;

  // Channel o = g*P + wl written this cycle, and whether it is the
  // group's last.
  wire [31:0] wl32       = {{(32-LAW){1'b0}}, wl};
  wire [31:0] o          = g32 * P + wl32;
  wire        write      = busy && phase == WRITE;
  wire        last_write = wl32 == P - 1 || o == OC - 1;
  wire        clear      = (start && !busy) || (write && last_write);
  // obase = g*P*OHW; channel o = g*P + wl sits at o*OHW + pos.
  wire [31:0] waddr      = ob32 + wl32 * OHW + ps32;
  // Per-channel ROMs one cycle ahead: the drain cycle addresses lane 0's
  // channel, write cycle wl the channel of lane wl + 1.
  assign ch = write ? o + 1 : g32 * P;
  // The activation read register holds x[k] of the last issue.
  wire [7:0]  x_q        = inb_q ? in_data : 8'd0;

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
  // The requantization multiplier has MW significant bits (the export
  // sets MW from the layer's largest multiplier, 16 or 17 for trained
  // networks): a 32 x (MW+1) bit multiplier instead of 32 x 33.
  wire [MW-1:0]      mult_w = mult[MW-1:0];
  wire signed [63:0] scaled = sum * $signed({1'b0, mult_w});
  wire signed [63:0] half   = 64'sd1 <<< (shift - 8'd1);
  wire signed [63:0] q      = (scaled + half) >>> shift;
  wire [31:0]        act    = (q < 0) ? 32'd0 : (q > ACT_MAX) ? ACT_MAX : q[31:0];

  always @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0; phase <= ISSUE; done <= 1'b0; out_we <= 1'b0;
      g <= {GW{1'b0}}; oy <= {OYW{1'b0}}; ox <= {OXW{1'b0}}; k <= {KIW{1'b0}};
      kx <= {KXW{1'b0}}; ky <= {KXW{1'b0}}; cbase <= {CBW{1'b0}}; wbase <= {WBW{1'b0}};
      obase <= {OBW{1'b0}}; pos <= {PSW{1'b0}}; wl <= {LAW{1'b0}};
      inb_q <= 1'b0; acc_q <= 1'b0;
      out_addr <= {OAW{1'b0}}; out_data <= 32'd0;
    end else begin
      done   <= 1'b0;
      out_we <= 1'b0;
      inb_q  <= inb;
      acc_q  <= issue;
      if (start && !busy) begin
        busy <= 1'b1; phase <= ISSUE;
        g <= {GW{1'b0}}; oy <= {OYW{1'b0}}; ox <= {OXW{1'b0}}; k <= {KIW{1'b0}};
        kx <= {KXW{1'b0}}; ky <= {KXW{1'b0}}; cbase <= {CBW{1'b0}}; wbase <= {WBW{1'b0}};
        obase <= {OBW{1'b0}}; pos <= {PSW{1'b0}}; wl <= {LAW{1'b0}};
      end else if (issue) begin
        // Next k = (ci, ky, kx) in that order, kx fastest.
        if (k32 == KK - 1) begin
          k <= {KIW{1'b0}}; kx <= {KXW{1'b0}}; ky <= {KXW{1'b0}}; cbase <= {CBW{1'b0}};
          phase <= DRAIN;
        end else begin
          k <= k + 1'b1;
          if (kx32 == K - 1) begin
            kx <= {KXW{1'b0}};
            if (ky32 == K - 1) begin
              ky    <= {KXW{1'b0}};
              cbase <= cb_next[CBW-1:0];
            end else begin
              ky <= ky + 1'b1;
            end
          end else begin
            kx <= kx + 1'b1;
          end
        end
      end else if (busy && phase == DRAIN) begin
        phase <= WRITE;
      end else if (write) begin
        out_we   <= 1'b1;
        out_data <= (REQUANT == 1) ? act : (REQUANT == 2) ? q[31:0] : sum;
        out_addr <= waddr[OAW-1:0];
        if (last_write) begin
          wl    <= {LAW{1'b0}};
          phase <= ISSUE;
          if (ox32 == OW - 1) begin
            ox <= {OXW{1'b0}};
            if (oy32 == OH - 1) begin
              oy  <= {OYW{1'b0}};
              pos <= {PSW{1'b0}};
              if (g32 == NGROUP - 1) begin
                busy <= 1'b0;
                done <= 1'b1;
              end else begin
                g     <= g + 1'b1;
                wbase <= wb_next[WBW-1:0];
                obase <= ob_next[OBW-1:0];
              end
            end else begin
              oy  <= oy + 1'b1;
              pos <= pos + 1'b1;
            end
          end else begin
            ox  <= ox + 1'b1;
            pos <= pos + 1'b1;
          end
        end else begin
          wl <= wl + 1'b1;
        end
      end
    end
  end
`ifndef SYNTHESIS
  // Simulation only: this run's events for the co-simulation's access
  // counts (rtl/sim_counters.v, src/eda/activity.rs).
  sim_counters counters (
    .clk(clk), .clear(start && !busy), .done(done),
    .act(issue), .other(1'b0), .wrow(issue), .mac(acc_q), .write(write)
  );
`endif
endmodule
`default_nettype wire
