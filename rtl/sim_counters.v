// Simulation-only event counters of one unit (MAC engine, pool, residual
// add), the one definition the three blocks instantiate under
// `ifndef SYNTHESIS. Each enable counts one event per clock edge it is
// high; `clear` (the unit's start) zeroes them; on `done` the counts are
// printed for the co-simulation's access counts (src/eda/activity.rs):
//   counters <unit path> act_reads N other_reads N weight_rows N mac_cycles N writes N
// Synthesis never sees this module: the whole file is skipped there.
`ifndef SYNTHESIS
`default_nettype none
module sim_counters (
  input wire clk,
  input wire clear,
  input wire done,
  input wire act,     // activation buffer read
  input wire other,   // second operand buffer read (residual add)
  input wire wrow,    // weight row read
  input wire mac,     // cycle in which the lanes accumulate
  input wire write    // output write
);
  integer n_act = 0, n_other = 0, n_wrow = 0, n_mac = 0, n_write = 0;
  always @(posedge clk) begin
    if (clear) begin
      n_act <= 0; n_other <= 0; n_wrow <= 0; n_mac <= 0; n_write <= 0;
    end else begin
      if (act) n_act <= n_act + 1;
      if (other) n_other <= n_other + 1;
      if (wrow) n_wrow <= n_wrow + 1;
      if (mac) n_mac <= n_mac + 1;
      if (write) n_write <= n_write + 1;
    end
    // %m: the unit's path plus `.counters`; activity.rs keys on the unit.
    if (done)
      $display("counters %m act_reads %0d other_reads %0d weight_rows %0d mac_cycles %0d writes %0d",
               n_act, n_other, n_wrow, n_mac, n_write);
  end
endmodule
`default_nettype wire
`endif
