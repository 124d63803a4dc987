// 5 positional connections to sky130_fd_sc_hd__nand2_1: neither its
// functional model (Y, A, B) nor its powered one (Y, A, B, VPWR, VGND,
// VPB, VNB), so refused.
module m(A, B, O);
  input [7:0] A; input [7:0] B; output [15:0] O;
  wire vdd, vss;
  assign vdd = 1'b1;
  assign vss = 1'b0;
  sky130_fd_sc_hd__nand2_1 g0 (O[0], A[0], B[0], vdd, vss);
  assign O[15:1] = 15'b0;
endmodule
