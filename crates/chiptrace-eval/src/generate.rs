//! The labelled pair generator. See `docs/evaluation.md` for what each
//! category contains and why.

use std::collections::{HashMap, HashSet};

use chiptrace_lists::{EntitySchema, ListEntry};

use crate::cyrillic::{self, Scheme};
use crate::han;
use crate::pool::Pool;
use crate::rng::Rng;
use crate::variants;
use crate::words::{self, Kind};
use crate::{Category, EvalPair};

/// Positives per positive category (where the data allow).
pub const POS_QUOTA: usize = 200;
/// Natural negatives per positive category.
pub const NEG_QUOTA: usize = 90;
/// Negatives per hard-negative category.
pub const HARD_QUOTA: usize = 200;
/// Control positives per hard-negative category.
pub const CONTROL_QUOTA: usize = 60;
/// Synthetic Han forms.
pub const HAN_SYNTH_QUOTA: usize = 200;

struct Gen<'p, 'a> {
    pool: &'p Pool<'a>,
    seed: u64,
    out: Vec<EvalPair>,
    seen: HashSet<(Category, String, String)>,
}

fn is_el(list: &str) -> bool {
    list.contains("entity")
}

impl<'p, 'a> Gen<'p, 'a> {
    fn rng(&self, stream: &str) -> Rng {
        Rng::new(self.seed, stream)
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        cat: Category,
        entry: usize,
        query: String,
        listed: &str,
        expected: bool,
        note: String,
    ) -> bool {
        let query = query.trim().to_string();
        if query.is_empty() || !self.seen.insert((cat, query.clone(), listed.to_string())) {
            return false;
        }
        self.out.push(EvalPair {
            category: cat,
            schema: self.pool.schema(entry),
            query,
            listed: listed.to_string(),
            expected,
            list_entry_id: self.pool.entry_id(entry),
            note,
        });
        true
    }

    /// Name indices in a deterministic, list-stratified random order: each
    /// list gets weight √size (×3 for the Entity List, the lists this
    /// project is mostly about), names within a list are shuffled, and at
    /// most one name per entry is offered.
    fn order(&self, cands: &[usize], rng: &mut Rng) -> Vec<usize> {
        let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
        for &i in cands {
            let list = self.pool.entries[self.pool.names[i].entry].list.as_str();
            groups.entry(list).or_default().push(i);
        }
        let mut keys: Vec<&str> = groups.keys().copied().collect();
        keys.sort_unstable();
        let mut gs: Vec<(f64, Vec<usize>)> = keys
            .iter()
            .map(|k| {
                let mut v = groups[k].clone();
                rng.shuffle(&mut v);
                let w = (v.len() as f64).sqrt() * if is_el(k) { 3.0 } else { 1.0 };
                v.reverse();
                (w, v)
            })
            .collect();
        let mut out = Vec::with_capacity(cands.len());
        let mut seen_entries = HashSet::new();
        loop {
            let total: f64 = gs.iter().filter(|g| !g.1.is_empty()).map(|g| g.0).sum();
            if total <= 0.0 {
                break;
            }
            let mut x = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
            let mut gi = 0;
            for (i, g) in gs.iter().enumerate() {
                if g.1.is_empty() {
                    continue;
                }
                gi = i;
                if x < g.0 {
                    break;
                }
                x -= g.0;
            }
            if let Some(n) = gs[gi].1.pop()
                && seen_entries.insert(self.pool.names[n].entry)
            {
                out.push(n);
            }
        }
        out
    }

    fn names_where(&self, f: impl Fn(usize) -> bool) -> Vec<usize> {
        (0..self.pool.names.len()).filter(|&i| f(i)).collect()
    }

    fn is_org(&self, ni: usize) -> bool {
        self.pool.schema(self.pool.names[ni].entry) == EntitySchema::Organization
    }

    fn has_country(&self, ni: usize, cc: &str) -> bool {
        self.pool.countries(self.pool.names[ni].entry).iter().any(|c| c == cc)
    }

    /// Generic driver of a positive category: variant of a list name vs the
    /// name (positive) and, where a sibling exists, the same variant vs the
    /// sibling's name (negative).
    fn positive_category(
        &mut self,
        cat: Category,
        cands: Vec<usize>,
        mut variant: impl FnMut(&str, &mut Rng) -> Option<(String, String)>,
    ) {
        let mut rng = self.rng(cat.as_str());
        let order = self.order(&cands, &mut rng);
        let (mut pos, mut neg) = (0, 0);
        for ni in order {
            if pos >= POS_QUOTA && neg >= NEG_QUOTA {
                break;
            }
            let n = self.pool.names[ni].clone();
            let Some((q, note)) = variant(&n.name, &mut rng) else { continue };
            if words::fold(&q) == words::fold(&n.name) && cat != Category::Exact {
                continue;
            }
            if pos < POS_QUOTA && self.push(cat, n.entry, q.clone(), &n.name, true, note.clone()) {
                pos += 1;
            }
            if neg < NEG_QUOTA
                && let Some(s) = self.pool.sibling(ni)
            {
                let sib = self.pool.names[s].clone();
                if words::core(&q) != sib.core
                    && self.push(
                        cat,
                        sib.entry,
                        q,
                        &sib.name,
                        false,
                        format!("{note}; vs sibling entry"),
                    )
                {
                    neg += 1;
                }
            }
        }
    }

    fn exact(&mut self) {
        let cat = Category::Exact;
        let all = self.names_where(|_| true);
        let mut rng = self.rng("exact");
        let order = self.order(&all, &mut rng);
        let mut pos = 0;
        for &ni in &order {
            if pos >= POS_QUOTA {
                break;
            }
            let n = self.pool.names[ni].clone();
            if self.push(cat, n.entry, n.name.clone(), &n.name, true, "identical".into()) {
                pos += 1;
            }
        }
        // Easy negatives: two unrelated names of the same schema.
        let mut neg = 0;
        let mut tries = 0;
        while neg < NEG_QUOTA / 2 && tries < 10_000 {
            tries += 1;
            let a = order[rng.below(order.len())];
            let b = order[rng.below(order.len())];
            let (na, nb) = (&self.pool.names[a], &self.pool.names[b]);
            if self.pool.schema(na.entry) != self.pool.schema(nb.entry)
                || self.pool.related(na.entry, nb.entry)
            {
                continue;
            }
            let (q, l, e) = (na.name.clone(), nb.name.clone(), nb.entry);
            if self.push(cat, e, q, &l, false, "unrelated control".into()) {
                neg += 1;
            }
        }
    }

    fn han(&mut self, entries_by_name: &HashMap<String, Vec<usize>>) {
        let name_idx: HashMap<&str, usize> =
            self.pool.names.iter().enumerate().map(|(i, n)| (n.name.as_str(), i)).collect();
        let mut han_queries: Vec<(Category, String, usize)> = Vec::new();
        for row in han::han_rows() {
            let cat =
                if row.category == "han_brand" { Category::HanBrand } else { Category::HanCompany };
            let Some((latin, entries)) = crate::pool::resolve_name(entries_by_name, &row.latin)
            else {
                continue;
            };
            let (latin, entry) = (latin.to_string(), entries[0]);
            let note = if row.note.is_empty() {
                format!("hand-written, {}", row.script)
            } else {
                format!("hand-written, {}; {}", row.script, row.note)
            };
            if self.push(cat, entry, row.han.clone(), &latin, true, note)
                && let Some(&ni) = name_idx.get(latin.as_str())
            {
                han_queries.push((cat, row.han.clone(), ni));
            }
        }
        // Synthetic forms of Entity List China names.
        let mut rng = self.rng("han_synth");
        let cands = self.names_where(|i| {
            self.is_org(i)
                && self.has_country(i, "CN")
                && is_el(&self.pool.entries[self.pool.names[i].entry].list)
        });
        let order = self.order(&cands, &mut rng);
        let mut made = 0;
        for ni in order {
            if made >= HAN_SYNTH_QUOTA {
                break;
            }
            let n = self.pool.names[ni].clone();
            let is_py = |k: &str| self.pool.is_pinyin(k);
            let Some(h) = han::synth_han(&n.name, &mut rng, &is_py) else { continue };
            if self.push(
                Category::HanCompany,
                n.entry,
                h.clone(),
                &n.name,
                true,
                "synthetic Han form".into(),
            ) {
                made += 1;
                han_queries.push((Category::HanCompany, h, ni));
            }
        }
        // Negatives: a Han form of one company vs a sibling company's Latin name.
        let mut neg: HashMap<Category, usize> = HashMap::new();
        for (cat, h, ni) in han_queries {
            let quota = if cat == Category::HanBrand { 40 } else { 150 };
            if neg.get(&cat).copied().unwrap_or(0) >= quota {
                continue;
            }
            if let Some(s) = self.pool.sibling(ni) {
                let sib = self.pool.names[s].clone();
                let src = &self.pool.names[ni].name;
                if self.push(
                    cat,
                    sib.entry,
                    h,
                    &sib.name,
                    false,
                    format!("Han form of '{src}' vs sibling entry"),
                ) {
                    *neg.entry(cat).or_default() += 1;
                }
            }
        }
    }

    fn cyrillic(&mut self) {
        // English vocabulary from the data itself: words used in the names of
        // at least three non-Russian entries. A Russian organisation name
        // qualifies when its words are transliterated Russian, not English.
        let mut english: HashMap<String, HashSet<usize>> = HashMap::new();
        for n in &self.pool.names {
            if !self.pool.countries(n.entry).iter().any(|c| c == "RU") {
                for w in words::words(&n.name) {
                    english.entry(w.key).or_default().insert(n.entry);
                }
            }
        }
        let is_english = |k: &str| english.get(k).is_some_and(|s| s.len() >= 3);
        let ru_legal = |keys: &[String], i: usize| -> Option<(usize, &'static str)> {
            cyrillic::RU_LEGAL
                .iter()
                .filter(|(p, _)| {
                    keys.len() >= i + p.len()
                        && keys[i..i + p.len()].iter().zip(p.iter()).all(|(a, b)| a == b)
                })
                .map(|(p, c)| (p.len(), *c))
                .max_by_key(|(l, _)| *l)
        };
        let cands = self.names_where(|i| {
            let n = &self.pool.names[i];
            if !self.has_country(i, "RU") {
                return false;
            }
            let ws = words::words(&n.name);
            if ws.iter().any(|w| !w.key.is_ascii()) {
                return false;
            }
            if !self.is_org(i) {
                return ws.len() >= 2;
            }
            let keys: Vec<String> = ws.iter().map(|w| w.key.clone()).collect();
            let mut i = 0;
            let (mut russian, mut other) = (0, 0);
            while i < keys.len() {
                if let Some((l, _)) = ru_legal(&keys, i) {
                    i += l;
                    continue;
                }
                let acronym =
                    ws[i].text.len() <= 5 && ws[i].text.chars().all(|c| c.is_ascii_uppercase());
                if acronym {
                    i += 1;
                    continue;
                }
                if is_english(&keys[i]) {
                    return false;
                }
                if russian_looking(&keys[i]) || RU_GENERIC.contains(&keys[i].as_str()) {
                    russian += 1;
                } else {
                    other += 1;
                }
                i += 1;
            }
            russian >= 1 && other == 0
        });
        let person_cyr = |name: &str, rng: &mut Rng| -> String {
            let (sur, given): (String, Vec<String>) = match name.split_once(',') {
                Some((s, g)) => {
                    (s.trim().to_string(), g.split_whitespace().map(str::to_string).collect())
                }
                None => {
                    let ws: Vec<String> = name.split_whitespace().map(str::to_string).collect();
                    let last = ws.last().cloned().unwrap_or_default();
                    (last, ws[..ws.len().saturating_sub(1)].to_vec())
                }
            };
            let cyr = |w: &str| -> String {
                w.split('-')
                    .map(|p| cyrillic::title(&cyrillic::to_cyrillic_word(&words::fold(p), false)))
                    .collect::<Vec<_>>()
                    .join("-")
            };
            let s = sur.split_whitespace().map(cyr).collect::<Vec<_>>().join(" ");
            let g = given.iter().map(|w| cyr(w)).collect::<Vec<_>>().join(" ");
            if g.is_empty() {
                s
            } else if rng.chance(0.5) {
                format!("{s} {g}")
            } else {
                format!("{g} {s}")
            }
        };
        let org_cyr = |name: &str, rng: &mut Rng| -> String {
            let ws = words::words(name);
            let keys: Vec<String> = ws.iter().map(|w| w.key.clone()).collect();
            let mut legal = None;
            let mut parts = Vec::new();
            let mut i = 0;
            while i < keys.len() {
                if let Some((l, c)) = ru_legal(&keys, i) {
                    legal = Some(c);
                    i += l;
                    continue;
                }
                let t = &ws[i].text;
                if t.len() <= 5 && t.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
                    parts.push(cyrillic::acronym_to_cyrillic(t));
                } else if t.chars().all(|c| c.is_ascii_digit()) {
                    parts.push(t.clone());
                } else {
                    parts.push(cyrillic::title(&cyrillic::to_cyrillic_word(&keys[i], true)));
                }
                i += 1;
            }
            let body = parts.join(" ");
            match legal {
                Some(l) if rng.chance(0.6) => format!("{l} «{body}»"),
                Some(l) => format!("{l} {body}"),
                None => body,
            }
        };
        let mut rng = self.rng("cyrillic");
        let order = self.order(&cands, &mut rng);
        let (mut pos, mut neg) = (0, 0);
        for ni in order {
            if pos >= POS_QUOTA && neg >= NEG_QUOTA {
                break;
            }
            let n = self.pool.names[ni].clone();
            let org = self.is_org(ni);
            let cyr = if org { org_cyr(&n.name, &mut rng) } else { person_cyr(&n.name, &mut rng) };
            let (q, note) = if rng.chance(0.5) {
                (cyr.clone(), "Cyrillic (reverse transliteration)".to_string())
            } else {
                let scheme = match rng.below(10) {
                    0..=3 => Scheme::Icao,
                    4..=7 => Scheme::English,
                    8 => Scheme::Bgn,
                    _ => Scheme::German,
                };
                let latin: Vec<String> = cyr
                    .split_whitespace()
                    .map(|w| {
                        let w = w.trim_matches(['«', '»']);
                        if w.chars().count() <= 4 && w.chars().all(|c| c.is_uppercase()) {
                            // Keep acronyms/legal forms as acronyms.
                            cyrillic::romanise_word(w, Scheme::Bgn).to_uppercase()
                        } else {
                            cyrillic::romanise_word(w, scheme)
                        }
                    })
                    .collect();
                (latin.join(" "), format!("Latin re-romanised ({})", scheme.as_str()))
            };
            if words::fold(&q) == words::fold(&n.name) {
                continue;
            }
            if pos < POS_QUOTA
                && self.push(Category::Cyrillic, n.entry, q.clone(), &n.name, true, note.clone())
            {
                pos += 1;
            }
            if neg < NEG_QUOTA
                && let Some(s) = self.pool.sibling(ni)
            {
                let sib = self.pool.names[s].clone();
                if self.push(
                    Category::Cyrillic,
                    sib.entry,
                    q,
                    &sib.name,
                    false,
                    format!("{note}; vs sibling entry"),
                ) {
                    neg += 1;
                }
            }
        }
    }

    /// Names with a token that could be swapped for another real distinctive word.
    fn sibling(&mut self) {
        let cat = Category::Sibling;
        let mut rng = self.rng("sibling");
        let orgs = self.names_where(|i| self.is_org(i));
        let order = self.order(&orgs, &mut rng);
        // Real sibling pairs.
        let mut real = 0;
        let mut with_siblings = Vec::new();
        for &ni in &order {
            if real >= HARD_QUOTA * 6 / 10 {
                break;
            }
            if let Some(s) = self.pool.sibling(ni) {
                let (a, b) = (self.pool.names[ni].clone(), self.pool.names[s].clone());
                if self.push(
                    cat,
                    b.entry,
                    a.name.clone(),
                    &b.name,
                    false,
                    "real sibling entries".into(),
                ) {
                    real += 1;
                    with_siblings.push(ni);
                }
            }
        }
        // Synthetic substitution of one distinctive word by a real distinctive
        // word of another entry.
        let mut donors: Vec<String> = orgs
            .iter()
            .flat_map(|&i| self.pool.names[i].core.iter())
            .filter(|t| {
                self.pool.df_of(t) <= 3
                    && t.len() >= 4
                    && words::kind(t) == Kind::Distinctive
                    && t.is_ascii()
            })
            .cloned()
            .collect();
        donors.sort_unstable();
        donors.dedup();
        let mut synth = 0;
        for &ni in &order {
            if synth >= HARD_QUOTA - real {
                break;
            }
            let n = self.pool.names[ni].clone();
            let ws = words::words(&n.name);
            let dist: Vec<&words::Word> = ws
                .iter()
                .filter(|w| {
                    words::kind(&w.key) == Kind::Distinctive && w.key.is_ascii() && w.key.len() >= 3
                })
                .collect();
            let company_like =
                ws.iter().any(|w| matches!(words::kind(&w.key), Kind::Generic | Kind::Legal));
            if dist.len() < 2 || !company_like {
                continue;
            }
            let w = dist[rng.below(dist.len())];
            let Some(d) = rng.pick(&donors).cloned() else { break };
            if strsim_close(&d, &w.key) {
                continue;
            }
            let q = variants::replace_spans(
                &n.name,
                vec![(w.start, w.end, variants::recase(&d, &w.text))],
            );
            let qc = words::core(&q);
            if self.pool.names_other_entry(&qc, usize::MAX) {
                continue;
            }
            if self.push(cat, n.entry, q, &n.name, false, format!("'{}' replaced by '{d}'", w.text))
            {
                synth += 1;
            }
        }
        self.controls(cat, &order);
    }

    /// Control positives for a hard-negative category: a list name vs itself
    /// with its legal form changed (or upper-cased when it has none).
    fn controls(&mut self, cat: Category, order: &[usize]) {
        let mut rng = self.rng(&format!("{}-controls", cat.as_str()));
        let mut made = 0;
        for &ni in order.iter().rev() {
            if made >= CONTROL_QUOTA {
                break;
            }
            let n = self.pool.names[ni].clone();
            let (q, note) = match (self.is_org(ni), variants::find_legal(&n.name)) {
                (true, Some(_)) => match variants::legal_form(&n.name, &mut rng) {
                    Some((q, note)) => (q, format!("control: legal form {note}")),
                    None => continue,
                },
                _ => (n.name.to_uppercase(), "control: upper-cased".to_string()),
            };
            if self.push(cat, n.entry, q, &n.name, true, note) {
                made += 1;
            }
        }
    }

    fn short_common(&mut self) {
        let cat = Category::ShortCommon;
        let mut rng = self.rng("short_common");
        let all = self.names_where(|_| true);
        let order = self.order(&all, &mut rng);
        let mut made = 0;
        for &ni in &order {
            if made >= HARD_QUOTA * 6 / 10 {
                break;
            }
            let n = self.pool.names[ni].clone();
            let ws = words::words(&n.name);
            let df = |w: &words::Word| self.pool.df_of(&words::canonical(&w.key));
            let rare_dist =
                ws.iter().any(|w| words::kind(&w.key) == Kind::Distinctive && df(w) <= 2);
            // Organisations come from the curated phrases below: a frequent
            // word in organisation names is as often a brand with many
            // listed subsidiaries ("Huawei", "Gazprom") as a common word,
            // and a brand alone must alert.
            if !rare_dist || self.is_org(ni) {
                continue;
            }
            let q = if self.is_org(ni) {
                // Keep common distinctive words, generic words and legal form.
                let common_word = |w: &words::Word| {
                    words::kind(&w.key) == Kind::Distinctive && df(w) >= 5 && w.key.len() >= 3
                };
                let kept: Vec<&str> = ws
                    .iter()
                    .filter(|w| common_word(w) || words::kind(&w.key) == Kind::Generic)
                    .map(|w| w.text.as_str())
                    .collect();
                let common = ws.iter().filter(|w| common_word(w)).count();
                if common == 0 || kept.len() > 3 {
                    continue;
                }
                kept.join(" ")
            } else {
                // Persons: one common name part, or 1-2 common given names
                // without the surname ("Ali Akbar" vs "VELAYATI, Ali Akbar").
                // Never surname + given name: that is a real name match.
                const PARTICLES: &[&str] = &[
                    "al", "el", "bin", "ben", "abu", "ibn", "bint", "de", "la", "van", "von", "mr",
                    "mrs", "dr", "haji", "mullah", "sheikh",
                ];
                let given_only = n.name.split_once(',').map(|(_, g)| words::words(g));
                let pool_words = given_only.clone().unwrap_or_else(|| ws.clone());
                let mut parts: Vec<&words::Word> = pool_words
                    .iter()
                    .filter(|w| {
                        df(w) >= 5 && w.key.len() >= 3 && !PARTICLES.contains(&w.key.as_str())
                    })
                    .collect();
                if parts.is_empty() || parts.len() == ws.len() {
                    continue;
                }
                let k = if given_only.is_some() { 1 + rng.below(2) } else { 1 };
                parts.truncate(k);
                parts.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
            };
            let qc = words::core(&q);
            if qc.is_empty() || self.pool.entry_cores[n.entry].contains(&qc) {
                continue;
            }
            if self.push(cat, n.entry, q, &n.name, false, "common words of the name only".into()) {
                made += 1;
            }
        }
        // Fictional common customer names vs list names containing their words.
        const FICTIONAL: &[&str] = &[
            "Global Trading",
            "Star Electronics",
            "Asia Pacific Trading",
            "United Technology",
            "Golden Star",
            "New Energy Technology",
            "Smart Tech",
            "Sun Electronics",
            "Alpha Trading",
            "Eagle Industries",
            "Royal Trading",
            "Prime Logistics",
            "Ali",
            "Wang",
            "Ahmad",
            "Hassan",
            "Sergey",
            "Mohammad",
            "Zhang",
            "Ocean Shipping",
            "Modern Technology",
            "Future Technology",
            "Best Electronics",
            "Great Wall Trading",
            "China Trading",
            "International Trading",
            "Tech Solutions",
            "Asia Trading",
            "Pacific Electronics",
            "Golden Bridge",
            "Silk Road",
            "Eastern Star",
            "Sky Technology",
            "Green Energy",
            "Royal Group",
            "Grand Trading",
            "Oriental Trading",
            "Universal Trading",
            "Sunrise Trading",
            "Bright Star",
            "Smart Electronics",
            "Victory Trading",
            "Diamond Trading",
            "First Trading",
            "Phoenix Trading",
            "Lucky Star",
            "New Century",
            "Future Tech",
            "Global Logistics",
            "Star Trading",
            "United Trading",
            "Alpha Technology",
            "Prime Technology",
            "Power Technology",
            "Ocean Trading",
            "Eagle Trading",
            "Gold Star",
            "Trans Logistics",
            "Euro Trading",
            "Middle East Trading",
        ];
        for q in FICTIONAL {
            let qc = words::core(q);
            let mut hits: Vec<usize> = self
                .pool
                .names
                .iter()
                .enumerate()
                .filter(|(_, n)| {
                    crate::pool::subset(&qc, &n.core)
                        && n.core
                            .iter()
                            .any(|t| !qc.contains(t) && words::kind(t) == Kind::Distinctive)
                })
                .map(|(i, _)| i)
                .collect();
            rng.shuffle(&mut hits);
            for ni in hits.into_iter().take(5) {
                let n = self.pool.names[ni].clone();
                self.push(
                    cat,
                    n.entry,
                    q.to_string(),
                    &n.name,
                    false,
                    "fictional common name".into(),
                );
            }
        }
        // Controls: short list names vs themselves, re-cased.
        let mut ctl = 0;
        for &ni in &order {
            if ctl >= CONTROL_QUOTA {
                break;
            }
            let n = self.pool.names[ni].clone();
            if words::words(&n.name).len() > 2 || n.name.chars().count() < 3 {
                continue;
            }
            let q = if n.name.chars().any(char::is_lowercase) {
                n.name.to_uppercase()
            } else {
                n.name.to_lowercase()
            };
            if self.push(
                cat,
                n.entry,
                q,
                &n.name,
                true,
                "control: short list name, re-cased".into(),
            ) {
                ctl += 1;
            }
        }
    }

    fn generic_words(&mut self) {
        let cat = Category::GenericWords;
        let mut rng = self.rng("generic_words");
        let orgs = self.names_where(|i| self.is_org(i));
        let order = self.order(&orgs, &mut rng);
        let near = NearChecker::new(&self.pool.vocab);
        let common_syl: Vec<&str> = vec![
            "xin", "da", "hua", "tian", "long", "feng", "hai", "jin", "rui", "yuan", "kang",
            "sheng", "tai", "heng", "fu", "an", "tong", "bao", "cheng", "mei", "hong", "guang",
            "li", "xing", "yi", "jia", "run", "de", "hao", "wei", "chuang", "zhi", "ke", "ming",
            "yang", "bo",
        ];
        let latin_syl: Vec<&str> = vec![
            "vel", "ta", "ro", "ma", "nex", "tor", "li", "ka", "zen", "dor", "ri", "sa", "ven",
            "tra", "lo", "mi", "ber", "ga", "quin", "sol", "ar", "den", "vo", "tis",
        ];
        let mut synth = 0;
        for &ni in &order {
            if synth >= HARD_QUOTA / 2 {
                break;
            }
            let n = self.pool.names[ni].clone();
            let ws = words::words(&n.name);
            let dist: Vec<&words::Word> =
                ws.iter().filter(|w| words::kind(&w.key) == Kind::Distinctive).collect();
            let generic = ws.iter().filter(|w| words::kind(&w.key) == Kind::Generic).count();
            if dist.is_empty() || generic == 0 || dist.len() > 2 {
                continue;
            }
            let mut edits = Vec::new();
            let mut ok = true;
            for w in &dist {
                let chinese = han::is_pinyin_word(&w.key);
                let mut made = None;
                for _ in 0..20 {
                    let f: String = if chinese {
                        format!(
                            "{}{}",
                            rng.pick(&common_syl).copied().unwrap_or("xin"),
                            rng.pick(&common_syl).copied().unwrap_or("da")
                        )
                    } else {
                        (0..2 + rng.below(2))
                            .map(|_| rng.pick(&latin_syl).copied().unwrap_or("ta"))
                            .collect()
                    };
                    if !near.near(&f) {
                        made = Some(f);
                        break;
                    }
                }
                match made {
                    Some(f) => edits.push((w.start, w.end, variants::recase(&f, &w.text))),
                    None => ok = false,
                }
            }
            if !ok {
                continue;
            }
            let q = variants::replace_spans(&n.name, edits);
            if self.pool.names_other_entry(&words::core(&q), usize::MAX) {
                continue;
            }
            if self.push(
                cat,
                n.entry,
                q,
                &n.name,
                false,
                "distinctive words replaced by fictional ones".into(),
            ) {
                synth += 1;
            }
        }
        // Real pairs: two unrelated list companies in the same place sharing only generic words.
        let mut by_first: HashMap<String, Vec<usize>> = HashMap::new();
        for &ni in &order {
            let ws = words::words(&self.pool.names[ni].name);
            if let Some(w) = ws.first()
                && words::kind(&w.key) == Kind::Place
            {
                by_first.entry(w.key.clone()).or_default().push(ni);
            }
        }
        let mut places: Vec<String> = by_first.keys().cloned().collect();
        places.sort_unstable();
        let mut real = 0;
        let mut tries = 0;
        while real < HARD_QUOTA / 2 && tries < 50_000 && !places.is_empty() {
            tries += 1;
            let p = &places[rng.below(places.len())];
            let g = &by_first[p];
            if g.len() < 2 {
                continue;
            }
            let (a, b) = (g[rng.below(g.len())], g[rng.below(g.len())]);
            let (na, nb) = (&self.pool.names[a], &self.pool.names[b]);
            if na.entry == nb.entry {
                continue;
            }
            let shared: Vec<&String> = na.core.iter().filter(|t| nb.core.contains(t)).collect();
            let shared_generic = shared.iter().filter(|t| words::kind(t) == Kind::Generic).count();
            let shared_strong = shared
                .iter()
                .filter(|t| matches!(words::kind(t), Kind::Distinctive | Kind::Number))
                .count();
            let close = na
                .core
                .iter()
                .any(|a| nb.core.iter().any(|b| a != b && crate::pool::close_words(a, b)));
            if shared_strong > 0
                || shared_generic == 0
                || close
                || self.pool.related(na.entry, nb.entry)
            {
                continue;
            }
            let (q, l, e) = (na.name.clone(), nb.name.clone(), nb.entry);
            if self.push(
                cat,
                e,
                q,
                &l,
                false,
                "real unrelated companies sharing generic words".into(),
            ) {
                real += 1;
            }
        }
        self.controls(cat, &order);
    }

    fn unrelated(&mut self) {
        let cat = Category::Unrelated;
        let mut rng = self.rng("unrelated");
        let all = self.names_where(|_| true);
        let order = self.order(&all, &mut rng);
        let mut made = 0;
        let mut tries = 0;
        while made < HARD_QUOTA && tries < 20_000 {
            tries += 1;
            let (a, b) = (order[rng.below(order.len())], order[rng.below(order.len())]);
            let (na, nb) = (&self.pool.names[a], &self.pool.names[b]);
            if self.pool.schema(na.entry) != self.pool.schema(nb.entry)
                || na.core.iter().any(|t| nb.core.contains(t))
                || self.pool.related(na.entry, nb.entry)
            {
                continue;
            }
            let (q, l, e) = (na.name.clone(), nb.name.clone(), nb.entry);
            if self.push(cat, e, q, &l, false, "random pair".into()) {
                made += 1;
            }
        }
        self.controls(cat, &order);
    }
}

/// Transliterated Russian generic words of organisation names.
const RU_GENERIC: &[&str] = &[
    "zavod",
    "obshchestvo",
    "aktsionernoe",
    "nauchno",
    "proizvodstvennoe",
    "obedinenie",
    "npo",
    "npp",
    "nii",
    "kb",
    "okb",
    "byuro",
    "konstruktorskoe",
    "tsentr",
    "institut",
    "kompaniya",
    "gruppa",
    "fgup",
    "tsnii",
    "vnii",
    "kombinat",
    "firma",
    "tekhnologii",
    "sistemy",
    "servis",
];

/// Whether a folded word looks like transliterated Russian.
fn russian_looking(w: &str) -> bool {
    const INNER: &[&str] = &["kh", "zh", "ts", "shch", "yy", "iy", "ya", "yu", "ye", "yo", "sch"];
    const ENDS: &[&str] = &[
        "ov", "ev", "in", "sky", "skiy", "skaya", "sk", "nik", "ogo", "oye", "oe", "aya", "iya",
        "ka", "ovo", "evo", "ino", "grad", "stroy", "prom", "mash", "neft", "gaz", "energo",
        "tekh", "servis", "trans", "avia", "snab", "torg", "ii", "yi", "nyi", "niy", "ny", "ko",
        "enko", "ich", "na",
    ];
    INNER.iter().any(|p| w.contains(p)) || ENDS.iter().any(|e| w.ends_with(e))
}

/// Whether two words are close enough that substituting one for the other
/// would read as a typo rather than a different word.
fn strsim_close(a: &str, b: &str) -> bool {
    a == b || levenshtein(a, b) <= 2 || a.starts_with(b) || b.starts_with(a)
}

/// Plain Levenshtein distance on chars.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let c = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + c);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Symmetric-delete neighbourhood check against the vocabulary of the lists:
/// a fictional word is "near" a real one within edit distance ~1.
struct NearChecker {
    vocab: HashSet<String>,
    deletes: HashSet<String>,
}

fn deletions(w: &str) -> Vec<String> {
    let c: Vec<char> = w.chars().collect();
    (0..c.len()).map(|i| c[..i].iter().chain(&c[i + 1..]).collect()).collect()
}

impl NearChecker {
    fn new(vocab: &HashSet<String>) -> NearChecker {
        let mut deletes = HashSet::new();
        for w in vocab {
            if w.len() >= 3 {
                deletes.extend(deletions(w));
            }
        }
        NearChecker { vocab: vocab.clone(), deletes }
    }

    fn near(&self, w: &str) -> bool {
        let w = w.to_lowercase();
        self.vocab.contains(&w)
            || self.deletes.contains(&w)
            || deletions(&w).iter().any(|d| self.vocab.contains(d) || self.deletes.contains(d))
    }
}

/// Generate the evaluation pairs from loaded entries. Deterministic for a
/// seed and an entry list.
pub fn generate_from_entries(entries: &[ListEntry], seed: u64) -> Vec<EvalPair> {
    let pool = Pool::new(entries);
    let mut entries_by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        for n in &e.names {
            entries_by_name.entry(n.name.trim().to_string()).or_default().push(i);
        }
    }
    let mut g = Gen { pool: &pool, seed, out: Vec::new(), seen: HashSet::new() };
    let timing = std::env::var_os("CHIPTRACE_EVAL_TIMING").is_some();
    let mut t0 = std::time::Instant::now();
    let mut lap = |what: &str| {
        if timing {
            eprintln!("[generate] {what}: {:.2} s", t0.elapsed().as_secs_f64());
            t0 = std::time::Instant::now();
        }
    };
    lap("pool");
    g.exact();
    lap("exact");
    let all_orgs = g.names_where(|i| g.is_org(i));
    let persons = g.names_where(|i| !g.is_org(i));
    let typo_c = g.names_where(|_| true);
    g.positive_category(Category::Typo, typo_c, variants::typo);
    lap("Typo");
    let tok = g.names_where(|_| true);
    let org_flags: Vec<bool> = (0..pool.names.len()).map(|i| g.is_org(i)).collect();
    let name_to_idx: HashMap<String, usize> =
        pool.names.iter().enumerate().map(|(i, n)| (n.name.clone(), i)).collect();
    g.positive_category(Category::TokenOrder, tok, |name, rng| {
        let person = name_to_idx.get(name).is_some_and(|&i| !org_flags[i]);
        variants::token_order(name, person, rng)
    });
    g.positive_category(Category::LegalForm, all_orgs.clone(), variants::legal_form);
    lap("LegalForm");
    g.positive_category(Category::Abbreviation, all_orgs, variants::abbreviation);
    lap("Abbreviation");
    g.han(&entries_by_name);
    lap("han");
    let py = g.names_where(|i| g.has_country(i, "CN"));
    g.positive_category(Category::PinyinSpacing, py, |name, rng| {
        variants::pinyin_spacing(name, rng, &|k| pool.is_pinyin(k))
    });
    g.cyrillic();
    lap("cyrillic");
    let hg = g.names_where(|_| true);
    g.positive_category(Category::Homoglyph, hg, variants::homoglyph);
    g.positive_category(Category::PersonOrder, persons, variants::person_order);
    lap("PersonOrder");
    g.sibling();
    lap("sibling");
    g.short_common();
    lap("short_common");
    g.generic_words();
    lap("generic_words");
    g.unrelated();
    lap("unrelated");
    g.out
}
