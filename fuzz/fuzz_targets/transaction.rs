//! Fuzz the transaction parser and the licence engine: any bytes must give a
//! decision or a field-named error, never a panic.
//!
//! Run: `cargo fuzz run transaction --sanitizer none`.

#![no_main]

use std::sync::OnceLock;

use chiptrace_license::Transaction;
use chiptrace_rules::{Catalog, RuleSet};
use libfuzzer_sys::fuzz_target;

static DATA: OnceLock<(RuleSet, Catalog)> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let (rules, catalog) = DATA.get_or_init(|| {
        (RuleSet::embedded().expect("rules"), Catalog::embedded().expect("catalog"))
    });
    let Ok(text) = std::str::from_utf8(data) else { return };
    let resolve = |n: &str| catalog.spec_for(n);
    if let Ok(tx) = Transaction::from_json(text, &resolve) {
        let date = chiptrace_rules::parse_date("d", "2026-11-29").expect("date");
        let _ = chiptrace_license::decide(rules, &tx, date);
    }
});
