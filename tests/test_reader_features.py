"""Reader features in a real browser: copy-link, interview mode, random question,
related questions, tags, difficulty and glossary tooltips."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import built_page, soup

Q5 = "/basics/why-decoder-only/"


def test_copy_link_copies_full_url_with_anchor(browser, server: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(server + Q5, wait_until="networkidle")
        page.click("h2#short-answer button.copy-link")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == server + Q5 + "#short-answer"
    finally:
        context.close()


def test_interview_mode_hides_and_reveals_answers(browser, server: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(server + Q5, wait_until="networkidle")
        answer = page.locator("h2#short-answer + button + ul, h2#short-answer ~ ul").first
        assert answer.is_visible()
        page.click("button.interview-toggle")
        assert not answer.is_visible()
        assert not page.locator("h2#explanation ~ p").first.is_visible()
        assert page.locator("h2#follow-ups").is_visible()
        page.reload(wait_until="networkidle")  # remembered
        assert not page.locator("h2#short-answer ~ ul").first.is_visible()
        page.click("button.interview-reveal")
        assert page.locator("h2#short-answer ~ ul").first.is_visible()
    finally:
        context.close()


def test_random_question_goes_to_another_question(browser, server: str) -> None:
    page = browser.new_page()
    try:
        page.goto(server + Q5, wait_until="networkidle")
        page.click("a.random-question")
        page.wait_for_url(lambda url: url != server + Q5)
        assert "/basics/" in page.url and page.url.rstrip("/") != (server + "/basics")
        assert page.locator("h2#short-answer").count() == 1
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
        assert any(href.endswith(Path(src).stem + "/") for href in linked), f"{src} missing from tags index"


def test_glossary_tooltips(site: Path) -> None:
    page = soup(built_page(site, "basics/why-decoder-only.md"))
    titles = {a.get_text(): a.get("title") for a in page.select("article abbr")}
    assert "KV cache" in titles and "键值缓存" in titles["KV cache"]
    glossary = soup(site / "glossary" / "index.html")
    assert "MHA" in glossary.get_text() and "Multi-Head Attention" in glossary.get_text()


def test_palette_toggle_switches_and_is_remembered(browser, server: str) -> None:
    """The light/dark toggle (overrides/partials/palette.html + handbook.js, not
    material's component): a click switches the page, the other toggle shows, the
    choice survives navigation (material's own early script reads it), Enter works."""
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    scheme = 'document.body.getAttribute("data-md-color-scheme")'
    try:
        page.goto(server + Q5, wait_until="networkidle")
        assert page.evaluate(scheme) == "default"
        to_dark = page.locator('label[title="切换到深色模式"]')
        to_light = page.locator('label[title="切换到浅色模式"]')
        assert to_dark.is_visible() and not to_light.is_visible()
        to_dark.click()
        assert page.evaluate(scheme) == "slate"
        assert to_light.is_visible() and not to_dark.is_visible()
        page.goto(server + "/basics/strengths/", wait_until="networkidle")
        assert page.evaluate(scheme) == "slate"
        assert page.locator('label[title="切换到浅色模式"]').is_visible()
        page.focus("#__palette_1")
        page.keyboard.press("Enter")
        assert page.evaluate(scheme) == "default"
        assert page.evaluate('document.body.hasAttribute("data-md-color-switching")') is False
    finally:
        context.close()


def test_first_visit_follows_the_system_palette(browser, server: str) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(server + Q5, wait_until="domcontentloaded")
        assert page.evaluate('document.body.getAttribute("data-md-color-scheme")') == "slate"
        assert page.locator('label[title="切换到浅色模式"]').is_visible()
    finally:
        context.close()
