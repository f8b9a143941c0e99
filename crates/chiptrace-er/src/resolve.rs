//! The resolver: records → features → blocks → comparisons → model (u by
//! sampling, m and λ by EM) → scored pairs → guarded clusters → links.

use std::time::Instant;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::block::{BlockingStats, candidate_pairs};
use crate::compare::{
    Comparison, FIELDS, Field, MISSING, N_FIELDS, align_names, compare, conflict,
};
use crate::error::{Error, Result};
use crate::explain::{
    Decision, FieldEvidence, PairExplanation, RecordRef, level_name, probability,
};
use crate::features::Features;
use crate::links::{Link, find_links};
use crate::model::{Model, TermFrequencies};
use crate::record::{Kind, Record};
use crate::rng::SplitMix64;

/// Options of a resolution run.
#[derive(Debug, Clone)]
pub struct Config {
    /// Compare only records of different sources (linking deduplicated
    /// files, FEBRL4); otherwise deduplicate across and within sources.
    pub link_only: bool,
    /// Minimum match probability of a cluster edge.
    pub threshold: f64,
    /// Largest block compared; larger blocks are skipped and counted.
    pub max_block: usize,
    /// EM iterations (0: keep the model's m and λ).
    pub em_iterations: usize,
    /// Random pairs sampled to estimate u (0: keep the model's u).
    pub u_sample_pairs: usize,
    /// Seed of the u sampling.
    pub seed: u64,
    /// Starting model (defaults when `None`).
    pub model: Option<Model>,
    /// A shared identifier value carried by more records than this is a
    /// "mass" value (registered-agent address, switchboard): no
    /// shared-identifier links are made from it.
    pub mass_identifier: u32,
    /// Fields whose m is not re-estimated by EM (keep the model's).
    pub fixed_m: Vec<Field>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            link_only: false,
            threshold: 0.99,
            max_block: 200,
            em_iterations: 30,
            u_sample_pairs: 200_000,
            seed: 0x5eed,
            model: None,
            mass_identifier: 10,
            fixed_m: Vec::new(),
        }
    }
}

/// A resolved entity: one or more records.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    /// Cluster number (position in [`Resolution::clusters`]).
    pub id: usize,
    /// The records, sorted.
    pub members: Vec<RecordRef>,
    /// The pairs that joined the cluster (a spanning tree), with their
    /// evidence.
    pub edges: Vec<PairExplanation>,
    /// Merges into or out of this cluster that a guard refused.
    pub refused: Vec<PairExplanation>,
}

/// Timings and counts of a run.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Stats {
    /// Records in.
    pub records: usize,
    /// Blocking figures (pairs compared = `blocking.pairs`).
    pub blocking: BlockingStats,
    /// Pairs above the threshold.
    pub pairs_above_threshold: usize,
    /// Of those, refused as corporate-family pairs.
    pub refused_corporate_family: usize,
    /// Of those, refused because of a conflict inside the merged cluster.
    pub refused_conflict: usize,
    /// Shared identifier values over the mass threshold: (field, value,
    /// records).
    pub mass_identifiers: Vec<(String, String, u32)>,
    /// Seconds: features, blocking, comparing, training, clustering+links.
    pub seconds: Timings,
}

/// Seconds per stage.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Timings {
    /// Normalisation.
    pub features: f64,
    /// Blocking.
    pub blocking: f64,
    /// Pair comparisons.
    pub comparing: f64,
    /// u sampling and EM.
    pub training: f64,
    /// Scoring, clustering, links, explanations.
    pub clustering: f64,
    /// Whole run.
    pub total: f64,
}

/// The result of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    /// Clusters, singletons included, ordered by their first record.
    pub clusters: Vec<Cluster>,
    /// `cluster_of[i]` is the cluster of input record `i`.
    pub cluster_of: Vec<usize>,
    /// Related-but-distinct clusters.
    pub links: Vec<Link>,
    /// The model used (after training).
    pub model: Model,
    /// Counts and timings.
    pub stats: Stats,
}

impl Resolution {
    /// The cluster of a record by source and id.
    pub fn cluster_of_record(&self, source: &str, id: &str) -> Option<&Cluster> {
        self.clusters.iter().find(|c| c.members.iter().any(|m| m.source == source && m.id == id))
    }
}

/// Everything computed for the scored candidate pairs, shared with links.
pub(crate) struct Scored<'a> {
    pub records: &'a [Record],
    pub feats: &'a [Features],
    pub pairs: &'a [(u32, u32)],
    pub cmps: &'a [Comparison],
    pub tf: &'a TermFrequencies,
}

fn tf_values(f: &Features) -> [Option<String>; N_FIELDS] {
    let mut v: [Option<String>; N_FIELDS] = Default::default();
    v[Field::Name.index()] = f.name_key.clone();
    v[Field::GivenName.index()] = f.given.clone();
    v[Field::Surname.index()] = f.surname.clone();
    v[Field::Phone.index()] = f.phone_key.clone();
    v[Field::Domain.index()] = f.domain.clone();
    v[Field::Address.index()] = f.address_key();
    v[Field::Locality.index()] = f.locality.clone();
    v
}

/// The value of a field shown in explanations.
fn shown(f: &Features, field: Field) -> Option<String> {
    match field {
        Field::Name => f.name_key.clone(),
        Field::GivenName => f.given.clone(),
        Field::Surname => f.surname.clone(),
        Field::Date => f.date.clone(),
        Field::RegistrationId => f.reg_id.clone(),
        Field::Phone => f.phone_key.clone(),
        Field::Domain => f
            .email
            .as_ref()
            .map(|e| e.address.clone())
            .into_iter()
            .chain(f.domain.clone())
            .reduce(|a, b| format!("{a} / {b}")),
        Field::Address => f.address_key(),
        Field::Locality => f.locality.clone(),
        Field::Postcode => f.postcode.clone(),
        Field::State => f.state.clone(),
        Field::Country => f.country.clone(),
    }
}

/// The γ vector used for training: agreement on a value shared by more
/// than `mass` records (a registered-agent address, a switchboard phone,
/// a hosting domain) is treated as missing. Otherwise the dozens of
/// distinct companies at one corporate-secretary address form a latent
/// class of their own and EM learns "same address" as the match signature.
fn mask_mass_values(
    tf: &TermFrequencies,
    a: &Features,
    c: &Comparison,
    mass: u32,
) -> [u8; N_FIELDS] {
    let mut g = c.gamma;
    for (f, v) in [
        (Field::Address, a.address_key()),
        (Field::Phone, a.phone_key.clone()),
        (Field::Domain, a.domain.clone()),
    ] {
        let exact = if f == Field::Domain { 1 } else { 0 };
        if g[f.index()] == exact && v.is_some_and(|v| tf.count(f, &v) > mass) {
            g[f.index()] = MISSING;
            if f == Field::Address {
                g[Field::Postcode.index()] = MISSING;
            }
        }
    }
    g
}

/// An identifier agrees: registration id, e-mail address, or a phone that
/// is not a mass value (a registered agent's or switchboard number).
fn hard_identifier(tf: &TermFrequencies, a: &Features, c: &Comparison, mass: u32) -> bool {
    if !c.hard_id {
        return false;
    }
    if c.hard_by_phone_only {
        return a.phone_key.as_deref().is_some_and(|p| tf.count(Field::Phone, p) <= mass);
    }
    true
}

/// Term frequency of the value shared at an exact level.
fn pair_tf(tf: &TermFrequencies, a: &Features, field: Field) -> Option<(f64, f64)> {
    if !field.tf_adjusted() {
        return None;
    }
    let v = match field {
        Field::Name => a.name_key.clone(),
        Field::GivenName => a.given.clone(),
        Field::Surname => a.surname.clone(),
        Field::Phone => a.phone_key.clone(),
        Field::Domain => a.domain.clone(),
        Field::Address => a.address_key(),
        Field::Locality => a.locality.clone(),
        _ => None,
    }?;
    tf.freq(field, &v)
}

pub(crate) fn pair_weight(
    model: &Model,
    tf: &TermFrequencies,
    a: &Features,
    c: &Comparison,
) -> f64 {
    let mut w = model.prior_weight();
    for f in FIELDS {
        let l = c.gamma[f.index()];
        if l == MISSING {
            continue;
        }
        let t = if l == 0 || (f == Field::Domain && l == 1) { pair_tf(tf, a, f) } else { None };
        w += model.field_weight(f, l, t);
    }
    w
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn explain_pair(
    model: &Model,
    tf: &TermFrequencies,
    records: &[Record],
    feats: &[Features],
    i: usize,
    j: usize,
    c: &Comparison,
    decision: Decision,
    reason: Option<String>,
) -> PairExplanation {
    let (a, b) = (&feats[i], &feats[j]);
    let mut fields = Vec::with_capacity(N_FIELDS);
    let mut total = model.prior_weight();
    for f in FIELDS {
        let l = c.gamma[f.index()];
        let t = if l == 0 || (f == Field::Domain && l == 1) { pair_tf(tf, a, f) } else { None };
        let weight = model.field_weight(f, l, t);
        total += weight;
        // Fields absent on both sides say nothing and are left out.
        let (lv, rv) = (shown(a, f), shown(b, f));
        if l == MISSING && lv.is_none() && rv.is_none() {
            continue;
        }
        fields.push(FieldEvidence {
            field: f,
            level: level_name(f, l),
            weight: (weight * 1000.0).round() / 1000.0,
            left: lv,
            right: rv,
            tf_adjusted: t.is_some() && f.tf_adjusted(),
        });
    }
    let name_alignment =
        if c.gamma[Field::Name.index()] != MISSING { align_names(a, b) } else { None };
    PairExplanation {
        left: rref(&records[i]),
        right: rref(&records[j]),
        prior_weight: (model.prior_weight() * 1000.0).round() / 1000.0,
        fields,
        total_weight: (total * 1000.0).round() / 1000.0,
        probability: probability(total),
        decision,
        reason,
        name_alignment,
    }
}

pub(crate) fn rref(r: &Record) -> RecordRef {
    RecordRef { source: r.source.clone(), id: r.id.clone() }
}

fn validate(records: &[Record]) -> Result<FxHashMap<String, u32>> {
    if records.len() >= u32::MAX as usize {
        return Err(Error::TooManyRecords(records.len()));
    }
    let mut sources: FxHashMap<String, u32> = FxHashMap::default();
    let mut ids: FxHashSet<(&str, &str)> = FxHashSet::default();
    for (i, r) in records.iter().enumerate() {
        if r.id.trim().is_empty() {
            return Err(Error::EmptyId { index: i });
        }
        if !ids.insert((r.source.as_str(), r.id.as_str())) {
            return Err(Error::DuplicateId { id: r.id.clone(), source_name: r.source.clone() });
        }
        let n = sources.len() as u32;
        sources.entry(r.source.clone()).or_insert(n);
    }
    Ok(sources)
}

fn sample_u(feats: &[Features], link_only: bool, n: usize, seed: u64) -> Vec<[u8; N_FIELDS]> {
    let len = feats.len();
    if len < 2 || n == 0 {
        return Vec::new();
    }
    let mut rng = SplitMix64::new(seed);
    let mut pairs: Vec<(usize, usize)> = Vec::with_capacity(n);
    let mut tries = 0usize;
    while pairs.len() < n && tries < n * 4 {
        tries += 1;
        let (i, j) = (rng.below(len), rng.below(len));
        if i == j || (link_only && feats[i].source == feats[j].source) {
            continue;
        }
        pairs.push((i, j));
    }
    pairs.par_iter().with_min_len(256).map(|&(i, j)| compare(&feats[i], &feats[j]).gamma).collect()
}

/// Fewest possible record pairs for estimating u by sampling.
const MIN_PAIRS_FOR_U: u64 = 5_000;
/// Fewest candidate pairs for EM.
const MIN_PAIRS_FOR_EM: usize = 500;

/// Pairs that could be compared: all, or across sources in link-only mode.
fn possible_pairs(feats: &[Features], link_only: bool) -> u64 {
    let n = feats.len() as u64;
    let all = n * n.saturating_sub(1) / 2;
    if !link_only {
        return all;
    }
    let mut by_src: FxHashMap<u32, u64> = FxHashMap::default();
    for f in feats {
        *by_src.entry(f.source).or_insert(0) += 1;
    }
    all - by_src.values().map(|c| c * c.saturating_sub(1) / 2).sum::<u64>()
}

/// Union-find with member lists (small clusters are merged into large).
struct Clusters {
    parent: Vec<usize>,
    members: Vec<Vec<usize>>,
}

impl Clusters {
    fn new(n: usize) -> Clusters {
        Clusters { parent: (0..n).collect(), members: (0..n).map(|i| vec![i]).collect() }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) -> usize {
        let (big, small) =
            if self.members[a].len() >= self.members[b].len() { (a, b) } else { (b, a) };
        self.parent[small] = big;
        let moved = std::mem::take(&mut self.members[small]);
        self.members[big].extend(moved);
        big
    }
}

/// Largest cross product of two clusters checked member by member before a
/// merge; beyond it only the identifiers of the pair itself are checked.
const MAX_CROSS_CHECK: usize = 2_500;

/// Two members of clusters about to merge have names that differ on both
/// sides ("Zenqua Digital" / "Zenqua Elec"). That is no objection when a
/// member of either cluster carries a fuller name containing all the
/// differing words ("Zenqua Digital Electronics"): the two are shortenings
/// of it. A parent and its subsidiary have no such name.
fn explained_by_fuller_name(
    feats: &[Features],
    xs: &[usize],
    ys: &[usize],
    x: usize,
    y: usize,
) -> bool {
    let Some(al) = align_names(&feats[x], &feats[y]) else { return false };
    if al.legal_form_differs {
        return false;
    }
    let needed: Vec<&String> = al.unmatched_a.iter().chain(&al.unmatched_b).collect();
    xs.iter().chain(ys).filter(|&&z| z != x && z != y).any(|&z| {
        feats[z].forms.iter().any(|f| needed.iter().all(|w| f.toks.iter().any(|t| &t.text == *w)))
    })
}

/// Resolve records into clusters and links.
///
/// ```
/// use chiptrace_er::{resolve, Config, Record};
/// let mut a = Record::company("1", "crm", "Veltrix Technology Pte. Ltd.");
/// a.phone = Some("+65 6123 4567".into());
/// a.country = Some("SG".into());
/// let mut b = Record::company("7", "invoices", "VELTRIX TECH PTE LTD");
/// b.phone = Some("6123 4567".into());
/// b.country = Some("SG".into());
/// let c = Record::company("9", "invoices", "Zorbex Logistics Sdn Bhd");
/// let res = resolve(&[a, b, c], &Config::default()).unwrap();
/// assert_eq!(res.cluster_of[0], res.cluster_of[1]);
/// assert_ne!(res.cluster_of[0], res.cluster_of[2]);
/// ```
pub fn resolve(records: &[Record], cfg: &Config) -> Result<Resolution> {
    if !(0.0..=1.0).contains(&cfg.threshold) || cfg.threshold.is_nan() {
        return Err(Error::Config(format!("threshold {} is not a probability", cfg.threshold)));
    }
    if cfg.max_block < 2 {
        return Err(Error::Config("max_block must be at least 2".into()));
    }
    let t0 = Instant::now();
    let sources = validate(records)?;
    let feats: Vec<Features> = records
        .par_iter()
        .with_min_len(64)
        .map(|r| Features::new(r, sources.get(&r.source).copied().unwrap_or(0)))
        .collect();
    let t_feat = t0.elapsed().as_secs_f64();

    let t1 = Instant::now();
    let (pairs, blocking) = candidate_pairs(&feats, cfg.link_only, cfg.max_block);
    let t_block = t1.elapsed().as_secs_f64();

    let t2 = Instant::now();
    let cmps: Vec<Comparison> = pairs
        .par_iter()
        .with_min_len(256)
        .map(|&(i, j)| compare(&feats[i as usize], &feats[j as usize]))
        .collect();
    let t_cmp = t2.elapsed().as_secs_f64();

    let t3 = Instant::now();
    let mut model = cfg.model.clone().unwrap_or_default();
    // Too few records for estimates: a handful of records gives a handful
    // of distinct random pairs (some of them matches) and EM has nothing to
    // separate; the starting model is better.
    let possible = possible_pairs(&feats, cfg.link_only);
    if cfg.u_sample_pairs > 0 && possible >= MIN_PAIRS_FOR_U {
        let u =
            sample_u(&feats, cfg.link_only, cfg.u_sample_pairs.min(possible as usize), cfg.seed);
        model.set_u(&u);
    }
    let tf = TermFrequencies::new(feats.iter().map(tf_values));
    if cfg.em_iterations > 0 && pairs.len() >= MIN_PAIRS_FOR_EM {
        let gammas: Vec<[u8; N_FIELDS]> = pairs
            .iter()
            .zip(&cmps)
            .map(|(&(i, _), c)| mask_mass_values(&tf, &feats[i as usize], c, cfg.mass_identifier))
            .collect();
        model.train(&gammas, cfg.em_iterations, &cfg.fixed_m);
    }
    let t_train = t3.elapsed().as_secs_f64();

    let t4 = Instant::now();
    let weights: Vec<f64> = pairs
        .par_iter()
        .zip(cmps.par_iter())
        .with_min_len(256)
        .map(|(&(i, _), c)| pair_weight(&model, &tf, &feats[i as usize], c))
        .collect();

    let mut stats = Stats { records: records.len(), blocking, ..Stats::default() };
    let min_w = {
        let t = cfg.threshold.clamp(1e-12, 1.0 - 1e-12);
        (t / (1.0 - t)).log2()
    };
    let mut order: Vec<usize> = (0..pairs.len()).filter(|&k| weights[k] >= min_w).collect();
    stats.pairs_above_threshold = order.len();
    order.sort_by(|&x, &y| weights[y].total_cmp(&weights[x]).then(pairs[x].cmp(&pairs[y])));

    let mut uf = Clusters::new(records.len());
    let mut edges: Vec<(usize, Decision, Option<String>)> = Vec::new();
    for k in order {
        let (i, j) = (pairs[k].0 as usize, pairs[k].1 as usize);
        let c = &cmps[k];
        if c.name_distinguishes && !hard_identifier(&tf, &feats[i], c, cfg.mass_identifier) {
            stats.refused_corporate_family += 1;
            let why = "company names differ in a distinguishing token or legal form and no \
                       registration id, phone or e-mail address agrees";
            edges.push((k, Decision::CorporateFamily, Some(why.to_string())));
            continue;
        }
        let (ri, rj) = (uf.find(i), uf.find(j));
        if ri == rj {
            continue;
        }
        let mut why: Option<String> = None;
        if let Some(reason) = conflict(&feats[i], &records[i].id, &feats[j], &records[j].id) {
            why = Some(reason.to_string());
        } else if uf.members[ri].len() * uf.members[rj].len() <= MAX_CROSS_CHECK {
            'outer: for &x in &uf.members[ri] {
                for &y in &uf.members[rj] {
                    if let Some(reason) =
                        conflict(&feats[x], &records[x].id, &feats[y], &records[y].id)
                    {
                        why = Some(format!(
                            "{reason}: {}/{} and {}/{}",
                            records[x].source, records[x].id, records[y].source, records[y].id
                        ));
                        break 'outer;
                    }
                    if feats[x].kind == Kind::Company && feats[y].kind == Kind::Company {
                        let cc = compare(&feats[x], &feats[y]);
                        if cc.name_distinguishes
                            && !hard_identifier(&tf, &feats[x], &cc, cfg.mass_identifier)
                            && !explained_by_fuller_name(
                                &feats,
                                &uf.members[ri],
                                &uf.members[rj],
                                x,
                                y,
                            )
                        {
                            why = Some(format!(
                                "merge would join corporate-family records {}/{} and {}/{}",
                                records[x].source, records[x].id, records[y].source, records[y].id
                            ));
                            break 'outer;
                        }
                    }
                }
            }
        }
        match why {
            Some(w) => {
                stats.refused_conflict += 1;
                edges.push((k, Decision::Conflict, Some(w)));
            }
            None => {
                uf.union(ri, rj);
                edges.push((k, Decision::Match, None));
            }
        }
    }

    // Number clusters by first record.
    let n = records.len();
    let mut cluster_of = vec![usize::MAX; n];
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut root_to_cluster: FxHashMap<usize, usize> = FxHashMap::default();
    for (i, slot) in cluster_of.iter_mut().enumerate() {
        let root = uf.find(i);
        let next = root_to_cluster.len();
        let cid = *root_to_cluster.entry(root).or_insert(next);
        if cid == clusters.len() {
            clusters.push(Cluster {
                id: cid,
                members: Vec::new(),
                edges: Vec::new(),
                refused: Vec::new(),
            });
        }
        *slot = cid;
        clusters[cid].members.push(rref(&records[i]));
    }
    for c in &mut clusters {
        c.members.sort();
    }
    for (k, decision, reason) in edges {
        let (i, j) = (pairs[k].0 as usize, pairs[k].1 as usize);
        let ex = explain_pair(&model, &tf, records, &feats, i, j, &cmps[k], decision, reason);
        let (ci, cj) = (cluster_of[i], cluster_of[j]);
        if decision == Decision::Match {
            clusters[ci].edges.push(ex);
        } else {
            clusters[ci].refused.push(ex.clone());
            if cj != ci {
                clusters[cj].refused.push(ex);
            }
        }
    }

    let scored = Scored { records, feats: &feats, pairs: &pairs, cmps: &cmps, tf: &tf };
    let (links, mass) = find_links(&scored, &cluster_of, cfg.mass_identifier);
    stats.mass_identifiers = mass;
    let t_clu = t4.elapsed().as_secs_f64();
    stats.seconds = Timings {
        features: t_feat,
        blocking: t_block,
        comparing: t_cmp,
        training: t_train,
        clustering: t_clu,
        total: t0.elapsed().as_secs_f64(),
    };
    Ok(Resolution { clusters, cluster_of, links, model, stats })
}
