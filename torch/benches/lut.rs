//! Lookup-table convolution on the conv shapes of ResNet-8 for CIFAR-10
//! (batch 32, 3x3), all measured in this run:
//!
//! * our kernel (`intnet::lut::conv2d`, every SIMD path this CPU has);
//! * libtorch float32 convolution of the same shapes (the speed of light a
//!   user compares against; targets: >= 1/3 per core, >= 1/4 on 2 threads);
//! * an im2col loop with one scalar table lookup per multiplication (the
//!   AdaPT-style kernel; target >= 4x);
//! * a libtorch unfold-and-gather of the same product table (how
//!   TorchApprox-style code emulates a multiplier on CPU; target >= 100x);
//! * the kernel on 1 and on 2 threads (target: 2 threads >= 1.8x 1 thread on
//!   every shape).
//!
//! Every contender's result is checked bit for bit against a direct
//! convolution that looks up each product in the error map.
//!
//! The machine this runs on is often shared, so the per-core figures run on
//! one thread and are timed by process CPU time (what each got of a core),
//! best of interleaved rounds; the 1- and 2-thread figures are wall time,
//! interleaved the same way, and need the second core to be free: run it on
//! a quiet machine (`uptime`). They are throughput: each timing is a burst
//! of [`BURST`] calls back to back, as a network's layers run, because on
//! a virtual machine the second CPU sleeps during a settle and waking it
//! costs a single 2-4 ms call up to half its time. Ends with one line of
//! JSON (geometric means over the shapes and both table kinds).
//!
//! `cargo bench --bench lut` (add `-- --quick` for fewer repetitions).

use codesign::errmap::ErrorMap;
use codesign::intnet::lut::{self, Path, ProductTable};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::{Duration, Instant};
use tch::{Kind, Tensor};

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
/// Pause before the per-core timings and before each wall-clock burst that
/// follows or precedes a libtorch call (see [`time_interleaved`]).
const SETTLE: Duration = Duration::from_millis(20);

/// Calls per wall-clock timing. Measured on a 2-CPU KVM guest (Ice Lake),
/// ResNet-8's signed 32->32 @16 on 2 threads after a 20 ms settle: 20.6
/// GMAC/s for single calls, 34.8 for bursts of 4, 37.3 for bursts of 8
/// (35.7 with no settle at all). The 1- and 2-thread runs of the kernel
/// also take no settle between them: interleaved with 20 ms settles,
/// bursts of 8 scaled 1.44x where back to back they scaled 1.60-1.77x.
const BURST: usize = 8;

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
/// see the same machine load; one warm-up round first. Each call starts
/// after `settle`: libtorch's OpenMP workers spin-wait for several
/// milliseconds after a parallel region (libgomp's default spin count), as
/// rayon's idle workers briefly do, and a contender timed while the
/// previous one's threads still spin would run on fewer free cores.
fn time_interleaved(
    clock: fn() -> f64,
    reps: usize,
    settle: Duration,
    fs: &mut [&mut dyn FnMut()],
) -> Vec<f64> {
    let mut best = vec![f64::INFINITY; fs.len()];
    for round in 0..=reps {
        for (i, f) in fs.iter_mut().enumerate() {
            std::thread::sleep(settle);
            let s = clock();
            f();
            if round > 0 {
                best[i] = best[i].min(clock() - s);
            }
        }
    }
    best
}

/// The AdaPT-style kernel: im2col, then for each output channel and weight
/// one scalar table lookup per position. Result `[o][n * oh * ow]`.
fn scalar_im2col(table: &ProductTable, wts: &[i8], input: &[u8], s: &Conv) -> Vec<i32> {
    let (cols, k_n, p_n) = lut::im2col(input, [N, s.c, s.hw, s.hw], K, s.stride, PAD);
    let mut y = vec![0i32; s.o * p_n];
    for (o, yo) in y.chunks_mut(p_n).enumerate() {
        for k in 0..k_n {
            let row = table.row(wts[o * k_n + k]);
            for (acc, &x) in yo.iter_mut().zip(&cols[k * p_n..][..p_n]) {
                *acc = acc.wrapping_add(row[x as usize]);
            }
        }
    }
    y
}

/// `[o][n * per]` to `[n][o][per]`.
fn to_nchw(y: &[i32], o_n: usize, per: usize) -> Vec<i32> {
    let mut out = vec![0i32; y.len()];
    for o in 0..o_n {
        for n in 0..N {
            out[(n * o_n + o) * per..][..per].copy_from_slice(&y[(o * N + n) * per..][..per]);
        }
    }
    out
}

/// The TorchApprox-style emulation: unfold the input, index the product
/// table (`[256 * 256]`, `prod[(w as u8) << 8 | x]`) with weight and
/// activation, sum over the reduction; one output channel at a time so that
/// the index tensor fits in memory. Result `[n][o][oh * ow]`.
fn torch_gather(table: &Tensor, xt: &Tensor, wbytes: &[i64], s: &Conv) -> Tensor {
    let k_n = (s.c * K * K) as i64;
    let cols = xt
        .im2col([K as i64; 2], [1, 1], [PAD as i64; 2], [s.stride as i64; 2])
        .to_kind(Kind::Int64);
    let outs: Vec<Tensor> = wbytes
        .chunks(k_n as usize)
        .map(|wo| {
            let w = Tensor::from_slice(wo).view([1, k_n, 1]) * 256;
            table
                .take(&(&cols + w))
                .sum_dim_intlist(1, false, Kind::Int64)
        })
        .collect();
    Tensor::stack(&outs, 1)
}

fn geo(v: &[f64]) -> f64 {
    (v.iter().map(|x| x.ln()).sum::<f64>() / v.len() as f64).exp()
}

fn main() {
    // As the binaries do (`codesign::cli::init`): the calls measured are the
    // product's, without a page fault per fresh output page.
    codesign::cli::keep_freed_memory();
    let quick = std::env::args().any(|a| a == "--quick");
    let reps = if quick { 5 } else { 20 };
    let pool = |n| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .expect("rayon pool")
    };
    let (one, two) = (pool(1), pool(2));
    let paths: Vec<Path> = lut::PATHS.to_vec();
    for &p in &paths {
        if !lut::supported(p) {
            println!("path {p:?}: not supported by this CPU, skipped");
        }
    }
    let paths: Vec<Path> = paths.into_iter().filter(|&p| lut::supported(p)).collect();
    let best = lut::best_path();
    println!(
        "lut bench: batch {N}, 3x3 kernels, paths {paths:?} (each shape takes `lut::auto_path`; VBMI first where present); {} CPUs; load average {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split(' ')
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    // A truncated multiplier (any table costs the same; it keeps the check honest).
    let maps = [
        ("unsigned", ErrorMap::from_fn(false, |a, b| (a * b) & !0x3f)),
        ("signed", ErrorMap::from_fn(true, |a, b| (a * b) & !0x3f)),
    ];
    let mut head = format!("{:<8} {:<14} {:>5} |", "table", "shape", "MMAC");
    for p in &paths {
        head += &format!(
            " {:>9}",
            format!("{p:?}").chars().take(9).collect::<String>()
        );
    }
    head += &format!(
        " {:>7} {:>7} {:>7} | {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} | exact",
        "scalar",
        "gather",
        "torch",
        "/torch",
        "/scal",
        "/gath",
        "lut 1t",
        "lut 2t",
        "scale",
        "tch 2t",
        "/torch",
        "cpu2/1"
    );
    println!("per core: GMAC/s by CPU time, 1 thread each | ratios of the path the simulator takes for the shape (named at the end of the line) | wall GMAC/s, 1 and 2 threads; cpu2/1: CPU time of the 2-thread run over the 1-thread run (1.00: the second thread adds no work; unlike the wall-clock scaling it does not depend on the second core being free)");
    println!("{head}");
    let (mut r_torch, mut r_scalar, mut r_gather) = (vec![], vec![], vec![]);
    let (mut r_torch2, mut scaling, mut cpu_overhead) = (vec![], vec![], vec![]);
    let mut all_exact = true;
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for (kind, map) in &maps {
        let table = ProductTable::new(map);
        let prod: Vec<i32> = (0..=255u8)
            .flat_map(|wb| table.row(wb as i8).to_vec())
            .collect();
        let table_t = Tensor::from_slice(&prod).to_kind(Kind::Int64);
        let xmax = if map.signed { 127u8 } else { 255 };
        for s in SHAPES {
            let oh = (s.hw + 2 * PAD - K) / s.stride + 1;
            let per = oh * oh;
            let macs = (N * s.o * per * s.c * K * K) as f64;
            let input: Vec<u8> = (0..N * s.c * s.hw * s.hw)
                .map(|_| rng.random_range(0..=xmax))
                .collect();
            let wts: Vec<i8> = (0..s.o * s.c * K * K)
                .map(|_| rng.random_range(-127..=127))
                .collect();
            let wbytes: Vec<i64> = wts.iter().map(|&w| w as u8 as i64).collect();
            let dims = [N, s.c, s.hw, s.hw];
            let conv =
                |p: Path| lut::conv2d_with(p, &table, &wts, s.o, K, s.stride, PAD, &input, dims);
            // The path the simulator takes for this shape.
            let chosen = lut::auto_path(s.o, s.c * K * K, N * per);
            let xt = Tensor::from_slice(&input)
                .reshape([N as i64, s.c as i64, s.hw as i64, s.hw as i64])
                .to_kind(Kind::Float);
            let wt = Tensor::from_slice(&wts)
                .reshape([s.o as i64, s.c as i64, K as i64, K as i64])
                .to_kind(Kind::Float);
            let torch_conv = || {
                tch::no_grad(|| {
                    xt.conv2d(
                        &wt,
                        None::<Tensor>,
                        [s.stride as i64; 2],
                        [PAD as i64; 2],
                        [1, 1],
                        1,
                    )
                })
            };

            // Bit-exactness of every contender against the definition.
            let want = lut::direct_conv2d(map, &wts, s.o, K, s.stride, PAD, &input, dims);
            let gathered: Vec<i64> = Vec::try_from(
                tch::no_grad(|| torch_gather(&table_t, &xt, &wbytes, s)).flatten(0, -1),
            )
            .expect("gather result");
            let exact = paths.iter().all(|&p| conv(p) == want)
                && to_nchw(&scalar_im2col(&table, &wts, &input, s), s.o, per) == want
                && gathered.iter().map(|&v| v as i32).eq(want.iter().copied());
            all_exact &= exact;

            // Per core: one thread each, CPU time (process-wide, so first a
            // settle: libtorch's workers from the checks above, on two
            // threads, would spin into the first timings).
            tch::set_num_threads(1);
            std::thread::sleep(SETTLE);
            let mut per_core: Vec<f64> = vec![];
            for &p in &paths {
                let t = time_interleaved(
                    cpu_time,
                    reps,
                    Duration::ZERO,
                    &mut [&mut || {
                        one.install(|| std::hint::black_box(conv(p)));
                    }],
                );
                per_core.push(t[0]);
            }
            let t_torch = time_interleaved(
                cpu_time,
                reps,
                Duration::ZERO,
                &mut [&mut || {
                    let _ = std::hint::black_box(torch_conv());
                }],
            )[0];
            let t_scalar = time_interleaved(
                cpu_time,
                reps.min(3),
                Duration::ZERO,
                &mut [&mut || {
                    std::hint::black_box(scalar_im2col(&table, &wts, &input, s));
                }],
            )[0];
            let t_gather = time_interleaved(
                cpu_time,
                if quick { 1 } else { 2 },
                Duration::ZERO,
                &mut [&mut || {
                    let _ = std::hint::black_box(tch::no_grad(|| {
                        torch_gather(&table_t, &xt, &wbytes, s)
                    }));
                }],
            )[0];
            // Wall clock, throughput: 1 and 2 threads interleaved back to
            // back (no settle: no libtorch call between them, and a settle
            // puts the second CPU to sleep), then 2 threads against libtorch
            // on 2 threads, each burst after a settle.
            tch::set_num_threads(2);
            let burst = |f: &mut dyn FnMut()| (0..BURST).for_each(|_| f());
            let lut_burst = |pool: &rayon::ThreadPool| {
                pool.install(|| burst(&mut || drop(std::hint::black_box(conv(chosen)))))
            };
            std::thread::sleep(SETTLE);
            let lut_threads = time_interleaved(
                wall_time,
                reps * 2,
                Duration::ZERO,
                &mut [&mut || lut_burst(&one), &mut || lut_burst(&two)],
            );
            let against_torch = time_interleaved(
                wall_time,
                reps * 2,
                SETTLE,
                &mut [&mut || lut_burst(&two), &mut || {
                    burst(&mut || drop(std::hint::black_box(torch_conv())))
                }],
            );
            // Per call: lut on 1 and 2 threads (back to back), then lut on 2
            // threads and libtorch on 2 threads (after settles).
            let per_call = |t: &[f64]| -> Vec<f64> { t.iter().map(|t| t / BURST as f64).collect() };
            let (w, vs) = (per_call(&lut_threads), per_call(&against_torch));
            // The same two runs by process CPU time: the work the second thread adds.
            let c = time_interleaved(
                cpu_time,
                reps,
                SETTLE,
                &mut [
                    &mut || {
                        one.install(|| std::hint::black_box(conv(chosen)));
                    },
                    &mut || {
                        two.install(|| std::hint::black_box(conv(chosen)));
                    },
                ],
            );
            cpu_overhead.push(c[1] / c[0]);
            let g = |t: f64| macs / t / 1e9;
            let t_lut = per_core[paths.iter().position(|&p| p == chosen).unwrap_or(0)];
            r_torch.push(t_torch / t_lut);
            r_scalar.push(t_scalar / t_lut);
            r_gather.push(t_gather / t_lut);
            r_torch2.push(vs[1] / vs[0]);
            scaling.push(w[0] / w[1]);
            let mut line = format!("{:<8} {:<14} {:>5.1} |", kind, s.name, macs / 1e6);
            for &t in &per_core {
                line += &format!(" {:>9.2}", g(t));
            }
            line += &format!(
                " {:>7.2} {:>7.3} {:>7.2} | {:>6.3} {:>5.1}x {:>5.0}x | {:>6.2} {:>6.2} {:>5.2}x {:>6.2} {:>6.3} {:>6.3} | {}",
                g(t_scalar),
                g(t_gather),
                g(t_torch),
                t_torch / t_lut,
                t_scalar / t_lut,
                t_gather / t_lut,
                g(w[0]),
                g(w[1]),
                w[0] / w[1],
                g(vs[1]),
                vs[1] / vs[0],
                c[1] / c[0],
                if exact { "yes" } else { "NO" }
            );
            let line = format!("{line} ({chosen:?})");
            println!("{line}");
        }
    }
    let min_scaling = scaling.iter().copied().fold(f64::INFINITY, f64::min);
    println!("(lut includes im2col, packing and output reordering; best of interleaved rounds)");
    println!(
        "geometric means: per core lut/torch f32 {:.3} (target >= 0.333), lut/scalar im2col {:.1}x (>= 4x), \
         lut/torch gather {:.0}x (>= 100x); 2 threads lut/torch f32 {:.3} (>= 0.25); \
         2 threads over 1: {:.2}x, lowest {:.2}x (>= 1.8x on every shape), CPU time 2 threads over 1: {:.3}; bit-exact: {}",
        geo(&r_torch),
        geo(&r_scalar),
        geo(&r_gather),
        geo(&r_torch2),
        geo(&scaling),
        min_scaling,
        geo(&cpu_overhead),
        if all_exact { "yes" } else { "NO" }
    );
    println!(
        "{}",
        serde_json::json!({
            "bench": "lut",
            "path": format!("{best:?}"),
            "path_rule": "lut::auto_path per shape",
            "ratio_fp32_per_core": geo(&r_torch),
            "ratio_fp32_2threads": geo(&r_torch2),
            "thread_scaling": geo(&scaling),
            "thread_scaling_min": min_scaling,
            "thread_cpu_ratio": geo(&cpu_overhead),
            "ratio_scalar_im2col": geo(&r_scalar),
            "ratio_torch_gather": geo(&r_gather),
            "bit_exact": all_exact,
        })
    );
    if !all_exact {
        std::process::exit(1);
    }
}
