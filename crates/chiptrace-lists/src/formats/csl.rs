//! trade.gov Consolidated Screening List: the downloadable CSV (current
//! 29-column layout with `_id`, and the older 28-column layout without it)
//! and the API JSON (`{"results": [...]}` or a bare array).
//!
//! Both are read into one [`CslRecord`] and mapped to a [`RawEntry`] by the
//! same code, so CSV and JSON rows of the same party give the same entry.

use serde_json::{Map, Value};

use super::{json_element_lines, json_error, malformed, slug};
use crate::entry::{EntitySchema, NameKind};
use crate::error::Result;
use crate::infer::{Prior, infer_schema};
use crate::names::{clean_alias, split_name_field};
use crate::validate::{RawEntry, Sink, hashed_id};

/// A CSL identifier (`ids` column item or API `ids` object).
#[derive(Debug, Default, Clone)]
struct CslId {
    kind: String,
    number: String,
    country: Option<String>,
}

/// A CSL row, whichever the carrier.
#[derive(Debug, Default)]
struct CslRecord {
    source: String,
    entity_number: Option<String>,
    type_: Option<String>,
    programs: Vec<String>,
    name: String,
    title: Option<String>,
    /// `(full text, country as given)`.
    addresses: Vec<(String, Option<String>)>,
    federal_register_notice: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    standard_order: Option<String>,
    license_requirement: Option<String>,
    license_policy: Option<String>,
    call_sign: Option<String>,
    vessel_flag: Option<String>,
    vessel_owner: Option<String>,
    remarks: Option<String>,
    alt_names: Vec<String>,
    citizenships: Vec<String>,
    dates_of_birth: Vec<String>,
    nationalities: Vec<String>,
    places_of_birth: Vec<String>,
    ids: Vec<CslId>,
}

/// List code of a CSL `source` ("Entity List (EL) - Bureau of Industry and
/// Security" -> `us_bis_entity_list`), from the code in brackets.
pub(crate) fn source_code(source: &str) -> String {
    let code = source
        .rfind('(')
        .and_then(|open| {
            source[open + 1..].find(')').map(|close| &source[open + 1..open + 1 + close])
        })
        .map(str::trim)
        .unwrap_or("");
    match code.to_ascii_uppercase().as_str() {
        "EL" => "us_bis_entity_list".to_string(),
        "DPL" => "us_bis_dpl".to_string(),
        "UVL" => "us_bis_uvl".to_string(),
        "MEU" => "us_bis_meu".to_string(),
        "SDN" => "us_ofac_sdn".to_string(),
        "ISN" => "us_state_isn".to_string(),
        "DTC" => "us_state_dtc".to_string(),
        c @ ("SSI" | "PLC" | "FSE" | "CAP" | "CMIC" | "MBS") => {
            format!("us_ofac_{}", c.to_ascii_lowercase())
        }
        "" => {
            let s = slug(source);
            if s.is_empty() { "us_csl".to_string() } else { format!("us_csl_{s}") }
        }
        other => format!("us_{}", slug(other)),
    }
}

fn prior_for(list: &str) -> Prior {
    match list {
        "us_bis_dpl" | "us_state_dtc" => Prior::PersonUnlessOrg,
        _ => Prior::OrgUnlessPerson,
    }
}

/// `ids` types that carry information about the listing rather than an
/// identifier; they become remarks.
fn is_informational(kind: &str) -> bool {
    let k = kind.trim().to_ascii_lowercase();
    k.ends_with(':')
        || k.ends_with('-')
        || k == "gender"
        || k.starts_with("secondary sanctions")
        || k.starts_with("additional sanctions")
        || k.starts_with("transactions prohibited")
        || k.starts_with("executive order")
        || k.starts_with("listing date")
        || k.starts_with("effective date")
        || k.starts_with("target type")
        || k.starts_with("organization established")
        || k.starts_with("organization type")
        || k.starts_with("caatsa")
        || k.starts_with("nationality of registration")
        || k.starts_with("former vessel flag")
        || k.starts_with("vessel flag")
        || k.starts_with("vessel year of build")
        || k.starts_with("other vessel")
}

/// Split a `;`-separated multi-value cell; "and X" as the last item (Entity
/// List alt_names) loses its "and".
fn multi(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(|s| {
            let t = s.trim();
            t.strip_prefix("and ").unwrap_or(t).trim().to_string()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// One item of the CSV `ids` cell. The current layout writes
/// `type, number, country`; the 2019 layout `country, number, type`.
fn parse_id_item(item: &str, type_first: bool) -> CslId {
    let parts: Vec<&str> = item.split(", ").map(str::trim).collect();
    let is_cc = |s: &str| {
        s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase()) && crate::country::is_alpha2(s)
    };
    if parts.len() == 1 {
        return CslId { kind: "id".into(), number: parts[0].to_string(), country: None };
    }
    if type_first {
        let kind = parts[0].to_string();
        let (number, country) = if parts.len() >= 3 && is_cc(parts[parts.len() - 1]) {
            (parts[1..parts.len() - 1].join(", "), Some(parts[parts.len() - 1].to_string()))
        } else {
            (parts[1..].join(", "), None)
        };
        CslId { kind, number, country }
    } else {
        let kind = parts[parts.len() - 1].to_string();
        let (number, country) = if parts.len() >= 3 && is_cc(parts[0]) {
            (parts[1..parts.len() - 1].join(", "), Some(parts[0].to_string()))
        } else {
            (parts[..parts.len() - 1].join(", "), None)
        };
        CslId { kind, number, country }
    }
}

fn to_raw(rec: CslRecord, raw_value: Value) -> std::result::Result<RawEntry, String> {
    if rec.name.trim().is_empty() {
        return Err("empty `name`".to_string());
    }
    if rec.source.trim().is_empty() {
        return Err("empty `source` (cannot tell which list the row belongs to)".to_string());
    }
    let list = source_code(&rec.source);
    let mut raw = RawEntry { list: list.clone(), raw: raw_value, ..Default::default() };

    let primary = split_name_field(&rec.name, NameKind::Primary, None);
    let mut person_hint = primary.person_hint;
    raw.names.extend(primary.names);
    for r in primary.remarks {
        raw.remark(r);
    }
    let mut glued = primary.addresses;
    for a in &rec.alt_names {
        let cleaned = clean_alias(a);
        let parts = split_name_field(&cleaned, NameKind::Alias, Some("alt_names"));
        raw.names.extend(parts.names);
        glued.extend(parts.addresses);
    }
    for (full, country) in &rec.addresses {
        let code = country.as_deref().and_then(crate::country::country_code);
        raw.address(full, code);
    }
    for a in glued {
        raw.address(&a, None);
    }
    for c in rec.citizenships.iter().chain(&rec.nationalities) {
        raw.country(c);
    }
    if let Some(flag) = &rec.vessel_flag {
        raw.country(flag);
    }
    for d in &rec.dates_of_birth {
        raw.date("birth", d);
        person_hint = true;
    }
    if let Some(d) = &rec.start_date {
        raw.date("start", d);
    }
    if let Some(d) = &rec.end_date {
        raw.date("end", d);
    }
    for p in &rec.programs {
        raw.programs.push(p.clone());
    }
    raw.federal_register = rec.federal_register_notice.clone();
    raw.license_requirement = rec.license_requirement.clone();
    raw.license_policy = rec.license_policy.clone();
    if let Some(r) = &rec.remarks {
        raw.remark(r);
    }
    if let Some(t) = &rec.title {
        raw.remark(format!("Title: {t}"));
    }
    for p in &rec.places_of_birth {
        raw.remark(format!("POB {p}"));
    }
    if let Some(o) = &rec.vessel_owner {
        raw.remark(format!("Vessel owner: {o}"));
    }
    if rec.standard_order.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("y")) {
        raw.remark("standard order");
    }
    if let Some(cs) = &rec.call_sign {
        raw.identifier("call_sign", cs, None);
    }
    for id in &rec.ids {
        if is_informational(&id.kind) {
            if id.kind.eq_ignore_ascii_case("gender") {
                person_hint = true;
            }
            raw.remark(format!("{} {}", id.kind.trim(), id.number).trim());
            continue;
        }
        let mut kind = super::ofac_remarks::identifier_kind(&id.kind);
        let mut number = id.number.clone();
        if let Some(rest) = number.strip_prefix("IMO ") {
            kind = "imo".to_string();
            number = rest.to_string();
        }
        raw.identifier(&kind, &number, id.country.as_deref());
    }

    let primary_name = raw.names.first().map(|n| n.name.clone()).unwrap_or_default();
    raw.schema = Some(match rec.type_.as_deref().map(str::trim).unwrap_or("") {
        t if t.eq_ignore_ascii_case("individual") => EntitySchema::Person,
        t if t.eq_ignore_ascii_case("entity") => EntitySchema::Organization,
        t if t.eq_ignore_ascii_case("vessel") => EntitySchema::Vessel,
        t if t.eq_ignore_ascii_case("aircraft") => EntitySchema::Aircraft,
        "" => infer_schema(&primary_name, prior_for(&list), person_hint),
        other => EntitySchema::parse(other).unwrap_or(EntitySchema::Unknown),
    });
    // `entity_number` is OFAC's stable ent_num; `_id` is a content hash that
    // changes whenever the row changes, so it is kept in `raw` only.
    raw.id = match &rec.entity_number {
        Some(n) if !n.trim().is_empty() => n.trim().to_string(),
        _ => {
            let country = raw.addresses.first().and_then(|a| a.country.clone());
            hashed_id(&list, &rec.name, country.as_deref())
        }
    };
    Ok(raw)
}

// ---------------------------------------------------------------- CSV

pub(crate) fn parse_csv(text: &str, sink: &mut Sink) -> Result<()> {
    let path = sink.path.clone();
    let mut rdr =
        csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) => {
            h.iter().map(|s| s.trim().trim_start_matches('\u{feff}').to_ascii_lowercase()).collect()
        }
        Err(e) => return Err(malformed(&path, Some(1), format!("unreadable CSV header: {e}"))),
    };
    let col = |name: &str| headers.iter().position(|h| h == name);
    let missing: Vec<&str> = ["source", "name"].into_iter().filter(|c| col(c).is_none()).collect();
    if !missing.is_empty() {
        return Err(malformed(
            &path,
            Some(1),
            format!(
                "not a CSL file: missing column(s) {} (header: {})",
                missing.join(", "),
                headers.join(",")
            ),
        ));
    }
    // The current layout (with `_id`) writes ids as "type, number, country".
    let type_first = col("_id").is_some();
    let max = sink.opts().max_field_bytes;
    super::for_each_record(&mut rdr, text, &path, sink, super::all_blank, |line, rec, sink| {
        if let Err(msg) = super::check_shape(rec, &headers, max) {
            return Ok(Err(msg));
        }
        let get = |name: &str| -> Option<String> {
            col(name).and_then(|i| rec.get(i)).map(crate::text::squash).filter(|s| !s.is_empty())
        };
        let r = CslRecord {
            source: get("source").unwrap_or_default(),
            entity_number: get("entity_number"),
            type_: get("type"),
            programs: get("programs").map(|p| multi(&p)).unwrap_or_default(),
            name: get("name").unwrap_or_default(),
            title: get("title"),
            addresses: get("addresses")
                .map(|a| multi(&a).into_iter().map(|x| (x, None)).collect())
                .unwrap_or_default(),
            federal_register_notice: get("federal_register_notice"),
            start_date: get("start_date"),
            end_date: get("end_date"),
            standard_order: get("standard_order"),
            license_requirement: get("license_requirement"),
            license_policy: get("license_policy"),
            call_sign: get("call_sign"),
            vessel_flag: get("vessel_flag"),
            vessel_owner: get("vessel_owner"),
            remarks: get("remarks"),
            alt_names: get("alt_names").map(|a| multi(&a)).unwrap_or_default(),
            citizenships: get("citizenships").map(|a| multi(&a)).unwrap_or_default(),
            dates_of_birth: get("dates_of_birth").map(|a| multi(&a)).unwrap_or_default(),
            nationalities: get("nationalities").map(|a| multi(&a)).unwrap_or_default(),
            places_of_birth: get("places_of_birth").map(|a| multi(&a)).unwrap_or_default(),
            ids: get("ids")
                .map(|a| multi(&a).iter().map(|i| parse_id_item(i, type_first)).collect())
                .unwrap_or_default(),
        };
        let mut obj = Map::new();
        for (i, h) in headers.iter().enumerate() {
            let v = rec.get(i).unwrap_or("");
            obj.insert(
                h.clone(),
                if v.is_empty() { Value::Null } else { Value::String(v.to_string()) },
            );
        }
        match to_raw(r, Value::Object(obj)) {
            Ok(raw) => sink.accept(raw, line)?,
            Err(msg) => return Ok(Err(msg)),
        }
        Ok(Ok(()))
    })
}

// ---------------------------------------------------------------- JSON

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(crate::text::squash(s)).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string or array-of-strings field as a list (strings are `;`-split).
fn as_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(as_text).collect(),
        Some(Value::String(s)) => multi(s),
        Some(other) => as_text(other).into_iter().collect(),
        None => Vec::new(),
    }
}

fn json_record(o: &Map<String, Value>) -> CslRecord {
    let s = |k: &str| o.get(k).and_then(as_text);
    let mut addresses = Vec::new();
    match o.get("addresses") {
        Some(Value::Array(items)) => {
            for a in items {
                match a {
                    Value::Object(m) => {
                        let get = |k: &str| m.get(k).and_then(as_text);
                        let country = get("country");
                        let parts: Vec<String> =
                            ["address", "city", "state", "postal_code", "country"]
                                .iter()
                                .filter_map(|k| get(k))
                                .collect();
                        if !parts.is_empty() {
                            addresses.push((parts.join(", "), country));
                        }
                    }
                    other => {
                        if let Some(t) = as_text(other) {
                            addresses.push((t, None));
                        }
                    }
                }
            }
        }
        other => addresses.extend(as_list(other).into_iter().map(|a| (a, None))),
    }
    let mut ids = Vec::new();
    match o.get("ids") {
        Some(Value::Array(items)) => {
            for i in items {
                match i {
                    Value::Object(m) => {
                        let get = |k: &str| m.get(k).and_then(as_text);
                        if let Some(number) = get("number") {
                            ids.push(CslId {
                                kind: get("type").unwrap_or_else(|| "id".into()),
                                number,
                                country: get("country"),
                            });
                        }
                    }
                    other => {
                        if let Some(t) = as_text(other) {
                            ids.push(parse_id_item(&t, true));
                        }
                    }
                }
            }
        }
        Some(Value::String(sv)) => ids.extend(multi(sv).iter().map(|i| parse_id_item(i, true))),
        _ => {}
    }
    CslRecord {
        source: s("source").unwrap_or_default(),
        entity_number: s("entity_number"),
        type_: s("type"),
        programs: as_list(o.get("programs")),
        name: s("name").unwrap_or_default(),
        title: s("title"),
        addresses,
        federal_register_notice: s("federal_register_notice"),
        start_date: s("start_date"),
        end_date: s("end_date"),
        standard_order: s("standard_order"),
        license_requirement: s("license_requirement"),
        license_policy: s("license_policy"),
        call_sign: s("call_sign"),
        vessel_flag: s("vessel_flag"),
        vessel_owner: s("vessel_owner"),
        remarks: s("remarks"),
        alt_names: as_list(o.get("alt_names")),
        citizenships: as_list(o.get("citizenships")),
        dates_of_birth: as_list(o.get("dates_of_birth")),
        nationalities: as_list(o.get("nationalities")),
        places_of_birth: as_list(o.get("places_of_birth")),
        ids,
    }
}

pub(crate) fn parse_json(text: &str, sink: &mut Sink) -> Result<()> {
    let doc: Value = serde_json::from_str(text).map_err(|e| json_error(&sink.path, &e))?;
    let (items, lines) = match doc {
        Value::Array(a) => (a, json_element_lines(text, None)),
        Value::Object(mut o) => match o.remove("results") {
            Some(Value::Array(a)) => (a, json_element_lines(text, Some("results"))),
            _ => {
                return Err(malformed(
                    &sink.path,
                    Some(1),
                    "no `results` array (not a CSL API response)",
                ));
            }
        },
        _ => {
            return Err(malformed(
                &sink.path,
                Some(1),
                "expected a JSON object with `results` or an array",
            ));
        }
    };
    let max = sink.opts().max_field_bytes;
    for (i, item) in items.into_iter().enumerate() {
        let line = Some(lines.get(i).copied().unwrap_or(i as u64 + 1));
        let Some(o) = item.as_object() else {
            sink.bad(line, format!("result #{} is not a JSON object", i + 1))?;
            continue;
        };
        if let Some((k, len)) = longest_field(o).filter(|(_, len)| *len > max) {
            sink.bad(line, format!("field `{k}` is {len} bytes, over the limit of {max} bytes"))?;
            continue;
        }
        let rec = json_record(o);
        match to_raw(rec, item) {
            Ok(raw) => sink.accept(raw, line)?,
            Err(msg) => sink.bad(line, msg)?,
        }
    }
    Ok(())
}

fn longest_field(o: &Map<String, Value>) -> Option<(String, usize)> {
    fn walk(v: &Value) -> usize {
        match v {
            Value::String(s) => s.len(),
            Value::Array(a) => a.iter().map(walk).max().unwrap_or(0),
            Value::Object(m) => m.values().map(walk).max().unwrap_or(0),
            _ => 0,
        }
    }
    o.iter().map(|(k, v)| (k.clone(), walk(v))).max_by_key(|(_, l)| *l)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing unwrap is a failing test
mod tests {
    use super::*;

    #[test]
    fn sources() {
        assert_eq!(
            source_code("Entity List (EL) - Bureau of Industry and Security"),
            "us_bis_entity_list"
        );
        assert_eq!(
            source_code("Denied Persons List (DPL) - Bureau of Industry and Security"),
            "us_bis_dpl"
        );
        assert_eq!(
            source_code("Unverified List (UVL) - Bureau of Industry and Security"),
            "us_bis_uvl"
        );
        assert_eq!(
            source_code("Sectoral Sanctions Identifications List (SSI) - Treasury Department"),
            "us_ofac_ssi"
        );
        assert_eq!(source_code("Capta List (CAP) - Treasury Department"), "us_ofac_cap");
        assert_eq!(source_code("ITAR Debarred (DTC) - State Department"), "us_state_dtc");
        assert_eq!(
            source_code("Nonproliferation Sanctions (ISN) - State Department"),
            "us_state_isn"
        );
        assert_eq!(source_code("Something New (XYZ) - Dept"), "us_xyz");
    }

    #[test]
    fn id_items() {
        let a = parse_id_item("Passport, 836238033, KP", true);
        assert_eq!(
            (a.kind.as_str(), a.number.as_str(), a.country.as_deref()),
            ("Passport", "836238033", Some("KP"))
        );
        let b = parse_id_item("US, 80-0890696, Tax ID No.", false);
        assert_eq!(
            (b.kind.as_str(), b.number.as_str(), b.country.as_deref()),
            ("Tax ID No.", "80-0890696", Some("US"))
        );
        let c = parse_id_item("IMO 8898831, Vessel Registration Identification", false);
        assert_eq!(
            (c.kind.as_str(), c.number.as_str()),
            ("Vessel Registration Identification", "IMO 8898831")
        );
        let d = parse_id_item(
            "Secondary sanctions risk:, North Korea Sanctions Regulations, sections 510.201 and 510.210",
            true,
        );
        assert_eq!(d.kind, "Secondary sanctions risk:");
        assert!(is_informational(&d.kind));
    }
}
