"""The Anki deck and the CSV table: every practice card (macros/outputs/practice.py) as one note.

Both are written by the build next to the site's other generated files
(``assets/downloads/``) from the same rows (:func:`notes`), so they always hold the
same questions as the practice page:

* ``.apkg`` through genanki: one note per published question, in nav order. Front:
  the question. Back: the 30 秒回答, the 常见追问 and the page's URL. Tags: the
  page's front matter ``tags``. Formulas are TeX between ``\\( \\)`` and ``\\[ \\]``,
  which Anki typesets with the MathJax it ships (no network needed).
* The note's GUID is ``genanki.guid_for(card key)``: the key is the id the page was
  first published under, so importing a new edition updates each note in place (Anki
  matches notes by GUID), even for a page that has moved since.
* The model and deck ids are fixed numbers (chosen once at random, as genanki asks):
  changing either makes Anki treat the next edition as another note type or deck.
* ``.csv``: the same fields plus the tags, one row per note, UTF-8 with a byte-order
  mark so that spreadsheet programs read the Chinese text as UTF-8.

The ``.apkg`` is a zip holding an SQLite database; genanki stamps notes with the
build time and the zip with the time of writing. The build passes
``SOURCE_DATE_EPOCH`` as the time, and the zip is written again with that date, so
two builds of the same commit give the same bytes (tests/test_reproducible.py).
"""

from __future__ import annotations

import csv
import html
import io
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import genanki

from macros.outputs.practice import Card, FollowUp, rebase_links

APKG = "assets/downloads/llm-basics-handbook.apkg"
CSV = "assets/downloads/llm-basics-handbook.csv"
DECK_NAME = "大模型基础手册"
MODEL_NAME = "大模型基础手册 · 问答"
MODEL_ID = 1_607_392_319  # never change: see the module's docstring
DECK_ID = 2_059_400_110  # never change
FIELDS = ("Question", "Answer", "FollowUps", "URL", "Key")
CSV_COLUMNS = (*FIELDS, "Tags")

_CSS = """.card { font-family: -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
  font-size: 18px; line-height: 1.6; text-align: left; max-width: 40em; margin: 0 auto; }
.question { font-size: 1.15em; font-weight: 600; }
.follow-ups { margin-top: 1.2em; }
.follow-up-question { font-weight: 600; margin-bottom: 0.2em; }
.source { margin-top: 1.2em; font-size: 0.85em; }
"""
_FRONT = '<div class="question">{{Question}}</div>'
_BACK = (
    '{{FrontSide}}<hr id="answer"><div class="answer">{{Answer}}</div>'
    '{{#FollowUps}}<div class="follow-ups"><p><strong>常见追问</strong></p>{{FollowUps}}</div>{{/FollowUps}}'
    '<p class="source"><a href="{{URL}}">读全文：{{URL}}</a></p>'
)
MODEL = genanki.Model(
    MODEL_ID,
    MODEL_NAME,
    fields=[{"name": name} for name in FIELDS],
    templates=[{"name": "问答", "qfmt": _FRONT, "afmt": _BACK}],
    css=_CSS,
)


@dataclass(frozen=True)
class Note:
    """One card's note: the fields in the order of :data:`FIELDS`, and its tags."""

    fields: tuple[str, ...]
    tags: tuple[str, ...]
    guid: str

    def row(self) -> dict[str, str]:
        return {**dict(zip(FIELDS, self.fields, strict=True)), "Tags": " ".join(self.tags)}


def _follow_ups_html(follow_ups: Sequence[FollowUp]) -> str:
    return "".join(
        f'<div class="follow-up"><p class="follow-up-question">{f.question}</p>{f.answer}</div>' for f in follow_ups
    )


def notes(cards: Sequence[Card], site_url: str) -> list[Note]:
    """One note per card; links absolute (``site_url`` + the page's URL), formulas as TeX."""
    root = site_url.rstrip("/")

    def absolute(fragment: str, card: Card) -> str:
        return rebase_links(fragment, card.url, lambda target: root + target)

    out = []
    for card in cards:
        follow_ups = [FollowUp(absolute(f.question, card), absolute(f.answer, card)) for f in card.follow_ups_tex]
        fields = (
            html.escape(card.question, quote=False),
            absolute(card.answer_tex, card),
            _follow_ups_html(follow_ups),
            root + card.url,
            card.key,
        )
        out.append(Note(fields, card.tags, genanki.guid_for(card.key)))
    return out


def apkg_bytes(rows: Sequence[Note], timestamp: int) -> bytes:
    """The Anki package of the notes, dated ``timestamp`` (seconds since 1970) throughout."""
    deck = genanki.Deck(DECK_ID, DECK_NAME, description="每页的 30 秒回答与常见追问。")
    for note in rows:
        deck.add_note(genanki.Note(model=MODEL, fields=list(note.fields), tags=list(note.tags), guid=note.guid))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "deck.apkg")
        genanki.Package(deck).write_to_file(str(path), timestamp=timestamp)
        return _dated_zip(path.read_bytes(), timestamp)


def _dated_zip(data: bytes, timestamp: int) -> bytes:
    """The zip again, every member dated ``timestamp`` (zip dates start in 1980) and compressed."""
    date_time = time.gmtime(max(timestamp, 315_532_800))[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for member in src.infolist():
            info = zipfile.ZipInfo(member.filename, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(member.filename))
    return out.getvalue()


def csv_text(rows: Sequence[Note]) -> str:
    """The notes as CSV (RFC 4180, a header row of :data:`CSV_COLUMNS`), with a byte-order mark."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(note.row() for note in rows)
    return "\ufeff" + out.getvalue()
