//! `chiptrace demo`: the main job on embedded, fictional demo data — load a
//! list (in the same JSON layout as the real BIS Entity List extract),
//! build the index, screen a customer file in several scripts, and print
//! the decisions with their explanations. No network, no installed data.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use chiptrace_lists::LoadOptions;
use chiptrace_screen::{Index, ScreenOptions};

use crate::cli::DemoArgs;
use crate::input::read_queries;

/// Fictional list entries written by the project (never real parties).
pub(crate) const DEMO_LIST: &str = include_str!("../demo/demo_entity_list.json");
/// Fictional customer file.
pub(crate) const DEMO_PARTIES: &str = include_str!("../demo/demo_parties.csv");
/// A newer version of the demo list (one entry removed, one changed, one added).
pub(crate) const DEMO_LIST_V2: &str = include_str!("../demo/demo_entity_list_v2.json");
/// Fictional transactions (real chips, fictional parties).
pub(crate) const DEMO_TRANSACTIONS: &str = include_str!("../demo/demo_transactions.json");

pub(crate) fn demo(a: DemoArgs) -> anyhow::Result<ExitCode> {
    let tmp;
    let dir = match &a.out {
        Some(d) => {
            std::fs::create_dir_all(d).with_context(|| format!("cannot create {}", d.display()))?;
            d.clone()
        }
        None => {
            tmp = tempdir()?;
            tmp.0.clone()
        }
    };
    let list_path = dir.join("demo_entity_list.json");
    let parties_path = dir.join("demo_parties.csv");
    std::fs::write(&list_path, DEMO_LIST)
        .with_context(|| format!("writing {}", list_path.display()))?;
    std::fs::write(&parties_path, DEMO_PARTIES)
        .with_context(|| format!("writing {}", parties_path.display()))?;

    let report = chiptrace_lists::load_path(&list_path, &LoadOptions::default())?;
    let n_entries = report.entries.len();
    let index = Index::build(report.entries);
    let (parties, bad) = read_queries(&parties_path, true, false)?;
    let expectations: Vec<String> = csv::Reader::from_reader(DEMO_PARTIES.as_bytes())
        .records()
        .filter_map(Result::ok)
        .map(|r| r.get(5).unwrap_or("").to_string())
        .collect();
    let opts = ScreenOptions::default();
    let results = index.screen_batch(&parties, &opts);

    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "chiptrace demo — fictional list ({n_entries} entries) and customer file ({} parties)",
        parties.len()
    )?;
    if a.out.is_some() {
        writeln!(out, "files kept: {} and {}", list_path.display(), parties_path.display())?;
    } else {
        writeln!(
            out,
            "(embedded files; `chiptrace demo --out DIR` keeps a copy to inspect or edit)"
        )?;
    }
    writeln!(
        out,
        "threshold {:.2} (review), {:.2} (strong)\n",
        opts.threshold,
        chiptrace_screen::STRONG_THRESHOLD
    )?;
    let mut alerts = 0;
    for ((p, hits), expect) in parties.iter().zip(&results).zip(&expectations) {
        match hits.first() {
            Some(h) => {
                alerts += 1;
                let e = &index.entries()[h.entry];
                writeln!(
                    out,
                    "{}  ALERT {:.3} {:<6}  {}",
                    p.id, h.score, h.explanation.band, p.name
                )?;
                writeln!(
                    out,
                    "      -> {} [{}] {}",
                    e.primary_name(),
                    e.list,
                    e.federal_register.as_deref().unwrap_or("")
                )?;
                let toks: Vec<String> = h
                    .explanation
                    .name
                    .tokens
                    .iter()
                    .map(|t| format!("{}~{}", t.query, t.listed))
                    .collect();
                writeln!(
                    out,
                    "      via {} form [{}]; tokens {}",
                    h.explanation.name.query_form_origin,
                    h.explanation.name.query_form,
                    toks.join(", ")
                )?;
                for q in &h.explanation.qualifiers {
                    writeln!(out, "      {} {:+.2}", q.feature, q.delta)?;
                }
            }
            None => writeln!(out, "{}  clear            {}", p.id, p.name)?,
        }
        writeln!(out, "      expected: {expect}")?;
    }
    writeln!(
        out,
        "\n{alerts} of {} parties raised an alert ({} bad rows).",
        parties.len(),
        bad.len()
    )?;
    demo_rules(&mut out, &index)?;
    demo_store(&mut out, &dir, &list_path, &parties_path)?;
    demo_lv(&mut out, &dir, a.out.is_some())?;
    demo_ledger(&mut out, &dir, &list_path)?;
    writeln!(
        out,
        "\nNext: `chiptrace screen --lists ../shared/data/lists \"Huawei Technologies\"` screens against the real lists;"
    )?;
    writeln!(
        out,
        "`chiptrace classify --chip \"H100 SXM\"` and `chiptrace decide --input docs/examples/tx-rtx4090-china.json` show full traces."
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Part 3 of the demo: the system of record in a SQLite store inside the
/// demo directory — list version 1, monitored parties, screening, a review,
/// list version 2 with only the delta re-screened, and the audit check.
fn demo_store(
    out: &mut impl Write,
    dir: &std::path::Path,
    list: &std::path::Path,
    parties: &std::path::Path,
) -> anyhow::Result<()> {
    use chiptrace_store::{Disposition, Party, Store};
    let data = dir.join("store");
    let mut store = Store::open(&data)?;
    store.set_actor("chiptrace-demo");
    writeln!(out, "\nSystem of record (SQLite store in {}):", data.display())?;
    let load = |p: &std::path::Path| {
        chiptrace_lists::load_path(p, &LoadOptions::default()).map(|r| r.entries)
    };
    let v1 = store.import_list_version(
        "demo list v1",
        serde_json::json!([list.display().to_string()]),
        &load(list)?,
    )?;
    let (queries, _) = read_queries(parties, false, false)?;
    let ps: Vec<Party> = queries.into_iter().map(crate::cmd_store::party_from_query).collect();
    let imp = store.import_parties(&ps)?;
    let r1 = store.rescreen(chiptrace_screen::DEFAULT_THRESHOLD, false)?;
    writeln!(
        out,
        "  list version {} ({} entries), {} parties monitored; first screening: {} alerts",
        v1.version_id,
        v1.entries,
        imp.added,
        r1.new.len()
    )?;
    // clear the weakest alert as a false positive
    let alerts = store.alerts(None)?;
    if let Some(a) = alerts.iter().min_by(|x, y| x.score.total_cmp(&y.score)) {
        store.review(
            a.id,
            Disposition::FalsePositive,
            "Demo Reviewer",
            "demo: different company (registry extract on file)",
        )?;
        writeln!(
            out,
            "  reviewed alert {} ({} ~ {}, {:.3}) as false_positive",
            a.id, a.party.name, a.entry.name, a.score
        )?;
    }
    let v2_path = dir.join("demo_entity_list_v2.json");
    std::fs::write(&v2_path, DEMO_LIST_V2)
        .with_context(|| format!("writing {}", v2_path.display()))?;
    let v2 = store.import_list_version(
        "demo list v2",
        serde_json::json!([v2_path.display().to_string()]),
        &load(&v2_path)?,
    )?;
    let r2 = store.rescreen(chiptrace_screen::DEFAULT_THRESHOLD, false)?;
    writeln!(
        out,
        "  list version {}: {} added, {} changed, {} removed -> re-screened {} parties against {} entries only: {} new, {} re-opened, {} gone, {} unchanged (the cleared one stays cleared)",
        v2.version_id,
        v2.added,
        v2.changed,
        v2.removed,
        r2.run.parties_screened_delta,
        r2.run.entries_in_delta,
        r2.new.len(),
        r2.reopened.len(),
        r2.gone.len(),
        r2.unchanged
    )?;
    let v = store.verify(None)?;
    writeln!(
        out,
        "  audit log: {} events, {} signed checkpoints, {}",
        v.events,
        v.checkpoints,
        if v.ok { "verified" } else { "FAILED" }
    )?;
    Ok(())
}

/// Part 4 of the demo: location verification on loopback. Four landmarks
/// and two chips run in this process; delay forwarders stand in for the
/// distances (fibre speed). The verdicts go into the demo store, signed and
/// audited, and each gets an SVG map in the demo directory.
fn demo_lv(out: &mut impl Write, dir: &std::path::Path, keep: bool) -> anyhow::Result<()> {
    use std::collections::HashMap;
    use std::net::TcpListener;
    use std::time::Duration;

    use chiptrace_geo::{LatLon, distance_km};
    use chiptrace_lv::agent::{Agent, Counter, Target};
    use chiptrace_lv::forward::{Forwarder, Route};
    use chiptrace_lv::landmark::{self, LandmarkConfig};
    use chiptrace_lv::registry::{Chip, Landmark, Registry, Site};
    use chiptrace_lv::verdict::{Policy, verify};
    use ed25519_dalek::SigningKey;

    let key = || -> anyhow::Result<SigningKey> {
        Ok(SigningKey::from_bytes(&chiptrace_lv::proto::random32()?))
    };
    let site = LatLon { lat: 1.3521, lon: 103.8198 };
    let landmarks = [
        ("LM-SG1", "vendor", LatLon { lat: 1.37, lon: 103.83 }),
        ("LM-SG2", "regulator", LatLon { lat: 1.335, lon: 103.805 }),
        ("LM-KL", "carrier", LatLon { lat: 3.139, lon: 101.6869 }),
        ("LM-HK", "carrier", LatLon { lat: 22.3193, lon: 114.1694 }),
    ];
    // (serial, where it really is, relay it answers through, what it shows)
    let chips = [
        ("GPU-DEMO-REF", site, None, "reference chip at zero distance (calibrates each path)"),
        ("GPU-DEMO-1", site, None, "at its licensed site in Singapore"),
        (
            "GPU-DEMO-2",
            LatLon { lat: 22.5431, lon: 114.0579 },
            Some(site),
            "in Shenzhen, answering through a relay in Singapore",
        ),
    ];
    let mut reg = Registry::default();
    reg.sites.insert(
        "SG-DC-1".into(),
        Site {
            site_id: "SG-DC-1".into(),
            name: "demo data centre".into(),
            lat: site.lat,
            lon: site.lon,
            country: "SG".into(),
            radius_km: 30.0,
            licence: "DEMO-LICENCE".into(),
        },
    );
    let mut chip_keys = HashMap::new();
    for (serial, ..) in &chips {
        let k = key()?;
        reg.chips.insert(
            serial.to_string(),
            Chip {
                serial: serial.to_string(),
                model: "H100 SXM".into(),
                public_key: hex::encode(k.verifying_key().as_bytes()),
                site: "SG-DC-1".into(),
                t_proc_min_ms: 0.005,
                t_proc_max_ms: 0.1,
                measurement: None,
            },
        );
        chip_keys.insert(serial.to_string(), k);
    }
    let mut running = Vec::new();
    for (id, op, pos) in &landmarks {
        let k = key()?;
        reg.landmarks.insert(
            id.to_string(),
            Landmark {
                landmark_id: id.to_string(),
                operator: op.to_string(),
                lat: pos.lat,
                lon: pos.lon,
                country: "XX".into(),
                public_key: hex::encode(k.verifying_key().as_bytes()),
                address: None,
                overhead_ms: 0.0,
            },
        );
        let lm = landmark::spawn(
            TcpListener::bind("127.0.0.1:0")?,
            LandmarkConfig {
                id: id.to_string(),
                key: k,
                rounds: 16,
                chips: chip_keys.iter().map(|(s, k)| (s.clone(), k.verifying_key())).collect(),
                io_timeout: Duration::from_secs(10),
                max_sessions: 16,
            },
        )?;
        running.push(lm);
    }
    let data = dir.join("store");
    let mut store = chiptrace_store::Store::open(&data)?;
    store.set_actor("chiptrace-demo");
    writeln!(
        out,
        "\nLocation verification (4 landmarks and 2 chips on loopback; delay forwarders stand in for distance):"
    )?;
    for (serial, at, relay, what) in &chips {
        let mut fwds = Vec::new();
        let mut targets = Vec::new();
        for ((id, _, pos), lm) in landmarks.iter().zip(&running) {
            let km = match relay {
                Some(r) => distance_km(*at, *r) + distance_km(*r, *pos),
                None if *serial == "GPU-DEMO-REF" => 0.0,
                None => distance_km(*at, *pos),
            };
            let f = Forwarder::spawn(&[Route {
                listen: "127.0.0.1:0".parse()?,
                target: lm.addr,
                one_way: Duration::from_secs_f64(km / chiptrace_lv::FIBRE_KM_PER_MS / 1e3),
            }])?;
            targets.push(Target {
                landmark: id.to_string(),
                addr: f.addrs[0].to_string(),
                key: None,
            });
            fwds.push(f);
        }
        let agent =
            Agent::new(serial, chip_keys[*serial].clone(), [0u8; 32], Counter::in_memory(0))?;
        let mut statements = Vec::new();
        for (id, r) in agent.run(&targets) {
            statements.push(r.with_context(|| format!("{serial} with {id}"))?);
        }
        if *serial == "GPU-DEMO-REF" {
            // the calibrated overhead of each path feeds the fibre estimate
            for st in &statements {
                if let (Some(l), Some(ms)) =
                    (reg.landmarks.get_mut(&st.body.landmark), st.body.rtt_min_ms())
                {
                    l.overhead_ms = (ms - 0.005).max(0.0);
                }
            }
            store.lv_import_registry(&reg)?;
            continue;
        }
        let (v, stored) = store.lv_verify_and_record(serial, &statements, |reg, hist| {
            verify(reg, serial, &statements, hist, &Policy::default(), jiff::Timestamp::now(), None)
        })?;
        let svg = dir.join(format!("lv-{serial}.svg"));
        std::fs::write(&svg, chiptrace_lv::map::render(&v, &store.lv_registry()?, None))?;
        writeln!(out, "  {serial} ({what}): {}", v.result.as_str().to_uppercase())?;
        writeln!(out, "      {}", v.reasons.first().map(String::as_str).unwrap_or(""))?;
        writeln!(
            out,
            "      verdict {} signed and audited{}; {}",
            stored.id,
            stored.alert.map(|a| format!(", alert {a} raised")).unwrap_or_default(),
            if keep {
                format!("map {}", svg.display())
            } else {
                "SVG map written (demo --out DIR keeps it)".to_string()
            }
        )?;
    }
    let v = store.verify(None)?;
    writeln!(
        out,
        "  audit log: {} events, {}",
        v.events,
        if v.ok { "verified" } else { "FAILED" }
    )?;
    writeln!(
        out,
        "  A pass shows where the chip's key answered from, not who uses the chip (docs/location-verification.md)."
    )?;
    Ok(())
}

/// Part 5 of the demo: diversion detection on a generated trade ledger
/// (benign business with injected schemes and their ground truth), its
/// parties screened against the demo list (which has no real Entity List
/// names, so the listed-name scheme is not caught here: with the real lists
/// it is).
fn demo_ledger(
    out: &mut impl Write,
    dir: &std::path::Path,
    list: &std::path::Path,
) -> anyhow::Result<()> {
    use chiptrace_diversion::Action;
    let led = dir.join("ledger");
    let s = chiptrace_ledger::r#gen::generate(7, 2000, &led)?;
    writeln!(out, "\nDiversion detection on a generated trade ledger ({s}):")?;
    let g = crate::cli::Global { data_dir: Some(dir.join("store")) };
    let opts =
        crate::cli::LedgerOpts { lists: vec![list.to_path_buf()], lenient: false, rules: None };
    let run =
        crate::cmd_ledger::run_analysis(&g, &led, &opts, &crate::cmd_ledger::Exports::default())?;
    let a = &run.analysis;
    writeln!(out, "  orders by action: {:?}", a.summary.orders_by_action)?;
    for x in a.alerts.iter().filter(|x| x.action >= Action::Hold).take(4) {
        let top =
            x.evidence.iter().max_by_key(|h| h.severity).map(|h| h.summary.as_str()).unwrap_or("");
        writeln!(
            out,
            "  {} {:?} {:.1} [{}]: {top}",
            x.order,
            x.action,
            x.score,
            x.rule_ids.join(" ")
        )?;
    }
    let truth = chiptrace_ledger::r#gen::Truth::read(&led.join("truth.json"))?;
    let e = crate::cmd_ledger::evaluate(a, &truth);
    // the listed-name scheme needs the real lists; any other miss is a miss
    let missed: Vec<&String> = e["by_kind"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, v)| v["recall"].as_f64() < Some(0.95) && k.as_str() != "listed_name_variant")
        .map(|(k, _)| k)
        .collect();
    writeln!(
        out,
        "  against the ground truth: order precision {:.2}; {} (spellings of real Entity List parties need the real lists)",
        e["precision"].as_f64().unwrap_or(0.0),
        if missed.is_empty() {
            "every other scheme kind found".to_string()
        } else {
            format!("MISSED: {missed:?}")
        }
    )?;
    writeln!(
        out,
        "  `chiptrace analyze --ledger DIR --lists ../shared/data/lists` runs it on any ledger (docs/diversion.md)."
    )?;
    Ok(())
}

/// Part 2 of the demo: classification by date and licence determination of
/// the fictional transactions, with parties screened against the demo list.
fn demo_rules(out: &mut impl Write, index: &Index) -> anyhow::Result<()> {
    let rules = chiptrace_rules::RuleSet::embedded()?;
    let catalog = chiptrace_rules::Catalog::embedded()?;
    writeln!(out, "\nClassification (ECCN 3A090 / 4A090) by date, from the chip catalog:")?;
    for chip in ["A800", "H800", "H100 SXM", "RTX 4090", "H20", "DGX H100"] {
        let spec = catalog.spec_for(chip)?;
        let mut cells = Vec::new();
        for day in ["2023-06-01", "2024-01-01", "2026-11-29"] {
            let date = chiptrace_rules::parse_date("date", day)?;
            let c = chiptrace_rules::classify(&rules, &spec, date)?;
            cells.push(format!(
                "{day} {:<15}",
                c.paragraph.unwrap_or_else(|| c.classification.name().into())
            ));
        }
        let tpp = chiptrace_rules::classify(
            &rules,
            &spec,
            chiptrace_rules::parse_date("date", "2024-01-01")?,
        )?
        .tpp
        .map_or("-".into(), |t| t.normalize().to_string());
        writeln!(out, "  {:<16} TPP {:>7}   {}", spec.name, tpp, cells.join("  "))?;
    }
    writeln!(
        out,
        "\nLicence determination of the demo transactions (parties screened against the demo list, which stands in for the Entity List):"
    )?;
    let docs: Vec<serde_json::Value> =
        serde_json::from_str(DEMO_TRANSACTIONS).context("demo transactions")?;
    let resolve = |n: &str| catalog.spec_for(n);
    for doc in docs {
        let mut tx = chiptrace_license::Transaction::from_json(&doc.to_string(), &resolve)?;
        crate::cmd_rules::add_list_hits(index, &mut tx, chiptrace_screen::DEFAULT_THRESHOLD);
        // The fictional demo list stands in for the Entity List: its hits
        // are given the Entity List's code so §744.11 applies to them.
        for p in &mut tx.parties {
            for h in &mut p.list_hits {
                if h.list == "us_demo_entity_list" {
                    h.list = "us_bis_entity_list_demo".into();
                }
            }
        }
        let today = tx.date.unwrap_or_else(|| jiff::Zoned::now().date());
        let d = chiptrace_license::decide(&rules, &tx, today)?;
        writeln!(out, "  {} ({})", d.transaction, d.date)?;
        writeln!(out, "      licence required: {:?} — {}", d.license_required, d.summary)?;
        for r in d.requirements.iter().filter(|r| r.enforced) {
            writeln!(out, "      {} [{}] {}", r.paragraph, r.evidence.label(), r.reason)?;
        }
    }
    Ok(())
}

/// A temporary directory removed on drop (avoids a tempfile dependency in the binary).
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tempdir() -> anyhow::Result<TempDir> {
    let base = std::env::temp_dir();
    for i in 0..100u32 {
        let p = base.join(format!("chiptrace-demo-{}-{i}", std::process::id()));
        if std::fs::create_dir(&p).is_ok() {
            return Ok(TempDir(p));
        }
    }
    anyhow::bail!("cannot create a temporary directory under {}", base.display())
}
