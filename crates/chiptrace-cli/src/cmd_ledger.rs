//! Trade-ledger commands (issue 5; docs/diversion.md): `ledger import`,
//! `gen-ledger`, `analyze --ledger`, `trace`, `reconcile`. Parse, call
//! `chiptrace-ledger`, `chiptrace-er`, `chiptrace-screen`, `chiptrace-graph`
//! and `chiptrace-diversion`, format.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, bail};
use chiptrace_diversion::{Action, Analysis, Config, Context, ListHit};
use chiptrace_ledger::{Ledger, LoadOptions, Loaded, PartyId};
use chiptrace_screen::{Index, Query, ScreenOptions};
use serde_json::{Value, json};

use crate::cli::{
    AnalyzeArgs, Format, GenLedgerArgs, Global, LedgerArgs, LedgerCommand, LedgerOpts, ListSource,
    ReconcileArgs, TraceArgs, TradeAlertsArgs, TradeReviewArgs,
};

/// Load a ledger; problems go to standard error (strict: any error fails
/// with the full report).
pub(crate) fn load_ledger(dir: &Path, lenient: bool) -> anyhow::Result<Loaded> {
    let opts = LoadOptions { lenient, ..LoadOptions::default() };
    match chiptrace_ledger::load(dir, &opts) {
        Ok(l) => {
            if !l.report.problems.is_empty() {
                eprintln!("{}", l.report);
            }
            Ok(l)
        }
        Err(chiptrace_ledger::Error::Invalid(report)) => {
            eprintln!("{report}");
            bail!(
                "{}: the ledger is invalid ({}); fix it, or pass --lenient to analyse the valid part only",
                dir.display(),
                report.summary()
            )
        }
        Err(e) => Err(e).with_context(|| format!("loading the ledger in {}", dir.display())),
    }
}

pub(crate) fn ledger(g: &Global, a: LedgerArgs) -> anyhow::Result<ExitCode> {
    match a.command {
        LedgerCommand::Import(i) => {
            let loaded = load_ledger(&i.dir, i.lenient)?;
            let counts = loaded.ledger.counts();
            let files = file_hashes(&i.dir)?;
            let summary = json!({"dir": i.dir.display().to_string(), "counts": counts, "files": files,
                                 "report": loaded.report, "lenient": i.lenient});
            if let Some(mut store) = crate::cmd_store::in_use(g)? {
                let id = store.record_decision(
                    "ledger_import",
                    &i.dir.display().to_string(),
                    &json!({"files": files, "lenient": i.lenient}),
                    &summary,
                )?;
                crate::cmd_store::committed(&format!("ledger import recorded as decision {id}"));
            }
            let mut out = std::io::stdout().lock();
            if i.format == Format::Json {
                serde_json::to_writer_pretty(&mut out, &summary)?;
                writeln!(out)?;
            } else {
                writeln!(out, "ledger {}: {}", i.dir.display(), serde_json::to_string(&counts)?)?;
                writeln!(out, "{}", loaded.report.summary())?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// sha256 of every ledger file, so a recorded import names exactly what was read.
fn file_hashes(dir: &Path) -> anyhow::Result<Value> {
    use sha2::{Digest, Sha256};
    let mut m = serde_json::Map::new();
    let mut entries: Vec<_> =
        std::fs::read_dir(dir)?.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
        if p.is_file() && (ext == "csv" || ext == "jsonl") {
            let mut h = Sha256::new();
            let mut f = std::fs::File::open(&p)?;
            let mut buf = vec![0u8; 1 << 16];
            loop {
                let n = std::io::Read::read(&mut f, &mut buf)?;
                if n == 0 {
                    break;
                }
                h.update(&buf[..n]);
            }
            m.insert(
                p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                json!(hex::encode(h.finalize())),
            );
        }
    }
    Ok(Value::Object(m))
}

pub(crate) fn gen_ledger(a: GenLedgerArgs) -> anyhow::Result<ExitCode> {
    let mut opts = chiptrace_ledger::r#gen::GenOptions::new(a.seed, a.orders);
    if a.jsonl {
        opts.format = chiptrace_ledger::Format::Jsonl;
    }
    let s = chiptrace_ledger::r#gen::generate_with(&opts, &a.out)?;
    println!("{s} -> {} (ground truth in truth.json)", a.out.display());
    Ok(ExitCode::SUCCESS)
}

/// Entity resolution over the ledger's parties.
fn resolve_parties(l: &Ledger) -> anyhow::Result<chiptrace_er::Resolution> {
    let opt = |s: &str| (!s.trim().is_empty()).then(|| s.to_string());
    let records: Vec<chiptrace_er::Record> = l
        .parties
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let row = chiptrace_er::PartyRow {
                party_id: l.party_id_str(PartyId(i as u32)).to_string(),
                name: p.name.to_string(),
                country: Some(p.country.as_str().to_string()),
                address: opt(&p.address),
                phone: opt(&p.phone),
                email: opt(&p.email),
                website: opt(&p.website),
                registration_id: opt(&p.registration_id),
                incorporated_on: p.incorporated_on.map(|d| d.to_string()),
                parent_party_id: p.parent.map(|q| l.party_id_str(q).to_string()),
                hq_country: p.hq_country.map(|c| c.as_str().to_string()),
                kind: Some(format!("{:?}", p.kind).to_lowercase()),
            };
            chiptrace_er::Record::from_party(&row, "ledger")
        })
        .collect();
    Ok(chiptrace_er::resolve(&records, &chiptrace_er::Config::default())?)
}

/// Screen every party against the lists (explicit, or installed when
/// present). Returns the best match per party at or above the review
/// threshold, and a note for the output.
fn screen_parties(
    g: &Global,
    lists: &[std::path::PathBuf],
    l: &Ledger,
) -> anyhow::Result<(Vec<Option<ListHit>>, String)> {
    let src =
        ListSource { lists: lists.to_vec(), strict: false, mapping: None, mapping_file: None };
    if lists.is_empty() && !crate::input::lists_installed(g) {
        return Ok((
            vec![None; l.parties.len()],
            "parties were NOT screened against restricted-party lists (no --lists given and none installed): RF-P01 cannot fire".into(),
        ));
    }
    let report = crate::input::load_lists(g, &src)?;
    let index = Index::build(report.entries);
    let opts = ScreenOptions { threshold: chiptrace_screen::DEFAULT_THRESHOLD, top: 1 };
    let queries: Vec<Query> = l
        .parties
        .iter()
        .enumerate()
        .map(|(i, p)| Query {
            id: i.to_string(),
            name: p.name.to_string(),
            schema: None,
            country: Some(p.country.as_str().to_string()),
            address: (!p.address.is_empty()).then(|| p.address.to_string()),
            dob: None,
        })
        .collect();
    let results = index.screen_batch(&queries, &opts);
    let hits: Vec<Option<ListHit>> = results
        .into_iter()
        .map(|hs| {
            hs.into_iter().next().map(|h| {
                let e = &index.entries()[h.entry];
                ListHit {
                    score: (h.score * 1000.0).round() / 1000.0,
                    list: e.list.clone(),
                    entry_id: e.id.clone(),
                    entry_name: e.names.first().map(|n| n.name.clone()).unwrap_or_default(),
                    matched_name: h.matched_name,
                }
            })
        })
        .collect();
    let n = hits.iter().filter(|h| h.is_some()).count();
    Ok((
        hits,
        format!(
            "{} parties screened against {} list entries: {n} at or above {:.2}",
            l.parties.len(),
            index.len(),
            chiptrace_screen::DEFAULT_THRESHOLD
        ),
    ))
}

fn rule_config(opts: &LedgerOpts) -> anyhow::Result<Config> {
    Ok(match &opts.rules {
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("{}", p.display()))?;
            Config::from_toml(&text, &p.display().to_string())?
        }
        None => Config::embedded()?,
    })
}

/// Everything `analyze --ledger` computes.
pub(crate) struct Run {
    pub loaded: Loaded,
    pub analysis: Analysis,
    pub notes: Vec<String>,
    pub timings: Vec<(String, f64)>,
}

/// Graph exports to write while the graph exists.
#[derive(Default)]
pub(crate) struct Exports<'p> {
    pub graphml: Option<&'p Path>,
    pub ftm: Option<&'p Path>,
}

pub(crate) fn run_analysis(
    g: &Global,
    dir: &Path,
    opts: &LedgerOpts,
    exports: &Exports,
) -> anyhow::Result<Run> {
    let mut timings = Vec::new();
    let mut t = Instant::now();
    let mut lap = |name: &str, t: &mut Instant| {
        timings.push((name.to_string(), t.elapsed().as_secs_f64()));
        *t = Instant::now();
    };
    let loaded = load_ledger(dir, opts.lenient)?;
    let cfg = rule_config(opts)?;
    lap("load", &mut t);
    let l = &loaded.ledger;
    let res = resolve_parties(l)?;
    lap("entity_resolution", &mut t);
    let (listed, screen_note) = screen_parties(g, &opts.lists, l)?;
    lap("screening", &mut t);
    let cluster_of: Vec<u32> = res.cluster_of.iter().map(|c| *c as u32).collect();
    let labels = crate::cmd_ledger_graph::listed_labels(&listed, &cfg);
    let mut analysis = {
        let graph = crate::cmd_ledger_graph::build_graph(l, &cluster_of, &labels, &cfg);
        if let Some(p) = exports.graphml {
            std::fs::write(p, chiptrace_graph::export::graphml(&graph, l))
                .with_context(|| format!("writing {}", p.display()))?;
            eprintln!("graph: {}", p.display());
        }
        if let Some(p) = exports.ftm {
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(p).with_context(|| format!("writing {}", p.display()))?,
            );
            // streamed: millions of entities at 1M orders
            chiptrace_graph::export::write_ftm(&graph, l, &mut f)?;
            f.flush()?;
            eprintln!("FollowTheMoney: {}", p.display());
        }
        let (anomalies, exposures, paths) = crate::cmd_ledger_graph::graph_inputs(&graph, l, &cfg);
        lap("graph", &mut t);
        let ctx = Context { cluster_of: cluster_of.clone(), listed };
        let mut analysis = chiptrace_diversion::analyze(l, &cfg, &ctx, anomalies, exposures)?;
        lap("rules_and_scoring", &mut t);
        crate::cmd_ledger_graph::attach_subgraphs(&graph, l, &mut analysis, &paths);
        lap("evidence_subgraphs", &mut t);
        analysis
    };
    analysis.clusters = clusters_json(l, &res);
    let notes = vec![
        screen_note,
        format!(
            "entity resolution: {} parties -> {} entities ({} pairs compared), {} related-but-distinct links",
            l.parties.len(),
            res.clusters.len(),
            res.stats.blocking.pairs,
            res.links.len()
        ),
    ];
    Ok(Run { loaded, analysis, notes, timings })
}

/// Clusters with more than one record, and related-but-distinct links.
fn clusters_json(l: &Ledger, res: &chiptrace_er::Resolution) -> Vec<Value> {
    let mut out: Vec<Value> = res
        .clusters
        .iter()
        .filter(|c| c.members.len() > 1)
        .map(|c| {
            json!({
                "cluster": c.id,
                "parties": c.members.iter().map(|m| m.id.clone()).collect::<Vec<_>>(),
                "names": c.members.iter().filter_map(|m| l.party(&m.id).map(|p| l.parties[p.index()].name.to_string())).collect::<Vec<_>>(),
                "evidence": c.edges,
            })
        })
        .collect();
    out.extend(res.links.iter().map(|k| json!({"link": k})));
    out
}

pub(crate) fn analyze(g: &Global, a: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let Some(dir) = &a.ledger else { bail!("--ledger DIR is required") };
    let started = Instant::now();
    let exports = Exports { graphml: a.graphml.as_deref(), ftm: a.ftm.as_deref() };
    let run = run_analysis(g, dir, &a.opts, &exports)?;
    let recorded = if a.record {
        let mut store = crate::cmd_store::open(g)?;
        let ins: Vec<chiptrace_store::TradeAlertIn> = run
            .analysis
            .alerts
            .iter()
            .map(|x| chiptrace_store::TradeAlertIn {
                order: x.order.clone(),
                action: format!("{:?}", x.action).to_lowercase(),
                score: x.score,
                rule_ids: x.rule_ids.clone(),
                evidence: review_evidence(x),
                alert: serde_json::to_value(x).unwrap_or_default(),
            })
            .collect();
        // the ledger stream: a label, or the directory's absolute path (the
        // same ledger from another working directory is the same source)
        let source = match &a.source {
            Some(s) => s.clone(),
            None => {
                std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone()).display().to_string()
            }
        };
        let d = store.record_trade_alerts(&source, &ins)?;
        crate::cmd_store::committed(&format!(
            "diversion alerts: {} new, {} reopened, {} updated, {} closed, {} unchanged",
            d.new.len(),
            d.reopened.len(),
            d.updated.len(),
            d.closed.len(),
            d.unchanged
        ));
        Some(d)
    } else {
        None
    };
    let evaluation = match &a.truth {
        Some(p) => Some(evaluate(&run.analysis, &chiptrace_ledger::r#gen::Truth::read(p)?)),
        None => None,
    };
    let full = json!({
        "recorded": recorded,
        "evaluation": evaluation,
        "alerts": run.analysis.alerts,
        "clusters": run.analysis.clusters,
        "party_risk": run.analysis.party_risk,
        "summary": run.analysis.summary,
        "other_hits": run.analysis.other_hits,
        "notes": run.notes,
        "engine": run.analysis.engine,
        "rules_source": run.analysis.rules_source,
        "rules": run.analysis.rules,
        "load_report": run.loaded.report,
        "timings_s": run.timings.iter().map(|(k, v)| json!({"stage": k, "seconds": v})).collect::<Vec<_>>(),
    });
    if let Some(p) = &a.out {
        let f = std::fs::File::create(p).with_context(|| format!("writing {}", p.display()))?;
        let mut w = std::io::BufWriter::new(f);
        serde_json::to_writer_pretty(&mut w, &full)?;
        // a full disk must not leave a silently truncated file
        w.flush().with_context(|| format!("writing {}", p.display()))?;
    }
    let mut out = std::io::stdout().lock();
    match a.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &full)?;
            writeln!(out)?;
        }
        Format::Table => {
            print_table(&mut out, &run, started.elapsed().as_secs_f64())?;
            if let Some(e) = &evaluation {
                writeln!(
                    out,
                    "\ndetection quality against the ground truth (flagged = hold or block):"
                )?;
                writeln!(
                    out,
                    "  order precision {:.3} ({} of {} flagged orders are scheme orders)",
                    e["precision"].as_f64().unwrap_or(0.0),
                    e["true_positives"],
                    e["flagged"]
                )?;
                for (k, v) in e["by_kind"].as_object().into_iter().flatten() {
                    writeln!(
                        out,
                        "  {k:<40} recall {:.2} ({} of {} orders; {} of {} schemes)",
                        v["recall"].as_f64().unwrap_or(0.0),
                        v["flagged"],
                        v["orders"],
                        v["schemes_detected"],
                        v["schemes"]
                    )?;
                }
                for b in e["benign_lookalikes"].as_array().into_iter().flatten() {
                    writeln!(
                        out,
                        "  benign {:<33} {} orders, worst action {}",
                        b["kind"].as_str().unwrap_or(""),
                        b["orders"],
                        b["worst_action"].as_str().unwrap_or("")
                    )?;
                }
            }
        }
    }
    let held = run.analysis.alerts.iter().any(|x| x.action >= Action::Hold);
    Ok(if a.fail_on_hold && held { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Detection quality against a generator's ground truth: an order counts as
/// flagged when it is held or blocked; recall per scheme kind (orders, and
/// schemes with at least one flagged order), precision over all flagged
/// orders, and the worst action on each benign look-alike group.
pub(crate) fn evaluate(a: &Analysis, truth: &chiptrace_ledger::r#gen::Truth) -> Value {
    use std::collections::{BTreeMap, HashSet};
    let action: BTreeMap<&str, Action> =
        a.alerts.iter().map(|x| (x.order.as_str(), x.action)).collect();
    let flagged: HashSet<&str> =
        action.iter().filter(|(_, a)| **a >= Action::Hold).map(|(o, _)| *o).collect();
    let scheme_orders: HashSet<&str> =
        truth.schemes.iter().flat_map(|s| s.order_ids.iter().map(String::as_str)).collect();
    let tp = flagged.iter().filter(|o| scheme_orders.contains(*o)).count();
    let mut by_kind: BTreeMap<String, (usize, usize, usize, usize)> = BTreeMap::new();
    for s in &truth.schemes {
        let k = serde_json::to_value(s.kind)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        let k = match &s.variant {
            Some(v) => format!("{k}/{v}"),
            None => k,
        };
        let hit = s.order_ids.iter().filter(|o| flagged.contains(o.as_str())).count();
        let e = by_kind.entry(k).or_default();
        e.0 += s.order_ids.len();
        e.1 += hit;
        e.2 += 1;
        e.3 += usize::from(hit > 0);
    }
    json!({
        "flagged": flagged.len(),
        "true_positives": tp,
        "precision": if flagged.is_empty() { 1.0 } else { tp as f64 / flagged.len() as f64 },
        "by_kind": by_kind.iter().map(|(k, (n, h, sn, sh))| (k.clone(), json!({
            "orders": n, "flagged": h, "recall": if *n == 0 { 1.0 } else { *h as f64 / *n as f64 }, "schemes": sn, "schemes_detected": sh,
        }))).collect::<serde_json::Map<String, Value>>(),
        "benign_lookalikes": truth.benign_lookalikes.iter().map(|b| {
            let worst = b.order_ids.iter().filter_map(|o| action.get(o.as_str())).max().copied().unwrap_or(Action::Record);
            json!({"kind": b.kind, "orders": b.order_ids.len(), "worst_action": format!("{worst:?}").to_lowercase()})
        }).collect::<Vec<_>>(),
    })
}

fn print_table(out: &mut impl Write, run: &Run, secs: f64) -> anyhow::Result<()> {
    let a = &run.analysis;
    writeln!(
        out,
        "{} orders, {} parties analysed in {secs:.2} s; orders by action: {:?}",
        a.summary.orders, a.summary.parties, a.summary.orders_by_action
    )?;
    for n in &run.notes {
        writeln!(out, "  {n}")?;
    }
    writeln!(out, "\nalerts (hold and block first):")?;
    for x in a.alerts.iter().filter(|x| x.action >= Action::Hold).take(40) {
        writeln!(
            out,
            "{:<22} {:<6} {:>5.1}  {}  {}",
            x.id,
            format!("{:?}", x.action).to_lowercase(),
            x.score,
            x.date,
            x.rule_ids.join(" ")
        )?;
        let mut strong: Vec<&chiptrace_diversion::Hit> = x
            .evidence
            .iter()
            .filter(|h| h.severity >= chiptrace_diversion::Severity::Medium)
            .collect();
        strong.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.rule.cmp(b.rule)));
        for h in strong.into_iter().take(4) {
            writeln!(out, "      {} {}: {}", h.rule, h.severity.as_str(), h.summary)?;
        }
    }
    let more = a.alerts.iter().filter(|x| x.action >= Action::Hold).count().saturating_sub(40);
    if more > 0 {
        writeln!(out, "  … {more} more held or blocked (--format json or --out FILE for all)")?;
    }
    writeln!(out, "\nhighest-risk parties:")?;
    for p in a.party_risk.iter().take(10) {
        writeln!(
            out,
            "  {:<10} {:<45} {} {:>6.1} {:?}: {}",
            p.party,
            p.name,
            p.country,
            p.score,
            p.action,
            p.explanation.join("; ")
        )?;
    }
    Ok(())
}

pub(crate) fn trace(a: TraceArgs) -> anyhow::Result<ExitCode> {
    let loaded = load_ledger(&a.ledger, a.lenient)?;
    let cfg = Config::embedded()?;
    let Some(t) = chiptrace_graph::serial::trace(&loaded.ledger, &a.serial, &cfg.restricted) else {
        bail!("serial {:?} is not in the ledger {}", a.serial, a.ledger.display());
    };
    let mut out = std::io::stdout().lock();
    if a.format == Format::Json {
        serde_json::to_writer_pretty(&mut out, &t)?;
        writeln!(out)?;
    } else {
        crate::cmd_ledger_graph::print_trace(&mut out, &t)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn reconcile(a: ReconcileArgs) -> anyhow::Result<ExitCode> {
    if a.by != "country" {
        bail!("--by {:?}: only `country` is supported (use --period for time)", a.by);
    }
    let loaded = load_ledger(&a.ledger, a.lenient)?;
    let cfg = Config::embedded()?;
    let r = crate::cmd_ledger_graph::reconcile(&loaded.ledger, &a.period, &cfg)?;
    let mut out = std::io::stdout().lock();
    if a.format == Format::Json {
        serde_json::to_writer_pretty(&mut out, &r)?;
        writeln!(out)?;
    } else {
        crate::cmd_ledger_graph::print_reconcile(&mut out, &r)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What a review of an alert covers, hashed to decide whether a review
/// lasts: each hit's rule and level, and the computed values of hits about
/// this order alone. File positions (source lines) are left out — re-sorting
/// a ledger changes no fact — and so is the membership of group-level hits
/// (a new order in a ring of linked buyers does not undo the review of an
/// old one; its own alert carries it).
fn review_evidence(x: &chiptrace_diversion::Alert) -> Value {
    fn strip_positions(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("line");
                m.values_mut().for_each(strip_positions);
            }
            Value::Array(a) => a.iter_mut().for_each(strip_positions),
            _ => {}
        }
    }
    let mut hits: Vec<Value> = x
        .evidence
        .iter()
        .map(|h| {
            let group = h.orders.len() > 1;
            let mut ev = if group { Value::Null } else { h.evidence.clone() };
            strip_positions(&mut ev);
            json!({"rule": h.rule, "level": h.level, "evidence": ev})
        })
        .collect();
    hits.sort_by_key(|h| h.to_string());
    Value::Array(hits)
}

pub(crate) fn trade_alerts(g: &Global, a: TradeAlertsArgs) -> anyhow::Result<ExitCode> {
    let store = crate::cmd_store::open(g)?;
    let rows = store.trade_alerts(a.status.as_deref())?;
    let mut out = std::io::stdout().lock();
    if a.format == Format::Json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        for r in &rows {
            writeln!(
                out,
                "{:>5} {} {:<14} {:<7} {:>6.1} {:<10}{} {}{}",
                r.id,
                r.updated_at,
                r.order,
                r.action,
                r.score,
                r.status,
                if r.reopened { " (reopened)" } else { "" },
                r.rule_ids.join(" "),
                if r.note.is_empty() { String::new() } else { format!(" — {}", r.note) }
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn trade_review(g: &Global, a: TradeReviewArgs) -> anyhow::Result<ExitCode> {
    let mut store = crate::cmd_store::open(g)?;
    let r = store.review_trade_alert_seen(
        a.id,
        &a.disposition,
        &a.reviewer,
        &a.reason,
        a.seen.as_deref(),
    )?;
    crate::cmd_store::committed(&format!("review of diversion alert {} ({})", r.id, r.status));
    println!("alert {} on order {}: {}", r.id, r.order, r.status);
    Ok(ExitCode::SUCCESS)
}
