//! The bridge between `chiptrace-graph` (paths, serial chains of custody,
//! reconciliation) and `chiptrace-diversion` (rules), and the table output
//! of `trace` and `reconcile`.

use std::io::Write;

use chiptrace_diversion::{AnomalyInput, Config, ExposureInput, ListHit};
use chiptrace_graph::serial::Trace;
use chiptrace_graph::{GraphInput, TradeGraph};
use chiptrace_ledger::{EventKind, Ledger, PartyId};
use rustc_hash::{FxHashMap, FxHashSet};

/// Labels of listed parties for the graph: a listed party is a target of
/// the network rule when its match would raise RF-P01 at least at the weak
/// level.
pub(crate) fn listed_labels(listed: &[Option<ListHit>], cfg: &Config) -> Vec<Option<String>> {
    let weak = cfg.rule("RF-P01").and_then(|r| r.num("weak_score").ok()).unwrap_or(0.85);
    listed
        .iter()
        .map(|h| {
            h.as_ref()
                .filter(|h| h.score >= weak)
                .map(|h| format!("{} \"{}\" ({:.2})", h.list, h.entry_name, h.score))
        })
        .collect()
}

/// Build the graph.
pub(crate) fn build_graph<'a>(
    l: &'a Ledger,
    cluster_of: &'a [u32],
    labels: &'a [Option<String>],
    cfg: &'a Config,
) -> TradeGraph<'a> {
    TradeGraph::build(&GraphInput {
        ledger: l,
        cluster_of: Some(cluster_of),
        listed: labels,
        restricted: &cfg.restricted,
    })
}

/// The RF-S11 and RF-N01 inputs from the graph, and each exposed party's
/// path (for the alerts' evidence subgraphs).
pub(crate) fn graph_inputs(
    graph: &TradeGraph,
    l: &Ledger,
    cfg: &Config,
) -> (Vec<AnomalyInput>, Vec<ExposureInput>, FxHashMap<u32, chiptrace_graph::Path>) {
    let max_hops = cfg.rule("RF-N01").and_then(|r| r.num("max_hops").ok()).unwrap_or(4.0) as usize;
    let restricted = &cfg.restricted;
    let anomalies: Vec<AnomalyInput> = chiptrace_graph::serial::anomalies(l, restricted)
        .into_iter()
        .map(|a| AnomalyInput {
            level: a.severity_level.to_string(),
            explanation: a.explanation.clone(),
            evidence: serde_json::to_value(&a).unwrap_or_default(),
            orders: a.ids.orders.iter().map(|o| o.0).collect(),
            parties: a.ids.parties.iter().map(|p| p.0).collect(),
            shipments: a.ids.shipments.iter().map(|s| s.0).collect(),
            serials: a.ids.serial.iter().map(|s| s.0).collect(),
        })
        .collect();

    // RF-N01 from the buying side: each resolved business that buys,
    // receives or uses goods, and its shortest time-respecting path to a
    // restricted party or country; the exporter adds the first hop
    let mut buying = vec![false; l.parties.len()];
    for o in &l.orders {
        for p in o.buying_side() {
            buying[p.index()] = true;
        }
    }
    let exposure = graph.exposure(max_hops.saturating_sub(1));
    let mut exposures = Vec::new();
    let mut paths: FxHashMap<u32, chiptrace_graph::Path> = FxHashMap::default();
    let mut done: FxHashSet<u32> = FxHashSet::default();
    for (pi, is_buying) in buying.iter().enumerate() {
        if !is_buying {
            continue;
        }
        let Some(c) = graph.cluster_of(PartyId(pi as u32)) else { continue };
        if !done.insert(c) {
            continue;
        }
        let Some(Some(path)) = exposure.get(c as usize) else { continue };
        // a business that is itself a target is RF-P01 / RF-P04's matter
        if path.hops.is_empty() {
            continue;
        }
        let orders = path_orders(l, path);
        let hops = path.hops.len() + 1;
        let target = match &path.target {
            chiptrace_graph::Target::Listed { party, label } => {
                format!("listed party {party} ({label})")
            }
            chiptrace_graph::Target::Country { country, via } => format!("{country} (via {via})"),
        };
        let route: Vec<String> = path
            .hops
            .iter()
            .map(|h| format!("{} -{}-> {} ({})", h.from, h.kind.name(), h.to, h.date))
            .collect();
        exposures.push(ExposureInput {
            party: pi as u32,
            hops,
            summary: format!(
                "{} reaches {target} in {hops} hops from the exporter: {}",
                l.party_id_str(PartyId(pi as u32)),
                route.join(", ")
            ),
            path: serde_json::to_value(path).unwrap_or_default(),
            orders,
        });
        paths.insert(pi as u32, path.clone());
    }
    (anomalies, exposures, paths)
}

/// The smallest evidence subgraph of each alert: the parties, orders,
/// shipments, payments and serials its hits name (only the alert's own
/// order among the orders: related orders have their own alerts), and the
/// network path of an RF-N01 hit, with dates and record ids on every edge.
pub(crate) fn attach_subgraphs(
    graph: &TradeGraph,
    l: &Ledger,
    a: &mut chiptrace_diversion::Analysis,
    paths: &FxHashMap<u32, chiptrace_graph::Path>,
) {
    for al in &mut a.alerts {
        let parties: Vec<PartyId> = al.parties.iter().filter_map(|p| l.party(p)).collect();
        let records = chiptrace_graph::Records {
            orders: l.order(&al.order).into_iter().collect(),
            parties: parties.clone(),
            shipments: al.shipments.iter().filter_map(|s| l.shipment(s)).collect(),
            payments: al
                .payments
                .iter()
                .filter_map(|p| l.payment_ids.get(p).map(chiptrace_ledger::PaymentId))
                .collect(),
            serials: al.serials.iter().take(8).filter_map(|s| l.serial(s)).collect(),
        };
        let ps: Vec<chiptrace_graph::Path> = if al.path.is_some() {
            parties.iter().filter_map(|p| paths.get(&p.0).cloned()).collect()
        } else {
            Vec::new()
        };
        al.subgraph = serde_json::to_value(graph.evidence_subgraph(&records, &ps)).ok();
    }
}

/// Orders named by a path's evidence (directly, or through a shipment or a
/// serial event of the path).
fn path_orders(l: &Ledger, path: &chiptrace_graph::Path) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    for h in &path.hops {
        for ev in &h.evidence {
            if let Some(id) = ev.strip_prefix("order:") {
                out.extend(l.order(id).map(|o| o.0));
            } else if let Some(id) = ev.strip_prefix("shipment:") {
                out.extend(l.shipment(id).map(|s| l.shipments[s.index()].order.0));
            } else if let Some(rest) = ev.strip_prefix("serial:") {
                let serial = rest.split('@').next().unwrap_or("");
                if let Some(s) = l.serial(serial) {
                    let o = l
                        .events_of(s)
                        .filter(|e| e.kind != EventKind::Exported)
                        .find_map(|e| e.shipment.map(|sh| l.shipments[sh.index()].order.0));
                    out.extend(o);
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

pub(crate) fn print_trace(out: &mut impl Write, t: &Trace) -> anyhow::Result<()> {
    writeln!(out, "serial {} ({})", t.serial, t.items.join(", "))?;
    for e in &t.events {
        writeln!(
            out,
            "  {}  {:<9} {:<2} {:<10} {:<45} {} {}",
            e.date,
            e.event,
            e.country,
            e.party.as_deref().unwrap_or("-"),
            e.party_name.as_deref().unwrap_or(""),
            e.shipment.as_deref().map(|s| format!("shipment {s}")).unwrap_or_default(),
            e.order.as_deref().map(|s| format!("order {s}")).unwrap_or_default()
        )?;
    }
    writeln!(out, "holders: {}", t.holders.join(" -> "))?;
    if t.anomalies.is_empty() {
        writeln!(out, "anomalies: none")?;
    }
    for a in &t.anomalies {
        writeln!(out, "ANOMALY {} ({} {}): {}", a.kind.name(), a.rule, a.severity, a.explanation)?;
    }
    Ok(())
}

pub(crate) fn reconcile(
    l: &Ledger,
    period: &str,
    cfg: &Config,
) -> anyhow::Result<chiptrace_graph::reconcile::Reconciliation> {
    let p = chiptrace_graph::reconcile::Period::parse(period)?;
    Ok(chiptrace_graph::reconcile::reconcile(l, p, &cfg.hubs))
}

pub(crate) fn print_reconcile(
    out: &mut impl Write,
    r: &chiptrace_graph::reconcile::Reconciliation,
) -> anyhow::Result<()> {
    let v = serde_json::to_value(r)?;
    for p in v["periods"].as_array().into_iter().flatten() {
        writeln!(
            out,
            "period {} ({} {}, {} orders)",
            p["period"].as_str().unwrap_or(""),
            p["total"].as_str().unwrap_or(""),
            p["currency"].as_str().unwrap_or(""),
            p["orders"]
        )?;
        writeln!(
            out,
            "  {:<3} {:>16} {:>16} {:>16} {:>8} {:>8} {:>7}  ",
            "cc", "billed", "shipped", "end use", "bill %", "ship %", "ratio"
        )?;
        for row in p["rows"].as_array().into_iter().flatten() {
            let pct = |k: &str| {
                row[k]
                    .as_str()
                    .and_then(|s| s.parse::<f64>().ok())
                    .map(|x| x * 100.0)
                    .unwrap_or(0.0)
            };
            writeln!(
                out,
                "  {:<3} {:>16} {:>16} {:>16} {:>7.1}% {:>7.1}% {:>7} {}{}",
                row["country"].as_str().unwrap_or(""),
                row["billed"].as_str().unwrap_or(""),
                row["shipped"].as_str().unwrap_or(""),
                row["end_use"].as_str().unwrap_or(""),
                pct("billing_share"),
                pct("physical_share"),
                row["ratio"]
                    .as_str()
                    .map(|s| s.chars().take(6).collect::<String>())
                    .unwrap_or_else(|| "-".into()),
                if row["hub"].as_bool() == Some(true) { "hub" } else { "" },
                if row["gap"].as_bool() == Some(true) { " GAP" } else { "" }
            )?;
        }
        for g in p["gaps"].as_array().into_iter().flatten() {
            writeln!(
                out,
                "  gap in {}: billed share / physical share = {}; driven by:",
                g["country"].as_str().unwrap_or(""),
                g["ratio"].as_str().unwrap_or("∞")
            )?;
            for d in g["drivers"].as_array().into_iter().flatten().take(5) {
                let fan: Vec<String> = d["fan_out"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|f| {
                        format!(
                            "{} {}",
                            f["country"].as_str().unwrap_or(""),
                            f["value"].as_str().unwrap_or("")
                        )
                    })
                    .collect();
                writeln!(
                    out,
                    "    {} {} billed {}, shipped elsewhere {}: {}",
                    d["party"].as_str().unwrap_or(""),
                    d["name"].as_str().unwrap_or(""),
                    d["billed"].as_str().unwrap_or(""),
                    d["shipped_elsewhere"].as_str().unwrap_or(""),
                    fan.join(", ")
                )?;
            }
        }
    }
    Ok(())
}
