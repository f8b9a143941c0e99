//! The update pipeline: stage -> validate -> commit, per source.
//!
//! [`ListStore::update`] downloads; [`ListStore::install_local`] copies
//! local files (air-gapped import). Both end in the same validation and
//! commit, so a file gets exactly the same checks whichever way it came.

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::clock::UtcStamp;
use crate::error::{Result, UpdateError};
use crate::fetch::{CopyError, Fetcher, copy_hashed};
use crate::manifest::{
    MANIFEST_FORMAT, Manifest, ManifestFile, Origin, SkippedFile, content_sha256,
};
use crate::source::{Source, validate_file_name, validate_source_id, validate_sources};
use crate::store::{DATA_DIR, ListStore, discard_staging};
use crate::validate::{check_counts, parse_staged};

/// Limits and filters of an update run.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateOptions {
    /// Deadline for each file, from connecting to the last byte, across
    /// redirects. Default 300 s.
    pub timeout: Duration,
    /// Largest accepted file in bytes (after decompression). Default 512 MiB;
    /// the largest official file (the CSL CSV) is well under 100 MiB.
    pub max_bytes: u64,
    /// Largest accepted relative drop of the entry count against the
    /// version in use, as a fraction. Default 0.20 (20 %).
    pub max_drop: f64,
    /// Only update these source ids (`--only`); `None` updates all.
    pub only: Option<Vec<String>>,
}

impl UpdateOptions {
    /// Reject values that would silently disable a safety check: a NaN or
    /// out-of-range `max_drop` would make every drop pass.
    pub fn validate(&self) -> Result<()> {
        if !(self.max_drop.is_finite() && (0.0..=1.0).contains(&self.max_drop)) {
            return Err(UpdateError::InvalidOptions(format!(
                "max_drop must be a fraction between 0 and 1 (0.2 = 20%), got {}",
                self.max_drop
            )));
        }
        if self.max_bytes == 0 {
            return Err(UpdateError::InvalidOptions("max_bytes must be positive".into()));
        }
        if self.timeout.is_zero() {
            return Err(UpdateError::InvalidOptions("timeout must be positive".into()));
        }
        Ok(())
    }
}

impl Default for UpdateOptions {
    fn default() -> Self {
        UpdateOptions {
            timeout: Duration::from_secs(300),
            max_bytes: 512 * 1024 * 1024,
            max_drop: 0.20,
            only: None,
        }
    }
}

/// What happened to one source in an update run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SourceOutcome {
    /// A new version passed validation and is now in use.
    Installed {
        /// Source id.
        source: String,
        /// The new version.
        version: String,
        /// Its entry count.
        entries: usize,
        /// Entry count of the version it replaced, if any.
        previous_entries: Option<usize>,
        /// `(file name, sha256)` of the installed files.
        files: Vec<(String, String)>,
    },
    /// The files are byte-identical to the version in use; nothing changed.
    Unchanged {
        /// Source id.
        source: String,
        /// The version in use.
        version: String,
    },
    /// The download or its validation failed; the version in use (if any)
    /// stays in use.
    Rejected {
        /// Source id.
        source: String,
        /// Why, naming the file and URL or the counts.
        reason: String,
        /// The version that stays in use, if there is one.
        kept_version: Option<String>,
    },
}

impl SourceOutcome {
    /// The source id.
    pub fn source(&self) -> &str {
        match self {
            SourceOutcome::Installed { source, .. }
            | SourceOutcome::Unchanged { source, .. }
            | SourceOutcome::Rejected { source, .. } => source,
        }
    }

    /// True for [`SourceOutcome::Rejected`].
    pub fn is_rejected(&self) -> bool {
        matches!(self, SourceOutcome::Rejected { .. })
    }
}

impl fmt::Display for SourceOutcome {
    /// One line for humans, e.g.
    /// `us_ofac_sdn: rejected: sdn.csv: http://...: HTTP status 404 Not Found; version 20260709T120000Z-ab12cd34 stays in use`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceOutcome::Installed { source, version, entries, previous_entries, .. } => {
                write!(f, "{source}: installed {version} ({entries} entries")?;
                match previous_entries {
                    Some(p) => write!(f, ", previously {p})"),
                    None => write!(f, ", first install)"),
                }
            }
            SourceOutcome::Unchanged { source, version } => {
                write!(f, "{source}: unchanged, {version} stays in use")
            }
            SourceOutcome::Rejected { source, reason, kept_version } => {
                write!(f, "{source}: rejected: {reason}; ")?;
                match kept_version {
                    Some(v) => write!(f, "version {v} stays in use"),
                    None => write!(f, "no version of this source is installed"),
                }
            }
        }
    }
}

/// The outcome of every source in an update run, in source order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateReport {
    /// One outcome per source processed.
    pub outcomes: Vec<SourceOutcome>,
}

impl UpdateReport {
    /// True if any source was rejected (the CLI should exit non-zero).
    pub fn has_rejections(&self) -> bool {
        self.outcomes.iter().any(SourceOutcome::is_rejected)
    }

    /// The outcome for a source id.
    pub fn get(&self, source_id: &str) -> Option<&SourceOutcome> {
        self.outcomes.iter().find(|o| o.source() == source_id)
    }
}

/// One file placed in a staging directory.
struct StagedFile {
    file_name: String,
    /// Must be read as a list (or joined as an OFAC companion): true for
    /// every download and every explicitly named local file, false for
    /// files picked up from a directory (which may hold metadata).
    must_load: bool,
    url: Option<String>,
    local_path: Option<String>,
    sha256: String,
    size: u64,
}

/// What a staging step produced.
struct Staged {
    files: Vec<StagedFile>,
    skipped: Vec<SkippedFile>,
    origin: Origin,
    description: String,
}

impl ListStore {
    /// Download, validate and install each source (or those in
    /// `opts.only`), one after the other.
    ///
    /// A source whose download or validation fails is reported as
    /// [`SourceOutcome::Rejected`] and changes nothing; the next source
    /// still runs. An `Err` means the run itself could not proceed: invalid
    /// sources, an unknown id in `only`, the store locked by another
    /// update, or a failure of the data directory (outcomes of sources
    /// already committed stay committed and are visible via
    /// [`ListStore::current`]).
    pub fn update(&self, sources: &[Source], opts: &UpdateOptions) -> Result<UpdateReport> {
        opts.validate()?;
        validate_sources(sources)?;
        let selected = select(sources, opts.only.as_deref())?;
        let _lock = self.lock()?;
        let fetcher = Fetcher::new(opts.timeout, opts.max_bytes);
        let mut outcomes = Vec::with_capacity(selected.len());
        for source in selected {
            let staging = self.new_staging(&source.id)?;
            let outcome = match download(&fetcher, source, &staging) {
                Ok(staged) => self.validate_and_commit(&source.id, &staging, staged, opts),
                Err(reason) => {
                    discard_staging(&staging);
                    self.rejected(&source.id, reason)
                }
            };
            outcomes.push(outcome?);
        }
        Ok(UpdateReport { outcomes })
    }

    /// Install a source from local files (an air-gapped import of files
    /// fetched elsewhere), with exactly the checks of [`ListStore::update`]:
    /// parse, non-empty, the drop rule, identical-to-current detection.
    ///
    /// Each path may be a file (stored under its own name) or a directory
    /// (its non-hidden regular files are taken, not recursively).
    /// `opts.max_bytes` applies per file; `opts.timeout` and `opts.only` are
    /// not used. Problems with the files themselves (unreadable, too large,
    /// unparseable) give [`SourceOutcome::Rejected`]; an invalid id, no
    /// files or duplicate names give an `Err`.
    pub fn install_local(
        &self,
        source_id: &str,
        files: &[PathBuf],
        opts: &UpdateOptions,
    ) -> Result<SourceOutcome> {
        opts.validate()?;
        validate_source_id(source_id)?;
        let inputs = expand_local_inputs(source_id, files)?;
        let _lock = self.lock()?;
        let staging = self.new_staging(source_id)?;
        match copy_local(&inputs, &staging, opts.max_bytes) {
            Ok(staged) => self.validate_and_commit(source_id, &staging, staged, opts),
            Err(reason) => {
                discard_staging(&staging);
                self.rejected(source_id, reason)
            }
        }
    }

    fn rejected(&self, source_id: &str, reason: String) -> Result<SourceOutcome> {
        let kept_version = self.current_version(source_id)?.map(|v| v.version);
        Ok(SourceOutcome::Rejected { source: source_id.to_owned(), reason, kept_version })
    }

    /// The common tail of both pipelines. Caller holds the lock.
    fn validate_and_commit(
        &self,
        source_id: &str,
        staging: &Path,
        staged: Staged,
        opts: &UpdateOptions,
    ) -> Result<SourceOutcome> {
        let current = match self.current_version(source_id) {
            Ok(c) => c,
            Err(e) => {
                discard_staging(staging);
                return Err(e);
            }
        };
        let hashes: Vec<(String, String)> =
            staged.files.iter().map(|f| (f.file_name.clone(), f.sha256.clone())).collect();
        let content = content_sha256(&hashes);

        // Identical bytes under identical names: nothing to do, and no need
        // to spend time parsing.
        if let Some(cur) = &current
            && cur.content_sha256 == content
        {
            discard_staging(staging);
            return Ok(SourceOutcome::Unchanged {
                source: source_id.to_owned(),
                version: cur.version.clone(),
            });
        }

        let kept_version = current.as_ref().map(|c| c.version.clone());
        let reject = |reason: String| {
            discard_staging(staging);
            Ok(SourceOutcome::Rejected {
                source: source_id.to_owned(),
                reason,
                kept_version: kept_version.clone(),
            })
        };
        let must_load: Vec<&str> =
            staged.files.iter().filter(|f| f.must_load).map(|f| f.file_name.as_str()).collect();
        let parsed = match parse_staged(&staging.join(DATA_DIR), &must_load) {
            Ok(p) => p,
            Err(message) => {
                return reject(format!(
                    "parse failed: {message}{}",
                    origin_hint(&message, &staged.files)
                ));
            }
        };
        let previous_entries = current.as_ref().map(|c| c.entries);
        if let Some(reason) = check_counts(parsed, previous_entries, opts.max_drop) {
            return reject(format!("{} ({})", reason, describe_files(&staged.files)));
        }

        let stamp = UtcStamp::now();
        let version = self.fresh_version_name(source_id, &stamp, &content);
        let mut files: Vec<ManifestFile> = staged
            .files
            .into_iter()
            .map(|f| ManifestFile {
                file_name: f.file_name,
                url: f.url,
                local_path: f.local_path,
                sha256: f.sha256,
                size: f.size,
            })
            .collect();
        files.sort_by(|a, b| a.file_name.cmp(&b.file_name));
        let manifest = Manifest {
            format: MANIFEST_FORMAT,
            source: source_id.to_owned(),
            description: staged.description,
            version: version.clone(),
            installed_at: stamp.rfc3339(),
            origin: staged.origin,
            files,
            skipped: staged.skipped,
            content_sha256: content,
            entries: parsed.entries,
            bad_rows: parsed.bad_rows,
            previous_version: kept_version.clone(),
            previous_entries,
            tool: concat!("chiptrace-update ", env!("CARGO_PKG_VERSION")).to_owned(),
        };
        if let Err(e) = self.commit_staged(staging, &manifest) {
            discard_staging(staging);
            return Err(e);
        }
        // Pruning problems do not undo a successful install; they are
        // retried at the next install of this source.
        let _ = self.prune(source_id);
        Ok(SourceOutcome::Installed {
            source: source_id.to_owned(),
            version,
            entries: parsed.entries,
            previous_entries,
            files: manifest.file_hashes(),
        })
    }
}

/// Apply `only`, failing on ids that are not configured.
fn select<'a>(sources: &'a [Source], only: Option<&[String]>) -> Result<Vec<&'a Source>> {
    let Some(only) = only else {
        return Ok(sources.iter().collect());
    };
    for id in only {
        if !sources.iter().any(|s| &s.id == id) {
            return Err(UpdateError::UnknownSource {
                id: id.clone(),
                known: sources.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", "),
            });
        }
    }
    Ok(sources.iter().filter(|s| only.contains(&s.id)).collect())
}

/// Fetch every file of a source into `staging/data/`. The error is the
/// rejection reason, naming the file and the URL.
fn download(
    fetcher: &Fetcher,
    source: &Source,
    staging: &Path,
) -> std::result::Result<Staged, String> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for file in &source.files {
        let dest = staging.join(DATA_DIR).join(&file.file_name);
        match fetcher.fetch(&file.url, &dest) {
            Ok(stored) => files.push(StagedFile {
                file_name: file.file_name.clone(),
                must_load: true,
                url: Some(file.url.clone()),
                local_path: None,
                sha256: stored.sha256,
                size: stored.size,
            }),
            Err(e) if !file.required && e.is_not_found() => {
                // A partial body may have been written before the status
                // was known; make sure nothing of it is parsed.
                let _ = std::fs::remove_file(&dest);
                skipped.push(SkippedFile {
                    file_name: file.file_name.clone(),
                    url: file.url.clone(),
                    reason: e.to_string(),
                });
            }
            Err(e) => {
                let kind = if file.required { "required file" } else { "optional file" };
                return Err(format!("{kind} {}: {e}", file.file_name));
            }
        }
    }
    Ok(Staged { files, skipped, origin: Origin::Download, description: source.description.clone() })
}

/// A local input file and the name it will be stored under.
struct LocalInput {
    path: PathBuf,
    file_name: String,
    /// Named explicitly (not found in a directory).
    explicit: bool,
}

/// Expand directories and check names; user errors become `Err`.
fn expand_local_inputs(source_id: &str, paths: &[PathBuf]) -> Result<Vec<LocalInput>> {
    let user_err =
        |message: String| UpdateError::LocalFiles { source_id: source_id.to_owned(), message };
    let mut inputs = Vec::new();
    for path in paths {
        if path.is_dir() {
            let read = std::fs::read_dir(path)
                .map_err(|e| user_err(format!("cannot list {}: {e}", path.display())))?;
            let mut found = Vec::new();
            for entry in read {
                let entry =
                    entry.map_err(|e| user_err(format!("cannot list {}: {e}", path.display())))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.starts_with('.') && entry.path().is_file() {
                    found.push(entry.path());
                }
            }
            found.sort();
            for p in found {
                inputs.push(local_input(&p, false).map_err(&user_err)?);
            }
        } else {
            inputs.push(local_input(path, true).map_err(&user_err)?);
        }
    }
    if inputs.is_empty() {
        return Err(user_err("no files given".into()));
    }
    let mut names: Vec<String> = inputs.iter().map(|i| i.file_name.to_ascii_lowercase()).collect();
    names.sort();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(user_err(format!("two files are named {:?}", w[0])));
    }
    Ok(inputs)
}

fn local_input(path: &Path, explicit: bool) -> std::result::Result<LocalInput, String> {
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{} has no usable file name", path.display()))?
        .to_owned();
    validate_file_name(&file_name).map_err(|m| format!("{}: {m}", path.display()))?;
    Ok(LocalInput { path: path.to_owned(), file_name, explicit })
}

/// Copy local files into `staging/data/`, hashing and fsyncing them.
fn copy_local(
    inputs: &[LocalInput],
    staging: &Path,
    max_bytes: u64,
) -> std::result::Result<Staged, String> {
    let mut files = Vec::new();
    for input in inputs {
        let shown = input.path.display();
        let mut src = File::open(&input.path).map_err(|e| format!("cannot read {shown}: {e}"))?;
        let dest = staging.join(DATA_DIR).join(&input.file_name);
        let mut out =
            File::create(&dest).map_err(|e| format!("cannot write {}: {e}", dest.display()))?;
        let stored = copy_hashed(&mut src, &mut out, max_bytes).map_err(|e| match e {
            CopyError::Read(e) => format!("cannot read {shown}: {e}"),
            CopyError::Write(e) => format!("cannot write {}: {e}", dest.display()),
            CopyError::TooLarge => format!("{shown} is larger than the {max_bytes}-byte limit"),
        })?;
        out.sync_all().map_err(|e| format!("cannot write {}: {e}", dest.display()))?;
        let absolute = std::path::absolute(&input.path).unwrap_or_else(|_| input.path.clone());
        files.push(StagedFile {
            file_name: input.file_name.clone(),
            must_load: input.explicit,
            url: None,
            local_path: Some(absolute.display().to_string()),
            sha256: stored.sha256,
            size: stored.size,
        });
    }
    Ok(Staged {
        files,
        skipped: Vec::new(),
        origin: Origin::Local,
        description: "local import".into(),
    })
}

/// If a parse error names one of the staged files, say where it came from.
fn origin_hint(message: &str, files: &[StagedFile]) -> String {
    files
        .iter()
        .find(|f| {
            message.strip_prefix(f.file_name.as_str()).is_some_and(|rest| rest.starts_with(':'))
        })
        .and_then(|f| f.url.as_ref().or(f.local_path.as_ref()))
        .map(|from| format!(" (from {from})"))
        .unwrap_or_default()
}

/// `sdn.csv, alt.csv` for count messages.
fn describe_files(files: &[StagedFile]) -> String {
    let names: Vec<&str> = files.iter().map(|f| f.file_name.as_str()).collect();
    format!("files: {}", names.join(", "))
}
