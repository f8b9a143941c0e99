//! Validation of a staged file set: parse it with the real list loader and
//! apply the acceptance rules. Kept apart from the pipeline so the rules
//! read in one place:
//!
//! 1. the files must parse (`chiptrace_lists::load_path`, non-strict);
//! 2. they must yield at least one entry;
//! 3. bad rows must not outnumber good entries (a first install has no
//!    previous count to compare with, so this is what catches an HTML
//!    error page or a half-garbled file that still yields a few rows);
//! 4. the entry count must not drop by more than `max_drop` against the
//!    version in use.

use std::path::Path;

use chiptrace_lists::{ListError, LoadOptions, load_path};

/// What the loader made of a staged file set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Parsed {
    /// Entries read.
    pub entries: usize,
    /// Rows skipped as bad.
    pub bad_rows: usize,
}

/// Parse the staged `data/` directory. On failure, return the loader's
/// message with the staging path removed, so that it names the file as
/// published (`sdn.csv: ...`) rather than a temporary path that no longer
/// exists when the message is read.
///
/// `must_load` names the files that must each be read as a list (or joined
/// to one as an OFAC companion). The loader skips files it does not
/// recognise when reading a directory, which is right for metadata such as
/// `lists.json` picked up from a folder, but a file that was configured as
/// a list source (or named explicitly for import) and is not recognised is
/// a failed download, e.g. an HTML error page served with status 200.
pub(crate) fn parse_staged(data_dir: &Path, must_load: &[&str]) -> Result<Parsed, String> {
    let opts = LoadOptions { strict: false, ..LoadOptions::default() };
    let report = match load_path(data_dir, &opts) {
        Ok(report) => report,
        Err(ListError::Empty { .. }) => return Err(explain_unrecognised(data_dir, must_load)),
        Err(e) => return Err(strip_dir(&e.to_string(), data_dir)),
    };
    let used = |name: &str| {
        let is = |p: &Path| p.file_name().is_some_and(|n| n == name);
        report.files.iter().any(|f| is(&f.path) || f.companions.iter().any(|c| is(&c.path)))
    };
    for name in must_load {
        if used(name) {
            continue;
        }
        let why = report
            .skipped
            .iter()
            .find(|s| s.path.file_name().is_some_and(|n| n == *name))
            .map(|s| s.reason.clone())
            .unwrap_or_else(|| "it was not read by the list loader".into());
        return Err(format!("{name}: not loaded as a list file: {why}"));
    }
    Ok(Parsed { entries: report.entries.len(), bad_rows: report.bad_rows.len() })
}

/// The directory held no recognisable list file: load each file on its own
/// to get the loader's reason for each.
fn explain_unrecognised(data_dir: &Path, must_load: &[&str]) -> String {
    let opts = LoadOptions { strict: false, ..LoadOptions::default() };
    let reasons: Vec<String> = must_load
        .iter()
        .map(|name| match load_path(&data_dir.join(name), &opts) {
            Ok(_) => format!("{name}: not loaded as part of the set"),
            Err(e) => strip_dir(&e.to_string(), data_dir),
        })
        .collect();
    if reasons.is_empty() {
        "no recognised list file among the files".into()
    } else {
        reasons.join("; ")
    }
}

/// Remove `dir/` (and a bare `dir`) from a message.
pub(crate) fn strip_dir(message: &str, dir: &Path) -> String {
    let shown = dir.display().to_string();
    message
        .replace(&format!("{shown}{}", std::path::MAIN_SEPARATOR), "")
        .replace(&shown, "the downloaded files")
}

/// Apply rules 2-4 to a successful parse. `previous` is the entry count of
/// the version in use. Returns the rejection reason, if any.
pub(crate) fn check_counts(
    parsed: Parsed,
    previous: Option<usize>,
    max_drop: f64,
) -> Option<String> {
    if parsed.entries == 0 {
        return Some(format!(
            "the files parsed but yielded no entries ({} bad rows)",
            parsed.bad_rows
        ));
    }
    if parsed.bad_rows > parsed.entries {
        return Some(format!(
            "more bad rows than entries ({} bad rows, {} entries): the files do not look like the \
             expected list",
            parsed.bad_rows, parsed.entries
        ));
    }
    let prev = previous?;
    if prev == 0 || parsed.entries >= prev {
        return None;
    }
    let drop = (prev - parsed.entries) as f64 / prev as f64;
    // A tiny epsilon so that "exactly 20%" is allowed despite float
    // rounding of e.g. 0.2 * 3.
    if drop > max_drop + 1e-12 {
        return Some(format!(
            "entry count dropped from {prev} to {} (-{}%), more than the {}% allowed",
            parsed.entries,
            percent(drop),
            percent(max_drop)
        ));
    }
    None
}

/// `0.2` -> `"20"`, `0.5012` -> `"50.1"`.
fn percent(fraction: f64) -> String {
    let p = fraction * 100.0;
    let rounded = (p * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded:.1}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(entries: usize, bad_rows: usize) -> Parsed {
        Parsed { entries, bad_rows }
    }

    #[test]
    fn drop_rule() {
        assert_eq!(check_counts(parsed(80, 0), Some(100), 0.2), None, "exactly 20% is allowed");
        assert_eq!(check_counts(parsed(90, 0), Some(100), 0.2), None);
        assert_eq!(check_counts(parsed(150, 0), Some(100), 0.2), None);
        assert_eq!(check_counts(parsed(5, 0), None, 0.2), None, "no baseline on first install");
        let msg = check_counts(parsed(50, 0), Some(100), 0.2).expect("rejected");
        assert_eq!(msg, "entry count dropped from 100 to 50 (-50%), more than the 20% allowed");
        let msg = check_counts(parsed(7482, 0), Some(14965), 0.2).expect("rejected");
        assert!(msg.contains("(-50%)"), "{msg}");
        let msg = check_counts(parsed(2, 0), Some(3), 0.25).expect("rejected");
        assert!(msg.contains("(-33.3%)") && msg.contains("the 25% allowed"), "{msg}");
    }

    #[test]
    fn empty_and_mostly_bad() {
        assert!(check_counts(parsed(0, 0), None, 0.2).expect("empty").contains("no entries"));
        assert!(check_counts(parsed(3, 10), None, 0.2).expect("bad").contains("more bad rows"));
        assert_eq!(check_counts(parsed(10, 10), None, 0.2), None);
    }

    #[test]
    fn strips_staging_paths() {
        let dir = Path::new("/data/lists/.staging/x-1-2/data");
        let msg = format!("{}/sdn.csv:3: bad row", dir.display());
        assert_eq!(strip_dir(&msg, dir), "sdn.csv:3: bad row");
        let msg = format!("{}: no list files found", dir.display());
        assert_eq!(strip_dir(&msg, dir), "the downloaded files: no list files found");
    }
}
