"""The HTML stages edit only what they mean to, on the page's one parsed tree.

Inputs are small hand-written pages in the shape Python-Markdown and arithmatex write;
expected outputs are written out in full, so a stage that rewrites anything else fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from macros.data.errors import SourceError
from macros.stages.html import parse, serialize
from macros.stages.pagehtml import (
    COPY_BUTTON,
    REVEAL,
    TOGGLE,
    answer_reveal,
    copy_buttons,
    focusable_terms,
    title_block,
)
from macros.tex.formulas import detach_tex, fill_formulas
from macros.tex.mathjax import Typeset
from macros.tex.mathscan import scan

PAGE = (
    '<h1 id="q">为什么？</h1>\n<h2 id="short-answer">30 秒回答</h2>\n'
    '<ul><li>一 <abbr title="x">LLM</abbr></li></ul>\n<h3 id="a">A <code>&lt;h2&gt;</code></h3>\n'
    '<h2>没有 id</h2><svg viewBox="0 0 1 1"><path d="M0 0"/></svg><br>'
)


def run(stage: Callable[..., None], page: str, *args: Any) -> str:
    """A stage applied as the hooks apply it: to the page's tree, written out once."""
    tree = parse(page)
    stage(tree, *args)
    return serialize(tree)


def test_a_page_survives_parse_and_serialize() -> None:
    """What the stages do not touch comes out as the browser reads it: SVG's camelCase names,
    escaped text, script text that looks like a tag."""
    page = '<script>var s = "<h2 id=\'fake\'>";</script><svg viewBox="0 0 1 1"><path d="M0 0"></path></svg><p>&lt;a&gt;</p>'
    assert serialize(parse(page)) == page
    assert run(copy_buttons, page) == page


def test_reader_controls() -> None:
    tree = parse(PAGE)
    title_block(tree, ["别名 <1>", "alias"])
    copy_buttons(tree)
    answer_reveal(tree)
    assert serialize(tree) == (
        '<h1 id="q">为什么？</h1><p class="page-aliases">关键词：别名 &lt;1&gt; · alias</p>'
        + TOGGLE
        + f'\n<h2 id="short-answer">30 秒回答{COPY_BUTTON}</h2>{REVEAL}\n'
        '<ul><li>一 <abbr title="x">LLM</abbr></li></ul>\n'
        f'<h3 id="a">A <code>&lt;h2&gt;</code>{COPY_BUTTON}</h3>\n'
        '<h2>没有 id</h2><svg viewBox="0 0 1 1"><path d="M0 0"></path></svg><br>'
    )


def test_pages_without_an_answer_or_aliases_get_no_toggle() -> None:
    page = '<h1 id="x">术语表</h1><h2 id="b">B</h2>'
    assert run(title_block, page, []) == page
    assert run(answer_reveal, page) == page


def test_focusable_terms() -> None:
    assert run(focusable_terms, '<p><abbr title="t">KV</abbr> <abbr tabindex="0" title="u">MHA</abbr></p>') == (
        '<p><abbr title="t" tabindex="0">KV</abbr> <abbr tabindex="0" title="u">MHA</abbr></p>'
    )


SOURCE = "行内 $a<b$，以及\n\n$$\nx^2\n$$\n"
ARITHMATEX = (
    '<p>行内 <span class="arithmatex">\\(a&lt;b\\)</span>，以及</p>\n<div class="arithmatex">\\[\nx^2\n\\]</div>'
)


def test_formulas_are_detached_then_filled() -> None:
    formulas = scan(SOURCE, "docs/x.md")
    detached = run(detach_tex, ARITHMATEX, formulas, "docs/x.md")
    assert detached == (
        '<p>行内 <span class="arithmatex" data-tex="a&lt;b"></span>，以及</p>\n'
        '<div class="arithmatex" data-tex="x^2"></div>'
    )

    def typeset(key: tuple[str, bool]) -> Typeset:
        width = "40ex" if key[1] else "2ex"  # the display formula is wider than a phone column
        return Typeset(f'<svg width="{width}"><use href="#g-{key[0][0]}"></use></svg>', None, {f"g-{key[0][0]}": "M0"})

    filled = run(fill_formulas, detached, formulas, "docs/x.md", typeset)
    assert filled == (
        '<svg id="MJX-SVG-global-cache" class="mjx-glyphs" xmlns="http://www.w3.org/2000/svg"><defs>'
        '<path id="g-a" d="M0"></path><path id="g-x" d="M0"></path></defs></svg>'
        '<p>行内 <span class="arithmatex" data-tex="a&lt;b"><svg width="2ex"><use href="#g-a"></use></svg></span>，以及</p>\n'
        '<div class="arithmatex" data-tex="x^2" tabindex="0"><svg width="40ex"><use href="#g-x"></use></svg></div>'
    )


def test_a_formula_changed_by_markdown_is_refused_at_its_line() -> None:
    changed = ARITHMATEX.replace("x^2", "x²")
    with pytest.raises(SourceError, match=r"docs/x\.md:3: formula changed on its way to HTML"):
        run(detach_tex, changed, scan(SOURCE, "docs/x.md"), "docs/x.md")


def test_a_formula_the_source_scan_missed_is_refused() -> None:
    extra = ARITHMATEX + '<span class="arithmatex">\\(y\\)</span>'
    with pytest.raises(SourceError, match=r"docs/x\.md: HTML has a formula the source scan did not find: 'y'"):
        run(detach_tex, extra, scan(SOURCE, "docs/x.md"), "docs/x.md")
