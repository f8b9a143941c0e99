#!/usr/bin/env python3
"""chiptrace speed (and optional quality) benchmark against a brute-force baseline.

In one run:
  1. builds `chiptrace` and `chiptrace-eval` in release;
  2. writes a query file (evaluation positives, hard negatives, fictional
     customer names) with `chiptrace-eval queries`;
  3. times `chiptrace screen` end to end on it (wall clock, peak RSS of the
     child process) and runs `chiptrace-eval bench` for the in-process figures
     (index build, single-query p50/p99, batch throughput, peak RSS);
  4. runs the baseline: rapidfuzz `fuzz.token_set_ratio` of every query
     against every listed name (all names and aliases of all lists, from
     `chiptrace-eval dump-names`) with `process.cdist(..., workers=-1)`, on a
     subset when the full set would take too long (the figure is then
     extrapolated, and the output says so);
  5. prints both throughputs, their ratio, and each figure against its target.

With --quality it also scores the evaluation pairs with rapidfuzz
token_set_ratio at its best threshold and prints per-category F1 beside
chiptrace's (from `chiptrace-eval report --json`).

Only the Python standard library is needed to start; rapidfuzz (and numpy,
which its cdist returns) is installed into target/bench-venv by the script.

Usage: python3 scripts/bench.py [--lists DIR] [--queries N] [--baseline-max N] [--quality]
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "target"
VENV = TARGET / "bench-venv"
WORK = TARGET / "bench"

TARGETS = {
    "build_s": 2.0,
    "batch_qps": 20_000.0,
    "p50_us": 100.0,
    "peak_mb": 500.0,
}


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def run(cmd, **kw):
    log("$ " + " ".join(str(c) for c in cmd))
    try:
        return subprocess.run([str(c) for c in cmd], check=True, **kw)
    except subprocess.CalledProcessError as e:
        if e.stderr:
            sys.stderr.write(e.stderr if isinstance(e.stderr, str) else e.stderr.decode(errors="replace"))
        raise


def ensure_venv():
    py = VENV / "bin" / "python"
    if not py.exists():
        log(f"creating venv {VENV}")
        venv.create(VENV, with_pip=True)
    # rapidfuzz's process.cdist returns a numpy matrix.
    probe = subprocess.run([str(py), "-c", "import rapidfuzz, numpy"], capture_output=True)
    if probe.returncode != 0:
        run([py, "-m", "pip", "install", "--quiet", "rapidfuzz", "numpy"])
    return py


BASELINE_WORKER = r'''
import json, sys, time, csv
from rapidfuzz import fuzz, process
names = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
queries = [r["name"] for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))]
limit = int(sys.argv[3])
sub = queries[:limit]
t = time.perf_counter()
hits = 0
chunk = 256
for i in range(0, len(sub), chunk):
    m = process.cdist(sub[i:i + chunk], names, scorer=fuzz.token_set_ratio,
                      processor=str.lower, workers=-1, dtype="uint8")
    hits += int((m >= 80).sum())
secs = time.perf_counter() - t
print(json.dumps({"queries": len(sub), "names": len(names), "secs": secs, "hits_ge_80": hits}))
'''

QUALITY_WORKER = r'''
import csv, json, sys
from collections import defaultdict
from rapidfuzz import fuzz
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
scores = [fuzz.token_set_ratio(r["name1"].lower(), r["name2"].lower()) / 100.0 for r in rows]
labels = [r["expected"] == "true" for r in rows]
cats = [r["category"] for r in rows]
def metrics(idx, t):
    tp = sum(1 for i in idx if labels[i] and scores[i] >= t)
    fp = sum(1 for i in idx if not labels[i] and scores[i] >= t)
    fn = sum(1 for i in idx if labels[i] and scores[i] < t)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if tp else 0.0
    return p, r, f1
targeted = [i for i in range(len(rows)) if cats[i] != "han_brand"]
best = max((metrics(targeted, t / 100.0)[2], t / 100.0) for t in range(30, 101))
t = best[1]
out = {"threshold": t, "overall": dict(zip(("precision", "recall", "f1"), metrics(targeted, t))), "categories": {}}
by = defaultdict(list)
for i, c in enumerate(cats):
    by[c].append(i)
for c, idx in by.items():
    out["categories"][c] = dict(zip(("precision", "recall", "f1"), metrics(idx, t)))
print(json.dumps(out))
'''


def status(ok):
    return "PASS" if ok else "FAIL"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lists", default=str(ROOT.parent / "shared" / "data" / "lists"))
    ap.add_argument("--queries", type=int, default=20_000, help="rows in the query file")
    ap.add_argument("--baseline-max", type=int, default=2_000,
                    help="queries the baseline actually runs (the rest is extrapolated)")
    ap.add_argument("--iters", type=int, default=3)
    ap.add_argument("--quality", action="store_true", help="also compare quality on the evaluation pairs")
    ap.add_argument("--no-build", action="store_true")
    a = ap.parse_args()

    lists = Path(a.lists)
    if not lists.is_dir():
        sys.exit(f"list directory not found: {lists}")
    WORK.mkdir(parents=True, exist_ok=True)
    if not a.no_build:
        run(["cargo", "build", "--release", "-p", "chiptrace-cli", "-p", "chiptrace-eval"], cwd=ROOT)
    chiptrace = TARGET / "release" / "chiptrace"
    ev = TARGET / "release" / "chiptrace-eval"
    py = ensure_venv()

    qfile = WORK / "queries.csv"
    names = WORK / "names.txt"
    run([ev, "queries", "--lists", lists, "--out", qfile, "--n", a.queries])
    run([ev, "dump-names", "--lists", lists, "--out", names])

    # chiptrace end to end (CLI: load lists, build index, screen, write CSV).
    rfile = WORK / "results.csv"
    # A fresh interpreter runs the CLI so that RUSAGE_CHILDREN sees only it
    # (this process's own children include cargo and rustc).
    measure = ("import resource, subprocess, sys, time, json; t = time.perf_counter(); "
               "subprocess.run(sys.argv[1:], check=True); s = time.perf_counter() - t; "
               "print(json.dumps({'secs': s, 'peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))")
    m = json.loads(run([sys.executable, "-c", measure, chiptrace, "screen", "--lists", lists,
                        "--input", qfile, "--output", rfile], capture_output=True, text=True).stdout)
    cli_secs, cli_peak, cli_peak_note = m["secs"], m["peak_mb"], ""
    with open(rfile, encoding="utf-8") as f:
        cli_hits = sum(1 for _ in f) - 1

    # chiptrace in-process figures.
    out = run([ev, "bench", "--lists", lists, "--queries", qfile, "--iters", a.iters, "--json"],
              capture_output=True, text=True).stdout
    b = json.loads(out)

    # Baseline.
    worker = WORK / "baseline_worker.py"
    worker.write_text(BASELINE_WORKER)
    n_base = min(a.baseline_max, a.queries)
    out = run([py, worker, names, qfile, n_base], capture_output=True, text=True).stdout
    base = json.loads(out)
    base_qps = base["queries"] / base["secs"]
    extrapolated = base["queries"] < a.queries

    cli_qps = a.queries / cli_secs
    print()
    print(f"chiptrace benchmark — {b['entries']} entries, {b['names']} names "
          f"({base['names']} distinct), {a.queries} queries, {os.cpu_count()} cores")
    print()
    print("| measure | value | target | status |")
    print("|---|--:|---|---|")
    print(f"| index build (in-process, best of {a.iters}) | {b['build_s']:.3f} s | < {TARGETS['build_s']} s | {status(b['build_s'] < TARGETS['build_s'])} |")
    print(f"| batch throughput (in-process, {b['threads']} threads) | {b['batch_qps']:,.0f} q/s | >= {TARGETS['batch_qps']:,.0f} q/s | {status(b['batch_qps'] >= TARGETS['batch_qps'])} |")
    print(f"| single query p50 (in-process, 1 thread) | {b['single_p50_us']:.1f} µs | < {TARGETS['p50_us']:.0f} µs | {status(b['single_p50_us'] < TARGETS['p50_us'])} |")
    print(f"| single query p99 | {b['single_p99_us']:.1f} µs | – | – |")
    if b.get("peak_rss_mb") is not None:
        print(f"| peak RSS (in-process bench) | {b['peak_rss_mb']:.0f} MB | < {TARGETS['peak_mb']:.0f} MB | {status(b['peak_rss_mb'] < TARGETS['peak_mb'])} |")
    print(f"| peak RSS (`chiptrace screen` CLI){cli_peak_note} | {cli_peak:.0f} MB | < {TARGETS['peak_mb']:.0f} MB | {status(cli_peak < TARGETS['peak_mb'])} |")
    print(f"| `chiptrace screen` end to end (load + build + screen + write) | {cli_secs:.2f} s = {cli_qps:,.0f} q/s | – | – |")
    print(f"| baseline rapidfuzz token_set_ratio, cdist workers=-1 | {base_qps:,.1f} q/s | – | – |")
    print()
    ext = (f" (baseline ran {base['queries']} of {a.queries} queries in {base['secs']:.1f} s; "
           f"its full-file time is EXTRAPOLATED: {a.queries / base_qps:,.0f} s)") if extrapolated else ""
    print(f"throughput ratio chiptrace batch / baseline: {b['batch_qps'] / base_qps:,.1f}x{ext}")
    print(f"throughput ratio chiptrace CLI end-to-end / baseline: {cli_qps / base_qps:,.1f}x")
    print(f"hits: chiptrace CLI {cli_hits} rows; in-process batch {b['batch_hits']}; "
          f"baseline pairs scoring >= 80 on its subset: {base['hits_ge_80']}")

    if a.quality:
        pairs = WORK / "pairs.csv"
        run([ev, "generate", "--lists", lists, "--out", pairs])
        rep = json.loads(run([ev, "report", "--lists", lists, "--json", "--failures", "0"],
                             capture_output=True, text=True).stdout)
        qw = WORK / "quality_worker.py"
        qw.write_text(QUALITY_WORKER)
        rq = json.loads(run([py, qw, pairs], capture_output=True, text=True).stdout)
        print()
        print(f"quality on the evaluation pairs: chiptrace at {rep['threshold']:.2f}, "
              f"rapidfuzz token_set_ratio at its best overall-F1 threshold {rq['threshold']:.2f}")
        print()
        print("| category | chiptrace P | R | F1 | baseline P | R | F1 |")
        print("|---|--:|--:|--:|--:|--:|--:|")
        fmt = lambda v: "–" if v is None else f"{v:.3f}"
        for c in rep["categories"] + [rep["overall"]]:
            bc = rq["overall"] if c["category"] == "overall" else rq["categories"].get(c["category"], {})
            print(f"| {c['category']} | {fmt(c['precision'])} | {fmt(c['recall'])} | {fmt(c['f1'])} | "
                  f"{fmt(bc.get('precision'))} | {fmt(bc.get('recall'))} | {fmt(bc.get('f1'))} |")


if __name__ == "__main__":
    main()
