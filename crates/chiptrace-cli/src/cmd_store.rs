//! Store commands: `parties import`, `rescreen`, `alerts`, `review`,
//! `audit verify|export|public-key`, and the recording hooks used by
//! `lists import`, `screen`, `classify` and `decide` (docs/store.md).
//!
//! Every state-changing command prints one `committed: …` line after its
//! transaction commits (on standard error), so scripts and the crash tests
//! know what is durable.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use chiptrace_store::{AlertStatus, Disposition, ExportFormat, Party, RescreenSummary, Store};

use crate::cli::{
    AlertsArgs, AuditArgs, AuditCommand, AuditFormat, Format, Global, PartiesArgs, PartiesCommand,
    RescreenArgs, ReviewArgs,
};
use crate::input::{data_dir, read_queries};

/// Open the store of the data directory (created when absent).
pub(crate) fn open(g: &Global) -> anyhow::Result<Store> {
    let dir = data_dir(g);
    Store::open(&dir).with_context(|| format!("opening the store in {}", dir.display()))
}

/// The store, when a data directory is in use: `--data-dir` /
/// `CHIPTRACE_DATA_DIR` given, or the default directory already holds a
/// store. Commands that only optionally record (screen, classify, decide,
/// lists import) use this.
pub(crate) fn in_use(g: &Global) -> anyhow::Result<Option<Store>> {
    let dir = data_dir(g);
    if g.data_dir.is_some() || dir.join(chiptrace_store::DB_FILE).exists() {
        return Ok(Some(open(g)?));
    }
    Ok(None)
}

/// A parties-CSV row (read as a screening query) as a monitored party.
pub(crate) fn party_from_query(q: chiptrace_screen::Query) -> Party {
    Party {
        id: q.id,
        name: q.name,
        schema: q
            .schema
            .and_then(|s| serde_json::to_value(s).ok())
            .and_then(|v| v.as_str().map(String::from)),
        country: q.country,
        address: q.address,
        dob: q.dob,
    }
}

pub(crate) fn committed(what: &str) {
    eprintln!("committed: {what}");
}

pub(crate) fn parties(g: &Global, a: PartiesArgs) -> anyhow::Result<ExitCode> {
    match a.command {
        PartiesCommand::Import(x) => {
            let (queries, bad) = read_queries(&x.file, x.strict, true)?;
            let parties: Vec<Party> = queries.into_iter().map(party_from_query).collect();
            if parties.is_empty() {
                bail!("{}: no usable party rows", x.file.display());
            }
            let mut store = open(g)?;
            let s = store.import_parties(&parties)?;
            committed(&format!(
                "parties import {} ({} added, {} updated)",
                x.file.display(),
                s.added,
                s.updated
            ));
            println!(
                "{}: {} added, {} updated, {} unchanged, {} bad rows skipped; {} audit events",
                x.file.display(),
                s.added,
                s.updated,
                s.unchanged,
                bad.len(),
                s.audit_events
            );
            println!("{} parties monitored in {}", store.party_count()?, store.dir().display());
            if !store.list_state()?.is_empty() {
                println!("next: `chiptrace rescreen` screens new and changed parties");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub(crate) fn rescreen(g: &Global, a: RescreenArgs) -> anyhow::Result<ExitCode> {
    let mut store = open(g)?;
    // the threshold stays what it was unless --threshold changes it (a
    // change makes the run full: the set of hits changes)
    let threshold = match a.threshold {
        Some(t) => t,
        None => store.configured_threshold()?.unwrap_or(chiptrace_screen::DEFAULT_THRESHOLD),
    };
    if !(0.0..=1.0).contains(&threshold) {
        bail!("--threshold must be between 0 and 1");
    }
    if store.party_count()? == 0 {
        bail!("no parties monitored: run `chiptrace parties import FILE.csv` first");
    }
    let s = store.rescreen(threshold, a.full)?;
    committed(&format!("screening run {}", s.run.run_id));
    print_delta(&store, &s, a.format)?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn print_delta(
    store: &Store,
    s: &RescreenSummary,
    format: Format,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut out, s)?;
        writeln!(out)?;
        return Ok(());
    }
    let r = &s.run;
    writeln!(
        out,
        "run {}: {} parties screened in full, {} against {} new/changed entries, {} skipped (nothing changed); {} hits",
        r.run_id,
        r.parties_screened_full,
        r.parties_screened_delta,
        r.entries_in_delta,
        r.parties_skipped,
        r.hits
    )?;
    writeln!(
        out,
        "delta: {} new, {} re-opened, {} gone, {} unchanged",
        s.new.len(),
        s.reopened.len(),
        s.gone.len(),
        s.unchanged
    )?;
    let all = store.alerts(None)?;
    for (label, ids) in [("new", &s.new), ("re-opened", &s.reopened), ("gone", &s.gone)] {
        for id in ids {
            if let Some(a) = all.iter().find(|a| a.id == *id) {
                writeln!(
                    out,
                    "  {label:<9} alert {:>5}  {:.3}  {} [{}]  ~  {} [{}]{}",
                    a.id,
                    a.score,
                    a.party.name,
                    a.party.id,
                    a.entry.name,
                    a.entry.list,
                    if a.note.is_empty() { String::new() } else { format!("  ({})", a.note) }
                )?;
            }
        }
    }
    Ok(())
}

pub(crate) fn alerts(g: &Global, a: AlertsArgs) -> anyhow::Result<ExitCode> {
    let store = open(g)?;
    let status = match a.status.as_deref() {
        Some(s) => Some(AlertStatus::parse(s).with_context(|| {
            format!(
                "--status {s:?}: expected open, true_match, false_positive, escalated or closed"
            )
        })?),
        None => None,
    };
    let list = store.alerts(status)?;
    let mut out = std::io::stdout().lock();
    match a.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &list)?;
            writeln!(out)?;
        }
        Format::Table => {
            writeln!(out, "{:>5}  {:<15} {:>6}  {:<34} entry", "id", "status", "score", "party")?;
            for x in &list {
                writeln!(
                    out,
                    "{:>5}  {:<15} {:>6.3}  {:<34} {} [{}]{}",
                    x.id,
                    if x.reopened { format!("{} (reopened)", x.status) } else { x.status.clone() },
                    x.score,
                    format!("{} [{}]", x.party.name, x.party.id),
                    x.entry.name,
                    x.entry.list,
                    if x.note.is_empty() { String::new() } else { format!("  — {}", x.note) }
                )?;
            }
            writeln!(out, "{} alert(s)", list.len())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn review(g: &Global, a: ReviewArgs) -> anyhow::Result<ExitCode> {
    let d = Disposition::parse(&a.disposition).with_context(|| {
        format!(
            "--disposition {:?}: expected true_match, false_positive or escalated",
            a.disposition
        )
    })?;
    let mut store = open(g)?;
    store.set_actor(&a.reviewer);
    let alert = store.review(a.alert_id, d, &a.reviewer, &a.reason)?;
    committed(&format!("review alert {} {}", alert.id, d.as_str()));
    println!(
        "alert {}: {} ({} ~ {}) by {}",
        alert.id, alert.status, alert.party.name, alert.entry.name, a.reviewer
    );
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn audit(g: &Global, a: AuditArgs) -> anyhow::Result<ExitCode> {
    match a.command {
        AuditCommand::PublicKey => {
            let store = open(g)?;
            let (hex, path) = store.public_key();
            println!("{hex}");
            eprintln!("(file: {})", path.display());
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Verify(v) => {
            let report = if let Some(export) = &v.export {
                let key_path =
                    v.public_key.as_ref().context("--public-key is required with --export")?;
                let key = std::fs::read_to_string(key_path)
                    .with_context(|| format!("{}", key_path.display()))?;
                let text = std::fs::read_to_string(export)
                    .with_context(|| format!("{}", export.display()))?;
                chiptrace_store::verify_export(&text, &key)?
            } else {
                let dir = data_dir(g);
                let store = Store::open_existing(&dir)
                    .with_context(|| format!("opening the store in {}", dir.display()))?;
                store.verify(v.public_key.as_deref())?
            };
            let mut out = std::io::stdout().lock();
            match v.format {
                Format::Json => {
                    serde_json::to_writer_pretty(&mut out, &report)?;
                    writeln!(out)?;
                }
                Format::Table => {
                    if report.ok {
                        writeln!(
                            out,
                            "audit log OK: {} events, {} signed checkpoints, signed through event {}; head {}",
                            report.events,
                            report.checkpoints,
                            report.signed_through,
                            report.head_hash
                        )?;
                        writeln!(out, "public key {}", report.public_key)?;
                    } else {
                        match report.first_bad_event {
                            Some(e) => writeln!(out, "audit log FAILED: first bad event {e}")?,
                            None => writeln!(out, "audit log FAILED")?,
                        }
                        for p in &report.problems {
                            writeln!(out, "  - {p}")?;
                        }
                    }
                }
            }
            Ok(if report.ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        AuditCommand::Export(x) => {
            for (flag, d) in [("--from", &x.from), ("--to", &x.to)] {
                if let Some(d) = d {
                    chiptrace_rules::parse_date(flag, d)?;
                }
            }
            let dir = data_dir(g);
            let store = Store::open_existing(&dir)
                .with_context(|| format!("opening the store in {}", dir.display()))?;
            let format = match x.format {
                AuditFormat::Jsonl => ExportFormat::Jsonl,
                AuditFormat::Csv => ExportFormat::Csv,
            };
            let n = match (&x.output, format) {
                (None, ExportFormat::Csv) => bail!(
                    "--output FILE is required for csv (the verification material goes to FILE.verification.json)"
                ),
                (None, ExportFormat::Jsonl) => {
                    let mut out = std::io::stdout().lock();
                    store.export(format, x.from.as_deref(), x.to.as_deref(), &mut out, None)?
                }
                (Some(p), _) => {
                    let mut f = std::io::BufWriter::new(
                        std::fs::File::create(p).with_context(|| format!("{}", p.display()))?,
                    );
                    let n = if format == ExportFormat::Csv {
                        let mp = material_path(p);
                        let mut m = std::fs::File::create(&mp)
                            .with_context(|| format!("{}", mp.display()))?;
                        let n = store.export(
                            format,
                            x.from.as_deref(),
                            x.to.as_deref(),
                            &mut f,
                            Some(&mut m),
                        )?;
                        eprintln!("verification material: {}", mp.display());
                        n
                    } else {
                        store.export(format, x.from.as_deref(), x.to.as_deref(), &mut f, None)?
                    };
                    f.flush()?;
                    n
                }
            };
            eprintln!("exported {n} events; public key {}", store.public_key().0);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn material_path(p: &Path) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(".verification.json");
    PathBuf::from(s)
}
