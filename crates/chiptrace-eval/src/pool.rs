//! The population the generator samples from: every usable Latin name of
//! every loaded list entry, with core token sets, document frequencies and
//! an inverted index to find siblings and to check that a synthetic query
//! is not itself the name of some other real entry.

use std::collections::{HashMap, HashSet};

use chiptrace_lists::{EntitySchema, ListEntry};

use crate::words::{self, Kind};

/// One usable name of a list entry.
#[derive(Debug, Clone)]
pub struct NameRec {
    /// Index of the entry in [`Pool::entries`].
    pub entry: usize,
    /// The name as the list has it.
    pub name: String,
    /// True for the entry's primary name.
    pub primary: bool,
    /// Core token set ([`words::core`]).
    pub core: Vec<String>,
}

/// Sampling population over loaded entries.
pub struct Pool<'a> {
    /// The entries.
    pub entries: &'a [ListEntry],
    /// Usable Latin names (see [`usable_name`]).
    pub names: Vec<NameRec>,
    /// Entry index → indices into `names`.
    pub by_entry: Vec<Vec<usize>>,
    /// Core token sets of *all* names of all entries (any script) → entries.
    pub core_index: HashMap<Vec<String>, Vec<usize>>,
    /// Canonical token → number of entries whose names contain it.
    pub df: HashMap<String, usize>,
    /// Canonical token → names containing it (only tokens with df ≤ [`POSTING_CAP`]).
    pub postings: HashMap<String, Vec<usize>>,
    /// Every folded word that occurs in any name (for fictional-word checks).
    pub vocab: HashSet<String>,
    /// Entry index → core token sets of all its names (any script).
    pub entry_cores: Vec<Vec<Vec<String>>>,
    /// Folded word → (entries located in CN/HK/TW using it, other entries using it).
    pub cn_usage: HashMap<String, (usize, usize)>,
}

/// Tokens in more entries than this are too common to find siblings by.
pub const POSTING_CAP: usize = 400;

/// Whether a list name is suitable as a source of variants: Latin script,
/// 3-90 characters, at most 14 words, and not one of the parse artefacts
/// of the third-party list extraction (addresses in alias fields, "Address
/// 01" placeholder entries, sub-unit lists).
pub fn usable_name(name: &str) -> bool {
    let n = name.trim();
    let len = n.chars().count();
    if !(3..=90).contains(&len) || !words::is_latin(n) {
        return false;
    }
    let lower = n.to_lowercase();
    const BAD: &[&str] = &[
        ";",
        " a.k.a",
        "f.k.a",
        "subordinate",
        "address ",
        " and ",
        "http",
        "@",
        "\"",
        "linked to",
        "formerly",
        "p.o. box",
        " street",
        " road",
        " floor",
        " room ",
        " building",
        " bldg",
        "district,",
        "including",
        "successor",
        "(f.k.a",
        "d/b/a",
        " no. ",
        "office ",
        "a.k.a",
        " korp",
        "litera",
        "pomeshch",
        "prospekt",
        "ulitsa",
        " ul. ",
        " d. ",
        "mr. ",
        "mrs. ",
    ];
    if BAD.iter().any(|b| lower.contains(b)) || lower.starts_with("address") {
        return false;
    }
    let w = words::words(n);
    if w.is_empty() || w.len() > 14 {
        return false;
    }
    // Descriptions rather than names ("Routers produced in a foreign country").
    let lower_words = w
        .iter()
        .filter(|x| {
            x.text.chars().next().is_some_and(char::is_lowercase) && !words::is_stopword(&x.key)
        })
        .count();
    if lower_words >= 3 {
        return false;
    }
    // Mostly letters: reject identifiers and numbers-only names.
    let letters = n.chars().filter(|c| c.is_alphabetic()).count();
    letters * 10 >= len * 6
}

impl<'a> Pool<'a> {
    /// Build the pool.
    pub fn new(entries: &'a [ListEntry]) -> Pool<'a> {
        let mut names = Vec::new();
        let mut by_entry = vec![Vec::new(); entries.len()];
        let mut core_index: HashMap<Vec<String>, Vec<usize>> = HashMap::new();
        let mut df: HashMap<String, usize> = HashMap::new();
        let mut vocab = HashSet::new();
        let mut entry_cores = vec![Vec::new(); entries.len()];
        let mut cn_usage: HashMap<String, (usize, usize)> = HashMap::new();
        for (ei, e) in entries.iter().enumerate() {
            if matches!(e.schema, EntitySchema::Vessel | EntitySchema::Aircraft) {
                continue;
            }
            let mut seen_tokens: HashSet<String> = HashSet::new();
            let mut seen_words: HashSet<String> = HashSet::new();
            let chinese = e
                .countries
                .iter()
                .any(|c| matches!(c.to_ascii_uppercase().as_str(), "CN" | "HK" | "TW" | "MO"));
            for (ni, n) in e.names.iter().enumerate() {
                let core = words::core(&n.name);
                for w in words::words(&n.name) {
                    if seen_words.insert(w.key.clone()) {
                        let u = cn_usage.entry(w.key.clone()).or_default();
                        if chinese { u.0 += 1 } else { u.1 += 1 }
                    }
                    vocab.insert(w.key);
                }
                seen_tokens.extend(core.iter().cloned());
                entry_cores[ei].push(core.clone());
                if !core.is_empty() {
                    let v = core_index.entry(core.clone()).or_default();
                    if v.last() != Some(&ei) {
                        v.push(ei);
                    }
                }
                if usable_name(&n.name) && !core.is_empty() {
                    by_entry[ei].push(names.len());
                    names.push(NameRec {
                        entry: ei,
                        name: n.name.trim().to_string(),
                        primary: ni == 0,
                        core,
                    });
                }
            }
            for t in seen_tokens {
                *df.entry(t).or_default() += 1;
            }
        }
        let mut postings: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            for t in &n.core {
                if df.get(t).copied().unwrap_or(0) <= POSTING_CAP {
                    postings.entry(t.clone()).or_default().push(i);
                }
            }
        }
        Pool { entries, names, by_entry, core_index, df, postings, vocab, entry_cores, cn_usage }
    }

    /// The schema used for pairs of this entry (`Unknown` is reported as
    /// organisation, the list default for unlabelled rows).
    pub fn schema(&self, entry: usize) -> EntitySchema {
        match self.entries[entry].schema {
            EntitySchema::Person => EntitySchema::Person,
            _ => EntitySchema::Organization,
        }
    }

    /// `list:id` of an entry.
    pub fn entry_id(&self, entry: usize) -> String {
        let e = &self.entries[entry];
        format!("{}:{}", e.list, e.id)
    }

    /// True when some name of `a` and some name of `b` have core token sets
    /// where one contains the other: the same party on two lists, or one
    /// party and a description of it. Such entries never make a negative pair.
    pub fn related(&self, a: usize, b: usize) -> bool {
        if a == b {
            return true;
        }
        let (ca, cb) = (&self.entry_cores[a], &self.entry_cores[b]);
        ca.iter().any(|x| cb.iter().any(|y| subset(x, y) || subset(y, x)))
    }

    /// Whether a token set is "nearly" the core of some real entry other than
    /// `except`: equal, or within one token on one side. Used to reject a
    /// synthetic negative that accidentally names another real party.
    pub fn names_other_entry(&self, core: &[String], except: usize) -> bool {
        if let Some(es) = self.core_index.get(core)
            && es.iter().any(|&e| e != except)
        {
            return true;
        }
        // One token removed from the candidate.
        if core.len() >= 3 {
            for i in 0..core.len() {
                let mut c = core.to_vec();
                c.remove(i);
                if let Some(es) = self.core_index.get(&c)
                    && es.iter().any(|&e| e != except)
                {
                    return true;
                }
            }
        }
        false
    }

    /// A sibling name of name `ni`: a name of a different, unrelated entry
    /// whose core set differs by substitution (1-2 tokens removed AND 1-2
    /// added) and shares at least one distinctive (or numeric) token or three
    /// tokens of any kind. Returns the most similar one (ties by index).
    pub fn sibling(&self, ni: usize) -> Option<usize> {
        let n = &self.names[ni];
        let mut cands: HashSet<usize> = HashSet::new();
        for t in &n.core {
            if let Some(p) = self.postings.get(t) {
                cands.extend(p.iter().copied());
            }
        }
        let mut best: Option<(f64, usize)> = None;
        let mut cands: Vec<usize> = cands.into_iter().collect();
        cands.sort_unstable();
        for m in cands {
            let o = &self.names[m];
            if o.entry == n.entry || self.schema(o.entry) != self.schema(n.entry) {
                continue;
            }
            let shared: Vec<&String> = n.core.iter().filter(|t| o.core.contains(t)).collect();
            let only_a = n.core.len() - shared.len();
            let only_b = o.core.len() - shared.len();
            if !(1..=2).contains(&only_a) || !(1..=2).contains(&only_b) {
                continue;
            }
            let strong = shared
                .iter()
                .filter(|t| matches!(words::kind(t), Kind::Distinctive | Kind::Number))
                .count();
            if strong == 0 {
                continue;
            }
            // The substituted words must really differ (not two spellings of one word).
            let diff_a = n.core.iter().filter(|t| !o.core.contains(t));
            if diff_a
                .into_iter()
                .any(|a| o.core.iter().filter(|t| !n.core.contains(t)).any(|b| close_words(a, b)))
            {
                continue;
            }
            let jac = shared.len() as f64 / (shared.len() + only_a + only_b) as f64;
            if best.is_none_or(|(s, _)| jac > s) && !self.related(n.entry, o.entry) {
                best = Some((jac, m));
            }
        }
        best.map(|(_, m)| m)
    }

    /// Whether a folded word is pinyin as used on the lists: segmentable
    /// into syllables (see [`crate::han::is_pinyin_word`]) and not an
    /// English word (used more by non-Chinese entries than by Chinese ones).
    pub fn is_pinyin(&self, key: &str) -> bool {
        let (cn, other) = self.cn_usage.get(key).copied().unwrap_or((0, 0));
        crate::han::is_pinyin_word(key) && !(other >= 2 && other > cn)
    }

    /// Entries' document frequency of a canonical token.
    pub fn df_of(&self, t: &str) -> usize {
        self.df.get(t).copied().unwrap_or(0)
    }

    /// Indices of names whose entry has the given schema.
    pub fn names_of(&self, schema: EntitySchema) -> Vec<usize> {
        (0..self.names.len()).filter(|&i| self.schema(self.names[i].entry) == schema).collect()
    }

    /// ISO country codes of an entry (upper-case).
    pub fn countries(&self, entry: usize) -> Vec<String> {
        self.entries[entry].countries.iter().map(|c| c.to_ascii_uppercase()).collect()
    }
}

/// `a ⊆ b` for sorted, de-duplicated vectors.
pub fn subset(a: &[String], b: &[String]) -> bool {
    !a.is_empty() && a.iter().all(|t| b.binary_search(t).is_ok())
}

/// Two words that are spellings of one another rather than different words:
/// edit distance ≤ 2, or a shared prefix of 4+ characters.
pub fn close_words(a: &str, b: &str) -> bool {
    let prefix = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    prefix >= 4 || crate::levenshtein(a, b) <= 2 || abbreviates(a, b) || abbreviates(b, a)
}

/// `short` is an abbreviation of `long`: same first letter and a
/// subsequence of it ("shpg" / "shipping", "mfg" / "manufacturing").
fn abbreviates(short: &str, long: &str) -> bool {
    if short.len() < 3 || short.len() >= long.len() || short.chars().next() != long.chars().next() {
        return false;
    }
    let mut it = long.chars();
    short.chars().all(|c| it.any(|x| x == c))
}

/// Resolve a Latin name as published (possibly with a trailing bracketed
/// acronym that the loader splits into its own name) to the name the
/// loaded entries carry: the exact text, else the text without the
/// trailing "(...)".
pub fn resolve_name<'m, T>(map: &'m HashMap<String, T>, latin: &str) -> Option<(&'m str, &'m T)> {
    let t = latin.trim();
    if let Some((k, v)) = map.get_key_value(t) {
        return Some((k.as_str(), v));
    }
    if t.ends_with(')')
        && let Some(i) = t.rfind('(')
    {
        return map.get_key_value(t[..i].trim()).map(|(k, v)| (k.as_str(), v));
    }
    None
}
