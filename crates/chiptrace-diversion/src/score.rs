//! Scoring (diversion.md §4) and the analysis output: one alert per order
//! that needs an inquiry or more, with every hit's evidence, and a risk score
//! per party with its explanation.

use std::collections::BTreeMap;

use chiptrace_ledger::{Ledger, OrderId, PartyId, SerialId, ShipmentId};
use serde::Serialize;
use serde_json::Value;

use crate::config::{Category, Config, RuleDef, Severity};
use crate::rules::Hit;

/// What to do with an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Score below the inquiry threshold: keep the record.
    Record,
    /// Ask the customer and document the answer.
    Inquire,
    /// Hold the order; enhanced due diligence.
    Hold,
    /// A critical flag (list hit, licence rule, serial mismatch, restricted
    /// onward movement): block pending a licence or a compliance decision.
    Block,
}

impl Action {
    fn up(self) -> Action {
        match self {
            Action::Record => Action::Inquire,
            Action::Inquire => Action::Hold,
            a => a,
        }
    }
}

/// An alert on one order.
#[derive(Debug, Clone, Serialize)]
pub struct Alert {
    pub id: String,
    pub order: String,
    pub date: String,
    pub action: Action,
    pub score: f64,
    pub rule_ids: Vec<String>,
    pub parties: Vec<String>,
    pub orders: Vec<String>,
    pub shipments: Vec<String>,
    pub payments: Vec<String>,
    pub serials: Vec<String>,
    /// The network path behind an RF-N01 hit, if any.
    pub path: Option<Value>,
    /// Every hit on the order, with the values computed.
    pub evidence: Vec<Hit>,
    /// How the score was reached.
    pub explanation: Vec<String>,
    /// The smallest evidence subgraph explaining the alert (filled by the
    /// caller from the trade graph): parties, and the edges between them
    /// with dates and record ids.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subgraph: Option<Value>,
}

/// Risk of one party.
#[derive(Debug, Clone, Serialize)]
pub struct PartyRisk {
    pub party: String,
    pub name: String,
    pub country: String,
    pub score: f64,
    pub action: Action,
    pub explanation: Vec<String>,
}

/// Counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub orders: usize,
    pub parties: usize,
    pub hits: usize,
    pub hits_by_rule: BTreeMap<String, usize>,
    pub orders_by_action: BTreeMap<String, usize>,
}

/// The result of an analysis.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub engine: String,
    pub rules_source: String,
    pub summary: Summary,
    /// Orders that need an inquiry, a hold or a block, highest first.
    pub alerts: Vec<Alert>,
    /// Parties behind the alerts, highest risk first.
    pub party_risk: Vec<PartyRisk>,
    /// Entity-resolution clusters (filled by the caller).
    pub clusters: Vec<Value>,
    pub rules: Vec<RuleDef>,
    /// Hits not tied to any order (e.g. a listed party with no orders).
    pub other_hits: Vec<Hit>,
    #[serde(skip)]
    pub order_action: Vec<Action>,
}

struct Scored {
    score: f64,
    action: Action,
    explanation: Vec<String>,
}

fn score_hits(cfg: &Config, hits: &[&Hit]) -> Scored {
    let pts = |s: Severity| cfg.scoring.points.get(&s).copied().unwrap_or(0.0);
    let mut by_cat: BTreeMap<&str, Vec<(f64, &Hit)>> = BTreeMap::new();
    let mut critical = Vec::new();
    for h in hits {
        if h.severity == Severity::Critical {
            critical.push(*h);
            by_cat.entry(h.group.as_str()).or_default().push((pts(Severity::High), h));
        } else {
            by_cat.entry(h.group.as_str()).or_default().push((pts(h.severity), h));
        }
    }
    let mut total = 0.0;
    let mut explanation = Vec::new();
    let mut strong_cats = 0;
    for (cat, mut v) in by_cat {
        v.sort_by(|a, b| b.0.total_cmp(&a.0));
        let best = v.first().map(|x| x.0).unwrap_or(0.0);
        let rest: f64 = v.iter().skip(1).map(|x| x.0).sum();
        let s = best + cfg.scoring.diminishing * rest;
        if s <= 0.0 {
            continue;
        }
        if v.iter().any(|x| x.1.severity >= Severity::Medium) {
            strong_cats += 1;
        }
        total += s;
        explanation.push(format!(
            "{cat}: {} = {s:.1} points",
            v.iter()
                .map(|x| format!("{} {} {:.0}", x.1.rule, x.1.severity.as_str(), x.0))
                .collect::<Vec<_>>()
                .join(" + ")
        ));
    }
    let mut action = if !critical.is_empty() {
        Action::Block
    } else if total >= cfg.scoring.hold {
        Action::Hold
    } else if total >= cfg.scoring.inquire {
        Action::Inquire
    } else {
        Action::Record
    };
    if !critical.is_empty() {
        explanation.push(format!(
            "critical: {} (block pending a licence or a compliance decision)",
            critical.iter().map(|h| h.rule).collect::<Vec<_>>().join(", ")
        ));
    } else if strong_cats >= 2 && action < Action::Hold {
        action = action.up();
        explanation.push(format!(
            "{strong_cats} independent categories fire at medium or above: one level up"
        ));
    }
    explanation.push(format!(
        "total {total:.1} points -> {:?} (inquire at {}, hold at {})",
        action, cfg.scoring.inquire, cfg.scoring.hold
    ));
    Scored { score: (total * 10.0).round() / 10.0, action, explanation }
}

fn uniq<T: Ord + Copy>(mut v: Vec<T>) -> Vec<T> {
    v.sort_unstable();
    v.dedup();
    v
}

pub(crate) fn score(l: &Ledger, cfg: &Config, hits: Vec<Hit>) -> Analysis {
    let no = l.orders.len();
    let mut per_order: Vec<Vec<usize>> = vec![Vec::new(); no];
    let mut other = Vec::new();
    for (i, h) in hits.iter().enumerate() {
        if h.orders.is_empty() {
            other.push(i);
        }
        for o in &h.orders {
            if let Some(v) = per_order.get_mut(*o as usize) {
                v.push(i);
            }
        }
    }
    let mut summary =
        Summary { orders: no, parties: l.parties.len(), hits: hits.len(), ..Default::default() };
    for h in &hits {
        *summary.hits_by_rule.entry(h.rule.to_string()).or_default() += 1;
    }
    let mut order_action = vec![Action::Record; no];
    let mut order_score = vec![0.0f64; no];
    let mut alerts = Vec::new();
    for (o, hs) in per_order.iter().enumerate() {
        if hs.is_empty() {
            *summary.orders_by_action.entry("record".into()).or_default() += 1;
            continue;
        }
        let refs: Vec<&Hit> = hs.iter().map(|i| &hits[*i]).collect();
        let s = score_hits(cfg, &refs);
        order_action[o] = s.action;
        order_score[o] = s.score;
        *summary.orders_by_action.entry(format!("{:?}", s.action).to_lowercase()).or_default() += 1;
        if s.action == Action::Record {
            continue;
        }
        let ord = &l.orders[o];
        let mut parties: Vec<u32> = vec![ord.buyer.0];
        parties.extend([ord.bill_to, ord.ship_to, ord.end_user].into_iter().flatten().map(|p| p.0));
        let mut shipments = Vec::new();
        let mut serials = Vec::new();
        for h in &refs {
            parties.extend(&h.parties);
            shipments.extend(&h.shipments);
            serials.extend(&h.serials);
        }
        let payments: Vec<String> = l
            .index
            .payments_by_order
            .get(o)
            .iter()
            .map(|p| l.payment_ids.resolve(*p).to_string())
            .collect();
        let mut rule_ids: Vec<String> = refs.iter().map(|h| h.rule.to_string()).collect();
        rule_ids.sort();
        rule_ids.dedup();
        let mut related_orders: Vec<u32> =
            refs.iter().flat_map(|h| h.orders.iter().copied()).collect();
        related_orders = uniq(related_orders);
        related_orders.truncate(50);
        alerts.push(Alert {
            id: format!("AL-{}", l.order_id_str(OrderId(o as u32))),
            order: l.order_id_str(OrderId(o as u32)).to_string(),
            date: ord.date.to_string(),
            action: s.action,
            score: s.score,
            rule_ids,
            parties: uniq(parties)
                .into_iter()
                .map(|p| l.party_id_str(PartyId(p)).to_string())
                .collect(),
            orders: related_orders
                .into_iter()
                .map(|x| l.order_id_str(OrderId(x)).to_string())
                .collect(),
            shipments: uniq(shipments)
                .into_iter()
                .map(|x| l.shipment_id_str(ShipmentId(x)).to_string())
                .collect(),
            payments,
            serials: uniq(serials)
                .into_iter()
                .take(50)
                .map(|x| l.serial_str(SerialId(x)).to_string())
                .collect(),
            path: refs.iter().find(|h| h.rule == "RF-N01").map(|h| h.evidence.clone()),
            evidence: refs.iter().map(|h| (*h).clone()).collect(),
            explanation: s.explanation,
            subgraph: None,
        });
    }
    alerts.sort_by(|a, b| {
        b.action.cmp(&a.action).then(b.score.total_cmp(&a.score)).then(a.order.cmp(&b.order))
    });
    let party_risk = party_risk(l, cfg, &hits, &order_action, &order_score);
    Analysis {
        engine: crate::ENGINE_VERSION.into(),
        rules_source: cfg.source.clone(),
        summary,
        alerts,
        party_risk,
        clusters: vec![],
        rules: cfg.rules.clone(),
        other_hits: other.into_iter().map(|i| hits[i].clone()).collect(),
        order_action,
    }
}

/// A party's risk: its own party and network flags, plus the worst order it
/// buys, receives or pays for. Only parties behind an order that needs an
/// inquiry or more, or with their own flags, are listed.
fn party_risk(
    l: &Ledger,
    cfg: &Config,
    hits: &[Hit],
    action: &[Action],
    score: &[f64],
) -> Vec<PartyRisk> {
    let mut own: BTreeMap<u32, Vec<&Hit>> = BTreeMap::new();
    for h in hits {
        if matches!(h.category, Category::Party | Category::Network) {
            for p in &h.parties {
                own.entry(*p).or_default().push(h);
            }
        }
    }
    let mut worst: BTreeMap<u32, (f64, Action, u32)> = BTreeMap::new();
    for (o, ord) in l.orders.iter().enumerate() {
        if action[o] == Action::Record {
            continue;
        }
        let mut ps: Vec<u32> = ord.buying_side().map(|p| p.0).collect();
        ps.extend(l.payments_of(OrderId(o as u32)).map(|p| p.payer.0));
        for p in uniq(ps) {
            let e = worst.entry(p).or_insert((0.0, Action::Record, o as u32));
            if (action[o], score[o]) > (e.1, e.0) {
                *e = (score[o], action[o], o as u32);
            }
        }
    }
    let mut keys: Vec<u32> = own.keys().chain(worst.keys()).copied().collect();
    keys = uniq(keys);
    let mut out: Vec<PartyRisk> = keys
        .into_iter()
        .filter_map(|p| {
            let mut explanation = Vec::new();
            let (mut sc, mut act) = (0.0, Action::Record);
            if let Some(hs) = own.get(&p) {
                let s = score_hits(cfg, hs);
                explanation.push(format!(
                    "own flags: {} ({:.1} points)",
                    hs.iter()
                        .map(|h| format!("{} {}", h.rule, h.severity.as_str()))
                        .collect::<Vec<_>>()
                        .join(", "),
                    s.score
                ));
                sc += s.score;
                act = act.max(s.action);
            }
            if let Some((s, a, o)) = worst.get(&p) {
                explanation.push(format!(
                    "worst order {}: {:?}, {s:.1} points",
                    l.order_id_str(OrderId(*o)),
                    a
                ));
                sc += s;
                act = act.max(*a);
            }
            let party = l.parties.get(p as usize)?;
            Some(PartyRisk {
                party: l.party_id_str(PartyId(p)).to_string(),
                name: party.name.to_string(),
                country: party.country.as_str().to_string(),
                score: (sc * 10.0).round() / 10.0,
                action: act,
                explanation,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.action.cmp(&a.action).then(b.score.total_cmp(&a.score)).then(a.party.cmp(&b.party))
    });
    out
}
