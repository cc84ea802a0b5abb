"""Practice cards are cut from the question pages themselves (macros/outputs/practice.py): one per
published question, in nav order, holding the page's own 30 秒回答 and 常见追问 with their
formulas typeset; links that work from the practice page; keys that follow a moved page.
No browser here: the built HTML, read with a parser."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import Tag

from macros.data.errors import SourceError
from macros.data.frontmatter import read_front_matter
from macros.data.redirects import load_redirects, with_move
from macros.data.urls import html_file, read_page, relative_url
from macros.outputs.practice import PRACTICE_PAGE, card_keys, card_parts, rebase_links
from macros.stages.html import parse
from macros.stages.sanitize import SITE_ATTRIBUTES, SITE_CLASSES
from tests.helpers import DOCS, ROOT, built_page, page_url, soup
from tests.practice_support import bank, follow_ups, in_nav_order, practice_soup

PRACTICE_URL = page_url(PRACTICE_PAGE)


def text(node: Tag | list) -> str:
    parts = [node] if isinstance(node, Tag) else node
    return " ".join(" ".join(p.get_text(" ") if isinstance(p, Tag) else str(p) for p in parts).split())


def section_nodes(page, anchor: str) -> list:
    """What follows the h2 with this id, up to the next h2."""
    nodes = []
    for node in page.find("h2", id=anchor).next_siblings:
        if isinstance(node, Tag) and node.name == "h2":
            break
        if isinstance(node, Tag) and "interview-reveal" in (node.get("class") or []):
            continue
        nodes.append(node)
    return nodes


def tex_of(nodes: list) -> list[str]:
    return [f["data-tex"] for n in nodes if isinstance(n, Tag) for f in n.select(".arithmatex[data-tex]")]


def test_one_card_per_published_question_in_nav_order(site: Path, question_pages: list[str]) -> None:
    pages = in_nav_order(question_pages)
    keys = card_keys(pages, load_redirects(ROOT))
    cards = bank(site)
    assert [c["data-card"] for c in cards] == [keys[src] for src in pages]
    for src, card in zip(pages, cards, strict=True):
        assert urljoin(PRACTICE_URL, card["data-url"]) == page_url(src), src
        assert card["data-section"] == src.split("/")[0]


def test_cards_hold_the_page_s_own_answer_and_follow_ups(site: Path, question_pages: list[str]) -> None:
    """Same text, same formulas (TeX), same follow-ups as the question page: not a copy typed elsewhere."""
    for src, card in zip(in_nav_order(question_pages), bank(site), strict=True):
        page = soup(built_page(site, src))
        meta = read_front_matter((DOCS / src).read_text(encoding="utf-8"), src).data or {}
        assert card.h2.get_text() == meta["question"], src
        answer = card.find("div", class_="practice-card__answer")
        nodes = section_nodes(page, "short-answer")
        assert text(answer) == text(nodes), src
        assert tex_of([answer]) == tex_of(nodes), src
        boxes = [n for n in section_nodes(page, "follow-ups") if isinstance(n, Tag) and n.name == "details"]
        drawn = follow_ups(card)
        assert len(drawn) == len(boxes) >= 1, src
        for box, follow_up in zip(boxes, drawn, strict=True):
            assert text(follow_up.p) == text(box.summary), src
            assert text(follow_up.div) == text([n for n in box.children if n is not box.summary]), src
            assert tex_of([follow_up]) == tex_of([box]), src


def test_card_formulas_are_typeset_with_the_page_s_glyphs(site: Path) -> None:
    page = practice_soup(site)
    defined = {p["id"] for p in page.select("svg.mjx-glyphs path[id]")}
    formulas = [f for card in bank(site) for f in card.find_all(class_="arithmatex")]
    assert formulas, "no card has a formula"
    used = set()
    for formula in formulas:
        svg = formula.find("mjx-container").find("svg")
        assert svg is not None and svg.find("use"), f"formula not typeset: {formula.get('data-tex')}"
        used |= {u["xlink:href"].removeprefix("#") for u in formula.find_all("use")}
    assert used <= defined, sorted(used - defined)[:5]


def test_card_links_work_from_the_practice_page(site: Path) -> None:
    """Citations (#ref-…) and links to other questions lead where they led on their page."""
    links = [a["href"] for card in bank(site) for a in card.find_all("a", href=True)]
    here = page_url(PRACTICE_PAGE)
    for href in links:
        target = urlsplit(urljoin(here, href))
        if target.scheme:
            continue  # the opt-in lychee run checks external links
        file = html_file(site, target.path)
        assert file.is_file(), f"{href} → {target.path}: no such page"
        assert not target.fragment or target.fragment in read_page(file).ids, f"{href}: no #{target.fragment}"
    assert any("#ref-" in href for href in links)
    assert not [h for h in links if h.startswith("#")], "a link left pointing into the practice page itself"


def test_practice_js_looks_up_only_reserved_names() -> None:
    """A contributor's page cannot plant an element that practice.js would take for its own."""
    js = (ROOT / "docs/assets/javascripts/practice.js").read_text(encoding="utf-8")
    selectors = " ".join(re.findall(r"(?:querySelector(?:All)?|closest|matches)\(['\"](.+?)['\"]\)", js))
    classes = set(re.findall(r"\.([a-z][a-z0-9_-]*)", selectors))
    attrs = set(re.findall(r"\[(data-[a-z-]+)", selectors))
    assert classes and attrs
    assert classes <= SITE_CLASSES, classes - SITE_CLASSES
    assert attrs <= SITE_ATTRIBUTES, attrs - SITE_ATTRIBUTES


# ── Units: identity, cutting, links ────────────────────────────────────────


def test_a_moved_page_keeps_the_id_it_was_first_published_under() -> None:
    moves = with_move({}, "basics/first.md", "basics/second.md")
    assert card_keys(["basics/second.md"], moves) == {"basics/second.md": "basics-first"}
    moves = with_move(moves, "basics/second.md", "advanced/third.md")
    assert card_keys(["advanced/third.md", "basics/other.md"], moves) == {
        "advanced/third.md": "basics-first",
        "basics/other.md": "basics-other",
    }


def test_two_pages_with_one_key_are_refused_naming_the_redirects_file() -> None:
    moves = with_move({}, "basics/first.md", "basics/second.md")
    with pytest.raises(SourceError, match=r"^mkdocs.yml: .*'basics-first'"):
        card_keys(["basics/second.md", "basics/first.md"], moves)


def test_a_page_without_its_short_answer_is_refused_naming_the_file() -> None:
    with pytest.raises(SourceError, match=r"^docs/basics/x.md: practice cards: no 30 秒回答"):
        card_parts(parse('<h1>x</h1><h2 id="explanation">详解</h2><p>y</p>'), "docs/basics/x.md")


def test_links_are_rewritten_for_the_page_that_shows_them() -> None:
    fragment = (
        '<p><a href="#ref-a">a</a> <a href="../other/#short-answer">b</a> <a href="https://arxiv.org/abs/1">c</a></p>'
    )
    out = rebase_links(fragment, "/basics/x/", lambda target: relative_url(target, "/practice/"))
    hrefs = re.findall(r'href="([^"]*)"', out)
    assert hrefs == ["../basics/x/#ref-a", "../basics/other/#short-answer", "https://arxiv.org/abs/1"]
    assert urlsplit(urljoin("/practice/", hrefs[1])).path == "/basics/other/"
