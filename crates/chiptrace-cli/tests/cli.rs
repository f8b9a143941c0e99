//! End-to-end tests of the real `chiptrace` binary, in temp dirs, on the
//! real list files in ../shared/data/lists (they must exist: the tests fail
//! loudly, never skip, when they are missing).

use std::path::PathBuf;

use assert_cmd::Command;

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
    lists_dir().join("us_restricted_party_lists_2026-07/bis_entity_list.json")
}

fn chiptrace() -> Command {
    let mut c = Command::cargo_bin("chiptrace").expect("binary built");
    c.env_remove("CHIPTRACE_DATA_DIR");
    c
}

#[test]
fn demo_runs_and_alerts_on_the_expected_parties() {
    let out = chiptrace().arg("demo").assert().success().get_output().stdout.clone();
    let s = String::from_utf8(out).expect("utf8");
    // Han-script, Cyrillic and abbreviated names of listed demo companies alert...
    for id in ["P001", "P002", "P003", "P004", "P005", "P006", "P009", "P010", "P012", "P016"] {
        let line =
            s.lines().find(|l| l.starts_with(id)).unwrap_or_else(|| panic!("{id} missing:\n{s}"));
        assert!(line.contains("ALERT"), "{id} should alert: {line}\n{s}");
    }
    // ...siblings, generic-only and unrelated names do not.
    for id in ["P007", "P008", "P011", "P013", "P014"] {
        let line = s.lines().find(|l| l.starts_with(id)).unwrap_or_else(|| panic!("{id} missing"));
        assert!(line.contains("clear"), "{id} should be clear: {line}\n{s}");
    }
    // Part 2: classification by date and licence decisions on the demo transactions.
    let row = |chip: &str| {
        s.lines()
            .find(|l| l.trim_start().starts_with(chip))
            .unwrap_or_else(|| panic!("{chip} row missing:\n{s}"))
    };
    let a800 = row("A800 SXM4 80GB");
    assert!(
        a800.contains("2023-06-01 not_controlled") && a800.contains("2024-01-01 3A090.a.1"),
        "{a800}"
    );
    assert!(row("HGX H20 96GB").contains("2024-01-01 not_controlled"));
    assert!(row("DGX H100").contains("4A090.a"));
    let decision = |id: &str| {
        let i = s
            .lines()
            .position(|l| l.trim_start().starts_with(id))
            .unwrap_or_else(|| panic!("{id} missing:\n{s}"));
        s.lines().nth(i + 1).unwrap_or_default().to_string()
    };
    let d1 = decision("DEMO-1");
    assert!(d1.contains("licence required: Yes") && d1.contains("NAC"), "{d1}");
    assert!(decision("DEMO-2").contains("licence required: Yes"));
    let d3 = decision("DEMO-3");
    assert!(d3.contains("licence required: Yes") && d3.contains("§744.11"), "{d3}");
    assert!(decision("DEMO-4").contains("licence required: No"));
    // Part 3: the SQLite system of record
    let v2 = s
        .lines()
        .find(|l| l.contains("list version 2:"))
        .unwrap_or_else(|| panic!("no store part:\n{s}"));
    assert!(v2.contains("1 added, 1 changed, 1 removed") && v2.contains("2 gone"), "{v2}");
    assert!(s.lines().any(|l| l.contains("audit log:") && l.ends_with("verified")), "{s}");
}

#[test]
fn screen_single_name_han_script_finds_pinyin_entity_list_entry() {
    let out = chiptrace()
        .args(["screen", "--lists"])
        .arg(el_file())
        .args(["--format", "json", "华为技术有限公司"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    let hits = v["hits"].as_array().expect("hits");
    assert!(!hits.is_empty(), "no hit for Huawei in Han script: {v}");
    let top = &hits[0];
    assert_eq!(top["list"], "us_bis_entity_list");
    assert!(top["matched_name"].as_str().unwrap_or("").to_lowercase().contains("huawei"), "{top}");
    assert!(top["score"].as_f64().unwrap_or(0.0) >= 0.8);
    // The explanation names the list, the FR citation and the token alignment.
    assert!(top["explanation"]["federal_register"].is_string(), "{top}");
    assert!(!top["explanation"]["name"]["tokens"].as_array().expect("tokens").is_empty());
}

#[test]
fn screen_batch_writes_contract_columns() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("q.csv");
    let output = dir.path().join("r.csv");
    std::fs::write(
        &input,
        "id,name,schema,country\n\
         a1,Huawei Technologies Co Ltd,Company,CN\n\
         a2,Totally Unrelated Bakery GmbH,Company,DE\n\
         a3,,Company,CN\n",
    )
    .expect("write");
    let assert = chiptrace()
        .args(["screen", "--lists"])
        .arg(el_file())
        .arg("--input")
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("q.csv:4"),
        "bad row (empty name) must be reported with file and line: {stderr}"
    );
    let mut rdr = csv::Reader::from_path(&output).expect("output");
    let headers: Vec<String> = rdr.headers().expect("h").iter().map(str::to_string).collect();
    assert_eq!(
        headers,
        ["id", "rank", "score", "list", "entry_id", "matched_name", "entry_name", "explanation"]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("row")).collect();
    assert!(rows.iter().any(|r| &r[0] == "a1" && &r[1] == "1"), "a1 must hit");
    assert!(!rows.iter().any(|r| &r[0] == "a2"), "a2 must not hit");
    for r in &rows {
        let e: serde_json::Value = serde_json::from_str(&r[7]).expect("explanation is JSON");
        assert!(e["name"]["tokens"].is_array());
        let s: f64 = r[2].parse().expect("score");
        assert!((0.8..=1.0).contains(&s));
    }
}

#[test]
fn strict_mode_makes_bad_rows_fatal_with_file_and_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("q.csv");
    std::fs::write(&input, "id,name\nx1,Good Name Ltd\nx2,\n").expect("write");
    let out = chiptrace()
        .args(["screen", "--strict", "--lists"])
        .arg(el_file())
        .arg("--input")
        .arg(&input)
        .arg("--output")
        .arg(dir.path().join("r.csv"))
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let s = String::from_utf8_lossy(&out);
    assert!(s.contains("q.csv:3"), "{s}");
}

#[test]
fn missing_name_column_and_missing_file_are_clear_errors() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("q.csv");
    std::fs::write(&input, "id,company\n1,x\n").expect("write");
    let out = chiptrace()
        .args(["screen", "--lists"])
        .arg(el_file())
        .arg("--input")
        .arg(&input)
        .arg("--output")
        .arg(dir.path().join("r.csv"))
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("no `name` column"));
    let out = chiptrace()
        .args(["screen", "--lists", "/nonexistent/lists.json", "x"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("/nonexistent/lists.json"));
}

#[test]
fn score_pairs_adds_score_and_match() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("p.csv");
    let output = dir.path().join("s.csv");
    std::fs::write(
        &input,
        "schema,name1,name2\n\
         Company,Huawei Technologies Co Ltd,\"Huawei Technologies Co., Ltd.\"\n\
         Company,Shenzhen Xinda Technology Co Ltd,\"Shenzhen Dahua Technology Co., Ltd.\"\n\
         Person,\"ABU TAIR, Mohammed Mahmud\",Mohammed Mahmud Abu Tair\n",
    )
    .expect("write");
    chiptrace()
        .args(["score-pairs", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .assert()
        .success();
    let mut rdr = csv::Reader::from_path(&output).expect("out");
    let h: Vec<String> = rdr.headers().expect("h").iter().map(str::to_string).collect();
    assert_eq!(h, ["schema", "name1", "name2", "score", "match"]);
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("row")).collect();
    assert_eq!(&rows[0][4], "true");
    assert_eq!(&rows[1][4], "false");
    assert_eq!(&rows[2][4], "true");
}

#[test]
fn exit_code_one_on_hit_only_when_asked() {
    chiptrace()
        .args(["screen", "--lists"])
        .arg(el_file())
        .arg("Huawei Technologies Co., Ltd.")
        .assert()
        .code(0);
    chiptrace()
        .args(["screen", "--fail-on-hit", "--lists"])
        .arg(el_file())
        .arg("Huawei Technologies Co., Ltd.")
        .assert()
        .code(1);
    chiptrace()
        .args(["screen", "--fail-on-hit", "--lists"])
        .arg(el_file())
        .arg("Zzyzx Qwerty Bakery")
        .assert()
        .code(0);
}

#[test]
fn lists_import_reports_every_real_folder() {
    let out = chiptrace()
        .args(["lists", "import"])
        .arg(lists_dir())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let s = String::from_utf8_lossy(&out);
    for code in ["us_bis_entity_list", "us_ofac_sdn", "un_sc"] {
        assert!(s.contains(code), "{code} missing from:\n{s}");
    }
}

#[test]
fn oversized_and_empty_names_are_rejected_cleanly() {
    let big = "A".repeat(100 * 1024);
    let out = chiptrace()
        .args(["screen", "--lists"])
        .arg(el_file())
        .arg(&big)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("longer than"));
    chiptrace().args(["screen", "--lists"]).arg(el_file()).arg("   ").assert().code(2);
}

// The update crate's std::net test server (127.0.0.1 only), reused here so
// the CLI is tested over real sockets too.
#[path = "../../chiptrace-update/tests/support/server.rs"]
#[allow(dead_code)]
mod server;

#[test]
fn lists_update_installs_screens_and_rejects_a_broken_download() {
    let root = lists_dir();
    let srv = server::TestServer::start(&root);
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let sources = dir.path().join("sources.json");
    let doc = serde_json::json!({"sources": [
        {"id": "us_bis", "description": "BIS Entity List (test mirror)", "files": [
            {"url": srv.url("/us_restricted_party_lists_2026-07/bis_entity_list.json"), "file_name": "bis_entity_list.json", "required": true}]},
        {"id": "un_sc", "description": "UN SC consolidated (test mirror)", "files": [
            {"url": srv.url("/un_consolidated_2026-02-27/UN_consolidated.xml"), "file_name": "consolidated.xml", "required": true}]}
    ]});
    std::fs::write(&sources, doc.to_string()).expect("write sources");

    let out = chiptrace()
        .arg("--data-dir")
        .arg(&data)
        .args(["lists", "update", "--sources"])
        .arg(&sources)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let s = String::from_utf8_lossy(&out);
    assert!(s.contains("installed us_bis") && s.contains("installed un_sc"), "{s}");

    let status = chiptrace()
        .arg("--data-dir")
        .arg(&data)
        .args(["lists", "status"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let st = String::from_utf8_lossy(&status);
    assert!(st.contains("us_bis") && st.contains("3409"), "{st}");

    // Screening without --lists uses the installed versions.
    let hit = chiptrace()
        .arg("--data-dir")
        .arg(&data)
        .args(["screen", "--format", "json", "Huawei Technologies Co., Ltd."])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&hit).expect("json");
    assert!(!v["hits"].as_array().expect("hits").is_empty(), "{v}");

    // A truncated UN file is rejected, the exit code says so, and the
    // version in use does not change.
    let xml =
        std::fs::read(root.join("un_consolidated_2026-02-27/UN_consolidated.xml")).expect("xml");
    srv.set(
        "/un_consolidated_2026-02-27/UN_consolidated.xml",
        server::Route::Bytes(xml[..xml.len() / 2].to_vec()),
    );
    let bad = chiptrace()
        .arg("--data-dir")
        .arg(&data)
        .args(["lists", "update", "--sources"])
        .arg(&sources)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let b = String::from_utf8_lossy(&bad);
    assert!(b.contains("rejected un_sc") && b.contains("still using version"), "{b}");
    let status2 = chiptrace()
        .arg("--data-dir")
        .arg(&data)
        .args(["lists", "status"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8_lossy(&status2)
            .lines()
            .find(|l| l.starts_with("un_sc"))
            .map(|l| l.split_whitespace().nth(2).map(str::to_string)),
        st.lines()
            .find(|l| l.starts_with("un_sc"))
            .map(|l| l.split_whitespace().nth(2).map(str::to_string)),
        "the UN version in use must not change after a rejected download"
    );
    // Rollback to a version that does not exist is a clear error; to the
    // one in use it succeeds.
    chiptrace()
        .arg("--data-dir")
        .arg(&data)
        .args(["lists", "activate", "un_sc", "19990101T000000Z-deadbeef"])
        .assert()
        .code(2);
    let un_version = st
        .lines()
        .find(|l| l.starts_with("un_sc"))
        .and_then(|l| l.split_whitespace().nth(2))
        .expect("un_sc version")
        .to_string();
    let out = chiptrace()
        .arg("--data-dir")
        .arg(&data)
        .args(["lists", "activate", "un_sc", &un_version])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("now using un_sc"));
    chiptrace()
        .arg("--data-dir")
        .arg(&data)
        .args(["lists", "update", "--max-drop", "1.5", "--sources"])
        .arg(&sources)
        .assert()
        .code(2);
}

#[test]
fn custom_csv_list_with_column_mapping_on_the_command_line_and_in_a_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let list = dir.path().join("internal_watchlist.csv");
    std::fs::write(
        &list,
        "Ref,Company Name,AKA,Ctry\n\
         W-1,Zephyr Lattice Computing Pte. Ltd.,ZLC Singapore;Zephyr Lattice,SG\n\
         W-2,Borealis Quantum Trading FZE,,AE\n",
    )
    .expect("write list");
    let spec = "name=Company Name,id=Ref,country=Ctry,aliases=AKA,list=internal_watchlist";
    let out = chiptrace()
        .args(["screen", "--format", "json", "--mapping", spec, "--lists"])
        .arg(&list)
        .arg("Zephyr Lattice Computing")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    let top = &v["hits"][0];
    assert_eq!(top["list"], "internal_watchlist", "{v}");
    assert_eq!(top["entry_id"], "W-1");
    // The same mapping from a JSON config file.
    let cfg = dir.path().join("mapping.json");
    std::fs::write(&cfg, r#"{"name": "Company Name", "id": "Ref", "country": "Ctry", "aliases": "AKA", "list": "internal_watchlist"}"#)
        .expect("write cfg");
    let out = chiptrace()
        .args(["screen", "--format", "json", "--mapping-file"])
        .arg(&cfg)
        .arg("--lists")
        .arg(&list)
        .arg("ZLC Singapore")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(v["hits"][0]["entry_id"], "W-1", "{v}");
    // An unknown column in the mapping is a clear error naming it.
    let err = chiptrace()
        .args(["screen", "--mapping", "name=Firm,list=x", "--lists"])
        .arg(&list)
        .arg("Anything")
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&err).contains("Firm"), "{}", String::from_utf8_lossy(&err));
}
