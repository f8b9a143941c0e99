//! FollowTheMoney entities, one JSON object per line (OpenSanctions
//! exports): `{"id", "schema", "properties": {name: [...], ...}, "datasets"}`.
//!
//! Matchable schemata: `Person`; `Company`, `Organization`, `LegalEntity`,
//! `PublicBody` (organisations); `Vessel`; `Airplane` (aircraft). Other
//! schemata (`Address`, `Sanction`, `Ownership`, `Payment`, …) are skipped
//! silently and counted in [`crate::LoadedFile::skipped_records`];
//! `Address` entities are still used to resolve `addressEntity` references
//! within the same file.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::malformed;
use crate::entry::{Address, EntitySchema, NameKind};
use crate::error::Result;
use crate::validate::{RawEntry, Sink, hashed_id};

fn schema_of(s: &str) -> Option<EntitySchema> {
    Some(match s {
        "Person" => EntitySchema::Person,
        "Company" | "Organization" | "LegalEntity" | "PublicBody" => EntitySchema::Organization,
        "Vessel" => EntitySchema::Vessel,
        "Airplane" => EntitySchema::Aircraft,
        _ => return None,
    })
}

/// Property -> identifier kind.
const ID_PROPS: &[(&str, &str)] = &[
    ("idNumber", "id_number"),
    ("registrationNumber", "registration_number"),
    ("taxNumber", "tax_number"),
    ("imoNumber", "imo"),
    ("mmsi", "mmsi"),
    ("callSign", "call_sign"),
    ("innCode", "inn"),
    ("ogrnCode", "ogrn"),
    ("okpoCode", "okpo"),
    ("leiCode", "lei"),
    ("swiftBic", "swift_bic"),
    ("passportNumber", "passport"),
    ("uscCode", "uscc"),
    ("vatCode", "vat"),
    ("dunsCode", "duns"),
    ("email", "email"),
    ("website", "website"),
    ("phone", "phone"),
];

fn strings<'a>(props: &'a Map<String, Value>, key: &str) -> impl Iterator<Item = &'a str> + 'a {
    props
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

pub(crate) fn parse(text: &str, sink: &mut Sink) -> Result<()> {
    let fallback_list = super::stem_code(&sink.path);
    let max = sink.opts().max_field_bytes;
    // First pass: parse every line, keep Address entities for references.
    let mut records: Vec<(u64, Map<String, Value>)> = Vec::new();
    let mut address_entities: HashMap<String, (String, Option<String>)> = HashMap::new();
    let mut parsed_any = false;
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        if l.len() > max.saturating_mul(16) {
            sink.bad(
                Some(line_no),
                format!("line is {} bytes, far over the field limit", l.len()),
            )?;
            continue;
        }
        let v: Value = match serde_json::from_str(l) {
            Ok(v) => v,
            Err(e) => {
                sink.bad(Some(line_no), format!("invalid JSON: {e}"))?;
                continue;
            }
        };
        let Value::Object(o) = v else {
            sink.bad(Some(line_no), "line is not a JSON object")?;
            continue;
        };
        parsed_any = true;
        if o.get("schema").and_then(Value::as_str) == Some("Address")
            && let (Some(id), Some(props)) = (
                o.get("id").and_then(Value::as_str),
                o.get("properties").and_then(Value::as_object),
            )
        {
            let full = strings(props, "full").next().map(str::to_string).or_else(|| {
                let parts: Vec<&str> = ["street", "city", "postalCode", "region"]
                    .iter()
                    .flat_map(|k| strings(props, k).next())
                    .collect();
                (!parts.is_empty()).then(|| parts.join(", "))
            });
            if let Some(full) = full {
                let country = strings(props, "country").next().map(str::to_string);
                address_entities.insert(id.to_string(), (full, country));
            }
        }
        records.push((line_no, o));
    }
    if !parsed_any && sink.bad.is_empty() {
        return Err(malformed(&sink.path, Some(1), "no JSON lines"));
    }
    for (line, o) in records {
        let schema_name = o.get("schema").and_then(Value::as_str).unwrap_or("");
        let Some(schema) = schema_of(schema_name) else {
            if schema_name.is_empty() {
                sink.bad(Some(line), "entity has no `schema`")?;
            } else {
                sink.skipped_records += 1;
            }
            continue;
        };
        let props = o.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
        if let Some((k, len)) = props
            .iter()
            .flat_map(|(k, v)| {
                v.as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(move |s| (k, s.len()))
            })
            .max_by_key(|(_, l)| *l)
            .filter(|(_, l)| *l > max)
        {
            sink.bad(
                Some(line),
                format!("property `{k}` is {len} bytes, over the limit of {max} bytes"),
            )?;
            continue;
        }
        let list = o
            .get("datasets")
            .and_then(Value::as_array)
            .and_then(|d| d.iter().filter_map(Value::as_str).next())
            .map(str::to_string)
            .unwrap_or_else(|| fallback_list.clone());
        let mut raw = RawEntry { list: list.clone(), schema: Some(schema), ..Default::default() };
        let mut names = strings(&props, "name");
        if let Some(first) = names.next() {
            raw.name(first, NameKind::Primary, None);
        }
        for n in names {
            raw.name(n, NameKind::Alias, Some("name"));
        }
        for (prop, kind) in [
            ("alias", NameKind::Alias),
            ("weakAlias", NameKind::Weak),
            ("previousName", NameKind::Former),
            ("abbreviation", NameKind::Acronym),
        ] {
            for n in strings(&props, prop) {
                raw.name(n, kind, Some(prop));
            }
        }
        for prop in ["country", "nationality", "citizenship", "jurisdiction", "mainCountry", "flag"]
        {
            for c in strings(&props, prop) {
                raw.country(c);
            }
        }
        for a in strings(&props, "address") {
            raw.address(a, None);
        }
        for r in strings(&props, "addressEntity") {
            if let Some((full, country)) = address_entities.get(r) {
                let code = country.as_deref().and_then(crate::country::country_code);
                if let Some(c) = code {
                    raw.countries.push(c.to_string());
                }
                raw.addresses.push(Address {
                    full: crate::text::squash(full),
                    country: code.map(str::to_string),
                });
            }
        }
        for d in strings(&props, "birthDate") {
            raw.date("birth", d);
        }
        for d in strings(&props, "incorporationDate") {
            raw.date("incorporated", d);
        }
        for (prop, kind) in ID_PROPS {
            for v in strings(&props, prop) {
                raw.identifier(kind, v, None);
            }
        }
        for p in strings(&props, "program") {
            raw.programs.push(p.to_string());
        }
        for n in strings(&props, "notes") {
            raw.remark(n);
        }
        raw.id = match o.get("id").and_then(Value::as_str).map(str::trim) {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => {
                let name = raw.names.first().map(|n| n.name.clone()).unwrap_or_default();
                let country = raw.countries.first().cloned();
                hashed_id(&list, &name, country.as_deref())
            }
        };
        raw.raw = Value::Object(o);
        sink.accept(raw, Some(line))?;
    }
    Ok(())
}
