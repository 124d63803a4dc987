//! Training on libtorch: datasets, models, fake quantization, AGN search,
//! checkpoints and the sidecar that describes them.

pub mod sidecar;
pub mod data;
