//! Export-control rules for advanced-computing items, as dated data.
//!
//! * [`RuleSet`] loads the rule versions in `rules/` (one folder per effective
//!   date, each value with its citation and evidence level) and answers "which
//!   rules were in force on this date" ([`RuleSet::at`]).
//! * [`CountryGroups`] holds the country groups of Supp. No. 1 to Part 740 as
//!   dated membership intervals.
//! * [`classify`] classifies an integrated circuit, an HBM stack or a system
//!   under ECCN 3A090 / 4A090 (and routes to `.z` paragraphs), with exact
//!   decimal arithmetic and a trace of every comparison.
//! * [`Catalog`] is the project's chip catalog (`catalog/chips.csv`).
//!
//! The reference for every rule is `shared/design/export-rules.md`; comments
//! cite its sections and the regulation.

mod catalog;
mod classify;
mod countries;
mod data;
mod error;
mod spec;

pub use catalog::{Catalog, CatalogEntry, CatalogKind, lookup_key};
pub use classify::{
    Branch, Classification, Outcome, Overlay, PartSummary, Quantities, Step, TppTerm, classify,
    classify_all, evaluate_condition, opt_num,
};
pub use countries::{CountryGroups, normalize_country};
pub use data::{
    Bound, Condition, CountrySet, DatacenterNote, DestinationScope, Disputed, EndUseKind,
    EndUseRule, Evidence, Exception, HqRule, Letter, Level, Notice, Paragraph, Policy, Quantity,
    ReviewOverlay, ReviewPolicy, Role, RuleMeta, RuleSet, RulesAt, Suspension, SystemEccn, Systems,
    TariffBand, Test, TxType, When, ZRoute, describe_set,
};
pub use error::{Error, Result};
pub use spec::{ChipSpec, Datacenter, ItemKind, Precision, SystemPart, Unit};

pub use jiff::civil::Date;
pub use rust_decimal::Decimal;

/// Version of the classification / determination code; recorded with every
/// decision so it can be reproduced from (inputs, rule data, code version).
pub const ENGINE_VERSION: &str = concat!("chiptrace-rules/", env!("CARGO_PKG_VERSION"));

/// Parse a `YYYY-MM-DD` date, naming `field` in the error.
pub fn parse_date(field: &str, s: &str) -> Result<Date> {
    let t = s.trim();
    if t.len() != 10 {
        return Err(Error::field(field, format!("expected a date YYYY-MM-DD, got {s:?}")));
    }
    t.parse::<Date>()
        .map_err(|e| Error::field(field, format!("expected a date YYYY-MM-DD, got {s:?} ({e})")))
}
