//! Write a generated ledger: `gen_ledger --seed 7 --orders 100000 --out DIR [--jsonl]`.

use std::path::PathBuf;
use std::process::ExitCode;

use chiptrace_ledger::Format;
use chiptrace_ledger::r#gen::{GenOptions, generate_with};

fn main() -> ExitCode {
    let mut seed = 1u64;
    let mut orders = 10_000usize;
    let mut out: Option<PathBuf> = None;
    let mut format = Format::Csv;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_default();
        match a.as_str() {
            "--seed" => seed = val().parse().unwrap_or(seed),
            "--orders" => orders = val().parse().unwrap_or(orders),
            "--out" => out = Some(PathBuf::from(val())),
            "--jsonl" => format = Format::Jsonl,
            _ => {
                eprintln!("usage: gen_ledger --seed S --orders N --out DIR [--jsonl]");
                return ExitCode::from(2);
            }
        }
    }
    let Some(out) = out else {
        eprintln!("usage: gen_ledger --seed S --orders N --out DIR [--jsonl]");
        return ExitCode::from(2);
    };
    let opts = GenOptions { format, ..GenOptions::new(seed, orders) };
    match generate_with(&opts, &out) {
        Ok(s) => {
            println!("{s} -> {}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
