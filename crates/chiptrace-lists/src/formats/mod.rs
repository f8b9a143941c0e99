//! One module per list format. Each parser reads decoded text, fills
//! [`crate::validate::RawEntry`] values and hands them to a
//! [`crate::validate::Sink`]; structural failures are
//! [`crate::ListError::Malformed`].

pub(crate) mod csl;
pub(crate) mod custom_csv;
pub(crate) mod ftm;
pub(crate) mod list_json;
pub(crate) mod ofac;
pub(crate) mod ofac_remarks;
pub(crate) mod un_xml;

use std::path::Path;

use crate::error::{ListError, Result};
use crate::validate::Sink;

/// A structural error of a whole file.
pub(crate) fn malformed(path: &Path, line: Option<u64>, message: impl Into<String>) -> ListError {
    ListError::Malformed { path: path.to_path_buf(), line, message: message.into() }
}

/// Read every remaining record of a CSV reader, reporting unreadable ones
/// with their line. Records for which `blank` holds are skipped; `f(line,
/// record, sink)` handles the rest, and a record it rejects
/// (`Ok(Err(message))`) becomes a bad row of `file`. More than 1,000
/// unreadable records in a row make the whole file malformed (a binary file
/// that slipped through detection, not a few broken rows).
pub(crate) fn for_each_record(
    rdr: &mut csv::Reader<&[u8]>,
    text: &str,
    file: &Path,
    sink: &mut Sink,
    blank: impl Fn(&csv::StringRecord) -> bool,
    mut f: impl FnMut(
        Option<u64>,
        &csv::StringRecord,
        &mut Sink,
    ) -> Result<std::result::Result<(), String>>,
) -> Result<()> {
    let mut rec = csv::StringRecord::new();
    let mut lines = crate::text::LineCounter::new(text);
    let mut errors_in_a_row = 0;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                errors_in_a_row = 0;
                let line = rec.position().map(|p| lines.record(p.byte()));
                if blank(&rec) {
                    continue;
                }
                if let Err(msg) = f(line, &rec, sink)? {
                    sink.bad_in(file, line, msg)?;
                }
            }
            Err(e) => {
                let line = e.position().map(|p| lines.record(p.byte()));
                sink.bad_in(file, line, format!("unreadable CSV record: {e}"))?;
                errors_in_a_row += 1;
                if errors_in_a_row > 1000 {
                    return Err(malformed(file, line, "too many unreadable CSV records"));
                }
            }
        }
    }
    Ok(())
}

/// Whether every field of a record is blank (an empty line of a headed CSV).
pub(crate) fn all_blank(rec: &csv::StringRecord) -> bool {
    rec.iter().all(|f| f.trim().is_empty())
}

/// The row-shape checks of headed CSV formats: as many fields as the
/// header, and none longer than `max` bytes (naming the column).
pub(crate) fn check_shape(
    rec: &csv::StringRecord,
    headers: &[String],
    max: usize,
) -> std::result::Result<(), String> {
    if rec.len() != headers.len() {
        return Err(format!("expected {} columns, found {}", headers.len(), rec.len()));
    }
    if let Some((i, f)) = rec.iter().enumerate().find(|(_, f)| f.len() > max) {
        return Err(format!(
            "field `{}` is {} bytes, over the limit of {} bytes",
            headers[i],
            f.len(),
            max
        ));
    }
    Ok(())
}

/// A JSON parse error as [`ListError::Malformed`] with the line serde_json reports.
pub(crate) fn json_error(path: &Path, e: &serde_json::Error) -> ListError {
    let line = if e.line() > 0 { Some(e.line() as u64) } else { None };
    malformed(path, line, format!("invalid JSON: {e}"))
}

/// 1-based line numbers of the elements of a JSON array: the top-level
/// array (`key` = `None`) or the array under a top-level object key.
///
/// serde_json's `Value` keeps no positions, so after a successful parse this
/// cheap byte scan (strings and escapes aware) finds where each element
/// starts, so a bad record can be reported by line like a CSV row.
pub(crate) fn json_element_lines(text: &str, key: Option<&str>) -> Vec<u64> {
    let b = text.as_bytes();
    let mut lines = Vec::new();
    let mut line: u64 = 1;
    let mut depth: usize = 0;
    let mut target: Option<usize> = None;
    let mut expect_value = false;
    let mut last_string_start = 0usize;
    let mut last_string_end = 0usize;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => line += 1,
            b'"' => {
                if expect_value && target == Some(depth) {
                    lines.push(line);
                    expect_value = false;
                }
                let start = i + 1;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    } else if b[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
                last_string_start = start;
                last_string_end = i.min(b.len());
            }
            b'[' | b'{' => {
                if expect_value && target == Some(depth) {
                    lines.push(line);
                    expect_value = false;
                }
                depth += 1;
                if c == b'[' && target.is_none() {
                    let is_target = match key {
                        None => depth == 1,
                        Some(k) => {
                            depth == 2 && text.get(last_string_start..last_string_end) == Some(k)
                        }
                    };
                    if is_target {
                        target = Some(depth);
                        expect_value = true;
                    }
                }
            }
            b']' | b'}' => {
                if target == Some(depth) {
                    target = Some(usize::MAX); // done: ignore later arrays
                }
                depth = depth.saturating_sub(1);
            }
            b',' => {
                if target == Some(depth) {
                    expect_value = true;
                }
            }
            c if c.is_ascii_whitespace() => {}
            _ => {
                if expect_value && target == Some(depth) {
                    lines.push(line);
                    expect_value = false;
                }
            }
        }
        i += 1;
    }
    lines
}

/// The stem of a path as a list code fallback (`my list.csv` -> `my_list`).
pub(crate) fn stem_code(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let code = slug(&stem);
    if code.is_empty() { "custom".to_string() } else { code }
}

/// Lower-case ASCII letters/digits with single underscores.
pub(crate) fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing unwrap is a failing test
mod tests {
    use super::*;

    #[test]
    fn element_lines() {
        let t = "{\n \"list_id\": \"x\",\n \"entities\": [\n  {\"name\": \"a\"},\n  {\"name\": \"b [\\\"q\\\"]\"}\n ]\n}";
        assert_eq!(json_element_lines(t, Some("entities")), vec![4, 5]);
        assert_eq!(json_element_lines("[1,\n2,\n{}]", None), vec![1, 2, 3]);
        assert_eq!(json_element_lines("{\"results\": []}", Some("results")), Vec::<u64>::new());
        assert_eq!(slug("My List (v2).csv"), "my_list_v2_csv");
    }
}
