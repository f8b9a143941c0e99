//! Trade graph: paths, time ordering, exposure, clusters, evidence subgraph.

mod common;

use chiptrace_graph::{
    DEFAULT_RESTRICTED, EdgeKind, GraphInput, GraphOptions, Records, Target, TradeGraph,
};
use chiptrace_ledger::Ledger;
use common::Mini;

/// Seller S (US) → buyer B (SG) → onward buyer / consignee H (HK), with
/// the onward sale dated `onward` (order) and shipped a few days later.
fn chain(onward_order: &str, onward_ship: &str) -> Mini {
    Mini::new()
        .party("S", "US")
        .party("B", "SG")
        .party("H", "HK")
        .party("C", "DE")
        .order("O1", "2025-01-10", "S", "B", "100000.00")
        .shipment("SH1", "O1", "2025-01-20", "US", "SG", "B")
        .order("O2", onward_order, "B", "H", "100000.00")
        .shipment("SH2", "O2", onward_ship, "SG", "HK", "H")
        .order("O3", "2025-01-12", "S", "C", "50000.00")
        .shipment("SH3", "O3", "2025-01-22", "US", "DE", "C")
}

fn graph<'a>(l: &'a Ledger, listed: &'a [Option<String>]) -> TradeGraph<'a> {
    TradeGraph::build(&GraphInput {
        ledger: l,
        cluster_of: None,
        listed,
        restricted: &DEFAULT_RESTRICTED,
    })
}

fn pid(l: &Ledger, id: &str) -> chiptrace_ledger::PartyId {
    l.party(id).expect("party")
}

#[test]
fn seller_to_sg_buyer_to_hk_consignee_is_found_with_hops_and_evidence() {
    let (_d, l) = chain("2025-02-01", "2025-02-05").load();
    let listed = vec![None; l.parties.len()];
    let g = graph(&l, &listed);
    let paths = g.paths_from(pid(&l, "S"), 4, 10);
    assert_eq!(paths.len(), 1, "{paths:#?}");
    let p = &paths[0];
    assert_eq!(p.source, "S");
    assert_eq!(p.hops.len(), 2, "{p:#?}");
    let (h1, h2) = (&p.hops[0], &p.hops[1]);
    assert_eq!((h1.from.as_str(), h1.to.as_str()), ("S", "B"));
    assert_eq!(h1.kind, EdgeKind::SellsTo);
    assert_eq!(h1.date, "2025-01-10");
    assert_eq!(h1.evidence, vec!["order:O1".to_string()]);
    assert_eq!((h1.from_country.as_str(), h1.to_country.as_str()), ("US", "SG"));
    assert_eq!((h2.from.as_str(), h2.to.as_str()), ("B", "H"));
    assert_eq!(h2.evidence, vec!["order:O2".to_string()]);
    assert_eq!(h2.date, "2025-02-01");
    assert_eq!(p.target, Target::Country { country: "HK".into(), via: "party:H".into() });

    // Exposure of every cluster (identity clusters = party index).
    let ex = g.exposure(4);
    assert_eq!(ex.len(), l.parties.len());
    let hops = |id: &str| ex[pid(&l, id).index()].as_ref().map(|p| p.hops.len());
    assert_eq!(hops("S"), Some(2));
    assert_eq!(hops("B"), Some(1));
    assert_eq!(hops("H"), Some(0), "a party in HK is itself a target");
    assert_eq!(hops("C"), None, "a clean German customer has no path");
    // Hop budget is respected.
    let ex1 = g.exposure(1);
    assert!(ex1[pid(&l, "S").index()].is_none());
    assert!(ex1[pid(&l, "B").index()].is_some());
    assert_eq!(g.exposure_hops(4)[pid(&l, "S").index()], Some(2));
}

#[test]
fn a_path_whose_hops_go_back_in_time_is_not_found() {
    // B sold to H a year before it bought from S: no time-respecting path.
    let (_d, l) = chain("2024-01-01", "2024-01-05").load();
    let listed = vec![None; l.parties.len()];
    let g = graph(&l, &listed);
    assert!(g.paths_from(pid(&l, "S"), 4, 10).is_empty());
    let ex = g.exposure(4);
    assert!(ex[pid(&l, "S").index()].is_none(), "{:?}", ex[pid(&l, "S").index()]);
    // B itself is still exposed (its own sale to HK).
    assert_eq!(ex[pid(&l, "B").index()].as_ref().map(|p| p.hops.len()), Some(1));
}

#[test]
fn small_backwards_steps_within_the_tolerance_are_allowed() {
    // The onward order is placed 5 days before B's own purchase (back-to-back
    // sale): within the default 30-day tolerance, outside a 2-day one.
    let (_d, l) = chain("2025-01-05", "2025-01-06").load();
    let listed = vec![None; l.parties.len()];
    let g = graph(&l, &listed);
    assert_eq!(g.paths_from(pid(&l, "S"), 4, 10).len(), 1);
    let strict = TradeGraph::build_with(
        &GraphInput {
            ledger: &l,
            cluster_of: None,
            listed: &listed,
            restricted: &DEFAULT_RESTRICTED,
        },
        GraphOptions { tolerance_days: 2, ..GraphOptions::default() },
    );
    // S→B is dated 2025-01-10 (order) / 2025-01-20 (shipment); B→H 2025-01-05/06.
    assert!(strict.paths_from(pid(&l, "S"), 4, 10).is_empty());
}

#[test]
fn listed_parties_payments_and_parents_are_targets_or_edges() {
    let (_d, l) = Mini::new()
        .party("S", "US")
        .party("X", "AE")
        .party("D", "DE")
        .party("P", "CN")
        .party("M", "CN")
        .party_with("K", "SG", "M", "")
        .party("E", "FR")
        .order("O1", "2025-03-01", "S", "X", "10.00")
        .order("O2", "2025-03-02", "S", "D", "10.00")
        .payment("PY2", "O2", "2025-03-20", "P", "10.00")
        .order("O3", "2025-03-03", "S", "E", "10.00")
        .load();
    let mut listed = vec![None; l.parties.len()];
    listed[pid(&l, "X").index()] = Some("Entity List: X Trading".to_string());
    let g = graph(&l, &listed);
    let ex = g.exposure(4);
    let at = |id: &str| ex[pid(&l, id).index()].clone();
    // Listed party: target itself.
    assert_eq!(
        at("X").map(|p| p.target),
        Some(Target::Listed { party: "X".into(), label: "Entity List: X Trading".into() })
    );
    // German buyer paid by a Chinese third party: exposed in one hop.
    let d = at("D").expect("D exposed");
    assert_eq!(d.hops.len(), 1);
    assert_eq!(d.hops[0].kind, EdgeKind::PaidBy);
    assert_eq!(d.hops[0].evidence, vec!["payment:PY2".to_string(), "order:O2".to_string()]);
    // Subsidiary of a Chinese parent: one undated ownership hop.
    let k = at("K").expect("K exposed");
    assert_eq!(k.hops.len(), 1);
    assert_eq!(k.hops[0].kind, EdgeKind::OwnedBy);
    assert_eq!(k.hops[0].date, "");
    // A French buyer that paid for itself is clean.
    assert!(at("E").is_none());
    // The exporter: one shortest path per neighbour, shortest first — paid
    // by P (1 hop), sold to listed X (1 hop), sold to D who was paid by P (2).
    let from_s = g.paths_from(pid(&l, "S"), 4, 10);
    let got: Vec<(usize, &str)> =
        from_s.iter().map(|p| (p.hops.len(), p.hops[0].to.as_str())).collect();
    assert_eq!(got, vec![(1, "P"), (1, "X"), (2, "D")], "{from_s:#?}");
    assert!(matches!(&from_s[1].target, Target::Listed { party, .. } if party == "X"));
    assert_eq!(g.paths_from(pid(&l, "S"), 4, 1).len(), 1, "limit");
}

#[test]
fn headquarters_in_a_restricted_country_is_a_target_unless_disabled() {
    let (_d, l) = Mini::new().party("S", "US").party_with("Q", "SG", "", "CN").load();
    let listed = vec![None; l.parties.len()];
    let g = graph(&l, &listed);
    let q = g.exposure(4)[pid(&l, "Q").index()].clone().expect("target");
    assert_eq!(q.target, Target::Country { country: "CN".into(), via: "hq:Q".into() });
    let g2 = TradeGraph::build_with(
        &GraphInput {
            ledger: &l,
            cluster_of: None,
            listed: &listed,
            restricted: &DEFAULT_RESTRICTED,
        },
        GraphOptions { hq_is_target: false, ..GraphOptions::default() },
    );
    assert!(g2.exposure(4)[pid(&l, "Q").index()].is_none());
}

#[test]
fn resolved_clusters_join_paths_through_two_names_of_one_company() {
    // B and B2 are one company under two names: S sells to B, B2 sells to H.
    let (_d, l) = Mini::new()
        .party("S", "US")
        .party("B", "SG")
        .party("B2", "SG")
        .party("H", "HK")
        .order("O1", "2025-01-10", "S", "B", "1.00")
        .order("O2", "2025-02-10", "B2", "H", "1.00")
        .load();
    let listed = vec![None; l.parties.len()];
    let plain = graph(&l, &listed);
    assert!(plain.paths_from(pid(&l, "S"), 4, 10).is_empty());
    let mut clusters: Vec<u32> = (0..l.parties.len() as u32).collect();
    clusters[pid(&l, "B2").index()] = pid(&l, "B").0;
    let g = TradeGraph::build(&GraphInput {
        ledger: &l,
        cluster_of: Some(&clusters),
        listed: &listed,
        restricted: &DEFAULT_RESTRICTED,
    });
    let p = g.paths_from(pid(&l, "S"), 4, 10);
    assert_eq!(p.len(), 1);
    let ends: Vec<(&str, &str)> =
        p[0].hops.iter().map(|h| (h.from.as_str(), h.to.as_str())).collect();
    assert_eq!(ends, vec![("S", "B"), ("B2", "H")]);
    // Exposure is per cluster id: B2's slot is unused.
    let ex = g.exposure(4);
    assert!(ex[pid(&l, "B").index()].is_some());
    assert!(ex[pid(&l, "B2").index()].is_none());
    assert_eq!(g.cluster_label(pid(&l, "B").0), "B");
    // Out-of-range cluster ids do not panic: the party gets a fresh id.
    let bad = vec![u32::MAX; l.parties.len()];
    let g3 = TradeGraph::build(&GraphInput {
        ledger: &l,
        cluster_of: Some(&bad),
        listed: &listed,
        restricted: &DEFAULT_RESTRICTED,
    });
    assert_eq!(g3.cluster_count(), 2 * l.parties.len());
    assert_eq!(g3.exposure(4).len(), 2 * l.parties.len());
}

#[test]
fn serial_custody_and_exports_are_edges() {
    // B receives a unit and exports it to HK: exposed by the serial alone.
    let (_d, l) = Mini::new()
        .party("S", "US")
        .party("B", "MY")
        .order("O1", "2025-01-10", "S", "B", "1.00")
        .shipment("SH1", "O1", "2025-01-20", "US", "MY", "B")
        .event("X1", "HGX H100 8-GPU", "shipped", "S", "US", "2025-01-20", "SH1")
        .event("X1", "HGX H100 8-GPU", "received", "B", "MY", "2025-01-23", "SH1")
        .event("X1", "HGX H100 8-GPU", "exported", "B", "HK", "2025-02-01", "")
        .load();
    let listed = vec![None; l.parties.len()];
    let g = graph(&l, &listed);
    let b = g.exposure(4)[pid(&l, "B").index()].clone().expect("B exposed");
    assert_eq!(b.hops.len(), 1);
    assert_eq!(b.hops[0].kind, EdgeKind::Exported);
    assert_eq!(b.hops[0].to, "country:HK");
    assert_eq!(b.hops[0].evidence, vec!["serial:X1@2025-02-01:exported".to_string()]);
    assert_eq!(
        b.target,
        Target::Country { country: "HK".into(), via: "serial:X1@2025-02-01:exported".into() }
    );
    let s = g.paths_from(pid(&l, "S"), 4, 10);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].hops.len(), 2);
}

#[test]
fn evidence_subgraph_is_small_sorted_and_carries_records() {
    let (_d, l) = chain("2025-02-01", "2025-02-05")
        .payment("PY1", "O1", "2025-01-15", "B", "100000.00")
        .load();
    let listed = vec![None; l.parties.len()];
    let g = graph(&l, &listed);
    let paths = g.paths_from(pid(&l, "S"), 4, 10);
    let rec = Records {
        orders: vec![l.order("O1").expect("O1")],
        shipments: vec![l.shipment("SH1").expect("SH1")],
        payments: vec![chiptrace_ledger::PaymentId(0)],
        ..Records::default()
    };
    let sg = g.evidence_subgraph(&rec, &paths);
    let ids: Vec<&str> = sg.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, vec!["B", "H", "S", "country:SG"]);
    let h = sg.nodes.iter().find(|n| n.id == "H").expect("H");
    assert!(h.restricted);
    let edges: Vec<(&str, &str, EdgeKind)> =
        sg.edges.iter().map(|e| (e.from.as_str(), e.to.as_str(), e.kind)).collect();
    assert_eq!(
        edges,
        vec![
            ("B", "H", EdgeKind::SellsTo),
            ("B", "S", EdgeKind::Pays),
            ("S", "B", EdgeKind::SellsTo),
            ("S", "B", EdgeKind::Consignee),
            ("S", "country:SG", EdgeKind::ShipsTo),
        ]
    );
    let sb = &sg.edges[2];
    assert_eq!(sb.dates, vec!["2025-01-10".to_string()]);
    assert_eq!(sb.evidence, vec!["order:O1".to_string()]);
    // The clean customer C is not in it.
    assert!(!ids.contains(&"C"));
    // Deterministic.
    let again = g.evidence_subgraph(&rec, &paths);
    assert_eq!(
        serde_json::to_string(&sg).expect("json"),
        serde_json::to_string(&again).expect("json")
    );
}

#[test]
fn empty_and_degenerate_ledgers_do_not_panic() {
    let l = Ledger::default();
    let g = graph(&l, &[]);
    assert!(g.exposure(4).is_empty());
    assert!(g.paths_from(chiptrace_ledger::PartyId(7), 4, 10).is_empty());
    let sg = g.evidence_subgraph(
        &Records {
            orders: vec![chiptrace_ledger::OrderId(3)],
            parties: vec![chiptrace_ledger::PartyId(1)],
            shipments: vec![chiptrace_ledger::ShipmentId(9)],
            payments: vec![chiptrace_ledger::PaymentId(2)],
            serials: vec![chiptrace_ledger::SerialId(5)],
        },
        &[],
    );
    assert!(sg.nodes.is_empty() && sg.edges.is_empty());
    assert!(chiptrace_graph::export::graphml(&g, &l).contains("<graphml"));
    assert!(chiptrace_graph::export::ftm(&g, &l).is_empty());
    // Hop budgets of 0 and beyond the cap.
    let (_d, l2) = chain("2025-02-01", "2025-02-05").load();
    let listed = vec![None; l2.parties.len()];
    let g2 = graph(&l2, &listed);
    assert!(g2.exposure(0)[pid(&l2, "S").index()].is_none());
    assert!(g2.exposure(0)[pid(&l2, "H").index()].is_some());
    assert!(g2.exposure(1000)[pid(&l2, "S").index()].is_some());
}
