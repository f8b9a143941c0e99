//! Items (a line's model name or catalog id) linked to the chip catalog of
//! `chiptrace-rules`, so quantities convert to TPP and to a count of
//! controlled accelerators.
//!
//! Resolution order for a name: the ledger's own table of common server
//! systems that the catalog does not list ([`SERVER_SYSTEMS`], e.g.
//! "HGX H100 8-GPU" = 8 × H100 SXM5), then [`Catalog::find`] (id, model,
//! alias, vendor prefix, unique prefix; case and punctuation ignored).
//! Unknown and ambiguous names are kept and reported, never errors.

use jiff::civil::Date;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use serde::Serialize;

use chiptrace_rules::{Catalog, ChipSpec, ItemKind, RuleSet, SystemPart, classify, lookup_key};

use crate::error::Result;

/// Server systems that the chip catalog does not list, as (names, contained
/// IC catalog id, count). Counts are the GPU count of the NVIDIA reference
/// baseboard (HGX) or system (DGX, NVL72).
pub const SERVER_SYSTEMS: &[(&[&str], &str, u32)] = &[
    (&["HGX H100 8-GPU", "HGX H100", "HGX H100 8GPU"], "h100-sxm5-80gb", 8),
    (&["HGX H200 8-GPU", "HGX H200", "DGX H200"], "h200-sxm-141gb", 8),
    (&["HGX B200 8-GPU", "HGX B200", "DGX B200"], "b200", 8),
    (&["HGX A100 8-GPU", "HGX A100", "DGX A100"], "a100-sxm4-80gb", 8),
    (&["HGX H20 8-GPU"], "h20-96gb", 8),
    (&["GB200 NVL72"], "gb200", 72),
];

/// Estimated server-level power per accelerator in kW (the GPU plus its
/// share of CPUs, NICs and fans, before cooling overhead), by IC catalog id.
/// \[D\] derived from public system figures: DGX H100 10.2 kW / 8 GPUs
/// (red-flags.yaml RF-O07), DGX B200 14.3 kW / 8, DGX A100 6.5 kW / 8,
/// GB200 NVL72 ~120 kW / 72; PCIe cards at board power plus ~50 %.
pub const KW_PER_ACCELERATOR: &[(&str, &str)] = &[
    ("h100-sxm5-80gb", "1.275"),
    ("h200-sxm-141gb", "1.275"),
    ("h800-sxm5-80gb", "1.275"),
    ("h20-96gb", "0.75"),
    ("b200", "1.8"),
    ("b100", "1.4"),
    ("gb200", "1.7"),
    ("a100-sxm4-80gb", "0.8"),
    ("a800-sxm4-80gb", "0.8"),
    ("a100-pcie-80gb", "0.45"),
    ("h100-pcie-80gb", "0.5"),
    ("h100-nvl-94gb", "0.6"),
    ("l40s", "0.5"),
    ("l40", "0.45"),
    ("l4", "0.12"),
    ("mi300x", "1.25"),
];

/// Floor space per kW of IT load, m² (racks of ~10 kW on ~2.5 m² including
/// aisles) \[D\]. `needed_m2 = kW × M2_PER_KW`.
pub const M2_PER_KW: Decimal = Decimal::from_parts(25, 0, 0, false, 2);

/// Data-centre overhead (power usage effectiveness) used by RF-O07 \[D\].
pub const PUE: Decimal = Decimal::from_parts(13, 0, 0, false, 1);

enum Found {
    None,
    One(usize),
    Many(Vec<usize>),
}

/// How an item name resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Resolution {
    /// Found in the catalog (or the ledger's server table).
    Catalog(CatalogItem),
    /// No catalog entry matches.
    Unknown,
    /// Several entries match; the candidates' models.
    Ambiguous {
        /// Candidate models.
        candidates: Vec<String>,
    },
}

/// Catalog facts of an item, per unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatalogItem {
    /// Catalog id of the item, or of the contained IC for a ledger server.
    pub catalog_id: String,
    /// Catalog model (or the server name).
    pub model: String,
    /// A system (server, baseboard) rather than one IC.
    pub system: bool,
    /// Resolved through [`SERVER_SYSTEMS`] rather than the catalog itself.
    pub ledger_system: bool,
    /// ICs per unit (1 for an IC).
    pub ics_per_unit: u32,
    /// ICs per unit classified 3A090 / 4A090 (.a/.b/.c) on the
    /// classification date.
    pub controlled_per_unit: u32,
    /// TPP per unit (system TPP for systems).
    pub tpp_per_unit: Option<Decimal>,
    /// Classification outcome on the classification date ("3A090.a" …).
    pub classification: String,
    /// Estimated kW per unit (see [`KW_PER_ACCELERATOR`]).
    pub kw_per_unit: Option<Decimal>,
}

/// A distinct item name of the ledger and its resolution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// The name as first written.
    pub name: Box<str>,
    /// Catalog link.
    pub resolution: Resolution,
}

impl Item {
    /// The catalog facts, if resolved.
    pub fn catalog(&self) -> Option<&CatalogItem> {
        match &self.resolution {
            Resolution::Catalog(c) => Some(c),
            _ => None,
        }
    }
    /// TPP per unit, if known.
    pub fn tpp_per_unit(&self) -> Option<Decimal> {
        self.catalog().and_then(|c| c.tpp_per_unit)
    }
    /// Controlled accelerators per unit (0 if unknown).
    pub fn controlled_per_unit(&self) -> u32 {
        self.catalog().map_or(0, |c| c.controlled_per_unit)
    }
    /// Estimated kW per unit, if known.
    pub fn kw_per_unit(&self) -> Option<Decimal> {
        self.catalog().and_then(|c| c.kw_per_unit)
    }
}

/// Resolves item names against the catalog, classifying each distinct
/// catalog entry once on `date`.
pub struct ItemResolver {
    catalog: Catalog,
    rules: RuleSet,
    date: Date,
    cache: FxHashMap<String, Resolution>,
    /// Normalised id / model / alias → entry index, sorted for prefix
    /// search. `Catalog::find` also computes edit-distance suggestions for
    /// unknown names, which costs too much when a ledger has very many
    /// distinct unknown items; this index answers the same questions
    /// (exact, vendor prefix, unique prefix) without them.
    keys: std::collections::BTreeMap<String, usize>,
}

/// Vendor words `Catalog::find` ignores in front of a model name.
const VENDORS: &[&str] = &[
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
];

/// Longest item name looked up in the catalog (no model name is longer).
const MAX_NAME: usize = 80;

fn kw_of(ic_id: &str) -> Option<Decimal> {
    KW_PER_ACCELERATOR.iter().find(|(id, _)| *id == ic_id).and_then(|(_, v)| v.parse().ok())
}

impl ItemResolver {
    /// A resolver over the embedded catalog and rule data, classifying on
    /// `date` (the TPP does not depend on the date; control status does).
    pub fn new(date: Date) -> Result<ItemResolver> {
        let catalog = Catalog::embedded()?;
        let mut keys = std::collections::BTreeMap::new();
        for (i, e) in catalog.entries().iter().enumerate() {
            for n in std::iter::once(&e.id).chain(std::iter::once(&e.model)).chain(&e.aliases) {
                keys.insert(lookup_key(n), i);
            }
        }
        Ok(ItemResolver {
            catalog,
            rules: RuleSet::embedded()?,
            date,
            cache: FxHashMap::default(),
            keys,
        })
    }

    /// Resolve one name (cached by normalised key).
    pub fn resolve(&mut self, name: &str) -> Resolution {
        let key = lookup_key(name);
        if let Some(r) = self.cache.get(&key) {
            return r.clone();
        }
        let r = self.resolve_uncached(name, &key);
        self.cache.insert(key, r.clone());
        r
    }

    fn resolve_uncached(&self, name: &str, key: &str) -> Resolution {
        if key.is_empty() {
            return Resolution::Unknown;
        }
        for (names, ic, count) in SERVER_SYSTEMS {
            if names.iter().any(|n| lookup_key(n) == key) {
                let Found::One(i) = self.find(&lookup_key(ic)) else { return Resolution::Unknown };
                let Some(entry) = self.catalog.entries().get(i) else { return Resolution::Unknown };
                let Ok(ic_spec) = self.catalog.spec(entry) else { return Resolution::Unknown };
                let mut spec = ChipSpec::ic(names[0]);
                spec.datacenter = ic_spec.datacenter;
                spec.kind =
                    ItemKind::System { parts: vec![SystemPart { spec: ic_spec, count: *count }] };
                return self.summarise(&spec, entry.id.clone(), names[0].to_string(), true);
            }
        }
        if name.len() > MAX_NAME {
            return Resolution::Unknown;
        }
        match self.find(key) {
            Found::One(i) => {
                let Some(e) = self.catalog.entries().get(i) else { return Resolution::Unknown };
                match self.catalog.spec(e) {
                    Ok(spec) => self.summarise(&spec, e.id.clone(), e.model.clone(), false),
                    Err(_) => Resolution::Unknown,
                }
            }
            Found::Many(ix) => Resolution::Ambiguous {
                candidates: ix
                    .into_iter()
                    .filter_map(|i| self.catalog.entries().get(i).map(|e| e.model.clone()))
                    .collect(),
            },
            Found::None => Resolution::Unknown,
        }
    }

    /// The lookup of `Catalog::find` on a normalised key: exact name, then
    /// without a leading vendor word, then a unique prefix.
    fn find(&self, key: &str) -> Found {
        if let Some(&i) = self.keys.get(key) {
            return Found::One(i);
        }
        for v in VENDORS {
            if let Some(rest) = key.strip_prefix(v)
                && let Some(&i) = self.keys.get(rest)
            {
                return Found::One(i);
            }
        }
        let mut hits: Vec<usize> = self
            .keys
            .range(key.to_string()..)
            .take_while(|(k, _)| k.starts_with(key))
            .map(|(_, &i)| i)
            .collect();
        hits.sort_unstable();
        hits.dedup();
        match hits.len() {
            0 => Found::None,
            1 => Found::One(hits[0]),
            _ => Found::Many(hits),
        }
    }

    fn summarise(&self, spec: &ChipSpec, id: String, model: String, ledger: bool) -> Resolution {
        let system = matches!(spec.kind, ItemKind::System { .. });
        let Ok(c) = classify(&self.rules, spec, self.date) else {
            return Resolution::Unknown;
        };
        let (ics, controlled, tpp, kw) = if system {
            let mut ics = 0u32;
            let mut controlled = 0u32;
            let mut kw = Some(Decimal::ZERO);
            if let ItemKind::System { parts } = &spec.kind {
                for (p, s) in parts.iter().zip(&c.contains) {
                    ics += p.count;
                    if s.classification.level().is_some() {
                        controlled += p.count;
                    }
                    let k = p.spec.catalog_id.as_deref().and_then(kw_of);
                    kw = match (kw, k) {
                        (Some(a), Some(b)) => Some(a + b * Decimal::from(p.count)),
                        _ => None,
                    };
                }
            }
            (ics, controlled, c.system_tpp, kw)
        } else {
            (1, u32::from(c.classification.level().is_some()), c.tpp, kw_of(&id))
        };
        let catalog_id = if ledger {
            // For a ledger server the id is that of the contained IC; say so.
            format!("{}*{}", id, ics)
        } else {
            id
        };
        Resolution::Catalog(CatalogItem {
            catalog_id,
            model,
            system,
            ledger_system: ledger,
            ics_per_unit: ics,
            controlled_per_unit: controlled,
            tpp_per_unit: tpp,
            classification: c.classification.name().to_string(),
            kw_per_unit: kw,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d() -> Date {
        Date::constant(2026, 1, 1)
    }

    #[test]
    fn h100_sxm_resolves_with_tpp() {
        let mut r = ItemResolver::new(d()).expect("embedded data");
        let Resolution::Catalog(c) = r.resolve("h100-sxm") else { panic!("not resolved") };
        assert_eq!(c.catalog_id, "h100-sxm5-80gb");
        // 989.5 TFLOPS dense FP16 × 16 bits = 1979 × 8 = 15832.
        assert_eq!(c.tpp_per_unit, Some(Decimal::from(15832)));
        assert_eq!(c.controlled_per_unit, 1);
    }

    #[test]
    fn hgx_server_counts_eight_gpus() {
        let mut r = ItemResolver::new(d()).expect("embedded data");
        let Resolution::Catalog(c) = r.resolve("HGX H100 8-GPU") else { panic!("not resolved") };
        assert!(c.system && c.ledger_system);
        assert_eq!(c.ics_per_unit, 8);
        assert_eq!(c.controlled_per_unit, 8);
        assert_eq!(c.tpp_per_unit, Some(Decimal::from(15832 * 8)));
        let Resolution::Catalog(g) = r.resolve("DGX H100") else { panic!("catalog system") };
        assert!(g.system && !g.ledger_system);
        assert_eq!(g.tpp_per_unit, Some(Decimal::from(15832 * 8)));
        assert_eq!(g.kw_per_unit, Some("10.200".parse().expect("dec")));
    }

    #[test]
    fn unknown_item_is_kept() {
        let mut r = ItemResolver::new(d()).expect("embedded data");
        assert_eq!(r.resolve("ConnectX-7 400G NIC"), Resolution::Unknown);
        assert_eq!(r.resolve(""), Resolution::Unknown);
        assert_eq!(r.resolve(&"H100".repeat(50)), Resolution::Unknown);
    }

    #[test]
    fn agrees_with_catalog_find() {
        // The fast index answers like Catalog::find on ids, models, aliases,
        // vendor prefixes, prefixes and ambiguous prefixes.
        let mut r = ItemResolver::new(d()).expect("embedded data");
        let cat = Catalog::embedded().expect("catalog");
        for name in [
            "H100 SXM",
            "h100-sxm",
            "NVIDIA H100 SXM5",
            "H100 SXM5 80",
            "A100",
            "L40S",
            "MI300X",
            "910B",
            "H1",
            "RTX",
            "B200 SXM",
            "dgx h100",
        ] {
            let want = match cat.find(name) {
                Ok(e) => Some(e.id.clone()),
                Err(_) => None,
            };
            let got = match r.resolve(name) {
                Resolution::Catalog(c) => Some(c.catalog_id),
                _ => None,
            };
            assert_eq!(got, want, "{name}");
        }
        assert!(matches!(r.resolve("H1"), Resolution::Ambiguous { .. }));
    }
}
