//! The versioned data directory and its pointer file.
//!
//! Layout (everything under `<root>/lists/`):
//!
//! ```text
//! current.json                         which version of each source is in use
//! .lock                                held while an update or switch runs
//! .staging/<id>-<pid>-<nanos>/         a download in progress (never read by screening)
//! <id>/<version>/manifest.json         audit record of the version
//! <id>/<version>/data/<file>...        the list files, exactly as published
//! ```
//!
//! Invariant: `current.json` only ever names version directories that are
//! complete (all files and the manifest written and fsynced). See
//! [`ListStore::commit_staged`] for the write order that guarantees it.

use std::collections::BTreeMap;
use std::fs::{self, File, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::clock::UtcStamp;
use crate::error::{Result, UpdateError};
use crate::manifest::{InstalledVersion, MANIFEST_FILE, Manifest};
use crate::source::validate_source_id;

/// Directory under the data root that holds everything of this crate.
const LISTS_DIR: &str = "lists";
/// Pointer file name.
const CURRENT_FILE: &str = "current.json";
/// Temporary pointer file, renamed over `current.json`.
const CURRENT_TMP: &str = ".current.json.tmp";
/// Staging directory name.
const STAGING_DIR: &str = ".staging";
/// Lock file name.
const LOCK_FILE: &str = ".lock";
/// Name of the directory inside a version that holds the list files. The
/// manifest sits beside it, not inside, so that loading `data/` never sees
/// a file that is not a list.
pub(crate) const DATA_DIR: &str = "data";
/// Versions kept per source, counting the one in use.
pub const KEEP_VERSIONS: usize = 3;
/// Layout version of `current.json`.
const POINTER_FORMAT: u32 = 1;

/// Contents of `current.json`. A `BTreeMap` keeps the file byte-stable for
/// the same state, which makes it diffable and hashable for audit.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Pointer {
    format: u32,
    #[serde(default)]
    updated_at: Option<String>,
    #[serde(default)]
    pub(crate) sources: BTreeMap<String, PointerEntry>,
}

/// The version in use for one source.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PointerEntry {
    pub(crate) version: String,
}

/// A versioned list data directory (`<root>/lists/`). See the module docs
/// for the layout and `docs/list-updates.md` for the rules.
#[derive(Debug, Clone)]
pub struct ListStore {
    root: PathBuf,
    lists: PathBuf,
}

/// Exclusive lock on the store; released when dropped (the OS releases it
/// when the file is closed, also if the process dies).
pub(crate) struct StoreLock {
    _file: File,
}

impl ListStore {
    /// Open (creating `<root>/lists/` if needed) the store under `root`.
    ///
    /// Also recovers from an interrupted run: if no other process holds the
    /// store's lock, leftover staging directories and a half-written
    /// temporary pointer file are deleted. `current.json` itself is never
    /// touched here; by construction it names a complete version.
    pub fn open(root: &Path) -> Result<ListStore> {
        let lists = root.join(LISTS_DIR);
        fs::create_dir_all(lists.join(STAGING_DIR))
            .map_err(|e| UpdateError::io("cannot create", &lists, e))?;
        let store = ListStore { root: root.to_owned(), lists };
        // If another process is updating, its staging dir is live: leave it.
        if let Some(_lock) = store.try_lock_inner()? {
            store.clean_leftovers()?;
        }
        Ok(store)
    }

    /// Open an existing store without writing anything: no directory is
    /// created, no lock taken, no leftovers cleaned. For processes that
    /// only read what is in use (screening, `lists status`), possibly from
    /// a read-only mount. Updating through such a handle still works if
    /// the directory is in fact writable.
    pub fn open_read_only(root: &Path) -> Result<ListStore> {
        let lists = root.join(LISTS_DIR);
        if !lists.is_dir() {
            return Err(UpdateError::io(
                "no list store at",
                &lists,
                std::io::Error::from(std::io::ErrorKind::NotFound),
            ));
        }
        Ok(ListStore { root: root.to_owned(), lists })
    }

    /// The data root this store was opened on.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `<root>/lists`.
    pub fn lists_dir(&self) -> &Path {
        &self.lists
    }

    /// The versions in use, one per installed source, sorted by source id.
    /// Empty before the first successful install.
    pub fn current(&self) -> Result<Vec<InstalledVersion>> {
        let pointer = self.read_pointer()?;
        pointer.sources.iter().map(|(id, entry)| self.installed(id, &entry.version)).collect()
    }

    /// The version in use for `source_id`, if any.
    pub fn current_version(&self, source_id: &str) -> Result<Option<InstalledVersion>> {
        let pointer = self.read_pointer()?;
        pointer.sources.get(source_id).map(|e| self.installed(source_id, &e.version)).transpose()
    }

    /// The `data/` directories of the versions in use, sorted by source id:
    /// load each with `chiptrace_lists::load_path` to screen against exactly
    /// what `current.json` names.
    pub fn current_paths(&self) -> Result<Vec<PathBuf>> {
        Ok(self.current()?.into_iter().map(|v| v.data_dir).collect())
    }

    /// All versions of `source_id` on disk, newest first (by install time).
    /// Directories without a readable manifest are skipped: they cannot be
    /// in use.
    pub fn versions(&self, source_id: &str) -> Result<Vec<InstalledVersion>> {
        validate_source_id(source_id)?;
        let mut versions: Vec<InstalledVersion> = self
            .version_dirs(source_id)?
            .into_iter()
            .filter_map(|dir| InstalledVersion::from_dir(source_id, dir).ok())
            .collect();
        versions.sort_by(|a, b| (&b.installed_at, &b.version).cmp(&(&a.installed_at, &a.version)));
        Ok(versions)
    }

    /// Switch `source_id` back (or forward) to a version that is still on
    /// disk, e.g. to undo an update that passed validation but turned out
    /// wrong. The switch is atomic like an install.
    pub fn activate(&self, source_id: &str, version: &str) -> Result<InstalledVersion> {
        validate_source_id(source_id)?;
        let _lock = self.lock()?;
        let installed = self.installed(source_id, version)?;
        self.switch_pointer(source_id, version)?;
        Ok(installed)
    }

    /// Load an installed version, failing if it is not on disk intact.
    fn installed(&self, id: &str, version: &str) -> Result<InstalledVersion> {
        let dir = self.version_dir(id, version);
        if !dir.is_dir() {
            return Err(UpdateError::Corrupt {
                path: dir,
                message: format!("version {version} of {id} is named in use but is not on disk"),
            });
        }
        InstalledVersion::from_dir(id, dir)
    }

    pub(crate) fn version_dir(&self, id: &str, version: &str) -> PathBuf {
        self.lists.join(id).join(version)
    }

    /// Version directories of a source (unsorted; hidden entries ignored).
    fn version_dirs(&self, id: &str) -> Result<Vec<PathBuf>> {
        let source_dir = self.lists.join(id);
        let read = match fs::read_dir(&source_dir) {
            Ok(r) => r,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(UpdateError::io("cannot list", source_dir, e)),
        };
        let mut dirs = Vec::new();
        for entry in read {
            let entry = entry.map_err(|e| UpdateError::io("cannot list", &source_dir, e))?;
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if !hidden && entry.file_type().is_ok_and(|t| t.is_dir()) {
                dirs.push(entry.path());
            }
        }
        Ok(dirs)
    }

    // ---- pointer ----------------------------------------------------------

    pub(crate) fn read_pointer(&self) -> Result<Pointer> {
        let path = self.lists.join(CURRENT_FILE);
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Pointer::default()),
            Err(e) => return Err(UpdateError::io("cannot read", path, e)),
        };
        let pointer: Pointer = serde_json::from_str(&text)
            .map_err(|e| UpdateError::Corrupt { path: path.clone(), message: e.to_string() })?;
        if pointer.format > POINTER_FORMAT {
            return Err(UpdateError::Corrupt {
                path,
                message: format!(
                    "format {} is newer than this chiptrace understands ({POINTER_FORMAT})",
                    pointer.format
                ),
            });
        }
        Ok(pointer)
    }

    /// Point `source_id` at `version` in `current.json`, atomically.
    /// Caller holds the lock, so the read-modify-write cannot lose another
    /// process's switch.
    pub(crate) fn switch_pointer(&self, source_id: &str, version: &str) -> Result<()> {
        let mut pointer = self.read_pointer()?;
        pointer.format = POINTER_FORMAT;
        pointer.updated_at = Some(UtcStamp::now().rfc3339());
        pointer.sources.insert(source_id.to_owned(), PointerEntry { version: version.to_owned() });
        let mut json = serde_json::to_vec_pretty(&pointer).map_err(|e| UpdateError::Corrupt {
            path: self.lists.join(CURRENT_FILE),
            message: format!("cannot serialise: {e}"),
        })?;
        json.push(b'\n');
        write_atomically(&self.lists, CURRENT_TMP, CURRENT_FILE, &json)
    }

    // ---- staging, commit, pruning ----------------------------------------

    /// Create a fresh staging directory (with its `data/` subdirectory) for
    /// one source. The name is unique per process and instant so that a
    /// leftover from a crash can never be mistaken for the current run.
    pub(crate) fn new_staging(&self, source_id: &str) -> Result<PathBuf> {
        let nanos = crate::clock::unix_nanos();
        let dir = self
            .lists
            .join(STAGING_DIR)
            .join(format!("{source_id}-{}-{nanos}", std::process::id()));
        fs::create_dir_all(dir.join(DATA_DIR))
            .map_err(|e| UpdateError::io("cannot create", &dir, e))?;
        Ok(dir)
    }

    /// Make a validated staging directory the version in use.
    ///
    /// Write order, and why a crash at any step is harmless:
    ///
    /// 1. (done by the caller) the files were written into
    ///    `.staging/<x>/data/` and fsynced; nothing refers to them yet.
    /// 2. `manifest.json` is written into `.staging/<x>/` and fsynced, then
    ///    `data/` and `.staging/<x>/` themselves are fsynced so the
    ///    directory entries are durable. A crash up to here leaves only a
    ///    staging dir, which the next `open()` deletes.
    /// 3. `.staging/<x>` is renamed to `<id>/<version>` (one atomic rename
    ///    on the same filesystem) and `<id>/` is fsynced. A crash now leaves
    ///    a complete but unreferenced version: still harmless, it is pruned
    ///    later.
    /// 4. The new `current.json` is written to `.current.json.tmp`, fsynced,
    ///    renamed over `current.json`, and `lists/` is fsynced. `rename` is
    ///    atomic, so readers see either the old pointer or the new one,
    ///    and both name complete versions. A crash before the rename leaves
    ///    a stale temp file that the next `open()` deletes.
    ///
    /// Only after step 4 are old versions pruned, so the previous version
    /// is on disk for as long as anything could point at it.
    pub(crate) fn commit_staged(&self, staging: &Path, manifest: &Manifest) -> Result<PathBuf> {
        let mut json = serde_json::to_vec_pretty(manifest).map_err(|e| UpdateError::Corrupt {
            path: staging.join(MANIFEST_FILE),
            message: format!("cannot serialise the manifest: {e}"),
        })?;
        json.push(b'\n');
        let manifest_path = staging.join(MANIFEST_FILE);
        let mut f = File::create(&manifest_path)
            .map_err(|e| UpdateError::io("cannot create", &manifest_path, e))?;
        f.write_all(&json).map_err(|e| UpdateError::io("cannot write", &manifest_path, e))?;
        f.sync_all().map_err(|e| UpdateError::io("cannot fsync", &manifest_path, e))?;
        drop(f);
        sync_dir(&staging.join(DATA_DIR))?;
        sync_dir(staging)?;

        let source_dir = self.lists.join(&manifest.source);
        fs::create_dir_all(&source_dir)
            .map_err(|e| UpdateError::io("cannot create", &source_dir, e))?;
        let target = source_dir.join(&manifest.version);
        fs::rename(staging, &target)
            .map_err(|e| UpdateError::io("cannot move into place", &target, e))?;
        sync_dir(&source_dir)?;

        self.switch_pointer(&manifest.source, &manifest.version)?;
        Ok(target)
    }

    /// A version name not yet used on disk: `<stamp>-<hash8>`, with a
    /// numeric suffix in the unlikely case the same content is installed
    /// again within the same second (e.g. after switching back and forth).
    pub(crate) fn fresh_version_name(
        &self,
        id: &str,
        stamp: &UtcStamp,
        content_sha: &str,
    ) -> String {
        let base = format!("{}-{}", stamp.compact(), &content_sha[..8.min(content_sha.len())]);
        let mut name = base.clone();
        let mut n = 2;
        while self.version_dir(id, &name).exists() {
            name = format!("{base}-{n}");
            n += 1;
        }
        name
    }

    /// Delete old versions of a source, keeping [`KEEP_VERSIONS`]: always
    /// the one in use and the one it replaced (the natural rollback target,
    /// even if it is older than versions installed and abandoned since),
    /// then the newest others. Directories without a manifest (which a
    /// crash cannot produce, but a human can) are left alone. Failures are
    /// returned as messages rather than errors: the install already
    /// succeeded and must be reported as such.
    pub(crate) fn prune(&self, source_id: &str) -> Vec<String> {
        let current = match self.current_version(source_id) {
            Ok(Some(c)) => c,
            Ok(None) => return Vec::new(),
            Err(e) => return vec![e.to_string()],
        };
        let versions = match self.versions(source_id) {
            Ok(v) => v,
            Err(e) => return vec![e.to_string()],
        };
        let mut keep: Vec<&str> = vec![current.version.as_str()];
        if let Some(prev) = current.manifest.previous_version.as_deref()
            && versions.iter().any(|v| v.version == prev)
        {
            keep.push(prev);
        }
        // `versions` is newest first.
        for v in &versions {
            if keep.len() >= KEEP_VERSIONS {
                break;
            }
            if !keep.contains(&v.version.as_str()) {
                keep.push(&v.version);
            }
        }
        let mut problems = Vec::new();
        for v in versions.iter().filter(|v| !keep.contains(&v.version.as_str())) {
            if let Err(e) = fs::remove_dir_all(&v.dir) {
                problems.push(format!("cannot remove old version {}: {e}", v.dir.display()));
            }
        }
        problems
    }

    // ---- locking and recovery --------------------------------------------

    /// Take the store's exclusive lock, failing fast with
    /// [`UpdateError::Busy`] rather than waiting behind another update.
    pub(crate) fn lock(&self) -> Result<StoreLock> {
        self.try_lock_inner()?.ok_or_else(|| UpdateError::Busy { path: self.lists.join(LOCK_FILE) })
    }

    fn try_lock_inner(&self) -> Result<Option<StoreLock>> {
        let path = self.lists.join(LOCK_FILE);
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| UpdateError::io("cannot open", &path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(StoreLock { _file: file })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(UpdateError::io("cannot lock", path, e)),
        }
    }

    /// Delete what an interrupted run can leave behind. Caller holds the lock.
    fn clean_leftovers(&self) -> Result<()> {
        let staging = self.lists.join(STAGING_DIR);
        let read =
            fs::read_dir(&staging).map_err(|e| UpdateError::io("cannot list", &staging, e))?;
        for entry in read {
            let entry = entry.map_err(|e| UpdateError::io("cannot list", &staging, e))?;
            let path = entry.path();
            let res = if entry.file_type().is_ok_and(|t| t.is_dir()) {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
            res.map_err(|e| UpdateError::io("cannot remove leftover", &path, e))?;
        }
        let tmp = self.lists.join(CURRENT_TMP);
        match fs::remove_file(&tmp) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(UpdateError::io("cannot remove leftover", tmp, e)),
        }
    }
}

/// Best-effort removal of a staging directory after a rejection; a failure
/// is cleaned up by the next `open()`.
pub(crate) fn discard_staging(dir: &Path) {
    let _ = fs::remove_dir_all(dir);
}

/// Write `bytes` to `dir/final_name` so that readers see the old or the
/// new content, never a mix: write a temp file in the same directory,
/// fsync it, rename it over the target, fsync the directory.
fn write_atomically(dir: &Path, tmp_name: &str, final_name: &str, bytes: &[u8]) -> Result<()> {
    let tmp = dir.join(tmp_name);
    let target = dir.join(final_name);
    let mut f = File::create(&tmp).map_err(|e| UpdateError::io("cannot create", &tmp, e))?;
    f.write_all(bytes).map_err(|e| UpdateError::io("cannot write", &tmp, e))?;
    f.sync_all().map_err(|e| UpdateError::io("cannot fsync", &tmp, e))?;
    drop(f);
    fs::rename(&tmp, &target)
        .map_err(|e| UpdateError::io("cannot rename into place", &target, e))?;
    sync_dir(dir)
}

/// fsync a directory so that entries created or renamed in it survive a
/// power cut (POSIX leaves that to the directory's own fsync). Windows has
/// no directory fsync; NTFS journals the rename itself.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| UpdateError::io("cannot fsync directory", dir, e))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}
