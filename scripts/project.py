"""Throw-away copies of this project, and the strict build of a project folder: for tests
that break a copy on purpose, for scripts/compare_builds.py and for benchmarks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_TIMEOUT_S = 600  # a strict build of this site takes about 15 s
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


def build_site(project: Path, site: Path, epoch: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """The real ``mkdocs build --strict`` of ``project`` into ``site``, dated ``epoch``
    (SOURCE_DATE_EPOCH: reproducible), importing the folder's own ``macros`` package."""
    env = {
        **os.environ,
        "PYTHONPATH": str(project),  # the copy's own macros and scripts, not this checkout's
        "SOURCE_DATE_EPOCH": epoch,
        "NO_COLOR": "1",
        # Link-preview pictures are cached by content (macros/outputs/ogimage.py): copies share this checkout's cache.
        "OG_CACHE_DIR": os.environ.get("OG_CACHE_DIR") or str(ROOT / ".cache" / "og"),
    }
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(project / "mkdocs.yml")]
        + ["-d", str(site), *extra],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=BUILD_TIMEOUT_S,
    )
