#!/usr/bin/env python3
"""Audit the built site like a reader's browser would see it from a production host.

Serves SITE_DIR on 127.0.0.1 with gzip and cache headers (scripts/serve_static.py) and runs
Lighthouse (pinned in scripts/lighthouse/package.json) on every page, mobile and desktop,
with Debian's Chromium (the median of --runs, as machines are noisy); from its network log,
the bytes a first load transfers by resource type, and any request to another host.

Writes the raw results to reports/audit.json. Exits 1 if a page misses a target
(performance ≥ 98, accessibility/best practices/SEO = 100, TBT ≤ 50 ms, CLS ≤ 0.01,
≤ 120 KB gzipped on first load, no foreign request) unless --report-only.

Usage: python -m scripts.audit [SITE_DIR] [--runs 3] [--modes mobile desktop] [--pages /basics/…/] [--report-only]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from macros.data.urls import site_pages
from scripts.chromium import CHROME, CHROME_ARGS
from scripts.project import ROOT, built_site
from scripts.serve_static import serve

LIGHTHOUSE = ROOT / "scripts" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
TARGETS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
LIMITS = {"tbt_ms": 50, "cls": 0.01, "kb": 120}  # KB: gzipped, on a first load
AUDITS = {"tbt_ms": "total-blocking-time", "cls": "cumulative-layout-shift", "fcp_ms": "first-contentful-paint"}
AUDITS |= {"lcp_ms": "largest-contentful-paint", "bytes": "total-byte-weight"}


def missed(where: str, figures: dict) -> list[str]:
    """The targets a page misses: a score below TARGETS, a figure above LIMITS, a request to another host."""
    low = [f"{where}: {k} {figures[k]:g} < {v}" for k, v in TARGETS.items() if figures.get(k, v) < v]
    high = [f"{where}: {k} {figures[k]:.3g} > {v}" for k, v in LIMITS.items() if figures.get(k, 0) > v]
    foreign = [f"{where}: requests to {figures['foreign_hosts']}"] if figures.get("foreign_hosts") else []
    return low + high + foreign


def lighthouse(url: str, mode: str) -> tuple[dict, dict]:
    """One Lighthouse run: the figures we report, and the bytes transferred by resource type (its network log)."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={tmp}/lh.json"]
        cmd += [f"--chrome-flags={' '.join(CHROME_ARGS)}", f"--only-categories={','.join(TARGETS)}"]
        cmd += ["--preset=desktop"] if mode == "desktop" else []
        subprocess.run(cmd, check=True, env={**os.environ, "CHROME_PATH": CHROME}, capture_output=True, timeout=300)
        data = json.loads(Path(tmp, "lh.json").read_text(encoding="utf-8"))
    audits = data["audits"]
    figures = {k: round((v["score"] or 0) * 100) for k, v in data["categories"].items()}
    figures |= {name: audits[key]["numericValue"] for name, key in AUDITS.items()}
    by_type: dict[str, int] = {}
    hosts = set()
    for request in audits["network-requests"]["details"]["items"]:
        kind = request.get("resourceType") or "Other"
        by_type[kind] = by_type.get(kind, 0) + request.get("transferSize", 0)
        hosts.add(urlsplit(request["url"]).hostname)
    total = sum(by_type.values())
    return figures, {
        "by_type": by_type,
        "total": total,
        "kb": total / 1024,
        "foreign_hosts": sorted(hosts - {"127.0.0.1", None}),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=built_site, default=str(ROOT / "site"))
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page and mode; the median is reported")
    parser.add_argument("--modes", nargs="+", default=["mobile", "desktop"], choices=["mobile", "desktop"])
    parser.add_argument("--pages", nargs="*", help="URL paths to audit (default: every page)")
    parser.add_argument("--report-only", action="store_true", help="exit 0 even if a target is missed")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        parser.error("Lighthouse is missing: run `make audit` (or npm ci in scripts/lighthouse/)")
    pages = args.pages or list(site_pages(args.site))
    failures: list[str] = []
    results: dict = {"lighthouse": {}, "weight": {}}
    header = f"{'page':42} {'mode':7} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} {'TBT ms':>7} {'CLS':>6} {'FCP s':>6} {'KB':>6}"
    print(f"{header}\n{'-' * len(header)}")
    httpd, base = serve(args.site)
    weights = results["weight"]
    try:
        for path in pages:
            for mode in args.modes:
                runs = [lighthouse(base + path, mode) for _ in range(args.runs)]
                weights.setdefault(path, runs[0][1])  # a first load (Lighthouse starts with an empty cache)
                r = results["lighthouse"].setdefault(path, {})[mode] = {
                    k: statistics.median(x[0][k] for x in runs) for k in runs[0][0]
                }
                print(
                    f"{path:42} {mode:7} {r['performance']:4.0f} {r['accessibility']:4.0f} {r['best-practices']:4.0f} "
                    f"{r['seo']:4.0f} {r['tbt_ms']:7.0f} {r['cls']:6.3f} {r['fcp_ms'] / 1000:6.2f} {r['bytes'] / 1024:6.1f}",
                    flush=True,
                )
                failures += missed(f"{path} [{mode}]", r)
    finally:
        httpd.shutdown()
    kinds = sorted({kind for w in weights.values() for kind in w["by_type"]})
    print(f"\n{'page (KB transferred, first load)':42} " + " ".join(f"{k[:10]:>10}" for k in kinds) + f" {'total':>8}")
    for path, w in weights.items():
        print(
            f"{path:42} "
            + " ".join(f"{w['by_type'].get(k, 0) / 1024:10.1f}" for k in kinds)
            + f" {w['total'] / 1024:8.1f}"
        )
        failures += missed(path, w)
    out = ROOT / "reports" / "audit.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"\nraw results: {out.relative_to(ROOT)}")
    print("\nmissed targets:\n  " + "\n  ".join(failures) if failures else "\nall targets met")
    return 1 if failures and not args.report_only else 0


if __name__ == "__main__":
    sys.exit(main())
