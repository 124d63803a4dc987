// A cell library as vendors ship it: timescale, celldefine, specify
// blocks, a UDP table and sequential cells the netlist does not use.
`timescale 1ns/10ps
`celldefine
module VXOR2 (A, B, Y);
  input A;
  input B;
  output Y;
  xor (Y, A, B);
  specify
    specparam tpd = 0.1;
    (A *> Y) = (tpd, tpd);
    (B *> Y) = (tpd, tpd);
  endspecify
endmodule
`endcelldefine

primitive udp_mux (out, in0, in1, sel);
  output out;
  input in0, in1, sel;
  table
    0 ? 0 : 0;
    1 ? 0 : 1;
    ? 0 1 : 0;
    ? 1 1 : 1;
  endtable
endprimitive

`celldefine
module VMUX2 (A, B, S, Y);
  input A, B, S;
  output Y;
  udp_mux u0 (Y, A, B, S);
endmodule
`endcelldefine

`celldefine
module VDFF (CLK, D, Q);
  input CLK, D;
  output Q;
  reg Q;
  always @(posedge CLK) Q <= D;
endmodule
`endcelldefine
