//! Files and directories: reading, detection, OFAC companion joining,
//! per-file provenance (SHA-256, encoding, counts).

use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::detect::{HEAD_BYTES, companion_role, detect_format};
use crate::error::{ListError, Result};
use crate::formats::{self, ofac::Companions};
use crate::text::{decode, sha256_hex};
use crate::validate::Sink;
use crate::{CompanionFile, Format, LoadOptions, LoadReport, LoadedFile, SkippedFile};

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ListError + '_ {
    move |source| ListError::Io { path: path.to_path_buf(), source }
}

/// Load a list file or a directory of list files.
///
/// A file's format is detected from its content ([`detect_format`]); a file
/// that is not a list is [`ListError::UnknownFormat`]. A directory is walked
/// recursively in sorted path order (so the result is deterministic); files
/// that are not lists (`lists.json` metadata, `PROVENANCE.md`, READMEs,
/// hidden files) are skipped and listed in [`LoadReport::skipped`], and OFAC
/// companion files (`alt.csv`, `add.csv`, `sdn_comments.csv`, `cons_*`) are
/// joined to their primary file in the same directory. Any list file that
/// is malformed fails the whole load: a directory that silently loses a
/// list would under-screen.
pub fn load_path(path: &Path, opts: &LoadOptions) -> Result<LoadReport> {
    let meta = fs::metadata(path).map_err(io_err(path))?;
    if meta.is_dir() {
        let mut report = LoadReport::default();
        let mut visited = HashSet::new();
        load_dir(path, opts, &mut report, &mut visited, 0)?;
        if report.files.is_empty() {
            return Err(ListError::Empty { path: path.to_path_buf() });
        }
        Ok(report)
    } else {
        let head = read_head(path)?;
        match detect_format(path, &head) {
            Some(Format::CustomCsv) if opts.mapping.is_none() => Err(needs_mapping(path, &head)),
            Some(format) => load_file_as(path, format, opts),
            None => {
                let name = file_name(path);
                let reason = match companion_role(&name) {
                    Some((role, primary)) => format!(
                        "OFAC {role} companion file; load its primary file {primary} (or the directory) instead"
                    ),
                    None => "the content is not a known list format".to_string(),
                };
                Err(ListError::UnknownFormat { path: path.to_path_buf(), reason })
            }
        }
    }
}

/// Load several files and/or directories, in the order given; the reports
/// are concatenated.
pub fn load_paths(paths: &[PathBuf], opts: &LoadOptions) -> Result<LoadReport> {
    let mut report = LoadReport::default();
    for p in paths {
        report.extend(load_path(p, opts)?);
    }
    Ok(report)
}

/// Load one file as the given format, skipping detection. For OFAC files,
/// companions named as OFAC names them are looked up in the same directory.
pub fn load_file_as(path: &Path, format: Format, opts: &LoadOptions) -> Result<LoadReport> {
    let bytes = fs::read(path).map_err(io_err(path))?;
    let mut companions = Companions::default();
    let mut companion_files = Vec::new();
    if matches!(format, Format::OfacSdnCsv | Format::OfacConsCsv) {
        for (role, cpath) in find_companions(path)? {
            let cbytes = fs::read(&cpath).map_err(io_err(&cpath))?;
            companion_files.push(CompanionFile {
                path: cpath.clone(),
                role: role.to_string(),
                sha256: sha256_hex(&cbytes),
            });
            let text = decode(&cbytes).text.into_owned();
            match role {
                "alt" => companions.alt = Some((cpath, text)),
                "add" => companions.add = Some((cpath, text)),
                _ => companions.comments = Some((cpath, text)),
            }
        }
    }
    let mut report = parse_file(path, &bytes, format, opts, &companions)?;
    if let Some(f) = report.files.first_mut() {
        f.companions = companion_files;
    }
    Ok(report)
}

/// Parse in-memory bytes as `format`, under the pseudo path `<memory>`
/// (used by fuzzers and by callers that fetched a list themselves). OFAC
/// companions are not available this way.
pub fn parse_bytes(format: Format, bytes: &[u8], opts: &LoadOptions) -> Result<LoadReport> {
    parse_file(Path::new("<memory>"), bytes, format, opts, &Companions::default())
}

fn parse_file(
    path: &Path,
    bytes: &[u8],
    format: Format,
    opts: &LoadOptions,
    companions: &Companions,
) -> Result<LoadReport> {
    let sha256 = sha256_hex(bytes);
    let decoded = decode(bytes);
    let text: &str = &decoded.text;
    let mut sink = Sink::new(path, opts);
    match format {
        Format::ListJson => formats::list_json::parse(text, &mut sink)?,
        Format::OfacSdnCsv => formats::ofac::parse(text, "us_ofac_sdn", companions, &mut sink)?,
        Format::OfacConsCsv => formats::ofac::parse(text, "us_ofac_cons", companions, &mut sink)?,
        Format::UnXml => formats::un_xml::parse(text, &mut sink)?,
        Format::CslCsv => formats::csl::parse_csv(text, &mut sink)?,
        Format::CslJson => formats::csl::parse_json(text, &mut sink)?,
        Format::FtmJsonl => formats::ftm::parse(text, &mut sink)?,
        Format::CustomCsv => match &opts.mapping {
            Some(m) => formats::custom_csv::parse(text, m, &mut sink)?,
            None => return Err(needs_mapping(path, bytes)),
        },
    }
    if sink.entries.is_empty() {
        // Zero entries is never a valid list: an empty download, a
        // truncated file, or a file where every row is broken.
        let (line, message) = match sink.bad.first() {
            Some(first) => (
                first.line,
                format!(
                    "no usable entries: all {} record(s) are bad; first: {}",
                    sink.bad.len(),
                    first.message
                ),
            ),
            None if sink.skipped_records > 0 => (
                None,
                format!(
                    "no matchable entities ({} record(s) of other schemata skipped)",
                    sink.skipped_records
                ),
            ),
            None => (None, "no list entries (empty or truncated file?)".to_string()),
        };
        return Err(ListError::Malformed { path: path.to_path_buf(), line, message });
    }
    let mut list_codes: Vec<String> = sink.entries.iter().map(|e| e.list.clone()).collect();
    list_codes.sort();
    list_codes.dedup();
    let file = LoadedFile {
        path: path.to_path_buf(),
        format,
        sha256,
        entries: sink.entries.len(),
        bad_rows: sink.bad.len(),
        list_codes,
        encoding: decoded.encoding.to_string(),
        skipped_records: sink.skipped_records,
        companions: Vec::new(),
    };
    Ok(LoadReport {
        entries: sink.entries,
        bad_rows: sink.bad,
        files: vec![file],
        skipped: Vec::new(),
    })
}

fn needs_mapping(path: &Path, head: &[u8]) -> ListError {
    let text = decode(&head[..head.len().min(HEAD_BYTES)]);
    let header = text.text.lines().next().unwrap_or("").trim().to_string();
    ListError::Mapping(format!(
        "{} is not a known list format; to load it as a custom CSV list give a column mapping (its header is: {})",
        path.display(),
        crate::text::preview(&header, 300)
    ))
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn read_head(path: &Path) -> Result<Vec<u8>> {
    let f = fs::File::open(path).map_err(io_err(path))?;
    let mut head = Vec::with_capacity(HEAD_BYTES);
    f.take(HEAD_BYTES as u64).read_to_end(&mut head).map_err(io_err(path))?;
    Ok(head)
}

/// Companions of an OFAC primary file in its directory, matched
/// case-insensitively (OFAC publishes `SDN.CSV`, `ALT.CSV`, …).
fn find_companions(primary: &Path) -> Result<Vec<(&'static str, PathBuf)>> {
    let name = file_name(primary).to_ascii_lowercase();
    let dir = primary.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else { return Ok(out) };
    let mut found: Vec<(String, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .map(|e| (e.file_name().to_string_lossy().to_ascii_lowercase(), e.path()))
        .collect();
    found.sort();
    for (lower, p) in found {
        if let Some((role, primary_name)) = companion_role(&lower)
            && primary_name == name
            && p.is_file()
        {
            out.push((role, p));
        }
    }
    Ok(out)
}

fn load_dir(
    dir: &Path,
    opts: &LoadOptions,
    report: &mut LoadReport,
    visited: &mut HashSet<PathBuf>,
    depth: usize,
) -> Result<()> {
    // Symlink loops and absurd depth end the walk instead of recursing forever.
    let canonical = fs::canonicalize(dir).map_err(io_err(dir))?;
    if depth > 32 || !visited.insert(canonical) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> =
        fs::read_dir(dir).map_err(io_err(dir))?.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    let lower_names: HashSet<String> =
        entries.iter().map(|p| file_name(p).to_ascii_lowercase()).collect();
    for path in entries {
        let name = file_name(&path);
        if name.starts_with('.') {
            continue;
        }
        let meta = fs::metadata(&path).map_err(io_err(&path))?;
        if meta.is_dir() {
            load_dir(&path, opts, report, visited, depth + 1)?;
            continue;
        }
        if let Some((role, primary)) = companion_role(&name) {
            let reason = if lower_names.contains(primary) {
                format!("OFAC {role} companion, joined to {primary}")
            } else {
                format!(
                    "OFAC {role} companion without its primary file {primary} in the same directory"
                )
            };
            report.skipped.push(SkippedFile { path, reason });
            continue;
        }
        let head = read_head(&path)?;
        match detect_format(&path, &head) {
            None => report.skipped.push(SkippedFile {
                path,
                reason: "not a recognised list format".to_string(),
            }),
            Some(Format::CustomCsv) if opts.mapping.is_none() => report.skipped.push(SkippedFile {
                path,
                reason: "CSV without a known list header (give a column mapping to load it as a custom list)"
                    .to_string(),
            }),
            Some(format) => report.extend(load_file_as(&path, format, opts)?),
        }
    }
    Ok(())
}
