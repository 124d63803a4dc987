//! Built-in multiplier generators. Every design is a [`Design`]: a family
//! with parameters and a signedness, which builds a gate-level netlist
//! (ports `A`, `B`: 8 bits, `O`: 16 bits) and has an arithmetic reference
//! function that its netlist must equal on every operand pair.

pub mod circuit;
pub mod compressor;
pub mod drum;
pub mod kulkarni;
pub mod matrix;
pub mod mitchell;
pub mod ppsum;

use crate::errmap::ErrorMap;
use crate::netlist::Netlist;
use circuit::{Circuit, Sig};
pub use compressor::Kind as CompressorKind;
pub use ppsum::Reducer;

/// A family and its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Spec {
    /// Exact multiplier with the given reducer.
    Exact(Reducer),
    /// Partial-product columns below `k` dropped (Dadda tree); with
    /// `compensated`, their expected value is added back as a constant.
    Truncation {
        /// Columns `0..k` of the partial-product matrix are dropped.
        k: usize,
        /// Add the dropped bits' expected value back as a constant.
        compensated: bool,
    },
    /// Broken-array multiplier (carry-save array).
    Broken {
        /// Horizontal break level: partial-product rows below it omitted.
        hbl: usize,
        /// Vertical break level: cells in columns below it omitted.
        vbl: usize,
    },
    /// Operand `A` loses `ka` low bits, `B` loses `kb` (exact Dadda core).
    OperandTrunc {
        /// Low bits of `A` forced to 0.
        ka: usize,
        /// Low bits of `B` forced to 0.
        kb: usize,
    },
    /// Kulkarni 2x2-block multiplier; blocks with digit sum `< level` approximate.
    Kulkarni {
        /// Blocks whose digit sum is below this use the approximate 2x2 block.
        level: usize,
    },
    /// DRUM with `k`-bit segments.
    Drum {
        /// Segment width, bits.
        k: usize,
    },
    /// Mitchell logarithmic multiplier with `w` fraction bits.
    Mitchell {
        /// Fraction bits of the logarithm.
        w: usize,
    },
    /// Approximate 4:2 compressors in the columns below `t`.
    Compressor {
        /// Which approximate 4:2 compressor.
        kind: CompressorKind,
        /// Columns `0..t` use it; the others are exact.
        t: usize,
    },
}

impl Spec {
    /// Families defined on the Baugh-Wooley matrix directly; the others
    /// become signed through a sign-magnitude wrapper.
    fn native_signed(&self) -> bool {
        !matches!(
            self,
            Spec::Kulkarni { .. } | Spec::Drum { .. } | Spec::Mitchell { .. }
        )
    }
}

/// One built-in design.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Design {
    /// The family and its parameters.
    pub spec: Spec,
    /// Two's complement operands (else unsigned).
    pub signed: bool,
}

impl Design {
    /// A design of `spec` for unsigned or signed operands.
    pub fn new(spec: Spec, signed: bool) -> Self {
        Design { spec, signed }
    }

    /// Whether the signed design wraps an unsigned core in sign-magnitude
    /// conversion (`|a| * |b|`, negated when the signs differ).
    pub fn sign_magnitude(&self) -> bool {
        self.signed && !self.spec.native_signed()
    }

    /// Family name as stored in the library index.
    pub fn family(&self) -> String {
        let base = match &self.spec {
            Spec::Exact(Reducer::Array) => "exact_array",
            Spec::Exact(Reducer::Dadda) => "exact_dadda",
            Spec::Exact(Reducer::Wallace) => "exact_wallace",
            Spec::Truncation {
                compensated: false, ..
            } => "truncation",
            Spec::Truncation {
                compensated: true, ..
            } => "truncation_comp",
            Spec::Broken { .. } => "broken_array",
            Spec::OperandTrunc { .. } => "operand_trunc",
            Spec::Kulkarni { .. } => "kulkarni",
            Spec::Drum { .. } => "drum",
            Spec::Mitchell { .. } => "mitchell",
            Spec::Compressor { .. } => "compressor42",
        };
        if self.sign_magnitude() {
            format!("{base}_sm")
        } else {
            base.to_string()
        }
    }

    /// Parameters, human readable.
    pub fn params(&self) -> String {
        match &self.spec {
            Spec::Exact(_) => String::new(),
            Spec::Truncation { k, .. } => format!("k={k}"),
            Spec::Broken { hbl, vbl } => format!("hbl={hbl} vbl={vbl}"),
            Spec::OperandTrunc { ka, kb } => format!("ka={ka} kb={kb}"),
            Spec::Kulkarni { level } => format!("level={level}"),
            Spec::Drum { k } => format!("k={k}"),
            Spec::Mitchell { w } => format!("w={w}"),
            Spec::Compressor { kind, t } => format!("kind={} t={t}", kind.name()),
        }
    }

    /// Unique identifier, safe for file names and Verilog.
    pub fn id(&self) -> String {
        let p: String = self
            .params()
            .chars()
            .filter_map(|ch| match ch {
                '=' => None,
                ' ' => Some('_'),
                c => Some(c),
            })
            .collect();
        let s = if self.signed { "s" } else { "u" };
        if p.is_empty() {
            format!("{s}_{}", self.family())
        } else {
            format!("{s}_{}_{p}", self.family())
        }
    }

    /// The gate-level netlist, named after [`Design::id`].
    pub fn netlist(&self) -> Netlist {
        let mut c = Circuit::new(&self.id());
        let (a, x) = (c.a.clone(), c.x.clone());
        let out = if self.sign_magnitude() {
            let ma = c.cond_negate(&a, a[7], 8);
            let mb = c.cond_negate(&x, x[7], 8);
            let p = self.core(&mut c, &ma, &mb, false);
            let neg = c.xor(a[7], x[7]);
            c.cond_negate(&p, neg, 16)
        } else {
            self.core(&mut c, &a, &x, self.signed)
        };
        c.finish(&out)
    }

    fn core(&self, c: &mut Circuit, a: &[Sig], x: &[Sig], signed: bool) -> Vec<Sig> {
        use ppsum::*;
        match self.spec {
            Spec::Exact(r) => sum_pp(c, a, x, signed, |_| true, 0, r),
            Spec::Truncation { k, compensated } => {
                let extra = if compensated {
                    trunc_compensation(signed, k)
                } else {
                    0
                };
                sum_pp(c, a, x, signed, trunc_keep(k), extra, Reducer::Dadda)
            }
            Spec::Broken { hbl, vbl } => {
                sum_pp(c, a, x, signed, broken_keep(hbl, vbl), 0, Reducer::Array)
            }
            Spec::OperandTrunc { ka, kb } => {
                let (ta, tx) = (truncate_operand(a, ka), truncate_operand(x, kb));
                sum_pp(c, &ta, &tx, signed, |_| true, 0, Reducer::Dadda)
            }
            Spec::Kulkarni { level } => kulkarni::build(c, a, x, level),
            Spec::Drum { k } => drum::build(c, a, x, k),
            Spec::Mitchell { w } => mitchell::build(c, a, x, w),
            Spec::Compressor { kind, t } => compressor::build(c, a, x, signed, kind, t),
        }
    }

    /// Arithmetic reference: the raw 16-bit output word for bytes `a`, `b`.
    pub fn reference(&self, a: u8, b: u8) -> u16 {
        if self.sign_magnitude() {
            let mag = |v: u8| (v as i8 as i32).unsigned_abs() as u8;
            let p = self.core_ref(mag(a), mag(b), false) as i32;
            let neg = (a ^ b) & 0x80 != 0;
            return (if neg { -p } else { p }) as u16;
        }
        self.core_ref(a, b, self.signed)
    }

    fn core_ref(&self, a: u8, b: u8, signed: bool) -> u16 {
        use ppsum::*;
        match self.spec {
            Spec::Exact(_) => {
                (crate::errmap::operand(a, signed) * crate::errmap::operand(b, signed)) as u16
            }
            Spec::Truncation { k, compensated } => {
                let extra = if compensated {
                    trunc_compensation(signed, k)
                } else {
                    0
                };
                sum_pp_ref(a, b, signed, trunc_keep(k), extra)
            }
            Spec::Broken { hbl, vbl } => sum_pp_ref(a, b, signed, broken_keep(hbl, vbl), 0),
            Spec::OperandTrunc { ka, kb } => operand_trunc_ref(a, b, signed, ka, kb),
            Spec::Kulkarni { level } => kulkarni::reference(a, b, level),
            Spec::Drum { k } => drum::reference(a, b, k),
            Spec::Mitchell { w } => mitchell::reference(a, b, w),
            Spec::Compressor { kind, t } => compressor::reference(a, b, signed, kind, t),
        }
    }

    /// The error map the reference function defines.
    pub fn reference_map(&self) -> ErrorMap {
        let mut raw = Vec::with_capacity(65536);
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                raw.push(self.reference(a, b));
            }
        }
        ErrorMap::from_raw(self.signed, &raw)
    }
}

/// The exact reference design energy is measured against: the carry-save
/// array multiplier (unsigned) or the Baugh-Wooley array (signed).
pub fn exact_reference(signed: bool) -> Design {
    Design::new(Spec::Exact(Reducer::Array), signed)
}

/// The default library's designs: 102 unsigned and 56 signed.
pub fn default_designs() -> Vec<Design> {
    let mut v = Vec::new();
    for signed in [false, true] {
        let mut add = |spec: Spec| v.push(Design::new(spec, signed));
        for r in [Reducer::Array, Reducer::Dadda, Reducer::Wallace] {
            add(Spec::Exact(r));
        }
        for k in 1..=12 {
            add(Spec::Truncation {
                k,
                compensated: false,
            });
        }
        for k in 2..=12 {
            add(Spec::Truncation {
                k,
                compensated: true,
            });
        }
        // Row j spans columns j..j+7: levels with hbl <= vbl - 7 repeat a
        // truncation, vbl <= hbl an operand truncation of B.
        let broken: &[(usize, usize)] = if signed {
            &[
                (1, 3),
                (1, 5),
                (1, 7),
                (2, 4),
                (2, 6),
                (2, 8),
                (3, 5),
                (3, 8),
            ]
        } else {
            &[
                (1, 3),
                (1, 4),
                (1, 5),
                (1, 6),
                (1, 7),
                (2, 3),
                (2, 4),
                (2, 5),
                (2, 6),
                (2, 7),
                (2, 8),
                (3, 4),
                (3, 5),
                (3, 6),
                (3, 7),
                (3, 8),
                (4, 5),
                (4, 6),
                (4, 7),
                (4, 8),
            ]
        };
        for &(hbl, vbl) in broken {
            add(Spec::Broken { hbl, vbl });
        }
        let ops: Vec<(usize, usize)> = if signed {
            vec![
                (1, 1),
                (2, 2),
                (3, 3),
                (4, 4),
                (0, 2),
                (0, 4),
                (2, 0),
                (4, 0),
            ]
        } else {
            let mut o: Vec<(usize, usize)> = (0..=5)
                .flat_map(|ka| (ka..=5).map(move |kb| (ka, kb)))
                .filter(|p| *p != (0, 0))
                .collect();
            o.extend([(1, 0), (2, 0), (3, 0), (2, 1), (3, 1)]);
            o
        };
        for (ka, kb) in ops {
            add(Spec::OperandTrunc { ka, kb });
        }
        // Compressor B only errs on four ones, so thresholds beyond the
        // last column with four bits (12) would repeat a design.
        let (ta, tb): (&[usize], &[usize]) = if signed {
            (&[6, 10, 14], &[6, 9, 12])
        } else {
            (&[4, 6, 8, 10, 12, 14], &[4, 6, 8, 9, 10, 12])
        };
        for (kind, ts) in [(CompressorKind::A, ta), (CompressorKind::B, tb)] {
            for &t in ts {
                add(Spec::Compressor { kind, t });
            }
        }
        let (levels, drums, ws): (&[usize], &[usize], &[usize]) = if signed {
            (&[3, 7], &[3, 4, 5, 6], &[7, 4])
        } else {
            (
                &[1, 2, 3, 4, 5, 6, 7],
                &[2, 3, 4, 5, 6, 7],
                &[7, 6, 5, 4, 3, 2],
            )
        };
        for &level in levels {
            add(Spec::Kulkarni { level });
        }
        for &k in drums {
            add(Spec::Drum { k });
        }
        for &w in ws {
            add(Spec::Mitchell { w });
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlist::sim::exhaustive;
    use rayon::prelude::*;

    /// Every default design's simulated netlist equals its reference.
    #[test]
    fn every_default_design_matches_its_reference() {
        let designs = default_designs();
        let bad: Vec<String> = designs
            .par_iter()
            .filter_map(|d| {
                let sim = exhaustive(&d.netlist(), d.signed).unwrap();
                let r = d.reference_map();
                if sim == r {
                    return None;
                }
                let (a, b) = (0..=255u8)
                    .flat_map(|a| (0..=255u8).map(move |b| (a, b)))
                    .find(|&(a, b)| sim.product(a, b) != r.product(a, b))
                    .unwrap();
                Some(format!(
                    "{}: ({a},{b}) netlist {} reference {}",
                    d.id(),
                    sim.product(a, b),
                    r.product(a, b)
                ))
            })
            .collect();
        assert!(bad.is_empty(), "{bad:#?}");
    }

    /// Exact designs equal true multiplication, so the references of the
    /// matrix families are anchored to arithmetic, not to each other.
    #[test]
    fn exact_references_are_products() {
        for signed in [false, true] {
            for r in [Reducer::Array, Reducer::Dadda, Reducer::Wallace] {
                assert_eq!(
                    Design::new(Spec::Exact(r), signed).reference_map(),
                    ErrorMap::exact(signed)
                );
                assert_eq!(sum_pp_matches(signed), ErrorMap::exact(signed));
            }
        }
    }

    fn sum_pp_matches(signed: bool) -> ErrorMap {
        let d = Design::new(
            Spec::Truncation {
                k: 0,
                compensated: false,
            },
            signed,
        );
        d.reference_map()
    }

    /// Spot values from the published definitions.
    #[test]
    fn family_reference_spot_values() {
        // DRUM-4: 200 = 11001000b -> segment 1100|1 = 1101b (13) << 4 = 208.
        assert_eq!(drum::reference(200, 1, 4), 208);
        assert_eq!(drum::reference(15, 15, 4), 225);
        // Kulkarni: 3x3 = 7 in the lowest block.
        assert_eq!(kulkarni::reference(3, 3, 1), 7);
        assert_eq!(kulkarni::reference(3, 3, 0), 9);
        // Mitchell: powers of two are exact; 3*3 -> 2^2 * (1 + 0.5 + 0.5) = 8.
        assert_eq!(mitchell::reference(64, 4, 7), 256);
        assert_eq!(mitchell::reference(3, 3, 7), 8);
        // Operand truncation: 0b111 * 0b111 with 1 bit dropped from each = 36.
        assert_eq!(ppsum::operand_trunc_ref(7, 7, false, 1, 1), 36);
    }

    /// Apart from the three exact architectures, no two default designs of
    /// one signedness compute the same function.
    #[test]
    fn default_designs_are_functionally_distinct() {
        let mut seen: std::collections::HashMap<(bool, Vec<u16>), String> = Default::default();
        for d in default_designs() {
            if matches!(d.spec, Spec::Exact(Reducer::Dadda | Reducer::Wallace)) {
                continue;
            }
            let raw = d.reference_map().to_raw();
            if let Some(other) = seen.insert((d.signed, raw), d.id()) {
                panic!("{} computes the same products as {other}", d.id());
            }
        }
    }

    #[test]
    fn default_library_size_and_unique_ids() {
        let d = default_designs();
        let u = d.iter().filter(|d| !d.signed).count();
        let s = d.iter().filter(|d| d.signed).count();
        assert!(u >= 100 && s >= 30, "{u} unsigned, {s} signed");
        let mut ids: Vec<String> = d.iter().map(|d| d.id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), d.len());
    }
}
