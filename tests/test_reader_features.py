"""Reader features in a real browser: copy-link, interview mode, random question,
related questions, tags, difficulty and glossary tooltips."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from macros.data.sitedata import load_site_data
from tests.helpers import DOCS, page_url, read_clipboard
from tests.published import page, parsed

GLOSSARY = load_site_data(DOCS).glossary
SCHEME = 'document.body.getAttribute("data-md-color-scheme")'


@pytest.fixture(scope="module")
def q_url(question_pages: list[str]) -> str:
    """A question page to try the reader features on: the first one."""
    return page_url(question_pages[0])


def test_copy_link_interview_mode_palette_and_random_question(
    browser, server: str, q_url: str, question_pages: list[str]
) -> None:
    """On one question page: copy-link copies the full URL with its anchor; interview mode
    hides the answers, is remembered and reveals them again; the light/dark toggle
    (overrides/partials/palette.html + handbook.js, not material's component) switches the
    page, shows the other toggle, survives navigation (material's own early script reads
    it) and works with Enter; "随机一题" leads to another question."""
    context = browser.new_context(color_scheme="light", permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(server + q_url, wait_until="networkidle")
        page.click("h2#short-answer button.copy-link")
        assert read_clipboard(page) == server + q_url + "#short-answer"

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

        assert page.evaluate(SCHEME) == "default"
        to_dark, to_light = page.locator('label[title="切换到深色模式"]'), page.locator('label[title="切换到浅色模式"]')
        expect(to_dark).to_be_visible()
        expect(to_light).to_be_hidden()
        to_dark.click()
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
        expect(to_light).to_be_visible()
        expect(to_dark).to_be_hidden()
        page.goto(server + page_url(question_pages[-1]), wait_until="networkidle")
        assert page.evaluate(SCHEME) == "slate"
        expect(to_light).to_be_visible()
        page.focus("#__palette_1")
        page.keyboard.press("Enter")
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
        assert page.evaluate('document.body.hasAttribute("data-md-color-switching")') is False

        page.goto(server + q_url, wait_until="networkidle")
        page.click("a.random-question")
        # Path, not URL: material's navigation.tracking writes the current #section into the URL as the page scrolls.
        page.wait_for_url(lambda url: urlsplit(url).path != q_url)
        assert page.url.removeprefix(server) in {page_url(src) for src in question_pages}
        expect(page.locator("h2#short-answer")).to_have_count(1)
    finally:
        context.close()


def test_first_visit_follows_the_system_palette(browser, server: str, q_url: str) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(server + q_url, wait_until="domcontentloaded")
        assert page.evaluate(SCHEME) == "slate"
        expect(page.locator('label[title="切换到浅色模式"]')).to_be_visible()
    finally:
        context.close()


def test_question_pages_show_related_difficulty_tags_and_glossary_terms(site: Path, question_pages: list[str]) -> None:
    """Related questions, difficulty, tags and 随机一题 on every question page, each page in the tags
    index; every glossary term in a page is an <abbr> with its definition, reachable by keyboard."""
    definitions = {t.abbr: f"{t.zh}（{t.en}）" for t in GLOSSARY.root}
    seen = 0
    for src in question_pages:
        html = page(site, src)
        assert len(html.select("ul.related-questions a")) >= 2, src
        assert html.select_one(".question-meta .difficulty").get_text() in ("基础", "进阶", "深入"), src
        assert html.select(".md-tags .md-tag"), f"{src}: tags not shown"
        assert html.select_one("a.random-question"), src
        for abbr in html.select("article abbr"):
            seen += 1
            assert abbr.get("title") == definitions[abbr.get_text()], src
            assert abbr.get("tabindex") == "0", src
    assert seen, "no glossary term on any question page"
    links = json.loads((site / "assets" / "glossary.json").read_text(encoding="utf-8"))
    assert set(links) == set(definitions)
    tags = {a["href"].split("#")[0] for a in parsed(site / "tags" / "index.html").select("article a[href]")}
    for src in question_pages:
        assert any(href.rstrip("/").endswith(page_url(src).strip("/")) for href in tags), f"{src} not in tags index"


def test_glossary_page_lists_every_term_with_its_page(site: Path) -> None:
    """One labelled row (a card on phones) per term of docs/data/glossary.yml; "详见" opens the term's page."""
    rows = {
        tr.select_one("td strong").get_text(): tr for tr in page(site, "glossary.md").select(".glossary-table tbody tr")
    }
    assert set(rows) == {t.abbr for t in GLOSSARY.root}
    for term in GLOSSARY.root:
        cells = rows[term.abbr].select("td")
        assert [td.get("data-label") for td in cells] == ["缩写", "英文", "解释", "详见"]
        link = cells[-1].select_one("a")
        if term.page is None:
            assert link is None, term.abbr
        else:
            target = urlsplit(urljoin(page_url("glossary.md"), link["href"])).path
            assert target == page_url(term.page), f"{term.abbr}: 详见 leads to {target}"
