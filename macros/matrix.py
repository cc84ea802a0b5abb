"""Render the architecture matrix (fields × families) as a Markdown table.

Rows are fields, columns are families: three narrow columns read well on phones.
Any subset of rows (``fields``) and columns (``families``) can be asked for.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from .architectures import FIELD_IDS, Architectures, Family
from .bibliography import Bibliography
from .errors import SourceError


def _cell_text(text: str) -> str:
    # `|` would end the table cell and `$` would start a formula: encode both.
    return html.escape(text, quote=False).replace("|", "&#124;").replace("$", "&#36;")


def _cell(fam: Family, field: str, bib: Bibliography) -> str:
    value = getattr(fam, field)
    if field == "models":
        items = []
        for model in value:
            ref = bib.get(model.source)
            url = str(ref.url) if ref else ""
            label = f"[{_cell_text(model.name)}]({url})" if url else _cell_text(model.name)
            note = f"（{_cell_text(model.note)}）" if model.note else ""
            items.append(label + note)
        value = items
    if isinstance(value, list):
        return "<ul>" + "".join(f"<li>{_cell_text(v) if field != 'models' else v}</li>" for v in value) + "</ul>"
    return _cell_text(str(value))


def render_matrix(
    data: Architectures,
    bib: Bibliography,
    families: Sequence[str] | None = None,
    fields: Sequence[str] | None = None,
    page_path: str = "<page>",
) -> str:
    """The matrix as Markdown, wrapped in a ``div.arch-matrix`` (needs md_in_html)."""
    try:
        fams = [data.family(f) for f in (families or [f.id for f in data.families])]
    except KeyError as exc:
        raise SourceError(page_path, None, f"arch_matrix: {exc.args[0]}") from None
    rows = list(fields or FIELD_IDS)
    unknown = [r for r in rows if r not in FIELD_IDS]
    if unknown:
        raise SourceError(page_path, None, f"arch_matrix: unknown field(s) {unknown}; known: {', '.join(FIELD_IDS)}")
    head = "| 维度 | " + " | ".join(f"{f.name_zh}<br>{f.name_en}" for f in fams) + " |"
    sep = "| --- " * (len(fams) + 1) + "|"
    body = [
        f"| **{_cell_text(data.fields[r])}** | " + " | ".join(_cell(f, r, bib) for f in fams) + " |"  # type: ignore[index]
        for r in rows
    ]
    attrs = f'class="arch-matrix" data-search-exclude data-families="{" ".join(f.id for f in fams)}" data-fields="{" ".join(rows)}"'
    return "\n".join([f"<div {attrs} markdown>", "", head, sep, *body, "", "</div>"])
