// Uses VXOR2 of lib/vendor_cells.v (run with --cells lib/vendor_cells.v).
module m(A, B, O);
  input [7:0] A; input [7:0] B; output [15:0] O;
  VXOR2 x0 (.A(A[0]), .B(B[0]), .Y(O[0]));
  VXOR2 x1 (.A(A[1]), .B(B[1]), .Y(O[1]));
  assign O[15:2] = 14'b0;
endmodule
