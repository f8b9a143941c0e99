//! Country names and codes → ISO 3166-1 alpha-2 (`tables/countries.txt`).

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::tables;

struct Countries {
    /// Lower-case alpha-2 and alpha-3 codes.
    codes: FxHashMap<String, &'static str>,
    /// Normalised names (see `key`).
    names: FxHashMap<String, &'static str>,
}

/// Lookup key of a name: normalised words without "the", "and", "of".
fn key(s: &str) -> String {
    let n = crate::normalize::normalize_basic(s);
    let mut out = String::with_capacity(n.len());
    for w in n.split(' ').filter(|w| !w.is_empty() && !matches!(*w, "the" | "and" | "of")) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// "Korea, North" → "North Korea".
fn swapped(s: &str) -> Option<String> {
    let (a, b) = s.rsplit_once(',')?;
    let (a, b) = (a.trim(), b.trim());
    if a.is_empty() || b.is_empty() { None } else { Some(format!("{b} {a}")) }
}

fn countries() -> &'static Countries {
    static C: OnceLock<Countries> = OnceLock::new();
    C.get_or_init(|| {
        let mut c = Countries { codes: FxHashMap::default(), names: FxHashMap::default() };
        for line in tables::data_lines(tables::COUNTRIES) {
            let mut parts = line.split('|').map(str::trim);
            let Some(codes) = parts.next() else { continue };
            let mut cs = codes.split_whitespace();
            let (Some(a2), Some(a3)) = (cs.next(), cs.next()) else { continue };
            c.codes.insert(a2.to_ascii_lowercase(), a2);
            c.codes.insert(a3.to_ascii_lowercase(), a2);
            for name in parts.filter(|p| !p.is_empty()) {
                c.names.entry(key(name)).or_insert(a2);
                if let Some(sw) = swapped(name) {
                    c.names.entry(key(&sw)).or_insert(a2);
                }
            }
        }
        c
    })
}

/// True if `token` is, on its own, the name of a country ("china",
/// "singapore", "uae").
pub(crate) fn is_country_word(token: &str) -> bool {
    !token.is_empty() && !token.contains(' ') && countries().names.contains_key(token)
}

/// Number of (codes, names) known.
pub(crate) fn table_size() -> (usize, usize) {
    let c = countries();
    (c.codes.len(), c.names.len())
}

/// See [`crate::country_code`].
pub(crate) fn country_code(s: &str) -> Option<&'static str> {
    let c = countries();
    let t = s.trim();
    if (2..=3).contains(&t.len())
        && t.bytes().all(|b| b.is_ascii_alphabetic())
        && let Some(&a2) = c.codes.get(&t.to_ascii_lowercase())
    {
        return Some(a2);
    }
    if t.len() > 200 {
        return None;
    }
    if let Some(&a2) = c.names.get(&key(t)) {
        return Some(a2);
    }
    let sw = swapped(t)?;
    c.names.get(&key(&sw)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names() {
        let cases = [
            ("China", "CN"),
            ("PRC", "CN"),
            ("P.R.C.", "CN"),
            ("People's Republic of China", "CN"),
            ("china", "CN"),
            ("CHN", "CN"),
            ("cn", "CN"),
            ("Hong Kong", "HK"),
            ("Burma", "MM"),
            ("Russia", "RU"),
            ("Russian Federation", "RU"),
            ("United Arab Emirates", "AE"),
            ("UAE", "AE"),
            ("Türkiye", "TR"),
            ("Turkey", "TR"),
            ("Korea, North", "KP"),
            ("North Korea", "KP"),
            ("Korea, Democratic People's Republic of", "KP"),
            ("Korea, South", "KR"),
            ("Iran", "IR"),
            ("Iran, Islamic Republic of", "IR"),
            ("Crimea Region of Ukraine", "UA"),
            ("Bosnia & Herzegovina", "BA"),
            ("Congo, The Democratic Republic of the", "CD"),
            ("Côte d’Ivoire", "CI"),
            ("AND", "AD"),
            ("Kosovo", "XK"),
            ("  taiwan ", "TW"),
            ("U.S.", "US"),
        ];
        for (s, code) in cases {
            assert_eq!(country_code(s), Some(code), "{s}");
        }
        for s in ["", "Atlantis", "zz", ",", "the", "of"] {
            assert_eq!(country_code(s), None, "{s}");
        }
        let (codes, names) = table_size();
        assert!(codes >= 2 * 249, "{codes}");
        assert!(names >= 300, "{names}");
    }
}
