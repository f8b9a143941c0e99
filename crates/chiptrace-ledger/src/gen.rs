//! The scenario generator: a realistic ledger with benign business, benign
//! look-alikes, and injected diversion schemes of eight kinds taken from the
//! red-flag catalogue (`shared/design/red-flags.yaml`) and the 2024–2026
//! cases (`shared/design/diversion.md` §6), with ground truth in
//! `truth.json`.
//!
//! Deterministic for a seed (own SplitMix64 PRNG, no hash-map iteration in
//! the output). Written in one streaming pass over the orders.
//!
//! **Serial policy.** Every server (system) unit gets a serial; loose
//! accelerator boards get serials for at most [`BOARD_SERIALS_PER_LINE`]
//! boards per line (the sample a vendor registers for post-shipment
//! checks), so 1,000,000 orders give a few million serial events, not tens
//! of millions. The format itself has no such limit.

use std::path::Path;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::gen_data::{self as data, COUNTRIES, Cc, ITEMS, ItemClass, cc};
use crate::read::Format;
use crate::rng::Rng;
use crate::write::{TableWriter, cols};

/// Serials registered per line of loose boards.
pub const BOARD_SERIALS_PER_LINE: u32 = 4;

/// Smallest ledger the generator writes (every scheme kind needs room).
pub const MIN_ORDERS: usize = 200;

/// Generator options.
#[derive(Debug, Clone)]
pub struct GenOptions {
    /// PRNG seed.
    pub seed: u64,
    /// Number of orders (exact).
    pub orders: usize,
    /// CSV or JSON lines.
    pub format: Format,
    /// Schemes per 1,000 orders (at least 2 of each kind are injected).
    pub schemes_per_1000: f64,
}

impl GenOptions {
    /// Defaults for a seed and size: CSV, 1 scheme per 1,000 orders.
    pub fn new(seed: u64, orders: usize) -> GenOptions {
        GenOptions { seed, orders, format: Format::Csv, schemes_per_1000: 1.0 }
    }
}

/// The kinds of injected scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchemeKind {
    /// (a) Hub buyer re-exports to HK/CN within days; payer in HK/CN.
    HubTransshipment,
    /// (b) Bill-to ≠ ship-to ≠ end user across hubs; logistics firm as
    /// consignee; shell end user.
    MismatchedParties,
    /// (c) Buyer incorporated weeks before a large first order, no web
    /// presence.
    NewBuyerLargeOrder,
    /// (d) Several buyers sharing address / phone / e-mail domain, names
    /// varied (Han, pinyin, Cantonese); orders split below a threshold.
    SharedContactNetwork,
    /// (e) Real-estate / seafood / trading firm buying GPU servers for "AI
    /// research".
    EndUseMismatch,
    /// (f) Declared site power / floor space far below what the quantity
    /// needs.
    SiteCapacity,
    /// (g) Serial anomalies: two places at once, seen in CN, model
    /// mismatch, label swap.
    SerialAnomaly,
    /// (h) Buyer named as a spelling variant of a real Entity List party.
    ListedNameVariant,
}

impl SchemeKind {
    /// All kinds, in injection order.
    pub const ALL: [SchemeKind; 8] = [
        SchemeKind::HubTransshipment,
        SchemeKind::MismatchedParties,
        SchemeKind::NewBuyerLargeOrder,
        SchemeKind::SharedContactNetwork,
        SchemeKind::EndUseMismatch,
        SchemeKind::SiteCapacity,
        SchemeKind::SerialAnomaly,
        SchemeKind::ListedNameVariant,
    ];
}

/// Ground truth of one injected scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchemeTruth {
    /// `SCH-0001` …
    pub scheme_id: String,
    /// The kind.
    pub kind: SchemeKind,
    /// Sub-type (serial anomalies: two_places, seen_in_cn, model_mismatch,
    /// label_swap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Orders of the scheme.
    pub order_ids: Vec<String>,
    /// Parties that are part of the scheme (buyers, payers, shells, onward
    /// consignees), not the honest seller or forwarders.
    pub party_ids: Vec<String>,
    /// Shipments of the scheme's orders.
    pub shipment_ids: Vec<String>,
    /// Payments of the scheme's orders.
    pub payment_ids: Vec<String>,
    /// Serials involved in the anomaly (all serials of the orders for
    /// transshipment).
    pub serials: Vec<String>,
    /// Red-flag ids (red-flags.yaml) a detector should raise.
    pub red_flags: Vec<String>,
    /// What was injected, in words.
    pub description: String,
}

/// A group of benign orders built to look like a scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lookalike {
    /// `sg_datacenter`, `sg_distributor_reexport`, `regional_billing`.
    pub kind: String,
    /// Parties concerned.
    pub party_ids: Vec<String>,
    /// Their orders (none must be flagged high).
    pub order_ids: Vec<String>,
    /// Why it is benign.
    pub description: String,
}

/// `truth.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    /// `chiptrace-ledger-truth/1`.
    pub format: String,
    /// Seed.
    pub seed: u64,
    /// Orders written.
    pub orders: usize,
    /// The serial policy in words.
    pub serial_policy: String,
    /// Injected schemes.
    pub schemes: Vec<SchemeTruth>,
    /// Benign look-alikes.
    pub benign_lookalikes: Vec<Lookalike>,
}

impl Truth {
    /// Read a `truth.json`.
    pub fn read(path: &Path) -> Result<Truth> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Ok(serde_json::from_str(&text)?)
    }
}

/// What was written.
#[derive(Debug, Clone, Serialize)]
pub struct GenSummary {
    /// Rows per table.
    pub parties: usize,
    /// Orders.
    pub orders: usize,
    /// Order lines.
    pub order_lines: usize,
    /// Shipments.
    pub shipments: usize,
    /// Payments.
    pub payments: usize,
    /// Serial events.
    pub serial_events: usize,
    /// Sites.
    pub sites: usize,
    /// Schemes injected.
    pub schemes: usize,
    /// Wall time, seconds.
    pub seconds: f64,
}

impl std::fmt::Display for GenSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} orders, {} lines, {} shipments, {} payments, {} serial events, {} parties, {} sites, {} schemes in {:.2} s",
            self.orders,
            self.order_lines,
            self.shipments,
            self.payments,
            self.serial_events,
            self.parties,
            self.sites,
            self.schemes,
            self.seconds
        )
    }
}

/// Generate `orders` orders with `seed` into `out_dir` (CSV; created if
/// missing). See [`generate_with`].
pub fn generate(seed: u64, orders: usize, out_dir: &Path) -> Result<GenSummary> {
    generate_with(&GenOptions::new(seed, orders), out_dir)
}

// ------------------------------------------------------------ dates as days

/// Days since 1970-01-01 → (y, m, d) (H. Hinnant's civil_from_days).
fn civil(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn ds(z: i64) -> String {
    let (y, m, d) = civil(z);
    format!("{y:04}-{m:02}-{d:02}")
}

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

// ------------------------------------------------------------ parties

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Seller,
    Distributor,
    Forwarder,
    DataCentre,
    Enterprise,
    University,
    Integrator,
    Scheme,
}

#[derive(Debug, Clone)]
struct GParty {
    name: String,
    country: &'static str,
    address: String,
    phone: String,
    email: String,
    website: String,
    reg: String,
    inc: Option<i64>,
    parent: Option<usize>,
    hq: Option<&'static str>,
    person: bool,
    industry: String,
    role: Role,
}

#[derive(Debug, Clone)]
struct GSite {
    party: usize,
    country: &'static str,
    address: String,
    kw: i64,
    m2: i64,
    /// Capacity set by a scheme (deliberately too small): never resized.
    fixed: bool,
}

/// Domain label of a company name: its words without legal forms; for a
/// name with no Latin letters (Han), a stable hash of the name, so two
/// unrelated companies never share a domain by accident.
fn slug(name: &str) -> String {
    const LEGAL: &[&str] = &[
        "pte", "ltd", "inc", "llc", "corp", "gmbh", "ag", "kk", "co", "sdn", "bhd", "plc", "sas",
        "sa", "pty", "bv", "nv", "pvt", "limited", "fze", "fzco",
    ];
    let mut s = String::new();
    for w in name.split_whitespace() {
        let w: String =
            w.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
        if !w.is_empty() && !LEGAL.contains(&w.as_str()) {
            s.push_str(&w);
        }
    }
    if s.is_empty() {
        let mut h: u32 = 0x811c_9dc5;
        for b in name.bytes() {
            h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
        s = format!("cn{h:08x}");
    }
    s
}

/// A phone number unique per party (a bijection of a counter mod 9e7),
/// so benign parties never share one by accident.
fn phone(seq: u64, c: &Cc) -> String {
    let n = (seq.wrapping_mul(2_654_435_761) % 90_000_000) + 10_000_000;
    format!("{} {} {}", c.phone, n / 10_000, n % 10_000)
}

fn reg_id(rng: &mut Rng, c: &Cc, year: i64) -> String {
    match c.code {
        "SG" => {
            format!("{year}{:05}{}", rng.range(0, 99_999), (b'A' + rng.below(26) as u8) as char)
        }
        "MY" => format!("{year}01{:06}", rng.range(0, 999_999)),
        "US" | "CA" => format!("{:02}-{:07}", rng.range(10, 99), rng.range(0, 9_999_999)),
        "DE" => format!("HRB {}", rng.range(10_000, 299_999)),
        "JP" => format!("{:013}", rng.range(1_000_000_000_000, 9_999_999_999_999)),
        "GB" => format!("{:08}", rng.range(1_000_000, 15_999_999)),
        "HK" => format!("{:07}", rng.range(1_000_000, 3_499_999)),
        "CN" => format!("91440300MA5{:07}", rng.range(0, 9_999_999)),
        _ => format!("{}{:08}", c.code, rng.range(0, 99_999_999)),
    }
}

fn address(rng: &mut Rng, c: &Cc) -> String {
    let street = rng.pick(c.streets).copied().unwrap_or("Main Street");
    let city = rng.pick(c.cities).copied().unwrap_or("");
    match c.code {
        "SG" | "MY" => format!(
            "{} {street}, #{:02}-{:02}, {city}",
            rng.range(1, 80),
            rng.range(1, 20),
            rng.range(1, 40)
        ),
        "JP" => format!(
            "{street} {}-{}-{}, {city}",
            rng.range(1, 9),
            rng.range(1, 30),
            rng.range(1, 20)
        ),
        "DE" | "NL" | "FR" => format!("{street} {}, {city}", rng.range(1, 999)),
        _ => format!("{} {street}, {city}", rng.range(1, 99_999)),
    }
}

// ------------------------------------------------------------ writer state

struct Out {
    parties_w: Option<TableWriter>,
    orders: TableWriter,
    lines: TableWriter,
    ships: TableWriter,
    events: TableWriter,
    pays: TableWriter,
    n_orders: usize,
    n_lines: usize,
    n_ships: usize,
    n_pays: usize,
    n_events: usize,
    serial_counter: u64,
}

/// One line of an order being emitted: (item index, quantity, unit cents).
type Line = (usize, u32, i64);

#[derive(Default)]
struct OrderSpec {
    date: i64,
    seller: usize,
    buyer: usize,
    bill_to: Option<usize>,
    ship_to: Option<usize>,
    end_user: Option<usize>,
    end_use: &'static str,
    site: Option<usize>,
    lines: Vec<Line>,
    forwarder: Option<usize>,
    payer: Option<usize>,
    payer_country: Option<&'static str>,
    bank_country: Option<&'static str>,
    /// Probability each serial gets an `installed` event.
    install: f64,
    split_shipment: bool,
    split_payment: bool,
    currency: &'static str,
    /// No serials of its own (an onward sale of already registered units).
    skip_serials: bool,
    /// Fixed departure date of the (first) shipment.
    ship_date: Option<i64>,
}

/// A unit shipped with a serial.
#[derive(Debug, Clone)]
struct Unit {
    serial: String,
    item: usize,
    received: i64,
}

struct Emitted {
    order_id: String,
    shipment_ids: Vec<String>,
    payment_ids: Vec<String>,
    units: Vec<Unit>,
}

struct Gen {
    rng: Rng,
    parties: Vec<GParty>,
    /// Party index → id string (after the shuffle).
    pid: Vec<String>,
    sites: Vec<GSite>,
    out: Out,
    forwarders: Vec<usize>,
    /// Benign data-centre customers per country (colocation ship-tos).
    dcs: std::collections::BTreeMap<&'static str, Vec<usize>>,
    /// Site → (date, kW with PUE) delivered, to size benign sites for what
    /// they receive.
    site_need: std::collections::BTreeMap<usize, Vec<(i64, i64)>>,
    /// Names per country and e-mail/web slugs in use: two companies never
    /// share a name in one jurisdiction or a corporate domain by accident.
    used_names: std::collections::BTreeSet<(String, &'static str)>,
    used_slugs: std::collections::BTreeSet<String>,
}

impl Gen {
    fn p(&self, i: usize) -> &str {
        self.pid.get(i).map_or("", String::as_str)
    }

    fn country(&self, i: usize) -> &'static str {
        self.parties.get(i).map_or("US", |p| p.country)
    }

    fn forwarder_for(&mut self, country: &str) -> Option<usize> {
        let local: Vec<usize> = self
            .forwarders
            .iter()
            .copied()
            .filter(|&f| self.parties[f].country == country)
            .collect();
        let pool = if local.is_empty() { self.forwarders.clone() } else { local };
        self.rng.pick(&pool).copied()
    }

    #[allow(clippy::too_many_arguments)] // one serial-event row, column by column
    fn event(
        &mut self,
        serial: &str,
        item: usize,
        kind: &str,
        party: Option<usize>,
        country: &str,
        date: i64,
        shipment: &str,
    ) -> Result<()> {
        let p = party.map(|x| self.p(x).to_string()).unwrap_or_default();
        self.out.n_events += 1;
        self.out.events.row(&[serial, ITEMS[item].name, kind, &p, country, &ds(date), shipment])
    }

    /// Write one order with its lines, shipment(s), payment(s) and the
    /// standard serial events (shipped, received, maybe installed).
    fn emit(&mut self, s: &OrderSpec) -> Result<Emitted> {
        self.out.n_orders += 1;
        let order_id = format!("SO-{:07}", self.out.n_orders);
        let total: i64 = s.lines.iter().map(|(_, q, c)| i64::from(*q) * c).sum();
        let ship_to = s.ship_to.unwrap_or(s.buyer);
        let dest = self.country(ship_to);
        let origin = self.country(s.seller);
        let site = s.site.map(|i| format!("ST-{:06}", i + 1)).unwrap_or_default();
        // the site a detector will charge this order to: the named one, else
        // the first site of the end user, ship-to or buyer
        let charged = s.site.or_else(|| {
            let p = s.end_user.or(s.ship_to).unwrap_or(s.buyer);
            self.sites.iter().position(|x| x.party == p)
        });
        if let Some(si) = charged {
            // ~10.2 kW per 8-GPU server, ~0.7 kW per board, x PUE 1.3
            let kw: i64 = s
                .lines
                .iter()
                .map(|(it, q, _)| match ITEMS[*it].class {
                    ItemClass::Server => 14 * i64::from(*q),
                    ItemClass::Gpu => i64::from(*q),
                    ItemClass::Network => 0,
                })
                .sum();
            self.site_need.entry(si).or_default().push((s.date, kw));
        }
        let (bill, ship, eu) = (
            s.bill_to.map(|x| self.p(x).to_string()).unwrap_or_default(),
            s.ship_to.map(|x| self.p(x).to_string()).unwrap_or_default(),
            s.end_user.map(|x| self.p(x).to_string()).unwrap_or_default(),
        );
        let (seller, buyer) = (self.p(s.seller).to_string(), self.p(s.buyer).to_string());
        self.out.orders.row(&[
            &order_id,
            &ds(s.date),
            &seller,
            &buyer,
            &bill,
            &ship,
            &eu,
            s.end_use,
            &money(total),
            s.currency,
            &site,
        ])?;
        for (it, q, c) in &s.lines {
            self.out.n_lines += 1;
            let d = &ITEMS[*it];
            self.out.lines.row(&[&order_id, d.name, &q.to_string(), &money(*c), d.hs])?;
        }
        // Shipments: one, or two carrying halves of the units.
        let n_ship = if s.split_shipment { 2 } else { 1 };
        let mut shipment_ids = Vec::new();
        let mut ship_dates = Vec::new();
        let forwarder = match s.forwarder {
            Some(f) => Some(f),
            None => self.forwarder_for(dest),
        };
        let fw = forwarder.map(|f| self.p(f).to_string()).unwrap_or_default();
        let main = s.lines.first().map_or(0, |l| l.0);
        let kg: i64 = s.lines.iter().map(|(it, q, _)| ITEMS[*it].kg * i64::from(*q)).sum();
        for k in 0..n_ship {
            self.out.n_ships += 1;
            let sid = format!("SH-{:07}", self.out.n_ships);
            let base = match s.ship_date {
                Some(d) => d,
                None => s.date + self.rng.range(5, 30),
            };
            let date = base + 10 * k;
            let share =
                if n_ship == 2 { total / 2 + if k == 0 { total % 2 } else { 0 } } else { total };
            let w = (kg * 11 / 10 / n_ship).max(1);
            self.out.ships.row(&[
                &sid,
                &order_id,
                &ds(date),
                origin,
                dest,
                &ship,
                &fw,
                ITEMS[main].desc,
                &money(share),
                &w.to_string(),
            ])?;
            shipment_ids.push(sid);
            ship_dates.push(date);
        }
        // Payments.
        let payer = s.payer.unwrap_or(s.bill_to.unwrap_or(s.buyer));
        let pc = s.payer_country.unwrap_or(self.country(payer));
        let bc = s.bank_country.unwrap_or(pc);
        let payer_id = self.p(payer).to_string();
        let mut payment_ids = Vec::new();
        let parts: Vec<(i64, i64)> = if s.split_payment {
            let dep = total * 3 / 10;
            vec![
                (s.date + self.rng.range(0, 3), dep),
                (s.date + self.rng.range(20, 60), total - dep),
            ]
        } else {
            vec![(s.date + self.rng.range(0, 45), total)]
        };
        for (d, amt) in parts {
            self.out.n_pays += 1;
            let id = format!("PY-{:07}", self.out.n_pays);
            let method = if self.rng.chance(0.03) { "lc" } else { "wire" };
            self.out.pays.row(&[
                &id,
                &order_id,
                &ds(d),
                &payer_id,
                pc,
                bc,
                &money(amt),
                s.currency,
                method,
            ])?;
            payment_ids.push(id);
        }
        // Serials and their standard events.
        let consignee = ship_to;
        let installer = s.end_user.unwrap_or(s.buyer);
        let mut units = Vec::new();
        for (it, q, _) in s.lines.iter().filter(|_| !s.skip_serials) {
            let d = &ITEMS[*it];
            let n = match d.class {
                ItemClass::Server => *q,
                ItemClass::Gpu => (*q).min(BOARD_SERIALS_PER_LINE),
                ItemClass::Network => 0,
            };
            for u in 0..n {
                self.out.serial_counter += 1;
                let serial = format!("{}{:09}", d.code, self.out.serial_counter);
                let k = (u as usize * n_ship as usize) / (n as usize).max(1);
                let (sid, sd) = (shipment_ids[k].clone(), ship_dates[k]);
                let rd = sd + self.rng.range(2, 6);
                self.event(&serial, *it, "shipped", Some(s.seller), origin, sd, &sid)?;
                self.event(&serial, *it, "received", Some(consignee), dest, rd, &sid)?;
                if self.rng.chance(s.install) {
                    let idate = rd + self.rng.range(3, 30);
                    self.event(&serial, *it, "installed", Some(installer), dest, idate, "")?;
                    if self.rng.chance(0.004) {
                        let dd = idate + self.rng.range(30, 200);
                        self.event(&serial, *it, "inspected", Some(installer), dest, dd, "")?;
                    }
                    if self.rng.chance(0.003) {
                        let dd = idate + self.rng.range(60, 400);
                        self.event(&serial, *it, "rma", Some(installer), dest, dd, "")?;
                    }
                }
                units.push(Unit { serial, item: *it, received: rd });
            }
        }
        Ok(Emitted { order_id, shipment_ids, payment_ids, units })
    }

    fn price(&mut self, it: usize) -> i64 {
        let d = &ITEMS[it];
        self.rng.range(d.lo, d.hi) * 100
    }

    fn add_party(&mut self, p: GParty) -> usize {
        self.parties.push(p);
        self.parties.len() - 1
    }

    fn company(
        &mut self,
        name: String,
        country: &'static str,
        inc_year_lo: i64,
        inc_year_hi: i64,
        role: Role,
        industry: &str,
    ) -> GParty {
        let c = cc(country);
        let mut name = name;
        let mut k = 2;
        // scheme parties may reuse a name on purpose (a listed party's
        // spelling variant in two schemes)
        while role != Role::Scheme && self.used_names.contains(&(name.clone(), country)) {
            name = format!("{name} {k}");
            k += 1;
        }
        self.used_names.insert((name.clone(), country));
        let mut s = slug(&name);
        let base = s.clone();
        let mut k = 2;
        while self.used_slugs.contains(&s) {
            s = format!("{base}{}{k}", country.to_ascii_lowercase());
            k += 1;
        }
        self.used_slugs.insert(s.clone());
        let year = self.rng.range(inc_year_lo, inc_year_hi);
        let inc = days(year, self.rng.range(1, 12), self.rng.range(1, 28));
        GParty {
            address: address(&mut self.rng, c),
            phone: phone(self.parties.len() as u64, c),
            email: format!("procurement@{s}.{}", c.tld),
            website: format!("https://www.{s}.{}", c.tld),
            reg: reg_id(&mut self.rng, c, year),
            inc: Some(inc),
            parent: None,
            hq: Some(country),
            person: false,
            industry: industry.to_string(),
            role,
            name,
            country,
        }
    }
}

/// Pick a weighted country.
fn weighted(rng: &mut Rng, xs: &[(&'static str, u32)]) -> &'static str {
    let total: u32 = xs.iter().map(|x| x.1).sum();
    let mut r = rng.below(u64::from(total)) as u32;
    for (c, w) in xs {
        if r < *w {
            return c;
        }
        r -= w;
    }
    xs[0].0
}

/// A planned multi-order unit in the stream.
#[derive(Debug, Clone)]
enum Plan {
    Scheme(usize),
    Distributor,
    RegionalBilling,
}

struct SchemePlan {
    kind: SchemeKind,
    variant: Option<&'static str>,
    parties: Vec<usize>,
    /// Extra parties (payer, onward consignee, shell) used by the kind.
    aux: Vec<usize>,
    site: Option<usize>,
    slots: usize,
    listed: Option<&'static str>,
}

const HUBS: &[&str] = &["SG", "MY", "TH", "AE"];

/// Generate with options into `out_dir`.
pub fn generate_with(opts: &GenOptions, out_dir: &Path) -> Result<GenSummary> {
    let t0 = Instant::now();
    if opts.orders < MIN_ORDERS {
        return Err(Error::Generator(format!(
            "at least {MIN_ORDERS} orders are needed (got {})",
            opts.orders
        )));
    }
    std::fs::create_dir_all(out_dir).map_err(|e| Error::io(out_dir, e))?;
    let fmt = opts.format;
    let n = opts.orders;
    let mut rng = Rng::new(opts.seed);
    let start = days(2024, 1, 2);
    let end = days(2026, 11, 20);
    let span = end - start;

    let out = Out {
        parties_w: None,
        orders: TableWriter::create(out_dir, "orders", cols::ORDERS, fmt)?,
        lines: TableWriter::create(out_dir, "order_lines", cols::LINES, fmt)?,
        ships: TableWriter::create(out_dir, "shipments", cols::SHIPMENTS, fmt)?,
        events: TableWriter::create(out_dir, "serial_events", cols::EVENTS, fmt)?,
        pays: TableWriter::create(out_dir, "payments", cols::PAYMENTS, fmt)?,
        n_orders: 0,
        n_lines: 0,
        n_ships: 0,
        n_pays: 0,
        n_events: 0,
        serial_counter: 0,
    };
    let mut g = Gen {
        rng: rng.fork(1),
        parties: Vec::new(),
        pid: Vec::new(),
        sites: Vec::new(),
        out,
        forwarders: Vec::new(),
        dcs: std::collections::BTreeMap::new(),
        site_need: std::collections::BTreeMap::new(),
        used_names: std::collections::BTreeSet::new(),
        used_slugs: std::collections::BTreeSet::new(),
    };

    // ---- sellers, distributor, forwarders
    let s1 = {
        let mut p = g.company(
            "Northbridge Compute Inc.".into(),
            "US",
            1998,
            1998,
            Role::Seller,
            "computer systems manufacturing",
        );
        p.address = "2200 Mission College Boulevard, Santa Clara, CA 95054".into();
        g.add_party(p)
    };
    let s2 = {
        let p = g.company(
            "Formosa Server Systems Co., Ltd.".into(),
            "TW",
            2003,
            2003,
            Role::Seller,
            "server manufacturing",
        );
        g.add_party(p)
    };
    let dist = {
        let p = g.company(
            "Lion City Systems Distribution Pte. Ltd.".into(),
            "SG",
            2006,
            2006,
            Role::Distributor,
            "IT hardware distribution",
        );
        g.add_party(p)
    };
    for (name, c) in [
        ("Pacific Link Logistics Pte. Ltd.", "SG"),
        ("Straits Freight Services Sdn. Bhd.", "MY"),
        ("Harbour Express Logistics Limited", "HK"),
        ("Gulf Air Cargo FZE", "AE"),
        ("Transpacific Freight Inc.", "US"),
        ("Rhein Cargo GmbH", "DE"),
        ("Nippon Air Cargo K.K.", "JP"),
        ("Siam Express Freight Co., Ltd.", "TH"),
        ("Formosa Forwarding Co., Ltd.", "TW"),
        ("Kangaroo Air Freight Pty Ltd", "AU"),
    ] {
        let p = g.company(name.into(), c, 1990, 2012, Role::Forwarder, "freight forwarding");
        let i = g.add_party(p);
        g.forwarders.push(i);
    }

    // ---- benign customers
    let n_cust = (n / 25).max(60);
    let total_names = data::NAME_A.len() * data::NAME_M.len() * 8;
    let mut customers: Vec<usize> = Vec::with_capacity(n_cust);
    for i in 0..n_cust {
        let country = weighted(&mut g.rng, data::CUSTOMER_COUNTRIES);
        let c = cc(country);
        let r = g.rng.below(100);
        let role = match r {
            0..=34 => Role::DataCentre,
            35..=74 => Role::Enterprise,
            75..=84 => Role::University,
            _ => Role::Integrator,
        };
        // Distinct names by construction: a scrambled mixed-radix index.
        let k = (i * 7919) % total_names.max(1) + (i / total_names.max(1)) * total_names;
        let a = data::NAME_A[k % data::NAME_A.len()];
        let m = data::NAME_M[(k / data::NAME_A.len()) % data::NAME_M.len()];
        let round = k / (data::NAME_A.len() * data::NAME_M.len());
        let legal = g.rng.pick(c.legal).copied().unwrap_or("Ltd");
        let extra = if round >= 8 { format!(" {}", round / 8 + 1) } else { String::new() };
        let (name, industry) = match role {
            Role::DataCentre => {
                let b = data::NAME_B_DC[round % data::NAME_B_DC.len()];
                (
                    format!("{a}{}{} {b} {legal}", if m.is_empty() { "" } else { " " }, m),
                    "data centre operation",
                )
            }
            Role::Enterprise => {
                let b = data::NAME_B_ENT[(round + i) % data::NAME_B_ENT.len()];
                (
                    format!("{a}{}{} {b} {legal}", if m.is_empty() { "" } else { " " }, m),
                    "enterprise",
                )
            }
            Role::Integrator => {
                let b = data::NAME_B_INT[round % data::NAME_B_INT.len()];
                (
                    format!("{a}{}{} {b} {legal}", if m.is_empty() { "" } else { " " }, m),
                    "IT systems integration",
                )
            }
            _ => {
                let u = data::UNI_A[round % data::UNI_A.len()];
                (format!("{a}{}{} {u}", if m.is_empty() { "" } else { " " }, m), "higher education")
            }
        };
        let name = format!("{name}{extra}");
        // A few benign young companies (start-ups with a website): noise
        // for the new-buyer rule.
        // (incorporated before the ledger's first orders, so no order
        // predates its buyer)
        let (lo, hi) = if g.rng.chance(0.03) { (2022, 2023) } else { (1985, 2019) };
        let mut p = g.company(name, country, lo, hi, role, industry);
        if role == Role::University {
            // keep the unique slug company() chose
            let sl = p
                .email
                .split('@')
                .nth(1)
                .and_then(|d| d.split('.').next())
                .unwrap_or("")
                .to_string();
            p.email = format!("purchasing@{sl}.edu");
            p.website = format!("https://www.{sl}.edu");
        }
        let idx = g.add_party(p);
        customers.push(idx);
        if role == Role::DataCentre || g.rng.chance(0.25) {
            let (kw, m2) = if role == Role::DataCentre {
                (g.rng.range(2_000, 60_000), g.rng.range(1_000, 30_000))
            } else {
                // sized for the customer's orders over a year (benign sites
                // must not look over capacity)
                (g.rng.range(1_500, 8_000), g.rng.range(600, 4_000))
            };
            let a = address(&mut g.rng, c);
            g.sites.push(GSite { party: idx, country, address: a, kw, m2, fixed: false });
        }
    }
    for &c in &customers {
        if g.parties[c].role == Role::DataCentre {
            g.dcs.entry(g.parties[c].country).or_default().push(c);
        }
    }
    let site_of: Vec<Option<usize>> = {
        let mut v = vec![None; g.parties.len()];
        for (i, s) in g.sites.iter().enumerate() {
            if v[s.party].is_none() {
                v[s.party] = Some(i);
            }
        }
        v
    };

    // ---- benign look-alikes
    let mut sg_dcs = Vec::new();
    for (name, year) in [
        ("Tai Seng Digital Infrastructure Pte. Ltd.", 2008),
        ("Jurong Hyperscale Data Centres Pte. Ltd.", 2011),
        ("Loyang Cloud Campus Pte. Ltd.", 2014),
    ] {
        let p = g.company(name.into(), "SG", year, year, Role::DataCentre, "data centre operation");
        let i = g.add_party(p);
        let a = address(&mut g.rng, cc("SG"));
        let kw = g.rng.range(30_000, 80_000);
        let m2 = g.rng.range(15_000, 40_000);
        g.sites.push(GSite { party: i, country: "SG", address: a, kw, m2, fixed: false });
        sg_dcs.push((i, g.sites.len() - 1));
    }
    let allied: Vec<usize> = customers
        .iter()
        .copied()
        .filter(|&c| matches!(g.parties[c].country, "JP" | "AU" | "DE"))
        .collect();
    // Regional billing: a JP group billed through its SG procurement arm.
    let jp_parent = {
        let p = g.company(
            "Shinonome Heavy Industries K.K.".into(),
            "JP",
            1952,
            1952,
            Role::Enterprise,
            "industrial machinery",
        );
        g.add_party(p)
    };
    let sg_arm = {
        let mut p = g.company(
            "Shinonome Asia Pacific Pte. Ltd.".into(),
            "SG",
            2001,
            2001,
            Role::Enterprise,
            "regional procurement and treasury",
        );
        p.parent = Some(jp_parent);
        p.hq = Some("JP");
        g.add_party(p)
    };

    // ---- plan the schemes
    let n_schemes = ((n as f64) * opts.schemes_per_1000 / 1000.0).round().max(16.0) as usize;
    let mut schemes: Vec<SchemePlan> = Vec::new();
    let serial_variants = ["two_places", "seen_in_cn", "model_mismatch", "label_swap"];
    // Round-robin over the kinds; then enough serial-anomaly schemes that
    // each of its four variants appears even in a small ledger.
    let mut kinds: Vec<SchemeKind> =
        (0..n_schemes).map(|si| SchemeKind::ALL[si % SchemeKind::ALL.len()]).collect();
    while kinds.iter().filter(|k| **k == SchemeKind::SerialAnomaly).count() < serial_variants.len()
    {
        kinds.push(SchemeKind::SerialAnomaly);
    }
    let mut serial_round = 0usize;
    for (si, &kind) in kinds.iter().enumerate() {
        let round = si / SchemeKind::ALL.len();
        let hub = HUBS[g.rng.below(HUBS.len() as u64) as usize];
        let mut plan = SchemePlan {
            kind,
            variant: None,
            parties: vec![],
            aux: vec![],
            site: None,
            slots: 1,
            listed: None,
        };
        match kind {
            SchemeKind::HubTransshipment => {
                let a = data::NAME_A[g.rng.below(data::NAME_A.len() as u64) as usize];
                let legal = cc(hub).legal[0];
                let p = g.company(
                    format!("{a} Tech Solutions {legal}"),
                    hub,
                    2021,
                    2023,
                    Role::Scheme,
                    "IT services",
                );
                let b = g.add_party(p);
                let pc = if g.rng.chance(0.5) { "HK" } else { "CN" };
                let (han, py, _) =
                    data::HAN_NAMES[g.rng.below(data::HAN_NAMES.len() as u64) as usize];
                let pname = if pc == "HK" {
                    format!("Hong Kong {py} Trading Limited")
                } else {
                    format!("深圳市{han}电子有限公司")
                };
                let p = g.company(pname, pc, 2019, 2023, Role::Scheme, "electronics trading");
                let payer = g.add_party(p);
                let oc = if g.rng.chance(0.5) { "CN" } else { "HK" };
                let p = g.company(
                    format!("{py} Intelligent Computing Co., Ltd."),
                    oc,
                    2018,
                    2023,
                    Role::Scheme,
                    "",
                );
                let onward = g.add_party(p);
                plan.parties = vec![b, payer, onward];
                plan.slots = 1 + g.rng.below(3) as usize;
            }
            SchemeKind::MismatchedParties => {
                let a = data::NAME_A[g.rng.below(data::NAME_A.len() as u64) as usize];
                let p = g.company(
                    format!("{a} General Trading FZE"),
                    "AE",
                    2015,
                    2021,
                    Role::Scheme,
                    "general trading",
                );
                let t = g.add_party(p);
                let p = g.company(
                    format!("{a} Express Logistics Sdn. Bhd."),
                    "MY",
                    2012,
                    2020,
                    Role::Scheme,
                    "logistics",
                );
                let l = g.add_party(p);
                let ec = if g.rng.chance(0.5) { "TH" } else { "SG" };
                let stem = data::NAME_A[g.rng.below(data::NAME_A.len() as u64) as usize];
                let mut p = g.company(
                    format!("{stem} Ventures {}", cc(ec).legal[0]),
                    ec,
                    2022,
                    2024,
                    Role::Scheme,
                    "",
                );
                p.website.clear();
                p.email = format!(
                    "{}.ventures{}@{}",
                    slug(&p.name),
                    g.rng.range(10, 99),
                    data::FREEMAIL[g.rng.below(data::FREEMAIL.len() as u64) as usize]
                );
                p.address = format!(
                    "Unit {}-{}, {} Residences, {}",
                    g.rng.range(2, 30),
                    g.rng.range(1, 12),
                    data::NAME_A[g.rng.below(data::NAME_A.len() as u64) as usize],
                    cc(ec).cities[0]
                );
                let s = g.add_party(p);
                plan.parties = vec![t, l, s];
                plan.slots = 1 + g.rng.below(2) as usize;
            }
            SchemeKind::NewBuyerLargeOrder => {
                let a = data::NAME_A[g.rng.below(data::NAME_A.len() as u64) as usize];
                let mut p = g.company(
                    format!("{a} AI Computing {}", cc(hub).legal[0]),
                    hub,
                    2024,
                    2024,
                    Role::Scheme,
                    "",
                );
                p.website.clear();
                p.email = format!(
                    "{}{}@{}",
                    slug(&p.name),
                    g.rng.range(1, 999),
                    data::FREEMAIL[g.rng.below(data::FREEMAIL.len() as u64) as usize]
                );
                let b = g.add_party(p);
                plan.parties = vec![b];
                plan.slots = 1;
            }
            SchemeKind::SharedContactNetwork => {
                let k = if round.is_multiple_of(2) { 5 } else { 3 + g.rng.below(2) as usize };
                let (han, py, canto) =
                    data::HAN_NAMES[g.rng.below(data::HAN_NAMES.len() as u64) as usize];
                let ph = format!("{}{:04}", g.rng.range(6100, 6999), g.rng.range(0, 9999));
                let bldg = g.rng.range(2, 60);
                let unit = (g.rng.range(2, 20), g.rng.range(1, 40));
                let domain = format!("{}-tech.com", py.to_ascii_lowercase());
                let forms = [
                    format!("{py} Technology Pte. Ltd."),
                    format!("{han}科技有限公司"),
                    format!(
                        "{} Tech Trading Pte Ltd",
                        py.replace("tong", " Tong")
                            .replace("xin", " Xin")
                            .replace("da", " Da")
                            .replace("sheng", " Sheng")
                            .replace("yuan", " Yuan")
                            .replace("feng", " Feng")
                            .replace("lian", " Lian")
                            .replace("hang", " Hang")
                    ),
                    format!("{canto} Technology Co., Limited"),
                    format!("{py} Digital Solutions Limited"),
                ];
                for j in 0..k {
                    let country = match j % 3 {
                        0 => "SG",
                        1 => "HK",
                        _ => "MY",
                    };
                    let name = forms[j % forms.len()].clone();
                    let mut p =
                        g.company(name, country, 2020, 2024, Role::Scheme, "electronics trading");
                    // Shared contact data, formatted differently each time.
                    p.phone = match j % 3 {
                        0 => format!("+65 {} {}", &ph[..4], &ph[4..]),
                        1 => format!("+65{ph}"),
                        _ => format!("{}-{}", &ph[..4], &ph[4..]),
                    };
                    p.address = match j % 3 {
                        0 => format!(
                            "{bldg} Ubi Crescent, #{:02}-{:02}, Singapore 408564",
                            unit.0, unit.1
                        ),
                        1 => format!(
                            "#{:02}-{:02} {bldg} Ubi Cres., Singapore 408564",
                            unit.0, unit.1
                        ),
                        _ => format!("{bldg}, Ubi Crescent, Unit {}-{}, S408564", unit.0, unit.1),
                    };
                    p.email = format!(
                        "{}@{domain}",
                        ["sales", "procurement", "admin", "info", "orders"][j % 5]
                    );
                    p.website =
                        if j == 0 { format!("https://www.{domain}") } else { String::new() };
                    let i = g.add_party(p);
                    plan.parties.push(i);
                }
                plan.slots = k;
            }
            SchemeKind::EndUseMismatch => {
                let (ind, stem) =
                    data::ODD_BUSINESSES[g.rng.below(data::ODD_BUSINESSES.len() as u64) as usize];
                let p = g.company(
                    format!("{stem} {}", cc(hub).legal[0]),
                    hub,
                    2005,
                    2015,
                    Role::Scheme,
                    ind,
                );
                let b = g.add_party(p);
                plan.parties = vec![b];
                plan.slots = 1 + g.rng.below(2) as usize;
            }
            SchemeKind::SiteCapacity => {
                let a = data::NAME_A[g.rng.below(data::NAME_A.len() as u64) as usize];
                let p = g.company(
                    format!("{a} Digital Hub {}", cc(hub).legal[0]),
                    hub,
                    2019,
                    2023,
                    Role::Scheme,
                    "data centre operation",
                );
                let b = g.add_party(p);
                let addr = address(&mut g.rng, cc(hub));
                // 16+ eight-GPU servers need >= 160 kW IT load (>= 210 kW
                // with PUE 1.3) and ~40 m2: declare a fraction of that.
                let kw = g.rng.range(20, 80);
                let m2 = g.rng.range(8, 30);
                g.sites.push(GSite { party: b, country: hub, address: addr, kw, m2, fixed: true });
                plan.site = Some(g.sites.len() - 1);
                plan.parties = vec![b];
                plan.slots = 1 + g.rng.below(2) as usize;
            }
            SchemeKind::SerialAnomaly => {
                let v = serial_variants[serial_round % serial_variants.len()];
                serial_round += 1;
                plan.variant = Some(v);
                let a = data::NAME_A[g.rng.below(data::NAME_A.len() as u64) as usize];
                let c1 = if g.rng.chance(0.5) { "MY" } else { "SG" };
                let p = g.company(
                    format!("{a} Cloud Infrastructure {}", cc(c1).legal[0]),
                    c1,
                    2016,
                    2022,
                    Role::Scheme,
                    "cloud services",
                );
                let b = g.add_party(p);
                plan.parties = vec![b];
                let (han, py, _) =
                    data::HAN_NAMES[g.rng.below(data::HAN_NAMES.len() as u64) as usize];
                match v {
                    "two_places" => {
                        let p = g.company(
                            format!("{py} Digital (HK) Limited"),
                            "HK",
                            2019,
                            2023,
                            Role::Scheme,
                            "",
                        );
                        plan.aux.push(g.add_party(p));
                        plan.slots = 1;
                    }
                    "seen_in_cn" => {
                        let p = g.company(
                            format!("北京{han}算力科技有限公司"),
                            "CN",
                            2020,
                            2023,
                            Role::Scheme,
                            "",
                        );
                        plan.aux.push(g.add_party(p));
                        plan.slots = 1;
                    }
                    "label_swap" => {
                        let c2 = if c1 == "MY" { "SG" } else { "MY" };
                        let p = g.company(
                            format!("{a} Compute Services {}", cc(c2).legal[0]),
                            c2,
                            2016,
                            2022,
                            Role::Scheme,
                            "cloud services",
                        );
                        plan.parties.push(g.add_party(p));
                        plan.slots = 2;
                    }
                    _ => plan.slots = 1,
                }
            }
            SchemeKind::ListedNameVariant => {
                let (listed, variant, country, addr) =
                    data::LISTED_VARIANTS[si / SchemeKind::ALL.len() % data::LISTED_VARIANTS.len()];
                let mut p = g.company(
                    variant.to_string(),
                    country,
                    2012,
                    2020,
                    Role::Scheme,
                    "electronic components trading",
                );
                p.address = addr.to_string();
                let b = g.add_party(p);
                plan.parties = vec![b];
                plan.listed = Some(listed);
                plan.slots = 1 + g.rng.below(2) as usize;
            }
        }
        schemes.push(plan);
    }
    let n_dist = (n / 2000).max(4);
    let n_regional = (n / 2000).max(4);

    // ---- shuffle party ids so scheme parties are not recognisable by id
    let np = g.parties.len();
    let mut perm: Vec<usize> = (0..np).collect();
    for i in (1..np).rev() {
        let j = g.rng.below(i as u64 + 1) as usize;
        perm.swap(i, j);
    }
    g.pid = vec![String::new(); np];
    for (pos, &pi) in perm.iter().enumerate() {
        g.pid[pi] = format!("P{:06}", pos + 1);
    }

    // ---- place the planned units in the order stream (stratified, so
    // they never overlap and spread over the whole period).
    let mut plans: Vec<(Plan, usize)> = Vec::new();
    for (i, s) in schemes.iter().enumerate() {
        plans.push((Plan::Scheme(i), s.slots));
    }
    for _ in 0..n_dist {
        plans.push((Plan::Distributor, 2));
    }
    for _ in 0..n_regional {
        plans.push((Plan::RegionalBilling, 1));
    }
    // Deterministic shuffle of the plans.
    for i in (1..plans.len()).rev() {
        let j = g.rng.below(i as u64 + 1) as usize;
        plans.swap(i, j);
    }
    let reserved: usize = plans.iter().map(|p| p.1).sum();
    if reserved * 4 > n {
        return Err(Error::Generator(format!(
            "{reserved} planned orders do not fit in {n} orders; use more orders"
        )));
    }
    let seg = n / plans.len().max(1);
    let mut at: Vec<(usize, Plan, usize)> = plans
        .into_iter()
        .enumerate()
        .map(|(k, (p, slots))| {
            let room = seg.saturating_sub(slots).max(1);
            (k * seg + g.rng.below(room as u64) as usize, p, slots)
        })
        .collect();
    at.sort_by_key(|x| x.0);

    let mut truth_schemes: Vec<SchemeTruth> = schemes
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut flags: Vec<&str> = match s.kind {
                SchemeKind::HubTransshipment => vec!["RF-S03", "RF-S10", "RF-F01", "RF-N01"],
                SchemeKind::MismatchedParties => vec!["RF-S07", "RF-S01", "RF-P06", "RF-S03"],
                SchemeKind::NewBuyerLargeOrder => vec!["RF-P05", "RF-P06", "RF-O01"],
                SchemeKind::SharedContactNetwork => vec!["RF-P13", "RF-O10"],
                SchemeKind::EndUseMismatch => vec!["RF-P10"],
                SchemeKind::SiteCapacity => vec!["RF-O07", "RF-N02"],
                SchemeKind::SerialAnomaly => match s.variant {
                    Some("seen_in_cn") => vec!["RF-S11", "RF-S03"],
                    Some("model_mismatch") => vec!["RF-S11", "RF-S09"],
                    _ => vec!["RF-S11"],
                },
                SchemeKind::ListedNameVariant => vec!["RF-P01"],
            };
            if s.kind == SchemeKind::SharedContactNetwork && s.parties.len() >= 5 {
                flags.push("RF-N04");
            }
            SchemeTruth {
                scheme_id: format!("SCH-{:04}", i + 1),
                kind: s.kind,
                variant: s.variant.map(String::from),
                order_ids: vec![],
                party_ids: s.parties.iter().chain(&s.aux).map(|&p| g.pid[p].clone()).collect(),
                shipment_ids: vec![],
                payment_ids: vec![],
                serials: vec![],
                red_flags: flags.into_iter().map(String::from).collect(),
                description: String::new(),
            }
        })
        .collect();
    let mut look_dc = Lookalike {
        kind: "sg_datacenter".into(),
        party_ids: sg_dcs.iter().map(|(p, _)| g.pid[*p].clone()).collect(),
        order_ids: vec![],
        description: "Established Singapore data centres (incorporated 2008-2014, corporate domains, tens of MW declared) buying H100/H200/B200 servers installed on site".into(),
    };
    let mut look_dist = Lookalike {
        kind: "sg_distributor_reexport".into(),
        party_ids: vec![g.pid[dist].clone()],
        order_ids: vec![],
        description: "Singapore distributor importing servers and re-exporting them within days to established customers in JP/AU/DE under its own onward orders, paid by those customers".into(),
    };
    let mut look_reg = Lookalike {
        kind: "regional_billing".into(),
        party_ids: vec![g.pid[jp_parent].clone(), g.pid[sg_arm].clone()],
        order_ids: vec![],
        description: "Japanese group billed and paid through its Singapore procurement subsidiary (parent_party_id set); goods shipped to and installed in Japan".into(),
    };

    // ---- the order stream
    let mut next_plan = 0usize;
    let mut i = 0usize;
    while i < n {
        let date = start + (i as i64 * span) / n as i64 + g.rng.range(0, 2);
        let seller = if g.rng.chance(0.8) { s1 } else { s2 };
        if next_plan < at.len() && at[next_plan].0 <= i {
            let (_, plan, slots) = at[next_plan].clone();
            next_plan += 1;
            let slots = slots.min(n - i);
            match plan {
                Plan::Scheme(si) => {
                    emit_scheme(&mut g, &schemes[si], &mut truth_schemes[si], date, seller, slots)?;
                }
                Plan::Distributor => {
                    // Import to SG, then an onward order to an allied customer.
                    let it = data::item(
                        ["HGX H100 8-GPU", "DGX H100", "HGX H200 8-GPU"][g.rng.below(3) as usize],
                    );
                    let q = g.rng.range(2, 6) as u32;
                    let c = g.price(it);
                    let spec = OrderSpec {
                        date,
                        seller: s1,
                        buyer: dist,
                        end_user: Some(dist),
                        end_use: "resale to end users in Japan, Australia and Germany (distribution)",
                        lines: vec![(it, q, c)],
                        install: 0.0,
                        currency: "USD",
                        ..Default::default()
                    };
                    let a = g.emit(&spec)?;
                    look_dist.order_ids.push(a.order_id.clone());
                    if slots >= 2 && !allied.is_empty() {
                        let cust = allied[g.rng.below(allied.len() as u64) as usize];
                        let recv = a.units.iter().map(|u| u.received).max().unwrap_or(date + 10);
                        let spec_b = OrderSpec {
                            date: recv - 3,
                            seller: dist,
                            buyer: cust,
                            end_user: Some(cust),
                            end_use: "AI model training on own premises",
                            site: site_of.get(cust).copied().flatten(),
                            lines: vec![(it, q, c + c / 20)],
                            install: 0.0,
                            currency: "USD",
                            ..Default::default()
                        };
                        let b = emit_onward(&mut g, &spec_b, &a.units, dist, cust)?;
                        look_dist.order_ids.push(b);
                        look_dist.party_ids.push(g.pid[cust].clone());
                    }
                }
                Plan::RegionalBilling => {
                    let it = data::item(
                        ["L40S", "H100 PCIe", "HGX H100 8-GPU"][g.rng.below(3) as usize],
                    );
                    let q = if ITEMS[it].class == ItemClass::Server {
                        g.rng.range(1, 2)
                    } else {
                        g.rng.range(4, 16)
                    } as u32;
                    let c = g.price(it);
                    let spec = OrderSpec {
                        date,
                        seller,
                        buyer: jp_parent,
                        bill_to: Some(sg_arm),
                        ship_to: Some(jp_parent),
                        end_user: Some(jp_parent),
                        end_use: "engineering simulation and design optimisation",
                        lines: vec![(it, q, c)],
                        payer: Some(sg_arm),
                        install: 0.9,
                        currency: "USD",
                        ..Default::default()
                    };
                    let a = g.emit(&spec)?;
                    look_reg.order_ids.push(a.order_id);
                }
            }
            i += slots;
            continue;
        }
        // A benign order.
        let cust = if g.rng.chance(0.003) {
            let (p, _) = sg_dcs[g.rng.below(sg_dcs.len() as u64) as usize];
            p
        } else {
            let u = g.rng.unit();
            customers[((u * u) * customers.len() as f64) as usize % customers.len()]
        };
        let spec = benign_order(
            &mut g,
            cust,
            seller,
            date,
            site_of
                .get(cust)
                .copied()
                .flatten()
                .or_else(|| sg_dcs.iter().find(|x| x.0 == cust).map(|x| x.1)),
        );
        let e = g.emit(&spec)?;
        if sg_dcs.iter().any(|x| x.0 == cust) {
            look_dc.order_ids.push(e.order_id);
        }
        i += 1;
    }

    // ---- parties and sites (known only now: all written at the end)
    let mut pw = TableWriter::create(out_dir, "parties", cols::PARTIES, fmt)?;
    let mut order_idx: Vec<usize> = (0..np).collect();
    order_idx.sort_by(|a, b| g.pid[*a].cmp(&g.pid[*b]));
    for &pi in &order_idx {
        let p = &g.parties[pi];
        let parent = p.parent.map(|x| g.pid[x].clone()).unwrap_or_default();
        pw.row(&[
            &g.pid[pi],
            &p.name,
            p.country,
            &p.address,
            &p.phone,
            &p.email,
            &p.website,
            &p.reg,
            &p.inc.map(ds).unwrap_or_default(),
            &parent,
            p.hq.unwrap_or(""),
            if p.person { "person" } else { "company" },
            &p.industry,
        ])?;
    }
    pw.finish()?;
    g.out.parties_w = None;
    // benign sites declare at least 1.6x the most they receive in any year
    // (a real operator's declared capacity covers its installed base)
    for (si, v) in std::mem::take(&mut g.site_need) {
        let Some(site) = g.sites.get_mut(si) else { continue };
        if site.fixed {
            continue;
        }
        let mut v = v;
        v.sort_unstable();
        let (mut lo, mut sum, mut peak) = (0usize, 0i64, 0i64);
        for hi in 0..v.len() {
            sum += v[hi].1;
            while v[hi].0 - v[lo].0 > 365 {
                sum -= v[lo].1;
                lo += 1;
            }
            peak = peak.max(sum);
        }
        site.kw = site.kw.max(peak * 16 / 10 + 1);
        site.m2 = site.m2.max(peak * 16 / 10 / 4 + 1);
    }
    let mut sw = TableWriter::create(out_dir, "sites", cols::SITES, fmt)?;
    for (i, s) in g.sites.iter().enumerate() {
        sw.row(&[
            &format!("ST-{:06}", i + 1),
            &g.pid[s.party],
            s.country,
            &s.address,
            &s.kw.to_string(),
            &s.m2.to_string(),
        ])?;
    }
    sw.finish()?;

    let Out {
        orders,
        lines,
        ships,
        events,
        pays,
        n_orders,
        n_lines,
        n_ships,
        n_pays,
        n_events,
        ..
    } = g.out;
    for w in [orders, lines, ships, events, pays] {
        w.finish()?;
    }
    let truth = Truth {
        format: "chiptrace-ledger-truth/1".into(),
        seed: opts.seed,
        orders: n_orders,
        serial_policy: format!(
            "one serial per server unit; at most {BOARD_SERIALS_PER_LINE} serials per line of loose accelerator boards; none for network gear"
        ),
        schemes: truth_schemes,
        benign_lookalikes: vec![look_dc, look_dist, look_reg],
    };
    let tpath = out_dir.join("truth.json");
    let f = std::fs::File::create(&tpath).map_err(|e| Error::io(&tpath, e))?;
    serde_json::to_writer_pretty(std::io::BufWriter::new(f), &truth)?;
    Ok(GenSummary {
        parties: np,
        orders: n_orders,
        order_lines: n_lines,
        shipments: n_ships,
        payments: n_pays,
        serial_events: n_events,
        sites: g.sites.len(),
        schemes: truth.schemes.len(),
        seconds: t0.elapsed().as_secs_f64(),
    })
}

/// A benign order for a customer, by its role.
fn benign_order(
    g: &mut Gen,
    cust: usize,
    seller: usize,
    date: i64,
    site: Option<usize>,
) -> OrderSpec {
    let role = g.parties[cust].role;
    let country = g.parties[cust].country;
    let r = g.rng.unit();
    let pick = |g: &mut Gen, xs: &[&str]| data::item(xs[g.rng.below(xs.len() as u64) as usize]);
    let (it, q): (usize, u32) = match role {
        Role::DataCentre | Role::Integrator if r < 0.55 => {
            let it = pick(g, &["DGX H100", "HGX H100 8-GPU", "HGX H200 8-GPU", "HGX B200 8-GPU"]);
            let u = g.rng.unit();
            (it, 1 + (u * u * 8.0) as u32)
        }
        Role::DataCentre | Role::Integrator => {
            let it = pick(g, &["H100 SXM", "H200 SXM", "B200", "L40S"]);
            (it, 8 * (1 + g.rng.below(8) as u32))
        }
        Role::University => {
            if r < 0.1 {
                (pick(g, &["DGX H100"]), 1 + g.rng.below(2) as u32)
            } else {
                let it = pick(g, &["A100 SXM4 80GB", "H100 PCIe", "L40S", "H100 SXM"]);
                let u = g.rng.unit();
                (it, 1 + (u * u * 32.0) as u32)
            }
        }
        _ => {
            if r < 0.15 {
                (pick(g, &["HGX H100 8-GPU", "DGX H100"]), 1 + g.rng.below(2) as u32)
            } else {
                let it = pick(g, &["L40S", "L4", "H100 PCIe", "A100 SXM4 80GB"]);
                let u = g.rng.unit();
                (it, 1 + (u * u * 16.0) as u32)
            }
        }
    };
    let mut lines = vec![(it, q, g.price(it))];
    if g.rng.chance(0.3) {
        let net = data::item(if g.rng.chance(0.7) {
            "ConnectX-7 400G NIC"
        } else {
            "Spectrum SN5600 switch"
        });
        let nq =
            if ITEMS[net].class == ItemClass::Network && net == data::item("ConnectX-7 400G NIC") {
                q.clamp(1, 64)
            } else {
                1
            };
        lines.push((net, nq, g.price(net)));
    }
    let end_use = match role {
        Role::DataCentre => [
            "cloud computing services",
            "AI inference hosting for customers",
            "colocation GPU cluster",
        ][g.rng.below(3) as usize],
        Role::University => {
            ["academic research", "climate and materials simulation", "university HPC cluster"]
                [g.rng.below(3) as usize]
        }
        Role::Integrator => "integration into customer systems (domestic)",
        _ => [
            "fraud detection model training",
            "CAD and CFD simulation",
            "recommendation systems",
            "medical imaging analysis",
        ][g.rng.below(4) as usize],
    };
    let cur = cc(country).currency;
    let lines = if cur == "EUR" {
        lines.into_iter().map(|(i, q, c)| (i, q, c * 92 / 100)).collect()
    } else {
        lines
    };
    let _ = COUNTRIES.len();
    // Benign variety: an enterprise or university sometimes has hardware
    // delivered to a colocation data centre in its own country (ship-to ≠
    // buyer, same country; installed by the buyer).
    let mut ship_to = cust;
    let mut site = site;
    if matches!(role, Role::Enterprise | Role::University) && g.rng.chance(0.08) {
        let pool = g.dcs.get(country).cloned().unwrap_or_default();
        if let Some(&dc) = g.rng.pick(&pool) {
            ship_to = dc;
            site = None;
        }
    }
    OrderSpec {
        date,
        seller,
        buyer: cust,
        bill_to: Some(cust),
        ship_to: Some(ship_to),
        end_user: Some(cust),
        end_use,
        site,
        lines,
        install: 0.8,
        split_shipment: g.rng.chance(0.08),
        split_payment: g.rng.chance(0.1),
        currency: cur,
        ..Default::default()
    }
}

/// The distributor's onward order: a new order, shipment SG → customer,
/// and for each imported unit an `exported` event (destination country)
/// and receipt/installation at the customer.
fn emit_onward(
    g: &mut Gen,
    s: &OrderSpec,
    units: &[Unit],
    dist: usize,
    cust: usize,
) -> Result<String> {
    // The onward shipment leaves 3-12 days after the last unit arrived in
    // Singapore; every unit is `exported` on that day with that shipment.
    let last = units.iter().map(|u| u.received).max().unwrap_or(s.date);
    let dep = last + g.rng.range(3, 12);
    let e = g.emit(&OrderSpec { skip_serials: true, ship_date: Some(dep), ..clone_spec(s) })?;
    let dest = g.country(cust);
    let sid = e.shipment_ids.first().cloned().unwrap_or_default();
    let arr = dep + g.rng.range(1, 3);
    for u in units {
        g.event(&u.serial, u.item, "exported", Some(dist), dest, dep, &sid)?;
        g.event(&u.serial, u.item, "received", Some(cust), dest, arr, &sid)?;
        let dd = arr + g.rng.range(5, 20);
        g.event(&u.serial, u.item, "installed", Some(cust), dest, dd, "")?;
    }
    Ok(e.order_id)
}

fn clone_spec(s: &OrderSpec) -> OrderSpec {
    OrderSpec {
        date: s.date,
        seller: s.seller,
        buyer: s.buyer,
        bill_to: s.bill_to,
        ship_to: s.ship_to,
        end_user: s.end_user,
        end_use: s.end_use,
        site: s.site,
        lines: s.lines.clone(),
        forwarder: s.forwarder,
        payer: s.payer,
        payer_country: s.payer_country,
        bank_country: s.bank_country,
        install: s.install,
        split_shipment: s.split_shipment,
        split_payment: s.split_payment,
        currency: s.currency,
        skip_serials: s.skip_serials,
        ship_date: s.ship_date,
    }
}

fn record(t: &mut SchemeTruth, e: &Emitted, serials: bool) {
    t.order_ids.push(e.order_id.clone());
    t.shipment_ids.extend(e.shipment_ids.iter().cloned());
    t.payment_ids.extend(e.payment_ids.iter().cloned());
    if serials {
        t.serials.extend(e.units.iter().map(|u| u.serial.clone()));
    }
}

fn emit_scheme(
    g: &mut Gen,
    s: &SchemePlan,
    t: &mut SchemeTruth,
    date: i64,
    seller: usize,
    slots: usize,
) -> Result<()> {
    let server = |g: &mut Gen, xs: &[&str]| data::item(xs[g.rng.below(xs.len() as u64) as usize]);
    match s.kind {
        SchemeKind::HubTransshipment => {
            let (b, payer, onward) = (s.parties[0], s.parties[1], s.parties[2]);
            let pc = g.country(payer);
            let oc = g.country(onward);
            for k in 0..slots {
                let (it, q) = if g.rng.chance(0.6) {
                    (
                        server(g, &["HGX H100 8-GPU", "HGX H200 8-GPU", "DGX H100"]),
                        g.rng.range(2, 8) as u32,
                    )
                } else {
                    (server(g, &["H100 SXM", "H200 SXM"]), 8 * g.rng.range(2, 8) as u32)
                };
                let c = g.price(it);
                let spec = OrderSpec {
                    date: date + 9 * k as i64,
                    seller,
                    buyer: b,
                    bill_to: Some(b),
                    ship_to: Some(b),
                    end_user: Some(b),
                    end_use: "local data centre (cloud services)",
                    lines: vec![(it, q, c)],
                    payer: Some(payer),
                    payer_country: Some(pc),
                    bank_country: Some("HK"),
                    install: 0.0,
                    currency: "USD",
                    ..Default::default()
                };
                let e = g.emit(&spec)?;
                for u in &e.units {
                    let ex = u.received + g.rng.range(2, 10);
                    g.event(&u.serial, u.item, "exported", Some(b), oc, ex, "")?;
                    let dd = ex + g.rng.range(1, 3);

                    g.event(&u.serial, u.item, "received", Some(onward), oc, dd, "")?;
                }
                record(t, &e, true);
            }
            t.description = format!(
                "{} in {} imports GPU servers/boards for a 'local data centre', pays through a third party in {pc}, and re-exports every registered unit to {oc} within 2-10 days of receipt",
                g.parties[b].name,
                g.country(b)
            );
        }
        SchemeKind::MismatchedParties => {
            let (tr, lg, shell) = (s.parties[0], s.parties[1], s.parties[2]);
            for k in 0..slots {
                let it = server(g, &["HGX H100 8-GPU", "DGX H100", "HGX H200 8-GPU"]);
                let q = g.rng.range(2, 6) as u32;
                let c = g.price(it);
                let spec = OrderSpec {
                    date: date + 12 * k as i64,
                    seller,
                    buyer: tr,
                    bill_to: Some(tr),
                    ship_to: Some(lg),
                    end_user: Some(shell),
                    end_use: "AI research",
                    lines: vec![(it, q, c)],
                    forwarder: Some(lg),
                    install: 0.0,
                    currency: "USD",
                    ..Default::default()
                };
                let e = g.emit(&spec)?;
                record(t, &e, false);
            }
            t.description = format!(
                "billed to {} (AE), shipped to the logistics company {} (MY) as consignee, declared end user {} ({}) with free-mail e-mail, no website and a residential address",
                g.parties[tr].name,
                g.parties[lg].name,
                g.parties[shell].name,
                g.country(shell)
            );
        }
        SchemeKind::NewBuyerLargeOrder => {
            let b = s.parties[0];
            // Incorporated 3-8 weeks before the order.
            let inc = date - g.rng.range(21, 56);
            g.parties[b].inc = Some(inc);
            let (it, q) = if g.rng.chance(0.5) {
                (server(g, &["HGX B200 8-GPU", "HGX H200 8-GPU"]), 8)
            } else {
                (server(g, &["H100 SXM", "H200 SXM", "B200"]), 128 * g.rng.range(1, 2) as u32)
            };
            let c = g.price(it);
            let spec = OrderSpec {
                date,
                seller,
                buyer: b,
                bill_to: Some(b),
                ship_to: Some(b),
                end_user: Some(b),
                end_use: "AI model training",
                lines: vec![(it, q, c)],
                install: 0.0,
                currency: "USD",
                ..Default::default()
            };
            let e = g.emit(&spec)?;
            record(t, &e, false);
            t.description = format!(
                "{} incorporated on {} ({} days before its first order of {q} x {}), no website, free-mail e-mail",
                g.parties[b].name,
                ds(inc),
                date - inc,
                ITEMS[it].name
            );
        }
        SchemeKind::SharedContactNetwork => {
            for (k, &b) in s.parties.iter().enumerate().take(slots) {
                let it = server(g, &["H100 SXM", "H200 SXM"]);
                let q = 48 + 8 * g.rng.below(2) as u32;
                let c = g.price(it);
                let spec = OrderSpec {
                    date: date + 5 * k as i64,
                    seller,
                    buyer: b,
                    bill_to: Some(b),
                    ship_to: Some(b),
                    end_user: Some(b),
                    end_use: "cloud rendering services",
                    lines: vec![(it, q, c)],
                    install: 0.3,
                    currency: "USD",
                    ..Default::default()
                };
                let e = g.emit(&spec)?;
                record(t, &e, false);
            }
            t.description = format!(
                "{} buyers sharing one phone number, one building address and one e-mail domain (formatted differently), names as Han / pinyin / Cantonese variants; each orders 48-56 boards (below 64) within {} days",
                s.parties.len(),
                5 * s.parties.len()
            );
        }
        SchemeKind::EndUseMismatch => {
            let b = s.parties[0];
            for k in 0..slots {
                let it = server(g, &["HGX H100 8-GPU", "HGX H200 8-GPU", "DGX H100"]);
                let q = g.rng.range(2, 8) as u32;
                let c = g.price(it);
                let spec = OrderSpec {
                    date: date + 20 * k as i64,
                    seller,
                    buyer: b,
                    bill_to: Some(b),
                    ship_to: Some(b),
                    end_user: Some(b),
                    end_use: "artificial intelligence research",
                    lines: vec![(it, q, c)],
                    install: 0.2,
                    currency: "USD",
                    ..Default::default()
                };
                let e = g.emit(&spec)?;
                record(t, &e, false);
            }
            t.description = format!(
                "{} (industry: {}) buys GPU servers for 'artificial intelligence research'",
                g.parties[b].name, g.parties[b].industry
            );
        }
        SchemeKind::SiteCapacity => {
            let b = s.parties[0];
            let site = s.site;
            for k in 0..slots {
                let it = server(g, &["DGX H100", "HGX H100 8-GPU", "HGX H200 8-GPU"]);
                let q = g.rng.range(16, 48) as u32;
                let c = g.price(it);
                let spec = OrderSpec {
                    date: date + 15 * k as i64,
                    seller,
                    buyer: b,
                    bill_to: Some(b),
                    ship_to: Some(b),
                    end_user: Some(b),
                    end_use: "colocation GPU cluster",
                    site,
                    lines: vec![(it, q, c)],
                    install: 0.9,
                    currency: "USD",
                    ..Default::default()
                };
                let e = g.emit(&spec)?;
                record(t, &e, false);
            }
            let st = site.map(|x| g.sites[x].clone());
            t.description = format!(
                "{} declares a site of {} kW and {} m2 but orders 16-48 eight-GPU servers per order (about 10 kW each)",
                g.parties[b].name,
                st.as_ref().map_or(0, |x| x.kw),
                st.as_ref().map_or(0, |x| x.m2)
            );
        }
        SchemeKind::SerialAnomaly => {
            let b = s.parties[0];
            let it = server(g, &["HGX H100 8-GPU", "DGX H100", "HGX H200 8-GPU"]);
            let q = g.rng.range(2, 6) as u32;
            let c = g.price(it);
            let spec = OrderSpec {
                date,
                seller,
                buyer: b,
                bill_to: Some(b),
                ship_to: Some(b),
                end_user: Some(b),
                end_use: "cloud computing services",
                lines: vec![(it, q, c)],
                install: 0.0,
                currency: "USD",
                ..Default::default()
            };
            let e = g.emit(&spec)?;
            record(t, &e, false);
            let dest = g.country(b);
            match s.variant {
                Some("two_places") => {
                    let hk = s.aux[0];
                    for u in e.units.iter().take(2) {
                        let d = u.received + g.rng.range(5, 20);
                        g.event(&u.serial, u.item, "installed", Some(b), dest, d, "")?;
                        g.event(&u.serial, u.item, "received", Some(hk), "HK", d, "")?;
                        t.serials.push(u.serial.clone());
                    }
                    for u in e.units.iter().skip(2) {
                        g.event(&u.serial, u.item, "installed", Some(b), dest, u.received + 7, "")?;
                    }
                    t.description = format!(
                        "two serials of {} are installed in {dest} and received in HK by {} on the same day",
                        g.parties[b].name, g.parties[hk].name
                    );
                }
                Some("seen_in_cn") => {
                    let cn = s.aux[0];
                    for (k, u) in e.units.iter().enumerate() {
                        let d = u.received + g.rng.range(5, 15);
                        g.event(&u.serial, u.item, "installed", Some(b), dest, d, "")?;
                        if k == 0 {
                            let dd = d + g.rng.range(30, 90);

                            g.event(&u.serial, u.item, "rma", Some(cn), "CN", dd, "")?;
                            t.serials.push(u.serial.clone());
                        }
                    }
                    t.description = format!(
                        "a serial installed at {} in {dest} comes back as an RMA request from {} in CN",
                        g.parties[b].name, g.parties[cn].name
                    );
                }
                Some("model_mismatch") => {
                    let other = data::item(if ITEMS[it].name.contains("H200") {
                        "HGX H100 8-GPU"
                    } else {
                        "L40S"
                    });
                    for (k, u) in e.units.iter().enumerate() {
                        let d = u.received + g.rng.range(5, 15);
                        g.event(&u.serial, u.item, "installed", Some(b), dest, d, "")?;
                        if k == 0 {
                            let dd = d + g.rng.range(30, 120);

                            g.event(&u.serial, other, "inspected", Some(b), dest, dd, "")?;
                            t.serials.push(u.serial.clone());
                        }
                    }
                    t.description = format!(
                        "a serial shipped as {} is recorded as {} at inspection",
                        ITEMS[it].name, ITEMS[other].name
                    );
                }
                _ => {
                    // label_swap: a second order to a sister company; the
                    // inspection at the first buyer's site finds the sister's
                    // serials, and the first buyer's own units are never seen.
                    let b2 = s.parties.get(1).copied().unwrap_or(b);
                    let spec2 = OrderSpec {
                        date: date + 3,
                        buyer: b2,
                        bill_to: Some(b2),
                        ship_to: Some(b2),
                        end_user: Some(b2),
                        install: 1.0,
                        ..clone_spec(&spec)
                    };
                    let e2 = g.emit(&spec2)?;
                    record(t, &e2, false);
                    let last = e.units.iter().map(|u| u.received).max().unwrap_or(date)
                        + g.rng.range(40, 90);
                    for u in &e2.units {
                        g.event(&u.serial, u.item, "inspected", Some(b), dest, last, "")?;
                        t.serials.push(u.serial.clone());
                    }
                    t.serials.extend(e.units.iter().map(|u| u.serial.clone()));
                    t.description = format!(
                        "inspection at {} ({dest}) finds the serials shipped to {} ({}); its own {} units are never seen after receipt",
                        g.parties[b].name,
                        g.parties[b2].name,
                        g.country(b2),
                        e.units.len()
                    );
                }
            }
        }
        SchemeKind::ListedNameVariant => {
            let b = s.parties[0];
            for k in 0..slots {
                let (it, q) = if g.rng.chance(0.5) {
                    (server(g, &["HGX H100 8-GPU", "DGX H100"]), g.rng.range(1, 4) as u32)
                } else {
                    (server(g, &["H100 SXM", "A100 SXM4 80GB"]), 8 * g.rng.range(1, 4) as u32)
                };
                let c = g.price(it);
                let spec = OrderSpec {
                    date: date + 30 * k as i64,
                    seller,
                    buyer: b,
                    bill_to: Some(b),
                    ship_to: Some(b),
                    end_user: Some(b),
                    end_use: "electronic components distribution",
                    lines: vec![(it, q, c)],
                    install: 0.2,
                    currency: "USD",
                    ..Default::default()
                };
                let e = g.emit(&spec)?;
                record(t, &e, false);
            }
            t.description = format!(
                "buyer {:?} is a spelling variant of the BIS Entity List party {:?} (same country, address variant)",
                g.parties[b].name,
                s.listed.unwrap_or("")
            );
        }
    }
    Ok(())
}
