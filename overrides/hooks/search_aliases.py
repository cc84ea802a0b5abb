"""Hook: put each question's aliases on the page, right under its title.

Readers type a concept's Chinese or English name (因果解码器, causal decoder, 175B …);
the search index is built from page content, so the names listed in front matter
``aliases`` are shown as a visible "关键词" line and thereby indexed with the page
title. Runs at ``on_page_content``, before the search plugin reads the page.
"""

from __future__ import annotations

import html
import re
from typing import Any

from mkdocs.structure.pages import Page

H1_END = re.compile(r"</h1>")


def on_page_content(content: str, page: Page, config: Any, files: Any) -> str:
    aliases = page.meta.get("aliases") or []
    if not aliases:
        return content
    line = '<p class="page-aliases">关键词：' + " · ".join(html.escape(a) for a in aliases) + "</p>"
    return H1_END.sub("</h1>" + line, content, count=1) if H1_END.search(content) else line + content
