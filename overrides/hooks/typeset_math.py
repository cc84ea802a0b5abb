"""Hook: typeset every formula at build time, so pages ship no MathJax runtime.

1. ``on_page_markdown``: find the formulas in the page *source* with their lines
   (macros/mathscan.py); a malformed one stops the build at ``file:line``.
2. ``on_page_content``: read the formulas arithmatex put in the HTML and check they
   are the source's, unchanged (Markdown, typography extensions and macros must
   not alter TeX); then move the TeX out of the text into ``data-tex``, so that the
   search index (built from the page text before step 4) never shows TeX source.
3. ``on_env``: collect the results of the MathJax (Node) process that has been
   typesetting since ``on_page_markdown`` streamed it each page's formulas; a TeX
   error stops the build at ``file:line`` with the offending TeX.
4. ``on_page_context`` (after the search plugin's): fill each formula element with its
   SVG, keeping the TeX in ``data-tex`` (the tests' fidelity check), and define the glyphs
   the page's formulas use once, in a hidden SVG (MathJax's global font cache).
5. ``on_post_build``: write MathJax's stylesheet for its SVG output.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from macros import mathjax
from macros.errors import SourceError, first_errors
from macros.mathscan import Formula, scan

# arithmatex generic output: <span class="arithmatex">\(…\)</span>, <div class="arithmatex">\[…\]</div>
ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])</(?P=tag)>', re.S
)
# The same element after step 2: TeX in the attribute, no text.
PENDING = re.compile(r'<(?P<tag>span|div) class="arithmatex" data-tex="(?P<tex>[^"]*)"></(?P=tag)>')
CSS_PATH = "assets/stylesheets/mathjax.css"
SVG_WIDTH_EX = re.compile(r'<svg[^>]*\swidth="([\d.]+)ex"')
# About the width of a 320 px phone column, in MathJax's ex units.
SCROLL_WIDTH_EX = 34.0

_formulas: dict[str, list[Formula]] = {}  # page src_path → formulas in source order
_session: mathjax.Session | None = None


def on_pre_build(config: Any) -> None:
    global _session
    _formulas.clear()
    try:
        _session = mathjax.Session()
    except mathjax.MathJaxUnavailable as exc:
        raise PluginError(str(exc)) from None


def on_page_markdown(markdown: str, page: Page, config: Any, files: Any) -> str:
    try:
        formulas = scan(page.file.content_string, "docs/" + page.file.src_path)
    except SourceError as exc:
        raise PluginError(str(exc)) from None
    _formulas[page.file.src_path] = formulas
    if _session is not None:  # Node typesets while mkdocs goes on reading pages
        _session.submit([(f.tex, f.display) for f in formulas])
    return markdown


def _found(content: str) -> list[tuple[str, bool]]:
    return [
        (
            html.unescape(m.group("block") if m.group("tag") == "div" else m.group("inline")).strip(),
            m.group("tag") == "div",
        )
        for m in ARITHMATEX.finditer(content)
    ]


def on_page_content(content: str, page: Page, config: Any, files: Any) -> str:
    path = "docs/" + page.file.src_path
    source = _formulas.get(page.file.src_path, [])
    found = _found(content)
    for i, f in enumerate(source):
        got = found[i] if i < len(found) else None
        if got != (f.tex, f.display):
            raise PluginError(
                f"{path}:{f.line}: formula changed on its way to HTML\n  source: {f.tex!r}\n  html:   {got[0] if got else None!r}"
            )
    if len(found) > len(source):
        raise PluginError(f"{path}: HTML has a formula the source scan did not find: {found[len(source)][0]!r}")
    return ARITHMATEX.sub(_pending, content)


def _pending(match: re.Match[str]) -> str:
    tag = match.group("tag")
    tex = html.unescape(match.group("block") if tag == "div" else match.group("inline")).strip()
    return f'<{tag} class="arithmatex" data-tex="{html.escape(tex)}"></{tag}>'


def on_env(env: Any, config: Any, files: Any) -> Any:
    global _session
    try:
        if _session is not None:
            _session.finish()
            _session = None
    except mathjax.MathJaxUnavailable as exc:
        raise PluginError(str(exc)) from None
    errors = [
        SourceError("docs/" + src, f.line, f"TeX error: {mathjax.cached((f.tex, f.display)).error}\n    {f.tex}")
        for src, fs in _formulas.items()
        for f in fs
        if mathjax.cached((f.tex, f.display)).error
    ]
    if errors:
        raise PluginError("MathJax could not parse formulas:\n" + first_errors(errors))
    return env


def on_page_context(context: Any, page: Page, config: Any, nav: Any) -> Any:
    if not page.content:
        return context
    used: list[mathjax.Typeset] = []

    def replace(match: re.Match[str]) -> str:
        tag = match.group("tag")
        rendered = mathjax.cached((html.unescape(match.group("tex")), tag == "div"))
        used.append(rendered)
        # A display formula that may be wider than a phone's column scrolls in its own
        # box; keyboard users need to reach that box too (tabindex).
        width = SVG_WIDTH_EX.search(rendered.html)
        focus = ' tabindex="0"' if tag == "div" and width and float(width.group(1)) > SCROLL_WIDTH_EX else ""
        return f'<{tag} class="arithmatex"{focus} data-tex="{match.group("tex")}">{rendered.html}</{tag}>'

    content = PENDING.sub(replace, page.content)
    # Each glyph once per page, referenced by the formulas' <use> elements.
    page.content = mathjax.glyph_defs(used) + content
    return context


def on_post_build(config: Any) -> None:
    out = Path(config["site_dir"]) / CSS_PATH
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(mathjax.stylesheet(), encoding="utf-8")
