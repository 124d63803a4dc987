module m(A, B, O);
  input [7:0] A;
  input [7:0] B;
  output [15:0] O;
  wire [3:0] N;
  PDKGENHAX1 u1 (.A(A[0]), .YS(N[0]), .YC(N[1]));
  assign O[1:0] = N[1:0];
  assign O[15:2] = 14'b0;
endmodule
