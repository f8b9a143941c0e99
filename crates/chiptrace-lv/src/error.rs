use std::path::PathBuf;

/// Errors of location verification. Each names the file, peer or field at
/// fault.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("{path}:{line}: {field}: {message}")]
    Row { path: PathBuf, line: u64, field: String, message: String },
    #[error("protocol error with {peer}: {message}")]
    Protocol { peer: String, message: String },
    #[error("{peer} refused: {reason}")]
    Refused { peer: String, reason: String },
    #[error("i/o error with {peer}: {source}")]
    Io { peer: String, source: std::io::Error },
    #[error("key {path}: {message}")]
    Key { path: PathBuf, message: String },
    #[error("{0}")]
    Invalid(String),
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Many(Vec<Error>),
}

impl Error {
    pub(crate) fn io(peer: impl ToString, source: std::io::Error) -> Error {
        Error::Io { peer: peer.to_string(), source }
    }
    pub(crate) fn proto(peer: impl ToString, message: impl ToString) -> Error {
        Error::Protocol { peer: peer.to_string(), message: message.to_string() }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
