"""Hook: refuse bad page input before anything is published.

* front matter against the one schema (macros/frontmatter.py), file:line:field;
* question ids unique across the site; ``related`` and ``sources`` point at real things;
* no script in content (macros/htmlsafety.py).
"""

from __future__ import annotations

from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from macros import load_site_data
from macros.errors import SourceError
from macros.frontmatter import QuestionMeta, validate_page
from macros.htmlsafety import check_source

_questions: dict[str, tuple[str, QuestionMeta]] = {}


def on_pre_build(config: Any) -> None:
    _questions.clear()


def on_page_markdown(markdown: str, page: Page, config: Any, files: Any) -> str:
    source = page.file.content_string
    path = "docs/" + page.file.src_path
    try:
        check_source(source, path)
        meta = validate_page(source, page.file.src_path, parsed=page.meta)
    except SourceError as exc:
        raise PluginError(str(exc)) from None
    if isinstance(meta, QuestionMeta):
        if meta.id in _questions:
            raise PluginError(f"{path}:2: field 'id': '{meta.id}' is already used by {_questions[meta.id][0]}")
        _questions[meta.id] = (path, meta)
    return markdown


def on_env(env: Any, config: Any, files: Any) -> Any:
    from pathlib import Path

    bib, _ = load_site_data(Path(config["docs_dir"]))
    for path, meta in _questions.values():
        for rid in meta.related:
            if rid not in _questions:
                raise PluginError(f"{path}: field 'related': no question page has id '{rid}'")
        for key in meta.sources:
            if bib.get(key) is None:
                raise PluginError(f"{path}: field 'sources': '{key}' is not in docs/data/bibliography.yml")
    return env


def questions() -> dict[str, tuple[str, QuestionMeta]]:
    """The question pages of the current build (for other hooks)."""
    return _questions
