//! `chiptrace classify` and `chiptrace decide`: thin wrappers over
//! `chiptrace-rules` and `chiptrace-license` (docs/classification.md,
//! docs/license-determination.md).

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, bail};
use chiptrace_license::{Decision, HitStrength, ListHit, Transaction};
use chiptrace_rules::{Catalog, ChipSpec, Classification, Date, RuleSet};
use chiptrace_screen::{Index, Query, ScreenOptions};

use crate::cli::{ClassifyArgs, DecideArgs, Format, Global, ListSource};
use crate::input::load_lists;

/// Largest spec / transaction file read (bytes).
const MAX_FILE: u64 = chiptrace_license::MAX_INPUT_BYTES as u64;

fn today() -> Date {
    jiff::Zoned::now().date()
}

fn date_arg(d: Option<&str>) -> anyhow::Result<Option<Date>> {
    d.map(|s| chiptrace_rules::parse_date("--date", s)).transpose().map_err(Into::into)
}

fn read_bounded(path: &std::path::Path) -> anyhow::Result<String> {
    let meta = std::fs::metadata(path).with_context(|| format!("{}", path.display()))?;
    if meta.len() > MAX_FILE {
        bail!(
            "{}: file is {} bytes, larger than the {} allowed",
            path.display(),
            meta.len(),
            MAX_FILE
        );
    }
    let bytes = std::fs::read(path).with_context(|| format!("{}", path.display()))?;
    String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("{}: not UTF-8 text ({e})", path.display()))
}

fn load() -> anyhow::Result<(RuleSet, Catalog)> {
    Ok((
        RuleSet::embedded().context("embedded rule data")?,
        Catalog::embedded().context("embedded chip catalog")?,
    ))
}

pub(crate) fn classify(g: &Global, a: ClassifyArgs) -> anyhow::Result<ExitCode> {
    let (rules, catalog) = load()?;
    let date = date_arg(a.date.as_deref())?.unwrap_or_else(today);
    let mut out = std::io::stdout().lock();
    if a.list_chips {
        writeln!(
            out,
            "{:<34} {:<14} {:<44} {:<10} sources",
            "id", "vendor", "model", "datacenter"
        )?;
        for e in catalog.entries() {
            writeln!(
                out,
                "{:<34} {:<14} {:<44} {:<10} {}",
                e.id,
                e.vendor,
                e.model,
                e.datacenter.name(),
                e.sources
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let specs: Vec<ChipSpec> = if a.all {
        catalog.entries().iter().map(|e| catalog.spec(e)).collect::<Result<_, _>>()?
    } else if let Some(name) = &a.chip {
        vec![catalog.spec_for(name)?]
    } else if let Some(p) = &a.spec {
        let text = read_bounded(p)?;
        let resolve = |n: &str| catalog.spec_for(n);
        vec![ChipSpec::from_json(&text, &resolve).with_context(|| format!("{}", p.display()))?]
    } else {
        bail!("give --chip MODEL, --spec SPEC.json, --all or --list-chips");
    };
    let results: Vec<Classification> = specs
        .iter()
        .map(|s| chiptrace_rules::classify(&rules, s, date))
        .collect::<Result<_, _>>()?;
    if let Some(mut store) = crate::cmd_store::in_use(g)? {
        for (s, c) in specs.iter().zip(&results) {
            let input = serde_json::json!({"spec": s, "date": date.to_string()});
            let output = serde_json::to_value(c)?;
            let id = store.record_decision("classify", &c.item, &input, &output)?;
            crate::cmd_store::committed(&format!("classification {id} ({})", c.item));
        }
    }
    match a.format {
        Format::Json => {
            if a.all {
                serde_json::to_writer_pretty(&mut out, &results)?;
            } else {
                serde_json::to_writer_pretty(&mut out, &results[0])?;
            }
            writeln!(out)?;
        }
        Format::Table if a.all => {
            writeln!(out, "Classification on {date} (rule version {})", results[0].rule_version)?;
            writeln!(
                out,
                "{:<44} {:>10} {:>9}  {:<15} {:<12} NAC/ACA",
                "item", "TPP", "PD", "classification", "paragraph"
            )?;
            for c in &results {
                writeln!(
                    out,
                    "{:<44} {:>10} {:>9}  {:<15} {:<12} {}",
                    c.item,
                    c.tpp.map_or("-".into(), |t| t.normalize().to_string()),
                    pd2(c),
                    c.classification.name(),
                    c.paragraph.clone().unwrap_or_default(),
                    match c.nac_aca_eligible {
                        Some(true) => "eligible",
                        Some(false) => "no",
                        None => "-",
                    }
                )?;
            }
        }
        Format::Table => print_classification(&mut out, &results[0])?,
    }
    Ok(ExitCode::SUCCESS)
}

/// PD to 2 decimals from the exact TPP and area (not from the 4-decimal
/// display value, which would round twice).
fn pd2(c: &Classification) -> String {
    match (c.tpp, c.die_area_mm2, c.performance_density) {
        (Some(t), Some(a), Some(_)) if !a.is_zero() => (t / a).round_dp(2).to_string(),
        _ => "-".into(),
    }
}

fn print_classification(out: &mut impl Write, c: &Classification) -> anyhow::Result<()> {
    writeln!(
        out,
        "{} on {} (rule version {}: {})",
        c.item, c.date, c.rule_version, c.rule_citation
    )?;
    if let Some(t) = &c.test_citation {
        writeln!(out, "  test applied: {t}")?;
    }
    let pd = pd2(c);
    writeln!(
        out,
        "  TPP {}   performance density {}   die area {}",
        c.tpp.map_or("-".into(), |t| t.normalize().to_string()),
        pd,
        c.die_area_mm2.map_or("-".into(), |a| format!("{} mm²", a.normalize()))
    )?;
    let mut line = format!("  classification: {}", c.classification.name());
    if let Some(p) = &c.paragraph {
        line.push_str(&format!("  paragraph {p}"));
    }
    if let Some(e) = &c.eccn {
        line.push_str(&format!("  ECCN {e}"));
    }
    if let Some(n) = c.nac_aca_eligible {
        line.push_str(if n {
            "  (NAC/ACA-eligible)"
        } else {
            "  (not NAC/ACA-eligible: datacenter .a)"
        });
    }
    writeln!(out, "{line}")?;
    if !c.missing.is_empty() {
        writeln!(out, "  missing: {}", c.missing.join(", "))?;
        let poss: Vec<&str> = c.possible.iter().map(|o| o.name()).collect();
        writeln!(out, "  possible: {}", poss.join(", "))?;
    }
    if let Some(bs) = &c.branches {
        for b in bs {
            writeln!(
                out,
                "  if datacenter={}: {} {}{}",
                b.datacenter.name(),
                b.classification.name(),
                b.paragraph.clone().unwrap_or_default(),
                match b.nac_aca_eligible {
                    Some(true) => " (NAC/ACA-eligible)",
                    Some(false) => " (not NAC/ACA-eligible)",
                    None => "",
                }
            )?;
        }
    }
    for o in &c.overlays {
        writeln!(out, "  overlay {}: {} — {}", o.id, o.result, o.check)?;
    }
    for w in &c.warnings {
        writeln!(out, "  warning: {w}")?;
    }
    writeln!(out, "  trace:")?;
    for s in &c.trace {
        writeln!(out, "    - {} [{}] {}", s.rule, s.evidence.label(), s.citation)?;
        writeln!(out, "      {} => {}", s.check, s.outcome)?;
    }
    Ok(())
}

pub(crate) fn decide(g: &Global, a: DecideArgs) -> anyhow::Result<ExitCode> {
    let (rules, catalog) = load()?;
    let text = read_bounded(&a.input)?;
    let resolve = |n: &str| catalog.spec_for(n);
    let mut tx = Transaction::from_json(&text, &resolve)
        .with_context(|| format!("{}", a.input.display()))?;
    let date = match date_arg(a.date.as_deref())? {
        Some(d) => {
            tx.date = Some(d);
            d
        }
        None => tx.date.unwrap_or_else(today),
    };
    let mut notes = Vec::new();
    screen_parties(g, &a.source, &mut tx, a.threshold, &mut notes)?;
    let mut d: Decision = chiptrace_license::decide(&rules, &tx, date)?;
    d.warnings.extend(notes);
    if let Some(mut store) = crate::cmd_store::in_use(g)? {
        let raw: serde_json::Value = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
        let input = serde_json::json!({"transaction": raw, "date": date.to_string(), "screened": tx.parties});
        let id =
            store.record_decision("decide", &d.transaction, &input, &serde_json::to_value(&d)?)?;
        crate::cmd_store::committed(&format!("decision {id} ({})", d.transaction));
    }
    let mut out = std::io::stdout().lock();
    match a.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &d)?;
            writeln!(out)?;
        }
        Format::Table => print_decision(&mut out, &d)?,
    }
    let fail = a.fail_on_license && d.license_required != chiptrace_license::Answer::No;
    Ok(if fail { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Screen every party (and owner) against the lists and add the hits.
fn screen_parties(
    g: &Global,
    src: &ListSource,
    tx: &mut Transaction,
    threshold: Option<f64>,
    notes: &mut Vec<String>,
) -> anyhow::Result<()> {
    let explicit = !src.lists.is_empty();
    if !explicit && !crate::input::lists_installed(g) {
        notes.push(
            "parties were not screened: no --lists given and no lists installed (chiptrace lists update); only list_hits in the input were used"
                .into(),
        );
        return Ok(());
    }
    let report = load_lists(g, src)?;
    let index = Index::build(report.entries);
    let threshold = threshold.unwrap_or(chiptrace_screen::DEFAULT_THRESHOLD);
    if !(0.0..=1.0).contains(&threshold) {
        bail!("--threshold must be between 0 and 1");
    }
    let n = add_list_hits(&index, tx, threshold);
    notes.push(format!(
        "parties screened against {} list entries (threshold {threshold:.2}; strong at {:.2}): {n} hit(s) added",
        index.len(),
        chiptrace_screen::STRONG_THRESHOLD
    ));
    Ok(())
}

/// Screen every party and owner of `tx` against `index` and add the hits
/// (strong at or above the strong threshold, potential below). Returns the
/// number of hits added.
pub(crate) fn add_list_hits(index: &Index, tx: &mut Transaction, threshold: f64) -> usize {
    let opts = ScreenOptions { threshold, top: 5 };
    let to_hits = |name: &str, country: Option<&str>| -> Vec<ListHit> {
        if !chiptrace_screen::is_screenable(name) {
            return Vec::new();
        }
        let q = Query {
            id: String::new(),
            name: name.to_string(),
            schema: None,
            country: country.map(str::to_string),
            address: None,
            dob: None,
        };
        index
            .screen(&q, &opts)
            .into_iter()
            .map(|h| {
                let e = &index.entries()[h.entry];
                ListHit {
                    list: e.list.clone(),
                    entry_id: Some(e.id.clone()),
                    name: h.matched_name.clone(),
                    score: Some((h.score * 1000.0).round() / 1000.0),
                    strength: if h.score >= chiptrace_screen::STRONG_THRESHOLD {
                        HitStrength::Strong
                    } else {
                        HitStrength::Potential
                    },
                    license_requirement: e.license_requirement.clone(),
                    license_policy: e.license_policy.clone(),
                    federal_register: e.federal_register.clone(),
                }
            })
            .collect()
    };
    let mut n = 0;
    for p in &mut tx.parties {
        for h in to_hits(&p.name, Some(&p.country)) {
            if !p.list_hits.iter().any(|x| x.list == h.list && x.entry_id == h.entry_id) {
                p.list_hits.push(h);
                n += 1;
            }
        }
        for o in &mut p.owners {
            for h in to_hits(&o.name, o.country.as_deref()) {
                if !o.list_hits.iter().any(|x| x.list == h.list && x.entry_id == h.entry_id) {
                    o.list_hits.push(h);
                    n += 1;
                }
            }
        }
    }
    n
}

fn print_decision(out: &mut impl Write, d: &Decision) -> anyhow::Result<()> {
    writeln!(
        out,
        "Transaction {} on {} ({:?} to {}{}) — rule version {}",
        d.transaction,
        d.date,
        d.tx_type,
        d.destination,
        if d.destination != d.destination_treated_as {
            format!(", treated as {}", d.destination_treated_as)
        } else {
            String::new()
        },
        d.rule_version
    )?;
    writeln!(out, "  licence required: {:?}", d.license_required)?;
    writeln!(out, "  {}", d.summary)?;
    writeln!(out, "  items:")?;
    for i in &d.items {
        writeln!(
            out,
            "    - {} × {}: {} {} (TPP {}) licence {:?}",
            i.quantity,
            i.label,
            i.classification.name(),
            i.paragraph.clone().filter(|p| p != i.classification.name()).unwrap_or_default(),
            i.tpp.map_or("-".into(), |t| t.normalize().to_string()),
            i.license_required
        )?;
    }
    if !d.requirements.is_empty() {
        writeln!(out, "  requirements:")?;
        for r in &d.requirements {
            writeln!(out, "    - {} [{}] {}", r.paragraph, r.evidence.label(), r.citation)?;
            writeln!(out, "      {}", r.reason)?;
        }
    }
    if !d.exceptions.is_empty() {
        writeln!(out, "  exceptions:")?;
        for e in &d.exceptions {
            let extra = match (e.notification_days, &e.aes_code) {
                (Some(n), Some(c)) => format!(" (notify, {n}-day review; AES {c})"),
                (None, Some(c)) => format!(" (AES {c})"),
                _ => String::new(),
            };
            writeln!(out, "    - {} {}: {}{}", e.id, e.paragraph, e.status, extra)?;
            for r in &e.reasons {
                writeln!(out, "      {r}")?;
            }
        }
    }
    if let Some(r) = &d.review_policy {
        writeln!(
            out,
            "  review policy: {}{}",
            r.policy.name(),
            if r.disputed { " (sources disagree)" } else { "" }
        )?;
        for b in &r.basis {
            writeln!(out, "    - {} {}: {}", b.rule, b.policy.name(), b.citation)?;
            if let Some(x) = &b.disputed {
                writeln!(out, "      disputed: {x}")?;
            }
        }
        for c in &r.conditions {
            writeln!(out, "    condition: {c}")?;
        }
    }
    if !d.missing.is_empty() {
        writeln!(out, "  missing:")?;
        for m in &d.missing {
            writeln!(out, "    - {m}")?;
        }
    }
    for i in &d.informational {
        writeln!(out, "  info: {} — {}", i.paragraph, i.reason)?;
    }
    for w in &d.warnings {
        writeln!(out, "  warning: {w}")?;
    }
    writeln!(out, "  trace:")?;
    for s in &d.trace {
        writeln!(out, "    - {} [{}] {}", s.rule, s.evidence.label(), s.citation)?;
        writeln!(out, "      {} => {}", s.check, s.outcome)?;
    }
    Ok(())
}
