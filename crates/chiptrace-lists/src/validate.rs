//! Parse, then validate: every parser fills a [`RawEntry`] (what the record
//! said, loosely typed) and hands it to a [`Sink`], which validates it into a
//! [`ListEntry`] or records a [`BadRow`].
//!
//! Validation is the single place that enforces the invariants downstream
//! code relies on: at least one usable name and the primary one first, no
//! duplicate names, ISO alpha-2 countries only, a non-empty id unique within
//! the file, and no field longer than [`LoadOptions::max_field_bytes`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::LoadOptions;
use crate::entry::{Address, DateFact, EntitySchema, EntryName, Identifier, ListEntry, NameKind};
use crate::error::{BadRow, ListError, Result};
use crate::names::dedupe_names;
use crate::text::{preview, sha256_hex};

/// A record as a parser read it, before validation.
#[derive(Debug, Default)]
pub(crate) struct RawEntry {
    pub list: String,
    pub id: String,
    pub schema: Option<EntitySchema>,
    pub names: Vec<EntryName>,
    pub countries: Vec<String>,
    pub addresses: Vec<Address>,
    pub identifiers: Vec<Identifier>,
    pub dates: Vec<DateFact>,
    pub programs: Vec<String>,
    pub federal_register: Option<String>,
    pub license_requirement: Option<String>,
    pub license_policy: Option<String>,
    pub remarks: Vec<String>,
    pub raw: Value,
}

impl RawEntry {
    /// Add a name unless it is blank.
    pub fn name(&mut self, name: &str, kind: NameKind, via: Option<&str>) {
        let name = crate::text::squash(name);
        if !name.is_empty() {
            self.names.push(EntryName { name, kind, via: via.map(str::to_string) });
        }
    }

    /// Add a country given as a code or a name; unknown values are ignored
    /// (the raw record keeps them).
    pub fn country(&mut self, text: &str) {
        if let Some(code) = crate::country::country_code(text) {
            self.countries.push(code.to_string());
        } else {
            for code in crate::country::countries_in_text(text) {
                self.countries.push(code.to_string());
            }
        }
    }

    /// Add a free-text address; its country comes from the text, else from
    /// `fallback`. Hong Kong addresses listed under China get `HK`, and the
    /// entry keeps both `CN` (from the list's country) and `HK`.
    pub fn address(&mut self, full: &str, fallback: Option<&str>) {
        let full = crate::text::squash(full);
        if full.is_empty() {
            return;
        }
        let country = crate::country::country_in_address(&full)
            .map(str::to_string)
            .or_else(|| fallback.map(str::to_string));
        if let Some(c) = &country {
            self.countries.push(c.clone());
        }
        self.addresses.push(Address { full, country });
    }

    /// Add an identifier unless its value is blank.
    pub fn identifier(&mut self, kind: &str, value: &str, country: Option<&str>) {
        let value = crate::text::squash(value.trim().trim_end_matches(['.', ',', ';']));
        if value.is_empty() {
            return;
        }
        self.identifiers.push(Identifier {
            kind: kind.trim().to_lowercase(),
            value,
            country: country.and_then(crate::country::country_code).map(str::to_string),
        });
    }

    /// Add a date fact; the value is normalised when possible.
    pub fn date(&mut self, kind: &str, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        self.dates
            .push(DateFact { kind: kind.to_string(), value: crate::dates::date_or_text(text) });
    }

    /// Add a remark unless blank.
    pub fn remark(&mut self, text: impl AsRef<str>) {
        let t = crate::text::squash(text.as_ref());
        if !t.is_empty() {
            self.remarks.push(t);
        }
    }
}

/// The deterministic id of an entry whose list has no ids:
/// `<list>:` + the first 16 hex digits of
/// `sha256(normalised name + "|" + country)`, where the name is the name
/// field exactly as published, normalised by [`normalise_for_id`], and
/// `country` is the upper-case ISO alpha-2 code of the list's country field
/// (empty when there is none or it is unknown). See `docs/lists.md`.
pub(crate) fn hashed_id(list: &str, published_name: &str, country: Option<&str>) -> String {
    let key = format!("{}|{}", normalise_for_id(published_name), country.unwrap_or(""));
    let digest = sha256_hex(key.as_bytes());
    format!("{list}:{}", &digest[..16])
}

/// Lower case, letters and digits kept, every run of anything else one
/// space, trimmed. Unicode-aware so Cyrillic or Chinese names hash stably.
pub(crate) fn normalise_for_id(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// Collects the entries and bad rows of one file.
pub(crate) struct Sink<'a> {
    pub path: PathBuf,
    opts: &'a LoadOptions,
    pub entries: Vec<ListEntry>,
    pub bad: Vec<BadRow>,
    /// Records deliberately skipped (non-matchable FtM schemata).
    pub skipped_records: usize,
    /// `list \0 id` -> occurrences so far.
    ids: HashMap<String, u32>,
}

impl<'a> Sink<'a> {
    pub fn new(path: &Path, opts: &'a LoadOptions) -> Self {
        Sink {
            path: path.to_path_buf(),
            opts,
            entries: Vec::new(),
            bad: Vec::new(),
            skipped_records: 0,
            ids: HashMap::new(),
        }
    }

    /// The options in force.
    pub fn opts(&self) -> &LoadOptions {
        self.opts
    }

    /// Record a bad row of this file (fatal in strict mode).
    pub fn bad(&mut self, line: Option<u64>, message: impl Into<String>) -> Result<()> {
        let path = self.path.clone();
        self.bad_in(&path, line, message)
    }

    /// Record a bad row of another file that belongs to this one (an OFAC
    /// companion file).
    pub fn bad_in(
        &mut self,
        file: &Path,
        line: Option<u64>,
        message: impl Into<String>,
    ) -> Result<()> {
        let row = BadRow { file: file.to_path_buf(), line, message: message.into() };
        if self.opts.strict {
            return Err(ListError::StrictBadRow(row));
        }
        self.bad.push(row);
        Ok(())
    }

    /// Check a single raw field against the size limit before doing any
    /// work on it.
    pub fn check_len(&self, field: &str, value: &str) -> std::result::Result<(), String> {
        if value.len() > self.opts.max_field_bytes {
            return Err(format!(
                "field `{field}` is {} bytes, over the limit of {} bytes",
                value.len(),
                self.opts.max_field_bytes
            ));
        }
        Ok(())
    }

    /// Validate and keep an entry, or record why it is bad.
    pub fn accept(&mut self, raw: RawEntry, line: Option<u64>) -> Result<()> {
        match validate(raw, self.opts) {
            Ok(mut entry) => {
                // Ids must be unique per (list, file): the Entity List has a
                // few exact duplicates of (name, country), and a source id
                // may repeat in a broken export. The first keeps its id, the
                // next get "-2", "-3", … in file order (deterministic).
                let key = format!("{}\0{}", entry.list, entry.id);
                let n = self.ids.entry(key).or_insert(0);
                *n += 1;
                if *n > 1 {
                    entry.id = format!("{}-{}", entry.id, n);
                }
                self.entries.push(entry);
                Ok(())
            }
            Err(msg) => self.bad(line, msg),
        }
    }
}

fn longest_string(v: &Value, path: &mut String, best: &mut (usize, String)) {
    match v {
        Value::String(s) if s.len() > best.0 => {
            *best = (s.len(), path.clone());
        }
        Value::Array(a) => {
            for x in a {
                longest_string(x, path, best);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                longest_string(x, path, best);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// Validate a raw entry. The error is a message for a [`BadRow`].
fn validate(raw: RawEntry, opts: &LoadOptions) -> std::result::Result<ListEntry, String> {
    // Over-long fields make the whole row suspect (a runaway quote in a CSV
    // swallows the following rows into one field).
    let mut best = (0usize, String::new());
    longest_string(&raw.raw, &mut String::new(), &mut best);
    if best.0 > opts.max_field_bytes {
        return Err(format!(
            "field `{}` is {} bytes, over the limit of {} bytes",
            best.1, best.0, opts.max_field_bytes
        ));
    }
    for n in &raw.names {
        if n.name.len() > opts.max_field_bytes {
            return Err(format!(
                "name is {} bytes, over the limit of {} bytes",
                n.name.len(),
                opts.max_field_bytes
            ));
        }
    }
    let id = raw.id.trim().to_string();
    if id.is_empty() {
        return Err("entry has no id".to_string());
    }
    let mut names: Vec<EntryName> = raw
        .names
        .into_iter()
        .map(|mut n| {
            n.name = crate::text::squash(&n.name);
            n
        })
        .filter(|n| n.name.chars().any(char::is_alphanumeric))
        .collect();
    if names.is_empty() {
        return Err("no usable name".to_string());
    }
    // The primary name first; if the primary was unusable the first
    // remaining name stands in (an entry is matchable by any of its names).
    if let Some(pos) = names.iter().position(|n| n.kind == NameKind::Primary) {
        if pos != 0 {
            let p = names.remove(pos);
            names.insert(0, p);
        }
        for n in names.iter_mut().skip(1) {
            if n.kind == NameKind::Primary {
                n.kind = NameKind::Alias;
            }
        }
    } else {
        names[0].kind = NameKind::Primary;
    }
    let names = dedupe_names(names);

    let mut countries: Vec<String> = Vec::new();
    for c in raw.countries {
        let c = c.trim().to_ascii_uppercase();
        if crate::country::is_alpha2(&c) && !countries.contains(&c) {
            countries.push(c);
        }
    }
    // Hash-based de-duplication: a hostile 64 KiB remarks field can hold
    // thousands of items, and pairwise comparison would be quadratic.
    let addresses =
        dedupe_by(raw.addresses, |a| (!a.full.trim().is_empty()).then(|| a.full.clone()));
    let identifiers = dedupe_by(raw.identifiers, |i| {
        (!i.value.is_empty()).then(|| (i.kind.clone(), i.value.clone(), i.country.clone()))
    });
    let dates =
        dedupe_by(raw.dates, |d| (!d.value.is_empty()).then(|| (d.kind.clone(), d.value.clone())));
    let programs =
        dedupe_by(raw.programs.iter().map(|p| crate::text::squash(p)).collect(), |p: &String| {
            (!p.is_empty()).then(|| p.clone())
        });
    let remarks = dedupe_by(raw.remarks, |r: &String| (!r.is_empty()).then(|| r.clone()));
    let clean = |s: Option<String>| s.map(|s| crate::text::squash(&s)).filter(|s| !s.is_empty());
    Ok(ListEntry {
        list: raw.list,
        id,
        schema: raw.schema.unwrap_or(EntitySchema::Unknown),
        names,
        countries,
        addresses,
        identifiers,
        dates,
        programs,
        federal_register: clean(raw.federal_register),
        license_requirement: clean(raw.license_requirement),
        license_policy: clean(raw.license_policy),
        remarks: if remarks.is_empty() { None } else { Some(remarks.join("; ")) },
        raw: raw.raw,
    })
}

/// Keep the first item of each key, in order; items whose key is `None`
/// are dropped.
fn dedupe_by<T, K: std::hash::Hash + Eq>(items: Vec<T>, key: impl Fn(&T) -> Option<K>) -> Vec<T> {
    if items.len() < 2 {
        return items.into_iter().filter(|x| key(x).is_some()).collect();
    }
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    items.into_iter().filter(|x| key(x).is_some_and(|k| seen.insert(k))).collect()
}

/// Message for a record whose name field is empty or missing, with a
/// preview of what the record did hold.
pub(crate) fn describe(v: &Value) -> String {
    preview(&v.to_string(), 120)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing unwrap is a failing test
mod tests {
    use super::*;

    #[test]
    fn hashed_ids_are_stable() {
        let a = hashed_id("us_bis_entity_list", "Abdul Satar  Ghoura", Some("AF"));
        let b = hashed_id("us_bis_entity_list", "abdul satar ghoura", Some("AF"));
        assert_eq!(a, b);
        assert!(a.starts_with("us_bis_entity_list:"));
        assert_eq!(a.len(), "us_bis_entity_list:".len() + 16);
        assert_ne!(a, hashed_id("us_bis_entity_list", "Abdul Satar Ghoura", Some("PK")));
        assert_eq!(
            normalise_for_id(" Huawei  Technologies Co., Ltd. "),
            "huawei technologies co ltd"
        );
    }

    #[test]
    fn validation_rules() {
        let opts = LoadOptions::default();
        let mut sink = Sink::new(Path::new("x"), &opts);
        let mut raw = RawEntry { list: "l".into(), id: "1".into(), ..Default::default() };
        raw.name("   ", NameKind::Primary, None);
        sink.accept(raw, Some(3)).unwrap();
        assert_eq!(sink.bad.len(), 1);
        assert_eq!(sink.bad[0].message, "no usable name");
        for _ in 0..3 {
            let mut raw = RawEntry { list: "l".into(), id: "dup".into(), ..Default::default() };
            raw.name("Acme", NameKind::Primary, None);
            raw.name("ACME", NameKind::Alias, None);
            raw.countries.push("cn".into());
            raw.countries.push("CN".into());
            raw.countries.push("ZZ".into());
            sink.accept(raw, None).unwrap();
        }
        let ids: Vec<&str> = sink.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, vec!["dup", "dup-2", "dup-3"]);
        assert_eq!(sink.entries[0].names.len(), 1);
        assert_eq!(sink.entries[0].countries, vec!["CN"]);
    }

    #[test]
    fn strict_and_long_fields() {
        let opts = LoadOptions { strict: true, max_field_bytes: 10, ..Default::default() };
        let mut sink = Sink::new(Path::new("f.csv"), &opts);
        let mut raw = RawEntry { list: "l".into(), id: "1".into(), ..Default::default() };
        raw.name("A very long name indeed", NameKind::Primary, None);
        raw.raw = serde_json::json!({"name": "A very long name indeed"});
        let err = sink.accept(raw, Some(7)).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("f.csv:7"), "{msg}");
        assert!(msg.contains("`name` is 23 bytes"), "{msg}");
    }
}
