//! Command line of `codesign report`, `codesign run` and `codesign sweep`.

use anyhow::{bail, Context};
use crate::pipeline::{Outcome, Run, RunSettings};
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
    /// Run directory; every stage reads and writes here.
    #[arg(long)]
    pub out: PathBuf,
    /// Test images co-simulated in RTL.
    #[arg(long, default_value_t = 20)]
    pub cosim_images: usize,
    /// Re-run every stage even if its inputs have not changed.
    #[arg(long)]
    pub force: bool,
}

/// Copy the config into the run directory (only when it changed, so that
/// an unchanged config keeps every stage up to date).
fn install_config(config: &Path, dir: &Path) -> anyhow::Result<PathBuf> {
    let text = crate::io::read_text(config)?;
    let copy = dir.join("config.yaml");
    let same = std::fs::read_to_string(&copy).map(|t| t == text).unwrap_or(false);
    if !same {
        crate::io::write_atomic(&copy, text.as_bytes())?;
    }
    Ok(copy)
}

/// The stage runner for `config` into `dir`.
fn prepare(config: &Path, dir: &Path, cosim_images: usize) -> anyhow::Result<Run> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let dir = dir.canonicalize().with_context(|| format!("{}", dir.display()))?;
    let text = crate::io::read_text(config)?;
    let settings = RunSettings::parse(config, &text)?;
    let copy = install_config(config, &dir)?;
    let (library, build_library) = match settings.library {
        Some(l) => (l, false),
        None => (dir.join("library"), true),
    };
    Ok(Run { dir, config: copy, library, build_library, cosim_images })
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
        match result {
            Ok(Outcome::UpToDate) => bar.finish_with_message("up to date (skipped)"),
            Ok(Outcome::Ran(s)) => bar.finish_with_message(format!("done in {s:.1} s")),
            Err(e) => {
                bar.finish_with_message("failed");
                return Err(e.into());
            }
        }
    }
    Ok(())
}

/// `codesign run`.
pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let run = prepare(&args.config, &args.out, args.cosim_images)?;
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
