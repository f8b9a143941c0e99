//! Blocking: several keys per record, a cap on block size, and the
//! de-duplicated list of candidate pairs.
//!
//! Cost: a block of `k` records yields at most `k(k−1)/2` pairs; with the
//! cap `max_block` every record takes part in at most `keys × max_block`
//! comparisons, so the number of pairs grows linearly with the number of
//! records (times a constant), whatever the data. Blocks over the cap are
//! skipped and counted: a very common key (a registered-agent address
//! shared by hundreds of shells, a common given name) carries little
//! evidence and the other keys still bring the true pairs together.

use std::hash::{Hash, Hasher};

use chiptrace_text::TokenClass;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use serde::Serialize;

use crate::features::Features;
use crate::record::Kind;

/// Name tokens per reading used as block keys (the rarest first).
const RARE_TOKENS_PER_FORM: usize = 2;
/// A name token carried by more records than this is a key only when the
/// name has no rarer one.
const MAX_KEY_DF: u32 = 50;

/// What blocking did.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct BlockingStats {
    /// Distinct keys.
    pub keys: usize,
    /// Blocks with at least one pair.
    pub blocks: usize,
    /// Blocks skipped because they exceeded the cap.
    pub blocks_skipped: usize,
    /// Pairs those skipped blocks would have generated.
    pub pairs_skipped: u64,
    /// Candidate pairs after de-duplication (= pairs compared).
    pub pairs: usize,
    /// Pairs produced per key kind before de-duplication.
    pub pairs_by_rule: Vec<(String, u64)>,
}

/// Document frequency of the name tokens, for rare-token preference.
pub(crate) fn token_df(feats: &[Features]) -> FxHashMap<String, u32> {
    let mut df: FxHashMap<String, u32> = FxHashMap::default();
    for f in feats {
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        for form in &f.forms {
            for t in &form.toks {
                if seen.insert(t.text.as_str()) {
                    *df.entry(t.text.clone()).or_insert(0) += 1;
                }
            }
        }
    }
    df
}

/// The block keys of one record, as (rule, key).
pub(crate) fn keys(f: &Features, df: &FxHashMap<String, u32>) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::with_capacity(16);
    let initial = f.name_key.as_deref().and_then(|k| k.chars().next());
    if !f.has_name_parts() {
        for form in &f.forms {
            // Rarest distinctive words first; generic words ("technology")
            // only when the name has no other word, as they are common.
            let mut words: Vec<&str> = form
                .toks
                .iter()
                .filter(|t| t.distinctive() && t.class == TokenClass::Word && t.text.len() >= 2)
                .map(|t| t.text.as_str())
                .collect();
            if words.is_empty() {
                words = form
                    .toks
                    .iter()
                    .filter(|t| t.class != TokenClass::LegalForm)
                    .map(|t| t.text.as_str())
                    .collect();
            }
            words.sort_by_key(|w| (df.get(*w).copied().unwrap_or(0), *w));
            words.dedup();
            // Common words (a pinyin syllable of a spaced name, "global")
            // only when the name has nothing rarer.
            let glued: Vec<&str> = form
                .toks
                .iter()
                .filter(|t| t.class == TokenClass::Word && !t.place)
                .map(|t| t.text.as_str())
                .collect();
            let has_glued = glued.len() >= 2 && glued.iter().map(|w| w.len()).sum::<usize>() >= 4;
            let mut rare: Vec<&str> = words
                .iter()
                .filter(|w| df.get(**w).copied().unwrap_or(0) <= MAX_KEY_DF)
                .take(RARE_TOKENS_PER_FORM)
                .copied()
                .collect();
            // A name of common words only ("Global Technology Trading") is
            // no blocking evidence when the record has an identifier to be
            // found by; without one it is all there is.
            let has_identifier = f.reg_id.is_some()
                || f.phone_key.is_some()
                || f.email.is_some()
                || f.domain.is_some();
            if rare.is_empty() && !has_glued && !has_identifier {
                rare.extend(words.first());
            }
            for w in rare {
                out.push(("name_token", w.to_string()));
            }
            // Typo-tolerant key: the rarest word with one letter deleted
            // (a deletion neighbourhood: two words one edit apart share
            // one of these), instead of a 4-letter phonetic code, whose
            // blocks grow with the data.
            if let Some(w) = words.first().filter(|w| (5..=24).contains(&w.len()) && w.is_ascii()) {
                for i in 0..w.len() {
                    out.push(("name_deletion", format!("{}{}", &w[..i], &w[i + 1..])));
                }
            }
            if has_glued {
                // Same namespace as the tokens: "hua xin" glued meets "huaxin".
                out.push(("name_token", glued.concat()));
            }
        }
    } else {
        if let Some(g) = &f.given {
            out.push(("given_name", g.clone()));
        }
        if let Some(s) = &f.surname {
            out.push(("surname", s.clone()));
            if let (Some(code), Some(gi)) =
                (chiptrace_text::phonetic_key(s), f.given.as_deref().and_then(|g| g.chars().next()))
            {
                out.push(("surname_phonetic_initial", format!("{code}|{gi}")));
            }
        }
    }
    if f.kind == Kind::Person {
        if let Some(d) = &f.date {
            out.push(("dob", d.clone()));
        }
        if let Some(p) = &f.postcode {
            out.push(("postcode", p.clone()));
        }
    } else if let (Some(p), Some(i)) = (&f.postcode, initial) {
        out.push(("postcode_initial", format!("{p}|{i}")));
    }
    if let Some(r) = &f.reg_id {
        out.push(("registration_id", r.clone()));
    }
    if let Some(p) = &f.phone_key {
        out.push(("phone", p.clone()));
    }
    if let Some(e) = &f.email {
        out.push(("email", e.address.clone()));
    }
    if let Some(d) = &f.domain {
        out.push(("domain", d.clone()));
    }
    if let (Some(n), Some(s)) = (&f.street_number, &f.street) {
        out.push(("street_number", format!("{n}|{s}")));
    }
    out.sort();
    out.dedup();
    out
}

/// Candidate pairs `(i, j)` with `i < j`, sorted.
pub(crate) fn candidate_pairs(
    feats: &[Features],
    link_only: bool,
    max_block: usize,
) -> (Vec<(u32, u32)>, BlockingStats) {
    let df = token_df(feats);
    // Keys are hashed to 64 bits: a collision only adds candidate pairs.
    let key_sets: Vec<Vec<(&'static str, u64)>> = feats
        .par_iter()
        .with_min_len(256)
        .map(|f| {
            keys(f, &df)
                .into_iter()
                .map(|(rule, key)| {
                    let mut h = FxHasher::default();
                    rule.hash(&mut h);
                    key.hash(&mut h);
                    (rule, h.finish())
                })
                .collect()
        })
        .collect();
    let mut blocks: FxHashMap<(&'static str, u64), Vec<u32>> = FxHashMap::default();
    for (i, ks) in key_sets.iter().enumerate() {
        for k in ks {
            blocks.entry(*k).or_default().push(i as u32);
        }
    }
    let mut stats = BlockingStats { keys: blocks.len(), ..BlockingStats::default() };
    let mut by_rule: FxHashMap<&'static str, u64> = FxHashMap::default();
    let mut seen: FxHashSet<u64> = FxHashSet::default();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    // Deterministic order.
    let mut entries: Vec<_> = blocks.into_iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for ((rule, _), members) in entries {
        if members.len() < 2 {
            continue;
        }
        let n = members.len() as u64;
        let possible = if link_only {
            let mut by_src: FxHashMap<u32, u64> = FxHashMap::default();
            for &m in &members {
                *by_src.entry(feats[m as usize].source).or_insert(0) += 1;
            }
            let same: u64 = by_src.values().map(|c| c * c.saturating_sub(1) / 2).sum();
            n * (n - 1) / 2 - same
        } else {
            n * (n - 1) / 2
        };
        if possible == 0 {
            continue;
        }
        if members.len() > max_block {
            stats.blocks_skipped += 1;
            stats.pairs_skipped += possible;
            continue;
        }
        stats.blocks += 1;
        *by_rule.entry(rule).or_insert(0) += possible;
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                if a == b || (link_only && feats[a as usize].source == feats[b as usize].source) {
                    continue;
                }
                let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                if seen.insert((u64::from(lo) << 32) | u64::from(hi)) {
                    pairs.push((lo, hi));
                }
            }
        }
    }
    pairs.sort_unstable();
    stats.pairs = pairs.len();
    let mut rules: Vec<(String, u64)> =
        by_rule.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    rules.sort();
    stats.pairs_by_rule = rules;
    (pairs, stats)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap freely; failures are the point
mod tests {
    use super::*;
    use crate::record::Record;

    fn feats(records: &[Record]) -> Vec<Features> {
        records.iter().enumerate().map(|(i, r)| Features::new(r, (i % 2) as u32)).collect()
    }

    #[test]
    fn keys_prefer_rare_words_and_skip_free_mail() {
        let mut a = Record::company("1", "s", "Veltrix Technology Pte Ltd");
        a.phone = Some("+65 6123 4567".into());
        a.email = Some("sales@veltrix.com.sg".into());
        a.country = Some("SG".into());
        let mut b = Record::company("2", "s", "Zorbex Technology Pte Ltd");
        b.email = Some("zorbex@gmail.com".into());
        let f = feats(&[a, b]);
        let df = token_df(&f);
        let ka = keys(&f[0], &df);
        assert!(ka.contains(&("name_token", "veltrix".to_string())), "{ka:?}");
        assert!(!ka.iter().any(|(r, k)| *r == "name_token" && k == "technology"), "{ka:?}");
        assert!(ka.contains(&("phone", "61234567".to_string())));
        assert!(ka.contains(&("domain", "veltrix.com.sg".to_string())));
        let kb = keys(&f[1], &df);
        assert!(!kb.iter().any(|(r, _)| *r == "domain"), "free mail is no domain key: {kb:?}");
        assert!(kb.iter().any(|(r, _)| *r == "email"), "the address itself still is");
    }

    #[test]
    fn link_only_pairs_cross_sources_and_cap_skips() {
        let names = ["Zorbex", "Quinlum", "Draveon", "Halkaqua", "Monsyn", "Pexori"];
        let recs: Vec<Record> = (0..6)
            .map(|i| {
                let mut r = Record::company(&i.to_string(), "s", names[i]);
                r.phone = Some("+65 6000 0000".into());
                r
            })
            .collect();
        let f = feats(&recs); // sources alternate 0, 1
        let (pairs, stats) = candidate_pairs(&f, true, 100);
        assert_eq!(pairs.len(), 9, "3 × 3 cross-source pairs");
        assert!(pairs.iter().all(|&(i, j)| f[i as usize].source != f[j as usize].source));
        let (pairs, stats2) = candidate_pairs(&f, false, 100);
        assert_eq!(pairs.len(), 15);
        assert_eq!(stats.blocks_skipped, 0);
        assert_eq!(stats2.pairs, 15);
        let (pairs, capped) = candidate_pairs(&f, false, 5);
        assert!(pairs.is_empty());
        assert_eq!((capped.blocks_skipped, capped.pairs_skipped), (1, 15));
    }
}
