//! Where list files come from: [`Source`] / [`SourceFile`], the built-in
//! official URLs ([`default_sources`]) and the JSON sources file that
//! overrides them ([`load_sources_file`]) for mirrors and tests.
//!
//! A source id becomes a directory name and a file name becomes a file name
//! inside the data directory, so both are checked strictly here: a sources
//! file must never be able to write outside `<root>/lists/<id>/`.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{FetchError, Result, UpdateError};

/// One list publication: a set of files that are downloaded, validated and
/// installed together as one version (e.g. the OFAC SDN legacy CSV set,
/// whose `alt.csv` only makes sense with the `sdn.csv` of the same day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Stable id, used as the directory name and in `--only`: lower-case
    /// ASCII letters, digits, `_` and `-` (e.g. `us_csl`, `us_ofac_sdn`).
    pub id: String,
    /// Human description (publisher, what the list is).
    #[serde(default)]
    pub description: String,
    /// The files of the publication.
    pub files: Vec<SourceFile>,
}

/// One file of a [`Source`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    /// Where to fetch it: an `http://` or `https://` URL.
    pub url: String,
    /// The plain file name to store it as (e.g. `sdn.csv`). The list loader
    /// detects some formats by name, so it matters.
    pub file_name: String,
    /// When false, a 404/410 answer skips the file (the publisher does not
    /// always publish every companion file). Any other failure still
    /// rejects the source.
    #[serde(default = "default_required")]
    pub required: bool,
}

fn default_required() -> bool {
    true
}

impl SourceFile {
    fn new(url: &str, file_name: &str, required: bool) -> SourceFile {
        SourceFile { url: url.to_owned(), file_name: file_name.to_owned(), required }
    }
}

/// Base of OFAC's Sanctions List Service exports. The legacy CSV files are
/// published here under upper-case names; the old
/// `www.treasury.gov/ofac/downloads/*.csv` URLs redirect to this service.
const OFAC_EXPORTS: &str =
    "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports";

/// The official public URLs of the lists chiptrace screens against. Each is
/// documented, with where it is published, in `docs/list-updates.md`.
///
/// | id | publisher | files |
/// |---|---|---|
/// | `us_csl` | US Commerce/ITA, trade.gov Consolidated Screening List | `consolidated.csv` |
/// | `us_ofac_sdn` | US Treasury OFAC, SDN list (legacy CSV) | `sdn.csv` (+ `add.csv`, `alt.csv`, `sdn_comments.csv`) |
/// | `us_ofac_cons` | US Treasury OFAC, consolidated non-SDN list (legacy CSV) | `cons_prim.csv` (+ `cons_add.csv`, `cons_alt.csv`, `cons_comments.csv`) |
/// | `un_sc` | UN Security Council consolidated list | `consolidated.xml` |
pub fn default_sources() -> Vec<Source> {
    let ofac = |name: &str| format!("{OFAC_EXPORTS}/{name}");
    vec![
        Source {
            id: "us_csl".into(),
            description: "trade.gov Consolidated Screening List (Commerce: Entity List, DPL, UVL, \
                          MEU; State: ISN, DTC; Treasury: SDN and non-SDN lists)"
                .into(),
            files: vec![SourceFile::new(
                "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
                "consolidated.csv",
                true,
            )],
        },
        Source {
            id: "us_ofac_sdn".into(),
            description: "OFAC Specially Designated Nationals and Blocked Persons list, legacy CSV"
                .into(),
            files: vec![
                SourceFile::new(&ofac("SDN.CSV"), "sdn.csv", true),
                SourceFile::new(&ofac("ADD.CSV"), "add.csv", false),
                SourceFile::new(&ofac("ALT.CSV"), "alt.csv", false),
                SourceFile::new(&ofac("SDN_COMMENTS.CSV"), "sdn_comments.csv", false),
            ],
        },
        Source {
            id: "us_ofac_cons".into(),
            description: "OFAC Consolidated (non-SDN) Sanctions List, legacy CSV".into(),
            files: vec![
                SourceFile::new(&ofac("CONS_PRIM.CSV"), "cons_prim.csv", true),
                SourceFile::new(&ofac("CONS_ADD.CSV"), "cons_add.csv", false),
                SourceFile::new(&ofac("CONS_ALT.CSV"), "cons_alt.csv", false),
                SourceFile::new(&ofac("CONS_COMMENTS.CSV"), "cons_comments.csv", false),
            ],
        },
        Source {
            id: "un_sc".into(),
            description: "UN Security Council Consolidated List, XML".into(),
            files: vec![SourceFile::new(
                "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
                "consolidated.xml",
                true,
            )],
        },
    ]
}

/// The two shapes a sources file may have: `{"sources": [...]}` (preferred,
/// leaves room for more keys) or a bare array of sources.
#[derive(Deserialize)]
#[serde(untagged)]
enum SourcesFile {
    Wrapped { sources: Vec<Source> },
    Bare(Vec<Source>),
}

/// Read a JSON sources file that replaces [`default_sources`], e.g. to
/// point at an internal mirror on an air-gapped network, or at a test
/// server.
///
/// ```json
/// {"sources": [
///   {"id": "us_ofac_sdn", "description": "SDN via mirror",
///    "files": [{"url": "https://mirror.example/ofac/sdn.csv", "file_name": "sdn.csv", "required": true},
///              {"url": "https://mirror.example/ofac/alt.csv", "file_name": "alt.csv", "required": false}]}
/// ]}
/// ```
///
/// `required` defaults to `true`. The result is validated with
/// [`validate_sources`]; `file://` and other non-http(s) URLs are rejected
/// here (use [`crate::ListStore::install_local`] for local files).
pub fn load_sources_file(path: &Path) -> Result<Vec<Source>> {
    let text = std::fs::read_to_string(path).map_err(|e| UpdateError::SourcesFile {
        path: path.to_owned(),
        message: format!("cannot read: {e}"),
    })?;
    let parsed: SourcesFile =
        serde_json::from_str(&text).map_err(|e| UpdateError::SourcesFile {
            path: path.to_owned(),
            message: format!(
                "not a valid sources file ({e}); expected {{\"sources\": [{{\"id\", \"files\": \
             [{{\"url\", \"file_name\", \"required\"}}]}}]}}"
            ),
        })?;
    let sources = match parsed {
        SourcesFile::Wrapped { sources } | SourcesFile::Bare(sources) => sources,
    };
    if sources.is_empty() {
        return Err(UpdateError::SourcesFile {
            path: path.to_owned(),
            message: "defines no source".into(),
        });
    }
    validate_sources(&sources)?;
    Ok(sources)
}

/// Check source definitions: valid unique ids, at least one file, plain
/// unique file names, http(s) URLs, at least one required file.
pub fn validate_sources(sources: &[Source]) -> Result<()> {
    let mut ids = BTreeSet::new();
    for source in sources {
        validate_source_id(&source.id)?;
        if !ids.insert(source.id.as_str()) {
            return Err(invalid(&source.id, "defined twice"));
        }
        if source.files.is_empty() {
            return Err(invalid(&source.id, "has no files"));
        }
        if !source.files.iter().any(|f| f.required) {
            // With only optional files, a publisher-side outage (all 404)
            // would look like "nothing to install" instead of a failure.
            return Err(invalid(&source.id, "needs at least one required file"));
        }
        let mut names = BTreeSet::new();
        for file in &source.files {
            validate_file_name(&file.file_name).map_err(|m| invalid(&source.id, &m))?;
            if !names.insert(file.file_name.to_ascii_lowercase()) {
                return Err(invalid(
                    &source.id,
                    &format!("file name {:?} used twice", file.file_name),
                ));
            }
            check_http_url(&file.url).map_err(|e| invalid(&source.id, &e.to_string()))?;
        }
    }
    Ok(())
}

fn invalid(id: &str, message: &str) -> UpdateError {
    UpdateError::InvalidSource { id: id.to_owned(), message: message.to_owned() }
}

/// A source id is used as a directory name: keep it to a portable,
/// traversal-proof alphabet.
pub(crate) fn validate_source_id(id: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        && !id.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(invalid(
            id,
            "ids must be 1-64 characters of a-z, 0-9, '_' or '-' (not starting with '-')",
        ))
    }
}

/// A file name must be a single plain path component; it must not clash
/// with the store's own bookkeeping or be hidden (hidden names are how the
/// store marks temporary files).
pub(crate) fn validate_file_name(name: &str) -> std::result::Result<(), String> {
    let plain = !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && name != "manifest.json"
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if plain {
        Ok(())
    } else {
        Err(format!(
            "file name {name:?} must be a plain name of ASCII letters, digits, '.', '_' or '-', \
             not hidden and not \"manifest.json\""
        ))
    }
}

/// Accept only `http://host...` and `https://host...` URLs.
pub(crate) fn check_http_url(url: &str) -> std::result::Result<(), FetchError> {
    match url_scheme(url) {
        Some(s) if (s == "http" || s == "https") && has_host(url) => Ok(()),
        _ => Err(FetchError::UnsupportedScheme { url: url.to_owned() }),
    }
}

/// The lower-cased scheme of an absolute URL, if it has one.
pub(crate) fn url_scheme(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (first_ok && rest_ok).then(|| scheme.to_ascii_lowercase())
}

fn has_host(url: &str) -> bool {
    url.split_once("://")
        .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""))
        .is_some_and(|authority| !authority.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        let sources = default_sources();
        validate_sources(&sources).expect("default sources validate");
        let ids: Vec<_> = sources.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["us_csl", "us_ofac_sdn", "us_ofac_cons", "un_sc"]);
        assert!(sources.iter().flat_map(|s| &s.files).all(|f| f.url.starts_with("https://")));
    }

    #[test]
    fn schemes() {
        assert!(check_http_url("http://127.0.0.1:8080/sdn.csv").is_ok());
        assert!(check_http_url("HTTPS://example.org").is_ok());
        for bad in
            ["file:///etc/passwd", "ftp://x/y", "/tmp/sdn.csv", "http://", "https:///x", "sdn.csv"]
        {
            let err = check_http_url(bad).expect_err(bad);
            assert!(err.to_string().contains("only http:// and https://"), "{bad}: {err}");
        }
    }

    #[test]
    fn ids_and_names() {
        assert!(validate_source_id("us_ofac_sdn").is_ok());
        for bad in ["", "../x", "US", "a/b", "-x", "a b"] {
            assert!(validate_source_id(bad).is_err(), "{bad}");
        }
        assert!(validate_file_name("sdn_comments.csv").is_ok());
        for bad in ["", "..", ".hidden", "a/b", "a\\b", "manifest.json", "x y"] {
            assert!(validate_file_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sources_file_shapes_and_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.json");
        let one = r#"{"id":"x","files":[{"url":"http://h/a.csv","file_name":"a.csv"}]}"#;
        std::fs::write(&path, format!(r#"{{"sources":[{one}]}}"#)).expect("write");
        let s = load_sources_file(&path).expect("wrapped");
        assert!(s[0].files[0].required, "required defaults to true");
        std::fs::write(&path, format!("[{one}]")).expect("write");
        assert_eq!(load_sources_file(&path).expect("bare").len(), 1);

        std::fs::write(
            &path,
            r#"[{"id":"x","files":[{"url":"file:///etc/passwd","file_name":"a.csv"}]}]"#,
        )
        .expect("write");
        let err = load_sources_file(&path).expect_err("file url");
        assert!(err.to_string().contains("file:///etc/passwd"), "{err}");
        assert!(err.to_string().contains("only http:// and https://"), "{err}");

        std::fs::write(
            &path,
            r#"[{"id":"x","files":[{"url":"http://h/a","file_name":"../a.csv"}]}]"#,
        )
        .expect("write");
        assert!(load_sources_file(&path).is_err());
        std::fs::write(&path, "{not json").expect("write");
        let err = load_sources_file(&path).expect_err("garbage");
        assert!(err.is_user_error());
    }
}
