//! Never panic on any input: random bytes into every table file, in both
//! formats, strict and lenient; and random mutations of a valid ledger.

use chiptrace_ledger::{LoadOptions, load};
use proptest::prelude::*;

use super::common;

const NAMES: [&str; 7] =
    ["parties", "orders", "order_lines", "shipments", "serial_events", "payments", "sites"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(table in 0usize..7, jsonl in any::<bool>(), bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let d = tempfile::tempdir().expect("t");
        common::write_ok(d.path());
        let name = NAMES[table];
        std::fs::remove_file(d.path().join(format!("{name}.csv"))).expect("rm");
        let ext = if jsonl { "jsonl" } else { "csv" };
        std::fs::write(d.path().join(format!("{name}.{ext}")), &bytes).expect("w");
        let _ = load(d.path(), &LoadOptions::strict());
        if let Ok(l) = load(d.path(), &LoadOptions::lenient()) {
            prop_assert!(l.ledger.orders.len() <= 2);
        }
    }

    #[test]
    fn mutated_valid_files_never_panic(table in 0usize..7, pos in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<bool>()) {
        let d = tempfile::tempdir().expect("t");
        let (name, text) = common::files()[table].clone();
        let mut b = text.into_bytes();
        let i = pos.index(b.len());
        if cut { b.truncate(i) } else { b[i] = byte }
        common::write_ok(d.path());
        std::fs::write(d.path().join(name), &b).expect("w");
        let _ = load(d.path(), &LoadOptions::strict());
        if let Ok(l) = load(d.path(), &LoadOptions::lenient()) {
            // Lenient never invents records.
            prop_assert!(l.ledger.orders.len() <= 2 && l.ledger.events.len() <= 5);
        }
    }

    #[test]
    fn json_lines_of_random_objects_never_panic(keys in proptest::collection::vec("[a-z_]{1,12}", 0..8), vals in proptest::collection::vec(prop_oneof![
        Just("null".to_string()), Just("1e400".to_string()), Just("[1,2]".to_string()), Just("{\"a\":1}".to_string()),
        "\"[^\"\\\\]{0,10}\"".prop_map(|s| s), (-1_000_000i64..1_000_000).prop_map(|n| n.to_string()),
    ], 0..8)) {
        let d = tempfile::tempdir().expect("t");
        common::write_ok(d.path());
        std::fs::remove_file(d.path().join("orders.csv")).expect("rm");
        let body: Vec<String> = keys.iter().zip(&vals).map(|(k, v)| format!("\"{k}\":{v}")).collect();
        std::fs::write(d.path().join("orders.jsonl"), format!("{{{}}}\n", body.join(","))).expect("w");
        let _ = load(d.path(), &LoadOptions::lenient());
    }
}

/// Lenient import of a generated ledger with corrupted parties and orders:
/// the dropped sets equal an independent computation of the bad records
/// and everything that depends on them.
#[test]
fn lenient_cascade_matches_an_independent_computation() {
    use std::collections::BTreeSet;

    let d = tempfile::tempdir().expect("t");
    chiptrace_ledger::r#gen::generate(17, 600, d.path()).expect("gen");
    let read = |f: &str| -> Vec<Vec<String>> {
        let mut r = csv::Reader::from_path(d.path().join(f)).expect("csv");
        r.records().map(|x| x.expect("rec").iter().map(String::from).collect()).collect()
    };
    let write = |f: &str, header: &str, rows: &[Vec<String>]| {
        let mut w = csv::Writer::from_path(d.path().join(f)).expect("w");
        w.write_record(header.split(',')).expect("h");
        for r in rows {
            w.write_record(r).expect("r");
        }
        w.flush().expect("flush");
    };
    let mut parties = read("parties.csv");
    let mut orders = read("orders.csv");
    let sites = read("sites.csv");
    // Corrupt every 37th party's country and every 23rd order's date.
    let mut bad_parties = BTreeSet::new();
    for (i, p) in parties.iter_mut().enumerate() {
        if i % 37 == 5 {
            p[2] = "XX".into();
            bad_parties.insert(p[0].clone());
        }
    }
    let mut bad_orders = BTreeSet::new();
    for (i, o) in orders.iter_mut().enumerate() {
        if i % 23 == 7 {
            o[1] = "2025-13-40".into();
            bad_orders.insert(o[0].clone());
        }
    }
    write("parties.csv", &chiptrace_ledger::write::cols::PARTIES.join(","), &parties);
    write("orders.csv", &chiptrace_ledger::write::cols::ORDERS.join(","), &orders);
    // Independent expectation. Parties: the bad ones and their descendants.
    let mut dropped_parties = bad_parties.clone();
    loop {
        let before = dropped_parties.len();
        for p in &parties {
            if !p[9].is_empty() && dropped_parties.contains(&p[9]) {
                dropped_parties.insert(p[0].clone());
            }
        }
        if dropped_parties.len() == before {
            break;
        }
    }
    let dropped_sites: BTreeSet<String> =
        sites.iter().filter(|s| dropped_parties.contains(&s[1])).map(|s| s[0].clone()).collect();
    let mut dropped_orders = bad_orders.clone();
    for o in &orders {
        if o[2..7].iter().any(|p| dropped_parties.contains(p)) || dropped_sites.contains(&o[10]) {
            dropped_orders.insert(o[0].clone());
        }
    }
    let lines = read("order_lines.csv");
    let ships = read("shipments.csv");
    let pays = read("payments.csv");
    let events = read("serial_events.csv");
    let keep_lines = lines.iter().filter(|l| !dropped_orders.contains(&l[0])).count();
    let kept_ships: BTreeSet<String> = ships
        .iter()
        .filter(|s| {
            !dropped_orders.contains(&s[1])
                && !dropped_parties.contains(&s[5])
                && !dropped_parties.contains(&s[6])
        })
        .map(|s| s[0].clone())
        .collect();
    let keep_pays = pays
        .iter()
        .filter(|p| !dropped_orders.contains(&p[1]) && !dropped_parties.contains(&p[3]))
        .count();
    let keep_events = events
        .iter()
        .filter(|e| {
            (e[6].is_empty() || kept_ships.contains(&e[6])) && !dropped_parties.contains(&e[3])
        })
        .count();

    let l = chiptrace_ledger::load(d.path(), &LoadOptions::lenient()).expect("lenient");
    let c = l.ledger.counts();
    assert!(!bad_parties.is_empty() && !bad_orders.is_empty());
    assert_eq!(c.parties, parties.len() - dropped_parties.len());
    assert_eq!(c.sites, sites.len() - dropped_sites.len());
    assert_eq!(c.orders, orders.len() - dropped_orders.len());
    assert_eq!(c.order_lines, keep_lines);
    assert_eq!(c.shipments, kept_ships.len());
    assert_eq!(c.payments, keep_pays);
    assert_eq!(c.serial_events, keep_events);
    assert_eq!(l.report.dropped_counts.get("orders.csv").copied(), Some(dropped_orders.len()));
    for o in &dropped_orders {
        assert!(l.ledger.order(o).is_none(), "{o} kept");
    }
    // Strict mode reports every corrupted record.
    let Err(chiptrace_ledger::Error::Invalid(r)) =
        chiptrace_ledger::load(d.path(), &LoadOptions::strict())
    else {
        panic!("strict must fail")
    };
    assert_eq!(
        r.count(chiptrace_ledger::Severity::Error, chiptrace_ledger::ProblemKind::BadCountry),
        bad_parties.len()
    );
    assert_eq!(
        r.count(chiptrace_ledger::Severity::Error, chiptrace_ledger::ProblemKind::BadDate),
        bad_orders.len()
    );
}
