//! The integer network's arithmetic, defined once (DESIGN.md, "The integer
//! network"; the rules are listed in the [`crate::intnet`] module doc).
//!
//! Every Rust path that computes what the integer network computes calls
//! these functions: the simulator and its reference trace
//! ([`crate::intnet::sim`]), the product and error tables
//! ([`crate::intnet::lut::ProductTable`], [`crate::errmodel::ErrorTable`]),
//! the shape arithmetic of the float and integer graphs, and the tests of
//! the fake-quantized training model (`codesign_torch::nn::quant` in `torch/`, whose `f64`
//! tensor formulas are checked element by element against these). The
//! Verilog blocks (`rtl/*.v`) stay hand-written and are checked against this
//! module by co-simulation (`codesign cosim`).

/// Integer input activation of a raw pixel: `pixel >> input_shift`
/// (`input_shift` is 1 for signed multipliers so that pixels fit `0..=127`).
#[inline]
pub fn input_activation(pixel: u8, input_shift: u32) -> i32 {
    (pixel >> input_shift) as i32
}

/// The contract's product `prod(x, w)` of activation byte `x` and weight `w`
/// through a multiplier whose 16-bit output word for operand bytes `(a, b)`
/// is `word(a, b)`.
///
/// Unsigned multiplier: sign-magnitude, `M(x, |w|)` read unsigned and
/// negated when `w < 0` (a zero weight gives `M(x, 0)`, not negated, as a
/// sign-magnitude datapath computes). Signed multiplier: `M(x, w)` on two's
/// complement bytes, the word read as two's complement.
#[inline]
pub fn product(signed: bool, x: u8, w: i8, word: impl Fn(u8, u8) -> u16) -> i32 {
    if signed {
        word(x, w as u8) as i16 as i32
    } else {
        let m = word(x, w.unsigned_abs()) as i32;
        if w < 0 {
            -m
        } else {
            m
        }
    }
}

/// The exact product `x * w` under the same operand reading as [`product`]
/// (`x` two's complement for signed multipliers, unsigned otherwise).
#[inline]
pub fn exact_product(signed: bool, x: u8, w: i8) -> i32 {
    let x = if signed { x as i8 as i32 } else { x as i32 };
    x * w as i32
}

/// One step of a multiply-accumulate: `acc + prod` in wrapping `i32`
/// (the hardware accumulator; [`crate::intnet::validate`] bounds fan-in and
/// bias so that no valid network wraps).
#[inline]
pub fn accumulate(acc: i32, prod: i32) -> i32 {
    acc.wrapping_add(prod)
}

/// Rescaling of accumulator `acc` (bias included) without clamping:
/// `(acc * mult + 2^(shift-1)) >> shift` in `i64`, `>>` arithmetic (floor),
/// i.e. round half up. `mult >= 0`, `1 <= shift <= 62`.
#[inline]
pub fn rescale(acc: i64, mult: i64, shift: u32) -> i64 {
    (acc * mult + (1i64 << (shift - 1))) >> shift
}

/// Requantization of accumulator `acc` (bias included):
/// `clamp((acc * mult + 2^(shift-1)) >> shift, 0, act_max)`, the
/// [`rescale`] clamped to the activation range; ReLU is the clamp at 0.
#[inline]
pub fn requant(acc: i64, mult: i64, shift: u32, act_max: i32) -> i32 {
    rescale(acc, mult, shift).clamp(0, act_max as i64) as i32
}

/// Residual addition: both operands rescaled to the output scale with one
/// common shift, then rounded half up and clamped like [`requant`]:
/// `clamp((a * mult_a + b * mult_b + 2^(shift-1)) >> shift, 0, act_max)`.
#[inline]
pub fn residual_add(a: i64, b: i64, mult_a: i64, mult_b: i64, shift: u32, act_max: i32) -> i32 {
    ((a * mult_a + b * mult_b + (1i64 << (shift - 1))) >> shift).clamp(0, act_max as i64) as i32
}

/// Average pooling's rounding: `(sum + n / 2) / n` (integer division; sums
/// of activations are `>= 0`, so this rounds half up). `n >= 1` is the
/// window size (`kernel^2`, or `H * W` for global average pooling).
#[inline]
pub fn round_mean(sum: i64, n: usize) -> i32 {
    ((sum + n as i64 / 2) / n as i64) as i32
}

/// Output length of a sliding window along one axis:
/// `(size + 2 * padding - kernel) / stride + 1` (floor), `None` if the
/// window does not fit or `kernel` or `stride` is 0.
pub fn window_out(size: usize, kernel: usize, stride: usize, padding: usize) -> Option<usize> {
    let padded = size + 2 * padding;
    if kernel == 0 || stride == 0 || padded < kernel {
        return None;
    }
    Some((padded - kernel) / stride + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requant_rounds_half_up_and_clamps() {
        assert_eq!(requant(5, 1, 1, 255), 3); // 2.5 -> 3
        assert_eq!(requant(3, 3, 2, 255), 2); // 2.25 -> 2
        assert_eq!(requant(-1, 1, 1, 255), 0); // -0.5 -> 0
        assert_eq!(requant(i32::MAX as i64, i32::MAX as i64, 62, 255), 1);
        assert_eq!(requant(3, 32768, 16, 255), 2); // 1.5 -> 2
        assert_eq!(requant(1, 32768, 16, 255), 1); // 0.5 -> 1
        assert_eq!(requant(-3, 32768, 16, 255), 0); // -1.5 -> -1 -> ReLU 0
        assert_eq!(requant(1000, 1, 1, 255), 255);
        assert_eq!(requant(1000, 1, 1, 127), 127);
    }

    #[test]
    fn residual_add_shares_one_rounding() {
        // (32 + 63 + 1) >> 1 = 48 (47.5 rounds up).
        assert_eq!(residual_add(32, 63, 1, 1, 1, 255), 48);
        assert_eq!(residual_add(-40, 3, 1, 1, 1, 255), 0);
        // Raw accumulators: (300000 + 200000 + 32768) >> 16 = 8 (8.13),
        // (-300000 + 200000 + 32768) >> 16 = -2 (floor of -1.03), ReLU 0.
        assert_eq!(residual_add(100_000, 200, 3, 1000, 16, 255), 8);
        assert_eq!(residual_add(-100_000, 200, 3, 1000, 16, 255), 0);
    }

    #[test]
    fn rescale_rounds_half_up_without_clamping() {
        assert_eq!(rescale(-3, 1, 1), -1); // -1.5 -> -1
        assert_eq!(rescale(-5, 3, 2), -4); // -3.75 -> -4
        assert_eq!(rescale(1000, 1, 1), 500);
    }

    #[test]
    fn round_mean_rounds_half_up() {
        let got: Vec<i32> = (0..10).map(|s| round_mean(s, 4)).collect();
        assert_eq!(got, [0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    }

    #[test]
    fn product_rule_is_sign_magnitude_for_unsigned() {
        // A multiplier that sets the low bit: M(a, b) = a*b | 1.
        let word = |a: u8, b: u8| (a as u16 * b as u16) | 1;
        assert_eq!(product(false, 3, -2, word), -7);
        assert_eq!(product(false, 3, 0, word), 1); // M(x, 0) keeps its sign
        assert_eq!(
            product(true, 3, -2, |a, b| (a as i8 as i16 * b as i8 as i16) as u16),
            -6
        );
        assert_eq!(exact_product(true, 0xff, 3), -3);
        assert_eq!(exact_product(false, 0xff, 3), 765);
    }

    #[test]
    fn window_sizes() {
        assert_eq!(window_out(32, 3, 1, 1), Some(32));
        assert_eq!(window_out(32, 3, 2, 1), Some(16));
        assert_eq!(window_out(5, 2, 2, 0), Some(2));
        assert_eq!(window_out(1, 3, 1, 0), None);
        assert_eq!(window_out(4, 0, 1, 0), None);
    }
}
