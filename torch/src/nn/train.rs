//! Staged training: float baseline, quantization-aware training, AGN search
//! (and approximate retraining, `nn::retrain`). Each stage starts from the
//! previous stage's checkpoint and writes `RUN_DIR/train/<stage>.safetensors`
//! plus the `<stage>.yaml` sidecar.
//!
//! Determinism: the weights are initialized after `tch::manual_seed(seed)`,
//! each stage reseeds libtorch (noise) with `seed + stage`, and the data order
//! and augmentation come from a ChaCha RNG seeded by `(seed, stage, epoch)`.

use crate::nn::net::{Net, NodeOp, NodeParams, QuantOpts};
use crate::nn::quant::to_vec_f64;
use crate::nn::{agn, models};
use codesign::config::{Config, StageConfig};
use codesign::data::{Dataset, Split};
use codesign::error::{Error, Result};
use codesign::intnet::Shape;
use codesign::sidecar::{LayerInfo, LayerQuant, Sidecar};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::{Path, PathBuf};
use tch::{nn, nn::OptimizerConfig, Device, Kind, Tensor};

/// The training stages, in order.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Float training from scratch.
    Baseline,
    /// Quantization-aware training (fake-quantized 8-bit weights and activations).
    Qat,
    /// AGN noise search: trainable per-layer sigmas with the noise reward.
    Agn,
    /// Retraining with the assigned approximate multipliers in the loop.
    Retrain,
}

impl Stage {
    /// The stages `codesign train` runs by default, in order.
    pub const TRAIN: [Stage; 3] = [Stage::Baseline, Stage::Qat, Stage::Agn];

    /// Name used in file names and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Baseline => "baseline",
            Stage::Qat => "qat",
            Stage::Agn => "agn",
            Stage::Retrain => "retrain",
        }
    }

    /// Parse a stage name (`baseline`, `qat`, `agn`, `retrain`); an unknown name is an input error.
    pub fn parse(s: &str) -> Result<Stage> {
        match s.trim() {
            "baseline" => Ok(Stage::Baseline),
            "qat" => Ok(Stage::Qat),
            "agn" => Ok(Stage::Agn),
            "retrain" => Ok(Stage::Retrain),
            other => Err(Error::input(format!(
                "unknown stage `{other}` (expected baseline, qat, agn or retrain)"
            ))),
        }
    }

    /// The stage whose checkpoint this one starts from.
    pub fn previous(self) -> Option<Stage> {
        match self {
            Stage::Baseline => None,
            Stage::Qat => Some(Stage::Baseline),
            Stage::Agn => Some(Stage::Qat),
            Stage::Retrain => Some(Stage::Agn),
        }
    }

    /// Fake-quantized stages.
    pub fn quantized(self) -> bool {
        self != Stage::Baseline
    }

    fn index(self) -> u64 {
        self as u64
    }
}

/// `RUN_DIR/train/<stage>.safetensors`.
pub fn checkpoint_path(run_dir: &Path, stage: Stage) -> PathBuf {
    codesign::rundir::RunDir::new(run_dir).checkpoint(stage.name())
}

/// `RUN_DIR/train/<stage>.yaml`.
pub fn sidecar_path(run_dir: &Path, stage: Stage) -> PathBuf {
    codesign::rundir::RunDir::new(run_dir).sidecar(stage.name())
}

/// A batch: raw pixels `[n, c, h, w]` (`u8`) and labels `[n]` (`i64`).
pub fn batch(
    ds: &Dataset,
    idx: &[usize],
    augment: Option<&mut ChaCha8Rng>,
    device: Device,
) -> (Tensor, Tensor) {
    let mut px = Vec::with_capacity(idx.len() * ds.image_len());
    match augment {
        Some(rng) => {
            for &i in idx {
                augment_into(ds, ds.image(i), rng, &mut px);
            }
        }
        None => idx.iter().for_each(|&i| px.extend_from_slice(ds.image(i))),
    }
    let labels: Vec<i64> = idx.iter().map(|&i| ds.labels[i] as i64).collect();
    let x = Tensor::from_slice(&px).view([idx.len() as i64, ds.c as i64, ds.h as i64, ds.w as i64]);
    (
        x.to_device(device),
        Tensor::from_slice(&labels).to_device(device),
    )
}

/// CIFAR augmentation: random crop of the image padded by 4 zeros, then a
/// horizontal flip with probability 1/2.
fn augment_into(ds: &Dataset, img: &[u8], rng: &mut ChaCha8Rng, out: &mut Vec<u8>) {
    const PAD: i64 = 4;
    let (dy, dx) = (rng.random_range(-PAD..=PAD), rng.random_range(-PAD..=PAD));
    let flip = rng.random_bool(0.5);
    let (h, w) = (ds.h as i64, ds.w as i64);
    for c in 0..ds.c as i64 {
        for y in 0..h {
            for x in 0..w {
                let sx = if flip { w - 1 - x } else { x } + dx;
                let sy = y + dy;
                let v = if (0..h).contains(&sy) && (0..w).contains(&sx) {
                    img[((c * h + sy) * w + sx) as usize]
                } else {
                    0
                };
                out.push(v);
            }
        }
    }
}

/// One training session: config, data, network and its variables.
pub struct Session {
    /// The run's configuration.
    pub cfg: Config,
    /// Run directory: checkpoints and sidecars go here.
    pub run_dir: PathBuf,
    /// libtorch device the network runs on.
    pub device: Device,
    /// Variables of the network (group 1: the AGN sigmas).
    pub vs: nn::VarStore,
    /// The network being trained.
    pub net: Net,
    /// Training and test images.
    pub data: Split,
    /// Draw progress bars on stderr.
    pub progress: bool,
}

/// What one stage produced.
#[derive(Clone, Debug)]
pub struct StageReport {
    /// Which stage.
    pub stage: Stage,
    /// Top-1 accuracy on the test set, in `[0, 1]`.
    pub test_accuracy: f64,
    /// Mean training loss over the last epoch.
    pub final_loss: f64,
    /// Learned AGN sigma per multiplying layer.
    pub sigmas: Vec<f64>,
}

impl Session {
    /// Load the data and build the network (weights initialized from the seed).
    pub fn new(cfg: Config, run_dir: PathBuf, device: Device) -> Result<Session> {
        let data = cfg.dataset.load()?;
        Self::with_data(cfg, run_dir, device, data)
    }

    /// As [`Session::new`] with data already loaded.
    pub fn with_data(
        cfg: Config,
        run_dir: PathBuf,
        device: Device,
        data: Split,
    ) -> Result<Session> {
        tch::manual_seed(cfg.seed as i64);
        let vs = nn::VarStore::new(device);
        let t = &data.train;
        let input = Shape {
            c: t.c,
            h: t.h,
            w: t.w,
        };
        let net = models::build_with(
            cfg.model,
            cfg.residual,
            vs.root(),
            input,
            t.classes,
            cfg.multipliers.is_signed(),
            cfg.agn.sigma_init,
        )?;
        Ok(Session {
            cfg,
            run_dir,
            device,
            vs,
            net,
            data,
            progress: true,
        })
    }

    /// The hyper-parameters of `stage`; an error if the config has none (retrain without a `retrain:` section).
    pub fn stage_config(&self, stage: Stage) -> Result<&StageConfig> {
        match stage {
            Stage::Baseline => Ok(&self.cfg.stages.baseline),
            Stage::Qat => Ok(&self.cfg.stages.qat),
            Stage::Agn => Ok(&self.cfg.stages.agn),
            Stage::Retrain => self
                .cfg
                .stages
                .retrain
                .as_ref()
                .ok_or_else(|| Error::input("stages.retrain: missing from the config")),
        }
    }

    /// Load `stage`'s checkpoint from the run directory.
    pub fn load_stage(&mut self, stage: Stage) -> Result<()> {
        let path = checkpoint_path(&self.run_dir, stage);
        if !path.exists() {
            return Err(Error::in_file(
                &path,
                format!("missing: run the {} stage first", stage.name()),
            ));
        }
        self.vs.load(&path).map_err(|e| {
            Error::in_file(
                &path,
                format!("not a checkpoint of this config's model: {e}"),
            )
        })
    }

    /// Seeded libtorch RNG for `stage`.
    fn reseed(&self, stage: Stage) {
        tch::manual_seed(
            (self
                .cfg
                .seed
                .wrapping_mul(31)
                .wrapping_add(stage.index() + 1)) as i64,
        );
    }

    /// Train `stage` from the current weights, then evaluate it.
    pub fn train_stage(&mut self, stage: Stage) -> Result<StageReport> {
        self.train_stage_with(stage, None)
    }

    /// As [`Session::train_stage`], with an optional approximate-product hook
    /// for retraining.
    pub fn train_stage_with(
        &mut self,
        stage: Stage,
        approx: Option<&crate::nn::net::ApproxFn<'_>>,
    ) -> Result<StageReport> {
        let sc = self.stage_config(stage)?.clone();
        self.reseed(stage);
        if stage.quantized() && !self.net.scales_ready() {
            self.calibrate_scales();
        }
        if stage == Stage::Agn {
            self.net.reset_sigmas(self.cfg.agn.sigma_init);
        }
        let mut opt = nn::sgd(sc.momentum, 0.0, sc.weight_decay, false)
            .build(&self.vs, sc.lr)
            .map_err(super::torch_error)?;
        opt.set_weight_decay_group(1, 0.0); // no decay on sigma
        let train = &self.data.train;
        let steps_per_epoch = train.len().div_ceil(sc.batch_size);
        let bar = self.bar((sc.epochs * steps_per_epoch) as u64, stage.name());
        let mut final_loss = f64::NAN;
        let augment = self.cfg.dataset.augment();
        for epoch in 0..sc.epochs {
            opt.set_lr(sc.lr_at(epoch));
            let mut rng = ChaCha8Rng::seed_from_u64(
                self.cfg.seed ^ (stage.index() << 40) ^ ((epoch as u64) << 20),
            );
            let mut order: Vec<usize> = (0..train.len()).collect();
            order.shuffle(&mut rng);
            let (mut loss_sum, mut correct, mut seen) = (0.0, 0i64, 0usize);
            for idx in order.chunks(sc.batch_size) {
                let (x, y) = batch(train, idx, augment.then_some(&mut rng), self.device);
                let (loss, logits) = self.loss(stage, &x, &y, approx);
                opt.backward_step(&loss);
                loss_sum += loss.double_value(&[]) * idx.len() as f64;
                correct += logits
                    .argmax(-1, false)
                    .eq_tensor(&y)
                    .sum(Kind::Int64)
                    .int64_value(&[]);
                seen += idx.len();
                bar.inc(1);
                bar.set_message(format!(
                    "epoch {}/{} loss {:.4} acc {:.2}%",
                    epoch + 1,
                    sc.epochs,
                    loss_sum / seen as f64,
                    100.0 * correct as f64 / seen as f64
                ));
            }
            final_loss = loss_sum / seen.max(1) as f64;
            tracing::debug!(stage = stage.name(), epoch, loss = final_loss, "epoch done");
        }
        bar.finish_and_clear();
        let test_accuracy = self.accuracy(stage, &self.data.test, approx);
        let rep = StageReport {
            stage,
            test_accuracy,
            final_loss,
            sigmas: self.net.sigmas(),
        };
        tracing::info!(
            "{}: test accuracy {:.2}%",
            stage.name(),
            100.0 * test_accuracy
        );
        Ok(rep)
    }

    /// Loss of one batch under `stage`, and the logits used for accuracy.
    pub fn loss(
        &self,
        stage: Stage,
        x: &Tensor,
        y: &Tensor,
        approx: Option<&crate::nn::net::ApproxFn<'_>>,
    ) -> (Tensor, Tensor) {
        if stage == Stage::Baseline {
            let logits = self.net.forward_float(x, true);
            return (logits.cross_entropy_for_logits(y), logits.detach());
        }
        let out = self.net.forward_quant(
            x,
            &QuantOpts {
                noise: stage == Stage::Agn,
                approx,
                record: false,
            },
        );
        let ce = out.logits.cross_entropy_for_logits(y);
        let loss = if stage == Stage::Agn {
            let layers = self.net.noisy_layers();
            agn::loss(&ce, &layers, self.cfg.agn.lambda, self.cfg.agn.sigma_max)
        } else {
            ce
        };
        (loss, out.exact)
    }

    /// Top-1 accuracy on `ds` as `stage` evaluates (float model for the
    /// baseline, the fake-quantized model's exact integer logits otherwise).
    pub fn accuracy(
        &self,
        stage: Stage,
        ds: &Dataset,
        approx: Option<&crate::nn::net::ApproxFn<'_>>,
    ) -> f64 {
        let preds = self.predict(stage, ds, approx);
        let correct = preds
            .iter()
            .zip(&ds.labels)
            .filter(|(p, l)| **p == **l as i64)
            .count();
        correct as f64 / ds.len().max(1) as f64
    }

    /// Predicted class per image of `ds`.
    pub fn predict(
        &self,
        stage: Stage,
        ds: &Dataset,
        approx: Option<&crate::nn::net::ApproxFn<'_>>,
    ) -> Vec<i64> {
        let idx: Vec<usize> = (0..ds.len()).collect();
        let mut preds = Vec::with_capacity(ds.len());
        tch::no_grad(|| {
            for chunk in idx.chunks(500) {
                let (x, _) = batch(ds, chunk, None, self.device);
                let logits = if stage.quantized() {
                    self.net
                        .forward_quant(
                            &x,
                            &QuantOpts {
                                approx,
                                ..Default::default()
                            },
                        )
                        .exact
                } else {
                    self.net.forward_float(&x, false)
                };
                preds.extend(
                    Vec::<i64>::try_from(logits.argmax(-1, false).to_device(Device::Cpu)).unwrap(),
                );
            }
        });
        preds
    }

    /// Activation scales from float statistics on the first training images.
    pub fn calibrate_scales(&self) {
        let n = self.data.train.len().min(2048);
        let idx: Vec<usize> = (0..n).collect();
        let batches: Vec<Tensor> = idx
            .chunks(256)
            .map(|c| batch(&self.data.train, c, None, self.device).0)
            .collect();
        self.net.calibrate_scales(&batches);
    }

    /// The sidecar describing the current weights as `stage`.
    pub fn sidecar(&self, stage: Stage, rep: &StageReport) -> Result<Sidecar> {
        let quant = if stage.quantized() {
            Some(self.layer_quant())
        } else {
            None
        };
        let layers = self
            .net
            .mac_nodes()
            .enumerate()
            .map(|(k, (_, node, m))| {
                let linear = matches!(node.op, NodeOp::Linear(_));
                LayerInfo {
                    name: node.name.clone(),
                    kind: if linear { "linear" } else { "conv" }.to_string(),
                    shape: if linear {
                        vec![m.out_ch, m.in_ch]
                    } else {
                        vec![m.out_ch, m.in_ch, m.kernel, m.kernel]
                    },
                    macs: m.macs,
                    sigma: m.sigma.double_value(&[]).abs(),
                    quant: quant.as_ref().map(|q| q[k].clone()),
                }
            })
            .collect();
        Ok(Sidecar {
            stage: stage.name().to_string(),
            model: self.cfg.model.name().to_string(),
            dataset: self.cfg.dataset.kind.name().to_string(),
            seed: self.cfg.seed,
            epochs: self.stage_config(stage)?.epochs,
            test_accuracy: rep.test_accuracy,
            lambda: if stage == Stage::Agn {
                self.cfg.agn.lambda
            } else {
                0.0
            },
            layers,
        })
    }

    fn layer_quant(&self) -> Vec<LayerQuant> {
        let s = self.net.input;
        let probe = Tensor::zeros(
            [1, s.c as i64, s.h as i64, s.w as i64],
            (Kind::Uint8, self.device),
        );
        let out = tch::no_grad(|| {
            self.net.forward_quant(
                &probe,
                &QuantOpts {
                    record: true,
                    ..Default::default()
                },
            )
        });
        self.net
            .nodes
            .iter()
            .zip(&out.params)
            .filter_map(|(node, p)| match (node.op.mac(), p) {
                (
                    Some(m),
                    NodeParams::Mac {
                        in_scale, w_scale, ..
                    },
                ) => Some(LayerQuant {
                    input_scale: *in_scale,
                    weight_scales: to_vec_f64(w_scale),
                    output_scale: m.relu.then(|| m.scale.double_value(&[])),
                }),
                _ => None,
            })
            .collect()
    }

    /// Write `stage`'s checkpoint and sidecar atomically.
    pub fn save(&self, stage: Stage, rep: &StageReport) -> Result<()> {
        let path = checkpoint_path(&self.run_dir, stage);
        let dir = path.parent().unwrap();
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let tmp = dir.join(format!(".{}.partial.safetensors", stage.name()));
        self.vs.save(&tmp).map_err(super::torch_error)?;
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
        codesign::io::write_yaml(
            sidecar_path(&self.run_dir, stage),
            &self.sidecar(stage, rep)?,
        )
    }

    fn bar(&self, len: u64, prefix: &str) -> ProgressBar {
        if !self.progress {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{prefix:>8} [{bar:30}] {pos}/{len} {msg} ({elapsed})")
                .unwrap()
                .progress_chars("=> "),
        );
        bar.set_prefix(prefix.to_string());
        bar
    }
}
