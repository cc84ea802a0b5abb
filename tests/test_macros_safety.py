"""mkdocs-macros must never change a formula, and renders only the pages that ask for it.

Both pages are added to the project built by the ``edited_site`` fixture (tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import MACRO_PAGE, PLAIN_PAGE, built_page, soup


def test_formulas_survive_macro_rendering(edited_site: Path) -> None:
    page = soup(built_page(edited_site, MACRO_PAGE))
    texs = [el["data-tex"] for el in page.select(".arithmatex")]
    assert texs == ["x^{{2}}", "\\frac{{a}}{b}", "\\mathcal{L}={{y}}^{{2}}"]
    assert page.select_one("code").get_text() == "{{ not_a_macro }}"
    assert page.select_one("div.arch-matrix"), "macros still render on the page"


def test_macros_are_opt_in(edited_site: Path) -> None:
    """Without `render_macros: true` a page is not rendered by Jinja at all."""
    assert "{{ literally }}" in soup(built_page(edited_site, PLAIN_PAGE)).get_text()


# A misspelt macro or an undefined name stops the build naming file and line:
# tests/test_bad_input.py ("macro typo").
