//! Evaluation against ground truth: pairwise precision / recall / F1 over
//! the pairs implied by the clusters, and exact-cluster precision / recall
//! / F1.

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::record::Record;

/// Quality figures of one run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Metrics {
    /// True pairs.
    pub true_pairs: u64,
    /// Pairs put in one cluster.
    pub predicted_pairs: u64,
    /// Pairs both true and predicted.
    pub correct_pairs: u64,
    /// Pairwise precision.
    pub precision: f64,
    /// Pairwise recall.
    pub recall: f64,
    /// Pairwise F1.
    pub f1: f64,
    /// True entities (clusters, singletons included).
    pub true_clusters: usize,
    /// Predicted clusters.
    pub predicted_clusters: usize,
    /// Predicted clusters that equal a true cluster exactly.
    pub exact_clusters: usize,
    /// Cluster precision (exact / predicted).
    pub cluster_precision: f64,
    /// Cluster recall (exact / true).
    pub cluster_recall: f64,
    /// Cluster F1.
    pub cluster_f1: f64,
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Pairs among `members` (indices into `records`): all pairs, or in
/// link-only mode only pairs across sources.
fn pair_count(members: &[usize], records: &[Record], link_only: bool) -> u64 {
    let n = members.len() as u64;
    let all = n * n.saturating_sub(1) / 2;
    if !link_only {
        return all;
    }
    let mut by_src: FxHashMap<&str, u64> = FxHashMap::default();
    for &m in members {
        *by_src.entry(records[m].source.as_str()).or_insert(0) += 1;
    }
    all - by_src.values().map(|c| c * c.saturating_sub(1) / 2).sum::<u64>()
}

/// Compare a clustering (`cluster_of[i]` for record `i`) with the truth
/// (`truth[i]`, equal labels = same entity). In link-only mode pairs within
/// one source are ignored (the sources are taken as deduplicated).
pub fn evaluate(
    records: &[Record],
    truth: &[String],
    cluster_of: &[usize],
    link_only: bool,
) -> Metrics {
    let n = records.len().min(truth.len()).min(cluster_of.len());
    let mut pred: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    let mut real: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    let mut both: FxHashMap<(usize, &str), Vec<usize>> = FxHashMap::default();
    for i in 0..n {
        pred.entry(cluster_of[i]).or_default().push(i);
        real.entry(truth[i].as_str()).or_default().push(i);
        both.entry((cluster_of[i], truth[i].as_str())).or_default().push(i);
    }
    let predicted_pairs: u64 = pred.values().map(|m| pair_count(m, records, link_only)).sum();
    let true_pairs: u64 = real.values().map(|m| pair_count(m, records, link_only)).sum();
    let correct_pairs: u64 = both.values().map(|m| pair_count(m, records, link_only)).sum();
    let precision = ratio(correct_pairs, predicted_pairs);
    let recall = ratio(correct_pairs, true_pairs);
    // Exact clusters: a predicted cluster whose members are exactly one
    // true entity's records.
    let exact_clusters = pred
        .values()
        .filter(|m| {
            let label = truth[m[0]].as_str();
            m.iter().all(|&i| truth[i] == label)
                && real.get(label).is_some_and(|r| r.len() == m.len())
        })
        .count();
    let cp = if pred.is_empty() { 1.0 } else { exact_clusters as f64 / pred.len() as f64 };
    let cr = if real.is_empty() { 1.0 } else { exact_clusters as f64 / real.len() as f64 };
    Metrics {
        true_pairs,
        predicted_pairs,
        correct_pairs,
        precision,
        recall,
        f1: f1(precision, recall),
        true_clusters: real.len(),
        predicted_clusters: pred.len(),
        exact_clusters,
        cluster_precision: cp,
        cluster_recall: cr,
        cluster_f1: f1(cp, cr),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap freely; failures are the point
mod tests {
    use super::*;

    fn recs(srcs: &[&str]) -> Vec<Record> {
        srcs.iter().enumerate().map(|(i, s)| Record::company(&i.to_string(), s, "x")).collect()
    }

    #[test]
    fn perfect_and_imperfect() {
        let r = recs(&["a", "a", "a", "a"]);
        let truth: Vec<String> = ["1", "1", "2", "3"].iter().map(|s| s.to_string()).collect();
        let m = evaluate(&r, &truth, &[0, 0, 1, 2], false);
        assert_eq!((m.precision, m.recall, m.cluster_f1), (1.0, 1.0, 1.0));
        // Over-merge 2 and 3: one wrong pair.
        let m = evaluate(&r, &truth, &[0, 0, 1, 1], false);
        assert_eq!(m.predicted_pairs, 2);
        assert_eq!(m.correct_pairs, 1);
        assert!((m.precision - 0.5).abs() < 1e-12);
        assert_eq!(m.recall, 1.0);
        assert_eq!(m.exact_clusters, 1);
        // Under-merge.
        let m = evaluate(&r, &truth, &[0, 1, 2, 3], false);
        assert_eq!(m.recall, 0.0);
        assert_eq!(m.f1, 0.0);
    }

    #[test]
    fn link_only_ignores_within_source_pairs() {
        let r = recs(&["a", "a", "b"]);
        let truth: Vec<String> = ["1", "1", "1"].iter().map(|s| s.to_string()).collect();
        let m = evaluate(&r, &truth, &[0, 0, 0], true);
        assert_eq!(m.true_pairs, 2);
        assert_eq!(m.predicted_pairs, 2);
    }
}
