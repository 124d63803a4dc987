module m(A, B, O);
  input [7:0] A;
  input [7:0] B;
  output [31:0] O;
  assign O = A * B;
endmodule
