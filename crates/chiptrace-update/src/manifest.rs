//! The per-version `manifest.json`: the audit record of what was
//! installed, from where, when, with which digests and how many entries.
//! A screening result that cites `(source, version)` can be traced back to
//! the exact bytes through it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Result, UpdateError};
use crate::fetch::hex;

/// Version of the manifest layout, bumped on incompatible changes.
pub const MANIFEST_FORMAT: u32 = 1;

/// How the files of a version reached the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Downloaded by [`crate::ListStore::update`].
    Download,
    /// Imported from local files by [`crate::ListStore::install_local`].
    Local,
}

/// One installed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Name in the version's `data/` directory.
    pub file_name: String,
    /// The URL it was downloaded from (after redirects: the URL that
    /// answered 200), for downloads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The local path it was copied from, for `install_local`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_path: Option<String>,
    /// Lower-case hex SHA-256 of the file.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// An optional file that was not installed because the publisher answered
/// 404/410 for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedFile {
    /// The file name it would have had.
    pub file_name: String,
    /// The URL that was tried.
    pub url: String,
    /// Why it was skipped (the HTTP status).
    pub reason: String,
}

/// Contents of `<root>/lists/<source>/<version>/manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`MANIFEST_FORMAT`] at the time of writing.
    pub format: u32,
    /// Source id.
    pub source: String,
    /// Source description at the time of install.
    #[serde(default)]
    pub description: String,
    /// Version name: `<UTC yyyymmddThhmmssZ>-<first 8 hex of content_sha256>`.
    pub version: String,
    /// When it was installed, RFC 3339 UTC with milliseconds.
    pub installed_at: String,
    /// Downloaded or imported.
    pub origin: Origin,
    /// The installed files, sorted by name.
    pub files: Vec<ManifestFile>,
    /// Optional files the publisher did not serve.
    #[serde(default)]
    pub skipped: Vec<SkippedFile>,
    /// SHA-256 identifying the whole file set; see [`content_sha256`].
    pub content_sha256: String,
    /// Entries `chiptrace_lists::load_path` read from the files.
    pub entries: usize,
    /// Rows the loader skipped as bad (non-strict mode).
    pub bad_rows: usize,
    /// The version that was in use before this one, if any.
    #[serde(default)]
    pub previous_version: Option<String>,
    /// Its entry count, if any.
    #[serde(default)]
    pub previous_entries: Option<usize>,
    /// The tool that wrote the manifest (`chiptrace-update <version>`).
    pub tool: String,
}

/// File name of the manifest inside a version directory.
pub(crate) const MANIFEST_FILE: &str = "manifest.json";

impl Manifest {
    /// Read and parse `<version_dir>/manifest.json`.
    pub fn read(version_dir: &Path) -> Result<Manifest> {
        let path = version_dir.join(MANIFEST_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| UpdateError::Corrupt {
            path: path.clone(),
            message: format!("cannot read the manifest: {e}"),
        })?;
        let manifest: Manifest = serde_json::from_str(&text).map_err(|e| UpdateError::Corrupt {
            path: path.clone(),
            message: format!("invalid manifest: {e}"),
        })?;
        if manifest.format > MANIFEST_FORMAT {
            return Err(UpdateError::Corrupt {
                path,
                message: format!(
                    "manifest format {} is newer than this chiptrace understands ({MANIFEST_FORMAT})",
                    manifest.format
                ),
            });
        }
        Ok(manifest)
    }

    /// The `(file name, sha256)` pairs, sorted by name.
    pub fn file_hashes(&self) -> Vec<(String, String)> {
        let mut v: Vec<_> =
            self.files.iter().map(|f| (f.file_name.clone(), f.sha256.clone())).collect();
        v.sort();
        v
    }
}

/// A version of one source that is on disk, as listed by
/// [`crate::ListStore::current`] and [`crate::ListStore::versions`].
/// The top-level fields are copied from the manifest for convenience.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstalledVersion {
    /// Source id.
    pub id: String,
    /// Version name.
    pub version: String,
    /// The version directory, `<root>/lists/<id>/<version>`.
    pub dir: PathBuf,
    /// The directory with the list files, `<dir>/data`: pass this to
    /// `chiptrace_lists::load_path`.
    pub data_dir: PathBuf,
    /// Files with their SHA-256.
    pub files: Vec<ManifestFile>,
    /// Entry count at install time.
    pub entries: usize,
    /// Bad-row count at install time.
    pub bad_rows: usize,
    /// Install time, RFC 3339 UTC.
    pub installed_at: String,
    /// Digest of the whole file set.
    pub content_sha256: String,
    /// The full manifest.
    pub manifest: Manifest,
}

impl InstalledVersion {
    /// Load the version in `dir` from its manifest, checking that the
    /// manifest belongs to this directory.
    pub(crate) fn from_dir(id: &str, dir: PathBuf) -> Result<InstalledVersion> {
        let manifest = Manifest::read(&dir)?;
        let dir_name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if manifest.source != id || manifest.version != dir_name {
            return Err(UpdateError::Corrupt {
                path: dir.join(MANIFEST_FILE),
                message: format!(
                    "manifest says {}/{}, but it is in {id}/{dir_name}",
                    manifest.source, manifest.version
                ),
            });
        }
        Ok(InstalledVersion {
            id: manifest.source.clone(),
            version: manifest.version.clone(),
            data_dir: dir.join(crate::store::DATA_DIR),
            dir,
            files: manifest.files.clone(),
            entries: manifest.entries,
            bad_rows: manifest.bad_rows,
            installed_at: manifest.installed_at.clone(),
            content_sha256: manifest.content_sha256.clone(),
            manifest,
        })
    }
}

/// Digest of a file set: SHA-256 over the lines `"<sha256>  <file name>\n"`
/// sorted by file name, i.e. over the output of
/// `cd data && LC_ALL=C sha256sum *`. Two versions with the same content
/// digest hold byte-identical files under identical names.
pub fn content_sha256(files: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = files.iter().collect();
    sorted.sort();
    let mut hasher = Sha256::new();
    for (name, sha) in sorted {
        hasher.update(format!("{sha}  {name}\n").as_bytes());
    }
    hex(&hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_digest_is_order_independent_and_sha256sum_compatible() {
        let a = ("a.csv".to_owned(), "11".repeat(32));
        let b = ("b.csv".to_owned(), "22".repeat(32));
        let d1 = content_sha256(&[a.clone(), b.clone()]);
        assert_eq!(d1, content_sha256(&[b.clone(), a.clone()]));
        let expected = {
            let mut h = Sha256::new();
            h.update(format!("{}  a.csv\n{}  b.csv\n", a.1, b.1).as_bytes());
            hex(&h.finalize())
        };
        assert_eq!(d1, expected);
        assert_ne!(d1, content_sha256(&[a]));
    }
}
