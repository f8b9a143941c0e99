//! Integration tests of chiptrace-lists, compiled as one test binary (see
#![allow(clippy::unwrap_used)] // tests may unwrap freely; failures are the point
//! engineering.md §2.8). Real list data is read by path from the shared
//! data folder (`shared/data/lists`, beside the repository), never copied
//! into the repository.

#[path = "integration/bad_input.rs"]
mod bad_input;
#[path = "integration/detection.rs"]
mod detection;
#[path = "integration/fixtures.rs"]
mod fixtures;
#[path = "integration/fuzz.rs"]
mod fuzz;
#[path = "integration/real_data.rs"]
mod real_data;
#[path = "integration/support.rs"]
mod support;
