//! The config's `slurm:` section: where and with what resources the stages
//! of `--executor slurm` run (the executor is `crate::executor::slurm`). No
//! stage reads it, so it does not enter the stage keys.
//!
//! ```yaml
//! slurm:
//!   partition: gpu        # --partition (default: the cluster's)
//!   account: proj42       # --account
//!   qos: normal           # --qos
//!   cpus: 1               # --cpus-per-task of every stage (default 1; training stages: `threads`)
//!   mem: 4G               # --mem (default 4G)
//!   time: "2:00:00"       # --time (default: the partition's limit)
//!   stages:               # per-stage overrides of cpus, mem, time, gpus
//!     baseline: {cpus: 8, mem: 16G, time: "1-00:00:00", gpus: 1}
//!     cosim: {cpus: 16}
//! ```

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Resources of one stage's job; unset fields fall back to the section's.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// CPUs of the job's one task (`--cpus-per-task`).
    #[serde(default)]
    pub cpus: Option<u32>,
    /// Memory per node (`--mem`): a number with an optional unit K, M, G, T
    /// (Slurm's default unit is MB).
    #[serde(default)]
    pub mem: Option<String>,
    /// Time limit (`--time`): minutes, `MM:SS`, `HH:MM:SS`, `D-HH`,
    /// `D-HH:MM` or `D-HH:MM:SS`.
    #[serde(default)]
    pub time: Option<String>,
    /// GPUs (`--gres=gpu:N`).
    #[serde(default)]
    pub gpus: Option<u32>,
}

/// The config's `slurm:` section.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlurmConfig {
    #[serde(default)]
    /// `--partition` of every job.
    pub partition: Option<String>,
    #[serde(default)]
    /// `--account` jobs are charged to.
    pub account: Option<String>,
    #[serde(default)]
    /// `--qos` of every job.
    pub qos: Option<String>,
    #[serde(default)]
    /// `--cpus-per-task`.
    pub cpus: Option<u32>,
    #[serde(default)]
    /// `--mem` (Slurm syntax, e.g. `8G`).
    pub mem: Option<String>,
    #[serde(default)]
    /// `--time` limit (Slurm syntax, e.g. `02:00:00`).
    pub time: Option<String>,
    /// Per-stage overrides, keyed by stage name (`sweep`: the points of a
    /// sweep; `sweep-summary`: writing `sweep.json`).
    #[serde(default)]
    pub stages: BTreeMap<String, Resources>,
}

/// Names a per-stage override may use: the stages of `codesign run` and the
/// nodes of `codesign sweep`.
pub const STAGE_NAMES: [&str; 18] = [
    "library",
    "baseline",
    "qat",
    "agn",
    "quantize",
    "assign",
    "eval",
    "retrain",
    "export-rtl",
    "export-exact",
    "synth",
    "synth-exact",
    "cosim",
    "gatesim",
    "gatesim-exact",
    "sweep",
    "report",
    "sweep-summary",
];

/// Whether `s` is a Slurm time limit: minutes, `M:S`, `H:M:S`, `D-H`, `D-H:M`, `D-H:M:S`.
fn is_time(s: &str) -> bool {
    let num = |x: &str| !x.is_empty() && x.len() <= 6 && x.bytes().all(|b| b.is_ascii_digit());
    let (days, rest) = match s.split_once('-') {
        Some((d, r)) => (Some(d), r),
        None => (None, s),
    };
    if days.is_some_and(|d| !num(d)) {
        return false;
    }
    let parts: Vec<&str> = rest.split(':').collect();
    parts.len() <= 3 && parts.iter().all(|p| num(p))
}

/// Whether `s` is a Slurm memory size: digits and an optional unit.
fn is_mem(s: &str) -> bool {
    let digits = s.trim_end_matches(['K', 'M', 'G', 'T']);
    s.len() - digits.len() <= 1
        && !digits.is_empty()
        && digits.len() <= 12
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.bytes().any(|b| b != b'0')
}

/// Whether `s` is a plain Slurm name (partition, account, QOS).
fn is_name(s: &str, comma: bool) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b) || (comma && b == b','))
}

impl Resources {
    fn validate(&self, key: &str) -> std::result::Result<(), String> {
        if self.cpus == Some(0) {
            return Err(format!("{key}.cpus: must be at least 1"));
        }
        if let Some(m) = &self.mem {
            if !is_mem(m) {
                return Err(format!(
                    "{key}.mem: must be a positive number with an optional unit K, M, G or T (e.g. 4G), got `{m}`"
                ));
            }
        }
        if let Some(t) = &self.time {
            if !is_time(t) {
                return Err(format!(
                    "{key}.time: must be minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS, got `{t}`"
                ));
            }
        }
        Ok(())
    }
}

impl SlurmConfig {
    /// Value checks serde cannot express; the message names the field
    /// (`slurm.stages.cosim.mem: ...`).
    pub fn validate(&self) -> std::result::Result<(), String> {
        for (field, value, comma) in [
            ("partition", &self.partition, true),
            ("account", &self.account, false),
            ("qos", &self.qos, false),
        ] {
            if let Some(v) = value {
                if !is_name(v, comma) {
                    return Err(format!(
                        "slurm.{field}: must be letters, digits, `_`, `.` or `-`{}, got `{v}`",
                        if comma {
                            " (`,` between partitions)"
                        } else {
                            ""
                        }
                    ));
                }
            }
        }
        Resources {
            cpus: self.cpus,
            mem: self.mem.clone(),
            time: self.time.clone(),
            gpus: None,
        }
        .validate("slurm")?;
        for (stage, r) in &self.stages {
            if !STAGE_NAMES.contains(&stage.as_str()) {
                return Err(format!(
                    "slurm.stages.{stage}: no such stage (stages: {})",
                    STAGE_NAMES.join(", ")
                ));
            }
            r.validate(&format!("slurm.stages.{stage}"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(yaml: &str) -> std::result::Result<(), String> {
        let c: SlurmConfig = serde_yaml_ng::from_str(yaml).map_err(|e| e.to_string())?;
        c.validate()
    }

    #[test]
    fn bad_fields_are_named() {
        assert!(section("{partition: gpu, account: a1, cpus: 2, mem: 8G, time: '1-02:00:00', stages: {cosim: {cpus: 4}}}").is_ok());
        for (yaml, field) in [
            ("{partition: 'gpu; rm -rf /'}", "slurm.partition"),
            ("{account: 'a b'}", "slurm.account"),
            ("{cpus: 0}", "slurm.cpus"),
            ("{mem: 4 GB}", "slurm.mem"),
            ("{mem: 0G}", "slurm.mem"),
            ("{time: 'two hours'}", "slurm.time"),
            ("{time: '1:2:3:4'}", "slurm.time"),
            ("{stages: {cosimm: {cpus: 2}}}", "slurm.stages.cosimm"),
            ("{stages: {cosim: {mem: lots}}}", "slurm.stages.cosim.mem"),
            ("{partiton: gpu}", "partiton"),
            ("{stages: {cosim: {cpu: 2}}}", "cpu"),
        ] {
            let e = section(yaml).unwrap_err();
            assert!(e.contains(field), "{yaml}: {e}");
        }
        for t in ["30", "30:00", "2:00:00", "1-0", "1-02:00", "1-02:00:00"] {
            assert!(is_time(t), "{t}");
        }
        for m in ["4096", "4G", "512M", "1T"] {
            assert!(is_mem(m), "{m}");
        }
    }
}
