//! Location-verification benchmark (scripts/bench-lv.sh runs it in release):
//! 1. landmark throughput: challenges answered per second on loopback, with
//!    several agents at once (target ≥ 1,000/s);
//! 2. one verification round against 5 landmarks behind delay forwarders:
//!    wall time minus the emulated delays (target < 100 ms);
//! 3. the verdict computation itself.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chiptrace_geo::{LatLon, distance_km};
use chiptrace_lv::FIBRE_KM_PER_MS;
use chiptrace_lv::agent::{Agent, Counter, Target};
use chiptrace_lv::forward::{Forwarder, Route};
use chiptrace_lv::landmark::{self, LandmarkConfig};
use chiptrace_lv::registry::{Chip, Landmark, Registry, Site};
use chiptrace_lv::verdict::{History, Policy, verify};
use ed25519_dalek::SigningKey;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let secs = arg("--seconds", 5);
    let agents = arg("--agents", 8) as usize;
    let rounds = arg("--rounds", 16) as u32;

    // 1. throughput
    let chips: Vec<(String, SigningKey)> = (0..agents)
        .map(|i| (format!("GPU-{i}"), SigningKey::from_bytes(&[i as u8 + 1; 32])))
        .collect();
    let lm = landmark::spawn(
        TcpListener::bind("127.0.0.1:0").unwrap(),
        LandmarkConfig {
            id: "LM-BENCH".into(),
            key: SigningKey::from_bytes(&[200; 32]),
            rounds,
            chips: chips
                .iter()
                .map(|(id, k)| (id.clone(), k.verifying_key()))
                .collect::<HashMap<_, _>>(),
            io_timeout: Duration::from_secs(5),
            max_sessions: 1024,
        },
    )
    .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let t0 = Instant::now();
    let hs: Vec<_> = chips
        .iter()
        .map(|(id, k)| {
            let (stop, done) = (stop.clone(), done.clone());
            let a = Agent::new(id, k.clone(), [0u8; 32], Counter::in_memory(0)).unwrap();
            let t = Target { landmark: "LM-BENCH".into(), addr: lm.addr.to_string(), key: None };
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let st = a.session(&t).unwrap();
                    done.fetch_add(st.body.rounds.len() as u64, Ordering::Relaxed);
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(secs));
    stop.store(true, Ordering::Relaxed);
    for h in hs {
        h.join().unwrap();
    }
    let el = t0.elapsed().as_secs_f64();
    let n = done.load(Ordering::Relaxed);
    println!(
        "landmark throughput: {n} challenges in {el:.2} s = {:.0} challenges/s ({:.0} sessions/s of {rounds} rounds; {agents} agents at once; target >= 1000/s: {:.1}x)",
        n as f64 / el,
        n as f64 / el / f64::from(rounds),
        n as f64 / el / 1000.0
    );
    drop(lm);

    // 2. one verification round against five landmarks with emulated distance
    let site = LatLon { lat: 1.3521, lon: 103.8198 };
    let places = [
        ("SG1", "vendor", LatLon { lat: 1.37, lon: 103.83 }),
        ("SG2", "regulator", LatLon { lat: 1.335, lon: 103.805 }),
        ("KL", "carrier", LatLon { lat: 3.139, lon: 101.6869 }),
        ("JKT", "vendor", LatLon { lat: -6.2088, lon: 106.8456 }),
        ("HK", "carrier", LatLon { lat: 22.3193, lon: 114.1694 }),
    ];
    let chip = SigningKey::from_bytes(&[1; 32]);
    let mut reg = Registry::default();
    reg.sites.insert(
        "S".into(),
        Site {
            site_id: "S".into(),
            name: String::new(),
            lat: site.lat,
            lon: site.lon,
            country: "SG".into(),
            radius_km: 30.0,
            licence: String::new(),
        },
    );
    reg.chips.insert(
        "GPU-1".into(),
        Chip {
            serial: "GPU-1".into(),
            model: "H100".into(),
            public_key: hex::encode(chip.verifying_key().as_bytes()),
            site: "S".into(),
            t_proc_min_ms: 0.005,
            t_proc_max_ms: 0.1,
            measurement: None,
        },
    );
    let mut keep = Vec::new();
    let mut targets = Vec::new();
    let mut max_rtt_ms: f64 = 0.0;
    for (i, (id, op, p)) in places.iter().enumerate() {
        let k = SigningKey::from_bytes(&[100 + i as u8; 32]);
        reg.landmarks.insert(
            id.to_string(),
            Landmark {
                landmark_id: id.to_string(),
                operator: op.to_string(),
                lat: p.lat,
                lon: p.lon,
                country: "XX".into(),
                public_key: hex::encode(k.verifying_key().as_bytes()),
                address: None,
                overhead_ms: 0.1,
            },
        );
        let lm = landmark::spawn(
            TcpListener::bind("127.0.0.1:0").unwrap(),
            LandmarkConfig {
                id: id.to_string(),
                key: k,
                rounds,
                chips: HashMap::from([("GPU-1".to_string(), chip.verifying_key())]),
                io_timeout: Duration::from_secs(5),
                max_sessions: 16,
            },
        )
        .unwrap();
        let one_way = distance_km(site, *p) / FIBRE_KM_PER_MS;
        max_rtt_ms = max_rtt_ms.max(2.0 * one_way);
        let f = Forwarder::spawn(&[Route {
            listen: "127.0.0.1:0".parse().unwrap(),
            target: lm.addr,
            one_way: Duration::from_secs_f64(one_way / 1e3),
        }])
        .unwrap();
        targets.push(Target { landmark: id.to_string(), addr: f.addrs[0].to_string(), key: None });
        keep.push((lm, f));
    }
    let agent = Agent::new("GPU-1", chip, [0u8; 32], Counter::in_memory(0)).unwrap();
    let mut walls = Vec::new();
    let mut verdict_us = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let sts: Vec<_> = agent.run(&targets).into_iter().map(|(_, r)| r.unwrap()).collect();
        walls.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let v = verify(
            &reg,
            "GPU-1",
            &sts,
            &History::default(),
            &Policy::default(),
            jiff::Timestamp::now(),
            None,
        )
        .unwrap();
        verdict_us.push(t.elapsed().as_secs_f64() * 1e6);
        assert_eq!(v.proofs.len(), 5);
    }
    walls.sort_by(f64::total_cmp);
    verdict_us.sort_by(f64::total_cmp);
    let emulated = max_rtt_ms * f64::from(rounds);
    let median = walls[walls.len() / 2];
    println!(
        "verification round, 5 landmarks x {rounds} challenges: median wall {median:.1} ms = emulated delays {emulated:.1} ms + {:.1} ms (target < 100 ms: {:.1}x headroom)",
        median - emulated,
        100.0 / (median - emulated).max(0.001)
    );
    println!(
        "verdict computation (5 proofs, {rounds} rounds each: signatures, discs, intersection, containment): median {:.0} us",
        verdict_us[verdict_us.len() / 2]
    );
}
