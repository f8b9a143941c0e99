//! # chiptrace-lists
//!
//! Ingestion of restricted-party lists into one validated model,
//! [`ListEntry`]. The principal entry points are [`load_path`] (a file or a
//! directory, format auto-detected) and [`load_file_as`] (an explicit
//! [`Format`]). Every loader returns a [`LoadReport`]: the entries, the rows
//! it had to skip with the file and line that was bad, and the per-file
//! formats detected. With [`LoadOptions::strict`] any bad row is fatal.
//!
//! Supported formats (see `docs/lists.md`):
//! - the JSON list layout of `us_restricted_party_lists_*` (BIS Entity List, DPL, MEU, ...);
//! - OFAC legacy CSV (`sdn.csv` + `add.csv`/`alt.csv`/`sdn_comments.csv`; `cons_*.csv`);
//! - the UN Security Council consolidated XML;
//! - the trade.gov Consolidated Screening List CSV (28- and 29-column layouts) and JSON;
//! - FollowTheMoney entity JSON lines (OpenSanctions);
//! - a custom CSV with a column mapping ([`CustomCsvMapping`]).

mod entry;
mod error;

pub use entry::{Address, DateFact, EntitySchema, EntryName, Identifier, ListEntry, NameKind};
pub use error::{BadRow, ListError, Result};
