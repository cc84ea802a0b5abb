"""Scaffold a new question page as a draft, ready to fill in and preview.

Writes ``docs/<section>/<slug>.md`` from ``scripts/templates/question.md`` (complete front
matter with ``status: draft``, the whole page anatomy, every line still to write marked
``TODO:``) and adds it at the end of its section in the ``nav:`` of mkdocs.yml. A draft is
shown by ``make serve`` and left out of ``mkdocs build``; tests/test_drafts.py lists every
page that is still a draft or has a ``TODO:`` line. A used slug, id or published URL is
refused, and then nothing is written.

Example:
    .venv/bin/python -m scripts.new_question --title "什么是 KV Cache？" --section basics \\
        --slug kv-cache --nav-title "KV Cache" --difficulty 进阶 --tags 注意力,成本
"""

from __future__ import annotations

import argparse
import re
from datetime import date
from pathlib import Path
from string import Template
from typing import get_args

from macros.data.bibliography import load_bibliography
from macros.data.errors import SourceError
from macros.data.frontmatter import SLUG, Difficulty, Tag, expected_id, is_draft, validate_page
from macros.data.redirects import load_redirects
from macros.data.sections import section_questions
from macros.data.urls import REGISTRY, load_registry, src_to_url
from macros.data.yamlfile import yaml_scalar
from scripts.project import ROOT, nav_insert

TEMPLATE = Path(__file__).resolve().parent / "templates" / "question.md"
TODO_MARK = "TODO:"
TAGS: tuple[str, ...] = get_args(Tag)


def question(title: str) -> str:
    title = re.sub(r"\?$", "？", title.strip())
    if len(title) < 4 or not title.endswith("？"):
        raise argparse.ArgumentTypeError(f"the question itself, at least 4 characters, ending with '？': {title!r}")
    if bad := [s for s in ("{{", "{%", "$", "<", ">", "\n") if s in title]:
        raise argparse.ArgumentTypeError(f"no {' '.join(map(repr, bad))} (macros, formulas and HTML)")
    return title


def tag_list(text: str) -> list[str]:
    tags = [t.strip() for t in re.split(r"[,，、]", text) if t.strip()]
    if unknown := [t for t in tags if t not in TAGS]:
        raise argparse.ArgumentTypeError(f"unknown tag(s) {', '.join(unknown)}; choose from {', '.join(TAGS)}")
    if not 1 <= len(tags) <= 4 or len(set(tags)) != len(tags):
        raise argparse.ArgumentTypeError("give 1–4 different tags (1–3 recommended), separated by commas")
    return tags


def slug(text: str) -> str:
    if not re.match(SLUG, text) or text == "index":
        raise argparse.ArgumentTypeError(f"must be lowercase ASCII letters, digits and single hyphens: {text!r}")
    return text


def unfinished_pages(docs: Path) -> list[str]:
    """``docs/<path>: <why>`` for each page still marked ``status: draft`` or with a ``TODO:`` line."""
    found = []
    for path in sorted(docs.rglob("*.md")):
        src, text = "docs/" + path.relative_to(docs).as_posix(), path.read_text(encoding="utf-8")
        todo = [str(n) for n, line in enumerate(text.splitlines(), 1) if TODO_MARK in line]
        why = ["status: draft"] if is_draft(text, src) else []
        why += [f"{TODO_MARK} on line(s) {', '.join(todo)}"] if todo else []
        found += [f"{src}: {'; '.join(why)}"] if why else []
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--title", required=True, type=question, help="the question, ending with '？' (the H1)")
    parser.add_argument("--section", required=True, help="a section folder under docs/ (with an index.md)")
    parser.add_argument("--slug", required=True, type=slug, help="short English name in the URL, like kv-cache")
    parser.add_argument("--nav-title", help="short title in the navigation (default: the question without '？')")
    parser.add_argument("--difficulty", choices=get_args(Difficulty), default="基础", help="default: %(default)s")
    parser.add_argument("--tags", type=tag_list, default="基础概念", help=f"1–4 of {', '.join(TAGS)}, comma-separated")
    args = parser.parse_args(argv)
    docs, src = ROOT / "docs", f"{args.section}/{args.slug}.md"
    if not (docs / args.section / "index.md").is_file():
        parser.error(f"--section: no section {args.section!r} (a folder of docs/ with an index.md)")
    if (docs / src).exists():  # (the build requires id = <section>-<slug>: so its id is taken too)
        parser.error(f"docs/{src} already exists: choose another --slug")
    if src in load_redirects(ROOT) or src_to_url(src) in load_registry(ROOT / REGISTRY).urls:
        parser.error(f"{src_to_url(src)} was published before ({REGISTRY}, redirect_maps): URLs are never reused")

    text = Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        id=expected_id(src),
        question=args.title,
        question_yaml=yaml_scalar(args.title),
        tags=", ".join(args.tags),
        difficulty=args.difficulty,
        source=next(iter(load_bibliography(docs / "data" / "bibliography.yml").root), "TODO"),
        related=", ".join(expected_id(q.src_path) for q in section_questions(docs, args.section)[:2]),
        reviewed=date.today().strftime("%Y-%m"),
    )
    try:
        validate_page(text, src)  # the scaffold itself must pass the schema the build applies
    except SourceError as exc:
        parser.error(f"the generated page would not build: {exc}")
    nav_line = f"- {yaml_scalar(args.nav_title or args.title.removesuffix('？'))}: {src}"
    try:
        config = nav_insert(
            (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), rf"{re.escape(args.section)}/\S+\.md", [(0, nav_line)]
        )
    except ValueError as exc:
        parser.error(str(exc))
    (docs / src).write_text(text, encoding="utf-8")
    (ROOT / "mkdocs.yml").write_text(config, encoding="utf-8")
    print(f"""created docs/{src} (a draft: `status: draft`, so `mkdocs build` leaves it out)
added to the nav of mkdocs.yml: {nav_line}

Fill in every line marked {TODO_MARK} (grep -n "{TODO_MARK}" docs/{src}): front matter (description,
  aliases, sources, related; check tags and difficulty), then 30 秒回答, 详解, 常见误区, 常见追问, citing
  with cite (CONTRIBUTING.md); new sources go into docs/data/bibliography.yml first.
Preview:  make serve, then open http://127.0.0.1:8000{src_to_url(src)}
Publish:  when every {TODO_MARK} is done, delete the line `status: draft`, then register its URLs: make register
Check:    make test (tests/test_drafts.py lists pages that are still drafts or have {TODO_MARK} lines)""")


if __name__ == "__main__":
    main()
