//! The red-flag rules. Each function implements the catalogue entry with the
//! same id (`../shared/design/red-flags.yaml`), reads its severities and
//! parameters from the rule data (`rules/red-flags.toml`), and returns hits
//! that name the records behind them and the values computed.

use chiptrace_ledger::{EventKind, Ledger, OrderId, PartyId, SerialId};
use rust_decimal::prelude::ToPrimitive;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use serde_json::{Value, json};

use crate::config::{Category, Config, RuleDef, Severity};
use crate::error::Result;
use crate::prep::{Context, IdKind, Prepared, buying_orders, country, order_roles};

/// One rule firing.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub rule: &'static str,
    pub level: &'static str,
    pub severity: Severity,
    pub category: Category,
    /// Scoring bucket: the rule's signal group, else its category.
    pub group: String,
    pub summary: String,
    #[serde(skip)]
    pub orders: Vec<u32>,
    #[serde(skip)]
    pub parties: Vec<u32>,
    #[serde(skip)]
    pub shipments: Vec<u32>,
    #[serde(skip)]
    pub payments: Vec<u32>,
    #[serde(skip)]
    pub serials: Vec<u32>,
    pub evidence: Value,
}

pub(crate) struct Env<'a> {
    pub l: &'a Ledger,
    pub p: &'a Prepared,
    pub cfg: &'a Config,
    pub ctx: &'a Context,
    pub def: &'a RuleDef,
    pub extra: &'a crate::Extra,
}

impl Env<'_> {
    fn hit(
        &self,
        rule: &'static str,
        level: &'static str,
        summary: String,
        evidence: Value,
    ) -> Hit {
        Hit {
            rule,
            level,
            severity: self.def.sev(level),
            category: self.def.category,
            group: self
                .def
                .group
                .clone()
                .unwrap_or_else(|| format!("{:?}", self.def.category).to_lowercase()),
            summary,
            orders: vec![],
            parties: vec![],
            shipments: vec![],
            payments: vec![],
            serials: vec![],
            evidence,
        }
    }
    fn pname(&self, p: PartyId) -> String {
        format!(
            "{} ({}, {})",
            self.l.parties[p.index()].name,
            self.l.party_id_str(p),
            self.l.parties[p.index()].country.as_str()
        )
    }
}

type RuleFn = fn(&Env) -> Result<Vec<Hit>>;

/// Rules with code, their severity levels, and their functions.
const RULES: &[(&str, &[&str], RuleFn)] = &[
    ("RF-P01", &["hit", "weak_hit"], p01),
    ("RF-P02", &["intra_deal"], p02),
    ("RF-P04", &["d5_hq"], p04),
    ("RF-P05", &["young", "post_control_start"], p05),
    ("RF-P06", &["web"], p06),
    ("RF-P10", &["misfit"], p10),
    ("RF-P13", &["cluster", "split_threshold"], p13),
    ("RF-O01", &["first_large"], o01),
    ("RF-O04", &["overpaid"], o04),
    ("RF-O07", &["missing", "exceeds"], o07),
    ("RF-O10", &["split"], o10),
    ("RF-S01", &["forwarder_consignee"], s01),
    ("RF-S03", &["hub", "reexport", "restricted_onward"], s03),
    ("RF-S05", &["mislabel"], s05),
    ("RF-S07", &["two", "three_plus"], s07),
    ("RF-S09", &["inconsistent"], s09),
    ("RF-S10", &["short_dwell"], s10),
    ("RF-S11", &["boxed_or_unpowered", "missing_or_serial_mismatch"], s11),
    ("RF-F01", &["third_country", "third_party", "restricted_country"], f01),
    ("RF-N01", &["near", "far"], n01),
    ("RF-N02", &["over_capacity"], n02),
    ("RF-N04", &["ring"], n04),
];

/// Ids of the implemented rules.
pub const IMPLEMENTED: &[&str] = &[
    "RF-P01", "RF-P02", "RF-P04", "RF-P05", "RF-P06", "RF-P10", "RF-P13", "RF-O01", "RF-O04",
    "RF-O07", "RF-O10", "RF-S01", "RF-S03", "RF-S05", "RF-S07", "RF-S09", "RF-S10", "RF-S11",
    "RF-F01", "RF-N01", "RF-N02", "RF-N04",
];

/// Severity levels a rule knows, if it is implemented.
pub fn levels(id: &str) -> Option<&'static [&'static str]> {
    RULES.iter().find(|r| r.0 == id).map(|r| r.1)
}

pub(crate) fn run(env: &Env) -> Result<Vec<Hit>> {
    match RULES.iter().find(|r| r.0 == env.def.id) {
        Some((_, _, f)) => f(env),
        None => Ok(vec![]),
    }
}

fn days(a: jiff::civil::Date, b: jiff::civil::Date) -> i64 {
    (b - a).get_days() as i64
}

fn oid(l: &Ledger, o: OrderId) -> &str {
    l.order_id_str(o)
}

// ------------------------------------------------------------------ parties

/// RF-P01: a party on the buying or paying side matches a restricted list
/// (scores from the screening engine, filled in by the caller).
fn p01(e: &Env) -> Result<Vec<Hit>> {
    let (hit, weak) = (e.def.num("hit_score")?, e.def.num("weak_score")?);
    let mut out = Vec::new();
    let mut roles: FxHashMap<u32, Vec<(u32, &'static str)>> = FxHashMap::default();
    for i in 0..e.l.orders.len() {
        for (role, p) in order_roles(e.l, OrderId(i as u32)) {
            roles.entry(p.0).or_default().push((i as u32, role));
        }
        for pay in e.l.payments_of(OrderId(i as u32)) {
            roles.entry(pay.payer.0).or_default().push((i as u32, "payer"));
        }
    }
    for sh in &e.l.shipments {
        if let Some(c) = sh.consignee {
            roles.entry(c.0).or_default().push((sh.order.0, "consignee"));
        }
        // the catalogue screens every role, the forwarder included
        if let Some(f) = sh.forwarder {
            roles.entry(f.0).or_default().push((sh.order.0, "forwarder"));
        }
    }
    for (pi, lh) in e.ctx.listed.iter().enumerate() {
        let Some(lh) = lh else { continue };
        let level = if lh.score >= hit {
            "hit"
        } else if lh.score >= weak {
            "weak_hit"
        } else {
            continue;
        };
        let Some(rs) = roles.get(&(pi as u32)) else { continue };
        let p = PartyId(pi as u32);
        let mut h = e.hit(
            "RF-P01",
            level,
            format!("{} matches {} entry \"{}\" (score {:.2})", e.pname(p), lh.list, lh.entry_name, lh.score),
            json!({"party": e.l.party_id_str(p), "score": lh.score, "list": lh.list, "entry_id": lh.entry_id,
                   "entry_name": lh.entry_name, "matched_name": lh.matched_name,
                   "roles": rs.iter().map(|r| r.1).collect::<std::collections::BTreeSet<_>>(), "thresholds": {"hit": hit, "weak_hit": weak}}),
        );
        h.parties = vec![pi as u32];
        let mut os: Vec<u32> = rs.iter().map(|r| r.0).collect();
        os.sort_unstable();
        os.dedup();
        h.orders = os;
        out.push(h);
    }
    Ok(out)
}

/// RF-P02 (intra-deal): the declared end user shares a phone, corporate
/// domain or building address with the forwarder of the order's shipments,
/// or with a buyer that is a different business.
fn p02(e: &Env) -> Result<Vec<Hit>> {
    let mut out = Vec::new();
    for (i, o) in e.l.orders.iter().enumerate() {
        let Some(eu) = o.end_user else { continue };
        let oi = OrderId(i as u32);
        let mut others: Vec<(&str, PartyId)> = vec![];
        if !e.p.related(eu, o.buyer) {
            others.push(("buyer", o.buyer));
        }
        for (_, sh) in e.l.shipments_of(oi) {
            if let Some(f) = sh.forwarder
                && !e.p.related(eu, f)
            {
                others.push(("forwarder", f));
            }
        }
        for (role, q) in others {
            let shared: Vec<&(IdKind, String)> =
                e.p.ids[eu.index()].iter().filter(|x| e.p.ids[q.index()].contains(x)).collect();
            if !shared.is_empty() {
                let mut h = e.hit(
                    "RF-P02",
                    "intra_deal",
                    format!("end user {} shares {} with the {role} {}", e.pname(eu), kinds(&shared), e.pname(q)),
                    json!({"order": oid(e.l, oi), "end_user": e.l.party_id_str(eu), "other": e.l.party_id_str(q), "role": role,
                           "shared": shared.iter().map(|(k, v)| json!({"kind": k, "value": v})).collect::<Vec<_>>()}),
                );
                h.orders = vec![oi.0];
                h.parties = vec![eu.0, q.0];
                out.push(h);
                break;
            }
        }
    }
    Ok(out)
}

fn kinds(v: &[&(IdKind, String)]) -> String {
    let mut k: Vec<&str> = v
        .iter()
        .map(|(k, _)| match k {
            IdKind::Phone => "phone",
            IdKind::Domain => "domain",
            IdKind::Address => "address",
        })
        .collect();
    k.sort_unstable();
    k.dedup();
    k.join(" and ")
}

/// RF-P04: a buying-side party headquartered (or with a parent) in D:5 or
/// Macau (licence rule, shown as a flag: §744.23 / §742.6(a)(6)(iii)).
fn p04(e: &Env) -> Result<Vec<Hit>> {
    // the restricted countries of the rule data (D:5 and Macau for advanced
    // computing, Hong Kong as China, the embargoed countries)
    let bad = |c: &str| chiptrace_ledger::Country::parse(c).is_some_and(|c| e.cfg.is_restricted(c));
    let mut out = Vec::new();
    for (p, orders) in buying_orders(e.l) {
        let party = &e.l.parties[p as usize];
        let hq = party.hq_country.map(|c| c.as_str().to_string());
        let parent_c = party.parent.map(|q| e.l.parties[q.index()].country.as_str().to_string());
        // the catalogue checks the ultimate parent: walk the whole declared
        // chain (bounded, as prep's family), by registration or headquarters
        let ancestor = crate::prep::ancestors(e.l, PartyId(p)).find_map(|q| {
            let a = &e.l.parties[q.index()];
            [Some(a.country), a.hq_country]
                .into_iter()
                .flatten()
                .find(|c| bad(c.as_str()))
                .map(|c| (q, c))
        });
        let why = match (&hq, ancestor) {
            (Some(h), _) if bad(h) => format!("headquartered in {h}"),
            _ if bad(party.country.as_str()) => format!("registered in {}", party.country.as_str()),
            (_, Some((q, c))) if Some(q) == party.parent => format!("parent in {}", c.as_str()),
            (_, Some((q, c))) => {
                format!("ultimate parent {} in {}", e.l.party_id_str(q), c.as_str())
            }
            _ => continue,
        };
        let mut h = e.hit(
            "RF-P04",
            "d5_hq",
            format!("{} is {why}", e.pname(PartyId(p))),
            json!({"party": e.l.party_id_str(PartyId(p)), "hq_country": hq, "parent_country": parent_c,
                   "restricted_parent": ancestor.map(|(q, c)| json!({"party": e.l.party_id_str(q), "country": c.as_str()}))}),
        );
        h.parties = vec![p];
        h.orders = orders.iter().map(|o| o.0).collect();
        out.push(h);
    }
    Ok(out)
}

/// RF-P05: the buyer was incorporated shortly before the order; high when
/// it was formed after the controls began, very recently, and the order
/// carries controlled accelerators.
fn p05(e: &Env) -> Result<Vec<Hit>> {
    let (young, new, minc) = (
        e.def.num("young_days")? as i64,
        e.def.num("new_days")? as i64,
        e.def.num("min_controlled")? as u64,
    );
    let mut out = Vec::new();
    for (i, o) in e.l.orders.iter().enumerate() {
        let b = &e.l.parties[o.buyer.index()];
        let Some(inc) = b.incorporated_on else { continue };
        let age = days(inc, o.date);
        if age >= young || e.p.controlled[i] == 0 {
            continue;
        }
        // an order dated before the buyer existed is a document
        // inconsistency, not a young company: inquire (medium)
        // high: a new company (after the controls) ordering a large first
        // batch from a transshipment hub (FC2023A) or without web presence
        // (ACG25); a young company elsewhere with a website is medium
        let exposed = e.cfg.is_hub(b.country)
            || b.website.trim().is_empty()
            || e.p.free_mail_email[o.buyer.index()];
        let level = if age >= 0
            && inc >= e.cfg.control_start
            && age < new
            && e.p.controlled[i] >= minc
            && exposed
        {
            "post_control_start"
        } else {
            "young"
        };
        let mut h = e.hit(
            "RF-P05",
            level,
            format!("buyer {} was incorporated on {inc}, {age} days before this order of {} controlled accelerators", e.pname(o.buyer), e.p.controlled[i]),
            json!({"order": oid(e.l, OrderId(i as u32)), "buyer": e.l.party_id_str(o.buyer), "incorporated_on": inc.to_string(),
                   "age_days": age, "controlled_accelerators": e.p.controlled[i], "young_days": young, "new_days": new,
                   "controls_began": e.cfg.control_start.to_string()}),
        );
        h.orders = vec![i as u32];
        h.parties = vec![o.buyer.0];
        out.push(h);
    }
    Ok(out)
}

/// RF-P06: a buyer or end user with no website or only a free-mail address.
fn p06(e: &Env) -> Result<Vec<Hit>> {
    let mut out = Vec::new();
    let mut flagged: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for (i, o) in e.l.orders.iter().enumerate() {
        if e.p.controlled[i] == 0 {
            continue;
        }
        for p in [Some(o.buyer), o.end_user].into_iter().flatten() {
            let party = &e.l.parties[p.index()];
            if party.website.trim().is_empty() || e.p.free_mail_email[p.index()] {
                flagged.entry(p.0).or_default().push(i as u32);
            }
        }
    }
    let mut keys: Vec<u32> = flagged.keys().copied().collect();
    keys.sort_unstable();
    for p in keys {
        let party = &e.l.parties[p as usize];
        let mut os = flagged.remove(&p).unwrap_or_default();
        os.dedup();
        let what = match (party.website.trim().is_empty(), e.p.free_mail_email[p as usize]) {
            (true, true) => "no website and a free-mail address",
            (true, false) => "no website",
            _ => "a free-mail address",
        };
        let mut h = e.hit(
            "RF-P06",
            "web",
            format!("{} has {what}", e.pname(PartyId(p))),
            json!({"party": e.l.party_id_str(PartyId(p)), "website": &*party.website, "email": &*party.email}),
        );
        h.parties = vec![p];
        h.orders = os;
        out.push(h);
    }
    Ok(out)
}

/// RF-P10: the buyer's or end user's declared industry does not consume
/// controlled accelerators (real estate, seafood, …).
fn p10(e: &Env) -> Result<Vec<Hit>> {
    let words = e.def.strings("misfit")?;
    let minc = e.def.num("min_controlled")? as u64;
    let mut out = Vec::new();
    for (i, o) in e.l.orders.iter().enumerate() {
        if e.p.controlled[i] < minc {
            continue;
        }
        for (role, p) in [("buyer", Some(o.buyer)), ("end_user", o.end_user)] {
            let Some(p) = p else { continue };
            let ind = e.l.parties[p.index()].industry.to_lowercase();
            if let Some(w) = words.iter().find(|w| ind.contains(w.as_str())) {
                let mut h = e.hit(
                    "RF-P10",
                    "misfit",
                    format!("{role} {} (industry: {ind}) orders {} controlled accelerators", e.pname(p), e.p.controlled[i]),
                    json!({"order": oid(e.l, OrderId(i as u32)), "party": e.l.party_id_str(p), "role": role, "industry": ind,
                           "matched": w, "controlled_accelerators": e.p.controlled[i],
                           "declared_end_use": e.l.end_uses.resolve(o.declared_end_use.0)}),
                );
                h.orders = vec![i as u32];
                h.parties = vec![p.0];
                out.push(h);
                break;
            }
        }
    }
    Ok(out)
}

/// Groups of buying-side parties of different businesses linked by shared
/// identifiers: (members, kinds shared, values). Used by RF-P13, RF-O10,
/// RF-N04.
pub(crate) struct Ring {
    pub members: Vec<u32>,
    pub kinds: Vec<IdKind>,
    pub values: Vec<(IdKind, String)>,
}

pub(crate) fn rings(e: &Env) -> Vec<Ring> {
    // identifier → parties (buying side only: sellers and forwarders share
    // their own numbers with nobody's customers)
    let mut by: FxHashMap<&(IdKind, String), Vec<u32>> = FxHashMap::default();
    for (i, ids) in e.p.ids.iter().enumerate() {
        if !e.p.buying_side[i] {
            continue;
        }
        for id in ids {
            by.entry(id).or_default().push(i as u32);
        }
    }
    // union parties of different businesses that share an identifier
    let n = e.l.parties.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(p: &mut [u32], x: u32) -> u32 {
        let mut r = x;
        while p[r as usize] != r {
            r = p[r as usize];
        }
        let mut c = x;
        while p[c as usize] != r {
            let nx = p[c as usize];
            p[c as usize] = r;
            c = nx;
        }
        r
    }
    let mut shared: Vec<(&(IdKind, String), &Vec<u32>)> =
        by.iter().filter(|(_, v)| v.len() >= 2).map(|(k, v)| (*k, v)).collect();
    shared.sort_by(|a, b| a.0.cmp(b.0));
    let mut used = Vec::new();
    for (id, ps) in &shared {
        // a value shared only within one business is not a link
        let distinct: FxHashSet<u32> = ps.iter().map(|p| e.p.family[*p as usize]).collect();
        let clusters: FxHashSet<u32> = ps.iter().map(|p| e.p.cluster[*p as usize]).collect();
        if distinct.len() < 2 || clusters.len() < 2 {
            continue;
        }
        // very common values (a registered-agent building with dozens of
        // tenants) say little: keep them out of the union
        if ps.len() > 25 {
            continue;
        }
        // an address links nobody on its own (registered agents, office
        // towers): groups form over phones and corporate domains; a shared
        // address then counts as a further kind among members so linked
        if id.0 == IdKind::Address {
            used.push(*id);
            continue;
        }
        used.push(*id);
        for w in ps.windows(2) {
            let (a, b) = (find(&mut parent, w[0]), find(&mut parent, w[1]));
            if a != b {
                parent[a as usize] = b;
            }
        }
    }
    let mut groups: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for (id, ps) in &shared {
        if !used.contains(id) || id.0 == IdKind::Address {
            continue;
        }
        for p in ps.iter() {
            let r = find(&mut parent, *p);
            groups.entry(r).or_default().push(*p);
        }
    }
    let mut out: Vec<Ring> = groups
        .into_values()
        .map(|mut members| {
            members.sort_unstable();
            members.dedup();
            let mut values: Vec<(IdKind, String)> = used
                .iter()
                // a value counts for the group when two or more members share it
                .filter(|id| {
                    by.get(**id)
                        .is_some_and(|ps| ps.iter().filter(|p| members.contains(p)).count() >= 2)
                })
                .map(|id| (*id).clone())
                .collect();
            values.sort();
            let mut kinds: Vec<IdKind> = values.iter().map(|v| v.0).collect();
            kinds.dedup();
            Ring { members, kinds, values }
        })
        .collect();
    out.sort_by(|a, b| a.members.cmp(&b.members));
    out
}

/// RF-P13: customers that are different businesses yet share a phone, a
/// corporate e-mail/web domain or a building address (an address alone is
/// too weak: registered-agent buildings; at least a phone or domain, or two
/// kinds). High when min_group or more businesses share two or more kinds.
fn p13(e: &Env) -> Result<Vec<Hit>> {
    let min_group = e.def.num("min_group")? as usize;
    let bo = buying_orders(e.l);
    let mut out = Vec::new();
    for r in &e.extra.rings {
        if r.kinds == [IdKind::Address] {
            continue;
        }
        let businesses: FxHashSet<u32> =
            r.members.iter().map(|m| e.p.cluster[*m as usize]).collect();
        let level = if businesses.len() >= min_group && r.kinds.len() >= 2 {
            "split_threshold"
        } else {
            "cluster"
        };
        let mut h = e.hit(
            "RF-P13",
            level,
            format!(
                "{} customers of {} different businesses share {}: {}",
                r.members.len(),
                businesses.len(),
                r.kinds.iter().map(|k| format!("{k:?}").to_lowercase()).collect::<Vec<_>>().join(", "),
                r.members.iter().map(|m| e.pname(PartyId(*m))).collect::<Vec<_>>().join("; ")
            ),
            json!({"parties": r.members.iter().map(|m| e.l.party_id_str(PartyId(*m))).collect::<Vec<_>>(),
                   "shared": r.values.iter().map(|(k, v)| json!({"kind": k, "value": v})).collect::<Vec<_>>(),
                   "businesses": businesses.len(), "min_group": min_group}),
        );
        h.parties = r.members.clone();
        let mut os: Vec<u32> =
            r.members.iter().flat_map(|m| bo.get(m).into_iter().flatten().map(|o| o.0)).collect();
        os.sort_unstable();
        os.dedup();
        h.orders = os;
        out.push(h);
    }
    Ok(out)
}

// ------------------------------------------------------------------- orders

/// RF-O01: a business's first order is large (controlled accelerators or value).
fn o01(e: &Env) -> Result<Vec<Hit>> {
    let (minc, minv) = (e.def.num("min_controlled")? as u64, e.def.num("min_value")?);
    let mut first: FxHashMap<u32, (jiff::civil::Date, u32)> = FxHashMap::default();
    for (i, o) in e.l.orders.iter().enumerate() {
        let c = e.p.cluster[o.buyer.index()];
        let k = (o.date, i as u32);
        first
            .entry(c)
            .and_modify(|v| {
                if k < *v {
                    *v = k
                }
            })
            .or_insert(k);
    }
    let mut out = Vec::new();
    let mut firsts: Vec<u32> = first.values().map(|v| v.1).collect();
    firsts.sort_unstable();
    for i in firsts {
        let o = &e.l.orders[i as usize];
        // min_value is in USD (catalogue: ">= USD 1M") and the ledger does
        // not convert currencies: other currencies count by accelerators only
        let value =
            if o.currency.as_str() == "USD" { o.value.to_f64().unwrap_or(0.0) } else { 0.0 };
        if e.p.controlled[i as usize] < minc && value < minv {
            continue;
        }
        let mut h = e.hit(
            "RF-O01",
            "first_large",
            format!(
                "first order of {}: {} controlled accelerators, {} {}",
                e.pname(o.buyer),
                e.p.controlled[i as usize],
                o.value,
                o.currency.as_str()
            ),
            json!({"order": oid(e.l, OrderId(i)), "buyer": e.l.party_id_str(o.buyer), "controlled_accelerators": e.p.controlled[i as usize],
                   "value": o.value.to_string(), "min_controlled": minc, "min_value": minv}),
        );
        h.orders = vec![i];
        h.parties = vec![o.buyer.0];
        out.push(h);
    }
    Ok(out)
}

/// RF-O04: payments exceed the invoiced value by more than the ratio.
fn o04(e: &Env) -> Result<Vec<Hit>> {
    let ratio = e.def.num("ratio")?;
    let mut out = Vec::new();
    for (i, o) in e.l.orders.iter().enumerate() {
        let oi = OrderId(i as u32);
        let paid: rust_decimal::Decimal =
            e.l.payments_of(oi).filter(|p| p.currency == o.currency).map(|p| p.amount).sum();
        let (v, pd) = (o.value.to_f64().unwrap_or(0.0), paid.to_f64().unwrap_or(0.0));
        // a payment against a zero invoice is the strongest overpayment
        if (v > 0.0 && pd > v * ratio) || (v <= 0.0 && pd > 0.0) {
            let over = if v > 0.0 {
                format!("{:.0} % over", (pd / v - 1.0) * 100.0)
            } else {
                "nothing was invoiced".into()
            };
            let mut h = e.hit(
                "RF-O04",
                "overpaid",
                format!("paid {paid} against an invoiced {} {} ({over})", o.value, o.currency.as_str()),
                json!({"order": oid(e.l, oi), "value": o.value.to_string(), "paid": paid.to_string(), "ratio": ratio}),
            );
            h.orders = vec![oi.0];
            out.push(h);
        }
    }
    Ok(out)
}

/// RF-O07: cumulative accelerator power delivered to a site (kW per unit ×
/// PUE, in date order) exceeds its declared power or floor space; `missing`
/// when a large controlled order names no site with a declared capacity.
fn o07(e: &Env) -> Result<Vec<Hit>> {
    let (pue, m2kw, minc) = (e.def.num("pue")?, e.def.num("m2_per_kw")?, e.def.num("missing_kw")?);
    let (window, tol) = (e.def.num("window_days")? as i64, e.def.num("tolerance")?);
    let resale = e.def.strings("resale")?;
    let mut idx: Vec<usize> = (0..e.l.orders.len()).filter(|i| e.p.controlled[*i] > 0).collect();
    idx.sort_by_key(|i| (e.l.orders[*i].date, *i));
    // per site: deliveries in date order, for the trailing-window sum
    let mut recent: FxHashMap<u32, std::collections::VecDeque<(jiff::civil::Date, f64)>> =
        FxHashMap::default();
    let mut out = Vec::new();
    for i in idx {
        let o = &e.l.orders[i];
        let oi = OrderId(i as u32);
        let site = o.site.or_else(|| {
            let p = o.end_user.or(o.ship_to).unwrap_or(o.buyer);
            e.l.sites_of(p).next().map(|(s, _)| s)
        });
        let need = e.p.kw[i] * pue;
        match site.and_then(|s| e.l.sites.get(s.index()).map(|x| (s, x))) {
            Some((sid, s)) if s.declared_power_kw.is_some() || s.floor_space_m2.is_some() => {
                let q = recent.entry(sid.0).or_default();
                q.push_back((o.date, need));
                while q.front().is_some_and(|(d, _)| days(*d, o.date) > window) {
                    q.pop_front();
                }
                let c: f64 = q.iter().map(|x| x.1).sum();
                let power = s.declared_power_kw.and_then(|d| d.to_f64());
                let floor = s.floor_space_m2.and_then(|d| d.to_f64());
                let over_power = power.is_some_and(|p| c > p * tol);
                let over_floor = floor.is_some_and(|f| c * m2kw > f * tol);
                if over_power || over_floor {
                    let mut h = e.hit(
                        "RF-O07",
                        "exceeds",
                        format!(
                            "site {} ({}) declares {} kW / {} m²; accelerators delivered there in the last {window} days, this order included, need {c:.0} kW and {:.0} m²",
                            e.l.site_ids.resolve(sid.0),
                            s.country.as_str(),
                            power.map(|p| format!("{p:.0}")).unwrap_or("?".into()),
                            floor.map(|f| format!("{f:.0}")).unwrap_or("?".into()),
                            c * m2kw
                        ),
                        json!({"order": oid(e.l, oi), "site": e.l.site_ids.resolve(sid.0), "declared_power_kw": power, "floor_space_m2": floor,
                               "window_need_kw": c, "window_need_m2": c * m2kw, "this_order_kw": need, "window_days": window, "tolerance": tol, "pue": pue, "m2_per_kw": m2kw}),
                    );
                    h.orders = vec![oi.0];
                    h.parties = vec![s.party.0];
                    out.push(h);
                }
            }
            _ if need >= minc
                && !{
                    let eu = o.end_user.unwrap_or(o.buyer);
                    let text = format!(
                        "{} {}",
                        e.l.end_uses.resolve(o.declared_end_use.0),
                        e.l.parties[eu.index()].industry
                    )
                    .to_lowercase();
                    resale.iter().any(|w| text.contains(w.as_str()))
                } =>
            {
                let mut h = e.hit(
                    "RF-O07",
                    "missing",
                    format!("{} controlled accelerators ({need:.0} kW) for a site with no declared capacity", e.p.controlled[i]),
                    json!({"order": oid(e.l, oi), "controlled_accelerators": e.p.controlled[i], "need_kw": need, "missing_kw": minc}),
                );
                h.orders = vec![oi.0];
                out.push(h);
            }
            _ => {}
        }
    }
    Ok(out)
}

/// RF-O10: orders of linked businesses (RF-P13 groups) placed within a
/// short window of each other: one purchase split across "independent"
/// buyers.
fn o10(e: &Env) -> Result<Vec<Hit>> {
    let w = e.def.num("window_days")? as i64;
    let mut out = Vec::new();
    for r in &e.extra.rings {
        if r.kinds == [IdKind::Address] {
            continue;
        }
        let mut os: Vec<(jiff::civil::Date, u32)> = r
            .members
            .iter()
            .flat_map(|m| e.l.orders_of(PartyId(*m)))
            .filter(|o| {
                e.p.controlled[o.index()] > 0 && r.members.contains(&e.l.orders[o.index()].buyer.0)
            })
            .map(|o| (e.l.orders[o.index()].date, o.0))
            .collect();
        os.sort_unstable();
        os.dedup();
        let mut hit: FxHashSet<u32> = FxHashSet::default();
        for a in 0..os.len() {
            for b in a + 1..os.len() {
                if days(os[a].0, os[b].0) > w {
                    break;
                }
                let (ba, bb) =
                    (e.l.orders[os[a].1 as usize].buyer, e.l.orders[os[b].1 as usize].buyer);
                if !e.p.related(ba, bb) {
                    hit.insert(os[a].1);
                    hit.insert(os[b].1);
                }
            }
        }
        if hit.len() >= 2 {
            let mut v: Vec<u32> = hit.into_iter().collect();
            v.sort_unstable();
            let total: u64 = v.iter().map(|o| e.p.controlled[*o as usize]).sum();
            let mut h = e.hit(
                "RF-O10",
                "split",
                format!("{} orders ({total} controlled accelerators) by linked buyers within {w} days of each other", v.len()),
                json!({"orders": v.iter().map(|o| oid(e.l, OrderId(*o))).collect::<Vec<_>>(), "controlled_accelerators": total, "window_days": w,
                       "linked_parties": r.members.iter().map(|m| e.l.party_id_str(PartyId(*m))).collect::<Vec<_>>()}),
            );
            h.orders = v;
            h.parties = r.members.clone();
            out.push(h);
        }
    }
    Ok(out)
}

// ----------------------------------------------------------------- shipping

/// RF-S01: a forwarder or logistics firm named as ship-to, end user or
/// consignee of controlled goods.
fn s01(e: &Env) -> Result<Vec<Hit>> {
    let words = e.def.strings("keywords")?;
    let is_fwd = |p: PartyId| {
        let party = &e.l.parties[p.index()];
        let text = format!("{} {}", party.industry, party.name).to_lowercase();
        words.iter().find(|w| text.contains(w.as_str())).cloned()
    };
    let mut out = Vec::new();
    for (i, o) in e.l.orders.iter().enumerate() {
        if e.p.controlled[i] == 0 {
            continue;
        }
        let oi = OrderId(i as u32);
        let mut cands: Vec<(&str, PartyId)> = vec![];
        if let Some(p) = o.ship_to {
            cands.push(("ship_to", p));
        }
        if let Some(p) = o.end_user {
            cands.push(("end_user", p));
        }
        for (_, sh) in e.l.shipments_of(oi) {
            if let Some(c) = sh.consignee {
                cands.push(("consignee", c));
            }
        }
        if let Some((role, p, w)) =
            cands.into_iter().find_map(|(r, p)| is_fwd(p).map(|w| (r, p, w)))
        {
            let mut h = e.hit(
                "RF-S01",
                "forwarder_consignee",
                format!("{role} {} is a logistics business ({w})", e.pname(p)),
                json!({"order": oid(e.l, oi), "role": role, "party": e.l.party_id_str(p), "industry": &*e.l.parties[p.index()].industry, "matched": w}),
            );
            h.orders = vec![oi.0];
            h.parties = vec![p.0];
            out.push(h);
        }
    }
    Ok(out)
}

/// Movements of a serial out of the country it was received in:
/// (order, serial, received country, received date, onward country, onward date, holder).
pub(crate) struct Onward {
    pub order: OrderId,
    pub serial: SerialId,
    pub hub: chiptrace_ledger::Country,
    pub received: jiff::civil::Date,
    pub to: chiptrace_ledger::Country,
    pub left: jiff::civil::Date,
    pub holder: Option<PartyId>,
    pub event: &'static str,
}

pub(crate) fn onward(l: &Ledger, p: &Prepared) -> Vec<Onward> {
    let mut out = Vec::new();
    for s in 0..l.serials.len() {
        let sid = SerialId(s as u32);
        let Some(order) = p.serial_order[s] else { continue };
        let mut recv: Option<(chiptrace_ledger::Country, jiff::civil::Date, Option<PartyId>)> =
            None;
        for ev in l.events_of(sid) {
            match ev.kind {
                EventKind::Received if recv.is_none() => {
                    recv = Some((ev.country, ev.date, ev.party))
                }
                EventKind::Exported
                | EventKind::Received
                | EventKind::Installed
                | EventKind::Inspected
                | EventKind::Rma => {
                    if let Some((c, d, h)) = recv
                        && ev.country != c
                    {
                        out.push(Onward {
                            order,
                            serial: sid,
                            hub: c,
                            received: d,
                            to: ev.country,
                            left: ev.date,
                            holder: h,
                            event: ev.kind.name(),
                        });
                        break;
                    }
                }
                EventKind::Shipped => {}
            }
        }
    }
    out
}

/// The order's declared end use names the onward country ("resale to end
/// users in Japan"): the movement was declared.
fn declared_onward(e: &Env, o: OrderId, to: chiptrace_ledger::Country) -> bool {
    let raw = e.l.end_uses.resolve(e.l.orders[o.index()].declared_end_use.0);
    let text = raw.to_lowercase();
    if chiptrace_lists::country_name(to.as_str()).is_some_and(|n| text.contains(&n.to_lowercase()))
    {
        return true;
    }
    // common names and adjectives too ("Vietnam", "South Korea", "Taiwan",
    // "USA"; the ISO short name alone misses them): phrases of up to three
    // words, never two-letter words or lower-case three-letter words (codes
    // such as "in", "it", "and", "can" are English words)
    let words: Vec<&str> = raw
        .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    (0..words.len()).any(|i| {
        (1..=3usize).filter(|n| i + n <= words.len()).any(|n| {
            let cand = words[i..i + n].join(" ");
            (cand.len() >= 4 || (cand.len() == 3 && cand.bytes().all(|b| b.is_ascii_uppercase())))
                && chiptrace_lists::country_code(&cand) == Some(to.as_str())
        })
    })
}

/// RF-S03: goods routed through a hub: shipped to a hub while the declared
/// end user is elsewhere (`hub`); received in a hub and moved on to a
/// country other than the declared end user's (`reexport`); moved on to a
/// restricted country (`restricted_onward`).
fn s03(e: &Env) -> Result<Vec<Hit>> {
    // order -> (level, evidence, shipments, serials)
    type Entry = (&'static str, Value, Vec<u32>, Vec<u32>);
    let mut per: FxHashMap<u32, Entry> = FxHashMap::default();
    let rank = |l: &str| match l {
        "restricted_onward" => 3,
        "reexport" => 2,
        _ => 1,
    };
    for (i, o) in e.l.orders.iter().enumerate() {
        if e.p.controlled[i] == 0 {
            continue;
        }
        let eu_c = o.end_user.map(|p| country(e.l, p));
        for (sid, sh) in e.l.shipments_of(OrderId(i as u32)) {
            // the catalogue: "while end-user country differs or is unknown"
            if e.cfg.is_hub(sh.to_country) && eu_c.is_none_or(|c| c != sh.to_country) {
                per.entry(i as u32).or_insert_with(|| {
                    ("hub", json!({"shipment": e.l.shipment_id_str(sid), "to": sh.to_country.as_str(), "end_user_country": eu_c.map(|c| c.as_str().to_string())}), vec![sid.0], vec![])
                });
            }
        }
    }
    for m in &e.extra.onward {
        if !e.cfg.is_hub(m.hub) {
            continue;
        }
        let o = &e.l.orders[m.order.index()];
        let eu_c = o.end_user.map(|p| country(e.l, p));
        let level = if e.cfg.is_restricted(m.to) && !eu_c.is_some_and(|c| e.cfg.is_restricted(c)) {
            "restricted_onward"
        } else if eu_c == Some(m.to) || declared_onward(e, m.order, m.to) {
            continue;
        } else if e.cfg.is_allied(m.to, m.left) {
            // onward sale to an allied country: what a distributor does;
            // undeclared, so inquire, but not a diversion pattern
            "hub"
        } else {
            "reexport"
        };
        let ev = json!({"serial": e.l.serial_str(m.serial), "received_in": m.hub.as_str(), "received_on": m.received.to_string(),
                        "then": m.event, "in": m.to.as_str(), "on": m.left.to_string(), "declared_end_user_country": eu_c.map(|c| c.as_str().to_string()),
                        "holder": m.holder.map(|p| e.l.party_id_str(p).to_string())});
        let entry = per.entry(m.order.0).or_insert(("hub", Value::Null, vec![], vec![]));
        // (a fresh entry has no evidence yet: the first movement provides it)
        if rank(level) > rank(entry.0) || entry.1.is_null() {
            *entry = (level, ev, entry.2.clone(), vec![m.serial.0]);
        } else if rank(level) == rank(entry.0) && entry.3.len() < 16 {
            entry.3.push(m.serial.0);
        }
    }
    let mut keys: Vec<u32> = per.keys().copied().collect();
    keys.sort_unstable();
    let mut out = Vec::new();
    for k in keys {
        let (level, ev, ships, serials) =
            per.remove(&k).unwrap_or(("hub", Value::Null, vec![], vec![]));
        let summary = match level {
            "restricted_onward" => format!(
                "goods of {} went on from {} to {} (restricted)",
                oid(e.l, OrderId(k)),
                ev["received_in"].as_str().unwrap_or("?"),
                ev["in"].as_str().unwrap_or("?")
            ),
            "reexport" => format!(
                "goods of {} left the hub {} for {}, not the declared end user's country",
                oid(e.l, OrderId(k)),
                ev["received_in"].as_str().unwrap_or("?"),
                ev["in"].as_str().unwrap_or("?")
            ),
            _ if ev.get("received_in").is_some() => format!(
                "goods of {} left the hub {} for {} (allied; not declared)",
                oid(e.l, OrderId(k)),
                ev["received_in"].as_str().unwrap_or("?"),
                ev["in"].as_str().unwrap_or("?")
            ),
            _ => format!(
                "{} is shipped to a hub ({}) while {}",
                oid(e.l, OrderId(k)),
                ev["to"].as_str().unwrap_or("?"),
                ev["end_user_country"]
                    .as_str()
                    .map_or("no end user is declared".to_string(), |c| format!(
                        "the declared end user is in {c}"
                    ))
            ),
        };
        let mut h = e.hit("RF-S03", level, summary, ev);
        h.orders = vec![k];
        h.shipments = ships;
        h.serials = serials;
        out.push(h);
    }
    Ok(out)
}

/// RF-S05: controlled accelerators shipped under a description that names
/// no computing goods (mislabelling, de-branding).
fn s05(e: &Env) -> Result<Vec<Hit>> {
    let words = e.def.strings("words")?;
    // older rule files have no min_value_ratio: the catalogue's half
    let min_ratio = e.def.num("min_value_ratio").unwrap_or(0.5);
    let mut out = Vec::new();
    for (i, o) in e.l.orders.iter().enumerate() {
        if e.p.controlled[i] == 0 {
            continue;
        }
        let oi = OrderId(i as u32);
        // one hit per order: every mislabelled shipment, and the value
        let mut problems: Vec<Value> = Vec::new();
        let mut ships = Vec::new();
        for (sid, sh) in e.l.shipments_of(oi) {
            let d = e.l.descriptions.resolve(sh.declared_description.0).to_lowercase();
            let tokens: Vec<&str> = d.split(|c: char| !c.is_alphanumeric()).collect();
            if !words.iter().any(|w| {
                if w.len() <= 3 { tokens.contains(&w.as_str()) } else { d.contains(w.as_str()) }
            }) {
                problems.push(json!({"kind": "description", "shipment": e.l.shipment_id_str(sid), "declared_description": d}));
                ships.push(sid.0);
            }
        }
        // the customs value of the whole order far below the invoice (the
        // catalogue: below half): only when every shipment declares a value
        // (declared values are read in the order's currency)
        let decl: Vec<Option<f64>> =
            e.l.shipments_of(oi)
                .map(|(_, sh)| sh.declared_value.and_then(|v| v.to_f64()))
                .collect();
        let value = o.value.to_f64().unwrap_or(0.0);
        if !decl.is_empty() && decl.iter().all(Option::is_some) && value > 0.0 {
            let total: f64 = decl.iter().flatten().sum();
            if total < value * min_ratio {
                problems.push(json!({"kind": "value", "declared_value": total, "invoiced": o.value.to_string(), "min_ratio": min_ratio}));
            }
        }
        if problems.is_empty() {
            continue;
        }
        let kinds: Vec<&str> = problems.iter().filter_map(|p| p["kind"].as_str()).collect();
        let mut h = e.hit(
            "RF-S05",
            "mislabel",
            format!(
                "{} controlled accelerators of {} declared inconsistently with the goods ({})",
                e.p.controlled[i],
                oid(e.l, oi),
                kinds.join(" and ")
            ),
            json!({"order": oid(e.l, oi), "controlled_accelerators": e.p.controlled[i], "problems": problems}),
        );
        h.orders = vec![oi.0];
        h.shipments = ships;
        out.push(h);
    }
    Ok(out)
}

/// RF-S09: the documents of one transaction disagree: customs values that
/// do not add up to the invoice (beyond `value_tolerance`), or a consignee
/// that is neither the ship-to, the end user, the buyer (nor their
/// business) nor the forwarder. (A serial recorded as another model is the
/// chain of custody's: RF-S11, not counted twice.)
fn s09(e: &Env) -> Result<Vec<Hit>> {
    let tol = e.def.num("value_tolerance")?;
    let min_ratio = e.cfg.rule("RF-S05").and_then(|r| r.num("min_value_ratio").ok()).unwrap_or(0.5);
    let mut out = Vec::new();
    for (i, o) in e.l.orders.iter().enumerate() {
        let oi = OrderId(i as u32);
        let mut problems: Vec<Value> = Vec::new();
        let mut ships = Vec::new();
        let decl: Vec<Option<f64>> =
            e.l.shipments_of(oi)
                .map(|(_, sh)| sh.declared_value.and_then(|v| v.to_f64()))
                .collect();
        let value = o.value.to_f64().unwrap_or(0.0);
        if !decl.is_empty() && decl.iter().all(|d| d.is_some()) && value > 0.0 {
            let total: f64 = decl.iter().flatten().sum();
            let gap = (total - value).abs() / value;
            // far below the invoice is RF-S05's (high); here the rest
            if gap > tol && total >= value * min_ratio {
                problems.push(json!({"kind": "value", "declared_total": total, "invoiced": o.value.to_string(), "tolerance": tol}));
            }
        }
        for (sid, sh) in e.l.shipments_of(oi) {
            let Some(c) = sh.consignee else { continue };
            let named = [Some(o.buyer), o.ship_to, o.end_user, o.bill_to]
                .into_iter()
                .flatten()
                .any(|p| e.p.related(p, c));
            if !named && sh.forwarder != Some(c) {
                problems.push(json!({"kind": "consignee", "shipment": e.l.shipment_id_str(sid), "consignee": e.l.party_id_str(c),
                                     "ship_to": o.ship_to.map(|p| e.l.party_id_str(p).to_string())}));
                ships.push(sid.0);
            }
        }
        if !problems.is_empty() {
            let kinds: Vec<&str> = problems.iter().filter_map(|p| p["kind"].as_str()).collect();
            let mut h = e.hit(
                "RF-S09",
                "inconsistent",
                format!("the documents of {} disagree on {}", oid(e.l, oi), kinds.join(" and ")),
                json!({"order": oid(e.l, oi), "problems": problems}),
            );
            h.orders = vec![oi.0];
            h.shipments = ships;
            out.push(h);
        }
    }
    Ok(out)
}

/// RF-S07: bill-to, ship-to, end-user and payer countries differ (two:
/// info; three or more: medium; one level up when one of them is a hub).
fn s07(e: &Env) -> Result<Vec<Hit>> {
    let mut out = Vec::new();
    for (i, o) in e.l.orders.iter().enumerate() {
        let oi = OrderId(i as u32);
        let mut cs: Vec<(&str, chiptrace_ledger::Country)> =
            vec![("bill_to", country(e.l, o.bill_to.unwrap_or(o.buyer)))];
        cs.push(("ship_to", country(e.l, o.ship_to.unwrap_or(o.buyer))));
        if let Some(p) = o.end_user {
            cs.push(("end_user", country(e.l, p)));
        }
        for pay in e.l.payments_of(oi) {
            cs.push(("payer", pay.payer_country.unwrap_or_else(|| country(e.l, pay.payer))));
        }
        let mut distinct: Vec<chiptrace_ledger::Country> = cs.iter().map(|c| c.1).collect();
        distinct.sort();
        distinct.dedup();
        if distinct.len() < 2 {
            continue;
        }
        let level = if distinct.len() >= 3 { "three_plus" } else { "two" };
        let hub = distinct.iter().any(|c| e.cfg.is_hub(*c));
        let mut h = e.hit(
            "RF-S07",
            level,
            format!(
                "{} countries across the order: {}{}",
                distinct.len(),
                cs.iter().map(|(r, c)| format!("{r} {}", c.as_str())).collect::<Vec<_>>().join(", "),
                if hub { " (a hub among them: one level up)" } else { "" }
            ),
            json!({"order": oid(e.l, oi), "countries": cs.iter().map(|(r, c)| json!({"role": r, "country": c.as_str()})).collect::<Vec<_>>(), "hub": hub}),
        );
        if hub {
            h.severity = h.severity.up();
        }
        h.orders = vec![oi.0];
        out.push(h);
    }
    Ok(out)
}

/// RF-S10: goods received in a hub and moved on within `max_days`, to a
/// country other than the declared end user's (a distributor's declared
/// onward sale is its business, not a short stay).
fn s10(e: &Env) -> Result<Vec<Hit>> {
    let max = e.def.num("max_days")? as i64;
    let mut per: FxHashMap<u32, (i64, Vec<u32>, Value)> = FxHashMap::default();
    for m in &e.extra.onward {
        if !e.cfg.is_hub(m.hub) {
            continue;
        }
        let dwell = days(m.received, m.left);
        let o = &e.l.orders[m.order.index()];
        let eu_c = o.end_user.map(|p| country(e.l, p));
        if dwell > max
            || (!e.cfg.is_restricted(m.to)
                && (eu_c == Some(m.to)
                    || e.cfg.is_allied(m.to, m.left)
                    || declared_onward(e, m.order, m.to)))
        {
            continue;
        }
        let ent = per.entry(m.order.0).or_insert((i64::MAX, vec![], Value::Null));
        if dwell < ent.0 {
            ent.0 = dwell;
            ent.2 = json!({"serial": e.l.serial_str(m.serial), "hub": m.hub.as_str(), "received_on": m.received.to_string(),
                           "left_on": m.left.to_string(), "to": m.to.as_str(), "dwell_days": dwell, "max_days": max,
                           "declared_end_user_country": eu_c.map(|c| c.as_str().to_string())});
        }
        if ent.1.len() < 16 {
            ent.1.push(m.serial.0);
        }
    }
    let mut keys: Vec<u32> = per.keys().copied().collect();
    keys.sort_unstable();
    let mut out = Vec::new();
    for k in keys {
        let Some((dwell, serials, ev)) = per.remove(&k) else { continue };
        let mut h = e.hit(
            "RF-S10",
            "short_dwell",
            format!(
                "goods of {} stayed {dwell} days in {} before going to {}",
                oid(e.l, OrderId(k)),
                ev["hub"].as_str().unwrap_or("?"),
                ev["to"].as_str().unwrap_or("?")
            ),
            ev,
        );
        h.orders = vec![k];
        h.serials = serials;
        out.push(h);
    }
    Ok(out)
}

/// RF-S11: serial anomalies from the chain of custody (computed by
/// `chiptrace-graph`): every anomaly is critical except boxed/unpowered
/// observations.
fn s11(e: &Env) -> Result<Vec<Hit>> {
    let mut out = Vec::new();
    for a in &e.extra.anomalies {
        let level = if a.level == "boxed_or_unpowered" {
            "boxed_or_unpowered"
        } else {
            "missing_or_serial_mismatch"
        };
        let mut h = e.hit("RF-S11", level, a.explanation.clone(), a.evidence.clone());
        h.orders = a.orders.clone();
        h.parties = a.parties.clone();
        h.shipments = a.shipments.clone();
        h.serials = a.serials.clone();
        out.push(h);
    }
    Ok(out)
}

// ------------------------------------------------------------------ payment

/// RF-F01: a payment from a party that is not the buyer or bill-to (nor in
/// their corporate family), from a country that is neither's, or through a
/// payer or bank in a restricted country.
fn f01(e: &Env) -> Result<Vec<Hit>> {
    let mut out = Vec::new();
    for (i, o) in e.l.orders.iter().enumerate() {
        let oi = OrderId(i as u32);
        let bill = o.bill_to.unwrap_or(o.buyer);
        let (bc, bic) = (country(e.l, o.buyer), country(e.l, bill));
        let mut best: Option<(u8, &'static str, Value, u32, u32)> = None;
        for (pi, pay) in e.l.payments_of(oi).enumerate() {
            let pc = pay.payer_country.unwrap_or_else(|| country(e.l, pay.payer));
            let third = !e.p.related(pay.payer, o.buyer) && !e.p.related(pay.payer, bill);
            let restricted = (e.cfg.is_restricted(pc)
                || pay.bank_country.is_some_and(|b| e.cfg.is_restricted(b)))
                && !e.cfg.is_restricted(bc);
            // a payer of the buyer's family paying from its own country is
            // group treasury (a parent abroad), not a third country
            let third_country = pc != bc && pc != bic && pc != country(e.l, pay.payer);
            let (rank, level) = if restricted {
                (3, "restricted_country")
            } else if third {
                (2, "third_party")
            } else if third_country {
                (1, "third_country")
            } else {
                continue;
            };
            if best.as_ref().is_none_or(|b| rank > b.0) {
                best = Some((
                    rank,
                    level,
                    json!({"order": oid(e.l, oi), "payer": e.l.party_id_str(pay.payer), "payer_country": pc.as_str(),
                           "bank_country": pay.bank_country.map(|c| c.as_str().to_string()), "buyer": e.l.party_id_str(o.buyer),
                           "buyer_country": bc.as_str(), "bill_to_country": bic.as_str(), "amount": pay.amount.to_string(), "date": pay.date.to_string()}),
                    pay.payer.0,
                    pi as u32,
                ));
            }
        }
        if let Some((_, level, ev, payer, _)) = best {
            let summary = match level {
                "restricted_country" => format!(
                    "payment by {} from {} (bank {})",
                    e.pname(PartyId(payer)),
                    ev["payer_country"].as_str().unwrap_or("?"),
                    ev["bank_country"].as_str().unwrap_or("?")
                ),
                "third_party" => format!(
                    "paid by {}, not the buyer {} or the bill-to",
                    e.pname(PartyId(payer)),
                    e.pname(o.buyer)
                ),
                _ => format!(
                    "paid from {}, not the buyer's country {}",
                    ev["payer_country"].as_str().unwrap_or("?"),
                    bc.as_str()
                ),
            };
            let mut h = e.hit("RF-F01", level, summary, ev);
            h.orders = vec![oi.0];
            h.parties = vec![payer];
            out.push(h);
        }
    }
    Ok(out)
}

// ------------------------------------------------------------------ network

/// RF-N01: a time-respecting path from the order's parties to a restricted
/// party or country (computed by `chiptrace-graph`); near (≤ near_hops) is
/// high, further (≤ max_hops) medium.
fn n01(e: &Env) -> Result<Vec<Hit>> {
    let near = e.def.num("near_hops")? as usize;
    let max = e.def.num("max_hops")? as usize;
    let mut out = Vec::new();
    for x in &e.extra.exposures {
        if x.hops > max {
            continue;
        }
        let level = if x.hops <= near { "near" } else { "far" };
        let mut h = e.hit("RF-N01", level, x.summary.clone(), x.path.clone());
        h.orders = x.orders.clone();
        h.parties = vec![x.party];
        out.push(h);
    }
    Ok(out)
}

/// RF-N02: a party's cumulative imported accelerator power exceeds its
/// declared capacity (all its sites) by the factor.
fn n02(e: &Env) -> Result<Vec<Hit>> {
    let factor = e.def.num("factor")?;
    let window = e.def.num("window_days")? as i64;
    let pue = e.cfg.rule("RF-O07").and_then(|r| r.num("pue").ok()).unwrap_or(1.3);
    let mut by_party: FxHashMap<u32, Vec<(jiff::civil::Date, f64, u32)>> = FxHashMap::default();
    for (i, o) in e.l.orders.iter().enumerate() {
        if e.p.controlled[i] == 0 {
            continue;
        }
        let p = o.end_user.or(o.ship_to).unwrap_or(o.buyer);
        by_party.entry(p.0).or_default().push((o.date, e.p.kw[i] * pue, i as u32));
    }
    let mut keys: Vec<u32> = by_party.keys().copied().collect();
    keys.sort_unstable();
    let mut out = Vec::new();
    for p in keys {
        let declared: f64 =
            e.l.sites_of(PartyId(p))
                .filter_map(|(_, s)| s.declared_power_kw.and_then(|d| d.to_f64()))
                .sum();
        if declared <= 0.0 {
            continue;
        }
        let Some(mut v) = by_party.remove(&p) else { continue };
        v.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
        // the worst trailing window, and the orders in it
        let (mut lo, mut sum, mut best) = (0usize, 0.0f64, (0.0f64, 0usize, 0usize));
        for hi in 0..v.len() {
            sum += v[hi].1;
            while lo < hi && days(v[lo].0, v[hi].0) > window {
                sum -= v[lo].1;
                lo += 1;
            }
            if sum > best.0 {
                best = (sum, lo, hi);
            }
        }
        if best.0 > factor * declared {
            let orders: Vec<u32> = v[best.1..=best.2].iter().map(|x| x.2).collect();
            let mut h = e.hit(
                "RF-N02",
                "over_capacity",
                format!(
                    "{} took accelerators needing {:.0} kW within {window} days against {declared:.0} kW declared ({:.1}x)",
                    e.pname(PartyId(p)),
                    best.0,
                    best.0 / declared
                ),
                json!({"party": e.l.party_id_str(PartyId(p)), "window_need_kw": best.0, "declared_kw": declared, "factor": factor,
                       "window_days": window, "from": v[best.1].0.to_string(), "to": v[best.2].0.to_string(), "orders": orders.len()}),
            );
            h.parties = vec![p];
            h.orders = orders;
            out.push(h);
        }
    }
    Ok(out)
}

/// RF-N04: a ring of min_parties or more hub-registered customers of
/// different businesses linked by two or more kinds of identifier.
fn n04(e: &Env) -> Result<Vec<Hit>> {
    let minp = e.def.num("min_parties")? as usize;
    let bo = buying_orders(e.l);
    let mut out = Vec::new();
    for r in &e.extra.rings {
        let hub: Vec<u32> = r
            .members
            .iter()
            .copied()
            .filter(|m| e.cfg.is_hub(e.l.parties[*m as usize].country))
            .collect();
        // businesses, not records: five names of one resolved company are one
        let businesses: FxHashSet<u32> = hub.iter().map(|m| e.p.cluster[*m as usize]).collect();
        if businesses.len() < minp || r.kinds.len() < 2 {
            continue;
        }
        let mut h = e.hit(
            "RF-N04",
            "ring",
            format!("{} hub-registered customers linked by {} kinds of shared identifier", hub.len(), r.kinds.len()),
            json!({"parties": hub.iter().map(|m| e.l.party_id_str(PartyId(*m))).collect::<Vec<_>>(), "kinds": r.kinds, "min_parties": minp}),
        );
        let mut os: Vec<u32> =
            hub.iter().flat_map(|m| bo.get(m).into_iter().flatten().map(|o| o.0)).collect();
        os.sort_unstable();
        os.dedup();
        h.orders = os;
        h.parties = hub;
        out.push(h);
    }
    Ok(out)
}
