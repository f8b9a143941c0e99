//! Trade-ledger commands end to end with the binary: generate a ledger,
//! import it, analyse it against the real lists and its ground truth,
//! trace a serial, reconcile billing against shipments, export the graph,
//! and bad input (strict failure naming file and line, lenient analysis of
//! the valid part).
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn ct(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chiptrace"))
        .env_remove("CHIPTRACE_DATA_DIR")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn lists() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/lists");
    assert!(p.is_dir(), "the shared lists are missing at {}", p.display());
    p
}

fn generate(dir: &Path, seed: u64, orders: usize) {
    let (code, out, err) = ct(&[
        "gen-ledger",
        "--seed",
        &seed.to_string(),
        "--orders",
        &orders.to_string(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("truth.json"), "{out}");
}

#[test]
fn analyze_finds_every_scheme_and_spares_the_benign_lookalikes() {
    let d = tempfile::tempdir().unwrap();
    let led = d.path().join("ledger");
    generate(&led, 21, 3000);
    let truth = led.join("truth.json");
    let graphml = d.path().join("g.graphml");
    let ftm = d.path().join("g.ftm.jsonl");
    let (code, out, err) = ct(&[
        "analyze",
        "--ledger",
        led.to_str().unwrap(),
        "--lists",
        lists().to_str().unwrap(),
        "--truth",
        truth.to_str().unwrap(),
        "--format",
        "json",
        "--graphml",
        graphml.to_str().unwrap(),
        "--ftm",
        ftm.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    // the output contract of issue 5
    let alert = &v["alerts"][0];
    for k in ["id", "rule_ids", "score", "parties", "orders", "shipments", "path", "evidence"] {
        assert!(alert.get(k).is_some(), "alert lacks {k}: {alert}");
    }
    // the smallest evidence subgraph explaining the alert: its parties and
    // the dated, record-backed edges between them
    let sg = &alert["subgraph"];
    assert!(sg["nodes"].as_array().is_some_and(|n| n.len() >= 2), "{sg}");
    let edges = sg["edges"].as_array().unwrap();
    assert!(
        edges.iter().any(|e| e["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x.as_str().unwrap().starts_with("order:"))),
        "{sg}"
    );
    assert!(v["clusters"].is_array() && v["party_risk"].as_array().is_some_and(|p| !p.is_empty()));
    assert!(alert["evidence"][0]["rule"].as_str().unwrap().starts_with("RF-"));
    // detection quality against the injected schemes
    let e = &v["evaluation"];
    assert!(e["precision"].as_f64().unwrap() >= 0.8, "{e}");
    for (kind, r) in e["by_kind"].as_object().unwrap() {
        assert!(r["recall"].as_f64().unwrap() >= 0.95, "{kind}: {r}");
    }
    for b in e["benign_lookalikes"].as_array().unwrap() {
        let w = b["worst_action"].as_str().unwrap();
        assert!(w == "record" || w == "inquire", "benign look-alike flagged: {b}");
    }
    // an RF-P01 hit names the real list entry it matched
    let p01 = v["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["evidence"].as_array().unwrap())
        .find(|h| h["rule"] == "RF-P01")
        .unwrap();
    assert!(p01["evidence"]["list"].as_str().unwrap().contains("entity"), "{p01}");
    // exports
    let g = std::fs::read_to_string(&graphml).unwrap();
    assert!(g.contains("<graphml") && g.contains("<node") && g.contains("<edge"), "GraphML");
    let lines: Vec<Value> = std::fs::read_to_string(&ftm)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        lines.iter().any(|x| x["schema"] == "Company")
            && lines.iter().any(|x| x["schema"] == "Payment")
    );
    assert!(lines.iter().all(|x| x["id"].is_string() && x["properties"].is_object()));
}

#[test]
fn trace_shows_the_chain_of_custody_and_its_anomaly() {
    let d = tempfile::tempdir().unwrap();
    let led = d.path().join("ledger");
    generate(&led, 22, 1000);
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(led.join("truth.json")).unwrap()).unwrap();
    let scheme =
        truth["schemes"].as_array().unwrap().iter().find(|s| s["variant"] == "two_places").unwrap();
    let serial = scheme["serials"][0].as_str().unwrap();
    let (code, out, err) = ct(&["trace", serial, "--ledger", led.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("serial {serial}"))
            && out.contains("shipped")
            && out.contains("received"),
        "{out}"
    );
    assert!(out.contains("ANOMALY two_places"), "{out}");
    let (code, out, _) =
        ct(&["trace", serial, "--ledger", led.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(v["events"].as_array().unwrap().len() >= 3);
    let (code, _, err) = ct(&["trace", "NO-SUCH-SERIAL", "--ledger", led.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("not in the ledger"), "{err}");
}

#[test]
fn reconcile_shows_billing_versus_shipments_by_country() {
    let d = tempfile::tempdir().unwrap();
    let led = d.path().join("ledger");
    generate(&led, 23, 2000);
    let (code, out, err) = ct(&[
        "reconcile",
        "--ledger",
        led.to_str().unwrap(),
        "--by",
        "country",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let p = v["periods"].as_array().unwrap().iter().find(|p| p["currency"] == "USD").unwrap();
    let rows = p["rows"].as_array().unwrap();
    let sg = rows.iter().find(|r| r["country"] == "SG").unwrap();
    // Singapore procurement and distribution entities are billed more than is shipped there
    let f = |k: &str| sg[k].as_str().unwrap().parse::<f64>().unwrap();
    assert!(f("billing_share") > f("physical_share"), "{sg}");
    let (code, out, _) =
        ct(&["reconcile", "--ledger", led.to_str().unwrap(), "--period", "quarter"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("period 2024-Q1")
            || out.contains("period 2024Q1")
            || out.contains("period 2024-q1"),
        "{}",
        &out[..out.len().min(400)]
    );
    let (code, _, err) = ct(&["reconcile", "--ledger", led.to_str().unwrap(), "--by", "party"]);
    assert_eq!(code, 2);
    assert!(err.contains("only `country`"), "{err}");
}

#[test]
fn bad_ledgers_are_reported_by_file_and_line_and_lenient_analyses_the_rest() {
    let d = tempfile::tempdir().unwrap();
    let led = d.path().join("ledger");
    generate(&led, 24, 400);
    // a duplicate order id and an order pointing at a party that does not exist
    let orders = std::fs::read_to_string(led.join("orders.csv")).unwrap();
    let mut lines: Vec<String> = orders.lines().map(String::from).collect();
    let dup = lines[1].clone();
    lines.push(dup);
    let mut bad = lines[2].split(',').map(String::from).collect::<Vec<_>>();
    bad[0] = "SO-BROKEN".into();
    bad[3] = "P-NOBODY".into();
    lines.push(bad.join(","));
    std::fs::write(led.join("orders.csv"), lines.join("\n") + "\n").unwrap();
    let (code, _, err) = ct(&["ledger", "import", led.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("orders.csv:") && err.contains("duplicate"), "{err}");
    assert!(err.contains("P-NOBODY"), "{err}");
    let (code, _, err) = ct(&["analyze", "--ledger", led.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("--lenient"), "{err}");
    let (code, out, err) =
        ct(&["analyze", "--ledger", led.to_str().unwrap(), "--lenient", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["load_report"]["dropped"].as_array().is_some_and(|x| !x.is_empty())
            || v["load_report"].to_string().contains("SO-BROKEN"),
        "{}",
        v["load_report"]
    );
    assert!(v["notes"][0].as_str().unwrap().contains("NOT screened"), "no lists: said so");
    // a missing table: strict names it; lenient goes on without it and says so
    std::fs::remove_file(led.join("payments.csv")).unwrap();
    let (code, _, err) = ct(&["ledger", "import", led.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("required table payments is missing"), "{err}");
    let (code, out, err) = ct(&["ledger", "import", led.to_str().unwrap(), "--lenient"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("payments") && out.contains("dropped"), "{out}{err}");
}

#[test]
fn ledger_import_is_recorded_in_the_store_and_audited() {
    let d = tempfile::tempdir().unwrap();
    let led = d.path().join("ledger");
    generate(&led, 25, 300);
    let data = d.path().join("store");
    let out = Command::new(env!("CARGO_BIN_EXE_chiptrace"))
        .env_remove("CHIPTRACE_DATA_DIR")
        .args([
            "--data-dir",
            data.to_str().unwrap(),
            "ledger",
            "import",
            led.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("committed: ledger import"));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["counts"]["orders"], 300);
    assert_eq!(v["files"]["orders.csv"].as_str().unwrap().len(), 64);
    let out = Command::new(env!("CARGO_BIN_EXE_chiptrace"))
        .env_remove("CHIPTRACE_DATA_DIR")
        .args(["--data-dir", data.to_str().unwrap(), "audit", "verify", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn recorded_alerts_become_inquiries_whose_reviews_last() {
    let d = tempfile::tempdir().unwrap();
    let led = d.path().join("ledger");
    generate(&led, 26, 800);
    let data = d.path().join("store");
    let dd = |args: &[&str]| -> (i32, String, String) {
        let mut v = vec!["--data-dir", data.to_str().unwrap()];
        v.extend_from_slice(args);
        ct(&v)
    };
    let (code, out, err) =
        dd(&["analyze", "--ledger", led.to_str().unwrap(), "--record", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("committed: diversion alerts:"), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(!v["recorded"]["new"].as_array().unwrap().is_empty());
    let (_, out, _) = dd(&["trade-alerts", "--format", "json"]);
    let alerts: Value = serde_json::from_str(&out).unwrap();
    // an alert on a first large order (its evidence carries the order value)
    let a = alerts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["rule_ids"].as_array().unwrap().iter().any(|r| r == "RF-O01"))
        .unwrap();
    let (id, order) = (a["id"].as_i64().unwrap(), a["order"].as_str().unwrap().to_string());
    let (code, out, err) = dd(&[
        "trade-review",
        &id.to_string(),
        "--disposition",
        "cleared",
        "--reviewer",
        "analyst",
        "--reason",
        "customer visit confirmed the site",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("cleared"), "{out}");
    // the same ledger again: the review stands
    let (code, out, _) =
        dd(&["analyze", "--ledger", led.to_str().unwrap(), "--record", "--format", "json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["recorded"]["new"].as_array().unwrap().is_empty()
            && v["recorded"]["reopened"].as_array().unwrap().is_empty(),
        "{}",
        v["recorded"]
    );
    let (_, out, _) = dd(&["trade-alerts", "--status", "cleared", "--format", "json"]);
    assert!(out.contains(&order), "{out}");
    // the order's value doubles: the evidence changed, the alert reopens
    let orders = std::fs::read_to_string(led.join("orders.csv")).unwrap();
    let changed: Vec<String> = orders
        .lines()
        .map(|l| {
            if l.starts_with(&format!("{order},")) {
                let mut f: Vec<String> = l.split(',').map(String::from).collect();
                let v: f64 = f[8].parse().unwrap();
                f[8] = format!("{:.2}", v * 2.0);
                f.join(",")
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(led.join("orders.csv"), changed.join("\n") + "\n").unwrap();
    let (code, out, err) =
        dd(&["analyze", "--ledger", led.to_str().unwrap(), "--record", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["recorded"]["reopened"], serde_json::json!([id]), "{}", v["recorded"]);
    let (_, out, _) = dd(&["trade-alerts"]);
    assert!(out.contains("(reopened)") && out.contains("evidence changed"), "{out}");
    let (code, out, _) = dd(&["audit", "verify", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
}
