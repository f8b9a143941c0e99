use std::path::PathBuf;

/// Errors of the store. Each says which file or record is at fault.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {message}")]
    Path { path: PathBuf, message: String },
    #[error("{path}: not a chiptrace store ({message})")]
    NotAStore { path: PathBuf, message: String },
    #[error(
        "{path}: the store has schema version {found}, newer than this chiptrace supports ({supported}); use a newer chiptrace"
    )]
    NewerSchema { path: PathBuf, found: i64, supported: i64 },
    #[error(
        "store is full (disk or size limit reached); nothing from this command was written: {0}"
    )]
    Full(String),
    #[error("database error: {0}")]
    Sql(String),
    #[error("{0}")]
    Invalid(String),
    #[error("no such alert: {0}")]
    NoSuchAlert(i64),
    #[error("audit key {path}: {message}")]
    Key { path: PathBuf, message: String },
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        if let rusqlite::Error::SqliteFailure(f, _) = &e
            && f.code == rusqlite::ErrorCode::DiskFull
        {
            return Error::Full(e.to_string());
        }
        Error::Sql(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, Error>;
