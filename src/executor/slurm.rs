//! Slurm behind the [`Scheduler`] interface: `sbatch` (with arguments, never
//! a shell string), `squeue` and `scontrol show job` (no `sacct`: clusters
//! without accounting have none), `scancel`, with the per-stage resources of
//! the config's `slurm:` section ([`crate::config::slurm`]).
//!
//! Training stages (and sweep points) get `--gres=gpu:1` when the run trains
//! on CUDA (`--device cuda`), unless their `gpus` says otherwise.

use super::batch::{log_name, JobRequest, Scheduler, TaskState};
pub use crate::config::slurm::{Resources, SlurmConfig, STAGE_NAMES};
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::process::Command;

/// Stages that train (and so get a GPU when the run trains on CUDA).
const TRAINING: [&str; 5] = ["baseline", "qat", "agn", "retrain", "sweep"];

/// Default `--mem` of every stage.
const DEFAULT_MEM: &str = "4G";

/// The Slurm scheduler of a run.
#[derive(Clone, Debug)]
pub struct Slurm {
    /// The config's `slurm:` section.
    pub config: SlurmConfig,
    /// Whether training runs on CUDA (`--device cuda`): training stages then
    /// ask for a GPU.
    pub cuda: bool,
    /// libtorch threads of the config: the training stages' default CPUs.
    pub threads: Option<usize>,
}

impl Slurm {
    /// `sbatch` options for the resources of node `name`.
    pub fn resource_args(&self, name: &str) -> Vec<String> {
        let c = &self.config;
        let own = c.stages.get(name).cloned().unwrap_or_default();
        let training = TRAINING.contains(&name);
        let cpus = own.cpus.or(c.cpus).unwrap_or(if training {
            self.threads.unwrap_or(1).max(1) as u32
        } else {
            1
        });
        let mut args = vec![format!("--cpus-per-task={cpus}")];
        let mem = own.mem.or(c.mem.clone());
        args.push(format!("--mem={}", mem.as_deref().unwrap_or(DEFAULT_MEM)));
        if let Some(t) = own.time.or(c.time.clone()) {
            args.push(format!("--time={t}"));
        }
        let gpus = own
            .gpus
            .unwrap_or(if training && self.cuda { 1 } else { 0 });
        if gpus > 0 {
            args.push(format!("--gres=gpu:{gpus}"));
        }
        for (flag, value) in [
            ("partition", &c.partition),
            ("account", &c.account),
            ("qos", &c.qos),
        ] {
            if let Some(v) = value {
                args.push(format!("--{flag}={v}"));
            }
        }
        args
    }

    /// Every `sbatch` argument for `job`, script and its arguments last.
    pub fn sbatch_args(&self, job: &JobRequest) -> Result<Vec<String>> {
        let dir = job.log_dir.display().to_string();
        if dir.contains('\\') {
            return Err(Error::input(format!(
                "{dir}: a run directory for Slurm must not contain `\\` (sbatch's --output would take it as an escape)"
            )));
        }
        // `%` starts a pattern in --output; `%%` is a literal one.
        let pattern = |name: String| format!("{}/{}", dir.replace('%', "%%"), name);
        let mut args = vec![
            "--parsable".to_string(),
            format!("--job-name={}", job.job_name),
            "--kill-on-invalid-dep=yes".to_string(),
            "--no-requeue".to_string(),
        ];
        match &job.array {
            Some(indices) => {
                let list: Vec<String> = indices.iter().map(usize::to_string).collect();
                args.push(format!("--array={}", list.join(",")));
                args.push(format!(
                    "--output={}",
                    pattern(log_name(&job.node, Some("%a")))
                ));
            }
            None => args.push(format!("--output={}", pattern(log_name(&job.node, None)))),
        }
        if !job.after.is_empty() {
            args.push(format!("--dependency=afterok:{}", job.after.join(":")));
        }
        args.extend(self.resource_args(&job.node));
        args.push(job.script.display().to_string());
        args.extend(job.command.iter().cloned());
        Ok(args)
    }
}

/// The job script: fixed text but for the (sanitized) job name in a
/// comment. sbatch hands it the command as arguments, so no path or name
/// from the user is ever parsed by a shell; an array task adds its index.
fn script_text(job: &JobRequest) -> String {
    format!(
        "#!/bin/sh\n\
         # Slurm job `{}`, written by codesign (--executor slurm).\n\
         # sbatch passes the command (the codesign binary, `job` and the job's\n\
         # spec) as arguments; an array task adds its index.\n\
         exec \"$@\" --task \"${{SLURM_ARRAY_TASK_ID:-0}}\"\n",
        job.job_name
    )
}

/// Run a Slurm client; `Err` names it and quotes its last error line.
fn client(program: &str, args: &[String]) -> Result<String> {
    let out = Command::new(program).args(args).output().map_err(|e| {
        Error::tool(format!(
            "cannot run `{program}` ({e}): is Slurm's client installed (package slurm-client) and on PATH?"
        ))
    })?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim();
        return Err(Error::tool(format!(
            "`{program}` failed with {}: {last}",
            out.status
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Slurm's job states as the executor sees them.
fn task_state(state: &str, reason: &str, node: &str) -> TaskState {
    match state {
        "PENDING" | "REQUEUED" | "REQUEUE_HOLD" | "REQUEUE_FED" | "RESV_DEL_HOLD" => {
            TaskState::Pending {
                reason: reason.to_string(),
            }
        }
        "RUNNING" | "CONFIGURING" | "COMPLETING" | "SUSPENDED" | "STOPPED" | "SIGNALING"
        | "STAGE_OUT" | "RESIZING" => TaskState::Running {
            node: node.to_string(),
        },
        "COMPLETED" => TaskState::Completed,
        _ => TaskState::Failed {
            state: state.to_string(),
            reason: reason.to_string(),
        },
    }
}

impl Scheduler for Slurm {
    fn name(&self) -> &'static str {
        "Slurm"
    }

    fn kind(&self) -> &'static str {
        "slurm"
    }

    fn submit(&self, job: &JobRequest) -> Result<String> {
        crate::io::write_atomic(&job.script, script_text(job).as_bytes())?;
        let args = self.sbatch_args(job)?;
        let out = client("sbatch", &args)
            .map_err(|e| Error::tool(format!("submitting stage `{}`: {e}", job.node)))?;
        // `--parsable`: "ID" or "ID;CLUSTER".
        let id = out
            .trim()
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::tool(format!(
                "submitting stage `{}`: sbatch printed `{}`, not a job id",
                job.node,
                out.trim()
            )));
        }
        Ok(id)
    }

    fn states(&self, jobs: &[String]) -> Result<BTreeMap<String, TaskState>> {
        if jobs.is_empty() {
            return Ok(BTreeMap::new());
        }
        let args = [
            "--noheader".to_string(),
            "--array".to_string(),
            "--states=all".to_string(),
            format!("--jobs={}", jobs.join(",")),
            "--format=%i|%T|%r|%N".to_string(),
        ];
        let out = match client("squeue", &args) {
            Ok(out) => out,
            // Every job already purged from the controller's memory.
            Err(e) if e.to_string().contains("Invalid job id") => String::new(),
            Err(e) => return Err(e),
        };
        let mut states = BTreeMap::new();
        for line in out.lines() {
            let f: Vec<&str> = line.trim().split('|').collect();
            if f.len() == 4 {
                states.insert(f[0].to_string(), task_state(f[1], f[2], f[3]));
            }
        }
        Ok(states)
    }

    fn cancel(&self, tasks: &[String]) -> Result<()> {
        if tasks.is_empty() {
            return Ok(());
        }
        client("scancel", tasks).map(|_| ())
    }

    fn task_id(&self, job: &str, index: Option<usize>) -> String {
        match index {
            Some(i) => format!("{job}_{i}"),
            None => job.to_string(),
        }
    }

    fn describe(&self, task: &str) -> Option<String> {
        let out = client("scontrol", &["show".into(), "job".into(), task.into()]).ok()?;
        let fields: BTreeMap<&str, &str> = out
            .split_whitespace()
            .filter_map(|kv| kv.split_once('='))
            .collect();
        let mut parts = vec![];
        if let Some(s) = fields.get("JobState") {
            parts.push(s.to_string());
        }
        if let Some(r) = fields.get("Reason").filter(|r| **r != "None") {
            parts.push(format!("reason {r}"));
        }
        if let Some(c) = fields.get("ExitCode") {
            parts.push(format!("exit code {c}"));
        }
        if let Some(n) = fields.get("NodeList").filter(|n| **n != "(null)") {
            parts.push(format!("on {n}"));
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// Whether Slurm's client is installed and reaches a controller.
pub fn available() -> bool {
    Command::new("sinfo")
        .arg("--noheader")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn every_plan_node_name_may_be_configured() {
        let tmp = tempfile::tempdir().unwrap();
        let run = crate::pipeline::Run {
            sweep: vec![0.1],
            ..crate::pipeline::test_run(tmp.path())
        };
        let stages = run.stages();
        let plans = [
            super::super::plan::Plan::stages(&run, &stages),
            super::super::plan::Plan::sweep(&run, "c.yaml", &[0.1, 0.2]),
        ];
        for node in plans.iter().flat_map(|p| &p.nodes) {
            assert!(STAGE_NAMES.contains(&node.name.as_str()), "{}", node.name);
        }
    }

    #[test]
    fn resources_fall_back_from_stage_to_section_to_defaults() {
        let config: SlurmConfig = serde_yaml_ng::from_str(
            "{partition: gpu, mem: 8G, stages: {cosim: {cpus: 4, time: '30'}, qat: {gpus: 0}}}",
        )
        .unwrap();
        let slurm = Slurm {
            config,
            cuda: true,
            threads: Some(2),
        };
        assert_eq!(
            slurm.resource_args("cosim"),
            [
                "--cpus-per-task=4",
                "--mem=8G",
                "--time=30",
                "--partition=gpu"
            ]
        );
        assert_eq!(
            slurm.resource_args("baseline"),
            [
                "--cpus-per-task=2",
                "--mem=8G",
                "--gres=gpu:1",
                "--partition=gpu"
            ]
        );
        assert_eq!(
            slurm.resource_args("qat"),
            ["--cpus-per-task=2", "--mem=8G", "--partition=gpu"]
        );
        let plain = Slurm {
            config: SlurmConfig::default(),
            cuda: false,
            threads: None,
        };
        assert_eq!(
            plain.resource_args("agn"),
            ["--cpus-per-task=1", "--mem=4G"]
        );
    }

    #[test]
    fn sbatch_gets_arguments_and_escapes_percent_in_paths() {
        let slurm = Slurm {
            config: SlurmConfig::default(),
            cuda: false,
            threads: None,
        };
        let job = JobRequest {
            node: "sweep".into(),
            job_name: "codesign-x-sweep".into(),
            script: PathBuf::from("/r/100%/.jobs/s/sweep.sh"),
            command: vec![
                "/bin/codesign".into(),
                "job".into(),
                "/r/100%/spec.json".into(),
            ],
            array: Some(vec![0, 2]),
            after: vec!["7".into(), "8".into()],
            log_dir: PathBuf::from("/r/100%/logs"),
        };
        let args = slurm.sbatch_args(&job).unwrap();
        assert!(args.contains(&"--array=0,2".to_string()), "{args:?}");
        assert!(args.contains(&"--output=/r/100%%/logs/sweep.%a.job.log".to_string()));
        assert!(args.contains(&"--dependency=afterok:7:8".to_string()));
        assert!(args.contains(&"--kill-on-invalid-dep=yes".to_string()));
        // The script, then the command as separate arguments, untouched.
        let n = args.len();
        assert_eq!(
            args[n - 4..],
            [
                "/r/100%/.jobs/s/sweep.sh",
                "/bin/codesign",
                "job",
                "/r/100%/spec.json"
            ]
        );
        let bad = JobRequest {
            log_dir: PathBuf::from("/r/a\\b/logs"),
            ..job
        };
        assert!(slurm.sbatch_args(&bad).is_err());
    }
}
