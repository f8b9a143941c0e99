//! Library side of the `chiptrace` command-line tool: argument types
//! ([`Cli`]) and [`run`]. Each subcommand lives in its own module and only
//! parses, calls the engine crates, and formats.

#![warn(missing_docs)]

mod cli;
mod cmd_demo;
mod cmd_lists;
mod cmd_screen;
mod input;

use std::process::ExitCode;

pub use cli::Cli;
use cli::Command;

/// Run a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let global = cli.global;
    match cli.command {
        Command::Screen(args) => cmd_screen::screen(&global, args),
        Command::ScorePairs(args) => cmd_screen::score_pairs(args),
        Command::Lists(args) => cmd_lists::lists(&global, args),
        Command::Demo(args) => cmd_demo::demo(args),
    }
}
