#!/usr/bin/env python3
"""Check every internal link and #anchor in a built site (no network).

Covers what mkdocs' own validation cannot see: links produced by macros,
templates, the nav, tables, raw HTML and SVG. External links are listed, never
fetched (see scripts/check_external_links.py for the opt-in network check).

Why hand-written and not LinkChecker: measured on this site (15 pages), LinkChecker
needs ~80 s over HTTP, the only mode in which it checks anchors, and over file://
it misses a bad #anchor on a directory URL and on the same page (both tried). This
walks the built files directly with a real HTML parser and takes well under a second.

Usage: python -m scripts.check_site_links SITE_DIR [--site-url URL]
Exit status 1 and one line per broken link (`page: attribute='url' → problem`).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

from macros.urls import read_page

# Attributes that hold URLs, per element.
URL_ATTRS = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src", "use": "href", "area": "href"}


@dataclass(frozen=True)
class BrokenLink:
    page: str  # site-relative path of the HTML file
    url: str
    problem: str

    def __str__(self) -> str:
        return f"{self.page}: '{self.url}' → {self.problem}"


def _target_file(site: Path, path: str) -> Path | None:
    """The file a site path serves (directory URLs serve index.html), or None."""
    rel = PurePosixPath(unquote(path)).as_posix().lstrip("/")
    candidate = site / rel
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def check_site(site: Path, site_url: str | None = None) -> tuple[list[BrokenLink], set[str]]:
    """All broken internal links, and the set of external URLs seen (not fetched)."""
    site = site.resolve()
    own = urlsplit(site_url) if site_url else None
    broken: list[BrokenLink] = []
    external: set[str] = set()
    for html_file in sorted(site.rglob("*.html")):
        rel = html_file.relative_to(site).as_posix()
        base = "/" + rel  # the page's own site path
        soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "lxml")
        for tag, attr in URL_ATTRS.items():
            for el in soup.find_all(tag):
                url = el.get(attr) or el.get("xlink:href")
                if not url or url.startswith(("mailto:", "tel:", "data:")):
                    continue
                parts = urlsplit(url)
                if parts.scheme in ("http", "https"):
                    if own and parts.netloc == own.netloc and parts.path.startswith(own.path):
                        url = "/" + parts.path[len(own.path) :] + (f"#{parts.fragment}" if parts.fragment else "")
                        parts = urlsplit(url)
                    else:
                        external.add(url)
                        continue
                elif parts.scheme:
                    broken.append(BrokenLink(rel, url, f"unexpected scheme '{parts.scheme}:'"))
                    continue
                resolved = urlsplit(urljoin(base, url))
                target = _target_file(site, resolved.path)
                if target is None:
                    broken.append(BrokenLink(rel, url, "no such file in the built site"))
                    continue
                if (
                    resolved.fragment
                    and target.suffix == ".html"
                    and unquote(resolved.fragment) not in read_page(target).ids
                ):
                    broken.append(
                        BrokenLink(rel, url, f"no id '{resolved.fragment}' on {target.relative_to(site).as_posix()}")
                    )
    return broken, external


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site directory (mkdocs build output)")
    parser.add_argument("--site-url", help="absolute links under this URL count as internal (e.g. canonical links)")
    args = parser.parse_args(argv)
    broken, external = check_site(args.site, args.site_url)
    for b in broken:
        print(b)
    print(f"{len(broken)} broken internal link(s); {len(external)} external URL(s) not checked")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
