//! Command line of: `codesign report`, `codesign run`, `codesign sweep` (not implemented yet).

/// Arguments of `codesign report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {}

/// `codesign report`.
pub fn report(_args: ReportArgs) -> anyhow::Result<()> {
    anyhow::bail!("`codesign report` is not implemented yet")
}

/// Arguments of `codesign run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {}

/// `codesign run`.
pub fn run(_args: RunArgs) -> anyhow::Result<()> {
    anyhow::bail!("`codesign run` is not implemented yet")
}

/// Arguments of `codesign sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {}

/// `codesign sweep`.
pub fn sweep(_args: SweepArgs) -> anyhow::Result<()> {
    anyhow::bail!("`codesign sweep` is not implemented yet")
}
