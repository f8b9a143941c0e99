//! Serial chain of custody and each anomaly kind, positive and negative.

mod common;

use chiptrace_graph::DEFAULT_RESTRICTED;
use chiptrace_graph::serial::{AnomalyKind, anomalies, trace};
use chiptrace_ledger::Ledger;
use common::Mini;

const H100: &str = "HGX H100 8-GPU";

/// S (US) ships X to B (SG); parties M (MY), C (DE), H (HK), N (CN).
fn base() -> Mini {
    Mini::new()
        .party("S", "US")
        .party("B", "SG")
        .party("M", "MY")
        .party("C", "DE")
        .party("H", "HK")
        .party("N", "CN")
        .order("O1", "2025-03-01", "S", "B", "1.00")
        .shipment("SH1", "O1", "2025-03-02", "US", "SG", "B")
        .event("X", H100, "shipped", "S", "US", "2025-03-02", "SH1")
        .event("X", H100, "received", "B", "SG", "2025-03-04", "SH1")
        .event("X", H100, "installed", "B", "SG", "2025-03-05", "")
}

fn kinds(l: &Ledger, serial: &str) -> Vec<AnomalyKind> {
    anomalies(l, &DEFAULT_RESTRICTED)
        .into_iter()
        .filter(|a| a.serial == serial)
        .map(|a| a.kind)
        .collect()
}

#[test]
fn clean_chain_has_no_anomaly_and_traces_in_order() {
    let (_d, l) = base().load();
    assert!(anomalies(&l, &DEFAULT_RESTRICTED).is_empty());
    let t = trace(&l, "X", &DEFAULT_RESTRICTED).expect("trace");
    let ev: Vec<(&str, Option<&str>, &str)> =
        t.events.iter().map(|e| (e.event, e.party.as_deref(), e.country.as_str())).collect();
    assert_eq!(
        ev,
        vec![
            ("shipped", Some("S"), "US"),
            ("received", Some("B"), "SG"),
            ("installed", Some("B"), "SG")
        ]
    );
    assert_eq!(t.events[1].party_name.as_deref(), Some("Company B"));
    assert_eq!(t.events[1].order.as_deref(), Some("O1"));
    assert_eq!(t.holders, vec!["S", "B"]);
    assert_eq!(t.items, vec![H100]);
    assert!(t.anomalies.is_empty());
    assert!(trace(&l, "NOPE", &DEFAULT_RESTRICTED).is_none());
}

#[test]
fn two_places_at_once_positive() {
    // Installed in SG and received in HK by someone else on the same day,
    // with no shipment or export between.
    let (_d, l) = base().event("X", H100, "received", "H", "HK", "2025-03-05", "").load();
    let a = anomalies(&l, &DEFAULT_RESTRICTED);
    let two: Vec<_> = a.iter().filter(|x| x.kind == AnomalyKind::TwoPlaces).collect();
    assert_eq!(two.len(), 1, "{a:#?}");
    assert_eq!(two[0].parties, vec!["B", "H"]);
    assert_eq!(two[0].orders, vec!["O1"]);
    assert_eq!(two[0].severity_level, "missing_or_serial_mismatch");
    assert_eq!(two[0].events.len(), 2);
    // Another country one day later, still without a departure: too fast.
    let (_d, l) = base().event("X", H100, "installed", "C", "DE", "2025-03-06", "").load();
    assert_eq!(kinds(&l, "X"), vec![AnomalyKind::TwoPlaces]);
    // Same country, other party, same day.
    let (_d, l) = base().event("X", H100, "installed", "M", "SG", "2025-03-05", "").load();
    assert_eq!(kinds(&l, "X"), vec![AnomalyKind::TwoPlaces]);
}

#[test]
fn a_recorded_transfer_is_not_two_places() {
    // Exported by B to HK and received there the same day; the file lists
    // the receipt before the export.
    let (_d, l) = base()
        .event("X", H100, "received", "H", "HK", "2025-03-05", "")
        .event("X", H100, "exported", "B", "HK", "2025-03-05", "")
        .load();
    let k = kinds(&l, "X");
    assert!(!k.contains(&AnomalyKind::TwoPlaces), "{k:?}");
    // It is, however, a serial seen in a restricted country (documented).
    let a = anomalies(&l, &DEFAULT_RESTRICTED);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].kind, AnomalyKind::SeenInRestricted);
    assert!(a[0].documented);
    // Shipped by B to a German customer with a shipment, received same day.
    let (_d, l) = base()
        .order("O2", "2025-03-04", "B", "C", "1.00")
        .shipment("SH2", "O2", "2025-03-05", "SG", "DE", "C")
        .event("X", H100, "received", "C", "DE", "2025-03-05", "SH2")
        .event("X", H100, "shipped", "B", "SG", "2025-03-05", "SH2")
        .load();
    assert!(anomalies(&l, &DEFAULT_RESTRICTED).is_empty());
    // Moving weeks later without a record is not "two places".
    let (_d, l) = base().event("X", H100, "installed", "C", "DE", "2025-04-20", "").load();
    assert!(kinds(&l, "X").is_empty());
}

#[test]
fn seen_in_restricted_country_after_shipment_elsewhere() {
    let (_d, l) = base().event("X", H100, "rma", "N", "CN", "2025-04-20", "").load();
    let a = anomalies(&l, &DEFAULT_RESTRICTED);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].kind, AnomalyKind::SeenInRestricted);
    assert!(!a[0].documented);
    assert_eq!(a[0].parties, vec!["B", "N"]);
    assert!(a[0].explanation.contains("no recorded export"), "{}", a[0].explanation);
    // Negative: shipped straight to a Hong Kong customer (a licensing
    // question, not a custody anomaly).
    let (_d, l) = Mini::new()
        .party("S", "US")
        .party("H", "HK")
        .order("O1", "2025-03-01", "S", "H", "1.00")
        .shipment("SH1", "O1", "2025-03-02", "US", "HK", "H")
        .event("Y", H100, "shipped", "S", "US", "2025-03-02", "SH1")
        .event("Y", H100, "received", "H", "HK", "2025-03-04", "SH1")
        .event("Y", H100, "installed", "H", "HK", "2025-03-09", "")
        .load();
    assert!(anomalies(&l, &DEFAULT_RESTRICTED).is_empty());
    // With an empty restricted list nothing is restricted.
    let (_d, l) = base().event("X", H100, "rma", "N", "CN", "2025-04-20", "").load();
    assert!(anomalies(&l, &[]).is_empty());
}

#[test]
fn model_mismatch_between_events() {
    let (_d, l) = base().event("X", "L40S", "inspected", "B", "SG", "2025-05-01", "").load();
    let a = anomalies(&l, &DEFAULT_RESTRICTED);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].kind, AnomalyKind::ModelMismatch);
    assert!(a[0].explanation.contains("L40S"));
    // Same model written differently is not a mismatch.
    let (_d, l) =
        base().event("X", "hgx h100 8gpu", "inspected", "B", "SG", "2025-05-01", "").load();
    assert!(
        anomalies(&l, &DEFAULT_RESTRICTED).is_empty(),
        "{:#?}",
        anomalies(&l, &DEFAULT_RESTRICTED)
    );
}

#[test]
fn label_swap_inspected_at_another_party_without_transfer() {
    let (_d, l) = base().event("X", H100, "inspected", "M", "MY", "2025-05-01", "").load();
    let a = anomalies(&l, &DEFAULT_RESTRICTED);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].kind, AnomalyKind::LabelSwap);
    assert_eq!(a[0].parties, vec!["B", "M"]);
    // Inspected at its own consignee: fine.
    let (_d, l) = base().event("X", H100, "inspected", "B", "SG", "2025-05-01", "").load();
    assert!(anomalies(&l, &DEFAULT_RESTRICTED).is_empty());
    // Inspected at M after a recorded transfer B → M: fine.
    let (_d, l) = base()
        .order("O2", "2025-04-01", "B", "M", "1.00")
        .shipment("SH2", "O2", "2025-04-02", "SG", "MY", "M")
        .event("X", H100, "shipped", "B", "SG", "2025-04-02", "SH2")
        .event("X", H100, "received", "M", "MY", "2025-04-03", "SH2")
        .event("X", H100, "inspected", "M", "MY", "2025-05-01", "")
        .load();
    assert!(anomalies(&l, &DEFAULT_RESTRICTED).is_empty());
}

/// M bought Z1, Z2; at M's inspection X (B's unit) is found instead.
fn swap(found_own: bool) -> Mini {
    let mut m = base()
        .order("O2", "2025-03-01", "S", "M", "1.00")
        .shipment("SH2", "O2", "2025-03-02", "US", "MY", "M")
        .event("Z1", H100, "shipped", "S", "US", "2025-03-02", "SH2")
        .event("Z1", H100, "received", "M", "MY", "2025-03-05", "SH2")
        .event("Z2", H100, "shipped", "S", "US", "2025-03-02", "SH2")
        .event("Z2", H100, "received", "M", "MY", "2025-03-05", "SH2");
    if found_own {
        m = m.event("Z1", H100, "inspected", "M", "MY", "2025-06-01", "");
    } else {
        m = m.event("X", H100, "inspected", "M", "MY", "2025-06-01", "");
    }
    m
}

#[test]
fn serials_missing_from_an_inspection_that_found_swapped_units() {
    let (_d, l) = swap(false).load();
    let a = anomalies(&l, &DEFAULT_RESTRICTED);
    let got: Vec<(&str, AnomalyKind)> = a.iter().map(|x| (x.serial.as_str(), x.kind)).collect();
    assert_eq!(
        got,
        vec![
            ("X", AnomalyKind::LabelSwap),
            ("Z1", AnomalyKind::MissingAtInspection),
            ("Z2", AnomalyKind::MissingAtInspection),
        ]
    );
    let z1 = &a[1];
    assert_eq!(z1.orders, vec!["O2"]);
    assert!(z1.explanation.contains("found serial X"), "{}", z1.explanation);
    // The trace of Z1 shows it too.
    let t = trace(&l, "Z1", &DEFAULT_RESTRICTED).expect("trace");
    assert_eq!(t.anomalies.len(), 1);
    assert_eq!(t.anomalies[0].kind, AnomalyKind::MissingAtInspection);
    // A sample inspection that found one of M's own units: Z2 not being
    // inspected is not evidence of anything.
    let (_d, l) = swap(true).load();
    assert!(anomalies(&l, &DEFAULT_RESTRICTED).is_empty());
}

#[test]
fn anomalies_are_deterministic() {
    let (_d, l) = swap(false).event("X", H100, "rma", "N", "CN", "2025-07-01", "").load();
    let a = serde_json::to_string(&anomalies(&l, &DEFAULT_RESTRICTED)).expect("json");
    for _ in 0..3 {
        assert_eq!(a, serde_json::to_string(&anomalies(&l, &DEFAULT_RESTRICTED)).expect("json"));
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    const PLACES: [&str; 5] = ["US", "SG", "MY", "DE", "JP"];

    fn date(d: u32) -> String {
        let base: jiff::civil::Date = "2025-01-01".parse().expect("date");
        base.checked_add(jiff::Span::new().days(i64::from(d))).expect("date").to_string()
    }

    /// A serial moved through parties, every move recorded as an export by
    /// the holder and a receipt by the next (possibly the same day, with
    /// the file listing the receipt first), with installs in between.
    fn moves() -> impl Strategy<Value = Vec<(usize, u32, u32, bool, bool)>> {
        proptest::collection::vec(
            (0usize..5, 0u32..20, 0u32..3, any::<bool>(), any::<bool>()),
            1..8,
        )
    }

    fn build(steps: &[(usize, u32, u32, bool, bool)]) -> Mini {
        let mut m = Mini::new();
        for (i, c) in PLACES.iter().enumerate() {
            m = m.party(&format!("P{i}"), c);
        }
        let mut holder = 0usize;
        let mut d = 0u32;
        m = m.event("Q", H100, "shipped", "P0", "US", &date(0), "");
        m = m.event("Q", H100, "received", "P0", "US", &date(0), "");
        for &(next, gap, transit, reversed, install) in steps {
            if next == holder {
                continue;
            }
            d += gap;
            let (h, n) = (format!("P{holder}"), format!("P{next}"));
            let exp = (h.clone(), PLACES[next], date(d));
            let rec = (n.clone(), PLACES[next], date(d + transit));
            if reversed && transit == 0 {
                m = m.event("Q", H100, "received", &rec.0, rec.1, &rec.2, "");
                m = m.event("Q", H100, "exported", &exp.0, exp.1, &exp.2, "");
            } else {
                m = m.event("Q", H100, "exported", &exp.0, exp.1, &exp.2, "");
                m = m.event("Q", H100, "received", &rec.0, rec.1, &rec.2, "");
            }
            d += transit;
            if install {
                m = m.event("Q", H100, "installed", &n, PLACES[next], &date(d), "");
            }
            holder = next;
        }
        m
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Recorded transfers are never anomalies, whatever the same-day
        /// order of the lines.
        #[test]
        fn recorded_transfers_are_never_anomalies(steps in moves()) {
            let (_d, l) = build(&steps).load();
            let a = anomalies(&l, &DEFAULT_RESTRICTED);
            prop_assert!(a.is_empty(), "{:#?}", a);
            // The trace lists the events in custody order: every receipt
            // after its export.
            let t = trace(&l, "Q", &DEFAULT_RESTRICTED).expect("trace");
            for w in t.events.windows(2) {
                prop_assert!(!(w[0].event == "received" && w[1].event == "exported" && w[0].date == w[1].date && w[0].party != w[1].party), "{:?}", t.events);
            }
        }

        /// The same chain with one undocumented same-day appearance at
        /// another party is flagged as two places.
        #[test]
        fn an_unrecorded_same_day_appearance_is_two_places(steps in moves(), other in 0usize..5) {
            let mut m = build(&steps);
            // Where the chain ends, and when.
            let (_d, l) = m.clone().load();
            let t = trace(&l, "Q", &DEFAULT_RESTRICTED).expect("trace");
            let last = t.events.last().expect("event").clone();
            let holder = t.holders.last().expect("holder").clone();
            let other_party = format!("P{other}");
            prop_assume!(other_party != holder);
            m = m.event("Q", H100, "installed", &other_party, PLACES[other], &last.date, "");
            let (_d, l) = m.load();
            let kinds: Vec<AnomalyKind> = anomalies(&l, &DEFAULT_RESTRICTED).into_iter().map(|a| a.kind).collect();
            prop_assert_eq!(kinds, vec![AnomalyKind::TwoPlaces]);
        }
    }
}
