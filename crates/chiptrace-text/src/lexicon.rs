//! The phrase lexicon: legal forms, generic words, stopwords, titles, vessel
//! prefixes and ordinal words, plus the Han dictionary used by the Han
//! segmenter.
//!
//! Everything is built once from the data tables in `tables/`. Aliases are
//! pushed through the same normalisation and romanisation as names, so the
//! keys are exactly the token sequences a name produces: the table can say
//! "Co., Ltd." or "ООО" and never needs to spell normalised forms by hand.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::normalize::{self, Seg, SegKind, WordScript};
use crate::romanize::{self, PreTok, Scope};
use crate::{CyrillicScheme, TokenClass, cyrillic, han, tables};

/// One output token of a lexicon entry.
#[derive(Debug, Clone)]
pub(crate) struct Out {
    pub class: TokenClass,
    pub text: Box<str>,
}

/// Which table an entry comes from (decides where it may apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Legal,
    Generic,
    /// Stopword for every name type.
    Stop,
    /// Stopword for organisations only (particles stay words in person names).
    StopOrg,
    /// Ordinal word → Number.
    Number,
    /// Person title / vessel prefix (separate maps).
    Prefix,
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub outs: Box<[Out]>,
    pub scope: Scope,
    /// Legal forms: only at the first or last token(s). Titles: only at the
    /// start of the name as written (not after "SURNAME, Given" reordering).
    pub restricted: bool,
    /// Legal forms: only as the last token(s).
    pub end_only: bool,
    pub kind: Kind,
}

/// Phrases keyed by their space-joined token sequence, with the maximum
/// phrase length per first token so that most tokens cost one lookup.
#[derive(Debug, Default)]
pub(crate) struct PhraseMap {
    map: FxHashMap<Box<str>, Vec<Entry>>,
    first: FxHashMap<Box<str>, usize>,
}

impl PhraseMap {
    fn insert(&mut self, tokens: &[String], entry: Entry, conflicts: &mut Vec<String>) {
        if tokens.is_empty() {
            return;
        }
        let key = tokens.join(" ");
        let first = self.first.entry(tokens[0].as_str().into()).or_insert(0);
        *first = (*first).max(tokens.len());
        let entries = self.map.entry(key.clone().into()).or_default();
        if let Some(old) =
            entries.iter_mut().find(|e| e.scope == entry.scope && same_outs(&e.outs, &entry.outs))
        {
            // Same phrase listed twice (e.g. "Co Ltd" and "Co., Ltd."): an
            // unrestricted alias wins over a restricted one.
            old.restricted &= entry.restricted;
            old.end_only &= entry.end_only;
            return;
        }
        if entries.iter().any(|e| e.scope == entry.scope && e.kind != Kind::Prefix) {
            conflicts.push(key);
        }
        entries.push(entry);
    }

    /// Number of distinct keys with an entry of `kind`.
    pub fn keys_of(&self, kind: Kind) -> usize {
        self.map.values().filter(|es| es.iter().any(|e| e.kind == kind)).count()
    }

    /// Longest phrase starting at `i` whose entry passes `allowed`.
    pub fn longest<'a, T: PhraseItem>(
        &'a self,
        items: &[T],
        i: usize,
        buf: &mut String,
        allowed: impl Fn(&Entry, usize) -> bool,
    ) -> Option<(usize, &'a Entry)> {
        let max = *self.first.get(items.get(i)?.text())?;
        let max = max.min(items.len() - i);
        for len in (1..=max).rev() {
            let span = &items[i..i + len];
            if span.iter().any(PhraseItem::blocked) {
                continue;
            }
            let key: &str = if len == 1 {
                span[0].text()
            } else {
                buf.clear();
                for (k, p) in span.iter().enumerate() {
                    if k > 0 {
                        buf.push(' ');
                    }
                    buf.push_str(p.text());
                }
                buf.as_str()
            };
            if let Some(entries) = self.map.get(key) {
                for e in entries {
                    let scope_ok =
                        e.scope == Scope::Any || span.iter().all(|p| p.scope() == e.scope);
                    if scope_ok && allowed(e, len) {
                        return Some((len, e));
                    }
                }
            }
        }
        None
    }
}

/// Something phrases can be matched over: pre-tokens, or classified tokens.
pub(crate) trait PhraseItem {
    fn text(&self) -> &str;
    /// Cannot be part of a phrase (already classified).
    fn blocked(&self) -> bool;
    fn scope(&self) -> Scope;
}

impl PhraseItem for PreTok {
    fn text(&self) -> &str {
        &self.text
    }
    fn blocked(&self) -> bool {
        self.fixed.is_some()
    }
    fn scope(&self) -> Scope {
        self.scope
    }
}

impl PhraseItem for crate::Token {
    fn text(&self) -> &str {
        &self.text
    }
    fn blocked(&self) -> bool {
        self.class != TokenClass::Word
    }
    fn scope(&self) -> Scope {
        Scope::Any
    }
}

fn same_outs(a: &[Out], b: &[Out]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.class == y.class && x.text == y.text)
}

/// A Han dictionary entry.
#[derive(Debug, Clone)]
pub(crate) struct HanEntry {
    pub outs: Box<[Out]>,
    /// Alternative renderings (each gives an extra form).
    pub alts: Box<[Box<[Out]>]>,
    /// A place: may be followed by a place suffix (市, 省 …).
    pub place: bool,
}

#[derive(Debug, Default)]
pub(crate) struct HanDict {
    pub words: FxHashMap<Box<str>, HanEntry>,
    /// Longest key (in chars) per first character.
    pub first: FxHashMap<char, usize>,
    pub place_suffix: FxHashMap<Box<str>, Box<str>>,
    pub numeric_suffix: FxHashMap<Box<str>, Box<[Out]>>,
}

impl HanDict {
    fn insert(&mut self, key: String, entry: HanEntry, conflicts: &mut Vec<String>) {
        let Some(c) = key.chars().next() else { return };
        let len = key.chars().count();
        let f = self.first.entry(c).or_insert(0);
        *f = (*f).max(len);
        match self.words.get(key.as_str()) {
            Some(old) if !same_outs(&old.outs, &entry.outs) => conflicts.push(key),
            Some(_) => {}
            None => {
                self.words.insert(key.into(), entry);
            }
        }
    }
}

/// Table sizes, for documentation and the crate's report.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Counts {
    pub legal_aliases: usize,
    pub legal_codes: usize,
    pub generic_aliases: usize,
    pub generic_canonicals: usize,
    pub stop_aliases: usize,
    pub titles: usize,
    pub han_places: usize,
    pub han_alternates: usize,
}

#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    pub main: PhraseMap,
    pub titles: PhraseMap,
    pub vessels: PhraseMap,
    pub han: HanDict,
    /// Latin tokens of the Han place table ("shenzhen", "hong", "kong").
    pub places: rustc_hash::FxHashSet<Box<str>>,
    /// Keys that two table lines map to different outputs (must stay empty;
    /// checked by a test).
    pub conflicts: Vec<String>,
    pub counts: Counts,
}

/// What an alias normalises to.
enum AliasKey {
    /// Pure Han alias: a key of the Han dictionary (simplified).
    Han(String),
    /// Token sequences (one per Cyrillic scheme, deduplicated) and the scope.
    Tokens(Vec<Vec<String>>, Scope),
}

fn alias_key(alias: &str) -> Option<AliasKey> {
    let segs: Vec<Seg> = normalize::segment(alias, usize::MAX, usize::MAX);
    let words: Vec<&Seg> = segs.iter().filter(|s| s.kind == SegKind::Word).collect();
    if words.is_empty() {
        // "&" alone.
        if segs.iter().any(|s| s.kind == SegKind::Amp) {
            return Some(AliasKey::Tokens(vec![vec!["and".to_string()]], Scope::Any));
        }
        return None;
    }
    if words.iter().all(|s| s.script == WordScript::Han) {
        let han: String = words.iter().map(|s| s.text.as_str()).collect();
        return Some(AliasKey::Han(zhconv::zhconv(&han, zhconv::Variant::ZhHans)));
    }
    let lang = cyrillic::detect_lang(words.iter().map(|s| s.text.as_str()));
    let mut scope = Scope::Any;
    for s in &words {
        match s.script {
            WordScript::Cyrillic => scope = Scope::Cyrillic,
            WordScript::Greek | WordScript::Other if scope == Scope::Any => {
                scope = Scope::Romanized
            }
            _ => {}
        }
    }
    let mut keys: Vec<Vec<String>> = Vec::new();
    for scheme in SCHEMES {
        let mut pre: Vec<PreTok> = Vec::new();
        let mut flags = romanize::Flags::default();
        for s in &segs {
            romanize::romanize_seg(s, scheme, lang, false, &mut pre, &mut flags);
        }
        let toks: Vec<String> = pre.into_iter().map(|p| p.text).collect();
        if !toks.is_empty() && !keys.contains(&toks) {
            keys.push(toks);
        }
    }
    if keys.is_empty() {
        return None;
    }
    // Long romanised phrases are safe in Latin text too; short ones ("и" →
    // "i", "с" → "s") must stay with their script.
    if scope != Scope::Any
        && keys.iter().all(|k| k.len() >= 2 || k.iter().map(String::len).sum::<usize>() >= 6)
    {
        scope = Scope::Any;
    }
    Some(AliasKey::Tokens(keys, scope))
}

/// Where in a name a legal-form alias may match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pos {
    Anywhere,
    /// First or last token(s): `@` in the table.
    Edge,
    /// Last token(s) only: `$` in the table.
    End,
}

const SCHEMES: [CyrillicScheme; 4] = [
    CyrillicScheme::BgnPcgn,
    CyrillicScheme::Icao,
    CyrillicScheme::Gost,
    CyrillicScheme::CommonEnglish,
];

fn outs(list: &[(TokenClass, &str)]) -> Box<[Out]> {
    list.iter().map(|&(class, t)| Out { class, text: t.into() }).collect()
}

fn words_out(s: &str, class: TokenClass) -> Box<[Out]> {
    s.split_whitespace().map(|w| Out { class, text: w.to_ascii_lowercase().into() }).collect()
}

impl Lexicon {
    pub(crate) fn get() -> &'static Lexicon {
        static L: OnceLock<Lexicon> = OnceLock::new();
        L.get_or_init(Lexicon::build)
    }

    fn add_alias(&mut self, alias: &str, pos: Pos, out: Box<[Out]>, kind: Kind) {
        let Some(key) = alias_key(alias) else { return };
        match key {
            AliasKey::Han(k) => {
                let out = match kind {
                    Kind::Legal | Kind::Generic => out,
                    // A Han stopword is its pinyin, as a Stop token.
                    Kind::Stop | Kind::StopOrg => Box::new([Out {
                        class: TokenClass::Stop,
                        text: han::default_pinyin(&k).into(),
                    }]),
                    Kind::Number | Kind::Prefix => return,
                };
                let e = HanEntry { outs: out, alts: Box::new([]), place: false };
                self.han.insert(k, e, &mut self.conflicts);
            }
            AliasKey::Tokens(keys, scope) => {
                for toks in keys {
                    let outs = if matches!(kind, Kind::Stop | Kind::StopOrg) {
                        // A stopword is its own (joined) text: "&" → "and", "m/v" → "mv".
                        Box::new([Out { class: TokenClass::Stop, text: toks.concat().into() }])
                            as Box<[Out]>
                    } else {
                        out.clone()
                    };
                    let e = Entry {
                        outs,
                        scope,
                        restricted: pos != Pos::Anywhere,
                        end_only: pos == Pos::End,
                        kind,
                    };
                    self.main.insert(&toks, e, &mut self.conflicts);
                }
            }
        }
    }

    fn add_prefix(&mut self, alias: &str, restricted: bool, vessel: bool) {
        let Some(AliasKey::Tokens(keys, scope)) = alias_key(alias) else { return };
        for toks in keys {
            let e = Entry {
                outs: Box::new([Out { class: TokenClass::Stop, text: toks.concat().into() }]),
                scope,
                restricted,
                end_only: false,
                kind: Kind::Prefix,
            };
            let map = if vessel { &mut self.vessels } else { &mut self.titles };
            map.insert(&toks, e, &mut self.conflicts);
        }
    }

    fn build() -> Lexicon {
        let mut lx = Lexicon::default();
        let mut codes = std::collections::BTreeSet::new();
        for line in tables::data_lines(tables::LEGAL_FORMS) {
            let Some((code, aliases)) = tables::key_and_aliases(line) else { continue };
            codes.insert(code);
            let out = outs(&[(TokenClass::LegalForm, code)]);
            // The code itself is not an automatic alias: "sp", "pe" or "sue"
            // are ordinary words; the table lists the spellings that count.
            for a in aliases {
                let (pos, a) = match (a.strip_prefix('@'), a.strip_prefix('$')) {
                    (Some(rest), _) => (Pos::Edge, rest),
                    (_, Some(rest)) => (Pos::End, rest),
                    _ => (Pos::Anywhere, a),
                };
                lx.add_alias(a, pos, out.clone(), Kind::Legal);
                lx.counts.legal_aliases += 1;
            }
        }
        lx.counts.legal_codes = codes.len();
        for line in tables::data_lines(tables::GENERIC_WORDS) {
            let Some((canon, aliases)) = tables::key_and_aliases(line) else { continue };
            let parts: Vec<(TokenClass, &str)> =
                canon.split('+').map(|w| (TokenClass::Generic, w.trim())).collect();
            let out = outs(&parts);
            lx.counts.generic_canonicals += 1;
            let mut all: Vec<&str> = aliases.collect();
            if parts.len() == 1 {
                all.push(canon);
            }
            for a in all {
                lx.add_alias(a, Pos::Anywhere, out.clone(), Kind::Generic);
                lx.counts.generic_aliases += 1;
            }
        }
        for line in tables::data_lines(tables::STOPWORDS) {
            let Some((section, aliases)) = tables::key_and_aliases(line) else { continue };
            for a in aliases {
                match section {
                    "stop" | "stop_org" => {
                        let kind = if section == "stop" { Kind::Stop } else { Kind::StopOrg };
                        lx.add_alias(a, Pos::Anywhere, Box::new([]), kind);
                        lx.counts.stop_aliases += 1;
                    }
                    "title" => {
                        let (restricted, a) = match a.strip_prefix('~') {
                            Some(rest) => (true, rest),
                            None => (false, a),
                        };
                        lx.add_prefix(a, restricted, false);
                        lx.counts.titles += 1;
                    }
                    "vessel" => lx.add_prefix(a, false, true),
                    "ordinal" => {
                        if let Some((w, n)) = a.split_once('=') {
                            lx.add_alias(
                                w,
                                Pos::Anywhere,
                                outs(&[(TokenClass::Number, n.trim())]),
                                Kind::Number,
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
        lx.build_han_words();
        lx
    }

    fn build_han_words(&mut self) {
        let mut section = "";
        for line in tables::data_lines(tables::HAN_WORDS) {
            if line.starts_with('[') {
                section = line.trim_matches(|c| c == '[' || c == ']');
                continue;
            }
            let Some((han, rest)) = line.split_once(char::is_whitespace) else { continue };
            let han = zhconv::zhconv(han, zhconv::Variant::ZhHans);
            let rest = rest.trim();
            match section {
                "places" => {
                    let multi: Vec<&str> = rest.split('/').map(str::trim).collect();
                    for v in &multi {
                        let words: Vec<&str> = v.split_whitespace().collect();
                        // "new territories", "tsuen wan": only whole one-word
                        // names and the halves of Hong Kong count as places.
                        if words.len() == 1 || *v == "hong kong" {
                            self.places.extend(
                                words.iter().map(|w| Box::<str>::from(w.to_ascii_lowercase())),
                            );
                        }
                    }
                    let mut variants = rest.split('/').map(|v| words_out(v, TokenClass::Word));
                    let Some(primary) = variants.next() else { continue };
                    let e = HanEntry { outs: primary, alts: variants.collect(), place: true };
                    self.han.insert(han, e, &mut self.conflicts);
                    self.counts.han_places += 1;
                }
                "place_suffix" => {
                    self.han.place_suffix.insert(han.into(), rest.into());
                }
                "alternates" | "translations" => {
                    let rest = rest.trim_start_matches('=').trim();
                    let alts = rest.split('/').map(|v| words_out(v, TokenClass::Word)).collect();
                    let primary = han::default_pinyin(&han);
                    let e = HanEntry {
                        outs: outs(&[(TokenClass::Word, &primary)]),
                        alts,
                        place: false,
                    };
                    self.han.insert(han, e, &mut self.conflicts);
                    self.counts.han_alternates += 1;
                }
                "numeric_suffix" => {
                    self.han
                        .numeric_suffix
                        .insert(han.into(), words_out(rest, TokenClass::Generic));
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load_without_conflicts() {
        let lx = Lexicon::get();
        assert!(lx.conflicts.is_empty(), "conflicting table keys: {:?}", lx.conflicts);
        let c = lx.counts;
        assert!(c.legal_aliases >= 300, "{c:?}");
        assert!(c.legal_codes >= 25, "{c:?}");
        assert!(c.generic_canonicals >= 150, "{c:?}");
        assert!(c.han_places >= 60, "{c:?}");
    }

    #[test]
    fn alias_keys_are_normalised() {
        let lx = Lexicon::get();
        for k in [
            "co ltd",
            "ltd",
            "sdn bhd",
            "ooo",
            "llc",
            "fz llc",
            "sp z oo",
            "obshchestvo s ogranichennoy otvetstvennostyu",
        ] {
            assert!(lx.main.map.contains_key(k), "missing {k}");
        }
        for k in ["有限公司", "股份有限公司", "有限责任公司", "科技", "研究所", "北京", "香港"]
        {
            assert!(lx.han.words.contains_key(k), "missing {k}");
        }
        // Traditional aliases are stored simplified.
        assert!(lx.han.words.contains_key("技术"));
    }
}
#[cfg(test)]
mod review {
    #[test]
    #[ignore]
    fn print_short_unrestricted() {
        let lx = super::Lexicon::get();
        let mut v: Vec<String> = lx
            .main
            .map
            .iter()
            .filter(|(k, es)| {
                k.len() <= 3
                    && es.iter().any(|e| {
                        e.kind == super::Kind::Legal
                            && !e.restricted
                            && e.scope == super::Scope::Any
                    })
            })
            .map(|(k, es)| format!("{k}={}", es[0].outs[0].text))
            .collect();
        v.sort();
        println!("{}", v.join(" "));
    }
}
