#!/usr/bin/env python3
"""Regenerate the chip catalog (crates/chiptrace-rules/catalog/chips.csv).

The facts come from ../shared/data/hardware/chips_specs.csv (see its
PROVENANCE.md; Epoch AI data is CC BY 4.0). This script only renames, maps
and annotates them: every number is copied as text, never parsed and
re-printed. The project's own additions (ids, aliases, designer HQ, system
contents, extra notes) are the tables below.

Usage (from the repository root):

    python3 scripts/build-catalog.py [PATH/TO/chips_specs.csv] [--check]

The default input is ../shared/data/hardware/chips_specs.csv relative to the
repository root. --check writes nothing and exits 1 if chips.csv is not what
this script would produce. Only the Python 3 standard library is used.

Checks (any failure exits 2 and writes nothing): every source row is mapped
and every table entry is used; ids are unique slugs; no two rows share a
name (id, model or alias) after normalisation (lowercase, keep only ASCII
letters and digits); no alias repeats its own row's id or model; systems'
`contains` refer to existing ic ids and the source system row's specs equal
the contained IC's; every ic row has a dense throughput or an explanatory
note; every row has sources; numbers are plain decimals; no sparse figure
without its dense counterpart.
"""

import csv
import io
import os
import re
import sys
from decimal import Decimal

HEADER = [
    "id", "vendor", "model", "aliases", "kind", "release_year", "segment",
    "datacenter", "process", "nonplanar", "die_area_mm2", "die_area_basis",
    "fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8", "fp4", "int4",
    "dram_bw_gbs", "chip_link", "chip_link_bidir_gbs", "host_link",
    "host_link_bidir_gbs", "io_bidir_gbs", "contains", "designer_hq", "notes",
    "sources",
]

SOURCE_HEADER = [
    "vendor", "model", "release_year", "segment",
    "designed_or_marketed_for_datacenter", "process", "nonplanar_logic",
    "applicable_die_area_mm2", "die_area_basis", "fp64_tflops", "fp32_tflops",
    "tf32_dense", "tf32_sparse", "fp16_dense", "fp16_sparse", "bf16_dense",
    "bf16_sparse", "fp8_dense", "fp8_sparse", "int8_dense", "int8_sparse",
    "fp4_dense", "fp4_sparse", "int4_dense", "int4_sparse", "memory",
    "mem_bw_gbs", "chip_link", "chip_link_bidir_gbs", "host_link",
    "host_link_bidir_gbs", "io_total_bidir_gbs", "notes", "sources",
]

# catalog column <- source column (copied verbatim)
THROUGHPUT = [
    ("fp64", "fp64_tflops"), ("fp32", "fp32_tflops"), ("tf32", "tf32_dense"),
    ("fp16", "fp16_dense"), ("bf16", "bf16_dense"), ("fp8", "fp8_dense"),
    ("int8", "int8_dense"), ("fp4", "fp4_dense"), ("int4", "int4_dense"),
]
SPEC_COPY = THROUGHPUT + [
    ("process", "process"),
    ("die_area_mm2", "applicable_die_area_mm2"),
    ("die_area_basis", "die_area_basis"),
    ("dram_bw_gbs", "mem_bw_gbs"),
    ("chip_link", "chip_link"),
    ("chip_link_bidir_gbs", "chip_link_bidir_gbs"),
    ("host_link", "host_link"),
    ("host_link_bidir_gbs", "host_link_bidir_gbs"),
    ("io_bidir_gbs", "io_total_bidir_gbs"),
]
SPEC_COLUMNS = [c for c, _ in SPEC_COPY] + ["nonplanar"]
NUMERIC = [c for c, _ in THROUGHPUT] + [
    "die_area_mm2", "dram_bw_gbs", "chip_link_bidir_gbs",
    "host_link_bidir_gbs", "io_bidir_gbs",
]
SPARSE_PAIRS = [(p + "_dense", p + "_sparse")
                for p in ("tf32", "fp16", "bf16", "fp8", "int8", "fp4", "int4")]

# ISO-3166 alpha-2 of the designing company's headquarters; (OEM) -> empty.
DESIGNER_HQ = {
    "NVIDIA": "US", "AMD": "US", "Intel": "US", "Google": "US",
    "Amazon": "US", "Microsoft": "US", "Groq": "US",
    "Huawei": "CN", "Biren": "CN", "Cambricon": "CN", "Moore Threads": "CN",
    "(OEM)": "",
}

# (source vendor, source model) -> (id, aliases). Order = source order.
# Ambiguous bare names (H100, A100, A800, H800, H200, V100, Gaudi 2,
# Gaudi 3, 910B, "HGX H20") go ONLY to the most common variant: the SXM part
# for NVIDIA datacenter GPUs, the OAM/flagship part otherwise (docs/catalog.md).
# "RTX PRO 6000" is deliberately NOT an alias: the Workstation and Max-Q
# editions (not in the catalog) are positioned differently for Note 2.
CHIPS = [
    ("NVIDIA", "Tesla V100 SXM2 16GB", "v100-sxm2-16gb",
     ["Tesla V100 SXM2", "V100 SXM2", "V100 SXM", "Tesla V100", "V100"]),
    ("NVIDIA", "Tesla T4", "t4", []),
    ("NVIDIA", "A100 SXM4 80GB", "a100-sxm4-80gb",
     ["A100 SXM4", "A100 SXM", "A100 SXM 80GB", "A100 80GB", "A100"]),
    ("NVIDIA", "A100 PCIe 80GB", "a100-pcie-80gb", ["A100 PCIe"]),
    ("NVIDIA", "A800 SXM4 80GB", "a800-sxm4-80gb",
     ["A800 SXM4", "A800 SXM", "A800 SXM 80GB", "A800 80GB", "A800"]),
    ("NVIDIA", "A800 PCIe 80GB", "a800-pcie-80gb", ["A800 PCIe"]),
    ("NVIDIA", "A30", "a30", []),
    ("NVIDIA", "A40", "a40", []),
    ("NVIDIA", "A10", "a10", []),
    ("NVIDIA", "H100 SXM5 80GB", "h100-sxm5-80gb",
     ["H100 SXM5", "H100 SXM", "H100 SXM 80GB", "H100 80GB", "H100"]),
    ("NVIDIA", "H100 PCIe 80GB", "h100-pcie-80gb", ["H100 PCIe"]),
    ("NVIDIA", "H100 NVL 94GB", "h100-nvl-94gb", ["H100 NVL"]),
    ("NVIDIA", "H800 SXM5 80GB", "h800-sxm5-80gb",
     ["H800 SXM5", "H800 SXM", "H800 SXM 80GB", "H800 80GB", "H800"]),
    ("NVIDIA", "H800 PCIe 80GB", "h800-pcie-80gb", ["H800 PCIe"]),
    ("NVIDIA", "H200 SXM 141GB", "h200-sxm-141gb",
     ["H200 SXM", "H200 SXM5", "H200 141GB", "H200"]),
    ("NVIDIA", "H200 NVL 141GB", "h200-nvl-141gb", ["H200 NVL"]),
    ("NVIDIA", "HGX H20 96GB", "h20-96gb", ["HGX H20", "H20"]),
    ("NVIDIA", "GH200 (Hopper GPU part)", "gh200",
     ["GH200 Grace Hopper", "Grace Hopper"]),
    ("NVIDIA", "L40", "l40", []),
    ("NVIDIA", "L40S", "l40s", []),
    ("NVIDIA", "L4", "l4", []),
    ("NVIDIA", "L20 48GB", "l20-48gb", ["L20", "L20 PCIe"]),
    ("NVIDIA", "L2 24GB", "l2-24gb", ["L2", "L2 PCIe"]),
    ("NVIDIA", "B100", "b100", []),
    ("NVIDIA", "B200 (HGX)", "b200", ["B200 SXM"]),
    ("NVIDIA", "GB200 (per Blackwell GPU)", "gb200", []),
    ("NVIDIA", "B300 (HGX, Blackwell Ultra)", "b300", ["B300 HGX"]),
    ("NVIDIA", "GB300 (per Blackwell Ultra GPU)", "gb300", []),
    ("NVIDIA", "B30A (rumoured China Blackwell, ESTIMATE)", "b30a", []),
    ("NVIDIA", "RTX PRO 6000 Blackwell Server Edition",
     "rtx-pro-6000-blackwell-server",
     ["RTX PRO 6000 Server", "RTX PRO 6000 Server Edition"]),
    ("NVIDIA", "GeForce RTX 3090", "rtx-3090", ["3090"]),
    ("NVIDIA", "GeForce RTX 4080", "rtx-4080", ["4080"]),
    ("NVIDIA", "GeForce RTX 4090", "rtx-4090", ["4090"]),
    ("NVIDIA", "GeForce RTX 4090D (China)", "rtx-4090d",
     ["GeForce RTX 4090D", "4090D"]),
    ("NVIDIA", "GeForce RTX 5080", "rtx-5080", ["5080"]),
    ("NVIDIA", "GeForce RTX 5090", "rtx-5090", ["5090"]),
    ("NVIDIA", "GeForce RTX 5090D (China)", "rtx-5090d",
     ["GeForce RTX 5090D", "5090D"]),
    ("NVIDIA", "GeForce RTX 5090D V2 (China)", "rtx-5090d-v2",
     ["GeForce RTX 5090D V2", "5090D V2"]),
    ("NVIDIA", "RTX 6000 Ada Generation", "rtx-6000-ada", []),
    ("AMD", "Instinct MI210", "mi210", []),
    ("AMD", "Instinct MI250", "mi250", []),
    ("AMD", "Instinct MI250X", "mi250x", []),
    ("AMD", "Instinct MI300A", "mi300a", []),
    ("AMD", "Instinct MI300X", "mi300x", []),
    ("AMD", "Instinct MI308X (China SKU)", "mi308x", ["Instinct MI308X"]),
    ("AMD", "Instinct MI325X", "mi325x", []),
    ("AMD", "Instinct MI350X", "mi350x", []),
    ("AMD", "Instinct MI355X", "mi355x", []),
    ("Intel", "Gaudi 2 (HL-225H OAM)", "gaudi2-hl-225h", ["Gaudi 2", "HL-225H"]),
    ("Intel", "Gaudi 2 HL-225B (China, REPORTED reduced ports)",
     "gaudi2-hl-225b", ["HL-225B"]),
    ("Intel", "Gaudi 3 (HL-325L OAM)", "gaudi3-hl-325l", ["Gaudi 3", "HL-325L"]),
    ("Google", "TPU v5e", "tpu-v5e", []),
    ("Google", "TPU v5p", "tpu-v5p", []),
    ("Google", "TPU v6e Trillium", "tpu-v6e", ["Trillium", "TPU Trillium"]),
    ("Amazon", "Trainium2", "trainium2", ["Trn2"]),
    ("Microsoft", "Maia 100", "maia-100", []),
    ("Huawei", "Ascend 910 (2019)", "ascend-910", []),
    ("Huawei", "Ascend 910B (B2)", "ascend-910b",
     ["910B", "Ascend 910B2", "910B2"]),
    ("Huawei", "Ascend 910C", "ascend-910c", ["910C"]),
    ("Biren", "BR100", "br100", []),
    ("Cambricon", "MLU370-X8", "mlu370-x8", []),
    ("Moore Threads", "MTT S4000", "mtt-s4000", ["S4000"]),
    ("Groq", "GroqChip LPU v1", "groqchip-lpu-v1", ["GroqChip", "Groq LPU"]),
    # systems
    ("NVIDIA", "DGX H100 (8x H100 SXM5)", "dgx-h100", []),
    ("NVIDIA", "HGX H20 (8x H20 baseboard)", "hgx-h20-8gpu",
     ["HGX H20 baseboard"]),
    ("(OEM)", "Gaming PC with 1x RTX 4090", "gaming-pc-rtx-4090", []),
    ("(OEM)", "Server with 8x L40", "server-8x-l40", []),
]

# System id -> [(ic id, count)]. Rows whose source segment is "system".
SYSTEMS = {
    "dgx-h100": [("h100-sxm5-80gb", 8)],
    "hgx-h20-8gpu": [("h20-96gb", 8)],
    "gaming-pc-rtx-4090": [("rtx-4090", 1)],
    "server-8x-l40": [("l40", 8)],
}

# IC rows without any dense throughput must be explained here.
NO_THROUGHPUT = {
    "mi308x": "No dense throughput published: Epoch's MI308X row mirrors "
              "MI300X and K assumes H20-like specs (both estimates, not used); "
              "TPP needs user-supplied figures",
}

# Extra notes (project additions), by id.
EXTRA_NOTES = {
    "a800-sxm4-80gb": "Epoch lists FP16 311.8 only (TPP 4988.8); the datasheet "
                      "figures here give 4992",
    "a800-pcie-80gb": "Epoch lists FP16 311.8 only (TPP 4988.8); the datasheet "
                      "figures here give 4992",
    "h100-pcie-80gb": "FP16 756 and FP8/INT8 1513 are datasheet figures as "
                      "published (rounded; not exactly 1:2). Epoch lists FP16 "
                      "only and 2040 GB/s",
    "h800-sxm5-80gb": "Epoch lists FP32 59.3 and TF32 454.5 (vs 67 and 494.5 "
                      "here, as H100 SXM5)",
    "h800-pcie-80gb": "FP64 not given by the source (reduced on H800); left "
                      "blank. FP16 756.5 is as published (H100 PCIe: 756)",
    "h20-96gb": "No public NVIDIA datasheet; figures via TweakTown and "
                "compilations. NVIDIA sells it on 8-GPU HGX boards (see "
                "hgx-h20-8gpu)",
    "gh200": "Hopper GPU part only; the Grace CPU die is not included",
    "l2-24gb": "Die area not published (reportedly AD104, 294.5 mm2)",
    "b100": "Die area is an estimate (2 dies x ~800 mm2)",
    "b200": "Die area is an estimate (2 dies x ~800 mm2). Epoch lists FP64 "
            "31.04 (vs 37 here)",
    "gb200": "Per-GPU figures; a GB200 superchip board carries 2 GPUs + 1 "
             "Grace CPU (aggregate_board question). Die area is an estimate",
    "b300": "Die area is an estimate. Epoch's FP4 column gives 14 PF and its "
            "INT4 column 13.5 PF; Epoch lists 7700 GB/s",
    "gb300": "Per-GPU figures (superchip board: 2 GPUs + 1 Grace CPU). Die "
             "area is an estimate. INT8 not listed (Epoch: 165 TOPS)",
    "b30a": "Unreleased; not vendor data",
    "rtx-pro-6000-blackwell-server": "Dense values are half of the sparse "
                                     "'4 PFLOPS FP4' product-page figure. The "
                                     "Workstation and Max-Q editions are not "
                                     "in the catalog",
    "rtx-4090": "FP16/FP8 are the higher FP16-accumulate rates (Ada "
                "whitepaper). Epoch also lists TF32 82.6",
    "rtx-5080": "Dense values are half of NVIDIA 'AI TOPS' (sparse FP4)",
    "rtx-5090": "Dense values are half of NVIDIA 'AI TOPS' (sparse FP4)",
    "rtx-5090d": "Dense values are half of NVIDIA 'AI TOPS' (sparse FP4)",
    "rtx-5090d-v2": "Dense values are half of NVIDIA 'AI TOPS' (sparse FP4)",
    "rtx-6000-ada": "Workstation card: datacenter positioning ambiguous, so "
                    "the classifier reports both branches. Epoch lists FP8 729",
    "mi250": "fp32 45.3 appears to be the vector rate, while MI210's 45.3 "
             "is its matrix rate",
    "mi250x": "fp32 47.9 appears to be the vector rate; Epoch lists 95.7 in its TF32 "
              "column (AMD FP32 matrix rate), not used here",
    "mi300a": "Die area not published (K uses a 1017 mm2 estimate)",
    "mi300x": "Die area 1017 mm2 may exclude the N6 I/O dies; if they count "
              "as non-planar logic the applicable area is ~2x",
    "mi325x": "Die area 1017 mm2 may exclude the N6 I/O dies; if they count "
              "as non-planar logic the applicable area is ~2x",
    "mi350x": "FP8 4614 is as published (not exactly 2x FP16 2309.6)",
    "mi355x": "Epoch's FP8/FP4 columns (4600/9200) repeat the MI350X values; "
              "its INT8/INT4 columns match the figures here",
    "gaudi2-hl-225h": "Epoch's die size 826 mm2 is likely copied from A100; "
                      "left empty",
    "gaudi3-hl-325l": "BF16/FP8 1835 is the OAM figure; Epoch lists 1678 "
                      "(PCIe card) and FP32 14.3 (vs 28.7 here; unverified)",
    "tpu-v5e": "Cloud-internal part (not sold as a discrete product)",
    "tpu-v5p": "Cloud-internal part (not sold as a discrete product)",
    "tpu-v6e": "Cloud-internal part (not sold as a discrete product)",
    "trainium2": "Cloud-internal part (not sold as a discrete product)",
    "maia-100": "Cloud-internal part (not sold as a discrete product)",
    "ascend-910": "Epoch's die size 1228 mm2 may be the package incl. "
                  "I/O/dummy dies; left empty",
    "ascend-910b": "Third-party estimates; Huawei does not publish full "
                   "specs. B2 variant (910B has B1-B4 variants); Epoch's "
                   "generic 910B row lists 1228 GB/s",
    "ascend-910c": "Third-party estimates; Huawei does not publish full "
                   "specs. 2 x 910B-class dies; SemiAnalysis reports 780 "
                   "TFLOPS FP16 (per Epoch)",
    "br100": "Chip-link bandwidth disputed (Epoch: 412 GB/s intranode) and "
             "left empty, so io_bidir_gbs is empty",
    "groqchip-lpu-v1": "Die area recalled (vendor-reported ~725 mm2), verify",
}

# Rows whose source memory bandwidth is not DRAM bandwidth (the Jan-2026
# China zone tests "total DRAM bandwidth", export-rules.md §6.4).
DRAM_OVERRIDE = {
    "groqchip-lpu-v1": ("0", "The source's memory bandwidth (80,000 GB/s) is "
                        "on-chip SRAM; the chip has no DRAM, so dram_bw_gbs "
                        "is 0 (total DRAM bandwidth)"),
}

RECALLED_NOTE = ("Some figures were carried from memory of the vendor "
                 "document ('recalled') and are unverified; check before "
                 "relying on them in a regression test")

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DECIMAL_RE = re.compile(r"\d+(?:\.\d+)?")


def norm(name):
    """Lookup key: lowercase, keep only ASCII letters and digits."""
    return "".join(c for c in name.lower() if "a" <= c <= "z" or "0" <= c <= "9")


def sentence(text):
    text = text.strip()
    return text if text.endswith(".") else text + "."


def build(src_rows, errors):
    table = {(v, m): (i, a) for v, m, i, a in CHIPS}
    if len(table) != len(CHIPS):
        errors.append("duplicate (vendor, model) in CHIPS table")
    seen_keys = set()
    out = []
    for n, s in enumerate(src_rows, start=2):
        key = (s["vendor"], s["model"])
        if key in seen_keys:
            errors.append(f"source line {n}: duplicate row {key}")
        seen_keys.add(key)
        if key not in table:
            errors.append(f"source line {n}: {key} has no entry in CHIPS")
            continue
        cid, aliases = table[key]
        is_system = s["segment"].strip() == "system"
        if is_system != (cid in SYSTEMS):
            errors.append(f"{cid}: segment {s['segment']!r} disagrees with SYSTEMS")
        if s["vendor"] not in DESIGNER_HQ:
            errors.append(f"{cid}: vendor {s['vendor']!r} missing from DESIGNER_HQ")
        dc = {"yes": "yes", "no": "no", "ambiguous": "unknown"}.get(
            s["designed_or_marketed_for_datacenter"])
        if dc is None:
            errors.append(f"{cid}: bad datacenter value "
                       f"{s['designed_or_marketed_for_datacenter']!r}")
        if s["nonplanar_logic"] not in ("yes", "no", ""):
            errors.append(f"{cid}: bad nonplanar_logic {s['nonplanar_logic']!r}")

        row = dict.fromkeys(HEADER, "")
        row.update(
            id=cid, vendor=s["vendor"], model=s["model"],
            aliases=";".join(aliases),
            kind="system" if is_system else "ic",
            release_year=s["release_year"], segment=s["segment"],
            datacenter=dc or "", designer_hq=DESIGNER_HQ.get(s["vendor"], ""),
            sources=s["sources"],
        )
        notes = []
        if is_system:
            parts = SYSTEMS[cid]
            row["contains"] = ";".join(f"{i}*{c}" for i, c in parts)
            desc = " + ".join(f"{c} x {i}" for i, c in parts)
            notes.append(f"System of {desc}; spec columns are empty: classify "
                         f"from the contained ICs (4A090)")
        else:
            for dst, src in SPEC_COPY:
                row[dst] = s[src]
            row["nonplanar"] = s["nonplanar_logic"]
            if s["notes"]:
                notes.append(s["notes"])
            if cid in EXTRA_NOTES:
                notes.append(EXTRA_NOTES[cid])
            if cid in DRAM_OVERRIDE:
                row["dram_bw_gbs"], why = DRAM_OVERRIDE[cid]
                notes.append(why)
            if cid in NO_THROUGHPUT:
                notes.append(NO_THROUGHPUT[cid])
            if "recalled" in s["sources"]:
                notes.append(RECALLED_NOTE)
            if "China SKU" in s["segment"]:
                notes.append("China-market SKU")
            if (not s["io_total_bidir_gbs"] and s["chip_link_bidir_gbs"]
                    and s["host_link_bidir_gbs"]):
                notes.append("io_bidir_gbs not published (not computed from "
                             "the two link figures)")
            if s["memory"]:
                notes.append(f"Memory {s['memory']}")
            # sparse figures are never copied; make sure none is orphaned
            for d, sp in SPARSE_PAIRS:
                if s[sp] and not s[d]:
                    errors.append(f"{cid}: {sp} given without {d}; add a note "
                               f"and decide explicitly")
                elif s[sp] and Decimal(s[sp]) != 2 * Decimal(s[d]):
                    print(f"warning: {cid}: {sp} {s[sp]} != 2 x {d} {s[d]}",
                          file=sys.stderr)
        row["notes"] = " ".join(sentence(x) for x in notes)
        out.append((row, s))
    used = {(r["vendor"], r["model"]) for r, _ in out}
    for v, m, i, _ in CHIPS:
        if (v, m) not in used:
            errors.append(f"CHIPS entry {i} ({v} / {m}) matches no source row")
    for table_name, keys in (("EXTRA_NOTES", EXTRA_NOTES), ("SYSTEMS", SYSTEMS),
                             ("NO_THROUGHPUT", NO_THROUGHPUT)):
        for k in keys:
            if k not in {r["id"] for r, _ in out}:
                errors.append(f"{table_name} key {k} is not a catalog id")
    return out


def check(out, errors):
    rows = [r for r, _ in out]
    by_id = {}
    for r in rows:
        if not ID_RE.fullmatch(r["id"]):
            errors.append(f"id {r['id']!r} is not a [a-z0-9-] slug")
        if r["id"] in by_id:
            errors.append(f"duplicate id {r['id']}")
        by_id[r["id"]] = r

    # names: no two rows may share a normalised name
    owner = {}
    for r in rows:
        names = [("id", r["id"]), ("model", r["model"])]
        names += [("alias", a) for a in r["aliases"].split(";") if a]
        if r["aliases"] and any(not a.strip() or a != a.strip()
                                for a in r["aliases"].split(";")):
            errors.append(f"{r['id']}: empty or padded alias in {r['aliases']!r}")
        own = {}
        for what, name in names:
            if not name.isascii():
                errors.append(f"{r['id']}: {what} {name!r} is not ASCII")
            k = norm(name)
            if not k:
                errors.append(f"{r['id']}: {what} {name!r} normalises to nothing")
                continue
            if what == "alias" and k in own:
                errors.append(f"{r['id']}: alias {name!r} is redundant with "
                           f"{own[k]!r} (same normalised form {k!r})")
            own.setdefault(k, name)
        for k, name in own.items():
            if k in owner and owner[k][0] != r["id"]:
                errors.append(f"name collision on {k!r}: {owner[k][0]} "
                           f"({owner[k][1]!r}) and {r['id']} ({name!r})")
            owner.setdefault(k, (r["id"], name))

    for r, s in out:
        if not r["sources"].strip():
            errors.append(f"{r['id']}: empty sources")
        for c in HEADER:
            if any(ch in r[c] for ch in "\r\n"):
                errors.append(f"{r['id']}: line break in {c}")
            if r[c] != r[c].strip():
                errors.append(f"{r['id']}: leading/trailing space in {c}")
        for c in NUMERIC:
            if r[c] and not DECIMAL_RE.fullmatch(r[c]):
                errors.append(f"{r['id']}: {c} {r[c]!r} is not a plain decimal")
        if r["kind"] == "ic":
            if r["contains"]:
                errors.append(f"{r['id']}: ic row with contains")
            has = any(r[c] for c, _ in THROUGHPUT)
            if not has and r["id"] not in NO_THROUGHPUT:
                errors.append(f"{r['id']}: no dense throughput and no "
                           f"explanatory note (NO_THROUGHPUT)")
            if has and r["id"] in NO_THROUGHPUT:
                errors.append(f"{r['id']}: in NO_THROUGHPUT but has throughput")
            if r["die_area_mm2"] and not r["die_area_basis"]:
                errors.append(f"{r['id']}: die area without die_area_basis")
        else:
            for c in SPEC_COLUMNS:
                if r[c]:
                    errors.append(f"{r['id']}: system row with {c} set")
            for item in r["contains"].split(";"):
                m = re.fullmatch(r"([a-z0-9-]+)\*([1-9][0-9]*)", item)
                if not m:
                    errors.append(f"{r['id']}: bad contains item {item!r}")
                    continue
                target = by_id.get(m.group(1))
                if target is None or target["kind"] != "ic":
                    errors.append(f"{r['id']}: contains {m.group(1)!r}, which "
                               f"is not an ic id")
            # the source system row restates one contained IC's specs; they
            # must agree with that IC's own source row
            parts = SYSTEMS[r["id"]]
            if len(parts) == 1:
                ic_id, count = parts[0]
                ic_src = next((s2 for r2, s2 in out if r2["id"] == ic_id), None)
                if ic_src is not None:
                    for _, src in SPEC_COPY:
                        if src in ("die_area_basis",):
                            continue
                        if s[src] != ic_src[src]:
                            errors.append(f"{r['id']}: source {src} {s[src]!r} "
                                       f"!= {ic_id}'s {ic_src[src]!r}")
                m = re.search(r"(\d+)x ", r["model"])
                if m and int(m.group(1)) != count:
                    errors.append(f"{r['id']}: model says {m.group(1)}x, "
                               f"SYSTEMS says {count}")


def render(rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(HEADER)
    for r in rows:
        w.writerow([r[c] for c in HEADER])
    return buf.getvalue()


def main(argv):
    args = [a for a in argv[1:] if a != "--check"]
    check_only = "--check" in argv[1:]
    if len(args) > 1 or any(a.startswith("-") for a in args):
        print(__doc__, file=sys.stderr)
        return 64
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    src = args[0] if args else os.path.join(
        repo, "..", "shared", "data", "hardware", "chips_specs.csv")
    dst = os.path.join(repo, "crates", "chiptrace-rules", "catalog", "chips.csv")

    with open(src, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != SOURCE_HEADER:
            print(f"error: unexpected header in {src}: {reader.fieldnames}",
                  file=sys.stderr)
            return 2
        src_rows = list(reader)

    errors = []
    out = build(src_rows, errors)
    if not errors:
        check(out, errors)
    if errors:
        for e in errors:
            print(f"error: {e}", file=sys.stderr)
        print(f"{len(errors)} error(s); {dst} not written", file=sys.stderr)
        return 2

    rows = [r for r, _ in out]
    text = render(rows)
    old = None
    if os.path.exists(dst):
        with open(dst, encoding="utf-8", newline="") as f:
            old = f.read()
    n_ic = sum(r["kind"] == "ic" for r in rows)
    n_sys = len(rows) - n_ic
    if check_only:
        if old != text:
            print(f"{dst} is out of date; run scripts/build-catalog.py",
                  file=sys.stderr)
            return 1
        print(f"chips.csv up to date: {len(rows)} rows ({n_ic} ics, "
              f"{n_sys} systems)")
        return 0
    if old != text:
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(dst, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    state = "written" if old != text else "unchanged"
    print(f"chips.csv {state}: {len(rows)} rows ({n_ic} ics, {n_sys} systems)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
