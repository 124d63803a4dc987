// Runs N units one after another: pulses unit_start[i], waits for
// unit_done[i], goes on with unit i+1; after the last one pulses done.
// active[i] is high from unit i's start pulse until the sequencer has seen
// its done: every cycle in which unit i reads a buffer (the top multiplexes
// each buffer's read port on it; when no unit is active, the debug port).
`default_nettype none
module sequencer #(
  parameter N  = 1,  // units
  parameter SW = 1   // stage counter width, 2^SW > N
) (
  input  wire         clk,
  input  wire         rst,
  input  wire         start,
  input  wire [N-1:0] unit_done,
  output wire [N-1:0] unit_start,
  output wire [N-1:0] active,
  output reg          done
);
  reg [SW-1:0] stage;
  reg          busy;
  reg          kick;
  always @(posedge clk) begin
    if (rst) begin
      stage <= {SW{1'b0}};
      busy  <= 1'b0;
      kick  <= 1'b0;
      done  <= 1'b0;
    end else begin
      kick <= 1'b0;
      done <= 1'b0;
      if (start && !busy) begin
        stage <= {SW{1'b0}};
        busy  <= 1'b1;
        kick  <= 1'b1;
      end else if (busy && unit_done[stage]) begin
        if (stage == N - 1) begin
          busy <= 1'b0;
          done <= 1'b1;
        end else begin
          stage <= stage + 1'b1;
          kick  <= 1'b1;
        end
      end
    end
  end
  genvar i;
  generate
    for (i = 0; i < N; i = i + 1) begin : st
      assign unit_start[i] = kick && (stage == i);
      assign active[i]     = busy && (stage == i);
    end
  endgenerate
endmodule
`default_nettype wire
