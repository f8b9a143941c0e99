//! Load a file or directory of lists and print a summary and the load time.
//!
//! ```text
//! cargo run --release -p chiptrace-lists --example load_summary -- /path/to/lists [--json]
//! ```
//! `--repeat N` reports the fastest of N loads. With `--json` every entry is printed as one JSON line instead (for
//! inspection with `jq`).

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.iter().find(|a| !a.starts_with("--") && a.parse::<usize>().is_err())
    else {
        eprintln!("usage: load_summary PATH [--json] [--strict] [--repeat N]");
        std::process::exit(2);
    };
    let opts = chiptrace_lists::LoadOptions {
        strict: args.iter().any(|a| a == "--strict"),
        ..Default::default()
    };
    // `--repeat N` loads N times and reports the fastest run (the machine
    // may be shared; the minimum is the least disturbed measurement).
    let repeat: usize = args
        .iter()
        .position(|a| a == "--repeat")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
        .max(1);
    let mut best = std::time::Duration::MAX;
    let mut best_cpu = u64::MAX;
    let mut report = None;
    for _ in 0..repeat {
        let cpu0 = thread_cpu_ns();
        let t = Instant::now();
        let r = match chiptrace_lists::load_path(&PathBuf::from(path), &opts) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        };
        best = best.min(t.elapsed());
        if let (Some(a), Some(b)) = (cpu0, thread_cpu_ns()) {
            best_cpu = best_cpu.min(b.saturating_sub(a));
        }
        report = Some(r);
    }
    let Some(report) = report else { return };
    let elapsed = best;
    if args.iter().any(|a| a == "--json") {
        for e in &report.entries {
            println!("{}", serde_json::to_string(e).unwrap_or_default());
        }
        return;
    }
    for f in &report.files {
        println!(
            "{:<70} {:<14} {:>6} entries {:>4} bad  {}  {}",
            f.path.display(),
            f.format.as_str(),
            f.entries,
            f.bad_rows,
            f.list_codes.join(","),
            &f.sha256[..16]
        );
        for c in &f.companions {
            println!("    + {} ({})", c.path.display(), c.role);
        }
    }
    for s in &report.skipped {
        println!("skipped {}: {}", s.path.display(), s.reason);
    }
    for b in report.bad_rows.iter().take(20) {
        println!("bad row {b}");
    }
    println!(
        "{} entries, {} bad rows, {} files in {:.1} ms wall, {} CPU (best of {repeat})",
        report.entries.len(),
        report.bad_rows.len(),
        report.files.len(),
        elapsed.as_secs_f64() * 1000.0,
        if best_cpu == u64::MAX {
            "n/a".to_string()
        } else {
            format!("{:.1} ms", best_cpu as f64 / 1e6)
        }
    );
}

/// CPU time of this thread in ns (Linux `/proc/thread-self/schedstat`), so a
/// measurement on a busy machine is not inflated by waiting for a core.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
