// Uses VMUX2 of lib/vendor_cells.v, a cell built on a UDP table (run with --cells lib/vendor_cells.v).
module m(A, B, O);
  input [7:0] A; input [7:0] B; output [15:0] O;
  VMUX2 u0 (.A(A[0]), .B(B[0]), .S(A[1]), .Y(O[0]));
  udp_mux u1 (O[1], A[2], B[2], B[1]);
  assign O[15:2] = 14'b0;
endmodule
