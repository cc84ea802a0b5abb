"""Render the architecture matrix (fields × families) from docs/data/architectures.yml.

Rows are fields, columns are families, side by side on wide screens; on a phone each
row becomes a card whose values are labelled with their family (``html_table``).
Any subset of rows (``fields``) and columns (``families``) can be asked for.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from macros.data.architectures import FIELD_IDS, Architectures, Family
from macros.data.bibliography import Bibliography
from macros.data.errors import SourceError
from macros.outputs.tables import html_table, text_cell

WEIGHTS = {"open": "开放权重", "closed": "闭源"}


def _cell(fam: Family, field: str, bib: Bibliography) -> str:
    value = getattr(fam, field)
    if field == "models":
        items = []
        for model in value:
            ref = bib.get(model.source)
            url = str(ref.url) if ref else ""
            label = f'<a href="{html.escape(url)}">{text_cell(model.name)}</a>' if url else text_cell(model.name)
            # Open or closed weights on every model, so a closed model never reads as "开源";
            # an open model's licence links to the licence or the model card that states it.
            remarks = [WEIGHTS[model.weights]]
            if model.licence:
                lic = bib.get(model.licence_source or "")
                lic_text = text_cell(model.licence)
                remarks.append(
                    f'许可证：<a href="{html.escape(str(lic.url))}">{lic_text}</a>' if lic else f"许可证：{lic_text}"
                )
            remarks += [text_cell(model.note)] if model.note else []
            items.append(f"{label}（{'；'.join(remarks)}）")
        value = items
    if isinstance(value, list):
        return "<ul>" + "".join(f"<li>{text_cell(v) if field != 'models' else v}</li>" for v in value) + "</ul>"
    return text_cell(value)


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
    columns = [f"{f.name_zh} {f.name_en}" for f in fams]
    body = [(data.fields[r], [_cell(f, r, bib) for f in fams]) for r in rows]  # type: ignore[index]
    attrs = (
        'class="arch-matrix stack-table" data-search-exclude '
        f'data-families="{" ".join(f.id for f in fams)}" data-fields="{" ".join(rows)}"'
    )
    return html_table("维度", columns, body, attrs)
