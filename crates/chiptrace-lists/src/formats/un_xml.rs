//! UN Security Council consolidated list XML
//! (`CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL`, `ENTITIES/ENTITY`).
//!
//! Streaming: the quick-xml `Reader` walks the document once; each
//! `INDIVIDUAL` / `ENTITY` record is collected into a small element tree,
//! mapped to a [`RawEntry`] and dropped. A broken document (syntax error,
//! mismatched or unclosed tags, truncation) is [`crate::ListError::Malformed`]
//! with the line of the fault, in strict and non-strict mode alike: a list
//! that is cut off half-way would otherwise load silently incomplete.

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::{Map, Value};

use super::malformed;
use crate::entry::{EntitySchema, NameKind};
use crate::error::Result;
use crate::text::squash;
use crate::validate::{RawEntry, Sink};

/// One XML element of a record.
#[derive(Debug, Default)]
struct Node {
    name: String,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn new(name: String) -> Self {
        Node { name, text: String::new(), children: Vec::new() }
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Trimmed, non-empty text of the first child `name`.
    fn text_of(&self, name: &str) -> Option<String> {
        self.all(name).map(|c| squash(&c.text)).find(|t| !t.is_empty())
    }

    /// Texts of `<name><VALUE>…</VALUE></name>` lists.
    fn values(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        for c in self.all(name) {
            for v in c.all("VALUE") {
                let t = squash(&v.text);
                if !t.is_empty() {
                    out.push(t);
                }
            }
        }
        out
    }

    /// JSON form for `ListEntry::raw`: leaves are strings, repeated children
    /// become arrays.
    fn to_json(&self) -> Value {
        if self.children.is_empty() {
            return Value::String(squash(&self.text));
        }
        let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for c in &self.children {
            *counts.entry(c.name.as_str()).or_insert(0) += 1;
        }
        let mut map = Map::new();
        for c in &self.children {
            let v = c.to_json();
            if counts.get(c.name.as_str()).copied().unwrap_or(0) > 1 {
                match map.get_mut(&c.name) {
                    Some(Value::Array(a)) => a.push(v),
                    _ => {
                        map.insert(c.name.clone(), Value::Array(vec![v]));
                    }
                }
            } else {
                map.insert(c.name.clone(), v);
            }
        }
        Value::Object(map)
    }

    fn longest_text(&self) -> usize {
        self.children.iter().map(Node::longest_text).max().unwrap_or(0).max(self.text.len())
    }
}

pub(crate) fn parse(text: &str, sink: &mut Sink) -> Result<()> {
    let path = sink.path.clone();
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut lines = crate::text::LineCounter::new(text);
    let mut open: Vec<String> = Vec::new();
    let mut record: Vec<Node> = Vec::new();
    let mut record_line = 0u64;
    let mut seen_root = false;
    loop {
        let before = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let line = crate::text::line_of(text, reader.error_position() as usize);
                return Err(malformed(&path, Some(line), format!("broken XML: {e}")));
            }
        };
        match event {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                if open.is_empty() {
                    if seen_root {
                        let line = lines.at(before);
                        return Err(malformed(&path, Some(line), "more than one root element"));
                    }
                    seen_root = true;
                    if name != "CONSOLIDATED_LIST" {
                        let line = lines.at(before);
                        return Err(malformed(
                            &path,
                            Some(line),
                            format!(
                                "root element is <{name}>, expected <CONSOLIDATED_LIST> (not a UN consolidated list)"
                            ),
                        ));
                    }
                }
                if !record.is_empty() {
                    record.push(Node::new(name.clone()));
                } else if name == "INDIVIDUAL" || name == "ENTITY" {
                    record_line = lines.at(before);
                    record.push(Node::new(name.clone()));
                }
                open.push(name);
            }
            Event::Empty(e) => {
                if open.is_empty() {
                    let line = lines.at(before);
                    return Err(malformed(&path, Some(line), "empty document element"));
                }
                if let Some(top) = record.last_mut() {
                    let name = e.local_name().as_ref().to_string();
                    top.children.push(Node::new(name));
                }
            }
            Event::End(_) => {
                open.pop();
                if let Some(node) = record.pop() {
                    match record.last_mut() {
                        Some(parent) => parent.children.push(node),
                        None => finish(node, record_line, sink)?,
                    }
                }
            }
            Event::Text(t) => {
                let content = t.xml10_content();
                if open.is_empty() {
                    if !content.trim().is_empty() {
                        let line = lines.at(before);
                        return Err(malformed(
                            &path,
                            Some(line),
                            "text outside the root element (not XML?)",
                        ));
                    }
                } else if let Some(top) = record.last_mut() {
                    top.text.push_str(&content);
                }
            }
            Event::CData(c) => {
                if let Some(top) = record.last_mut() {
                    top.text.push_str(&c.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    Ok(None) => {
                        quick_xml::escape::resolve_predefined_entity(&r).map(str::to_string)
                    }
                    Err(e) => {
                        let line = lines.at(before);
                        return Err(malformed(&path, Some(line), format!("broken XML: {e}")));
                    }
                };
                let Some(resolved) = resolved else {
                    let line = lines.at(before);
                    return Err(malformed(
                        &path,
                        Some(line),
                        format!("broken XML: unknown entity &{};", &*r),
                    ));
                };
                if let Some(top) = record.last_mut() {
                    top.text.push_str(&resolved);
                }
            }
            Event::Eof => {
                if let Some(unclosed) = open.last() {
                    let line = crate::text::line_of(text, text.len());
                    return Err(malformed(
                        &path,
                        Some(line),
                        format!("unexpected end of file inside <{unclosed}> (truncated file?)"),
                    ));
                }
                if !seen_root {
                    return Err(malformed(&path, Some(1), "no XML root element"));
                }
                break;
            }
            _ => {}
        }
    }
    Ok(())
}

fn finish(node: Node, line: u64, sink: &mut Sink) -> Result<()> {
    let line = Some(line);
    let longest = node.longest_text();
    if longest > sink.opts().max_field_bytes {
        return sink.bad(
            line,
            format!(
                "a field of <{}> is {longest} bytes, over the limit of {} bytes",
                node.name,
                sink.opts().max_field_bytes
            ),
        );
    }
    let raw = record(&node);
    sink.accept(raw, line)
}

fn record(node: &Node) -> RawEntry {
    let individual = node.name == "INDIVIDUAL";
    let mut raw = RawEntry {
        list: "un_sc".to_string(),
        id: node.text_of("REFERENCE_NUMBER").or_else(|| node.text_of("DATAID")).unwrap_or_default(),
        schema: Some(if individual { EntitySchema::Person } else { EntitySchema::Organization }),
        raw: {
            let mut m = Map::new();
            m.insert(node.name.clone(), node.to_json());
            Value::Object(m)
        },
        ..Default::default()
    };
    let full: Vec<String> = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]
        .iter()
        .filter_map(|t| node.text_of(t))
        .collect();
    if individual {
        raw.name(&full.join(" "), NameKind::Primary, None);
    } else {
        // Entity names carry acronyms and ";"-joined second names:
        // "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL) ; GREAT LAKES BUSINESS
        // COMPANY (GLBC)".
        let parts = crate::names::split_name_field(&full.join(" "), NameKind::Primary, None);
        raw.names.extend(parts.names);
    }
    if let Some(original) = node.text_of("NAME_ORIGINAL_SCRIPT") {
        raw.name(&original, NameKind::Alias, Some("NAME_ORIGINAL_SCRIPT"));
    }
    let alias_tag = if individual { "INDIVIDUAL_ALIAS" } else { "ENTITY_ALIAS" };
    for a in node.all(alias_tag) {
        let Some(name) = a.text_of("ALIAS_NAME") else { continue };
        let quality = a.text_of("QUALITY").unwrap_or_default();
        // QUALITY is "Good"/"Low" for individuals and "a.k.a."/"f.k.a." for
        // entities; UN "Low" quality aliases are the weak ones.
        let kind = match quality.to_ascii_lowercase().as_str() {
            "low" => NameKind::Weak,
            "f.k.a." | "fka" => NameKind::Former,
            _ => NameKind::Alias,
        };
        let via = if quality.is_empty() {
            alias_tag.to_string()
        } else {
            format!("{alias_tag} ({quality})")
        };
        for piece in split_un_alias(&name) {
            raw.name(&piece, kind, Some(&via));
        }
    }
    for p in node.values("UN_LIST_TYPE").into_iter().chain(node.text_of("UN_LIST_TYPE")) {
        raw.programs.push(p);
    }
    if let Some(d) = node.text_of("LISTED_ON") {
        raw.date("listed", &d);
    }
    for t in node.values("TITLE") {
        raw.remark(format!("Title: {t}"));
    }
    for d in node.values("DESIGNATION") {
        raw.remark(format!("Designation: {d}"));
    }
    for n in node.values("NATIONALITY") {
        raw.country(&n);
    }
    let addr_tag = if individual { "INDIVIDUAL_ADDRESS" } else { "ENTITY_ADDRESS" };
    for a in node.all(addr_tag) {
        let parts: Vec<String> = ["STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY"]
            .iter()
            .filter_map(|t| a.text_of(t))
            .collect();
        if parts.is_empty() {
            continue;
        }
        let country = a.text_of("COUNTRY").and_then(|c| crate::country::country_code(&c));
        let full = parts.join(", ");
        let country = country.or_else(|| crate::country::country_in_address(&full));
        if let Some(c) = country {
            raw.countries.push(c.to_string());
        }
        raw.addresses.push(crate::entry::Address { full, country: country.map(str::to_string) });
    }
    for d in node.all("INDIVIDUAL_DATE_OF_BIRTH") {
        if let Some(date) = d.text_of("DATE") {
            raw.date("birth", &date);
        } else if let Some(y) = d.text_of("YEAR") {
            raw.date("birth", &y);
        } else if let (Some(from), Some(to)) = (d.text_of("FROM_YEAR"), d.text_of("TO_YEAR")) {
            raw.date("birth", &format!("{from} to {to}"));
        }
    }
    for p in node.all("INDIVIDUAL_PLACE_OF_BIRTH") {
        let parts: Vec<String> =
            ["CITY", "STATE_PROVINCE", "COUNTRY"].iter().filter_map(|t| p.text_of(t)).collect();
        if !parts.is_empty() {
            raw.remark(format!("POB {}", parts.join(", ")));
        }
    }
    for d in node.all("INDIVIDUAL_DOCUMENT") {
        let Some(number) = d.text_of("NUMBER") else { continue };
        let kind = d
            .text_of("TYPE_OF_DOCUMENT")
            .map(|k| super::ofac_remarks::identifier_kind(&k))
            .unwrap_or_else(|| "document".to_string());
        let country = d.text_of("ISSUING_COUNTRY").or_else(|| d.text_of("COUNTRY_OF_ISSUE"));
        raw.identifier(&kind, &number, country.as_deref());
    }
    if let Some(c) = node.text_of("COMMENTS1") {
        raw.remark(c);
    }
    raw
}

/// One UN `ALIAS_NAME` may hold several names: "A; B; C", an original
/// script name followed by its romanisations "جبهة النصرة (the Victory
/// Front; Jabhat al-Nusrah)", or an enumeration "A b) B".
fn split_un_alias(alias: &str) -> Vec<String> {
    let s = alias.trim().trim_end_matches([',', ';']).trim();
    let mut pieces: Vec<String> = Vec::new();
    // A top-level bracket group holding a ";" list.
    let b = s.as_bytes();
    let mut depth = 0usize;
    let mut start = None;
    let mut list_group = None;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'(' => {
                if depth == 0 {
                    start = Some(i);
                }
                depth += 1;
            }
            b')' if depth > 0 => {
                depth -= 1;
                if depth == 0
                    && let Some(st) = start
                    && s[st..i].contains(';')
                {
                    list_group = Some((st, i));
                }
            }
            _ => {}
        }
    }
    let mut parts: Vec<String> = Vec::new();
    match list_group {
        Some((open, close)) => {
            let head = format!("{} {}", &s[..open], &s[close + 1..]);
            parts.push(head);
            parts.extend(s[open + 1..close].split(';').map(str::to_string));
        }
        None => parts.extend(s.split(';').map(str::to_string)),
    }
    for part in parts {
        // "Mohammad Sabet b) M. Javad Kareemi Sabet": an enumeration.
        let mut rest = part.as_str();
        loop {
            let cut = rest.char_indices().find_map(|(i, _)| {
                let t = &rest[i..];
                let bytes = t.as_bytes();
                (bytes.len() > 3
                    && bytes[0] == b' '
                    && (b'a'..=b'h').contains(&bytes[1])
                    && bytes[2] == b')'
                    && bytes[3] == b' ')
                    .then_some(i)
            });
            match cut {
                Some(i) => {
                    pieces.push(rest[..i].to_string());
                    rest = &rest[i + 4..];
                }
                None => {
                    pieces.push(rest.to_string());
                    break;
                }
            }
        }
    }
    pieces
        .into_iter()
        .map(|p| {
            let p = p.replace("(original script)", "");
            let p = squash(&p);
            let p = p.strip_prefix("a) ").unwrap_or(&p);
            p.trim_matches([',', ';', ' ']).to_string()
        })
        .filter(|p| p.chars().any(char::is_alphanumeric))
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing unwrap is a failing test
mod tests {
    use std::path::Path;

    use super::*;
    use crate::LoadOptions;

    fn run(xml: &str) -> Result<Vec<crate::ListEntry>> {
        let opts = LoadOptions::default();
        let mut sink = Sink::new(Path::new("un.xml"), &opts);
        parse(xml, &mut sink)?;
        Ok(sink.entries)
    }

    const SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST>
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>1</DATAID>
      <FIRST_NAME>ERIC</FIRST_NAME>
      <SECOND_NAME>BADEGE</SECOND_NAME>
      <UN_LIST_TYPE>DRC</UN_LIST_TYPE>
      <REFERENCE_NUMBER>CDi.001</REFERENCE_NUMBER>
      <NATIONALITY><VALUE>Democratic Republic of the Congo</VALUE></NATIONALITY>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Eric &amp; B&#233;d&#8217;ge</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1971</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>OB 0243318</NUMBER><ISSUING_COUNTRY>Democratic Republic of the Congo</ISSUING_COUNTRY></INDIVIDUAL_DOCUMENT>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <DATAID>2</DATAID>
      <FIRST_NAME>ADF</FIRST_NAME>
      <UN_LIST_TYPE>DRC</UN_LIST_TYPE>
      <REFERENCE_NUMBER>CDe.001</REFERENCE_NUMBER>
      <ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>NALU</ALIAS_NAME></ENTITY_ALIAS>
      <ENTITY_ADDRESS><STATE_PROVINCE>North Kivu </STATE_PROVINCE><COUNTRY>Democratic Republic of the Congo</COUNTRY></ENTITY_ADDRESS>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>"#;

    #[test]
    fn sample() {
        let e = run(SAMPLE).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].id, "CDi.001");
        assert_eq!(e[0].primary_name(), "ERIC BADEGE");
        assert_eq!(e[0].names[1].name, "Eric & Béd’ge");
        assert_eq!(e[0].names[1].kind, NameKind::Weak);
        assert_eq!(e[0].countries, vec!["CD"]);
        assert_eq!(e[0].dates[0].value, "1971");
        assert_eq!(e[0].identifiers[0].country.as_deref(), Some("CD"));
        assert_eq!(e[1].schema, EntitySchema::Organization);
        assert_eq!(e[1].names[1].kind, NameKind::Former);
        assert_eq!(e[1].addresses[0].full, "North Kivu, Democratic Republic of the Congo");
    }

    #[test]
    fn packed_aliases() {
        assert_eq!(
            split_un_alias("Abas Rashidi; Abbas Rashedi; Abas Rashedi"),
            vec!["Abas Rashidi", "Abbas Rashedi", "Abas Rashedi"]
        );
        assert_eq!(
            split_un_alias("حسن غول (Hassan Ghul; Hassan Gul; Hasan Gul)"),
            vec!["حسن غول", "Hassan Ghul", "Hassan Gul", "Hasan Gul"]
        );
        assert_eq!(
            split_un_alias(
                "Mohammed Sabet; Mohammad Sabet b) M. Javad Kareemi Sabet; M. Jawad Karimi Sabet"
            ),
            vec![
                "Mohammed Sabet",
                "Mohammad Sabet",
                "M. Javad Kareemi Sabet",
                "M. Jawad Karimi Sabet"
            ]
        );
        assert_eq!(
            split_un_alias(
                "Hay’at Tahrir al-Sham (HTS) (هيئة تحرير الشام (original script); Hay’et Tahrir al-Sham)"
            ),
            vec!["Hay’at Tahrir al-Sham (HTS)", "هيئة تحرير الشام", "Hay’et Tahrir al-Sham"]
        );
        assert_eq!(
            split_un_alias("Akhter Mohmad (اختر محمد ),"),
            vec!["Akhter Mohmad (اختر محمد )"]
        );
        assert_eq!(split_un_alias("(Sheikh) Musa Hilal"), vec!["(Sheikh) Musa Hilal"]);
    }

    #[test]
    fn broken_documents() {
        let truncated = &SAMPLE[..SAMPLE.len() / 2];
        let err = run(truncated).unwrap_err().to_string();
        assert!(err.contains("un.xml:"), "{err}");
        let mismatched = SAMPLE.replace("</SECOND_NAME>", "</SECOND>");
        let err = run(&mismatched).unwrap_err();
        match err {
            crate::ListError::Malformed { line, .. } => assert_eq!(line, Some(7)),
            other => panic!("{other}"),
        }
        assert!(run("not xml at all").is_err());
        assert!(run("<OTHER/>").is_err());
        assert!(run("<OTHER></OTHER>").is_err());
        assert!(run("").is_err());
        assert!(run("<CONSOLIDATED_LIST><X>&bogus;</X></CONSOLIDATED_LIST>").is_err());
    }
}
