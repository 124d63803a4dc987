//! Fake quantization that reproduces the integer network's arithmetic
//! ([`codesign::intnet::arith`]) exactly in the forward pass, with
//! straight-through gradients in the backward pass.
//!
//! Values travel between layers in the *integer domain*: a float tensor whose
//! entries are the integers the integer network holds, plus a scale
//! (`real = scale * int`). Rounding steps are computed in `f64` on detached
//! tensors so that they equal the `i64` formulas of the contract bit for bit;
//! the gradient flows through the unrounded float path
//! (`float + (exact - float).detach()`).
//!
//! The requantization multiplier has 16 significant bits: `mult` lies in
//! `[2^15, 2^16]` and `shift = 15 - floor(log2(ratio))`, clamped to `1..=62`.
//! With accumulators below `2^37`, `acc * mult` stays below `2^53`, so the
//! `f64` computation is exact.

use tch::{Kind, Tensor};

/// Bits of precision of requantization multipliers.
pub const MULT_BITS: i32 = 16;
/// Bits of a residual addition's multipliers: below `2^24`, the contract's
/// bound ([`codesign::intnet::MAX_ADD_MULT`]).
pub const ADD_MULT_BITS: i32 = 24;
/// Largest absolute weight value.
pub const W_MAX: f64 = 127.0;

/// Round to nearest (ties to even, as libtorch) forward, identity backward.
pub fn ste_round(x: &Tensor) -> Tensor {
    x + (x.round() - x).detach()
}

/// Fixed-point form of positive `ratio` (`f64` tensor, any shape):
/// `(mult, shift)` as `f64` tensors with `mult / 2^shift ~= ratio`.
pub fn requant_params(ratio: &Tensor) -> (Tensor, Tensor) {
    let ratio = ratio.to_kind(Kind::Double).clamp_min(1e-30);
    let e = ratio.log2().floor();
    let shift = (-e + (MULT_BITS - 1) as f64).clamp(1.0, 62.0);
    let mult = (&ratio * shift.exp2()).round().clamp_min(1.0);
    (mult, shift)
}

/// Fixed-point form of a residual addition: a common shift for both ratios
/// and the two multipliers. The shift gives the smaller ratio
/// [`MULT_BITS`] significant bits where the larger one's multiplier stays
/// below [`ADD_MULT_BITS`] bits (the contract's bound): the operands of the
/// paper's block differ in scale by orders of magnitude (raw accumulators
/// against 8-bit activations), and a shift chosen for the larger ratio alone
/// would leave the smaller one a few bits.
pub fn add_params(ratio_a: &Tensor, ratio_b: &Tensor) -> (Tensor, Tensor, Tensor) {
    let ra = ratio_a.to_kind(Kind::Double).clamp_min(1e-30);
    let rb = ratio_b.to_kind(Kind::Double).clamp_min(1e-30);
    let for_min = -ra.minimum(&rb).log2().floor() + (MULT_BITS - 1) as f64;
    let for_max = -ra.maximum(&rb).log2().floor() + (ADD_MULT_BITS - 1) as f64;
    let shift = for_min.minimum(&for_max).clamp(1.0, 62.0);
    let p = shift.exp2();
    (
        (&ra * &p)
            .round()
            .clamp(1.0, (1 << ADD_MULT_BITS) as f64 - 1.0),
        (&rb * &p)
            .round()
            .clamp(1.0, (1 << ADD_MULT_BITS) as f64 - 1.0),
        shift,
    )
}

/// `clamp((acc * mult + 2^(shift-1)) >> shift, 0, act_max)` on `f64` tensors
/// (broadcasting), exact for integer `acc` with `|acc * mult| < 2^53`.
pub fn requant_exact(acc: &Tensor, mult: &Tensor, shift: &Tensor, act_max: i32) -> Tensor {
    rescale_exact(acc, mult, shift).clamp(0.0, act_max as f64)
}

/// `(acc * mult + 2^(shift-1)) >> shift` on `f64` tensors (broadcasting):
/// [`codesign::intnet::arith::rescale`], exact for integer `acc` with
/// `|acc * mult| < 2^53` (dividing by a power of two is exact, `floor` is
/// the arithmetic shift).
pub fn rescale_exact(acc: &Tensor, mult: &Tensor, shift: &Tensor) -> Tensor {
    let acc = acc.to_kind(Kind::Double);
    let half = (shift - 1.0).exp2();
    ((acc * mult + half) / shift.exp2()).floor()
}

/// [`rescale_exact`] of `acc + bias` (then clamped to `0..=act_max` when
/// given) in three passes over the accumulators, for the training step:
/// `floor(acc * r + (bias * r + 1/2))` with `r = mult / 2^shift`.
/// `acc` is integer-valued (any float kind, `[n, c, h, w]`), `bias`, `mult`
/// and `shift` are `f64` broadcasting against it (`[1, c, 1, 1]`). Exact:
/// `r` and every product `acc * r` are the contract's integers divided by a
/// power of two, representable in `f64` while `|(acc + bias) * mult| < 2^53`,
/// so neither the multiply-add nor the floor rounds.
pub fn requant_fused(
    acc: &Tensor,
    bias: &Tensor,
    mult: &Tensor,
    shift: &Tensor,
    act_max: Option<i32>,
) -> Tensor {
    let r = mult / shift.exp2();
    let c = bias * &r + 0.5;
    let mut y = c.addcmul(&acc.to_kind(Kind::Double), &r);
    let _ = y.floor_();
    if let Some(m) = act_max {
        let _ = y.clamp_(0.0, m as f64);
    }
    y
}

/// `clamp((a * mult_a + b * mult_b + 2^(shift-1)) >> shift, 0, act_max)`
/// (tensors broadcasting, any float kind, `mult_a`, `mult_b`, `shift` `f64`):
/// the residual addition of the contract, computed in `f64` as
/// `floor(a * ra + b * rb + 1/2)` with `r = mult / 2^shift`, exact while
/// every term stays below `2^53` (the products are the contract's integers
/// divided by a power of two).
pub fn add_exact(
    a: &Tensor,
    b: &Tensor,
    mult_a: &Tensor,
    mult_b: &Tensor,
    shift: &Tensor,
    act_max: i32,
) -> Tensor {
    let p = shift.exp2();
    let mut y = a.to_kind(Kind::Double) * (mult_a / &p);
    let _ = y.addcmul_(&b.to_kind(Kind::Double), &(mult_b / &p));
    let _ = y.g_add_scalar_(0.5);
    let _ = y.floor_();
    let _ = y.clamp_(0.0, act_max as f64);
    y
}

/// `(sum + n / 2) / n` with integer division (sums are >= 0) on `f64` tensors.
pub fn avg_exact(sum: &Tensor, n: i64) -> Tensor {
    ((sum.to_kind(Kind::Double) + (n / 2) as f64) / n as f64).floor()
}

/// Tensor (any shape) to a flat `Vec<f64>`.
pub fn to_vec_f64(t: &Tensor) -> Vec<f64> {
    Vec::<f64>::try_from(
        t.to_kind(Kind::Double)
            .flatten(0, -1)
            .to_device(tch::Device::Cpu),
    )
    .expect("f64 tensor")
}

#[cfg(test)]
mod tests {
    use super::*;
    use codesign::intnet::arith;
    use rand::{Rng, SeedableRng};

    #[test]
    fn requant_matches_integer_rounding() {
        // Includes ties (acc * mult exactly at .5), negatives and the clamp.
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let mut accs: Vec<i64> = (0..4000)
            .map(|_| rng.random_range(-3_000_000i64..30_000_000))
            .collect();
        accs.extend([-1, 0, 1, 2, 3, 127, 128, 129, 255, 256, 511, 512, 513]);
        for &ratio in &[1.0 / 3.0, 0.5, 0.25, 1e-3, 7.3e-6, 0.999, 1.7, 0.0078125] {
            let (m, s) = requant_params(&Tensor::from(ratio));
            let (mi, si) = (m.double_value(&[]) as i64, s.double_value(&[]) as u32);
            assert!(
                (1 << 15..=1 << 16).contains(&mi) || si == 1,
                "ratio {ratio}: mult {mi}"
            );
            assert!(((mi as f64 / 2f64.powi(si as i32)) / ratio - 1.0).abs() < 2e-5);
            let t = Tensor::from_slice(&accs).to_kind(Kind::Double);
            let got = to_vec_f64(&requant_exact(&t, &m, &s, 255));
            let unclamped = to_vec_f64(&rescale_exact(&t, &m, &s));
            // The training step's fused form, with a bias, from f32.
            let bias = -37i64;
            let fused = to_vec_f64(&requant_fused(
                &t.to_kind(Kind::Float),
                &Tensor::from(bias as f64),
                &m,
                &s,
                Some(255),
            ));
            let fused_raw =
                to_vec_f64(&requant_fused(&t, &Tensor::from(bias as f64), &m, &s, None));
            for ((a, f), r) in accs.iter().zip(&fused).zip(&fused_raw) {
                if a.abs() < 1 << 24 {
                    assert_eq!(*f as i32, arith::requant(a + bias, mi, si, 255), "acc {a}");
                }
                assert_eq!(*r as i64, arith::rescale(a + bias, mi, si), "acc {a}");
            }
            for ((a, g), u) in accs.iter().zip(got).zip(unclamped) {
                assert_eq!(
                    g as i32,
                    arith::requant(*a, mi, si, 255),
                    "acc {a} ratio {ratio}"
                );
                assert_eq!(
                    u as i64,
                    arith::rescale(*a, mi, si),
                    "acc {a} ratio {ratio}"
                );
            }
        }
        // Exact ties round half up: 3 * 2^15 / 2^16 = 1.5 -> 2; -1.5 -> -1 (then clamp 0).
        let m = Tensor::from(32768.0f64);
        let s = Tensor::from(16.0f64);
        let got = to_vec_f64(&requant_exact(
            &Tensor::from_slice(&[3i64, 1, 5]),
            &m,
            &s,
            255,
        ));
        assert_eq!(got, vec![2.0, 1.0, 3.0]);
        assert_eq!(arith::requant(3, 32768, 16, 255), 2);
    }

    #[test]
    fn add_matches_integer_rounding() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        let (ma, mb, s) = add_params(&Tensor::from(0.37f64), &Tensor::from(1.9e-4f64));
        let (mai, mbi, si) = (
            ma.double_value(&[]) as i64,
            mb.double_value(&[]) as i64,
            s.double_value(&[]) as u32,
        );
        let a: Vec<i64> = (0..2000).map(|_| rng.random_range(0..256)).collect();
        let b: Vec<i64> = (0..2000)
            .map(|_| rng.random_range(-2_000_000..2_000_000))
            .collect();
        let ta = Tensor::from_slice(&a).to_kind(Kind::Double);
        let tb = Tensor::from_slice(&b).to_kind(Kind::Double);
        let exact = add_exact(&ta, &tb, &ma, &mb, &s, 255);
        for ((x, y), g) in a.iter().zip(&b).zip(to_vec_f64(&exact)) {
            assert_eq!(g as i32, arith::residual_add(*x, *y, mai, mbi, si, 255));
        }
    }

    #[test]
    fn average_rounds_half_up() {
        let sums = Tensor::from_slice(&[0i64, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(
            to_vec_f64(&avg_exact(&sums, 4)),
            vec![0., 0., 1., 1., 1., 1., 2., 2., 2., 2.]
        );
        for n in [1i64, 2, 3, 4, 9, 16, 64] {
            for s in 0..300i64 {
                assert_eq!(
                    to_vec_f64(&avg_exact(&Tensor::from(s), n))[0] as i32,
                    arith::round_mean(s, n as usize)
                );
            }
        }
    }

    #[test]
    fn ste_round_gradient_is_identity() {
        let x = Tensor::from_slice(&[0.4f32, 1.5, -2.6]).set_requires_grad(true);
        let y = ste_round(&x);
        assert_eq!(Vec::<f32>::try_from(&y).unwrap(), vec![0.0, 2.0, -3.0]);
        y.sum(Kind::Float).backward();
        assert_eq!(Vec::<f32>::try_from(x.grad()).unwrap(), vec![1.0, 1.0, 1.0]);
    }
}
