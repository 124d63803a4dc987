//! Loops over contiguous float32 CPU tensors in place, for the passes of a
//! training step that libtorch would split into several operators (the
//! straight-through values of [`crate::nn::ste`], the noise scale of
//! [`crate::nn::agn`]).

use rayon::prelude::*;
use tch::{Kind, Tensor};

/// The values of a contiguous float32 CPU tensor, or `None` for any other.
pub(crate) fn cpu_f32(t: &Tensor) -> Option<&[f32]> {
    (t.device() == tch::Device::Cpu && t.kind() == Kind::Float && t.is_contiguous()).then(|| {
        // SAFETY: a contiguous float32 CPU tensor holds `numel()` f32 values
        // at `data_ptr()`, alive and unchanged while `t` is borrowed.
        unsafe { std::slice::from_raw_parts(t.data_ptr() as *const f32, t.numel()) }
    })
}

/// The values of `out`, a contiguous float32 CPU tensor (panics on any
/// other), to write outside autograd: `out` is a fresh op output, which
/// nothing else reads or writes while the slice lives.
#[allow(clippy::mut_from_ref)] // the tensor's storage, not the handle
pub(crate) fn fresh_f32_mut(out: &Tensor) -> &mut [f32] {
    assert!(
        cpu_f32(out).is_some(),
        "a {:?} tensor written as float32 CPU values",
        out.kind()
    );
    // SAFETY: `out` is a contiguous float32 CPU tensor of `numel()` values,
    // which (the caller's contract) nothing else touches meanwhile.
    unsafe { std::slice::from_raw_parts_mut(out.data_ptr() as *mut f32, out.numel()) }
}

/// Values per piece below which [`for_pieces`] stays on the calling thread.
const PARALLEL_MIN: usize = 1 << 16;

/// `f(i, piece)` for the consecutive pieces of `piece` values (the last one
/// possibly shorter) of `out`, a contiguous float32 CPU tensor (panics on
/// any other), outside autograd: `out` is a fresh op output, which nothing
/// else reads while this runs. Each piece's loop is compiled for AVX2 where
/// the CPU has it ([`vectorized`]); the pieces run on libtorch's thread
/// count of the thread pool when `out` holds at least [`PARALLEL_MIN`]
/// values, so a training step limited to one core stays on one. `f` must
/// give each piece's values from `i` alone: the result does not depend on
/// the threads.
pub(crate) fn for_pieces(out: &Tensor, piece: usize, f: impl Fn(usize, &mut [f32]) + Sync) {
    let v = fresh_f32_mut(out);
    let piece = piece.max(1);
    let threads = tch::get_num_threads().max(1) as usize;
    if threads == 1 || v.len() < PARALLEL_MIN {
        vectorized(
            #[inline(always)]
            || {
                for (i, p) in v.chunks_mut(piece).enumerate() {
                    f(i, p)
                }
            },
        );
    } else {
        let pieces = v.len().div_ceil(piece);
        v.par_chunks_mut(piece)
            .enumerate()
            .with_min_len(pieces.div_ceil(threads))
            .for_each(|(i, p)| {
                vectorized(
                    #[inline(always)]
                    || f(i, p),
                )
            });
    }
}

/// `f()`, compiled for AVX2 where the CPU has it: `floor`, the conversions
/// and the `f64` sums then vectorize four lanes wide (baseline x86-64 has
/// two-lane vectors and no rounding instruction: it calls libm's `floor`
/// for every value). The same bits either way (Rust never fuses a multiply
/// and an add).
#[inline(always)]
pub(crate) fn vectorized(f: impl FnOnce()) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        #[target_feature(enable = "avx2")]
        unsafe fn run(f: impl FnOnce()) {
            f()
        }
        // SAFETY: the CPU supports AVX2 (checked above).
        return unsafe { run(f) };
    }
    f()
}
