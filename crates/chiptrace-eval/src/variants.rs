//! Name variants that keep the identity of the party: typos, token order,
//! legal forms, abbreviations, homoglyphs, person-name order, pinyin
//! spacing. Each function returns `None` when the name offers no place for
//! that kind of variation, and `(variant, note)` otherwise.

use crate::han;
use crate::rng::Rng;
use crate::words::{self, ABBREVIATIONS, Kind, LEGAL_FORM_CLASSES, Word};

/// Replace byte spans of `s` (non-overlapping, any order) by new text.
pub fn replace_spans(s: &str, mut edits: Vec<(usize, usize, String)>) -> String {
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(s.len() + 8);
    let mut pos = 0;
    for (a, b, t) in edits {
        if a < pos {
            continue;
        }
        out.push_str(&s[pos..a]);
        out.push_str(&t);
        pos = b;
    }
    out.push_str(&s[pos..]);
    out
}

fn is_upper_word(w: &str) -> bool {
    w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase)
}

/// Re-case `new` like `like`: ALL CAPS, Title or lower.
pub fn recase(new: &str, like: &str) -> String {
    if is_upper_word(like) && like.chars().filter(|c| c.is_alphabetic()).count() > 1 {
        new.to_uppercase()
    } else if like.chars().next().is_some_and(char::is_uppercase) {
        let mut c = new.chars();
        c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
    } else {
        new.to_lowercase()
    }
}

fn keyboard_neighbours(c: char) -> &'static str {
    match c.to_ascii_lowercase() {
        'q' => "wa",
        'w' => "qeas",
        'e' => "wrsd",
        'r' => "etdf",
        't' => "ryfg",
        'y' => "tugh",
        'u' => "yihj",
        'i' => "uojk",
        'o' => "ipkl",
        'p' => "ol",
        'a' => "qwsz",
        's' => "awedxz",
        'd' => "serfcx",
        'f' => "drtgvc",
        'g' => "ftyhbv",
        'h' => "gyujnb",
        'j' => "huikmn",
        'k' => "jiolm",
        'l' => "kop",
        'z' => "asx",
        'x' => "zsdc",
        'c' => "xdfv",
        'v' => "cfgb",
        'b' => "vghn",
        'n' => "bhjm",
        'm' => "njk",
        _ => "",
    }
}

fn one_edit(chars: &mut Vec<char>, rng: &mut Rng) -> &'static str {
    // Never touch the first letter: real typos rarely do, and phonetic
    // blocking in every reference system assumes it.
    let n = chars.len();
    let i = 1 + rng.below(n - 1);
    let up = chars[i].is_uppercase();
    let fix = |c: char| if up { c.to_ascii_uppercase() } else { c };
    match rng.below(4) {
        0 => {
            let nb: Vec<char> = keyboard_neighbours(chars[i]).chars().collect();
            if let Some(&c) = rng.pick(&nb) {
                chars[i] = fix(c);
                "substitute"
            } else {
                chars.remove(i);
                "delete"
            }
        }
        1 => {
            chars.remove(i);
            "delete"
        }
        2 => {
            let c = chars[i];
            chars.insert(i, c);
            "double"
        }
        _ => {
            if i + 1 < n && chars[i] != chars[i + 1] {
                chars.swap(i, i + 1);
                "transpose"
            } else {
                chars.remove(i);
                "delete"
            }
        }
    }
}

/// 1-2 character edits in distinctive words of at least 5 letters
/// (2 edits only in words of 8+ letters, or one edit in each of two words).
pub fn typo(name: &str, rng: &mut Rng) -> Option<(String, String)> {
    let ws = words::words(name);
    let cands: Vec<&Word> = ws
        .iter()
        .filter(|w| {
            w.text.chars().count() >= 5
                && w.text.chars().all(|c| c.is_ascii_alphabetic())
                && words::kind(&w.key) == Kind::Distinctive
        })
        .collect();
    if cands.is_empty() {
        return None;
    }
    // Two edits can cancel out (a transposition undone): retry a few times.
    for _ in 0..5 {
        let mut edits = Vec::new();
        let mut notes = Vec::new();
        let first = cands[rng.below(cands.len())];
        let mut chars: Vec<char> = first.text.chars().collect();
        notes.push(one_edit(&mut chars, rng));
        let two = rng.chance(0.35);
        if two && chars.len() >= 8 {
            notes.push(one_edit(&mut chars, rng));
        }
        edits.push((first.start, first.end, chars.into_iter().collect::<String>()));
        if two && notes.len() == 1 && cands.len() > 1 {
            let other = cands.iter().find(|w| w.start != first.start)?;
            let mut chars: Vec<char> = other.text.chars().collect();
            notes.push(one_edit(&mut chars, rng));
            edits.push((other.start, other.end, chars.into_iter().collect()));
        }
        let out = replace_spans(name, edits);
        if words::fold(&out) != words::fold(name) {
            return Some((out, notes.join("+")));
        }
    }
    None
}

/// Where a legal form sits in a name.
#[derive(Debug, Clone)]
pub struct LegalSpan {
    /// Byte range of the legal form in the name (from first to last word).
    pub start: usize,
    /// End (exclusive; includes trailing punctuation when at the end).
    pub end: usize,
    /// Class index into [`LEGAL_FORM_CLASSES`].
    pub class: usize,
    /// True for a prefix ("OOO Name", "Joint Stock Company Name").
    pub prefix: bool,
}

/// Find the legal form at the end (or the start) of a name.
pub fn find_legal(name: &str) -> Option<LegalSpan> {
    let ws = words::words(name);
    let keys: Vec<&str> = ws.iter().map(|w| w.key.as_str()).collect();
    let mut best: Option<(usize, LegalSpan)> = None;
    for (ci, class) in LEGAL_FORM_CLASSES.iter().enumerate() {
        for form in class.iter() {
            let fk = words::form_keys(form);
            let k = fk.len();
            if k == 0 || k >= keys.len() {
                continue;
            }
            let fks: Vec<&str> = fk.iter().map(String::as_str).collect();
            // Suffix: must be the last words, followed only by punctuation.
            if keys[keys.len() - k..] == fks[..] {
                let first = &ws[keys.len() - k];
                let tail = &name[ws[keys.len() - 1].end..];
                if tail.chars().all(|c| c == '.' || c == ' ' || c == ',')
                    && best.as_ref().is_none_or(|(bk, _)| k > *bk)
                {
                    best = Some((
                        k,
                        LegalSpan { start: first.start, end: name.len(), class: ci, prefix: false },
                    ));
                }
            }
            if keys[..k] == fks[..] && best.as_ref().is_none_or(|(bk, _)| k > *bk) {
                let last = &ws[k - 1];
                let mut end = last.end;
                while name[end..].starts_with(['.', ',', ' ']) {
                    end += 1;
                }
                best = Some((k, LegalSpan { start: 0, end, class: ci, prefix: true }));
            }
        }
    }
    best.map(|(_, s)| s)
}

fn strip_suffix_punct(s: &str) -> &str {
    s.trim_end_matches([',', ' ', ';'])
}

/// Drop, change (within the equivalence class) or add a legal form.
pub fn legal_form(name: &str, rng: &mut Rng) -> Option<(String, String)> {
    match find_legal(name) {
        Some(span) => {
            let class = LEGAL_FORM_CLASSES[span.class];
            let current = words::fold(&name[span.start..span.end]);
            let others: Vec<&str> = class
                .iter()
                .copied()
                .filter(|f| {
                    words::form_keys(f).join(" ")
                        != words::words(&current)
                            .iter()
                            .map(|w| w.key.clone())
                            .collect::<Vec<_>>()
                            .join(" ")
                })
                .collect();
            let drop = others.is_empty() || rng.chance(0.35);
            let out = if span.prefix {
                let rest = &name[span.end..];
                if drop {
                    rest.to_string()
                } else {
                    format!("{} {}", others[rng.below(others.len())], rest)
                }
            } else {
                let head = strip_suffix_punct(&name[..span.start]);
                if drop {
                    head.to_string()
                } else {
                    let f = others[rng.below(others.len())];
                    let sep = if f.starts_with("Co")
                        || f.starts_with("Ltd")
                        || f.starts_with("Limited")
                        || rng.chance(0.5)
                    {
                        " "
                    } else {
                        ", "
                    };
                    format!("{head}{sep}{f}")
                }
            };
            let note = if drop { "dropped" } else { "changed" };
            let out = out.trim().to_string();
            let rest_letters = words::core(&out).iter().map(|t| t.chars().count()).sum::<usize>();
            if drop && words::core(&out).len() < 2 && rest_letters < 4 {
                // "GBD LIMITED" → "GBD": a bare acronym is a short-name case, not a legal-form one.
                return None;
            }
            (!words::words(&out).is_empty()
                && !words::core(&out).is_empty()
                && words::fold(&out) != words::fold(name))
            .then(|| (out, note.to_string()))
        }
        None => {
            // Only add a legal form where one is plausible: commercial names.
            const COMMERCIAL: &[&str] = &[
                "technology",
                "electronics",
                "trading",
                "industry",
                "engineering",
                "logistics",
                "semiconductor",
                "microelectronics",
                "equipment",
                "manufacturing",
                "service",
                "investment",
                "holding",
                "shipping",
                "international",
                "development",
                "software",
                "communication",
                "system",
                "material",
                "optoelectronics",
                "instrument",
                "machinery",
                "import",
                "export",
                "commerce",
                "energy",
                "digital",
                "intelligent",
            ];
            let commercial = words::words(name)
                .iter()
                .any(|w| words::generic_class(&w.key).is_some_and(|c| COMMERCIAL.contains(&c)));
            if !commercial {
                return None;
            }
            let f = ["Co., Ltd.", "Limited", "LLC", "Company Limited", "Inc."][rng.below(5)];
            Some((format!("{} {f}", strip_suffix_punct(name.trim())), "added".to_string()))
        }
    }
}

const PHRASE_ABBREVIATIONS: &[(&[&str], &[&str])] = &[
    (&["science", "and", "technology"], &["S&T", "Sci-Tech", "Sci & Tech"]),
    (&["import", "and", "export"], &["Imp & Exp", "Imp. & Exp.", "I/E"]),
    (&["integrated", "circuit"], &["IC"]),
    (&["research", "and", "development"], &["R&D"]),
];

/// Abbreviate (or expand) generic words: Technology ↔ Tech, International
/// ↔ Intl, Group ↔ Grp... Legal-form words are left to `legal_form`.
pub fn abbreviation(name: &str, rng: &mut Rng) -> Option<(String, String)> {
    let ws = words::words(name);
    let keys: Vec<&str> = ws.iter().map(|w| w.key.as_str()).collect();
    let mut options: Vec<(usize, usize, String, String)> = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        if let Some((p, abbr)) = PHRASE_ABBREVIATIONS.iter().find(|(p, _)| keys[i..].starts_with(p))
        {
            let a = abbr[rng.below(abbr.len())];
            options.push((
                ws[i].start,
                ws[i + p.len() - 1].end,
                a.to_string(),
                format!("{}→{a}", p.join(" ")),
            ));
            i += p.len();
            continue;
        }
        let w = &ws[i];
        for (full, abbrs) in ABBREVIATIONS {
            if matches!(*full, "Company" | "Limited" | "Corporation") {
                continue;
            }
            let fk = full.to_lowercase();
            if w.key == fk {
                let a = abbrs[rng.below(abbrs.len())];
                options.push((w.start, w.end, recase(a, &w.text), format!("{full}→{a}")));
            } else if abbrs.iter().any(|a| words::fold(a) == w.key) && w.key.len() >= 3 {
                // Expansion: the list abbreviates, the query spells out.
                let mut end = w.end;
                if name[end..].starts_with('.') {
                    end += 1;
                }
                options.push((w.start, end, recase(full, &w.text), format!("{}→{full}", w.text)));
            }
        }
        i += 1;
    }
    if options.is_empty() {
        return None;
    }
    rng.shuffle(&mut options);
    let k = 1 + rng.below(options.len().min(3));
    let mut chosen: Vec<(usize, usize, String, String)> = Vec::new();
    for o in options {
        if chosen.len() < k && chosen.iter().all(|c| o.1 <= c.0 || o.0 >= c.1) {
            chosen.push(o);
        }
    }
    let note = chosen.iter().map(|c| c.3.clone()).collect::<Vec<_>>().join(", ");
    let out = replace_spans(name, chosen.into_iter().map(|c| (c.0, c.1, c.2)).collect());
    (words::fold(&out) != words::fold(name)).then_some((out, note))
}

/// Cyrillic and Greek look-alikes of Latin letters.
pub fn homoglyphs(c: char) -> &'static [char] {
    match c {
        'a' => &['\u{0430}'],
        'c' => &['\u{0441}'],
        'e' => &['\u{0435}'],
        'o' => &['\u{043E}', '\u{03BF}'],
        'p' => &['\u{0440}'],
        'x' => &['\u{0445}'],
        'y' => &['\u{0443}'],
        'i' => &['\u{0456}'],
        'j' => &['\u{0458}'],
        's' => &['\u{0455}'],
        'A' => &['\u{0410}', '\u{0391}'],
        'B' => &['\u{0412}', '\u{0392}'],
        'C' => &['\u{0421}'],
        'E' => &['\u{0415}', '\u{0395}'],
        'H' => &['\u{041D}', '\u{0397}'],
        'I' => &['\u{0406}', '\u{0399}'],
        'J' => &['\u{0408}'],
        'K' => &['\u{041A}', '\u{039A}'],
        'M' => &['\u{041C}', '\u{039C}'],
        'N' => &['\u{039D}'],
        'O' => &['\u{041E}', '\u{039F}'],
        'P' => &['\u{0420}', '\u{03A1}'],
        'S' => &['\u{0405}'],
        'T' => &['\u{0422}', '\u{03A4}'],
        'X' => &['\u{0425}', '\u{03A7}'],
        'Y' => &['\u{03A5}'],
        'Z' => &['\u{0396}'],
        _ => &[],
    }
}

/// Replace 1-3 Latin letters by Cyrillic/Greek look-alikes.
pub fn homoglyph(name: &str, rng: &mut Rng) -> Option<(String, String)> {
    let mut chars: Vec<char> = name.chars().collect();
    let pos: Vec<usize> = (0..chars.len()).filter(|&i| !homoglyphs(chars[i]).is_empty()).collect();
    let letters = chars.iter().filter(|c| c.is_alphabetic()).count();
    // A look-alike inside a Latin name, not a name rewritten in Cyrillic:
    // at most a third of the letters, and names of at least 5 letters.
    if pos.is_empty() || letters < 5 {
        return None;
    }
    let k = 1 + rng.below(3.min(pos.len()).min(letters / 3).max(1));
    let mut pos = pos;
    rng.shuffle(&mut pos);
    let mut notes = Vec::new();
    for &i in pos.iter().take(k) {
        let alts = homoglyphs(chars[i]);
        let r = alts[rng.below(alts.len())];
        notes.push(format!("{}→U+{:04X}", chars[i], r as u32));
        chars[i] = r;
    }
    Some((chars.into_iter().collect(), notes.join(" ")))
}

fn title_word(w: &str) -> String {
    let lower = w.to_lowercase();
    // Keep hyphenated parts capitalised: "gafur-arslanbek" → "Gafur-Arslanbek".
    lower
        .split('-')
        .map(|p| {
            let mut c = p.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// "SURNAME, Given Middle" ↔ "Given Middle Surname", and dropped middle names.
pub fn person_order(name: &str, rng: &mut Rng) -> Option<(String, String)> {
    let name = name.trim();
    if let Some((sur, given)) = name.split_once(',') {
        let sur = sur.trim();
        let given: Vec<&str> = given.split_whitespace().collect();
        if sur.is_empty() || given.is_empty() || given.iter().any(|g| g.contains(',')) {
            return None;
        }
        let sur_t: String = sur.split_whitespace().map(title_word).collect::<Vec<_>>().join(" ");
        let given_t: Vec<String> = given.iter().map(|g| title_word(g)).collect();
        let r = rng.below(3);
        if r == 0 && (2..=3).contains(&given.len()) {
            Some((format!("{} {sur_t}", given_t[0]), "dropped middle names".into()))
        } else if r == 1 {
            Some((format!("{sur_t} {}", given_t.join(" ")), "surname first, no comma".into()))
        } else {
            Some((format!("{} {sur_t}", given_t.join(" ")), "given names first".into()))
        }
    } else {
        let ws: Vec<&str> = name.split_whitespace().collect();
        if ws.len() < 2 || ws.iter().any(|w| w.chars().any(|c| c.is_ascii_digit())) {
            return None;
        }
        let last = ws[ws.len() - 1];
        let first = &ws[..ws.len() - 1];
        if rng.chance(0.4) && (3..=4).contains(&ws.len()) {
            Some((format!("{} {last}", first[0]), "dropped middle names".into()))
        } else {
            Some((
                format!("{}, {}", last.to_uppercase(), first.join(" ")),
                "to SURNAME, Given".into(),
            ))
        }
    }
}

/// Reorder tokens: move a place between front and a bracketed suffix, or
/// swap two adjacent non-legal words; persons: rotate without a comma.
pub fn token_order(name: &str, person: bool, rng: &mut Rng) -> Option<(String, String)> {
    let name = name.trim();
    if person {
        if name.contains(',') {
            return None;
        }
        let ws: Vec<&str> = name.split_whitespace().collect();
        if ws.len() < 2 {
            return None;
        }
        let mut v: Vec<&str> = ws.clone();
        v.rotate_right(1);
        return Some((v.join(" "), "last name first".into()));
    }
    let legal = find_legal(name);
    let (core_end, legal_text) = match &legal {
        Some(l) if !l.prefix => (l.start, name[l.start..].trim().to_string()),
        _ => (name.len(), String::new()),
    };
    let core_start = match &legal {
        Some(l) if l.prefix => l.end,
        _ => 0,
    };
    let prefix_text = name[..core_start].trim().to_string();
    let core_str = strip_suffix_punct(&name[core_start..core_end]).to_string();
    let ws = words::words(&core_str);
    if ws.len() < 2 {
        return None;
    }
    let join = |core: &str| -> String {
        let mut s = String::new();
        if !prefix_text.is_empty() {
            s.push_str(&prefix_text);
            s.push(' ');
        }
        s.push_str(core.trim());
        if !legal_text.is_empty() {
            s.push(' ');
            s.push_str(&legal_text);
        }
        s
    };
    // A bracketed place moves to the front: "Cambricon (Kunshan) X" → "Kunshan Cambricon X".
    if let (Some(o), Some(c)) = (core_str.find('('), core_str.find(')'))
        && o < c
    {
        let inner = core_str[o + 1..c].trim();
        if words::words(inner).iter().all(|w| words::kind(&w.key) == Kind::Place)
            && !inner.is_empty()
        {
            let rest = format!("{} {}", core_str[..o].trim(), core_str[c + 1..].trim());
            return Some((
                join(&format!("{inner} {}", rest.trim())),
                "bracketed place to front".into(),
            ));
        }
    }
    if words::kind(&ws[0].key) == Kind::Place && ws.len() >= 2 && rng.chance(0.6) {
        let rest = core_str[ws[0].end..].trim();
        let out = if legal_text.is_empty() {
            format!("{rest} ({})", ws[0].text)
        } else {
            format!("{} {rest} {legal_text} ({})", prefix_text, ws[0].text).trim().to_string()
        };
        return Some((out, "leading place to bracketed suffix".into()));
    }
    // Swap two adjacent words (not both generic, so the name really changes).
    let mut idx: Vec<usize> = (0..ws.len() - 1).collect();
    rng.shuffle(&mut idx);
    for i in idx {
        let (a, b) = (&ws[i], &ws[i + 1]);
        if a.key == b.key || core_str[a.end..b.start].contains(['(', ')']) {
            continue;
        }
        // At least one distinctive word, and no legal phrase or quotes torn apart.
        let distinctive = |w: &Word| matches!(words::kind(&w.key), Kind::Distinctive | Kind::Place);
        if !(distinctive(a) || distinctive(b))
            || [a.key.as_str(), b.key.as_str()]
                .iter()
                .any(|k| matches!(words::kind(k), Kind::Stop | Kind::Legal))
        {
            continue;
        }
        let between = &core_str[a.end..b.start];
        let around = |i: usize| core_str[..i].chars().next_back();
        let quoted = |c: Option<char>| c.is_some_and(|c| "'\"“”«»‘’".contains(c));
        if quoted(around(a.start))
            || quoted(core_str[b.end..].chars().next())
            || between.chars().any(|c| quoted(Some(c)))
        {
            continue;
        }
        let swapped = replace_spans(
            &core_str,
            vec![(a.start, b.end, format!("{}{between}{}", b.text, a.text))],
        );
        return Some((join(&swapped), format!("swapped '{}' and '{}'", a.text, b.text)));
    }
    None
}

/// An upper-case word of at most five letters in a name that is not all
/// upper-case: an acronym ("SIOM"), not a word.
pub fn looks_acronym(w: &Word, name: &str) -> bool {
    w.text.chars().count() <= 5 && is_upper_word(&w.text) && name.chars().any(char::is_lowercase)
}

/// Split a multi-syllable pinyin word into syllables ("Jingyuan" → "Jing
/// Yuan" or "Jing-Yuan"), or join two adjacent pinyin words
/// ("Zhongke Jingyuan" → "Zhongkejingyuan").
pub fn pinyin_spacing(
    name: &str,
    rng: &mut Rng,
    is_py: &dyn Fn(&str) -> bool,
) -> Option<(String, String)> {
    let ws = words::words(name);
    let py: Vec<usize> =
        (0..ws.len()).filter(|&i| is_py(&ws[i].key) && !looks_acronym(&ws[i], name)).collect();
    let mut splits: Vec<usize> = py
        .iter()
        .copied()
        .filter(|&i| han::segment(&ws[i].key).is_some_and(|s| s.len() >= 2))
        .collect();
    let joins: Vec<usize> = py
        .iter()
        .copied()
        .filter(|&i| py.contains(&(i + 1)) && name[ws[i].end..ws[i + 1].start].trim().is_empty())
        .collect();
    rng.shuffle(&mut splits);
    let do_join = !joins.is_empty() && (splits.is_empty() || rng.chance(0.4));
    if do_join {
        let i = joins[rng.below(joins.len())];
        let (a, b) = (&ws[i], &ws[i + 1]);
        let joined = format!("{}{}", a.text, b.text.to_lowercase());
        let joined = recase(&joined, &a.text);
        let out = replace_spans(name, vec![(a.start, b.end, joined)]);
        return Some((out, format!("joined '{} {}'", a.text, b.text)));
    }
    let &i = splits.first()?;
    let w = &ws[i];
    let syl = han::segment(&w.key)?;
    let sep = if rng.chance(0.25) { "-" } else { " " };
    let parts: Vec<String> = syl.iter().map(|s| recase(s, &w.text)).collect();
    let out = replace_spans(name, vec![(w.start, w.end, parts.join(sep))]);
    Some((out, format!("split '{}'", w.text)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn legal_forms_found_and_changed() {
        let l = find_legal("Huawei Technologies Co., Ltd.").unwrap();
        assert!(!l.prefix);
        assert_eq!(&"Huawei Technologies Co., Ltd."[l.start..], "Co., Ltd.");
        let l = find_legal("OOO Tekhnopark Skolkovo").unwrap();
        assert!(l.prefix);
        let mut r = Rng::new(3, "t");
        for _ in 0..20 {
            let (v, _) = legal_form("Anvik Technologies Sdn. Bhd.", &mut r).unwrap();
            assert!(v.starts_with("Anvik Technologies"), "{v}");
            assert_ne!(v, "Anvik Technologies Sdn. Bhd.");
        }
    }

    #[test]
    fn typos_change_distinctive_words_only() {
        let mut r = Rng::new(5, "t");
        for _ in 0..50 {
            let (v, _) = typo("Beijing Zhipu Huazhang Technology Co., Ltd.", &mut r).unwrap();
            assert!(v.starts_with("Beijing ") && v.ends_with(" Technology Co., Ltd."), "{v}");
        }
        assert!(typo("Tech Co", &mut r).is_none());
    }

    #[test]
    fn person_orders() {
        let mut r = Rng::new(1, "t");
        for _ in 0..10 {
            let (v, _) = person_order("KHRISTOFOROV, Vasiliy Aleksandrovich", &mut r).unwrap();
            assert!(v.contains("Khristoforov") && v.contains("Vasiliy"), "{v}");
        }
    }

    #[test]
    fn token_orders() {
        let mut r = Rng::new(1, "t");
        let (v, _) =
            token_order("Cambricon (Kunshan) Information Technology Co., Ltd.", false, &mut r)
                .unwrap();
        assert_eq!(v, "Kunshan Cambricon Information Technology Co., Ltd.");
    }

    #[test]
    fn pinyin_spacing_variants() {
        let mut r = Rng::new(2, "t");
        let (v, _) = pinyin_spacing(
            "Shanghai Jingce Semiconductor Technology Co., Ltd.",
            &mut r,
            &han::is_pinyin_word,
        )
        .unwrap();
        assert!(
            v.contains("Jing Ce")
                || v.contains("Jing-Ce")
                || v.contains("ShanghaiJingce")
                || v.contains("Shang"),
            "{v}"
        );
    }

    #[test]
    fn homoglyphs_replace_letters() {
        let mut r = Rng::new(2, "t");
        let (v, _) = homoglyph("Huawei", &mut r).unwrap();
        assert_ne!(v, "Huawei");
        assert_eq!(v.chars().count(), 6);
    }
}
