//! Column mapping for custom CSV lists ([`crate::Format::CustomCsv`]).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::error::{ListError, Result};

/// Where the list code of a custom CSV's entries comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListCode {
    /// The file stem (`my_list.csv` -> `my_list`). The default.
    FileStem,
    /// One code for every row.
    Constant(String),
    /// A column holding the code per row (rows with an empty cell fall back
    /// to the file stem).
    Column(String),
}

/// Which columns of a custom CSV hold which fields.
///
/// Only `name` is required. Column names are matched exactly first, then
/// case-insensitively; a mapped column that is not in the header is a
/// [`ListError::Mapping`] that names the column and lists the header.
///
/// ```
/// use chiptrace_lists::{CustomCsvMapping, ListCode};
/// let m = CustomCsvMapping::parse_spec("name=Company Name,id=Ref,country=Ctry,aliases=AKA,list=my_list").unwrap();
/// assert_eq!(m.name, "Company Name");
/// assert_eq!(m.id.as_deref(), Some("Ref"));
/// assert_eq!(m.list, ListCode::Constant("my_list".into()));
/// assert_eq!(m.alias_separator, ";");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomCsvMapping {
    /// Column of the entry id. Without it ids are hashed like Entity List ids.
    pub id: Option<String>,
    /// Column of the primary name (required). Alias phrases in it ("a.k.a.")
    /// are split out as for the official lists.
    pub name: String,
    /// Column of aliases, several per cell separated by [`Self::alias_separator`].
    pub aliases: Option<String>,
    /// Separator of aliases, addresses, identifiers and programs inside one cell. Default `;`.
    pub alias_separator: String,
    /// Column of the type (`person`, `organization`, `company`, `vessel`,
    /// `aircraft`, `individual`, `entity`). Empty or missing: inferred from the name.
    pub schema: Option<String>,
    /// Column of the country (name or ISO code).
    pub country: Option<String>,
    /// Column of the address(es).
    pub address: Option<String>,
    /// Column of the date(s) of birth.
    pub dob: Option<String>,
    /// Column of identifiers: `Kind: value` items (a bare value has kind `id`).
    pub identifiers: Option<String>,
    /// Where the list code comes from.
    pub list: ListCode,
    /// Column of the Federal Register citation.
    pub federal_register: Option<String>,
    /// Column of free-text remarks.
    pub remarks: Option<String>,
    /// Column of programmes.
    pub programs: Option<String>,
    /// Field delimiter byte. Default `,`.
    pub delimiter: u8,
}

impl CustomCsvMapping {
    /// A mapping with only the name column set.
    pub fn new(name_column: &str) -> Self {
        CustomCsvMapping {
            id: None,
            name: name_column.to_string(),
            aliases: None,
            alias_separator: ";".to_string(),
            schema: None,
            country: None,
            address: None,
            dob: None,
            identifiers: None,
            list: ListCode::FileStem,
            federal_register: None,
            remarks: None,
            programs: None,
            delimiter: b',',
        }
    }

    /// Parse the command-line form: comma-separated `key=column` pairs, e.g.
    /// `name=Company Name,id=Ref,country=Ctry,aliases=AKA,list=my_list`.
    ///
    /// Keys: `name` (required), `id`, `aliases`, `alias_separator`,
    /// `schema` (or `type`), `country`, `address`, `dob`, `identifiers`,
    /// `list` (a constant code), `list_column`, `federal_register`,
    /// `remarks`, `programs`, `delimiter` (`comma`, `tab`, `semicolon`,
    /// `pipe` or one character other than `,`).
    pub fn parse_spec(spec: &str) -> Result<Self> {
        let mut pairs = BTreeMap::new();
        for part in spec.split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let Some((k, v)) = part.split_once('=') else {
                return Err(ListError::Mapping(format!(
                    "`{part}` is not `key=column` (spec: `{spec}`)"
                )));
            };
            pairs.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
        Self::from_pairs(pairs)
    }

    /// Read a mapping from a small config file: JSON (`{"name": "Company
    /// Name", "id": "Ref", "list": "my_list"}`) or a flat TOML file of
    /// `key = "value"` lines (an optional `[mapping]` table header is
    /// accepted). Keys are those of [`Self::parse_spec`].
    pub fn from_toml_or_json_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ListError::Io { path: path.to_path_buf(), source })?;
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        let mut pairs = BTreeMap::new();
        if trimmed.starts_with('{') {
            let v: serde_json::Value = serde_json::from_str(trimmed).map_err(|e| {
                ListError::Mapping(format!("{}:{}: invalid JSON: {e}", path.display(), e.line()))
            })?;
            let Some(obj) = v.as_object() else {
                return Err(ListError::Mapping(format!(
                    "{}: expected a JSON object",
                    path.display()
                )));
            };
            for (k, v) in obj {
                let s = match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => continue,
                    other => {
                        return Err(ListError::Mapping(format!(
                            "{}: value of `{k}` must be a string, found {other}",
                            path.display()
                        )));
                    }
                };
                pairs.insert(k.to_ascii_lowercase(), s);
            }
        } else {
            for (i, line) in trimmed.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') || line.starts_with('[') {
                    continue;
                }
                let Some((k, v)) = line.split_once('=') else {
                    return Err(ListError::Mapping(format!(
                        "{}:{}: expected `key = \"value\"`",
                        path.display(),
                        i + 1
                    )));
                };
                let v = v.trim();
                let v = v
                    .strip_prefix('"')
                    .and_then(|x| x.strip_suffix('"'))
                    .or_else(|| v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
                    .unwrap_or(v);
                pairs.insert(k.trim().to_ascii_lowercase(), v.replace("\\t", "\t"));
            }
        }
        Self::from_pairs(pairs)
    }

    fn from_pairs(pairs: BTreeMap<String, String>) -> Result<Self> {
        let mut m = CustomCsvMapping::new("");
        let mut list_const = None;
        let mut list_col = None;
        for (k, v) in pairs {
            let col = || if v.is_empty() { None } else { Some(v.clone()) };
            match k.as_str() {
                "name" => m.name = v.clone(),
                "id" => m.id = col(),
                "aliases" | "alias" | "alt_names" => m.aliases = col(),
                "alias_separator" | "aliases_separator" | "alias_sep" | "separator" => {
                    if v.is_empty() {
                        return Err(ListError::Mapping("alias_separator must not be empty".into()));
                    }
                    m.alias_separator = v.clone();
                }
                "schema" | "type" => m.schema = col(),
                "country" | "countries" => m.country = col(),
                "address" | "addresses" => m.address = col(),
                "dob" | "birth_date" | "date_of_birth" => m.dob = col(),
                "identifiers" | "ids" => m.identifiers = col(),
                "list" => list_const = col(),
                "list_column" => list_col = col(),
                "federal_register" | "fr" => m.federal_register = col(),
                "remarks" | "notes" => m.remarks = col(),
                "programs" | "program" => m.programs = col(),
                "delimiter" => {
                    m.delimiter = match v.as_str() {
                        "comma" | "," => b',',
                        "tab" | "\\t" | "\t" => b'\t',
                        "semicolon" | ";" => b';',
                        "pipe" | "|" => b'|',
                        s if s.len() == 1 => s.as_bytes()[0],
                        _ => {
                            return Err(ListError::Mapping(format!(
                                "delimiter `{v}` must be one character or comma/tab/semicolon/pipe"
                            )));
                        }
                    }
                }
                other => {
                    return Err(ListError::Mapping(format!(
                        "unknown mapping key `{other}` (known: name, id, aliases, alias_separator, schema, country, address, dob, identifiers, list, list_column, federal_register, remarks, programs, delimiter)"
                    )));
                }
            }
        }
        if m.name.trim().is_empty() {
            return Err(ListError::Mapping("the `name` column is required".into()));
        }
        m.list = match (list_const, list_col) {
            (Some(_), Some(_)) => {
                return Err(ListError::Mapping(
                    "give either `list` or `list_column`, not both".into(),
                ));
            }
            (Some(c), None) => ListCode::Constant(c),
            (None, Some(c)) => ListCode::Column(c),
            (None, None) => ListCode::FileStem,
        };
        Ok(m)
    }

    /// The mapped columns as `(field, column)` pairs.
    pub(crate) fn columns(&self) -> Vec<(&'static str, &str)> {
        let mut v = vec![("name", self.name.as_str())];
        let opt = [
            ("id", &self.id),
            ("aliases", &self.aliases),
            ("schema", &self.schema),
            ("country", &self.country),
            ("address", &self.address),
            ("dob", &self.dob),
            ("identifiers", &self.identifiers),
            ("federal_register", &self.federal_register),
            ("remarks", &self.remarks),
            ("programs", &self.programs),
        ];
        for (field, col) in opt {
            if let Some(c) = col {
                v.push((field, c.as_str()));
            }
        }
        if let ListCode::Column(c) = &self.list {
            v.push(("list_column", c.as_str()));
        }
        v
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing unwrap is a failing test
mod tests {
    use super::*;

    #[test]
    fn spec_parsing() {
        let m = CustomCsvMapping::parse_spec(
            "name=Company Name, id=Ref ,delimiter=tab,list_column=Src",
        )
        .unwrap();
        assert_eq!(m.name, "Company Name");
        assert_eq!(m.delimiter, b'\t');
        assert_eq!(m.list, ListCode::Column("Src".into()));
        assert!(matches!(CustomCsvMapping::parse_spec("id=Ref"), Err(ListError::Mapping(_))));
        assert!(matches!(
            CustomCsvMapping::parse_spec("name=a,colour=b"),
            Err(ListError::Mapping(_))
        ));
        assert!(matches!(CustomCsvMapping::parse_spec("name"), Err(ListError::Mapping(_))));
        assert!(matches!(
            CustomCsvMapping::parse_spec("name=a,list=x,list_column=y"),
            Err(ListError::Mapping(_))
        ));
    }

    #[test]
    fn files() {
        let dir = tempfile::tempdir().unwrap();
        let j = dir.path().join("m.json");
        std::fs::write(
            &j,
            r#"{"name": "Company", "aliases": "AKA", "alias_separator": "|", "list": "mine"}"#,
        )
        .unwrap();
        let m = CustomCsvMapping::from_toml_or_json_file(&j).unwrap();
        assert_eq!(m.alias_separator, "|");
        assert_eq!(m.list, ListCode::Constant("mine".into()));
        let t = dir.path().join("m.toml");
        std::fs::write(
            &t,
            "# mapping\n[mapping]\nname = \"Company\"\nid = 'Ref'\ndelimiter = \";\"\n",
        )
        .unwrap();
        let m = CustomCsvMapping::from_toml_or_json_file(&t).unwrap();
        assert_eq!(m.id.as_deref(), Some("Ref"));
        assert_eq!(m.delimiter, b';');
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{\"name\": 3}").unwrap();
        assert!(CustomCsvMapping::from_toml_or_json_file(&bad).is_err());
    }
}
