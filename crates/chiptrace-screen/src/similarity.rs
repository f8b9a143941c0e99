//! Token similarity: a bounded optimal-string-alignment (Damerau) distance
//! on ASCII bytes, turned into a similarity with an edit *budget* that grows
//! with token length.
//!
//! Why our own distance instead of a crate call: the hot loop compares short
//! ASCII tokens millions of times per batch; a stack-allocated DP with an
//! early exit once the budget is exceeded is several times faster than the
//! general allocating implementations, and the budget rule is the point of
//! the function (a 3-letter token must match exactly, a 12-letter one may
//! carry two typos). `strsim::osa_distance` is the reference in the tests.

/// Maximum edits tolerated for a token of `len` bytes (the longer side).
///
/// Short tokens fail closed: acronyms, initials and two-syllable pinyin
/// given names ("Wei", "Li") differ in meaning with one letter
/// (screening.md §4.4, rigour's budget rule).
pub fn edit_budget(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=5 => 1,
        6..=9 => 2,
        _ => 3,
    }
}

/// Longest token compared with the stack DP. Longer tokens (whole-name glue
/// of many words, pathological inputs) are compared for equality only:
/// that bounds time and memory for any input.
const MAXLEN: usize = 128;

/// OSA distance between two ASCII byte strings, or `None` when it exceeds `max`.
pub fn osa_bounded(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > max {
        return None;
    }
    if la == 0 || lb == 0 {
        let d = la.max(lb);
        return (d <= max).then_some(d);
    }
    if la > MAXLEN || lb > MAXLEN {
        return (a == b).then_some(0);
    }
    // Three rolling rows of the DP matrix, on the stack, rotated by index
    // (no copying); cells fit in u8 since both sides are at most MAXLEN.
    let mut rows = [[0u8; MAXLEN + 1]; 3];
    let (mut p2, mut p1, mut c) = (0usize, 1usize, 2usize);
    for (j, v) in rows[p1].iter_mut().enumerate().take(lb + 1) {
        *v = j as u8;
    }
    let max8 = max.min(255) as u8;
    for i in 1..=la {
        rows[c][0] = i as u8;
        let mut row_min = rows[c][0];
        for j in 1..=lb {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut v = (rows[p1][j] + 1).min(rows[c][j - 1] + 1).min(rows[p1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[p2][j - 2] + 1);
            }
            rows[c][j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max8 {
            return None;
        }
        (p2, p1, c) = (p1, c, p2);
    }
    let d = rows[p1][lb] as usize;
    (d <= max).then_some(d)
}

#[cfg(test)]
fn osa_vec(a: &[u8], b: &[u8]) -> usize {
    let (la, lb) = (a.len(), b.len());
    let mut m = vec![vec![0usize; lb + 1]; la + 1];
    for (i, row) in m.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, v) in m[0].iter_mut().enumerate() {
        *v = j;
    }
    for i in 1..=la {
        for j in 1..=lb {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (m[i - 1][j] + 1).min(m[i][j - 1] + 1).min(m[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(m[i - 2][j - 2] + 1);
            }
            m[i][j] = v;
        }
    }
    m[la][lb]
}

/// How two tokens were found similar (for explanations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenHow {
    /// Identical comparable text.
    Exact,
    /// Within the edit budget; `edits` edits.
    Fuzzy {
        /// Number of OSA edits.
        edits: u8,
    },
    /// Same Double Metaphone code (transliteration drift: Mohammed/Muhammad).
    Phonetic,
    /// One token equals several adjacent tokens of the other side glued
    /// together ("Zhongkejingyuan" / "Zhongke Jingyuan", "Hua Wei" / "Huawei").
    Glued,
    /// Same legal-form class or generic-word symbol (Ltd / 有限公司, Tech / 科技).
    Symbol,
    /// One token abbreviates the other: a prefix ("Acad" / "Academy") or a
    /// subsequence keeping the first letter ("Natl" / "National", "Indl" /
    /// "Industrial", "Avn" / "Aviation").
    Abbreviation,
    /// One token spells the initials of adjacent tokens of the other side
    /// ("IC" / "Integrated Circuit").
    Initials,
    /// Equal (or within budget) after folding romanisation variants:
    /// German, English, passport and BGN spellings of one Cyrillic or Arabic
    /// name ("Walerjewitsch" / "Valeryevich", "Dzhikhad" / "Jihad").
    Transliteration,
}

/// Digraphs of the common romanisation schemes, longest first, and the
/// single code each folds to. Upper-case codes are internal symbols that
/// cannot collide with a plain letter.
const FOLDS: &[(&str, &str)] = &[
    ("shch", "S"),
    ("tsch", "C"),
    ("dsch", "J"),
    ("sch", "S"),
    ("tch", "C"),
    ("tsh", "C"),
    ("dzh", "J"),
    ("zh", "Z"),
    ("ch", "C"),
    ("sh", "S"),
    ("sz", "S"),
    ("cz", "C"),
    ("kh", "H"),
    ("ph", "f"),
    ("ts", "T"),
    ("tz", "T"),
    ("ck", "k"),
    ("dj", "J"),
    ("ou", "u"),
    ("oo", "u"),
    ("ye", "e"),
    ("je", "e"),
    ("ie", "e"),
    ("ya", "a"),
    ("ja", "a"),
    ("ia", "a"),
    ("yu", "u"),
    ("ju", "u"),
    ("iu", "u"),
    ("yo", "o"),
    ("jo", "o"),
    ("io", "o"),
    ("iy", "i"),
    ("ij", "i"),
    ("yj", "i"),
    ("ii", "i"),
    ("yy", "i"),
];

/// Fold a lower-case ASCII token so that spellings of one name in different
/// romanisation schemes (ICAO, BGN/PCGN, German, French, common English)
/// become equal or nearly so. Lossy on purpose; only used as a fallback
/// after exact, fuzzy and phonetic comparison failed.
pub fn translit_fold(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    'outer: while i < b.len() {
        // First-byte check before the slice comparison: most positions
        // start no digraph, and this runs for every listed name at build.
        for (pat, rep) in FOLDS {
            let p = pat.as_bytes();
            if p[0] == b[i] && b[i..].starts_with(p) {
                out.push_str(rep);
                i += pat.len();
                continue 'outer;
            }
        }
        match b[i] {
            b'w' => out.push('v'),
            b'y' | b'j' => out.push('i'),
            b'c' | b'q' => out.push('k'),
            b'x' => out.push_str("ks"),
            c if c.is_ascii() => out.push(c as char),
            _ => {}
        }
        i += 1;
    }
    // Doubled letters carry no information across schemes ("Ivanoff", "Iurii").
    let mut folded = String::with_capacity(out.len());
    for c in out.chars() {
        if !folded.ends_with(c) {
            folded.push(c);
        }
    }
    folded
}

/// Whether `short` abbreviates `long`: same first letter, at least 3
/// letters, at least 2 shorter than `long`, and either a prefix (0.86 from
/// 4 letters, else 0.82) or an in-order subsequence of `long` (0.82:
/// vowel-dropping abbreviations such as "Natl", "Mfg", "Avn").
/// Returns the similarity to use.
pub fn abbreviation(short: &str, long: &str) -> Option<f64> {
    let (s, l) = (short.as_bytes(), long.as_bytes());
    if s.len() < 3
        || s.len() + 2 > l.len()
        || s[0] != l[0]
        || !s.iter().all(u8::is_ascii_alphabetic)
    {
        return None;
    }
    if l.starts_with(s) {
        return Some(if s.len() >= 4 { 0.86 } else { 0.82 });
    }
    // In-order subsequence.
    let mut it = l.iter();
    for c in s {
        if !it.any(|x| x == c) {
            return None;
        }
    }
    Some(0.82)
}

/// Similarity of two Word tokens in [0, 1] and how it was reached, or None.
///
/// Exact = 1. Within budget: `1 - 0.12 × edits` for the first edit, steeper
/// after, so one typo stays a strong match (≥ 0.88) and two typos in a long
/// token stay plausible (0.74). Phonetic equality alone gives 0.80 and only
/// for tokens of 4+ letters, so it can rescue transliteration drift but never
/// carry a short name.
pub fn word_similarity(
    a: &str,
    b: &str,
    pa: Option<&str>,
    pb: Option<&str>,
) -> Option<(f64, TokenHow)> {
    word_similarity_folded(a, b, pa, pb, None, None)
}

/// [`word_similarity`] with a transliteration-fold fallback: when the
/// tokens are neither close nor phonetically equal, equal folds give 0.84
/// and folds within the edit budget 0.78.
pub fn word_similarity_folded(
    a: &str,
    b: &str,
    pa: Option<&str>,
    pb: Option<&str>,
    fa: Option<&str>,
    fb: Option<&str>,
) -> Option<(f64, TokenHow)> {
    let direct = word_similarity_plain(a, b, pa, pb);
    if direct.as_ref().is_some_and(|d| d.0 >= 0.84) {
        return direct;
    }
    let (Some(x), Some(y)) = (fa, fb) else { return direct };
    // Equal folds, or one substitution between folds of the same length
    // (6+): a fold within one insertion would let "zhong" steal "zhongji"
    // from the glue pass.
    let folded = if x == y {
        Some((0.84, TokenHow::Transliteration))
    } else if x.len() == y.len() && x.len() >= 6 && x.as_bytes().first() == y.as_bytes().first() {
        osa_bounded(x.as_bytes(), y.as_bytes(), 1).map(|_| (0.78, TokenHow::Transliteration))
    } else {
        None
    };
    match (direct, folded) {
        (Some(d), Some(f)) => Some(if d.0 >= f.0 { d } else { f }),
        (d, f) => d.or(f),
    }
}

fn word_similarity_plain(
    a: &str,
    b: &str,
    pa: Option<&str>,
    pb: Option<&str>,
) -> Option<(f64, TokenHow)> {
    if a == b {
        return Some((1.0, TokenHow::Exact));
    }
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let longer = ab.len().max(bb.len());
    let shorter = ab.len().min(bb.len());
    let budget = edit_budget(longer).min(edit_budget(shorter.max(4)));
    let fuzzy = if budget > 0 {
        osa_bounded(ab, bb, budget).map(|d| {
            // A first-letter change is more suspicious than an inner typo.
            let first = if ab[0] != bb[0] { 0.06 } else { 0.0 };
            let s = match d {
                0 => 1.0,
                1 => 0.90,
                2 => 0.78,
                _ => 0.68,
            } - first;
            (s, TokenHow::Fuzzy { edits: d as u8 })
        })
    } else {
        None
    };
    let phon = match (pa, pb) {
        // Metaphone codes are truncated, so equal codes on tokens of very
        // different length ("lanxingweiye" / "lanxing") mean nothing.
        (Some(x), Some(y)) if x == y && shorter >= 4 && shorter * 4 >= longer * 3 => {
            Some((0.80, TokenHow::Phonetic))
        }
        _ => None,
    };
    match (fuzzy, phon) {
        (Some(f), Some(p)) => Some(if f.0 >= p.0 { f } else { p }),
        (f, p) => f.or(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn budget_grows_with_length() {
        assert_eq!(edit_budget(3), 0);
        assert_eq!(edit_budget(5), 1);
        assert_eq!(edit_budget(8), 2);
        assert_eq!(edit_budget(14), 3);
    }

    #[test]
    fn short_tokens_fail_closed() {
        assert!(word_similarity("wei", "wai", None, None).is_none());
        assert_eq!(word_similarity("wei", "wei", None, None).map(|x| x.0), Some(1.0));
    }

    #[test]
    fn one_typo_is_strong_transposition_counts_once() {
        let (s, how) = word_similarity("huawei", "huawie", None, None).expect("match");
        assert!(s >= 0.88, "{s}");
        assert_eq!(how, TokenHow::Fuzzy { edits: 1 });
    }

    #[test]
    fn folds_unify_romanisation_schemes() {
        assert_eq!(translit_fold("walerjewitsch"), translit_fold("valeryevich"));
        assert_eq!(translit_fold("dmitriy"), translit_fold("dmitrij"));
        assert_eq!(translit_fold("karyagin"), translit_fold("karjagin"));
        assert_ne!(translit_fold("ivanov"), translit_fold("petrov"));
        let (s, how) = word_similarity_folded(
            "walerjewitsch",
            "valeryevich",
            None,
            None,
            Some(&translit_fold("walerjewitsch")),
            Some(&translit_fold("valeryevich")),
        )
        .expect("fold match");
        assert_eq!(how, TokenHow::Transliteration);
        assert!(s >= 0.8);
    }

    #[test]
    fn phonetic_rescues_transliteration_drift() {
        let r = word_similarity("mohammed", "muhammad", Some("MHMT"), Some("MHMT"));
        assert!(r.is_some());
    }

    proptest! {
        #[test]
        fn bounded_osa_agrees_with_strsim(a in "[a-e]{0,12}", b in "[a-e]{0,12}", max in 0usize..5) {
            let reference = strsim::osa_distance(&a, &b);
            let got = osa_bounded(a.as_bytes(), b.as_bytes(), max);
            if reference <= max {
                prop_assert_eq!(got, Some(reference));
            } else {
                prop_assert_eq!(got, None);
            }
        }

        #[test]
        fn long_inputs_agree_too(a in "[a-c]{40,60}", b in "[a-c]{40,60}") {
            let reference = strsim::osa_distance(&a, &b);
            prop_assert_eq!(osa_bounded(a.as_bytes(), b.as_bytes(), 100), Some(reference));
            prop_assert_eq!(osa_vec(a.as_bytes(), b.as_bytes()), reference);
        }

        #[test]
        fn overlong_tokens_compare_by_equality_only(a in "[a-c]{129,200}") {
            prop_assert_eq!(osa_bounded(a.as_bytes(), a.as_bytes(), 3), Some(0));
            let mut b = a.clone().into_bytes();
            b[0] = b'z';
            prop_assert_eq!(osa_bounded(a.as_bytes(), &b, 3), None);
        }

        #[test]
        fn similarity_in_unit_interval(a in "[a-z]{1,15}", b in "[a-z]{1,15}") {
            if let Some((s, _)) = word_similarity(&a, &b, None, None) {
                prop_assert!((0.0..=1.0).contains(&s));
            }
        }
    }
}
