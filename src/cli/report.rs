//! Command line of `codesign report`, `codesign run` and `codesign sweep`.

use crate::config::Config;
use crate::pipeline::{Outcome, Run};
use anyhow::{bail, Context};
use std::path::{Path, PathBuf};

/// Arguments of `codesign report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Run directory (as written by `codesign run`).
    pub run_dir: PathBuf,
    /// Library directory (default: the one the assignment names, else RUN_DIR/library).
    #[arg(long)]
    pub library: Option<PathBuf>,
    /// Output directory (default: RUN_DIR/report).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Browser check of the HTML: auto (when chromium is installed), require, skip.
    #[arg(long, value_enum, default_value_t = crate::report::Browser::IfAvailable)]
    pub browser: crate::report::Browser,
}

/// `codesign report`.
pub fn report(args: ReportArgs) -> anyhow::Result<()> {
    if !args.run_dir.is_dir() {
        bail!("{}: not a run directory", args.run_dir.display());
    }
    let out = args
        .out
        .unwrap_or_else(|| crate::report::out_dir(&args.run_dir));
    let r = crate::report::write(&args.run_dir, args.library.as_deref(), &out, args.browser)?;
    if let Some(b) = &r.browser {
        tracing::info!(
            "{}: {} of {} plots rendered; screenshot {}",
            b.browser,
            b.plots_rendered,
            b.plots_expected,
            out.join(&b.screenshot).display()
        );
    }
    for n in &r.notes {
        tracing::warn!("{n}");
    }
    tracing::info!("report written to {}", out.display());
    print!("{}", crate::report::summary(&r));
    Ok(())
}

/// Arguments of `codesign run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Experiment config (YAML), e.g. configs/digits.yaml.
    pub config: PathBuf,
    /// Run directory; every stage reads and writes here (default: the config's `out`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Test images co-simulated in RTL.
    #[arg(long, default_value_t = 20)]
    pub cosim_images: usize,
    /// libtorch device for training: cpu, cuda or auto.
    #[arg(long, default_value = "cpu")]
    pub device: String,
    /// Also sweep AGN lambda over these values (`codesign sweep`) for the
    /// report's accuracy-vs-energy plot, e.g. `--sweep 0.05,0.5`.
    #[arg(long, value_delimiter = ',')]
    pub sweep: Vec<f64>,
    /// Re-run every stage even if its inputs have not changed.
    #[arg(long)]
    pub force: bool,
    /// Stop after this stage (e.g. `export-rtl`); the report is written
    /// only by a complete run.
    #[arg(long)]
    pub until: Option<String>,
}

/// The stage runner for `config` into `out` (default: the config's `out`).
fn prepare(
    config: &Path,
    out: Option<&Path>,
    cosim_images: usize,
    device: &str,
) -> anyhow::Result<Run> {
    let cfg = Config::load(config)?;
    let dir = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cfg.out.clone());
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let dir = dir
        .canonicalize()
        .with_context(|| format!("{}", dir.display()))?;
    let config = config
        .canonicalize()
        .with_context(|| format!("{}", config.display()))?;
    let (library, build_library) = match cfg.library {
        Some(l) => (l, false),
        None => (dir.join("library"), true),
    };
    Ok(Run {
        dir,
        config,
        library,
        build_library,
        cosim_images,
        device: device.to_string(),
        sweep: vec![],
        binary: Some(crate::pipeline::hash_file(
            &std::env::current_exe().context("cannot locate the codesign binary")?,
        )?),
    })
}

/// Drive `stages`, one progress line each. Stages run in waves
/// ([`Run::waves`]): the stages of a wave (e.g. both syntheses and the
/// co-simulation) run at the same time, each its own child process. A
/// failing stage stops the run after the rest of its wave has finished,
/// so their work is recorded.
fn drive(run: &Run, stages: &[crate::pipeline::Stage], force: bool) -> anyhow::Result<()> {
    let exe = std::env::current_exe().context("cannot locate the codesign binary")?;
    let n = stages.len();
    let bars = indicatif::MultiProgress::new();
    let style =
        indicatif::ProgressStyle::with_template("{prefix:.bold} {spinner} [{elapsed}] {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
    for wave in run.waves(stages) {
        let results: Vec<anyhow::Result<()>> = std::thread::scope(|scope| {
            let handles: Vec<_> = wave
                .clone()
                .map(|i| {
                    let stage = &stages[i];
                    if force {
                        let _ = std::fs::remove_file(run.record_path(stage.name));
                    }
                    let bar = bars.add(indicatif::ProgressBar::new_spinner());
                    bar.set_style(style.clone());
                    bar.set_prefix(format!("[{}/{n}] {:<11}", i + 1, stage.name));
                    bar.enable_steady_tick(std::time::Duration::from_millis(200));
                    let exe = &exe;
                    scope.spawn(move || {
                        let result = run.execute(stage, exe, |line| {
                            bar.set_message(crate::io::one_line(line))
                        });
                        let msg = match &result {
                            Ok(Outcome::UpToDate) => "up to date (skipped)".to_string(),
                            Ok(Outcome::Ran(s)) => format!("done in {s:.1} s"),
                            Err(_) => "failed".to_string(),
                        };
                        bar.finish_with_message(msg.clone());
                        if bar.is_hidden() {
                            // No terminal: one plain line per stage instead of the bar.
                            eprintln!("[{}/{n}] {:<11} {msg}", i + 1, stage.name);
                        }
                        result.map(|_| ()).map_err(anyhow::Error::from)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("stage thread panicked"))
                .collect()
        });
        results.into_iter().collect::<anyhow::Result<Vec<()>>>()?;
    }
    Ok(())
}

/// `codesign run`.
pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let mut run = prepare(
        &args.config,
        args.out.as_deref(),
        args.cosim_images,
        &args.device,
    )?;
    run.sweep = args.sweep.clone();
    let mut stages = run.stages();
    if let Some(last) = &args.until {
        let Some(i) = stages.iter().position(|s| s.name == last) else {
            let names: Vec<&str> = stages.iter().map(|s| s.name).collect();
            bail!("--until: no stage `{last}` (stages: {})", names.join(", "));
        };
        stages.truncate(i + 1);
    }
    let clock = std::time::Instant::now();
    drive(&run, &stages, args.force)?;
    if args.until.is_some() {
        eprintln!(
            "stages up to `{}` done in {:.1} s in {}",
            stages.last().map(|s| s.name).unwrap_or_default(),
            clock.elapsed().as_secs_f64(),
            run.dir.display()
        );
        return Ok(());
    }
    let report_json = crate::report::out_dir(&run.dir).join("report.json");
    let r: crate::report::model::Report = crate::io::read_json(&report_json)?;
    eprintln!(
        "all {} stages done in {:.1} s; report: {}",
        stages.len(),
        clock.elapsed().as_secs_f64(),
        run.dir.join("report/report.html").display()
    );
    print!("{}", crate::report::summary(&r));
    Ok(())
}

/// Arguments of `codesign sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Experiment config (YAML).
    pub config: PathBuf,
    /// AGN lambdas to sweep, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "0.05,0.2,0.5")]
    pub lambdas: Vec<f64>,
    /// Run directory holding (or receiving) the baseline and QAT
    /// checkpoints; points go to DIR/sweep/lambda_<L>/, the summary to DIR/sweep.json.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// libtorch device for training: cpu, cuda or auto.
    #[arg(long, default_value = "cpu")]
    pub device: String,
}

/// `codesign sweep`: AGN search, quantization, assignment and evaluation
/// per lambda, reusing the run's library, baseline and QAT checkpoints
/// (trained first if missing; up-to-date stages are skipped as in `run`).
pub fn sweep(args: SweepArgs) -> anyhow::Result<()> {
    if args.lambdas.is_empty() {
        bail!("--lambdas: give at least one value");
    }
    if let Some(l) = args.lambdas.iter().find(|l| !(**l >= 0.0 && l.is_finite())) {
        bail!("--lambdas: {l} is not a non-negative number");
    }
    let run = prepare(&args.config, args.out.as_deref(), 0, &args.device)?;
    let base: Vec<_> = run
        .stages()
        .into_iter()
        .filter(|s| ["library", "baseline", "qat"].contains(&s.name))
        .collect();
    eprintln!("sweep: shared stages");
    drive(&run, &base, false)?;
    let mut points = Vec::new();
    for &lambda in &args.lambdas {
        let sub = run.dir.join("sweep").join(format!("lambda_{lambda}"));
        for f in ["train/qat.safetensors", "train/qat.yaml"] {
            let (from, to) = (run.dir.join(f), sub.join(f));
            let same = std::fs::read(&to).ok() == Some(crate::io::read_bytes(&from)?);
            if !same {
                crate::io::write_atomic(&to, &crate::io::read_bytes(&from)?)?;
            }
        }
        let sub_run = Run {
            dir: sub.clone(),
            build_library: false,
            ..run.clone()
        };
        let mut stages: Vec<_> = sub_run
            .stages()
            .into_iter()
            .filter(|s| ["agn", "quantize", "assign", "eval"].contains(&s.name))
            .collect();
        for s in stages.iter_mut().filter(|s| s.name == "agn") {
            s.commands[0].extend(["--lambda".to_string(), lambda.to_string()]);
        }
        eprintln!("sweep: lambda {lambda} ({})", sub.display());
        drive(&sub_run, &stages, false)?;
        points.push(sweep_point(&sub, lambda)?);
    }
    let sweep = crate::report::model::Sweep {
        config: args.config.display().to_string(),
        points,
    };
    let path = run.dir.join("sweep.json");
    crate::io::write_json(&path, &sweep)?;
    println!(
        "{:>8} {:>10} {:>10} {:>10}",
        "lambda", "exact", "assigned", "rel. energy"
    );
    for p in &sweep.points {
        let pct = |x: Option<f64>| {
            x.map(|v| format!("{:.2}%", 100.0 * v))
                .unwrap_or_else(|| "-".into())
        };
        println!(
            "{:>8} {:>10} {:>10} {:>10.4}",
            p.lambda,
            pct(p.exact_accuracy),
            pct(p.accuracy),
            p.relative_energy
        );
    }
    tracing::info!("wrote {}", path.display());
    Ok(())
}

/// One sweep point from a finished lambda directory.
fn sweep_point(dir: &Path, lambda: f64) -> anyhow::Result<crate::report::model::SweepPoint> {
    let assignment = crate::assign::Assignment::load(dir.join("assignment.yaml"))?;
    let evals = crate::intnet::evalfile::read(&dir.join("eval.json"))?;
    let sidecar: crate::sidecar::Sidecar = crate::io::read_yaml(dir.join("train/agn.yaml"))?;
    Ok(crate::report::model::SweepPoint {
        lambda,
        accuracy: evals.get("assignment").map(|r| r.top1),
        exact_accuracy: evals.get("exact").map(|r| r.top1),
        relative_energy: assignment.relative_energy,
        sigmas: sidecar.layers.iter().map(|l| l.sigma).collect(),
        multipliers: assignment
            .layers
            .iter()
            .map(|c| c.multiplier.clone())
            .collect(),
    })
}
