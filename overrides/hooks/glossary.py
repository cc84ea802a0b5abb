"""Hook: hover tooltips for abbreviations on every page.

Appends the `abbr` definitions generated from docs/data/glossary.yml to each page's
Markdown, so one data file explains MHA, KV cache, SFT … wherever they appear
(material's `content.tooltips` styles them). Code and formulas are left alone by
Python-Markdown's abbr extension; the formula fidelity check proves it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from macros.errors import SourceError
from macros.glossary import abbreviation_definitions, load_glossary

_definitions = ""


def on_config(config: Any) -> Any:
    global _definitions
    try:
        glossary = load_glossary(Path(config["docs_dir"]) / "data" / "glossary.yml", "docs/data/glossary.yml")
    except SourceError as exc:
        raise PluginError(str(exc)) from None
    _definitions = abbreviation_definitions(glossary)
    return config


def on_page_markdown(markdown: str, page: Page, config: Any, files: Any) -> str:
    return f"{markdown}\n\n{_definitions}\n"
