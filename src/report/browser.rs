//! Checks the HTML report in a real headless Chromium (the Debian package
//! `chromium`): it must load, lay out every plot with a non-zero size (a
//! small inline script counts them after layout and writes the count into
//! the DOM, which `--dump-dom` prints), and a screenshot is kept.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Debian package that provides the browser.
pub const PACKAGE: &str = "chromium";
/// Longest a browser run may take.
const TIMEOUT: Duration = Duration::from_secs(90);

/// What the browser saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BrowserCheck {
    /// `chromium --version`.
    pub browser: String,
    /// Plots laid out with a non-zero size, as counted in the page.
    pub plots_rendered: usize,
    /// Plots in the HTML.
    pub plots_expected: usize,
    /// Screenshot file name (next to the report).
    pub screenshot: String,
    /// Screenshot size in bytes.
    pub screenshot_bytes: u64,
}

/// The browser executable: `$CHROMIUM`, else `chromium` /
/// `chromium-browser` on PATH or in /usr/bin.
pub fn find() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in ["chromium", "chromium-browser"] {
        for dir in std::env::split_paths(&path).chain([PathBuf::from("/usr/bin")]) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

fn missing() -> Error {
    Error::tool(format!(
        "chromium not found: install the Debian package `{PACKAGE}` (scripts/setup.sh does)"
    ))
}

/// Run the browser with `args` plus the headless flags, within [`TIMEOUT`].
fn run(exe: &Path, profile: &Path, args: &[String]) -> Result<String> {
    let mut cmd = Command::new(exe);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(args)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            missing()
        } else {
            Error::tool(format!("cannot start {}: {e}", exe.display()))
        }
    })?;
    // Read stdout on a thread so a large DOM cannot block the child.
    let mut out = child.stdout.take().expect("piped");
    let mut err = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child
            .try_wait()
            .map_err(|e| Error::tool(format!("chromium: {e}")))?
        {
            break s;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Error::tool(format!(
                "chromium did not finish within {} s",
                TIMEOUT.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    if !status.success() {
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        return Err(Error::tool(format!(
            "chromium failed with {status}: {}",
            tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
        )));
    }
    Ok(stdout)
}

/// Load `html` headless, count the rendered plots and save a screenshot as
/// `png`. Errors name the package when the browser is missing.
pub fn check(html: &Path, png: &Path, plots_expected: usize) -> Result<BrowserCheck> {
    let exe = find().ok_or_else(missing)?;
    let version = Command::new(&exe)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let html = html.canonicalize().map_err(|e| Error::io(html, e))?;
    let url = format!("file://{}", html.display());
    let profile = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    // One browser start does both: the DOM after the virtual time budget
    // (the layout check's attribute) and the screenshot of the same page.
    let tmp_png = png.with_extension("part.png");
    let dom = run(
        &exe,
        profile.path(),
        &[
            "--window-size=1200,2000".into(),
            "--virtual-time-budget=5000".into(),
            "--dump-dom".into(),
            format!("--screenshot={}", tmp_png.display()),
            url,
        ],
    )?;
    let Some(plots_rendered) = rendered_count(&dom) else {
        let _ = std::fs::remove_file(&tmp_png);
        return Err(Error::tool(format!(
            "chromium: the report's layout check did not run ({} bytes of DOM)",
            dom.len()
        )));
    };
    let bytes = std::fs::metadata(&tmp_png)
        .map_err(|e| Error::io(&tmp_png, e))?
        .len();
    std::fs::rename(&tmp_png, png).map_err(|e| Error::io(png, e))?;
    Ok(BrowserCheck {
        browser: version,
        plots_rendered,
        plots_expected,
        screenshot: png
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        screenshot_bytes: bytes,
    })
}

/// The attribute the page's layout check writes on `<body>`.
pub const RENDERED_ATTR: &str = "data-plots-rendered";

/// The inline script that counts plots laid out with a non-zero size.
pub const LAYOUT_SCRIPT: &str = "<script>window.addEventListener('load',function(){var n=0;\
document.querySelectorAll('svg.plot').forEach(function(s){var r=s.getBoundingClientRect();\
if(r.width>0&&r.height>0&&s.childElementCount>0){n++;}});\
document.body.setAttribute('data-plots-rendered',String(n));});</script>";

/// The count written by [`LAYOUT_SCRIPT`] in a dumped DOM.
pub fn rendered_count(dom: &str) -> Option<usize> {
    let at = dom.find(&format!("{RENDERED_ATTR}=\""))? + RENDERED_ATTR.len() + 2;
    let end = dom[at..].find('"')?;
    dom[at..at + end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_count_from_a_dumped_dom() {
        assert_eq!(
            rendered_count("<body class=\"x\" data-plots-rendered=\"5\">"),
            Some(5)
        );
        assert_eq!(rendered_count("<body>"), None);
    }
}
