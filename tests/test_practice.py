"""Practice mode in real Chromium (docs/assets/javascripts/practice.js on /practice/), at a
touch phone and at a desktop: the answer hidden until revealed and its formulas drawn;
grading moves a card through the Leitner boxes at the intervals the algorithm gives;
progress survives a reload and an export → reset → import; a moved page keeps its
progress; everything by keyboard alone; axe finds nothing; the entry points work.

Cards are chosen from what the build published (the practice page's card bank), never
by name. The browser's clock is set (Playwright's clock), so "today" is known.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from macros.outputs.practice import PRACTICE_PAGE
from scripts.serve_static import serve
from scripts.viewports import SCHEMES, VIEWPORTS, Viewport
from tests.conftest import Edited
from tests.helpers import page_url
from tests.practice_support import STORE, bank, follow_ups, read_apkg
from tests.test_viewports import AXE_ALL_RULES, CHECKS, CSP_LISTENER, TIMEOUT_MS, axe_violations

PRACTICE = page_url(PRACTICE_PAGE)
PHONE, DESKTOP = VIEWPORTS[0], VIEWPORTS[-1]
TODAY = datetime(2026, 3, 2, 9, 30)  # a morning; any date works

# The schedule as practice.js documents it (Leitner 1972, intervals doubling): the
# test's own statement of the algorithm, against which the page's grading is checked.
LEITNER_DAYS = (1, 2, 4, 8, 16)


def leitner(box: int, grade: str) -> tuple[int, int]:
    """(next box, days until the card is due again) after grading a card in ``box``."""
    if grade == "know":
        box = min(box + 1, len(LEITNER_DAYS))
    elif grade == "fuzzy":
        box = max(box - 1, 1)
    else:
        return 1, 0
    return box, LEITNER_DAYS[box - 1]


GRADE_KEYS = {"know": "1", "fuzzy": "2", "forgot": "3"}


def day(moment: datetime | date) -> str:
    return moment.strftime("%Y-%m-%d")


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def violations(axe: Axe, page, rules: list[str] | None = None) -> list[str]:
    """axe on the page as it is now (injected again: the practice page changes in place)."""
    page.evaluate(axe.axe_script)
    return axe_violations(page, {"runOnly": rules} if rules else AXE_ALL_RULES)


@pytest.fixture(scope="module")
def cards(site: Path) -> list[dict]:
    """Each published card: key, section, question, whether its answer has formulas, its URL."""
    return [
        {
            "key": c["data-card"],
            "section": c["data-section"],
            "section_title": c["data-section-title"],
            "question": c.h2.get_text(),
            "formulas": len(c.find("div", class_="practice-card__answer").find_all(class_="arithmatex")),
            "follow_ups": len(follow_ups(c)),
            "url": urljoin(PRACTICE, c["data-url"]),
        }
        for c in bank(site)
    ]


class Reader:
    """One browser context on the site: a reader with their own localStorage and clock."""

    def __init__(self, browser, server: str, viewport: Viewport, timers: bool) -> None:
        self.server, self.viewport = server, viewport
        self.context = browser.new_context(**viewport.context_options("light"))
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.add_init_script(CSP_LISTENER)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(f"uncaught {exc}"))
        if timers:  # a clock the test moves on (setInterval included)
            self.page.clock.install(time=TODAY)
        else:  # a fixed date, timers running as usual
            self.page.clock.set_fixed_time(TODAY)

    def part(self, name: str):
        return self.page.locator(f'[data-practice="{name}"]')

    def press(self, name: str) -> None:
        """Tap on a touch screen, click elsewhere."""
        target = self.part(name) if not name.startswith("[") else self.page.locator(name)
        target.tap() if self.viewport.touch else target.click()

    def open(self, query: str = "") -> None:
        self.page.goto(self.server + PRACTICE + query, wait_until="load")

    def store(self) -> dict | None:
        raw = self.page.evaluate(f"localStorage.getItem({STORE!r})")
        return json.loads(raw) if raw else None

    def seed(self, cards: dict) -> None:
        """Progress as if graded before, then a reload (the page reads it at load)."""
        store = {"version": 1, "cards": cards, "settings": {}}
        self.page.evaluate(f"localStorage.setItem({STORE!r}, {json.dumps(json.dumps(store))})")
        self.page.reload(wait_until="load")

    def question(self) -> str:
        return self.part("question").inner_text()

    def problems(self) -> list[str]:
        """What scripts/page_checks.js finds in the page as it is now, CSP violations and page errors."""
        found = self.page.evaluate(CHECKS, {"touch": self.viewport.touch, "width": self.viewport.width})
        return found + [f"CSP violation: {v}" for v in self.page.evaluate("window.__csp")] + self.errors


@pytest.fixture
def new_reader(browser, server: str):
    """``new_reader(viewport, timers, url)``: a :class:`Reader`, closed after the test."""
    readers: list[Reader] = []

    def make(viewport: Viewport = DESKTOP, timers: bool = False, url: str = server) -> Reader:
        readers.append(Reader(browser, url, viewport, timers))
        return readers[-1]

    yield make
    for one in readers:
        one.context.close()


def progress(reader: Reader, section: str = "") -> dict[str, int]:
    row = reader.page.locator(f'tr[data-practice="section"][data-section="{section}"]')
    return {s: int(row.locator(f'[data-stat="{s}"]').inner_text()) for s in ("seen", "mastered", "due")}


# ── The card: hidden answer, formulas typeset, layout, axe ───────────────────


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=lambda v: v.name)
def test_answer_hidden_until_revealed_with_formulas_typeset(
    new_reader, cards: list[dict], axe: Axe, viewport: Viewport
) -> None:
    card = next((c for c in cards if c["formulas"]), None)
    assert card, "no card's 30-second answer has a formula"
    reader = new_reader(viewport)
    for scheme in SCHEMES:  # the first visit follows the system's palette
        reader.page.emulate_media(color_scheme=scheme)
        reader.open()
        assert not reader.problems(), (scheme, reader.problems())
        rules = ["color-contrast", "link-in-text-block"] if scheme == "dark" else None  # as tests/test_viewports.py
        assert not violations(axe, reader.page, rules), f"{scheme}: setup"
        # Due today comes first: this card, in a session on its section.
        reader.seed({card["key"]: {"box": 1, "due": day(TODAY), "last": day(TODAY - timedelta(days=1))}})
        reader.open(f"?section={card['section']}")
        expect(reader.part("session")).to_be_visible()
        assert reader.question() == card["question"]
        answer = reader.part("answer")
        expect(answer).to_be_hidden()
        expect(reader.part("grades")).to_be_hidden()
        assert not reader.problems(), (scheme, reader.problems())

        reader.press("reveal")
        expect(answer).to_be_visible()
        assert answer.locator("mjx-container > svg").count() == card["formulas"]
        drawn = reader.page.evaluate(
            """() => [...document.querySelectorAll('[data-practice="answer"] mjx-container > svg')].map((svg) => ({
                 width: svg.getBoundingClientRect().width,
                 missing: [...svg.querySelectorAll("use")].map((u) => u.getAttribute("xlink:href") || u.getAttribute("href"))
                   .filter((ref) => !document.getElementById(ref.slice(1))),
                 glyphs: [...svg.querySelectorAll("use")].filter((u) => u.getBBox().width > 0).length,
               }))"""
        )
        assert all(f["width"] > 0 and not f["missing"] and f["glyphs"] for f in drawn), drawn
        expect(reader.part("grades")).to_be_visible()
        assert not reader.problems(), (scheme, reader.problems())
        assert not violations(axe, reader.page, rules), f"{scheme}: card with its answer"
        if os.environ.get("PRACTICE_SCREENSHOTS"):  # for a reviewer: PRACTICE_SCREENSHOTS=folder
            reader.page.screenshot(path=f"{os.environ['PRACTICE_SCREENSHOTS']}/{viewport.name}-{scheme}.png")
        reader.page.evaluate("localStorage.clear()")  # the next palette starts as a first visit


# ── The schedule ───────────────────────────────────────────────────────────


def grade(reader: Reader, name: str) -> list[str]:
    """Reveal the card in view and grade it by keyboard; returns the intervals its buttons showed."""
    assert focused(reader) == "question"
    reader.page.keyboard.press(" ")
    expect(reader.part("grades")).to_be_visible()
    labels = reader.page.locator('[data-practice="grades"] [data-practice="interval"]').all_inner_texts()
    reader.page.keyboard.press(GRADE_KEYS[name])
    return labels


def schedule_problems(reader: Reader, card: dict) -> list[str]:
    """Grade one card through the boxes, each time on the day it is due, and compare what
    the page stores and shows with :func:`leitner`, up to the first step that differs."""
    problems: list[str] = []
    box, now = 1, TODAY
    reader.page.clock.set_fixed_time(now)
    reader.open()
    reader.seed({card["key"]: {"box": 1, "due": day(TODAY)}})  # as a new card, but due: it comes first
    steps = ["know"] * (len(LEITNER_DAYS) + 1) + ["fuzzy", "forgot", "fuzzy"]
    for step, name in enumerate(steps):
        reader.page.clock.set_fixed_time(now)
        reader.open(f"?section={card['section']}")
        if reader.question() != card["question"]:
            return [*problems, f"step {step}: the due card does not come first: {reader.question()!r}"]
        shown = grade(reader, name)
        expected = [f"{d} 天后" if d else "今天再练" for d in (leitner(box, g)[1] for g in GRADE_KEYS)]
        if shown != expected:
            problems.append(f"step {step} (box {box}): the buttons say {shown}, the algorithm {expected}")
        box, days = leitner(box, name)
        state = (reader.store() or {}).get("cards", {}).get(card["key"], {})
        want = {"box": box, "due": day(now + timedelta(days=days)), "last": day(now)}
        got = {k: state.get(k) for k in want}
        if got != want:
            problems.append(f"step {step}: {name} gave {got}, the algorithm {want}")
        if problems:
            return problems
        now += timedelta(days=days)
    return problems


def test_grading_moves_the_card_through_the_leitner_boxes(new_reader, site: Path, cards: list[dict]) -> None:
    reader = new_reader()
    # The first three cards of a fresh start, one grade each.
    reader.open()
    reader.page.locator('[data-practice="start"]').click()
    for name, card in zip(("know", "fuzzy", "forgot"), cards, strict=False):
        assert reader.question() == card["question"], "new cards come in the site's order"
        grade(reader, name)
        box, days = leitner(1, name)
        state = reader.store()["cards"][card["key"]]
        assert (state["box"], state["due"]) == (box, day(TODAY + timedelta(days=days))), (name, state)
    assert progress(reader, cards[0]["section"])["seen"] == sum(c["section"] == cards[0]["section"] for c in cards[:3])
    # One card, day after day, through every box and back.
    reader.page.evaluate("localStorage.clear()")
    problems = schedule_problems(reader, cards[-1])
    assert not problems, problems

    # The same check can fail: a practice.js whose fourth box waits 7 days instead of 8.
    script = (site / "assets/javascripts/practice.js").read_text(encoding="utf-8")
    days = "[" + ", ".join(map(str, LEITNER_DAYS)) + "]"
    assert days in script
    broken = script.replace(days, days.replace(str(LEITNER_DAYS[3]), str(LEITNER_DAYS[3] - 1)), 1)
    reader.page.route(  # routing turns the HTTP cache off: every load takes the broken script
        "**/assets/javascripts/practice.js", lambda route: route.fulfill(body=broken, content_type="text/javascript")
    )
    reader.page.evaluate("localStorage.clear()")
    problems = schedule_problems(reader, cards[0])
    assert any("'box': 4" in p for p in problems), problems


# ── Progress: reload, export → reset → import ─────────────────────────────


def test_progress_survives_reload_and_export_reset_import(new_reader, cards: list[dict], tmp_path: Path) -> None:
    reader = new_reader(PHONE)
    reader.open()
    reader.press("start")
    for name in ("know", "fuzzy", "forgot"):
        reader.press("reveal")
        reader.press(f'[data-grade="{name}"]')
    saved = reader.store()
    assert saved and len(saved["cards"]) == 3, f"localStorage holds {saved}"
    reader.page.reload(wait_until="load")
    assert reader.store() == saved
    assert progress(reader)["seen"] == 3 and progress(reader)["due"] == 1  # 不会: due again today

    with reader.page.expect_download() as download:
        reader.press("export")
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert json.loads(exported.read_text(encoding="utf-8"))["cards"] == saved["cards"]

    reader.page.once("dialog", lambda dialog: dialog.accept())
    reader.press("reset")
    expect(reader.part("message")).to_contain_text("清除")
    assert reader.store() is None and progress(reader)["seen"] == 0

    reader.part("file").set_input_files(exported)
    expect(reader.part("message")).to_contain_text("已导入 3")
    assert reader.store()["cards"] == saved["cards"]
    assert progress(reader) == {"seen": 3, "mastered": 0, "due": 1}

    bad = tmp_path / "other.json"
    bad.write_text(json.dumps({"version": 99, "cards": {}}), encoding="utf-8")
    reader.part("file").set_input_files(bad)
    expect(reader.part("message")).to_contain_text("导入失败")
    assert reader.store()["cards"] == saved["cards"], "a bad file changed the progress"
    assert not reader.errors


# ── Keyboard alone ─────────────────────────────────────────────────────────


def focused(reader: Reader) -> str:
    return reader.page.evaluate("() => document.activeElement.dataset.practice || document.activeElement.tagName")


def tab_to(reader: Reader, name: str, limit: int = 80) -> None:
    for _ in range(limit):
        reader.page.keyboard.press("Tab")
        if focused(reader) == name:
            return
    raise AssertionError(f"Tab never reached [data-practice={name}]")


def test_keyboard_alone(new_reader, cards: list[dict], axe: Axe) -> None:
    assert cards[1]["follow_ups"], "every question has follow-ups (tests/test_practice_cards.py)"
    reader = new_reader(timers=True)
    reader.open()
    tab_to(reader, "timer")
    reader.page.keyboard.press(" ")  # the 30-second timer on
    tab_to(reader, "start")
    reader.page.keyboard.press("Enter")
    assert focused(reader) == "question" and reader.question() == cards[0]["question"]
    first = reader.question()
    expect(reader.part("countdown")).to_contain_text("30")
    reader.page.clock.run_for(31_000)
    expect(reader.part("countdown")).to_contain_text("时间到")

    reader.page.keyboard.press(" ")
    expect(reader.part("answer")).to_be_visible()
    assert focused(reader) == "answer"
    reader.page.keyboard.press("1")
    second = reader.question()
    assert second != first and focused(reader) == "question"
    reader.page.keyboard.press("ArrowLeft")  # back: shown with its answer and its grade
    assert reader.question() == first
    expect(reader.part("answer")).to_be_visible()
    expect(reader.page.locator('[data-grade="know"]')).to_have_attribute("aria-pressed", "true")
    reader.page.keyboard.press("3")  # graded again: replaces the first grade, not added to it
    state = reader.store()["cards"][cards[0]["key"]]
    assert (state["box"], state["due"], state["reviews"]) == (1, day(TODAY), 1), state

    reader.page.keyboard.press(" ")
    tab_to(reader, "follow-up")
    reader.page.keyboard.press("Enter")
    expect(reader.part("position")).to_contain_text("追问")
    reader.page.keyboard.press(" ")
    expect(reader.part("answer")).to_be_visible()
    expect(reader.part("grades")).to_be_hidden()  # a follow-up is practice, not scheduled
    reader.page.keyboard.press("ArrowRight")
    tab_to(reader, "stop")
    reader.page.keyboard.press("Enter")
    expect(reader.part("done")).to_be_visible()
    expect(reader.part("result")).to_contain_text("会 0 · 模糊 0 · 不会 1")
    assert not violations(axe, reader.page), "session done"
    assert not reader.errors


# ── A moved page keeps its progress ─────────────────────────────────────────


def test_a_moved_page_keeps_its_progress(
    new_reader, site: Path, edited: Edited, cards: list[dict], tmp_path: Path
) -> None:
    """Graded on one edition (the site), the page then moved with scripts/move_page.py (the
    edited copy): the next edition shows the same progress for it, and its Anki note keeps its GUID."""
    moved = edited.moved[1]
    (card,) = [c for c in cards if c["url"] == page_url(edited.moved[0])]
    live = tmp_path / "live"  # one origin (one localStorage) serving either edition
    live.symlink_to(site)
    httpd, url = serve(live)
    try:
        reader = new_reader(url=url)
        reader.open(f"?section={card['section']}")
        assert reader.question() == card["question"]
        grade(reader, "know")
        before = progress(reader, card["section"])
        live.unlink()
        live.symlink_to(edited.site)
        reader.page.reload(wait_until="load")
        assert progress(reader, card["section"]) == before == {"seen": 1, "mastered": 0, "due": 0}
        moved_card = next(c for c in bank(edited.site) if urljoin(PRACTICE, c["data-url"]) == page_url(moved))
        assert moved_card["data-card"] == card["key"]
        reader.page.clock.set_fixed_time(TODAY + timedelta(days=leitner(1, "know")[1]))
        reader.open(f"?section={card['section']}")
        assert reader.question() == card["question"], "the moved card, due, comes first"
        expect(reader.part("full-link")).to_have_attribute("href", f"../{moved.removesuffix('.md')}/#short-answer")
    finally:
        httpd.shutdown()
    guids = {n.fields[4]: n.guid for n in read_apkg(site)}
    assert guids == {n.fields[4]: n.guid for n in read_apkg(edited.site)}


# ── Entry points ───────────────────────────────────────────────────────────


def test_practice_starts_from_a_question_page_and_the_home_page_counts_due(
    new_reader, server: str, cards: list[dict]
) -> None:
    card = cards[-1]
    reader = new_reader(PHONE)
    reader.page.goto(server + card["url"], wait_until="load")
    link = reader.page.locator("a.practice-link")
    link.scroll_into_view_if_needed()
    link.tap()
    reader.page.wait_for_url(
        lambda u: urlsplit(u).path == PRACTICE and urlsplit(u).query == f"section={card['section']}"
    )
    expect(reader.part("session")).to_be_visible()
    expect(reader.part("position")).to_contain_text(card["section_title"])
    assert reader.part("scope").input_value() == f"section:{card['section']}"

    reader.page.goto(server + "/", wait_until="load")
    due = reader.page.locator(".practice-home .practice-due")
    expect(due).to_be_hidden()
    reader.seed({c["key"]: {"box": 1, "due": day(TODAY)} for c in cards[:2]})
    expect(due).to_be_visible()
    expect(due).to_have_text("（今天有 2 道题到期）")
    reader.page.locator(".practice-home a").first.tap()
    reader.page.wait_for_url(lambda u: urlsplit(u).path == PRACTICE)
    expect(reader.part("summary")).to_contain_text("今天到期 2 道")
