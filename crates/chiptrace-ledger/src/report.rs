//! The import report: every problem with file, line and column, capped per
//! kind (with full counts), plus what lenient mode dropped.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// How bad a problem is. Errors fail a strict import; warnings never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Suspicious but loadable (extra column, payment long before its order).
    Warning,
    /// The record cannot be trusted; strict mode fails, lenient drops it.
    Error,
}

/// The kinds of problem the importer reports (stable snake_case codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A required table file is absent (neither `.csv` nor `.jsonl`).
    MissingFile,
    /// A file could not be read (I/O error mid-file).
    Unreadable,
    /// Both `X.csv` and `X.jsonl` exist; the CSV file is used.
    AmbiguousFile,
    /// A required column is absent from the header.
    MissingColumn,
    /// A header names a column the format does not define (ignored).
    ExtraColumn,
    /// The same column appears twice in a header.
    DuplicateColumn,
    /// A row has a different number of fields than the header.
    FieldCount,
    /// A line is not valid UTF-8, or a JSON line is not a JSON object.
    Malformed,
    /// A required value is empty.
    MissingValue,
    /// A date is not `YYYY-MM-DD` or not a real calendar date.
    BadDate,
    /// A number (money, quantity, weight, power, area) does not parse.
    BadNumber,
    /// A quantity or amount is negative, or a quantity is zero.
    NegativeValue,
    /// A country is not an assigned ISO 3166-1 alpha-2 code.
    BadCountry,
    /// A currency is not three upper-case letters.
    BadCurrency,
    /// An enumerated value (party kind, event, payment method) is unknown.
    BadEnum,
    /// A primary id appears twice in one table.
    DuplicateId,
    /// A reference names an id that does not exist (or was dropped).
    DanglingReference,
    /// A record is dated before the record it follows from (shipment before
    /// its order).
    DateOrder,
    /// A payment is dated before its order (a prepayment: legal, notable).
    PaymentBeforeOrder,
    /// A serial's events are in an impossible order (received before shipped).
    SerialSequence,
    /// An item matches no chip catalog entry (kept, no TPP).
    UnknownItem,
    /// An item name matches several catalog entries (kept, no TPP).
    AmbiguousItem,
    /// A party is its own ancestor through `parent_party_id`.
    ParentCycle,
}

impl ProblemKind {
    /// The snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            ProblemKind::MissingFile => "missing_file",
            ProblemKind::Unreadable => "unreadable",
            ProblemKind::AmbiguousFile => "ambiguous_file",
            ProblemKind::MissingColumn => "missing_column",
            ProblemKind::ExtraColumn => "extra_column",
            ProblemKind::DuplicateColumn => "duplicate_column",
            ProblemKind::FieldCount => "field_count",
            ProblemKind::Malformed => "malformed",
            ProblemKind::MissingValue => "missing_value",
            ProblemKind::BadDate => "bad_date",
            ProblemKind::BadNumber => "bad_number",
            ProblemKind::NegativeValue => "negative_value",
            ProblemKind::BadCountry => "bad_country",
            ProblemKind::BadCurrency => "bad_currency",
            ProblemKind::BadEnum => "bad_enum",
            ProblemKind::DuplicateId => "duplicate_id",
            ProblemKind::DanglingReference => "dangling_reference",
            ProblemKind::DateOrder => "date_order",
            ProblemKind::PaymentBeforeOrder => "payment_before_order",
            ProblemKind::SerialSequence => "serial_sequence",
            ProblemKind::UnknownItem => "unknown_item",
            ProblemKind::AmbiguousItem => "ambiguous_item",
            ProblemKind::ParentCycle => "parent_cycle",
        }
    }
}

/// One problem, located in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem.
    pub kind: ProblemKind,
    /// File name within the ledger directory (`orders.csv`).
    pub file: String,
    /// 1-based line (the header is line 1 in CSV); 0 for file-level problems.
    pub line: u64,
    /// The column name, when the problem is about one field.
    pub column: Option<String>,
    /// Human-readable detail (quotes the offending value).
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}[{}] {}", self.kind.code(), self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if let Some(c) = &self.column {
            write!(f, ": column {c}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A record that lenient mode removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dropped {
    /// File of the record.
    pub file: String,
    /// Its line.
    pub line: u64,
    /// Its id (or `order_id/item` for lines, `serial@date` for events).
    pub id: String,
    /// Why: its own error, or the record it depended on.
    pub reason: String,
}

/// Default cap on stored problems per (severity, kind); counts stay exact.
pub const DEFAULT_LIMIT_PER_KIND: usize = 50;

/// Everything the importer found.
#[derive(Debug, Clone)]
pub struct Report {
    /// The stored problems (at most `limit_per_kind` per severity and kind),
    /// in the order found per file.
    pub problems: Vec<Problem>,
    /// Records dropped by lenient mode (at most `limit_per_kind` per file).
    pub dropped: Vec<Dropped>,
    /// Exact number of dropped records per file.
    pub dropped_counts: BTreeMap<String, usize>,
    /// Cap applied to `problems` and `dropped`.
    pub limit_per_kind: usize,
    counts: BTreeMap<(Severity, ProblemKind), usize>,
    stored: BTreeMap<(Severity, ProblemKind), usize>,
}

impl Serialize for Report {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct R<'a> {
            summary: String,
            errors: usize,
            warnings: usize,
            counts: BTreeMap<String, usize>,
            problems: &'a [Problem],
            dropped: &'a [Dropped],
            dropped_counts: &'a BTreeMap<String, usize>,
        }
        R {
            summary: self.summary(),
            errors: self.error_count(),
            warnings: self.warning_count(),
            counts: self.counts(),
            problems: &self.problems,
            dropped: &self.dropped,
            dropped_counts: &self.dropped_counts,
        }
        .serialize(s)
    }
}

impl Default for Report {
    fn default() -> Self {
        Report::new(DEFAULT_LIMIT_PER_KIND)
    }
}

fn sev_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

impl Report {
    /// An empty report storing at most `limit_per_kind` problems per kind.
    pub fn new(limit_per_kind: usize) -> Report {
        Report {
            problems: Vec::new(),
            dropped: Vec::new(),
            dropped_counts: BTreeMap::new(),
            limit_per_kind,
            counts: BTreeMap::new(),
            stored: BTreeMap::new(),
        }
    }

    /// Record a problem (stored if under the cap; always counted).
    pub fn push(&mut self, p: Problem) {
        let key = (p.severity, p.kind);
        *self.counts.entry(key).or_default() += 1;
        let n = self.stored.entry(key).or_default();
        if *n < self.limit_per_kind {
            *n += 1;
            self.problems.push(p);
        }
    }

    /// Record a dropped record.
    pub fn drop_record(&mut self, d: Dropped) {
        let n = self.dropped_counts.entry(d.file.clone()).or_default();
        *n += 1;
        if *n <= self.limit_per_kind {
            self.dropped.push(d);
        }
    }

    /// Append another report (per-file reports are merged in a fixed order,
    /// so the result does not depend on thread scheduling).
    pub fn merge(&mut self, other: Report) {
        for p in other.problems {
            self.push(p);
        }
        // Problems beyond the other report's cap were only counted there.
        for (k, n) in other.counts {
            let stored = other.stored.get(&k).copied().unwrap_or(0);
            *self.counts.entry(k).or_default() += n - stored;
        }
        for (file, n) in other.dropped_counts {
            let shown = other.dropped.iter().filter(|d| d.file == file).count();
            *self.dropped_counts.entry(file).or_default() += n - shown;
        }
        for d in other.dropped {
            self.drop_record(d);
        }
    }

    /// Number of error-level problems (exact).
    pub fn error_count(&self) -> usize {
        self.counts.iter().filter(|((s, _), _)| *s == Severity::Error).map(|(_, n)| n).sum()
    }

    /// Number of warnings (exact).
    pub fn warning_count(&self) -> usize {
        self.counts.iter().filter(|((s, _), _)| *s == Severity::Warning).map(|(_, n)| n).sum()
    }

    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// Exact count of one kind at one severity.
    pub fn count(&self, severity: Severity, kind: ProblemKind) -> usize {
        self.counts.get(&(severity, kind)).copied().unwrap_or(0)
    }

    /// Exact counts keyed `"error:bad_date"`, `"warning:extra_column"`, ….
    pub fn counts(&self) -> BTreeMap<String, usize> {
        self.counts
            .iter()
            .map(|((s, k), n)| (format!("{}:{}", sev_name(*s), k.code()), *n))
            .collect()
    }

    /// The stored problems of one kind.
    pub fn of_kind(&self, kind: ProblemKind) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(move |p| p.kind == kind)
    }

    /// Total number of dropped records.
    pub fn dropped_total(&self) -> usize {
        self.dropped_counts.values().sum()
    }

    /// One line: "2 error(s), 1 warning(s), 0 record(s) dropped (error:bad_date 1, …)".
    pub fn summary(&self) -> String {
        let kinds: Vec<String> = self.counts().iter().map(|(k, n)| format!("{k} {n}")).collect();
        format!(
            "{} error(s), {} warning(s), {} record(s) dropped{}",
            self.error_count(),
            self.warning_count(),
            self.dropped_total(),
            if kinds.is_empty() { String::new() } else { format!(" ({})", kinds.join(", ")) }
        )
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.summary())?;
        for p in &self.problems {
            writeln!(f, "{p}")?;
        }
        for ((s, k), n) in &self.counts {
            let shown = self.stored.get(&(*s, *k)).copied().unwrap_or(0);
            if *n > shown {
                writeln!(f, "… and {} more {}[{}]", n - shown, sev_name(*s), k.code())?;
            }
        }
        for d in &self.dropped {
            writeln!(f, "dropped {}:{} {}: {}", d.file, d.line, d.id, d.reason)?;
        }
        for (file, n) in &self.dropped_counts {
            let shown = self.dropped.iter().filter(|d| &d.file == file).count();
            if *n > shown {
                writeln!(f, "… and {} more dropped from {file}", n - shown)?;
            }
        }
        Ok(())
    }
}
