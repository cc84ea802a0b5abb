"""mkdocs-macros must never change a formula, and renders only the pages that ask for it.

Both pages are added to the edited copy of the project (tests/conftest.py, ``edited``)."""

from __future__ import annotations

from tests.conftest import Edited
from tests.helpers import MACRO_PAGE, PLAIN_PAGE
from tests.published import page


def test_formulas_survive_macro_rendering_and_macros_are_opt_in(edited: Edited) -> None:
    macros = page(edited.site, MACRO_PAGE)
    texs = [el["data-tex"] for el in macros.select(".arithmatex")]
    assert texs == ["x^{{2}}", "\\frac{{a}}{b}", "\\mathcal{L}={{y}}^{{2}}"]  # MACRO_PAGE_TEXT's, as written
    assert macros.select_one("code").get_text() == "{{ not_a_macro }}"
    assert macros.select_one("div.arch-matrix"), "macros still render on the page"
    # Without `render_macros: true` a page is not rendered by Jinja at all.
    assert "{{ literally }}" in page(edited.site, PLAIN_PAGE).get_text()


# A misspelt macro or an undefined name stops the build naming file and line:
# tests/test_bad_input.py ("macro typo").
