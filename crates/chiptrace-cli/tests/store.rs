//! End-to-end tests of the system of record (`chiptrace-store`) through the
//! real `chiptrace` binary: tampering with the SQLite file is caught by
//! `audit verify` at the right event, SIGKILL never loses a committed
//! action, bad input is refused cleanly, and exports verify on their own.
//!
//! Every store here is built by running the real workflow (lists import →
//! parties import → rescreen → review → lists import of a changed list
//! version) in a temp dir. Tampering goes straight at the database with
//! rusqlite, after a WAL checkpoint, the way an attacker with file access
//! would.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use ed25519_dalek::{Signer, SigningKey};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};
use tempfile::TempDir;

// ------------------------------------------------------------------ helpers

fn demo(file: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/demo")).join(file)
}

/// `chiptrace --data-dir STORE`, isolated from the caller's environment.
fn ct(store: &Path) -> Command {
    let mut c = Command::cargo_bin("chiptrace").expect("binary built");
    c.env_remove("CHIPTRACE_DATA_DIR")
        .env_remove("CHIPTRACE_STORE_MAX_PAGES")
        .env("CHIPTRACE_ACTOR", "store-test")
        .arg("--data-dir")
        .arg(store);
    c
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run<I, S>(store: &Path, args: I) -> Out
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let o = ct(store).args(args).output().expect("chiptrace runs");
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Run a state-changing command that must succeed and report its commit.
fn run_ok<I, S>(store: &Path, args: I) -> Out
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<S> = args.into_iter().collect();
    let shown: Vec<String> =
        args.iter().map(|a| a.as_ref().to_string_lossy().into_owned()).collect();
    let o = run(store, &args);
    assert_eq!(o.code, 0, "chiptrace {shown:?} failed:\n{}\n{}", o.stdout, o.stderr);
    o
}

/// `audit verify --format json [extra]`: (exit code, report).
fn verify(store: &Path, extra: &[&OsStr]) -> (i32, Value, String) {
    let mut args: Vec<&OsStr> =
        vec![OsStr::new("audit"), OsStr::new("verify"), OsStr::new("--format"), OsStr::new("json")];
    args.extend_from_slice(extra);
    let o = run(store, &args);
    let v: Value = serde_json::from_str(&o.stdout).unwrap_or(Value::Null);
    (o.code, v, o.stderr)
}

fn assert_verifies(store: &Path) -> Value {
    let (code, v, err) = verify(store, &[]);
    assert_eq!(code, 0, "audit verify should pass: {v:#}\n{err}");
    assert_eq!(v["ok"], json!(true), "{v:#}");
    assert_eq!(v["problems"], json!([]), "{v:#}");
    v
}

/// Verify must fail (exit 1), and the first bad event must be one of
/// `expected`; some problem must mention `needle`.
fn assert_caught(store: &Path, extra: &[&OsStr], expected: &[i64], needle: &str) -> Value {
    let (code, v, err) = verify(store, extra);
    assert_eq!(code, 1, "audit verify should fail with exit 1: {v:#}\n{err}");
    assert_eq!(v["ok"], json!(false), "{v:#}");
    let first = v["first_bad_event"].as_i64();
    assert!(
        first.is_some_and(|f| expected.contains(&f)),
        "first_bad_event should be one of {expected:?}, got {first:?}:\n{v:#}"
    );
    let problems = problems(&v);
    assert!(problems.contains(needle), "no problem mentions {needle:?}:\n{problems}");
    v
}

fn problems(v: &Value) -> String {
    v["problems"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("\n"))
        .unwrap_or_default()
}

/// Open the database for tampering: the WAL is checkpointed into the main
/// file first; the connection is closed (and the WAL folded back) after.
fn with_db<T>(store: &Path, f: impl FnOnce(&Connection) -> T) -> T {
    let conn = Connection::open(store.join("chiptrace.db")).expect("open db");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).expect("checkpoint");
    let out = f(&conn);
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).expect("checkpoint");
    conn.close().map_err(|(_, e)| e).expect("close db");
    out
}

fn count(c: &Connection, sql: &str) -> i64 {
    c.query_row(sql, [], |r| r.get(0)).expect(sql)
}

/// The latest event describing a record (what verify compares it with).
fn latest_event(c: &Connection, table: &str, id: &str) -> i64 {
    c.query_row(
        "SELECT max(seq) FROM audit_events WHERE record_table = ?1 AND record_id = ?2",
        params![table, id],
        |r| r.get::<_, Option<i64>>(0),
    )
    .expect("latest event")
    .unwrap_or_else(|| panic!("no event describes {table}/{id}"))
}

fn head_seq(c: &Connection) -> i64 {
    count(c, "SELECT max(seq) FROM audit_events")
}

/// The demo parties as a parties CSV (id,name,schema,country,address,dob).
fn write_demo_parties(path: &Path) {
    let mut r = csv::Reader::from_path(demo("demo_parties.csv")).expect("demo parties");
    let mut w = csv::Writer::from_path(path).expect("write parties");
    w.write_record(["id", "name", "schema", "country", "address", "dob"]).expect("csv");
    for row in r.records() {
        let row = row.expect("csv row");
        w.write_record([&row[0], &row[1], &row[2], &row[3], &row[4], ""]).expect("csv");
    }
    w.flush().expect("flush");
}

fn write_parties(path: &Path, rows: &[(String, String)]) {
    let mut w = csv::Writer::from_path(path).expect("write parties");
    w.write_record(["id", "name", "schema", "country", "address", "dob"]).expect("csv");
    for (id, name) in rows {
        w.write_record([id.as_str(), name.as_str(), "Company", "DE", "1 Example Street", ""])
            .expect("csv");
    }
    w.flush().expect("flush");
}

fn demo_list() -> Value {
    serde_json::from_str(&fs::read_to_string(demo("demo_entity_list.json")).expect("demo list"))
        .expect("demo list json")
}

fn write_list(path: &Path, mut list: Value) {
    let n = list["entities"].as_array().map_or(0, Vec::len);
    list["count"] = json!(n);
    fs::write(path, serde_json::to_string_pretty(&list).expect("json")).expect("write list");
}

fn entity_index(list: &Value, name: &str) -> usize {
    list["entities"]
        .as_array()
        .and_then(|a| a.iter().position(|e| e["name"] == json!(name)))
        .unwrap_or_else(|| panic!("no demo entity named {name:?}"))
}

fn alerts(store: &Path) -> Vec<Value> {
    let o = run(store, ["alerts", "--format", "json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    serde_json::from_str::<Vec<Value>>(&o.stdout).expect("alerts json")
}

/// A store built by the real workflow.
struct Fixture {
    _tmp: TempDir,
    root: PathBuf,
    store: PathBuf,
}

fn workflow() -> Fixture {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().to_path_buf();
    let store = root.join("store");
    let parties = root.join("parties.csv");
    write_demo_parties(&parties);
    let o = run_ok(
        &store,
        [OsStr::new("lists"), OsStr::new("import"), demo("demo_entity_list.json").as_os_str()],
    );
    assert!(o.stderr.contains("committed: list version 1"), "{}", o.stderr);
    let o = run_ok(&store, [OsStr::new("parties"), OsStr::new("import"), parties.as_os_str()]);
    assert!(o.stderr.contains("committed: parties import"), "{}", o.stderr);
    let o = run_ok(&store, ["rescreen"]);
    assert!(o.stderr.contains("committed: screening run"), "{}", o.stderr);
    let al = alerts(&store);
    assert!(al.len() >= 4, "the demo parties should raise alerts: {al:?}");
    let (fp, tm, gone) = (&al[0], &al[2], &al[al.len() - 1]);
    let id = |a: &Value| a["id"].as_i64().expect("alert id").to_string();
    let o = run_ok(
        &store,
        [
            "review",
            &id(fp),
            "--disposition",
            "false_positive",
            "--reason",
            "different company: other registration number",
            "--reviewer",
            "alice",
        ],
    );
    assert!(o.stderr.contains("committed: review alert"), "{}", o.stderr);
    run_ok(
        &store,
        [
            "review",
            &id(tm),
            "--disposition",
            "true_match",
            "--reason",
            "same entity, same address",
            "--reviewer",
            "bob",
        ],
    );
    // list version 2: the cleared alert's entry changes (re-opens it), the
    // last alert's entry is removed (closes it), one entry is added
    let mut list = demo_list();
    let changed = entity_index(&list, fp["entry"]["name"].as_str().expect("entry name"));
    list["entities"][changed]["address"] =
        json!("Room 2001, Other Tower, Futian District, Shenzhen, China.");
    let removed = entity_index(&list, gone["entry"]["name"].as_str().expect("entry name"));
    assert_ne!(changed, removed, "pick different entries");
    list["entities"].as_array_mut().expect("entities").remove(removed);
    list["entities"].as_array_mut().expect("entities").push(json!({
        "name": "Nimbus Falcon Robotics Limited", "aliases": [], "country": "China",
        "address": "8 Demo Lane, Tianjin, China.", "status": null, "effective_date": "2026-06-01",
        "federal_register": "91 FR 00099, 6/1/26 (demo)", "notes": "For all items subject to the EAR. (demo)"
    }));
    let v2 = root.join("demo_entity_list_v2.json");
    write_list(&v2, list);
    let o = run_ok(&store, [OsStr::new("lists"), OsStr::new("import"), v2.as_os_str()]);
    assert!(o.stderr.contains("committed: list version 2"), "{}", o.stderr);
    assert!(o.stderr.contains("committed: screening run"), "{}", o.stderr);
    let reopened = alerts(&store).into_iter().any(|a| a["reopened"] == json!(true));
    assert!(reopened, "list version 2 should re-open the cleared alert");
    Fixture { _tmp: tmp, root, store }
}

// ------------------------------------------------- SHA-256, hex, the chain

/// SHA-256 (FIPS 180-4); the test crate has no hashing dependency and
/// forging events needs one.
fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([
                chunk[4 * i],
                chunk[4 * i + 1],
                chunk[4 * i + 2],
                chunk[4 * i + 3],
            ]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    let s = s.trim();
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

fn sha256_hex(b: &[u8]) -> String {
    hex(&sha256(b))
}

/// Canonical JSON (serde_json's map is sorted) and the record hash.
fn record_hash(v: &Value) -> String {
    sha256_hex(serde_json::to_string(v).expect("json").as_bytes())
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One row of `audit_events`.
#[derive(Debug, Clone)]
struct Ev {
    seq: i64,
    at: String,
    kind: String,
    actor: String,
    table: String,
    id: String,
    rhash: String,
    payload: String,
    prev: String,
    hash: String,
}

impl Ev {
    fn chain_hash(&self) -> String {
        let seq = self.seq.to_string();
        let parts = [
            "chiptrace-audit-v1",
            &seq,
            &self.at,
            &self.kind,
            &self.actor,
            &self.table,
            &self.id,
            &self.rhash,
            &self.payload,
            &self.prev,
        ];
        sha256_hex(parts.join("\u{1f}").as_bytes())
    }

    fn insert(&self, c: &Connection) {
        c.execute(
            "INSERT INTO audit_events(seq, at, kind, actor, record_table, record_id, record_hash, payload, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                self.seq, self.at, self.kind, self.actor, self.table, self.id, self.rhash,
                self.payload, self.prev, self.hash
            ],
        )
        .expect("insert event");
    }
}

fn events(c: &Connection) -> Vec<Ev> {
    let mut st = c
        .prepare(
            "SELECT seq, at, kind, actor, record_table, record_id, record_hash, payload, prev_hash, hash
             FROM audit_events ORDER BY seq",
        )
        .expect("prepare");
    st.query_map([], |r| {
        Ok(Ev {
            seq: r.get(0)?,
            at: r.get(1)?,
            kind: r.get(2)?,
            actor: r.get(3)?,
            table: r.get(4)?,
            id: r.get(5)?,
            rhash: r.get(6)?,
            payload: r.get(7)?,
            prev: r.get(8)?,
            hash: r.get(9)?,
        })
    })
    .expect("query")
    .collect::<Result<_, _>>()
    .expect("events")
}

/// Rewrite the whole chain consistently after `edit` changed event fields
/// (what an attacker who knows the algorithm does), then re-sign every
/// checkpoint with `key` and its own public key.
fn rechain(c: &Connection, key: &SigningKey, edit: impl Fn(&mut Ev)) {
    let mut prev = GENESIS.to_string();
    let mut hashes = std::collections::BTreeMap::new();
    for mut e in events(c) {
        edit(&mut e);
        e.prev = prev.clone();
        e.hash = e.chain_hash();
        c.execute(
            "UPDATE audit_events SET at=?2, kind=?3, actor=?4, record_table=?5, record_id=?6, record_hash=?7, payload=?8, prev_hash=?9, hash=?10 WHERE seq=?1",
            params![e.seq, e.at, e.kind, e.actor, e.table, e.id, e.rhash, e.payload, e.prev, e.hash],
        )
        .expect("rewrite event");
        prev = e.hash.clone();
        hashes.insert(e.seq, e.hash);
    }
    let cps: Vec<(i64, String)> = {
        let mut st = c.prepare("SELECT seq, at FROM audit_checkpoints").expect("prepare");
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("checkpoints")
    };
    for (seq, at) in cps {
        let hash = hashes.get(&seq).cloned().unwrap_or_default();
        let sig = key.sign(format!("chiptrace-audit-v1|{seq}|{hash}|{at}").as_bytes());
        c.execute(
            "UPDATE audit_checkpoints SET hash=?2, public_key=?3, signature=?4 WHERE seq=?1",
            params![seq, hash, hex(key.verifying_key().as_bytes()), hex(&sig.to_bytes())],
        )
        .expect("re-sign checkpoint");
    }
}

fn store_key(store: &Path) -> SigningKey {
    let b = unhex(&fs::read_to_string(store.join("keys/audit-ed25519.key")).expect("key file"));
    SigningKey::from_bytes(&b.try_into().expect("32-byte key"))
}

fn other_key() -> SigningKey {
    SigningKey::from_bytes(&[0x42; 32])
}

/// The canonical record of a party row, as the store hashes it.
fn party_record(c: &Connection, id: &str) -> Value {
    c.query_row(
        "SELECT id, name, schema, country, address, dob, fingerprint, updated_at FROM parties WHERE id = ?1",
        [id],
        |r| {
            Ok(json!({
                "id": r.get::<_, String>(0)?, "name": r.get::<_, String>(1)?,
                "schema": r.get::<_, Option<String>>(2)?, "country": r.get::<_, Option<String>>(3)?,
                "address": r.get::<_, Option<String>>(4)?, "dob": r.get::<_, Option<String>>(5)?,
                "fingerprint": r.get::<_, String>(6)?, "updated_at": r.get::<_, String>(7)?,
            }))
        },
    )
    .expect("party row")
}

fn disposition_record(c: &Connection, id: i64) -> Value {
    c.query_row(
        "SELECT id, alert_id, disposition, reviewer, reason, at, party_fp, entry_fp FROM dispositions WHERE id = ?1",
        [id],
        |r| {
            Ok(json!({
                "id": r.get::<_, i64>(0)?, "alert_id": r.get::<_, i64>(1)?,
                "disposition": r.get::<_, String>(2)?, "reviewer": r.get::<_, String>(3)?,
                "reason": r.get::<_, String>(4)?, "at": r.get::<_, String>(5)?,
                "party_fp": r.get::<_, String>(6)?, "entry_fp": r.get::<_, String>(7)?,
            }))
        },
    )
    .expect("disposition row")
}

#[test]
fn test_helpers_reproduce_the_stores_hashes() {
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        sha256_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
    let f = workflow();
    with_db(&f.store, |c| {
        let evs = events(c);
        let mut prev = GENESIS.to_string();
        for e in &evs {
            assert_eq!(e.prev, prev);
            assert_eq!(e.chain_hash(), e.hash, "event {}", e.seq);
            prev = e.hash.clone();
        }
        let p = evs.iter().find(|e| e.table == "parties").expect("a party event");
        let latest = latest_event(c, "parties", &p.id);
        let e = &evs[usize::try_from(latest - 1).expect("seq")];
        assert_eq!(record_hash(&party_record(c, &p.id)), e.rhash);
        let d = latest_event(c, "dispositions", "1");
        assert_eq!(
            record_hash(&disposition_record(c, 1)),
            evs[usize::try_from(d - 1).expect("seq")].rhash
        );
    });
}

// ------------------------------------------------------- 1. tampering caught

#[test]
fn untouched_store_verifies() {
    let f = workflow();
    let v = assert_verifies(&f.store);
    let n = with_db(&f.store, |c| count(c, "SELECT count(*) FROM audit_events"));
    assert_eq!(v["events"], json!(n));
    assert_eq!(v["signed_through"], json!(n), "every event is covered by a signature");
    assert_eq!(v["first_bad_event"], Value::Null);
    // the table format says OK too, exit 0
    let o = run(&f.store, ["audit", "verify"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("audit log OK"), "{}", o.stdout);
}

#[test]
fn edited_alert_score_is_caught_at_the_alerts_latest_event() {
    let f = workflow();
    assert_verifies(&f.store);
    let (id, expect) = with_db(&f.store, |c| {
        // the alert with the most history: its latest event is not its first
        let id: String = c
            .query_row(
                "SELECT record_id FROM audit_events WHERE record_table='alerts'
                 GROUP BY record_id ORDER BY count(*) DESC, max(seq) DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .expect("an alert");
        let expect = latest_event(c, "alerts", &id);
        let n = c.execute("UPDATE alerts SET score = 0.5 WHERE id = ?1", [&id]).expect("tamper");
        assert_eq!(n, 1);
        (id, expect)
    });
    assert_caught(&f.store, &[], &[expect], &format!("alerts/{id}"));
}

#[test]
fn edited_screening_result_score_is_caught_at_its_runs_event() {
    let f = workflow();
    assert_verifies(&f.store);
    let (run, expect) = with_db(&f.store, |c| {
        let run: i64 = count(c, "SELECT min(run_id) FROM screening_results");
        let expect = latest_event(c, "screening_runs", &run.to_string());
        let n = c
            .execute(
                "UPDATE screening_results SET score = score / 2 WHERE rowid =
                   (SELECT min(rowid) FROM screening_results WHERE run_id = ?1)",
                [run],
            )
            .expect("tamper");
        assert_eq!(n, 1);
        (run, expect)
    });
    assert_caught(&f.store, &[], &[expect], &format!("screening_runs/{run}"));
}

#[test]
fn edited_disposition_reason_is_caught() {
    let f = workflow();
    assert_verifies(&f.store);
    let expect = with_db(&f.store, |c| {
        let expect = latest_event(c, "dispositions", "1");
        c.execute("UPDATE dispositions SET reason = 'looked fine to me' WHERE id = 1", [])
            .expect("tamper");
        expect
    });
    assert_caught(&f.store, &[], &[expect], "dispositions/1");
}

#[test]
fn deleted_middle_event_is_caught() {
    let f = workflow();
    assert_verifies(&f.store);
    let k = with_db(&f.store, |c| {
        let k = count(c, "SELECT min(seq) FROM audit_events WHERE kind = 'disposition_recorded'");
        assert!(k < head_seq(c));
        c.execute("DELETE FROM audit_events WHERE seq = ?1", [k]).expect("tamper");
        k
    });
    // the gap: the missing event, or the first event after it that no longer links
    assert_caught(&f.store, &[], &[k, k + 1], "missing");
}

#[test]
fn deleted_event_that_last_changed_a_record_is_caught_at_the_gap() {
    // An attacker deletes the event that recorded the latest change of an
    // alert. The report must point at the gap, not at an older, genuine
    // event of the same alert.
    let f = workflow();
    assert_verifies(&f.store);
    let k = with_db(&f.store, |c| {
        let (k, id): (i64, String) = c
            .query_row(
                "SELECT seq, record_id FROM audit_events e
                 WHERE record_table = 'alerts' AND seq < (SELECT max(seq) FROM audit_events)
                   AND seq = (SELECT max(seq) FROM audit_events WHERE record_table = e.record_table AND record_id = e.record_id)
                   AND EXISTS (SELECT 1 FROM audit_events WHERE record_table = e.record_table AND record_id = e.record_id AND seq < e.seq)
                 ORDER BY seq LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("an alert changed after it was opened");
        assert!(!id.is_empty());
        c.execute("DELETE FROM audit_events WHERE seq = ?1", [k]).expect("tamper");
        k
    });
    assert_caught_or_report(&f.store, &[k, k + 1], "missing");
}

/// Like [`assert_caught`], with a hint in the failure message when the
/// report blames an earlier, untouched event.
fn assert_caught_or_report(store: &Path, expected: &[i64], needle: &str) -> Value {
    let (code, v, err) = verify(store, &[]);
    assert_eq!(code, 1, "audit verify should fail with exit 1: {v:#}\n{err}");
    let first = v["first_bad_event"].as_i64();
    assert!(
        first.is_some_and(|f| expected.contains(&f)),
        "first_bad_event should name the tampered place {expected:?}, got {first:?} \
         (an untouched event, blamed because the record no longer matches its \
         remaining older event):\n{v:#}"
    );
    assert!(problems(&v).contains(needle), "{v:#}");
    v
}

#[test]
fn deleted_last_event_is_caught() {
    let f = workflow();
    assert_verifies(&f.store);
    let last = with_db(&f.store, |c| {
        let last = head_seq(c);
        c.execute("DELETE FROM audit_events WHERE seq = ?1", [last]).expect("tamper");
        last
    });
    assert_caught_or_report(&f.store, &[last], "missing");
}

#[test]
fn swapped_event_seqs_are_caught() {
    let f = workflow();
    assert_verifies(&f.store);
    let a = with_db(&f.store, |c| {
        let a = count(c, "SELECT min(seq) FROM audit_events WHERE kind = 'party_added'");
        let b = a + 3;
        c.execute("UPDATE audit_events SET seq = -1 WHERE seq = ?1", [a]).expect("tamper");
        c.execute("UPDATE audit_events SET seq = ?1 WHERE seq = ?2", [a, b]).expect("tamper");
        c.execute("UPDATE audit_events SET seq = ?1 WHERE seq = -1", [b]).expect("tamper");
        a
    });
    assert_caught(&f.store, &[], &[a], &format!("event {a}"));
}

#[test]
fn swapped_event_contents_are_caught() {
    let f = workflow();
    assert_verifies(&f.store);
    let a = with_db(&f.store, |c| {
        let a = count(c, "SELECT min(seq) FROM audit_events WHERE kind = 'alert_opened'");
        let evs = events(c);
        let (x, y) =
            (&evs[usize::try_from(a - 1).expect("seq")], &evs[usize::try_from(a).expect("seq")]);
        assert_eq!((x.seq, y.seq), (a, a + 1));
        for (seq, e) in [(a, y), (a + 1, x)] {
            c.execute(
                "UPDATE audit_events SET at=?2, kind=?3, actor=?4, record_table=?5, record_id=?6, record_hash=?7, payload=?8, prev_hash=?9, hash=?10 WHERE seq=?1",
                params![seq, e.at, e.kind, e.actor, e.table, e.id, e.rhash, e.payload, e.prev, e.hash],
            )
            .expect("tamper");
        }
        a
    });
    assert_caught(&f.store, &[], &[a], &format!("event {a}"));
}

#[test]
fn forged_event_appended_with_a_valid_chain_hash_is_caught() {
    // The forger knows the (public) chain algorithm but not the signing key:
    // they change a party and append a well-formed event describing it.
    let f = workflow();
    assert_verifies(&f.store);
    let forged = with_db(&f.store, |c| {
        let head = events(c).pop().expect("events");
        c.execute("UPDATE parties SET name = 'Harmless Trading GmbH' WHERE id = 'P001'", [])
            .expect("tamper party");
        let rec = party_record(c, "P001");
        let mut e = Ev {
            seq: head.seq + 1,
            at: head.at.clone(),
            kind: "party_updated".into(),
            actor: "mallory".into(),
            table: "parties".into(),
            id: "P001".into(),
            rhash: record_hash(&rec),
            payload: r#"{"country":"CN","name":"Harmless Trading GmbH"}"#.into(),
            prev: head.hash.clone(),
            hash: String::new(),
        };
        e.hash = e.chain_hash();
        e.insert(c);
        e.seq
    });
    assert_caught(&f.store, &[], &[forged], "not covered by a signed checkpoint");
}

#[test]
fn forged_event_inserted_in_the_middle_is_caught() {
    let f = workflow();
    assert_verifies(&f.store);
    let k = with_db(&f.store, |c| {
        let k = count(c, "SELECT min(seq) FROM audit_events WHERE kind = 'alert_opened'");
        let prev: String = c
            .query_row("SELECT hash FROM audit_events WHERE seq = ?1", [k - 1], |r| r.get(0))
            .expect("prev");
        // make room: k.. move up by one
        c.execute("UPDATE audit_events SET seq = -(seq + 1) WHERE seq >= ?1", [k]).expect("shift");
        c.execute("UPDATE audit_events SET seq = -seq WHERE seq < 0", []).expect("shift");
        c.execute("UPDATE parties SET country = 'DE' WHERE id = 'P008'", []).expect("tamper");
        let rec = party_record(c, "P008");
        let mut e = Ev {
            seq: k,
            at: "2026-01-01T00:00:00Z".into(),
            kind: "party_updated".into(),
            actor: "mallory".into(),
            table: "parties".into(),
            id: "P008".into(),
            rhash: record_hash(&rec),
            payload: r#"{"country":"DE","name":"Acme Precision Tools GmbH"}"#.into(),
            prev,
            hash: String::new(),
        };
        e.hash = e.chain_hash();
        e.insert(c);
        k
    });
    assert_caught(&f.store, &[], &[k, k + 1], &format!("event {}", k + 1));
}

#[test]
fn edited_event_payload_is_caught() {
    let f = workflow();
    assert_verifies(&f.store);
    let k = with_db(&f.store, |c| {
        let k = count(c, "SELECT min(seq) FROM audit_events WHERE kind = 'alert_reviewed'");
        let n = c
            .execute(
                "UPDATE audit_events SET payload = replace(payload, 'false_positive', 'escalated') WHERE seq = ?1",
                [k],
            )
            .expect("tamper");
        assert_eq!(n, 1);
        k
    });
    assert_caught(&f.store, &[], &[k], "content was edited");
}

#[test]
fn party_inserted_outside_chiptrace_is_caught() {
    let f = workflow();
    assert_verifies(&f.store);
    with_db(&f.store, |c| {
        c.execute(
            "INSERT INTO parties(id, name, schema, country, address, dob, fingerprint, updated_at)
             VALUES ('PX99', 'Smuggled Party Ltd', 'Company', 'CN', NULL, NULL, 'x', '2026-01-01T00:00:00Z')",
            [],
        )
        .expect("tamper");
    });
    let (code, v, err) = verify(&f.store, &[]);
    assert_eq!(code, 1, "{v:#}\n{err}");
    assert_eq!(v["ok"], json!(false));
    let p = problems(&v);
    assert!(p.contains("parties/PX99") && p.contains("no audit event"), "{p}");
    // no event describes it: no genuine event may be blamed
    assert_eq!(v["first_bad_event"], Value::Null, "{v:#}");
}

#[test]
fn deleted_party_row_is_caught() {
    let f = workflow();
    assert_verifies(&f.store);
    let expect = with_db(&f.store, |c| {
        let expect = latest_event(c, "parties", "P008");
        assert_eq!(c.execute("DELETE FROM parties WHERE id = 'P008'", []).expect("tamper"), 1);
        expect
    });
    let v = assert_caught(&f.store, &[], &[expect], "parties/P008");
    assert!(problems(&v).contains("no longer exists"), "{v:#}");
}

#[test]
fn checkpoints_resigned_with_another_key_are_caught() {
    let f = workflow();
    assert_verifies(&f.store);
    let first_cp = with_db(&f.store, |c| {
        let key = other_key();
        let cps: Vec<(i64, String, String)> = {
            let mut st = c.prepare("SELECT seq, hash, at FROM audit_checkpoints").expect("prepare");
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("rows")
        };
        for (seq, hash, at) in &cps {
            let sig = key.sign(format!("chiptrace-audit-v1|{seq}|{hash}|{at}").as_bytes());
            c.execute(
                "UPDATE audit_checkpoints SET public_key = ?2, signature = ?3 WHERE seq = ?1",
                params![seq, hex(key.verifying_key().as_bytes()), hex(&sig.to_bytes())],
            )
            .expect("tamper");
        }
        cps.iter().map(|c| c.0).min().expect("checkpoints")
    });
    assert_caught(&f.store, &[], &[first_cp], "another key");
}

#[test]
fn rewritten_log_with_replaced_key_files_is_caught_by_the_original_public_key() {
    let f = workflow();
    assert_verifies(&f.store);
    // the examiner kept a copy of the original public key
    let original = f.root.join("original.pub");
    let o = run(&f.store, ["audit", "public-key"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    fs::write(&original, o.stdout.trim()).expect("write pub");
    assert_eq!(
        o.stdout.trim(),
        fs::read_to_string(f.store.join("keys/audit-ed25519.pub")).expect("pub").trim()
    );
    // the attacker edits a disposition, fixes its event and the whole chain,
    // re-signs every checkpoint with a key of their own and swaps the key files
    let key = other_key();
    let first_cp = with_db(&f.store, |c| {
        c.execute("UPDATE dispositions SET reason = 'approved by phone' WHERE id = 1", [])
            .expect("tamper");
        let rh = record_hash(&disposition_record(c, 1));
        let seq = latest_event(c, "dispositions", "1");
        rechain(c, &key, |e| {
            if e.seq == seq {
                e.rhash = rh.clone();
            }
        });
        count(c, "SELECT min(seq) FROM audit_checkpoints")
    });
    fs::write(f.store.join("keys/audit-ed25519.key"), hex(key.as_bytes())).expect("key");
    let forged_pub = f.store.join("keys/audit-ed25519.pub");
    fs::write(&forged_pub, hex(key.verifying_key().as_bytes())).expect("pub");
    // the forgery is perfect as far as the forged key goes...
    let (code, v, err) = verify(&f.store, &[OsStr::new("--public-key"), forged_pub.as_os_str()]);
    assert_eq!(code, 0, "the forgery itself should be consistent: {v:#}\n{err}");
    // ...but not with the key the examiner trusts
    assert_caught(
        &f.store,
        &[OsStr::new("--public-key"), original.as_os_str()],
        &[first_cp],
        "another key",
    );
}

#[test]
fn edited_list_entry_name_is_caught_at_its_versions_event() {
    let f = workflow();
    assert_verifies(&f.store);
    let expect = with_db(&f.store, |c| {
        let v = count(c, "SELECT max(id) FROM list_versions");
        let n = c
            .execute(
                "UPDATE list_entries SET data_json = replace(data_json, '\"name\":\"', '\"name\":\"Not ')
                 WHERE version_id = ?1 AND rowid = (SELECT min(rowid) FROM list_entries WHERE version_id = ?1)",
                [v],
            )
            .expect("tamper");
        assert!(n >= 1);
        latest_event(c, "list_versions", &v.to_string())
    });
    assert_caught(&f.store, &[], &[expect], "list_versions/");
}

#[test]
fn edited_list_entry_remarks_are_caught_at_its_versions_event() {
    // The recorded entries are the evidence of what the list said (licence
    // requirement, Federal Register citation, remarks): any edit of a stored
    // entry must be caught, not only edits of the fields matching reads.
    let f = workflow();
    assert_verifies(&f.store);
    let expect = with_db(&f.store, |c| {
        let v = count(c, "SELECT max(id) FROM list_versions");
        let n = c
            .execute(
                "UPDATE list_entries SET data_json = replace(data_json, 'For all items subject to the EAR', 'For no items') WHERE version_id = ?1",
                [v],
            )
            .expect("tamper");
        assert!(n >= 1);
        latest_event(c, "list_versions", &v.to_string())
    });
    assert_caught(&f.store, &[], &[expect], "list_versions/");
}

#[test]
fn db_file_truncated_to_half_gives_a_clear_error() {
    let f = workflow();
    assert_verifies(&f.store);
    let db = f.store.join("chiptrace.db");
    // the WAL is folded into the main file first, so the truncation hits data
    with_db(&f.store, |_| {});
    assert!(
        !f.store.join("chiptrace.db-wal").exists()
            || fs::metadata(f.store.join("chiptrace.db-wal")).map(|m| m.len()).unwrap_or(0) == 0
    );
    let len = fs::metadata(&db).expect("db").len();
    fs::OpenOptions::new().write(true).open(&db).expect("open").set_len(len / 2).expect("truncate");
    let (code, v, err) = verify(&f.store, &[]);
    assert_ne!(code, 0, "a truncated store must not verify: {v:#}\n{err}");
    assert_ne!(v["ok"], json!(true));
    // either refused with an error naming the file, or a report saying so
    let clear = (code == 2
        && err.contains("chiptrace.db")
        && (err.contains("malformed")
            || err.contains("damaged")
            || err.contains("not a chiptrace store")))
        || (code == 1 && problems(&v).contains("damaged"));
    assert!(clear, "unclear error (exit {code}): {err}\n{v:#}");
}

#[test]
fn db_file_truncated_to_zero_is_not_silently_recreated() {
    // A store whose database file was emptied (keys still there, events gone)
    // must not verify as a fresh, healthy store.
    let f = workflow();
    assert_verifies(&f.store);
    with_db(&f.store, |_| {});
    let db = f.store.join("chiptrace.db");
    fs::OpenOptions::new().write(true).open(&db).expect("open").set_len(0).expect("truncate");
    let (code, v, err) = verify(&f.store, &[]);
    assert_ne!(
        code, 0,
        "an emptied chiptrace.db was accepted (re-initialised as a new store): {v:#}\n{err}"
    );
}

// -------------------------------------------------- 2. nothing lost: SIGKILL

/// SplitMix64: deterministic per trial, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Parties,
    Review,
    Rescreen,
    Lists,
}

const KINDS: [Kind; 4] = [Kind::Parties, Kind::Review, Kind::Rescreen, Kind::Lists];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KillAt {
    /// right after spawning
    Start,
    /// as soon as the first `committed:` line is read
    AfterCommit,
    /// after a random delay (µs)
    Delay(u64),
}

/// What one trial asked for, to check once it was killed.
#[derive(Debug)]
enum Action {
    Parties { rows: Vec<(String, String)> },
    Review { alert: i64, disposition: String, reason: String },
    Rescreen,
    Lists { path: String },
}

struct Spawned {
    args: Vec<String>,
    action: Action,
}

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_chiptrace"))
}

fn std_cmd(store: &Path, args: &[String]) -> StdCommand {
    let mut c = StdCommand::new(bin());
    c.env_remove("CHIPTRACE_DATA_DIR")
        .env_remove("CHIPTRACE_STORE_MAX_PAGES")
        .env("CHIPTRACE_ACTOR", "kill-test")
        .arg("--data-dir")
        .arg(store)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

/// Prepare the command of a trial (files, the alert to review, ...).
fn prepare(root: &Path, store: &Path, trial: u64, kind: Kind, rng: &mut Rng) -> Spawned {
    match kind {
        Kind::Parties => {
            // new parties and changes to parties of earlier trials
            let mut rows: Vec<(String, String)> = (0..60)
                .map(|j| {
                    (
                        format!("K{trial:03}-{j:02}"),
                        format!("Trial {trial} Supplier {j} Precision Components GmbH"),
                    )
                })
                .collect();
            let earlier: Vec<String> = read_db(store, |c| {
                let mut st = c
                    .prepare("SELECT id FROM parties WHERE id LIKE 'K%' ORDER BY id")
                    .expect("prepare");
                st.query_map([], |r| r.get(0))
                    .expect("query")
                    .collect::<Result<_, _>>()
                    .expect("ids")
            });
            let mut changed = BTreeSet::new();
            for _ in 0..earlier.len().min(8) {
                changed.insert(
                    earlier[usize::try_from(rng.below(earlier.len() as u64)).expect("index")]
                        .clone(),
                );
            }
            for id in changed {
                rows.push((id.clone(), format!("Renamed {id} Holdings (rev {trial})")));
            }
            let path = root.join(format!("batch-{trial:03}.csv"));
            write_parties(&path, &rows);
            Spawned {
                args: vec!["parties".into(), "import".into(), path.display().to_string()],
                action: Action::Parties { rows },
            }
        }
        Kind::Review => {
            let open: Vec<i64> = read_db(store, |c| {
                let mut st = c
                    .prepare("SELECT id FROM alerts WHERE status != 'closed' ORDER BY id")
                    .expect("prepare");
                st.query_map([], |r| r.get(0))
                    .expect("query")
                    .collect::<Result<_, _>>()
                    .expect("ids")
            });
            assert!(!open.is_empty(), "trial {trial}: no alert left to review");
            let alert = open[usize::try_from(rng.below(open.len() as u64)).expect("index")];
            let disposition = ["false_positive", "true_match", "escalated"]
                [usize::try_from(rng.below(3)).expect("index")];
            let reason = format!("trial {trial} review {}", rng.next());
            Spawned {
                args: vec![
                    "review".into(),
                    alert.to_string(),
                    "--disposition".into(),
                    disposition.into(),
                    "--reason".into(),
                    reason.clone(),
                    "--reviewer".into(),
                    format!("reviewer{trial}"),
                ],
                action: Action::Review { alert, disposition: disposition.into(), reason },
            }
        }
        Kind::Rescreen => {
            Spawned { args: vec!["rescreen".into(), "--full".into()], action: Action::Rescreen }
        }
        Kind::Lists => {
            let mut list = demo_list();
            let n = list["entities"].as_array().map_or(0, Vec::len);
            let i = usize::try_from(rng.below(n as u64)).expect("index");
            list["entities"][i]["address"] = json!(format!("{trial} Changed Road, Example City"));
            list["entities"][(i + 1) % n]["notes"] = json!(format!("remarks of trial {trial}"));
            if trial.is_multiple_of(3) {
                let j = usize::try_from(rng.below(n as u64)).expect("index");
                list["entities"].as_array_mut().expect("entities").remove(j);
            }
            let path = root.join(format!("list-{trial:03}.json"));
            write_list(&path, list);
            let p = path.display().to_string();
            Spawned {
                args: vec!["lists".into(), "import".into(), p.clone()],
                action: Action::Lists { path: p },
            }
        }
    }
}

fn read_db<T>(store: &Path, f: impl FnOnce(&Connection) -> T) -> T {
    let conn = Connection::open(store.join("chiptrace.db")).expect("open db");
    let out = f(&conn);
    conn.close().map_err(|(_, e)| e).expect("close db");
    out
}

/// Spawn, kill, and return the `committed:` lines that reached stderr,
/// whether it finished on its own, its stderr, and (when killed after the
/// commit) the time the first commit took.
fn spawn_and_kill(
    store: &Path,
    args: &[String],
    at: KillAt,
) -> (Vec<String>, bool, String, Option<u64>) {
    let t0 = Instant::now();
    let mut child = std_cmd(store, args).spawn().expect("spawn chiptrace");
    let mut to_commit = None;
    let mut stderr = child.stderr.take().expect("stderr");
    let mut text = String::new();
    match at {
        KillAt::Start => {
            let _ = child.kill();
        }
        KillAt::Delay(us) => {
            std::thread::sleep(Duration::from_micros(us));
            let _ = child.kill();
        }
        KillAt::AfterCommit => {
            let mut r = BufReader::new(&mut stderr);
            let mut line = String::new();
            loop {
                line.clear();
                if r.read_line(&mut line).expect("read stderr") == 0 {
                    break;
                }
                text.push_str(&line);
                if line.starts_with("committed:") {
                    to_commit = u64::try_from(t0.elapsed().as_micros()).ok();
                    break;
                }
            }
            let _ = child.kill();
        }
    }
    let status = child.wait().expect("wait");
    stderr.read_to_string(&mut text).expect("read stderr");
    let committed: Vec<String> =
        text.lines().filter_map(|l| l.strip_prefix("committed: ").map(String::from)).collect();
    // exited on its own (not by the kill) with success?
    let finished = status.success();
    if status.code().is_some() && !finished {
        panic!("chiptrace {args:?} failed on its own ({status}):\n{text}");
    }
    (committed, finished, text, to_commit)
}

fn trailing_id(line: &str, prefix: &str) -> Option<i64> {
    line.strip_prefix(prefix).and_then(|r| r.trim().parse().ok())
}

#[derive(Default)]
struct Durable {
    parties: Vec<(String, String)>,
    reasons: Vec<String>,
    list_versions: Vec<i64>,
    runs: Vec<i64>,
}

fn check_durable(store: &Path, d: &Durable, context: &str) {
    read_db(store, |c| {
        for (id, _) in &d.parties {
            let n = count(c, &format!("SELECT count(*) FROM parties WHERE id = '{id}'"));
            assert_eq!(n, 1, "{context}: committed party {id} is missing");
        }
        for r in &d.reasons {
            let n: i64 = c
                .query_row("SELECT count(*) FROM dispositions WHERE reason = ?1", [r], |x| x.get(0))
                .expect("count");
            assert_eq!(n, 1, "{context}: committed review {r:?} is missing");
        }
        for v in &d.list_versions {
            let n = count(c, &format!("SELECT count(*) FROM list_versions WHERE id = {v}"));
            assert_eq!(n, 1, "{context}: committed list version {v} is missing");
        }
        for r in &d.runs {
            let n = count(c, &format!("SELECT count(*) FROM screening_runs WHERE id = {r}"));
            assert_eq!(n, 1, "{context}: committed screening run {r} is missing");
        }
    });
}

#[test]
fn sigkill_never_loses_a_committed_action() {
    const TRIALS: u64 = 96;
    let t0 = Instant::now();
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().to_path_buf();
    let store = root.join("store");
    let parties = root.join("parties.csv");
    write_demo_parties(&parties);
    run_ok(
        &store,
        [OsStr::new("lists"), OsStr::new("import"), demo("demo_entity_list.json").as_os_str()],
    );
    run_ok(&store, [OsStr::new("parties"), OsStr::new("import"), parties.as_os_str()]);
    run_ok(&store, ["rescreen"]);

    // typical duration of each kind of command, measured on this store
    let mut typical = [0u64; 4];
    for (i, kind) in KINDS.iter().enumerate() {
        let mut rng = Rng(0xd00d + i as u64);
        let s = prepare(&root, &store, 900 + i as u64, *kind, &mut rng);
        let t = Instant::now();
        let out = std_cmd(&store, &s.args).output().expect("run");
        typical[i] = u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX);
        assert!(out.status.success(), "{:?}: {}", s.args, String::from_utf8_lossy(&out.stderr));
    }
    eprintln!(
        "typical durations (µs): parties {} review {} rescreen {} lists {}",
        typical[0], typical[1], typical[2], typical[3]
    );

    let mut durable = Durable::default();
    let (mut n_committed, mut n_killed_before, mut n_finished) = (0, 0, 0);
    for trial in 0..TRIALS {
        let mut rng = Rng(0x5eed_0000 + trial);
        let ki = usize::try_from(trial % 4).expect("index");
        let kind = KINDS[ki];
        let at = match (trial / 4) % 4 {
            0 => KillAt::Start,
            1 => KillAt::AfterCommit,
            _ => KillAt::Delay(rng.below(typical[ki] * 13 / 10 + 1)),
        };
        let s = prepare(&root, &store, trial, kind, &mut rng);
        let (before_versions, before_parties) = read_db(&store, |c| {
            (
                count(c, "SELECT count(*) FROM list_versions"),
                count(c, "SELECT count(*) FROM parties"),
            )
        });
        let (committed, finished, text, to_commit) = spawn_and_kill(&store, &s.args, at);
        // the store grows: keep the delays spread over what a command takes now
        if let Some(t) = to_commit {
            typical[ki] = typical[ki].max(t * 11 / 10);
        }
        let ctx = format!(
            "trial {trial} ({kind:?}, kill {at:?}, committed {committed:?}; stderr:\n{text})"
        );
        if finished {
            n_finished += 1;
        }
        if committed.is_empty() {
            n_killed_before += 1;
        } else {
            n_committed += 1;
        }
        // reopen: the store verifies
        let (code, v, err) = verify(&store, &[]);
        assert!(code == 0 && v["ok"] == json!(true), "{ctx}\naudit verify failed: {v:#}\n{err}");
        // every committed action is there; uncommitted ones are all or nothing
        read_db(&store, |c| match &s.action {
            Action::Parties { rows } => {
                let matching = rows
                    .iter()
                    .filter(|(id, name)| {
                        c.query_row("SELECT name FROM parties WHERE id = ?1", [id], |r| {
                            r.get::<_, String>(0)
                        })
                        .optional()
                        .expect("query")
                        .is_some_and(|n| n == *name)
                    })
                    .count();
                if committed.iter().any(|l| l.starts_with("parties import")) {
                    assert_eq!(matching, rows.len(), "{ctx}: committed import not all there");
                    durable.parties.extend(rows.iter().cloned());
                } else {
                    assert!(
                        matching == 0 || matching == rows.len(),
                        "{ctx}: half an import is visible ({matching} of {} rows)",
                        rows.len()
                    );
                    let now = count(c, "SELECT count(*) FROM parties");
                    assert!(now == before_parties || matching == rows.len(), "{ctx}");
                }
            }
            Action::Review { alert, disposition, reason } => {
                let rows: Vec<(i64, String)> = {
                    let mut st = c
                        .prepare("SELECT alert_id, disposition FROM dispositions WHERE reason = ?1")
                        .expect("prepare");
                    st.query_map([reason], |r| Ok((r.get(0)?, r.get(1)?)))
                        .expect("query")
                        .collect::<Result<_, _>>()
                        .expect("rows")
                };
                let status: String = c
                    .query_row("SELECT status FROM alerts WHERE id = ?1", [alert], |r| r.get(0))
                    .expect("alert");
                if committed.iter().any(|l| l.starts_with("review alert")) {
                    assert_eq!(rows, vec![(*alert, disposition.clone())], "{ctx}");
                    durable.reasons.push(reason.clone());
                } else {
                    assert!(rows.len() <= 1, "{ctx}");
                }
                if !rows.is_empty() {
                    assert_eq!(&status, disposition, "{ctx}: disposition without its alert update");
                }
            }
            Action::Rescreen => {}
            Action::Lists { path } => {
                let now = count(c, "SELECT count(*) FROM list_versions");
                assert!(now == before_versions || now == before_versions + 1, "{ctx}");
                for l in &committed {
                    if let Some(v) = trailing_id(l, "list version ") {
                        let label: String = c
                            .query_row("SELECT label FROM list_versions WHERE id = ?1", [v], |r| {
                                r.get(0)
                            })
                            .unwrap_or_else(|e| {
                                panic!("{ctx}: committed list version {v} missing: {e}")
                            });
                        assert_eq!(&label, path, "{ctx}");
                        durable.list_versions.push(v);
                    }
                }
            }
        });
        for l in &committed {
            if let Some(r) = trailing_id(l, "screening run ") {
                durable.runs.push(r);
            }
        }
        check_durable(&store, &durable, &ctx);
    }
    // everything reported committed over all trials is still there
    check_durable(&store, &durable, "after all trials");
    let elapsed = t0.elapsed();
    eprintln!(
        "{TRIALS} SIGKILL trials in {:.1} s: {n_committed} reported a commit before the kill, \
         {n_killed_before} were killed before any commit, {n_finished} finished before the kill",
        elapsed.as_secs_f64()
    );
    assert!(n_committed >= 1 && n_killed_before >= 1, "both outcomes must be exercised");
}

// ---------------------------------------------------------- 3. bad input

fn assert_refused(o: &Out, needles: &[&str]) {
    assert_eq!(o.code, 2, "should exit 2:\n{}\n{}", o.stdout, o.stderr);
    for n in needles {
        assert!(o.stderr.contains(n), "stderr should mention {n:?}:\n{}", o.stderr);
    }
    assert!(!o.stderr.contains("committed:"), "{}", o.stderr);
}

#[test]
fn data_dir_that_is_a_file_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("not-a-dir");
    fs::write(&file, "hello").expect("write");
    let parties = tmp.path().join("parties.csv");
    write_demo_parties(&parties);
    let o = run(&file, [OsStr::new("parties"), OsStr::new("import"), parties.as_os_str()]);
    assert_refused(&o, &["not-a-dir", "is a file, not a data directory"]);
    assert_eq!(fs::read_to_string(&file).expect("read"), "hello");
    let o = run(&file, ["alerts"]);
    assert_refused(&o, &["is a file"]);
}

#[test]
fn random_bytes_database_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");
    fs::create_dir_all(&store).expect("mkdir");
    let mut rng = Rng(7);
    let bytes: Vec<u8> = (0..16384).map(|_| (rng.next() & 0xff) as u8).collect();
    let db = store.join("chiptrace.db");
    fs::write(&db, &bytes).expect("write");
    let parties = tmp.path().join("parties.csv");
    write_demo_parties(&parties);
    let o = run(&store, [OsStr::new("parties"), OsStr::new("import"), parties.as_os_str()]);
    assert_refused(&o, &["chiptrace.db", "not a chiptrace store"]);
    let o = run(&store, ["audit", "verify"]);
    assert_refused(&o, &["not a chiptrace store"]);
    assert_eq!(fs::read(&db).expect("read"), bytes, "the file must be left untouched");
}

fn foreign_db(store: &Path) -> PathBuf {
    fs::create_dir_all(store).expect("mkdir");
    let db = store.join("chiptrace.db");
    let c = Connection::open(&db).expect("create");
    c.execute_batch("CREATE TABLE foo(x INTEGER); INSERT INTO foo VALUES (1), (2), (3);")
        .expect("foreign db");
    c.close().map_err(|(_, e)| e).expect("close");
    db
}

#[test]
fn foreign_sqlite_database_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");
    let db = foreign_db(&store);
    let parties = tmp.path().join("parties.csv");
    write_demo_parties(&parties);
    let o = run(&store, [OsStr::new("parties"), OsStr::new("import"), parties.as_os_str()]);
    assert_refused(&o, &["chiptrace.db", "not a chiptrace store"]);
    let o = run(&store, ["audit", "verify"]);
    assert_refused(&o, &["not a chiptrace store"]);
    let c = Connection::open(&db).expect("open");
    assert_eq!(count(&c, "SELECT count(*) FROM foo"), 3);
    assert_eq!(
        count(&c, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"),
        1,
        "no tables added"
    );
}

#[test]
fn foreign_sqlite_database_is_not_modified_when_refused() {
    // Refusing a database must not change it: no switch to WAL mode.
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("store");
    let db = foreign_db(&store);
    let before = fs::read(&db).expect("read");
    let o = run(&store, ["alerts"]);
    assert_refused(&o, &["not a chiptrace store"]);
    let after = fs::read(&db).expect("read");
    let c = Connection::open(&db).expect("open");
    let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("mode");
    assert_eq!(mode, "delete", "the foreign database was switched to journal mode {mode}");
    assert!(before == after, "the foreign database file was modified");
}

#[test]
fn store_from_a_newer_schema_is_refused() {
    let f = workflow();
    with_db(&f.store, |c| {
        c.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'", [])
            .expect("tamper");
    });
    let o = run(&f.store, ["alerts"]);
    assert_refused(&o, &["schema version 999", "newer"]);
    let parties = f.root.join("parties.csv");
    let o = run(&f.store, [OsStr::new("parties"), OsStr::new("import"), parties.as_os_str()]);
    assert_refused(&o, &["newer"]);
    let o = run(&f.store, ["audit", "verify"]);
    assert_refused(&o, &["newer"]);
    read_db(&f.store, |c| {
        let v: String = c
            .query_row("SELECT value FROM meta WHERE key = 'schema_version'", [], |r| r.get(0))
            .expect("meta");
        assert_eq!(v, "999", "the newer store must be left as it is");
    });
}

/// `n` parties with long names and addresses (to fill pages).
fn many_parties(path: &Path, n: usize) -> Vec<String> {
    let mut w = csv::Writer::from_path(path).expect("write");
    w.write_record(["id", "name", "schema", "country", "address", "dob"]).expect("csv");
    let mut ids = Vec::new();
    for i in 0..n {
        let id = format!("FULL{i:05}");
        w.write_record([
            id.as_str(),
            &format!("Bulk Import Trading Company Number {i} International Holdings Limited"),
            "Company",
            "DE",
            &format!("{i} Very Long Industrial Estate Road, Building {i}, Example City, Germany"),
            "",
        ])
        .expect("csv");
        ids.push(id);
    }
    w.flush().expect("flush");
    ids
}

#[test]
fn full_disk_fails_cleanly_and_writes_nothing() {
    let f = workflow();
    let (pages, events_before, parties_before) = with_db(&f.store, |c| {
        (
            count(c, "PRAGMA page_count"),
            count(c, "SELECT count(*) FROM audit_events"),
            count(c, "SELECT count(*) FROM parties"),
        )
    });
    let file = f.root.join("many.csv");
    let ids = many_parties(&file, 3000);
    let o = ct(&f.store)
        .env("CHIPTRACE_STORE_MAX_PAGES", (pages + 8).to_string())
        .args([OsStr::new("parties"), OsStr::new("import"), file.as_os_str()])
        .output()
        .expect("run");
    let out = Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    };
    assert_refused(&out, &["store is full", "nothing from this command was written"]);
    read_db(&f.store, |c| {
        assert_eq!(count(c, "SELECT count(*) FROM parties"), parties_before);
        assert_eq!(count(c, "SELECT count(*) FROM parties WHERE id LIKE 'FULL%'"), 0);
        assert_eq!(count(c, "SELECT count(*) FROM audit_events"), events_before);
    });
    assert_verifies(&f.store);
    // with room again the same import goes through
    let o = run_ok(&f.store, [OsStr::new("parties"), OsStr::new("import"), file.as_os_str()]);
    assert!(o.stderr.contains(&format!("({} added, 0 updated)", ids.len())), "{}", o.stderr);
    assert_verifies(&f.store);
}

#[test]
fn review_of_an_unknown_alert_is_refused() {
    let f = workflow();
    let before = with_db(&f.store, |c| count(c, "SELECT count(*) FROM audit_events"));
    let o = run(
        &f.store,
        [
            "review",
            "99999",
            "--disposition",
            "false_positive",
            "--reason",
            "x",
            "--reviewer",
            "eve",
        ],
    );
    assert_refused(&o, &["no such alert: 99999"]);
    read_db(&f.store, |c| assert_eq!(count(c, "SELECT count(*) FROM audit_events"), before));
    assert_verifies(&f.store);
}

#[test]
fn review_without_a_reason_is_refused() {
    let f = workflow();
    let id = alerts(&f.store)
        .iter()
        .find(|a| a["status"] == json!("open"))
        .and_then(|a| a["id"].as_i64())
        .expect("an open alert")
        .to_string();
    let before = with_db(&f.store, |c| count(c, "SELECT count(*) FROM dispositions"));
    for reason in ["", "   "] {
        let o = run(
            &f.store,
            ["review", &id, "--disposition", "true_match", "--reason", reason, "--reviewer", "eve"],
        );
        assert_refused(&o, &["--reason", "a reason is required"]);
    }
    read_db(&f.store, |c| assert_eq!(count(c, "SELECT count(*) FROM dispositions"), before));
}

#[test]
fn alerts_with_a_bogus_status_is_refused() {
    let f = workflow();
    let o = run(&f.store, ["alerts", "--status", "bogus"]);
    assert_refused(
        &o,
        &["bogus", "expected open, true_match, false_positive, escalated or closed"],
    );
    // a valid status filters
    let o = run(&f.store, ["alerts", "--status", "closed", "--format", "json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: Vec<Value> = serde_json::from_str(&o.stdout).expect("json");
    assert!(!v.is_empty() && v.iter().all(|a| a["status"] == json!("closed")), "{v:?}");
}

#[test]
fn csv_export_without_output_is_refused() {
    let f = workflow();
    let o = run(&f.store, ["audit", "export", "--format", "csv"]);
    assert_refused(&o, &["--output FILE is required for csv"]);
    assert!(o.stdout.is_empty(), "{}", o.stdout);
}

// ------------------------------------------------------------- 4. export

fn export_jsonl(f: &Fixture) -> (PathBuf, PathBuf) {
    let out = f.root.join("audit.jsonl");
    let o = run(
        &f.store,
        [
            OsStr::new("audit"),
            OsStr::new("export"),
            OsStr::new("--format"),
            OsStr::new("jsonl"),
            OsStr::new("--output"),
            out.as_os_str(),
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let pubf = f.root.join("examiner.pub");
    let o = run(&f.store, ["audit", "public-key"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    fs::write(&pubf, o.stdout.trim()).expect("pub");
    (out, pubf)
}

fn verify_export(f: &Fixture, file: &Path, pubf: &Path) -> (i32, Value) {
    // the examiner has no store: an empty data dir
    let nowhere = f.root.join("examiner");
    let o = run(
        &nowhere,
        [
            OsStr::new("audit"),
            OsStr::new("verify"),
            OsStr::new("--format"),
            OsStr::new("json"),
            OsStr::new("--export"),
            file.as_os_str(),
            OsStr::new("--public-key"),
            pubf.as_os_str(),
        ],
    );
    (o.code, serde_json::from_str(&o.stdout).unwrap_or(Value::Null))
}

#[test]
fn jsonl_export_verifies_on_its_own() {
    let f = workflow();
    let (file, pubf) = export_jsonl(&f);
    let n = with_db(&f.store, |c| count(c, "SELECT count(*) FROM audit_events"));
    let (code, v) = verify_export(&f, &file, &pubf);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["ok"], json!(true));
    assert_eq!(v["events"], json!(n));
    assert_eq!(v["signed_through"], json!(n));
}

#[test]
fn edited_export_line_fails_verification() {
    let f = workflow();
    let (file, pubf) = export_jsonl(&f);
    let text = fs::read_to_string(&file).expect("read");
    let needle = "different company: other registration number";
    assert!(text.contains(needle));
    let edited = f.root.join("edited.jsonl");
    let mut done = false;
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            if !done && l.contains(needle) {
                done = true;
                l.replace(needle, "same company, approved")
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(done);
    fs::write(&edited, lines.join("\n") + "\n").expect("write");
    let (code, v) = verify_export(&f, &edited, &pubf);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["ok"], json!(false));
    assert!(problems(&v).contains("content was edited"), "{v:#}");
    // dropping an event line fails too
    let dropped = f.root.join("dropped.jsonl");
    let mut ls: Vec<&str> = text.lines().collect();
    let i = ls.iter().position(|l| l.contains("\"disposition_recorded\"")).expect("an event line");
    ls.remove(i);
    fs::write(&dropped, ls.join("\n") + "\n").expect("write");
    let (code, v) = verify_export(&f, &dropped, &pubf);
    assert_eq!(code, 1, "{v:#}");
    // a different public key fails
    let wrong = f.root.join("wrong.pub");
    fs::write(&wrong, hex(other_key().verifying_key().as_bytes())).expect("write");
    let (code, v) = verify_export(&f, &file, &wrong);
    assert_eq!(code, 1, "{v:#}");
}

#[test]
fn export_with_an_unsigned_event_appended_fails_verification() {
    // A forged, correctly chained event after the last signed one is not
    // covered by any signature: the export must not verify as OK.
    let f = workflow();
    let (file, pubf) = export_jsonl(&f);
    let text = fs::read_to_string(&file).expect("read");
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let last_i = lines.iter().rposition(|l| l.starts_with("{\"event\"")).expect("event lines");
    let last: Value = serde_json::from_str(&lines[last_i]).expect("json");
    let e = &last["event"];
    let s = |k: &str| e[k].as_str().expect(k).to_string();
    let payload = json!({"name": "Harmless Trading GmbH", "country": "CN"});
    let mut ev = Ev {
        seq: e["seq"].as_i64().expect("seq") + 1,
        at: s("at"),
        kind: "party_updated".into(),
        actor: "mallory".into(),
        table: "parties".into(),
        id: "P001".into(),
        rhash: sha256_hex(b"forged"),
        payload: serde_json::to_string(&payload).expect("json"),
        prev: s("hash"),
        hash: String::new(),
    };
    ev.hash = ev.chain_hash();
    let line = json!({"event": {
        "seq": ev.seq, "at": ev.at, "kind": ev.kind, "actor": ev.actor, "record_table": ev.table,
        "record_id": ev.id, "record_hash": ev.rhash, "payload": payload, "prev_hash": ev.prev, "hash": ev.hash,
    }});
    lines.insert(last_i + 1, line.to_string());
    let forged = f.root.join("forged.jsonl");
    fs::write(&forged, lines.join("\n") + "\n").expect("write");
    let (code, v) = verify_export(&f, &forged, &pubf);
    assert_eq!(code, 1, "an unsigned, forged event at the end of an export was accepted: {v:#}");
}

#[test]
fn csv_export_writes_the_events_and_the_verification_material() {
    let f = workflow();
    let out = f.root.join("audit.csv");
    let o = run(
        &f.store,
        [
            OsStr::new("audit"),
            OsStr::new("export"),
            OsStr::new("--format"),
            OsStr::new("csv"),
            OsStr::new("--output"),
            out.as_os_str(),
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let material = f.root.join("audit.csv.verification.json");
    assert!(o.stderr.contains("audit.csv.verification.json"), "{}", o.stderr);
    let (n, cps, head) = with_db(&f.store, |c| {
        let head: String = c
            .query_row("SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1", [], |r| r.get(0))
            .expect("head");
        (
            count(c, "SELECT count(*) FROM audit_events"),
            count(c, "SELECT count(*) FROM audit_checkpoints"),
            head,
        )
    });
    let mut r = csv::Reader::from_path(&out).expect("csv");
    let header: Vec<String> = r.headers().expect("header").iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "seq",
            "at",
            "kind",
            "actor",
            "record_table",
            "record_id",
            "record_hash",
            "payload",
            "prev_hash",
            "hash"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows.len() as i64, n);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row[0].parse::<i64>().expect("seq"), i as i64 + 1);
        // each row's hash recomputes from its fields
        let e = Ev {
            seq: row[0].parse().expect("seq"),
            at: row[1].into(),
            kind: row[2].into(),
            actor: row[3].into(),
            table: row[4].into(),
            id: row[5].into(),
            rhash: row[6].into(),
            payload: row[7].into(),
            prev: row[8].into(),
            hash: row[9].into(),
        };
        assert_eq!(e.chain_hash(), e.hash, "csv row {}", i + 1);
    }
    let m: Value =
        serde_json::from_str(&fs::read_to_string(&material).expect("material")).expect("json");
    let pk = fs::read_to_string(f.store.join("keys/audit-ed25519.pub")).expect("pub");
    assert_eq!(m["public_key"], json!(pk.trim()));
    assert_eq!(m["events"], json!(n));
    assert_eq!(m["last_hash"], json!(head));
    let list = m["checkpoints"].as_array().expect("checkpoints");
    assert_eq!(list.len() as i64, cps);
    for c in list {
        assert!(c["seq"].is_i64() && c["hash"].is_string() && c["signature"].is_string(), "{c}");
        assert_eq!(c["public_key"], json!(pk.trim()));
    }
}

#[test]
fn export_from_to_filters_by_date() {
    let f = workflow();
    // spread the events over three months (re-chained and re-signed with
    // the store's own key, so the store still verifies)
    let key = store_key(&f.store);
    let n = with_db(&f.store, |c| {
        let n = count(c, "SELECT count(*) FROM audit_events");
        assert!(n > 20);
        rechain(c, &key, |e| {
            let month = if e.seq <= 10 {
                "01"
            } else if e.seq <= 20 {
                "02"
            } else {
                "03"
            };
            e.at = format!("2026-{month}-15T10:00:{:02}Z", e.seq % 60);
        });
        n
    });
    assert_verifies(&f.store);
    let seqs = |extra: &[&str]| -> Vec<i64> {
        let mut args = vec!["audit", "export", "--format", "jsonl"];
        args.extend_from_slice(extra);
        let o = run(&f.store, &args);
        assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
        o.stdout
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter_map(|v| v["event"]["seq"].as_i64())
            .collect()
    };
    assert_eq!(seqs(&[]), (1..=n).collect::<Vec<_>>());
    assert_eq!(
        seqs(&["--from", "2026-02-01", "--to", "2026-02-28"]),
        (11..=20).collect::<Vec<_>>()
    );
    assert_eq!(
        seqs(&["--from", "2026-02-15", "--to", "2026-02-15"]),
        (11..=20).collect::<Vec<_>>()
    );
    assert_eq!(seqs(&["--to", "2026-01-31"]), (1..=10).collect::<Vec<_>>());
    assert_eq!(seqs(&["--from", "2026-03-01"]), (21..=n).collect::<Vec<_>>());
    assert_eq!(seqs(&["--from", "2026-04-01"]), Vec::<i64>::new());
    // a bad date is refused
    let o = run(&f.store, ["audit", "export", "--format", "jsonl", "--from", "2026-13-45"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
}
