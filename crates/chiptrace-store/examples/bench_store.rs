//! Scale benchmark of the system of record against the issue's targets:
//!
//! * 1,000,000 monitored parties re-screened after a list update in < 5 min on 2 cores;
//! * appending audit events ≥ 20,000/s;
//! * `audit verify` over 1,000,000 events < 30 s.
//!
//! ```sh
//! scripts/bench-store.sh [PARTIES]          # release build, default 1,000,000 parties
//! cargo run --release -p chiptrace-store --example bench_store -- \
//!     --parties N --dir target/bench-store/N [--all-lists] [--lists PATH]... \
//!     [--threshold 0.80] [--batch N] [--append-events N] [--commit-events N] \
//!     [--no-verify] [--breakdown] [--seed S]
//! # verify alone on a store a previous run left (with the replayed parts):
//! target/release/examples/bench_store --verify-only --breakdown --dir target/bench-store/1000000
//! ```
//!
//! Phases (each printed as it completes, so a slow phase can be watched):
//! 1. the real lists are loaded and imported as list version 1;
//! 2. N synthetic parties (deterministic; ~0.1% are Entity List names or light
//!    variants of them) are imported: parties/s and audit events/s; then two
//!    append micro-benchmarks: the store's append path replayed on a scratch
//!    database (pure append, no party table), and one `record_decision` per
//!    transaction through the public API (append + commit + Ed25519 checkpoint);
//! 3. the first (full) screening: queries/s;
//! 4. list version 2 (v1 + ~50 added, ~20 removed, ~10 changed entries) is
//!    imported and `rescreen(0.80, false)` timed — the 5-minute target;
//! 5. `verify(None)` over the whole log — the 30-second target.
//!
//! `--breakdown` replays the parts of the incremental rescreen and of
//! `verify` outside the store (same SQL, same hashing) and times each, to
//! show where the time goes without a profiler.
//!
//! Small runs extrapolate linearly to 1M and overstate: the rescreen and
//! verify have fixed costs (parsing every stored list entry) that 1M
//! parties amortise. Run at 1,000,000 for the figures that count.
//!
//! This is a benchmark printing figures, not a timed test. The target
//! figures are for a 2-core machine; rayon uses every core it is given (set
//! `RAYON_NUM_THREADS=2` on a bigger machine).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chiptrace_lists::{EntitySchema, ListEntry, LoadOptions};
use chiptrace_screen::{Index, Query, ScreenOptions};
use chiptrace_store::{DB_FILE, Party, Store};
use rusqlite::{Connection, OpenFlags, params};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const TARGET_RESCREEN_S: f64 = 300.0;
const TARGET_APPEND_PER_S: f64 = 20_000.0;
const TARGET_VERIFY_S: f64 = 30.0;
const TARGET_VERIFY_EVENTS: f64 = 1_000_000.0;
const TARGET_PARTIES: f64 = 1_000_000.0;

type BoxErr = Box<dyn std::error::Error>;

// ------------------------------------------------------------------ args

struct Args {
    parties: usize,
    dir: PathBuf,
    lists: Vec<PathBuf>,
    threshold: f64,
    batch: usize,
    append_events: usize,
    commit_events: usize,
    verify: bool,
    breakdown: bool,
    verify_only: bool,
    seed: u64,
    added: usize,
    removed: usize,
    changed: usize,
}

fn lists_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/lists")
}

fn usage() -> ! {
    eprintln!(
        "usage: bench_store [--parties N (1000000)] [--dir DIR (target/bench-store/N)] \
         [--all-lists | --lists PATH ...] [--threshold T (0.80)] [--batch N (all at once)] \
         [--append-events N (1000000)] [--commit-events N (2000)] [--no-verify] [--breakdown] \
         [--verify-only (time verify on an existing --dir, with --breakdown)] [--seed S] [--added N (50)] [--removed N (20)] [--changed N (10)]"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut a = Args {
        parties: 1_000_000,
        dir: PathBuf::new(),
        lists: Vec::new(),
        threshold: 0.80,
        batch: 0,
        append_events: 1_000_000,
        commit_events: 2_000,
        verify: true,
        breakdown: false,
        verify_only: false,
        seed: 0x00c0_ffee,
        added: 50,
        removed: 20,
        changed: 10,
    };
    let mut all_lists = false;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    let val = |i: &mut usize| -> String {
        *i += 1;
        args.get(*i).cloned().unwrap_or_else(|| usage())
    };
    fn num<T: std::str::FromStr>(s: String) -> T {
        s.replace('_', "").parse().unwrap_or_else(|_| usage())
    }
    while i < args.len() {
        match args[i].as_str() {
            "--parties" | "-n" => a.parties = num(val(&mut i)),
            "--dir" => a.dir = PathBuf::from(val(&mut i)),
            "--lists" => a.lists.push(PathBuf::from(val(&mut i))),
            "--all-lists" => all_lists = true,
            "--threshold" => a.threshold = num(val(&mut i)),
            "--batch" => a.batch = num(val(&mut i)),
            "--append-events" => a.append_events = num(val(&mut i)),
            "--commit-events" => a.commit_events = num(val(&mut i)),
            "--no-verify" => a.verify = false,
            "--breakdown" => a.breakdown = true,
            "--verify-only" => a.verify_only = true,
            "--seed" => a.seed = num(val(&mut i)),
            "--added" => a.added = num(val(&mut i)),
            "--removed" => a.removed = num(val(&mut i)),
            "--changed" => a.changed = num(val(&mut i)),
            "-h" | "--help" => usage(),
            s if s.parse::<usize>().is_ok() && !s.starts_with('-') => a.parties = num(s.into()),
            _ => usage(),
        }
        i += 1;
    }
    if all_lists {
        a.lists = vec![lists_root()];
    } else if a.lists.is_empty() {
        a.lists = vec![lists_root().join("us_restricted_party_lists_2026-07/bis_entity_list.json")];
    }
    if a.dir.as_os_str().is_empty() {
        a.dir = PathBuf::from(format!("target/bench-store/{}", a.parties));
    }
    a
}

// ------------------------------------------------------------ utilities

/// SplitMix64: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn word(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, per_mille: usize) -> bool {
        self.below(1000) < per_mille
    }
}

fn proc_status(key: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Peak RSS (VmHWM) in MiB.
fn peak_rss_mib() -> f64 {
    proc_status("VmHWM:").map_or(f64::NAN, |kb| kb as f64 / 1024.0)
}

fn rss_mib() -> f64 {
    proc_status("VmRSS:").map_or(f64::NAN, |kb| kb as f64 / 1024.0)
}

/// Reset VmHWM to the current RSS so each phase reports its own peak
/// (Linux: writing 5 to /proc/self/clear_refs). Returns whether it worked.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn file_len(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

fn db_size_mib(dir: &Path) -> (f64, f64) {
    let db = dir.join(DB_FILE);
    let wal = dir.join(format!("{DB_FILE}-wal"));
    (file_len(&db) as f64 / 1048576.0, file_len(&wal) as f64 / 1048576.0)
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn fmt_int(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn fmt_rate(r: f64) -> String {
    fmt_int(r.round() as u64)
}

/// Highest phase peak seen (MiB × 1000), since the per-phase reset loses the process peak.
static MAX_PEAK: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn overall_peak_mib() -> f64 {
    let p = peak_rss_mib();
    MAX_PEAK.fetch_max((p * 1000.0) as u64, std::sync::atomic::Ordering::Relaxed);
    MAX_PEAK.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1000.0
}

/// Print a phase line with its peak RSS and the DB size, flushed at once.
fn phase_done(name: &str, d: Duration, extra: &str, dir: &Path) {
    overall_peak_mib();
    let (db, wal) = db_size_mib(dir);
    println!(
        "  {name:<40} {:>9.2} s  {extra}   [phase peak RSS {:.0} MiB; db {:.0} MiB + wal {:.0} MiB]",
        secs(d),
        peak_rss_mib(),
        db,
        wal
    );
    let _ = std::io::stdout().flush();
}

// ------------------------------------------------------- synthetic parties

const CITIES: &[&str] = &[
    "Shenzhen",
    "Shanghai",
    "Beijing",
    "Hangzhou",
    "Suzhou",
    "Dubai",
    "Istanbul",
    "Moscow",
    "Singapore",
    "Hong Kong",
    "Tianjin",
    "Wuhan",
    "Chengdu",
    "Taipei",
    "Seoul",
    "Almaty",
    "Tashkent",
    "Yerevan",
    "Kuala Lumpur",
    "Bangalore",
    "Hamburg",
    "Rotterdam",
    "Milan",
    "Lyon",
    "Austin",
    "Toronto",
    "Sao Paulo",
    "Monterrey",
    "Osaka",
    "Nagoya",
];
const SYLLABLES: &[&str] = &[
    "ka", "ri", "to", "men", "zen", "lo", "vis", "tra", "no", "bel", "qua", "ar", "xin", "hua",
    "tek", "sun", "mar", "dor", "vel", "ix", "on", "ga", "li", "po", "ser", "ven", "al", "ta",
    "ro", "mi", "das", "ne", "kor", "fa", "lu", "sto",
];
const SECTORS: &[&str] = &[
    "Electronics",
    "Trading",
    "Logistics",
    "Semiconductor",
    "Materials",
    "Systems",
    "Industrial",
    "Technology",
    "Components",
    "Precision",
    "Instruments",
    "Optics",
    "Machinery",
    "Energy",
    "Microelectronics",
    "Devices",
    "Supply",
    "Import Export",
    "Engineering",
    "Solutions",
    "Aviation",
    "Chemicals",
    "Software",
    "Networks",
    "Marine",
    "Automation",
    "Photonics",
];
const SUFFIXES: &[&str] = &[
    "Co., Ltd.",
    "Ltd.",
    "LLC",
    "Inc.",
    "GmbH",
    "S.A.",
    "Pte. Ltd.",
    "Limited",
    "Corporation",
    "OOO",
    "JSC",
    "B.V.",
    "S.r.l.",
    "Sdn. Bhd.",
    "FZE",
    "AG",
    "Group",
    "Holdings",
];
const FIRST: &[&str] = &[
    "Wei", "Li", "Anna", "Ivan", "Mehmet", "Ahmed", "Maria", "John", "Chen", "Olga", "Sergei",
    "Fatima", "Yuki", "Min-jun", "Carlos", "Priya", "Hans", "Sofia", "Dmitri", "Aisha",
];
const LAST: &[&str] = &[
    "Zhang", "Wang", "Petrov", "Yilmaz", "Khan", "Garcia", "Smith", "Liu", "Ivanova", "Kim",
    "Tanaka", "Mueller", "Rossi", "Sharma", "Haddad", "Novak", "Silva", "Nguyen", "Kowalski",
    "Hassan",
];
const COUNTRIES: &[&str] = &[
    "CN", "CN", "CN", "HK", "US", "US", "DE", "RU", "AE", "TR", "SG", "IN", "JP", "KR", "TW", "GB",
    "FR", "NL", "IT", "MY", "KZ", "UZ", "AM", "BR", "MX", "CA",
];
const STREETS: &[&str] =
    &["Industrial", "Harbour", "Science Park", "Central", "Nanshan", "Technology", "Free Zone"];

fn brand(r: &mut Rng) -> String {
    let n = 2 + r.below(2);
    let mut w = String::new();
    for _ in 0..n {
        w.push_str(r.word(SYLLABLES));
    }
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => w,
    }
}

fn random_party(r: &mut Rng, id: String) -> Party {
    let country = r.word(COUNTRIES).to_string();
    if r.chance(100) {
        // ~10% natural persons
        let name = format!("{} {}", r.word(FIRST), r.word(LAST));
        let dob = r.chance(500).then(|| {
            format!("{}-{:02}-{:02}", 1950 + r.below(55), 1 + r.below(12), 1 + r.below(28))
        });
        return Party {
            id,
            name,
            schema: Some("person".into()),
            country: Some(country),
            address: None,
            dob,
        };
    }
    let mut name = String::new();
    if r.chance(400) {
        name.push_str(r.word(CITIES));
        name.push(' ');
    }
    name.push_str(&brand(r));
    if r.chance(150) {
        name.push(' ');
        name.push_str(&brand(r));
    }
    for _ in 0..1 + r.below(2) {
        name.push(' ');
        name.push_str(r.word(SECTORS));
    }
    name.push(' ');
    name.push_str(r.word(SUFFIXES));
    let address = r
        .chance(500)
        .then(|| format!("{} {} Road, {}", 1 + r.below(999), r.word(STREETS), r.word(CITIES)));
    Party {
        id,
        name,
        schema: if r.chance(700) { Some("organization".into()) } else { None },
        country: Some(country),
        address,
        dob: None,
    }
}

/// A light variant of a listed name (what a customer file would hold).
fn variant(r: &mut Rng, e: &ListEntry) -> (String, &'static str) {
    let name = if e.names.len() > 1 && r.chance(200) {
        e.names[1 + r.below(e.names.len() - 1)].name.clone()
    } else {
        e.primary_name().to_string()
    };
    match r.below(6) {
        0 => (name, "exact"),
        1 => (name.to_uppercase(), "upper"),
        2 => (
            name.chars()
                .filter(|c| c.is_alphanumeric() || c.is_whitespace())
                .collect::<String>()
                .to_lowercase(),
            "lower-nopunct",
        ),
        3 => {
            // one letter substituted in the longest word
            let mut words: Vec<String> = name.split(' ').map(str::to_string).collect();
            if let Some(w) = words.iter_mut().max_by_key(|w| w.chars().count())
                && w.chars().count() >= 6
                && w.is_ascii()
            {
                let mut b = w.clone().into_bytes();
                let k = 1 + r.below(b.len() - 2);
                b[k] = if b[k] == b'e' { b'a' } else { b'e' };
                *w = String::from_utf8(b).unwrap_or_default();
            }
            (words.join(" "), "typo")
        }
        4 => {
            let words: Vec<&str> = name.split_whitespace().collect();
            if words.len() >= 3 {
                (words[..words.len() - 1].join(" "), "drop-last-word")
            } else {
                (name, "exact")
            }
        }
        _ => (format!("{name} Ltd."), "added-suffix"),
    }
}

fn schema_str(s: EntitySchema) -> Option<String> {
    match s {
        EntitySchema::Person => Some("person".into()),
        EntitySchema::Organization => Some("organization".into()),
        _ => None,
    }
}

/// The parties, and how many are planted hits.
fn generate_parties(n: usize, seed: u64, hot: &[ListEntry]) -> (Vec<Party>, usize) {
    let mut r = Rng(seed);
    let mut out = Vec::with_capacity(n);
    let mut planted = 0;
    for i in 0..n {
        let id = format!("P{i:08}");
        if !hot.is_empty() && r.below(1000) == 0 {
            let e = r.pick(hot);
            let (name, _how) = variant(&mut r, e);
            out.push(Party {
                id,
                name,
                schema: schema_str(e.schema),
                country: e.countries.first().cloned(),
                address: None,
                dob: None,
            });
            planted += 1;
        } else {
            out.push(random_party(&mut r, id));
        }
    }
    (out, planted)
}

// ------------------------------------------------------- list version 2

struct V2 {
    entries: Vec<ListEntry>,
    added: usize,
    removed: usize,
    changed: usize,
}

fn build_v2(v1: &[ListEntry], hot: &[usize], a: &Args) -> V2 {
    let mut r = Rng(a.seed ^ 0x5eed_0002);
    let hotset: std::collections::HashSet<usize> = hot.iter().copied().collect();
    // removed: half from the hot pool (alerts close), half elsewhere
    let mut removed = std::collections::BTreeSet::new();
    while removed.len() < a.removed.min(v1.len() / 4) {
        let i = if removed.len() % 2 == 0 && !hot.is_empty() {
            *r.pick(hot)
        } else {
            r.below(v1.len())
        };
        removed.insert(i);
    }
    // changed: from the hot pool (alerts update / close), address and name tweaks
    let mut changed = std::collections::BTreeSet::new();
    let mut guard = 0;
    while changed.len() < a.changed && guard < 100_000 {
        guard += 1;
        let i = if !hot.is_empty() { *r.pick(hot) } else { r.below(v1.len()) };
        if !removed.contains(&i) {
            changed.insert(i);
        }
    }
    let mut out: Vec<ListEntry> = Vec::with_capacity(v1.len() + a.added);
    for (i, e) in v1.iter().enumerate() {
        if removed.contains(&i) {
            continue;
        }
        let mut e = e.clone();
        if changed.contains(&i) {
            e.addresses.push(chiptrace_lists::Address {
                full: format!("{} Bench Avenue (added in v2)", 10 + i),
                country: e.countries.first().cloned(),
            });
            if i % 2 == 0
                && let Some(n) = e.names.first_mut()
            {
                n.name = format!("{} Research Branch", n.name);
            }
        }
        out.push(e);
    }
    // added: copies of existing entries under new ids — half keep their
    // names (a re-listing under a new id: parties matching the original get
    // new alerts), half with new generated names
    for k in 0..a.added {
        let src = if k % 2 == 0 && !hot.is_empty() {
            *r.pick(hot)
        } else {
            let mut j = r.below(v1.len());
            while hotset.contains(&j) && hot.len() < v1.len() {
                j = r.below(v1.len());
            }
            j
        };
        let mut e = v1[src].clone();
        e.id = format!("BENCH-V2-{k:03}");
        if k % 2 == 1 {
            let new = format!("{} {} {}", brand(&mut r), r.word(SECTORS), r.word(SUFFIXES));
            if let Some(n) = e.names.first_mut() {
                n.name = new;
            }
            e.names.truncate(1);
        }
        out.push(e);
    }
    V2 { entries: out, added: a.added, removed: removed.len(), changed: changed.len() }
}

// ------------------------------------------------- append micro-benchmark

fn sha256_hex(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

/// The store's `event_hash` (audit.rs), replayed.
#[allow(clippy::too_many_arguments)]
fn event_hash(
    seq: i64,
    at: &str,
    kind: &str,
    actor: &str,
    table: &str,
    id: &str,
    rhash: &str,
    payload: &str,
    prev: &str,
) -> String {
    let mut h = Sha256::new();
    for (i, part) in
        ["chiptrace-audit-v1", &seq.to_string(), at, kind, actor, table, id, rhash, payload, prev]
            .iter()
            .enumerate()
    {
        if i > 0 {
            h.update([0x1f]);
        }
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

const AUDIT_DDL: &str = "CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, actor TEXT NOT NULL,
    record_table TEXT NOT NULL, record_id TEXT NOT NULL, record_hash TEXT NOT NULL,
    payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX audit_record ON audit_events(record_table, record_id);";

/// The store's append path (`Appender::push`: record hash, canonical
/// payload, chain hash, INSERT into `audit_events` with its index) on a
/// scratch database with the store's pragmas, all in one transaction.
/// Returns (elapsed, time spent hashing/serialising).
fn pure_append(path: &Path, n: usize) -> Result<(Duration, Duration), BoxErr> {
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_file(path.with_extension("db-wal"));
    let _ = std::fs::remove_file(path.with_extension("db-shm"));
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
    )?;
    let _: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    conn.execute_batch("PRAGMA synchronous=NORMAL;")?;
    conn.execute_batch(AUDIT_DDL)?;
    let at = jiff::Timestamp::now().to_string();
    let mut prev = "0".repeat(64);
    let mut cpu = Duration::ZERO;
    let t = Instant::now();
    let tx = conn.transaction()?;
    {
        let mut st = tx.prepare_cached(
            "INSERT INTO audit_events(seq, at, kind, actor, record_table, record_id, record_hash, payload, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        for i in 1..=n as i64 {
            let c = Instant::now();
            let id = format!("P{i:08}");
            let name = format!("Bench Party {i} Electronics Co., Ltd.");
            // same shape as party_record()
            let rec = json!({"id": id, "name": name, "schema": "organization", "country": "CN",
                "address": Value::Null, "dob": Value::Null, "fingerprint": prev, "updated_at": at});
            let rhash = sha256_hex(serde_json::to_string(&rec)?.as_bytes());
            let payload = serde_json::to_string(&json!({"name": name, "country": "CN"}))?;
            let hash =
                event_hash(i, &at, "party_added", "bench", "parties", &id, &rhash, &payload, &prev);
            cpu += c.elapsed();
            st.execute(params![
                i,
                at,
                "party_added",
                "bench",
                "parties",
                id,
                rhash,
                payload,
                prev,
                hash
            ])?;
            prev = hash;
        }
    }
    tx.commit()?;
    Ok((t.elapsed(), cpu))
}

// ------------------------------------------------------------ breakdown

/// Replays the parts of an incremental rescreen outside the store, to see
/// where its time goes: loading the parties, screening them against the
/// delta index.
fn rescreen_breakdown(dir: &Path, delta: &[ListEntry], threshold: f64) -> Result<(), BoxErr> {
    let conn = Connection::open_with_flags(dir.join(DB_FILE), OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let t = Instant::now();
    let mut st = conn.prepare(
        "SELECT p.id, p.name, p.schema, p.country, p.address, p.dob, p.fingerprint, s.screened_fp
         FROM parties p LEFT JOIN party_screen_state s ON s.party_id = p.id ORDER BY p.id",
    )?;
    let rows: Vec<(Query, String, Option<String>)> = st
        .query_map([], |r| {
            Ok((
                Query {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    schema: r.get::<_, Option<String>>(2)?.as_deref().and_then(EntitySchema::parse),
                    country: r.get(3)?,
                    address: r.get(4)?,
                    dob: r.get(5)?,
                },
                r.get(6)?,
                r.get(7)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    let load = t.elapsed();
    // the screening-state upsert the rescreen does for every screened party,
    // replayed on a scratch copy of party_screen_state
    let scratch = dir.join("upsert-bench.db");
    let _ = std::fs::remove_file(&scratch);
    let upsert = {
        let mut sc = Connection::open(&scratch)?;
        let _: String = sc.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        sc.execute_batch(
            "PRAGMA synchronous=NORMAL;
             CREATE TABLE party_screen_state (party_id TEXT PRIMARY KEY, screened_fp TEXT NOT NULL);",
        )?;
        let tx = sc.transaction()?;
        {
            let mut ins = tx.prepare("INSERT INTO party_screen_state VALUES (?1, ?2)")?;
            for (q, fp, _) in &rows {
                ins.execute(params![q.id, fp])?;
            }
        }
        tx.commit()?;
        let t = Instant::now();
        let tx = sc.transaction()?;
        {
            let mut up = tx.prepare(
                "INSERT INTO party_screen_state(party_id, screened_fp) VALUES (?1, ?2) ON CONFLICT(party_id) DO UPDATE SET screened_fp = excluded.screened_fp",
            )?;
            for (q, fp, _) in &rows {
                up.execute(params![q.id, fp])?;
            }
        }
        tx.commit()?;
        t.elapsed()
    };
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("upsert-bench.db{ext}")));
    }
    let qs: Vec<Query> = rows.into_iter().map(|(q, _, _)| q).collect();
    let t = Instant::now();
    let index = Index::build(delta.to_vec());
    let build = t.elapsed();
    let t = Instant::now();
    let res = index.screen_batch(&qs, &ScreenOptions { threshold, top: 10 });
    let screen = t.elapsed();
    let hits: usize = res.iter().map(Vec::len).sum();
    println!("    breakdown (replayed outside the store):");
    println!(
        "      load {} parties (same SELECT ... LEFT JOIN ... ORDER BY id): {:.2} s",
        fmt_int(qs.len() as u64),
        secs(load)
    );
    println!(
        "      Index::build over the {} delta entries: {:.3} s; screen_batch of all parties against it: {:.2} s ({} q/s, {} hits)",
        delta.len(),
        secs(build),
        secs(screen),
        fmt_rate(qs.len() as f64 / secs(screen)),
        hits
    );
    println!(
        "      party_screen_state upsert of every screened party (unchanged values), 1 tx: {:.2} s",
        secs(upsert)
    );
    Ok(())
}

/// Replays the parts of `audit::verify` outside the store: `PRAGMA
/// quick_check`, the chain scan (SELECT + SHA-256 recompute + the two
/// BTreeMaps it fills: hash per seq, latest event per record), and for the
/// parties table the record re-hash (all rows, one SELECT) and the
/// "deleted outside chiptrace?" pass (HashSet of ids). The other tables are
/// small. Whatever the total of these leaves of `verify(None)` is the rest.
fn verify_breakdown(dir: &Path) -> Result<(), BoxErr> {
    use std::collections::{BTreeMap, HashSet};
    let conn = Connection::open_with_flags(dir.join(DB_FILE), OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    println!("    breakdown (replayed outside the store):");
    let t = Instant::now();
    let q: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    println!("      PRAGMA quick_check ({q}): {:.2} s", secs(t.elapsed()));
    let t = Instant::now();
    let mut st = conn.prepare(
        "SELECT seq, at, kind, actor, record_table, record_id, record_hash, payload, prev_hash, hash
         FROM audit_events ORDER BY seq",
    )?;
    let mut rows = st.query([])?;
    let mut hashes: BTreeMap<i64, String> = BTreeMap::new();
    let mut latest: BTreeMap<(String, String), (i64, String)> = BTreeMap::new();
    let mut n = 0u64;
    let mut bad = 0u64;
    let mut read = Duration::ZERO;
    let mut hashing = Duration::ZERO;
    let mut t_read = Instant::now();
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let (at, kind, actor, table, id): (String, String, String, String, String) =
            (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
        let (rhash, payload, prev, hash): (String, String, String, String) =
            (r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?);
        read += t_read.elapsed();
        let th = Instant::now();
        if event_hash(seq, &at, &kind, &actor, &table, &id, &rhash, &payload, &prev) != hash {
            bad += 1;
        }
        hashing += th.elapsed();
        hashes.insert(seq, hash);
        latest.insert((table, id), (seq, rhash));
        n += 1;
        t_read = Instant::now();
    }
    drop(rows);
    drop(st);
    let total = t.elapsed();
    println!(
        "      chain scan: {} events: {:.2} s (SQLite read {:.2} s, SHA-256 {:.2} s, BTreeMap inserts ≈ {:.2} s; {} bad)",
        fmt_int(n),
        secs(total),
        secs(read),
        secs(hashing),
        secs(total) - secs(read) - secs(hashing),
        bad
    );
    let t = Instant::now();
    let records: Vec<(String, Value)> = {
        let mut st = conn.prepare(
            "SELECT id, name, schema, country, address, dob, fingerprint, updated_at FROM parties",
        )?;
        st.query_map([], |r| {
            let id: String = r.get(0)?;
            let v = json!({"id": id, "name": r.get::<_, String>(1)?,
                "schema": r.get::<_, Option<String>>(2)?, "country": r.get::<_, Option<String>>(3)?,
                "address": r.get::<_, Option<String>>(4)?, "dob": r.get::<_, Option<String>>(5)?,
                "fingerprint": r.get::<_, String>(6)?, "updated_at": r.get::<_, String>(7)?});
            Ok((id, v))
        })?
        .collect::<Result<_, _>>()?
    };
    let load = t.elapsed();
    let t = Instant::now();
    let mut mismatched = 0u64;
    for (id, v) in &records {
        let h = sha256_hex(serde_json::to_string(v)?.as_bytes());
        if latest.get(&("parties".to_string(), id.clone())).is_none_or(|x| x.1 != h) {
            mismatched += 1;
        }
    }
    let rehash = t.elapsed();
    let t = Instant::now();
    let ids: HashSet<&str> = records.iter().map(|(i, _)| i.as_str()).collect();
    let missing = latest
        .keys()
        .filter(|(t, _)| t == "parties")
        .filter(|(_, id)| !ids.contains(id.as_str()))
        .count();
    println!(
        "      parties: {} records: load as JSON values {:.2} s, canonical JSON + SHA-256 + latest lookup {:.2} s, deleted-record pass {:.2} s ({mismatched} mismatched, {missing} missing)",
        fmt_int(records.len() as u64),
        secs(load),
        secs(rehash),
        secs(t.elapsed())
    );
    Ok(())
}

// ------------------------------------------------------------------ main

struct Row {
    figure: String,
    measured: String,
    target: String,
    ratio: f64,
}

fn main() -> Result<(), BoxErr> {
    let a = parse_args();
    let threads = rayon::current_num_threads();
    if a.verify_only {
        println!("chiptrace-store verify benchmark on the existing store in {}", a.dir.display());
    } else {
        println!(
            "chiptrace-store scale benchmark: {} parties, threshold {:.2}, {} rayon threads, data dir {}",
            fmt_int(a.parties as u64),
            a.threshold,
            threads,
            a.dir.display()
        );
    }
    if a.verify_only {
        let store = Store::open(&a.dir)?;
        println!("    store: {:?}", store.stats()?);
        let t = Instant::now();
        let rep = store.verify(None)?;
        phase_done(
            "verify(None)",
            t.elapsed(),
            &format!(
                "{} events, ok={}, {} problems",
                fmt_int(rep.events as u64),
                rep.ok,
                rep.problems.len()
            ),
            &a.dir,
        );
        for p in rep.problems.iter().take(5) {
            println!("    problem: {p}");
        }
        if a.breakdown {
            verify_breakdown(&a.dir)?;
        }
        return Ok(());
    }
    if a.dir.exists() {
        std::fs::remove_dir_all(&a.dir)?;
    }
    std::fs::create_dir_all(&a.dir)?;
    let t_all = Instant::now();
    let mut rows: Vec<Row> = Vec::new();

    // ---- 1. lists -> version 1
    println!("\n[1] lists -> list version 1");
    reset_peak();
    let t = Instant::now();
    let paths: Vec<PathBuf> = a.lists.clone();
    let report = chiptrace_lists::load_paths(&paths, &LoadOptions::default())?;
    let v1 = report.entries;
    let mut by_list: std::collections::BTreeMap<&str, usize> = Default::default();
    for e in &v1 {
        *by_list.entry(e.list.as_str()).or_default() += 1;
    }
    let names: usize = v1.iter().map(|e| e.names.len()).sum();
    phase_done(
        "load list files",
        t.elapsed(),
        &format!(
            "{} entries, {names} names, {} files, lists {:?}",
            v1.len(),
            report.files.len(),
            by_list
        ),
        &a.dir,
    );
    let files_json = Value::Array(
        report
            .files
            .iter()
            .map(|f| json!({"path": f.path.display().to_string(), "format": f.format.as_str(), "sha256": f.sha256, "entries": f.entries}))
            .collect(),
    );
    let mut store = Store::open(&a.dir)?;
    store.set_actor("bench");
    reset_peak();
    let t = Instant::now();
    let d1 = store.import_list_version("bench v1", files_json.clone(), &v1)?;
    phase_done(
        "import_list_version(v1)",
        t.elapsed(),
        &format!("version {} with {} entries", d1.version_id, d1.entries),
        &a.dir,
    );

    // the "hot" pool the planted hits are drawn from: Entity List entries
    // (organizations and persons with a usable name)
    let mut r = Rng(a.seed ^ 0x1157);
    let candidates: Vec<usize> = (0..v1.len())
        .filter(|&i| {
            let e = &v1[i];
            e.list.contains("entity")
                && matches!(e.schema, EntitySchema::Organization | EntitySchema::Person)
                && e.primary_name().chars().count() >= 8
        })
        .collect();
    let candidates = if candidates.is_empty() { (0..v1.len()).collect() } else { candidates };
    let mut hot_idx: Vec<usize> = Vec::new();
    let hot_n = 300.min(candidates.len());
    let mut seen = std::collections::HashSet::new();
    while hot_idx.len() < hot_n {
        let i = *r.pick(&candidates);
        if seen.insert(i) {
            hot_idx.push(i);
        }
    }
    let hot: Vec<ListEntry> = hot_idx.iter().map(|&i| v1[i].clone()).collect();

    // ---- 2. parties
    println!("\n[2] parties and audit append");
    reset_peak();
    let t = Instant::now();
    let (parties, planted) = generate_parties(a.parties, a.seed, &hot);
    phase_done(
        "generate parties",
        t.elapsed(),
        &format!(
            "{} parties, {planted} planted list names/variants",
            fmt_int(parties.len() as u64)
        ),
        &a.dir,
    );
    let sample: Vec<&str> = parties.iter().take(4).map(|p| p.name.as_str()).collect();
    println!("    e.g. {sample:?}");
    reset_peak();
    let batch = if a.batch == 0 { parties.len().max(1) } else { a.batch };
    let t = Instant::now();
    let mut events = 0u64;
    let mut added = 0u64;
    for chunk in parties.chunks(batch) {
        let s = store.import_parties(chunk)?;
        events += s.audit_events;
        added += s.added;
    }
    let d_import = t.elapsed();
    let import_rate = events as f64 / secs(d_import);
    phase_done(
        "import_parties",
        d_import,
        &format!(
            "{} added, {} audit events in {} transaction(s): {} parties/s = {} events/s",
            fmt_int(added),
            fmt_int(events),
            parties.len().div_ceil(batch),
            fmt_rate(added as f64 / secs(d_import)),
            fmt_rate(import_rate)
        ),
        &a.dir,
    );
    rows.push(Row {
        figure: "append audit events: import_parties (1 event/party, 1 tx)".into(),
        measured: format!("{} events/s", fmt_rate(import_rate)),
        target: "≥ 20,000/s".into(),
        ratio: import_rate / TARGET_APPEND_PER_S,
    });

    if a.append_events > 0 {
        reset_peak();
        let scratch = a.dir.join("append-bench.db");
        let (d, cpu) = pure_append(&scratch, a.append_events)?;
        let rate = a.append_events as f64 / secs(d);
        phase_done(
            "pure append (store's push, scratch db)",
            d,
            &format!(
                "{} events: {} events/s ({:.1} µs/event: {:.1} µs JSON+SHA-256, {:.1} µs SQLite)",
                fmt_int(a.append_events as u64),
                fmt_rate(rate),
                secs(d) * 1e6 / a.append_events as f64,
                secs(cpu) * 1e6 / a.append_events as f64,
                (secs(d) - secs(cpu)) * 1e6 / a.append_events as f64
            ),
            &a.dir,
        );
        rows.push(Row {
            figure: "append audit events: pure append path (1 tx)".into(),
            measured: format!("{} events/s", fmt_rate(rate)),
            target: "≥ 20,000/s".into(),
            ratio: rate / TARGET_APPEND_PER_S,
        });
        let _ = std::fs::remove_file(&scratch);
        let _ = std::fs::remove_file(a.dir.join("append-bench.db-wal"));
        let _ = std::fs::remove_file(a.dir.join("append-bench.db-shm"));
    }
    if a.commit_events > 0 {
        reset_peak();
        let t = Instant::now();
        for i in 0..a.commit_events {
            store.record_decision(
                "classify",
                &format!("BENCH-CHIP-{i}"),
                &json!({"part": format!("BENCH-CHIP-{i}"), "tpp": 1000 + i}),
                &json!({"classification": "EAR99", "trace": []}),
            )?;
        }
        let d = t.elapsed();
        let rate = a.commit_events as f64 / secs(d);
        phase_done(
            "record_decision, 1 tx per event",
            d,
            &format!(
                "{} events: {} events/s ({:.0} µs/commit incl. Ed25519 checkpoint)",
                fmt_int(a.commit_events as u64),
                fmt_rate(rate),
                secs(d) * 1e6 / a.commit_events as f64
            ),
            &a.dir,
        );
        rows.push(Row {
            figure: "append audit events: 1 command = 1 tx (record_decision)".into(),
            measured: format!("{} events/s", fmt_rate(rate)),
            target: "(≥ 20,000/s)".into(),
            ratio: rate / TARGET_APPEND_PER_S,
        });
    }

    // ---- 3. first screening
    println!("\n[3] first screening (full)");
    reset_peak();
    let t = Instant::now();
    let s1 = store.rescreen(a.threshold, false)?;
    let d_first = t.elapsed();
    let qps = s1.run.parties_screened_full as f64 / secs(d_first);
    phase_done(
        "rescreen (first run = full)",
        d_first,
        &format!(
            "{} parties screened in full: {} queries/s; {} hits, {} new alerts",
            fmt_int(s1.run.parties_screened_full),
            fmt_rate(qps),
            fmt_int(s1.run.hits),
            fmt_int(s1.new.len() as u64)
        ),
        &a.dir,
    );
    let scaled = secs(d_first) * TARGET_PARTIES / a.parties.max(1) as f64;
    rows.push(Row {
        figure: "first full screening (not a target; info)".into(),
        measured: format!(
            "{:.1} s = {} q/s (≈ {:.0} s per 1M)",
            secs(d_first),
            fmt_rate(qps),
            scaled
        ),
        target: "—".into(),
        ratio: f64::NAN,
    });

    // ---- 4. list update and incremental rescreen
    println!("\n[4] list version 2 and incremental rescreen");
    let v2 = build_v2(&v1, &hot_idx, &a);
    reset_peak();
    let t = Instant::now();
    let d2 = store.import_list_version("bench v2", files_json, &v2.entries)?;
    phase_done(
        "import_list_version(v2)",
        t.elapsed(),
        &format!(
            "built with +{} -{} ~{}; store diff: {} added, {} changed, {} removed, {} unchanged",
            v2.added, v2.removed, v2.changed, d2.added, d2.changed, d2.removed, d2.unchanged
        ),
        &a.dir,
    );
    reset_peak();
    let t = Instant::now();
    let s2 = store.rescreen(a.threshold, false)?;
    let d_re = t.elapsed();
    phase_done(
        "rescreen(0.80, false) after update",
        d_re,
        &format!(
            "full {} / delta {} / skipped {} parties, {} delta entries, {} hits",
            fmt_int(s2.run.parties_screened_full),
            fmt_int(s2.run.parties_screened_delta),
            fmt_int(s2.run.parties_skipped),
            s2.run.entries_in_delta,
            s2.run.hits
        ),
        &a.dir,
    );
    println!(
        "    delta: {} new, {} reopened, {} gone, {} unchanged alerts",
        s2.new.len(),
        s2.reopened.len(),
        s2.gone.len(),
        s2.unchanged
    );
    let scaled = secs(d_re) * TARGET_PARTIES / a.parties.max(1) as f64;
    rows.push(Row {
        figure: format!("rescreen after list update ({} parties)", fmt_int(a.parties as u64)),
        measured: if a.parties as f64 == TARGET_PARTIES {
            format!("{:.1} s", secs(d_re))
        } else {
            format!("{:.1} s (linear ≈ {:.0} s per 1M)", secs(d_re), scaled)
        },
        target: "< 300 s per 1M, 2 cores".into(),
        ratio: TARGET_RESCREEN_S / scaled,
    });
    if a.breakdown {
        // the delta: entries of v2 whose (key, fingerprint) are new
        // (an entry key given twice in one version: the store keeps the first)
        let mut v1_keys: std::collections::HashMap<String, String> = Default::default();
        for e in &v1 {
            v1_keys
                .entry(format!("{}/{}", e.list, e.id))
                .or_insert_with(|| serde_json::to_string(e).unwrap_or_default());
        }
        let mut seen_v2 = std::collections::HashSet::new();
        let delta: Vec<ListEntry> = v2
            .entries
            .iter()
            .filter(|e| {
                let k = format!("{}/{}", e.list, e.id);
                seen_v2.insert(k.clone())
                    && v1_keys.get(&k) != Some(&serde_json::to_string(e).unwrap_or_default())
            })
            .cloned()
            .collect();
        rescreen_breakdown(&a.dir, &delta, a.threshold)?;
    }
    reset_peak();
    let t = Instant::now();
    let s3 = store.rescreen(a.threshold, false)?;
    phase_done(
        "rescreen again, nothing changed",
        t.elapsed(),
        &format!(
            "{} skipped, {} screened",
            fmt_int(s3.run.parties_skipped),
            s3.run.parties_screened_full + s3.run.parties_screened_delta
        ),
        &a.dir,
    );

    // ---- 5. verify
    if a.verify {
        println!("\n[5] audit verify");
        let stats = store.stats()?;
        println!("    store: {stats:?}");
        let _ = std::io::stdout().flush();
        reset_peak();
        let t = Instant::now();
        let rep = store.verify(None)?;
        let d_v = t.elapsed();
        phase_done(
            "verify(None)",
            d_v,
            &format!(
                "{} events, {} checkpoints, ok={}, {} problems: {} events/s",
                fmt_int(rep.events as u64),
                rep.checkpoints,
                rep.ok,
                rep.problems.len(),
                fmt_rate(rep.events as f64 / secs(d_v))
            ),
            &a.dir,
        );
        for p in rep.problems.iter().take(3) {
            println!("    problem: {p}");
        }
        if a.breakdown {
            verify_breakdown(&a.dir)?;
        }
        let scaled = secs(d_v) * TARGET_VERIFY_EVENTS / rep.events.max(1) as f64;
        rows.push(Row {
            figure: format!("audit verify ({} events)", fmt_int(rep.events as u64)),
            measured: if rep.events as f64 >= TARGET_VERIFY_EVENTS {
                format!("{:.1} s", secs(d_v))
            } else {
                format!("{:.1} s (linear ≈ {:.0} s per 1M)", secs(d_v), scaled)
            },
            target: "< 30 s per 1M events".into(),
            ratio: TARGET_VERIFY_S / scaled,
        });
    }

    // ---- summary
    let (db, wal) = db_size_mib(&a.dir);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nsummary ({} parties, {} threads, total {:.1} s)",
        fmt_int(a.parties as u64),
        threads,
        t_all.elapsed().as_secs_f64()
    );
    let _ = writeln!(out, "  {:<58} {:<36} {:<24} {:>8}", "figure", "measured", "target", "ratio");
    for r in &rows {
        let ratio = if r.ratio.is_nan() {
            "".to_string()
        } else {
            format!("{:.2}x {}", r.ratio, if r.ratio >= 1.0 { "ok" } else { "MISS" })
        };
        let _ =
            writeln!(out, "  {:<58} {:<36} {:<24} {:>8}", r.figure, r.measured, r.target, ratio);
    }
    let _ = writeln!(
        out,
        "  (ratio > 1 = within target: target/measured for times, measured/target for rates)"
    );
    let _ = writeln!(
        out,
        "  peak RSS (VmHWM, max over phases) {:.0} MiB; DB file {:.0} MiB + WAL {:.0} MiB; current RSS {:.0} MiB",
        overall_peak_mib(),
        db,
        wal,
        rss_mib()
    );
    print!("{out}");
    Ok(())
}
