//! Snapshots of the classification traces (insta, JSON). The snapshot holds
//! the decision and its full trace; the `engine` and `rule_data` stamps are
//! left out because they change with every release / rule-data version, not
//! with the decision. Nothing here depends on the current date.
//!
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always` and a
//! diff of `tests/snapshots/`).
#![allow(clippy::unwrap_used)] // tests may unwrap freely; failures are the point

mod common;

use common::{cat, classify_on};
use serde_json::{Map, Value};

/// Fields that describe the decision (everything but the version stamps).
const KEYS: &[&str] = &[
    "item",
    "catalog_id",
    "kind",
    "date",
    "rule_version",
    "rule_citation",
    "test_citation",
    "tpp",
    "tpp_terms",
    "performance_density",
    "die_area_mm2",
    "system_tpp",
    "datacenter",
    "classification",
    "paragraph",
    "paragraphs",
    "eccn",
    "nac_aca_eligible",
    "missing",
    "possible",
    "branches",
    "contains",
    "overlays",
    "warnings",
    "unverified",
    "trace",
];

fn snapshot_of(chip: &str, day: &str) -> Value {
    let c = classify_on(&cat(chip), day);
    let Value::Object(full) = serde_json::to_value(&c).unwrap() else { panic!("not an object") };
    for k in full.keys() {
        assert!(
            KEYS.contains(&k.as_str()) || k == "engine" || k == "rule_data",
            "new Classification field {k:?}: decide whether it belongs in the snapshot"
        );
    }
    let mut out = Map::new();
    for k in KEYS {
        if let Some(v) = full.get(*k) {
            out.insert((*k).to_string(), v.clone());
        }
    }
    assert_eq!(out["date"], Value::String(day.to_string()));
    Value::Object(out)
}

#[test]
fn h100_sxm_2024_01_01() {
    insta::assert_json_snapshot!(snapshot_of("H100 SXM", "2024-01-01"));
}

#[test]
fn a800_2023_06_01_oct_2022_rule() {
    insta::assert_json_snapshot!(snapshot_of("A800", "2023-06-01"));
}

#[test]
fn a800_2024_01_01_oct_2023_rule() {
    insta::assert_json_snapshot!(snapshot_of("A800", "2024-01-01"));
}

#[test]
fn rtx_6000_ada_datacenter_unknown_2024_01_01() {
    insta::assert_json_snapshot!(snapshot_of("RTX 6000 Ada", "2024-01-01"));
}

#[test]
fn mtt_s4000_tpp_1600_no_die_area_2024_01_01() {
    insta::assert_json_snapshot!(snapshot_of("MTT S4000", "2024-01-01"));
}

#[test]
fn dgx_h100_2026_02_01() {
    insta::assert_json_snapshot!(snapshot_of("DGX H100", "2026-02-01"));
}
