//! `chiptrace lists import|update|status`.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use chiptrace_lists::{CustomCsvMapping, LoadOptions};
use chiptrace_update::{ListStore, SourceOutcome, UpdateOptions};

use crate::cli::{Global, ListsArgs, ListsCommand, ListsImportArgs, ListsUpdateArgs};
use crate::input::data_dir;

pub(crate) fn lists(g: &Global, a: ListsArgs) -> anyhow::Result<ExitCode> {
    match a.command {
        ListsCommand::Import(x) => import(g, x),
        ListsCommand::Update(x) => update(g, x),
        ListsCommand::Status => status(g),
        ListsCommand::Activate(x) => {
            let dir = data_dir(g);
            let store = ListStore::open(&dir)
                .with_context(|| format!("opening data directory {}", dir.display()))?;
            let v = store.activate(&x.source, &x.version)?;
            println!("now using {} version {} ({} entries)", v.id, v.version, v.entries);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn import(g: &Global, a: ListsImportArgs) -> anyhow::Result<ExitCode> {
    let mapping =
        a.mapping.as_deref().map(CustomCsvMapping::parse_spec).transpose().context("--mapping")?;
    let opts = LoadOptions { strict: a.strict, mapping, ..LoadOptions::default() };
    let report = chiptrace_lists::load_paths(&a.paths, &opts)?;
    let mut out = std::io::stdout().lock();
    if a.dump {
        for e in &report.entries {
            serde_json::to_writer(&mut out, e)?;
            writeln!(out)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{:<60} {:<14} {:>8} {:>6}  sha256", "file", "format", "entries", "bad")?;
    for f in &report.files {
        writeln!(
            out,
            "{:<60} {:<14} {:>8} {:>6}  {}",
            f.path.display(),
            f.format.as_str(),
            f.entries,
            f.bad_rows,
            &f.sha256[..f.sha256.len().min(16)]
        )?;
    }
    let mut per_list: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for e in &report.entries {
        let x = per_list.entry(e.list.as_str()).or_default();
        x.0 += 1;
        x.1 += e.names.len();
    }
    writeln!(out, "\n{:<32} {:>8} {:>8}", "list", "entries", "names")?;
    for (l, (n, names)) in &per_list {
        writeln!(out, "{l:<32} {n:>8} {names:>8}")?;
    }
    writeln!(out, "\ntotal: {} entries, {} bad rows", report.entries.len(), report.bad_rows.len())?;
    for b in report.bad_rows.iter().take(a.show_bad) {
        writeln!(out, "bad row: {b}")?;
    }
    // With a data directory in use: record the files as a new list version
    // and re-screen the monitored parties (docs/store.md).
    if let Some(mut store) = crate::cmd_store::in_use(g)? {
        let files: Vec<serde_json::Value> = report
            .files
            .iter()
            .map(|f| {
                serde_json::json!({
                    "path": f.path.display().to_string(), "format": f.format.as_str(),
                    "sha256": f.sha256, "entries": f.entries, "bad_rows": f.bad_rows,
                })
            })
            .collect();
        let label = a.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" ");
        let diff =
            store.import_list_version(&label, serde_json::Value::Array(files), &report.entries)?;
        crate::cmd_store::committed(&format!("list version {}", diff.version_id));
        writeln!(
            out,
            "\nrecorded as list version {} in {}: {} entries ({} added, {} changed, {} removed, {} unchanged)",
            diff.version_id,
            store.dir().display(),
            diff.entries,
            diff.added,
            diff.changed,
            diff.removed,
            diff.unchanged
        )?;
        if store.party_count()? > 0 {
            drop(out);
            let t = store.configured_threshold()?.unwrap_or(chiptrace_screen::DEFAULT_THRESHOLD);
            let s = store.rescreen(t, false)?;
            crate::cmd_store::committed(&format!("screening run {}", s.run.run_id));
            crate::cmd_store::print_delta(&store, &s, crate::cli::Format::Table)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn update(g: &Global, a: ListsUpdateArgs) -> anyhow::Result<ExitCode> {
    let dir = data_dir(g);
    let store = ListStore::open(&dir)
        .with_context(|| format!("opening data directory {}", dir.display()))?;
    let sources = match &a.sources {
        Some(f) => chiptrace_update::load_sources_file(f)
            .with_context(|| format!("--sources {}", f.display()))?,
        None => chiptrace_update::default_sources(),
    };
    let opts = UpdateOptions {
        timeout: Duration::from_secs(a.timeout),
        only: (!a.only.is_empty()).then(|| a.only.clone()),
        max_drop: a.max_drop,
        ..UpdateOptions::default()
    };
    if !(0.0..=1.0).contains(&opts.max_drop) {
        anyhow::bail!("--max-drop must be a fraction between 0 and 1, got {}", opts.max_drop);
    }
    let report = store.update(&sources, &opts)?;
    let mut rejected = 0;
    for o in &report.outcomes {
        match o {
            SourceOutcome::Installed { source, version, entries, previous_entries, .. } => {
                let prev = previous_entries.map(|p| format!(" (was {p})")).unwrap_or_default();
                println!("installed {source} version {version}: {entries} entries{prev}");
            }
            SourceOutcome::Unchanged { source, version } => {
                println!("unchanged {source}: version {version} is current");
            }
            SourceOutcome::Rejected { source, reason, kept_version } => {
                rejected += 1;
                let kept = kept_version
                    .as_deref()
                    .map(|v| format!("; still using version {v}"))
                    .unwrap_or_else(|| "; no version installed".into());
                eprintln!("chiptrace: rejected {source}: {reason}{kept}");
            }
        }
    }
    Ok(if rejected > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

fn status(g: &Global) -> anyhow::Result<ExitCode> {
    let dir = data_dir(g);
    let store = ListStore::open(&dir)
        .with_context(|| format!("opening data directory {}", dir.display()))?;
    let cur = store.current()?;
    if cur.is_empty() {
        println!("no lists installed in {} (run `chiptrace lists update`)", dir.display());
    }
    for v in cur {
        println!(
            "{:<16} version {:<24} {:>8} entries  installed {}  {}",
            v.id,
            v.version,
            v.entries,
            v.installed_at,
            v.dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
