//! Malformed transactions: every one is rejected with an `Err` whose message
//! names the field at fault (`{field}: {message}`), never a panic and never
//! a silent default.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use chiptrace_license::{Transaction, decide};
use chiptrace_rules::{Catalog, RuleSet, parse_date};
use serde_json::{Value, json};

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| Catalog::embedded().expect("embedded catalog loads"))
}

/// A valid transaction; each test breaks one field of it.
fn base() -> Value {
    json!({
        "id": "bad-input-base",
        "date": "2024-06-03",
        "type": "export",
        "ship_from": "US",
        "destination": "VN",
        "exporter": {"name": "Pacific Rim Compute Distribution Inc.", "country": "US", "letters": []},
        "items": [{"chip": "RTX 4090", "quantity": 10}],
        "parties": [{
            "role": "end_user",
            "name": "Saigon Render Farm JSC",
            "country": "VN",
            "hq_country": "VN",
            "ultimate_parent_hq_country": "VN",
            "owners": [{"name": "Saigon Holdings JSC", "country": "VN", "percent": 40}]
        }]
    })
}

/// Parse `text`; a panic is a test failure with a clear message.
fn parse(text: &str) -> Result<Transaction, String> {
    let resolve = |n: &str| catalog().spec_for(n);
    catch_unwind(AssertUnwindSafe(|| Transaction::from_json(text, &resolve)))
        .unwrap_or_else(|_| panic!("Transaction::from_json panicked on:\n{text}"))
        .map_err(|e| e.to_string())
}

/// The document must be rejected and the message must start with `field`.
fn rejected_at(doc: &Value, field: &str) -> String {
    let text = doc.to_string();
    match parse(&text) {
        Ok(_) => panic!("accepted, but {field} is invalid:\n{text}"),
        Err(msg) => {
            assert!(
                msg.starts_with(field),
                "error should start with the field {field:?}, got {msg:?}\ninput: {text}"
            );
            msg
        }
    }
}

#[test]
fn the_base_document_is_valid() {
    let tx = parse(&base().to_string()).expect("base transaction parses");
    assert_eq!(tx.destination, "VN");
    assert_eq!(tx.items.len(), 1);
}

#[test]
fn malformed_json_is_an_error_with_its_position() {
    for text in ["{\"type\": \"export\", \"destination\": \"CN\"", "", "[1, 2", "{,}", "nul"] {
        let msg = parse(text).expect_err("malformed JSON must be rejected");
        assert!(msg.contains("line") && msg.contains("column"), "{text:?} -> {msg:?}");
    }
}

#[test]
fn a_json_array_is_not_a_transaction() {
    let msg = parse("[]").expect_err("an array is not a transaction");
    assert!(msg.starts_with("transaction"), "{msg}");
}

#[test]
fn unknown_top_level_field_is_named() {
    let mut d = base();
    d["colour"] = json!("red");
    let msg = parse(&d.to_string()).expect_err("unknown field");
    assert!(msg.contains("colour"), "{msg}");
}

#[test]
fn unknown_field_inside_a_party_is_named_with_its_path() {
    let mut d = base();
    d["parties"][0]["nickname"] = json!("SRF");
    let msg = rejected_at(&d, "parties[0]");
    assert!(msg.contains("nickname"), "{msg}");
}

#[test]
fn unknown_field_inside_an_item_is_named_with_its_path() {
    let mut d = base();
    d["items"][0]["colour"] = json!("black");
    let msg = rejected_at(&d, "items[0]");
    assert!(msg.contains("colour"), "{msg}");
}

#[test]
fn missing_destination_is_named() {
    let mut d = base();
    d.as_object_mut().expect("object").remove("destination");
    let msg = parse(&d.to_string()).expect_err("destination is required");
    assert!(msg.contains("destination"), "{msg}");
}

#[test]
fn missing_type_is_named() {
    let mut d = base();
    d.as_object_mut().expect("object").remove("type");
    let msg = parse(&d.to_string()).expect_err("type is required");
    assert!(msg.contains("type"), "{msg}");
}

#[test]
fn unknown_transaction_type_is_named() {
    let mut d = base();
    d["type"] = json!("donation");
    rejected_at(&d, "type");
}

#[test]
fn unknown_country_code_xx_in_a_party_is_named() {
    let mut d = base();
    d["parties"][0]["country"] = json!("XX");
    let msg = rejected_at(&d, "parties[0].country");
    assert!(msg.contains("XX"), "{msg}");
}

#[test]
fn uk_is_not_an_iso_code_and_the_message_suggests_gb() {
    let mut d = base();
    d["destination"] = json!("UK");
    let msg = rejected_at(&d, "destination");
    assert!(msg.contains("GB"), "{msg}");
    let mut d = base();
    d["parties"][0]["country"] = json!("UK");
    rejected_at(&d, "parties[0].country");
}

#[test]
fn unknown_destination_and_ship_from_are_named() {
    let mut d = base();
    d["destination"] = json!("XX");
    rejected_at(&d, "destination");
    let mut d = base();
    d["ship_from"] = json!("USA");
    rejected_at(&d, "ship_from");
    let mut d = base();
    d["exporter"]["country"] = json!("ZZ");
    rejected_at(&d, "exporter.country");
}

#[test]
fn unknown_headquarters_codes_are_named() {
    let mut d = base();
    d["parties"][0]["hq_country"] = json!("XX");
    rejected_at(&d, "parties[0].hq_country");
    let mut d = base();
    d["parties"][0]["ultimate_parent_hq_country"] = json!("PRC");
    rejected_at(&d, "parties[0].ultimate_parent_hq_country");
}

#[test]
fn negative_quantity_is_named() {
    let mut d = base();
    d["items"][0]["quantity"] = json!(-5);
    rejected_at(&d, "items[0].quantity");
}

#[test]
fn zero_quantity_is_named() {
    let mut d = base();
    d["items"][0]["quantity"] = json!(0);
    rejected_at(&d, "items[0].quantity");
}

#[test]
fn fractional_quantity_is_named() {
    let mut d = base();
    d["items"][0]["quantity"] = json!(2.5);
    rejected_at(&d, "items[0].quantity");
}

#[test]
fn unknown_chip_name_is_named_with_the_chip() {
    let mut d = base();
    d["items"][0]["chip"] = json!("Quantum Banana 9000");
    let msg = rejected_at(&d, "items[0].chip");
    assert!(msg.contains("Quantum Banana 9000"), "{msg}");
}

#[test]
fn negative_dense_tops_in_an_inline_spec_is_named() {
    let mut d = base();
    d["items"] = json!([{"spec": {"name": "bad part", "datacenter": "yes",
                                   "dense_tops": {"fp16": -100}, "die_area_mm2": 500}}]);
    let msg = rejected_at(&d, "items[0].spec.dense_tops");
    assert!(msg.contains("negative"), "{msg}");
}

#[test]
fn inline_spec_errors_are_prefixed_with_the_item_path() {
    let mut d = base();
    d["items"].as_array_mut().expect("items").push(json!({"spec": {"name": "no figures"}}));
    rejected_at(&d, "items[1].spec.dense_tops");
    let mut d = base();
    d["items"] = json!([{"spec": {"name": "x", "dense_tops": {"fp16": 100}, "voltage": 1}}]);
    let msg = rejected_at(&d, "items[0].spec.voltage");
    assert!(msg.contains("unknown field"), "{msg}");
}

#[test]
fn bad_date_is_named() {
    for bad in ["2024-13-01", "2024-02-30", "01/06/2024", "yesterday"] {
        let mut d = base();
        d["date"] = json!(bad);
        rejected_at(&d, "date");
    }
}

#[test]
fn empty_items_is_named() {
    let mut d = base();
    d["items"] = json!([]);
    rejected_at(&d, "items");
}

#[test]
fn item_with_both_or_neither_of_chip_and_spec_is_named() {
    let mut d = base();
    d["items"] = json!([{"quantity": 1}]);
    rejected_at(&d, "items[0]");
    let mut d = base();
    d["items"] = json!([{"chip": "RTX 4090", "spec": {"name": "x", "dense_tops": {"fp16": 1}}}]);
    rejected_at(&d, "items[0]");
}

#[test]
fn bad_datacenter_flag_is_named() {
    let mut d = base();
    d["items"][0]["datacenter"] = json!("sometimes");
    rejected_at(&d, "items[0].datacenter");
}

#[test]
fn bad_base_eccn_is_named() {
    let mut d = base();
    d["items"][0]["base_eccn"] = json!("not an eccn");
    rejected_at(&d, "items[0].base_eccn");
}

#[test]
fn ownership_percent_over_100_is_named() {
    let mut d = base();
    d["parties"][0]["owners"][0]["percent"] = json!(150);
    rejected_at(&d, "parties[0].owners[0].percent");
}

#[test]
fn negative_ownership_percent_is_named() {
    let mut d = base();
    d["parties"][0]["owners"][0]["percent"] = json!(-1);
    rejected_at(&d, "parties[0].owners[0].percent");
}

#[test]
fn unknown_party_role_is_named() {
    let mut d = base();
    d["parties"][0]["role"] = json!("friend");
    rejected_at(&d, "parties[0].role");
}

#[test]
fn empty_party_name_is_named() {
    let mut d = base();
    d["parties"][0]["name"] = json!("   ");
    rejected_at(&d, "parties[0].name");
}

#[test]
fn unknown_list_hit_strength_is_named() {
    let mut d = base();
    d["parties"][0]["list_hits"] =
        json!([{"list": "us_bis_entity_list", "name": "X", "strength": "weak"}]);
    rejected_at(&d, "parties[0].list_hits[0].strength");
}

#[test]
fn wrong_json_type_is_named() {
    let mut d = base();
    d["end_use"] = json!({"supercomputer": "yes"});
    rejected_at(&d, "end_use.supercomputer");
    let mut d = base();
    d["options"] = json!({"enforce_diffusion": 1});
    rejected_at(&d, "options.enforce_diffusion");
}

#[test]
fn oversized_input_is_rejected_without_parsing() {
    let big = format!(
        "{{\"type\":\"export\",\"destination\":\"VN\",\"notes\":\"{}\",\"items\":[{{\"chip\":\"RTX 4090\"}}]}}",
        "x".repeat(chiptrace_license::MAX_INPUT_BYTES)
    );
    let msg = rejected_at(&serde_json::from_str(&big).expect("valid JSON"), "transaction");
    assert!(msg.contains("larger than"), "{msg}");
}

#[test]
fn deciding_on_a_date_before_the_first_rule_is_an_error_not_a_panic() {
    let rules = RuleSet::embedded().expect("rules");
    let mut d = base();
    d["date"] = json!("2020-01-01");
    let tx = parse(&d.to_string()).expect("the date itself is valid");
    let today = parse_date("date", "2026-07-23").expect("date");
    let r = catch_unwind(AssertUnwindSafe(|| decide(&rules, &tx, today)))
        .unwrap_or_else(|_| panic!("decide panicked for a date before 2022-10-07"));
    let e = r.expect_err("no rule version is in force on 2020-01-01");
    assert!(e.to_string().contains("2020-01-01"), "the error should name the date: {e}");
}

#[test]
fn blank_base_eccn_is_ignored_and_bad_ones_are_named() {
    let mut doc = base();
    doc["items"][0]["base_eccn"] = json!("  ");
    let tx = parse(&doc.to_string()).expect("a blank base ECCN means none");
    let rules = RuleSet::embedded().expect("rules");
    let d = decide(&rules, &tx, parse_date("d", "2024-06-03").expect("date")).expect("decides");
    assert_eq!(d.items[0].eccn.as_deref(), Some("3A090.a"));
    doc["items"][0]["base_eccn"] = json!("4A0");
    rejected_at(&doc, "items[0].base_eccn");
}

#[test]
fn duplicate_keys_in_an_inline_spec_are_rejected() {
    let text = r#"{"type":"export","destination":"CN","items":[{"spec":{"name":"x","dense_tops":{"fp16":400,"fp16":10}}}]}"#;
    let msg = parse(text).expect_err("duplicate precision must be rejected");
    assert!(msg.starts_with("items[0].spec"), "{msg}");
    assert!(msg.contains("duplicate"), "{msg}");
}
