//! The probabilistic error model (DESIGN.md, "Error model"): from operand
//! histograms of one layer (calibration) and one multiplier's error map,
//! predict the standard deviation of the error at the layer's output
//! (accumulator units, bias excluded).
//!
//! Two models, both pure functions over histograms and error tables:
//! * [`population()`]: the paper's model, weights drawn from the layer's
//!   weight histogram;
//! * [`per_channel()`]: each output channel's own weights, with the
//!   deterministic per-channel error compensated in the bias;
//! * [`sampled()`]: the per-channel quantities evaluated exactly on the
//!   sampled receptive fields, keeping the activation/weight pairing.
//!
//! [`validate`] measures the error bit-exactly for comparison, layer by
//! layer; [`network`] with every layer approximate at once.

pub mod network;
pub mod per_channel;
pub mod population;
pub mod sampled;
pub mod validate;

use crate::calib::{Calibration, MacView};
use crate::errmap::ErrorMap;
use crate::intnet::arith;
use crate::intnet::lut::ProductTable;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use per_channel::{per_channel, ChannelPrediction};
pub use population::{population, PopulationPrediction};
pub use sampled::{sampled, Fields};

/// Error `e(x, w) = prod(x, w) - x*w` of one multiplier for every
/// (activation, weight) pair under the integer network's product convention
/// (`src/intnet/mod.rs`, `intnet::lut::ProductTable`): an unsigned
/// multiplier `M` gives `prod = M(x, |w|)`, negated when `w < 0`
/// (sign-magnitude; `M(x, 0)` is not negated), a signed one `M(x, w)` on
/// two's complement bytes; `M` is the multiplier's 16-bit output word.
///
/// Indexed `[x << 8 | w as u8]`: `x` the activation byte, `w` the weight's
/// two's complement byte (as in [`crate::calib::LayerCalib::weight_hist`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorTable {
    /// The multiplier is signed (two's complement operands).
    pub signed: bool,
    e: Vec<i32>,
}

impl ErrorTable {
    /// The error table of `map` under the product convention of a network
    /// of the same signedness.
    pub fn new(map: &ErrorMap) -> Self {
        let mut e = vec![0i32; 65536];
        // The product is the multiplier's 16-bit output word, as the
        // hardware bus (and the simulator) carries it.
        let word = |a: u8, b: u8| map.product(a, b) as u16;
        for x in 0..=255u8 {
            for wb in 0..=255u8 {
                let w = wb as i8;
                e[(x as usize) << 8 | wb as usize] =
                    arith::product(map.signed, x, w, word) - arith::exact_product(map.signed, x, w);
            }
        }
        ErrorTable {
            signed: map.signed,
            e,
        }
    }

    /// `e(x, w)`.
    #[inline]
    pub fn get(&self, x: u8, w: i8) -> i32 {
        self.e[(x as usize) << 8 | w as u8 as usize]
    }

    /// Row of activation `x`: errors for every weight byte.
    #[inline]
    pub fn row(&self, x: u8) -> &[i32] {
        let i = (x as usize) << 8;
        &self.e[i..i + 256]
    }

    /// No pair has an error (the exact multiplier).
    pub fn is_exact(&self) -> bool {
        self.e.iter().all(|&v| v == 0)
    }
}

/// A library design ready for prediction.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Library design id.
    pub id: String,
    /// Energy per multiplication relative to the exact multiplier.
    pub energy_rel: f64,
    /// The design's error table.
    pub table: ErrorTable,
    /// The design's products, as the simulator looks them up.
    pub products: ProductTable,
}

impl Candidate {
    /// A candidate from its id, relative energy and error map.
    pub fn new(id: impl Into<String>, energy_rel: f64, map: &ErrorMap) -> Self {
        Candidate {
            id: id.into(),
            energy_rel,
            table: ErrorTable::new(map),
            products: ProductTable::new(map),
        }
    }
}

/// Both models' predictions for one (layer, multiplier) pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairPrediction {
    /// Population model's predicted error std at the layer output, accumulator units.
    pub population: f64,
    /// Per-channel model's predicted error std, accumulator units.
    pub per_channel: f64,
    /// The per-channel model's bias correction.
    pub bias_correction: Vec<i32>,
    /// The sampled model (`None` when the calibration kept no fields).
    pub sampled: Option<f64>,
    /// The sampled model's bias correction.
    pub sampled_correction: Vec<i32>,
}

/// Predictions for every layer (outer, [`crate::intnet::IntNetwork::mac_layers`] order)
/// and candidate (inner). `calib` must have passed
/// [`crate::calib::Calibration::check`].
pub fn predict_all(
    calib: &Calibration,
    views: &[MacView],
    cands: &[Candidate],
) -> Vec<Vec<PairPrediction>> {
    // The sampled fields of each layer, with their exact accumulators
    // (the candidates share the network's signedness).
    let signed = cands.first().is_some_and(|c| c.products.signed);
    let fields: Vec<Option<Fields>> = calib
        .layers
        .par_iter()
        .zip(views)
        .map(|(lc, v)| {
            (!lc.fields.is_empty()).then(|| {
                Fields::new(
                    signed,
                    &v.layer.weights,
                    v.layer.out_ch,
                    &lc.fields.concat(),
                )
            })
        })
        .collect();
    let pairs: Vec<(usize, usize)> = (0..views.len())
        .flat_map(|l| (0..cands.len()).map(move |c| (l, c)))
        .collect();
    let flat: Vec<PairPrediction> = pairs
        .par_iter()
        .map(|&(l, c)| {
            let (lc, v, t) = (&calib.layers[l], &views[l], &cands[c].table);
            let pop = population(t, &lc.weight_hist, &lc.act_hists, lc.fan_in);
            let pc = per_channel(t, &v.layer.weights, v.layer.out_ch, &lc.act_hists);
            let sm = fields[l]
                .as_ref()
                .map(|f| sampled(&cands[c].products, &v.layer.weights, v.layer.out_ch, f));
            PairPrediction {
                population: pop.std,
                per_channel: pc.std,
                bias_correction: pc.bias_correction,
                sampled: sm.as_ref().map(|p| p.std),
                sampled_correction: sm.map(|p| p.bias_correction).unwrap_or_default(),
            }
        })
        .collect();
    let mut it = flat.into_iter();
    views
        .iter()
        .map(|_| it.by_ref().take(cands.len()).collect())
        .collect()
}

/// A weight histogram scaled to sum to one (all zeros if it is empty).
pub fn normalize(hist: &[u64]) -> Vec<f64> {
    let total: f64 = hist.iter().map(|&c| c as f64).sum();
    if total == 0.0 {
        return vec![0.0; hist.len()];
    }
    hist.iter().map(|&c| c as f64 / total).collect()
}

/// Nonzero entries of a histogram, normalized: `(value byte, probability)`.
pub(crate) fn sparse(hist: &[u32]) -> Vec<(u8, f64)> {
    let total: f64 = hist.iter().map(|&c| c as f64).sum();
    if total == 0.0 {
        return Vec::new();
    }
    hist.iter()
        .enumerate()
        .filter(|(_, &c)| c > 0)
        .map(|(x, &c)| (x as u8, c as f64 / total))
        .collect()
}

/// Population mean and variance (divisor `len`) of `values`.
pub(crate) fn mean_var(values: &[f64]) -> (f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0);
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    (mean, var)
}

#[cfg(test)]
pub(crate) mod testutil {
    use crate::errmap::ErrorMap;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// A biased, noisy multiplier (products within the 16-bit word): low bits of the product dropped and a
    /// pseudo-random perturbation, so that errors have mean and spread.
    pub fn rough_map(signed: bool) -> ErrorMap {
        ErrorMap::from_fn(signed, |a, b| {
            let p = a * b;
            let h = ((a * 31 + b * 17) & 7) - 3;
            let v = (p & !0x3f) + h * (a.abs() / 16);
            if signed {
                v.clamp(-32768, 32767)
            } else {
                v.clamp(0, 65535)
            }
        })
    }

    /// `samples` random receptive-field histograms over `n` values in
    /// `0..=act_max`, each drawn from a random narrow range.
    pub fn random_act_hists(
        rng: &mut ChaCha8Rng,
        samples: usize,
        n: usize,
        act_max: u32,
    ) -> Vec<Vec<u32>> {
        (0..samples)
            .map(|_| {
                let lo = rng.random_range(0..=act_max);
                let hi = rng.random_range(lo..=act_max);
                let mut h = vec![0u32; 256];
                for _ in 0..n {
                    let x = if rng.random_bool(0.3) {
                        0
                    } else {
                        rng.random_range(lo..=hi)
                    };
                    h[x as usize] += 1;
                }
                h
            })
            .collect()
    }

    /// Random weights in `-127..=127`, roughly bell-shaped.
    pub fn random_weights(rng: &mut ChaCha8Rng, count: usize) -> Vec<i8> {
        (0..count)
            .map(|_| {
                let s: i32 = (0..4).map(|_| rng.random_range(-40..=40)).sum();
                s.clamp(-127, 127) as i8
            })
            .collect()
    }

    pub fn rng(seed: u64) -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(seed)
    }

    /// Draw a byte from a histogram.
    pub fn draw(rng: &mut ChaCha8Rng, hist: &[u32]) -> u8 {
        let total: u32 = hist.iter().sum();
        let mut r = rng.random_range(0..total);
        for (x, &c) in hist.iter().enumerate() {
            if r < c {
                return x as u8;
            }
            r -= c;
        }
        unreachable!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsigned_table_is_sign_magnitude() {
        let map = ErrorMap::from_fn(false, |a, b| (a * b) & !0xf);
        let t = ErrorTable::new(&map);
        // x = 3, w = -7: prod = -M(3, 7) = -(21 & !15) = -16, exact -21.
        assert_eq!(t.get(3, -7), 5);
        assert_eq!(t.get(3, 7), -5);
        assert_eq!(t.get(200, 0), 0);
        assert_eq!(t.get(255, -128), -((255 * 128) & 0xf));
        assert!(!t.is_exact());
        assert!(ErrorTable::new(&ErrorMap::exact(false)).is_exact());
    }

    #[test]
    fn signed_table_is_twos_complement() {
        let map = ErrorMap::from_fn(true, |a, b| if a * b < 0 { a * b - 1 } else { a * b });
        let t = ErrorTable::new(&map);
        assert_eq!(t.get(5, -3), -1);
        assert_eq!(t.get(5, 3), 0);
        assert!(ErrorTable::new(&ErrorMap::exact(true)).is_exact());
    }
}
