//! The `chiptrace` binary. Thin by design (engineering.md §2.9): parse the
//! arguments, run, map errors to exit codes (0 ran, 1 hits with
//! `--fail-on-hit`, 2 error; a broken pipe is not an error).
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = chiptrace_cli::Cli::parse();
    match chiptrace_cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            if err.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("chiptrace: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
