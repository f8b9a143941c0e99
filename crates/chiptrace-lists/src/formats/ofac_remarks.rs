//! The free-text `Remarks` column of OFAC's legacy CSV files.
//!
//! OFAC packs aliases, birth data, nationality, identity documents and links
//! into one `;`-separated text: `DOB 19 Jun 1951; POB Giza, Egypt; Passport
//! 1084010 (Egypt); alt. Passport 19820215; a.k.a. 'ABU-'UMAR'.` Items this
//! module recognises become structured facts; everything else (including
//! `Linked To: …`, `POB …`, sanctions notes) stays in the entry's remarks,
//! so nothing is lost.

use crate::entry::NameKind;
use crate::validate::RawEntry;

/// `(label as OFAC writes it, identifier kind)`. Longer labels first where
/// one is a prefix of another ("Company Number IMO" before "Company Number").
const ID_LABELS: &[(&str, &str)] = &[
    ("Unified Social Credit Code (USCC)", "uscc"),
    ("Vessel Registration Identification IMO", "imo"),
    ("Identification Number IMO", "imo"),
    ("Company Number IMO", "imo_company"),
    ("Aircraft Manufacturer's Serial Number (MSN)", "aircraft_msn"),
    (
        "Aircraft Construction Number (also called L/N or S/N or F/N)",
        "aircraft_construction_number",
    ),
    ("Aircraft Tail Number", "aircraft_tail_number"),
    ("Economic Register Number (CBLS)", "economic_register_number"),
    ("Central Registration System Number", "central_registration_system_number"),
    ("Business Registration Document #", "business_registration_document"),
    ("Business Registration Number", "business_registration_number"),
    ("Commercial Registry Number", "commercial_registry_number"),
    ("Public Registration Number", "public_registration_number"),
    ("Government Gazette Number", "government_gazette_number"),
    ("Chamber of Commerce Number", "chamber_of_commerce_number"),
    ("Istanbul Chamber of Comm. No.", "istanbul_chamber_of_commerce_number"),
    ("Birth Certificate Number", "birth_certificate_number"),
    ("Registration Number", "registration_number"),
    ("Registration ID", "registration_id"),
    ("Legal Entity Number", "lei"),
    ("Identification Number", "identification_number"),
    ("National ID No.", "national_id"),
    ("Tax ID No.", "tax_id"),
    ("Company Number", "company_number"),
    ("Trade License No.", "trade_license"),
    ("Driver's License No.", "drivers_license"),
    ("Folio Mercantil No.", "folio_mercantil"),
    ("Matricula Mercantil No", "matricula_mercantil"),
    ("Cedula No.", "cedula"),
    ("V.A.T. Number", "vat"),
    ("D-U-N-S Number", "duns"),
    ("Passport", "passport"),
    ("SWIFT/BIC", "swift_bic"),
    ("C.R. No.", "commercial_registration"),
    ("C.U.I.T.", "cuit"),
    ("C.U.R.P.", "curp"),
    ("R.F.C.", "rfc"),
    ("D.N.I.", "dni"),
    ("NIT #", "nit"),
    ("RUC #", "ruc"),
    ("RIF #", "rif"),
    ("SSN", "ssn"),
    ("ISIN", "isin"),
    ("MMSI", "mmsi"),
    ("IMO", "imo"),
    ("Website", "website"),
    ("Email Address", "email"),
    ("Phone Number", "phone"),
    ("Telephone", "phone"),
    ("Fax", "fax"),
    ("License", "license"),
];

/// The identifier kind of an OFAC label written on its own ("Tax ID No.",
/// "V.A.T. Number", "Passport"), as trade.gov's `ids` column writes them.
pub(crate) fn kind_for_label(label: &str) -> Option<&'static str> {
    let norm = |s: &str| s.trim().trim_end_matches(['.', ':', '#', ' ', '-']).to_ascii_lowercase();
    let want = norm(label);
    ID_LABELS.iter().find(|(l, _)| norm(l) == want).map(|(_, k)| *k)
}

/// Short identifier kind for a document/identifier type written out in
/// words by any list ("National Identification Number", "Número de
/// pasaporte", "Tax ID No."): the OFAC label kinds, plus common synonyms;
/// anything else lower-cased as written.
pub(crate) fn identifier_kind(label: &str) -> String {
    if let Some(k) = kind_for_label(label) {
        return k.to_string();
    }
    let k = label.trim().trim_end_matches(['.', ':']).to_lowercase();
    if k.contains("passport") || k.contains("pasaporte") || k.contains("passeport") {
        return "passport".to_string();
    }
    match k.as_str() {
        "national identification number"
        | "national id"
        | "national identity card"
        | "identity card"
        | "id card"
        | "national identity number" => "national_id".to_string(),
        "vessel registration identification" | "imo number" => "imo".to_string(),
        _ => k,
    }
}

/// Apply the facts of one Remarks text to an entry.
pub(crate) fn apply(remarks: &str, raw: &mut RawEntry) {
    let text = remarks.trim().trim_end_matches('.');
    for item in split_items(text) {
        apply_item(item.trim(), raw);
    }
}

/// Split on "; " (OFAC's item separator). A `;` inside a quoted alias is
/// rare enough that quotes are not tracked: apostrophes occur inside names
/// (`'ABU-'UMAR'`), so quote tracking would do more harm than good.
fn split_items(text: &str) -> impl Iterator<Item = &str> {
    text.split("; ").flat_map(|s| s.split(";\t")).filter(|s| !s.trim().is_empty())
}

fn apply_item(item: &str, raw: &mut RawEntry) {
    let item = item.trim().trim_end_matches('.').trim();
    if item.is_empty() {
        return;
    }
    let body = item.strip_prefix("alt. ").unwrap_or(item).trim();
    let lower = body.to_ascii_lowercase();
    // Aliases: a.k.a. 'X' (strong), a.k.a. "X" (weak), f.k.a. 'Y', n.k.a. 'Z'.
    for (phrase, kind) in
        [("a.k.a.", NameKind::Alias), ("f.k.a.", NameKind::Former), ("n.k.a.", NameKind::Alias)]
    {
        if let Some(rest) = lower.strip_prefix(phrase) {
            let rest = body[body.len() - rest.len()..].trim().trim_start_matches(',').trim();
            let weak = rest.starts_with('"') || rest.starts_with('“');
            let name = crate::text::strip_quotes(rest);
            if weak {
                raw.name(name, NameKind::Weak, Some(&format!("{phrase} (weak)")));
            } else {
                raw.name(name, kind, Some(phrase));
            }
            return;
        }
    }
    if let Some(rest) = strip_label(body, "DOB") {
        raw.date("birth", rest);
        return;
    }
    for label in ["nationality", "citizen"] {
        if let Some(rest) = strip_label(body, label) {
            raw.country(rest);
            raw.remark(item);
            return;
        }
    }
    if let Some(rest) = strip_label(body, "Digital Currency Address -") {
        // "XBT 12QtD5…": the currency code becomes part of the kind.
        let (cur, addr) = rest.split_once(' ').unwrap_or(("", rest));
        let kind = if cur.is_empty() {
            "digital_currency_address".to_string()
        } else {
            format!("digital_currency_address_{}", cur.to_ascii_lowercase())
        };
        raw.identifier(&kind, addr, None);
        return;
    }
    for (label, kind) in ID_LABELS {
        if let Some(rest) = strip_label(body, label) {
            let rest = rest.trim_start_matches(['#', ':']).trim();
            // "Vessel Registration Identification IMO 7406784" and
            // "IMO 7406784" both give kind imo, value 7406784.
            let (value, country) = value_and_country(rest);
            if !value.is_empty() {
                raw.identifier(kind, &value, country.as_deref());
                return;
            }
        }
    }
    // "Gender Male" is kept as a remark; the type column already says
    // individual vs entity.
    raw.remark(item);
}

/// `body` minus a leading `label` followed by a space, case-sensitive for
/// labels with capitals (OFAC is consistent), else case-insensitive.
fn strip_label<'a>(body: &'a str, label: &str) -> Option<&'a str> {
    if body.len() <= label.len() || !body.is_char_boundary(label.len()) {
        return None;
    }
    let (head, tail) = body.split_at(label.len());
    let same = if label.chars().any(|c| c.is_ascii_uppercase()) {
        head == label
    } else {
        head.eq_ignore_ascii_case(label)
    };
    if same && (tail.starts_with(' ') || label.ends_with(' ') || label.ends_with('-')) {
        Some(tail.trim_start())
    } else {
        None
    }
}

/// "A755350 (Saudi Arabia) issued 08 Sep 2006 expires 17 Jul 2011" ->
/// ("A755350", Some("Saudi Arabia")). The issue/expiry dates are dropped
/// from the value (the raw record keeps them).
pub(crate) fn value_and_country(rest: &str) -> (String, Option<String>) {
    let mut v = rest.trim().to_string();
    let lower = v.to_ascii_lowercase();
    for stop in [" issued ", " expires ", " expire ", " issue date ", " valid until "] {
        if let Some(pos) = lower.find(stop) {
            v.truncate(pos.min(v.len()));
            break;
        }
    }
    let mut country = None;
    let t = v.trim_end().trim_end_matches('.').to_string();
    if t.ends_with(')') {
        if let Some(open) = t.rfind('(') {
            let inner = t[open + 1..t.len() - 1].trim();
            if crate::country::country_code(inner).is_some() {
                country = Some(inner.to_string());
                v = t[..open].to_string();
            } else {
                v = t;
            }
        } else {
            v = t;
        }
    } else {
        v = t;
    }
    (crate::text::squash(v.trim().trim_end_matches([',', '-', ' '])), country)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing unwrap is a failing test
mod tests {
    use super::*;

    #[test]
    fn remarks_to_facts() {
        let mut raw = RawEntry::default();
        apply(
            "DOB 19 Jun 1951; POB Giza, Egypt; Passport 1084010 (Egypt); alt. Passport 19820215; nationality Egypt; a.k.a. 'ABU-'UMAR'; f.k.a. 'OLD NAME'; a.k.a. \"WEAKLING\"; Linked To: HIZBALLAH; Unified Social Credit Code (USCC) 9113100033607322XK (China); Vessel Registration Identification IMO 7406784; MMSI 572469210; Website www.example.cn; Email Address info@example.cn.",
            &mut raw,
        );
        assert_eq!(raw.dates[0].value, "1951-06-19");
        assert_eq!(raw.countries, vec!["EG"]);
        let names: Vec<(&str, NameKind)> =
            raw.names.iter().map(|n| (n.name.as_str(), n.kind)).collect();
        assert_eq!(
            names,
            vec![
                ("ABU-'UMAR", NameKind::Alias),
                ("OLD NAME", NameKind::Former),
                ("WEAKLING", NameKind::Weak)
            ]
        );
        let ids: Vec<(&str, &str, Option<&str>)> = raw
            .identifiers
            .iter()
            .map(|i| (i.kind.as_str(), i.value.as_str(), i.country.as_deref()))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("passport", "1084010", Some("EG")),
                ("passport", "19820215", None),
                ("uscc", "9113100033607322XK", Some("CN")),
                ("imo", "7406784", None),
                ("mmsi", "572469210", None),
                ("website", "www.example.cn", None),
                ("email", "info@example.cn", None),
            ]
        );
        assert!(raw.remarks.iter().any(|r| r == "POB Giza, Egypt"));
        assert!(raw.remarks.iter().any(|r| r == "Linked To: HIZBALLAH"));
    }

    #[test]
    fn values() {
        assert_eq!(
            value_and_country("G 649385 issued 08 Sep 2006 expires 17 Jul 2011"),
            ("G 649385".to_string(), None)
        );
        assert_eq!(
            value_and_country("A755350 (Saudi Arabia)"),
            ("A755350".to_string(), Some("Saudi Arabia".to_string()))
        );
        assert_eq!(
            value_and_country("92/664 (Egypt)."),
            ("92/664".to_string(), Some("Egypt".to_string()))
        );
    }
}
