// Test bench of an exported accelerator (top module chosen with -DTOP=name).
// For each of the images in +images=PATH (default images.hex; IN_LEN raw
// pixels each; +n=K of them, at most N_IMAGES, default N_IMAGES): load
// the pixels through the input port, pulse start, count clock cycles until
// done, then read every tensor back through the debug port (lengths in
// tensor_lens.hex) and write it to the file named by +out=PATH:
//   "image <i> cycles <n>", then per tensor "tensor <t>" and one hex word
//   (32 bits, two's complement) per line.
`timescale 1ns / 1ps
module tb_accel;
  parameter N_IMAGES  = 1;
  parameter IN_LEN    = 1;
  parameter N_TENSORS = 1;
  parameter MAX_CYCLES = 100000000;

  reg         clk = 1'b0;
  reg         rst = 1'b1;
  reg         start = 1'b0;
  reg         in_we = 1'b0;
  reg  [31:0] in_addr = 32'd0;
  reg  [7:0]  in_data = 8'd0;
  reg  [7:0]  dbg_sel = 8'd0;
  reg  [31:0] dbg_addr = 32'd0;
  wire [31:0] dbg_data;
  wire        done;

  `TOP dut (
    .clk(clk), .rst(rst), .start(start), .done(done),
    .in_we(in_we), .in_addr(in_addr), .in_data(in_data),
    .dbg_sel(dbg_sel), .dbg_addr(dbg_addr), .dbg_data(dbg_data)
  );

  always #5 clk = ~clk;

  reg [7:0]  images [0:N_IMAGES*IN_LEN-1];
  reg [31:0] lens [0:N_TENSORS-1];
  reg [1023:0] path, image_path;
  integer fd, img, i, t, cycles, n;

  initial begin
    if (!$value$plusargs("out=%s", path)) path = "cosim_out.txt";
    if (!$value$plusargs("images=%s", image_path)) image_path = "images.hex";
    if (!$value$plusargs("n=%d", n) || n > N_IMAGES) n = N_IMAGES;
    $readmemh(image_path, images, 0, n*IN_LEN-1);
    $readmemh("tensor_lens.hex", lens);
    fd = $fopen(path, "w");
    repeat (3) @(posedge clk);
    @(negedge clk) rst = 1'b0;
    for (img = 0; img < n; img = img + 1) begin
      for (i = 0; i < IN_LEN; i = i + 1) begin
        @(negedge clk);
        in_we = 1'b1; in_addr = i; in_data = images[img*IN_LEN + i];
      end
      @(negedge clk) in_we = 1'b0; start = 1'b1;
      @(negedge clk) start = 1'b0;
      cycles = 1;
      while (!done && cycles < MAX_CYCLES) begin
        @(negedge clk);
        cycles = cycles + 1;
      end
      $fwrite(fd, "image %0d cycles %0d\n", img, done ? cycles : -1);
      for (t = 0; t < N_TENSORS; t = t + 1) begin
        $fwrite(fd, "tensor %0d\n", t);
        for (i = 0; i < lens[t]; i = i + 1) begin
          // The buffers' read ports are registered: the word arrives
          // after the next clock edge.
          dbg_sel = t; dbg_addr = i;
          @(posedge clk);
          #1;
          $fwrite(fd, "%h\n", dbg_data);
        end
      end
    end
    $fclose(fd);
    $finish;
  end
endmodule
