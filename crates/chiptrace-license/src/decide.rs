//! Licence determination (export-rules.md §9.4):
//!
//! 1. end-user / end-use rules (lists, embargoes, supercomputer, GP10, AI
//!    training, affiliates), whatever the classification;
//! 2. destination scope of §742.6(a)(6) by item level and date (HK → CN);
//! 3. the headquarters rule for any destination outside the US;
//! 4. is-informed letters the exporter declares;
//! 5. the AI-Diffusion rows, informational unless `enforce_diffusion`;
//! 6. licence exceptions (NAC / ACA / HBM / …) and what blocks them (§740.2);
//! 7. review policy, with the Jan-2026 China overlay for US exports.
//!
//! Review policy is advisory; it never changes whether a licence is required.

use std::collections::BTreeSet;

use chiptrace_rules::{
    Classification, CountrySet, Datacenter, Date, EndUseKind, EndUseRule, Evidence, Exception,
    Level, Outcome, Policy, Role, RuleSet, RulesAt, Step, TxType, classify,
};
use serde::Serialize;

use crate::input::{HitStrength, ListHit, Party, Transaction};

/// yes / no / indeterminate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    Indeterminate,
}

/// A licence requirement (or an informational one, when `enforced` is false).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Requirement {
    pub rule: String,
    pub paragraph: String,
    pub citation: String,
    pub evidence: Evidence,
    pub text: String,
    /// Item labels the requirement applies to (empty = all items).
    pub items: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    pub reason: String,
    pub enforced: bool,
    pub policy: Policy,
    /// Whether a licence exception can overcome it (destination / HQ rows).
    #[serde(skip)]
    pub exception_eligible: bool,
}

/// A licence exception and whether it is available here.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExceptionResult {
    pub id: String,
    pub name: String,
    pub paragraph: String,
    /// `available`, `not_available`, `indeterminate` or `not_enforced`.
    pub status: String,
    pub items: Vec<String>,
    pub reasons: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notification_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aes_code: Option<String>,
    pub citation: String,
    pub evidence: Evidence,
}

/// One basis of the review policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyBasis {
    pub rule: String,
    pub policy: Policy,
    pub text: String,
    pub citation: String,
    pub evidence: Evidence,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disputed: Option<String>,
}

/// Predicted BIS review of a licence application (advisory).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewOutcome {
    pub policy: Policy,
    pub basis: Vec<PolicyBasis>,
    /// Conditions of a case-by-case overlay (certifications to record).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    pub disputed: bool,
}

/// Classification summary per item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemDecision {
    pub label: String,
    pub quantity: u64,
    pub classification: Outcome,
    pub paragraph: Option<String>,
    pub eccn: Option<String>,
    #[serde(with = "chiptrace_rules::opt_num")]
    pub tpp: Option<rust_decimal::Decimal>,
    pub datacenter: Datacenter,
    pub nac_aca_eligible: Option<bool>,
    pub license_required: Answer,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// The determination.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub transaction: String,
    pub date: Date,
    #[serde(rename = "type")]
    pub tx_type: TxType,
    pub destination: String,
    /// Destination as treated for licensing (HK → CN).
    pub destination_treated_as: String,
    pub rule_version: String,
    pub rule_data: String,
    pub engine: &'static str,
    pub license_required: Answer,
    /// One-line answer for people.
    pub summary: String,
    pub requirements: Vec<Requirement>,
    pub exceptions: Vec<ExceptionResult>,
    pub review_policy: Option<ReviewOutcome>,
    pub items: Vec<ItemDecision>,
    /// Inputs that would settle an indeterminate answer.
    pub missing: Vec<String>,
    /// Rules shown for information (not enforced, suspended, letters to others, notices).
    pub informational: Vec<Requirement>,
    pub warnings: Vec<String>,
    /// True when a step relies on a secondary or recalled source.
    pub unverified: bool,
    pub trace: Vec<Step>,
    /// Each item's classification with its own trace.
    pub classifications: Vec<Classification>,
}

fn policy_from_text(t: Option<&str>) -> Policy {
    // An entry's text may mix policies ("presumption of denial ..., except
    // case-by-case for ..."): the most restrictive stated policy governs the
    // items chiptrace classifies.
    let t = t.unwrap_or("").to_ascii_lowercase();
    if t.contains("denial") || t.trim().is_empty() {
        Policy::PresumptionOfDenial
    } else if t.contains("case-by-case") || t.contains("case by case") {
        Policy::CaseByCase
    } else if t.contains("approval") {
        Policy::PresumptionOfApproval
    } else {
        Policy::PresumptionOfDenial
    }
}

struct Ctx<'a> {
    rules: &'a RuleSet,
    at: &'a RulesAt,
    date: Date,
    tx: &'a Transaction,
    dest: String,
    trace: Vec<Step>,
    requirements: Vec<Requirement>,
    informational: Vec<Requirement>,
    missing: BTreeSet<String>,
    warnings: Vec<String>,
    /// §740.2 restrictions that block exceptions.
    blockers: Vec<String>,
    /// Unreviewed potential list matches: exceptions cannot be confirmed.
    potential: Vec<String>,
}

impl Ctx<'_> {
    fn step(
        &mut self,
        rule: &str,
        citation: &str,
        evidence: Evidence,
        check: String,
        outcome: String,
    ) {
        self.trace.push(Step {
            rule: rule.into(),
            citation: citation.into(),
            evidence,
            check,
            outcome,
        });
    }
    /// An end-user / end-use rule applies: its trace step, the §740.2
    /// restriction it puts on exceptions, and its requirement (returned for
    /// callers that refine text or policy, e.g. an Entity List entry's own).
    fn impose(
        &mut self,
        r: &EndUseRule,
        items: Vec<String>,
        party: Option<String>,
        why: String,
        outcome: &str,
        blocker: String,
    ) -> &mut Requirement {
        self.step(&r.id, &r.citation, r.evidence, why.clone(), outcome.into());
        self.blockers.push(blocker);
        let i = self.requirements.len();
        self.requirements.push(req(
            r.id.clone(),
            &r.paragraph,
            &r.citation,
            r.evidence,
            &r.text,
            items,
            party,
            why,
            r.policy,
            false,
        ));
        &mut self.requirements[i]
    }

    fn in_set(&self, set: &CountrySet, c: &str) -> bool {
        self.rules.groups.contains(set, c, self.date)
    }
    /// Recipients for the HQ rule: parties in `roles`.
    fn recipients<'p>(
        &'p self,
        roles: &'p [Role],
    ) -> impl Iterator<Item = (usize, &'p Party)> + 'p {
        self.tx.parties.iter().enumerate().filter(move |(_, p)| roles.contains(&p.role))
    }
    /// Whether any recipient's HQ or ultimate parent HQ is in `set`:
    /// Some(true) yes, Some(false) no, None unknown (some HQ field missing).
    fn hq_in(&self, set: &CountrySet, roles: &[Role]) -> (Option<bool>, Vec<String>, Vec<String>) {
        let mut hits = Vec::new();
        let mut unknown = Vec::new();
        for (i, p) in self.recipients(roles) {
            let mut why = Vec::new();
            for (k, v) in [
                ("hq_country", &p.hq_country),
                ("ultimate_parent_hq_country", &p.ultimate_parent_hq_country),
            ] {
                match v {
                    Some(c) => {
                        let (c, _) = self.rules.groups.normalize_destination(c, self.date);
                        if self.in_set(set, &c) {
                            why.push(format!("{k} {c}"));
                        }
                    }
                    None => unknown.push(format!("parties[{i}].{k}")),
                }
            }
            if !why.is_empty() {
                hits.push(format!("{} ({}): {}", p.name, role_name(p.role), why.join(", ")));
            }
        }
        if self.recipients(roles).next().is_none() {
            unknown.push("parties: an end user or ultimate consignee with hq_country and ultimate_parent_hq_country".into());
        }
        let r = if !hits.is_empty() {
            Some(true)
        } else if unknown.is_empty() {
            Some(false)
        } else {
            None
        };
        (r, hits, unknown)
    }
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Exporter => "exporter",
        Role::Purchaser => "purchaser",
        Role::IntermediateConsignee => "intermediate consignee",
        Role::UltimateConsignee => "ultimate consignee",
        Role::EndUser => "end user",
    }
}

/// Per item: the possible control levels (None = not controlled).
fn possible_levels(c: &Classification) -> Vec<Option<Level>> {
    if c.classification == Outcome::Indeterminate {
        let mut v: Vec<Option<Level>> = c.possible.iter().map(|o| o.level()).collect();
        v.sort();
        v.dedup();
        if v.is_empty() {
            v.push(None);
        }
        v
    } else {
        vec![c.classification.level()]
    }
}

/// Decide `tx` on `date` (the transaction's own date wins if given).
///
/// Licensing keys on the ultimate destination — where the end user is —
/// and the ship-to, never on the billing address (export-rules.md §1,
/// §6.1). When an end user is located outside the ship-to country, the
/// transaction is decided for each location and the most restrictive
/// answer is kept, so an item shipped to Singapore for an end user in China
/// is treated as going to China too.
pub fn decide(
    rules: &RuleSet,
    tx: &Transaction,
    default_date: Date,
) -> Result<Decision, crate::Error> {
    let date = tx.date.unwrap_or(default_date);
    let mut locations = vec![tx.destination.clone()];
    for p in tx.parties.iter().filter(|p| p.role == Role::EndUser) {
        if !locations.contains(&p.country) {
            locations.push(p.country.clone());
        }
    }
    let mut decisions = Vec::new();
    for l in &locations {
        decisions.push(decide_for(rules, tx, date, l)?);
    }
    if decisions.len() == 1 {
        return Ok(decisions.remove(0));
    }
    Ok(merge(decisions, &locations))
}

fn answer_rank(a: Answer) -> u8 {
    match a {
        Answer::No => 0,
        Answer::Indeterminate => 1,
        Answer::Yes => 2,
    }
}

/// Combine the decisions for several locations (ship-to and end-user
/// countries): the most restrictive answer, every requirement, exceptions
/// only where they hold for every location that needs a licence.
fn merge(mut ds: Vec<Decision>, locations: &[String]) -> Decision {
    let worst = ds
        .iter()
        .enumerate()
        .max_by_key(|(_, d)| {
            (answer_rank(d.license_required), d.review_policy.as_ref().map(|r| r.policy))
        })
        .map(|(i, _)| i)
        .unwrap_or(0);
    let mut out = ds.remove(worst);
    let note = format!(
        "end user located outside the ship-to country: decided for each location ({}) and the most restrictive answer kept",
        locations.join(", ")
    );
    out.warnings.insert(0, note.clone());
    out.trace.insert(
        0,
        Step {
            rule: "ultimate destination".into(),
            citation: "export-rules.md §1, §6.1: determination keys on ship-to, ultimate consignee and end-user location".into(),
            evidence: Evidence::D,
            check: format!("ship-to {}; end users in {}", locations[0], locations[1..].join(", ")),
            outcome: note,
        },
    );
    let mut dests = vec![out.destination_treated_as.clone()];
    for d in ds {
        if !dests.contains(&d.destination_treated_as) {
            dests.push(d.destination_treated_as.clone());
        }
        if answer_rank(d.license_required) > answer_rank(out.license_required) {
            out.license_required = d.license_required;
        }
        let needs = d.requirements.iter().any(|r| r.enforced && r.exception_eligible);
        for r in d.requirements {
            if !out
                .requirements
                .iter()
                .any(|x| x.rule == r.rule && x.party == r.party && x.reason == r.reason)
            {
                out.requirements.push(r);
            }
        }
        if needs {
            for e in &mut out.exceptions {
                let other = d.exceptions.iter().find(|x| x.id == e.id);
                if e.status == "available" && other.is_none_or(|o| o.status != "available") {
                    e.status = "not_available".into();
                    e.reasons.push(format!(
                        "not available for {}: {}",
                        d.destination_treated_as,
                        other.map_or("outside its scope".to_string(), |o| o.reasons.join("; "))
                    ));
                }
            }
        }
        for m in d.missing {
            if !out.missing.contains(&m) {
                out.missing.push(m);
            }
        }
        for i in d.informational {
            if !out.informational.iter().any(|x| x.rule == i.rule && x.reason == i.reason) {
                out.informational.push(i);
            }
        }
        for w in d.warnings {
            if !out.warnings.contains(&w) {
                out.warnings.push(w);
            }
        }
        for (a, b) in out.items.iter_mut().zip(d.items) {
            if answer_rank(b.license_required) > answer_rank(a.license_required) {
                a.license_required = b.license_required;
            }
        }
        out.unverified |= d.unverified;
        out.trace.extend(d.trace);
    }
    out.destination_treated_as = dests.join(", ");
    out.summary = summarize(&out);
    out
}

fn decide_for(
    rules: &RuleSet,
    tx: &Transaction,
    date: Date,
    destination: &str,
) -> Result<Decision, crate::Error> {
    let at = rules.at(date).map_err(crate::Error::from_rules)?;
    let (dest, alias) = rules.groups.normalize_destination(destination, date);
    let mut cx = Ctx {
        rules,
        at,
        date,
        tx,
        dest: dest.clone(),
        trace: Vec::new(),
        requirements: Vec::new(),
        informational: Vec::new(),
        missing: BTreeSet::new(),
        warnings: Vec::new(),
        blockers: Vec::new(),
        potential: Vec::new(),
    };
    cx.step(
        &format!("rule version {}", at.version.id),
        &at.version.citation,
        at.version.evidence,
        format!("date {date} (versions applied: {})", at.history.join(", ")),
        at.version.title.clone(),
    );
    if let Some(a) = alias {
        cx.step(
            "destination",
            &a.citation,
            a.evidence,
            format!("destination {destination} treated as {} since {}", a.as_, a.since),
            format!("licence determination uses {}; {destination} kept for reporting", a.as_),
        );
    }
    let groups = rules.groups.groups_of(&dest, date);
    cx.step(
        "country groups",
        "15 CFR 740 Supp. No. 1 (rules/country_groups.toml)",
        Evidence::S,
        format!("{dest} on {date}"),
        if groups.is_empty() { "in no listed group".into() } else { groups.join(", ") },
    );
    for c in rules.groups.caveats(&dest, date) {
        cx.warnings.push(c);
    }
    // the same State/BIS date gaps for the headquarters countries the HQ rule reads
    for p in &tx.parties {
        for hq in [&p.hq_country, &p.ultimate_parent_hq_country].into_iter().flatten() {
            for c in rules.groups.caveats(hq, date) {
                let w = format!("{} (headquarters of {}): {c}", hq, p.name);
                if !cx.warnings.contains(&w) {
                    cx.warnings.push(w);
                }
            }
        }
    }
    if tx.ship_from.as_deref() == Some(dest.as_str()) && tx.tx_type != TxType::InCountryTransfer {
        cx.warnings.push(format!(
            "ship_from equals destination ({dest}) but type is {:?}; an in-country transfer may be meant",
            tx.tx_type
        ));
    }
    if !tx.parties.iter().any(|p| p.role == Role::EndUser) {
        cx.warnings.push(
            "no end user given: the HQ rule and end-user rules cannot be fully evaluated".into(),
        );
    }

    // Classify every item.
    let mut classifications = Vec::new();
    for it in &tx.items {
        let c = classify(rules, &it.spec, date).map_err(crate::Error::from_rules)?;
        cx.step(
            &format!("classify {}", it.label),
            &c.paragraph
                .as_ref()
                .and_then(|p| c.trace.iter().find(|s| &s.rule == p))
                .map_or_else(|| c.rule_citation.clone(), |s| s.citation.clone()),
            Evidence::V,
            format!(
                "tpp {}; {}",
                c.tpp.map_or("n/a".into(), |t| t.normalize().to_string()),
                c.paragraph.clone().unwrap_or_else(|| c.classification.name().into())
            ),
            match c.classification {
                Outcome::Indeterminate => {
                    format!("indeterminate (missing: {})", c.missing.join(", "))
                }
                o => c.eccn.clone().unwrap_or_else(|| o.name().into()),
            },
        );
        classifications.push(c);
    }

    end_user_rules(&mut cx, &classifications);
    let item_answers = item_rules(&mut cx, &classifications);
    let exceptions = exceptions(&mut cx, &classifications);
    let review = review_policy(&mut cx, &classifications);

    // notices shown beside the rows they explain (rule data `with`)
    for n in &at.notices {
        let shown = n.with_rows.iter().any(|id| {
            cx.informational.iter().chain(&cx.requirements).any(|r| &r.rule == id)
                || exceptions.iter().any(|e| &e.id == id)
        });
        if shown {
            cx.informational.push(Requirement {
                rule: n.id.clone(),
                paragraph: n.id.clone(),
                citation: n.citation.clone(),
                evidence: n.evidence,
                text: n.text.clone(),
                items: vec![],
                party: None,
                reason: "notice in force".into(),
                enforced: false,
                policy: Policy::None,
                exception_eligible: false,
            });
        }
    }
    // a rule whose compliance date is still ahead on this date
    for v in rules.versions().filter(|v| v.effective <= date) {
        if let Some(c) = v.compliance
            && date < c
        {
            cx.warnings.push(format!(
                "rule {} ({}) is effective but its compliance date is {c}",
                v.id, v.citation
            ));
        }
    }
    let enforced: Vec<&Requirement> = cx.requirements.iter().filter(|r| r.enforced).collect();
    let license_required = if !enforced.is_empty() {
        Answer::Yes
    } else if !cx.missing.is_empty() {
        Answer::Indeterminate
    } else {
        Answer::No
    };
    let unverified = cx.trace.iter().any(|s| !s.evidence.verified())
        || cx.requirements.iter().any(|r| !r.evidence.verified());
    let items = tx
        .items
        .iter()
        .zip(&classifications)
        .zip(item_answers)
        .map(|((it, c), a)| ItemDecision {
            label: it.label.clone(),
            quantity: it.quantity,
            classification: c.classification,
            paragraph: c.paragraph.clone(),
            eccn: c.eccn.clone(),
            tpp: c.tpp,
            datacenter: c.datacenter,
            nac_aca_eligible: c.nac_aca_eligible,
            license_required: a,
            missing: c.missing.clone(),
        })
        .collect();
    let mut d = Decision {
        transaction: tx.id.clone(),
        date,
        tx_type: tx.tx_type,
        destination: destination.to_string(),
        destination_treated_as: dest,
        rule_version: at.version.id.clone(),
        rule_data: rules.data_version.clone(),
        engine: chiptrace_rules::ENGINE_VERSION,
        license_required,
        summary: String::new(),
        requirements: cx.requirements,
        exceptions,
        review_policy: review,
        items,
        missing: cx.missing.into_iter().collect(),
        informational: cx.informational,
        warnings: cx.warnings,
        unverified,
        trace: cx.trace,
        classifications,
    };
    d.summary = summarize(&d);
    Ok(d)
}

/// One line for people: the answer, the paragraphs, an exception that
/// covers every item needing a licence, the review policy.
fn summarize(d: &Decision) -> String {
    let enforced: Vec<&Requirement> = d.requirements.iter().filter(|r| r.enforced).collect();
    match d.license_required {
        Answer::No => "No licence required".to_string(),
        Answer::Indeterminate => format!("Indeterminate: need {}", d.missing.join(", ")),
        Answer::Yes => {
            let paras: BTreeSet<&str> = enforced.iter().map(|r| r.paragraph.as_str()).collect();
            let mut s =
                format!("Licence required ({})", paras.into_iter().collect::<Vec<_>>().join("; "));
            let only_exceptionable = enforced.iter().all(|r| r.exception_eligible);
            let needing: BTreeSet<&str> =
                enforced.iter().flat_map(|r| r.items.iter().map(String::as_str)).collect();
            let available: Vec<String> = d
                .exceptions
                .iter()
                .filter(|e| e.status == "available")
                .map(|e| {
                    let covers_all = needing.iter().all(|i| e.items.iter().any(|x| x == i));
                    let mut t = match e.notification_days {
                        Some(n) => format!("{} (prior notification, {n}-day review)", e.id),
                        None => e.id.clone(),
                    };
                    if !covers_all {
                        t.push_str(&format!(" for {} only", e.items.join(", ")));
                    }
                    t
                })
                .collect();
            if only_exceptionable && !available.is_empty() {
                s.push_str(&format!("; licence exception available: {}", available.join(" or ")));
            }
            if let Some(r) = &d.review_policy {
                s.push_str(&format!("; review policy if applying: {}", r.policy.name()));
            }
            s
        }
    }
}

fn hit_matches(rule_lists: &[String], hit: &ListHit) -> bool {
    rule_lists.iter().any(|l| hit.list == *l || hit.list.starts_with(&format!("{l}_")))
}

/// Step 1: end-user and end-use rules (export-rules.md §7).
fn end_user_rules(cx: &mut Ctx, cls: &[Classification]) {
    let at = cx.at;
    let all_items: Vec<String> = vec![];
    // hits on lists no rule acts on (UFLPA, 1260H, ISN, …) are not dropped
    // silently: they carry other consequences a reviewer must weigh
    let covered: Vec<String> =
        at.end_use_rules.iter().flat_map(|r| r.lists.iter().cloned()).collect();
    for p in &cx.tx.parties {
        for h in p.list_hits.iter().filter(|h| !hit_matches(&covered, h)) {
            cx.warnings.push(format!(
                "{} matches {} entry {:?} ({:?}): no EAR licence rule in the rule data is keyed to this list; review it",
                p.name, h.list, h.name, h.strength
            ));
        }
    }
    for r in &at.end_use_rules {
        match r.kind {
            EndUseKind::Embargo => {
                if let Some(set) = &r.destinations
                    && cx.in_set(set, &cx.dest.clone())
                {
                    let why = cx.rules.groups.explain(set, &cx.dest, cx.date);
                    let blocker = format!("{} ({})", r.paragraph, r.id);
                    cx.impose(
                        r,
                        all_items.clone(),
                        None,
                        why,
                        "licence required (embargo)",
                        blocker,
                    );
                }
            }
            EndUseKind::EntityList
            | EndUseKind::MilitaryEndUser
            | EndUseKind::UnverifiedList
            | EndUseKind::DeniedPerson
            | EndUseKind::SanctionedParty => {
                for (i, p) in cx.tx.parties.iter().enumerate() {
                    for h in p.list_hits.iter().filter(|h| hit_matches(&r.lists, h)) {
                        let who = format!("{} ({})", p.name, role_name(p.role));
                        let score = h.score.map(|s| format!(" score {s:.2}")).unwrap_or_default();
                        let fr = h
                            .federal_register
                            .as_deref()
                            .map(|f| format!("; {f}"))
                            .unwrap_or_default();
                        let why = format!(
                            "{who} matches {} entry {:?}{score} ({:?}){fr}",
                            h.list, h.name, h.strength
                        );
                        if h.strength == HitStrength::Potential {
                            // a party already matched strongly under this rule is
                            // treated as listed; weaker look-alikes change nothing
                            let listed = p.list_hits.iter().any(|x| {
                                x.strength != HitStrength::Potential && hit_matches(&r.lists, x)
                            });
                            if listed {
                                continue;
                            }
                            cx.missing.insert(format!(
                                "parties[{i}]: review the potential {} match {:?} (true match or false positive)",
                                h.list, h.name
                            ));
                            cx.potential.push(format!("{} ~ {} ({})", p.name, h.name, h.list));
                            cx.step(
                                &r.id,
                                &r.citation,
                                r.evidence,
                                why,
                                "potential match: must be reviewed before deciding".into(),
                            );
                            continue;
                        }
                        let mut text = r.text.clone();
                        let mut policy = r.policy;
                        if r.kind == EndUseKind::EntityList {
                            if let Some(lr) = &h.license_requirement {
                                text = format!("Entity List licence requirement: {lr}");
                            }
                            policy = policy_from_text(h.license_policy.as_deref());
                        }
                        let blocker = format!("{} hit on {}", r.paragraph, p.name);
                        if r.kind == EndUseKind::UnverifiedList {
                            cx.blockers.push(blocker);
                            cx.step(
                                &r.id,
                                &r.citation,
                                r.evidence,
                                why.clone(),
                                "UVL statement required; licence exceptions unavailable".into(),
                            );
                            cx.warnings.push(format!("{who} is on the Unverified List: obtain a UVL statement before export (§744.15)"));
                            continue;
                        }
                        let outcome = format!("licence required ({})", r.paragraph);
                        let imposed = cx.impose(
                            r,
                            all_items.clone(),
                            Some(p.name.clone()),
                            why,
                            &outcome,
                            blocker,
                        );
                        imposed.text = text;
                        imposed.policy = policy;
                    }
                }
            }
            EndUseKind::Affiliates => {
                for (pi, p) in cx.tx.parties.iter().enumerate() {
                    let listed: Vec<&crate::input::Owner> = p
                        .owners
                        .iter()
                        .filter(|o| {
                            o.list_hits.iter().any(|h| {
                                h.strength != HitStrength::Potential && hit_matches(&r.lists, h)
                            })
                        })
                        .collect();
                    // an owner with only a potential hit could make the
                    // party listed: it must be reviewed first
                    for (oi, o) in p.owners.iter().enumerate() {
                        if !listed.iter().any(|l| std::ptr::eq(*l, o))
                            && r.suspension_on(cx.date).is_none()
                            && o.list_hits.iter().any(|h| {
                                h.strength == HitStrength::Potential && hit_matches(&r.lists, h)
                            })
                        {
                            cx.missing.insert(format!(
                                "parties[{pi}].owners[{oi}]: review the potential list match of {:?} ({}% owner; Affiliates rule)",
                                o.name, o.percent
                            ));
                        }
                    }
                    if listed.is_empty() {
                        continue;
                    }
                    let pct: f64 = listed.iter().map(|o| o.percent).sum();
                    let thr = r
                        .threshold_percent
                        .map(|d| d.to_string().parse::<f64>().unwrap_or(50.0))
                        .unwrap_or(50.0);
                    let names: Vec<&str> = listed.iter().map(|o| o.name.as_str()).collect();
                    let why = format!(
                        "{} is {pct}% owned by listed parties ({})",
                        p.name,
                        names.join(", ")
                    );
                    if pct < thr {
                        cx.step(
                            &r.id,
                            &r.citation,
                            r.evidence,
                            format!("{why}; below {thr}%"),
                            "does not apply".into(),
                        );
                        continue;
                    }
                    if let Some(s) = r.suspension_on(cx.date) {
                        cx.step(
                            &r.id,
                            &s.citation,
                            s.evidence,
                            why.clone(),
                            format!("suspended {} to {}", s.from, s.to),
                        );
                        let mut info = req(
                            format!("{} (suspended)", r.id),
                            &r.paragraph,
                            &s.citation,
                            s.evidence,
                            &r.text,
                            vec![],
                            Some(p.name.clone()),
                            why,
                            r.policy,
                            false,
                        );
                        info.enforced = false;
                        cx.informational.push(info);
                        continue;
                    }
                    let blocker = format!("{} ({})", r.paragraph, p.name);
                    cx.impose(
                        r,
                        vec![],
                        Some(p.name.clone()),
                        why,
                        "licence required (treated as listed)",
                        blocker,
                    )
                    .policy = Policy::PresumptionOfDenial;
                    if r.suspended.iter().any(|s| s.to < cx.date) {
                        cx.warnings.push(format!(
                            "Affiliates rule applied: its suspension ended {} per the rule data; check the Federal Register for any extension",
                            r.suspended.iter().map(|s| s.to).max().map(|d| d.to_string()).unwrap_or_default()
                        ));
                    }
                }
            }
            EndUseKind::Supercomputer => {
                if cx.tx.end_use.supercomputer
                    && let Some(set) = &r.destinations
                {
                    if cx.in_set(set, &cx.dest.clone()) {
                        let why = format!(
                            "declared supercomputer end use; {}",
                            cx.rules.groups.explain(set, &cx.dest, cx.date)
                        );
                        let blocker = format!("{} (prohibited end use)", r.paragraph);
                        cx.impose(r, vec![], None, why, "licence required", blocker);
                    } else {
                        cx.step(
                            &r.id,
                            &r.citation,
                            r.evidence,
                            format!("declared supercomputer end use; {} not in scope", cx.dest),
                            "does not apply".into(),
                        );
                    }
                }
            }
            EndUseKind::Gp10PrcDesigned => {
                for (it, c) in cx.tx.items.iter().zip(cls) {
                    let controlled = matches!(c.classification.level(), Some(Level::A | Level::B));
                    let designer = it
                        .spec
                        .designer_hq
                        .as_deref()
                        .map(|d| cx.rules.groups.normalize_destination(d, cx.date).0);
                    if let (Some(set), Some(d)) = (&r.designer_hq, &designer)
                        && controlled
                        && cx.in_set(set, d)
                    {
                        let why = format!(
                            "{} is a 3A090-level IC designed by a company headquartered in {d}",
                            it.label
                        );
                        let blocker = format!("{} (GP10)", r.paragraph);
                        cx.impose(
                            r,
                            vec![it.label.clone()],
                            None,
                            why,
                            "GP10 risk: presumed produced in violation of the EAR",
                            blocker,
                        );
                    }
                }
            }
            EndUseKind::AiTraining => {
                if !cx.tx.end_use.ai_training_wmd_or_military {
                    continue;
                }
                let levels = r.levels.clone().unwrap_or_default();
                let items: Vec<String> = cx
                    .tx
                    .items
                    .iter()
                    .zip(cls)
                    .filter(|(_, c)| c.classification.level().is_some_and(|l| levels.contains(&l)))
                    .map(|(it, _)| it.label.clone())
                    .collect();
                if items.is_empty() {
                    continue;
                }
                let dest_hit =
                    r.destinations.as_ref().is_some_and(|s| cx.in_set(s, &cx.dest.clone()));
                let hq_hit = r
                    .hq
                    .as_ref()
                    .map(|s| {
                        cx.hq_in(s, &[Role::EndUser, Role::UltimateConsignee, Role::Purchaser]).0
                            == Some(true)
                    })
                    .unwrap_or(false);
                if dest_hit || hq_hit {
                    let why = format!(
                        "declared AI-training end use for WMD / military intelligence; destination {} / party HQ in scope",
                        cx.dest
                    );
                    let blocker = format!("{} (prohibited end use)", r.paragraph);
                    cx.impose(r, items, None, why, "licence required", blocker);
                }
            }
        }
        if r.kind == EndUseKind::MilitaryEndUser
            && cx.tx.end_use.military
            && let Some(set) = &r.destinations
            && cx.in_set(set, &cx.dest.clone())
        {
            let why = format!(
                "declared military end use/user; destination {} is a §744.21 country",
                cx.dest
            );
            let blocker = format!("{} (military end use)", r.paragraph);
            cx.impose(r, vec![], None, why, "licence required", blocker);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn req(
    rule: String,
    paragraph: &str,
    citation: &str,
    evidence: Evidence,
    text: &str,
    items: Vec<String>,
    party: Option<String>,
    reason: String,
    policy: Policy,
    exception_eligible: bool,
) -> Requirement {
    Requirement {
        rule,
        paragraph: paragraph.into(),
        citation: citation.into(),
        evidence,
        text: text.into(),
        items,
        party,
        reason,
        enforced: true,
        policy,
        exception_eligible,
    }
}

/// Steps 2–5: destination scope, HQ rule, letters, diffusion — per item.
fn item_rules(cx: &mut Ctx, cls: &[Classification]) -> Vec<Answer> {
    let at = cx.at;
    let mut answers = Vec::new();
    let outside_us = cx.dest != "US";
    for (it, c) in cx.tx.items.iter().zip(cls) {
        let levels = possible_levels(c);
        let definite = levels.len() == 1;
        let mut required = false;
        let mut maybe = false;
        // for an item whose level is not settled: the requirements each
        // possible level would bring; if every possible level brings one
        // (and "not controlled" is impossible) a licence is required anyway
        let mut triggered: BTreeSet<Level> = BTreeSet::new();
        let mut pending: Vec<Requirement> = Vec::new();
        for lv in levels.iter().copied() {
            let Some(level) = lv else { continue };
            // destination scope
            for s in at.destination_scope.iter().filter(|s| s.levels.contains(&level)) {
                if !cx.in_set(&s.destinations, &cx.dest.clone()) {
                    continue;
                }
                let why = format!(
                    "{} is {}; {}",
                    it.label,
                    c.paragraph
                        .clone()
                        .unwrap_or_else(|| format!("possibly 3A090.{level:?}").to_lowercase()),
                    cx.rules.groups.explain(&s.destinations, &cx.dest, cx.date)
                );
                let enforce = s.enforced || cx.tx.options.enforce_diffusion;
                if !definite {
                    cx.step(
                        &s.id,
                        &s.citation,
                        s.evidence,
                        why.clone(),
                        format!("would apply if the item is .{}", level_name(level)),
                    );
                    if enforce {
                        maybe = true;
                        triggered.insert(level);
                        pending.push(req(
                            s.id.clone(),
                            &s.paragraph,
                            &s.citation,
                            s.evidence,
                            &s.text,
                            vec![it.label.clone()],
                            None,
                            why,
                            Policy::None,
                            true,
                        ));
                    }
                    continue;
                }
                if enforce {
                    cx.step(
                        &s.id,
                        &s.citation,
                        s.evidence,
                        why.clone(),
                        format!("licence required ({})", s.paragraph),
                    );
                    required = true;
                    let mut r = req(
                        s.id.clone(),
                        &s.paragraph,
                        &s.citation,
                        s.evidence,
                        &s.text,
                        vec![it.label.clone()],
                        None,
                        why,
                        Policy::None,
                        true,
                    );
                    if !s.enforced {
                        r.text = format!(
                            "{} [applied because enforce_diffusion is set; {}]",
                            s.text,
                            s.not_enforced.clone().unwrap_or_default()
                        );
                    }
                    merge_req(&mut cx.requirements, r);
                } else {
                    cx.step(
                        &s.id,
                        &s.citation,
                        s.evidence,
                        why.clone(),
                        format!("not enforced: {}", s.not_enforced.clone().unwrap_or_default()),
                    );
                    let mut r = req(
                        s.id.clone(),
                        &s.paragraph,
                        &s.citation,
                        s.evidence,
                        &s.text,
                        vec![it.label.clone()],
                        None,
                        why,
                        Policy::None,
                        true,
                    );
                    r.enforced = false;
                    merge_req(&mut cx.informational, r);
                }
            }
            // HQ rule (all destinations outside the United States)
            if outside_us {
                for h in at.hq_rules.iter().filter(|h| h.levels.contains(&level)) {
                    let (r, hits, unknown) = cx.hq_in(&h.hq, &h.roles);
                    match r {
                        Some(true) => {
                            let why = format!("{} for {}", it.label, hits.join("; "));
                            if definite {
                                cx.step(
                                    &h.id,
                                    &h.citation,
                                    h.evidence,
                                    why.clone(),
                                    format!("licence required ({})", h.paragraph),
                                );
                                required = true;
                                merge_req(
                                    &mut cx.requirements,
                                    req(
                                        h.id.clone(),
                                        &h.paragraph,
                                        &h.citation,
                                        h.evidence,
                                        &h.text,
                                        vec![it.label.clone()],
                                        None,
                                        why,
                                        Policy::None,
                                        true,
                                    ),
                                );
                            } else {
                                cx.step(
                                    &h.id,
                                    &h.citation,
                                    h.evidence,
                                    why.clone(),
                                    format!("would apply if the item is .{}", level_name(level)),
                                );
                                maybe = true;
                                triggered.insert(level);
                                pending.push(req(
                                    h.id.clone(),
                                    &h.paragraph,
                                    &h.citation,
                                    h.evidence,
                                    &h.text,
                                    vec![it.label.clone()],
                                    None,
                                    why,
                                    Policy::None,
                                    true,
                                ));
                            }
                        }
                        Some(false) => {
                            cx.step(
                                &h.id,
                                &h.citation,
                                h.evidence,
                                format!(
                                    "no end user / ultimate consignee headquartered (or parented) in {}",
                                    chiptrace_rules::describe_set(&h.hq)
                                ),
                                "does not apply".into(),
                            );
                        }
                        None => {
                            cx.step(
                                &h.id,
                                &h.citation,
                                h.evidence,
                                format!("HQ unknown: {}", unknown.join(", ")),
                                "undetermined".into(),
                            );
                            for u in unknown {
                                cx.missing.insert(format!("{u} (HQ rule {})", h.paragraph));
                            }
                            maybe = true;
                        }
                    }
                }
            }
        }
        // is-informed letters, by catalog id
        if let Some(id) = &it.spec.catalog_id {
            let (rules, date) = (cx.rules, cx.date);
            for l in rules.letters.iter().filter(|l| {
                l.items.contains(id) && l.from <= date && l.to.is_none_or(|t| date <= t)
            }) {
                let dest_hit =
                    l.destinations.as_ref().is_some_and(|s| cx.in_set(s, &cx.dest.clone()));
                let (hq_r, _, hq_unknown) = match &l.hq {
                    Some(s) => cx.hq_in(s, &[Role::EndUser, Role::UltimateConsignee]),
                    None => (Some(false), vec![], vec![]),
                };
                // the addressee's own name, as a whole word of the exporter's
                // name ("NVIDIA Corporation"), or the letter id declared
                let addressee = l.addressee.to_ascii_lowercase();
                let declared = cx.tx.exporter.letters.contains(&l.id)
                    || cx.tx.exporter.name.as_deref().is_some_and(|n| {
                        n.to_ascii_lowercase()
                            .split(|c: char| !c.is_ascii_alphanumeric())
                            .any(|w| w == addressee)
                    });
                if !dest_hit && hq_r.is_none() && declared {
                    for u in hq_unknown {
                        cx.missing.insert(format!("{u} (is-informed letter {})", l.id));
                    }
                    maybe = true;
                    continue;
                }
                if !(dest_hit || hq_r == Some(true)) {
                    continue;
                }
                let why = format!(
                    "{} is named in the letter to {} ({}); destination/party in its scope",
                    it.label, l.addressee, l.id
                );
                let paragraph = format!("is-informed letter {}", l.id);
                if declared {
                    cx.step(
                        &paragraph,
                        &l.citation,
                        l.evidence,
                        why.clone(),
                        "licence required (letter to this exporter)".into(),
                    );
                    required = true;
                    merge_req(
                        &mut cx.requirements,
                        req(
                            l.id.clone(),
                            &paragraph,
                            &l.citation,
                            l.evidence,
                            &l.text,
                            vec![it.label.clone()],
                            None,
                            why,
                            Policy::PresumptionOfDenial,
                            false,
                        ),
                    );
                } else {
                    let mut r = req(
                        l.id.clone(),
                        &paragraph,
                        &l.citation,
                        l.evidence,
                        &l.text,
                        vec![it.label.clone()],
                        None,
                        format!(
                            "{why}; applies if you are {} or were informed likewise",
                            l.addressee
                        ),
                        Policy::None,
                        false,
                    );
                    r.enforced = false;
                    merge_req(&mut cx.informational, r);
                }
            }
        }
        if levels.iter().any(Option::is_some)
            && !required
            && !cx.tx.parties.iter().any(|p| p.role == Role::EndUser)
        {
            cx.missing.insert(
                "parties: the end user (role end_user) with its country and headquarters, for the HQ and end-user rules"
                    .into(),
            );
            maybe = true;
        }
        if !definite && !required {
            if !levels.contains(&None) && levels.iter().flatten().all(|l| triggered.contains(l)) {
                // every level the item could have needs a licence here
                cx.step(
                    &format!("classify {}", it.label),
                    "export-rules.md §9.3: indeterminate inputs that cannot change the answer",
                    Evidence::D,
                    format!(
                        "possible levels: {}",
                        levels
                            .iter()
                            .flatten()
                            .map(|l| level_name(*l))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    "licence required whichever level the item has".into(),
                );
                required = true;
                for r in pending {
                    merge_req(&mut cx.requirements, r);
                }
            } else if maybe {
                let need = c.missing.join(", ");
                cx.missing.insert(format!("{}: {need} (classification decides)", it.label));
            }
        }
        answers.push(if required {
            Answer::Yes
        } else if maybe {
            Answer::Indeterminate
        } else {
            Answer::No
        });
    }
    // end-user requirements apply to every item; item-specific ones (GP10,
    // AI training) to the items they name
    if cx.requirements.iter().any(|r| r.enforced && r.items.is_empty()) {
        answers.fill(Answer::Yes);
    }
    for (it, a) in cx.tx.items.iter().zip(answers.iter_mut()) {
        if cx.requirements.iter().any(|r| r.enforced && r.items.contains(&it.label)) {
            *a = Answer::Yes;
        }
    }
    answers
}

fn level_name(l: Level) -> &'static str {
    match l {
        Level::A => "a",
        Level::B => "b",
        Level::C => "c",
    }
}

/// Merge a requirement with the same rule into one row listing all items.
fn merge_req(list: &mut Vec<Requirement>, r: Requirement) {
    if let Some(x) = list.iter_mut().find(|x| x.rule == r.rule && x.party == r.party) {
        for i in r.items {
            if !x.items.contains(&i) {
                x.items.push(i);
            }
        }
        if !x.reason.contains(&r.reason) {
            x.reason = format!("{}; {}", x.reason, r.reason);
        }
    } else {
        list.push(r);
    }
}

/// Step 6: licence exceptions for the items that need a licence because of
/// destination / HQ rows.
fn exceptions(cx: &mut Ctx, cls: &[Classification]) -> Vec<ExceptionResult> {
    let at = cx.at;
    let needing: BTreeSet<String> = cx
        .requirements
        .iter()
        .filter(|r| r.enforced && r.exception_eligible)
        .flat_map(|r| r.items.iter().cloned())
        .collect();
    if needing.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for e in &at.exceptions {
        let mut items = Vec::new();
        let mut reasons = Vec::new();
        let mut indeterminate = false;
        for (it, c) in cx.tx.items.iter().zip(cls) {
            if !needing.contains(&it.label) {
                continue;
            }
            let Some(level) = c.classification.level() else { continue };
            if !e.levels.contains(&level) {
                continue;
            }
            match item_eligible(e, c) {
                Some(true) => items.push(it.label.clone()),
                Some(false) => reasons.push(format!(
                    "{}: designed or marketed for datacenters and meets 3A090.a (excluded from {})",
                    it.label, e.id
                )),
                None => {
                    indeterminate = true;
                    reasons.push(format!("{}: eligibility depends on an unknown input (datacenter flag or memory bandwidth density)", it.label));
                }
            }
            if let Some(cond) = &e.item_condition {
                // exact comparison on the item's own figures (not the
                // rounded display value)
                let q = chiptrace_rules::Quantities {
                    tpp: c.tpp,
                    dram_bw: it.spec.dram_bw_gbs,
                    mbd: match it.spec.kind {
                        chiptrace_rules::ItemKind::Hbm { stack_bw_gbs, stack_area_mm2 } => {
                            Some((stack_bw_gbs, stack_area_mm2))
                        }
                        _ => None,
                    },
                    ..Default::default()
                };
                let (ok, check) = chiptrace_rules::evaluate_condition(cond, &q);
                if ok != Some(true) {
                    items.retain(|x| x != &it.label);
                    reasons.push(format!(
                        "{}: fails the item condition of {} ({check})",
                        it.label, e.id
                    ));
                }
            }
        }
        if items.is_empty() && !indeterminate && reasons.is_empty() {
            continue;
        }
        // scope: any alternative satisfied
        let mut scope_ok = false;
        let mut scope_unknown = false;
        for w in &e.when_any {
            let mut ok = true;
            let mut unk = false;
            if let Some(d) = &w.destinations {
                ok &= cx.in_set(d, &cx.dest.clone());
            }
            if let Some(h) = &w.hq {
                match cx.hq_in(h, &[Role::EndUser, Role::UltimateConsignee]).0 {
                    Some(v) => ok &= v,
                    None => unk = true,
                }
            }
            if let Some(h) = &w.not_hq {
                match cx.hq_in(h, &[Role::EndUser, Role::UltimateConsignee]).0 {
                    Some(v) => ok &= !v,
                    None => unk = true,
                }
            }
            if let Some(t) = &w.transaction_types {
                ok &= t.contains(&cx.tx.tx_type);
            }
            if ok && !unk {
                scope_ok = true;
            } else if ok && unk {
                scope_unknown = true;
            }
        }
        if let Some(flag) = &e.requires_party_flag
            && !cx.tx.parties.iter().any(|p| {
                matches!(p.role, Role::EndUser | Role::UltimateConsignee) && p.flags.contains(flag)
            })
        {
            scope_ok = false;
            scope_unknown = false;
            reasons.push(format!("no party carries the flag {flag:?}"));
        }
        // enforce_diffusion applies the codified-but-not-enforced rows,
        // including their exceptions (LPP, AIA, ACM)
        let enforced = e.enforced || cx.tx.options.enforce_diffusion;
        let status = if !enforced {
            if !(scope_ok || scope_unknown) {
                continue;
            }
            reasons.push(e.not_enforced.clone().unwrap_or_default());
            "not_enforced"
        } else if !cx.blockers.is_empty() && (scope_ok || scope_unknown) {
            reasons.push(format!("§740.2 restrictions: {}", cx.blockers.join("; ")));
            "not_available"
        } else if scope_ok && !indeterminate && !items.is_empty() && !cx.potential.is_empty() {
            reasons.push(format!(
                "unreviewed potential list matches ({}): a listed party would bar the exception (§740.2)",
                cx.potential.join("; ")
            ));
            "indeterminate"
        } else if scope_ok && !indeterminate && !items.is_empty() {
            "available"
        } else if (scope_ok || scope_unknown) && items.is_empty() && !indeterminate {
            "not_available"
        } else if scope_ok || scope_unknown {
            if scope_unknown {
                reasons.push("party headquarters unknown".into());
            }
            "indeterminate"
        } else {
            reasons
                .push(format!("destination {} / parties outside the exception's scope", cx.dest));
            "not_available"
        };
        if status == "not_available" && !scope_ok && !scope_unknown && enforced {
            // out of scope entirely: keep the trace short, skip the row
            cx.step(&e.id, &e.citation, e.evidence, reasons.join("; "), "not applicable".into());
            continue;
        }
        let mut result = ExceptionResult {
            id: e.id.clone(),
            name: e.name.clone(),
            paragraph: e.paragraph.clone(),
            status: status.into(),
            items,
            reasons,
            notification_days: e.notification_days,
            aes_code: e.aes_code.clone(),
            citation: e.citation.clone(),
            evidence: e.evidence,
        };
        if status == "available" {
            let mut conds = vec![e.text.clone()];
            conds.extend(e.conditions.iter().cloned());
            result.reasons = conds;
        }
        cx.step(&e.id, &e.citation, e.evidence, result.reasons.join("; "), status.into());
        out.push(result);
    }
    out
}

fn item_eligible(e: &Exception, c: &Classification) -> Option<bool> {
    if !e.exclude_datacenter_a {
        return Some(true);
    }
    if c.classification.level() != Some(Level::A) {
        return Some(true);
    }
    // the classifier's eligibility already follows the contained ICs of a
    // system and the datacenter branches (None = depends on the flag)
    c.nac_aca_eligible
}

/// Step 7: review policy.
fn review_policy(cx: &mut Ctx, cls: &[Classification]) -> Option<ReviewOutcome> {
    let enforced: Vec<Requirement> =
        cx.requirements.iter().filter(|r| r.enforced).cloned().collect();
    if enforced.is_empty() {
        return None;
    }
    let at = cx.at;
    let mut basis: Vec<PolicyBasis> = Vec::new();
    let mut conditions = Vec::new();
    let recipients = [Role::EndUser, Role::UltimateConsignee];
    let has_rs = enforced.iter().any(|r| r.exception_eligible);
    if has_rs {
        // overlay first: it replaces the destination-based policy when it applies
        let mut overlay_applies = false;
        for o in &at.review_overlays {
            let dest_ok = cx.in_set(&o.destinations, &cx.dest.clone());
            let from_ok = cx.tx.ship_from.as_ref().is_some_and(|s| o.ship_from.contains(s));
            let type_ok = o.transaction_types.contains(&cx.tx.tx_type);
            if !dest_ok {
                continue;
            }
            let zone: Vec<(String, String)> = cx
                .tx
                .items
                .iter()
                .zip(cls)
                .filter(|(_, c)| c.classification.level().is_some_and(|l| o.levels.contains(&l)))
                .map(|(it, c)| {
                    let r = c
                        .overlays
                        .iter()
                        .find(|x| x.id == o.id)
                        .map(|x| x.result.clone())
                        .unwrap_or_else(|| "indeterminate".into());
                    (it.label.clone(), r)
                })
                .collect();
            let all_inside = !zone.is_empty() && zone.iter().all(|(_, r)| r == "inside");
            let check = format!(
                "ship_from {} (needs {}); type {:?} (needs {:?}); zone: {}",
                cx.tx.ship_from.as_deref().unwrap_or("unknown"),
                o.ship_from.join("/"),
                cx.tx.tx_type,
                o.transaction_types,
                zone.iter().map(|(l, r)| format!("{l} {r}")).collect::<Vec<_>>().join(", ")
            );
            if cx.tx.ship_from.is_none() && type_ok && all_inside {
                cx.missing.insert("ship_from (the Jan-2026 China review overlay applies to exports from the United States)".into());
            }
            if from_ok && type_ok {
                for (l, r) in zone.iter().filter(|(_, r)| r.starts_with("indeterminate")) {
                    cx.missing.insert(format!(
                        "{l}: dram_bw_gbs (the Jan-2026 China review zone needs total DRAM bandwidth; {r})"
                    ));
                }
            }
            if from_ok && type_ok && all_inside {
                overlay_applies = true;
                cx.step(
                    &o.id,
                    &o.citation,
                    o.evidence,
                    check,
                    format!("review policy {} subject to conditions", o.policy.name()),
                );
                basis.push(PolicyBasis {
                    rule: o.id.clone(),
                    policy: o.policy,
                    text: o.text.clone(),
                    citation: o.citation.clone(),
                    evidence: o.evidence,
                    disputed: None,
                });
                conditions.extend(o.conditions.iter().cloned());
            } else {
                cx.step(&o.id, &o.citation, o.evidence, check, "overlay does not apply".into());
            }
        }
        for p in &at.review_policies {
            let dest_ok = p.destinations.as_ref().is_none_or(|s| cx.in_set(s, &cx.dest.clone()))
                && p.outside.as_ref().is_none_or(|s| !cx.in_set(s, &cx.dest.clone()));
            let hq_ok = match &p.hq {
                None => true,
                Some(s) => cx.hq_in(s, &recipients).0 == Some(true),
            };
            if !(dest_ok && hq_ok) {
                continue;
            }
            if let Some(u) = &p.unless_hq {
                match cx.hq_in(u, &recipients) {
                    (Some(true), _, _) => continue,
                    (None, _, unknown) => {
                        // e.g. approval holds only if no recipient is
                        // D:5/Macau-headquartered (§6.3)
                        for x in unknown {
                            cx.missing.insert(format!(
                                "{x} (review policy {}: {})",
                                p.id,
                                p.policy.name()
                            ));
                        }
                    }
                    _ => {}
                }
            }
            if overlay_applies && p.destinations.is_some() {
                // the overlay replaces the policies for entities in China /
                // Macau (91 FR 1684; export-rules.md §6.4)
                continue;
            }
            let disputed = p
                .disputed
                .as_ref()
                .map(|d| format!("{} ({}) [{}]", d.policy.name(), d.source, d.evidence.label()));
            cx.step(&p.id, &p.citation, p.evidence, p.text.clone(), p.policy.name().into());
            basis.push(PolicyBasis {
                rule: p.id.clone(),
                policy: p.policy,
                text: p.text.clone(),
                citation: p.citation.clone(),
                evidence: p.evidence,
                disputed,
            });
        }
    }
    for r in enforced.iter().filter(|r| !r.exception_eligible) {
        basis.push(PolicyBasis {
            rule: r.rule.clone(),
            policy: if r.policy == Policy::PerEntry {
                Policy::PresumptionOfDenial
            } else {
                r.policy
            },
            text: r.text.clone(),
            citation: r.citation.clone(),
            evidence: r.evidence,
            disputed: None,
        });
    }
    basis.retain(|b| b.policy != Policy::None);
    let mut seen = BTreeSet::new();
    basis.retain(|b| seen.insert((b.rule.clone(), b.policy, b.text.clone())));
    if basis.is_empty() {
        cx.step(
            "review policy",
            "rules data: review_policy rows in force",
            Evidence::D,
            "no review-policy row of the rule data covers this destination and these parties"
                .into(),
            "not specified".into(),
        );
        return Some(ReviewOutcome {
            policy: Policy::NotSpecified,
            basis,
            conditions,
            disputed: false,
        });
    }
    let policy = basis.iter().map(|b| b.policy).max().unwrap_or(Policy::CaseByCase);
    // only the decisive rows' conditions matter
    if policy != Policy::CaseByCase {
        conditions.clear();
    }
    let disputed = basis.iter().any(|b| b.disputed.is_some() && b.policy == policy);
    Some(ReviewOutcome { policy, basis, conditions, disputed })
}
