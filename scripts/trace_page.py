"""Trace one page's load in Chromium and list the style/layout work and who forced it.

Lighthouse says *how much* main-thread time goes to "Style & Layout"; this says *when* and
*from which script function*: every style recalculation (UpdateLayoutTree) and layout of
at least --min-ms, with its number of elements and the top of the JavaScript stack that
forced it (how the palette component's whole-page restyles were found: README,
Performance). The CPU is slowed down like Lighthouse's mobile run.

Usage: python -m scripts.trace_page [SITE_DIR] /basics/training-objectives/ [--cpu 4] [--min-ms 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from scripts.chromium import browse
from scripts.project import ROOT, built_site

CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "disabled-by-default-devtools.timeline.stack",
]


def style_rows(events: list[dict]) -> list[tuple[float, str, float, int, str]]:
    """(start ms, event, duration ms, elements, forcing JS stack) for each style/layout event."""
    rows = []
    for e in events:
        if e.get("name") in ("UpdateLayoutTree", "Layout") and e.get("ph") == "X":
            begin = e.get("args", {}).get("beginData") or {}
            where = " < ".join(
                f"{f.get('functionName') or '(anonymous)'}@{f.get('url', '').rsplit('/', 1)[-1]}:{f.get('columnNumber')}"
                for f in (begin.get("stackTrace") or [])[:3]
            )
            count = e["args"].get("elementCount") or begin.get("dirtyObjects") or 0
            rows.append((e["ts"] / 1000, e["name"], e.get("dur", 0) / 1000, int(count), where))
    return sorted(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=built_site, default=str(ROOT / "site"), help="default: site/")
    parser.add_argument("path", help="URL path of the page, e.g. /basics/training-objectives/")
    parser.add_argument("--cpu", type=float, default=4, help="CPU slowdown (Lighthouse mobile: 4)")
    parser.add_argument("--min-ms", type=float, default=2, help="list events at least this long")
    args = parser.parse_args(argv)
    with browse(args.site) as (browser, base), tempfile.TemporaryDirectory() as tmp:
        # A phone-sized viewport, as Lighthouse's mobile run.
        context = browser.new_context(
            viewport={"width": 412, "height": 823}, device_scale_factor=1.75, is_mobile=True, has_touch=True
        )
        page = context.new_page()
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": args.cpu})
        browser.start_tracing(page=page, path=f"{tmp}/trace.json", categories=CATEGORIES)
        page.goto(base + args.path, wait_until="load")
        page.wait_for_timeout(1500)  # material's bundle keeps working after `load`
        browser.stop_tracing()
        trace = json.loads(Path(tmp, "trace.json").read_text(encoding="utf-8"))
    rows = style_rows(trace["traceEvents"] if isinstance(trace, dict) else trace)
    if not rows:
        print("no style/layout events recorded", file=sys.stderr)
        return 1
    print(f"{'at ms':>8} {'event':16} {'ms':>7} {'elements':>8}  forced by")
    for start, name, dur, count, where in rows:
        if dur >= args.min_ms:
            print(f"{start - rows[0][0]:8.1f} {name:16} {dur:7.1f} {count:8}  {where}")
    total, forced = sum(r[2] for r in rows), sum(r[2] for r in rows if r[4])
    print(f"\nstyle + layout: {total:.0f} ms at {args.cpu:g}x, of which forced by scripts: {forced:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
