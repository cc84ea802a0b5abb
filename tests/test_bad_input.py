"""Bad contributions are refused with the file (and line) named, and nothing is published.

Four kinds need the real build, so each runs it on a temporary copy of the project:
a broken link (mkdocs' own validation), bad TeX (MathJax in Node), a macro typo
(Jinja) and a duplicate question id (a cross-page check). Every other validator is
a plain function and is tried in process, which is faster and names the exact line:
front matter, formulas, data files. A failing build exits non-zero, so the deploy
workflow, which publishes only after a successful strict build, publishes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from macros.data.architectures import load_architectures
from macros.data.bibliography import load_bibliography
from macros.data.errors import SourceError
from macros.data.frontmatter import (
    QuestionMeta,
    Questions,
    check_cross_references,
    is_question_page,
    register_question,
    validate_page,
)
from macros.data.sitedata import load_site_data
from macros.outputs.tables import load_table
from macros.tex.mathscan import scan
from tests.helpers import DOCS, build, copy_project, source_pages

# A published question page to break (the first one): no test depends on its content.
PAGE_SRC = next(src for src in source_pages() if is_question_page(src))
PAGE = f"docs/{PAGE_SRC}"
COPY = PAGE.replace(".md", "-zz-copy.md")


def append(text: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / PAGE
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return apply


def duplicate_question(project: Path) -> None:
    (project / COPY).write_text((project / PAGE).read_text(encoding="utf-8"), encoding="utf-8")


@dataclass
class Case:
    name: str
    mutate: Callable[[Path], None]
    file: str
    needle: str | None  # the line containing this must be named
    message: str


BUILD_CASES = [
    Case("broken internal link", append("\n[坏链接](zz-no-such-page.md)\n"), PAGE, None, "zz-no-such-page.md"),
    Case(
        "undefined TeX command", append("\n坏命令 $\\nosuch x$ 结束。\n"), PAGE, "坏命令", "Undefined control sequence"
    ),
    Case("macro typo", append("\n{{ referencs() }}\n"), PAGE, "referencs", r"referencs\(…\): only the site's macros"),
    Case("duplicate question id", duplicate_question, COPY, None, re.escape(PAGE_SRC.replace("/", "-")[:-3])),
]


@pytest.mark.parametrize("case", BUILD_CASES, ids=[c.name for c in BUILD_CASES])
def test_bad_input_stops_the_build(case: Case, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    case.mutate(project)
    result = build(project, tmp_path / "site")
    assert not result.ok, f"{case.name}: the build passed"
    out = result.output
    assert case.file in out or case.file.removeprefix("docs/") in out, f"{case.name}: file not named in:\n{out[-3000:]}"
    if case.needle is not None:
        lines = (project / case.file).read_text(encoding="utf-8").splitlines()
        line = next(i for i, text in enumerate(lines, 1) if case.needle in text)
        where = f"{case.file}:{line}"
        assert where in out, f"{case.name}: expected {where!r} in:\n{out[-3000:]}"
    assert re.search(case.message, out), f"{case.name}: /{case.message}/ not in:\n{out[-3000:]}"


# ── In process: the validators themselves ─────────────────────────────────


def refused(fn: Callable[[], object], path: str, line_text: str, text: str, message: str) -> None:
    """``fn`` raises SourceError naming ``path`` and the last line of ``text`` that contains ``line_text``."""
    with pytest.raises(SourceError) as err:
        fn()
    line = max(i for i, t in enumerate(text.splitlines(), 1) if line_text in t)
    assert f"{path}:{line}:" in str(err.value) and re.search(message, str(err.value)), str(err.value)


def page_text() -> str:
    return (DOCS / PAGE_SRC).read_text(encoding="utf-8")


def test_unclosed_display_formula() -> None:
    text = page_text() + "\n$$\nx^2\n\n后面的段落。\n"
    refused(lambda: scan(text, PAGE), PAGE, "$$", text, r"\$\$")


@pytest.mark.parametrize(
    ("old", "new", "line_text", "message"),
    [
        ("difficulty: ", "difficulty_typo: ", "difficulty_typo", "difficulty"),
        ("tags: [", "tags: 7\nold_tags: [", "tags: 7", "tags"),
        ("reviewed: ", "reviewed: 2026-13\nold_reviewed: ", "reviewed: 2026-13", "reviewed"),
    ],
)
def test_bad_front_matter(old: str, new: str, line_text: str, message: str) -> None:
    text = page_text().replace(old, new, 1)
    refused(lambda: validate_page(text, PAGE_SRC), PAGE, line_text, text, message)


def test_cross_references_between_pages() -> None:
    """``related`` must name a question of the build, ``sources`` a bibliography entry."""
    meta = validate_page(page_text(), PAGE_SRC)
    assert isinstance(meta, QuestionMeta) and meta.related and meta.sources
    questions: Questions = {}
    register_question(questions, PAGE, meta)
    with pytest.raises(SourceError, match=rf"{re.escape(COPY)}:2: field 'id': .* already used by {re.escape(PAGE)}"):
        register_question(questions, COPY, meta)
    with pytest.raises(SourceError, match=rf"{re.escape(PAGE)}: field 'related': no question page has id"):
        check_cross_references(questions, lambda key: True)
    for rid in meta.related:  # every related page present: only the sources are left to check
        questions[rid] = (PAGE, meta.model_copy(update={"id": rid, "related": []}))
    check_cross_references(questions, lambda key: True)
    with pytest.raises(SourceError, match=rf"field 'sources': '{re.escape(meta.sources[0])}' is not in"):
        check_cross_references(questions, lambda key: False)


def mutated_yaml(tmp_path: Path, source: Path, change: Callable[[dict], str]) -> tuple[Path, str]:
    """A copy of a data file with one change made to its data; returns (path, the changed line's text)."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    needle = change(data)
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path, needle


def test_bad_architecture_data(tmp_path: Path) -> None:
    data = load_site_data(DOCS)
    bib = data.bibliography
    source = DOCS / "data" / "architectures.yml"

    def unknown_family(data: dict) -> str:
        data["families"][1]["id"] = "zz_family"
        return "zz_family"

    def wrong_type(data: dict) -> str:
        data["families"][0]["objectives"] = 42
        return "objectives: 42"

    def unknown_source(data: dict) -> str:
        data["families"][0]["models"][0]["source"] = "zz-nobody-2099"
        return "zz-nobody-2099"

    for change, message in (
        (unknown_family, "families.1.id"),
        (wrong_type, "objectives"),
        (unknown_source, "zz-nobody"),
    ):
        path, needle = mutated_yaml(tmp_path, source, change)
        text = path.read_text(encoding="utf-8")
        refused(
            lambda p=path: load_architectures(p, bib, "docs/data/architectures.yml"),
            "docs/data/architectures.yml",
            needle,
            text,
            message,
        )  # noqa: E501


def test_bad_table_data(tmp_path: Path) -> None:
    bib = load_bibliography(DOCS / "data" / "bibliography.yml")
    source = next((DOCS / "data" / "tables").glob("*.yml"))
    display = f"docs/data/tables/{source.name}"

    def missing_value(data: dict) -> str:
        data["entities"][-1]["values"].pop(data["fields"][0]["key"])
        return "values:"

    def unknown_source(data: dict) -> str:
        data["entities"][0]["sources"] = ["zz-nobody-2099"]
        return "zz-nobody-2099"

    for change, message in ((missing_value, "missing value"), (unknown_source, "zz-nobody")):
        path, needle = mutated_yaml(tmp_path, source, change)
        refused(lambda p=path: load_table(p, bib, display), display, needle, path.read_text(encoding="utf-8"), message)
