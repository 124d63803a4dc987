//! The paper's population model (DESIGN.md, "Error model"). Weights and the
//! activations of one receptive field are taken as independent draws:
//! weights from the layer's weight histogram `p_w`, activations from the
//! sample's local histogram `p_x^(s)`. Per sample `s`
//!
//! * `mu_s  = sum_{x,w} p_x^(s)(x) p_w(w) e(x, w)`,
//! * `var_s = sum_{x,w} p_x^(s)(x) p_w(w) (e(x, w) - mu_s)^2`,
//!
//! and the error of one output value (a sum of `n` products) has, by the law
//! of total variance over the samples,
//! `sigma_e = sqrt(n^2 Var_s(mu_s) + n Mean_s(var_s))` around the mean
//! `n Mean_s(mu_s)`. `Var_s` and `Mean_s` divide by `S`.
//!
//! Cost: the per-activation moments over `p_w` (`sum_w p_w e` and
//! `sum_w p_w e^2`, 256 values each) are computed once, so each sample
//! costs O(256).

use super::{mean_var, normalize, sparse, ErrorTable};
use serde::{Deserialize, Serialize};

/// Prediction of the population model for one (layer, multiplier) pair.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PopulationPrediction {
    /// `sigma_e`, accumulator units.
    pub std: f64,
    /// Mean error of an output value, `n Mean_s(mu_s)`.
    pub mean: f64,
    /// `n^2 Var_s(mu_s)`: variance from differences between receptive fields.
    pub between: f64,
    /// `n Mean_s(var_s)`: variance within a receptive field.
    pub within: f64,
}

/// Moments of the error over the weight distribution, per activation value:
/// `m1[x] = sum_w p_w(w) e(x, w)`, `m2[x] = sum_w p_w(w) e(x, w)^2`.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightMoments {
    /// `m1[x]`, the mean error at activation `x` (256 entries).
    pub m1: Vec<f64>,
    /// `m2[x]`, the mean squared error at activation `x` (256 entries).
    pub m2: Vec<f64>,
}

/// [`WeightMoments`] of `table` under the weight histogram (index = weight
/// byte, two's complement).
pub fn weight_moments(table: &ErrorTable, weight_hist: &[u64]) -> WeightMoments {
    let p_w = normalize(weight_hist);
    let support: Vec<(usize, f64)> = p_w
        .iter()
        .copied()
        .enumerate()
        .filter(|&(_, p)| p > 0.0)
        .collect();
    let mut m1 = vec![0.0; 256];
    let mut m2 = vec![0.0; 256];
    for x in 0..256 {
        let row = table.row(x as u8);
        let (mut s1, mut s2) = (0.0, 0.0);
        for &(w, p) in &support {
            let e = row[w] as f64;
            s1 += p * e;
            s2 += p * e * e;
        }
        m1[x] = s1;
        m2[x] = s2;
    }
    WeightMoments { m1, m2 }
}

/// `(mu_s, var_s)` of one receptive-field histogram.
pub fn sample_moments(moments: &WeightMoments, act_hist: &[u32]) -> (f64, f64) {
    let (mut mu, mut second) = (0.0, 0.0);
    for (x, p) in sparse(act_hist) {
        mu += p * moments.m1[x as usize];
        second += p * moments.m2[x as usize];
    }
    (mu, (second - mu * mu).max(0.0))
}

/// The population model's prediction for a layer of fan-in `n`.
pub fn population(
    table: &ErrorTable,
    weight_hist: &[u64],
    act_hists: &[Vec<u32>],
    n: usize,
) -> PopulationPrediction {
    let moments = weight_moments(table, weight_hist);
    let (mus, vars): (Vec<f64>, Vec<f64>) = act_hists
        .iter()
        .map(|h| sample_moments(&moments, h))
        .unzip();
    let (mean_mu, var_mu) = mean_var(&mus);
    let (mean_var_s, _) = mean_var(&vars);
    let n = n as f64;
    let between = n * n * var_mu;
    let within = n * mean_var_s;
    PopulationPrediction {
        std: (between + within).sqrt(),
        mean: n * mean_mu,
        between,
        within,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use rand::Rng;

    /// The definition, summed naively over every (x, w) pair with the
    /// centered variance, straight from DESIGN.md (index loops kept to
    /// mirror the formula).
    #[allow(clippy::needless_range_loop)]
    fn naive(table: &ErrorTable, weight_hist: &[u64], act_hists: &[Vec<u32>], n: usize) -> f64 {
        let wt: u64 = weight_hist.iter().sum();
        let mut mus = Vec::new();
        let mut vars = Vec::new();
        for h in act_hists {
            let at: u32 = h.iter().sum();
            let mut mu = 0.0;
            for x in 0..256 {
                for w in 0..256 {
                    let p = h[x] as f64 / at as f64 * weight_hist[w] as f64 / wt as f64;
                    mu += p * table.get(x as u8, w as u8 as i8) as f64;
                }
            }
            let mut var = 0.0;
            for x in 0..256 {
                for w in 0..256 {
                    let p = h[x] as f64 / at as f64 * weight_hist[w] as f64 / wt as f64;
                    let d = table.get(x as u8, w as u8 as i8) as f64 - mu;
                    var += p * d * d;
                }
            }
            mus.push(mu);
            vars.push(var);
        }
        let s = mus.len() as f64;
        let mm = mus.iter().sum::<f64>() / s;
        let vm = mus.iter().map(|m| (m - mm) * (m - mm)).sum::<f64>() / s;
        let mv = vars.iter().sum::<f64>() / s;
        ((n * n) as f64 * vm + n as f64 * mv).sqrt()
    }

    fn weight_hist(ws: &[i8]) -> Vec<u64> {
        let mut h = vec![0u64; 256];
        for &w in ws {
            h[w as u8 as usize] += 1;
        }
        h
    }

    #[test]
    fn matches_naive_definition() {
        for signed in [false, true] {
            let mut rng = rng(1);
            let table = ErrorTable::new(&rough_map(signed));
            let n = 27;
            let acts = random_act_hists(&mut rng, 6, n, if signed { 127 } else { 255 });
            let wh = weight_hist(&random_weights(&mut rng, 200));
            let fast = population(&table, &wh, &acts, n).std;
            let slow = naive(&table, &wh, &acts, n);
            assert!(fast > 1.0);
            assert!((fast - slow).abs() <= 1e-9 * slow, "{fast} vs {slow}");
        }
    }

    /// Monte-Carlo: pick a sample, draw `n` activations from it and `n`
    /// weights from the weight histogram, sum the errors; the spread of that
    /// sum is what the model predicts.
    #[test]
    fn matches_monte_carlo() {
        let mut rng = rng(2);
        let table = ErrorTable::new(&rough_map(false));
        let n = 16;
        let acts = random_act_hists(&mut rng, 8, n, 255);
        let ws = random_weights(&mut rng, 300);
        let wh = weight_hist(&ws);
        let wh32: Vec<u32> = wh.iter().map(|&c| c as u32).collect();
        let pred = population(&table, &wh, &acts, n);
        let trials = 60_000;
        let sums: Vec<f64> = (0..trials)
            .map(|_| {
                let s = rng.random_range(0..acts.len());
                (0..n)
                    .map(|_| {
                        table.get(draw(&mut rng, &acts[s]), draw(&mut rng, &wh32) as i8) as f64
                    })
                    .sum()
            })
            .collect();
        let (mean, var) = mean_var(&sums);
        let std = var.sqrt();
        assert!(
            (std / pred.std - 1.0).abs() < 0.03,
            "measured {std}, predicted {}",
            pred.std
        );
        assert!(
            (mean - pred.mean).abs() < 0.05 * pred.std,
            "mean {mean} vs {}",
            pred.mean
        );
    }

    #[test]
    fn exact_multiplier_predicts_zero() {
        let mut rng = rng(3);
        let table = ErrorTable::new(&crate::errmap::ErrorMap::exact(false));
        let acts = random_act_hists(&mut rng, 4, 9, 255);
        let wh = weight_hist(&random_weights(&mut rng, 50));
        assert_eq!(
            population(&table, &wh, &acts, 9),
            PopulationPrediction::default()
        );
    }
}
