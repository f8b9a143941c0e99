//! Exports of the resolved graph: GraphML (Gephi, Cytoscape, yEd) and
//! FollowTheMoney entities (OpenSanctions / Aleph / nomenklatura tooling).
//!
//! **GraphML**: one `<node>` per cluster with members and per country
//! that has an edge; one `<edge>` per link (from, to, kind) in natural
//! direction (`paid_by` / `owned_by`, the backwards readings used by path
//! search, are left out). Typed `<key>`s: nodes `label`, `kind`, `name`,
//! `country`, `members`, `member_count` (int), `listed`, `restricted`
//! (boolean), `target` (boolean); edges `kind`, `instances` (int, distinct
//! dates), `first_date`, `last_date`, `evidence` (record ids of up to
//! three instances). Node ids are the cluster labels and `country:XX`.
//!
//! **FollowTheMoney**: one entity per cluster (`Company`, `Person`, or
//! `LegalEntity` when a cluster mixes both), id `ct-party-<label>`, with the
//! other members' ids as `referents` (nomenklatura's convention for merged
//! entities); `Address` entities (deduplicated, id from a hash of the text);
//! `Ownership` per parent link; `Payment` per payment (payer → seller);
//! `UnknownLink` per order (seller → buyer, role `sells_to`), per order role
//! that differs from the buyer (`bill_to`, `ship_to`, `end_user`) and per
//! shipment (seller → consignee, role `consignee`). Ids derive from the
//! ledger ids, so they are stable across runs. Countries are lower-case ISO
//! codes as FtM expects; amounts are exact decimals as text.

use std::collections::BTreeSet;
use std::io::Write;

use chiptrace_ledger::{Ledger, PartyId, PartyKind};
use serde_json::{Map, Value, json};

use crate::days::date_str;
use crate::error::Result;
use crate::graph::{N_COUNTRIES, TradeGraph, country_of_index};

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => o.push(c),
        }
    }
    o
}

const NODE_KEYS: [(&str, &str); 9] = [
    ("label", "string"),
    ("kind", "string"),
    ("name", "string"),
    ("country", "string"),
    ("members", "string"),
    ("member_count", "int"),
    ("listed", "string"),
    ("restricted", "boolean"),
    ("target", "boolean"),
];
const EDGE_KEYS: [(&str, &str); 5] = [
    ("kind", "string"),
    ("instances", "int"),
    ("first_date", "string"),
    ("last_date", "string"),
    ("evidence", "string"),
];

/// The graph as GraphML text.
pub fn graphml(graph: &TradeGraph, ledger: &Ledger) -> String {
    let mut buf = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_graphml(graph, ledger, &mut buf);
    String::from_utf8(buf).unwrap_or_default()
}

/// Write the graph as GraphML.
pub fn write_graphml(graph: &TradeGraph, ledger: &Ledger, w: &mut impl Write) -> Result<()> {
    let l = ledger;
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for (name, ty) in NODE_KEYS {
        writeln!(w, r#"  <key id="n_{name}" for="node" attr.name="{name}" attr.type="{ty}"/>"#)?;
    }
    for (name, ty) in EDGE_KEYS {
        writeln!(w, r#"  <key id="e_{name}" for="edge" attr.name="{name}" attr.type="{ty}"/>"#)?;
    }
    writeln!(w, r#"  <graph id="chiptrace" edgedefault="directed">"#)?;

    let nc = graph.n_clusters();
    let label = |v: usize| -> String {
        if v < nc {
            graph.cluster_label(u32::try_from(v).unwrap_or(u32::MAX))
        } else {
            format!("country:{}", country_of_index(v - nc))
        }
    };
    // Countries with an edge.
    let mut used_country = vec![false; N_COUNTRIES];
    for v in 0..graph.node_count() {
        for link in graph.links_of(v) {
            if link.kind.is_reverse() {
                continue;
            }
            for x in [v, link.to as usize] {
                if x >= nc
                    && let Some(u) = used_country.get_mut(x - nc)
                {
                    *u = true;
                }
            }
        }
    }
    let data = |w: &mut dyn Write, key: &str, val: &str| -> std::io::Result<()> {
        writeln!(w, r#"      <data key="{key}">{}</data>"#, esc(val))
    };
    for c in 0..nc {
        let cid = u32::try_from(c).unwrap_or(u32::MAX);
        let ms: Vec<PartyId> = graph.members(cid).collect();
        let Some(&first) = ms.first() else { continue };
        let Some(p) = l.parties.get(first.index()) else { continue };
        let id = label(c);
        writeln!(w, r#"    <node id="{}">"#, esc(&id))?;
        data(w, "n_label", &format!("{} ({})", p.name, p.country))?;
        data(w, "n_kind", "party")?;
        data(w, "n_name", &p.name)?;
        data(w, "n_country", p.country.as_str())?;
        let members: Vec<&str> = ms.iter().map(|&m| l.party_id_str(m)).collect();
        data(w, "n_members", &members.join(" "))?;
        data(w, "n_member_count", &ms.len().to_string())?;
        let listed: Vec<&str> = ms.iter().filter_map(|&m| graph.listed(m)).collect();
        if !listed.is_empty() {
            data(w, "n_listed", &listed.join("; "))?;
        }
        let restricted = ms
            .iter()
            .any(|&m| l.parties.get(m.index()).is_some_and(|x| graph.is_restricted(x.country)));
        data(w, "n_restricted", if restricted { "true" } else { "false" })?;
        data(w, "n_target", if restricted || !listed.is_empty() { "true" } else { "false" })?;
        writeln!(w, "    </node>")?;
    }
    for (i, used) in used_country.iter().enumerate() {
        if !used {
            continue;
        }
        let c = country_of_index(i);
        writeln!(w, r#"    <node id="country:{c}">"#)?;
        data(w, "n_label", c.as_str())?;
        data(w, "n_kind", "country")?;
        data(w, "n_name", c.as_str())?;
        data(w, "n_country", c.as_str())?;
        let r = if graph.is_restricted(c) { "true" } else { "false" };
        data(w, "n_restricted", r)?;
        data(w, "n_target", r)?;
        writeln!(w, "    </node>")?;
    }
    let mut k = 0usize;
    for v in 0..graph.node_count() {
        for link in graph.links_of(v) {
            if link.kind.is_reverse() {
                continue;
            }
            let ins = graph.insts_of(link);
            writeln!(
                w,
                r#"    <edge id="e{k}" source="{}" target="{}">"#,
                esc(&label(v)),
                esc(&label(link.to as usize))
            )?;
            k += 1;
            data(w, "e_kind", link.kind.name())?;
            data(w, "e_instances", &ins.len().to_string())?;
            let ds = |d: i32| if d == i32::MIN { String::new() } else { date_str(d) };
            if let (Some(a), Some(b)) = (ins.first(), ins.last()) {
                data(w, "e_first_date", &ds(a.date))?;
                data(w, "e_last_date", &ds(b.date))?;
            }
            let ev: Vec<String> = ins
                .iter()
                .take(3)
                .filter_map(|x| crate::graph::evidence_of(l, x.tag, x.rec).into_iter().next())
                .collect();
            data(w, "e_evidence", &ev.join(" "))?;
            writeln!(w, "    </edge>")?;
        }
    }
    writeln!(w, "  </graph>")?;
    writeln!(w, "</graphml>")?;
    Ok(())
}

/// 64-bit FNV-1a (stable across versions and platforms, unlike std hashers).
fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// An id fragment: the text itself when it is made of `[A-Za-z0-9._-]`,
/// else `h` + a hash of it.
fn slug(s: &str) -> String {
    if !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        s.to_string()
    } else {
        format!("h{:016x}", fnv(s))
    }
}

fn props(pairs: Vec<(&str, Vec<String>)>) -> Value {
    let mut m = Map::new();
    for (k, v) in pairs {
        let v: Vec<String> = v.into_iter().filter(|x| !x.is_empty()).collect();
        if !v.is_empty() {
            m.insert(k.to_string(), json!(v));
        }
    }
    Value::Object(m)
}

/// FollowTheMoney entities of the graph (see module docs), in a fixed
/// order: parties, addresses, ownership, orders, shipments, payments.
pub fn ftm(graph: &TradeGraph, ledger: &Ledger) -> Vec<Value> {
    let mut v = Vec::new();
    each_ftm(graph, ledger, &mut |e| {
        v.push(e);
        Ok(())
    })
    .ok();
    v
}

/// Write the FtM entities as JSON lines; returns the number written.
pub fn write_ftm(graph: &TradeGraph, ledger: &Ledger, w: &mut impl Write) -> Result<usize> {
    let mut n = 0usize;
    each_ftm(graph, ledger, &mut |e| {
        serde_json::to_writer(&mut *w, &e)?;
        w.write_all(b"\n")?;
        n += 1;
        Ok(())
    })?;
    Ok(n)
}

fn each_ftm(
    graph: &TradeGraph,
    ledger: &Ledger,
    f: &mut dyn FnMut(Value) -> Result<()>,
) -> Result<()> {
    let l = ledger;
    let ent = |p: PartyId| -> String {
        let c = graph.cluster_of(p).unwrap_or(p.0);
        format!("ct-party-{}", slug(&graph.cluster_label(c)))
    };
    let addr_id = |a: &str, c: &str| format!("ct-addr-{:016x}", fnv(&format!("{c}|{a}")));
    let lc = |c: &str| c.to_ascii_lowercase();

    // Parties, one entity per cluster.
    let mut addresses: BTreeSet<(String, String)> = BTreeSet::new();
    for c in 0..graph.n_clusters() {
        let cid = u32::try_from(c).unwrap_or(u32::MAX);
        let ms: Vec<PartyId> = graph.members(cid).collect();
        let Some(&first) = ms.first() else { continue };
        let parties: Vec<_> = ms.iter().filter_map(|&m| l.parties.get(m.index())).collect();
        let schema = if parties.iter().all(|p| p.kind == PartyKind::Company) {
            "Company"
        } else if parties.iter().all(|p| p.kind == PartyKind::Person) {
            "Person"
        } else {
            "LegalEntity"
        };
        let uniq = |it: &mut dyn Iterator<Item = String>| -> Vec<String> {
            let mut v: Vec<String> = Vec::new();
            for x in it {
                if !x.is_empty() && !v.contains(&x) {
                    v.push(x);
                }
            }
            v
        };
        let mut addr_ids = Vec::new();
        for p in &parties {
            if !p.address.is_empty() {
                let c = lc(p.country.as_str());
                addr_ids.push(addr_id(&p.address, &c));
                addresses.insert((p.address.to_string(), c));
            }
        }
        let mut pairs: Vec<(&str, Vec<String>)> = vec![
            ("name", uniq(&mut parties.iter().map(|p| p.name.to_string()))),
            ("country", uniq(&mut parties.iter().map(|p| lc(p.country.as_str())))),
            ("address", uniq(&mut parties.iter().map(|p| p.address.to_string()))),
            ("addressEntity", uniq(&mut addr_ids.into_iter())),
            ("phone", uniq(&mut parties.iter().map(|p| p.phone.to_string()))),
            ("email", uniq(&mut parties.iter().map(|p| p.email.to_string()))),
            ("website", uniq(&mut parties.iter().map(|p| p.website.to_string()))),
            (
                "registrationNumber",
                uniq(&mut parties.iter().map(|p| p.registration_id.to_string())),
            ),
            (
                "incorporationDate",
                uniq(&mut parties.iter().filter_map(|p| p.incorporated_on).map(|d| d.to_string())),
            ),
            ("sector", uniq(&mut parties.iter().map(|p| p.industry.to_string()))),
            (
                "notes",
                uniq(
                    &mut ms.iter().filter_map(|&m| graph.listed(m)).map(|x| format!("listed: {x}")),
                ),
            ),
        ];
        if schema == "Company" {
            pairs.push(("jurisdiction", uniq(&mut parties.iter().map(|p| lc(p.country.as_str())))));
        }
        let referents: Vec<String> =
            ms.iter().skip(1).map(|&m| format!("ct-party-{}", slug(l.party_id_str(m)))).collect();
        let mut e = json!({
            "id": ent(first),
            "schema": schema,
            "properties": props(pairs),
        });
        if !referents.is_empty()
            && let Some(o) = e.as_object_mut()
        {
            o.insert("referents".to_string(), json!(referents));
        }
        f(e)?;
    }
    for (a, c) in &addresses {
        f(json!({
            "id": addr_id(a, c),
            "schema": "Address",
            "properties": props(vec![("full", vec![a.clone()]), ("country", vec![c.clone()])]),
        }))?;
    }
    for (i, p) in l.parties.iter().enumerate() {
        let child = PartyId(u32::try_from(i).unwrap_or(u32::MAX));
        let Some(parent) = p.parent else { continue };
        if ent(parent) == ent(child) {
            continue;
        }
        f(json!({
            "id": format!("ct-own-{}", slug(l.party_id_str(child))),
            "schema": "Ownership",
            "properties": props(vec![
                ("owner", vec![ent(parent)]),
                ("asset", vec![ent(child)]),
                ("role", vec!["parent".to_string()]),
                ("recordId", vec![format!("party:{}:parent", l.party_id_str(child))]),
            ]),
        }))?;
    }
    for (i, o) in l.orders.iter().enumerate() {
        let oid = chiptrace_ledger::OrderId(u32::try_from(i).unwrap_or(u32::MAX));
        let id = l.order_id_str(oid);
        let end_use = l.end_uses.resolve(o.declared_end_use.0);
        f(json!({
            "id": format!("ct-order-{}", slug(id)),
            "schema": "UnknownLink",
            "properties": props(vec![
                ("subject", vec![ent(o.seller)]),
                ("object", vec![ent(o.buyer)]),
                ("role", vec!["sells_to".to_string()]),
                ("date", vec![o.date.to_string()]),
                ("summary", vec![format!("order {id}: {} {}; declared end use: {end_use}", o.value, o.currency.as_str())]),
                ("recordId", vec![format!("order:{id}")]),
            ]),
        }))?;
        for (role, p) in [("bill_to", o.bill_to), ("ship_to", o.ship_to), ("end_user", o.end_user)]
        {
            let Some(p) = p.filter(|&x| x != o.buyer) else { continue };
            f(json!({
                "id": format!("ct-order-{}-{role}", slug(id)),
                "schema": "UnknownLink",
                "properties": props(vec![
                    ("subject", vec![ent(o.seller)]),
                    ("object", vec![ent(p)]),
                    ("role", vec![role.to_string()]),
                    ("date", vec![o.date.to_string()]),
                    ("summary", vec![format!("{role} of order {id} (buyer {})", l.party_id_str(o.buyer))]),
                    ("recordId", vec![format!("order:{id}")]),
                ]),
            }))?;
        }
    }
    for (i, s) in l.shipments.iter().enumerate() {
        let sid = chiptrace_ledger::ShipmentId(u32::try_from(i).unwrap_or(u32::MAX));
        let Some(o) = l.orders.get(s.order.index()) else { continue };
        let id = l.shipment_id_str(sid);
        let object = s.consignee.unwrap_or(o.buyer);
        let desc = l.descriptions.resolve(s.declared_description.0);
        let fwd = s.forwarder.map(|x| l.party_id_str(x).to_string()).unwrap_or_default();
        f(json!({
            "id": format!("ct-shipment-{}", slug(id)),
            "schema": "UnknownLink",
            "properties": props(vec![
                ("subject", vec![ent(o.seller)]),
                ("object", vec![ent(object)]),
                ("role", vec![if s.consignee.is_some() { "consignee" } else { "ships_to_buyer" }.to_string()]),
                ("date", vec![s.date.to_string()]),
                ("summary", vec![format!(
                    "shipment {id} of order {}: {} -> {}; declared \"{desc}\"{}{}",
                    l.order_id_str(s.order),
                    s.from_country,
                    s.to_country,
                    s.declared_value.map(|v| format!(", value {v}")).unwrap_or_default(),
                    if fwd.is_empty() { String::new() } else { format!(", forwarder {fwd}") },
                )]),
                ("recordId", vec![format!("shipment:{id}")]),
            ]),
        }))?;
    }
    for (i, p) in l.payments.iter().enumerate() {
        let id = l.payment_ids.resolve(u32::try_from(i).unwrap_or(u32::MAX));
        let Some(o) = l.orders.get(p.order.index()) else { continue };
        f(json!({
            "id": format!("ct-payment-{}", slug(id)),
            "schema": "Payment",
            "properties": props(vec![
                ("payer", vec![ent(p.payer)]),
                ("beneficiary", vec![ent(o.seller)]),
                ("amount", vec![p.amount.to_string()]),
                ("currency", vec![p.currency.as_str().to_string()]),
                ("date", vec![p.date.to_string()]),
                ("purpose", vec![format!("order {}", l.order_id_str(p.order))]),
                ("transactionNumber", vec![id.to_string()]),
                ("summary", vec![format!(
                    "payer country {}, bank country {}, method {}",
                    p.payer_country.map(|c| c.to_string()).unwrap_or_default(),
                    p.bank_country.map(|c| c.to_string()).unwrap_or_default(),
                    p.method.name()
                )]),
            ]),
        }))?;
    }
    Ok(())
}
