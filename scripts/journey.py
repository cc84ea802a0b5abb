#!/usr/bin/env python3
"""The contributor's quick path (CONTRIBUTING.md), run by a program exactly as written:
scaffold a question, fill every TODO line, publish it, register its URLs, build.

* ``publish_question(project, section, slug)`` is what tests/test_journey.py runs in a
  temporary copy, then checks that the page reached every list readers use.
* Run as a script, it measures clone-to-green: ``git clone`` this repository into a
  temporary folder, add a question by the quick path, and run ``make test``; it prints
  the time of each step.

Usage: python -m scripts.journey [--section basics] [--keep]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from macros.data.frontmatter import read_front_matter

ROOT = Path(__file__).resolve().parent.parent


def run(project: Path, *cmd: str) -> str:
    """One documented command, in the project folder; a failure stops with its output."""
    # `make test` is the longest step: minutes, not hours
    proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True, check=False, timeout=1800)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def fill_todos(text: str, slug: str) -> str:
    """Step 2 done by a program: every line with TODO: becomes finished content."""
    meta = read_front_matter(text, slug).data or {}
    key = meta["sources"][0]
    out = []
    for line in text.splitlines():
        if "TODO:" not in line:
            out.append(line)
        elif line.startswith("description:"):
            out.append(
                'description: "旅程测试题的简短回答：检查从脚手架到发布，新题能否出现在读者会用到的每个列表里。"'
            )
        elif line.startswith("aliases:"):
            out.append(f"aliases: [旅程测试{slug}, journey-{slug}]")
        elif line.startswith(("sources:", "related:")):
            out.append(line.split("#", 1)[0].rstrip())
        elif line.startswith("- "):
            out.append(f'- 一个可以直接说出口的要点 {{{{ cite("{key}") }}}}。')
        elif line.startswith("### "):
            out.append(re.sub(r"TODO:[^{]*", "概述 ", line))
        elif line.lstrip().startswith(("!!!", "???")):
            out.append(re.sub(r"TODO:[^\"]*", "一个需要澄清的说法？" if "???" in line else "一个常见的错误说法", line))
        else:
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f'{indent}一段写好的正文 {{{{ cite("{key}") }}}}。')
    return "\n".join(out) + "\n"


def publish_question(project: Path, section: str, slug: str, title: str | None = None) -> Path:
    """The quick path, steps 1–4; returns the built site."""
    py = sys.executable
    title = title or f"旅程测试题 {slug} 是什么？"
    run(project, py, "-m", "scripts.new_question", "--section", section, "--slug", slug, "--title", title)  # 1
    page = project / "docs" / section / f"{slug}.md"
    page.write_text(fill_todos(page.read_text(encoding="utf-8"), slug), encoding="utf-8")  # 2
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("status: draft\n", "", 1), encoding="utf-8")  # 3
    site = project / "site"
    run(project, py, "-m", "mkdocs", "build", "--strict", "-d", str(site))  # 4: register
    run(project, py, "-m", "scripts.url_registry", "update", str(site))
    return site


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--section", default=None, help="the section to add to (default: the first one)")
    parser.add_argument("--keep", action="store_true", help="keep the clone (its path is printed)")
    args = parser.parse_args()
    from macros.data.config import load_config
    from macros.data.sections import nav_order

    sections = [
        s.split("/")[0] for s in nav_order(load_config(ROOT / "mkdocs.yml").get("nav")) if s.endswith("/index.md")
    ]
    section = args.section or sections[0]
    tmp = Path(tempfile.mkdtemp(prefix="journey-"))
    clone = tmp / "clone"
    times: list[tuple[str, float]] = []

    def step(name: str, fn) -> None:
        t = time.perf_counter()
        fn()
        times.append((name, time.perf_counter() - t))
        print(f"{name}: {times[-1][1]:.1f} s", flush=True)

    try:
        step("git clone", lambda: run(tmp, "git", "clone", "--quiet", str(ROOT), str(clone)))
        step("make install (pinned Python and npm packages)", lambda: run(clone, "make", "install"))
        py = str(clone / ".venv" / "bin" / "python")

        def quick_path() -> None:  # in the clone, with the clone's own Python and code
            code = f"from pathlib import Path; from scripts.journey import publish_question; publish_question(Path('.'), '{section}', 'zz-journey-question')"
            run(clone, py, "-c", code)

        step(f"quick path: scaffold, fill, publish, register ({section}/zz-journey-question)", quick_path)
        step("make test", lambda: run(clone, "make", "test"))
    finally:
        total = sum(t for _, t in times)
        print(f"clone to green: {total:.1f} s ({len(times)} steps)")
        if args.keep:
            print(f"clone kept at {clone}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
