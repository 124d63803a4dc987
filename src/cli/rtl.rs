//! Command line of: `codesign export-rtl`, `codesign synth`, `codesign cosim` (not implemented yet).

/// Arguments of `codesign export-rtl`.
#[derive(Debug, clap::Args)]
pub struct ExportRtlArgs {}

/// `codesign export-rtl`.
pub fn export_rtl(_args: ExportRtlArgs) -> anyhow::Result<()> {
    anyhow::bail!("`codesign export-rtl` is not implemented yet")
}

/// Arguments of `codesign synth`.
#[derive(Debug, clap::Args)]
pub struct SynthArgs {}

/// `codesign synth`.
pub fn synth(_args: SynthArgs) -> anyhow::Result<()> {
    anyhow::bail!("`codesign synth` is not implemented yet")
}

/// Arguments of `codesign cosim`.
#[derive(Debug, clap::Args)]
pub struct CosimArgs {}

/// `codesign cosim`.
pub fn cosim(_args: CosimArgs) -> anyhow::Result<()> {
    anyhow::bail!("`codesign cosim` is not implemented yet")
}
