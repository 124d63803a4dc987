//! Multiplier assignment: per layer, the lowest-energy multiplier whose
//! predicted error stays within the learned tolerance. Reads only the error
//! model's predictions and the library's costs.
//! Stored as `assignment.yaml`.

use serde::{Deserialize, Serialize};

/// The choice for one layer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerChoice {
    pub layer: String,
    /// Library design id.
    pub multiplier: String,
    /// Predicted standard deviation of the error at the layer output
    /// (accumulator units).
    pub predicted_std: f64,
    /// `sigma_l * std(y_l)`.
    pub tolerance: f64,
    pub macs: u64,
    /// Energy per multiplication relative to the exact multiplier.
    pub energy_rel: f64,
}

/// A whole assignment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// Library directory the ids refer to.
    pub library: String,
    /// `population` or `per-channel`.
    pub model: String,
    pub layers: Vec<LayerChoice>,
    /// `sum_l (macs_l / macs_total) * E(M_l) / E(exact)`.
    pub relative_energy: f64,
}
