//! The `sampled` model: the per-channel model without its independence
//! assumption. Instead of drawing activations from a receptive field's
//! histogram, it evaluates each channel's error exactly on the `S` sampled
//! receptive fields themselves (calibration keeps them), so the pairing of
//! each activation with its weight — strong in trained layers, where large
//! activations meet the weights that were trained to read them — is kept.
//!
//! For channel `j` and field `s`: `E_j(s) = sum_i e(x_i^(s), w_ij)`;
//! systematic error `c_j = Mean_s E_j(s)`, compensated by `r_j = -round(c_j)`
//! in the bias; predicted layer error `sqrt(Mean_j(Var_s E_j(s) + (c_j + r_j)^2))`,
//! the RMS of the compensated error over output values. A Monte-Carlo
//! estimate over `S` fields per channel: its relative sampling error is
//! about `1 / sqrt(2 S)` (3% for `S = 512`).

use super::{mean_var, ChannelPrediction, ErrorTable};

/// The sampled model's prediction for a layer with `weights` laid out
/// `[out_ch][n]` on receptive `fields` (`n` activation bytes each).
pub fn sampled(
    table: &ErrorTable,
    weights: &[i8],
    out_ch: usize,
    fields: &[Vec<u8>],
) -> ChannelPrediction {
    if out_ch == 0 || weights.is_empty() || fields.is_empty() {
        return ChannelPrediction::default();
    }
    let n = weights.len() / out_ch;
    ChannelPrediction::from_channels(weights.chunks_exact(n).map(|w| {
        let e: Vec<f64> = fields
            .iter()
            .map(|f| {
                f.iter()
                    .zip(w)
                    .map(|(&x, &wi)| table.get(x, wi) as i64)
                    .sum::<i64>() as f64
            })
            .collect();
        mean_var(&e)
    }))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    /// On fields whose activations are exchangeable (drawn independently
    /// from one histogram), the sampled model agrees with the per-channel
    /// model; the sampled one is a finite-sample estimate of it.
    #[test]
    fn agrees_with_per_channel_on_exchangeable_fields() {
        use rand::Rng;
        let mut rng = rng(9);
        let table = ErrorTable::new(&rough_map(false));
        let (n, out_ch) = (12, 3);
        let weights = random_weights(&mut rng, n * out_ch);
        let base = random_act_hists(&mut rng, 1, 400, 255).remove(0);
        let fields: Vec<Vec<u8>> = (0..20_000)
            .map(|_| (0..n).map(|_| draw(&mut rng, &base)).collect())
            .collect();
        let s = sampled(&table, &weights, out_ch, &fields);
        let p = crate::errmodel::per_channel(&table, &weights, out_ch, &[base]);
        assert!((s.std / p.std - 1.0).abs() < 0.03, "{} vs {}", s.std, p.std);
        for j in 0..out_ch {
            assert!((s.systematic[j] - p.systematic[j]).abs() < 0.05 * p.channel_std[j] + 1.0);
        }
        let _ = rng.random::<u8>();
    }

    /// Two fields, one channel: the mean and spread of the two exact sums.
    #[test]
    fn is_exact_on_its_fields() {
        let table = ErrorTable::new(&rough_map(true));
        let w: Vec<i8> = vec![-5, 77, 100];
        let fields = vec![vec![3u8, 90, 127], vec![0u8, 0, 64]];
        let s = sampled(&table, &w, 1, &fields);
        let e: Vec<f64> = fields
            .iter()
            .map(|f| {
                f.iter()
                    .zip(&w)
                    .map(|(&x, &wi)| table.get(x, wi) as f64)
                    .sum()
            })
            .collect();
        let c = (e[0] + e[1]) / 2.0;
        assert_eq!(s.systematic, vec![c]);
        assert!((s.channel_std[0] - (e[0] - c).abs()).abs() < 1e-9);
    }
}
