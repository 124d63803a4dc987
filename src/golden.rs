//! Golden files for unit tests: emitted text compared with a reviewed copy
//! under `tests/golden/`, regenerated only on request (`UPDATE_GOLDEN=1`),
//! so that every change to an emitter shows up as a diff to review.
//!
//! Self-contained (std only): the integration tests include this same file
//! (`tests/common`), so unit and integration tests share one rule.

use std::path::{Path, PathBuf};

/// Compare `text` with `tests/golden/<rel>` (or write it there when
/// `UPDATE_GOLDEN` is set) and return the golden file's path.
///
/// Panics (a test failure) when the file is missing or differs.
pub fn check(rel: &str, text: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(rel);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let tmp = path.with_extension("golden-partial");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{}: missing; run with UPDATE_GOLDEN=1", path.display()));
    assert_eq!(
        text,
        want,
        "{} differs from the emitter's output (UPDATE_GOLDEN=1 regenerates it; review the diff)",
        path.display()
    );
    path
}
