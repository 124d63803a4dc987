//! The per-channel refinement of the population model: every output channel
//! `j` is predicted with its own `n` weights `w_1j .. w_nj` (position `i`
//! of the receptive field pairs with weight `w_ij`) instead of draws from
//! the layer's weight histogram.
//!
//! Definitions (samples `s = 1..S`, equally likely; in sample `s` the
//! activations are independent draws from `p_x^(s)`):
//!
//! * `mu_s(w)  = sum_x p_x^(s)(x) e(x, w)`, `var_s(w) = sum_x p_x^(s)(x) (e(x, w) - mu_s(w))^2`;
//! * the error of one output value of channel `j`, `E_j = sum_i e(x_i, w_ij)`,
//!   has conditional mean `T_j(s) = sum_i mu_s(w_ij)` and conditional variance
//!   `sum_i var_s(w_ij)`;
//! * the **systematic** error of channel `j`, `c_j = Mean_s T_j(s) = sum_i mu(w_ij)`
//!   with `mu(w) = sum_x pbar(x) e(x, w)` and `pbar = Mean_s p_x^(s)`, is a
//!   constant of the channel: it is compensated by adding the integer
//!   `r_j = -round(c_j)` to the channel's bias ([`ChannelPrediction::bias_correction`]);
//! * what remains is random: `v_j = Var_s(T_j(s)) + Mean_s(sum_i var_s(w_ij))`
//!   plus the rounding residue `(c_j + r_j)^2`;
//! * the layer's predicted error std is the RMS over channels,
//!   `sqrt(Mean_j(v_j + (c_j + r_j)^2))`: every channel has the same number
//!   of output values, so this is the RMS of the compensated error over all
//!   output values of the layer.
//!
//! Cost per sample: (distinct activations) x (distinct weights), then
//! (distinct weights of a channel) per channel.

use super::{mean_var, sparse, ErrorTable};
use serde::{Deserialize, Serialize};

/// Prediction of the per-channel model for one (layer, multiplier) pair.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChannelPrediction {
    /// RMS over output values of the error after bias compensation.
    pub std: f64,
    /// Std over output values of the error without compensation (the
    /// quantity the population model predicts, here from the real weights).
    pub raw_std: f64,
    /// `sqrt(v_j)` per channel (compensated, rounding residue excluded).
    pub channel_std: Vec<f64>,
    /// `c_j`, the systematic error per channel.
    pub systematic: Vec<f64>,
    /// `r_j = -round(c_j)`, added to each channel's bias.
    pub bias_correction: Vec<i32>,
}

impl ChannelPrediction {
    /// The prediction from each channel's `(c_j, v_j)`: systematic error
    /// and variance. Shared by the per-channel and sampled models, which
    /// differ only in how they estimate these two numbers.
    pub fn from_channels(channels: impl IntoIterator<Item = (f64, f64)>) -> Self {
        let mut pred = ChannelPrediction::default();
        let (mut mse, mut raw_second) = (0.0, 0.0);
        for (c_j, v_j) in channels {
            let r_j = -c_j.round();
            mse += v_j + (c_j + r_j) * (c_j + r_j);
            raw_second += v_j + c_j * c_j;
            pred.channel_std.push(v_j.sqrt());
            pred.systematic.push(c_j);
            pred.bias_correction.push(r_j as i32);
        }
        if pred.systematic.is_empty() {
            return pred;
        }
        let k = pred.systematic.len() as f64;
        let (raw_mean, _) = mean_var(&pred.systematic);
        pred.std = (mse / k).sqrt();
        pred.raw_std = (raw_second / k - raw_mean * raw_mean).max(0.0).sqrt();
        pred
    }
}

/// The per-channel prediction for a layer with `weights` laid out
/// `[out_ch][n]` (the integer network's `[out][in][k][k]`).
pub fn per_channel(
    table: &ErrorTable,
    weights: &[i8],
    out_ch: usize,
    act_hists: &[Vec<u32>],
) -> ChannelPrediction {
    if out_ch == 0 || weights.is_empty() {
        return ChannelPrediction::default();
    }
    let n = weights.len() / out_ch;
    // Channel histograms, sparse: (weight byte, count).
    let channels: Vec<Vec<(usize, f64)>> = weights
        .chunks_exact(n)
        .map(|ws| {
            let mut h = [0u32; 256];
            for &w in ws {
                h[w as u8 as usize] += 1;
            }
            h.iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .map(|(w, &c)| (w, c as f64))
                .collect()
        })
        .collect();
    let mut used = [false; 256];
    for ch in &channels {
        for &(w, _) in ch {
            used[w] = true;
        }
    }
    let support: Vec<usize> = (0..256).filter(|&w| used[w]).collect();
    // Weight byte -> its index in `support`.
    let mut slot = [0usize; 256];
    for (k, &w) in support.iter().enumerate() {
        slot[w] = k;
    }
    let width = support.len();
    // The error table on the support, one contiguous row per activation,
    // so that the loops below run over contiguous memory and vectorize
    // (each value still sums its terms in the same order).
    let mut e_rows = vec![0.0f64; 256 * width];
    for (x, row) in e_rows.chunks_exact_mut(width.max(1)).enumerate() {
        let t = table.row(x as u8);
        for (v, &w) in row.iter_mut().zip(&support) {
            *v = t[w] as f64;
        }
    }

    let s_count = act_hists.len().max(1) as f64;
    // u[s][k] = mu_s(support[k]); second[k] = Mean_s sum_x p_s(x) e(x, w)^2.
    let mut u = vec![0.0f64; act_hists.len() * width];
    let mut second = vec![0.0f64; width];
    for (h, us) in act_hists.iter().zip(u.chunks_exact_mut(width.max(1))) {
        for (x, p) in sparse(h) {
            let row = &e_rows[x as usize * width..][..width];
            for ((uk, sk), &e) in us.iter_mut().zip(second.iter_mut()).zip(row) {
                *uk += p * e;
                *sk += p * e * e / s_count;
            }
        }
    }
    // Mean_s var_s(w); `ut[k]` holds mu_s(support[k]) for every s.
    let samples = act_hists.len();
    let mut ut = vec![0.0f64; width * samples];
    for (s, us) in u.chunks_exact(width.max(1)).enumerate() {
        for (k, &v) in us.iter().enumerate() {
            ut[k * samples + s] = v;
        }
    }
    let mean_var_w: Vec<f64> = (0..width)
        .map(|k| {
            let (m, v) = mean_var(&ut[k * samples..][..samples]);
            (second[k] - (v + m * m)).max(0.0)
        })
        .collect();

    let mut t = vec![0.0f64; samples];
    ChannelPrediction::from_channels(channels.iter().map(|ch| {
        // T_j(s) for every s at once.
        t.fill(0.0);
        for &(w, c) in ch {
            for (ts, &v) in t.iter_mut().zip(&ut[slot[w] * samples..][..samples]) {
                *ts += c * v;
            }
        }
        let (c_j, var_t) = mean_var(&t);
        let within: f64 = ch.iter().map(|&(w, c)| c * mean_var_w[slot[w]]).sum();
        (c_j, var_t + within)
    }))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use rand::Rng;

    /// Monte-Carlo with the real weights: pick a channel and a sample, draw
    /// the `n` activations from the sample, sum `e(x_i, w_ij)`.
    #[test]
    fn matches_monte_carlo() {
        for signed in [false, true] {
            let mut rng = rng(5);
            let table = ErrorTable::new(&rough_map(signed));
            let (n, out_ch) = (18, 4);
            let acts = random_act_hists(&mut rng, 8, n, if signed { 127 } else { 255 });
            let weights = random_weights(&mut rng, n * out_ch);
            let pred = per_channel(&table, &weights, out_ch, &acts);
            let trials = 20_000;
            let mut comp = Vec::new();
            let mut raw = Vec::new();
            for j in 0..out_ch {
                let mut ch = Vec::new();
                for _ in 0..trials {
                    let s = rng.random_range(0..acts.len());
                    let e: f64 = (0..n)
                        .map(|i| table.get(draw(&mut rng, &acts[s]), weights[j * n + i]) as f64)
                        .sum();
                    raw.push(e);
                    comp.push(e + pred.bias_correction[j] as f64);
                    ch.push(e);
                }
                let (m, v) = mean_var(&ch);
                assert!(
                    (m - pred.systematic[j]).abs() < 0.05 * pred.channel_std[j] + 0.5,
                    "channel {j} mean {m}"
                );
                assert!(
                    (v.sqrt() / pred.channel_std[j] - 1.0).abs() < 0.04,
                    "channel {j} std"
                );
            }
            let rms = (comp.iter().map(|e| e * e).sum::<f64>() / comp.len() as f64).sqrt();
            assert!(
                (rms / pred.std - 1.0).abs() < 0.03,
                "rms {rms} vs {}",
                pred.std
            );
            let (_, rv) = mean_var(&raw);
            assert!(
                (rv.sqrt() / pred.raw_std - 1.0).abs() < 0.03,
                "raw {} vs {}",
                rv.sqrt(),
                pred.raw_std
            );
        }
    }

    /// Exact enumeration on a tiny case: one sample whose activations take
    /// two values, two weights per channel; enumerate all 4 activation
    /// patterns.
    #[test]
    fn matches_enumeration() {
        let table = ErrorTable::new(&rough_map(false));
        let mut h = vec![0u32; 256];
        h[100] = 1;
        h[201] = 3;
        let weights: Vec<i8> = vec![37, -90, 5, 5];
        let pred = per_channel(&table, &weights, 2, &[h]);
        for j in 0..2 {
            let (w1, w2) = (weights[2 * j], weights[2 * j + 1]);
            let mut mean = 0.0;
            let mut sq = 0.0;
            for (x1, p1) in [(100u8, 0.25), (201, 0.75)] {
                for (x2, p2) in [(100u8, 0.25), (201, 0.75)] {
                    let e = (table.get(x1, w1) + table.get(x2, w2)) as f64;
                    mean += p1 * p2 * e;
                    sq += p1 * p2 * e * e;
                }
            }
            assert!((pred.systematic[j] - mean).abs() < 1e-9);
            assert!((pred.channel_std[j] - (sq - mean * mean).sqrt()).abs() < 1e-9);
        }
    }

    #[test]
    fn exact_multiplier_predicts_zero() {
        let mut rng = rng(6);
        let table = ErrorTable::new(&crate::errmap::ErrorMap::exact(true));
        let acts = random_act_hists(&mut rng, 4, 9, 127);
        let pred = per_channel(&table, &random_weights(&mut rng, 18), 2, &acts);
        assert_eq!(pred.std, 0.0);
        assert_eq!(pred.bias_correction, vec![0, 0]);
    }
}
