//! Typed errors of the list loaders.

use std::path::PathBuf;

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, ListError>;

/// A row (or record) that could not be turned into a [`crate::ListEntry`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BadRow {
    /// File the row came from.
    pub file: PathBuf,
    /// 1-based line (CSV/JSONL) or record number (JSON/XML), when known.
    pub line: Option<u64>,
    /// What was wrong, for a human.
    pub message: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.file.display(), l, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// Errors of the list loaders. User faults name the file (and line) at fault.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// The file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The file's format could not be recognised.
    #[error("{path}: unrecognised list format ({reason})")]
    UnknownFormat {
        /// The path.
        path: PathBuf,
        /// Why detection failed.
        reason: String,
    },
    /// The file is structurally broken (not JSON, broken XML, ...), so no entry could be read.
    #[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Malformed {
        /// The path.
        path: PathBuf,
        /// 1-based line or record, when known.
        line: Option<u64>,
        /// What was wrong.
        message: String,
    },
    /// A bad row in strict mode.
    #[error("{0} (strict mode: bad rows are fatal)")]
    StrictBadRow(BadRow),
    /// The custom-CSV mapping is invalid (unknown column, missing name column...).
    #[error("invalid column mapping: {0}")]
    Mapping(String),
    /// A path held no list file at all.
    #[error("{path}: no list files found")]
    Empty {
        /// The path.
        path: PathBuf,
    },
}
