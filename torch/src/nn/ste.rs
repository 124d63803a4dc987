//! Straight-through outputs of the fake-quantized forward pass: a float
//! tensor that carries the gradient, its values replaced (in place, outside
//! autograd) by the exact integer-domain result of [`crate::nn::quant`].
//!
//! The exact results of requantization, pooling and the residual addition
//! are computed here in one pass over contiguous float32 CPU tensors,
//! written straight into the float tensor: libtorch's route (widen to `f64`,
//! multiply-add, floor, clamp, copy back) makes five passes and two
//! temporaries, a third of the QAT step's overhead over the float step on
//! LeNet-5. The formulas are [`crate::nn::quant`]'s, in the same `f64`
//! operations, so both routes give the same bits (tested); any other
//! tensor (another device, dtype or layout) takes libtorch's route.

use crate::nn::cpu::{cpu_f32, for_pieces};
use crate::nn::quant::{add_exact, avg_exact, requant_fused, to_vec_f64};
use tch::{Kind, Tensor};

/// Straight-through estimate: the values of `exact` (rounded to `f32`,
/// integers below `2^24` stay exact), the gradient of `float`. `exact` is
/// copied into `float`'s storage outside autograd (one pass, no new tensor):
/// `float` is the fresh output of an op whose backward keeps only its inputs
/// (clamp, the product with the clamp's gradient mask, addcmul, average
/// pooling, mean), so the gradient is that of
/// `float + (exact - float).detach()` and nothing saved is overwritten.
pub fn ste(float: Tensor, exact: &Tensor) -> Tensor {
    tch::no_grad(|| float.shallow_clone().copy_(exact));
    float
}

/// For `[n, c, h, w]` contiguous float32 CPU tensors `a` and `out` of one
/// shape, the values per plane, `h * w`.
fn plane(a: &Tensor, out: &Tensor) -> Option<usize> {
    let s = a.size();
    (s.len() == 4 && out.size() == s && cpu_f32(a).is_some() && cpu_f32(out).is_some())
        .then(|| (s[2] * s[3]) as usize)
}

/// Values per piece of the element-wise passes ([`for_pieces`]).
const PIECE: usize = 1 << 14;

/// `float` clamped to `[0, max]` as far as the gradient goes: passed where
/// `0 <= float <= max` (boundaries included, as `clamp`'s and PyTorch's
/// fake quantization). A contiguous float32 CPU tensor is multiplied by
/// that mask (0 or 1, one pass to build it): the product's backward is one
/// vectorized pass, `clamp`'s four (two comparisons, a logical and, and an
/// element-wise select that libtorch 2.x runs unvectorized, 10 % of a
/// LeNet-5 QAT step). Its values outside `[0, max]` are not `clamp`'s:
/// the callers overwrite every value with the exact result.
fn clamp_gradient(float: &Tensor, max: i32) -> Tensor {
    let Some(v) = cpu_f32(float) else {
        return float.clamp(0.0, max as f64);
    };
    let mask = Tensor::empty(float.size(), (Kind::Float, tch::Device::Cpu));
    let max = max as f32;
    for_pieces(
        &mask,
        PIECE,
        #[inline(always)]
        |i, m| {
            for (m, &x) in m.iter_mut().zip(&v[i * PIECE..]) {
                *m = if (0.0..=max).contains(&x) { 1.0 } else { 0.0 };
            }
        },
    );
    float * mask
}

/// Requantization of a multiplying layer ([`requant_fused`]): the gradient
/// of `float` (`(acc + bias) * ratio` in float32, `[n, c, h, w]`), clamped
/// to `[0, act_max]` (none when `act_max` is `None`), and the values
/// `clamp(floor(acc * r + (bias * r + 1/2)), 0, act_max)` with
/// `r = mult / 2^shift` per channel (`bias`, `mult`, `shift`: `f64`, `c`
/// values each in any shape).
pub fn requant(
    float: Tensor,
    acc: &Tensor,
    bias: &Tensor,
    mult: &Tensor,
    shift: &Tensor,
    act_max: Option<i32>,
) -> Tensor {
    let c = acc.size().get(1).copied().unwrap_or(0) as usize;
    let Some(plane) = plane(acc, &float).filter(|_| mult.numel() == c) else {
        let view = |t: &Tensor| t.view([1, -1, 1, 1]);
        let exact = requant_fused(acc, &view(bias), &view(mult), &view(shift), act_max);
        let float = match act_max {
            Some(m) => float.clamp(0.0, m as f64),
            None => float,
        };
        return ste(float, &exact);
    };
    let float = match act_max {
        Some(m) => clamp_gradient(&float, m),
        None => float,
    };
    let (bias, mult, shift) = (to_vec_f64(bias), to_vec_f64(mult), to_vec_f64(shift));
    // The same f64 values as `requant_fused`: a power-of-two division and
    // products of integers by it are exact.
    let r: Vec<f64> = mult.iter().zip(&shift).map(|(m, s)| m / s.exp2()).collect();
    let k: Vec<f64> = bias.iter().zip(&r).map(|(b, r)| b * r + 0.5).collect();
    let (lo, hi) = act_max.map_or((f64::MIN, f64::MAX), |m| (0.0, m as f64));
    let acc = cpu_f32(acc).expect("checked by `plane`");
    for_pieces(
        &float,
        plane,
        #[inline(always)]
        |p, o| {
            let (r, k) = (r[p % c], k[p % c]);
            for (o, &a) in o.iter_mut().zip(&acc[p * plane..]) {
                *o = (k + a as f64 * r).floor().clamp(lo, hi) as f32;
            }
        },
    );
    float
}

/// Average pooling, `k x k` windows at stride `s`, no padding
/// ([`avg_exact`]): `float` (`[n, c, ho, wo]`) takes the rounded means
/// `floor((sum + k*k/2) / (k*k))` of `x`'s windows (`[n, c, h, w]`,
/// integers below `2^24`).
pub fn avg_pool(float: Tensor, x: &Tensor, k: i64, s: i64) -> Tensor {
    let fast = (|| {
        let xs = x.size();
        let xv = cpu_f32(x)?;
        let (h, w) = (*xs.get(2)?, *xs.get(3)?);
        let (ho, wo) = ((h - k) / s + 1, (w - k) / s + 1);
        (float.size() == [xs[0], xs[1], ho, wo] && cpu_f32(&float).is_some())
            .then_some((xv, [h, w, ho, wo].map(|v| v as usize)))
    })();
    let Some((xv, [h, w, ho, wo])) = fast else {
        let sum = x
            .detach()
            .avg_pool2d([k, k], [s, s], [0, 0], false, true, 1);
        return ste(float, &avg_exact(&sum, k * k));
    };
    let (k, s, n) = (k as usize, s as usize, k * k);
    for_pieces(
        &float,
        ho * wo,
        #[inline(always)]
        |plane, o| {
            let p = &xv[plane * h * w..][..h * w];
            for (i, row) in o.chunks_exact_mut(wo).enumerate() {
                let lines = &p[i * s * w..];
                if (k, s) == (2, 2) {
                    // LeNet-5's pooling: two lines, pairs of columns.
                    let (l0, l1) = (&lines[..2 * wo], &lines[w..w + 2 * wo]);
                    for ((o, a), b) in row
                        .iter_mut()
                        .zip(l0.chunks_exact(2))
                        .zip(l1.chunks_exact(2))
                    {
                        let sum = (a[0] as f64 + a[1] as f64) + (b[0] as f64 + b[1] as f64);
                        *o = round_mean(sum, 4) as f32;
                    }
                    continue;
                }
                for (j, o) in row.iter_mut().enumerate() {
                    let mut sum = 0f64;
                    for di in 0..k {
                        let line = &lines[di * w + j * s..][..k];
                        sum += line.iter().map(|&v| v as f64).sum::<f64>();
                    }
                    *o = round_mean(sum, n) as f32;
                }
            }
        },
    );
    float
}

/// Global average pooling ([`avg_exact`] over each plane): `float`
/// (`[n, c, 1, 1]`) takes the rounded mean of each of `x`'s planes
/// (`[n, c, h, w]`, integers below `2^24`).
pub fn global_avg_pool(float: Tensor, x: &Tensor) -> Tensor {
    let xs = x.size();
    let fast = cpu_f32(x).filter(|_| {
        xs.len() == 4 && float.size() == [xs[0], xs[1], 1, 1] && cpu_f32(&float).is_some()
    });
    let Some(xv) = fast else {
        let n = xs[2] * xs[3];
        let sum = x
            .detach()
            .sum_dim_intlist([2i64, 3].as_slice(), true, Kind::Double);
        return ste(float, &avg_exact(&sum, n));
    };
    let plane = (xs[2] * xs[3]) as usize;
    for_pieces(
        &float,
        1,
        #[inline(always)]
        |i, o| {
            let sum = xv[i * plane..][..plane].iter().map(|&v| v as f64).sum();
            o[0] = round_mean(sum, plane as i64) as f32;
        },
    );
    float
}

/// [`avg_exact`] of one window sum, in its `f64` operations.
#[inline(always)]
fn round_mean(sum: f64, n: i64) -> f64 {
    ((sum + (n / 2) as f64) / n as f64).floor()
}

/// The residual addition ([`add_exact`]): the gradient of `float`
/// (`a * ra + b * rb` in float32, `[n, c, h, w]`) clamped to
/// `[0, act_max]`, and the values
/// `clamp(floor(a * ra + b * rb + 1/2), 0, act_max)` with
/// `ra = mult_a / 2^shift`, `rb = mult_b / 2^shift` (scalar `f64` tensors),
/// `a` and `b` of `float`'s shape.
pub fn residual_add(
    float: Tensor,
    a: &Tensor,
    b: &Tensor,
    mult_a: &Tensor,
    mult_b: &Tensor,
    shift: &Tensor,
    act_max: i32,
) -> Tensor {
    let fast = plane(a, &float).and_then(|_| Some((cpu_f32(a)?, cpu_f32(b)?)));
    let Some((av, bv)) = fast.filter(|_| b.size() == a.size()) else {
        let exact = add_exact(a, b, mult_a, mult_b, shift, act_max);
        return ste(float.clamp(0.0, act_max as f64), &exact);
    };
    let float = clamp_gradient(&float, act_max);
    let p = shift.double_value(&[]).exp2();
    let (ra, rb) = (mult_a.double_value(&[]) / p, mult_b.double_value(&[]) / p);
    for_pieces(
        &float,
        PIECE,
        #[inline(always)]
        |i, o| {
            let (a, b) = (&av[i * PIECE..], &bv[i * PIECE..]);
            for ((o, &a), &b) in o.iter_mut().zip(a).zip(b) {
                *o = (a as f64 * ra + b as f64 * rb + 0.5)
                    .floor()
                    .clamp(0.0, act_max as f64) as f32;
            }
        },
    );
    float
}

#[cfg(test)]
mod tests {
    use super::*;
    use tch::Device;

    fn bits(t: &Tensor) -> Vec<u32> {
        Vec::<f32>::try_from(t.flatten(0, -1))
            .unwrap()
            .iter()
            .map(|v| v.to_bits())
            .collect()
    }

    /// A non-contiguous copy of `t`'s values: the same values by the
    /// libtorch route.
    fn strided(t: &Tensor) -> Tensor {
        let s = t.transpose(2, 3).contiguous().transpose(2, 3);
        assert!(!s.is_contiguous() && s.equal(t));
        s
    }

    #[test]
    fn requantization_gives_libtorchs_bits() {
        tch::manual_seed(11);
        let opts = (Kind::Float, Device::Cpu);
        // Integer accumulators (QAT) and noisy ones (AGN), with ties.
        let int = Tensor::randint_low(-40_000, 40_000, [3, 5, 6, 7], opts);
        let noisy = &int + Tensor::randn([3, 5, 6, 7], opts) * 30.0;
        let bias = Tensor::from_slice(&[-37.0f64, 0.0, 12.0, 5000.0, -1.0]);
        let ratio = Tensor::from_slice(&[0.003f64, 0.5, 1.0 / 3.0, 7.3e-6, 0.0078125]);
        let (mult, shift) = crate::nn::quant::requant_params(&ratio);
        for acc in [int, noisy] {
            assert!(plane(&acc, &acc).is_some(), "the test takes the fast path");
            for act_max in [Some(255), None] {
                let want = requant(
                    acc.zeros_like(),
                    &strided(&acc),
                    &bias,
                    &mult,
                    &shift,
                    act_max,
                );
                let got = requant(acc.zeros_like(), &acc, &bias, &mult, &shift, act_max);
                assert_eq!(bits(&got), bits(&want), "act_max {act_max:?}");
            }
        }
    }

    #[test]
    fn the_passes_do_not_depend_on_the_threads() {
        tch::manual_seed(13);
        let opts = (Kind::Float, Device::Cpu);
        // Above `for_pieces`' parallel threshold.
        let acc = Tensor::randint_low(-40_000, 40_000, [4, 16, 32, 32], opts)
            + Tensor::randn([4, 16, 32, 32], opts);
        let bias = Tensor::randint_low(-500, 500, [16], (Kind::Double, Device::Cpu));
        let ratio = Tensor::rand([16], (Kind::Double, Device::Cpu)) * 0.01 + 1e-4;
        let (mult, shift) = crate::nn::quant::requant_params(&ratio);
        let before = tch::get_num_threads();
        let at = |threads| {
            tch::set_num_threads(threads);
            let r = requant(acc.zeros_like(), &acc, &bias, &mult, &shift, Some(255));
            let p = avg_pool(Tensor::zeros([4, 16, 16, 16], opts), &r.detach(), 2, 2);
            (bits(&r), bits(&p))
        };
        let (one, two) = (at(1), at(2));
        tch::set_num_threads(before);
        assert!(one == two);
    }

    /// The gradient reaching `x` through [`requant`] (the fast path when
    /// `fast`, else libtorch's `clamp`) from a `sum` of the output.
    fn requant_gradient(x: &Tensor, fast: bool, act_max: Option<i32>) -> Vec<f32> {
        let x = x.detach().set_requires_grad(true);
        let float = if fast { &x * 1.0 } else { strided(&(&x * 1.0)) };
        let acc = x.detach().contiguous();
        let one = Tensor::from_slice(&[32768.0f64]);
        let out = requant(
            float,
            &acc,
            &Tensor::from_slice(&[0.0f64]),
            &one,
            &Tensor::from_slice(&[15.0f64]),
            act_max,
        );
        out.sum(Kind::Float).backward();
        Vec::<f32>::try_from(x.grad().flatten(0, -1)).unwrap()
    }

    #[test]
    fn the_clamps_gradient_includes_both_bounds() {
        let tiny = f32::from_bits(1);
        let vals = [
            -1.0f32, -tiny, -0.0, 0.0, tiny, 3.0, 254.99998, 255.0, 255.00002, 300.0, -300.0, 1.0,
        ];
        let x = Tensor::from_slice(&vals).view([1, 1, 3, 4]);
        let fast = requant_gradient(&x, true, Some(255));
        assert_eq!(fast, requant_gradient(&x, false, Some(255)));
        assert_eq!(fast, [0., 0., 1., 1., 1., 1., 1., 1., 0., 0., 0., 1.]);
        assert_eq!(requant_gradient(&x, true, None), [1.0; 12]);
    }

    #[test]
    fn pooling_and_the_residual_add_give_libtorchs_bits() {
        tch::manual_seed(12);
        let opts = (Kind::Float, Device::Cpu);
        let x = Tensor::randint(256, [2, 3, 9, 11], opts);
        assert!(cpu_f32(&x).is_some() && cpu_f32(&strided(&x)).is_none());
        for (k, s) in [(2, 2), (3, 2), (2, 1)] {
            let float = x.avg_pool2d([k, k], [s, s], [0, 0], false, true, None);
            let want = avg_pool(float.zeros_like(), &strided(&x), k, s);
            let got = avg_pool(float.zeros_like(), &x, k, s);
            assert_eq!(bits(&got), bits(&want), "k {k} s {s}");
        }
        let float = Tensor::zeros([2, 3, 1, 1], opts);
        let want = global_avg_pool(float.zeros_like(), &strided(&x));
        let got = global_avg_pool(float, &x);
        assert_eq!(bits(&got), bits(&want));

        let b = Tensor::randint_low(-2_000_000, 2_000_000, [2, 3, 9, 11], opts);
        let (ma, mb, sh) =
            crate::nn::quant::add_params(&Tensor::from(0.37f64), &Tensor::from(1.9e-4f64));
        let want = residual_add(x.zeros_like(), &strided(&x), &b, &ma, &mb, &sh, 255);
        let got = residual_add(x.zeros_like(), &x, &b, &ma, &mb, &sh, 255);
        assert_eq!(bits(&got), bits(&want));
    }
}
