// MAJ3X of lib/tiny.lib connected by position (run with --liberty
// lib/tiny.lib): Liberty gives no port order, so it is refused.
module m(A, B, O);
  input [7:0] A; input [7:0] B; output [15:0] O;
  MAJ3X u0 (A[0], B[0], A[1], O[0]);
  assign O[15:1] = 15'b0;
endmodule
