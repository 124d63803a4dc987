// Uses the flip-flop DFFX of lib/tiny.lib (run with --liberty lib/tiny.lib).
module m(A, B, O);
  input [7:0] A; input [7:0] B; output [15:0] O;
  DFFX r0 (.D(A[0]), .CK(B[0]), .Q(O[0]));
  assign O[15:1] = 15'b0;
endmodule
