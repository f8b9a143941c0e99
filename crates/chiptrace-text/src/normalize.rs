//! Character normalisation and segmentation into words.
//!
//! This is the first stage of the pipeline and the only place that looks at
//! raw characters. It does, in one pass over the NFKC form of the input:
//!
//! - case folding (`to_lowercase` plus the full-folding cases that matter for
//!   names: `ß`/`ẞ` → `ss`, final sigma `ς` → `σ`);
//! - diacritic stripping for Latin letters (canonical decomposition, combining
//!   marks dropped), and ASCII folding of the remaining Latin letters that do
//!   not decompose (`ø` → `o`, `æ` → `ae`, `ł` → `l`, `þ` → `th`) through
//!   `any_ascii`, so that every Latin word comes out as ASCII;
//! - every punctuation or symbol character becomes a separator, except that
//!   apostrophes inside words are dropped (`int'l` → `intl`) and single letters
//!   joined by dots glue together (`S.A.` → `sa`, `L.L.C.` → `llc`);
//! - `&` and `,` are kept as markers: `&` becomes the stopword `and`, and the
//!   comma drives the "SURNAME, Given" reordering of person names;
//! - words are split where the script changes, except that Latin, Cyrillic and
//!   Greek letters (and digits) stay in one word, so that homoglyph evasion
//!   (`Нuawei` with a Cyrillic `Н`) can be seen and repaired later.
//!
//! Non-Latin letters are kept as they are here; romanisation happens per
//! script in later stages.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_script::{Script, UnicodeScript};

use crate::homoglyph;

/// Script class of one character, as far as word building is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sc {
    Latin,
    Digit,
    Cyrillic,
    Greek,
    Han,
    Kana,
    Hangul,
    Other(Script),
}

impl Sc {
    /// Characters of the same group stay in one word. Latin, Cyrillic, Greek
    /// and digits form one group so that mixed-script words (homoglyphs,
    /// `A380`, `МиГ29`) are not torn apart.
    fn group(self) -> u8 {
        match self {
            Sc::Latin | Sc::Digit | Sc::Cyrillic | Sc::Greek => 0,
            Sc::Han => 1,
            Sc::Kana => 2,
            Sc::Hangul => 3,
            Sc::Other(_) => 4,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cls {
    Letter(Sc),
    Amp,
    Comma,
    Dot,
    Apos,
    Sep,
}

/// One normalised character. `hg` is the Latin look-alike of a Cyrillic or
/// Greek letter, taken from the original (case-sensitive) character.
#[derive(Debug, Clone, Copy)]
struct NChar {
    c: char,
    hg: Option<char>,
    cls: Cls,
}

/// What a segment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SegKind {
    /// A word (letters and/or digits of compatible scripts).
    Word,
    /// An ampersand: the stopword "and".
    Amp,
    /// A comma: used to reorder "SURNAME, Given" person names.
    Comma,
}

/// The script make-up of a word segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WordScript {
    /// ASCII letters and digits only (Latin letters are already folded).
    Latin,
    /// Latin letters mixed with Cyrillic or Greek letters in one word.
    Mixed,
    /// Cyrillic letters (and digits), no Latin.
    Cyrillic,
    /// Greek letters (and digits), no Latin or Cyrillic.
    Greek,
    /// Han ideographs.
    Han,
    /// Any other script (kana, Hangul, Arabic, Thai, Devanagari, …).
    Other,
}

/// A segment: a word, or an `&` / `,` marker.
#[derive(Debug, Clone)]
pub(crate) struct Seg {
    pub kind: SegKind,
    /// Folded text. ASCII for Latin words; original script otherwise.
    pub text: String,
    /// For words containing Cyrillic/Greek letters: the text with every
    /// look-alike letter replaced by its Latin twin.
    pub hg: Option<String>,
    pub script: WordScript,
    /// Every Cyrillic/Greek letter of the word has a Latin look-alike.
    pub all_confusable: bool,
}

impl Seg {
    fn marker(kind: SegKind) -> Seg {
        Seg {
            kind,
            text: String::new(),
            hg: None,
            script: WordScript::Latin,
            all_confusable: false,
        }
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '`'
            | '\u{2019}'
            | '\u{2018}'
            | '\u{02BC}'
            | '\u{02BB}'
            | '\u{02B9}'
            | '\u{00B4}'
            | '\u{2032}'
            | '\u{FF07}'
    )
}

/// Full case folding of one character, for the cases that `to_lowercase`
/// gets wrong for comparison purposes.
fn fold_into(c: char, mut f: impl FnMut(char)) {
    match c {
        'ß' | 'ẞ' => {
            f('s');
            f('s');
        }
        'ς' => f('σ'),
        _ => c.to_lowercase().for_each(f),
    }
}

/// Push an ASCII-romanised string (from `any_ascii`) as Latin letters/digits.
fn push_ascii_letters(out: &mut Vec<NChar>, s: &str) {
    for b in s.bytes() {
        let c = b as char;
        if c.is_ascii_alphabetic() {
            out.push(NChar { c: c.to_ascii_lowercase(), hg: None, cls: Cls::Letter(Sc::Latin) });
        } else if c.is_ascii_digit() {
            out.push(NChar { c, hg: None, cls: Cls::Letter(Sc::Digit) });
        }
    }
}

fn push_latin(out: &mut Vec<NChar>, c: char) {
    fold_into(c, |l| {
        if l.is_ascii() {
            push_ascii_letters_char(out, l);
            return;
        }
        // Canonical decomposition: keep base characters, drop combining marks.
        decompose_canonical(l, |d| {
            if d.is_ascii() {
                push_ascii_letters_char(out, d);
            } else if !is_combining_mark(d) {
                // Latin letters without decomposition (ø, æ, ł, þ, ı, ŋ …).
                push_ascii_letters(out, any_ascii::any_ascii_char(d));
            }
        });
    });
}

fn push_ascii_letters_char(out: &mut Vec<NChar>, c: char) {
    if c.is_ascii_alphabetic() {
        out.push(NChar { c: c.to_ascii_lowercase(), hg: None, cls: Cls::Letter(Sc::Latin) });
    } else if c.is_ascii_digit() {
        out.push(NChar { c, hg: None, cls: Cls::Letter(Sc::Digit) });
    }
}

/// Classify and fold one NFKC character into `out`.
fn push_char(out: &mut Vec<NChar>, c: char) {
    if c.is_ascii() {
        let cls = match c {
            'a'..='z' | 'A'..='Z' => Cls::Letter(Sc::Latin),
            '0'..='9' => Cls::Letter(Sc::Digit),
            '&' => Cls::Amp,
            ',' => Cls::Comma,
            '.' => Cls::Dot,
            '\'' | '`' => Cls::Apos,
            _ => Cls::Sep,
        };
        out.push(NChar { c: c.to_ascii_lowercase(), hg: None, cls });
        return;
    }
    // Fast paths for the two most common non-ASCII blocks: basic Russian
    // letters and CJK unified ideographs (no folding subtleties there).
    if matches!(c, '\u{0410}'..='\u{044F}' | 'ё' | 'Ё') {
        let hg = homoglyph::latin_twin(c);
        let l = if c <= '\u{042F}' || c == 'Ё' { c.to_lowercase().next().unwrap_or(c) } else { c };
        out.push(NChar { c: l, hg, cls: Cls::Letter(Sc::Cyrillic) });
        return;
    }
    if matches!(c, '\u{4E00}'..='\u{9FFF}') {
        out.push(NChar { c, hg: None, cls: Cls::Letter(Sc::Han) });
        return;
    }
    if is_apostrophe(c) {
        out.push(NChar { c, hg: None, cls: Cls::Apos });
        return;
    }
    let mark = is_combining_mark(c);
    if !(c.is_alphanumeric() || mark) {
        out.push(NChar { c: ' ', hg: None, cls: Cls::Sep });
        return;
    }
    match c.script() {
        Script::Latin => push_latin(out, c),
        sc @ (Script::Cyrillic | Script::Greek) => {
            if c.is_numeric() {
                push_ascii_letters(out, any_ascii::any_ascii_char(c));
                return;
            }
            let s = if sc == Script::Cyrillic { Sc::Cyrillic } else { Sc::Greek };
            let hg = homoglyph::latin_twin(c);
            let mut first = true;
            fold_into(c, |l| {
                // Greek tonos and the like: keep the precomposed letter (any_ascii
                // and the Cyrillic tables handle it); only a stray combining mark
                // coming out of folding is dropped.
                if is_combining_mark(l) {
                    return;
                }
                out.push(NChar { c: l, hg: if first { hg } else { None }, cls: Cls::Letter(s) });
                first = false;
            });
        }
        Script::Han => out.push(NChar { c, hg: None, cls: Cls::Letter(Sc::Han) }),
        Script::Hiragana | Script::Katakana => {
            out.push(NChar { c, hg: None, cls: Cls::Letter(Sc::Kana) })
        }
        Script::Hangul => out.push(NChar { c, hg: None, cls: Cls::Letter(Sc::Hangul) }),
        // Combining diacritics shared by all scripts (accents, stress marks,
        // Arabic vowel points): dropped, as for Latin.
        Script::Inherited => {}
        Script::Common | Script::Unknown => {
            if c == '\u{30FC}' {
                // Katakana-hiragana prolonged sound mark belongs to the kana word.
                out.push(NChar { c, hg: None, cls: Cls::Letter(Sc::Kana) });
            } else {
                push_ascii_letters(out, any_ascii::any_ascii_char(c));
            }
        }
        other => {
            if c.is_numeric() && !mark {
                push_ascii_letters(out, any_ascii::any_ascii_char(c));
            } else {
                fold_into(c, |l| {
                    out.push(NChar { c: l, hg: None, cls: Cls::Letter(Sc::Other(other)) })
                });
            }
        }
    }
}

/// Normalise `s` into a character buffer (NFKC, folded, Latin stripped).
/// `max_chars` caps the number of input characters looked at.
fn nchars(s: &str, max_chars: usize) -> Vec<NChar> {
    let mut out = Vec::with_capacity(s.len().min(max_chars) + 4);
    if s.is_ascii() {
        // Fast path: NFKC is the identity on ASCII.
        for c in s.chars().take(max_chars) {
            push_char(&mut out, c);
        }
    } else {
        let head = match s.char_indices().nth(max_chars) {
            Some((i, _)) => &s[..i],
            None => s,
        };
        for c in head.nfkc() {
            push_char(&mut out, c);
        }
    }
    out
}

struct WordBuilder {
    text: String,
    hg: Option<String>,
    group: Option<u8>,
    has_latin: bool,
    has_cyr: bool,
    has_greek: bool,
    has_other: bool,
    has_han: bool,
    all_confusable: bool,
    /// Characters since the word start or since the last glued dot.
    group_len: usize,
    last_is_letter: bool,
}

impl WordBuilder {
    fn new() -> Self {
        WordBuilder {
            text: String::new(),
            hg: None,
            group: None,
            has_latin: false,
            has_cyr: false,
            has_greek: false,
            has_other: false,
            has_han: false,
            all_confusable: true,
            group_len: 0,
            last_is_letter: false,
        }
    }

    fn push(&mut self, ch: NChar, sc: Sc) {
        match sc {
            Sc::Latin => self.has_latin = true,
            Sc::Cyrillic => self.has_cyr = true,
            Sc::Greek => self.has_greek = true,
            Sc::Han => self.has_han = true,
            Sc::Digit => {}
            Sc::Kana | Sc::Hangul | Sc::Other(_) => self.has_other = true,
        }
        if matches!(sc, Sc::Cyrillic | Sc::Greek) {
            if self.hg.is_none() {
                self.hg = Some(self.text.clone());
            }
            if ch.hg.is_none() {
                self.all_confusable = false;
            }
        }
        self.text.push(ch.c);
        if let Some(h) = self.hg.as_mut() {
            h.push(ch.hg.unwrap_or(ch.c));
        }
        self.group = Some(sc.group());
        self.group_len += 1;
        self.last_is_letter = sc != Sc::Digit;
    }

    fn finish(&mut self, segs: &mut Vec<Seg>) {
        if !self.text.is_empty() {
            let script = if self.has_han {
                WordScript::Han
            } else if self.has_other {
                WordScript::Other
            } else if self.has_cyr || self.has_greek {
                if self.has_latin {
                    WordScript::Mixed
                } else if self.has_cyr {
                    WordScript::Cyrillic
                } else {
                    WordScript::Greek
                }
            } else {
                WordScript::Latin
            };
            let all_confusable = (self.has_cyr || self.has_greek) && self.all_confusable;
            let mut text = std::mem::take(&mut self.text);
            // Dropping a combining mark can leave two characters side by side
            // that compose (halfwidth Hangul jamo ﾤ + U+0317 + ￄ → 냐 → 냐):
            // re-compose so that the output is a fixed point (idempotence).
            if !text.is_ascii()
                && unicode_normalization::is_nfkc_quick(text.chars())
                    != unicode_normalization::IsNormalized::Yes
            {
                text = text.nfkc().collect();
            }
            segs.push(Seg {
                kind: SegKind::Word,
                text,
                hg: self.hg.take(),
                script,
                all_confusable,
            });
        }
        *self = WordBuilder::new();
    }
}

/// ASCII fast path of [`segment`]: same rules, one pass over the bytes, one
/// allocation per word. Most list entries and many queries are ASCII.
fn segment_ascii(s: &[u8], max_words: usize) -> Vec<Seg> {
    let mut segs: Vec<Seg> = Vec::with_capacity(8);
    let mut word: Vec<u8> = Vec::with_capacity(32);
    let mut group_len = 0usize;
    let mut last_is_letter = false;
    let mut words = 0usize;
    let alnum = |i: usize| s.get(i).is_some_and(u8::is_ascii_alphanumeric);
    let alpha = |i: usize| s.get(i).is_some_and(u8::is_ascii_alphabetic);
    let finish = |word: &mut Vec<u8>, segs: &mut Vec<Seg>, words: &mut usize| {
        if !word.is_empty() {
            // Only ASCII alphanumerics were pushed.
            let mut text = String::with_capacity(word.len());
            text.extend(word.iter().map(|&b| b as char));
            segs.push(Seg {
                kind: SegKind::Word,
                text,
                hg: None,
                script: WordScript::Latin,
                all_confusable: false,
            });
            word.clear();
            *words += 1;
        }
    };
    let mut i = 0;
    while i < s.len() && words < max_words {
        let b = s[i];
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => {
                word.push(b.to_ascii_lowercase());
                group_len += 1;
                last_is_letter = b.is_ascii_alphabetic();
            }
            b'\'' | b'`' => {
                if word.is_empty() || !alnum(i + 1) {
                    finish(&mut word, &mut segs, &mut words);
                    group_len = 0;
                }
            }
            b'.' => {
                if group_len == 1 && last_is_letter && alpha(i + 1) && !alnum(i + 2) {
                    group_len = 0;
                } else {
                    finish(&mut word, &mut segs, &mut words);
                    group_len = 0;
                }
            }
            _ => {
                finish(&mut word, &mut segs, &mut words);
                group_len = 0;
                match b {
                    b'&' => segs.push(Seg::marker(SegKind::Amp)),
                    b',' => segs.push(Seg::marker(SegKind::Comma)),
                    _ => {}
                }
            }
        }
        i += 1;
    }
    if words < max_words {
        finish(&mut word, &mut segs, &mut words);
    }
    segs
}

/// Split `s` into segments. At most `max_chars` input characters and
/// `max_words` word segments are produced.
pub(crate) fn segment(s: &str, max_chars: usize, max_words: usize) -> Vec<Seg> {
    if s.is_ascii() {
        return segment_ascii(&s.as_bytes()[..s.len().min(max_chars)], max_words);
    }
    segment_generic(s, max_chars, max_words)
}

fn segment_generic(s: &str, max_chars: usize, max_words: usize) -> Vec<Seg> {
    let chars = nchars(s, max_chars);
    let mut segs: Vec<Seg> = Vec::with_capacity(8);
    let mut w = WordBuilder::new();
    let mut words = 0usize;
    let letter_at = |i: usize| -> Option<Sc> {
        match chars.get(i).map(|c| c.cls) {
            Some(Cls::Letter(sc)) => Some(sc),
            _ => None,
        }
    };
    let mut i = 0;
    while i < chars.len() {
        if words >= max_words {
            break;
        }
        let ch = chars[i];
        match ch.cls {
            Cls::Letter(sc) => {
                if let Some(g) = w.group
                    && g != sc.group()
                {
                    w.finish(&mut segs);
                    words += 1;
                    if words >= max_words {
                        break;
                    }
                }
                w.push(ch, sc);
            }
            Cls::Apos => {
                // Inside a word ("int'l", "O'Brien"): dropped, the word goes on.
                let glue = w.group.is_some()
                    && letter_at(i + 1).is_some_and(|n| Some(n.group()) == w.group);
                if !glue && w.group.is_some() {
                    w.finish(&mut segs);
                    words += 1;
                }
            }
            Cls::Dot => {
                // Single letters joined by dots glue: "S.A." → "sa", "U.S.A" → "usa".
                let glue = w.group_len == 1
                    && w.last_is_letter
                    && letter_at(i + 1)
                        .is_some_and(|n| n != Sc::Digit && Some(n.group()) == w.group)
                    && letter_at(i + 2).is_none();
                if glue {
                    w.group_len = 0;
                } else if w.group.is_some() {
                    w.finish(&mut segs);
                    words += 1;
                }
            }
            Cls::Amp | Cls::Comma | Cls::Sep => {
                if w.group.is_some() {
                    w.finish(&mut segs);
                    words += 1;
                }
                match ch.cls {
                    Cls::Amp => segs.push(Seg::marker(SegKind::Amp)),
                    Cls::Comma => segs.push(Seg::marker(SegKind::Comma)),
                    _ => {}
                }
            }
        }
        i += 1;
    }
    if words < max_words {
        w.finish(&mut segs);
    }
    segs
}

/// See [`crate::normalize_basic`].
pub(crate) fn normalize_basic(s: &str) -> String {
    let segs = segment(s, usize::MAX, usize::MAX);
    let mut out = String::with_capacity(s.len());
    for seg in segs.iter().filter(|s| s.kind == SegKind::Word) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&seg.text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        segment(s, 1000, 64)
            .into_iter()
            .filter(|s| s.kind == SegKind::Word)
            .map(|s| s.text)
            .collect()
    }

    #[test]
    fn basic_folding_and_diacritics() {
        assert_eq!(
            normalize_basic("  Straße   Müller-Lüdenscheidt "),
            "strasse muller ludenscheidt"
        );
        assert_eq!(normalize_basic("Ærø Łódź Þór"), "aero lodz thor");
        assert_eq!(normalize_basic("ＨＵＡＷＥＩ　ＴＥＣＨ"), "huawei tech");
        assert_eq!(normalize_basic("ﬁnance"), "finance");
    }

    #[test]
    fn punctuation_apostrophes_and_dots() {
        assert_eq!(normalize_basic("INT'L TRADE"), "intl trade");
        assert_eq!(normalize_basic("O’Brien"), "obrien");
        assert_eq!(normalize_basic("'quoted'"), "quoted");
        assert_eq!(normalize_basic("Foo S.A."), "foo sa");
        assert_eq!(normalize_basic("Bar L.L.C."), "bar llc");
        assert_eq!(normalize_basic("R.I.A. Novosti"), "ria novosti");
        assert_eq!(normalize_basic("Co.,Ltd."), "co ltd");
        assert_eq!(normalize_basic("J.P.Morgan"), "jp morgan");
        assert_eq!(normalize_basic("A.Smith"), "a smith");
        assert_eq!(normalize_basic("Sh.p.k."), "sh pk");
        assert_eq!(normalize_basic("3.5"), "3 5");
        assert_eq!(normalize_basic("AT&T"), "at t");
    }

    #[test]
    fn scripts_split_and_kept() {
        assert_eq!(words("华为Technologies"), vec!["华为", "technologies"]);
        assert_eq!(words("ООО «Рога и копыта»"), vec!["ооо", "рога", "и", "копыта"]);
        assert_eq!(normalize_basic("Йошкар-Ола"), "йошкар ола");
        assert_eq!(words("第38研究所"), vec!["第", "38", "研究所"]);
    }

    #[test]
    fn markers() {
        let segs = segment("ABU TAIR, Mohammed & Sons", 1000, 64);
        let kinds: Vec<SegKind> = segs.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            vec![
                SegKind::Word,
                SegKind::Word,
                SegKind::Comma,
                SegKind::Word,
                SegKind::Amp,
                SegKind::Word
            ]
        );
    }

    #[test]
    fn homoglyph_words_are_flagged() {
        let segs = segment("Нuawei", 1000, 64);
        assert_eq!(segs[0].script, WordScript::Mixed);
        assert_eq!(segs[0].hg.as_deref(), Some("huawei"));
        assert!(segs[0].all_confusable);
        let segs = segment("Дмитрий", 1000, 64);
        assert_eq!(segs[0].script, WordScript::Cyrillic);
        assert!(!segs[0].all_confusable);
    }

    fn same(a: &[Seg], b: &[Seg]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.kind == y.kind && x.text == y.text)
    }

    #[test]
    fn ascii_fast_path_matches_generic_path() {
        for s in [
            "S.A.",
            "Co.,Ltd.",
            "INT'L",
            "J.P.Morgan",
            "'x'",
            "a.1",
            "a.b1",
            ".a.b.",
            "x&y,z",
            "A. B.",
            "o'",
        ] {
            assert!(same(&segment_ascii(s.as_bytes(), 64), &segment_generic(s, 1000, 64)), "{s}");
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_fast_path_is_equivalent(s in "[a-cA-C0-2 .,&'`/-]{0,24}", words in 1usize..6) {
            proptest::prop_assert!(same(&segment_ascii(s.as_bytes(), words), &segment_generic(&s, 1000, words)));
        }
    }

    #[test]
    fn recomposition_after_dropped_marks() {
        // Regression (random stress test): a dropped combining mark between
        // two Hangul jamo made normalize_basic non-idempotent.
        let s = "\u{FFA4}\u{0317}\u{FFC4}";
        let once = normalize_basic(s);
        assert_eq!(normalize_basic(&once), once);
    }

    #[test]
    fn caps() {
        assert_eq!(segment(&"ab ".repeat(100), 1000, 64).len(), 64);
        assert!(segment(&"a".repeat(5000), 1000, 64)[0].text.len() == 1000);
    }
}
