"""Hook: glossary terms explained on every page.

Appends the `abbr` definitions generated from docs/data/glossary.yml to each page's
Markdown, so one data file explains MHA, KV cache, SFT … wherever they appear.
Code and formulas are left alone by Python-Markdown's abbr extension; the formula
fidelity check proves it. Each term is made focusable (``tabindex="0"``), and
``assets/glossary.json`` maps each term to its page, for the popover that
handbook.js shows on tap, click or focus (fetched on first use, not at load).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from macros.errors import SourceError
from macros.glossary import Glossary, abbreviation_definitions, load_glossary

GLOSSARY_JSON = "assets/glossary.json"
# Python-Markdown's abbr extension writes exactly `<abbr title="…">`.
ABBR_OPEN = '<abbr title="'

_glossary: Glossary | None = None
_links: dict[str, dict[str, str]] = {}


def on_config(config: Any) -> Any:
    global _glossary
    try:
        _glossary = load_glossary(Path(config["docs_dir"]) / "data" / "glossary.yml", "docs/data/glossary.yml")
    except SourceError as exc:
        raise PluginError(str(exc)) from None
    return config


def on_page_markdown(markdown: str, page: Page, config: Any, files: Any) -> str:
    assert _glossary is not None
    return f"{markdown}\n\n{abbreviation_definitions(_glossary)}\n"


def on_page_content(content: str, page: Page, config: Any, files: Any) -> str:
    return content.replace(ABBR_OPEN, '<abbr tabindex="0" title="')


def on_env(env: Any, config: Any, files: Any) -> Any:
    assert _glossary is not None
    _links.clear()
    glossary_page = files.get_file_from_path("glossary.md")
    for term in _glossary.root:
        target = files.get_file_from_path(term.page) if term.page else None
        if target is not None and target.page is not None:
            title = target.page.meta.get("question") or target.page.title or ""
            _links[term.abbr] = {"url": target.url, "title": str(title)}
        elif glossary_page is not None:
            _links[term.abbr] = {"url": glossary_page.url, "title": "术语表"}
    return env


def on_post_build(config: Any) -> None:
    out = Path(config["site_dir"]) / GLOSSARY_JSON
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(_links, ensure_ascii=False, sort_keys=True), encoding="utf-8")
