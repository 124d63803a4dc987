//! What the command-line integration tests share.

// Each test crate includes this module and uses only part of it.
#![allow(dead_code)]

use std::path::Path;

/// Golden files (`tests/golden/`, `UPDATE_GOLDEN=1` regenerates): the same
/// rule as the unit tests'.
#[path = "../../src/golden.rs"]
pub mod golden;
use std::process::{Command, Output};

/// Whether `codesign-torch` (which runs train, quantize and retrain) is
/// built next to `codesign`: the core crate builds and tests without the
/// torch venv (`cargo test -p codesign`), and a test that trains is then
/// skipped, except under CI ([`codesign::tool::skip_test`]).
pub fn torch_for_test() -> bool {
    let torch =
        Path::new(env!("CARGO_BIN_EXE_codesign")).with_file_name(codesign::cli::train::TORCH_EXE);
    if torch.is_file() {
        return true;
    }
    codesign::tool::skip_test(
        "codesign-torch is not built (`cargo build --release --workspace` builds it; it needs the torch venv)",
    );
    false
}

/// `codesign args` run in folder `cwd` (relative paths are relative to it),
/// its output echoed for the test log.
pub fn codesign_in(cwd: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_codesign"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    eprintln!(
        "$ (cd {}; codesign {})\n{}{}",
        cwd.display(),
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
