//! The project's own normalisation tables, kept as data.
//!
//! Each table is a plain UTF-8 text file in this folder, included in the
//! binary with `include_str!` and parsed once (behind a `OnceLock`) into
//! `rustc_hash` maps by the module that uses it. Keeping them as text makes
//! them auditable in review: a reviewer can check "is `Sdn. Bhd.` a legal
//! form?" without reading Rust. Every file documents its own format in its
//! header comment.
//!
//! | file | content | used by |
//! |---|---|---|
//! | `legal_forms.txt` | legal-form aliases → class code (`ltd`, `llc`, `jsc`, …) | `lexicon` |
//! | `generic_words.txt` | sector/organisation words → canonical English word | `lexicon` |
//! | `stopwords.txt` | stopwords, person titles, vessel prefixes, ordinal words | `lexicon` |
//! | `han_words.txt` | Han places, place suffixes, brand alternates, numeric suffixes | `lexicon` / `han` |
//! | `han_readings.txt` | preferred pinyin of heteronym characters in names | `han` |
//! | `cyrillic.txt` | Cyrillic → Latin, four schemes, Ukrainian/Serbian overrides | `cyrillic` |
//! | `homoglyphs.txt` | Cyrillic/Greek letters that imitate Latin letters | `homoglyph` |
//! | `countries.txt` | country names and codes → ISO 3166-1 alpha-2 | `country` |

pub(crate) const LEGAL_FORMS: &str = include_str!("legal_forms.txt");
pub(crate) const GENERIC_WORDS: &str = include_str!("generic_words.txt");
pub(crate) const STOPWORDS: &str = include_str!("stopwords.txt");
pub(crate) const HAN_WORDS: &str = include_str!("han_words.txt");
pub(crate) const HAN_READINGS: &str = include_str!("han_readings.txt");
pub(crate) const CYRILLIC: &str = include_str!("cyrillic.txt");
pub(crate) const HOMOGLYPHS: &str = include_str!("homoglyphs.txt");
pub(crate) const COUNTRIES: &str = include_str!("countries.txt");

/// Non-empty, non-comment lines of a table, trimmed. A `#` starts a comment
/// only at the start of a line or after whitespace, so aliases may contain
/// `#` in the middle of a word.
pub(crate) fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines().filter_map(|l| {
        let l = match l.find(" #") {
            Some(i) => &l[..i],
            None => l,
        };
        let l = l.trim();
        if l.is_empty() || l.starts_with('#') { None } else { Some(l) }
    })
}

/// Split `key: a | b | c` into the key and its aliases.
pub(crate) fn key_and_aliases(
    line: &'static str,
) -> Option<(&'static str, impl Iterator<Item = &'static str>)> {
    let (k, rest) = line.split_once(':')?;
    Some((k.trim(), rest.split('|').map(str::trim).filter(|a| !a.is_empty())))
}
