//! Cyrillic variants of Russian names on the lists.
//!
//! The lists publish Russian names in Latin script (mostly BGN/PCGN-like,
//! sometimes ad hoc). A customer file may have the Cyrillic original, or a
//! Latin spelling from another scheme (a passport uses ICAO 9303, English
//! press uses "Alexander"/"Yuri", German sources "Chruschtschow"). This
//! module reverse-transliterates a list's Latin name to Cyrillic with the
//! crate's own table and re-romanises the Cyrillic with other schemes.

/// Latin → Cyrillic for one lower-case ASCII word. `initial_e_is_e_oborotnoye`
/// maps a word-initial `e` to `э` (right for organisation words such as
/// Эксперт, Энергия) instead of `е` (right for given names such as Елена).
pub fn to_cyrillic_word(w: &str, initial_e_is_e_oborotnoye: bool) -> String {
    let b: Vec<char> = w.chars().collect();
    let n = b.len();
    let is_vowel = |c: char| "aeiouy".contains(c);
    let mut out = String::new();
    let mut i = 0;
    let starts = |i: usize, pat: &str| -> bool {
        let p: Vec<char> = pat.chars().collect();
        i + p.len() <= n && b[i..i + p.len()] == p[..]
    };
    while i < n {
        let prev = if i == 0 { None } else { Some(b[i - 1]) };
        let after_consonant = prev.is_some_and(|p| p.is_ascii_alphabetic() && !is_vowel(p));
        let rest = n - i;
        // Word endings first.
        if rest == 4 && starts(i, "skiy")
            || rest == 3 && starts(i, "sky")
            || rest == 4 && starts(i, "skii")
        {
            out.push_str("ский");
            break;
        }
        if rest == 2 && (starts(i, "iy") || starts(i, "ii")) {
            out.push_str("ий");
            break;
        }
        if rest == 2 && starts(i, "yy") {
            out.push_str("ый");
            break;
        }
        let (s, used): (&str, usize) = if starts(i, "shch") {
            ("щ", 4)
        } else if starts(i, "zh") {
            ("ж", 2)
        } else if starts(i, "kh") {
            ("х", 2)
        } else if starts(i, "ts") || starts(i, "tz") {
            ("ц", 2)
        } else if starts(i, "ch") {
            ("ч", 2)
        } else if starts(i, "sh") {
            ("ш", 2)
        } else if starts(i, "ya") {
            // A soft sign before я only in the common "-lya"/"-lyа" endings
            // (Ilya, Natalya); elsewhere a consonant + ya is consonant + я (Vyacheslav).
            (if after_consonant && prev == Some('l') && i + 2 == n { "ья" } else { "я" }, 2)
        } else if starts(i, "yu") {
            ("ю", 2)
        } else if starts(i, "yo") {
            ("ё", 2)
        } else if starts(i, "ye") {
            // Word-final consonant + "ye" is the adjective ending -ые (Bespilotnye).
            (
                if after_consonant && i + 2 == n {
                    "ые"
                } else if after_consonant {
                    "ье"
                } else {
                    "е"
                },
                2,
            )
        } else if starts(i, "x") {
            ("кс", 1)
        } else if b[i] == 'y' {
            if i + 1 == n && matches!(prev, Some('k' | 'g')) {
                ("ий", 1)
            } else if prev.is_some_and(is_vowel) || i == 0 {
                ("й", 1)
            } else {
                ("ы", 1)
            }
        } else {
            let s = match b[i] {
                'e' if i == 0 && initial_e_is_e_oborotnoye => "э",
                'a' => "а",
                'b' => "б",
                'v' | 'w' => "в",
                'g' => "г",
                'd' => "д",
                'e' => "е",
                'z' => "з",
                'i' => "и",
                'k' | 'q' | 'c' => "к",
                'l' => "л",
                'm' => "м",
                'n' => "н",
                'o' => "о",
                'p' => "п",
                'r' => "р",
                's' => "с",
                't' => "т",
                'u' => "у",
                'f' => "ф",
                'h' => "х",
                'j' => "дж",
                '\'' => "ь",
                c if c.is_ascii_digit() => {
                    out.push(c);
                    i += 1;
                    continue;
                }
                _ => "",
            };
            (s, 1)
        };
        out.push_str(s);
        i += used;
    }
    out
}

/// Letter-by-letter Cyrillic for an upper-case acronym (`NPO` → `НПО`).
pub fn acronym_to_cyrillic(w: &str) -> String {
    let lower = w.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        let two = if i + 1 < b.len() { &lower[i..i + 2] } else { "" };
        let (s, used) = match two {
            "ts" => ("Ц", 2),
            "kh" => ("Х", 2),
            "sh" => ("Ш", 2),
            "ch" => ("Ч", 2),
            "zh" => ("Ж", 2),
            _ => {
                let c = to_cyrillic_word(&lower[i..i + 1], false);
                out.push_str(&c.to_uppercase());
                i += 1;
                continue;
            }
        };
        out.push_str(s);
        i += used;
    }
    out
}

/// Capitalise the first letter only.
pub fn title(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect(),
        None => String::new(),
    }
}

/// Romanisation schemes for Cyrillic → Latin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// BGN/PCGN 1947.
    Bgn,
    /// ICAO 9303 (passports since 2013).
    Icao,
    /// Common English press spelling.
    English,
    /// German (Duden) spelling.
    German,
}

impl Scheme {
    /// Short label.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Bgn => "bgn",
            Scheme::Icao => "icao",
            Scheme::English => "english",
            Scheme::German => "german",
        }
    }
}

/// Cyrillic → Latin for one word (any case in, title-case out).
pub fn romanise_word(w: &str, scheme: Scheme) -> String {
    let lower: Vec<char> = w.to_lowercase().chars().collect();
    let n = lower.len();
    let vowel = |c: char| "аеёиоуыэюяьъй".contains(c);
    let mut out = String::new();
    let mut i = 0;
    while i < n {
        let c = lower[i];
        let prev = if i == 0 { None } else { Some(lower[i - 1]) };
        let next = lower.get(i + 1).copied();
        let at_end2 = i + 2 == n;
        // Endings.
        if c == 'и' && next == Some('й') && at_end2 {
            out.push_str(match scheme {
                Scheme::Bgn => "iy",
                Scheme::Icao => "ii",
                Scheme::English => {
                    if prev == Some('к') {
                        "y"
                    } else if prev == Some('р') {
                        "i"
                    } else {
                        "y"
                    }
                }
                Scheme::German => "i",
            });
            break;
        }
        if c == 'ы' && next == Some('й') && at_end2 {
            out.push_str(match scheme {
                Scheme::Bgn => "yy",
                Scheme::Icao => "y",
                Scheme::English => "y",
                Scheme::German => "y",
            });
            break;
        }
        if scheme == Scheme::English && c == 'к' && next == Some('с') {
            out.push('x');
            i += 2;
            continue;
        }
        let initial_or_after_vowel = prev.is_none_or(vowel);
        let s: &str = match (c, scheme) {
            ('а', _) => "a",
            ('б', _) => "b",
            ('в', Scheme::German) => "w",
            ('в', _) => "v",
            ('г', _) => "g",
            ('д', _) => "d",
            ('е', Scheme::Bgn | Scheme::English) if initial_or_after_vowel => "ye",
            ('е', Scheme::German) if initial_or_after_vowel => "je",
            ('е', _) => "e",
            ('ё', Scheme::Icao) => "e",
            ('ё', Scheme::German | Scheme::English) if prev.is_some_and(|p| "жчшщ".contains(p)) => {
                "o"
            }
            ('ё', Scheme::German) => "jo",
            ('ё', _) => "yo",
            ('ж', Scheme::German) => "sh",
            ('ж', _) => "zh",
            ('з', Scheme::German) => "s",
            ('з', _) => "z",
            ('и', _) => "i",
            ('й', Scheme::Icao) => "i",
            ('й', Scheme::German) => "j",
            ('й', _) => "y",
            ('к', _) => "k",
            ('л', _) => "l",
            ('м', _) => "m",
            ('н', _) => "n",
            ('о', _) => "o",
            ('п', _) => "p",
            ('р', _) => "r",
            ('с', Scheme::German) if prev.is_some_and(vowel) && next.is_some_and(vowel) => "ss",
            ('с', _) => "s",
            ('т', _) => "t",
            ('у', _) => "u",
            ('ф', _) => "f",
            ('х', Scheme::German) => "ch",
            ('х', _) => "kh",
            ('ц', Scheme::German) => "z",
            ('ц', _) => "ts",
            ('ч', Scheme::German) => "tsch",
            ('ч', _) => "ch",
            ('ш', Scheme::German) => "sch",
            ('ш', _) => "sh",
            ('щ', Scheme::German) => "schtsch",
            ('щ', _) => "shch",
            ('ъ', Scheme::Icao) => "ie",
            ('ъ', _) => "",
            ('ы', _) => "y",
            ('ь', Scheme::Bgn) => "'",
            ('ь', _) => "",
            ('э', _) => "e",
            ('ю', Scheme::Icao) => "iu",
            ('ю', Scheme::German) => "ju",
            ('ю', _) => "yu",
            ('я', Scheme::Icao) => "ia",
            ('я', Scheme::German) => "ja",
            ('я', _) => "ya",
            (c, _) => {
                out.push(c);
                i += 1;
                continue;
            }
        };
        out.push_str(s);
        i += 1;
    }
    let mut t = title(&out);
    if scheme == Scheme::English {
        // Conventional English forms of common given names.
        for (from, to) in [
            ("Aleksandr", "Alexander"),
            ("Alexandr", "Alexander"),
            ("Aleksey", "Alexey"),
            ("Yuriy", "Yuri"),
            ("Yury", "Yuri"),
            ("Sergey", "Sergei"),
            ("Dmitriy", "Dmitry"),
            ("Yevgeniy", "Evgeny"),
            ("Yevgeny", "Evgeny"),
            ("Andrey", "Andrei"),
            ("Nikolay", "Nikolai"),
            ("Mikhail", "Mikhail"),
            ("Yelena", "Elena"),
        ] {
            if t == from {
                t = to.to_string();
            }
        }
    }
    t
}

/// Russian legal forms → Cyrillic abbreviation (folded word sequences).
pub const RU_LEGAL: &[(&[&str], &str)] = &[
    (&["limited", "liability", "company"], "ООО"),
    (&["public", "joint", "stock", "company"], "ПАО"),
    (&["open", "joint", "stock", "company"], "ОАО"),
    (&["closed", "joint", "stock", "company"], "ЗАО"),
    (&["joint", "stock", "company"], "АО"),
    (&["llc"], "ООО"),
    (&["ooo"], "ООО"),
    (&["jsc"], "АО"),
    (&["ao"], "АО"),
    (&["pjsc"], "ПАО"),
    (&["pao"], "ПАО"),
    (&["ojsc"], "ОАО"),
    (&["oao"], "ОАО"),
    (&["cjsc"], "ЗАО"),
    (&["zao"], "ЗАО"),
];

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reverse_transliteration() {
        assert_eq!(to_cyrillic_word("khristoforov", false), "христофоров");
        assert_eq!(to_cyrillic_word("vasiliy", false), "василий");
        assert_eq!(to_cyrillic_word("aleksandrovich", false), "александрович");
        assert_eq!(to_cyrillic_word("sergey", false), "сергей");
        assert_eq!(to_cyrillic_word("yevgeniy", false), "евгений");
        assert_eq!(to_cyrillic_word("zaytsev", false), "зайцев");
        assert_eq!(to_cyrillic_word("ilya", false), "илья");
        assert_eq!(to_cyrillic_word("byuro", false), "бюро");
        assert_eq!(to_cyrillic_word("bespilotnye", false), "беспилотные");
        assert_eq!(to_cyrillic_word("vremya", false), "время");
        assert_eq!(to_cyrillic_word("vasilyevich", false), "васильевич");
        assert_eq!(to_cyrillic_word("shchukin", false), "щукин");
        assert_eq!(to_cyrillic_word("vologodsky", false), "вологодский");
        assert_eq!(to_cyrillic_word("ekspert", true), "эксперт");
        assert_eq!(acronym_to_cyrillic("NPO"), "НПО");
        assert_eq!(acronym_to_cyrillic("TsNII"), "ЦНИИ");
    }

    #[test]
    fn romanisation_schemes() {
        assert_eq!(romanise_word("Юрий", Scheme::Icao), "Iurii");
        assert_eq!(romanise_word("Юрий", Scheme::English), "Yuri");
        assert_eq!(romanise_word("Евгений", Scheme::Bgn), "Yevgeniy");
        assert_eq!(romanise_word("Хрущёв", Scheme::German), "Chruschtschow");
        assert_eq!(romanise_word("Александр", Scheme::English), "Alexander");
        assert_eq!(romanise_word("Наталья", Scheme::Icao), "Natalia");
    }
}
