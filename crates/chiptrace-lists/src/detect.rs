//! Format detection: by content first, the file name only as a hint.
//!
//! Official files are routinely renamed (`sdn (3).csv`, `download.xml`), so
//! the bytes decide. The name breaks ties the content cannot (a 12-column
//! OFAC file is the SDN list unless its name says `cons`) and gives a format
//! to files too short to judge (an empty `sdn.csv`, so that loading it
//! fails loudly instead of being skipped).

use std::path::Path;

use crate::Format;

/// How many leading bytes [`detect_format`] needs to decide.
pub(crate) const HEAD_BYTES: usize = 64 * 1024;

/// The OFAC companion file roles, by lower-case file name.
pub(crate) fn companion_role(file_name: &str) -> Option<(&'static str, &'static str)> {
    // (role, primary file name)
    match file_name.to_ascii_lowercase().as_str() {
        "add.csv" => Some(("add", "sdn.csv")),
        "alt.csv" => Some(("alt", "sdn.csv")),
        "sdn_comments.csv" => Some(("comments", "sdn.csv")),
        "cons_add.csv" => Some(("add", "cons_prim.csv")),
        "cons_alt.csv" => Some(("alt", "cons_prim.csv")),
        "cons_comments.csv" => Some(("comments", "cons_prim.csv")),
        _ => None,
    }
}

/// Detect the format of a list file from its first bytes (up to 64 KiB is
/// plenty) and, as a hint, its name. Returns `None` for files that are not
/// lists: metadata such as `lists.json`, documentation, binary data, OFAC
/// companion files (`alt.csv`, …: they are joined to their primary file),
/// and anything unrecognised.
///
/// ```
/// use std::path::Path;
/// use chiptrace_lists::{detect_format, Format};
/// let head = b"<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST><INDIVIDUALS>";
/// assert_eq!(detect_format(Path::new("download.csv"), head), Some(Format::UnXml));
/// assert_eq!(detect_format(Path::new("x.json"), br#"{"generated": "2026", "lists": []}"#), None);
/// ```
pub fn detect_format(path: &Path, head: &[u8]) -> Option<Format> {
    let name =
        path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let ext =
        path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let head = &head[..head.len().min(HEAD_BYTES)];
    let text = crate::text::decode(head);
    let t = text.text.trim_start();
    if t.is_empty() {
        return name_hint(&name);
    }
    // Binary data (NUL bytes after decoding, or mostly control characters).
    let sample: Vec<char> = t.chars().take(1024).collect();
    let control =
        sample.iter().filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')).count();
    if control * 10 > sample.len() {
        return None;
    }
    match t.as_bytes()[0] {
        b'<' => {
            if t.contains("<CONSOLIDATED_LIST")
                || (t.contains("<INDIVIDUALS") || t.contains("<ENTITIES"))
            {
                Some(Format::UnXml)
            } else {
                None
            }
        }
        b'{' => {
            let first_line = t.lines().next().unwrap_or("");
            if first_line.contains("\"schema\"")
                && (first_line.contains("\"properties\"") || first_line.contains("\"id\""))
            {
                Some(Format::FtmJsonl)
            } else if t.contains("\"entities\"")
                && (t.contains("\"list_id\"") || t.contains("\"name\""))
            {
                Some(Format::ListJson)
            } else if t.contains("\"results\"") && csl_keys(t) {
                Some(Format::CslJson)
            } else {
                None
            }
        }
        b'[' => {
            if csl_keys(t) {
                Some(Format::CslJson)
            } else {
                None
            }
        }
        _ => detect_csv(t, &name, &ext),
    }
}

fn csl_keys(t: &str) -> bool {
    t.contains("\"alt_names\"")
        || t.contains("\"entity_number\"")
        || t.contains("\"federal_register_notice\"")
        || (t.contains("\"source\"") && t.contains("\"name\"") && t.contains("\"programs\""))
}

fn name_hint(name: &str) -> Option<Format> {
    match name {
        "sdn.csv" => Some(Format::OfacSdnCsv),
        "cons_prim.csv" => Some(Format::OfacConsCsv),
        "consolidated.csv" => Some(Format::CslCsv),
        "consolidated.json" => Some(Format::CslJson),
        n if n.ends_with(".xml") && n.contains("consolidated") => Some(Format::UnXml),
        n if n.ends_with(".jsonl") || n.ends_with(".ijson") || n.ends_with(".ndjson") => {
            Some(Format::FtmJsonl)
        }
        _ => None,
    }
}

fn detect_csv(t: &str, name: &str, ext: &str) -> Option<Format> {
    let mut rdr =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(t.as_bytes());
    let mut rec = csv::StringRecord::new();
    let first: Vec<String> = match rdr.read_record(&mut rec) {
        Ok(true) => rec.iter().map(|f| f.trim().to_string()).collect(),
        _ => return None,
    };
    let lower: Vec<String> = first.iter().map(|f| f.to_ascii_lowercase()).collect();
    let has = |c: &str| lower.iter().any(|f| f == c);
    if has("source")
        && has("name")
        && (has("alt_names")
            || has("entity_number")
            || has("federal_register_notice")
            || has("source_list_url"))
    {
        return Some(Format::CslCsv);
    }
    let numeric_first = !first[0].is_empty() && first[0].bytes().all(|b| b.is_ascii_digit());
    if numeric_first {
        if first.len() == 12 {
            let typed =
                matches!(lower[2].as_str(), "-0-" | "individual" | "vessel" | "aircraft" | "");
            if typed || t.contains("-0-") {
                return Some(if name.contains("cons") {
                    Format::OfacConsCsv
                } else {
                    Format::OfacSdnCsv
                });
            }
        }
        // 2/5/6 numeric-first columns: OFAC companions (joined, not lists).
        if companion_role(name).is_some() {
            return None;
        }
        if matches!(first.len(), 5 | 6) && t.contains("-0-") {
            return None;
        }
    }
    if let Some(f) = name_hint(name) {
        return Some(f);
    }
    // Anything else with a header-looking first line is a candidate custom
    // list; loading it needs a column mapping.
    let textual = ["csv", "tsv", "txt", ""].contains(&ext);
    let header_like = first.len() >= 2
        && first.iter().all(|f| !f.is_empty() && f.len() <= 200)
        && !first.iter().any(|f| f.bytes().all(|b| b.is_ascii_digit()));
    let tabbed = first.len() == 1 && t.lines().next().is_some_and(|l| l.contains('\t'));
    if textual && (header_like || tabbed) && !name.ends_with(".md") {
        return Some(Format::CustomCsv);
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing unwrap is a failing test
mod tests {
    use super::*;

    fn d(name: &str, head: &str) -> Option<Format> {
        detect_format(Path::new(name), head.as_bytes())
    }

    #[test]
    fn by_content() {
        assert_eq!(
            d(
                "sdn.csv",
                "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
            ),
            Some(Format::OfacSdnCsv)
        );
        assert_eq!(
            d(
                "cons_prim.csv",
                "9639,\"HANIYA, Ismail\",\"individual\",\"NS-PLC\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1962.\"\r\n"
            ),
            Some(Format::OfacConsCsv)
        );
        assert_eq!(d("alt.csv", "9639,9150,\"aka\",\"HANIYA, Ismail\",-0- \r\n"), None);
        assert_eq!(
            d("x.json", "{\n \"list_id\": \"bis-dpl\",\n \"entities\": ["),
            Some(Format::ListJson)
        );
        assert_eq!(
            d("lists.json", "{\n \"generated\": \"2026-07-09\",\n \"lists\": [{\"id\": \"x\"}]}"),
            None
        );
        assert_eq!(
            d(
                "e.ijson",
                "{\"id\": \"x\", \"properties\": {\"name\": [\"MLPD\"]}, \"schema\": \"Organization\"}\n"
            ),
            Some(Format::FtmJsonl)
        );
        assert_eq!(
            d("api.json", "{\"total\": 1, \"results\": [{\"name\": \"x\", \"alt_names\": []}]}"),
            Some(Format::CslJson)
        );
        assert_eq!(
            d("api.json", "[{\"source\": \"x\", \"name\": \"y\", \"programs\": []}]"),
            Some(Format::CslJson)
        );
        assert_eq!(
            d("c.csv", "_id,source,entity_number,type,programs,name,title\n"),
            Some(Format::CslCsv)
        );
        assert_eq!(d("my.csv", "Ref,Company Name,Ctry\n1,Acme,CN\n"), Some(Format::CustomCsv));
        assert_eq!(d("README.md", "# Readme\n\nThis folder has lists."), None);
        assert_eq!(d("PROVENANCE.md", "# Restricted-party list data: provenance\n"), None);
        assert_eq!(d("blob.bin", "\0\0\0\u{1}\u{2}\u{3}garbage\0\0"), None);
    }

    #[test]
    fn misleading_names() {
        assert_eq!(d("sdn.csv", "<?xml version=\"1.0\"?><CONSOLIDATED_LIST>"), Some(Format::UnXml));
        assert_eq!(
            d("un.xml", "36,\"X\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"),
            Some(Format::OfacSdnCsv)
        );
        assert_eq!(d("data.json", "source,name,alt_names,entity_number\n"), Some(Format::CslCsv));
        assert_eq!(
            d("list.csv", "{\"list_id\": \"bis-meu\", \"entities\": []}"),
            Some(Format::ListJson)
        );
    }

    #[test]
    fn empty_files_use_the_name() {
        assert_eq!(d("sdn.csv", ""), Some(Format::OfacSdnCsv));
        assert_eq!(d("other.csv", "  \n"), None);
    }
}
