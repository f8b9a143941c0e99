//! Fuzz the name normaliser: any bytes (as lossy UTF-8) through
//! `analyze_name` for every name type, plus the string helpers. Checks the
//! invariants the screening crate relies on, not just "no panic".
//!
//! Run (stable toolchain): `cargo fuzz run normalize --sanitizer none`

#![no_main]

use chiptrace_text::{
    NameType, analyze_name, country_code, normalize_basic, phonetic_key, skeleton,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    for ty in [NameType::Person, NameType::Organization, NameType::Any] {
        let forms = analyze_name(&s, ty);
        assert!(forms.len() <= 8);
        for (i, f) in forms.iter().enumerate() {
            assert!(f.tokens.len() <= 64);
            for t in &f.tokens {
                assert!(!t.text.is_empty());
                assert!(
                    t.text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                    "{:?}",
                    t.text
                );
                let _ = phonetic_key(&t.text);
            }
            assert!(forms[i + 1..].iter().all(|g| g.tokens != f.tokens), "duplicate form");
        }
    }
    let n = normalize_basic(&s);
    assert_eq!(normalize_basic(&n), n, "normalize_basic is not idempotent");
    let _ = skeleton(&s);
    let _ = country_code(&s);
});
