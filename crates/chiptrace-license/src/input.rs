//! The transaction input format (`docs/license-determination.md`).
//!
//! Parsed in two passes: the shape with `serde_path_to_error` (so an error
//! names the field, e.g. `parties[1].country`), then the inline chip specs
//! from their raw JSON text so their numbers stay exact decimals.

use chiptrace_rules::{ChipSpec, Date, Role, TxType, normalize_country, parse_date};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::Error;

/// Largest accepted transaction file (bytes) and list sizes: inputs are
/// bounded so a hostile file cannot exhaust memory or time.
pub const MAX_INPUT_BYTES: usize = 4 << 20;
const MAX_ITEMS: usize = 1000;
const MAX_PARTIES: usize = 1000;

/// How strongly a list hit matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HitStrength {
    /// A reviewer confirmed the match (true_match disposition).
    Confirmed,
    /// Score at or above the strong threshold: treated as the listed party.
    Strong,
    /// Above the alert threshold but not strong: must be reviewed; the
    /// decision is indeterminate until it is.
    Potential,
}

/// A restricted-list hit on a party (from `chiptrace screen` or a reviewer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListHit {
    /// List code, e.g. `us_bis_entity_list`, `us_bis_meu`, `us_ofac_sdn`.
    pub list: String,
    #[serde(default)]
    pub entry_id: Option<String>,
    /// The listed name that matched.
    pub name: String,
    #[serde(default)]
    pub score: Option<f64>,
    pub strength: HitStrength,
    /// The entry's own licence requirement (Entity List column).
    #[serde(default)]
    pub license_requirement: Option<String>,
    /// The entry's own licence review policy.
    #[serde(default)]
    pub license_policy: Option<String>,
    #[serde(default)]
    pub federal_register: Option<String>,
}

/// An owner of a party (Affiliates rule, ≥ 50 % ownership).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    pub name: String,
    #[serde(default)]
    pub country: Option<String>,
    /// Ownership share in percent (0–100), direct or indirect.
    pub percent: f64,
    #[serde(default)]
    pub list_hits: Vec<ListHit>,
}

/// A party to the transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub role: Role,
    pub name: String,
    /// Where the party is located (ISO alpha-2).
    pub country: String,
    /// Headquarters country; `null` / absent = unknown.
    #[serde(default)]
    pub hq_country: Option<String>,
    /// Ultimate parent's headquarters country; `null` / absent = unknown.
    #[serde(default)]
    pub ultimate_parent_hq_country: Option<String>,
    /// Extra facts, e.g. `uae_approved` (Supp. No. 8 to Part 740).
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(default)]
    pub list_hits: Vec<ListHit>,
    #[serde(default)]
    pub owners: Vec<Owner>,
}

/// Declared end uses (knowledge-based rules, §7 of export-rules.md).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndUse {
    /// Known to be for a supercomputer (§744.23(a)(1)).
    #[serde(default)]
    pub supercomputer: bool,
    /// Known to be for a military end use or user (§744.21).
    #[serde(default)]
    pub military: bool,
    /// Known to train AI models for WMD or military-intelligence end uses
    /// (BIS policy statement of 2025-05-13).
    #[serde(default)]
    pub ai_training_wmd_or_military: bool,
}

/// The exporter and the is-informed letters it has received.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exporter {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    /// Ids of letters in `rules/letters.toml` addressed to this exporter.
    #[serde(default)]
    pub letters: Vec<String>,
}

/// Switches for non-default readings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Treat the codified-but-not-enforced AI Diffusion requirements as
    /// enforced (export-rules.md §2: "unless a configuration switch says otherwise").
    #[serde(default)]
    pub enforce_diffusion: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemShape {
    #[serde(default)]
    chip: Option<String>,
    #[serde(default)]
    spec: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    quantity: Option<u64>,
    #[serde(default)]
    base_eccn: Option<String>,
    #[serde(default)]
    datacenter: Option<String>,
    #[serde(default)]
    label: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // `notes` is accepted for the user's own records
struct Shape {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(rename = "type")]
    tx_type: TxType,
    #[serde(default)]
    ship_from: Option<String>,
    destination: String,
    #[serde(default)]
    exporter: Option<Exporter>,
    items: Vec<ItemShape>,
    #[serde(default)]
    parties: Vec<Party>,
    #[serde(default)]
    end_use: EndUse,
    #[serde(default)]
    options: Options,
    #[serde(default)]
    notes: Option<String>,
}

#[derive(Deserialize)]
struct RawItems<'a> {
    #[serde(borrow)]
    items: Vec<RawItem<'a>>,
}

#[derive(Deserialize)]
struct RawItem<'a> {
    #[serde(borrow, default)]
    spec: Option<&'a RawValue>,
}

/// How an item was given.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemSource {
    Catalog(String),
    Spec,
}

/// One line item, resolved to a spec.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub label: String,
    pub source: ItemSource,
    pub quantity: u64,
    #[serde(skip)]
    pub spec: ChipSpec,
}

/// A validated transaction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transaction {
    pub id: String,
    pub date: Option<Date>,
    #[serde(rename = "type")]
    pub tx_type: TxType,
    pub ship_from: Option<String>,
    pub destination: String,
    pub exporter: Exporter,
    pub items: Vec<Item>,
    pub parties: Vec<Party>,
    pub end_use: EndUse,
    pub options: Options,
}

impl Transaction {
    /// Parse and validate a transaction JSON document. `resolve` looks up
    /// catalog chips by name.
    pub fn from_json(
        text: &str,
        resolve: &dyn Fn(&str) -> chiptrace_rules::Result<ChipSpec>,
    ) -> Result<Transaction, Error> {
        if text.len() > MAX_INPUT_BYTES {
            return Err(Error::field(
                "transaction",
                format!("larger than {MAX_INPUT_BYTES} bytes"),
            ));
        }
        let de = &mut serde_json::Deserializer::from_str(text);
        let shape: Shape = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let path = if path == "." { "transaction".to_string() } else { path };
            Error::field(path, format!("{inner}"))
        })?;
        let raw: RawItems =
            serde_json::from_str(text).map_err(|e| Error::field("items", e.to_string()))?;
        if shape.items.is_empty() {
            return Err(Error::field("items", "at least one item is required"));
        }
        if shape.items.len() > MAX_ITEMS {
            return Err(Error::field("items", format!("at most {MAX_ITEMS} items")));
        }
        if shape.parties.len() > MAX_PARTIES {
            return Err(Error::field("parties", format!("at most {MAX_PARTIES} parties")));
        }
        let date = match &shape.date {
            Some(d) => Some(parse_date("date", d).map_err(Error::from_rules)?),
            None => None,
        };
        let destination =
            normalize_country("destination", &shape.destination).map_err(Error::from_rules)?;
        let ship_from = match &shape.ship_from {
            Some(s) => Some(normalize_country("ship_from", s).map_err(Error::from_rules)?),
            None => None,
        };
        let mut exporter = shape.exporter.unwrap_or_default();
        if let Some(c) = &exporter.country {
            exporter.country =
                Some(normalize_country("exporter.country", c).map_err(Error::from_rules)?);
        }
        let mut items = Vec::new();
        for (i, (it, r)) in shape.items.iter().zip(&raw.items).enumerate() {
            let f = |k: &str| format!("items[{i}].{k}");
            let (mut spec, source) = match (&it.chip, r.spec) {
                (Some(name), None) => {
                    let s = resolve(name).map_err(|e| Error::field(f("chip"), e.to_string()))?;
                    let id = s.catalog_id.clone().unwrap_or_else(|| name.clone());
                    (s, ItemSource::Catalog(id))
                }
                (None, Some(raw)) => {
                    let s = ChipSpec::from_json(raw.get(), resolve).map_err(|e| match e {
                        chiptrace_rules::Error::Field { field, message } => {
                            Error::field(format!("items[{i}].spec.{field}"), message)
                        }
                        other => Error::field(f("spec"), other.to_string()),
                    })?;
                    (s, ItemSource::Spec)
                }
                _ => {
                    return Err(Error::field(
                        format!("items[{i}]"),
                        "give exactly one of \"chip\" (catalog name) or \"spec\"",
                    ));
                }
            };
            if it.spec.is_some() && r.spec.is_none() {
                return Err(Error::field(f("spec"), "could not read the spec"));
            }
            if let Some(b) = it.base_eccn.as_ref().filter(|b| !b.trim().is_empty()) {
                spec.base_eccn = Some(b.trim().to_string());
                // validate through the spec parser's ECCN rule
                let probe = format!(
                    "{{\"name\":\"x\",\"base_eccn\":{},\"dense_tops\":{{\"fp16\":1}}}}",
                    serde_json::to_string(b).unwrap_or_default()
                );
                ChipSpec::from_json(&probe, resolve).map_err(|e| {
                    Error::field(
                        f("base_eccn"),
                        e.to_string().trim_start_matches("base_eccn: ").to_string(),
                    )
                })?;
            }
            if let Some(d) = &it.datacenter {
                spec.datacenter = chiptrace_rules::Datacenter::parse(&f("datacenter"), d)
                    .map_err(Error::from_rules)?;
            }
            let quantity = it.quantity.unwrap_or(1);
            if quantity == 0 {
                return Err(Error::field(f("quantity"), "must be at least 1"));
            }
            let label = it.label.clone().unwrap_or_else(|| spec.name.clone());
            items.push(Item { label, source, quantity, spec });
        }
        let mut parties = shape.parties;
        for (i, p) in parties.iter_mut().enumerate() {
            let f = |k: &str| format!("parties[{i}].{k}");
            if p.name.trim().is_empty() {
                return Err(Error::field(f("name"), "must not be empty"));
            }
            p.country = normalize_country(&f("country"), &p.country).map_err(Error::from_rules)?;
            for (k, v) in [
                ("hq_country", &mut p.hq_country),
                ("ultimate_parent_hq_country", &mut p.ultimate_parent_hq_country),
            ] {
                if let Some(c) = v.as_ref() {
                    if c.trim().is_empty() || c.eq_ignore_ascii_case("unknown") {
                        *v = None;
                    } else {
                        *v = Some(normalize_country(&f(k), c).map_err(Error::from_rules)?);
                    }
                }
            }
            for (j, o) in p.owners.iter_mut().enumerate() {
                if !(0.0..=100.0).contains(&o.percent) || o.percent.is_nan() {
                    return Err(Error::field(
                        format!("parties[{i}].owners[{j}].percent"),
                        "must be between 0 and 100",
                    ));
                }
                if let Some(c) = &o.country {
                    o.country = Some(
                        normalize_country(&format!("parties[{i}].owners[{j}].country"), c)
                            .map_err(Error::from_rules)?,
                    );
                }
            }
        }
        Ok(Transaction {
            id: shape.id.unwrap_or_else(|| "transaction".into()),
            date,
            tx_type: shape.tx_type,
            ship_from,
            destination,
            exporter,
            items,
            parties,
            end_use: shape.end_use,
            options: shape.options,
        })
    }
}
