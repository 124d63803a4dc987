//! The multiplier library: built-in generators, importers of external
//! netlists, exact characterization (metrics from the error map) and cost
//! (area, switching energy). On disk: `index.yaml` plus, per design,
//! `<id>.json` (the netlist) and `<id>.emap` (the error map, 65,536
//! little-endian 16-bit products).
//!
//! Later stages use only [`Library::load`], [`Library::entry`],
//! [`Library::error_map`] and [`Library::netlist`].

pub mod build;
pub mod cost;
pub mod energy;
pub mod evoapprox;
pub mod generators;
pub mod metrics;
pub mod store;
pub mod units;
pub mod yosys;

pub use build::build_default;

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Error metrics over all 65,536 operand pairs (EvoApprox8b definitions).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Mean absolute error.
    pub mae: f64,
    /// MAE in percent of the output range `2^16`.
    pub mae_pct: f64,
    /// Worst-case absolute error.
    pub wce: f64,
    /// WCE in percent of the output range `2^16`.
    pub wce_pct: f64,
    /// Error probability: share of operand pairs with a wrong product, percent.
    pub ep_pct: f64,
    /// Mean relative error over pairs with a nonzero exact product, percent.
    pub mre_pct: f64,
    /// Worst-case relative error, percent.
    pub wcre_pct: f64,
    /// Mean squared error.
    pub mse: f64,
    /// Mean error (approximate minus exact).
    pub bias: f64,
    /// Standard deviation of the error.
    pub err_std: f64,
}

/// Hardware cost of one design.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    /// Number of logic cells (constants and buffers excluded).
    pub gates: usize,
    /// Area in NAND2 equivalents.
    pub area_ge: f64,
    /// Energy per multiplication relative to the exact multiplier of the
    /// same signedness (switching-activity model, uniform operands).
    pub energy_rel: f64,
    /// Area in µm² of the canonical NanGate45 mapping ([`cost::canonical_cost`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_um2: Option<f64>,
    /// Switching energy per multiplication in pJ of the canonical NanGate45
    /// mapping, uniform operands ([`energy::switching_energy`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy_pj: Option<f64>,
}

/// One design in the library index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Unique, filesystem- and Verilog-safe identifier.
    pub id: String,
    /// Family (`exact_array`, `truncation`, `drum`, ..., `imported`).
    pub family: String,
    /// Family parameters or source file, human readable.
    pub params: String,
    /// Two's complement operands (else unsigned).
    pub signed: bool,
    /// Error metrics over all operand pairs.
    pub metrics: Metrics,
    /// Synthesized hardware cost.
    pub cost: Cost,
    /// Figures published with the design (e.g. EvoApprox `PDK45_PWR`, mW;
    /// see [`evoapprox`]); empty for generated designs.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub published: std::collections::BTreeMap<String, f64>,
}

/// A loaded library directory.
#[derive(Clone, Debug)]
pub struct Library {
    /// The library directory ([`store::INDEX`] and one Verilog file per design).
    pub dir: PathBuf,
    /// Designs in index order.
    pub entries: Vec<Entry>,
}

impl Library {
    /// The entry called `id`.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }
}
