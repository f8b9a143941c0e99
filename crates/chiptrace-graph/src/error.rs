//! Typed errors of the crate.

/// What can go wrong (building and analysing never fail; writing and
/// parsing options can).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Writing an export failed.
    #[error("write failed: {0}")]
    Io(#[from] std::io::Error),
    /// Serialising JSON failed.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// An unknown reconciliation period.
    #[error("unknown period {0:?} (expected month, quarter, year or all)")]
    Period(String),
}

/// `Result` with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
