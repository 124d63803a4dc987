//! Command line of: `codesign eval` (not implemented yet).

/// Arguments of `codesign eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {}

/// `codesign eval`.
pub fn eval(_args: EvalArgs) -> anyhow::Result<()> {
    anyhow::bail!("`codesign eval` is not implemented yet")
}
