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

use super::{mean_var, ChannelPrediction};
use crate::intnet::lut::{self, ProductTable};

/// Receptive fields of one layer as the lookup-table GEMM reads them, with
/// the exact multiplier's accumulators on them: computed once per layer,
/// shared by every candidate multiplier (the sampled model's fields, the
/// validation's held-out inputs).
pub struct Fields {
    /// Activations `[n][S]`: column `s` is field `s`.
    xt: Vec<u8>,
    /// Fields `S`.
    count: usize,
    /// Exact accumulators `[out_ch][S]` (bias excluded).
    exact: Vec<i32>,
}

impl Fields {
    /// `flat` holds the fields one after another (`[S][n]`, weight order)
    /// of a layer with `weights` laid out `[out_ch][n]`, multiplied
    /// `signed` or not.
    pub fn new(signed: bool, weights: &[i8], out_ch: usize, flat: &[u8]) -> Self {
        let n = weights.len().checked_div(out_ch).unwrap_or(0);
        let count = flat.len().checked_div(n).unwrap_or(0);
        assert!(
            n == 0 || count * n == flat.len(),
            "fields are not whole receptive fields"
        );
        let mut xt = vec![0u8; n * count];
        for (s, f) in flat.chunks_exact(n.max(1)).take(count).enumerate() {
            for (i, &x) in f.iter().enumerate() {
                xt[i * count + s] = x;
            }
        }
        let exact = lut::gemm(&ProductTable::exact(signed), weights, out_ch, n, &xt, count);
        Fields { xt, count, exact }
    }

    /// Fields `S`.
    pub fn count(&self) -> usize {
        self.count
    }

    /// `D[j][s] = sum_i e(x_i^(s), w_ij)`, `[out_ch][S]`: the accumulators
    /// with `products` minus the exact ones, both from [`lut::gemm`] (the
    /// simulator's arithmetic). In wrapping `i32` the difference is exact
    /// while `|D| < 2^31`, always so for `n < 32768` (`|e| < 2^16`).
    pub fn errors(&self, products: &ProductTable, weights: &[i8], out_ch: usize) -> Vec<i32> {
        let n = weights.len().checked_div(out_ch).unwrap_or(0);
        let mut d = lut::gemm(products, weights, out_ch, n, &self.xt, self.count);
        for (d, &x) in d.iter_mut().zip(&self.exact) {
            *d = d.wrapping_sub(x);
        }
        d
    }
}

/// The sampled model's prediction for a layer with `weights` laid out
/// `[out_ch][n]` on its sampled `fields` ([`Fields::new`] of the same
/// weights), for the multiplier whose products are `products`.
pub fn sampled(
    products: &ProductTable,
    weights: &[i8],
    out_ch: usize,
    fields: &Fields,
) -> ChannelPrediction {
    if out_ch == 0 || weights.is_empty() || fields.count == 0 {
        return ChannelPrediction::default();
    }
    let d = fields.errors(products, weights, out_ch);
    ChannelPrediction::from_channels(d.chunks_exact(fields.count).map(|e| {
        let e: Vec<f64> = e.iter().map(|&v| v as f64).collect();
        mean_var(&e)
    }))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::ErrorTable;
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
        let products = ProductTable::new(&rough_map(false));
        let s = sampled(
            &products,
            &weights,
            out_ch,
            &Fields::new(false, &weights, out_ch, &fields.concat()),
        );
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
        let fields = [vec![3u8, 90, 127], vec![0u8, 0, 64]];
        let s = sampled(
            &ProductTable::new(&rough_map(true)),
            &w,
            1,
            &Fields::new(true, &w, 1, &fields.concat()),
        );
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
