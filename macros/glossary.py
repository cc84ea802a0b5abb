"""The site glossary (``docs/data/glossary.yml``): schema, loader, and its two renderings:
Markdown abbreviation definitions (hover tooltips site-wide) and the glossary table.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from .validation import validate_located
from .yamlfile import load_yaml


class Term(BaseModel):
    """One abbreviation or term."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    abbr: str = Field(min_length=1, pattern=r"^[A-Za-z][A-Za-z0-9 \-]*$")
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    page: str | None = Field(default=None, pattern=r"^[a-z0-9/\-]+\.md$")


class Glossary(RootModel[list[Term]]):
    """All terms, each abbreviation once."""

    @model_validator(mode="after")
    def _unique(self) -> Glossary:
        seen = [t.abbr for t in self.root]
        dupes = sorted({a for a in seen if seen.count(a) > 1})
        if dupes:
            raise ValueError(f"abbreviation listed twice: {', '.join(dupes)}")
        return self


def load_glossary(path: Path, display_path: str | None = None) -> Glossary:
    return validate_located(Glossary, load_yaml(path, display_path))


def abbreviation_definitions(glossary: Glossary) -> str:
    """Python-Markdown `abbr` definitions, appended to every page's Markdown."""
    return "\n".join(f"*[{t.abbr}]: {t.zh}（{t.en}）" for t in glossary.root)


def render_glossary(glossary: Glossary, link_prefix: str = "") -> str:
    """The glossary page's table (Markdown), sorted by abbreviation."""
    rows = ["| 缩写 | 英文 | 解释 | 详见 |", "| --- | --- | --- | --- |"]
    for t in sorted(glossary.root, key=lambda t: t.abbr.lower()):
        see = f"[相关问题]({link_prefix}{t.page})" if t.page else ""
        rows.append(f"| **{t.abbr}** | {t.en} | {t.zh} | {see} |")
    return "\n".join(rows)
