//! The verdict: check every statement against the registry, turn each
//! landmark's minimum RTT into a disc, intersect the discs and decide
//! (location-verification.md §4 step 5, §5).
//!
//! - **fail** when a proof is forged or replayed (bad chip or landmark
//!   signature, reused nonce, counter rollback, wrong firmware), when a
//!   landmark inside the licensed radius measured more than the timing budget
//!   a chip at the site can need (a relay or a move: delay can be added,
//!   never removed), or when the feasible region cannot reach the licensed
//!   area;
//! - **pass** only when the feasible region lies inside the licensed area and
//!   landmarks of at least `min_operators` independent operators each show
//!   it on their own (one compromised operator cannot pass a chip);
//! - **inconclusive** otherwise, with the reason (landmarks too far, proofs
//!   stale or from the future, discs that do not meet because a landmark's
//!   registered position or clock is wrong).
//!
//! Distances are bounds with `c` in vacuum minus the certified *minimum*
//! processing time, widened for the spherical Earth model; the radius a
//! prover or landmark might state is never used: it is recomputed here.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chiptrace_geo::{
    Area, Containment, Disc, LatLon, Region, SPHERE_OVER_ELLIPSOID_MAX, distance_km, intersect,
    sound_disc_radius_km, sound_site_radius_km,
};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::proto::{self, Statement};
use crate::registry::{Chip, Registry, Site};
use crate::{C_KM_PER_MS, ENGINE_VERSION, FIBRE_KM_PER_MS};

/// Extra km added to every bound for the landmark's surveyed position.
pub const POSITION_MARGIN_KM: f64 = 0.05;

/// Verification policy (recorded with every verdict).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    /// Independent operators whose landmarks must each show containment.
    pub min_operators: usize,
    /// Oldest statement accepted, seconds (freshness; §4 step 6).
    pub max_age_s: i64,
    /// How far in the future a landmark's clock may be, seconds.
    pub max_skew_s: i64,
    /// Fewest rounds per statement (the minimum filters queuing).
    pub min_rounds: usize,
    /// Route length over straight-line distance allowed for a chip at its
    /// site (1.0: the licensee provides a direct path to in-radius landmarks).
    pub route_factor: f64,
    /// Jitter allowance in the timing budget, ms.
    pub slack_ms: f64,
    /// Longest span, seconds, from the earliest session start to the latest
    /// session end among the statements combined: discs measured far apart
    /// in time could bound a chip that moved between them.
    pub max_spread_s: i64,
}

/// Most statements one verdict reads (bounded work per verification).
pub const MAX_STATEMENTS: usize = 256;
/// Longest session a statement may describe, seconds.
pub const MAX_SESSION_S: i64 = 600;

impl Policy {
    /// Refuse settings under which a verdict would not mean what the docs
    /// say (no operator needed, no freshness).
    pub fn check(&self) -> Result<()> {
        let bad = |m: &str| Err(Error::Invalid(format!("policy: {m}")));
        if self.min_operators == 0 {
            return bad(
                "min_operators must be at least 1 (2 by default: one compromised operator must not pass a chip)",
            );
        }
        if self.max_age_s <= 0 || self.max_age_s > 86_400 {
            return bad("max_age_s must be between 1 and 86400");
        }
        if !(0..=3_600).contains(&self.max_skew_s) {
            return bad("max_skew_s must be between 0 and 3600");
        }
        if self.max_spread_s <= 0 || self.max_spread_s > self.max_age_s {
            return bad("max_spread_s must be positive and at most max_age_s");
        }
        if self.min_rounds == 0 || self.min_rounds > proto::MAX_ROUNDS as usize {
            return bad("min_rounds must be 1 to 32");
        }
        let route_ok = self.route_factor.is_finite() && (1.0..=10.0).contains(&self.route_factor);
        let slack_ok = self.slack_ms.is_finite() && (0.0..=1_000.0).contains(&self.slack_ms);
        if !(route_ok && slack_ok) {
            return bad("route_factor must be 1 to 10 and slack_ms 0 to 1000");
        }
        Ok(())
    }
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            min_operators: 2,
            max_age_s: 900,
            max_skew_s: 30,
            min_rounds: 3,
            route_factor: 1.0,
            slack_ms: 0.2,
            max_spread_s: 120,
        }
    }
}

/// What the store already knows about the chip: the highest counter of an
/// accepted proof and the nonces already used.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub last_counter: u64,
    pub seen_nonces: HashSet<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    Inconclusive,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Inconclusive => "inconclusive",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProofStatus {
    Accepted,
    /// Evidence of tampering: the verdict fails.
    Rejected,
    /// Not usable (stale, unknown landmark, too few rounds): left out.
    Ignored,
}

/// The check of one landmark statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProofCheck {
    pub landmark: String,
    pub operator: String,
    pub statement: String,
    pub status: ProofStatus,
    pub problem: Option<String>,
    pub rounds: usize,
    pub rtt_min_ms: Option<f64>,
    pub t_proc_min_ms: f64,
    /// Sound upper bound on the chip's distance from the landmark, km.
    pub bound_km: Option<f64>,
    /// Fibre-speed estimate of the distance, km (display only).
    pub fibre_estimate_km: Option<f64>,
    pub landmark_to_site_km: Option<f64>,
    pub in_licensed_radius: bool,
    /// Most RTT a chip within the licensed radius can need at this
    /// landmark, ms (in-radius landmarks only).
    pub budget_ms: Option<f64>,
    pub within_budget: Option<bool>,
    /// Smallest delay a relay must add to pass unnoticed by this landmark,
    /// ms: the budget minus the fastest a chip at the site can answer.
    pub relay_detect_ms: Option<f64>,
}

/// Summary of the feasible region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionSummary {
    pub empty: bool,
    pub discs: Vec<Disc>,
    pub within_site: Option<String>,
    pub max_km_from_site: Option<f64>,
    pub min_km_from_site: Option<f64>,
    pub within_area: Option<String>,
}

/// A verdict on one chip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub chip: String,
    pub model: String,
    pub site: Site,
    pub at: String,
    pub result: Outcome,
    pub reasons: Vec<String>,
    pub proofs: Vec<ProofCheck>,
    pub region: RegionSummary,
    /// Operators whose landmarks alone show containment.
    pub operators_proving: Vec<String>,
    pub policy: Policy,
    pub engine: String,
    /// Nonces and the highest counter of accepted proofs: the store records
    /// them so a replay or rollback of these proofs fails later.
    pub nonces: Vec<String>,
    pub max_counter: u64,
    pub what_it_proves: String,
}

struct Checked {
    check: ProofCheck,
    disc: Option<Disc>,
}

/// Decide on `chip` from `statements`.
pub fn verify(
    reg: &Registry,
    chip_id: &str,
    statements: &[Statement],
    history: &History,
    policy: &Policy,
    now: jiff::Timestamp,
    area: Option<&Area>,
) -> Result<Verdict> {
    policy.check()?;
    if statements.len() > MAX_STATEMENTS {
        return Err(Error::Invalid(format!(
            "{} statements; one verification reads at most {MAX_STATEMENTS}",
            statements.len()
        )));
    }
    let chip = reg
        .chips
        .get(chip_id)
        .ok_or_else(|| Error::Invalid(format!("unknown chip {chip_id:?}: not in the registry")))?;
    let site = reg.sites.get(&chip.site).ok_or_else(|| {
        Error::Invalid(format!(
            "chip {chip_id} is registered to site {:?}, which is not in the registry",
            chip.site
        ))
    })?;
    let chip_key = chip.key().map_err(|e| Error::Invalid(format!("chip {chip_id}: {e}")))?;
    let mut seen_nonces: HashSet<&str> = HashSet::new();
    let mut seen_counters: HashSet<u64> = HashSet::new();
    let mut checked = Vec::new();
    for st in statements {
        let c = check_statement(
            reg,
            chip,
            &chip_key,
            site,
            st,
            history,
            policy,
            now,
            &mut seen_nonces,
            &mut seen_counters,
        );
        checked.push(c);
    }
    // one verification round: statements whose sessions lie further apart
    // than max_spread_s from the latest one are left out (a chip could
    // have moved between them)
    let latest_end = statements
        .iter()
        .zip(&checked)
        .filter(|(_, c)| c.check.status == ProofStatus::Accepted)
        .filter_map(|(st, _)| st.body.at.parse::<jiff::Timestamp>().ok())
        .map(|t| t.as_second())
        .max();
    if let Some(end) = latest_end {
        for (st, c) in statements.iter().zip(checked.iter_mut()) {
            let start = st
                .body
                .started_at
                .parse::<jiff::Timestamp>()
                .map(|t| t.as_second())
                .unwrap_or(i64::MIN);
            if c.check.status == ProofStatus::Accepted && end - start > policy.max_spread_s {
                c.check.status = ProofStatus::Ignored;
                c.check.problem = Some(format!(
                    "session started {} s before the latest session ended; statements combined must lie within {} s",
                    end.saturating_sub(start),
                    policy.max_spread_s
                ));
                c.disc = None;
            }
        }
    }
    // nonces and the counter of what was finally used
    let mut nonces = Vec::new();
    let mut max_counter = 0;
    for (st, c) in statements.iter().zip(&checked) {
        if c.check.status == ProofStatus::Accepted {
            nonces.extend(st.body.rounds.iter().map(|r| r.nonce.clone()));
            max_counter =
                max_counter.max(st.body.rounds.iter().map(|r| r.counter).max().unwrap_or(0));
        }
    }

    let mut reasons = Vec::new();
    let rejected: Vec<&ProofCheck> =
        checked.iter().map(|c| &c.check).filter(|c| c.status == ProofStatus::Rejected).collect();
    for c in &rejected {
        reasons.push(format!(
            "proof from {} rejected: {}",
            c.landmark,
            c.problem.as_deref().unwrap_or("")
        ));
    }
    let discs: Vec<Disc> = checked.iter().filter_map(|c| c.disc.clone()).collect();
    let region = intersect(&discs);
    // the licence radius is a WGS84 distance: a pass needs the region inside
    // the radius shrunk to the sphere's worst case, a fail needs it outside
    // the radius grown to the other worst case (docs/geo.md)
    let site_disc = Disc {
        center: site.position(),
        radius_km: sound_site_radius_km(site.radius_km),
        label: format!("licence {}", site.site_id),
    };
    let site_out =
        Disc { radius_km: site.radius_km * SPHERE_OVER_ELLIPSOID_MAX, ..site_disc.clone() };
    let mut summary = RegionSummary {
        empty: region.is_empty(),
        discs: discs.clone(),
        within_site: None,
        max_km_from_site: None,
        min_km_from_site: None,
        within_area: None,
    };
    let mut operators_proving = Vec::new();
    let over_budget: Vec<&ProofCheck> =
        checked.iter().map(|c| &c.check).filter(|c| c.within_budget == Some(false)).collect();

    let result = if !rejected.is_empty() {
        Outcome::Fail
    } else if discs.is_empty() {
        reasons.push("no usable proof: nothing bounds where the chip is".into());
        for c in checked.iter().filter(|c| c.check.status == ProofStatus::Ignored) {
            reasons.push(format!(
                "proof from {} left out: {}",
                c.check.landmark,
                c.check.problem.as_deref().unwrap_or("")
            ));
        }
        Outcome::Inconclusive
    } else if region.is_empty() {
        let pair = region
            .disjoint_pair()
            .map(|(a, b)| format!(" ({} and {} cannot both hold)", discs[a].label, discs[b].label))
            .unwrap_or_default();
        reasons.push(format!(
            "the landmarks' discs have no common point{pair}: a landmark's registered position, key or clock is wrong; investigate the landmarks before trusting any of them"
        ));
        Outcome::Inconclusive
    } else {
        let within = match region.within_disc(&site_disc) {
            Containment::Inside => Containment::Inside,
            _ => match region.within_disc(&site_out) {
                Containment::Outside => Containment::Outside,
                _ => Containment::Partial,
            },
        };
        summary.within_site = Some(containment_str(&within).into());
        summary.max_km_from_site = Some(round3(region.max_distance_km(site.position())));
        summary.min_km_from_site = Some(round3(region.min_distance_km(site.position())));
        let within_area = area.map(|a| region.within_area(a));
        summary.within_area = within_area.as_ref().map(|w| containment_str(w).to_string());
        let mut fails = Vec::new();
        for c in &over_budget {
            fails.push(format!(
                "presence not demonstrated: landmark {} is {:.1} km from the site, inside the {:.1} km licence radius, and measured {:.3} ms; a chip within the radius needs at most {:.3} ms (relay or move: delay can be added, never removed)",
                c.landmark,
                c.landmark_to_site_km.unwrap_or(0.0),
                site.radius_km,
                c.rtt_min_ms.unwrap_or(0.0),
                c.budget_ms.unwrap_or(0.0)
            ));
        }
        if matches!(within, Containment::Outside) {
            fails.push(format!(
                "the chip cannot be within {:.1} km of site {}: the nearest point it can be at is at least {:.1} km away",
                site.radius_km,
                site.site_id,
                region.min_distance_km(site.position())
            ));
        }
        if matches!(within_area, Some(Containment::Outside)) {
            fails.push(format!(
                "the chip cannot be inside {}: no point of the feasible region is in it",
                area.map(|a| a.name.as_str()).unwrap_or("the licensed area")
            ));
        }
        if !fails.is_empty() {
            reasons.extend(fails);
            Outcome::Fail
        } else if matches!(within, Containment::Inside)
            && !matches!(within_area, Some(Containment::Partial) | Some(Containment::Outside))
        {
            operators_proving = proving_operators(&checked, &site_disc, area);
            if operators_proving.len() >= policy.min_operators {
                reasons.push(format!(
                    "the chip is within {:.1} km of site {} (at most {:.1} km away), shown independently by landmarks of {}",
                    site.radius_km,
                    site.site_id,
                    region.max_distance_km(site.position()),
                    operators_proving.join(", ")
                ));
                Outcome::Pass
            } else {
                reasons.push(format!(
                    "containment is shown only by the landmarks of {} operator(s) ({}); the policy needs {} independent operators",
                    operators_proving.len(),
                    if operators_proving.is_empty() { "none alone".to_string() } else { operators_proving.join(", ") },
                    policy.min_operators
                ));
                Outcome::Inconclusive
            }
        } else {
            let nearest = checked
                .iter()
                .filter(|c| c.disc.is_some())
                .filter_map(|c| c.check.bound_km.map(|b| (b, c.check.landmark.clone())))
                .fold(None::<(f64, String)>, |acc, x| match acc {
                    Some(a) if a.0 <= x.0 => Some(a),
                    _ => Some(x),
                });
            reasons.push(format!(
                "the feasible region reaches {:.1} km from site {} (licence radius {:.1} km){}: the landmarks are too far or too slow to decide; verify from landmarks closer to the site",
                region.max_distance_km(site.position()),
                site.site_id,
                site.radius_km,
                nearest.map(|(b, l)| format!("; the tightest bound is {b:.1} km from {l}")).unwrap_or_default()
            ));
            if matches!(within_area, Some(Containment::Partial)) {
                reasons.push(format!(
                    "the feasible region is not entirely inside {}",
                    area.map(|a| a.name.as_str()).unwrap_or("the licensed area")
                ));
            }
            Outcome::Inconclusive
        }
    };
    for c in checked
        .iter()
        .filter(|c| c.check.status == ProofStatus::Ignored && result != Outcome::Inconclusive)
    {
        reasons.push(format!(
            "proof from {} left out: {}",
            c.check.landmark,
            c.check.problem.as_deref().unwrap_or("")
        ));
    }
    Ok(Verdict {
        chip: chip.serial.clone(),
        model: chip.model.clone(),
        site: site.clone(),
        at: now.to_string(),
        result,
        reasons,
        proofs: checked.into_iter().map(|c| c.check).collect(),
        region: summary,
        operators_proving,
        policy: policy.clone(),
        engine: ENGINE_VERSION.into(),
        nonces,
        max_counter,
        what_it_proves: WHAT_IT_PROVES.into(),
    })
}

/// Stated with every verdict, because a regulator will ask.
pub const WHAT_IT_PROVES: &str = "A pass shows that the device holding this chip's key answered the landmarks fast enough that, at the speed of light, it was inside the licensed area at the time of the check. It does not show who uses the chip: a chip that stays put while its owner runs work on it remotely from elsewhere passes. It relies on the device key staying inside the chip and on the landmarks' keys and surveyed positions.";

fn containment_str(c: &Containment) -> &'static str {
    match c {
        Containment::Inside => "inside",
        Containment::Outside => "outside",
        Containment::Partial => "partial",
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Operators whose accepted landmarks, on their own, confine the chip to the
/// licensed area.
fn proving_operators(checked: &[Checked], site: &Disc, area: Option<&Area>) -> Vec<String> {
    let mut by_op: BTreeMap<&str, Vec<Disc>> = BTreeMap::new();
    for c in checked {
        if let Some(d) = &c.disc {
            by_op.entry(c.check.operator.as_str()).or_default().push(d.clone());
        }
    }
    by_op
        .into_iter()
        .filter(|(_, ds)| {
            let r: Region = intersect(ds);
            !r.is_empty()
                && matches!(r.within_disc(site), Containment::Inside)
                && area.is_none_or(|a| matches!(r.within_area(a), Containment::Inside))
        })
        .map(|(op, _)| op.to_string())
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn check_statement<'a>(
    reg: &Registry,
    chip: &Chip,
    chip_key: &ed25519_dalek::VerifyingKey,
    site: &Site,
    st: &'a Statement,
    history: &History,
    policy: &Policy,
    now: jiff::Timestamp,
    seen_nonces: &mut HashSet<&'a str>,
    seen_counters: &mut HashSet<u64>,
) -> Checked {
    let b = &st.body;
    let lm = reg.landmarks.get(&b.landmark);
    let mut check = ProofCheck {
        landmark: b.landmark.clone(),
        operator: lm.map(|l| l.operator.clone()).unwrap_or_default(),
        statement: st.digest(),
        status: ProofStatus::Accepted,
        problem: None,
        rounds: b.rounds.len(),
        rtt_min_ms: b.rtt_min_ms(),
        t_proc_min_ms: chip.t_proc_min_ms,
        bound_km: None,
        fibre_estimate_km: None,
        landmark_to_site_km: lm.map(|l| round3(distance_km(l.position(), site.position()))),
        in_licensed_radius: false,
        budget_ms: None,
        within_budget: None,
        relay_detect_ms: None,
    };
    let out = |mut check: ProofCheck, status: ProofStatus, problem: String| {
        check.status = status;
        check.problem = Some(problem);
        Checked { check, disc: None }
    };
    if b.chip != chip.serial {
        return out(check, ProofStatus::Ignored, format!("statement is about chip {:?}", b.chip));
    }
    let Some(lm) = lm else {
        return out(check, ProofStatus::Ignored, "landmark is not in the registry".into());
    };
    let lm_key = match lm.key() {
        Ok(k) => k,
        Err(e) => {
            return out(
                check,
                ProofStatus::Ignored,
                format!("registered landmark key unusable: {e}"),
            );
        }
    };
    if !st.verify(&lm_key) {
        return out(
            check,
            ProofStatus::Rejected,
            "landmark signature does not verify with the registered key (forged or altered statement)".into(),
        );
    }
    if b.version != proto::VERSION {
        return out(
            check,
            ProofStatus::Ignored,
            format!("protocol version {} is not supported", b.version),
        );
    }
    let Some(measurement) = proto::decode32(&b.measurement) else {
        return out(
            check,
            ProofStatus::Rejected,
            "firmware measurement is not 32 bytes of hex".into(),
        );
    };
    if let Some(expected) = &chip.measurement
        && !expected.eq_ignore_ascii_case(&b.measurement)
    {
        return out(
            check,
            ProofStatus::Rejected,
            "firmware measurement differs from the registered one".into(),
        );
    }
    if b.rounds.len() < policy.min_rounds || b.rounds.len() > proto::MAX_ROUNDS as usize {
        return out(
            check,
            ProofStatus::Ignored,
            format!(
                "{} rounds; the policy needs {} to {}",
                b.rounds.len(),
                policy.min_rounds,
                proto::MAX_ROUNDS
            ),
        );
    }
    // chip signatures, nonces and counters: any failure is tampering
    let mut prev = None;
    for (i, r) in b.rounds.iter().enumerate() {
        if let Err(e) =
            proto::verify_round(chip_key, &chip.serial, &lm.landmark_id, &measurement, r)
        {
            return out(check, ProofStatus::Rejected, format!("round {i}: {e}"));
        }
        if history.seen_nonces.contains(&r.nonce) || !seen_nonces.insert(r.nonce.as_str()) {
            return out(
                check,
                ProofStatus::Rejected,
                format!("round {i}: nonce already used (replayed proof)"),
            );
        }
        if r.counter <= history.last_counter {
            return out(
                check,
                ProofStatus::Rejected,
                format!(
                    "round {i}: counter rollback ({} is not above {}, the highest counter already accepted for this chip)",
                    r.counter, history.last_counter
                ),
            );
        }
        if prev.is_some_and(|p| r.counter <= p) || !seen_counters.insert(r.counter) {
            return out(
                check,
                ProofStatus::Rejected,
                format!("round {i}: counter {} repeats or goes back", r.counter),
            );
        }
        prev = Some(r.counter);
    }
    if let Some(r) = b.rounds.iter().find(|r| r.rtt_ns == 0 || r.rtt_ns > 60_000_000_000) {
        return out(check, ProofStatus::Ignored, format!("implausible RTT of {} ns", r.rtt_ns));
    }
    let (Ok(at), Ok(started)) =
        (b.at.parse::<jiff::Timestamp>(), b.started_at.parse::<jiff::Timestamp>())
    else {
        return out(
            check,
            ProofStatus::Ignored,
            "statement time is not an RFC 3339 timestamp".into(),
        );
    };
    if at.as_second() - started.as_second() > MAX_SESSION_S {
        return out(
            check,
            ProofStatus::Ignored,
            format!(
                "session lasted {} s; at most {MAX_SESSION_S} s",
                at.as_second() - started.as_second()
            ),
        );
    }
    let ahead = at.as_second() - now.as_second();
    if ahead > policy.max_skew_s || started > at {
        return out(
            check,
            ProofStatus::Ignored,
            format!(
                "statement is dated {ahead} s after the verifier's clock (clock skew beyond {} s)",
                policy.max_skew_s
            ),
        );
    }
    if -ahead > policy.max_age_s {
        return out(
            check,
            ProofStatus::Ignored,
            format!(
                "statement is {} s old; proofs older than {} s are stale",
                -ahead, policy.max_age_s
            ),
        );
    }
    let rtt = check.rtt_min_ms.unwrap_or(f64::INFINITY);
    let flight = (rtt - chip.t_proc_min_ms).max(0.0);
    // the delay bounds the straight line (chord) between landmark and chip;
    // sound_disc_radius_km turns it into a radius on the model sphere that
    // covers the WGS84 surface distance (docs/geo.md)
    let bound = sound_disc_radius_km(C_KM_PER_MS * flight / 2.0) + POSITION_MARGIN_KM;
    check.bound_km = Some(round3(bound));
    check.fibre_estimate_km =
        Some(round3(FIBRE_KM_PER_MS * (flight - lm.overhead_ms).max(0.0) / 2.0));
    let d_ls = distance_km(lm.position(), site.position());
    if d_ls <= site.radius_km {
        check.in_licensed_radius = true;
        let budget = chip.t_proc_max_ms
            + lm.overhead_ms
            + 2.0 * (d_ls + site.radius_km) * policy.route_factor / FIBRE_KM_PER_MS
            + policy.slack_ms;
        check.budget_ms = Some(round3(budget));
        check.within_budget = Some(rtt <= budget);
        let fastest = chip.t_proc_min_ms + lm.overhead_ms + 2.0 * d_ls / C_KM_PER_MS;
        check.relay_detect_ms = Some(round3(budget - fastest));
    }
    let disc = Disc {
        center: LatLon { lat: lm.lat, lon: lm.lon },
        radius_km: bound,
        label: lm.landmark_id.clone(),
    };
    Checked { check, disc: Some(disc) }
}

/// Landmarks named in the verdict's accepted proofs.
pub fn accepted_landmarks(v: &Verdict) -> BTreeSet<String> {
    v.proofs
        .iter()
        .filter(|p| p.status == ProofStatus::Accepted)
        .map(|p| p.landmark.clone())
        .collect()
}
