"""Readers find the right page by a concept's Chinese or English name, in the site's own search box."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from macros.data.sitedata import load_site_data
from macros.stages.search import patch_search_worker
from scripts.viewports import VIEWPORTS
from tests.helpers import DOCS, page_url, source_pages
from tests.published import front_matter

ALIASES_PER_PAGE = 2
# A compound Chinese name: Han characters only, at least three (大语言模型, 注意力掩码, 指令微调).
COMPOUND = re.compile(r"[\u3400-\u9fff]{3,}")


def queries() -> dict[str, set[str]]:
    """query → the pages one of which must be among the first three results. The first
    aliases of every published page (front matter): that page, so new pages are searched
    too. Every compound Chinese name the handbook knows: all such aliases, and every
    preferred term of docs/data/terms.yml → the pages that list it in their ``aliases``
    (a term that no page lists gets no page, and fails)."""
    pages: dict[str, set[str]] = {}
    first: dict[str, set[str]] = {}
    for src in source_pages():
        aliases = [str(a) for a in front_matter(src).get("aliases") or []]
        for alias in aliases:
            pages.setdefault(alias, set()).add(page_url(src))
        for alias in aliases[:ALIASES_PER_PAGE]:
            first.setdefault(alias, {page_url(src)})
    names = [a for a in pages if COMPOUND.fullmatch(a)] + [t.term for t in load_site_data(DOCS).terms.root]
    return first | {name: pages.get(name, set()) for name in dict.fromkeys(names) if name not in first}


QUERIES = queries()


def top_pages(page, query: str, n: int = 3) -> list[str]:
    meta = "document.querySelector('.md-search-result__meta').textContent"
    page.fill("input.md-search__input", "")
    page.keyboard.press("Backspace")
    page.wait_for_function(
        f"() => !/结果/.test({meta}) && !document.querySelector('li.md-search-result__item')"
    )  # back to the empty prompt
    # The whole query at once, as an IME commits CJK text; material's search reacts to key
    # events, so end the input with one, as the IME's keyup would. Typing it key by key would
    # show the results of every prefix on the way.
    page.fill("input.md-search__input", query)
    page.keyboard.press("End")
    # "N 个符合条件的结果" or "没有找到符合条件的结果"; the list (its first batch, in one go)
    # renders just after the count, so wait (retrying, with Playwright's timeout) for it too.
    page.wait_for_function(
        f"""() => /没有/.test({meta})
            || document.querySelectorAll('li.md-search-result__item').length > 0"""
    )
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
    assert QUERIES[query] & set(results), f"{query!r}: one of {sorted(QUERIES[query])} expected, top 3 = {results}"


def test_worker_patch_refuses_another_worker() -> None:
    """After a material upgrade the build stops instead of serving an unpatched segmenter."""
    with pytest.raises(ValueError, match="re-check the query segmenter"):
        patch_search_worker("for(let j=i+1;j<q.length;j++)", "search.0123abcd.min.js")


def test_search_can_fail(search_page) -> None:
    """A nonsense query does not return the pages (the assertion above can fail)."""
    assert top_pages(search_page, "zzqxj") == []


def index_requests(page) -> list[str]:
    """Requests for the search index that ``page`` makes from now on (filled as they happen)."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if "search_index.json" in request.url else None)
    return seen


def test_index_loads_on_first_use_not_on_load(browser, server: str, question_pages: list[str]) -> None:
    """On a phone, opening a page fetches no search index; tapping the search button does."""
    context = browser.new_context(**VIEWPORTS[0].context_options("light"))
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        seen = index_requests(page)
        # "networkidle": loaded, then no request for 500 ms; material asks for the index at start-up.
        page.goto(server + page_url(question_pages[0]), wait_until="networkidle")
        assert seen == [], f"the search index was fetched on page load: {seen}"
        with page.expect_request(lambda request: "search_index.json" in request.url):
            page.tap("label.md-header__button[for=__search]")
        expect(page.locator("input.md-search__input")).to_be_visible()
    finally:
        context.close()


def test_search_index_has_no_tex(site) -> None:
    """Formulas reach the index as nothing, never as TeX source (macros/tex/formulas.py)."""
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    tex = [d["location"] for d in docs if "\\(" in d["text"] or "\\[" in d["text"] or "\\frac" in d["text"]]
    assert docs and not tex, f"TeX in the search index: {tex[:5]}"
