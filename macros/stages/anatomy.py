"""The 30 秒回答 must be sayable in 30 seconds: at most three bullets, at most 130 units.

A unit is one CJK character, or one Latin word or number (``GPT-3``, ``46.7B``);
citations (``{{ cite(...) }}``), link targets, Markdown marks and punctuation do
not count, and an inline formula counts as one unit. Errors name the file, the
line of the heading and the count, so a contributor knows how much to cut.
"""

from __future__ import annotations

import re

from macros.data.errors import SourceError

# The ids of a question page's sections, in page order (CONTRIBUTING's page anatomy);
# every question page's URL with each of them is published and kept (docs/data/urls.yml).
ANSWER_ANCHORS = ("short-answer", "explanation", "misconceptions", "follow-ups", "references")
SHORT_ANSWER_ID = ANSWER_ANCHORS[0]

MAX_BULLETS = 3
MAX_UNITS = 130
HEADING = re.compile(rf"^## .*\{{ #{SHORT_ANSWER_ID} \}}\s*$", re.M)
CITE = re.compile(r"\{\{\s*cite\([^)]*\)\s*\}\}")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
FORMULA = re.compile(r"\$[^$]+\$")
UNIT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[A-Za-z0-9]+(?:[.\-'’][A-Za-z0-9]+)*")


def units(text: str) -> int:
    """How many units a piece of Markdown says aloud."""
    text = CITE.sub("", text)
    text = LINK.sub(r"\1", text)
    text = FORMULA.sub(" x ", text)
    return len(UNIT.findall(text))


def short_answer(source: str) -> tuple[int, list[str]] | None:
    """(line of the heading, top-level bullets) of the 30 秒回答, or None if absent."""
    m = HEADING.search(source)
    if not m:
        return None
    line = source.count("\n", 0, m.start()) + 1
    body = source[m.end() :]
    end = re.search(r"^## ", body, re.M)
    bullets: list[str] = []
    for raw in body[: end.start() if end else len(body)].splitlines():
        if raw.startswith(("- ", "* ")):
            bullets.append(raw[2:])
        elif bullets and raw.startswith((" ", "\t")) and raw.strip():
            bullets[-1] += " " + raw.strip()
    return line, bullets


def check_short_answer(source: str, path: str) -> None:
    """Raise :class:`SourceError` if the 30 秒回答 is too long to say in 30 seconds."""
    found = short_answer(source)
    if found is None:
        return  # the page anatomy checks report a missing section
    line, bullets = found
    count = sum(units(b) for b in bullets)
    if not 1 <= len(bullets) <= MAX_BULLETS:
        raise SourceError(path, line, f"30 秒回答 has {len(bullets)} bullets (1–{MAX_BULLETS} allowed)")
    if count > MAX_UNITS:
        raise SourceError(path, line, f"30 秒回答 has {count} units (at most {MAX_UNITS}: move detail into 详解)")
