//! Where the stages of `codesign run` and `codesign sweep` execute: as child
//! processes of this machine (`--executor local`, the default) or as batch
//! jobs of a cluster scheduler (`--executor slurm`). Both take the same
//! [`plan::Plan`] and run each step through the same code
//! ([`plan::Step::execute`]), so stage records, skipping and resuming do not
//! depend on where a stage ran. Another scheduler is another
//! [`batch::Scheduler`].

pub mod batch;
pub mod local;
pub mod plan;
pub mod slurm;

use crate::error::{Error, Result};
use batch::{Batch, Done, Scheduler};
use plan::Plan;
use std::path::Path;

pub use crate::commands::ExecutorKind;

/// An executor with its settings.
pub enum Executor {
    /// Run every stage here, one after another.
    Local,
    /// Submit the stages as jobs to a batch scheduler.
    Batch(Box<dyn Scheduler>),
}

impl Executor {
    /// The executor `kind` for a run of `config` training on `device`.
    pub fn new(kind: ExecutorKind, config: &crate::config::Config, device: &str) -> Executor {
        match kind {
            ExecutorKind::Local => Executor::Local,
            ExecutorKind::Slurm => Executor::Batch(Box::new(slurm::Slurm {
                config: config.slurm.clone().unwrap_or_default(),
                cuda: device == "cuda",
                threads: config.threads,
            })),
        }
    }

    /// Run `plan` in the run directory `dir` with the binary `exe`; jobs
    /// are named `<job_prefix>-<node>`. `force` re-runs every stage;
    /// `no_wait` (batch only) returns once submitted.
    pub fn execute(
        &self,
        plan: &Plan,
        dir: &Path,
        exe: &Path,
        job_prefix: &str,
        force: bool,
        no_wait: bool,
    ) -> Result<Done> {
        match self {
            Executor::Local => {
                if no_wait {
                    return Err(Error::input(
                        "--no-wait: only a batch executor (--executor slurm) can return before the stages ran",
                    ));
                }
                refuse_if_jobs_live(dir)?;
                if force {
                    plan.forget();
                }
                local::execute(plan, exe)?;
                Ok(Done::Finished)
            }
            Executor::Batch(scheduler) => {
                let batch = Batch {
                    scheduler: scheduler.as_ref(),
                    dir: dir.to_path_buf(),
                    exe: exe.to_path_buf(),
                    job_prefix: job_prefix.to_string(),
                };
                batch.execute(plan, force, no_wait)
            }
        }
    }
}

/// A local run must not write into a directory whose batch jobs are still
/// queued or running (both would write the same files), unless it runs
/// inside one of them.
fn refuse_if_jobs_live(dir: &Path) -> Result<()> {
    if std::env::var_os(batch::IN_JOB).is_some() {
        return Ok(());
    }
    let Some(sub) = Batch::last_submission(dir) else {
        return Ok(());
    };
    if sub.finished || sub.scheduler != "slurm" {
        return Ok(());
    }
    let scheduler = slurm::Slurm {
        config: Default::default(),
        cuda: false,
        threads: None,
    };
    // Without a reachable scheduler there is nothing to ask: go ahead.
    let live = Batch::live_tasks(&scheduler, &sub).unwrap_or_default();
    if live.is_empty() {
        return Ok(());
    }
    Err(Error::input(format!(
        "{}: {} Slurm job(s) of an earlier submission are still queued or running ({}): wait for them (`codesign run --executor slurm` follows them) or cancel them",
        dir.display(),
        live.len(),
        live.join(", ")
    )))
}
