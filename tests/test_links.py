"""Every internal link and #anchor of the built site resolves (lychee --offline).

lychee reads every page's links (<a>, <img>, <link>, srcset …) and, with
index_files and include_fragments from lychee.toml, resolves directory URLs to their
index.html and checks each #fragment against the ids of the target page. --offline:
external links are excluded, never fetched (make links-external checks those).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT, built_page

LYCHEE = Path(sys.executable).parent / "lychee"


def lychee_offline(site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LYCHEE), "--config", str(ROOT / "lychee.toml"), "--offline", "--no-progress"]
        + ["--root-dir", str(site.resolve()), "--format", "compact", f"{site}/**/*.html"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_no_broken_internal_links(site: Path) -> None:
    result = lychee_offline(site)
    assert result.returncode == 0, result.stdout + result.stderr


def test_checker_catches_bad_links(site: Path, tmp_path: Path, question_pages: list[str]) -> None:
    """A missing page, a missing anchor on a sibling page and on the same page, a missing image."""
    first = question_pages[0]
    other = next(p for p in question_pages[1:] if p.split("/")[0] == first.split("/")[0])
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    page = built_page(copy, first)
    sibling = f"../{Path(other).stem}/#no-such-anchor"
    bad = f'<a href="{sibling}">1</a><a href="../zz-nope/">2</a><a href="#missing-here">3</a><img src="/zz.png" alt="">'
    page.write_text(page.read_text(encoding="utf-8").replace("<article", bad + "<article", 1), encoding="utf-8")
    result = lychee_offline(copy)
    assert result.returncode != 0
    reported = [
        line
        for line in result.stdout.splitlines()
        if "no-such-anchor" in line or "zz" in line or "missing-here" in line
    ]
    assert len(reported) == 4, result.stdout
