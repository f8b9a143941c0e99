#!/usr/bin/env bash
# Location-verification benchmark: landmark challenges/s on loopback, one
# verification round against 5 landmarks beyond the emulated delays, and the
# verdict computation. Release build. Usage: scripts/bench-lv.sh [--seconds S] [--agents N] [--rounds K]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p chiptrace-lv --example bench_lv -- "$@"
