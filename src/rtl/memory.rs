//! Memories of the accelerator as SRAM macros: what the export instantiates
//! (one `act_mem` per activation buffer, one `rom` per weight, bias,
//! requantization multiplier and shift store, see `rtl/act_mem.v` and
//! `rtl/rom.v`), and the stated model that gives each macro its area and
//! per-access energy. Synthesis reads the macro modules as black boxes
//! (`yosys/synth.ys`), so only logic is mapped to gates; simulation runs
//! their behavioural models.
//!
//! The model (until a CACTI model replaces it):
//! - Area: [`SRAM_UM2_PER_BIT`] µm² per bit, periphery included, from
//!   CACTI 7 at 45 nm for an 8 KiB array of 64-bit words (0.026 mm² for
//!   65,536 bits, the sanity-check figure of the project's hardware-numbers
//!   issue); the 45 nm 6T bit cell alone is 0.346 µm² (Mistry et al., "A
//!   45nm logic technology with high-k + metal gate transistors...", IEDM
//!   2007). In NAND2 equivalents with [`NAND2_UM2`] (NanGate45 NAND2_X1).
//!   A macro with `R` read ports is `R` copies of a one-read, one-write
//!   array sharing the write (replication, the standard way to add read
//!   ports to single-read-port SRAM; LaForest and Steffan, "Efficient
//!   multi-ported memories for FPGAs", FPGA 2010): area and write energy
//!   scale with `R`. Per-bit area underestimates very small macros, whose
//!   periphery dominates.
//! - Energy per access: Horowitz, "Computing's energy problem", ISSCC 2014,
//!   45 nm: a 64-bit read costs 10 pJ from 8 KB, 20 pJ from 32 KB and
//!   100 pJ from 1 MB. The array's size in bytes is interpolated in log-log
//!   between those points (below 8 KB extrapolated with the 8-32 KB slope,
//!   above 1 MB with the 32 KB-1 MB slope) and the word width scales the
//!   64-bit figure linearly. A write is taken to cost a read (Horowitz
//!   gives reads only).

use serde::{Deserialize, Serialize};

/// Area of one SRAM bit, periphery included (µm², 45 nm): CACTI 7,
/// 8 KiB of 64-bit words = 0.026 mm² / 65,536 bits.
pub const SRAM_UM2_PER_BIT: f64 = 0.026e6 / 65536.0;

/// Area of one NAND2 gate equivalent (µm²): NanGate FreePDK45 NAND2_X1.
pub const NAND2_UM2: f64 = 0.798;

/// Horowitz, ISSCC 2014, 45 nm: `(array bytes, pJ per 64-bit read)`.
pub const HOROWITZ_SRAM_READ: [(f64, f64); 3] =
    [(8192.0, 10.0), (32768.0, 20.0), (1048576.0, 100.0)];

/// Access time of every macro under the per-bit model (ns): CACTI 7's
/// figure for the 8 KiB reference array at 45 nm.
pub const SRAM_ACCESS_NS: f64 = 1.06;

/// The model's source, as `synth.json` names it for every memory.
pub const SRAM_MODEL: &str = "per-bit SRAM model: area 0.397 um2/bit (CACTI 7, 45 nm, 8 KiB of 64-bit words = 0.026 mm2) / 0.798 um2 per NAND2 (NanGate45 NAND2_X1); read energy from Horowitz ISSCC 2014 45 nm (64-bit read: 10 pJ 8 KB, 20 pJ 32 KB, 100 pJ 1 MB; log-log in size, linear in width); write = read; R read ports = R replicated arrays; access time 1.06 ns (CACTI 7, the same 8 KiB array)";

/// What a memory holds.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemoryKind {
    /// An activation buffer (`act_mem`): one tensor, written by its
    /// producer, read by its consumers and the debug port.
    Activations,
    /// An engine's weight rows (`rom`, registered read).
    Weights,
    /// An engine's per-channel bias (`rom`, registered read like every macro).
    Bias,
    /// An engine's per-channel requantization multiplier.
    RequantMult,
    /// An engine's per-channel requantization shift.
    RequantShift,
}

/// One memory macro of an export, as `manifest.json` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryInfo {
    /// Instance path from the top (`buf_conv1`, `u_conv1.w_rom`).
    pub name: String,
    /// Activation buffer or ROM.
    pub kind: MemoryKind,
    /// Macro module (`act_mem` or `rom`).
    pub module: String,
    /// Layer whose engine holds it (ROMs); `None` for activation buffers.
    #[serde(default)]
    pub unit: Option<String>,
    /// Words.
    pub depth: usize,
    /// Bits per word.
    pub width: u32,
    /// Read ports (an activation buffer read by two units has 2).
    pub read_ports: u32,
    /// 0 for a ROM.
    pub write_ports: u32,
    /// Read data registered on the clock edge (else asynchronous).
    pub registered_read: bool,
    /// `$readmemh` file of a ROM.
    #[serde(default)]
    pub init: Option<String>,
}

impl MemoryInfo {
    /// Stored bits (`depth * width`).
    pub fn bits(&self) -> u64 {
        self.depth as u64 * self.width as u64
    }
}

/// A memory with its modelled area and energy, as `synth.json` reports it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemoryArea {
    /// Instance path from the top.
    pub name: String,
    /// Activation buffer or ROM.
    pub kind: MemoryKind,
    #[serde(default)]
    /// Layer whose engine holds it (ROMs); `None` for activation buffers.
    pub unit: Option<String>,
    /// Words.
    pub depth: usize,
    /// Bits per word.
    pub width: u32,
    /// Read ports.
    pub read_ports: u32,
    /// Write ports (0 for a ROM).
    pub write_ports: u32,
    /// Stored bits (`depth * width`).
    pub bits: u64,
    /// Modelled area (µm², 45 nm).
    pub area_um2: f64,
    /// The same in NAND2 equivalents (`area_um2 / NAND2_UM2`).
    pub area_ge: f64,
    /// Energy of one word read (pJ).
    pub read_pj: f64,
    /// Energy of one word write, all replicas (pJ); 0 for a ROM.
    pub write_pj: f64,
    /// Standby leakage power (µW; 0 where the model has none).
    #[serde(default)]
    pub leakage_uw: f64,
    /// Read access time (ns): the delay of the macro's read arc in static
    /// timing ([`crate::eda::sta`]).
    #[serde(default)]
    pub access_ns: f64,
    /// Where the figures come from.
    pub source: String,
}

/// Energy of one 64-bit read from an SRAM array of `bytes` bytes (pJ),
/// interpolated in log-log through [`HOROWITZ_SRAM_READ`].
pub fn read_pj_64(bytes: f64) -> f64 {
    let p = &HOROWITZ_SRAM_READ;
    let bytes = bytes.max(1.0);
    // The segment that holds `bytes` (the end segments extrapolate).
    let i = if bytes <= p[1].0 { 0 } else { 1 };
    let ((s0, e0), (s1, e1)) = (p[i], p[i + 1]);
    let slope = (e1 / e0).ln() / (s1 / s0).ln();
    e0 * (bytes / s0).powf(slope)
}

/// The figures of one single-read-port array of a memory's depth and
/// width, from whichever model produced them.
#[derive(Clone, Debug, PartialEq)]
pub struct ArrayFigures {
    /// Area (µm²).
    pub area_um2: f64,
    /// Energy of one word read (pJ).
    pub read_pj: f64,
    /// Energy of one word write (pJ).
    pub write_pj: f64,
    /// Standby leakage (µW).
    pub leakage_uw: f64,
    /// Read access time (ns).
    pub access_ns: f64,
    /// Where the figures come from.
    pub source: String,
}

/// Memory `m` built from `R = read_ports` replicas of the array `one`
/// sharing the write (see the module doc): area, write energy and leakage
/// scale with `R`, a read costs one array's read; a ROM has no write
/// energy.
pub fn replicated(m: &MemoryInfo, one: ArrayFigures) -> MemoryArea {
    let copies = m.read_ports.max(1) as f64;
    let area_um2 = one.area_um2 * copies;
    MemoryArea {
        name: m.name.clone(),
        kind: m.kind,
        unit: m.unit.clone(),
        depth: m.depth,
        width: m.width,
        read_ports: m.read_ports,
        write_ports: m.write_ports,
        bits: m.bits(),
        area_um2,
        area_ge: area_um2 / NAND2_UM2,
        read_pj: one.read_pj,
        write_pj: if m.write_ports == 0 {
            0.0
        } else {
            one.write_pj * copies
        },
        leakage_uw: one.leakage_uw * copies,
        access_ns: one.access_ns,
        source: one.source,
    }
}

/// Area and per-access energy of `m` under the stated per-bit model.
pub fn model(m: &MemoryInfo) -> MemoryArea {
    let read_pj = read_pj_64(m.bits() as f64 / 8.0) * m.width as f64 / 64.0;
    replicated(
        m,
        ArrayFigures {
            area_um2: m.bits() as f64 * SRAM_UM2_PER_BIT,
            read_pj,
            write_pj: read_pj,
            leakage_uw: 0.0,
            access_ns: SRAM_ACCESS_NS,
            source: SRAM_MODEL.to_string(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mem(depth: usize, width: u32, read_ports: u32, write_ports: u32) -> MemoryInfo {
        MemoryInfo {
            name: "m".into(),
            kind: MemoryKind::Activations,
            module: "act_mem".into(),
            unit: None,
            depth,
            width,
            read_ports,
            write_ports,
            registered_read: false,
            init: None,
        }
    }

    #[test]
    fn energy_passes_through_horowitz_points() {
        for (bytes, pj) in HOROWITZ_SRAM_READ {
            assert!((read_pj_64(bytes) - pj).abs() < 1e-9, "{bytes}");
        }
        // 2 KB: two quarterings below 8 KB on the sqrt(size) slope: 10/2.
        assert!((read_pj_64(2048.0) - 5.0).abs() < 1e-9);
        // Halfway (geometric) between 32 KB and 1 MB: sqrt(20 * 100).
        let mid = (32768.0f64 * 1048576.0).sqrt();
        assert!((read_pj_64(mid) - (20.0f64 * 100.0).sqrt()).abs() < 1e-9);
    }

    #[test]
    fn area_and_energy_of_an_8_kib_array() {
        // 1024 words of 64 bits: the CACTI reference array, 0.026 mm^2.
        let a = model(&mem(1024, 64, 1, 1));
        assert!((a.area_um2 - 26000.0).abs() < 1e-6);
        assert!((a.area_ge - 26000.0 / 0.798).abs() < 1e-6);
        assert!((a.read_pj - 10.0).abs() < 1e-9);
        assert_eq!(a.write_pj, a.read_pj);
        // A second read port replicates the array: twice the area and the
        // write energy, the same read energy.
        let b = model(&mem(1024, 64, 2, 1));
        assert!((b.area_um2 - 2.0 * a.area_um2).abs() < 1e-6);
        assert!((b.write_pj - 2.0 * a.write_pj).abs() < 1e-9);
        assert_eq!(b.read_pj, a.read_pj);
        // A ROM is never written; an 8-bit word reads an eighth of 64 bits.
        let r = model(&mem(8192, 8, 1, 0));
        assert_eq!(r.write_pj, 0.0);
        assert!((r.read_pj - 10.0 / 8.0).abs() < 1e-9);
    }
}
