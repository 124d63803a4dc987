//! One error type for the library. The CLI prints it as one line and exits
//! 1 for [`Error::Check`] (a check that ran and failed) and 2 for the rest.
//!
//! Variants say *whose* fault it is: bad user input (a file, line, field),
//! a failing external tool, an internal I/O problem, or a verification
//! that ran and found a difference.

use std::path::Path;

/// Library-wide error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad user input: the message names the file, line, field, net or cell.
    #[error("{0}")]
    Input(String),
    /// An external tool (yosys, iverilog, verilator, python) failed or is missing.
    #[error("{0}")]
    Tool(String),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file, as the user named it.
        path: String,
        #[source]
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A check that ran and failed: a co-simulation mismatch, a multiplier
    /// proof that did not hold, a stage whose own check failed.
    #[error("{0}")]
    Check(String),
    /// libtorch reported an error (the `codesign-torch` commands).
    #[error("libtorch: {0}")]
    Torch(String),
}

/// Library-wide result.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// Bad input, with a message that already names what is wrong.
    pub fn input(msg: impl Into<String>) -> Self {
        Error::Input(msg.into())
    }
    /// Bad input in `file`.
    pub fn in_file(file: impl AsRef<Path>, msg: impl std::fmt::Display) -> Self {
        Error::Input(format!("{}: {msg}", file.as_ref().display()))
    }
    /// Bad input at `file:line`.
    pub fn at_line(file: impl AsRef<Path>, line: usize, msg: impl std::fmt::Display) -> Self {
        Error::Input(format!("{}:{line}: {msg}", file.as_ref().display()))
    }
    /// An I/O error on `path`.
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().display().to_string(),
            source,
        }
    }
    /// An external tool failed.
    pub fn tool(msg: impl Into<String>) -> Self {
        Error::Tool(msg.into())
    }
    /// A check that ran and failed.
    pub fn check(msg: impl Into<String>) -> Self {
        Error::Check(msg.into())
    }
    /// The process exit code for this error: 1 for a failed check, 2 for
    /// bad input, a tool that could not run, or I/O.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Check(_) => 1,
            _ => 2,
        }
    }
}
