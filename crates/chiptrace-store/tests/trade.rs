//! Diversion alerts as inquiry tasks: reviews last while the evidence is
//! unchanged, changed evidence reopens, alerts no longer raised close, every
//! step is audited and tampering is caught.
#![allow(clippy::unwrap_used)]

use chiptrace_store::{Store, TradeAlertIn};
use serde_json::json;

fn alert(order: &str, evidence: serde_json::Value) -> TradeAlertIn {
    TradeAlertIn {
        order: order.into(),
        action: "hold".into(),
        score: 9.0,
        rule_ids: vec!["RF-S10".into()],
        evidence: evidence.clone(),
        alert: json!({"order": order, "evidence": evidence}),
    }
}

#[test]
fn reviews_last_until_the_evidence_changes() {
    let d = tempfile::tempdir().unwrap();
    let mut s = Store::open(d.path()).unwrap();
    let a1 = alert("SO-1", json!([{"rule": "RF-S10", "dwell_days": 3}]));
    let b1 = alert("SO-2", json!([{"rule": "RF-S10", "dwell_days": 5}]));
    let r = s.record_trade_alerts("ledger/", &[a1.clone(), b1.clone()]).unwrap();
    assert_eq!(r.new.len(), 2);
    let id_a = r.new[0];
    let rev = s
        .review_trade_alert(
            id_a,
            "cleared",
            "analyst",
            "the re-export was to the declared customer",
        )
        .unwrap();
    assert_eq!(rev.status, "cleared");
    assert!(s.review_trade_alert(id_a, "waved", "analyst", "x").is_err());
    assert!(s.review_trade_alert(id_a, "cleared", " ", "x").is_err());

    // same evidence for A (stays cleared), B's evidence changed (updated, still open)
    let b2 = alert("SO-2", json!([{"rule": "RF-S10", "dwell_days": 2}]));
    let r = s.record_trade_alerts("ledger/", &[a1.clone(), b2.clone()]).unwrap();
    assert_eq!((r.unchanged, r.updated.len(), r.reopened.len()), (1, 1, 0));
    assert_eq!(s.trade_alerts(Some("cleared")).unwrap().len(), 1);

    // A's evidence changes: reopened with a note; B no longer raised: closed
    let a2 = alert("SO-1", json!([{"rule": "RF-S10", "dwell_days": 1}]));
    let r = s.record_trade_alerts("ledger/", &[a2]).unwrap();
    assert_eq!((r.reopened, r.closed.len()), (vec![id_a], 1));
    let a = s.trade_alerts(None).unwrap().into_iter().find(|x| x.id == id_a).unwrap();
    assert!(a.reopened && a.status == "open" && a.note.contains("cleared"), "{a:?}");
    assert!(
        s.review_trade_alert(r.closed[0], "confirmed", "analyst", "x")
            .unwrap_err()
            .to_string()
            .contains("closed")
    );

    // B raised again: new work
    let r = s.record_trade_alerts("ledger/", &[b2]).unwrap();
    assert_eq!(r.new.len(), 1);
    assert!(s.verify(None).unwrap().ok);

    // a review changed behind the store's back is caught
    drop(s);
    let c = rusqlite::Connection::open(d.path().join(chiptrace_store::DB_FILE)).unwrap();
    c.execute("UPDATE trade_dispositions SET disposition = 'confirmed'", []).unwrap();
    drop(c);
    let s = Store::open(d.path()).unwrap();
    let rep = s.verify(None).unwrap();
    assert!(
        !rep.ok && rep.problems.iter().any(|p| p.contains("trade_dispositions")),
        "{:?}",
        rep.problems
    );
}

#[test]
fn ledgers_are_kept_apart_confirmed_reviews_stand_and_escalation_reopens() {
    let d = tempfile::tempdir().unwrap();
    let mut s = Store::open(d.path()).unwrap();
    let a = alert("SO-1", json!([{"rule": "RF-S10", "dwell_days": 3}]));
    let r = s.record_trade_alerts("ledger-a", std::slice::from_ref(&a)).unwrap();
    let id = r.new[0];
    // another ledger with the same order id: its own alert; ledger A untouched
    let r = s.record_trade_alerts("ledger-b", std::slice::from_ref(&a)).unwrap();
    assert_eq!((r.new.len(), r.closed.len()), (1, 0));
    assert_eq!(s.trade_alerts(Some("open")).unwrap().len(), 2);
    // confirmed, then no longer raised: the review stands, with a note
    s.review_trade_alert(id, "confirmed", "analyst", "diversion to HK confirmed").unwrap();
    let r = s.record_trade_alerts("ledger-a", &[]).unwrap();
    assert!(r.closed.is_empty());
    let row = s.trade_alerts(None).unwrap().into_iter().find(|x| x.id == id).unwrap();
    assert_eq!(row.status, "confirmed");
    assert!(row.note.contains("no longer raised"), "{row:?}");
    // a cleared inquiry whose action goes up with the same evidence reopens
    let r = s
        .record_trade_alerts("ledger-c", &[TradeAlertIn { action: "inquire".into(), ..a.clone() }])
        .unwrap();
    let c = r.new[0];
    let seen = s.trade_alerts(None).unwrap().into_iter().find(|x| x.id == c).unwrap().updated_at;
    s.review_trade_alert_seen(c, "cleared", "analyst", "explained", Some(&seen)).unwrap();
    let r = s
        .record_trade_alerts("ledger-c", &[TradeAlertIn { action: "block".into(), ..a.clone() }])
        .unwrap();
    assert_eq!(r.reopened, vec![c]);
    // a review of a version the reviewer did not see is refused
    let e = s
        .review_trade_alert_seen(c, "cleared", "analyst", "x", Some(&seen))
        .unwrap_err()
        .to_string();
    assert!(e.contains("list it again"), "{e}");
    assert!(s.verify(None).unwrap().ok);
}
