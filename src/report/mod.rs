//! Reports for hardware engineers: Markdown, HTML with SVG plots, JSON, CSV
//! and Accelergy tables, all rendered from one [`model::Report`] gathered
//! from a run directory by [`collect::collect`].
//!
//! Outputs, under `RUN_DIR/report/`: `report.json` (the data; layout in the
//! README), `report.md`, `report.html` (self-contained, inline SVG),
//! one CSV per table, `ERT.yaml` and `ART.yaml`.

pub mod accelergy;
pub mod browser;
pub mod collect;
pub mod energy;
pub mod model;
pub mod render;
pub mod svg;
pub mod system;

use crate::error::Result;
use std::path::{Path, PathBuf};

/// Whether to check the HTML in headless Chromium.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Browser {
    /// Check when Chromium is installed; otherwise say so in the notes.
    #[value(name = "auto")]
    #[serde(rename = "auto")]
    IfAvailable,
    /// Check, and fail when Chromium is missing or a plot does not render.
    #[value(name = "require")]
    #[serde(rename = "require")]
    Required,
    /// No browser check.
    Skip,
}

/// Gather the report of `run_dir` and write every output into `out_dir`.
pub fn write(
    run_dir: &Path,
    library: Option<&Path>,
    out_dir: &Path,
    browser: Browser,
) -> Result<model::Report> {
    let mut report = collect::collect(run_dir, library)?;
    let consts = energy::Constants::from_config(&collect::energy_config(
        &crate::rundir::RunDir::new(run_dir).config(),
    )?);
    let html_path = out_dir.join("report.html");
    crate::io::write_atomic(&html_path, render::html(&report).as_bytes())?;
    let expected = render::plots(&report).len();
    let png = out_dir.join("report.png");
    match browser {
        Browser::Skip => {}
        Browser::IfAvailable if browser::find().is_none() => report.notes.push(format!(
            "HTML not checked in a browser: chromium is not installed (Debian package `{}`)",
            browser::PACKAGE
        )),
        _ => {
            let check = browser::check(&html_path, &png, expected)?;
            if check.plots_rendered != expected {
                let msg = format!(
                    "{}: {} of {expected} plots rendered in {}",
                    html_path.display(),
                    check.plots_rendered,
                    check.browser
                );
                if browser == Browser::Required {
                    return Err(crate::Error::tool(msg));
                }
                report.notes.push(msg);
            }
            report.browser = Some(check);
        }
    }
    crate::io::write_json(out_dir.join("report.json"), &report)?;
    crate::io::write_atomic(
        out_dir.join("report.md"),
        render::markdown(&report).as_bytes(),
    )?;
    for (name, text) in render::csv(&report) {
        crate::io::write_atomic(out_dir.join(name), text.as_bytes())?;
    }
    crate::io::write_yaml(out_dir.join("ERT.yaml"), &accelergy::ert(&report, &consts))?;
    crate::io::write_yaml(out_dir.join("ART.yaml"), &accelergy::art(&report, &consts))?;
    Ok(report)
}

/// Default output directory of a run's report.
pub fn out_dir(run_dir: &Path) -> PathBuf {
    crate::rundir::RunDir::new(run_dir).report_dir()
}

/// A one-screen text summary of a report (for `codesign run`).
pub fn summary(r: &model::Report) -> String {
    let pct = |x: Option<f64>| {
        x.map(|v| format!("{:.2}%", 100.0 * v))
            .unwrap_or_else(|| render::NOT_RUN.into())
    };
    let f = |x: Option<f64>, d: usize| {
        x.map(|v| format!("{v:.d$}"))
            .unwrap_or_else(|| render::NOT_RUN.into())
    };
    let a = &r.accuracy;
    let mut s = String::new();
    s.push_str(&format!(
        "{} ({} on {})\n",
        r.name,
        r.model.as_deref().unwrap_or("?"),
        r.dataset.as_deref().unwrap_or("?")
    ));
    s.push_str(&format!(
        "  accuracy      baseline {}  QAT {}  integer exact {}  approximate {}  retrained {}\n",
        pct(a.baseline),
        pct(a.qat),
        pct(a.exact),
        pct(a.approx),
        pct(a.retrained)
    ));
    match (r.energy.relative_multiplication, r.energy.relative_datapath) {
        (Some(m), Some(d)) => {
            s.push_str(&format!(
                "  energy        multiplication {m:.3} of exact ({:.1} -> {:.1} pJ per inference)\n",
                r.energy.multiplication_exact_pj,
                r.energy.multiplication_approx_pj.unwrap_or(0.0)
            ));
            s.push_str(&format!(
                "                datapath {d:.3} of exact ({:.1} -> {:.1} pJ per inference)\n",
                r.energy.datapath_exact_pj,
                r.energy.datapath_approx_pj.unwrap_or(0.0)
            ));
        }
        _ => s.push_str("  energy        not run (no assignment)\n"),
    }
    s.push_str(&format!(
        "  area          exact {} GE, heterogeneous {} GE (ratio {})\n",
        f(r.area.exact_ge, 0),
        f(r.area.approx_ge, 0),
        f(r.area.relative, 3)
    ));
    s.push_str(&format!(
        "  cosim         {} images, {} mismatches, {} cycles per inference\n",
        r.cosim
            .images
            .map(|x| x.to_string())
            .unwrap_or_else(|| render::NOT_RUN.into()),
        r.cosim
            .mismatches
            .map(|x| x.to_string())
            .unwrap_or_else(|| render::NOT_RUN.into()),
        f(r.cosim.cycles_per_inference, 0)
    ));
    if let Some(g) = &r.energy.gate_level_approx {
        s.push_str(&format!(
            "  gatesim       {} images, {} mismatches (the synthesized netlist); logic energy {:.1} pJ per inference, system model {:.1} pJ ({:+.1}%)\n",
            g.images,
            g.mismatches,
            g.activity.total_pj,
            g.model_operations_pj + g.model_clock_pj,
            100.0 * g.difference_total
        ));
    }
    s.push_str("  layers        ");
    let ls: Vec<String> = r
        .layers
        .iter()
        .map(|l| {
            format!(
                "{}:{}",
                l.name,
                l.multiplier
                    .as_ref()
                    .map(|m| m.id.as_str())
                    .unwrap_or("exact")
            )
        })
        .collect();
    s.push_str(&ls.join("  "));
    s.push('\n');
    s
}
