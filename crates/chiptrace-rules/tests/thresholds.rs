//! Boundary semantics (export-rules.md §9.3): "X or more" is >=, "less than"
//! is <, HBM "greater than" is >; indeterminate instead of guessing; both
//! datacenter branches; and property tests of monotonicity and exact TPP.
#![allow(clippy::unwrap_used)] // tests may unwrap freely; failures are the point

mod common;

use std::collections::BTreeMap;

use chiptrace_rules::{ChipSpec, Classification, Datacenter, Decimal, Outcome, Precision};
use common::{classify_on, d, ic_tpp, outcome};
use proptest::prelude::*;

const OCT23: &str = "2024-01-01";
const OCT22: &str = "2023-06-01";

fn paras(c: &Classification) -> Vec<&str> {
    c.paragraphs.iter().map(String::as_str).collect()
}

fn check(tpp: &str, area: Option<&str>, dc: Datacenter) -> Classification {
    classify_on(&ic_tpp(tpp, area, dc), OCT23)
}

fn trace_check<'a>(c: &'a Classification, rule: &str) -> &'a str {
    &c.trace.iter().find(|s| s.rule == rule).unwrap_or_else(|| panic!("no step {rule}")).check
}

// ---------------------------------------------------------------- TPP 4800

#[test]
fn tpp_4800_is_a1_without_die_area() {
    let c = check("4800", None, Datacenter::Yes);
    assert_eq!(c.tpp, Some(d("4800")));
    assert_eq!(c.classification, Outcome::A);
    assert_eq!(paras(&c), ["3A090.a.1"]);
    assert!(c.missing.is_empty(), "die area not needed at TPP >= 4800: {:?}", c.missing);
    assert!(trace_check(&c, "3A090.a.1").contains("tpp 4,800 >= 4,800 ✓"));
}

#[test]
fn tpp_just_below_4800_needs_die_area() {
    let c = check("4799.9984", None, Datacenter::Yes);
    assert_eq!(c.tpp, Some(d("4799.9984")));
    assert_eq!(c.classification, Outcome::Indeterminate);
    assert_eq!(c.missing, ["die_area_mm2"]);
    assert_eq!(c.possible, [Outcome::A, Outcome::B, Outcome::NotControlled]);
    assert_eq!(c.paragraph, None);
    assert_eq!(c.eccn, None);
    // with a low density it is not controlled
    let c = check("4799.9984", Some("10000"), Datacenter::Yes);
    assert_eq!(c.classification, Outcome::NotControlled);
    assert!(trace_check(&c, "3A090.a.1").contains("✗"));
}

#[test]
fn tpp_4800_is_the_upper_bound_of_b1() {
    // TPP 4800, PD 4.8: a.1 fires; b.1 ("less than 4800") must not; b.2 does
    let c = check("4800", Some("1000"), Datacenter::Yes);
    assert_eq!(c.classification, Outcome::A);
    assert_eq!(paras(&c), ["3A090.a.1", "3A090.b.2"]);
    assert!(trace_check(&c, "3A090.b.1").contains("< 4,800 ✗"));
    // just below: a.1 does not fire; b.1 and b.2 both hold
    let c = check("4799.9984", Some("1000"), Datacenter::Yes);
    assert_eq!(c.classification, Outcome::B);
    assert_eq!(c.paragraph.as_deref(), Some("3A090.b.1"));
    assert_eq!(paras(&c), ["3A090.b.1", "3A090.b.2"]);
    assert_eq!(c.nac_aca_eligible, Some(true), ".b items are NAC/ACA-eligible");
}

// ------------------------------------------------------------------ PD 5.92

#[test]
fn pd_exactly_592_is_a2() {
    // 5920 / 1000 = 5.92 exactly (the brief's example; a.1 also holds)
    let c = check("5920", Some("1000"), Datacenter::Yes);
    assert_eq!(paras(&c), ["3A090.a.1", "3A090.a.2"]);
    // below 4800 so only the density decides: 2960 / 500 = 5.92
    let c = check("2960", Some("500"), Datacenter::Yes);
    assert_eq!(c.classification, Outcome::A);
    assert_eq!(paras(&c), ["3A090.a.2"], ".b needs PD less than 5.92");
    assert_eq!(c.nac_aca_eligible, Some(false));
    assert!(trace_check(&c, "3A090.a.2").contains("tpp 2,960 >= 5.92 × 500 mm² = 2,960 ✓"));
    assert!(trace_check(&c, "3A090.b.2").contains("tpp 2,960 < 5.92 × 500 mm² = 2,960 ✗"));
    // a hair less dense: .b (b.1 and b.2)
    let c = check("2960", Some("500.0001"), Datacenter::Yes);
    assert_eq!(c.classification, Outcome::B);
    assert_eq!(paras(&c), ["3A090.b.1", "3A090.b.2"]);
}

#[test]
fn a2_needs_tpp_1600() {
    // 1600 / 250 = 6.4 ≥ 5.92
    let c = check("1600", Some("250"), Datacenter::Yes);
    assert_eq!(c.classification, Outcome::A);
    assert_eq!(paras(&c), ["3A090.a.2"]);
    let c = check("1599.9984", Some("250"), Datacenter::Yes);
    assert_eq!(c.classification, Outcome::NotControlled);
    assert!(c.paragraphs.is_empty());
}

// ------------------------------------------------------------------- PD 3.2

#[test]
fn pd_exactly_32_is_b2() {
    // 1600 / 500 = 3.2: b.2 (b.1 needs TPP 2400)
    let c = check("1600", Some("500"), Datacenter::Yes);
    assert_eq!(c.classification, Outcome::B);
    assert_eq!(paras(&c), ["3A090.b.2"]);
    assert_eq!(c.paragraph.as_deref(), Some("3A090.b.2"));
    let c = check("1600", Some("500.0001"), Datacenter::Yes);
    assert_eq!(c.classification, Outcome::NotControlled);
    // 3200 / 1000 = 3.2 with TPP ≥ 2400: b.1 and b.2
    let c = check("3200", Some("1000"), Datacenter::Yes);
    assert_eq!(paras(&c), ["3A090.b.1", "3A090.b.2"]);
    // 3199.9984 / 1000 < 3.2: only b.1
    let c = check("3199.9984", Some("1000"), Datacenter::Yes);
    assert_eq!(paras(&c), ["3A090.b.1"]);
}

// ------------------------------------------------------------------- PD 1.6

#[test]
fn pd_exactly_16_with_tpp_2400_is_b1() {
    // 2400 / 1500 = 1.6
    let c = check("2400", Some("1500"), Datacenter::Yes);
    assert_eq!(c.classification, Outcome::B);
    assert_eq!(paras(&c), ["3A090.b.1"]);
    // PD a hair under 1.6
    let c = check("2400", Some("1500.0001"), Datacenter::Yes);
    assert_eq!(c.classification, Outcome::NotControlled);
    // TPP a hair under 2400 (PD still ≥ 1.6 at area 1400)
    let c = check("2399.9984", Some("1400"), Datacenter::Yes);
    assert_eq!(c.classification, Outcome::NotControlled);
    assert!(trace_check(&c, "3A090.b.1").contains(">= 2,400 ✗"));
}

#[test]
fn planar_logic_means_unbounded_density() {
    // nonplanar = false: applicable die area 0, PD unbounded (Technical Note 4)
    let mut s = ic_tpp("2000", None, Datacenter::Yes);
    s.nonplanar = Some(false);
    let c = classify_on(&s, OCT23);
    assert_eq!(c.classification, Outcome::A);
    assert_eq!(paras(&c), ["3A090.a.2"]);
    assert!(c.warnings.iter().any(|w| w.contains("planar")), "{:?}", c.warnings);
}

// --------------------------------------------------------- indeterminate

#[test]
fn datacenter_chip_between_1600_and_4800_needs_die_area() {
    for tpp in ["1600", "2000", "2400", "3200", "4799.9984"] {
        let c = check(tpp, None, Datacenter::Yes);
        assert_eq!(c.classification, Outcome::Indeterminate, "tpp {tpp}");
        assert_eq!(c.missing, ["die_area_mm2"], "tpp {tpp}");
        assert!(
            c.possible.contains(&Outcome::A) && c.possible.contains(&Outcome::NotControlled),
            "tpp {tpp}"
        );
        let last = c.trace.last().unwrap();
        assert_eq!(last.rule, "indeterminate");
        assert!(last.check.contains("die_area_mm2"));
    }
}

#[test]
fn die_area_not_needed_outside_1600_4800_or_for_non_datacenter() {
    for (tpp, dc, want) in [
        ("1599.9984", Datacenter::Yes, Outcome::NotControlled),
        ("0", Datacenter::Yes, Outcome::NotControlled),
        ("4800", Datacenter::Yes, Outcome::A),
        ("90000", Datacenter::Yes, Outcome::A),
        ("3000", Datacenter::No, Outcome::NotControlled),
        ("4799.9984", Datacenter::No, Outcome::NotControlled),
        ("4800", Datacenter::No, Outcome::A),
    ] {
        let c = check(tpp, None, dc);
        assert_eq!(c.classification, want, "tpp {tpp} dc {dc:?}");
        assert!(c.missing.is_empty(), "tpp {tpp} dc {dc:?}: {:?}", c.missing);
        assert!(c.branches.is_none());
    }
}

#[test]
fn non_datacenter_ignores_density() {
    // PD 48 but not for datacenters and TPP < 4800: excluded by Note 2
    let c = check("4799.9984", Some("100"), Datacenter::No);
    assert_eq!(c.classification, Outcome::NotControlled);
    assert!(c.paragraphs.is_empty());
    assert!(c.trace.iter().any(|s| s.rule == "3A090-note-2" && s.outcome.contains("excluded")));
    let c = check("4800", Some("100"), Datacenter::No);
    assert_eq!(c.classification, Outcome::A);
    assert_eq!(c.nac_aca_eligible, Some(true));
}

#[test]
fn oct_2022_io_boundary() {
    let io = |tpp: &str, io: Option<&str>| {
        let mut s = ic_tpp(tpp, None, Datacenter::Yes);
        s.io_bidir_gbs = io.map(d);
        classify_on(&s, OCT22)
    };
    // "600 Gbyte/s or more"
    let c = io("4800", Some("600"));
    assert_eq!(c.classification, Outcome::A);
    assert_eq!(c.paragraph.as_deref(), Some("3A090.a"));
    assert_eq!(outcome(&io("4800", Some("599.99"))), "not_controlled");
    assert_eq!(outcome(&io("4799.9984", Some("10000"))), "not_controlled");
    // no I/O and TPP ≥ 4800: indeterminate needing io_bidir_gbs
    let c = io("4800", None);
    assert_eq!(c.classification, Outcome::Indeterminate);
    assert_eq!(c.missing, ["io_bidir_gbs"]);
    assert_eq!(c.possible, [Outcome::A, Outcome::NotControlled]);
    // no I/O but TPP < 4800: I/O does not matter
    let c = io("4799.9984", None);
    assert_eq!(c.classification, Outcome::NotControlled);
    assert!(c.missing.is_empty());
    // no die area, no datacenter flag in 2022: neither is needed
    let mut s = ic_tpp("3000", None, Datacenter::Unknown);
    s.io_bidir_gbs = Some(d("1000"));
    let c = classify_on(&s, OCT22);
    assert_eq!(c.classification, Outcome::NotControlled);
    assert!(c.branches.is_none() && c.missing.is_empty());
}

#[test]
fn rule_version_boundaries_are_inclusive() {
    let mut s = ic_tpp("4992", Some("826"), Datacenter::Yes);
    s.io_bidir_gbs = Some(d("464"));
    let c = classify_on(&s, "2023-11-16");
    assert_eq!((c.rule_version.as_str(), c.classification), ("2023-01-18", Outcome::NotControlled));
    let c = classify_on(&s, "2023-11-17");
    assert_eq!((c.rule_version.as_str(), c.classification), ("2023-11-17", Outcome::A));
    let c = classify_on(&s, "2022-10-07");
    assert_eq!(c.rule_version, "2022-10-07");
}

#[test]
fn hbm_density_is_strictly_greater_than_2() {
    let hbm = |bw: &str, area: &str| {
        let mut s = ChipSpec::ic("HBM");
        s.kind = chiptrace_rules::ItemKind::Hbm { stack_bw_gbs: d(bw), stack_area_mm2: d(area) };
        classify_on(&s, "2025-01-01")
    };
    assert_eq!(hbm("242", "121").classification, Outcome::NotControlled, "mbd exactly 2");
    assert_eq!(hbm("242.0001", "121").classification, Outcome::C);
    assert_eq!(hbm("241.9999", "121").classification, Outcome::NotControlled);
    let c = hbm("242", "121");
    assert!(
        c.trace.iter().any(|s| s.check.contains("bw 242 > 2 × 121 mm² = 242 ✗")),
        "{:#?}",
        c.trace
    );
}

#[test]
fn china_zone_bounds_are_strict() {
    let zone = |tpp: &str, bw: Option<&str>| {
        let mut s = ic_tpp(tpp, Some("1000"), Datacenter::Yes);
        s.dram_bw_gbs = bw.map(d);
        let c = classify_on(&s, "2026-02-01");
        c.overlays.iter().find(|o| o.id == "china-zone-2026").map(|o| o.result.clone()).unwrap()
    };
    assert_eq!(zone("20999.9984", Some("6499.99")), "inside");
    assert_eq!(zone("21000", Some("6499.99")), "outside");
    assert_eq!(zone("20999.9984", Some("6500")), "outside");
    assert_eq!(zone("20999.9984", None), "indeterminate (needs dram_bw_gbs)");
    // a missing DRAM bandwidth does not matter once TPP is out of the zone
    assert_eq!(zone("21000", None), "outside");
}

// ------------------------------------------------------- datacenter unknown

#[test]
fn unknown_datacenter_reports_both_branches_when_they_differ() {
    // TPP 3000, PD 4: .b if for datacenters, excluded by Note 2 otherwise
    let c = check("3000", Some("750"), Datacenter::Unknown);
    assert_eq!(c.classification, Outcome::Indeterminate);
    assert_eq!(c.missing, ["datacenter"]);
    assert_eq!(c.possible, [Outcome::B, Outcome::NotControlled]);
    let br = c.branches.as_ref().unwrap();
    assert_eq!(br.len(), 2);
    let yes = br.iter().find(|b| b.datacenter == Datacenter::Yes).unwrap();
    let no = br.iter().find(|b| b.datacenter == Datacenter::No).unwrap();
    assert_eq!(yes.classification, Outcome::B);
    assert_eq!(yes.paragraphs, ["3A090.b.1", "3A090.b.2"]);
    assert_eq!(yes.nac_aca_eligible, Some(true));
    assert_eq!(no.classification, Outcome::NotControlled);
    assert_eq!(no.nac_aca_eligible, None);
    assert!(c.trace.iter().any(|s| s.rule.starts_with("[if datacenter=yes]")));
    assert!(c.trace.iter().any(|s| s.rule.starts_with("[if datacenter=no]")));
}

#[test]
fn unknown_datacenter_and_no_die_area() {
    // if for datacenters the die area is needed; if not, excluded
    let c = check("3000", None, Datacenter::Unknown);
    assert_eq!(c.classification, Outcome::Indeterminate);
    assert!(c.missing.contains(&"datacenter".to_string()), "{:?}", c.missing);
    let br = c.branches.as_ref().unwrap();
    let yes = br.iter().find(|b| b.datacenter == Datacenter::Yes).unwrap();
    assert_eq!(yes.classification, Outcome::Indeterminate);
    assert_eq!(yes.missing, ["die_area_mm2"]);
    let no = br.iter().find(|b| b.datacenter == Datacenter::No).unwrap();
    assert_eq!(no.classification, Outcome::NotControlled);
}

#[test]
fn unknown_datacenter_collapses_when_branches_agree() {
    // not controlled either way
    let c = check("1000", Some("100"), Datacenter::Unknown);
    assert_eq!(c.classification, Outcome::NotControlled);
    assert!(c.branches.is_none(), "identical branches collapse");
    assert!(c.missing.is_empty());
    assert!(c.trace.iter().any(|s| s.outcome.contains("collapsed")));
    // .a.1 either way: classification settled; NAC/ACA depends on the flag
    let c = check("6000", Some("750"), Datacenter::Unknown);
    assert_eq!(c.classification, Outcome::A);
    assert_eq!(c.paragraph.as_deref(), Some("3A090.a.1"));
    assert!(c.missing.is_empty());
    assert_eq!(c.nac_aca_eligible, None);
    let br = c.branches.as_ref().unwrap();
    let nac: Vec<_> = br.iter().map(|b| (b.datacenter, b.nac_aca_eligible)).collect();
    assert_eq!(nac, [(Datacenter::Yes, Some(false)), (Datacenter::No, Some(true))]);
}

// ------------------------------------------------------------- properties

/// One date inside each rule version (the IC test changes on 2023-11-17; the
/// later versions must not disturb it).
const DATES: &[&str] = &[
    "2022-10-07",
    "2023-01-18",
    "2023-06-01",
    "2023-11-17",
    "2024-04-04",
    "2024-12-02",
    "2025-01-13",
    "2025-01-16",
    "2025-05-13",
    "2025-09-29",
    "2026-01-15",
    "2026-07-10",
    "2026-11-29",
];

fn level(o: Outcome) -> Option<u8> {
    match o {
        Outcome::NotControlled => Some(0),
        Outcome::B => Some(1),
        Outcome::A => Some(2),
        Outcome::Indeterminate => None,
        other => panic!("unexpected outcome for an IC: {other:?}"),
    }
}

fn arb_dc() -> impl Strategy<Value = Datacenter> {
    prop_oneof![Just(Datacenter::Yes), Just(Datacenter::No), Just(Datacenter::Unknown)]
}

/// Decimal with up to 4 fraction digits in [0, max_units / 10^4].
fn arb_dec(max_units: i64) -> impl Strategy<Value = Decimal> {
    (0..=max_units).prop_map(|u| Decimal::new(u, 4))
}

fn spec_with(fp16: Decimal, int8: Decimal, area: Decimal, io: Decimal, dc: Datacenter) -> ChipSpec {
    let mut s = ChipSpec::ic("prop");
    s.dense.insert(Precision::Fp16, fp16);
    s.dense.insert(Precision::Int8, int8);
    s.die_area_mm2 = Some(area);
    s.io_bidir_gbs = Some(io);
    s.datacenter = dc;
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Scaling every dense figure up (TPP and PD both rise) never lowers the
    /// control level within one rule version.
    #[test]
    fn raising_tpp_never_lowers_the_level(
        fp16 in arb_dec(4_000_000),           // ≤ 400 TFLOPS → TPP ≤ 6400
        int8 in arb_dec(8_000_000),           // ≤ 800 TOPS   → TPP ≤ 6400
        area in (1_000i64..=20_000).prop_map(|u| Decimal::new(u, 1)),   // 100.0 – 2000.0 mm²
        io in (0i64..=1_200).prop_map(Decimal::from),
        factor in (10_000i64..=40_000).prop_map(|u| Decimal::new(u, 4)),  // ×1.0000 – ×4.0000
        dc in arb_dc(),
        day in proptest::sample::select(DATES),
    ) {
        let lo = classify_on(&spec_with(fp16, int8, area, io, dc), day);
        let hi = classify_on(&spec_with(fp16 * factor, int8 * factor, area, io, dc), day);
        prop_assert!(hi.tpp >= lo.tpp);
        if let (Some(a), Some(b)) = (level(lo.classification), level(hi.classification)) {
            prop_assert!(b >= a, "{day}: tpp {:?} → {:?} lowered {:?} to {:?}", lo.tpp, hi.tpp, lo.classification, hi.classification);
        }
    }

    /// Shrinking the die area (raising density) never lowers the level.
    #[test]
    fn raising_density_never_lowers_the_level(
        fp16 in arb_dec(4_000_000),
        area in (1_000i64..=20_000).prop_map(|u| Decimal::new(u, 1)),
        shrink in (1i64..=10_000).prop_map(|u| Decimal::new(u, 4)),   // × 0.0001 – 1
        io in (0i64..=1_200).prop_map(Decimal::from),
        dc in arb_dc(),
        day in proptest::sample::select(DATES),
    ) {
        let big = classify_on(&spec_with(fp16, Decimal::ZERO, area, io, dc), day);
        let small = classify_on(&spec_with(fp16, Decimal::ZERO, area * shrink, io, dc), day);
        prop_assert_eq!(big.tpp, small.tpp);
        if let (Some(a), Some(b)) = (level(big.classification), level(small.classification)) {
            prop_assert!(b >= a, "{day}: area {} → {} lowered {:?} to {:?}", area, area * shrink, big.classification, small.classification);
        }
    }

    /// TPP = max over precisions of dense × bits, exactly (checked with
    /// scaled integers, not with the engine's own decimal arithmetic).
    #[test]
    fn tpp_is_the_exact_max_of_dense_times_bits(
        figures in proptest::collection::btree_map(
            proptest::sample::select(Precision::ALL.to_vec()),
            (0u64..=99_999_999_999, 0u32..=6),   // mantissa, scale
            1..=10,
        ),
    ) {
        let mut s = ChipSpec::ic("prop");
        s.datacenter = Datacenter::Yes;
        let mut want: i128 = 0;   // TPP × 10^6
        for (&p, &(m, scale)) in &figures {
            s.dense.insert(p, Decimal::new(m as i64, scale));
            let scaled = i128::from(m) * 10i128.pow(6 - scale) * i128::from(p.bits());
            want = want.max(scaled);
        }
        let c = classify_on(&s, OCT23);
        let tpp = c.tpp.unwrap();
        prop_assert_eq!(tpp * Decimal::from(1_000_000), Decimal::from_i128_with_scale(want, 0));
        prop_assert_eq!(c.tpp_terms.len(), figures.len());
        let maxes: BTreeMap<Precision, bool> = c.tpp_terms.iter().map(|t| (t.precision, t.max)).collect();
        for t in &c.tpp_terms {
            prop_assert_eq!(t.max, t.tpp == tpp);
        }
        prop_assert!(maxes.values().any(|&m| m));
    }
}

#[test]
fn heterogeneous_units_are_summed() {
    // Technical Note 1.d: TPP = TPP1 + ... + TPPn, each unit at its own max;
    // 400 × 8 + 100 × 16 = 4800 exactly, so 3A090.a.1 although no unit alone is
    let s = ChipSpec::from_json(
        r#"{"name":"SoC","datacenter":"yes","units":[
            {"name":"npu","dense_tops":{"int8":400,"int4":700}},
            {"name":"gpu","dense_tops":{"fp16":100,"fp32":10}}]}"#,
        &|n| common::catalog().spec_for(n),
    )
    .unwrap();
    let c = classify_on(&s, OCT23);
    assert_eq!(c.tpp, Some(d("4800")));
    assert_eq!(c.classification, Outcome::A);
    assert_eq!(c.paragraph.as_deref(), Some("3A090.a.1"));
    let maxes: Vec<(&str, Precision)> =
        c.tpp_terms.iter().filter(|t| t.max).map(|t| (t.unit.as_str(), t.precision)).collect();
    assert_eq!(maxes, [("npu", Precision::Int8), ("gpu", Precision::Fp16)]);
    assert!(c.warnings.iter().any(|w| w.contains("Technical Note 1.d")), "{:?}", c.warnings);
}

#[test]
fn tf32_bit_length_sensitivity_is_flagged() {
    // §3: TF32 counted at 32 bits; flag results that change at 19 bits
    let mut s = ChipSpec::ic("tf32 decides");
    s.datacenter = Datacenter::Yes;
    s.dense.insert(Precision::Tf32, d("150")); // 4800 at 32 bits, 2850 at 19
    s.dense.insert(Precision::Fp16, d("299")); // 4784
    let c = classify_on(&s, OCT23);
    assert_eq!(c.tpp, Some(d("4800")));
    assert_eq!(c.classification, Outcome::A);
    assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
    assert!(c.warnings[0].contains("at 19 bits TPP would be 4,784"), "{}", c.warnings[0]);
    assert!(c.warnings[0].contains("classification indeterminate"), "{}", c.warnings[0]);
    // TF32 at exactly half the FP16 rate never decides: no warning
    s.dense.insert(Precision::Fp16, d("300"));
    let c = classify_on(&s, OCT23);
    assert_eq!(c.tpp, Some(d("4800")));
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}
