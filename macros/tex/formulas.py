"""The formulas of a page's HTML: checked against the source, detached, then typeset.

pymdownx.arithmatex (``generic: true``) writes each formula as
``<span class="arithmatex">\\(…\\)</span>`` or ``<div class="arithmatex">\\[…\\]</div>``.
Two HTML stages act on those elements, in the page's tree (macros/stages/html.py):

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

from selectolax.lexbor import LexborNode

from macros.data.errors import SourceError
from macros.stages.html import Tree, body, classes, prepend
from macros.tex.mathjax import Typeset, glyph_defs
from macros.tex.mathscan import Formula

# About the width of a 320 px phone column, in MathJax's ex units: a display formula
# wider than this may scroll in its own box, which keyboard users must reach (tabindex).
SCROLL_WIDTH_EX = 34.0
SVG_WIDTH_EX = re.compile(r'<svg[^>]*\swidth="([\d.]+)ex"')


def _formula_elements(tree: Tree) -> list[LexborNode]:
    return [e for e in body(tree).traverse() if e.tag in ("span", "div") and classes(e) == ["arithmatex"]]


def _tex(element: LexborNode) -> tuple[str, bool]:
    """The TeX inside a formula element written by arithmatex, and whether it is display math."""
    inner = (element.text(deep=True) or "").strip()
    display = element.tag == "div"
    opening, closing = ("\\[", "\\]") if display else ("\\(", "\\)")
    if inner.startswith(opening) and inner.endswith(closing):
        inner = inner[len(opening) : -len(closing)]
    return inner.strip(), display


def _counted(tree: Tree, source: list[Formula], path: str) -> list[LexborNode]:
    elements = _formula_elements(tree)
    if len(elements) != len(source):
        raise SourceError(path, None, f"{len(source)} formulas in the source, {len(elements)} in the HTML")
    return elements


def detach_tex(tree: Tree, source: list[Formula], path: str) -> None:
    """Check the page's formulas against the source's, then move their TeX to ``data-tex``."""
    elements = _formula_elements(tree)
    found = [_tex(e) for e in elements]
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
    for e, (tex, _) in zip(elements, found, strict=True):
        e.inner_html = ""
        e.attrs["data-tex"] = tex


def fill_formulas(tree: Tree, source: list[Formula], path: str, typeset: Callable[[tuple[str, bool]], Typeset]) -> None:
    """Fill the page's formula elements, in order, with the SVG of the source's formulas
    (the list :func:`detach_tex` checked); put the glyphs they use (MathJax's font cache)
    first in the page."""
    used: list[Typeset] = []
    for e, formula in zip(_counted(tree, source, path), source, strict=True):
        rendered = typeset((formula.tex, formula.display))
        used.append(rendered)
        width = SVG_WIDTH_EX.search(rendered.html or "")
        if e.tag == "div" and width and float(width.group(1)) > SCROLL_WIDTH_EX:
            e.attrs["tabindex"] = "0"
        e.attrs["data-tex"] = formula.tex
        e.inner_html = rendered.html or ""
    prepend(body(tree), glyph_defs(used))


def formulas_as_tex(tree: Tree, source: list[Formula], path: str) -> None:
    """The page's formula elements, in order, holding the source's TeX as ``\\(…\\)`` (inline)
    or ``\\[…\\]`` (display), as text: what Anki's own MathJax typesets, offline."""
    for e, formula in zip(_counted(tree, source, path), source, strict=True):
        opening, closing = ("\\[", "\\]") if formula.display else ("\\(", "\\)")
        if "data-tex" in e.attrs:
            del e.attrs["data-tex"]
        e.inner_html = html.escape(opening + formula.tex + closing, quote=False)


def tex_errors(formulas: dict[str, list[Formula]], typeset: Callable[[tuple[str, bool]], Typeset]) -> list[SourceError]:
    """Every formula MathJax could not parse, at its file and line (``formulas``: docs path → formulas)."""
    return [
        SourceError(path, f.line, f"TeX error: {error}\n    {f.tex}")
        for path, fs in formulas.items()
        for f in fs
        if (error := typeset((f.tex, f.display)).error)
    ]
