// A registered multiplier output: a NanGate45 flip-flop cell.
module m(input [7:0] A, input [7:0] B, output [15:0] O);
  wire p;
  AND2_X1 g0 (.A1(A[0]), .A2(B[0]), .ZN(p));
  DFF_X1 r0 (.D(p), .CK(B[7]), .Q(O[0]), .QN());
  assign O[15:1] = 15'h0000;
endmodule
