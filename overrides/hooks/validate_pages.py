"""Hook: refuse bad page input before anything is published.

* front matter against the one schema (macros/frontmatter.py), file:line:field;
* question ids unique across the site; ``related`` and ``sources`` point at real things;
* every bibliography entry cited somewhere, drafts included;
* no script in content (macros/htmlsafety.py);
* a 30 秒回答 that can be said in 30 seconds (macros/anatomy.py);
* one term per concept in prose (docs/data/terms.yml, macros/terms.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from macros import cited_keys, load_site_data
from macros.anatomy import check_short_answer
from macros.bibliography import check_all_cited
from macros.errors import SourceError
from macros.frontmatter import QuestionMeta, validate_page
from macros.htmlsafety import check_source
from macros.terms import Terms, check_terms, load_terms

_questions: dict[str, tuple[str, QuestionMeta]] = {}
_terms: Terms | None = None


def on_pre_build(config: Any) -> None:
    global _terms
    _questions.clear()
    try:
        _terms = load_terms(Path(config["docs_dir"]) / "data" / "terms.yml", "docs/data/terms.yml")
    except SourceError as exc:
        raise PluginError(str(exc)) from None


def on_page_markdown(markdown: str, page: Page, config: Any, files: Any) -> str:
    source = page.file.content_string
    path = "docs/" + page.file.src_path
    try:
        check_source(source, path)
        meta = validate_page(source, page.file.src_path, parsed=page.meta)
        if isinstance(meta, QuestionMeta) and meta.status != "draft":
            check_short_answer(source, path)
        if _terms is not None:
            check_terms(source, path, _terms)
    except SourceError as exc:
        raise PluginError(str(exc)) from None
    if isinstance(meta, QuestionMeta):
        if meta.id in _questions:
            raise PluginError(f"{path}:2: field 'id': '{meta.id}' is already used by {_questions[meta.id][0]}")
        _questions[meta.id] = (path, meta)
    return markdown


def on_env(env: Any, config: Any, files: Any) -> Any:
    docs = Path(config["docs_dir"])
    bib, arch = load_site_data(docs)
    try:
        check_all_cited(docs / "data" / "bibliography.yml", cited_keys(docs, arch), "docs/data/bibliography.yml")
    except SourceError as exc:
        raise PluginError(str(exc)) from None
    for path, meta in _questions.values():
        for rid in meta.related:
            if rid not in _questions:
                raise PluginError(f"{path}: field 'related': no question page has id '{rid}'")
        for key in meta.sources:
            if bib.get(key) is None:
                raise PluginError(f"{path}: field 'sources': '{key}' is not in docs/data/bibliography.yml")
    return env
