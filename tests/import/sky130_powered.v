// sky130_fd_sc_hd cells with their supply pins connected (power pins carry no logic).
module m(A, B, O);
  input [7:0] A; input [7:0] B; output [15:0] O;
  wire vdd, vss;
  assign vdd = 1'b1;
  assign vss = 1'b0;
  sky130_fd_sc_hd__a21oi_1 g0 (.A1(A[0]), .A2(B[0]), .B1(A[1]), .Y(O[0]), .VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
  sky130_fd_sc_hd__fa_2 g1 (.A(A[2]), .B(B[2]), .CIN(B[3]), .SUM(O[1]), .COUT(O[2]), .VPWR(vdd), .VGND(vss), .VPB(vdd), .VNB(vss));
  assign O[15:3] = 13'b0;
endmodule
