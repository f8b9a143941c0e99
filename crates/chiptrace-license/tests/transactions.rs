//! Transaction fixtures: `tests/transactions/NN-name.json` (a transaction
//! document, exactly as `chiptrace decide --input` reads it) with its
//! expectations in `NN-name.expect.json`. Each expectation cites the section
//! of shared/design/export-rules.md it comes from; the fixtures expect the
//! answer the reference gives, not whatever the engine currently says.
//!
//! Expect file fields (all optional except `license_required` and `why`;
//! unknown fields are rejected so a typo cannot silently disable a check):
//!
//! - `license_required`: "yes" | "no" | "indeterminate".
//! - `why`: one sentence citing the export-rules.md section(s).
//! - `requirement_paragraphs`: each must equal the `paragraph` of an
//!   enforced requirement; `requirement_paragraphs_absent`: none may.
//! - `requirement_rules` / `requirement_rules_absent`: rule-id *prefixes*
//!   (e.g. "hq-" = any headquarters rule, "rs-" = any destination-scope row)
//!   that must / must not match an enforced requirement.
//! - `requirement_texts_contain`, `requirement_parties`: substrings of an
//!   enforced requirement's `text` / exact `party` names.
//! - `exceptions`: id → "available" | "not_available" | "indeterminate" |
//!   "not_enforced" | "absent" (no row) | "unavailable" (no row, or
//!   "not_available": the exception definitely cannot be used).
//! - `exceptions_none_available`: no exception row is "available".
//! - `exception_notification_days`, `exception_aes_codes`: id → value (the
//!   row must exist).
//! - `review_policy`: "presumption_of_denial" | "case_by_case" |
//!   "presumption_of_approval" | "none" (no review policy reported);
//!   `review_disputed`, `review_has_conditions`: booleans;
//!   `review_basis_rules` / `review_basis_rules_absent`: basis rule-id prefixes.
//! - `missing_contain`, `warnings_contain`: substrings of some entry.
//! - `informational_rules` (id prefixes) / `informational_paragraphs`: must
//!   appear in `informational`, with `enforced: false`.
//! - `destination_treated_as`: e.g. "CN" for Hong Kong.
//! - `item_classifications`: per item, in order ("3A090.a", "4A090.a",
//!   "3A090.c", "not_controlled", ...); `item_eccns`: per item, the ECCN
//!   after .z routing (e.g. "5A992.z.1").
//!
//! Set `CHIPTRACE_FIXTURE_DUMP=1` to print the engine's answer for every
//! fixture (`cargo test -p chiptrace-license --test transactions -- --nocapture`).
//!
//! Invariants checked for every fixture: a "yes" names at least one
//! requirement (paragraph or rule) it expects; "yes" has an enforced
//! requirement; "no" has none and nothing missing; "indeterminate" lists
//! what is missing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chiptrace_license::{Transaction, decide};
use chiptrace_rules::{Catalog, RuleSet, parse_date};
use serde::Deserialize;
use serde_json::Value;

/// Used only when a fixture has no date (all fixtures here have one).
const DEFAULT_DATE: &str = "2026-07-23";
/// The issue asks for at least this many fixture pairs.
const MIN_FIXTURES: usize = 30;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    license_required: String,
    why: String,
    #[serde(default)]
    requirement_paragraphs: Vec<String>,
    #[serde(default)]
    requirement_paragraphs_absent: Vec<String>,
    #[serde(default)]
    requirement_rules: Vec<String>,
    #[serde(default)]
    requirement_rules_absent: Vec<String>,
    #[serde(default)]
    requirement_texts_contain: Vec<String>,
    #[serde(default)]
    requirement_parties: Vec<String>,
    #[serde(default)]
    exceptions: BTreeMap<String, String>,
    #[serde(default)]
    exceptions_none_available: Option<bool>,
    #[serde(default)]
    exception_notification_days: BTreeMap<String, u64>,
    #[serde(default)]
    exception_aes_codes: BTreeMap<String, String>,
    #[serde(default)]
    review_policy: Option<String>,
    #[serde(default)]
    review_disputed: Option<bool>,
    #[serde(default)]
    review_has_conditions: Option<bool>,
    #[serde(default)]
    review_basis_rules: Vec<String>,
    #[serde(default)]
    review_basis_rules_absent: Vec<String>,
    #[serde(default)]
    missing_contain: Vec<String>,
    #[serde(default)]
    warnings_contain: Vec<String>,
    #[serde(default)]
    informational_rules: Vec<String>,
    #[serde(default)]
    informational_paragraphs: Vec<String>,
    #[serde(default)]
    destination_treated_as: Option<String>,
    #[serde(default)]
    item_classifications: Vec<String>,
    #[serde(default)]
    item_eccns: Vec<String>,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transactions")
}

fn rules() -> &'static RuleSet {
    static R: OnceLock<RuleSet> = OnceLock::new();
    R.get_or_init(|| RuleSet::embedded().expect("embedded rules load"))
}

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| Catalog::embedded().expect("embedded catalog loads"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn arr(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// Enforced requirement rows.
fn enforced(d: &Value) -> Vec<&Value> {
    arr(&d["requirements"]).iter().filter(|r| r["enforced"] == Value::Bool(true)).collect()
}

/// Compact view of a decision for failure messages.
fn digest(d: &Value) -> String {
    let reqs: Vec<String> = arr(&d["requirements"])
        .iter()
        .map(|r| {
            format!(
                "{} [{}]{}{}",
                s(&r["paragraph"]),
                s(&r["rule"]),
                if r["enforced"] == Value::Bool(true) { "" } else { " (not enforced)" },
                r["party"].as_str().map(|p| format!(" party={p}")).unwrap_or_default()
            )
        })
        .collect();
    let exc: Vec<String> = arr(&d["exceptions"])
        .iter()
        .map(|e| format!("{}={}", s(&e["id"]), s(&e["status"])))
        .collect();
    let info: Vec<String> = arr(&d["informational"])
        .iter()
        .map(|r| format!("{} [{}] enforced={}", s(&r["paragraph"]), s(&r["rule"]), r["enforced"]))
        .collect();
    let items: Vec<String> = arr(&d["items"])
        .iter()
        .map(|i| format!("{}: {}", s(&i["label"]), s(&i["classification"])))
        .collect();
    let rp = &d["review_policy"];
    let basis: Vec<String> = arr(&rp["basis"])
        .iter()
        .map(|b| format!("{}={}", s(&b["rule"]), s(&b["policy"])))
        .collect();
    format!(
        "  engine says: license_required={} — {}\n  rule_version={} destination_treated_as={}\n  items: {}\n  requirements: {}\n  exceptions: {}\n  review_policy: {} (disputed={}, conditions={}, basis: {})\n  missing: {}\n  informational: {}\n  warnings: {}",
        s(&d["license_required"]),
        s(&d["summary"]),
        s(&d["rule_version"]),
        s(&d["destination_treated_as"]),
        items.join("; "),
        reqs.join("; "),
        exc.join(", "),
        if rp.is_null() { "none" } else { s(&rp["policy"]) },
        rp["disputed"],
        arr(&rp["conditions"]).len(),
        basis.join(", "),
        arr(&d["missing"]).iter().map(s).collect::<Vec<_>>().join("; "),
        info.join("; "),
        arr(&d["warnings"]).iter().map(s).collect::<Vec<_>>().join("; "),
    )
}

fn check(e: &Expect, d: &Value) -> Vec<String> {
    let mut f: Vec<String> = Vec::new();
    let answer = s(&d["license_required"]);
    let reqs = enforced(d);

    // The expectation itself must be meaningful.
    if !e.why.contains("export-rules.md §") {
        f.push("expect.why must cite an export-rules.md section (\"export-rules.md §…\")".into());
    }
    if !["yes", "no", "indeterminate"].contains(&e.license_required.as_str()) {
        f.push(format!(
            "expect.license_required {:?} is not yes|no|indeterminate",
            e.license_required
        ));
    }
    if e.license_required == "yes"
        && e.requirement_paragraphs.is_empty()
        && e.requirement_rules.is_empty()
    {
        f.push("a \"yes\" expectation must name the requirement (requirement_paragraphs or requirement_rules)".into());
    }

    if answer != e.license_required {
        f.push(format!("license_required: expected {}, engine says {answer}", e.license_required));
    }
    // Invariants of the answer.
    match answer {
        "yes" if reqs.is_empty() => {
            f.push("answer is yes but no enforced requirement is listed".into())
        }
        "no" if !reqs.is_empty() || !arr(&d["missing"]).is_empty() => {
            f.push("answer is no but enforced requirements or missing inputs are listed".into())
        }
        "indeterminate" if arr(&d["missing"]).is_empty() => {
            f.push("answer is indeterminate but nothing is listed as missing".into())
        }
        _ => {}
    }

    for p in &e.requirement_paragraphs {
        if !reqs.iter().any(|r| s(&r["paragraph"]) == p) {
            f.push(format!("expected an enforced requirement with paragraph {p:?}"));
        }
    }
    for p in &e.requirement_paragraphs_absent {
        if reqs.iter().any(|r| s(&r["paragraph"]) == p) {
            f.push(format!("expected no enforced requirement with paragraph {p:?}"));
        }
    }
    for id in &e.requirement_rules {
        if !reqs.iter().any(|r| s(&r["rule"]).starts_with(id.as_str())) {
            f.push(format!("expected an enforced requirement whose rule id starts with {id:?}"));
        }
    }
    for id in &e.requirement_rules_absent {
        if let Some(r) = reqs.iter().find(|r| s(&r["rule"]).starts_with(id.as_str())) {
            f.push(format!(
                "expected no enforced requirement whose rule id starts with {id:?}, found {} ({})",
                s(&r["rule"]),
                s(&r["paragraph"])
            ));
        }
    }
    for t in &e.requirement_texts_contain {
        if !reqs.iter().any(|r| s(&r["text"]).contains(t.as_str())) {
            f.push(format!("expected an enforced requirement whose text contains {t:?}"));
        }
    }
    for p in &e.requirement_parties {
        if !reqs.iter().any(|r| s(&r["party"]) == p) {
            f.push(format!("expected an enforced requirement naming the party {p:?}"));
        }
    }

    let exc = arr(&d["exceptions"]);
    let row = |id: &str| exc.iter().find(|x| s(&x["id"]) == id);
    for (id, want) in &e.exceptions {
        let got = row(id).map(|x| s(&x["status"]));
        let ok = match want.as_str() {
            "absent" => got.is_none(),
            "unavailable" => matches!(got, None | Some("not_available")),
            "available" | "not_available" | "indeterminate" | "not_enforced" => {
                got == Some(want.as_str())
            }
            other => {
                f.push(format!("expect.exceptions[{id}]: unknown status {other:?}"));
                true
            }
        };
        if !ok {
            f.push(format!(
                "exception {id}: expected {want}, engine says {}",
                got.map_or("absent (no row)".to_string(), str::to_string)
            ));
        }
    }
    if e.exceptions_none_available == Some(true) {
        for x in exc.iter().filter(|x| s(&x["status"]) == "available") {
            f.push(format!("expected no available exception, but {} is available", s(&x["id"])));
        }
    }
    for (id, days) in &e.exception_notification_days {
        match row(id) {
            None => f.push(format!("exception {id}: expected notification_days {days}, no row")),
            Some(x) if x["notification_days"].as_u64() != Some(*days) => f.push(format!(
                "exception {id}: expected notification_days {days}, engine says {}",
                x["notification_days"]
            )),
            _ => {}
        }
    }
    for (id, code) in &e.exception_aes_codes {
        match row(id) {
            None => f.push(format!("exception {id}: expected AES code {code}, no row")),
            Some(x) if s(&x["aes_code"]) != code => f.push(format!(
                "exception {id}: expected AES code {code}, engine says {}",
                x["aes_code"]
            )),
            _ => {}
        }
    }

    let rp = &d["review_policy"];
    if let Some(want) = &e.review_policy {
        let got = if rp.is_null() { "none" } else { s(&rp["policy"]) };
        if got != want {
            f.push(format!("review_policy: expected {want}, engine says {got}"));
        }
    }
    if let Some(want) = e.review_disputed {
        let got = rp["disputed"].as_bool().unwrap_or(false);
        if got != want {
            f.push(format!("review_policy.disputed: expected {want}, engine says {got}"));
        }
    }
    if let Some(want) = e.review_has_conditions {
        let got = !arr(&rp["conditions"]).is_empty();
        if got != want {
            f.push(format!(
                "review_policy.conditions non-empty: expected {want}, engine says {got}"
            ));
        }
    }
    let basis = arr(&rp["basis"]);
    for id in &e.review_basis_rules {
        if !basis.iter().any(|b| s(&b["rule"]).starts_with(id.as_str())) {
            f.push(format!("expected a review-policy basis whose rule id starts with {id:?}"));
        }
    }
    for id in &e.review_basis_rules_absent {
        if basis.iter().any(|b| s(&b["rule"]).starts_with(id.as_str())) {
            f.push(format!("expected no review-policy basis whose rule id starts with {id:?}"));
        }
    }

    for m in &e.missing_contain {
        if !arr(&d["missing"]).iter().any(|x| s(x).contains(m.as_str())) {
            f.push(format!("expected a missing input mentioning {m:?}"));
        }
    }
    for w in &e.warnings_contain {
        if !arr(&d["warnings"]).iter().any(|x| s(x).contains(w.as_str())) {
            f.push(format!("expected a warning mentioning {w:?}"));
        }
    }
    let info = arr(&d["informational"]);
    for id in &e.informational_rules {
        match info.iter().find(|r| s(&r["rule"]).starts_with(id.as_str())) {
            None => {
                f.push(format!("expected an informational row whose rule id starts with {id:?}"))
            }
            Some(r) if r["enforced"] != Value::Bool(false) => f.push(format!(
                "informational row {} must be marked enforced: false, engine says {}",
                s(&r["rule"]),
                r["enforced"]
            )),
            _ => {}
        }
    }
    for p in &e.informational_paragraphs {
        match info.iter().find(|r| s(&r["paragraph"]) == p) {
            None => f.push(format!("expected an informational row with paragraph {p:?}")),
            Some(r) if r["enforced"] != Value::Bool(false) => f.push(format!(
                "informational row {p} must be marked enforced: false, engine says {}",
                r["enforced"]
            )),
            _ => {}
        }
    }
    if let Some(want) = &e.destination_treated_as
        && s(&d["destination_treated_as"]) != want
    {
        f.push(format!(
            "destination_treated_as: expected {want}, engine says {}",
            d["destination_treated_as"]
        ));
    }
    if !e.item_classifications.is_empty() {
        let got: Vec<&str> = arr(&d["items"]).iter().map(|i| s(&i["classification"])).collect();
        if got != e.item_classifications.iter().map(String::as_str).collect::<Vec<_>>() {
            f.push(format!(
                "item classifications: expected {:?}, engine says {got:?}",
                e.item_classifications
            ));
        }
    }
    if !e.item_eccns.is_empty() {
        let got: Vec<&str> = arr(&d["items"]).iter().map(|i| s(&i["eccn"])).collect();
        if got != e.item_eccns.iter().map(String::as_str).collect::<Vec<_>>() {
            f.push(format!("item ECCNs: expected {:?}, engine says {got:?}", e.item_eccns));
        }
    }
    f
}

fn run_fixture(name: &str) {
    let tx_path = dir().join(format!("{name}.json"));
    let ex_path = dir().join(format!("{name}.expect.json"));
    assert!(ex_path.is_file(), "{name}: missing expect file {}", ex_path.display());
    let e: Expect = serde_json::from_str(&read(&ex_path))
        .unwrap_or_else(|err| panic!("{name}: bad expect file: {err}"));
    let resolve = |n: &str| catalog().spec_for(n);
    let tx = Transaction::from_json(&read(&tx_path), &resolve)
        .unwrap_or_else(|err| panic!("{name}: transaction rejected: {err}"));
    let default = parse_date("date", DEFAULT_DATE).expect("default date");
    let decision =
        decide(rules(), &tx, default).unwrap_or_else(|err| panic!("{name}: decide failed: {err}"));
    let d = serde_json::to_value(&decision).expect("decision serializes");
    if std::env::var_os("CHIPTRACE_FIXTURE_DUMP").is_some() {
        eprintln!("=== {name}\n{}", digest(&d));
    }
    let failures = check(&e, &d);
    assert!(
        failures.is_empty(),
        "fixture {name} disagrees with its expectation ({}):\n  - {}\n{}",
        e.why,
        failures.join("\n  - "),
        digest(&d)
    );
}

macro_rules! fixtures {
    ($($test:ident => $name:literal,)*) => {
        $(
            #[test]
            fn $test() {
                run_fixture($name);
            }
        )*
        /// Every fixture with its own test, so each one passes or fails alone.
        const LISTED: &[&str] = &[$($name),*];
    };
}

fixtures! {
    f01_rtx4090_vietnam_2024_04_04_aca => "01-rtx4090-vietnam-2024-04-04-aca",
    f02_rtx4090_vietnam_2024_04_03_nac_no_notification => "02-rtx4090-vietnam-2024-04-03-nac-no-notification",
    f03_h100_kazakhstan_2024_06 => "03-h100-kazakhstan-2024-06",
    f04_rtx4090_saudi_2024_09_aca => "04-rtx4090-saudi-2024-09-aca",
    f05_b_level_uae_2026_07_01 => "05-b-level-uae-2026-07-01",
    f06_b_level_uae_2026_07_15 => "06-b-level-uae-2026-07-15",
    f07_h100_uae_2026_07_15 => "07-h100-uae-2026-07-15",
    f08_h100_uae_approved_entity_2026_07_15 => "08-h100-uae-approved-entity-2026-07-15",
    f09_h100_china_2024_01_cset => "09-h100-china-2024-01-cset",
    f10_rtx4090_china_2024_06_nac => "10-rtx4090-china-2024-06-nac",
    f11_gaming_pc_rtx4090_china_2025_06_nac => "11-gaming-pc-rtx4090-china-2025-06-nac",
    f12_rtx4090_russia_embargo => "12-rtx4090-russia-embargo",
    f13_rtx4090_iran_embargo => "13-rtx4090-iran-embargo",
    f14_gaming_pc_cuba_embargo_2025_06 => "14-gaming-pc-cuba-embargo-2025-06",
    f15_t4_north_korea_embargo => "15-t4-north-korea-embargo",
    f16_h100_macau_2023_01_17 => "16-h100-macau-2023-01-17",
    f17_h100_macau_2023_01_18 => "17-h100-macau-2023-01-18",
    f18_h100_hongkong_2024_06 => "18-h100-hongkong-2024-06",
    f19_h100_germany_2024_06 => "19-h100-germany-2024-06",
    f20_h100_singapore_2024_06 => "20-h100-singapore-2024-06",
    f21_h100_israel_2024_06 => "21-h100-israel-2024-06",
    f22_b200_taiwan_2025_06 => "22-b200-taiwan-2025-06",
    f23_h100_brazil_2025_06_diffusion_informational => "23-h100-brazil-2025-06-diffusion-informational",
    f24_h100_brazil_2025_06_enforce_diffusion => "24-h100-brazil-2025-06-enforce-diffusion",
    f25_rtx4090_cambodia_2025_06_nac => "25-rtx4090-cambodia-2025-06-nac",
    f26_rtx4090_cambodia_2025_12_aca => "26-rtx4090-cambodia-2025-12-aca",
    f27_h100_nicaragua_2024_03_14 => "27-h100-nicaragua-2024-03-14",
    f28_h100_nicaragua_2024_03_15 => "28-h100-nicaragua-2024-03-15",
    f29_a800_china_2023_06_01 => "29-a800-china-2023-06-01",
    f30_h800_china_2023_06_01 => "30-h800-china-2023-06-01",
    f31_a800_china_2024_01_01 => "31-a800-china-2024-01-01",
    f32_h800_china_2024_01_01 => "32-h800-china-2024-01-01",
    f33_a100_h100_china_2023_06_01 => "33-a100-h100-china-2023-06-01",
    f34_rtx4090_china_2023_11_16 => "34-rtx4090-china-2023-11-16",
    f35_rtx4090_china_2023_11_17 => "35-rtx4090-china-2023-11-17",
    f36_h100_chinese_parent_malaysia_2023_06_01 => "36-h100-chinese-parent-malaysia-2023-06-01",
    f37_h100_chinese_parent_malaysia_2023_11_17 => "37-h100-chinese-parent-malaysia-2023-11-17",
    f38_h100_tencent_germany_2024_01_cset => "38-h100-tencent-germany-2024-01-cset",
    f39_h100_chinese_parent_singapore_2025_06 => "39-h100-chinese-parent-singapore-2025-06",
    f40_b_level_chinese_parent_malaysia_2025_06 => "40-b-level-chinese-parent-malaysia-2025-06",
    f41_h100_malaysia_unknown_hq_2024_06 => "41-h100-malaysia-unknown-hq-2024-06",
    f42_h100_vietnam_unknown_hq_2024_06 => "42-h100-vietnam-unknown-hq-2024-06",
    f43_h100_entity_list_singapore_2025_06 => "43-h100-entity-list-singapore-2025-06",
    f44_t4_entity_list_malaysia => "44-t4-entity-list-malaysia",
    f45_rtx4090_entity_list_uae_2025_06 => "45-rtx4090-entity-list-uae-2025-06",
    f46_rtx4090_entity_list_hongkong_2024_06 => "46-rtx4090-entity-list-hongkong-2024-06",
    f47_h100_potential_list_hit_singapore => "47-h100-potential-list-hit-singapore",
    f48_t4_china_no_declared_end_use => "48-t4-china-no-declared-end-use",
    f49_t4_supercomputer_china => "49-t4-supercomputer-china",
    f50_ascend_910b_malaysia_2025_05_01 => "50-ascend-910b-malaysia-2025-05-01",
    f51_ascend_910b_malaysia_2025_06_01 => "51-ascend-910b-malaysia-2025-06-01",
    f52_h20_china_2025_05_01_nvidia_letter => "52-h20-china-2025-05-01-nvidia-letter",
    f53_h20_china_2025_05_01_other_exporter => "53-h20-china-2025-05-01-other-exporter",
    f54_affiliate_60pct_owned_2026_01_01_suspended => "54-affiliate-60pct-owned-2026-01-01-suspended",
    f55_affiliate_60pct_owned_2026_11_29_applies => "55-affiliate-60pct-owned-2026-11-29-applies",
    f56_hbm_china_2024_12_01 => "56-hbm-china-2024-12-01",
    f57_hbm_china_2024_12_02 => "57-hbm-china-2024-12-02",
    f58_hbm_vietnam_2025_06 => "58-hbm-vietnam-2025-06",
    f59_rtx4090_baidu_vietnam_2024_06_cset_discrepancy => "59-rtx4090-baidu-vietnam-2024-06-cset-discrepancy",
    f60_rtx4090_bytedance_uk_2024_06_cset_discrepancy => "60-rtx4090-bytedance-uk-2024-06-cset-discrepancy",
    f61_h100_ovhcloud_saudi_2024_01_cset => "61-h100-ovhcloud-saudi-2024-01-cset",
    f62_h100_alibaba_saudi_2024_01_cset => "62-h100-alibaba-saudi-2024-01-cset",
    f63_h100_us_export_china_2026_02_01_overlay => "63-h100-us-export-china-2026-02-01-overlay",
    f64_b200_us_export_china_2026_02_01_outside_zone => "64-b200-us-export-china-2026-02-01-outside-zone",
    f65_h100_reexport_singapore_china_2026_02_01 => "65-h100-reexport-singapore-china-2026-02-01",
    f66_rtx4090_in_country_transfer_china_2024_06 => "66-rtx4090-in-country-transfer-china-2024-06",
    f67_dgx_h100_saudi_2025_06 => "67-dgx-h100-saudi-2025-06",
    f68_h100_spec_no_dram_bandwidth_china_2026_02 => "68-h100-spec-no-dram-bandwidth-china-2026-02",
    f69_rtx6000ada_china_datacenter_unknown_2024_06 => "69-rtx6000ada-china-datacenter-unknown-2024-06",
    f70_mtt_s4000_vietnam_no_die_area_2024_06 => "70-mtt-s4000-vietnam-no-die-area-2024-06",
    f71_h100_hongkong_parent_singapore_2024_06 => "71-h100-hongkong-parent-singapore-2024-06",
    f72_rtx4090_macau_parent_vietnam_2024_06 => "72-rtx4090-macau-parent-vietnam-2024-06",
    f73_rtx4090_macau_2024_06_nac => "73-rtx4090-macau-2024-06-nac",
    f74_t4_affiliate_aggregate_50pct_2026_12_01 => "74-t4-affiliate-aggregate-50pct-2026-12-01",
    f75_rtx4090_unverified_list_vietnam_2024_06 => "75-rtx4090-unverified-list-vietnam-2024-06",
    f76_rtx4090_as_5a992_china_2024_06_z_routing => "76-rtx4090-as-5a992-china-2024-06-z-routing",
    f77_hbm_low_density_china_2025_01 => "77-hbm-low-density-china-2025-01",
    f78_h100_no_end_user_germany_2024_06 => "78-h100-no-end-user-germany-2024-06",
    f79_h100_shipto_singapore_end_user_in_china => "79-h100-shipto-singapore-end-user-in-china-2024-06",
    f80_rtx4090_nac_no_notification_not_for_cn_parent => "80-rtx4090-nac-no-notification-not-for-cn-parent-vietnam-2024-01",
    f81_entity_list_mixed_policy_text => "81-entity-list-mixed-policy-text-china-2024-06",
    f82_letter_needs_whole_word_addressee => "82-letter-needs-whole-word-addressee-china-2025-05",
    f83_unknown_list_code_is_reported => "83-unknown-list-code-is-reported-not-dropped",
}

/// Every `NN-name.json` has its `NN-name.expect.json` (and vice versa),
/// there are at least `MIN_FIXTURES` pairs, and each pair has a test above.
#[test]
fn fixture_directory_is_complete() {
    let mut tx = Vec::new();
    let mut ex = Vec::new();
    for entry in std::fs::read_dir(dir()).expect("tests/transactions exists") {
        let p = entry.expect("dir entry").path();
        let file = p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if let Some(stem) = file.strip_suffix(".expect.json") {
            ex.push(stem.to_string());
        } else if let Some(stem) = file.strip_suffix(".json") {
            tx.push(stem.to_string());
        } else {
            panic!("unexpected file in tests/transactions: {file}");
        }
    }
    tx.sort();
    ex.sort();
    for t in &tx {
        assert!(ex.contains(t), "fixture {t}.json has no {t}.expect.json");
    }
    for e in &ex {
        assert!(tx.contains(e), "{e}.expect.json has no fixture {e}.json");
    }
    assert!(
        tx.len() >= MIN_FIXTURES,
        "only {} transaction fixtures in {}; at least {MIN_FIXTURES} are required",
        tx.len(),
        dir().display()
    );
    for t in &tx {
        assert!(
            LISTED.contains(&t.as_str()),
            "fixture {t} has no test: add it to the fixtures! list in tests/transactions.rs"
        );
    }
    for l in LISTED {
        assert!(tx.iter().any(|t| t == l), "listed fixture {l} does not exist");
    }
}
