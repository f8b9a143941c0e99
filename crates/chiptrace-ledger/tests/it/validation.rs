//! Each validation problem kind: right severity, file, line and column;
//! strict fails, lenient drops exactly the bad records and dependants.

use chiptrace_ledger::{Error, LoadOptions, OrderId, Problem, ProblemKind, Report, Severity, load};
use rust_decimal::Decimal;

use super::common;

fn strict_err(file: &str, edit: impl Fn(&str) -> String) -> Report {
    let d = tempfile::tempdir().expect("tempdir");
    common::write(d.path(), file, edit);
    match load(d.path(), &LoadOptions::strict()) {
        Err(Error::Invalid(r)) => *r,
        Err(e) => panic!("unexpected error {e}"),
        Ok(l) => panic!("expected a failure, got {}", l.report),
    }
}

fn one(r: &Report, kind: ProblemKind) -> Problem {
    let ps: Vec<&Problem> = r.of_kind(kind).collect();
    assert_eq!(ps.len(), 1, "expected one {kind:?} in\n{r}");
    ps[0].clone()
}

fn assert_at(p: &Problem, sev: Severity, file: &str, line: u64, column: Option<&str>) {
    assert_eq!(p.severity, sev, "{p}");
    assert_eq!(p.file, file, "{p}");
    assert_eq!(p.line, line, "{p}");
    assert_eq!(p.column.as_deref(), column, "{p}");
}

#[test]
fn the_mini_ledger_loads_clean_with_links_and_indexes() {
    let d = tempfile::tempdir().expect("tempdir");
    common::write_ok(d.path());
    let l = load(d.path(), &LoadOptions::strict()).expect("valid ledger");
    let c = l.ledger.counts();
    assert_eq!(
        (c.parties, c.orders, c.order_lines, c.shipments, c.payments, c.serial_events, c.sites),
        (4, 2, 3, 2, 2, 5, 1)
    );
    // Only the NIC is unknown to the catalog: kept, reported once.
    let p = one(&l.report, ProblemKind::UnknownItem);
    assert_at(&p, Severity::Warning, "order_lines.csv", 3, Some("item"));
    assert!(p.message.contains("ConnectX-7"), "{p}");
    let lg = &l.ledger;
    let p2 = lg.party("P2").expect("P2");
    assert_eq!(lg.parties[p2.index()].parent, lg.party("P1"));
    let o1 = lg.order("O1").expect("O1");
    assert_eq!(lg.lines_of(o1).count(), 2);
    assert_eq!(lg.shipments_of(o1).count(), 1);
    assert_eq!(lg.payments_of(o1).count(), 1);
    assert_eq!(lg.orders_of(lg.party("S1").expect("S1")).count(), 2);
    let s = lg.serial("1654000000001").expect("serial");
    let kinds: Vec<&str> = lg.events_of(s).map(|e| e.kind.name()).collect();
    assert_eq!(kinds, ["shipped", "received", "installed"]);
    // O2 has empty bill_to / ship_to: they default to the buyer.
    let o2 = &lg.orders[lg.order("O2").expect("O2").index()];
    assert_eq!((o2.bill_to, o2.ship_to_or_buyer()), (None, o2.buyer));
}

#[test]
fn tpp_of_known_lines_via_the_catalog() {
    let d = tempfile::tempdir().expect("tempdir");
    common::write_ok(d.path());
    let l = load(d.path(), &LoadOptions::strict()).expect("valid").ledger;
    let o1 = l.order("O1").expect("O1");
    let lines: Vec<_> = l.lines_of(o1).collect();
    // 8 × H100 SXM5: TPP 15,832 each (989.5 dense FP16 TFLOPS × 16 bits).
    assert_eq!(l.line_tpp(lines[0]), Some(Decimal::from(8 * 15_832)));
    assert_eq!(l.line_accelerators(lines[0]), 8);
    // The NIC has no TPP: the order total says it is partial.
    assert_eq!(l.line_tpp(lines[1]), None);
    assert_eq!(l.order_tpp(o1), (Decimal::from(8 * 15_832), true));
    // One HGX H100 8-GPU server = 8 controlled accelerators.
    let o2 = l.order("O2").expect("O2");
    let line = l.lines_of(o2).next().expect("line");
    assert_eq!(l.line_accelerators(line), 8);
    assert_eq!(l.line_tpp(line), Some(Decimal::from(8 * 15_832)));
    let _ = OrderId(0);
}

#[test]
fn missing_file() {
    let d = tempfile::tempdir().expect("tempdir");
    common::write_ok(d.path());
    std::fs::remove_file(d.path().join("payments.csv")).expect("rm");
    let Err(Error::Invalid(r)) = load(d.path(), &LoadOptions::strict()) else {
        panic!("must fail")
    };
    let p = one(&r, ProblemKind::MissingFile);
    assert_at(&p, Severity::Error, "payments.csv", 0, None);
    // The optional sites table may be absent.
    std::fs::write(d.path().join("payments.csv"), common::PAYMENTS).expect("w");
    std::fs::remove_file(d.path().join("sites.csv")).expect("rm");
    assert!(load(d.path(), &LoadOptions::strict()).is_ok());
}

#[test]
fn missing_column() {
    let r = strict_err("orders.csv", |s| s.replacen(",currency", "", 1));
    let p = one(&r, ProblemKind::MissingColumn);
    assert_at(&p, Severity::Error, "orders.csv", 1, Some("currency"));
    // The unusable table is one error, not one dangling reference per
    // line, shipment and payment that points into it.
    assert_eq!(r.count(Severity::Error, ProblemKind::DanglingReference), 0, "{r}");
    // Lenient: the table is empty and its dependants are dropped.
    let d = tempfile::tempdir().expect("tempdir");
    common::write(d.path(), "orders.csv", |s| s.replacen(",currency", "", 1));
    let l = load(d.path(), &LoadOptions::lenient()).expect("lenient");
    let c = l.ledger.counts();
    // The `installed` event names no shipment: it depends on nothing dropped.
    assert_eq!(
        (c.orders, c.order_lines, c.shipments, c.payments, c.serial_events, c.parties),
        (0, 0, 0, 0, 1, 4)
    );
    let line = l.report.dropped.iter().find(|x| x.file == "order_lines.csv").expect("line dropped");
    assert!(line.reason.starts_with("depends on dropped order"), "{}", line.reason);
}

#[test]
fn extra_column_is_a_warning_and_header_case_is_ignored() {
    let d = tempfile::tempdir().expect("tempdir");
    common::write(d.path(), "orders.csv", |s| {
        s.replacen("order_id,date", "Order_ID,DATE", 1)
            .replacen(",currency\n", ",currency,note\n", 1)
            .replace(",USD\n", ",USD,n/a\n")
    });
    let l = load(d.path(), &LoadOptions::strict()).expect("loads");
    let p = one(&l.report, ProblemKind::ExtraColumn);
    assert_at(&p, Severity::Warning, "orders.csv", 1, Some("note"));
    assert_eq!(l.ledger.orders.len(), 2);
}

#[test]
fn dangling_references_in_every_table() {
    let cases: [(&str, &str, &str, u64, &str); 5] = [
        ("orders.csv", "O2,2025-03-10,S1,P2,", "O2,2025-03-10,S1,P9,", 3, "buyer"),
        ("shipments.csv", "SH2,O2,", "SH2,O9,", 3, "order_id"),
        ("payments.csv", "PY2,O2,", "PY2,O9,", 3, "order_id"),
        (
            "serial_events.csv",
            "received,P2,MY,2025-03-23,SH2",
            "received,P2,MY,2025-03-23,SH9",
            6,
            "shipment_id",
        ),
        ("parties.csv", ",P1,SG,company", ",P7,SG,company", 4, "parent_party_id"),
    ];
    for (file, from, to, line, col) in cases {
        let r = strict_err(file, |s| {
            assert!(s.contains(from), "fixture lacks {from:?}");
            s.replacen(from, to, 1)
        });
        let p = one(&r, ProblemKind::DanglingReference);
        assert_at(&p, Severity::Error, file, line, Some(col));
        assert!(p.message.contains("unknown"), "{p}");
    }
}

#[test]
fn shipment_before_its_order() {
    let r =
        strict_err("shipments.csv", |s| s.replacen("SH2,O2,2025-03-20", "SH2,O2,2025-03-01", 1));
    let p = one(&r, ProblemKind::DateOrder);
    assert_at(&p, Severity::Error, "shipments.csv", 3, Some("date"));
    assert!(p.message.contains("before its order \"O2\""), "{p}");
}

#[test]
fn payment_before_order_is_a_warning() {
    let d = tempfile::tempdir().expect("tempdir");
    common::write(d.path(), "payments.csv", |s| {
        s.replacen("PY2,O2,2025-03-12", "PY2,O2,2025-01-12", 1)
    });
    let l = load(d.path(), &LoadOptions::strict()).expect("warnings only");
    let p = one(&l.report, ProblemKind::PaymentBeforeOrder);
    assert_at(&p, Severity::Warning, "payments.csv", 3, Some("date"));
}

#[test]
fn impossible_serial_sequence_is_a_warning() {
    let d = tempfile::tempdir().expect("tempdir");
    common::write(d.path(), "serial_events.csv", |s| {
        s.replacen("installed,P1,SG,2025-03-25", "installed,P1,SG,2025-03-16", 1)
    });
    let l = load(d.path(), &LoadOptions::strict()).expect("warnings only");
    let p = one(&l.report, ProblemKind::SerialSequence);
    assert_at(&p, Severity::Warning, "serial_events.csv", 4, Some("date"));
    assert!(p.message.contains("installed on 2025-03-16 before it was first received"), "{p}");
}

#[test]
fn duplicate_ids() {
    let r = strict_err("orders.csv", |s| format!("{s}O1,2025-04-01,S1,P1,P1,P1,P1,x,1.00,USD\n"));
    let p = one(&r, ProblemKind::DuplicateId);
    assert_at(&p, Severity::Error, "orders.csv", 4, Some("order_id"));
    assert!(p.message.contains("first on line 2"), "{p}");
}

#[test]
fn wrong_types() {
    let cases: [(&str, &str, &str, ProblemKind, u64, &str); 8] = [
        ("orders.csv", "O1,2025-03-01", "O1,2025-02-30", ProblemKind::BadDate, 2, "date"),
        (
            "order_lines.csv",
            "O1,H100 SXM,8,",
            "O1,H100 SXM,-8,",
            ProblemKind::NegativeValue,
            2,
            "quantity",
        ),
        (
            "order_lines.csv",
            "O1,H100 SXM,8,",
            "O1,H100 SXM,eight,",
            ProblemKind::BadNumber,
            2,
            "quantity",
        ),
        ("orders.csv", "259500.00,USD", "259,500.00,USD", ProblemKind::FieldCount, 2, ""),
        ("payments.csv", ",259500.00,USD", ",25950O.00,USD", ProblemKind::BadNumber, 2, "amount"),
        ("shipments.csv", "US,MY,P2", "US,UK,P2", ProblemKind::BadCountry, 3, "to_country"),
        ("serial_events.csv", "installed,P1", "deployed,P1", ProblemKind::BadEnum, 4, "event"),
        ("payments.csv", "USD\nPY2", "US$\nPY2", ProblemKind::BadCurrency, 2, "currency"),
    ];
    for (file, from, to, kind, line, col) in cases {
        let r = strict_err(file, |s| {
            assert!(s.contains(from), "fixture lacks {from:?}");
            s.replacen(from, to, 1)
        });
        let p = one(&r, kind);
        let col = if col.is_empty() { None } else { Some(col) };
        assert_at(&p, Severity::Error, file, line, col);
    }
    // A missing required value.
    let r = strict_err("parties.csv", |s| s.replacen("P1,Tai Seng Digital Pte. Ltd.,", "P1,,", 1));
    assert_at(&one(&r, ProblemKind::MissingValue), Severity::Error, "parties.csv", 3, Some("name"));
    // An unknown party kind.
    let r = strict_err("parties.csv", |s| s.replacen("US,company", "US,corporation", 1));
    assert_at(&one(&r, ProblemKind::BadEnum), Severity::Error, "parties.csv", 2, Some("kind"));
}

#[test]
fn report_counts_are_exact_beyond_the_cap() {
    let d = tempfile::tempdir().expect("tempdir");
    common::write(d.path(), "order_lines.csv", |s| {
        let mut t = s.to_string();
        for _ in 0..120 {
            t.push_str("O1,H100 SXM,0,1.00,8473.30\n");
        }
        t
    });
    let opts = LoadOptions { limit_per_kind: 10, ..LoadOptions::strict() };
    let Err(Error::Invalid(r)) = load(d.path(), &opts) else { panic!("must fail") };
    assert_eq!(r.count(Severity::Error, ProblemKind::NegativeValue), 120);
    assert_eq!(r.of_kind(ProblemKind::NegativeValue).count(), 10);
    assert!(r.to_string().contains("… and 110 more error[negative_value]"), "{r}");
}

#[test]
fn lenient_drops_exactly_the_bad_records_and_their_dependants() {
    let d = tempfile::tempdir().expect("tempdir");
    // P2 gets an invalid country: P2 goes, and with it order O2, its line,
    // shipment SH2, payment PY2, and the events of SH2 that name P2.
    common::write(d.path(), "parties.csv", |s| {
        s.replacen(
            "P2,Tai Seng Digital (MY) Sdn. Bhd.,MY",
            "P2,Tai Seng Digital (MY) Sdn. Bhd.,XX",
            1,
        )
    });
    let Err(Error::Invalid(_)) = load(d.path(), &LoadOptions::strict()) else {
        panic!("strict must fail")
    };
    let l = load(d.path(), &LoadOptions::lenient()).expect("lenient loads");
    let lg = &l.ledger;
    let c = lg.counts();
    assert_eq!(
        (c.parties, c.orders, c.order_lines, c.shipments, c.payments, c.serial_events),
        (3, 1, 2, 1, 1, 3)
    );
    assert!(lg.party("P2").is_none() && lg.order("O2").is_none() && lg.shipment("SH2").is_none());
    assert!(lg.party("P1").is_some() && lg.order("O1").is_some());
    assert_eq!(l.report.count(Severity::Error, ProblemKind::BadCountry), 1);
    let dropped: Vec<(String, String)> =
        l.report.dropped.iter().map(|x| (x.file.clone(), x.id.clone())).collect();
    let want = [
        ("parties.csv", "P2"),
        ("orders.csv", "O2"),
        ("order_lines.csv", "O2/HGX H100 8-GPU"),
        ("shipments.csv", "SH2"),
        ("payments.csv", "PY2"),
        ("serial_events.csv", "1561000000001@2025-03-20"),
        ("serial_events.csv", "1561000000001@2025-03-23"),
    ];
    assert_eq!(dropped.len(), want.len(), "{}", l.report);
    for (f, id) in want {
        assert!(
            dropped.contains(&(f.to_string(), id.to_string())),
            "{f} {id} not dropped: {}",
            l.report
        );
    }
    let o2 = l.report.dropped.iter().find(|x| x.id == "O2").expect("O2 dropped");
    assert!(o2.reason.contains("depends on dropped party \"P2\""), "{}", o2.reason);
    // The survivors' references are remapped to the compacted ids.
    let o1 = &lg.orders[lg.order("O1").expect("O1").index()];
    assert_eq!(lg.party_id_str(o1.buyer), "P1");
}

#[test]
fn lenient_drops_a_child_of_a_dropped_parent() {
    let d = tempfile::tempdir().expect("tempdir");
    common::write(d.path(), "parties.csv", |s| {
        s.replacen("P1,Tai Seng Digital Pte. Ltd.,SG", "P1,Tai Seng Digital Pte. Ltd.,ZZ", 1)
    });
    let l = load(d.path(), &LoadOptions::lenient()).expect("lenient");
    // P1 invalid → P2 (child of P1) dropped → both orders, lines, … gone.
    assert_eq!(l.ledger.counts().orders, 0);
    let p2 = l.report.dropped.iter().find(|x| x.id == "P2").expect("P2 dropped");
    assert!(p2.reason.contains("\"P1\" (parent)"), "{}", p2.reason);
}

#[test]
fn jsonl_with_json_numbers_reads_money_exactly() {
    let d = tempfile::tempdir().expect("tempdir");
    common::write_ok(d.path());
    std::fs::remove_file(d.path().join("payments.csv")).expect("rm");
    std::fs::write(
        d.path().join("payments.jsonl"),
        "{\"payment_id\":\"PY1\",\"order_id\":\"O1\",\"date\":\"2025-03-05\",\"payer\":\"P1\",\"payer_country\":\"SG\",\"bank_country\":null,\"amount\":259500.10,\"currency\":\"USD\",\"Extra\":1}\n\
         \n\
         {\"PAYMENT_ID\":\"PY2\",\"order_id\":\"O2\",\"date\":\"2025-03-12\",\"payer\":\"P2\",\"amount\":\"0.30\",\"currency\":\"usd\",\"method\":\"wire\"}\n",
    )
    .expect("w");
    let l = load(d.path(), &LoadOptions::strict()).expect("loads");
    let p = &l.ledger.payments;
    assert_eq!(p[0].amount.to_string(), "259500.10");
    assert_eq!(p[1].amount.to_string(), "0.30");
    assert_eq!(p[1].currency.as_str(), "USD");
    assert_eq!(p[0].bank_country, None);
    let w = one(&l.report, ProblemKind::ExtraColumn);
    assert_at(&w, Severity::Warning, "payments.jsonl", 1, Some("extra"));
    // A broken JSON line is located.
    std::fs::write(d.path().join("payments.jsonl"), "{\"payment_id\":\"PY1\",\n").expect("w");
    let Err(Error::Invalid(r)) = load(d.path(), &LoadOptions::strict()) else {
        panic!("must fail")
    };
    assert_at(&one(&r, ProblemKind::Malformed), Severity::Error, "payments.jsonl", 1, None);
}

#[test]
fn report_renders_as_documented_and_serialises() {
    let r =
        strict_err("orders.csv", |s| s.replacen("O2,2025-03-10,S1,P2,", "O2,2025-03-10,S1,P9,", 1));
    let p = one(&r, ProblemKind::DanglingReference);
    assert_eq!(
        p.to_string(),
        "error[dangling_reference] orders.csv:3: column buyer: unknown party \"P9\""
    );
    let j = serde_json::to_value(&r).expect("json");
    assert_eq!(j["errors"], 1);
    assert_eq!(j["counts"]["error:dangling_reference"], 1);
    assert_eq!(j["problems"][0]["kind"], "dangling_reference");
    assert_eq!(j["problems"][0]["line"], 3);
    let e = Error::Invalid(Box::new(r));
    assert!(e.to_string().starts_with("the ledger is invalid: 1 error(s)"), "{e}");
}
