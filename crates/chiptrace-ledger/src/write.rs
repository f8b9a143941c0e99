//! Writing ledger tables as CSV (with a header) or JSON lines (all values
//! as JSON strings, so money is never a float).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::read::Format;

/// Writes the rows of one table.
pub struct TableWriter {
    w: BufWriter<File>,
    path: PathBuf,
    format: Format,
    cols: &'static [&'static str],
    buf: String,
}

fn needs_quotes(s: &str) -> bool {
    s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
        || s.starts_with(' ')
        || s.ends_with(' ')
}

fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

impl TableWriter {
    /// Create `dir/<table>.<ext>`; CSV files get the header line.
    pub fn create(
        dir: &Path,
        table: &str,
        cols: &'static [&'static str],
        format: Format,
    ) -> Result<TableWriter> {
        let path = dir.join(format!("{table}.{}", format.ext()));
        let f = File::create(&path).map_err(|e| Error::io(&path, e))?;
        let mut t = TableWriter {
            w: BufWriter::with_capacity(1 << 20, f),
            path,
            format,
            cols,
            buf: String::new(),
        };
        if format == Format::Csv {
            let h = cols.join(",");
            writeln!(t.w, "{h}").map_err(|e| Error::io(&t.path, e))?;
        }
        Ok(t)
    }

    /// Write one row (fields in column order; missing trailing fields are
    /// empty).
    pub fn row(&mut self, fields: &[&str]) -> Result<()> {
        self.buf.clear();
        match self.format {
            Format::Csv => {
                for i in 0..self.cols.len() {
                    if i > 0 {
                        self.buf.push(',');
                    }
                    let v = fields.get(i).copied().unwrap_or("");
                    if needs_quotes(v) {
                        self.buf.push('"');
                        self.buf.push_str(&v.replace('"', "\"\""));
                        self.buf.push('"');
                    } else {
                        self.buf.push_str(v);
                    }
                }
            }
            Format::Jsonl => {
                self.buf.push('{');
                for (i, c) in self.cols.iter().enumerate() {
                    if i > 0 {
                        self.buf.push(',');
                    }
                    push_json_str(&mut self.buf, c);
                    self.buf.push(':');
                    push_json_str(&mut self.buf, fields.get(i).copied().unwrap_or(""));
                }
                self.buf.push('}');
            }
        }
        self.buf.push('\n');
        self.w.write_all(self.buf.as_bytes()).map_err(|e| Error::io(&self.path, e))
    }

    /// Flush to disk.
    pub fn finish(mut self) -> Result<()> {
        self.w.flush().map_err(|e| Error::io(&self.path, e))
    }
}

/// Column names written by the generator, per table (the format's columns
/// including the optional ones it fills).
pub mod cols {
    /// `parties`.
    pub const PARTIES: &[&str] = &[
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
    ];
    /// `orders`.
    pub const ORDERS: &[&str] = &[
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
    ];
    /// `order_lines`.
    pub const LINES: &[&str] = &["order_id", "item", "quantity", "unit_price", "hs_code"];
    /// `shipments`.
    pub const SHIPMENTS: &[&str] = &[
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
    ];
    /// `serial_events`.
    pub const EVENTS: &[&str] =
        &["serial", "item", "event", "party", "country", "date", "shipment_id"];
    /// `payments`.
    pub const PAYMENTS: &[&str] = &[
        "payment_id",
        "order_id",
        "date",
        "payer",
        "payer_country",
        "bank_country",
        "amount",
        "currency",
        "method",
    ];
    /// `sites`.
    pub const SITES: &[&str] =
        &["site_id", "party", "country", "address", "declared_power_kw", "floor_space_m2"];
}

/// Write a loaded ledger back to `dir` in `format` (all tables, including
/// `sites`; the optional columns are written). Loading the result gives an
/// equal ledger except for source line numbers. Use it to convert between
/// CSV and JSON lines, or to save the valid part of a lenient import.
pub fn write_ledger(l: &crate::Ledger, dir: &Path, format: Format) -> Result<()> {
    use crate::model::{PartyId, PartyKind};
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let pid = |p: Option<PartyId>| p.map_or("", |p| l.party_id_str(p));
    let opt = |d: Option<rust_decimal::Decimal>| d.map(|d| d.to_string()).unwrap_or_default();
    let cty = |c: Option<crate::Country>| c.map(|c| c.as_str().to_string()).unwrap_or_default();

    let mut w = TableWriter::create(dir, "parties", cols::PARTIES, format)?;
    for (i, p) in l.parties.iter().enumerate() {
        w.row(&[
            l.party_ids.resolve(i as u32),
            &p.name,
            p.country.as_str(),
            &p.address,
            &p.phone,
            &p.email,
            &p.website,
            &p.registration_id,
            &p.incorporated_on.map(|d| d.to_string()).unwrap_or_default(),
            pid(p.parent),
            &cty(p.hq_country),
            if p.kind == PartyKind::Person { "person" } else { "company" },
            &p.industry,
        ])?;
    }
    w.finish()?;

    let mut w = TableWriter::create(dir, "sites", cols::SITES, format)?;
    for (i, s) in l.sites.iter().enumerate() {
        w.row(&[
            l.site_ids.resolve(i as u32),
            l.party_id_str(s.party),
            s.country.as_str(),
            &s.address,
            &opt(s.declared_power_kw),
            &opt(s.floor_space_m2),
        ])?;
    }
    w.finish()?;

    let mut w = TableWriter::create(dir, "orders", cols::ORDERS, format)?;
    for (i, o) in l.orders.iter().enumerate() {
        w.row(&[
            l.order_ids.resolve(i as u32),
            &o.date.to_string(),
            l.party_id_str(o.seller),
            l.party_id_str(o.buyer),
            pid(o.bill_to),
            pid(o.ship_to),
            pid(o.end_user),
            l.end_uses.resolve(o.declared_end_use.0),
            &o.value.to_string(),
            o.currency.as_str(),
            o.site.map_or("", |s| l.site_ids.resolve(s.0)),
        ])?;
    }
    w.finish()?;

    let mut w = TableWriter::create(dir, "order_lines", cols::LINES, format)?;
    for x in &l.lines {
        w.row(&[
            l.order_id_str(x.order),
            &l.item(x.item).name,
            &x.quantity.to_string(),
            &x.unit_price.to_string(),
            l.hs_codes.resolve(x.hs_code.0),
        ])?;
    }
    w.finish()?;

    let mut w = TableWriter::create(dir, "shipments", cols::SHIPMENTS, format)?;
    for (i, s) in l.shipments.iter().enumerate() {
        w.row(&[
            l.shipment_ids.resolve(i as u32),
            l.order_id_str(s.order),
            &s.date.to_string(),
            s.from_country.as_str(),
            s.to_country.as_str(),
            pid(s.consignee),
            pid(s.forwarder),
            l.descriptions.resolve(s.declared_description.0),
            &opt(s.declared_value),
            &opt(s.weight_kg),
        ])?;
    }
    w.finish()?;

    let mut w = TableWriter::create(dir, "serial_events", cols::EVENTS, format)?;
    for e in &l.events {
        w.row(&[
            l.serial_str(e.serial),
            &l.item(e.item).name,
            e.kind.name(),
            pid(e.party),
            e.country.as_str(),
            &e.date.to_string(),
            e.shipment.map_or("", |s| l.shipment_id_str(s)),
        ])?;
    }
    w.finish()?;

    let mut w = TableWriter::create(dir, "payments", cols::PAYMENTS, format)?;
    for (i, p) in l.payments.iter().enumerate() {
        w.row(&[
            l.payment_ids.resolve(i as u32),
            l.order_id_str(p.order),
            &p.date.to_string(),
            l.party_id_str(p.payer),
            &cty(p.payer_country),
            &cty(p.bank_country),
            &p.amount.to_string(),
            p.currency.as_str(),
            p.method.name(),
        ])?;
    }
    w.finish()
}
