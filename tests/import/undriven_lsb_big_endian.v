// A truncated product written big-endian (`output [0:15] O`: O[15] is the
// LSB) whose two least significant bits are left unconnected.
module m(input [0:7] A, input [0:7] B, output [0:15] O);
  and g0 (O[0], A[0], B[0]);
  assign O[1:13] = 13'b0;
endmodule
