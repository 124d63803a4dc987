//! Command line of `codesign library`: build the default library, import
//! external netlists into a library, show a library as a table or JSON.

use crate::library::{self, Entry, Library};
use std::path::PathBuf;

/// Arguments of `codesign library`.
#[derive(Debug, clap::Args)]
pub struct LibraryArgs {
    #[command(subcommand)]
    pub command: LibraryCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum LibraryCommand {
    /// Build the default library of built-in designs.
    Build {
        /// Library directory to write (replaced atomically).
        #[arg(long)]
        out: PathBuf,
    },
    /// Show a library: one row per design, sorted by energy.
    Show {
        /// Library directory.
        dir: PathBuf,
        /// Print the entries as JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// `codesign library`.
pub fn library(args: LibraryArgs) -> anyhow::Result<()> {
    match args.command {
        LibraryCommand::Build { out } => {
            let lib = library::build_default(&out)?;
            let signed = lib.entries.iter().filter(|e| e.signed).count();
            tracing::info!(
                "wrote {} designs ({} unsigned, {signed} signed) to {}",
                lib.entries.len(),
                lib.entries.len() - signed,
                out.display()
            );
            print!("{}", table(&lib.by_energy()));
            Ok(())
        }
        LibraryCommand::Show { dir, json } => {
            let lib = Library::load(&dir)?;
            let rows = lib.by_energy();
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                print!("{}", table(&rows));
            }
            Ok(())
        }
    }
}

/// The library as a text table, with the energy model stated below it.
pub fn table(rows: &[&Entry]) -> String {
    let mut s = format!(
        "{:<34} {:<16} {:>3} {:>8} {:>8} {:>7} {:>6} {:>8} {:>7}\n",
        "id", "family", "sgn", "MAE%", "WCE%", "EP%", "gates", "area_ge", "energy"
    );
    for e in rows {
        s += &format!(
            "{:<34} {:<16} {:>3} {:>8.4} {:>8.4} {:>7.2} {:>6} {:>8.1} {:>7.3}\n",
            e.id,
            e.family,
            if e.signed { "s" } else { "u" },
            e.metrics.mae_pct,
            e.metrics.wce_pct,
            e.metrics.ep_pct,
            e.cost.gates,
            e.cost.area_ge,
            e.cost.energy_rel
        );
    }
    s += &format!("{}\n", library::cost::ENERGY_MODEL);
    s
}
