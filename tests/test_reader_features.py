"""Reader features in a real browser: copy-link, interview mode, random question,
related questions, tags, difficulty and glossary tooltips."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from macros.data.sitedata import load_site_data
from tests.helpers import DOCS, built_page, page_url, read_clipboard, soup


@pytest.fixture(scope="module")
def q_url(question_pages: list[str]) -> str:
    """A question page to try the reader features on: the first one."""
    return page_url(question_pages[0])


def test_copy_link_copies_full_url_with_anchor(browser, server: str, q_url: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(server + q_url, wait_until="networkidle")
        page.click("h2#short-answer button.copy-link")
        copied = read_clipboard(page)
        assert copied == server + q_url + "#short-answer"
    finally:
        context.close()


def test_interview_mode_hides_and_reveals_answers(browser, server: str, q_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(server + q_url, wait_until="networkidle")
        answer = page.locator("h2#short-answer + button + ul, h2#short-answer ~ ul").first
        expect(answer).to_be_visible()
        page.click("button.interview-toggle")
        expect(answer).to_be_hidden()
        expect(page.locator("h2#explanation ~ p").first).to_be_hidden()
        expect(page.locator("h2#follow-ups")).to_be_visible()
        page.reload(wait_until="networkidle")  # remembered
        expect(page.locator("h2#short-answer ~ ul").first).to_be_hidden()
        page.click("button.interview-reveal")
        expect(page.locator("h2#short-answer ~ ul").first).to_be_visible()
    finally:
        context.close()


def test_random_question_goes_to_another_question(browser, server: str, q_url: str, question_pages: list[str]) -> None:
    page = browser.new_page()
    try:
        page.goto(server + q_url, wait_until="networkidle")
        page.click("a.random-question")
        # Path, not URL: material's navigation.tracking writes the current #section into the URL as the page scrolls.
        page.wait_for_url(lambda url: urlsplit(url).path != q_url)
        assert page.url.removeprefix(server) in {page_url(src) for src in question_pages}
        expect(page.locator("h2#short-answer")).to_have_count(1)
    finally:
        page.close()


def test_question_pages_show_related_difficulty_tags(site: Path, question_pages: list[str]) -> None:
    for src in question_pages:
        page = soup(built_page(site, src))
        assert len(page.select("ul.related-questions a")) >= 2, src
        assert page.select_one(".question-meta .difficulty").get_text() in ("基础", "进阶", "深入"), src
        assert page.select(".md-tags .md-tag"), f"{src}: tags not shown"
        assert page.select_one("a.random-question"), src


def test_tags_index_lists_every_question(site: Path, question_pages: list[str]) -> None:
    tags_page = soup(site / "tags" / "index.html")
    linked = {a["href"].split("#")[0] for a in tags_page.select("article a[href]")}
    for src in question_pages:
        assert any(href.rstrip("/").endswith(page_url(src).strip("/")) for href in linked), f"{src} not in tags index"


def test_glossary_page_lists_every_term_with_its_page(site: Path) -> None:
    """One labelled row (a card on phones) per term of docs/data/glossary.yml; "详见" opens the term's page."""
    glossary = load_site_data(DOCS).glossary
    page_file = built_page(site, "glossary.md")
    rows = {tr.select_one("td strong").get_text(): tr for tr in soup(page_file).select(".glossary-table tbody tr")}
    assert set(rows) == {t.abbr for t in glossary.root}
    for term in glossary.root:
        cells = rows[term.abbr].select("td")
        assert [td.get("data-label") for td in cells] == ["缩写", "英文", "解释", "详见"]
        link = cells[-1].select_one("a")
        if term.page is None:
            assert link is None, term.abbr
        else:
            target = urlsplit(urljoin(page_url("glossary.md"), link["href"])).path
            assert target == page_url(term.page), f"{term.abbr}: 详见 leads to {target}"


def test_glossary_terms_are_marked_and_focusable(site: Path, question_pages: list[str]) -> None:
    """Every glossary term in a page is an <abbr> with its definition, reachable by keyboard."""
    glossary = load_site_data(DOCS).glossary
    definitions = {t.abbr: f"{t.zh}（{t.en}）" for t in glossary.root}
    seen = 0
    for src in question_pages:
        for abbr in soup(built_page(site, src)).select("article abbr"):
            seen += 1
            assert abbr.get("title") == definitions[abbr.get_text()], src
            assert abbr.get("tabindex") == "0", src
    assert seen, "no glossary term on any question page"
    links = json.loads((site / "assets" / "glossary.json").read_text(encoding="utf-8"))
    assert set(links) == set(definitions)


def test_palette_toggle_switches_and_is_remembered(browser, server: str, q_url: str, question_pages: list[str]) -> None:
    """The light/dark toggle (overrides/partials/palette.html + handbook.js, not
    material's component): a click switches the page, the other toggle shows, the
    choice survives navigation (material's own early script reads it), Enter works."""
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    scheme = 'document.body.getAttribute("data-md-color-scheme")'
    try:
        page.goto(server + q_url, wait_until="networkidle")
        assert page.evaluate(scheme) == "default"
        to_dark = page.locator('label[title="切换到深色模式"]')
        to_light = page.locator('label[title="切换到浅色模式"]')
        expect(to_dark).to_be_visible()
        expect(to_light).to_be_hidden()
        to_dark.click()
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
        expect(to_light).to_be_visible()
        expect(to_dark).to_be_hidden()
        page.goto(server + page_url(question_pages[-1]), wait_until="networkidle")
        assert page.evaluate(scheme) == "slate"
        expect(page.locator('label[title="切换到浅色模式"]')).to_be_visible()
        page.focus("#__palette_1")
        page.keyboard.press("Enter")
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
        assert page.evaluate('document.body.hasAttribute("data-md-color-switching")') is False
    finally:
        context.close()


def test_first_visit_follows_the_system_palette(browser, server: str, q_url: str) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(server + q_url, wait_until="domcontentloaded")
        assert page.evaluate('document.body.getAttribute("data-md-color-scheme")') == "slate"
        expect(page.locator('label[title="切换到浅色模式"]')).to_be_visible()
    finally:
        context.close()
