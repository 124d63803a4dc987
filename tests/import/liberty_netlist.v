// Uses MAJ3X of lib/tiny.lib (run with --liberty lib/tiny.lib).
module m(A, B, O);
  input [7:0] A; input [7:0] B; output [15:0] O;
  MAJ3X u0 (.P(A[0]), .Q(B[0]), .R(A[1]), .Y(O[0]));
  assign O[15:1] = 15'b0;
endmodule
