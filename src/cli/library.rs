//! Command line of `codesign library`: build the default library, import
//! external netlists into a library, show a library as a table or JSON.

pub use crate::commands::{LibraryArgs, LibraryCommand};
use crate::library::{self, Entry, Library};
use crate::netlist::import::load;
use std::path::PathBuf;

/// `codesign library`.
pub fn library(args: LibraryArgs) -> anyhow::Result<()> {
    match args.command {
        LibraryCommand::Build { out, yosys_area } => {
            let lib = library::build_default(&out)?;
            if yosys_area {
                write_yosys_area(&lib)?;
            }
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
        LibraryCommand::Import {
            files,
            evoapprox,
            out,
            import,
        } => {
            let opts = import.options()?;
            let mut jobs: Vec<(PathBuf, bool)> =
                files.into_iter().map(|f| (f, import.signed)).collect();
            if let Some(dir) = &evoapprox {
                jobs.extend(library::evoapprox::files(dir)?);
            }
            let mut ids = Vec::new();
            for signed in [false, true] {
                let mut netlists = Vec::new();
                for (f, _) in jobs.iter().filter(|j| j.1 == signed) {
                    let imported = load(f, &opts)?;
                    let published = library::evoapprox::published(&crate::io::read_text(f)?);
                    netlists.push((f.clone(), imported.importer, imported.netlist, published));
                }
                if !netlists.is_empty() {
                    ids.extend(library::build::add_imported(&out, netlists, signed)?);
                }
            }
            let lib = Library::load(&out)?;
            let rows: Vec<&Entry> = lib
                .by_energy()
                .into_iter()
                .filter(|e| ids.contains(&e.id))
                .collect();
            print!("{}", table(&rows));
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

/// Synthesize every design of `lib` with Yosys and write `yosys_area.yaml`.
fn write_yosys_area(lib: &Library) -> anyhow::Result<()> {
    use rayon::prelude::*;
    let work = tempfile::tempdir()?;
    let bar = crate::progress::bar(lib.entries.len() as u64, "yosys area");
    let stats: Vec<(String, library::yosys::YosysArea)> = lib
        .entries
        .par_iter()
        .map(|e| {
            let n = lib.netlist(&e.id)?;
            let a = library::yosys::yosys_area(&n, &work.path().join(&e.id))?;
            bar.inc(1);
            Ok((e.id.clone(), a))
        })
        .collect::<crate::error::Result<_>>()?;
    bar.finish_and_clear();
    let map: std::collections::BTreeMap<_, _> = stats.into_iter().collect();
    crate::io::write_yaml(lib.dir.join(library::yosys::FILE), &map)?;
    Ok(())
}
