//! End-to-end tests of `chiptrace classify` and `chiptrace decide` on the
//! real binary, in temp dirs. Each run gets its own empty `--data-dir`, so
//! no installed list versions leak in; screening uses the real Entity List
//! file in ../shared/data/lists (it must exist: the tests fail loudly, never
//! skip, when it is missing).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{Value, json};

fn lists_dir() -> PathBuf {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/lists"));
    assert!(
        p.is_dir(),
        "shared list data missing at {}: the integration tests need it",
        p.display()
    );
    p
}

fn el_file() -> PathBuf {
    let f = lists_dir().join("us_restricted_party_lists_2026-07/bis_entity_list.json");
    assert!(f.is_file(), "Entity List file missing at {}", f.display());
    f
}

/// The binary with an isolated, empty data directory.
fn chiptrace(data_dir: &Path) -> Command {
    let mut c = Command::cargo_bin("chiptrace").expect("binary built");
    c.env_remove("CHIPTRACE_DATA_DIR");
    c.arg("--data-dir").arg(data_dir);
    c
}

fn write(dir: &Path, name: &str, v: &Value) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(v).expect("json")).expect("write file");
    p
}

fn stdout_json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("stdout is not JSON ({e}):\n{}", String::from_utf8_lossy(&out.stdout))
    })
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Enforced requirement paragraphs of a decision.
fn paragraphs(d: &Value) -> Vec<String> {
    d["requirements"]
        .as_array()
        .expect("requirements")
        .iter()
        .filter(|r| r["enforced"] == Value::Bool(true))
        .map(|r| r["paragraph"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn h100_to_china() -> Value {
    json!({
        "id": "h100-cn-cli",
        "date": "2024-01-02",
        "type": "export",
        "ship_from": "US",
        "destination": "CN",
        "items": [{"chip": "H100 SXM", "quantity": 8}],
        "parties": [{"role": "end_user", "name": "Shenzhen Cloudpeak Intelligent Computing Co., Ltd.",
                     "country": "CN", "hq_country": "CN", "ultimate_parent_hq_country": "CN"}]
    })
}

#[test]
fn classify_h100_json_has_tpp_paragraph_version_and_trace() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = chiptrace(tmp.path())
        .args(["classify", "--chip", "H100 SXM", "--date", "2024-01-01", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .clone();
    let v = stdout_json(&out);
    assert_eq!(v["tpp"], json!(15832), "{v}");
    assert_eq!(v["classification"], "3A090.a", "{v}");
    assert_eq!(v["paragraph"], "3A090.a.1", "{v}");
    assert_eq!(v["rule_version"], "2023-11-17", "{v}");
    assert_eq!(v["catalog_id"], "h100-sxm5-80gb", "{v}");
    let trace = v["trace"].as_array().expect("trace is an array");
    assert!(!trace.is_empty(), "empty trace: {v}");
    assert!(
        trace.iter().all(|s| s["rule"].is_string() && s["citation"].is_string()),
        "every trace step names its rule and citation: {v}"
    );
}

#[test]
fn classify_spec_file_reports_both_b_paragraphs() {
    let tmp = tempfile::tempdir().expect("tmp");
    let spec = write(
        tmp.path(),
        "b3000.json",
        &json!({"name": "Example accelerator B-3000", "kind": "ic", "datacenter": "yes",
                "dense_tops": {"fp16": 187.5}, "die_area_mm2": 750}),
    );
    let out = chiptrace(tmp.path())
        .args(["classify", "--date", "2024-01-01", "--format", "json", "--spec"])
        .arg(&spec)
        .assert()
        .success()
        .get_output()
        .clone();
    let v = stdout_json(&out);
    assert_eq!(v["tpp"], json!(3000), "{v}");
    assert_eq!(v["classification"], "3A090.b", "{v}");
    let ps: Vec<&str> =
        v["paragraphs"].as_array().expect("paragraphs").iter().filter_map(Value::as_str).collect();
    // export-rules.md §4.2: report every sub-paragraph that fires (b.1 and b.2 both hold at PD 4).
    assert!(ps.contains(&"3A090.b.1") && ps.contains(&"3A090.b.2"), "{ps:?}");
}

#[test]
fn classify_spec_file_with_a_bad_field_exits_2_naming_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let spec = write(
        tmp.path(),
        "bad.json",
        &json!({"name": "bad part", "dense_tops": {"fp16": -1}, "die_area_mm2": 100}),
    );
    let out = chiptrace(tmp.path())
        .args(["classify", "--spec"])
        .arg(&spec)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = text(&out.stderr);
    assert!(err.contains("dense_tops"), "{err}");
}

#[test]
fn classify_unknown_chip_exits_2_naming_the_chip() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = chiptrace(tmp.path())
        .args(["classify", "--chip", "no such chip"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = text(&out.stderr);
    assert!(err.contains("no such chip"), "{err}");
    assert!(out.stdout.is_empty(), "nothing on stdout for an error: {}", text(&out.stdout));
}

#[test]
fn decide_json_h100_to_china() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = write(tmp.path(), "tx.json", &h100_to_china());
    let out = chiptrace(tmp.path())
        .args(["decide", "--format", "json", "--input"])
        .arg(&input)
        .assert()
        .success()
        .get_output()
        .clone();
    let d = stdout_json(&out);
    assert_eq!(d["license_required"], "yes", "{d}");
    assert!(paragraphs(&d).iter().any(|p| p == "§742.6(a)(6)(iii)"), "{d}");
    assert_eq!(d["review_policy"]["policy"], "presumption_of_denial", "{d}");
    assert_eq!(d["rule_version"], "2023-11-17", "{d}");
    // export-rules.md §6.5: a datacenter .a item is not NAC-eligible.
    for e in d["exceptions"].as_array().expect("exceptions") {
        assert_ne!(e["status"], "available", "no exception for a datacenter .a item: {e}");
    }
    assert!(!d["trace"].as_array().expect("trace").is_empty());
    // No --lists and an empty data dir: the output says the parties were not screened.
    let warnings = d["warnings"].to_string();
    assert!(warnings.contains("not screened"), "{warnings}");
}

#[test]
fn decide_table_h100_to_china() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = write(tmp.path(), "tx.json", &h100_to_china());
    let out = chiptrace(tmp.path())
        .args(["decide", "--format", "table", "--input"])
        .arg(&input)
        .assert()
        .success()
        .get_output()
        .clone();
    let s = text(&out.stdout);
    assert!(s.contains("licence required: Yes"), "{s}");
    assert!(s.contains("§742.6(a)(6)(iii)"), "{s}");
    assert!(s.contains("review policy: presumption_of_denial"), "{s}");
    assert!(s.contains("trace:"), "{s}");
}

#[test]
fn decide_date_option_overrides_the_transaction_date() {
    // export-rules.md §6.1: Macau is in the Oct-2022 scope only from 2023-01-18.
    let tmp = tempfile::tempdir().expect("tmp");
    let tx = json!({
        "id": "h100-mo", "date": "2023-01-18", "type": "export", "ship_from": "US", "destination": "MO",
        "items": [{"chip": "H100 SXM", "quantity": 8}],
        "parties": [{"role": "end_user", "name": "Macau Gaming Analytics Ltd.", "country": "MO",
                     "hq_country": "MO", "ultimate_parent_hq_country": "MO"}]
    });
    let input = write(tmp.path(), "tx.json", &tx);
    let on = |date: Option<&str>| -> Value {
        let mut c = chiptrace(tmp.path());
        c.args(["decide", "--format", "json", "--input"]).arg(&input);
        if let Some(d) = date {
            c.args(["--date", d]);
        }
        stdout_json(&c.assert().success().get_output().clone())
    };
    assert_eq!(on(None)["license_required"], "yes");
    let before = on(Some("2023-01-17"));
    assert_eq!(before["license_required"], "no", "{before}");
    assert_eq!(before["date"], "2023-01-17");
}

#[test]
fn decide_fail_on_license_sets_exit_code_1() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = write(tmp.path(), "tx.json", &h100_to_china());
    chiptrace(tmp.path())
        .args(["decide", "--fail-on-license", "--input"])
        .arg(&input)
        .assert()
        .code(1);
    let mut de = h100_to_china();
    de["destination"] = json!("DE");
    de["parties"] = json!([{"role": "end_user", "name": "Frankfurt Hyperscale Rechenzentrum GmbH",
                            "country": "DE", "hq_country": "DE", "ultimate_parent_hq_country": "DE"}]);
    let input = write(tmp.path(), "de.json", &de);
    chiptrace(tmp.path())
        .args(["decide", "--fail-on-license", "--input"])
        .arg(&input)
        .assert()
        .success();
}

/// H100 export to Skyverse Pte. Ltd. (Singapore; Entity List, 89 FR 96836):
/// without screening nothing requires a licence to Singapore (A:6, local
/// HQ); screening the real Entity List adds a strong hit and the §744.11
/// requirement (export-rules.md §7).
#[test]
fn decide_with_entity_list_screening_singapore_party() {
    let tmp = tempfile::tempdir().expect("tmp");
    let tx = json!({
        "id": "h100-sg-skyverse", "date": "2025-06-02", "type": "export", "ship_from": "US",
        "destination": "SG",
        "items": [{"chip": "H100 SXM", "quantity": 32}],
        "parties": [{"role": "end_user", "name": "Skyverse Pte. Ltd.", "country": "SG",
                     "hq_country": "SG", "ultimate_parent_hq_country": "SG"}]
    });
    let input = write(tmp.path(), "tx.json", &tx);

    let unscreened = stdout_json(
        &chiptrace(tmp.path())
            .args(["decide", "--format", "json", "--input"])
            .arg(&input)
            .assert()
            .success()
            .get_output()
            .clone(),
    );
    assert_eq!(unscreened["license_required"], "no", "{unscreened}");

    let out = chiptrace(tmp.path())
        .args(["decide", "--format", "json", "--input"])
        .arg(&input)
        .arg("--lists")
        .arg(el_file())
        .assert()
        .success()
        .get_output()
        .clone();
    let d = stdout_json(&out);
    assert_eq!(d["license_required"], "yes", "{d}");
    let el: Vec<&Value> = d["requirements"]
        .as_array()
        .expect("requirements")
        .iter()
        .filter(|r| r["paragraph"] == "§744.11" && r["enforced"] == Value::Bool(true))
        .collect();
    assert!(!el.is_empty(), "no Entity List requirement: {d}");
    assert_eq!(el[0]["party"], "Skyverse Pte. Ltd.", "{d}");
    assert!(
        el[0]["text"].as_str().unwrap_or("").contains("For all items subject to the EAR"),
        "{d}"
    );
    assert!(el[0]["reason"].as_str().unwrap_or("").contains("89 FR 96836"), "{d}");
    assert_eq!(d["review_policy"]["policy"], "presumption_of_denial", "{d}");
    assert!(d["warnings"].to_string().contains("screened against"), "{d}");
}

/// RTX 4090 to Alpha Trading Investments Limited (Hong Kong; Entity List,
/// 88 FR 70353): HK is treated as China, and the Entity List hit blocks the
/// NAC the consumer part would otherwise use (export-rules.md §5, §6.5, §7).
#[test]
fn decide_with_entity_list_screening_hong_kong_party_blocks_nac() {
    let tmp = tempfile::tempdir().expect("tmp");
    let tx = json!({
        "id": "rtx4090-hk-alpha", "date": "2024-06-03", "type": "export", "ship_from": "US",
        "destination": "HK",
        "items": [{"chip": "RTX 4090", "quantity": 500}],
        "parties": [{"role": "end_user", "name": "Alpha Trading Investments Limited", "country": "HK",
                     "hq_country": "HK", "ultimate_parent_hq_country": "HK"}]
    });
    let input = write(tmp.path(), "tx.json", &tx);
    let out = chiptrace(tmp.path())
        .args(["decide", "--format", "json", "--input"])
        .arg(&input)
        .arg("--lists")
        .arg(el_file())
        .assert()
        .success()
        .get_output()
        .clone();
    let d = stdout_json(&out);
    assert_eq!(d["license_required"], "yes", "{d}");
    assert_eq!(d["destination_treated_as"], "CN", "{d}");
    assert!(paragraphs(&d).iter().any(|p| p == "§744.11"), "{d}");
    for e in d["exceptions"].as_array().expect("exceptions") {
        assert_ne!(e["status"], "available", "the Entity List hit must block {e}");
    }
}

#[test]
fn decide_malformed_transaction_exits_2_naming_the_field() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut tx = h100_to_china();
    tx["parties"][0]["country"] = json!("XX");
    let input = write(tmp.path(), "bad-country.json", &tx);
    let out = chiptrace(tmp.path())
        .args(["decide", "--input"])
        .arg(&input)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = text(&out.stderr);
    assert!(err.contains("parties[0].country"), "{err}");
    assert!(err.contains("bad-country.json"), "the error should name the file: {err}");

    let mut tx = h100_to_china();
    tx["items"][0]["chip"] = json!("no such chip");
    let input = write(tmp.path(), "bad-chip.json", &tx);
    let out = chiptrace(tmp.path())
        .args(["decide", "--input"])
        .arg(&input)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = text(&out.stderr);
    assert!(err.contains("items[0].chip"), "{err}");

    let input = tmp.path().join("truncated.json");
    std::fs::write(&input, "{\"type\": \"export\", \"destination\": ").expect("write");
    chiptrace(tmp.path()).args(["decide", "--input"]).arg(&input).assert().code(2);
}
