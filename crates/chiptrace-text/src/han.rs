//! Han (Chinese) names: traditional → simplified, segmentation, pinyin.
//!
//! The key cross-script case of screening: the Entity List writes "Beijing
//! Zhongke Jingyuan Electronic Technology Co., Ltd." while the customer file
//! says "北京中科晶源电子科技有限公司". The segmenter turns the Han string into
//! the same kind of tokens as the Latin name:
//!
//! 1. zhconv converts traditional characters to simplified (zh-Hans);
//! 2. greedy longest match, left to right, against the Han dictionary
//!    (legal forms, generic words, places, brand alternates — see
//!    `tables/han_words.txt`); Chinese numerals after 第 or before a numeric
//!    suffix (所, 院, 厂, 研究…) become Number tokens;
//! 3. every maximal run of remaining characters becomes ONE Word token, the
//!    toneless pinyin of its characters concatenated ("中科晶源" →
//!    "zhongkejingyuan"); the scorer handles token split/merge against
//!    "Zhongke Jingyuan".
//!
//! Readings come from the `pinyin` crate, overridden by
//! `tables/han_readings.txt` where the crate's first reading is not the one
//! used in names (长 is "chang" in 长城/长江/长沙). Alternative readings of
//! heteronym characters are offered as extra forms by the analyser.

use std::sync::OnceLock;

use pinyin::{ToPinyin, ToPinyinMulti};
use rustc_hash::FxHashMap;

use crate::lexicon::{HanDict, HanEntry, Out};
use crate::tables;

/// True if `s` contains at least one Han character.
pub(crate) fn has_han(s: &str) -> bool {
    use unicode_script::{Script, UnicodeScript};
    s.chars().any(|c| !c.is_ascii() && c.script() == Script::Han)
}

#[derive(Default)]
struct Readings {
    chars: FxHashMap<char, Box<[Box<str>]>>,
    /// Surname readings, keyed by one- or two-character surnames.
    surnames: FxHashMap<Box<str>, Box<str>>,
}

fn readings() -> &'static Readings {
    static T: OnceLock<Readings> = OnceLock::new();
    T.get_or_init(|| {
        let mut r = Readings::default();
        let mut surnames = false;
        for line in tables::data_lines(tables::HAN_READINGS) {
            if line.starts_with('[') {
                surnames = line == "[surnames]";
                continue;
            }
            let mut it = line.split_whitespace();
            let Some(key) = it.next() else { continue };
            if surnames {
                if let Some(reading) = it.next() {
                    r.surnames.insert(key.into(), reading.into());
                }
                continue;
            }
            let Some(c) = key.chars().next() else { continue };
            let rs: Box<[Box<str>]> = it.map(Into::into).collect();
            if !rs.is_empty() {
                r.chars.insert(c, rs);
            }
        }
        r
    })
}

fn readings_table() -> &'static FxHashMap<char, Box<[Box<str>]>> {
    &readings().chars
}

/// Number of characters and surnames with curated readings.
pub(crate) fn readings_table_size() -> usize {
    readings().chars.len() + readings().surnames.len()
}

/// The readings of one character of a pinyin run.
#[derive(Debug, Clone)]
pub(crate) struct RunChar {
    /// Reading of the primary form (may contain "ü").
    pub primary: &'static str,
    /// Curated alternative readings (tried first).
    pub curated: &'static [Box<str>],
    /// Other readings known to the `pinyin` crate (tried last).
    pub others: Vec<&'static str>,
}

/// Readings of a character that was `orig` before traditional → simplified
/// conversion. Simplification merges characters that read differently (乾
/// "qian" and 干 "gan" both become 干; 髮 and 發 become 发), so the curated
/// table is consulted for both, and the `pinyin` crate for the original.
fn char_readings_of(simplified: char, orig: char) -> RunChar {
    let t = readings_table();
    if let Some(rs) = t.get(&simplified).or_else(|| t.get(&orig)) {
        return RunChar { primary: &rs[0], curated: &rs[1..], others: Vec::new() };
    }
    char_readings(orig)
}

fn char_readings(c: char) -> RunChar {
    if let Some(rs) = readings_table().get(&c) {
        return RunChar { primary: &rs[0], curated: &rs[1..], others: Vec::new() };
    }
    match c.to_pinyin() {
        Some(p) => {
            let primary = p.plain();
            let mut others: Vec<&'static str> = Vec::new();
            if let Some(multi) = c.to_pinyin_multi() {
                for r in multi {
                    let r = r.plain();
                    if r != primary && !others.contains(&r) {
                        others.push(r);
                    }
                }
            }
            RunChar { primary, curated: &[], others }
        }
        // Characters the pinyin crate does not know (rare ideographs,
        // Japanese-only kanji, 々): any_ascii's reading, if any.
        None => RunChar { primary: any_ascii::any_ascii_char(c), curated: &[], others: Vec::new() },
    }
}

/// Append a reading as lower-case ASCII: ü → "u" (or "v" when `lv`).
pub(crate) fn push_reading(out: &mut String, r: &str, lv: bool) {
    for ch in r.chars() {
        match ch {
            'ü' => out.push(if lv { 'v' } else { 'u' }),
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            c if c.is_ascii() => {}
            c => {
                for b in any_ascii::any_ascii_char(c).bytes() {
                    if b.is_ascii_alphanumeric() {
                        out.push((b as char).to_ascii_lowercase());
                    }
                }
            }
        }
    }
}

/// Default pinyin of a Han string, concatenated (used for brand entries).
pub(crate) fn default_pinyin(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        push_reading(&mut out, char_readings(c).primary, false);
    }
    out
}

/// One piece of a segmented Han word.
#[derive(Debug, Clone)]
pub(crate) enum Piece {
    /// A dictionary word: legal form, generic word, place or brand.
    Entry(&'static HanEntry),
    /// A numeric suffix read after a number (所 → institute).
    Outs(&'static [Out]),
    /// A number (decimal digits).
    Number(String),
    /// A place suffix (市 → "city"), Stop.
    Stop(&'static str),
    /// A run of other characters: one Word of concatenated pinyin.
    Run(Vec<RunChar>),
}

const NUMERALS: &str = "零〇一二两三四五六七八九十百千";

fn is_numeral(c: char) -> bool {
    NUMERALS.contains(c)
}

/// Value of a Chinese numeral string: positional with 十/百/千 ("三十八" →
/// 38, "一百零八" → 108), otherwise digit by digit ("七〇七" → 707).
fn parse_numeral(cs: &[char]) -> Option<String> {
    if cs.is_empty() || cs.len() > 8 {
        return None;
    }
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '零' | '〇' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    if cs.iter().any(|c| matches!(c, '十' | '百' | '千')) {
        let (mut total, mut cur) = (0u32, 0u32);
        for &c in cs {
            match c {
                '十' => {
                    total += if cur == 0 { 1 } else { cur } * 10;
                    cur = 0;
                }
                '百' => {
                    total += cur.max(1) * 100;
                    cur = 0;
                }
                '千' => {
                    total += cur.max(1) * 1000;
                    cur = 0;
                }
                c => cur = digit(c)?,
            }
        }
        Some((total + cur).to_string())
    } else {
        if cs.len() > 4 {
            return None;
        }
        let mut s = String::with_capacity(cs.len());
        for &c in cs {
            s.push(char::from_digit(digit(c)?, 10)?);
        }
        Some(s)
    }
}

/// A Han person name: no dictionary (a person called 高新 is not "high
/// technology"); a name of 2-4 characters is split into surname (one
/// character, or a listed compound surname) and given name, each one Word,
/// the surname read with its surname reading.
pub(crate) fn person_pieces(text: &str, orig: &str) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let orig = original_chars(&chars, orig);
    if !(2..=4).contains(&n) {
        return vec![Piece::Run(
            chars.iter().zip(&orig).map(|(&c, &o)| char_readings_of(c, o)).collect(),
        )];
    }
    let r = readings();
    let compound: String = chars[..2].iter().collect();
    let (sn, compound_reading) = match r.surnames.get(compound.as_str()) {
        Some(rd) if n >= 3 => (2, Some(&**rd)),
        _ => (1, None),
    };
    let surname: Vec<RunChar> = match compound_reading {
        // One "char" carrying the whole compound reading, then nothing.
        Some(rd) => vec![RunChar { primary: rd, curated: &[], others: Vec::new() }],
        None => {
            let c = chars[0];
            let mut rc = char_readings_of(c, orig[0]);
            let mut key = [0u8; 4];
            if let Some(rd) = r.surnames.get(&*c.encode_utf8(&mut key)) {
                // The general reading becomes the alternative.
                rc = RunChar { primary: rd, curated: rc.curated, others: vec![rc.primary] };
                rc.others.retain(|o| *o != rc.primary);
            }
            vec![rc]
        }
    };
    let given: Vec<RunChar> =
        chars[sn..].iter().zip(&orig[sn..]).map(|(&c, &o)| char_readings_of(c, o)).collect();
    vec![Piece::Run(surname), Piece::Run(given)]
}

/// The characters of `orig` (before simplification) aligned with `chars`,
/// or `chars` itself when the conversion changed the length.
fn original_chars(chars: &[char], orig: &str) -> Vec<char> {
    let o: Vec<char> = orig.chars().collect();
    if o.len() == chars.len() { o } else { chars.to_vec() }
}

/// Segment one simplified Han word (`orig`: the same word before
/// simplification, for readings). `prev_number`: the segment before it was
/// a number in digits ("38所").
pub(crate) fn segment(
    text: &str,
    orig: &str,
    prev_number: bool,
    dict: &'static HanDict,
) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let orig = original_chars(&chars, orig);
    let offs: Vec<usize> =
        text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect();
    let n = chars.len();
    let slice = |a: usize, b: usize| &text[offs[a]..offs[b]];
    let longest_word = |i: usize| -> Option<(usize, &'static HanEntry)> {
        let max = (*dict.first.get(&chars[i])?).min(n - i);
        (1..=max).rev().find_map(|len| dict.words.get(slice(i, i + len)).map(|e| (len, e)))
    };
    let longest_in =
        |m: &'static FxHashMap<Box<str>, Box<str>>, i: usize| -> Option<(usize, &'static str)> {
            (1..=(n - i).min(5)).rev().find_map(|len| m.get(slice(i, i + len)).map(|v| (len, &**v)))
        };
    let numeric_suffix_at = |i: usize| -> Option<(usize, &'static [Out])> {
        (1..=(n - i).min(3))
            .rev()
            .find_map(|len| dict.numeric_suffix.get(slice(i, i + len)).map(|v| (len, &**v)))
    };
    let numeral_end = |mut k: usize| {
        while k < n && is_numeral(chars[k]) {
            k += 1;
        }
        k
    };

    let mut pieces = Vec::new();
    // Character span of each piece, for the repair pass below.
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut run: Vec<RunChar> = Vec::new();
    let mut run_start = 0;
    let flush = |run: &mut Vec<RunChar>,
                 pieces: &mut Vec<Piece>,
                 spans: &mut Vec<(usize, usize)>,
                 start: usize| {
        if !run.is_empty() {
            spans.push((start, start + run.len()));
            pieces.push(Piece::Run(std::mem::take(run)));
        }
    };
    let mut after_number = prev_number;
    let mut after_place = false;
    let mut i = 0;
    while i < n {
        let c = chars[i];
        // 第 + numerals: an ordinal ("第三十八研究所" → 38).
        if c == '第' {
            let k = numeral_end(i + 1);
            if k > i + 1
                && let Some(v) = parse_numeral(&chars[i + 1..k])
            {
                flush(&mut run, &mut pieces, &mut spans, run_start);
                pieces.push(Piece::Number(v));
                spans.push((i, k));
                (i, after_number, after_place) = (k, true, false);
                continue;
            }
        }
        // Numerals directly before a numeric suffix ("十四所", "二院",
        // "十三研究所"); elsewhere numerals are name characters (三一, 三星).
        if is_numeral(c) {
            let k = numeral_end(i);
            let suffix =
                k < n && (numeric_suffix_at(k).is_some() || slice(k, n).starts_with("研究"));
            if suffix && let Some(v) = parse_numeral(&chars[i..k]) {
                flush(&mut run, &mut pieces, &mut spans, run_start);
                pieces.push(Piece::Number(v));
                spans.push((i, k));
                (i, after_number, after_place) = (k, true, false);
                continue;
            }
        }
        let word = longest_word(i);
        if after_place
            && let Some((len, stop)) = longest_in(&dict.place_suffix, i)
            && word.is_none_or(|(wl, _)| wl <= len)
        {
            pieces.push(Piece::Stop(stop));
            spans.push((i, i + len));
            (i, after_number, after_place) = (i + len, false, false);
            continue;
        }
        if let Some((len, e)) = word {
            flush(&mut run, &mut pieces, &mut spans, run_start);
            pieces.push(Piece::Entry(e));
            spans.push((i, i + len));
            (i, after_number, after_place) = (i + len, false, e.place);
            continue;
        }
        if after_number && let Some((len, outs)) = numeric_suffix_at(i) {
            flush(&mut run, &mut pieces, &mut spans, run_start);
            pieces.push(Piece::Outs(outs));
            spans.push((i, i + len));
            (i, after_number, after_place) = (i + len, false, false);
            continue;
        }
        if run.is_empty() {
            run_start = i;
        }
        run.push(char_readings_of(c, orig[i]));
        (i, after_number, after_place) = (i + 1, false, false);
    }
    flush(&mut run, &mut pieces, &mut spans, run_start);
    repair(&mut pieces, &mut spans, &chars, &orig, |a, b| dict.words.get(slice(a, b)));
    pieces
}

/// Fix the typical error of greedy left-to-right matching: a dictionary
/// word that starts one character too early and leaves an orphan character
/// behind it ("龙芯中科技术" → 龙芯 | 中 | 科技 | 术). When shifting the word
/// one character to the right gives another dictionary word that swallows
/// the orphan, the shifted reading is taken and the freed character joins
/// the run before it (龙芯 | 中科 | 技术).
fn repair(
    pieces: &mut Vec<Piece>,
    spans: &mut Vec<(usize, usize)>,
    chars: &[char],
    orig: &[char],
    word_at: impl Fn(usize, usize) -> Option<&'static HanEntry>,
) {
    let mut k = 0;
    while k + 1 < pieces.len() {
        let orphan = matches!(&pieces[k + 1], Piece::Run(r) if r.len() == 1)
            && (k + 2 == pieces.len() || !matches!(pieces[k + 2], Piece::Run(_)));
        let after_run_or_start = k == 0 || matches!(pieces[k - 1], Piece::Run(_));
        let (a, b) = spans[k];
        if let Piece::Entry(e) = pieces[k]
            && !e.place
            && orphan
            && after_run_or_start
            && b - a >= 2
            && let Some(shifted) = word_at(a + 1, b + 1)
        {
            let freed = char_readings_of(chars[a], orig[a]);
            pieces[k] = Piece::Entry(shifted);
            spans[k] = (a + 1, b + 1);
            pieces.remove(k + 1);
            spans.remove(k + 1);
            if k > 0
                && let Piece::Run(prev) = &mut pieces[k - 1]
            {
                prev.push(freed);
                spans[k - 1].1 = a + 1;
            } else {
                pieces.insert(k, Piece::Run(vec![freed]));
                spans.insert(k, (a, a + 1));
                k += 1;
            }
        }
        k += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        let p = |s: &str| parse_numeral(&s.chars().collect::<Vec<_>>());
        assert_eq!(p("三十八").as_deref(), Some("38"));
        assert_eq!(p("十四").as_deref(), Some("14"));
        assert_eq!(p("十").as_deref(), Some("10"));
        assert_eq!(p("二十").as_deref(), Some("20"));
        assert_eq!(p("五十四").as_deref(), Some("54"));
        assert_eq!(p("九十九").as_deref(), Some("99"));
        assert_eq!(p("一百零八").as_deref(), Some("108"));
        assert_eq!(p("七〇七").as_deref(), Some("707"));
        assert_eq!(p("二").as_deref(), Some("2"));
        assert_eq!(p(""), None);
    }

    #[test]
    fn readings() {
        assert_eq!(default_pinyin("长城"), "changcheng");
        assert_eq!(default_pinyin("中科晶源"), "zhongkejingyuan");
        assert_eq!(default_pinyin("吕"), "lu");
        let mut s = String::new();
        push_reading(&mut s, "lü", true);
        assert_eq!(s, "lv");
        assert!(has_han("abc中"));
        assert!(!has_han("abc"));
    }
}
