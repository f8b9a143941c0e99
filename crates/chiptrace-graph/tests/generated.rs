//! On generated ledgers (seed 7, 2,000 orders): every serial anomaly of
//! truth.json is found, nothing is flagged outside the injected schemes,
//! and the graph separates schemes from benign look-alikes.

use std::collections::{BTreeMap, BTreeSet};

use chiptrace_graph::serial::{AnomalyKind, anomalies};
use chiptrace_graph::{DEFAULT_HUBS, DEFAULT_RESTRICTED, GraphInput, TradeGraph};
use chiptrace_ledger::r#gen::{SchemeKind, Truth, generate};
use chiptrace_ledger::{Ledger, LoadOptions, load};

fn ledger(seed: u64, orders: usize) -> (tempfile::TempDir, Ledger, Truth) {
    let dir = tempfile::tempdir().expect("tempdir");
    generate(seed, orders, dir.path()).expect("generate");
    let l = load(dir.path(), &LoadOptions::strict()).expect("load").ledger;
    let t = Truth::read(&dir.path().join("truth.json")).expect("truth");
    (dir, l, t)
}

fn expected(variant: &str) -> &'static [AnomalyKind] {
    match variant {
        "two_places" => &[AnomalyKind::TwoPlaces],
        "seen_in_cn" => &[AnomalyKind::SeenInRestricted],
        "model_mismatch" => &[AnomalyKind::ModelMismatch],
        // The swapped units are label swaps, the units they replace are
        // missing at the inspection.
        "label_swap" => &[AnomalyKind::LabelSwap, AnomalyKind::MissingAtInspection],
        _ => &[],
    }
}

fn check_seed(seed: u64, orders: usize) {
    let (_d, l, truth) = ledger(seed, orders);
    let found = anomalies(&l, &DEFAULT_RESTRICTED);
    let mut by_serial: BTreeMap<&str, BTreeSet<AnomalyKind>> = BTreeMap::new();
    for a in &found {
        by_serial.entry(a.serial.as_str()).or_default().insert(a.kind);
    }
    let mut scheme_serials: BTreeSet<&str> = BTreeSet::new();
    let mut n = 0;
    for s in &truth.schemes {
        match s.kind {
            SchemeKind::SerialAnomaly => {
                let v = s.variant.as_deref().unwrap_or("");
                let want = expected(v);
                assert!(!want.is_empty(), "unknown variant {v}");
                for serial in &s.serials {
                    n += 1;
                    scheme_serials.insert(serial);
                    let got = by_serial.get(serial.as_str());
                    assert!(
                        got.is_some_and(|g| want.iter().any(|k| g.contains(k))),
                        "seed {seed} {} ({v}): serial {serial} flagged {got:?}, want one of {want:?}",
                        s.scheme_id
                    );
                    // The anomaly names the scheme's orders.
                    let orders: BTreeSet<&str> = found
                        .iter()
                        .filter(|a| a.serial == *serial)
                        .flat_map(|a| a.orders.iter().map(String::as_str))
                        .collect();
                    assert!(
                        s.order_ids.iter().any(|o| orders.contains(o.as_str())),
                        "{}: serial {serial} orders {orders:?} vs {:?}",
                        s.scheme_id,
                        s.order_ids
                    );
                }
            }
            // Re-exports to HK / CN are serials seen in a restricted country.
            SchemeKind::HubTransshipment => {
                for serial in &s.serials {
                    scheme_serials.insert(serial);
                    let got = by_serial.get(serial.as_str());
                    assert!(
                        got.is_some_and(|g| g.contains(&AnomalyKind::SeenInRestricted)),
                        "{}: transshipped serial {serial} flagged {got:?}",
                        s.scheme_id
                    );
                }
            }
            _ => {}
        }
    }
    assert!(n > 0, "seed {seed}: no serial anomaly scheme injected");
    let stray: Vec<_> =
        found.iter().filter(|a| !scheme_serials.contains(a.serial.as_str())).collect();
    assert!(stray.is_empty(), "seed {seed}: anomalies outside the schemes: {stray:#?}");
}

#[test]
fn serial_anomalies_of_truth_are_all_found_seed_7() {
    check_seed(7, 2000);
}

#[test]
fn serial_anomalies_of_truth_are_all_found_other_seeds() {
    for seed in [1, 23, 99] {
        check_seed(seed, 3000);
    }
}

#[test]
fn graph_exposes_transshipment_buyers_and_not_benign_lookalikes() {
    for (seed, n) in [(7, 2000), (1, 3000), (23, 3000), (99, 5000)] {
        graph_check(seed, n);
    }
}

fn graph_check(seed: u64, n: usize) {
    let (_d, l, truth) = ledger(seed, n);
    let listed = vec![None; l.parties.len()];
    let g = TradeGraph::build(&GraphInput {
        ledger: &l,
        cluster_of: None,
        listed: &listed,
        restricted: &DEFAULT_RESTRICTED,
    });
    let ex = g.exposure(4);
    for s in truth.schemes.iter().filter(|s| s.kind == SchemeKind::HubTransshipment) {
        let buyer = l.party(&s.party_ids[0]).expect("buyer");
        let p = ex[buyer.index()]
            .as_ref()
            .unwrap_or_else(|| panic!("{} buyer not exposed", s.scheme_id));
        assert!(p.hops.len() <= 2, "{}: {p:#?}", s.scheme_id);
        // Its evidence names a record of the scheme (order, payment, shipment or serial).
        let ev: Vec<&String> = p.hops.iter().flat_map(|h| &h.evidence).collect();
        let ok = ev.iter().any(|e| {
            s.order_ids.iter().any(|o| e.ends_with(o.as_str()))
                || s.payment_ids.iter().any(|o| e.ends_with(o.as_str()))
                || s.serials.iter().any(|x| e.starts_with(&format!("serial:{x}@")))
        });
        assert!(ok, "{}: {ev:?}", s.scheme_id);
    }
    for lk in &truth.benign_lookalikes {
        for pid in &lk.party_ids {
            let p = l.party(pid).expect("party");
            assert!(
                ex[p.index()].is_none(),
                "benign {} party {pid} exposed: {:#?}",
                lk.kind,
                ex[p.index()]
            );
        }
    }
    // The exporter's own paths, shortest first.
    let seller = l.orders[0].seller;
    let paths = g.paths_from(seller, 4, 50);
    assert!(!paths.is_empty());
    assert!(paths.windows(2).all(|w| w[0].hops.len() <= w[1].hops.len()));
    // Reconciliation: the regional-billing look-alike drives an SG gap only
    // as a same-group driver, if at all.
    let r = chiptrace_graph::reconcile::reconcile(
        &l,
        chiptrace_graph::reconcile::Period::All,
        &DEFAULT_HUBS,
    );
    for lk in truth.benign_lookalikes.iter().filter(|x| x.kind == "regional_billing") {
        for gap in r.periods.iter().flat_map(|p| &p.gaps) {
            for d in &gap.drivers {
                if lk.party_ids.contains(&d.party) {
                    assert!(d.same_group, "{d:#?}");
                }
            }
        }
    }
}
