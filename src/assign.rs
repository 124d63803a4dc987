//! Multiplier assignment: per layer, the lowest-energy multiplier whose
//! predicted error stays within the learned tolerance. Reads only the error
//! model's predictions and the library's costs.
//! Stored as `assignment.yaml`. [`repair`] then moves layers to more
//! accurate multipliers until the bit-exact validation accuracy meets a
//! budget.

pub mod repair;

use crate::calib::{mac_views, Calibration, MacView};
use crate::errmap::ErrorMap;
use crate::errmodel::{predict_all, Candidate, PairPrediction};
use crate::error::{Error, Result};
use crate::intnet::IntNetwork;
use crate::library::Library;
use crate::sidecar::Sidecar;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The choice for one layer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerChoice {
    /// Layer name.
    pub layer: String,
    /// Library design id.
    pub multiplier: String,
    /// Predicted standard deviation of the error at the layer output
    /// (accumulator units).
    pub predicted_std: f64,
    /// `sigma_l * std(y_l)`.
    pub tolerance: f64,
    /// Multiply-accumulates of the layer per inference.
    pub macs: u64,
    /// Energy per multiplication relative to the exact multiplier.
    pub energy_rel: f64,
    /// Per output channel, added to the layer's integer bias to cancel the
    /// multiplier's systematic error (per-channel model only; empty means
    /// no correction). Eval, retraining and the RTL add it to `bias`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bias_correction: Vec<i32>,
}

/// A whole assignment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// Library directory the ids refer to.
    pub library: String,
    /// `population` or `per-channel`.
    pub model: String,
    /// The choice per multiplying layer, in network order.
    pub layers: Vec<LayerChoice>,
    /// `sum_l (macs_l / macs_total) * E(M_l) / E(exact)`.
    pub relative_energy: f64,
    /// The accuracy-budget repair that moved layers away from the error
    /// model's choice (absent: no repair ran).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repair: Option<repair::Repair>,
}

/// Which error model drives the assignment.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Model {
    /// The paper's model: weights drawn from the layer's histogram.
    Population,
    /// Each channel's own weights, systematic error compensated in the bias.
    PerChannel,
    /// Per channel, evaluated on the sampled receptive fields themselves.
    Sampled,
}

impl Model {
    /// This model's predicted error std of a (layer, multiplier) pair
    /// (accumulator units; infinite where the model has no prediction).
    pub fn predicted_std(self, pred: &PairPrediction) -> f64 {
        match self {
            Model::Population => pred.population,
            Model::PerChannel => pred.per_channel,
            Model::Sampled => pred.sampled.unwrap_or(f64::INFINITY),
        }
    }

    /// The name assignment files use.
    pub fn name(self) -> &'static str {
        match self {
            Model::Population => "population",
            Model::PerChannel => "per-channel",
            Model::Sampled => "sampled",
        }
    }
}

impl std::str::FromStr for Model {
    type Err = Error;
    fn from_str(s: &str) -> Result<Model> {
        match s {
            "population" => Ok(Model::Population),
            "per-channel" => Ok(Model::PerChannel),
            "sampled" => Ok(Model::Sampled),
            _ => Err(Error::input(format!(
                "unknown error model '{s}' (expected population, per-channel or sampled)"
            ))),
        }
    }
}

/// The library's designs of the network's signedness, with their error
/// tables. Errors if there are none or none of them is exact.
pub fn candidates(lib: &Library, signed: bool) -> Result<Vec<Candidate>> {
    candidates_by(lib, signed, CostColumn::Energy)
}

/// Which library figure the assignment minimizes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CostColumn {
    /// `cost.energy_rel`, the switching-energy model (relative to exact).
    Energy,
    /// The published 45 nm power (`published.PDK45_PWR`, EvoApprox
    /// headers), relative to the exact multiplier's published power, as
    /// the paper assigns.
    PublishedPower,
}

/// [`candidates`] with the relative cost taken from `column`. With
/// [`CostColumn::PublishedPower`] an exact entry must carry the published
/// power (else an error); entries without it keep `cost.energy_rel`.
pub fn candidates_by(lib: &Library, signed: bool, column: CostColumn) -> Result<Vec<Candidate>> {
    let mut cands = candidates_energy(lib, signed)?;
    if column == CostColumn::PublishedPower {
        let key = crate::library::evoapprox::POWER;
        let power = |id: &str| {
            lib.entry(id)
                .and_then(|e| e.published.get(key).copied())
                .filter(|p| *p > 0.0)
        };
        let reference = cands
            .iter()
            .filter(|c| c.table.is_exact())
            .find_map(|c| power(&c.id))
            .ok_or_else(|| {
                Error::input(format!(
                    "library {}: --cost published-power needs an exact multiplier with a published {key} (import EvoApprox's exact one too)",
                    lib.dir.display()
                ))
            })?;
        // Designs without a header keep the energy model's figure.
        for c in &mut cands {
            if let Some(p) = power(&c.id) {
                c.energy_rel = p / reference;
            }
        }
    }
    Ok(cands)
}

fn candidates_energy(lib: &Library, signed: bool) -> Result<Vec<Candidate>> {
    let kind = if signed {
        "signed (two's complement)"
    } else {
        "unsigned (sign-magnitude)"
    };
    let entries: Vec<_> = lib.entries.iter().filter(|e| e.signed == signed).collect();
    if entries.is_empty() {
        return Err(Error::input(format!(
            "library {}: no {kind} multipliers, but the network uses {kind} multiplication",
            lib.dir.display()
        )));
    }
    let cands: Vec<Candidate> = entries
        .par_iter()
        .map(|e| {
            Ok(Candidate::new(
                e.id.clone(),
                e.cost.energy_rel,
                &lib.error_map(&e.id)?,
            ))
        })
        .collect::<Result<_>>()?;
    if !cands.iter().any(|c| c.table.is_exact()) {
        return Err(Error::input(format!(
            "library {}: no exact {kind} multiplier",
            lib.dir.display()
        )));
    }
    Ok(cands)
}

/// Learned `|sigma_l|` per multiplying layer, by name; every layer of the
/// network must be in the sidecar and every sidecar layer in the network.
pub fn sigmas(sidecar: &Sidecar, views: &[MacView], what: &str) -> Result<Vec<f64>> {
    let by_name: HashMap<&str, f64> = sidecar
        .layers
        .iter()
        .map(|l| (l.name.as_str(), l.sigma))
        .collect();
    if let Some(extra) = sidecar
        .layers
        .iter()
        .find(|l| !views.iter().any(|v| v.name == l.name))
    {
        return Err(Error::input(format!(
            "{what}: layer '{}' is not a multiplying layer of the network",
            extra.name
        )));
    }
    views
        .iter()
        .map(|v| match by_name.get(v.name) {
            Some(s) if s.is_finite() => Ok(s.abs()),
            Some(s) => Err(Error::input(format!(
                "{what}: layer '{}': sigma {s} is not finite",
                v.name
            ))),
            None => Err(Error::input(format!(
                "{what}: no sigma for layer '{}'",
                v.name
            ))),
        })
        .collect()
}

/// The assignment from precomputed predictions: per layer the feasible
/// candidate (`predicted <= sigma_l * y_std`) of lowest energy, ties broken
/// by lower predicted error, then by id.
pub fn choose(
    calib: &Calibration,
    views: &[MacView],
    sigmas: &[f64],
    cands: &[Candidate],
    preds: &[Vec<PairPrediction>],
    model: Model,
    library: &str,
) -> Result<Assignment> {
    if model == Model::Sampled && calib.layers.iter().any(|l| l.fields.is_empty()) {
        return Err(Error::input(
            "the sampled model needs a calibration with receptive fields (recalibrate)",
        ));
    }
    let mut layers = Vec::new();
    for (l, v) in views.iter().enumerate() {
        let tolerance = sigmas[l] * calib.layers[l].y_std;
        let std_of = |c: usize| model.predicted_std(&preds[l][c]);
        let best = (0..cands.len())
            .filter(|&c| std_of(c) <= tolerance || cands[c].table.is_exact())
            .min_by(|&a, &b| {
                cands[a]
                    .energy_rel
                    .total_cmp(&cands[b].energy_rel)
                    .then(std_of(a).total_cmp(&std_of(b)))
                    .then(cands[a].id.cmp(&cands[b].id))
            })
            .ok_or_else(|| Error::input("no exact multiplier among the candidates"))?;
        layers.push(LayerChoice::new(
            v,
            &cands[best],
            &preds[l][best],
            model,
            tolerance,
        ));
    }
    let mut a = Assignment {
        library: library.to_string(),
        model: model.name().to_string(),
        layers,
        relative_energy: 1.0,
        repair: None,
    };
    a.update_energy();
    Ok(a)
}

impl LayerChoice {
    /// Layer `view` on candidate `cand`, with `model`'s prediction `pred`
    /// and bias correction (none when every channel's correction is 0).
    pub fn new(
        view: &MacView,
        cand: &Candidate,
        pred: &PairPrediction,
        model: Model,
        tolerance: f64,
    ) -> LayerChoice {
        let correction = match model {
            Model::Population => &[][..],
            Model::PerChannel => &pred.bias_correction[..],
            Model::Sampled => &pred.sampled_correction[..],
        };
        LayerChoice {
            layer: view.name.to_string(),
            multiplier: cand.id.clone(),
            predicted_std: model.predicted_std(pred),
            tolerance,
            macs: view.macs(),
            energy_rel: cand.energy_rel,
            bias_correction: if correction.iter().any(|&r| r != 0) {
                correction.to_vec()
            } else {
                Vec::new()
            },
        }
    }
}

/// Assign every multiplying layer of `net` a design of `lib` with the given
/// error model. `calib` is checked against `net`; `sidecar` gives the
/// learned `sigma_l`.
pub fn assign(
    calib: &Calibration,
    net: &IntNetwork,
    sidecar: &Sidecar,
    lib: &Library,
    model: Model,
) -> Result<Assignment> {
    calib.check(net, "calibration")?;
    let views = mac_views(net)?;
    let sig = sigmas(sidecar, &views, "sidecar")?;
    let cands = candidates(lib, net.signed)?;
    let preds = predict_all(calib, &views, &cands);
    choose(
        calib,
        &views,
        &sig,
        &cands,
        &preds,
        model,
        &lib.dir.display().to_string(),
    )
}

impl Assignment {
    /// The error model's own choice before the accuracy-budget repair
    /// (the assignment itself when no repair ran).
    pub fn paper_choice(&self) -> Assignment {
        match &self.repair {
            Some(r) => {
                let mut a = Assignment {
                    layers: r.paper_layers.clone(),
                    repair: None,
                    ..self.clone()
                };
                a.update_energy();
                a
            }
            None => self.clone(),
        }
    }

    /// Recompute `relative_energy` from the layers.
    pub fn update_energy(&mut self) {
        let total: u64 = self.layers.iter().map(|c| c.macs).sum();
        self.relative_energy = if total == 0 {
            1.0
        } else {
            self.layers
                .iter()
                .map(|c| c.macs as f64 / total as f64 * c.energy_rel)
                .sum()
        };
    }

    /// Read `assignment.yaml` and check what can be checked without the
    /// network and library: a known model, unique layers, sane numbers.
    pub fn load(path: impl AsRef<Path>) -> Result<Assignment> {
        let path = path.as_ref();
        let a: Assignment = crate::io::read_yaml(path)?;
        a.model
            .parse::<Model>()
            .map_err(|e| Error::in_file(path, format!("model: {e}")))?;
        if a.layers.is_empty() {
            return Err(Error::in_file(path, "layers: empty"));
        }
        for (i, c) in a.layers.iter().enumerate() {
            if a.layers[..i].iter().any(|p| p.layer == c.layer) {
                return Err(Error::in_file(
                    path,
                    format!("layer '{}' is assigned twice", c.layer),
                ));
            }
            if c.multiplier.is_empty() {
                return Err(Error::in_file(
                    path,
                    format!("layer '{}': empty multiplier", c.layer),
                ));
            }
            for (field, v) in [
                ("predicted_std", c.predicted_std),
                ("tolerance", c.tolerance),
                ("energy_rel", c.energy_rel),
            ] {
                if !v.is_finite() || v < 0.0 {
                    return Err(Error::in_file(
                        path,
                        format!(
                            "layer '{}': {field} {v} is not a finite non-negative number",
                            c.layer
                        ),
                    ));
                }
            }
        }
        Ok(a)
    }

    /// Check against the network and library: every multiplying layer is
    /// assigned exactly once, no unknown layers, every multiplier is in the
    /// library with the network's signedness, corrections fit the channels.
    pub fn check(&self, net: &IntNetwork, lib: &Library, what: &str) -> Result<()> {
        let views = mac_views(net)?;
        for c in &self.layers {
            let Some(v) = views.iter().find(|v| v.name == c.layer) else {
                return Err(Error::input(format!(
                    "{what}: unknown layer '{}' (not a multiplying layer of the network)",
                    c.layer
                )));
            };
            let Some(e) = lib.entry(&c.multiplier) else {
                return Err(Error::input(format!(
                    "{what}: layer '{}': unknown multiplier '{}' (not in library {})",
                    c.layer,
                    c.multiplier,
                    lib.dir.display()
                )));
            };
            if e.signed != net.signed {
                let s = |b: bool| if b { "signed" } else { "unsigned" };
                return Err(Error::input(format!(
                    "{what}: layer '{}': multiplier '{}' is {} but the network is {}",
                    c.layer,
                    c.multiplier,
                    s(e.signed),
                    s(net.signed)
                )));
            }
            if !c.bias_correction.is_empty() && c.bias_correction.len() != v.layer.out_ch {
                return Err(Error::input(format!(
                    "{what}: layer '{}': {} bias corrections for {} output channels",
                    c.layer,
                    c.bias_correction.len(),
                    v.layer.out_ch
                )));
            }
        }
        if let Some(v) = views
            .iter()
            .find(|v| !self.layers.iter().any(|c| c.layer == v.name))
        {
            return Err(Error::input(format!(
                "{what}: layer '{}' has no multiplier",
                v.name
            )));
        }
        Ok(())
    }

    /// Add the bias corrections to `net`'s biases (what eval, retraining
    /// and the RTL must do for a per-channel or sampled assignment); runs
    /// [`Assignment::check`] first.
    pub fn apply_bias_corrections(&self, net: &mut IntNetwork, lib: &Library) -> Result<()> {
        self.check(net, lib, "assignment")?;
        for node in &mut net.nodes {
            if let crate::intnet::Op::Conv(l) | crate::intnet::Op::Linear(l) = &mut node.op {
                let c = self
                    .layers
                    .iter()
                    .find(|c| c.layer == node.name)
                    .expect("checked");
                for (b, r) in l.bias.iter_mut().zip(&c.bias_correction) {
                    *b = b.checked_add(*r).ok_or_else(|| {
                        Error::input(format!(
                            "layer '{}': bias correction overflows the bias",
                            node.name
                        ))
                    })?;
                }
            }
        }
        Ok(())
    }

    /// The choice for layer `name`.
    pub fn layer(&self, name: &str) -> Option<&LayerChoice> {
        self.layers.iter().find(|c| c.layer == name)
    }

    /// Error maps and bias corrections (one per output channel, zeros if
    /// none) for every multiplying layer of `net`, in
    /// [`IntNetwork::mac_layers`] order; runs [`Assignment::check`] first.
    pub fn layer_maps(&self, net: &IntNetwork, lib: &Library) -> Result<Vec<(ErrorMap, Vec<i32>)>> {
        self.check(net, lib, "assignment")?;
        mac_views(net)?
            .iter()
            .map(|v| {
                let c = self.layer(v.name).expect("checked");
                let corr = if c.bias_correction.is_empty() {
                    vec![0; v.layer.out_ch]
                } else {
                    c.bias_correction.clone()
                };
                Ok((lib.error_map(&c.multiplier)?, corr))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calib::calibrate_with;
    use crate::calib::tests::{toy_images, toy_net, toy_trace};
    use crate::library::{Cost, Entry};
    use crate::sidecar::LayerInfo;

    /// Exact plus operand-truncation designs dropping `k` low bits of the
    /// activation; fewer bits, less energy (a made-up but monotone cost).
    fn cands() -> Vec<Candidate> {
        (0..6)
            .map(|k| {
                let map = ErrorMap::from_fn(false, |a, b| ((a >> k) << k) * b);
                Candidate::new(format!("trunc{k}"), 1.0 - 0.1 * k as f64, &map)
            })
            .collect()
    }

    fn sidecar(sigmas: &[(&str, f64)]) -> Sidecar {
        Sidecar {
            stage: "agn".into(),
            model: "toy".into(),
            dataset: "toy".into(),
            seed: 1,
            epochs: 1,
            test_accuracy: 0.5,
            lambda: 0.2,
            layers: sigmas
                .iter()
                .map(|&(n, s)| LayerInfo {
                    name: n.into(),
                    kind: "conv".into(),
                    shape: vec![],
                    macs: 0,
                    sigma: s,
                    quant: None,
                })
                .collect(),
        }
    }

    fn setup() -> (IntNetwork, Calibration) {
        let net = toy_net();
        let cal = calibrate_with(&net, &toy_images(8), 8, 64, 2, |i| toy_trace(&net, i)).unwrap();
        (net, cal)
    }

    #[test]
    fn picks_cheapest_feasible() {
        let (net, cal) = setup();
        let views = mac_views(&net).unwrap();
        let cands = cands();
        let preds = predict_all(&cal, &views, &cands);
        for model in [Model::Population, Model::PerChannel] {
            let mut last = f64::INFINITY;
            let mut seen = std::collections::BTreeSet::new();
            for sigma in [0.0, 0.001, 0.01, 0.03, 0.1, 0.3, 10.0] {
                let sig =
                    sigmas(&sidecar(&[("conv1", sigma), ("fc", -sigma)]), &views, "s").unwrap();
                let a = choose(&cal, &views, &sig, &cands, &preds, model, "lib").unwrap();
                for (l, c) in a.layers.iter().enumerate() {
                    let std_of = |p: &PairPrediction| {
                        if model == Model::Population {
                            p.population
                        } else {
                            p.per_channel
                        }
                    };
                    // Independent check: feasible, and nothing cheaper is.
                    let i = cands.iter().position(|k| k.id == c.multiplier).unwrap();
                    assert!(std_of(&preds[l][i]) <= c.tolerance);
                    assert!((c.tolerance - sigma * cal.layers[l].y_std).abs() < 1e-12);
                    for (j, k) in cands.iter().enumerate() {
                        if k.energy_rel < c.energy_rel {
                            assert!(
                                std_of(&preds[l][j]) > c.tolerance,
                                "{} was cheaper and feasible",
                                k.id
                            );
                        }
                    }
                }
                if sigma == 0.0 {
                    assert!(a.layers.iter().all(|c| c.multiplier == "trunc0"));
                    assert_eq!(a.relative_energy, 1.0);
                }
                if sigma == 10.0 {
                    assert!(a.layers.iter().all(|c| c.multiplier == "trunc5"));
                }
                let total: u64 = a.layers.iter().map(|c| c.macs).sum();
                assert_eq!(total, 2 * 36 * 9 + 3 * 72);
                assert!(a.relative_energy <= last + 1e-12);
                last = a.relative_energy;
                seen.extend(a.layers.iter().map(|c| c.multiplier.clone()));
            }
            assert!(seen.len() >= 4, "{model:?}: only {seen:?} chosen");
        }
    }

    #[test]
    fn per_channel_carries_bias_corrections() {
        let (net, cal) = setup();
        let views = mac_views(&net).unwrap();
        let cands = cands();
        let preds = predict_all(&cal, &views, &cands);
        let sig = sigmas(&sidecar(&[("conv1", 10.0), ("fc", 10.0)]), &views, "s").unwrap();
        let a = choose(&cal, &views, &sig, &cands, &preds, Model::PerChannel, "lib").unwrap();
        // Truncating the activation always lowers |product|: the systematic
        // error is nonzero and the corrections have one entry per channel.
        assert_eq!(a.layers[0].bias_correction.len(), 2);
        assert_eq!(a.layers[1].bias_correction.len(), 3);
        let p = choose(&cal, &views, &sig, &cands, &preds, Model::Population, "lib").unwrap();
        assert!(p.layers.iter().all(|c| c.bias_correction.is_empty()));
    }

    #[test]
    fn sidecar_mismatch_is_named() {
        let (net, _) = setup();
        let views = mac_views(&net).unwrap();
        let e = sigmas(&sidecar(&[("conv1", 0.1)]), &views, "agn.yaml")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "agn.yaml: no sigma for layer 'fc'");
        let e = sigmas(
            &sidecar(&[("conv1", 0.1), ("fc", 0.1), ("conv9", 0.1)]),
            &views,
            "agn.yaml",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "agn.yaml: layer 'conv9' is not a multiplying layer of the network"
        );
    }

    fn lib(signed: bool) -> Library {
        let entry = |id: &str| Entry {
            id: id.into(),
            family: "test".into(),
            params: String::new(),
            signed,
            metrics: Default::default(),
            cost: Cost {
                gates: 1,
                area_ge: 1.0,
                energy_rel: 1.0,
                ..Default::default()
            },
            published: Default::default(),
        };
        Library {
            dir: "lib".into(),
            entries: vec![entry("exact"), entry("trunc2")],
        }
    }

    fn assignment() -> Assignment {
        let choice = |l: &str| LayerChoice {
            layer: l.into(),
            multiplier: "trunc2".into(),
            predicted_std: 1.0,
            tolerance: 2.0,
            macs: 10,
            energy_rel: 0.5,
            bias_correction: vec![],
        };
        Assignment {
            library: "lib".into(),
            model: "population".into(),
            layers: vec![choice("conv1"), choice("fc")],
            relative_energy: 0.5,
            repair: None,
        }
    }

    #[test]
    fn check_names_unknown_things() {
        let net = toy_net();
        assert!(assignment().check(&net, &lib(false), "a.yaml").is_ok());
        let e = assignment()
            .check(&net, &lib(true), "a.yaml")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "a.yaml: layer 'conv1': multiplier 'trunc2' is signed but the network is unsigned"
        );
        let mut a = assignment();
        a.layers[1].multiplier = "drum9".into();
        let e = a
            .check(&net, &lib(false), "a.yaml")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "a.yaml: layer 'fc': unknown multiplier 'drum9' (not in library lib)"
        );
        let mut a = assignment();
        a.layers[1].layer = "fc7".into();
        let e = a
            .check(&net, &lib(false), "a.yaml")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "a.yaml: unknown layer 'fc7' (not a multiplying layer of the network)"
        );
        let mut a = assignment();
        a.layers.pop();
        let e = a
            .check(&net, &lib(false), "a.yaml")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "a.yaml: layer 'fc' has no multiplier");
        let mut a = assignment();
        a.layers[0].bias_correction = vec![5, -7];
        let mut corrected = net.clone();
        a.apply_bias_corrections(&mut corrected, &lib(false))
            .unwrap();
        let bias = |n: &IntNetwork, i: usize| match &n.nodes[i].op {
            crate::intnet::Op::Conv(l) | crate::intnet::Op::Linear(l) => l.bias.clone(),
            _ => unreachable!(),
        };
        let b0 = bias(&net, 0);
        assert_eq!(bias(&corrected, 0), vec![b0[0] + 5, b0[1] - 7]);
        assert_eq!(bias(&corrected, 2), bias(&net, 2));
        let mut a = assignment();
        a.layers[0].bias_correction = vec![1, 2, 3];
        let e = a
            .check(&net, &lib(false), "a.yaml")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "a.yaml: layer 'conv1': 3 bias corrections for 2 output channels"
        );
    }

    #[test]
    fn load_round_trips_and_rejects_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("assignment.yaml");
        crate::io::write_yaml(&p, &assignment()).unwrap();
        assert_eq!(Assignment::load(&p).unwrap(), assignment());
        let mut a = assignment();
        a.model = "magic".into();
        crate::io::write_yaml(&p, &a).unwrap();
        let e = Assignment::load(&p).unwrap_err().to_string();
        assert!(e.contains("model: unknown error model 'magic'"), "{e}");
        let mut a = assignment();
        a.layers[1].layer = "conv1".into();
        crate::io::write_yaml(&p, &a).unwrap();
        assert!(Assignment::load(&p)
            .unwrap_err()
            .to_string()
            .contains("layer 'conv1' is assigned twice"));
        let text = serde_yaml_ng::to_string(&assignment())
            .unwrap()
            .replace("macs: 10", "macs: 10\n  colour: red");
        std::fs::write(&p, text).unwrap();
        let e = Assignment::load(&p).unwrap_err().to_string();
        assert!(
            e.contains("assignment.yaml:") && e.contains("colour"),
            "{e}"
        );
    }
}
