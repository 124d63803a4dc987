//! Accelergy energy and area reference tables (`ERT.yaml`, `ART.yaml`) for
//! the accelerator's components, in the layout DESIGN.md gives, so that a
//! Timeloop/Accelergy user can plug the assigned multipliers into their own
//! architecture model. Energies in pJ per action, areas in um^2.

use super::energy::Constants;
use super::model::Report;
use serde::{Deserialize, Serialize};

/// Accelergy's table format version.
pub const VERSION: f64 = 0.3;

/// One action of a component.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// Accelergy action name (`mult_random`, `add`, `idle`, ...).
    pub name: String,
    /// Always null: our actions take no arguments.
    pub arguments: Option<serde_yaml_ng::Value>,
    /// pJ per action.
    pub energy: f64,
}

/// One component's energy table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErtTable {
    /// Component name (`exact_multiplier`, `adder8`, `<layer>.<part>`, ...).
    pub name: String,
    /// The component's actions with their energies.
    pub actions: Vec<Action>,
    /// Where the energies come from (CACTI configuration, Liberty model),
    /// where they are not the report's per-operation constants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
/// Body of `ERT.yaml`.
pub struct ErtBody {
    /// Table format version ([`VERSION`]).
    pub version: f64,
    /// One table per component.
    pub tables: Vec<ErtTable>,
}

/// `ERT.yaml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub struct Ert {
    /// The energy reference table.
    pub ert: ErtBody,
}

/// One component's area.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArtTable {
    /// Component name.
    pub name: String,
    /// um^2.
    pub area: f64,
    /// Where the area comes from, where it is not NAND2 equivalents times
    /// `nand2_um2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
/// Body of `ART.yaml`.
pub struct ArtBody {
    /// Table format version ([`VERSION`]).
    pub version: f64,
    /// One table per component.
    pub tables: Vec<ArtTable>,
}

/// `ART.yaml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub struct Art {
    /// The area reference table.
    pub art: ArtBody,
}

/// Component names: `<layer>.multiplier`, `<layer>.mac`,
/// `<layer>.weight_buffer`, `<layer>.activation_buffer`, and the shared
/// `exact_multiplier`, `adder8`, `adder32`, `requantizer`.
pub fn component(layer: &str, part: &str) -> String {
    format!("{layer}.{part}")
}

fn action(name: &str, energy: f64) -> Action {
    Action {
        name: name.to_string(),
        arguments: None,
        energy,
    }
}

/// Source of the `<layer>.multiplier_nangate45` energies.
pub const NANGATE45_SOURCE: &str = "NanGate45 Liberty switching energy of the layer's multiplier on its canonical mapping (src/library/energy.rs): uniform random operands, and the operand stream the layer's lanes see on real images (src/eda/stream.rs)";

/// Energy reference table of the report's accelerator: the per-operation
/// constants' components, and where the run has them, each memory macro
/// (`memory.<instance>`, CACTI or the per-bit model) and each layer's
/// multiplier in NanGate45 (`<layer>.multiplier_nangate45`), with sources.
pub fn ert(r: &Report, c: &Constants) -> Ert {
    let mut tables = vec![
        ErtTable {
            name: "exact_multiplier".into(),
            actions: vec![action("mult_random", c.mult8_pj), action("idle", 0.0)],
            source: None,
        },
        ErtTable {
            name: "adder8".into(),
            actions: vec![action("add", c.add8_pj), action("idle", 0.0)],
            source: None,
        },
        ErtTable {
            name: "adder32".into(),
            actions: vec![action("add", c.add32_pj), action("idle", 0.0)],
            source: None,
        },
        ErtTable {
            name: "requantizer".into(),
            actions: vec![
                action("mult_random", c.mult32_pj + c.add32_pj),
                action("idle", 0.0),
            ],
            source: None,
        },
    ];
    for l in &r.layers {
        tables.push(ErtTable {
            name: component(&l.name, "multiplier"),
            actions: vec![
                action("mult_random", l.energy_per_mult_pj),
                action("idle", 0.0),
            ],
            source: None,
        });
        tables.push(ErtTable {
            name: component(&l.name, "mac"),
            actions: vec![
                action("mac_random", l.energy_per_mac_pj),
                action("idle", 0.0),
            ],
            source: None,
        });
        tables.push(ErtTable {
            name: component(&l.name, "weight_buffer"),
            actions: vec![action("read", l.weight_access_pj), action("idle", 0.0)],
            source: None,
        });
        tables.push(ErtTable {
            name: component(&l.name, "activation_buffer"),
            actions: vec![
                action("read", l.activation_access_pj),
                action("write", l.activation_access_pj),
                action("idle", 0.0),
            ],
            source: None,
        });
        if let (Some(u), Some(real)) = (l.mult_uniform_pj, l.mult_real_stream_pj) {
            tables.push(ErtTable {
                name: component(&l.name, "multiplier_nangate45"),
                actions: vec![
                    action("mult_random", u),
                    action("mult_real_stream", real),
                    action("idle", 0.0),
                ],
                source: Some(NANGATE45_SOURCE.into()),
            });
        }
    }
    for m in &r.memories {
        let mut actions = vec![action("read", m.read_pj)];
        if m.write_ports > 0 {
            actions.push(action("write", m.write_pj));
        }
        actions.push(action("idle", 0.0));
        tables.push(ErtTable {
            name: format!("memory.{}", m.name),
            actions,
            source: Some(m.source.clone()),
        });
    }
    Ert {
        ert: ErtBody {
            version: VERSION,
            tables,
        },
    }
}

/// Area reference table: library area of each layer's multiplier and,
/// where synthesized, of its engine; NAND2 equivalents times `nand2_um2`.
pub fn art(r: &Report, c: &Constants) -> Art {
    let mut tables = Vec::new();
    for l in &r.layers {
        if let Some(cost) = l.multiplier.as_ref().and_then(|m| m.cost.as_ref()) {
            tables.push(ArtTable {
                name: component(&l.name, "multiplier"),
                area: cost.area_ge * c.nand2_um2,
                source: None,
            });
        }
        if let Some(a) = l.engine_area_ge {
            tables.push(ArtTable {
                name: component(&l.name, "engine"),
                area: a * c.nand2_um2,
                source: None,
            });
        }
    }
    if let Some(a) = r.area.approx_ge {
        tables.push(ArtTable {
            name: "accelerator".into(),
            area: a * c.nand2_um2,
            source: None,
        });
    }
    if let Some(a) = r.area.exact_ge {
        tables.push(ArtTable {
            name: "accelerator_exact".into(),
            area: a * c.nand2_um2,
            source: None,
        });
    }
    for m in &r.memories {
        tables.push(ArtTable {
            name: format!("memory.{}", m.name),
            area: m.area_um2,
            source: Some(m.source.clone()),
        });
    }
    for (name, a) in [
        ("accelerator_nangate45", r.area.approx_um2),
        ("accelerator_exact_nangate45", r.area.exact_um2),
    ] {
        if let Some(a) = a {
            tables.push(ArtTable {
                name: name.into(),
                area: a,
                source: r.area.liberty.as_ref().map(|l| {
                    format!("logic: cell areas of the Liberty library {l}; memories: their model")
                }),
            });
        }
    }
    Art {
        art: ArtBody {
            version: VERSION,
            tables,
        },
    }
}

impl Ert {
    /// Energy of `action` of `component`.
    pub fn energy(&self, component: &str, action: &str) -> Option<f64> {
        self.ert
            .tables
            .iter()
            .find(|t| t.name == component)?
            .actions
            .iter()
            .find(|a| a.name == action)
            .map(|a| a.energy)
    }
}

impl Art {
    /// Area of `component`.
    pub fn area(&self, component: &str) -> Option<f64> {
        self.art
            .tables
            .iter()
            .find(|t| t.name == component)
            .map(|t| t.area)
    }
}
