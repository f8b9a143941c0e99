#!/usr/bin/env bash
# Short libFuzzer run of every fuzz target (parsers and the normaliser).
# Kept out of CI's critical path (engineering.md §3.9); run it before a
# release or after touching a parser.
#
#   scripts/fuzz-smoke.sh [SECONDS_PER_TARGET]     (default 30)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). On a stable toolchain the
# sanitizer must be off (`--sanitizer none`): libFuzzer's coverage guidance
# still works; AddressSanitizer needs nightly. Any crash is saved under
# fuzz/artifacts/<target>/ and makes this script exit non-zero.
set -euo pipefail
SECS="${1:-30}"
cd "$(dirname "$0")/../fuzz"
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is not installed: cargo install cargo-fuzz" >&2; exit 2; }
status=0
for t in $(cargo fuzz list); do
  echo "== $t (${SECS}s)"
  if ! cargo fuzz run "$t" --sanitizer none -- -max_total_time="$SECS" -rss_limit_mb=2048 2>&1 | grep -E "^Done|ERROR|panicked|SUMMARY"; then
    status=1
  fi
  if [ -d "artifacts/$t" ] && [ -n "$(ls -A "artifacts/$t" 2>/dev/null)" ]; then
    echo "!! crash artifacts in fuzz/artifacts/$t" >&2
    status=1
  fi
done
exit "$status"
