//! Explanations: the per-pair waterfall of field evidence (diversion.md
//! §7.1 — "a per-pair waterfall of the Bayes-factor contributions").

use serde::Serialize;

use crate::compare::{Field, MISSING, NameAlignment};

/// A record as named in explanations and clusters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RecordRef {
    /// Source of the record.
    pub source: String,
    /// Id of the record within its source.
    pub id: String,
}

/// The evidence of one field for one pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldEvidence {
    /// The field.
    pub field: Field,
    /// The comparison level (`exact`, `jaro_winkler>=0.92`, `different`,
    /// `missing`).
    pub level: &'static str,
    /// Bayes-factor contribution in bits (log2 m/u); 0 when missing.
    pub weight: f64,
    /// The left record's normalised value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left: Option<String>,
    /// The right record's normalised value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub right: Option<String>,
    /// Whether the weight used the value's term frequency.
    pub tf_adjusted: bool,
}

/// What was decided for a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Above the threshold, no guard objected: an edge of a cluster.
    Match,
    /// Below the threshold.
    NonMatch,
    /// Above the threshold, but the company names differ in a
    /// distinguishing token or legal form and no identifier (registration
    /// id, phone, e-mail address) agrees: a corporate-family pair.
    CorporateFamily,
    /// Above the threshold, but a member of one cluster conflicts with a
    /// member of the other (different registration ids, declared parent).
    Conflict,
}

/// The explanation of one scored pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairExplanation {
    /// Left record.
    pub left: RecordRef,
    /// Right record.
    pub right: RecordRef,
    /// Prior weight log2(λ/(1−λ)).
    pub prior_weight: f64,
    /// Field evidence, in γ order, missing fields included.
    pub fields: Vec<FieldEvidence>,
    /// Total match weight (prior + fields), bits.
    pub total_weight: f64,
    /// Match probability 2^w / (1 + 2^w).
    pub probability: f64,
    /// What was decided.
    pub decision: Decision,
    /// Why a guard refused the merge, when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// How the company names aligned, when names were compared as wholes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_alignment: Option<NameAlignment>,
}

impl PairExplanation {
    /// The evidence of one field.
    pub fn field(&self, f: Field) -> Option<&FieldEvidence> {
        self.fields.iter().find(|e| e.field == f)
    }
}

/// Level name for explanations.
pub(crate) fn level_name(f: Field, level: u8) -> &'static str {
    if level == MISSING {
        return "missing";
    }
    f.levels().get(level as usize).copied().unwrap_or("different")
}

/// Probability of a weight in bits.
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}
