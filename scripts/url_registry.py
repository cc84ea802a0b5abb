"""Keep docs/data/urls.yml, the registry of every URL the site ever published, in step
with a built site (the registry itself, its schema and checks: macros/data/urls.py).

    mkdocs build --strict -d SITE && python -m scripts.url_registry update SITE   (or: make register)
    python -m scripts.url_registry check SITE   # every registered URL works, every page is registered
"""

from __future__ import annotations

import argparse
import sys

from macros.data.redirects import load_redirects
from macros.data.urls import REGISTRY, check_registry, load_registry, published_urls, save_registry, unregistered
from scripts.project import ROOT, built_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["update", "check"], help="update never removes a URL")
    parser.add_argument("site", type=built_site, help="the built site directory")
    args = parser.parse_args(argv)
    known = load_registry(ROOT / REGISTRY).urls
    if args.command == "update":
        added = [url for url in published_urls(args.site) if url not in known]
        save_registry(ROOT / REGISTRY, [*known, *added])
        print(
            "".join(f"+ {url}\n" for url in added)
            + f"{REGISTRY}: {len(added)} URL(s) added, {len(known) + len(added)} registered"
        )
        return 0
    problems = [*check_registry(args.site, known, load_redirects(ROOT)), *unregistered(args.site, known)]
    print(
        "".join(f"{problem}\n" for problem in problems) + f"{len(known)} registered URL(s), {len(problems)} problem(s)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
