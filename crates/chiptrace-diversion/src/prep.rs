//! Facts every rule reads, computed once per ledger: resolved entities and
//! corporate families, normalised contact identifiers, controlled
//! accelerators and power per order, the order each serial belongs to.

use chiptrace_ledger::{Country, Ledger, OrderId, PartyId, SerialId};
use rust_decimal::prelude::ToPrimitive;
use rustc_hash::FxHashMap;

use crate::config::Config;

/// A restricted-list match of a party (filled by the caller from the
/// screening engine: the analysis does not depend on the matcher).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ListHit {
    pub score: f64,
    pub list: String,
    pub entry_id: String,
    pub entry_name: String,
    pub matched_name: String,
}

/// Inputs beside the ledger.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Party index → resolved entity (cluster) id; identity when empty.
    pub cluster_of: Vec<u32>,
    /// Party index → best list match at or above the review threshold.
    pub listed: Vec<Option<ListHit>>,
}

/// Kinds of contact identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    Phone,
    Domain,
    Address,
}

pub(crate) struct Prepared {
    pub cluster: Vec<u32>,
    /// Party → root of its declared parent chain (corporate family).
    pub family: Vec<u32>,
    /// Party → (kind, normalised value) identifiers.
    pub ids: Vec<Vec<(IdKind, String)>>,
    pub free_mail_email: Vec<bool>,
    /// Order → controlled accelerators, kW (without PUE).
    pub controlled: Vec<u64>,
    pub kw: Vec<f64>,
    /// Serial → order (through the shipment of its first event naming one).
    pub serial_order: Vec<Option<OrderId>>,
    /// Parties acting on the buying side (buyer, bill-to, ship-to, end user).
    pub buying_side: Vec<bool>,
}

pub(crate) fn digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// Registrable domain of an e-mail address or website (approximate public
/// suffix handling: two labels, three under a two-letter second level such
/// as `com.sg`, `co.jp`).
pub(crate) fn domain(s: &str) -> Option<String> {
    let s = s.trim().to_ascii_lowercase();
    let host = match s.split_once('@') {
        Some((_, d)) => d.to_string(),
        None => {
            let t = s.trim_start_matches("https://").trim_start_matches("http://");
            t.split(['/', '?', '#', ':'])
                .next()
                .unwrap_or("")
                .trim_start_matches("www.")
                .to_string()
        }
    };
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    if labels.len() < 2 {
        return None;
    }
    let n = labels.len();
    let second = labels[n - 2];
    let take = if n >= 3
        && labels[n - 1].len() == 2
        && ["com", "co", "net", "org", "edu", "gov", "ac", "or", "ne"].contains(&second)
    {
        3
    } else {
        2
    };
    Some(labels[n - take..].join("."))
}

/// Building-level address key: lower-case words and numbers without unit
/// numbers (`#05-27`, `unit 3`, `suite 12`, `floor 4`), so two offices in one
/// building share a key.
pub(crate) fn address_key(s: &str) -> Option<String> {
    let lower = s.to_lowercase();
    let mut out: Vec<String> = Vec::new();
    let mut skip_next = false;
    for tok in lower.split(|c: char| c.is_whitespace() || c == ',') {
        let t = tok.trim_matches(|c: char| !c.is_alphanumeric() && c != '#');
        if t.is_empty() {
            continue;
        }
        if skip_next {
            skip_next = false;
            continue;
        }
        if t.starts_with('#') {
            continue;
        }
        if ["unit", "suite", "floor", "flat", "room", "level", "ste", "fl"].contains(&t) {
            skip_next = true;
            continue;
        }
        let clean: String = t.chars().filter(|c| c.is_alphanumeric()).collect();
        if !clean.is_empty() {
            out.push(clean);
        }
    }
    (out.len() >= 2).then(|| out.join(" "))
}

pub(crate) fn prepare(l: &Ledger, ctx: &Context, cfg: &Config) -> Prepared {
    let np = l.parties.len();
    let cluster: Vec<u32> =
        if ctx.cluster_of.len() == np { ctx.cluster_of.clone() } else { (0..np as u32).collect() };
    // the root of each party's declared parent chain; a cycle (bad data)
    // resolves to its smallest member, whichever member the walk starts at
    let family: Vec<u32> = (0..np)
        .map(|i| {
            let chain: Vec<PartyId> =
                std::iter::once(PartyId(i as u32)).chain(ancestors(l, PartyId(i as u32))).collect();
            let last = chain.last().copied().unwrap_or(PartyId(i as u32));
            match l.parties[last.index()].parent {
                // the walk stopped on a cycle: its smallest member
                Some(next) if chain.contains(&next) => {
                    let start = chain.iter().position(|p| *p == next).unwrap_or(0);
                    chain[start..].iter().map(|p| p.0).min().unwrap_or(i as u32)
                }
                _ => last.0,
            }
        })
        .collect();
    let mut free_mail_email = vec![false; np];
    let ids: Vec<Vec<(IdKind, String)>> = l
        .parties
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut v = Vec::new();
            let d = digits(&p.phone);
            if d.len() >= 8 {
                v.push((IdKind::Phone, d[d.len() - 8..].to_string()));
            }
            let email_dom = domain(&p.email);
            if let Some(dom) = &email_dom {
                if cfg.free_mail.contains(dom) {
                    free_mail_email[i] = true;
                } else {
                    v.push((IdKind::Domain, dom.clone()));
                }
            }
            if let Some(w) = domain(&p.website)
                && Some(&w) != email_dom.as_ref()
                && !cfg.free_mail.contains(&w)
            {
                v.push((IdKind::Domain, w));
            }
            if let Some(a) = address_key(&p.address) {
                v.push((IdKind::Address, format!("{}|{a}", p.country.as_str())));
            }
            v
        })
        .collect();
    let no = l.orders.len();
    let mut controlled = vec![0u64; no];
    let mut kw = vec![0f64; no];
    for line in &l.lines {
        let o = line.order.index();
        if o < no {
            controlled[o] += l.line_accelerators(line);
            if let Some(k) = l.item(line.item).kw_per_unit() {
                kw[o] += k.to_f64().unwrap_or(0.0) * f64::from(line.quantity);
            }
        }
    }
    let mut serial_order = vec![None; l.serials.len()];
    for (s, slot) in serial_order.iter_mut().enumerate() {
        for e in l.events_of(SerialId(s as u32)) {
            if let Some(sh) = e.shipment
                && let Some(shp) = l.shipments.get(sh.index())
            {
                *slot = Some(shp.order);
                break;
            }
        }
    }
    let mut buying_side = vec![false; np];
    for o in &l.orders {
        for p in o.buying_side() {
            if let Some(b) = buying_side.get_mut(p.index()) {
                *b = true;
            }
        }
    }
    Prepared { cluster, family, ids, free_mail_email, controlled, kw, serial_order, buying_side }
}

impl Prepared {
    /// Two parties are the same business: same resolved entity or the same
    /// corporate family (a declared parent chain).
    pub fn related(&self, a: PartyId, b: PartyId) -> bool {
        a == b
            || self.cluster.get(a.index()) == self.cluster.get(b.index())
            || self.family.get(a.index()) == self.family.get(b.index())
    }
}

/// The declared parents of `p`, nearest first, stopping at a cycle and
/// after 16 steps (ownership chains are short; bad data must not loop).
pub(crate) fn ancestors(l: &Ledger, p: PartyId) -> impl Iterator<Item = PartyId> + '_ {
    let mut seen = vec![p];
    let mut cur = l.parties.get(p.index()).and_then(|x| x.parent);
    std::iter::from_fn(move || {
        let q = cur?;
        if seen.contains(&q) || seen.len() > 16 {
            return None;
        }
        seen.push(q);
        cur = l.parties.get(q.index()).and_then(|x| x.parent);
        Some(q)
    })
}

/// Country of a party (for rules that compare countries).
pub(crate) fn country(l: &Ledger, p: PartyId) -> Country {
    l.parties[p.index()].country
}

/// Parties of an order by role, de-duplicated.
pub(crate) fn order_roles(l: &Ledger, o: OrderId) -> Vec<(&'static str, PartyId)> {
    let ord = &l.orders[o.index()];
    let mut v = vec![("buyer", ord.buyer)];
    if let Some(p) = ord.bill_to {
        v.push(("bill_to", p));
    }
    if let Some(p) = ord.ship_to {
        v.push(("ship_to", p));
    }
    if let Some(p) = ord.end_user {
        v.push(("end_user", p));
    }
    v
}

/// Party-level facts grouped by party → orders where the party is on the
/// buying side.
pub(crate) fn buying_orders(l: &Ledger) -> FxHashMap<u32, Vec<OrderId>> {
    let mut m: FxHashMap<u32, Vec<OrderId>> = FxHashMap::default();
    for (i, o) in l.orders.iter().enumerate() {
        for p in o.buying_side() {
            m.entry(p.0).or_default().push(OrderId(i as u32));
        }
    }
    m
}
