"""The front matter schema of every page, defined once, and its validation.

Question pages (``docs/<section>/<slug>.md``, not ``index.md``) must carry the full
question schema; other pages (home, section indexes, glossary, tags) may only use
the small set of page fields. Unknown fields are errors, so a typo such as
``difficulty: 进价`` or ``tag:`` stops the build with file, line and field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from macros.data.errors import SourceError
from macros.data.validation import validate_located
from macros.data.yamlfile import LocatedYaml, parse_yaml
from macros.tex.mathscan import front_matter_length

Tag = Literal[
    "架构",
    "注意力",
    "预训练",
    "训练目标",
    "涌现能力",
    "基础概念",
    "参数规模",
    "优缺点",
    "成本",
    "推理",
    "位置编码",
    "分词",
    "上下文学习",
    "对齐",
    "扩展规律",
    "长上下文",
    "训练工程",
    "并行",
    "量化",
    "解码",
    "推理服务",
    "微调",
    "评测",
]
Difficulty = Literal["基础", "进阶", "深入"]
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

# Templates print these fields into the page, some of them unescaped (material's
# <title>, header and meta description): a field is plain text, with no markup, no
# double quote that could end an HTML attribute, no template delimiters that
# mkdocs-macros would run, and no control or bidirectional-override characters.
_NOT_PLAIN = re.compile(r'[<>"\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\{[{%#]|[}%#]\}')


def _plain(value: str) -> str:
    bad = _NOT_PLAIN.search(value)
    if bad:
        raise ValueError(
            f"plain text only: {bad.group(0)!r} is not allowed"
            " (no HTML, no double quotes, no {{ }} / {% %}, no control characters)"
        )
    return value


Title = Annotated[str, StringConstraints(min_length=1, max_length=80), AfterValidator(_plain)]
Question = Annotated[str, StringConstraints(min_length=4, max_length=80), AfterValidator(_plain)]
Description = Annotated[str, StringConstraints(min_length=20, max_length=200), AfterValidator(_plain)]
Alias = Annotated[str, StringConstraints(min_length=1, max_length=60), AfterValidator(_plain)]
Month = Annotated[str, StringConstraints(pattern=r"^20\d\d-(0[1-9]|1[0-2])$")]
HistoryNote = Annotated[str, StringConstraints(min_length=2, max_length=80), AfterValidator(_plain)]


class PageMeta(BaseModel):
    """Fields any page may use (material's own page options included)."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    description: Description | None = None
    render_macros: bool = False
    hide: list[Literal["navigation", "toc", "footer", "tags", "feedback", "path"]] = []
    search: dict[str, bool] | None = None
    status: Literal["draft"] | None = None


class HistoryEntry(BaseModel):
    """One month in a page's history: what changed when its facts were re-checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: Month
    note: HistoryNote


class QuestionMeta(PageMeta):
    """A question page: everything the site needs to list, search, preview and cite it."""

    id: str = Field(pattern=SLUG)
    question: Question
    description: Description
    aliases: list[Alias] = Field(min_length=1)
    tags: list[Tag] = Field(min_length=1, max_length=4)
    difficulty: Difficulty
    sources: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")]] = Field(min_length=1)
    related: list[Annotated[str, Field(pattern=SLUG)]] = []
    # When the page's facts were last re-checked against its sources and the newest
    # relevant models and papers (shown as 内容核对于 YYYY-MM).
    reviewed: Month
    # What changed, newest first; the first entry is the ``reviewed`` month (shown
    # beside 内容核对于 as 本次更新：…). Required once a page is published
    # (``check_history`` in ``validate_page``).
    history: list[HistoryEntry] | None = Field(default=None, min_length=1)

    @field_validator("aliases", "sources", "related")
    @classmethod
    def _no_duplicates(cls, value: list[str]) -> list[str]:
        dupes = sorted({v for v in value if value.count(v) > 1})
        if dupes:
            raise ValueError(f"listed twice: {', '.join(dupes)}")
        return value


def is_question_page(src_path: str) -> bool:
    """Question pages live one folder deep under docs/ and are not index pages."""
    p = PurePosixPath(src_path)
    return len(p.parts) == 2 and p.name != "index.md" and p.suffix == ".md" and not p.parts[0].startswith(("_", "data"))


def expected_id(src_path: str) -> str:
    """A question's id is its section and slug: ``basics/why-decoder-only.md`` → ``basics-why-decoder-only``."""
    p = PurePosixPath(src_path)
    return f"{p.parts[0]}-{p.stem}"


def read_front_matter(source: str, path: str) -> LocatedYaml:
    """Parse the front matter block of a Markdown source, keeping file line numbers."""
    n = front_matter_length(source)
    if not n:
        return LocatedYaml(path=path, data={}, root=None)
    block = source[:n]
    inner = block.split("\n", 1)[1].rsplit("\n", 2)[0] if block.count("\n") >= 2 else ""
    doc = parse_yaml(inner, path, line_offset=1)
    if doc.data is None:
        return LocatedYaml(path=path, data={}, root=None)
    if not isinstance(doc.data, dict):
        raise SourceError(path, 2, "front matter must be a mapping of fields")
    return doc


def is_draft(source: str, path: str) -> bool:
    """``status: draft`` pages are left out of the build (macros/hooks.py, ``on_files``)."""
    return (read_front_matter(source, path).data or {}).get("status") == "draft"


def validate_page(
    source: str, src_path: str, docs_prefix: str = "docs/", parsed: Mapping[str, Any] | None = None
) -> PageMeta:
    """Validate one page's front matter; errors name ``docs/…:line`` and the field.

    ``parsed`` is the front matter mkdocs has already read (``page.meta``): valid pages
    are checked against it without parsing YAML again; only an invalid page is
    re-read with line numbers, for the error message.
    """
    path = docs_prefix + src_path
    model: type[PageMeta] = QuestionMeta if is_question_page(src_path) else PageMeta
    meta: PageMeta | None = None
    if parsed or (parsed is not None and not front_matter_length(source)):
        try:
            meta = model.model_validate(parsed)
        except ValidationError:
            meta = None
    if meta is None:
        meta = validate_located(model, read_front_matter(source, path))

    def line_of(field: str) -> int | None:
        return read_front_matter(source, path).line_of([field])

    if isinstance(meta, QuestionMeta):
        if meta.id != expected_id(src_path):
            raise SourceError(
                path,
                line_of("id"),
                f"field 'id': must be '{expected_id(src_path)}' (section-slug of the file name), found '{meta.id}'",
            )
        h1 = re.search(r"^# (.+?)\s*$", source[front_matter_length(source) :], re.M)
        if not h1 or h1.group(1).strip() != meta.question.strip():
            raise SourceError(path, line_of("question"), "field 'question': the page's H1 must repeat it exactly")
        check_history(meta, lambda loc: read_front_matter(source, path).line_of(loc), path)
    return meta


def check_history(meta: QuestionMeta, line_of: Callable[[list[str | int]], int | None], path: str) -> None:
    """``history`` is required on a published question page (drafts may leave it out);
    newest first, its first date is ``reviewed`` and its dates strictly decrease."""
    if meta.history is None:
        if meta.status != "draft":
            raise SourceError(
                path,
                line_of(["reviewed"]),
                "field 'history': required on a published question page: a list, newest first, of"
                " {date: YYYY-MM, note: what changed}, the first date equal to 'reviewed'",
            )
        return
    if meta.history[0].date != meta.reviewed:
        raise SourceError(
            path,
            line_of(["history", 0, "date"]),
            f"field 'history.0.date': the newest entry must be the 'reviewed' month {meta.reviewed},"
            f" found {meta.history[0].date}",
        )
    for i in range(1, len(meta.history)):
        newer, older = meta.history[i - 1].date, meta.history[i].date
        if older >= newer:
            raise SourceError(
                path,
                line_of(["history", i, "date"]),
                f"field 'history.{i}.date': dates must be newest first and strictly decreasing, {older} follows {newer}",
            )


Questions = dict[str, tuple[str, QuestionMeta]]  # id → (docs path, front matter)


def register_question(questions: Questions, path: str, meta: QuestionMeta) -> None:
    """Add a question page to ``questions``; a second page with the same id is refused."""
    if meta.id in questions:
        raise SourceError(path, 2, f"field 'id': '{meta.id}' is already used by {questions[meta.id][0]}")
    questions[meta.id] = (path, meta)


def check_cross_references(questions: Questions, known_source: Callable[[str], bool]) -> None:
    """Every ``related`` id is a question page of the build; every ``sources`` key is in the bibliography."""
    for path, meta in questions.values():
        for rid in meta.related:
            if rid not in questions:
                raise SourceError(path, None, f"field 'related': no question page has id '{rid}'")
        for key in meta.sources:
            if not known_source(key):
                raise SourceError(path, None, f"field 'sources': '{key}' is not in docs/data/bibliography.yml")
