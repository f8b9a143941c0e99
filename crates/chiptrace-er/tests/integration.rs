//! Integration tests of chiptrace-er: FEBRL (read from the shared data by
//! path; missing data fails the test), generated company clusters, the
//! corporate-family and registered-agent guards, explanations, and odd
//! input.

use std::path::PathBuf;

use chiptrace_er::eval::evaluate;
use chiptrace_er::synth::{SynthConfig, generate, generate_full};
use chiptrace_er::{
    Config, Dataset, Decision, Error, Field, Kind, LinkKind, PartyRow, Record, febrl, resolve,
};

fn febrl_dir() -> PathBuf {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/er/febrl"));
    assert!(
        dir.join("dataset4a.csv").is_file(),
        "FEBRL data missing at {} (shared/data/er/febrl must sit beside the repository)",
        dir.display()
    );
    dir
}

fn load(file: &str, source: &str) -> Dataset {
    let path = febrl_dir().join(file);
    febrl::load(&path, source).unwrap_or_else(|e| panic!("cannot load {}: {e}", path.display()))
}

#[test]
fn febrl4_link_precision_and_recall() {
    let mut ds = load("dataset4a.csv", "a");
    let b = load("dataset4b.csv", "b");
    assert_eq!((ds.records.len(), b.records.len()), (5000, 5000));
    ds.records.extend(b.records);
    ds.truth.extend(b.truth);
    let cfg = Config { link_only: true, ..Config::default() };
    let res = resolve(&ds.records, &cfg).expect("resolve");
    let m = evaluate(&ds.records, &ds.truth, &res.cluster_of, true);
    assert_eq!(m.true_pairs, 5000);
    assert!(m.precision >= 0.99, "precision {m:?}");
    assert!(m.recall >= 0.99, "recall {m:?}");
    // Near-linear blocking: far fewer pairs than the 25M cross product.
    assert!(res.stats.blocking.pairs < 400_000, "{:?}", res.stats.blocking);
    // EM moved λ and m away from the defaults.
    assert!(res.model.em_iterations > 0);
    assert!(res.model.field(Field::RegistrationId).m[0] > 0.7);
}

#[test]
fn febrl1_dedupe() {
    let ds = load("dataset1.csv", "a");
    let res = resolve(&ds.records, &Config::default()).expect("resolve");
    let m = evaluate(&ds.records, &ds.truth, &res.cluster_of, false);
    assert_eq!(m.true_pairs, 500);
    assert!(m.precision >= 0.99 && m.recall >= 0.99, "{m:?}");
}

#[test]
fn synthetic_companies_cluster_f1() {
    // Seed 7 was not used while developing the generator or the matcher.
    let ds = generate(&SynthConfig { seed: 7, companies: 300, ..SynthConfig::default() });
    assert!(ds.records.len() > 900, "{}", ds.records.len());
    let res = resolve(&ds.records, &Config::default()).expect("resolve");
    let m = evaluate(&ds.records, &ds.truth, &res.cluster_of, false);
    assert!(m.cluster_f1 >= 0.95, "{m:?}");
    assert!(m.f1 >= 0.95, "{m:?}");
}

#[test]
fn synthetic_families_are_linked_not_merged() {
    let s = generate_full(&SynthConfig {
        seed: 11,
        companies: 60,
        families: 6,
        ..SynthConfig::default()
    });
    let ds = &s.dataset;
    let res = resolve(&ds.records, &Config::default()).expect("resolve");
    let first = |e: &str| ds.truth.iter().position(|t| t == e).expect("entity has records");
    let mut linked = 0;
    for (a, b, kind) in &s.relations {
        let (ca, cb) = (res.cluster_of[first(a)], res.cluster_of[first(b)]);
        assert_ne!(ca, cb, "{a} and {b} ({kind:?}) merged");
        if res
            .links
            .iter()
            .any(|l| l.kind == *kind && ((l.from, l.to) == (ca, cb) || (l.from, l.to) == (cb, ca)))
        {
            linked += 1;
        }
    }
    assert!(
        linked * 10 >= s.relations.len() * 9,
        "{linked} of {} relations linked",
        s.relations.len()
    );
}

fn company(id: &str, src: &str, name: &str, country: &str) -> Record {
    Record { country: Some(country.into()), ..Record::company(id, src, name) }
}

#[test]
fn parent_and_subsidiary_stay_apart_but_linked() {
    let mut parent = company("P1", "crm", "Acme Holdings Pte. Ltd.", "SG");
    parent.registration_id = Some("201912345K".into());
    parent.website = Some("www.acmegroup.com".into());
    parent.address_lines = vec!["1 Raffles Place #40-01".into(), "Singapore 048616".into()];
    let mut parent2 = company("C7", "invoices", "ACME HOLDINGS PTE LTD", "SG");
    parent2.registration_id = Some("2019-12345-K".into());
    let mut sub = company("P2", "crm", "Acme Technology (Shenzhen) Co., Ltd.", "CN");
    sub.email = Some("sales@acmegroup.com".into());
    sub.phone = Some("+86 755 8888 1234".into());
    let mut sub2 = company("C9", "invoices", "Acme Technology (Shenzhen) Co Ltd", "CN");
    sub2.phone = Some("0755-8888-1234".into());
    sub2.parent_id = Some("P1".into());
    let mut sister = company("P3", "crm", "Acme Electronics Pte Ltd", "SG");
    sister.email = Some("info@acmegroup.com".into());
    sister.address_lines = vec!["1 Raffles Place #40-01".into(), "Singapore 048616".into()];
    let records = vec![parent, parent2, sub, sub2, sister];
    let res = resolve(&records, &Config::default()).expect("resolve");
    let c = &res.cluster_of;
    assert_eq!(c[0], c[1], "the parent's two records merge (same registration id)");
    assert_eq!(c[2], c[3], "the subsidiary's two records merge (same phone)");
    assert_ne!(c[0], c[2], "parent and subsidiary stay apart");
    assert_ne!(c[0], c[4], "parent and sister company at the same address stay apart");
    assert_ne!(c[2], c[4]);
    let ps = res
        .links
        .iter()
        .find(|l| l.kind == LinkKind::ParentSubsidiary && l.from == c[0] && l.to == c[2])
        .expect("parent → subsidiary link");
    assert!(ps.declared, "C9 declares P1 as parent");
    assert!(!ps.evidence.is_empty());
    assert!(
        res.links
            .iter()
            .any(|l| l.kind == LinkKind::ParentSubsidiary && l.from == c[0] && l.to == c[4]),
        "holding name + shared group domain → inferred parent link: {:#?}",
        res.links
    );
    assert!(
        res.links.iter().any(|l| l.kind == LinkKind::Sibling
            && ((l.from, l.to) == (c[2], c[4]) || (l.from, l.to) == (c[4], c[2]))),
        "{:#?}",
        res.links
    );
}

#[test]
fn registered_agent_address_does_not_merge() {
    let names = [
        "Zorbex Trading",
        "Quinlum Electronics",
        "Draveon Logistics",
        "Halkaqua Systems",
        "Monsyn Digital",
        "Pexori Solutions",
        "Velgen Networks",
        "Nubrix Computer",
        "Stovy Engineering",
        "Galtor Precision",
        "Lanmira Semiconductor",
        "Kelvion Data",
    ];
    let mut records: Vec<Record> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut r = company(&format!("A{i}"), "kyc", &format!("{n} Pte. Ltd."), "SG");
            r.address_lines = vec!["80 Robinson Road #02-00".into(), "Singapore 068898".into()];
            r.phone = Some("+65 6220 1234".into()); // the corporate secretary's line
            r.registration_id = Some(format!("20191{i:04}K"));
            r
        })
        .collect();
    // One real duplicate among them.
    let mut dup = company("X1", "invoices", "ZORBEX TRADING PTE LTD", "SG");
    dup.address_lines = vec!["80 Robinson Rd, 02-00".into()];
    dup.registration_id = Some("201910000k".into());
    records.push(dup);
    let res = resolve(&records, &Config::default()).expect("resolve");
    let clusters: std::collections::BTreeSet<usize> = res.cluster_of.iter().copied().collect();
    assert_eq!(clusters.len(), names.len(), "only the true duplicate merges");
    assert_eq!(res.cluster_of[0], res.cluster_of[names.len()]);
    assert!(
        res.stats.mass_identifiers.iter().any(|(f, _, n)| f == "address" && *n >= 12),
        "{:?}",
        res.stats.mass_identifiers
    );
}

#[test]
fn generic_names_do_not_merge_without_identifiers() {
    let mut records = Vec::new();
    for i in 0..6 {
        let mut r = company(&format!("G{i}"), "crm", "Global Technology Trading Pte Ltd", "SG");
        r.phone = Some(format!("+65 6{i}00 {i}{i}{i}{i}"));
        r.email = Some(format!("gtt{i}@gmail.com"));
        r.registration_id = Some(format!("2020{i}{i}{i}{i}{i}Z"));
        records.push(r);
    }
    let mut same = company("H0", "erp", "GLOBAL TECH TRADING PTE. LTD.", "SG");
    same.phone = Some("6000 0000".into());
    records.push(same);
    let res = resolve(&records, &Config::default()).expect("resolve");
    for i in 1..6 {
        assert_ne!(res.cluster_of[0], res.cluster_of[i], "G0 and G{i}");
    }
    assert_eq!(res.cluster_of[0], res.cluster_of[6], "same phone joins");
}

#[test]
fn han_name_and_pinyin_merge_when_an_identifier_agrees() {
    let mut a = company("1", "crm", "深圳市华芯科技有限公司", "CN");
    a.phone = Some("+86 755 2601 8899".into());
    let mut b = company("2", "shipping", "Shenzhen Huaxin Technology Co., Ltd.", "China");
    b.phone = Some("0755 2601 8899".into());
    let c = company("3", "shipping", "Shenzhen Xinghai Technology Co., Ltd.", "CN");
    let res = resolve(&[a, b, c], &Config::default()).expect("resolve");
    assert_eq!(res.cluster_of[0], res.cluster_of[1]);
    assert_ne!(res.cluster_of[0], res.cluster_of[2]);
    let edge = &res.clusters[res.cluster_of[0]].edges[0];
    assert_eq!(edge.field(Field::Name).map(|f| f.level), Some("exact"));
    assert_eq!(edge.field(Field::Phone).map(|f| f.level), Some("exact"));
}

#[test]
fn explanations_add_up() {
    let ds = generate(&SynthConfig {
        seed: 3,
        companies: 40,
        families: 2,
        generic_named: 6,
        agent_companies: 10,
    });
    let res = resolve(&ds.records, &Config::default()).expect("resolve");
    let multi: Vec<_> = res.clusters.iter().filter(|c| c.members.len() > 1).collect();
    assert!(!multi.is_empty());
    for c in multi {
        assert_eq!(c.edges.len(), c.members.len() - 1, "a spanning tree of edges");
        for e in &c.edges {
            assert_eq!(e.decision, Decision::Match);
            assert!(e.probability >= Config::default().threshold);
            assert!(!e.fields.is_empty());
            let sum: f64 = e.prior_weight + e.fields.iter().map(|f| f.weight).sum::<f64>();
            assert!((sum - e.total_weight).abs() < 0.02, "{sum} vs {}", e.total_weight);
        }
    }
    let refused = res.clusters.iter().flat_map(|c| &c.refused).next();
    if let Some(r) = refused {
        assert!(r.reason.is_some());
        assert_ne!(r.decision, Decision::Match);
    }
    let json = serde_json::to_string(&res.clusters[0]).expect("serialise");
    assert!(json.contains("\"members\""));
}

#[test]
fn deterministic() {
    let ds = generate(&SynthConfig { seed: 5, companies: 60, ..SynthConfig::default() });
    let a = resolve(&ds.records, &Config::default()).expect("resolve");
    let b = resolve(&ds.records, &Config::default()).expect("resolve");
    assert_eq!(a.cluster_of, b.cluster_of);
    assert_eq!(a.links, b.links);
}

#[test]
fn blocking_cost_grows_near_linearly() {
    let small = generate(&SynthConfig { seed: 9, companies: 100, ..SynthConfig::default() });
    let large = generate(&SynthConfig { seed: 9, companies: 400, ..SynthConfig::default() });
    let cfg = Config { em_iterations: 0, u_sample_pairs: 0, ..Config::default() };
    let ps = resolve(&small.records, &cfg).expect("resolve").stats.blocking.pairs as f64;
    let pl = resolve(&large.records, &cfg).expect("resolve").stats.blocking.pairs as f64;
    let (ns, nl) = (small.records.len() as f64, large.records.len() as f64);
    // Quadratic growth would multiply pairs per record by ~4.
    let growth = (pl / nl) / (ps / ns);
    assert!(growth < 2.0, "pairs per record grew ×{growth:.2} ({ps} → {pl})");
}

#[test]
fn block_cap_counts_skipped_pairs() {
    let records: Vec<Record> = (0..30)
        .map(|i| {
            let mut r = company(&i.to_string(), "s", &format!("Firm{i} Ltd"), "SG");
            r.phone = Some("+65 6000 0000".into());
            r
        })
        .collect();
    let cfg = Config { max_block: 10, ..Config::default() };
    let res = resolve(&records, &cfg).expect("resolve");
    assert!(res.stats.blocking.blocks_skipped >= 1);
    assert!(res.stats.blocking.pairs_skipped >= 435);
}

#[test]
fn ledger_party_rows_map_onto_records() {
    let row = PartyRow {
        party_id: "P9".into(),
        name: "Veltrix Technology Pte. Ltd.".into(),
        country: Some("SG".into()),
        address: Some("10 Anson Road #21-07; Singapore 079903".into()),
        phone: Some("+65 6123 4567".into()),
        email: Some("sales@veltrix.com.sg".into()),
        website: Some("veltrix.com.sg".into()),
        registration_id: Some("201912345K".into()),
        incorporated_on: Some("2019-04-01".into()),
        parent_party_id: Some("P1".into()),
        hq_country: Some("SG".into()),
        kind: Some("company".into()),
    };
    let r = Record::from_party(&row, "ledger");
    assert_eq!(r.kind, Kind::Company);
    assert_eq!(r.address_lines, ["10 Anson Road #21-07", "Singapore 079903"]);
    assert_eq!(r.parent_id.as_deref(), Some("P1"));
    let mut other = r.clone();
    other.id = "P10".into();
    other.parent_id = None;
    let res = resolve(&[r, other], &Config::default()).expect("resolve");
    assert_eq!(res.cluster_of[0], res.cluster_of[1]);
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let a = Record::company("1", "s", "A");
    assert!(matches!(
        resolve(&[a.clone(), a.clone()], &Config::default()),
        Err(Error::DuplicateId { .. })
    ));
    let empty = Record::company(" ", "s", "A");
    assert!(matches!(resolve(&[empty], &Config::default()), Err(Error::EmptyId { index: 0 })));
    let bad = Config { threshold: 1.5, ..Config::default() };
    assert!(matches!(resolve(std::slice::from_ref(&a), &bad), Err(Error::Config(_))));
    let res = resolve(&[], &Config::default()).expect("empty input");
    assert!(res.clusters.is_empty());
    let missing = febrl::load(std::path::Path::new("/nonexistent/febrl.csv"), "a");
    assert!(matches!(missing, Err(Error::Io { .. })));
}

mod odd_records {
    use proptest::prelude::*;

    use super::*;

    fn odd() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "\\PC{0,40}",
            "[0-9 +()-]{0,20}",
            "[a-z@.]{0,20}",
            Just("华为技术有限公司".to_string()),
            Just("ООО «Ромашка»".to_string()),
            Just("#\u{0}\u{202e}💥".to_string()),
        ]
    }

    fn record() -> impl Strategy<Value = Record> {
        (odd(), odd(), odd(), odd(), odd(), odd(), odd(), odd(), any::<bool>()).prop_map(
            |(name, addr, phone, email, web, reg, date, country, person)| Record {
                id: String::new(),
                source: "p".into(),
                kind: if person { Kind::Person } else { Kind::Company },
                name,
                alt_names: vec![addr.clone()],
                given_name: person.then(|| phone.clone()),
                address_lines: vec![addr],
                postcode: Some(reg.clone()),
                phone: Some(phone),
                email: Some(email),
                website: Some(web),
                registration_id: Some(reg),
                dob: Some(date.clone()),
                incorporated_on: Some(date),
                country: Some(country),
                parent_id: Some("0".into()),
                ..Record::default()
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn never_panics(mut recs in proptest::collection::vec(record(), 0..12)) {
            for (i, r) in recs.iter_mut().enumerate() {
                r.id = i.to_string();
            }
            let res = resolve(&recs, &Config::default()).expect("valid ids");
            prop_assert_eq!(res.cluster_of.len(), recs.len());
            let members: usize = res.clusters.iter().map(|c| c.members.len()).sum();
            prop_assert_eq!(members, recs.len());
        }
    }
}
