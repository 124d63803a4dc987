module m(A, B, O);
  input [7:0] A;
  input [7:0] B;
  output [15:0] O;
  wire [3:0] N;
  assign N[0] = A[0] & B[0];
  PDKGENHAX1 u1 (.A(A[1]), .B(B[1]), .YS(N[1]), .YC(N[0]));
  assign O[1:0] = N[1:0];
  assign O[15:2] = 14'b0;
endmodule
