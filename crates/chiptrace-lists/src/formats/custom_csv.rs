//! A user's own CSV list, read through a [`CustomCsvMapping`].

use serde_json::{Map, Value};

use super::{malformed, stem_code};
use crate::entry::{EntitySchema, NameKind};
use crate::error::{ListError, Result};
use crate::infer::{Prior, infer_schema};
use crate::mapping::{CustomCsvMapping, ListCode};
use crate::names::{clean_alias, split_name_field};
use crate::validate::{RawEntry, Sink, hashed_id};

pub(crate) fn parse(text: &str, mapping: &CustomCsvMapping, sink: &mut Sink) -> Result<()> {
    let path = sink.path.clone();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(mapping.delimiter)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|s| s.trim().trim_start_matches('\u{feff}').to_string()).collect(),
        Err(e) => return Err(malformed(&path, Some(1), format!("unreadable CSV header: {e}"))),
    };
    if headers.iter().all(String::is_empty) {
        return Err(malformed(&path, Some(1), "empty CSV header"));
    }
    // Resolve every mapped column up front: a typo in the mapping is a user
    // error that must name the column and show what the header does hold.
    let find = |col: &str| -> Option<usize> {
        headers
            .iter()
            .position(|h| h == col)
            .or_else(|| headers.iter().position(|h| h.eq_ignore_ascii_case(col.trim())))
    };
    let mut idx = std::collections::HashMap::new();
    for (field, col) in mapping.columns() {
        match find(col) {
            Some(i) => {
                idx.insert(field, i);
            }
            None => {
                return Err(ListError::Mapping(format!(
                    "column `{col}` (mapped to {field}) is not in the header of {}; the header is: {}",
                    path.display(),
                    headers.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ")
                )));
            }
        }
    }
    let stem = stem_code(&path);
    let sep = mapping.alias_separator.as_str();
    let split = |s: &str| -> Vec<String> {
        s.split(sep).map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect()
    };
    let max = sink.opts().max_field_bytes;
    super::for_each_record(&mut rdr, text, &path, sink, super::all_blank, |line, rec, sink| {
        if let Err(msg) = super::check_shape(rec, &headers, max) {
            return Ok(Err(msg));
        }
        let get = |field: &str| -> Option<String> {
            idx.get(field)
                .and_then(|&i| rec.get(i))
                .map(crate::text::squash)
                .filter(|s| !s.is_empty())
        };
        let list = match &mapping.list {
            ListCode::FileStem => stem.clone(),
            ListCode::Constant(c) => c.clone(),
            ListCode::Column(_) => get("list_column").unwrap_or_else(|| stem.clone()),
        };
        let Some(name) = get("name") else {
            return Ok(Err(format!("empty name column `{}`", mapping.name)));
        };
        let mut raw = RawEntry { list: list.clone(), ..Default::default() };
        let primary = split_name_field(&name, NameKind::Primary, None);
        let mut person_hint = primary.person_hint;
        raw.names.extend(primary.names);
        for r in primary.remarks {
            raw.remark(r);
        }
        if let Some(a) = get("aliases") {
            for alias in split(&a) {
                let parts =
                    split_name_field(&clean_alias(&alias), NameKind::Alias, Some("aliases"));
                raw.names.extend(parts.names);
            }
        }
        let country = get("country");
        let country_code = country.as_deref().and_then(crate::country::country_code);
        if let Some(c) = &country {
            for c in split(c) {
                raw.country(&c);
            }
        }
        if let Some(a) = get("address") {
            for a in split(&a) {
                raw.address(&a, country_code);
            }
        }
        if let Some(d) = get("dob") {
            for d in split(&d) {
                raw.date("birth", &d);
                person_hint = true;
            }
        }
        if let Some(ids) = get("identifiers") {
            for item in split(&ids) {
                match item.split_once(':') {
                    Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
                        raw.identifier(k, v, None)
                    }
                    _ => raw.identifier("id", &item, None),
                }
            }
        }
        if let Some(p) = get("programs") {
            raw.programs.extend(split(&p));
        }
        raw.federal_register = get("federal_register");
        if let Some(r) = get("remarks") {
            raw.remark(r);
        }
        let primary_name = raw.names.first().map(|n| n.name.clone()).unwrap_or_default();
        raw.schema = Some(match get("schema") {
            Some(s) => EntitySchema::parse(&s).unwrap_or(EntitySchema::Unknown),
            None => infer_schema(&primary_name, Prior::OrgUnlessPerson, person_hint),
        });
        raw.id = match get("id") {
            Some(id) => id,
            None => hashed_id(&list, &name, country_code),
        };
        let mut obj = Map::new();
        for (i, h) in headers.iter().enumerate() {
            let v = rec.get(i).unwrap_or("");
            obj.insert(
                h.clone(),
                if v.is_empty() { Value::Null } else { Value::String(v.to_string()) },
            );
        }
        raw.raw = Value::Object(obj);
        sink.accept(raw, line)?;
        Ok(Ok(()))
    })
}
