module m(clk, A, B, O);
  input clk;
  input [7:0] A;
  input [7:0] B;
  output reg [15:0] O;
  always @(posedge clk) O <= A * B;
endmodule
