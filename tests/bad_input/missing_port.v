module m(A, X, O);
  input [7:0] A;
  input [7:0] X;
  output [15:0] O;
  assign O = {8'b0, A & X};
endmodule
