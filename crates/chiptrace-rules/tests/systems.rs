//! Systems (4A090) built from contained parts: HBM stacks do not drive
//! 4A090, a certainly-.b part rules out "not controlled", and the Jan-2026
//! zone does not borrow one part's DRAM bandwidth for another.

mod common;

use chiptrace_rules::{ChipSpec, Outcome};
use common::*;

fn spec(json: &str) -> ChipSpec {
    let resolve = |n: &str| catalog().spec_for(n);
    ChipSpec::from_json(json, &resolve).unwrap_or_else(|e| panic!("{json}: {e}"))
}

/// A datacenter IC at TPP 3000 and PD 4 (3000 / 750): 3A090.b.1 and b.2.
const B_GPU: &str = r#"{"name":"b-gpu","datacenter":"yes","die_area_mm2":750,"dense_tops":{"fp16":187.5},"dram_bw_gbs":2000}"#;
const HBM: &str = r#"{"name":"hbm3","kind":"hbm","stack_bw_gbs":819,"stack_area_mm2":121}"#;

#[test]
fn hbm_parts_do_not_hide_a_b_level_ic() {
    let s = spec(&format!(
        r#"{{"name":"board","kind":"system","datacenter":"yes","contains":[{{"spec":{B_GPU},"count":1}},{{"spec":{HBM},"count":4}}]}}"#
    ));
    for day in ["2024-06-01", "2025-01-01"] {
        let c = classify_on(&s, day);
        assert_eq!(c.classification, Outcome::SysB, "{day}: {:?}", c.trace);
        assert_eq!(c.paragraph.as_deref(), Some("4A090.b"), "{day}");
    }
    // the HBM part itself is 3A090.c from 2024-12-02
    let parts = classify_on(&s, "2025-01-01").contains;
    assert_eq!(parts[1].classification, Outcome::C);
}

#[test]
fn a_definite_b_part_rules_out_not_controlled() {
    // second part: datacenter, TPP 2000, no die area -> a.2 / b.2 / none possible
    let s = spec(&format!(
        r#"{{"name":"mixed","kind":"system","datacenter":"yes","contains":[{{"spec":{B_GPU},"count":1}},{{"spec":{{"name":"x","datacenter":"yes","dense_tops":{{"fp16":125}}}},"count":1}}]}}"#
    ));
    let c = classify_on(&s, "2024-06-01");
    assert_eq!(c.classification, Outcome::Indeterminate);
    assert!(c.possible.contains(&Outcome::SysA), "{:?}", c.possible);
    assert!(!c.possible.contains(&Outcome::NotControlled), "{:?}", c.possible);
    assert!(c.missing.iter().any(|m| m == "die_area_mm2"), "{:?}", c.missing);
}

#[test]
fn system_zone_needs_every_part_bandwidth() {
    let with = spec(&format!(
        r#"{{"name":"s","kind":"system","datacenter":"yes","contains":[{{"spec":{B_GPU},"count":8}}]}}"#
    ));
    let without = spec(
        r#"{"name":"s","kind":"system","datacenter":"yes","contains":[{"chip":"H100 SXM","count":8},{"spec":{"name":"dpu","datacenter":"yes","dense_tops":{"int8":10},"dram_bw_gbs":100},"count":1}]}"#,
    );
    let zone = |c: &chiptrace_rules::Classification| {
        c.overlays.iter().find(|o| o.id == "china-zone-2026").map(|o| o.result.clone())
    };
    assert_eq!(zone(&classify_on(&with, "2026-02-01")).as_deref(), Some("inside"));
    // H100 has 3,350 GB/s in the catalog: the max over parts, not the DPU's 100
    let c = classify_on(&without, "2026-02-01");
    assert!(zone(&c).is_some_and(|z| z == "inside"), "{:?}", c.overlays);
    assert!(c.overlays.iter().any(|o| o.check.contains("3,350")), "{:?}", c.overlays);
    let gap = spec(
        r#"{"name":"s","kind":"system","datacenter":"yes","contains":[{"spec":{"name":"g","datacenter":"yes","dense_tops":{"fp16":989.5}},"count":8},{"spec":{"name":"dpu","datacenter":"yes","dense_tops":{"int8":10},"dram_bw_gbs":100},"count":1}]}"#,
    );
    let c = classify_on(&gap, "2026-02-01");
    assert!(zone(&c).is_some_and(|z| z.starts_with("indeterminate")), "{:?}", c.overlays);
}

#[test]
fn blank_or_paragraphless_base_eccn_never_panics() {
    let s =
        spec(r#"{"name":"x","datacenter":"yes","base_eccn":"4A003","dense_tops":{"fp16":989.5}}"#);
    let c = classify_on(&s, "2024-06-01");
    assert_eq!(c.eccn.as_deref(), Some("4A003.z"));
    assert!(c.warnings.iter().any(|w| w.contains("4A003.b")), "{:?}", c.warnings);
}
