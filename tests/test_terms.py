"""One term per concept (docs/data/terms.yml, macros/data/terms.py), in process."""

from __future__ import annotations

import pytest

from macros.data.errors import SourceError
from macros.data.terms import check_terms, load_terms
from tests.helpers import DOCS, source_pages

TERMS = load_terms(DOCS / "data" / "terms.yml", "docs/data/terms.yml")


def test_every_page_uses_the_preferred_terms() -> None:
    for src in source_pages(drafts=True):
        check_terms((DOCS / src).read_text(encoding="utf-8"), f"docs/{src}", TERMS)


@pytest.mark.parametrize("term", TERMS.root, ids=lambda t: t.term)
def test_a_variant_in_prose_is_refused_at_its_line(term) -> None:
    variant = term.avoid[0]
    page = f"---\naliases: [{variant}]\n---\n# 问题？\n\n{term.term}（{variant}）可以。\n\n这里写成{variant}不行。\n"
    with pytest.raises(SourceError) as err:
        check_terms(page, "docs/s/p.md", TERMS)
    assert f"docs/s/p.md:8: '{variant}': write '{term.term}'" in str(err.value)
    assert ":6:" not in str(err.value)  # the first-mention gloss in brackets is fine
