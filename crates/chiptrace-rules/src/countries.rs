//! Country groups (Supp. No. 1 to 15 CFR Part 740) as dated sets.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::Deserialize;

use crate::data::{CountrySet, Evidence};
use crate::error::{Error, Result};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    meta: Meta,
    #[serde(default)]
    aliases: BTreeMap<String, Alias>,
    group: Vec<GroupDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Meta {
    citation: String,
    evidence: Evidence,
}

/// A destination code treated as another (HK → CN since 2020-12-23).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alias {
    #[serde(rename = "as")]
    pub as_: String,
    pub since: Date,
    pub citation: String,
    pub evidence: Evidence,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupDef {
    id: String,
    name: String,
    citation: String,
    evidence: Evidence,
    members: Vec<String>,
    #[serde(default)]
    change: Vec<Change>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Change {
    country: String,
    from: Date,
    #[serde(default)]
    to: Option<Date>,
    #[serde(default)]
    bis_conforming: Option<Date>,
    citation: String,
    #[allow(dead_code)]
    evidence: Evidence,
}

/// Membership of one country in one group over an interval.
#[derive(Debug, Clone)]
struct Interval {
    from: Date,
    to: Option<Date>,
    bis_conforming: Option<Date>,
    citation: Option<String>,
}

#[derive(Debug, Clone)]
struct Group {
    name: String,
    citation: String,
    evidence: Evidence,
    members: BTreeMap<String, Vec<Interval>>,
}

/// Country groups with dated membership.
#[derive(Debug, Clone)]
pub struct CountryGroups {
    groups: BTreeMap<String, Group>,
    aliases: BTreeMap<String, Alias>,
}

fn far_past() -> Date {
    jiff::civil::date(1900, 1, 1)
}

impl CountryGroups {
    pub(crate) fn parse(path: &str, text: &str) -> Result<CountryGroups> {
        let f: File = toml::from_str(text).map_err(|e| Error::rule(path, e.to_string()))?;
        if f.meta.citation.trim().is_empty() {
            return Err(Error::rule(path, "meta: empty citation"));
        }
        let mut groups = BTreeMap::new();
        for g in f.group {
            if g.citation.trim().is_empty() {
                return Err(Error::rule(path, format!("group {}: empty citation", g.id)));
            }
            let mut members: BTreeMap<String, Vec<Interval>> = BTreeMap::new();
            for m in &g.members {
                check_code(path, &g.id, m)?;
                members.entry(m.clone()).or_default().push(Interval {
                    from: far_past(),
                    to: None,
                    bis_conforming: None,
                    citation: None,
                });
            }
            for c in &g.change {
                check_code(path, &g.id, &c.country)?;
                if c.citation.trim().is_empty() {
                    return Err(Error::rule(
                        path,
                        format!("group {} change {}: empty citation", g.id, c.country),
                    ));
                }
                if members.contains_key(&c.country) && c.to.is_none() {
                    return Err(Error::rule(
                        path,
                        format!(
                            "group {}: {} is both a member and an open-ended change",
                            g.id, c.country
                        ),
                    ));
                }
                members.entry(c.country.clone()).or_default().push(Interval {
                    from: c.from,
                    to: c.to,
                    bis_conforming: c.bis_conforming,
                    citation: Some(c.citation.clone()),
                });
            }
            groups.insert(
                g.id.clone(),
                Group { name: g.name, citation: g.citation, evidence: g.evidence, members },
            );
        }
        for (k, a) in &f.aliases {
            check_code(path, "aliases", k)?;
            check_code(path, "aliases", &a.as_)?;
        }
        Ok(CountryGroups { groups, aliases: f.aliases })
    }

    pub fn has_group(&self, id: &str) -> bool {
        self.groups.contains_key(id)
    }

    /// Group ids, sorted.
    pub fn group_ids(&self) -> Vec<&str> {
        self.groups.keys().map(String::as_str).collect()
    }

    /// Display name and citation of a group.
    pub fn group_info(&self, id: &str) -> Option<(&str, &str, Evidence)> {
        self.groups.get(id).map(|g| (g.name.as_str(), g.citation.as_str(), g.evidence))
    }

    /// Whether `country` (already normalised) is in group `id` on `date`.
    pub fn in_group(&self, id: &str, country: &str, date: Date) -> bool {
        self.membership(id, country, date).is_some()
    }

    /// The citation of the dated change that makes `country` a member on
    /// `date`, or `Some(None)` for a snapshot member.
    fn membership(&self, id: &str, country: &str, date: Date) -> Option<Option<&str>> {
        let g = self.groups.get(id)?;
        let iv = g.members.get(country)?;
        iv.iter()
            .find(|i| i.from <= date && i.to.is_none_or(|t| date <= t))
            .map(|i| i.citation.as_deref())
    }

    /// Groups containing `country` on `date`.
    pub fn groups_of(&self, country: &str, date: Date) -> Vec<&str> {
        self.groups.keys().filter(|g| self.in_group(g, country, date)).map(String::as_str).collect()
    }

    /// Membership caveats for `country` on `date`: a State-Department removal
    /// in force before BIS's conforming rule (D:5 follows ITAR §126.1,
    /// export-rules.md §5), so a reviewer sees the gap.
    pub fn caveats(&self, country: &str, date: Date) -> Vec<String> {
        let mut out = Vec::new();
        for (gid, g) in &self.groups {
            if let Some(iv) = g.members.get(country) {
                for i in iv {
                    if let (Some(to), Some(bis)) = (i.to, i.bis_conforming)
                        && date > to
                        && date < bis
                    {
                        out.push(format!(
                            "{country} left {gid} on {} (State Department date) but BIS's conforming rule is dated {bis}; \
                             treated as not a member ({})",
                            to.checked_add(jiff::Span::new().days(1)).unwrap_or(to),
                            i.citation.as_deref().unwrap_or("")
                        ));
                    }
                }
            }
        }
        out
    }

    /// Whether `country` is in `set` on `date`.
    pub fn contains(&self, set: &CountrySet, country: &str, date: Date) -> bool {
        let gdate = set.groups_as_of.unwrap_or(date);
        let c = country;
        if set.except_countries.iter().any(|x| x == c) {
            return false;
        }
        if set.countries.iter().any(|x| x == c) {
            return true;
        }
        let in_groups = set.worldwide || set.groups.iter().any(|g| self.in_group(g, c, gdate));
        in_groups && !set.except_groups.iter().any(|g| self.in_group(g, c, gdate))
    }

    /// Why `country` is (or is not) in `set`: for the trace.
    pub fn explain(&self, set: &CountrySet, country: &str, date: Date) -> String {
        let gdate = set.groups_as_of.unwrap_or(date);
        let groups = self.groups_of(country, gdate);
        let gl = if groups.is_empty() { "no group".to_string() } else { groups.join(", ") };
        let asof =
            if set.groups_as_of.is_some() { format!(" as at {gdate}") } else { String::new() };
        format!("{country} is in {gl}{asof}")
    }

    /// Normalise a destination for licence determination (HK → CN), with the
    /// alias used, if any.
    pub fn normalize_destination<'a>(
        &'a self,
        code: &str,
        date: Date,
    ) -> (String, Option<&'a Alias>) {
        match self.aliases.get(code) {
            Some(a) if a.since <= date => (a.as_.clone(), Some(a)),
            _ => (code.to_string(), None),
        }
    }

    /// Every date at which a membership starts or ends.
    pub fn change_dates(&self) -> Vec<Date> {
        let mut out = BTreeSet::new();
        for g in self.groups.values() {
            for iv in g.members.values() {
                for i in iv {
                    if i.from > far_past() {
                        out.insert(i.from);
                    }
                    if let Some(t) = i.to
                        && let Ok(n) = t.checked_add(jiff::Span::new().days(1))
                    {
                        out.insert(n);
                    }
                }
            }
        }
        out.into_iter().collect()
    }
}

/// The shape of an ISO 3166-1 alpha-2 code: two upper-case ASCII letters.
pub(crate) fn is_alpha2(c: &str) -> bool {
    c.len() == 2 && c.chars().all(|ch| ch.is_ascii_uppercase())
}

fn check_code(path: &str, gid: &str, c: &str) -> Result<()> {
    if !is_alpha2(c) {
        return Err(Error::rule(path, format!("group {gid}: {c:?} is not an ISO alpha-2 code")));
    }
    Ok(())
}

/// Validate and upper-case a country code from user input, naming the field.
/// Accepts ISO 3166-1 alpha-2 codes only (the list of assigned codes is
/// embedded so that typos such as "XX" or "UK" are rejected, not guessed).
pub fn normalize_country(field: &str, code: &str) -> Result<String> {
    let c = code.trim().to_ascii_uppercase();
    if c == "UK" {
        return Err(Error::field(field, "\"UK\" is not an ISO 3166-1 code; use \"GB\""));
    }
    if !is_alpha2(&c) || !ISO_ALPHA2.split(' ').any(|x| x == c) {
        return Err(Error::field(
            field,
            format!("unknown country code {code:?} (expected ISO 3166-1 alpha-2, e.g. \"SG\")"),
        ));
    }
    Ok(c)
}

/// Assigned ISO 3166-1 alpha-2 codes (plus XK, Kosovo, used by lists).
const ISO_ALPHA2: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI \
GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC \
LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA \
PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH \
TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK";
