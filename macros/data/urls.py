"""The registry of published URLs (``docs/data/urls.yml``) and how a built site serves them.

A published URL is permanent: readers bookmark it, other sites link to it. The
registry lists every page URL (``/``, ``/basics/``, ``/basics/why-decoder-only/``…)
and, for every question page, its answer-section anchors (macros/stages/anatomy.py). A URL
never leaves the registry: when a page moves (``scripts/move_page.py``), its old
URLs stay registered and must keep working through a redirect listed in
redirect_maps in mkdocs.yml. ``scripts/url_registry.py`` is the command line.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from selectolax.lexbor import LexborHTMLParser

from macros.stages.anatomy import ANSWER_ANCHORS

REGISTRY = PurePosixPath("docs/data/urls.yml")
ANCHOR = r"[a-z0-9]+(?:-[a-z0-9]+)*"
# "/", "/basics/", "/basics/why-decoder-only/", optionally with "#anchor".
URL_PATTERN = re.compile(rf"^/(?:[a-z0-9][a-z0-9\-]*/)*(?:#{ANCHOR})?$")
UPDATE_HINT = (
    "register it: `.venv/bin/mkdocs build --strict -d /tmp/site && "
    ".venv/bin/python -m scripts.url_registry update /tmp/site`, then commit docs/data/urls.yml"
)
HEADER = """\
# Every URL this site has published. Published URLs are permanent: this list only grows.
# Generated, do not edit by hand:
#   new pages:   .venv/bin/mkdocs build --strict -d /tmp/site && .venv/bin/python -m scripts.url_registry update /tmp/site
#   moved pages: .venv/bin/python -m scripts.move_page OLD.md NEW.md (keeps the old URLs, adds a redirect)
# Checked by tests/test_url_registry.py: every URL here serves its page (and its #anchor),
# directly or through a redirect in redirect_maps in mkdocs.yml; every built page is listed.
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


def relative_url(target: str, base: str) -> str:
    """A site URL (``/advanced/kv-cache/#short-answer``) as a link from the page at ``base`` (``/practice/``):
    ``../advanced/kv-cache/#short-answer``. Both are directory URLs from the site root."""
    path, sep, fragment = target.partition("#")
    rel = posixpath.relpath(path, page_of(base).rstrip("/") or "/")
    if rel == ".":
        return "#" + fragment if sep else "./"
    return rel + ("/" if path.endswith("/") else "") + sep + fragment


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


# ── The built site ─────────────────────────────────────────────────────────


@dataclass(frozen=True)
class HtmlPage:
    file: Path
    ids: frozenset[str]  # every id, and every <a name>: what a #fragment can target
    redirect: str | None  # the meta-refresh target of a mkdocs-redirects page, else None


@cache
def _read_page(file: Path, mtime_ns: int) -> HtmlPage:
    tree = LexborHTMLParser(file.read_text(encoding="utf-8"))
    ids = {str(n.attributes["id"]) for n in tree.css("[id]") if n.attributes.get("id")}
    ids |= {str(a.attributes["name"]) for a in tree.css("a[name]") if a.attributes.get("name")}  # old-style anchors
    redirect = None
    for meta in tree.css("meta[http-equiv]"):
        if (meta.attributes.get("http-equiv") or "").lower() == "refresh":
            match = re.search(r"url=(.+)$", meta.attributes.get("content") or "", re.I)
            redirect = match.group(1).strip() if match else ""
    return HtmlPage(file, frozenset(ids), redirect)


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
            return f"redirect_maps in mkdocs.yml redirects {redirect_sources[0]}, but the build wrote no redirect page {file.relative_to(site)}"
        return (
            "no page in the built site and no redirect for it in redirect_maps in mkdocs.yml: "
            "a published URL must keep working (move pages with scripts/move_page.py OLD.md NEW.md)"
        )
    page = read_page(file)
    if page.redirect is None:
        if anchor and anchor not in page.ids:
            return f"the page has no id '{anchor}' (renamed or removed section anchor?)"
        return None
    if not redirect_sources:
        return "the built site serves a redirect here, but redirect_maps in mkdocs.yml has no entry for it"
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
