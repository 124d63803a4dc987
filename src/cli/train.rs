//! Command line of `codesign train`, `codesign quantize` and `codesign
//! retrain`: the commands that need libtorch.
//!
//! The `codesign` binary does not link libtorch (its start-up is then a few
//! milliseconds instead of the ~0.5 s libtorch's shared libraries take to
//! load); these three commands are parsed here, so that `codesign --help`
//! and usage errors stay one program, and then run by the `codesign-torch`
//! executable that is installed next to `codesign` (crate `torch/`).

use std::path::{Path, PathBuf};

pub use crate::commands::{QuantizeArgs, RetrainArgs, TrainArgs};
use crate::error::Error;

/// Where a run directory keeps the config it was trained with.
pub fn config_copy(run_dir: &Path) -> PathBuf {
    crate::rundir::RunDir::new(run_dir).config()
}

/// The name of the executable that runs the libtorch commands.
pub const TORCH_EXE: &str = "codesign-torch";

/// The `codesign-torch` executable next to the running `codesign`.
///
/// Errors: [`Error::Tool`] when it is not there (a build of the `codesign`
/// package alone, without the workspace's `torch` member).
pub fn torch_exe() -> crate::Result<PathBuf> {
    let me = std::env::current_exe().map_err(|e| Error::tool(format!("codesign: {e}")))?;
    let exe = me.with_file_name(TORCH_EXE);
    if exe.is_file() {
        Ok(exe)
    } else {
        Err(Error::tool(format!(
            "{TORCH_EXE} (which runs train, quantize and retrain) is not installed next to {}: build the whole workspace (`cargo build --release --workspace`)",
            me.display()
        )))
    }
}

/// Run this process's command line (`codesign train|quantize|retrain ...`)
/// in `codesign-torch`: the process is replaced (`exec`), so exit code,
/// signals and output are the torch executable's own.
///
/// Errors: [`Error::Tool`] when `codesign-torch` is missing or cannot start.
///
/// `retrain` alternates libtorch's OpenMP operators with the lookup-table
/// kernel on rayon's threads; OpenMP workers spin after each operator and
/// take the cores from the kernel and from the stage beside it (the
/// pipeline runs `eval` at the same time). So `retrain` gets
/// `OMP_WAIT_POLICY=PASSIVE` unless the user set a policy (LeNet-5 on
/// MNIST: retrain and eval side by side 61.2 -> 57.2 s, retrain's CPU time
/// 98.8 -> 72.8 s). It must be in the environment at start: libgomp reads
/// it when it is loaded.
pub fn delegate_to_torch() -> crate::Result<()> {
    use std::os::unix::process::CommandExt;
    let exe = torch_exe()?;
    let mut cmd = std::process::Command::new(&exe);
    cmd.args(std::env::args_os().skip(1));
    let retrain = std::env::args_os().nth(1).is_some_and(|a| a == "retrain");
    if retrain && std::env::var_os("OMP_WAIT_POLICY").is_none() {
        cmd.env("OMP_WAIT_POLICY", "PASSIVE");
    }
    let err = cmd.exec();
    Err(Error::tool(format!("{}: {err}", exe.display())))
}
