#!/usr/bin/env python3
"""Scaffold a new question page as a draft, ready to fill in and preview.

Creates ``docs/<section>/<slug>.md`` from ``scripts/templates/question.md`` with
complete, valid front matter (``id``, ``question``, ``description``, ``aliases``,
``tags``, ``difficulty``, ``sources``, ``related``, ``render_macros: true``) and
``status: draft``, plus the whole page anatomy (H1 = the question, the five answer
sections with their anchors, ``{{ references() }}``). Everything still to write is
on a line containing ``TODO:``. The page is added at the end of its section in the
``nav:`` of mkdocs.yml (a one-line text edit: mkdocs.yml is never re-serialised).

A draft is shown by ``make serve`` and left out of ``mkdocs build``, so the strict
build keeps passing while the page is being written; tests/test_drafts.py lists
every page that is still a draft or has a ``TODO:`` line.

Example:
    .venv/bin/python -m scripts.new_question --title "什么是 KV Cache？" --section basics \\
        --slug kv-cache --nav-title "KV Cache" --difficulty 进阶 --tags 注意力,成本
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from string import Template
from typing import get_args

from macros.data.bibliography import load_bibliography
from macros.data.config import parse_config
from macros.data.errors import SourceError
from macros.data.frontmatter import SLUG, Difficulty, Tag, is_draft, is_question_page, read_front_matter, validate_page
from macros.data.redirects import load_redirects
from macros.data.sections import nav_order
from macros.data.urls import REGISTRY, load_registry, src_to_url
from macros.data.yamlfile import yaml_scalar

ROOT = Path(__file__).resolve().parent.parent

TEMPLATE = Path(__file__).resolve().parent / "templates" / "question.md"
TODO_MARK = "TODO:"
TAGS: tuple[str, ...] = get_args(Tag)
DIFFICULTIES: tuple[str, ...] = get_args(Difficulty)
NOT_SECTIONS = ("assets", "data")
UNSAFE_IN_TITLE = ("{{", "{%", "$", "<", ">", "\n")


class UsageError(Exception):
    """A bad argument: reported by argparse with exit status 2, nothing written."""


# ── What the repository offers ─────────────────────────────────────────────


def sections(docs: Path) -> list[str]:
    """Sections are the folders of docs/ with an index page (``basics``…)."""
    return sorted(
        p.name for p in docs.iterdir() if p.is_dir() and (p / "index.md").is_file() and p.name not in NOT_SECTIONS
    )


def page_meta(path: Path, docs: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return read_front_matter(text, "docs/" + path.relative_to(docs).as_posix()).data or {}


def published_ids(docs: Path, section: str) -> list[str]:
    """Ids of the section's question pages that are not drafts, in file order."""
    ids = []
    for path in sorted((docs / section).glob("*.md")):
        src = path.relative_to(docs).as_posix()
        meta = page_meta(path, docs)
        if is_question_page(src) and meta.get("id") and not is_draft(path.read_text(encoding="utf-8"), src):
            ids.append(str(meta["id"]))
    return ids


def all_ids(docs: Path) -> set[str]:
    return {str(page_meta(p, docs).get("id")) for p in docs.rglob("*.md") if page_meta(p, docs).get("id")}


def first_bibliography_key(docs: Path) -> str:
    keys = list(load_bibliography(docs / "data" / "bibliography.yml", "docs/data/bibliography.yml").root)
    if not keys:
        raise UsageError("docs/data/bibliography.yml has no entries: add the page's sources there first")
    return keys[0]


# ── Checking the arguments ─────────────────────────────────────────────────


def clean_title(title: str) -> str:
    title = title.strip()
    if title.endswith("?"):
        title = title[:-1] + "？"
    if len(title) < 4 or not title.endswith("？"):
        raise UsageError(f"--title must be the question itself, at least 4 characters, ending with '？': {title!r}")
    bad = [s for s in UNSAFE_IN_TITLE if s in title]
    if bad:
        raise UsageError(f"--title must not contain {' '.join(map(repr, bad))} (macros, formulas and HTML)")
    return title


def parse_tags(text: str) -> list[str]:
    tags = [t.strip() for t in re.split(r"[,，、]", text) if t.strip()]
    unknown = [t for t in tags if t not in TAGS]
    if unknown:
        raise UsageError(f"--tags: unknown tag(s) {', '.join(unknown)}; choose from {', '.join(TAGS)}")
    if not 1 <= len(tags) <= 4 or len(set(tags)) != len(tags):
        raise UsageError("--tags: give 1–4 different tags (1–3 recommended), separated by commas")
    return tags


def check_slug(project: Path, section: str, slug: str) -> str:
    """The new page's docs path, if the slug is well-formed and neither it nor its URL was ever used."""
    docs = project / "docs"
    if not re.match(SLUG, slug) or slug == "index":
        raise UsageError(
            f"--slug must be lowercase ASCII letters, digits and single hyphens (like 'kv-cache'): {slug!r}"
        )
    if section not in sections(docs):
        raise UsageError(f"--section: no section {section!r}; existing sections: {', '.join(sections(docs))}")
    src = f"{section}/{slug}.md"
    if (docs / src).exists():
        raise UsageError(f"docs/{src} already exists: choose another --slug")
    if f"{section}-{slug}" in all_ids(docs):
        raise UsageError(f"id '{section}-{slug}' is already used by another page: choose another --slug")
    url = src_to_url(src)
    redirects = load_redirects(project)
    registry = project / REGISTRY
    if src in redirects or (registry.exists() and url in load_registry(registry).urls):
        raise UsageError(
            f"the URL {url} was published before (see {REGISTRY} and redirect_maps in mkdocs.yml); "
            "URLs are never reused: choose another --slug"
        )
    return src


# ── Writing ────────────────────────────────────────────────────────────────


def render_page(
    question: str, section: str, slug: str, tags: list[str], difficulty: str, source: str, related: list[str]
) -> str:
    """The new page's Markdown, from the template."""
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        id=f"{section}-{slug}",
        question=question,
        question_yaml=yaml_scalar(question),
        tags=", ".join(tags),
        difficulty=difficulty,
        source=source,
        related=", ".join(related),
        reviewed=date.today().strftime("%Y-%m"),
    )


def add_to_nav(config_text: str, section: str, nav_title: str, src: str) -> str:
    """Insert ``- <nav title>: <src>`` after the last nav entry of the section (text edit, comments kept)."""
    lines = config_text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"^nav:\s*(#.*)?$", line)), None)
    if start is None:
        raise UsageError("mkdocs.yml has no `nav:`: add the page to the navigation by hand")
    entry = re.compile(rf"^(\s*)- (?:.+?:\s+)?{re.escape(section)}/\S+\.md\s*(#.*)?$")
    last = None
    for i in range(start + 1, len(lines)):
        if re.match(r"^\S", lines[i]) and not lines[i].startswith("#"):
            break  # the next top-level key
        if entry.match(lines[i].rstrip("\n")):
            last = i
    if last is None:
        raise UsageError(f"mkdocs.yml `nav:` has no entry under {section}/: add the section to the navigation first")
    indent = entry.match(lines[last].rstrip("\n")).group(1)
    if not lines[last].endswith("\n"):
        lines[last] += "\n"
    lines.insert(last + 1, f"{indent}- {yaml_scalar(nav_title)}: {src}\n")
    return "".join(lines)


# ── Unfinished pages (used by tests/test_drafts.py) ────────────────────────


@dataclass(frozen=True)
class Unfinished:
    src: str  # docs path, e.g. "docs/basics/kv-cache.md"
    draft: bool
    todo_lines: tuple[int, ...]

    def __str__(self) -> str:
        reasons = []
        if self.draft:
            reasons.append("status: draft")
        if self.todo_lines:
            reasons.append(f"{TODO_MARK} on line(s) {', '.join(map(str, self.todo_lines))}")
        return f"{self.src}: {'; '.join(reasons)}"


def unfinished_pages(docs: Path) -> list[Unfinished]:
    """Pages still marked ``status: draft`` or with a ``TODO:`` placeholder line."""
    found = []
    for path in sorted(docs.rglob("*.md")):
        src = path.relative_to(docs).as_posix()
        text = path.read_text(encoding="utf-8")
        todo = tuple(n for n, line in enumerate(text.splitlines(), 1) if TODO_MARK in line)
        draft = is_draft(text, "docs/" + src)
        if draft or todo:
            found.append(Unfinished("docs/" + src, draft, todo))
    return found


# ── Command line ───────────────────────────────────────────────────────────


def scaffold(
    project: Path,
    title: str,
    section: str,
    slug: str,
    nav_title: str | None,
    difficulty: str,
    tags: list[str],
) -> tuple[str, str]:
    """Create the draft page and its nav entry; return (docs path, nav line). Nothing is written on error."""
    docs = project / "docs"
    question = clean_title(title)
    src = check_slug(project, section, slug)
    nav_title = (nav_title or question.rstrip("？")).strip()
    if not nav_title or "\n" in nav_title:
        raise UsageError("--nav-title must be a short, single-line title")
    related = published_ids(docs, section)[:2]
    text = render_page(question, section, slug, tags, difficulty, first_bibliography_key(docs), related)
    try:
        validate_page(text, src)  # the scaffold itself must pass the schema the build applies
    except SourceError as exc:
        raise UsageError(f"the generated page would not build: {exc}") from None

    config_path = project / "mkdocs.yml"
    new_config = add_to_nav(config_path.read_text(encoding="utf-8"), section, nav_title, src)
    if src not in nav_order(parse_config(new_config).get("nav")):
        raise UsageError("could not add the page to the nav of mkdocs.yml: add it by hand")
    (docs / src).write_text(text, encoding="utf-8")
    config_path.write_text(new_config, encoding="utf-8")
    nav_line = next(line.strip() for line in new_config.splitlines() if line.rstrip().endswith(f": {src}"))
    return src, nav_line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Create docs/<section>/<slug>.md as a draft question page (complete front matter, page "
        "anatomy, TODO: placeholders) and add it to the nav of mkdocs.yml.",
        epilog='example: %(prog)s --title "什么是 KV Cache？" --section basics --slug kv-cache --tags 注意力,成本',
    )
    parser.add_argument(
        "--title", required=True, help="the question itself, in Chinese, ending with '？' (the page H1)"
    )
    parser.add_argument("--section", required=True, help="the section folder under docs/, e.g. basics")
    parser.add_argument("--slug", required=True, help="the English short name in the URL: lowercase, digits, hyphens")
    parser.add_argument("--nav-title", help="short title in the navigation (default: the question without '？')")
    parser.add_argument("--difficulty", choices=DIFFICULTIES, default=DIFFICULTIES[0], help="default: %(default)s")
    parser.add_argument(
        "--tags", default="基础概念", help=f"1–4 comma-separated tags from: {', '.join(TAGS)} (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    try:
        tags = parse_tags(args.tags)
        src, nav_line = scaffold(ROOT, args.title, args.section, args.slug, args.nav_title, args.difficulty, tags)
    except UsageError as exc:
        parser.error(str(exc))
    page = ROOT / "docs" / src
    todo = [n for n, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1) if TODO_MARK in line]
    print(f"created docs/{src} (a draft: `status: draft`, so `mkdocs build` leaves it out)")
    print(f"added to the nav of mkdocs.yml: {nav_line}")
    print(f"""
Fill in every line marked {TODO_MARK} ({len(todo)} lines: grep -n "{TODO_MARK}" docs/{src}):
  - front matter: description (50–120 characters), aliases, sources (placeholder key), related
    (placeholder ids); check tags and difficulty (CONTRIBUTING.md, "front matter 字段");
  - 30 秒回答 (3–5 points), 详解, 常见误区, 常见追问 (2–4), citing with cite (CONTRIBUTING.md, "引用文献");
    new sources go into docs/data/bibliography.yml first.
Preview:  make serve, then open http://127.0.0.1:8000{src_to_url(src)}
Check:    make test (tests/test_drafts.py lists pages that are still drafts or have {TODO_MARK} lines)
Publish:  when every {TODO_MARK} is done, delete the line `status: draft`, then register the new URLs:
          .venv/bin/mkdocs build --strict -d /tmp/site && .venv/bin/python -m scripts.url_registry update /tmp/site""")
    return 0


if __name__ == "__main__":
    sys.exit(main())
