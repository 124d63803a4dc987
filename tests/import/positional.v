// Hand-written netlist connecting library cells by position, in the port
// order of each library's own Verilog model: NanGate45 (inputs, then ZN),
// OSU FAX1 (A, B, C, YC, YS), sky130 nand2b (Y, A_N, B) without and mux2
// (X, A0, A1, S, VPWR, VGND, VPB, VNB) with power pins.
module m(A, B, O);
  input [7:0] A; input [7:0] B; output [15:0] O;
  wire vdd, vss;
  assign vdd = 1'b1;
  assign vss = 1'b0;
  NAND2_X1 g1 (A[0], B[0], O[0]);
  AOI21_X1 g2 (A[1], B[1], A[2], O[1]);
  FAX1 U1 (A[3], B[3], A[4], O[2], O[3]);
  sky130_fd_sc_hd__nand2b_1 g3 (O[4], A[5], B[5]);
  sky130_fd_sc_hd__mux2_1 g4 (O[5], A[6], B[6], A[7], vdd, vss, vdd, vss);
  assign O[15:6] = 10'b0;
endmodule
