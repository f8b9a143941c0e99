//! GraphML parses as XML with the expected nodes and edges; FtM lines are
//! well-formed entities with stable ids.

mod common;

use std::collections::BTreeSet;

use chiptrace_graph::export::{ftm, graphml, write_ftm};
use chiptrace_graph::{DEFAULT_RESTRICTED, GraphInput, TradeGraph};
use common::Mini;
use quick_xml::Reader;
use quick_xml::events::Event;

fn mini() -> Mini {
    Mini::new()
        .party("S", "US")
        .party("B", "SG")
        .party("H", "HK")
        .order("O1", "2025-01-10", "S", "B", "100.00")
        .shipment("SH1", "O1", "2025-01-20", "US", "SG", "B")
        .order("O2", "2025-02-01", "B", "H", "100.00")
        .shipment("SH2", "O2", "2025-02-05", "SG", "HK", "H")
}

#[derive(Default, Debug)]
struct Parsed {
    keys: Vec<(String, String, String)>,
    nodes: Vec<String>,
    edges: Vec<(String, String)>,
    data: Vec<(String, String)>,
}

fn attr(e: &quick_xml::events::BytesStart, name: &str) -> String {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .expect("attribute value")
                .into_owned()
        })
        .unwrap_or_default()
}

fn parse(xml: &str) -> Parsed {
    let mut r = Reader::from_str(xml);
    let mut p = Parsed::default();
    let mut key = String::new();
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "key" => {
                    p.keys.push((attr(&e, "for"), attr(&e, "attr.name"), attr(&e, "attr.type")))
                }
                "node" => p.nodes.push(attr(&e, "id")),
                "edge" => p.edges.push((attr(&e, "source"), attr(&e, "target"))),
                "data" => key = attr(&e, "key"),
                _ => {}
            },
            Event::Text(t) if !key.is_empty() => {
                let s = t.xml10_content().into_owned();
                p.data.push((std::mem::take(&mut key), s));
            }
            _ => {}
        }
    }
    p
}

#[test]
fn graphml_is_xml_with_the_expected_nodes_and_edges() {
    let (_d, l) = mini().load();
    let listed = vec![None; l.parties.len()];
    let g = TradeGraph::build(&GraphInput {
        ledger: &l,
        cluster_of: None,
        listed: &listed,
        restricted: &DEFAULT_RESTRICTED,
    });
    let xml = graphml(&g, &l);
    let p = parse(&xml);
    // Parties S, B, H; countries SG and HK (shipment destinations).
    assert_eq!(p.nodes, vec!["S", "B", "H", "country:HK", "country:SG"]);
    // S→B sells_to, S→B consignee, S→SG ships_to, B→H sells_to,
    // B→H consignee, B→HK ships_to.
    assert_eq!(p.edges.len(), 6, "{:?}", p.edges);
    let ids: BTreeSet<&str> = p.nodes.iter().map(String::as_str).collect();
    assert!(p.edges.iter().all(|(s, t)| ids.contains(s.as_str()) && ids.contains(t.as_str())));
    assert!(p.keys.contains(&("edge".into(), "instances".into(), "int".into())));
    assert!(p.keys.contains(&("node".into(), "restricted".into(), "boolean".into())));
    let kinds: Vec<&str> =
        p.data.iter().filter(|(k, _)| k == "e_kind").map(|(_, v)| v.as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "sells_to").count(), 2);
    assert!(p.data.contains(&("e_evidence".into(), "order:O1".into())));
    // Deterministic.
    assert_eq!(xml, graphml(&g, &l));
}

#[test]
fn graphml_escapes_names() {
    let (_d, l) = Mini::new()
        .party("A&B", "US")
        .party("C<D>", "SG")
        .order("O\"1", "2025-01-01", "A&B", "C<D>", "1.00")
        .load();
    let g = TradeGraph::build(&GraphInput {
        ledger: &l,
        cluster_of: None,
        listed: &[],
        restricted: &DEFAULT_RESTRICTED,
    });
    let p = parse(&graphml(&g, &l));
    assert_eq!(p.nodes, vec!["A&B", "C<D>"]);
    assert_eq!(p.edges, vec![("A&B".to_string(), "C<D>".to_string())]);
}

#[test]
fn ftm_lines_have_id_schema_properties_and_stable_ids() {
    let (_d, l) = mini().payment("PY1", "O1", "2025-01-15", "B", "100.00").load();
    let mut clusters: Vec<u32> = (0..l.parties.len() as u32).collect();
    // H merged into B's cluster for this test.
    clusters[l.party("H").expect("H").index()] = l.party("B").expect("B").0;
    let mut listed = vec![None; l.parties.len()];
    listed[l.party("H").expect("H").index()] = Some("Entity List".to_string());
    let g = TradeGraph::build(&GraphInput {
        ledger: &l,
        cluster_of: Some(&clusters),
        listed: &listed,
        restricted: &DEFAULT_RESTRICTED,
    });
    let ents = ftm(&g, &l);
    let mut ids = BTreeSet::new();
    for e in &ents {
        let id = e["id"].as_str().expect("id");
        assert!(ids.insert(id.to_string()), "duplicate id {id}");
        assert!(e["schema"].is_string());
        assert!(e["properties"].is_object());
        for (_, v) in e["properties"].as_object().expect("object") {
            assert!(v.as_array().is_some_and(|a| !a.is_empty() && a.iter().all(|x| x.is_string())));
        }
    }
    let schemas: Vec<&str> = ents.iter().filter_map(|e| e["schema"].as_str()).collect();
    assert_eq!(schemas.iter().filter(|s| **s == "Company").count(), 2, "S and the B+H cluster");
    assert_eq!(schemas.iter().filter(|s| **s == "Payment").count(), 1);
    assert_eq!(schemas.iter().filter(|s| **s == "UnknownLink").count(), 4, "2 orders, 2 shipments");
    assert_eq!(schemas.iter().filter(|s| **s == "Address").count(), 3);
    let b = ents.iter().find(|e| e["id"] == "ct-party-B").expect("cluster entity");
    assert_eq!(b["referents"], serde_json::json!(["ct-party-H"]));
    assert_eq!(b["properties"]["country"], serde_json::json!(["sg", "hk"]));
    assert_eq!(b["properties"]["notes"], serde_json::json!(["listed: Entity List"]));
    let sale = ents.iter().find(|e| e["id"] == "ct-order-O2").expect("sale");
    // B sells to H: both in one cluster, subject and object are the same entity.
    assert_eq!(sale["properties"]["subject"], serde_json::json!(["ct-party-B"]));
    let pay = ents.iter().find(|e| e["id"] == "ct-payment-PY1").expect("payment");
    assert_eq!(pay["properties"]["amount"], serde_json::json!(["100.00"]));
    assert_eq!(pay["properties"]["beneficiary"], serde_json::json!(["ct-party-S"]));
    // Lines written = entities; stable across runs.
    let mut buf = Vec::new();
    let n = write_ftm(&g, &l, &mut buf).expect("write");
    assert_eq!(n, ents.len());
    let text = String::from_utf8(buf).expect("utf8");
    assert_eq!(text.lines().count(), n);
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json line");
        assert!(v["id"].is_string() && v["schema"].is_string() && v["properties"].is_object());
    }
    let again: Vec<String> = ftm(&g, &l).iter().map(|e| e.to_string()).collect();
    let first: Vec<String> = ents.iter().map(|e| e.to_string()).collect();
    assert_eq!(first, again);
}
