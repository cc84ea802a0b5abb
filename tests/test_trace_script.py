"""scripts/trace_page.py, the diagnostic behind README → Performance, works on the built site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "trace_page.py"


def test_trace_page_lists_style_and_layout_work(site: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(site), "/basics/training-objectives/", "--cpu", "1", "--min-ms", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [line for line in proc.stdout.splitlines() if " UpdateLayoutTree " in line or " Layout " in line]
    assert rows, proc.stdout
    # The first style recalculation after parsing covers the whole page, formulas included.
    assert max(int(line.split()[3]) for line in rows) > 1000, proc.stdout
    assert "style + layout:" in proc.stdout


def test_trace_page_rejects_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path), "/"], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 2 and "not a built site" in proc.stderr
