//! Bit-exact measurement of the error a multiplier causes at a layer's
//! output, set next to both models' predictions (`RUN_DIR/error_model.json`).
//!
//! Measured the way the models predict it, on held-out images: the layer
//! runs on its real inputs (the exact network's tensors for training images
//! that calibration did not draw, [`crate::calib::held_out_images`]), every
//! output value of every channel counts, and the error is
//! `D = acc_approx - acc_exact = sum_i e(x_i, w_ij)` (bias excluded).
//! * `measured`: the standard deviation of `D` over all output values, the
//!   population model's quantity (the per-channel systematic part included);
//! * `measured_compensated`: the RMS of `D + r_j` with the per-channel
//!   model's bias correction `r_j`, the per-channel model's quantity;
//! * `measured_sampled`: the same with the sampled model's correction.

use super::{Candidate, Fields, PairPrediction};
use crate::calib::{mac_views, Calibration, IntMoments, MacView};
use crate::error::{Error, Result};
use crate::intnet::lut::ProductTable;
use crate::intnet::sim::Simulator;
use crate::intnet::IntNetwork;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Pairs count toward `share_within` when the predicted relative error
/// (predicted std / std(y)) exceeds this.
pub const RELATIVE_THRESHOLD: f64 = 1e-3;
/// A prediction is good when predicted / measured lies in this window.
pub const WINDOW: [f64; 2] = [0.8, 1.25];

/// Error moments of one (layer, multiplier) pair over the measured outputs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PairMeasurement {
    /// Of `D`.
    pub raw: IntMoments,
    /// Of `D + r_j` (per-channel model's correction).
    pub compensated: IntMoments,
    /// Of `D + r_j` (sampled model's correction).
    pub compensated_sampled: IntMoments,
}

impl PairMeasurement {
    /// Add another measurement of the same pair (e.g. from another batch of images).
    pub fn merge(&mut self, o: &PairMeasurement) {
        self.raw.merge(&o.raw);
        self.compensated.merge(&o.compensated);
        self.compensated_sampled.merge(&o.compensated_sampled);
    }
}

/// Measure every candidate on one layer over images: `inputs` are the
/// layer's input tensors (one per image), `cands` the candidates' products
/// (one signedness), `corrections[c]` candidate `c`'s per-channel bias
/// corrections of the per-channel and the sampled model (empty = none).
/// Every output value of every image's receptive fields counts.
pub fn measure_layer(
    view: &MacView,
    inputs: &[&[i32]],
    cands: &[&ProductTable],
    corrections: &[(&[i32], &[i32])],
) -> Vec<PairMeasurement> {
    let Some(signed) = cands.first().map(|t| t.signed) else {
        return vec![];
    };
    let n = view.fan_in();
    let out_ch = view.layer.out_ch;
    let positions = view.positions();
    let mut flat = Vec::with_capacity(inputs.len() * positions * n);
    let mut field = Vec::with_capacity(n);
    for input in inputs {
        for p in 0..positions {
            view.receptive_field(input, p, &mut field);
            flat.extend_from_slice(&field);
        }
    }
    let weights = &view.layer.weights;
    let fields = Fields::new(signed, weights, out_ch, &flat);
    let exact = ProductTable::exact(signed);
    cands
        .par_iter()
        .zip(corrections)
        .map(|(&table, corr)| {
            let mut m = PairMeasurement::default();
            if *table == exact {
                m.raw.count = (fields.count() * out_ch) as u64;
                m.compensated = m.raw;
                m.compensated_sampled = m.raw;
                return m;
            }
            let d = fields.errors(table, weights, out_ch);
            for (j, dj) in d.chunks_exact(fields.count().max(1)).enumerate() {
                let r = corr.0.get(j).copied().unwrap_or(0) as i64;
                let rs = corr.1.get(j).copied().unwrap_or(0) as i64;
                for &v in dj {
                    let v = v as i64;
                    m.raw.add(v);
                    m.compensated.add(v + r);
                    m.compensated_sampled.add(v + rs);
                }
            }
            m
        })
        .collect()
}

/// Measure every (layer, candidate) pair on the images `indices` of
/// `images` (`N * C * H * W` raw pixels): the exact network runs each image
/// (bit-exact simulator), each layer's real inputs are fed through every
/// candidate. `preds` supplies the per-channel bias corrections.
/// Integer sums make the result independent of thread scheduling.
pub fn measure(
    net: &IntNetwork,
    images: &[u8],
    indices: &[usize],
    cands: &[Candidate],
    preds: &[Vec<PairPrediction>],
) -> Result<Vec<Vec<PairMeasurement>>> {
    let views = mac_views(net)?;
    let len = net.input.len();
    if let Some(&bad) = indices.iter().find(|&&i| (i + 1) * len > images.len()) {
        return Err(Error::input(format!(
            "image {bad} is not in the data set ({} images): calibration from another data set?",
            images.len() / len.max(1)
        )));
    }
    let sim = Simulator::exact(net)?;
    let tables: Vec<&ProductTable> = cands.iter().map(|c| &c.products).collect();
    let bar = crate::progress::bar((indices.len() + views.len()) as u64, "measuring");
    // Each image's input tensor of every multiplying layer.
    let traces: Vec<Vec<Vec<i32>>> = indices
        .par_iter()
        .map(|&i| {
            let t = sim.forward_trace(&images[i * len..(i + 1) * len]);
            bar.inc(1);
            // Cloned: layers may read the same tensor (a residual block's
            // first convolution and its shortcut).
            views.iter().map(|v| t.tensors[v.input].clone()).collect()
        })
        .collect();
    let total = views
        .iter()
        .enumerate()
        .map(|(l, v)| {
            let inputs: Vec<&[i32]> = traces.iter().map(|t| t[l].as_slice()).collect();
            let corrections: Vec<(&[i32], &[i32])> = preds[l]
                .iter()
                .map(|p| {
                    (
                        p.bias_correction.as_slice(),
                        p.sampled_correction.as_slice(),
                    )
                })
                .collect();
            bar.inc(1);
            measure_layer(v, &inputs, &tables, &corrections)
        })
        .collect();
    bar.finish_and_clear();
    Ok(total)
}

/// One (layer, multiplier) pair in `error_model.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairEntry {
    /// Layer name.
    pub layer: String,
    /// Library id of the multiplier.
    pub multiplier: String,
    /// Std of the exact accumulators (calibration), for relative errors.
    pub y_std: f64,
    /// Predicted error std at the layer output from the population model, accumulator units.
    pub predicted_population: f64,
    /// Predicted error std from the per-channel model, accumulator units.
    pub predicted_per_channel: f64,
    /// Std of `D` (compare with the population model).
    pub measured: f64,
    /// RMS of `D + r_j` (compare with the per-channel model).
    pub measured_compensated: f64,
    /// The sampled model (absent without receptive fields in calibration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicted_sampled: Option<f64>,
    /// RMS of `D + r_j` with the sampled model's correction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured_sampled: Option<f64>,
    /// Output values measured.
    pub outputs: u64,
}

/// Agreement of one model with the measurements.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelSummary {
    /// Pairs with predicted relative error above the threshold.
    pub pairs: usize,
    /// Of those, pairs with predicted / measured inside the window.
    pub within: usize,
    /// `within / pairs` (1 when there are no pairs).
    pub share_within: f64,
    /// Median of predicted / measured over the counted pairs.
    pub median_ratio: f64,
    /// 10th percentile of predicted / measured (nearest rank): with
    /// `p90_ratio`, the spread the median hides.
    #[serde(default)]
    pub p10_ratio: f64,
    /// 90th percentile of predicted / measured (nearest rank).
    #[serde(default)]
    pub p90_ratio: f64,
}

/// The `summary` object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Pairs count only where the predicted error exceeds this share of `y_std`.
    pub relative_threshold: f64,
    /// Ratio window `[low, high]` for predicted / measured.
    pub window: [f64; 2],
    /// `share_within` per model, the headline figures.
    pub share_within: ShareWithin,
    /// The population model's agreement.
    pub population: ModelSummary,
    /// The per-channel model's agreement.
    pub per_channel: ModelSummary,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The sampled model's agreement (absent without receptive fields).
    pub sampled: Option<ModelSummary>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
/// Share of counted pairs inside the window, per model.
pub struct ShareWithin {
    /// Population model.
    pub population: f64,
    /// Per-channel model.
    pub per_channel: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Sampled model, when it ran.
    pub sampled: Option<f64>,
}

/// A set of images of one split of the run's data set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImageSet {
    /// `train` or `test`.
    pub split: String,
    /// Image indices within the split, ascending.
    pub indices: Vec<usize>,
}

/// Contents of `RUN_DIR/error_model.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorModelReport {
    /// The images the predictions were computed from.
    pub calibration_images: ImageSet,
    /// The held-out images whose outputs were measured (disjoint from
    /// `calibration_images`).
    pub validation_images: ImageSet,
    /// Validation images measured.
    pub images: usize,
    /// Receptive-field samples behind each prediction.
    pub samples: usize,
    /// One entry per (layer, multiplier) pair.
    pub pairs: Vec<PairEntry>,
    /// Agreement of each model over all pairs.
    pub summary: Summary,
    /// Every layer approximate at once, on the same held-out images
    /// ([`super::network`]): the repaired and the unrepaired assignment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network: Vec<super::network::NetworkCheck>,
}

/// Whether a prediction misses its measurement: `None` where the predicted
/// error is invisible (at most [`RELATIVE_THRESHOLD`] of `y_std`) or
/// predicted / measured lies in [`WINDOW`]; else `under-predicted` or
/// `over-predicted`. The same pairs [`model_summary`] counts as outside.
pub fn flag(predicted: f64, measured: f64, y_std: f64) -> Option<&'static str> {
    if !(y_std > 0.0 && predicted / y_std > RELATIVE_THRESHOLD) {
        return None;
    }
    let ratio = if measured > 0.0 {
        predicted / measured
    } else {
        f64::INFINITY
    };
    if ratio < WINDOW[0] {
        Some("under-predicted")
    } else if ratio > WINDOW[1] {
        Some("over-predicted")
    } else {
        None
    }
}

/// How one model fares on `(predicted, measured, y_std)` triples.
pub fn model_summary(triples: impl Iterator<Item = (f64, f64, f64)>) -> ModelSummary {
    let mut ratios: Vec<f64> = triples
        .filter(|&(p, _, y)| y > 0.0 && p / y > RELATIVE_THRESHOLD)
        .map(|(p, m, _)| if m > 0.0 { p / m } else { f64::INFINITY })
        .collect();
    ratios.sort_by(f64::total_cmp);
    let within = ratios
        .iter()
        .filter(|&&r| (WINDOW[0]..=WINDOW[1]).contains(&r))
        .count();
    let pairs = ratios.len();
    ModelSummary {
        pairs,
        within,
        share_within: if pairs == 0 {
            1.0
        } else {
            within as f64 / pairs as f64
        },
        median_ratio: percentile(&ratios, 0.5),
        p10_ratio: percentile(&ratios, 0.1),
        p90_ratio: percentile(&ratios, 0.9),
    }
}

/// Nearest-rank percentile `q` (0..=1) of sorted `v`: `v[floor(q * len)]`,
/// clamped to the last element; 1 for an empty list (no counted pairs).
fn percentile(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return 1.0;
    }
    v[((q * v.len() as f64) as usize).min(v.len() - 1)]
}

/// Assemble the report from predictions (`[layer][candidate]`) and
/// measurements of the same shape.
pub fn report(
    calib: &Calibration,
    cands: &[Candidate],
    preds: &[Vec<PairPrediction>],
    measured: &[Vec<PairMeasurement>],
    validation: &[usize],
) -> ErrorModelReport {
    let mut pairs = Vec::new();
    for (l, lc) in calib.layers.iter().enumerate() {
        for (c, cand) in cands.iter().enumerate() {
            let m = &measured[l][c];
            pairs.push(PairEntry {
                layer: lc.name.clone(),
                multiplier: cand.id.clone(),
                y_std: lc.y_std,
                predicted_population: preds[l][c].population,
                predicted_per_channel: preds[l][c].per_channel,
                measured: m.raw.std(),
                measured_compensated: m.compensated.rms(),
                predicted_sampled: preds[l][c].sampled,
                measured_sampled: preds[l][c].sampled.map(|_| m.compensated_sampled.rms()),
                outputs: m.raw.count,
            });
        }
    }
    let population = model_summary(
        pairs
            .iter()
            .map(|p| (p.predicted_population, p.measured, p.y_std)),
    );
    let per_channel = model_summary(
        pairs
            .iter()
            .map(|p| (p.predicted_per_channel, p.measured_compensated, p.y_std)),
    );
    let sampled = pairs
        .iter()
        .all(|p| p.predicted_sampled.is_some())
        .then(|| {
            model_summary(pairs.iter().map(|p| {
                (
                    p.predicted_sampled.unwrap_or(0.0),
                    p.measured_sampled.unwrap_or(0.0),
                    p.y_std,
                )
            }))
        });
    let train = |indices: &[usize]| ImageSet {
        split: "train".into(),
        indices: indices.to_vec(),
    };
    ErrorModelReport {
        calibration_images: train(&calib.image_indices),
        validation_images: train(validation),
        images: validation.len(),
        samples: calib.layers.first().map_or(0, |l| l.act_hists.len()),
        pairs,
        summary: Summary {
            relative_threshold: RELATIVE_THRESHOLD,
            window: WINDOW,
            share_within: ShareWithin {
                population: population.share_within,
                per_channel: per_channel.share_within,
                sampled: sampled.as_ref().map(|s| s.share_within),
            },
            population,
            per_channel,
            sampled,
        },
        network: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errmodel::ErrorTable;
    use crate::intnet::sim::Simulator;

    /// `D` computed from the error table equals what the bit-exact
    /// simulator gives with the approximate multiplier in that layer only
    /// (accumulators of the layer, approximate minus exact).
    #[test]
    fn measurement_matches_the_simulator() {
        for signed in [false, true] {
            let net = crate::intnet::testnet::random(21, signed);
            let images = crate::intnet::testnet::random_images(22, &net, 3);
            let mut map = crate::errmodel::testutil::rough_map(signed);
            // A product outside the 16-bit word wraps, as on the bus.
            map.products[crate::errmap::index(200, 3)] = if signed { 40000 } else { -5 };
            let table = ErrorTable::new(&map);
            let views = mac_views(&net).unwrap();
            let pt = ProductTable::new(&map);
            for x in 0..=255u8 {
                for w in -128..=127i8 {
                    let e = pt.prod(x, w) - crate::errmap::operand(x, signed) * w as i32;
                    assert_eq!(table.get(x, w), e, "x {x} w {w}");
                }
            }
            let exact = Simulator::exact(&net).unwrap();
            for (l, v) in views.iter().enumerate() {
                let mut tables = vec![ProductTable::exact(signed); views.len()];
                tables[l] = ProductTable::new(&map);
                let approx = Simulator::new(&net, tables).unwrap();
                let corr: Vec<i32> = (0..v.layer.out_ch as i32).map(|j| j * 7 - 3).collect();
                let mut want = PairMeasurement::default();
                let mut inputs = vec![];
                for img in images.chunks_exact(net.input.len()) {
                    let te = exact.forward_trace(img);
                    let ta = approx.forward_trace(img);
                    inputs.push(te.tensors[v.input].clone());
                    let per_ch = v.positions();
                    for (k, (a, e)) in ta.accumulators[l]
                        .iter()
                        .zip(&te.accumulators[l])
                        .enumerate()
                    {
                        want.raw.add((a - e) as i64);
                        want.compensated.add((a - e + corr[k / per_ch]) as i64);
                        want.compensated_sampled
                            .add((a - e + corr[1..].get(k / per_ch).copied().unwrap_or(0)) as i64);
                    }
                }
                let inputs: Vec<&[i32]> = inputs.iter().map(|t| t.as_slice()).collect();
                let got = measure_layer(v, &inputs, &[&pt], &[(&corr, &corr[1..])])[0];
                assert_eq!(got, want, "layer {} signed {signed}", v.name);
                assert!(got.raw.std() > 0.0);
            }
        }
    }

    #[test]
    fn summary_counts_only_visible_errors() {
        // (predicted, measured, y_std)
        let t = vec![
            (1.0, 1.0, 100.0),  // ratio 1: in
            (1.3, 1.0, 100.0),  // 1.3: out
            (0.8, 1.0, 100.0),  // 0.8: in (edge)
            (0.05, 1.0, 100.0), // relative 5e-4: not counted
            (1.0, 0.0, 100.0),  // measured zero: out
        ];
        let s = model_summary(t.into_iter());
        assert_eq!((s.pairs, s.within), (4, 2));
        assert_eq!(s.share_within, 0.5);
        assert_eq!(s.median_ratio, 1.3);
        // Sorted ratios 0.8, 1, 1.3, inf: nearest ranks 0 and 3.
        assert_eq!((s.p10_ratio, s.p90_ratio), (0.8, f64::INFINITY));
    }
}
