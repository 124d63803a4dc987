//! The report's data: what `report.json` holds (documented in the README).
//! Every other output (Markdown, HTML, CSV, Accelergy tables) is rendered
//! from this one value, so they cannot disagree.

use super::energy::{Breakdown, Constant};
use crate::library::{Cost, Metrics};
use serde::{Deserialize, Serialize};

/// Version of the `report.json` layout.
pub const REPORT_VERSION: u32 = 1;

/// Top-1 accuracies (0..1) at each stage; `None` where the stage has not run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Accuracy {
    /// Float baseline (tch).
    pub baseline: Option<f64>,
    /// Quantization-aware training (tch, fake quantization).
    pub qat: Option<f64>,
    /// After AGN search (tch, noise off).
    pub agn: Option<f64>,
    /// Integer network with exact multipliers (bit-exact simulation).
    pub exact: Option<f64>,
    /// Integer network with the assigned approximate multipliers (after the
    /// accuracy-budget repair).
    pub approx: Option<f64>,
    /// Integer network with the error model's unrepaired choice (the
    /// paper's assignment).
    #[serde(default)]
    pub approx_paper: Option<f64>,
    /// After approximate retraining, with the assigned multipliers.
    pub retrained: Option<f64>,
}

/// Per-inference energy of the network.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Energy {
    /// `sum_l macs_l * E(M_l) / (sum_l macs_l * E(exact))` (the paper's
    /// figure), of the assignment the run uses.
    pub relative_multiplication: Option<f64>,
    /// The same of the error model's unrepaired choice.
    #[serde(default)]
    pub relative_multiplication_paper: Option<f64>,
    /// Datapath energy (multiplications, accumulation, requantization,
    /// buffer accesses) with the assigned multipliers over the same with exact ones.
    pub relative_datapath: Option<f64>,
    /// Multiplication energy per inference, exact multipliers, pJ.
    pub multiplication_exact_pj: f64,
    /// Multiplication energy per inference, assigned multipliers, pJ.
    pub multiplication_approx_pj: Option<f64>,
    /// Datapath energy per inference, exact multipliers, pJ.
    pub datapath_exact_pj: f64,
    /// Datapath energy per inference, assigned multipliers, pJ.
    pub datapath_approx_pj: Option<f64>,
    /// Network totals by operation.
    pub breakdown_exact: Breakdown,
    /// The same with the assigned multipliers (`None` before assignment).
    pub breakdown_approx: Option<Breakdown>,
    /// Every per-operation constant with its source.
    pub constants: Vec<Constant>,
    /// How the datapath estimate counts.
    pub assumptions: Vec<String>,
    /// System energy per inference of the all-exact accelerator that was
    /// built: its access counts times per-access energies, every part
    /// (pJ; [`super::system`]). `None` without its export and synthesis.
    #[serde(default)]
    pub system_exact_pj: Option<f64>,
    /// The same of the heterogeneous accelerator.
    #[serde(default)]
    pub system_approx_pj: Option<f64>,
    /// `system_exact_pj` by part.
    #[serde(default)]
    pub system_breakdown_exact: Option<super::system::SystemBreakdown>,
    /// `system_approx_pj` by part.
    #[serde(default)]
    pub system_breakdown_approx: Option<super::system::SystemBreakdown>,
    /// How the system energy counts, with the sources of its figures.
    #[serde(default)]
    pub system_model: Vec<String>,
    /// The all-exact accelerator's logic energy from gate-level
    /// simulation beside the system model's (`rtl_exact/gatesim.json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate_level_exact: Option<GateLevel>,
    /// The same of the heterogeneous accelerator (`rtl/gatesim.json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate_level_approx: Option<GateLevel>,
}

/// Logic energy per inference of one accelerator two ways: from the
/// switching activity of its mapped netlist on real images
/// ([`crate::eda::gatesim`]) and from the system model's logic parts
/// (multipliers, adders and accumulators, requantization, pool and
/// residual units, clock; [`super::system`]). Memories and leakage are
/// the same model in both and left out.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GateLevel {
    /// Images simulated.
    pub images: usize,
    /// Images whose tensors differ from the integer simulation.
    pub mismatches: usize,
    /// Clock cycles per inference in the simulation.
    pub cycles_per_inference: f64,
    /// Energy from simulated activity by what drives the nets (pJ).
    pub activity: crate::eda::gatesim::GateEnergy,
    /// The system model's operations (multipliers, adders and
    /// accumulators, requantization, pool and residual units; pJ).
    pub model_operations_pj: f64,
    /// The system model's clock (pJ).
    pub model_clock_pj: f64,
    /// Datapath and control nets (`activity` less its clock) over
    /// `model_operations_pj`, minus 1: the comparison that tests the
    /// model (the clock is the same formula in both).
    pub difference_datapath: f64,
    /// `activity.total_pj / (model_operations_pj + model_clock_pj) - 1`.
    pub difference_total: f64,
}

/// One memory macro of the heterogeneous accelerator with its model
/// figures (`synth.json`) and accesses per inference (the schedule).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MemoryRow {
    /// Instance path from the top (`buf_conv1`, `u_conv1.w_rom`).
    pub name: String,
    /// `activations`, `weights`, `bias`, `requant_mult`, `requant_shift`.
    pub kind: String,
    /// Words.
    pub depth: usize,
    /// Bits per word.
    pub width: u32,
    /// Read ports.
    pub read_ports: u32,
    /// Write ports (0 for a ROM).
    pub write_ports: u32,
    /// Area (µm², 45 nm).
    pub area_um2: f64,
    /// Energy per word read (pJ).
    pub read_pj: f64,
    /// Energy per word write (pJ).
    pub write_pj: f64,
    /// Standby leakage (µW).
    pub leakage_uw: f64,
    /// Word reads per inference.
    pub reads: u64,
    /// Word writes per inference.
    pub writes: u64,
    /// Where the figures come from (CACTI configuration or the per-bit model).
    pub source: String,
}

/// Area from synthesis (NAND2 equivalents).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Area {
    /// The same accelerator with exact multipliers everywhere.
    pub exact_ge: Option<f64>,
    /// The heterogeneous accelerator with the assigned multipliers.
    pub approx_ge: Option<f64>,
    /// `approx_ge / exact_ge`.
    pub relative: Option<f64>,
    /// Sum over layers of the assigned multipliers' library area (one lane each).
    pub multipliers_approx_ge: Option<f64>,
    /// The same with the exact multiplier.
    pub multipliers_exact_ge: Option<f64>,
    /// Where the synthesized heterogeneous accelerator's area goes.
    #[serde(default)]
    pub breakdown_approx: Option<AreaBreakdown>,
    /// The same for the all-exact accelerator.
    #[serde(default)]
    pub breakdown_exact: Option<AreaBreakdown>,
    /// The all-exact accelerator mapped to a Liberty library (NanGate45),
    /// memories from the SRAM model (µm²; `None` for the generic flow).
    #[serde(default)]
    pub exact_um2: Option<f64>,
    /// The heterogeneous accelerator, the same way (µm²).
    #[serde(default)]
    pub approx_um2: Option<f64>,
    /// The Liberty library the µm² figures come from.
    #[serde(default)]
    pub liberty: Option<String>,
    /// Where the all-exact accelerator's µm² go.
    #[serde(default)]
    pub breakdown_exact_um2: Option<AreaBreakdownUm2>,
    /// Where the heterogeneous accelerator's µm² go.
    #[serde(default)]
    pub breakdown_approx_um2: Option<AreaBreakdownUm2>,
}

/// Static timing of both accelerators (`synth.json`'s `timing`, see
/// [`crate::eda::sta::Timing`]: `fmax_mhz`, `critical_path_ns`,
/// `critical_path` {`start`, `end`}, `inferences_per_s`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    /// The all-exact accelerator.
    pub exact: Option<crate::eda::sta::Timing>,
    /// The heterogeneous accelerator.
    pub approx: Option<crate::eda::sta::Timing>,
}

/// A Liberty-mapped accelerator's area by part (µm²); the parts sum to
/// `total`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AreaBreakdownUm2 {
    /// The multipliers: lanes x mapped multiplier module, all engines.
    pub multipliers: f64,
    /// The engines' other logic: accumulators, requantizer, control.
    pub engine_logic: f64,
    /// Memory macros: activation buffers and the engines' ROMs (SRAM model).
    pub memories: f64,
    /// Pooling and residual units, sequencer, top-level glue.
    pub other: f64,
    /// Logic plus memories.
    pub total: f64,
}

/// A synthesized accelerator's area by part (NAND2 equivalents).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AreaBreakdown {
    /// MAC engines: lanes, ROM macros, control, accumulators, requantizer.
    pub engines_ge: f64,
    /// Of the engines, the multipliers: lanes x synthesized multiplier.
    pub multipliers_ge: f64,
    /// Activation buffers (memory macros).
    pub buffers_ge: f64,
    /// Pooling and residual units, sequencer, top-level glue.
    pub other_ge: f64,
    /// Of the whole, the memory macros (activation buffers and the
    /// engines' ROMs; area from the stated SRAM model, not synthesized).
    #[serde(default)]
    pub memories_ge: f64,
}

/// RTL co-simulation against the Rust integer simulation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cosim {
    /// Images co-simulated.
    pub images: Option<u64>,
    /// Images whose RTL outputs differ from the integer simulation.
    pub mismatches: Option<u64>,
    /// Mean clock cycles per image in RTL simulation.
    pub cycles_per_inference: Option<f64>,
    /// Simulator used (`iverilog` or `verilator`).
    pub simulator: Option<String>,
    /// Multiplier modules checked on their own (exhaustive simulation and
    /// equivalence proof), and how many of them failed.
    #[serde(default)]
    pub multipliers_checked: Option<u64>,
    #[serde(default)]
    /// Of those, how many failed a check.
    pub multipliers_failed: Option<u64>,
    /// Whether the RTL's event counters equal the schedule's access counts.
    #[serde(default)]
    pub counters_match_schedule: Option<bool>,
}

/// The assigned multiplier of a layer and its library record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Multiplier {
    /// Library id of the multiplier.
    pub id: String,
    /// Generator family (e.g. `truncated`, `drum`), if recorded.
    pub family: Option<String>,
    /// Error metrics from the library record.
    pub metrics: Option<Metrics>,
    /// Synthesized area, delay and power from the library record.
    pub cost: Option<Cost>,
}

/// One multiplying layer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Layer {
    /// Layer name in the network.
    pub name: String,
    /// `conv` or `linear`.
    pub kind: String,
    /// Weight shape.
    pub shape: Vec<usize>,
    /// Multiply-accumulates per inference.
    pub macs: u64,
    /// Products summed per output value.
    pub fan_in: u64,
    /// Output values per inference.
    pub outputs: u64,
    /// Learned noise level `sigma_l` (AGN).
    pub sigma: Option<f64>,
    /// `sigma_l * std(y_l)`, accumulator units.
    pub tolerance: Option<f64>,
    /// The multiplier the assignment chose (`None` before assignment).
    pub multiplier: Option<Multiplier>,
    /// Error std at the layer output predicted by the error model.
    pub predicted_std: Option<f64>,
    /// Error std measured in bit-exact simulation.
    pub measured_std: Option<f64>,
    /// Energy of one multiplication relative to the exact multiplier.
    pub energy_rel: f64,
    /// Energy of one multiplication with the assigned multiplier, pJ.
    pub energy_per_mult_pj: f64,
    /// Energy of one MAC (multiplication + 32-bit accumulation), pJ.
    pub energy_per_mac_pj: f64,
    /// Energy of one 64-bit access to this layer's weight buffer, pJ.
    pub weight_access_pj: f64,
    /// Energy of one 64-bit access to this layer's activation buffer, pJ.
    pub activation_access_pj: f64,
    /// Multiplication energy of the layer per inference, pJ (assigned / exact).
    pub multiplication_pj: f64,
    /// Of which the exact multiplications, pJ (for `energy_rel`).
    pub multiplication_exact_pj: f64,
    /// Datapath energy of the layer per inference, pJ (assigned / exact).
    pub datapath_pj: f64,
    /// Of which with exact multipliers, pJ.
    pub datapath_exact_pj: f64,
    /// The layer's energy by operation, pJ per inference.
    pub breakdown: Breakdown,
    /// Synthesized area of the layer's engine, NAND2 equivalents.
    pub engine_area_ge: Option<f64>,
    /// The same engine with the exact multiplier.
    pub engine_area_exact_ge: Option<f64>,
    /// The assigned multiplier's energy per multiplication on the operand
    /// stream this layer's lanes see on real images (pJ; NanGate45
    /// switching energy, `rtl/cosim.json` `stream_energy`).
    #[serde(default)]
    pub mult_real_stream_pj: Option<f64>,
    /// The same multiplier on uniform random operands (pJ).
    #[serde(default)]
    pub mult_uniform_pj: Option<f64>,
}

/// One point of a lambda sweep.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// AGN weight `lambda` of this run.
    pub lambda: f64,
    /// Accuracy (test split) of the integer network with the assigned
    /// multipliers (after the accuracy-budget repair).
    pub accuracy: Option<f64>,
    /// The same with the error model's unrepaired choice (the paper's).
    #[serde(default)]
    pub accuracy_paper: Option<f64>,
    /// The same after approximate retraining (from the repaired assignment).
    #[serde(default)]
    pub accuracy_retrained: Option<f64>,
    /// Accuracy with exact multipliers (same AGN checkpoint).
    pub exact_accuracy: Option<f64>,
    /// Multiplication energy with the assigned multipliers over exact ones.
    pub relative_energy: f64,
    /// The same of the error model's unrepaired choice.
    #[serde(default)]
    pub relative_energy_paper: Option<f64>,
    /// Learned sigma per layer.
    pub sigmas: Vec<f64>,
    /// Assigned multiplier per layer.
    pub multipliers: Vec<String>,
    /// The error model's unrepaired choice per layer.
    #[serde(default)]
    pub multipliers_paper: Option<Vec<String>>,
}

/// `sweep.json`, written by `codesign sweep`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// Path of the config the sweep ran.
    pub config: String,
    /// Sweep points in lambda order.
    pub points: Vec<SweepPoint>,
}

/// What the error-model validation says overall.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorModelSummary {
    /// Error model name to share of (layer, multiplier) pairs whose
    /// measured/predicted ratio lies in [0.8, 1.25].
    pub share_within: std::collections::BTreeMap<String, f64>,
    /// Every (predicted, measured) pair, for the scatter plot.
    pub pairs: Vec<ErrorPair>,
    /// Every layer approximate at once (`error_model.json` `network`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network: Vec<crate::errmodel::network::NetworkCheck>,
}

/// One predicted-vs-measured error pair.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorPair {
    /// Layer name.
    pub layer: String,
    /// Library id of the multiplier.
    pub multiplier: String,
    /// Error model that made the prediction.
    pub model: String,
    /// Predicted error std at the layer output, accumulator units.
    pub predicted_std: f64,
    /// Measured error std at the layer output, accumulator units.
    pub measured_std: f64,
    /// Set where the prediction misses the measurement: the pair's
    /// predicted error is visible (above `errmodel::validate::RELATIVE_THRESHOLD`
    /// of `std(y)`) and predicted / measured lies outside
    /// `errmodel::validate::WINDOW` (`under-predicted` or `over-predicted`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
}

/// The whole report.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Report format version.
    pub version: u32,
    /// Run name (from the config).
    pub name: String,
    /// Model kind, if the config names one.
    pub model: Option<String>,
    /// Data set, if the config names one.
    pub dataset: Option<String>,
    /// Multiplier library path.
    pub library: Option<String>,
    /// How the library's imported designs were costed (its `index.yaml`
    /// `cost_flow`: the canonical NanGate45 mapping), if it states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library_cost_flow: Option<String>,
    /// Per stage: `done` or `not run`.
    pub stages: std::collections::BTreeMap<String, String>,
    /// Test accuracies by stage.
    pub accuracy: Accuracy,
    /// Energy estimate per inference.
    pub energy: Energy,
    /// Synthesized area.
    pub area: Area,
    /// Static timing (OpenSTA) of the Liberty-mapped accelerators.
    #[serde(default)]
    pub timing: Timing,
    /// Memory macros of the heterogeneous accelerator.
    #[serde(default)]
    pub memories: Vec<MemoryRow>,
    /// RTL co-simulation results.
    pub cosim: Cosim,
    /// Multiplying layers in network order.
    pub layers: Vec<Layer>,
    /// Error-model validation summary, when it ran.
    pub error_model: Option<ErrorModelSummary>,
    /// Lambda sweep, when `sweep.json` exists.
    pub sweep: Option<Sweep>,
    /// The HTML report as headless Chromium rendered it (`None`: not checked).
    pub browser: Option<super::browser::BrowserCheck>,
    /// Files that were read, relative to the run directory.
    pub sources: Vec<String>,
    /// Problems found while reading (a part shown as not run, with why).
    pub notes: Vec<String>,
}
