module m(A, B, O);
  input [7:0] A;
  input [7:0] B;
  output [15:0] O;
  wire t;
  assign t = 1'bx;
  assign O = {15'b0, t & A[0]};
endmodule
