//! The crate's error type.

use std::path::PathBuf;

/// Errors of entity resolution. Scoring and clustering never fail on odd
/// record contents (missing or malformed fields are "missing" evidence);
/// errors come from loading data and from invalid inputs to the resolver.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A CSV file is malformed (bad quoting, ragged row).
    #[error("{path}: line {line}: {message}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// 1-based line number (0 when unknown).
        line: u64,
        /// What was wrong.
        message: String,
    },
    /// A required column is absent from a CSV header.
    #[error("{path}: missing column `{column}`")]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column.
        column: String,
    },
    /// Two input records have the same `id` within one source.
    #[error("duplicate record id `{id}` in source `{source_name}`")]
    DuplicateId {
        /// The duplicated id.
        id: String,
        /// The source it appears in twice.
        source_name: String,
    },
    /// A record has an empty id.
    #[error("record #{index} has an empty id")]
    EmptyId {
        /// Position of the record in the input.
        index: usize,
    },
    /// Too many records for the 32-bit record indices used internally.
    #[error("too many records: {0} (at most {max})", max = u32::MAX)]
    TooManyRecords(usize),
    /// An invalid configuration value.
    #[error("invalid configuration: {0}")]
    Config(String),
}

/// Result alias of the crate.
pub type Result<T> = std::result::Result<T, Error>;
