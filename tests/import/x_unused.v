// As Yosys write_verilog leaves it: an x on a net no output reads.
module m(A, B, O);
  input [7:0] A;
  input [7:0] B;
  output [15:0] O;
  wire [3:0] spare;
  assign spare = 4'hx;
  assign O = {8'h00, A & B};
endmodule
