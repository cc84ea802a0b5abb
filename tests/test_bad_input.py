"""Bad contributions are refused with the file (and line) named, and nothing is published.

Four kinds need the real build, run on temporary copies of the project: a broken link
(mkdocs' own validation), bad TeX (MathJax in Node), a macro typo (Jinja) and a
duplicate question id (a cross-page check), each in its own build, so that each alone
is shown to stop it (a broken link is only a warning that strict mode turns into a
failure). Every other validator is
a plain function and is tried in process, which is faster and names the exact line:
front matter, formulas, data files. A failing build exits non-zero, so the deploy
workflow, which publishes only after a successful strict build, publishes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
from macros.outputs.tables import load_table
from macros.tex.mathscan import scan
from tests.helpers import DOCS, build, copy_project, source_pages

# A published question page to break (the first one): no test depends on its content.
PAGE_SRC = next(src for src in source_pages() if is_question_page(src))
PAGE = f"docs/{PAGE_SRC}"
COPY = PAGE.replace(".md", "-zz-copy.md")


# Each fault: the text appended to PAGE (None: PAGE copied to COPY), a text on the line the
# output must name (None: the file is enough), and the output's message, on the same line.
BUILDS: dict[str, list[tuple[str | None, str | None, str]]] = {
    "broken link": [("\n[坏链接](zz-no-such-page.md)\n", None, "zz-no-such-page.md")],
    "bad TeX": [("\n坏命令 $\\nosuch x$ 结束。\n", "坏命令", "Undefined control sequence")],
    "macro typo": [("\n{{ referencs() }}\n", "referencs", r"referencs\(…\): only the site's macros")],
    "duplicate question id": [(None, None, re.escape(PAGE_SRC.replace("/", "-")[:-3]))],
}


@pytest.mark.parametrize("faults", list(BUILDS.values()), ids=list(BUILDS))
def test_bad_input_stops_the_build(faults: list[tuple[str | None, str | None, str]], tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / PAGE
    for text, _, _ in faults:
        (project / COPY if text is None else page).write_text(page.read_text(encoding="utf-8") + (text or ""), "utf-8")
    result = build(project, tmp_path / "site")
    assert not result.ok, "the build passed"
    for text, needle, message in faults:
        file = PAGE if text else COPY
        where = file.removeprefix("docs/")
        if needle is not None:
            lines = (project / file).read_text(encoding="utf-8").splitlines()
            where = f"{file}:{next(i for i, line in enumerate(lines, 1) if needle in line)}"
        said = [line for line in result.output.splitlines() if re.search(message, line)]
        assert any(where in line for line in said), f"no line /{message}/ names {where}:\n{said}"


# ── In process: the validators themselves ─────────────────────────────────


def refused(fn: Callable[[], object], path: str, line_text: str, text: str, message: str) -> None:
    """``fn`` raises SourceError naming ``path`` and the last line of ``text`` that contains ``line_text``."""
    with pytest.raises(SourceError) as err:
        fn()
    line = max(i for i, t in enumerate(text.splitlines(), 1) if line_text in t)
    assert f"{path}:{line}:" in str(err.value) and re.search(message, str(err.value)), str(err.value)


def page_text() -> str:
    return (DOCS / PAGE_SRC).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "line_text", "message"),
    [
        ("", "\n$$\nx^2\n\n后面的段落。\n", "$$", r"\$\$"),  # appended: an unclosed display formula
        ("difficulty: ", "difficulty_typo: ", "difficulty_typo", "difficulty"),
        ("tags: [", "tags: 7\nold_tags: [", "tags: 7", "tags"),
        ("reviewed: ", "reviewed: 2026-13\nold_reviewed: ", "reviewed: 2026-13", "reviewed"),
    ],
)
def test_bad_page_source(old: str, new: str, line_text: str, message: str) -> None:
    text = page_text().replace(old, new, 1) if old else page_text() + new
    refused(lambda: (scan(text, PAGE), validate_page(text, PAGE_SRC)), PAGE, line_text, text, message)


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


def put(container: dict, key: str, value: object, needle: str = "") -> str:
    """Set one value of a data file's data; returns the text of the line it changes."""
    container[key] = value
    return needle or str(value)


def drop_first_value(data: dict) -> str:
    data["entities"][-1]["values"].pop(data["fields"][0]["key"])
    return "values:"


TABLE = sorted((DOCS / "data" / "tables").glob("*.yml"))[0].name
DATA_CASES = {  # name → (data file under docs/data, its loader, the change, the message)
    "unknown family": ("architectures.yml", load_architectures, lambda d: put(d["families"][1], "id", "zz_family"), "families.1.id"),
    "wrong type": ("architectures.yml", load_architectures, lambda d: put(d["families"][0], "objectives", 42, "objectives: 42"), "objectives"),
    "unknown model source": ("architectures.yml", load_architectures, lambda d: put(d["families"][0]["models"][0], "source", "zz-nobody-2099"), "zz-nobody"),
    "missing table value": (f"tables/{TABLE}", load_table, drop_first_value, "missing value"),
    "unknown table source": (f"tables/{TABLE}", load_table, lambda d: put(d["entities"][0], "sources", ["zz-nobody-2099"], "zz-nobody-2099"), "zz-nobody"),
}  # fmt: skip


@pytest.mark.parametrize(("name", "loader", "change", "message"), list(DATA_CASES.values()), ids=list(DATA_CASES))
def test_bad_data_file(
    tmp_path: Path, name: str, loader: Callable, change: Callable[[dict], str], message: str
) -> None:
    """A data file with one change made to its data is refused at the changed line."""
    data = yaml.safe_load((DOCS / "data" / name).read_text(encoding="utf-8"))
    needle = change(data)
    path = tmp_path / Path(name).name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    bib = load_bibliography(DOCS / "data" / "bibliography.yml")
    display = f"docs/data/{name}"
    refused(lambda: loader(path, bib, display), display, needle, path.read_text(encoding="utf-8"), message)
