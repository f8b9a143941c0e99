//! Classification of ICs, HBM and systems under ECCN 3A090 / 4A090 by rule
//! version (export-rules.md §9.2).
//!
//! * TPP = max over precisions of dense throughput × bit length (Technical
//!   Notes 1–3 to 3A090), summed over processing units when several are given
//!   (Note 1.d). Every term is in the trace so a reviewer sees near-ties.
//! * Performance density is never divided out for a decision: `pd >= k` is
//!   evaluated as `tpp >= k × area` (exact decimals, §9.3).
//! * A missing input that decides gives `indeterminate` with the input named;
//!   an unknown datacenter flag gives both branches (Note 2 to 3A090).

use std::collections::BTreeSet;

use jiff::civil::Date;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::data::{Condition, Evidence, Level, Paragraph, Quantity, RuleSet, RulesAt};
use crate::error::Result;
use crate::spec::{ChipSpec, Datacenter, ItemKind, Precision};

/// The classification result categories of the CLI contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Outcome {
    #[serde(rename = "3A090.a")]
    A,
    #[serde(rename = "3A090.b")]
    B,
    #[serde(rename = "3A090.c")]
    C,
    #[serde(rename = "4A090.a")]
    SysA,
    #[serde(rename = "4A090.b")]
    SysB,
    #[serde(rename = "not_controlled")]
    NotControlled,
    #[serde(rename = "indeterminate")]
    Indeterminate,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::A => "3A090.a",
            Outcome::B => "3A090.b",
            Outcome::C => "3A090.c",
            Outcome::SysA => "4A090.a",
            Outcome::SysB => "4A090.b",
            Outcome::NotControlled => "not_controlled",
            Outcome::Indeterminate => "indeterminate",
        }
    }
    /// The control level (.a / .b / .c) for licensing, if controlled.
    pub fn level(self) -> Option<Level> {
        match self {
            Outcome::A | Outcome::SysA => Some(Level::A),
            Outcome::B | Outcome::SysB => Some(Level::B),
            Outcome::C => Some(Level::C),
            _ => None,
        }
    }
    fn rank(self) -> u8 {
        match self {
            Outcome::A | Outcome::SysA => 4,
            Outcome::B | Outcome::SysB => 2,
            Outcome::C => 3,
            Outcome::Indeterminate => 1,
            Outcome::NotControlled => 0,
        }
    }
}

/// One term of the TPP computation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TppTerm {
    /// Processing unit (heterogeneous ICs) or "" for the whole IC.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub unit: String,
    pub precision: Precision,
    #[serde(with = "num")]
    pub dense: Decimal,
    pub bits: u32,
    #[serde(with = "num")]
    pub tpp: Decimal,
    /// Whether this term is the maximum (of its unit).
    pub max: bool,
}

/// One step of the reasoning, with its citation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub rule: String,
    pub citation: String,
    pub evidence: Evidence,
    pub check: String,
    pub outcome: String,
}

/// One datacenter branch (when the flag is unknown and decides).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Branch {
    pub datacenter: Datacenter,
    pub classification: Outcome,
    pub paragraph: Option<String>,
    pub paragraphs: Vec<String>,
    pub eccn: Option<String>,
    pub nac_aca_eligible: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// Informational results beside the ECCN (never change it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlay {
    pub id: String,
    pub text: String,
    /// `inside` / `outside` / `indeterminate` / `not_enforced` / `applies`.
    pub result: String,
    pub check: String,
    pub citation: String,
    pub evidence: Evidence,
}

/// Summary of a contained IC of a system.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartSummary {
    pub name: String,
    pub count: u32,
    #[serde(with = "opt_num")]
    pub tpp: Option<Decimal>,
    pub classification: Outcome,
    pub paragraph: Option<String>,
}

/// The result of classifying one item on one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    pub item: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalog_id: Option<String>,
    pub kind: &'static str,
    pub date: Date,
    pub rule_version: String,
    pub rule_citation: String,
    /// Citation of the test applied (the version that set the 3A090 / 3A090.c
    /// paragraphs in force), which may be older than `rule_version`.
    pub test_citation: Option<String>,
    pub rule_data: String,
    pub engine: &'static str,
    #[serde(with = "opt_num")]
    pub tpp: Option<Decimal>,
    pub tpp_terms: Vec<TppTerm>,
    /// TPP / applicable die area, rounded to 4 decimals for display only.
    #[serde(with = "opt_num")]
    pub performance_density: Option<Decimal>,
    #[serde(with = "opt_num")]
    pub die_area_mm2: Option<Decimal>,
    #[serde(with = "opt_num", skip_serializing_if = "Option::is_none")]
    pub memory_bandwidth_density: Option<Decimal>,
    #[serde(with = "opt_num", skip_serializing_if = "Option::is_none")]
    pub system_tpp: Option<Decimal>,
    pub datacenter: Datacenter,
    pub classification: Outcome,
    pub paragraph: Option<String>,
    pub paragraphs: Vec<String>,
    /// The ECCN after `.z` routing (or the 3A090/4A090 paragraph ECCN).
    pub eccn: Option<String>,
    /// NAC/ACA eligibility under the exception's item scope (§740.8): false
    /// for items designed or marketed for datacenters that meet 3A090.a.
    pub nac_aca_eligible: Option<bool>,
    /// Inputs that would settle an indeterminate result.
    pub missing: Vec<String>,
    /// Possible outcomes of an indeterminate result.
    pub possible: Vec<Outcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branches: Option<Vec<Branch>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contains: Vec<PartSummary>,
    pub overlays: Vec<Overlay>,
    pub warnings: Vec<String>,
    /// True when a step relies on a secondary or recalled source.
    pub unverified: bool,
    pub trace: Vec<Step>,
}

pub(crate) mod num {
    use rust_decimal::Decimal;
    use serde::Serializer;
    pub fn serialize<S: Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        super::opt_num::serialize(&Some(*v), s)
    }
}

/// Serialise `Option<Decimal>` as a JSON number (shared with the licence engine).
pub mod opt_num {
    use rust_decimal::Decimal;
    use serde::Serializer;
    /// Decimals as JSON numbers (exact text via the shortest f64 that
    /// round-trips the displayed decimal; figures here have ≤ 15 digits).
    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            None => s.serialize_none(),
            Some(d) => {
                let t = d.normalize().to_string();
                match t.parse::<i64>() {
                    Ok(i) => s.serialize_i64(i),
                    Err(_) => s.serialize_f64(t.parse::<f64>().unwrap_or(f64::NAN)),
                }
            }
        }
    }
}

/// Three-valued truth for conditions over possibly missing inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    Yes,
    No,
    Unknown,
}

/// Measured values of one item, as conditions see them.
#[derive(Debug, Clone, Default)]
pub struct Quantities {
    pub tpp: Option<Decimal>,
    /// Applicable die area; `Some(0)` when all logic dies are planar.
    pub area: Option<Decimal>,
    pub io: Option<Decimal>,
    /// HBM (bandwidth GB/s, package or stack area mm²).
    pub mbd: Option<(Decimal, Decimal)>,
    pub dram_bw: Option<Decimal>,
}

/// Evaluate one rule-data condition exactly (ratios by cross-multiplication):
/// `Some(true/false)`, or `None` when the input it needs is missing; with the
/// human-readable comparison for a trace. Used by the licence engine for
/// exception item conditions so both crates compare the same way.
pub fn evaluate_condition(c: &Condition, q: &Quantities) -> (Option<bool>, String) {
    let (t, s) = eval(c, q);
    (
        match t {
            Tri::Yes => Some(true),
            Tri::No => Some(false),
            Tri::Unknown => None,
        },
        s,
    )
}

fn fmt(d: Decimal) -> String {
    let n = d.normalize();
    let s = n.to_string();
    // thousands separators for readability of the integer part
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(a, b)| (a, Some(b)));
    let neg = int.starts_with('-');
    let digits = int.trim_start_matches('-');
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    let mut r = if neg { format!("-{out}") } else { out };
    if let Some(f) = frac {
        r.push('.');
        r.push_str(f);
    }
    r
}

fn bound_str(c: &Condition) -> String {
    let mut parts = Vec::new();
    if let Some(v) = c.at_least {
        parts.push(format!(">= {}", fmt(v)));
    }
    if let Some(v) = c.greater_than {
        parts.push(format!("> {}", fmt(v)));
    }
    if let Some(v) = c.less_than {
        parts.push(format!("< {}", fmt(v)));
    }
    if let Some(v) = c.at_most {
        parts.push(format!("<= {}", fmt(v)));
    }
    parts.join(" and ")
}

/// Evaluate one condition: (truth, human-readable check). Density bounds are
/// shown as the cross-multiplication actually compared ("pd >= 5.92" is
/// "tpp >= 5.92 × area").
fn eval(c: &Condition, m: &Quantities) -> (Tri, String) {
    use std::cmp::Ordering;
    let bounds: Vec<(&str, Decimal)> =
        [(">=", c.at_least), (">", c.greater_than), ("<", c.less_than), ("<=", c.at_most)]
            .into_iter()
            .filter_map(|(op, v)| v.map(|v| (op, v)))
            .collect();
    let pass = |o: Ordering, op: &str| match op {
        ">=" => o != Ordering::Less,
        ">" => o == Ordering::Greater,
        "<" => o == Ordering::Less,
        _ => o != Ordering::Greater,
    };
    let simple = |name: &str, unit: &str, v: Option<Decimal>| -> Option<(bool, String)> {
        let v = v?;
        let mut ok = true;
        let parts: Vec<String> = bounds
            .iter()
            .map(|(op, k)| {
                let p = pass(v.cmp(k), op);
                ok &= p;
                format!("{op} {} {}", fmt(*k), if p { "✓" } else { "✗" })
            })
            .collect();
        Some((ok, format!("{name} {}{unit} {}", fmt(v), parts.join(", "))))
    };
    let ratio = |name: &str,
                 num_name: &str,
                 num: Decimal,
                 den: Decimal,
                 den_unit: &str|
     -> (bool, String) {
        let mut ok = true;
        let parts: Vec<String> = bounds
            .iter()
            .map(|(op, k)| {
                let rhs = *k * den;
                let p = pass(num.cmp(&rhs), op);
                ok &= p;
                format!(
                    "{num_name} {} {op} {} × {}{den_unit} = {} {}",
                    fmt(num),
                    fmt(*k),
                    fmt(den),
                    fmt(rhs),
                    if p { "✓" } else { "✗" }
                )
            })
            .collect();
        let shown = (num / den).round_dp(4);
        (ok, format!("{name} ≈ {}: {}", fmt(shown), parts.join(", ")))
    };
    let r: Option<(bool, String)> = match c.quantity {
        Quantity::Tpp => simple("tpp", "", m.tpp),
        Quantity::Io => simple("io", " GB/s", m.io),
        Quantity::DramBw => simple("dram_bw", " GB/s", m.dram_bw),
        Quantity::Pd => match (m.tpp, m.area) {
            (Some(_), Some(a)) if a.is_zero() => {
                let mut ok = true;
                for (op, _) in &bounds {
                    ok &= pass(Ordering::Greater, op);
                }
                Some((
                    ok,
                    "pd unbounded (applicable die area 0: all logic dies planar)".to_string(),
                ))
            }
            (Some(t), Some(a)) => Some(ratio("pd", "tpp", t, a, " mm²")),
            _ => None,
        },
        Quantity::Mbd => m.mbd.map(|(bw, area)| ratio("mbd", "bw", bw, area, " mm²")),
    };
    match r {
        Some((ok, s)) => (if ok { Tri::Yes } else { Tri::No }, s),
        None => (
            Tri::Unknown,
            format!(
                "{} unknown (needs {}) for {}",
                c.quantity.name(),
                c.quantity.input(),
                bound_str(c)
            ),
        ),
    }
}

fn eval_all(conds: &[Condition], m: &Quantities) -> (Tri, Vec<String>, BTreeSet<&'static str>) {
    let mut t = Tri::Yes;
    let mut checks = Vec::new();
    let mut missing = BTreeSet::new();
    for c in conds {
        let (r, s) = eval(c, m);
        checks.push(s);
        match r {
            Tri::No => t = Tri::No,
            Tri::Unknown => {
                missing.insert(c.quantity.input());
                if t == Tri::Yes {
                    t = Tri::Unknown;
                }
            }
            Tri::Yes => {}
        }
    }
    if t == Tri::No {
        missing.clear();
    }
    (t, checks, missing)
}

/// TPP with its terms: per unit the max over precisions, summed over units.
fn compute_tpp(spec: &ChipSpec, tf32_bits: u32) -> (Option<Decimal>, Vec<TppTerm>) {
    let mut units: Vec<(String, &std::collections::BTreeMap<Precision, Decimal>)> = Vec::new();
    if !spec.dense.is_empty() {
        units.push((String::new(), &spec.dense));
    }
    for u in &spec.units {
        units.push((u.name.clone(), &u.dense));
    }
    if units.is_empty() {
        return (None, Vec::new());
    }
    let mut total = Decimal::ZERO;
    let mut terms = Vec::new();
    for (name, dense) in units {
        let start = terms.len();
        let mut best = Decimal::ZERO;
        for (&p, &v) in dense {
            let bits = if p == Precision::Tf32 { tf32_bits } else { p.bits() };
            let t = v * Decimal::from(bits);
            best = best.max(t);
            terms.push(TppTerm {
                unit: name.clone(),
                precision: p,
                dense: v,
                bits,
                tpp: t,
                max: false,
            });
        }
        for t in &mut terms[start..] {
            t.max = t.tpp == best;
        }
        total += best;
    }
    (Some(total), terms)
}

struct IcEval {
    outcome: Outcome,
    paragraphs: Vec<String>,
    missing: Vec<String>,
    possible: Vec<Outcome>,
    steps: Vec<Step>,
}

/// Evaluate the IC test of `rules` for one datacenter value.
fn ic_branch(rules: &RulesAt, m: &Quantities, dc: Datacenter) -> IcEval {
    let mut steps = Vec::new();
    let Some(test) = &rules.ic_test else {
        return IcEval {
            outcome: Outcome::NotControlled,
            paragraphs: vec![],
            missing: vec![],
            possible: vec![],
            steps: vec![Step {
                rule: "3A090".into(),
                citation: rules.version.citation.clone(),
                evidence: rules.version.evidence,
                check: "no 3A090 IC test in this rule version".into(),
                outcome: "not controlled".into(),
            }],
        };
    };
    if let Some(note) = &rules.datacenter_note
        && dc == Datacenter::No
    {
        let (t, check) = eval(&note.unless, m);
        if t != Tri::Yes {
            steps.push(Step {
                rule: note.id.clone(),
                citation: note.citation.clone(),
                evidence: note.evidence,
                check: format!("not designed or marketed for datacenters; {check}"),
                outcome: "excluded from 3A090.a/.b by the datacenter note".into(),
            });
            return IcEval {
                outcome: Outcome::NotControlled,
                paragraphs: vec![],
                missing: vec![],
                possible: vec![],
                steps,
            };
        }
        steps.push(Step {
            rule: note.id.clone(),
            citation: note.citation.clone(),
            evidence: note.evidence,
            check: format!("not designed or marketed for datacenters; {check}"),
            outcome: "note does not exclude (TPP 4800 or more); NAC/ACA item scope applies".into(),
        });
    }
    let mut res: Vec<(&Paragraph, Tri, BTreeSet<&'static str>)> = Vec::new();
    // For an item outside datacenters that Note 2 does not exclude, only TPP
    // matters (export-rules.md §4.3): density paragraphs are not evaluated.
    let pd_ignored = dc == Datacenter::No && rules.datacenter_note.is_some();
    for p in &test.paragraph {
        if pd_ignored && p.conditions.iter().any(|c| c.quantity == Quantity::Pd) {
            steps.push(Step {
                rule: p.id.clone(),
                citation: p.citation.clone(),
                evidence: p.evidence,
                check: "performance density is not used for items not designed or marketed for datacenters (Note 2 to 3A090)".into(),
                outcome: "not evaluated".into(),
            });
            continue;
        }
        let (t, checks, missing) = eval_all(&p.conditions, m);
        steps.push(Step {
            rule: p.id.clone(),
            citation: p.citation.clone(),
            evidence: p.evidence,
            check: checks.join("; "),
            outcome: match t {
                Tri::Yes => "fires".into(),
                Tri::No => "does not fire".into(),
                Tri::Unknown => format!(
                    "undetermined (needs {})",
                    missing.iter().copied().collect::<Vec<_>>().join(", ")
                ),
            },
        });
        res.push((p, t, missing));
    }
    let fired =
        |l: Level| res.iter().filter(|(p, t, _)| p.level == l && *t == Tri::Yes).count() > 0;
    let unknown = |l: Level| res.iter().any(|(p, t, _)| p.level == l && *t == Tri::Unknown);
    let missing_of = |l: Level| -> BTreeSet<&'static str> {
        res.iter()
            .filter(|(p, t, _)| p.level == l && *t == Tri::Unknown)
            .flat_map(|(_, _, m)| m.iter().copied())
            .collect()
    };
    let fired_ids: Vec<String> =
        res.iter().filter(|(_, t, _)| *t == Tri::Yes).map(|(p, _, _)| p.id.clone()).collect();
    let (outcome, missing, possible) = if fired(Level::A) {
        (Outcome::A, BTreeSet::new(), vec![])
    } else if unknown(Level::A) {
        let mut poss = vec![Outcome::A];
        if fired(Level::B) {
            poss.push(Outcome::B);
        } else {
            if unknown(Level::B) {
                poss.push(Outcome::B);
            }
            poss.push(Outcome::NotControlled);
        }
        let mut miss = missing_of(Level::A);
        miss.extend(missing_of(Level::B));
        (Outcome::Indeterminate, miss, poss)
    } else if fired(Level::B) {
        (Outcome::B, BTreeSet::new(), vec![])
    } else if unknown(Level::B) {
        (Outcome::Indeterminate, missing_of(Level::B), vec![Outcome::B, Outcome::NotControlled])
    } else {
        (Outcome::NotControlled, BTreeSet::new(), vec![])
    };
    IcEval {
        outcome,
        paragraphs: fired_ids,
        missing: missing.into_iter().map(String::from).collect(),
        possible,
        steps,
    }
}

fn first_of_level(paragraphs: &[String], outcome: Outcome) -> Option<String> {
    let prefix = match outcome.level()? {
        Level::A => "3A090.a",
        Level::B => "3A090.b",
        Level::C => "3A090.c",
    };
    paragraphs.iter().find(|p| p.starts_with(prefix)).cloned()
}

/// The ECCN after `.z` routing (export-rules.md §4.5).
fn route_eccn(
    rules: &RulesAt,
    spec: &ChipSpec,
    outcome: Outcome,
    steps: &mut Vec<Step>,
    warnings: &mut Vec<String>,
) -> Option<String> {
    let level = outcome.level();
    let plain = match outcome {
        Outcome::A | Outcome::B | Outcome::C | Outcome::SysA | Outcome::SysB => {
            Some(outcome.name().to_string())
        }
        _ => None,
    };
    let Some(base) = spec.base_eccn.as_deref() else {
        if outcome == Outcome::NotControlled {
            steps.push(Step {
                rule: "base ECCN".into(),
                citation: "export-rules.md §4.5: failing 3A090 does not mean EAR99".into(),
                evidence: Evidence::D,
                check: "does not meet the 3A090/4A090 parameters on this date".into(),
                outcome: "not 3A090/4A090; the base ECCN (e.g. 3A991, 4A994, 5A992.c) comes from the product master".into(),
            });
        }
        return plain;
    };
    if base.starts_with("3A090") || base.starts_with("4A090") {
        return plain;
    }
    match level {
        None => {
            steps.push(Step {
                rule: "base ECCN".into(),
                citation: "export-rules.md §4.5: items failing 3A090 keep the base ECCN".into(),
                evidence: Evidence::D,
                check: format!("does not meet the 3A090/4A090 parameters; base ECCN {base}"),
                outcome: format!("classified under {base} (product master)"),
            });
            if outcome == Outcome::Indeterminate { None } else { Some(base.to_string()) }
        }
        Some(Level::C) => {
            steps.push(Step {
                rule: "3A090.c".into(),
                citation: "Note to 3A090: the performance parameters under 3A090.c are not used for determining whether an item is classified in a .z ECCN".into(),
                evidence: Evidence::V,
                check: format!("base ECCN {base}"),
                outcome: "3A090.c (no .z routing)".into(),
            });
            plain
        }
        Some(l) => {
            // most specific matching base paragraph wins
            let mut best: Option<(&crate::data::ZRoute, &str)> = None;
            for z in &rules.z_routes {
                for b in &z.base {
                    let hit = base == b || base.starts_with(&format!("{b}."));
                    if hit && best.is_none_or(|(_, bb)| b.len() > bb.len()) {
                        best = Some((z, b));
                    }
                }
            }
            match best {
                Some((z, _)) => {
                    let e = if l == Level::A { &z.a } else { &z.b };
                    steps.push(Step {
                        rule: ".z routing".into(),
                        citation: z.citation.clone(),
                        evidence: z.evidence,
                        check: format!(
                            "base ECCN {base} meets the 3A090/4A090 .{} parameters",
                            if l == Level::A { "a" } else { "b" }
                        ),
                        outcome: format!("classified under {e}"),
                    });
                    Some(e.clone())
                }
                None => {
                    let family = base.get(..5).unwrap_or(base);
                    let known: Vec<String> = rules
                        .z_routes
                        .iter()
                        .flat_map(|z| z.base.iter())
                        .filter(|b| b.starts_with(family))
                        .cloned()
                        .collect();
                    if known.is_empty() {
                        warnings.push(format!(
                            "base ECCN {base} has no .z paragraph; the item is classified by its 3A090/4A090 parameters"
                        ));
                        plain
                    } else {
                        warnings.push(format!(
                            "base ECCN {base}: give the paragraph ({}) to route to the .z sub-item",
                            known.join(", ")
                        ));
                        Some(format!("{family}.z"))
                    }
                }
            }
        }
    }
}

/// NAC/ACA item scope (§740.8): `None` when no such exception exists in the
/// rule version (before 2023-11-17, License Exception NAC did not exist).
fn nac_aca(at: &RulesAt, outcome: Outcome, dc: Datacenter) -> Option<bool> {
    if !at.exceptions.iter().any(|e| e.exclude_datacenter_a) {
        return None;
    }
    match outcome.level() {
        Some(Level::A) => Some(dc == Datacenter::No),
        Some(Level::B) => Some(true),
        _ => None,
    }
}

/// Classify `spec` under the rules in force on `date`.
pub fn classify(rules: &RuleSet, spec: &ChipSpec, date: Date) -> Result<Classification> {
    let at = rules.at(date)?;
    Ok(classify_at(rules, at, spec, date, 32))
}

/// Classify many specs for one date (the catalog benchmark).
pub fn classify_all(
    rules: &RuleSet,
    specs: &[ChipSpec],
    date: Date,
) -> Result<Vec<Classification>> {
    let at = rules.at(date)?;
    Ok(specs.iter().map(|s| classify_at(rules, at, s, date, 32)).collect())
}

fn base_result(
    rules: &RuleSet,
    at: &RulesAt,
    spec: &ChipSpec,
    date: Date,
    kind: &'static str,
) -> Classification {
    Classification {
        item: spec.name.clone(),
        catalog_id: spec.catalog_id.clone(),
        kind,
        date,
        rule_version: at.version.id.clone(),
        rule_citation: at.version.citation.clone(),
        test_citation: match spec.kind {
            ItemKind::Hbm { .. } => at.hbm_test.as_ref().map(|t| t.citation.clone()),
            _ => at.ic_test.as_ref().map(|t| t.citation.clone()),
        },
        rule_data: rules.data_version.clone(),
        engine: crate::ENGINE_VERSION,
        tpp: None,
        tpp_terms: vec![],
        performance_density: None,
        die_area_mm2: spec.die_area_mm2,
        memory_bandwidth_density: None,
        system_tpp: None,
        datacenter: spec.datacenter,
        classification: Outcome::NotControlled,
        paragraph: None,
        paragraphs: vec![],
        eccn: None,
        nac_aca_eligible: None,
        missing: vec![],
        possible: vec![],
        branches: None,
        contains: vec![],
        overlays: vec![],
        warnings: vec![],
        unverified: false,
        trace: vec![],
    }
}

fn classify_at(
    rules: &RuleSet,
    at: &RulesAt,
    spec: &ChipSpec,
    date: Date,
    tf32_bits: u32,
) -> Classification {
    let mut c = match &spec.kind {
        ItemKind::Ic => classify_ic(rules, at, spec, date, tf32_bits),
        ItemKind::Hbm { stack_bw_gbs, stack_area_mm2 } => {
            classify_hbm(rules, at, spec, date, *stack_bw_gbs, *stack_area_mm2)
        }
        ItemKind::System { parts } => classify_system(rules, at, spec, date, parts),
    };
    c.trace.insert(
        0,
        Step {
            rule: format!("rule version {}", at.version.id),
            citation: at.version.citation.clone(),
            evidence: at.version.evidence,
            check: format!(
                "date {date} >= effective {} (versions applied: {})",
                at.version.effective,
                at.history.join(", ")
            ),
            outcome: at.version.title.clone(),
        },
    );
    overlays(at, &mut c, spec);
    c.unverified = c.trace.iter().any(|s| !s.evidence.verified());
    c
}

fn measures(spec: &ChipSpec, tpp: Option<Decimal>) -> Quantities {
    Quantities {
        tpp,
        area: match spec.nonplanar {
            Some(false) => Some(Decimal::ZERO),
            _ => spec.die_area_mm2,
        },
        io: spec.io_bidir_gbs,
        mbd: None,
        dram_bw: spec.dram_bw_gbs,
    }
}

fn classify_ic(
    rules: &RuleSet,
    at: &RulesAt,
    spec: &ChipSpec,
    date: Date,
    tf32_bits: u32,
) -> Classification {
    let mut c = base_result(rules, at, spec, date, "ic");
    let (tpp, terms) = compute_tpp(spec, tf32_bits);
    c.tpp = tpp;
    c.tpp_terms = terms.clone();
    let m = measures(spec, tpp);
    if let (Some(t), Some(a)) = (tpp, m.area)
        && !a.is_zero()
    {
        c.performance_density =
            Some((t / a).round_dp_with_strategy(4, RoundingStrategy::MidpointNearestEven));
    }
    let term_list: Vec<String> = terms
        .iter()
        .map(|t| {
            let u = if t.unit.is_empty() { String::new() } else { format!("{}: ", t.unit) };
            format!(
                "{u}{} {} × {} = {}{}",
                t.precision.name(),
                fmt(t.dense),
                t.bits,
                fmt(t.tpp),
                if t.max { " (max)" } else { "" }
            )
        })
        .collect();
    c.trace.push(Step {
        rule: "TPP".into(),
        citation: "ECCN 3A090 Technical Notes 1-3: TPP = 2 × MacTOPS × bit length, dense, at the highest-TPP bit length, aggregated over processing units".into(),
        evidence: Evidence::V,
        check: term_list.join("; "),
        outcome: format!("tpp = {}", tpp.map_or("unknown".into(), fmt)),
    });
    if spec.units.len() > 1 || (!spec.units.is_empty() && !spec.dense.is_empty()) {
        c.warnings.push("TPP summed over the processing units given (Technical Note 1.d)".into());
    }
    // The 2022 test sums every I/O except to volatile memory (§4.1): show the
    // links so a reviewer sees whether the host link decides.
    let io_tested = at.ic_test.as_ref().is_some_and(|t| {
        t.paragraph.iter().any(|p| p.conditions.iter().any(|c| c.quantity == Quantity::Io))
    });
    if io_tested && let Some(io) = spec.io_bidir_gbs {
        let parts: Vec<String> =
            spec.io_parts.iter().map(|(n, v)| format!("{n} {}", fmt(*v))).collect();
        c.trace.push(Step {
            rule: "I/O".into(),
            citation: "ECCN 3A090.a (87 FR 62186): aggregate bidirectional transfer rate over all inputs and outputs to or from ICs other than volatile memories".into(),
            evidence: Evidence::V,
            check: if parts.is_empty() {
                format!("io_bidir_gbs {} (as given)", fmt(io))
            } else {
                format!("{} = {} GB/s", parts.join(" + "), fmt(io))
            },
            outcome: format!("io = {} GB/s", fmt(io)),
        });
    }
    // TF32 at 19 bits (export-rules.md §3): flag when the result would change.
    if tf32_bits == 32 && spec.dense.contains_key(&Precision::Tf32) {
        let (t19, _) = compute_tpp(spec, 19);
        if t19 != tpp {
            let alt = classify_ic(rules, at, spec, date, 19);
            if alt.classification != ic_outcome_preview(at, spec) {
                c.warnings.push(format!(
                    "TF32 counted at 32 bits; at 19 bits TPP would be {} and the classification {}",
                    t19.map_or("unknown".into(), fmt),
                    alt.classification.name()
                ));
            } else {
                c.warnings.push(format!(
                    "TF32 counted at 32 bits decides the maximum; at 19 bits TPP would be {} (classification unchanged)",
                    t19.map_or("unknown".into(), fmt)
                ));
            }
        }
    }
    if spec.nonplanar == Some(false) {
        c.warnings.push(
            "all logic dies planar: the applicable die area is 0 and performance density is unbounded (Technical Note 4; derived, confirm with counsel)".into(),
        );
    }
    if let Some(b) = &spec.die_area_basis
        && b.to_ascii_lowercase().contains("estimate")
    {
        c.warnings.push(format!("die area is an estimate ({b})"));
    }
    let has_note = at.datacenter_note.is_some();
    let dcs: Vec<Datacenter> = if has_note && spec.datacenter == Datacenter::Unknown {
        vec![Datacenter::Yes, Datacenter::No]
    } else {
        vec![spec.datacenter]
    };
    let mut evals: Vec<(Datacenter, IcEval)> =
        dcs.iter().map(|&d| (d, ic_branch(at, &m, d))).collect();
    let same_outcome = evals.len() == 2
        && evals[0].1.outcome == evals[1].1.outcome
        && first_of_level(&evals[0].1.paragraphs, evals[0].1.outcome)
            == first_of_level(&evals[1].1.paragraphs, evals[1].1.outcome);
    if same_outcome
        && evals[0].1.paragraphs == evals[1].1.paragraphs
        && nac_aca(at, evals[0].1.outcome, Datacenter::Yes)
            == nac_aca(at, evals[1].1.outcome, Datacenter::No)
    {
        c.trace.push(Step {
            rule: "Note 2 to 3A090".into(),
            citation: at.datacenter_note.as_ref().map(|n| n.citation.clone()).unwrap_or_default(),
            evidence: Evidence::V,
            check: "datacenter flag unknown; both branches evaluated".into(),
            outcome: "both branches agree; collapsed".into(),
        });
        evals.truncate(1);
        let e = evals.pop().map(|(_, e)| e);
        if let Some(e) = e {
            finish_single(&mut c, at, spec, e, Datacenter::Yes);
        }
        return c;
    }
    if evals.len() == 1 {
        let (d, e) = evals.pop().expect("one");
        finish_single(&mut c, at, spec, e, d);
        return c;
    }
    // Both branches, different: indeterminate on the datacenter flag.
    let mut branches = Vec::new();
    let mut poss = BTreeSet::new();
    for (d, e) in evals {
        for s in &e.steps {
            let mut s = s.clone();
            s.rule = format!("[if datacenter={}] {}", d.name(), s.rule);
            c.trace.push(s);
        }
        let mut ws = Vec::new();
        let mut tmp = Vec::new();
        let eccn = route_eccn(at, spec, e.outcome, &mut tmp, &mut ws);
        poss.insert(e.outcome);
        poss.extend(e.possible.iter().copied());
        branches.push(Branch {
            datacenter: d,
            classification: e.outcome,
            paragraph: first_of_level(&e.paragraphs, e.outcome),
            paragraphs: e.paragraphs,
            eccn,
            nac_aca_eligible: nac_aca(at, e.outcome, d),
            missing: e.missing,
        });
    }
    poss.remove(&Outcome::Indeterminate);
    if same_outcome {
        // Same ECCN paragraph either way; the flag decides only NAC/ACA
        // eligibility (§740.8 excludes datacenter items meeting 3A090.a).
        let b0 = &branches[0];
        c.classification = b0.classification;
        c.paragraph = b0.paragraph.clone();
        c.paragraphs = b0.paragraphs.clone();
        c.eccn = b0.eccn.clone();
        c.nac_aca_eligible = None;
        c.trace.push(Step {
            rule: "Note 2 to 3A090".into(),
            citation: at.datacenter_note.as_ref().map(|n| n.citation.clone()).unwrap_or_default(),
            evidence: Evidence::V,
            check: "datacenter flag unknown; both branches give the same paragraph".into(),
            outcome:
                "classification settled; NAC/ACA eligibility depends on the flag (see branches)"
                    .into(),
        });
        c.branches = Some(branches);
        return c;
    }
    c.classification = Outcome::Indeterminate;
    // the flag first; then whatever a branch itself still needs (die area)
    let mut missing = vec!["datacenter".to_string()];
    for b in &branches {
        for m in &b.missing {
            if !missing.contains(m) {
                missing.push(m.clone());
            }
        }
    }
    c.missing = missing;
    c.possible = poss.into_iter().collect();
    c.trace.push(Step {
        rule: "Note 2 to 3A090".into(),
        citation: at.datacenter_note.as_ref().map(|n| n.citation.clone()).unwrap_or_default(),
        evidence: Evidence::V,
        check: "datacenter flag unknown and the branches differ".into(),
        outcome: "indeterminate: give \"datacenter\": \"yes\" or \"no\" (see branches)".into(),
    });
    c.branches = Some(branches);
    c
}

/// Outcome with TF32 at 32 bits, without the TF32 warning recursion.
fn ic_outcome_preview(at: &RulesAt, spec: &ChipSpec) -> Outcome {
    let (tpp, _) = compute_tpp(spec, 32);
    let m = measures(spec, tpp);
    let d = if at.datacenter_note.is_some() { spec.datacenter } else { Datacenter::Yes };
    if d == Datacenter::Unknown {
        let a = ic_branch(at, &m, Datacenter::Yes).outcome;
        let b = ic_branch(at, &m, Datacenter::No).outcome;
        return if a == b { a } else { Outcome::Indeterminate };
    }
    ic_branch(at, &m, d).outcome
}

fn finish_single(c: &mut Classification, at: &RulesAt, spec: &ChipSpec, e: IcEval, dc: Datacenter) {
    c.trace.extend(e.steps);
    c.classification = e.outcome;
    c.paragraph = first_of_level(&e.paragraphs, e.outcome);
    c.paragraphs = e.paragraphs;
    c.missing = e.missing;
    c.possible = e.possible;
    let dc_eff = if spec.datacenter == Datacenter::Unknown { dc } else { spec.datacenter };
    c.nac_aca_eligible = nac_aca(at, e.outcome, dc_eff);
    if at.datacenter_note.is_some()
        && spec.datacenter == Datacenter::Unknown
        && c.nac_aca_eligible.is_some()
    {
        // branches agreed on the outcome; eligibility then depends only on .b
        c.nac_aca_eligible = if e.outcome.level() == Some(Level::B) { Some(true) } else { None };
    }
    let mut steps = Vec::new();
    let mut warnings = Vec::new();
    c.eccn = route_eccn(at, spec, e.outcome, &mut steps, &mut warnings);
    c.trace.extend(steps);
    c.warnings.extend(warnings);
    if c.classification == Outcome::Indeterminate {
        c.trace.push(Step {
            rule: "indeterminate".into(),
            citation: "export-rules.md §9.3: indeterminate, not guessed".into(),
            evidence: Evidence::D,
            check: format!("missing input(s): {}", c.missing.join(", ")),
            outcome: format!(
                "possible: {}",
                c.possible.iter().map(|o| o.name()).collect::<Vec<_>>().join(", ")
            ),
        });
    }
}

fn classify_hbm(
    rules: &RuleSet,
    at: &RulesAt,
    spec: &ChipSpec,
    date: Date,
    bw: Decimal,
    area: Decimal,
) -> Classification {
    let mut c = base_result(rules, at, spec, date, "hbm");
    c.memory_bandwidth_density =
        Some((bw / area).round_dp_with_strategy(4, RoundingStrategy::MidpointNearestEven));
    let m = Quantities { mbd: Some((bw, area)), ..Default::default() };
    let Some(test) = &at.hbm_test else {
        c.trace.push(Step {
            rule: "3A090.c".into(),
            citation: "3A090.c was added by 89 FR 96790, effective 2024-12-02".into(),
            evidence: Evidence::V,
            check: format!("date {date} is before 2024-12-02"),
            outcome: "HBM not controlled under 3A090 on this date".into(),
        });
        c.eccn = spec.base_eccn.clone();
        return c;
    };
    for p in &test.paragraph {
        let (t, checks, _) = eval_all(&p.conditions, &m);
        c.trace.push(Step {
            rule: p.id.clone(),
            citation: p.citation.clone(),
            evidence: p.evidence,
            check: checks.join("; "),
            outcome: if t == Tri::Yes { "fires".into() } else { "does not fire".into() },
        });
        if t == Tri::Yes {
            c.paragraphs.push(p.id.clone());
        }
    }
    if c.paragraphs.is_empty() {
        c.eccn = spec.base_eccn.clone();
    } else {
        c.classification = Outcome::C;
        c.paragraph = c.paragraphs.first().cloned();
        c.eccn = Some("3A090.c".into());
    }
    c.trace.push(Step {
        rule: "3A090.c scope".into(),
        citation: "ECCN 3A090.c exclusion note (eCFR 2026-07-23)".into(),
        evidence: Evidence::V,
        check: "co-packaged HBM + logic whose dominant function is processing is not 3A090.c (classify the logic IC); HBM on a base/PHY control die is".into(),
        outcome: "input declared as an HBM item".into(),
    });
    c
}

fn classify_system(
    rules: &RuleSet,
    at: &RulesAt,
    spec: &ChipSpec,
    date: Date,
    parts: &[crate::spec::SystemPart],
) -> Classification {
    let mut c = base_result(rules, at, spec, date, "system");
    let mut worst: Option<(Outcome, usize)> = None;
    let mut any_indeterminate = false;
    let mut system_tpp = Decimal::ZERO;
    let mut all_tpp = true;
    let mut part_results = Vec::new();
    let mut missing = BTreeSet::new();
    let mut branch_parts = false;
    for (i, p) in parts.iter().enumerate() {
        let mut ps = p.spec.clone();
        if ps.datacenter == Datacenter::Unknown && spec.datacenter != Datacenter::Unknown {
            // the system's own positioning settles a contained IC's flag
            ps.datacenter = spec.datacenter;
        }
        let pc = classify_at(rules, at, &ps, date, 32);
        match pc.tpp {
            Some(t) => system_tpp += t * Decimal::from(p.count),
            None => all_tpp = false,
        }
        if pc.branches.is_some() {
            branch_parts = true;
        }
        if pc.classification == Outcome::Indeterminate {
            any_indeterminate = true;
            missing.extend(pc.missing.iter().cloned());
        }
        let o = pc.classification;
        // HBM (3A090.c) parts do not make a system 4A090 (4A090 follows
        // 3A090.a / .b ICs, export-rules.md §4.5)
        if o != Outcome::Indeterminate
            && o != Outcome::C
            && worst.is_none_or(|(w, _)| o.rank() > w.rank())
        {
            worst = Some((o, i));
        }
        c.trace.push(Step {
            rule: format!("contained IC {} × {}", p.count, ps.name),
            citation: "ECCN 4A090: classified from the contained ICs (export-rules.md §4.5)".into(),
            evidence: Evidence::V,
            check: format!(
                "tpp {}; {}",
                pc.tpp.map_or("unknown".into(), fmt),
                pc.paragraph.clone().unwrap_or_else(|| pc.classification.name().into())
            ),
            outcome: pc.classification.name().into(),
        });
        c.contains.push(PartSummary {
            name: ps.name.clone(),
            count: p.count,
            tpp: pc.tpp,
            classification: pc.classification,
            paragraph: pc.paragraph.clone(),
        });
        part_results.push(pc);
    }
    if all_tpp {
        c.system_tpp = Some(system_tpp);
    }
    let sys = at.systems.as_ref();
    let (wo, wi) = worst.unwrap_or((Outcome::NotControlled, 0));
    let decided = match wo.level() {
        Some(Level::A) => Some(Outcome::SysA),
        Some(Level::B) if !any_indeterminate => Some(Outcome::SysB),
        _ if !any_indeterminate => Some(Outcome::NotControlled),
        _ => None,
    };
    if let Some(d) = decided
        && let Some(pc) = part_results.get(wi)
    {
        c.tpp = pc.tpp;
        c.tpp_terms = pc.tpp_terms.clone();
        c.performance_density = pc.performance_density;
        c.die_area_mm2 = pc.die_area_mm2;
        c.nac_aca_eligible = pc.nac_aca_eligible;
        c.classification = d;
        let se = match d {
            Outcome::SysA => sys.map(|s| s.a.clone()),
            Outcome::SysB => sys.and_then(|s| s.b.clone()),
            _ => None,
        };
        match se {
            Some(se) => {
                c.paragraph = Some(se.eccn.clone());
                c.paragraphs = vec![se.eccn.clone()];
                c.trace.push(Step {
                    rule: se.eccn.clone(),
                    citation: se.citation.clone(),
                    evidence: se.evidence,
                    check: format!(
                        "worst contained IC: {} ({})",
                        pc.item,
                        pc.paragraph.clone().unwrap_or_default()
                    ),
                    outcome: se.text.clone(),
                });
            }
            None if d != Outcome::NotControlled => {
                // .b IC in a system where no 4A090.b exists on this date (2022 rule)
                c.classification = Outcome::NotControlled;
                c.trace.push(Step {
                    rule: "4A090".into(),
                    citation: at.version.citation.clone(),
                    evidence: at.version.evidence,
                    check: format!(
                        "worst contained IC is {}; no 4A090 paragraph for it in this rule version",
                        wo.name()
                    ),
                    outcome: "not controlled under 4A090".into(),
                });
            }
            None => {
                c.trace.push(Step {
                    rule: "4A090".into(),
                    citation: "ECCN 4A090 (contained ICs)".into(),
                    evidence: Evidence::V,
                    check: "no contained IC meets 3A090.a or .b".into(),
                    outcome: "not controlled under 4A090".into(),
                });
            }
        }
        let mut steps = Vec::new();
        let mut warnings = Vec::new();
        c.eccn = route_eccn(at, spec, c.classification, &mut steps, &mut warnings);
        c.trace.extend(steps);
        c.warnings.extend(warnings);
    } else {
        c.classification = Outcome::Indeterminate;
        c.missing = missing.into_iter().collect();
        let mut poss = BTreeSet::new();
        for pc in &part_results {
            for o in pc.possible.iter().chain(std::iter::once(&pc.classification)) {
                poss.insert(match o {
                    Outcome::A => Outcome::SysA,
                    Outcome::B => Outcome::SysB,
                    Outcome::Indeterminate => continue,
                    x => *x,
                });
            }
        }
        // a part that is certainly .b makes "not controlled" impossible
        if wo.level() == Some(Level::B) {
            poss.remove(&Outcome::NotControlled);
            poss.remove(&Outcome::C);
        }
        c.possible = poss.into_iter().collect();
        if branch_parts {
            let mut br = Vec::new();
            for d in [Datacenter::Yes, Datacenter::No] {
                let mut s2 = spec.clone();
                s2.datacenter = d;
                let r = classify_at(rules, at, &s2, date, 32);
                br.push(Branch {
                    datacenter: d,
                    classification: r.classification,
                    paragraph: r.paragraph,
                    paragraphs: r.paragraphs,
                    eccn: r.eccn,
                    nac_aca_eligible: r.nac_aca_eligible,
                    missing: r.missing,
                });
            }
            c.branches = Some(br);
        }
        c.trace.push(Step {
            rule: "4A090".into(),
            citation: "export-rules.md §9.3: indeterminate, not guessed".into(),
            evidence: Evidence::D,
            check: format!("a contained IC is indeterminate (missing: {})", c.missing.join(", ")),
            outcome: "indeterminate".into(),
        });
    }
    c
}

/// Informational overlays: the Jan-2026 China review zone, tariff bands, and
/// not-enforced Diffusion rows.
fn overlays(at: &RulesAt, c: &mut Classification, spec: &ChipSpec) {
    let m = Quantities { tpp: c.tpp, dram_bw: dram_bw_of(spec), ..Default::default() };
    for o in &at.review_overlays {
        // the zone is about 3A090.a/.b commodities (TPP, DRAM bandwidth): not
        // shown for HBM stacks or for items classified at another level
        if c.kind == "hbm" || c.classification.level().is_some_and(|l| !o.levels.contains(&l)) {
            continue;
        }
        let (t, checks, missing) = eval_all(&o.zone, &m);
        let mut text = o.text.clone();
        if let Some(n) = &o.dram_bw_note {
            text.push_str(&format!(" ({n})"));
        }
        c.overlays.push(Overlay {
            id: o.id.clone(),
            text,
            result: match t {
                Tri::Yes => "inside".into(),
                Tri::No => "outside".into(),
                Tri::Unknown => format!(
                    "indeterminate (needs {})",
                    missing.into_iter().collect::<Vec<_>>().join(", ")
                ),
            },
            check: checks.join("; "),
            citation: o.citation.clone(),
            evidence: o.evidence,
        });
    }
    for b in &at.tariff_bands {
        let (t, checks, _) = eval_all(&b.bounds, &m);
        if t == Tri::Yes {
            c.overlays.push(Overlay {
                id: b.id.clone(),
                text: b.text.clone(),
                result: "inside".into(),
                check: checks.join("; "),
                citation: b.citation.clone(),
                evidence: b.evidence,
            });
        }
    }
    if let Some(level) = c.classification.level() {
        for s in at.destination_scope.iter().filter(|s| !s.enforced && s.levels.contains(&level)) {
            c.overlays.push(Overlay {
                id: s.id.clone(),
                text: s.text.clone(),
                result: "not_enforced".into(),
                check: s.not_enforced.clone().unwrap_or_default(),
                citation: s.citation.clone(),
                evidence: s.evidence,
            });
        }
    }
}

fn dram_bw_of(spec: &ChipSpec) -> Option<Decimal> {
    match &spec.kind {
        ItemKind::System { parts } => {
            // per contained IC: the overlay is about the chip's bandwidth; a
            // part without one leaves the zone undetermined rather than
            // borrowing another part's figure
            let bws: Option<Vec<Decimal>> = parts.iter().map(|p| dram_bw_of(&p.spec)).collect();
            bws.and_then(|v| v.into_iter().max())
        }
        _ => spec.dram_bw_gbs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formatting() {
        assert_eq!(fmt(Decimal::new(158320, 1)), "15,832");
        assert_eq!(fmt(Decimal::new(52848, 1)), "5,284.8");
        assert_eq!(fmt(Decimal::new(1600, 0)), "1,600");
        assert_eq!(fmt(Decimal::new(592, 2)), "5.92");
    }
}
