//! The trade graph of a chiptrace ledger (issue 5, diversion.md §5 and §8):
//!
//! * [`TradeGraph`] — nodes are resolved parties (clusters) and countries;
//!   every edge carries the dates and record ids behind it.
//!   [`TradeGraph::exposure`] finds, for every cluster, the shortest
//!   time-respecting path to a restricted target (a listed party, or a
//!   party / shipment destination / serial event in a restricted country)
//!   in one reverse layered pass over the whole graph (RF-N01);
//!   [`TradeGraph::paths_from`] lists paths from one party (the exporter);
//!   [`TradeGraph::evidence_subgraph`] is the small graph that explains an
//!   alert.
//! * [`serial`] — chain of custody of a serial and the RF-S11 anomalies
//!   (two places at once, seen in a restricted country, model mismatch,
//!   label swap, missing at inspection).
//! * [`reconcile`] — billed vs shipped vs end-use value by country and
//!   period with hub gaps and the bill-to entities driving them (RF-N03).
//! * [`export`] — GraphML and FollowTheMoney.
//!
//! The model, algorithms and figures are in `docs/graph.md`.
//!
//! ```no_run
//! use chiptrace_graph::{GraphInput, TradeGraph, DEFAULT_RESTRICTED};
//! # fn f(ledger: &chiptrace_ledger::Ledger) {
//! let listed = vec![None; ledger.parties.len()];
//! let g = TradeGraph::build(&GraphInput {
//!     ledger,
//!     cluster_of: None,
//!     listed: &listed,
//!     restricted: &DEFAULT_RESTRICTED,
//! });
//! for (cluster, path) in g.exposure(4).iter().enumerate() {
//!     if let Some(p) = path {
//!         println!("{cluster}: {} hops to {:?}", p.hops.len(), p.target);
//!     }
//! }
//! # }
//! ```

#![warn(missing_docs)]

mod days;
mod error;
pub mod export;
mod graph;
pub mod reconcile;
pub mod serial;

pub use chiptrace_ledger::Country;
pub use error::{Error, Result};
pub use graph::{
    Edge, EdgeKind, GraphInput, GraphOptions, Hop, MAX_HOPS, Node, Path, Records, Subgraph, Target,
    TradeGraph,
};

/// Restricted destinations by default: D:5 countries and Macau for
/// advanced computing (CN, MO) with Hong Kong, plus KP, IR, RU, BY, CU, SY,
/// VE (red-flags.yaml `restricted_default`).
pub const DEFAULT_RESTRICTED: [Country; 10] = [
    Country(*b"CN"),
    Country(*b"HK"),
    Country(*b"MO"),
    Country(*b"KP"),
    Country(*b"IR"),
    Country(*b"RU"),
    Country(*b"BY"),
    Country(*b"CU"),
    Country(*b"SY"),
    Country(*b"VE"),
];

/// Diversion hubs by default (red-flags.yaml `hub_countries_default`).
pub const DEFAULT_HUBS: [Country; 16] = [
    Country(*b"SG"),
    Country(*b"MY"),
    Country(*b"TH"),
    Country(*b"HK"),
    Country(*b"MO"),
    Country(*b"AE"),
    Country(*b"TW"),
    Country(*b"VN"),
    Country(*b"ID"),
    Country(*b"IN"),
    Country(*b"KZ"),
    Country(*b"KG"),
    Country(*b"AM"),
    Country(*b"GE"),
    Country(*b"TR"),
    Country(*b"UZ"),
];
