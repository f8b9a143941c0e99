//! Location verification of deployed chips from signed round-trip delays to
//! landmarks (`docs/location-verification.md`).
//!
//! The physics: a signed answer cannot travel faster than light, so the
//! minimum round-trip time (RTT) a landmark measures on its own clock bounds
//! how far away the answering chip can be:
//! `d ≤ c × (RTT_min − t_proc_min) / 2`, with `c` the speed of light in
//! vacuum and `t_proc_min` a certified *lower* bound on the chip's signing
//! time. A prover can add delay (hold the answer, relay it) but never remove
//! it, so only upper bounds are trusted.
//!
//! Pieces:
//! - [`proto`]: the wire messages (length-prefixed JSON frames, bounded), the
//!   bytes a chip signs and the landmark's signed statement;
//! - [`landmark`]: the landmark server (times k challenges, keeps the minimum);
//! - [`agent`]: the chip agent (answers challenges with the device key and a
//!   monotonic counter);
//! - [`forward`]: a user-space delay forwarder, standing in for distance in
//!   labs and tests (the kernel here has no `sch_netem`);
//! - [`registry`]: chips, licensed sites and landmarks, from CSV files;
//! - [`verdict`]: checks every signature, counter and nonce, turns RTTs into
//!   discs, intersects them and decides pass / fail / inconclusive, with the
//!   reasons.

pub mod agent;
pub mod error;
pub mod forward;
pub mod keys;
pub mod landmark;
pub mod map;
pub mod proto;
pub mod registry;
pub mod verdict;

pub use error::{Error, Result};

/// Version of the verification engine, recorded with every verdict.
pub const ENGINE_VERSION: &str = concat!("chiptrace-lv/", env!("CARGO_PKG_VERSION"));

/// Speed of light in vacuum, km per millisecond. The only speed used for the
/// sound distance bound (location-verification.md §2: microwave and
/// hollow-core links approach c, so nothing slower is safe).
pub const C_KM_PER_MS: f64 = 299.792_458;

/// Signal speed in silica fibre (group index ≈ 1.468), km per millisecond:
/// the realistic *estimate* reported beside the bound, never used to decide.
pub const FIBRE_KM_PER_MS: f64 = C_KM_PER_MS / 1.468;
