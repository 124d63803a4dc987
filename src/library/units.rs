//! Energy per operation of the accelerator's non-multiplier arithmetic
//! (accumulator and bias adders, the requantization multiplier, the
//! pooling compare/add, the residual add's constant multipliers) from a
//! Liberty standard-cell library instead of generic constants: each unit
//! is written as one Verilog expression of the width the RTL uses
//! (`rtl/mac_engine.v`, `rtl/pool.v`, `rtl/residual_add.v`), mapped by
//! Yosys and ABC to the library's cells as the accelerator is
//! (`synth; abc -liberty`), checked against its arithmetic, and its
//! switching energy taken on uniform random operands by
//! [`super::energy::switching_words`] (zero-delay toggles weighted by the
//! Liberty's internal power, pin and wire capacitances).

use super::energy::{switching_words, MappedNetlist, PowerLibrary};
use crate::error::{Error, Result};
use crate::tool::{path_arg, run, Tool};
use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Operand pairs per unit (transitions + 1), fixed seed.
const PAIRS: usize = 2001;
/// Seed of the operand streams.
const SEED: u64 = 0x5eed_0015;
/// Format of the mapping cache's key; bump when the mapping script changes.
const KEY_VERSION: &str = "codesign unit mapping 1";

/// One arithmetic unit: name, operand widths `[A, B, O]` and its Verilog
/// expression of `A` and `B`.
struct Unit {
    name: &'static str,
    widths: [usize; 3],
    expr: &'static str,
}

/// The units, with the widths of the RTL (rtl/*.v).
const UNITS: &[Unit] = &[
    // Pool: one 8-bit compare/add per window read.
    Unit {
        name: "add8",
        widths: [8, 8, 9],
        expr: "A + B",
    },
    // MAC engine: 32-bit accumulate (acc + term) and bias add.
    Unit {
        name: "add32",
        widths: [32, 32, 33],
        expr: "A + B",
    },
    // Requantization: the 32-bit sum times the multiplier of at most 17
    // significant bits (mac_engine.v `sum * {1'b0, mult_w}`).
    Unit {
        name: "mult32x17",
        widths: [32, 17, 49],
        expr: "A * B",
    },
    // Residual add: a 33-bit operand times a constant below 2^24
    // (residual_add.v `av * MA25`), twice per element.
    Unit {
        name: "mult33x25",
        widths: [33, 25, 58],
        expr: "A * B",
    },
];

/// Liberty-derived energy per operation of the units (pJ).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitEnergies {
    /// 8-bit add (pooling compare/add per window read).
    pub add8_pj: f64,
    /// 32-bit add (accumulate, bias add, rounding add).
    pub add32_pj: f64,
    /// 32 x 17-bit multiply (requantization).
    pub mult32x17_pj: f64,
    /// 33 x 25-bit multiply (one operand of a residual add).
    pub mult33x25_pj: f64,
    /// How the figures were obtained, with the library.
    pub source: String,
}

/// Words of `bits` random bits.
fn random_words(rng: &mut rand_chacha::ChaCha8Rng, bits: usize) -> u64 {
    let w: u64 = rng.random();
    if bits >= 64 {
        w
    } else {
        w & ((1u64 << bits) - 1)
    }
}

/// The uniform random operand pairs of unit `u` (fixed seed).
fn operands(u: &Unit) -> Vec<(u64, u64)> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(SEED);
    (0..PAIRS)
        .map(|_| {
            let a = random_words(&mut rng, u.widths[0]);
            (a, random_words(&mut rng, u.widths[1]))
        })
        .collect()
}

/// Map `u` to the cells of `lib` and return its switching energy per
/// operation (pJ) on uniform random operands. Errors: a tool failing, or
/// the mapping not computing the unit's arithmetic (a tool fault).
fn unit_energy(u: &Unit, lib: &PowerLibrary, cache: &MapCache) -> Result<f64> {
    let m = map_unit(u, lib, cache)?;
    Ok(switching_words(&m, lib, &operands(u))?.energy_pj)
}

/// Where mappings are made and kept.
struct MapCache<'a> {
    /// Yosys's working folder.
    work: &'a Path,
    /// The cache folder ([`crate::eda::bottom_up::cache_dir`]), if any.
    dir: Option<&'a Path>,
    /// The keys' common start: format, `yosys -V` and the Liberty file
    /// (read and hashed once for all units).
    preamble: Sha256,
}

impl<'a> MapCache<'a> {
    fn new(work: &'a Path, dir: Option<&'a Path>, lib: &PowerLibrary) -> Result<MapCache<'a>> {
        Ok(MapCache {
            work,
            dir,
            preamble: crate::eda::bottom_up::key_preamble(KEY_VERSION, &[&lib.path])?,
        })
    }
}

/// `u` mapped to the cells of `lib` by Yosys and ABC (or taken from the
/// cache), checked on its operands against its arithmetic.
fn map_unit(u: &Unit, lib: &PowerLibrary, cache: &MapCache) -> Result<MappedNetlist> {
    let work = cache.work;
    let [wa, wb, wo] = u.widths;
    let src = format!(
        "module {n} (input [{a}:0] A, input [{b}:0] B, output [{o}:0] O);\n  assign O = {e};\nendmodule\n",
        n = u.name,
        a = wa - 1,
        b = wb - 1,
        o = wo - 1,
        e = u.expr
    );
    // The mapping is a function of the source, the Liberty file and the
    // Yosys version: kept in the synthesis cache (`eda::bottom_up`).
    let mut key = cache.preamble.clone();
    key.update(&src);
    let blif = work.join(format!("{}.blif", u.name));
    let (text, _) = crate::eda::bottom_up::through_cache(
        cache.dir,
        &format!("{:x}.blif", key.finalize()),
        || {
            let v = work.join(format!("{}.v", u.name));
            crate::io::write_atomic(&v, src.as_bytes())?;
            let script = format!(
                "read_verilog {v}; synth -flatten -top {n}; abc -liberty {lib}; opt_clean; write_blif -gates {b}",
                v = path_arg(&v)?,
                n = u.name,
                lib = path_arg(&lib.path)?,
                b = path_arg(&blif)?,
            );
            run(Tool::Yosys, &["-q", "-p", &script], work, None)?;
            crate::io::read_text(&blif)
        },
    )?;
    let m = MappedNetlist::from_blif_ports(&text, &blif, lib, u.widths)?;
    let pairs = operands(u);
    let got = m.outputs(lib, &pairs)?;
    let mask = if wo >= 64 { !0 } else { (1u64 << wo) - 1 };
    for (&(a, b), &o) in pairs.iter().zip(&got) {
        let want = if u.expr.contains('*') {
            a.wrapping_mul(b)
        } else {
            a.wrapping_add(b)
        } & mask;
        if o != want {
            return Err(Error::tool(format!(
                "unit `{}` mapped to {}: {a} and {b} give {o}, expected {want}",
                u.name, lib.name
            )));
        }
    }
    Ok(m)
}

/// The energies of every unit mapped to `lib` (Yosys and ABC runs in a
/// temporary directory, in parallel, a few seconds; none when the
/// synthesis cache has the mappings). Errors: a tool failing or a
/// mapping that does not compute its unit.
pub fn unit_energies(lib: &PowerLibrary) -> Result<UnitEnergies> {
    unit_energies_in(lib, crate::eda::bottom_up::cache_dir().as_deref())
}

/// [`unit_energies`] with the cache folder `cache` (`None`: no cache).
fn unit_energies_in(lib: &PowerLibrary, cache: Option<&Path>) -> Result<UnitEnergies> {
    let work = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let cache = MapCache::new(work.path(), cache, lib)?;
    let e: Vec<f64> = UNITS
        .par_iter()
        .map(|u| unit_energy(u, lib, &cache))
        .collect::<Result<_>>()?;
    Ok(UnitEnergies {
        add8_pj: e[0],
        add32_pj: e[1],
        mult32x17_pj: e[2],
        mult33x25_pj: e[3],
        source: format!(
            "{}: each unit (8- and 32-bit adders, 32x17 and 33x25-bit multipliers, the RTL's widths) mapped by Yosys/ABC (`synth; abc -liberty`), checked on its operands, switching energy on {} uniform random operand pairs (zero-delay toggles x Liberty internal power and pin/wire capacitance; src/library/units.rs)",
            lib.name,
            PAIRS - 1
        ),
    })
}

/// [`unit_energies`] of the library at `path`, computed once per process.
pub fn cached(path: &std::path::Path) -> Result<UnitEnergies> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<std::path::PathBuf, UnitEnergies>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(e) = cache.lock().expect("unit energy cache").get(path) {
        return Ok(e.clone());
    }
    let e = unit_energies(&*PowerLibrary::cached(path)?)?;
    cache
        .lock()
        .expect("unit energy cache")
        .insert(path.to_path_buf(), e.clone());
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tool::tools_for_test;

    /// The units of NanGate45 compute their arithmetic (checked inside)
    /// and cost what their size says: a wider adder more than a narrower
    /// one, a multiplier more than an adder of its operand width, and the
    /// 8-bit adder less than the library's exact 8x8 multiplier would.
    #[test]
    fn nangate45_units_are_ordered_by_size() {
        let path = crate::library::energy::nangate45_path();
        if !path.is_file() {
            crate::tool::skip_test("no NanGate45 Liberty file (scripts/pdk.sh)");
            return;
        }
        if !tools_for_test(&[Tool::Yosys]) {
            return;
        }
        let lib = PowerLibrary::cached(&path).unwrap();
        let e = unit_energies(&lib).unwrap();
        eprintln!("{e:?}");
        for v in [e.add8_pj, e.add32_pj, e.mult32x17_pj, e.mult33x25_pj] {
            assert!(v.is_finite() && v > 0.0, "{e:?}");
        }
        // An n-bit ripple or prefix adder's toggles grow at least
        // linearly with n; a k-bit multiplier has k partial-product rows.
        assert!(e.add32_pj > 2.0 * e.add8_pj, "{e:?}");
        assert!(e.mult32x17_pj > 8.0 * e.add32_pj, "{e:?}");
        assert!(e.mult33x25_pj > e.mult32x17_pj, "{e:?}");
        // The simulated output toggles of the 32-bit adder equal the bit
        // flips of consecutive sums computed here by integer arithmetic.
        let work = tempfile::tempdir().unwrap();
        let cache = MapCache::new(work.path(), None, &lib).unwrap();
        let m = map_unit(&UNITS[1], &lib, &cache).unwrap();
        let pairs = operands(&UNITS[1]);
        let s = switching_words(&m, &lib, &pairs).unwrap();
        let simulated: u64 =
            m.o.iter()
                .map(|&n| s.rises[n as usize] + s.falls[n as usize])
                .sum();
        let flips: u64 = pairs
            .windows(2)
            .map(|w| ((w[0].0 + w[0].1) ^ (w[1].0 + w[1].1)).count_ones() as u64)
            .sum();
        assert_eq!(simulated, flips);
        // Deterministic: the same figures again, mapped without a cache,
        // into an empty one, and from it (one mapping per unit kept).
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(unit_energies_in(&lib, None).unwrap(), e);
        assert_eq!(unit_energies_in(&lib, Some(dir.path())).unwrap(), e);
        let kept = || std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(kept(), UNITS.len());
        assert_eq!(unit_energies_in(&lib, Some(dir.path())).unwrap(), e);
        assert_eq!(kept(), UNITS.len());
        // The kept mappings are what is read: spoiled, they fail the check.
        for f in std::fs::read_dir(dir.path()).unwrap() {
            std::fs::write(f.unwrap().path(), ".model x\n.end\n").unwrap();
        }
        assert!(unit_energies_in(&lib, Some(dir.path())).is_err());
    }
}
