#!/usr/bin/env python3
"""Screenshots of every page at every viewport, in both palettes, for reviewers.

Writes ``reports/contact-sheet/<viewport>-<scheme>/<page>.png`` (the whole page) and
``reports/contact-sheet/index.html`` showing them side by side, so a pull request's
reviewer can look at phones, tablet and desktop without driving a browser. Not a
pixel-diff test: fonts differ between machines. Viewports: scripts/viewports.py.

Usage: python -m scripts.contact_sheet SITE_DIR [--out reports/contact-sheet] [--pages 3]
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

from macros.data.urls import site_pages
from scripts.chromium import CHROME, CHROME_ARGS
from scripts.serve_static import serve
from scripts.viewports import SCHEMES, VIEWPORTS

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site (make build writes site/)")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "contact-sheet")
    parser.add_argument("--pages", type=int, default=0, help="only the first N pages (0: all)")
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} is not a built site (no index.html): run `make build` first")
    from playwright.sync_api import sync_playwright

    pages = list(site_pages(args.site))[: args.pages or None]
    httpd, url = serve(args.site)
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROME, args=CHROME_ARGS)
            for vp in VIEWPORTS:
                for scheme in SCHEMES:
                    folder = args.out / f"{vp.name}-{scheme}"
                    folder.mkdir(parents=True, exist_ok=True)
                    context = browser.new_context(**vp.context_options(scheme))
                    context.set_default_timeout(15_000)
                    tab = context.new_page()
                    for path in pages:
                        name = path.strip("/").replace("/", "__") or "home"
                        tab.goto(url + path, wait_until="load")
                        tab.screenshot(path=str(folder / f"{name}.png"), full_page=True)
                        rows.append((path, folder.name, f"{folder.name}/{name}.png"))
                    context.close()
            browser.close()
    finally:
        httpd.shutdown()
    cells: dict[str, list[str]] = {}
    for path, column, img in rows:
        cells.setdefault(path, []).append(
            f'<figure><a href="{html.escape(img)}"><img src="{html.escape(img)}" loading="lazy" alt=""></a>'
            f"<figcaption>{html.escape(column)}</figcaption></figure>"
        )
    body = "".join(f"<h2>{html.escape(p)}</h2><div class=row>{''.join(c)}</div>" for p, c in cells.items())
    style = "img{width:180px;border:1px solid #ccc}.row{display:flex;gap:8px;align-items:flex-start;overflow-x:auto}figure{margin:0}"
    (args.out / "index.html").write_text(
        f"<!doctype html><meta charset=utf-8><title>Contact sheet</title><style>{style}</style>{body}", encoding="utf-8"
    )
    print(
        f"{len(rows)} screenshots ({len(pages)} pages × {len(VIEWPORTS)} viewports × {len(SCHEMES)} palettes) → {args.out}/index.html"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
