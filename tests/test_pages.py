"""Every question page exists, has the page anatomy, and its front matter shows up in the HTML."""

from __future__ import annotations

from pathlib import Path

from macros.anatomy import ANSWER_ANCHORS, MAX_BULLETS
from macros.frontmatter import expected_id, read_front_matter
from macros.mathscan import fenced_blocks, mask_spans
from tests.helpers import DOCS, built_page, soup


def meta_of(src: str) -> dict:
    return read_front_matter((DOCS / src).read_text(encoding="utf-8"), f"docs/{src}").data or {}


def test_anatomy_in_order(site: Path, question_pages: list[str]) -> None:
    for src in question_pages:
        page = soup(built_page(site, src))
        h2_ids = [h.get("id") for h in page.select("article h2")]
        assert h2_ids == list(ANSWER_ANCHORS), f"{src}: H2 sections {h2_ids}"
        h1 = page.select_one("article h1")
        for link in h1.select("a.headerlink"):
            link.decompose()
        assert h1.get_text().strip() == meta_of(src)["question"], src


def test_short_answer_is_a_short_list(site: Path, question_pages: list[str]) -> None:
    """The built 30 秒回答 is the bullet list the build checked (macros/anatomy.py)."""
    for src in question_pages:
        page = soup(built_page(site, src))
        h2 = page.find("h2", id="short-answer")
        ul = h2.find_next_sibling("ul")
        assert ul is not None, f"{src}: 30 秒回答 must be a bullet list"
        assert 1 <= len(ul.find_all("li", recursive=False)) <= MAX_BULLETS, src


def test_follow_ups_and_references(site: Path, question_pages: list[str]) -> None:
    for src in question_pages:
        page = soup(built_page(site, src))
        refs = page.select("ol.references > li")
        assert [li["id"] for li in refs] == [f"ref-{k}" for k in meta_of(src)["sources"]], src
        follow = page.find("h2", id="follow-ups")
        details = []
        for sib in follow.find_next_siblings():
            if sib.name == "h2":
                break
            if sib.name == "details":
                details.append(sib)
        assert 2 <= len(details) <= 4, f"{src}: {len(details)} follow-up questions"


def test_every_heading_has_explicit_ascii_anchor(question_pages: list[str]) -> None:
    """Anchors are written in the source (not slugified from Chinese), ASCII, lowercase."""
    import re

    for src in question_pages:
        text = (DOCS / src).read_text(encoding="utf-8")
        outside_code = mask_spans(text, fenced_blocks(text))
        for n, line in enumerate(outside_code.splitlines(), 1):
            if not re.match(r"^#{2,6} ", line):
                continue
            assert re.search(r"\{ #[a-z0-9]+(?:-[a-z0-9]+)* \}\s*$", line), (
                f"docs/{src}:{n}: heading without explicit ASCII anchor"
            )


def test_ids_match_urls(question_pages: list[str]) -> None:
    for src in question_pages:
        assert meta_of(src)["id"] == expected_id(src)
