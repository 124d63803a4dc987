//! Training step times on libtorch (CPU), all measured in one run:
//!
//! * AGN-search step against the QAT step of the same network and batch
//!   (target: at most 10% overhead): the noise (`std`, `randn`, one
//!   multiply-add per accumulator) and the penalty are all AGN adds;
//! * ResNet-8 training throughput on 32x32x3 inputs (images/s) for the float
//!   baseline, QAT and AGN steps;
//! * the same for LeNet-5 on 28x28 inputs and the digits CNN on 8x8 inputs;
//! * one closing line of JSON: AGN overhead per network (step-time ratio
//!   minus 1) and QAT over float per network.
//!
//! Steps of the compared modes are interleaved (ABAB...) and the median per
//! mode is reported, so machine-load drift affects both alike. Each step is
//! timed on the wall clock and in process CPU time; the ratios (and the JSON)
//! use the CPU time, which other processes on a shared machine do not
//! inflate. With several threads, libtorch's OpenMP workers spin while they
//! wait and count as CPU time; `CODESIGN_BENCH_THREADS=1` gives the cleanest
//! ratios on a loaded machine.
//! `CODESIGN_BENCH_THREADS` sets libtorch's thread count (default: 2);
//! `CODESIGN_BENCH_QUICK=1` takes a third of the rounds (while iterating);
//! `CODESIGN_BENCH_ONLY=resnet8` (or `lenet5`, `digits`) runs one network. The time
//! is spent in libtorch, so `cargo bench --bench train --profile dev` (no
//! release build of libtorch bindings needed) measures the same thing.

use codesign::config::ModelKind;
use codesign::intnet::Shape;
use codesign_torch::nn::agn;
use codesign_torch::nn::models;
use codesign_torch::nn::net::{Net, QuantOpts};
use std::time::{Duration, Instant};
use tch::nn::OptimizerConfig;
use tch::{nn, Device, Kind, Tensor};

#[derive(Copy, Clone, Debug, PartialEq)]
enum Mode {
    Float,
    Qat,
    Agn,
}

fn step(net: &Net, opt: &mut nn::Optimizer, mode: Mode, x: &Tensor, y: &Tensor) {
    let loss = match mode {
        Mode::Float => net.forward_float(x, true).cross_entropy_for_logits(y),
        Mode::Qat | Mode::Agn => {
            let noise = mode == Mode::Agn;
            let out = net.forward_quant(
                x,
                &QuantOpts {
                    noise,
                    ..Default::default()
                },
            );
            let ce = out.logits.cross_entropy_for_logits(y);
            if noise {
                agn::loss(&ce, &net.noisy_layers(), 0.2, 0.5)
            } else {
                ce
            }
        }
    };
    opt.backward_step(&loss);
}

/// CPU time of the whole process (all threads) so far.
fn cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Median wall-clock and median process-CPU step time per mode, steps
/// interleaved across modes. On a shared machine the CPU time is the robust
/// figure: a step preempted by other processes takes longer on the wall
/// clock only.
fn measure(
    kind: ModelKind,
    input: Shape,
    batch: i64,
    modes: &[Mode],
    rounds: usize,
) -> (Vec<Duration>, Vec<Duration>) {
    tch::manual_seed(1);
    let vs = nn::VarStore::new(Device::Cpu);
    let net = models::build(kind, vs.root(), input, 10, false, 0.1).unwrap();
    let mut opt = nn::sgd(0.9, 0.0, 1e-4, false).build(&vs, 1e-3).unwrap();
    let x = (Tensor::rand(
        [batch, input.c as i64, input.h as i64, input.w as i64],
        (Kind::Float, Device::Cpu),
    ) * 255.0)
        .to_kind(Kind::Uint8);
    let y = Tensor::randint(10, [batch], (Kind::Int64, Device::Cpu));
    net.calibrate_scales(&[x.shallow_clone()]);
    // Warm-up.
    for &m in modes {
        for _ in 0..2 {
            step(&net, &mut opt, m, &x, &y);
        }
    }
    let mut times: Vec<Vec<Duration>> = vec![vec![]; modes.len()];
    let mut cpu: Vec<Vec<Duration>> = vec![vec![]; modes.len()];
    for _ in 0..rounds {
        for (i, &m) in modes.iter().enumerate() {
            let (t, c) = (Instant::now(), cpu_time());
            step(&net, &mut opt, m, &x, &y);
            times[i].push(t.elapsed());
            cpu[i].push(cpu_time() - c);
        }
    }
    let median = |v: Vec<Vec<Duration>>| -> Vec<Duration> {
        v.into_iter()
            .map(|mut t| {
                t.sort();
                t[t.len() / 2]
            })
            .collect()
    };
    (median(times), median(cpu))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    // As the binaries do (`codesign::cli::init`): the steps measured are the product's.
    codesign::cli::keep_freed_memory();
    let threads: i32 = std::env::var("CODESIGN_BENCH_THREADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    tch::set_num_threads(threads);
    println!(
        "libtorch CPU, {threads} thread(s); median step time (forward + backward + SGD update)"
    );
    let cases = [
        (
            "resnet8, 32x32x3, batch 64",
            ModelKind::Resnet8,
            Shape { c: 3, h: 32, w: 32 },
            64,
            40usize,
        ),
        (
            "lenet5, 28x28x1, batch 64",
            ModelKind::Lenet5,
            Shape { c: 1, h: 28, w: 28 },
            64,
            120,
        ),
        (
            "digits, 8x8x1, batch 32",
            ModelKind::DigitsCnn,
            Shape { c: 1, h: 8, w: 8 },
            32,
            300,
        ),
    ];
    let quick = std::env::var("CODESIGN_BENCH_QUICK").is_ok_and(|v| v == "1");
    let mut json = serde_json::json!({ "bench": "train" });
    let only = std::env::var("CODESIGN_BENCH_ONLY").ok();
    for (label, kind, input, batch, rounds) in cases {
        if only
            .as_ref()
            .is_some_and(|o| !label.starts_with(o.as_str()))
        {
            continue;
        }
        let rounds: usize = if quick { rounds.div_ceil(3) } else { rounds };
        let modes = [Mode::Float, Mode::Qat, Mode::Agn];
        let (wall, t) = measure(kind, input, batch, &modes, rounds);
        println!("\n{label}:");
        for ((m, w), c) in modes.iter().zip(&wall).zip(&t) {
            println!(
                "  {:<6} {:8.2} ms/step wall {:8.0} images/s   {:8.2} ms/step CPU {:8.0} images/s per CPU-second",
                format!("{m:?}"),
                ms(*w),
                batch as f64 / w.as_secs_f64(),
                ms(*c),
                batch as f64 / c.as_secs_f64()
            );
        }
        let overhead = t[2].as_secs_f64() / t[1].as_secs_f64() - 1.0;
        println!(
            "  AGN over QAT (CPU time): {:+.1}% (target <= +10%: {}); wall clock {:+.1}%",
            100.0 * overhead,
            if overhead <= 0.10 { "met" } else { "NOT met" },
            100.0 * (wall[2].as_secs_f64() / wall[1].as_secs_f64() - 1.0)
        );
        let qat_over_float = t[1].as_secs_f64() / t[0].as_secs_f64();
        println!(
            "  QAT over float (CPU time): {qat_over_float:.2}x (target <= 1.3x: {}); wall clock {:.2}x",
            if qat_over_float <= 1.3 {
                "met"
            } else {
                "NOT met"
            },
            wall[1].as_secs_f64() / wall[0].as_secs_f64()
        );
        let name = match kind {
            ModelKind::Resnet8 => "resnet8",
            ModelKind::Lenet5 => "lenet5",
            _ => "digits",
        };
        json[format!("agn_overhead_{name}")] = overhead.into();
        json[format!("qat_over_float_{name}")] = qat_over_float.into();
    }
    println!("{json}");
}
