//! Building libraries: the default library from the built-in generators,
//! and adding imported netlists to a library directory.

use super::generators::{self, Design as Generated};
use super::store::{self, Design};
use super::Library;
use crate::error::{Error, Result};
use crate::netlist::Netlist;
use rayon::prelude::*;
use std::path::Path;

/// Build one generated design, checking its netlist against its
/// arithmetic reference (a mismatch is a generator bug, reported as such).
fn build_one(g: &Generated) -> Result<Design> {
    let d = store::characterize(&g.id(), &g.family(), &g.params(), g.signed, g.netlist())?;
    if d.map != g.reference_map() {
        return Err(Error::input(format!(
            "generator bug: {} does not match its arithmetic reference",
            g.id()
        )));
    }
    Ok(d)
}

/// Build the given generated designs (in parallel, with a progress bar).
pub fn build_designs(designs: &[Generated]) -> Result<Vec<Design>> {
    let bar = crate::progress::bar(designs.len() as u64, "characterizing multipliers");
    let out: Vec<Result<Design>> = designs
        .par_iter()
        .map(|g| {
            let d = build_one(g);
            bar.inc(1);
            d
        })
        .collect();
    bar.finish_and_clear();
    out.into_iter().collect()
}

/// Build the default library into `dir`: every design of
/// [`generators::default_designs`]. The library is written into a fresh
/// directory next to `dir` and renamed into place, so `dir` is either the
/// old or the complete new library.
pub fn build_default(dir: &Path) -> Result<Library> {
    let designs = build_designs(&generators::default_designs())?;
    write_new(dir, &designs)?;
    Library::load(dir)
}

/// Write a complete library into `dir`, replacing what is there atomically.
pub fn write_new(dir: &Path, designs: &[Design]) -> Result<()> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".library-build")
        .tempdir_in(parent)
        .map_err(|e| Error::io(parent, e))?;
    store::write(tmp.path(), designs)?;
    if dir.exists() {
        if !dir.join(store::INDEX).exists()
            && std::fs::read_dir(dir)
                .map(|mut d| d.next().is_some())
                .unwrap_or(true)
        {
            return Err(Error::in_file(
                dir,
                "exists, is not empty and holds no library index.yaml; refusing to replace it",
            ));
        }
        let old = tempfile::Builder::new()
            .prefix(".library-old")
            .tempdir_in(parent)
            .map_err(|e| Error::io(parent, e))?;
        let old_path = old.path().join("lib");
        std::fs::rename(dir, &old_path).map_err(|e| Error::io(dir, e))?;
        if let Err(e) = std::fs::rename(tmp.path(), dir) {
            let _ = std::fs::rename(&old_path, dir);
            return Err(Error::io(dir, e));
        }
        drop(old);
    } else {
        std::fs::rename(tmp.path(), dir).map_err(|e| Error::io(dir, e))?;
    }
    // The temporary directory now lives at `dir`; do not delete it.
    let _ = tmp.keep();
    Ok(())
}

/// An identifier for an imported design from its file name: letters,
/// digits and `_`, made unique against `taken`.
pub fn import_id(file: &Path, taken: &[String]) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut id = crate::verilog::names::word_chars(&stem);
    if !id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        id.insert_str(0, "m_");
    }
    let base = id.clone();
    let mut k = 2;
    while taken.contains(&id) {
        id = format!("{base}_{k}");
        k += 1;
    }
    id
}

/// Figures published with a design, by column name ([`super::evoapprox`]).
pub type Published = std::collections::BTreeMap<String, f64>;

/// Add netlists (file each came from, importer used, netlist, published
/// figures) to the
/// library in `dir` (created if missing). Existing designs stay; new ids
/// are derived from the file names.
pub fn add_imported(
    dir: &Path,
    netlists: Vec<(std::path::PathBuf, String, Netlist, Published)>,
    signed: bool,
) -> Result<Vec<String>> {
    let mut entries = if dir.join(store::INDEX).exists() {
        store::read_index(dir)?.entries
    } else {
        Vec::new()
    };
    let mut taken: Vec<String> = entries.iter().map(|e| e.id.clone()).collect();
    let mut plan = Vec::new();
    for (file, importer, n, published) in netlists {
        let id = import_id(&file, &taken);
        taken.push(id.clone());
        plan.push((
            id,
            format!("file={} importer={importer}", file.display()),
            n,
            published,
        ));
    }
    let bar = crate::progress::bar(plan.len() as u64, "characterizing imported multipliers");
    let designs: Vec<Result<Design>> = plan
        .into_par_iter()
        .map(|(id, params, n, published)| {
            // Metrics from the netlist as given; cost on its canonical mapping.
            let d = store::characterize(&id, "imported", &params, signed, n).and_then(|mut d| {
                d.entry.cost = super::cost::canonical_cost(&d.netlist, signed)?;
                d.entry.published = published;
                Ok(d)
            });
            bar.inc(1);
            d
        })
        .collect();
    bar.finish_and_clear();
    let designs: Vec<Design> = designs.into_iter().collect::<Result<_>>()?;
    let ids = designs.iter().map(|d| d.entry.id.clone()).collect();
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    for d in &designs {
        crate::io::write_json(dir.join(format!("{}.json", d.entry.id)), &d.netlist)?;
        crate::io::write_atomic(dir.join(format!("{}.emap", d.entry.id)), &d.map.to_bytes())?;
    }
    entries.extend(designs.into_iter().map(|d| d.entry));
    let index = store::Index {
        version: store::FORMAT_VERSION,
        energy_model: super::cost::ENERGY_MODEL.to_string(),
        cost_flow: Some(store::imported_cost_flow()),
        entries,
    };
    crate::io::write_yaml(dir.join(store::INDEX), &index)?;
    Ok(ids)
}
