//! The in-memory ledger: compact rows with `u32` ids, interned strings,
//! and indexes built once after loading.

use std::fmt;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::intern::Interner;
use crate::items::Item;

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub struct $name(pub u32);
        impl $name {
            /// The id as a vector index.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// Index of a party in [`Ledger::parties`].
    PartyId
);
id_type!(
    /// Index of an order in [`Ledger::orders`].
    OrderId
);
id_type!(
    /// Index of a shipment in [`Ledger::shipments`].
    ShipmentId
);
id_type!(
    /// Index of a payment in [`Ledger::payments`].
    PaymentId
);
id_type!(
    /// Index of a site in [`Ledger::sites`].
    SiteId
);
id_type!(
    /// Index of a distinct item name in [`Ledger::items`].
    ItemId
);
id_type!(
    /// Index of a distinct serial number in [`Ledger::serials`].
    SerialId
);
id_type!(
    /// Index of an interned free-text value (end use, description, HS code)
    /// in the interner of its table.
    TextId
);

/// An ISO 3166-1 alpha-2 country code (validated on import).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country(pub [u8; 2]);

impl Country {
    /// Parse and validate (upper-cases; rejects unassigned codes and "UK").
    pub fn parse(s: &str) -> Option<Country> {
        crate::read::country(s)
    }
    /// The code as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl Serialize for Country {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// An ISO 4217-shaped currency code (three upper-case letters).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(pub [u8; 3]);

impl Currency {
    /// The code as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}
impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// `kind` of a party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    /// A legal entity.
    Company,
    /// A natural person.
    Person,
}

/// `event` of a serial event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Left `party` (the shipper) in `country`.
    Shipped,
    /// Arrived at `party` (the consignee) in `country`.
    Received,
    /// Installed at `party`'s site in `country`.
    Installed,
    /// Seen during an inspection / post-shipment verification in `country`.
    Inspected,
    /// Returned for repair / replacement, handled in `country`.
    Rma,
    /// Exported by `party`; `country` is the **destination** of the export.
    Exported,
}

impl EventKind {
    /// Parse the lower-case name.
    pub fn parse(s: &str) -> Option<EventKind> {
        // Case-insensitive without allocating (called once per event row).
        const ALL: [EventKind; 6] = [
            EventKind::Shipped,
            EventKind::Received,
            EventKind::Installed,
            EventKind::Inspected,
            EventKind::Rma,
            EventKind::Exported,
        ];
        ALL.into_iter().find(|k| k.name().eq_ignore_ascii_case(s))
    }
    /// The lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Shipped => "shipped",
            EventKind::Received => "received",
            EventKind::Installed => "installed",
            EventKind::Inspected => "inspected",
            EventKind::Rma => "rma",
            EventKind::Exported => "exported",
        }
    }
}

/// `method` of a payment (optional column; empty = unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// Not given.
    Unknown,
    /// Bank transfer.
    Wire,
    /// Letter of credit.
    LetterOfCredit,
    /// Cash.
    Cash,
    /// Crypto-asset transfer.
    Crypto,
    /// Card.
    Card,
    /// Anything else.
    Other,
}

impl PaymentMethod {
    /// Parse (`wire`, `lc`, `cash`, `crypto`, `card`, `other`; empty = unknown).
    pub fn parse(s: &str) -> Option<PaymentMethod> {
        if s.eq_ignore_ascii_case("letter_of_credit") {
            return Some(PaymentMethod::LetterOfCredit);
        }
        const ALL: [PaymentMethod; 7] = [
            PaymentMethod::Unknown,
            PaymentMethod::Wire,
            PaymentMethod::LetterOfCredit,
            PaymentMethod::Cash,
            PaymentMethod::Crypto,
            PaymentMethod::Card,
            PaymentMethod::Other,
        ];
        ALL.into_iter().find(|k| k.name().eq_ignore_ascii_case(s))
    }
    /// The canonical name written by the generator.
    pub fn name(self) -> &'static str {
        match self {
            PaymentMethod::Unknown => "",
            PaymentMethod::Wire => "wire",
            PaymentMethod::LetterOfCredit => "lc",
            PaymentMethod::Cash => "cash",
            PaymentMethod::Crypto => "crypto",
            PaymentMethod::Card => "card",
            PaymentMethod::Other => "other",
        }
    }
}

/// A row of `parties`. Its id string is `Ledger::party_ids.resolve(id)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Party {
    /// Name as written (any script).
    pub name: Box<str>,
    /// Country of registration / residence.
    pub country: Country,
    /// Free-text address ("" if unknown).
    pub address: Box<str>,
    /// Phone as written.
    pub phone: Box<str>,
    /// E-mail.
    pub email: Box<str>,
    /// Website URL or domain.
    pub website: Box<str>,
    /// Registry id (UEN, SSM, EIN, USCC …).
    pub registration_id: Box<str>,
    /// Date of incorporation.
    pub incorporated_on: Option<Date>,
    /// Parent company.
    pub parent: Option<PartyId>,
    /// Country of the headquarters (or ultimate parent).
    pub hq_country: Option<Country>,
    /// Company or person.
    pub kind: PartyKind,
    /// Line of business (optional column `industry`).
    pub industry: Box<str>,
    /// Source line.
    pub line: u32,
}

/// A row of `orders`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Order {
    /// Order date.
    pub date: Date,
    /// The exporter / vendor.
    pub seller: PartyId,
    /// The customer.
    pub buyer: PartyId,
    /// Invoiced party (None = the buyer).
    pub bill_to: Option<PartyId>,
    /// Delivery party (None = the buyer).
    pub ship_to: Option<PartyId>,
    /// Declared end user (None = not declared, itself a red flag).
    pub end_user: Option<PartyId>,
    /// Declared end use, in [`Ledger::end_uses`].
    pub declared_end_use: TextId,
    /// Order value.
    pub value: Decimal,
    /// Currency of `value`.
    pub currency: Currency,
    /// Declared installation site (optional column `site_id`).
    pub site: Option<SiteId>,
    /// Source line.
    pub line: u32,
}

impl Order {
    /// `bill_to`, defaulting to the buyer.
    pub fn bill_to_or_buyer(&self) -> PartyId {
        self.bill_to.unwrap_or(self.buyer)
    }
    /// `ship_to`, defaulting to the buyer.
    pub fn ship_to_or_buyer(&self) -> PartyId {
        self.ship_to.unwrap_or(self.buyer)
    }
    /// The parties on the buying side (buyer, bill-to, ship-to, end user),
    /// each once, in that order.
    pub fn buying_side(&self) -> impl Iterator<Item = PartyId> {
        let mut seen: [Option<PartyId>; 4] = [None; 4];
        [Some(self.buyer), self.bill_to, self.ship_to, self.end_user]
            .into_iter()
            .enumerate()
            .filter_map(move |(k, p)| {
                let p = p?;
                if seen[..k].contains(&Some(p)) {
                    return None;
                }
                seen[k] = Some(p);
                Some(p)
            })
    }
}

/// A row of `order_lines`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderLine {
    /// The order.
    pub order: OrderId,
    /// The item (model name or catalog id) in [`Ledger::items`].
    pub item: ItemId,
    /// Units (> 0).
    pub quantity: u32,
    /// Price per unit, in the order's currency.
    pub unit_price: Decimal,
    /// HS code as declared, in [`Ledger::hs_codes`].
    pub hs_code: TextId,
    /// Source line.
    pub line: u32,
}

/// A row of `shipments`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shipment {
    /// The order shipped.
    pub order: OrderId,
    /// Departure date.
    pub date: Date,
    /// Origin country.
    pub from_country: Country,
    /// Destination country.
    pub to_country: Country,
    /// Consignee party.
    pub consignee: Option<PartyId>,
    /// Freight forwarder.
    pub forwarder: Option<PartyId>,
    /// Declared description, in [`Ledger::descriptions`].
    pub declared_description: TextId,
    /// Declared customs value.
    pub declared_value: Option<Decimal>,
    /// Gross weight.
    pub weight_kg: Option<Decimal>,
    /// Source line.
    pub line: u32,
}

/// A row of `serial_events`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SerialEvent {
    /// The serial number, in [`Ledger::serials`].
    pub serial: SerialId,
    /// The item as recorded at this event (may disagree between events).
    pub item: ItemId,
    /// What happened.
    pub kind: EventKind,
    /// Who (shipper, consignee, installer, inspector, exporter).
    pub party: Option<PartyId>,
    /// Where (for `exported`: the destination).
    pub country: Country,
    /// When.
    pub date: Date,
    /// The shipment it travelled with.
    pub shipment: Option<ShipmentId>,
    /// Source line.
    pub line: u32,
}

/// A row of `payments`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Payment {
    /// The order paid.
    pub order: OrderId,
    /// Value date.
    pub date: Date,
    /// Who paid.
    pub payer: PartyId,
    /// Payer's country as on the payment (None = not given).
    pub payer_country: Option<Country>,
    /// Country of the paying bank.
    pub bank_country: Option<Country>,
    /// Amount.
    pub amount: Decimal,
    /// Currency of `amount`.
    pub currency: Currency,
    /// Method (optional column).
    pub method: PaymentMethod,
    /// Source line.
    pub line: u32,
}

/// A row of the optional `sites` table: the declared capacity of a site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Site {
    /// Operator of the site.
    pub party: PartyId,
    /// Country of the site.
    pub country: Country,
    /// Address.
    pub address: Box<str>,
    /// Declared available IT power, kW.
    pub declared_power_kw: Option<Decimal>,
    /// Declared white space, m².
    pub floor_space_m2: Option<Decimal>,
    /// Source line.
    pub line: u32,
}

/// Compressed sparse rows: for key `k`, `values[offsets[k]..offsets[k+1]]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Csr {
    offsets: Vec<u32>,
    values: Vec<u32>,
}

impl Csr {
    /// Build from (key, value) pairs by counting sort; values keep the
    /// order of `pairs` within a key.
    pub fn build(keys: usize, pairs: impl Iterator<Item = (u32, u32)> + Clone) -> Csr {
        let mut offsets = vec![0u32; keys + 1];
        let mut n = 0usize;
        for (k, _) in pairs.clone() {
            if let Some(o) = offsets.get_mut(k as usize + 1) {
                *o += 1;
                n += 1;
            }
        }
        for i in 0..keys {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut values = vec![0u32; n];
        for (k, v) in pairs {
            if let Some(f) = fill.get_mut(k as usize)
                && (k as usize) < keys
            {
                values[*f as usize] = v;
                *f += 1;
            }
        }
        Csr { offsets, values }
    }

    /// Values of key `k` (empty if out of range).
    pub fn get(&self, k: usize) -> &[u32] {
        match (self.offsets.get(k), self.offsets.get(k + 1)) {
            (Some(&a), Some(&b)) => &self.values[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Mutable values of key `k` (for sorting within a key).
    pub(crate) fn get_mut(&mut self, k: usize) -> &mut [u32] {
        match (self.offsets.get(k), self.offsets.get(k + 1)) {
            (Some(&a), Some(&b)) => &mut self.values[a as usize..b as usize],
            _ => &mut [],
        }
    }

    /// Number of keys.
    pub fn keys(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    fn heap_bytes(&self) -> usize {
        (self.offsets.capacity() + self.values.capacity()) * 4
    }
}

/// Indexes built once after loading.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Indexes {
    /// Party → orders where it is seller, buyer, bill-to, ship-to or end
    /// user (each order once per party), in order-id order.
    pub orders_by_party: Csr,
    /// Order → its lines.
    pub lines_by_order: Csr,
    /// Order → its shipments.
    pub shipments_by_order: Csr,
    /// Order → its payments.
    pub payments_by_order: Csr,
    /// Serial → its events sorted by (date, event kind, source line).
    pub events_by_serial: Csr,
    /// Shipment → serial events that name it.
    pub events_by_shipment: Csr,
    /// Party → its sites.
    pub sites_by_party: Csr,
}

/// A loaded, validated ledger.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ledger {
    /// Party id strings; `PartyId(i)` ↔ `party_ids.resolve(i)`.
    pub party_ids: Interner,
    /// Parties.
    pub parties: Vec<Party>,
    /// Order id strings.
    pub order_ids: Interner,
    /// Orders.
    pub orders: Vec<Order>,
    /// Order lines.
    pub lines: Vec<OrderLine>,
    /// Shipment id strings.
    pub shipment_ids: Interner,
    /// Shipments.
    pub shipments: Vec<Shipment>,
    /// Payment id strings.
    pub payment_ids: Interner,
    /// Payments.
    pub payments: Vec<Payment>,
    /// Site id strings.
    pub site_ids: Interner,
    /// Sites.
    pub sites: Vec<Site>,
    /// Serial numbers.
    pub serials: Interner,
    /// Serial events.
    pub events: Vec<SerialEvent>,
    /// Distinct item names with their catalog resolution.
    pub items: Vec<Item>,
    /// Declared end uses (orders).
    pub end_uses: Interner,
    /// Declared descriptions (shipments).
    pub descriptions: Interner,
    /// HS codes (order lines).
    pub hs_codes: Interner,
    /// Indexes.
    pub index: Indexes,
}

impl Ledger {
    /// Look a party up by its id string.
    pub fn party(&self, id: &str) -> Option<PartyId> {
        self.party_ids.get(id).map(PartyId)
    }
    /// Look an order up by its id string.
    pub fn order(&self, id: &str) -> Option<OrderId> {
        self.order_ids.get(id).map(OrderId)
    }
    /// Look a shipment up by its id string.
    pub fn shipment(&self, id: &str) -> Option<ShipmentId> {
        self.shipment_ids.get(id).map(ShipmentId)
    }
    /// Look a serial up.
    pub fn serial(&self, serial: &str) -> Option<SerialId> {
        self.serials.get(serial).map(SerialId)
    }
    /// The id string of a party.
    pub fn party_id_str(&self, p: PartyId) -> &str {
        self.party_ids.resolve(p.0)
    }
    /// The id string of an order.
    pub fn order_id_str(&self, o: OrderId) -> &str {
        self.order_ids.resolve(o.0)
    }
    /// The id string of a shipment.
    pub fn shipment_id_str(&self, s: ShipmentId) -> &str {
        self.shipment_ids.resolve(s.0)
    }
    /// The serial string.
    pub fn serial_str(&self, s: SerialId) -> &str {
        self.serials.resolve(s.0)
    }
    /// Lines of an order.
    pub fn lines_of(&self, o: OrderId) -> impl Iterator<Item = &OrderLine> {
        self.index.lines_by_order.get(o.index()).iter().map(|&i| &self.lines[i as usize])
    }
    /// Shipments of an order.
    pub fn shipments_of(&self, o: OrderId) -> impl Iterator<Item = (ShipmentId, &Shipment)> {
        self.index
            .shipments_by_order
            .get(o.index())
            .iter()
            .map(|&i| (ShipmentId(i), &self.shipments[i as usize]))
    }
    /// Payments of an order.
    pub fn payments_of(&self, o: OrderId) -> impl Iterator<Item = &Payment> {
        self.index.payments_by_order.get(o.index()).iter().map(|&i| &self.payments[i as usize])
    }
    /// Orders in which a party has any role.
    pub fn orders_of(&self, p: PartyId) -> impl Iterator<Item = OrderId> + '_ {
        self.index.orders_by_party.get(p.index()).iter().map(|&i| OrderId(i))
    }
    /// Events of a serial, sorted by date.
    pub fn events_of(&self, s: SerialId) -> impl Iterator<Item = &SerialEvent> {
        self.index.events_by_serial.get(s.index()).iter().map(|&i| &self.events[i as usize])
    }
    /// Serial events naming a shipment.
    pub fn events_of_shipment(&self, s: ShipmentId) -> impl Iterator<Item = &SerialEvent> {
        self.index.events_by_shipment.get(s.index()).iter().map(|&i| &self.events[i as usize])
    }
    /// Sites of a party.
    pub fn sites_of(&self, p: PartyId) -> impl Iterator<Item = (SiteId, &Site)> {
        self.index
            .sites_by_party
            .get(p.index())
            .iter()
            .map(|&i| (SiteId(i), &self.sites[i as usize]))
    }
    /// The item of a line.
    pub fn item(&self, i: ItemId) -> &Item {
        &self.items[i.index()]
    }
    /// Total TPP of a line (quantity × TPP per unit), if the item resolved
    /// to the catalog with a known TPP.
    pub fn line_tpp(&self, l: &OrderLine) -> Option<Decimal> {
        self.item(l.item).tpp_per_unit().map(|t| t * Decimal::from(l.quantity))
    }
    /// Controlled accelerators on a line (quantity × per-unit count).
    pub fn line_accelerators(&self, l: &OrderLine) -> u64 {
        u64::from(self.item(l.item).controlled_per_unit()) * u64::from(l.quantity)
    }
    /// Estimated server-level power of a line in kW (before PUE), if the
    /// item's power is known (`items::KW_PER_ACCELERATOR`).
    pub fn line_kw(&self, l: &OrderLine) -> Option<Decimal> {
        self.item(l.item).kw_per_unit().map(|k| k * Decimal::from(l.quantity))
    }
    /// Total TPP of an order (lines with unknown TPP are skipped; the second
    /// value says whether any was skipped).
    pub fn order_tpp(&self, o: OrderId) -> (Decimal, bool) {
        let mut t = Decimal::ZERO;
        let mut partial = false;
        for l in self.lines_of(o) {
            match self.line_tpp(l) {
                Some(x) => t += x,
                None => partial = true,
            }
        }
        (t, partial)
    }
    /// Row counts per table.
    pub fn counts(&self) -> Counts {
        Counts {
            parties: self.parties.len(),
            orders: self.orders.len(),
            order_lines: self.lines.len(),
            shipments: self.shipments.len(),
            payments: self.payments.len(),
            serial_events: self.events.len(),
            sites: self.sites.len(),
            serials: self.serials.len(),
            items: self.items.len(),
        }
    }
    /// Approximate heap bytes of the ledger (rows, strings, indexes).
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let ix = &self.index;
        self.parties.capacity() * size_of::<Party>()
            + self
                .parties
                .iter()
                .map(|p| p.name.len() + p.address.len() + p.email.len() + p.website.len() + 32)
                .sum::<usize>()
            + self.orders.capacity() * size_of::<Order>()
            + self.lines.capacity() * size_of::<OrderLine>()
            + self.shipments.capacity() * size_of::<Shipment>()
            + self.payments.capacity() * size_of::<Payment>()
            + self.events.capacity() * size_of::<SerialEvent>()
            + self.sites.capacity() * size_of::<Site>()
            + [
                &self.party_ids,
                &self.order_ids,
                &self.shipment_ids,
                &self.payment_ids,
                &self.site_ids,
                &self.serials,
                &self.end_uses,
                &self.descriptions,
                &self.hs_codes,
            ]
            .iter()
            .map(|i| i.heap_bytes())
            .sum::<usize>()
            + [
                &ix.orders_by_party,
                &ix.lines_by_order,
                &ix.shipments_by_order,
                &ix.payments_by_order,
                &ix.events_by_serial,
                &ix.events_by_shipment,
                &ix.sites_by_party,
            ]
            .iter()
            .map(|c| c.heap_bytes())
            .sum::<usize>()
    }
}

/// Row counts of a ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Parties.
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
    /// Distinct serials.
    pub serials: usize,
    /// Distinct item names.
    pub items: usize,
}

impl Counts {
    /// Total rows over all tables.
    pub fn rows(&self) -> usize {
        self.parties
            + self.orders
            + self.order_lines
            + self.shipments
            + self.payments
            + self.serial_events
            + self.sites
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_stay_compact() {
        use std::mem::size_of;
        eprintln!(
            "sizes: event {} order {} line {} shipment {} payment {}",
            size_of::<SerialEvent>(),
            size_of::<Order>(),
            size_of::<OrderLine>(),
            size_of::<Shipment>(),
            size_of::<Payment>()
        );
        // The 1M-order budget rests on these sizes (docs/ledger.md).
        assert!(size_of::<SerialEvent>() <= 36, "event {}", size_of::<SerialEvent>());
        assert!(size_of::<Order>() <= 80, "order {}", size_of::<Order>());
        assert!(size_of::<OrderLine>() <= 36, "line {}", size_of::<OrderLine>());
    }

    #[test]
    fn csr_groups_values_by_key_in_input_order() {
        let c = Csr::build(3, [(2u32, 10u32), (0, 11), (2, 12), (7, 13)].into_iter());
        assert_eq!(c.get(0), &[11]);
        assert_eq!(c.get(1), &[] as &[u32]);
        assert_eq!(c.get(2), &[10, 12]);
        // Keys out of range are ignored, never a panic.
        assert_eq!(c.get(7), &[] as &[u32]);
    }
}
