//! Training on libtorch: datasets, models, fake quantization, AGN search,
//! checkpoints and the sidecar that describes them.

pub mod sidecar;
pub mod data;
pub mod quant;
pub mod net;
pub mod models;
pub mod agn;
pub mod train;
pub mod quantize;
pub mod retrain;
