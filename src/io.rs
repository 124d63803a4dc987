//! File helpers shared by every stage: atomic writes (temporary file in the
//! same directory, then rename, so a crash never leaves a half-written
//! output) and typed YAML/JSON reading with errors that name the file and
//! the offending line or field.

use crate::error::{Error, Result};
use serde::{de::DeserializeOwned, Serialize};
use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` atomically, creating parent directories.
pub fn write_atomic(path: impl AsRef<Path>, bytes: &[u8]) -> Result<()> {
    let path = path.as_ref();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    // tempfile creates 0600; outputs are ordinary files for everyone to read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(|e| Error::io(path, e))?;
    }
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Serialize `value` as YAML and write it atomically.
pub fn write_yaml<T: Serialize>(path: impl AsRef<Path>, value: &T) -> Result<()> {
    let text = serde_yaml_ng::to_string(value)
        .map_err(|e| Error::in_file(path.as_ref(), format!("cannot serialize: {e}")))?;
    write_atomic(path, text.as_bytes())
}

/// Serialize `value` as pretty JSON and write it atomically.
pub fn write_json<T: Serialize>(path: impl AsRef<Path>, value: &T) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::in_file(path.as_ref(), format!("cannot serialize: {e}")))?;
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

/// Read a whole file, naming it in the error.
pub fn read_bytes(path: impl AsRef<Path>) -> Result<Vec<u8>> {
    std::fs::read(path.as_ref()).map_err(|e| Error::io(path.as_ref(), e))
}

/// Read a UTF-8 text file, naming it in the error.
pub fn read_text(path: impl AsRef<Path>) -> Result<String> {
    let bytes = read_bytes(path.as_ref())?;
    String::from_utf8(bytes).map_err(|e| {
        Error::in_file(
            path.as_ref(),
            format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        )
    })
}

/// Read YAML into `T`; errors carry `file:line:column` and serde's message
/// (which names the unknown or invalid field).
pub fn read_yaml<T: DeserializeOwned>(path: impl AsRef<Path>) -> Result<T> {
    let path = path.as_ref();
    let text = read_text(path)?;
    serde_yaml_ng::from_str(&text).map_err(|e| match e.location() {
        Some(loc) => Error::at_line(path, loc.line(), one_line(&e.to_string())),
        None => Error::in_file(path, one_line(&e.to_string())),
    })
}

/// Read JSON into `T`; errors carry `file:line` and serde's message.
pub fn read_json<T: DeserializeOwned>(path: impl AsRef<Path>) -> Result<T> {
    let path = path.as_ref();
    let text = read_text(path)?;
    serde_json::from_str(&text)
        .map_err(|e| Error::at_line(path, e.line(), one_line(&e.to_string())))
}

/// Collapse a possibly multi-line message into one line.
pub fn one_line(msg: &str) -> String {
    msg.split_whitespace().collect::<Vec<_>>().join(" ")
}
