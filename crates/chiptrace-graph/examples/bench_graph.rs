//! Scale bench: generate ledgers (default 100,000 and 1,000,000 orders),
//! load them, and time graph build + exposure + serial anomalies +
//! reconciliation, printing seconds and peak RSS.
//!
//! `cargo run --release -p chiptrace-graph --example bench_graph -- [--sizes 100000,1000000] [--seed S] [--dir D] [--hops K]`
//!
//! Each size runs in a child process (re-invoked with `--one N DIR`) so
//! its peak RSS (VmHWM) is its own. `--ledger DIR` analyses an existing
//! ledger instead of generating one.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use chiptrace_graph::reconcile::{Period, reconcile};
use chiptrace_graph::serial::{AnomalyKind, anomalies};
use chiptrace_graph::{DEFAULT_HUBS, DEFAULT_RESTRICTED, GraphInput, TradeGraph};
use chiptrace_ledger::r#gen::generate;
use chiptrace_ledger::{LoadOptions, load};

fn vm_hwm_mb() -> f64 {
    let Ok(s) = std::fs::read_to_string("/proc/self/status") else { return 0.0 };
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|x| x.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// User + system CPU seconds of this process (/proc/self/stat, 100 Hz
/// ticks): less sensitive than wall time to other load on the machine.
fn cpu_secs() -> f64 {
    let Ok(s) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    let Some(rest) = s.rsplit_once(')').map(|x| x.1) else { return 0.0 };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let t = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (t(11) + t(12)) / 100.0
}

fn one(dir: &Path, hops: usize) -> Result<(), String> {
    let t0 = Instant::now();
    let l = load(dir, &LoadOptions::strict()).map_err(|e| e.to_string())?.ledger;
    let t_load = t0.elapsed().as_secs_f64();
    let rss_load = vm_hwm_mb();
    let c = l.counts();

    let cpu0 = cpu_secs();
    let t = Instant::now();
    let listed = vec![None; l.parties.len()];
    let g = TradeGraph::build(&GraphInput {
        ledger: &l,
        cluster_of: None,
        listed: &listed,
        restricted: &DEFAULT_RESTRICTED,
    });
    let t_build = t.elapsed().as_secs_f64();
    let (nodes, links, insts) = g.size();

    let t = Instant::now();
    let ex = g.exposure(hops);
    let t_exposure = t.elapsed().as_secs_f64();
    let exposed = ex.iter().filter(|p| p.is_some()).count();
    let mut by_len = [0usize; 8];
    for p in ex.iter().flatten() {
        by_len[p.hops.len().min(7)] += 1;
    }

    let t = Instant::now();
    let seller = l.orders.first().map(|o| o.seller);
    let paths = seller.map(|s| g.paths_from(s, hops, 100)).unwrap_or_default();
    let t_paths = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let an = anomalies(&l, &DEFAULT_RESTRICTED);
    let t_anom = t.elapsed().as_secs_f64();
    let count = |k: AnomalyKind| an.iter().filter(|a| a.kind == k).count();

    let t = Instant::now();
    let rec = reconcile(&l, Period::Quarter, &DEFAULT_HUBS);
    let t_rec = t.elapsed().as_secs_f64();
    let gaps: usize = rec.periods.iter().map(|p| p.gaps.len()).sum();

    let total = t_build + t_exposure + t_paths + t_anom + t_rec;
    let cpu = cpu_secs() - cpu0;
    println!(
        "orders {} | events {} | parties {} | load {t_load:.2}s (peak {rss_load:.0} MB)",
        c.orders, c.serial_events, c.parties
    );
    println!(
        "  graph: {nodes} nodes, {links} links, {insts} instances, {:.0} MB",
        g.heap_bytes() as f64 / 1e6
    );
    println!(
        "  build {t_build:.3}s | exposure(k={hops}) {t_exposure:.3}s | paths_from(exporter) {t_paths:.3}s | anomalies {t_anom:.3}s | reconcile(quarter) {t_rec:.3}s | total {total:.2}s wall, {cpu:.2}s CPU"
    );
    println!(
        "  exposed clusters {exposed}/{} by hops {:?} | exporter paths {} | anomalies {} (two_places {}, seen_in_restricted {}, model_mismatch {}, label_swap {}, missing {}) | hub gaps {gaps}",
        ex.len(),
        &by_len[..=hops.min(7)],
        paths.len(),
        an.len(),
        count(AnomalyKind::TwoPlaces),
        count(AnomalyKind::SeenInRestricted),
        count(AnomalyKind::ModelMismatch),
        count(AnomalyKind::LabelSwap),
        count(AnomalyKind::MissingAtInspection),
    );
    println!("  peak RSS {:.0} MB (VmHWM, includes the loaded ledger)", vm_hwm_mb());
    Ok(())
}

fn main() -> ExitCode {
    let mut sizes = vec![100_000usize, 1_000_000];
    let mut seed = 11u64;
    let mut base: Option<PathBuf> = None;
    let mut hops = 4usize;
    let mut ledger: Option<PathBuf> = None;
    let mut single: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_default();
        match a.as_str() {
            "--sizes" => sizes = val().split(',').filter_map(|x| x.trim().parse().ok()).collect(),
            "--seed" => seed = val().parse().unwrap_or(seed),
            "--dir" => base = Some(PathBuf::from(val())),
            "--hops" => hops = val().parse().unwrap_or(hops),
            "--ledger" => ledger = Some(PathBuf::from(val())),
            "--one" => single = Some(PathBuf::from(val())),
            _ => {
                eprintln!(
                    "usage: bench_graph [--sizes N,N] [--seed S] [--dir D] [--hops K] [--ledger DIR]"
                );
                return ExitCode::from(2);
            }
        }
    }
    if let Some(d) = single.or(ledger) {
        return match one(&d, hops) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        };
    }
    let tmp = std::env::temp_dir();
    let base = base.unwrap_or(tmp);
    let Ok(exe) = std::env::current_exe() else { return ExitCode::from(1) };
    for n in sizes {
        let dir = base.join(format!("chiptrace-bench-graph-{seed}-{n}"));
        if !dir.join("orders.csv").exists() {
            let t = Instant::now();
            match generate(seed, n, &dir) {
                Ok(_) => eprintln!(
                    "generated {n} orders in {:.1}s -> {}",
                    t.elapsed().as_secs_f64(),
                    dir.display()
                ),
                Err(e) => {
                    eprintln!("generate: {e}");
                    return ExitCode::from(1);
                }
            }
        }
        let st = Command::new(&exe)
            .args(["--one", &dir.to_string_lossy(), "--hops", &hops.to_string()])
            .status();
        if !st.is_ok_and(|s| s.success()) {
            eprintln!("size {n} failed");
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}
