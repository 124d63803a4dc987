// Gate-primitive instance arrays (Verilog-2001 12.1.2) and delays on gates
// and continuous assigns: each terminal is as wide as the array (bit k to
// the k-th instance) or one bit (shared by all).
module m(input [7:0] A, input [7:0] B, output [15:0] O);
  wire [0:7] n;
  nand g[0:7] (n, A, B);
  not #1 i[7:0] (O[7:0], n);
  xor x[3:0] (O[11:8], A[7:4], B[0]);
  assign #(1,1) O[15:12] = A[3:0] ^ B[7:4];
endmodule
