//! The JSON list layout of `us_restricted_party_lists_*`:
//! `{list_id, source_file, extracted, count, entities: [{name, aliases,
//! country, address, status, effective_date, federal_register, notes}]}`.
//!
//! The entities have no ids; see [`crate::validate::hashed_id`].

use serde_json::Value;

use super::{json_element_lines, json_error, malformed, slug};
use crate::entry::NameKind;
use crate::error::Result;
use crate::infer::{Prior, infer_schema};
use crate::names::{clean_alias, split_name_field};
use crate::validate::{RawEntry, Sink, hashed_id, normalise_for_id};

/// List code of a `list_id`. Codes are shared with the trade.gov CSL
/// mapping so the same list loaded from two sources has one code.
pub(crate) fn list_code(list_id: &str) -> String {
    match list_id.trim() {
        "bis-entity-list" => "us_bis_entity_list".to_string(),
        "bis-dpl" => "us_bis_dpl".to_string(),
        "bis-meu" => "us_bis_meu".to_string(),
        "bis-uvl" => "us_bis_uvl".to_string(),
        // The NS-CMIC list is the CSL's "CMIC" source.
        "ofac-nscmic" => "us_ofac_cmic".to_string(),
        // State's ISN master table is the CSL's "ISN" source.
        "state-nonproliferation" => "us_state_isn".to_string(),
        // The statutory debarment list is the CSL's "DTC" (ITAR Debarred).
        "state-debarred-statutory" => "us_state_dtc".to_string(),
        "state-debarred-admin" => "us_state_dtc_admin".to_string(),
        other => format!("us_{}", slug(other)),
    }
}

/// Type prior per list: the denial/debarment lists are mostly people.
pub(crate) fn prior_for(list: &str) -> Prior {
    match list {
        "us_bis_dpl" | "us_state_dtc" | "us_state_dtc_admin" => Prior::PersonUnlessOrg,
        _ => Prior::OrgUnlessPerson,
    }
}

fn str_field<'a>(e: &'a serde_json::Map<String, Value>, key: &str) -> Option<&'a str> {
    e.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

pub(crate) fn parse(text: &str, sink: &mut Sink) -> Result<()> {
    let doc: Value = serde_json::from_str(text).map_err(|e| json_error(&sink.path, &e))?;
    let Value::Object(mut obj) = doc else {
        return Err(malformed(
            &sink.path,
            Some(1),
            "expected a JSON object with `list_id` and `entities`",
        ));
    };
    let Some(Value::Array(entities)) = obj.remove("entities") else {
        return Err(malformed(&sink.path, Some(1), "no `entities` array"));
    };
    let list = match obj.get("list_id").and_then(Value::as_str) {
        Some(id) if !id.trim().is_empty() => list_code(id),
        _ => super::stem_code(&sink.path),
    };
    let prior = prior_for(&list);
    let lines = json_element_lines(text, Some("entities"));
    for (i, e) in entities.into_iter().enumerate() {
        let line = Some(lines.get(i).copied().unwrap_or(i as u64 + 1));
        let Value::Object(e) = e else {
            sink.bad(line, format!("entity #{} is not a JSON object", i + 1))?;
            continue;
        };
        match entity(e, &list, prior, sink) {
            Ok(raw) => sink.accept(raw, line)?,
            Err(msg) => sink.bad(line, msg)?,
        }
    }
    Ok(())
}

fn entity(
    e_owned: serde_json::Map<String, Value>,
    list: &str,
    prior: Prior,
    sink: &Sink,
) -> std::result::Result<RawEntry, String> {
    let e = &e_owned;
    let name = match e.get("name") {
        Some(Value::String(s)) => s.as_str(),
        Some(Value::Null) | None => return Err("missing `name`".to_string()),
        Some(other) => {
            return Err(format!("`name` is not a string: {}", crate::validate::describe(other)));
        }
    };
    sink.check_len("name", name)?;
    for (k, v) in e {
        if let Value::String(s) = v {
            sink.check_len(k, s)?;
        }
    }
    let mut raw = RawEntry { list: list.to_string(), ..Default::default() };

    let country_text = str_field(e, "country");
    let country = country_text.and_then(|c| {
        crate::country::country_code(c)
            .or_else(|| crate::country::countries_in_text(c).first().copied())
    });
    if let Some(c) = country_text {
        raw.country(c);
    }
    // The id hashes the name as published and the country (code when known,
    // else the normalised header text).
    let country_key = match (country, country_text) {
        (Some(code), _) => code.to_string(),
        (None, Some(t)) => normalise_for_id(t),
        (None, None) => String::new(),
    };
    raw.id = hashed_id(list, name, Some(&country_key));

    let mut person_hint = false;
    let primary = split_name_field(name, NameKind::Primary, None);
    person_hint |= primary.person_hint;
    raw.names.extend(primary.names);
    for r in primary.remarks {
        raw.remark(r);
    }
    let mut glued = primary.addresses;
    if let Some(aliases) = e.get("aliases").and_then(Value::as_array) {
        for a in aliases.iter().filter_map(Value::as_str) {
            let cleaned = clean_alias(a);
            if cleaned.is_empty() {
                continue;
            }
            let parts = split_name_field(&cleaned, NameKind::Alias, Some("aliases"));
            raw.names.extend(parts.names);
            for r in parts.remarks {
                raw.remark(r);
            }
            glued.extend(parts.addresses);
        }
    }

    if let Some(address) = str_field(e, "address") {
        for part in split_and_list(address) {
            raw.address(&part, country);
        }
    }
    for a in glued {
        raw.address(&a, country);
    }

    if let Some(fr) = str_field(e, "federal_register") {
        raw.federal_register = Some(fr.to_string());
    }
    if let Some(d) = str_field(e, "effective_date") {
        raw.date("effective", d);
    }
    if let Some(s) = str_field(e, "status") {
        raw.remark(format!("status: {s}"));
    }
    if let Some(notes) = str_field(e, "notes") {
        if list == "us_bis_entity_list" {
            // The Entity List's fourth column is the license requirement.
            raw.license_requirement = Some(notes.to_string());
        } else {
            raw.remark(notes);
            person_hint |= notes_facts(notes, &mut raw);
        }
    }
    let primary_name = raw.names.first().map(|n| n.name.clone()).unwrap_or_default();
    raw.schema = Some(infer_schema(&primary_name, prior, person_hint));
    raw.raw = Value::Object(e_owned);
    Ok(raw)
}

/// Split an address field into addresses: the eCFR separates them with
/// "; and" (and the third-party parse sometimes with a bare ";"). "(See
/// alternate addresses under X)" notes are dropped from the text.
pub(crate) fn split_and_list(address: &str) -> Vec<String> {
    address
        .split(';')
        .map(|a| {
            let a = a.trim();
            let a = a.strip_prefix("and ").unwrap_or(a);
            strip_see_notes(a)
        })
        .filter(|a| a.chars().any(char::is_alphanumeric))
        .collect()
}

fn strip_see_notes(a: &str) -> String {
    let lower = a.to_ascii_lowercase();
    let mut out = String::with_capacity(a.len());
    let mut pos = 0;
    while let Some(rel) = lower[pos..].find("(see ") {
        let open = pos + rel;
        out.push_str(&a[pos..open]);
        pos = a[open..].find(')').map(|c| open + c + 1).unwrap_or(a.len());
    }
    out.push_str(&a[pos..]);
    crate::text::squash(&out).trim_end_matches(['.', ',', ';', ' ']).to_string()
}

/// Facts in the `notes` of the non-EL lists: "Date of birth: October, 1983",
/// "USCC: 91110000MA005UCQ5P (China)", "Program: CMIC-EO13959",
/// "Listing Date (CMIC): 03 Jun 2021". Returns true if a birth date was
/// found (evidence of a person).
fn notes_facts(notes: &str, raw: &mut RawEntry) -> bool {
    let mut person = false;
    for item in notes.split(';') {
        let Some((k, v)) = item.split_once(':') else { continue };
        let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().trim_end_matches('.'));
        if v.is_empty() {
            continue;
        }
        match k.as_str() {
            "date of birth" | "dob" => {
                raw.date("birth", v);
                person = true;
            }
            "uscc" | "unified social credit code" => {
                let (value, country) = super::ofac_remarks::value_and_country(v);
                raw.identifier("uscc", &value, country.as_deref());
            }
            "program" | "programs" => {
                for p in v.split(['/', ',']) {
                    raw.programs.push(p.trim().to_string());
                }
            }
            k if k.starts_with("listing date") => raw.date("listed", v),
            _ => {}
        }
    }
    person
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing unwrap is a failing test
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(list_code("bis-entity-list"), "us_bis_entity_list");
        assert_eq!(list_code("bis-dpl"), "us_bis_dpl");
        assert_eq!(list_code("dow-1260h"), "us_dow_1260h");
        assert_eq!(list_code("dhs-uflpa"), "us_dhs_uflpa");
    }

    #[test]
    fn address_split() {
        assert_eq!(
            split_and_list(
                "501, 5th Floor, Kabul, Afghanistan; and Flat No. 41, Kabul, Afghanistan. (See alternate addresses under Pakistan)."
            ),
            vec!["501, 5th Floor, Kabul, Afghanistan", "Flat No. 41, Kabul, Afghanistan"]
        );
        assert_eq!(
            split_and_list("1 A Road, Kowloon, Hong Kong; 2 B Road, Hong Kong"),
            vec!["1 A Road, Kowloon, Hong Kong", "2 B Road, Hong Kong"]
        );
    }
}
