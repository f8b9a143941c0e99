//! Homoglyph repair and UTS #39 skeleton keys.
//!
//! Two tools against look-alike letters:
//!
//! - [`latin_twin`]: the Latin letter a Cyrillic/Greek letter imitates, from
//!   the project's table `tables/homoglyphs.txt`. The analyser uses it to
//!   repair words that mix scripts ("Нuawei" → "huawei").
//! - [`skeleton`]: a whole-string key in the spirit of UTS #39 "skeleton",
//!   for candidate retrieval that must survive deliberate confusables.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::decompose_canonical;
use unicode_script::{Script, UnicodeScript};

use crate::tables;

fn table() -> &'static FxHashMap<char, char> {
    static T: OnceLock<FxHashMap<char, char>> = OnceLock::new();
    T.get_or_init(|| {
        let mut m = FxHashMap::default();
        for line in tables::data_lines(tables::HOMOGLYPHS) {
            let mut it = line.split_whitespace();
            if let (Some(a), Some(b)) = (it.next(), it.next())
                && let (Some(a), Some(b)) = (a.chars().next(), b.chars().next())
            {
                m.insert(a, b);
            }
        }
        m
    })
}

/// Number of letters in the homoglyph table.
pub(crate) fn table_size() -> usize {
    table().len()
}

/// The Latin (lower-case) letter that the Cyrillic or Greek letter `c`
/// imitates, if any. Case-sensitive; letters with diacritics are looked up
/// by their base letter.
pub(crate) fn latin_twin(c: char) -> Option<char> {
    let t = table();
    if let Some(&l) = t.get(&c) {
        return Some(l);
    }
    let mut base = None;
    decompose_canonical(c, |d| {
        if base.is_none() {
            base = Some(d);
        }
    });
    base.filter(|&b| b != c).and_then(|b| t.get(&b).copied())
}

/// See [`crate::skeleton`].
pub(crate) fn skeleton(s: &str) -> String {
    // 1. NFKC; Cyrillic/Greek look-alikes replaced by their Latin twin while
    //    the original case is still known (capital Н is H, small н is not);
    //    everything else case-folded. Folding before the UTS #39 mapping keeps
    //    the key case-insensitive ("IBM" and "ibm" agree).
    let mut pre = String::with_capacity(s.len());
    for c in s.nfkc() {
        if matches!(c.script(), Script::Cyrillic | Script::Greek)
            && let Some(l) = latin_twin(c)
        {
            pre.push(l);
            continue;
        }
        match c {
            'ß' | 'ẞ' => pre.push_str("ss"),
            _ => pre.extend(c.to_lowercase()),
        }
    }
    // 2. The UTS #39 confusable mapping (rn/m, 0/O, 1/l, …).
    let sk: String = unicode_security::skeleton(&pre).collect();
    // 3. Same clean-up as `normalize_basic`: lower-case, diacritics dropped,
    //    punctuation to single spaces. Small-capital letters left by step 2
    //    become their ASCII letter there.
    crate::normalize::normalize_basic(&sk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twins() {
        assert_eq!(latin_twin('Н'), Some('h'));
        assert_eq!(latin_twin('а'), Some('a'));
        assert_eq!(latin_twin('ё'), Some('e'));
        assert_eq!(latin_twin('ο'), Some('o'));
        assert_eq!(latin_twin('д'), None);
        assert_eq!(latin_twin('ж'), None);
    }

    #[test]
    fn skeleton_keys() {
        assert_eq!(skeleton("Нuawei"), skeleton("HUAWEI"));
        assert_eq!(skeleton("раураl"), skeleton("paypal"));
        assert_eq!(skeleton("IBM"), skeleton("ibm"));
        assert_eq!(skeleton("H0ME  Depot!"), skeleton("home depot"));
        assert_eq!(skeleton("ВОСТОК"), skeleton("BOCTOK"));
        let k = skeleton("Huawei Technologies Co., Ltd.");
        assert!(k.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == ' '), "{k}");
        assert_eq!(skeleton(""), "");
    }
}
