//! The YAML sidecar written next to every checkpoint (`<stage>.yaml` beside
//! `<stage>.safetensors`): what later stages need to know about the trained
//! network without loading libtorch.

use serde::{Deserialize, Serialize};

/// One multiplying layer of the trained network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerInfo {
    /// Same name as the integer network's node.
    pub name: String,
    /// `conv` or `linear`.
    pub kind: String,
    /// Weight shape, e.g. `[16, 3, 3, 3]`.
    pub shape: Vec<usize>,
    /// Multiply-accumulates per inference.
    pub macs: u64,
    /// Learned noise level `sigma_l` (initial value before AGN search).
    pub sigma: f64,
    /// Quantization parameters (fake-quantized stages only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quant: Option<LayerQuant>,
}

/// How a layer is quantized: `real = scale * int` for its input, weights
/// (per output channel) and output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerQuant {
    /// Input activation scale.
    pub input_scale: f64,
    /// Weight scale per output channel.
    pub weight_scales: Vec<f64>,
    /// `None` for a layer that outputs raw accumulators.
    pub output_scale: Option<f64>,
}

/// Sidecar of one checkpoint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sidecar {
    /// `baseline`, `qat`, `agn` or `retrain`.
    pub stage: String,
    /// Model name from the config.
    pub model: String,
    /// Data set name from the config.
    pub dataset: String,
    /// Training seed.
    pub seed: u64,
    /// Epochs trained in this stage.
    pub epochs: usize,
    /// Test accuracy (0..1) of this checkpoint, evaluated by the tch model.
    pub test_accuracy: f64,
    /// AGN `lambda` (0 outside AGN search).
    pub lambda: f64,
    /// Every multiplying layer, in network order.
    pub layers: Vec<LayerInfo>,
}
