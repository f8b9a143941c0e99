//! The generic record model: one row about a counterparty, from any source.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Company or natural person. Changes how names are read and which
/// comparisons apply (persons: given name, surname, date of birth;
/// companies: whole-name token similarity, incorporation date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A company or other organisation.
    #[default]
    Company,
    /// A natural person.
    Person,
}

impl Kind {
    /// Parse `company` / `person` (also `organization`, `individual`; any
    /// case). Anything else is a company.
    pub fn parse(s: &str) -> Kind {
        match s.trim().to_ascii_lowercase().as_str() {
            "person" | "individual" | "natural_person" | "p" => Kind::Person,
            _ => Kind::Company,
        }
    }
}

/// One record about a counterparty. Every field except `id` is optional
/// evidence: empty strings and `None` mean "not known", never "different".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Id of the record within its source (unique per source).
    pub id: String,
    /// Source system or file (`crm`, `invoices`, `dataset4a`). In link-only
    /// mode only records of different sources are compared.
    pub source: String,
    /// Company or person.
    pub kind: Kind,
    /// The name as written, any script. For persons, the full name when the
    /// parts are not given separately.
    pub name: String,
    /// Other names of the same record (former names, trading names, the
    /// name in another script).
    pub alt_names: Vec<String>,
    /// Person given name(s), when split out.
    pub given_name: Option<String>,
    /// Person surname, when split out.
    pub surname: Option<String>,
    /// House / street number, when split out.
    pub street_number: Option<String>,
    /// Address lines (the first is the street line).
    pub address_lines: Vec<String>,
    /// City / suburb / locality.
    pub city: Option<String>,
    /// Postcode.
    pub postcode: Option<String>,
    /// State / province.
    pub state: Option<String>,
    /// Country: ISO 3166-1 alpha-2 (names and alpha-3 are mapped).
    pub country: Option<String>,
    /// Phone number in any format.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Website URL or domain.
    pub website: Option<String>,
    /// Registry number (UEN, SSM, USCC, CR, EIN, HRB …; for persons a
    /// national id such as FEBRL's `soc_sec_id`).
    pub registration_id: Option<String>,
    /// Incorporation date (companies), any of `YYYY-MM-DD`, `YYYYMMDD`.
    pub incorporated_on: Option<String>,
    /// Date of birth (persons), `YYYY-MM-DD` or `YYYYMMDD`.
    pub dob: Option<String>,
    /// Declared parent: the `id` of another record (same source) or of a
    /// record in any source when ids are global.
    pub parent_id: Option<String>,
    /// Country of the ultimate headquarters, when declared.
    pub hq_country: Option<String>,
    /// Anything else the source had (kept, not compared).
    pub extra: BTreeMap<String, String>,
}

/// A row of the trade ledger's `parties` table (issue 5): the columns map
/// one to one onto [`Record`] with [`Record::from_party`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartyRow {
    /// `party_id`.
    pub party_id: String,
    /// `name`.
    pub name: String,
    /// `country`.
    #[serde(default)]
    pub country: Option<String>,
    /// `address` (one free-text line; commas and newlines split lines).
    #[serde(default)]
    pub address: Option<String>,
    /// `phone`.
    #[serde(default)]
    pub phone: Option<String>,
    /// `email`.
    #[serde(default)]
    pub email: Option<String>,
    /// `website`.
    #[serde(default)]
    pub website: Option<String>,
    /// `registration_id`.
    #[serde(default)]
    pub registration_id: Option<String>,
    /// `incorporated_on`.
    #[serde(default)]
    pub incorporated_on: Option<String>,
    /// `parent_party_id`.
    #[serde(default)]
    pub parent_party_id: Option<String>,
    /// `hq_country`.
    #[serde(default)]
    pub hq_country: Option<String>,
    /// `kind` (`company` | `person`).
    #[serde(default)]
    pub kind: Option<String>,
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

impl Record {
    /// A record from a ledger `parties` row.
    ///
    /// ```
    /// use chiptrace_er::{PartyRow, Record, Kind};
    /// let row = PartyRow { party_id: "P1".into(), name: "Veltrix Pte. Ltd.".into(),
    ///     country: Some("SG".into()), kind: Some("company".into()), ..Default::default() };
    /// let r = Record::from_party(&row, "ledger");
    /// assert_eq!(r.kind, Kind::Company);
    /// assert_eq!(r.country.as_deref(), Some("SG"));
    /// ```
    pub fn from_party(row: &PartyRow, source: &str) -> Record {
        let address_lines = row
            .address
            .as_deref()
            .map(|a| {
                a.split(['\n', ';'])
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        Record {
            id: row.party_id.trim().to_string(),
            source: source.to_string(),
            kind: row.kind.as_deref().map(Kind::parse).unwrap_or_default(),
            name: row.name.trim().to_string(),
            address_lines,
            country: non_empty(&row.country),
            phone: non_empty(&row.phone),
            email: non_empty(&row.email),
            website: non_empty(&row.website),
            registration_id: non_empty(&row.registration_id),
            incorporated_on: non_empty(&row.incorporated_on),
            parent_id: non_empty(&row.parent_party_id),
            hq_country: non_empty(&row.hq_country),
            ..Record::default()
        }
    }

    /// A company record with a name (builder start for tests and examples).
    pub fn company(id: &str, source: &str, name: &str) -> Record {
        Record {
            id: id.to_string(),
            source: source.to_string(),
            kind: Kind::Company,
            name: name.to_string(),
            ..Record::default()
        }
    }
}

/// Records with their ground truth: `truth[i]` is the true entity of
/// `records[i]` (records with equal labels are the same entity).
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// The records.
    pub records: Vec<Record>,
    /// True entity label per record.
    pub truth: Vec<String>,
}
