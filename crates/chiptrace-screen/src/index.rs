//! The candidate index: built once per list version, immutable, shared
//! read-only across threads (`Send + Sync`).
//!
//! Retrieval is recall-oriented and cheap (screening.md §7): every Word
//! token of every form of every listed name is indexed under
//! - its exact text,
//! - its one-deletion neighbourhood (SymSpell style: any single typo in a
//!   token of 4+ letters shares a key with the original),
//! - its Double Metaphone code,
//! - the concatenation of 2–3 adjacent Words ("zhongke"+"jingyuan"), so a
//!   glued query token finds a split listed name and vice versa.
//!
//! A query accumulates key weights per listed name (weights fall with a
//! key's document frequency, like IDF), keeps the best candidates and scores
//! only those with the full scorer.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};

use chiptrace_lists::{EntitySchema, ListEntry, NameKind};
use chiptrace_text::{NameType, TokenClass};
use rustc_hash::{FxHashMap, FxHasher};

use crate::prepared::{PForm, Prepared, prepare};

/// Key kinds (mixed into the hash so equal strings of different kinds differ).
const K_WORD: u8 = 1;
const K_DEL: u8 = 2;
const K_PHON: u8 = 3;

/// Postings longer than this are skipped when the query has other keys:
/// they carry almost no information and would dominate the cost.
const MAX_DF: usize = 1500;

/// How many candidate names are fully scored per query, at most.
pub(crate) const CANDIDATES: usize = 40;

/// Candidates whose retrieval weight is below this fraction of the best
/// candidate's are not scored (beyond the first [`MIN_CANDIDATES`]).
const RELATIVE_CUT: f32 = 0.4;

/// Always score at least this many candidates when there are that many.
const MIN_CANDIDATES: usize = 8;

/// One indexed name of one entry.
pub(crate) struct NameRec {
    pub entry: u32,
    pub name_idx: u16,
    pub prepared: Prepared,
}

/// Precomputed entry-level facts used by the qualifiers.
pub(crate) struct EntryMeta {
    pub countries: Vec<String>,
    pub birth_years: Vec<String>,
    pub address_tokens: Vec<String>,
}

pub(crate) struct IndexData {
    pub names: Vec<NameRec>,
    /// Per name: `1 / (1 + 0.1 × (tokens − 1))` over its Word, Generic and
    /// Number tokens, so that among names sharing the query's keys the
    /// shorter ones rank first (BM25-style length normalisation).
    pub norm: Vec<f32>,
    pub meta: Vec<EntryMeta>,
    pub postings: FxHashMap<u64, Vec<u32>>,
}

fn key(kind: u8, s: &str) -> u64 {
    let mut h = FxHasher::default();
    kind.hash(&mut h);
    s.hash(&mut h);
    h.finish()
}

/// Name analysis type for an entry schema.
pub(crate) fn name_type(schema: Option<EntitySchema>) -> NameType {
    match schema {
        Some(EntitySchema::Person) => NameType::Person,
        Some(EntitySchema::Organization) => NameType::Organization,
        _ => NameType::Any,
    }
}

/// Keys of one form, with a base weight each. `out` is appended to.
pub(crate) fn form_keys(f: &PForm, out: &mut Vec<(u64, f32)>) {
    let words: Vec<&str> =
        f.toks.iter().filter(|t| t.class == TokenClass::Word).map(|t| &*t.text).collect();
    let mut buf = String::new();
    for t in &f.toks {
        match t.class {
            // Generic words and numbers are weak keys on their own, but
            // names made only of them ("China Electronics Technology Group
            // Corporation 38th Research Institute") need them to be found;
            // IDF damping keeps "technology" from dominating.
            TokenClass::Generic => {
                out.push((key(K_WORD, &t.text), 0.3));
                continue;
            }
            TokenClass::Number => {
                out.push((key(K_WORD, &t.text), 0.8));
                continue;
            }
            TokenClass::Word => {}
            _ => continue,
        }
        // Short words (pinyin syllables, initials) are weak keys.
        let w = if t.place {
            0.4
        } else if t.text.len() <= 3 {
            0.5
        } else {
            1.0
        };
        out.push((key(K_WORD, &t.text), w));
        let n = t.text.len();
        if (4..=24).contains(&n) {
            out.push((key(K_DEL, &t.text), 0.6 * w));
            let b = t.text.as_bytes();
            for d in 0..n {
                buf.clear();
                // Tokens are ASCII by construction (chiptrace-text), so byte
                // slicing is on char boundaries; guard anyway.
                if !t.text.is_char_boundary(d) || !t.text.is_char_boundary(d + 1) {
                    continue;
                }
                buf.push_str(&t.text[..d]);
                buf.push_str(&t.text[d + 1..]);
                if d > 0 && b[d] == b[d - 1] {
                    continue; // same deletion as the previous position
                }
                out.push((key(K_DEL, &buf), 0.6 * w));
            }
        }
        if let Some(p) = &t.phon {
            out.push((key(K_PHON, p), 0.3 * w));
        }
    }
    // Adjacent concatenations (2 and 3 words), and the whole name when short.
    for win in 2..=3usize {
        if words.len() < win {
            break;
        }
        for s in words.windows(win) {
            buf.clear();
            for p in s {
                buf.push_str(p);
            }
            // Adjacent words glued are specific evidence ("zhi"+"yuan" =
            // "zhiyuan"): weigh them above a single word.
            out.push((key(K_WORD, &buf), 1.5));
        }
    }
    if (4..=5).contains(&words.len()) {
        buf.clear();
        for p in &words {
            buf.push_str(p);
        }
        out.push((key(K_WORD, &buf), 1.5));
    }
}

fn entry_type_for(e: &ListEntry) -> NameType {
    name_type(Some(e.schema))
}

pub(crate) fn address_tokens(s: &str) -> Vec<String> {
    let mut v: Vec<String> = chiptrace_text::normalize_basic(s)
        .split(' ')
        .filter(|t| t.len() >= 3 || t.chars().all(|c| c.is_ascii_digit()) && !t.is_empty())
        .map(str::to_string)
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Every year a listed birth date allows: all years written ("1960 to
/// 1962" and "1960-1962" cover the years between, up to 15), and one year
/// either side for approximate dates ("circa 1960", "approximately 1960").
pub(crate) fn birth_years_of(s: &str) -> Vec<String> {
    let years: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| p.len() == 4)
        .filter_map(|p| p.parse().ok())
        .filter(|y| (1800..=2100).contains(y))
        .collect();
    let (Some(&lo), Some(&hi)) = (years.iter().min(), years.iter().max()) else {
        return Vec::new();
    };
    let lower = s.to_ascii_lowercase();
    let approx = ["circa", "approx", "about", "c."].iter().any(|w| lower.contains(w));
    let (lo, hi) = if approx { (lo - 1, hi + 1) } else { (lo, hi) };
    if hi - lo > 15 {
        return years.iter().map(u32::to_string).collect();
    }
    (lo..=hi).map(|y| y.to_string()).collect()
}

/// Normalise a date to its year, if it has one.
pub(crate) fn year_of(s: &str) -> Option<String> {
    let digits: Vec<&str> =
        s.split(|c: char| !c.is_ascii_digit()).filter(|p| p.len() == 4).collect();
    digits.first().map(|y| (*y).to_string())
}

pub(crate) fn build(entries: &[ListEntry]) -> IndexData {
    use rayon::prelude::*;
    // Analyse all names in parallel; it is the expensive part of the build.
    let per_entry: Vec<(Vec<NameRec>, EntryMeta)> = entries
        .par_iter()
        .enumerate()
        .map(|(ei, e)| {
            let ty = entry_type_for(e);
            let mut recs = Vec::with_capacity(e.names.len());
            for (ni, n) in e.names.iter().enumerate().take(u16::MAX as usize) {
                let p = prepare(&n.name, ty);
                if p.forms.is_empty() {
                    continue;
                }
                recs.push(NameRec { entry: ei as u32, name_idx: ni as u16, prepared: p });
            }
            let mut countries: Vec<String> =
                e.countries.iter().map(|c| c.to_ascii_uppercase()).collect();
            for a in &e.addresses {
                if let Some(c) = &a.country {
                    countries.push(c.to_ascii_uppercase());
                }
            }
            countries.sort();
            countries.dedup();
            let mut birth_years: Vec<String> = e
                .dates
                .iter()
                .filter(|d| d.kind.contains("birth") || d.kind == "dob")
                .flat_map(|d| birth_years_of(&d.value))
                .collect();
            birth_years.sort();
            birth_years.dedup();
            let mut address_tokens = Vec::new();
            for a in e.addresses.iter().take(8) {
                address_tokens.extend(address_tokens_of(&a.full));
            }
            address_tokens.sort();
            address_tokens.dedup();
            (recs, EntryMeta { countries, birth_years, address_tokens })
        })
        .collect();
    let mut names = Vec::new();
    let mut meta = Vec::with_capacity(entries.len());
    for (recs, m) in per_entry {
        names.extend(recs);
        meta.push(m);
    }
    // Keys per name, computed in parallel, then merged into postings.
    let keys: Vec<Vec<u64>> = names
        .par_iter()
        .map(|r| {
            let mut ks = Vec::new();
            for f in &r.prepared.forms {
                form_keys(f, &mut ks);
            }
            let mut only: Vec<u64> = ks.into_iter().map(|(k, _)| k).collect();
            only.sort_unstable();
            only.dedup();
            only
        })
        .collect();
    let norm: Vec<f32> = names
        .iter()
        .map(|r| {
            let nt = r.prepared.forms.first().map_or(1, |f| {
                f.toks
                    .iter()
                    .filter(|t| {
                        matches!(
                            t.class,
                            TokenClass::Word | TokenClass::Generic | TokenClass::Number
                        )
                    })
                    .count()
            });
            1.0 / (1.0 + 0.1 * (nt.max(1) - 1) as f32)
        })
        .collect();
    let mut postings: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (ni, ks) in keys.into_iter().enumerate() {
        for k in ks {
            postings.entry(k).or_default().push(ni as u32);
        }
    }
    postings.shrink_to_fit();
    IndexData { names, norm, meta, postings }
}

fn address_tokens_of(s: &str) -> Vec<String> {
    address_tokens(s)
}

/// Per-thread scratch space for accumulating candidate weights.
#[derive(Default)]
struct Scratch {
    acc: Vec<f32>,
    touched: Vec<u32>,
    keys: Vec<(u64, f32)>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Retrieve candidate name ids for a prepared query, best first.
pub(crate) fn candidates(data: &IndexData, q: &Prepared, limit: usize) -> Vec<u32> {
    SCRATCH.with(|cell| {
        let mut s = cell.borrow_mut();
        let s = &mut *s;
        if s.acc.len() < data.names.len() {
            s.acc.resize(data.names.len(), 0.0);
        }
        s.keys.clear();
        for f in &q.forms {
            form_keys(f, &mut s.keys);
        }
        // One contribution per distinct key (forms repeat keys).
        s.keys.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        s.keys.dedup_by_key(|k| k.0);
        let hits: Vec<(&Vec<u32>, f32)> =
            s.keys.iter().filter_map(|(k, w)| data.postings.get(k).map(|p| (p, *w))).collect();
        let any_small = hits.iter().any(|(p, _)| p.len() <= MAX_DF);
        for (p, w) in hits {
            if any_small && p.len() > MAX_DF {
                continue;
            }
            // IDF-like damping: frequent keys say less.
            let idf = w / (1.0 + (p.len() as f32).ln());
            for &n in p {
                let a = &mut s.acc[n as usize];
                if *a == 0.0 {
                    s.touched.push(n);
                }
                *a += idf;
            }
        }
        // Rank by accumulated weight, gently normalised by name length.
        for &n in &s.touched {
            s.acc[n as usize] *= data.norm[n as usize];
        }
        let best = s.touched.iter().map(|&n| s.acc[n as usize]).fold(0f32, f32::max);
        // Candidates far below the best retrieval weight share only weak or
        // frequent keys with the query; scoring them costs time and never
        // changes the result (measured on the evaluation queries). Keep a
        // floor of MIN_CANDIDATES so a query with one strong key still sees
        // its near neighbours.
        let cut = best * RELATIVE_CUT;
        let mut cands: Vec<(f32, u32)> =
            s.touched.iter().map(|&n| (s.acc[n as usize], n)).collect();
        let order = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if cands.len() > limit {
            // Partial selection: only the best `limit` need ordering.
            cands.select_nth_unstable_by(limit - 1, order);
            cands.truncate(limit);
        }
        cands.sort_unstable_by(order);
        if cands.len() > MIN_CANDIDATES {
            let keep = cands.iter().take_while(|c| c.0 >= cut).count().max(MIN_CANDIDATES);
            cands.truncate(keep);
        }
        for &n in &s.touched {
            s.acc[n as usize] = 0.0;
        }
        s.touched.clear();
        cands.into_iter().map(|(_, n)| n).collect()
    })
}

/// Whether the listed name kind is a weak alias.
pub(crate) fn is_weak(kind: NameKind) -> bool {
    matches!(kind, NameKind::Weak)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birth_year_ranges_and_circa_cover_every_year() {
        assert_eq!(birth_years_of("1960 to 1962"), ["1960", "1961", "1962"]);
        assert_eq!(birth_years_of("circa 1975"), ["1974", "1975", "1976"]);
        assert_eq!(birth_years_of("1971-03-15"), ["1971"]);
        assert!(birth_years_of("unknown").is_empty());
    }
}
