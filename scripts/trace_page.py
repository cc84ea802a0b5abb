#!/usr/bin/env python3
"""Trace one page's load in Chromium and list the style/layout work and who forced it.

Lighthouse says *how much* main-thread time goes to "Style & Layout"; this says *when*
and *from which script function*: every style recalculation (UpdateLayoutTree) and
layout longer than --min-ms, with the number of elements and the top of the JavaScript
stack that forced it. This is how the palette component's two whole-page restyles were
found (README, Performance). The site is served by scripts/serve_static.py on
127.0.0.1; the CPU is slowed down like Lighthouse's mobile run.

Usage: python -m scripts.trace_page [site] /basics/training-objectives/ [--cpu 4]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from scripts.chromium import CHROME, CHROME_ARGS
from scripts.serve_static import serve

ROOT = Path(__file__).resolve().parent.parent

CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "disabled-by-default-devtools.timeline.stack",
]
STYLE_EVENTS = {"UpdateLayoutTree", "Layout"}


def trace(url: str, cpu: float, out: Path) -> list[dict]:
    """Load ``url`` in a phone-sized viewport at ``cpu``× slowdown; return the trace events."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROME, args=CHROME_ARGS)
        context = browser.new_context(
            viewport={"width": 412, "height": 823}, device_scale_factor=1.75, is_mobile=True, has_touch=True
        )
        page = context.new_page()
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": cpu})
        browser.start_tracing(page=page, path=str(out), categories=CATEGORIES)
        page.goto(url, wait_until="load")
        page.wait_for_timeout(1500)  # material's bundle keeps working after `load`
        browser.stop_tracing()
        browser.close()
    data = json.loads(out.read_text(encoding="utf-8"))
    return data["traceEvents"] if isinstance(data, dict) else data


def style_rows(events: list[dict]) -> list[tuple[float, str, float, int, str]]:
    """(start ms, event, duration ms, elements, forcing JS stack) for each style/layout event."""
    rows = []
    for e in events:
        if e.get("name") not in STYLE_EVENTS or e.get("ph") != "X":
            continue
        args = e.get("args", {})
        begin = args.get("beginData") or {}
        stack = begin.get("stackTrace") or []
        where = " < ".join(
            f"{f.get('functionName') or '(anonymous)'}@{f.get('url', '').rsplit('/', 1)[-1]}:{f.get('columnNumber')}"
            for f in stack[:3]
        )
        count = args.get("elementCount") or begin.get("dirtyObjects") or 0
        rows.append((e["ts"] / 1000, e["name"], e.get("dur", 0) / 1000, int(count), where))
    return sorted(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site", help="built site (default: site/)")
    parser.add_argument("path", help="URL path of the page, e.g. /basics/training-objectives/")
    parser.add_argument("--cpu", type=float, default=4, help="CPU slowdown (Lighthouse mobile: 4)")
    parser.add_argument("--min-ms", type=float, default=2, help="list events at least this long")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        parser.error(f"{args.site} is not a built site: run `make build` first")

    httpd, base = serve(args.site)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            rows = style_rows(trace(base + args.path, args.cpu, Path(tmp) / "trace.json"))
    finally:
        httpd.shutdown()
    if not rows:
        print("no style/layout events recorded", file=sys.stderr)
        return 1
    t0 = rows[0][0]
    print(f"{'at ms':>8} {'event':16} {'ms':>7} {'elements':>8}  forced by")
    for start, name, dur, count, where in rows:
        if dur >= args.min_ms:
            print(f"{start - t0:8.1f} {name:16} {dur:7.1f} {count:8}  {where}")
    total = sum(r[2] for r in rows)
    forced = sum(r[2] for r in rows if r[4])
    print(f"\nstyle + layout: {total:.0f} ms at {args.cpu:g}x, of which forced by scripts: {forced:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
