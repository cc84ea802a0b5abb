"""The site glossary (``docs/data/glossary.yml``): schema, loader, and what it puts on pages.

* a Markdown stage: abbreviation definitions appended to every page, which
  Python-Markdown's ``abbr`` extension turns into ``<abbr title=…>`` wherever a
  term appears (code and formulas are left alone: the formula fidelity check proves it;
  macros/stages/pagehtml.py makes each one focusable);
* ``assets/glossary.json``: each term's page, fetched by that popover on first use;
* the glossary page's table.
"""

from __future__ import annotations

import html
import json
import posixpath
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from macros.data.urls import src_to_url
from macros.data.validation import validate_located
from macros.data.yamlfile import load_yaml
from macros.outputs.tables import html_table, text_cell


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


def links_json(glossary: Glossary, page: Callable[[str], tuple[str, str] | None], glossary_url: str | None) -> str:
    """``{abbr: {url, title}}``: the term's page if it names one that is published, else the glossary page.

    ``page(src_path)`` gives a published page's (url, title), or None."""
    links: dict[str, dict[str, str]] = {}
    for term in glossary.root:
        target = page(term.page) if term.page else None
        if target is not None:
            links[term.abbr] = {"url": target[0], "title": target[1]}
        elif glossary_url is not None:
            links[term.abbr] = {"url": glossary_url, "title": "术语表"}
    return json.dumps(links, ensure_ascii=False, sort_keys=True)


def render_glossary(glossary: Glossary, page_url: str) -> str:
    """The glossary page's table, sorted by abbreviation: one card per term on phones, like
    every data table (macros/outputs/tables.py). ``page_url`` is the glossary page's own URL, for the
    relative links to each term's question page."""
    rows = []
    for t in sorted(glossary.root, key=lambda t: t.abbr.lower()):
        see = ""
        if t.page:
            href = posixpath.relpath(src_to_url(t.page), page_url) + "/"
            see = f'<a href="{html.escape(href)}">相关问题</a>'
        rows.append((t.abbr, [text_cell(t.en), text_cell(t.zh), see]))
    return html_table("缩写", ["英文", "解释", "详见"], rows, 'class="glossary-table stack-table"')
