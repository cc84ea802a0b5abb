"""Hook: links between question pages.

* ``related_questions`` in each page's template context, from front matter ``related``
  (ids are checked by validate_pages.py);
* ``assets/questions.json``: every question page's URL, for the "随机一题" link, which
  fetches it only when clicked (a list inlined in each page would grow with the site).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from macros.frontmatter import is_question_page
from macros.sections import nav_order

QUESTIONS_JSON = "assets/questions.json"

_by_id: dict[str, Page] = {}
_first_section = ""


def on_env(env: Any, config: Any, files: Any) -> Any:
    global _first_section
    _by_id.clear()
    sections = [src for src in nav_order(config["nav"]) if src.endswith("/index.md")]
    _first_section = sections[0].removesuffix("index.md") if sections else ""
    for file in files.documentation_pages():
        page = file.page
        if page is not None and page.meta.get("id"):
            _by_id[page.meta["id"]] = page
    return env


def on_page_context(context: dict[str, Any], page: Page, config: Any, nav: Any) -> dict[str, Any]:
    related = [_by_id[i] for i in page.meta.get("related", []) if i in _by_id]
    context["related_questions"] = [
        {
            "title": p.meta.get("question") or p.title,
            "url": get_relative_url(p.url, page.url),
            "difficulty": p.meta.get("difficulty"),
        }
        for p in related
    ]
    context["questions_json"] = get_relative_url(QUESTIONS_JSON, page.url)
    # Without JavaScript "随机一题" opens a question list: the page's own section's,
    # or on other pages the first section in the nav.
    parts = page.file.src_path.split("/")
    index = f"{parts[0]}/" if len(parts) > 1 and is_question_page(page.file.src_path) else _first_section
    context["question_index"] = get_relative_url(index, page.url)
    return context


def on_post_build(config: Any) -> None:
    urls = sorted(p.url for p in _by_id.values())
    out = Path(config["site_dir"]) / QUESTIONS_JSON
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(urls, ensure_ascii=False), encoding="utf-8")
