//! The rule data files (rules/), the loader's validation, dated country
//! groups, letters, and the chip catalog.
#![allow(clippy::unwrap_used)] // tests may unwrap freely; failures are the point

mod common;

use std::path::{Path, PathBuf};

use chiptrace_rules::{CatalogKind, Error, Outcome, RuleSet, classify, classify_all};
use common::{catalog, date, rules};

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")
}

/// (path relative to rules/, contents) of every rule file on disk: the same
/// files the build embeds.
fn disk_files() -> Vec<(String, String)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(base, &p, out);
            } else if p.extension().is_some_and(|x| x == "toml") {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(&rules_dir(), &rules_dir(), &mut out);
    out
}

const V2023: &str = "versions/2023-11-17/rule.toml";

/// The disk files with `file`'s text changed by `edit` (which must change it).
fn altered(file: &str, edit: impl Fn(&str) -> String) -> Vec<(String, String)> {
    let mut files = disk_files();
    let f = files.iter_mut().find(|(p, _)| p == file).unwrap_or_else(|| panic!("no {file}"));
    let new = edit(&f.1);
    assert_ne!(new, f.1, "the edit did not change {file}");
    f.1 = new;
    files
}

/// Replace the first occurrence of `from` (which must exist).
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not found");
    text.replacen(from, to, 1)
}

/// Loading must fail with a RuleData error naming `file` and containing `needle`.
fn assert_rejected(files: &[(String, String)], file: &str, needle: &str) {
    match RuleSet::from_files(files) {
        Ok(_) => panic!("loader accepted altered {file} (expected error containing {needle:?})"),
        Err(e) => {
            let msg = e.to_string();
            assert!(matches!(e, Error::RuleData { .. }), "{msg}");
            assert!(msg.contains(file), "error does not name the file {file}: {msg}");
            assert!(msg.contains(needle), "error does not mention {needle:?}: {msg}");
        }
    }
}

// ------------------------------------------------------------------ loading

#[test]
fn embedded_rules_load_and_match_the_files_on_disk() {
    let r = rules();
    let disk = RuleSet::from_files(&disk_files()).unwrap();
    let a: Vec<_> = r.versions().map(|v| (v.id.clone(), v.effective)).collect();
    let b: Vec<_> = disk.versions().map(|v| (v.id.clone(), v.effective)).collect();
    assert_eq!(a, b, "embedded rule data is stale: rebuild");
    let dir = RuleSet::load_dir(&rules_dir()).unwrap();
    assert_eq!(dir.versions().count(), a.len());
    assert_eq!(r.data_version, format!("rules@{}", a.last().unwrap().0));
}

#[test]
fn every_version_folder_is_named_by_its_effective_date() {
    let mut folders: Vec<String> = std::fs::read_dir(rules_dir().join("versions"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let versions: Vec<_> = rules().versions().collect();
    assert_eq!(versions.len(), folders.len(), "{folders:?}");
    for (f, v) in folders.iter().zip(&versions) {
        assert_eq!(&v.id, f);
        assert_eq!(&v.effective.to_string(), f);
        assert!(!v.citation.trim().is_empty(), "{f}");
        assert!(rules_dir().join("versions").join(f).join("rule.toml").is_file(), "{f}");
    }
    // versions are in date order, each in force from its own date
    for w in versions.windows(2) {
        assert!(w[0].effective < w[1].effective);
    }
    for v in &versions {
        assert_eq!(rules().at(v.effective).unwrap().version.id, v.id);
    }
}

#[test]
fn required_effective_dates_exist() {
    let have: Vec<String> = rules().versions().map(|v| v.effective.to_string()).collect();
    for want in [
        "2022-10-07",
        "2023-01-18",
        "2023-11-17",
        "2024-04-04",
        "2024-12-02",
        "2025-01-13",
        "2025-01-16",
        "2025-05-13",
        "2026-01-15",
    ] {
        assert!(have.iter().any(|h| h == want), "missing rule version {want}: {have:?}");
    }
}

#[test]
fn rules_in_force_change_on_the_right_dates() {
    let r = rules();
    let at = |s: &str| r.at(date(s)).unwrap();
    assert!(at("2023-11-16").datacenter_note.is_none());
    assert!(at("2023-11-17").datacenter_note.is_some());
    assert!(at("2024-12-01").hbm_test.is_none());
    assert!(at("2024-12-02").hbm_test.is_some());
    assert!(at("2026-01-14").review_overlays.is_empty());
    assert_eq!(at("2026-01-15").review_overlays.len(), 1);
    // retire removes earlier entries: the 2022 China scope is gone in 2023
    let ids = |s: &str| at(s).destination_scope.iter().map(|x| x.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids("2022-12-31"), ["rs-2022-china"]);
    assert_eq!(ids("2023-06-01"), ["rs-2023-china-macau"]);
    assert!(!ids("2025-02-01").contains(&"rs-2023-d1-d4-d5".to_string()));
    // NAC split into NAC + ACA on 2024-04-04
    let ex = |s: &str| at(s).exceptions.iter().map(|x| x.id.clone()).collect::<Vec<_>>();
    assert!(ex("2024-04-03").contains(&"NAC-no-notification".to_string()));
    assert!(!ex("2024-04-04").contains(&"NAC-no-notification".to_string()));
    assert!(ex("2024-04-04").contains(&"ACA".to_string()));
}

#[test]
fn date_before_the_first_rule_is_no_rule_in_force() {
    let e = rules().at(date("2022-10-06")).unwrap_err();
    match &e {
        Error::NoRuleInForce { date, first } => {
            assert_eq!(date, "2022-10-06");
            assert_eq!(first, "2022-10-07");
        }
        other => panic!("expected NoRuleInForce, got {other}"),
    }
    assert!(rules().at(date("2022-10-07")).is_ok());
    let spec = common::cat("H100");
    assert!(matches!(
        classify(rules(), &spec, date("2021-01-01")),
        Err(Error::NoRuleInForce { .. })
    ));
    assert!(matches!(
        classify_all(rules(), &[spec], date("2021-01-01")),
        Err(Error::NoRuleInForce { .. })
    ));
}

// --------------------------------------------------------------- rejection

#[test]
fn unaltered_files_load() {
    // the baseline for the rejection tests below
    RuleSet::from_files(&disk_files()).unwrap();
}

#[test]
fn rejects_a_missing_citation() {
    let files =
        altered(V2023, |t| replace_once(t, "citation = \"ECCN 3A090.a.2 (88 FR 73458)\"\n", ""));
    assert_rejected(&files, V2023, "citation");
    // a missing citation in a list entry (destination scope)
    let files =
        altered(V2023, |t| replace_once(t, "citation = \"88 FR 73458, §742.6(a)(6)(iii)\"\n", ""));
    assert_rejected(&files, V2023, "citation");
}

#[test]
fn rejects_an_empty_citation() {
    let files = altered(V2023, |t| {
        replace_once(t, "citation = \"ECCN 3A090.a.2 (88 FR 73458)\"", "citation = \"  \"")
    });
    assert_rejected(&files, V2023, "empty citation");
    let files = altered(V2023, |t| {
        replace_once(
            t,
            "citation = \"88 FR 73458, §744.23(a)(3); BIS guidance 2026-05-31\"",
            "citation = \"\"",
        )
    });
    assert_rejected(&files, V2023, "hq-2023: empty citation");
    // and in the other files
    let files = altered("letters.toml", |t| {
        replace_once(t, "citation = \"NVIDIA Form 8-K filed 2022-08-31\"", "citation = \"\"")
    });
    assert_rejected(&files, "letters.toml", "empty citation");
    let files = altered("country_groups.toml", |t| {
        replace_once(
            t,
            "citation = \"15 CFR 740 Supp. No. 1, Country Group A, column [5]\"",
            "citation = \"\"",
        )
    });
    assert_rejected(&files, "country_groups.toml", "empty citation");
}

#[test]
fn rejects_a_missing_evidence_level() {
    let files = altered(V2023, |t| {
        replace_once(
            t,
            "citation = \"ECCN 3A090.a.2 (88 FR 73458)\"\nevidence = \"V\"\n",
            "citation = \"ECCN 3A090.a.2 (88 FR 73458)\"\n",
        )
    });
    assert_rejected(&files, V2023, "evidence");
    // an evidence level that is not one of V/S/R/D
    let files = altered(V2023, |t| {
        replace_once(
            t,
            "citation = \"ECCN 3A090.a.2 (88 FR 73458)\"\nevidence = \"V\"",
            "citation = \"ECCN 3A090.a.2 (88 FR 73458)\"\nevidence = \"X\"",
        )
    });
    assert_rejected(&files, V2023, "evidence");
}

#[test]
fn rejects_an_unknown_field() {
    let files = altered(V2023, |t| {
        replace_once(t, "id = \"3A090.a.2\"\n", "id = \"3A090.a.2\"\ncolour = \"red\"\n")
    });
    assert_rejected(&files, V2023, "colour");
    // a misspelt bound is an unknown field too, not a silently missing bound
    let files = altered(V2023, |t| {
        replace_once(
            t,
            "{ quantity = \"pd\", at_least = \"5.92\" }",
            "{ quantity = \"pd\", atleast = \"5.92\" }",
        )
    });
    assert_rejected(&files, V2023, "atleast");
}

#[test]
fn rejects_an_unknown_country_group() {
    let files = altered(V2023, |t| {
        replace_once(
            t,
            "destinations = { groups = [\"D:1\", \"D:4\", \"D:5\"], countries = [\"MO\"], except_groups = [\"A:5\", \"A:6\"] }",
            "destinations = { groups = [\"D:1\", \"D:4\", \"D:9\"], countries = [\"MO\"], except_groups = [\"A:5\", \"A:6\"] }",
        )
    });
    assert_rejected(&files, V2023, "unknown country group \"D:9\"");
}

#[test]
fn rejects_a_bad_country_code() {
    for bad in ["Macau", "mo", "M0"] {
        let files = altered(V2023, |t| {
            replace_once(
                t,
                "hq = { groups = [\"D:5\"], countries = [\"MO\"] }",
                &format!("hq = {{ groups = [\"D:5\"], countries = [\"{bad}\"] }}"),
            )
        });
        assert_rejected(&files, V2023, "not an ISO alpha-2 code");
    }
    // in the country-group file
    let files =
        altered("country_groups.toml", |t| replace_once(t, "\"CN\", \"CU\"", "\"CHN\", \"CU\""));
    assert_rejected(&files, "country_groups.toml", "not an ISO alpha-2 code");
}

#[test]
fn rejects_a_retire_of_an_unknown_id() {
    let files = altered(V2023, |t| {
        replace_once(
            t,
            "retire = [\"rs-2023-china-macau\",",
            "retire = [\"no-such-entry\", \"rs-2023-china-macau\",",
        )
    });
    assert_rejected(&files, V2023, "no-such-entry");
    // retiring an entry that only appears LATER is also unknown
    let files = altered(V2023, |t| {
        replace_once(
            t,
            "retire = [\"rs-2023-china-macau\",",
            "retire = [\"ACA\", \"rs-2023-china-macau\",",
        )
    });
    assert_rejected(&files, V2023, "\"ACA\"");
}

#[test]
fn rejects_a_folder_that_is_not_the_effective_date() {
    let mut files = disk_files();
    let f = files.iter_mut().find(|(p, _)| p == V2023).unwrap();
    f.0 = "versions/2023-11-18/rule.toml".into();
    assert_rejected(&files, "versions/2023-11-18/rule.toml", "folder name");
}

#[test]
fn rejects_a_condition_without_a_bound_and_a_duplicate_id() {
    let files = altered(V2023, |t| {
        replace_once(t, "{ quantity = \"pd\", at_least = \"5.92\" }", "{ quantity = \"pd\" }")
    });
    assert_rejected(&files, V2023, "no bound");
    let files = altered(V2023, |t| {
        replace_once(t, "id = \"rp-2023-d5-macau\"", "id = \"rp-2023-hq-in-d5\"")
    });
    assert_rejected(&files, V2023, "duplicate entry id");
}

// ------------------------------------------------------------ country groups

#[test]
fn nicaragua_joins_d5_on_2024_03_15() {
    let g = &rules().groups;
    assert!(!g.in_group("D:5", "NI", date("2024-03-14")));
    assert!(g.in_group("D:5", "NI", date("2024-03-15")));
    assert!(g.in_group("D:5", "NI", date("2026-11-29")));
    assert!(!g.in_group("D:1", "NI", date("2024-03-14")));
    assert!(g.in_group("D:1", "NI", date("2024-03-15")));
}

#[test]
fn uae_moves_from_d4_to_a5_on_2026_07_10() {
    let g = &rules().groups;
    assert!(g.in_group("D:4", "AE", date("2026-07-09")));
    assert!(!g.in_group("A:5", "AE", date("2026-07-09")));
    assert!(!g.in_group("D:4", "AE", date("2026-07-10")));
    assert!(g.in_group("A:5", "AE", date("2026-07-10")));
    assert!(g.in_group("D:4", "AE", date("2022-10-07")));
}

#[test]
fn cambodia_leaves_d5_on_the_state_department_date() {
    let g = &rules().groups;
    assert!(g.in_group("D:5", "KH", date("2024-01-01")));
    assert!(g.in_group("D:5", "KH", date("2025-11-06")));
    assert!(!g.in_group("D:5", "KH", date("2025-11-07")));
    assert!(!g.in_group("D:5", "KH", date("2026-02-03")));
    // stays in D:1
    assert!(g.in_group("D:1", "KH", date("2026-07-23")));
    // between the State date and BIS's conforming rule a caveat is reported
    assert!(!g.caveats("KH", date("2025-12-01")).is_empty());
    assert!(g.caveats("KH", date("2025-11-06")).is_empty());
    assert!(g.caveats("KH", date("2026-02-03")).is_empty());
}

#[test]
fn snapshot_members_and_hong_kong() {
    let g = &rules().groups;
    let d = date("2024-01-01");
    for c in ["CN", "RU", "IR", "KP", "VE"] {
        assert!(g.in_group("D:5", c, d), "{c} in D:5");
    }
    assert!(
        g.in_group("D:1", "MO", d) && g.in_group("D:4", "MO", d) && !g.in_group("D:5", "MO", d)
    );
    assert!(g.in_group("A:6", "SG", d) && g.in_group("A:6", "IL", d) && g.in_group("D:4", "IL", d));
    assert!(!g.in_group("D:5", "US", d) && g.groups_of("US", d).is_empty());
    let (n, alias) = g.normalize_destination("HK", d);
    assert_eq!(n, "CN");
    assert!(alias.is_some());
    assert_eq!(g.normalize_destination("SG", d).0, "SG");
}

/// Exact membership of every group on `day`, over all 676 two-letter codes.
fn members(group: &str, day: &str) -> Vec<String> {
    let g = &rules().groups;
    let mut out = Vec::new();
    for a in b'A'..=b'Z' {
        for b in b'A'..=b'Z' {
            let code = String::from_utf8(vec![a, b]).unwrap();
            if g.in_group(group, &code, date(day)) {
                out.push(code);
            }
        }
    }
    out
}

fn list(s: &str) -> Vec<String> {
    s.split(", ").map(String::from).collect()
}

#[test]
fn groups_match_the_section_5_snapshot_of_2026_07_23() {
    // export-rules.md §5 table (eCFR issue of 2026-07-23)
    let day = "2026-07-23";
    assert_eq!(
        members("A:5", day),
        list(
            "AE, AR, AT, AU, BE, BG, CA, CH, CZ, DE, DK, EE, ES, FI, FR, GB, GR, HR, HU, IE, IN, IS, IT, JP, KR, LT, LU, LV, NL, NO, NZ, PL, PT, RO, SE, SI, SK, TR"
        )
    );
    assert_eq!(members("A:6", day), list("AL, CY, IL, MT, MX, SG, TW, ZA"));
    assert_eq!(
        members("D:1", day),
        list(
            "AM, AZ, BY, CN, GE, IQ, KG, KH, KP, KZ, LA, LY, MD, MM, MN, MO, NI, RU, TJ, TM, UZ, VE, VN, YE"
        )
    );
    assert_eq!(
        members("D:4", day),
        list("BH, BY, CN, EG, IL, IQ, IR, JO, KP, KW, LB, LY, MO, OM, PK, QA, RU, SA, SY, VE, YE")
    );
    assert_eq!(
        members("D:5", day),
        list(
            "AF, BY, CD, CF, CN, CU, ER, HT, IQ, IR, KP, LB, LY, MM, NI, RU, SD, SO, SS, SY, VE, ZW"
        )
    );
    assert_eq!(members("E:1", day), list("IR, KP, SY"));
    assert_eq!(members("E:2", day), list("CU"));
    // and the dated differences before the changes
    let d5_2024 = members("D:5", "2024-03-14");
    assert!(d5_2024.contains(&"KH".to_string()) && !d5_2024.contains(&"NI".to_string()));
    assert!(members("D:4", "2026-07-09").contains(&"AE".to_string()));
}

// ------------------------------------------------------------------ letters

#[test]
fn every_letter_names_catalog_items() {
    let ids: Vec<&str> = catalog().entries().iter().map(|e| e.id.as_str()).collect();
    assert!(!rules().letters.is_empty());
    for l in &rules().letters {
        assert!(!l.items.is_empty(), "{}", l.id);
        assert!(!l.citation.trim().is_empty(), "{}", l.id);
        for it in &l.items {
            assert!(ids.contains(&it.as_str()), "letter {}: item {it:?} is not a catalog id", l.id);
        }
        if let Some(to) = l.to {
            assert!(to >= l.from, "{}", l.id);
        }
    }
}

// ------------------------------------------------------------------ catalog

#[test]
fn catalog_has_at_least_60_sourced_rows() {
    let c = catalog();
    assert!(c.len() >= 60, "{} rows", c.len());
    assert_eq!(c.len(), 67, "docs/catalog.md documents 67 rows");
    let ics = c.entries().iter().filter(|e| e.kind == CatalogKind::Ic).count();
    assert_eq!((ics, c.len() - ics), (63, 4), "63 ICs and 4 systems (docs/catalog.md)");
    for e in c.entries() {
        assert!(!e.sources.trim().is_empty(), "{}: no sources", e.id);
        assert!(!e.vendor.trim().is_empty() && !e.model.trim().is_empty(), "{}", e.id);
        assert!(
            e.id.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-'),
            "{}",
            e.id
        );
        if e.kind == CatalogKind::System {
            assert!(!e.contains.is_empty(), "{}", e.id);
        }
    }
}

#[test]
fn catalog_lookups_resolve_to_the_right_rows() {
    for (q, id) in [
        ("H100 SXM", "h100-sxm5-80gb"),
        ("h100-sxm", "h100-sxm5-80gb"),
        ("NVIDIA H100", "h100-sxm5-80gb"),
        ("H100", "h100-sxm5-80gb"),
        ("H100 PCIe", "h100-pcie-80gb"),
        ("RTX 4090", "rtx-4090"),
        ("GeForce RTX 4090", "rtx-4090"),
        ("A800", "a800-sxm4-80gb"),
        ("A800 PCIe", "a800-pcie-80gb"),
        ("H800", "h800-sxm5-80gb"),
        ("H20", "h20-96gb"),
        ("HGX H20 baseboard", "hgx-h20-8gpu"),
        ("MI300X", "mi300x"),
        ("AMD MI300X", "mi300x"),
        ("Gaudi 3", "gaudi3-hl-325l"),
        ("910B", "ascend-910b"),
        ("Huawei Ascend 910B", "ascend-910b"),
        ("DGX H100", "dgx-h100"),
    ] {
        let e = catalog().find(q).unwrap_or_else(|e| panic!("{q:?}: {e}"));
        assert_eq!(e.id, id, "{q:?}");
    }
}

#[test]
fn unknown_chip_gives_suggestions() {
    match catalog().find("RTX 4909") {
        Err(Error::UnknownChip { name, suggestions }) => {
            assert_eq!(name, "RTX 4909");
            assert!(suggestions.iter().any(|s| s.contains("4090")), "{suggestions:?}");
        }
        other => panic!("expected UnknownChip, got {other:?}"),
    }
    match catalog().find("H100 SXM5 80GX") {
        Err(Error::UnknownChip { suggestions, .. }) => {
            assert!(suggestions.iter().any(|s| s == "H100 SXM5 80GB"), "{suggestions:?}")
        }
        other => panic!("expected UnknownChip, got {other:?}"),
    }
    // nothing close: no suggestions, but still UnknownChip
    match catalog().find("Zzyzx Quantum 9000") {
        Err(e @ Error::UnknownChip { .. }) => assert!(e.to_string().contains("Zzyzx")),
        other => panic!("expected UnknownChip, got {other:?}"),
    }
    assert!(catalog().spec_for("RTX 4909").is_err());
}

/// IC rows documented (docs/catalog.md "Caveats") as having no public dense
/// throughput, so TPP needs user input.
const NO_DENSE_FIGURES: &[&str] = &["mi308x"];

#[test]
fn whole_catalog_classifies_on_2026_11_29() {
    let c = catalog();
    let specs: Vec<_> = c.entries().iter().map(|e| c.spec(e).unwrap()).collect();
    let day = date("2026-11-29");
    let all = classify_all(rules(), &specs, day).unwrap();
    assert_eq!(all.len(), c.len());
    let mut counts = std::collections::BTreeMap::new();
    for (i, (e, r)) in c.entries().iter().zip(&all).enumerate() {
        assert_eq!(r.catalog_id.as_deref(), Some(e.id.as_str()));
        assert_eq!(r.rule_version, "2026-07-10");
        *counts.entry(r.classification).or_insert(0) += 1;
        match e.kind {
            CatalogKind::Ic if NO_DENSE_FIGURES.contains(&e.id.as_str()) => {
                assert!(
                    e.dense.is_empty(),
                    "{} now has figures: drop it from NO_DENSE_FIGURES",
                    e.id
                );
                assert_eq!(r.tpp, None, "{}", e.id);
            }
            CatalogKind::Ic => {
                assert!(
                    r.tpp.is_some_and(|t| t > chiptrace_rules::Decimal::ZERO),
                    "{}: no TPP",
                    e.id
                );
                assert!(!r.tpp_terms.is_empty(), "{}", e.id);
            }
            CatalogKind::System => {
                assert_eq!(r.kind, "system");
                assert!(r.system_tpp.is_some(), "{}", e.id);
            }
        }
        // one at a time gives the same answer
        let one = classify(rules(), &specs[i], day).unwrap();
        assert_eq!(&one, r, "{}", e.id);
    }
    // sanity: the catalog is mostly controlled ICs, with some of each outcome
    assert!(counts.get(&Outcome::A).copied().unwrap_or(0) >= 30, "{counts:?}");
    assert!(counts.get(&Outcome::B).copied().unwrap_or(0) >= 2, "{counts:?}");
    assert!(counts.get(&Outcome::NotControlled).copied().unwrap_or(0) >= 3, "{counts:?}");
    let by_id = |id: &str| &all[c.entries().iter().position(|e| e.id == id).unwrap()];
    for (id, want) in [
        ("dgx-h100", Outcome::SysA),
        ("gaming-pc-rtx-4090", Outcome::SysA),
        ("server-8x-l40", Outcome::SysB),
        ("hgx-h20-8gpu", Outcome::NotControlled),
        ("h20-96gb", Outcome::NotControlled),
        ("l40", Outcome::B),
        ("rtx-4090d", Outcome::NotControlled),
        ("mtt-s4000", Outcome::Indeterminate),
        ("mi308x", Outcome::Indeterminate),
    ] {
        assert_eq!(by_id(id).classification, want, "{id}");
    }
    for r in all.iter().filter(|r| r.classification == Outcome::Indeterminate) {
        assert!(!r.missing.is_empty(), "{}: indeterminate without a missing input", r.item);
    }
}
