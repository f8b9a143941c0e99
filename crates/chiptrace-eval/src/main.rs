//! `chiptrace-eval`: generate the evaluation pairs, report quality, and
//! benchmark speed in-process. See `docs/evaluation.md`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "chiptrace-eval",
    version,
    about = "Evaluation harness and benchmarks for chiptrace screening"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Generate the labelled pairs as CSV (`schema,name1,name2,category,expected,entry_id,note`).
    Generate {
        /// List directory (all formats are loaded).
        #[arg(long)]
        lists: PathBuf,
        /// Output CSV.
        #[arg(long)]
        out: PathBuf,
        /// Seed.
        #[arg(long, default_value_t = chiptrace_eval::DEFAULT_SEED)]
        seed: u64,
    },
    /// Generate the pairs, score them with chiptrace in-process, print the report.
    Report {
        /// List directory.
        #[arg(long)]
        lists: PathBuf,
        /// Seed.
        #[arg(long, default_value_t = chiptrace_eval::DEFAULT_SEED)]
        seed: u64,
        /// Threshold (default: chiptrace_screen::DEFAULT_THRESHOLD).
        #[arg(long)]
        threshold: Option<f64>,
        /// Failures shown per category.
        #[arg(long, default_value_t = 10)]
        failures: usize,
        /// Print JSON instead of markdown.
        #[arg(long)]
        json: bool,
        /// Also write the markdown report to this file.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write every pair with its score as CSV (for analysis).
        #[arg(long)]
        scores_out: Option<PathBuf>,
        /// Exit with status 1 when a target is not met.
        #[arg(long)]
        check: bool,
    },
    /// End-to-end recall through the candidate index: are the positive pairs
    /// that score above the threshold also retrieved by `Index::screen`?
    Retrieval {
        /// List directory.
        #[arg(long)]
        lists: PathBuf,
        /// Seed.
        #[arg(long, default_value_t = chiptrace_eval::DEFAULT_SEED)]
        seed: u64,
        /// Misses to print.
        #[arg(long, default_value_t = 20)]
        misses: usize,
    },
    /// Benchmark index build, single-query latency, batch throughput and peak memory in-process.
    Bench {
        /// List directory.
        #[arg(long)]
        lists: PathBuf,
        /// Query CSV (`id,name[,schema,country,address,dob]`).
        #[arg(long)]
        queries: PathBuf,
        /// Iterations of build and batch (best is reported).
        #[arg(long, default_value_t = 3)]
        iters: usize,
        /// Print JSON instead of markdown.
        #[arg(long)]
        json: bool,
    },
    /// Write every listed name (primary names and aliases of all lists), one per line.
    DumpNames {
        /// List directory.
        #[arg(long)]
        lists: PathBuf,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a benchmark query file: evaluation positives, hard negatives, fictional customers.
    Queries {
        /// List directory.
        #[arg(long)]
        lists: PathBuf,
        /// Output CSV (`id,name,schema,source`).
        #[arg(long)]
        out: PathBuf,
        /// Rows.
        #[arg(long, default_value_t = 20_000)]
        n: usize,
        /// Seed.
        #[arg(long, default_value_t = chiptrace_eval::DEFAULT_SEED)]
        seed: u64,
    },
}

fn create(path: &PathBuf) -> anyhow::Result<std::io::BufWriter<std::fs::File>> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    Ok(std::io::BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
    ))
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.cmd {
        Cmd::Generate { lists, out, seed } => {
            let pairs = chiptrace_eval::generate(&lists, seed)?;
            chiptrace_eval::write_pairs_csv(&pairs, create(&out)?)?;
            eprintln!("{} pairs written to {}", pairs.len(), out.display());
        }
        Cmd::Report { lists, seed, threshold, failures, json, out, scores_out, check } => {
            let pairs = chiptrace_eval::generate(&lists, seed)?;
            let threshold = threshold.unwrap_or(chiptrace_screen::DEFAULT_THRESHOLD);
            let t = std::time::Instant::now();
            let scores: Vec<f64> = {
                use rayon::prelude::*;
                pairs.par_iter().map(chiptrace_eval::chiptrace_score).collect()
            };
            let ms = t.elapsed().as_secs_f64() * 1e3;
            let report = chiptrace_eval::report::evaluate_scored(&pairs, &scores, threshold, ms);
            let md = report.to_markdown(failures);
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!("{md}");
            }
            if let Some(out) = out {
                create(&out)?.write_all(md.as_bytes())?;
            }
            if let Some(path) = scores_out {
                let mut w = csv::Writer::from_writer(create(&path)?);
                w.write_record([
                    "category", "expected", "score", "schema", "name1", "name2", "entry_id", "note",
                ])?;
                for (p, s) in pairs.iter().zip(&scores) {
                    w.write_record([
                        p.category.as_str(),
                        if p.expected { "true" } else { "false" },
                        &format!("{s:.4}"),
                        p.schema.as_str(),
                        &p.query,
                        &p.listed,
                        &p.list_entry_id,
                        &p.note,
                    ])?;
                }
                w.flush()?;
            }
            if check && !report.passed() {
                return Ok(ExitCode::from(1));
            }
        }
        Cmd::Retrieval { lists, seed, misses } => {
            let entries = chiptrace_eval::load_lists(&lists)?;
            let pairs = chiptrace_eval::generate_from_entries(&entries, seed);
            let threshold = chiptrace_screen::DEFAULT_THRESHOLD;
            let scores: Vec<f64> = {
                use rayon::prelude::*;
                pairs.par_iter().map(chiptrace_eval::chiptrace_score).collect()
            };
            let r = chiptrace_eval::retrieval::check(entries, &pairs, &scores, threshold);
            println!("{}", r.to_markdown(misses));
        }
        Cmd::Bench { lists, queries, iters, json } => {
            let qs = chiptrace_eval::bench::read_queries(&queries)?;
            let r = chiptrace_eval::bench::bench(&lists, &qs, iters)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                println!("{}", r.to_markdown());
            }
        }
        Cmd::DumpNames { lists, out } => {
            let entries = chiptrace_eval::load_lists(&lists)?;
            let mut w = create(&out)?;
            let mut seen = std::collections::HashSet::new();
            for e in &entries {
                for n in &e.names {
                    let name = n.name.trim();
                    if !name.is_empty() && !name.contains('\n') && seen.insert(name.to_string()) {
                        writeln!(w, "{name}")?;
                    }
                }
            }
            w.flush()?;
            eprintln!(
                "{} distinct names of {} entries written to {}",
                seen.len(),
                entries.len(),
                out.display()
            );
        }
        Cmd::Queries { lists, out, n, seed } => {
            let pairs = chiptrace_eval::generate(&lists, seed)?;
            let rows = chiptrace_eval::bench::make_queries(&pairs, n, seed);
            let mut w = csv::Writer::from_writer(create(&out)?);
            for r in &rows {
                w.serialize(r)?;
            }
            w.flush()?;
            eprintln!("{} queries written to {}", rows.len(), out.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(c) => c,
        Err(e) => {
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("chiptrace-eval: {e:#}");
            ExitCode::from(2)
        }
    }
}
