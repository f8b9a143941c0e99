//! Diversion detection over a trade ledger (issue 5; `docs/diversion.md`).
//!
//! [`analyze`] runs every red-flag rule of the rule data (`rules/red-flags.toml`,
//! the catalogue's ids) over a [`chiptrace_ledger::Ledger`], groups the hits
//! by order, scores each order as diversion.md §4 says (points per severity,
//! diminishing returns within a category, one level up when two categories
//! fire at medium or above, critical blocks and is never averaged away) and
//! returns alerts with the records and the computed evidence behind every
//! hit, plus a risk score per party with its explanation.
//!
//! The analysis does not depend on the matcher, the resolver or the graph:
//! list matches, entity clusters, serial anomalies and network exposure come
//! in through [`Context`] (the CLI fills them from `chiptrace-screen`,
//! `chiptrace-er` and `chiptrace-graph`).

mod config;
mod error;
mod prep;
mod rules;
mod score;

pub use config::{Category, Config, RuleDef, Scoring, Severity};
pub use error::{Error, Result};
pub use prep::{Context, IdKind, ListHit};
pub use rules::{Hit, IMPLEMENTED};
pub use score::{Action, Alert, Analysis, PartyRisk, Summary};

use chiptrace_ledger::Ledger;
use rayon::prelude::*;
use serde_json::Value;

/// Version of the detection engine, recorded in every analysis.
pub const ENGINE_VERSION: &str = concat!("chiptrace-diversion/", env!("CARGO_PKG_VERSION"));

/// A serial anomaly found in the chain of custody (RF-S11 input).
#[derive(Debug, Clone, Default)]
pub struct AnomalyInput {
    /// `missing_or_serial_mismatch` or `boxed_or_unpowered`.
    pub level: String,
    pub explanation: String,
    pub evidence: Value,
    pub orders: Vec<u32>,
    pub parties: Vec<u32>,
    pub shipments: Vec<u32>,
    pub serials: Vec<u32>,
}

/// A party's path to a restricted party or country (RF-N01 input).
#[derive(Debug, Clone, Default)]
pub struct ExposureInput {
    pub party: u32,
    pub hops: usize,
    pub summary: String,
    /// The path with the evidence of every hop.
    pub path: Value,
    /// Orders of this party the path runs through.
    pub orders: Vec<u32>,
}

/// Everything the rules read beside the ledger and the context.
pub struct Extra {
    pub(crate) rings: Vec<rules::Ring>,
    pub(crate) onward: Vec<rules::Onward>,
    pub(crate) anomalies: Vec<AnomalyInput>,
    pub(crate) exposures: Vec<ExposureInput>,
}

/// Run every rule and score the orders.
pub fn analyze(
    ledger: &Ledger,
    cfg: &Config,
    ctx: &Context,
    anomalies: Vec<AnomalyInput>,
    exposures: Vec<ExposureInput>,
) -> Result<Analysis> {
    let prepared = prep::prepare(ledger, ctx, cfg);
    let mut extra =
        Extra { rings: vec![], onward: rules::onward(ledger, &prepared), anomalies, exposures };
    // rings need an Env; any rule definition serves (they read only shared facts)
    if let Some(def) = cfg.rules.first() {
        let env = rules::Env { l: ledger, p: &prepared, cfg, ctx, def, extra: &extra };
        extra.rings = rules::rings(&env);
    }
    let results: Vec<Result<Vec<Hit>>> = cfg
        .rules
        .par_iter()
        .map(|def| {
            rules::run(&rules::Env { l: ledger, p: &prepared, cfg, ctx, def, extra: &extra })
        })
        .collect();
    let mut hits = Vec::new();
    for r in results {
        hits.extend(r?);
    }
    Ok(score::score(ledger, cfg, hits))
}
