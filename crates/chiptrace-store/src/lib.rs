//! The chiptrace system of record.
//!
//! One SQLite file (`<data dir>/chiptrace.db`, WAL, bundled SQLite) keeps
//! list versions with their entries, monitored parties, screening runs and
//! results, alerts and their review dispositions, and classification /
//! licence decisions. Every state change appends an event to a SHA-256 hash
//! chain in the same transaction as the change; the chain is checkpointed
//! with an Ed25519 signature (key in `<data dir>/keys/`). [`Store::verify`]
//! detects edits, deletions, insertions and reordering of events, and
//! records that no longer match the event describing them.
//!
//! Design notes (docs/store.md):
//! * every write is one `BEGIN IMMEDIATE` transaction: the data change and
//!   its audit events commit together or not at all, so a crash or a full
//!   disk never leaves a record without its event or a broken chain;
//! * alerts carry fingerprints of the party's screened data and the entry's
//!   matched data: a `false_positive` stays cleared while both are unchanged
//!   and comes back `reopened`, saying what changed, when either changes;
//! * re-screening after a list import only screens what can have changed:
//!   unchanged parties against the added or changed entries, changed or new
//!   parties against everything.

mod audit;
mod error;
mod keys;
mod lv;
mod schema;
mod store;
mod trade;

pub use audit::{AuditEvent, ExportFormat, VerifyReport, verify_export};
pub use error::{Error, Result};
pub use lv::{LvAlert, StoredVerdict, VERDICT_DOMAIN, verify_verdict_signature};
pub use store::{
    Alert, AlertEntry, AlertParty, AlertStatus, Disposition, ImportSummary, ListDiff, Party,
    RescreenSummary, RunSummary, Store,
};
pub use trade::{TRADE_DISPOSITIONS, TradeAlert, TradeAlertIn, TradeDelta};

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "chiptrace.db";
/// Schema version this build writes (see `schema.rs`).
pub const SCHEMA_VERSION: i64 = 3;

/// Stable key of a list entry across list versions: the entry id when it
/// already names its list (deterministic ids, `docs/lists.md`), else
/// `list/id`.
pub fn entry_key(list: &str, id: &str) -> String {
    if id.starts_with(list) { id.to_string() } else { format!("{list}/{id}") }
}
