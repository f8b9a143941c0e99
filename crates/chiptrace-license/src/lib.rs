//! Licence determination for advanced-computing transactions under the EAR,
//! on the rule data of `chiptrace-rules` (export-rules.md §6, §7, §9.4).
//!
//! ```text
//! Transaction::from_json(text, resolver) -> Transaction
//! decide(&rules, &transaction, today) -> Decision { license_required, requirements,
//!     exceptions, review_policy, items, missing, informational, trace, … }
//! ```
//!
//! Party screening is an input (`parties[].list_hits`), so the engine stays
//! independent of the matcher; `chiptrace decide --lists` fills it from the
//! screening engine.

mod decide;
mod input;

pub use decide::{
    Answer, Decision, ExceptionResult, ItemDecision, PolicyBasis, Requirement, ReviewOutcome,
    decide,
};
pub use input::{
    EndUse, Exporter, HitStrength, Item, ItemSource, ListHit, MAX_INPUT_BYTES, Options, Owner,
    Party, Transaction,
};

/// Errors of the licence engine; each names the input field at fault.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{field}: {message}")]
    Field { field: String, message: String },
    #[error(transparent)]
    Rules(chiptrace_rules::Error),
}

impl Error {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Field { field: field.into(), message: message.into() }
    }
    pub(crate) fn from_rules(e: chiptrace_rules::Error) -> Error {
        match e {
            chiptrace_rules::Error::Field { field, message } => Error::Field { field, message },
            other => Error::Rules(other),
        }
    }
}
