//! Renders a [`Report`] as tables, then as Markdown, HTML (with inline SVG
//! plots) and CSV. The tables are built once, so the three formats show the
//! same numbers.

use super::model::Report;
use super::svg::{self, Bars, Points};
use std::fmt::Write;

/// A titled table of text cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// File stem of the CSV and anchor of the section.
    pub id: &'static str,
    /// Section heading.
    pub title: &'static str,
    /// Column headings.
    pub headers: Vec<String>,
    /// Cells, row by row (each as long as `headers`).
    pub rows: Vec<Vec<String>>,
}

/// Shown where a value's stage has not run.
pub const NOT_RUN: &str = "not run";

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.2}%", 100.0 * v))
        .unwrap_or_else(|| NOT_RUN.into())
}

fn num(x: Option<f64>, digits: usize) -> String {
    x.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| NOT_RUN.into())
}

/// One summary row: engines (of which multipliers), buffers, other; of
/// all, the memory macros.
fn breakdown_row(label: &str, b: &Option<super::model::AreaBreakdown>) -> Vec<String> {
    let value = match b {
        Some(b) => format!(
            "engines {:.0} (multipliers {:.0}), buffers {:.0}, other {:.0}; memory macros {:.0}",
            b.engines_ge, b.multipliers_ge, b.buffers_ge, b.other_ge, b.memories_ge
        ),
        None => NOT_RUN.into(),
    };
    vec![label.into(), value]
}

fn g(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else if x.abs() >= 1e5 || x.abs() < 1e-3 {
        format!("{x:.4e}")
    } else {
        format!("{x:.4}")
    }
}

fn h(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// All tables of the report.
pub fn tables(r: &Report) -> Vec<Table> {
    let sections: [fn(&Report, &mut Vec<Table>); 10] = [
        summary,
        layers,
        datapath_energy,
        system_energy,
        gate_level,
        stream_energy,
        memories,
        constants,
        error_model,
        sweep,
    ];
    let mut out = Vec::new();
    for section in sections {
        section(r, &mut out);
    }
    out
}

/// The summary table: accuracies, energies, area, timing and co-simulation checks.
fn summary(r: &Report, out: &mut Vec<Table>) {
    let a = &r.accuracy;
    let e = &r.energy;
    let mut summary = vec![
        vec!["accuracy: float baseline".into(), pct(a.baseline)],
        vec!["accuracy: QAT".into(), pct(a.qat)],
        vec!["accuracy: after AGN search".into(), pct(a.agn)],
        vec!["accuracy: integer, exact multipliers".into(), pct(a.exact)],
        vec![
            "accuracy: integer, error model's choice (paper)".into(),
            pct(a.approx_paper),
        ],
        vec![
            "accuracy: integer, assigned multipliers (after the accuracy budget)".into(),
            pct(a.approx),
        ],
        vec![
            "accuracy: after approximate retraining".into(),
            pct(a.retrained),
        ],
        vec![
            "relative multiplication energy (paper's figure; multipliers only)".into(),
            num(e.relative_multiplication, 4),
        ],
        vec![
            "relative multiplication energy, error model's choice".into(),
            num(e.relative_multiplication_paper, 4),
        ],
        vec![
            "relative datapath energy".into(),
            num(e.relative_datapath, 4),
        ],
        vec![
            "multiplication energy per inference, exact (pJ)".into(),
            g(e.multiplication_exact_pj),
        ],
        vec![
            "multiplication energy per inference, assigned (pJ)".into(),
            e.multiplication_approx_pj
                .map(g)
                .unwrap_or_else(|| NOT_RUN.into()),
        ],
        vec![
            "datapath energy per inference, exact (pJ)".into(),
            g(e.datapath_exact_pj),
        ],
        vec![
            "datapath energy per inference, assigned (pJ)".into(),
            e.datapath_approx_pj
                .map(g)
                .unwrap_or_else(|| NOT_RUN.into()),
        ],
        vec![
            "synthesized area, exact accelerator (GE)".into(),
            num(r.area.exact_ge, 0),
        ],
        vec![
            "synthesized area, heterogeneous accelerator (GE)".into(),
            num(r.area.approx_ge, 0),
        ],
        vec![
            "area, heterogeneous / exact".into(),
            num(r.area.relative, 4),
        ],
        breakdown_row("area by part, heterogeneous (GE)", &r.area.breakdown_approx),
        breakdown_row("area by part, exact (GE)", &r.area.breakdown_exact),
        vec![
            "multiplier area, one lane per layer, exact / assigned (GE)".into(),
            format!(
                "{} / {}",
                num(r.area.multipliers_exact_ge, 1),
                num(r.area.multipliers_approx_ge, 1)
            ),
        ],
        vec![
            "co-simulation: images".into(),
            r.cosim
                .images
                .map(|x| x.to_string())
                .unwrap_or_else(|| NOT_RUN.into()),
        ],
        vec![
            "co-simulation: mismatches".into(),
            r.cosim
                .mismatches
                .map(|x| x.to_string())
                .unwrap_or_else(|| NOT_RUN.into()),
        ],
        vec![
            "co-simulation: cycles per inference".into(),
            num(r.cosim.cycles_per_inference, 0),
        ],
        vec![
            "multiplier modules checked exhaustively and formally: failing / checked".into(),
            match (r.cosim.multipliers_failed, r.cosim.multipliers_checked) {
                (Some(f), Some(c)) => format!("{f} / {c}"),
                _ => NOT_RUN.into(),
            },
        ],
    ];
    if let Some(em) = &r.error_model {
        for (m, s) in &em.share_within {
            summary.push(vec![
                format!("error model `{m}`: share of pairs within [0.8, 1.25]"),
                format!("{s:.3}"),
            ]);
        }
    }
    if let (Some(x), Some(a)) = (&e.system_breakdown_exact, &e.system_breakdown_approx) {
        summary.push(vec![
            "system energy per inference, exact / heterogeneous (pJ)".into(),
            format!("{} / {} ({:.4})", g(x.total), g(a.total), a.total / x.total),
        ]);
        summary.push(vec![
            "multipliers' share of system energy, exact / heterogeneous".into(),
            format!(
                "{:.2}% / {:.2}%",
                100.0 * x.multipliers / x.total,
                100.0 * a.multipliers / a.total
            ),
        ]);
    }
    if let Some(m) = r.cosim.counters_match_schedule {
        summary.push(vec![
            "co-simulation: RTL event counters equal the schedule's access counts".into(),
            if m { "yes" } else { "NO" }.into(),
        ]);
    }
    out.push(Table {
        id: "summary",
        title: "Summary",
        headers: h(&["quantity", "value"]),
        rows: summary,
    });
}

/// Per layer: multiplier, error, energy and area.
fn layers(r: &Report, out: &mut Vec<Table>) {
    out.push(Table {
        id: "layers",
        title: "Layers",
        headers: h(&[
            "layer",
            "kind",
            "shape",
            "MACs",
            "sigma",
            "tolerance",
            "multiplier",
            "MAE%",
            "WCE%",
            "EP%",
            "mult. area (GE)",
            "E/mult (rel)",
            "E/mult (pJ)",
            "predicted std",
            "measured std",
            "mult. energy exact (pJ)",
            "mult. energy (pJ)",
            "datapath exact (pJ)",
            "datapath (pJ)",
            "engine area exact (GE)",
            "engine area (GE)",
        ]),
        rows: r
            .layers
            .iter()
            .map(|l| {
                let m = l.multiplier.as_ref();
                let met = m.and_then(|m| m.metrics.as_ref());
                vec![
                    l.name.clone(),
                    l.kind.clone(),
                    format!("{:?}", l.shape),
                    l.macs.to_string(),
                    num(l.sigma, 4),
                    num(l.tolerance, 2),
                    m.map(|m| m.id.clone()).unwrap_or_else(|| NOT_RUN.into()),
                    num(met.map(|x| x.mae_pct), 4),
                    num(met.map(|x| x.wce_pct), 4),
                    num(met.map(|x| x.ep_pct), 2),
                    num(m.and_then(|m| m.cost.as_ref()).map(|c| c.area_ge), 1),
                    format!("{:.4}", l.energy_rel),
                    format!("{:.4}", l.energy_per_mult_pj),
                    num(l.predicted_std, 3),
                    num(l.measured_std, 3),
                    g(l.multiplication_exact_pj),
                    g(l.multiplication_pj),
                    g(l.datapath_exact_pj),
                    g(l.datapath_pj),
                    num(l.engine_area_exact_ge, 0),
                    num(l.engine_area_ge, 0),
                ]
            })
            .collect(),
    });
}

/// The datapath energy model by operation (DESIGN.md constants).
fn datapath_energy(r: &Report, out: &mut Vec<Table>) {
    let e = &r.energy;
    let b = |f: fn(&super::energy::Breakdown) -> f64| {
        vec![
            g(f(&e.breakdown_exact)),
            e.breakdown_approx
                .as_ref()
                .map(|x| g(f(x)))
                .unwrap_or_else(|| NOT_RUN.into()),
        ]
    };
    let row = |name: &str, f: fn(&super::energy::Breakdown) -> f64| {
        let mut v = vec![name.to_string()];
        v.extend(b(f));
        v
    };
    out.push(Table {
        id: "energy",
        title: "Datapath energy per inference by operation (pJ)",
        headers: h(&["operation", "exact multipliers", "assigned multipliers"]),
        rows: vec![
            row("multiplications", |x| x.multiply_pj),
            row("accumulation", |x| x.accumulate_pj),
            row("bias and requantization", |x| x.bias_requant_pj),
            row("weight reads", |x| x.weight_reads_pj),
            row("activation reads", |x| x.activation_reads_pj),
            row("activation writes", |x| x.activation_writes_pj),
            row("total", |x| x.total_pj()),
        ],
    });
}

/// The system energy of the built architecture by part, when synthesized and co-simulated.
fn system_energy(r: &Report, out: &mut Vec<Table>) {
    let e = &r.energy;
    if e.system_breakdown_exact.is_some() || e.system_breakdown_approx.is_some() {
        type Part = fn(&super::system::SystemBreakdown) -> f64;
        let parts: [(&str, Part); 9] = [
            ("multipliers", |x| x.multipliers),
            ("adders and accumulators", |x| x.adders_accumulators),
            ("requantization", |x| x.requantization),
            ("pooling and residual units", |x| x.pool_residual),
            ("SRAM reads", |x| x.sram_reads),
            ("SRAM writes", |x| x.sram_writes),
            ("clock (registers)", |x| x.clock),
            ("leakage", |x| x.leakage),
            ("total", |x| x.total),
        ];
        let cell = |b: &Option<super::system::SystemBreakdown>, f: Part| {
            b.as_ref()
                .map(|x| g(f(x)))
                .unwrap_or_else(|| NOT_RUN.into())
        };
        let share = |b: &Option<super::system::SystemBreakdown>, f: Part| {
            b.as_ref()
                .filter(|x| x.total > 0.0)
                .map(|x| format!("{:.1}%", 100.0 * f(x) / x.total))
                .unwrap_or_else(|| NOT_RUN.into())
        };
        out.push(Table {
            id: "system_energy",
            title: "System energy per inference of the built accelerators by part (pJ; access counts x per-access energies)",
            headers: h(&["part", "exact", "share", "heterogeneous", "share"]),
            rows: parts
                .iter()
                .map(|(name, f)| {
                    vec![
                        name.to_string(),
                        cell(&e.system_breakdown_exact, *f),
                        share(&e.system_breakdown_exact, *f),
                        cell(&e.system_breakdown_approx, *f),
                        share(&e.system_breakdown_approx, *f),
                    ]
                })
                .collect(),
        });
        // The per-operation energies behind the adders, requantization
        // and pool/residual rows, with their source.
        let b = e
            .system_breakdown_approx
            .as_ref()
            .or(e.system_breakdown_exact.as_ref());
        let c = |name: &str| {
            r.energy
                .constants
                .iter()
                .find(|k| k.name == name)
                .map_or(f64::NAN, |k| k.value)
        };
        let (vals, source) = match b.and_then(|b| b.unit_energies.as_ref()) {
            Some(u) => (
                [u.add8_pj, u.add32_pj, u.mult32x17_pj, u.mult33x25_pj],
                u.source.clone(),
            ),
            None => (
                [c("add8_pj"), c("add32_pj"), c("mult32_pj"), c("mult32_pj")],
                "energy.constants (add8_pj, add32_pj, mult32_pj)".to_string(),
            ),
        };
        let names = [
            "8-bit add (pool)",
            "32-bit add (accumulate, bias, rounding)",
            "requantization multiply (32 x 17 bit)",
            "residual multiply (33 x 25 bit)",
        ];
        out.push(Table {
            id: "system_unit_energies",
            title: "Energy per operation of the adders, requantization and residual units (pJ)",
            headers: h(&["operation", "pJ", "source"]),
            rows: names
                .iter()
                .zip(vals)
                .map(|(n, v)| vec![n.to_string(), g(v), source.clone()])
                .collect(),
        });
    }
}

/// Logic energy from gate-level simulation beside the system model.
fn gate_level(r: &Report, out: &mut Vec<Table>) {
    let e = &r.energy;
    if e.gate_level_exact.is_none() && e.gate_level_approx.is_none() {
        return;
    }
    type Row = fn(&super::model::GateLevel) -> String;
    let rows: [(&str, Row, Row, Row); 4] = [
        (
            "datapath and control nets",
            |x| g(x.activity.total_pj - x.activity.clock_pj),
            |x| g(x.model_operations_pj),
            |x| format!("{:+.1}%", 100.0 * x.difference_datapath),
        ),
        (
            "clock (registers)",
            |x| g(x.activity.clock_pj),
            |x| g(x.model_clock_pj),
            |x| {
                format!(
                    "{:+.1}%",
                    100.0 * (x.activity.clock_pj / x.model_clock_pj - 1.0)
                )
            },
        ),
        (
            "total",
            |x| g(x.activity.total_pj),
            |x| g(x.model_operations_pj + x.model_clock_pj),
            |x| format!("{:+.1}%", 100.0 * x.difference_total),
        ),
        (
            "images simulated (mismatching)",
            |x| format!("{} ({})", x.images, x.mismatches),
            |_| String::new(),
            |_| String::new(),
        ),
    ];
    let cell = |x: &Option<super::model::GateLevel>, f: Row| {
        x.as_ref().map(f).unwrap_or_else(|| NOT_RUN.into())
    };
    out.push(Table {
        id: "gate_level_energy",
        title: "Logic energy per inference: switching activity of the mapped netlist on real images (gatesim) beside the system model's operations and clock (pJ; memories and leakage are the same model in both)",
        headers: h(&[
            "part",
            "exact: gate-level",
            "exact: model",
            "difference",
            "heterogeneous: gate-level",
            "heterogeneous: model",
            "difference",
        ]),
        rows: rows
            .iter()
            .map(|(name, gl, model, diff)| {
                vec![
                    name.to_string(),
                    cell(&e.gate_level_exact, *gl),
                    cell(&e.gate_level_exact, *model),
                    cell(&e.gate_level_exact, *diff),
                    cell(&e.gate_level_approx, *gl),
                    cell(&e.gate_level_approx, *model),
                    cell(&e.gate_level_approx, *diff),
                ]
            })
            .collect(),
    });
}

/// Multiplier energy on the real operand stream beside uniform operands.
fn stream_energy(r: &Report, out: &mut Vec<Table>) {
    if r.layers.iter().any(|l| l.mult_real_stream_pj.is_some()) {
        out.push(Table {
            id: "stream_energy",
            title: "Multiplier energy per multiplication: real operand stream vs uniform operands (pJ, NanGate45)",
            headers: h(&["layer", "multiplier", "real stream", "uniform", "real / uniform"]),
            rows: r
                .layers
                .iter()
                .map(|l| {
                    vec![
                        l.name.clone(),
                        l.multiplier.as_ref().map(|m| m.id.clone()).unwrap_or_default(),
                        num(l.mult_real_stream_pj, 4),
                        num(l.mult_uniform_pj, 4),
                        match (l.mult_real_stream_pj, l.mult_uniform_pj) {
                            (Some(a), Some(b)) if b > 0.0 => format!("{:.3}", a / b),
                            _ => NOT_RUN.into(),
                        },
                    ]
                })
                .collect(),
        });
    }
}

/// The memory macros: geometry, area, energy per access, accesses per inference.
fn memories(r: &Report, out: &mut Vec<Table>) {
    if !r.memories.is_empty() {
        out.push(Table {
            id: "memories",
            title: "Memory macros of the heterogeneous accelerator",
            headers: h(&[
                "memory",
                "kind",
                "depth",
                "width",
                "ports (r/w)",
                "area (um^2)",
                "read (pJ)",
                "write (pJ)",
                "leakage (uW)",
                "reads",
                "writes",
                "source",
            ]),
            rows: r
                .memories
                .iter()
                .map(|m| {
                    vec![
                        m.name.clone(),
                        m.kind.clone(),
                        m.depth.to_string(),
                        m.width.to_string(),
                        format!("{}/{}", m.read_ports, m.write_ports),
                        format!("{:.0}", m.area_um2),
                        format!("{:.4}", m.read_pj),
                        format!("{:.4}", m.write_pj),
                        format!("{:.3}", m.leakage_uw),
                        m.reads.to_string(),
                        m.writes.to_string(),
                        m.source.clone(),
                    ]
                })
                .collect(),
        });
    }
}

/// The per-operation energy constants and their sources.
fn constants(r: &Report, out: &mut Vec<Table>) {
    let e = &r.energy;
    out.push(Table {
        id: "constants",
        title: "Per-operation constants",
        headers: h(&["constant", "value", "unit", "meaning", "source"]),
        rows: e
            .constants
            .iter()
            .map(|c| {
                vec![
                    c.name.clone(),
                    c.value.to_string(),
                    c.unit.clone(),
                    c.meaning.clone(),
                    c.source.clone(),
                ]
            })
            .collect(),
    });
}

/// The error model: predicted vs measured error, per layer and through the network.
fn error_model(r: &Report, out: &mut Vec<Table>) {
    if let Some(em) = &r.error_model {
        out.push(Table {
            id: "error_model",
            title: "Error model: predicted vs measured error std",
            headers: h(&[
                "layer",
                "multiplier",
                "model",
                "predicted std",
                "measured std",
                "measured / predicted",
                "flag",
            ]),
            rows: em
                .pairs
                .iter()
                .map(|p| {
                    vec![
                        p.layer.clone(),
                        p.multiplier.clone(),
                        p.model.clone(),
                        g(p.predicted_std),
                        g(p.measured_std),
                        if p.predicted_std > 0.0 {
                            format!("{:.3}", p.measured_std / p.predicted_std)
                        } else {
                            "-".into()
                        },
                        p.flag.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        });
        if !em.network.is_empty() {
            out.push(Table {
                id: "error_model_network",
                title: "Error model, every layer approximate at once: accumulator deviation std (held-out images)",
                headers: h(&[
                    "assignment",
                    "layer",
                    "multiplier",
                    "local predicted std",
                    "propagated predicted std",
                    "measured std",
                    "measured / predicted",
                    "top-1 (exact)",
                ]),
                rows: em
                    .network
                    .iter()
                    .flat_map(|c| {
                        c.layers.iter().map(move |l| {
                            vec![
                                c.assignment.clone(),
                                l.layer.clone(),
                                l.multiplier.clone(),
                                g(l.predicted_local_std),
                                g(l.predicted_std),
                                g(l.measured_std),
                                if l.predicted_std > 0.0 {
                                    format!("{:.3}", l.measured_std / l.predicted_std)
                                } else {
                                    "-".into()
                                },
                                format!(
                                    "{:.2}% ({:.2}%)",
                                    100.0 * c.top1,
                                    100.0 * c.exact_top1
                                ),
                            ]
                        })
                    })
                    .collect(),
            });
        }
    }
}

/// The lambda sweep points.
fn sweep(r: &Report, out: &mut Vec<Table>) {
    if let Some(s) = &r.sweep {
        out.push(Table {
            id: "sweep",
            title: "Lambda sweep",
            headers: h(&[
                "lambda",
                "accuracy (paper's choice)",
                "accuracy (repaired)",
                "accuracy (retrained)",
                "accuracy (exact)",
                "relative multiplication energy (paper's choice)",
                "relative multiplication energy (repaired)",
                "Pareto front",
                "sigmas",
                "multipliers",
            ]),
            rows: s
                .points
                .iter()
                .map(|p| {
                    let front = sweep_front(s)
                        .iter()
                        .filter(|d| d.lambda == p.lambda)
                        .map(|d| d.series)
                        .collect::<Vec<_>>()
                        .join(", ");
                    vec![
                        p.lambda.to_string(),
                        pct(p.accuracy_paper),
                        pct(p.accuracy),
                        pct(p.accuracy_retrained),
                        pct(p.exact_accuracy),
                        num(p.relative_energy_paper, 4),
                        format!("{:.4}", p.relative_energy),
                        front,
                        p.sigmas
                            .iter()
                            .map(|x| format!("{x:.3}"))
                            .collect::<Vec<_>>()
                            .join(" "),
                        p.multipliers.join(" "),
                    ]
                })
                .collect(),
        });
    }
}

/// One point of the sweep plot.
#[derive(Clone, Debug, PartialEq)]
struct SweepDot {
    /// Relative multiplication energy.
    energy: f64,
    /// Top-1 accuracy, percent.
    accuracy: f64,
    lambda: f64,
    /// `paper's choice`, `repaired` or `retrained`.
    series: &'static str,
    /// Per-layer multipliers.
    multipliers: String,
}

impl SweepDot {
    fn point(&self) -> (f64, f64, String) {
        (
            self.energy,
            self.accuracy,
            format!(
                "lambda {}, {}: {}",
                self.lambda, self.series, self.multipliers
            ),
        )
    }
}

/// The sweep's points per series: the paper's choice, the repaired
/// assignment, after retraining.
fn sweep_series(s: &super::model::Sweep) -> [Vec<SweepDot>; 3] {
    let mut out: [Vec<SweepDot>; 3] = Default::default();
    for p in &s.points {
        let dot = |energy: f64, accuracy: f64, series, m: &[String]| SweepDot {
            energy,
            accuracy: 100.0 * accuracy,
            lambda: p.lambda,
            series,
            multipliers: m.join(" "),
        };
        let paper_layers = p.multipliers_paper.as_deref().unwrap_or(&p.multipliers);
        if let (Some(e), Some(a)) = (p.relative_energy_paper, p.accuracy_paper) {
            out[0].push(dot(e, a, "paper's choice", paper_layers));
        }
        if let Some(a) = p.accuracy {
            out[1].push(dot(p.relative_energy, a, "repaired", &p.multipliers));
        }
        if let Some(a) = p.accuracy_retrained {
            out[2].push(dot(p.relative_energy, a, "retrained", &p.multipliers));
        }
    }
    out
}

/// The Pareto front of every sweep point (lower energy, higher accuracy):
/// the points no other point matches or beats in both, by energy.
fn sweep_front(s: &super::model::Sweep) -> Vec<SweepDot> {
    let all: Vec<SweepDot> = sweep_series(s).into_iter().flatten().collect();
    let mut front: Vec<SweepDot> = all
        .iter()
        .filter(|p| {
            !all.iter().any(|q| {
                q.energy <= p.energy
                    && q.accuracy >= p.accuracy
                    && (q.energy < p.energy || q.accuracy > p.accuracy)
            })
        })
        .cloned()
        .collect();
    front.sort_by(|a, b| a.energy.total_cmp(&b.energy));
    front
}

/// One CSV file per table: `(file name, contents)`.
pub fn csv(r: &Report) -> Vec<(String, String)> {
    tables(r)
        .into_iter()
        .map(|t| {
            let mut s = String::new();
            for row in std::iter::once(&t.headers).chain(t.rows.iter()) {
                let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
                s.push_str(&cells.join(","));
                s.push('\n');
            }
            (format!("{}.csv", t.id), s)
        })
        .collect()
}

fn csv_cell(c: &str) -> String {
    if c.contains([',', '"', '\n']) {
        format!("\"{}\"", c.replace('"', "\"\""))
    } else {
        c.to_string()
    }
}

fn md_cell(c: &str) -> String {
    c.replace('|', "\\|")
}

/// The Markdown report.
pub fn markdown(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# codesign report: {}\n", r.name);
    let _ = writeln!(
        s,
        "Model `{}`, dataset `{}`, library `{}`.\n",
        r.model.as_deref().unwrap_or(NOT_RUN),
        r.dataset.as_deref().unwrap_or(NOT_RUN),
        r.library.as_deref().unwrap_or(NOT_RUN)
    );
    if let Some(flow) = &r.library_cost_flow {
        let _ = writeln!(s, "Cost of imported multipliers: {flow}.\n");
    }
    for t in tables(r) {
        let _ = writeln!(s, "## {}\n", t.title);
        let _ = writeln!(
            s,
            "| {} |",
            t.headers
                .iter()
                .map(|c| md_cell(c))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        let _ = writeln!(s, "|{}", "---|".repeat(t.headers.len()));
        for row in &t.rows {
            let _ = writeln!(
                s,
                "| {} |",
                row.iter()
                    .map(|c| md_cell(c))
                    .collect::<Vec<_>>()
                    .join(" | ")
            );
        }
        s.push('\n');
        if t.id == "constants" {
            let _ = writeln!(s, "How the datapath estimate counts:\n");
            for a in &r.energy.assumptions {
                let _ = writeln!(s, "- {a}");
            }
            s.push('\n');
        }
    }
    let _ = writeln!(s, "## Stages\n");
    for (k, v) in &r.stages {
        let _ = writeln!(s, "- {k}: {v}");
    }
    if !r.notes.is_empty() {
        let _ = writeln!(s, "\n## Notes\n");
        for n in &r.notes {
            let _ = writeln!(s, "- {n}");
        }
    }
    let _ = writeln!(s, "\nPlots: see `report.html` (inline SVG).");
    s
}

/// The SVG plots, `(id, svg)`, in report order.
pub fn plots(r: &Report) -> Vec<(&'static str, String)> {
    let names: Vec<String> = r.layers.iter().map(|l| l.name.clone()).collect();
    let mut v = Vec::new();
    v.push((
        "plot-sigma",
        svg::bar_chart(
            "plot-sigma",
            "Learned sigma and assigned multiplier per layer",
            "sigma",
            &names,
            &[Bars {
                name: "sigma (label: multiplier)",
                values: r.layers.iter().map(|l| l.sigma.unwrap_or(0.0)).collect(),
                labels: r
                    .layers
                    .iter()
                    .map(|l| {
                        l.multiplier
                            .as_ref()
                            .map(|m| m.id.clone())
                            .unwrap_or_default()
                    })
                    .collect(),
            }],
        ),
    ));
    v.push((
        "plot-energy",
        svg::bar_chart(
            "plot-energy",
            "Multiplication energy per layer and inference (pJ)",
            "pJ",
            &names,
            &[
                Bars {
                    name: "exact",
                    values: r.layers.iter().map(|l| l.multiplication_exact_pj).collect(),
                    labels: vec![],
                },
                Bars {
                    name: "assigned",
                    values: r.layers.iter().map(|l| l.multiplication_pj).collect(),
                    labels: vec![],
                },
            ],
        ),
    ));
    v.push((
        "plot-datapath",
        svg::bar_chart(
            "plot-datapath",
            "Datapath energy per layer and inference (pJ)",
            "pJ",
            &names,
            &[
                Bars {
                    name: "exact",
                    values: r.layers.iter().map(|l| l.datapath_exact_pj).collect(),
                    labels: vec![],
                },
                Bars {
                    name: "assigned",
                    values: r.layers.iter().map(|l| l.datapath_pj).collect(),
                    labels: vec![],
                },
            ],
        ),
    ));
    let mut models: Vec<String> = Vec::new();
    if let Some(em) = &r.error_model {
        for p in &em.pairs {
            if !models.contains(&p.model) {
                models.push(p.model.clone());
            }
        }
    }
    let series: Vec<Points> = models
        .iter()
        .map(|m| Points {
            name: m,
            points: r
                .error_model
                .iter()
                .flat_map(|em| em.pairs.iter())
                .filter(|p| &p.model == m)
                .map(|p| {
                    (
                        p.predicted_std,
                        p.measured_std,
                        format!("{} / {}", p.layer, p.multiplier),
                    )
                })
                .collect(),
            line: false,
            markers: true,
        })
        .collect();
    v.push((
        "plot-error",
        svg::scatter(
            "plot-error",
            "Predicted vs measured error std",
            "predicted std",
            "measured std",
            &series,
            true,
            &svg::NOT_RUN,
        ),
    ));
    let why = match &r.sweep {
        None => "no lambda sweep (`sweep: []` in the config, or not run yet)",
        Some(s) if s.points.is_empty() => "the sweep has no points",
        Some(_) => "no sweep point was evaluated",
    };
    let (series, front) = match &r.sweep {
        Some(s) => (sweep_series(s), sweep_front(s)),
        None => (Default::default(), vec![]),
    };
    let pts = |d: &[SweepDot]| d.iter().map(SweepDot::point).collect::<Vec<_>>();
    let [paper, repaired, retrained] = series.map(|d| pts(&d));
    let front = pts(&front);
    v.push((
        "plot-sweep",
        svg::scatter(
            "plot-sweep",
            "Accuracy vs relative multiplication energy (lambda sweep)",
            "relative multiplication energy",
            "top-1 accuracy (%)",
            &[
                Points {
                    name: "paper's choice",
                    points: paper,
                    line: false,
                    markers: true,
                },
                Points {
                    name: "repaired",
                    points: repaired,
                    line: false,
                    markers: true,
                },
                Points {
                    name: "retrained",
                    points: retrained,
                    line: false,
                    markers: true,
                },
                Points {
                    name: "Pareto front",
                    points: front,
                    line: true,
                    markers: false,
                },
            ],
            false,
            &svg::Empty {
                why,
                range: [0.0, 1.0, 0.0, 100.0],
            },
        ),
    ));
    v
}

fn esc(s: &str) -> String {
    svg::esc(s)
}

/// The self-contained HTML report (no external resources).
pub fn html(r: &Report) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>codesign report: {}</title><style>\
body{{font-family:sans-serif;margin:2em;max-width:1150px;color:#222}}table{{border-collapse:collapse;margin:1em 0;font-size:12px}}\
td,th{{border:1px solid #ccc;padding:3px 6px;text-align:right}}td:first-child,th:first-child{{text-align:left}}\
th{{background:#f3f3f3}}.plots{{display:flex;flex-wrap:wrap;gap:12px}}.notrun{{color:#999}}.wide{{overflow-x:auto}}</style>{}</head><body>\n",
        esc(&r.name),
        super::browser::LAYOUT_SCRIPT
    );
    let _ = writeln!(s, "<h1>codesign report: {}</h1>", esc(&r.name));
    let _ = writeln!(
        s,
        "<p>Model <code>{}</code>, dataset <code>{}</code>, library <code>{}</code>.</p>",
        esc(r.model.as_deref().unwrap_or(NOT_RUN)),
        esc(r.dataset.as_deref().unwrap_or(NOT_RUN)),
        esc(r.library.as_deref().unwrap_or(NOT_RUN))
    );
    if let Some(flow) = &r.library_cost_flow {
        let _ = writeln!(s, "<p>Cost of imported multipliers: {}.</p>", esc(flow));
    }
    let tables = tables(r);
    let put = |s: &mut String, t: &Table| {
        let _ = writeln!(
            s,
            "<h2 id=\"{}\">{}</h2><div class=\"wide\"><table>",
            t.id,
            esc(t.title)
        );
        let _ = write!(
            s,
            "<tr>{}</tr>",
            t.headers
                .iter()
                .map(|c| format!("<th>{}</th>", esc(c)))
                .collect::<String>()
        );
        for row in &t.rows {
            let cells: String = row
                .iter()
                .map(|c| {
                    if c == NOT_RUN {
                        format!("<td class=\"notrun\">{}</td>", esc(c))
                    } else {
                        format!("<td>{}</td>", esc(c))
                    }
                })
                .collect();
            let _ = write!(s, "<tr>{cells}</tr>");
        }
        s.push_str("</table></div>\n");
    };
    put(&mut s, &tables[0]);
    s.push_str("<h2 id=\"plots\">Plots</h2><div class=\"plots\">\n");
    for (_, p) in plots(r) {
        s.push_str(&p);
        s.push('\n');
    }
    s.push_str("</div>\n");
    for t in &tables[1..] {
        put(&mut s, t);
        if t.id == "constants" {
            s.push_str("<p>How the datapath estimate counts:</p><ul>");
            for a in &r.energy.assumptions {
                let _ = write!(s, "<li>{}</li>", esc(a));
            }
            s.push_str("</ul>\n");
        }
    }
    s.push_str("<h2 id=\"stages\">Stages</h2><ul>");
    for (k, v) in &r.stages {
        let _ = write!(s, "<li>{}: {}</li>", esc(k), esc(v));
    }
    s.push_str("</ul>\n");
    if !r.notes.is_empty() {
        s.push_str("<h2 id=\"notes\">Notes</h2><ul>");
        for n in &r.notes {
            let _ = write!(s, "<li>{}</li>", esc(n));
        }
        s.push_str("</ul>\n");
    }
    s.push_str("</body></html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_cost_flow_is_stated() {
        let r = Report {
            library_cost_flow: Some("canonical <flow>".into()),
            ..Default::default()
        };
        assert!(markdown(&r).contains("Cost of imported multipliers: canonical <flow>."));
        assert!(html(&r).contains("Cost of imported multipliers: canonical &lt;flow&gt;."));
        assert!(!markdown(&Report::default()).contains("Cost of imported"));
    }

    #[test]
    fn empty_report_renders_not_run_everywhere() {
        let r = Report::default();
        let md = markdown(&r);
        assert!(md.contains("| accuracy: QAT | not run |"), "{md}");
        let html = html(&r);
        assert_eq!(html.matches("<svg").count(), 5);
        assert!(csv(&r)
            .iter()
            .any(|(n, c)| n == "summary.csv" && c.starts_with("quantity,value\n")));
    }

    #[test]
    fn csv_quotes_cells_with_commas() {
        assert_eq!(csv_cell("[1, 2]"), "\"[1, 2]\"");
        assert_eq!(csv_cell("a\"b,"), "\"a\"\"b,\"");
    }
}
