//! Streaming row sources (CSV with a header, or JSON lines) and typed field
//! parsing with located problems.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::str::FromStr;
use std::sync::OnceLock;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::model::{Country, Currency};
use crate::report::{Problem, ProblemKind, Report, Severity};

/// Most columns any table has.
pub(crate) const MAX_COLS: usize = 16;

/// A column of a table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Col {
    pub name: &'static str,
    /// Must appear in a CSV header (values may still be optional).
    pub in_header: bool,
}

const fn c(name: &'static str) -> Col {
    Col { name, in_header: true }
}
const fn opt(name: &'static str) -> Col {
    Col { name, in_header: false }
}

/// A table of the format.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TableSpec {
    pub name: &'static str,
    pub cols: &'static [Col],
    pub required_file: bool,
}

pub(crate) const PARTIES: TableSpec = TableSpec {
    name: "parties",
    required_file: true,
    cols: &[
        c("party_id"),
        c("name"),
        c("country"),
        c("address"),
        c("phone"),
        c("email"),
        c("website"),
        c("registration_id"),
        c("incorporated_on"),
        c("parent_party_id"),
        c("hq_country"),
        c("kind"),
        opt("industry"),
    ],
};
pub(crate) const ORDERS: TableSpec = TableSpec {
    name: "orders",
    required_file: true,
    cols: &[
        c("order_id"),
        c("date"),
        c("seller"),
        c("buyer"),
        c("bill_to"),
        c("ship_to"),
        c("end_user"),
        c("declared_end_use"),
        c("value"),
        c("currency"),
        opt("site_id"),
    ],
};
pub(crate) const LINES: TableSpec = TableSpec {
    name: "order_lines",
    required_file: true,
    cols: &[c("order_id"), c("item"), c("quantity"), c("unit_price"), c("hs_code")],
};
pub(crate) const SHIPMENTS: TableSpec = TableSpec {
    name: "shipments",
    required_file: true,
    cols: &[
        c("shipment_id"),
        c("order_id"),
        c("date"),
        c("from_country"),
        c("to_country"),
        c("consignee"),
        c("forwarder"),
        c("declared_description"),
        c("declared_value"),
        c("weight_kg"),
    ],
};
pub(crate) const EVENTS: TableSpec = TableSpec {
    name: "serial_events",
    required_file: true,
    cols: &[
        c("serial"),
        c("item"),
        c("event"),
        c("party"),
        c("country"),
        c("date"),
        c("shipment_id"),
    ],
};
pub(crate) const PAYMENTS: TableSpec = TableSpec {
    name: "payments",
    required_file: true,
    cols: &[
        c("payment_id"),
        c("order_id"),
        c("date"),
        c("payer"),
        c("payer_country"),
        c("bank_country"),
        c("amount"),
        c("currency"),
        opt("method"),
    ],
};
pub(crate) const SITES: TableSpec = TableSpec {
    name: "sites",
    required_file: false,
    cols: &[
        c("site_id"),
        c("party"),
        c("country"),
        opt("address"),
        c("declared_power_kw"),
        c("floor_space_m2"),
    ],
};

/// File format of one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header line.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

impl Format {
    /// File extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
        }
    }
}

/// One row being parsed: its fields by column index, with helpers that
/// parse and report problems at file:line:column.
pub(crate) struct Row<'a> {
    pub file: &'a str,
    pub spec: &'a TableSpec,
    pub line: u64,
    pub f: [&'a str; MAX_COLS],
    pub ok: bool,
}

impl<'a> Row<'a> {
    pub fn problem(
        &mut self,
        rep: &mut Report,
        sev: Severity,
        kind: ProblemKind,
        col: usize,
        msg: String,
    ) {
        if sev == Severity::Error {
            self.ok = false;
        }
        rep.push(Problem {
            severity: sev,
            kind,
            file: self.file.to_string(),
            line: self.line,
            column: self.spec.cols.get(col).map(|c| c.name.to_string()),
            message: msg,
        });
    }
    pub fn err(&mut self, rep: &mut Report, kind: ProblemKind, col: usize, msg: String) {
        self.problem(rep, Severity::Error, kind, col, msg);
    }
    pub fn text(&self, col: usize) -> &'a str {
        self.f.get(col).copied().unwrap_or("")
    }
    pub fn req(&mut self, rep: &mut Report, col: usize) -> &'a str {
        let v = self.text(col);
        if v.is_empty() {
            self.err(rep, ProblemKind::MissingValue, col, "required value is empty".into());
        }
        v
    }
    pub fn date(&mut self, rep: &mut Report, col: usize, required: bool) -> Option<Date> {
        let v = if required { self.req(rep, col) } else { self.text(col) };
        if v.is_empty() {
            return None;
        }
        match parse_date(v) {
            Some(d) => Some(d),
            None => {
                self.err(
                    rep,
                    ProblemKind::BadDate,
                    col,
                    format!("{v:?} is not a date (YYYY-MM-DD)"),
                );
                None
            }
        }
    }
    /// A non-negative decimal.
    pub fn decimal(&mut self, rep: &mut Report, col: usize, required: bool) -> Option<Decimal> {
        let v = if required { self.req(rep, col) } else { self.text(col) };
        if v.is_empty() {
            return None;
        }
        match parse_decimal(v) {
            Some(d) if d.is_sign_negative() && !d.is_zero() => {
                self.err(rep, ProblemKind::NegativeValue, col, format!("{v:?} is negative"));
                None
            }
            Some(d) => Some(d),
            None => {
                self.err(
                    rep,
                    ProblemKind::BadNumber,
                    col,
                    format!("{v:?} is not a decimal number"),
                );
                None
            }
        }
    }
    /// A positive whole quantity.
    pub fn quantity(&mut self, rep: &mut Report, col: usize) -> u32 {
        let v = self.req(rep, col);
        if v.is_empty() {
            return 0;
        }
        match v.parse::<i64>() {
            Ok(q) if q <= 0 => {
                self.err(
                    rep,
                    ProblemKind::NegativeValue,
                    col,
                    format!("{v:?}: quantity must be at least 1"),
                );
                0
            }
            Ok(q) => match u32::try_from(q) {
                Ok(q) => q,
                Err(_) => {
                    self.err(
                        rep,
                        ProblemKind::BadNumber,
                        col,
                        format!("{v:?}: quantity too large"),
                    );
                    0
                }
            },
            Err(_) => {
                self.err(rep, ProblemKind::BadNumber, col, format!("{v:?} is not a whole number"));
                0
            }
        }
    }
    pub fn country(&mut self, rep: &mut Report, col: usize, required: bool) -> Option<Country> {
        let v = if required { self.req(rep, col) } else { self.text(col) };
        if v.is_empty() {
            return None;
        }
        match country(v) {
            Some(c) => Some(c),
            None => {
                self.err(
                    rep,
                    ProblemKind::BadCountry,
                    col,
                    format!("{v:?} is not an ISO 3166-1 alpha-2 country code"),
                );
                None
            }
        }
    }
    pub fn currency(&mut self, rep: &mut Report, col: usize) -> Option<Currency> {
        let v = self.req(rep, col);
        if v.is_empty() {
            return None;
        }
        let b = v.as_bytes();
        if b.len() == 3 && b.iter().all(u8::is_ascii_alphabetic) {
            let u = v.to_ascii_uppercase();
            let ub = u.as_bytes();
            Some(Currency([ub[0], ub[1], ub[2]]))
        } else {
            self.err(
                rep,
                ProblemKind::BadCurrency,
                col,
                format!("{v:?} is not a 3-letter currency code"),
            );
            None
        }
    }
}

/// `YYYY-MM-DD` (ISO 8601 calendar date) only; a real date.
pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i32> {
        let mut n = 0i32;
        for &c in b.get(r)? {
            if !c.is_ascii_digit() {
                return None;
            }
            n = n * 10 + i32::from(c - b'0');
        }
        Some(n)
    };
    let y = i16::try_from(num(0..4)?).ok()?;
    let m = i8::try_from(num(5..7)?).ok()?;
    let d = i8::try_from(num(8..10)?).ok()?;
    Date::new(y, m, d).ok()
}

/// A plain decimal ("1234.50", "-3", "1e3" is rejected): money is never
/// read through `f64`.
pub(crate) fn parse_decimal(s: &str) -> Option<Decimal> {
    let b = s.as_bytes();
    // Fast path for the common "12345.67": digits and at most one dot, up
    // to 28 digits (fits the 96-bit mantissa); same value and scale as
    // `Decimal::from_str`.
    if !b.is_empty() && b.len() <= 28 {
        let mut m: u128 = 0;
        let mut scale: Option<u32> = None;
        let mut digits = 0;
        let mut ok = true;
        for &c in b {
            match c {
                b'0'..=b'9' => {
                    m = m * 10 + u128::from(c - b'0');
                    digits += 1;
                    if let Some(sc) = scale.as_mut() {
                        *sc += 1;
                    }
                }
                b'.' if scale.is_none() => scale = Some(0),
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if ok && digits > 0 {
            let m = i128::try_from(m).ok()?;
            return Decimal::try_from_i128_with_scale(m, scale.unwrap_or(0)).ok();
        }
    }
    let body = b.strip_prefix(b"-").or_else(|| b.strip_prefix(b"+")).unwrap_or(b);
    if body.is_empty()
        || !body.iter().all(|c| c.is_ascii_digit() || *c == b'.')
        || body.iter().filter(|c| **c == b'.').count() > 1
        || !body.iter().any(u8::is_ascii_digit)
    {
        return None;
    }
    Decimal::from_str(s).ok()
}

/// Validated ISO alpha-2 country; the assigned codes come from
/// `chiptrace_rules::normalize_country`, probed once into a 26×26 table.
pub(crate) fn country(s: &str) -> Option<Country> {
    static TABLE: OnceLock<Vec<bool>> = OnceLock::new();
    let t = TABLE.get_or_init(|| {
        let mut t = vec![false; 26 * 26];
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                let code = [a, b];
                let s = std::str::from_utf8(&code).unwrap_or("");
                if chiptrace_rules::normalize_country("country", s).is_ok() {
                    t[usize::from(a - b'A') * 26 + usize::from(b - b'A')] = true;
                }
            }
        }
        t
    });
    let b = s.as_bytes();
    if b.len() != 2 {
        return None;
    }
    let (x, y) = (b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase());
    if !x.is_ascii_uppercase() || !y.is_ascii_uppercase() {
        return None;
    }
    if t[usize::from(x - b'A') * 26 + usize::from(y - b'A')] { Some(Country([x, y])) } else { None }
}

fn file_problem(
    rep: &mut Report,
    sev: Severity,
    kind: ProblemKind,
    file: &str,
    line: u64,
    col: Option<&str>,
    msg: String,
) {
    rep.push(Problem {
        severity: sev,
        kind,
        file: file.to_string(),
        line,
        column: col.map(String::from),
        message: msg,
    });
}

/// Map header names (case-insensitive, trimmed, BOM stripped) to columns.
/// Returns positions per spec column, or None when a required column is
/// missing (reported).
fn map_header(
    names: &[String],
    spec: &TableSpec,
    file: &str,
    rep: &mut Report,
) -> Option<[Option<usize>; MAX_COLS]> {
    let mut pos = [None; MAX_COLS];
    for (i, raw) in names.iter().enumerate() {
        let n = raw.trim().trim_start_matches('\u{feff}').trim().to_ascii_lowercase();
        match spec.cols.iter().position(|c| c.name == n) {
            Some(ci) if pos[ci].is_some() => file_problem(
                rep,
                Severity::Error,
                ProblemKind::DuplicateColumn,
                file,
                1,
                Some(&n),
                format!("column {n:?} appears twice in the header"),
            ),
            Some(ci) => pos[ci] = Some(i),
            None => file_problem(
                rep,
                Severity::Warning,
                ProblemKind::ExtraColumn,
                file,
                1,
                Some(raw.trim()),
                format!("unknown column {:?} ignored", raw.trim()),
            ),
        }
    }
    let mut ok = true;
    for (ci, col) in spec.cols.iter().enumerate() {
        if col.in_header && pos[ci].is_none() {
            ok = false;
            file_problem(
                rep,
                Severity::Error,
                ProblemKind::MissingColumn,
                file,
                1,
                Some(col.name),
                format!("required column {:?} is missing from the header", col.name),
            );
        }
    }
    if rep.count(Severity::Error, ProblemKind::DuplicateColumn) > 0 {
        ok = false;
    }
    ok.then_some(pos)
}

/// Read every row of a table file, calling `on_row` with the fields.
/// Problems with the file itself go to `rep`. Returns false if the file
/// could not be used at all (missing columns, unreadable).
pub(crate) fn read_table(
    path: &Path,
    format: Format,
    spec: &TableSpec,
    rep: &mut Report,
    mut on_row: impl FnMut(&mut Row<'_>, &mut Report),
) -> bool {
    let file = path
        .file_name()
        .map_or_else(|| spec.name.to_string(), |f| f.to_string_lossy().into_owned());
    let fh = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            file_problem(
                rep,
                Severity::Error,
                ProblemKind::Unreadable,
                &file,
                0,
                None,
                e.to_string(),
            );
            return false;
        }
    };
    let reader = BufReader::with_capacity(1 << 20, fh);
    match format {
        Format::Csv => read_csv(reader, &file, spec, rep, &mut on_row),
        Format::Jsonl => read_jsonl(reader, &file, spec, rep, &mut on_row),
    }
}

fn read_csv(
    reader: impl Read,
    file: &str,
    spec: &TableSpec,
    rep: &mut Report,
    on_row: &mut dyn FnMut(&mut Row<'_>, &mut Report),
) -> bool {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(reader);
    let mut rec = csv::StringRecord::new();
    // Header: the first record.
    let header: Vec<String> = match rdr.read_record(&mut rec) {
        Ok(true) => rec.iter().map(String::from).collect(),
        Ok(false) => {
            file_problem(
                rep,
                Severity::Error,
                ProblemKind::MissingColumn,
                file,
                1,
                None,
                "empty file: no header".into(),
            );
            return false;
        }
        Err(e) => {
            file_problem(
                rep,
                Severity::Error,
                ProblemKind::Malformed,
                file,
                1,
                None,
                format!("bad header: {e}"),
            );
            return false;
        }
    };
    let Some(pos) = map_header(&header, spec, file, rep) else { return false };
    let width = header.len();
    let mut last_err_pos = None;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = rec.position().map_or(0, |p| p.line());
                if rec.len() == 1 && rec.get(0).is_some_and(|s| s.trim().is_empty()) {
                    continue; // blank line
                }
                let mut row = Row { file, spec, line, f: [""; MAX_COLS], ok: true };
                for (ci, p) in pos.iter().enumerate().take(spec.cols.len()) {
                    if let Some(p) = p {
                        row.f[ci] = rec.get(*p).map_or("", str::trim);
                    }
                }
                if rec.len() != width {
                    row.ok = false;
                    file_problem(
                        rep,
                        Severity::Error,
                        ProblemKind::FieldCount,
                        file,
                        line,
                        None,
                        format!("{} fields, the header has {width}", rec.len()),
                    );
                }
                on_row(&mut row, rep);
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let byte = e.position().map(|p| p.byte());
                let is_io = matches!(e.kind(), csv::ErrorKind::Io(_));
                file_problem(
                    rep,
                    Severity::Error,
                    ProblemKind::Malformed,
                    file,
                    line,
                    None,
                    e.to_string(),
                );
                // Stop on I/O errors, or if the reader did not advance past
                // the previous error (never loop forever on bad input).
                if is_io || (byte.is_some() && byte == last_err_pos) {
                    break;
                }
                last_err_pos = byte;
            }
        }
    }
    true
}

/// A JSON object key, borrowed when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(V)
    }
}

/// One JSON line as (key, raw value) pairs.
struct Obj<'de>(Vec<(Key<'de>, &'de RawValue)>);

impl<'de> serde::Deserialize<'de> for Obj<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Obj<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Obj<'de>, A::Error> {
                let mut v = Vec::with_capacity(12);
                while let Some((k, val)) = m.next_entry::<Key<'de>, &'de RawValue>()? {
                    v.push((k, val));
                }
                Ok(Obj(v))
            }
        }
        d.deserialize_map(V)
    }
}

/// The text of a JSON value: strings unescaped, numbers and booleans as
/// written (exact, never through f64), null as empty.
fn raw_text(v: &RawValue) -> Option<Cow<'_, str>> {
    let s = v.get().trim();
    if s == "null" {
        return Some(Cow::Borrowed(""));
    }
    if s.starts_with('"') {
        if !s.contains('\\') && s.len() >= 2 {
            return Some(Cow::Borrowed(&s[1..s.len() - 1]));
        }
        return serde_json::from_str::<String>(s).ok().map(Cow::Owned);
    }
    if s.starts_with('{') || s.starts_with('[') {
        return None;
    }
    Some(Cow::Borrowed(s))
}

fn read_jsonl(
    mut reader: impl BufRead,
    file: &str,
    spec: &TableSpec,
    rep: &mut Report,
    on_row: &mut dyn FnMut(&mut Row<'_>, &mut Report),
) -> bool {
    let mut buf = Vec::new();
    let mut line = 0u64;
    let mut warned_extra: Vec<String> = Vec::new();
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                file_problem(
                    rep,
                    Severity::Error,
                    ProblemKind::Unreadable,
                    file,
                    line + 1,
                    None,
                    e.to_string(),
                );
                break;
            }
        }
        line += 1;
        let Ok(text) = std::str::from_utf8(&buf) else {
            file_problem(
                rep,
                Severity::Error,
                ProblemKind::Malformed,
                file,
                line,
                None,
                "not valid UTF-8".into(),
            );
            continue;
        };
        let text = text.trim().trim_start_matches('\u{feff}');
        if text.is_empty() {
            continue;
        }
        let obj: Obj<'_> = match serde_json::from_str(text) {
            Ok(o) => o,
            Err(e) => {
                file_problem(
                    rep,
                    Severity::Error,
                    ProblemKind::Malformed,
                    file,
                    line,
                    None,
                    format!("not a JSON object: {e}"),
                );
                continue;
            }
        };
        let mut vals: [Cow<'_, str>; MAX_COLS] = Default::default();
        let mut row_ok = true;
        let mut bad_cols: Vec<(usize, String)> = Vec::new();
        for (k, v) in &obj.0 {
            let kn = k.0.trim().to_ascii_lowercase();
            match spec.cols.iter().position(|c| c.name == kn) {
                Some(ci) => match raw_text(v) {
                    Some(t) => vals[ci] = t,
                    None => {
                        row_ok = false;
                        bad_cols.push((ci, v.get().chars().take(40).collect()));
                    }
                },
                None => {
                    if !warned_extra.contains(&kn) && warned_extra.len() < 64 {
                        warned_extra.push(kn.clone());
                        file_problem(
                            rep,
                            Severity::Warning,
                            ProblemKind::ExtraColumn,
                            file,
                            line,
                            Some(&kn),
                            format!("unknown key {kn:?} ignored"),
                        );
                    }
                }
            }
        }
        let mut row = Row { file, spec, line, f: [""; MAX_COLS], ok: row_ok };
        for (ci, v) in vals.iter().enumerate() {
            row.f[ci] = v.trim();
        }
        for (ci, v) in bad_cols {
            row.err(
                rep,
                ProblemKind::Malformed,
                ci,
                format!("{v:?}: objects and arrays are not values"),
            );
        }
        on_row(&mut row, rep);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict_iso() {
        assert_eq!(parse_date("2025-02-28"), Some(Date::constant(2025, 2, 28)));
        assert_eq!(parse_date("2025-02-29"), None);
        assert_eq!(parse_date("2025-2-28"), None);
        assert_eq!(parse_date("28/02/2025"), None);
        assert_eq!(parse_date("２０２５-02-28"), None);
    }

    #[test]
    fn decimals_are_exact_and_plain() {
        assert_eq!(parse_decimal("0.1").map(|d| d.to_string()), Some("0.1".into()));
        assert_eq!(parse_decimal("12,5"), None);
        assert_eq!(parse_decimal("1e3"), None);
        assert_eq!(parse_decimal("."), None);
        assert!(parse_decimal("-5").is_some_and(|d| d.is_sign_negative()));
    }

    #[test]
    fn fast_decimal_path_equals_from_str() {
        for s in [
            "0",
            "1",
            "12.50",
            "0.000",
            "259500.10",
            ".5",
            "5.",
            "9999999999999999999999999999",
            "123456789012345678901234567.8",
        ] {
            let a = parse_decimal(s).expect(s);
            let b = Decimal::from_str(s).expect(s);
            assert_eq!((a, a.scale(), a.to_string()), (b, b.scale(), b.to_string()), "{s}");
        }
    }

    #[test]
    fn countries_use_the_assigned_list() {
        assert_eq!(country("sg").map(|c| c.to_string()), Some("SG".into()));
        assert_eq!(country("UK"), None);
        assert_eq!(country("XX"), None);
        assert_eq!(country("S"), None);
        assert_eq!(country("ÄB"), None);
    }
}
