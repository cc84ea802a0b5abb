"""Every internal link and #anchor in the built site resolves; external links are never fetched."""

from __future__ import annotations

import shutil
from pathlib import Path

from scripts.check_site_links import check_site
from tests.helpers import site_url

SITE_URL = site_url()


def test_no_broken_internal_links(site: Path) -> None:
    broken, external = check_site(site, SITE_URL)
    assert not broken, "\n".join(map(str, broken))
    assert any("arxiv.org" in u for u in external), "citations should link to primary sources"


def test_checker_catches_bad_links(site: Path, tmp_path: Path) -> None:
    """The checker can fail: a missing page, a missing anchor on another page and on the same page."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    page = copy / "basics" / "strengths" / "index.html"
    html = page.read_text(encoding="utf-8")
    bad = '<a href="../weaknesses/#no-such-anchor">1</a><a href="../nope/">2</a><a href="#missing-here">3</a>'
    page.write_text(html.replace("<article", bad + "<article", 1), encoding="utf-8")
    broken, _ = check_site(copy, SITE_URL)
    problems = sorted(b.url for b in broken)
    assert problems == ["#missing-here", "../nope/", "../weaknesses/#no-such-anchor"]
    assert all(b.page == "basics/strengths/index.html" for b in broken)
