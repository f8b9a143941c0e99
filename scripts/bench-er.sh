#!/usr/bin/env bash
# Entity-resolution benchmark: splink (Python, DuckDB backend) and chiptrace
# (crates/chiptrace-er, release build) on the same FEBRL files in one run,
# then chiptrace alone on generated company clusters. Prints the JSON lines
# of both systems and a side-by-side table (precision, recall, F1, seconds,
# pairs compared, and chiptrace/splink ratios).
#
#   scripts/bench-er.sh [--only febrl4|febrl1|febrl2|febrl3] [--seed S]
#
# splink is installed into target/bench-venv-er (created on first use,
# reused afterwards) at the pinned versions below. The FEBRL files are read
# from ../shared/data/er/febrl (override with FEBRL_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
SPLINK_VERSION=5.0.0
DUCKDB_VERSION=2.0.1
febrl="${FEBRL_DIR:-../shared/data/er/febrl}"
only=""
seed=42
while [[ $# -gt 0 ]]; do
  case "$1" in
    --only) only="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
for f in dataset1.csv dataset2.csv dataset3.csv dataset4a.csv dataset4b.csv; do
  [[ -f "$febrl/$f" ]] || { echo "missing $febrl/$f" >&2; exit 2; }
done

venv=target/bench-venv-er
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import splink, duckdb, sys; sys.exit(0 if (splink.__version__, duckdb.__version__) == ('$SPLINK_VERSION', '$DUCKDB_VERSION') else 1)" 2>/dev/null; then
  "$venv/bin/pip" install -q "splink==$SPLINK_VERSION" "duckdb==$DUCKDB_VERSION"
fi

cargo build --release -q -p chiptrace-er --example bench_er
bench="${CARGO_TARGET_DIR:-target}/release/examples/bench_er"

out=$(mktemp)
trap 'rm -f "$out"' EXIT
only_args=()
[[ -n "$only" ]] && only_args=(--only "$only")
echo "# splink $SPLINK_VERSION + duckdb $DUCKDB_VERSION" >&2
"$venv/bin/python" scripts/bench_er_splink.py "$febrl" "${only_args[@]}" 2>/dev/null | tee -a "$out"
echo "# chiptrace-er (release)" >&2
if [[ -n "$only" ]]; then
  "$bench" --febrl "$febrl" --only "$only" | tee -a "$out"
else
  for d in febrl4 febrl1 febrl2 febrl3; do "$bench" --febrl "$febrl" --only "$d" | tee -a "$out"; done
  "$bench" --only companies --seed "$seed" | tee -a "$out"
fi

python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
by = {}
for r in rows:
    by.setdefault(r["dataset"], {})[r["system"]] = r
def f(x, fmt):
    return "-" if x is None else format(x, fmt)
print()
print(f"{'dataset':<18} {'system':<10} {'precision':>9} {'recall':>8} {'F1':>8} {'seconds':>8} {'pairs':>9}")
for ds, s in by.items():
    for sysname in ("splink", "chiptrace"):
        r = s.get(sysname)
        if r:
            print(f"{ds:<18} {sysname:<10} {r['precision']:>9.4f} {r['recall']:>8.4f} {r['f1']:>8.4f} "
                  f"{r['seconds']:>8.2f} {f(r.get('pairs_compared'), 'd'):>9}")
    if "splink" in s and "chiptrace" in s:
        a, b = s["chiptrace"], s["splink"]
        ratio = lambda k: (a[k] / b[k]) if b.get(k) else None
        print(f"{'':<18} {'ratio c/s':<10} {f(ratio('precision'), '.4f'):>9} {f(ratio('recall'), '.4f'):>8} "
              f"{f(ratio('f1'), '.4f'):>8} {f(ratio('seconds'), '.3f'):>8} {f(ratio('pairs_compared'), '.3f'):>9}")
    if "chiptrace" in s and s["chiptrace"].get("cluster_f1") is not None:
        print(f"{'':<18} {'':<10} chiptrace cluster F1 {s['chiptrace']['cluster_f1']:.4f}")
PY
