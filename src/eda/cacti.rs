//! SRAM macro figures from CACTI 7 (the source shipped in the PyPI package
//! `hwcomponents-cacti` 1.0.40, rebuilt by `scripts/pdk.sh` into the
//! git-ignored [`CACTI_DIR`]): per memory its area, read and write energy
//! per access, leakage and access time at 45 nm, cached per configuration.
//!
//! Configuration ([`CACTI_CONFIG`]): the package's `default_cfg.cfg`
//! (ITRS low-standby-power cells and periphery, "fast" access mode, 300 K,
//! one bank, no ECC) plus a plain RAM (`cache type "ram"`) of one
//! read-write port, a block of one word (`ceil(width / 8)` bytes) and the
//! depth rounded up to a power of two (CACTI organizes power-of-two
//! arrays; the macro is that array). A memory with `R` read ports is `R`
//! such arrays sharing the write (replication, as in
//! [`crate::rtl::memory`]). Arrays under CACTI's minimum of 64 bytes, or
//! ones CACTI finds no organization for, keep the per-bit model of
//! [`crate::rtl::memory::model`], and their `source` says so.

use crate::error::{Error, Result};
use crate::rtl::memory::{self, MemoryArea, MemoryInfo};
use std::path::{Path, PathBuf};

/// Where `scripts/pdk.sh` builds CACTI, relative to the project root:
/// `default_cfg.cfg` and the source folder `cacti/` with the binary.
pub const CACTI_DIR: &str = ".cacti";

/// The CACTI build the commands use by default: `$CODESIGN_CACTI`, else
/// [`CACTI_DIR`] of the source tree ([`crate::tool::installed`]).
pub fn default_dir() -> PathBuf {
    crate::tool::installed(CACTI_DIR, "CODESIGN_CACTI")
}

/// The CACTI configuration, as every CACTI-modelled memory's `source`
/// states it.
pub const CACTI_CONFIG: &str = "CACTI 7 (hwcomponents-cacti 1.0.40 source, default_cfg.cfg: itrs-lstp cells and periphery, fast access, 300 K, 1 bank), 45 nm, cache type ram, 1 read-write port, block = one word (ceil(width/8) bytes), depth rounded up to a power of two; R read ports = R replicated arrays";

/// Smallest array CACTI models (bytes): it refuses smaller ones.
pub const CACTI_MIN_BYTES: u64 = 64;

/// CACTI's figures for one array.
#[derive(Clone, Debug, PartialEq)]
pub struct Array {
    /// Access time (ns).
    pub access_ns: f64,
    /// Random cycle time (ns).
    pub cycle_ns: f64,
    /// Dynamic energy of one read (pJ).
    pub read_pj: f64,
    /// Dynamic energy of one write (pJ).
    pub write_pj: f64,
    /// Standby leakage power (µW).
    pub leakage_uw: f64,
    /// Area (µm²).
    pub area_um2: f64,
}

/// The last result row of CACTI's CSV output (`<infile>.out`).
fn parse_csv(text: &str, path: &Path) -> Result<Array> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<&str> = lines
        .next()
        .ok_or_else(|| Error::in_file(path, "empty CACTI output"))?
        .split(',')
        .map(str::trim)
        .collect();
    let row: Vec<&str> = lines
        .next_back()
        .ok_or_else(|| Error::in_file(path, "CACTI output without a result row"))?
        .split(',')
        .map(str::trim)
        .collect();
    let col = |name: &str| -> Result<f64> {
        let i = header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| Error::in_file(path, format!("no column `{name}`")))?;
        row.get(i)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| Error::in_file(path, format!("column `{name}`: not a number")))
    };
    Ok(Array {
        access_ns: col("Access time (ns)")?,
        cycle_ns: col("Random cycle time (ns)")?,
        read_pj: col("Dynamic read energy (nJ)")? * 1e3,
        write_pj: col("Dynamic write energy (nJ)")? * 1e3,
        leakage_uw: col("Standby leakage per bank(mW)")? * 1e3,
        area_um2: col("Area (mm2)")? * 1e6,
    })
}

/// CACTI's figures for a RAM of `bytes` bytes in blocks of `block`
/// bytes at 45 nm, from the cache `dir/cache/` or by running CACTI from
/// its source folder `dir/cacti`. `Ok(None)`: CACTI ran but found no
/// organization (or refused the size).
pub fn array(dir: &Path, bytes: u64, block: u64) -> Result<Option<Array>> {
    // Absolute: CACTI starts in its own source folder.
    let dir = &std::path::absolute(dir).map_err(|e| Error::io(dir, e))?;
    let cache = dir.join("cache");
    std::fs::create_dir_all(&cache).map_err(|e| Error::io(&cache, e))?;
    let key = cache.join(format!("ram_45nm_{bytes}B_block{block}B.csv"));
    if let Ok(text) = crate::io::read_text(&key) {
        return parse_csv(&text, &key).map(Some);
    }
    if bytes < CACTI_MIN_BYTES {
        return Ok(None);
    }
    let base = crate::io::read_text(dir.join("default_cfg.cfg"))?;
    let cfg = format!(
        "{base}\n-size (bytes) {bytes}\n-read-write port  1\n-block size (bytes) {block}\n\
         -technology (u) 0.045\n-output/input bus width  {}\n-UCA bank 1\n-cache type \"ram\"\n\
         -tag size (b) 0\n-associativity 1\n",
        block * 8
    );
    // A per-process input file: CACTI appends to `<infile>.out`.
    let input = cache.join(format!(
        "ram_45nm_{bytes}B_block{block}B.{}.cfg",
        std::process::id()
    ));
    crate::io::write_atomic(&input, cfg.as_bytes())?;
    let out = PathBuf::from(format!("{}.out", input.display()));
    let _ = std::fs::remove_file(&out);
    let src = dir.join("cacti");
    let run = std::process::Command::new(src.join("cacti"))
        .arg("-infile")
        .arg(std::path::absolute(&input).map_err(|e| Error::io(&input, e))?)
        .current_dir(&src)
        .output()
        .map_err(|e| {
            Error::tool(format!(
                "cannot start CACTI in {} ({e}); scripts/pdk.sh builds it",
                src.display()
            ))
        })?;
    let _ = std::fs::remove_file(&input);
    if !run.status.success() || !out.is_file() {
        let _ = std::fs::remove_file(&out);
        return Ok(None);
    }
    let text = crate::io::read_text(&out)?;
    let _ = std::fs::remove_file(&out);
    let a = parse_csv(&text, &key)?;
    crate::io::write_atomic(&key, text.as_bytes())?;
    Ok(Some(a))
}

/// Area, per-access energy, leakage and access time of memory `m` from
/// CACTI (see the module doc), else from the per-bit model with the
/// reason in `source`.
pub fn model(m: &MemoryInfo, dir: &Path) -> Result<MemoryArea> {
    let block = (m.width as u64).div_ceil(8).max(1);
    let depth = (m.depth as u64).max(1).next_power_of_two();
    let bytes = depth * block;
    let Some(a) = array(dir, bytes, block)? else {
        let mut fallback = memory::model(m);
        fallback.source = format!(
            "{} (CACTI does not model this {bytes}-byte array: below {CACTI_MIN_BYTES} bytes or no organization found)",
            fallback.source
        );
        return Ok(fallback);
    };
    Ok(memory::replicated(
        m,
        memory::ArrayFigures {
            area_um2: a.area_um2,
            read_pj: a.read_pj,
            write_pj: a.write_pj,
            leakage_uw: a.leakage_uw,
            access_ns: a.access_ns,
            source: CACTI_CONFIG.to_string(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CACTI build of `scripts/pdk.sh`, if present.
    fn cacti() -> Option<PathBuf> {
        let d = default_dir();
        if d.join("cacti").join("cacti").is_file() {
            Some(d)
        } else {
            crate::tool::skip_test("CACTI not built; scripts/pdk.sh builds it");
            None
        }
    }

    #[test]
    fn cacti_reproduces_the_8_kib_reference_array() {
        let Some(dir) = cacti() else { return };
        // The hardware-numbers issue's figures: 8 KiB of 64-bit words at
        // 45 nm: 1.06 ns, 6.1 pJ read, 7.9 pJ write, 0.026 mm².
        let a = array(&dir, 8192, 8).unwrap().unwrap();
        assert!((a.access_ns - 1.06).abs() < 0.01, "{a:?}");
        assert!((a.read_pj - 6.1).abs() < 0.05, "{a:?}");
        assert!((a.write_pj - 7.9).abs() < 0.05, "{a:?}");
        assert!((a.area_um2 - 26_000.0).abs() < 500.0, "{a:?}");
        // Cached: the second call reads the same figures back.
        assert_eq!(array(&dir, 8192, 8).unwrap().unwrap(), a);
    }

    #[test]
    fn small_arrays_keep_the_per_bit_model() {
        let Some(dir) = cacti() else { return };
        let m = MemoryInfo {
            name: "tiny".into(),
            kind: memory::MemoryKind::RequantShift,
            module: "rom".into(),
            unit: None,
            depth: 10,
            width: 8,
            read_ports: 1,
            write_ports: 0,
            registered_read: false,
            init: None,
        };
        let a = model(&m, &dir).unwrap();
        assert_eq!(a.area_um2, memory::model(&m).area_um2);
        assert!(a.source.contains("CACTI does not model"), "{}", a.source);
    }
}
