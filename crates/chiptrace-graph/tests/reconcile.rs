//! Bill-to vs ship-to vs end-use reconciliation (RF-N03).

mod common;

use chiptrace_graph::DEFAULT_HUBS;
use chiptrace_graph::reconcile::{Period, ReconcileOptions, reconcile, reconcile_with};
use common::Mini;
use rust_decimal::Decimal;

fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

/// Total 1,000,000: G (SG) is billed 200,000 of which 10,000 goes to SG
/// and 190,000 to Hong Kong; US customer U gets 800,000.
fn ledger(sg_physical: &str, hk: &str) -> Mini {
    Mini::new()
        .party("S", "US")
        .party("G", "SG")
        .party("H", "HK")
        .party("U", "US")
        .order_roles("O1", "2025-04-02", "S", "H", "G", "H", "H", hk)
        .shipment("SH1", "O1", "2025-04-05", "US", "HK", "H")
        .order_roles("O2", "2025-04-03", "S", "G", "", "", "G", sg_physical)
        .shipment("SH2", "O2", "2025-04-06", "US", "SG", "G")
        .order("O3", "2025-05-01", "S", "U", "800000.00")
        .shipment("SH3", "O3", "2025-05-02", "US", "US", "U")
}

#[test]
fn sg_billed_20_percent_receiving_1_percent_shows_the_gap_and_its_driver() {
    let (_d, l) = ledger("10000.00", "190000.00").load();
    let r = reconcile(&l, Period::All, &DEFAULT_HUBS);
    assert_eq!(r.periods.len(), 1);
    let p = &r.periods[0];
    assert_eq!((p.period.as_str(), p.currency.as_str()), ("all", "USD"));
    assert_eq!(p.total, dec("1000000.00"));
    let sg = p.rows.iter().find(|x| x.country == "SG").expect("SG row");
    assert_eq!(sg.billed, dec("200000.00"));
    assert_eq!(sg.shipped, dec("10000.00"));
    assert_eq!(sg.billing_share, dec("0.2"));
    assert_eq!(sg.physical_share, dec("0.01"));
    assert_eq!(sg.ratio, Some(dec("20")));
    assert!(sg.hub && sg.gap);
    // End use: H in HK is the declared end user of O1, G of O2.
    let hk = p.rows.iter().find(|x| x.country == "HK").expect("HK row");
    assert_eq!((hk.billed, hk.shipped, hk.end_use), (dec("0"), dec("190000.00"), dec("190000.00")));
    assert!(!hk.gap, "nothing billed to HK");
    let us = p.rows.iter().find(|x| x.country == "US").expect("US row");
    assert!(!us.hub && !us.gap);
    // The gap names G, fanning out to HK.
    assert_eq!(p.gaps.len(), 1);
    let g = &p.gaps[0];
    assert_eq!(g.country, "SG");
    assert_eq!(g.drivers.len(), 1);
    let d = &g.drivers[0];
    assert_eq!(d.party, "G");
    assert_eq!(
        (d.billed, d.shipped_to_hub, d.shipped_elsewhere),
        (dec("200000.00"), dec("10000.00"), dec("190000.00"))
    );
    assert_eq!(d.fan_out.len(), 1);
    assert_eq!(
        (d.fan_out[0].country.as_str(), d.fan_out[0].value, d.fan_out[0].orders),
        ("HK", dec("190000.00"), 1)
    );
    assert!(!d.same_group);
    assert_eq!(d.orders, vec!["O1", "O2"]);
}

#[test]
fn no_gap_when_the_ratio_is_at_most_the_threshold() {
    // SG billed 20 %, received 10 %: ratio 2.
    let (_d, l) = ledger("100000.00", "100000.00").load();
    let p = &reconcile(&l, Period::All, &DEFAULT_HUBS).periods[0];
    let sg = p.rows.iter().find(|x| x.country == "SG").expect("SG");
    assert_eq!(sg.ratio, Some(dec("2")));
    assert!(!sg.gap);
    assert!(p.gaps.is_empty());
    // A lower threshold turns it into a gap.
    let mut o = ReconcileOptions::new(Period::All, &DEFAULT_HUBS);
    o.ratio_threshold = dec("1.5");
    assert_eq!(reconcile_with(&l, &o).periods[0].gaps.len(), 1);
    // Not a hub: never a gap.
    assert!(reconcile(&l, Period::All, &[]).periods[0].gaps.is_empty());
}

#[test]
fn periods_split_by_order_date_and_nothing_shipped_is_an_unbounded_ratio() {
    let (_d, l) = ledger("10000.00", "190000.00").load();
    let r = reconcile(&l, Period::Month, &DEFAULT_HUBS);
    let labels: Vec<&str> = r.periods.iter().map(|p| p.period.as_str()).collect();
    assert_eq!(labels, vec!["2025-04", "2025-05"]);
    assert_eq!(r.periods[1].total, dec("800000.00"));
    assert!(r.periods[1].gaps.is_empty());
    let q = reconcile(&l, Period::Quarter, &DEFAULT_HUBS);
    assert_eq!(q.periods[0].period, "2025-Q2");
    assert_eq!(reconcile(&l, Period::Year, &DEFAULT_HUBS).periods[0].period, "2025");
    assert_eq!(Period::parse("QUARTER").expect("parse"), Period::Quarter);
    assert!(Period::parse("week").is_err());

    // Billed to SG, shipped only to HK, plus an unshipped order.
    let (_d, l) = Mini::new()
        .party("S", "US")
        .party("G", "SG")
        .party("H", "HK")
        .order_roles("O1", "2025-04-02", "S", "H", "G", "H", "", "50.00")
        .shipment("SH1", "O1", "2025-04-05", "US", "HK", "H")
        .order("O2", "2025-04-03", "S", "H", "50.00")
        .load();
    let p = &reconcile(&l, Period::All, &DEFAULT_HUBS).periods[0];
    assert_eq!(p.unshipped, dec("50.00"));
    let sg = p.rows.iter().find(|x| x.country == "SG").expect("SG");
    assert_eq!((sg.ratio, sg.gap), (None, true));
    let unknown = p.rows.iter().find(|x| x.country == "unknown").expect("no end user");
    assert_eq!(unknown.end_use, dec("50.00"));
}

#[test]
fn value_is_split_over_shipments_and_regional_billing_is_marked_same_group() {
    // J (JP) group billed through its SG procurement subsidiary G; goods
    // go to J in Japan in two shipments declared 3:1.
    let (_d, l) = Mini::new()
        .party("S", "US")
        .party("J", "JP")
        .party_with("G", "SG", "J", "JP")
        .order_roles("O1", "2025-04-02", "S", "J", "G", "J", "J", "100.00")
        .shipment_v("SH1", "O1", "2025-04-05", "US", "JP", "J", "75.00")
        .shipment_v("SH2", "O1", "2025-04-06", "US", "SG", "G", "25.00")
        .load();
    let p = &reconcile(&l, Period::All, &DEFAULT_HUBS).periods[0];
    let jp = p.rows.iter().find(|x| x.country == "JP").expect("JP");
    let sg = p.rows.iter().find(|x| x.country == "SG").expect("SG");
    assert_eq!((jp.shipped, sg.shipped), (dec("75.00"), dec("25.00")));
    assert_eq!(sg.ratio, Some(dec("4")));
    let mut o = ReconcileOptions::new(Period::All, &DEFAULT_HUBS);
    o.ratio_threshold = dec("3");
    let r = reconcile_with(&l, &o);
    let d = &r.periods[0].gaps[0].drivers[0];
    assert_eq!(d.party, "G");
    assert!(d.same_group, "{d:#?}");
    // Seller filter.
    o.seller = l.party("J");
    assert!(reconcile_with(&l, &o).periods.is_empty());
}

#[test]
fn huge_values_saturate_instead_of_panicking() {
    let big = "79000000000000000000000000000";
    let (_d, l) = Mini::new()
        .party("S", "US")
        .party("G", "SG")
        .order("O1", "2025-04-02", "S", "G", big)
        .shipment("SH1", "O1", "2025-04-05", "US", "HK", "G")
        .order("O2", "2025-04-03", "S", "G", big)
        .shipment("SH2", "O2", "2025-04-05", "US", "SG", "G")
        .shipment("SH3", "O2", "2025-04-06", "US", "HK", "G")
        .load();
    let r = reconcile(&l, Period::All, &DEFAULT_HUBS);
    assert_eq!(r.periods[0].total, Decimal::MAX);
}
