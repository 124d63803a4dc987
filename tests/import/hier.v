// Source of hierarchical.json (yosys -p "read_verilog hier.v; synth -top mul; write_json hierarchical.json").
module pp(input [7:0] a, input b, output [7:0] p); assign p = a & {8{b}}; endmodule
module mul(input [7:0] A, input [7:0] B, output [15:0] O);
  wire [7:0] p0, p1;
  pp u0 (.a(A), .b(B[0]), .p(p0));
  pp u1 (.a(A), .b(B[1]), .p(p1));
  assign O = {8'b0, p0} + {7'b0, p1, 1'b0};
endmodule
