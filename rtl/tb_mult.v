// Exhaustive test bench for one 8x8 multiplier module: applies all 65,536
// operand pairs (A = i >> 8, B = i & 255, the error map's order) and writes
// one 16-bit product per line, in hex, to the file named by +out=PATH.
// The module is chosen with -DMULT=name.
`timescale 1ns / 1ps
module tb_mult;
  reg  [7:0]  a;
  reg  [7:0]  b;
  wire [15:0] o;
  integer i, fd;
  reg [1023:0] path;
  `MULT dut (.A(a), .B(b), .O(o));
  initial begin
    if (!$value$plusargs("out=%s", path)) path = "products.hex";
    fd = $fopen(path, "w");
    for (i = 0; i < 65536; i = i + 1) begin
      a = i[15:8];
      b = i[7:0];
      #1;
      $fwrite(fd, "%h\n", o);
    end
    $fclose(fd);
    $finish;
  end
endmodule
