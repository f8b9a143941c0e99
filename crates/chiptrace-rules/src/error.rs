use std::fmt;

/// Errors of the rule engine. Every variant names what was wrong and where
/// (file, field or input), so a user can fix it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A rule data file is malformed or lacks a citation / evidence level.
    #[error("rule data {file}: {message}")]
    RuleData { file: String, message: String },
    /// An input field is missing or invalid.
    #[error("{field}: {message}")]
    Field { field: String, message: String },
    /// The chip catalog has a bad row.
    #[error("catalog {file} line {line}: {message}")]
    Catalog { file: String, line: u64, message: String },
    /// No chip matches the name given.
    #[error("unknown chip {name:?}{}", Suggest(.suggestions))]
    UnknownChip { name: String, suggestions: Vec<String> },
    /// The chip name matches several catalog rows.
    #[error("chip name {name:?} is ambiguous: {}", .candidates.join(", "))]
    AmbiguousChip { name: String, candidates: Vec<String> },
    /// The date is before the first encoded rule.
    #[error("no rule version in force on {date}: the rule data starts on {first}")]
    NoRuleInForce { date: String, first: String },
}

struct Suggest<'a>(&'a [String]);
impl fmt::Display for Suggest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            write!(f, " (see `chiptrace classify --list-chips`)")
        } else {
            write!(f, "; did you mean: {}?", self.0.join(", "))
        }
    }
}

impl Error {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Field { field: field.into(), message: message.into() }
    }
    pub(crate) fn rule(file: impl Into<String>, message: impl Into<String>) -> Error {
        Error::RuleData { file: file.into(), message: message.into() }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
