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

#![warn(missing_docs)]

mod explain;
mod index;
mod prepared;
mod score;
mod similarity;

use chiptrace_lists::{EntitySchema, ListEntry};
use serde::Serialize;

pub use explain::{Explanation, NameExplanation, Qualifier, TokenMatch};
pub use score::{Penalty, PenaltyKind};
pub use similarity::TokenHow;

use crate::explain::{explain_name, round4};
use crate::index::{CANDIDATES, IndexData};
use crate::prepared::{PForm, Prepared, prepare};
use crate::score::{Alignment, align};

/// Version of the matcher, recorded with every result so that a decision
/// can be reproduced (input, list version, matcher version).
pub const MATCHER_VERSION: &str =
    concat!("chiptrace-screen/", env!("CARGO_PKG_VERSION"), "+scorer.1");

/// Scores at or above this are "strong": near-certain name identity.
pub const STRONG_THRESHOLD: f64 = 0.95;

/// Largest `top` honoured per query (larger requests are clamped): beyond
/// this a screening result is a list dump, and cost grows with it.
pub const MAX_TOP: usize = 1000;

/// Score deducted when the matched name is an alias its source flags as weak.
const WEAK_ALIAS_PENALTY: f64 = 0.05;

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
    /// Name-level explanation (None when either name has no comparable token).
    pub explanation: Option<NameExplanation>,
}

/// The candidate index over one list version. Build it once with
/// [`Index::build`], then screen any number of queries from any number of
/// threads.
pub struct Index {
    entries: Vec<ListEntry>,
    data: IndexData,
}

/// Best alignment of a prepared query against a prepared listed name: (score, query form, listed form, alignment).
fn best_alignment<'a>(
    q: &'a Prepared,
    l: &'a Prepared,
) -> Option<(f64, &'a PForm, &'a PForm, Alignment)> {
    let mut best: Option<(f64, &PForm, &PForm, Alignment)> = None;
    for qf in &q.forms {
        for lf in &l.forms {
            let a = align(qf, lf);
            if best.as_ref().is_none_or(|b| a.score > b.0) {
                best = Some((a.score, qf, lf, a));
            }
        }
    }
    best
}

fn kind_str(k: chiptrace_lists::NameKind) -> String {
    serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn same_country(a: &str, b: &str) -> bool {
    // Hong Kong and Macau sit under China on the Entity List (export-rules.md §5):
    // a query in HK is consistent with a listed CN entry and vice versa.
    fn norm(c: &str) -> &str {
        match c {
            "HK" | "MO" => "CN",
            x => x,
        }
    }
    a == b || norm(a) == norm(b)
}

impl Index {
    /// Build the index over the entries of one list version.
    pub fn build(entries: Vec<ListEntry>) -> Index {
        let data = index::build(&entries);
        Index { entries, data }
    }

    /// Entries, in index order.
    pub fn entries(&self) -> &[ListEntry] {
        &self.entries
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the index holds no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of indexed names (primary names and aliases).
    pub fn name_count(&self) -> usize {
        self.data.names.len()
    }

    /// Screen one query; hits at or above `opts.threshold`, best first, at most `opts.top`.
    pub fn screen(&self, q: &Query, opts: &ScreenOptions) -> Vec<Hit> {
        let prepared = prepare(&q.name, index::name_type(q.schema));
        if prepared.forms.is_empty() || opts.top == 0 {
            return Vec::new();
        }
        let top = opts.top.min(MAX_TOP);
        let cands = index::candidates(&self.data, &prepared, CANDIDATES.max(top.saturating_mul(4)));
        // Best name per entry. A weak alias competes with its penalty
        // applied, so it cannot displace a primary name that scores higher
        // once the penalty is counted.
        let mut per_entry: Vec<(u32, f64, u32)> = Vec::with_capacity(cands.len());
        for n in cands {
            let rec = &self.data.names[n as usize];
            let Some((s, _, _, _)) = best_alignment(&prepared, &rec.prepared) else { continue };
            let weak = self.entries[rec.entry as usize]
                .names
                .get(rec.name_idx as usize)
                .is_some_and(|nm| index::is_weak(nm.kind));
            let s = if weak { s - WEAK_ALIAS_PENALTY } else { s };
            match per_entry.iter_mut().find(|x| x.0 == rec.entry) {
                Some(x) if x.1 >= s => {}
                Some(x) => {
                    x.1 = s;
                    x.2 = n;
                }
                None => per_entry.push((rec.entry, s, n)),
            }
        }
        // Qualifiers move a score by at most ~0.1; anything far below cannot reach the threshold.
        let floor = opts.threshold - 0.12;
        let mut hits: Vec<Hit> = per_entry
            .into_iter()
            .filter(|x| x.1 >= floor)
            .filter_map(|(e, _, n)| {
                self.finish_hit(q, &prepared, e as usize, n as usize, opts.threshold)
            })
            .filter(|h| h.score >= opts.threshold)
            .collect();
        hits.sort_by(|a, b| {
            b.score.total_cmp(&a.score).then_with(|| {
                // Ties: more qualifiers of evidence first, then stable by list order.
                b.explanation
                    .qualifiers
                    .len()
                    .cmp(&a.explanation.qualifiers.len())
                    .then(a.entry.cmp(&b.entry))
            })
        });
        hits.truncate(top);
        hits
    }

    /// Full scoring with qualifiers and explanation for one entry/name.
    fn finish_hit(
        &self,
        q: &Query,
        prepared: &Prepared,
        entry: usize,
        name: usize,
        threshold: f64,
    ) -> Option<Hit> {
        let rec = &self.data.names[name];
        let e = &self.entries[entry];
        let (name_score, qf, lf, al) = best_alignment(prepared, &rec.prepared)?;
        let nm = e.names.get(rec.name_idx as usize)?;
        let meta = &self.data.meta[entry];
        let mut qualifiers = Vec::new();
        let mut score = name_score;
        if index::is_weak(nm.kind) {
            score -= WEAK_ALIAS_PENALTY;
            qualifiers.push(Qualifier {
                feature: "weak_alias",
                delta: -WEAK_ALIAS_PENALTY,
                detail: format!("matched a weak alias: {}", nm.name),
            });
        }
        if let Some(c) =
            q.country.as_deref().map(|c| c.trim().to_ascii_uppercase()).filter(|c| !c.is_empty())
            && !meta.countries.is_empty()
        {
            {
                if meta.countries.iter().any(|x| same_country(x, &c)) {
                    score += 0.02;
                    qualifiers.push(Qualifier {
                        feature: "country_match",
                        delta: 0.02,
                        detail: format!(
                            "query country {c} among listed countries {}",
                            meta.countries.join(",")
                        ),
                    });
                } else {
                    score -= 0.08;
                    qualifiers.push(Qualifier {
                        feature: "country_mismatch",
                        delta: -0.08,
                        detail: format!(
                            "query country {c} not among listed countries {}",
                            meta.countries.join(",")
                        ),
                    });
                }
            }
        }
        if let Some(y) = q.dob.as_deref().and_then(index::year_of)
            && !meta.birth_years.is_empty()
        {
            {
                if meta.birth_years.contains(&y) {
                    score += 0.03;
                    qualifiers.push(Qualifier {
                        feature: "dob_match",
                        delta: 0.03,
                        detail: format!("birth year {y} listed"),
                    });
                } else {
                    score -= 0.15;
                    qualifiers.push(Qualifier {
                        feature: "dob_year_mismatch",
                        delta: -0.15,
                        detail: format!(
                            "birth year {y} not among listed {}",
                            meta.birth_years.join(",")
                        ),
                    });
                }
            }
        }
        if let Some(a) = q.address.as_deref().filter(|a| !a.trim().is_empty()) {
            let qa = index::address_tokens(a);
            if !qa.is_empty() && !meta.address_tokens.is_empty() {
                let common =
                    qa.iter().filter(|t| meta.address_tokens.binary_search(t).is_ok()).count();
                let overlap = common as f64 / qa.len() as f64;
                if overlap >= 0.5 {
                    let d = round4(0.05 * overlap);
                    score += d;
                    qualifiers.push(Qualifier {
                        feature: "address_overlap",
                        delta: d,
                        detail: format!(
                            "{common} of {} query address tokens found in listed addresses",
                            qa.len()
                        ),
                    });
                }
            }
        }
        if let Some(s) = q.schema {
            let known = |x: EntitySchema| x != EntitySchema::Unknown;
            if known(s) && known(e.schema) && s != e.schema {
                score -= 0.1;
                qualifiers.push(Qualifier {
                    feature: "schema_mismatch",
                    delta: -0.1,
                    detail: format!("query is {}, entry is {}", s.as_str(), e.schema.as_str()),
                });
            }
        }
        // A name match capped for short evidence stays out of the strong
        // band whatever the qualifiers add: "NIO" with a matching country is
        // still a short name.
        let mut score = score.clamp(0.0, 1.0);
        if al.penalties.iter().any(|p| p.kind == PenaltyKind::ShortEvidence) {
            score = score.min(STRONG_THRESHOLD - 0.01);
        }
        let score = round4(score);
        let band = if score >= STRONG_THRESHOLD {
            "strong"
        } else if score >= threshold {
            "review"
        } else {
            "below_threshold"
        };
        Some(Hit {
            entry,
            score,
            matched_name: nm.name.clone(),
            explanation: Explanation {
                list: e.list.clone(),
                entry_id: e.id.clone(),
                federal_register: e.federal_register.clone(),
                matched_name: nm.name.clone(),
                matched_name_kind: kind_str(nm.kind),
                matched_via: nm.via.clone(),
                name: explain_name(qf, lf, &al),
                qualifiers,
                score,
                band,
                matcher_version: MATCHER_VERSION,
            },
        })
    }

    /// Screen many queries in parallel (rayon); results in input order.
    pub fn screen_batch(&self, qs: &[Query], opts: &ScreenOptions) -> Vec<Vec<Hit>> {
        use rayon::prelude::*;
        qs.par_iter().with_min_len(64).map(|q| self.screen(q, opts)).collect()
    }
}

/// Whether a name has anything to compare: at least one token that is not
/// a stopword. Names made only of punctuation or stopwords ("The", "—")
/// can never match and should be reported as unusable, not as clear.
pub fn is_screenable(name: &str) -> bool {
    chiptrace_text::analyze_name(name, chiptrace_text::NameType::Any)
        .iter()
        .any(|f| f.tokens.iter().any(|t| t.class != chiptrace_text::TokenClass::Stop))
}

/// Score a query name against one listed name with the same scorer as
/// [`Index::screen`] (name level only: no qualifiers, no candidate retrieval).
pub fn score_pair(schema: Option<EntitySchema>, query: &str, listed: &str) -> PairScore {
    let ty = index::name_type(schema);
    let q = prepare(query, ty);
    let l = prepare(listed, ty);
    match best_alignment(&q, &l) {
        Some((s, qf, lf, a)) => {
            PairScore { score: round4(s), explanation: Some(explain_name(qf, lf, &a)) }
        }
        None => PairScore { score: 0.0, explanation: None },
    }
}
