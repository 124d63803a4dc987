// sky130_fd_sc_hd low-power-flow cells (isolation, keep-alive clock buffer
// and inverter, level shifter) with their supply pins connected, KAPWR and
// LOWLVPWR included (power pins carry no logic).
module m(A, B, O);
  input [7:0] A; input [7:0] B; output [15:0] O;
  wire vdd, vss;
  assign vdd = 1'b1;
  assign vss = 1'b0;
  sky130_fd_sc_hd__lpflow_inputiso0n_1 i0 (.A(A[0]), .SLEEP_B(B[0]), .X(O[0]), .VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
  sky130_fd_sc_hd__lpflow_inputiso0p_1 i1 (.A(A[1]), .SLEEP(B[1]), .X(O[1]), .VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
  sky130_fd_sc_hd__lpflow_inputiso1n_1 i2 (.A(A[2]), .SLEEP_B(B[2]), .X(O[2]), .VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
  sky130_fd_sc_hd__lpflow_inputiso1p_1 i3 (.A(A[3]), .SLEEP(B[3]), .X(O[3]), .VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
  sky130_fd_sc_hd__lpflow_isobufsrc_1 i4 (.SLEEP(B[4]), .A(A[4]), .X(O[4]), .VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
  sky130_fd_sc_hd__lpflow_isobufsrckapwr_16 i5 (.SLEEP(B[5]), .A(A[5]), .X(O[5]), .KAPWR(vdd), .VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
  sky130_fd_sc_hd__lpflow_clkbufkapwr_1 c0 (.A(A[6]), .X(O[6]), .KAPWR(vdd), .VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
  sky130_fd_sc_hd__lpflow_clkinvkapwr_1 c1 (.A(A[7]), .Y(O[7]), .KAPWR(vdd), .VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
  sky130_fd_sc_hd__lpflow_lsbuf_lh_isowell_tap_1 l0 (.A(B[6]), .X(O[8]), .LOWLVPWR(vdd), .VPWR(vdd), .VGND(vss), .VPB(vdd));
  assign O[15:9] = 7'b0;
endmodule
