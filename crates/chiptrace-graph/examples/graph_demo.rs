//! Print, as JSON, what the graph says about a ledger: the exporter's
//! first paths, the exposure of one party, the trace of one serial, the
//! anomalies and the hub gaps.
//!
//! `cargo run --release -p chiptrace-graph --example graph_demo -- DIR [PARTY] [SERIAL]`

use std::process::ExitCode;

use chiptrace_graph::reconcile::{Period, reconcile};
use chiptrace_graph::serial::{anomalies, trace};
use chiptrace_graph::{DEFAULT_HUBS, DEFAULT_RESTRICTED, GraphInput, Records, TradeGraph};
use chiptrace_ledger::{LoadOptions, load};
use serde_json::json;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: graph_demo DIR [PARTY] [SERIAL]");
        return ExitCode::from(2);
    };
    let l = match load(std::path::Path::new(dir), &LoadOptions::strict()) {
        Ok(x) => x.ledger,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let listed = vec![None; l.parties.len()];
    let g = TradeGraph::build(&GraphInput {
        ledger: &l,
        cluster_of: None,
        listed: &listed,
        restricted: &DEFAULT_RESTRICTED,
    });
    let exporter = l.orders.first().map(|o| o.seller);
    let paths = exporter.map(|s| g.paths_from(s, 4, 3)).unwrap_or_default();
    let ex = g.exposure(4);
    let party = args.get(1).and_then(|p| l.party(p));
    let party_path =
        party.and_then(|p| g.cluster_of(p)).and_then(|c| ex.get(c as usize).cloned().flatten());
    let sub = party.map(|p| {
        g.evidence_subgraph(
            &Records {
                orders: l.orders_of(p).take(3).collect(),
                parties: vec![p],
                ..Records::default()
            },
            party_path.as_slice(),
        )
    });
    let tr = args.get(2).and_then(|s| trace(&l, s, &DEFAULT_RESTRICTED));
    let an = anomalies(&l, &DEFAULT_RESTRICTED);
    let by =
        std::env::var("PERIOD").ok().and_then(|p| Period::parse(&p).ok()).unwrap_or(Period::All);
    let rec = reconcile(&l, by, &DEFAULT_HUBS);
    let gaps: Vec<_> = rec.periods.iter().flat_map(|p| p.gaps.iter()).collect();
    let out = json!({
        "exporter_paths": paths,
        "party_exposure": party_path,
        "party_subgraph": sub,
        "trace": tr,
        "anomalies": an.iter().take(3).collect::<Vec<_>>(),
        "hub_gaps": gaps,
    });
    match serde_json::to_string_pretty(&out) {
        Ok(s) => {
            println!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
