//! Shared fixtures: the real list data, a file server over it, and a
//! sources file pointing at that server.

pub mod server;

use std::path::{Path, PathBuf};

use chiptrace_update::{ListStore, Source, SourceFile, SourceOutcome, UpdateOptions};
use serde_json::json;
pub use server::{Route, TestServer};

/// The shared real list data (`shared/data/lists`), beside the repository.
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/lists");

/// The real list folder. Panics (never skips) when it is missing: without
/// it these tests would prove nothing.
pub fn data_dir() -> PathBuf {
    let p = PathBuf::from(DATA);
    assert!(
        p.join("ofac_sdn_2024-05-03/sdn.csv").is_file(),
        "shared list data not found at {} (expected shared/data/lists beside the repository); \
         these tests need the real files and must not be skipped",
        p.display()
    );
    p
}

/// URL paths of the served files.
pub const SDN: &str = "/ofac_sdn_2024-05-03/sdn.csv";
/// UN XML.
pub const UN: &str = "/un_consolidated_2026-02-27/UN_consolidated.xml";
/// CSL sample.
pub const CSL: &str = "/us_csl_format_samples/consolidated_sample_2025-06.csv";
/// Folder of the OFAC non-SDN set.
pub const CONS: &str = "/ofac_consolidated_nonsdn_2025-12";
/// Folder of the BIS JSON lists.
pub const BIS: &str = "/us_restricted_party_lists_2026-07";

/// A test environment: a server over the real data and a data root.
pub struct Env {
    /// The server.
    pub server: TestServer,
    /// Temp dir holding the data root, the sources file and generated files.
    pub tmp: tempfile::TempDir,
    /// The store.
    pub store: ListStore,
}

impl Env {
    /// Start a server and open an empty store.
    pub fn new() -> Env {
        let server = TestServer::start(&data_dir());
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = ListStore::open(&tmp.path().join("data")).expect("open store");
        Env { server, tmp, store }
    }

    /// The data root.
    pub fn root(&self) -> PathBuf {
        self.tmp.path().join("data")
    }

    /// The five test sources, pointing at this server.
    pub fn sources(&self) -> Vec<Source> {
        let f = |path: &str, name: &str, required: bool| SourceFile {
            url: self.server.url(path),
            file_name: name.to_owned(),
            required,
        };
        vec![
            Source {
                id: "us_ofac_sdn".into(),
                description: "SDN 2024-05-03".into(),
                files: vec![
                    f(SDN, "sdn.csv", true),
                    // Not in the shared data: the server answers 404.
                    f("/ofac_sdn_2024-05-03/add.csv", "add.csv", false),
                    f("/ofac_sdn_2024-05-03/alt.csv", "alt.csv", false),
                    f("/ofac_sdn_2024-05-03/sdn_comments.csv", "sdn_comments.csv", false),
                ],
            },
            Source {
                id: "us_ofac_cons".into(),
                description: "OFAC non-SDN".into(),
                files: ["cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv"]
                    .iter()
                    .enumerate()
                    .map(|(i, n)| f(&format!("{CONS}/{n}"), n, i == 0))
                    .collect(),
            },
            Source {
                id: "un_sc".into(),
                description: "UN SC consolidated".into(),
                files: vec![f(UN, "consolidated.xml", true)],
            },
            Source {
                id: "us_csl".into(),
                description: "CSL sample".into(),
                files: vec![f(CSL, "consolidated.csv", true)],
            },
            Source {
                id: "us_bis".into(),
                description: "BIS lists as JSON, several files".into(),
                files: ["bis_entity_list.json", "bis_meu.json", "bis_dpl.json"]
                    .iter()
                    .map(|n| f(&format!("{BIS}/{n}"), n, true))
                    .collect(),
            },
        ]
    }

    /// Write the sources as a JSON sources file, the way the CLI gets them.
    pub fn sources_file(&self) -> PathBuf {
        let path = self.tmp.path().join("sources.json");
        let json = json!({ "sources": self.sources() });
        std::fs::write(&path, serde_json::to_vec_pretty(&json).expect("json"))
            .expect("write sources");
        path
    }

    /// Write a generated file into the temp dir and return its path.
    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        self.write_in("generated", name, bytes)
    }

    /// Write a generated file into a subdirectory of the temp dir.
    pub fn write_in(&self, subdir: &str, name: &str, bytes: &[u8]) -> PathBuf {
        let dir = self.tmp.path().join(subdir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        let p = dir.join(name);
        std::fs::write(&p, bytes).expect("write generated");
        p
    }
}

/// Options with short test timeouts.
pub fn opts(only: &[&str]) -> UpdateOptions {
    UpdateOptions {
        timeout: std::time::Duration::from_secs(2),
        only: if only.is_empty() {
            None
        } else {
            Some(only.iter().map(|s| s.to_string()).collect())
        },
        ..UpdateOptions::default()
    }
}

/// Run an update of `only` and return the single outcome.
pub fn update_one(env: &Env, id: &str, opts: &UpdateOptions) -> SourceOutcome {
    let opts = UpdateOptions { only: Some(vec![id.to_owned()]), ..opts.clone() };
    let report = env.store.update(&env.sources(), &opts).expect("update runs");
    assert_eq!(report.outcomes.len(), 1, "{:?}", report.outcomes);
    report.outcomes.into_iter().next().expect("one outcome")
}

/// The first `fraction` of the SDN records, as a valid OFAC legacy file
/// (CRLF lines, trailing 0x1A).
pub fn sdn_fraction(fraction: f64) -> Vec<u8> {
    let full = std::fs::read(data_dir().join("ofac_sdn_2024-05-03/sdn.csv")).expect("read sdn");
    let text = String::from_utf8(full).expect("sdn.csv is ASCII");
    let records: Vec<&str> = text
        .split("\r\n")
        .filter(|l| l.as_bytes().first().is_some_and(u8::is_ascii_digit))
        .collect();
    let keep = ((records.len() as f64) * fraction).round() as usize;
    let mut out = records[..keep].join("\r\n");
    out.push_str("\r\n\u{1a}");
    out.into_bytes()
}

/// Entries `chiptrace_lists` reads from a path (the tests' own independent
/// check that what is current is loadable).
pub fn load_count(path: &Path) -> usize {
    let opts = chiptrace_lists::LoadOptions::default();
    chiptrace_lists::load_path(path, &opts).expect("installed version loads").entries.len()
}

/// Unwrap an `Installed` outcome.
pub fn installed(o: &SourceOutcome) -> (String, usize, Option<usize>) {
    match o {
        SourceOutcome::Installed { version, entries, previous_entries, .. } => {
            (version.clone(), *entries, *previous_entries)
        }
        other => panic!("expected Installed, got {other}"),
    }
}

/// Unwrap a `Rejected` outcome.
pub fn rejected(o: &SourceOutcome) -> (String, Option<String>) {
    match o {
        SourceOutcome::Rejected { reason, kept_version, .. } => {
            (reason.clone(), kept_version.clone())
        }
        other => panic!("expected Rejected, got {other}"),
    }
}
