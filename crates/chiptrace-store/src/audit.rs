//! The audit log: a SHA-256 hash chain of events, appended in the same
//! transaction as the change each one describes, with Ed25519-signed
//! checkpoints.
//!
//! `hash(n) = SHA-256("chiptrace-audit-v1" ␟ seq ␟ at ␟ kind ␟ actor ␟
//! record_table ␟ record_id ␟ record_hash ␟ payload ␟ hash(n-1))` with ␟ the
//! ASCII unit separator and `hash(0)` = 64 zeros. `record_hash` is the
//! SHA-256 of the canonical JSON (sorted keys) of the record after the
//! change, so `verify` can tell when a row no longer matches its event.

use std::collections::BTreeMap;
use std::io::Write;

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const DOMAIN: &str = "chiptrace-audit-v1";

/// SHA-256 hex of bytes.
pub(crate) fn sha256_hex(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

/// Canonical JSON text: serde_json's map is sorted (no `preserve_order`).
pub(crate) fn canonical(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

pub(crate) fn record_hash(v: &Value) -> String {
    sha256_hex(canonical(v).as_bytes())
}

#[allow(clippy::too_many_arguments)]
fn event_hash(
    seq: i64,
    at: &str,
    kind: &str,
    actor: &str,
    table: &str,
    id: &str,
    rhash: &str,
    payload: &str,
    prev: &str,
) -> String {
    let mut h = Sha256::new();
    for (i, part) in [DOMAIN, &seq.to_string(), at, kind, actor, table, id, rhash, payload, prev]
        .iter()
        .enumerate()
    {
        if i > 0 {
            h.update([0x1f]);
        }
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends events inside a write transaction.
pub(crate) struct Appender {
    seq: i64,
    prev: String,
    at: String,
    actor: String,
    pub(crate) appended: u64,
}

impl Appender {
    pub(crate) fn new(tx: &Transaction, at: &str, actor: &str) -> Result<Appender> {
        let head: Option<(i64, String)> = tx
            .query_row("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let (seq, prev) = head.unwrap_or((0, GENESIS.to_string()));
        Ok(Appender { seq, prev, at: at.to_string(), actor: actor.to_string(), appended: 0 })
    }

    /// Append one event describing `record` (its canonical JSON is hashed).
    pub(crate) fn push(
        &mut self,
        tx: &Transaction,
        kind: &str,
        table: &str,
        id: &str,
        record: &Value,
        payload: &Value,
    ) -> Result<i64> {
        let seq = self.seq + 1;
        let rhash = record_hash(record);
        let payload = canonical(payload);
        let hash =
            event_hash(seq, &self.at, kind, &self.actor, table, id, &rhash, &payload, &self.prev);
        let mut st = tx.prepare_cached(
            "INSERT INTO audit_events(seq, at, kind, actor, record_table, record_id, record_hash, payload, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        st.execute(params![
            seq, self.at, kind, self.actor, table, id, rhash, payload, self.prev, hash
        ])?;
        self.seq = seq;
        self.prev = hash;
        self.appended += 1;
        Ok(seq)
    }

    /// Sign the chain head (called at the end of every write, and so at
    /// least once per command).
    pub(crate) fn checkpoint(&self, tx: &Transaction, key: &SigningKey) -> Result<()> {
        if self.appended == 0 {
            return Ok(());
        }
        let msg = format!("{DOMAIN}|{}|{}|{}", self.seq, self.prev, self.at);
        let sig = key.sign(msg.as_bytes());
        tx.execute(
            "INSERT OR REPLACE INTO audit_checkpoints(seq, hash, at, public_key, signature) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                self.seq,
                self.prev,
                self.at,
                hex::encode(key.verifying_key().as_bytes()),
                hex::encode(sig.to_bytes())
            ],
        )?;
        Ok(())
    }
}

/// One audit event as exported.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: String,
    pub kind: String,
    pub actor: String,
    pub record_table: String,
    pub record_id: String,
    pub record_hash: String,
    pub payload: Value,
    pub prev_hash: String,
    pub hash: String,
}

/// The result of `audit verify`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VerifyReport {
    pub ok: bool,
    pub events: i64,
    pub checkpoints: i64,
    /// Last event covered by a valid signature.
    pub signed_through: i64,
    pub head_hash: String,
    pub public_key: String,
    /// The first bad event (seq), when the chain or a record is wrong.
    pub first_bad_event: Option<i64>,
    /// What is wrong, first problem first.
    pub problems: Vec<String>,
}

/// How to compute the current hash of each kind of record (shared by the
/// writer and `verify`).
/// All records of one table as (id, canonical value), read in one pass.
pub(crate) type RecordHasher = fn(&Connection) -> Result<Vec<(String, Value)>>;

/// Verify the chain, the checkpoints and the records.
pub(crate) fn verify(
    conn: &Connection,
    trusted: &VerifyingKey,
    hashers: &[(&str, RecordHasher)],
) -> Result<VerifyReport> {
    let mut problems: Vec<(i64, String)> = Vec::new();
    let quick: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if quick != "ok" {
        problems.push((0, format!("database file damaged: {quick}")));
    }
    // 1. the chain
    let mut st = conn.prepare(
        "SELECT seq, at, kind, actor, record_table, record_id, record_hash, payload, prev_hash, hash
         FROM audit_events ORDER BY seq",
    )?;
    let mut rows = st.query([])?;
    let mut expect_seq = 1i64;
    let mut prev = GENESIS.to_string();
    let mut count = 0i64;
    let mut hashes: BTreeMap<i64, String> = BTreeMap::new();
    // latest event per record
    let mut latest: BTreeMap<(String, String), (i64, String)> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let at: String = r.get(1)?;
        let kind: String = r.get(2)?;
        let actor: String = r.get(3)?;
        let table: String = r.get(4)?;
        let id: String = r.get(5)?;
        let rhash: String = r.get(6)?;
        let payload: String = r.get(7)?;
        let prev_hash: String = r.get(8)?;
        let hash: String = r.get(9)?;
        count += 1;
        if seq != expect_seq {
            problems.push((
                seq,
                format!("event {seq}: expected event {expect_seq} here — events {expect_seq}..{} are missing", seq - 1),
            ));
        }
        if prev_hash != prev {
            problems.push((
                seq,
                format!("event {seq} ({kind} {table}/{id}): its previous-hash does not link to event {} — events were inserted, deleted or reordered", seq - 1),
            ));
        }
        let recomputed =
            event_hash(seq, &at, &kind, &actor, &table, &id, &rhash, &payload, &prev_hash);
        if recomputed != hash {
            problems.push((
                seq,
                format!("event {seq} ({kind} {table}/{id}): content was edited (hash mismatch)"),
            ));
        }
        prev = hash.clone();
        hashes.insert(seq, hash);
        latest.insert((table, id), (seq, rhash));
        expect_seq = seq + 1;
    }
    drop(rows);
    drop(st);
    // 2. checkpoints
    let trusted_hex = hex::encode(trusted.as_bytes());
    let mut signed_through = 0i64;
    let mut cps = 0i64;
    let mut st = conn.prepare(
        "SELECT seq, hash, at, public_key, signature FROM audit_checkpoints ORDER BY seq",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        cps += 1;
        let seq: i64 = r.get(0)?;
        let hash: String = r.get(1)?;
        let at: String = r.get(2)?;
        let pk: String = r.get(3)?;
        let sig: String = r.get(4)?;
        if pk != trusted_hex {
            problems.push((seq, format!("checkpoint at event {seq} is signed by another key ({}…), not the store's audit key ({}…)", &pk[..pk.len().min(16)], &trusted_hex[..16])));
            continue;
        }
        let ok_sig = hex::decode(&sig)
            .ok()
            .and_then(|b| <[u8; 64]>::try_from(b).ok())
            .map(|b| Signature::from_bytes(&b))
            .is_some_and(|s| {
                trusted.verify(format!("{DOMAIN}|{seq}|{hash}|{at}").as_bytes(), &s).is_ok()
            });
        if !ok_sig {
            problems.push((seq, format!("checkpoint at event {seq}: signature does not verify")));
            continue;
        }
        match hashes.get(&seq) {
            Some(h) if *h == hash => signed_through = signed_through.max(seq),
            Some(_) => problems.push((seq, format!("event {seq} differs from the signed checkpoint at that event"))),
            None => problems.push((seq, format!("checkpoint at event {seq} refers to an event that is missing (events deleted or the log truncated)"))),
        }
    }
    drop(rows);
    drop(st);
    if count > 0 && signed_through < count && problems.is_empty() {
        problems.push((
            signed_through + 1,
            format!(
                "events {}..{count} are not covered by a signed checkpoint",
                signed_through + 1
            ),
        ));
    }
    // 3. records against the events describing them (reported after chain
    // problems: a deleted or reordered event makes the records it described
    // look stale, and the first bad event is the chain's, not theirs)
    let mut rproblems: Vec<(i64, String)> = Vec::new();
    for (table, hasher) in hashers {
        let records = hasher(conn)?;
        let ids: std::collections::HashSet<&str> =
            records.iter().map(|(i, _)| i.as_str()).collect();
        for (id, v) in &records {
            match (latest.get(&(table.to_string(), id.clone())), Some(v)) {
                (Some((seq, rh)), Some(v)) if record_hash(v) != *rh => {
                    rproblems.push((*seq, format!("event {seq} describes {table}/{id}, but the record no longer matches it (changed outside chiptrace)")));
                }
                (None, Some(_)) => rproblems.push((
                    i64::MAX,
                    format!("{table}/{id} has no audit event (inserted outside chiptrace)"),
                )),
                _ => {}
            }
        }
        for ((t, id), (seq, _)) in latest.iter().filter(|((t, _), _)| t == table) {
            if !ids.contains(id.as_str()) {
                rproblems.push((*seq, format!("event {seq} describes {t}/{id}, which no longer exists (deleted outside chiptrace)")));
            }
        }
    }
    problems.sort_by_key(|(s, _)| *s);
    rproblems.sort_by_key(|(s, _)| *s);
    let first_bad = problems
        .iter()
        .map(|(s, _)| *s)
        .find(|s| *s != i64::MAX && *s != 0)
        .or_else(|| rproblems.iter().map(|(s, _)| *s).find(|s| *s != i64::MAX && *s != 0));
    problems.extend(rproblems);
    Ok(VerifyReport {
        ok: problems.is_empty(),
        events: count,
        checkpoints: cps,
        signed_through,
        head_hash: prev,
        public_key: trusted_hex,
        first_bad_event: first_bad,
        problems: problems.into_iter().map(|(_, p)| p).collect(),
    })
}

/// Export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Jsonl,
    Csv,
}

/// Write the events with `from <= at-date <= to` and the verification
/// material. JSONL: one `{"event": …}` per line, then `{"checkpoint": …}`
/// lines, then one `{"verification": …}` line. CSV: the events; the
/// verification material goes to `material` as JSON.
pub(crate) fn export(
    conn: &Connection,
    format: ExportFormat,
    from: Option<&str>,
    to: Option<&str>,
    public_key: &str,
    out: &mut dyn Write,
    material: Option<&mut dyn Write>,
) -> Result<i64> {
    let lo = from.unwrap_or("0000-00-00");
    let hi = to.map(|t| format!("{t}\u{ffff}")).unwrap_or_else(|| "9999-99-99".into());
    let mut st = conn.prepare(
        "SELECT seq, at, kind, actor, record_table, record_id, record_hash, payload, prev_hash, hash
         FROM audit_events WHERE at >= ?1 AND at <= ?2 ORDER BY seq",
    )?;
    let mut rows = st.query(params![lo, hi])?;
    let io = |e: std::io::Error| Error::Invalid(format!("writing the export: {e}"));
    let mut n = 0i64;
    let mut first: Option<(i64, String)> = None;
    let mut last: Option<(i64, String)> = None;
    let mut csv_rows: Vec<[String; 10]> = Vec::new();
    let mut json_out: Vec<String> = Vec::new();
    while let Some(r) = rows.next()? {
        let ev = AuditEvent {
            seq: r.get(0)?,
            at: r.get(1)?,
            kind: r.get(2)?,
            actor: r.get(3)?,
            record_table: r.get(4)?,
            record_id: r.get(5)?,
            record_hash: r.get(6)?,
            payload: serde_json::from_str(&r.get::<_, String>(7)?).unwrap_or(Value::Null),
            prev_hash: r.get(8)?,
            hash: r.get(9)?,
        };
        if first.is_none() {
            first = Some((ev.seq, ev.prev_hash.clone()));
        }
        last = Some((ev.seq, ev.hash.clone()));
        n += 1;
        match format {
            ExportFormat::Csv => {
                let payload: String = r.get(7)?;
                csv_rows.push([
                    ev.seq.to_string(),
                    ev.at.clone(),
                    ev.kind.clone(),
                    ev.actor.clone(),
                    ev.record_table.clone(),
                    ev.record_id.clone(),
                    ev.record_hash.clone(),
                    payload,
                    ev.prev_hash.clone(),
                    ev.hash.clone(),
                ]);
            }
            ExportFormat::Jsonl => json_out.push(serde_json::json!({ "event": ev }).to_string()),
        }
    }
    drop(rows);
    drop(st);
    let mut cps = Vec::new();
    {
        let (a, b) = (first.as_ref().map_or(0, |f| f.0), last.as_ref().map_or(0, |l| l.0));
        let mut st = conn.prepare("SELECT seq, hash, at, public_key, signature FROM audit_checkpoints WHERE seq >= ?1 AND seq <= ?2 ORDER BY seq")?;
        let mut rows = st.query(params![a, b])?;
        while let Some(r) = rows.next()? {
            cps.push(serde_json::json!({
                "seq": r.get::<_, i64>(0)?, "hash": r.get::<_, String>(1)?, "at": r.get::<_, String>(2)?,
                "public_key": r.get::<_, String>(3)?, "signature": r.get::<_, String>(4)?,
            }));
        }
    }
    let verification = serde_json::json!({
        "format": DOMAIN,
        "algorithm": "hash(n) = SHA-256 of the UTF-8 fields [\"chiptrace-audit-v1\", seq, at, kind, actor, record_table, record_id, record_hash, payload, prev_hash] joined by 0x1F; hash(0) = 64 zeros; checkpoints are Ed25519 signatures over \"chiptrace-audit-v1|seq|hash|at\"",
        "public_key": public_key,
        "events": n,
        "first_seq": first.as_ref().map(|f| f.0),
        "prev_hash_of_first": first.as_ref().map(|f| f.1.clone()),
        "last_seq": last.as_ref().map(|l| l.0),
        "last_hash": last.as_ref().map(|l| l.1.clone()),
        "checkpoints": cps,
    });
    match format {
        ExportFormat::Csv => {
            {
                let mut w = csv_writer(out);
                let cerr = |e: csv::Error| Error::Invalid(format!("writing the export: {e}"));
                w.write_record([
                    "seq",
                    "at",
                    "kind",
                    "actor",
                    "record_table",
                    "record_id",
                    "record_hash",
                    "payload",
                    "prev_hash",
                    "hash",
                ])
                .map_err(cerr)?;
                for row in &csv_rows {
                    w.write_record(row).map_err(cerr)?;
                }
                w.flush().map_err(io)?;
            }
            if let Some(m) = material {
                serde_json::to_writer_pretty(&mut *m, &verification)
                    .map_err(|e| Error::Invalid(e.to_string()))?;
                writeln!(m).map_err(io)?;
            }
        }
        ExportFormat::Jsonl => {
            for l in json_out {
                writeln!(out, "{l}").map_err(io)?;
            }
            for c in verification["checkpoints"].as_array().into_iter().flatten() {
                writeln!(out, "{}", serde_json::json!({ "checkpoint": c })).map_err(io)?;
            }
            writeln!(out, "{}", serde_json::json!({ "verification": verification })).map_err(io)?;
        }
    }
    Ok(n)
}

fn csv_writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::Writer::from_writer(out)
}

/// Verify an exported JSONL file on its own (what an examiner does): the
/// chain links, every hash recomputes, and each checkpoint verifies with the
/// given public key.
pub fn verify_export(text: &str, public_key_hex: &str) -> Result<VerifyReport> {
    let pk_bytes: [u8; 32] = hex::decode(public_key_hex.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| Error::Invalid("public key: expected 64 hex characters".into()))?;
    let key = VerifyingKey::from_bytes(&pk_bytes)
        .map_err(|e| Error::Invalid(format!("public key: {e}")))?;
    let mut problems = Vec::new();
    let mut prev: Option<String> = None;
    let mut last_seq: Option<i64> = None;
    let mut hashes = BTreeMap::new();
    let mut n = 0i64;
    let mut cps = 0i64;
    let mut signed = 0i64;
    let mut declared: Option<(i64, String)> = None;
    let mut declared_first: Option<(i64, String)> = None;
    let mut first_event: Option<(i64, String)> = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line)
            .map_err(|e| Error::Invalid(format!("line {}: {e}", i + 1)))?;
        if let Some(e) = v.get("event") {
            n += 1;
            let g = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            let seq = e.get("seq").and_then(Value::as_i64).unwrap_or(-1);
            let payload = canonical(e.get("payload").unwrap_or(&Value::Null));
            if let Some(p) = &prev
                && *p != g("prev_hash")
            {
                problems.push(format!("event {seq}: does not link to the event before it"));
            }
            if let Some(l) = last_seq
                && seq != l + 1
            {
                problems.push(format!("event {seq}: follows event {l}"));
            }
            let h = event_hash(
                seq,
                &g("at"),
                &g("kind"),
                &g("actor"),
                &g("record_table"),
                &g("record_id"),
                &g("record_hash"),
                &payload,
                &g("prev_hash"),
            );
            if h != g("hash") {
                problems.push(format!("event {seq}: content was edited (hash mismatch)"));
            }
            if first_event.is_none() {
                first_event = Some((seq, g("prev_hash")));
            }
            prev = Some(g("hash"));
            last_seq = Some(seq);
            hashes.insert(seq, g("hash"));
        } else if let Some(m) = v.get("verification") {
            if let (Some(s), Some(h)) = (
                m.get("last_seq").and_then(Value::as_i64),
                m.get("last_hash").and_then(Value::as_str),
            ) {
                declared = Some((s, h.to_string()));
            }
            if let (Some(s), Some(h)) = (
                m.get("first_seq").and_then(Value::as_i64),
                m.get("prev_hash_of_first").and_then(Value::as_str),
            ) {
                declared_first = Some((s, h.to_string()));
            }
        } else if let Some(c) = v.get("checkpoint") {
            cps += 1;
            let g = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            let seq = c.get("seq").and_then(Value::as_i64).unwrap_or(-1);
            let sig_ok = hex::decode(g("signature"))
                .ok()
                .and_then(|b| <[u8; 64]>::try_from(b).ok())
                .is_some_and(|b| {
                    key.verify(
                        format!("{DOMAIN}|{seq}|{}|{}", g("hash"), g("at")).as_bytes(),
                        &Signature::from_bytes(&b),
                    )
                    .is_ok()
                });
            if !sig_ok {
                problems.push(format!(
                    "checkpoint at event {seq}: signature does not verify with the given key"
                ));
            } else if hashes.get(&seq) != Some(&g("hash")) {
                problems.push(format!("checkpoint at event {seq}: the exported event differs"));
            } else {
                signed = signed.max(seq);
            }
        }
    }
    // the start: an export from the beginning starts at event 1 on the
    // all-zero hash; any export starts where its material says it does
    if let Some((s, p)) = &first_event {
        if *s == 1 && p != GENESIS {
            problems.push("event 1 does not start from the genesis hash".into());
        }
        match &declared_first {
            Some((ds, dp)) if ds != s || dp != p => problems.push(format!(
                "the export's verification material says it starts at event {ds}, but its first event is {s} (events removed from the start)"
            )),
            None => problems.push("the export's verification material does not say where it starts".into()),
            _ => {}
        }
    }
    if let Some(l) = last_seq {
        if signed < l {
            problems
                .push(format!("events {}..{l} are not covered by a signed checkpoint", signed + 1));
        }
        match &declared {
            Some((s, h)) if *s != l || Some(h) != prev.as_ref() => {
                problems.push(format!("the export's verification material names event {s} as the last, but the last event is {l}"))
            }
            None => problems.push("the export has no verification line".into()),
            _ => {}
        }
    }
    Ok(VerifyReport {
        ok: problems.is_empty() && cps > 0,
        events: n,
        checkpoints: cps,
        signed_through: signed,
        head_hash: prev.unwrap_or_default(),
        public_key: public_key_hex.trim().to_string(),
        first_bad_event: None,
        problems: if cps == 0 { vec!["no checkpoint in the export".into()] } else { problems },
    })
}
