//! The importer: finds the table files, parses them in parallel (rayon),
//! resolves references through per-file symbol tables, validates, drops
//! invalid records and their dependants in lenient mode, links items to the
//! chip catalog and builds the indexes.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::intern::Interner;
use crate::items::{Item, ItemResolver, Resolution};
use crate::model::*;
use crate::read::{self, Format, Row, TableSpec};
use crate::report::{Dropped, Problem, ProblemKind, Report, Severity};

/// How to import.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Drop invalid records (and records that depend on them) and proceed,
    /// instead of failing on the first error-level problem.
    pub lenient: bool,
    /// Problems stored per (severity, kind); counts are always exact.
    pub limit_per_kind: usize,
    /// Date on which catalog items are classified (control status); default
    /// the latest order date of the ledger.
    pub classify_on: Option<Date>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            lenient: false,
            limit_per_kind: crate::report::DEFAULT_LIMIT_PER_KIND,
            classify_on: None,
        }
    }
}

impl LoadOptions {
    /// Strict options (the default).
    pub fn strict() -> LoadOptions {
        LoadOptions::default()
    }
    /// Lenient options.
    pub fn lenient() -> LoadOptions {
        LoadOptions { lenient: true, ..LoadOptions::default() }
    }
}

/// A successful import: the ledger and the report (warnings; in lenient
/// mode also the errors and what was dropped).
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The ledger.
    pub ledger: Ledger,
    /// Everything found.
    pub report: Report,
    /// Progress marks: (phase, seconds since the start of the import), for
    /// benchmarks (`examples/bench_load.rs --phases`).
    pub phases: Vec<(&'static str, f64)>,
}

/// Import the ledger in `dir` (see docs/ledger.md).
pub fn load(dir: &Path, opts: &LoadOptions) -> Result<Loaded> {
    if !dir.is_dir() {
        return Err(Error::io(
            dir,
            std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
        ));
    }
    let limit = opts.limit_per_kind;
    let mut head = Report::new(limit);
    let find = |spec: &TableSpec, head: &mut Report| -> Option<(PathBuf, Format)> {
        let csv = dir.join(format!("{}.csv", spec.name));
        let jsonl = dir.join(format!("{}.jsonl", spec.name));
        match (csv.is_file(), jsonl.is_file()) {
            (true, true) => {
                head.push(Problem {
                    severity: Severity::Warning,
                    kind: ProblemKind::AmbiguousFile,
                    file: format!("{}.jsonl", spec.name),
                    line: 0,
                    column: None,
                    message: format!("both {0}.csv and {0}.jsonl exist; using {0}.csv", spec.name),
                });
                Some((csv, Format::Csv))
            }
            (true, false) => Some((csv, Format::Csv)),
            (false, true) => Some((jsonl, Format::Jsonl)),
            (false, false) => {
                if spec.required_file {
                    head.push(Problem {
                        severity: Severity::Error,
                        kind: ProblemKind::MissingFile,
                        file: format!("{}.csv", spec.name),
                        line: 0,
                        column: None,
                        message: format!(
                            "required table {0} is missing ({0}.csv or {0}.jsonl)",
                            spec.name
                        ),
                    });
                }
                None
            }
        }
    };
    let f_parties = find(&read::PARTIES, &mut head);
    let f_sites = find(&read::SITES, &mut head);
    let f_orders = find(&read::ORDERS, &mut head);
    let f_lines = find(&read::LINES, &mut head);
    let f_ship = find(&read::SHIPMENTS, &mut head);
    let f_pay = find(&read::PAYMENTS, &mut head);
    let f_events = find(&read::EVENTS, &mut head);

    // Phase marks for `Loaded::phases` (the library prints nothing).
    let t0 = std::time::Instant::now();
    let marks: std::sync::Mutex<Vec<(&'static str, f64)>> = std::sync::Mutex::new(Vec::new());
    let tm = |what: &'static str| {
        if let Ok(mut m) = marks.lock() {
            m.push((what, t0.elapsed().as_secs_f64()));
        }
    };
    // Parse every file independently and in parallel: references are kept
    // as per-file symbols and resolved afterwards, so no file waits for
    // another. The biggest file (serial events) runs beside all others.
    let ((parties, sites, orders), (lines, ship, pay, events)) = rayon::join(
        || {
            let (a, (b, c)) = rayon::join(
                || {
                    let r = parse_parties(f_parties.as_ref(), limit);
                    tm("parties parsed");
                    r
                },
                || {
                    rayon::join(
                        || parse_sites(f_sites.as_ref(), limit),
                        || {
                            let r = parse_orders(f_orders.as_ref(), limit);
                            tm("orders parsed");
                            r
                        },
                    )
                },
            );
            (a, b, c)
        },
        || {
            let (ev, (ln, (sh, py))) = rayon::join(
                || {
                    let r = parse_events(f_events.as_ref(), limit);
                    tm("events parsed");
                    r
                },
                || {
                    rayon::join(
                        || {
                            let r = parse_lines(f_lines.as_ref(), limit);
                            tm("lines parsed");
                            r
                        },
                        || {
                            rayon::join(
                                || {
                                    let r = parse_shipments(f_ship.as_ref(), limit);
                                    tm("shipments parsed");
                                    r
                                },
                                || {
                                    let r = parse_payments(f_pay.as_ref(), limit);
                                    tm("payments parsed");
                                    r
                                },
                            )
                        },
                    )
                },
            );
            (ln, sh, py, ev)
        },
    );
    let mut rep = head;
    for r in [&parties.rep, &sites.rep, &orders.rep, &lines.rep, &ship.rep, &pay.rep, &events.rep] {
        rep.merge(r.clone());
    }
    let lenient = opts.lenient;
    let mut ctx = Ctx { rep, lenient };
    tm("all parsed");
    let ledger =
        resolve_all(&mut ctx, parties, sites, orders, lines, ship, pay, events, opts, &tm)?;
    tm("resolved, indexed");
    let rep = ctx.rep;
    if rep.has_errors() && !lenient {
        return Err(Error::Invalid(Box::new(rep)));
    }
    let phases = marks.into_inner().unwrap_or_default();
    Ok(Loaded { ledger, report: rep, phases })
}

struct Ctx {
    rep: Report,
    lenient: bool,
}

impl Ctx {
    fn dangling(&mut self, file: &str, line: u32, col: &str, what: &str, id: &str) {
        self.rep.push(Problem {
            severity: Severity::Error,
            kind: ProblemKind::DanglingReference,
            file: file.to_string(),
            line: u64::from(line),
            column: Some(col.to_string()),
            message: format!("unknown {what} {id:?}"),
        });
    }
    fn dropped(&mut self, file: &str, line: u32, id: String, reason: String) {
        if self.lenient {
            self.rep.drop_record(Dropped {
                file: file.to_string(),
                line: u64::from(line),
                id,
                reason,
            });
        }
    }
}

/// Primary ids of a table: interned in row order, duplicates detected.
#[derive(Default)]
struct Keys {
    ids: Interner,
    /// interned id → first row.
    first_row: Vec<u32>,
    /// row → interned id (u32::MAX if the id was empty).
    key_of_row: Vec<u32>,
}

impl Keys {
    /// Register row `row`'s id; Err(first row) on a duplicate.
    fn add(&mut self, row: u32, id: &str) -> std::result::Result<(), u32> {
        if id.is_empty() {
            self.key_of_row.push(u32::MAX);
            return Ok(());
        }
        let (k, new) = self.ids.intern_new(id);
        self.key_of_row.push(k);
        if new {
            self.first_row.push(row);
            Ok(())
        } else {
            Err(self.first_row[k as usize])
        }
    }
}

/// Output of parsing one table.
struct Parsed<T> {
    file: String,
    rows: Vec<T>,
    ok: Vec<bool>,
    keys: Keys,
    /// Per-file symbols of references (column-kind specific).
    refs: Interner,
    refs2: Interner,
    items: Interner,
    item_first_line: Vec<u32>,
    rep: Report,
    /// False when the table could not be read at all (required file
    /// missing, required column missing, unreadable): that is already an
    /// error, so references into it drop their records instead of each
    /// reporting a dangling reference.
    usable: bool,
}

impl<T> Parsed<T> {
    fn new(file: String, limit: usize) -> Parsed<T> {
        Parsed {
            file,
            rows: Vec::new(),
            ok: Vec::new(),
            keys: Keys::default(),
            refs: Interner::new(),
            refs2: Interner::new(),
            items: Interner::new(),
            item_first_line: Vec::new(),
            rep: Report::new(limit),
            usable: true,
        }
    }
}

fn file_name(f: Option<&(PathBuf, Format)>, spec: &TableSpec) -> String {
    f.and_then(|(p, _)| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| format!("{}.csv", spec.name))
}

/// Run `row_fn` over every row of `f` (nothing if the file is absent).
/// Rows expected in a table file, from its size and a typical row length,
/// to size vectors and hash tables once instead of growing them by
/// doubling (rehashing a 3M-entry table is a visible cost at 1M orders).
/// Over-estimates are trimmed by `keep` (shrink_to_fit).
fn estimate_rows(f: Option<&(PathBuf, Format)>, spec: &TableSpec) -> usize {
    let Some((path, fmt)) = f else { return 0 };
    let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
    let per_row: u64 = match spec.name {
        "parties" => 190,
        "orders" => 110,
        "order_lines" => 42,
        "shipments" => 105,
        "serial_events" => 62,
        "payments" => 72,
        _ => 80,
    };
    let per_row = if *fmt == Format::Jsonl { per_row * 5 / 2 } else { per_row };
    // Cap the reservation: a huge file of short garbage lines must not
    // reserve gigabytes up front.
    usize::try_from((bytes / per_row).min(50_000_000)).unwrap_or(0)
}

fn parse_table<T>(
    f: Option<&(PathBuf, Format)>,
    spec: &TableSpec,
    limit: usize,
    mut row_fn: impl FnMut(&mut Parsed<T>, &mut Row<'_>, &mut Report) -> Option<T>,
) -> Parsed<T> {
    let mut out: Parsed<T> = Parsed::new(file_name(f, spec), limit);
    let Some((path, fmt)) = f else {
        out.usable = !spec.required_file;
        return out;
    };
    let est = estimate_rows(f, spec);
    out.rows.reserve(est);
    out.ok.reserve(est);
    if spec.cols.first().is_some_and(|c| c.name.ends_with("_id") && spec.name != "order_lines") {
        out.keys.ids.reserve(est);
        out.keys.first_row.reserve(est);
        out.keys.key_of_row.reserve(est);
    }
    // Order references are about one distinct id per row in these tables.
    match spec.name {
        "order_lines" => out.refs.reserve(est),
        "shipments" | "payments" => out.refs2.reserve(est),
        _ => {}
    }
    let mut rep = Report::new(limit);
    let usable = read::read_table(path, *fmt, spec, &mut rep, |row, rep| {
        if let Some(t) = row_fn(&mut out, row, rep) {
            out.rows.push(t);
            out.ok.push(row.ok);
        }
    });
    out.usable = usable;
    out.rep.merge(rep);
    out
}

fn line32(l: u64) -> u32 {
    u32::try_from(l).unwrap_or(u32::MAX)
}

/// Register the primary id of a row (duplicate → error on the row).
fn key<T>(
    p: &mut Parsed<T>,
    row: &mut Row<'_>,
    rep: &mut Report,
    col: usize,
    lines: impl Fn(&T) -> u32,
) {
    let id = row.req(rep, col);
    let n = u32::try_from(p.rows.len()).unwrap_or(u32::MAX);
    if let Err(first) = p.keys.add(n, id) {
        let fl = p.rows.get(first as usize).map_or(0, &lines);
        row.err(
            rep,
            ProblemKind::DuplicateId,
            col,
            format!("duplicate id {id:?} (first on line {fl})"),
        );
    }
}

fn sym(i: &mut Interner, s: &str) -> Option<u32> {
    if s.is_empty() { None } else { Some(i.intern(s)) }
}

fn item_sym<T>(p: &mut Parsed<T>, s: &str, line: u64) -> ItemId {
    let (k, new) = p.items.intern_new(s);
    if new {
        p.item_first_line.push(line32(line));
    }
    ItemId(k)
}

const D0: Date = Date::constant(1970, 1, 1);

fn parse_parties(f: Option<&(PathBuf, Format)>, limit: usize) -> Parsed<Party> {
    parse_table(f, &read::PARTIES, limit, |p, row, rep| {
        key(p, row, rep, 0, |x: &Party| x.line);
        let name = row.req(rep, 1);
        let country = row.country(rep, 2, true);
        let inc = row.date(rep, 8, false);
        let parent = sym(&mut p.refs, row.text(9)).map(PartyId);
        let hq = row.country(rep, 10, false);
        let kind_s = row.req(rep, 11);
        let kind = match kind_s {
            k if k.eq_ignore_ascii_case("company") || k.is_empty() => PartyKind::Company,
            k if k.eq_ignore_ascii_case("person") => PartyKind::Person,
            _ => {
                row.err(
                    rep,
                    ProblemKind::BadEnum,
                    11,
                    format!("{kind_s:?} (expected company or person)"),
                );
                PartyKind::Company
            }
        };
        Some(Party {
            name: name.into(),
            country: country.unwrap_or(Country(*b"??")),
            address: row.text(3).into(),
            phone: row.text(4).into(),
            email: row.text(5).into(),
            website: row.text(6).into(),
            registration_id: row.text(7).into(),
            incorporated_on: inc,
            parent,
            hq_country: hq,
            kind,
            industry: row.text(12).into(),
            line: line32(row.line),
        })
    })
}

fn parse_sites(f: Option<&(PathBuf, Format)>, limit: usize) -> Parsed<Site> {
    parse_table(f, &read::SITES, limit, |p, row, rep| {
        key(p, row, rep, 0, |x: &Site| x.line);
        let party = row.req(rep, 1);
        let party = PartyId(sym(&mut p.refs, party).unwrap_or(u32::MAX));
        let country = row.country(rep, 2, true);
        let power = row.decimal(rep, 4, false);
        let floor = row.decimal(rep, 5, false);
        Some(Site {
            party,
            country: country.unwrap_or(Country(*b"??")),
            address: row.text(3).into(),
            declared_power_kw: power,
            floor_space_m2: floor,
            line: line32(row.line),
        })
    })
}

fn parse_orders(f: Option<&(PathBuf, Format)>, limit: usize) -> Parsed<Order> {
    let mut end_uses = Interner::new();
    let mut out = parse_table(f, &read::ORDERS, limit, |p, row, rep| {
        key(p, row, rep, 0, |x: &Order| x.line);
        let date = row.date(rep, 1, true);
        let seller = row.req(rep, 2);
        let buyer = row.req(rep, 3);
        let seller = PartyId(sym(&mut p.refs, seller).unwrap_or(u32::MAX));
        let buyer = PartyId(sym(&mut p.refs, buyer).unwrap_or(u32::MAX));
        let bill_to = sym(&mut p.refs, row.text(4)).map(PartyId);
        let ship_to = sym(&mut p.refs, row.text(5)).map(PartyId);
        let end_user = sym(&mut p.refs, row.text(6)).map(PartyId);
        let end_use = TextId(end_uses.intern(row.text(7)));
        let value = row.decimal(rep, 8, true);
        let currency = row.currency(rep, 9);
        let site = sym(&mut p.refs2, row.text(10)).map(SiteId);
        Some(Order {
            date: date.unwrap_or(D0),
            seller,
            buyer,
            bill_to,
            ship_to,
            end_user,
            declared_end_use: end_use,
            value: value.unwrap_or_default(),
            currency: currency.unwrap_or(Currency(*b"???")),
            site,
            line: line32(row.line),
        })
    });
    // The end-use texts travel in `items` (unused for orders).
    out.items = end_uses;
    out
}

fn parse_lines(f: Option<&(PathBuf, Format)>, limit: usize) -> Parsed<OrderLine> {
    let mut hs = Interner::new();
    let mut out = parse_table(f, &read::LINES, limit, |p, row, rep| {
        let order = row.req(rep, 0);
        let order = OrderId(sym(&mut p.refs, order).unwrap_or(u32::MAX));
        let item = row.req(rep, 1);
        let item = item_sym(p, item, row.line);
        let quantity = row.quantity(rep, 2);
        let unit_price = row.decimal(rep, 3, true);
        let hs_code = TextId(hs.intern(row.text(4)));
        Some(OrderLine {
            order,
            item,
            quantity,
            unit_price: unit_price.unwrap_or_default(),
            hs_code,
            line: line32(row.line),
        })
    });
    out.refs2 = hs;
    out
}

fn parse_shipments(f: Option<&(PathBuf, Format)>, limit: usize) -> Parsed<Shipment> {
    let mut desc = Interner::new();
    let mut out = parse_table(f, &read::SHIPMENTS, limit, |p, row, rep| {
        key(p, row, rep, 0, |x: &Shipment| x.line);
        let order = row.req(rep, 1);
        let order = OrderId(sym(&mut p.refs2, order).unwrap_or(u32::MAX));
        let date = row.date(rep, 2, true);
        let from = row.country(rep, 3, true);
        let to = row.country(rep, 4, true);
        let consignee = sym(&mut p.refs, row.text(5)).map(PartyId);
        let forwarder = sym(&mut p.refs, row.text(6)).map(PartyId);
        let d = TextId(desc.intern(row.text(7)));
        let value = row.decimal(rep, 8, false);
        let weight = row.decimal(rep, 9, false);
        Some(Shipment {
            order,
            date: date.unwrap_or(D0),
            from_country: from.unwrap_or(Country(*b"??")),
            to_country: to.unwrap_or(Country(*b"??")),
            consignee,
            forwarder,
            declared_description: d,
            declared_value: value,
            weight_kg: weight,
            line: line32(row.line),
        })
    });
    out.items = desc;
    out
}

fn parse_payments(f: Option<&(PathBuf, Format)>, limit: usize) -> Parsed<Payment> {
    parse_table(f, &read::PAYMENTS, limit, |p, row, rep| {
        key(p, row, rep, 0, |x: &Payment| x.line);
        let order = row.req(rep, 1);
        let order = OrderId(sym(&mut p.refs2, order).unwrap_or(u32::MAX));
        let date = row.date(rep, 2, true);
        let payer = row.req(rep, 3);
        let payer = PartyId(sym(&mut p.refs, payer).unwrap_or(u32::MAX));
        let pc = row.country(rep, 4, false);
        let bc = row.country(rep, 5, false);
        let amount = row.decimal(rep, 6, true);
        let currency = row.currency(rep, 7);
        let m = row.text(8);
        let method = match PaymentMethod::parse(m) {
            Some(x) => x,
            None => {
                row.err(
                    rep,
                    ProblemKind::BadEnum,
                    8,
                    format!("{m:?} (expected wire, lc, cash, crypto, card or other)"),
                );
                PaymentMethod::Unknown
            }
        };
        Some(Payment {
            order,
            date: date.unwrap_or(D0),
            payer,
            payer_country: pc,
            bank_country: bc,
            amount: amount.unwrap_or_default(),
            currency: currency.unwrap_or(Currency(*b"???")),
            method,
            line: line32(row.line),
        })
    })
}

fn parse_events(f: Option<&(PathBuf, Format)>, limit: usize) -> Parsed<SerialEvent> {
    let mut serials = Interner::new();
    // About 2.6 events per serial in typical ledgers.
    serials.reserve(estimate_rows(f, &read::EVENTS) / 2);
    let mut out = parse_table(f, &read::EVENTS, limit, |p, row, rep| {
        let serial = row.req(rep, 0);
        let serial = SerialId(serials.intern(serial));
        let item = row.req(rep, 1);
        let item = item_sym(p, item, row.line);
        let ev = row.req(rep, 2);
        let kind = match EventKind::parse(ev) {
            Some(k) => k,
            None => {
                if !ev.is_empty() {
                    row.err(
                        rep,
                        ProblemKind::BadEnum,
                        2,
                        format!("{ev:?} (expected shipped, received, installed, inspected, rma or exported)"),
                    );
                }
                EventKind::Shipped
            }
        };
        let party = sym(&mut p.refs, row.text(3)).map(PartyId);
        let country = row.country(rep, 4, true);
        let date = row.date(rep, 5, true);
        let shipment = sym(&mut p.refs2, row.text(6)).map(ShipmentId);
        Some(SerialEvent {
            serial,
            item,
            kind,
            party,
            country: country.unwrap_or(Country(*b"??")),
            date: date.unwrap_or(D0),
            shipment,
            line: line32(row.line),
        })
    });
    out.keys.ids = serials;
    out
}

/// What a per-file symbol resolved to in the target table.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ref {
    Ok(u32),
    Unknown,
    Dropped,
}

/// Map each symbol of `refs` to the target table's final ids.
fn map_refs<T>(refs: &Interner, target: &Parsed<T>, final_of_key: &[Option<u32>]) -> Vec<Ref> {
    if !target.usable {
        return vec![Ref::Dropped; refs.len()];
    }
    let target = &target.keys;
    // One hash lookup per distinct symbol (up to millions: order ids in
    // lines, shipments and payments), in parallel.
    (0..refs.len())
        .into_par_iter()
        .map(|i| match target.ids.get(refs.resolve(u(i))) {
            None => Ref::Unknown,
            Some(k) => match final_of_key.get(k as usize).copied().flatten() {
                Some(f) => Ref::Ok(f),
                None => Ref::Dropped,
            },
        })
        .collect()
}

/// Compact the valid rows: final id per interned key, new id interner.
fn compact<T>(p: &Parsed<T>, valid: &[bool]) -> (Vec<Option<u32>>, Interner) {
    // The common case: every row valid with its own id. Then the ids are
    // already dense and in row order; copy the interner instead of
    // rebuilding its hash table.
    if p.keys.ids.len() == valid.len() && valid.iter().all(|v| *v) {
        return ((0..valid.len()).map(|i| Some(u(i))).collect(), p.keys.ids.clone());
    }
    let mut final_of_key = vec![None; p.keys.ids.len()];
    let mut ids = Interner::new();
    for (row, &v) in valid.iter().enumerate() {
        if !v {
            continue;
        }
        let k = p.keys.key_of_row.get(row).copied().unwrap_or(u32::MAX);
        if k == u32::MAX {
            continue;
        }
        let s = p.keys.ids.resolve(k);
        let id = ids.intern(s);
        final_of_key[k as usize] = Some(id);
    }
    (final_of_key, ids)
}

/// Check one reference of a row. Returns the final id, or marks the row:
/// unknown → error (own), dropped target → dependent (lenient drop).
struct Check<'a> {
    file: &'a str,
    line: u32,
    own_ok: bool,
    dep_ok: bool,
    reason: Option<String>,
}

impl Check<'_> {
    fn r(
        &mut self,
        ctx: &mut Ctx,
        map: &[Ref],
        refs: &Interner,
        sym: u32,
        col: &str,
        what: &str,
    ) -> u32 {
        match map.get(sym as usize).copied().unwrap_or(Ref::Unknown) {
            Ref::Ok(f) => f,
            Ref::Unknown => {
                if sym != u32::MAX {
                    ctx.dangling(self.file, self.line, col, what, refs.resolve(sym));
                }
                self.own_ok = false;
                u32::MAX
            }
            Ref::Dropped => {
                self.dep_ok = false;
                if self.reason.is_none() {
                    self.reason =
                        Some(format!("depends on dropped {what} {:?}", refs.resolve(sym)));
                }
                u32::MAX
            }
        }
    }
    /// Whether the row survives; if not, record the drop (the id string is
    /// only built for dropped rows: building it per row cost seconds at
    /// 10M rows).
    fn finish(self, ctx: &mut Ctx, row_ok: bool, id: impl FnOnce() -> String) -> bool {
        let ok = row_ok && self.own_ok && self.dep_ok;
        if !ok && ctx.lenient {
            let id = id();
            let reason = if !row_ok || !self.own_ok {
                "invalid record (see its errors)".to_string()
            } else {
                self.reason.unwrap_or_default()
            };
            ctx.dropped(self.file, self.line, id, reason);
        }
        ok
    }
}

#[allow(clippy::too_many_arguments)]
fn resolve_all(
    ctx: &mut Ctx,
    mut parties: Parsed<Party>,
    mut sites: Parsed<Site>,
    mut orders: Parsed<Order>,
    mut lines: Parsed<OrderLine>,
    mut ship: Parsed<Shipment>,
    mut pay: Parsed<Payment>,
    mut events: Parsed<SerialEvent>,
    opts: &LoadOptions,
    tm: &dyn Fn(&'static str),
) -> Result<Ledger> {
    // ---- parties: own validity, then parent chains (memoised walk).
    let n = parties.rows.len();
    let pfile = parties.file.clone();
    let parent_key: Vec<Option<u32>> = parties
        .rows
        .iter()
        .map(|p| {
            p.parent.map(|s| parties.keys.ids.get(parties.refs.resolve(s.0)).unwrap_or(u32::MAX))
        })
        .collect();
    let mut own = parties.ok.clone();
    for (i, pk) in parent_key.iter().enumerate() {
        // A duplicate row is not the canonical row of its key.
        let k = parties.keys.key_of_row[i];
        if k != u32::MAX && parties.keys.first_row[k as usize] as usize != i {
            own[i] = false;
        }
        if *pk == Some(u32::MAX) {
            let s = parties.rows[i].parent.map_or("", |s| parties.refs.resolve(s.0)).to_string();
            ctx.dangling(&pfile, parties.rows[i].line, "parent_party_id", "party", &s);
            own[i] = false;
        }
    }
    // state: 0 unknown, 1 on path, 2 valid, 3 invalid
    let mut state = vec![0u8; n];
    for start in 0..n {
        let mut path = Vec::new();
        let mut cur = start;
        let verdict = loop {
            match state[cur] {
                2 => break true,
                3 => break false,
                1 => {
                    ctx.rep.push(Problem {
                        severity: Severity::Warning,
                        kind: ProblemKind::ParentCycle,
                        file: pfile.clone(),
                        line: u64::from(parties.rows[cur].line),
                        column: Some("parent_party_id".into()),
                        message: "party is its own ancestor through parent_party_id".into(),
                    });
                    break true;
                }
                _ => {}
            }
            state[cur] = 1;
            path.push(cur);
            if !own[cur] {
                break false;
            }
            match parent_key[cur] {
                Some(k) if k != u32::MAX => cur = parties.keys.first_row[k as usize] as usize,
                _ => break true,
            }
        };
        // Everything on the path shares the verdict of its top, except that
        // an own-invalid node makes its descendants invalid.
        let mut v = verdict;
        for &node in path.iter().rev() {
            if !own[node] {
                v = false;
            }
            state[node] = if v { 2 } else { 3 };
        }
    }
    let pvalid: Vec<bool> = (0..n).map(|i| state[i] == 2 && own[i]).collect();
    for i in 0..n {
        if !pvalid[i] {
            let id = parties.keys.ids.resolve(parties.keys.key_of_row[i]).to_string();
            let reason = if !own[i] {
                "invalid record (see its errors)".to_string()
            } else {
                let parent = parent_key[i]
                    .map_or(String::new(), |k| parties.keys.ids.resolve(k).to_string());
                format!("depends on dropped party {parent:?} (parent)")
            };
            ctx.dropped(&pfile, parties.rows[i].line, id, reason);
        }
    }
    let (party_final, party_ids) = compact(&parties, &pvalid);
    let party_map = map_refs(&parties.refs, &parties, &party_final);
    let mut out_parties = Vec::with_capacity(party_ids.len());
    for (i, mut p) in std::mem::take(&mut parties.rows).into_iter().enumerate() {
        if !pvalid[i] {
            continue;
        }
        p.parent = p.parent.and_then(|s| match party_map.get(s.index()) {
            Some(Ref::Ok(f)) => Some(PartyId(*f)),
            _ => None,
        });
        out_parties.push(p);
    }

    // ---- sites
    let sfile = sites.file.clone();
    let site_party = map_refs(&sites.refs, &parties, &party_final);
    let mut svalid = vec![false; sites.rows.len()];
    for (i, s) in sites.rows.iter_mut().enumerate() {
        let mut c = Check { file: &sfile, line: s.line, own_ok: true, dep_ok: true, reason: None };
        s.party = PartyId(c.r(ctx, &site_party, &sites.refs, s.party.0, "party", "party"));
        let canonical = is_canonical(&sites.keys, i);
        svalid[i] = c.finish(ctx, sites.ok[i] && canonical, || {
            sites.keys.ids.resolve(sites.keys.key_of_row[i]).to_string()
        });
    }
    let (site_final, site_ids) = compact(&sites, &svalid);
    let out_sites = keep(std::mem::take(&mut sites.rows), &svalid);

    // ---- orders
    let ofile = orders.file.clone();
    let o_party = map_refs(&orders.refs, &parties, &party_final);
    let o_site = map_refs(&orders.refs2, &sites, &site_final);
    let mut ovalid = vec![false; orders.rows.len()];
    for (i, o) in orders.rows.iter_mut().enumerate() {
        let mut c = Check { file: &ofile, line: o.line, own_ok: true, dep_ok: true, reason: None };
        let rf = &orders.refs;
        o.seller = PartyId(c.r(ctx, &o_party, rf, o.seller.0, "seller", "party"));
        o.buyer = PartyId(c.r(ctx, &o_party, rf, o.buyer.0, "buyer", "party"));
        o.bill_to = o.bill_to.map(|p| PartyId(c.r(ctx, &o_party, rf, p.0, "bill_to", "party")));
        o.ship_to = o.ship_to.map(|p| PartyId(c.r(ctx, &o_party, rf, p.0, "ship_to", "party")));
        o.end_user = o.end_user.map(|p| PartyId(c.r(ctx, &o_party, rf, p.0, "end_user", "party")));
        o.site = o.site.map(|s| SiteId(c.r(ctx, &o_site, &orders.refs2, s.0, "site_id", "site")));
        let canonical = is_canonical(&orders.keys, i);
        ovalid[i] = c.finish(ctx, orders.ok[i] && canonical, || {
            orders.keys.ids.resolve(orders.keys.key_of_row[i]).to_string()
        });
    }
    let (order_final, order_ids) = compact(&orders, &ovalid);
    let out_orders = keep(std::mem::take(&mut orders.rows), &ovalid);

    // ---- order lines
    let lfile = lines.file.clone();
    let l_order = map_refs(&lines.refs, &orders, &order_final);
    let mut lvalid = vec![false; lines.rows.len()];
    for (i, l) in lines.rows.iter_mut().enumerate() {
        let mut c = Check { file: &lfile, line: l.line, own_ok: true, dep_ok: true, reason: None };
        let osym = l.order.0;
        l.order = OrderId(c.r(ctx, &l_order, &lines.refs, osym, "order_id", "order"));
        lvalid[i] = c.finish(ctx, lines.ok[i], || {
            format!("{}/{}", lines.refs.resolve(osym), lines.items.resolve(l.item.0))
        });
    }

    // ---- shipments
    let shfile = ship.file.clone();
    let sh_order = map_refs(&ship.refs2, &orders, &order_final);
    let sh_party = map_refs(&ship.refs, &parties, &party_final);
    let mut shvalid = vec![false; ship.rows.len()];
    for (i, s) in ship.rows.iter_mut().enumerate() {
        let mut c = Check { file: &shfile, line: s.line, own_ok: true, dep_ok: true, reason: None };
        let osym = s.order.0;
        s.order = OrderId(c.r(ctx, &sh_order, &ship.refs2, osym, "order_id", "order"));
        s.consignee = s
            .consignee
            .map(|p| PartyId(c.r(ctx, &sh_party, &ship.refs, p.0, "consignee", "party")));
        s.forwarder = s
            .forwarder
            .map(|p| PartyId(c.r(ctx, &sh_party, &ship.refs, p.0, "forwarder", "party")));
        let mut row_ok = ship.ok[i] && is_canonical(&ship.keys, i);
        if let Some(o) = out_orders.get(s.order.index())
            && ship.ok[i]
            && s.date < o.date
        {
            row_ok = false;
            ctx.rep.push(Problem {
                severity: Severity::Error,
                kind: ProblemKind::DateOrder,
                file: shfile.clone(),
                line: u64::from(s.line),
                column: Some("date".into()),
                message: format!(
                    "shipment dated {} is before its order {:?} ({})",
                    s.date,
                    ship.refs2.resolve(osym),
                    o.date
                ),
            });
        }
        shvalid[i] =
            c.finish(ctx, row_ok, || ship.keys.ids.resolve(ship.keys.key_of_row[i]).to_string());
    }
    let (ship_final, shipment_ids) = compact(&ship, &shvalid);

    // ---- payments
    let pfile2 = pay.file.clone();
    let py_order = map_refs(&pay.refs2, &orders, &order_final);
    let py_party = map_refs(&pay.refs, &parties, &party_final);
    let mut pyvalid = vec![false; pay.rows.len()];
    for (i, p) in pay.rows.iter_mut().enumerate() {
        let mut c = Check { file: &pfile2, line: p.line, own_ok: true, dep_ok: true, reason: None };
        let osym = p.order.0;
        p.order = OrderId(c.r(ctx, &py_order, &pay.refs2, osym, "order_id", "order"));
        p.payer = PartyId(c.r(ctx, &py_party, &pay.refs, p.payer.0, "payer", "party"));
        if let Some(o) = out_orders.get(p.order.index())
            && pay.ok[i]
            && p.date < o.date
        {
            // A payment before its order is a prepayment or deposit: legal
            // and common, so a warning; detectors may still use it.
            ctx.rep.push(Problem {
                severity: Severity::Warning,
                kind: ProblemKind::PaymentBeforeOrder,
                file: pfile2.clone(),
                line: u64::from(p.line),
                column: Some("date".into()),
                message: format!(
                    "payment dated {} is before its order {:?} ({})",
                    p.date,
                    pay.refs2.resolve(osym),
                    o.date
                ),
            });
        }
        let canonical = is_canonical(&pay.keys, i);
        pyvalid[i] = c.finish(ctx, pay.ok[i] && canonical, || {
            pay.keys.ids.resolve(pay.keys.key_of_row[i]).to_string()
        });
    }
    let (_, payment_ids) = compact(&pay, &pyvalid);

    // ---- serial events
    let efile = events.file.clone();
    let ev_ship = map_refs(&events.refs2, &ship, &ship_final);
    let ev_party = map_refs(&events.refs, &parties, &party_final);
    let mut evalid = vec![false; events.rows.len()];
    for (i, e) in events.rows.iter_mut().enumerate() {
        let mut c = Check { file: &efile, line: e.line, own_ok: true, dep_ok: true, reason: None };
        e.shipment = e
            .shipment
            .map(|s| ShipmentId(c.r(ctx, &ev_ship, &events.refs2, s.0, "shipment_id", "shipment")));
        e.party =
            e.party.map(|p| PartyId(c.r(ctx, &ev_party, &events.refs, p.0, "party", "party")));
        evalid[i] = c.finish(ctx, events.ok[i], || {
            format!("{}@{}", events.keys.ids.resolve(e.serial.0), e.date)
        });
    }

    tm("references resolved");
    // ---- items: merge the per-file item symbols, resolve each once.
    let classify_on = opts
        .classify_on
        .or_else(|| out_orders.iter().map(|o| o.date).max())
        .unwrap_or(Date::constant(2026, 1, 1));
    let mut item_names = Interner::new();
    let line_items: Vec<u32> = lines.items.iter().map(|s| item_names.intern(s)).collect();
    let event_items: Vec<u32> = events.items.iter().map(|s| item_names.intern(s)).collect();
    let mut resolver = ItemResolver::new(classify_on)?;
    let items: Vec<Item> = item_names
        .iter()
        .map(|name| Item { name: name.into(), resolution: resolver.resolve(name) })
        .collect();
    // One warning per distinct unresolved item, at its first use.
    let mut uses = vec![0usize; items.len()];
    for l in &lines.rows {
        if let Some(&g) = line_items.get(l.item.index()) {
            uses[g as usize] += 1;
        }
    }
    for e in &events.rows {
        if let Some(&g) = event_items.get(e.item.index()) {
            uses[g as usize] += 1;
        }
    }
    let mut warned = vec![false; items.len()];
    for (syms, firsts, file) in [
        (&line_items, &lines.item_first_line, &lfile),
        (&event_items, &events.item_first_line, &efile),
    ] {
        for (local, &g) in syms.iter().enumerate() {
            let g = g as usize;
            if warned[g] {
                continue;
            }
            let (kind, msg) = match &items[g].resolution {
                Resolution::Catalog(_) => continue,
                Resolution::Unknown => (
                    ProblemKind::UnknownItem,
                    format!(
                        "item {:?} matches no chip catalog entry ({} uses; kept without TPP)",
                        items[g].name, uses[g]
                    ),
                ),
                Resolution::Ambiguous { candidates } => (
                    ProblemKind::AmbiguousItem,
                    format!(
                        "item {:?} matches several catalog entries: {}",
                        items[g].name,
                        candidates.join(", ")
                    ),
                ),
            };
            warned[g] = true;
            ctx.rep.push(Problem {
                severity: Severity::Warning,
                kind,
                file: file.clone(),
                line: u64::from(firsts.get(local).copied().unwrap_or(0)),
                column: Some("item".into()),
                message: msg,
            });
        }
    }
    let mut out_lines = keep(std::mem::take(&mut lines.rows), &lvalid);
    for l in &mut out_lines {
        l.item = ItemId(line_items.get(l.item.index()).copied().unwrap_or(0));
    }
    let mut out_events = keep(std::mem::take(&mut events.rows), &evalid);
    for e in &mut out_events {
        e.item = ItemId(event_items.get(e.item.index()).copied().unwrap_or(0));
    }
    let out_ship = keep(std::mem::take(&mut ship.rows), &shvalid);
    let out_pay = keep(std::mem::take(&mut pay.rows), &pyvalid);

    let mut ledger = Ledger {
        party_ids,
        parties: out_parties,
        order_ids,
        orders: out_orders,
        lines: out_lines,
        shipment_ids,
        shipments: out_ship,
        payment_ids,
        payments: out_pay,
        site_ids,
        sites: out_sites,
        serials: std::mem::take(&mut events.keys.ids),
        events: out_events,
        items,
        end_uses: std::mem::take(&mut orders.items),
        descriptions: std::mem::take(&mut ship.items),
        hs_codes: std::mem::take(&mut lines.refs2),
        index: Indexes::default(),
    };
    tm("items resolved, rows kept");
    build_indexes(&mut ledger);
    tm("indexes built");
    check_serial_sequences(ctx, &ledger, &efile);
    Ok(ledger)
}

fn is_canonical(k: &Keys, row: usize) -> bool {
    match k.key_of_row.get(row) {
        Some(&key) if key != u32::MAX => k.first_row[key as usize] as usize == row,
        _ => false,
    }
}

/// Keep the valid rows, in place, and return the spare capacity (the
/// parse vectors grew by doubling).
fn keep<T>(mut rows: Vec<T>, valid: &[bool]) -> Vec<T> {
    let mut i = 0;
    rows.retain(|_| {
        let v = valid.get(i).copied().unwrap_or(false);
        i += 1;
        v
    });
    rows.shrink_to_fit();
    rows
}

fn u(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Build every index once (the CSRs in parallel).
pub(crate) fn build_indexes(l: &mut Ledger) {
    let np = l.parties.len();
    let no = l.orders.len();
    let (
        (by_party, by_order_lines),
        ((ship_by_order, pay_by_order), (ev_serial, (ev_ship, sites))),
    ) = rayon::join(
        || {
            rayon::join(
                || {
                    let pairs = l.orders.iter().enumerate().flat_map(|(i, o)| {
                        let mut ps =
                            [Some(o.seller), Some(o.buyer), o.bill_to, o.ship_to, o.end_user];
                        // Each order once per party.
                        for a in 0..ps.len() {
                            for b in 0..a {
                                if ps[a].is_some() && ps[a] == ps[b] {
                                    ps[a] = None;
                                }
                            }
                        }
                        ps.into_iter().flatten().map(move |p| (p.0, u(i)))
                    });
                    Csr::build(np, pairs)
                },
                || Csr::build(no, l.lines.iter().enumerate().map(|(i, x)| (x.order.0, u(i)))),
            )
        },
        || {
            rayon::join(
                || {
                    rayon::join(
                        || {
                            Csr::build(
                                no,
                                l.shipments.iter().enumerate().map(|(i, x)| (x.order.0, u(i))),
                            )
                        },
                        || {
                            Csr::build(
                                no,
                                l.payments.iter().enumerate().map(|(i, x)| (x.order.0, u(i))),
                            )
                        },
                    )
                },
                || {
                    rayon::join(
                        || {
                            let mut c = Csr::build(
                                l.serials.len(),
                                l.events.iter().enumerate().map(|(i, e)| (e.serial.0, u(i))),
                            );
                            for s in 0..c.keys() {
                                let ev = &l.events;
                                c.get_mut(s).sort_by_key(|&i| {
                                    let e = &ev[i as usize];
                                    (e.date, e.kind, e.line)
                                });
                            }
                            c
                        },
                        || {
                            rayon::join(
                                || {
                                    Csr::build(
                                        l.shipments.len(),
                                        l.events
                                            .iter()
                                            .enumerate()
                                            .filter_map(|(i, e)| e.shipment.map(|s| (s.0, u(i)))),
                                    )
                                },
                                || {
                                    Csr::build(
                                        np,
                                        l.sites.iter().enumerate().map(|(i, s)| (s.party.0, u(i))),
                                    )
                                },
                            )
                        },
                    )
                },
            )
        },
    );
    l.index = Indexes {
        orders_by_party: by_party,
        lines_by_order: by_order_lines,
        shipments_by_order: ship_by_order,
        payments_by_order: pay_by_order,
        events_by_serial: ev_serial,
        events_by_shipment: ev_ship,
        sites_by_party: sites,
    };
}

/// Warn about impossible event orders per serial: anything dated before
/// the serial's first `shipped`, and `installed` before its first
/// `received`. Warnings, not errors: these are exactly the anomalies a
/// detector must see, so the records stay.
fn check_serial_sequences(ctx: &mut Ctx, l: &Ledger, file: &str) {
    let found: Vec<(u32, String)> = (0..l.serials.len())
        .into_par_iter()
        .filter_map(|s| {
            let evs: Vec<&SerialEvent> = l.events_of(SerialId(u(s))).collect();
            let first_shipped =
                evs.iter().filter(|e| e.kind == EventKind::Shipped).map(|e| e.date).min()?;
            let first_received =
                evs.iter().filter(|e| e.kind == EventKind::Received).map(|e| e.date).min();
            for e in &evs {
                if e.kind != EventKind::Shipped && e.date < first_shipped {
                    return Some((
                        e.line,
                        format!(
                            "serial {:?}: {} on {} before it was first shipped ({})",
                            l.serial_str(e.serial),
                            e.kind.name(),
                            e.date,
                            first_shipped
                        ),
                    ));
                }
                if e.kind == EventKind::Installed
                    && let Some(r) = first_received
                    && e.date < r
                {
                    return Some((
                        e.line,
                        format!(
                            "serial {:?}: installed on {} before it was first received ({r})",
                            l.serial_str(e.serial),
                            e.date
                        ),
                    ));
                }
            }
            None
        })
        .collect();
    for (line, msg) in found {
        ctx.rep.push(Problem {
            severity: Severity::Warning,
            kind: ProblemKind::SerialSequence,
            file: file.to_string(),
            line: u64::from(line),
            column: Some("date".into()),
            message: msg,
        });
    }
}
