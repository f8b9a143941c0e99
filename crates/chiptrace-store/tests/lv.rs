//! Location verification in the store: registry import, a verdict recorded
//! with its signature and audit events, replay refused through the stored
//! nonces, an alert for a failing verdict, tampering caught by audit verify.
#![allow(clippy::unwrap_used)]

use chiptrace_lv::proto::{Round, Statement, StatementBody, VERSION, chip_payload};
use chiptrace_lv::registry::{Chip, Landmark, Registry, Site};
use chiptrace_lv::verdict::{Outcome, Policy, verify};
use chiptrace_store::{Store, verify_verdict_signature};
use ed25519_dalek::{Signer, SigningKey};

fn registry() -> Registry {
    let mut r = Registry::default();
    r.sites.insert(
        "S".into(),
        Site {
            site_id: "S".into(),
            name: "dc".into(),
            lat: 1.3521,
            lon: 103.8198,
            country: "SG".into(),
            radius_km: 30.0,
            licence: "L".into(),
        },
    );
    for (i, (id, op, lat, lon)) in
        [("A", "vendor", 1.37, 103.83), ("B", "regulator", 1.335, 103.805)].into_iter().enumerate()
    {
        r.landmarks.insert(
            id.into(),
            Landmark {
                landmark_id: id.into(),
                operator: op.into(),
                lat,
                lon,
                country: "SG".into(),
                public_key: hex::encode(
                    SigningKey::from_bytes(&[10 + i as u8; 32]).verifying_key().as_bytes(),
                ),
                address: None,
                overhead_ms: 0.05,
            },
        );
    }
    r.chips.insert(
        "GPU-1".into(),
        Chip {
            serial: "GPU-1".into(),
            model: "H100".into(),
            public_key: hex::encode(SigningKey::from_bytes(&[1; 32]).verifying_key().as_bytes()),
            site: "S".into(),
            t_proc_min_ms: 0.005,
            t_proc_max_ms: 0.1,
            measurement: None,
        },
    );
    r
}

/// A statement as landmark `i` would sign it, with the given RTT.
fn statement(i: u8, landmark: &str, counter0: u64, rtt_ns: u64) -> Statement {
    let chip = SigningKey::from_bytes(&[1; 32]);
    let m = [0u8; 32];
    let rounds = (0..4)
        .map(|r| {
            let nonce = [i * 16 + r as u8; 32];
            let counter = counter0 + r;
            let sig = chip.sign(&chip_payload(&nonce, "GPU-1", landmark, counter, &m));
            Round {
                nonce: hex::encode(nonce),
                counter,
                rtt_ns,
                chip_sig: hex::encode(sig.to_bytes()),
            }
        })
        .collect();
    let now = jiff::Timestamp::now().to_string();
    Statement::sign(
        StatementBody {
            version: VERSION,
            chip: "GPU-1".into(),
            landmark: landmark.into(),
            session: format!("{i:032x}"),
            started_at: now.clone(),
            at: now,
            measurement: hex::encode(m),
            rounds,
        },
        &SigningKey::from_bytes(&[10 + i; 32]),
    )
}

#[test]
fn verdicts_are_recorded_signed_audited_and_replays_fail() {
    let d = tempfile::tempdir().unwrap();
    let mut s = Store::open(d.path()).unwrap();
    // a chip whose site is missing is refused and nothing is written
    let mut bad = registry();
    bad.sites.clear();
    assert!(s.lv_import_registry(&bad).unwrap_err().to_string().contains("not registered"));
    assert!(s.lv_registry().unwrap().chips.is_empty());
    let sum = s.lv_import_registry(&registry()).unwrap();
    assert_eq!((sum.added, sum.audit_events), (4, 4));
    assert_eq!(s.lv_import_registry(&registry()).unwrap().unchanged, 4);
    assert_eq!(s.lv_registry().unwrap(), registry());

    let sts = vec![statement(0, "A", 1, 120_000), statement(1, "B", 5, 110_000)];
    let decide = |sts: &[Statement]| {
        let sts = sts.to_vec();
        move |reg: &Registry, h: &chiptrace_lv::verdict::History| {
            verify(reg, "GPU-1", &sts, h, &Policy::default(), jiff::Timestamp::now(), None)
        }
    };
    let (v, stored) = s.lv_verify_and_record("GPU-1", &sts, decide(&sts)).unwrap();
    assert_eq!(v.result, Outcome::Pass, "{:#?}", v.reasons);
    assert!(stored.alert.is_none());
    assert!(verify_verdict_signature(&stored.verdict, &stored.signature, &stored.public_key));
    let mut edited = stored.verdict.clone();
    edited["result"] = "fail".into();
    assert!(!verify_verdict_signature(&edited, &stored.signature, &stored.public_key));

    // the same proofs again: nonces and counters are known -> fail + alert
    let (v2, stored2) = s.lv_verify_and_record("GPU-1", &sts, decide(&sts)).unwrap();
    assert_eq!(v2.result, Outcome::Fail);
    assert!(stored2.alert.is_some());
    let alerts = s.lv_alerts(true).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].result, "fail");
    assert_eq!(s.lv_verdicts(Some("GPU-1")).unwrap().len(), 2);
    assert!(s.verify(None).unwrap().ok);

    // a verdict row changed behind the store's back is caught
    drop(s);
    let c = rusqlite::Connection::open(d.path().join(chiptrace_store::DB_FILE)).unwrap();
    c.execute("UPDATE lv_verdicts SET result = 'pass' WHERE id = 2", []).unwrap();
    drop(c);
    let s = Store::open(d.path()).unwrap();
    let rep = s.verify(None).unwrap();
    assert!(!rep.ok);
    assert!(rep.problems.iter().any(|p| p.contains("lv_verdicts")), "{:?}", rep.problems);
}
