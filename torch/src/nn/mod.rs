//! Training on libtorch: models, fake quantization, AGN search,
//! checkpoints (their YAML sidecar is `codesign::sidecar`, read without libtorch).

pub mod agn;
pub(crate) mod cpu;
pub mod models;
pub mod net;
pub mod normal;
pub mod quant;
pub mod quantize;
pub mod retrain;
pub mod ste;
pub mod train;

/// A libtorch error as the core crate's error (the core does not link
/// libtorch, so it cannot name `tch::TchError`).
pub(crate) fn torch_error(e: tch::TchError) -> codesign::Error {
    codesign::Error::Torch(e.to_string())
}
