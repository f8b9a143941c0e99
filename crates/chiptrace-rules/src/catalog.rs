//! The project's chip catalog (`catalog/chips.csv`, docs/catalog.md): spec
//! fields and a source column per row, built from the facts in
//! `shared/data/hardware/` by `scripts/build-catalog.py`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::spec::{ChipSpec, Datacenter, ItemKind, Precision, SystemPart, parse_decimal};

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

pub(crate) fn embedded_files() -> &'static [(&'static str, &'static str)] {
    EMBEDDED
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CatalogKind {
    Ic,
    System,
}

/// One catalog row.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogEntry {
    pub id: String,
    pub vendor: String,
    pub model: String,
    pub aliases: Vec<String>,
    pub kind: CatalogKind,
    pub release_year: Option<u16>,
    pub segment: String,
    pub datacenter: Datacenter,
    pub process: String,
    pub nonplanar: Option<bool>,
    pub die_area_mm2: Option<Decimal>,
    pub die_area_basis: String,
    pub dense: BTreeMap<Precision, Decimal>,
    pub dram_bw_gbs: Option<Decimal>,
    pub chip_link: String,
    pub chip_link_bidir_gbs: Option<Decimal>,
    pub host_link: String,
    pub host_link_bidir_gbs: Option<Decimal>,
    pub io_bidir_gbs: Option<Decimal>,
    /// (catalog id, count) for systems.
    pub contains: Vec<(String, u32)>,
    pub designer_hq: Option<String>,
    pub notes: String,
    pub sources: String,
}

/// The chip catalog with name lookup.
#[derive(Debug, Clone)]
pub struct Catalog {
    entries: Vec<CatalogEntry>,
    /// normalised name → entry index
    names: BTreeMap<String, usize>,
}

/// Lookup key: lowercase letters and digits only ("H100-SXM" = "h100 sxm").
pub fn lookup_key(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

impl Catalog {
    /// The catalog compiled into the binary.
    pub fn embedded() -> Result<Catalog> {
        let (p, c) = EMBEDDED.iter().find(|(p, _)| *p == "catalog/chips.csv").ok_or_else(|| {
            Error::Catalog {
                file: "catalog/chips.csv".into(),
                line: 0,
                message: "not embedded".into(),
            }
        })?;
        Catalog::parse(p, c)
    }

    /// Parse a catalog CSV (same columns as `catalog/chips.csv`).
    pub fn parse(file: &str, text: &str) -> Result<Catalog> {
        let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| Error::Catalog { file: file.into(), line: 1, message: e.to_string() })?
            .clone();
        let col = |name: &str| -> Result<usize> {
            headers.iter().position(|h| h == name).ok_or_else(|| Error::Catalog {
                file: file.into(),
                line: 1,
                message: format!("missing column {name:?}"),
            })
        };
        let cols: BTreeMap<&str, usize> = [
            "id",
            "vendor",
            "model",
            "aliases",
            "kind",
            "release_year",
            "segment",
            "datacenter",
            "process",
            "nonplanar",
            "die_area_mm2",
            "die_area_basis",
            "fp64",
            "fp32",
            "tf32",
            "fp16",
            "bf16",
            "fp8",
            "int8",
            "fp4",
            "int4",
            "dram_bw_gbs",
            "chip_link",
            "chip_link_bidir_gbs",
            "host_link",
            "host_link_bidir_gbs",
            "io_bidir_gbs",
            "contains",
            "designer_hq",
            "notes",
            "sources",
        ]
        .into_iter()
        .map(|n| col(n).map(|i| (n, i)))
        .collect::<Result<_>>()?;
        let mut entries = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| Error::Catalog {
                file: file.into(),
                line: e.position().map_or(0, |p| p.line()),
                message: e.to_string(),
            })?;
            let line = rec.position().map_or(0, |p| p.line());
            let bad = |m: String| Error::Catalog { file: file.into(), line, message: m };
            let get = |n: &str| rec.get(cols[n]).unwrap_or("").trim();
            let num = |n: &str| -> Result<Option<Decimal>> {
                let v = get(n);
                if v.is_empty() {
                    return Ok(None);
                }
                match parse_decimal(v) {
                    Some(d) if !d.is_sign_negative() => Ok(Some(d)),
                    _ => Err(bad(format!("column {n}: {v:?} is not a non-negative number"))),
                }
            };
            let id = get("id").to_string();
            if id.is_empty() {
                return Err(bad("empty id".into()));
            }
            let kind = match get("kind") {
                "ic" => CatalogKind::Ic,
                "system" => CatalogKind::System,
                k => return Err(bad(format!("column kind: {k:?} (expected ic or system)"))),
            };
            let mut dense = BTreeMap::new();
            for p in Precision::ALL {
                if p == Precision::Fp6 {
                    continue;
                }
                if let Some(v) = num(p.name())? {
                    dense.insert(p, v);
                }
            }
            let mut contains = Vec::new();
            for part in get("contains").split(';').map(str::trim).filter(|s| !s.is_empty()) {
                let (cid, n) = part.split_once('*').unwrap_or((part, "1"));
                let n: u32 = n
                    .trim()
                    .parse()
                    .map_err(|_| bad(format!("column contains: bad count in {part:?}")))?;
                contains.push((cid.trim().to_string(), n));
            }
            let sources = get("sources").to_string();
            if sources.is_empty() {
                return Err(bad("column sources: every row needs a source".into()));
            }
            entries.push(CatalogEntry {
                id,
                vendor: get("vendor").into(),
                model: get("model").into(),
                aliases: get("aliases")
                    .split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
                kind,
                release_year: get("release_year").parse().ok(),
                segment: get("segment").into(),
                datacenter: Datacenter::parse("datacenter", get("datacenter"))
                    .map_err(|e| bad(e.to_string()))?,
                process: get("process").into(),
                nonplanar: match get("nonplanar") {
                    "yes" => Some(true),
                    "no" => Some(false),
                    _ => None,
                },
                die_area_mm2: num("die_area_mm2")?,
                die_area_basis: get("die_area_basis").into(),
                dense,
                dram_bw_gbs: num("dram_bw_gbs")?,
                chip_link: get("chip_link").into(),
                chip_link_bidir_gbs: num("chip_link_bidir_gbs")?,
                host_link: get("host_link").into(),
                host_link_bidir_gbs: num("host_link_bidir_gbs")?,
                io_bidir_gbs: num("io_bidir_gbs")?,
                contains,
                designer_hq: Some(get("designer_hq").to_string()).filter(|s| !s.is_empty()),
                notes: get("notes").into(),
                sources,
            });
        }
        let mut names: BTreeMap<String, usize> = BTreeMap::new();
        let entries: Vec<CatalogEntry> = entries;
        for (i, e) in entries.iter().enumerate() {
            for n in std::iter::once(&e.id).chain(std::iter::once(&e.model)).chain(&e.aliases) {
                let k = lookup_key(n);
                if let Some(&j) = names.get(&k)
                    && j != i
                {
                    return Err(Error::Catalog {
                        file: file.into(),
                        line: 0,
                        message: format!(
                            "name {n:?} is used by both {} and {}",
                            entries[j].id, e.id
                        ),
                    });
                }
                names.insert(k, i);
            }
        }
        for e in &entries {
            for (c, _) in &e.contains {
                if !entries.iter().any(|x| &x.id == c && x.kind == CatalogKind::Ic) {
                    return Err(Error::Catalog {
                        file: file.into(),
                        line: 0,
                        message: format!("{}: contains unknown IC id {c:?}", e.id),
                    });
                }
            }
        }
        Ok(Catalog { entries, names })
    }

    pub fn entries(&self) -> &[CatalogEntry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Find a chip by id, model or alias (normalised), or by a unique prefix
    /// of the normalised model ("H100 SXM5 80" → h100-sxm5-80gb). A leading
    /// vendor name is ignored ("NVIDIA H100").
    pub fn find(&self, name: &str) -> Result<&CatalogEntry> {
        let k = lookup_key(name);
        if k.is_empty() {
            return Err(Error::field("chip", "empty chip name"));
        }
        if let Some(&i) = self.names.get(&k) {
            return Ok(&self.entries[i]);
        }
        for v in [
            "nvidia",
            "amd",
            "intel",
            "huawei",
            "google",
            "amazon",
            "aws",
            "microsoft",
            "geforce",
            "instinct",
        ] {
            if let Some(rest) = k.strip_prefix(v)
                && let Some(&i) = self.names.get(rest)
            {
                return Ok(&self.entries[i]);
            }
        }
        let mut hits: Vec<usize> =
            self.names.iter().filter(|(n, _)| n.starts_with(&k)).map(|(_, &i)| i).collect();
        hits.sort_unstable();
        hits.dedup();
        match hits.len() {
            1 => Ok(&self.entries[hits[0]]),
            0 => {
                let mut sugg: Vec<(usize, &str)> = self
                    .entries
                    .iter()
                    .map(|e| {
                        (
                            edit_distance(&k, &lookup_key(&e.model))
                                .min(edit_distance(&k, &lookup_key(&e.id))),
                            e.model.as_str(),
                        )
                    })
                    .filter(|(d, _)| *d <= 3)
                    .collect();
                sugg.sort();
                Err(Error::UnknownChip {
                    name: name.to_string(),
                    suggestions: sugg.into_iter().take(5).map(|(_, m)| m.to_string()).collect(),
                })
            }
            _ => Err(Error::AmbiguousChip {
                name: name.to_string(),
                candidates: hits.into_iter().map(|i| self.entries[i].model.clone()).collect(),
            }),
        }
    }

    /// The spec of a catalog row (systems resolve their contained ICs).
    pub fn spec(&self, e: &CatalogEntry) -> Result<ChipSpec> {
        let mut s = ChipSpec::ic(&e.model);
        s.catalog_id = Some(e.id.clone());
        s.datacenter = e.datacenter;
        s.die_area_mm2 = e.die_area_mm2.filter(|a| !a.is_zero());
        s.die_area_basis = Some(e.die_area_basis.clone()).filter(|b| !b.is_empty());
        s.nonplanar = e.nonplanar;
        s.dense = e.dense.clone();
        s.io_bidir_gbs = e.io_bidir_gbs;
        for (name, v) in
            [(&e.chip_link, e.chip_link_bidir_gbs), (&e.host_link, e.host_link_bidir_gbs)]
        {
            if let Some(v) = v
                && !name.is_empty()
            {
                s.io_parts.push((name.clone(), v));
            }
        }
        s.dram_bw_gbs = e.dram_bw_gbs;
        s.designer_hq = e.designer_hq.clone();
        if e.kind == CatalogKind::System {
            let mut parts = Vec::new();
            for (cid, n) in &e.contains {
                let c =
                    self.entries.iter().find(|x| &x.id == cid).ok_or_else(|| {
                        Error::UnknownChip { name: cid.clone(), suggestions: vec![] }
                    })?;
                parts.push(SystemPart { spec: self.spec(c)?, count: *n });
            }
            s.kind = ItemKind::System { parts };
            s.dense.clear();
        }
        Ok(s)
    }

    /// Look up by name and return the spec.
    pub fn spec_for(&self, name: &str) -> Result<ChipSpec> {
        let e = self.find(name)?;
        self.spec(e)
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}
