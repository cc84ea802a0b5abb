"""Screenshots of every page at every viewport, in both palettes, for reviewers.

Writes ``<out>/<viewport>-<scheme>/<page>.png`` (the whole page) and ``<out>/index.html``
showing them side by side, so a reviewer can look at phones, tablet and desktop without
driving a browser. Not a pixel-diff test: fonts differ between machines. Viewports:
scripts/viewports.py.

Usage: python -m scripts.contact_sheet SITE_DIR [--out reports/contact-sheet] [--pages 3]
"""

from __future__ import annotations

import argparse
from html import escape
from pathlib import Path

from macros.data.urls import site_pages
from scripts.chromium import browse
from scripts.project import ROOT, built_site
from scripts.viewports import SCHEMES, VIEWPORTS

STYLE = "img{width:180px;border:1px solid #ccc}.row{display:flex;gap:8px;align-items:flex-start;overflow-x:auto}figure{margin:0}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=built_site, help="a built site (make build writes site/)")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "contact-sheet")
    parser.add_argument("--pages", type=int, default=0, help="only the first N pages (0: all)")
    args = parser.parse_args(argv)
    pages = list(site_pages(args.site))[: args.pages or None]
    cells: dict[str, str] = dict.fromkeys(pages, "")
    with browse(args.site) as (browser, base):
        for vp in VIEWPORTS:
            for scheme in SCHEMES:
                column = f"{vp.name}-{scheme}"
                (args.out / column).mkdir(parents=True, exist_ok=True)
                context = browser.new_context(**vp.context_options(scheme))
                context.set_default_timeout(15_000)
                tab = context.new_page()
                for path in pages:
                    img = f"{column}/{path.strip('/').replace('/', '__') or 'home'}.png"
                    tab.goto(base + path, wait_until="load")
                    tab.screenshot(path=str(args.out / img), full_page=True)
                    cells[path] += (
                        f'<figure><a href="{escape(img)}"><img src="{escape(img)}" loading="lazy" alt=""></a>'
                    )
                    cells[path] += f"<figcaption>{escape(column)}</figcaption></figure>"
                context.close()
    body = "".join(f"<h2>{escape(path)}</h2><div class=row>{row}</div>" for path, row in cells.items())
    html = f"<!doctype html><meta charset=utf-8><title>Contact sheet</title><style>{STYLE}</style>{body}"
    (args.out / "index.html").write_text(html, encoding="utf-8")
    shots = len(pages) * len(VIEWPORTS) * len(SCHEMES)
    print(
        f"{shots} screenshots ({len(pages)} pages × {len(VIEWPORTS)} viewports × {len(SCHEMES)} palettes) → {args.out}/index.html"
    )


if __name__ == "__main__":
    main()
