//! Shared helpers: where the real data is, small lookups on reports.

use std::path::PathBuf;
use std::sync::OnceLock;

use chiptrace_lists::{ListEntry, LoadOptions, LoadReport, NameKind, load_path};

/// The shared list data folder: `$CHIPTRACE_LISTS_DIR`, else
/// `shared/data/lists` beside the repository root (as on developer
/// machines and in CI), else `/work/shared/data/lists`.
pub fn data_dir() -> PathBuf {
    if let Ok(d) = std::env::var("CHIPTRACE_LISTS_DIR") {
        return PathBuf::from(d);
    }
    let beside = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/lists");
    if beside.is_dir() {
        return beside;
    }
    let fixed = PathBuf::from("/work/shared/data/lists");
    assert!(
        fixed.is_dir(),
        "real list data not found: set CHIPTRACE_LISTS_DIR or put shared/ beside the repository"
    );
    fixed
}

/// A file of the shared data folder.
pub fn data(rel: &str) -> PathBuf {
    data_dir().join(rel)
}

/// The FollowTheMoney sample (`shared/data/er/ftm_donations/donations.ijson`).
pub fn ftm_sample() -> PathBuf {
    data_dir().join("../er/ftm_donations/donations.ijson")
}

/// The whole data folder, loaded once for all tests (a debug-build load
/// takes seconds; the tests only read it).
pub fn all_lists() -> &'static LoadReport {
    static ALL: OnceLock<LoadReport> = OnceLock::new();
    ALL.get_or_init(|| load_path(&data_dir(), &opts()).expect("load all lists"))
}

/// The part of [`all_lists`] that came from the file named `name`.
pub fn file_report(name: &str) -> LoadReport {
    let r = all_lists();
    let mut start = 0;
    for f in &r.files {
        if f.path.file_name().is_some_and(|n| n == name) {
            return LoadReport {
                entries: r.entries[start..start + f.entries].to_vec(),
                bad_rows: r.bad_rows.iter().filter(|b| b.file == f.path).cloned().collect(),
                files: vec![f.clone()],
                skipped: Vec::new(),
            };
        }
        start += f.entries;
    }
    panic!("{name} was not loaded")
}

/// Default options.
pub fn opts() -> LoadOptions {
    LoadOptions::default()
}

/// The entry of `list` with this id.
pub fn by_id<'a>(r: &'a LoadReport, list: &str, id: &str) -> &'a ListEntry {
    r.entries
        .iter()
        .find(|e| e.list == list && e.id == id)
        .unwrap_or_else(|| panic!("no entry {list}/{id}"))
}

/// The first entry of `list` whose primary name is `name`.
pub fn by_name<'a>(r: &'a LoadReport, list: &str, name: &str) -> &'a ListEntry {
    r.entries
        .iter()
        .find(|e| e.list == list && e.primary_name() == name)
        .unwrap_or_else(|| panic!("no entry {list}/{name:?}"))
}

/// `(name, kind)` pairs of an entry.
pub fn names(e: &ListEntry) -> Vec<(String, NameKind)> {
    e.names.iter().map(|n| (n.name.clone(), n.kind)).collect()
}

/// Does the entry have this name with this kind?
pub fn has_name(e: &ListEntry, name: &str, kind: NameKind) -> bool {
    e.names.iter().any(|n| n.name == name && n.kind == kind)
}

/// Write `bytes` to a file `name` in a fresh temp dir; returns (dir, path).
pub fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    (dir, path)
}
