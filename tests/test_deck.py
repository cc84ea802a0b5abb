"""The Anki deck and the CSV (macros/outputs/deck.py): one note per published question, with a
GUID from the card's key, unique and the same in every build; formulas as TeX for Anki's
own MathJax; the CSV holding the same rows."""

from __future__ import annotations

import re
from pathlib import Path

import genanki

from macros.outputs.deck import APKG, CSV, CSV_COLUMNS, FIELDS
from macros.outputs.practice import PRACTICE_PAGE
from tests.conftest import Edited
from tests.helpers import built_page, page_url, site_url
from tests.practice_support import AnkiNote, bank, in_nav_order, read_apkg, read_csv
from tests.published import front_matter

TEX = re.compile(r"\\\(.+?\\\)|\\\[.+?\\\]", re.S)


def deck_problems(notes: list[AnkiNote], question_pages: list[str], site: Path) -> list[str]:
    """Everything wrong with the deck's notes, read against the question pages' front matter
    and the practice page's cards (which hold each page's formulas as data-tex)."""
    problems = []
    pages = in_nav_order(question_pages)
    cards = bank(site)
    if len(notes) != len(pages):
        problems.append(f"{len(notes)} notes for {len(pages)} published questions")
    guids = [n.guid for n in notes]
    if len(set(guids)) != len(guids):
        problems.append(f"GUIDs used twice: {sorted({g for g in guids if guids.count(g) > 1})}")
    for src, card, note in zip(pages, cards, notes, strict=False):
        meta = front_matter(src)
        fields = dict(zip(FIELDS, note.fields, strict=False))
        if note.guid != genanki.guid_for(card["data-card"]):
            problems.append(f"{src}: GUID {note.guid!r} is not derived from the card key {card['data-card']!r}")
        if fields.get("Question") != meta["question"]:
            problems.append(f"{src}: front {fields.get('Question')!r}")
        if fields.get("URL") != site_url().rstrip("/") + page_url(src):
            problems.append(f"{src}: URL {fields.get('URL')!r}")
        if note.tags != list(meta["tags"]):
            problems.append(f"{src}: tags {note.tags} instead of {meta['tags']}")
        shown = card.find("div", class_="practice-card__answer")
        tex = [f["data-tex"] for f in shown.find_all(class_="arithmatex")]
        if [t[2:-2] for t in TEX.findall(fields.get("Answer", ""))] != tex:
            problems.append(f"{src}: the answer's formulas are not the page's TeX for Anki: {tex}")
        if re.search(r"<(svg|mjx-)", "".join(note.fields)):
            problems.append(f"{src}: SVG formulas in the note (Anki draws the TeX itself)")
        if len(re.findall(r'class="follow-up"', fields.get("FollowUps", ""))) != len(
            card.find_all("div", class_="practice-card__follow-up", recursive=False)
        ):
            problems.append(f"{src}: not every follow-up is on the back")
    return problems


def test_one_note_per_published_question_and_the_csv_holds_them(site: Path, question_pages: list[str]) -> None:
    notes = read_apkg(site)
    assert not deck_problems(notes, question_pages, site)
    rows = read_csv(site)
    assert rows and list(rows[0]) == list(CSV_COLUMNS)
    assert [[r[f] for f in FIELDS] for r in rows] == [n.fields for n in notes]
    assert [r["Tags"].split() for r in rows] == [n.tags for n in notes]
    # The check can fail: a missing note, a GUID used twice, a wrong tag and an SVG formula are all reported.
    bad = [AnkiNote(n.guid, list(n.fields), list(n.tags)) for n in notes[:-1]]
    bad[1] = AnkiNote(bad[0].guid, bad[1].fields, bad[1].tags)
    bad[2].tags.append("多余")
    next(n for n in bad if TEX.search(n.fields[1])).fields[1] = "<svg></svg>"
    text = "\n".join(deck_problems(bad, question_pages, site))
    for expected in ("notes for", "GUIDs used twice", "tags", "SVG formulas", "not derived from the card key"):
        assert expected in text, text


def test_guids_are_the_same_in_another_build(site: Path, edited: Edited) -> None:
    """Another build (a copy of the project with other edits and a moved page) gives every question the same GUID."""
    assert [n.guid for n in read_apkg(site)] == [n.guid for n in read_apkg(edited.site)]


def test_the_deck_is_linked_from_the_practice_and_home_pages(site: Path) -> None:
    for src in ("index.md", PRACTICE_PAGE):
        page = built_page(site, src).read_text(encoding="utf-8")
        for target in (APKG, CSV):
            assert re.search(rf'href="(\.\./)*{re.escape(target)}"', page), f"{src} does not link {target}"
