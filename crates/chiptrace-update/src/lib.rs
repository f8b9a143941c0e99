//! # chiptrace-update
//!
//! Downloads the official restricted-party list files into a versioned
//! data directory, validates them with the real list loader, and switches
//! to them atomically. Screening never downloads anything: it reads the
//! local files that this crate installed (`screening.md` §11: "run from
//! local list files and treat download as a separate, auditable step").
//!
//! Principal types:
//!
//! - [`ListStore`]: the data directory (`<root>/lists/`). [`ListStore::update`]
//!   downloads, [`ListStore::install_local`] imports local files,
//!   [`ListStore::current`] / [`ListStore::current_paths`] say what is in use.
//! - [`Source`] / [`SourceFile`]: what to fetch; [`default_sources`] holds the
//!   official URLs, [`load_sources_file`] reads an override (mirrors, tests).
//! - [`UpdateOptions`]: timeout, size cap, the allowed entry-count drop (20 %).
//! - [`UpdateReport`] / [`SourceOutcome`]: `Installed`, `Unchanged` or
//!   `Rejected` (with a reason naming the file, URL, status or counts).
//! - [`Manifest`]: the per-version audit record (URLs, SHA-256, sizes,
//!   entry count, install time).
//!
//! A rejected source never changes what is in use, and `current.json` always
//! names complete versions, whatever the point at which a run is killed.
//! See `docs/list-updates.md`.
//!
//! ```no_run
//! use chiptrace_update::{ListStore, UpdateOptions, default_sources};
//!
//! let store = ListStore::open(std::path::Path::new("/var/lib/chiptrace"))?;
//! let report = store.update(&default_sources(), &UpdateOptions::default())?;
//! for outcome in &report.outcomes {
//!     println!("{outcome}");
//! }
//! for dir in store.current_paths()? {
//!     let lists = chiptrace_lists::load_path(&dir, &chiptrace_lists::LoadOptions::default());
//! }
//! # Ok::<(), chiptrace_update::UpdateError>(())
//! ```

#![warn(missing_docs)]
#![doc(test(attr(deny(warnings), allow(unused_variables))))]

mod clock;
mod error;
mod fetch;
mod manifest;
mod source;
mod store;
mod update;
mod validate;

pub use error::{FetchError, Result, UpdateError};
pub use manifest::{
    InstalledVersion, MANIFEST_FORMAT, Manifest, ManifestFile, Origin, SkippedFile, content_sha256,
};
pub use source::{Source, SourceFile, default_sources, load_sources_file, validate_sources};
pub use store::{KEEP_VERSIONS, ListStore};
pub use update::{SourceOutcome, UpdateOptions, UpdateReport};
