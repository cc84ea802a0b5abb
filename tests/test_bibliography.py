"""Every bibliography entry is cited somewhere; an uncited one is refused with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.data.bibliography import check_all_cited
from macros.data.errors import SourceError
from macros.data.sitedata import cited_keys, load_site_data
from tests.helpers import DOCS

ORPHAN = """
orphan2026:
  authors: Nobody
  year: 2026
  title: A Paper No Page Cites
  venue: arXiv
  url: https://arxiv.org/abs/0000.00000
"""


def test_every_entry_is_cited() -> None:
    check_all_cited(
        DOCS / "data" / "bibliography.yml", cited_keys(DOCS, load_site_data(DOCS)), "docs/data/bibliography.yml"
    )


def test_uncited_entry_is_refused(tmp_path: Path) -> None:
    original = (DOCS / "data" / "bibliography.yml").read_text(encoding="utf-8")
    bib = tmp_path / "bibliography.yml"
    bib.write_text(original + ORPHAN, encoding="utf-8")
    line = original.count("\n") + 2
    with pytest.raises(SourceError) as err:
        check_all_cited(bib, cited_keys(DOCS, load_site_data(DOCS)), "docs/data/bibliography.yml")
    assert f"docs/data/bibliography.yml:{line}: 'orphan2026' is cited nowhere" in str(err.value)
