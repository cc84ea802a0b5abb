"""Every question page exists, has the page anatomy, and its front matter shows up in the HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.data.errors import SourceError
from macros.data.frontmatter import expected_id, validate_page
from macros.stages.anatomy import ANSWER_ANCHORS, MAX_BULLETS
from macros.tex.mathscan import fenced_blocks, mask_spans
from tests.helpers import DOCS
from tests.published import front_matter, page


def test_question_pages_show_their_anatomy_front_matter_and_history(site: Path, question_pages: list[str]) -> None:
    """The H2 sections in order under the question as h1; the 30 秒回答 the short bullet list the
    build checked (macros/stages/anatomy.py); 2–4 follow-ups; the references of ``sources``; the
    byline's 内容核对于 <reviewed> and 本次更新：<newest note>, older months listed too."""
    for src in question_pages:
        html, meta = page(site, src), front_matter(src)
        assert [h.get("id") for h in html.select("article h2")] == list(ANSWER_ANCHORS), src
        h1 = html.select_one("article h1")
        title = "".join(s for s in h1.find_all(string=True) if not s.find_parent("a", class_="headerlink"))
        assert title.strip() == meta["question"], src
        ul = html.find("h2", id="short-answer").find_next_sibling("ul")
        assert ul is not None, f"{src}: 30 秒回答 must be a bullet list"
        assert 1 <= len(ul.find_all("li", recursive=False)) <= MAX_BULLETS, src
        assert [li["id"] for li in html.select("ol.references > li")] == [f"ref-{k}" for k in meta["sources"]], src
        details = []
        for sib in html.find("h2", id="follow-ups").find_next_siblings():
            if sib.name == "h2":
                break
            details += [sib] if sib.name == "details" else []
        assert 2 <= len(details) <= 4, f"{src}: {len(details)} follow-up questions"
        history = meta["history"]
        byline = html.select_one(".question-meta")
        assert f"内容核对于 {meta['reviewed']}" in byline.select_one(".reviewed").get_text(), src
        assert byline.select_one(".latest-change").get_text() == f"本次更新：{history[0]['note']}", src
        listed = [li.get_text(" ", strip=True) for li in byline.select("details.page-history li")]
        assert listed == ([f"{e['date']} {e['note']}" for e in history] if len(history) > 1 else []), src


def test_sources_have_ascii_anchors_ids_and_history(question_pages: list[str]) -> None:
    """Anchors are written in the source (not slugified from Chinese), ASCII, lowercase; the id
    is the URL's; ``history``, newest first, starts at the ``reviewed`` month, dates strictly decreasing."""
    for src in question_pages:
        text = (DOCS / src).read_text(encoding="utf-8")
        for n, line in enumerate(mask_spans(text, fenced_blocks(text)).splitlines(), 1):
            if re.match(r"^#{2,6} ", line):
                assert re.search(r"\{ #[a-z0-9]+(?:-[a-z0-9]+)* \}\s*$", line), (
                    f"docs/{src}:{n}: heading without ASCII anchor"
                )
        meta = front_matter(src)
        assert meta["id"] == expected_id(src)
        dates = [str(entry["date"]) for entry in meta.get("history") or []]
        assert dates, f"docs/{src}: a published question page needs 'history'"
        assert dates[0] == str(meta["reviewed"]), f"docs/{src}: history starts {dates[0]}, reviewed {meta['reviewed']}"
        assert all(newer > older for newer, older in zip(dates, dates[1:], strict=False)), f"docs/{src}: {dates}"


def test_history_errors_name_file_and_line(question_pages: list[str]) -> None:
    """A missing history, a first date other than ``reviewed`` and dates out of order stop the build
    at the file and line (macros/data/frontmatter.py, check_history); a draft may leave history out."""
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
