//! Helpers shared by the integration tests of chiptrace-rules.
#![allow(dead_code)] // each test binary uses a subset

use std::str::FromStr;
use std::sync::OnceLock;

use chiptrace_rules::{
    Catalog, ChipSpec, Classification, Datacenter, Date, Decimal, Precision, RuleSet, classify,
    parse_date,
};

/// The embedded rule data, loaded once per test binary.
pub fn rules() -> &'static RuleSet {
    static R: OnceLock<RuleSet> = OnceLock::new();
    R.get_or_init(|| RuleSet::embedded().expect("embedded rules load"))
}

/// The embedded catalog, loaded once per test binary.
pub fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| Catalog::embedded().expect("embedded catalog loads"))
}

/// Exact decimal from text.
pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|e| panic!("bad decimal {s:?}: {e}"))
}

pub fn date(s: &str) -> Date {
    parse_date("date", s).unwrap_or_else(|e| panic!("bad date {s:?}: {e}"))
}

/// Classify under the embedded rules on `day` (YYYY-MM-DD).
pub fn classify_on(spec: &ChipSpec, day: &str) -> Classification {
    classify(rules(), spec, date(day))
        .unwrap_or_else(|e| panic!("classify {} on {day}: {e}", spec.name))
}

/// The catalog spec of `name`.
pub fn cat(name: &str) -> ChipSpec {
    catalog().spec_for(name).unwrap_or_else(|e| panic!("catalog lookup {name:?}: {e}"))
}

/// An IC whose only figure is FP16 = tpp / 16 (exact: 16 = 2^4), so its TPP
/// is exactly `tpp`.
pub fn ic_tpp(tpp: &str, area: Option<&str>, dc: Datacenter) -> ChipSpec {
    let mut s = ChipSpec::ic(&format!("test IC tpp {tpp}"));
    s.dense.insert(Precision::Fp16, d(tpp) / Decimal::from(16));
    s.die_area_mm2 = area.map(d);
    s.datacenter = dc;
    s
}

/// Outcome name as in the JSON contract ("3A090.a", "not_controlled", ...).
pub fn outcome(c: &Classification) -> &'static str {
    c.classification.name()
}
