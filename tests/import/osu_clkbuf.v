// OSU clock buffers CLKBUF1..3 (Y = A; osu018 Liberty and Verilog models)
// as clock-tree synthesis leaves them in an OSU-mapped netlist.
module m(A, B, O);
  input [7:0] A; input [7:0] B; output [15:0] O;
  wire n1;
  CLKBUF1 c1 (.A(A[0]), .Y(n1));
  CLKBUF2 c2 (.A(n1), .Y(O[0]));
  CLKBUF3 c3 (B[1], O[1]);
  NAND2X1 g0 (.A(A[2]), .B(B[2]), .Y(O[2]));
  assign O[15:3] = 13'b0;
endmodule
