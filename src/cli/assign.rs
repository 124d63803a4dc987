//! Command line of `codesign assign`: calibrate (if needed), predict every
//! (layer, multiplier) pair with both error models, write the assignment,
//! and validate the predictions against bit-exact measurements.

use crate::assign::repair::{self, Problem};
use crate::assign::{choose, sigmas, Assignment};
use crate::calib::{calibrate, held_out_images, mac_views, Calibration};
pub use crate::commands::AssignArgs;
use crate::data::{Dataset, Split};
use crate::errmodel::network;
use crate::errmodel::validate::{self, ErrorModelReport};
use crate::errmodel::{predict_all, Candidate};
use crate::intnet::sim::{ProductTable, Simulator};
use crate::library::Library;
use crate::rundir::RunDir;
use crate::sidecar::Sidecar;
use anyhow::Context;
use std::path::Path;

/// `codesign assign`.
pub fn assign(args: AssignArgs) -> anyhow::Result<()> {
    let run = &args.run_dir;
    let dir = RunDir::new(run);
    let model = args.model;
    let net = crate::intnet::load(dir.intnet())?;
    let mut data = RunData::new(run);
    let calib_path = dir.calibration();
    let calib = if calib_path.exists() && !args.recalibrate {
        let c: Calibration = crate::io::read_json(&calib_path)?;
        c.check(&net, &calib_path.display().to_string())?;
        c
    } else {
        let cfg = data.config()?.calibration.clone();
        let seed = data.config()?.seed;
        let train = data.train(&net)?;
        tracing::info!(
            "calibrating: {} images, {} receptive fields per layer, seed {seed}",
            cfg.images,
            cfg.samples
        );
        let c = calibrate(&net, &train.images, cfg.images, cfg.samples, seed)?;
        crate::io::write_json(&calib_path, &c)?;
        tracing::info!("wrote {}", calib_path.display());
        c
    };
    let sidecar_path = args.sidecar.clone().unwrap_or_else(|| dir.sidecar("agn"));
    let sidecar: Sidecar = crate::io::read_yaml(&sidecar_path)?;
    let views = mac_views(&net)?;
    let sig = sigmas(&sidecar, &views, &sidecar_path.display().to_string())?;
    let lib = Library::load(&args.library)?;
    let column = if args.cost == "published-power" {
        crate::assign::CostColumn::PublishedPower
    } else {
        crate::assign::CostColumn::Energy
    };
    let cands = crate::assign::candidates_by(&lib, net.signed, column)?;
    tracing::info!(
        "predicting {} layers x {} multipliers",
        views.len(),
        cands.len()
    );
    let preds = predict_all(&calib, &views, &cands);
    let mut assignment = choose(
        &calib,
        &views,
        &sig,
        &cands,
        &preds,
        model,
        &args.library.display().to_string(),
    )?;
    print!("{}", assignment_table(&assignment, &sig));

    // The accuracy budget, on the validation split.
    let budget = if args.no_repair {
        None
    } else {
        let a = &data.config()?.assign;
        a.max_accuracy_drop.map(|max_drop| repair::Budget {
            max_drop,
            z: a.margin_z,
        })
    };
    let mut missed = None;
    if let Some(budget) = budget {
        let validation = data.split(&net)?.validation.clone();
        if validation.is_empty() {
            anyhow::bail!(
                "the accuracy budget needs validation images (dataset.validation_images)"
            );
        }
        let y_std: Vec<f64> = calib.layers.iter().map(|l| l.y_std).collect();
        let problem = Problem {
            net: &net,
            lib: &lib,
            views: &views,
            cands: &cands,
            preds: &preds,
            model,
            y_std: &y_std,
        };
        let rec = repair::repair(&problem, &mut assignment, &validation, budget)?;
        print!("{}", repair_table(&rec, assignment.relative_energy));
        if !rec.met {
            missed = Some(rec);
        }
    }
    let out = args.out.clone().unwrap_or_else(|| dir.assignment());
    crate::io::write_yaml(&out, &assignment)?;
    if assignment.repair.is_some() {
        print!("{}", assignment_table(&assignment, &sig));
    }
    tracing::info!("wrote {}", out.display());
    if let Some(rec) = missed {
        return Err(crate::Error::check(format!(
            "accuracy budget missed: validation top-1 {:.2} % (drop upper bound {:.2} points) is more than {} points below the exact network's {:.2} %; the best point found is in {}",
            100.0 * rec.accuracy,
            rec.drop_upper,
            rec.max_accuracy_drop,
            100.0 * rec.exact_accuracy,
            out.display()
        ))
        .into());
    }

    if args.no_validate {
        return Ok(());
    }
    let train = data.train(&net)?;
    // Held out: training images calibration did not draw, as many as it drew.
    let n = args.validate_images.unwrap_or(calib.image_indices.len());
    let indices = held_out_images(train.len(), &calib.image_indices, n, calib.seed, 1);
    if indices.is_empty() {
        anyhow::bail!(
            "no training image is left for validation after the {} calibration images",
            calib.image_indices.len()
        );
    }
    let measured = validate::measure(&net, &train.images, &indices, &cands, &preds)?;
    let mut report = validate::report(&calib, &cands, &preds, &measured, &indices);
    report.network = network_checks(&net, &lib, &assignment, train, &calib, &indices)?;
    let path = dir.error_model();
    crate::io::write_json(&path, &report)?;
    print!("{}", validation_table(&report, &cands));
    print!("{}", network_table(&report.network));
    tracing::info!("wrote {}", path.display());
    Ok(())
}

/// Every layer approximate at once ([`crate::errmodel::network`]), for the
/// assignment and, after a repair, the error model's own choice: predicted
/// (propagated from the calibration images) and measured on the held-out
/// training images `indices`.
fn network_checks(
    net: &crate::intnet::IntNetwork,
    lib: &Library,
    assignment: &Assignment,
    train: &Dataset,
    calib: &Calibration,
    indices: &[usize],
) -> anyhow::Result<Vec<network::NetworkCheck>> {
    let len = net.input.len();
    let calib_images: Vec<u8> = calib
        .image_indices
        .iter()
        .flat_map(|&i| train.images[i * len..(i + 1) * len].iter().copied())
        .collect();
    let share = network::linear_share(net, &calib_images)?;
    let exact = Simulator::exact(net)?;
    let mut runs = vec![("assignment", assignment.clone())];
    if assignment.repair.is_some() {
        runs.push(("assignment_paper", assignment.paper_choice()));
    }
    let mut out = Vec::new();
    for (name, a) in runs {
        let mut approx_net = net.clone();
        a.apply_bias_corrections(&mut approx_net, lib)?;
        let tables = a
            .layers
            .iter()
            .map(|c| Ok(ProductTable::new(&lib.error_map(&c.multiplier)?)))
            .collect::<crate::Result<Vec<_>>>()?;
        let approx = Simulator::new(&approx_net, tables)?;
        let corrections: Vec<Vec<i32>> =
            a.layers.iter().map(|c| c.bias_correction.clone()).collect();
        let local: Vec<f64> = a.layers.iter().map(|c| c.predicted_std).collect();
        let predicted = network::propagate(net, &local, &share);
        let (measured, exact_top1, top1) = network::measure(
            &exact,
            &approx,
            &corrections,
            len,
            &train.images,
            &train.labels,
            indices,
        );
        out.push(network::NetworkCheck {
            assignment: name.into(),
            layers: a
                .layers
                .iter()
                .zip(predicted.iter().zip(&measured))
                .map(|(c, (&p, &m))| network::NetworkLayer {
                    layer: c.layer.clone(),
                    multiplier: c.multiplier.clone(),
                    predicted_local_std: c.predicted_std,
                    predicted_std: p,
                    measured_std: m,
                })
                .collect(),
            exact_top1,
            top1,
        });
    }
    Ok(out)
}

/// Every layer approximate at once, as a table.
pub fn network_table(checks: &[network::NetworkCheck]) -> String {
    let mut s = String::new();
    for c in checks {
        s += &format!(
            "every layer approximate ({}): top-1 {:.2} % (exact {:.2} %) on the held-out images; accumulator deviation std\n  {:<10} {:<26} {:>12} {:>12} {:>12} {:>8}\n",
            c.assignment,
            100.0 * c.top1,
            100.0 * c.exact_top1,
            "layer",
            "multiplier",
            "local pred.",
            "propagated",
            "measured",
            "ratio"
        );
        for l in &c.layers {
            s += &format!(
                "  {:<10} {:<26} {:>12.3} {:>12.3} {:>12.3} {:>8}\n",
                l.layer,
                l.multiplier,
                l.predicted_local_std,
                l.predicted_std,
                l.measured_std,
                if l.measured_std > 0.0 {
                    format!("{:.3}", l.predicted_std / l.measured_std)
                } else {
                    "-".into()
                }
            );
        }
    }
    s
}

/// The run's config and data set, loaded on first use.
struct RunData<'a> {
    run: &'a Path,
    config: Option<crate::config::Config>,
    split: Option<Split>,
}

impl<'a> RunData<'a> {
    fn new(run: &'a Path) -> Self {
        RunData {
            run,
            config: None,
            split: None,
        }
    }

    /// `RUN_DIR/config.yaml`.
    fn config(&mut self) -> anyhow::Result<&crate::config::Config> {
        if self.config.is_none() {
            let path = RunDir::new(self.run).config();
            let cfg = crate::config::Config::load(&path)
                .context("calibration and the accuracy budget need the run's config")?;
            self.config = Some(cfg);
        }
        Ok(self.config.as_ref().expect("just loaded"))
    }

    /// The data set, checked against `net`'s input shape.
    fn split(&mut self, net: &crate::intnet::IntNetwork) -> anyhow::Result<&Split> {
        if self.split.is_none() {
            let split = self.config()?.dataset.load()?;
            check_data(&split.train, net)?;
            self.split = Some(split);
        }
        Ok(self.split.as_ref().expect("just loaded"))
    }

    /// The training split (calibration and the error model's validation).
    fn train(&mut self, net: &crate::intnet::IntNetwork) -> anyhow::Result<&Dataset> {
        Ok(&self.split(net)?.train)
    }
}

/// The repair's steps and its verdict.
pub fn repair_table(r: &repair::Repair, energy: f64) -> String {
    let mut s = format!(
        "accuracy budget: {} points on {} validation images (upper bound, z = {}); exact {:.2} %, error model's choice {:.2} % (energy {:.4})\n",
        r.max_accuracy_drop,
        r.validation_images,
        r.margin_z,
        100.0 * r.exact_accuracy,
        100.0 * r.paper_accuracy,
        r.paper_relative_energy
    );
    for st in &r.steps {
        s += &format!(
            "  {:<6} {:<10} {} -> {}: predicted std {:.3} -> {:.3}, top-1 {:.2} % (drop <= {:.2}), energy {:.4}{}\n",
            st.kind,
            st.layer,
            st.from,
            st.to,
            st.predicted_std_from,
            st.predicted_std_to,
            100.0 * st.validation_accuracy,
            st.drop_upper,
            st.relative_energy,
            if st.kept { "" } else { " (undone)" }
        );
    }
    s += &format!(
        "final: top-1 {:.2} % (drop <= {:.2} points), energy {energy:.4}, budget {}\n",
        100.0 * r.accuracy,
        r.drop_upper,
        if r.met { "met" } else { "MISSED" }
    );
    s
}

fn check_data(d: &Dataset, net: &crate::intnet::IntNetwork) -> anyhow::Result<()> {
    let i = net.input;
    if (d.c, d.h, d.w) != (i.c, i.h, i.w) {
        anyhow::bail!(
            "data set images are {}x{}x{} but network '{}' takes {}x{}x{}",
            d.c,
            d.h,
            d.w,
            net.name,
            i.c,
            i.h,
            i.w
        );
    }
    Ok(())
}

/// One row per layer: the choice, its predicted error against the
/// tolerance, and its share of the multiplications.
pub fn assignment_table(a: &Assignment, sigmas: &[f64]) -> String {
    let total: u64 = a.layers.iter().map(|c| c.macs).sum::<u64>().max(1);
    let w = a
        .layers
        .iter()
        .map(|c| c.multiplier.len())
        .max()
        .unwrap_or(0)
        .max(10);
    let lw = a
        .layers
        .iter()
        .map(|c| c.layer.len())
        .max()
        .unwrap_or(0)
        .max(5);
    let mut s = format!(
        "{:<lw$}  {:<w$}  {:>7}  {:>12}  {:>12}  {:>10}  {:>6}  {:>10}\n",
        "layer", "multiplier", "sigma", "predicted", "tolerance", "MACs", "share", "energy_rel"
    );
    for (c, sg) in a.layers.iter().zip(sigmas) {
        s += &format!(
            "{:<lw$}  {:<w$}  {:>7.4}  {:>12.3}  {:>12.3}  {:>10}  {:>5.1}%  {:>10.4}\n",
            c.layer,
            c.multiplier,
            sg,
            c.predicted_std,
            c.tolerance,
            c.macs,
            100.0 * c.macs as f64 / total as f64,
            c.energy_rel
        );
    }
    s += &format!(
        "model {}: relative multiplication energy {:.4} (MAC-weighted energy_rel; exact = 1)\n",
        a.model, a.relative_energy
    );
    s
}

/// Per layer and overall: how many pairs each model predicts within
/// [0.8, 1.25] of the measured error.
pub fn validation_table(r: &ErrorModelReport, cands: &[Candidate]) -> String {
    let mut layers: Vec<&str> = Vec::new();
    for p in &r.pairs {
        if !layers.contains(&p.layer.as_str()) {
            layers.push(&p.layer);
        }
    }
    let lw = layers.iter().map(|l| l.len()).max().unwrap_or(0).max(7);
    let mut s = format!(
        "predicted vs measured error std ({} multipliers, {} held-out images; pairs with predicted/std(y) > {}; ratio = predicted/measured, median [p10, p90])\n{:<lw$}  {:>14}  {:>22}  {:>14}  {:>22}  {:>14}  {:>22}\n",
        cands.len(),
        r.images,
        validate::RELATIVE_THRESHOLD,
        "layer",
        "population in",
        "ratio",
        "per-channel in",
        "ratio",
        "sampled in",
        "ratio"
    );
    let row = |name: &str, pairs: Vec<&validate::PairEntry>| {
        let pop = validate::model_summary(
            pairs
                .iter()
                .map(|p| (p.predicted_population, p.measured, p.y_std)),
        );
        let pc = validate::model_summary(
            pairs
                .iter()
                .map(|p| (p.predicted_per_channel, p.measured_compensated, p.y_std)),
        );
        let sm = validate::model_summary(pairs.iter().map(|p| {
            (
                p.predicted_sampled.unwrap_or(0.0),
                p.measured_sampled.unwrap_or(0.0),
                p.y_std,
            )
        }));
        let ratio = |m: &validate::ModelSummary| {
            format!(
                "{:.3} [{:.3}, {:.3}]",
                m.median_ratio, m.p10_ratio, m.p90_ratio
            )
        };
        format!(
            "{:<lw$}  {:>14}  {:>22}  {:>14}  {:>22}  {:>14}  {:>22}\n",
            name,
            format!("{}/{}", pop.within, pop.pairs),
            ratio(&pop),
            format!("{}/{}", pc.within, pc.pairs),
            ratio(&pc),
            format!("{}/{}", sm.within, sm.pairs),
            ratio(&sm)
        )
    };
    for l in &layers {
        s += &row(l, r.pairs.iter().filter(|p| p.layer == *l).collect());
    }
    s += &row("all", r.pairs.iter().collect());
    s += &format!(
        "share_within [{}, {}]: population {:.3}, per-channel {:.3}, sampled {}\n",
        validate::WINDOW[0],
        validate::WINDOW[1],
        r.summary.share_within.population,
        r.summary.share_within.per_channel,
        r.summary
            .share_within
            .sampled
            .map_or("n/a (no fields in calibration)".to_string(), |v| format!(
                "{v:.3}"
            ))
    );
    s
}
