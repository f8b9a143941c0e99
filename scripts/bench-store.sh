#!/usr/bin/env bash
# Scale benchmark of the system of record (chiptrace-store), release build:
# list import, N synthetic parties imported (audit append rate), first full
# screening, a list update (+50 / -20 / ~10 entries) and the incremental
# re-screen, then `audit verify` over the whole log. Prints each figure next
# to its target: re-screen 1M parties < 5 min on 2 cores, audit append
# ≥ 20,000 events/s, verify 1M events < 30 s.
#
#   scripts/bench-store.sh [PARTIES] [EXTRA ARGS...]     (default 1000000)
#
# The data directory target/bench-store/<PARTIES> is recreated on each run.
# Extra arguments go to the example, e.g. --all-lists (every list under
# ../shared/data/lists instead of the BIS Entity List), --no-verify,
# --breakdown (replay the re-screen's parts outside the store), --batch N.
# On a machine with more than 2 cores, RAYON_NUM_THREADS=2 matches the target.
set -euo pipefail
cd "$(dirname "$0")/.."
parties="${1:-1000000}"
[[ $# -gt 0 ]] && shift
dir="target/bench-store/${parties}"
cargo build --release -q -p chiptrace-store --example bench_store
rm -rf "$dir"
mkdir -p "$dir"
exec target/release/examples/bench_store --parties "$parties" --dir "$dir" "$@"
