//! `chiptrace lv …`: location verification (docs/location-verification.md).
//! Parses, calls `chiptrace-lv` and the store, formats.

use std::collections::HashMap;
use std::io::Write;
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use chiptrace_lv::agent::{Agent, Counter, Target};
use chiptrace_lv::forward::{Forwarder, Route};
use chiptrace_lv::landmark::{self, LandmarkConfig};
use chiptrace_lv::proto::Statement;
use chiptrace_lv::registry::Registry;
use chiptrace_lv::verdict::{self, Outcome, Policy, Verdict};

use crate::cli::{
    Format, Global, LvAgentArgs, LvAlertsArgs, LvArgs, LvCommand, LvForwardArgs, LvLandmarkCommand,
    LvRegistryCommand, LvServeArgs, LvStatusArgs, LvVerdictsArgs, LvVerifyArgs,
};
use crate::cmd_store::{committed, open};

/// Largest statements file read by `lv verify`.
const MAX_PROOF_FILE: u64 = 4 * 1024 * 1024;

pub(crate) fn lv(g: &Global, a: LvArgs) -> anyhow::Result<ExitCode> {
    match a.command {
        LvCommand::Keygen(k) => {
            let (pubp, vk) = chiptrace_lv::keys::generate(&k.out)?;
            println!("{}", hex::encode(vk.as_bytes()));
            eprintln!("wrote {} and {}", k.out.with_extension("key").display(), pubp.display());
            Ok(ExitCode::SUCCESS)
        }
        LvCommand::Registry(r) => match r.command {
            LvRegistryCommand::Import(i) => registry_import(g, &i.paths),
            LvRegistryCommand::Show(f) => registry_show(g, f.format),
        },
        LvCommand::Landmark(l) => match l.command {
            LvLandmarkCommand::Serve(s) => serve(g, s),
        },
        LvCommand::Agent(a) => agent(a),
        LvCommand::Verify(v) => verify(g, v),
        LvCommand::Verdicts(v) => verdicts(g, v),
        LvCommand::Alerts(a) => alerts(g, a),
        LvCommand::Status(a) => status(g, a),
        LvCommand::Forward(f) => forward(f),
    }
}

fn read_registry(paths: &[PathBuf]) -> anyhow::Result<Registry> {
    let mut reg = Registry::default();
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            reg.merge(Registry::from_dir(p)?);
        } else {
            files.push(p.clone());
        }
    }
    if !files.is_empty() {
        reg.merge(Registry::from_files(&files)?);
    }
    Ok(reg)
}

fn registry_import(g: &Global, paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let reg = read_registry(paths)?;
    let mut store = open(g)?;
    let sum = store.lv_import_registry(&reg)?;
    committed(&format!(
        "registry: {} added, {} updated, {} unchanged ({} audit events)",
        sum.added, sum.updated, sum.unchanged, sum.audit_events
    ));
    println!(
        "registry import: {} sites, {} landmarks, {} chips read; {} added, {} updated, {} unchanged",
        reg.sites.len(),
        reg.landmarks.len(),
        reg.chips.len(),
        sum.added,
        sum.updated,
        sum.unchanged
    );
    Ok(ExitCode::SUCCESS)
}

fn registry_show(g: &Global, format: Format) -> anyhow::Result<ExitCode> {
    let reg = open(g)?.lv_registry()?;
    let mut out = std::io::stdout().lock();
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut out, &reg)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "sites ({})", reg.sites.len())?;
    for s in reg.sites.values() {
        writeln!(
            out,
            "  {:<16} {:>9.4} {:>10.4} {}  radius {} km  licence {}  {}",
            s.site_id, s.lat, s.lon, s.country, s.radius_km, s.licence, s.name
        )?;
    }
    writeln!(out, "landmarks ({})", reg.landmarks.len())?;
    for l in reg.landmarks.values() {
        writeln!(
            out,
            "  {:<16} {:>9.4} {:>10.4} {}  operator {}  key {}…",
            l.landmark_id,
            l.lat,
            l.lon,
            l.country,
            l.operator,
            &l.public_key[..16.min(l.public_key.len())]
        )?;
    }
    writeln!(out, "chips ({})", reg.chips.len())?;
    for c in reg.chips.values() {
        writeln!(
            out,
            "  {:<20} {:<14} site {}  t_proc {}–{} ms  key {}…",
            c.serial,
            c.model,
            c.site,
            c.t_proc_min_ms,
            c.t_proc_max_ms,
            &c.public_key[..16.min(c.public_key.len())]
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Nothing listens beyond loopback unless asked.
fn check_bind(addr: &SocketAddr, allow_remote: bool) -> anyhow::Result<()> {
    if !addr.ip().is_loopback() && !allow_remote {
        bail!("{addr} is not a loopback address; pass --allow-remote to listen on it");
    }
    Ok(())
}

fn resolve(s: &str) -> anyhow::Result<SocketAddr> {
    s.to_socket_addrs()
        .with_context(|| format!("address {s:?}"))?
        .next()
        .with_context(|| format!("address {s:?} resolves to nothing"))
}

fn serve(g: &Global, s: LvServeArgs) -> anyhow::Result<ExitCode> {
    let key = chiptrace_lv::keys::load_secret(&s.key)?;
    let reg = match &s.registry {
        Some(dir) => read_registry(std::slice::from_ref(dir))?,
        None => open(g)?.lv_registry()?,
    };
    let mut chips = HashMap::new();
    for c in reg.chips.values() {
        chips.insert(
            c.serial.clone(),
            c.key().map_err(|e| anyhow::anyhow!("chip {}: {e}", c.serial))?,
        );
    }
    if let Some(l) = reg.landmarks.get(&s.id)
        && l.public_key != hex::encode(key.verifying_key().as_bytes())
    {
        eprintln!(
            "warning: the registry holds another public key for landmark {}; its statements will not verify",
            s.id
        );
    }
    let addr = resolve(&s.listen)?;
    check_bind(&addr, s.allow_remote)?;
    let listener = TcpListener::bind(addr).with_context(|| format!("listening on {addr}"))?;
    let n = chips.len();
    let running = landmark::spawn(
        listener,
        LandmarkConfig {
            id: s.id.clone(),
            key,
            rounds: s.rounds,
            chips,
            io_timeout: Duration::from_secs(10),
            max_sessions: s.max_sessions,
        },
    )?;
    println!("listening on {}", running.addr);
    std::io::stdout().flush()?;
    eprintln!("landmark {}: {} registered chips, {} rounds per session", s.id, n, s.rounds);
    loop {
        std::thread::park();
    }
}

fn default_measurement() -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(chiptrace_lv::ENGINE_VERSION.as_bytes()).into()
}

fn agent(a: LvAgentArgs) -> anyhow::Result<ExitCode> {
    let key = chiptrace_lv::keys::load_secret(&a.key)?;
    let measurement = match &a.measurement {
        Some(m) => {
            chiptrace_lv::proto::decode32(m).context("--measurement must be 64 hex characters")?
        }
        None => default_measurement(),
    };
    let state = a.state.clone().unwrap_or_else(|| a.key.with_extension("counter"));
    let counter = Counter::open(&state)?;
    let mut targets = Vec::new();
    for l in &a.landmarks {
        let (id, addr) = l
            .split_once('=')
            .with_context(|| format!("--landmark {l:?}: expected ID=HOST:PORT"))?;
        targets.push(Target { landmark: id.to_string(), addr: addr.to_string(), key: None });
    }
    let mut agent = Agent::new(&a.chip, key, measurement, counter)?;
    agent.timeout = Duration::from_millis(a.timeout_ms);
    let started = std::time::Instant::now();
    let results = agent.run(&targets);
    let elapsed = started.elapsed();
    let mut statements: Vec<Statement> = Vec::new();
    for (id, r) in results {
        match r {
            Ok(st) => {
                eprintln!(
                    "{id}: {} rounds, rtt_min {:.3} ms",
                    st.body.rounds.len(),
                    st.body.rtt_min_ms().unwrap_or(f64::NAN)
                );
                statements.push(st);
            }
            Err(e) => eprintln!("{id}: failed: {e}"),
        }
    }
    eprintln!(
        "{} of {} landmarks answered in {:.1} ms",
        statements.len(),
        targets.len(),
        elapsed.as_secs_f64() * 1e3
    );
    let text = serde_json::to_string_pretty(&statements)?;
    match &a.out {
        Some(p) => {
            std::fs::write(p, text + "\n").with_context(|| format!("writing {}", p.display()))?
        }
        None => println!("{text}"),
    }
    Ok(if statements.is_empty() { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

fn read_statements(path: &Path) -> anyhow::Result<Vec<Statement>> {
    let meta = std::fs::metadata(path).with_context(|| format!("{}", path.display()))?;
    if meta.len() > MAX_PROOF_FILE {
        bail!(
            "{}: {} bytes is more than the {MAX_PROOF_FILE}-byte limit for a proofs file",
            path.display(),
            meta.len()
        );
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))?;
    let list = if v.is_array() { v } else { serde_json::Value::Array(vec![v]) };
    serde_path_to_error::deserialize::<_, Vec<Statement>>(list)
        .map_err(|e| anyhow::anyhow!("{}: at {}: {}", path.display(), e.path(), e.inner()))
}

fn verify(g: &Global, v: LvVerifyArgs) -> anyhow::Result<ExitCode> {
    let mut statements = Vec::new();
    for p in &v.proofs {
        statements.extend(read_statements(p)?);
    }
    if v.min_operators < 2 && !v.allow_single_operator {
        bail!(
            "--min-operators {}: a pass needs at least 2 independent operators; pass --allow-single-operator to accept 1",
            v.min_operators
        );
    }
    let area = match &v.area {
        Some(p) => {
            let len = std::fs::metadata(p).with_context(|| format!("{}", p.display()))?.len();
            if len > chiptrace_geo::MAX_GEOJSON_BYTES as u64 {
                bail!(
                    "{}: {len} bytes is more than the {}-byte limit for an area file",
                    p.display(),
                    chiptrace_geo::MAX_GEOJSON_BYTES
                );
            }
            let text = std::fs::read_to_string(p).with_context(|| format!("{}", p.display()))?;
            let mut areas = chiptrace_geo::parse_geojson(&text, &p.display().to_string())?;
            if areas.len() != 1 {
                bail!("{}: expected one area (feature), found {}", p.display(), areas.len());
            }
            areas.pop()
        }
        None => None,
    };
    let policy =
        Policy { min_operators: v.min_operators, max_age_s: v.max_age_s, ..Policy::default() };
    let mut store = open(g)?;
    let now = jiff::Timestamp::now();
    let (verdict, stored) = store.lv_verify_and_record(&v.chip, &statements, |reg, hist| {
        verdict::verify(reg, &v.chip, &statements, hist, &policy, now, area.as_ref())
    })?;
    committed(&format!(
        "lv verdict {} ({}){}",
        stored.id,
        stored.result,
        stored.alert.map(|a| format!(", alert {a}")).unwrap_or_default()
    ));
    if let Some(svg) = &v.svg {
        let reg = store.lv_registry()?;
        let text = chiptrace_lv::map::render(&verdict, &reg, area.as_ref());
        std::fs::write(svg, text).with_context(|| format!("writing {}", svg.display()))?;
        eprintln!("map: {}", svg.display());
    }
    let mut out = std::io::stdout().lock();
    match v.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &stored)?;
            writeln!(out)?;
        }
        Format::Table => print_verdict(&mut out, &verdict, &stored)?,
    }
    Ok(if v.fail_unless_pass && verdict.result != Outcome::Pass {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_verdict(
    out: &mut impl Write,
    v: &Verdict,
    s: &chiptrace_store::StoredVerdict,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "chip {} ({}) · licensed site {} {} ({:.4}, {:.4}), radius {} km, licence {}",
        v.chip,
        v.model,
        v.site.site_id,
        v.site.country,
        v.site.lat,
        v.site.lon,
        v.site.radius_km,
        v.site.licence
    )?;
    writeln!(out, "verdict: {}", v.result.as_str().to_uppercase())?;
    for r in &v.reasons {
        writeln!(out, "  - {r}")?;
    }
    writeln!(
        out,
        "{:<12} {:<10} {:>8} {:>10} {:>10} {:>9} {:>9} {:<9} problem",
        "landmark", "operator", "rtt_ms", "bound_km", "fibre_km", "site_km", "budget", "status"
    )?;
    for p in &v.proofs {
        let f =
            |x: Option<f64>, d: usize| x.map(|x| format!("{x:.d$}")).unwrap_or_else(|| "-".into());
        writeln!(
            out,
            "{:<12} {:<10} {:>8} {:>10} {:>10} {:>9} {:>9} {:<9} {}",
            p.landmark,
            p.operator,
            f(p.rtt_min_ms, 3),
            f(p.bound_km, 1),
            f(p.fibre_estimate_km, 1),
            f(p.landmark_to_site_km, 1),
            match (p.budget_ms, p.within_budget) {
                (Some(b), Some(true)) => format!("≤{b:.3}"),
                (Some(b), _) => format!(">{b:.3}"),
                _ => "-".into(),
            },
            format!("{:?}", p.status).to_lowercase(),
            p.problem.as_deref().unwrap_or("")
        )?;
    }
    if let (Some(max), Some(min)) = (v.region.max_km_from_site, v.region.min_km_from_site) {
        writeln!(
            out,
            "feasible region: {:.1}–{:.1} km from the site ({})",
            min,
            max,
            v.region.within_site.as_deref().unwrap_or("-")
        )?;
    }
    writeln!(
        out,
        "recorded: verdict {} signed by {}…{}",
        s.id,
        &s.public_key[..16],
        s.alert.map(|a| format!(", alert {a} raised")).unwrap_or_default()
    )?;
    writeln!(out, "what this proves: {}", v.what_it_proves)?;
    Ok(())
}

fn verdicts(g: &Global, a: LvVerdictsArgs) -> anyhow::Result<ExitCode> {
    let rows = open(g)?.lv_verdicts(a.chip.as_deref())?;
    let mut out = std::io::stdout().lock();
    if a.format == Format::Json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        for r in &rows {
            let reason = r.verdict["reasons"][0].as_str().unwrap_or("");
            writeln!(out, "{:>5} {} {:<20} {:<13} {reason}", r.id, r.at, r.chip, r.result)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn alerts(g: &Global, a: LvAlertsArgs) -> anyhow::Result<ExitCode> {
    let rows = open(g)?.lv_alerts(!a.all)?;
    let mut out = std::io::stdout().lock();
    if a.format == Format::Json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        for r in &rows {
            writeln!(
                out,
                "{:>5} {} {:<20} {:<13} {:<6} verdict {} — {}",
                r.id, r.at, r.chip, r.result, r.status, r.verdict_id, r.reason
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Missed check-ins are themselves a reportable signal
/// (location-verification.md §5): a chip that stops answering has no failing
/// verdict, only an old one or none.
fn status(g: &Global, a: LvStatusArgs) -> anyhow::Result<ExitCode> {
    let store = open(g)?;
    let reg = store.lv_registry()?;
    let latest: HashMap<String, (i64, String, String)> =
        store.lv_latest()?.into_iter().map(|(c, id, at, r)| (c, (id, at, r))).collect();
    let now = jiff::Timestamp::now();
    let mut rows = Vec::new();
    let mut bad = 0;
    for c in reg.chips.values() {
        let (state, verdict, age_h) = match latest.get(&c.serial) {
            None => ("never_verified", None, None),
            Some((id, at, result)) => {
                let age = at
                    .parse::<jiff::Timestamp>()
                    .map(|t| (now.as_second() - t.as_second()) as f64 / 3600.0)
                    .unwrap_or(f64::INFINITY);
                let state = if age >= a.max_age_hours {
                    "missed_check_in"
                } else if result == "pass" {
                    "ok"
                } else {
                    "not_passing"
                };
                (state, Some((*id, result.clone())), Some(age))
            }
        };
        if state != "ok" {
            bad += 1;
        }
        rows.push(serde_json::json!({
            "chip": c.serial, "site": c.site, "state": state,
            "latest_verdict": verdict.as_ref().map(|v| v.0), "latest_result": verdict.map(|v| v.1),
            "age_hours": age_h.map(|h| (h * 100.0).round() / 100.0),
        }));
    }
    let mut out = std::io::stdout().lock();
    if a.format == Format::Json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        for r in &rows {
            writeln!(
                out,
                "{:<20} site {:<12} {:<16} latest {} ({}) {}",
                r["chip"].as_str().unwrap_or(""),
                r["site"].as_str().unwrap_or(""),
                r["state"].as_str().unwrap_or(""),
                r["latest_verdict"],
                r["latest_result"].as_str().unwrap_or("-"),
                r["age_hours"].as_f64().map(|h| format!("{h:.1} h ago")).unwrap_or_default()
            )?;
        }
        writeln!(
            out,
            "{bad} of {} chips need attention (max age {} h)",
            rows.len(),
            a.max_age_hours
        )?;
    }
    Ok(if a.fail_on_missed && bad > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn forward(f: LvForwardArgs) -> anyhow::Result<ExitCode> {
    let mut routes = Vec::new();
    for r in &f.routes {
        let route: Route = r.parse().map_err(|e| anyhow::anyhow!("--route {r:?}: {e}"))?;
        check_bind(&route.listen, f.allow_remote)?;
        routes.push(route);
    }
    let fw = Forwarder::spawn(&routes)?;
    for (r, a) in routes.iter().zip(&fw.addrs) {
        println!(
            "forwarding {a} -> {} (+{:.3} ms each way)",
            r.target,
            r.one_way.as_secs_f64() * 1e3
        );
    }
    std::io::stdout().flush()?;
    loop {
        std::thread::park();
    }
}
