//! Additive Gaussian noise search (DESIGN.md, "Training"): every multiplying
//! layer `l` adds `sigma_l * std(y) * N(0, 1)` to its accumulators `y`
//! (before bias, i.e. before batch norm's shift, which is folded into the
//! bias; `std` over the whole batch tensor), and the loss rewards noise in
//! proportion to each layer's share of the multiplications:
//! `CE - lambda * sum_l (macs_l / macs_total) * min(|sigma_l|, sigma_max)`.

use rayon::prelude::*;
use tch::{Kind, Tensor};

/// One multiplying layer as the loss sees it: its learned `sigma` (a scalar
/// tensor) and its multiplications per image.
pub type NoisyLayer<'a> = (&'a Tensor, u64);

/// `acc + sigma * std(acc) * N(0, 1)`; `std` is detached (it sets the unit of
/// the noise, the gradient reaches `sigma` and the layer's inputs only).
/// The draws come scaled by `std` ([`normal_like`]), then one fused
/// multiply-add (`addcmul` with `sigma`) in place on `acc` (a convolution's
/// output, which its backward does not keep): no other tensor, and no
/// operator for `sigma * std`.
pub fn add_noise(mut acc: Tensor, sigma: &Tensor) -> Tensor {
    let noise = normal_like(&acc, &sample_std(&acc.detach()));
    let _ = acc.addcmul_(&noise, sigma);
    acc
}

/// Sample standard deviation (Bessel-corrected) of all of `t`'s entries, a
/// scalar float32 tensor on `t`'s device. A contiguous float32 CPU tensor
/// is read in place by [`std_of_values`] (no libtorch operators: on
/// LeNet-5's small layers their dispatch costs more than the arithmetic);
/// any other goes through [`std_two_pass`].
pub fn sample_std(t: &Tensor) -> Tensor {
    match crate::nn::cpu::cpu_f32(t) {
        Some(v) => Tensor::from(std_of_values(v) as f32),
        None => std_two_pass(t).to_kind(Kind::Float),
    }
}

/// Sample standard deviation (Bessel-corrected) of `v` by the two-pass
/// formula `sqrt(sum((v - mean)^2) / (n - 1))`, each sum in f64 over pieces
/// of 16,384 values, each piece in 16 lanes (so that the loops vectorize,
/// four independent chains of additions), the pieces' sums added in order:
/// the result depends on `v` only, not on the threads. The pieces run on
/// libtorch's thread count of the thread pool for large tensors.
pub fn std_of_values(v: &[f32]) -> f64 {
    const LANES: usize = 16;
    const PIECE: usize = 1 << 14;
    #[inline(always)]
    fn lanes_sum(v: &[f32], f: &impl Fn(f32) -> f64) -> f64 {
        let mut acc = [0f64; LANES];
        let mut blocks = v.chunks_exact(LANES);
        for b in &mut blocks {
            for j in 0..LANES {
                acc[j] += f(b[j]);
            }
        }
        acc.iter().sum::<f64>() + blocks.remainder().iter().map(|&x| f(x)).sum::<f64>()
    }
    fn sum(v: &[f32], f: impl Fn(f32) -> f64 + Sync) -> f64 {
        let piece = |p: &[f32]| {
            let mut s = 0.0;
            crate::nn::cpu::vectorized(
                #[inline(always)]
                || s = lanes_sum(p, &f),
            );
            s
        };
        let parts: Vec<f64> = if tch::get_num_threads() > 1 && v.len() >= 4 * PIECE {
            v.par_chunks(PIECE).map(piece).collect()
        } else {
            v.chunks(PIECE).map(piece).collect()
        };
        parts.iter().sum()
    }
    let n = v.len().max(2) as f64;
    let mean = sum(v, |x| x as f64) / v.len().max(1) as f64;
    let ss = sum(v, |x| {
        let d = x as f64 - mean;
        d * d
    });
    (ss / (n - 1.0)).sqrt()
}

/// A tensor of `t`'s shape of independent N(0, `std`^2) values (`std` a
/// scalar float32 tensor). On the CPU in float32 they come from
/// [`crate::nn::normal::fill`] (several times faster than libtorch's
/// `randn`), seeded from libtorch's generator so that `tch::manual_seed`
/// fixes them; elsewhere from libtorch's `randn_like`.
pub fn normal_like(t: &Tensor, std: &Tensor) -> Tensor {
    if t.device() != tch::Device::Cpu || t.kind() != Kind::Float {
        return t.randn_like() * std;
    }
    let seed =
        Tensor::randint(i64::MAX, [], (Kind::Int64, tch::Device::Cpu)).int64_value(&[]) as u64;
    let noise = Tensor::empty(t.size(), (Kind::Float, tch::Device::Cpu));
    let threads = tch::get_num_threads().max(1) as usize;
    let values = crate::nn::cpu::fresh_f32_mut(&noise);
    crate::nn::normal::fill(values, seed, std.double_value(&[]) as f32, threads);
    noise
}

/// Sample standard deviation (Bessel-corrected) of all of `t`'s entries, a
/// scalar tensor: the two-pass formula `sqrt(sum((t - mean)^2) / (n - 1))`
/// with the sum of squares as one dot product. libtorch's `std` runs a
/// Welford update per element, several times slower on the CPU.
pub fn std_two_pass(t: &Tensor) -> Tensor {
    let n = t.numel().max(2) as f64;
    let d = (t - t.mean(t.kind())).flatten(0, -1);
    (d.dot(&d) / (n - 1.0)).sqrt()
}

/// `sum_l (macs_l / macs_total) * min(|sigma_l|, sigma_max)` (a scalar tensor)
/// over `layers`, every multiplying layer of the network: the sigmas
/// stacked into one vector, so that the term costs a handful of operators
/// whatever the depth.
pub fn noise_reward(layers: &[NoisyLayer], sigma_max: f64) -> Tensor {
    let Some(first) = layers.first() else {
        return Tensor::zeros([], (Kind::Float, tch::Device::Cpu));
    };
    let total = layers.iter().map(|l| l.1).sum::<u64>().max(1) as f64;
    let share: Vec<f32> = layers.iter().map(|l| (l.1 as f64 / total) as f32).collect();
    let sigmas = Tensor::stack(&layers.iter().map(|l| l.0).collect::<Vec<_>>(), 0);
    let share = Tensor::from_slice(&share).to_device(first.0.device());
    sigmas.abs().clamp_max(sigma_max).dot(&share)
}

/// The AGN search loss: `ce - lambda * reward`.
pub fn loss(ce: &Tensor, layers: &[NoisyLayer], lambda: f64, sigma_max: f64) -> Tensor {
    ce - noise_reward(layers, sigma_max) * lambda
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::models;
    use crate::nn::net::Net;
    use crate::nn::net::QuantOpts;
    use codesign::config::ModelKind;
    use codesign::intnet::Shape;
    use tch::{nn, Device};

    fn digits_net(vs: &nn::VarStore) -> Net {
        models::build(
            ModelKind::DigitsCnn,
            vs.root(),
            Shape { c: 1, h: 8, w: 8 },
            10,
            false,
            0.1,
        )
        .unwrap()
    }

    fn images(n: i64) -> Tensor {
        Tensor::randint(256, [n, 1, 8, 8], (Kind::Int64, Device::Cpu)).to_kind(Kind::Uint8)
    }

    fn set(t: &Tensor, v: &Tensor) {
        tch::no_grad(|| t.shallow_clone().copy_(v));
    }

    #[test]
    fn noise_goes_on_the_pre_bias_accumulator_with_the_predicted_std() {
        tch::manual_seed(7);
        let vs = nn::VarStore::new(Device::Cpu);
        let net = digits_net(&vs);
        let x = images(64);
        net.calibrate_scales(&[x.shallow_clone()]);
        let k = 1; // conv2
                   // Large, very unequal per-channel shifts (batch norm beta, folded into the
                   // bias): noise scaled by std(acc + bias) instead of std(acc) would be far off.
        let m = |i: usize| net.mac_nodes().nth(i).unwrap().2;
        let beta = Tensor::arange(32, (Kind::Float, Device::Cpu)) * 3.0 - 40.0;
        set(m(k).bn.as_ref().unwrap().bs.as_ref().unwrap(), &beta);
        net.reset_sigmas(0.0);
        let sigma = 0.3;
        set(&m(k).sigma, &Tensor::from(sigma as f32));

        let clean = net.forward_quant(
            &x,
            &QuantOpts {
                record: true,
                ..Default::default()
            },
        );
        let noisy = net.forward_quant(
            &x,
            &QuantOpts {
                record: true,
                noise: true,
                approx: None,
            },
        );
        // Layers before k: untouched.
        for i in 0..k {
            assert!(clean.accs[i].equal(&noisy.accs[i]), "layer {i} changed");
        }
        let (c, n) = (&clean.accs[k], &noisy.accs[k]);
        let diff = n - c;
        let ratio = diff.std(true).double_value(&[]) / c.std(true).double_value(&[]);
        assert!(
            (ratio - sigma).abs() < 0.02 * sigma,
            "noise std / pre-bias std = {ratio}, expected {sigma}"
        );
        assert!(
            diff.mean(Kind::Float).double_value(&[]).abs()
                < 0.02 * diff.std(true).double_value(&[])
        );
        let var_ratio = n.var(true).double_value(&[]) / c.var(true).double_value(&[]);
        assert!(
            (var_ratio - (1.0 + sigma * sigma)).abs() < 0.03,
            "variance ratio {var_ratio}"
        );

        // All sigmas zero: the noisy pass equals the clean one everywhere.
        net.reset_sigmas(0.0);
        let noisy = net.forward_quant(
            &x,
            &QuantOpts {
                record: true,
                noise: true,
                approx: None,
            },
        );
        for (a, b) in clean.accs.iter().zip(&noisy.accs) {
            assert!(a.equal(b));
        }
        assert!(clean.exact.equal(&noisy.exact));
        // And the float model never adds noise.
        let f1 = net.forward_float(&x, false);
        let f2 = net.forward_float(&x, false);
        assert!(f1.equal(&f2));
        assert!(net.nodes[0].mac().is_some());
    }

    #[test]
    fn two_pass_std_equals_libtorch_std() {
        tch::manual_seed(3);
        let t = Tensor::randn([64, 16, 9, 7], (Kind::Float, Device::Cpu)) * 40.0 + 300.0;
        let want = t.to_kind(Kind::Double).std(true).double_value(&[]);
        let got = std_two_pass(&t).double_value(&[]);
        assert!((got / want - 1.0).abs() < 1e-5, "{got} vs {want}");
        // The in-place CPU path, also on a non-contiguous view (which takes
        // the libtorch path).
        let got = sample_std(&t).double_value(&[]);
        assert!((got / want - 1.0).abs() < 1e-6, "{got} vs {want}");
        let tt = t.transpose(1, 3);
        assert!(!tt.is_contiguous());
        let got = sample_std(&tt).double_value(&[]);
        assert!((got / want - 1.0).abs() < 1e-5, "{got} vs {want}");
    }

    #[test]
    fn the_noise_std_does_not_depend_on_the_threads() {
        let v: Vec<f32> = (0..300_000)
            .map(|i| ((i * 7919) % 10007) as f32 - 4000.0)
            .collect();
        let before = tch::get_num_threads();
        let at = |threads| {
            tch::set_num_threads(threads);
            std_of_values(&v)
        };
        let (one, two) = (at(1), at(2));
        tch::set_num_threads(before);
        assert_eq!(one.to_bits(), two.to_bits());
        let want = Tensor::from_slice(&v).to_kind(Kind::Double).std(true);
        assert!((one / want.double_value(&[]) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn penalty_gradient_is_minus_lambda_times_mac_share_below_sigma_max() {
        let vs = nn::VarStore::new(Device::Cpu);
        let net = digits_net(&vs);
        let (lambda, sigma_max) = (0.2, 0.5);
        let sig = [0.1f32, 0.7, -0.2, 0.3];
        for ((_, _, m), s) in net.mac_nodes().zip(sig) {
            set(&m.sigma, &Tensor::from(s));
        }
        let ce = Tensor::from(1.5f32);
        let loss = loss(&ce, &net.noisy_layers(), lambda, sigma_max);
        let total = net.total_macs() as f64;
        let expect_reward: f64 = net
            .mac_nodes()
            .zip(sig)
            .map(|((_, _, m), s)| m.macs as f64 / total * (s.abs() as f64).min(sigma_max))
            .sum();
        assert!((loss.double_value(&[]) - (1.5 - lambda * expect_reward)).abs() < 1e-6);
        loss.backward();
        for ((_, node, m), s) in net.mac_nodes().zip(sig) {
            let g = m.sigma.grad().double_value(&[]);
            let want = if (s.abs() as f64) < sigma_max {
                -lambda * m.macs as f64 / total * s.signum() as f64
            } else {
                0.0
            };
            assert!(
                (g - want).abs() < 1e-7,
                "{}: gradient {g}, expected {want}",
                node.name
            );
        }
        // The weighting matters: conv2 has 32x the MACs of conv1.
        let macs: Vec<u64> = net.mac_nodes().map(|(_, _, m)| m.macs).collect();
        assert_eq!(
            macs,
            vec![64 * 16 * 9, 64 * 32 * 16 * 9, 16 * 32 * 32 * 9, 128 * 10]
        );
    }
}
