// Library cells plus a behavioural vector `+`: O = A + B.
module add(A, B, O);
  input [7:0] A;
  input [7:0] B;
  output [15:0] O;
  wire s, c;
  HAX1 h0 (.A(A[0]), .B(B[0]), .YS(s), .YC(c));
  assign O = {{8'b0, A[7:1]} + {8'b0, B[7:1]} + {14'b0, c}, s};
endmodule
