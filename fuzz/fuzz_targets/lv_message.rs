//! Fuzz the location-verification wire protocol and the verdict: any bytes
//! as a frame must parse or give an error naming the peer; any statements
//! JSON must give a verdict (never a pass for garbage) or an error, never a
//! panic.
//!
//! Run: `cargo fuzz run lv_message --sanitizer none`.

#![no_main]

use chiptrace_lv::proto::{Statement, read_msg};
use chiptrace_lv::registry::{Chip, Landmark, Registry, Site};
use chiptrace_lv::verdict::{History, Outcome, Policy, verify};
use libfuzzer_sys::fuzz_target;

fn registry() -> Registry {
    let mut r = Registry::default();
    r.sites.insert(
        "S".into(),
        Site { site_id: "S".into(), name: String::new(), lat: 1.35, lon: 103.82, country: "SG".into(), radius_km: 30.0, licence: String::new() },
    );
    r.landmarks.insert(
        "A".into(),
        Landmark {
            landmark_id: "A".into(),
            operator: "x".into(),
            lat: 1.37,
            lon: 103.83,
            country: "SG".into(),
            public_key: "79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664".into(),
            address: None,
            overhead_ms: 0.0,
        },
    );
    r.chips.insert(
        "GPU-1".into(),
        Chip {
            serial: "GPU-1".into(),
            model: "m".into(),
            public_key: "79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664".into(),
            site: "S".into(),
            t_proc_min_ms: 0.0,
            t_proc_max_ms: 1.0,
            measurement: None,
        },
    );
    r
}

fuzz_target!(|data: &[u8]| {
    let _ = read_msg(&mut &data[..], "fuzz");
    if let Ok(sts) = serde_json::from_slice::<Vec<Statement>>(data) {
        if let Ok(v) = verify(&registry(), "GPU-1", &sts, &History::default(), &Policy::default(), jiff::Timestamp::now(), None) {
            // nothing a fuzzer writes carries a valid landmark signature
            assert_ne!(v.result, Outcome::Pass);
        }
    }
});
