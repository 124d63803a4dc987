//! Command line of `codesign report`, `codesign run` and `codesign sweep`.

use anyhow::{bail, Context};
use crate::config::Config;
use crate::pipeline::{Outcome, Run};
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
}

/// `codesign report`.
pub fn report(args: ReportArgs) -> anyhow::Result<()> {
    if !args.run_dir.is_dir() {
        bail!("{}: not a run directory", args.run_dir.display());
    }
    let out = args.out.unwrap_or_else(|| crate::report::out_dir(&args.run_dir));
    let r = crate::report::write(&args.run_dir, args.library.as_deref(), &out)?;
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
    /// Re-run every stage even if its inputs have not changed.
    #[arg(long)]
    pub force: bool,
}

/// The stage runner for `config` into `out` (default: the config's `out`).
fn prepare(config: &Path, out: Option<&Path>, cosim_images: usize, device: &str) -> anyhow::Result<Run> {
    let cfg = Config::load(config)?;
    let dir = out.map(Path::to_path_buf).unwrap_or_else(|| cfg.out.clone());
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let dir = dir.canonicalize().with_context(|| format!("{}", dir.display()))?;
    let config = config.canonicalize().with_context(|| format!("{}", config.display()))?;
    let (library, build_library) = match cfg.library {
        Some(l) => (l, false),
        None => (dir.join("library"), true),
    };
    Ok(Run { dir, config, library, build_library, cosim_images, device: device.to_string() })
}

/// Drive `stages` with a progress bar; returns the stages that ran.
fn drive(run: &Run, stages: &[crate::pipeline::Stage], force: bool) -> anyhow::Result<()> {
    let exe = std::env::current_exe().context("cannot locate the codesign binary")?;
    let n = stages.len();
    for (i, stage) in stages.iter().enumerate() {
        if force {
            let _ = std::fs::remove_file(run.record_path(stage.name));
        }
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{prefix:.bold} {spinner} [{elapsed}] {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.set_prefix(format!("[{}/{n}] {:<10}", i + 1, stage.name));
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        let result = run.execute(stage, &exe, |line| bar.set_message(crate::io::one_line(line)));
        let msg = match &result {
            Ok(Outcome::UpToDate) => "up to date (skipped)".to_string(),
            Ok(Outcome::Ran(s)) => format!("done in {s:.1} s"),
            Err(_) => "failed".to_string(),
        };
        bar.finish_with_message(msg.clone());
        if bar.is_hidden() {
            // No terminal: one plain line per stage instead of the bar.
            eprintln!("[{}/{n}] {:<10} {msg}", i + 1, stage.name);
        }
        result?;
    }
    Ok(())
}

/// `codesign run`.
pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let run = prepare(&args.config, args.out.as_deref(), args.cosim_images, &args.device)?;
    let stages = run.stages();
    let clock = std::time::Instant::now();
    drive(&run, &stages, args.force)?;
    let report_json = crate::report::out_dir(&run.dir).join("report.json");
    let r: crate::report::model::Report = crate::io::read_json(&report_json)?;
    eprintln!("all {} stages done in {:.1} s; report: {}", stages.len(), clock.elapsed().as_secs_f64(), run.dir.join("report/report.html").display());
    print!("{}", crate::report::summary(&r));
    Ok(())
}

/// Arguments of `codesign sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {}

/// `codesign sweep`.
pub fn sweep(_args: SweepArgs) -> anyhow::Result<()> {
    anyhow::bail!("`codesign sweep` is not implemented yet")
}
