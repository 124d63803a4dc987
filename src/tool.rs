//! Runner for the external programs this crate drives: Yosys, Icarus
//! Verilog (`iverilog`, `vvp`), Verilator, OpenSTA and test benches they build. One
//! place starts them, so every caller gets the same behaviour: a missing
//! tool is an error naming the Debian package to install, a failing run
//! shows the tail of its output and keeps its log, and every path handed to
//! a tool is absolute ([`path_arg`]). At the bottom of the module graph: the
//! netlist importer, the library and `eda` all start tools through it.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// An external program this crate drives.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Tool {
    /// Yosys synthesis suite (`yosys`).
    Yosys,
    /// The ABC logic synthesis system as Yosys ships it (`yosys-abc`).
    YosysAbc,
    /// Icarus Verilog compiler (`iverilog`).
    Iverilog,
    /// Icarus Verilog runtime (`vvp`).
    Vvp,
    /// Verilator (`verilator`).
    Verilator,
    /// OpenSTA static timing analyser (`sta`).
    Sta,
}

impl Tool {
    /// Executable name.
    pub fn program(self) -> &'static str {
        match self {
            Tool::Yosys => "yosys",
            Tool::YosysAbc => "yosys-abc",
            Tool::Iverilog => "iverilog",
            Tool::Vvp => "vvp",
            Tool::Verilator => "verilator",
            Tool::Sta => "sta",
        }
    }
    /// Debian package that provides it.
    pub fn package(self) -> &'static str {
        match self {
            Tool::Yosys | Tool::YosysAbc => "yosys",
            Tool::Iverilog | Tool::Vvp => "iverilog",
            Tool::Verilator => "verilator",
            Tool::Sta => "opensta",
        }
    }
    /// Whether the tool can be started.
    pub fn available(self) -> bool {
        Command::new(self.program())
            .arg(match self {
                Tool::Vvp => "-V",
                Tool::YosysAbc => "-h",
                Tool::Sta => "-version",
                _ => "--version",
            })
            .output()
            .is_ok()
    }
}

/// Whether a test that needs `tools` can run. A missing tool skips the
/// test with a message on a developer machine, but fails it under CI
/// (`CI` set to anything but `false`), where `scripts/setup.sh` must have
/// installed everything: a green CI run never hides skipped checks.
pub fn tools_for_test(tools: &[Tool]) -> bool {
    let missing: Vec<&str> = tools
        .iter()
        .filter(|t| !t.available())
        .map(|t| t.package())
        .collect();
    if missing.is_empty() {
        return true;
    }
    skip_test(&format!(
        "missing tools (Debian packages: {}); scripts/setup.sh installs them",
        missing.join(", ")
    ));
    false
}

/// Whether this run is under CI (`CI` set to anything but `false`), where
/// every prerequisite of every test must be installed.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false")
}

/// A test cannot run because `why` (a missing tool, data set or library
/// file): fails it under CI ([`under_ci`]), otherwise prints that it is
/// skipped, so a green CI run never hides a skipped check.
pub fn skip_test(why: &str) {
    assert!(!under_ci(), "{why}");
    eprintln!("skipping: {why}");
}

/// Output of a finished tool run.
#[derive(Debug)]
pub struct RunOutput {
    /// Captured standard output.
    pub stdout: String,
    /// Captured standard error.
    pub stderr: String,
    /// Where stdout and stderr were saved, if a log path was given.
    pub log: Option<PathBuf>,
}

/// Lines of a failing tool's output shown in the error.
const TAIL_LINES: usize = 12;

/// `p` as a command-line argument for a tool: absolute, so that it names
/// the same file whatever the tool's working directory (a relative path
/// would be read relative to `cwd`, not to the caller's folder).
pub fn path_arg(p: &Path) -> Result<String> {
    let abs = std::path::absolute(p).map_err(|e| Error::io(p, e))?;
    abs.to_str()
        .map(str::to_string)
        .ok_or_else(|| Error::input(format!("{}: path is not valid UTF-8", p.display())))
}

/// Run `tool` with `args` in `cwd`; every path in `args` must be absolute
/// ([`path_arg`]) or relative to `cwd`. With `log`, stdout and stderr are
/// written there (kept on failure, too). A non-zero exit is an error that
/// names the tool, its exit status, the log and the tail of its output.
pub fn run(tool: Tool, args: &[&str], cwd: &Path, log: Option<&Path>) -> Result<RunOutput> {
    run_program(Program::Tool(tool), args, cwd, log)
}

/// What [`run_program`] starts.
#[derive(Clone, Debug)]
pub enum Program {
    /// An installed tool, found on `PATH`.
    Tool(Tool),
    /// A program this crate built with a tool (e.g. a verilated test bench).
    Built(PathBuf),
}

impl Program {
    fn path(&self) -> PathBuf {
        match self {
            Program::Tool(t) => PathBuf::from(t.program()),
            // Absolute: the program starts in another working directory.
            Program::Built(p) => std::path::absolute(p).unwrap_or_else(|_| p.clone()),
        }
    }
}

/// [`run`] for any [`Program`]: same log, same errors.
pub fn run_program(
    program: Program,
    args: &[&str],
    cwd: &Path,
    log: Option<&Path>,
) -> Result<RunOutput> {
    let path = program.path();
    let name = path.display().to_string();
    let out = Command::new(&path)
        .args(args)
        .current_dir(cwd)
        .output()
        .map_err(|e| match &program {
            Program::Tool(tool) if e.kind() == std::io::ErrorKind::NotFound => {
                Error::tool(format!(
                    "`{}` not found: install the Debian package `{}` (scripts/setup.sh does)",
                    tool.program(),
                    tool.package()
                ))
            }
            _ => Error::tool(format!("cannot start `{name}`: {e}")),
        })?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let log = match log {
        Some(p) => {
            let text = format!(
                "$ {name} {}\n{stdout}\n--- stderr ---\n{stderr}",
                args.join(" ")
            );
            crate::io::write_atomic(p, text.as_bytes())?;
            Some(p.to_path_buf())
        }
        None => None,
    };
    if !out.status.success() {
        let all: Vec<&str> = stdout
            .lines()
            .chain(stderr.lines())
            .filter(|l| !l.trim().is_empty())
            .collect();
        let tail = all[all.len().saturating_sub(TAIL_LINES)..].join(" | ");
        let where_ = log
            .as_ref()
            .map(|p| format!(" (log: {})", p.display()))
            .unwrap_or_default();
        return Err(Error::tool(format!(
            "`{name}` failed with {}{where_}: {tail}",
            out.status
        )));
    }
    Ok(RunOutput {
        stdout,
        stderr,
        log,
    })
}

/// Where a file the set-up installs into the project (`scripts/pdk.sh`:
/// the NanGate45 Liberty file, the CACTI build) is found: the environment
/// variable `env` when set, else `rel` under the source tree this binary
/// was built from. One rule for every command, whatever its working
/// directory, so a stage picks the same flow wherever it runs.
pub fn installed(rel: &str, env: &str) -> PathBuf {
    match std::env::var_os(env) {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join(rel),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failing_yosys_shows_its_complaint() {
        if !tools_for_test(&[Tool::Yosys]) {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("yosys.log");
        let e = run(
            Tool::Yosys,
            &["-p", "read_verilog no_such_file.v"],
            dir.path(),
            Some(&log),
        )
        .unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("yosys") && msg.contains("no_such_file.v"),
            "{msg}"
        );
        assert!(log.exists());
    }
}
