//! Standard normal draws for the AGN noise, several times faster than
//! libtorch's CPU `randn` (7.5 ns per value on this project's 2-core Zen 3,
//! most of an AGN step's overhead over QAT on ResNet-8).
//!
//! The method is Box–Muller (Box & Muller, "A note on the generation of
//! random normal deviates", Ann. Math. Stat. 29, 1958): two uniforms `u1` in
//! (0, 1] and `u2` in [0, 1) give `sqrt(-2 ln u1) * (cos 2πu2, sin 2πu2)`,
//! two independent N(0, 1) values. The uniforms are 24-bit (as libtorch's
//! float draws), from xoshiro256++ (Blackman & Vigna, "Scrambled linear
//! pseudorandom number generators", ACM TOMS 47, 2021; crate
//! `rand_xoshiro`). `ln`, `sin` and `cos` are short polynomials in plain
//! multiplies and adds (no fused multiply-add), so the AVX2 build and the
//! portable build give the same bits and the loop vectorizes 8 lanes wide:
//! * `ln m` for the mantissa `m` in [√½, √2): `2 atanh s` with `s = (m-1)/(m+1)`,
//!   the odd series to `s^11` (|s| ≤ 0.172: truncation below 2e-10);
//! * `sin`/`cos` of `2πu2`: the top two bits of `u2` pick the quadrant, the
//!   rest an angle `t` in [-π/4, π/4) around the quadrant's middle; Taylor
//!   series to `t^11` / `t^12` (truncation below 3e-11).
//!
//! The largest value is `sqrt(-2 ln 2^-25)` = 5.89. Draws are made in
//! blocks of [`BLOCK`] values, block `b` from its own generator seeded with
//! `(seed, b)`, so the result depends on the seed only, not on the threads.

use rand::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

/// Values per independently seeded block (a multiple of `2 * LANES`).
pub const BLOCK: usize = 1 << 15;

/// Uniform pairs computed together (then `LANES` cosines and `LANES` sines):
/// long enough for the loop over them to vectorize 8 lanes wide.
const LANES: usize = 32;

/// Fill `out` with standard normal values from `seed`; the same seed gives
/// the same values whatever `out.len()` is cut into by the thread pool.
pub fn fill(out: &mut [f32], seed: u64) {
    out.par_chunks_mut(BLOCK)
        .enumerate()
        .for_each(|(b, block)| {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(
                seed ^ (b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            );
            fill_block(block, &mut rng);
        });
}

fn fill_block(out: &mut [f32], rng: &mut Xoshiro256PlusPlus) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2 (checked above).
        return unsafe { fill_block_avx2(out, rng) };
    }
    fill_block_portable(out, rng)
}

/// [`fill_block_portable`] compiled with 256-bit vectors.
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn fill_block_avx2(out: &mut [f32], rng: &mut Xoshiro256PlusPlus) {
    fill_block_portable(out, rng)
}

#[inline(always)]
fn fill_block_portable(out: &mut [f32], rng: &mut Xoshiro256PlusPlus) {
    let mut pairs = out.chunks_exact_mut(2 * LANES);
    for pair in &mut pairs {
        let (c, s) = pair.split_at_mut(LANES);
        draw(rng, c.try_into().unwrap(), s.try_into().unwrap());
    }
    let rest = pairs.into_remainder();
    if !rest.is_empty() {
        let (mut c, mut s) = ([0f32; LANES], [0f32; LANES]);
        draw(rng, &mut c, &mut s);
        for (o, v) in rest.iter_mut().zip(c.iter().chain(&s)) {
            *o = *v;
        }
    }
}

/// `2 * LANES` normal values from `LANES` random 64-bit words: the low
/// halves give `u1`, the high halves `u2`.
#[inline(always)]
fn draw(rng: &mut Xoshiro256PlusPlus, cos_out: &mut [f32; LANES], sin_out: &mut [f32; LANES]) {
    let (mut a, mut b) = ([0u32; LANES], [0u32; LANES]);
    for i in 0..LANES {
        let w = rng.next_u64();
        a[i] = w as u32 >> 8;
        b[i] = (w >> 40) as u32;
    }
    for i in 0..LANES {
        let (r, c, s) = box_muller(a[i], b[i]);
        cos_out[i] = r * c;
        sin_out[i] = r * s;
    }
}

/// `(sqrt(-2 ln u1), cos 2πu2, sin 2πu2)` for `u1 = (a + 0.5) / 2^24` and
/// `u2 = b / 2^24` (`a`, `b` 24-bit).
#[inline(always)]
fn box_muller(a: u32, b: u32) -> (f32, f32, f32) {
    // Through i32: x86 before AVX-512 has no vector u32 -> f32 conversion.
    let u1 = ((a as i32) as f32 + 0.5) * (1.0 / 16_777_216.0);
    let r = (-2.0 * ln(u1)).sqrt();
    // Quadrant q = top 2 bits; t = the remaining 22 bits as an angle in
    // [-π/4, π/4) measured from the quadrant's middle.
    let q = b >> 22;
    let t = (((b & 0x3F_FFFF) as i32) as f32 - 2_097_152.0)
        * (std::f32::consts::FRAC_PI_2 / 4_194_304.0);
    let t2 = t * t;
    let st = t
        * (1.0
            + t2 * (-1.0 / 6.0
                + t2 * (1.0 / 120.0
                    + t2 * (-1.0 / 5040.0 + t2 * (1.0 / 362_880.0 + t2 * (-1.0 / 39_916_800.0))))));
    let ct = 1.0
        + t2 * (-0.5
            + t2 * (1.0 / 24.0
                + t2 * (-1.0 / 720.0
                    + t2 * (1.0 / 40_320.0
                        + t2 * (-1.0 / 3_628_800.0 + t2 * (1.0 / 479_001_600.0))))));
    // Angle θ = q·π/2 + π/4 + t: with h = √½, cos(π/4 + t) = h(ct - st) and
    // sin(π/4 + t) = h(ct + st); each quadrant turns (cos, sin) by 90°:
    // q = 0..3 gives (c0, s0), (-s0, c0), (-c0, -s0), (s0, -c0), i.e. swap
    // for odd q, negate the first for q = 1, 2 and the second for q = 2, 3
    // (selects and sign flips, so that the loop vectorizes).
    let h = std::f32::consts::FRAC_1_SQRT_2;
    let (c0, s0) = (h * (ct - st), h * (ct + st));
    let odd = q & 1 == 1;
    let (c, s) = (if odd { s0 } else { c0 }, if odd { c0 } else { s0 });
    let c = f32::from_bits(c.to_bits() ^ (((q ^ (q >> 1)) & 1) << 31));
    let s = f32::from_bits(s.to_bits() ^ ((q >> 1) << 31));
    (r, c, s)
}

/// Natural logarithm of a positive normal `x` (accuracy about 1e-7 relative
/// to the result's magnitude; see the module note).
#[inline(always)]
fn ln(x: f32) -> f32 {
    let bits = x.to_bits();
    // m in [1, 2); fold m ≥ √2 to m/2 so that m is in [√½, √2).
    let m = f32::from_bits((bits & 0x7F_FFFF) | 0x3F80_0000);
    let big = m >= std::f32::consts::SQRT_2;
    let e = ((bits >> 23) & 0xFF) as i32 - 127 + big as i32;
    let m = if big { m * 0.5 } else { m };
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let series = 2.0
        * s
        * (1.0
            + s2 * (1.0 / 3.0
                + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0 + s2 * (1.0 / 11.0))))));
    e as f32 * std::f32::consts::LN_2 + series
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_and_the_angle_polynomials_match_the_standard_library() {
        for k in 0..100_000u32 {
            let a = k.wrapping_mul(2_654_435_761) >> 8; // spread over 24 bits
            let u1 = (a as f32 + 0.5) / 16_777_216.0;
            let want = (u1 as f64).ln();
            assert!(
                (ln(u1) as f64 - want).abs() <= 2e-7 * want.abs().max(1.0),
                "ln({u1})"
            );
            let (_, c, s) = box_muller(1 << 23, a);
            let th = std::f64::consts::TAU * a as f64 / 16_777_216.0;
            assert!(
                (c as f64 - th.cos()).abs() < 3e-7 && (s as f64 - th.sin()).abs() < 3e-7,
                "angle {th}"
            );
        }
    }

    /// Kolmogorov–Smirnov statistic of `v` against N(0, 1).
    fn ks(v: &[f32]) -> f64 {
        let mut s: Vec<f64> = v.iter().map(|&x| x as f64).collect();
        s.sort_by(f64::total_cmp);
        let n = s.len() as f64;
        let phi = |x: f64| 0.5 * (1.0 + libm_erf(x / std::f64::consts::SQRT_2));
        s.iter()
            .enumerate()
            .map(|(i, &x)| {
                let f = phi(x);
                (f - i as f64 / n).abs().max((i as f64 + 1.0) / n - f)
            })
            .fold(0.0, f64::max)
    }

    /// erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), ample for a KS
    /// test on 10^6 values (critical value 1.6e-3 at 1 %).
    fn libm_erf(x: f64) -> f64 {
        let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
        let y = 1.0
            - t * (0.254_829_592
                + t * (-0.284_496_736
                    + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))))
                * (-x * x).exp();
        y.copysign(x)
    }

    #[test]
    fn draws_are_standard_normal_and_independent_in_pairs() {
        let mut v = vec![0f32; 1 << 20];
        fill(&mut v, 42);
        let n = v.len() as f64;
        let mean = v.iter().map(|&x| x as f64).sum::<f64>() / n;
        let var = v.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / n;
        assert!(mean.abs() < 5.0 / n.sqrt(), "mean {mean}");
        assert!((var - 1.0).abs() < 5.0 * (2.0 / n).sqrt(), "variance {var}");
        let d = ks(&v);
        assert!(
            d < 1.63 / n.sqrt(),
            "KS statistic {d} (1 % critical {})",
            1.63 / n.sqrt()
        );
        // The cosine and sine of one pair are uncorrelated (and so, being
        // jointly normal, independent).
        let corr: f64 = v
            .chunks_exact(2 * LANES)
            .flat_map(|p| (0..LANES).map(move |i| p[i] as f64 * p[i + LANES] as f64))
            .sum::<f64>()
            / (n / 2.0);
        assert!(
            corr.abs() < 5.0 / (n / 2.0).sqrt(),
            "pair correlation {corr}"
        );
    }

    #[test]
    fn a_seed_gives_the_same_values_whatever_the_threads() {
        let mut a = vec![0f32; 3 * BLOCK + 7];
        fill(&mut a, 9);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let mut b = vec![0f32; a.len()];
        one.install(|| fill(&mut b, 9));
        assert_eq!(
            a.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            b.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
        let mut c = vec![0f32; a.len()];
        fill(&mut c, 10);
        assert_ne!(a, c);
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_avx2_build_gives_the_portable_bits() {
        if !std::is_x86_feature_detected!("avx2") {
            eprintln!("skipped: this CPU has no AVX2");
            return;
        }
        let (mut a, mut b) = (vec![0f32; BLOCK + 5], vec![0f32; BLOCK + 5]);
        // SAFETY: AVX2 checked above.
        unsafe { fill_block_avx2(&mut a, &mut Xoshiro256PlusPlus::seed_from_u64(1)) };
        fill_block_portable(&mut b, &mut Xoshiro256PlusPlus::seed_from_u64(1));
        assert!(a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits()));
    }
}
