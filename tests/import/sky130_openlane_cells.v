// sky130_fd_sc_hd cells that OpenLane's ABC mapping and hold fixing use
// (complex AOI/OAI, mux4, fah*, delay buffers): a 2x2 product in O[3:0]
// plus two single cells in O[5:4].
module m(input [7:0] A, input [7:0] B, output [15:0] O);
  wire hi, lo, x, y, z, c, s2, p3n;
  sky130_fd_sc_hd__conb_1 tie (.HI(hi), .LO(lo));
  sky130_fd_sc_hd__mux4_2 u0 (.A0(lo), .A1(lo), .A2(lo), .A3(hi), .S0(A[0]), .S1(B[0]), .X(O[0]));
  sky130_fd_sc_hd__and2_1 g0 (.A(A[1]), .B(B[0]), .X(x));
  sky130_fd_sc_hd__and2_1 g1 (.A(A[0]), .B(B[1]), .X(y));
  sky130_fd_sc_hd__and2_1 g2 (.A(A[1]), .B(B[1]), .X(z));
  sky130_fd_sc_hd__fah_1 u1 (.A(x), .B(y), .CI(lo), .SUM(O[1]), .COUT(c));
  sky130_fd_sc_hd__fahcon_1 u2 (.A(z), .B(c), .CI(lo), .SUM(s2), .COUT_N(p3n));
  sky130_fd_sc_hd__dlygate4sd3_1 d0 (.A(s2), .X(O[2]));
  sky130_fd_sc_hd__a2111oi_0 u3 (.A1(p3n), .A2(hi), .B1(lo), .C1(lo), .D1(lo), .Y(O[3]));
  sky130_fd_sc_hd__o311ai_1 u4 (.A1(A[2]), .A2(A[3]), .A3(A[4]), .B1(B[2]), .C1(B[3]), .Y(O[4]));
  sky130_fd_sc_hd__fahcin_1 u5 (.A(A[5]), .B(B[5]), .CIN(B[4]), .COUT(O[5]), .SUM());
  assign O[15:6] = 10'b0;
endmodule
