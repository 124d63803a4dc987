//! EvoApproxLib checkouts: which files are 8x8 multipliers, their
//! signedness, and the figures their headers publish (kept as extra
//! columns of the library, e.g. `PDK45_PWR` in mW, to be chosen as the
//! assignment's cost as the paper does).
//!
//! Header forms read: EvoApproxLib's `// PDK45_PWR = 0.052 mW`,
//! `// PDK45_AREA = 172.2 um2`, `// PDK45_DELAY = 0.89 ns`, and the
//! legacy EvoApprox8b `// Power  (45) = 0.218300`, `// Area   (45) = 508`,
//! `// Delay  (45) = 0.89` (mapped to the same names).

use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Name of the published 45 nm power column (mW).
pub const POWER: &str = "PDK45_PWR";

/// Every numeric `// KEY = value [unit]` line of a netlist's header (the
/// first 60 lines), by `KEY` with its white space folded (`MAE`, `EP%`,
/// `Power (45)`, `PDK45_PWR`, ...).
pub fn header(text: &str) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for line in text.lines().take(60) {
        let Some(rest) = line.trim_start().strip_prefix("//") else {
            continue;
        };
        let Some((key, value)) = rest.split_once('=') else {
            continue;
        };
        let key = key.split_whitespace().collect::<Vec<_>>().join(" ");
        let value = value
            .trim()
            .trim_end_matches(|c: char| c.is_alphabetic() || c == '%');
        if let Some(v) = value.split_whitespace().next().and_then(|v| v.parse().ok()) {
            out.entry(key).or_insert(v);
        }
    }
    out
}

/// The published 45 nm figures of an EvoApprox netlist's header, by
/// column name (`PDK45_PWR`, `PDK45_AREA`, `PDK45_DELAY`).
pub fn published(text: &str) -> BTreeMap<String, f64> {
    header(text)
        .into_iter()
        .filter_map(|(k, v)| {
            let name = match k.as_str() {
                "PDK45_PWR" | "Power (45)" => "PDK45_PWR",
                "PDK45_AREA" | "Area (45)" => "PDK45_AREA",
                "PDK45_DELAY" | "Delay (45)" => "PDK45_DELAY",
                _ => return None,
            };
            Some((name.to_string(), v))
        })
        .collect()
}

/// Every 8x8 multiplier netlist under `dir` (files `mul8*.v`, sorted) with
/// its signedness (`mul8s_*` signed, other `mul8*` unsigned).
pub fn files(dir: &Path) -> Result<Vec<(PathBuf, bool)>> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let rd = std::fs::read_dir(&d).map_err(|e| Error::io(&d, e))?;
        for e in rd {
            let p = e.map_err(|e| Error::io(&d, e))?.path();
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if p.is_dir() {
                stack.push(p);
            } else if name.starts_with("mul8") && name.ends_with(".v") {
                out.push((p, name.starts_with("mul8s")));
            }
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(Error::in_file(
            dir,
            "no EvoApprox 8x8 multiplier (`mul8*.v`) in it",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_header_forms() {
        let new = "// MAE% = 3.08 %\n// PDK45_PWR = 0.052 mW\n// PDK45_AREA = 172.2 um2\n";
        let p = published(new);
        assert_eq!(p["PDK45_PWR"], 0.052);
        assert_eq!(p["PDK45_AREA"], 172.2);
        let old = "// Area   (45) = 508.000000\n// Power  (45) = 0.218300\n// MAE = 329.88\n";
        let p = published(old);
        assert_eq!(p["PDK45_PWR"], 0.2183);
        assert_eq!(p["PDK45_AREA"], 508.0);
        assert_eq!(p.len(), 2);
        let h = header("// MAE = 2016 \n// EP% = 98.05 %\n// MSE = 72829.102e2 \n// EP = 98.5 %\n");
        assert_eq!(
            (h["MAE"], h["EP%"], h["EP"], h["MSE"]),
            (2016.0, 98.05, 98.5, 7282910.2)
        );
    }
}
