//! Accuracy-budget repair of an assignment (beyond the paper): the error
//! model's choice keeps each layer's *predicted* error within its learned
//! tolerance, but nothing bounds the accuracy of the whole network before
//! retraining (digits: 98.6 % exact, 53.6 % with the model's choice). A user
//! who cannot retrain (a fixed deployed model, ALWANN's setting) needs a
//! network that keeps its accuracy, so:
//!
//! 1. **Repair**: while the bit-exact accuracy on held-out validation images
//!    is more than `max_accuracy_drop` points below the exact integer
//!    network's, move one layer to a more accurate multiplier: for each
//!    layer, the cheapest candidate with a lower predicted error; of those
//!    moves, the one that removes the most predicted relative error
//!    (`(std_from - std_to) / std(y)`) per unit of relative network energy
//!    added. Every step lowers that layer's predicted error; the loop ends at
//!    the budget or with every layer on a zero-error multiplier.
//! 2. **Trim**: where the accuracy has room, try, layer by layer from the
//!    most multiplications down, the most accurate candidate cheaper than
//!    the layer's current one; keep it when the budget still holds.
//!
//! Every step is recorded ([`Repair`]) in `assignment.yaml`.

use super::{Assignment, LayerChoice, Model};
use crate::calib::MacView;
use crate::data::Dataset;
use crate::errmodel::{Candidate, PairPrediction};
use crate::error::Result;
use crate::intnet::sim::{ProductTable, Simulator};
use crate::intnet::IntNetwork;
use crate::library::Library;
use serde::{Deserialize, Serialize};

/// One move of one layer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepairStep {
    /// `repair` (to a more accurate multiplier) or `trim` (to a cheaper one).
    pub kind: String,
    /// Layer moved.
    pub layer: String,
    /// Multiplier ids before and after.
    pub from: String,
    /// Multiplier id after the move.
    pub to: String,
    /// Predicted error std before and after (accumulator units).
    pub predicted_std_from: f64,
    /// Predicted error std after the move (accumulator units).
    pub predicted_std_to: f64,
    /// Validation top-1 (share, 0..=1) with the move applied.
    pub validation_accuracy: f64,
    /// Network relative multiplication energy with the move applied.
    pub relative_energy: f64,
    /// Whether the move was kept (a trim that breaks the budget is undone).
    pub kept: bool,
}

/// What the repair did, stored in `assignment.yaml` under `repair`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repair {
    /// The budget: allowed top-1 drop below the exact integer network, in
    /// percentage points, on the validation images.
    pub max_accuracy_drop: f64,
    /// Images of the validation split (held out of the training split
    /// before training, `dataset.validation_images`) the budget is checked on.
    pub validation_images: usize,
    /// Validation top-1 of the exact integer network.
    pub exact_accuracy: f64,
    /// Validation top-1 and relative energy of the error model's choice.
    pub paper_accuracy: f64,
    /// Relative multiplication energy of the error model's choice.
    pub paper_relative_energy: f64,
    /// The error model's choice, per layer (what `codesign eval --paper`
    /// evaluates).
    pub paper_layers: Vec<LayerChoice>,
    /// Validation top-1 of the final assignment.
    pub accuracy: f64,
    /// The final assignment is within the budget.
    pub met: bool,
    /// Every move tried, in order.
    pub steps: Vec<RepairStep>,
}

/// The network, candidates and predictions the repair moves between.
pub struct Problem<'a> {
    /// The integer network.
    pub net: &'a IntNetwork,
    /// The multiplier library.
    pub lib: &'a Library,
    /// Multiplying layers, in network order.
    pub views: &'a [MacView<'a>],
    /// Candidate multipliers (indexes of the `preds` inner vectors).
    pub cands: &'a [Candidate],
    /// `[layer][candidate]`, as [`crate::errmodel::predict_all`] gives them.
    pub preds: &'a [Vec<PairPrediction>],
    /// Error model the predictions come from.
    pub model: Model,
    /// Per layer, `std(y)` of the exact accumulators (calibration).
    pub y_std: &'a [f64],
}

impl Problem<'_> {
    /// Bit-exact top-1 of `a` on `data` (bias corrections applied).
    fn accuracy(&self, a: &Assignment, data: &Dataset) -> Result<f64> {
        let mut net = self.net.clone();
        a.apply_bias_corrections(&mut net, self.lib)?;
        let tables = a
            .layers
            .iter()
            .map(|c| Ok(ProductTable::new(&self.lib.error_map(&c.multiplier)?)))
            .collect::<Result<Vec<_>>>()?;
        Ok(Simulator::new(&net, tables)?.evaluate(data)?.top1)
    }

    fn std(&self, l: usize, c: usize) -> f64 {
        self.model.predicted_std(&self.preds[l][c])
    }

    fn index(&self, id: &str) -> usize {
        self.cands
            .iter()
            .position(|c| c.id == id)
            .expect("assignment from these candidates")
    }

    /// The repair move of layer `l` (currently on candidate `cur`): the
    /// cheapest candidate with a lower predicted error (ties: lower error).
    fn more_accurate(&self, l: usize, cur: usize) -> Option<usize> {
        let now = self.std(l, cur);
        (0..self.cands.len())
            .filter(|&c| self.std(l, c) < now)
            .min_by(|&a, &b| {
                let (ca, cb) = (&self.cands[a], &self.cands[b]);
                ca.energy_rel
                    .total_cmp(&cb.energy_rel)
                    .then(self.std(l, a).total_cmp(&self.std(l, b)))
                    .then(ca.id.cmp(&cb.id))
            })
    }

    /// The trim move of layer `l`: the most accurate candidate cheaper than
    /// `cur` (ties: cheaper).
    fn cheaper(&self, l: usize, cur: usize) -> Option<usize> {
        let e = self.cands[cur].energy_rel;
        (0..self.cands.len())
            .filter(|&c| self.cands[c].energy_rel < e)
            .min_by(|&a, &b| {
                let (ca, cb) = (&self.cands[a], &self.cands[b]);
                self.std(l, a)
                    .total_cmp(&self.std(l, b))
                    .then(ca.energy_rel.total_cmp(&cb.energy_rel))
                    .then(ca.id.cmp(&cb.id))
            })
    }

    /// Put layer `l` of `a` on candidate `c`.
    fn set(&self, a: &mut Assignment, l: usize, c: usize) {
        let tolerance = a.layers[l].tolerance;
        a.layers[l] = LayerChoice::new(
            &self.views[l],
            &self.cands[c],
            &self.preds[l][c],
            self.model,
            tolerance,
        );
        a.update_energy();
    }
}

/// Repair, then trim, `a` (the error model's choice) so that its top-1 on
/// `validation` (the validation split: never trained on, not the test
/// split) is at most `max_drop` points below the exact integer network's.
/// Returns the record also stored in `a.repair`.
pub fn repair(
    p: &Problem,
    a: &mut Assignment,
    validation: &Dataset,
    max_drop: f64,
) -> Result<Repair> {
    let mut exact = a.clone();
    let exact_id = p
        .cands
        .iter()
        .position(|c| c.table.is_exact())
        .expect("candidates include the exact multiplier");
    for l in 0..exact.layers.len() {
        p.set(&mut exact, l, exact_id);
    }
    let exact_accuracy = p.accuracy(&exact, validation)?;
    let within = |acc: f64| (exact_accuracy - acc) * 100.0 <= max_drop + 1e-9;
    let paper_accuracy = p.accuracy(a, validation)?;
    let mut rec = Repair {
        max_accuracy_drop: max_drop,
        validation_images: validation.len(),
        exact_accuracy,
        paper_accuracy,
        paper_relative_energy: a.relative_energy,
        paper_layers: a.layers.clone(),
        accuracy: paper_accuracy,
        met: false,
        steps: vec![],
    };
    let total: f64 = a.layers.iter().map(|c| c.macs as f64).sum::<f64>().max(1.0);
    let mut acc = paper_accuracy;
    // 1. Repair.
    while !within(acc) {
        let best = (0..a.layers.len())
            .filter_map(|l| {
                let cur = p.index(&a.layers[l].multiplier);
                let to = p.more_accurate(l, cur)?;
                let removed = (p.std(l, cur) - p.std(l, to)) / p.y_std[l].max(1e-12);
                let added = (p.cands[to].energy_rel - p.cands[cur].energy_rel).max(0.0)
                    * a.layers[l].macs as f64
                    / total;
                Some((l, cur, to, removed / added.max(1e-12)))
            })
            .max_by(|x, y| x.3.total_cmp(&y.3).then(y.0.cmp(&x.0)));
        let Some((l, cur, to, _)) = best else { break };
        p.set(a, l, to);
        acc = p.accuracy(a, validation)?;
        rec.steps.push(step("repair", p, a, l, cur, to, acc, true));
    }
    // 2. Trim, most multiplications first.
    if within(acc) {
        let mut order: Vec<usize> = (0..a.layers.len()).collect();
        order.sort_by_key(|&l| std::cmp::Reverse(a.layers[l].macs));
        for l in order {
            let cur = p.index(&a.layers[l].multiplier);
            let Some(to) = p.cheaper(l, cur) else {
                continue;
            };
            let before = a.clone();
            p.set(a, l, to);
            let trial = p.accuracy(a, validation)?;
            let keep = within(trial);
            rec.steps.push(step("trim", p, a, l, cur, to, trial, keep));
            if keep {
                acc = trial;
            } else {
                *a = before;
            }
        }
    }
    rec.accuracy = acc;
    rec.met = within(acc);
    a.repair = Some(rec.clone());
    Ok(rec)
}

#[allow(clippy::too_many_arguments)]
fn step(
    kind: &str,
    p: &Problem,
    a: &Assignment,
    l: usize,
    from: usize,
    to: usize,
    accuracy: f64,
    kept: bool,
) -> RepairStep {
    RepairStep {
        kind: kind.into(),
        layer: a.layers[l].layer.clone(),
        from: p.cands[from].id.clone(),
        to: p.cands[to].id.clone(),
        predicted_std_from: p.std(l, from),
        predicted_std_to: p.std(l, to),
        validation_accuracy: accuracy,
        relative_energy: a.relative_energy,
        kept,
    }
}
