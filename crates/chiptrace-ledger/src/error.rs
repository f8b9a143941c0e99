//! The crate's error type.

use std::path::PathBuf;

use crate::report::Report;

/// Errors of the ledger crate. Input problems found while importing are not
/// errors one by one: they are collected in a [`Report`]; a strict import
/// that found any error-level problem returns [`Error::Invalid`] with it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The ledger failed validation (strict mode, or a fatal problem such as
    /// an unreadable directory). The report lists every problem found.
    #[error("the ledger is invalid: {}", .0.summary())]
    Invalid(Box<Report>),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The chip catalog or rule data embedded in `chiptrace-rules` failed
    /// to load (an internal fault, not an input problem).
    #[error("chip catalog: {0}")]
    Catalog(#[from] chiptrace_rules::Error),
    /// A generator argument is out of range.
    #[error("generator: {0}")]
    Generator(String),
    /// JSON serialisation of the ground truth failed.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { path: path.into(), source }
    }
}

/// Result alias of the crate.
pub type Result<T> = std::result::Result<T, Error>;
