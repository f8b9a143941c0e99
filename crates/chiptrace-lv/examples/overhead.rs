//! Measure the minimum RTT a landmark sees through the delay forwarder on
//! this machine, for a few imposed one-way delays (calibration aid).
#![allow(clippy::unwrap_used)]
use std::collections::HashMap;
use std::net::TcpListener;
use std::time::Duration;

use chiptrace_lv::agent::{Agent, Counter, Target};
use chiptrace_lv::forward::{Forwarder, Route};
use chiptrace_lv::landmark::{self, LandmarkConfig};
use ed25519_dalek::SigningKey;

fn main() {
    let chip = SigningKey::from_bytes(&[1u8; 32]);
    let lmk = SigningKey::from_bytes(&[2u8; 32]);
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let lm = landmark::spawn(
        l,
        LandmarkConfig {
            id: "LM".into(),
            key: lmk,
            rounds: 16,
            chips: HashMap::from([("C".to_string(), chip.verifying_key())]),
            io_timeout: Duration::from_secs(5),
            max_sessions: 64,
        },
    )
    .unwrap();
    let agent = Agent::new("C", chip, [0u8; 32], Counter::in_memory(0)).unwrap();
    for ms in [0.0, 0.0382, 0.1, 0.5, 1.0, 12.75] {
        let f = Forwarder::spawn(&[Route {
            listen: "127.0.0.1:0".parse().unwrap(),
            target: lm.addr,
            one_way: Duration::from_secs_f64(ms / 1e3),
        }])
        .unwrap();
        let direct = agent
            .session(&Target { landmark: "LM".into(), addr: lm.addr.to_string(), key: None })
            .unwrap();
        let st = agent
            .session(&Target { landmark: "LM".into(), addr: f.addrs[0].to_string(), key: None })
            .unwrap();
        let min = st.body.rtt_min_ms().unwrap();
        let med = {
            let mut v: Vec<u64> = st.body.rounds.iter().map(|r| r.rtt_ns).collect();
            v.sort();
            v[v.len() / 2] as f64 / 1e6
        };
        println!(
            "one-way {ms:.4} ms: direct min {:.4} ms; forwarded min {min:.4} ms (median {med:.4}); overhead over 2x delay {:.4} ms",
            direct.body.rtt_min_ms().unwrap(),
            min - 2.0 * ms / 1.0
        );
    }
}
