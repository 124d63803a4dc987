//! Loops over contiguous float32 CPU tensors in place, for the passes of a
//! training step that libtorch would split into several operators (the
//! straight-through values of [`crate::nn::ste`], the noise scale of
//! [`crate::nn::agn`]).

use tch::{Kind, Tensor};

/// The values of a contiguous float32 CPU tensor, or `None` for any other.
pub fn cpu_f32(t: &Tensor) -> Option<&[f32]> {
    (t.device() == tch::Device::Cpu && t.kind() == Kind::Float && t.is_contiguous()).then(|| {
        // SAFETY: a contiguous float32 CPU tensor holds `numel()` f32 values
        // at `data_ptr()`, alive and unchanged while `t` is borrowed.
        unsafe { std::slice::from_raw_parts(t.data_ptr() as *const f32, t.numel()) }
    })
}

/// Run `f` on the values of `out`, a contiguous float32 CPU tensor (panics
/// on any other), outside autograd: `out` is a fresh op output, which no
/// other tensor reads while `f` runs.
pub(crate) fn write_f32(out: &Tensor, f: impl FnOnce(&mut [f32])) {
    assert!(
        cpu_f32(out).is_some(),
        "write_f32 on a {:?} tensor",
        out.kind()
    );
    // SAFETY: `out` is a contiguous float32 CPU tensor of `numel()` values,
    // which only this call reads or writes while it runs.
    let v = unsafe { std::slice::from_raw_parts_mut(out.data_ptr() as *mut f32, out.numel()) };
    f(v)
}

/// `f()`, compiled for AVX2 where the CPU has it: `floor`, the conversions
/// and the `f64` sums then vectorize four lanes wide (baseline x86-64 has
/// two-lane vectors and no rounding instruction: it calls libm's `floor`
/// for every value). The same bits either way (Rust never fuses a multiply
/// and an add).
#[inline(always)]
pub fn vectorized(f: impl FnOnce()) {
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
