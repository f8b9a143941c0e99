//! # chiptrace-lists
//!
//! Ingestion of restricted-party lists into one validated model,
//! [`ListEntry`]. The principal entry points are [`load_path`] (a file or a
//! directory, format auto-detected) and [`load_file_as`] (an explicit
//! [`Format`]). Every loader returns a [`LoadReport`]: the entries, the rows
//! it had to skip with the file and line that was bad, and the per-file
//! formats detected ([`LoadedFile`]). With [`LoadOptions::strict`] any bad
//! row is fatal.
//!
//! Supported formats (see `docs/lists.md`):
//! - the JSON list layout of `us_restricted_party_lists_*` (BIS Entity List, DPL, MEU, ...);
//! - OFAC legacy CSV (`sdn.csv` + `add.csv`/`alt.csv`/`sdn_comments.csv`; `cons_*.csv`);
//! - the UN Security Council consolidated XML;
//! - the trade.gov Consolidated Screening List CSV (28- and 29-column layouts) and JSON;
//! - FollowTheMoney entity JSON lines (OpenSanctions);
//! - a custom CSV with a column mapping ([`CustomCsvMapping`]).
//!
//! Parsers never panic on bad input: a record that cannot be used becomes a
//! [`BadRow`] (file, line, message), and a file that cannot be read at all is
//! a [`ListError::Malformed`] naming the file and line.
//!
//! ```
//! use chiptrace_lists::{parse_bytes, Format, LoadOptions, NameKind};
//!
//! let csv = b"id,name,country\n1,Acme Trading (a.k.a. Acme HK),Hong Kong\n";
//! let mapping = chiptrace_lists::CustomCsvMapping::parse_spec("id=id,name=name,country=country,list=demo").unwrap();
//! let opts = LoadOptions { mapping: Some(mapping), ..LoadOptions::default() };
//! let report = parse_bytes(Format::CustomCsv, csv, &opts).unwrap();
//! let e = &report.entries[0];
//! assert_eq!(e.list, "demo");
//! assert_eq!(e.primary_name(), "Acme Trading");
//! assert_eq!(e.names[1].kind, NameKind::Alias);
//! assert_eq!(e.countries, vec!["HK"]);
//! ```
#![warn(missing_docs)]
#![doc(test(attr(deny(warnings), allow(unused_variables))))]

mod country;
mod dates;
mod detect;
mod entry;
mod error;
mod formats;
mod infer;
mod load;
mod mapping;
mod names;
mod text;
mod validate;

use std::path::PathBuf;

use serde::Serialize;

pub use country::{country_code, country_name};
pub use detect::detect_format;
pub use entry::{Address, DateFact, EntitySchema, EntryName, Identifier, ListEntry, NameKind};
pub use error::{BadRow, ListError, Result};
pub use load::{load_file_as, load_path, load_paths, parse_bytes};
pub use mapping::{CustomCsvMapping, ListCode};

/// A list file format chiptrace can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// `{list_id, entities: [{name, aliases, country, address, ...}]}` as in
    /// `us_restricted_party_lists_*` (BIS Entity List, DPL, MEU, DoD, State, ...).
    ListJson,
    /// OFAC legacy `sdn.csv` (no header, 12 columns) with optional
    /// `add.csv` / `alt.csv` / `sdn_comments.csv` companions.
    OfacSdnCsv,
    /// OFAC legacy consolidated (non-SDN) `cons_prim.csv` with optional
    /// `cons_add.csv` / `cons_alt.csv` / `cons_comments.csv` companions.
    OfacConsCsv,
    /// UN Security Council consolidated list XML.
    UnXml,
    /// trade.gov Consolidated Screening List CSV (28- or 29-column layout).
    CslCsv,
    /// trade.gov Consolidated Screening List API JSON (`{"results": [...]}` or an array).
    CslJson,
    /// FollowTheMoney entities, one JSON object per line (OpenSanctions exports).
    FtmJsonl,
    /// Any CSV with a header, read through a [`CustomCsvMapping`].
    CustomCsv,
}

impl Format {
    /// Stable snake_case name, as used on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::ListJson => "list_json",
            Format::OfacSdnCsv => "ofac_sdn_csv",
            Format::OfacConsCsv => "ofac_cons_csv",
            Format::UnXml => "un_xml",
            Format::CslCsv => "csl_csv",
            Format::CslJson => "csl_json",
            Format::FtmJsonl => "ftm_jsonl",
            Format::CustomCsv => "custom_csv",
        }
    }

    /// Parse [`Format::as_str`] names (and a few obvious synonyms).
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "list_json" | "json" => Format::ListJson,
            "ofac_sdn_csv" | "sdn" | "ofac_sdn" => Format::OfacSdnCsv,
            "ofac_cons_csv" | "cons" | "ofac_cons" => Format::OfacConsCsv,
            "un_xml" | "un" => Format::UnXml,
            "csl_csv" | "csl" => Format::CslCsv,
            "csl_json" => Format::CslJson,
            "ftm_jsonl" | "ftm" | "ftm_json" | "opensanctions" => Format::FtmJsonl,
            "custom_csv" | "custom" => Format::CustomCsv,
            _ => return None,
        })
    }

    /// All formats, in a stable order.
    pub const ALL: [Format; 8] = [
        Format::ListJson,
        Format::OfacSdnCsv,
        Format::OfacConsCsv,
        Format::UnXml,
        Format::CslCsv,
        Format::CslJson,
        Format::FtmJsonl,
        Format::CustomCsv,
    ];
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Options of every loader.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Any bad row is fatal ([`ListError::StrictBadRow`]) instead of being
    /// skipped and reported in [`LoadReport::bad_rows`].
    pub strict: bool,
    /// Column mapping for [`Format::CustomCsv`] files. Without one, a CSV
    /// that is not a known list format is skipped in a directory and an
    /// error when named explicitly.
    pub mapping: Option<CustomCsvMapping>,
    /// A row with any field longer than this many bytes is bad (a runaway
    /// quote can swallow a whole file into one field). Default 64 KiB.
    pub max_field_bytes: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions { strict: false, mapping: None, max_field_bytes: 64 * 1024 }
    }
}

/// What a load produced.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LoadReport {
    /// Validated entries, in file order (files in sorted path order).
    pub entries: Vec<ListEntry>,
    /// Rows skipped in non-strict mode, with file and line.
    pub bad_rows: Vec<BadRow>,
    /// One record per list file read.
    pub files: Vec<LoadedFile>,
    /// Files in a directory that were not loaded, and why (metadata such as
    /// `lists.json`, `PROVENANCE.md`, OFAC companions joined to a primary).
    pub skipped: Vec<SkippedFile>,
}

impl LoadReport {
    /// Append another report (used for multi-file loads).
    pub fn extend(&mut self, other: LoadReport) {
        self.entries.extend(other.entries);
        self.bad_rows.extend(other.bad_rows);
        self.files.extend(other.files);
        self.skipped.extend(other.skipped);
    }

    /// Distinct list codes of the loaded entries, sorted.
    pub fn list_codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = self.files.iter().flat_map(|f| f.list_codes.clone()).collect();
        codes.sort();
        codes.dedup();
        codes
    }
}

/// Provenance of one loaded list file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadedFile {
    /// The file.
    pub path: PathBuf,
    /// The format it was read as.
    pub format: Format,
    /// SHA-256 of the file's bytes, lower-case hex (for the audit trail).
    pub sha256: String,
    /// Entries read from it.
    pub entries: usize,
    /// Bad rows skipped (non-strict mode).
    pub bad_rows: usize,
    /// List codes of its entries, sorted.
    pub list_codes: Vec<String>,
    /// Text encoding detected: `utf-8`, `windows-1252`, `utf-16le`, `utf-16be`.
    pub encoding: String,
    /// Records deliberately not loaded (FtM entities of non-matchable
    /// schemata such as `Address`, `Sanction`, `Ownership`).
    pub skipped_records: usize,
    /// Companion files joined to this one (OFAC `add`/`alt`/`comments`).
    pub companions: Vec<CompanionFile>,
}

/// An OFAC companion file joined to its primary file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompanionFile {
    /// The file.
    pub path: PathBuf,
    /// `alt`, `add` or `comments`.
    pub role: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
}

/// A file found in a directory that was not loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedFile {
    /// The file.
    pub path: PathBuf,
    /// Why it was skipped.
    pub reason: String,
}
