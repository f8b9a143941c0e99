//! Rule data: the TOML files under `rules/`, their validation, and the state
//! of the rules on any date.
//!
//! Layout (`docs/rules.md`):
//! * `rules/country_groups.toml` — country groups as dated sets;
//! * `rules/letters.toml` — is-informed letters;
//! * `rules/versions/<YYYY-MM-DD>/rule.toml` — one folder per effective date.
//!
//! Merge semantics, in effective-date order: singleton sections (`ic_test`,
//! `hbm_test`, `datacenter_note`, `systems`, `z_route`) replace the earlier
//! section; list sections (`destination_scope`, `hq_rule`, `review_policy`,
//! `exception`, `end_use_rule`, `review_overlay`, `tariff_band`, `notice`) add
//! entries by `id`, and `rule.retire` removes earlier entries by id. Every
//! entry must carry a non-empty `citation` and an `evidence` level; the loader
//! rejects the file otherwise.

use std::collections::BTreeSet;
use std::path::Path;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

use crate::countries::CountryGroups;
use crate::error::{Error, Result};

/// Evidence level of a rule statement (export-rules.md, table at the top).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Evidence {
    /// Verbatim official text was seen.
    V,
    /// Secondary source: encoded, marked unverified.
    S,
    /// Recalled, not re-verified.
    R,
    /// Derived here (arithmetic or interpretation).
    D,
}

impl Evidence {
    /// Verbatim text (V) and derivations kept in code and tests (D) count as
    /// verified; secondary (S) and recalled (R) statements mark an output
    /// `unverified`.
    pub fn verified(self) -> bool {
        matches!(self, Evidence::V | Evidence::D)
    }
    pub fn label(self) -> &'static str {
        match self {
            Evidence::V => "V",
            Evidence::S => "S",
            Evidence::R => "R",
            Evidence::D => "D",
        }
    }
}

/// A measured quantity a condition can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// Total processing performance.
    Tpp,
    /// Performance density (TPP / applicable die area), compared by cross-multiplication.
    Pd,
    /// Aggregate bidirectional I/O to ICs other than volatile memory, GB/s (2022 test).
    Io,
    /// HBM memory bandwidth density, GB/s/mm².
    Mbd,
    /// Total DRAM bandwidth, GB/s (Jan-2026 overlay).
    DramBw,
}

impl Quantity {
    pub fn name(self) -> &'static str {
        match self {
            Quantity::Tpp => "tpp",
            Quantity::Pd => "performance_density",
            Quantity::Io => "io_bidir_gbs",
            Quantity::Mbd => "memory_bandwidth_density",
            Quantity::DramBw => "dram_bw_gbs",
        }
    }
    /// The input field a user must supply to compute the quantity.
    pub fn input(self) -> &'static str {
        match self {
            Quantity::Tpp => "dense_tops",
            Quantity::Pd => "die_area_mm2",
            Quantity::Io => "io_bidir_gbs",
            Quantity::Mbd => "stack_bw_gbs and stack_area_mm2",
            Quantity::DramBw => "dram_bw_gbs",
        }
    }
}

/// A bound on one quantity: "X or more" is `at_least` (>=), "less than" is
/// `less_than` (<), "greater than" is `greater_than` (>), `at_most` (<=) is
/// only used for the informational tariff bands. (export-rules.md §9.3.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub quantity: Quantity,
    #[serde(default, deserialize_with = "opt_dec", skip_serializing_if = "Option::is_none")]
    pub at_least: Option<Decimal>,
    #[serde(default, deserialize_with = "opt_dec", skip_serializing_if = "Option::is_none")]
    pub greater_than: Option<Decimal>,
    #[serde(default, deserialize_with = "opt_dec", skip_serializing_if = "Option::is_none")]
    pub less_than: Option<Decimal>,
    #[serde(default, deserialize_with = "opt_dec", skip_serializing_if = "Option::is_none")]
    pub at_most: Option<Decimal>,
}

/// Alias kept for readers of the data model: a bound is a condition.
pub type Bound = Condition;

fn opt_dec<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Decimal>, D::Error> {
    let s: Option<String> = Option::deserialize(d)?;
    match s {
        None => Ok(None),
        Some(s) => s.parse::<Decimal>().map(Some).map_err(|e| {
            serde::de::Error::custom(format!("threshold {s:?} is not a decimal: {e}"))
        }),
    }
}

/// Control level of a paragraph: 3A090.a / .b / .c.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    A,
    B,
    C,
}

/// One ECCN paragraph as a conjunction of bounds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paragraph {
    pub id: String,
    pub level: Level,
    pub text: String,
    pub conditions: Vec<Condition>,
    pub citation: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Test {
    pub paragraph: Vec<Paragraph>,
    pub citation: String,
    pub evidence: Evidence,
}

/// Note 2 to 3A090 (the datacenter note).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatacenterNote {
    pub id: String,
    pub text: String,
    pub levels: Vec<Level>,
    /// The note does not exclude items meeting this bound (TPP >= 4800).
    pub unless: Condition,
    pub citation: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemEccn {
    pub eccn: String,
    pub text: String,
    pub citation: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Systems {
    pub a: SystemEccn,
    #[serde(default)]
    pub b: Option<SystemEccn>,
}

/// `.z` routing of an item whose base ECCN is another entry (§4.5).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZRoute {
    /// Base ECCN paragraphs (prefix match, most specific wins).
    pub base: Vec<String>,
    pub a: String,
    pub b: String,
    pub citation: String,
    pub evidence: Evidence,
}

/// A set of destinations: explicit `countries` are members whatever the
/// exclusions; group members are members unless also in an `except_groups`
/// group; `except_countries` removes codes last. `groups_as_of` freezes group
/// membership at a date (the Diffusion-era enforced scope, §6.1).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountrySet {
    #[serde(default)]
    pub worldwide: bool,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub except_groups: Vec<String>,
    #[serde(default)]
    pub except_countries: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups_as_of: Option<Date>,
}

/// Transaction type (export-rules.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TxType {
    Export,
    Reexport,
    InCountryTransfer,
}

/// Party role in a transaction (EAR §748.5 terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Exporter,
    Purchaser,
    IntermediateConsignee,
    UltimateConsignee,
    EndUser,
}

/// Destination-based licence requirement (§742.6(a)(6)).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationScope {
    pub id: String,
    pub levels: Vec<Level>,
    pub paragraph: String,
    pub text: String,
    pub destinations: CountrySet,
    #[serde(default = "yes")]
    pub enforced: bool,
    #[serde(default)]
    pub not_enforced: Option<String>,
    pub citation: String,
    pub evidence: Evidence,
}

fn yes() -> bool {
    true
}

/// Headquarters-based licence requirement (§6.2).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HqRule {
    pub id: String,
    pub levels: Vec<Level>,
    pub paragraph: String,
    pub text: String,
    pub hq: CountrySet,
    pub roles: Vec<Role>,
    pub citation: String,
    pub evidence: Evidence,
}

/// Licence review policy, ordered from least to most restrictive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    None,
    /// No review-policy row of the data covers the case.
    NotSpecified,
    PresumptionOfApproval,
    CaseByCase,
    PerEntry,
    PresumptionOfDenial,
}

impl Policy {
    pub fn name(self) -> &'static str {
        match self {
            Policy::None => "none",
            Policy::NotSpecified => "not_specified",
            Policy::PresumptionOfApproval => "presumption_of_approval",
            Policy::CaseByCase => "case_by_case",
            Policy::PerEntry => "per_entry",
            Policy::PresumptionOfDenial => "presumption_of_denial",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disputed {
    pub policy: Policy,
    pub source: String,
    pub evidence: Evidence,
}

/// A review policy row (§742.6(b)(10)); matches on destination and/or the
/// HQ of an end user / consignee.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewPolicy {
    pub id: String,
    pub policy: Policy,
    #[serde(default)]
    pub destinations: Option<CountrySet>,
    #[serde(default)]
    pub hq: Option<CountrySet>,
    /// The destination must not be in this set.
    #[serde(default)]
    pub outside: Option<CountrySet>,
    /// The row does not apply when an end user / ultimate consignee is
    /// headquartered (or parented) in this set.
    #[serde(default)]
    pub unless_hq: Option<CountrySet>,
    pub text: String,
    #[serde(default)]
    pub disputed: Option<Disputed>,
    pub citation: String,
    pub evidence: Evidence,
}

/// One alternative scope of an exception: all given fields must hold.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    #[serde(default)]
    pub destinations: Option<CountrySet>,
    #[serde(default)]
    pub hq: Option<CountrySet>,
    #[serde(default)]
    pub not_hq: Option<CountrySet>,
    #[serde(default)]
    pub transaction_types: Option<Vec<TxType>>,
}

/// A licence exception (Part 740).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    pub id: String,
    pub name: String,
    pub paragraph: String,
    pub text: String,
    #[serde(default = "ab")]
    pub levels: Vec<Level>,
    /// "except for items designed or marketed for use in a data center and
    /// meeting the parameters of 3A090.a" (§740.8, §6.5).
    #[serde(default)]
    pub exclude_datacenter_a: bool,
    pub when_any: Vec<When>,
    #[serde(default)]
    pub item_condition: Option<Condition>,
    #[serde(default)]
    pub notification_days: Option<u32>,
    #[serde(default)]
    pub aes_code: Option<String>,
    /// A flag an end user or ultimate consignee must carry.
    #[serde(default)]
    pub requires_party_flag: Option<String>,
    /// Conditions to meet when the exception is used (shown when available).
    #[serde(default)]
    pub conditions: Vec<String>,
    #[serde(default = "yes")]
    pub enforced: bool,
    #[serde(default)]
    pub not_enforced: Option<String>,
    pub citation: String,
    pub evidence: Evidence,
}

fn ab() -> Vec<Level> {
    vec![Level::A, Level::B]
}

/// Kinds of end-user / end-use rules the engine implements (§7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndUseKind {
    Embargo,
    EntityList,
    MilitaryEndUser,
    UnverifiedList,
    DeniedPerson,
    SanctionedParty,
    Supercomputer,
    Gp10PrcDesigned,
    AiTraining,
    Affiliates,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suspension {
    pub from: Date,
    pub to: Date,
    pub citation: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndUseRule {
    pub id: String,
    pub kind: EndUseKind,
    /// List codes (prefixes) whose hits this rule acts on.
    #[serde(default)]
    pub lists: Vec<String>,
    pub paragraph: String,
    pub text: String,
    #[serde(default)]
    pub destinations: Option<CountrySet>,
    #[serde(default)]
    pub hq: Option<CountrySet>,
    #[serde(default)]
    pub designer_hq: Option<CountrySet>,
    #[serde(default)]
    pub levels: Option<Vec<Level>>,
    #[serde(default, deserialize_with = "opt_dec")]
    pub threshold_percent: Option<Decimal>,
    #[serde(default)]
    pub suspended: Vec<Suspension>,
    pub policy: Policy,
    pub citation: String,
    pub evidence: Evidence,
}

impl EndUseRule {
    /// The suspension covering `date`, if any.
    pub fn suspension_on(&self, date: Date) -> Option<&Suspension> {
        self.suspended.iter().find(|s| s.from <= date && date <= s.to)
    }
}

/// Review-policy overlay (Jan-2026 China zone, §6.4).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewOverlay {
    pub id: String,
    pub policy: Policy,
    pub paragraph: String,
    pub text: String,
    pub destinations: CountrySet,
    pub ship_from: Vec<String>,
    pub transaction_types: Vec<TxType>,
    pub levels: Vec<Level>,
    pub zone: Vec<Condition>,
    pub conditions: Vec<String>,
    #[serde(default)]
    pub dram_bw_note: Option<String>,
    pub citation: String,
    pub evidence: Evidence,
}

/// Informational tariff band (not an export control).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TariffBand {
    pub id: String,
    pub text: String,
    pub bounds: Vec<Condition>,
    pub citation: String,
    pub evidence: Evidence,
}

/// An informational statement in force from a rule version.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    pub id: String,
    pub text: String,
    /// Show the notice beside these rows (ids) when they match.
    #[serde(default, rename = "with")]
    pub with_rows: Vec<String>,
    pub citation: String,
    pub evidence: Evidence,
}

/// Metadata of a rule version.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    pub id: String,
    pub effective: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub released: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compliance: Option<Date>,
    pub title: String,
    pub citation: String,
    pub evidence: Evidence,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retire: Vec<String>,
}

/// An is-informed letter (§6.7).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Letter {
    pub id: String,
    pub addressee: String,
    pub from: Date,
    #[serde(default)]
    pub to: Option<Date>,
    pub items: Vec<String>,
    #[serde(default)]
    pub destinations: Option<CountrySet>,
    #[serde(default)]
    pub hq: Option<CountrySet>,
    pub text: String,
    pub citation: String,
    pub evidence: Evidence,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionFile {
    rule: RuleMeta,
    #[serde(default)]
    ic_test: Option<Test>,
    #[serde(default)]
    hbm_test: Option<Test>,
    #[serde(default)]
    datacenter_note: Option<DatacenterNote>,
    #[serde(default)]
    systems: Option<Systems>,
    #[serde(default)]
    z_route: Option<Vec<ZRoute>>,
    #[serde(default)]
    destination_scope: Vec<DestinationScope>,
    #[serde(default)]
    hq_rule: Vec<HqRule>,
    #[serde(default)]
    review_policy: Vec<ReviewPolicy>,
    #[serde(default)]
    exception: Vec<Exception>,
    #[serde(default)]
    end_use_rule: Vec<EndUseRule>,
    #[serde(default)]
    review_overlay: Vec<ReviewOverlay>,
    #[serde(default)]
    tariff_band: Vec<TariffBand>,
    #[serde(default)]
    notice: Vec<Notice>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LettersFile {
    #[serde(default)]
    letter: Vec<Letter>,
}

/// The rules in force from one version's effective date until the next.
#[derive(Debug, Clone, Serialize)]
pub struct RulesAt {
    /// The latest rule version in force.
    pub version: RuleMeta,
    /// Every version applied so far, oldest first (ids).
    pub history: Vec<String>,
    pub ic_test: Option<Test>,
    pub hbm_test: Option<Test>,
    pub datacenter_note: Option<DatacenterNote>,
    pub systems: Option<Systems>,
    pub z_routes: Vec<ZRoute>,
    pub destination_scope: Vec<DestinationScope>,
    pub hq_rules: Vec<HqRule>,
    pub review_policies: Vec<ReviewPolicy>,
    pub exceptions: Vec<Exception>,
    pub end_use_rules: Vec<EndUseRule>,
    pub review_overlays: Vec<ReviewOverlay>,
    pub tariff_bands: Vec<TariffBand>,
    pub notices: Vec<Notice>,
}

/// All rule versions, country groups and letters.
#[derive(Debug, Clone)]
pub struct RuleSet {
    states: Vec<RulesAt>,
    pub groups: CountryGroups,
    pub letters: Vec<Letter>,
    /// sha256-free fingerprint: ids of all versions joined, for the record.
    pub data_version: String,
}

fn check_cite(file: &str, what: &str, citation: &str) -> Result<()> {
    if citation.trim().is_empty() {
        return Err(Error::rule(file, format!("{what}: empty citation")));
    }
    Ok(())
}

impl RuleSet {
    /// The rule data compiled into the binary.
    pub fn embedded() -> Result<RuleSet> {
        let files: Vec<(String, String)> = crate::catalog::embedded_files()
            .iter()
            .filter(|(p, _)| p.starts_with("rules/"))
            .map(|(p, c)| (p.trim_start_matches("rules/").to_string(), c.to_string()))
            .collect();
        RuleSet::from_files(&files)
    }

    /// Load rule data from a directory with the `rules/` layout (for users who
    /// maintain their own rule data; see docs/rules.md).
    pub fn load_dir(dir: &Path) -> Result<RuleSet> {
        let mut files = Vec::new();
        fn walk(base: &Path, d: &Path, out: &mut Vec<(String, String)>) -> Result<()> {
            let rd = std::fs::read_dir(d)
                .map_err(|e| Error::rule(d.display().to_string(), e.to_string()))?;
            for e in rd {
                let p = e.map_err(|e| Error::rule(d.display().to_string(), e.to_string()))?.path();
                if p.is_dir() {
                    walk(base, &p, out)?;
                } else if p.extension().is_some_and(|x| x == "toml") {
                    let c = std::fs::read_to_string(&p)
                        .map_err(|e| Error::rule(p.display().to_string(), e.to_string()))?;
                    let rel =
                        p.strip_prefix(base).unwrap_or(&p).to_string_lossy().replace('\\', "/");
                    out.push((rel, c));
                }
            }
            Ok(())
        }
        walk(dir, dir, &mut files)?;
        RuleSet::from_files(&files)
    }

    /// Build from (path relative to the rules root, contents) pairs.
    pub fn from_files(files: &[(String, String)]) -> Result<RuleSet> {
        let find = |name: &str| files.iter().find(|(p, _)| p == name);
        let (gp, gc) = find("country_groups.toml")
            .ok_or_else(|| Error::rule("rules/", "country_groups.toml is missing"))?;
        let groups = CountryGroups::parse(gp, gc)?;
        let letters = match find("letters.toml") {
            Some((p, c)) => {
                let lf: LettersFile =
                    toml::from_str(c).map_err(|e| Error::rule(p, e.to_string()))?;
                for l in &lf.letter {
                    check_cite(p, &format!("letter {}", l.id), &l.citation)?;
                    for set in [&l.destinations, &l.hq].into_iter().flatten() {
                        check_set(p, &l.id, set, &groups)?;
                    }
                    if l.items.is_empty() {
                        return Err(Error::rule(p, format!("letter {}: no items", l.id)));
                    }
                }
                lf.letter
            }
            None => Vec::new(),
        };
        let mut versions: Vec<(String, VersionFile)> = Vec::new();
        for (p, c) in files {
            let Some(rest) = p.strip_prefix("versions/") else { continue };
            let folder = rest.split('/').next().unwrap_or("");
            let vf: VersionFile = toml::from_str(c).map_err(|e| Error::rule(p, e.to_string()))?;
            if vf.rule.id != folder || vf.rule.effective.to_string() != folder {
                return Err(Error::rule(
                    p,
                    format!(
                        "rule.id ({}) and rule.effective ({}) must both equal the folder name {folder}",
                        vf.rule.id, vf.rule.effective
                    ),
                ));
            }
            validate_version(p, &vf, &groups)?;
            versions.push((p.clone(), vf));
        }
        if versions.is_empty() {
            return Err(Error::rule("rules/versions/", "no rule versions found"));
        }
        versions.sort_by_key(|(_, v)| v.rule.effective);
        for w in versions.windows(2) {
            if w[0].1.rule.effective == w[1].1.rule.effective {
                return Err(Error::rule(&w[1].0, "two rule versions with the same effective date"));
            }
        }
        let mut states: Vec<RulesAt> = Vec::new();
        let mut known: BTreeSet<String> = BTreeSet::new();
        for (p, vf) in versions {
            let mut st = match states.last() {
                Some(prev) => prev.clone(),
                None => RulesAt {
                    version: vf.rule.clone(),
                    history: Vec::new(),
                    ic_test: None,
                    hbm_test: None,
                    datacenter_note: None,
                    systems: None,
                    z_routes: Vec::new(),
                    destination_scope: Vec::new(),
                    hq_rules: Vec::new(),
                    review_policies: Vec::new(),
                    exceptions: Vec::new(),
                    end_use_rules: Vec::new(),
                    review_overlays: Vec::new(),
                    tariff_bands: Vec::new(),
                    notices: Vec::new(),
                },
            };
            for id in &vf.rule.retire {
                if !known.contains(id) {
                    return Err(Error::rule(&p, format!("retire: no earlier entry has id {id:?}")));
                }
                st.destination_scope.retain(|x| &x.id != id);
                st.hq_rules.retain(|x| &x.id != id);
                st.review_policies.retain(|x| &x.id != id);
                st.exceptions.retain(|x| &x.id != id);
                st.end_use_rules.retain(|x| &x.id != id);
                st.review_overlays.retain(|x| &x.id != id);
                st.tariff_bands.retain(|x| &x.id != id);
                st.notices.retain(|x| &x.id != id);
            }
            let mut add_id = |id: &str| -> Result<()> {
                if !known.insert(id.to_string()) {
                    return Err(Error::rule(&p, format!("duplicate entry id {id:?}")));
                }
                Ok(())
            };
            for x in &vf.destination_scope {
                add_id(&x.id)?;
            }
            for x in &vf.hq_rule {
                add_id(&x.id)?;
            }
            for x in &vf.review_policy {
                add_id(&x.id)?;
            }
            for x in &vf.exception {
                add_id(&x.id)?;
            }
            for x in &vf.end_use_rule {
                add_id(&x.id)?;
            }
            for x in &vf.review_overlay {
                add_id(&x.id)?;
            }
            for x in &vf.tariff_band {
                add_id(&x.id)?;
            }
            for x in &vf.notice {
                add_id(&x.id)?;
            }
            st.version = vf.rule.clone();
            st.history.push(vf.rule.id.clone());
            if let Some(t) = vf.ic_test {
                st.ic_test = Some(t);
            }
            if let Some(t) = vf.hbm_test {
                st.hbm_test = Some(t);
            }
            if let Some(n) = vf.datacenter_note {
                st.datacenter_note = Some(n);
            }
            if let Some(s) = vf.systems {
                st.systems = Some(s);
            }
            if let Some(z) = vf.z_route {
                st.z_routes = z;
            }
            st.destination_scope.extend(vf.destination_scope);
            st.hq_rules.extend(vf.hq_rule);
            st.review_policies.extend(vf.review_policy);
            st.exceptions.extend(vf.exception);
            st.end_use_rules.extend(vf.end_use_rule);
            st.review_overlays.extend(vf.review_overlay);
            st.tariff_bands.extend(vf.tariff_band);
            st.notices.extend(vf.notice);
            states.push(st);
        }
        let data_version = states.last().map(|s| s.version.id.clone()).unwrap_or_default();
        Ok(RuleSet { states, groups, letters, data_version: format!("rules@{data_version}") })
    }

    /// The rules in force on `date` (effective dates are inclusive).
    pub fn at(&self, date: Date) -> Result<&RulesAt> {
        let idx = self.states.partition_point(|s| s.version.effective <= date);
        if idx == 0 {
            return Err(Error::NoRuleInForce {
                date: date.to_string(),
                first: self.states[0].version.effective.to_string(),
            });
        }
        Ok(&self.states[idx - 1])
    }

    /// All versions, oldest first.
    pub fn versions(&self) -> impl Iterator<Item = &RuleMeta> {
        self.states.iter().map(|s| &s.version)
    }

    /// Effective dates of all versions plus every country-group change, for
    /// "dates before and after each change" tests and listings.
    pub fn change_dates(&self) -> Vec<Date> {
        let mut d: BTreeSet<Date> = self.states.iter().map(|s| s.version.effective).collect();
        d.extend(self.groups.change_dates());
        d.into_iter().collect()
    }
}

fn validate_version(file: &str, vf: &VersionFile, groups: &CountryGroups) -> Result<()> {
    check_cite(file, "rule", &vf.rule.citation)?;
    let mut sets: Vec<(&str, &CountrySet)> = Vec::new();
    for t in [&vf.ic_test, &vf.hbm_test].into_iter().flatten() {
        check_cite(file, "test", &t.citation)?;
        for p in &t.paragraph {
            check_cite(file, &p.id, &p.citation)?;
            if p.conditions.is_empty() {
                return Err(Error::rule(file, format!("paragraph {} has no conditions", p.id)));
            }
            for c in &p.conditions {
                check_condition(file, &p.id, c)?;
            }
        }
    }
    if let Some(n) = &vf.datacenter_note {
        check_cite(file, &n.id, &n.citation)?;
        check_condition(file, &n.id, &n.unless)?;
    }
    if let Some(s) = &vf.systems {
        check_cite(file, "systems.a", &s.a.citation)?;
        if let Some(b) = &s.b {
            check_cite(file, "systems.b", &b.citation)?;
        }
    }
    for z in vf.z_route.iter().flatten() {
        check_cite(file, "z_route", &z.citation)?;
    }
    for x in &vf.destination_scope {
        check_cite(file, &x.id, &x.citation)?;
        if !x.enforced && x.not_enforced.is_none() {
            return Err(Error::rule(
                file,
                format!("{}: enforced = false needs a not_enforced reason", x.id),
            ));
        }
        sets.push((&x.id, &x.destinations));
    }
    for x in &vf.hq_rule {
        check_cite(file, &x.id, &x.citation)?;
        sets.push((&x.id, &x.hq));
    }
    for x in &vf.review_policy {
        check_cite(file, &x.id, &x.citation)?;
        sets.extend(x.destinations.iter().map(|s| (x.id.as_str(), s)));
        sets.extend(x.hq.iter().map(|s| (x.id.as_str(), s)));
        sets.extend(x.outside.iter().map(|s| (x.id.as_str(), s)));
        sets.extend(x.unless_hq.iter().map(|s| (x.id.as_str(), s)));
    }
    for x in &vf.exception {
        check_cite(file, &x.id, &x.citation)?;
        if !x.enforced && x.not_enforced.is_none() {
            return Err(Error::rule(
                file,
                format!("{}: enforced = false needs a not_enforced reason", x.id),
            ));
        }
        for w in &x.when_any {
            for s in [&w.destinations, &w.hq, &w.not_hq].into_iter().flatten() {
                sets.push((&x.id, s));
            }
        }
    }
    for x in &vf.end_use_rule {
        check_cite(file, &x.id, &x.citation)?;
        for s in &x.suspended {
            check_cite(file, &x.id, &s.citation)?;
        }
        for s in [&x.destinations, &x.hq, &x.designer_hq].into_iter().flatten() {
            sets.push((&x.id, s));
        }
    }
    for x in &vf.review_overlay {
        check_cite(file, &x.id, &x.citation)?;
        sets.push((&x.id, &x.destinations));
    }
    for x in &vf.tariff_band {
        check_cite(file, &x.id, &x.citation)?;
    }
    for x in &vf.notice {
        check_cite(file, &x.id, &x.citation)?;
    }
    for (id, s) in sets {
        check_set(file, id, s, groups)?;
    }
    for o in &vf.review_overlay {
        for c in &o.ship_from {
            if !crate::countries::is_alpha2(c) {
                return Err(Error::rule(
                    file,
                    format!("{}: ship_from {c:?} is not an ISO alpha-2 code", o.id),
                ));
            }
        }
        for c in &o.zone {
            check_condition(file, &o.id, c)?;
        }
    }
    for b in &vf.tariff_band {
        for c in &b.bounds {
            check_condition(file, &b.id, c)?;
        }
    }
    for e in &vf.exception {
        if let Some(c) = &e.item_condition {
            check_condition(file, &e.id, c)?;
        }
    }
    Ok(())
}

fn check_set(file: &str, id: &str, s: &CountrySet, groups: &CountryGroups) -> Result<()> {
    for g in s.groups.iter().chain(&s.except_groups) {
        if !groups.has_group(g) {
            return Err(Error::rule(file, format!("{id}: unknown country group {g:?}")));
        }
    }
    for c in s.countries.iter().chain(&s.except_countries) {
        if !crate::countries::is_alpha2(c) {
            return Err(Error::rule(
                file,
                format!("{id}: country {c:?} is not an ISO alpha-2 code"),
            ));
        }
    }
    Ok(())
}

fn check_condition(file: &str, id: &str, c: &Condition) -> Result<()> {
    if c.at_least.is_none()
        && c.greater_than.is_none()
        && c.less_than.is_none()
        && c.at_most.is_none()
    {
        return Err(Error::rule(
            file,
            format!("{id}: condition on {} has no bound", c.quantity.name()),
        ));
    }
    Ok(())
}

/// Members of a [`CountrySet`] listing, for documentation output.
pub fn describe_set(s: &CountrySet) -> String {
    if s.worldwide {
        let mut out = "worldwide".to_string();
        if !s.except_groups.is_empty() || !s.except_countries.is_empty() {
            let ex: Vec<&str> =
                s.except_groups.iter().chain(&s.except_countries).map(String::as_str).collect();
            out.push_str(&format!(" except {}", ex.join(", ")));
        }
        return out;
    }
    let mut parts: Vec<String> = s.groups.clone();
    parts.extend(s.countries.iter().cloned());
    let mut out = parts.join(", ");
    if !s.except_groups.is_empty() || !s.except_countries.is_empty() {
        let ex: Vec<&str> =
            s.except_groups.iter().chain(&s.except_countries).map(String::as_str).collect();
        out.push_str(&format!(" (not also in {})", ex.join(", ")));
    }
    if let Some(d) = s.groups_as_of {
        out.push_str(&format!(", groups as at {d}"));
    }
    out
}
