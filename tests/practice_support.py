"""Reading what practice mode publishes: the practice page's card bank, the Anki
package and the CSV (tests/test_practice*.py, tests/test_deck.py)."""

from __future__ import annotations

import csv
import functools
import io
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from macros.data.config import load_config
from macros.data.sections import nav_sorted
from macros.outputs.deck import APKG, CSV
from macros.outputs.practice import PRACTICE_PAGE
from tests.helpers import ROOT, built_page, soup

STORE = "handbook.practice.v1"  # practice.js: the one localStorage key


def in_nav_order(question_pages: list[str]) -> list[str]:
    """Question pages in the order of the site's nav: the order of the cards and of the deck."""
    return nav_sorted(question_pages, load_config(ROOT / "mkdocs.yml")["nav"], lambda src: src)


def practice_soup(site: Path) -> BeautifulSoup:
    return soup(built_page(site, PRACTICE_PAGE))


@functools.cache
def bank(site: Path) -> tuple[Tag, ...]:
    """The cards the practice page carries, in order, parsed once (never change them). A <template>'s
    content is parsed on its own, as the browser does: BeautifulSoup hides text inside <template> from get_text()."""
    template = practice_soup(site).find("template", attrs={"data-practice": "bank"})
    assert template is not None, "the practice page has no card bank"
    cards = BeautifulSoup(template.decode_contents(), "lxml").body
    return tuple(cards.find_all("article", attrs={"data-card": True}, recursive=False) if cards else [])


def follow_ups(card: Tag) -> list[Tag]:
    return card.find_all("div", class_="practice-card__follow-up", recursive=False)


@dataclass(frozen=True)
class AnkiNote:
    guid: str
    fields: list[str]
    tags: list[str]


def read_apkg(site: Path) -> list[AnkiNote]:
    """The notes of the site's Anki package, in the order Anki stores them."""
    with zipfile.ZipFile(site / APKG) as package, tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp, "collection.anki2")
        db.write_bytes(package.read("collection.anki2"))
        con = sqlite3.connect(db)
        try:
            rows = con.execute("select guid, flds, tags from notes order by id").fetchall()
        finally:
            con.close()
    return [AnkiNote(guid, flds.split("\x1f"), tags.split()) for guid, flds, tags in rows]


def read_csv(site: Path) -> list[dict[str, str]]:
    text = (site / CSV).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))
