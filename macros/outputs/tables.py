"""Comparison tables: the data files in ``docs/data/tables/`` and the HTML of every table.

A comparison table is *entities × fields*: each entity (a row: a model, a method) has
one plain-text value per field (a column) and the bibliography keys that back it.
``{{ compare("name") }}`` renders ``docs/data/tables/name.yml``.

``html_table`` is the one renderer of data-fed tables on the site (the architecture
matrix uses it too). Every data cell carries ``data-label`` with its column's name,
so that on a phone the stylesheet can show each row as a card of labelled values
instead of a table that scrolls sideways (``.stack-table`` in extra.css). Values
are escaped text: a ``$`` in data never starts a formula, ``<`` never starts a tag.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from macros.data.bibliography import Bibliography, cite_html
from macros.data.errors import SourceError, first_errors
from macros.data.validation import validate_located
from macros.data.yamlfile import load_yaml

KEY = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
TABLES_DIR = "tables"


class Column(BaseModel):
    """One field of a table: a column on desktop, a label on a phone card."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=KEY)
    label: str = Field(min_length=1)


class Entity(BaseModel):
    """One row: its name, the sources behind it and a value for every field."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=KEY)
    name: str = Field(min_length=1)
    sources: list[str] = Field(min_length=1)
    values: dict[str, str | int | float]


class TableSpec(BaseModel):
    """A whole ``docs/data/tables/<name>.yml`` file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    caption: str = Field(min_length=1)
    entity_label: str = Field(min_length=1)
    fields: list[Column] = Field(min_length=1)
    entities: list[Entity] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_keys(self) -> TableSpec:
        for what, keys in (("field", [f.key for f in self.fields]), ("entity", [e.key for e in self.entities])):
            dupes = sorted({k for k in keys if keys.count(k) > 1})
            if dupes:
                raise ValueError(f"{what} key listed twice: {', '.join(dupes)}")
        return self


def load_table(path: Path, bib: Bibliography, display_path: str) -> TableSpec:
    """Load one table file; every error names the file, the line and the field."""
    doc = load_yaml(path, display_path)
    spec = validate_located(TableSpec, doc)
    field_keys = [f.key for f in spec.fields]
    errors: list[SourceError] = []
    for i, ent in enumerate(spec.entities):
        missing = [k for k in field_keys if k not in ent.values]
        unknown = [k for k in ent.values if k not in field_keys]
        if missing or unknown:
            detail = "; ".join(
                part
                for part in (
                    f"missing value for {', '.join(missing)}" if missing else "",
                    f"unknown field {', '.join(unknown)} (fields: {', '.join(field_keys)})" if unknown else "",
                )
                if part
            )
            errors.append(
                SourceError(doc.path, doc.line_of(["entities", i, "values"]), f"entity '{ent.key}': {detail}")
            )
        for j, key in enumerate(ent.sources):
            if bib.get(key) is None:
                line = doc.line_of(["entities", i, "sources", j])
                errors.append(
                    SourceError(doc.path, line, f"entity '{ent.key}': source '{key}' is not in the bibliography")
                )
    if errors:
        raise SourceError(doc.path, errors[0].line, "invalid table\n" + first_errors(errors))
    return spec


def load_tables(docs_dir: Path, bib: Bibliography, data_dir: str = "data") -> dict[str, TableSpec]:
    """Every table file, by name (the file name without ``.yml``)."""
    folder = docs_dir / data_dir / TABLES_DIR
    return {p.stem: load_table(p, bib, f"docs/{data_dir}/{TABLES_DIR}/{p.name}") for p in sorted(folder.glob("*.yml"))}


def html_table(
    corner: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, Sequence[str]]],
    attrs: str,
    caption: str | None = None,
) -> str:
    """A data-fed table. ``corner``, ``columns`` and row labels are text; cells are HTML.

    Written as raw HTML rather than a Markdown table because Markdown tables cannot
    carry the per-cell ``data-label`` the phone layout needs.
    """
    esc = html.escape
    head = f"<th>{esc(corner)}</th>" + "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = "".join(
        f'<tr><td data-label="{esc(corner)}"><strong>{esc(label)}</strong></td>'
        + "".join(f'<td data-label="{esc(col)}">{cell}</td>' for col, cell in zip(columns, cells, strict=True))
        + "</tr>"
        for label, cells in rows
    )
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    # A class keeps material from wrapping the table in its scroll box at load (a layout shift).
    # tabindex: where the table is wider than the column it scrolls in this box, which
    # keyboard users must be able to reach.
    return f'<div {attrs} tabindex="0"><table class="data-table">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def text_cell(value: object) -> str:
    """A plain-text value as HTML (``$`` as an entity so no formula starts in data)."""
    return html.escape(str(value), quote=False).replace("$", "&#36;")


def render_compare(
    name: str,
    tables: dict[str, TableSpec],
    bib: Bibliography,
    page_sources: list[str],
    page_path: str,
    entities: Sequence[str] | None = None,
    fields: Sequence[str] | None = None,
) -> str:
    """``{{ compare(name) }}``: one table file, optionally a subset of rows and columns."""
    if name not in tables:
        known = ", ".join(tables) or "none"
        raise SourceError(page_path, None, f"compare('{name}'): no docs/data/tables/{name}.yml (known: {known})")
    spec = tables[name]
    by_key = {e.key: e for e in spec.entities}
    cols = {c.key: c for c in spec.fields}
    for asked, known_keys, what in ((entities, by_key, "entity"), (fields, cols, "field")):
        unknown = [k for k in asked or [] if k not in known_keys]
        if unknown:
            raise SourceError(
                page_path, None, f"compare('{name}'): unknown {what} {unknown}; known: {', '.join(known_keys)}"
            )
    chosen = [by_key[k] for k in entities] if entities else list(spec.entities)
    columns = [cols[k] for k in fields] if fields else list(spec.fields)
    rows = [
        (
            ent.name,
            [text_cell(ent.values[c.key]) for c in columns]
            + [" ".join(cite_html(bib, key, page_sources, page_path) for key in ent.sources)],
        )
        for ent in chosen
    ]
    attrs = f'class="compare-table stack-table" data-table="{html.escape(name)}"'
    return html_table(spec.entity_label, [c.label for c in columns] + ["来源"], rows, attrs, spec.caption)
