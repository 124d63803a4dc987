//! `--executor slurm` on a real single-node Slurm, started for the test by
//! `scripts/slurm-local.sh` (and stopped by a drop guard): the digits demo
//! through `--until export-rtl` and a two-point sweep as a job array give
//! the same `eval.json`, `assignment.yaml` and `sweep.json` as a local run
//! with the same seed; `--no-wait` returns with job ids and a second run
//! follows them; a job made to fail (an unreadable input) names its stage,
//! job and log and cancels its dependents, and `squeue` is empty after every
//! run. Without Slurm the test is skipped, unless `CI` is set.

mod common;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const EXE: &str = env!("CARGO_BIN_EXE_codesign");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A running single-node cluster; stopped (by its recorded PIDs) on drop.
struct Cluster {
    base: tempfile::TempDir,
    conf: String,
}

impl Cluster {
    fn script(action: &str, base: &Path) -> Output {
        Command::new(Path::new(ROOT).join("scripts/slurm-local.sh"))
            .args([action, base.to_str().unwrap()])
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    fn start() -> Cluster {
        let base = tempfile::tempdir().unwrap();
        let out = Self::script("start", base.path());
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "slurm-local.sh start failed: {}{}",
            stdout,
            String::from_utf8_lossy(&out.stderr)
        );
        let conf = stdout
            .lines()
            .find_map(|l| l.strip_prefix("export SLURM_CONF="))
            .expect("start prints the SLURM_CONF to export")
            .to_string();
        Cluster { base, conf }
    }

    /// `squeue` lines (every job the controller still lists as queued or running).
    fn queue(&self) -> String {
        let out = Command::new("squeue")
            .args(["--noheader", "--format=%i %T"])
            .env("SLURM_CONF", &self.conf)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// `codesign ARGS` against this cluster.
    fn codesign<S: AsRef<str>>(&self, args: &[S]) -> Output {
        let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
        let out = Command::new(EXE)
            .args(&args)
            .current_dir(ROOT)
            .env("SLURM_CONF", &self.conf)
            .output()
            .unwrap();
        eprintln!(
            "$ codesign {} -> {}\n{}{}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let out = Self::script("stop", self.base.path());
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    }
}

/// Whether the Slurm daemons, client and munge are installed and we are
/// root (slurmd starts jobs as their users); under CI their absence fails.
fn slurm_for_test() -> bool {
    let have = |tool: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let missing: Vec<&str> = ["slurmctld", "slurmd", "sbatch", "munged"]
        .into_iter()
        .filter(|t| !have(t))
        .collect();
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if missing.is_empty() && root {
        return true;
    }
    let msg = if root {
        format!(
            "missing {} (Debian packages slurmctld slurmd slurm-client munge); scripts/setup.sh installs them",
            missing.join(", ")
        )
    } else {
        "a local Slurm needs root".to_string()
    };
    codesign::tool::skip_test(&msg);
    false
}

/// A result file of a run with the run directory's path taken out (records
/// name their own files).
fn result(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
        .replace(dir.to_str().unwrap(), "RUN_DIR")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn digits_on_slurm_matches_local_and_failures_cancel_dependents() {
    if !slurm_for_test() || !common::torch_for_test() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let local: PathBuf = tmp.path().join("local");
    let slurm: PathBuf = tmp.path().join("slurm");
    let run = |dir: &Path, extra: &[&str]| -> Vec<String> {
        let mut args = vec!["run", "configs/digits.yaml", "--until", "export-rtl"];
        args.extend(["--out", dir.to_str().unwrap()]);
        args.extend(extra);
        args.into_iter().map(String::from).collect()
    };
    let sweep = |dir: &Path, extra: &[&str]| -> Vec<String> {
        let mut args = vec!["sweep", "configs/digits.yaml", "--lambdas", "0.1,0.5"];
        args.extend(["--out", dir.to_str().unwrap()]);
        args.extend(extra);
        args.into_iter().map(String::from).collect()
    };
    let on_slurm = ["--executor", "slurm"];
    let no_wait = ["--executor", "slurm", "--no-wait"];

    let cluster = Cluster::start();
    assert!(cluster.codesign(&run(&local, &[])).status.success());
    assert!(cluster.codesign(&sweep(&local, &[])).status.success());

    // Submit without waiting: one job id per stage on stdout.
    let out = cluster.codesign(&run(&slurm, &no_wait));
    assert!(out.status.success());
    let jobs = String::from_utf8_lossy(&out.stdout).into_owned();
    let stages: Vec<&str> = jobs
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(
        stages,
        [
            "library",
            "baseline",
            "qat",
            "agn",
            "quantize",
            "assign",
            "eval",
            "retrain",
            "export-rtl"
        ],
        "{jobs}"
    );
    // While they are queued, neither another --no-wait submission nor a
    // local run may write into the directory.
    let again = cluster.codesign(&run(&slurm, &no_wait));
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("still queued or running"),
        "{}",
        stderr(&again)
    );
    let locally = cluster.codesign(&run(&slurm, &[]));
    assert_eq!(locally.status.code(), Some(2));
    assert!(stderr(&locally).contains("still queued or running"));
    // Running again follows the submitted jobs to their end.
    let follow = cluster.codesign(&run(&slurm, &on_slurm));
    assert!(follow.status.success());
    assert!(stderr(&follow).contains("following"), "{}", stderr(&follow));
    assert_eq!(cluster.queue(), "");
    for file in ["eval.json", "assignment.yaml", "retrain/eval.json"] {
        assert_eq!(result(&slurm, file), result(&local, file), "{file}");
    }
    // Every stage recorded as a local run records it: nothing left to submit.
    let resume = cluster.codesign(&run(&slurm, &on_slurm));
    assert!(resume.status.success());
    assert!(
        !stderr(&resume).contains("submitted"),
        "{}",
        stderr(&resume)
    );
    assert_eq!(stderr(&resume).matches("up to date (skipped)").count(), 9);

    // The sweep's two points as one job array.
    let out = cluster.codesign(&sweep(&slurm, &on_slurm));
    assert!(out.status.success());
    let text = stderr(&out);
    let array: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split("submitted as job ").nth(1))
        .filter(|id| id.contains('_'))
        .collect();
    assert_eq!(array.len(), 2, "{text}");
    assert_eq!(
        array[0].split('_').next(),
        array[1].split('_').next(),
        "one array: {array:?}"
    );
    assert_eq!(result(&slurm, "sweep.json"), result(&local, "sweep.json"));
    assert_eq!(cluster.queue(), "");

    // An unreadable input: assign fails, its dependents are cancelled.
    std::fs::write(slurm.join("intnet.json"), "not json {").unwrap();
    let out = cluster.codesign(&run(&slurm, &on_slurm));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let line = err.lines().last().unwrap();
    let log = slurm.join("logs/assign.job.log");
    assert!(
        line.starts_with("error: stage `assign` failed as Slurm job")
            && line.contains(log.to_str().unwrap())
            && line.contains("intnet.json")
            && line.contains("cancelled: eval, retrain, export-rtl"),
        "{line}"
    );
    assert!(std::fs::read_to_string(&log)
        .unwrap()
        .contains("intnet.json"));
    assert_eq!(cluster.queue(), "");
    // No record for what failed or never ran: a second run submits assign again.
    let out = cluster.codesign(&run(&slurm, &on_slurm));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .lines()
            .any(|l| l.contains("] assign ") && l.contains("submitted as job")),
        "{}",
        stderr(&out)
    );
    assert_eq!(cluster.queue(), "");

    // A run directory the node does not see: the submitting process gets a
    // private tmpfs over it (a mount namespace), so the jobs find neither
    // their spec nor a place for their log. The run must stop and say so.
    let private = tmp.path().join("private");
    std::fs::create_dir_all(&private).unwrap();
    let mut args = vec![
        "-m".to_string(),
        "--propagation".into(),
        "private".into(),
        "sh".into(),
        "-c".into(),
        r#"mount -t tmpfs none "$1" && shift && exec "$@""#.into(),
        "sh".into(),
        private.to_str().unwrap().into(),
        EXE.into(),
    ];
    args.extend(run(&private, &on_slurm));
    let out = Command::new("unshare")
        .args(&args)
        .current_dir(ROOT)
        .env("SLURM_CONF", &cluster.conf)
        .output()
        .unwrap();
    let err = stderr(&out);
    if err.contains("mount") && !err.contains("[1/9]") {
        eprintln!("skipping the unshared-directory check: no mount namespace here: {err}");
    } else {
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.lines()
                .last()
                .unwrap()
                .contains("must be on a file system that this machine and the compute nodes share"),
            "{err}"
        );
        // Its jobs are cancelled, none left pending.
        let clock = std::time::Instant::now();
        while !cluster.queue().is_empty() && clock.elapsed().as_secs() < 10 {
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        assert_eq!(cluster.queue(), "");
    }
}

#[test]
fn bad_slurm_section_is_one_line_naming_the_field() {
    let tmp = tempfile::tempdir().unwrap();
    let digits = std::fs::read_to_string(Path::new(ROOT).join("configs/digits.yaml")).unwrap();
    for (section, field) in [
        ("slurm: {mem: lots}\n", "slurm.mem"),
        (
            "slurm: {stages: {cosimm: {cpus: 2}}}\n",
            "slurm.stages.cosimm",
        ),
        ("slurm: {partition: 'a b'}\n", "slurm.partition"),
        ("slurm: {gpu: 1}\n", "gpu"),
    ] {
        let config = tmp.path().join("bad.yaml");
        std::fs::write(&config, format!("{digits}{section}")).unwrap();
        let out = Command::new(EXE)
            .args(["run", config.to_str().unwrap(), "--executor", "slurm"])
            .args(["--out", tmp.path().join("run").to_str().unwrap()])
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(
            err.contains("bad.yaml") && err.contains(field),
            "{section}: {err}"
        );
    }
}
