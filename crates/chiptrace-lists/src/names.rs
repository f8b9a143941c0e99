//! Splitting one published name field into the names it really holds.
//!
//! List name fields carry more than one name: "X (a.k.a., Y)", "X d/b/a Y",
//! "X, formerly known as Y", "[aka …]", a trailing acronym "(CETC 38)", and
//! boilerplate such as "and any successor, sub-unit, or subsidiary thereof"
//! or "Subordinate Institution -". Third-party parses (the
//! `us_restricted_party_lists_*` JSON) add their own debris: an address glued
//! to an alias with "; and", a dangling "(a.k.a.".
//!
//! [`split_name_field`] turns one such field into [`EntryName`]s, each with
//! the phrase that introduced it in `via`, so an explanation can say "matched
//! the f.k.a. name". Removed boilerplate goes to remarks, glued addresses to
//! addresses: nothing the source said is dropped silently.

use crate::entry::{EntryName, NameKind};
use crate::text::{squash, strip_quotes};

/// What one name field held.
#[derive(Debug, Default)]
pub(crate) struct NameParts {
    /// Names in source order; the field's own name first (if non-empty).
    pub names: Vec<EntryName>,
    /// Boilerplate and bracketed notes taken out of the name.
    pub remarks: Vec<String>,
    /// Addresses that were glued to the name.
    pub addresses: Vec<String>,
    /// The field said the party is an individual ("(DPRK individual)").
    pub person_hint: bool,
}

/// An alias-introducing phrase.
struct Phrase {
    /// Lower-case ASCII pattern.
    pat: &'static str,
    kind: NameKind,
    /// A bare word ("aka", "formerly") that also occurs inside ordinary
    /// names; it counts only after a separator (start, `,` `;` `(` `[` or
    /// the word "and").
    bare: bool,
}

/// Longest first, so "formerly known as" wins over "formerly" and "a.k.a."
/// over "a.k.a".
const PHRASES: &[Phrase] = &[
    Phrase { pat: "formerly known as", kind: NameKind::Former, bare: false },
    Phrase { pat: "doing business as", kind: NameKind::TradingAs, bare: false },
    Phrase { pat: "also known as", kind: NameKind::Alias, bare: false },
    Phrase { pat: "now known as", kind: NameKind::Alias, bare: false },
    Phrase { pat: "trading as", kind: NameKind::TradingAs, bare: true },
    Phrase { pat: "formerly", kind: NameKind::Former, bare: true },
    Phrase { pat: "a.k.a.", kind: NameKind::Alias, bare: false },
    Phrase { pat: "f.k.a.", kind: NameKind::Former, bare: false },
    Phrase { pat: "n.k.a.", kind: NameKind::Alias, bare: false },
    Phrase { pat: "d.b.a.", kind: NameKind::TradingAs, bare: false },
    Phrase { pat: "a.k.a", kind: NameKind::Alias, bare: false },
    Phrase { pat: "f.k.a", kind: NameKind::Former, bare: false },
    Phrase { pat: "n.k.a", kind: NameKind::Alias, bare: false },
    Phrase { pat: "a/k/a", kind: NameKind::Alias, bare: false },
    Phrase { pat: "f/k/a", kind: NameKind::Former, bare: false },
    Phrase { pat: "d/b/a", kind: NameKind::TradingAs, bare: false },
    Phrase { pat: "aka", kind: NameKind::Alias, bare: true },
    Phrase { pat: "fka", kind: NameKind::Former, bare: true },
    Phrase { pat: "nka", kind: NameKind::Alias, bare: true },
    Phrase { pat: "dba", kind: NameKind::TradingAs, bare: true },
];

/// Legal forms that are not acronyms of the entity when they trail in
/// brackets: "Closed Joint Stock Company (CJSC)".
const LEGAL_FORMS: &[&str] = &[
    "AB", "AD", "AG", "AO", "AS", "BHD", "BV", "CJSC", "CO", "COLTD", "CORP", "DMCC", "DOO", "EAD",
    "EOOD", "FZC", "FZCO", "FZE", "FZLLC", "GMBH", "INC", "JSC", "KFT", "KG", "LLC", "LLP", "LP",
    "LTD", "LTDA", "NV", "OAO", "OJSC", "OOD", "OOO", "OY", "PAO", "PJSC", "PLC", "PTE", "PTELTD",
    "PTY", "PTYLTD", "PVT", "PVTLTD", "SA", "SAL", "SARL", "SAS", "SDNBHD", "SL", "SPA", "SRL",
    "SRO", "ZAO", "ZRT",
];

/// Split one name field. `kind`/`via` describe the field itself (the
/// primary name, or an entry of an `aliases` array); names split out of it
/// get the kind of the phrase that introduced them.
pub(crate) fn split_name_field(raw: &str, kind: NameKind, via: Option<&str>) -> NameParts {
    let mut parts = NameParts::default();
    let s = squash(raw);
    let s = take_addresses(&s, &mut parts.addresses);
    let s = take_bracket_notes(&s, &mut parts);
    let s = strip_boilerplate(&s, &mut parts.remarks);
    let mut out: Vec<(String, NameKind, Option<String>)> = Vec::new();
    split_aliases(&s, kind, via.map(str::to_string), &mut out, 0);
    // A primary field that began with "a.k.a." has no name of its own: the
    // first alias stands in as the primary.
    if kind == NameKind::Primary
        && !out.iter().any(|n| n.1 == NameKind::Primary)
        && let Some(first) = out.first_mut()
    {
        first.1 = NameKind::Primary;
        first.2 = None;
    }
    parts.names = out.into_iter().map(|(name, kind, via)| EntryName { name, kind, via }).collect();
    parts
}

/// Clean an entry of an `aliases` / `alt_names` array: trailing separators
/// and a sentence-final full stop go ("…Technology Institute." ->
/// "…Technology Institute"), abbreviation dots stay ("Co., Ltd.").
pub(crate) fn clean_alias(s: &str) -> String {
    let squashed = squash(s);
    let mut t: &str = &squashed;
    loop {
        let before = t.len();
        t = t.trim_end_matches([',', ';', ':', ' ']);
        if let Some(stripped) = t.strip_suffix(" and") {
            t = stripped;
        }
        if let Some(head) = t.strip_suffix('.') {
            let last_word = head.rsplit(' ').next().unwrap_or("");
            if last_word.chars().count() > 4 && !last_word.contains('.') {
                t = head;
            }
        }
        if t.len() == before {
            break;
        }
    }
    let t = t.strip_prefix("and ").unwrap_or(t);
    strip_quotes(t).to_string()
}

/// Deduplicate names (case- and punctuation-insensitive), keeping the first
/// occurrence, so the primary name stays first.
pub(crate) fn dedupe_names(names: Vec<EntryName>) -> Vec<EntryName> {
    if names.len() < 2 {
        return names;
    }
    let mut seen = std::collections::HashSet::with_capacity(names.len());
    let mut out = Vec::with_capacity(names.len());
    for n in names {
        let key: String =
            n.name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
        if key.is_empty() || !seen.insert(key) {
            continue;
        }
        out.push(n);
    }
    out
}

fn split_aliases(
    s: &str,
    kind: NameKind,
    via: Option<String>,
    out: &mut Vec<(String, NameKind, Option<String>)>,
    depth: usize,
) {
    // Recursion depth is bounded by the number of phrases in the string; the
    // guard only protects against adversarial input (fuzzing).
    if depth > 24 {
        push_name(s, kind, via, out);
        return;
    }
    let Some((start, end, phrase_kind)) = find_phrase(s) else {
        push_semicolon_parts(s, kind, via, out);
        return;
    };
    let phrase_via = Some(s[start..end].trim().to_string());
    let before = s[..start].trim_end();
    let opener = before.chars().last().filter(|c| *c == '(' || *c == '[');
    if let Some(open) = opener {
        // "(a.k.a. Y)" or "[aka Y]": the alias ends at the matching bracket,
        // and whatever follows the bracket still belongs to the main name.
        let close = matching_close(s, end, open);
        let inner = &s[end..close.unwrap_or(s.len())];
        let rest = close.map(|c| &s[c + 1..]).unwrap_or("");
        let main = format!("{} {}", &before[..before.len() - open.len_utf8()], rest);
        split_aliases(&main, kind, via, out, depth + 1);
        split_aliases(inner, phrase_kind, phrase_via, out, depth + 1);
    } else {
        split_aliases(before, kind, via, out, depth + 1);
        split_aliases(&s[end..], phrase_kind, phrase_via, out, depth + 1);
    }
}

/// First alias phrase in `s` as `(start, end, kind)` byte offsets.
fn find_phrase(s: &str) -> Option<(usize, usize, NameKind)> {
    // ASCII lower-casing keeps byte offsets identical to `s`.
    let lower = s.to_ascii_lowercase();
    let b = lower.as_bytes();
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c >= 0x80;
    for i in 0..b.len() {
        if !matches!(b[i], b'a' | b'f' | b'n' | b'd' | b't') {
            continue;
        }
        if i > 0 && is_word(b[i - 1]) {
            continue;
        }
        for p in PHRASES {
            if !lower[i..].starts_with(p.pat) {
                continue;
            }
            let end = i + p.pat.len();
            let last = p.pat.as_bytes()[p.pat.len() - 1];
            if last.is_ascii_alphanumeric() && end < b.len() && is_word(b[end]) {
                continue;
            }
            if p.bare && !after_separator(&lower[..i]) {
                continue;
            }
            return Some((i, end, p.kind));
        }
    }
    None
}

/// Is the text before a bare phrase a separator context?
fn after_separator(before: &str) -> bool {
    let t = before.trim_end();
    if t.is_empty() {
        return true;
    }
    if t.ends_with([',', ';', '(', '[', ':']) {
        return true;
    }
    t.ends_with(" and") || t == "and"
}

fn matching_close(s: &str, from: usize, open: char) -> Option<usize> {
    let close = if open == '(' { b')' } else { b']' };
    let open = open as u8;
    let mut depth = 1usize;
    for (i, &c) in s.as_bytes().iter().enumerate().skip(from) {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// Split on top-level `;`: "IRGC Air Force; IRGCAF" is two names.
fn push_semicolon_parts(
    s: &str,
    kind: NameKind,
    via: Option<String>,
    out: &mut Vec<(String, NameKind, Option<String>)>,
) {
    let mut depth = 0i32;
    let mut start = 0;
    let mut first = true;
    let mut pieces = Vec::new();
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ';' if depth <= 0 => {
                pieces.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    pieces.push(&s[start..]);
    for piece in pieces {
        if first {
            push_name(piece, kind, via.clone(), out);
            first = false;
        } else {
            let k = if kind == NameKind::Primary { NameKind::Alias } else { kind };
            push_name(piece, k, Some(";".to_string()), out);
        }
    }
}

fn push_name(
    text: &str,
    kind: NameKind,
    via: Option<String>,
    out: &mut Vec<(String, NameKind, Option<String>)>,
) {
    let Some(mut name) = clean_piece(text) else { return };
    let mut acronyms = Vec::new();
    if kind != NameKind::Acronym {
        for _ in 0..2 {
            match trailing_acronym(&name) {
                Some((head, acr)) => {
                    acronyms.push(acr);
                    name = head;
                }
                None => break,
            }
        }
    }
    out.push((name, kind, via));
    for acr in acronyms.into_iter().rev() {
        out.push((acr, NameKind::Acronym, Some("(...)".to_string())));
    }
}

/// Trim separators, dangling brackets and quotes; `None` if nothing
/// name-like remains (or only boilerplate like "the following two aliases:").
fn clean_piece(text: &str) -> Option<String> {
    let squashed = squash(text);
    // Trim on a slice (no copy per round: adversarial input can need many).
    let mut s: &str = &squashed;
    loop {
        let before = s.len();
        s = s
            .trim_start_matches([',', ':', ';', '-', ' ', ')', ']'])
            .trim_end_matches([',', ';', ':', ' ', '(', '[', '-']);
        for suffix in [" and", " or"] {
            if let Some(stripped) = s.strip_suffix(suffix) {
                s = stripped;
            }
        }
        if s.len() == before {
            break;
        }
    }
    let mut t = s.to_string();
    // Unbalanced trailing ')' left by a bracket split: "X)" -> "X".
    if t.ends_with(')') && t.matches('(').count() < t.matches(')').count() {
        t.pop();
    }
    if t.starts_with('(') && t.matches('(').count() > t.matches(')').count() {
        t.remove(0);
    }
    let t = strip_quotes(t.trim()).to_string();
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("the following") || !t.chars().any(char::is_alphanumeric) {
        return None;
    }
    Some(t)
}

/// "Emal Bilal Construction Company (EBCC)" -> ("Emal Bilal Construction
/// Company", "EBCC"). Place names ("(Hong Kong)", "(HK)", "(Shanghai)") and
/// legal forms ("(CJSC)") are part of the name, not acronyms.
fn trailing_acronym(name: &str) -> Option<(String, String)> {
    let t = name.trim_end();
    if !t.ends_with(')') {
        return None;
    }
    let b = t.as_bytes();
    let mut depth = 0i32;
    let mut open = None;
    for i in (0..b.len()).rev() {
        match b[i] {
            b')' => depth += 1,
            b'(' => {
                depth -= 1;
                if depth == 0 {
                    open = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let open = open?;
    let inner = t[open + 1..t.len() - 1].trim();
    let head = t[..open].trim_end().trim_end_matches([',', ' ']).to_string();
    if !head.chars().any(char::is_alphabetic) || !is_acronym(inner) {
        return None;
    }
    Some((head, inner.to_string()))
}

fn is_acronym(p: &str) -> bool {
    let len = p.chars().count();
    if !(2..=24).contains(&len) || p.split_whitespace().count() > 4 {
        return false;
    }
    if p.split_whitespace().any(|w| w.chars().next().is_some_and(char::is_lowercase)) {
        return false;
    }
    let letters = p.chars().filter(|c| c.is_alphabetic()).count();
    let upper = p.chars().filter(|c| c.is_uppercase()).count();
    if upper < 2 || upper * 2 < letters {
        return false;
    }
    let compact: String = p.chars().filter(|c| c.is_alphanumeric()).collect();
    let compact_upper = compact.to_uppercase();
    if LEGAL_FORMS.contains(&compact_upper.as_str()) {
        return false;
    }
    if compact_upper.chars().all(|c| matches!(c, 'I' | 'V' | 'X')) {
        return false; // roman numerals: "(II)"
    }
    // "(HK)", "(H.K.)", "(PRC)", "(UAE)": a place, not an acronym. Two
    // letters are a place only for the jurisdictions that company names
    // carry in brackets; "(KH)" after "Khata'ib Hezbollah" is an acronym,
    // not Cambodia.
    const PLACE_CODES: &[&str] = &[
        "HK", "UK", "US", "CN", "TW", "MO", "SG", "AE", "RU", "KR", "JP", "DE", "FR", "IN", "IR",
        "PK", "MY", "TH", "VN", "ID", "PH", "TR", "BY", "KZ",
    ];
    if compact_upper.len() == 2 {
        return !PLACE_CODES.contains(&compact_upper.as_str());
    }
    crate::country::country_code(&compact).is_none() && crate::country::country_code(p).is_none()
}

/// Addresses glued to a name by the third-party parse:
/// "Alexander Kuznetsov, Ordzhonikidze 10, Moscow, Russia 119071; and 10
/// Ordjonikidze Street, …". Returns the name part.
fn take_addresses(s: &str, addresses: &mut Vec<String>) -> String {
    let lower = s.to_ascii_lowercase();
    let and_pos = lower.find("; and ").or_else(|| lower.find(";and "));
    let glued_list = and_pos.is_some_and(|p| s[p..].bytes().any(|b| b.is_ascii_digit()));
    let has_digit = s.bytes().any(|b| b.is_ascii_digit());
    let ends_in_country = ends_with_country_segment(s);
    if !(glued_list || (ends_in_country && has_digit && s.contains(", "))) {
        // Not an address. A dangling or joining "; and" is list syntax:
        // "HPSTAR; and" -> "HPSTAR", "Xinjiang Leon Telecom; and Technology"
        // -> "... Telecom and Technology".
        let t = s.trim_end();
        let t = t.strip_suffix("; and").or_else(|| t.strip_suffix(";and")).unwrap_or(t);
        return t.replace("; and ", " and ");
    }
    let head_end = if glued_list { and_pos.unwrap_or(s.len()) } else { s.len() };
    let head = &s[..head_end];
    let mut name = head.to_string();
    let mut first_address: Option<String> = None;
    if let Some(cut) = address_cut(head) {
        name = head[..cut.0].trim().to_string();
        first_address = Some(head[cut.1..].trim().to_string());
    }
    if let Some(a) = first_address {
        addresses.push(clean_address(&a));
    }
    if glued_list {
        let rest = &s[head_end..];
        for part in rest.split(';') {
            let part = part.trim();
            let part = part.strip_prefix("and ").unwrap_or(part);
            if part.chars().any(char::is_alphanumeric) {
                addresses.push(clean_address(part));
            }
        }
    }
    addresses.retain(|a| !a.is_empty());
    name
}

/// Where the name ends and the address begins: `(name_end, address_start)`.
fn address_cut(head: &str) -> Option<(usize, usize)> {
    let b = head.as_bytes();
    // "Does the rest contain a digit?" for every candidate, in O(1).
    let last_digit = b.iter().rposition(u8::is_ascii_digit);
    for i in 0..b.len().saturating_sub(1) {
        if b[i + 1] != b' ' || (b[i] != b',' && b[i] != b'.') {
            continue;
        }
        let rest = &head[i + 2..];
        if b[i] == b'.' {
            let word = head[..i].rsplit(' ').next().unwrap_or("");
            let abbreviation = word.chars().count() <= 4;
            if abbreviation {
                // "Co. Ltd. 300 South Oak Way": cut after the legal form only
                // when the address visibly starts (a number).
                if rest.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                    return Some((i + 1, i + 2));
                }
                continue;
            }
        }
        if last_digit.is_some_and(|d| d >= i + 2) {
            return Some((i, i + 2));
        }
    }
    None
}

fn ends_with_country_segment(s: &str) -> bool {
    // Bracketed notes ("(See alternate address under Russia)") do not count.
    let mut plain = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let Some((_, last)) = plain.rsplit_once(", ") else { return false };
    let words: Vec<&str> = last
        .split_whitespace()
        .filter(|w| !w.bytes().any(|b| b.is_ascii_digit()))
        .map(|w| w.trim_end_matches(['.', ')']))
        .collect();
    if words.is_empty() || words.iter().any(|w| w.starts_with('(')) {
        return false;
    }
    let cand = words.join(" ");
    cand.chars().count() > 3 && crate::country::country_code(&cand).is_some()
}

fn clean_address(a: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut note = String::new();
    for c in a.chars() {
        match c {
            '(' => {
                depth += 1;
                note.push(c);
            }
            ')' if depth > 0 => {
                depth -= 1;
                note.push(c);
                if depth == 0 {
                    // "(See alternate address under Russia)" is a note about
                    // the list, not part of the address.
                    if !note.to_ascii_lowercase().starts_with("(see") {
                        out.push_str(&note);
                    }
                    note.clear();
                }
            }
            _ if depth > 0 => note.push(c),
            _ => out.push(c),
        }
    }
    out.push_str(&note);
    squash(&out).trim_end_matches(['.', ',', ';', ' ']).to_string()
}

/// Take bracketed notes that are not names: "(a subsidiary of …)",
/// "(affiliated with …)", "(Parent Organization: …)", "(See alternate
/// address under …)", "(Address: …)", "(DPRK individual)".
fn take_bracket_notes(s: &str, parts: &mut NameParts) -> String {
    const NOTE_PREFIXES: &[&str] = &[
        "a subsidiary of",
        "subsidiary of",
        "a subordinate",
        "subordinate",
        "affiliated with",
        "an affiliate of",
        "parent organization",
        "parent organisation",
        "see ",
        "including",
        "excluding",
        "of ",
        "all of preceding",
        "all of the preceding",
    ];
    let b = s.as_bytes();
    // Matching ')' of every '(' in one pass (a scan per '(' would be
    // quadratic on "((((…").
    let mut close_of = vec![usize::MAX; b.len()];
    let mut stack = Vec::new();
    for (i, &c) in b.iter().enumerate() {
        if c == b'(' {
            stack.push(i);
        } else if c == b')'
            && let Some(open) = stack.pop()
        {
            close_of[open] = i;
        }
    }
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        if b[i] == b'('
            && let Some(close) = Some(close_of[i]).filter(|&c| c != usize::MAX)
        {
            let inner = s[i + 1..close].trim();
            let lower = inner.to_ascii_lowercase();
            let mut take = false;
            if let Some(addr) = lower.strip_prefix("address:") {
                let start = inner.len() - addr.len();
                parts.addresses.push(clean_address(&inner[start..]));
                take = true;
            } else if NOTE_PREFIXES.iter().any(|p| lower.starts_with(p)) {
                parts.remarks.push(squash(inner));
                take = true;
            } else if lower.ends_with(" individual")
                || lower == "individual"
                || lower.contains(" individual in ")
            {
                parts.remarks.push(squash(inner));
                parts.person_hint = true;
                take = true;
            }
            if take {
                out.push_str(&s[last..i]);
                last = close + 1;
                i = close + 1;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&s[last..]);
    squash(&out)
}

/// Remove boilerplate that is not part of the name and keep it as a remark.
fn strip_boilerplate(s: &str, remarks: &mut Vec<String>) -> String {
    let mut s = s.trim().to_string();
    // Prefixes.
    for p in [
        "affiliated entity:",
        "subordinate institution -",
        "subordinate institution:",
        "subordinate institution –",
    ] {
        if s.len() >= p.len() && s.is_char_boundary(p.len()) && s[..p.len()].eq_ignore_ascii_case(p)
        {
            s = s[p.len()..].trim().to_string();
        }
    }
    // "<parent> subordinate institution: <child>": the listed party is the
    // child; the parent is context.
    let lower = s.to_ascii_lowercase();
    for p in
        [" subordinate institution:", " subordinate institution -", " subordinate institution –"]
    {
        if let Some(pos) = lower.find(p) {
            let parent = s[..pos].trim().to_string();
            let child = s[pos + p.len()..].trim().to_string();
            if child.chars().any(char::is_alphanumeric) {
                remarks.push(format!("subordinate institution of {parent}"));
                s = child;
            } else {
                s = parent;
            }
            break;
        }
    }
    // Suffixes: "…, and any successor, sub-unit, or subsidiary thereof",
    // "…, and its subunits and successors", "… and subsidiaries".
    let lower = s.to_ascii_lowercase();
    let mut cut: Option<usize> = None;
    for (pos, _) in lower.match_indices("and ") {
        if pos > 0 && lower.as_bytes()[pos - 1] != b' ' {
            continue;
        }
        let rest = &lower[pos + 4..];
        let mut r = rest;
        let mut determiner = false;
        for d in ["any ", "its ", "all ", "their ", "the "] {
            if let Some(x) = r.strip_prefix(d) {
                r = x;
                determiner = true;
                break;
            }
        }
        let sub = ["successor", "sub-unit", "subunit", "subsidiar", "subordinate"]
            .iter()
            .any(|w| r.starts_with(w) || r.starts_with(&format!("two {w}")));
        let before = lower[..pos].trim_end();
        let separated = before.ends_with([',', ';']);
        if sub || (determiner && separated && !r.starts_with("other")) {
            cut = Some(pos);
            break;
        }
    }
    for p in [", including ", "; including "] {
        if let Some(pos) = lower.find(p) {
            cut = Some(cut.map_or(pos, |c| c.min(pos)));
        }
    }
    if let Some(pos) = cut {
        let tail = s[pos..].trim_start_matches([',', ';', ' ']).to_string();
        let head = s[..pos].trim_end().trim_end_matches([',', ';', ' ']).to_string();
        if head.chars().any(char::is_alphanumeric) {
            remarks.push(tail);
            s = head;
        }
    }
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing unwrap is a failing test
mod tests {
    use super::*;

    fn names(raw: &str) -> Vec<(String, NameKind, Option<String>)> {
        split_name_field(raw, NameKind::Primary, None)
            .names
            .into_iter()
            .map(|n| (n.name, n.kind, n.via))
            .collect()
    }

    fn n(name: &str, kind: NameKind, via: Option<&str>) -> (String, NameKind, Option<String>) {
        (name.to_string(), kind, via.map(str::to_string))
    }

    #[test]
    fn aka_in_brackets() {
        assert_eq!(
            names("Mesbah Energy Company (a.k.a. “MEC”)"),
            vec![
                n("Mesbah Energy Company", NameKind::Primary, None),
                n("MEC", NameKind::Alias, Some("a.k.a."))
            ]
        );
        assert_eq!(
            names(
                "Southwest Institute of Nuclear Physics and Chemistry (a.k.a., China Academy of Engineering Physics (CAEP)'s 902 Institute)"
            ),
            vec![
                n("Southwest Institute of Nuclear Physics and Chemistry", NameKind::Primary, None),
                n(
                    "China Academy of Engineering Physics (CAEP)'s 902 Institute",
                    NameKind::Alias,
                    Some("a.k.a.")
                )
            ]
        );
    }

    #[test]
    fn unclosed_and_dangling() {
        assert_eq!(
            names("Gazprom Neft (a.k.a. Gazprom Neft OAO"),
            vec![
                n("Gazprom Neft", NameKind::Primary, None),
                n("Gazprom Neft OAO", NameKind::Alias, Some("a.k.a."))
            ]
        );
        assert_eq!(
            names("Sabanican Company (a.k.a."),
            vec![n("Sabanican Company", NameKind::Primary, None)]
        );
        assert_eq!(names("HPSTAR; and"), vec![n("HPSTAR", NameKind::Primary, None)]);
        assert_eq!(
            names("Xinjiang Leon Telecom; and Technology"),
            vec![n("Xinjiang Leon Telecom and Technology", NameKind::Primary, None)]
        );
    }

    #[test]
    fn fka_dba_formerly() {
        assert_eq!(
            names("Zorsecurity Center (f.k.a., Esage Lab)"),
            vec![
                n("Zorsecurity Center", NameKind::Primary, None),
                n("Esage Lab", NameKind::Former, Some("f.k.a."))
            ]
        );
        assert_eq!(
            names("SIBERIAN AIRLINES D/B/A S7 AIRLINES"),
            vec![
                n("SIBERIAN AIRLINES", NameKind::Primary, None),
                n("S7 AIRLINES", NameKind::TradingAs, Some("D/B/A"))
            ]
        );
        assert_eq!(
            names("Hoyuan Green Energy Co. Ltd. and formerly known as Wuxi Shangji CNC Co., Ltd"),
            vec![
                n("Hoyuan Green Energy Co. Ltd.", NameKind::Primary, None),
                n("Wuxi Shangji CNC Co., Ltd", NameKind::Former, Some("formerly known as"))
            ]
        );
        assert_eq!(
            names("Acme Trading, formerly Old Acme"),
            vec![
                n("Acme Trading", NameKind::Primary, None),
                n("Old Acme", NameKind::Former, Some("formerly"))
            ]
        );
        assert_eq!(
            names("Acme Holdings doing business as Acme Store"),
            vec![
                n("Acme Holdings", NameKind::Primary, None),
                n("Acme Store", NameKind::TradingAs, Some("doing business as"))
            ]
        );
        assert_eq!(
            names("Namhung Trading Corp., aka Namhung"),
            vec![
                n("Namhung Trading Corp.", NameKind::Primary, None),
                n("Namhung", NameKind::Alias, Some("aka"))
            ]
        );
        assert_eq!(
            names("Panchernikov, Igor a/k/a Maru, Mike"),
            vec![
                n("Panchernikov, Igor", NameKind::Primary, None),
                n("Maru, Mike", NameKind::Alias, Some("a/k/a"))
            ]
        );
        assert_eq!(
            names("Acme Ltd [aka Acme Limited] Branch"),
            vec![
                n("Acme Ltd Branch", NameKind::Primary, None),
                n("Acme Limited", NameKind::Alias, Some("aka"))
            ]
        );
        assert_eq!(
            names("Acme Ltd, also known as Acme Limited"),
            vec![
                n("Acme Ltd", NameKind::Primary, None),
                n("Acme Limited", NameKind::Alias, Some("also known as"))
            ]
        );
    }

    #[test]
    fn bare_words_inside_names_are_not_phrases() {
        assert_eq!(names("Dbaya Trading"), vec![n("Dbaya Trading", NameKind::Primary, None)]);
        assert_eq!(names("Akademik Fedorov"), vec![n("Akademik Fedorov", NameKind::Primary, None)]);
        assert_eq!(names("Kaka Aka Stores"), vec![n("Kaka Aka Stores", NameKind::Primary, None)]);
    }

    #[test]
    fn acronyms() {
        assert_eq!(
            names("Emal Bilal Construction Company (EBCC)"),
            vec![
                n("Emal Bilal Construction Company", NameKind::Primary, None),
                n("EBCC", NameKind::Acronym, Some("(...)"))
            ]
        );
        assert_eq!(
            names(
                "China Electronics Technology Group Corporation 38th Research Institute (CETC 38)"
            ),
            vec![
                n(
                    "China Electronics Technology Group Corporation 38th Research Institute",
                    NameKind::Primary,
                    None
                ),
                n("CETC 38", NameKind::Acronym, Some("(...)"))
            ]
        );
        for keep in [
            "AccoTest Technology Co., Ltd. (Hong Kong)",
            "Huawei Technologies (Yangon) Co., Ltd.",
            "Duling Technology (HK) Limited",
            "ACM Research (Shanghai)",
            "Yerevan Telecommunications Research Institute (YETRI) Closed Joint Stock Company (CJSC)",
            "HiSilicon Technologies Co., Ltd (HiSilicon)",
            "Foo Industries (H.K.)",
        ] {
            assert_eq!(names(keep).len(), 1, "{keep}");
            assert_eq!(names(keep)[0].0, keep);
        }
    }

    #[test]
    fn boilerplate() {
        let p = split_name_field(
            "Sinobright Import and Export Company; and any successor, sub-unit, or subsidiary thereof",
            NameKind::Primary,
            None,
        );
        assert_eq!(p.names.len(), 1);
        assert_eq!(p.names[0].name, "Sinobright Import and Export Company");
        assert_eq!(p.remarks, vec!["and any successor, sub-unit, or subsidiary thereof"]);
        let p = split_name_field(
            "Poly Technologies Incorporated (PTI), and its subunits and successors",
            NameKind::Primary,
            None,
        );
        assert_eq!(p.names[0].name, "Poly Technologies Incorporated");
        assert_eq!(p.names[1].name, "PTI");
        assert_eq!(p.names[1].kind, NameKind::Acronym);
        let p = split_name_field("Affiliated Entity: Acme Labs", NameKind::Primary, None);
        assert_eq!(p.names[0].name, "Acme Labs");
        let p = split_name_field("Subordinate Institution - Acme Labs", NameKind::Primary, None);
        assert_eq!(p.names[0].name, "Acme Labs");
        let p = split_name_field(
            "China Electronics Technology Group Corporation 13th Research Institute (CETC 13) subordinate institution: Bowei Integrated Circuits",
            NameKind::Primary,
            None,
        );
        assert_eq!(p.names[0].name, "Bowei Integrated Circuits");
        assert!(p.remarks[0].starts_with("subordinate institution of China Electronics"));
        let p = split_name_field(
            "CNOOC Limited (a subsidiary of China National Offshore Oil Corporation)",
            NameKind::Primary,
            None,
        );
        assert_eq!(p.names[0].name, "CNOOC Limited");
        assert_eq!(p.remarks, vec!["a subsidiary of China National Offshore Oil Corporation"]);
        let p = split_name_field("Acme Group, including Acme Shipping", NameKind::Primary, None);
        assert_eq!(p.names[0].name, "Acme Group");
        let p = split_name_field(
            "Ch'oe Ch'o'l-min (a.k.a Choe Chol Min) (DPRK individual)",
            NameKind::Primary,
            None,
        );
        assert!(p.person_hint);
        assert_eq!(p.names[0].name, "Ch'oe Ch'o'l-min");
        assert_eq!(p.names[1].name, "Choe Chol Min");
    }

    #[test]
    fn following_aliases_boilerplate() {
        assert_eq!(
            names("National Development Complex (NDC), a.k.a., the following two aliases:"),
            vec![
                n("National Development Complex", NameKind::Primary, None),
                n("NDC", NameKind::Acronym, Some("(...)"))
            ]
        );
    }

    #[test]
    fn glued_addresses() {
        let p = split_name_field(
            "Alexander Kuznetsov, Ordzhonikidze 10, Moscow, Russia 119071; and 10 Ordjonikidze Street, Moscow, Russia 119071",
            NameKind::Alias,
            Some("aliases"),
        );
        assert_eq!(p.names[0].name, "Alexander Kuznetsov");
        assert_eq!(
            p.addresses,
            vec![
                "Ordzhonikidze 10, Moscow, Russia 119071",
                "10 Ordjonikidze Street, Moscow, Russia 119071"
            ]
        );
        let p = split_name_field(
            "Huawei Software Technologies Co. Ltd. 300 South Oak Way, Green Park, Reading, RG2 6UF; and 6 Mitre Passage, SE 10 0ER, United Kingdom",
            NameKind::Alias,
            None,
        );
        assert_eq!(p.names[0].name, "Huawei Software Technologies Co. Ltd.");
        let p = split_name_field(
            "Ship Repair Center Zvezdochka. 12, proyezd Mashinostroiteley, Severodvinsk, Arkhangelskaya Oblast 164509, Russia. (See alternate address in Crimea region of Ukraine)",
            NameKind::Alias,
            None,
        );
        assert_eq!(p.names[0].name, "Ship Repair Center Zvezdochka");
        assert_eq!(p.addresses.len(), 1);
        let p = split_name_field(
            "Enrich Ever Technologies Co., 9F No. 38 Ming-Fu 13th Street, Taoyuan, Taiwan; and 8F, No. 431, Da-You Road, Taoyuan, Taiwan",
            NameKind::Alias,
            None,
        );
        assert_eq!(p.names[0].name, "Enrich Ever Technologies Co.");
        assert_eq!(p.addresses.len(), 2);
    }

    #[test]
    fn semicolons() {
        assert_eq!(
            names("IRGC Air Force; IRGCAF"),
            vec![
                n("IRGC Air Force", NameKind::Primary, None),
                n("IRGCAF", NameKind::Alias, Some(";"))
            ]
        );
    }

    #[test]
    fn alias_cleaning_and_dedupe() {
        assert_eq!(
            clean_alias("Shijiazhuang Communication Observation and Control Technology Institute."),
            "Shijiazhuang Communication Observation and Control Technology Institute"
        );
        assert_eq!(
            clean_alias("Beijing Hangxing Machinery Manufacturing Corporation., Ltd."),
            "Beijing Hangxing Machinery Manufacturing Corporation., Ltd."
        );
        assert_eq!(clean_alias("and CETC Research Institute 13"), "CETC Research Institute 13");
        assert_eq!(
            clean_alias("Joint Stock Company Ship Repair Center 'Zvezdochka;'"),
            "Joint Stock Company Ship Repair Center 'Zvezdochka;'"
        );
        assert_eq!(clean_alias("Acme,;"), "Acme");
        let d = dedupe_names(vec![
            EntryName { name: "Acme Ltd.".into(), kind: NameKind::Primary, via: None },
            EntryName { name: "ACME LTD".into(), kind: NameKind::Alias, via: None },
            EntryName { name: "...".into(), kind: NameKind::Alias, via: None },
        ]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, NameKind::Primary);
    }

    #[test]
    fn adversarial_input_stays_fast() {
        // Shapes that would be quadratic with naive scans; 64 KiB each.
        let inputs = [
            "(".repeat(64 * 1024),
            "a, ".repeat(20_000) + "; and 1 Road",
            "x".to_string() + &" and,".repeat(12_000),
            "(see a)".repeat(9_000),
            "a.k.a. ".repeat(9_000),
            "A; ".repeat(20_000),
        ];
        let start = std::time::Instant::now();
        for s in &inputs {
            let _ = split_name_field(s, NameKind::Primary, None);
            let _ = clean_alias(s);
        }
        // Debug build, shared CI machine: generous, but far below quadratic.
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "{:?}", start.elapsed());
    }

    #[test]
    fn pathological_input_does_not_panic() {
        for s in [
            "(",
            ")",
            "((((a.k.a.",
            "a.k.a.",
            "; and",
            "(a.k.a. (f.k.a. [aka",
            "é(a.k.a. ü)",
            "a.k.a. a.k.a. a.k.a.",
            "(((())))",
        ] {
            let _ = split_name_field(s, NameKind::Primary, None);
        }
        let long = "a.k.a. x ".repeat(200);
        let p = split_name_field(&long, NameKind::Primary, None);
        assert!(!p.names.is_empty());
    }
}
