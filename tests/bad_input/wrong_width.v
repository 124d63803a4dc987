module m(A, B, O);
  input [7:0] A;
  input [7:0] B;
  output [14:0] O;
  assign O = {7'b0, A & B};
endmodule
