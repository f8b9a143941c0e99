//! Scoring the evaluation pairs and summarising the result.
//!
//! Metrics at a threshold `t`: a pair is predicted a match when
//! `score >= t`. Per category and overall: TP/FP/FN/TN, precision
//! `TP/(TP+FP)`, recall `TP/(TP+FN)`, F1 (0 when TP = 0), specificity
//! `TN/(TN+FP)`.
//!
//! Targets (the issue's): overall recall ≥ 0.98 and precision ≥ 0.95 over
//! all targeted categories (every category except `han_brand`); and in
//! every targeted category the *applicable metric* ≥ 0.90, where the
//! applicable metric is F1 when the category has both positives and
//! negatives, recall when it only has positives, and specificity when it
//! only has negatives (precision and recall are undefined there).

use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::{Category, EvalPair};

/// Overall recall target.
pub const TARGET_RECALL: f64 = 0.98;
/// Overall precision target.
pub const TARGET_PRECISION: f64 = 0.95;
/// Per-category target of the applicable metric.
pub const TARGET_CATEGORY: f64 = 0.90;

/// Distribution summary of scores.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Number of scores.
    pub n: usize,
    /// Minimum.
    pub min: f64,
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Maximum.
    pub max: f64,
    /// Mean.
    pub mean: f64,
}

impl Summary {
    /// Summarise (empty → all zero).
    pub fn of(mut xs: Vec<f64>) -> Summary {
        if xs.is_empty() {
            return Summary::default();
        }
        xs.sort_by(f64::total_cmp);
        let q = |p: f64| xs[((xs.len() - 1) as f64 * p).round() as usize];
        Summary {
            n: xs.len(),
            min: xs[0],
            p10: q(0.1),
            p50: q(0.5),
            p90: q(0.9),
            max: xs[xs.len() - 1],
            mean: xs.iter().sum::<f64>() / xs.len() as f64,
        }
    }
}

/// Figures of one category (or of the overall set).
#[derive(Debug, Clone, Serialize)]
pub struct CategoryReport {
    /// Category name, or `overall`.
    pub category: String,
    /// Whether it counts towards the targets.
    pub targeted: bool,
    /// Positive pairs.
    pub positives: usize,
    /// Negative pairs.
    pub negatives: usize,
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives.
    pub fn_: usize,
    /// True negatives.
    pub tn: usize,
    /// Precision, when defined.
    pub precision: Option<f64>,
    /// Recall, when defined.
    pub recall: Option<f64>,
    /// F1, when both labels exist.
    pub f1: Option<f64>,
    /// Specificity, when negatives exist.
    pub specificity: Option<f64>,
    /// Name of the applicable metric: `f1`, `recall` or `specificity`.
    pub metric: &'static str,
    /// Its value.
    pub value: f64,
    /// Scores of positives.
    pub positive_scores: Summary,
    /// Scores of negatives.
    pub negative_scores: Summary,
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

impl CategoryReport {
    fn from(
        category: String,
        targeted: bool,
        items: &[(&EvalPair, f64)],
        threshold: f64,
    ) -> CategoryReport {
        let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
        let (mut ps, mut ns) = (Vec::new(), Vec::new());
        for (p, s) in items {
            let hit = *s >= threshold;
            match (p.expected, hit) {
                (true, true) => tp += 1,
                (true, false) => fn_ += 1,
                (false, true) => fp += 1,
                (false, false) => tn += 1,
            }
            if p.expected { ps.push(*s) } else { ns.push(*s) }
        }
        let positives = tp + fn_;
        let negatives = fp + tn;
        let precision = if positives > 0 { Some(ratio(tp, tp + fp).unwrap_or(0.0)) } else { None };
        let recall = ratio(tp, positives);
        let specificity = ratio(tn, negatives);
        let f1 = match (precision, recall) {
            (Some(p), Some(r)) if negatives > 0 => {
                Some(if tp == 0 { 0.0 } else { 2.0 * p * r / (p + r) })
            }
            _ => None,
        };
        let (metric, value) = if positives > 0 && negatives > 0 {
            ("f1", f1.unwrap_or(0.0))
        } else if positives > 0 {
            ("recall", recall.unwrap_or(0.0))
        } else {
            ("specificity", specificity.unwrap_or(0.0))
        };
        CategoryReport {
            category,
            targeted,
            positives,
            negatives,
            tp,
            fp,
            fn_,
            tn,
            precision,
            recall,
            f1,
            specificity,
            metric,
            value,
            positive_scores: Summary::of(ps),
            negative_scores: Summary::of(ns),
        }
    }
}

/// A misclassified pair.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// Category.
    pub category: Category,
    /// `person` / `organization`.
    pub schema: String,
    /// Query name.
    pub query: String,
    /// Listed name.
    pub listed: String,
    /// Expected label.
    pub expected: bool,
    /// Score obtained.
    pub score: f64,
    /// Entry.
    pub entry_id: String,
    /// How the pair was made.
    pub note: String,
}

/// The quality report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Threshold used.
    pub threshold: f64,
    /// Number of pairs.
    pub pairs: usize,
    /// Wall time of scoring, milliseconds.
    pub scoring_ms: f64,
    /// Per category, in [`Category::ALL`] order.
    pub categories: Vec<CategoryReport>,
    /// Over all targeted categories.
    pub overall: CategoryReport,
    /// Misclassified pairs, worst (furthest from the threshold) first within each category.
    pub failures: Vec<Failure>,
    /// Target violations (empty when all targets are met).
    pub violations: Vec<String>,
}

/// Score every pair with `scorer` (in parallel) and build the report.
pub fn evaluate<F>(pairs: &[EvalPair], threshold: f64, scorer: F) -> Report
where
    F: Fn(&EvalPair) -> f64 + Sync,
{
    let t0 = Instant::now();
    let scores: Vec<f64> = pairs.par_iter().map(&scorer).collect();
    let scoring_ms = t0.elapsed().as_secs_f64() * 1e3;
    evaluate_scored(pairs, &scores, threshold, scoring_ms)
}

/// Build the report from precomputed scores (same order as `pairs`).
pub fn evaluate_scored(
    pairs: &[EvalPair],
    scores: &[f64],
    threshold: f64,
    scoring_ms: f64,
) -> Report {
    let items: Vec<(&EvalPair, f64)> = pairs.iter().zip(scores.iter().copied()).collect();
    let mut categories = Vec::new();
    for c in Category::ALL {
        let its: Vec<(&EvalPair, f64)> =
            items.iter().filter(|(p, _)| p.category == c).copied().collect();
        if its.is_empty() {
            continue;
        }
        categories.push(CategoryReport::from(
            c.as_str().to_string(),
            c.targeted(),
            &its,
            threshold,
        ));
    }
    let targeted: Vec<(&EvalPair, f64)> =
        items.iter().filter(|(p, _)| p.category.targeted()).copied().collect();
    let overall = CategoryReport::from("overall".into(), true, &targeted, threshold);
    let mut failures: Vec<Failure> = items
        .iter()
        .filter(|(p, s)| (*s >= threshold) != p.expected)
        .map(|(p, s)| Failure {
            category: p.category,
            schema: p.schema.as_str().to_string(),
            query: p.query.clone(),
            listed: p.listed.clone(),
            expected: p.expected,
            score: *s,
            entry_id: p.list_entry_id.clone(),
            note: p.note.clone(),
        })
        .collect();
    failures.sort_by(|a, b| {
        a.category
            .cmp(&b.category)
            .then((b.score - threshold).abs().total_cmp(&(a.score - threshold).abs()))
    });
    let mut violations = Vec::new();
    if overall.recall.unwrap_or(0.0) < TARGET_RECALL {
        violations
            .push(format!("overall recall {:.3} < {TARGET_RECALL}", overall.recall.unwrap_or(0.0)));
    }
    if overall.precision.unwrap_or(0.0) < TARGET_PRECISION {
        violations.push(format!(
            "overall precision {:.3} < {TARGET_PRECISION}",
            overall.precision.unwrap_or(0.0)
        ));
    }
    for c in categories.iter().filter(|c| c.targeted) {
        if c.value < TARGET_CATEGORY {
            violations
                .push(format!("{}: {} {:.3} < {TARGET_CATEGORY}", c.category, c.metric, c.value));
        }
    }
    Report { threshold, pairs: pairs.len(), scoring_ms, categories, overall, failures, violations }
}

fn f3(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.3}")).unwrap_or_else(|| "–".into())
}

fn esc(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

impl Report {
    /// Whether every target is met.
    pub fn passed(&self) -> bool {
        self.violations.is_empty()
    }

    /// Markdown: the metrics table, score distributions, and up to
    /// `max_failures` failures per category.
    pub fn to_markdown(&self, max_failures: usize) -> String {
        let mut s = String::new();
        s.push_str(&format!(
            "Threshold {:.2}; {} pairs; scored in {:.0} ms.\n\n",
            self.threshold, self.pairs, self.scoring_ms
        ));
        s.push_str("| category | pos | neg | TP | FP | FN | TN | precision | recall | F1 | specificity | target metric | status |\n");
        s.push_str("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|\n");
        let row = |c: &CategoryReport| -> String {
            let status = if !c.targeted {
                "not targeted".to_string()
            } else if c.category == "overall" {
                let ok = c.recall.unwrap_or(0.0) >= TARGET_RECALL
                    && c.precision.unwrap_or(0.0) >= TARGET_PRECISION;
                format!(
                    "{} (R≥{TARGET_RECALL}, P≥{TARGET_PRECISION})",
                    if ok { "PASS" } else { "FAIL" }
                )
            } else if c.value >= TARGET_CATEGORY {
                "PASS".into()
            } else {
                "FAIL".into()
            };
            format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} {:.3} | {} |\n",
                c.category,
                c.positives,
                c.negatives,
                c.tp,
                c.fp,
                c.fn_,
                c.tn,
                f3(c.precision),
                f3(c.recall),
                f3(c.f1),
                f3(c.specificity),
                c.metric,
                c.value,
                status
            )
        };
        for c in &self.categories {
            s.push_str(&row(c));
        }
        s.push_str(&row(&self.overall).replace("| overall |", "| **overall** |"));
        s.push_str("\nScore distributions (positives: min / p10 / median; negatives: median / p90 / max):\n\n");
        s.push_str("| category | pos min | pos p10 | pos p50 | neg p50 | neg p90 | neg max |\n|---|--:|--:|--:|--:|--:|--:|\n");
        for c in self.categories.iter().chain(std::iter::once(&self.overall)) {
            let (p, n) = (&c.positive_scores, &c.negative_scores);
            let f = |n: usize, v: f64| if n == 0 { "–".to_string() } else { format!("{v:.3}") };
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                c.category,
                f(p.n, p.min),
                f(p.n, p.p10),
                f(p.n, p.p50),
                f(n.n, n.p50),
                f(n.n, n.p90),
                f(n.n, n.max)
            ));
        }
        if self.violations.is_empty() {
            s.push_str("\nAll targets met.\n");
        } else {
            s.push_str("\nTargets not met:\n\n");
            for v in &self.violations {
                s.push_str(&format!("- {v}\n"));
            }
        }
        if max_failures > 0 && !self.failures.is_empty() {
            s.push_str(&format!(
                "\nFailures ({} in total; up to {max_failures} per category, furthest from the threshold first):\n\n",
                self.failures.len()
            ));
            s.push_str("| category | expected | score | query | listed | note |\n|---|---|--:|---|---|---|\n");
            let mut shown: std::collections::HashMap<Category, usize> = Default::default();
            for f in &self.failures {
                let k = shown.entry(f.category).or_default();
                if *k >= max_failures {
                    continue;
                }
                *k += 1;
                s.push_str(&format!(
                    "| {} | {} | {:.3} | {} | {} | {} |\n",
                    f.category,
                    if f.expected { "match" } else { "no match" },
                    f.score,
                    esc(&f.query),
                    esc(&f.listed),
                    esc(&f.note)
                ));
            }
        }
        s
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chiptrace_lists::EntitySchema;

    fn pair(cat: Category, expected: bool) -> EvalPair {
        EvalPair {
            category: cat,
            schema: EntitySchema::Organization,
            query: "a".into(),
            listed: "b".into(),
            expected,
            list_entry_id: "x:1".into(),
            note: String::new(),
        }
    }

    #[test]
    fn metrics() {
        let pairs = vec![
            pair(Category::Typo, true),
            pair(Category::Typo, true),
            pair(Category::Typo, false),
            pair(Category::Unrelated, false),
            pair(Category::HanBrand, true),
        ];
        let scores = [0.9, 0.1, 0.95, 0.0, 0.0];
        let r = evaluate_scored(&pairs, &scores, 0.8, 0.0);
        let t = &r.categories[0];
        assert_eq!((t.tp, t.fp, t.fn_, t.tn), (1, 1, 1, 0));
        assert_eq!(t.precision, Some(0.5));
        assert_eq!(t.metric, "f1");
        let u = r.categories.iter().find(|c| c.category == "unrelated").unwrap();
        assert_eq!(u.metric, "specificity");
        assert_eq!(u.value, 1.0);
        // han_brand is excluded from overall.
        assert_eq!(r.overall.positives, 2);
        assert!(!r.passed());
        assert_eq!(r.failures.len(), 3);
        assert!(r.to_markdown(5).contains("| typo |"));
    }
}
