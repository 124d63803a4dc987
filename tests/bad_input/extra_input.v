module m(clk, A, B, O);
  input clk;
  input [7:0] A;
  input [7:0] B;
  output [15:0] O;
  assign O = {8'b0, A & B};
endmodule
