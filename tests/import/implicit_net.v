module m(A,B,O); input [7:0] A; input [7:0] B; output [15:0] O; and g1 (t, A[0], B[0]); assign O = {15'b0, t}; endmodule
