//! # chiptrace-screen
//!
//! Restricted-party screening. The principal types are [`Index`] (a
//! candidate index built once per list version from [`ListEntry`]s),
//! [`Query`] (a party to screen), [`Hit`] (a scored candidate with its
//! [`Explanation`]) and the free function [`score_pair`] (the same scorer
//! on two bare names, for `chiptrace score-pairs`).
//!
//! Scores are in [0, 1]. See `docs/screening.md` for what a score means and
//! the default review threshold [`DEFAULT_THRESHOLD`].

use chiptrace_lists::{EntitySchema, ListEntry};
use serde::Serialize;

/// Scores at or above this are alerts for review by default.
pub const DEFAULT_THRESHOLD: f64 = 0.80;

/// A party to screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    /// Caller's id for the row (echoed in results).
    pub id: String,
    /// The name as the customer file has it, any script.
    pub name: String,
    /// Person / organization / ..., when known.
    pub schema: Option<EntitySchema>,
    /// ISO alpha-2 country, when known.
    pub country: Option<String>,
    /// Free-text address, when known.
    pub address: Option<String>,
    /// Date of birth (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), persons only.
    pub dob: Option<String>,
}

/// Options of a screening call.
#[derive(Debug, Clone)]
pub struct ScreenOptions {
    /// Minimum score of a returned hit.
    pub threshold: f64,
    /// Maximum hits per query.
    pub top: usize,
}

impl Default for ScreenOptions {
    fn default() -> Self {
        ScreenOptions { threshold: DEFAULT_THRESHOLD, top: 10 }
    }
}

/// Why a candidate scored what it scored.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Explanation {
    /// Placeholder while the scorer is written.
    pub detail: String,
}

/// One scored candidate.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Index of the entry in [`Index::entries`].
    pub entry: usize,
    /// Score in [0, 1].
    pub score: f64,
    /// The entry name (primary or alias) that matched best.
    pub matched_name: String,
    /// The explanation.
    pub explanation: Explanation,
}

/// Score of two bare names.
#[derive(Debug, Clone, Serialize)]
pub struct PairScore {
    /// Score in [0, 1].
    pub score: f64,
    /// The explanation.
    pub explanation: Explanation,
}

/// The candidate index over one list version.
pub struct Index {
    entries: Vec<ListEntry>,
}

impl Index {
    /// Build the index.
    pub fn build(entries: Vec<ListEntry>) -> Index {
        Index { entries }
    }
    /// Entries, in index order.
    pub fn entries(&self) -> &[ListEntry] {
        &self.entries
    }
    /// Screen one query.
    pub fn screen(&self, _q: &Query, _opts: &ScreenOptions) -> Vec<Hit> {
        Vec::new()
    }
    /// Screen many queries in parallel; results in input order.
    pub fn screen_batch(&self, qs: &[Query], opts: &ScreenOptions) -> Vec<Vec<Hit>> {
        qs.iter().map(|q| self.screen(q, opts)).collect()
    }
}

/// Score a query name against one listed name with the same scorer as [`Index::screen`].
pub fn score_pair(_schema: Option<EntitySchema>, _query: &str, _listed: &str) -> PairScore {
    PairScore { score: 0.0, explanation: Explanation { detail: String::new() } }
}
