#!/usr/bin/env python3
"""Audit the built site like a reader's browser would see it from a production host.

1. Serves SITE_DIR on 127.0.0.1 with gzip and cache headers (scripts/serve_static.py).
2. Runs Lighthouse 12.2.3 (pinned in package.json) on every page, mobile and desktop,
   with Debian's Chromium, and prints the four category scores, TBT, CLS and bytes.
   With --runs N each page is audited N times and the median is reported (these
   machines are shared and noisy).
3. Loads every page in Playwright and reports the transferred bytes by resource type,
   and any request to another host.

Writes the raw results to reports/audit.json. Exits 1 if a page misses a target
(performance ≥ 98, accessibility/best practices/SEO = 100, TBT ≤ 50 ms, CLS ≤ 0.01,
≤ 120 KB gzipped on first load, no foreign request) unless --report-only.

Usage: python -m scripts.audit [SITE_DIR] [--runs 3] [--modes mobile desktop] [--pages /basics/…/]
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
from scripts.serve_static import serve

ROOT = Path(__file__).resolve().parent.parent

LIGHTHOUSE = ROOT / "scripts" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
TARGETS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
MAX_TBT_MS, MAX_CLS, MAX_KB = 50, 0.01, 120


def lighthouse(url: str, mode: str) -> dict:
    """One Lighthouse run; returns the figures we report."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "lh.json"
        cmd = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--chrome-flags={' '.join(CHROME_ARGS)}",
            "--only-categories=performance,accessibility,best-practices,seo",
        ]
        if mode == "desktop":
            cmd.append("--preset=desktop")
        subprocess.run(cmd, check=True, env={**os.environ, "CHROME_PATH": CHROME}, capture_output=True, timeout=300)
        data = json.loads(out.read_text(encoding="utf-8"))
    audits = data["audits"]
    return {
        **{k: round((v["score"] or 0) * 100) for k, v in data["categories"].items()},
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "fcp_ms": audits["first-contentful-paint"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
    }


def median_run(url: str, mode: str, runs: int) -> dict:
    results = [lighthouse(url, mode) for _ in range(runs)]
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def page_weight(base: str, pages: list[str]) -> dict[str, dict]:
    """Transferred (encoded) bytes per resource type on a first load, via Chromium's DevTools protocol."""
    from playwright.sync_api import sync_playwright

    report: dict[str, dict] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROME, args=CHROME_ARGS)
        for path in pages:
            context = browser.new_context()  # empty cache: a first visit
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            kinds: dict[str, str] = {}
            hosts: set[str] = set()
            sizes: dict[str, int] = {}

            def on_response(e: dict, kinds: dict = kinds, hosts: set = hosts) -> None:
                kinds[e["requestId"]] = e["type"]
                url = e["response"]["url"]
                if url.startswith("http"):
                    hosts.add(urlsplit(url).hostname or "")

            cdp.on("Network.responseReceived", on_response)
            cdp.on(
                "Network.loadingFinished",
                lambda e, sizes=sizes: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
            )
            page.goto(base + path, wait_until="networkidle")
            by_type: dict[str, int] = {}
            for rid, kind in kinds.items():
                by_type[kind] = by_type.get(kind, 0) + sizes.get(rid, 0)
            report[path] = {
                "by_type": by_type,
                "total": sum(by_type.values()),
                "foreign_hosts": sorted(hosts - {"127.0.0.1"}),
            }
            context.close()
        browser.close()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page and mode; the median is reported")
    parser.add_argument("--modes", nargs="+", default=["mobile", "desktop"], choices=["mobile", "desktop"])
    parser.add_argument("--pages", nargs="*", help="URL paths to audit (default: every page)")
    parser.add_argument("--report-only", action="store_true", help="exit 0 even if a target is missed")
    args = parser.parse_args(argv)

    if not (args.site / "index.html").exists():
        parser.error(f"{args.site} is not a built site: run `make build` first")
    if not LIGHTHOUSE.exists():
        parser.error("Lighthouse is missing: run `npm ci`")
    pages = args.pages or list(site_pages(args.site))
    httpd, base = serve(args.site)
    failures: list[str] = []
    results: dict = {"lighthouse": {}, "weight": {}}
    try:
        header = f"{'page':42} {'mode':7} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} {'TBT ms':>7} {'CLS':>6} {'FCP s':>6} {'KB':>6}"
        print(header)
        print("-" * len(header))
        for path in pages:
            for mode in args.modes:
                r = median_run(base + path, mode, args.runs)
                results["lighthouse"].setdefault(path, {})[mode] = r
                print(
                    f"{path:42} {mode:7} {r['performance']:4.0f} {r['accessibility']:4.0f} {r['best-practices']:4.0f} "
                    f"{r['seo']:4.0f} {r['tbt_ms']:7.0f} {r['cls']:6.3f} {r['fcp_ms'] / 1000:6.2f} {r['bytes'] / 1024:6.1f}",
                    flush=True,
                )
                for cat, target in TARGETS.items():
                    if r[cat] < target:
                        failures.append(f"{path} [{mode}]: {cat} {r[cat]:.0f} < {target}")
                if r["tbt_ms"] > MAX_TBT_MS:
                    failures.append(f"{path} [{mode}]: TBT {r['tbt_ms']:.0f} ms > {MAX_TBT_MS}")
                if r["cls"] > MAX_CLS:
                    failures.append(f"{path} [{mode}]: CLS {r['cls']:.3f} > {MAX_CLS}")
        print()
        weights = page_weight(base, pages)
        results["weight"] = weights
        kinds = sorted({k for w in weights.values() for k in w["by_type"]})
        print(
            f"{'page (KB transferred, first load)':42} " + " ".join(f"{k[:10]:>10}" for k in kinds) + f" {'total':>8}"
        )
        for path, w in weights.items():
            cells = " ".join(f"{w['by_type'].get(k, 0) / 1024:10.1f}" for k in kinds)
            print(f"{path:42} {cells} {w['total'] / 1024:8.1f}")
            if w["total"] / 1024 > MAX_KB:
                failures.append(f"{path}: {w['total'] / 1024:.1f} KB > {MAX_KB} KB on first load")
            if w["foreign_hosts"]:
                failures.append(f"{path}: requests to {w['foreign_hosts']}")
    finally:
        httpd.shutdown()
    out = ROOT / "reports" / "audit.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"\nraw results: {out.relative_to(ROOT)}")
    if failures:
        print("\nmissed targets:\n  " + "\n  ".join(failures))
    else:
        print("\nall targets met")
    return 1 if failures and not args.report_only else 0


if __name__ == "__main__":
    sys.exit(main())
