//! Every implemented red-flag rule on tiny ledgers written as real files:
//! a clean base deal (a US seller, an established Japanese data centre
//! buying HGX H100 servers for its declared site, shipped and paid
//! normally), one mutation per test that triggers the rule under test, and
//! the nearest benign variant that must not. Plus scoring and the rule-data
//! loader.
#![allow(clippy::unwrap_used)]

use chiptrace_diversion::{
    Action, Alert, Analysis, AnomalyInput, Config, Context, Error, ExposureInput, Hit, IMPLEMENTED,
    ListHit, Severity, analyze,
};
use chiptrace_ledger::{Ledger, LoadOptions, OrderId, load};
use serde_json::{Value, json};

// ------------------------------------------------------------------ builder

#[derive(Clone, Default)]
struct P {
    id: String,
    name: String,
    country: String,
    address: String,
    phone: String,
    email: String,
    website: String,
    registration_id: String,
    incorporated_on: String,
    parent: String,
    hq_country: String,
    kind: String,
    industry: String,
}

#[derive(Clone, Default)]
struct O {
    id: String,
    date: String,
    seller: String,
    buyer: String,
    bill_to: String,
    ship_to: String,
    end_user: String,
    end_use: String,
    value: String,
    currency: String,
    site: String,
}

#[derive(Clone, Default)]
struct Line {
    order: String,
    item: String,
    quantity: String,
    unit_price: String,
    hs_code: String,
}

#[derive(Clone, Default)]
struct Ship {
    id: String,
    order: String,
    date: String,
    from: String,
    to: String,
    consignee: String,
    forwarder: String,
    description: String,
    value: String,
    weight: String,
}

#[derive(Clone, Default)]
struct Ev {
    serial: String,
    item: String,
    event: String,
    party: String,
    country: String,
    date: String,
    shipment: String,
}

#[derive(Clone, Default)]
struct Pay {
    id: String,
    order: String,
    date: String,
    payer: String,
    payer_country: String,
    bank_country: String,
    amount: String,
    currency: String,
    method: String,
}

#[derive(Clone, Default)]
struct Site {
    id: String,
    party: String,
    country: String,
    address: String,
    power_kw: String,
    floor_m2: String,
}

const SERVER: &str = "HGX H100 8-GPU";

#[derive(Clone, Default)]
struct B {
    parties: Vec<P>,
    orders: Vec<O>,
    lines: Vec<Line>,
    ships: Vec<Ship>,
    events: Vec<Ev>,
    pays: Vec<Pay>,
    sites: Vec<Site>,
}

fn s(x: &str) -> String {
    x.to_string()
}

fn csv_row(fields: &[&str]) -> String {
    let q: Vec<String> = fields.iter().map(|f| format!("\"{}\"", f.replace('"', "\"\""))).collect();
    q.join(",") + "\n"
}

impl B {
    /// The clean deal: US seller S1 sells 3 HGX H100 servers (24 controlled
    /// accelerators, 900 000 USD) to Tokyo Cloud KK (B1, JP, founded 2009),
    /// declared end user B1, for its site SITE1 (2 MW, 1000 m²); shipped
    /// US -> JP to B1, paid by B1 from Japan; serials received and installed
    /// in Japan.
    fn base() -> B {
        let mut b = B::default();
        b.parties.push(P {
            id: s("S1"),
            name: s("Acme Compute Systems Inc"),
            country: s("US"),
            address: s("100 Market Street, San Jose, CA 95113"),
            phone: s("+1 408 555 0100"),
            email: s("sales@acmecompute.com"),
            website: s("https://www.acmecompute.com"),
            registration_id: s("EIN 12-3456789"),
            incorporated_on: s("2001-05-01"),
            hq_country: s("US"),
            kind: s("company"),
            industry: s("server manufacturing"),
            ..P::default()
        });
        b.parties.push(P {
            id: s("B1"),
            name: s("Tokyo Cloud KK"),
            country: s("JP"),
            address: s("1-2-3 Otemachi, Chiyoda-ku, Tokyo"),
            phone: s("+81 3 1234 5678"),
            email: s("procurement@tokyocloud.co.jp"),
            website: s("https://www.tokyocloud.co.jp"),
            registration_id: s("0100-01-123456"),
            incorporated_on: s("2009-04-01"),
            hq_country: s("JP"),
            kind: s("company"),
            industry: s("cloud computing and data centre services"),
            ..P::default()
        });
        b.sites.push(Site {
            id: s("SITE1"),
            party: s("B1"),
            country: s("JP"),
            address: s("5-1 Inzai Data Park, Chiba"),
            power_kw: s("2000"),
            floor_m2: s("1000"),
        });
        b.orders.push(O {
            id: s("O1"),
            date: s("2026-03-02"),
            seller: s("S1"),
            buyer: s("B1"),
            end_user: s("B1"),
            end_use: s("AI model training in own data centre"),
            value: s("900000.00"),
            currency: s("USD"),
            site: s("SITE1"),
            ..O::default()
        });
        b.lines.push(Line {
            order: s("O1"),
            item: s(SERVER),
            quantity: s("3"),
            unit_price: s("300000.00"),
            hs_code: s("8471.50"),
        });
        b.ships.push(Ship {
            id: s("SH1"),
            order: s("O1"),
            date: s("2026-03-20"),
            from: s("US"),
            to: s("JP"),
            consignee: s("B1"),
            description: s("NVIDIA HGX H100 GPU servers"),
            value: s("900000.00"),
            weight: s("390"),
            ..Ship::default()
        });
        for n in 1..=3 {
            let serial = format!("SN{n}");
            b.ev(&serial, "shipped", "S1", "US", "2026-03-20", "SH1");
            b.ev(&serial, "received", "B1", "JP", "2026-03-24", "SH1");
            b.ev(&serial, "installed", "B1", "JP", "2026-04-02", "");
        }
        b.pays.push(Pay {
            id: s("PAY1"),
            order: s("O1"),
            date: s("2026-04-10"),
            payer: s("B1"),
            payer_country: s("JP"),
            bank_country: s("JP"),
            amount: s("900000.00"),
            currency: s("USD"),
            method: s("wire"),
        });
        b
    }

    /// The same deal, but bought for resale by a Singapore distributor D1
    /// (declared end user D1; "resale to data centres in Japan"), shipped
    /// to Singapore and received there. Clean as it stands; tests add the
    /// onward movement.
    fn hub_distributor() -> B {
        let mut b = B::base();
        b.company("D1", "Lion City Compute Pte Ltd", "SG").industry = s("IT hardware distribution");
        let o = b.order("O1");
        o.buyer = s("D1");
        o.end_user = s("D1");
        o.site = String::new();
        o.end_use = s("resale to data centres in Japan");
        b.sites.clear();
        let sh = b.ship("SH1");
        sh.to = s("SG");
        sh.consignee = s("D1");
        let p = b.pay("PAY1");
        p.payer = s("D1");
        p.payer_country = s("SG");
        p.bank_country = s("SG");
        b.events.retain(|e| e.event == "shipped");
        for n in 1..=3 {
            b.ev(&format!("SN{n}"), "received", "D1", "SG", "2026-03-24", "SH1");
        }
        b
    }

    fn ev(
        &mut self,
        serial: &str,
        event: &str,
        party: &str,
        country: &str,
        date: &str,
        shipment: &str,
    ) {
        self.events.push(Ev {
            serial: s(serial),
            item: s(SERVER),
            event: s(event),
            party: s(party),
            country: s(country),
            date: s(date),
            shipment: s(shipment),
        });
    }

    /// Every serial of the base deal is exported by D1 to `country` on `date`.
    fn export_all(&mut self, country: &str, date: &str) {
        for n in 1..=3 {
            self.ev(&format!("SN{n}"), "exported", "D1", country, date, "");
        }
    }

    /// A clean company with its own phone, domain and address.
    fn company(&mut self, id: &str, name: &str, country: &str) -> &mut P {
        let n = self.parties.len() + 10;
        let dom = format!("{}-corp.com", id.to_ascii_lowercase());
        self.parties.push(P {
            id: s(id),
            name: s(name),
            country: s(country),
            address: format!("{n} Harbour Road, Building {n}, City {n}"),
            phone: format!("+99 {n:04} {n:04}"),
            email: format!("info@{dom}"),
            website: format!("https://www.{dom}"),
            registration_id: format!("REG-{id}"),
            incorporated_on: s("2012-06-01"),
            hq_country: s(country),
            kind: s("company"),
            industry: s("cloud computing"),
            ..P::default()
        });
        self.parties.last_mut().unwrap()
    }

    /// A small clean deal: `qty` servers (8 × qty controlled accelerators)
    /// sold to `buyer` (also the end user), shipped to its country, paid by it.
    fn deal(&mut self, oid: &str, buyer: &str, date: &str, qty: u32) {
        let c = self.party(buyer).country.clone();
        let value = format!("{}.00", u64::from(qty) * 300_000);
        self.orders.push(O {
            id: s(oid),
            date: s(date),
            seller: s("S1"),
            buyer: s(buyer),
            end_user: s(buyer),
            end_use: s("AI inference in own data centre"),
            value: value.clone(),
            currency: s("USD"),
            ..O::default()
        });
        self.lines.push(Line {
            order: s(oid),
            item: s(SERVER),
            quantity: qty.to_string(),
            unit_price: s("300000.00"),
            hs_code: s("8471.50"),
        });
        self.ships.push(Ship {
            id: format!("SH-{oid}"),
            order: s(oid),
            date: s(date),
            from: s("US"),
            to: c.clone(),
            consignee: s(buyer),
            description: s("NVIDIA HGX H100 GPU servers"),
            value: value.clone(),
            weight: s("130"),
            ..Ship::default()
        });
        self.pays.push(Pay {
            id: format!("PAY-{oid}"),
            order: s(oid),
            date: s(date),
            payer: s(buyer),
            payer_country: c.clone(),
            bank_country: c,
            amount: value,
            currency: s("USD"),
            method: s("wire"),
        });
    }

    fn party(&mut self, id: &str) -> &mut P {
        self.parties.iter_mut().find(|p| p.id == id).unwrap()
    }
    fn order(&mut self, id: &str) -> &mut O {
        self.orders.iter_mut().find(|p| p.id == id).unwrap()
    }
    fn ship(&mut self, id: &str) -> &mut Ship {
        self.ships.iter_mut().find(|p| p.id == id).unwrap()
    }
    fn pay(&mut self, id: &str) -> &mut Pay {
        self.pays.iter_mut().find(|p| p.id == id).unwrap()
    }
    fn site(&mut self, id: &str) -> &mut Site {
        self.sites.iter_mut().find(|p| p.id == id).unwrap()
    }

    fn write(&self, dir: &std::path::Path) {
        let mut t = csv_row(&[
            "party_id",
            "name",
            "country",
            "address",
            "phone",
            "email",
            "website",
            "registration_id",
            "incorporated_on",
            "parent_party_id",
            "hq_country",
            "kind",
            "industry",
        ]);
        for p in &self.parties {
            t += &csv_row(&[
                &p.id,
                &p.name,
                &p.country,
                &p.address,
                &p.phone,
                &p.email,
                &p.website,
                &p.registration_id,
                &p.incorporated_on,
                &p.parent,
                &p.hq_country,
                &p.kind,
                &p.industry,
            ]);
        }
        std::fs::write(dir.join("parties.csv"), t).unwrap();
        let mut t = csv_row(&[
            "order_id",
            "date",
            "seller",
            "buyer",
            "bill_to",
            "ship_to",
            "end_user",
            "declared_end_use",
            "value",
            "currency",
            "site_id",
        ]);
        for o in &self.orders {
            t += &csv_row(&[
                &o.id,
                &o.date,
                &o.seller,
                &o.buyer,
                &o.bill_to,
                &o.ship_to,
                &o.end_user,
                &o.end_use,
                &o.value,
                &o.currency,
                &o.site,
            ]);
        }
        std::fs::write(dir.join("orders.csv"), t).unwrap();
        let mut t = csv_row(&["order_id", "item", "quantity", "unit_price", "hs_code"]);
        for l in &self.lines {
            t += &csv_row(&[&l.order, &l.item, &l.quantity, &l.unit_price, &l.hs_code]);
        }
        std::fs::write(dir.join("order_lines.csv"), t).unwrap();
        let mut t = csv_row(&[
            "shipment_id",
            "order_id",
            "date",
            "from_country",
            "to_country",
            "consignee",
            "forwarder",
            "declared_description",
            "declared_value",
            "weight_kg",
        ]);
        for x in &self.ships {
            t += &csv_row(&[
                &x.id,
                &x.order,
                &x.date,
                &x.from,
                &x.to,
                &x.consignee,
                &x.forwarder,
                &x.description,
                &x.value,
                &x.weight,
            ]);
        }
        std::fs::write(dir.join("shipments.csv"), t).unwrap();
        let mut t =
            csv_row(&["serial", "item", "event", "party", "country", "date", "shipment_id"]);
        for e in &self.events {
            t += &csv_row(&[
                &e.serial,
                &e.item,
                &e.event,
                &e.party,
                &e.country,
                &e.date,
                &e.shipment,
            ]);
        }
        std::fs::write(dir.join("serial_events.csv"), t).unwrap();
        let mut t = csv_row(&[
            "payment_id",
            "order_id",
            "date",
            "payer",
            "payer_country",
            "bank_country",
            "amount",
            "currency",
            "method",
        ]);
        for p in &self.pays {
            t += &csv_row(&[
                &p.id,
                &p.order,
                &p.date,
                &p.payer,
                &p.payer_country,
                &p.bank_country,
                &p.amount,
                &p.currency,
                &p.method,
            ]);
        }
        std::fs::write(dir.join("payments.csv"), t).unwrap();
        let mut t = csv_row(&[
            "site_id",
            "party",
            "country",
            "address",
            "declared_power_kw",
            "floor_space_m2",
        ]);
        for x in &self.sites {
            t += &csv_row(&[&x.id, &x.party, &x.country, &x.address, &x.power_kw, &x.floor_m2]);
        }
        std::fs::write(dir.join("sites.csv"), t).unwrap();
    }

    fn ledger(&self) -> Ledger {
        let dir = tempfile::tempdir().unwrap();
        self.write(dir.path());
        match load(dir.path(), &LoadOptions::strict()) {
            Ok(l) => l.ledger,
            Err(e) => panic!("the test ledger does not load: {e}"),
        }
    }

    fn run(&self) -> Run {
        self.run_with(|_| (Context::default(), vec![], vec![]))
    }

    fn run_with(
        &self,
        inputs: impl FnOnce(&Ledger) -> (Context, Vec<AnomalyInput>, Vec<ExposureInput>),
    ) -> Run {
        let l = self.ledger();
        let (ctx, anomalies, exposures) = inputs(&l);
        let a = analyze(&l, &Config::embedded().unwrap(), &ctx, anomalies, exposures).unwrap();
        Run { l, a }
    }
}

struct Run {
    l: Ledger,
    a: Analysis,
}

impl Run {
    /// Rules that fired at all (any severity, with or without an alert).
    fn fired(&self) -> Vec<&str> {
        self.a.summary.hits_by_rule.keys().map(String::as_str).collect()
    }

    fn count(&self, rule: &str) -> usize {
        self.a.summary.hits_by_rule.get(rule).copied().unwrap_or(0)
    }

    /// The first alert carrying a hit of `rule`, and that hit.
    fn hit(&self, rule: &str) -> (&Alert, &Hit) {
        self.a
            .alerts
            .iter()
            .find_map(|al| al.evidence.iter().find(|h| h.rule == rule).map(|h| (al, h)))
            .unwrap_or_else(|| panic!("no alert carries {rule}; rules fired: {:?}", self.fired()))
    }

    fn orders(&self, h: &Hit) -> Vec<String> {
        h.orders.iter().map(|o| self.l.order_id_str(OrderId(*o)).to_string()).collect()
    }

    fn action(&self, order: &str) -> Action {
        self.a.order_action[self.l.order(order).unwrap().index()]
    }

    fn absent(&self, rule: &str) {
        assert_eq!(
            self.count(rule),
            0,
            "{rule} fired; all rules fired: {:?}; alerts: {:#?}",
            self.fired(),
            self.a.alerts
        );
    }

    fn only(&self, rules: &[&str]) {
        assert_eq!(self.fired(), rules, "alerts: {:#?}", self.a.alerts);
    }
}

/// Assert rule, level, severity, the alert's order and the hit's orders.
fn check(al: &Alert, h: &Hit, r: &Run, rule: &str, level: &str, sev: Severity, orders: &[&str]) {
    assert_eq!(h.rule, rule);
    assert_eq!(h.level, level, "{h:#?}");
    assert_eq!(h.severity, sev, "{h:#?}");
    assert!(orders.contains(&al.order.as_str()), "alert on {} not on {orders:?}", al.order);
    assert_eq!(r.orders(h), orders, "{h:#?}");
    assert!(al.rule_ids.iter().any(|x| x == rule));
    for o in orders {
        assert!(al.orders.iter().any(|x| x == o), "{o} not in the alert's orders {:?}", al.orders);
    }
}

fn ev<'a>(h: &'a Hit, key: &str) -> &'a Value {
    &h.evidence[key]
}

// ------------------------------------------------------------------ base

#[test]
fn the_base_ledger_is_clean() {
    let r = B::base().run();
    r.only(&[]);
    assert!(r.a.alerts.is_empty());
    assert_eq!(r.action("O1"), Action::Record);
    let r = B::hub_distributor().run();
    r.only(&[]);
}

#[test]
fn every_implemented_rule_is_in_the_embedded_data() {
    let cfg = Config::embedded().unwrap();
    assert_eq!(IMPLEMENTED.len(), 22);
    for id in IMPLEMENTED {
        assert!(cfg.rule(id).is_some(), "{id}");
    }
}

// ------------------------------------------------------------------ RF-P01

fn listed(l: &Ledger, party: &str, score: f64) -> Context {
    let mut listed = vec![None; l.parties.len()];
    listed[l.party(party).unwrap().index()] = Some(ListHit {
        score,
        list: s("Entity List"),
        entry_id: s("EL-123"),
        entry_name: s("Tokyo Kuraudo Co"),
        matched_name: s("Tokyo Cloud KK"),
    });
    Context { listed, ..Context::default() }
}

#[test]
fn p01_a_listed_buyer_is_critical_and_blocks() {
    let r = B::base().run_with(|l| (listed(l, "B1", 0.95), vec![], vec![]));
    let (al, h) = r.hit("RF-P01");
    check(al, h, &r, "RF-P01", "hit", Severity::Critical, &["O1"]);
    assert_eq!(ev(h, "score"), &json!(0.95));
    assert_eq!(ev(h, "entry_id"), "EL-123");
    assert_eq!(al.action, Action::Block);
    r.only(&["RF-P01"]);
}

#[test]
fn p01_a_weak_match_is_high() {
    let r = B::base().run_with(|l| (listed(l, "B1", 0.88), vec![], vec![]));
    let (al, h) = r.hit("RF-P01");
    check(al, h, &r, "RF-P01", "weak_hit", Severity::High, &["O1"]);
    assert_eq!(ev(h, "party"), "B1");
    assert_eq!(al.action, Action::Hold);
}

#[test]
fn p01_a_listed_forwarder_is_a_hit() {
    let mut b = B::base();
    b.company("F1", "Narita Freight Forwarding KK", "JP").industry = s("freight forwarding");
    b.ship("SH1").forwarder = s("F1");
    let r = b.run_with(|l| (listed(l, "F1", 0.97), vec![], vec![]));
    let (al, h) = r.hit("RF-P01");
    check(al, h, &r, "RF-P01", "hit", Severity::Critical, &["O1"]);
    assert_eq!(ev(h, "roles"), &json!(["forwarder"]));
}

#[test]
fn p01_below_the_weak_threshold_is_nothing() {
    let r = B::base().run_with(|l| (listed(l, "B1", 0.80), vec![], vec![]));
    r.absent("RF-P01");
    assert!(r.a.alerts.is_empty());
}

// ------------------------------------------------------------------ RF-P02

#[test]
fn p02_end_user_shares_a_phone_with_the_forwarder() {
    let mut b = B::base();
    b.company("F1", "Narita Freight Forwarding KK", "JP").industry = s("freight forwarding");
    let phone = b.party("F1").phone.clone();
    b.company("E1", "Chiba AI Lab KK", "JP").phone = phone;
    b.ship("SH1").forwarder = s("F1");
    b.order("O1").end_user = s("E1");
    let r = b.run();
    let (al, h) = r.hit("RF-P02");
    check(al, h, &r, "RF-P02", "intra_deal", Severity::Medium, &["O1"]);
    assert_eq!(ev(h, "role"), "forwarder");
    assert_eq!(ev(h, "other"), "F1");
    assert_eq!(h.evidence["shared"][0]["kind"], "phone");
    assert_eq!(al.action, Action::Inquire);
    r.only(&["RF-P02"]);
}

#[test]
fn p02_end_user_shares_a_domain_with_an_unrelated_buyer() {
    let mut b = B::base();
    b.company("E1", "Chiba AI Lab KK", "JP").email = s("lab@tokyocloud.co.jp");
    b.order("O1").end_user = s("E1");
    let r = b.run();
    let (al, h) = r.hit("RF-P02");
    check(al, h, &r, "RF-P02", "intra_deal", Severity::Medium, &["O1"]);
    assert_eq!(ev(h, "role"), "buyer");
    assert_eq!(h.evidence["shared"][0]["value"], "tokyocloud.co.jp");
}

#[test]
fn p02_a_subsidiary_end_user_on_the_group_domain_is_not_flagged() {
    let mut b = B::base();
    let e1 = b.company("E1", "Tokyo Cloud Osaka KK", "JP");
    e1.email = s("osaka@tokyocloud.co.jp");
    e1.parent = s("B1");
    b.order("O1").end_user = s("E1");
    let r = b.run();
    r.absent("RF-P02");
    r.only(&[]);
}

#[test]
fn p02_a_forwarder_with_its_own_contact_data_is_not_flagged() {
    let mut b = B::base();
    b.company("F1", "Narita Freight Forwarding KK", "JP").industry = s("freight forwarding");
    b.company("E1", "Chiba AI Lab KK", "JP");
    b.ship("SH1").forwarder = s("F1");
    b.order("O1").end_user = s("E1");
    b.run().absent("RF-P02");
}

// ------------------------------------------------------------------ RF-P04

#[test]
fn p04_buyer_headquartered_in_china_is_critical() {
    let mut b = B::base();
    b.party("B1").hq_country = s("CN");
    let r = b.run();
    let (al, h) = r.hit("RF-P04");
    check(al, h, &r, "RF-P04", "d5_hq", Severity::Critical, &["O1"]);
    assert_eq!(ev(h, "hq_country"), "CN");
    assert_eq!(al.action, Action::Block);
    r.only(&["RF-P04"]);
}

#[test]
fn p04_parent_in_china_is_critical() {
    let mut b = B::base();
    b.company("H0", "Pacific Holdings Ltd", "CN");
    b.party("B1").parent = s("H0");
    let r = b.run();
    let (al, h) = r.hit("RF-P04");
    check(al, h, &r, "RF-P04", "d5_hq", Severity::Critical, &["O1"]);
    assert_eq!(ev(h, "parent_country"), "CN");
}

#[test]
fn p04_ultimate_parent_in_china_through_an_offshore_holding() {
    // B1 (JP) <- H1 (Cayman holding, no HQ given) <- H0 (CN): the catalogue
    // checks the ultimate parent.
    let mut b = B::base();
    b.company("H0", "Pacific Holdings Ltd", "CN");
    b.company("H1", "Pacific Cloud Investments Ltd", "KY").parent = s("H0");
    b.party("H1").hq_country = String::new();
    b.party("B1").parent = s("H1");
    let r = b.run();
    let (al, h) = r.hit("RF-P04");
    check(al, h, &r, "RF-P04", "d5_hq", Severity::Critical, &["O1"]);
}

#[test]
fn p04_parent_registered_offshore_but_headquartered_in_china() {
    let mut b = B::base();
    b.company("H1", "Pacific Cloud Investments Ltd", "KY").hq_country = s("CN");
    b.party("B1").parent = s("H1");
    let r = b.run();
    let (al, h) = r.hit("RF-P04");
    check(al, h, &r, "RF-P04", "d5_hq", Severity::Critical, &["O1"]);
}

#[test]
fn p04_a_us_parent_is_not_flagged() {
    let mut b = B::base();
    b.company("H0", "Tokyo Cloud Holdings Inc", "US");
    b.party("B1").parent = s("H0");
    let r = b.run();
    r.absent("RF-P04");
    r.only(&[]);
}

// ------------------------------------------------------------------ RF-P05

#[test]
fn p05_formed_weeks_before_a_controlled_order_is_high() {
    // new and registered in a transshipment hub (FC2023A)
    let mut b = B::base();
    b.party("B1").incorporated_on = s("2026-01-15");
    b.party("B1").country = s("SG");
    let r = b.run();
    let (al, h) = r.hit("RF-P05");
    check(al, h, &r, "RF-P05", "post_control_start", Severity::High, &["O1"]);
    assert_eq!(ev(h, "age_days"), &json!(46));
}

#[test]
fn p05_formed_weeks_before_in_an_allied_country_with_a_website_is_medium() {
    // the same youth in Japan, with a corporate website: inquire, not hold
    let mut b = B::base();
    b.party("B1").incorporated_on = s("2026-01-15");
    let r = b.run();
    let (al, h) = r.hit("RF-P05");
    check(al, h, &r, "RF-P05", "young", Severity::Medium, &["O1"]);
    r.only(&["RF-P05"]);
}

#[test]
fn p05_formed_months_before_is_medium() {
    let mut b = B::base();
    b.party("B1").incorporated_on = s("2025-08-01");
    let r = b.run();
    let (al, h) = r.hit("RF-P05");
    check(al, h, &r, "RF-P05", "young", Severity::Medium, &["O1"]);
    assert_eq!(ev(h, "incorporated_on"), "2025-08-01");
    assert_eq!(al.action, Action::Inquire);
}

#[test]
fn p05_over_a_year_old_is_not_flagged() {
    let mut b = B::base();
    b.party("B1").incorporated_on = s("2025-02-01");
    b.run().absent("RF-P05");
}

// ------------------------------------------------------------------ RF-P06

#[test]
fn p06_free_mail_is_medium() {
    let mut b = B::base();
    b.party("B1").email = s("tokyocloud.procurement@gmail.com");
    let r = b.run();
    let (al, h) = r.hit("RF-P06");
    check(al, h, &r, "RF-P06", "web", Severity::Medium, &["O1"]);
    assert_eq!(ev(h, "email"), "tokyocloud.procurement@gmail.com");
    r.only(&["RF-P06"]);
}

#[test]
fn p06_no_website_is_medium() {
    let mut b = B::base();
    b.party("B1").website = String::new();
    let r = b.run();
    let (al, h) = r.hit("RF-P06");
    check(al, h, &r, "RF-P06", "web", Severity::Medium, &["O1"]);
    assert_eq!(ev(h, "website"), "");
}

#[test]
fn p06_corporate_mail_and_website_are_fine() {
    let mut b = B::base();
    // e-mail and website on different corporate domains
    b.party("B1").email = s("buy@tc-group.jp");
    b.run().absent("RF-P06");
}

// ------------------------------------------------------------------ RF-P10

#[test]
fn p10_real_estate_buyer_is_high() {
    let mut b = B::base();
    b.party("B1").industry = s("Real estate development");
    let r = b.run();
    let (al, h) = r.hit("RF-P10");
    check(al, h, &r, "RF-P10", "misfit", Severity::High, &["O1"]);
    assert_eq!(ev(h, "matched"), "real estate");
    assert_eq!(ev(h, "role"), "buyer");
    assert_eq!(al.action, Action::Hold);
    r.only(&["RF-P10"]);
}

#[test]
fn p10_a_computing_business_is_not_flagged() {
    let mut b = B::base();
    b.party("B1").industry = s("AI research and GPU cloud services");
    b.run().absent("RF-P10");
}

// ------------------------------------------------------------------ RF-P13 / O10 / N04

/// B1 plus `n` more JP customers with one small order each, spaced far
/// apart (no RF-O10), all sharing B1's phone.
fn shared_phone_customers(n: usize, spacing_days: i64) -> B {
    let mut b = B::base();
    let phone = b.party("B1").phone.clone();
    let start: jiff::civil::Date = "2026-03-02".parse().unwrap();
    for k in 2..2 + n {
        let id = format!("B{k}");
        b.company(&id, &format!("Kansai Compute {k} KK"), "JP").phone = phone.clone();
        let date =
            start.checked_add(jiff::Span::new().days(spacing_days * (k as i64 - 1))).unwrap();
        b.deal(&format!("O{k}"), &id, &date.to_string(), 1);
    }
    b
}

#[test]
fn p13_two_businesses_sharing_a_phone_are_a_cluster() {
    let r = shared_phone_customers(1, 105).run();
    let (al, h) = r.hit("RF-P13");
    check(al, h, &r, "RF-P13", "cluster", Severity::Medium, &["O1", "O2"]);
    assert_eq!(h.evidence["shared"][0]["kind"], "phone");
    assert_eq!(ev(h, "businesses"), &json!(2));
    r.only(&["RF-P13"]);
}

#[test]
fn p13_three_businesses_sharing_phone_and_domain_is_high() {
    let mut b = shared_phone_customers(2, 105);
    b.party("B2").email = s("osaka@tokyocloud.co.jp");
    b.party("B3").email = s("kobe@tokyocloud.co.jp");
    let r = b.run();
    let (al, h) = r.hit("RF-P13");
    check(al, h, &r, "RF-P13", "split_threshold", Severity::High, &["O1", "O2", "O3"]);
    assert_eq!(ev(h, "businesses"), &json!(3));
    assert_eq!(ev(h, "parties"), &json!(["B1", "B2", "B3"]));
}

#[test]
fn p13_a_shared_registered_agent_building_is_not_a_link() {
    let mut b = shared_phone_customers(2, 105);
    for (k, unit) in [(2, "Suite 1204"), (3, "#08-01")] {
        let p = b.party(&format!("B{k}"));
        p.phone = format!("+81 6 5555 {k:04}");
        p.address = format!("{unit}, 1-2-3 Otemachi, Chiyoda-ku, Tokyo");
    }
    let r = b.run();
    r.absent("RF-P13");
    r.absent("RF-O10");
    r.only(&[]);
}

#[test]
fn p13_a_subsidiary_sharing_the_parent_phone_is_not_a_link() {
    let mut b = shared_phone_customers(1, 105);
    b.party("B2").parent = s("B1");
    b.run().absent("RF-P13");
}

#[test]
fn o10_linked_buyers_ordering_within_weeks_is_a_split() {
    let r = shared_phone_customers(1, 18).run();
    let (al, h) = r.hit("RF-O10");
    check(al, h, &r, "RF-O10", "split", Severity::Medium, &["O1", "O2"]);
    assert_eq!(ev(h, "controlled_accelerators"), &json!(32));
    assert_eq!(ev(h, "orders"), &json!(["O1", "O2"]));
    // party + order categories at medium: one level up
    assert_eq!(r.action("O1"), Action::Hold);
}

#[test]
fn o10_linked_buyers_months_apart_are_not_a_split() {
    let r = shared_phone_customers(1, 105).run();
    r.absent("RF-O10");
}

/// Five customers in `country` sharing a phone and a building (different units).
fn ring(country: &str) -> B {
    let mut b = B::base();
    for k in 1..=5 {
        let id = format!("H{k}");
        let p = b.company(&id, &format!("Harbour Trading {k}"), country);
        p.phone = s("+65 6000 1234");
        p.address = format!("10 Anson Road, #12-0{k}, Singapore");
        b.deal(&format!("OH{k}"), &id, &format!("2026-{:02}-10", 2 * k), 1);
    }
    b
}

#[test]
fn n04_five_hub_customers_linked_two_ways_are_a_ring() {
    let r = ring("SG").run();
    let (al, h) = r.hit("RF-N04");
    check(al, h, &r, "RF-N04", "ring", Severity::Medium, &["OH1", "OH2", "OH3", "OH4", "OH5"]);
    assert_eq!(ev(h, "kinds"), &json!(["phone", "address"]));
    assert_eq!(ev(h, "parties"), &json!(["H1", "H2", "H3", "H4", "H5"]));
    // the same identifiers make an RF-P13 group of five businesses
    assert_eq!(r.hit("RF-P13").1.level, "split_threshold");
}

#[test]
fn n04_the_same_ring_outside_hubs_is_not_flagged() {
    let r = ring("JP").run();
    r.absent("RF-N04");
    assert_eq!(r.count("RF-P13"), 1);
}

#[test]
fn n04_four_hub_customers_are_not_enough() {
    let mut b = ring("SG");
    b.party("H5").phone = s("+65 6999 0005");
    b.party("H5").address = s("1 Raffles Place, Singapore");
    b.run().absent("RF-N04");
}

// ------------------------------------------------------------------ RF-O01

#[test]
fn o01_a_large_first_order_is_medium() {
    let mut b = B::base();
    let o = b.order("O1");
    o.value = s("1200000.00");
    b.lines[0].quantity = s("4");
    b.ship("SH1").value = s("1200000.00");
    b.pay("PAY1").amount = s("1200000.00");
    let r = b.run();
    let (al, h) = r.hit("RF-O01");
    check(al, h, &r, "RF-O01", "first_large", Severity::Medium, &["O1"]);
    assert_eq!(ev(h, "controlled_accelerators"), &json!(32));
    r.only(&["RF-O01"]);
}

#[test]
fn o01_a_large_order_after_an_established_history_is_not_flagged() {
    let mut b = B::base();
    b.deal("O0", "B1", "2025-06-02", 1);
    b.order("O0").site = s("SITE1");
    let o = b.order("O1");
    o.value = s("1200000.00");
    b.lines[0].quantity = s("4");
    b.ship("SH1").value = s("1200000.00");
    b.pay("PAY1").amount = s("1200000.00");
    let r = b.run();
    r.absent("RF-O01");
    r.only(&[]);
}

#[test]
fn o01_a_small_first_order_invoiced_in_yen_is_not_large() {
    // 2 servers, JPY 90 000 000 (about USD 600 000): the value threshold is
    // in USD and currencies are not converted.
    let mut b = B::base();
    b.lines[0].quantity = s("2");
    b.lines[0].unit_price = s("45000000");
    b.order("O1").value = s("90000000");
    b.order("O1").currency = s("JPY");
    b.ship("SH1").value = s("90000000");
    let p = b.pay("PAY1");
    p.amount = s("90000000");
    p.currency = s("JPY");
    b.run().absent("RF-O01");
}

// ------------------------------------------------------------------ RF-O04

#[test]
fn o04_overpayment_is_medium() {
    let mut b = B::base();
    b.pay("PAY1").amount = s("1100000.00");
    let r = b.run();
    let (al, h) = r.hit("RF-O04");
    check(al, h, &r, "RF-O04", "overpaid", Severity::Medium, &["O1"]);
    assert_eq!(ev(h, "paid"), "1100000.00");
    r.only(&["RF-O04"]);
}

#[test]
fn o04_payment_in_instalments_or_slightly_over_is_fine() {
    let mut b = B::base();
    b.pay("PAY1").amount = s("450000.00");
    let mut p2 = b.pays[0].clone();
    p2.id = s("PAY2");
    p2.date = s("2026-05-10");
    p2.amount = s("540000.00"); // total 990 000: 10 % over (bank charges, freight)
    b.pays.push(p2);
    b.run().absent("RF-O04");
}

// ------------------------------------------------------------------ RF-O07 / N02

#[test]
fn o07_a_site_without_the_power_is_high() {
    let mut b = B::base();
    b.site("SITE1").power_kw = s("30");
    let r = b.run();
    let (al, h) = r.hit("RF-O07");
    check(al, h, &r, "RF-O07", "exceeds", Severity::High, &["O1"]);
    assert_eq!(ev(h, "declared_power_kw"), &json!(30.0));
    let need = ev(h, "window_need_kw").as_f64().unwrap();
    assert!((need - 3.0 * 10.2 * 1.3).abs() < 1e-6, "{need}");
    r.only(&["RF-O07"]);
}

#[test]
fn o07_too_little_floor_space_is_high() {
    let mut b = B::base();
    b.site("SITE1").floor_m2 = s("5");
    let r = b.run();
    assert_eq!(r.hit("RF-O07").1.level, "exceeds");
}

#[test]
fn o07_no_declared_site_is_medium() {
    // 8 eight-GPU servers (~106 kW with PUE) need data-centre power
    let mut b = B::base();
    b.sites.clear();
    b.order("O1").site = String::new();
    b.lines[0].quantity = s("8");
    let r = b.run();
    let (al, h) = r.hit("RF-O07");
    check(al, h, &r, "RF-O07", "missing", Severity::Medium, &["O1"]);
    assert_eq!(ev(h, "controlled_accelerators"), &json!(64));
}

#[test]
fn o07_three_servers_fit_a_server_room() {
    // 3 servers (~40 kW): no declared facility needed
    let mut b = B::base();
    b.sites.clear();
    b.order("O1").site = String::new();
    b.run().absent("RF-O07");
}

#[test]
fn o07_a_site_with_enough_power_is_fine() {
    // 39.8 kW needed, 35 kW declared: within the tolerance for round figures
    let mut b = B::base();
    b.site("SITE1").power_kw = s("35");
    b.run().absent("RF-O07");
}

#[test]
fn o07_declared_resale_needs_no_site() {
    let mut b = B::base();
    b.sites.clear();
    b.order("O1").site = String::new();
    b.order("O1").end_use = s("resale to Japanese research institutes");
    b.run().absent("RF-O07");
}

fn two_deliveries(first: &str) -> B {
    let mut b = B::base();
    b.site("SITE1").power_kw = s("35");
    b.deal("O0", "B1", first, 3);
    b.order("O0").site = s("SITE1");
    b
}

#[test]
fn n02_deliveries_within_a_year_far_above_capacity_are_high() {
    let r = two_deliveries("2025-11-15").run();
    let (al, h) = r.hit("RF-N02");
    check(al, h, &r, "RF-N02", "over_capacity", Severity::High, &["O0", "O1"]);
    assert_eq!(ev(h, "declared_kw"), &json!(35.0));
    assert!(ev(h, "window_need_kw").as_f64().unwrap() > 70.0);
    // the site rule sees the same deliveries
    assert_eq!(r.hit("RF-O07").1.level, "exceeds");
}

#[test]
fn n02_deliveries_more_than_a_year_apart_are_refresh() {
    let r = two_deliveries("2025-01-10").run();
    r.absent("RF-N02");
    r.absent("RF-O07");
}

// ------------------------------------------------------------------ RF-S01

fn with_forwarder(b: &mut B) {
    b.company("F1", "Narita Freight Forwarding KK", "JP").industry = s("freight forwarding");
}

#[test]
fn s01_a_forwarder_as_ship_to_is_high() {
    let mut b = B::base();
    with_forwarder(&mut b);
    b.order("O1").ship_to = s("F1");
    let r = b.run();
    let (al, h) = r.hit("RF-S01");
    check(al, h, &r, "RF-S01", "forwarder_consignee", Severity::High, &["O1"]);
    assert_eq!(ev(h, "role"), "ship_to");
    assert_eq!(ev(h, "party"), "F1");
    r.only(&["RF-S01"]);
}

#[test]
fn s01_a_forwarder_as_consignee_is_high() {
    let mut b = B::base();
    with_forwarder(&mut b);
    b.ship("SH1").consignee = s("F1");
    let r = b.run();
    let (al, h) = r.hit("RF-S01");
    check(al, h, &r, "RF-S01", "forwarder_consignee", Severity::High, &["O1"]);
    assert_eq!(ev(h, "role"), "consignee");
}

#[test]
fn s01_a_forwarder_that_only_carries_the_goods_is_fine() {
    let mut b = B::base();
    with_forwarder(&mut b);
    b.ship("SH1").forwarder = s("F1");
    let r = b.run();
    r.absent("RF-S01");
    r.only(&[]);
}

// ------------------------------------------------------------------ RF-S03 / S10

#[test]
fn s03_shipped_to_a_hub_for_an_end_user_elsewhere_is_medium() {
    let mut b = B::base();
    b.ship("SH1").to = s("SG");
    let r = b.run();
    let (al, h) = r.hit("RF-S03");
    check(al, h, &r, "RF-S03", "hub", Severity::Medium, &["O1"]);
    assert_eq!(ev(h, "to"), "SG");
    assert_eq!(ev(h, "end_user_country"), "JP");
    assert_eq!(r.a.alerts[0].shipments, ["SH1"]);
}

#[test]
fn s03_onward_from_the_hub_to_an_undeclared_country_is_high() {
    let mut b = B::hub_distributor();
    b.export_all("VN", "2026-05-25");
    let r = b.run();
    let (al, h) = r.hit("RF-S03");
    check(al, h, &r, "RF-S03", "reexport", Severity::High, &["O1"]);
    assert_eq!(ev(h, "in"), "VN");
    assert_eq!(ev(h, "received_in"), "SG");
    assert_eq!(al.serials, ["SN1", "SN2", "SN3"]);
    r.only(&["RF-S03"]);
}

#[test]
fn s03_onward_to_a_restricted_country_is_critical() {
    let mut b = B::hub_distributor();
    b.export_all("HK", "2026-05-25");
    let r = b.run();
    let (al, h) = r.hit("RF-S03");
    check(al, h, &r, "RF-S03", "restricted_onward", Severity::Critical, &["O1"]);
    assert_eq!(ev(h, "in"), "HK");
    assert_eq!(al.action, Action::Block);
}

#[test]
fn s03_onward_to_an_allied_country_is_inquire_with_its_evidence() {
    let mut b = B::hub_distributor();
    b.export_all("KR", "2026-05-25");
    let r = b.run();
    let (al, h) = r.hit("RF-S03");
    check(al, h, &r, "RF-S03", "hub", Severity::Medium, &["O1"]);
    assert_eq!(ev(h, "in"), "KR");
    assert!(h.summary.contains("KR"), "{}", h.summary);
}

#[test]
fn s03_onward_to_a_country_named_in_the_end_use_is_declared() {
    let mut b = B::hub_distributor();
    b.order("O1").end_use = s("resale to data centres in Japan and Viet Nam");
    b.export_all("VN", "2026-05-25");
    let r = b.run();
    r.absent("RF-S03");
    r.only(&[]);
}

#[test]
fn s03_the_country_may_be_named_by_its_common_name() {
    let mut b = B::hub_distributor();
    b.order("O1").end_use = s("resale to data centres in Japan and Vietnam");
    b.export_all("VN", "2026-04-01");
    let r = b.run();
    r.absent("RF-S03");
    r.absent("RF-S10");
}

#[test]
fn s03_undeclared_end_user_shipped_to_a_hub_is_medium() {
    let mut b = B::hub_distributor();
    b.order("O1").end_user = String::new();
    let r = b.run();
    let (al, h) = r.hit("RF-S03");
    check(al, h, &r, "RF-S03", "hub", Severity::Medium, &["O1"]);
    assert_eq!(ev(h, "end_user_country"), &Value::Null);
}

#[test]
fn s10_out_of_the_hub_within_days_is_high() {
    let mut b = B::hub_distributor();
    b.export_all("VN", "2026-04-01");
    let r = b.run();
    let (al, h) = r.hit("RF-S10");
    check(al, h, &r, "RF-S10", "short_dwell", Severity::High, &["O1"]);
    assert_eq!(ev(h, "dwell_days"), &json!(8));
    assert_eq!(ev(h, "to"), "VN");
    assert_eq!(r.hit("RF-S03").1.level, "reexport");
    assert_eq!(al.action, Action::Hold);
}

#[test]
fn s10_a_long_stay_is_not_short() {
    let mut b = B::hub_distributor();
    b.export_all("VN", "2026-05-25");
    b.run().absent("RF-S10");
}

#[test]
fn s10_transit_to_the_end_users_country_is_not_a_short_stay() {
    // JP end user, routed through Singapore, in Japan four days later
    let mut b = B::base();
    b.ship("SH1").to = s("SG");
    b.events.retain(|e| e.event == "shipped");
    for n in 1..=3 {
        let serial = format!("SN{n}");
        b.ev(&serial, "received", "", "SG", "2026-03-24", "SH1");
        b.ev(&serial, "received", "B1", "JP", "2026-03-28", "");
        b.ev(&serial, "installed", "B1", "JP", "2026-04-02", "");
    }
    let r = b.run();
    r.absent("RF-S10");
    // shipping to a hub for a JP end user is still worth a question
    assert_eq!(r.hit("RF-S03").1.level, "hub");
}

#[test]
fn s10_onward_sale_to_an_allied_country_is_not_a_short_stay() {
    let mut b = B::hub_distributor();
    b.export_all("KR", "2026-04-01");
    b.run().absent("RF-S10");
}

// ------------------------------------------------------------------ RF-S05

#[test]
fn s05_servers_declared_as_toys_are_mislabelled() {
    let mut b = B::base();
    b.ship("SH1").description = s("Plastic toys");
    let r = b.run();
    let (al, h) = r.hit("RF-S05");
    check(al, h, &r, "RF-S05", "mislabel", Severity::High, &["O1"]);
    assert_eq!(h.evidence["problems"][0]["declared_description"], "plastic toys");
    assert_eq!(h.evidence["problems"][0]["shipment"], "SH1");
    r.only(&["RF-S05"]);
}

#[test]
fn s05_a_proper_description_in_any_case_is_fine() {
    let mut b = B::base();
    b.ship("SH1").description = s("DGX-class 8x H100 SXM GPU SERVERS (NVIDIA)");
    b.run().absent("RF-S05");
}

#[test]
fn s05_customs_value_under_half_the_invoice_is_under_declaration() {
    let mut b = B::base();
    b.ship("SH1").value = s("300000.00"); // a third of the 900,000 invoice
    let r = b.run();
    let (al, h) = r.hit("RF-S05");
    check(al, h, &r, "RF-S05", "mislabel", Severity::High, &["O1"]);
    assert_eq!(h.evidence["problems"][0]["declared_value"], json!(300000.0));
    r.absent("RF-S09"); // under-declaration is RF-S05's, not counted twice
}

#[test]
fn s05_a_customs_value_near_the_invoice_is_fine() {
    let mut b = B::base();
    b.ship("SH1").value = s("880000.00");
    b.run().absent("RF-S05");
}

// ------------------------------------------------------------------ RF-S09

#[test]
fn s09_customs_values_off_the_invoice_are_inconsistent() {
    let mut b = B::base();
    b.ship("SH1").value = s("700000.00"); // 22 % below: documents disagree
    let r = b.run();
    let (al, h) = r.hit("RF-S09");
    check(al, h, &r, "RF-S09", "inconsistent", Severity::Medium, &["O1"]);
    assert_eq!(h.evidence["problems"][0]["kind"], "value");
    r.only(&["RF-S09"]);
}

#[test]
fn s09_a_consignee_the_order_does_not_name_is_inconsistent() {
    let mut b = B::base();
    b.company("X9", "Harbour Holdings", "JP");
    b.ship("SH1").consignee = s("X9");
    let r = b.run();
    let (al, h) = r.hit("RF-S09");
    check(al, h, &r, "RF-S09", "inconsistent", Severity::Medium, &["O1"]);
    assert_eq!(h.evidence["problems"][0]["consignee"], "X9");
}

#[test]
fn s09_leaves_a_model_mismatch_to_rf_s11() {
    // one fact, one rule: the chain-of-custody anomaly is RF-S11's
    let r = B::base().run_with(|l| {
        let mut a = anomaly(l, "missing_or_serial_mismatch");
        a.evidence = json!({"kind": "model_mismatch", "serial": "SN2"});
        (Context::default(), vec![a], vec![])
    });
    r.hit("RF-S11");
    r.absent("RF-S09");
}

#[test]
fn s05_a_partly_declared_order_is_not_under_declared() {
    // the shipment declares no value: no total to compare
    let mut b = B::base();
    b.ship("SH1").value = String::new();
    b.run().absent("RF-S05");
}

#[test]
fn s09_consistent_documents_are_fine() {
    // the base ledger: customs value = invoice, consignee = buyer; and a
    // forwarder named as consignee is the forwarder's role, not a mismatch
    B::base().run().absent("RF-S09");
    let mut b = B::base();
    b.ship("SH1").value = s("850000.00"); // within 10 %
    b.run().absent("RF-S09");
}

// ------------------------------------------------------------------ RF-S07

fn with_parent(b: &mut B, country: &str) {
    b.company("H0", "Tokyo Cloud Holdings", country);
    b.party("B1").parent = s("H0");
    b.order("O1").bill_to = s("H0");
}

#[test]
fn s07_two_countries_is_info_and_recorded() {
    let mut b = B::base();
    with_parent(&mut b, "US");
    let r = b.run();
    assert_eq!(r.count("RF-S07"), 1);
    assert_eq!(r.action("O1"), Action::Record);
    assert!(r.a.alerts.is_empty());
    r.only(&["RF-S07"]);
}

#[test]
fn s07_three_countries_is_medium() {
    let mut b = B::base();
    with_parent(&mut b, "US");
    b.company("E1", "Tokyo Cloud Korea Ltd", "KR").parent = s("B1");
    b.order("O1").end_user = s("E1");
    let r = b.run();
    let (al, h) = r.hit("RF-S07");
    check(al, h, &r, "RF-S07", "three_plus", Severity::Medium, &["O1"]);
    assert_eq!(ev(h, "hub"), &json!(false));
    assert_eq!(al.action, Action::Inquire);
    r.only(&["RF-S07"]);
}

#[test]
fn s07_a_hub_among_three_countries_is_one_level_up() {
    let mut b = B::base();
    with_parent(&mut b, "US");
    b.company("E1", "Tokyo Cloud Singapore Pte Ltd", "SG").parent = s("B1");
    b.order("O1").end_user = s("E1");
    let r = b.run();
    let (al, h) = r.hit("RF-S07");
    check(al, h, &r, "RF-S07", "three_plus", Severity::High, &["O1"]);
    assert_eq!(ev(h, "hub"), &json!(true));
}

#[test]
fn s07_a_bill_to_in_the_same_country_is_fine() {
    let mut b = B::base();
    with_parent(&mut b, "JP");
    let r = b.run();
    r.absent("RF-S07");
    r.only(&[]);
}

// ------------------------------------------------------------------ RF-S11

fn anomaly(l: &Ledger, level: &str) -> AnomalyInput {
    AnomalyInput {
        level: s(level),
        explanation: s("SN2 observed at the site carries serial SN9 (label swap)"),
        evidence: json!({"shipped": "SN2", "observed": "SN9", "site": "SITE1"}),
        orders: vec![l.order("O1").unwrap().0],
        parties: vec![l.party("B1").unwrap().0],
        shipments: vec![0],
        serials: vec![l.serial("SN2").unwrap().0],
    }
}

#[test]
fn s11_a_serial_mismatch_is_critical() {
    let r = B::base()
        .run_with(|l| (Context::default(), vec![anomaly(l, "missing_or_serial_mismatch")], vec![]));
    let (al, h) = r.hit("RF-S11");
    check(al, h, &r, "RF-S11", "missing_or_serial_mismatch", Severity::Critical, &["O1"]);
    assert_eq!(ev(h, "observed"), "SN9");
    assert_eq!(al.serials, ["SN2"]);
    assert_eq!(al.shipments, ["SH1"]);
    assert_eq!(al.action, Action::Block);
}

#[test]
fn s11_boxed_units_are_high() {
    let r = B::base()
        .run_with(|l| (Context::default(), vec![anomaly(l, "boxed_or_unpowered")], vec![]));
    let (al, h) = r.hit("RF-S11");
    check(al, h, &r, "RF-S11", "boxed_or_unpowered", Severity::High, &["O1"]);
    assert_eq!(ev(h, "site"), "SITE1");
    assert_eq!(al.action, Action::Hold);
}

#[test]
fn s11_no_anomalies_no_hit() {
    let r = B::base().run_with(|_| (Context::default(), vec![], vec![]));
    r.absent("RF-S11");
}

// ------------------------------------------------------------------ RF-F01

#[test]
fn f01_an_unrelated_payer_is_a_third_party() {
    let mut b = B::base();
    b.company("X1", "Kanto General Trading KK", "JP");
    b.pay("PAY1").payer = s("X1");
    let r = b.run();
    let (al, h) = r.hit("RF-F01");
    check(al, h, &r, "RF-F01", "third_party", Severity::Medium, &["O1"]);
    assert_eq!(ev(h, "payer"), "X1");
    r.only(&["RF-F01"]);
}

#[test]
fn f01_the_buyer_paying_from_a_third_country() {
    let mut b = B::base();
    b.pay("PAY1").payer_country = s("VN");
    let r = b.run();
    let (al, h) = r.hit("RF-F01");
    check(al, h, &r, "RF-F01", "third_country", Severity::Medium, &["O1"]);
    assert_eq!(ev(h, "payer_country"), "VN");
}

#[test]
fn f01_a_bank_in_hong_kong_is_high() {
    let mut b = B::base();
    b.pay("PAY1").bank_country = s("HK");
    let r = b.run();
    let (al, h) = r.hit("RF-F01");
    check(al, h, &r, "RF-F01", "restricted_country", Severity::High, &["O1"]);
    assert_eq!(ev(h, "bank_country"), "HK");
}

#[test]
fn f01_payment_by_the_declared_parent_is_not_a_third_party() {
    let mut b = B::base();
    b.company("H0", "Tokyo Cloud Holdings KK", "JP");
    b.party("B1").parent = s("H0");
    b.pay("PAY1").payer = s("H0");
    let r = b.run();
    r.absent("RF-F01");
    r.only(&[]);
}

#[test]
fn f01_payment_by_a_foreign_parent_from_its_own_country_is_group_treasury() {
    let mut b = B::base();
    b.company("H0", "Tokyo Cloud Holdings Inc", "US");
    b.party("B1").parent = s("H0");
    let p = b.pay("PAY1");
    p.payer = s("H0");
    p.payer_country = s("US");
    p.bank_country = s("US");
    b.run().absent("RF-F01");
}

// ------------------------------------------------------------------ RF-N01

fn exposure(l: &Ledger, hops: usize) -> ExposureInput {
    ExposureInput {
        party: l.party("B1").unwrap().0,
        hops,
        summary: format!("B1 reaches a listed party in {hops} hops"),
        path: json!({"hops": hops, "path": ["S1", "B1", "X9"]}),
        orders: vec![l.order("O1").unwrap().0],
    }
}

#[test]
fn n01_a_near_path_is_high() {
    let r = B::base().run_with(|l| (Context::default(), vec![], vec![exposure(l, 2)]));
    let (al, h) = r.hit("RF-N01");
    check(al, h, &r, "RF-N01", "near", Severity::High, &["O1"]);
    assert_eq!(ev(h, "hops"), &json!(2));
    assert_eq!(al.path.as_ref().unwrap()["path"], json!(["S1", "B1", "X9"]));
    assert_eq!(al.action, Action::Hold);
}

#[test]
fn n01_a_far_path_is_medium() {
    let r = B::base().run_with(|l| (Context::default(), vec![], vec![exposure(l, 4)]));
    let (al, h) = r.hit("RF-N01");
    check(al, h, &r, "RF-N01", "far", Severity::Medium, &["O1"]);
    assert_eq!(ev(h, "hops"), &json!(4));
}

#[test]
fn n01_no_exposure_or_beyond_max_hops_is_nothing() {
    let r = B::base().run_with(|_| (Context::default(), vec![], vec![]));
    r.absent("RF-N01");
    let r = B::base().run_with(|l| (Context::default(), vec![], vec![exposure(l, 6)]));
    r.absent("RF-N01");
}

// ------------------------------------------------------------------ scoring

#[test]
fn scoring_critical_blocks() {
    let mut b = B::base();
    b.party("B1").hq_country = s("MO");
    let r = b.run();
    assert_eq!(r.action("O1"), Action::Block);
    assert!(r.a.alerts[0].explanation.iter().any(|e| e.starts_with("critical: RF-P04")));
}

#[test]
fn scoring_one_medium_inquires() {
    let mut b = B::base();
    b.party("B1").website = String::new();
    let r = b.run();
    r.only(&["RF-P06"]);
    assert_eq!(r.action("O1"), Action::Inquire);
    assert_eq!(r.a.alerts[0].score, 3.0);
}

#[test]
fn scoring_two_mediums_in_different_categories_hold() {
    let mut b = B::base();
    b.party("B1").website = String::new(); // party: RF-P06 medium
    b.pay("PAY1").amount = s("1100000.00"); // payment: RF-O04 medium
    let r = b.run();
    r.only(&["RF-O04", "RF-P06"]);
    let al = &r.a.alerts[0];
    assert_eq!(al.score, 6.0);
    assert_eq!(al.action, Action::Hold);
    assert!(al.explanation.iter().any(|e| e.contains("one level up")), "{:?}", al.explanation);
}

#[test]
fn scoring_two_mediums_in_one_signal_group_diminish_and_inquire() {
    // RF-P05 (young) and RF-O01 (first order large) read the same fact, a
    // new customer: one group, so no escalation
    let mut b = B::base();
    b.party("B1").incorporated_on = s("2025-08-01"); // RF-P05 young medium
    b.lines[0].quantity = s("4"); // 32 accelerators: RF-O01 first_large medium
    let r = b.run();
    r.only(&["RF-O01", "RF-P05"]);
    let al = &r.a.alerts[0];
    assert_eq!(al.score, 4.5);
    assert_eq!(al.action, Action::Inquire);
    assert!(!al.explanation.iter().any(|e| e.contains("one level up")), "{:?}", al.explanation);
}

// ------------------------------------------------------------------ rule data

fn rule_text() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/red-flags.toml")).unwrap()
}

fn config_err(text: &str) -> String {
    match Config::from_toml(text, "test.toml") {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn config_the_file_is_the_embedded_data() {
    let c = Config::from_toml(&rule_text(), "file").unwrap();
    assert_eq!(c.rules, Config::embedded().unwrap().rules);
}

#[test]
fn config_rejects_a_rule_without_code() {
    let text = rule_text()
        + "\n[[rule]]\nid = \"RF-Z99\"\nname = \"made up\"\ncategory = \"order\"\nquality = \"D\"\nsources = [\"D\"]\nseverity = { x = \"low\" }\n";
    let e = config_err(&text);
    assert!(e.contains("RF-Z99") && e.contains("no implementation"), "{e}");
}

#[test]
fn config_rejects_code_without_a_rule() {
    let text = rule_text();
    let cut = text.find("[[rule]]\nid = \"RF-N04\"").unwrap();
    let e = config_err(&text[..cut]);
    assert!(e.contains("RF-N04") && e.contains("missing from the rule data"), "{e}");
}

#[test]
fn config_rejects_an_unknown_severity_level() {
    let text = rule_text().replace(
        "severity = { web = \"medium\" }",
        "severity = { web = \"medium\", blog = \"low\" }",
    );
    let e = config_err(&text);
    assert!(e.contains("RF-P06") && e.contains("unknown severity level \"blog\""), "{e}");
}

#[test]
fn config_rejects_an_unknown_severity_value() {
    let text =
        rule_text().replace("severity = { web = \"medium\" }", "severity = { web = \"severe\" }");
    let e = config_err(&text);
    assert!(e.contains("severe"), "{e}");
}

#[test]
fn config_rejects_a_rule_missing_a_level() {
    let text = rule_text().replace(", restricted_onward = \"critical\" }", " }");
    let e = config_err(&text);
    assert!(
        e.contains("RF-S03") && e.contains("no severity for level \"restricted_onward\""),
        "{e}"
    );
}

#[test]
fn config_rejects_unknown_fields() {
    let text =
        rule_text().replace("params = { ratio = 1.15 }", "params = { ratio = 1.15 }\nweight = 2");
    let e = config_err(&text);
    assert!(e.contains("weight"), "{e}");
}

#[test]
fn config_a_missing_parameter_fails_the_analysis() {
    let text = rule_text().replace("params = { ratio = 1.15 }\n", "");
    // the loader checks ids and levels; parameters are read (and refused)
    // by the rule that needs them
    let cfg = Config::from_toml(&text, "test.toml").unwrap();
    let l = B::base().ledger();
    match analyze(&l, &cfg, &Context::default(), vec![], vec![]) {
        Err(Error::Param { rule, key, message }) => {
            assert_eq!(
                (rule.as_str(), key.as_str(), message.as_str()),
                ("RF-O04", "ratio", "is missing")
            );
        }
        other => panic!("expected a parameter error, got {:?}", other.map(|a| a.summary.hits)),
    }
    // a wrong type, a negative or a non-finite number is refused on load
    for bad in ["\"high\"", "-1.0", "nan", "inf"] {
        let text = rule_text()
            .replace("params = { ratio = 1.15 }", &format!("params = {{ ratio = {bad} }}"));
        let err = Config::from_toml(&text, "test.toml").unwrap_err().to_string();
        assert!(err.contains("RF-O04") && err.contains("ratio"), "{bad}: {err}");
    }
}

#[test]
fn config_parameters_change_the_outcome() {
    // the catalogue's values are starting points: a stricter overpayment ratio
    let text = rule_text().replace("params = { ratio = 1.15 }", "params = { ratio = 1.05 }");
    let cfg = Config::from_toml(&text, "tenant.toml").unwrap();
    let mut b = B::base();
    b.pay("PAY1").amount = s("1000000.00");
    let l = b.ledger();
    let a = analyze(&l, &cfg, &Context::default(), vec![], vec![]).unwrap();
    assert_eq!(a.summary.hits_by_rule.get("RF-O04"), Some(&1));
    assert_eq!(a.rules_source, "tenant.toml");
}
