"""Each class of bad contribution, put into a temporary copy of the project, stops the build
with a message naming the file (and the line, where one exists).

A failing build exits non-zero, so nothing is deployed: the deploy workflow publishes
only after a successful strict build.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import build, copy_project

PAGE = "docs/basics/strengths.md"
DATA = "docs/data/architectures.yml"


def edit(rel: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"test set-up: {old!r} not in {rel}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return apply


def append(rel: str, text: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / rel
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return apply


def line_of(project: Path, rel: str, needle: str) -> int:
    lines = (project / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, ln in enumerate(lines, 1) if needle in ln)


def duplicate_question(project: Path) -> None:
    src = project / PAGE
    (project / "docs/basics/strengths-copy.md").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")


@dataclass
class Case:
    name: str
    mutate: Callable[[Path], None]
    file: str
    needle: str | None = None  # a line containing this must be named as file:line
    message: str | None = None  # a regex the output must match
    # How the line is named: our checks say file:line; Jinja (macro errors) says `<template>", line N`
    # next to `_File_: <file>`, with the template padded so that N is the file's line.
    line_format: str = "{file}:{line}"


CASES = [
    Case("broken internal link", append(PAGE, "\n[坏链接](no-such-page.md)\n"), PAGE, message="no-such-page.md"),
    Case("missing anchor", append(PAGE, "\n[坏锚点](weaknesses.md#no-such-anchor)\n"), PAGE, message="no-such-anchor"),
    Case("unbalanced brace", append(PAGE, "\n坏公式 $\\frac{a}{b$ 结束。\n"), PAGE, "坏公式", "Missing close brace"),
    Case(
        "undefined control sequence",
        append(PAGE, "\n坏命令 $\\nosuch x$ 结束。\n"),
        PAGE,
        "坏命令",
        "Undefined control sequence",
    ),
    Case("unclosed $$ block", append(PAGE, "\n$$\nx^2\n\n后面的段落。\n"), PAGE, "$$", r"\$\$"),
    Case(
        "missing front matter field",
        edit(PAGE, "difficulty: ", "difficulty_typo: "),
        PAGE,
        "difficulty_typo",
        "difficulty",
    ),
    Case("wrongly typed front matter", edit(PAGE, "tags: [", "tags: 7\nold_tags: ["), PAGE, "tags: 7", "tags"),
    Case("duplicate question id", duplicate_question, "docs/basics/strengths-copy.md", message="basics-strengths"),
    Case(
        "data: missing field",
        edit(DATA, "    training_efficiency: 最高", "    training_efficiencyy: 最高"),
        DATA,
        "training_efficiencyy",
        "training_efficiency",
    ),
    Case(
        "data: unknown family",
        edit(DATA, "- id: causal_decoder", "- id: casual_decoder"),
        DATA,
        "casual_decoder",
        "families.1.id",
    ),
    Case(
        "data: wrong type",
        edit(DATA, "    objectives:\n      - 下一个 token 预测（完整语言建模）", "    objectives: 42"),
        DATA,
        "objectives: 42",
        "objectives",
    ),
    Case("data: model without source", edit(DATA, "        source: brown2020\n", ""), DATA, "GPT-3 175B", "source"),
    Case(
        "data: source not in bibliography",
        edit(DATA, "source: brown2020", "source: brown2099"),
        DATA,
        "brown2099",
        "brown2099",
    ),
    Case(
        "macro typo",
        edit(PAGE, "{{ references() }}", "{{ referencs() }}"),
        PAGE,
        "referencs",
        "'referencs' is undefined",
        "line {line}, in top-level template",
    ),
    Case("raw <script>", append(PAGE, "\n<script>alert(1)</script>\n"), PAGE, "<script>", "script"),
    Case(
        "on* event attribute",
        append(PAGE, '\n<img src="x.png" onerror="alert(1)">\n'),
        PAGE,
        "onerror",
        "event-handler",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_stops_the_build(case: Case, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    case.mutate(project)
    result = build(project, tmp_path / "site")
    assert not result.ok, f"{case.name}: the build passed"
    out = result.output
    short = case.file.removeprefix("docs/")
    assert case.file in out or short in out, f"{case.name}: file not named in:\n{out[-3000:]}"
    if case.needle is not None:
        line = line_of(project, case.file, case.needle)
        where = case.line_format.format(file=case.file, line=line)
        assert where in out, f"{case.name}: expected {where!r} in:\n{out[-3000:]}"
    if case.message is not None:
        assert re.search(case.message, out), f"{case.name}: /{case.message}/ not in:\n{out[-3000:]}"
