//! Training on libtorch: models, fake quantization, AGN search,
//! checkpoints (their YAML sidecar is `crate::sidecar`, read without libtorch).

pub mod agn;
pub mod models;
pub mod net;
pub mod quant;
pub mod quantize;
pub mod retrain;
pub mod train;
