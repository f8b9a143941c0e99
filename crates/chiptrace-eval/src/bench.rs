//! In-process speed benchmark of the screening engine, and the query
//! files the benchmark scripts use.
//!
//! Measures, against all lists under a directory: list load time, index
//! build time ([`chiptrace_screen::Index::build`]), single-query latency
//! (one [`chiptrace_screen::Index::screen`] call at a time on one thread:
//! p50/p95/p99), batch throughput ([`chiptrace_screen::Index::screen_batch`]
//! on the rayon pool) and peak resident memory (`VmHWM`).

use std::path::Path;
use std::time::Instant;

use chiptrace_lists::{EntitySchema, ListEntry};
use chiptrace_screen::{Index, Query, ScreenOptions};
use serde::Serialize;

use crate::rng::Rng;
use crate::{Category, EvalPair};

/// Target: index build time.
pub const TARGET_BUILD_S: f64 = 2.0;
/// Target: batch throughput on 2 cores.
pub const TARGET_BATCH_QPS: f64 = 20_000.0;
/// Target: single-query median latency.
pub const TARGET_P50_US: f64 = 100.0;
/// Target: peak resident memory.
pub const TARGET_PEAK_MB: f64 = 500.0;

/// Benchmark figures.
#[derive(Debug, Clone, Serialize)]
pub struct BenchResult {
    /// Entries indexed.
    pub entries: usize,
    /// Names (primary + aliases) indexed.
    pub names: usize,
    /// Queries in the file.
    pub queries: usize,
    /// Rayon threads used by the batch run.
    pub threads: usize,
    /// Time to load and parse all lists, seconds.
    pub load_s: f64,
    /// Best index build time over the iterations, seconds.
    pub build_s: f64,
    /// All build times, seconds.
    pub build_s_all: Vec<f64>,
    /// Single-query latency percentiles, microseconds.
    pub single_p50_us: f64,
    /// p95.
    pub single_p95_us: f64,
    /// p99.
    pub single_p99_us: f64,
    /// Mean.
    pub single_mean_us: f64,
    /// Best batch throughput over the iterations, queries per second.
    pub batch_qps: f64,
    /// All batch throughputs.
    pub batch_qps_all: Vec<f64>,
    /// Hits returned by one batch run (sanity check that screening did work).
    pub batch_hits: usize,
    /// Peak resident set size, MB (VmHWM), if readable.
    pub peak_rss_mb: Option<f64>,
}

impl BenchResult {
    /// Rows of (what, value, target, PASS/FAIL).
    pub fn checks(&self) -> Vec<(String, String, String, bool)> {
        let mut v = vec![
            (
                "index build".into(),
                format!("{:.3} s", self.build_s),
                format!("< {TARGET_BUILD_S} s"),
                self.build_s < TARGET_BUILD_S,
            ),
            (
                format!("batch throughput ({} threads)", self.threads),
                format!("{:.0} q/s", self.batch_qps),
                format!(">= {TARGET_BATCH_QPS:.0} q/s"),
                self.batch_qps >= TARGET_BATCH_QPS,
            ),
            (
                "single query p50".into(),
                format!("{:.1} µs", self.single_p50_us),
                format!("< {TARGET_P50_US} µs"),
                self.single_p50_us < TARGET_P50_US,
            ),
        ];
        if let Some(m) = self.peak_rss_mb {
            v.push((
                "peak RSS".into(),
                format!("{m:.0} MB"),
                format!("< {TARGET_PEAK_MB} MB"),
                m < TARGET_PEAK_MB,
            ));
        }
        v
    }

    /// Markdown table.
    pub fn to_markdown(&self) -> String {
        let mut s = format!(
            "{} entries, {} names; {} queries; lists loaded in {:.3} s.\n\n",
            self.entries, self.names, self.queries, self.load_s
        );
        s.push_str("| measure | value | target | status |\n|---|--:|---|---|\n");
        for (what, val, target, ok) in self.checks() {
            s.push_str(&format!(
                "| {what} | {val} | {target} | {} |\n",
                if ok { "PASS" } else { "FAIL" }
            ));
        }
        s.push_str(&format!(
            "| single query p95 / p99 / mean | {:.1} / {:.1} / {:.1} µs | – | – |\n",
            self.single_p95_us, self.single_p99_us, self.single_mean_us
        ));
        s.push_str(&format!("| batch hits (sanity) | {} | – | – |\n", self.batch_hits));
        s
    }
}

/// Peak resident set size of this process in MB (Linux `VmHWM`).
pub fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Read a query CSV with a header; columns `id,name` and optional
/// `schema,country,address,dob` (matched by header name).
pub fn read_queries(path: &Path) -> anyhow::Result<Vec<Query>> {
    let mut rdr = csv::Reader::from_path(path)?;
    let headers = rdr.headers()?.clone();
    let col = |n: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(n));
    let (id, name) = (
        col("id"),
        col("name").ok_or_else(|| anyhow::anyhow!("{}: no `name` column", path.display()))?,
    );
    let (schema, country, address, dob) =
        (col("schema"), col("country"), col("address"), col("dob"));
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec?;
        let get = |c: Option<usize>| {
            c.and_then(|c| rec.get(c)).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
        };
        out.push(Query {
            id: get(id).unwrap_or_else(|| (i + 1).to_string()),
            name: rec.get(name).unwrap_or("").to_string(),
            schema: get(schema).and_then(|s| EntitySchema::parse(&s)),
            country: get(country),
            address: get(address),
            dob: get(dob),
        });
    }
    Ok(out)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Run the benchmark: load all lists under `lists_root`, build the index
/// `iters` times, time every query once on one thread, and run the whole
/// file through `screen_batch` `iters` times.
pub fn bench(lists_root: &Path, queries: &[Query], iters: usize) -> anyhow::Result<BenchResult> {
    let iters = iters.max(1);
    let t = Instant::now();
    let entries: Vec<ListEntry> = crate::load_lists(lists_root)?;
    let load_s = t.elapsed().as_secs_f64();
    let n_entries = entries.len();
    let names: usize = entries.iter().map(|e| e.names.len()).sum();
    let mut build_s_all = Vec::new();
    let mut index = None;
    for _ in 0..iters {
        let copy = entries.clone();
        drop(index.take());
        let t = Instant::now();
        let ix = Index::build(copy);
        build_s_all.push(t.elapsed().as_secs_f64());
        index = Some(ix);
    }
    drop(entries);
    let index = index.ok_or_else(|| anyhow::anyhow!("no index built"))?;
    let opts = ScreenOptions::default();
    // Warm-up (caches, lazy tables).
    for q in queries.iter().take(200) {
        std::hint::black_box(index.screen(q, &opts));
    }
    let mut lat: Vec<f64> = Vec::with_capacity(queries.len());
    for q in queries {
        let t = Instant::now();
        let h = index.screen(q, &opts);
        lat.push(t.elapsed().as_secs_f64() * 1e6);
        std::hint::black_box(h);
    }
    let mean = if lat.is_empty() { 0.0 } else { lat.iter().sum::<f64>() / lat.len() as f64 };
    lat.sort_by(f64::total_cmp);
    let mut batch_qps_all = Vec::new();
    let mut batch_hits = 0;
    for _ in 0..iters {
        let t = Instant::now();
        let res = index.screen_batch(queries, &opts);
        let secs = t.elapsed().as_secs_f64();
        batch_qps_all.push(queries.len() as f64 / secs.max(1e-9));
        batch_hits = res.iter().map(Vec::len).sum();
    }
    Ok(BenchResult {
        entries: n_entries,
        names,
        queries: queries.len(),
        threads: rayon::current_num_threads(),
        load_s,
        build_s: build_s_all.iter().copied().fold(f64::INFINITY, f64::min),
        build_s_all,
        single_p50_us: percentile(&lat, 0.5),
        single_p95_us: percentile(&lat, 0.95),
        single_p99_us: percentile(&lat, 0.99),
        single_mean_us: mean,
        batch_qps: batch_qps_all.iter().copied().fold(0.0, f64::max),
        batch_qps_all,
        batch_hits,
        peak_rss_mb: peak_rss_mb(),
    })
}

/// One row of a benchmark query file.
#[derive(Debug, Clone, Serialize)]
pub struct QueryRow {
    /// Row id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `person` / `organization` (may be empty).
    pub schema: String,
    /// Where the row came from: `eval_positive`, `eval_negative`, `fictional`.
    pub source: String,
}

const PLACES: &[&str] = &[
    "Shenzhen",
    "Shanghai",
    "Beijing",
    "Suzhou",
    "Hangzhou",
    "Dongguan",
    "Ningbo",
    "Xiamen",
    "Guangzhou",
    "Wuxi",
    "Hong Kong",
    "Singapore",
    "Dubai",
    "Istanbul",
    "Kuala Lumpur",
    "Almaty",
];
const SYLLABLES: &[&str] = &[
    "xin", "da", "hua", "tian", "long", "feng", "hai", "jin", "rui", "yuan", "kang", "sheng",
    "tai", "heng", "fu", "tong", "bao", "cheng", "mei", "hong", "guang", "xing", "jia", "run",
    "hao", "chuang", "zhi", "ming", "yang", "bo", "an", "li",
];
const GENERIC: &[&str] = &[
    "Technology",
    "Electronics",
    "Trading",
    "Precision Machinery",
    "Industrial",
    "Logistics",
    "Semiconductor",
    "Import and Export",
    "Optoelectronics",
    "Components",
    "Supply Chain",
    "Information Technology",
    "New Materials",
    "Automation",
    "Instruments",
    "Engineering",
];
const LEGAL: &[&str] = &[
    "Co., Ltd.",
    "Limited",
    "LLC",
    "Pte. Ltd.",
    "FZE",
    "Sdn. Bhd.",
    "GmbH",
    "Inc.",
    "Company Limited",
    "JSC",
];
const ADJ: &[&str] = &[
    "Blue",
    "Silver",
    "Northern",
    "Atlas",
    "Pioneer",
    "Summit",
    "Evergreen",
    "Crescent",
    "Meridian",
    "Falcon",
    "Orion",
    "Harbor",
    "Vertex",
    "Keystone",
    "Nova",
    "Sterling",
];
const NOUN: &[&str] = &[
    "River", "Bridge", "Peak", "Wave", "Field", "Stone", "Point", "Gate", "Line", "Path", "Works",
    "Systems", "Dynamics", "Labs", "Networks", "Devices",
];
const GIVEN: &[&str] = &[
    "James", "Maria", "Wei", "Li", "Ahmed", "Fatima", "Ivan", "Olga", "Carlos", "Ana", "Hiroshi",
    "Yuki", "Rahul", "Priya", "Mehmet", "Elif", "John", "Anna", "Jun", "Min",
];
const SURNAME: &[&str] = &[
    "Smith", "Garcia", "Chen", "Wang", "Khan", "Petrov", "Silva", "Tanaka", "Sharma", "Yilmaz",
    "Muller", "Rossi", "Kim", "Nguyen", "Haddad", "Novak", "Zhang", "Liu",
];

/// A fictional plausible customer name (company or person).
pub fn fictional_name(rng: &mut Rng) -> (String, &'static str) {
    let pick = |rng: &mut Rng, xs: &[&'static str]| xs[rng.below(xs.len())];
    match rng.below(10) {
        0..=4 => {
            let s1 = pick(rng, SYLLABLES);
            let s2 = pick(rng, SYLLABLES);
            let brand = format!("{}{}", crate::cyrillic::title(s1), s2);
            (
                format!(
                    "{} {brand} {} {}",
                    pick(rng, PLACES),
                    pick(rng, GENERIC),
                    pick(rng, LEGAL)
                ),
                "organization",
            )
        }
        5..=7 => (
            format!(
                "{} {} {} {}",
                pick(rng, ADJ),
                pick(rng, NOUN),
                pick(rng, GENERIC),
                pick(rng, LEGAL)
            ),
            "organization",
        ),
        _ => (format!("{} {}", pick(rng, GIVEN), pick(rng, SURNAME)), "person"),
    }
}

/// Build a benchmark query file of `n` rows: 40 % queries of evaluation
/// positives, 20 % of hard negatives, 40 % fictional customer names.
pub fn make_queries(pairs: &[EvalPair], n: usize, seed: u64) -> Vec<QueryRow> {
    let mut rng = Rng::new(seed, "bench-queries");
    let pos: Vec<&EvalPair> =
        pairs.iter().filter(|p| p.expected && p.category != Category::HanBrand).collect();
    let neg: Vec<&EvalPair> =
        pairs.iter().filter(|p| !p.expected && p.category.negative_focused()).collect();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let r = rng.below(10);
        let (name, schema, source) = if r < 4 && !pos.is_empty() {
            let p = pos[rng.below(pos.len())];
            (p.query.clone(), p.schema.as_str(), "eval_positive")
        } else if r < 6 && !neg.is_empty() {
            let p = neg[rng.below(neg.len())];
            (p.query.clone(), p.schema.as_str(), "eval_negative")
        } else {
            let (n, s) = fictional_name(&mut rng);
            (n, s, "fictional")
        };
        out.push(QueryRow {
            id: format!("q{:06}", i + 1),
            name,
            schema: schema.to_string(),
            source: source.to_string(),
        });
    }
    out
}
