//! Command line of: `codesign library` (not implemented yet).

/// Arguments of `codesign library`.
#[derive(Debug, clap::Args)]
pub struct LibraryArgs {}

/// `codesign library`.
pub fn library(_args: LibraryArgs) -> anyhow::Result<()> {
    anyhow::bail!("`codesign library` is not implemented yet")
}
