//! `chiptrace lv` bad input and safety defaults, end to end with the binary.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

fn ct(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chiptrace"))
        .env_remove("CHIPTRACE_DATA_DIR")
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn bad_registry_files_name_file_line_and_column_and_write_nothing() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("store");
    let reg = d.path().join("reg");
    std::fs::create_dir_all(&reg).unwrap();
    std::fs::write(
        reg.join("sites.csv"),
        "site_id,lat,lon,country,radius_km\nS1,1.3,103.8,SG,30\nS2,100,103.8,SG,30\n",
    )
    .unwrap();
    let (code, _, err) = ct(&data, &["lv", "registry", "import", reg.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("sites.csv:3: lat: 100 is outside"), "{err}");
    let (code, out, _) = ct(&data, &["lv", "registry", "show", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["sites"].as_object().unwrap().is_empty(), "nothing imported: {v}");
}

#[test]
fn malformed_and_oversized_proofs_are_clear_errors() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("store");
    let reg = d.path().join("reg");
    std::fs::create_dir_all(&reg).unwrap();
    let (code, pk, _) =
        ct(&data, &["lv", "keygen", "--out", d.path().join("chip").to_str().unwrap()]);
    assert_eq!(code, 0);
    std::fs::write(
        reg.join("sites.csv"),
        "site_id,lat,lon,country,radius_km\nS1,1.3,103.8,SG,30\n",
    )
    .unwrap();
    std::fs::write(
        reg.join("chips.csv"),
        format!("serial,model,public_key,site,t_proc_min_ms,t_proc_max_ms\nGPU-1,H100,{},S1,0.005,0.1\n", pk.trim()),
    )
    .unwrap();
    let (code, out, _) = ct(&data, &["lv", "status", "--format", "json"]);
    assert_eq!((code, out.trim()), (0, "[]"));
    let (code, out, err) = ct(&data, &["lv", "registry", "import", reg.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 added"), "{out}");
    let (_, out, _) = ct(&data, &["lv", "status", "--format", "json"]);
    assert!(out.contains("never_verified"), "{out}");
    let bad = d.path().join("bad.json");
    std::fs::write(&bad, r#"[{"body": {"version": 1}, "landmark_sig": "00"}]"#).unwrap();
    let (code, _, err) =
        ct(&data, &["lv", "verify", "--chip", "GPU-1", "--proofs", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.json") && err.contains("[0].body"), "{err}");
    std::fs::write(&bad, "not json").unwrap();
    let (code, _, err) =
        ct(&data, &["lv", "verify", "--chip", "GPU-1", "--proofs", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.json: not JSON"), "{err}");
    let big = d.path().join("big.json");
    std::fs::write(&big, vec![b' '; 5 * 1024 * 1024]).unwrap();
    let (code, _, err) =
        ct(&data, &["lv", "verify", "--chip", "GPU-1", "--proofs", big.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("limit"), "{err}");
    // no usable proof: an empty list is inconclusive (recorded, alert raised), never a pass
    std::fs::write(&bad, "[]").unwrap();
    let (code, out, err) = ct(
        &data,
        &[
            "lv",
            "verify",
            "--chip",
            "GPU-1",
            "--proofs",
            bad.to_str().unwrap(),
            "--format",
            "json",
            "--fail-unless-pass",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["result"], "inconclusive");
    assert!(v["alert"].is_i64());
    // status: the chip's latest verdict is not a pass
    let (code, out, _) = ct(&data, &["lv", "status", "--format", "json", "--fail-on-missed"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["chip"], "GPU-1");
    assert_eq!(v[0]["state"], "not_passing");
    let (code, out, _) = ct(&data, &["lv", "status", "--max-age-hours", "0", "--format", "json"]);
    assert_eq!(code, 0);
    assert!(out.contains("missed_check_in"), "{out}");
}

#[test]
fn nothing_listens_beyond_loopback_by_default() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("store");
    let (code, _, _) = ct(&data, &["lv", "keygen", "--out", d.path().join("lm").to_str().unwrap()]);
    assert_eq!(code, 0);
    let reg = d.path().join("reg");
    std::fs::create_dir_all(&reg).unwrap();
    std::fs::write(
        reg.join("sites.csv"),
        "site_id,lat,lon,country,radius_km\nS1,1.3,103.8,SG,30\n",
    )
    .unwrap();
    let key = d.path().join("lm.key");
    let (code, _, err) = ct(
        &data,
        &[
            "lv",
            "landmark",
            "serve",
            "--id",
            "LM",
            "--key",
            key.to_str().unwrap(),
            "--listen",
            "0.0.0.0:0",
            "--registry",
            reg.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--allow-remote"), "{err}");
    let (code, _, err) = ct(&data, &["lv", "forward", "--route", "0.0.0.0:0=127.0.0.1:1@1"]);
    assert_eq!(code, 2);
    assert!(err.contains("--allow-remote"), "{err}");
    let (code, _, err) = ct(&data, &["lv", "forward", "--route", "127.0.0.1:0=127.0.0.1:1@-3"]);
    assert_eq!(code, 2);
    assert!(err.contains("between 0 and 10000"), "{err}");
    // keygen refuses to overwrite a key
    let (code, _, err) =
        ct(&data, &["lv", "keygen", "--out", d.path().join("lm").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("refusing"), "{err}");
}
