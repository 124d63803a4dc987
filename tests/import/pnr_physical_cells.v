// Placed-and-routed netlists list physical-only cells (fill, tap, decap,
// antenna diodes) next to the logic; they carry no logic.
module m(A, B, O);
  input [7:0] A;
  input [7:0] B;
  output [15:0] O;
  wire vdd, vss;
  assign vdd = 1'b1;
  assign vss = 1'b0;
  sky130_fd_sc_hd__tapvpwrvgnd_1 TAP_1 (.VPWR(vdd), .VGND(vss));
  sky130_fd_sc_hd__decap_12 FILLER_0_1 (.VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
  sky130_fd_sc_hd__fill_2 FILLER_0_2 (.VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
  sky130_fd_sc_hd__diode_2 ANTENNA_1 (.DIODE(A[0]), .VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
  sky130_fd_sc_hd__nand2_1 g0 (.A(A[0]), .B(B[0]), .Y(O[0]), .VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
  FILLCELL_X4 FILLER_1 ();
  WELLTAP_X1 TAP_2 ();
  ANTENNA_X1 ANT_2 (.A(B[1]));
  XOR2_X1 g1 (.A(A[1]), .B(B[1]), .Z(O[1]));
  assign O[15:2] = 14'h0000;
endmodule
