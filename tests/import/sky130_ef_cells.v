// A placed-and-routed sky130 netlist with efabless's physical-only cells
// (open_pdks sky130_ef_sc_hd: decap_12, fill_8, fakediode_2), which carry
// no logic, next to sky130_fd_sc_hd logic.
module m(A, B, O);
  input [7:0] A; input [7:0] B; output [15:0] O;
  wire vdd, vss;
  assign vdd = 1'b1;
  assign vss = 1'b0;
  sky130_ef_sc_hd__decap_12 FILLER_0_1 (.VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
  sky130_ef_sc_hd__fill_8 FILLER_0_2 (.VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
  sky130_ef_sc_hd__fakediode_2 ANTENNA_1 (.DIODE(A[0]), .VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
  sky130_fd_sc_hd__xor2_1 g0 (.A(A[0]), .B(B[0]), .X(O[0]), .VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
  sky130_ef_sc_hd__fill_12 FILLER_0_3 ();
  assign O[15:1] = 15'b0;
endmodule
