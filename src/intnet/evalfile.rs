//! `RUN_DIR/eval.json`: accuracies measured by `codesign eval`, one record
//! per evaluated configuration, keyed by name (`exact` for all-exact
//! multipliers, otherwise the assignment file's stem, e.g. `assignment`).
//! Re-evaluating a configuration replaces its record and keeps the others.

use crate::error::Result;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The multiplier one layer ran with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerMultiplier {
    /// Layer name.
    pub layer: String,
    /// Library design id, or `exact` (the exact product, no library).
    pub multiplier: String,
}

/// One evaluation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvalRecord {
    /// Integer network's name.
    pub network: String,
    /// Assignment file used (`None`: every layer exact).
    pub assignment: Option<String>,
    /// Library directory the multipliers came from.
    pub library: Option<String>,
    /// The multiplier of every multiplying layer.
    pub multipliers: Vec<LayerMultiplier>,
    /// Relative multiplication energy from the assignment (1 when exact).
    pub relative_energy: Option<f64>,
    /// `digits`, `mnist`, `cifar10`.
    pub dataset: String,
    /// `test` or `train`.
    pub split: String,
    /// Images evaluated.
    pub images: usize,
    /// Top-1 accuracy, in `[0, 1]`.
    pub top1: f64,
    /// Only where the network has more than 5 classes.
    pub top5: Option<f64>,
}

/// The whole file.
pub type EvalFile = BTreeMap<String, EvalRecord>;

/// Read `path` if it exists (an empty file set otherwise).
pub fn read(path: &Path) -> Result<EvalFile> {
    if path.exists() {
        crate::io::read_json(path)
    } else {
        Ok(EvalFile::new())
    }
}

/// Add or replace record `key` and write the file atomically.
pub fn update(path: &Path, key: &str, record: EvalRecord) -> Result<EvalFile> {
    let mut file = read(path)?;
    file.insert(key.to_string(), record);
    crate::io::write_json(path, &file)?;
    Ok(file)
}
