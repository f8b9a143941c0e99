//! Screening against the real lists in ../shared/data/lists (fails loudly
//! when they are missing). One integration binary per crate.

use std::path::PathBuf;
use std::sync::OnceLock;

use chiptrace_lists::{EntitySchema, LoadOptions};
use chiptrace_screen::{Index, Query, ScreenOptions, score_pair};

fn lists_dir() -> PathBuf {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/lists"));
    assert!(p.is_dir(), "shared list data missing at {}", p.display());
    p
}

fn index() -> &'static Index {
    static IDX: OnceLock<Index> = OnceLock::new();
    IDX.get_or_init(|| {
        let r =
            chiptrace_lists::load_path(&lists_dir(), &LoadOptions::default()).expect("lists load");
        Index::build(r.entries)
    })
}

fn q(name: &str) -> Query {
    Query { id: "t".into(), name: name.into(), ..Query::default() }
}

fn top(name: &str) -> Option<(String, String, f64)> {
    let idx = index();
    let hits = idx.screen(&q(name), &ScreenOptions::default());
    hits.first().map(|h| (idx.entries()[h.entry].list.clone(), h.matched_name.clone(), h.score))
}

#[test]
fn exact_entity_list_name_is_strong() {
    let idx = index();
    let hits = idx.screen(&q("Huawei Technologies Co., Ltd."), &ScreenOptions::default());
    // The same company is also on OFAC's non-SDN CMIC list; the Entity List
    // entry must be among the strong hits.
    let el = hits
        .iter()
        .find(|h| idx.entries()[h.entry].list == "us_bis_entity_list")
        .expect("an Entity List hit");
    assert!(el.matched_name.contains("Huawei Technologies"), "{}", el.matched_name);
    assert!(el.score >= 0.95, "{}", el.score);
    let (_, _, best) = top("Huawei Technologies Co., Ltd.").expect("hit");
    assert!(best >= 0.95);
}

#[test]
fn han_script_company_matches_pinyin_entry() {
    let (_, name, score) = top("上海精测半导体技术有限公司").expect("hit");
    assert!(name.to_lowercase().contains("jingce"), "{name}");
    assert!(score >= 0.85, "{score}");
}

#[test]
fn traditional_characters_match_too() {
    let (_, name, _) = top("華為技術有限公司").expect("hit");
    assert!(name.to_lowercase().contains("huawei"), "{name}");
}

#[test]
fn sibling_research_institutes_are_not_confused() {
    // "38th" and "54th" CETC institutes are different listed entities; the
    // query for one must rank its own entry first.
    let idx = index();
    let hits = idx.screen(
        &q("China Electronics Technology Group Corporation 38th Research Institute"),
        &ScreenOptions::default(),
    );
    let first = &idx.entries()[hits.first().expect("hit").entry];
    assert!(first.names.iter().any(|n| n.name.contains("38")), "{:?}", first.names);
    let s = score_pair(
        Some(EntitySchema::Organization),
        "CETC 38th Research Institute",
        "CETC 54th Research Institute",
    );
    assert!(s.score < 0.8, "{}", s.score);
}

#[test]
fn generic_only_names_do_not_fire() {
    let idx = index();
    for n in [
        "Shenzhen Technology Co., Ltd.",
        "International Trading Company",
        "Beijing Electronics Co Ltd",
    ] {
        let hits = idx.screen(&q(n), &ScreenOptions::default());
        assert!(
            hits.is_empty(),
            "{n} fired: {:?}",
            hits.iter().map(|h| (&h.matched_name, h.score)).collect::<Vec<_>>()
        );
    }
}

#[test]
fn country_qualifier_moves_score_and_is_explained() {
    let idx = index();
    let mut with = q("Huawei Technologies Co Ltd");
    with.country = Some("HK".into());
    let hits = idx.screen(&with, &ScreenOptions::default());
    let h = hits.first().expect("hit");
    assert!(
        h.explanation.qualifiers.iter().any(|x| x.feature == "country_match"),
        "HK must count as CN: {:?}",
        h.explanation.qualifiers
    );
    let mut away = q("Huawei Technologies Co Ltd");
    away.country = Some("BR".into());
    let hits2 = idx.screen(&away, &ScreenOptions::default());
    if let Some(h2) = hits2.iter().find(|x| x.entry == h.entry) {
        assert!(h2.score < h.score);
        assert!(h2.explanation.qualifiers.iter().any(|x| x.feature == "country_mismatch"));
    }
}

#[test]
fn sdn_person_surname_first_matches_given_first_query() {
    let idx = index();
    let mut query = q("Ismail Haniya");
    query.schema = Some(EntitySchema::Person);
    let hits = idx.screen(&query, &ScreenOptions::default());
    assert!(
        hits.iter().any(|h| h.matched_name.to_uppercase().contains("HANIY")),
        "{:?}",
        hits.iter().map(|h| &h.matched_name).collect::<Vec<_>>()
    );
}

#[test]
fn batch_equals_single_and_keeps_order() {
    let idx = index();
    let names = [
        "Huawei Technologies Co., Ltd.",
        "Nothing Like Any Listed Name Bakery",
        "上海精测半导体技术有限公司",
    ];
    let qs: Vec<Query> = names.iter().map(|n| q(n)).collect();
    let opts = ScreenOptions::default();
    let batch = idx.screen_batch(&qs, &opts);
    assert_eq!(batch.len(), 3);
    for (qq, b) in qs.iter().zip(&batch) {
        let single = idx.screen(qq, &opts);
        assert_eq!(
            single.iter().map(|h| (h.entry, h.score)).collect::<Vec<_>>(),
            b.iter().map(|h| (h.entry, h.score)).collect::<Vec<_>>()
        );
    }
    assert!(batch[1].is_empty());
}

#[test]
fn explanation_carries_provenance() {
    let idx = index();
    let hits = idx.screen(&q("Huawei Technologies Co., Ltd."), &ScreenOptions::default());
    let h = hits.iter().find(|h| h.explanation.list == "us_bis_entity_list").expect("hit");
    let e = &h.explanation;
    assert_eq!(e.list, "us_bis_entity_list");
    assert!(e.federal_register.as_deref().is_some_and(|f| f.contains("FR")));
    assert!(!e.entry_id.is_empty());
    assert!(e.name.tokens.iter().any(|t| t.query == "huawei" && t.listed == "huawei"));
    assert!(e.matcher_version.starts_with("chiptrace-screen/"));
}
