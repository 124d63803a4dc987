//! Batch executors: each node of the plan becomes a job of a cluster
//! scheduler (a job array when it has several steps), held back with
//! `afterok` dependencies on the jobs whose files it reads. What is specific
//! to one scheduler (Slurm today) sits behind [`Scheduler`]; submitting,
//! skipping, following, cancelling and reporting are shared.
//!
//! A job runs `codesign job SPEC --task I`, which does one [`Step`] exactly as
//! the local executor would (the stage records stay the single source of
//! truth) and leaves two markers in `RUN_DIR/.jobs/<submission>/markers/`:
//! `<node>.<I>.started` when it starts and `<node>.<I>.finished` with its
//! result. The submitting process reads them, which both checks that the run
//! directory is shared with the nodes and times the scheduler.
//!
//! Re-running picks up where the directory stands: steps whose stages are
//! up to date are not submitted, failed ones are; jobs of an earlier
//! submission still queued or running are followed first.

use super::plan::{Plan, Step};
use crate::error::{Error, Result};
use crate::pipeline::Outcome;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// How long a job may run (or be over) before its `started` marker must be
/// visible to the submitting process; NFS caches attributes up to 60 s.
pub const SHARED_FS_GRACE: Duration = Duration::from_secs(90);

/// How long the scheduler may fail to answer before following gives up
/// (the jobs go on; running again follows them).
pub const SCHEDULER_SILENCE: Duration = Duration::from_secs(120);

/// Environment variable set inside a batch job (to the node's name).
pub const IN_JOB: &str = "CODESIGN_BATCH_JOB";

/// A cluster scheduler: submit a job or array, report states, cancel.
pub trait Scheduler: Sync {
    /// Name in messages (`Slurm`).
    fn name(&self) -> &'static str;
    /// Name as `--executor` spells it (`slurm`).
    fn kind(&self) -> &'static str;
    /// Write `job.script` and submit it; returns the job id.
    fn submit(&self, job: &JobRequest) -> Result<String>;
    /// States of the tasks of `jobs`, keyed by task id ([`Scheduler::task_id`]);
    /// tasks the scheduler has forgotten are absent.
    fn states(&self, jobs: &[String]) -> Result<BTreeMap<String, TaskState>>;
    /// Cancel these tasks (task ids or job ids).
    fn cancel(&self, tasks: &[String]) -> Result<()>;
    /// Id of one task: the job's, or that of array element `index`.
    fn task_id(&self, job: &str, index: Option<usize>) -> String;
    /// What the scheduler says about a task, one line (state, exit code, node).
    fn describe(&self, task: &str) -> Option<String>;
}

/// One job (or array) to submit.
#[derive(Clone, Debug)]
pub struct JobRequest {
    /// Plan node: stage name, `sweep`, `sweep-summary` (resources key).
    pub node: String,
    /// Job name shown by the scheduler: letters, digits, `_`, `.`, `-`.
    pub job_name: String,
    /// The job script file to write and submit.
    pub script: PathBuf,
    /// What the script runs, as separate arguments (never a shell string).
    pub command: Vec<String>,
    /// Array indices, for a node of several steps.
    pub array: Option<Vec<usize>>,
    /// Job ids it must wait for (`afterok`).
    pub after: Vec<String>,
    /// Directory of the job's output file ([`log_name`]).
    pub log_dir: PathBuf,
}

/// A task's state as the scheduler reports it.
#[derive(Clone, Debug, PartialEq)]
pub enum TaskState {
    /// Queued; the scheduler's reason (e.g. `Resources`, `Dependency`).
    Pending {
        /// Scheduler's pending reason.
        reason: String,
    },
    /// Running on a node.
    Running {
        /// Host name the task runs on.
        node: String,
    },
    /// Finished with exit code 0.
    Completed,
    /// Over without success: the scheduler's state (FAILED, CANCELLED,
    /// TIMEOUT, OUT_OF_MEMORY, ...) and reason.
    Failed {
        /// Scheduler's final state name.
        state: String,
        /// Scheduler's reason, or the exit code.
        reason: String,
    },
}

/// File name of a job's output: `<node>.job.log`, or `<node>.<index>.job.log`
/// for an array task (`index` may be the scheduler's placeholder).
pub fn log_name(node: &str, index: Option<&str>) -> String {
    match index {
        Some(i) => format!("{node}.{i}.job.log"),
        None => format!("{node}.job.log"),
    }
}

/// Letters, digits, `_`, `.` and `-` of `name` (others become `_`), at most
/// 64 characters: safe as a job name and in file names.
pub fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_.-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect()
}

/// What `codesign job` reads: the node's steps and where to leave markers.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct JobSpec {
    /// Plan node the job runs.
    pub node: String,
    /// Steps of the node, run in order (array index = step index).
    pub steps: Vec<Step>,
    /// Directory for the `started` / `finished` markers.
    pub markers: PathBuf,
}

/// A job's `started` marker.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Started {
    host: String,
    /// When the job's process started (before this binary loaded).
    unix_ms: u64,
}

/// A job's `finished` marker.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Finished {
    ok: bool,
    /// The step's error (one line), when it failed.
    error: Option<String>,
    /// Whether every stage was already up to date.
    up_to_date: bool,
    seconds: f64,
    unix_ms: u64,
}

fn unix_ms(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// When this process started, in Unix milliseconds: its start in clock
/// ticks after boot (`/proc/self/stat`, field 22; 100 ticks per second, the
/// Linux user ABI) against the time since boot (`/proc/uptime`). The job
/// script `exec`s this binary, so that is when the scheduler started the job,
/// before libtorch's libraries were loaded. `None` off Linux.
fn process_start_unix_ms() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let ticks: f64 = rest.split_whitespace().nth(19)?.parse().ok()?;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let age_ms = ((uptime - ticks / 100.0) * 1000.0).max(0.0) as u64;
    Some(unix_ms(SystemTime::now()).saturating_sub(age_ms))
}

fn marker(markers: &Path, node: &str, index: usize, what: &str) -> PathBuf {
    markers.join(format!("{node}.{index}.{what}"))
}

/// `codesign job SPEC --task I`: do step `I` of the spec with the binary
/// `exe`, its output lines on stdout (the job's log), with markers before
/// and after.
pub fn run_job(spec: &Path, task: usize, exe: &Path) -> Result<()> {
    let spec: JobSpec = crate::io::read_json(spec)?;
    // The stage's own children (e.g. `codesign sweep` inside the `sweep`
    // stage of `run --sweep`) run inside this job and must not wait for it.
    std::env::set_var(IN_JOB, &spec.node);
    let step = spec.steps.get(task).ok_or_else(|| {
        Error::input(format!(
            "job `{}` has {} step(s), no task {task}",
            spec.node,
            spec.steps.len()
        ))
    })?;
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "unknown".into());
    crate::io::write_json(
        marker(&spec.markers, &spec.node, task, "started"),
        &Started {
            host: host.clone(),
            unix_ms: process_start_unix_ms().unwrap_or_else(|| unix_ms(SystemTime::now())),
        },
    )?;
    println!("codesign job `{}` task {task} on {host}", spec.node);
    let clock = Instant::now();
    let result = step.execute(exe, &mut |line: &str| println!("{line}"));
    let finished = Finished {
        ok: result.is_ok(),
        error: result
            .as_ref()
            .err()
            .map(|e| crate::io::one_line(&e.to_string())),
        up_to_date: matches!(result, Ok(Outcome::UpToDate)),
        seconds: clock.elapsed().as_secs_f64(),
        unix_ms: unix_ms(SystemTime::now()),
    };
    crate::io::write_json(
        marker(&spec.markers, &spec.node, task, "finished"),
        &finished,
    )?;
    result.map(|_| ())
}

/// `RUN_DIR/.jobs/submission.json`: the latest submission into a run directory.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Submission {
    /// `--executor` name of the scheduler.
    pub scheduler: String,
    /// Directory name under `.jobs/` (scripts, specs, markers).
    pub id: String,
    /// Submitted jobs in plan order.
    pub jobs: Vec<SubmittedJob>,
    /// Whether every task has been seen to its end.
    pub finished: bool,
}

/// One submitted job (or array).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SubmittedJob {
    /// Plan node of the job.
    pub node: String,
    /// Place in the plan (1-based) and the plan's size, for progress lines.
    pub position: usize,
    /// Number of nodes in the plan.
    pub of: usize,
    /// Scheduler's job id.
    pub job: String,
    /// Job ids this job waits for.
    pub after: Vec<String>,
    /// Submission time, milliseconds since the Unix epoch.
    pub submitted_unix_ms: u64,
    /// Tasks of the job (one, or one per array element).
    pub tasks: Vec<SubmittedTask>,
}

/// One task of a submitted job.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SubmittedTask {
    /// Step index in the node (the array index).
    pub index: usize,
    /// Whether it is an array element.
    pub array: bool,
    /// Scheduler's task id.
    pub id: String,
    /// Step label, as progress lines name it.
    pub label: String,
    /// The task's output file.
    pub log: PathBuf,
}

impl SubmittedTask {
    /// How a failure names it.
    fn what(&self, node: &str) -> String {
        if self.array {
            format!("`{node}` task `{}`", self.label)
        } else {
            format!("stage `{node}`")
        }
    }
}

/// What a batch execution ended with.
#[derive(Clone, Debug, PartialEq)]
pub enum Done {
    /// Every job finished (or nothing needed to run).
    Finished,
    /// Submitted without waiting (`--no-wait`): (node, job id) per job.
    Submitted(Vec<(String, String)>),
}

/// Progress lines: a spinner per task on a terminal, else one plain line
/// whenever a task changes phase (submitted, pending, running, done).
struct Progress {
    bars: indicatif::MultiProgress,
    style: indicatif::ProgressStyle,
    rows: BTreeMap<String, (indicatif::ProgressBar, String, String)>,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            bars: indicatif::MultiProgress::new(),
            style: indicatif::ProgressStyle::with_template(
                "{prefix:.bold} {spinner} [{elapsed}] {wide_msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            rows: BTreeMap::new(),
        }
    }

    fn prefix(position: usize, of: usize, label: &str) -> String {
        format!("[{position}/{of}] {label:<11}")
    }

    /// Show `phase` (and a changing `detail`) on the row `key`.
    fn set(&mut self, key: &str, prefix: &str, phase: &str, detail: &str) {
        let row = self.rows.entry(key.to_string()).or_insert_with(|| {
            let bar = self.bars.add(indicatif::ProgressBar::new_spinner());
            bar.set_style(self.style.clone());
            bar.set_prefix(prefix.to_string());
            bar.enable_steady_tick(Duration::from_millis(200));
            (bar, prefix.to_string(), String::new())
        });
        let msg = if detail.is_empty() {
            phase.to_string()
        } else {
            format!("{phase}: {}", crate::io::one_line(detail))
        };
        row.0.set_message(msg);
        if row.2 != phase {
            row.2 = phase.to_string();
            if row.0.is_hidden() {
                eprintln!("{} {phase}", row.1);
            }
        }
    }

    fn finish(&mut self, key: &str, prefix: &str, msg: &str) {
        self.set(key, prefix, msg, "");
        if let Some(row) = self.rows.get(key) {
            row.0.finish_with_message(msg.to_string());
        }
    }
}

/// The last non-empty lines of a (log) file, at most `n`.
fn last_lines(path: &Path, n: usize) -> Vec<String> {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut file) = std::fs::File::open(path) else {
        return vec![];
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = file.seek(SeekFrom::Start(len.saturating_sub(8192)));
    let mut buf = Vec::new();
    let _ = file.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    let lines: Vec<String> = text
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    lines[lines.len().saturating_sub(n)..].to_vec()
}

/// How a followed task ended.
enum End {
    Ok(Finished),
    Failed,
    Cancelled,
}

/// A batch executor for one run directory.
pub struct Batch<'a> {
    /// The scheduler jobs are submitted to (Slurm, or the local stand-in).
    pub scheduler: &'a dyn Scheduler,
    /// The run directory (`.jobs/` and `logs/` go here).
    pub dir: PathBuf,
    /// The codesign binary the jobs run (on a path the nodes share).
    pub exe: PathBuf,
    /// Start of every job name (e.g. `codesign-digits`), sanitized.
    pub job_prefix: String,
}

impl Batch<'_> {
    fn jobs_dir(&self) -> PathBuf {
        crate::rundir::RunDir::new(&self.dir).jobs_dir()
    }

    fn record(&self) -> PathBuf {
        self.jobs_dir().join("submission.json")
    }

    /// The latest submission into this directory, if any.
    pub fn last_submission(dir: &Path) -> Option<Submission> {
        crate::io::read_json(
            crate::rundir::RunDir::new(dir)
                .jobs_dir()
                .join("submission.json"),
        )
        .ok()
    }

    /// Task ids of `sub` that the scheduler reports pending or running.
    pub fn live_tasks(scheduler: &dyn Scheduler, sub: &Submission) -> Result<Vec<String>> {
        let jobs: Vec<String> = sub.jobs.iter().map(|j| j.job.clone()).collect();
        let states = scheduler.states(&jobs)?;
        Ok(sub
            .jobs
            .iter()
            .flat_map(|j| &j.tasks)
            .filter(|t| {
                matches!(
                    states.get(&t.id),
                    Some(TaskState::Pending { .. } | TaskState::Running { .. })
                )
            })
            .map(|t| t.id.clone())
            .collect())
    }

    /// Submit the plan's steps that are not up to date (all of them with
    /// `force`) and, unless `no_wait`, follow them to their end. A failed
    /// job cancels the jobs still pending and ends in an error naming the
    /// stage, the job, its log and its last lines.
    pub fn execute(&self, plan: &Plan, force: bool, no_wait: bool) -> Result<Done> {
        let mut progress = Progress::new();
        self.adopt(no_wait, &mut progress)?;
        if force {
            plan.forget();
        }
        let mut sub = self.submit(plan, &mut progress)?;
        if sub.jobs.is_empty() {
            return Ok(Done::Finished);
        }
        if no_wait {
            return Ok(Done::Submitted(
                sub.jobs
                    .iter()
                    .map(|j| (j.node.clone(), j.job.clone()))
                    .collect(),
            ));
        }
        self.follow(&mut sub, &mut progress)
            .map(|()| Done::Finished)
    }

    /// Follow the jobs of an earlier submission still queued or running
    /// (a `--no-wait` run, or an interrupted one) before planning anew.
    fn adopt(&self, no_wait: bool, progress: &mut Progress) -> Result<()> {
        let Some(mut prev) = Self::last_submission(&self.dir) else {
            return Ok(());
        };
        if prev.finished || prev.scheduler != self.scheduler.kind() {
            return Ok(());
        }
        let live = Self::live_tasks(self.scheduler, &prev)?;
        if live.is_empty() {
            prev.finished = true;
            return crate::io::write_json(self.record(), &prev);
        }
        if no_wait {
            return Err(Error::input(format!(
                "{}: {} job(s) of an earlier submission are still queued or running ({}): follow them by running again without --no-wait, or cancel them",
                self.dir.display(),
                live.len(),
                live.join(", ")
            )));
        }
        eprintln!(
            "following {} job(s) of the earlier submission still queued or running",
            live.len()
        );
        self.follow(&mut prev, progress)
    }

    /// Submit, in plan order, every node that has a step to do: all its
    /// steps when a node it reads was submitted, else those not up to date.
    fn submit(&self, plan: &Plan, progress: &mut Progress) -> Result<Submission> {
        let now = SystemTime::now();
        let id = format!("{}-{}", unix_ms(now), std::process::id());
        let here = self.jobs_dir().join(&id);
        let markers = here.join("markers");
        std::fs::create_dir_all(&markers).map_err(|e| Error::io(&markers, e))?;
        // Earlier submissions are over (adopt saw to it): drop their files.
        if let Ok(entries) = std::fs::read_dir(self.jobs_dir()) {
            for e in entries.flatten() {
                if e.path().is_dir() && e.file_name() != id.as_str() {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let log_dir = self.dir.join("logs");
        std::fs::create_dir_all(&log_dir).map_err(|e| Error::io(&log_dir, e))?;
        let of = plan.nodes.len();
        let mut sub = Submission {
            scheduler: self.scheduler.kind().to_string(),
            id,
            jobs: vec![],
            finished: false,
        };
        let mut job_of: Vec<Option<String>> = vec![None; of];
        for (i, node) in plan.nodes.iter().enumerate() {
            let after: Vec<String> = node
                .after
                .iter()
                .filter_map(|&a| job_of[a].clone())
                .collect();
            let todo: Vec<usize> = (0..node.steps.len())
                .filter(|&s| !after.is_empty() || !node.steps[s].up_to_date())
                .collect();
            if todo.is_empty() {
                for step in &node.steps {
                    let prefix = Progress::prefix(i + 1, of, &step.label());
                    progress.finish(
                        &format!("skip {i} {prefix}"),
                        &prefix,
                        "up to date (skipped)",
                    );
                }
                continue;
            }
            let array = node.steps.len() > 1;
            let spec_path = here.join(format!("{}.json", node.name));
            crate::io::write_json(
                &spec_path,
                &JobSpec {
                    node: node.name.clone(),
                    steps: node.steps.clone(),
                    markers: markers.clone(),
                },
            )?;
            let request = JobRequest {
                node: node.name.clone(),
                job_name: sanitize(&format!("{}-{}", self.job_prefix, node.name)),
                script: here.join(format!("{}.sh", node.name)),
                command: vec![
                    self.exe.display().to_string(),
                    "job".to_string(),
                    spec_path.display().to_string(),
                ],
                array: array.then(|| todo.clone()),
                after: after.clone(),
                log_dir: log_dir.clone(),
            };
            let submitted_unix_ms = unix_ms(SystemTime::now());
            let job = match self.scheduler.submit(&request) {
                Ok(job) => job,
                Err(e) => {
                    // Nothing half-submitted stays behind.
                    let ids: Vec<String> = sub.jobs.iter().map(|j| j.job.clone()).collect();
                    let _ = self.scheduler.cancel(&ids);
                    return Err(e);
                }
            };
            let tasks = todo
                .iter()
                .map(|&s| {
                    let index = array.then_some(s);
                    SubmittedTask {
                        index: s,
                        array,
                        id: self.scheduler.task_id(&job, index),
                        label: node.steps[s].label(),
                        log: log_dir.join(log_name(
                            &node.name,
                            index.map(|x| x.to_string()).as_deref(),
                        )),
                    }
                })
                .collect::<Vec<_>>();
            for t in &tasks {
                let prefix = Progress::prefix(i + 1, of, &t.label);
                progress.set(&t.id, &prefix, &format!("submitted as job {}", t.id), "");
            }
            job_of[i] = Some(job.clone());
            sub.jobs.push(SubmittedJob {
                node: node.name.clone(),
                position: i + 1,
                of,
                job,
                after,
                submitted_unix_ms,
                tasks,
            });
            crate::io::write_json(self.record(), &sub)?;
        }
        if sub.jobs.is_empty() {
            sub.finished = true;
            crate::io::write_json(self.record(), &sub)?;
            let _ = std::fs::remove_dir_all(&here);
        }
        Ok(sub)
    }

    /// Poll until every task of `sub` is over; the first failure (in plan
    /// order) cancels what is still pending and becomes the error.
    fn follow(&self, sub: &mut Submission, progress: &mut Progress) -> Result<()> {
        let markers = self.jobs_dir().join(&sub.id).join("markers");
        let sched = self.scheduler;
        let mut ends: BTreeMap<String, End> = BTreeMap::new();
        // When a task was first seen running or over without its marker.
        let mut unseen_since: BTreeMap<String, Instant> = BTreeMap::new();
        let mut failure: Option<String> = None;
        let mut cancelled_pending = false;
        let mut silent_since: Option<Instant> = None;
        let mut settling: BTreeMap<String, Instant> = BTreeMap::new();
        let clock = Instant::now();
        // Tasks seen waiting for free resources (not scheduler overhead).
        let mut queued: std::collections::BTreeSet<String> = Default::default();
        loop {
            let open: Vec<(&SubmittedJob, &SubmittedTask)> = sub
                .jobs
                .iter()
                .flat_map(|j| j.tasks.iter().map(move |t| (j, t)))
                .filter(|(_, t)| !ends.contains_key(&t.id))
                .collect();
            if open.is_empty() {
                break;
            }
            let mut jobs: Vec<String> = open.iter().map(|(j, _)| j.job.clone()).collect();
            jobs.dedup();
            // A busy controller may time out now and then: give up only
            // when it has not answered for a while.
            let states = match sched.states(&jobs) {
                Ok(states) => {
                    silent_since = None;
                    states
                }
                Err(e)
                    if silent_since.get_or_insert_with(Instant::now).elapsed()
                        > SCHEDULER_SILENCE =>
                {
                    return Err(Error::tool(format!(
                        "{e} (no answer for {} s; the jobs go on: run again to follow them)",
                        SCHEDULER_SILENCE.as_secs()
                    )));
                }
                Err(_) => {
                    std::thread::sleep(Duration::from_secs(1));
                    continue;
                }
            };
            let mut pending = vec![];
            for (job, task) in open {
                let prefix = Progress::prefix(job.position, job.of, &task.label);
                let read = |what| marker(&markers, &job.node, task.index, what);
                if let Ok(f) = crate::io::read_json::<Finished>(read("finished")) {
                    // A failed job is still exiting: let the scheduler see
                    // its end (state, exit code) before describing it.
                    let exiting = matches!(states.get(&task.id), Some(TaskState::Running { .. }));
                    if !f.ok
                        && exiting
                        && settling
                            .entry(task.id.clone())
                            .or_insert_with(Instant::now)
                            .elapsed()
                            < Duration::from_secs(10)
                    {
                        continue;
                    }
                    if f.ok {
                        let msg = if f.up_to_date {
                            "up to date (skipped)".to_string()
                        } else {
                            format!("done in {:.1} s", f.seconds)
                        };
                        progress.finish(&task.id, &prefix, &msg);
                        ends.insert(task.id.clone(), End::Ok(f));
                    } else {
                        progress.finish(&task.id, &prefix, "failed");
                        let detail = f.error.unwrap_or_default();
                        let msg = self.failure(job, task, &detail);
                        failure.get_or_insert(msg);
                        ends.insert(task.id.clone(), End::Failed);
                    }
                    continue;
                }
                let started = read("started").is_file();
                let unseen = |since: &mut BTreeMap<String, Instant>| {
                    since
                        .entry(task.id.clone())
                        .or_insert_with(Instant::now)
                        .elapsed()
                        > SHARED_FS_GRACE
                };
                match states.get(&task.id) {
                    Some(TaskState::Pending { reason }) => {
                        pending.push(task.id.clone());
                        if reason == "Resources" || reason == "Priority" {
                            queued.insert(task.id.clone());
                        }
                        progress.set(&task.id, &prefix, "pending", reason);
                    }
                    Some(TaskState::Running { node }) => {
                        if !started && unseen(&mut unseen_since) {
                            return Err(self.not_shared(
                                sub,
                                job,
                                task,
                                &format!("has run for {} s on {node}", SHARED_FS_GRACE.as_secs()),
                            ));
                        }
                        let last = last_lines(&task.log, 1).pop().unwrap_or_default();
                        progress.set(&task.id, &prefix, &format!("running on {node}"), &last);
                    }
                    Some(TaskState::Failed { state, reason }) => {
                        if (failure.is_some() && state == "CANCELLED")
                            || reason.contains("Dependency")
                        {
                            progress.finish(&task.id, &prefix, "cancelled");
                            ends.insert(task.id.clone(), End::Cancelled);
                        } else if !started && !task.log.is_file() {
                            return Err(self.not_shared(sub, job, task, &format!("ended {state}")));
                        } else {
                            progress.finish(&task.id, &prefix, "failed");
                            let tail = last_lines(&task.log, 3).join(" | ");
                            let msg = self.failure(job, task, &tail);
                            failure.get_or_insert(msg);
                            ends.insert(task.id.clone(), End::Failed);
                        }
                    }
                    // Over by the scheduler's account, but no result here (yet).
                    Some(TaskState::Completed) | None => {
                        if unseen(&mut unseen_since) {
                            if !started {
                                return Err(self.not_shared(sub, job, task, "ended"));
                            }
                            progress.finish(&task.id, &prefix, "failed");
                            let tail = last_lines(&task.log, 3).join(" | ");
                            let msg = self.failure(
                                job,
                                task,
                                &format!("ended without recording a result: {tail}"),
                            );
                            failure.get_or_insert(msg);
                            ends.insert(task.id.clone(), End::Failed);
                        }
                    }
                }
            }
            if failure.is_some() && !cancelled_pending && !pending.is_empty() {
                // Dependents would be cancelled by the scheduler too
                // (--kill-on-invalid-dep); independent pending work stops
                // as in a failing local run. Running jobs finish.
                cancelled_pending = true;
                sched.cancel(&pending)?;
            }
            // Poll often while the run is young, less as it ages: 0.2 s,
            // plus 5% of the time followed, at most 5 s.
            let interval =
                (Duration::from_millis(200) + clock.elapsed() / 20).min(Duration::from_secs(5));
            std::thread::sleep(interval);
        }
        sub.finished = true;
        crate::io::write_json(self.record(), &*sub)?;
        if let Some(msg) = failure {
            let cancelled: Vec<String> = sub
                .jobs
                .iter()
                .flat_map(|j| j.tasks.iter().map(move |t| (j, t)))
                .filter(|(_, t)| matches!(ends.get(&t.id), Some(End::Cancelled)))
                .map(|(j, t)| {
                    if t.array {
                        format!("{} {}", j.node, t.label)
                    } else {
                        j.node.clone()
                    }
                })
                .collect();
            return Err(Error::tool(if cancelled.is_empty() {
                msg
            } else {
                format!("{msg}; cancelled: {}", cancelled.join(", "))
            }));
        }
        self.report_overhead(sub, &markers, &ends, &queued);
        Ok(())
    }

    /// The error line of a failed task.
    fn failure(&self, job: &SubmittedJob, task: &SubmittedTask, detail: &str) -> String {
        let what = self
            .scheduler
            .describe(&task.id)
            .map(|d| format!("{d}; "))
            .unwrap_or_default();
        let detail = if detail.trim().is_empty() {
            "(no output)"
        } else {
            detail
        };
        format!(
            "{} failed as {} job {} ({what}log: {}): {detail}",
            task.what(&job.node),
            self.scheduler.name(),
            task.id,
            task.log.display()
        )
    }

    /// The error when a job's marker never shows up here; cancels the rest.
    fn not_shared(
        &self,
        sub: &Submission,
        job: &SubmittedJob,
        task: &SubmittedTask,
        happened: &str,
    ) -> Error {
        let ids: Vec<String> = sub.jobs.iter().map(|j| j.job.clone()).collect();
        let _ = self.scheduler.cancel(&ids);
        Error::tool(format!(
            "{} {happened} as {} job {}, but neither its marker nor its log is in {}: the run directory (and the codesign binary) must be on a file system that this machine and the compute nodes share; jobs of this run cancelled",
            task.what(&job.node),
            self.scheduler.name(),
            task.id,
            self.dir.display()
        ))
    }

    /// Print the scheduler's overhead: from when a job could start
    /// (submitted, and the jobs it waits for done) to when it started, over
    /// the jobs not seen waiting for free resources (`queued`).
    fn report_overhead(
        &self,
        sub: &Submission,
        markers: &Path,
        ends: &BTreeMap<String, End>,
        queued: &std::collections::BTreeSet<String>,
    ) {
        let done_at: BTreeMap<&str, u64> = sub
            .jobs
            .iter()
            .map(|j| {
                let last = j
                    .tasks
                    .iter()
                    .filter_map(|t| match ends.get(&t.id) {
                        Some(End::Ok(f)) => Some(f.unix_ms),
                        _ => None,
                    })
                    .max()
                    .unwrap_or(0);
                (j.job.as_str(), last)
            })
            .collect();
        let mut waits: Vec<f64> = vec![];
        for j in &sub.jobs {
            let ready = j
                .after
                .iter()
                .filter_map(|a| done_at.get(a.as_str()))
                .copied()
                .chain([j.submitted_unix_ms])
                .max()
                .unwrap_or(0);
            for t in j.tasks.iter().filter(|t| !queued.contains(&t.id)) {
                if let Ok(s) =
                    crate::io::read_json::<Started>(marker(markers, &j.node, t.index, "started"))
                {
                    waits.push(s.unix_ms.saturating_sub(ready) as f64 / 1000.0);
                }
            }
        }
        if waits.is_empty() {
            return;
        }
        waits.sort_by(f64::total_cmp);
        let busy = if queued.is_empty() {
            String::new()
        } else {
            format!(" ({} more waited for free resources)", queued.len())
        };
        eprintln!(
            "{}: {} job(s) from ready (submitted, dependencies done) to started: median {:.2} s, max {:.2} s{busy}",
            self.scheduler.name(),
            waits.len(),
            waits[waits.len() / 2],
            waits[waits.len() - 1]
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_keeps_safe_characters_only() {
        assert_eq!(
            sanitize("codesign-my run;rm -rf/é"),
            "codesign-my_run_rm_-rf__"
        );
        assert_eq!(sanitize(&"x".repeat(100)).len(), 64);
    }

    #[test]
    fn process_start_is_in_the_recent_past() {
        let now = unix_ms(SystemTime::now());
        let start = process_start_unix_ms().unwrap();
        // This test process started before now, and not days ago.
        assert!(
            start <= now + 20 && now - start < 86_400_000,
            "{start} vs {now}"
        );
    }

    #[test]
    fn log_names() {
        assert_eq!(log_name("eval", None), "eval.job.log");
        assert_eq!(log_name("sweep", Some("%a")), "sweep.%a.job.log");
        assert_eq!(log_name("sweep", Some("2")), "sweep.2.job.log");
    }

    #[test]
    fn last_lines_skips_blank_and_carriage_returns() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("x.log");
        std::fs::write(&f, "a\nb\n\nprogress 1\rprogress 2\n\n").unwrap();
        assert_eq!(last_lines(&f, 2), ["b", "progress 1", "progress 2"][1..]);
        assert!(last_lines(&tmp.path().join("none"), 3).is_empty());
    }
}
