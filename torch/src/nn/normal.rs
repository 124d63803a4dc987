//! Standard normal draws for the AGN noise, several times faster than
//! libtorch's CPU `randn` (7.5 ns per value on this project's 2-core Zen 3,
//! most of an AGN step's overhead over QAT on ResNet-8).
//!
//! The method is Box–Muller (Box & Muller, "A note on the generation of
//! random normal deviates", Ann. Math. Stat. 29, 1958): two uniforms `u1` in
//! (0, 1] and `u2` in [0, 1) give `sqrt(-2 ln u1) * (cos 2πu2, sin 2πu2)`,
//! two independent N(0, 1) values. The uniforms are 24-bit (as libtorch's
//! float draws), from xoshiro256++ (Blackman & Vigna, "Scrambled linear
//! pseudorandom number generators", ACM TOMS 47, 2021) run as [`STREAMS`]
//! independent generators side by side, so that the generator's 64-bit
//! adds, shifts and xors vectorize too (one generator step is a serial
//! chain; eight in lockstep fill two AVX2 registers). `ln`, `sin` and
//! `cos` are short polynomials in plain multiplies and adds (no fused
//! multiply-add), so the AVX2 build and the portable build give the same
//! bits and the loop vectorizes 8 lanes wide:
//! * `ln m` for the mantissa `m` in [√½, √2): `2 atanh s` with `s = (m-1)/(m+1)`,
//!   the odd series to `s^11` (|s| ≤ 0.172: truncation below 2e-10);
//! * `sin`/`cos` of `2πu2`: the top two bits of `u2` pick the quadrant, the
//!   rest an angle `t` in [-π/4, π/4) around the quadrant's middle; Taylor
//!   series to `t^11` / `t^12` (truncation below 3e-11).
//!
//! The largest value is `sqrt(-2 ln 2^-25)` = 5.89. Draws are made in
//! blocks of [`BLOCK`] values, block `b` from its own generators, whose
//! states `rand_xoshiro`'s seeding generator draws from `(seed, b)`, so the
//! result depends on the seed only, not on the threads.

use rand::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

/// Values per independently seeded block (a multiple of `2 * LANES`).
pub const BLOCK: usize = 1 << 15;

/// Uniform pairs computed together (then `LANES` cosines and `LANES` sines):
/// long enough for the loop over them to vectorize 8 lanes wide.
const LANES: usize = 32;

/// Generators run side by side (lanes of the vectorized generator step).
pub const STREAMS: usize = 8;

/// Fill `out` with normal values of mean 0 and standard deviation `std`
/// (standard normal draws times `std`) from `seed`; the same seed gives
/// the same values whatever `out.len()` is cut into by the thread pool.
/// On at most `threads` threads of the pool: the caller passes libtorch's
/// thread count, so that a training step limited to one core draws on one
/// (and a single block never wakes the pool).
pub fn fill(out: &mut [f32], seed: u64, std: f32, threads: usize) {
    let one = |(b, block): (usize, &mut [f32])| {
        let mut rng = Streams::seed(seed ^ (b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        fill_block(block, &mut rng, std);
    };
    let blocks = out.len().div_ceil(BLOCK);
    if blocks <= 1 || threads <= 1 {
        out.chunks_mut(BLOCK).enumerate().for_each(one);
    } else {
        out.par_chunks_mut(BLOCK)
            .enumerate()
            .with_min_len(blocks.div_ceil(threads))
            .for_each(one);
    }
}

/// [`STREAMS`] xoshiro256++ generators in lockstep: `s[j][k]` is word `j`
/// of generator `k`'s state (Blackman & Vigna's reference `next`, lane by
/// lane).
#[derive(Clone)]
struct Streams {
    s: [[u64; STREAMS]; 4],
}

impl Streams {
    /// States drawn from `rand_xoshiro`'s generator seeded with `seed` (its
    /// SplitMix64 seeding): four words per stream, never all zero.
    fn seed(seed: u64) -> Self {
        let mut init = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut s = [[0u64; STREAMS]; 4];
        for k in 0..STREAMS {
            for word in &mut s {
                word[k] = init.next_u64();
            }
            if s.iter().all(|w| w[k] == 0) {
                s[0][k] = 1;
            }
        }
        Streams { s }
    }

    /// One output of each stream.
    #[inline(always)]
    fn next(&mut self) -> [u64; STREAMS] {
        let [s0, s1, s2, s3] = &mut self.s;
        let mut out = [0u64; STREAMS];
        for k in 0..STREAMS {
            out[k] = s0[k]
                .wrapping_add(s3[k])
                .rotate_left(23)
                .wrapping_add(s0[k]);
            let t = s1[k] << 17;
            s2[k] ^= s0[k];
            s3[k] ^= s1[k];
            s1[k] ^= s2[k];
            s0[k] ^= s3[k];
            s2[k] ^= t;
            s3[k] = s3[k].rotate_left(45);
        }
        out
    }
}

fn fill_block(out: &mut [f32], rng: &mut Streams, std: f32) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2 (checked above).
        return unsafe { fill_block_avx2(out, rng, std) };
    }
    fill_block_portable(out, std, || rng.next())
}

/// [`fill_block_portable`] compiled with 256-bit vectors, the generator
/// steps in AVX2 registers ([`avx2::Streams`]; LLVM keeps the portable
/// lockstep generator scalar). Same values as the portable build.
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn fill_block_avx2(out: &mut [f32], rng: &mut Streams, std: f32) {
    let mut v = avx2::Streams::load(rng);
    fill_block_portable(out, std, || v.next());
    v.store(rng);
}

#[inline(always)]
fn fill_block_portable(out: &mut [f32], std: f32, mut next: impl FnMut() -> [u64; STREAMS]) {
    let mut pairs = out.chunks_exact_mut(2 * LANES);
    for pair in &mut pairs {
        let (c, s) = pair.split_at_mut(LANES);
        draw(&mut next, std, c.try_into().unwrap(), s.try_into().unwrap());
    }
    let rest = pairs.into_remainder();
    if !rest.is_empty() {
        let (mut c, mut s) = ([0f32; LANES], [0f32; LANES]);
        draw(&mut next, std, &mut c, &mut s);
        for (o, v) in rest.iter_mut().zip(c.iter().chain(&s)) {
            *o = *v;
        }
    }
}

/// `2 * LANES` normal values of deviation `std` from `LANES` random 64-bit
/// words: the low halves give `u1`, the high halves `u2`.
#[inline(always)]
fn draw(
    next: &mut impl FnMut() -> [u64; STREAMS],
    std: f32,
    cos_out: &mut [f32; LANES],
    sin_out: &mut [f32; LANES],
) {
    let (mut a, mut b) = ([0u32; LANES], [0u32; LANES]);
    for i in (0..LANES).step_by(STREAMS) {
        let w = next();
        for k in 0..STREAMS {
            a[i + k] = w[k] as u32 >> 8;
            b[i + k] = (w[k] >> 40) as u32;
        }
    }
    for i in 0..LANES {
        let (r, c, s) = box_muller(a[i], b[i]);
        let r = r * std;
        cos_out[i] = r * c;
        sin_out[i] = r * s;
    }
}

/// The lockstep generators in AVX2 registers: four streams per register.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::STREAMS;
    use std::arch::x86_64::*;

    const HALF: usize = STREAMS / 4;

    pub struct Streams {
        s: [[__m256i; HALF]; 4],
    }

    impl Streams {
        /// # Safety
        /// The CPU must support AVX2.
        #[inline(always)]
        pub unsafe fn load(from: &super::Streams) -> Self {
            let s = std::array::from_fn(|j| {
                std::array::from_fn(|h| _mm256_loadu_si256(from.s[j][4 * h..].as_ptr().cast()))
            });
            Streams { s }
        }

        /// # Safety
        /// The CPU must support AVX2.
        #[inline(always)]
        pub unsafe fn store(&self, to: &mut super::Streams) {
            for j in 0..4 {
                for h in 0..HALF {
                    _mm256_storeu_si256(to.s[j][4 * h..].as_mut_ptr().cast(), self.s[j][h]);
                }
            }
        }

        /// [`super::Streams::next`], four streams per instruction.
        ///
        /// # Safety
        /// The CPU must support AVX2.
        #[inline(always)]
        pub unsafe fn next(&mut self) -> [u64; STREAMS] {
            #[inline(always)]
            unsafe fn rotl<const L: i32, const R: i32>(x: __m256i) -> __m256i {
                _mm256_or_si256(_mm256_slli_epi64::<L>(x), _mm256_srli_epi64::<R>(x))
            }
            let mut out = [0u64; STREAMS];
            let [s0, s1, s2, s3] = &mut self.s;
            for h in 0..HALF {
                let r = _mm256_add_epi64(rotl::<23, 41>(_mm256_add_epi64(s0[h], s3[h])), s0[h]);
                _mm256_storeu_si256(out[4 * h..].as_mut_ptr().cast(), r);
                let t = _mm256_slli_epi64::<17>(s1[h]);
                s2[h] = _mm256_xor_si256(s2[h], s0[h]);
                s3[h] = _mm256_xor_si256(s3[h], s1[h]);
                s1[h] = _mm256_xor_si256(s1[h], s2[h]);
                s0[h] = _mm256_xor_si256(s0[h], s3[h]);
                s2[h] = _mm256_xor_si256(s2[h], t);
                s3[h] = rotl::<45, 19>(s3[h]);
            }
            out
        }
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
        fill(&mut v, 42, 1.0, 2);
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
    fn each_stream_is_the_reference_xoshiro256plusplus() {
        let mut streams = Streams::seed(5);
        let mut reference: Vec<Xoshiro256PlusPlus> = (0..STREAMS)
            .map(|k| {
                let mut bytes = [0u8; 32];
                for (j, word) in streams.s.iter().enumerate() {
                    bytes[8 * j..8 * j + 8].copy_from_slice(&word[k].to_le_bytes());
                }
                Xoshiro256PlusPlus::from_seed(bytes)
            })
            .collect();
        for _ in 0..1000 {
            let w = streams.next();
            for (k, r) in reference.iter_mut().enumerate() {
                assert_eq!(w[k], r.next_u64(), "stream {k}");
            }
        }
        // Distinct streams.
        let w = streams.next();
        assert!((1..STREAMS).all(|k| w[k] != w[0]));
    }

    #[test]
    fn a_seed_gives_the_same_values_whatever_the_threads() {
        let mut a = vec![0f32; 3 * BLOCK + 7];
        fill(&mut a, 9, 1.0, 2);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let mut b = vec![0f32; a.len()];
        one.install(|| fill(&mut b, 9, 1.0, 2));
        let mut d = vec![0f32; a.len()];
        fill(&mut d, 9, 1.0, 1);
        assert_eq!(a, d);
        assert_eq!(
            a.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            b.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
        let mut c = vec![0f32; a.len()];
        fill(&mut c, 10, 1.0, 2);
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
        unsafe { fill_block_avx2(&mut a, &mut Streams::seed(1), 3.5) };
        let mut rng = Streams::seed(1);
        fill_block_portable(&mut b, 3.5, || rng.next());
        assert!(a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits()));
    }
}
