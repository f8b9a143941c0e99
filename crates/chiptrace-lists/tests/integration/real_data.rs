//! The real lists in `shared/data/lists`: counts, provenance, and spot
//! checks of specific entries.

use std::collections::BTreeMap;

use chiptrace_lists::{EntitySchema, Format, LoadReport, NameKind, load_file_as, load_path};

use crate::support::{
    all_lists, by_id, by_name, data, data_dir, file_report, has_name, names, opts,
};

#[test]
fn whole_folder_loads_with_one_call() {
    let r = all_lists();
    let per_file: BTreeMap<String, (Format, usize, usize)> = r
        .files
        .iter()
        .map(|f| {
            let name =
                f.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (name, (f.format, f.entries, f.bad_rows))
        })
        .collect();
    let expect = [
        ("bis_entity_list.json", Format::ListJson, 3409, 0),
        ("bis_dpl.json", Format::ListJson, 564, 0),
        ("bis_meu.json", Format::ListJson, 70, 0),
        ("ofac_nscmic.json", Format::ListJson, 68, 0),
        ("ofac_eo14032_annex.json", Format::ListJson, 59, 0),
        ("dow_1260h.json", Format::ListJson, 80, 0),
        ("dow_1286.json", Format::ListJson, 134, 0),
        ("state_debarred_statutory.json", Format::ListJson, 779, 0),
        ("state_debarred_admin.json", Format::ListJson, 8, 0),
        // One ISN record's "name" is only "(North Korean individual in
        // China)": no usable name, so a bad row (528 records in the file).
        ("state_nonproliferation.json", Format::ListJson, 527, 1),
        ("dhs_uflpa.json", Format::ListJson, 148, 0),
        ("fcc_covered.json", Format::ListJson, 15, 0),
        ("cbp_wro.json", Format::ListJson, 67, 0),
        ("sdn.csv", Format::OfacSdnCsv, 14965, 0),
        ("cons_prim.csv", Format::OfacConsCsv, 442, 0),
        ("UN_consolidated.xml", Format::UnXml, 730 + 273, 0),
        // PROVENANCE counts 14 and 116 physical rows; one is the header.
        ("consolidated_sample_2025-06.csv", Format::CslCsv, 13, 0),
        ("csl_sample_2019-12.csv", Format::CslCsv, 115, 0),
    ];
    for (file, format, entries, bad) in expect {
        assert_eq!(per_file.get(file), Some(&(format, entries, bad)), "{file}");
    }
    assert_eq!(r.files.len(), expect.len(), "no other file is loaded: {per_file:?}");
    let json_lists = r.files.iter().filter(|f| f.format == Format::ListJson).count();
    assert_eq!(json_lists, 13);
    assert_eq!(r.entries.len(), expect.iter().map(|e| e.2).sum::<usize>());
    assert_eq!(r.bad_rows.len(), 1);
    assert!(r.bad_rows[0].message.contains("no usable name"));
    assert!(r.bad_rows[0].line.is_some());

    // Metadata, docs and OFAC companions are not loaded as lists.
    let skipped: Vec<String> = r
        .skipped
        .iter()
        .map(|s| s.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())
        .collect();
    for f in ["lists.json", "PROVENANCE.md", "cons_add.csv", "cons_alt.csv", "cons_comments.csv"] {
        assert!(skipped.iter().any(|s| s == f), "{f} not skipped: {skipped:?}");
    }
    let cons = r.files.iter().find(|f| f.format == Format::OfacConsCsv).expect("cons file");
    let roles: Vec<&str> = cons.companions.iter().map(|c| c.role.as_str()).collect();
    assert_eq!(roles, vec!["add", "alt", "comments"]);

    // Provenance: sha256 prefixes as recorded in PROVENANCE.md.
    for (file, prefix) in [
        ("bis_entity_list.json", "2a8fc0755e063688"),
        ("sdn.csv", "210ca6b4a8187a34"),
        ("UN_consolidated.xml", "66b392a4090868d2"),
        ("bis_dpl.json", "48bac7b75874011d"),
    ] {
        let f = r.files.iter().find(|f| f.path.ends_with(file)).expect("file");
        assert!(f.sha256.starts_with(prefix), "{file}: {}", f.sha256);
        assert_eq!(f.encoding, "utf-8");
    }

    // The list codes.
    let codes = r.list_codes();
    for c in [
        "us_bis_entity_list",
        "us_bis_dpl",
        "us_bis_meu",
        "us_bis_uvl",
        "us_ofac_sdn",
        "us_ofac_cons",
        "us_ofac_cmic",
        "us_ofac_ssi",
        "us_state_isn",
        "us_state_dtc",
        "un_sc",
        "us_dow_1260h",
    ] {
        assert!(codes.iter().any(|x| x == c), "{c} missing from {codes:?}");
    }
}

#[test]
fn loading_is_deterministic() {
    let a = all_lists();
    let b = &load_path(&data_dir(), &opts()).expect("second load");
    let ids = |r: &LoadReport| {
        r.entries.iter().map(|e| format!("{}/{}", e.list, e.id)).collect::<Vec<_>>()
    };
    assert_eq!(ids(a), ids(b));
    assert_eq!(a.entries, b.entries);
}

#[test]
fn ids_are_unique_within_each_file() {
    let r = all_lists();
    let mut start = 0;
    for f in &r.files {
        let slice = &r.entries[start..start + f.entries];
        let mut seen = std::collections::HashSet::new();
        for e in slice {
            assert!(
                seen.insert((e.list.clone(), e.id.clone())),
                "duplicate id {} in {}",
                e.id,
                f.path.display()
            );
        }
        start += f.entries;
    }
}

#[test]
fn entity_list_entries() {
    let r = file_report("bis_entity_list.json");
    assert_eq!(r.entries.len(), 3409);
    assert!(r.entries.iter().all(|e| e.list == "us_bis_entity_list"));
    assert!(r.entries.iter().all(|e| e.id.starts_with("us_bis_entity_list:")));
    assert!(
        r.entries.iter().all(|e| e.license_requirement.is_some() && e.federal_register.is_some())
    );

    // A Chinese university with an acronym, aliases, FR citation and license text.
    let buaa =
        by_name(&r, "us_bis_entity_list", "Beijing University of Aeronautics and Astronautics");
    assert_eq!(buaa.schema, EntitySchema::Organization);
    assert_eq!(buaa.countries, vec!["CN"]);
    assert!(has_name(buaa, "BUAA", NameKind::Acronym));
    assert!(has_name(buaa, "Beihang University", NameKind::Alias));
    assert_eq!(buaa.names[0].kind, NameKind::Primary);
    assert!(buaa.federal_register.as_deref().is_some_and(|f| f.contains("FR")));
    assert!(buaa.license_requirement.as_deref().is_some_and(|l| l.contains("subject to the EAR")));
    assert!(buaa.addresses.len() > 3, "addresses split on '; and'");
    assert_eq!(buaa.raw["name"], "Beijing University of Aeronautics and Astronautics (BUAA)");

    // Acronym in brackets, aliases, two addresses split on "; and".
    let ebcc = by_name(&r, "us_bis_entity_list", "Emal Bilal Construction Company");
    assert_eq!(
        names(ebcc),
        vec![
            ("Emal Bilal Construction Company".to_string(), NameKind::Primary),
            ("EBCC".to_string(), NameKind::Acronym),
            ("Imal Bilal Road Construction Company".to_string(), NameKind::Alias),
            ("Aimal and Balal Company".to_string(), NameKind::Alias),
        ]
    );
    assert_eq!(ebcc.names[2].via.as_deref(), Some("aliases"));
    assert_eq!(ebcc.addresses.len(), 2);
    assert_eq!(ebcc.federal_register.as_deref(), Some("79 FR 44683, 8/1/14"));

    // f.k.a. inside the published name.
    let zor = by_name(&r, "us_bis_entity_list", "Zorsecurity Center");
    assert!(has_name(zor, "Esage Lab", NameKind::Former));
    assert_eq!(
        zor.names.iter().find(|n| n.name == "Esage Lab").and_then(|n| n.via.as_deref()),
        Some("f.k.a.")
    );

    // "subordinate institution:" names the listed child.
    let bowei = by_name(&r, "us_bis_entity_list", "Bowei Integrated Circuits");
    assert!(
        bowei
            .remarks
            .as_deref()
            .is_some_and(|x| x.contains("subordinate institution of China Electronics"))
    );

    // Exact duplicates of (name, country) get -2.
    let wong: Vec<&str> = r
        .entries
        .iter()
        .filter(|e| e.primary_name() == "Wong Yung Fai")
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(wong.len(), 2);
    assert_eq!(format!("{}-2", wong[0]), wong[1]);
}

#[test]
fn hong_kong_addresses_under_china() {
    let r = file_report("bis_entity_list.json");
    let e = by_name(&r, "us_bis_entity_list", "Cambricon (Hong Kong) Co., Ltd.");
    assert_eq!(e.raw["country"], "China");
    assert_eq!(e.countries, vec!["CN", "HK"], "keeps CN from the list, adds HK from the address");
    assert!(e.addresses.iter().all(|a| a.country.as_deref() == Some("HK")));
    assert!(has_name(e, "Cambricon Hong Kong", NameKind::Alias));
    // A mainland entry under China stays CN only.
    let hik = by_name(&r, "us_bis_entity_list", "Hangzhou Hikvision Digital Technology Co., Ltd.");
    assert_eq!(hik.countries, vec!["CN"]);
    assert!(has_name(hik, "Hikvision", NameKind::Alias));
    // Many entries under China have Hong Kong addresses.
    let hk = r.entries.iter().filter(|e| e.countries == ["CN", "HK"]).count();
    assert!(hk > 200, "{hk}");
}

#[test]
fn entity_list_type_inference_on_real_names() {
    let r = file_report("bis_entity_list.json");
    let schema = |name: &str| by_name(&r, "us_bis_entity_list", name).schema;
    for person in [
        "Abdul Satar Ghoura",
        "Zhelyaz Andreev",
        "Assadullah Majed",
        "Mohd Zamri bin Mazleh",
        "Hans Maria De Geetere",
        "Alexander Nikolayevich Vadyunin",
        "Wong Yung Fai",
        "Yi-Lan Chen",
    ] {
        assert_eq!(schema(person), EntitySchema::Person, "{person}");
    }
    for org in [
        "Amaze International",
        "IMAXChip",
        "Afghan-German Construction Company",
        "Gulf Gate Sea Cargo LLC",
        "Kitronix Display",
        "Huawei Cuba",
        "Beijing Tianhua",
        "Crimean Ports",
        "Iran Air",
        "General Technology Limited",
        "Haji Khalil Construction Company",
        "Beijing University of Aeronautics and Astronautics",
        "Kunhai (Yanjiao) Innovation Research Institute",
        "National University of Defense Technology",
        "Resort Nizhnyaya Oreanda",
        "MPI VOLNA",
    ] {
        assert_eq!(schema(org), EntitySchema::Organization, "{org}");
    }
    let persons = r.entries.iter().filter(|e| e.schema == EntitySchema::Person).count();
    assert!((350..=480).contains(&persons), "{persons} persons");
}

#[test]
fn other_json_lists() {
    let dpl = file_report("bis_dpl.json");
    assert!(dpl.entries.iter().all(|e| e.list == "us_bis_dpl"));
    let persons = dpl.entries.iter().filter(|e| e.schema == EntitySchema::Person).count();
    assert!(persons > 400, "DPL defaults to person: {persons}");
    let s7 = by_name(&dpl, "us_bis_dpl", "SIBERIAN AIRLINES");
    assert!(has_name(s7, "S7 AIRLINES", NameKind::TradingAs));
    assert_eq!(s7.schema, EntitySchema::Organization);

    let cmic = file_report("ofac_nscmic.json");
    let aecc = by_name(&cmic, "us_ofac_cmic", "China Aviation Engine Group Co., Ltd");
    assert!(aecc.identifiers.iter().any(|i| i.kind == "uscc"
        && i.value == "91110000MA005UCQ5P"
        && i.country.as_deref() == Some("CN")));
    assert!(aecc.programs.iter().any(|p| p == "CMIC-EO13959"));
    assert!(has_name(aecc, "AECC", NameKind::Alias));

    let uflpa = file_report("dhs_uflpa.json");
    let former =
        uflpa.entries.iter().flat_map(|e| &e.names).filter(|n| n.kind == NameKind::Former).count();
    assert!(former >= 8, "'formerly known as' aliases: {former}");

    let stat = file_report("state_debarred_statutory.json");
    assert!(
        stat.entries
            .iter()
            .any(|e| e.dates.iter().any(|d| d.kind == "birth" && d.value.len() == 7))
    );
    assert!(stat.entries.iter().any(|e| has_name(e, "Maru, Mike", NameKind::Alias)));
}

#[test]
fn ofac_sdn() {
    let r = file_report("sdn.csv");
    assert_eq!(r.entries.len(), 14965);
    let count = |s: EntitySchema| r.entries.iter().filter(|e| e.schema == s).count();
    assert_eq!(count(EntitySchema::Organization), 6884);
    assert_eq!(count(EntitySchema::Person), 6854);
    assert_eq!(count(EntitySchema::Vessel), 851);
    assert_eq!(count(EntitySchema::Aircraft), 376);
    assert!(r.entries.iter().all(|e| e.list == "us_ofac_sdn"));

    // An individual with DOBs and aliases from Remarks.
    let e = by_id(&r, "us_ofac_sdn", "4108");
    assert_eq!(e.primary_name(), "RODRIGUEZ OREJUELA, Miguel Angel");
    assert_eq!(e.schema, EntitySchema::Person);
    assert!(has_name(e, "EL SENOR", NameKind::Alias));
    assert!(has_name(e, "DOCTOR M.R.O.", NameKind::Alias));
    let dobs: Vec<&str> =
        e.dates.iter().filter(|d| d.kind == "birth").map(|d| d.value.as_str()).collect();
    assert_eq!(dobs, vec!["1943-11-23", "1943-07-15"]);
    assert!(
        e.identifiers.iter().any(|i| i.kind == "cedula"
            && i.value == "6095803"
            && i.country.as_deref() == Some("CO"))
    );
    assert_eq!(e.programs, vec!["SDNT"]);

    // Apostrophes inside quoted aliases.
    let e = by_id(&r, "us_ofac_sdn", "3754");
    assert!(has_name(e, "ABU-'UMAR", NameKind::Alias));
    assert!(e.identifiers.iter().any(|i| i.kind == "passport"
        && i.value == "92/664"
        && i.country.as_deref() == Some("EG")));

    // A vessel with IMO, flag and former names.
    let v = by_id(&r, "us_ofac_sdn", "4243");
    assert_eq!(v.schema, EntitySchema::Vessel);
    assert!(v.identifiers.iter().any(|i| i.kind == "imo" && i.value == "7406784"));
    assert!(has_name(v, "SAND SWAN", NameKind::Former));
    assert_eq!(v.countries, vec!["PA"]);

    // Multi-programme "PROG1] [PROG2", USCC, website, Linked To kept.
    let c = by_id(&r, "us_ofac_sdn", "22685");
    assert_eq!(c.programs, vec!["NPWMD", "IFSR"]);
    assert!(c.identifiers.iter().any(|i| i.kind == "uscc" && i.value == "9113100033607322XK"));
    assert!(c.identifiers.iter().any(|i| i.kind == "website" && i.value == "www.raybeam.cn"));
    assert!(c.remarks.as_deref().is_some_and(|r| r.contains("Linked To: LIU, Baoxia")));

    // Aircraft.
    let a = by_id(&r, "us_ofac_sdn", "15431");
    assert_eq!(a.schema, EntitySchema::Aircraft);
    assert!(a.identifiers.iter().any(|i| i.kind == "aircraft_msn" && i.value == "1023409321"));
}

#[test]
fn ofac_consolidated_with_companions() {
    let r = load_file_as(
        &data("ofac_consolidated_nonsdn_2025-12/cons_prim.csv"),
        Format::OfacConsCsv,
        &opts(),
    )
    .expect("cons");
    assert_eq!(r.entries.len(), 442);
    assert_eq!(r.files[0].companions.len(), 3);
    assert_eq!(r.entries.iter().filter(|e| e.schema == EntitySchema::Person).count(), 79);
    // alt.csv aliases.
    let h = by_id(&r, "us_ofac_cons", "9639");
    assert!(has_name(h, "HANIYA, Ismail", NameKind::Alias));
    assert_eq!(
        h.names.iter().find(|n| n.name == "HANIYA, Ismail").and_then(|n| n.via.as_deref()),
        Some("aka")
    );
    assert!(h.dates.iter().any(|d| d.value == "1962"));
    // add.csv addresses and a Remarks value continued in cons_comments.csv
    // ("… Registration Numbe" + "r 1027700342890 (Russia); … a.k.a. 'RUSAG'.").
    let b = by_id(&r, "us_ofac_cons", "17014");
    assert!(b.addresses.iter().any(|a| a.full == "3, Gagarinsky Pereulok, Moscow 119034, Russia"
        && a.country.as_deref() == Some("RU")));
    assert!(
        b.identifiers.iter().any(|i| i.kind == "registration_number" && i.value == "1027700342890")
    );
    assert!(has_name(b, "RUSAG", NameKind::Alias));
    assert!(has_name(b, "ROSSELKHOZBANK", NameKind::Alias));
    assert!(b.raw.get("comments").is_some());
    let former =
        r.entries.iter().flat_map(|e| &e.names).filter(|n| n.kind == NameKind::Former).count();
    assert!(former > 100, "fka rows of cons_alt.csv: {former}");
}

#[test]
fn un_consolidated() {
    let r = file_report("UN_consolidated.xml");
    let persons = r.entries.iter().filter(|e| e.schema == EntitySchema::Person).count();
    assert_eq!((persons, r.entries.len() - persons), (730, 273));
    assert!(r.entries.iter().all(|e| e.list == "un_sc"));

    let e = by_id(&r, "un_sc", "CDi.002");
    assert_eq!(e.primary_name(), "FRANK KAKOLELE BWAMBALE");
    assert!(has_name(e, "AIGLE BLANC", NameKind::Alias));
    assert_eq!(e.countries, vec!["CD"]);
    assert_eq!(e.programs, vec!["DRC"]);
    assert!(e.dates.iter().any(|d| d.kind == "listed" && d.value == "2005-11-01"));

    let w = by_id(&r, "un_sc", "CDi.003");
    assert!(has_name(w, "Rumuli", NameKind::Weak), "QUALITY=Low is a weak alias");

    let adf = by_id(&r, "un_sc", "CDe.001");
    assert_eq!(adf.schema, EntitySchema::Organization);
    assert!(has_name(adf, "Allied Democratic Forces", NameKind::Alias));
    assert!(has_name(adf, "NALU", NameKind::Former));
    // &#233; and &#8217; are resolved.
    assert!(
        adf.names.iter().any(|n| n.name.contains("Démocratiques") && n.name.contains("l’Ouganda"))
    );

    // Documents, dates of birth.
    assert!(
        r.entries
            .iter()
            .any(|e| e.identifiers.iter().any(|i| i.kind == "passport" && i.country.is_some()))
    );
    let with_dob = r.entries.iter().filter(|e| e.dates.iter().any(|d| d.kind == "birth")).count();
    assert!(with_dob > 600, "{with_dob}");
    // Aliases packed with ";" are separate names.
    assert!(r.entries.iter().flat_map(|e| &e.names).all(|n| !n.name.contains(';')));
}

#[test]
fn trade_gov_csl_csv_both_layouts() {
    let r = file_report("consolidated_sample_2025-06.csv");
    assert_eq!(r.entries.len(), 13);
    let rim = by_id(&r, "us_ofac_sdn", "52291");
    assert_eq!(rim.schema, EntitySchema::Person);
    assert_eq!(rim.countries, vec!["CN", "KP"]);
    assert!(rim.identifiers.iter().any(|i| i.kind == "passport"
        && i.value == "836238033"
        && i.country.as_deref() == Some("KP")));
    assert!(rim.remarks.as_deref().is_some_and(|r| r.contains("Gender Male")));
    assert_eq!(rim.dates[0].value, "1978-12-05");
    // `_id` is a content hash: kept in raw, not used as id.
    let el = r.entries.iter().find(|e| e.list == "us_bis_entity_list").expect("EL row");
    assert!(el.id.starts_with("us_bis_entity_list:"));
    assert!(el.raw["_id"].is_string());
    assert_eq!(el.schema, EntitySchema::Organization);
    assert!(has_name(el, "CETC 13", NameKind::Acronym));
    assert!(has_name(el, "CETC Research Institute 13", NameKind::Alias), "'and X' in alt_names");
    assert!(el.license_policy.is_some());
    let uvl = r.entries.iter().find(|e| e.list == "us_bis_uvl").expect("UVL row");
    assert_eq!(uvl.countries, vec!["AM"]);
    let isn = r.entries.iter().find(|e| e.list == "us_state_isn").expect("ISN row");
    assert_eq!(isn.primary_name(), "Sinobright Import and Export Company");

    let old = file_report("csl_sample_2019-12.csv");
    assert_eq!(old.entries.len(), 115);
    let tax = by_id(&old, "us_ofac_sdn", "20264");
    assert!(tax.identifiers.iter().any(|i| i.kind == "tax_id"
        && i.value == "80-0890696"
        && i.country.as_deref() == Some("US")));
    let vessel = by_id(&old, "us_ofac_sdn", "23156");
    assert_eq!(vessel.schema, EntitySchema::Vessel);
    assert!(vessel.identifiers.iter().any(|i| i.kind == "imo" && i.value == "8898831"));
    assert!(vessel.countries.contains(&"KP".to_string()));
    let hk = by_name(&old, "us_bis_entity_list", "32 Group China Ltd.");
    assert_eq!(hk.countries, vec!["HK"]);
}

#[test]
fn same_entity_list_party_gets_same_id_from_csl_and_json() {
    let el = file_report("bis_entity_list.json");
    let csl = file_report("consolidated_sample_2025-06.csv");
    let from_csl =
        csl.entries.iter().find(|e| e.list == "us_bis_entity_list").expect("EL row in CSL");
    let from_json = el
        .entries
        .iter()
        .find(|e| e.raw["name"] == "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)")
        .expect("CETC 13 in EL");
    assert_eq!(from_csl.id, from_json.id);
    assert_eq!(from_csl.primary_name(), from_json.primary_name());
}

#[test]
fn followthemoney_sample() {
    let r = load_path(&crate::support::ftm_sample(), &opts()).expect("FtM");
    assert_eq!(r.files[0].format, Format::FtmJsonl);
    // 22 Person + 56 Company + 17 Organization; Payment and Address skipped.
    assert_eq!(r.entries.len(), 95);
    assert_eq!(r.files[0].skipped_records, 290 + 89);
    assert_eq!(r.entries.iter().filter(|e| e.schema == EntitySchema::Person).count(), 22);
    assert!(
        r.entries.iter().all(|e| e.list == "donations"),
        "no datasets: list code from the file stem"
    );
    let p = r.entries.iter().find(|e| e.primary_name() == "Frau Lina Dachner").expect("person");
    assert_eq!(p.id, "f9c295f21b233ac878fbac4d271bb6fd13d7952a");
    assert_eq!(p.countries, vec!["DE"]);
    assert_eq!(p.addresses[0].full, "Schillerstraße 19, 76135 Karlsruhe", "addressEntity resolved");
    assert_eq!(p.addresses[0].country.as_deref(), Some("DE"));
}
