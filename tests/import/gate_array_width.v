// A gate array whose input is neither as wide as the array nor one bit.
module m(input [7:0] A, input [7:0] B, output [15:0] O);
  and g[7:0] (O[7:0], A[3:0], B);
  assign O[15:8] = 0;
endmodule
