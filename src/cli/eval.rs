//! Command line of `codesign eval`: bit-exact integer simulation of a run's
//! network with exact multipliers or an assignment, on its data set.

use crate::assign::Assignment;
pub use crate::commands::EvalArgs;
use crate::config::Config;
use crate::intnet::evalfile::{self, EvalRecord, LayerMultiplier};
use crate::intnet::sim::{accuracy, ProductTable, Simulator};
use crate::intnet::{self, IntNetwork};
use crate::library::Library;
use crate::rundir::RunDir;
use anyhow::{bail, Context};
use std::path::{Path, PathBuf};

/// `codesign eval`.
pub fn eval(args: EvalArgs) -> anyhow::Result<()> {
    let mut net = intnet::load(RunDir::new(&args.run_dir).intnet())?;
    let config_path = find_config(&args.run_dir)?;
    let config = Config::load(&config_path)?;
    // `--paper` where the repair changed nothing: the same network as the
    // plain evaluation, whose record can be reused.
    let mut paper_is_same = false;
    let (tables, choices, library, energy) = match &args.assignment {
        None => {
            let choices = net
                .mac_layers()
                .map(|(n, _)| LayerMultiplier {
                    layer: n.name.clone(),
                    multiplier: "exact".into(),
                })
                .collect();
            (
                vec![ProductTable::exact(net.signed); net.mac_layers().count()],
                choices,
                None,
                Some(1.0),
            )
        }
        Some(path) => {
            let mut assignment: Assignment = crate::io::read_yaml(path)?;
            if args.paper {
                let paper = assignment.paper_choice();
                paper_is_same = paper.layers == assignment.layers;
                assignment = paper;
            }
            let dir = args
                .library
                .clone()
                .unwrap_or_else(|| PathBuf::from(&assignment.library));
            let (tables, choices, library) = assigned_tables(&net, &assignment, path, &dir)?;
            // Per-channel and sampled assignments carry bias corrections:
            // evaluate the network the RTL and retraining run.
            assignment
                .apply_bias_corrections(&mut net, &library)
                .with_context(|| path.display().to_string())?;
            (
                tables,
                choices,
                Some(dir.display().to_string()),
                Some(assignment.relative_energy),
            )
        }
    };
    let sim = Simulator::new(&net, tables)?;

    let split = config.dataset.load_from(args.data.as_deref())?;
    let mut set = if args.split == "test" {
        split.test
    } else {
        split.train
    };
    if let Some(n) = args.limit {
        set = set.take(n);
    }
    if set.is_empty() {
        bail!(
            "no images to evaluate in the {} split of {}",
            args.split,
            config.dataset.kind.name()
        );
    }
    let mut plain_key: Option<String> = None;
    let key = args.name.clone().unwrap_or_else(|| match &args.assignment {
        None => "exact".into(),
        Some(p) => {
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "assignment".into());
            if args.paper {
                plain_key = Some(stem.clone());
                format!("{stem}_paper")
            } else {
                stem
            }
        }
    });
    let out = RunDir::new(&args.run_dir).eval();
    if let Some(plain) = plain_key.filter(|_| paper_is_same) {
        let same = |r: &EvalRecord| {
            r.multipliers == choices
                && r.split == args.split
                && r.images == set.len()
                && r.dataset == config.dataset.kind.name()
                && r.assignment == args.assignment.as_ref().map(|p| p.display().to_string())
        };
        if let Some(r) = evalfile::read(&out)?.remove(&plain).filter(same) {
            tracing::info!(
                "the repair changed no layer: `{key}` is the network of `{plain}` (record copied, not evaluated again)"
            );
            evalfile::update(&out, &key, r)?;
            return Ok(());
        }
    }
    // Check shapes once (one-line error), then run in chunks for progress.
    sim.dataset_logits(&set.take(1))?;
    let started = std::time::Instant::now();
    let logits = run_with_progress(&sim, &set.images, set.image_len());
    let result = accuracy(&logits, &set.labels, net.classes);
    let secs = started.elapsed().as_secs_f64();

    let top5 = (net.classes > 5).then_some(result.top5);
    println!(
        "{}: {} on {} {} images: top-1 {:.2}%{} ({:.1} s, {:.0} images/s)",
        net.name,
        key,
        result.n,
        args.split,
        100.0 * result.top1,
        top5.map(|t| format!(", top-5 {:.2}%", 100.0 * t))
            .unwrap_or_default(),
        secs,
        result.n as f64 / secs.max(1e-9)
    );
    let record = EvalRecord {
        network: net.name.clone(),
        assignment: args.assignment.as_ref().map(|p| p.display().to_string()),
        library,
        multipliers: choices,
        relative_energy: energy,
        dataset: config.dataset.kind.name().into(),
        split: args.split.clone(),
        images: result.n,
        top1: result.top1,
        top5,
    };
    evalfile::update(&out, &key, record)?;
    tracing::info!("wrote {} (record '{key}')", out.display());
    Ok(())
}

/// `config.yaml` in the run directory or its parent.
fn find_config(run_dir: &Path) -> anyhow::Result<PathBuf> {
    let here = RunDir::new(run_dir).config();
    if here.exists() {
        return Ok(here);
    }
    if let Some(parent) = run_dir.parent() {
        let up = RunDir::new(parent).config();
        if up.exists() {
            return Ok(up);
        }
    }
    bail!(
        "{}: no config.yaml here or in the parent directory",
        run_dir.display()
    )
}

/// One table per multiplying layer from the assignment: every layer must be
/// assigned exactly once, and every id must be in the library.
fn assigned_tables(
    net: &IntNetwork,
    assignment: &Assignment,
    path: &Path,
    dir: &Path,
) -> anyhow::Result<(Vec<ProductTable>, Vec<LayerMultiplier>, Library)> {
    let layers: Vec<&str> = net.mac_layers().map(|(n, _)| n.name.as_str()).collect();
    for (i, c) in assignment.layers.iter().enumerate() {
        if !layers.contains(&c.layer.as_str()) {
            bail!(
                "{}: layers[{i}]: '{}' is not a multiplying layer of network '{}'",
                path.display(),
                c.layer,
                net.name
            );
        }
        if assignment.layers[..i].iter().any(|d| d.layer == c.layer) {
            bail!(
                "{}: layers[{i}]: layer '{}' is assigned twice",
                path.display(),
                c.layer
            );
        }
    }
    let library = Library::load(dir).with_context(|| format!("library of {}", path.display()))?;
    let mut tables = Vec::new();
    let mut choices = Vec::new();
    for name in layers {
        let Some(c) = assignment.layers.iter().find(|c| c.layer == name) else {
            bail!(
                "{}: layer '{name}' of network '{}' has no multiplier",
                path.display(),
                net.name
            );
        };
        if library.entry(&c.multiplier).is_none() {
            bail!(
                "{}: layer '{name}': multiplier '{}' is not in library {}",
                path.display(),
                c.multiplier,
                dir.display()
            );
        }
        let map = library.error_map(&c.multiplier)?;
        tables.push(ProductTable::new(&map));
        choices.push(LayerMultiplier {
            layer: name.into(),
            multiplier: c.multiplier.clone(),
        });
    }
    Ok((tables, choices, library))
}

/// Logits of all images, in chunks, with a progress bar on stderr.
fn run_with_progress(sim: &Simulator, images: &[u8], image_len: usize) -> Vec<i32> {
    let n = images.len() / image_len;
    let bar = crate::progress::bar(n as u64, "eval (images)");
    let mut logits = Vec::new();
    for chunk in images.chunks(512 * image_len) {
        logits.extend(sim.logits(chunk));
        bar.inc((chunk.len() / image_len) as u64);
    }
    bar.finish_and_clear();
    logits
}
