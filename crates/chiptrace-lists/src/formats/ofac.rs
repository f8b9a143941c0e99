//! OFAC legacy CSV: `sdn.csv` / `cons_prim.csv` and their companions.
//!
//! No header; 12 columns `ent_num, SDN_Name, SDN_Type, Program, Title,
//! Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks`; the
//! null marker is `-0- ` (with a trailing space). Companions in the same
//! directory, joined on `ent_num`:
//! - `alt.csv` / `cons_alt.csv`: `ent_num, alt_num, alt_type, alt_name, alt_remarks`;
//! - `add.csv` / `cons_add.csv`: `ent_num, add_num, address, city/state/postal, country, add_remarks`;
//! - `sdn_comments.csv` / `cons_comments.csv`: `ent_num, remarks continuation`
//!   (the rest of a `Remarks` value that was too long for the column).

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::{Map, Value};

use super::ofac_remarks;
use crate::entry::{EntitySchema, NameKind};
use crate::error::Result;
use crate::text::non_empty;
use crate::validate::{RawEntry, Sink};

/// Column names of the primary file (OFAC's own names).
pub(crate) const COLUMNS: [&str; 12] = [
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
];

/// Decoded companion files of a primary file.
#[derive(Debug, Default)]
pub(crate) struct Companions {
    /// `alt.csv`: path and text.
    pub alt: Option<(PathBuf, String)>,
    /// `add.csv`: path and text.
    pub add: Option<(PathBuf, String)>,
    /// `*_comments.csv`: path and text.
    pub comments: Option<(PathBuf, String)>,
}

struct Alt {
    kind: String,
    name: String,
    remarks: Option<String>,
}

struct Add {
    address: Option<String>,
    city: Option<String>,
    country: Option<String>,
    remarks: Option<String>,
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes())
}

/// Read every record of a headerless CSV (see [`super::for_each_record`]);
/// a line holding one empty field is blank.
fn for_each_record(
    text: &str,
    file: &std::path::Path,
    sink: &mut Sink,
    f: impl FnMut(Option<u64>, &csv::StringRecord, &mut Sink) -> Result<std::result::Result<(), String>>,
) -> Result<()> {
    let blank = |rec: &csv::StringRecord| rec.len() == 1 && rec[0].trim().is_empty();
    super::for_each_record(&mut reader(text), text, file, sink, blank, f)
}

fn ent_num(s: &str) -> std::result::Result<String, String> {
    let t = s.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) && t.len() <= 12 {
        Ok(t.to_string())
    } else {
        Err(format!("ent_num `{}` is not a number", crate::text::preview(t, 40)))
    }
}

pub(crate) fn parse(
    text: &str,
    list: &str,
    companions: &Companions,
    sink: &mut Sink,
) -> Result<()> {
    let max = sink.opts().max_field_bytes;
    let too_long = |rec: &csv::StringRecord| -> std::result::Result<(), String> {
        for (i, f) in rec.iter().enumerate() {
            if f.len() > max {
                return Err(format!(
                    "column {} is {} bytes, over the limit of {max} bytes",
                    i + 1,
                    f.len()
                ));
            }
        }
        Ok(())
    };

    let mut alts: HashMap<String, Vec<Alt>> = HashMap::new();
    if let Some((path, text)) = &companions.alt {
        for_each_record(text, path, sink, |_, rec, _| {
            Ok(too_long(rec).and_then(|()| alt_row(rec, &mut alts)))
        })?;
    }
    let mut adds: HashMap<String, Vec<Add>> = HashMap::new();
    if let Some((path, text)) = &companions.add {
        for_each_record(text, path, sink, |_, rec, _| {
            Ok(too_long(rec).and_then(|()| add_row(rec, &mut adds)))
        })?;
    }
    let mut comments: HashMap<String, String> = HashMap::new();
    if let Some((path, text)) = &companions.comments {
        for_each_record(text, path, sink, |_, rec, _| {
            Ok(too_long(rec).and_then(|()| comment_row(rec, &mut comments)))
        })?;
    }

    let path = sink.path.clone();
    for_each_record(text, &path, sink, |line, rec, sink| {
        if let Err(msg) = too_long(rec) {
            return Ok(Err(msg));
        }
        if rec.len() != 12 {
            return Ok(Err(format!("expected 12 columns, found {}", rec.len())));
        }
        match record(rec, list, &alts, &adds, &comments) {
            Ok(raw) => {
                sink.accept(raw, line)?;
                Ok(Ok(()))
            }
            Err(msg) => Ok(Err(msg)),
        }
    })
}

fn alt_row(
    rec: &csv::StringRecord,
    alts: &mut HashMap<String, Vec<Alt>>,
) -> std::result::Result<(), String> {
    if rec.len() < 4 {
        return Err(format!(
            "expected 5 columns (ent_num, alt_num, alt_type, alt_name, alt_remarks), found {}",
            rec.len()
        ));
    }
    let id = ent_num(&rec[0])?;
    let Some(name) = non_empty(&rec[3]) else { return Err("empty alt_name".into()) };
    alts.entry(id).or_default().push(Alt {
        kind: rec[2].trim().to_ascii_lowercase(),
        name,
        remarks: rec.get(4).and_then(non_empty),
    });
    Ok(())
}

fn add_row(
    rec: &csv::StringRecord,
    adds: &mut HashMap<String, Vec<Add>>,
) -> std::result::Result<(), String> {
    if rec.len() < 5 {
        return Err(format!(
            "expected 6 columns (ent_num, add_num, address, city/state/postal, country, add_remarks), found {}",
            rec.len()
        ));
    }
    let id = ent_num(&rec[0])?;
    adds.entry(id).or_default().push(Add {
        address: non_empty(&rec[2]),
        city: non_empty(&rec[3]),
        country: non_empty(&rec[4]),
        remarks: rec.get(5).and_then(non_empty),
    });
    Ok(())
}

fn comment_row(
    rec: &csv::StringRecord,
    comments: &mut HashMap<String, String>,
) -> std::result::Result<(), String> {
    if rec.len() < 2 {
        return Err(format!("expected 2 columns (ent_num, remarks), found {}", rec.len()));
    }
    let id = ent_num(&rec[0])?;
    // Continuations are concatenated as-is: OFAC cuts mid-word.
    comments.entry(id).or_default().push_str(rec[1].trim_end());
    Ok(())
}

fn record(
    rec: &csv::StringRecord,
    list: &str,
    alts: &HashMap<String, Vec<Alt>>,
    adds: &HashMap<String, Vec<Add>>,
    comments: &HashMap<String, String>,
) -> std::result::Result<RawEntry, String> {
    let id = ent_num(&rec[0])?;
    // Columns holding the `-0-` null marker are left out of `raw`.
    let mut raw_obj = Map::new();
    for (i, col) in COLUMNS.iter().enumerate() {
        if let Some(v) = non_empty(&rec[i]) {
            raw_obj.insert((*col).to_string(), Value::String(v));
        }
    }
    let Some(name) = non_empty(&rec[1]) else { return Err("empty SDN_Name".to_string()) };
    let mut raw = RawEntry { list: list.to_string(), id: id.clone(), ..Default::default() };
    raw.schema = Some(match non_empty(&rec[2]).map(|t| t.to_ascii_lowercase()).as_deref() {
        None => EntitySchema::Organization,
        Some("individual") => EntitySchema::Person,
        Some("vessel") => EntitySchema::Vessel,
        Some("aircraft") => EntitySchema::Aircraft,
        Some("entity") => EntitySchema::Organization,
        Some(other) => {
            raw.remark(format!("SDN_Type: {other}"));
            EntitySchema::Unknown
        }
    });
    // OFAC's own names are clean (aliases are in alt.csv / Remarks), so they
    // are taken as published: "SURNAME, Given" for individuals.
    raw.name(&name, NameKind::Primary, None);
    if let Some(p) = non_empty(&rec[3]) {
        for prog in p.split("] [") {
            raw.programs.push(prog.trim_matches(['[', ']', ' ']).to_string());
        }
    }
    if let Some(t) = non_empty(&rec[4]) {
        raw.remark(format!("Title: {t}"));
    }
    if let Some(cs) = non_empty(&rec[5]) {
        raw.identifier("call_sign", &cs, None);
    }
    if let Some(flag) = non_empty(&rec[9]) {
        // The flag state is a country of a vessel.
        raw.country(&flag);
    }
    if let Some(owner) = non_empty(&rec[10]) {
        raw.remark(format!("Vessel owner: {owner}"));
    }
    // Not squashed: a continuation in the comments file may start exactly
    // where the column was cut, mid-word or after a space.
    let mut remarks = if rec[11].trim() == "-0-" { String::new() } else { rec[11].to_string() };
    if let Some(more) = comments.get(&id) {
        remarks.push_str(more);
        raw_obj.insert("comments".to_string(), Value::String(more.clone()));
    }
    if !remarks.is_empty() {
        ofac_remarks::apply(&remarks, &mut raw);
    }
    if let Some(list) = alts.get(&id) {
        let mut arr = Vec::new();
        for a in list {
            let weak =
                a.remarks.as_deref().is_some_and(|r| r.to_ascii_lowercase().contains("weak"));
            let kind = match (a.kind.as_str(), weak) {
                (_, true) => NameKind::Weak,
                ("fka", _) => NameKind::Former,
                _ => NameKind::Alias,
            };
            raw.name(&a.name, kind, Some(if a.kind.is_empty() { "alt" } else { &a.kind }));
            arr.push(serde_json::json!({"alt_type": a.kind, "alt_name": a.name, "alt_remarks": a.remarks}));
        }
        raw_obj.insert("alt".to_string(), Value::Array(arr));
    }
    if let Some(list) = adds.get(&id) {
        let mut arr = Vec::new();
        for a in list {
            let parts: Vec<&str> =
                [&a.address, &a.city, &a.country].iter().filter_map(|p| p.as_deref()).collect();
            let full = parts.join(", ");
            let country = a.country.as_deref().and_then(crate::country::country_code);
            if !full.is_empty() {
                let c = country.or_else(|| crate::country::country_in_address(&full));
                if let Some(c) = c {
                    raw.countries.push(c.to_string());
                }
                raw.addresses.push(crate::entry::Address {
                    full: crate::text::squash(&full),
                    country: c.map(str::to_string),
                });
            }
            arr.push(serde_json::json!({"address": a.address, "city": a.city, "country": a.country, "add_remarks": a.remarks}));
        }
        raw_obj.insert("add".to_string(), Value::Array(arr));
    }
    raw.raw = Value::Object(raw_obj);
    Ok(raw)
}
