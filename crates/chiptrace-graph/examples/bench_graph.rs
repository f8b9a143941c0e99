//! Scale bench: generate ledgers (default 100,000 and 1,000,000 orders),
//! load them, and time graph build + exposure + serial anomalies +
//! reconciliation (and the exports), printing seconds and peak RSS.
//!
//! `cargo run --release -p chiptrace-graph --example bench_graph -- [--sizes 100000,1000000] [--seed S] [--dir D] [--hops K]`
//!
//! Each size runs in a child process (re-invoked with `--one N DIR`) so
//! its peak RSS (VmHWM) is its own. `--ledger DIR` analyses an existing
//! ledger instead of generating one.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use chiptrace_graph::reconcile::{Period, reconcile};
use chiptrace_graph::serial::{AnomalyKind, anomalies};
use chiptrace_graph::{DEFAULT_HUBS, DEFAULT_RESTRICTED, GraphInput, TradeGraph};
use chiptrace_ledger::r#gen::{SchemeKind, Truth, generate};
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

fn vm_rss_mb() -> f64 {
    let Ok(s) = std::fs::read_to_string("/proc/self/status") else { return 0.0 };
    s.lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|x| x.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn one(dir: &Path, hops: usize) -> Result<(), String> {
    let t0 = Instant::now();
    let l = load(dir, &LoadOptions::strict()).map_err(|e| e.to_string())?.ledger;
    let t_load = t0.elapsed().as_secs_f64();
    let rss_load = vm_hwm_mb();
    let c = l.counts();

    // Reset the high-water mark (Linux ≥ 4.0), so the peak below is the
    // analysis's own (ledger resident + what the analysis adds).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let rss_before = vm_rss_mb();
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

    // paths_from for many parties (the layers are cached after the first call).
    let t = Instant::now();
    let sample: Vec<_> = (0..l.parties.len()).step_by((l.parties.len() / 1000).max(1)).collect();
    let mut sample_paths = 0usize;
    for &p in &sample {
        sample_paths += g.paths_from(chiptrace_ledger::PartyId(p as u32), hops, 5).len();
    }
    let t_many = t.elapsed().as_secs_f64();

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
    let hwm_analysis = vm_hwm_mb();
    let t = Instant::now();
    let gml = chiptrace_graph::export::graphml(&g, &l);
    let t_gml = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let n_ftm =
        chiptrace_graph::export::write_ftm(&g, &l, &mut std::io::BufWriter::new(std::io::sink()))
            .map_err(|e| e.to_string())?;
    let t_ftm = t.elapsed().as_secs_f64();
    println!(
        "  paths_from x{} parties {t_many:.3}s ({sample_paths} paths) | graphml {t_gml:.2}s ({:.0} MB) | ftm {t_ftm:.2}s ({n_ftm} entities, streamed)",
        sample.len(),
        gml.len() as f64 / 1e6
    );
    drop(gml);

    // Against the generator's ground truth, when there is one.
    if let Ok(truth) = Truth::read(&dir.join("truth.json")) {
        let mut injected = 0usize;
        let mut found = 0usize;
        let mut scheme_serials: BTreeSet<&str> = BTreeSet::new();
        let flagged: BTreeSet<&str> = an.iter().map(|a| a.serial.as_str()).collect();
        for sch in &truth.schemes {
            if matches!(sch.kind, SchemeKind::SerialAnomaly | SchemeKind::HubTransshipment) {
                for x in &sch.serials {
                    scheme_serials.insert(x);
                    if sch.kind == SchemeKind::SerialAnomaly {
                        injected += 1;
                        found += usize::from(flagged.contains(x.as_str()));
                    }
                }
            }
        }
        let stray = flagged.iter().filter(|x| !scheme_serials.contains(*x)).count();
        println!(
            "  truth: serial-anomaly serials found {found}/{injected}; flagged serials outside serial-anomaly/transshipment schemes: {stray}"
        );
    }
    println!(
        "  RSS after load {rss_before:.0} MB; peak during analysis {hwm_analysis:.0} MB (+{:.0} MB); with exports {:.0} MB (+{:.0} MB)",
        hwm_analysis - rss_before,
        vm_hwm_mb(),
        vm_hwm_mb() - rss_before
    );
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
