//! Calibration statistics for the error model, measured on the integer
//! network with exact multipliers (so that histograms are of the very
//! operands the multipliers see): per multiplying layer, the weight
//! histogram, `S` receptive-field activation histograms, the fan-in and the
//! standard deviation of the exact accumulator outputs.
//! Stored as `RUN_DIR/calibration.json`.

use serde::{Deserialize, Serialize};

/// Calibration of one multiplying layer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerCalib {
    pub name: String,
    /// Products summed per output value (`in_ch * k * k`).
    pub fan_in: usize,
    /// Histogram over weight bytes (index = `w as u8`, two's complement).
    pub weight_hist: Vec<u64>,
    /// `S` histograms over activation bytes, one per sampled receptive field.
    pub act_hists: Vec<Vec<u32>>,
    /// Standard deviation of the exact accumulators (bias excluded) over
    /// the calibration data, in accumulator units.
    pub y_std: f64,
}

/// Calibration of the whole network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Images drawn and seed, for the record.
    pub images: usize,
    pub seed: u64,
    pub layers: Vec<LayerCalib>,
}
