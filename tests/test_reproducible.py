"""Two builds of the same commit are byte-identical (in another folder, at another time)."""

from __future__ import annotations

import filecmp
from pathlib import Path

from tests.helpers import build, copy_project


def differences(a: Path, b: Path) -> list[str]:
    out: list[str] = []

    def walk(cmp: filecmp.dircmp, rel: str = "") -> None:
        out.extend(f"only in first: {rel}{n}" for n in cmp.left_only)
        out.extend(f"only in second: {rel}{n}" for n in cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        out.extend(f"differs: {rel}{n}" for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{rel}{name}/")

    walk(filecmp.dircmp(a, b))
    return out


def test_two_builds_are_byte_identical(site: Path, tmp_path: Path) -> None:
    again = build(copy_project(tmp_path / "elsewhere"), tmp_path / "site")
    assert again.ok, again.output
    diff = differences(site, again.site)
    assert not diff, "\n".join(diff[:20])


def test_comparison_can_fail(site: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    (copy / "index.html").write_text((copy / "index.html").read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert differences(site, copy) == ["differs: index.html"]
