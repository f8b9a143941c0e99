//! `chiptrace screen` and `chiptrace score-pairs`.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use chiptrace_lists::EntitySchema;
use chiptrace_screen::{DEFAULT_THRESHOLD, Hit, Index, Query, ScreenOptions};

use crate::cli::{Format, Global, ScorePairsArgs, ScreenArgs};
use crate::input::{
    MAX_NAME_BYTES, load_lists, parse_country, parse_schema, progress, read_queries,
};

fn threshold(t: Option<f64>) -> anyhow::Result<f64> {
    let t = t.unwrap_or(DEFAULT_THRESHOLD);
    if !(0.0..=1.0).contains(&t) {
        bail!("--threshold must be between 0 and 1, got {t}");
    }
    Ok(t)
}

pub(crate) fn screen(g: &Global, mut a: ScreenArgs) -> anyhow::Result<ExitCode> {
    // `--lists` takes several values, so in `screen --lists A B "Some Name"`
    // clap hands the name to `--lists`. The contract puts NAME last: when no
    // name and no --input were given, a last --lists value that is not an
    // existing path is the name.
    if a.name.is_none()
        && a.input.is_none()
        && a.source.lists.len() > 1
        && let Some(last) = a.source.lists.last().filter(|p| !p.exists())
    {
        a.name = Some(last.to_string_lossy().into_owned());
        a.source.lists.pop();
    }
    let opts = ScreenOptions { threshold: threshold(a.threshold)?, top: usize::from(a.top) };
    if a.input.is_none() && a.name.is_none() {
        bail!("give a NAME to screen, or --input FILE.csv --output RESULTS.csv");
    }
    if let Some(n) = &a.name {
        if n.trim().is_empty() {
            bail!("the name to screen is empty");
        }
        if n.len() > MAX_NAME_BYTES {
            bail!("the name is {} bytes, longer than the {} allowed", n.len(), MAX_NAME_BYTES);
        }
        if !chiptrace_screen::is_screenable(n) {
            bail!("the name {n:?} has nothing to compare (only punctuation or stopwords)");
        }
    }
    let t0 = Instant::now();
    let report = load_lists(g, &a.source)?;
    let report_files: Vec<(String, String)> =
        report.files.iter().map(|f| (f.path.display().to_string(), f.sha256.clone())).collect();
    let index = Index::build(report.entries);
    let build = t0.elapsed();
    let mut record = Vec::new();
    let mut screened = 1u64;
    let any_hit = if let (Some(input), Some(output)) = (&a.input, &a.output) {
        let (any, n) = batch(&index, input, output, &opts, a.source.strict, build, &mut record)?;
        screened = n;
        any
    } else {
        let name = a.name.clone().unwrap_or_default();
        let q = Query {
            id: "query".into(),
            name,
            schema: a.schema.as_deref().map(parse_schema).transpose()?,
            country: a.country.as_deref().map(parse_country).transpose()?,
            address: a.address.clone(),
            dob: a.dob.clone(),
        };
        let hits = index.screen(&q, &opts);
        print_hits(&index, &q, &hits, a.format)?;
        for h in &hits {
            let e = &index.entries()[h.entry];
            record.push((
                q.name.clone(),
                chiptrace_store::entry_key(&e.list, &e.id),
                h.score,
                h.matched_name.clone(),
            ));
        }
        !hits.is_empty()
    };
    // with a data directory in use, the run and its hits are recorded
    if let Some(mut store) = crate::cmd_store::in_use(g)? {
        let files: Vec<serde_json::Value> = report_files
            .iter()
            .map(|(p, sha)| serde_json::json!({"path": p, "sha256": sha}))
            .collect();
        let run = store.record_adhoc_screen(
            screened,
            opts.threshold,
            serde_json::Value::Array(files),
            &record,
        )?;
        crate::cmd_store::committed(&format!(
            "screening run {run} recorded in {}",
            store.dir().display()
        ));
    }
    Ok(if any_hit && a.fail_on_hit { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn print_hits(index: &Index, q: &Query, hits: &[Hit], format: Format) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            let v: Vec<serde_json::Value> = hits
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    let e = &index.entries()[h.entry];
                    serde_json::json!({
                        "rank": i + 1,
                        "score": h.score,
                        "list": e.list,
                        "entry_id": e.id,
                        "entry_name": e.primary_name(),
                        "matched_name": h.matched_name,
                        "schema": e.schema.as_str(),
                        "countries": e.countries,
                        "federal_register": e.federal_register,
                        "license_requirement": e.license_requirement,
                        "explanation": h.explanation,
                    })
                })
                .collect();
            let doc = serde_json::json!({"query": {"name": q.name, "schema": q.schema.map(|s| s.as_str()), "country": q.country}, "hits": v});
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        Format::Table => {
            if hits.is_empty() {
                writeln!(out, "no hits at or above the threshold for {:?}", q.name)?;
            }
            for (i, h) in hits.iter().enumerate() {
                let e = &index.entries()[h.entry];
                writeln!(
                    out,
                    "{:>2}. {:.3}  {:<8} {}  [{}]",
                    i + 1,
                    h.score,
                    h.explanation.band,
                    e.primary_name(),
                    e.list
                )?;
                if h.matched_name != e.primary_name() {
                    writeln!(
                        out,
                        "      matched {} {:?}",
                        h.explanation.matched_name_kind, h.matched_name
                    )?;
                }
                let toks: Vec<String> = h
                    .explanation
                    .name
                    .tokens
                    .iter()
                    .map(|t| {
                        format!(
                            "{}~{} ({})",
                            t.query,
                            t.listed,
                            serde_json::to_value(t.how)
                                .map(|v| v.to_string())
                                .unwrap_or_default()
                                .trim_matches('"')
                        )
                    })
                    .collect();
                writeln!(out, "      tokens: {}", toks.join(", "))?;
                if !h.explanation.name.unmatched_query.is_empty() {
                    writeln!(
                        out,
                        "      unmatched in query: {}",
                        h.explanation.name.unmatched_query.join(" ")
                    )?;
                }
                for qf in &h.explanation.qualifiers {
                    writeln!(out, "      {} {:+.2}: {}", qf.feature, qf.delta, qf.detail)?;
                }
                if let Some(fr) = &e.federal_register {
                    writeln!(out, "      Federal Register: {fr}")?;
                }
                if let Some(lr) = &e.license_requirement {
                    writeln!(out, "      license requirement: {lr}")?;
                }
                writeln!(out, "      entry id: {}  countries: {}", e.id, e.countries.join(","))?;
            }
        }
    }
    Ok(())
}

fn batch(
    index: &Index,
    input: &std::path::Path,
    output: &std::path::Path,
    opts: &ScreenOptions,
    strict: bool,
    build: std::time::Duration,
    record: &mut Vec<(String, String, f64, String)>,
) -> anyhow::Result<(bool, u64)> {
    let (queries, bad) = read_queries(input, strict, true)?;
    for b in bad.iter().take(10) {
        eprintln!("chiptrace: warning: skipped {}", b.message);
    }
    if bad.len() > 10 {
        eprintln!("chiptrace: warning: ... and {} more bad rows", bad.len() - 10);
    }
    let file = std::fs::File::create(output)
        .with_context(|| format!("cannot create {}", output.display()))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
    w.write_record([
        "id",
        "rank",
        "score",
        "list",
        "entry_id",
        "matched_name",
        "entry_name",
        "explanation",
    ])?;
    let pb = progress(queries.len() as u64, "screening");
    let t0 = Instant::now();
    let mut hits_total = 0usize;
    let mut parties_hit = 0usize;
    for chunk in queries.chunks(8192) {
        let results = index.screen_batch(chunk, opts);
        for (q, hits) in chunk.iter().zip(results) {
            if !hits.is_empty() {
                parties_hit += 1;
            }
            for (rank, h) in hits.iter().enumerate() {
                let e = &index.entries()[h.entry];
                let expl = serde_json::to_string(&h.explanation)?;
                w.write_record([
                    q.id.as_str(),
                    &(rank + 1).to_string(),
                    &format!("{:.4}", h.score),
                    &e.list,
                    &e.id,
                    &h.matched_name,
                    e.primary_name(),
                    &expl,
                ])?;
                hits_total += 1;
                record.push((
                    q.id.clone(),
                    chiptrace_store::entry_key(&e.list, &e.id),
                    h.score,
                    h.matched_name.clone(),
                ));
            }
        }
        pb.inc(chunk.len() as u64);
    }
    pb.finish_and_clear();
    w.flush().with_context(|| format!("writing {}", output.display()))?;
    let secs = t0.elapsed().as_secs_f64();
    eprintln!(
        "chiptrace: screened {} parties ({} bad rows skipped) against {} entries / {} names in {:.2}s ({:.0}/s; index built in {:.2}s): {} hits on {} parties -> {}",
        queries.len(),
        bad.len(),
        index.len(),
        index.name_count(),
        secs,
        queries.len() as f64 / secs.max(1e-9),
        build.as_secs_f64(),
        hits_total,
        parties_hit,
        output.display()
    );
    // A party that could not be screened cannot be cleared either: for
    // --fail-on-hit it counts like a hit.
    Ok((hits_total > 0 || !bad.is_empty(), queries.len() as u64))
}

pub(crate) fn score_pairs(a: ScorePairsArgs) -> anyhow::Result<ExitCode> {
    let thr = threshold(a.threshold)?;
    let file = std::fs::File::open(&a.input)
        .with_context(|| format!("cannot open {}", a.input.display()))?;
    let mut rdr =
        csv::ReaderBuilder::new().flexible(true).from_reader(std::io::BufReader::new(file));
    let headers = rdr
        .headers()
        .with_context(|| format!("{}:1: cannot read the header", a.input.display()))?
        .clone();
    let col = |n: &str| {
        headers.iter().position(|h| h.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case(n))
    };
    let (Some(c1), Some(c2)) = (col("name1"), col("name2")) else {
        bail!(
            "{}:1: the header needs columns name1 and name2 (and optionally schema)",
            a.input.display()
        );
    };
    let cs = col("schema");
    let mut rows = Vec::new();
    for r in rdr.records() {
        // The reader's own position: right even when quoted fields span lines.
        let r = r.map_err(|e| {
            let at = e.position().map(|p| p.line().to_string()).unwrap_or_else(|| "?".into());
            anyhow::anyhow!("{}:{}: bad CSV row: {e}", a.input.display(), at)
        })?;
        let line = r.position().map_or(0, |p| p.line());
        let get = |c: usize| r.get(c).unwrap_or("").to_string();
        let schema: Option<EntitySchema> = match cs.map(get).filter(|s| !s.trim().is_empty()) {
            Some(s) => {
                Some(parse_schema(&s).with_context(|| format!("{}:{}", a.input.display(), line))?)
            }
            None => None,
        };
        let (n1, n2) = (get(c1), get(c2));
        if n1.len() > MAX_NAME_BYTES || n2.len() > MAX_NAME_BYTES {
            bail!("{}:{}: a name is longer than {} bytes", a.input.display(), line, MAX_NAME_BYTES);
        }
        rows.push((r, schema, n1, n2));
    }
    use rayon::prelude::*;
    let scores: Vec<chiptrace_screen::PairScore> =
        rows.par_iter().map(|(_, s, n1, n2)| chiptrace_screen::score_pair(*s, n1, n2)).collect();
    let file = std::fs::File::create(&a.output)
        .with_context(|| format!("cannot create {}", a.output.display()))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
    let mut h: Vec<String> = headers.iter().map(str::to_string).collect();
    h.push("score".into());
    h.push("match".into());
    if a.explain {
        h.push("explanation".into());
    }
    w.write_record(&h)?;
    for ((r, _, _, _), ps) in rows.iter().zip(scores) {
        let s = ps.score;
        let mut v: Vec<String> = r.iter().map(str::to_string).collect();
        v.resize(headers.len(), String::new());
        v.push(format!("{s:.4}"));
        v.push((s >= thr).to_string());
        if a.explain {
            v.push(serde_json::to_string(&ps.explanation)?);
        }
        w.write_record(&v)?;
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}
