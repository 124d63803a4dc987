//! Experiment configuration (`configs/*.yaml`): data set, model, training
//! stages, AGN search, calibration and output directory. Unknown keys and bad
//! values are errors that name the key (and the file and line where serde
//! knows it).

pub mod slurm;

use crate::data::DatasetKind;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A whole experiment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Experiment name (also the integer network's name).
    pub name: String,
    /// Seed of every random choice (initialization, data order, noise).
    #[serde(default)]
    pub seed: u64,
    /// Data set to train and evaluate on.
    pub dataset: DatasetConfig,
    /// Network architecture.
    pub model: ModelKind,
    /// Where a ResNet basic block applies its last ReLU (ignored by other
    /// models); default: the paper's `add_then_relu`.
    #[serde(default)]
    pub residual: ResidualForm,
    /// Multiplier family the network is quantized for.
    #[serde(default)]
    pub multipliers: Signedness,
    /// Per-stage training hyper-parameters.
    pub stages: Stages,
    #[serde(default)]
    /// AGN search settings.
    pub agn: AgnConfig,
    #[serde(default)]
    /// Post-training calibration settings.
    pub calibration: CalibrationConfig,
    /// The accuracy budget of the assignment (see `assign::repair`).
    #[serde(default)]
    pub assign: AssignConfig,
    /// AGN lambdas `codesign run` sweeps for the report's accuracy-vs-energy
    /// plot (default [`DEFAULT_SWEEP`]; `[]` turns the sweep off; the
    /// command line's `--sweep` overrides it). No stage of the main run
    /// reads it, so it does not enter their keys.
    #[serde(default = "default_sweep")]
    pub sweep: Vec<f64>,
    /// Run directory (relative paths are relative to the working directory).
    pub out: PathBuf,
    /// libtorch intra-op threads (default: libtorch's choice). Results are
    /// bit-identical across runs for the same thread count; small models
    /// train fastest on one thread.
    #[serde(default)]
    pub threads: Option<usize>,
    /// Multiplier library directory; `codesign run` builds `RUN_DIR/library`
    /// when absent.
    #[serde(default)]
    pub library: Option<PathBuf>,
    /// Per-operation energy constants overriding the report's defaults
    /// (45 nm, Horowitz ISSCC 2014); see `report::energy`.
    #[serde(default)]
    pub energy: EnergyConfig,
    /// Partition, account and per-stage resources for `--executor slurm`
    /// (`executor::slurm`); no stage reads it, so it does not enter the
    /// stage keys.
    #[serde(default)]
    pub slurm: Option<slurm::SlurmConfig>,
}

/// The config's optional `energy:` section: any per-operation constant of
/// the report's energy model (`report::energy`, pJ and um^2), plus a source
/// naming where the overrides come from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EnergyConfig {
    /// Overrides the 8-bit integer add energy, pJ (default 0.03, Horowitz ISSCC 2014).
    pub add8_pj: Option<f64>,
    /// Overrides the exact 8-bit multiply energy, pJ.
    pub mult8_pj: Option<f64>,
    /// Overrides the 32-bit integer add energy, pJ.
    pub add32_pj: Option<f64>,
    /// Overrides the 32-bit integer multiply energy, pJ (default 3.1, Horowitz).
    pub mult32_pj: Option<f64>,
    /// Overrides the 64-bit read of an 8 KB SRAM, pJ (default 10, Horowitz).
    pub sram_8kb_pj: Option<f64>,
    /// Overrides the 64-bit read of a 32 KB SRAM, pJ.
    pub sram_32kb_pj: Option<f64>,
    /// Overrides the 64-bit read of a 1 MB SRAM, pJ.
    pub sram_1mb_pj: Option<f64>,
    /// Overrides one 64-bit DRAM access, pJ.
    pub dram_pj: Option<f64>,
    /// Overrides the area of one NAND2 gate equivalent, um^2 (default 0.798, NanGate 45 nm).
    pub nand2_um2: Option<f64>,
    /// Where the overriding figures come from (printed next to them).
    pub source: Option<String>,
}

/// Where the data comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetConfig {
    /// Which data set.
    pub kind: DatasetKind,
    /// Directory with the data set's files (not needed for `digits`).
    #[serde(default)]
    pub path: Option<PathBuf>,
    /// Random crop (padding 4) and horizontal flip while training; default:
    /// on for CIFAR-10, off otherwise.
    #[serde(default)]
    pub augment: Option<bool>,
    /// Use only the first N training images (quick experiments and tests);
    /// default: all. The test split is never cut.
    #[serde(default)]
    pub train_images: Option<usize>,
    /// Training images held out as the validation split (the last N of the
    /// source's training split, before `train_images` applies; never
    /// trained on); default: a tenth of the training split, at most 5,000.
    #[serde(default)]
    pub validation_images: Option<usize>,
}

impl DatasetConfig {
    /// Whether training augments the images.
    pub fn augment(&self) -> bool {
        self.augment.unwrap_or(self.kind == DatasetKind::Cifar10)
    }

    /// Load the data set from `dir` (default: `path`, else the kind's
    /// installed location), with the validation images held out and
    /// `train_images` applied.
    pub fn load_from(&self, dir: Option<&std::path::Path>) -> Result<crate::data::Split> {
        let mut split = crate::data::load(self.kind, dir.or(self.path.as_deref()))?;
        let n = self
            .validation_images
            .unwrap_or((split.train.len() / 10).min(5000));
        split.hold_out(n);
        if let Some(n) = self.train_images {
            split.train = split.train.take(n);
        }
        Ok(split)
    }

    /// [`DatasetConfig::load_from`] the configured location.
    pub fn load(&self) -> Result<crate::data::Split> {
        self.load_from(None)
    }
}

/// Network architectures (see `nn::models`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    /// Two 3x3 convs and a linear classifier for 8x8 digits.
    DigitsCnn,
    /// LeNet-5 (two conv, three fully-connected layers).
    Lenet5,
    /// ResNet-8 (CIFAR-style, three stages of one basic block).
    Resnet8,
    /// ResNet-14 (three stages of two basic blocks).
    Resnet14,
    /// ResNet-20 (three stages of three basic blocks).
    Resnet20,
    /// ResNet-32 (three stages of five basic blocks).
    Resnet32,
    /// VGG-style: three blocks of two 3x3 convs with max pooling.
    Vgg,
}

impl ModelKind {
    /// Config-file name of the model (`lenet5`, `resnet8`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::DigitsCnn => "digits_cnn",
            ModelKind::Lenet5 => "lenet5",
            ModelKind::Resnet8 => "resnet8",
            ModelKind::Resnet14 => "resnet14",
            ModelKind::Resnet20 => "resnet20",
            ModelKind::Resnet32 => "resnet32",
            ModelKind::Vgg => "vgg",
        }
    }
}

/// The form of a ResNet basic block (see `nn::models`).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResidualForm {
    /// `relu(bn2(conv2(h)) + shortcut(x))` as in He et al. (2016) and the
    /// paper's ResNets: the second conv and a projection shortcut output
    /// raw accumulators, the residual add requantizes through one ReLU.
    #[default]
    AddThenRelu,
    /// `relu(bn2(conv2(h))) + relu(shortcut(x))`, requantized and clamped
    /// again: every tensor stays an 8-bit activation (narrower buffers).
    ReluThenAdd,
}

/// Unsigned (8x8, sign-magnitude weights) or signed (two's complement) multipliers.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Signedness {
    #[default]
    /// Unsigned 8-bit operands (activations in `0..=255`).
    Unsigned,
    /// Signed 8-bit operands (two's complement, `-128..=127`).
    Signed,
}

impl Signedness {
    /// True for [`Signedness::Signed`].
    pub fn is_signed(self) -> bool {
        self == Signedness::Signed
    }
    /// Largest activation value: 255 (unsigned) or 127 (signed).
    pub fn act_max(self) -> i32 {
        if self.is_signed() {
            127
        } else {
            255
        }
    }
}

/// Settings of every training stage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stages {
    /// Float training from scratch.
    pub baseline: StageConfig,
    /// Quantization-aware training from the baseline.
    pub qat: StageConfig,
    /// AGN noise search from the QAT weights.
    pub agn: StageConfig,
    #[serde(default)]
    /// Retraining with the assigned approximate multipliers; `None` skips it.
    pub retrain: Option<StageConfig>,
}

/// SGD with momentum and step decay.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageConfig {
    /// Number of passes over the training set.
    pub epochs: usize,
    /// Initial learning rate.
    pub lr: f64,
    #[serde(default = "default_batch")]
    /// Images per optimizer step.
    pub batch_size: usize,
    #[serde(default = "default_momentum")]
    /// SGD momentum.
    pub momentum: f64,
    #[serde(default)]
    /// L2 weight decay (not applied to the AGN sigmas).
    pub weight_decay: f64,
    /// Epochs after which the learning rate is multiplied by `lr_gamma`.
    #[serde(default)]
    pub lr_steps: Vec<usize>,
    #[serde(default = "default_gamma")]
    /// Factor applied to the learning rate at each step of the schedule.
    pub lr_gamma: f64,
}

fn default_batch() -> usize {
    128
}
fn default_momentum() -> f64 {
    0.9
}
fn default_gamma() -> f64 {
    0.1
}

impl StageConfig {
    /// Learning rate during `epoch` (0-based).
    pub fn lr_at(&self, epoch: usize) -> f64 {
        let steps = self.lr_steps.iter().filter(|&&s| epoch >= s).count();
        self.lr * self.lr_gamma.powi(steps as i32)
    }
}

/// AGN search parameters (DESIGN.md: lambda 0.2, sigma 0.1, sigma_max 0.5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgnConfig {
    #[serde(default = "default_lambda")]
    /// Weight `lambda` of the noise reward in the AGN loss `ce - lambda * reward`.
    pub lambda: f64,
    #[serde(default = "default_sigma_init")]
    /// Initial per-layer relative noise sigma.
    pub sigma_init: f64,
    #[serde(default = "default_sigma_max")]
    /// Upper clamp of each sigma inside the reward.
    pub sigma_max: f64,
}

fn default_lambda() -> f64 {
    0.2
}
fn default_sigma_init() -> f64 {
    0.1
}
fn default_sigma_max() -> f64 {
    0.5
}

impl Default for AgnConfig {
    fn default() -> Self {
        AgnConfig {
            lambda: default_lambda(),
            sigma_init: default_sigma_init(),
            sigma_max: default_sigma_max(),
        }
    }
}

/// The accuracy budget the assignment is repaired to meet
/// ([`crate::assign::repair`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignConfig {
    /// Allowed top-1 drop below the exact integer network on the validation
    /// images, in percentage points (default 1.0); `null` turns the repair
    /// off (the paper's unconstrained choice).
    /// Checked on the validation split (`dataset.validation_images`).
    #[serde(default = "default_max_drop")]
    pub max_accuracy_drop: Option<f64>,
    /// `z` of the one-sided upper confidence bound of the validation drop
    /// that must stay within the budget (default 1.645: 95 %; 0 checks the
    /// measured drop itself). See [`crate::assign::repair`].
    #[serde(default = "default_margin_z")]
    pub margin_z: f64,
}

/// The default lambda sweep of `codesign run`: a quarter, one and four
/// times the reference `lambda = 0.2` (DESIGN.md).
pub const DEFAULT_SWEEP: [f64; 3] = [0.05, 0.2, 0.8];

fn default_sweep() -> Vec<f64> {
    DEFAULT_SWEEP.to_vec()
}

fn default_margin_z() -> f64 {
    1.645
}

fn default_max_drop() -> Option<f64> {
    Some(1.0)
}

impl Default for AssignConfig {
    fn default() -> Self {
        AssignConfig {
            max_accuracy_drop: default_max_drop(),
            margin_z: default_margin_z(),
        }
    }
}

/// Calibration sampling for the error model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrationConfig {
    #[serde(default = "default_cal_images")]
    /// Number of training images drawn for calibration.
    pub images: usize,
    #[serde(default = "default_cal_samples")]
    /// Receptive fields sampled per layer.
    pub samples: usize,
}

fn default_cal_images() -> usize {
    128
}
fn default_cal_samples() -> usize {
    512
}

impl Default for CalibrationConfig {
    fn default() -> Self {
        CalibrationConfig {
            images: default_cal_images(),
            samples: default_cal_samples(),
        }
    }
}

impl Config {
    /// Read and validate a config file. Relative input paths
    /// (`dataset.path`, `library`) are taken relative to the config file's
    /// folder and made absolute, so a run works from any working directory
    /// and the copy `train` writes into the run directory names the same
    /// files; `out` stays relative to the working directory (where outputs go).
    pub fn load(path: impl AsRef<Path>) -> Result<Config> {
        let path = path.as_ref();
        let mut cfg: Config = crate::io::read_yaml(path)?;
        cfg.validate().map_err(|m| Error::in_file(path, m))?;
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let folder = std::path::absolute(folder).map_err(|e| Error::in_file(path, e))?;
        for p in [cfg.dataset.path.as_mut(), cfg.library.as_mut()]
            .into_iter()
            .flatten()
        {
            if p.is_relative() {
                *p = folder.join(&*p);
            }
        }
        Ok(cfg)
    }

    /// Parse from YAML text (no file name in errors).
    pub fn from_yaml(text: &str) -> Result<Config> {
        let cfg: Config = serde_yaml_ng::from_str(text)
            .map_err(|e| Error::input(crate::io::one_line(&e.to_string())))?;
        cfg.validate().map_err(Error::input)?;
        Ok(cfg)
    }

    /// Value checks serde cannot express; the message names the key.
    pub fn validate(&self) -> std::result::Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("name: must not be empty".into());
        }
        if self.dataset.kind != DatasetKind::Digits
            && self.dataset.kind.default_path().is_none()
            && self.dataset.path.is_none()
        {
            return Err(format!(
                "dataset.path: required for {}",
                self.dataset.kind.name()
            ));
        }
        if self
            .assign
            .max_accuracy_drop
            .is_some_and(|d| d.is_nan() || d < 0.0)
        {
            return Err(
                "assign.max_accuracy_drop: must be a number >= 0 (percentage points)".into(),
            );
        }
        if let Some(bad) = self.sweep.iter().find(|l| !(l.is_finite() && **l >= 0.0)) {
            return Err(format!(
                "sweep: {bad} is not a lambda (a finite number >= 0)"
            ));
        }
        if !(self.assign.margin_z >= 0.0 && self.assign.margin_z.is_finite()) {
            return Err("assign.margin_z: must be a finite number >= 0".into());
        }
        if self.dataset.validation_images == Some(0) && self.assign.max_accuracy_drop.is_some() {
            return Err(
                "dataset.validation_images: the accuracy budget (assign.max_accuracy_drop) needs at least 1"
                    .into(),
            );
        }
        if self.dataset.train_images == Some(0) {
            return Err("dataset.train_images: must be at least 1".into());
        }
        let mut stages = vec![
            ("baseline", &self.stages.baseline),
            ("qat", &self.stages.qat),
            ("agn", &self.stages.agn),
        ];
        if let Some(r) = &self.stages.retrain {
            stages.push(("retrain", r));
        }
        for (name, s) in stages {
            let key = |k: &str| format!("stages.{name}.{k}");
            if !(s.lr > 0.0 && s.lr.is_finite()) {
                return Err(format!(
                    "{}: must be a positive number, got {}",
                    key("lr"),
                    s.lr
                ));
            }
            if s.batch_size == 0 {
                return Err(format!("{}: must be at least 1", key("batch_size")));
            }
            if !(0.0..1.0).contains(&s.momentum) {
                return Err(format!(
                    "{}: must be in [0, 1), got {}",
                    key("momentum"),
                    s.momentum
                ));
            }
            if !(s.weight_decay >= 0.0 && s.weight_decay.is_finite()) {
                return Err(format!(
                    "{}: must be >= 0, got {}",
                    key("weight_decay"),
                    s.weight_decay
                ));
            }
            if !(s.lr_gamma > 0.0 && s.lr_gamma <= 1.0) {
                return Err(format!(
                    "{}: must be in (0, 1], got {}",
                    key("lr_gamma"),
                    s.lr_gamma
                ));
            }
            if s.lr_steps.windows(2).any(|w| w[0] >= w[1]) {
                return Err(format!(
                    "{}: must be increasing, got {:?}",
                    key("lr_steps"),
                    s.lr_steps
                ));
            }
        }
        let a = &self.agn;
        if !(a.lambda >= 0.0 && a.lambda.is_finite()) {
            return Err(format!("agn.lambda: must be >= 0, got {}", a.lambda));
        }
        if !(a.sigma_max > 0.0 && a.sigma_max.is_finite()) {
            return Err(format!(
                "agn.sigma_max: must be positive, got {}",
                a.sigma_max
            ));
        }
        if !(a.sigma_init >= 0.0 && a.sigma_init <= a.sigma_max) {
            return Err(format!(
                "agn.sigma_init: must be in [0, sigma_max], got {}",
                a.sigma_init
            ));
        }
        if self.calibration.images == 0 || self.calibration.samples == 0 {
            return Err("calibration.images / calibration.samples: must be at least 1".into());
        }
        if let Some(s) = &self.slurm {
            s.validate()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: &str = "name: t\ndataset: {kind: digits}\nmodel: digits_cnn\nout: runs/t\nstages:\n  baseline: {epochs: 2, lr: 0.1}\n  qat: {epochs: 1, lr: 0.01}\n  agn: {epochs: 1, lr: 0.1}\n";

    #[test]
    fn defaults() {
        let c = Config::from_yaml(MIN).unwrap();
        assert_eq!(
            c.agn,
            AgnConfig {
                lambda: 0.2,
                sigma_init: 0.1,
                sigma_max: 0.5
            }
        );
        assert_eq!(
            c.calibration,
            CalibrationConfig {
                images: 128,
                samples: 512
            }
        );
        assert_eq!(c.multipliers, Signedness::Unsigned);
        assert_eq!(c.stages.baseline.batch_size, 128);
        assert!(!c.dataset.augment());
    }

    /// Input paths in a config are the config file's, wherever `codesign`
    /// runs; `out` stays as written (relative to the working directory).
    #[test]
    fn relative_input_paths_follow_the_config_file() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("configs");
        std::fs::create_dir(&dir).unwrap();
        let text = MIN.replace(
            "dataset: {kind: digits}",
            "dataset: {kind: mnist, path: ../data/mnist}\nlibrary: lib",
        );
        std::fs::write(dir.join("c.yaml"), &text).unwrap();
        let c = Config::load(dir.join("c.yaml")).unwrap();
        assert_eq!(c.dataset.path, Some(dir.join("../data/mnist")));
        assert_eq!(c.library, Some(dir.join("lib")));
        assert_eq!(c.out, Path::new("runs/t"));
        let text = text.replace("../data/mnist", "/srv/mnist");
        std::fs::write(dir.join("c.yaml"), text).unwrap();
        let c = Config::load(dir.join("c.yaml")).unwrap();
        assert_eq!(c.dataset.path, Some(PathBuf::from("/srv/mnist")));
    }

    #[test]
    fn unknown_key_is_named() {
        let e = Config::from_yaml(&format!("{MIN}colour: red\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("colour"), "{e}");
        let e = Config::from_yaml(&MIN.replace("lr: 0.01", "lr: 0.01, epoch: 3"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("epoch"), "{e}");
        let e = Config::from_yaml(&MIN.replace("digits_cnn", "resnet9"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("resnet9"), "{e}");
    }

    #[test]
    fn bad_values_are_named() {
        let e = Config::from_yaml(&MIN.replace("lr: 0.01", "lr: -1"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("stages.qat.lr"), "{e}");
        let e = Config::from_yaml(&MIN.replace("kind: digits", "kind: cifar10"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("dataset.path"), "{e}");
        let e =
            Config::from_yaml(&MIN.replace("{kind: digits}", "{kind: digits, train_images: 0}"))
                .unwrap_err()
                .to_string();
        assert!(e.contains("dataset.train_images"), "{e}");
        let c =
            Config::from_yaml(&MIN.replace("{kind: digits}", "{kind: digits, train_images: 100}"))
                .unwrap();
        let split = c.dataset.load().unwrap();
        assert_eq!(split.train.len(), 100);
        // Digits: 1,437 training images, a tenth held out for validation,
        // disjoint from the images trained on.
        assert_eq!(split.validation.len(), 143);
        let full = crate::data::digits().unwrap().train;
        assert_eq!(split.validation.images, full.images[(1437 - 143) * 64..]);
        assert_eq!(split.train.images, full.images[..100 * 64]);
        assert!(Config::from_yaml(&MIN.replace("kind: digits", "kind: fashion_mnist")).is_ok());
        let e = Config::from_yaml(&format!("{MIN}agn: {{sigma_init: 0.9}}\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("agn.sigma_init"), "{e}");
    }

    #[test]
    fn lr_schedule() {
        let s = StageConfig {
            epochs: 180,
            lr: 0.1,
            batch_size: 128,
            momentum: 0.9,
            weight_decay: 1e-4,
            lr_steps: vec![90, 135],
            lr_gamma: 0.1,
        };
        assert_eq!(s.lr_at(0), 0.1);
        assert!((s.lr_at(90) - 0.01).abs() < 1e-12);
        assert!((s.lr_at(179) - 0.001).abs() < 1e-12);
    }

    #[test]
    fn shipped_configs_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("configs");
        let mut n = 0;
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "yaml") {
                Config::load(&p).unwrap_or_else(|e| panic!("{e}"));
                n += 1;
            }
        }
        assert!(n >= 5);
    }
}
