//! Location verification in the system of record: the registry (chips,
//! licensed sites, landmarks), verdicts with the statements they rest on,
//! the nonces and counters that make a replay or rollback fail later, and
//! alerts for verdicts that did not pass. Every change is an audit event in
//! the same transaction (docs/location-verification.md).

use chiptrace_lv::proto::Statement;
use chiptrace_lv::registry::Registry;
use chiptrace_lv::verdict::{History, Outcome, Verdict};
use ed25519_dalek::Signer;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use serde_json::{Value, json};

use crate::audit::{self, Appender, sha256_hex};
use crate::error::{Error, Result};
use crate::store::{ImportSummary, Store, now};

/// Domain of the store's signature over a verdict.
pub const VERDICT_DOMAIN: &str = "chiptrace-lv-verdict-v1\n";

/// A recorded verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredVerdict {
    pub id: i64,
    pub chip: String,
    pub at: String,
    pub result: String,
    pub verdict: Value,
    /// Ed25519 signature (the store's audit key) over
    /// `VERDICT_DOMAIN + canonical JSON of the verdict`.
    pub signature: String,
    pub public_key: String,
    pub alert: Option<i64>,
}

/// An alert raised by a verdict that did not pass.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LvAlert {
    pub id: i64,
    pub chip: String,
    pub verdict_id: i64,
    pub result: String,
    pub status: String,
    pub reason: String,
    pub at: String,
}

fn lv_err(e: chiptrace_lv::Error) -> Error {
    Error::Invalid(e.to_string())
}

fn read_registry(c: &Connection) -> Result<Registry> {
    let mut reg = Registry::default();
    let mut st = c.prepare("SELECT id, data_json FROM lv_registry ORDER BY id")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let (id, data): (String, String) = (r.get(0)?, r.get(1)?);
        let bad = |e: serde_json::Error| Error::Invalid(format!("registry row {id}: {e}"));
        match id.split_once('/') {
            Some(("chip", k)) => {
                reg.chips.insert(k.to_string(), serde_json::from_str(&data).map_err(bad)?);
            }
            Some(("site", k)) => {
                reg.sites.insert(k.to_string(), serde_json::from_str(&data).map_err(bad)?);
            }
            Some(("landmark", k)) => {
                reg.landmarks.insert(k.to_string(), serde_json::from_str(&data).map_err(bad)?);
            }
            _ => return Err(Error::Invalid(format!("registry row {id}: unknown kind"))),
        }
    }
    Ok(reg)
}

pub(crate) fn registry_record(c: &Connection, id: &str) -> Result<Option<Value>> {
    Ok(c.query_row("SELECT id, data_json, updated_at FROM lv_registry WHERE id = ?1", [id], |r| {
        Ok(json!({
            "id": r.get::<_, String>(0)?,
            "data_sha256": sha256_hex(r.get::<_, String>(1)?.as_bytes()),
            "updated_at": r.get::<_, String>(2)?,
        }))
    })
    .optional()?)
}

pub(crate) fn verdict_record(c: &Connection, id: &str) -> Result<Option<Value>> {
    Ok(c.query_row(
        "SELECT id, chip, at, result, verdict_json, statements_json, signature, public_key FROM lv_verdicts WHERE id = ?1",
        [id],
        |r| {
            Ok(json!({
                "id": r.get::<_, i64>(0)?, "chip": r.get::<_, String>(1)?, "at": r.get::<_, String>(2)?,
                "result": r.get::<_, String>(3)?,
                "verdict_sha256": sha256_hex(r.get::<_, String>(4)?.as_bytes()),
                "statements_sha256": sha256_hex(r.get::<_, String>(5)?.as_bytes()),
                "signature": r.get::<_, String>(6)?, "public_key": r.get::<_, String>(7)?,
            }))
        },
    )
    .optional()?)
}

pub(crate) fn lv_alert_record(c: &Connection, id: &str) -> Result<Option<Value>> {
    Ok(c.query_row(
        "SELECT id, chip, verdict_id, result, status, reason, at FROM lv_alerts WHERE id = ?1",
        [id],
        |r| {
            Ok(json!({
                "id": r.get::<_, i64>(0)?, "chip": r.get::<_, String>(1)?, "verdict_id": r.get::<_, i64>(2)?,
                "result": r.get::<_, String>(3)?, "status": r.get::<_, String>(4)?,
                "reason": r.get::<_, String>(5)?, "at": r.get::<_, String>(6)?,
            }))
        },
    )
    .optional()?)
}

/// What the store knows about a chip's proofs, derived from its recorded
/// verdicts (audited records: `audit verify` checks them against the chain),
/// not from the `lv_nonces` index table, so editing that
/// table cannot make an old proof acceptable again.
fn history(tx: &Transaction, chip: &str) -> Result<History> {
    let mut st = tx.prepare_cached("SELECT id, verdict_json FROM lv_verdicts WHERE chip = ?1")?;
    let mut rows = st.query([chip])?;
    let mut h = History::default();
    while let Some(r) = rows.next()? {
        let (id, text): (i64, String) = (r.get(0)?, r.get(1)?);
        let v: Value = serde_json::from_str(&text)
            .map_err(|e| Error::Invalid(format!("verdict {id}: {e}")))?;
        h.last_counter = h.last_counter.max(v["max_counter"].as_u64().unwrap_or(0));
        for n in v["nonces"].as_array().into_iter().flatten() {
            if let Some(n) = n.as_str() {
                h.seen_nonces.insert(n.to_string());
            }
        }
    }
    Ok(h)
}

fn put_registry_row(
    tx: &Transaction,
    ap: &mut Appender,
    id: &str,
    data: &Value,
    at: &str,
    sum: &mut ImportSummary,
) -> Result<()> {
    let text = audit::canonical(data);
    let old: Option<String> = tx
        .query_row("SELECT data_json FROM lv_registry WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    if old.as_deref() == Some(text.as_str()) {
        sum.unchanged += 1;
        return Ok(());
    }
    tx.execute(
        "INSERT INTO lv_registry(id, data_json, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(id) DO UPDATE SET data_json = excluded.data_json, updated_at = excluded.updated_at",
        params![id, text, at],
    )?;
    let rec = registry_record(tx, id)?.unwrap_or(Value::Null);
    let kind = if old.is_some() { "lv_registry_updated" } else { "lv_registry_added" };
    ap.push(tx, kind, "lv_registry", id, &rec, &json!({"id": id}))?;
    if old.is_some() {
        sum.updated += 1
    } else {
        sum.added += 1
    }
    sum.audit_events += 1;
    Ok(())
}

impl Store {
    /// Add or update registry rows (one audit event per change). The result
    /// must be consistent: every chip's site registered.
    pub fn lv_import_registry(&mut self, incoming: &Registry) -> Result<ImportSummary> {
        let at = now();
        self.write(|tx, ap| {
            let mut merged = read_registry(tx)?;
            merged.merge(incoming.clone());
            merged.check().map_err(lv_err)?;
            let mut sum = ImportSummary::default();
            for s in incoming.sites.values() {
                put_registry_row(
                    tx,
                    ap,
                    &format!("site/{}", s.site_id),
                    &to_json(s),
                    &at,
                    &mut sum,
                )?;
            }
            for l in incoming.landmarks.values() {
                put_registry_row(
                    tx,
                    ap,
                    &format!("landmark/{}", l.landmark_id),
                    &to_json(l),
                    &at,
                    &mut sum,
                )?;
            }
            for c in incoming.chips.values() {
                put_registry_row(
                    tx,
                    ap,
                    &format!("chip/{}", c.serial),
                    &to_json(c),
                    &at,
                    &mut sum,
                )?;
            }
            Ok(sum)
        })
    }

    /// The registry as stored.
    pub fn lv_registry(&self) -> Result<Registry> {
        read_registry(&self.conn)
    }

    /// Decide on `chip` and record the verdict in one write transaction:
    /// the registry, the chip's counter and its used nonces are read under
    /// the write lock, so two verifiers cannot both accept the same proof.
    /// A verdict other than pass raises an alert.
    pub fn lv_verify_and_record(
        &mut self,
        chip: &str,
        statements: &[Statement],
        decide: impl FnOnce(&Registry, &History) -> chiptrace_lv::Result<Verdict>,
    ) -> Result<(Verdict, StoredVerdict)> {
        let at = now();
        let key = self.key.clone();
        let public_key = hex::encode(key.verifying_key().as_bytes());
        self.write(|tx, ap| {
            let reg = read_registry(tx)?;
            let hist = history(tx, chip)?;
            let verdict = decide(&reg, &hist).map_err(lv_err)?;
            let vjson = serde_json::to_value(&verdict).map_err(|e| Error::Invalid(e.to_string()))?;
            let vtext = audit::canonical(&vjson);
            let stext = audit::canonical(&serde_json::to_value(statements).map_err(|e| Error::Invalid(e.to_string()))?);
            let sig = hex::encode(key.sign(format!("{VERDICT_DOMAIN}{vtext}").as_bytes()).to_bytes());
            tx.execute(
                "INSERT INTO lv_verdicts(chip, at, result, verdict_json, statements_json, signature, public_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![verdict.chip, at, verdict.result.as_str(), vtext, stext, sig, public_key],
            )?;
            let id = tx.last_insert_rowid();
            let mut put = tx.prepare_cached("INSERT INTO lv_nonces(nonce, chip, verdict_id) VALUES (?1, ?2, ?3)")?;
            for n in &verdict.nonces {
                put.execute(params![n, verdict.chip, id])?;
            }
            let rec = verdict_record(tx, &id.to_string())?.unwrap_or(Value::Null);
            ap.push(
                tx,
                "lv_verdict_recorded",
                "lv_verdicts",
                &id.to_string(),
                &rec,
                &json!({"chip": verdict.chip, "result": verdict.result.as_str(), "reasons": verdict.reasons}),
            )?;
            let alert = if verdict.result == Outcome::Pass {
                None
            } else {
                let reason = verdict.reasons.first().cloned().unwrap_or_default();
                tx.execute(
                    "INSERT INTO lv_alerts(chip, verdict_id, result, status, reason, at) VALUES (?1, ?2, ?3, 'open', ?4, ?5)",
                    params![verdict.chip, id, verdict.result.as_str(), reason, at],
                )?;
                let aid = tx.last_insert_rowid();
                let rec = lv_alert_record(tx, &aid.to_string())?.unwrap_or(Value::Null);
                ap.push(
                    tx,
                    "lv_alert_raised",
                    "lv_alerts",
                    &aid.to_string(),
                    &rec,
                    &json!({"chip": verdict.chip, "verdict": id, "result": verdict.result.as_str()}),
                )?;
                Some(aid)
            };
            let stored = StoredVerdict {
                id,
                chip: verdict.chip.clone(),
                at: at.clone(),
                result: verdict.result.as_str().into(),
                verdict: vjson,
                signature: sig,
                public_key: public_key.clone(),
                alert,
            };
            Ok((verdict, stored))
        })
    }

    /// Recorded verdicts, newest first, optionally for one chip.
    pub fn lv_verdicts(&self, chip: Option<&str>) -> Result<Vec<StoredVerdict>> {
        let mut st = self.conn.prepare(
            "SELECT v.id, v.chip, v.at, v.result, v.verdict_json, v.signature, v.public_key, a.id
             FROM lv_verdicts v LEFT JOIN lv_alerts a ON a.verdict_id = v.id
             WHERE ?1 IS NULL OR v.chip = ?1 ORDER BY v.id DESC",
        )?;
        let rows = st.query_map([chip], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<i64>>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, chip, at, result, vj, signature, public_key, alert) = row?;
            let verdict = serde_json::from_str(&vj)
                .map_err(|e| Error::Invalid(format!("verdict {id}: {e}")))?;
            out.push(StoredVerdict { id, chip, at, result, verdict, signature, public_key, alert });
        }
        Ok(out)
    }

    /// The latest verdict of each chip: (chip, verdict id, at, result).
    pub fn lv_latest(&self) -> Result<Vec<(String, i64, String, String)>> {
        let mut st = self.conn.prepare(
            "SELECT chip, id, at, result FROM lv_verdicts v
             WHERE id = (SELECT max(id) FROM lv_verdicts w WHERE w.chip = v.chip) ORDER BY chip",
        )?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Location alerts (all, or only open ones).
    pub fn lv_alerts(&self, open_only: bool) -> Result<Vec<LvAlert>> {
        let mut st = self.conn.prepare(
            "SELECT id, chip, verdict_id, result, status, reason, at FROM lv_alerts
             WHERE ?1 = 0 OR status = 'open' ORDER BY id",
        )?;
        let rows = st.query_map([i64::from(open_only)], |r| {
            Ok(LvAlert {
                id: r.get(0)?,
                chip: r.get(1)?,
                verdict_id: r.get(2)?,
                result: r.get(3)?,
                status: r.get(4)?,
                reason: r.get(5)?,
                at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }
}

/// Check a stored verdict's signature (what an examiner does with the
/// exported verdict and the store's public key).
pub fn verify_verdict_signature(
    verdict: &Value,
    signature_hex: &str,
    public_key_hex: &str,
) -> bool {
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};
    let Ok(pk) = hex::decode(public_key_hex) else { return false };
    let Ok(pk): std::result::Result<[u8; 32], _> = pk.try_into() else { return false };
    let Ok(pk) = VerifyingKey::from_bytes(&pk) else { return false };
    let Ok(sig) = hex::decode(signature_hex) else { return false };
    let Ok(sig): std::result::Result<[u8; 64], _> = sig.try_into() else { return false };
    let msg = format!("{VERDICT_DOMAIN}{}", audit::canonical(verdict));
    pk.verify(msg.as_bytes(), &Signature::from_bytes(&sig)).is_ok()
}

fn to_json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}
