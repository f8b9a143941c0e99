//! End-to-end recall through the candidate index.
//!
//! The pair report scores (query, listed name) directly with
//! `score_pair`, which says nothing about whether `Index::screen` would
//! *retrieve* that entry among its candidates. This check runs every
//! positive pair whose pair score reaches the threshold through the real
//! index (all lists loaded, default options) and counts how often the
//! expected entry comes back among the hits.

use std::collections::BTreeMap;

use chiptrace_lists::ListEntry;
use chiptrace_screen::{Index, Query, ScreenOptions};
use rayon::prelude::*;
use serde::Serialize;

use crate::{Category, EvalPair};

/// Retrieval recall of one category.
#[derive(Debug, Clone, Serialize)]
pub struct RetrievalRow {
    /// Category.
    pub category: &'static str,
    /// Positive pairs whose pair score reached the threshold.
    pub eligible: usize,
    /// Of those, how many the index returned (entry among the hits).
    pub retrieved: usize,
}

impl RetrievalRow {
    /// retrieved / eligible (1.0 when nothing was eligible).
    pub fn recall(&self) -> f64 {
        if self.eligible == 0 { 1.0 } else { self.retrieved as f64 / self.eligible as f64 }
    }
}

/// Result of the retrieval check, with the misses for diagnosis.
#[derive(Debug, Clone, Serialize)]
pub struct RetrievalReport {
    /// Per category.
    pub rows: Vec<RetrievalRow>,
    /// (category, query, listed) of pairs the index did not retrieve.
    pub misses: Vec<(String, String, String)>,
}

impl RetrievalReport {
    /// Overall retrieval recall.
    pub fn overall(&self) -> f64 {
        let (e, r) = self.rows.iter().fold((0, 0), |a, x| (a.0 + x.eligible, a.1 + x.retrieved));
        if e == 0 { 1.0 } else { r as f64 / e as f64 }
    }

    /// Markdown table.
    pub fn to_markdown(&self, misses: usize) -> String {
        let mut s = String::from(
            "| category | eligible | retrieved | retrieval recall |\n|---|--:|--:|--:|\n",
        );
        for r in &self.rows {
            s.push_str(&format!(
                "| {} | {} | {} | {:.3} |\n",
                r.category,
                r.eligible,
                r.retrieved,
                r.recall()
            ));
        }
        s.push_str(&format!("| **overall** | | | **{:.3}** |\n", self.overall()));
        for (c, q, l) in self.misses.iter().take(misses) {
            s.push_str(&format!("\nmissed ({c}): {q} -> {l}"));
        }
        s
    }
}

/// Run every eligible positive pair through `Index::screen`.
pub fn check(
    entries: Vec<ListEntry>,
    pairs: &[EvalPair],
    scores: &[f64],
    threshold: f64,
) -> RetrievalReport {
    let index = Index::build(entries);
    let opts = ScreenOptions { threshold, top: 10 };
    let eligible: Vec<(&EvalPair, bool)> = pairs
        .par_iter()
        .zip(scores)
        .filter(|(p, s)| p.expected && p.category.targeted() && **s >= threshold)
        .map(|(p, _)| {
            let q = Query {
                id: String::new(),
                name: p.query.clone(),
                schema: Some(p.schema),
                ..Query::default()
            };
            let hits = index.screen(&q, &opts);
            let found = hits.iter().any(|h| {
                let e = &index.entries()[h.entry];
                let full = format!("{}:{}", e.list, e.id);
                full == p.list_entry_id || e.id == p.list_entry_id
            });
            (p, found)
        })
        .collect();
    let mut by: BTreeMap<&'static str, RetrievalRow> = BTreeMap::new();
    let mut misses = Vec::new();
    for (p, found) in eligible {
        let c: Category = p.category;
        let row = by.entry(c.as_str()).or_insert(RetrievalRow {
            category: c.as_str(),
            eligible: 0,
            retrieved: 0,
        });
        row.eligible += 1;
        if found {
            row.retrieved += 1;
        } else {
            misses.push((c.as_str().to_string(), p.query.clone(), p.listed.clone()));
        }
    }
    RetrievalReport { rows: by.into_values().collect(), misses }
}
