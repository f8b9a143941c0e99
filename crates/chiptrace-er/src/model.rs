//! The Fellegi–Sunter model: m and u probabilities per field level, the
//! prior match rate λ, u estimated by random sampling, m and λ by
//! expectation–maximisation over the candidate pairs (as Splink does), and
//! term-frequency adjusted exact levels.
//!
//! Match weight of a pair: `w = log2(λ/(1−λ)) + Σ_f log2(m_fℓ / u_fℓ)`,
//! with `u_fℓ` replaced by the frequency of the shared value on
//! term-frequency adjusted exact levels; probability `p = 2^w / (1 + 2^w)`.

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::compare::{FIELDS, Field, MISSING, N_FIELDS};

/// Smallest m EM may set: one disagreeing field never costs more than
/// about 10 bits on its own, however clean the training data looked
/// (synthetic data has no typos in dates; real data does).
const M_FLOOR: f64 = 1e-3;

/// Pseudo-records of the prior in term-frequency adjustments.
const TF_PRIOR_RECORDS: f64 = 1000.0;

/// Smallest probability a parameter may take (keeps weights finite).
const FLOOR: f64 = 1e-6;

/// m and u of one field, one entry per level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldParams {
    /// The field.
    pub field: Field,
    /// P(level | match).
    pub m: Vec<f64>,
    /// P(level | non-match).
    pub u: Vec<f64>,
}

impl FieldParams {
    /// log2(m/u) of a level.
    pub fn weight(&self, level: u8) -> f64 {
        let l = level as usize;
        match (self.m.get(l), self.u.get(l)) {
            (Some(m), Some(u)) => (m.max(FLOOR) / u.max(FLOOR)).log2(),
            _ => 0.0,
        }
    }
}

/// A trained (or default) model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    /// Prior probability that a candidate pair is a match.
    pub lambda: f64,
    /// Parameters per field, in γ order.
    pub fields: Vec<FieldParams>,
    /// EM iterations run.
    pub em_iterations: usize,
    /// Pairs sampled to estimate u.
    pub u_sample_pairs: usize,
}

fn params(field: Field, m: &[f64], u: &[f64]) -> FieldParams {
    FieldParams { field, m: m.to_vec(), u: u.to_vec() }
}

impl Default for Model {
    fn default() -> Self {
        Model::defaults()
    }
}

impl Model {
    /// Starting values: m calibrated on FEBRL-like person data and on
    /// company registers (identifiers agree for ~90 % of true pairs where
    /// both sides have them), u conservative. EM and u-sampling replace
    /// them on real data.
    pub fn defaults() -> Model {
        let fields = vec![
            params(
                Field::Name,
                &[0.55, 0.2, 0.15, 0.05, 0.05],
                &[0.0005, 0.001, 0.005, 0.04, 0.9535],
            ),
            params(Field::GivenName, &[0.85, 0.07, 0.03, 0.05], &[0.005, 0.005, 0.03, 0.96]),
            params(Field::Surname, &[0.85, 0.07, 0.03, 0.05], &[0.002, 0.003, 0.02, 0.975]),
            params(Field::Date, &[0.85, 0.08, 0.03, 0.04], &[0.0002, 0.002, 0.01, 0.9878]),
            params(
                Field::RegistrationId,
                &[0.88, 0.06, 0.02, 0.04],
                &[0.0001, 0.0005, 0.002, 0.9974],
            ),
            params(Field::Phone, &[0.85, 0.15], &[0.001, 0.999]),
            params(Field::Domain, &[0.3, 0.6, 0.1], &[0.0005, 0.005, 0.9945]),
            params(Field::Address, &[0.7, 0.15, 0.05, 0.1], &[0.001, 0.003, 0.02, 0.976]),
            params(Field::Locality, &[0.85, 0.05, 0.1], &[0.01, 0.01, 0.98]),
            params(Field::Postcode, &[0.85, 0.05, 0.1], &[0.005, 0.02, 0.975]),
            params(Field::State, &[0.9, 0.1], &[0.3, 0.7]),
            params(Field::Country, &[0.97, 0.03], &[0.3, 0.7]),
        ];
        Model { lambda: 1e-3, fields, em_iterations: 0, u_sample_pairs: 0 }
    }

    /// The prior weight log2(λ/(1−λ)).
    pub fn prior_weight(&self) -> f64 {
        let l = self.lambda.clamp(FLOOR, 1.0 - FLOOR);
        (l / (1.0 - l)).log2()
    }

    /// Parameters of a field.
    pub fn field(&self, f: Field) -> &FieldParams {
        &self.fields[f.index()]
    }

    /// Weight of one field at one level, with the term frequency `tf` =
    /// (records carrying the shared value, all records) on the exact level
    /// of adjusted fields.
    ///
    /// The value's u is the chance that another record carries it,
    /// `(count − 1) / (records − 1)`, shrunk towards the field's average u
    /// with 1,000 pseudo-records, so that frequencies from a
    /// handful of records (where every shared value looks common) do not
    /// swamp the evidence; never more than 4 bits above the average weight.
    pub fn field_weight(&self, f: Field, level: u8, tf: Option<(f64, f64)>) -> f64 {
        if level == MISSING {
            return 0.0;
        }
        let p = self.field(f);
        let tf_level = match f {
            Field::Domain => 1, // the shared corporate domain
            _ => 0,
        };
        match tf {
            Some((count, total)) if f.tf_adjusted() && level == tf_level => {
                let m = p.m.get(level as usize).copied().unwrap_or(FLOOR).max(FLOOR);
                let u = p.u.get(level as usize).copied().unwrap_or(FLOOR).max(FLOOR);
                let k = TF_PRIOR_RECORDS;
                let u_tf = ((count - 1.0).max(0.0) + k * u) / ((total - 1.0).max(0.0) + k);
                let u_tf = u_tf.max(u / 16.0).max(FLOOR);
                (m / u_tf).log2()
            }
            _ => p.weight(level),
        }
    }

    /// Set u from the comparison levels of random pairs (`MISSING` skipped).
    pub(crate) fn set_u(&mut self, gammas: &[[u8; N_FIELDS]]) {
        self.u_sample_pairs = gammas.len();
        for f in FIELDS {
            let p = &mut self.fields[f.index()];
            let k = p.u.len();
            let mut counts = vec![0f64; k];
            for g in gammas {
                let l = g[f.index()];
                if l != MISSING && (l as usize) < k {
                    counts[l as usize] += 1.0;
                }
            }
            let total: f64 = counts.iter().sum();
            if total < 50.0 {
                continue; // too few observations: keep the default
            }
            // Add-half smoothing so unseen agreement levels stay finite
            // but small.
            for (u, c) in p.u.iter_mut().zip(&counts) {
                *u = ((c + 0.5) / (total + 0.5 * k as f64)).max(FLOOR);
            }
        }
    }

    /// Expectation–maximisation of m and λ over candidate-pair γ vectors
    /// (u fixed). Identical vectors are grouped, so an iteration costs the
    /// number of distinct vectors.
    pub(crate) fn em(&mut self, gammas: &[[u8; N_FIELDS]], iterations: usize, fixed_m: &[Field]) {
        self.em_ignoring(gammas, iterations, fixed_m, &[]);
    }

    /// EM where the `ignored` fields take no part at all (as Splink does
    /// for the columns of a training blocking rule: every pair of the
    /// session agrees on them, so they say nothing about which pairs match).
    pub(crate) fn em_ignoring(
        &mut self,
        gammas: &[[u8; N_FIELDS]],
        iterations: usize,
        fixed_m: &[Field],
        ignored: &[Field],
    ) {
        let mut patterns: FxHashMap<[u8; N_FIELDS], f64> = FxHashMap::default();
        for g in gammas {
            let mut g = *g;
            for f in ignored {
                g[f.index()] = MISSING;
            }
            *patterns.entry(g).or_insert(0.0) += 1.0;
        }
        let mut pats: Vec<([u8; N_FIELDS], f64)> = patterns.into_iter().collect();
        pats.sort_by_key(|p| p.0);
        let n: f64 = pats.iter().map(|p| p.1).sum();
        if n < 1.0 {
            return;
        }
        for it in 0..iterations {
            let prior = self.prior_weight();
            let mut lam_num = 0.0;
            let mut m_num: Vec<Vec<f64>> =
                self.fields.iter().map(|p| vec![0.0; p.m.len()]).collect();
            for (g, c) in &pats {
                let w: f64 = prior
                    + FIELDS.iter().map(|f| self.field_weight(*f, g[f.index()], None)).sum::<f64>();
                let post = 1.0 / (1.0 + (-w).exp2());
                lam_num += post * c;
                for f in FIELDS {
                    let l = g[f.index()];
                    if l != MISSING && (l as usize) < m_num[f.index()].len() {
                        m_num[f.index()][l as usize] += post * c;
                    }
                }
            }
            let new_lambda = (lam_num / n).clamp(FLOOR, 1.0 - FLOOR);
            let mut delta = (new_lambda - self.lambda).abs();
            self.lambda = new_lambda;
            for f in FIELDS {
                if fixed_m.contains(&f) {
                    continue;
                }
                let num = &m_num[f.index()];
                let total: f64 = num.iter().sum();
                if total < 5.0 {
                    continue; // the field is (almost) never present among matches
                }
                let p = &mut self.fields[f.index()];
                let k = p.m.len() as f64;
                for (l, v) in num.iter().enumerate() {
                    let m = ((v + 0.01) / (total + 0.01 * k)).max(M_FLOOR);
                    delta = delta.max((m - p.m[l]).abs());
                    p.m[l] = m;
                }
            }
            self.em_iterations = it + 1;
            if delta < 1e-5 {
                break;
            }
        }
    }
}

/// Fields compared as names.
const NAME_FIELDS: [Field; 3] = [Field::Name, Field::GivenName, Field::Surname];

/// Fields of the second session's rule.
const ID_FIELDS: [Field; 4] = [Field::RegistrationId, Field::Phone, Field::Date, Field::Domain];

/// Pairs whose names agree: the first training session (it estimates every
/// field but the names).
fn names_agree(g: &[u8; N_FIELDS]) -> bool {
    let l = |f: Field| g[f.index()];
    l(Field::Name) <= 1 || (l(Field::GivenName) == 0 && l(Field::Surname) == 0)
}

/// Pairs sharing an identifier: the second training session (it estimates
/// the names).
fn identifiers_agree(g: &[u8; N_FIELDS]) -> bool {
    let l = |f: Field| g[f.index()];
    l(Field::RegistrationId) <= 1
        || l(Field::Phone) == 0
        || l(Field::Date) == 0
        || l(Field::Domain) == 0
}

impl Model {
    /// Train m and λ as Splink does, in sessions over subsets of the
    /// candidate pairs so that no single kind of agreement defines the
    /// latent "match" class (a registered-agent address shared by dozens of
    /// companies would otherwise become it):
    /// 1. EM on pairs whose names agree → m of every field but the names
    ///    (the names take no part in that session);
    /// 2. EM on pairs sharing an identifier (registration id, phone, e-mail
    ///    address, date) → m of the names (the identifiers take no part);
    /// 3. λ over all candidate pairs with m and u fixed.
    ///
    /// A session with too few pairs (< 20) leaves its fields at the
    /// starting values.
    pub(crate) fn train(
        &mut self,
        gammas: &[[u8; N_FIELDS]],
        iterations: usize,
        fixed_m: &[Field],
    ) {
        let start_lambda = self.lambda;
        let s1: Vec<[u8; N_FIELDS]> = gammas.iter().filter(|g| names_agree(g)).copied().collect();
        let s2: Vec<[u8; N_FIELDS]> =
            gammas.iter().filter(|g| identifiers_agree(g)).copied().collect();
        let mut iters = 0;
        if s1.len() >= 20 {
            let mut m1 = self.clone();
            m1.lambda = 0.5;
            let mut fixed: Vec<Field> = fixed_m.to_vec();
            fixed.extend(NAME_FIELDS);
            m1.em_ignoring(&s1, iterations, &fixed, &NAME_FIELDS);
            iters += m1.em_iterations;
            for f in FIELDS {
                if !fixed.contains(&f) {
                    self.fields[f.index()].m = m1.fields[f.index()].m.clone();
                }
            }
        }
        if s2.len() >= 20 {
            let mut m2 = self.clone();
            m2.lambda = 0.5;
            let mut fixed: Vec<Field> = fixed_m.to_vec();
            fixed.extend(FIELDS.iter().filter(|f| !NAME_FIELDS.contains(f)));
            m2.em_ignoring(&s2, iterations, &fixed, &ID_FIELDS);
            iters += m2.em_iterations;
            for f in NAME_FIELDS {
                if !fixed_m.contains(&f) {
                    self.fields[f.index()].m = m2.fields[f.index()].m.clone();
                }
            }
        }
        self.lambda = start_lambda;
        let all: Vec<Field> = FIELDS.to_vec();
        self.em(gammas, iterations, &all);
        self.em_iterations += iters;
    }
}

/// Term frequencies of field values: frequency = records with the value /
/// all records.
#[derive(Debug, Default)]
pub(crate) struct TermFrequencies {
    counts: Vec<FxHashMap<String, u32>>,
    total: f64,
}

impl TermFrequencies {
    pub fn new(values: impl Iterator<Item = [Option<String>; N_FIELDS]>) -> TermFrequencies {
        let mut counts: Vec<FxHashMap<String, u32>> = vec![FxHashMap::default(); N_FIELDS];
        let mut total = 0.0;
        for vals in values {
            total += 1.0;
            for (i, v) in vals.into_iter().enumerate() {
                if let Some(v) = v {
                    *counts[i].entry(v).or_insert(0) += 1;
                }
            }
        }
        TermFrequencies { counts, total }
    }

    /// (records with the value, all records), if the value was seen.
    pub fn freq(&self, f: Field, value: &str) -> Option<(f64, f64)> {
        let c = self.counts.get(f.index())?.get(value)?;
        Some((f64::from(*c), self.total))
    }

    /// Records carrying a value of a field.
    pub fn count(&self, f: Field, value: &str) -> u32 {
        self.counts.get(f.index()).and_then(|m| m.get(value)).copied().unwrap_or(0)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap freely; failures are the point
mod tests {
    use super::*;

    #[test]
    fn weights_are_log_ratios() {
        let m = Model::defaults();
        let p = m.field(Field::Phone);
        assert!((p.weight(0) - (0.85f64 / 0.001).log2()).abs() < 1e-9);
        assert!(p.weight(1) < 0.0);
        assert_eq!(m.field_weight(Field::Phone, MISSING, None), 0.0);
        // A frequent value weighs less than the average agreement.
        let common = m.field_weight(Field::Phone, 0, Some((500.0, 10_000.0)));
        assert!(common < p.weight(0) - 3.0, "{common}");
        // A rare one more, capped at 4 bits above.
        let rare = m.field_weight(Field::Phone, 0, Some((2.0, 1e9)));
        assert!((rare - p.weight(0) - 4.0).abs() < 1e-9);
        // Two records of four share it: no evidence that it is common.
        let tiny = m.field_weight(Field::Phone, 0, Some((2.0, 4.0)));
        assert!(tiny > p.weight(0) - 1.5, "{tiny}");
    }

    #[test]
    fn em_separates_matches() {
        // 100 pairs agreeing on everything, 10,000 disagreeing.
        let mut g = Vec::new();
        let agree = [0u8, MISSING, MISSING, 0, 0, 0, 1, 0, 0, 0, 0, 0];
        let disagree = [4u8, MISSING, MISSING, 3, 3, 1, 2, 3, 2, 2, 1, 1];
        g.extend(std::iter::repeat_n(agree, 100));
        g.extend(std::iter::repeat_n(disagree, 10_000));
        let mut m = Model::defaults();
        m.set_u(&g);
        m.em(&g, 25, &[]);
        assert!((m.lambda - 100.0 / 10_100.0).abs() < 1e-3, "lambda {}", m.lambda);
        assert!(m.field(Field::Phone).m[0] > 0.95);
        assert!(m.em_iterations >= 1);
    }
}
