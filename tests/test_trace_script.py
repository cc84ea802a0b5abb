"""scripts/trace_page.py, the diagnostic behind README → Performance, works on the built site."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import ROOT, built_page, page_url, run_script


def test_trace_page_lists_style_and_layout_work(site: Path, question_pages: list[str]) -> None:
    biggest = max(question_pages, key=lambda src: built_page(site, src).stat().st_size)
    proc = run_script(ROOT, "trace_page.py", str(site), page_url(biggest), "--cpu", "1", "--min-ms", "0")
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [line for line in proc.stdout.splitlines() if " UpdateLayoutTree " in line or " Layout " in line]
    assert rows, proc.stdout
    # The first style recalculation after parsing covers the whole page, formulas included.
    assert max(int(line.split()[3]) for line in rows) > 1000, proc.stdout
    assert "style + layout:" in proc.stdout


def test_trace_page_rejects_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    proc = run_script(ROOT, "trace_page.py", str(tmp_path), "/")
    assert proc.returncode == 2 and "not a built site" in proc.stderr
