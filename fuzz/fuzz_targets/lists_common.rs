//! Shared by the `chiptrace-lists` fuzz targets: parse the bytes as one
//! format, in non-strict and strict mode, and check the invariants that
//! downstream crates rely on (not just "no panic").

use chiptrace_lists::{CustomCsvMapping, Format, LoadOptions, NameKind, parse_bytes};

/// Parse `data` as `format` both ways and check every successful report.
pub fn check(format: Format, data: &[u8]) {
    for strict in [false, true] {
        let opts = LoadOptions {
            strict,
            mapping: Some(mapping()),
            // Small, so the over-long-field paths are reached often.
            max_field_bytes: 2048,
        };
        let Ok(report) = parse_bytes(format, data, &opts) else { continue };
        assert!(!report.entries.is_empty(), "Ok with zero entries");
        assert_eq!(report.files.len(), 1);
        assert_eq!(report.files[0].entries, report.entries.len());
        assert_eq!(report.files[0].bad_rows, report.bad_rows.len());
        if strict {
            assert!(report.bad_rows.is_empty(), "strict mode returned bad rows");
        }
        let mut ids = std::collections::HashSet::new();
        for e in &report.entries {
            assert!(!e.id.trim().is_empty(), "empty id");
            assert!(ids.insert((e.list.clone(), e.id.clone())), "duplicate id {}", e.id);
            assert!(!e.names.is_empty(), "entry without names");
            assert_eq!(e.names[0].kind, NameKind::Primary, "first name is not primary");
            assert!(e.names.iter().skip(1).all(|n| n.kind != NameKind::Primary), "two primaries");
            for n in &e.names {
                assert!(n.name.chars().any(char::is_alphanumeric), "unusable name {:?}", n.name);
                assert_eq!(n.name.trim(), n.name, "untrimmed name");
                assert!(n.name.len() <= opts.max_field_bytes, "over-long name kept");
            }
            for c in &e.countries {
                assert!(
                    c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()),
                    "bad country {c:?}"
                );
            }
            // The entry must serialise (the CLI and the store write it as JSON).
            let _ = serde_json::to_string(e).expect("serialise entry");
        }
    }
}

fn mapping() -> CustomCsvMapping {
    CustomCsvMapping::parse_spec(
        "name=name,id=id,aliases=aliases,country=country,address=address,dob=dob,identifiers=ids,list_column=list",
    )
    .expect("static mapping spec")
}
