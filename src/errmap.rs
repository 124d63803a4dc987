//! The error map: the 256x256 table of a multiplier's products over every
//! operand pair. It is what every later stage knows of a multiplier.
//!
//! Indexing: `index(a, b) = (a as usize) << 8 | b as usize` where `a` is
//! operand `A` (the activation in the integer network) and `b` operand `B`
//! (the weight, or its magnitude for unsigned multipliers). For a signed
//! multiplier both bytes and the 16-bit product are two's complement.

use serde::{Deserialize, Serialize};

/// Products of one 8x8 multiplier for all 65,536 operand pairs.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorMap {
    /// Operands and product are two's complement.
    pub signed: bool,
    /// `products[index(a, b)]`, the product as an integer
    /// (0..=65535 unsigned, -32768..=32767 signed).
    pub products: Vec<i32>,
}

impl std::fmt::Debug for ErrorMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ErrorMap {{ signed: {}, .. }}", self.signed)
    }
}

/// Position of operand pair `(a, b)` in an error map.
#[inline]
pub fn index(a: u8, b: u8) -> usize {
    (a as usize) << 8 | b as usize
}

/// Operand value of byte `v` under the given signedness.
#[inline]
pub fn operand(v: u8, signed: bool) -> i32 {
    if signed {
        v as i8 as i32
    } else {
        v as i32
    }
}

impl ErrorMap {
    /// The exact multiplier's map.
    pub fn exact(signed: bool) -> Self {
        Self::from_fn(signed, |a, b| a * b)
    }

    /// Build a map from an arithmetic definition over operand values.
    pub fn from_fn(signed: bool, f: impl Fn(i32, i32) -> i32) -> Self {
        let mut products = Vec::with_capacity(65536);
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                products.push(f(operand(a, signed), operand(b, signed)));
            }
        }
        ErrorMap { signed, products }
    }

    /// Build a map from raw 16-bit product words (as a netlist's output bus
    /// gives them), reading them as two's complement when `signed`.
    pub fn from_raw(signed: bool, raw: &[u16]) -> Self {
        assert_eq!(raw.len(), 65536);
        let products = raw
            .iter()
            .map(|&p| if signed { p as i16 as i32 } else { p as i32 })
            .collect();
        ErrorMap { signed, products }
    }

    /// Approximate product of bytes `a`, `b`.
    #[inline]
    pub fn product(&self, a: u8, b: u8) -> i32 {
        self.products[index(a, b)]
    }

    /// Exact product of bytes `a`, `b` under this map's signedness.
    #[inline]
    pub fn exact_product(&self, a: u8, b: u8) -> i32 {
        operand(a, self.signed) * operand(b, self.signed)
    }

    /// `M(a, b) - a*b`.
    #[inline]
    pub fn error(&self, a: u8, b: u8) -> i32 {
        self.product(a, b) - self.exact_product(a, b)
    }

    /// Raw 16-bit product words (inverse of [`ErrorMap::from_raw`]).
    pub fn to_raw(&self) -> Vec<u16> {
        self.products.iter().map(|&p| p as u16).collect()
    }

    /// Little-endian bytes of the raw products: the on-disk form (128 KiB).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_raw().iter().flat_map(|p| p.to_le_bytes()).collect()
    }

    /// Inverse of [`ErrorMap::to_bytes`]; `None` if the length is wrong.
    pub fn from_bytes(signed: bool, bytes: &[u8]) -> Option<Self> {
        if bytes.len() != 2 * 65536 {
            return None;
        }
        let raw: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        Some(Self::from_raw(signed, &raw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_exact_reads_twos_complement() {
        let m = ErrorMap::exact(true);
        assert_eq!(m.product(0xff, 0x02), -2);
        assert_eq!(m.product(0x80, 0x80), 16384);
        assert_eq!(m.error(0x80, 0x7f), 0);
    }

    #[test]
    fn bytes_round_trip() {
        let m = ErrorMap::from_fn(false, |a, b| (a * b) & !0xf);
        let back = ErrorMap::from_bytes(false, &m.to_bytes()).unwrap();
        assert_eq!(m, back);
        assert_eq!(back.error(255, 255), -((255 * 255) & 0xf));
    }
}
