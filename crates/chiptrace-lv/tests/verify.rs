//! Verdicts from real sessions over loopback sockets, with the delay
//! forwarder standing in for distance: honest chip, relay, replay, rollback,
//! forged statements, wrong keys, clock skew, a landmark registered at the
//! wrong place, one operator only, landmarks too far. (The same scenarios
//! across network namespaces run from the CLI: crates/chiptrace-cli/tests/lv_scenarios.rs.)
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::TcpListener;
use std::time::Duration;

use chiptrace_geo::{LatLon, distance_km};
use chiptrace_lv::FIBRE_KM_PER_MS;
use chiptrace_lv::agent::{Agent, Counter, Target};
use chiptrace_lv::forward::{Forwarder, Route};
use chiptrace_lv::landmark::{self, LandmarkConfig, RunningLandmark};
use chiptrace_lv::proto::Statement;
use chiptrace_lv::registry::{Chip, Landmark, Registry, Site};
use chiptrace_lv::verdict::{History, Outcome, Policy, ProofStatus, Verdict, verify};
use ed25519_dalek::SigningKey;

const SITE: LatLon = LatLon { lat: 1.3521, lon: 103.8198 };
const SG1: LatLon = LatLon { lat: 1.3700, lon: 103.8300 };
const SG2: LatLon = LatLon { lat: 1.3350, lon: 103.8050 };
const KL: LatLon = LatLon { lat: 3.1390, lon: 101.6869 };
const HK: LatLon = LatLon { lat: 22.3193, lon: 114.1694 };
const SHENZHEN: LatLon = LatLon { lat: 22.5431, lon: 114.0579 };
const BATU_PAHAT: LatLon = LatLon { lat: 1.8548, lon: 102.9325 };

/// The tests measure time: run them one at a time so they do not compete
/// with each other for the machine's cores.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

struct World {
    reg: Registry,
    chip_key: SigningKey,
    landmarks: Vec<(String, LatLon, RunningLandmark)>,
}

fn key(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

fn world(landmarks: &[(&str, &str, LatLon)]) -> World {
    let chip_key = key(1);
    let mut reg = Registry::default();
    reg.sites.insert(
        "SG-DC-1".into(),
        Site {
            site_id: "SG-DC-1".into(),
            name: "test site".into(),
            lat: SITE.lat,
            lon: SITE.lon,
            country: "SG".into(),
            radius_km: 30.0,
            licence: "L-1".into(),
        },
    );
    reg.chips.insert(
        "GPU-1".into(),
        Chip {
            serial: "GPU-1".into(),
            model: "H100 SXM".into(),
            public_key: hex::encode(chip_key.verifying_key().as_bytes()),
            site: "SG-DC-1".into(),
            t_proc_min_ms: 0.005,
            t_proc_max_ms: 0.1,
            measurement: None,
        },
    );
    let mut running = Vec::new();
    for (i, (id, op, pos)) in landmarks.iter().enumerate() {
        let k = key(10 + i as u8);
        reg.landmarks.insert(
            id.to_string(),
            Landmark {
                landmark_id: id.to_string(),
                operator: op.to_string(),
                lat: pos.lat,
                lon: pos.lon,
                country: "XX".into(),
                public_key: hex::encode(k.verifying_key().as_bytes()),
                address: None,
                overhead_ms: 0.15,
            },
        );
        let lm = landmark::spawn(
            TcpListener::bind("127.0.0.1:0").unwrap(),
            LandmarkConfig {
                id: id.to_string(),
                key: k,
                rounds: 8,
                chips: HashMap::from([("GPU-1".to_string(), chip_key.verifying_key())]),
                io_timeout: Duration::from_secs(5),
                max_sessions: 16,
            },
        )
        .unwrap();
        running.push((id.to_string(), *pos, lm));
    }
    World { reg, chip_key, landmarks: running }
}

/// Sessions from a chip at `at` (plus `extra_ms` of relay delay each way),
/// through one forwarder per landmark whose delay is the fibre time.
/// Delay can only be added, so a busy machine makes RTTs longer, never
/// shorter: the measurement is repeated (up to five times) until every
/// landmark's minimum is within 0.4 ms of the emulated round trip, as an
/// operator would re-run a check taken during a load spike.
fn measure(
    w: &World,
    agent: &Agent,
    at: LatLon,
    extra_ms: f64,
) -> (Vec<Statement>, Vec<Forwarder>) {
    let mut fwds = Vec::new();
    let mut targets = Vec::new();
    let mut emulated = Vec::new();
    for (id, pos, lm) in &w.landmarks {
        let ms = distance_km(at, *pos) / FIBRE_KM_PER_MS + extra_ms;
        emulated.push(2.0 * ms);
        let f = Forwarder::spawn(&[Route {
            listen: "127.0.0.1:0".parse().unwrap(),
            target: lm.addr,
            one_way: Duration::from_secs_f64(ms / 1e3),
        }])
        .unwrap();
        targets.push(Target { landmark: id.clone(), addr: f.addrs[0].to_string(), key: None });
        fwds.push(f);
    }
    let mut sts: Vec<Statement> = Vec::new();
    for _ in 0..5 {
        sts = agent.run(&targets).into_iter().map(|(_, r)| r.unwrap()).collect();
        let quiet =
            sts.iter().zip(&emulated).all(|(st, e)| st.body.rtt_min_ms().unwrap() <= e + 0.4);
        if quiet {
            break;
        }
    }
    (sts, fwds)
}

fn agent(w: &World, last: u64) -> Agent {
    Agent::new("GPU-1", w.chip_key.clone(), [0u8; 32], Counter::in_memory(last)).unwrap()
}

fn decide(w: &World, sts: &[Statement], h: &History) -> Verdict {
    verify(&w.reg, "GPU-1", sts, h, &Policy::default(), jiff::Timestamp::now(), None).unwrap()
}

fn sound(w: &World, v: &Verdict, at: LatLon) {
    for p in v.proofs.iter().filter(|p| p.status == ProofStatus::Accepted) {
        let l = &w.reg.landmarks[&p.landmark];
        let truth = distance_km(at, l.position());
        assert!(
            p.bound_km.unwrap() >= truth,
            "unsound: {} bound {} km < true distance {truth} km",
            p.landmark,
            p.bound_km.unwrap()
        );
    }
}

const TWO_OPS: [(&str, &str, LatLon); 3] =
    [("SG1", "vendor", SG1), ("SG2", "regulator", SG2), ("KL", "carrier", KL)];

#[test]
fn honest_chip_at_its_site_passes_and_bounds_are_sound() {
    let _g = serial();
    let w = world(&TWO_OPS);
    let (sts, _f) = measure(&w, &agent(&w, 0), SITE, 0.0);
    let v = decide(&w, &sts, &History::default());
    sound(&w, &v, SITE);
    assert_eq!(v.result, Outcome::Pass, "{:#?}", v.reasons);
    assert_eq!(v.operators_proving, vec!["regulator".to_string(), "vendor".to_string()]);
    assert_eq!(v.nonces.len(), 24);
    // KL is 300 km away: the fibre estimate is within 30 % of the truth
    let kl = v.proofs.iter().find(|p| p.landmark == "KL").unwrap();
    let truth = distance_km(SITE, KL);
    let est = kl.fibre_estimate_km.unwrap();
    assert!((est - truth).abs() / truth < 0.3, "fibre estimate {est} vs {truth}");
    assert!(kl.bound_km.unwrap() > truth * 1.4, "the vacuum bound is ~1.47x the fibre distance");
}

#[test]
fn a_relay_adding_one_millisecond_is_caught() {
    let _g = serial();
    let w = world(&TWO_OPS);
    // the chip is at its site but every challenge passes a relay that adds
    // 0.5 ms each way (1 ms per round trip)
    let (sts, _f) = measure(&w, &agent(&w, 0), SITE, 0.5);
    let v = decide(&w, &sts, &History::default());
    assert_eq!(v.result, Outcome::Fail, "{:#?}", v.reasons);
    assert!(v.reasons.iter().any(|r| r.contains("presence not demonstrated")), "{:#?}", v.reasons);
    sound(&w, &v, SITE);
}

#[test]
fn a_chip_moved_to_johor_fails_and_shenzhen_is_outside() {
    let _g = serial();
    let w = world(&[("SG1", "vendor", SG1), ("SG2", "regulator", SG2), ("HK", "carrier", HK)]);
    let (sts, _f) = measure(&w, &agent(&w, 0), BATU_PAHAT, 0.0);
    let v = decide(&w, &sts, &History::default());
    sound(&w, &v, BATU_PAHAT);
    assert_eq!(v.result, Outcome::Fail, "{:#?}", v.reasons);
    let (sts, _f) = measure(&w, &agent(&w, 1000), SHENZHEN, 0.0);
    let v = decide(&w, &sts, &History::default());
    sound(&w, &v, SHENZHEN);
    assert_eq!(v.result, Outcome::Fail);
    assert!(
        v.reasons.iter().any(|r| r.contains("cannot be within"))
            || v.region.within_site.as_deref() == Some("outside")
            || v.reasons.iter().any(|r| r.contains("presence not demonstrated"))
    );
    assert_eq!(
        v.region.within_site.as_deref(),
        Some("outside"),
        "the HK disc excludes Singapore: {:#?}",
        v.region
    );
}

#[test]
fn replay_rollback_and_forgery_fail() {
    let _g = serial();
    let w = world(&TWO_OPS);
    let (sts, _f) = measure(&w, &agent(&w, 0), SITE, 0.0);
    let v = decide(&w, &sts, &History::default());
    assert_eq!(v.result, Outcome::Pass);
    // replay: the store now knows these nonces and counters
    let h = History {
        last_counter: v.max_counter,
        seen_nonces: v.nonces.iter().cloned().collect::<HashSet<_>>(),
    };
    let r = decide(&w, &sts, &h);
    assert_eq!(r.result, Outcome::Fail);
    assert!(
        r.reasons.iter().any(|x| x.contains("replayed") || x.contains("rollback")),
        "{:#?}",
        r.reasons
    );
    // rollback: fresh nonces, but the counter restarted (cloned or reset
    // state), answered to restarted landmarks that forgot the counters (the
    // landmarks refuse it themselves while they remember: see
    // a_wrong_device_key_is_refused_by_the_landmark)
    let fresh = world(&TWO_OPS);
    let (sts2, _f2) = measure(&fresh, &agent(&fresh, 0), SITE, 0.0);
    let h2 = History { last_counter: v.max_counter, seen_nonces: HashSet::new() };
    let r2 = decide(&w, &sts2, &h2);
    assert_eq!(r2.result, Outcome::Fail);
    assert!(r2.reasons.iter().any(|x| x.contains("counter rollback")), "{:#?}", r2.reasons);
    // forged: a shortened RTT breaks the landmark signature
    let mut forged = sts.clone();
    forged[2].body.rounds[0].rtt_ns = 1000;
    let r3 = decide(&w, &forged, &History::default());
    assert_eq!(r3.result, Outcome::Fail);
    assert!(r3.reasons.iter().any(|x| x.contains("landmark signature")), "{:#?}", r3.reasons);
    // a statement re-signed by a key that is not the registered landmark key
    let mut body = sts[0].body.clone();
    body.rounds.iter_mut().for_each(|r| r.rtt_ns /= 10);
    let fake = Statement::sign(body, &key(99));
    let r4 = decide(&w, &[fake, sts[1].clone()], &History::default());
    assert_eq!(r4.result, Outcome::Fail);
}

#[test]
fn a_wrong_device_key_is_refused_by_the_landmark() {
    let _g = serial();
    let w = world(&TWO_OPS);
    let impostor = Agent::new("GPU-1", key(77), [0u8; 32], Counter::in_memory(0)).unwrap();
    let t = Target { landmark: "SG1".into(), addr: w.landmarks[0].2.addr.to_string(), key: None };
    let e = impostor.session(&t).unwrap_err().to_string();
    assert!(e.contains("signature does not verify"), "{e}");
    let unknown = Agent::new("GPU-404", key(1), [0u8; 32], Counter::in_memory(0)).unwrap();
    assert!(unknown.session(&t).unwrap_err().to_string().contains("unknown chip"));
    // a rollback is refused by the landmark itself within its memory
    let a = agent(&w, 500);
    a.session(&t).unwrap();
    let back = agent(&w, 0);
    assert!(back.session(&t).unwrap_err().to_string().contains("counter rollback"));
}

#[test]
fn clock_skew_and_stale_proofs_are_inconclusive_not_pass() {
    let _g = serial();
    let w = world(&TWO_OPS);
    let (sts, _f) = measure(&w, &agent(&w, 0), SITE, 0.0);
    let now = jiff::Timestamp::now();
    let past = now.checked_sub(jiff::SignedDuration::from_secs(3600)).unwrap();
    let v =
        verify(&w.reg, "GPU-1", &sts, &History::default(), &Policy::default(), past, None).unwrap();
    assert_eq!(v.result, Outcome::Inconclusive);
    assert!(v.reasons.iter().any(|r| r.contains("clock skew")), "{:#?}", v.reasons);
    let future = now.checked_add(jiff::SignedDuration::from_secs(3600)).unwrap();
    let v = verify(&w.reg, "GPU-1", &sts, &History::default(), &Policy::default(), future, None)
        .unwrap();
    assert_eq!(v.result, Outcome::Inconclusive);
    assert!(v.reasons.iter().any(|r| r.contains("stale")), "{:#?}", v.reasons);
}

#[test]
fn a_landmark_registered_in_the_wrong_place_never_passes() {
    let _g = serial();
    let mut w = world(&TWO_OPS);
    let (sts, _f) = measure(&w, &agent(&w, 0), SITE, 0.0);
    // the registry says KL is in Beijing: its disc cannot meet Singapore's
    let kl = w.reg.landmarks.get_mut("KL").unwrap();
    kl.lat = 39.9042;
    kl.lon = 116.4074;
    let v = decide(&w, &sts, &History::default());
    assert_eq!(v.result, Outcome::Inconclusive, "{:#?}", v.reasons);
    assert!(v.reasons.iter().any(|r| r.contains("no common point")), "{:#?}", v.reasons);
}

#[test]
fn one_operator_or_far_landmarks_are_inconclusive() {
    let _g = serial();
    let w = world(&[("SG1", "vendor", SG1), ("SG2", "vendor", SG2), ("KL", "carrier", KL)]);
    let (sts, _f) = measure(&w, &agent(&w, 0), SITE, 0.0);
    let v = decide(&w, &sts, &History::default());
    assert_eq!(v.result, Outcome::Inconclusive, "{:#?}", v.reasons);
    assert!(v.reasons[0].contains("independent operators"), "{:#?}", v.reasons);
    let far = world(&[("KL", "carrier", KL), ("HK", "vendor", HK)]);
    let (sts, _f) = measure(&far, &agent(&far, 0), SITE, 0.0);
    let v = decide(&far, &sts, &History::default());
    sound(&far, &v, SITE);
    assert_eq!(v.result, Outcome::Inconclusive, "{:#?}", v.reasons);
    assert!(v.reasons[0].contains("too far"), "{:#?}", v.reasons);
    let e = verify(
        &far.reg,
        "NOPE",
        &sts,
        &History::default(),
        &Policy::default(),
        jiff::Timestamp::now(),
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("unknown chip"), "{e}");
    let _ = BTreeMap::<u8, u8>::new();
}

/// A statement as landmark `li` (key 10 + li) signs it, with chosen times.
fn signed(
    li: u8,
    landmark: &str,
    counter0: u64,
    rtt_ns: u64,
    started: jiff::Timestamp,
    at: jiff::Timestamp,
) -> Statement {
    use chiptrace_lv::proto::{Round, StatementBody, VERSION, chip_payload};
    use ed25519_dalek::Signer;
    let chip = key(1);
    let m = [0u8; 32];
    let rounds = (0..4u64)
        .map(|r| {
            let nonce = [li * 16 + r as u8 + 1; 32];
            let sig = chip.sign(&chip_payload(&nonce, "GPU-1", landmark, counter0 + r, &m));
            Round {
                nonce: hex::encode(nonce),
                counter: counter0 + r,
                rtt_ns,
                chip_sig: hex::encode(sig.to_bytes()),
            }
        })
        .collect();
    Statement::sign(
        StatementBody {
            version: VERSION,
            chip: "GPU-1".into(),
            landmark: landmark.into(),
            session: format!("{li:032x}"),
            started_at: started.to_string(),
            at: at.to_string(),
            measurement: hex::encode(m),
            rounds,
        },
        &key(10 + li),
    )
}

#[test]
fn statements_far_apart_in_time_are_not_combined() {
    let _g = serial();
    let w = world(&TWO_OPS);
    let now = jiff::Timestamp::now();
    let ago = |s: i64| now.checked_sub(jiff::SignedDuration::from_secs(s)).unwrap();
    // both Singapore landmarks answered fast, but ten minutes apart: the
    // chip could have been at the site for one and elsewhere for the other
    let sts = vec![
        signed(0, "SG1", 1, 100_000, ago(601), ago(600)),
        signed(1, "SG2", 10, 100_000, ago(2), ago(1)),
    ];
    let v = decide(&w, &sts, &History::default());
    assert_ne!(v.result, Outcome::Pass, "{:#?}", v.reasons);
    assert!(
        v.proofs[0].problem.as_deref().unwrap_or("").contains("within 120 s"),
        "{:#?}",
        v.proofs
    );
    // the same two within a minute pass
    let sts = vec![
        signed(0, "SG1", 1, 100_000, ago(31), ago(30)),
        signed(1, "SG2", 10, 100_000, ago(2), ago(1)),
    ];
    assert_eq!(decide(&w, &sts, &History::default()).result, Outcome::Pass);
}

#[test]
fn policies_that_would_weaken_a_pass_are_refused() {
    let _g = serial();
    let w = world(&TWO_OPS);
    let now = jiff::Timestamp::now();
    for p in [
        Policy { min_operators: 0, ..Policy::default() },
        Policy { max_age_s: 0, ..Policy::default() },
        Policy { max_skew_s: -1, ..Policy::default() },
        Policy { slack_ms: f64::NAN, ..Policy::default() },
        Policy { max_spread_s: 100_000, ..Policy::default() },
    ] {
        let e = verify(&w.reg, "GPU-1", &[], &History::default(), &p, now, None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("policy"), "{e}");
    }
    let many =
        vec![signed(0, "SG1", 1, 100_000, now, now); chiptrace_lv::verdict::MAX_STATEMENTS + 1];
    let e = verify(&w.reg, "GPU-1", &many, &History::default(), &Policy::default(), now, None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("at most"), "{e}");
}
