//! Robustness: random bytes and mutated real files through every parser.
//! Any result is fine except a panic (the cargo-fuzz targets in `fuzz/` do
//! the same without limits).

use chiptrace_lists::{CustomCsvMapping, Format, LoadOptions, parse_bytes};
use proptest::prelude::*;

use crate::support::{data, ftm_sample};

fn options(strict: bool) -> LoadOptions {
    LoadOptions {
        strict,
        mapping: Some(CustomCsvMapping::new("name")),
        // Small, so the over-long-field paths are exercised too.
        max_field_bytes: 256,
    }
}

/// Feed `bytes` to every parser; the only failure is a panic.
fn all_parsers(bytes: &[u8]) {
    for f in Format::ALL {
        for strict in [false, true] {
            let _ = parse_bytes(f, bytes, &options(strict));
        }
    }
}

/// Deterministic xorshift, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that matter to the parsers.
const SPICE: &[&[u8]] = &[
    b"\"",
    b",",
    b"\n",
    b"\r\n",
    b";",
    b"(",
    b")",
    b"[",
    b"]",
    b"{",
    b"}",
    b"<",
    b">",
    b"</",
    b"&",
    b"&#0;",
    b"&#x110000;",
    b"-0- ",
    b"a.k.a. '",
    b"; and ",
    b"\x1a",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3",
    b"\0",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"\\u0000",
    b"\\",
    b"'",
    b"\t",
];

fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..1 + rng.below(8) {
        match rng.below(6) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] = (rng.next() & 0xff) as u8;
            }
            1 => {
                let i = rng.below(v.len() + 1);
                let s = SPICE[rng.below(SPICE.len())];
                v.splice(i..i, s.iter().copied());
            }
            2 if !v.is_empty() => {
                let i = rng.below(v.len());
                let j = (i + rng.below(64)).min(v.len());
                v.drain(i..j);
            }
            3 if !v.is_empty() => {
                // Truncate.
                let i = rng.below(v.len());
                v.truncate(i);
            }
            4 if v.len() > 2 => {
                // Duplicate a slice.
                let i = rng.below(v.len());
                let j = (i + rng.below(200)).min(v.len());
                let piece = v[i..j].to_vec();
                let k = rng.below(v.len());
                v.splice(k..k, piece);
            }
            _ => {}
        }
    }
    v
}

#[test]
fn mutated_real_files_never_panic() {
    let seeds: Vec<Vec<u8>> = [
        data("us_restricted_party_lists_2026-07/bis_entity_list.json"),
        data("ofac_sdn_2024-05-03/sdn.csv"),
        data("ofac_consolidated_nonsdn_2025-12/cons_prim.csv"),
        data("un_consolidated_2026-02-27/UN_consolidated.xml"),
        data("us_csl_format_samples/consolidated_sample_2025-06.csv"),
        data("us_csl_format_samples/csl_sample_2019-12.csv"),
        ftm_sample(),
    ]
    .iter()
    .map(|p| {
        let b = std::fs::read(p).expect("read seed");
        // The first 6 KiB: a handful of whole records plus a cut one.
        b[..b.len().min(6 * 1024)].to_vec()
    })
    .collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for seed in &seeds {
        all_parsers(seed);
        for _ in 0..60 {
            let m = mutate(seed, &mut rng);
            all_parsers(&m);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        all_parsers(&bytes);
    }

    #[test]
    fn random_text_never_panics(text in "[a-zA-Z0-9 ,;:()\\[\\]{}<>\"'&./\\-\n\r\t]{0,300}") {
        all_parsers(text.as_bytes());
    }

    #[test]
    fn alias_phrases_never_panic(name in "(a\\.k\\.a\\.|f\\.k\\.a\\.|aka|d/b/a|formerly|\\(|\\)|\\[|\\]|; and |, |[A-Z][a-z]{1,6} ){0,12}") {
        let json = serde_json::json!({"list_id": "bis-entity-list", "entities": [{"name": name, "aliases": [name], "country": "China"}]});
        let _ = parse_bytes(Format::ListJson, json.to_string().as_bytes(), &LoadOptions::default());
    }
}
