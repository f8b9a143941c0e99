//! The validated, source-independent model of one restricted-party list
//! entry. Every parser turns its raw record into a [`ListEntry`]; everything
//! downstream (normalisation, indexing, scoring, explanations, the store)
//! works only on this type ("parse, then validate", engineering.md §2.3).

use serde::{Deserialize, Serialize};

/// What kind of party an entry (or a query) describes.
///
/// The names follow FollowTheMoney schemata loosely so that `--schema
/// Company` / `LegalEntity` / `Organization` queries map cleanly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum EntitySchema {
    /// A natural person.
    Person,
    /// A company, institute, agency, university or any other legal entity.
    Organization,
    /// A ship.
    Vessel,
    /// An aircraft.
    Aircraft,
    /// The source did not say and inference was not confident.
    Unknown,
}

impl EntitySchema {
    /// Parse the schema names users type on the command line or that
    /// FollowTheMoney/CSL records carry (case-insensitive).
    pub fn parse(s: &str) -> Option<EntitySchema> {
        match s.trim().to_ascii_lowercase().as_str() {
            "person" | "individual" | "people" => Some(EntitySchema::Person),
            "company" | "organization" | "organisation" | "legalentity" | "legal_entity"
            | "entity" | "business" | "publicbody" | "org" => Some(EntitySchema::Organization),
            "vessel" | "ship" => Some(EntitySchema::Vessel),
            "aircraft" | "airplane" => Some(EntitySchema::Aircraft),
            "" | "unknown" | "thing" => Some(EntitySchema::Unknown),
            _ => None,
        }
    }

    /// Short lower-case label used in CSV/JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            EntitySchema::Person => "person",
            EntitySchema::Organization => "organization",
            EntitySchema::Vessel => "vessel",
            EntitySchema::Aircraft => "aircraft",
            EntitySchema::Unknown => "unknown",
        }
    }
}

/// How a name relates to the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    /// The entry's main name as published.
    Primary,
    /// An alias ("a.k.a.", `alt_names`, alias lists).
    Alias,
    /// A former name ("f.k.a.", "formerly").
    Former,
    /// An alias the source flags as weak / low quality (UN `QUALITY=Low`, OFAC "weak aka").
    Weak,
    /// A trading / doing-business-as name ("d/b/a").
    TradingAs,
    /// An abbreviation or acronym given in brackets after the name, e.g. "(CETC 38)".
    Acronym,
}

/// One name of an entry, with provenance of how it was extracted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryName {
    /// The name as written by the source (trimmed; alias phrase removed).
    pub name: String,
    /// Its role.
    pub kind: NameKind,
    /// The phrase that introduced it when it was split out of another field
    /// ("a.k.a.", "f.k.a.", "d/b/a", "(...)", "alt_names"), for explanations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// A postal address (free text, plus the country when known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Address {
    /// The full address as one line.
    pub full: String,
    /// ISO 3166-1 alpha-2 code of the address country, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// An identifier such as a passport number, IMO number, USCC or registration id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identifier {
    /// Identifier type as the source calls it, lower-cased ("passport", "imo", "uscc", ...).
    pub kind: String,
    /// The value as written.
    pub value: String,
    /// Issuing country (ISO alpha-2) when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// A dated fact: birth date, listing date, end date...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateFact {
    /// "birth", "listed", "effective", "start", "end", ...
    pub kind: String,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` when it could be normalised, else the source text.
    pub value: String,
}

/// A validated list entry. See `docs/lists.md` for how each source maps here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListEntry {
    /// Stable code of the source list, e.g. `us_bis_entity_list`, `us_ofac_sdn`, `un_sc`.
    pub list: String,
    /// Stable id of the entry within the list: the source's own id, or a
    /// documented deterministic id (see `docs/lists.md`).
    pub id: String,
    /// Person / organization / vessel / aircraft.
    pub schema: EntitySchema,
    /// All names; the first is the primary name.
    pub names: Vec<EntryName>,
    /// Countries (ISO 3166-1 alpha-2), from the country field, addresses,
    /// nationality and citizenship.
    pub countries: Vec<String>,
    /// Addresses.
    pub addresses: Vec<Address>,
    /// Identifiers.
    pub identifiers: Vec<Identifier>,
    /// Dates (birth, listing, ...).
    pub dates: Vec<DateFact>,
    /// Sanctions programmes / list sub-codes.
    pub programs: Vec<String>,
    /// Federal Register citation(s), e.g. `84 FR 22963, 5/21/19`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub federal_register: Option<String>,
    /// License requirement text (Entity List "License requirement" column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_requirement: Option<String>,
    /// License review policy text, where the source gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_policy: Option<String>,
    /// Free-text remarks not otherwise parsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    /// The raw source record, as JSON (CSV rows become `{column: value}`).
    pub raw: serde_json::Value,
}

impl ListEntry {
    /// The primary (first) name, or "" for a degenerate entry.
    pub fn primary_name(&self) -> &str {
        self.names.first().map(|n| n.name.as_str()).unwrap_or("")
    }
}
