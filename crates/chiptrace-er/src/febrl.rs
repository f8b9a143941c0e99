//! Loaders for the FEBRL synthetic person data (`rec-N-org` /
//! `rec-N-dup-k` ids; the entity is `rec-N`).

use std::path::Path;

use crate::error::{Error, Result};
use crate::record::{Dataset, Kind, Record};

const COLUMNS: [&str; 11] = [
    "rec_id",
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
];

/// The entity of a FEBRL record id: `rec-12-dup-0` → `rec-12`.
///
/// ```
/// assert_eq!(chiptrace_er::febrl::entity_of("rec-12-dup-0"), "rec-12");
/// assert_eq!(chiptrace_er::febrl::entity_of("rec-7-org"), "rec-7");
/// ```
pub fn entity_of(rec_id: &str) -> &str {
    let mut dashes = rec_id.match_indices('-').map(|(i, _)| i);
    match (dashes.next(), dashes.next()) {
        (Some(_), Some(second)) => &rec_id[..second],
        _ => rec_id,
    }
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Load a FEBRL CSV file as person records of source `source`, with the
/// truth labels. Fields are trimmed (the files have a space after each
/// comma); `soc_sec_id` becomes `registration_id`.
pub fn load(path: &Path, source: &str) -> Result<Dataset> {
    let data =
        std::fs::read(path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?;
    parse(&data, path, source)
}

/// Parse FEBRL CSV bytes (see [`load`]); `path` is used in errors only.
pub fn parse(data: &[u8], path: &Path, source: &str) -> Result<Dataset> {
    let mut rd = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(false).from_reader(data);
    let csv_err = |e: csv::Error| Error::Csv {
        path: path.to_path_buf(),
        line: e.position().map_or(0, |p| p.line()),
        message: e.to_string(),
    };
    let header = rd.headers().map_err(csv_err)?.clone();
    let mut idx = [0usize; COLUMNS.len()];
    for (k, col) in COLUMNS.iter().enumerate() {
        idx[k] = header.iter().position(|h| h == *col).ok_or_else(|| Error::MissingColumn {
            path: path.to_path_buf(),
            column: col.to_string(),
        })?;
    }
    let mut ds = Dataset::default();
    for row in rd.records() {
        let row = row.map_err(csv_err)?;
        let get = |k: usize| row.get(idx[k]).unwrap_or("");
        let rec_id = get(0).trim().to_string();
        let given = opt(get(1));
        let surname = opt(get(2));
        let name = [given.as_deref(), surname.as_deref()]
            .iter()
            .flatten()
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let r = Record {
            id: rec_id.clone(),
            source: source.to_string(),
            kind: Kind::Person,
            name,
            given_name: given,
            surname,
            street_number: opt(get(3)),
            address_lines: [get(4), get(5)].iter().filter_map(|s| opt(s)).collect(),
            city: opt(get(6)),
            postcode: opt(get(7)),
            state: opt(get(8)),
            dob: opt(get(9)),
            registration_id: opt(get(10)),
            ..Record::default()
        };
        ds.truth.push(entity_of(&rec_id).to_string());
        ds.records.push(r);
    }
    Ok(ds)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap freely; failures are the point
mod tests {
    use super::*;

    #[test]
    fn parses_with_leading_spaces() {
        let csv = b"rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id\n\
rec-1-org, michaela, neumann, 8, stanley street, miami, winston hills, 4223, nsw, 19151111, 5304218\n\
rec-1-dup-0, , neumann, , stanley st, , winston hills, 4223, nsw, 19151111, 5304218\n";
        let ds = parse(csv, Path::new("t.csv"), "a").unwrap();
        assert_eq!(ds.records.len(), 2);
        assert_eq!(ds.truth, ["rec-1", "rec-1"]);
        assert_eq!(ds.records[0].given_name.as_deref(), Some("michaela"));
        assert_eq!(ds.records[1].given_name, None);
        assert_eq!(ds.records[0].registration_id.as_deref(), Some("5304218"));
    }

    #[test]
    fn missing_column_is_an_error() {
        let csv = b"rec_id, given_name\nrec-1-org, x\n";
        let err = parse(csv, Path::new("t.csv"), "a").unwrap_err();
        assert!(matches!(err, Error::MissingColumn { ref column, .. } if column == "surname"));
    }

    #[test]
    fn ragged_row_is_an_error_with_line() {
        let mut csv = COLUMNS.join(",").into_bytes();
        csv.extend_from_slice(b"\nrec-1-org,a\n");
        let err = parse(&csv, Path::new("t.csv"), "a").unwrap_err();
        assert!(matches!(err, Error::Csv { line: 2, .. }), "{err}");
    }
}
