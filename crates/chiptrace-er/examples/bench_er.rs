//! Entity-resolution benchmark: FEBRL 1–4 and generated company clusters.
//! Prints one JSON line per dataset:
//! `{dataset, records, precision, recall, f1, cluster_f1, seconds, pairs_compared, …}`.
//!
//! ```text
//! cargo run --release -p chiptrace-er --example bench_er -- [--febrl DIR] [--only NAME] [--seed S] [--companies N] [--threshold P]
//! cargo run --release -p chiptrace-er --example bench_er -- --scale 1000,4000,16000
//! ```
//!
//! `--scale` prints the cost curve on generated companies (records, pairs
//! compared, pairs per record, seconds) instead of the datasets.

use std::path::PathBuf;
use std::time::Instant;

use chiptrace_er::eval::evaluate;
use chiptrace_er::{Config, Dataset, febrl, resolve, synth};

fn run(name: &str, ds: &Dataset, cfg: &Config) -> Result<(), Box<dyn std::error::Error>> {
    let t = Instant::now();
    let res = resolve(&ds.records, cfg)?;
    let secs = t.elapsed().as_secs_f64();
    let m = evaluate(&ds.records, &ds.truth, &res.cluster_of, cfg.link_only);
    let line = serde_json::json!({
        "system": "chiptrace",
        "dataset": name,
        "records": ds.records.len(),
        "precision": m.precision,
        "recall": m.recall,
        "f1": m.f1,
        "cluster_precision": m.cluster_precision,
        "cluster_recall": m.cluster_recall,
        "cluster_f1": m.cluster_f1,
        "true_pairs": m.true_pairs,
        "predicted_pairs": m.predicted_pairs,
        "correct_pairs": m.correct_pairs,
        "seconds": secs,
        "pairs_compared": res.stats.blocking.pairs,
        "blocks_skipped": res.stats.blocking.blocks_skipped,
        "pairs_skipped": res.stats.blocking.pairs_skipped,
        "links": res.links.len(),
        "lambda": res.model.lambda,
        "em_iterations": res.model.em_iterations,
        "stage_seconds": res.stats.seconds,
    });
    println!("{line}");
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut dir =
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/er/febrl"));
    let mut only: Option<String> = None;
    let mut seed = 42u64;
    let mut companies = 1000usize;
    let mut threshold = Config::default().threshold;
    let mut scale: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--febrl" => dir = PathBuf::from(args.next().ok_or("--febrl DIR")?),
            "--only" => only = Some(args.next().ok_or("--only NAME")?),
            "--seed" => seed = args.next().ok_or("--seed S")?.parse()?,
            "--companies" => companies = args.next().ok_or("--companies N")?.parse()?,
            "--threshold" => threshold = args.next().ok_or("--threshold P")?.parse()?,
            "--scale" => scale = Some(args.next().ok_or("--scale N,N,...")?),
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    if let Some(sizes) = scale {
        for n in sizes.split(',') {
            let companies: usize = n.trim().parse()?;
            let ds = synth::generate(&synth::SynthConfig {
                seed,
                companies,
                ..synth::SynthConfig::default()
            });
            let t = Instant::now();
            let res = resolve(&ds.records, &Config { threshold, ..Config::default() })?;
            let secs = t.elapsed().as_secs_f64();
            let m = evaluate(&ds.records, &ds.truth, &res.cluster_of, false);
            println!(
                "{}",
                serde_json::json!({
                    "system": "chiptrace", "dataset": format!("scale-companies-{companies}"),
                    "records": ds.records.len(), "pairs_compared": res.stats.blocking.pairs,
                    "pairs_per_record": res.stats.blocking.pairs as f64 / ds.records.len() as f64,
                    "blocks_skipped": res.stats.blocking.blocks_skipped,
                    "seconds": secs, "f1": m.f1, "cluster_f1": m.cluster_f1,
                    "pairs_by_rule": res.stats.blocking.pairs_by_rule,
                    "stage_seconds": res.stats.seconds,
                })
            );
        }
        return Ok(());
    }
    let want = |n: &str| only.as_deref().is_none_or(|o| o == n);
    if want("febrl4") {
        let mut ds = febrl::load(&dir.join("dataset4a.csv"), "a")?;
        let b = febrl::load(&dir.join("dataset4b.csv"), "b")?;
        ds.records.extend(b.records);
        ds.truth.extend(b.truth);
        run("febrl4", &ds, &Config { link_only: true, threshold, ..Config::default() })?;
    }
    for (name, file) in
        [("febrl1", "dataset1.csv"), ("febrl2", "dataset2.csv"), ("febrl3", "dataset3.csv")]
    {
        if want(name) {
            let ds = febrl::load(&dir.join(file), "a")?;
            run(name, &ds, &Config { threshold, ..Config::default() })?;
        }
    }
    if want("companies") {
        let ds = synth::generate(&synth::SynthConfig {
            seed,
            companies,
            ..synth::SynthConfig::default()
        });
        run(&format!("companies-seed{seed}"), &ds, &Config { threshold, ..Config::default() })?;
    }
    Ok(())
}
