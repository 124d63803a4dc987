module m(A, B, O);
  input [7:0] A;
  input [7:0] B;
  output [15:0] O;
  wire [3:0] N;
  assign O = 16'bx;
endmodule
