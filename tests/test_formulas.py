"""Formulas: parsed by the MathJax the site uses, unchanged on their way to HTML, typeset in the browser."""

from __future__ import annotations

from pathlib import Path

from macros.tex import mathjax
from macros.tex.mathscan import fenced_blocks, scan
from tests.helpers import DOCS, page_url, source_pages
from tests.published import page


def source_formulas() -> dict[str, list]:
    return {src: scan((DOCS / src).read_text(encoding="utf-8"), f"docs/{src}") for src in source_pages()}


JINJA_DELIMITERS = ("{{", "{%", "{#")


def jinja_in_formulas(text: str, path: str) -> list[str]:
    """Formulas holding a Jinja delimiter. The build hides formulas from Jinja
    (macros/tex/protect.py, in mkdocs-macros' page hook); Zensical's macros extension
    calls no such hook, so there a `{{` inside TeX would be read as a template."""
    return [f"{path}:{f.line}: {f.tex!r}" for f in scan(text, path) if any(d in f.tex for d in JINJA_DELIMITERS)]


def test_no_jinja_delimiters_inside_formulas() -> None:
    found = [
        hit
        for src in source_pages()
        if "render_macros: true" in (text := (DOCS / src).read_text(encoding="utf-8"))
        for hit in jinja_in_formulas(text, f"docs/{src}")
    ]
    assert not found, "write `{ {` or \\{\\{ in TeX on macro pages:\n" + "\n".join(found)
    assert jinja_in_formulas("a $x^{{2}}$ b\n\n$$\n{%x%}\n$$\n", "t.md") == ["t.md:1: 'x^{{2}}'", "t.md:3: '{%x%}'"]


def test_mathjax_rejects_bad_tex() -> None:
    """The MathJax the build runs reports each error (a source formula it cannot parse stops the
    build: tests/test_bad_input.py); every source formula is drawn without one (the browser test)."""
    bad = {r"\frac{a}{b": "Missing close brace", r"\nosuchmacro x": "Undefined control sequence"}
    bad["a^"] = "Missing superscript or subscript argument"
    results = mathjax.typeset([(tex, False) for tex in bad])
    for tex, message in bad.items():
        result = results[(tex, False)]
        assert result.html is None and message in (result.error or ""), tex


def test_tex_reaches_page_unchanged(site: Path) -> None:
    """For every formula, the TeX in the built page is identical to the TeX in the source."""
    formulas = source_formulas()
    assert any(formulas.values()), "no formula on any page"
    for src, fs in formulas.items():
        built = page(site, src)
        found = [(el["data-tex"], el.name == "div") for el in built.select(".arithmatex[data-tex]")]
        assert found == [(f.tex, f.display) for f in fs], f"docs/{src}"
        assert not built.select(".arithmatex:not([data-tex])"), f"docs/{src}: untypeset formula"


def test_pages_render_every_formula_in_browser(browser, server: str) -> None:
    """Headless Chromium: every formula is on screen as SVG, no MathJax error, no console error."""
    formulas = source_formulas()
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    try:
        for src, fs in formulas.items():
            page.goto(server + page_url(src), wait_until="load")
            counts = page.evaluate(
                """() => ({
                    containers: document.querySelectorAll('article mjx-container > svg').length,
                    merror: document.querySelectorAll('[data-mml-node="merror"], mjx-merror, merror').length,
                    visible: [...document.querySelectorAll('article mjx-container')].filter(e => e.getBoundingClientRect().width > 0 || e.closest('details:not([open])')).length,
                    assistive: document.querySelectorAll('article mjx-assistive-mml math').length,
                    // every glyph a formula draws must be defined on the page
                    missing_glyphs: [...document.querySelectorAll('mjx-container use')]
                        .filter(u => !document.getElementById((u.getAttribute('xlink:href') || u.getAttribute('href') || '').slice(1))).length,
                })"""
            )
            n = len(fs)
            assert counts == {"containers": n, "merror": 0, "visible": n, "assistive": n, "missing_glyphs": 0}, (
                f"docs/{src}: {counts}"
            )
        assert not problems, "\n".join(problems)
    finally:
        page.close()


def test_code_fences_close_only_on_a_bare_fence() -> None:
    """```python inside a block is code, not its end (CommonMark); $…$ after the real end is math."""
    text = "```\n```python\n$x$\n```\n之后 $a$\n\n~~~~\n~~~\n~~~~  \n$b$\n"
    assert [f.tex for f in scan(text, "docs/x.md")] == ["a", "b"]
    assert fenced_blocks(text) == [(0, text.index("之后")), (text.index("~~~~"), text.index("$b$"))]
