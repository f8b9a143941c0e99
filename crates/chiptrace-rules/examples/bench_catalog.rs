//! Classification speed: the whole chip catalog on one date, many times.
//!
//! ```sh
//! scripts/bench-classify.sh                     # release build, 2026-11-29, 200 runs
//! cargo run --release -p chiptrace-rules --example bench_catalog -- [DATE] [RUNS]
//! ```
//!
//! Rules and catalog are loaded (and the catalog specs built) once, outside
//! the timed region; each timed pass is one `classify_all` over every catalog
//! row (ICs and systems; a system classifies its contained ICs), including the
//! trace, overlays and the TF32 sensitivity re-run.
use std::hint::black_box;
use std::time::{Duration, Instant};

use chiptrace_rules::{Catalog, Outcome, RuleSet, classify_all, parse_date};

/// Target from the project plan: one whole-catalog pass in under 50 ms.
const TARGET_MS: f64 = 50.0;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("usage: bench_catalog [DATE (default 2026-11-29)] [RUNS (default 200)]");
        return Ok(());
    }
    let date = parse_date("date", args.first().map_or("2026-11-29", String::as_str))?;
    let runs: usize = match args.get(1) {
        Some(s) => {
            s.parse().map_err(|_| format!("RUNS: expected a positive integer, got {s:?}"))?
        }
        None => 200,
    };
    if runs == 0 {
        return Err("RUNS must be at least 1".into());
    }

    let t0 = Instant::now();
    let rules = RuleSet::embedded()?;
    let cat = Catalog::embedded()?;
    let specs = cat.entries().iter().map(|e| cat.spec(e)).collect::<Result<Vec<_>, _>>()?;
    let load = t0.elapsed();

    // warm-up, and a summary of what is being classified
    let first = classify_all(&rules, &specs, date)?;
    let mut counts = std::collections::BTreeMap::<Outcome, usize>::new();
    for c in &first {
        *counts.entry(c.classification).or_default() += 1;
    }
    let trace_steps: usize = first.iter().map(|c| c.trace.len()).sum();

    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let out = classify_all(&rules, black_box(&specs), black_box(date))?;
        times.push(t.elapsed());
        black_box(out);
    }
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let pct = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    let min = ms(times[0]);
    let median = ms(pct(0.5));
    let p95 = ms(pct(0.95));
    let max = ms(times[times.len() - 1]);
    let rows = specs.len();
    let rows_per_s = rows as f64 / (median / 1e3);

    println!("chiptrace-rules catalog classification benchmark");
    println!("  engine        {}", chiptrace_rules::ENGINE_VERSION);
    println!(
        "  rule data     {} (version in force on {date}: {})",
        rules.data_version,
        rules.at(date)?.version.id
    );
    println!(
        "  catalog       {rows} rows; outcomes {:?}",
        counts.iter().map(|(o, n)| format!("{}={n}", o.name())).collect::<Vec<_>>()
    );
    println!("  trace steps   {trace_steps} per pass");
    println!("  load          {:.2} ms (rules + catalog + specs, once)", ms(load));
    println!("  runs          {runs}");
    println!(
        "  per pass      min {min:.3} ms | median {median:.3} ms | p95 {p95:.3} ms | max {max:.3} ms"
    );
    println!("  per row       median {:.2} µs", median * 1e3 / rows as f64);
    println!("  throughput    {rows_per_s:.0} rows/s (median)");
    println!(
        "  target        < {TARGET_MS:.0} ms per catalog pass: p95 {p95:.3} ms = {:.4} × target ({:.0}× headroom) {}",
        p95 / TARGET_MS,
        TARGET_MS / p95,
        if p95 < TARGET_MS { "MET" } else { "NOT MET" }
    );
    if cfg!(debug_assertions) {
        println!(
            "  note          debug build: use scripts/bench-classify.sh (release) for real figures"
        );
    }
    Ok(())
}
