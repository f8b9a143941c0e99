//! Related-but-distinct clusters: declared parents and siblings, inferred
//! corporate families (a shared brand stem plus a shared domain, a declared
//! headquarters or a holding/group name), and shared identifiers (phone,
//! corporate domain, address) that did not merge. The identifier graph is
//! kept apart from "same entity" merges (diversion.md §7.3): it feeds the
//! ring rules, it never merges.

use chiptrace_text::TokenClass;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::block::token_df;
use crate::compare::{Field, align_names};
use crate::explain::RecordRef;
use crate::features::Features;
use crate::record::Kind;
use crate::resolve::{Scored, rref};

/// A brand stem shared by more records than this is a common word, not a
/// family name.
const MAX_STEM_DF: u32 = 60;
/// Clusters of one declared parent linked pairwise as siblings, at most.
const MAX_SIBLINGS: usize = 50;

/// How two clusters are related.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// `from` is the parent (or holding company) of `to`.
    ParentSubsidiary,
    /// Two companies of one family (same parent, or a shared brand stem
    /// with a shared domain or headquarters).
    Sibling,
    /// Distinct entities sharing a phone, corporate domain or address.
    SharedIdentifier,
}

/// A relation between two clusters that are not the same entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// The relation.
    pub kind: LinkKind,
    /// Declared in the data (parent_id) rather than inferred.
    pub declared: bool,
    /// Cluster on the "from" side (the parent for parent/subsidiary).
    pub from: usize,
    /// Cluster on the "to" side.
    pub to: usize,
    /// The record on the `from` side that carries the evidence.
    pub from_record: RecordRef,
    /// The record on the `to` side.
    pub to_record: RecordRef,
    /// The evidence, one human-readable line each.
    pub evidence: Vec<String>,
}

fn has_holding_word(f: &Features) -> bool {
    f.forms.iter().any(|form| {
        form.toks.iter().any(|t| {
            t.class == TokenClass::Generic && matches!(t.text.as_str(), "holding" | "group")
        })
    })
}

struct Builder {
    links: Vec<Link>,
    index: FxHashMap<(LinkKind, usize, usize), usize>,
}

impl Builder {
    fn add(&mut self, mut link: Link) {
        if link.from == link.to {
            return;
        }
        let key = if link.kind == LinkKind::ParentSubsidiary {
            (link.kind, link.from, link.to)
        } else {
            (link.kind, link.from.min(link.to), link.from.max(link.to))
        };
        match self.index.get(&key) {
            Some(&k) => {
                let existing = &mut self.links[k];
                existing.declared |= link.declared;
                for e in link.evidence.drain(..) {
                    if !existing.evidence.contains(&e) && existing.evidence.len() < 16 {
                        existing.evidence.push(e);
                    }
                }
            }
            None => {
                self.index.insert(key, self.links.len());
                self.links.push(link);
            }
        }
    }
}

type Mass = Vec<(String, String, u32)>;

pub(crate) fn find_links(
    s: &Scored<'_>,
    cluster_of: &[usize],
    mass_limit: u32,
) -> (Vec<Link>, Mass) {
    let mut b = Builder { links: Vec::new(), index: FxHashMap::default() };
    let recs = s.records;
    // Declared parents.
    let mut by_id: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, r) in recs.iter().enumerate() {
        by_id.entry(r.id.as_str()).or_default().push(i);
    }
    let mut families: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (i, f) in s.feats.iter().enumerate() {
        let Some(p) = f.parent_id.as_deref() else { continue };
        let parents = by_id.get(p).cloned().unwrap_or_default();
        for &q in &parents {
            b.add(Link {
                kind: LinkKind::ParentSubsidiary,
                declared: true,
                from: cluster_of[q],
                to: cluster_of[i],
                from_record: rref(&recs[q]),
                to_record: rref(&recs[i]),
                evidence: vec![format!("{}/{} declares parent {}", recs[i].source, recs[i].id, p)],
            });
        }
        let key = match parents.first() {
            Some(&q) => format!("cluster:{}", cluster_of[q]),
            None => format!("id:{p}"),
        };
        families.entry(key).or_default().push(i);
    }
    let mut fam_keys: Vec<_> = families.into_iter().collect();
    fam_keys.sort();
    for (key, members) in fam_keys {
        let mut firsts: Vec<usize> = Vec::new();
        let mut seen: FxHashSet<usize> = FxHashSet::default();
        for &m in &members {
            if seen.insert(cluster_of[m]) {
                firsts.push(m);
            }
        }
        firsts.truncate(MAX_SIBLINGS);
        for (x, &i) in firsts.iter().enumerate() {
            for &j in &firsts[x + 1..] {
                b.add(Link {
                    kind: LinkKind::Sibling,
                    declared: true,
                    from: cluster_of[i],
                    to: cluster_of[j],
                    from_record: rref(&recs[i]),
                    to_record: rref(&recs[j]),
                    evidence: vec![format!(
                        "same declared parent ({})",
                        key.trim_start_matches("id:")
                    )],
                });
            }
        }
    }
    // Inferred from the scored candidate pairs.
    let df = token_df(s.feats);
    let mut mass: FxHashMap<(String, String), u32> = FxHashMap::default();
    for (k, &(i, j)) in s.pairs.iter().enumerate() {
        let (i, j) = (i as usize, j as usize);
        if cluster_of[i] == cluster_of[j] {
            continue;
        }
        let (a, bf) = (&s.feats[i], &s.feats[j]);
        let g = &s.cmps[k].gamma;
        let mut shared: Vec<String> = Vec::new();
        let mut check =
            |field: Field, value: Option<String>, label: &str, shared: &mut Vec<String>| {
                let Some(v) = value else { return };
                let count = s.tf.count(field, &v);
                if count > mass_limit {
                    mass.insert((field.name().to_string(), v), count);
                } else {
                    shared.push(format!("same {label} {v}"));
                }
            };
        if g[Field::Phone.index()] == 0 {
            check(Field::Phone, a.phone_key.clone(), "phone", &mut shared);
        }
        if g[Field::Domain.index()] == 1 {
            check(Field::Domain, a.domain.clone(), "corporate domain", &mut shared);
        } else if g[Field::Domain.index()] == 0 {
            shared.push(format!(
                "same e-mail address {}",
                a.email.as_ref().map(|e| e.address.as_str()).unwrap_or("")
            ));
        }
        if g[Field::Address.index()] == 0 {
            check(Field::Address, a.address_key(), "address", &mut shared);
        }
        let same_domain = g[Field::Domain.index()] == 1;
        // A shared brand stem needs some name similarity (level ≤ 3,
        // similarity ≥ 0.5); the detailed alignment is built only then.
        let name_level = g[Field::Name.index()];
        if a.kind == Kind::Company
            && bf.kind == Kind::Company
            && name_level <= 3
            && let Some(al) = align_names(a, bf)
        {
            let stem = al.matched.iter().find(|(x, y, sim)| {
                *sim >= 0.9
                    && a.forms.get(al.form_a).is_some_and(|f| {
                        f.toks
                            .iter()
                            .any(|t| t.text == *x && t.class == TokenClass::Word && !t.place)
                    })
                    && df.get(x.as_str()).or(df.get(y.as_str())).is_some_and(|d| *d <= MAX_STEM_DF)
            });
            if let Some((stem, _, _)) = stem {
                let (ha, hb) = (has_holding_word(a), has_holding_word(bf));
                let hq = a.hq_country.is_some() && a.hq_country == bf.hq_country;
                if same_domain || ha || hb || hq {
                    let mut ev = vec![format!("shared brand stem `{stem}`")];
                    if !al.unmatched_a.is_empty() || !al.unmatched_b.is_empty() {
                        ev.push(format!(
                            "names differ: [{}] vs [{}]",
                            al.unmatched_a.join(" "),
                            al.unmatched_b.join(" ")
                        ));
                    }
                    if same_domain {
                        ev.push(format!(
                            "same corporate domain {}",
                            a.domain.clone().unwrap_or_default()
                        ));
                    }
                    if hq {
                        ev.push(format!(
                            "same declared headquarters {}",
                            a.hq_country.clone().unwrap_or_default()
                        ));
                    }
                    if a.country != bf.country {
                        ev.push(format!(
                            "countries {} / {}",
                            a.country.as_deref().unwrap_or("?"),
                            bf.country.as_deref().unwrap_or("?")
                        ));
                    }
                    let (from, to, kind) = match (ha, hb) {
                        (true, false) => (i, j, LinkKind::ParentSubsidiary),
                        (false, true) => (j, i, LinkKind::ParentSubsidiary),
                        _ => (i, j, LinkKind::Sibling),
                    };
                    if kind == LinkKind::ParentSubsidiary {
                        ev.push("holding/group name on the parent side".to_string());
                    }
                    b.add(Link {
                        kind,
                        declared: false,
                        from: cluster_of[from],
                        to: cluster_of[to],
                        from_record: rref(&recs[from]),
                        to_record: rref(&recs[to]),
                        evidence: ev,
                    });
                }
            }
        }
        if !shared.is_empty() {
            b.add(Link {
                kind: LinkKind::SharedIdentifier,
                declared: false,
                from: cluster_of[i],
                to: cluster_of[j],
                from_record: rref(&recs[i]),
                to_record: rref(&recs[j]),
                evidence: shared,
            });
        }
    }
    // Children of one parent cluster are siblings.
    let mut children: FxHashMap<usize, Vec<(usize, RecordRef)>> = FxHashMap::default();
    for l in &b.links {
        if l.kind == LinkKind::ParentSubsidiary {
            let v = children.entry(l.from).or_default();
            if !v.iter().any(|(c, _)| *c == l.to) {
                v.push((l.to, l.to_record.clone()));
            }
        }
    }
    let mut parents: Vec<_> = children.into_iter().collect();
    parents.sort_by_key(|(p, _)| *p);
    for (p, kids) in parents {
        for (x, (ci, ri)) in kids.iter().enumerate().take(MAX_SIBLINGS) {
            for (cj, rj) in kids.iter().skip(x + 1).take(MAX_SIBLINGS) {
                b.add(Link {
                    kind: LinkKind::Sibling,
                    declared: false,
                    from: *ci,
                    to: *cj,
                    from_record: ri.clone(),
                    to_record: rj.clone(),
                    evidence: vec![format!("both subsidiaries of cluster {p}")],
                });
            }
        }
    }
    let mut mass: Mass = mass.into_iter().map(|((f, v), c)| (f, v, c)).collect();
    mass.sort();
    (b.links, mass)
}
