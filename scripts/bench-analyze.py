#!/usr/bin/env python3
"""Scale benchmark of `chiptrace analyze --ledger` (issue 5): generate
ledgers of 10k, 100k and 1M orders (with their shipments, payments and
serial events), analyse each with the real lists, and print wall time,
peak memory, the time per stage and the cost per order (the growth curve).

    python3 scripts/bench-analyze.py [--sizes 10000,100000,1000000] [--no-lists]

Targets: 1M orders in < 60 s on 2 cores and < 4 GB; near-linear growth.
"""
import argparse, json, os, resource, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LISTS = os.path.join(ROOT, "..", "shared", "data", "lists")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--no-lists", action="store_true")
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "chiptrace-cli"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "chiptrace")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(x) for x in a.sizes.split(",")]:
            d = os.path.join(tmp, f"l{n}")
            t = time.time()
            subprocess.run([exe, "gen-ledger", "--seed", str(a.seed), "--orders", str(n), "--out", d], check=True, stdout=subprocess.DEVNULL)
            gen_s = time.time() - t
            size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
            out = os.path.join(tmp, f"a{n}.json")
            cmd = [exe, "analyze", "--ledger", d, "--format", "json", "--out", out]
            if not a.no_lists:
                cmd += ["--lists", LISTS]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.time()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall = time.time() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            # ru_maxrss of children is the largest child so far (KiB on Linux)
            rss_mb = after.ru_maxrss / 1024
            res = json.load(open(out))
            stages = {s["stage"]: round(s["seconds"], 2) for s in res["timings_s"]}
            rows.append((n, size, gen_s, wall, cpu, rss_mb, stages, res["summary"]["orders_by_action"]))
            print(f"{n:>9} orders ({size/1e6:.0f} MB of CSV): generated in {gen_s:.1f} s; analysed in {wall:.1f} s wall, {cpu:.1f} s CPU, peak {rss_mb:.0f} MB; stages {stages}", flush=True)
    print()
    print(f"{'orders':>9} {'wall s':>8} {'CPU s':>7} {'peak MB':>8} {'us/order':>9} {'vs first':>9}")
    base = rows[0][3] / rows[0][0]
    for n, size, gen_s, wall, cpu, rss, st, act in rows:
        per = wall / n
        print(f"{n:>9} {wall:>8.1f} {cpu:>7.1f} {rss:>8.0f} {per*1e6:>9.1f} {per/base:>8.2f}x")
    big = rows[-1]
    print(f"\ntargets at {big[0]} orders: wall {big[3]:.1f} s (< 60 s: {'met' if big[3] < 60 else 'NOT met'}), peak {big[5]:.0f} MB (< 4096 MB: {'met' if big[5] < 4096 else 'NOT met'})")


if __name__ == "__main__":
    sys.exit(main())
