//! Absolute energy and the datapath model. Relative multiplier energies
//! (from the library's switching-activity model) become picojoules by
//! calibrating the exact 8-bit multiplier to a stated per-operation constant;
//! the datapath estimate adds what a multiplication drags along with it
//! (accumulation, bias and requantization, buffer accesses), so hardware
//! engineers see how multiplier savings translate at system level.
//!
//! Defaults: 45 nm figures of Horowitz, "Computing's energy problem (and
//! what we can do about it)", ISSCC 2014. Every constant may be overridden
//! in the config's `energy:` section and carries its source into the report.

use serde::{Deserialize, Serialize};

/// Source of the default constants.
pub const HOROWITZ: &str = "Horowitz, ISSCC 2014, 45 nm";
/// Source of the NAND2 area used to turn gate equivalents into um^2.
pub const NANGATE: &str = "NanGate FreePDK45 Open Cell Library, NAND2_X1 (45 nm)";

pub use crate::config::EnergyConfig;

/// One per-operation constant as printed in the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Constant {
    /// Field name (`add8_pj`, ...).
    pub name: String,
    /// The value, in `unit`.
    pub value: f64,
    /// Unit (`pJ` or `um^2`).
    pub unit: String,
    /// What operation it is the cost of.
    pub meaning: String,
    /// Where the figure comes from (paper, or the config's override source).
    pub source: String,
}

/// The constants the model uses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Constants {
    /// 8-bit integer addition.
    pub add8_pj: f64,
    /// 8-bit integer multiplication: the exact multiplier's energy.
    pub mult8_pj: f64,
    /// 32-bit integer addition (accumulator, bias, rounding).
    pub add32_pj: f64,
    /// 32-bit integer multiplication (requantization).
    pub mult32_pj: f64,
    /// 64-bit SRAM read, 8 KB array.
    pub sram_8kb_pj: f64,
    /// 64-bit SRAM read, 32 KB array.
    pub sram_32kb_pj: f64,
    /// 64-bit SRAM read, 1 MB array.
    pub sram_1mb_pj: f64,
    /// One 64-bit DRAM access (Horowitz gives 1.3-2.6 nJ; low end).
    pub dram_pj: f64,
    /// Area of one NAND2 gate equivalent.
    pub nand2_um2: f64,
    /// Source of each field, by field name.
    pub sources: std::collections::BTreeMap<String, String>,
}

impl Default for Constants {
    fn default() -> Self {
        Constants::from_config(&EnergyConfig::default())
    }
}

impl Constants {
    /// Defaults overridden by the config's `energy:` section.
    pub fn from_config(cfg: &EnergyConfig) -> Constants {
        let mut sources = std::collections::BTreeMap::new();
        let over = cfg
            .source
            .clone()
            .unwrap_or_else(|| "config `energy:` section".to_string());
        let mut pick = |name: &str, v: Option<f64>, default: f64, src: &str| {
            sources.insert(
                name.to_string(),
                if v.is_some() {
                    over.clone()
                } else {
                    src.to_string()
                },
            );
            v.unwrap_or(default)
        };
        let add8_pj = pick("add8_pj", cfg.add8_pj, 0.03, HOROWITZ);
        let mult8_pj = pick("mult8_pj", cfg.mult8_pj, 0.2, HOROWITZ);
        let add32_pj = pick("add32_pj", cfg.add32_pj, 0.1, HOROWITZ);
        let mult32_pj = pick("mult32_pj", cfg.mult32_pj, 3.1, HOROWITZ);
        let sram_8kb_pj = pick("sram_8kb_pj", cfg.sram_8kb_pj, 10.0, HOROWITZ);
        let sram_32kb_pj = pick("sram_32kb_pj", cfg.sram_32kb_pj, 20.0, HOROWITZ);
        let sram_1mb_pj = pick("sram_1mb_pj", cfg.sram_1mb_pj, 100.0, HOROWITZ);
        let dram_pj = pick(
            "dram_pj",
            cfg.dram_pj,
            1300.0,
            "Horowitz, ISSCC 2014, 45 nm (1.3-2.6 nJ; low end)",
        );
        let nand2_um2 = pick("nand2_um2", cfg.nand2_um2, 0.798, NANGATE);
        Constants {
            add8_pj,
            mult8_pj,
            add32_pj,
            mult32_pj,
            sram_8kb_pj,
            sram_32kb_pj,
            sram_1mb_pj,
            dram_pj,
            nand2_um2,
            sources,
        }
    }

    /// Every constant with unit, meaning and source, for the report.
    pub fn table(&self) -> Vec<Constant> {
        let row = |name: &str, value: f64, unit: &str, meaning: &str| Constant {
            name: name.to_string(),
            value,
            unit: unit.to_string(),
            meaning: meaning.to_string(),
            source: self.sources.get(name).cloned().unwrap_or_default(),
        };
        vec![
            row("add8_pj", self.add8_pj, "pJ", "8-bit integer add"),
            row(
                "mult8_pj",
                self.mult8_pj,
                "pJ",
                "8-bit integer multiply (the exact multiplier)",
            ),
            row(
                "add32_pj",
                self.add32_pj,
                "pJ",
                "32-bit integer add (accumulate, bias)",
            ),
            row(
                "mult32_pj",
                self.mult32_pj,
                "pJ",
                "32-bit integer multiply (requantization)",
            ),
            row(
                "sram_8kb_pj",
                self.sram_8kb_pj,
                "pJ",
                "64-bit SRAM access, array up to 8 KB",
            ),
            row(
                "sram_32kb_pj",
                self.sram_32kb_pj,
                "pJ",
                "64-bit SRAM access, array up to 32 KB",
            ),
            row(
                "sram_1mb_pj",
                self.sram_1mb_pj,
                "pJ",
                "64-bit SRAM access, array up to 1 MB",
            ),
            row(
                "dram_pj",
                self.dram_pj,
                "pJ",
                "64-bit DRAM access (arrays above 1 MB)",
            ),
            row(
                "nand2_um2",
                self.nand2_um2,
                "um^2",
                "area of one NAND2 gate equivalent",
            ),
        ]
    }

    /// Energy of one 64-bit access to a buffer of `bytes` bytes: the
    /// smallest stated SRAM size that holds it, DRAM above 1 MB.
    pub fn buffer_access_pj(&self, bytes: u64) -> f64 {
        if bytes <= 8 << 10 {
            self.sram_8kb_pj
        } else if bytes <= 32 << 10 {
            self.sram_32kb_pj
        } else if bytes <= 1 << 20 {
            self.sram_1mb_pj
        } else {
            self.dram_pj
        }
    }
}

/// Bytes per 64-bit buffer access: 8-bit weights and activations are packed.
pub const BYTES_PER_ACCESS: f64 = 8.0;

/// What the datapath model needs to know about one multiplying layer.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerWork {
    /// Multiply-accumulates per inference.
    pub macs: u64,
    /// Output values per inference (each gets bias and requantization).
    pub outputs: u64,
    /// Weight bytes (size of the layer's weight buffer).
    pub weight_bytes: u64,
    /// Bytes of the activation buffer the layer reads and writes.
    pub activation_bytes: u64,
    /// Whether the outputs are requantized (all but the logits layer).
    pub requantized: bool,
}

/// Energy of one layer per inference, by operation, in pJ.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    /// Multiplications, pJ.
    pub multiply_pj: f64,
    /// 32-bit accumulations, pJ.
    pub accumulate_pj: f64,
    /// Bias addition (32-bit add) and requantization (32-bit multiply, requantized layers only), pJ.
    pub bias_requant_pj: f64,
    /// Weight buffer reads (64-bit accesses), pJ.
    pub weight_reads_pj: f64,
    /// Activation buffer reads (64-bit accesses), pJ.
    pub activation_reads_pj: f64,
    /// Activation buffer writes (64-bit accesses), pJ.
    pub activation_writes_pj: f64,
}

impl Breakdown {
    /// Sum of all parts, pJ.
    pub fn total_pj(&self) -> f64 {
        self.multiply_pj
            + self.accumulate_pj
            + self.bias_requant_pj
            + self.weight_reads_pj
            + self.activation_reads_pj
            + self.activation_writes_pj
    }
    /// Add another breakdown part by part.
    pub fn add(&mut self, o: &Breakdown) {
        self.multiply_pj += o.multiply_pj;
        self.accumulate_pj += o.accumulate_pj;
        self.bias_requant_pj += o.bias_requant_pj;
        self.weight_reads_pj += o.weight_reads_pj;
        self.activation_reads_pj += o.activation_reads_pj;
        self.activation_writes_pj += o.activation_writes_pj;
    }
}

/// The model's assumptions, printed in the report under the constants.
pub const ASSUMPTIONS: &[&str] = &[
    "multiplication: MACs x mult8_pj x the multiplier's energy relative to the exact one (library switching-activity model)",
    "accumulation: one 32-bit add per MAC",
    "bias and requantization: one 32-bit add per output, plus one 32-bit multiply per output where the layer is requantized",
    "weight reads: one weight byte per MAC, 8 bytes per 64-bit access, from a buffer sized to the layer's weights (no reuse across lanes)",
    "activation reads: one byte per MAC, 8 per access; writes: one byte per output, 8 per access; a write costs the same as a read",
    "buffer access energy: the smallest stated SRAM size holding the buffer, DRAM above 1 MB",
    "not counted: pooling, residual additions, control, clock tree, leakage",
];

/// Datapath energy of one layer with a multiplier of relative energy `rel`.
pub fn layer_energy(c: &Constants, w: &LayerWork, rel: f64) -> Breakdown {
    let macs = w.macs as f64;
    let outputs = w.outputs as f64;
    let act = c.buffer_access_pj(w.activation_bytes);
    Breakdown {
        multiply_pj: macs * c.mult8_pj * rel,
        accumulate_pj: macs * c.add32_pj,
        bias_requant_pj: outputs * (c.add32_pj + if w.requantized { c.mult32_pj } else { 0.0 }),
        weight_reads_pj: macs / BYTES_PER_ACCESS * c.buffer_access_pj(w.weight_bytes),
        activation_reads_pj: macs / BYTES_PER_ACCESS * act,
        activation_writes_pj: outputs / BYTES_PER_ACCESS * act,
    }
}

/// The paper's figure: `sum_l macs_l * rel_l / sum_l macs_l`.
pub fn relative_multiplication(layers: &[(u64, f64)]) -> f64 {
    let total: f64 = layers.iter().map(|(m, _)| *m as f64).sum();
    if total == 0.0 {
        return 1.0;
    }
    layers.iter().map(|(m, r)| *m as f64 * r).sum::<f64>() / total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_horowitz_and_overrides_name_their_source() {
        let c = Constants::default();
        assert_eq!(
            (c.add8_pj, c.mult8_pj, c.add32_pj, c.mult32_pj),
            (0.03, 0.2, 0.1, 3.1)
        );
        assert_eq!(
            (c.sram_8kb_pj, c.sram_32kb_pj, c.sram_1mb_pj),
            (10.0, 20.0, 100.0)
        );
        assert!(c
            .table()
            .iter()
            .all(|k| k.source.contains("Horowitz") || k.source.contains("NanGate")));
        let cfg = EnergyConfig {
            mult8_pj: Some(0.5),
            source: Some("my 28 nm synthesis".into()),
            ..Default::default()
        };
        let c = Constants::from_config(&cfg);
        assert_eq!(c.mult8_pj, 0.5);
        let t = c.table();
        assert_eq!(
            t.iter().find(|k| k.name == "mult8_pj").unwrap().source,
            "my 28 nm synthesis"
        );
        assert!(t
            .iter()
            .find(|k| k.name == "add8_pj")
            .unwrap()
            .source
            .contains("Horowitz"));
    }

    #[test]
    fn buffer_size_picks_the_smallest_array_that_holds_it() {
        let c = Constants::default();
        assert_eq!(c.buffer_access_pj(100), 10.0);
        assert_eq!(c.buffer_access_pj(8192), 10.0);
        assert_eq!(c.buffer_access_pj(8193), 20.0);
        assert_eq!(c.buffer_access_pj(1 << 20), 100.0);
        assert_eq!(c.buffer_access_pj((1 << 20) + 1), 1300.0);
    }

    #[test]
    fn layer_energy_counts_each_operation_once() {
        let c = Constants::default();
        let w = LayerWork {
            macs: 800,
            outputs: 10,
            weight_bytes: 80,
            activation_bytes: 100,
            requantized: true,
        };
        let b = layer_energy(&c, &w, 0.5);
        assert!((b.multiply_pj - 800.0 * 0.2 * 0.5).abs() < 1e-9);
        assert!((b.accumulate_pj - 80.0).abs() < 1e-9);
        assert!((b.bias_requant_pj - 10.0 * 3.2).abs() < 1e-9);
        assert!((b.weight_reads_pj - 100.0 * 10.0).abs() < 1e-9);
        assert!((b.activation_reads_pj - 1000.0).abs() < 1e-9);
        assert!((b.activation_writes_pj - 12.5).abs() < 1e-9);
        let logits = LayerWork {
            requantized: false,
            ..w
        };
        assert!((layer_energy(&c, &logits, 1.0).bias_requant_pj - 1.0).abs() < 1e-9);
    }

    #[test]
    fn relative_multiplication_weights_by_macs() {
        assert_eq!(
            relative_multiplication(&[(100, 0.5), (300, 1.0)]),
            (50.0 + 300.0) / 400.0
        );
        assert_eq!(relative_multiplication(&[]), 1.0);
    }
}
