"""Section index pages, generated from the question pages' front matter.

A section is a folder of docs/ with an ``index.md``; its questions are the other
pages in the folder that are not drafts, in the order of the site nav (pages the
nav does not list come last, by file name). ``{{ section_index() }}`` on a section's
index page renders the list, so adding a question never means editing the index.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from macros.data.frontmatter import QuestionMeta, is_draft, is_question_page, validate_page
from macros.outputs.tables import html_table, text_cell

T = TypeVar("T")


@dataclass(frozen=True)
class QuestionSummary:
    src_path: str  # relative to docs/
    question: str
    difficulty: str
    tags: tuple[str, ...]
    description: str


def nav_pages(nav: Any, section: str = "") -> list[tuple[str, str, str]]:
    """(section title, nav title, path) of every entry of a mkdocs ``nav`` setting, depth
    first. The section is the title of the innermost list holding the entry ("" at the
    top level); the nav title is "" for an entry written without one."""
    out: list[tuple[str, str, str]] = []
    if isinstance(nav, str):
        out.append((section, "", nav))
    elif isinstance(nav, list):
        for item in nav:
            out += nav_pages(item, section)
    elif isinstance(nav, dict):
        for title, value in nav.items():
            if isinstance(value, str):
                out.append((section, str(title), value))
            else:
                out += nav_pages(value, str(title) if isinstance(value, list) else section)
    return out


def nav_order(nav: Any) -> list[str]:
    """Every Markdown path in a mkdocs ``nav`` setting, depth first."""
    return [src for _, _, src in nav_pages(nav)]


def nav_sorted(items: Iterable[T], nav: Any, src: Callable[[T], str]) -> list[T]:
    """``items`` in the nav's order of their source paths (``src(item)``); pages not in the nav last, by path."""
    order = {path: i for i, path in enumerate(nav_order(nav))}
    return sorted(items, key=lambda item: (order.get(src(item), len(order)), src(item)))


def section_questions(docs_dir: Path, section: str, nav: Any = None) -> list[QuestionSummary]:
    """The published question pages of one section, in nav order."""
    found = []
    for path in sorted((docs_dir / section).glob("*.md")):
        src = PurePosixPath(section, path.name).as_posix()
        if not is_question_page(src):
            continue
        text = path.read_text(encoding="utf-8")
        if is_draft(text, "docs/" + src):
            continue  # drafts are not published, and may still be incomplete
        meta = validate_page(text, src)  # errors name the file and line
        if not isinstance(meta, QuestionMeta):
            continue
        found.append(QuestionSummary(src, meta.question, meta.difficulty, tuple(meta.tags), meta.description))
    return nav_sorted(found, nav, lambda q: q.src_path)


def render_section_index(questions: list[QuestionSummary]) -> str:
    """The section's questions, numbered (links relative to the index page's URL).

    The same data table as every other (``html_table``): a card per question on phones.
    """
    rows = [
        (
            str(i),
            [
                f'<a href="{html.escape(PurePosixPath(q.src_path).stem)}/">{text_cell(q.question)}</a>',
                text_cell(q.difficulty),
                text_cell("、".join(q.tags)),
                text_cell(q.description),
            ],
        )
        for i, q in enumerate(questions, 1)
    ]
    table = html_table("#", ["题目", "难度", "标签", "简介"], rows, 'class="section-index stack-table"')
    return f"本栏目共 {len(questions)} 道题。\n\n{table}"


def section_titles(nav: Any) -> dict[str, str]:
    """Each section folder's title in the nav: ``{"basics": "大模型基础面", …}`` (the title
    of the list that holds the folder's ``index.md``), in nav order."""
    titles: dict[str, str] = {}
    for section, _, src in nav_pages(nav):
        if section and src.endswith("/index.md"):
            titles.setdefault(src.split("/")[0], section)
    return titles


def first_section(nav: Any) -> str:
    """The folder of the first section index in the nav (``basics/``), or ``""`` if none."""
    sections = [src for src in nav_order(nav) if src.endswith("/index.md")]
    return sections[0].removesuffix("index.md") if sections else ""


def question_index(src_path: str, fallback: str) -> str:
    """Where "随机一题" leads without JavaScript: the question list of the page's own
    section on a question page, else ``fallback`` (the build passes :func:`first_section`)."""
    return src_path.split("/")[0] + "/" if is_question_page(src_path) else fallback
