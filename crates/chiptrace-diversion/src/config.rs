//! The rule data: `rules/red-flags.toml` (embedded; overridable with a file).
//! Every rule's id, severities and quality come from the catalogue
//! (`../shared/design/red-flags.yaml`); its parameters are the catalogue's
//! starting values. The loader refuses rules without code, code without a
//! rule, unknown fields and unknown severity levels, so the data and the
//! engine cannot drift apart silently.

use std::collections::BTreeMap;

use chiptrace_ledger::Country;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The embedded rule data.
pub const EMBEDDED: &str = include_str!("../rules/red-flags.toml");

/// Severity, ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
    /// One level up (critical stays critical).
    pub fn up(self) -> Severity {
        match self {
            Severity::Info => Severity::Low,
            Severity::Low => Severity::Medium,
            Severity::Medium => Severity::High,
            _ => Severity::Critical,
        }
    }
}

/// Scoring category (diminishing returns within one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Party,
    Order,
    Shipping,
    Payment,
    Serial,
    Network,
}

/// One rule as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    pub name: String,
    pub category: Category,
    pub quality: String,
    pub sources: Vec<String>,
    /// level name → severity (the catalogue's `severity` map).
    pub severity: BTreeMap<String, Severity>,
    /// Signal group: rules reading the same underlying fact (a new customer
    /// is both "young" and "first order"); scored as one category.
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub params: toml::Table,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    hubs: Vec<String>,
    restricted: Vec<String>,
    free_mail: Vec<String>,
    control_start: String,
    allied_group: String,
}

/// Scoring constants (diversion.md §4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    pub points: BTreeMap<Severity, f64>,
    pub diminishing: f64,
    pub hold: f64,
    pub inquire: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    defaults: RawDefaults,
    scoring: Scoring,
    rule: Vec<RuleDef>,
}

/// The configuration in force.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// Where it came from (`embedded` or a file).
    pub source: String,
    pub hubs: Vec<Country>,
    pub restricted: Vec<Country>,
    pub free_mail: Vec<String>,
    pub control_start: Date,
    /// Country group whose members are allied destinations (A:5).
    pub allied_group: String,
    #[serde(skip)]
    pub groups: chiptrace_rules::CountryGroups,
    pub scoring: Scoring,
    pub rules: Vec<RuleDef>,
}

fn countries(list: &[String], source: &str, field: &str) -> Result<Vec<Country>> {
    list.iter()
        .map(|c| {
            Country::parse(c).ok_or_else(|| Error::Config {
                origin: source.into(),
                message: format!("{field}: {c:?} is not an ISO alpha-2 country code"),
            })
        })
        .collect()
}

impl Config {
    /// The embedded rule data.
    pub fn embedded() -> Result<Config> {
        Config::from_toml(EMBEDDED, "embedded rules/red-flags.toml")
    }

    /// Parse rule data; `source` names it in errors.
    pub fn from_toml(text: &str, source: &str) -> Result<Config> {
        let raw: Raw = toml::from_str(text)
            .map_err(|e| Error::Config { origin: source.into(), message: e.to_string() })?;
        let bad = |m: String| Error::Config { origin: source.into(), message: m };
        let mut seen = std::collections::BTreeSet::new();
        for r in &raw.rule {
            if !seen.insert(r.id.clone()) {
                return Err(bad(format!("rule {} is defined twice", r.id)));
            }
            let Some(levels) = crate::rules::levels(&r.id) else {
                return Err(bad(format!("rule {} has no implementation in this chiptrace", r.id)));
            };
            for l in r.severity.keys() {
                if !levels.contains(&l.as_str()) {
                    return Err(bad(format!(
                        "rule {}: unknown severity level {l:?} (known: {})",
                        r.id,
                        levels.join(", ")
                    )));
                }
            }
            for l in levels {
                if !r.severity.contains_key(*l) {
                    return Err(bad(format!("rule {}: no severity for level {l:?}", r.id)));
                }
            }
            if r.sources.is_empty() || r.name.trim().is_empty() {
                return Err(bad(format!(
                    "rule {}: a name and at least one source are required",
                    r.id
                )));
            }
        }
        // parameters: numbers finite and not negative, lists of strings
        for r in &raw.rule {
            for (k, v) in &r.params {
                let ok = match v {
                    toml::Value::Integer(i) => *i >= 0,
                    toml::Value::Float(f) => f.is_finite() && *f >= 0.0,
                    toml::Value::Array(a) => a.iter().all(|x| x.is_str()),
                    _ => false,
                };
                if !ok {
                    return Err(bad(format!(
                        "rule {}: parameter {k} must be a non-negative finite number or a list of strings",
                        r.id
                    )));
                }
            }
        }
        for id in crate::rules::IMPLEMENTED {
            if !seen.contains(*id) {
                return Err(bad(format!(
                    "rule {id} is implemented but missing from the rule data"
                )));
            }
        }
        for s in [Severity::Info, Severity::Low, Severity::Medium, Severity::High] {
            if !raw.scoring.points.contains_key(&s) {
                return Err(bad(format!("scoring.points: no value for {}", s.as_str())));
            }
        }
        let control_start: Date = raw
            .defaults
            .control_start
            .parse()
            .map_err(|e| bad(format!("defaults.control_start: {e}")))?;
        let groups = chiptrace_rules::RuleSet::embedded()
            .map_err(|e| bad(format!("country groups: {e}")))?
            .groups;
        if !groups.has_group(&raw.defaults.allied_group) {
            return Err(bad(format!(
                "defaults.allied_group: unknown country group {:?}",
                raw.defaults.allied_group
            )));
        }
        Ok(Config {
            allied_group: raw.defaults.allied_group.clone(),
            groups,
            source: source.into(),
            hubs: countries(&raw.defaults.hubs, source, "defaults.hubs")?,
            restricted: countries(&raw.defaults.restricted, source, "defaults.restricted")?,
            free_mail: raw.defaults.free_mail.iter().map(|s| s.to_ascii_lowercase()).collect(),
            control_start,
            scoring: raw.scoring,
            rules: raw.rule,
        })
    }

    /// The rule with `id`.
    pub fn rule(&self, id: &str) -> Option<&RuleDef> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn is_hub(&self, c: Country) -> bool {
        self.hubs.contains(&c)
    }
    pub fn is_restricted(&self, c: Country) -> bool {
        self.restricted.contains(&c)
    }
    /// An allied destination on `date` (member of `allied_group`).
    pub fn is_allied(&self, c: Country, date: Date) -> bool {
        self.groups.in_group(&self.allied_group, c.as_str(), date)
    }
}

impl RuleDef {
    /// Severity of a level (levels are checked on load).
    pub fn sev(&self, level: &str) -> Severity {
        self.severity.get(level).copied().unwrap_or(Severity::Info)
    }

    /// A numeric parameter.
    pub fn num(&self, key: &str) -> Result<f64> {
        match self.params.get(key) {
            Some(toml::Value::Integer(i)) => Ok(*i as f64),
            Some(toml::Value::Float(f)) => Ok(*f),
            Some(_) => Err(Error::Param {
                rule: self.id.clone(),
                key: key.into(),
                message: "must be a number".into(),
            }),
            None => Err(Error::Param {
                rule: self.id.clone(),
                key: key.into(),
                message: "is missing".into(),
            }),
        }
    }

    /// A list-of-strings parameter (lower-cased).
    pub fn strings(&self, key: &str) -> Result<Vec<String>> {
        let err =
            |m: &str| Error::Param { rule: self.id.clone(), key: key.into(), message: m.into() };
        match self.params.get(key) {
            Some(toml::Value::Array(a)) => a
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(|s| s.to_lowercase())
                        .ok_or_else(|| err("must be a list of strings"))
                })
                .collect(),
            Some(_) => Err(err("must be a list of strings")),
            None => Err(err("is missing")),
        }
    }
}
