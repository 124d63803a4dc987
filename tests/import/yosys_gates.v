// Yosys internal gate cells as `write_verilog -noexpr` writes them,
// compound ones included (functions as in Yosys's simcells.v).
module m(A, B, O);
  input [7:0] A;
  input [7:0] B;
  output [15:0] O;
  \$_MUX4_  u0 (.A(A[0]), .B(A[1]), .C(A[2]), .D(A[3]), .S(B[0]), .T(B[1]), .Y(O[0]));
  \$_NMUX_  u1 (.A(A[4]), .B(A[5]), .S(B[2]), .Y(O[1]));
  \$_OAI4_  u2 (.A(A[6]), .B(A[7]), .C(B[3]), .D(B[4]), .Y(O[2]));
  \$_ORNOT_ u3 (.A(B[5]), .B(B[6]), .Y(O[3]));
  \$_AOI3_  u4 (.A(A[0]), .B(B[7]), .C(A[7]), .Y(O[4]));
  assign O[15:5] = 11'h000;
endmodule
