//! Error metrics of a multiplier over all 65,536 operand pairs, as the
//! EvoApprox8b library defines them. Percentages of absolute errors are
//! relative to the output range 2^16; relative errors are taken over the
//! pairs whose exact product is nonzero (the others have no relative error).

use super::Metrics;
use crate::errmap::ErrorMap;

/// Output range the `_pct` metrics of absolute errors are relative to.
const RANGE: f64 = 65536.0;

/// All metrics of `map` (signed maps read operands and products as two's
/// complement, which [`ErrorMap`] already does).
pub fn metrics(map: &ErrorMap) -> Metrics {
    let n = 65536.0;
    let (mut sum_abs, mut sum, mut sum_sq) = (0f64, 0f64, 0f64);
    let (mut wce, mut wrong) = (0i64, 0usize);
    let (mut sum_rel, mut wcre, mut nonzero) = (0f64, 0f64, 0usize);
    for a in 0..=255u8 {
        for b in 0..=255u8 {
            let exact = map.exact_product(a, b) as i64;
            let e = map.product(a, b) as i64 - exact;
            let abs = e.abs();
            sum_abs += abs as f64;
            sum += e as f64;
            sum_sq += (e * e) as f64;
            wce = wce.max(abs);
            wrong += (e != 0) as usize;
            if exact != 0 {
                let rel = abs as f64 / exact.abs() as f64;
                sum_rel += rel;
                wcre = wcre.max(rel);
                nonzero += 1;
            }
        }
    }
    let mae = sum_abs / n;
    let bias = sum / n;
    let mse = sum_sq / n;
    // Second pass for the standard deviation: numerically exact for maps
    // whose squared errors are large compared with their spread.
    let mut var = 0f64;
    for a in 0..=255u8 {
        for b in 0..=255u8 {
            let d = map.error(a, b) as f64 - bias;
            var += d * d;
        }
    }
    Metrics {
        mae,
        mae_pct: mae / RANGE * 100.0,
        wce: wce as f64,
        wce_pct: wce as f64 / RANGE * 100.0,
        ep_pct: wrong as f64 / n * 100.0,
        mre_pct: if nonzero > 0 {
            sum_rel / nonzero as f64 * 100.0
        } else {
            0.0
        },
        wcre_pct: wcre * 100.0,
        mse,
        bias,
        err_std: (var / n).sqrt(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(x: f64, y: f64) -> bool {
        (x - y).abs() <= 1e-9 * (1.0 + y.abs())
    }

    #[test]
    fn exact_maps_have_zero_error() {
        for signed in [false, true] {
            let m = metrics(&ErrorMap::exact(signed));
            assert_eq!(m, Metrics::default());
        }
    }

    /// Error +1 on exactly one pair: every metric is computable by hand.
    #[test]
    fn single_error_unsigned() {
        let mut map = ErrorMap::exact(false);
        map.products[crate::errmap::index(3, 5)] += 1; // exact 15
        let m = metrics(&map);
        let n = 65536.0;
        assert!(close(m.mae, 1.0 / n));
        assert!(close(m.mae_pct, 1.0 / n / n * 100.0));
        assert_eq!(m.wce, 1.0);
        assert!(close(m.wce_pct, 100.0 / n));
        assert!(close(m.ep_pct, 100.0 / n));
        // 255*255 pairs have a nonzero exact product.
        assert!(close(m.mre_pct, (1.0 / 15.0) / (255.0 * 255.0) * 100.0));
        assert!(close(m.wcre_pct, 100.0 / 15.0));
        assert!(close(m.mse, 1.0 / n));
        assert!(close(m.bias, 1.0 / n));
        assert!(close(m.err_std, (1.0 / n - 1.0 / (n * n)).sqrt()));
    }

    /// Dropping the two low product bits: errors 0, -1, -2, -3 equally often.
    #[test]
    fn truncated_low_bits() {
        let map = ErrorMap::from_fn(false, |a, b| (a * b) & !3);
        let m = metrics(&map);
        // The low two bits of a*b over all pairs: count each residue.
        let mut counts = [0f64; 4];
        for a in 0..256 {
            for b in 0..256 {
                counts[((a * b) & 3) as usize] += 1.0;
            }
        }
        let n = 65536.0;
        let mae = (counts[1] + 2.0 * counts[2] + 3.0 * counts[3]) / n;
        assert!(close(m.mae, mae));
        assert!(close(m.bias, -mae));
        assert_eq!(m.wce, 3.0);
        assert!(close(m.ep_pct, (n - counts[0]) / n * 100.0));
        let mse = (counts[1] + 4.0 * counts[2] + 9.0 * counts[3]) / n;
        assert!(close(m.mse, mse));
        assert!(close(m.err_std, (mse - mae * mae).sqrt()));
        // Worst relative error: exact 3 reported as 0.
        assert!(close(m.wcre_pct, 100.0));
    }

    /// Signed maps: the exact product of (-1, -128) is +128; an output of
    /// -128 there is an error of 256.
    #[test]
    fn signed_reads_twos_complement() {
        let mut map = ErrorMap::exact(true);
        map.products[crate::errmap::index(0xff, 0x80)] = -128;
        let m = metrics(&map);
        assert_eq!(m.wce, 256.0);
        assert!(close(m.bias, -256.0 / 65536.0));
        assert!(close(m.wcre_pct, 200.0));
        assert!(close(m.mre_pct, 2.0 / (255.0 * 255.0) * 100.0));
    }
}
