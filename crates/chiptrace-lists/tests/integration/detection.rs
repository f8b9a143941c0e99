//! Format detection on real files, including under misleading names.

use std::path::Path;

use chiptrace_lists::{Format, ListError, detect_format, load_path};

use crate::support::{data, ftm_sample, opts, temp_file};

fn head(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).expect("read");
    bytes[..bytes.len().min(64 * 1024)].to_vec()
}

#[test]
fn every_real_format_is_detected() {
    for (rel, want) in [
        ("us_restricted_party_lists_2026-07/bis_entity_list.json", Some(Format::ListJson)),
        ("us_restricted_party_lists_2026-07/cbp_wro.json", Some(Format::ListJson)),
        ("us_restricted_party_lists_2026-07/lists.json", None),
        ("ofac_sdn_2024-05-03/sdn.csv", Some(Format::OfacSdnCsv)),
        ("ofac_consolidated_nonsdn_2025-12/cons_prim.csv", Some(Format::OfacConsCsv)),
        ("ofac_consolidated_nonsdn_2025-12/cons_alt.csv", None),
        ("ofac_consolidated_nonsdn_2025-12/cons_add.csv", None),
        ("ofac_consolidated_nonsdn_2025-12/cons_comments.csv", None),
        ("un_consolidated_2026-02-27/UN_consolidated.xml", Some(Format::UnXml)),
        ("us_csl_format_samples/consolidated_sample_2025-06.csv", Some(Format::CslCsv)),
        ("us_csl_format_samples/csl_sample_2019-12.csv", Some(Format::CslCsv)),
        ("PROVENANCE.md", None),
    ] {
        let p = data(rel);
        assert_eq!(detect_format(&p, &head(&p)), want, "{rel}");
    }
    let f = ftm_sample();
    assert_eq!(detect_format(&f, &head(&f)), Some(Format::FtmJsonl));
}

#[test]
fn misleading_file_names_do_not_fool_detection() {
    // Real content under the wrong names: content decides.
    for (rel, fake_name, want, entries) in [
        ("un_consolidated_2026-02-27/UN_consolidated.xml", "sdn.csv", Format::UnXml, 1003),
        (
            "us_restricted_party_lists_2026-07/bis_meu.json",
            "consolidated.csv",
            Format::ListJson,
            70,
        ),
        (
            "us_csl_format_samples/consolidated_sample_2025-06.csv",
            "entities.json",
            Format::CslCsv,
            13,
        ),
        ("ofac_consolidated_nonsdn_2025-12/cons_prim.csv", "list.xml", Format::OfacSdnCsv, 442),
        ("us_restricted_party_lists_2026-07/fcc_covered.json", "data.jsonl", Format::ListJson, 15),
    ] {
        let bytes = std::fs::read(data(rel)).expect("read");
        let (_dir, path) = temp_file(fake_name, &bytes);
        let r = load_path(&path, &opts()).unwrap_or_else(|e| panic!("{rel} as {fake_name}: {e}"));
        assert_eq!(r.files[0].format, want, "{rel} as {fake_name}");
        assert_eq!(r.entries.len(), entries, "{rel} as {fake_name}");
    }
    let bytes = std::fs::read(ftm_sample()).expect("read");
    let (_dir, path) = temp_file("download.txt", &bytes);
    assert_eq!(load_path(&path, &opts()).expect("ftm").files[0].format, Format::FtmJsonl);
}

#[test]
fn the_name_breaks_the_sdn_vs_consolidated_tie() {
    let bytes =
        std::fs::read(data("ofac_consolidated_nonsdn_2025-12/cons_prim.csv")).expect("read");
    let (_dir, path) = temp_file("cons_prim.csv", &bytes);
    let r = load_path(&path, &opts()).expect("cons");
    assert_eq!(r.files[0].format, Format::OfacConsCsv);
    assert!(r.entries.iter().all(|e| e.list == "us_ofac_cons"));
    assert!(r.files[0].companions.is_empty(), "no companions beside it");
}

#[test]
fn non_list_files_are_refused_when_named_explicitly() {
    match load_path(&data("us_restricted_party_lists_2026-07/lists.json"), &opts()) {
        Err(ListError::UnknownFormat { path, .. }) => assert!(path.ends_with("lists.json")),
        other => panic!("{other:?}"),
    }
    match load_path(&data("ofac_consolidated_nonsdn_2025-12/cons_alt.csv"), &opts()) {
        Err(ListError::UnknownFormat { reason, .. }) => {
            assert!(reason.contains("companion"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    match load_path(&data("PROVENANCE.md"), &opts()) {
        Err(ListError::UnknownFormat { .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn directory_with_companion_files_joins_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    for f in ["cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"] {
        let bytes =
            std::fs::read(data(&format!("ofac_consolidated_nonsdn_2025-12/{f}"))).expect("read");
        // OFAC publishes upper-case names; matching is case-insensitive.
        std::fs::write(dir.path().join(f.to_uppercase()), bytes).expect("write");
    }
    std::fs::write(dir.path().join("README"), "lists downloaded 2025-12-19\n").expect("write");
    let r = load_path(dir.path(), &opts()).expect("dir");
    assert_eq!(r.files.len(), 1);
    assert_eq!(r.files[0].companions.len(), 3);
    assert_eq!(r.entries.len(), 442);
    assert_eq!(r.skipped.len(), 4, "{:?}", r.skipped);
}

#[test]
fn empty_directory_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("notes.md"), "# nothing here").expect("write");
    assert!(matches!(load_path(dir.path(), &opts()), Err(ListError::Empty { .. })));
    assert!(matches!(
        load_path(&dir.path().join("missing.csv"), &opts()),
        Err(ListError::Io { .. })
    ));
}
