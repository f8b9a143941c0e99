//! Versioned schema migrations. `meta.schema_version` says which have run;
//! a store written by a newer build is refused rather than misread.

use rusqlite::Connection;

use crate::error::Result;

/// Migration `i` brings the schema from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 0 -> 1
    r#"
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE list_versions (
    id INTEGER PRIMARY KEY,
    imported_at TEXT NOT NULL,
    label TEXT NOT NULL,
    files_json TEXT NOT NULL,        -- [{path, format, sha256, entries, bad_rows}]
    lists_json TEXT NOT NULL,        -- list codes this version holds
    entry_count INTEGER NOT NULL,
    content_hash TEXT NOT NULL       -- sha256 over sorted (entry_key, fingerprint)
);
CREATE TABLE list_entries (
    version_id INTEGER NOT NULL REFERENCES list_versions(id),
    entry_key TEXT NOT NULL,         -- list code + '/' + entry id (stable across versions)
    list TEXT NOT NULL,
    primary_name TEXT NOT NULL,
    fingerprint TEXT NOT NULL,       -- sha256 of the data matching reads
    data_json TEXT NOT NULL,         -- the ListEntry
    PRIMARY KEY (version_id, entry_key)
);
-- the version in use for each list code
CREATE TABLE list_current (list TEXT PRIMARY KEY, version_id INTEGER NOT NULL);

CREATE TABLE parties (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    schema TEXT,
    country TEXT,
    address TEXT,
    dob TEXT,
    fingerprint TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE screening_runs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,              -- screen | rescreen
    started_at TEXT NOT NULL,
    matcher_version TEXT NOT NULL,
    list_state_json TEXT NOT NULL,   -- {list code: version id}
    threshold REAL NOT NULL,
    parties_screened INTEGER NOT NULL,
    results_hash TEXT NOT NULL       -- sha256 over the run's sorted results
);
CREATE TABLE screening_results (
    run_id INTEGER NOT NULL REFERENCES screening_runs(id),
    party_id TEXT NOT NULL,
    entry_key TEXT NOT NULL,
    score REAL NOT NULL,
    matched_name TEXT NOT NULL,
    PRIMARY KEY (run_id, party_id, entry_key)
);

CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    party_id TEXT NOT NULL,
    entry_key TEXT NOT NULL,
    list TEXT NOT NULL,
    entry_name TEXT NOT NULL,
    score REAL NOT NULL,
    status TEXT NOT NULL,            -- open | true_match | false_positive | escalated | closed
    party_fp TEXT NOT NULL,
    entry_fp TEXT NOT NULL,
    reopened INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',   -- why it was reopened / closed
    last_run_id INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (party_id, entry_key)
);
CREATE INDEX alerts_status ON alerts(status);

CREATE TABLE dispositions (
    id INTEGER PRIMARY KEY,
    alert_id INTEGER NOT NULL REFERENCES alerts(id),
    disposition TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    party_fp TEXT NOT NULL,
    entry_fp TEXT NOT NULL
);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,              -- classify | decide
    at TEXT NOT NULL,
    subject TEXT NOT NULL,
    input_json TEXT NOT NULL,
    output_json TEXT NOT NULL
);

-- what the last screening compared with (state, not audited records)
CREATE TABLE screened_entries (entry_key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL);
CREATE TABLE party_screen_state (party_id TEXT PRIMARY KEY, screened_fp TEXT NOT NULL);

CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    record_table TEXT NOT NULL,
    record_id TEXT NOT NULL,
    record_hash TEXT NOT NULL,
    payload TEXT NOT NULL,           -- canonical JSON
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_record ON audit_events(record_table, record_id);
CREATE TABLE audit_checkpoints (
    seq INTEGER PRIMARY KEY,         -- last event covered
    hash TEXT NOT NULL,              -- chain hash at seq
    at TEXT NOT NULL,
    public_key TEXT NOT NULL,
    signature TEXT NOT NULL          -- Ed25519 over "chiptrace-audit-v1|seq|hash|at"
);
"#,
    // 1 -> 2: location verification (docs/location-verification.md)
    r#"
-- registry rows: id = 'chip/<serial>' | 'site/<id>' | 'landmark/<id>'
CREATE TABLE lv_registry (
    id TEXT PRIMARY KEY,
    data_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE lv_verdicts (
    id INTEGER PRIMARY KEY,
    chip TEXT NOT NULL,
    at TEXT NOT NULL,
    result TEXT NOT NULL,            -- pass | fail | inconclusive
    verdict_json TEXT NOT NULL,      -- canonical JSON of the verdict
    statements_json TEXT NOT NULL,   -- the landmark statements it rests on
    signature TEXT NOT NULL,         -- Ed25519 (audit key) over "chiptrace-lv-verdict-v1\n" + verdict_json
    public_key TEXT NOT NULL
);
CREATE INDEX lv_verdicts_chip ON lv_verdicts(chip);
-- every accepted nonce, once: a second recording of one proof fails at the
-- database (the replay check itself reads the audited verdicts)
CREATE TABLE lv_nonces (nonce TEXT PRIMARY KEY, chip TEXT NOT NULL, verdict_id INTEGER NOT NULL);
CREATE TABLE lv_alerts (
    id INTEGER PRIMARY KEY,
    chip TEXT NOT NULL,
    verdict_id INTEGER NOT NULL REFERENCES lv_verdicts(id),
    result TEXT NOT NULL,
    status TEXT NOT NULL,            -- open | closed
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);
"#,
    // 2 -> 3: diversion alerts as inquiry tasks (docs/diversion.md)
    r#"
CREATE TABLE trade_alerts (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,            -- the ledger (canonical path or --source label)
    order_id TEXT NOT NULL,
    action TEXT NOT NULL,            -- inquire | hold | block
    score REAL NOT NULL,
    rule_ids TEXT NOT NULL,
    fingerprint TEXT NOT NULL,       -- sha256 of the evidence a review covers
    alert_json TEXT NOT NULL,
    status TEXT NOT NULL,            -- open | cleared | confirmed | escalated | closed
    reopened INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    UNIQUE (source, order_id)
);
CREATE INDEX trade_alerts_status ON trade_alerts(status);
CREATE TABLE trade_dispositions (
    id INTEGER PRIMARY KEY,
    alert_id INTEGER NOT NULL REFERENCES trade_alerts(id),
    disposition TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    fingerprint TEXT NOT NULL
);
"#,
];

/// Apply pending migrations inside one transaction.
pub(crate) fn migrate(conn: &mut Connection, from: i64) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // re-read under the write lock: another process may have migrated since
    let has_meta: i64 = tx.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'",
        [],
        |r| r.get(0),
    )?;
    let from = if has_meta > 0 {
        tx.query_row("SELECT value FROM meta WHERE key='schema_version'", [], |r| {
            r.get::<_, String>(0)
        })
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(from)
    } else {
        from
    };
    for (i, m) in MIGRATIONS.iter().enumerate().skip(usize::try_from(from).unwrap_or(0)) {
        tx.execute_batch(m)?;
        let v = i64::try_from(i + 1).unwrap_or(i64::MAX);
        tx.execute(
            "INSERT INTO meta(key, value) VALUES('schema_version', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [v.to_string()],
        )?;
    }
    tx.commit()?;
    Ok(())
}
