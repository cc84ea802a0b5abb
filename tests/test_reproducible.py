"""Two builds of the same commit are byte-identical (in another folder, at another time),
which is what lets scripts/compare_builds.py prove a refactoring changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

from scripts.compare_builds import differences
from scripts.project import build_site
from tests.helpers import copy_project, source_date_epoch


def test_two_builds_are_byte_identical(site: Path, tmp_path: Path) -> None:
    proc = build_site(copy_project(tmp_path / "elsewhere"), tmp_path / "site", source_date_epoch())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    diff = differences(site, tmp_path / "site")
    assert not diff, "\n".join(diff[:20])


def test_comparison_can_fail(site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    (copy / "index.html").write_text((copy / "index.html").read_text(encoding="utf-8") + " ", encoding="utf-8")
    (copy / "extra.txt").write_text("x", encoding="utf-8")
    assert differences(site, copy) == ["only in second: extra.txt", "differs: index.html"]
