//! Every worked example of shared/design/export-rules.md §10 (and the
//! worked figures of §3, §4.4 and §4.5), reproduced from the catalog.
#![allow(clippy::unwrap_used)] // tests may unwrap freely; failures are the point

mod common;

use chiptrace_rules::{
    ChipSpec, Classification, Datacenter, Decimal, Error, ItemKind, Outcome, Precision, classify,
};
use common::{cat, catalog, classify_on, d, date, ic_tpp, outcome, rules};

/// One column of the §10 table.
struct Example {
    query: &'static str,
    id: &'static str,
    /// (precision, dense figure, term = dense × bits) as listed in §10.
    terms: &'static [(Precision, &'static str, &'static str)],
    /// Precisions §10 says are absent ("FP64 (reduced; not listed)").
    absent: &'static [Precision],
    tpp: &'static str,
    die_area: &'static str,
    /// PD to 2 decimals, computed exactly from TPP / die area.
    pd2: &'static str,
    datacenter: Datacenter,
    chip_link: &'static str,
    host_link: &'static str,
    io: &'static str,
    /// Outcome under the Oct-2022 rule (evaluated on 2023-06-01).
    oct2022: &'static str,
    /// Whether 3A090.a.2 fires under the Oct-2023 rule too (never for
    /// non-datacenter items: Note 2 makes only TPP matter).
    a2: bool,
    nac_aca: bool,
    dram_bw: &'static str,
    /// Jan-2026 China review zone on a 2026 date.
    zone: &'static str,
}

use Precision::*;

const EXAMPLES: &[Example] = &[
    Example {
        query: "H100 SXM5 80GB",
        id: "h100-sxm5-80gb",
        terms: &[
            (Fp64, "67", "4288"),
            (Tf32, "494.5", "15824"),
            (Fp16, "989.5", "15832"),
            (Bf16, "989.5", "15832"),
            (Fp8, "1979", "15832"),
            (Int8, "1979", "15832"),
        ],
        absent: &[],
        tpp: "15832",
        die_area: "814",
        pd2: "19.45",
        datacenter: Datacenter::Yes,
        chip_link: "900",
        host_link: "128",
        io: "1028",
        oct2022: "3A090.a",
        a2: true,
        nac_aca: false,
        dram_bw: "3350",
        zone: "inside",
    },
    Example {
        query: "A100 SXM4 80GB",
        id: "a100-sxm4-80gb",
        terms: &[
            (Fp64, "19.5", "1248"),
            (Tf32, "156", "4992"),
            (Fp16, "312", "4992"),
            (Bf16, "312", "4992"),
            (Int8, "624", "4992"),
            (Int4, "1248", "4992"),
        ],
        absent: &[],
        tpp: "4992",
        die_area: "826",
        pd2: "6.04",
        datacenter: Datacenter::Yes,
        chip_link: "600",
        host_link: "64",
        io: "664",
        oct2022: "3A090.a",
        a2: true,
        nac_aca: false,
        dram_bw: "2039",
        zone: "inside",
    },
    Example {
        query: "A800 SXM4 80GB",
        id: "a800-sxm4-80gb",
        terms: &[
            (Fp64, "19.5", "1248"),
            (Tf32, "156", "4992"),
            (Fp16, "312", "4992"),
            (Bf16, "312", "4992"),
            (Int8, "624", "4992"),
            (Int4, "1248", "4992"),
        ],
        absent: &[],
        tpp: "4992",
        die_area: "826",
        pd2: "6.04",
        datacenter: Datacenter::Yes,
        chip_link: "400",
        host_link: "64",
        io: "464",
        oct2022: "not_controlled",
        a2: true,
        nac_aca: false,
        dram_bw: "2039",
        zone: "inside",
    },
    Example {
        query: "H800 SXM5 80GB",
        id: "h800-sxm5-80gb",
        terms: &[
            (Tf32, "494.5", "15824"),
            (Fp16, "989.5", "15832"),
            (Fp8, "1979", "15832"),
            (Int8, "1979", "15832"),
        ],
        absent: &[Fp64],
        tpp: "15832",
        die_area: "814",
        pd2: "19.45",
        datacenter: Datacenter::Yes,
        chip_link: "400",
        host_link: "128",
        io: "528",
        oct2022: "not_controlled",
        a2: true,
        nac_aca: false,
        dram_bw: "3350",
        zone: "inside",
    },
    Example {
        query: "GeForce RTX 4090",
        id: "rtx-4090",
        terms: &[
            (Fp32, "82.6", "2643.2"),
            (Fp16, "330.3", "5284.8"),
            (Fp8, "660.6", "5284.8"),
            (Int8, "660.6", "5284.8"),
            (Int4, "1321.2", "5284.8"),
        ],
        absent: &[],
        tpp: "5284.8",
        die_area: "608.5",
        // export-rules.md §10 prints 8.69; 5284.8 / 608.5 = 8.68496..., which
        // is 8.68 to two decimals (8.69 only by double rounding via 8.685).
        pd2: "8.68",
        datacenter: Datacenter::No,
        chip_link: "0",
        host_link: "64",
        io: "64",
        oct2022: "not_controlled",
        // not designed for datacenters: density is not evaluated (§4.3), so
        // only a.1 is reported
        a2: false,
        nac_aca: true,
        dram_bw: "1008",
        zone: "inside",
    },
    Example {
        query: "B200",
        id: "b200",
        terms: &[
            (Fp64, "37", "2368"),
            (Tf32, "1125", "36000"),
            (Fp16, "2250", "36000"),
            (Fp8, "4500", "36000"),
            (Fp4, "9000", "36000"),
        ],
        absent: &[],
        tpp: "36000",
        die_area: "1600",
        pd2: "22.50",
        datacenter: Datacenter::Yes,
        chip_link: "1800",
        host_link: "256",
        io: "2056",
        // "n/a (released after 2023-11-17; 3A090.a if evaluated)"
        oct2022: "3A090.a",
        a2: true,
        nac_aca: false,
        dram_bw: "7700",
        zone: "outside",
    },
];

fn term(c: &Classification, p: Precision) -> Option<&chiptrace_rules::TppTerm> {
    c.tpp_terms.iter().find(|t| t.precision == p && t.unit.is_empty())
}

fn step<'a>(c: &'a Classification, rule: &str) -> &'a chiptrace_rules::Step {
    c.trace
        .iter()
        .find(|s| s.rule == rule)
        .unwrap_or_else(|| panic!("{}: no trace step {rule:?} in {:#?}", c.item, c.trace))
}

fn overlay<'a>(c: &'a Classification, id: &str) -> Option<&'a chiptrace_rules::Overlay> {
    c.overlays.iter().find(|o| o.id == id)
}

#[test]
fn catalog_rows_hold_the_section_10_inputs() {
    for ex in EXAMPLES {
        let e = catalog().find(ex.query).unwrap();
        assert_eq!(e.id, ex.id, "{} resolves to the wrong row", ex.query);
        assert_eq!(e.die_area_mm2, Some(d(ex.die_area)), "{}: die area", ex.id);
        assert_eq!(e.datacenter, ex.datacenter, "{}: datacenter", ex.id);
        assert_eq!(e.dram_bw_gbs, Some(d(ex.dram_bw)), "{}: DRAM bandwidth", ex.id);
        // I/O = chip-to-chip link + host link (§4.1), copied into the catalog
        let chip = e.chip_link_bidir_gbs.unwrap();
        let host = e.host_link_bidir_gbs.unwrap();
        assert_eq!(chip, d(ex.chip_link), "{}: chip link", ex.id);
        assert_eq!(host, d(ex.host_link), "{}: host link", ex.id);
        assert_eq!(e.io_bidir_gbs, Some(d(ex.io)), "{}: total I/O", ex.id);
        assert_eq!(chip + host, d(ex.io), "{}: I/O is not the sum of its links", ex.id);
    }
}

#[test]
fn tpp_terms_and_totals_are_exact() {
    for ex in EXAMPLES {
        let c = classify_on(&cat(ex.query), "2024-01-01");
        let tpp = c.tpp.unwrap();
        assert_eq!(tpp, d(ex.tpp), "{}: TPP", ex.id);
        // exact, not merely close: the decimal text is the published figure
        assert_eq!(tpp.normalize().to_string(), ex.tpp, "{}: TPP text", ex.id);
        for &(p, dense, t) in ex.terms {
            let tt = term(&c, p).unwrap_or_else(|| panic!("{}: no {p:?} term", ex.id));
            assert_eq!(tt.dense, d(dense), "{} {p:?} dense", ex.id);
            assert_eq!(tt.bits, p.bits(), "{} {p:?} bits", ex.id);
            assert_eq!(tt.tpp, d(t), "{} {p:?} term", ex.id);
            assert_eq!(tt.dense * Decimal::from(tt.bits), tt.tpp, "{} {p:?} product", ex.id);
            assert_eq!(tt.max, tt.tpp == tpp, "{} {p:?} max flag", ex.id);
        }
        for &p in ex.absent {
            assert!(term(&c, p).is_none(), "{}: {p:?} should not be listed", ex.id);
        }
        // TPP is the maximum over every term (§3 practical formula)
        let max = c.tpp_terms.iter().map(|t| t.tpp).max().unwrap();
        assert_eq!(max, tpp, "{}: TPP is not the max term", ex.id);
        assert!(c.tpp_terms.iter().any(|t| t.max), "{}: no term marked max", ex.id);
        // the trace shows every term
        let s = step(&c, "TPP");
        assert_eq!(s.check.matches(" × ").count(), c.tpp_terms.len(), "{}: {}", ex.id, s.check);
    }
}

#[test]
fn performance_density_to_two_decimals() {
    for ex in EXAMPLES {
        let c = classify_on(&cat(ex.query), "2024-01-01");
        let exact = c.tpp.unwrap() / d(ex.die_area);
        assert_eq!(exact.round_dp(2), d(ex.pd2), "{}: PD", ex.id);
        // the display value is the exact PD rounded to 4 decimals
        assert_eq!(c.performance_density, Some(exact.round_dp(4)), "{}: displayed PD", ex.id);
        assert_eq!(c.performance_density.unwrap().round_dp(1), exact.round_dp(1), "{}", ex.id);
    }
}

#[test]
fn oct_2022_rule_needs_io_600() {
    for ex in EXAMPLES {
        let c = classify_on(&cat(ex.query), "2023-06-01");
        assert!(
            c.rule_version.as_str() < "2023-11-17",
            "{}: wrong rule version {}",
            ex.id,
            c.rule_version
        );
        assert_eq!(outcome(&c), ex.oct2022, "{}: Oct-2022 outcome", ex.id);
        let s = step(&c, "3A090.a");
        assert!(
            s.check.contains("tpp") && s.check.contains(">= 4,800 ✓"),
            "{}: {}",
            ex.id,
            s.check
        );
        let io_fmt = {
            let v: u32 = ex.io.parse().unwrap();
            if v >= 1000 { format!("{},{:03}", v / 1000, v % 1000) } else { v.to_string() }
        };
        let want =
            format!("io {io_fmt} GB/s >= 600 {}", if ex.oct2022 == "3A090.a" { "✓" } else { "✗" });
        assert!(s.check.contains(&want), "{}: expected {want:?} in {:?}", ex.id, s.check);
        if ex.oct2022 == "3A090.a" {
            assert_eq!(c.paragraph.as_deref(), Some("3A090.a"), "{}", ex.id);
            assert_eq!(c.eccn.as_deref(), Some("3A090.a"), "{}", ex.id);
            assert_eq!(s.outcome, "fires");
        } else {
            assert_eq!(c.paragraph, None, "{}", ex.id);
            assert!(c.paragraphs.is_empty(), "{}", ex.id);
            assert_eq!(c.eccn, None, "{}: no base ECCN given, so no ECCN", ex.id);
            assert_eq!(s.outcome, "does not fire");
            assert!(c.missing.is_empty(), "{}: {:?}", ex.id, c.missing);
        }
        assert_eq!(c.nac_aca_eligible, None, "{}: NAC/ACA did not exist yet", ex.id);
        // no datacenter note and no density test in 2022 (§4.1)
        assert!(c.branches.is_none(), "{}", ex.id);
        assert!(
            !c.trace.iter().any(|s| s.rule.contains("note-2") || s.rule.contains(".a.2")),
            "{}",
            ex.id
        );
    }
}

#[test]
fn a800_h800_were_designed_to_the_2022_rule() {
    // §1: both under 600 GB/s in 2022, both 3A090.a.1 from 2023-11-17
    for q in ["A800", "H800"] {
        let s = cat(q);
        assert_eq!(outcome(&classify_on(&s, "2022-10-07")), "not_controlled", "{q}");
        assert_eq!(outcome(&classify_on(&s, "2023-11-16")), "not_controlled", "{q}");
        let c = classify_on(&s, "2023-11-17");
        assert_eq!(c.classification, Outcome::A, "{q}");
        assert_eq!(c.paragraph.as_deref(), Some("3A090.a.1"), "{q}");
    }
}

#[test]
fn oct_2023_rule_outcomes() {
    for ex in EXAMPLES {
        let c = classify_on(&cat(ex.query), "2024-01-01");
        assert_eq!(c.rule_version, "2023-11-17", "{}", ex.id);
        assert_eq!(c.classification, Outcome::A, "{}", ex.id);
        assert_eq!(c.paragraph.as_deref(), Some("3A090.a.1"), "{}", ex.id);
        assert_eq!(c.eccn.as_deref(), Some("3A090.a"), "{}", ex.id);
        assert!(c.paragraphs.contains(&"3A090.a.1".to_string()), "{}", ex.id);
        assert_eq!(c.paragraphs.contains(&"3A090.a.2".to_string()), ex.a2, "{}: a.2", ex.id);
        // .a takes precedence; the .b rows are evaluated but do not fire (TPP >= 4800)
        assert!(
            !c.paragraphs.iter().any(|p| p.starts_with("3A090.b")),
            "{}: {:?}",
            ex.id,
            c.paragraphs
        );
        assert_eq!(c.nac_aca_eligible, Some(ex.nac_aca), "{}: NAC/ACA", ex.id);
        assert!(c.missing.is_empty() && c.possible.is_empty(), "{}", ex.id);
        assert!(c.branches.is_none(), "{}: datacenter flag is known", ex.id);
    }
}

#[test]
fn a100_fires_a1_and_a2() {
    let c = classify_on(&cat("A100"), "2024-01-01");
    assert_eq!(c.paragraphs, vec!["3A090.a.1".to_string(), "3A090.a.2".to_string()]);
    let a2 = step(&c, "3A090.a.2");
    assert_eq!(a2.outcome, "fires");
    // PD compared by cross-multiplication: 4992 >= 5.92 × 826 = 4889.92
    assert!(a2.check.contains("tpp 4,992 >= 5.92 × 826 mm² = 4,889.92 ✓"), "{}", a2.check);
}

#[test]
fn rtx_4090_is_a1_under_the_datacenter_note_and_nac_eligible() {
    let c = classify_on(&cat("RTX 4090"), "2024-01-01");
    assert_eq!(c.datacenter, Datacenter::No);
    assert_eq!(c.classification, Outcome::A);
    assert_eq!(c.paragraph.as_deref(), Some("3A090.a.1"));
    assert_eq!(c.nac_aca_eligible, Some(true));
    let note = step(&c, "3A090-note-2");
    assert!(note.check.contains("tpp 5,284.8 >= 4,800 ✓"), "{}", note.check);
    assert!(note.outcome.contains("does not exclude"), "{}", note.outcome);
    // the same chip marketed for datacenters would not be NAC/ACA-eligible
    let mut dc = cat("RTX 4090");
    dc.datacenter = Datacenter::Yes;
    let c = classify_on(&dc, "2024-01-01");
    assert_eq!(c.classification, Outcome::A);
    assert_eq!(c.nac_aca_eligible, Some(false));
}

#[test]
fn jan_2026_china_zone() {
    for day in ["2026-01-15", "2026-02-01", "2026-11-29"] {
        for ex in EXAMPLES {
            let c = classify_on(&cat(ex.query), day);
            let o = overlay(&c, "china-zone-2026")
                .unwrap_or_else(|| panic!("{}: no zone overlay on {day}", ex.id));
            assert_eq!(o.result, ex.zone, "{} on {day}: {}", ex.id, o.check);
            let bw = ex.dram_bw.parse::<u32>().unwrap();
            let bw =
                if bw >= 1000 { format!("{},{:03}", bw / 1000, bw % 1000) } else { bw.to_string() };
            assert!(
                o.check.contains(&format!("dram_bw {bw} GB/s < 6,500")),
                "{}: {}",
                ex.id,
                o.check
            );
            // the overlay never changes the classification (§6.4)
            assert_eq!(c.classification, Outcome::A, "{}", ex.id);
        }
    }
    // B200 is outside on both bounds
    let c = classify_on(&cat("B200"), "2026-02-01");
    let o = overlay(&c, "china-zone-2026").unwrap();
    assert!(o.check.contains("tpp 36,000 < 21,000 ✗"), "{}", o.check);
    assert!(o.check.contains("dram_bw 7,700 GB/s < 6,500 ✗"), "{}", o.check);
    // not in force the day before
    let c = classify_on(&cat("H100"), "2026-01-14");
    assert!(overlay(&c, "china-zone-2026").is_none());
}

#[test]
fn dgx_h100_is_4a090a() {
    for day in ["2023-06-01", "2024-01-01", "2026-02-01"] {
        let c = classify_on(&cat("DGX H100"), day);
        assert_eq!(c.kind, "system");
        assert_eq!(c.classification, Outcome::SysA, "{day}");
        assert_eq!(c.eccn.as_deref(), Some("4A090.a"), "{day}");
        let nac = if day < "2023-11-17" { None } else { Some(false) };
        assert_eq!(c.nac_aca_eligible, nac, "{day}: no NAC/ACA before the Oct-2023 rule");
        assert_eq!(c.contains.len(), 1);
        assert_eq!(c.contains[0].count, 8);
        assert_eq!(c.contains[0].tpp, Some(d("15832")));
        assert_eq!(c.system_tpp, Some(d("126656")), "8 × 15,832");
        assert_eq!(c.tpp, Some(d("15832")), "worst contained IC's TPP");
    }
    let c = classify_on(&cat("DGX H100"), "2024-01-01");
    assert_eq!(c.contains[0].paragraph.as_deref(), Some("3A090.a.1"));
}

#[test]
fn gaming_pc_with_one_rtx_4090() {
    let spec = cat("gaming-pc-rtx-4090");
    assert!(
        matches!(&spec.kind, ItemKind::System { parts } if parts.len() == 1 && parts[0].count == 1)
    );
    let c = classify_on(&spec, "2024-01-01");
    assert_eq!(c.classification, Outcome::SysA);
    assert_eq!(c.eccn.as_deref(), Some("4A090.a"));
    assert_eq!(c.nac_aca_eligible, Some(true), "NAC/ACA-eligible like the GPU itself");
    // under the 2022 rule the GPU's I/O (64 GB/s) kept it out
    assert_eq!(classify_on(&spec, "2023-06-01").classification, Outcome::NotControlled);
}

#[test]
fn system_from_json_with_catalog_parts() {
    let resolve = |n: &str| catalog().spec_for(n);
    let s = ChipSpec::from_json(
        r#"{"name":"my HGX","datacenter":"yes","contains":[{"chip":"H100 SXM","count":8}]}"#,
        &resolve,
    )
    .unwrap();
    let c = classify_on(&s, "2024-01-01");
    assert_eq!(c.classification, Outcome::SysA);
    assert_eq!(c.system_tpp, Some(d("126656")));
}

#[test]
fn a800_epoch_single_precision_trap() {
    // §3: Epoch lists the A800 at FP16 311.8 only, which gives 4,988.8
    let mut s = ChipSpec::ic("A800 (Epoch FP16 only)");
    s.dense.insert(Fp16, d("311.8"));
    s.datacenter = Datacenter::Yes;
    s.die_area_mm2 = Some(d("826"));
    let c = classify_on(&s, "2024-01-01");
    assert_eq!(c.tpp, Some(d("4988.8")));
    assert_eq!(c.tpp_terms.len(), 1);
    // the vendor datasheet (all precisions) gives 4,992
    let full = classify_on(&cat("A800"), "2024-01-01");
    assert_eq!(full.tpp, Some(d("4992")));
    assert!(c.tpp.unwrap() < full.tpp.unwrap());
    // both are above 4800 here, so the paragraph does not change
    assert_eq!(c.paragraph.as_deref(), Some("3A090.a.1"));
    // the same through the JSON spec format (numbers parsed exactly)
    let j = ChipSpec::from_json(
        r#"{"name":"A800 Epoch","datacenter":"yes","die_area_mm2":826,"dense_tops":{"fp16":311.8}}"#,
        &|n| catalog().spec_for(n),
    )
    .unwrap();
    assert_eq!(classify_on(&j, "2024-01-01").tpp, Some(d("4988.8")));
}

#[test]
fn bis_technical_note_example() {
    // "the 'TPP' threshold of 4800 can be met with 600 tera integer operations
    // ... at 8 bits or 300 tera FLOPS ... at 16 bits"
    for (p, v) in [(Int8, "600"), (Fp16, "300")] {
        let mut s = ChipSpec::ic("BIS example");
        s.dense.insert(p, d(v));
        s.datacenter = Datacenter::Yes;
        let c = classify_on(&s, "2024-01-01");
        assert_eq!(c.tpp, Some(d("4800")), "{p:?}");
        assert_eq!(c.classification, Outcome::A, "{p:?}: 4800 meets 'of 4800 or more'");
        assert_eq!(c.paragraph.as_deref(), Some("3A090.a.1"));
        assert!(c.missing.is_empty(), "die area is not needed at TPP >= 4800");
    }
}

fn hbm(bw: &str, area: &str) -> ChipSpec {
    ChipSpec::from_json(
        &format!(
            r#"{{"name":"HBM3 stack","kind":"hbm","stack_bw_gbs":{bw},"stack_area_mm2":{area}}}"#
        ),
        &|n| catalog().spec_for(n),
    )
    .unwrap()
}

#[test]
fn hbm3_stack_is_3a090c_from_december_2024() {
    let s = hbm("819", "121");
    let c = classify_on(&s, "2025-01-01");
    assert_eq!(c.kind, "hbm");
    assert_eq!(c.classification, Outcome::C);
    assert_eq!(c.paragraph.as_deref(), Some("3A090.c"));
    assert_eq!(c.eccn.as_deref(), Some("3A090.c"));
    // 819 / 121 = 6.7686 GB/s/mm² (display, 4 decimals)
    assert_eq!(c.memory_bandwidth_density, Some(d("6.7686")));
    let st = step(&c, "3A090.c");
    assert!(st.check.contains("bw 819 > 2 × 121 mm² = 242 ✓"), "{}", st.check);
    assert_eq!(c.nac_aca_eligible, None, "3A090.c uses License Exception HBM, not NAC/ACA");
    // before 3A090.c existed
    let c = classify_on(&s, "2024-06-01");
    assert_eq!(c.classification, Outcome::NotControlled);
    assert_eq!(c.eccn, None);
    // effective date is inclusive
    assert_eq!(classify_on(&s, "2024-12-01").classification, Outcome::NotControlled);
    assert_eq!(classify_on(&s, "2024-12-02").classification, Outcome::C);
}

#[test]
fn z_routing() {
    // .a-level item with base ECCN 5A992.c → 5A992.z.1
    let mut s = cat("H100 SXM");
    s.base_eccn = Some("5A992.c".into());
    let c = classify_on(&s, "2024-01-01");
    assert_eq!(c.classification, Outcome::A);
    assert_eq!(c.eccn.as_deref(), Some("5A992.z.1"));
    let z = step(&c, ".z routing");
    assert!(z.outcome.contains("5A992.z.1"), "{}", z.outcome);
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);

    // .b-level item (TPP 3000, PD 4) with base 4A003.b → 4A003.z.1.b
    let mut s = ic_tpp("3000", Some("750"), Datacenter::Yes);
    s.base_eccn = Some("4A003.b".into());
    let c = classify_on(&s, "2024-01-01");
    assert_eq!(c.classification, Outcome::B);
    assert_eq!(c.eccn.as_deref(), Some("4A003.z.1.b"));
    // same item, .a-level figures → the .a sub-item
    let mut s = ic_tpp("6000", Some("750"), Datacenter::Yes);
    s.base_eccn = Some("4A003.b".into());
    assert_eq!(classify_on(&s, "2024-01-01").eccn.as_deref(), Some("4A003.z.1.a"));
    // 5A992.c at .b level → 5A992.z.2
    let mut s = ic_tpp("3000", Some("750"), Datacenter::Yes);
    s.base_eccn = Some("5A992.c".into());
    assert_eq!(classify_on(&s, "2024-01-01").eccn.as_deref(), Some("5A992.z.2"));
    // the most specific base paragraph wins: 3A001.b.2 → z.1, other 3A001 → z.4
    let mut s = cat("H100 SXM");
    s.base_eccn = Some("3A001.b.2".into());
    assert_eq!(classify_on(&s, "2024-01-01").eccn.as_deref(), Some("3A001.z.1.a"));
    s.base_eccn = Some("3A001.a.7".into());
    assert_eq!(classify_on(&s, "2024-01-01").eccn.as_deref(), Some("3A001.z.4.a"));
    // prefix match stops at paragraph boundaries: a sub-paragraph of b.2
    // routes like b.2, but "3A001.b.21" is not "3A001.b.2"
    s.base_eccn = Some("3A001.b.2.a".into());
    assert_eq!(classify_on(&s, "2024-01-01").eccn.as_deref(), Some("3A001.z.1.a"));
    s.base_eccn = Some("3A001.b.21".into());
    assert_eq!(classify_on(&s, "2024-01-01").eccn.as_deref(), Some("3A001.z.4.a"));

    // base "4A003" without a paragraph: warning naming the paragraphs
    let mut s = cat("H100 SXM");
    s.base_eccn = Some("4A003".into());
    let c = classify_on(&s, "2024-01-01");
    assert_eq!(c.classification, Outcome::A);
    assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
    let w = &c.warnings[0];
    assert!(w.contains("4A003") && w.contains("4A003.b") && w.contains("4A003.g"), "{w}");
    assert_ne!(c.eccn.as_deref(), Some("4A003.z.1.a"), "must not guess the sub-item");

    // failing 3A090 keeps the base ECCN (never EAR99 on its own authority)
    let mut s = ic_tpp("1000", None, Datacenter::Yes);
    s.base_eccn = Some("5A992.c".into());
    let c = classify_on(&s, "2024-01-01");
    assert_eq!(c.classification, Outcome::NotControlled);
    assert_eq!(c.eccn.as_deref(), Some("5A992.c"));
    // excluded by the datacenter note: keeps the base ECCN too
    let mut s = ic_tpp("3000", Some("100"), Datacenter::No);
    s.base_eccn = Some("5A992.c".into());
    assert_eq!(classify_on(&s, "2024-01-01").eccn.as_deref(), Some("5A992.c"));
    // 3A090.c never routes to .z
    let mut s = hbm("819", "121");
    s.base_eccn = Some("5A992.c".into());
    assert_eq!(classify_on(&s, "2025-01-01").eccn.as_deref(), Some("3A090.c"));
    // a system with base 4A003.b → 4A003.z.1.a
    let mut s = cat("DGX H100");
    s.base_eccn = Some("4A003.b".into());
    assert_eq!(classify_on(&s, "2024-01-01").eccn.as_deref(), Some("4A003.z.1.a"));
}

#[test]
fn dates_before_the_first_rule_are_rejected() {
    let e = classify(rules(), &cat("H100"), date("2022-10-06")).unwrap_err();
    assert!(matches!(e, Error::NoRuleInForce { .. }), "{e}");
    assert!(classify(rules(), &cat("H100"), date("2022-10-07")).is_ok());
}

fn system(json_parts: &str, dc: &str) -> ChipSpec {
    ChipSpec::from_json(
        &format!(r#"{{"name":"test system","datacenter":"{dc}","contains":[{json_parts}]}}"#),
        &|n| catalog().spec_for(n),
    )
    .unwrap()
}

#[test]
fn systems_take_the_worst_contained_ic() {
    // §4.5: "A system takes the worst contained IC (a.1/a.2 over b)"
    let l40 = r#"{"chip":"L40","count":8}"#;
    let h100 = r#"{"chip":"H100 SXM","count":1}"#;
    let h20 = r#"{"chip":"H20","count":8}"#;
    let s4000 = r#"{"chip":"MTT S4000","count":1}"#;
    for parts in [format!("{l40},{h100}"), format!("{h100},{l40}")] {
        let c = classify_on(&system(&parts, "yes"), "2024-01-01");
        assert_eq!(c.classification, Outcome::SysA, "{parts}");
        assert_eq!(c.tpp, Some(d("15832")), "TPP of the worst IC");
        assert_eq!(c.system_tpp, Some(d("39000")), "8 × 2896 + 15832");
    }
    // .b IC (L40: TPP 2896, PD 4.76) with an uncontrolled one (H20)
    let c = classify_on(&system(&format!("{h20},{l40}"), "yes"), "2024-01-01");
    assert_eq!(c.classification, Outcome::SysB);
    assert_eq!(c.eccn.as_deref(), Some("4A090.b"));
    assert_eq!(c.nac_aca_eligible, Some(true));
    assert_eq!(c.contains[0].classification, Outcome::NotControlled);
    assert_eq!(c.contains[1].classification, Outcome::B);
    // an indeterminate part cannot be ignored unless an .a part decides
    let c = classify_on(&system(&format!("{s4000},{l40}"), "yes"), "2024-01-01");
    assert_eq!(c.classification, Outcome::Indeterminate);
    assert_eq!(c.missing, ["die_area_mm2"]);
    assert!(c.possible.contains(&Outcome::SysA) && c.possible.contains(&Outcome::SysB));
    let c = classify_on(&system(&format!("{s4000},{h100}"), "yes"), "2024-01-01");
    assert_eq!(c.classification, Outcome::SysA);
    // 2022 rule: there is no 4A090.b, and the L40's I/O (64 GB/s) is far below 600
    let c = classify_on(&system(l40, "yes"), "2023-06-01");
    assert_eq!(c.classification, Outcome::NotControlled);
}

#[test]
fn nac_aca_eligibility_only_exists_from_the_oct_2023_rule() {
    // License Exception NAC was created by the Oct-2023 rule (§2 row 3,
    // §6.5); under the 2022 rule no item is "NAC/ACA-eligible" or not.
    let mut consumer = ic_tpp("5000", Some("600"), Datacenter::No);
    consumer.io_bidir_gbs = Some(d("700"));
    let c = classify_on(&consumer, "2023-06-01");
    assert_eq!(c.classification, Outcome::A, "controlled under the 2022 test (I/O ≥ 600)");
    assert_eq!(c.nac_aca_eligible, None, "no NAC/ACA before 2023-11-17");
    let c = classify_on(&cat("H100"), "2023-06-01");
    assert_eq!(c.nac_aca_eligible, None);
    let c = classify_on(&cat("DGX H100"), "2023-06-01");
    assert_eq!(c.nac_aca_eligible, None);
    // from 2023-11-17 the item scope applies
    assert_eq!(classify_on(&consumer, "2023-11-17").nac_aca_eligible, Some(true));
    assert_eq!(classify_on(&cat("H100"), "2023-11-17").nac_aca_eligible, Some(false));
}

#[test]
fn china_zone_is_not_reported_for_hbm() {
    // the Jan-2026 zone is for 3A090.a/.b commodities (levels a, b); an HBM
    // stack has no TPP, so the overlay must not ask for dense_tops
    for (bw, want) in [("819", Outcome::C), ("100", Outcome::NotControlled)] {
        let c = classify_on(&hbm(bw, "121"), "2026-02-01");
        assert_eq!(c.classification, want);
        assert!(
            !c.overlays.iter().any(|o| o.id == "china-zone-2026"),
            "HBM {bw}: {:?}",
            c.overlays
        );
    }
}
