//! Explanations of scores, built only for returned hits (the hot path keeps
//! indices, not strings). Shaped so that a reviewer — or a regulator — can
//! see which listed name hit, which tokens agreed and how, every sub-score
//! and penalty, and the list provenance (tantivy's `Explanation` tree,
//! screening.md §9).

use chiptrace_text::TokenClass;
use serde::Serialize;

use crate::prepared::PForm;
use crate::score::{Alignment, MAX_TOKENS, Penalty};
use crate::similarity::TokenHow;

/// How one group of tokens matched.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TokenMatch {
    /// Query token(s), space-joined.
    pub query: String,
    /// Listed token(s), space-joined.
    pub listed: String,
    /// Token class: word, generic, number, legal_form.
    pub class: &'static str,
    /// How they were found similar.
    pub how: TokenHow,
    /// Similarity in [0, 1].
    pub score: f64,
}

/// The name-level part of an explanation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NameExplanation {
    /// The comparable form of the query that scored best (tokens joined).
    pub query_form: String,
    /// How that query form was produced (latin, pinyin, cyrillic/icao, ...).
    pub query_form_origin: String,
    /// The comparable form of the listed name.
    pub listed_form: String,
    /// Aligned tokens.
    pub tokens: Vec<TokenMatch>,
    /// Query tokens left unmatched (these count fully against the score).
    pub unmatched_query: Vec<String>,
    /// Listed tokens left unmatched (these count lightly: lists carry more detail).
    pub unmatched_listed: Vec<String>,
    /// Weighted coverage before penalties.
    pub coverage: f64,
    /// Penalties and caps applied.
    pub penalties: Vec<Penalty>,
    /// The name score.
    pub score: f64,
}

/// One qualifier: secondary evidence that moved the score.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Qualifier {
    /// `country_match`, `country_mismatch`, `dob_match`, `dob_year_mismatch`,
    /// `address_overlap`, `schema_mismatch`, `weak_alias`.
    pub feature: &'static str,
    /// Additive change (or, for factors, the resulting change) to the score.
    pub delta: f64,
    /// Human-readable detail naming the values compared.
    pub detail: String,
}

/// The full explanation of a hit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Explanation {
    /// Source list code.
    pub list: String,
    /// Entry id within the list.
    pub entry_id: String,
    /// Federal Register citation of the listing, where the list gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub federal_register: Option<String>,
    /// The listed name that matched.
    pub matched_name: String,
    /// Its role: primary, alias, former, weak, trading_as, acronym.
    pub matched_name_kind: String,
    /// The phrase that introduced that alias in the source, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_via: Option<String>,
    /// Name-level detail.
    pub name: NameExplanation,
    /// Secondary evidence.
    pub qualifiers: Vec<Qualifier>,
    /// Final score.
    pub score: f64,
    /// `strong` (≥ 0.95), `review` (≥ threshold), `below_threshold`.
    pub band: &'static str,
    /// Version of the matcher that produced this score (for the audit trail).
    pub matcher_version: &'static str,
}

fn class_str(c: TokenClass) -> &'static str {
    match c {
        TokenClass::Word => "word",
        TokenClass::Generic => "generic",
        TokenClass::Number => "number",
        TokenClass::LegalForm => "legal_form",
        TokenClass::Stop => "stop",
    }
}

fn form_text(f: &PForm) -> String {
    let mut s = String::new();
    for t in &f.toks {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&t.text);
    }
    s
}

pub(crate) fn origin_str(o: chiptrace_text::FormOrigin) -> String {
    let v = serde_json::to_value(o).unwrap_or(serde_json::Value::Null);
    match v {
        serde_json::Value::String(s) => s.to_lowercase(),
        serde_json::Value::Object(m) => m
            .iter()
            .map(|(k, v)| {
                format!("{}/{}", k.to_lowercase(), v.as_str().unwrap_or("").to_lowercase())
            })
            .collect::<Vec<_>>()
            .join(","),
        _ => String::new(),
    }
}

pub(crate) fn explain_name(q: &PForm, l: &PForm, a: &Alignment) -> NameExplanation {
    let mut qused = vec![false; q.toks.len()];
    let mut lused = vec![false; l.toks.len()];
    let mut tokens = Vec::with_capacity(a.pairs.len());
    for p in &a.pairs {
        let qs: Vec<&str> = p.q.iter().map(|&i| &*q.toks[i as usize].text).collect();
        let ls: Vec<&str> = p.l.iter().map(|&j| &*l.toks[j as usize].text).collect();
        for &i in &p.q {
            qused[i as usize] = true;
        }
        for &j in &p.l {
            lused[j as usize] = true;
        }
        tokens.push(TokenMatch {
            query: qs.join(" "),
            listed: ls.join(" "),
            class: class_str(q.toks[p.q[0] as usize].class),
            how: p.how,
            score: round4(f64::from(p.sim)),
        });
    }
    NameExplanation {
        query_form: form_text(q),
        query_form_origin: origin_str(q.origin),
        listed_form: form_text(l),
        tokens,
        // Only the tokens the scorer looked at (the first MAX_TOKENS), so
        // the explanation never lists tokens that did not count.
        unmatched_query: q
            .toks
            .iter()
            .take(MAX_TOKENS)
            .zip(&qused)
            .filter(|(_, u)| !**u)
            .map(|(t, _)| t.text.to_string())
            .collect(),
        unmatched_listed: l
            .toks
            .iter()
            .take(MAX_TOKENS)
            .zip(&lused)
            .filter(|(_, u)| !**u)
            .map(|(t, _)| t.text.to_string())
            .collect(),
        coverage: round4(a.coverage),
        penalties: a.penalties.to_vec(),
        score: round4(a.score),
    }
}

/// Round to 4 decimals for stable, readable output.
pub(crate) fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
