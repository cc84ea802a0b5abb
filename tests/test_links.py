"""Every internal link and #anchor in the built site resolves; external links are never fetched."""

from __future__ import annotations

import shutil
from pathlib import Path

from scripts.check_site_links import check_site
from tests.helpers import built_page, site_url

SITE_URL = site_url()


def test_no_broken_internal_links(site: Path) -> None:
    broken, external = check_site(site, SITE_URL)
    assert not broken, "\n".join(map(str, broken))
    assert any("arxiv.org" in u for u in external), "citations should link to primary sources"


def test_checker_catches_bad_links(site: Path, tmp_path: Path, question_pages: list[str]) -> None:
    """The checker can fail: a missing page, a missing anchor on another page and on the same page."""
    first, other = (
        question_pages[0],
        next(p for p in question_pages[1:] if p.split("/")[0] == question_pages[0].split("/")[0]),
    )
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    page = built_page(copy, first)
    html = page.read_text(encoding="utf-8")
    sibling = f"../{Path(other).stem}/#no-such-anchor"
    bad = f'<a href="{sibling}">1</a><a href="../zz-nope/">2</a><a href="#missing-here">3</a>'
    page.write_text(html.replace("<article", bad + "<article", 1), encoding="utf-8")
    broken, _ = check_site(copy, SITE_URL)
    assert sorted(b.url for b in broken) == sorted(["#missing-here", "../zz-nope/", sibling])
    assert all(b.page == page.relative_to(copy).as_posix() for b in broken)
