//! Typed errors of this crate.
//!
//! Two levels of failure exist and are kept apart on purpose:
//!
//! - [`UpdateError`] is returned by functions when the *store or the request
//!   itself* is unusable: an unreadable sources file, an unknown `--only`
//!   id, a corrupt `current.json`, a full disk while switching the pointer.
//! - A problem with *one source's download* (HTTP 404, timeout, garbage
//!   file, a 40 % drop in entries) is not an error of the run: it becomes a
//!   [`crate::SourceOutcome::Rejected`] with a human-readable reason, the
//!   version in use stays in use, and the other sources still proceed.
//!   [`FetchError`] is the typed form of the download part of those reasons.

use std::path::PathBuf;
use std::time::Duration;

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, UpdateError>;

/// Errors that stop an operation on the list store as a whole.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// A file or directory of the data directory could not be read or written
    /// (internal/environment fault: permissions, disk full, ...).
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done ("cannot create", "cannot rename", ...).
        action: &'static str,
        /// The path concerned.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The sources file could not be read or is not valid JSON of the
    /// expected shape (user fault).
    #[error("sources file {path}: {message}")]
    SourcesFile {
        /// The sources file.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
    /// A source definition is invalid: bad id, file name that is not a plain
    /// name, a non-http(s) URL, duplicates (user fault).
    #[error("source {id:?}: {message}")]
    InvalidSource {
        /// The source id as given.
        id: String,
        /// What was wrong.
        message: String,
    },
    /// `only` named a source id that is not among the configured sources
    /// (user fault, typically a typo in `--only`).
    #[error("unknown source id {id:?} (configured: {known})")]
    UnknownSource {
        /// The id asked for.
        id: String,
        /// The configured ids, comma-separated.
        known: String,
    },
    /// An [`crate::UpdateOptions`] value is out of range, e.g. a `max_drop`
    /// that is not a fraction between 0 and 1 (user fault).
    #[error("invalid update options: {0}")]
    InvalidOptions(String),
    /// `install_local` was given no usable file (user fault).
    #[error("install of {source_id:?}: {message}")]
    LocalFiles {
        /// The source id.
        source_id: String,
        /// What was wrong.
        message: String,
    },
    /// `current.json` or a version's `manifest.json` exists but cannot be
    /// understood, or points at a version that is not on disk. Nothing is
    /// changed automatically: an operator must look (internal fault).
    #[error("corrupt list store: {path}: {message}")]
    Corrupt {
        /// The file or directory at fault.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
    /// Another process holds the store's lock (an update is running).
    #[error("the list store {path} is locked by another update; try again when it has finished")]
    Busy {
        /// The lock file.
        path: PathBuf,
    },
}

impl UpdateError {
    /// Shorthand for [`UpdateError::Io`].
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        UpdateError::Io { action, path: path.into(), source }
    }

    /// True for faults of the caller's input (sources file, ids, local
    /// files), false for faults of the environment or the store. The CLI
    /// can use this to choose between "fix your command" and "check the
    /// data directory" wording.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            UpdateError::SourcesFile { .. }
                | UpdateError::InvalidSource { .. }
                | UpdateError::UnknownSource { .. }
                | UpdateError::InvalidOptions(_)
                | UpdateError::LocalFiles { .. }
        )
    }
}

/// Why downloading one file failed. Every variant names the URL, so that a
/// rejection message is actionable on its own.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The URL is not `http://` or `https://` (e.g. `file://`, `ftp://`).
    #[error("{url}: only http:// and https:// URLs are allowed")]
    UnsupportedScheme {
        /// The URL.
        url: String,
    },
    /// A redirect pointed at a non-http(s) URL, or from https down to plain
    /// http. Never followed: a redirect must not be able to make us read a
    /// local file or drop transport security.
    #[error("{url} redirected to {location}: refused ({why})")]
    RedirectRefused {
        /// The URL that answered with the redirect.
        url: String,
        /// The `Location` it gave.
        location: String,
        /// Why it was refused.
        why: &'static str,
    },
    /// More redirects than allowed, or a redirect without `Location`.
    #[error("{url}: {message}")]
    Redirect {
        /// The original URL.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The server answered with a status other than 200.
    #[error("{url}: HTTP status {status}{}", if reason.is_empty() { String::new() } else { format!(" {reason}") })]
    Status {
        /// The URL (after redirects).
        url: String,
        /// The status code.
        status: u16,
        /// The canonical reason phrase, when known.
        reason: String,
    },
    /// The body is larger than `UpdateOptions::max_bytes`.
    #[error("{url}: response is larger than the {limit}-byte limit{}", declared.map(|d| format!(" (Content-Length {d})")).unwrap_or_default())]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit in bytes.
        limit: u64,
        /// The Content-Length the server declared, if it declared one.
        declared: Option<u64>,
    },
    /// The transfer did not finish within `UpdateOptions::timeout`.
    #[error("{url}: timed out after {:.1} s", timeout.as_secs_f64())]
    Timeout {
        /// The URL.
        url: String,
        /// The configured timeout.
        timeout: Duration,
    },
    /// Connection refused, DNS failure, TLS failure, connection dropped
    /// before the declared length was received, ...
    #[error("{url}: {message}")]
    Transport {
        /// The URL.
        url: String,
        /// The transport error.
        message: String,
    },
    /// Writing the downloaded bytes to the staging directory failed.
    #[error("{url}: cannot write {path}: {source}")]
    Write {
        /// The URL.
        url: String,
        /// The staging file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

impl FetchError {
    /// True when the server said the file does not exist (404 or 410). Only
    /// this lets an optional file be skipped; any other failure of an
    /// optional file rejects the source, because installing a set that
    /// silently lacks e.g. `alt.csv` would drop aliases from screening.
    pub fn is_not_found(&self) -> bool {
        matches!(self, FetchError::Status { status: 404 | 410, .. })
    }
}
