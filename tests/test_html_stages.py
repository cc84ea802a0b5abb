"""The HTML stages edit only what they mean to: located by a parser, spliced into the original text.

Inputs are small hand-written pages in the shape Python-Markdown and arithmatex write;
expected outputs are written out in full, so a stage that rewrites anything else fails.
"""

from __future__ import annotations

import pytest

from macros.data.errors import SourceError
from macros.data.glossary import focusable_terms
from macros.stages.html import find, splice
from macros.stages.pagehtml import COPY_BUTTON, REVEAL, TOGGLE, answer_reveal, copy_buttons, title_block
from macros.tex.formulas import detach_tex, fill_formulas
from macros.tex.mathjax import Typeset
from macros.tex.mathscan import scan

PAGE = (
    '<h1 id="q">为什么？</h1>\n<h2 id="short-answer">30 秒回答</h2>\n'
    '<ul><li>一 <abbr title="x">LLM</abbr></li></ul>\n<h3 id="a">A <code>&lt;h2&gt;</code></h3>\n'
    '<h2>没有 id</h2><svg viewBox="0 0 1 1"><path d="M0 0"/></svg><br>'
)


def test_find_locates_nested_and_void_elements() -> None:
    text = '<div class="a"><div>inner</div><br><img src="x"></div>'
    outer, inner = find(text, lambda tag, attrs: tag == "div")
    assert text[outer.start : outer.end] == text and text[outer.inner_start : outer.inner_end].startswith("<div>")
    assert text[inner.inner_start : inner.inner_end] == "inner"
    (img,) = find(text, lambda tag, attrs: tag == "img")
    assert text[img.start : img.end] == '<img src="x">'


def test_splice_keeps_every_other_byte_and_refuses_overlaps() -> None:
    assert splice("abcdef", [(4, 4, "X"), (0, 1, "")]) == "bcdXef"
    with pytest.raises(ValueError, match="overlapping"):
        splice("abcdef", [(0, 3, ""), (2, 4, "")])


def test_reader_controls() -> None:
    out = answer_reveal(copy_buttons(title_block(PAGE, ["别名 <1>", "alias"])))
    assert out == (
        '<h1 id="q">为什么？</h1><p class="page-aliases">关键词：别名 &lt;1&gt; · alias</p>'
        + TOGGLE
        + f'\n<h2 id="short-answer">30 秒回答{COPY_BUTTON}</h2>{REVEAL}\n'
        '<ul><li>一 <abbr title="x">LLM</abbr></li></ul>\n'
        f'<h3 id="a">A <code>&lt;h2&gt;</code>{COPY_BUTTON}</h3>\n'
        '<h2>没有 id</h2><svg viewBox="0 0 1 1"><path d="M0 0"/></svg><br>'
    )


def test_pages_without_an_answer_or_aliases_get_no_toggle() -> None:
    page = '<h1 id="x">术语表</h1><h2 id="b">B</h2>'
    assert title_block(page, []) == page
    assert answer_reveal(page) == page


def test_focusable_terms() -> None:
    assert focusable_terms('<p><abbr title="t">KV</abbr> <abbr tabindex="0" title="u">MHA</abbr></p>') == (
        '<p><abbr tabindex="0" title="t">KV</abbr> <abbr tabindex="0" title="u">MHA</abbr></p>'
    )


SOURCE = "行内 $a<b$，以及\n\n$$\nx^2\n$$\n"
ARITHMATEX = (
    '<p>行内 <span class="arithmatex">\\(a&lt;b\\)</span>，以及</p>\n<div class="arithmatex">\\[\nx^2\n\\]</div>'
)


def test_formulas_are_detached_then_filled() -> None:
    formulas = scan(SOURCE, "docs/x.md")
    detached = detach_tex(ARITHMATEX, formulas, "docs/x.md")
    assert detached == (
        '<p>行内 <span class="arithmatex" data-tex="a&lt;b"></span>，以及</p>\n'
        '<div class="arithmatex" data-tex="x^2"></div>'
    )

    def typeset(key: tuple[str, bool]) -> Typeset:
        width = "40ex" if key[1] else "2ex"  # the display formula is wider than a phone column
        return Typeset(f'<svg width="{width}"><use href="#g-{key[0][0]}"></use></svg>', None, {f"g-{key[0][0]}": "M0"})

    filled = fill_formulas(detached, formulas, "docs/x.md", typeset)
    assert filled == (
        '<svg id="MJX-SVG-global-cache" class="mjx-glyphs" xmlns="http://www.w3.org/2000/svg"><defs>'
        '<path id="g-a" d="M0"></path><path id="g-x" d="M0"></path></defs></svg>'
        '<p>行内 <span class="arithmatex" data-tex="a&lt;b"><svg width="2ex"><use href="#g-a"></use></svg></span>，以及</p>\n'
        '<div class="arithmatex" tabindex="0" data-tex="x^2"><svg width="40ex"><use href="#g-x"></use></svg></div>'
    )


def test_a_formula_changed_by_markdown_is_refused_at_its_line() -> None:
    changed = ARITHMATEX.replace("x^2", "x²")
    with pytest.raises(SourceError, match=r"docs/x\.md:3: formula changed on its way to HTML"):
        detach_tex(changed, scan(SOURCE, "docs/x.md"), "docs/x.md")


def test_a_formula_the_source_scan_missed_is_refused() -> None:
    extra = ARITHMATEX + '<span class="arithmatex">\\(y\\)</span>'
    with pytest.raises(SourceError, match=r"docs/x\.md: HTML has a formula the source scan did not find: 'y'"):
        detach_tex(extra, scan(SOURCE, "docs/x.md"), "docs/x.md")


def test_offsets_survive_multiline_tags_scripts_and_nesting() -> None:
    """What the parser must get right for a splice to land in the right place."""
    text = (
        "<script>var s = \"<h2 id='fake'>\";</script>\n"
        '<h2\n  id="real"\n  class="x">A <span><span>b</span></span>\n</h2\n>'
        "<div><div>inner</div>tail</div>"
    )
    assert copy_buttons(text) == text.replace("\n</h2\n>", f"\n{COPY_BUTTON}</h2\n>")
    outer = find(text, lambda tag, attrs: tag == "div")[0]
    assert text[outer.inner_start : outer.inner_end] == "<div>inner</div>tail"
