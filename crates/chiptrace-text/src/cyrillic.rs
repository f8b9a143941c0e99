//! Table-driven Cyrillic transliteration (ICAO 9303, BGN/PCGN, GOST 7.79-B,
//! common English), with Ukrainian and Serbian overrides.
//!
//! The table is data (`tables/cyrillic.txt`) so that reviewers can audit it;
//! this module only parses it once and applies it.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::{CyrillicScheme, tables};

/// The language whose conventions override the base table for a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    Russian,
    Ukrainian,
    Serbian,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// Alternative spelling at the start of a word only.
    Start,
    /// Alternative spelling at the start of a word or after a vowel/й/ъ/ь.
    StartOrVowel,
}

#[derive(Debug, Clone)]
struct Cell {
    default: Box<str>,
    alt: Option<(Box<str>, Ctx)>,
}

#[derive(Debug, Clone)]
struct Seq {
    pat: Vec<char>,
    at_end: bool,
    out: Box<str>,
}

#[derive(Debug, Default)]
struct Table {
    base: FxHashMap<char, [Cell; 4]>,
    ukrainian: FxHashMap<char, [Cell; 4]>,
    serbian: FxHashMap<char, [Cell; 4]>,
    seqs: [Vec<Seq>; 4],
}

fn scheme_index(s: CyrillicScheme) -> usize {
    match s {
        CyrillicScheme::Icao => 0,
        CyrillicScheme::BgnPcgn => 1,
        CyrillicScheme::Gost => 2,
        CyrillicScheme::CommonEnglish => 3,
    }
}

fn parse_cell(s: &str) -> Cell {
    let norm = |x: &str| -> Box<str> { if x == "-" { "".into() } else { x.into() } };
    match s.split_once('>') {
        Some((d, rest)) => {
            let (alt, ctx) = match rest.split_once('@') {
                Some((a, "s")) => (a, Ctx::Start),
                Some((a, _)) => (a, Ctx::StartOrVowel),
                None => (rest, Ctx::StartOrVowel),
            };
            Cell { default: norm(d), alt: Some((norm(alt), ctx)) }
        }
        None => Cell { default: norm(s), alt: None },
    }
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = Table::default();
        let mut section = "";
        for line in tables::data_lines(tables::CYRILLIC) {
            if line.starts_with('[') {
                section = line.trim_matches(|c| c == '[' || c == ']');
                continue;
            }
            let cols: Vec<&str> = line.split_whitespace().collect();
            if section == "sequences" {
                if cols.len() != 3 {
                    continue;
                }
                let idx = match cols[0] {
                    "icao" => 0,
                    "bgn" => 1,
                    "gost" => 2,
                    "common" => 3,
                    _ => continue,
                };
                let at_end = cols[1].ends_with('$');
                let pat: Vec<char> = cols[1].trim_end_matches('$').chars().collect();
                t.seqs[idx].push(Seq { pat, at_end, out: cols[2].into() });
                continue;
            }
            if cols.len() != 5 {
                continue;
            }
            let Some(letter) = cols[0].chars().next() else { continue };
            let cells = [
                parse_cell(cols[1]),
                parse_cell(cols[2]),
                parse_cell(cols[3]),
                parse_cell(cols[4]),
            ];
            let map = match section {
                "ukrainian" => &mut t.ukrainian,
                "serbian" => &mut t.serbian,
                _ => &mut t.base,
            };
            map.insert(letter, cells);
        }
        // Longest sequences first.
        for s in &mut t.seqs {
            s.sort_by_key(|q| std::cmp::Reverse(q.pat.len()));
        }
        t
    })
}

/// Number of letters in the base table (for documentation and tests).
pub(crate) fn table_size() -> usize {
    let t = table();
    t.base.len() + t.ukrainian.len() + t.serbian.len() + t.seqs.iter().map(Vec::len).sum::<usize>()
}

fn is_soft_context(c: char) -> bool {
    matches!(
        c,
        'а' | 'е'
            | 'ё'
            | 'и'
            | 'о'
            | 'у'
            | 'ы'
            | 'э'
            | 'ю'
            | 'я'
            | 'і'
            | 'ї'
            | 'є'
            | 'й'
            | 'ъ'
            | 'ь'
    )
}

/// Guess the language conventions of a name from its letters.
pub(crate) fn detect_lang<'a>(words: impl Iterator<Item = &'a str>) -> Lang {
    let mut ukr = false;
    let mut kaz = false;
    for w in words {
        for c in w.chars() {
            match c {
                'ђ' | 'ј' | 'љ' | 'њ' | 'ћ' | 'џ' | 'ѓ' | 'ќ' | 'ѕ' => {
                    return Lang::Serbian;
                }
                'ї' | 'є' | 'ґ' | 'і' => ukr = true,
                'ә' | 'ғ' | 'қ' | 'ң' | 'ө' | 'ұ' | 'ү' | 'һ' => kaz = true,
                _ => {}
            }
        }
    }
    if ukr && !kaz { Lang::Ukrainian } else { Lang::Russian }
}

/// Transliterate one folded (lower-case) Cyrillic word into `out` (ASCII).
pub(crate) fn translit_word(word: &str, scheme: CyrillicScheme, lang: Lang, out: &mut String) {
    let t = table();
    let idx = scheme_index(scheme);
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    let mut i = 0;
    let mut prev: Option<char> = None;
    'outer: while i < n {
        for s in &t.seqs[idx] {
            let len = s.pat.len();
            if i + len <= n && chars[i..i + len] == s.pat[..] && (!s.at_end || i + len == n) {
                out.push_str(&s.out);
                prev = s.pat.last().copied();
                i += len;
                continue 'outer;
            }
        }
        let c = chars[i];
        let over = match lang {
            Lang::Ukrainian => t.ukrainian.get(&c),
            Lang::Serbian => t.serbian.get(&c),
            Lang::Russian => None,
        };
        if let Some(cells) = over.or_else(|| t.base.get(&c)) {
            let cell = &cells[idx];
            // Words hold letters and digits only: a word starts after a digit too.
            let start = prev.is_none_or(|p| p.is_ascii_digit());
            let text = match &cell.alt {
                Some((alt, Ctx::Start)) if start => alt,
                Some((alt, Ctx::StartOrVowel)) if start || prev.is_some_and(is_soft_context) => alt,
                _ => &cell.default,
            };
            out.push_str(text);
        } else if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else {
            for b in any_ascii::any_ascii_char(c).bytes() {
                if b.is_ascii_alphanumeric() {
                    out.push((b as char).to_ascii_lowercase());
                }
            }
        }
        prev = Some(c);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CyrillicScheme::*;

    fn tr(w: &str, s: CyrillicScheme) -> String {
        let lang = detect_lang(std::iter::once(w));
        let mut out = String::new();
        translit_word(w, s, lang, &mut out);
        out
    }

    #[test]
    fn russian_schemes() {
        assert_eq!(tr("дмитрий", Icao), "dmitrii");
        assert_eq!(tr("дмитрий", BgnPcgn), "dmitriy");
        assert_eq!(tr("дмитрий", Gost), "dmitrij");
        assert_eq!(tr("дмитрий", CommonEnglish), "dmitry");
        assert_eq!(tr("щербаков", Icao), "shcherbakov");
        assert_eq!(tr("щербаков", Gost), "shherbakov");
        assert_eq!(tr("елена", BgnPcgn), "yelena");
        assert_eq!(tr("елена", Icao), "elena");
        assert_eq!(tr("афанасьев", BgnPcgn), "afanasyev");
        assert_eq!(tr("афанасьев", Icao), "afanasev");
        assert_eq!(tr("юрий", Icao), "iurii");
        assert_eq!(tr("юрий", BgnPcgn), "yuriy");
        assert_eq!(tr("хабаровск", Gost), "xabarovsk");
        assert_eq!(tr("цветков", Gost), "czvetkov");
        assert_eq!(tr("цех", Gost), "cex");
        assert_eq!(tr("объект", Icao), "obieekt");
        assert_eq!(tr("пётр", CommonEnglish), "pyotr");
        assert_eq!(tr("ооо", Gost), "ooo");
    }

    #[test]
    fn ukrainian_context() {
        assert_eq!(tr("київ", Icao), "kyiv");
        assert_eq!(tr("григорій", Icao), "hryhorii");
        assert_eq!(tr("григорій", BgnPcgn), "hryhorii");
        assert_eq!(tr("григорій", CommonEnglish), "hryhoriy");
        assert_eq!(tr("євген", Icao), "yevhen");
        assert_eq!(tr("ярослав", Gost), "yaroslav");
    }

    #[test]
    fn serbian_context() {
        assert_eq!(tr("милошевић", BgnPcgn), "milosevic");
        assert_eq!(tr("југоимпорт", Icao), "jugoimport");
    }

    #[test]
    fn non_cyrillic_passes() {
        assert_eq!(tr("т72", Icao), "t72");
    }
}
