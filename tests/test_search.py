"""Readers find the right page by a concept's Chinese or English name, in the site's own search box."""

from __future__ import annotations

import pytest

from macros.frontmatter import read_front_matter
from tests.helpers import DOCS, page_url, source_pages

ALIASES_PER_PAGE = 2


def alias_queries() -> dict[str, str]:
    """query → the page that must be among the first three results: the first aliases
    of every published question page (front matter), so new pages are searched too."""
    queries: dict[str, str] = {}
    for src in source_pages():
        text = (DOCS / src).read_text(encoding="utf-8")
        meta = read_front_matter(text, src).data or {}
        for alias in (meta.get("aliases") or [])[:ALIASES_PER_PAGE]:
            queries.setdefault(str(alias), page_url(src))
    return queries


QUERIES = alias_queries()


def top_pages(page, query: str, n: int = 3) -> list[str]:
    meta = "document.querySelector('.md-search-result__meta').textContent"
    page.fill("input.md-search__input", "")
    page.keyboard.press("Backspace")
    page.wait_for_function(f"() => !/结果/.test({meta})")  # back to the empty prompt
    page.keyboard.type(query)
    # Playwright inserts CJK text without key events (an IME sends keyup on commit);
    # material's search reacts to key events, so end the input with one, as an IME would.
    page.keyboard.press("End")
    page.wait_for_function(f"() => /结果/.test({meta})")  # "N 个符合条件的结果" / "没有找到符合条件的结果"
    page.wait_for_timeout(150)  # results render just after the count
    hrefs = page.eval_on_selector_all(
        "li.md-search-result__item > a.md-search-result__link", "els => els.map(e => new URL(e.href).pathname)"
    )
    seen: list[str] = []
    for h in hrefs:
        if h not in seen:
            seen.append(h)
    return seen[:n]


@pytest.fixture(scope="module")
def search_page(browser, server: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/", wait_until="networkidle")
    page.click("input.md-search__input")  # the header's search box, as a reader would
    yield page
    page.close()


@pytest.mark.parametrize("query", list(QUERIES))
def test_query_finds_page(search_page, query: str) -> None:
    results = top_pages(search_page, query)
    assert QUERIES[query] in results, f"{query!r}: top 3 = {results}"


def test_search_can_fail(search_page) -> None:
    """A nonsense query does not return the pages (the assertion above can fail)."""
    assert top_pages(search_page, "zzqxj") == []


def test_search_index_has_no_tex(site) -> None:
    """Formulas reach the index as nothing, never as TeX source (macros/formulas.py)."""
    import json

    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    tex = [d["location"] for d in docs if "\\(" in d["text"] or "\\[" in d["text"] or "\\frac" in d["text"]]
    assert docs and not tex, f"TeX in the search index: {tex[:5]}"
