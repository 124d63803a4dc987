//! The hand-written Verilog blocks of `rtl/`, compiled into the binary so
//! an export never depends on where the crate was built.

/// `(file name, text)` of a block.
pub type Block = (&'static str, &'static str);

/// Activation buffer memory macro.
pub const ACT_MEM: Block = ("act_mem.v", include_str!("../../rtl/act_mem.v"));
/// Read-only memory macro (weights, bias, requantization constants).
pub const ROM: Block = ("rom.v", include_str!("../../rtl/rom.v"));
/// Sequencer: starts the units one after another.
pub const SEQUENCER: Block = ("sequencer.v", include_str!("../../rtl/sequencer.v"));
/// Parameterized MAC engine.
pub const MAC_ENGINE: Block = ("mac_engine.v", include_str!("../../rtl/mac_engine.v"));
/// Max / average pooling unit.
pub const POOL: Block = ("pool.v", include_str!("../../rtl/pool.v"));
/// Residual addition unit.
pub const RESIDUAL_ADD: Block = ("residual_add.v", include_str!("../../rtl/residual_add.v"));
/// Simulation-only event counters, one definition for every unit that
/// counts (MAC engine, pool, residual add); empty for synthesis.
pub const SIM_COUNTERS: Block = ("sim_counters.v", include_str!("../../rtl/sim_counters.v"));
/// Testbench of the whole accelerator.
pub const TB_ACCEL: Block = ("tb_accel.v", include_str!("../../rtl/tb_accel.v"));

/// Module names of the blocks (reserved in every design's module scope).
pub const MODULE_NAMES: &[&str] = &[
    "act_mem",
    "rom",
    "sequencer",
    "mac_engine",
    "pool",
    "residual_add",
    "sim_counters",
    "tb_accel",
    "tb_mult",
];

/// The memory macros: simulated from their behavioural models, read by
/// synthesis as black boxes (`read_verilog -lib`).
pub const MACROS: &[Block] = &[ACT_MEM, ROM];
