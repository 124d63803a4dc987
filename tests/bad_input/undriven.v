module m(A, B, O);
  input [7:0] A;
  input [7:0] B;
  output [15:0] O;
  wire [3:0] N;
  assign N[0] = A[0] & B[0];
  assign O[0] = N[0] ^ N[2];
  assign O[15:1] = 15'b0;
endmodule
