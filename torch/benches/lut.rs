//! Lookup-table convolution on the conv shapes of ResNet-8 for CIFAR-10
//! (batch 32, 3x3): our kernel (`intnet::lut`, fastest path and the portable
//! path) against libtorch float32 convolution of the same shapes and a
//! naive gather reference (the product table indexed per multiplication and
//! summed, a direct convolution loop), all measured in this run. Checks the
//! kernel bit for bit against the naive reference and prints GMAC/s and
//! ratios. Targets: >= 1/8 of libtorch float32, >= 100x the naive reference.
//!
//! The machine this runs on is often shared, so the headline numbers are
//! per core: every contender runs on one thread and is timed by process CPU
//! time (what it got of a core, not how long it waited for one), best of
//! interleaved rounds. Wall-clock throughput with all threads follows for
//! reference; it is only meaningful on an otherwise idle machine.
//!
//! `cargo bench --bench lut` (add `-- --quick` for fewer repetitions).

use codesign::errmap::ErrorMap;
use codesign::intnet::lut::{self, Path, ProductTable};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

struct Conv {
    name: &'static str,
    c: usize,
    o: usize,
    hw: usize,
    stride: usize,
}

const N: usize = 32;
const K: usize = 3;
const PAD: usize = 1;

/// ResNet-8 (CIFAR-10): stem, then one basic block per stage of 16/32/64.
const SHAPES: &[Conv] = &[
    Conv {
        name: "stem 3->16 @32",
        c: 3,
        o: 16,
        hw: 32,
        stride: 1,
    },
    Conv {
        name: "16->16 @32",
        c: 16,
        o: 16,
        hw: 32,
        stride: 1,
    },
    Conv {
        name: "16->32 @32 s2",
        c: 16,
        o: 32,
        hw: 32,
        stride: 2,
    },
    Conv {
        name: "32->32 @16",
        c: 32,
        o: 32,
        hw: 16,
        stride: 1,
    },
    Conv {
        name: "32->64 @16 s2",
        c: 32,
        o: 64,
        hw: 16,
        stride: 2,
    },
    Conv {
        name: "64->64 @8",
        c: 64,
        o: 64,
        hw: 8,
        stride: 1,
    },
];

/// CPU time of this process (all threads), seconds.
fn cpu_time() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn wall_time() -> f64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64()
}

/// Best (least disturbed) time of each function over `reps` rounds by
/// `clock`, the functions interleaved within each round so that all of them
/// see the same machine load; one warm-up round first.
fn time_interleaved(clock: fn() -> f64, reps: usize, fs: &mut [&mut dyn FnMut()]) -> Vec<f64> {
    let mut best = vec![f64::INFINITY; fs.len()];
    for round in 0..=reps {
        for (i, f) in fs.iter_mut().enumerate() {
            let s = clock();
            f();
            if round > 0 {
                best[i] = best[i].min(clock() - s);
            }
        }
    }
    best
}

/// The naive gather reference: a direct convolution, one error-map lookup
/// per multiplication (sign-magnitude for unsigned maps), single thread.
fn naive(map: &ErrorMap, wts: &[i8], input: &[u8], s: &Conv) -> Vec<i32> {
    let oh = (s.hw + 2 * PAD - K) / s.stride + 1;
    let mut out = vec![0i32; N * s.o * oh * oh];
    for n in 0..N {
        for o in 0..s.o {
            for oy in 0..oh {
                for ox in 0..oh {
                    let mut acc = 0i32;
                    for c in 0..s.c {
                        for ky in 0..K {
                            for kx in 0..K {
                                let iy = (oy * s.stride + ky) as isize - PAD as isize;
                                let ix = (ox * s.stride + kx) as isize - PAD as isize;
                                let inside =
                                    iy >= 0 && ix >= 0 && iy < s.hw as isize && ix < s.hw as isize;
                                let x = if inside {
                                    input[((n * s.c + c) * s.hw + iy as usize) * s.hw + ix as usize]
                                } else {
                                    0
                                };
                                let w = wts[((o * s.c + c) * K + ky) * K + kx];
                                acc += if map.signed {
                                    map.product(x, w as u8)
                                } else {
                                    let m = map.product(x, w.unsigned_abs());
                                    if w < 0 {
                                        -m
                                    } else {
                                        m
                                    }
                                };
                            }
                        }
                    }
                    out[((n * s.o + o) * oh + oy) * oh + ox] = acc;
                }
            }
        }
    }
    out
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let reps = if quick { 5 } else { 20 };
    let threads = rayon::current_num_threads();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("rayon pool");
    let best = lut::best_path();
    println!("lut bench: batch {N}, 3x3 kernels, kernel path {best:?}, {threads} hardware threads");
    // A truncated multiplier (any table costs the same; it keeps the check honest).
    let maps = [
        ("unsigned", ErrorMap::from_fn(false, |a, b| (a * b) & !0x3f)),
        ("signed", ErrorMap::from_fn(true, |a, b| (a * b) & !0x3f)),
    ];
    println!("per core (1 thread each, GMAC/s by CPU time)                                      | all {threads} threads (GMAC/s, wall)");
    println!(
        "{:<9} {:<14} {:>6} {:>7} {:>8} {:>7} {:>7} {:>9} {:>9} {:>6} | {:>7} {:>7} {:>9}",
        "table",
        "shape",
        "MMAC",
        "lut",
        "portable",
        "torch",
        "naive",
        "lut/torch",
        "lut/naive",
        "exact",
        "lut",
        "torch",
        "lut/torch"
    );
    let mut ratios_torch = Vec::new();
    let mut ratios_naive = Vec::new();
    let mut ratios_wall = Vec::new();
    let mut all_exact = true;
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for (kind, map) in &maps {
        let table = ProductTable::new(map);
        let xmax = if map.signed { 127u8 } else { 255 };
        for s in SHAPES {
            let oh = (s.hw + 2 * PAD - K) / s.stride + 1;
            let macs = (N * s.o * oh * oh * s.c * K * K) as f64;
            let input: Vec<u8> = (0..N * s.c * s.hw * s.hw)
                .map(|_| rng.random_range(0..=xmax))
                .collect();
            let wts: Vec<i8> = (0..s.o * s.c * K * K)
                .map(|_| rng.random_range(-127..=127))
                .collect();
            let dims = [N, s.c, s.hw, s.hw];
            let lut_conv = || lut::conv2d(&table, &wts, s.o, K, s.stride, PAD, &input, dims);
            let portable = || {
                let (cols, k_n, p_n) = lut::im2col(&input, dims, K, s.stride, PAD);
                lut::gemm_with(Path::Scalar, &table, &wts, s.o, k_n, &cols, p_n)
            };
            let xt = tch::Tensor::from_slice(&input)
                .reshape([N as i64, s.c as i64, s.hw as i64, s.hw as i64])
                .to_kind(tch::Kind::Float);
            let wt = tch::Tensor::from_slice(&wts)
                .reshape([s.o as i64, s.c as i64, K as i64, K as i64])
                .to_kind(tch::Kind::Float);
            let torch_conv = || {
                tch::no_grad(|| {
                    xt.conv2d(
                        &wt,
                        None::<tch::Tensor>,
                        [s.stride as i64; 2],
                        [PAD as i64; 2],
                        [1, 1],
                        1,
                    )
                })
            };

            // Bit-exactness: conv2d (best path) and the portable path vs naive.
            let want = naive(map, &wts, &input, s);
            let per = oh * oh;
            let port = portable();
            let mut port_nchw = vec![0i32; port.len()];
            for o in 0..s.o {
                for n in 0..N {
                    port_nchw[(n * s.o + o) * per..][..per]
                        .copy_from_slice(&port[o * N * per + n * per..][..per]);
                }
            }
            let exact = lut_conv() == want && port_nchw == want;
            all_exact &= exact;

            // Per core: everything on one thread, CPU time.
            tch::set_num_threads(1);
            let t = time_interleaved(
                cpu_time,
                reps,
                &mut [
                    &mut || {
                        one.install(|| std::hint::black_box(lut_conv()));
                    },
                    &mut || {
                        let _ = std::hint::black_box(torch_conv());
                    },
                ],
            );
            let (t_lut, t_torch) = (t[0], t[1]);
            let t_port = time_interleaved(
                cpu_time,
                reps.min(3),
                &mut [&mut || {
                    one.install(|| std::hint::black_box(portable()));
                }],
            )[0];
            let t_naive = time_interleaved(
                cpu_time,
                if quick { 1 } else { 2 },
                &mut [&mut || {
                    std::hint::black_box(naive(map, &wts, &input, s));
                }],
            )[0];
            // All threads, wall clock.
            tch::set_num_threads(threads as i32);
            let w = time_interleaved(
                wall_time,
                reps,
                &mut [
                    &mut || {
                        std::hint::black_box(lut_conv());
                    },
                    &mut || {
                        let _ = std::hint::black_box(torch_conv());
                    },
                ],
            );
            let g = |t: f64| macs / t / 1e9;
            ratios_torch.push(t_torch / t_lut);
            ratios_naive.push(t_naive / t_lut);
            ratios_wall.push(w[1] / w[0]);
            println!(
                "{:<9} {:<14} {:>6.1} {:>7.2} {:>8.2} {:>7.2} {:>7.3} {:>9.3} {:>8.1}x {:>6} | {:>7.2} {:>7.2} {:>9.3}",
                kind,
                s.name,
                macs / 1e6,
                g(t_lut),
                g(t_port),
                g(t_torch),
                g(t_naive),
                t_torch / t_lut,
                t_naive / t_lut,
                if exact { "yes" } else { "NO" },
                g(w[0]),
                g(w[1]),
                w[1] / w[0]
            );
        }
    }
    let geo = |v: &[f64]| (v.iter().map(|x| x.ln()).sum::<f64>() / v.len() as f64).exp();
    println!("(lut includes im2col, packing and output reordering; best of interleaved rounds)");
    println!(
        "geometric mean per core: lut/torch {:.3} (target >= 0.125), lut/naive {:.1}x (target >= 100x); \
         all threads: lut/torch {:.3}; bit-exact: {}",
        geo(&ratios_torch),
        geo(&ratios_naive),
        geo(&ratios_wall),
        if all_exact { "yes" } else { "NO" }
    );
    if !all_exact {
        std::process::exit(1);
    }
}
