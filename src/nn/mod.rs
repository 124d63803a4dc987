//! Training on libtorch: models, fake quantization, AGN search,
//! checkpoints and the sidecar that describes them.

pub mod agn;
pub mod models;
pub mod net;
pub mod quant;
pub mod quantize;
pub mod retrain;
pub mod sidecar;
pub mod train;
