"""Every question page exists, has the page anatomy, and its front matter shows up in the HTML."""

from __future__ import annotations

from pathlib import Path

from macros.data.frontmatter import expected_id, read_front_matter
from macros.stages.anatomy import ANSWER_ANCHORS, MAX_BULLETS
from macros.tex.mathscan import fenced_blocks, mask_spans
from tests.helpers import DOCS, built_page, soup


def meta_of(src: str) -> dict:
    return read_front_matter((DOCS / src).read_text(encoding="utf-8"), f"docs/{src}").data or {}


def test_anatomy_in_order(site: Path, question_pages: list[str]) -> None:
    for src in question_pages:
        page = soup(built_page(site, src))
        h2_ids = [h.get("id") for h in page.select("article h2")]
        assert h2_ids == list(ANSWER_ANCHORS), f"{src}: H2 sections {h2_ids}"
        h1 = page.select_one("article h1")
        for link in h1.select("a.headerlink"):
            link.decompose()
        assert h1.get_text().strip() == meta_of(src)["question"], src


def test_short_answer_is_a_short_list(site: Path, question_pages: list[str]) -> None:
    """The built 30 秒回答 is the bullet list the build checked (macros/stages/anatomy.py)."""
    for src in question_pages:
        page = soup(built_page(site, src))
        h2 = page.find("h2", id="short-answer")
        ul = h2.find_next_sibling("ul")
        assert ul is not None, f"{src}: 30 秒回答 must be a bullet list"
        assert 1 <= len(ul.find_all("li", recursive=False)) <= MAX_BULLETS, src


def test_follow_ups_and_references(site: Path, question_pages: list[str]) -> None:
    for src in question_pages:
        page = soup(built_page(site, src))
        refs = page.select("ol.references > li")
        assert [li["id"] for li in refs] == [f"ref-{k}" for k in meta_of(src)["sources"]], src
        follow = page.find("h2", id="follow-ups")
        details = []
        for sib in follow.find_next_siblings():
            if sib.name == "h2":
                break
            if sib.name == "details":
                details.append(sib)
        assert 2 <= len(details) <= 4, f"{src}: {len(details)} follow-up questions"


def test_every_heading_has_explicit_ascii_anchor(question_pages: list[str]) -> None:
    """Anchors are written in the source (not slugified from Chinese), ASCII, lowercase."""
    import re

    for src in question_pages:
        text = (DOCS / src).read_text(encoding="utf-8")
        outside_code = mask_spans(text, fenced_blocks(text))
        for n, line in enumerate(outside_code.splitlines(), 1):
            if not re.match(r"^#{2,6} ", line):
                continue
            assert re.search(r"\{ #[a-z0-9]+(?:-[a-z0-9]+)* \}\s*$", line), (
                f"docs/{src}:{n}: heading without explicit ASCII anchor"
            )


def test_ids_match_urls(question_pages: list[str]) -> None:
    for src in question_pages:
        assert meta_of(src)["id"] == expected_id(src)


def test_history_matches_reviewed(question_pages: list[str]) -> None:
    """Every published question page says what changed when: ``history``, newest first, whose first
    date is the ``reviewed`` month, the dates strictly decreasing (read from the sources)."""
    for src in question_pages:
        meta = meta_of(src)
        history = meta.get("history") or []
        assert history, f"docs/{src}: a published question page needs 'history'"
        dates = [str(entry["date"]) for entry in history]
        assert dates[0] == str(meta["reviewed"]), f"docs/{src}: history starts {dates[0]}, reviewed {meta['reviewed']}"
        assert all(newer > older for newer, older in zip(dates, dates[1:], strict=False)), (
            f"docs/{src}: history dates {dates}"
        )


def test_byline_shows_history(site: Path, question_pages: list[str]) -> None:
    """The byline shows 内容核对于 <reviewed> and 本次更新：<newest note>; older months are listed too."""
    for src in question_pages:
        meta = meta_of(src)
        history = meta["history"]
        byline = soup(built_page(site, src)).select_one(".question-meta")
        assert f"内容核对于 {meta['reviewed']}" in byline.select_one(".reviewed").get_text(), src
        assert byline.select_one(".latest-change").get_text() == f"本次更新：{history[0]['note']}", src
        listed = [li.get_text(" ", strip=True) for li in byline.select("details.page-history li")]
        expected = [f"{entry['date']} {entry['note']}" for entry in history] if len(history) > 1 else []
        assert listed == expected, f"{src}: {listed}"


def test_history_errors_name_file_and_line(question_pages: list[str]) -> None:
    """A missing history, a first date other than ``reviewed`` and dates out of order stop the build
    at the file and line (macros/data/frontmatter.py, check_history); a draft may leave history out."""
    import re

    import pytest

    from macros.data.errors import SourceError
    from macros.data.frontmatter import validate_page

    src = question_pages[0]
    text = (DOCS / src).read_text(encoding="utf-8")
    fm_end = text.index("\n---", 4)
    head, tail = text[:fm_end], text[fm_end:]
    lines = head.splitlines()
    reviewed_at = next(i for i, line in enumerate(lines, 1) if line.startswith("reviewed:"))
    without = "\n".join(line for line in lines if not re.match(r"(history:|  - \{date:)", line))
    bad_first = re.sub(r"(history:\n  - \{date: )\d{4}-\d\d", r"\g<1>2001-01", head, count=1)
    first_entry = next(line for line in lines if line.startswith("  - {date:"))
    bad_order = head.replace(first_entry, f"{first_entry}\n{first_entry}", 1)  # the same month twice
    cases = [
        (without + tail, reviewed_at, r"field 'history': required"),
        (bad_first + tail, reviewed_at + 2, r"field 'history\.0\.date': the newest entry must be the 'reviewed' month"),
        (bad_order + tail, reviewed_at + 3, r"field 'history\.1\.date': dates must be newest first"),
    ]
    for bad, line, message in cases:
        with pytest.raises(SourceError, match=message) as err:
            validate_page(bad, src)
        assert f"docs/{src}:{line}:" in str(err.value), str(err.value)
    draft = without.replace("\nreviewed:", "\nstatus: draft\nreviewed:", 1) + tail
    validate_page(draft, src)
