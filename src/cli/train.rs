//! Command line of: `codesign train`, `codesign quantize`, `codesign retrain` (not implemented yet).

/// Arguments of `codesign train`.
#[derive(Debug, clap::Args)]
pub struct TrainArgs {}

/// `codesign train`.
pub fn train(_args: TrainArgs) -> anyhow::Result<()> {
    anyhow::bail!("`codesign train` is not implemented yet")
}

/// Arguments of `codesign quantize`.
#[derive(Debug, clap::Args)]
pub struct QuantizeArgs {}

/// `codesign quantize`.
pub fn quantize(_args: QuantizeArgs) -> anyhow::Result<()> {
    anyhow::bail!("`codesign quantize` is not implemented yet")
}

/// Arguments of `codesign retrain`.
#[derive(Debug, clap::Args)]
pub struct RetrainArgs {}

/// `codesign retrain`.
pub fn retrain(_args: RetrainArgs) -> anyhow::Result<()> {
    anyhow::bail!("`codesign retrain` is not implemented yet")
}
