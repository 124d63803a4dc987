//! Command line of: `codesign characterize` (not implemented yet).

/// Arguments of `codesign characterize`.
#[derive(Debug, clap::Args)]
pub struct CharacterizeArgs {}

/// `codesign characterize`.
pub fn characterize(_args: CharacterizeArgs) -> anyhow::Result<()> {
    anyhow::bail!("`codesign characterize` is not implemented yet")
}
