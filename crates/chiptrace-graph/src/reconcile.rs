//! Bill-to vs ship-to vs end-use reconciliation by country and period
//! (diversion.md §5, RF-N03).
//!
//! For every period (of the order date) and currency — values are never
//! converted between currencies, so each currency is reconciled on its own —
//! and every country:
//!
//! * **billed**: order value by the bill-to party's country (`bill_to`,
//!   defaulting to the buyer);
//! * **shipped** (physical): order value by shipment destination. An
//!   order's value is spread over its shipments in proportion to their
//!   declared values (equally when any is missing or all are zero); value
//!   of orders without shipments is reported as `unshipped`;
//! * **end use**: order value by the declared end user's country
//!   (`unknown` when none is declared).
//!
//! Shares are of the period's total order value (6 decimals). The
//! billing/physical ratio is `billing_share / physical_share`, `None` when
//! nothing was shipped there (an unbounded ratio if something was billed).
//! A **hub gap** is a hub whose ratio exceeds the threshold (default 5) or
//! is unbounded: it lists the bill-to entities that drive it — their value
//! billed to the hub, the part of it shipped elsewhere, and the ship-to
//! countries it fans out to — largest first, and marks a driver whose
//! destinations are its own parent or subsidiaries (`same_group`), the
//! regional-HQ pattern that explains most such gaps (RF-N03 is low
//! severity on its own).

use std::collections::BTreeMap;

use chiptrace_ledger::{Country, Currency, Ledger, OrderId, PartyId};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::Error;

/// Period of aggregation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// `YYYY-MM`.
    Month,
    /// `YYYY-Qn`.
    Quarter,
    /// `YYYY`.
    Year,
    /// One period, `all`.
    All,
}

impl Period {
    /// Parse `month`, `quarter`, `year` or `all` (case-insensitive).
    pub fn parse(s: &str) -> Result<Period, Error> {
        match s.to_ascii_lowercase().as_str() {
            "month" => Ok(Period::Month),
            "quarter" => Ok(Period::Quarter),
            "year" => Ok(Period::Year),
            "all" => Ok(Period::All),
            _ => Err(Error::Period(s.to_string())),
        }
    }
    /// The name.
    pub fn name(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
            Period::All => "all",
        }
    }
    /// Label of the period containing a date.
    pub fn label(self, d: jiff::civil::Date) -> String {
        self.key_label(self.key(d))
    }
    /// A sortable number for the period of a date.
    fn key(self, d: jiff::civil::Date) -> i32 {
        let (y, m) = (i32::from(d.year()), i32::from(d.month()) - 1);
        match self {
            Period::Month => y * 12 + m,
            Period::Quarter => y * 4 + m / 3,
            Period::Year => y,
            Period::All => 0,
        }
    }
    fn key_label(self, k: i32) -> String {
        match self {
            Period::Month => format!("{:04}-{:02}", k.div_euclid(12), k.rem_euclid(12) + 1),
            Period::Quarter => format!("{:04}-Q{}", k.div_euclid(4), k.rem_euclid(4) + 1),
            Period::Year => format!("{k:04}"),
            Period::All => "all".to_string(),
        }
    }
}

/// Options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReconcileOptions {
    /// Period.
    pub by: Period,
    /// Hub countries ([`crate::DEFAULT_HUBS`]).
    pub hubs: Vec<Country>,
    /// Billing/physical ratio above which a hub shows a gap.
    pub ratio_threshold: Decimal,
    /// Only orders of this seller (the exporter's own portfolio); all
    /// orders when `None`.
    pub seller: Option<PartyId>,
    /// Drivers listed per gap.
    pub max_drivers: usize,
    /// Order ids listed per driver.
    pub max_orders_per_driver: usize,
}

impl ReconcileOptions {
    /// Defaults for a period and hub list: threshold 5, all sellers, 20
    /// drivers, 20 orders each.
    pub fn new(by: Period, hubs: &[Country]) -> ReconcileOptions {
        ReconcileOptions {
            by,
            hubs: hubs.to_vec(),
            ratio_threshold: Decimal::from(5),
            seller: None,
            max_drivers: 20,
            max_orders_per_driver: 20,
        }
    }
}

/// One country in one period and currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountryRow {
    /// ISO code, or `unknown` (end use without an end user).
    pub country: String,
    /// Value billed there.
    pub billed: Decimal,
    /// Value physically shipped there.
    pub shipped: Decimal,
    /// Value whose declared end user is there.
    pub end_use: Decimal,
    /// `billed / total`.
    pub billing_share: Decimal,
    /// `shipped / total`.
    pub physical_share: Decimal,
    /// `end_use / total`.
    pub end_use_share: Decimal,
    /// `billing_share / physical_share`; `None` when nothing was shipped
    /// there.
    pub ratio: Option<Decimal>,
    /// In the hub list.
    pub hub: bool,
    /// A hub gap (see module docs).
    pub gap: bool,
}

/// A ship-to country of a driver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FanOut {
    /// Destination country.
    pub country: String,
    /// Value shipped there.
    pub value: Decimal,
    /// Orders.
    pub orders: usize,
}

/// A bill-to entity driving a hub gap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Driver {
    /// Party id.
    pub party: String,
    /// Name.
    pub name: String,
    /// Value billed to it.
    pub billed: Decimal,
    /// Of that, shipped to the hub itself.
    pub shipped_to_hub: Decimal,
    /// Billed to it but shipped elsewhere (or not shipped).
    pub shipped_elsewhere: Decimal,
    /// Destinations, largest first.
    pub fan_out: Vec<FanOut>,
    /// Every consignee / ship-to of its orders shipped outside the hub is
    /// its parent, subsidiary or sibling (regional-HQ billing).
    pub same_group: bool,
    /// Orders (first `max_orders_per_driver`, by id).
    pub orders: Vec<String>,
    /// Number of orders.
    pub order_count: usize,
}

/// A hub with a billing/physical gap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HubGap {
    /// Hub.
    pub country: String,
    /// Its billing share.
    pub billing_share: Decimal,
    /// Its physical share.
    pub physical_share: Decimal,
    /// Ratio (`None` = nothing shipped there).
    pub ratio: Option<Decimal>,
    /// Drivers, by value shipped elsewhere, largest first.
    pub drivers: Vec<Driver>,
}

/// One period in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodRec {
    /// Period label.
    pub period: String,
    /// Currency.
    pub currency: String,
    /// Total order value.
    pub total: Decimal,
    /// Value of orders with no shipment.
    pub unshipped: Decimal,
    /// Orders.
    pub orders: usize,
    /// Countries, by billed value then shipped value, largest first.
    pub rows: Vec<CountryRow>,
    /// Hub gaps.
    pub gaps: Vec<HubGap>,
}

/// The reconciliation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    /// Period name.
    pub by: &'static str,
    /// Ratio threshold.
    pub ratio_threshold: Decimal,
    /// Periods × currencies, sorted.
    pub periods: Vec<PeriodRec>,
}

/// Bill-to vs ship-to vs end-use reconciliation with default options.
pub fn reconcile(ledger: &Ledger, by: Period, hubs: &[Country]) -> Reconciliation {
    reconcile_with(ledger, &ReconcileOptions::new(by, hubs))
}

#[derive(Default)]
struct Acc {
    billed: Decimal,
    shipped: Decimal,
    end_use: Decimal,
}

#[derive(Default)]
struct Bucket {
    total: Decimal,
    unshipped: Decimal,
    orders: usize,
    /// `None` = no end user declared.
    by_country: BTreeMap<Option<Country>, Acc>,
    /// Orders billed to a hub: (hub, bill-to) → order ids.
    hub_orders: BTreeMap<(Country, PartyId), Vec<OrderId>>,
}

/// Saturating addition: sums of absurd values never panic (they stop at
/// `Decimal::MAX`).
fn add(a: Decimal, b: Decimal) -> Decimal {
    a.checked_add(b).unwrap_or(if b.is_sign_negative() { Decimal::MIN } else { Decimal::MAX })
}

fn share(x: Decimal, total: Decimal) -> Decimal {
    if total.is_zero() {
        return Decimal::ZERO;
    }
    x.checked_div(total).map_or(Decimal::ZERO, |v| v.round_dp(6))
}

/// Split an order's value over its shipments: calls `f(destination, part)`;
/// returns false when the order has no shipment.
fn split(l: &Ledger, o: OrderId, value: Decimal, mut f: impl FnMut(Country, Decimal)) -> bool {
    let ids = l.index.shipments_by_order.get(o.index());
    let sh = |i: &u32| l.shipments.get(*i as usize);
    match ids {
        [] => return false,
        [one] => {
            if let Some(s) = sh(one) {
                f(s.to_country, value);
            }
            return true;
        }
        _ => {}
    }
    let all_declared = ids.iter().all(|i| sh(i).is_some_and(|s| s.declared_value.is_some()));
    let weight = |i: &u32| -> Decimal {
        if all_declared {
            sh(i).and_then(|s| s.declared_value).unwrap_or_default()
        } else {
            Decimal::ONE
        }
    };
    let mut wsum: Decimal = ids.iter().map(weight).fold(Decimal::ZERO, add);
    let equal = wsum.is_zero();
    if equal {
        wsum = Decimal::from(ids.len());
    }
    let mut given = Decimal::ZERO;
    for (k, i) in ids.iter().enumerate() {
        let Some(s) = sh(i) else { continue };
        // The last part takes the remainder, so the parts add up exactly.
        let part = if k + 1 == ids.len() {
            value.checked_sub(given).unwrap_or(Decimal::ZERO)
        } else {
            let w = if equal { Decimal::ONE } else { weight(i) };
            value
                .checked_mul(w)
                .and_then(|x| x.checked_div(wsum))
                .map_or(Decimal::ZERO, |x| x.round_dp(2))
        };
        given = add(given, part);
        f(s.to_country, part);
    }
    true
}

fn related(l: &Ledger, a: PartyId, b: PartyId) -> bool {
    if a == b {
        return true;
    }
    let pa = l.parties.get(a.index()).and_then(|p| p.parent);
    let pb = l.parties.get(b.index()).and_then(|p| p.parent);
    pa == Some(b) || pb == Some(a) || (pa.is_some() && pa == pb)
}

/// Bill-to vs ship-to vs end-use reconciliation.
pub fn reconcile_with(ledger: &Ledger, opts: &ReconcileOptions) -> Reconciliation {
    let l = ledger;
    let mut buckets: BTreeMap<(i32, Currency), Bucket> = BTreeMap::new();
    let is_hub = |c: Country| opts.hubs.contains(&c);
    for (i, o) in l.orders.iter().enumerate() {
        if opts.seller.is_some_and(|s| s != o.seller) {
            continue;
        }
        let oid = OrderId(u32::try_from(i).unwrap_or(u32::MAX));
        let b = buckets.entry((opts.by.key(o.date), o.currency)).or_default();
        b.total = add(b.total, o.value);
        b.orders += 1;
        let bill_to = o.bill_to_or_buyer();
        if let Some(bc) = l.parties.get(bill_to.index()).map(|p| p.country) {
            let a = b.by_country.entry(Some(bc)).or_default();
            a.billed = add(a.billed, o.value);
            if is_hub(bc) {
                b.hub_orders.entry((bc, bill_to)).or_default().push(oid);
            }
        }
        let eu = o.end_user.and_then(|p| l.parties.get(p.index())).map(|p| p.country);
        let a = b.by_country.entry(eu).or_default();
        a.end_use = add(a.end_use, o.value);
        let by_country = &mut b.by_country;
        let shipped = split(l, oid, o.value, |c, v| {
            let a = by_country.entry(Some(c)).or_default();
            a.shipped = add(a.shipped, v);
        });
        if !shipped {
            b.unshipped = add(b.unshipped, o.value);
        }
    }

    let mut periods = Vec::with_capacity(buckets.len());
    for ((pk, currency), b) in buckets {
        let period = opts.by.key_label(pk);
        let mut rows: Vec<CountryRow> = b
            .by_country
            .iter()
            .map(|(c, a)| {
                let bs = share(a.billed, b.total);
                let ps = share(a.shipped, b.total);
                let ratio = if a.shipped.is_zero() || ps.is_zero() {
                    None
                } else {
                    bs.checked_div(ps).map(|r| r.round_dp(4))
                };
                let hub = c.is_some_and(is_hub);
                let gap =
                    hub && !a.billed.is_zero() && ratio.is_none_or(|r| r > opts.ratio_threshold);
                CountryRow {
                    country: c.map_or_else(|| "unknown".to_string(), |c| c.to_string()),
                    billed: a.billed,
                    shipped: a.shipped,
                    end_use: a.end_use,
                    billing_share: bs,
                    physical_share: ps,
                    end_use_share: share(a.end_use, b.total),
                    ratio,
                    hub,
                    gap,
                }
            })
            .collect();
        rows.sort_by(|x, y| {
            (y.billed, y.shipped, &x.country).cmp(&(x.billed, x.shipped, &y.country))
        });
        let mut gaps = Vec::new();
        for r in rows.iter().filter(|r| r.gap) {
            let Some(hc) = Country::parse(&r.country) else { continue };
            let mut drivers: Vec<Driver> = b
                .hub_orders
                .range((hc, PartyId(0))..=(hc, PartyId(u32::MAX)))
                .map(|(&(_, party), orders)| driver(l, hc, party, orders, opts))
                .filter(|d| !d.shipped_elsewhere.is_zero())
                .collect();
            drivers.sort_by(|x, y| {
                (y.shipped_elsewhere, &x.party).cmp(&(x.shipped_elsewhere, &y.party))
            });
            drivers.truncate(opts.max_drivers);
            gaps.push(HubGap {
                country: r.country.clone(),
                billing_share: r.billing_share,
                physical_share: r.physical_share,
                ratio: r.ratio,
                drivers,
            });
        }
        periods.push(PeriodRec {
            period,
            currency: currency.as_str().to_string(),
            total: b.total,
            unshipped: b.unshipped,
            orders: b.orders,
            rows,
            gaps,
        });
    }
    Reconciliation { by: opts.by.name(), ratio_threshold: opts.ratio_threshold, periods }
}

fn driver(
    l: &Ledger,
    hub: Country,
    party: PartyId,
    orders: &[OrderId],
    opts: &ReconcileOptions,
) -> Driver {
    let mut billed = Decimal::ZERO;
    let mut to_hub = Decimal::ZERO;
    let mut fan: BTreeMap<Country, (Decimal, usize)> = BTreeMap::new();
    let mut same_group = true;
    let mut any_elsewhere = false;
    for &o in orders {
        let Some(ord) = l.orders.get(o.index()) else { continue };
        billed = add(billed, ord.value);
        let mut seen: Vec<Country> = Vec::new();
        split(l, o, ord.value, |c, v| {
            if c == hub {
                to_hub = add(to_hub, v);
            } else {
                let e = fan.entry(c).or_default();
                e.0 = add(e.0, v);
                if !seen.contains(&c) {
                    e.1 += 1;
                    seen.push(c);
                }
            }
        });
        for (_, sh) in l.shipments_of(o) {
            if sh.to_country != hub {
                any_elsewhere = true;
                let dest = sh.consignee.unwrap_or_else(|| ord.ship_to_or_buyer());
                if !related(l, party, dest) {
                    same_group = false;
                }
            }
        }
    }
    let mut fan_out: Vec<FanOut> = fan
        .into_iter()
        .map(|(c, (value, n))| FanOut { country: c.to_string(), value, orders: n })
        .collect();
    fan_out.sort_by(|x, y| (y.value, &x.country).cmp(&(x.value, &y.country)));
    let mut ids: Vec<String> = orders.iter().map(|&o| l.order_id_str(o).to_string()).collect();
    ids.sort();
    let order_count = ids.len();
    ids.truncate(opts.max_orders_per_driver);
    Driver {
        party: l.party_id_str(party).to_string(),
        name: l.parties.get(party.index()).map(|p| p.name.to_string()).unwrap_or_default(),
        billed,
        shipped_to_hub: to_hub,
        shipped_elsewhere: billed.checked_sub(to_hub).unwrap_or(Decimal::ZERO),
        fan_out,
        same_group: same_group && any_elsewhere,
        orders: ids,
        order_count,
    }
}
