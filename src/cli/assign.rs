//! Command line of: `codesign assign` (not implemented yet).

/// Arguments of `codesign assign`.
#[derive(Debug, clap::Args)]
pub struct AssignArgs {}

/// `codesign assign`.
pub fn assign(_args: AssignArgs) -> anyhow::Result<()> {
    anyhow::bail!("`codesign assign` is not implemented yet")
}
