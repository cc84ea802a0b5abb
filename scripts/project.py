"""Throw-away copies of this project, for tests that break it on purpose and for benchmarks."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a copy needs in order to build (node_modules is linked, not copied: 160 MB).
PROJECT_FILES = ["docs", "macros", "overrides", "scripts", "mkdocs.yml", "package.json"]


def copy_project(dest: Path) -> Path:
    """Copy the project's build inputs into ``dest`` (created) and link node_modules."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest
