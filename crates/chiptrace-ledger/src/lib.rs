//! The chiptrace trade ledger: parties, orders and their lines, shipments,
//! serial-number events, payments and declared sites — the records that
//! diversion detection, entity resolution and chain-of-custody tracing run
//! on (issue 5; format in `docs/ledger.md`).
//!
//! * [`load`] imports a ledger directory (CSV with headers, or JSON lines),
//!   streaming each file, parsing the files in parallel, and validating
//!   everything into a [`Report`] of problems located by file, line and
//!   column. Strict by default; [`LoadOptions::lenient`] drops invalid
//!   records and their dependants and lists what was dropped.
//! * [`Ledger`] is the compact in-memory model: rows with `u32` ids,
//!   interned strings, indexes (orders by party, shipments / payments /
//!   lines by order, events by serial sorted by date) built once.
//! * [`items`] links each item to the chip catalog of `chiptrace-rules`,
//!   so a line converts to TPP and a count of controlled accelerators.
//! * [`write_ledger`] writes a ledger back as CSV or JSON lines (convert,
//!   or keep the valid part of a lenient import).
//! * [`generate`] writes a realistic ledger with benign business and
//!   injected diversion schemes, plus ground truth (`truth.json`). It lives
//!   in the module `r#gen` (`gen` is a reserved word in Rust 2024) and is
//!   re-exported here.
//!
//! ```no_run
//! use chiptrace_ledger::{load, LoadOptions};
//! let dir = std::path::Path::new("ledger/");
//! let loaded = load(dir, &LoadOptions::strict())?;
//! let l = &loaded.ledger;
//! for (i, o) in l.orders.iter().enumerate().take(3) {
//!     let (tpp, _) = l.order_tpp(chiptrace_ledger::OrderId(i as u32));
//!     println!("{} {} TPP {tpp}", l.order_id_str(chiptrace_ledger::OrderId(i as u32)), o.date);
//! }
//! # Ok::<(), chiptrace_ledger::Error>(())
//! ```

#![warn(missing_docs)]

mod error;
pub mod r#gen;
mod gen_data;
mod intern;
pub mod items;
mod load;
mod model;
mod read;
mod report;
mod rng;
pub mod write;

pub use error::{Error, Result};
pub use r#gen::{GenOptions, GenSummary, SchemeKind, Truth, generate, generate_with};
pub use intern::Interner;
pub use items::{CatalogItem, Item, ItemResolver, Resolution};
pub use load::{LoadOptions, Loaded, load};
pub use model::*;
pub use read::Format;
pub use report::{DEFAULT_LIMIT_PER_KIND, Dropped, Problem, ProblemKind, Report, Severity};
pub use rng::Rng;
pub use write::write_ledger;
