//! The library on disk: `index.yaml` (format version, the energy model in
//! words, and one [`Entry`] per design) plus, per design, `<id>.json` (the
//! netlist) and `<id>.emap` (the error map). Loading checks everything a
//! later stage relies on and names the file and entry at fault.

use super::{cost, metrics, Entry, Library, Metrics};
use crate::errmap::ErrorMap;
use crate::error::{Error, Result};
use crate::netlist::Netlist;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Version of the on-disk format.
pub const FORMAT_VERSION: u32 = 1;
/// Name of the index file.
pub const INDEX: &str = "index.yaml";

/// What `index.yaml` says about the cost of imported designs: how the
/// metrics and the cost are obtained, the canonical flow
/// ([`super::yosys::CANONICAL_FLOW`]) and its energy model
/// ([`super::energy::ENERGY_MODEL`]).
pub fn imported_cost_flow() -> String {
    format!(
        "imported designs (family `imported`): metrics from exhaustive simulation of the netlist as \
given; cost (gates, area_ge, area_um2, energy_pj, energy_rel) computed on its canonical NanGate45 \
mapping: {}; energy: {}; energy_rel relative to the exact reference multiplier of the same \
signedness mapped the same way; area_ge = area over the NAND2_X1 area. Generated designs: cost of \
the generated netlist (energy_model)",
        super::yosys::CANONICAL_FLOW,
        super::energy::ENERGY_MODEL
    )
}

/// The index file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    /// Index format version.
    pub version: u32,
    /// How `cost.energy_rel` was obtained ([`cost::ENERGY_MODEL`]).
    pub energy_model: String,
    /// How the cost of imported designs is computed ([`imported_cost_flow`]);
    /// absent in a library of generated designs only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_flow: Option<String>,
    /// Designs in index order.
    pub entries: Vec<Entry>,
}

/// A design with everything that goes on disk.
#[derive(Clone, Debug)]
pub struct Design {
    /// The index entry.
    pub entry: Entry,
    /// Gate-level netlist.
    pub netlist: Netlist,
    /// Error of every operand pair.
    pub map: ErrorMap,
}

/// Characterize `netlist` (simulate it exhaustively, metrics, cost) into a
/// library design.
pub fn characterize(
    id: &str,
    family: &str,
    params: &str,
    signed: bool,
    netlist: Netlist,
) -> Result<Design> {
    let map = crate::netlist::sim::exhaustive(&netlist, signed)?;
    let entry = Entry {
        id: id.to_string(),
        family: family.to_string(),
        params: params.to_string(),
        signed,
        metrics: metrics::metrics(&map),
        cost: cost::cost(&netlist, signed)?,
        published: Default::default(),
    };
    Ok(Design {
        entry,
        netlist,
        map,
    })
}

/// Whether `id` is usable as a file name and a Verilog identifier.
pub fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn netlist_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.json"))
}
fn emap_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.emap"))
}

/// Write the designs' files and the index into `dir` (each file atomically;
/// the index last, so a reader never sees an entry without its files).
pub fn write(dir: &Path, designs: &[Design]) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    designs.par_iter().try_for_each(|d| -> Result<()> {
        crate::io::write_json(netlist_path(dir, &d.entry.id), &d.netlist)?;
        crate::io::write_atomic(emap_path(dir, &d.entry.id), &d.map.to_bytes())
    })?;
    let index = Index {
        version: FORMAT_VERSION,
        energy_model: cost::ENERGY_MODEL.to_string(),
        cost_flow: None,
        entries: designs.iter().map(|d| d.entry.clone()).collect(),
    };
    crate::io::write_yaml(dir.join(INDEX), &index)
}

/// Read and check one entry's error map file.
fn read_emap(dir: &Path, e: &Entry) -> Result<ErrorMap> {
    let path = emap_path(dir, &e.id);
    let bytes = crate::io::read_bytes(&path)?;
    ErrorMap::from_bytes(e.signed, &bytes).ok_or_else(|| {
        Error::in_file(
            &path,
            format!(
                "{} bytes, expected {} (65,536 16-bit products)",
                bytes.len(),
                2 * 65536
            ),
        )
    })
}

/// Read and check one entry's netlist file.
fn read_netlist(dir: &Path, e: &Entry) -> Result<Netlist> {
    let path = netlist_path(dir, &e.id);
    let n: Netlist = crate::io::read_json(&path)?;
    crate::netlist::validate::check(&n).map_err(|err| Error::in_file(&path, err))?;
    Ok(n)
}

/// Metrics fields that differ between the index and a recomputation.
fn metrics_mismatch(stored: &Metrics, actual: &Metrics) -> Option<String> {
    let pairs = [
        ("mae", stored.mae, actual.mae),
        ("mae_pct", stored.mae_pct, actual.mae_pct),
        ("wce", stored.wce, actual.wce),
        ("wce_pct", stored.wce_pct, actual.wce_pct),
        ("ep_pct", stored.ep_pct, actual.ep_pct),
        ("mre_pct", stored.mre_pct, actual.mre_pct),
        ("wcre_pct", stored.wcre_pct, actual.wcre_pct),
        ("mse", stored.mse, actual.mse),
        ("bias", stored.bias, actual.bias),
        ("err_std", stored.err_std, actual.err_std),
    ];
    pairs
        .iter()
        .find(|(_, s, a)| {
            let (diff, tol) = ((s - a).abs(), 1e-9 * (1.0 + a.abs()));
            diff.is_nan() || tol.is_nan() || diff > tol
        })
        .map(|(name, s, a)| format!("metrics.{name} is {s}, the error map gives {a}"))
}

/// Check one entry: files present, sizes, netlist valid, error map equal
/// to the netlist's simulation, metrics equal to the map's.
fn check_entry(dir: &Path, e: &Entry) -> Result<()> {
    let map = read_emap(dir, e)?;
    let n = read_netlist(dir, e)?;
    let sim = crate::netlist::sim::exhaustive(&n, e.signed)
        .map_err(|err| Error::in_file(netlist_path(dir, &e.id), err))?;
    if sim != map {
        let (a, b) = (0..=255u8)
            .flat_map(|a| (0..=255u8).map(move |b| (a, b)))
            .find(|&(a, b)| sim.product(a, b) != map.product(a, b))
            .unwrap_or((0, 0));
        return Err(Error::in_file(
            emap_path(dir, &e.id),
            format!(
                "does not match netlist {}.json: at A={a}, B={b} the map holds {} but the netlist computes {}",
                e.id,
                map.product(a, b),
                sim.product(a, b)
            ),
        ));
    }
    if let Some(msg) = metrics_mismatch(&e.metrics, &metrics::metrics(&map)) {
        return Err(Error::in_file(
            dir.join(INDEX),
            format!("entry `{}`: {msg}", e.id),
        ));
    }
    Ok(())
}

/// Read `dir/index.yaml` and check its entries' ids (format, duplicates).
pub fn read_index(dir: &Path) -> Result<Index> {
    let path = dir.join(INDEX);
    if !path.exists() {
        return Err(Error::in_file(
            &path,
            "no such file (not a multiplier library; build one with `codesign library build`)",
        ));
    }
    let index: Index = crate::io::read_yaml(&path)?;
    if index.version != FORMAT_VERSION {
        return Err(Error::in_file(
            &path,
            format!(
                "format version {} is not supported (expected {FORMAT_VERSION})",
                index.version
            ),
        ));
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (k, e) in index.entries.iter().enumerate() {
        if !valid_id(&e.id) {
            return Err(Error::in_file(
                &path,
                format!(
                    "entry {k}: id `{}` must be letters, digits and `_`, not starting with a digit",
                    e.id
                ),
            ));
        }
        if let Some(first) = seen.insert(&e.id, k) {
            return Err(Error::in_file(
                &path,
                format!("entry {k}: id `{}` already used by entry {first}", e.id),
            ));
        }
    }
    Ok(index)
}

impl Library {
    /// Load `dir` and validate every entry (each entry's fields, files and error map are checked).
    pub fn load(dir: &Path) -> Result<Library> {
        let index = read_index(dir)?;
        let results: Vec<Result<()>> = index
            .entries
            .par_iter()
            .map(|e| check_entry(dir, e))
            .collect();
        results.into_iter().collect::<Result<Vec<()>>>()?;
        Ok(Library {
            dir: dir.to_path_buf(),
            entries: index.entries,
        })
    }

    fn known(&self, id: &str) -> Result<&Entry> {
        self.entry(id).ok_or_else(|| {
            Error::in_file(
                self.dir.join(INDEX),
                format!("no multiplier `{id}` in the library"),
            )
        })
    }

    /// Error map of design `id`.
    pub fn error_map(&self, id: &str) -> Result<ErrorMap> {
        read_emap(&self.dir, self.known(id)?)
    }

    /// Netlist of design `id`.
    pub fn netlist(&self, id: &str) -> Result<Netlist> {
        read_netlist(&self.dir, self.known(id)?)
    }

    /// Entries sorted by energy (then id), for tables.
    pub fn by_energy(&self) -> Vec<&Entry> {
        let mut v: Vec<&Entry> = self.entries.iter().collect();
        v.sort_by(|a, b| {
            a.cost
                .energy_rel
                .total_cmp(&b.cost.energy_rel)
                .then_with(|| a.id.cmp(&b.id))
        });
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::generators::{Design as Gen, Spec};

    /// A two-design library in a fresh directory.
    fn small() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let designs: Vec<Design> = [
            Spec::Truncation {
                k: 4,
                compensated: false,
            },
            Spec::Drum { k: 4 },
        ]
        .into_iter()
        .map(|s| {
            let g = Gen::new(s, false);
            characterize(&g.id(), &g.family(), &g.params(), false, g.netlist()).unwrap()
        })
        .collect();
        write(dir.path(), &designs).unwrap();
        dir
    }

    fn load_err(dir: &Path) -> String {
        Library::load(dir).unwrap_err().to_string()
    }

    #[test]
    fn round_trip() {
        let dir = small();
        let lib = Library::load(dir.path()).unwrap();
        assert_eq!(lib.entries.len(), 2);
        let m = lib.error_map("u_drum_k4").unwrap();
        assert_eq!(m.product(200, 1), 208);
        assert_eq!(
            lib.netlist("u_drum_k4").unwrap(),
            Gen::new(Spec::Drum { k: 4 }, false).netlist()
        );
        assert!(lib
            .error_map("nope")
            .unwrap_err()
            .to_string()
            .contains("no multiplier `nope`"));
    }

    #[test]
    fn missing_and_truncated_files_are_named() {
        let dir = small();
        std::fs::remove_file(dir.path().join("u_drum_k4.emap")).unwrap();
        assert!(
            load_err(dir.path()).contains("u_drum_k4.emap"),
            "{}",
            load_err(dir.path())
        );
        let dir = small();
        std::fs::write(dir.path().join("u_truncation_k4.emap"), [0u8; 100]).unwrap();
        let e = load_err(dir.path());
        assert!(
            e.contains("u_truncation_k4.emap: 100 bytes, expected 131072"),
            "{e}"
        );
        let dir = small();
        std::fs::write(dir.path().join("u_drum_k4.json"), "{\"name\": ").unwrap();
        let e = load_err(dir.path());
        assert!(e.contains("u_drum_k4.json:1"), "{e}");
    }

    #[test]
    fn map_that_disagrees_with_netlist_is_named() {
        let dir = small();
        // Put the truncation's map under the DRUM entry.
        std::fs::copy(
            dir.path().join("u_truncation_k4.emap"),
            dir.path().join("u_drum_k4.emap"),
        )
        .unwrap();
        let e = load_err(dir.path());
        assert!(
            e.contains("u_drum_k4.emap: does not match netlist u_drum_k4.json: at A="),
            "{e}"
        );
    }

    #[test]
    fn index_errors_are_named() {
        let dir = small();
        let path = dir.path().join(INDEX);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("id: u_drum_k4", "id: u_truncation_k4")).unwrap();
        let e = load_err(dir.path());
        assert!(
            e.contains("index.yaml: entry 1: id `u_truncation_k4` already used by entry 0"),
            "{e}"
        );

        let dir = small();
        let path = dir.path().join(INDEX);
        let mut index: Index = crate::io::read_yaml(&path).unwrap();
        index.entries[1].metrics.mae_pct += 1.0;
        crate::io::write_yaml(&path, &index).unwrap();
        let e = load_err(dir.path());
        assert!(e.contains("entry `u_drum_k4`: metrics.mae_pct is"), "{e}");

        let dir = small();
        std::fs::write(dir.path().join(INDEX), "version: 1\nentries: 3\n").unwrap();
        let e = load_err(dir.path());
        assert!(e.contains("index.yaml:"), "{e}");
        let empty = tempfile::tempdir().unwrap();
        assert!(load_err(empty.path()).contains("not a multiplier library"));
    }
}
