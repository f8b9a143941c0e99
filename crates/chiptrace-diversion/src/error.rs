/// Errors of diversion analysis.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{origin}: {message}")]
    Config { origin: String, message: String },
    #[error("rule {rule}: parameter {key} {message}")]
    Param { rule: String, key: String, message: String },
}

pub type Result<T> = std::result::Result<T, Error>;
