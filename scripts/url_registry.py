#!/usr/bin/env python3
"""Keep docs/data/urls.yml, the registry of every URL the site ever published, in step with the built site.

Usage (after ``mkdocs build --strict -d SITE_DIR``):

    python -m scripts.url_registry update SITE_DIR   # register the built site's new URLs (never removes one)
    python -m scripts.url_registry check SITE_DIR    # every registered URL works, every page is registered

``check`` prints one line per problem and exits with status 1. The registry itself
(schema, checks) is ``macros/data/urls.py``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from macros.data.redirects import load_redirects
from macros.data.urls import REGISTRY, check_registry, load_registry, published_urls, save_registry, unregistered

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Keep docs/data/urls.yml, the registry of published URLs, in step with the built site.",
        epilog="Build first: .venv/bin/mkdocs build --strict -d /tmp/site",
    )
    parser.add_argument("--project", type=Path, default=ROOT, help="project folder (default: this repository)")
    sub = parser.add_subparsers(dest="command", required=True)
    update = sub.add_parser("update", help="add the built site's published URLs to the registry (never removes one)")
    update.add_argument("site", type=Path, help="the built site directory")
    check = sub.add_parser("check", help="every registered URL works and every published page is registered")
    check.add_argument("site", type=Path, help="the built site directory")
    args = parser.parse_args(argv)

    project: Path = args.project.resolve()
    registry_path = project / REGISTRY
    site: Path = args.site.resolve()
    if not (site / "index.html").is_file():
        parser.error(f"{site} is not a built site (no index.html): run mkdocs build --strict -d {args.site}")
    known = load_registry(registry_path).urls if registry_path.exists() else []

    if args.command == "update":
        added = [u for u in published_urls(site) if u not in set(known)]
        save_registry(registry_path, [*known, *added])
        for url in added:
            print(f"+ {url}")
        print(f"{registry_path.relative_to(project)}: {len(added)} URL(s) added, {len(known) + len(added)} registered")
        return 0

    redirects = load_redirects(project)
    problems = [*check_registry(site, known, redirects), *unregistered(site, known)]
    for problem in problems:
        print(problem)
    print(f"{len(known)} registered URL(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
