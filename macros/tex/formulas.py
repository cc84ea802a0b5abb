"""The formulas of a page's HTML: checked against the source, detached, then typeset.

pymdownx.arithmatex (``generic: true``) writes each formula as
``<span class="arithmatex">\\(…\\)</span>`` or ``<div class="arithmatex">\\[…\\]</div>``.
Two HTML stages act on those elements (located by macros/stages/html.py):

* :func:`detach_tex` checks that they carry exactly the TeX that the source scan
  (macros/tex/mathscan.py) found, in order (Markdown, typography extensions and macros
  must not alter TeX), and moves the TeX from the text into ``data-tex``, so the
  search index, built from the page text, never shows TeX source;
* :func:`fill_formulas` puts MathJax's SVG into each element, keeping ``data-tex``
  (the tests' fidelity check), and defines the glyphs the page uses once;
* :func:`formulas_as_tex` puts each formula's TeX back between MathJax's delimiters,
  for readers that typeset TeX themselves (the Anki deck, macros/outputs/deck.py).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from macros.data.errors import SourceError
from macros.stages.html import Element, find, splice
from macros.tex.mathjax import Typeset, glyph_defs
from macros.tex.mathscan import Formula

# About the width of a 320 px phone column, in MathJax's ex units: a display formula
# wider than this may scroll in its own box, which keyboard users must reach (tabindex).
SCROLL_WIDTH_EX = 34.0
SVG_WIDTH_EX = re.compile(r'<svg[^>]*\swidth="([\d.]+)ex"')


def _formula_elements(content: str) -> list[Element]:
    return find(content, lambda tag, attrs: tag in ("span", "div") and attrs.get("class") == "arithmatex")


def _tex(content: str, element: Element) -> tuple[str, bool]:
    """The TeX inside a formula element written by arithmatex, and whether it is display math."""
    inner = html.unescape(content[element.inner_start : element.inner_end]).strip()
    display = element.tag == "div"
    opening, closing = ("\\[", "\\]") if display else ("\\(", "\\)")
    if inner.startswith(opening) and inner.endswith(closing):
        inner = inner[len(opening) : -len(closing)]
    return inner.strip(), display


def detach_tex(content: str, source: list[Formula], path: str) -> str:
    """Check the page's formulas against the source's, then move their TeX to ``data-tex``."""
    elements = _formula_elements(content)
    found = [_tex(content, e) for e in elements]
    for i, formula in enumerate(source):
        got = found[i] if i < len(found) else None
        if got != (formula.tex, formula.display):
            raise SourceError(
                path,
                formula.line,
                f"formula changed on its way to HTML\n  source: {formula.tex!r}\n  html:   {got[0] if got else None!r}",
            )
    if len(found) > len(source):
        raise SourceError(path, None, f"HTML has a formula the source scan did not find: {found[len(source)][0]!r}")
    return splice(
        content,
        (
            (e.start, e.end, f'<{e.tag} class="arithmatex" data-tex="{html.escape(tex)}"></{e.tag}>')
            for e, (tex, _) in zip(elements, found, strict=True)
        ),
    )


def fill_formulas(
    content: str, source: list[Formula], path: str, typeset: Callable[[tuple[str, bool]], Typeset]
) -> str:
    """Fill the page's formula elements, in order, with the SVG of the source's formulas
    (the list :func:`detach_tex` checked); prepend the glyphs they use (MathJax's font cache)."""
    elements = _formula_elements(content)
    if len(elements) != len(source):
        raise SourceError(path, None, f"{len(source)} formulas in the source, {len(elements)} in the HTML to fill")
    used: list[Typeset] = []
    edits = []
    for e, formula in zip(elements, source, strict=True):
        tex = formula.tex
        rendered = typeset((tex, formula.display))
        used.append(rendered)
        width = SVG_WIDTH_EX.search(rendered.html or "")
        focus = ' tabindex="0"' if e.tag == "div" and width and float(width.group(1)) > SCROLL_WIDTH_EX else ""
        edits.append(
            (
                e.start,
                e.end,
                f'<{e.tag} class="arithmatex"{focus} data-tex="{html.escape(tex)}">{rendered.html}</{e.tag}>',
            )
        )
    return glyph_defs(used) + splice(content, edits)


def formulas_as_tex(content: str, source: list[Formula], path: str) -> str:
    """The page's formula elements, in order, holding the source's TeX as ``\\(…\\)`` (inline)
    or ``\\[…\\]`` (display), escaped as text: what Anki's own MathJax typesets, offline."""
    elements = _formula_elements(content)
    if len(elements) != len(source):
        raise SourceError(path, None, f"{len(source)} formulas in the source, {len(elements)} in the HTML")
    edits = []
    for e, formula in zip(elements, source, strict=True):
        opening, closing = ("\\[", "\\]") if formula.display else ("\\(", "\\)")
        text = html.escape(opening + formula.tex + closing, quote=False)
        edits.append((e.start, e.end, f'<{e.tag} class="arithmatex">{text}</{e.tag}>'))
    return splice(content, edits)


def tex_errors(formulas: dict[str, list[Formula]], typeset: Callable[[tuple[str, bool]], Typeset]) -> list[SourceError]:
    """Every formula MathJax could not parse, at its file and line (``formulas``: docs path → formulas)."""
    return [
        SourceError(path, f.line, f"TeX error: {error}\n    {f.tex}")
        for path, fs in formulas.items()
        for f in fs
        if (error := typeset((f.tex, f.display)).error)
    ]
