// An OSU-mapped netlist (Yosys `abc -liberty osu018_stdcells.lib`) with
// MUX2X1, whose function differs between OSU and EvoApprox8b netlists.
module m(A, B, O);
  input [7:0] A;
  input [7:0] B;
  output [15:0] O;
  MUX2X1 _1_ (.A(A[0]), .B(A[1]), .S(B[0]), .Y(O[0]));
  NAND2X1 _2_ (.A(A[2]), .B(B[2]), .Y(O[1]));
  assign O[15:2] = 14'h0000;
endmodule
