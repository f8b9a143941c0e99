//! Scaling curve of import + validation: generates ledgers of 10k / 100k /
//! 1M orders (or the sizes given) into a temp dir and times `load`.
//!
//! `cargo run --release -p chiptrace-ledger --example bench_load -- [--sizes 10000,100000,1000000] [--seed S] [--dir D] [--keep] [--phases]`
//!
//! Peak RSS is the process high-water mark (VmHWM in /proc/self/status),
//! so each size runs in a child process of this example (re-invoked with
//! `--one`) to measure its own peak, not the largest so far.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use chiptrace_ledger::r#gen::generate;
use chiptrace_ledger::{LoadOptions, load};

fn vm_hwm_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let l = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    l.split_whitespace().nth(1)?.parse().ok()
}

/// User + system CPU seconds of this process (/proc/self/stat, 100 Hz
/// ticks): less sensitive to other load on the machine than wall time.
fn cpu_secs() -> f64 {
    let Ok(s) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the ")" of the command name: state is field 3, utime 14, stime 15.
    let Some(rest) = s.rsplit_once(')').map(|x| x.1) else { return 0.0 };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let t = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (t(11) + t(12)) / 100.0
}

fn dir_bytes(d: &Path) -> u64 {
    std::fs::read_dir(d)
        .map(|it| {
            it.filter_map(|e| e.ok()).filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum()
        })
        .unwrap_or(0)
}

/// Generate (unless present) and load one size; print one result line.
fn one(seed: u64, n: usize, dir: &Path, phases: bool) -> Result<(), String> {
    let d = dir.join(format!("ledger-{n}"));
    let gen_s = if d.join("truth.json").is_file() {
        None
    } else {
        let s = generate(seed, n, &d).map_err(|e| e.to_string())?;
        Some(s.seconds)
    };
    let hwm_before = vm_hwm_kb().unwrap_or(0);
    let cpu0 = cpu_secs();
    let t = Instant::now();
    let loaded = load(&d, &LoadOptions::strict()).map_err(|e| e.to_string())?;
    let secs = t.elapsed().as_secs_f64();
    let cpu = cpu_secs() - cpu0;
    let c = loaded.ledger.counts();
    let rows = c.rows();
    println!(
        "{n:>9} orders | gen {} | files {:>7.1} MB | rows {rows:>10} (events {:>9}) | load+validate {secs:>7.3} s wall, {cpu:>6.2} s CPU | {:>10.0} rows/s | ledger heap ~{:>6.0} MB | peak RSS {:>6.0} MB (before load {:.0} MB) | {} warnings",
        gen_s.map_or("  cached".to_string(), |s| format!("{s:>6.2} s")),
        dir_bytes(&d) as f64 / 1e6,
        c.serial_events,
        rows as f64 / secs,
        loaded.ledger.heap_bytes() as f64 / 1e6,
        vm_hwm_kb().unwrap_or(0) as f64 / 1024.0,
        hwm_before as f64 / 1024.0,
        loaded.report.warning_count(),
    );
    if phases {
        for (what, t) in &loaded.phases {
            println!("          {t:>8.3} s  {what}");
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let mut sizes = vec![10_000usize, 100_000, 1_000_000];
    let mut seed = 42u64;
    let mut dir: Option<PathBuf> = None;
    let mut keep = false;
    let mut single = false;
    let mut phases = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--sizes" => {
                sizes = args
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|s| s.trim().parse().ok())
                    .collect()
            }
            "--seed" => seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(seed),
            "--dir" => dir = args.next().map(PathBuf::from),
            "--keep" => keep = true,
            "--one" => single = true,
            "--phases" => phases = true,
            _ => {
                eprintln!(
                    "usage: bench_load [--sizes 10000,100000] [--seed S] [--dir D] [--keep] [--phases]"
                );
                return ExitCode::from(2);
            }
        }
    }
    if single {
        let (Some(d), Some(&n)) = (dir.as_ref(), sizes.first()) else { return ExitCode::from(2) };
        return match one(seed, n, d, phases) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    let tmp;
    let base = match dir {
        Some(d) => d,
        None => match tempfile::tempdir() {
            Ok(t) => {
                tmp = t;
                tmp.path().to_path_buf()
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
    };
    println!(
        "chiptrace-ledger load+validate scaling (seed {seed}, {} threads)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    for n in &sizes {
        let st = Command::new(&exe)
            .args(["--one", "--sizes", &n.to_string(), "--seed", &seed.to_string(), "--dir"])
            .arg(&base)
            .args(phases.then_some("--phases"))
            .status();
        if !matches!(st, Ok(s) if s.success()) {
            eprintln!("size {n} failed");
            return ExitCode::from(2);
        }
        if !keep {
            let _ = std::fs::remove_dir_all(base.join(format!("ledger-{n}")));
        }
    }
    ExitCode::SUCCESS
}
