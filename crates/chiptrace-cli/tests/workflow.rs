//! The system-of-record workflow end to end through the real binary:
//! import lists → import parties → screen → review a false positive →
//! import a newer list version → re-screen → see only the real delta →
//! a changed party re-opens its cleared alert → audit verify → export →
//! the examiner verifies the export with the public key.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn demo_list() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/demo_entity_list.json")
}

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env { dir: tempfile::tempdir().expect("tempdir") }
    }
    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }
    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn run(&self, args: &[&str]) -> (String, String) {
        let out = Command::cargo_bin("chiptrace")
            .expect("binary")
            .env_remove("CHIPTRACE_DATA_DIR")
            .env("CHIPTRACE_ACTOR", "workflow-test")
            .arg("--data-dir")
            .arg(self.data())
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
    fn alerts(&self) -> Vec<Value> {
        let (out, _) = self.run(&["alerts", "--format", "json"]);
        serde_json::from_str::<Value>(&out).expect("alerts json").as_array().expect("array").clone()
    }
}

fn alert_for<'a>(alerts: &'a [Value], party: &str) -> Vec<&'a Value> {
    alerts.iter().filter(|a| a["party"]["id"] == party).collect()
}

fn write_parties(path: &Path, extra: &[&str]) {
    let src = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/demo_parties.csv"),
    )
    .expect("demo parties");
    let mut rdr = csv::Reader::from_reader(src.as_bytes());
    let mut w = csv::Writer::from_path(path).expect("parties csv");
    w.write_record(["id", "name", "schema", "country", "address", "dob"]).expect("header");
    for r in rdr.records() {
        let r = r.expect("row");
        w.write_record([&r[0], &r[1], &r[2], &r[3], &r[4], ""]).expect("row");
    }
    for line in extra {
        let f: Vec<&str> = line.split('|').collect();
        w.write_record(&f).expect("extra");
    }
    w.flush().expect("flush");
}

/// Version 2: Kestrel removed, an alias added to Oasis Gate, a German entry added.
fn write_list_v2(path: &Path) {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(demo_list()).expect("list")).expect("json");
    let mut v2 = v.clone();
    let ents = v2["entities"].as_array_mut().expect("entities");
    ents.retain(|e| !e["name"].as_str().unwrap_or("").starts_with("Kestrel"));
    for e in ents.iter_mut() {
        if e["name"].as_str().unwrap_or("").starts_with("Oasis") {
            e["aliases"].as_array_mut().expect("aliases").push(Value::from("Oasis Gate Trading"));
        }
    }
    ents.push(serde_json::json!({
        "name": "Nordlicht Halbleiter Handels GmbH", "aliases": [], "country": "Germany",
        "address": "Demo Strasse 1, Hamburg, Germany.", "status": null, "effective_date": "2026-11-01",
        "federal_register": "91 FR 99999 (demo)", "notes": "For all items subject to the EAR. (demo)"
    }));
    v2["count"] = Value::from(ents.len());
    std::fs::write(path, serde_json::to_string_pretty(&v2).expect("ser")).expect("write v2");
}

#[test]
fn import_screen_review_update_rescreen_verify_export() {
    let env = Env::new();
    let parties = env.file("parties.csv");
    write_parties(&parties, &["P900|Nordlicht Halbleiter Handel GmbH|Company|DE||"]);
    let list_v1 = demo_list();
    let list_v2 = env.file("list_v2.json");
    write_list_v2(&list_v2);

    // 1. lists, 2. parties, 3. screen
    let (out, err) = env.run(&["lists", "import", list_v1.to_str().expect("path")]);
    assert!(out.contains("recorded as list version 1"), "{out}");
    assert!(err.contains("committed: list version 1"), "{err}");
    let (out, _) = env.run(&["parties", "import", parties.to_str().expect("path")]);
    assert!(out.contains("17 added"), "{out}");
    let (out, err) = env.run(&["rescreen"]);
    assert!(err.contains("committed: screening run 1"), "{err}");
    assert!(out.contains("17 parties screened in full"), "{out}");
    let alerts = env.alerts();
    assert!(alerts.len() >= 8, "{alerts:?}");
    for a in &alerts {
        for k in ["id", "party", "entry", "score", "status"] {
            assert!(a.get(k).is_some(), "alert lacks {k}: {a}");
        }
        assert_eq!(a["status"], "open");
    }
    // the Cyrillic transcription of the UAE company is a potential hit we clear
    let aurora = alert_for(&alerts, "P015");
    assert_eq!(aurora.len(), 1, "{alerts:?}");
    let fp_id = aurora[0]["id"].as_i64().expect("id");
    assert!(alert_for(&alerts, "P900").is_empty(), "no German entry yet");
    let kestrel: Vec<i64> = alerts
        .iter()
        .filter(|a| a["entry"]["name"].as_str().unwrap_or("").starts_with("Kestrel"))
        .map(|a| a["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(kestrel.len(), 2, "P004 and P016 hit Kestrel");

    // 4. review
    let (out, err) = env.run(&[
        "review",
        &fp_id.to_string(),
        "--disposition",
        "false_positive",
        "--reason",
        "Different company (Almaty, KZ registry extract on file)",
        "--reviewer",
        "A. Analyst",
    ]);
    assert!(out.contains("false_positive"), "{out}");
    assert!(err.contains(&format!("committed: review alert {fp_id} false_positive")), "{err}");

    // 5. newer list version -> 6. re-screen happens on import -> 7. only the delta
    let (out, _) = env.run(&["lists", "import", list_v2.to_str().expect("path")]);
    assert!(out.contains("1 added, 1 changed, 1 removed"), "{out}");
    assert!(out.contains("0 parties screened in full, 17 against 2 new/changed entries"), "{out}");
    assert!(out.contains("delta: 1 new, 0 re-opened, 2 gone"), "{out}");
    let alerts = env.alerts();
    let p900 = alert_for(&alerts, "P900");
    assert_eq!(p900.len(), 1, "the new German entry hits P900");
    assert_eq!(p900[0]["status"], "open");
    for id in &kestrel {
        let a = alerts.iter().find(|a| a["id"] == *id).expect("kestrel alert kept");
        assert_eq!(a["status"], "closed", "{a}");
        assert!(a["note"].as_str().unwrap_or("").contains("removed"), "{a}");
    }
    let cleared = alerts.iter().find(|a| a["id"] == fp_id).expect("fp alert");
    assert_eq!(cleared["status"], "false_positive", "a cleared alert stays cleared: {cleared}");

    // an unchanged re-screen does no work and changes nothing
    let (out, _) = env.run(&["rescreen"]);
    assert!(out.contains("17 skipped"), "{out}");
    assert!(out.contains("delta: 0 new, 0 re-opened, 0 gone"), "{out}");

    // the cleared party's screened data changes: the alert comes back, saying why
    let parties2 = env.file("parties2.csv");
    std::fs::write(&parties2, "id,name,schema,country,address,dob\nP015,Аврора Нексус Системс,Company,AE,\"Office 12, Demo Tower, Dubai\",\n").expect("write");
    let (out, _) = env.run(&["parties", "import", parties2.to_str().expect("path")]);
    assert!(out.contains("1 updated"), "{out}");
    let (out, _) = env.run(&["rescreen"]);
    assert!(out.contains("1 re-opened"), "{out}");
    let alerts = env.alerts();
    let back = alerts.iter().find(|a| a["id"] == fp_id).expect("fp alert");
    assert_eq!(back["status"], "open");
    assert_eq!(back["reopened"], true);
    assert!(back["note"].as_str().unwrap_or("").contains("party data changed"), "{back}");

    // 8. verify, 9. export, and the examiner's check of the export
    let (out, _) = env.run(&["audit", "verify", "--format", "json"]);
    let report: Value = serde_json::from_str(&out).expect("verify json");
    assert_eq!(report["ok"], true, "{report}");
    assert!(report["events"].as_i64().expect("events") > 30);
    assert_eq!(report["signed_through"], report["events"]);
    let export = env.file("audit.jsonl");
    env.run(&["audit", "export", "--format", "jsonl", "--output", export.to_str().expect("path")]);
    let (pubkey, _) = env.run(&["audit", "public-key"]);
    let key_file = env.file("examiner.pub");
    std::fs::write(&key_file, pubkey.trim()).expect("key");
    let (out, _) = env.run(&[
        "audit",
        "verify",
        "--export",
        export.to_str().expect("path"),
        "--public-key",
        key_file.to_str().expect("path"),
    ]);
    assert!(out.contains("audit log OK"), "{out}");
    let text = std::fs::read_to_string(&export).expect("export");
    let kinds: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| v["event"]["kind"].as_str().map(String::from))
        .collect();
    for k in [
        "store_created",
        "list_version_imported",
        "party_added",
        "screening_run",
        "alert_opened",
        "disposition_recorded",
        "alert_reviewed",
        "alert_closed",
        "party_updated",
        "alert_reopened",
    ] {
        assert!(kinds.iter().any(|x| x == k), "no {k} event in the export");
    }
    assert!(text.lines().last().unwrap_or("").contains("\"verification\""));
}

#[test]
fn classify_and_decide_are_recorded_when_a_data_dir_is_in_use() {
    let env = Env::new();
    let (_, err) =
        env.run(&["classify", "--chip", "H100 SXM", "--date", "2024-01-01", "--format", "json"]);
    assert!(err.contains("committed: classification 1"), "{err}");
    let tx =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples/tx-rtx4090-china.json");
    let (_, err) = env.run(&["decide", "--input", tx.to_str().expect("path"), "--format", "json"]);
    assert!(err.contains("committed: decision 2"), "{err}");
    let (out, _) = env.run(&["audit", "export"]);
    assert!(out.contains("classify_recorded") && out.contains("decide_recorded"), "{out}");
    let (out, _) = env.run(&["audit", "verify"]);
    assert!(out.contains("audit log OK"), "{out}");
}

#[test]
fn several_processes_write_one_store_at_once() {
    // a server and CLI runs share the store: writers queue on SQLite's lock
    // (BEGIN IMMEDIATE + busy timeout) and every commit keeps the chain whole
    let env = Env::new();
    env.run(&["lists", "import", demo_list().to_str().expect("path")]);
    let mut children = Vec::new();
    for k in 0..6 {
        let f = env.file(&format!("batch{k}.csv"));
        let mut s = String::from("id,name,schema,country,address,dob\n");
        for i in 0..200 {
            s.push_str(&format!("C{k}-{i},Concurrent Trading {k} {i} Ltd,Company,SG,,\n"));
        }
        std::fs::write(&f, s).expect("write");
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("chiptrace"))
            .env_remove("CHIPTRACE_DATA_DIR")
            .arg("--data-dir")
            .arg(env.data())
            .args(["parties", "import"])
            .arg(&f)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        children.push(child);
    }
    for c in children {
        let out = c.wait_with_output().expect("wait");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains("committed: parties import"));
    }
    let (out, _) = env.run(&["audit", "verify", "--format", "json"]);
    let report: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(report["ok"], true, "{report}");
    // store_created + list version + 6 × 200 parties
    assert_eq!(report["events"], 2 + 6 * 200, "{report}");
}

#[test]
fn a_cleared_alert_whose_entry_leaves_and_returns_unchanged_stays_cleared() {
    let env = Env::new();
    let parties = env.file("parties.csv");
    write_parties(&parties, &[]);
    let list_v2 = env.file("list_v2.json");
    write_list_v2(&list_v2);
    env.run(&["lists", "import", demo_list().to_str().expect("path")]);
    env.run(&["parties", "import", parties.to_str().expect("path")]);
    env.run(&["rescreen"]);
    let alerts = env.alerts();
    let kestrel = alert_for(&alerts, "P016");
    assert_eq!(kestrel.len(), 1, "{alerts:?}");
    let id_num = kestrel[0]["id"].as_i64().expect("id");
    let id = id_num.to_string();
    env.run(&[
        "review",
        &id,
        "--disposition",
        "false_positive",
        "--reason",
        "different firm",
        "--reviewer",
        "R",
    ]);
    // v2 removes the Kestrel entry: the alert closes
    env.run(&["lists", "import", list_v2.to_str().expect("path")]);
    let a = env.alerts().into_iter().find(|a| a["id"].as_i64() == Some(id_num)).expect("alert");
    assert_eq!(a["status"], "closed", "{a}");
    // v1 again: the same entry, the same party -> the review still applies
    let (out, _) = env.run(&["lists", "import", demo_list().to_str().expect("path")]);
    assert!(!out.contains(&format!("new       alert {id:>5}")), "{out}");
    let a = env.alerts().into_iter().find(|a| a["id"].as_i64() == Some(id_num)).expect("alert");
    assert_eq!(a["status"], "false_positive", "{a}");
    assert!(a["note"].as_str().unwrap_or("").contains("still applies"), "{a}");
    // the other Kestrel alert (never reviewed) comes back open
    let p004 = env.alerts().into_iter().find(|a| a["party"]["id"] == "P004").expect("P004");
    assert_eq!(p004["status"], "open");
    let (out, _) = env.run(&["audit", "verify"]);
    assert!(out.contains("audit log OK"), "{out}");
}

#[test]
fn a_wiped_database_beside_its_audit_key_is_refused() {
    let env = Env::new();
    env.run(&["lists", "import", demo_list().to_str().expect("path")]);
    let db = env.data().join("chiptrace.db");
    for f in ["chiptrace.db-wal", "chiptrace.db-shm"] {
        let _ = std::fs::remove_file(env.data().join(f));
    }
    std::fs::remove_file(&db).expect("rm db");
    for args in [vec!["audit", "verify"], vec!["alerts"]] {
        let out = Command::cargo_bin("chiptrace")
            .expect("binary")
            .env_remove("CHIPTRACE_DATA_DIR")
            .arg("--data-dir")
            .arg(env.data())
            .args(&args)
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        let err = String::from_utf8_lossy(&out);
        assert!(err.contains("audit key") || err.contains("no store here"), "{args:?}: {err}");
    }
    assert!(!db.exists(), "nothing was re-created");
}

#[test]
fn an_export_missing_its_first_events_fails_the_examiners_check() {
    let env = Env::new();
    env.run(&["lists", "import", demo_list().to_str().expect("path")]);
    let parties = env.file("parties.csv");
    write_parties(&parties, &[]);
    env.run(&["parties", "import", parties.to_str().expect("path")]);
    let export = env.file("audit.jsonl");
    env.run(&["audit", "export", "--output", export.to_str().expect("path")]);
    let (pubkey, _) = env.run(&["audit", "public-key"]);
    let key = env.file("k.pub");
    std::fs::write(&key, pubkey.trim()).expect("key");
    let text = std::fs::read_to_string(&export).expect("export");
    // drop the first three event lines (and nothing else)
    let cut: Vec<&str> = text.lines().skip(3).collect();
    std::fs::write(&export, cut.join("\n")).expect("write");
    let out = Command::cargo_bin("chiptrace")
        .expect("binary")
        .env_remove("CHIPTRACE_DATA_DIR")
        .args(["audit", "verify", "--export"])
        .arg(&export)
        .arg("--public-key")
        .arg(&key)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let s = String::from_utf8_lossy(&out);
    assert!(s.contains("events removed from the start"), "{s}");
}
