//! Fuzz the chip spec parser and the classifier behind it: any bytes must
//! give a spec or a field-named error, and any spec must classify on any
//! rule version without panicking.
//!
//! Run: `cargo fuzz run chip_spec --sanitizer none`.

#![no_main]

use std::sync::OnceLock;

use chiptrace_rules::{Catalog, ChipSpec, RuleSet};
use libfuzzer_sys::fuzz_target;

static DATA: OnceLock<(RuleSet, Catalog)> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let (rules, catalog) = DATA.get_or_init(|| {
        (RuleSet::embedded().expect("rules"), Catalog::embedded().expect("catalog"))
    });
    let Ok(text) = std::str::from_utf8(data) else { return };
    let resolve = |n: &str| catalog.spec_for(n);
    if let Ok(spec) = ChipSpec::from_json(text, &resolve) {
        for d in ["2022-10-07", "2023-11-17", "2024-12-02", "2026-11-29"] {
            let date = chiptrace_rules::parse_date("d", d).expect("date");
            let _ = chiptrace_rules::classify(rules, &spec, date);
        }
    }
});
