// Residual addition, one element per cycle (the integer contract's Add):
//   y = clamp((a*MA + b*MB + (1 << (SH-1))) >>> SH, 0, ACT_MAX)
// with a this node's input and b the other tensor.
`default_nettype none
module residual_add #(
  parameter N = 1, parameter AW = 1,
  parameter MA = 1, parameter MB = 1, parameter SH = 1, parameter ACT_MAX = 255
) (
  input  wire          clk,
  input  wire          rst,
  input  wire          start,
  output reg           done,
  output wire [AW-1:0] a_addr,
  input  wire [7:0]    a_data,
  output wire [AW-1:0] b_addr,
  input  wire [7:0]    b_data,
  output reg           out_we,
  output reg  [AW-1:0] out_addr,
  output reg  [7:0]    out_data
);
  reg          busy;
  reg [AW-1:0] i;
  wire signed [63:0] s = $signed({1'b0, a_data}) * MA + $signed({1'b0, b_data}) * MB + (64'sd1 <<< (SH - 1));
  wire signed [63:0] q = s >>> SH;
  wire [7:0] y = (q < 0) ? 8'd0 : (q > ACT_MAX) ? ACT_MAX[7:0] : q[7:0];
  assign a_addr = i;
  assign b_addr = i;
  always @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0; done <= 1'b0; out_we <= 1'b0; i <= {AW{1'b0}};
      out_addr <= {AW{1'b0}}; out_data <= 8'd0;
    end else begin
      done   <= 1'b0;
      out_we <= 1'b0;
      if (start && !busy) begin
        busy <= 1'b1;
        i    <= {AW{1'b0}};
      end else if (busy) begin
        out_we   <= 1'b1;
        out_addr <= i;
        out_data <= y;
        i        <= i + 1'b1;
        if (i == N - 1) begin
          busy <= 1'b0;
          done <= 1'b1;
        end
      end
    end
  end
endmodule
`default_nettype wire
