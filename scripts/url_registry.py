#!/usr/bin/env python3
"""The registry of published URLs (``docs/data/urls.yml``): every URL the site ever published.

A published URL is permanent: readers bookmark it, other sites link to it. The
registry lists every page URL (``/``, ``/basics/``, ``/basics/why-decoder-only/``…)
and, for every question page, the five answer-section anchors people link to
(``#short-answer``, ``#explanation``, ``#misconceptions``, ``#follow-ups``,
``#references``). A URL never leaves the registry: when a page moves
(``scripts/move_page.py``), its old URLs stay registered and must keep working
through a redirect listed in docs/data/redirects.yml.

Usage (after ``mkdocs build --strict -d SITE_DIR``):

    python scripts/url_registry.py update SITE_DIR   # register the built site's new URLs (never removes one)
    python scripts/url_registry.py check SITE_DIR    # every registered URL works, every page is registered

``check`` prints one line per problem and exits with status 1. The functions here
are shared with ``scripts/move_page.py``, ``scripts/new_question.py`` and the tests.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import yaml
from bs4 import BeautifulSoup
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))  # run as a file: import this project's macros/

from macros.redirects import load_redirects  # noqa: E402

REGISTRY = PurePosixPath("docs/data/urls.yml")
# The answer sections of every question page, in page order (see CONTRIBUTING.md).
ANSWER_ANCHORS = ("short-answer", "explanation", "misconceptions", "follow-ups", "references")
ANCHOR = r"[a-z0-9]+(?:-[a-z0-9]+)*"
# "/", "/basics/", "/basics/why-decoder-only/", optionally with "#anchor".
URL_PATTERN = re.compile(rf"^/(?:[a-z0-9][a-z0-9\-]*/)*(?:#{ANCHOR})?$")
UPDATE_HINT = (
    "register it: `.venv/bin/mkdocs build --strict -d /tmp/site && "
    ".venv/bin/python scripts/url_registry.py update /tmp/site`, then commit docs/data/urls.yml"
)
HEADER = """\
# Every URL this site has published. Published URLs are permanent: this list only grows.
# Generated, do not edit by hand:
#   new pages:   .venv/bin/mkdocs build --strict -d /tmp/site && .venv/bin/python scripts/url_registry.py update /tmp/site
#   moved pages: .venv/bin/python scripts/move_page.py OLD.md NEW.md (keeps the old URLs, adds a redirect)
# Checked by tests/test_url_registry.py: every URL here serves its page (and its #anchor),
# directly or through a redirect in docs/data/redirects.yml; every built page is listed.
"""


class Registry(BaseModel):
    """The shape of docs/data/urls.yml: ``urls:``, a list of site-relative URLs."""

    model_config = ConfigDict(extra="forbid")

    urls: list[str]

    @field_validator("urls")
    @classmethod
    def _well_formed(cls, urls: list[str]) -> list[str]:
        bad = [u for u in urls if not URL_PATTERN.match(u)]
        if bad:
            raise ValueError(f"not a site URL like '/basics/slug/' or '/basics/slug/#anchor': {', '.join(bad)}")
        dupes = sorted({u for u in urls if urls.count(u) > 1})
        if dupes:
            raise ValueError(f"listed twice: {', '.join(dupes)}")
        pages = {page_of(u) for u in urls if "#" not in u}
        orphans = [u for u in urls if page_of(u) not in pages]
        if orphans:
            raise ValueError(f"anchor of a page that is not registered itself: {', '.join(orphans)}")
        return urls


def page_of(url: str) -> str:
    """``/basics/x/#short-answer`` → ``/basics/x/``."""
    return url.split("#", 1)[0]


def sort_key(url: str) -> tuple[str, int, str]:
    """Pages in path order; each page followed by its anchors in page order."""
    page, _, anchor = url.partition("#")
    rank = 0 if not anchor else 1 + (ANSWER_ANCHORS.index(anchor) if anchor in ANSWER_ANCHORS else len(ANSWER_ANCHORS))
    return page, rank, anchor


def src_to_url(src_path: str) -> str:
    """Docs source path → site URL (use_directory_urls): ``basics/x.md`` → ``/basics/x/``, ``index.md`` → ``/``."""
    p = PurePosixPath(src_path)
    parent = "" if str(p.parent) == "." else f"{p.parent.as_posix()}/"
    return f"/{parent}" if p.name in ("index.md", "README.md") else f"/{parent}{p.stem}/"


def is_question_url(url: str) -> bool:
    """Question pages are ``docs/<section>/<slug>.md``, so their URLs are two folders deep."""
    return len([part for part in page_of(url).split("/") if part]) == 2


# ── The registry file ──────────────────────────────────────────────────────


def render_registry(urls: Iterable[str]) -> str:
    """The canonical text of docs/data/urls.yml (sorted, one URL a line)."""
    registry = Registry(urls=sorted(set(urls), key=sort_key))
    lines = [HEADER.rstrip("\n"), "urls:"]
    for url in registry.urls:
        lines.append(f"  - {url}")
    text = "\n".join(lines) + "\n"
    assert yaml.safe_load(text) == {"urls": registry.urls}, "registry does not round-trip through YAML"
    return text


def load_registry(path: Path) -> Registry:
    """Read and validate docs/data/urls.yml (raises ValueError naming the file)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Registry.model_validate(data)
    except (yaml.YAMLError, ValidationError) as exc:
        raise ValueError(f"{path}: {exc}") from None


def save_registry(path: Path, urls: Iterable[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_registry(urls), encoding="utf-8")


# ── mkdocs.yml (read only; the scripts edit its text, never round-trip it) ──


class _ConfigLoader(yaml.SafeLoader):
    """SafeLoader that accepts mkdocs.yml's tags (``!ENV [NAME, default]`` → default, ``!!python/name:`` → str)."""


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node)
        return values[-1] if values else None
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_ConfigLoader.add_multi_constructor("!", _construct_tagged)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)


def parse_config(text: str, name: str = "mkdocs.yml") -> dict[str, Any]:
    """mkdocs.yml's data (tags resolved to plain values), for reading ``nav`` and ``plugins``."""
    data = yaml.load(text, Loader=_ConfigLoader)
    if not isinstance(data, dict):
        raise ValueError(f"{name}: not a mapping")
    return data


def load_config(config_path: Path) -> dict[str, Any]:
    return parse_config(config_path.read_text(encoding="utf-8"), str(config_path))


def redirect_maps(project: Path) -> dict[str, str]:
    """Moved pages, old docs path → new docs path (docs/data/redirects.yml, macros/redirects.py)."""
    return load_redirects(project)


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar for a mapping key or value: plain when that reads back the same, else quoted."""
    try:
        if yaml.safe_load(f"{text}: x") == {text: "x"} and yaml.safe_load(f"k: {text}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


# ── The built site ─────────────────────────────────────────────────────────


@dataclass(frozen=True)
class HtmlPage:
    file: Path
    ids: frozenset[str]
    redirect: str | None  # the meta-refresh target of a mkdocs-redirects page, else None


@cache
def _read_page(file: Path, mtime_ns: int) -> HtmlPage:
    soup = BeautifulSoup(file.read_text(encoding="utf-8"), "lxml")
    ids = frozenset(str(el["id"]) for el in soup.find_all(id=True))
    redirect = None
    meta = soup.find("meta", attrs={"http-equiv": re.compile("^refresh$", re.I)})
    if meta is not None:
        match = re.search(r"url=(.+)$", str(meta.get("content", "")), re.I)
        redirect = match.group(1).strip() if match else ""
    return HtmlPage(file, ids, redirect)


def read_page(file: Path) -> HtmlPage:
    return _read_page(file, file.stat().st_mtime_ns)


def html_file(site: Path, url: str) -> Path:
    """The file that serves a directory URL: ``/basics/x/`` → ``SITE/basics/x/index.html``."""
    return site / unquote(page_of(url)).lstrip("/") / "index.html"


def site_pages(site: Path) -> dict[str, HtmlPage]:
    """Every published page of a built site by URL (redirect pages and 404.html left out)."""
    pages = {}
    for file in sorted(site.rglob("index.html")):
        page = read_page(file)
        if page.redirect is None:
            rel = file.parent.relative_to(site).as_posix()
            pages["/" if rel == "." else f"/{rel}/"] = page
    return pages


def published_urls(site: Path) -> list[str]:
    """What the registry must contain for this build: each page, and the answer anchors of question pages."""
    urls = []
    for url in site_pages(site):
        urls.append(url)
        if is_question_url(url):
            urls += [f"{url}#{a}" for a in ANSWER_ANCHORS]
    return sorted(urls, key=sort_key)


@dataclass(frozen=True)
class Problem:
    url: str
    problem: str

    def __str__(self) -> str:
        return f"{self.url}: {self.problem}"


def check_url(site: Path, url: str, redirects: dict[str, str]) -> str | None:
    """Why a registered URL does not work in the built site, or None when it does."""
    anchor = url.partition("#")[2]
    file = html_file(site, url)
    redirect_sources = [old for old in redirects if src_to_url(old) == page_of(url)]
    if not file.is_file():
        if redirect_sources:
            return f"docs/data/redirects.yml redirects {redirect_sources[0]}, but the build wrote no redirect page {file.relative_to(site)}"
        return (
            "no page in the built site and no redirect for it in docs/data/redirects.yml: "
            "a published URL must keep working (move pages with scripts/move_page.py OLD.md NEW.md)"
        )
    page = read_page(file)
    if page.redirect is None:
        if anchor and anchor not in page.ids:
            return f"the page has no id '{anchor}' (renamed or removed section anchor?)"
        return None
    if not redirect_sources:
        return "the built site serves a redirect here, but docs/data/redirects.yml has no entry for it"
    target = urlsplit(urljoin(page_of(url), page.redirect))
    if target.scheme in ("http", "https"):
        return None  # an external destination: not checked offline
    target_file = html_file(site, target.path)
    if not target_file.is_file():
        return f"redirects to {target.path}, which is not in the built site"
    landing = read_page(target_file)
    if landing.redirect is not None:
        return f"redirects to {target.path}, which is itself a redirect"
    wanted = anchor or target.fragment
    if wanted and wanted not in landing.ids:
        return f"redirects to {target.path}, which has no id '{wanted}'"
    return None


def check_registry(site: Path, urls: Iterable[str], redirects: dict[str, str]) -> list[Problem]:
    """Registered URLs that the built site does not serve (directly or via a configured redirect)."""
    problems = []
    for url in urls:
        why = check_url(site, url, redirects)
        if why:
            problems.append(Problem(url, why))
    return problems


def unregistered(site: Path, urls: Iterable[str]) -> list[Problem]:
    """Published URLs of the built site that the registry does not list."""
    known = set(urls)
    return [
        Problem(url, f"published but not in {REGISTRY}: {UPDATE_HINT}")
        for url in published_urls(site)
        if url not in known
    ]


# ── Command line ───────────────────────────────────────────────────────────


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

    redirects = redirect_maps(project)
    problems = [*check_registry(site, known, redirects), *unregistered(site, known)]
    for problem in problems:
        print(problem)
    print(f"{len(known)} registered URL(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
