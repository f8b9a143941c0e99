//! Formats without a real sample (trade.gov CSL API JSON) and small
//! hand-written fixtures (FtM sanctions entities, custom CSV).

use chiptrace_lists::{
    CustomCsvMapping, EntitySchema, Format, ListCode, LoadOptions, NameKind, parse_bytes,
};

use crate::support::{by_id, has_name, opts, temp_file};

/// A trade.gov CSL API response (`/consolidated_screening_list/v1/search`)
/// in the shape the API returns: multi-valued fields are arrays, addresses
/// and ids are objects. Values are modelled on real CSL rows.
const CSL_JSON: &str = r#"{
  "total": 4,
  "sources": [{"source": "Entity List (EL) - Bureau of Industry and Security"}],
  "results": [
    {
      "id": "99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be",
      "source": "Entity List (EL) - Bureau of Industry and Security",
      "entity_number": null,
      "type": null,
      "programs": [],
      "name": "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)",
      "title": null,
      "addresses": [
        {"address": "113 Hezuo Road", "city": "Shijiazhuang", "state": "Hebei", "postal_code": null, "country": "CN"},
        {"address": "21 Changsheng Street", "city": "Shijiazhuang", "state": "Hebei", "postal_code": null, "country": "CN"}
      ],
      "federal_register_notice": "83 FR 37423; 87 FR 77505",
      "start_date": "2018-08-01",
      "end_date": null,
      "standard_order": null,
      "license_requirement": "For all items subject to the EAR. (See §§ 734.9(g),3 746.8(a)(3), and 744.21(b) of the EAR)",
      "license_policy": "Policy of denial for all items subject to the EAR apart from food and medicine designated as EAR99.",
      "alt_names": ["Hebei Semiconductor Research Institute", "HSRI", "Hebei Institute of Semiconductors"],
      "citizenships": [],
      "dates_of_birth": [],
      "nationalities": [],
      "places_of_birth": [],
      "source_list_url": "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/entity-list",
      "source_information_url": "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/entity-list",
      "ids": []
    },
    {
      "id": "52291",
      "source": "Specially Designated Nationals (SDN) - Treasury Department",
      "entity_number": "52291",
      "type": "Individual",
      "programs": ["NPWMD"],
      "name": "RIM, Ryong Nam",
      "addresses": [
        {"address": null, "city": "Shenyang", "state": null, "postal_code": null, "country": "CN"},
        {"address": null, "city": "Pyongyang", "state": null, "postal_code": null, "country": "KP"}
      ],
      "alt_names": [],
      "dates_of_birth": ["1978-12-05"],
      "nationalities": ["KP"],
      "citizenships": [],
      "places_of_birth": [],
      "ids": [
        {"type": "Passport", "number": "836238033", "country": "KP", "issue_date": null, "expiration_date": null},
        {"type": "Gender", "number": "Male", "country": null},
        {"type": "Secondary sanctions risk:", "number": "North Korea Sanctions Regulations, sections 510.201 and 510.210", "country": null}
      ]
    },
    {
      "id": "23156",
      "source": "Specially Designated Nationals (SDN) - Treasury Department",
      "entity_number": 23156,
      "type": "Vessel",
      "programs": ["DPRK4"],
      "name": "7-28",
      "vessel_flag": "Korea, North",
      "vessel_type": "Cargo",
      "remarks": "(Linked To: YUSONG SHIPPING CO)",
      "ids": [{"type": "Vessel Registration Identification", "number": "IMO 8898831", "country": null}]
    },
    {
      "id": "34d6611355974b0ba70eba9a096971f8",
      "source": "Denied Persons List (DPL) - Bureau of Industry and Security",
      "name": "I. ASH",
      "addresses": [{"address": "605 TRAIL LAKE DRIVE", "city": "RICHARDSON", "state": "TX", "postal_code": "75081", "country": "US"}],
      "federal_register_notice": "67 F.R. 56530 9/4/02",
      "start_date": "2002-03-04",
      "end_date": "2056-06-29",
      "standard_order": "Y",
      "remarks": "50 YEAR DENIAL"
    },
    "not an object"
  ]
}"#;

#[test]
fn csl_api_json() {
    let r = parse_bytes(Format::CslJson, CSL_JSON.as_bytes(), &opts()).expect("CSL JSON");
    assert_eq!(r.entries.len(), 4);
    assert_eq!(r.bad_rows.len(), 1);
    assert_eq!(r.bad_rows[0].line, Some(77));

    let el = &r.entries[0];
    assert_eq!(el.list, "us_bis_entity_list");
    assert!(el.id.starts_with("us_bis_entity_list:"), "`id` is a content hash, not used");
    assert_eq!(el.schema, EntitySchema::Organization);
    assert_eq!(
        el.primary_name(),
        "China Electronics Technology Group Corporation 13th Research Institute"
    );
    assert!(has_name(el, "CETC 13", NameKind::Acronym));
    assert!(has_name(el, "HSRI", NameKind::Alias));
    assert_eq!(el.addresses[0].full, "113 Hezuo Road, Shijiazhuang, Hebei, CN");
    assert_eq!(el.addresses[0].country.as_deref(), Some("CN"));
    assert_eq!(el.federal_register.as_deref(), Some("83 FR 37423; 87 FR 77505"));
    assert!(el.license_policy.is_some());

    let rim = by_id(&r, "us_ofac_sdn", "52291");
    assert_eq!(rim.schema, EntitySchema::Person);
    assert_eq!(rim.countries, vec!["CN", "KP"]);
    assert_eq!(rim.identifiers.len(), 1);
    assert_eq!(rim.identifiers[0].kind, "passport");
    assert!(
        rim.remarks
            .as_deref()
            .is_some_and(|r| r.contains("Gender Male") && r.contains("Secondary sanctions risk:"))
    );

    let v = by_id(&r, "us_ofac_sdn", "23156");
    assert_eq!(v.schema, EntitySchema::Vessel);
    assert_eq!(v.countries, vec!["KP"]);
    assert!(v.identifiers.iter().any(|i| i.kind == "imo" && i.value == "8898831"));

    let dpl = &r.entries[3];
    assert_eq!(dpl.list, "us_bis_dpl");
    assert_eq!(dpl.schema, EntitySchema::Person);
    assert_eq!(dpl.dates.iter().map(|d| d.kind.as_str()).collect::<Vec<_>>(), vec!["start", "end"]);

    // A bare array works too, and the same row from the CSV gives the same id.
    let results: serde_json::Value = serde_json::from_str(CSL_JSON).expect("json");
    let arr = serde_json::to_string(&results["results"]).expect("array");
    let r2 = parse_bytes(Format::CslJson, arr.as_bytes(), &opts()).expect("array form");
    assert_eq!(r2.entries.len(), 4);
    let from_csv = crate::support::file_report("consolidated_sample_2025-06.csv");
    let csv_el = from_csv.entries.iter().find(|e| e.list == "us_bis_entity_list").expect("EL");
    assert_eq!(csv_el.id, el.id);
}

/// OpenSanctions-style FtM entities: a sanctioned company with aliases and
/// identifiers, a person, a vessel, and non-matchable schemata.
const FTM: &str = r#"{"id": "NK-2a3b", "schema": "Company", "properties": {"name": ["Shenzhen Example Microelectronics Co., Ltd."], "alias": ["SZ Example Micro"], "weakAlias": ["EXM"], "previousName": ["Example Semiconductor Co."], "country": ["cn", "hk"], "address": ["Room 1905, Nam Wo Hong Bldg., 148 Wing Lok Street, Sheung Wan, Hong Kong"], "registrationNumber": ["440301000000000"], "innCode": ["7701234567"], "leiCode": ["5493001KJTIIGC8Y1R12"], "program": ["EL"], "topics": ["sanction", "export.control"], "notes": ["Added to the Entity List"]}, "datasets": ["us_bis_entity_list", "us_trade_csl"], "first_seen": "2023-01-01T00:00:00", "target": true}
{"id": "ofac-12345", "schema": "Person", "properties": {"name": ["Ivan Petrovich Sidorov"], "alias": ["Ivan Sidorov"], "nationality": ["ru"], "birthDate": ["1970-03-04"], "idNumber": ["4500123456"], "passportNumber": ["720000001"]}, "datasets": ["us_ofac_sdn"]}
{"id": "ofac-vessel-1", "schema": "Vessel", "properties": {"name": ["OCEAN STAR"], "imoNumber": ["IMO 9123456"], "flag": ["pa"], "mmsi": ["352000000"]}, "datasets": ["us_ofac_sdn"]}
{"id": "ofac-plane-1", "schema": "Airplane", "properties": {"name": ["EP-ABC"]}, "datasets": ["us_ofac_sdn"]}
{"id": "addr-1", "schema": "Address", "properties": {"full": ["1 Test Road, Moscow"], "country": ["ru"]}}
{"id": "sanc-1", "schema": "Sanction", "properties": {"entity": ["ofac-12345"], "program": ["RUSSIA-EO14024"]}}
{"id": "own-1", "schema": "Ownership", "properties": {"owner": ["ofac-12345"], "asset": ["NK-2a3b"]}}
{"id": "legal-1", "schema": "LegalEntity", "properties": {"name": ["Example Holdings"], "addressEntity": ["addr-1"]}}
{"id": "pb-1", "schema": "PublicBody", "properties": {"name": ["Ministry of Examples"], "jurisdiction": ["ir"]}}
"#;

#[test]
fn followthemoney_fixture() {
    let r = parse_bytes(Format::FtmJsonl, FTM.as_bytes(), &opts()).expect("ftm");
    assert_eq!(r.entries.len(), 6);
    assert_eq!(r.files[0].skipped_records, 3);
    assert!(r.bad_rows.is_empty());
    let c = by_id(&r, "us_bis_entity_list", "NK-2a3b");
    assert_eq!(c.schema, EntitySchema::Organization);
    assert!(has_name(c, "SZ Example Micro", NameKind::Alias));
    assert!(has_name(c, "EXM", NameKind::Weak));
    assert!(has_name(c, "Example Semiconductor Co.", NameKind::Former));
    assert_eq!(c.countries, vec!["CN", "HK"]);
    assert_eq!(c.addresses[0].country.as_deref(), Some("HK"));
    for kind in ["registration_number", "inn", "lei"] {
        assert!(c.identifiers.iter().any(|i| i.kind == kind), "{kind}");
    }
    assert_eq!(c.programs, vec!["EL"]);
    let p = by_id(&r, "us_ofac_sdn", "ofac-12345");
    assert_eq!(p.schema, EntitySchema::Person);
    assert_eq!(p.dates[0].value, "1970-03-04");
    assert_eq!(p.countries, vec!["RU"]);
    assert!(p.identifiers.iter().any(|i| i.kind == "passport"));
    let v = by_id(&r, "us_ofac_sdn", "ofac-vessel-1");
    assert_eq!(v.schema, EntitySchema::Vessel);
    assert_eq!(v.countries, vec!["PA"]);
    assert_eq!(by_id(&r, "us_ofac_sdn", "ofac-plane-1").schema, EntitySchema::Aircraft);
    let l = r.entries.iter().find(|e| e.id == "legal-1").expect("legal entity");
    assert_eq!(l.addresses[0].full, "1 Test Road, Moscow");
    assert_eq!(l.list, "memory", "no datasets: the (pseudo) file stem");
    assert_eq!(
        r.entries.iter().find(|e| e.id == "pb-1").map(|e| e.countries.clone()),
        Some(vec!["IR".to_string()])
    );
}

#[test]
fn custom_csv_with_mapping() {
    let csv = "Ref,Company Name,AKA,Ctry,Type,Addr,Birth,IDs,Src,Notes\n\
               A1,Acme Trading Co. (a.k.a. Acme HK),Acme Limited; ACME TRD,Hong Kong,,\"1 Queen's Road, Central, Hong Kong\",,USCC: 91110000MA005UCQ5P,mylist,first row\n\
               A2,Ivan Petrov,Ivan P.,RU,person,,1970-03-04,Passport: 123,,\n\
               ,Nameless Ltd,,CN,,,,,other,\n\
               A4,,,CN,,,,,,\n";
    let mut m = CustomCsvMapping::parse_spec(
        "name=Company Name,id=Ref,aliases=AKA,country=Ctry,schema=Type,address=Addr,dob=Birth,identifiers=IDs,list_column=Src,remarks=Notes",
    )
    .expect("spec");
    let o = LoadOptions { mapping: Some(m.clone()), ..LoadOptions::default() };
    let (_dir, path) = temp_file("watch list.csv", csv.as_bytes());
    let r = chiptrace_lists::load_path(&path, &o).expect("custom");
    assert_eq!(r.files[0].format, Format::CustomCsv);
    assert_eq!(r.entries.len(), 3);
    assert_eq!(r.bad_rows.len(), 1, "row without a name");
    assert_eq!(r.bad_rows[0].line, Some(5));
    let a = &r.entries[0];
    assert_eq!((a.list.as_str(), a.id.as_str()), ("mylist", "A1"));
    assert_eq!(a.primary_name(), "Acme Trading Co.");
    assert!(has_name(a, "Acme HK", NameKind::Alias));
    assert!(has_name(a, "ACME TRD", NameKind::Alias));
    assert_eq!(a.countries, vec!["HK"]);
    assert_eq!(a.schema, EntitySchema::Organization);
    assert_eq!(a.identifiers[0].kind, "uscc");
    let b = &r.entries[1];
    assert_eq!(b.list, "watch_list", "empty list column: the file stem");
    assert_eq!(b.schema, EntitySchema::Person);
    assert_eq!(b.dates[0].value, "1970-03-04");
    let c = &r.entries[2];
    assert!(c.id.starts_with("other:"), "no id: hashed like the Entity List");

    m.list = ListCode::Constant("fixed".into());
    let o = LoadOptions { mapping: Some(m), ..LoadOptions::default() };
    let r = parse_bytes(Format::CustomCsv, csv.as_bytes(), &o).expect("constant list");
    assert!(r.entries.iter().all(|e| e.list == "fixed"));

    // Tab-separated with a mapping file.
    let tsv = "name\tcountry\nAcme Holdings\tChina\n";
    let (dir, cfg) = temp_file(
        "mapping.toml",
        b"name = \"name\"\ncountry = \"country\"\ndelimiter = \"tab\"\nlist = \"tsv_list\"\n",
    );
    let m = CustomCsvMapping::from_toml_or_json_file(&cfg).expect("toml");
    let path = dir.path().join("x.tsv");
    std::fs::write(&path, tsv).expect("write");
    let o = LoadOptions { mapping: Some(m), ..LoadOptions::default() };
    let r = chiptrace_lists::load_path(&path, &o).expect("tsv");
    assert_eq!(r.entries[0].countries, vec!["CN"]);
    assert_eq!(r.entries[0].list, "tsv_list");
}
