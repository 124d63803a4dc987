//! Command line of `codesign report`, `codesign run` and `codesign sweep`.

pub use crate::commands::{ExecutorArgs, JobArgs, ReportArgs, RunArgs, SweepArgs};
use crate::config::Config;
use crate::executor::batch::Done;
use crate::executor::plan::Plan;
use crate::executor::Executor;
use crate::pipeline::Run;
use anyhow::{bail, Context};
use std::path::Path;

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

/// The stage runner for `config` into `out` (default: the config's `out`),
/// and the config.
fn prepare(
    config: &Path,
    out: Option<&Path>,
    cosim_images: usize,
    device: &str,
) -> anyhow::Result<(Run, Config)> {
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
    let (library, build_library) = match &cfg.library {
        Some(l) => (l.clone(), false),
        None => (crate::rundir::RunDir::new(&dir).library(), true),
    };
    let run = Run {
        dir,
        config,
        library,
        build_library,
        cosim_images,
        cosim_sim: Default::default(),
        gatesim_images: 0,
        device: device.to_string(),
        sweep: vec![],
        binary: Some(crate::pipeline::hash_file(
            &std::env::current_exe().context("cannot locate the codesign binary")?,
        )?),
        sweep_point: None,
    };
    Ok((run, cfg))
}

/// Execute `plan` with the chosen executor. `Ok(false)`: submitted without
/// waiting (the job ids are printed).
fn execute(
    run: &Run,
    cfg: &Config,
    plan: &Plan,
    args: &ExecutorArgs,
    force: bool,
) -> anyhow::Result<bool> {
    let exe = std::env::current_exe().context("cannot locate the codesign binary")?;
    let executor = Executor::new(args.executor, cfg, &run.device);
    let prefix = format!("codesign-{}", cfg.name);
    match executor.execute(plan, &run.dir, &exe, &prefix, force, args.no_wait)? {
        Done::Finished => Ok(true),
        Done::Submitted(jobs) => {
            for (node, job) in &jobs {
                println!("{node}\t{job}");
            }
            eprintln!(
                "submitted {} job(s) for {}; run the same command again (without --no-wait) to follow them",
                jobs.len(),
                run.dir.display()
            );
            Ok(false)
        }
    }
}

/// `codesign run`.
pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let (mut run, cfg) = prepare(
        &args.config,
        args.out.as_deref(),
        args.cosim_images,
        &args.device,
    )?;
    run.gatesim_images = args.gatesim_images;
    run.cosim_sim = args.cosim_sim;
    run.sweep = if args.sweep.is_empty() {
        cfg.sweep.clone()
    } else {
        args.sweep.clone()
    };
    let mut stages = run.stages();
    if let Some(last) = &args.until {
        let Some(i) = stages.iter().position(|s| s.name == last) else {
            let names: Vec<&str> = stages.iter().map(|s| s.name).collect();
            bail!("--until: no stage `{last}` (stages: {})", names.join(", "));
        };
        stages.truncate(i + 1);
    }
    let clock = std::time::Instant::now();
    let plan = Plan::stages(&run, &stages);
    if !execute(&run, &cfg, &plan, &args.executor, args.force)? {
        return Ok(());
    }
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
        crate::report::out_dir(&run.dir)
            .join("report.html")
            .display()
    );
    print!("{}", crate::report::summary(&r));
    Ok(())
}

/// `codesign sweep`: AGN search, quantization, assignment, evaluation and
/// approximate retraining per lambda, reusing the run's library, baseline and QAT checkpoints
/// (trained first if missing; up-to-date stages are skipped as in `run`).
/// The points are independent: one job array with a batch executor.
pub fn sweep(args: SweepArgs) -> anyhow::Result<()> {
    if args.lambdas.is_empty() {
        bail!("--lambdas: give at least one value");
    }
    if let Some(l) = args.lambdas.iter().find(|l| !(**l >= 0.0 && l.is_finite())) {
        bail!("--lambdas: {l} is not a non-negative number");
    }
    let (run, cfg) = prepare(&args.config, args.out.as_deref(), 0, &args.device)?;
    let plan = Plan::sweep(&run, &args.config.display().to_string(), &args.lambdas);
    if !execute(&run, &cfg, &plan, &args.executor, false)? {
        return Ok(());
    }
    let path = crate::executor::plan::sweep_json(&run);
    let sweep: crate::report::model::Sweep = crate::io::read_json(&path)?;
    println!(
        "{:>8} {:>10} {:>10} {:>12} {:>10} {:>10} {:>12}",
        "lambda", "exact", "paper", "paper energy", "repaired", "retrained", "rel. energy"
    );
    for p in &sweep.points {
        let pct = |x: Option<f64>| {
            x.map(|v| format!("{:.2}%", 100.0 * v))
                .unwrap_or_else(|| "-".into())
        };
        println!(
            "{:>8} {:>10} {:>10} {:>12} {:>10} {:>10} {:>12.4}",
            p.lambda,
            pct(p.exact_accuracy),
            pct(p.accuracy_paper),
            p.relative_energy_paper
                .map_or_else(|| "-".into(), |e| format!("{e:.4}")),
            pct(p.accuracy),
            pct(p.accuracy_retrained),
            p.relative_energy
        );
    }
    tracing::info!("wrote {}", path.display());
    Ok(())
}

/// `codesign job`: one step of a submitted plan, recorded as a local run
/// records it.
pub fn job(args: JobArgs) -> anyhow::Result<()> {
    let exe = std::env::current_exe().context("cannot locate the codesign binary")?;
    crate::executor::batch::run_job(&args.spec, args.task, &exe)?;
    Ok(())
}
