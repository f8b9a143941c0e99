#!/usr/bin/env python3
"""Detection quality of `chiptrace analyze --ledger` on generated ledgers
(issue 5): per injected-scheme recall and order precision (an order counts
as flagged when held or blocked), and the worst action on benign
look-alikes, for development seeds and for held-out seeds that were never
looked at while the rules were written.

    python3 scripts/eval-detection.py [--orders 5000] [--dev 1,2,3] [--heldout 201,202,203,204,205]

Targets: every scheme kind recall >= 0.95, precision >= 0.8, benign
look-alikes never held or blocked.
"""
import argparse, json, os, subprocess, sys, tempfile
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LISTS = os.path.join(ROOT, "..", "shared", "data", "lists")


def run(exe, seed, orders, tmp):
    d = os.path.join(tmp, f"s{seed}-{orders}")
    subprocess.run([exe, "gen-ledger", "--seed", str(seed), "--orders", str(orders), "--out", d], check=True, stdout=subprocess.DEVNULL)
    out = os.path.join(tmp, f"a{seed}-{orders}.json")
    subprocess.run([exe, "analyze", "--ledger", d, "--lists", LISTS, "--truth", os.path.join(d, "truth.json"), "--format", "json", "--out", out],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return json.load(open(out))["evaluation"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=5000)
    ap.add_argument("--dev", default="1,2,3")
    ap.add_argument("--heldout", default="201,202,203,204,205")
    ap.add_argument("--large", type=int, default=100000, help="also one held-out ledger of this many orders (0: skip)")
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "chiptrace-cli"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "chiptrace")
    runs = [("dev", int(s), a.orders) for s in a.dev.split(",") if s] + [("held-out", int(s), a.orders) for s in a.heldout.split(",") if s]
    if a.large:
        runs.append(("held-out", 206, a.large))
    ok = True
    kinds = defaultdict(lambda: [0, 0])
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'set':<9} {'seed':>5} {'orders':>7} {'precision':>9} {'flagged':>7} {'min recall':>10}  benign worst")
        for label, seed, n in runs:
            e = run(exe, seed, n, tmp)
            rec = {k: v["recall"] for k, v in e["by_kind"].items()}
            for k, v in e["by_kind"].items():
                kinds[(label, k)][0] += v["flagged"]
                kinds[(label, k)][1] += v["orders"]
            benign = max((b["worst_action"] for b in e["benign_lookalikes"]), key=["record", "inquire", "hold", "block"].index)
            worst_kind = min(rec, key=rec.get)
            print(f"{label:<9} {seed:>5} {n:>7} {e['precision']:>9.3f} {e['flagged']:>7} {rec[worst_kind]:>10.2f}  {benign}"
                  + (f"   (lowest: {worst_kind})" if rec[worst_kind] < 1 else ""))
            ok &= e["precision"] >= 0.8 and min(rec.values()) >= 0.95 and benign in ("record", "inquire")
    print("\nrecall per scheme kind (orders flagged / scheme orders, all seeds of the set):")
    for (label, k), (f, n) in sorted(kinds.items()):
        print(f"  {label:<9} {k:<34} {f:>4}/{n:<4} = {f / max(n, 1):.3f}")
    print("\nall targets met" if ok else "\nTARGETS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
