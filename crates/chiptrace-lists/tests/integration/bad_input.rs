//! Bad input: clear errors naming file and line, never a panic; strict vs
//! non-strict behaviour.

use chiptrace_lists::{CustomCsvMapping, Format, ListError, LoadOptions, load_path, parse_bytes};

use crate::support::{data, opts, temp_file};

const SDN_ROW: &str =
    "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";

fn strict() -> LoadOptions {
    LoadOptions { strict: true, ..LoadOptions::default() }
}

#[test]
fn truncated_un_xml_is_malformed_with_a_line() {
    let bytes =
        std::fs::read(data("un_consolidated_2026-02-27/UN_consolidated.xml")).expect("read");
    let cut = &bytes[..bytes.len() / 3];
    let (_dir, path) = temp_file("UN_consolidated.xml", cut);
    let err = load_path(&path, &opts()).expect_err("truncated");
    match &err {
        ListError::Malformed { path: p, line, message } => {
            assert!(p.ends_with("UN_consolidated.xml"));
            assert!(line.is_some_and(|l| l > 1000), "{line:?}");
            assert!(message.contains("end of file") || message.contains("XML"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let shown = err.to_string();
    assert!(shown.contains("UN_consolidated.xml:"), "{shown}");
    // Truncation is fatal in non-strict mode too: a half list must not load.
    assert!(load_path(&path, &strict()).is_err());
}

#[test]
fn broken_xml_reports_the_line_of_the_fault() {
    let xml = "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>\n<DATAID>1</DATAID>\n<FIRST_NAME>A</SECOND_NAME>\n</INDIVIDUAL>\n</INDIVIDUALS>\n</CONSOLIDATED_LIST>\n";
    match parse_bytes(Format::UnXml, xml.as_bytes(), &opts()) {
        Err(ListError::Malformed { line, .. }) => assert_eq!(line, Some(6)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn binary_garbage() {
    let mut garbage = Vec::new();
    let mut x: u32 = 0x1234_5678;
    for _ in 0..4096 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        garbage.push((x & 0xff) as u8);
    }
    let (_dir, path) = temp_file("blob.dat", &garbage);
    assert!(matches!(load_path(&path, &opts()), Err(ListError::UnknownFormat { .. })));
    // Forced through every parser: an error, never a panic, never entries.
    let o = LoadOptions { mapping: Some(CustomCsvMapping::new("name")), ..LoadOptions::default() };
    for f in Format::ALL {
        let r = parse_bytes(f, &garbage, &o);
        assert!(r.is_err(), "{f}: {:?}", r.map(|r| r.entries.len()));
    }
    // A garbage file with a list's name fails loudly instead of being skipped.
    let (_dir, path) = temp_file("sdn.csv", &garbage);
    assert!(matches!(
        load_path(&path, &opts()),
        Err(ListError::Malformed { .. } | ListError::UnknownFormat { .. })
    ));
}

#[test]
fn csv_with_wrong_column_count() {
    let text = format!("{SDN_ROW}37,\"SHORT ROW\",-0- \r\n{}", SDN_ROW.replace("36,", "38,"));
    let r = parse_bytes(Format::OfacSdnCsv, text.as_bytes(), &opts()).expect("non-strict");
    assert_eq!(r.entries.len(), 2);
    assert_eq!(r.bad_rows.len(), 1);
    assert_eq!(r.bad_rows[0].line, Some(2));
    assert_eq!(r.bad_rows[0].message, "expected 12 columns, found 3");
    assert_eq!(r.files[0].bad_rows, 1);
    assert_eq!(r.bad_rows[0].to_string(), "<memory>:2: expected 12 columns, found 3");

    match parse_bytes(Format::OfacSdnCsv, text.as_bytes(), &strict()) {
        Err(ListError::StrictBadRow(row)) => assert_eq!(row.line, Some(2)),
        other => panic!("{other:?}"),
    }

    let csl = "source,name,alt_names,entity_number\nEntity List (EL) - Bureau of Industry and Security,Acme,,\nbroken,row\n";
    let r = parse_bytes(Format::CslCsv, csl.as_bytes(), &opts()).expect("csl");
    assert_eq!((r.entries.len(), r.bad_rows.len()), (1, 1));
    assert_eq!(r.bad_rows[0].line, Some(3));
}

#[test]
fn hundred_kilobyte_name() {
    let long = "A".repeat(100 * 1024);
    let text =
        format!("{SDN_ROW}99,\"{long}\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n");
    let r = parse_bytes(Format::OfacSdnCsv, text.as_bytes(), &opts()).expect("non-strict");
    assert_eq!(r.entries.len(), 1);
    assert_eq!(r.bad_rows.len(), 1);
    assert!(r.bad_rows[0].message.contains("over the limit"), "{}", r.bad_rows[0].message);

    let json = format!(
        "{{\"list_id\": \"bis-entity-list\", \"entities\": [{{\"name\": \"Acme\", \"country\": \"China\"}},\n{{\"name\": \"{long}\", \"country\": \"China\"}}]}}"
    );
    let r = parse_bytes(Format::ListJson, json.as_bytes(), &opts()).expect("json");
    assert_eq!((r.entries.len(), r.bad_rows.len()), (1, 1));
    assert_eq!(r.bad_rows[0].line, Some(2));

    let ftm = format!(
        "{{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {{\"name\": [\"{long}\"]}}}}\n{{\"id\": \"y\", \"schema\": \"Person\", \"properties\": {{\"name\": [\"Ok Name\"]}}}}\n"
    );
    let r = parse_bytes(Format::FtmJsonl, ftm.as_bytes(), &opts()).expect("ftm");
    assert_eq!((r.entries.len(), r.bad_rows.len()), (1, 1));
    assert_eq!(r.bad_rows[0].line, Some(1));

    let xml = format!(
        "<CONSOLIDATED_LIST><ENTITIES><ENTITY><DATAID>1</DATAID><FIRST_NAME>{long}</FIRST_NAME></ENTITY><ENTITY><DATAID>2</DATAID><FIRST_NAME>OK</FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>"
    );
    let r = parse_bytes(Format::UnXml, xml.as_bytes(), &opts()).expect("xml");
    assert_eq!((r.entries.len(), r.bad_rows.len()), (1, 1));

    // A higher limit accepts it.
    let big = LoadOptions { max_field_bytes: 1 << 20, ..LoadOptions::default() };
    let r = parse_bytes(Format::OfacSdnCsv, text.as_bytes(), &big).expect("big limit");
    assert_eq!(r.entries.len(), 2);
}

#[test]
fn invalid_utf8_is_decoded_as_windows_1252() {
    let mut bytes = SDN_ROW.as_bytes().to_vec();
    bytes.extend_from_slice(b"40,\"JOS\xc9 MAR\xcdA\",\"individual\",\"SDNT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a");
    let (_dir, path) = temp_file("sdn.csv", &bytes);
    let r = load_path(&path, &opts()).expect("1252");
    assert_eq!(r.files[0].encoding, "windows-1252");
    assert_eq!(r.entries[1].primary_name(), "JOSÉ MARÍA");
}

#[test]
fn empty_names_and_empty_files() {
    let json = r#"{"list_id": "bis-dpl", "entities": [{"name": "  "}, {"name": null}, {"aliases": ["x"]}, {"name": "OK PERSON"}]}"#;
    let r = parse_bytes(Format::ListJson, json.as_bytes(), &opts()).expect("json");
    assert_eq!(r.entries.len(), 1);
    assert_eq!(r.bad_rows.len(), 3);
    assert!(r.bad_rows.iter().all(|b| b.line == Some(1)));

    for f in Format::ALL {
        let o =
            LoadOptions { mapping: Some(CustomCsvMapping::new("name")), ..LoadOptions::default() };
        match parse_bytes(f, b"", &o) {
            Err(ListError::Malformed { .. }) => {}
            other => panic!("{f}: {other:?}"),
        }
    }
    // The real empty-download case: an empty sdn.csv fails loudly.
    let (_dir, path) = temp_file("sdn.csv", b"");
    assert!(matches!(load_path(&path, &opts()), Err(ListError::Malformed { .. })));
}

#[test]
fn a_file_of_only_bad_rows_is_malformed() {
    let text = "1,\"A\",-0- \r\n2,\"B\",-0- \r\n";
    match parse_bytes(Format::OfacSdnCsv, text.as_bytes(), &opts()) {
        Err(ListError::Malformed { line, message, .. }) => {
            assert_eq!(line, Some(1));
            assert!(message.contains("all 2 record(s) are bad"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn json_syntax_errors_name_the_line() {
    let json = "{\n \"list_id\": \"bis-meu\",\n \"entities\": [\n  {\"name\": \"A\"},\n  {\"name\": \"B\"\n ]\n}";
    match parse_bytes(Format::ListJson, json.as_bytes(), &opts()) {
        Err(ListError::Malformed { line, message, .. }) => {
            assert_eq!(line, Some(6));
            assert!(message.contains("invalid JSON"));
        }
        other => panic!("{other:?}"),
    }
    let jsonl = "{\"id\": \"a\", \"schema\": \"Person\", \"properties\": {\"name\": [\"A B\"]}}\n{\"id\": \"b\", \"schema\": \n{\"id\": \"c\", \"schema\": \"Company\", \"properties\": {\"name\": [\"C Ltd\"]}}\n";
    let r = parse_bytes(Format::FtmJsonl, jsonl.as_bytes(), &opts()).expect("jsonl");
    assert_eq!(r.entries.len(), 2);
    assert_eq!(r.bad_rows[0].line, Some(2));
    assert!(matches!(
        parse_bytes(Format::FtmJsonl, jsonl.as_bytes(), &strict()),
        Err(ListError::StrictBadRow(_))
    ));
}

#[test]
fn unknown_mapped_column_names_column_and_header() {
    let csv = "Ref,Company Name,Ctry\n1,Acme,CN\n";
    let m = CustomCsvMapping::parse_spec("name=Company Name,country=Country").expect("spec");
    let o = LoadOptions { mapping: Some(m), ..LoadOptions::default() };
    match parse_bytes(Format::CustomCsv, csv.as_bytes(), &o) {
        Err(ListError::Mapping(msg)) => {
            assert!(msg.contains("`Country`"), "{msg}");
            assert!(msg.contains("`Ref`, `Company Name`, `Ctry`"), "{msg}");
        }
        other => panic!("{other:?}"),
    }
    // No mapping at all for a custom CSV file.
    let (_dir, path) = temp_file("mine.csv", csv.as_bytes());
    match load_path(&path, &opts()) {
        Err(ListError::Mapping(msg)) => assert!(msg.contains("Ref,Company Name,Ctry"), "{msg}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn csl_without_required_columns() {
    match parse_bytes(Format::CslCsv, b"foo,bar\n1,2\n", &opts()) {
        Err(ListError::Malformed { line: Some(1), message, .. }) => {
            assert!(message.contains("source"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    match parse_bytes(Format::CslJson, br#"{"total": 0}"#, &opts()) {
        Err(ListError::Malformed { .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn unterminated_quote_in_csv() {
    // A runaway quote at the end of a truncated file swallows the rest of
    // the file into one field: that row is bad, the rows before it load.
    let text = format!(
        "{SDN_ROW}{}41,\"RUNAWAY,-0- ,\"CUBA\",-0- ,-0- \r\n42,\"X",
        SDN_ROW.replace("36,", "37,")
    );
    let r = parse_bytes(Format::OfacSdnCsv, text.as_bytes(), &opts()).expect("non-strict");
    assert_eq!(r.entries.len(), 2);
    assert!(!r.bad_rows.is_empty());
    assert!(r.bad_rows.iter().all(|b| b.line.is_some_and(|l| l >= 3)), "{:?}", r.bad_rows);
}
