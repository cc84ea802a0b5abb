"""HTML stages for readers: the title block, copy-link buttons, interview mode, focusable terms.

Each stage adds a few elements (or one attribute) to a page's HTML tree (material's
``page.content``: the Markdown rendered, without the theme; macros/stages/html.py) and
changes no other element. The controls are
written into the HTML so nothing shifts when docs/assets/javascripts/handbook.js
binds their behaviour; without JavaScript they are hidden by a <noscript> style
(overrides/main.html).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from macros.stages.anatomy import SHORT_ANSWER_ID
from macros.stages.html import Tree, append, body, insert_after, prepend

# material's "link" icon (Apache-2.0, Material Design Icons), inline: emoji fonts are missing on many systems.
LINK_ICON = (
    '<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">'
    '<path fill="currentColor" d="M3.9 12c0-1.71 1.39-3.1 3.1-3.1h4V7H7a5 5 0 0 0-5 5 5 5 0 0 0 5 5h4v-1.9H7'
    "c-1.71 0-3.1-1.39-3.1-3.1M8 13h8v-2H8zm9-6h-4v1.9h4c1.71 0 3.1 1.39 3.1 3.1s-1.39 3.1-3.1 3.1h-4V17h4"
    'a5 5 0 0 0 5-5 5 5 0 0 0-5-5"></path></svg>'
)
COPY_BUTTON = (
    f'<button type="button" class="copy-link" aria-label="复制本节链接" title="复制本节链接">{LINK_ICON}</button>'
)
TOGGLE = '<p class="interview-controls"><button type="button" class="interview-toggle md-button" aria-pressed="false">面试模式：先自己答</button></p>'
REVEAL = '<button type="button" class="interview-reveal md-button md-button--primary" hidden="">显示答案</button>'


SHORT_ANSWER_H2 = f'h2[id="{SHORT_ANSWER_ID}"]'


def title_block(tree: Tree, aliases: Sequence[str]) -> None:
    """Under the page title: the aliases as a visible "关键词" line (so search indexes
    them with the page) and, on a page with a 30-second answer, the interview toggle."""
    line = ""
    if aliases:
        line = '<p class="page-aliases">关键词：' + " · ".join(html.escape(a) for a in aliases) + "</p>"
    if tree.css_first(SHORT_ANSWER_H2):
        line += TOGGLE
    if line:
        h1 = tree.css_first("h1")
        if h1:
            insert_after(h1, line)
        else:
            prepend(body(tree), line)


def copy_buttons(tree: Tree) -> None:
    """A "copy link" button at the end of every h2 and h3 that has an id."""
    for heading in tree.css("h2[id], h3[id]"):
        if heading.attributes.get("id"):
            append(heading, COPY_BUTTON)


def answer_reveal(tree: Tree) -> None:
    """The (hidden) "显示答案" button right after the 30-second answer's heading."""
    heading = tree.css_first(SHORT_ANSWER_H2)
    if heading:
        insert_after(heading, REVEAL)


def focusable_terms(tree: Tree) -> None:
    """``tabindex="0"`` on every glossary ``<abbr>``, so keyboard and tap reach the term's popover."""
    for term in tree.css("abbr:not([tabindex])"):
        term.attrs["tabindex"] = "0"
