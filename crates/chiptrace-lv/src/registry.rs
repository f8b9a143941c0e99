//! The registry: chips (serial → model → device public key → licensed site),
//! licensed sites (surveyed coordinates, country, licence radius) and
//! landmarks (surveyed coordinates, operator, public key). Imported from CSV
//! files a compliance team keeps in a spreadsheet; every bad cell is reported
//! with file, line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chiptrace_geo::LatLon;
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::keys::parse_public;
use crate::proto::check_id;

/// A registered chip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chip {
    pub serial: String,
    pub model: String,
    /// Device public key (hex): stands in for the GPU's attestation key.
    pub public_key: String,
    pub site: String,
    /// Certified *lower* bound on the chip's answer time, ms. Subtracted from
    /// the RTT for the sound bound: subtracting a lower bound keeps it sound.
    pub t_proc_min_ms: f64,
    /// Certified *upper* bound on the answer time, ms: part of the timing
    /// budget a chip at its site must meet.
    pub t_proc_max_ms: f64,
    /// Expected firmware measurement (hex), when the vendor publishes one.
    pub measurement: Option<String>,
}

/// A licensed site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    pub site_id: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub country: String,
    /// The licence's radius around the site, km.
    pub radius_km: f64,
    pub licence: String,
}

/// A landmark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Landmark {
    pub landmark_id: String,
    pub operator: String,
    pub lat: f64,
    pub lon: f64,
    pub country: String,
    pub public_key: String,
    /// Where agents reach it (host:port), informational.
    pub address: Option<String>,
    /// Calibrated network and stack overhead of this landmark's path, ms
    /// (measured against a co-located reference chip). Used only for the
    /// fibre *estimate*, never for the bound.
    pub overhead_ms: f64,
}

/// Chips, sites and landmarks by id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Registry {
    pub chips: BTreeMap<String, Chip>,
    pub sites: BTreeMap<String, Site>,
    pub landmarks: BTreeMap<String, Landmark>,
}

impl Site {
    pub fn position(&self) -> LatLon {
        LatLon { lat: self.lat, lon: self.lon }
    }
}
impl Landmark {
    pub fn position(&self) -> LatLon {
        LatLon { lat: self.lat, lon: self.lon }
    }
    pub fn key(&self) -> std::result::Result<VerifyingKey, String> {
        parse_public(&self.public_key)
    }
}
impl Chip {
    pub fn key(&self) -> std::result::Result<VerifyingKey, String> {
        parse_public(&self.public_key)
    }
}

/// Largest registry file read (a registry is thousands of rows, not millions).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

struct Rows {
    path: PathBuf,
    headers: Vec<String>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Rows {
    fn read(
        path: &Path,
        required: &[&str],
        optional: &[&str],
        errors: &mut Vec<Error>,
    ) -> Option<Rows> {
        let ferr = |m: String| Error::File { path: path.to_path_buf(), message: m };
        match std::fs::metadata(path) {
            Ok(m) if m.len() > MAX_FILE_BYTES => {
                errors.push(ferr(format!(
                    "{} bytes is more than the {MAX_FILE_BYTES}-byte limit",
                    m.len()
                )));
                return None;
            }
            Ok(_) => {}
            Err(e) => {
                errors.push(ferr(e.to_string()));
                return None;
            }
        }
        let mut rdr =
            match csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_path(path) {
                Ok(r) => r,
                Err(e) => {
                    errors.push(ferr(e.to_string()));
                    return None;
                }
            };
        let headers: Vec<String> = match rdr.headers() {
            Ok(h) => {
                h.iter().map(|s| s.trim_start_matches('\u{feff}').to_ascii_lowercase()).collect()
            }
            Err(e) => {
                errors.push(ferr(format!("header: {e}")));
                return None;
            }
        };
        let missing: Vec<&str> =
            required.iter().copied().filter(|c| !headers.iter().any(|h| h == c)).collect();
        if !missing.is_empty() {
            errors.push(ferr(format!(
                "missing column(s) {}; the header is {}",
                missing.join(", "),
                headers.join(",")
            )));
            return None;
        }
        if let Some(h) = headers
            .iter()
            .find(|h| !required.contains(&h.as_str()) && !optional.contains(&h.as_str()))
        {
            errors.push(ferr(format!(
                "unknown column {h:?} (known: {}, {})",
                required.join(", "),
                optional.join(", ")
            )));
            return None;
        }
        let mut rows = Vec::new();
        for rec in rdr.records() {
            match rec {
                Ok(r) => rows.push((r.position().map(|p| p.line()).unwrap_or(0), r)),
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    errors.push(Error::Row {
                        path: path.to_path_buf(),
                        line,
                        field: "-".into(),
                        message: e.to_string(),
                    });
                }
            }
        }
        Some(Rows { path: path.to_path_buf(), headers, rows })
    }

    fn get<'a>(&self, r: &'a csv::StringRecord, col: &str) -> Option<&'a str> {
        let i = self.headers.iter().position(|h| h == col)?;
        r.get(i).filter(|s| !s.is_empty())
    }
}

struct Cell<'a> {
    rows: &'a Rows,
    line: u64,
    rec: &'a csv::StringRecord,
    errors: &'a mut Vec<Error>,
}

impl Cell<'_> {
    fn err(&mut self, field: &str, m: impl ToString) {
        self.errors.push(Error::Row {
            path: self.rows.path.clone(),
            line: self.line,
            field: field.into(),
            message: m.to_string(),
        });
    }
    fn text(&mut self, f: &str) -> Option<String> {
        match self.rows.get(self.rec, f) {
            Some(s) => Some(s.to_string()),
            None => {
                self.err(f, "is empty");
                None
            }
        }
    }
    fn id(&mut self, kind: &str, f: &str) -> Option<String> {
        let s = self.text(f)?;
        match check_id(kind, &s) {
            Ok(()) => Some(s),
            Err(e) => {
                self.err(f, e);
                None
            }
        }
    }
    fn num(&mut self, f: &str, lo: f64, hi: f64, default: Option<f64>) -> Option<f64> {
        let Some(s) = self.rows.get(self.rec, f) else {
            if default.is_none() {
                self.err(f, "is empty");
            }
            return default;
        };
        match s.parse::<f64>() {
            Ok(v) if v.is_finite() && (lo..=hi).contains(&v) => Some(v),
            Ok(v) => {
                self.err(f, format!("{v} is outside {lo}..{hi}"));
                None
            }
            Err(_) => {
                self.err(f, format!("{s:?} is not a number"));
                None
            }
        }
    }
    fn key(&mut self, f: &str) -> Option<String> {
        let s = self.text(f)?;
        match parse_public(&s) {
            Ok(_) => Some(s.to_ascii_lowercase()),
            Err(e) => {
                self.err(f, e);
                None
            }
        }
    }
    fn country(&mut self, f: &str) -> Option<String> {
        let s = self.text(f)?.to_ascii_uppercase();
        if s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase()) {
            Some(s)
        } else {
            self.err(f, format!("{s:?} is not an ISO 3166 alpha-2 code"));
            None
        }
    }
}

fn dup(errors: &mut Vec<Error>, rows: &Rows, line: u64, field: &str, id: &str) {
    errors.push(Error::Row {
        path: rows.path.clone(),
        line,
        field: field.into(),
        message: format!("duplicate id {id:?}"),
    });
}

impl Registry {
    /// Read `chips.csv`, `sites.csv` and `landmarks.csv` from `dir` (each
    /// optional, at least one present) into a registry, checking every
    /// row; all problems are reported at once.
    pub fn from_dir(dir: &Path) -> Result<Registry> {
        let files = ["sites.csv", "landmarks.csv", "chips.csv"].map(|f| dir.join(f));
        if !files.iter().any(|f| f.exists()) {
            return Err(Error::File {
                path: dir.to_path_buf(),
                message: "no sites.csv, landmarks.csv or chips.csv here".into(),
            });
        }
        let present: Vec<PathBuf> = files.into_iter().filter(|f| f.exists()).collect();
        Registry::from_files(&present)
    }

    /// Read registry files, recognised by name (`*sites*.csv`,
    /// `*landmarks*.csv`, `*chips*.csv`).
    pub fn from_files(files: &[PathBuf]) -> Result<Registry> {
        let mut reg = Registry::default();
        let mut errors = Vec::new();
        let kind = |p: &Path| {
            let n =
                p.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
            ["sites", "landmarks", "chips"].into_iter().find(|k| n.contains(k))
        };
        // sites first so chips can be checked against them
        let mut ordered: Vec<&PathBuf> = files.iter().collect();
        ordered.sort_by_key(|p| match kind(p) {
            Some("sites") => 0,
            Some("landmarks") => 1,
            _ => 2,
        });
        for p in ordered {
            match kind(p) {
                Some("sites") => reg.read_sites(p, &mut errors),
                Some("landmarks") => reg.read_landmarks(p, &mut errors),
                Some("chips") => reg.read_chips(p, &mut errors),
                _ => errors.push(Error::File {
                    path: p.clone(),
                    message: "cannot tell what this file holds: name it sites.csv, landmarks.csv or chips.csv".into(),
                }),
            }
        }
        if errors.is_empty() { Ok(reg) } else { Err(Error::Many(errors)) }
    }

    fn read_sites(&mut self, p: &Path, errors: &mut Vec<Error>) {
        let Some(rows) = Rows::read(
            p,
            &["site_id", "lat", "lon", "country", "radius_km"],
            &["name", "licence"],
            errors,
        ) else {
            return;
        };
        for (line, rec) in &rows.rows {
            let mut c = Cell { rows: &rows, line: *line, rec, errors };
            let (id, lat, lon, country, radius) = (
                c.id("site id", "site_id"),
                c.num("lat", -90.0, 90.0, None),
                c.num("lon", -180.0, 180.0, None),
                c.country("country"),
                c.num("radius_km", 0.001, 20_000.0, None),
            );
            let name = rows.get(rec, "name").unwrap_or_default().to_string();
            let licence = rows.get(rec, "licence").unwrap_or_default().to_string();
            if let (Some(site_id), Some(lat), Some(lon), Some(country), Some(radius_km)) =
                (id, lat, lon, country, radius)
            {
                if self.sites.contains_key(&site_id) {
                    dup(errors, &rows, *line, "site_id", &site_id);
                    continue;
                }
                self.sites.insert(
                    site_id.clone(),
                    Site { site_id, name, lat, lon, country, radius_km, licence },
                );
            }
        }
    }

    fn read_landmarks(&mut self, p: &Path, errors: &mut Vec<Error>) {
        let Some(rows) = Rows::read(
            p,
            &["landmark_id", "operator", "lat", "lon", "country", "public_key"],
            &["address", "overhead_ms"],
            errors,
        ) else {
            return;
        };
        for (line, rec) in &rows.rows {
            let mut c = Cell { rows: &rows, line: *line, rec, errors };
            let (id, op, lat, lon, country, key, overhead) = (
                c.id("landmark id", "landmark_id"),
                // operators are compared case-insensitively: "Vendor" and
                // "vendor" are one operator, not two independent ones
                c.text("operator").map(|o| o.trim().to_lowercase()),
                c.num("lat", -90.0, 90.0, None),
                c.num("lon", -180.0, 180.0, None),
                c.country("country"),
                c.key("public_key"),
                c.num("overhead_ms", 0.0, 1000.0, Some(0.0)),
            );
            let address = rows.get(rec, "address").map(str::to_string);
            if let (
                Some(landmark_id),
                Some(operator),
                Some(lat),
                Some(lon),
                Some(country),
                Some(public_key),
                Some(overhead_ms),
            ) = (id, op, lat, lon, country, key, overhead)
            {
                if self.landmarks.contains_key(&landmark_id) {
                    dup(errors, &rows, *line, "landmark_id", &landmark_id);
                    continue;
                }
                self.landmarks.insert(
                    landmark_id.clone(),
                    Landmark {
                        landmark_id,
                        operator,
                        lat,
                        lon,
                        country,
                        public_key,
                        address,
                        overhead_ms,
                    },
                );
            }
        }
    }

    fn read_chips(&mut self, p: &Path, errors: &mut Vec<Error>) {
        let Some(rows) = Rows::read(
            p,
            &["serial", "model", "public_key", "site", "t_proc_min_ms", "t_proc_max_ms"],
            &["measurement"],
            errors,
        ) else {
            return;
        };
        for (line, rec) in &rows.rows {
            let mut c = Cell { rows: &rows, line: *line, rec, errors };
            let (serial, model, key, site, tmin, tmax) = (
                c.id("serial", "serial"),
                c.text("model"),
                c.key("public_key"),
                c.id("site id", "site"),
                c.num("t_proc_min_ms", 0.0, 10_000.0, None),
                c.num("t_proc_max_ms", 0.0, 10_000.0, None),
            );
            let measurement = match rows.get(rec, "measurement") {
                Some(m) if crate::proto::decode32(m).is_none() => {
                    c.err("measurement", "must be 32 bytes of hex");
                    continue;
                }
                m => m.map(|s| s.to_ascii_lowercase()),
            };
            if let (
                Some(serial),
                Some(model),
                Some(public_key),
                Some(site),
                Some(tmin),
                Some(tmax),
            ) = (serial, model, key, site, tmin, tmax)
            {
                if tmin > tmax {
                    c.err("t_proc_min_ms", format!("{tmin} is above t_proc_max_ms {tmax}"));
                    continue;
                }
                if self.chips.contains_key(&serial) {
                    dup(errors, &rows, *line, "serial", &serial);
                    continue;
                }
                self.chips.insert(
                    serial.clone(),
                    Chip {
                        serial,
                        model,
                        public_key,
                        site,
                        t_proc_min_ms: tmin,
                        t_proc_max_ms: tmax,
                        measurement,
                    },
                );
            }
        }
    }

    /// Merge `other` into `self` (rows with the same id replace).
    pub fn merge(&mut self, other: Registry) {
        self.chips.extend(other.chips);
        self.sites.extend(other.sites);
        self.landmarks.extend(other.landmarks);
    }

    /// Check cross-references after a merge (a chip's site must exist).
    pub fn check(&self) -> Result<()> {
        let mut bad: Vec<Error> = self
            .chips
            .values()
            .filter(|c| !self.sites.contains_key(&c.site))
            .map(|c| {
                Error::Invalid(format!(
                    "chip {} names site {:?}, which is not registered",
                    c.serial, c.site
                ))
            })
            .collect();
        // one key is one holder: a landmark key registered twice (or shared
        // with a chip) would let one holder count as two independent
        // operators or answer for a chip
        let mut keys: std::collections::BTreeMap<String, String> =
            std::collections::BTreeMap::new();
        for l in self.landmarks.values() {
            if let Some(prev) = keys
                .insert(l.public_key.to_ascii_lowercase(), format!("landmark {}", l.landmark_id))
            {
                bad.push(Error::Invalid(format!(
                    "landmark {} has the same public key as {prev}",
                    l.landmark_id
                )));
            }
        }
        for c in self.chips.values() {
            if let Some(prev) = keys.get(&c.public_key.to_ascii_lowercase()) {
                bad.push(Error::Invalid(format!(
                    "chip {} has the same public key as {prev}",
                    c.serial
                )));
            }
        }
        if bad.is_empty() { Ok(()) } else { Err(Error::Many(bad)) }
    }
}
