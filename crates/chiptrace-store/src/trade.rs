//! Diversion alerts in the system of record: every order that needs an
//! inquiry or more becomes an inquiry task (diversion.md §4) whose review
//! lasts. A cleared alert stays cleared while its evidence is unchanged
//! (the fingerprint of its rules, levels and computed values); when the
//! evidence changes it comes back `open`, `reopened`, with a note. Alerts no
//! longer raised are closed with the reason. Every change is an audit event
//! in the same transaction.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::{Value, json};

use crate::audit::{self, sha256_hex};
use crate::error::{Error, Result};
use crate::store::{Store, now};

/// One alert to record (from `chiptrace-diversion`'s analysis).
#[derive(Debug, Clone)]
pub struct TradeAlertIn {
    pub order: String,
    pub action: String,
    pub score: f64,
    pub rule_ids: Vec<String>,
    /// The evidence a reviewer cleared: its hash decides whether a cleared
    /// alert stays cleared.
    pub evidence: Value,
    /// The whole alert as output.
    pub alert: Value,
}

/// A recorded alert.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TradeAlert {
    pub id: i64,
    pub source: String,
    pub order: String,
    pub action: String,
    pub score: f64,
    pub rule_ids: Vec<String>,
    pub status: String,
    pub reopened: bool,
    pub note: String,
    pub updated_at: String,
}

/// What recording changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TradeDelta {
    pub new: Vec<i64>,
    pub reopened: Vec<i64>,
    pub updated: Vec<i64>,
    pub closed: Vec<i64>,
    pub unchanged: u64,
}

fn action_rank(a: &str) -> u8 {
    match a {
        "block" => 3,
        "hold" => 2,
        "inquire" => 1,
        _ => 0,
    }
}

/// Dispositions a reviewer records on a diversion alert.
pub const TRADE_DISPOSITIONS: [&str; 3] = ["cleared", "confirmed", "escalated"];

pub(crate) fn trade_alert_record(c: &Connection, id: &str) -> Result<Option<Value>> {
    Ok(c.query_row(
        "SELECT id, order_id, action, score, rule_ids, fingerprint, alert_json, status, reopened, note, updated_at, source FROM trade_alerts WHERE id = ?1",
        [id],
        |r| {
            Ok(json!({
                "id": r.get::<_, i64>(0)?, "source": r.get::<_, String>(11)?, "order": r.get::<_, String>(1)?, "action": r.get::<_, String>(2)?,
                "score": r.get::<_, f64>(3)?, "rule_ids": r.get::<_, String>(4)?, "fingerprint": r.get::<_, String>(5)?,
                "alert_sha256": sha256_hex(r.get::<_, String>(6)?.as_bytes()), "status": r.get::<_, String>(7)?,
                "reopened": r.get::<_, i64>(8)?, "note": r.get::<_, String>(9)?, "updated_at": r.get::<_, String>(10)?,
            }))
        },
    )
    .optional()?)
}

pub(crate) fn trade_disposition_record(c: &Connection, id: &str) -> Result<Option<Value>> {
    Ok(c.query_row(
        "SELECT id, alert_id, disposition, reviewer, reason, at, fingerprint FROM trade_dispositions WHERE id = ?1",
        [id],
        |r| {
            Ok(json!({
                "id": r.get::<_, i64>(0)?, "alert_id": r.get::<_, i64>(1)?, "disposition": r.get::<_, String>(2)?,
                "reviewer": r.get::<_, String>(3)?, "reason": r.get::<_, String>(4)?, "at": r.get::<_, String>(5)?,
                "fingerprint": r.get::<_, String>(6)?,
            }))
        },
    )
    .optional()?)
}

impl Store {
    /// Record the alerts of one analysis of `source` (a ledger). Alerts of
    /// orders not raised this time are closed.
    pub fn record_trade_alerts(
        &mut self,
        source: &str,
        alerts: &[TradeAlertIn],
    ) -> Result<TradeDelta> {
        let at = now();
        self.write(|tx, ap| {
            let mut d = TradeDelta::default();
            let mut seen = std::collections::BTreeSet::new();
            for a in alerts {
                seen.insert(a.order.clone());
                let fp = audit::record_hash(&a.evidence);
                let rules = a.rule_ids.join(" ");
                let text = audit::canonical(&a.alert);
                let old: Option<(i64, String, String, String, String)> = tx
                    .query_row(
                        "SELECT id, fingerprint, status, action, alert_json FROM trade_alerts WHERE source = ?1 AND order_id = ?2",
                        params![source, a.order],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                    )
                    .optional()?;
                let (id, kind, payload) = match old {
                    None => {
                        tx.execute(
                            "INSERT INTO trade_alerts(source, order_id, action, score, rule_ids, fingerprint, alert_json, status, updated_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8)",
                            params![source, a.order, a.action, a.score, rules, fp, text, at],
                        )?;
                        let id = tx.last_insert_rowid();
                        d.new.push(id);
                        (id, "trade_alert_raised", json!({"order": a.order, "action": a.action, "rules": rules, "source": source}))
                    }
                    Some((_, old_fp, status, old_action, old_text))
                        if old_fp == fp && status != "closed" && old_text == text && old_action == a.action =>
                    {
                        // nothing changed: the review stands (cleared stays cleared)
                        d.unchanged += 1;
                        continue;
                    }
                    Some((id, old_fp, status, old_action, _)) => {
                        let reviewed = status != "open" && status != "closed";
                        // the evidence a review covered changed, or the action
                        // went up (a cleared inquiry that now blocks): reopen
                        let escalated = action_rank(&a.action) > action_rank(&old_action);
                        let reopen = reviewed && (old_fp != fp || escalated);
                        let (new_status, reopened, note) = if status == "closed" {
                            ("open".to_string(), 0, String::new())
                        } else if reopen {
                            let why = if old_fp != fp { "evidence changed" } else { "action went up" };
                            ("open".to_string(), 1, format!("{why} since the {status} review ({old_action} -> {}): {rules}", a.action))
                        } else {
                            // same evidence, same or lower action: the
                            // review (or the open state) stands; the row
                            // keeps the latest figures
                            (status.clone(), i64::from(false), String::new())
                        };
                        tx.execute(
                            "UPDATE trade_alerts SET action=?2, score=?3, rule_ids=?4, fingerprint=?5, alert_json=?6, status=?7,
                             reopened=CASE WHEN ?8 = 1 THEN 1 WHEN ?7 = 'open' AND ?9 = 'open' THEN reopened ELSE 0 END,
                             note=CASE WHEN ?8 = 1 OR ?9 = 'closed' THEN ?10 ELSE note END, updated_at=?11 WHERE id=?1",
                            params![id, a.action, a.score, rules, fp, text, new_status, reopened, status, note, at],
                        )?;
                        if status == "closed" {
                            d.new.push(id);
                            (id, "trade_alert_raised", json!({"order": a.order, "action": a.action, "rules": rules, "source": source, "was": "closed"}))
                        } else if reopen {
                            d.reopened.push(id);
                            (id, "trade_alert_reopened", json!({"order": a.order, "was": status, "rules": rules, "source": source}))
                        } else {
                            d.updated.push(id);
                            (id, "trade_alert_updated", json!({"order": a.order, "rules": rules, "source": source}))
                        }
                    }
                };
                let rec = trade_alert_record(tx, &id.to_string())?.unwrap_or(Value::Null);
                ap.push(tx, kind, "trade_alerts", &id.to_string(), &rec, &payload)?;
            }
            // alerts of this ledger not raised any more: open and cleared ones
            // close; confirmed and escalated ones stay as reviewed (a confirmed
            // diversion is not undone by a quieter rerun), with a note
            let stale: Vec<(i64, String, String)> = {
                let mut st = tx.prepare("SELECT id, order_id, status FROM trade_alerts WHERE source = ?1 AND status != 'closed'")?;
                let rows = st.query_map([source], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                rows.collect::<std::result::Result<Vec<_>, _>>()?.into_iter().filter(|(_, o, _)| !seen.contains(o)).collect()
            };
            for (id, order, status) in stale {
                let keep = status == "confirmed" || status == "escalated";
                let new_status = if keep { status.as_str() } else { "closed" };
                let note = if keep { "no longer raised by the latest analysis; the review stands" } else { "no longer raised by the latest analysis" };
                let changed = tx.execute(
                    "UPDATE trade_alerts SET status=?2, note=?3, updated_at=?4 WHERE id=?1 AND note != ?3",
                    params![id, new_status, note, at],
                )?;
                if changed == 0 {
                    continue;
                }
                let rec = trade_alert_record(tx, &id.to_string())?.unwrap_or(Value::Null);
                let kind = if keep { "trade_alert_not_raised" } else { "trade_alert_closed" };
                ap.push(tx, kind, "trade_alerts", &id.to_string(), &rec, &json!({"order": order, "source": source}))?;
                if !keep {
                    d.closed.push(id);
                }
            }
            Ok(d)
        })
    }

    /// Recorded diversion alerts, optionally one status.
    pub fn trade_alerts(&self, status: Option<&str>) -> Result<Vec<TradeAlert>> {
        let mut st = self.conn.prepare(
            "SELECT id, order_id, action, score, rule_ids, status, reopened, note, updated_at, source FROM trade_alerts
             WHERE ?1 IS NULL OR status = ?1 ORDER BY id",
        )?;
        let rows = st.query_map([status], |r| {
            Ok(TradeAlert {
                id: r.get(0)?,
                source: r.get(9)?,
                order: r.get(1)?,
                action: r.get(2)?,
                score: r.get(3)?,
                rule_ids: r.get::<_, String>(4)?.split_whitespace().map(String::from).collect(),
                status: r.get(5)?,
                reopened: r.get::<_, i64>(6)? != 0,
                note: r.get(7)?,
                updated_at: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Record a review of a diversion alert (the inquiry's resolution).
    pub fn review_trade_alert(
        &mut self,
        id: i64,
        disposition: &str,
        reviewer: &str,
        reason: &str,
    ) -> Result<TradeAlert> {
        self.review_trade_alert_seen(id, disposition, reviewer, reason, None)
    }

    /// As [`Store::review_trade_alert`], refusing when the alert changed
    /// since the reviewer saw it (`seen` = its `updated_at` then).
    pub fn review_trade_alert_seen(
        &mut self,
        id: i64,
        disposition: &str,
        reviewer: &str,
        reason: &str,
        seen: Option<&str>,
    ) -> Result<TradeAlert> {
        if !TRADE_DISPOSITIONS.contains(&disposition) {
            return Err(Error::Invalid(format!(
                "--disposition {disposition:?}: use one of {}",
                TRADE_DISPOSITIONS.join(", ")
            )));
        }
        if reviewer.trim().is_empty() || reason.trim().is_empty() {
            return Err(Error::Invalid("a reviewer and a reason are required".into()));
        }
        let at = now();
        self.write(|tx, ap| {
            let row: Option<(String, String, String)> = tx
                .query_row("SELECT status, fingerprint, updated_at FROM trade_alerts WHERE id = ?1", [id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?;
            let Some((status, fp, updated)) = row else { return Err(Error::NoSuchAlert(id)) };
            if let Some(seen) = seen
                && seen != updated
            {
                return Err(Error::Invalid(format!(
                    "alert {id} changed at {updated}, after the version you saw ({seen}): list it again before reviewing"
                )));
            }
            if status == "closed" {
                return Err(Error::Invalid(format!("alert {id} is closed (no longer raised); nothing to review")));
            }
            tx.execute(
                "INSERT INTO trade_dispositions(alert_id, disposition, reviewer, reason, at, fingerprint) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, disposition, reviewer, reason, at, fp],
            )?;
            let did = tx.last_insert_rowid();
            let drec = trade_disposition_record(tx, &did.to_string())?.unwrap_or(Value::Null);
            ap.push(tx, "trade_disposition_recorded", "trade_dispositions", &did.to_string(), &drec, &json!({"alert": id, "disposition": disposition, "reviewer": reviewer}))?;
            tx.execute("UPDATE trade_alerts SET status=?2, reopened=0, note='', updated_at=?3 WHERE id=?1", params![id, disposition, at])?;
            let rec = trade_alert_record(tx, &id.to_string())?.unwrap_or(Value::Null);
            ap.push(tx, "trade_alert_reviewed", "trade_alerts", &id.to_string(), &rec, &json!({"disposition": disposition, "reviewer": reviewer, "reason": reason}))?;
            Ok(())
        })?;
        self.trade_alerts(None)?.into_iter().find(|a| a.id == id).ok_or(Error::NoSuchAlert(id))
    }
}
