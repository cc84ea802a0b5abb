"""Raw HTML in pages is an allowlist (macros/htmlsafety.py), checked in process:
every page passes, and each kind of bad HTML is refused at its file and line."""

from __future__ import annotations

import pytest

from macros.errors import SourceError
from macros.htmlsafety import check_source
from tests.helpers import DOCS, source_pages

HEAD = "---\nid: x\n---\n# 问题？\n\n正文。\n\n"  # the bad line is line 8
BAD = {
    "<script>alert(1)</script>": "raw <script>",
    "<style>body { display: none }</style>": "raw <style>",
    '<form action="https://example.org/"><input name="q"></form>': "raw <form>",
    '<iframe src="/x/"></iframe>': "raw <iframe>",
    '<img src="x.png" onerror="alert(1)">': "event-handler",
    '<span style="color: red">x</span>': "attribute 'style'",
    '<a href="javascript:alert(1)">x</a>': "javascript: URLs",
    "[点我](data:text/html,hi)": "data: URLs",
    '<img src="https://example.org/x.png">': "served by the site itself",
    "![图](https://example.org/x.png)": "served by the site itself",
}
FINE = [
    "`<script>` 写在行内代码里只是文字。",
    "```html\n<style>x</style>\n```",
    "公式里的比较 $a<b$ 不是标签。",
    "上标<sup>2</sup>和换行<br>。",
    "![本站的图](../assets/x.png)",
]


def test_every_page_passes() -> None:
    for src in source_pages(drafts=True):
        check_source((DOCS / src).read_text(encoding="utf-8"), f"docs/{src}")


@pytest.mark.parametrize("bad", list(BAD))
def test_bad_html_is_refused_at_its_line(bad: str) -> None:
    with pytest.raises(SourceError) as err:
        check_source(HEAD + bad + "\n", "docs/s/p.md")
    assert str(err.value).startswith("docs/s/p.md:8: ") and BAD[bad] in str(err.value)


@pytest.mark.parametrize("fine", FINE)
def test_allowed_markdown_passes(fine: str) -> None:
    check_source(HEAD + fine + "\n", "docs/s/p.md")
