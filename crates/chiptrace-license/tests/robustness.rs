//! Bad input never panics: random bytes and mutations of real transaction
//! and spec documents go through the parsers and, when they parse, through
//! classification and the licence engine on several dates. (The cargo-fuzz
//! targets `chip_spec` and `transaction` do the same, longer, outside CI.)

#![allow(clippy::unwrap_used)]

use chiptrace_license::{Transaction, decide};
use chiptrace_rules::{Catalog, ChipSpec, RuleSet, classify, parse_date};
use proptest::prelude::*;

const SEEDS: &[&str] = &[
    include_str!("../../../docs/examples/tx-rtx4090-china.json"),
    include_str!("../../../docs/examples/tx-h100-singapore-cn-parent.json"),
    include_str!("../../../docs/examples/spec-accelerator.json"),
];

fn run(rules: &RuleSet, catalog: &Catalog, text: &str) {
    let resolve = |n: &str| catalog.spec_for(n);
    for d in ["2022-10-07", "2023-11-17", "2024-12-02", "2026-11-29"] {
        let date = parse_date("d", d).unwrap();
        if let Ok(tx) = Transaction::from_json(text, &resolve) {
            let _ = decide(rules, &tx, date);
        }
        if let Ok(spec) = ChipSpec::from_json(text, &resolve) {
            let _ = classify(rules, &spec, date);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes(data in proptest::collection::vec(any::<u8>(), 0..400)) {
        let rules = RuleSet::embedded().unwrap();
        let catalog = Catalog::embedded().unwrap();
        run(&rules, &catalog, &String::from_utf8_lossy(&data));
    }

    #[test]
    fn mutated_documents(seed in 0..SEEDS.len(), edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
        let rules = RuleSet::embedded().unwrap();
        let catalog = Catalog::embedded().unwrap();
        let mut b = SEEDS[seed].as_bytes().to_vec();
        for (pos, byte) in edits {
            let i = pos % b.len();
            // replace, delete or insert, driven by the byte
            match byte % 3 {
                0 => b[i] = byte,
                1 => { b.remove(i); }
                _ => b.insert(i, b"0123456789-.e\"{}[]:,"[usize::from(byte) % 20]),
            }
        }
        run(&rules, &catalog, &String::from_utf8_lossy(&b));
    }
}

#[test]
fn seeds_parse_and_decide() {
    // the mutation seeds themselves must be valid, or the property above
    // would only exercise error paths
    let rules = RuleSet::embedded().unwrap();
    let catalog = Catalog::embedded().unwrap();
    let resolve = |n: &str| catalog.spec_for(n);
    let date = parse_date("d", "2026-11-29").unwrap();
    for s in &SEEDS[..2] {
        let tx = Transaction::from_json(s, &resolve).unwrap();
        let d = decide(&rules, &tx, date).unwrap();
        assert_eq!(d.license_required, chiptrace_license::Answer::Yes);
    }
    let spec = ChipSpec::from_json(SEEDS[2], &resolve).unwrap();
    let c = classify(&rules, &spec, date).unwrap();
    assert_eq!(c.tpp.unwrap().to_string(), "4000");
}
