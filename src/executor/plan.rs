//! What `codesign run` and `codesign sweep` hand to an executor: a graph of
//! nodes, each one process's work (a [`Step`]) or an array of independent
//! steps, listing the earlier nodes whose files it reads. Every executor runs
//! a step through [`Step::execute`], the same code path whether the step is a
//! thread of this process or a batch job on a cluster node, so the stage
//! records in `RUN_DIR/.stages/` mean the same wherever a stage ran.

use crate::error::{Error, Result};
use crate::pipeline::{Outcome, Run, Stage};
use crate::rundir::{rel, RunDir};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One process's work.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "kebab-case")]
pub enum Step {
    /// One stage of a run ([`Run::execute`]).
    Stage {
        /// The run.
        run: Run,
        /// Stage name ([`crate::pipeline::Stage::name`]).
        stage: String,
    },
    /// One point of a lambda sweep: the run's QAT checkpoint copied into
    /// `DIR/sweep/lambda_<L>/`, then AGN search with that lambda,
    /// quantization, assignment and evaluation there, each its own stage.
    SweepPoint {
        /// The run whose QAT checkpoint the point starts from.
        run: Run,
        /// AGN weight `lambda` of this point.
        lambda: f64,
    },
    /// `DIR/sweep.json` from the finished points.
    SweepSummary {
        /// The run the sweep belongs to.
        run: Run,
        /// The config as the user named it (recorded in `sweep.json`).
        config: String,
        /// The sweep's lambdas, in order.
        lambdas: Vec<f64>,
    },
}

/// The stages a sweep point runs, in order: each point has the paper's
/// assignment, the repaired one and the retrained network.
pub const SWEEP_POINT_STAGES: [&str; 5] = ["agn", "quantize", "assign", "eval", "retrain"];

/// The shared stages a sweep reuses from its run directory.
pub const SWEEP_BASE_STAGES: [&str; 3] = ["library", "baseline", "qat"];

/// Files of the run's QAT stage that each sweep point starts from.
fn qat_checkpoint() -> [String; 2] {
    [rel::checkpoint("qat"), rel::sidecar("qat")]
}

/// The run of one sweep point (`DIR/sweep/lambda_<L>/`, sharing the run's
/// library) and its stages, AGN search set to `lambda`.
pub fn sweep_point(run: &Run, lambda: f64) -> (Run, Vec<Stage>) {
    let sub = Run {
        dir: RunDir::new(&run.dir)
            .sweep_point(lambda)
            .root()
            .to_path_buf(),
        build_library: false,
        sweep_point: Some(lambda),
        ..run.clone()
    };
    let stages: Vec<Stage> = sub
        .stages()
        .into_iter()
        .filter(|s| SWEEP_POINT_STAGES.contains(&s.name))
        .collect();
    (sub, stages)
}

/// Whether the point's copy of the QAT checkpoint equals the run's.
fn checkpoint_copied(run: &Run, sub: &Run) -> bool {
    qat_checkpoint().iter().all(|f| {
        let theirs = std::fs::read(run.dir.join(f));
        theirs.is_ok() && theirs.ok() == std::fs::read(sub.dir.join(f)).ok()
    })
}

impl Step {
    /// Short name for progress lines: the stage, `lambda 0.2`, `sweep.json`.
    pub fn label(&self) -> String {
        match self {
            Step::Stage { stage, .. } => stage.clone(),
            Step::SweepPoint { lambda, .. } => format!("lambda {lambda}"),
            Step::SweepSummary { .. } => rel::SWEEP_JSON.to_string(),
        }
    }

    /// The stage `name` of `run`; `Err` if the run has no such stage.
    fn stage(run: &Run, name: &str) -> Result<Stage> {
        run.stages()
            .into_iter()
            .find(|s| s.name == name)
            .ok_or_else(|| Error::input(format!("no stage `{name}` in this run")))
    }

    /// Whether the step would do nothing now (every stage it runs is up to
    /// date). A summary is cheap and always runs.
    pub fn up_to_date(&self) -> bool {
        match self {
            Step::Stage { run, stage } => Self::stage(run, stage).is_ok_and(|s| run.up_to_date(&s)),
            Step::SweepPoint { run, lambda } => {
                let (sub, stages) = sweep_point(run, *lambda);
                checkpoint_copied(run, &sub) && stages.iter().all(|s| sub.up_to_date(s))
            }
            Step::SweepSummary { .. } => false,
        }
    }

    /// Do the step with the binary `exe` (each stage a child process,
    /// recorded as in [`Run::execute`]); `on_line` gets every output line.
    pub fn execute(&self, exe: &Path, on_line: &mut dyn FnMut(&str)) -> Result<Outcome> {
        match self {
            Step::Stage { run, stage } => run.execute(&Self::stage(run, stage)?, exe, on_line),
            Step::SweepPoint { run, lambda } => {
                let (sub, stages) = sweep_point(run, *lambda);
                for f in qat_checkpoint() {
                    let (from, to) = (run.dir.join(&f), sub.dir.join(&f));
                    let bytes = crate::io::read_bytes(&from)?;
                    if std::fs::read(&to).ok().as_ref() != Some(&bytes) {
                        crate::io::write_atomic(&to, &bytes)?;
                    }
                }
                let mut ran = None;
                for stage in &stages {
                    let name = stage.name;
                    if let Outcome::Ran(s) =
                        sub.execute(stage, exe, |line| on_line(&format!("{name}: {line}")))?
                    {
                        ran = Some(ran.unwrap_or(0.0) + s);
                    }
                }
                Ok(ran.map_or(Outcome::UpToDate, Outcome::Ran))
            }
            Step::SweepSummary {
                run,
                config,
                lambdas,
            } => {
                let clock = std::time::Instant::now();
                let points = lambdas
                    .iter()
                    .map(|&l| sweep_result(&sweep_point(run, l).0.dir, l))
                    .collect::<Result<Vec<_>>>()?;
                let sweep = crate::report::model::Sweep {
                    config: config.clone(),
                    points,
                };
                crate::io::write_json(sweep_json(run), &sweep)?;
                Ok(Outcome::Ran(clock.elapsed().as_secs_f64()))
            }
        }
    }

    /// The stage records this step writes (for `--force`).
    fn record_paths(&self) -> Vec<PathBuf> {
        match self {
            Step::Stage { run, stage } => vec![run.record_path(stage)],
            Step::SweepPoint { run, lambda } => {
                let (sub, stages) = sweep_point(run, *lambda);
                stages.iter().map(|s| sub.record_path(s.name)).collect()
            }
            Step::SweepSummary { .. } => vec![],
        }
    }
}

/// Where a sweep's summary goes.
pub fn sweep_json(run: &Run) -> PathBuf {
    RunDir::new(&run.dir).sweep_json()
}

/// One sweep point from a finished lambda directory.
fn sweep_result(dir: &Path, lambda: f64) -> Result<crate::report::model::SweepPoint> {
    let run = RunDir::new(dir);
    let assignment = crate::assign::Assignment::load(run.assignment())?;
    let evals = crate::intnet::evalfile::read(&run.eval())?;
    let sidecar: crate::sidecar::Sidecar = crate::io::read_yaml(run.sidecar("agn"))?;
    let retrained = match run.retrain_eval() {
        f if f.exists() => crate::intnet::evalfile::read(&f)?,
        _ => Default::default(),
    };
    Ok(crate::report::model::SweepPoint {
        lambda,
        accuracy: evals.get("assignment").map(|r| r.top1),
        accuracy_paper: evals.get("assignment_paper").map(|r| r.top1),
        accuracy_retrained: crate::report::collect::approx_record(&retrained).map(|r| r.top1),
        exact_accuracy: evals.get("exact").map(|r| r.top1),
        relative_energy: assignment.relative_energy,
        relative_energy_paper: Some(assignment.paper_choice().relative_energy),
        multipliers_paper: Some(
            assignment
                .paper_choice()
                .layers
                .iter()
                .map(|c| c.multiplier.clone())
                .collect(),
        ),
        sigmas: sidecar.layers.iter().map(|l| l.sigma).collect(),
        multipliers: assignment
            .layers
            .iter()
            .map(|c| c.multiplier.clone())
            .collect(),
    })
}

/// A node of the plan: one job, or (more than one step) a job array.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Stage name, `sweep` (the points) or `sweep-summary`; also the key of
    /// per-stage scheduler settings and the job's log name.
    pub name: String,
    /// Steps of the node (a sweep node has one per lambda).
    pub steps: Vec<Step>,
    /// Indices of earlier nodes whose files this one reads.
    pub after: Vec<usize>,
}

/// Nodes in an order where every node comes after those it reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// Nodes in dependency order.
    pub nodes: Vec<Node>,
}

impl Plan {
    /// Each stage its own node, reading the earlier stages whose files it
    /// reads ([`Run::depends_on`]).
    pub fn stages(run: &Run, stages: &[Stage]) -> Plan {
        let nodes = stages
            .iter()
            .enumerate()
            .map(|(j, stage)| Node {
                name: stage.name.to_string(),
                steps: vec![Step::Stage {
                    run: run.clone(),
                    stage: stage.name.to_string(),
                }],
                after: (0..j)
                    .filter(|&i| run.depends_on(stage, &stages[i]))
                    .collect(),
            })
            .collect();
        Plan { nodes }
    }

    /// A lambda sweep: the shared stages, then every point (independent of
    /// each other: one array), then the summary.
    pub fn sweep(run: &Run, config: &str, lambdas: &[f64]) -> Plan {
        let base: Vec<Stage> = run
            .stages()
            .into_iter()
            .filter(|s| SWEEP_BASE_STAGES.contains(&s.name))
            .collect();
        let mut plan = Plan::stages(run, &base);
        let n = plan.nodes.len();
        plan.nodes.push(Node {
            name: "sweep".to_string(),
            steps: lambdas
                .iter()
                .map(|&lambda| Step::SweepPoint {
                    run: run.clone(),
                    lambda,
                })
                .collect(),
            after: (0..n).collect(),
        });
        plan.nodes.push(Node {
            name: "sweep-summary".to_string(),
            steps: vec![Step::SweepSummary {
                run: run.clone(),
                config: config.to_string(),
                lambdas: lambdas.to_vec(),
            }],
            after: vec![n],
        });
        plan
    }

    /// Remove the record of every stage the plan runs, so all of them run
    /// again (`--force`).
    pub fn forget(&self) {
        for step in self.nodes.iter().flat_map(|n| &n.steps) {
            for path in step.record_paths() {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::test_run as run_in;

    #[test]
    fn stage_plan_follows_what_each_stage_reads() {
        let tmp = tempfile::tempdir().unwrap();
        let mut run = run_in(tmp.path());
        run.sweep = vec![0.1];
        let stages = run.stages();
        let plan = Plan::stages(&run, &stages);
        // Each node reads only earlier nodes, and exactly those it depends on.
        for (j, node) in plan.nodes.iter().enumerate() {
            for i in 0..j {
                assert_eq!(
                    node.after.contains(&i),
                    run.depends_on(&stages[j], &stages[i]),
                    "{} after {}",
                    node.name,
                    stages[i].name
                );
            }
        }
    }

    #[test]
    fn sweep_plan_is_base_then_one_array_then_summary() {
        let tmp = tempfile::tempdir().unwrap();
        let run = run_in(tmp.path());
        let plan = Plan::sweep(&run, "c.yaml", &[0.05, 0.5]);
        let names: Vec<&str> = plan.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(
            names,
            ["library", "baseline", "qat", "sweep", "sweep-summary"]
        );
        assert_eq!(plan.nodes[3].steps.len(), 2);
        assert_eq!(plan.nodes[3].after, vec![0, 1, 2]);
        assert_eq!(plan.nodes[4].after, vec![3]);
        // The point's AGN stage carries its lambda and runs in its own directory.
        let (sub, stages) = sweep_point(&run, 0.05);
        assert_eq!(sub.dir, tmp.path().join("sweep/lambda_0.05"));
        let names: Vec<&str> = stages.iter().map(|s| s.name).collect();
        assert_eq!(names, SWEEP_POINT_STAGES);
        let argv = &stages[0].commands[0];
        assert!(
            argv.windows(2).any(|w| w == ["--lambda", "0.05"]),
            "{argv:?}"
        );
        // Nothing has run: no step is up to date.
        assert!(plan
            .nodes
            .iter()
            .flat_map(|n| &n.steps)
            .all(|s| !s.up_to_date()));
    }

    #[test]
    fn steps_round_trip_through_json() {
        let tmp = tempfile::tempdir().unwrap();
        let run = run_in(tmp.path());
        let plan = Plan::sweep(&run, "c.yaml", &[0.2]);
        for step in plan.nodes.iter().flat_map(|n| &n.steps) {
            let text = serde_json::to_string(step).unwrap();
            assert_eq!(&serde_json::from_str::<Step>(&text).unwrap(), step);
        }
    }
}
