//! Serial-number chain of custody and its anomalies (RF-S11; diversion.md
//! §5 rule 5 and §8.5).
//!
//! # Event order
//!
//! A serial's events are taken in date order. Events of one day are put in
//! an order a physical object allows: starting from the custody state at
//! the start of the day (holder, in transit or not), repeatedly the first
//! event by source line that can happen next — a departure or an at-rest
//! event by the holder, an arrival while in transit — and, when none can,
//! the first remaining one (which then shows as an anomaly). So "installed
//! at A, exported by A, received by B" on one day is a transfer whatever
//! order the file lists them in, and so is a same-day chain A → B → C,
//! while "installed at A, received by B" on one day with no departure is
//! one serial in two places.
//!
//! # Anomalies
//!
//! The serial is followed with a *residence* (the party and country where
//! it last was seen at rest: received, installed, inspected, rma) and an
//! *in transit* flag set by `shipped` / `exported` and cleared by
//! `received`.
//!
//! * **two places** — an at-rest event at another party or country than
//!   the residence, with no departure in between, sooner than travel allows
//!   (same country: the same day; other country: under
//!   `min_travel_days`, default 2).
//! * **seen in restricted** — after the serial first came to rest (or was
//!   exported) in a country that is not restricted, an event in a
//!   restricted country. `documented` says whether an `exported` / shipped
//!   event recorded the move (re-export) or it simply turned up there.
//! * **model mismatch** — an event records an item that is not the same
//!   model as the first event's (same item name, same catalog entry, or
//!   the same name up to case and punctuation count as the same model).
//! * **label swap** — an inspection at a party other than the serial's last
//!   consignee, with no transfer in between (and not fast enough to be
//!   "two places").
//! * **missing at inspection** — a serial received by a party and still
//!   held there is absent from an inspection *at that party* that found
//!   swapped serials of the same model in its place. Inspections in a
//!   ledger are samples (one unit per visit is common), so absence alone is
//!   not evidence; absence at a visit that found someone else's units is.
//!
//! All are RF-S11 `missing_or_serial_mismatch` (critical) in the
//! catalogue's severity levels.

use std::collections::BTreeSet;

use chiptrace_ledger::{
    Country, EventKind, ItemId, Ledger, OrderId, PartyId, SerialEvent, SerialId, ShipmentId,
};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::days::days;
use crate::graph::{country_flag, country_flags};

/// Kinds of serial anomaly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnomalyKind {
    /// One serial in two places at once.
    TwoPlaces,
    /// Seen in a restricted country after coming to rest elsewhere.
    SeenInRestricted,
    /// Different models recorded for one serial.
    ModelMismatch,
    /// Inspected at a party other than its last consignee without a
    /// transfer.
    LabelSwap,
    /// Received by a party, absent from an inspection there that found
    /// swapped units instead.
    MissingAtInspection,
}

impl AnomalyKind {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            AnomalyKind::TwoPlaces => "two_places",
            AnomalyKind::SeenInRestricted => "seen_in_restricted",
            AnomalyKind::ModelMismatch => "model_mismatch",
            AnomalyKind::LabelSwap => "label_swap",
            AnomalyKind::MissingAtInspection => "missing_at_inspection",
        }
    }
}

/// Tunables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SerialOptions {
    /// Fewest days a serial needs to move between two countries without a
    /// recorded departure before "two places" no longer applies.
    pub min_travel_days: i32,
}

impl Default for SerialOptions {
    fn default() -> Self {
        SerialOptions { min_travel_days: 2 }
    }
}

/// One event of a chain of custody, with names resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceEvent {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Event kind name.
    pub event: &'static str,
    /// Item as recorded at this event.
    pub item: String,
    /// Party id.
    pub party: Option<String>,
    /// Party name.
    pub party_name: Option<String>,
    /// Party's registration country.
    pub party_country: Option<String>,
    /// Country of the event (for `exported`: the destination).
    pub country: String,
    /// Shipment id.
    pub shipment: Option<String>,
    /// Order of the shipment.
    pub order: Option<String>,
    /// Source line in `serial_events`.
    pub line: u32,
}

/// A serial anomaly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anomaly {
    /// Serial number.
    pub serial: String,
    /// Kind.
    pub kind: AnomalyKind,
    /// Red-flag rule (`RF-S11`).
    pub rule: &'static str,
    /// RF-S11 severity level name (`missing_or_serial_mismatch`).
    pub severity_level: &'static str,
    /// Severity of that level (`critical`).
    pub severity: &'static str,
    /// Date of the anomalous event.
    pub date: String,
    /// Whether a `shipped` / `exported` event recorded the move (only
    /// meaningful for `seen_in_restricted`: a documented re-export rather
    /// than a unit that simply turned up).
    pub documented: bool,
    /// The events that show it (the earlier reference event first).
    pub events: Vec<TraceEvent>,
    /// Parties involved (ids, sorted).
    pub parties: Vec<String>,
    /// Shipments the serial travelled with (ids, sorted).
    pub shipments: Vec<String>,
    /// Orders of those shipments (ids, sorted).
    pub orders: Vec<String>,
    /// In words.
    pub explanation: String,
    /// Typed ids (not serialised).
    #[serde(skip)]
    pub ids: AnomalyIds,
}

/// Typed ids of an anomaly's records, for callers that join on them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnomalyIds {
    /// The serial.
    pub serial: Option<SerialId>,
    /// Event indexes (into `Ledger::events`).
    pub events: Vec<u32>,
    /// Parties.
    pub parties: Vec<PartyId>,
    /// Shipments.
    pub shipments: Vec<ShipmentId>,
    /// Orders.
    pub orders: Vec<OrderId>,
}

/// Chain of custody of one serial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trace {
    /// Serial number.
    pub serial: String,
    /// Distinct items recorded for it, in order of first appearance.
    pub items: Vec<String>,
    /// Events in custody order.
    pub events: Vec<TraceEvent>,
    /// Successive holders (party ids; consecutive repeats collapsed).
    pub holders: Vec<String>,
    /// Anomalies on this serial.
    pub anomalies: Vec<Anomaly>,
}

/// The serial's events in custody order (see module docs): indexes into
/// `Ledger::events`.
pub fn ordered_events(l: &Ledger, s: SerialId) -> Vec<u32> {
    let mut v = Vec::new();
    ordered_into(l, s, &mut v);
    v
}

/// [`ordered_events`] into a reused buffer.
pub(crate) fn ordered_into(l: &Ledger, s: SerialId, v: &mut Vec<u32>) {
    v.clear();
    v.extend_from_slice(l.index.events_by_serial.get(s.index()));
    let ev = |k: u32| l.events.get(k as usize);
    let mut st = Custody::default();
    let mut i = 0;
    while i < v.len() {
        let d = ev(v[i]).map(|e| e.date);
        let mut j = i + 1;
        while j < v.len() && ev(v[j]).map(|e| e.date) == d {
            j += 1;
        }
        let group = &mut v[i..j];
        // Source-line order first (the index sorts ties by kind).
        group.sort_by_key(|&k| ev(k).map_or(0, |e| e.line));
        if group.len() > 1 && group.len() <= MAX_DAY_GROUP {
            // Greedy: repeatedly take the first event (by line) that the
            // custody state allows; if none is allowed, the first one (it
            // will show as an anomaly).
            for a in 0..group.len() {
                let pick = (a..group.len())
                    .find(|&b| ev(group[b]).is_some_and(|e| st.allows(e)))
                    .unwrap_or(a);
                group[a..=pick].rotate_right(1);
                if let Some(e) = ev(group[a]) {
                    st.apply(e);
                }
            }
        } else {
            for &k in group.iter() {
                if let Some(e) = ev(k) {
                    st.apply(e);
                }
            }
        }
        i = j;
    }
}

/// Same-day groups larger than this keep source-line order (the greedy
/// ordering is quadratic in the group).
const MAX_DAY_GROUP: usize = 64;

/// Custody state used to order same-day events.
#[derive(Debug, Clone, Copy, Default)]
struct Custody {
    holder: Option<PartyId>,
    in_transit: bool,
}

impl Custody {
    /// Whether `e` can physically happen next.
    fn allows(&self, e: &SerialEvent) -> bool {
        let own = self.holder.is_none() || e.party.is_none() || e.party == self.holder;
        match e.kind {
            EventKind::Shipped | EventKind::Exported => own,
            EventKind::Received => self.in_transit || own,
            _ => own,
        }
    }
    fn apply(&mut self, e: &SerialEvent) {
        match e.kind {
            EventKind::Shipped | EventKind::Exported => self.in_transit = true,
            EventKind::Received => self.in_transit = false,
            _ => {}
        }
        if e.party.is_some() {
            self.holder = e.party;
        }
    }
}

/// Whether two items are the same model.
pub fn same_model(l: &Ledger, a: ItemId, b: ItemId) -> bool {
    if a == b {
        return true;
    }
    let (Some(x), Some(y)) = (l.items.get(a.index()), l.items.get(b.index())) else {
        return false;
    };
    if let (Some(cx), Some(cy)) = (x.catalog(), y.catalog())
        && cx.catalog_id == cy.catalog_id
        && cx.model == cy.model
    {
        return true;
    }
    let norm = |s: &str| -> String {
        s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
    };
    norm(&x.name) == norm(&y.name)
}

fn trace_event(l: &Ledger, ei: u32) -> Option<TraceEvent> {
    let e = l.events.get(ei as usize)?;
    let party = e.party.and_then(|p| l.parties.get(p.index()).map(|x| (p, x)));
    let shipment = e.shipment;
    Some(TraceEvent {
        date: e.date.to_string(),
        event: e.kind.name(),
        item: l.items.get(e.item.index()).map(|i| i.name.to_string()).unwrap_or_default(),
        party: party.map(|(p, _)| l.party_id_str(p).to_string()),
        party_name: party.map(|(_, x)| x.name.to_string()),
        party_country: party.map(|(_, x)| x.country.to_string()),
        country: e.country.to_string(),
        shipment: shipment.map(|s| l.shipment_id_str(s).to_string()),
        order: shipment
            .and_then(|s| l.shipments.get(s.index()))
            .map(|sh| l.order_id_str(sh.order).to_string()),
        line: e.line,
    })
}

fn party_label(l: &Ledger, p: Option<PartyId>) -> String {
    match p.and_then(|p| l.parties.get(p.index()).map(|x| (p, x))) {
        Some((p, x)) => format!("{} ({}, {})", x.name, l.party_id_str(p), x.country),
        None => "an unnamed party".to_string(),
    }
}

/// Build an anomaly from its events; shipments/orders are the serial's.
fn make(
    l: &Ledger,
    s: SerialId,
    kind: AnomalyKind,
    events: &[u32],
    extra_parties: &[PartyId],
    documented: bool,
    explanation: String,
) -> Anomaly {
    let mut parties: BTreeSet<PartyId> = extra_parties.iter().copied().collect();
    for &ei in events {
        if let Some(p) = l.events.get(ei as usize).and_then(|e| e.party) {
            parties.insert(p);
        }
    }
    let mut shipments: BTreeSet<ShipmentId> = BTreeSet::new();
    for e in l.events_of(s) {
        if let Some(sh) = e.shipment {
            shipments.insert(sh);
        }
    }
    for &ei in events {
        if let Some(sh) = l.events.get(ei as usize).and_then(|e| e.shipment) {
            shipments.insert(sh);
        }
    }
    let orders: BTreeSet<OrderId> =
        shipments.iter().filter_map(|sh| l.shipments.get(sh.index()).map(|x| x.order)).collect();
    let date = events
        .last()
        .and_then(|&ei| l.events.get(ei as usize))
        .map(|e| e.date.to_string())
        .unwrap_or_default();
    let mut ps: Vec<String> = parties.iter().map(|&p| l.party_id_str(p).to_string()).collect();
    ps.sort();
    let mut ss: Vec<String> = shipments.iter().map(|&x| l.shipment_id_str(x).to_string()).collect();
    ss.sort();
    let mut os: Vec<String> = orders.iter().map(|&x| l.order_id_str(x).to_string()).collect();
    os.sort();
    Anomaly {
        serial: l.serial_str(s).to_string(),
        kind,
        rule: "RF-S11",
        severity_level: "missing_or_serial_mismatch",
        severity: "critical",
        date,
        documented,
        events: events.iter().filter_map(|&ei| trace_event(l, ei)).collect(),
        parties: ps,
        shipments: ss,
        orders: os,
        explanation,
        ids: AnomalyIds {
            serial: Some(s),
            events: events.to_vec(),
            parties: parties.into_iter().collect(),
            shipments: shipments.into_iter().collect(),
            orders: orders.into_iter().collect(),
        },
    }
}

/// An inspection visit that found swapped units: (party, day, item, event).
#[derive(Debug, Clone, Copy)]
struct SwapVisit {
    party: PartyId,
    day: i32,
    item: ItemId,
    event: u32,
}

#[derive(Debug, Clone, Copy)]
struct Rest {
    party: Option<PartyId>,
    country: Country,
    day: i32,
    event: u32,
}

/// The per-serial anomalies (all but "missing at inspection") and the
/// swap visits found on the way.
fn analyse(
    l: &Ledger,
    s: SerialId,
    restricted: &[bool],
    opts: &SerialOptions,
) -> (Vec<Anomaly>, Vec<SwapVisit>) {
    let mut out: Vec<Anomaly> = Vec::new();
    let mut visits = Vec::new();
    let mut reported: FxHashSet<AnomalyKind> = FxHashSet::default();
    let mut at: Option<Rest> = None;
    let mut in_transit = false;
    // A departure (shipped / exported) recorded after the serial came to rest.
    let mut departed = false;
    let mut last_received: Option<(Option<PartyId>, u32)> = None;
    let mut established: Option<(Country, u32)> = None;
    let mut first_item: Option<(ItemId, u32)> = None;
    let serial = l.serial_str(s);
    for ei in ordered_events(l, s) {
        let Some(e) = l.events.get(ei as usize) else { continue };
        let d = days(e.date);

        // Model mismatch against the first event.
        match first_item {
            None => first_item = Some((e.item, ei)),
            Some((it, fe)) => {
                if !same_model(l, it, e.item) && reported.insert(AnomalyKind::ModelMismatch) {
                    let name = |i: ItemId| {
                        l.items.get(i.index()).map(|x| x.name.to_string()).unwrap_or_default()
                    };
                    out.push(make(
                        l,
                        s,
                        AnomalyKind::ModelMismatch,
                        &[fe, ei],
                        &[],
                        false,
                        format!(
                            "serial {serial} was recorded as {} ({} on {}) but as {} ({} on {})",
                            name(it),
                            l.events.get(fe as usize).map_or("", |x| x.kind.name()),
                            l.events
                                .get(fe as usize)
                                .map(|x| x.date.to_string())
                                .unwrap_or_default(),
                            name(e.item),
                            e.kind.name(),
                            e.date
                        ),
                    ));
                }
            }
        }

        // Seen in a restricted country after coming to rest elsewhere.
        if let Some((c0, e0)) = established
            && !country_flag(restricted, c0)
            && country_flag(restricted, e.country)
            && reported.insert(AnomalyKind::SeenInRestricted)
        {
            let documented = e.kind == EventKind::Exported || departed;
            out.push(make(
                l,
                s,
                AnomalyKind::SeenInRestricted,
                &[e0, ei],
                &[],
                documented,
                format!(
                    "serial {serial} came to rest in {c0} and was then {} in restricted {} by {} on {}{}",
                    e.kind.name(),
                    e.country,
                    party_label(l, e.party),
                    e.date,
                    if documented {
                        " (a recorded re-export)"
                    } else {
                        " with no recorded export"
                    }
                ),
            ));
        }

        match e.kind {
            EventKind::Shipped => {
                in_transit = true;
                departed |= established.is_some();
            }
            EventKind::Exported => {
                in_transit = true;
                departed |= established.is_some();
                if established.is_none() {
                    established = Some((e.country, ei));
                }
            }
            EventKind::Received | EventKind::Installed | EventKind::Inspected | EventKind::Rma => {
                let mut anomalous = false;
                if let Some(r) = at
                    && !in_transit
                {
                    let other_party = e.party.is_some() && e.party != r.party;
                    if other_party || e.country != r.country {
                        let gap = d - r.day;
                        let need = if e.country == r.country { 1 } else { opts.min_travel_days };
                        if gap < need {
                            anomalous = true;
                            if reported.insert(AnomalyKind::TwoPlaces) {
                                out.push(make(
                                    l,
                                    s,
                                    AnomalyKind::TwoPlaces,
                                    &[r.event, ei],
                                    &[],
                                    false,
                                    format!(
                                        "serial {serial} was at {} in {} on {} and {} at {} in {} on {}, with no shipment or export in between",
                                        party_label(l, r.party),
                                        r.country,
                                        l.events.get(r.event as usize).map(|x| x.date.to_string()).unwrap_or_default(),
                                        e.kind.name(),
                                        party_label(l, e.party),
                                        e.country,
                                        e.date
                                    ),
                                ));
                            }
                        } else if e.kind == EventKind::Inspected
                            && e.party.is_some()
                            && last_received.is_some_and(|(p, _)| p != e.party)
                        {
                            anomalous = true;
                            if let Some(p) = e.party {
                                visits.push(SwapVisit {
                                    party: p,
                                    day: d,
                                    item: e.item,
                                    event: ei,
                                });
                            }
                            if reported.insert(AnomalyKind::LabelSwap) {
                                let (cons, rev) = last_received.unwrap_or((None, r.event));
                                out.push(make(
                                    l,
                                    s,
                                    AnomalyKind::LabelSwap,
                                    &[rev, ei],
                                    &[],
                                    false,
                                    format!(
                                        "serial {serial} was consigned to {} but inspected at {} in {} on {}, with no transfer recorded",
                                        party_label(l, cons),
                                        party_label(l, e.party),
                                        e.country,
                                        e.date
                                    ),
                                ));
                            }
                        }
                    }
                }
                if e.kind == EventKind::Received {
                    in_transit = false;
                    last_received = Some((e.party, ei));
                }
                if !anomalous {
                    at = Some(Rest {
                        party: e.party.or(at.and_then(|r| r.party)),
                        country: e.country,
                        day: d,
                        event: ei,
                    });
                    if established.is_none() {
                        established = Some((e.country, ei));
                    }
                }
            }
        }
    }
    (out, visits)
}

/// Serials held by a visited party and absent from the visit.
fn missing_at(l: &Ledger, visits: &[SwapVisit], candidates: &[SerialId]) -> Vec<Anomaly> {
    if visits.is_empty() {
        return Vec::new();
    }
    let mut by_party: FxHashMap<PartyId, Vec<SwapVisit>> = FxHashMap::default();
    for v in visits {
        by_party.entry(v.party).or_default().push(*v);
    }
    // One visit per (party, day): the first swap event found.
    for vs in by_party.values_mut() {
        vs.sort_by_key(|v| (v.day, v.event));
        vs.dedup_by_key(|v| v.day);
    }
    candidates
        .par_iter()
        .flat_map_iter(|&s| {
            let ord = ordered_events(l, s);
            let mut found = Vec::new();
            let Some(first_item) = ord.first().and_then(|&k| l.events.get(k as usize)).map(|e| e.item)
            else {
                return found;
            };
            let parties: BTreeSet<PartyId> =
                ord.iter().filter_map(|&k| l.events.get(k as usize).and_then(|e| e.party)).collect();
            for p in parties {
                let Some(vs) = by_party.get(&p) else { continue };
                for v in vs {
                    if !same_model(l, first_item, v.item) {
                        continue;
                    }
                    // Holder at the visit, and whether it was seen there.
                    let mut held: Option<u32> = None;
                    let mut seen = false;
                    for &k in &ord {
                        let Some(e) = l.events.get(k as usize) else { continue };
                        let d = days(e.date);
                        if d > v.day {
                            break;
                        }
                        if e.kind == EventKind::Inspected && d == v.day && e.party == Some(p) {
                            seen = true;
                        }
                        match e.kind {
                            EventKind::Received if e.party == Some(p) => held = Some(k),
                            EventKind::Received => held = None,
                            EventKind::Shipped | EventKind::Exported if d < v.day => held = None,
                            _ => {}
                        }
                    }
                    if let Some(rk) = held
                        && !seen
                    {
                        let rdate =
                            l.events.get(rk as usize).map(|e| e.date.to_string()).unwrap_or_default();
                        let vdate = l.events.get(v.event as usize).map(|e| e.date.to_string()).unwrap_or_default();
                        found.push(make(
                            l,
                            s,
                            AnomalyKind::MissingAtInspection,
                            &[rk, v.event],
                            &[p],
                            false,
                            format!(
                                "serial {} was received by {} on {rdate} and not moved since, but the inspection there on {vdate} did not find it and found serial {} (consigned elsewhere) instead",
                                l.serial_str(s),
                                party_label(l, Some(p)),
                                l.events.get(v.event as usize).map_or("", |e| l.serial_str(e.serial))
                            ),
                        ));
                        break;
                    }
                }
            }
            found
        })
        .collect()
}

fn sort_anomalies(v: &mut [Anomaly]) {
    v.sort_by(|a, b| (&a.serial, a.kind, &a.date).cmp(&(&b.serial, b.kind, &b.date)));
}

/// All serial anomalies of the ledger (default options), sorted by
/// (serial, kind).
pub fn anomalies(ledger: &Ledger, restricted: &[Country]) -> Vec<Anomaly> {
    anomalies_with(ledger, restricted, &SerialOptions::default())
}

/// [`anomalies`] with options.
pub fn anomalies_with(
    ledger: &Ledger,
    restricted: &[Country],
    opts: &SerialOptions,
) -> Vec<Anomaly> {
    let flags = country_flags(restricted);
    let n = ledger.serials.len();
    let per: Vec<(Vec<Anomaly>, Vec<SwapVisit>)> = (0..n)
        .into_par_iter()
        .map(|s| analyse(ledger, SerialId(u32::try_from(s).unwrap_or(u32::MAX)), &flags, opts))
        .filter(|(a, v)| !a.is_empty() || !v.is_empty())
        .collect();
    let mut out = Vec::new();
    let mut visits = Vec::new();
    for (a, v) in per {
        out.extend(a);
        visits.extend(v);
    }
    if !visits.is_empty() {
        let vparties: FxHashSet<PartyId> = visits.iter().map(|v| v.party).collect();
        let mut cands: Vec<SerialId> = ledger
            .events
            .iter()
            .filter(|e| {
                e.kind == EventKind::Received && e.party.is_some_and(|p| vparties.contains(&p))
            })
            .map(|e| e.serial)
            .collect();
        cands.sort_unstable();
        cands.dedup();
        out.extend(missing_at(ledger, &visits, &cands));
    }
    sort_anomalies(&mut out);
    out
}

/// Chain of custody of one serial: every event with party names and
/// countries, in custody order, and the anomalies on it (default options).
pub fn trace(ledger: &Ledger, serial: &str, restricted: &[Country]) -> Option<Trace> {
    trace_with(ledger, serial, restricted, &SerialOptions::default())
}

/// [`trace`] with options.
pub fn trace_with(
    ledger: &Ledger,
    serial: &str,
    restricted: &[Country],
    opts: &SerialOptions,
) -> Option<Trace> {
    let l = ledger;
    let s = l.serial(serial)?;
    let flags = country_flags(restricted);
    let ord = ordered_events(l, s);
    let events: Vec<TraceEvent> = ord.iter().filter_map(|&k| trace_event(l, k)).collect();
    let mut items: Vec<String> = Vec::new();
    for e in &events {
        if !items.contains(&e.item) {
            items.push(e.item.clone());
        }
    }
    let mut holders: Vec<String> = Vec::new();
    for e in &events {
        if let Some(p) = &e.party
            && holders.last() != Some(p)
        {
            holders.push(p.clone());
        }
    }
    let (mut anomalies, _) = analyse(l, s, &flags, opts);
    // "Missing at inspection": swap visits at the parties that received it.
    let receivers: FxHashSet<PartyId> = ord
        .iter()
        .filter_map(|&k| l.events.get(k as usize))
        .filter(|e| e.kind == EventKind::Received)
        .filter_map(|e| e.party)
        .collect();
    if !receivers.is_empty() {
        let mut inspected: Vec<SerialId> = l
            .events
            .iter()
            .filter(|e| {
                e.kind == EventKind::Inspected
                    && e.serial != s
                    && e.party.is_some_and(|p| receivers.contains(&p))
            })
            .map(|e| e.serial)
            .collect();
        inspected.sort_unstable();
        inspected.dedup();
        let visits: Vec<SwapVisit> = inspected
            .iter()
            .flat_map(|&o| analyse(l, o, &flags, opts).1)
            .filter(|v| receivers.contains(&v.party))
            .collect();
        anomalies.extend(missing_at(l, &visits, &[s]));
    }
    sort_anomalies(&mut anomalies);
    Some(Trace { serial: serial.to_string(), items, events, holders, anomalies })
}
