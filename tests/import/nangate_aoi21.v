// The smallest NanGate45 input of issue 11: AOI21_X1 is ZN = !(A | (B1 & B2)).
module top ( A, B, O );
  input [7:0] A; input [7:0] B; output [15:0] O;
  AOI21_X1 U1 ( .B1(A[0]), .B2(B[0]), .A(A[1]), .ZN(O[0]) );
  assign O[15:1] = 15'b0;
endmodule
