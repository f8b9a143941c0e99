//! Fuzz the chiptrace-lists `ListJson` parser through `parse_bytes`.
//!
//! Run (stable toolchain): `cargo fuzz run list_json --sanitizer none`;
//! seed the corpus with files from `shared/data/lists`.

#![no_main]

use chiptrace_lists::Format;
use libfuzzer_sys::fuzz_target;

#[path = "lists_common.rs"]
mod lists_common;

fuzz_target!(|data: &[u8]| {
    lists_common::check(Format::ListJson, data);
});
