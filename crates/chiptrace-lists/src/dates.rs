//! Normalisation of the date spellings the lists use.
//!
//! Dates become `YYYY`, `YYYY-MM` or `YYYY-MM-DD` when the text is
//! unambiguous; anything else (ranges, "1960 to 1962", Hijri dates) is kept
//! as the source wrote it, so no information is lost.

const MONTHS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(['.', ',']).to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    MONTHS
        .iter()
        .zip(full.iter())
        .position(|(short, long)| w == *short || w == *long || (w == "sept" && *short == "sep"))
        .map(|i| i as u32 + 1)
}

fn year(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(['.', ',']);
    if w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()) {
        w.parse().ok().filter(|y| (1000..=2999).contains(y))
    } else {
        None
    }
}

fn day(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(['.', ',']);
    if (1..=2).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit()) {
        w.parse().ok().filter(|d| (1..=31).contains(d))
    } else {
        None
    }
}

fn ymd(y: u32, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// Normalise a date; `None` when the text is not a date this module knows.
///
/// Accepted: `1960-01-12`, `1960-01`, `1960`, `12 Jan 1960`, `Jan 1960`,
/// `January 12, 1960`, `October, 1983`, `5/21/2019` and `5/21/19` (US
/// order, as in Federal Register citations), with an optional `circa` /
/// `approximately` / `c.` prefix (dropped: the year is still what the list
/// says).
pub(crate) fn normalize_date(text: &str) -> Option<String> {
    let mut t = text.trim().trim_end_matches('.').trim();
    for prefix in ["circa ", "approximately ", "approx. ", "c. ", "about "] {
        if t.len() > prefix.len()
            && t.get(..prefix.len()).is_some_and(|h| h.eq_ignore_ascii_case(prefix))
        {
            t = t[prefix.len()..].trim();
        }
    }
    // Every accepted form is ASCII; this also makes the byte slicing below
    // safe on any input.
    if t.is_empty() || !t.is_ascii() {
        return None;
    }
    // ISO forms.
    let b = t.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let (y, m, d) =
            (year(&t[..4])?, t[5..7].parse::<u32>().ok()?, t[8..10].parse::<u32>().ok()?);
        return ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| ymd(y, m, d));
    }
    if b.len() == 7 && b[4] == b'-' {
        let (y, m) = (year(&t[..4])?, t[5..7].parse::<u32>().ok()?);
        return (1..=12).contains(&m).then(|| format!("{y:04}-{m:02}"));
    }
    if let Some(y) = year(t) {
        return Some(format!("{y:04}"));
    }
    // US slash form m/d/yyyy or m/d/yy.
    let parts: Vec<&str> = t.split('/').collect();
    if parts.len() == 3
        && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        let m: u32 = parts[0].parse().ok()?;
        let d: u32 = parts[1].parse().ok()?;
        let y: u32 = match parts[2].len() {
            4 => parts[2].parse().ok()?,
            // Two-digit years: the lists start in the 1950s.
            2 => {
                let yy: u32 = parts[2].parse().ok()?;
                if yy >= 50 { 1900 + yy } else { 2000 + yy }
            }
            _ => return None,
        };
        return ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| ymd(y, m, d));
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    match words.as_slice() {
        [d, m, y] => {
            if let (Some(d), Some(m), Some(y)) = (day(d), month(m), year(y)) {
                return Some(ymd(y, m, d));
            }
            // "January 12, 1960"
            if let (Some(m), Some(d), Some(y)) = (month(words[0]), day(words[1]), year(words[2])) {
                return Some(ymd(y, m, d));
            }
            None
        }
        [m, y] => {
            let (m, y) = (month(m)?, year(y)?);
            Some(format!("{y:04}-{m:02}"))
        }
        _ => None,
    }
}

/// The normalised date, or the trimmed source text when it cannot be
/// normalised.
pub(crate) fn date_or_text(text: &str) -> String {
    normalize_date(text).unwrap_or_else(|| crate::text::squash(text))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing unwrap is a failing test
mod tests {
    use super::*;

    #[test]
    fn forms() {
        for (input, want) in [
            ("1960-01-12", Some("1960-01-12")),
            ("1960-01", Some("1960-01")),
            ("1960", Some("1960")),
            ("12 Jan 1960", Some("1960-01-12")),
            ("03 May 1938", Some("1938-05-03")),
            ("Jan 1960", Some("1960-01")),
            ("October, 1983", Some("1983-10")),
            ("June 21, 2022", Some("2022-06-21")),
            ("circa 1951", Some("1951")),
            ("5/21/19", Some("2019-05-21")),
            ("9/17/81", Some("1981-09-17")),
            ("1960 to 1962", None),
            ("", None),
            ("31 Foo 1960", None),
            ("1960-13-01", None),
            ("19Ã58", None),
            ("Ã 1960", None),
        ] {
            assert_eq!(normalize_date(input).as_deref(), want, "{input}");
        }
        assert_eq!(date_or_text(" 1960 to 1962 "), "1960 to 1962");
    }
}
