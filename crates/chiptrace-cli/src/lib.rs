//! Library side of the `chiptrace` command-line tool: argument types
//! ([`Cli`]) and [`run`]. Each subcommand lives in its own module and only
//! parses, calls the engine crates, and formats.

#![warn(missing_docs)]

mod cli;
mod cmd_demo;
mod cmd_ledger;
mod cmd_ledger_graph;
mod cmd_lists;
mod cmd_lv;
mod cmd_rules;
mod cmd_screen;
mod cmd_store;
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
        Command::Classify(args) => cmd_rules::classify(&global, args),
        Command::Decide(args) => cmd_rules::decide(&global, args),
        Command::Parties(args) => cmd_store::parties(&global, args),
        Command::Rescreen(args) => cmd_store::rescreen(&global, args),
        Command::Alerts(args) => cmd_store::alerts(&global, args),
        Command::Review(args) => cmd_store::review(&global, args),
        Command::Audit(args) => cmd_store::audit(&global, args),
        Command::Lv(args) => cmd_lv::lv(&global, args),
        Command::Analyze(args) => match args.name.clone() {
            Some(name) => {
                let ty = match args.schema.as_deref().map(input::parse_schema).transpose()? {
                    Some(chiptrace_lists::EntitySchema::Person) => chiptrace_text::NameType::Person,
                    Some(chiptrace_lists::EntitySchema::Organization) => {
                        chiptrace_text::NameType::Organization
                    }
                    _ => chiptrace_text::NameType::Any,
                };
                let forms = chiptrace_text::analyze_name(&name, ty);
                serde_json::to_writer_pretty(std::io::stdout().lock(), &forms)?;
                println!();
                Ok(ExitCode::SUCCESS)
            }
            None => cmd_ledger::analyze(&global, args),
        },
        Command::Ledger(args) => cmd_ledger::ledger(&global, args),
        Command::GenLedger(args) => cmd_ledger::gen_ledger(args),
        Command::Trace(args) => cmd_ledger::trace(args),
        Command::Reconcile(args) => cmd_ledger::reconcile(args),
        Command::TradeAlerts(args) => cmd_ledger::trade_alerts(&global, args),
        Command::TradeReview(args) => cmd_ledger::trade_review(&global, args),
    }
}
