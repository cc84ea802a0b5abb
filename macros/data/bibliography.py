"""The site's single bibliography (``docs/data/bibliography.yml``) and its rendering.

Pages list the keys they cite in front matter ``sources``; ``cite`` renders an inline
link to the page's reference list and ``references`` renders that list.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, RootModel

from macros.data.errors import SourceError, first_errors
from macros.data.validation import validate_located
from macros.data.yamlfile import load_yaml

KEY_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class Reference(BaseModel):
    """One cited work."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    authors: str = Field(min_length=1)
    year: int = Field(ge=1900, le=2100)
    title: str = Field(min_length=1)
    venue: str = Field(min_length=1)
    url: HttpUrl


class Bibliography(RootModel[dict[str, Reference]]):
    """All references, by stable key."""

    def get(self, key: str) -> Reference | None:
        return self.root.get(key)


def load_bibliography(path: Path, display_path: str | None = None) -> Bibliography:
    """Load and validate the bibliography file."""
    doc = load_yaml(path, display_path)
    bib = validate_located(Bibliography, doc)
    for key in bib.root:
        if not re.match(KEY_PATTERN, key):
            raise SourceError(doc.path, doc.line_of([key]), f"bibliography key '{key}' must match {KEY_PATTERN}")
    return bib


def anchor(key: str) -> str:
    """The id of a reference's list item on a page."""
    return f"ref-{key}"


def _author_names(authors: str) -> list[str]:
    """The names in an ``authors`` field: split at commas outside parentheses, so
    'GLM-5 Team (Zhipu AI, Tsinghua University)' stays one name."""
    names, depth, start = [], 0, 0
    for i, ch in enumerate(authors):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            names.append(authors[start:i].strip())
            start = i + 1
    names.append(authors[start:].strip())
    return [n for n in names if n]


def _bare(name: str) -> str:
    """A name without its trailing note: 'WuNein (question)' → 'WuNein'."""
    return re.sub(r"\s*\([^()]*\)$", "", name).strip() or name


def short_label(ref: Reference) -> str:
    """The inline label: 'Wang et al., 2022', 'Pearce & Song, 2024' (two authors) or one
    name as written ('Kimi Team (Moonshot AI), 2025'; 'Yang et al. (Qwen Team), 2025')."""
    names = _author_names(ref.authors)
    if len(names) == 1:
        label = names[0]
    elif len(names) == 2:
        label = f"{_bare(names[0])} & {_bare(names[1])}"
    else:
        first = _bare(names[0])
        label = first if "et al." in first else f"{first} et al."
    return f"{label}, {ref.year}"


def _checked(bib: Bibliography, key: str, page_sources: list[str], page_path: str) -> Reference:
    ref = bib.get(key)
    if ref is None:
        raise SourceError(page_path, None, f"cite('{key}'): no such key in docs/data/bibliography.yml")
    if key not in page_sources:
        raise SourceError(page_path, None, f"cite('{key}'): add '{key}' to the page's front matter 'sources'")
    return ref


def render_cite(bib: Bibliography, key: str, page_sources: list[str], page_path: str) -> str:
    """Inline citation in Markdown: a link to the reference on this page."""
    ref = _checked(bib, key, page_sources, page_path)
    return f'<sup class="cite">[[{html.escape(short_label(ref))}](#{anchor(key)})]</sup>'


def cite_html(bib: Bibliography, key: str, page_sources: list[str], page_path: str) -> str:
    """The same citation as HTML, for tables written as raw HTML (no Markdown inside)."""
    ref = _checked(bib, key, page_sources, page_path)
    return f'<sup class="cite">[<a href="#{anchor(key)}">{html.escape(short_label(ref))}</a>]</sup>'


def render_references(bib: Bibliography, keys: list[str], page_path: str) -> str:
    """The reference list as HTML: each item has the stable id ``ref-<key>`` that citations link to."""
    items = []
    for key in keys:
        ref = bib.get(key)
        if ref is None:
            raise SourceError(page_path, None, f"sources: '{key}' is not in docs/data/bibliography.yml")
        url = html.escape(str(ref.url))
        items.append(
            f'<li id="{anchor(key)}">{html.escape(ref.authors)} ({ref.year}). '
            f"<em>{html.escape(ref.title)}</em>. {html.escape(ref.venue)}. "
            f'<a href="{url}">{url}</a></li>'
        )
    return '<ol class="references" data-search-exclude>\n' + "\n".join(items) + "\n</ol>"


def check_all_cited(path: Path, used: set[str], display_path: str) -> None:
    """Every entry is cited somewhere (a page's ``sources`` or a data file): an entry
    nobody cites is either a leftover or a citation someone forgot to add."""
    doc = load_yaml(path, display_path)
    unused = [key for key in (doc.data or {}) if key not in used]
    if unused:
        errors = [
            SourceError(doc.path, doc.line_of([key]), f"'{key}' is cited nowhere: cite it on a page or remove it")
            for key in unused
        ]
        raise SourceError(doc.path, errors[0].line, "unused bibliography entries\n" + first_errors(errors))
