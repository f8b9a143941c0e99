//! Chip specifications: the validated input of the classifier, and the
//! documented JSON spec format (`docs/classification.md`).
//!
//! Numbers are read from the JSON text itself (serde_json `RawValue`), never
//! through `f64`, so datasheet figures such as 989.5 or 1979 stay exact
//! (export-rules.md §9.3).

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::error::{Error, Result};

/// A MAC precision and its bit length under Technical Note 1.c to 3A090
/// ("the largest bit-length of the inputs to the multiply operation").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    Fp64,
    Fp32,
    Tf32,
    Fp16,
    Bf16,
    Fp8,
    Int8,
    Fp6,
    Fp4,
    Int4,
}

impl Precision {
    pub const ALL: [Precision; 10] = [
        Precision::Fp64,
        Precision::Fp32,
        Precision::Tf32,
        Precision::Fp16,
        Precision::Bf16,
        Precision::Fp8,
        Precision::Int8,
        Precision::Fp6,
        Precision::Fp4,
        Precision::Int4,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Precision::Fp64 => "fp64",
            Precision::Fp32 => "fp32",
            Precision::Tf32 => "tf32",
            Precision::Fp16 => "fp16",
            Precision::Bf16 => "bf16",
            Precision::Fp8 => "fp8",
            Precision::Int8 => "int8",
            Precision::Fp6 => "fp6",
            Precision::Fp4 => "fp4",
            Precision::Int4 => "int4",
        }
    }

    pub fn parse(s: &str) -> Option<Precision> {
        Precision::ALL.into_iter().find(|p| p.name() == s)
    }

    /// Bit length (export-rules.md §3 "Practical formula"). TF32 is stored in
    /// a 32-bit container; 32 is the default and the classifier flags results
    /// that would change at 19 bits.
    pub fn bits(self) -> u32 {
        match self {
            Precision::Fp64 => 64,
            Precision::Fp32 | Precision::Tf32 => 32,
            Precision::Fp16 | Precision::Bf16 => 16,
            Precision::Fp8 | Precision::Int8 => 8,
            Precision::Fp6 => 6,
            Precision::Fp4 | Precision::Int4 => 4,
        }
    }
}

/// "Designed or marketed for use in datacenters" (Note 2 to 3A090).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Datacenter {
    Yes,
    No,
    Unknown,
}

impl Datacenter {
    pub fn parse(field: &str, s: &str) -> Result<Datacenter> {
        match s.trim().to_ascii_lowercase().as_str() {
            "yes" | "true" => Ok(Datacenter::Yes),
            "no" | "false" => Ok(Datacenter::No),
            "unknown" | "ambiguous" | "" => Ok(Datacenter::Unknown),
            other => Err(Error::field(
                field,
                format!("expected \"yes\", \"no\" or \"unknown\", got {other:?}"),
            )),
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Datacenter::Yes => "yes",
            Datacenter::No => "no",
            Datacenter::Unknown => "unknown",
        }
    }
}

/// One processing unit of a heterogeneous IC (Technical Note 1.d: TPP is the
/// sum over processing units, each at its highest-TPP bit length).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    pub name: String,
    pub dense: BTreeMap<Precision, Decimal>,
}

/// What is being classified.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemKind {
    /// An integrated circuit (one package; all its dies aggregated).
    Ic,
    /// An HBM stack or packaged HBM device (3A090.c).
    Hbm { stack_bw_gbs: Decimal, stack_area_mm2: Decimal },
    /// A computer, board or assembly containing ICs (4A090).
    System { parts: Vec<SystemPart> },
}

/// `count` copies of a contained IC.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemPart {
    pub spec: ChipSpec,
    pub count: u32,
}

/// A validated chip / system specification.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChipSpec {
    pub name: String,
    /// Catalog id when the spec came from the catalog.
    pub catalog_id: Option<String>,
    pub datacenter: Datacenter,
    /// Sum of non-planar logic die area in the package, mm².
    pub die_area_mm2: Option<Decimal>,
    /// Where the die area comes from (catalog `die_area_basis`).
    pub die_area_basis: Option<String>,
    /// `Some(false)`: all logic dies planar, so the applicable die area is 0.
    pub nonplanar: Option<bool>,
    /// Dense throughput per precision, TOPS / TFLOPS as published.
    pub dense: BTreeMap<Precision, Decimal>,
    /// Per-unit throughput for heterogeneous ICs (summed, Note 1.d).
    pub units: Vec<Unit>,
    pub io_bidir_gbs: Option<Decimal>,
    /// The links behind `io_bidir_gbs` (name, GB/s), for the trace of the
    /// 2022 I/O test (chip-to-chip links plus the host link, §4.1).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub io_parts: Vec<(String, Decimal)>,
    pub dram_bw_gbs: Option<Decimal>,
    /// Base ECCN from the product master, for `.z` routing.
    pub base_eccn: Option<String>,
    /// ISO country of the designer's headquarters (GP10 guidance).
    pub designer_hq: Option<String>,
    pub kind: ItemKind,
}

impl ChipSpec {
    /// An IC spec with no figures (builder start for tests and callers).
    pub fn ic(name: &str) -> ChipSpec {
        ChipSpec {
            name: name.to_string(),
            catalog_id: None,
            datacenter: Datacenter::Unknown,
            die_area_mm2: None,
            die_area_basis: None,
            nonplanar: None,
            dense: BTreeMap::new(),
            units: Vec::new(),
            io_bidir_gbs: None,
            io_parts: Vec::new(),
            dram_bw_gbs: None,
            base_eccn: None,
            designer_hq: None,
            kind: ItemKind::Ic,
        }
    }

    /// Parse the documented JSON spec format. `resolve` turns a catalog chip
    /// name into a spec (for `contains` entries of systems).
    pub fn from_json(text: &str, resolve: &dyn Fn(&str) -> Result<ChipSpec>) -> Result<ChipSpec> {
        let obj: Obj = serde_json::from_str(text).map_err(|e| {
            Error::field(
                "spec",
                format!("malformed JSON at line {} column {}: {e}", e.line(), e.column()),
            )
        })?;
        parse_obj("", &obj.0, resolve, 0)
    }
}

/// Systems may contain systems (a rack of servers) to this depth.
const MAX_DEPTH: u32 = 3;

/// A JSON object whose values stay raw (exact numbers), rejecting duplicate
/// keys: serde_json would otherwise keep the last one silently, and
/// `{"fp16": 400, "fp16": 10}` must not quietly classify as 10.
struct Obj(BTreeMap<String, Box<RawValue>>);

impl std::ops::Deref for Obj {
    type Target = BTreeMap<String, Box<RawValue>>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Obj {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Obj, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Obj;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> std::result::Result<Obj, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(k) = m.next_key::<String>()? {
                    let v: Box<RawValue> = m.next_value()?;
                    if out.contains_key(&k) {
                        return Err(serde::de::Error::custom(format!("duplicate field {k:?}")));
                    }
                    out.insert(k, v);
                }
                Ok(Obj(out))
            }
        }
        d.deserialize_map(V)
    }
}

fn only_keys(prefix: &str, o: &Obj, allowed: &[&str]) -> Result<()> {
    for k in o.0.keys() {
        if !allowed.contains(&k.as_str()) {
            return Err(Error::field(
                format!("{prefix}{k}"),
                format!("unknown field (expected one of: {})", allowed.join(", ")),
            ));
        }
    }
    Ok(())
}
const MAX_PARTS: usize = 1024;
const MAX_UNITS: usize = 64;

fn parse_obj(
    prefix: &str,
    obj: &BTreeMap<String, Box<RawValue>>,
    resolve: &dyn Fn(&str) -> Result<ChipSpec>,
    depth: u32,
) -> Result<ChipSpec> {
    let f = |k: &str| format!("{prefix}{k}");
    const KNOWN: &[&str] = &[
        "name",
        "datacenter",
        "die_area_mm2",
        "nonplanar",
        "dense_tops",
        "io_bidir_gbs",
        "dram_bw_gbs",
        "base_eccn",
        "kind",
        "stack_bw_gbs",
        "stack_area_mm2",
        "contains",
        "units",
        "designer_hq",
        "die_area_basis",
    ];
    for k in obj.keys() {
        if !KNOWN.contains(&k.as_str()) {
            return Err(Error::field(
                f(k),
                format!("unknown field (expected one of: {})", KNOWN.join(", ")),
            ));
        }
    }
    let name = match obj.get("name") {
        Some(v) => {
            string(&f("name"), v)?.ok_or_else(|| Error::field(f("name"), "must be a string"))?
        }
        None => return Err(Error::field(f("name"), "missing (a name for the item is required)")),
    };
    if name.trim().is_empty() {
        return Err(Error::field(f("name"), "must not be empty"));
    }
    let kind_s = match obj.get("kind") {
        Some(v) => string(&f("kind"), v)?.unwrap_or_else(|| "ic".into()),
        None => {
            if obj.contains_key("contains") {
                "system".into()
            } else if obj.contains_key("stack_bw_gbs") {
                "hbm".into()
            } else {
                "ic".into()
            }
        }
    };
    let datacenter = match obj.get("datacenter") {
        Some(v) => match string(&f("datacenter"), v)? {
            Some(s) => Datacenter::parse(&f("datacenter"), &s)?,
            None => Datacenter::Unknown,
        },
        None => Datacenter::Unknown,
    };
    let mut spec = ChipSpec::ic(&name);
    spec.datacenter = datacenter;
    spec.die_area_mm2 = opt_number(&f("die_area_mm2"), obj.get("die_area_mm2").map(|v| &**v))?;
    if spec.die_area_mm2.is_some_and(|a| a.is_zero()) {
        return Err(Error::field(
            f("die_area_mm2"),
            "must be greater than 0 (use \"nonplanar\": false for a chip whose logic dies are all planar)",
        ));
    }
    spec.die_area_basis = match obj.get("die_area_basis") {
        Some(v) => string(&f("die_area_basis"), v)?,
        None => None,
    };
    spec.nonplanar = match obj.get("nonplanar") {
        Some(v) => match v.get().trim() {
            "true" => Some(true),
            "false" => Some(false),
            "null" => None,
            other => {
                return Err(Error::field(
                    f("nonplanar"),
                    format!("expected true or false, got {other}"),
                ));
            }
        },
        None => None,
    };
    spec.io_bidir_gbs = opt_number(&f("io_bidir_gbs"), obj.get("io_bidir_gbs").map(|v| &**v))?;
    spec.dram_bw_gbs = opt_number(&f("dram_bw_gbs"), obj.get("dram_bw_gbs").map(|v| &**v))?;
    spec.base_eccn = match obj.get("base_eccn") {
        Some(v) => {
            string(&f("base_eccn"), v)?.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
        }
        None => None,
    };
    if let Some(b) = &spec.base_eccn
        && !valid_eccn(b)
    {
        return Err(Error::field(
            f("base_eccn"),
            format!("{b:?} is not an ECCN (e.g. \"5A992.c\", \"4A003.b\")"),
        ));
    }
    spec.designer_hq = match obj.get("designer_hq") {
        Some(v) => match string(&f("designer_hq"), v)? {
            Some(s) => Some(crate::countries::normalize_country(&f("designer_hq"), &s)?),
            None => None,
        },
        None => None,
    };
    if let Some(d) = obj.get("dense_tops") {
        spec.dense = dense_map(&f("dense_tops"), d)?;
    }
    if let Some(u) = obj.get("units") {
        let arr: Vec<Obj> = serde_json::from_str(u.get()).map_err(|e| {
            Error::field(
                f("units"),
                format!("expected a list of {{\"name\", \"dense_tops\"}}: {e}"),
            )
        })?;
        if arr.len() > MAX_UNITS {
            return Err(Error::field(f("units"), format!("at most {MAX_UNITS} processing units")));
        }
        for (i, uo) in arr.iter().enumerate() {
            let uf = format!("{}units[{i}].", prefix);
            only_keys(&uf, uo, &["name", "dense_tops"])?;
            let uname = match uo.get("name") {
                Some(v) => string(&format!("{uf}name"), v)?.unwrap_or_default(),
                None => format!("unit {}", i + 1),
            };
            let d = uo
                .get("dense_tops")
                .ok_or_else(|| Error::field(format!("{uf}dense_tops"), "missing"))?;
            spec.units.push(Unit { name: uname, dense: dense_map(&format!("{uf}dense_tops"), d)? });
        }
        if !spec.dense.is_empty() && !spec.units.is_empty() {
            return Err(Error::field(
                f("units"),
                "give either dense_tops (one MAC engine) or units (several processing units), not both",
            ));
        }
    }
    match kind_s.as_str() {
        "ic" => {
            if spec.dense.is_empty() && spec.units.iter().all(|u| u.dense.is_empty()) {
                return Err(Error::field(
                    f("dense_tops"),
                    "missing: at least one dense throughput figure (fp64, fp32, tf32, fp16, bf16, fp8, int8, fp6, fp4, int4) is required to compute TPP",
                ));
            }
        }
        "hbm" => {
            let bw = opt_number(&f("stack_bw_gbs"), obj.get("stack_bw_gbs").map(|v| &**v))?
                .ok_or_else(|| {
                    Error::field(f("stack_bw_gbs"), "missing (HBM memory bandwidth, GB/s)")
                })?;
            let area = opt_number(&f("stack_area_mm2"), obj.get("stack_area_mm2").map(|v| &**v))?
                .ok_or_else(|| {
                Error::field(f("stack_area_mm2"), "missing (area of the package or stack, mm²)")
            })?;
            if area.is_zero() {
                return Err(Error::field(f("stack_area_mm2"), "must be greater than 0"));
            }
            spec.kind = ItemKind::Hbm { stack_bw_gbs: bw, stack_area_mm2: area };
        }
        "system" => {
            if depth >= MAX_DEPTH {
                return Err(Error::field(f("contains"), "systems nested too deeply"));
            }
            let c = obj.get("contains").ok_or_else(|| {
                Error::field(f("contains"), "missing: a system lists the ICs it contains")
            })?;
            let arr: Vec<Obj> = serde_json::from_str(c.get()).map_err(|e| {
                Error::field(
                    f("contains"),
                    format!("expected a list of {{\"chip\" or \"spec\", \"count\"}}: {e}"),
                )
            })?;
            if arr.is_empty() || arr.len() > MAX_PARTS {
                return Err(Error::field(
                    f("contains"),
                    format!("must list 1 to {MAX_PARTS} parts"),
                ));
            }
            let mut parts = Vec::new();
            for (i, p) in arr.iter().enumerate() {
                let pf = format!("{prefix}contains[{i}].");
                only_keys(&pf, p, &["chip", "spec", "count"])?;
                let count = match p.get("count") {
                    Some(v) => {
                        let n = number(&format!("{pf}count"), v)?;
                        if n.fract() != Decimal::ZERO
                            || n < Decimal::ONE
                            || n > Decimal::from(1_000_000)
                        {
                            return Err(Error::field(
                                format!("{pf}count"),
                                "must be a whole number from 1 to 1000000",
                            ));
                        }
                        u32::try_from(n.trunc().mantissa()).unwrap_or(1)
                    }
                    None => 1,
                };
                let part = match (p.get("chip"), p.get("spec")) {
                    (Some(c), None) => {
                        let cname = string(&format!("{pf}chip"), c)?
                            .ok_or_else(|| Error::field(format!("{pf}chip"), "must be a string"))?;
                        resolve(&cname)
                            .map_err(|e| Error::field(format!("{pf}chip"), e.to_string()))?
                    }
                    (None, Some(s)) => {
                        let so: Obj = serde_json::from_str(s.get()).map_err(|e| {
                            Error::field(format!("{pf}spec"), format!("expected an object: {e}"))
                        })?;
                        parse_obj(&format!("{pf}spec."), &so.0, resolve, depth + 1)?
                    }
                    _ => {
                        return Err(Error::field(
                            pf.trim_end_matches('.'),
                            "give exactly one of \"chip\" (catalog name) or \"spec\"",
                        ));
                    }
                };
                parts.push(SystemPart { spec: part, count });
            }
            spec.kind = ItemKind::System { parts };
        }
        other => {
            return Err(Error::field(
                f("kind"),
                format!("expected \"ic\", \"hbm\" or \"system\", got {other:?}"),
            ));
        }
    }
    Ok(spec)
}

fn dense_map(field: &str, v: &RawValue) -> Result<BTreeMap<Precision, Decimal>> {
    let m: Obj = serde_json::from_str(v.get()).map_err(|e| {
        Error::field(field, format!("expected an object of precision: number ({e})"))
    })?;
    let mut out = BTreeMap::new();
    for (k, v) in m.0 {
        let p = Precision::parse(&k.to_ascii_lowercase()).ok_or_else(|| {
            Error::field(
                format!("{field}.{k}"),
                "unknown precision (expected fp64, fp32, tf32, fp16, bf16, fp8, int8, fp6, fp4, int4)",
            )
        })?;
        if let Some(n) = opt_number(&format!("{field}.{k}"), Some(&*v))?
            && out.insert(p, n).is_some()
        {
            return Err(Error::field(
                format!("{field}.{k}"),
                "given twice (precision names are case-insensitive)",
            ));
        }
    }
    Ok(out)
}

fn string(field: &str, v: &RawValue) -> Result<Option<String>> {
    let t = v.get().trim();
    if t == "null" {
        return Ok(None);
    }
    serde_json::from_str::<String>(t)
        .map(Some)
        .map_err(|_| Error::field(field, format!("expected a string, got {t}")))
}

fn opt_number(field: &str, v: Option<&RawValue>) -> Result<Option<Decimal>> {
    match v {
        None => Ok(None),
        Some(v) if v.get().trim() == "null" => Ok(None),
        Some(v) => number(field, v).map(Some),
    }
}

/// Parse a JSON number from its text, exactly; reject negatives, strings,
/// and values outside the decimal range.
fn number(field: &str, v: &RawValue) -> Result<Decimal> {
    let t = v.get().trim();
    if t.starts_with('"') {
        return Err(Error::field(field, format!("expected a number, got the string {t}")));
    }
    parse_decimal(t)
        .ok_or_else(|| Error::field(field, format!("expected a number, got {t}")))
        .and_then(|d| {
            if d.is_sign_negative() && !d.is_zero() {
                Err(Error::field(field, format!("must not be negative, got {t}")))
            } else if d > Decimal::from(MAX_VALUE) {
                // bounded so every product the classifier forms (value ×
                // bits × count, threshold × area) stays inside the exact
                // decimal range
                Err(Error::field(field, format!("too large ({t}); at most {MAX_VALUE}")))
            } else if d.scale() > MAX_SCALE {
                Err(Error::field(field, format!("{t} has more than {MAX_SCALE} decimal places")))
            } else {
                Ok(d)
            }
        })
}

/// Largest accepted figure (TOPS, mm², GB/s): far above any real part.
const MAX_VALUE: i64 = 1_000_000_000_000;
/// Most decimal places accepted (datasheets publish a few).
const MAX_SCALE: u32 = 9;

/// Exact decimal from a JSON / CSV number text (plain or scientific).
pub(crate) fn parse_decimal(t: &str) -> Option<Decimal> {
    let t = t.trim();
    if t.is_empty() || t.len() > 64 {
        return None;
    }
    if t.contains(['e', 'E']) {
        Decimal::from_scientific(t).ok()
    } else {
        Decimal::from_str(t).ok()
    }
    .map(|d| d.normalize())
}

/// ECCN shape: digit, letter A-E, three digits, optional dotted paragraphs.
pub(crate) fn valid_eccn(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 5
        && b[0].is_ascii_digit()
        && (b'A'..=b'E').contains(&b[1])
        && b[2..5].iter().all(u8::is_ascii_digit)
        && (b.len() == 5
            || (b[5] == b'.'
                && s[6..]
                    .split('.')
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap freely; failures are the point
mod tests {
    use super::*;

    fn no_resolve(n: &str) -> Result<ChipSpec> {
        Err(Error::UnknownChip { name: n.into(), suggestions: vec![] })
    }

    #[test]
    fn exact_decimals_survive_parsing() {
        let s = ChipSpec::from_json(
            r#"{"name":"x","datacenter":"yes","die_area_mm2":814,"nonplanar":true,
                "dense_tops":{"fp16":989.5,"fp8":1979,"int8":660.6e0},"io_bidir_gbs":null,"dram_bw_gbs":3350}"#,
            &no_resolve,
        )
        .unwrap();
        assert_eq!(s.dense[&Precision::Fp16].to_string(), "989.5");
        assert_eq!(s.dense[&Precision::Fp8].to_string(), "1979");
        assert_eq!(s.dense[&Precision::Int8].to_string(), "660.6");
        assert_eq!(s.io_bidir_gbs, None);
    }

    #[test]
    fn errors_name_the_field() {
        let cases = [
            (r#"{"name":"x","dense_tops":{"fp16":-1}}"#, "dense_tops.fp16"),
            (r#"{"name":"x","dense_tops":{"fp17":1}}"#, "dense_tops.fp17"),
            (r#"{"name":"x","dense_tops":{"fp16":"12"}}"#, "dense_tops.fp16"),
            (r#"{"name":"x"}"#, "dense_tops"),
            (r#"{"dense_tops":{"fp16":1}}"#, "name"),
            (r#"{"name":"x","datacenter":"maybe","dense_tops":{"fp16":1}}"#, "datacenter"),
            (r#"{"name":"x","die_area_mm2":"big","dense_tops":{"fp16":1}}"#, "die_area_mm2"),
            (r#"{"name":"x","colour":1,"dense_tops":{"fp16":1}}"#, "colour"),
            (
                r#"{"name":"x","kind":"system","contains":[{"chip":"nope","count":8}]}"#,
                "contains[0].chip",
            ),
            (
                r#"{"name":"x","kind":"system","contains":[{"spec":{"name":"y"},"count":2}]}"#,
                "contains[0].spec.dense_tops",
            ),
            (r#"{"name":"x","kind":"hbm","stack_bw_gbs":819}"#, "stack_area_mm2"),
            (r#"{"name":"x","base_eccn":"banana","dense_tops":{"fp16":1}}"#, "base_eccn"),
            (r#"{"name":"x","dense_tops":{"fp16":1e400}}"#, "dense_tops.fp16"),
            (
                r#"{"name":"x","die_area_mm2":75044444444444444444444444444,"dense_tops":{"fp16":1}}"#,
                "die_area_mm2",
            ),
            (r#"{"name":"x","dense_tops":{"fp16":1.0000000001}}"#, "dense_tops.fp16"),
            (r#"{"name":"x","dense_tops":{"fp16":400,"FP16":10}}"#, "dense_tops."),
            (
                r#"{"name":"x","kind":"system","contains":[{"chip":"a","cuont":8}]}"#,
                "contains[0].cuont",
            ),
            (r#"{"name":"x","units":[{"name":"npu","dense":{"fp16":1}}]}"#, "units[0].dense"),
        ];
        for (json, field) in cases {
            let e = ChipSpec::from_json(json, &no_resolve).unwrap_err();
            assert!(e.to_string().starts_with(field), "{json}: {e}");
        }
        let e = ChipSpec::from_json("{\"name\": ", &no_resolve).unwrap_err();
        assert!(e.to_string().contains("malformed JSON at line 1"), "{e}");
    }

    #[test]
    fn eccn_shapes() {
        for ok in ["3A090", "5A992.c", "4A003.b", "3A001.a.1.a"] {
            assert!(valid_eccn(ok), "{ok}");
        }
        for bad in ["", "3A09", "ZA090", "3F090", "3A090.", "3A090..a", "EAR99"] {
            assert!(!valid_eccn(bad), "{bad}");
        }
    }
}
