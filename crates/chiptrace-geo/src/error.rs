//! Typed errors. Nothing in this crate panics on input; bad input is one of
//! these.

/// An error from this crate.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum GeoError {
    /// A latitude/longitude that is not finite or out of range.
    #[error("invalid coordinate: {0}")]
    InvalidCoordinate(String),
    /// A disc that cannot be used (non-finite centre or radius).
    #[error("disc {index} ({label}): {reason}")]
    InvalidDisc {
        /// Position in the input slice.
        index: usize,
        /// The disc's label.
        label: String,
        /// What is wrong.
        reason: String,
    },
    /// Input over the size limits.
    #[error("{file}: input too large: {detail}")]
    TooLarge {
        /// Name of the input (file name or caller-supplied label).
        file: String,
        /// Which limit.
        detail: String,
    },
    /// The text is not JSON.
    #[error("{file}: not valid JSON: {message}")]
    Json {
        /// Name of the input.
        file: String,
        /// The parser's message (with line and column).
        message: String,
    },
    /// JSON that is not the GeoJSON this crate accepts.
    #[error("{file}: {path}: {message}")]
    GeoJson {
        /// Name of the input.
        file: String,
        /// Where in the document, e.g. `features[3].geometry.coordinates[0][12]`.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// An area built from invalid rings.
    #[error("area {name}: {message}")]
    InvalidArea {
        /// The area's name.
        name: String,
        /// What is wrong.
        message: String,
    },
}
