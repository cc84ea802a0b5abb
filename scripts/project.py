"""What the chores share: the project folder, throw-away copies of it and their strict
build (tests, scripts/compare_builds.py, the benchmark), a built-site argument, and the
one-line text edits of mkdocs.yml's ``nav:`` (the file has an ``!ENV`` tag and comments
that matter, so it is never re-serialised)."""

from __future__ import annotations

import argparse
import os
import re
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
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, dest / name)
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
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(project / "mkdocs.yml")]
    return subprocess.run(
        [*cmd, "-d", str(site), *extra], cwd=project, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S
    )


def built_site(arg: str) -> Path:
    """argparse type of a SITE argument: a folder ``mkdocs build`` wrote."""
    if not (Path(arg) / "index.html").is_file():
        raise argparse.ArgumentTypeError(f"{arg} is not a built site (no index.html): run `make build` first")
    return Path(arg)


def nav_insert(config: str, after: str, lines: list[tuple[int, str]], block_end: bool = False) -> str:
    """mkdocs.yml's text with ``lines`` inserted after the last ``nav:`` entry whose path
    matches the regex ``after`` (``block_end``: after the indented block that follows
    it, i.e. the end of its section). Each line is (indent relative to that entry, text)."""
    text = config.splitlines(keepends=True)
    start = next((i for i, line in enumerate(text) if re.match(r"nav:\s*(#.*)?$", line)), None)
    end = (
        next((i for i in range(start + 1, len(text)) if re.match(r"[^\s#]", text[i])), len(text))
        if start is not None
        else 0
    )
    entry = re.compile(rf"(\s*)- (?:.+?:\s+)?{after}\s*(#.*)?$")
    found = [i for i in range(start or 0, end) if entry.match(text[i])]
    if not found:
        raise ValueError(f"mkdocs.yml: no `nav:` entry like {after!r} to follow: edit the nav by hand")
    indent = entry.match(text[found[-1]]).group(1)
    at = found[-1] + 1
    while block_end and at < end and (not text[at].strip() or text[at].startswith(indent)):
        at += 1
    text[found[-1]] = text[found[-1]].rstrip("\n") + "\n"
    text[at:at] = [" " * (len(indent) + shift) + line + "\n" for shift, line in lines]
    return "".join(text)
