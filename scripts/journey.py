#!/usr/bin/env python3
"""The contributor's quick path (CONTRIBUTING.md), run by a program exactly as written:
scaffold a question, fill every TODO line, publish it, register its URLs, build.
tests/test_journey.py runs ``publish_question`` in a copy of the project. As a command,
``python -m scripts.journey`` times clone-to-green: ``git clone``, ``make install``, the
quick path, ``make test``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from macros.data.config import load_config
from macros.data.frontmatter import read_front_matter
from macros.data.sections import first_section
from scripts.project import ROOT


def run(project: Path, *cmd: str) -> str:
    """One documented command, in the project folder; a failure stops with its output."""
    # `make test` is the longest step: minutes, not hours
    proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=1800)
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
    py, title = sys.executable, title or f"旅程测试题 {slug} 是什么？"
    run(project, py, "-m", "scripts.new_question", "--section", section, "--slug", slug, "--title", title)  # 1
    page = project / "docs" / section / f"{slug}.md"
    filled = fill_todos(page.read_text(encoding="utf-8"), slug)  # 2
    page.write_text(filled.replace("status: draft\n", "", 1), encoding="utf-8")  # 3
    run(project, py, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site"))  # 4: make register
    run(project, py, "-m", "scripts.url_registry", "update", str(project / "site"))
    return project / "site"


def main() -> None:
    """Clone to green: the quick path in a fresh clone, each step timed."""
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    section = first_section(load_config(ROOT / "mkdocs.yml")["nav"]).rstrip("/")
    code = "from pathlib import Path; from scripts.journey import publish_question as publish; "
    code += f"publish(Path('.'), '{section}', 'zz-journey-question')"
    total = 0.0
    with tempfile.TemporaryDirectory(prefix="journey-") as tmp:
        clone = Path(tmp) / "clone"
        steps = [
            ("git clone", Path(tmp), ["git", "clone", "--quiet", str(ROOT), str(clone)]),
            ("make install (pinned Python and npm packages)", clone, ["make", "install"]),
            # in the clone, with the clone's own Python and code
            (f"quick path ({section}/zz-journey-question)", clone, [str(clone / ".venv/bin/python"), "-c", code]),
            ("make test", clone, ["make", "test"]),
        ]
        for name, folder, cmd in steps:
            start = time.perf_counter()
            run(folder, *cmd)
            total += time.perf_counter() - start
            print(f"{name}: {time.perf_counter() - start:.1f} s", flush=True)
    print(f"clone to green: {total:.1f} s ({len(steps)} steps)")


if __name__ == "__main__":
    main()
