//! Loading what the user points at: list files (through `chiptrace-lists`)
//! and party CSV files, with errors that name the file and line.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chiptrace_lists::{CustomCsvMapping, EntitySchema, LoadOptions, LoadReport};
use chiptrace_screen::Query;

use crate::cli::{Global, ListSource};

/// Longest accepted party name, in bytes. Longer names are bad rows: no
/// legitimate party name is 4 KiB, and unbounded inputs cost unbounded time.
pub(crate) const MAX_NAME_BYTES: usize = 4096;

/// The data directory: flag/env, else XDG data home, else ~/.local/share.
pub(crate) fn data_dir(g: &Global) -> PathBuf {
    if let Some(d) = &g.data_dir {
        return d.clone();
    }
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|x| !x.is_empty()) {
        return PathBuf::from(x).join("chiptrace");
    }
    if let Some(h) = std::env::var_os("HOME").filter(|x| !x.is_empty()) {
        return PathBuf::from(h).join(".local/share/chiptrace");
    }
    PathBuf::from(".chiptrace-data")
}

/// Whether lists are installed in the data directory (`lists update`):
/// commands that screen only when lists are available ask this first.
pub(crate) fn lists_installed(g: &Global) -> bool {
    chiptrace_update::ListStore::open(&data_dir(g))
        .ok()
        .and_then(|s| s.current_paths().ok())
        .is_some_and(|p| !p.is_empty())
}

/// Load the lists named on the command line (or in use in the data dir),
/// reporting bad rows on stderr.
pub(crate) fn load_lists(g: &Global, src: &ListSource) -> anyhow::Result<LoadReport> {
    let mapping = match (&src.mapping, &src.mapping_file) {
        (Some(spec), _) => Some(CustomCsvMapping::parse_spec(spec).context("--mapping")?),
        (None, Some(f)) => Some(
            CustomCsvMapping::from_toml_or_json_file(f)
                .with_context(|| format!("--mapping-file {}", f.display()))?,
        ),
        _ => None,
    };
    let opts = LoadOptions { strict: src.strict, mapping, ..LoadOptions::default() };
    let paths: Vec<PathBuf> = if src.lists.is_empty() {
        let dir = data_dir(g);
        let store = chiptrace_update::ListStore::open(&dir)
            .with_context(|| format!("opening data directory {}", dir.display()))?;
        let p = store.current_paths()?;
        if p.is_empty() {
            bail!(
                "no lists given and none installed in {}: pass --lists PATH... or run `chiptrace lists update`",
                dir.display()
            );
        }
        p
    } else {
        src.lists.clone()
    };
    let report = chiptrace_lists::load_paths(&paths, &opts)?;
    if !report.bad_rows.is_empty() {
        eprintln!(
            "chiptrace: warning: {} bad list row(s) skipped (use --strict to make them fatal); first: {}",
            report.bad_rows.len(),
            report.bad_rows[0]
        );
    }
    if report.entries.is_empty() {
        bail!(
            "the lists given hold no entries: {}",
            paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        );
    }
    Ok(report)
}

/// Parse a `--schema` value.
pub(crate) fn parse_schema(s: &str) -> anyhow::Result<EntitySchema> {
    EntitySchema::parse(s).with_context(|| {
        format!("unknown schema {s:?}: use Person, Company, Organization, LegalEntity, Vessel or Aircraft")
    })
}

/// Normalise a country given as ISO code or name to an ISO alpha-2 code.
pub(crate) fn parse_country(s: &str) -> anyhow::Result<String> {
    let t = s.trim();
    chiptrace_text::country_code(t).map(str::to_string).with_context(|| {
        format!("unknown country {t:?}: use an ISO 3166 code such as CN, HK, SG, MY, AE")
    })
}

/// A party row that could not be used.
pub(crate) struct BadQuery {
    /// What was wrong, naming file and line.
    pub message: String,
}

/// Read a parties CSV: `id,name` and optional `schema,country,address,dob`
/// (header required; column order free; unknown columns are reported once and ignored).
pub(crate) fn read_queries(
    path: &Path,
    strict: bool,
    report_unknown: bool,
) -> anyhow::Result<(Vec<Query>, Vec<BadQuery>)> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(std::io::BufReader::new(file));
    let headers = rdr
        .byte_headers()
        .with_context(|| format!("{}: cannot read the header line", path.display()))?
        .clone();
    let col = |name: &str| {
        headers.iter().position(|h| {
            let h = String::from_utf8_lossy(h);
            h.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case(name)
        })
    };
    let Some(name_col) = col("name") else {
        bail!(
            "{}:1: the header has no `name` column (expected id,name[,schema,country,address,dob])",
            path.display()
        );
    };
    let (id_col, schema_col, country_col, address_col, dob_col) =
        (col("id"), col("schema"), col("country"), col("address"), col("dob"));
    let known = ["id", "name", "schema", "country", "address", "dob"];
    let unknown: Vec<String> = headers
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().trim_start_matches('\u{feff}').to_string())
        .filter(|h| !known.iter().any(|k| k.eq_ignore_ascii_case(h)))
        .collect();
    if report_unknown && !unknown.is_empty() {
        eprintln!(
            "chiptrace: note: {}: ignoring unknown column(s): {}",
            path.display(),
            unknown.join(", ")
        );
    }
    let mut out = Vec::new();
    let mut bad = Vec::new();
    let mut rec = csv::ByteRecord::new();
    loop {
        let line = rdr.position().line();
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            // With byte records and flexible rows the reader only fails on
            // I/O, which would repeat: stop with the position.
            Err(e) => bail!("{}:{}: {}", path.display(), line, e),
        }
        let line = rec.position().map(|p| p.line()).unwrap_or(line);
        let field = |i: Option<usize>| -> anyhow::Result<Option<String>> {
            let Some(i) = i else { return Ok(None) };
            let Some(b) = rec.get(i) else { return Ok(None) };
            let s = std::str::from_utf8(b).map(str::to_string).map_err(|_| {
                anyhow::anyhow!("{}:{}: column {} is not valid UTF-8", path.display(), line, i + 1)
            })?;
            let s = s.trim().to_string();
            Ok((!s.is_empty()).then_some(s))
        };
        let row: anyhow::Result<Query> = (|| {
            let name = field(Some(name_col))?
                .ok_or_else(|| anyhow::anyhow!("{}:{}: empty name", path.display(), line))?;
            if name.len() > MAX_NAME_BYTES {
                bail!(
                    "{}:{}: name is {} bytes, longer than the {} allowed",
                    path.display(),
                    line,
                    name.len(),
                    MAX_NAME_BYTES
                );
            }
            if !chiptrace_screen::is_screenable(&name) {
                bail!(
                    "{}:{}: name {name:?} has nothing to compare (only punctuation or stopwords)",
                    path.display(),
                    line
                );
            }
            // A bad optional field must not keep the party from being
            // screened: screen on the name without it, and say so.
            let optional = |col: Option<usize>, what: &str| -> Option<String> {
                match field(col) {
                    Ok(v) => v,
                    Err(e) => {
                        eprintln!("chiptrace: warning: {e}; screening without the {what}");
                        None
                    }
                }
            };
            let schema = optional(schema_col, "schema").and_then(|s| match parse_schema(&s) {
                Ok(x) => Some(x),
                Err(e) => {
                    eprintln!(
                        "chiptrace: warning: {}:{}: {e}; screening without a schema",
                        path.display(),
                        line
                    );
                    None
                }
            });
            let country = optional(country_col, "country").and_then(|c| match parse_country(&c) {
                Ok(x) => Some(x),
                Err(e) => {
                    eprintln!(
                        "chiptrace: warning: {}:{}: {e}; screening without a country",
                        path.display(),
                        line
                    );
                    None
                }
            });
            let id = field(id_col)?.unwrap_or_else(|| format!("line{line}"));
            Ok(Query {
                id,
                name,
                schema,
                country,
                address: optional(address_col, "address"),
                dob: optional(dob_col, "dob"),
            })
        })();
        match row {
            Ok(q) => out.push(q),
            Err(e) => {
                if strict {
                    return Err(e.context("strict mode: bad rows are fatal"));
                }
                bad.push(BadQuery { message: e.to_string() });
            }
        }
    }
    Ok((out, bad))
}

/// A progress bar on stderr, drawn only when stderr is a terminal.
pub(crate) fn progress(len: u64, what: &str) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::with_draw_target(
        Some(len),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(&format!(
        "{{spinner}} {what} [{{bar:40}}] {{pos}}/{{len}} ({{per_sec}}, eta {{eta}})"
    )) {
        pb.set_style(style);
    }
    pb
}
