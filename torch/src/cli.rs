//! The libtorch commands `codesign train`, `codesign quantize` and
//! `codesign retrain` (their arguments are parsed by `codesign::cli::train`).

use anyhow::{bail, Context};
use codesign::rundir::RunDir;
use std::path::{Path, PathBuf};

use codesign::cli::train::{config_copy, QuantizeArgs, RetrainArgs, TrainArgs};
use codesign::config::Config;

use crate::nn::train::{checkpoint_path, sidecar_path, Session, Stage};

/// Parse `--device`.
pub fn device(name: &str) -> anyhow::Result<tch::Device> {
    match name {
        "cpu" => Ok(tch::Device::Cpu),
        "cuda" => {
            if !tch::Cuda::is_available() {
                bail!("--device cuda: no CUDA device is visible to libtorch");
            }
            Ok(tch::Device::Cuda(0))
        }
        "auto" => Ok(tch::Device::cuda_if_available()),
        other => bail!("--device: unknown device `{other}` (expected cpu, cuda or auto)"),
    }
}

/// `codesign train`.
pub fn train(args: TrainArgs) -> anyhow::Result<()> {
    let mut cfg = Config::load(&args.config)?;
    if let Some(l) = args.lambda {
        cfg.agn.lambda = l;
    }
    if let Some(s) = args.seed {
        cfg.seed = s;
    }
    if let Some(out) = &args.out {
        cfg.out = out.clone();
    }
    cfg.validate()
        .map_err(|m| anyhow::anyhow!("{}: {m}", args.config.display()))?;
    let stages = args
        .stages
        .iter()
        .map(|s| Stage::parse(s))
        .collect::<codesign::Result<Vec<_>>>()?;
    if stages.contains(&Stage::Retrain) {
        bail!("--stages: retrain needs an assignment; use `codesign retrain RUN_DIR --assignment FILE`");
    }
    if stages.windows(2).any(|w| w[0] >= w[1]) {
        bail!("--stages: list stages once each, in pipeline order (baseline,qat,agn)");
    }
    if let Some(t) = args.threads {
        cfg.threads = Some(t);
    }
    set_threads(&cfg);
    let dev = device(&args.device)?;
    let run_dir = cfg.out.clone();
    codesign::io::write_yaml(config_copy(&run_dir), &cfg)?;
    let mut s = Session::new(cfg, run_dir.clone(), dev)?;
    let mut loaded: Option<Stage> = None;
    for &stage in &stages {
        if args.resume
            && checkpoint_path(&run_dir, stage).exists()
            && sidecar_path(&run_dir, stage).exists()
        {
            tracing::info!(
                "{}: resuming from {}",
                stage.name(),
                checkpoint_path(&run_dir, stage).display()
            );
            s.load_stage(stage)?;
            loaded = Some(stage);
            continue;
        }
        if let Some(prev) = stage.previous() {
            if loaded != Some(prev) {
                s.load_stage(prev)?;
            }
        }
        let rep = s.train_stage(stage)?;
        s.save(stage, &rep)?;
        loaded = Some(stage);
        let sig: Vec<String> = rep.sigmas.iter().map(|v| format!("{v:.3}")).collect();
        println!(
            "{:<8} test accuracy {:6.2}%  loss {:.4}{}",
            stage.name(),
            100.0 * rep.test_accuracy,
            rep.final_loss,
            if stage == Stage::Agn {
                format!("  sigmas [{}]", sig.join(", "))
            } else {
                String::new()
            }
        );
    }
    Ok(())
}

/// Apply the config's libtorch thread count.
pub fn set_threads(cfg: &Config) {
    if let Some(t) = cfg.threads.filter(|&t| t > 0) {
        tch::set_num_threads(t as i32);
    }
}

/// Open a run directory's session with `stage`'s weights (on the CPU).
pub fn open_run(run_dir: &Path, stage: Stage) -> anyhow::Result<Session> {
    let cfg = Config::load(config_copy(run_dir))
        .with_context(|| format!("{}: not a run directory", run_dir.display()))?;
    set_threads(&cfg);
    let mut s = Session::new(cfg, run_dir.to_path_buf(), tch::Device::Cpu)?;
    s.progress = false;
    s.load_stage(stage)?;
    Ok(s)
}

/// The stage to quantize: explicit, or the latest fake-quantized checkpoint.
fn pick_stage(run_dir: &Path, stage: Option<&str>) -> anyhow::Result<Stage> {
    if let Some(name) = stage {
        let st = Stage::parse(name)?;
        if !st.quantized() {
            bail!(
                "--stage: {} is not fake-quantized; quantize qat, agn or retrain",
                st.name()
            );
        }
        return Ok(st);
    }
    for st in [Stage::Agn, Stage::Qat] {
        if checkpoint_path(run_dir, st).exists() {
            return Ok(st);
        }
    }
    bail!(
        "{}: no qat or agn checkpoint; run `codesign train` first",
        RunDir::new(run_dir).train_dir().display()
    )
}

/// `codesign quantize`.
pub fn quantize(args: QuantizeArgs) -> anyhow::Result<()> {
    let stage = pick_stage(&args.run_dir, args.stage.as_deref())?;
    let s = open_run(&args.run_dir, stage)?;
    let net = crate::nn::quantize::to_intnet(&s.net, &s.cfg.name)?;
    let out = args
        .out
        .unwrap_or_else(|| RunDir::new(&args.run_dir).intnet());
    codesign::io::write_json(&out, &net)?;
    codesign::intnet::load(&out).context("the written integer network does not validate")?;
    let acc = s.accuracy(stage, &s.data.test, None);
    println!(
        "{}: integer network of the {} checkpoint ({} nodes, {} multiplying layers); fake-quantized test accuracy {:.2}%",
        out.display(),
        stage.name(),
        net.nodes.len(),
        net.mac_layers().count(),
        100.0 * acc
    );
    Ok(())
}

/// `codesign retrain`: fine-tune with the assigned multipliers in the
/// forward pass, then write `RUN_DIR/retrain/intnet.json` and the
/// bit-exact accuracy to `RUN_DIR/retrain/eval.json`.
pub fn retrain(args: RetrainArgs) -> anyhow::Result<()> {
    use crate::nn::quantize::to_intnet;
    use crate::nn::retrain::ApproxProducts;
    use codesign::intnet::evalfile::{self, EvalRecord, LayerMultiplier};
    use codesign::intnet::sim::{ProductTable, Simulator};

    let from = if checkpoint_path(&args.run_dir, Stage::Agn).exists() {
        Stage::Agn
    } else {
        Stage::Qat
    };
    let mut s = open_run(&args.run_dir, from)?;
    let dev = device(&args.device)?;
    if dev != tch::Device::Cpu {
        s.vs.set_device(dev);
        s.device = dev;
    }
    s.progress = true;
    let assignment = codesign::assign::Assignment::load(&args.assignment)?;
    let lib_dir = args
        .library
        .clone()
        .unwrap_or_else(|| PathBuf::from(&assignment.library));
    let lib = codesign::library::Library::load(&lib_dir)
        .with_context(|| format!("library of {}", args.assignment.display()))?;
    let name = s.cfg.name.clone();
    let maps = assignment
        .layer_maps(&to_intnet(&s.net, &name)?, &lib)
        .with_context(|| args.assignment.display().to_string())?;
    let approx = ApproxProducts::new(&maps);
    let hook = approx.hook();
    let test = s.data.test.clone();
    let before = s.accuracy(Stage::Retrain, &test, Some(&hook));
    let rep = s.train_stage_with(Stage::Retrain, Some(&hook))?;
    s.save(Stage::Retrain, &rep)?;

    // The retrained integer network, evaluated bit-exactly with the assigned
    // multipliers (bias corrections added to the biases, as eval does).
    let int = to_intnet(&s.net, &name)?;
    let run = RunDir::new(&args.run_dir);
    codesign::io::write_json(run.retrain_intnet(), &int)?;
    let mut corrected = int.clone();
    assignment
        .apply_bias_corrections(&mut corrected, &lib)
        .with_context(|| args.assignment.display().to_string())?;
    let tables: Vec<ProductTable> = maps.iter().map(|(m, _)| ProductTable::new(m)).collect();
    let approx_res = Simulator::new(&corrected, tables)?.evaluate(&test)?;
    let exact_res = Simulator::exact(&int)?.evaluate(&test)?;
    let key = args
        .assignment
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "assignment".into());
    let top5 = |r: &codesign::intnet::sim::EvalResult| (int.classes > 5).then_some(r.top5);
    let record = |assigned: bool, r: &codesign::intnet::sim::EvalResult| EvalRecord {
        network: int.name.clone(),
        assignment: assigned.then(|| args.assignment.display().to_string()),
        library: assigned.then(|| lib_dir.display().to_string()),
        multipliers: int
            .mac_layers()
            .map(|(n, _)| LayerMultiplier {
                layer: n.name.clone(),
                multiplier: if assigned {
                    assignment
                        .layer(&n.name)
                        .map(|c| c.multiplier.clone())
                        .unwrap_or_default()
                } else {
                    "exact".into()
                },
            })
            .collect(),
        relative_energy: Some(if assigned {
            assignment.relative_energy
        } else {
            1.0
        }),
        dataset: s.cfg.dataset.kind.name().into(),
        split: "test".into(),
        images: r.n,
        top1: r.top1,
        top5: top5(r),
    };
    let eval_path = run.retrain_eval();
    evalfile::update(&eval_path, "exact", record(false, &exact_res))?;
    evalfile::update(&eval_path, &key, record(true, &approx_res))?;
    println!(
        "retrain: assigned multipliers (relative energy {:.4}): before {:.2}%, after {:.2}% (fake-quantized {:.2}%); exact multipliers after: {:.2}%",
        assignment.relative_energy,
        100.0 * before,
        100.0 * approx_res.top1,
        100.0 * rep.test_accuracy,
        100.0 * exact_res.top1
    );
    tracing::info!(
        "wrote {} and {}",
        run.retrain_intnet().display(),
        eval_path.display()
    );
    Ok(())
}
