//! The store: open/migrate, parties, list versions, screening and
//! re-screening with alerts, reviews, decisions, verification and export.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chiptrace_lists::ListEntry;
use chiptrace_screen::{Index, Query, ScreenOptions};
use ed25519_dalek::SigningKey;
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};
use serde::Serialize;
use serde_json::{Value, json};

use crate::audit::{
    self, Appender, ExportFormat, RecordHasher, VerifyReport, record_hash, sha256_hex,
};
use crate::error::{Error, Result};
use crate::{DB_FILE, SCHEMA_VERSION, keys, schema};

/// A monitored party (the screening input columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Party {
    pub id: String,
    pub name: String,
    pub schema: Option<String>,
    pub country: Option<String>,
    pub address: Option<String>,
    pub dob: Option<String>,
}

impl Party {
    /// Fingerprint of the screened data: a cleared alert stays cleared while
    /// it is unchanged.
    pub fn fingerprint(&self) -> String {
        record_hash(&json!({
            "name": self.name, "schema": self.schema, "country": self.country,
            "address": self.address, "dob": self.dob,
        }))
    }
}

/// Alert status. `closed`: the hit disappeared (entry removed or changed,
/// party changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    Open,
    TruePositive,
    FalsePositive,
    Escalated,
    Closed,
}

impl AlertStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::Open => "open",
            AlertStatus::TruePositive => "true_match",
            AlertStatus::FalsePositive => "false_positive",
            AlertStatus::Escalated => "escalated",
            AlertStatus::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<AlertStatus> {
        Some(match s {
            "open" => AlertStatus::Open,
            "true_match" => AlertStatus::TruePositive,
            "false_positive" => AlertStatus::FalsePositive,
            "escalated" => AlertStatus::Escalated,
            "closed" => AlertStatus::Closed,
            _ => return None,
        })
    }
}

/// A review disposition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    TrueMatch,
    FalsePositive,
    Escalated,
}

impl Disposition {
    pub fn parse(s: &str) -> Option<Disposition> {
        Some(match s {
            "true_match" => Disposition::TrueMatch,
            "false_positive" => Disposition::FalsePositive,
            "escalated" => Disposition::Escalated,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Disposition::TrueMatch => "true_match",
            Disposition::FalsePositive => "false_positive",
            Disposition::Escalated => "escalated",
        }
    }
}

/// An alert as listed by `chiptrace alerts`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    pub id: i64,
    pub party: AlertParty,
    pub entry: AlertEntry,
    pub score: f64,
    pub status: String,
    pub reopened: bool,
    pub note: String,
    pub last_run: i64,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertParty {
    pub id: String,
    pub name: String,
    pub country: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertEntry {
    pub key: String,
    pub list: String,
    pub name: String,
}

/// What `parties import` did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub audit_events: u64,
}

/// What a list import changed, entry by entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ListDiff {
    pub version_id: i64,
    pub lists: Vec<String>,
    pub entries: u64,
    pub added: u64,
    pub changed: u64,
    pub removed: u64,
    pub unchanged: u64,
}

/// One screening run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RunSummary {
    pub run_id: i64,
    pub parties_screened_full: u64,
    pub parties_screened_delta: u64,
    pub parties_skipped: u64,
    pub entries_in_delta: u64,
    pub hits: u64,
}

/// The delta a (re-)screening reports.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RescreenSummary {
    pub run: RunSummary,
    /// New alerts (never seen, or seen again after being closed).
    pub new: Vec<i64>,
    /// Cleared false positives that came back because the party or the entry changed.
    pub reopened: Vec<i64>,
    /// Alerts whose hit disappeared (entry removed or changed, party changed).
    pub gone: Vec<i64>,
    /// Existing alerts that still hit (cleared ones stay cleared).
    pub unchanged: u64,
}

/// The store.
pub struct Store {
    pub(crate) conn: Connection,
    dir: PathBuf,
    pub(crate) key: SigningKey,
    actor: String,
}

pub(crate) fn now() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Microsecond)
        .unwrap_or(jiff::Timestamp::now())
        .to_string()
}

fn entry_key(e: &ListEntry) -> String {
    crate::entry_key(&e.list, &e.id)
}

/// Fingerprint of the entry data matching reads (names, countries, schema,
/// dates, addresses): a change here re-opens cleared alerts.
pub(crate) fn entry_fingerprint(e: &ListEntry) -> String {
    let names: Vec<&str> = e.names.iter().map(|n| n.name.as_str()).collect();
    let mut countries = e.countries.clone();
    countries.sort();
    record_hash(&json!({
        "names": names, "countries": countries, "schema": e.schema,
        "dates": e.dates, "addresses": e.addresses,
    }))
}

impl Store {
    /// Open (creating when absent) the store in `dir`. Refuses a directory
    /// that is a file, a database file that is not a chiptrace store, and a
    /// store from a newer schema.
    pub fn open(dir: &Path) -> Result<Store> {
        Store::open_mode(dir, true)
    }

    /// Open an existing store only (for `audit verify` / `export`): never
    /// creates or migrates, so a missing or emptied database is an error
    /// instead of a fresh, empty, "valid" store.
    pub fn open_existing(dir: &Path) -> Result<Store> {
        Store::open_mode(dir, false)
    }

    fn open_mode(dir: &Path, create: bool) -> Result<Store> {
        if dir.exists() && !dir.is_dir() {
            return Err(Error::Path {
                path: dir.to_path_buf(),
                message: "is a file, not a data directory".into(),
            });
        }
        let db = dir.join(DB_FILE);
        let keys_exist = dir.join("keys").join(keys::SECRET).exists();
        let existed = db.exists();
        let empty = existed && std::fs::metadata(&db).map(|m| m.len() == 0).unwrap_or(false);
        if !create && (!existed || empty) {
            return Err(Error::NotAStore {
                path: db,
                message: if existed {
                    "the database file is empty".into()
                } else {
                    "no store here".into()
                },
            });
        }
        if (empty || !existed) && keys_exist {
            // the audit key outlives the database only if the database was
            // deleted or truncated: refuse to start a new, "valid" history
            return Err(Error::NotAStore {
                path: db,
                message: "the database is missing or empty but this data directory already has an audit key: the store was deleted or truncated (restore it from a backup, or move the keys away to start a new store)".into(),
            });
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Path { path: dir.to_path_buf(), message: e.to_string() })?;
        let mut conn = Connection::open_with_flags(
            &db,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::NotAStore { path: db.clone(), message: e.to_string() })?;
        conn.busy_timeout(Duration::from_secs(30))?;
        let not_store = |m: String| Error::NotAStore { path: db.clone(), message: m };
        // a foreign or corrupt file fails here, before anything is written:
        // read-only checks first, journal mode only once it is ours
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master WHERE type='table'", [], |r| r.get(0))
            .map_err(|e| not_store(e.to_string()))?;
        let version: i64 = if tables == 0 {
            0
        } else {
            let has_meta: i64 = conn.query_row(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'",
                [],
                |r| r.get(0),
            )?;
            if has_meta == 0 {
                return Err(not_store("an SQLite database without chiptrace tables".into()));
            }
            let v: Option<String> = conn
                .query_row("SELECT value FROM meta WHERE key='schema_version'", [], |r| r.get(0))
                .optional()?;
            v.and_then(|v| v.parse().ok()).ok_or_else(|| not_store("no schema version".into()))?
        };
        if version > SCHEMA_VERSION {
            return Err(Error::NewerSchema { path: db, found: version, supported: SCHEMA_VERSION });
        }
        if version == 0 && (keys_exist || !create) {
            // an audit key without a history: the database was wiped or replaced
            return Err(not_store(
                "the database holds no chiptrace history but this data directory already has an audit key: the store was deleted, emptied or replaced (restore it from a backup, or move the keys away to start a new store)".into(),
            ));
        }
        if version > 0 && !keys_exist {
            let events: i64 =
                conn.query_row("SELECT count(*) FROM audit_events", [], |r| r.get(0)).unwrap_or(0);
            if events > 0 {
                return Err(Error::Key {
                    path: dir.join("keys").join(keys::SECRET),
                    message: "missing, but the store has a signed history: restore the key from a backup (a new key would make the history unverifiable)".into(),
                });
            }
        }
        if !create {
            // read-only use (verify, export): no journal change, no key, no migration
            if version < SCHEMA_VERSION {
                return Err(not_store(format!(
                    "schema version {version} is older than this chiptrace ({SCHEMA_VERSION}); run any write command to migrate it first"
                )));
            }
            conn.execute_batch("PRAGMA foreign_keys=ON;")?;
            let key = keys::load(&dir.join("keys").join(keys::SECRET))?;
            return Ok(Store { conn, dir: dir.to_path_buf(), key, actor: default_actor() });
        }
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(|e| not_store(e.to_string()))?;
        if mode != "wal" {
            return Err(not_store(format!("cannot use WAL journal mode (got {mode})")));
        }
        // FULL: a commit reported as "committed" survives a power failure
        // too (one fsync per command; cheap at this write rate)
        conn.execute_batch(
            "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA journal_size_limit=67108864;",
        )?;
        if let Ok(p) = std::env::var("CHIPTRACE_STORE_MAX_PAGES")
            && let Ok(n) = p.parse::<u64>()
        {
            // test hook: simulate a full disk
            conn.execute_batch(&format!("PRAGMA max_page_count={n};"))?;
        }
        // tables first, key second: a key on disk then always means a
        // history exists (the wiped-database check above relies on it)
        if version < SCHEMA_VERSION {
            schema::migrate(&mut conn, version)?;
        }
        let key = keys::load_or_create(dir)?;
        let mut s = Store { conn, dir: dir.to_path_buf(), key, actor: default_actor() };
        if !existed || version == 0 {
            s.write(|tx, ap| {
                // two processes creating the store at once: only one records it
                let any: i64 = tx.query_row("SELECT count(*) FROM audit_events", [], |r| r.get(0))?;
                if any > 0 {
                    return Ok(());
                }
                let v = json!({"schema_version": SCHEMA_VERSION, "created_with": env!("CARGO_PKG_VERSION")});
                tx.execute("INSERT OR REPLACE INTO meta(key, value) VALUES('created_at', ?1)", [now()])?;
                ap.push(tx, "store_created", "meta", "store", &v, &v)?;
                Ok(())
            })?;
        }
        Ok(s)
    }

    /// Who is recorded as the actor of events (default: `$USER`).
    pub fn set_actor(&mut self, actor: &str) {
        self.actor = actor.to_string();
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The audit public key (hex) and its file.
    pub fn public_key(&self) -> (String, PathBuf) {
        (hex::encode(self.key.verifying_key().as_bytes()), keys::public_path(&self.dir))
    }

    /// Run `f` in one IMMEDIATE transaction with an audit appender; the
    /// chain head is signed before commit. All or nothing.
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&Transaction, &mut Appender) -> Result<T>,
    ) -> Result<T> {
        let at = now();
        let actor = self.actor.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut ap = Appender::new(&tx, &at, &actor)?;
        let out = f(&tx, &mut ap)?;
        ap.checkpoint(&tx, &self.key)?;
        tx.commit()?;
        Ok(out)
    }

    // ---------------------------------------------------------------- parties

    /// Insert or update monitored parties (one audit event per change).
    pub fn import_parties(&mut self, parties: &[Party]) -> Result<ImportSummary> {
        let at = now();
        self.write(|tx, ap| {
            let mut sum = ImportSummary::default();
            let mut get = tx.prepare_cached("SELECT fingerprint FROM parties WHERE id = ?1")?;
            let mut put = tx.prepare_cached(
                "INSERT INTO parties(id, name, schema, country, address, dob, fingerprint, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(id) DO UPDATE SET name=excluded.name, schema=excluded.schema, country=excluded.country,
                   address=excluded.address, dob=excluded.dob, fingerprint=excluded.fingerprint, updated_at=excluded.updated_at",
            )?;
            for p in parties {
                let fp = p.fingerprint();
                let old: Option<String> = get.query_row([&p.id], |r| r.get(0)).optional()?;
                if old.as_deref() == Some(fp.as_str()) {
                    sum.unchanged += 1;
                    continue;
                }
                put.execute(params![p.id, p.name, p.schema, p.country, p.address, p.dob, fp, at])?;
                let rec = party_record(p, &fp, &at);
                let kind = if old.is_some() { "party_updated" } else { "party_added" };
                ap.push(tx, kind, "parties", &p.id, &rec, &json!({"name": p.name, "country": p.country}))?;
                if old.is_some() {
                    sum.updated += 1;
                } else {
                    sum.added += 1;
                }
            }
            sum.audit_events = ap.appended;
            Ok(sum)
        })
    }

    pub fn party_count(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT count(*) FROM parties", [], |r| r.get(0))?)
    }

    fn load_parties(&self) -> Result<Vec<(Party, String, Option<String>)>> {
        let mut st = self.conn.prepare(
            "SELECT p.id, p.name, p.schema, p.country, p.address, p.dob, p.fingerprint, s.screened_fp
             FROM parties p LEFT JOIN party_screen_state s ON s.party_id = p.id ORDER BY p.id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                Party {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    schema: r.get(2)?,
                    country: r.get(3)?,
                    address: r.get(4)?,
                    dob: r.get(5)?,
                },
                r.get::<_, String>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    // ------------------------------------------------------------------ lists

    /// Record a list version (the files it came from and all its entries)
    /// and make it current for the list codes it holds.
    pub fn import_list_version(
        &mut self,
        label: &str,
        files: Value,
        entries: &[ListEntry],
    ) -> Result<ListDiff> {
        if entries.is_empty() {
            return Err(Error::Invalid("the list files hold no entries".into()));
        }
        let at = now();
        // previous entries of the same list codes
        let lists: BTreeSet<String> = entries.iter().map(|e| e.list.clone()).collect();
        let previous = self.current_fingerprints(Some(&lists))?;
        self.write(|tx, ap| {
            let mut fps: Vec<(String, String)> = Vec::with_capacity(entries.len());
            tx.execute(
                "INSERT INTO list_versions(imported_at, label, files_json, lists_json, entry_count, content_hash) VALUES (?1, ?2, ?3, ?4, ?5, '')",
                params![at, label, audit::canonical(&files), audit::canonical(&json!(lists)), entries.len() as i64],
            )?;
            let vid = tx.last_insert_rowid();
            let mut seen = BTreeSet::new();
            {
                let mut ins = tx.prepare_cached(
                    "INSERT INTO list_entries(version_id, entry_key, list, primary_name, fingerprint, data_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?;
                for e in entries {
                    let k = entry_key(e);
                    if !seen.insert(k.clone()) {
                        // the same entry twice in one version (a list file given twice): keep the first
                        continue;
                    }
                    let fp = entry_fingerprint(e);
                    let data = serde_json::to_string(e).map_err(|x| Error::Invalid(x.to_string()))?;
                    ins.execute(params![vid, k, e.list, e.primary_name(), fp, data])?;
                    fps.push((k, format!("{fp}:{}", sha256_hex(data.as_bytes()))));
                }
            }
            let content = content_hash(&fps);
            tx.execute("UPDATE list_versions SET content_hash = ?1, entry_count = ?2 WHERE id = ?3", params![content, fps.len() as i64, vid])?;
            for l in &lists {
                tx.execute(
                    "INSERT INTO list_current(list, version_id) VALUES (?1, ?2) ON CONFLICT(list) DO UPDATE SET version_id = excluded.version_id",
                    params![l, vid],
                )?;
            }
            let mut diff = ListDiff { version_id: vid, lists: lists.iter().cloned().collect(), entries: fps.len() as u64, ..Default::default() };
            let now_map: HashMap<&str, &str> = fps.iter().map(|(k, f)| (k.as_str(), f.as_str())).collect();
            for (k, f) in &fps {
                let f = f.split(':').next().unwrap_or("");
                match previous.get(k) {
                    None => diff.added += 1,
                    Some(p) if p != f => diff.changed += 1,
                    _ => diff.unchanged += 1,
                }
            }
            diff.removed = previous.keys().filter(|k| !now_map.contains_key(k.as_str())).count() as u64;
            let rec = list_version_record(tx, vid)?.unwrap_or(Value::Null);
            ap.push(tx, "list_version_imported", "list_versions", &vid.to_string(), &rec, &json!({
                "label": label, "lists": diff.lists, "entries": diff.entries, "added": diff.added,
                "changed": diff.changed, "removed": diff.removed,
            }))?;
            Ok(diff)
        })
    }

    /// entry_key -> fingerprint of the current entries (optionally only the given list codes).
    fn current_fingerprints(
        &self,
        only: Option<&BTreeSet<String>>,
    ) -> Result<HashMap<String, String>> {
        let mut st = self.conn.prepare(
            "SELECT e.entry_key, e.fingerprint, e.list FROM list_entries e JOIN list_current c ON c.version_id = e.version_id AND c.list = e.list",
        )?;
        let rows = st.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?;
        let mut out = HashMap::new();
        for r in rows {
            let (k, f, l) = r?;
            if only.is_none_or(|o| o.contains(&l)) {
                out.insert(k, f);
            }
        }
        Ok(out)
    }

    fn current_entries(&self) -> Result<Vec<(String, String, ListEntry)>> {
        let mut st = self.conn.prepare(
            "SELECT e.entry_key, e.fingerprint, e.data_json FROM list_entries e JOIN list_current c ON c.version_id = e.version_id AND c.list = e.list ORDER BY e.entry_key",
        )?;
        let rows = st.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?;
        let mut out = Vec::new();
        for r in rows {
            let (k, f, d) = r?;
            let e: ListEntry = serde_json::from_str(&d)
                .map_err(|x| Error::Invalid(format!("stored entry {k}: {x}")))?;
            out.push((k, f, e));
        }
        Ok(out)
    }

    /// The list state (code -> version id) in use.
    pub fn list_state(&self) -> Result<BTreeMap<String, i64>> {
        let mut st =
            self.conn.prepare("SELECT list, version_id FROM list_current ORDER BY list")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    // -------------------------------------------------------------- screening

    /// Screen the monitored parties against the current lists, doing only
    /// the work that can have changed since the last run (unless `full`),
    /// and update the alerts. Returns the delta.
    pub fn rescreen(&mut self, threshold: f64, full: bool) -> Result<RescreenSummary> {
        let entries = self.current_entries()?;
        if entries.is_empty() {
            return Err(Error::Invalid(
                "no lists imported: run `chiptrace lists import PATH...` first".into(),
            ));
        }
        let parties = self.load_parties()?;
        let screened: HashMap<String, String> = {
            let mut st =
                self.conn.prepare("SELECT entry_key, fingerprint FROM screened_entries")?;
            let rows =
                st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            rows.collect::<std::result::Result<_, _>>()?
        };
        let current: HashMap<&str, &str> =
            entries.iter().map(|(k, f, _)| (k.as_str(), f.as_str())).collect();
        // a different threshold changes which pairs are hits: screen everything
        let last_threshold: Option<f64> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'last_threshold'", [], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .and_then(|v| v.parse().ok());
        let threshold_changed = last_threshold.filter(|t| (t - threshold).abs() > 1e-12);
        // a new matcher may score any pair differently: screen everything
        let last_matcher: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'last_matcher'", [], |r| r.get(0))
            .optional()?;
        let matcher_changed = last_matcher.is_some_and(|m| m != chiptrace_screen::MATCHER_VERSION);
        let full = full || threshold_changed.is_some() || matcher_changed;
        let first_run = screened.is_empty();
        let delta_keys: BTreeSet<String> = entries
            .iter()
            .filter(|(k, f, _)| screened.get(k).is_none_or(|s| s != f))
            .map(|(k, _, _)| k.clone())
            .collect();
        let removed: BTreeSet<String> =
            screened.keys().filter(|k| !current.contains_key(k.as_str())).cloned().collect();
        let entry_fp: HashMap<String, String> =
            entries.iter().map(|(k, f, _)| (k.clone(), f.clone())).collect();

        // which parties need which work
        let mut full_q = Vec::new();
        let mut delta_q = Vec::new();
        let mut skipped = 0u64;
        for (p, fp, sfp) in &parties {
            let changed = full || first_run || sfp.as_deref() != Some(fp.as_str());
            let q = Query {
                id: p.id.clone(),
                name: p.name.clone(),
                schema: p.schema.as_deref().and_then(parse_schema),
                country: p.country.clone(),
                address: p.address.clone(),
                dob: p.dob.clone(),
            };
            if changed {
                full_q.push(q);
            } else if !delta_keys.is_empty() {
                delta_q.push(q);
            } else {
                skipped += 1;
            }
        }
        // a wide top-N: monitored parties keep every hit above the threshold,
        // so delta and full screenings agree on what is a hit
        let opts = ScreenOptions { threshold, top: 50 };
        let mut hits: Vec<(String, String, f64, String)> = Vec::new();
        let all: Vec<ListEntry> = entries.iter().map(|(_, _, e)| e.clone()).collect();
        if !full_q.is_empty() {
            let index = Index::build(all.clone());
            collect_hits(&index, &full_q, &opts, &mut hits);
        }
        let delta_entries: Vec<ListEntry> = entries
            .iter()
            .filter(|(k, _, _)| delta_keys.contains(k))
            .map(|(_, _, e)| e.clone())
            .collect();
        if !delta_q.is_empty() && !delta_entries.is_empty() {
            let index = Index::build(delta_entries.clone());
            collect_hits(&index, &delta_q, &opts, &mut hits);
        }
        let full_ids: BTreeSet<&str> = full_q.iter().map(|q| q.id.as_str()).collect();
        let party_fp: HashMap<&str, &str> =
            parties.iter().map(|(p, f, _)| (p.id.as_str(), f.as_str())).collect();
        let party_by_id: HashMap<&str, &Party> =
            parties.iter().map(|(p, _, _)| (p.id.as_str(), p)).collect();
        let entry_names: HashMap<&str, (&str, &str)> = entries
            .iter()
            .map(|(k, _, e)| (k.as_str(), (e.list.as_str(), e.primary_name())))
            .collect();
        let state = self.list_state()?;
        let kind = if first_run || full { "screen" } else { "rescreen" };
        let at = now();
        let n_full = full_q.len() as u64;
        let n_delta = delta_q.len() as u64;
        let n_delta_entries = delta_entries.len() as u64;
        drop(all);
        self.write(|tx, ap| {
            let run_id = insert_run(tx, ap, kind, &at, &json!(state), threshold, n_full + n_delta, &mut hits, |n| json!({
                "kind": kind, "parties_full": n_full, "parties_delta": n_delta, "delta_entries": n_delta_entries,
                "hits": n, "matcher": chiptrace_screen::MATCHER_VERSION,
            }))?;
            let mut sum = RescreenSummary {
                run: RunSummary {
                    run_id,
                    parties_screened_full: n_full,
                    parties_screened_delta: n_delta,
                    parties_skipped: skipped,
                    entries_in_delta: n_delta_entries,
                    hits: hits.len() as u64,
                },
                ..Default::default()
            };
            let hit_set: BTreeSet<(&str, &str)> = hits.iter().map(|h| (h.0.as_str(), h.1.as_str())).collect();
            for (pid, k, score, _m) in &hits {
                let pfp = party_fp.get(pid.as_str()).copied().unwrap_or("");
                let efp = entry_fp.get(k).map(String::as_str).unwrap_or("");
                let (list, ename) = entry_names.get(k.as_str()).copied().unwrap_or(("", ""));
                let existing: Option<(i64, String, String, String, f64)> = tx
                    .query_row(
                        "SELECT id, status, party_fp, entry_fp, score FROM alerts WHERE party_id = ?1 AND entry_key = ?2",
                        params![pid, k],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                    )
                    .optional()?;
                match existing {
                    None => {
                        tx.execute(
                            "INSERT INTO alerts(party_id, entry_key, list, entry_name, score, status, party_fp, entry_fp, reopened, note, last_run_id, updated_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6, ?7, 0, '', ?8, ?9)",
                            params![pid, k, list, ename, score, pfp, efp, run_id, at],
                        )?;
                        let id = tx.last_insert_rowid();
                        push_alert(tx, ap, id, "alert_opened", json!({"party": pid, "entry": k, "score": score, "run": run_id}))?;
                        sum.new.push(id);
                    }
                    Some((id, status, apfp, aefp, ascore)) => {
                        let same_data = apfp == pfp && aefp == efp;
                        if status == "closed" {
                            // the last review still holds if it looked at the same data
                            let last: Option<(String, String, String)> = tx
                                .query_row(
                                    "SELECT disposition, party_fp, entry_fp FROM dispositions WHERE alert_id = ?1 ORDER BY id DESC LIMIT 1",
                                    [id],
                                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                                )
                                .optional()?;
                            if let Some((d, dp, de)) = last
                                && d == "false_positive"
                                && dp == pfp
                                && de == efp
                            {
                                let note = format!("hit again in run {run_id}; the false-positive review still applies (same party and entry data)");
                                tx.execute(
                                    "UPDATE alerts SET status='false_positive', reopened=0, note=?2, score=?3, party_fp=?4, entry_fp=?5, last_run_id=?6, updated_at=?7 WHERE id=?1",
                                    params![id, note, score, pfp, efp, run_id, at],
                                )?;
                                push_alert(tx, ap, id, "alert_restored", json!({"why": note, "run": run_id}))?;
                                sum.unchanged += 1;
                                continue;
                            }
                        }
                        if status == "false_positive" && same_data {
                            // stays cleared: nothing changed that the review looked at
                            sum.unchanged += 1;
                        } else if status == "false_positive" || status == "closed" {
                            let mut why = Vec::new();
                            if status == "closed" {
                                why.push(format!("hit again in run {run_id}"));
                            } else {
                                if apfp != pfp {
                                    let p = party_by_id.get(pid.as_str());
                                    why.push(format!("party data changed since the review (now: {})", p.map(|p| p.name.as_str()).unwrap_or("")));
                                }
                                if aefp != efp {
                                    why.push(format!("list entry {k} changed since the review"));
                                }
                            }
                            let note = why.join("; ");
                            tx.execute(
                                "UPDATE alerts SET status='open', reopened=?2, note=?3, score=?4, party_fp=?5, entry_fp=?6, last_run_id=?7, updated_at=?8 WHERE id=?1",
                                params![id, i64::from(status == "false_positive"), note, score, pfp, efp, run_id, at],
                            )?;
                            push_alert(tx, ap, id, "alert_reopened", json!({"why": note, "run": run_id, "was": status}))?;
                            if status == "closed" {
                                sum.new.push(id);
                            } else {
                                sum.reopened.push(id);
                            }
                        } else if !same_data || (ascore - score).abs() > 1e-9 {
                            tx.execute(
                                "UPDATE alerts SET score=?2, party_fp=?3, entry_fp=?4, last_run_id=?5, updated_at=?6 WHERE id=?1",
                                params![id, score, pfp, efp, run_id, at],
                            )?;
                            push_alert(tx, ap, id, "alert_updated", json!({"score": score, "run": run_id}))?;
                            sum.unchanged += 1;
                        } else {
                            sum.unchanged += 1;
                        }
                    }
                }
            }
            // hits that disappeared
            let mut gone: Vec<(i64, String)> = Vec::new();
            {
                let mut st = tx.prepare("SELECT id, party_id, entry_key, status FROM alerts WHERE status != 'closed'")?;
                let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?)))?;
                for r in rows {
                    let (id, pid, k, status) = r?;
                    if hit_set.contains(&(pid.as_str(), k.as_str())) {
                        continue;
                    }
                    let why = if removed.contains(&k) || !current.contains_key(k.as_str()) {
                        Some(format!("entry {k} was removed from the list"))
                    } else if full_ids.contains(pid.as_str()) {
                        Some(match threshold_changed {
                            Some(t) => format!("below the threshold after it changed from {t} to {threshold}"),
                            None => "no longer a hit in a full screening (party data, list entry or ranking changed)".to_string(),
                        })
                    } else if delta_keys.contains(&k) {
                        Some(format!("entry {k} changed and no longer matches"))
                    } else {
                        None
                    };
                    if let Some(w) = why {
                        gone.push((id, format!("{w} (was {status})")));
                    }
                }
            }
            for (id, note) in gone {
                tx.execute("UPDATE alerts SET status='closed', note=?2, last_run_id=?3, updated_at=?4 WHERE id=?1", params![id, note, run_id, at])?;
                push_alert(tx, ap, id, "alert_closed", json!({"why": note, "run": run_id}))?;
                sum.gone.push(id);
            }
            // screening state (not audited records: what the next run compares with)
            tx.execute(
                "INSERT INTO meta(key, value) VALUES('last_threshold', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [threshold.to_string()],
            )?;
            tx.execute("DELETE FROM screened_entries", [])?;
            {
                let mut ins = tx.prepare_cached("INSERT INTO screened_entries(entry_key, fingerprint) VALUES (?1, ?2)")?;
                for (k, f) in &entry_fp {
                    ins.execute(params![k, f])?;
                }
                let mut up = tx.prepare_cached(
                    "INSERT INTO party_screen_state(party_id, screened_fp) VALUES (?1, ?2) ON CONFLICT(party_id) DO UPDATE SET screened_fp = excluded.screened_fp",
                )?;
                // delta-screened parties were unchanged: their state stands
                for q in &full_q {
                    up.execute(params![q.id, party_fp.get(q.id.as_str()).copied().unwrap_or("")])?;
                }
            }
            tx.execute(
                "INSERT INTO meta(key, value) VALUES('last_matcher', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [chiptrace_screen::MATCHER_VERSION],
            )?;
            // unchanged = every alert still standing that this run did not
            // open, re-open or close
            let standing: i64 = tx.query_row("SELECT count(*) FROM alerts WHERE status != 'closed'", [], |r| r.get(0))?;
            sum.unchanged = u64::try_from(standing).unwrap_or(0).saturating_sub((sum.new.len() + sum.reopened.len()) as u64);
            Ok(sum)
        })
    }

    /// The threshold of the last screening (used again unless told otherwise).
    pub fn configured_threshold(&self) -> Result<Option<f64>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'last_threshold'", [], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .and_then(|v| v.parse().ok()))
    }

    /// Record an ad-hoc screening (the `screen` command) with its hits.
    pub fn record_adhoc_screen(
        &mut self,
        queries: u64,
        threshold: f64,
        lists: Value,
        hits: &[(String, String, f64, String)],
    ) -> Result<i64> {
        let at = now();
        self.write(|tx, ap| {
            let mut hits = hits.to_vec();
            insert_run(
                tx,
                ap,
                "adhoc",
                &at,
                &lists,
                threshold,
                queries,
                &mut hits,
                |n| json!({"kind": "adhoc", "queries": queries, "hits": n}),
            )
        })
    }

    // ------------------------------------------------------------- decisions

    /// Record a classification or licence decision with its input and output
    /// (the output carries its trace, rule-data and engine versions).
    pub fn record_decision(
        &mut self,
        kind: &str,
        subject: &str,
        input: &Value,
        output: &Value,
    ) -> Result<i64> {
        let at = now();
        self.write(|tx, ap| {
            tx.execute(
                "INSERT INTO decisions(kind, at, subject, input_json, output_json) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![kind, at, subject, audit::canonical(input), audit::canonical(output)],
            )?;
            let id = tx.last_insert_rowid();
            let rec = decision_record(tx, &id.to_string())?.unwrap_or(Value::Null);
            let summary = output.get("license_required").or_else(|| output.get("classification")).cloned().unwrap_or(Value::Null);
            ap.push(tx, &format!("{kind}_recorded"), "decisions", &id.to_string(), &rec, &json!({"subject": subject, "result": summary}))?;
            Ok(id)
        })
    }

    // ----------------------------------------------------------------- alerts

    /// Alerts, optionally only one status.
    pub fn alerts(&self, status: Option<AlertStatus>) -> Result<Vec<Alert>> {
        let mut st = self.conn.prepare(
            "SELECT a.id, a.party_id, p.name, p.country, a.entry_key, a.list, a.entry_name, a.score, a.status, a.reopened, a.note, a.last_run_id, a.updated_at
             FROM alerts a LEFT JOIN parties p ON p.id = a.party_id
             WHERE ?1 IS NULL OR a.status = ?1 ORDER BY a.id",
        )?;
        let rows = st.query_map([status.map(|s| s.as_str())], |r| {
            Ok(Alert {
                id: r.get(0)?,
                party: AlertParty {
                    id: r.get(1)?,
                    name: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    country: r.get(3)?,
                },
                entry: AlertEntry { key: r.get(4)?, list: r.get(5)?, name: r.get(6)? },
                score: r.get(7)?,
                status: r.get(8)?,
                reopened: r.get::<_, i64>(9)? != 0,
                note: r.get(10)?,
                last_run: r.get(11)?,
                updated_at: r.get(12)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Record a review disposition on an alert.
    pub fn review(
        &mut self,
        alert_id: i64,
        d: Disposition,
        reviewer: &str,
        reason: &str,
    ) -> Result<Alert> {
        if reviewer.trim().is_empty() {
            return Err(Error::Invalid("--reviewer: a reviewer name is required".into()));
        }
        if reason.trim().is_empty() {
            return Err(Error::Invalid("--reason: a reason is required".into()));
        }
        let at = now();
        self.write(|tx, ap| {
            let row: Option<(String, String, String)> = tx
                .query_row("SELECT status, party_fp, entry_fp FROM alerts WHERE id = ?1", [alert_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            let Some((status, pfp, efp)) = row else { return Err(Error::NoSuchAlert(alert_id)) };
            if status == "closed" {
                return Err(Error::Invalid(format!("alert {alert_id} is closed (its hit disappeared); nothing to review")));
            }
            tx.execute(
                "INSERT INTO dispositions(alert_id, disposition, reviewer, reason, at, party_fp, entry_fp) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![alert_id, d.as_str(), reviewer, reason, at, pfp, efp],
            )?;
            let did = tx.last_insert_rowid();
            let drec = disposition_record(tx, &did.to_string())?.unwrap_or(Value::Null);
            ap.push(tx, "disposition_recorded", "dispositions", &did.to_string(), &drec, &json!({"alert": alert_id, "disposition": d.as_str(), "reviewer": reviewer}))?;
            tx.execute("UPDATE alerts SET status=?2, reopened=0, note='', updated_at=?3 WHERE id=?1", params![alert_id, d.as_str(), at])?;
            push_alert(tx, ap, alert_id, "alert_reviewed", json!({"disposition": d.as_str(), "reviewer": reviewer, "reason": reason}))?;
            Ok(())
        })?;
        self.alerts(None)?
            .into_iter()
            .find(|a| a.id == alert_id)
            .ok_or(Error::NoSuchAlert(alert_id))
    }

    // ------------------------------------------------------------------ audit

    /// Verify the audit chain, checkpoints and records. `trusted_key`: a
    /// public key file to check signatures against (default: the store's own).
    pub fn verify(&self, trusted_key: Option<&Path>) -> Result<VerifyReport> {
        let key = match trusted_key {
            Some(p) => keys::read_public(p)?,
            None => match keys::read_public(&keys::public_path(&self.dir)) {
                Ok(k) => k,
                Err(_) => self.key.verifying_key(),
            },
        };
        let hashers: [(&str, RecordHasher); 11] = [
            ("parties", parties_all),
            ("alerts", alerts_all),
            ("dispositions", dispositions_all),
            ("screening_runs", runs_all),
            ("list_versions", list_versions_all),
            ("decisions", decisions_all),
            ("lv_registry", |c| each(c, "lv_registry", crate::lv::registry_record)),
            ("lv_verdicts", |c| each(c, "lv_verdicts", crate::lv::verdict_record)),
            ("lv_alerts", |c| each(c, "lv_alerts", crate::lv::lv_alert_record)),
            ("trade_alerts", |c| each(c, "trade_alerts", crate::trade::trade_alert_record)),
            ("trade_dispositions", |c| {
                each(c, "trade_dispositions", crate::trade::trade_disposition_record)
            }),
        ];
        // one read transaction: a consistent snapshot while others write
        let tx = self.conn.unchecked_transaction()?;
        let mut report = audit::verify(&tx, &key, &hashers)?;
        let extra = screening_state_checks(&tx)?;
        if !extra.is_empty() {
            report.ok = false;
            report.problems.extend(extra);
        }
        drop(tx);
        Ok(report)
    }

    /// Export events (dates `from`..=`to`, YYYY-MM-DD) with the verification material.
    pub fn export(
        &self,
        format: ExportFormat,
        from: Option<&str>,
        to: Option<&str>,
        out: &mut dyn std::io::Write,
        material: Option<&mut dyn std::io::Write>,
    ) -> Result<i64> {
        let tx = self.conn.unchecked_transaction()?;
        audit::export(&tx, format, from, to, &self.public_key().0, out, material)
    }

    /// Counts for `status` output.
    pub fn stats(&self) -> Result<BTreeMap<String, i64>> {
        let mut m = BTreeMap::new();
        for t in [
            "parties",
            "list_versions",
            "screening_runs",
            "alerts",
            "dispositions",
            "decisions",
            "audit_events",
            "audit_checkpoints",
        ] {
            m.insert(
                t.to_string(),
                self.conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?,
            );
        }
        Ok(m)
    }
}

fn default_actor() -> String {
    std::env::var("CHIPTRACE_ACTOR")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_else(|_| "unknown".into())
}

fn parse_schema(s: &str) -> Option<chiptrace_lists::EntitySchema> {
    serde_json::from_value(Value::String(s.to_string())).ok()
}

fn collect_hits(
    index: &Index,
    qs: &[Query],
    opts: &ScreenOptions,
    out: &mut Vec<(String, String, f64, String)>,
) {
    let res = index.screen_batch(qs, opts);
    for (q, hits) in qs.iter().zip(res) {
        for h in hits {
            let e = &index.entries()[h.entry];
            out.push((q.id.clone(), entry_key(e), (h.score * 1e6).round() / 1e6, h.matched_name));
        }
    }
}

/// Hash of a version's entries: (key, fingerprint and sha256 of the stored
/// entry JSON) sorted, so a change to any field of any entry shows.
fn content_hash(fps: &[(String, String)]) -> String {
    let mut v: Vec<&(String, String)> = fps.iter().collect();
    v.sort();
    let mut s = String::new();
    for (k, f) in v {
        s.push_str(k);
        s.push('\u{1f}');
        s.push_str(f);
        s.push('\n');
    }
    sha256_hex(s.as_bytes())
}

fn results_hash<'a>(hits: impl Iterator<Item = (&'a str, &'a str, f64, &'a str)>) -> String {
    let mut s = String::new();
    for (p, k, sc, m) in hits {
        s.push_str(&format!("{p}\u{1f}{k}\u{1f}{sc}\u{1f}{m}\n"));
    }
    sha256_hex(s.as_bytes())
}

/// A hit: (party id, entry key, score, matched name).
type RunHit = (String, String, f64, String);

/// Record a screening run with its hits (sorted and deduplicated in place)
/// and the event describing it; returns the run id. `payload` gets the
/// number of hits recorded.
#[allow(clippy::too_many_arguments)]
fn insert_run(
    tx: &Transaction,
    ap: &mut Appender,
    kind: &str,
    at: &str,
    list_state: &Value,
    threshold: f64,
    screened: u64,
    hits: &mut Vec<RunHit>,
    payload: impl FnOnce(usize) -> Value,
) -> Result<i64> {
    hits.sort_by(|a, b| (a.0.as_str(), a.1.as_str()).cmp(&(b.0.as_str(), b.1.as_str())));
    hits.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    let rh = results_hash(hits.iter().map(|h| (h.0.as_str(), h.1.as_str(), h.2, h.3.as_str())));
    tx.execute(
        "INSERT INTO screening_runs(kind, started_at, matcher_version, list_state_json, threshold, parties_screened, results_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![kind, at, chiptrace_screen::MATCHER_VERSION, audit::canonical(list_state), threshold, screened as i64, rh],
    )?;
    let run_id = tx.last_insert_rowid();
    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO screening_results(run_id, party_id, entry_key, score, matched_name) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (pid, k, s, m) in hits.iter() {
            ins.execute(params![run_id, pid, k, s, m])?;
        }
    }
    let rec = run_record(tx, run_id)?.unwrap_or(Value::Null);
    ap.push(
        tx,
        "screening_run",
        "screening_runs",
        &run_id.to_string(),
        &rec,
        &payload(hits.len()),
    )?;
    Ok(run_id)
}

fn push_alert(
    tx: &Transaction,
    ap: &mut Appender,
    id: i64,
    kind: &str,
    payload: Value,
) -> Result<()> {
    let rec = alert_record_by_id(tx, &id.to_string())?.unwrap_or(Value::Null);
    ap.push(tx, kind, "alerts", &id.to_string(), &rec, &payload)?;
    Ok(())
}

// ------------------------------------------------------------ record hashes
// Each returns the canonical value of a record as stored now; the writer
// hashes the same value right after the change, `verify` recomputes it.

fn party_record(p: &Party, fp: &str, at: &str) -> Value {
    json!({"id": p.id, "name": p.name, "schema": p.schema, "country": p.country, "address": p.address,
           "dob": p.dob, "fingerprint": fp, "updated_at": at})
}

fn alert_record_by_id(c: &Connection, id: &str) -> Result<Option<Value>> {
    Ok(c.query_row(
        "SELECT id, party_id, entry_key, list, entry_name, score, status, party_fp, entry_fp, reopened, note, last_run_id, updated_at FROM alerts WHERE id = ?1",
        [id],
        |r| {
            Ok(json!({
                "id": r.get::<_, i64>(0)?, "party_id": r.get::<_, String>(1)?, "entry_key": r.get::<_, String>(2)?,
                "list": r.get::<_, String>(3)?, "entry_name": r.get::<_, String>(4)?, "score": r.get::<_, f64>(5)?,
                "status": r.get::<_, String>(6)?, "party_fp": r.get::<_, String>(7)?, "entry_fp": r.get::<_, String>(8)?,
                "reopened": r.get::<_, i64>(9)?, "note": r.get::<_, String>(10)?, "last_run_id": r.get::<_, i64>(11)?,
                "updated_at": r.get::<_, String>(12)?,
            }))
        },
    )
    .optional()?)
}

fn disposition_record(c: &Connection, id: &str) -> Result<Option<Value>> {
    Ok(c.query_row(
        "SELECT id, alert_id, disposition, reviewer, reason, at, party_fp, entry_fp FROM dispositions WHERE id = ?1",
        [id],
        |r| {
            Ok(json!({
                "id": r.get::<_, i64>(0)?, "alert_id": r.get::<_, i64>(1)?, "disposition": r.get::<_, String>(2)?,
                "reviewer": r.get::<_, String>(3)?, "reason": r.get::<_, String>(4)?, "at": r.get::<_, String>(5)?,
                "party_fp": r.get::<_, String>(6)?, "entry_fp": r.get::<_, String>(7)?,
            }))
        },
    )
    .optional()?)
}

fn run_record(c: &Connection, id: i64) -> Result<Option<Value>> {
    let row: Option<Value> = c
        .query_row(
            "SELECT id, kind, started_at, matcher_version, list_state_json, threshold, parties_screened FROM screening_runs WHERE id = ?1",
            [id],
            |r| {
                Ok(json!({
                    "id": r.get::<_, i64>(0)?, "kind": r.get::<_, String>(1)?, "started_at": r.get::<_, String>(2)?,
                    "matcher_version": r.get::<_, String>(3)?, "list_state": r.get::<_, String>(4)?,
                    "threshold": r.get::<_, f64>(5)?, "parties_screened": r.get::<_, i64>(6)?,
                }))
            },
        )
        .optional()?;
    let Some(mut v) = row else { return Ok(None) };
    // the results as stored now (an edited score changes this hash)
    let mut st = c.prepare_cached("SELECT party_id, entry_key, score, matched_name FROM screening_results WHERE run_id = ?1 ORDER BY party_id, entry_key")?;
    let rows: Vec<(String, String, f64, String)> = st
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<std::result::Result<_, _>>()?;
    v["results_hash"] =
        json!(results_hash(rows.iter().map(|h| (h.0.as_str(), h.1.as_str(), h.2, h.3.as_str()))));
    Ok(Some(v))
}

fn run_record_by_id(c: &Connection, id: &str) -> Result<Option<Value>> {
    run_record(c, id.parse().unwrap_or(-1))
}

fn list_version_record(c: &Connection, id: i64) -> Result<Option<Value>> {
    let row: Option<Value> = c
        .query_row(
            "SELECT id, imported_at, label, files_json, lists_json, entry_count FROM list_versions WHERE id = ?1",
            [id],
            |r| {
                Ok(json!({
                    "id": r.get::<_, i64>(0)?, "imported_at": r.get::<_, String>(1)?, "label": r.get::<_, String>(2)?,
                    "files": r.get::<_, String>(3)?, "lists": r.get::<_, String>(4)?, "entry_count": r.get::<_, i64>(5)?,
                }))
            },
        )
        .optional()?;
    let Some(mut v) = row else { return Ok(None) };
    // entries as stored now: fingerprints recomputed from the entry data
    let mut st =
        c.prepare_cached("SELECT entry_key, data_json FROM list_entries WHERE version_id = ?1")?;
    let rows: Vec<(String, String)> = st
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<std::result::Result<_, _>>()?;
    let mut fps = Vec::with_capacity(rows.len());
    for (k, d) in rows {
        let fp = match serde_json::from_str::<ListEntry>(&d) {
            Ok(e) => entry_fingerprint(&e),
            Err(_) => "unreadable".into(),
        };
        fps.push((k, format!("{fp}:{}", sha256_hex(d.as_bytes()))));
    }
    v["content_hash"] = json!(content_hash(&fps));
    Ok(Some(v))
}

fn list_version_record_by_id(c: &Connection, id: &str) -> Result<Option<Value>> {
    list_version_record(c, id.parse().unwrap_or(-1))
}

fn decision_record(c: &Connection, id: &str) -> Result<Option<Value>> {
    Ok(c.query_row("SELECT id, kind, at, subject, input_json, output_json FROM decisions WHERE id = ?1", [id], |r| {
        Ok(json!({
            "id": r.get::<_, i64>(0)?, "kind": r.get::<_, String>(1)?, "at": r.get::<_, String>(2)?,
            "subject": r.get::<_, String>(3)?, "input_sha256": sha256_hex(r.get::<_, String>(4)?.as_bytes()),
            "output_sha256": sha256_hex(r.get::<_, String>(5)?.as_bytes()),
        }))
    })
    .optional()?)
}

// Bulk readers for `verify`: one pass per table (1M parties in seconds).

fn ids_of(c: &Connection, table: &str) -> Result<Vec<String>> {
    let mut st = c.prepare(&format!("SELECT CAST(id AS TEXT) FROM {table}"))?;
    let ids = st.query_map([], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
    Ok(ids)
}

fn each(
    c: &Connection,
    table: &str,
    f: fn(&Connection, &str) -> Result<Option<Value>>,
) -> Result<Vec<(String, Value)>> {
    let mut out = Vec::new();
    for id in ids_of(c, table)? {
        if let Some(v) = f(c, &id)? {
            out.push((id, v));
        }
    }
    Ok(out)
}

fn parties_all(c: &Connection) -> Result<Vec<(String, Value)>> {
    let mut st = c.prepare(
        "SELECT id, name, schema, country, address, dob, fingerprint, updated_at FROM parties",
    )?;
    let rows = st.query_map([], |r| {
        let p = Party {
            id: r.get(0)?,
            name: r.get(1)?,
            schema: r.get(2)?,
            country: r.get(3)?,
            address: r.get(4)?,
            dob: r.get(5)?,
        };
        let v = party_record(&p, &r.get::<_, String>(6)?, &r.get::<_, String>(7)?);
        Ok((p.id, v))
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

fn alerts_all(c: &Connection) -> Result<Vec<(String, Value)>> {
    each(c, "alerts", alert_record_by_id)
}

fn dispositions_all(c: &Connection) -> Result<Vec<(String, Value)>> {
    each(c, "dispositions", disposition_record)
}

fn runs_all(c: &Connection) -> Result<Vec<(String, Value)>> {
    each(c, "screening_runs", run_record_by_id)
}

fn list_versions_all(c: &Connection) -> Result<Vec<(String, Value)>> {
    each(c, "list_versions", list_version_record_by_id)
}

fn decisions_all(c: &Connection) -> Result<Vec<(String, Value)>> {
    each(c, "decisions", decision_record)
}

/// Checks of the state re-screening relies on (not audited rows): each
/// entry's stored fingerprint matches its data, and the current version of
/// each list code is the latest version holding it (imports always make the
/// new version current).
fn screening_state_checks(c: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut st =
        c.prepare("SELECT version_id, entry_key, fingerprint, data_json FROM list_entries")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let (v, k, f, d): (i64, String, String, String) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let ok = serde_json::from_str::<ListEntry>(&d)
            .map(|e| entry_fingerprint(&e) == f)
            .unwrap_or(false);
        if !ok {
            out.push(format!("list version {v}, entry {k}: the stored fingerprint does not match the entry (screening state changed outside chiptrace)"));
        }
    }
    drop(rows);
    let mut latest: BTreeMap<String, i64> = BTreeMap::new();
    let mut st = c.prepare("SELECT id, lists_json FROM list_versions ORDER BY id")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    for r in rows {
        let (id, lists) = r?;
        for l in serde_json::from_str::<Vec<String>>(&lists).unwrap_or_default() {
            latest.insert(l, id);
        }
    }
    let mut st = c.prepare("SELECT list, version_id FROM list_current")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    let mut seen = BTreeSet::new();
    for r in rows {
        let (l, v) = r?;
        seen.insert(l.clone());
        if latest.get(&l) != Some(&v) {
            out.push(format!("list {l}: current version is {v}, but the latest imported version holding it is {} (changed outside chiptrace)", latest.get(&l).map_or("none".into(), |x| x.to_string())));
        }
    }
    for l in latest.keys().filter(|l| !seen.contains(*l)) {
        out.push(format!("list {l}: no current version recorded (changed outside chiptrace)"));
    }
    Ok(out)
}
