#!/usr/bin/env bash
# Classification speed of chiptrace-rules: the whole chip catalog classified
# on one date, many times (release build). Target: < 50 ms per catalog pass.
#
#   scripts/bench-classify.sh [DATE] [RUNS]      (defaults: 2026-11-29, 200)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p chiptrace-rules --example bench_catalog
exec target/release/examples/bench_catalog "$@"
