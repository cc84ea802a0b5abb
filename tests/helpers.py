"""Shared helpers for the tests: building a copy of the project, reading built HTML."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from macros.data.frontmatter import is_draft
from macros.data.sitedata import load_site_data
from macros.data.urls import html_file
from macros.data.urls import src_to_url as page_url  # re-exported: the URL of a docs source path
from scripts.project import build_site, copy_project  # noqa: F401  (copy_project: re-exported for the tests)

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SCRIPT_TIMEOUT_S = 120


@dataclass
class BuildResult:
    returncode: int
    output: str
    site: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def source_date_epoch() -> str:
    """The build date the Makefile uses: the last commit's time (reproducible builds)."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return os.environ["SOURCE_DATE_EPOCH"]
    proc = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, check=False, timeout=30
    )
    return proc.stdout.strip() or "0"


def build(project: Path, site: Path, *extra: str) -> BuildResult:
    """Run the real `mkdocs build --strict` on a project folder, dated like `make build`."""
    proc = build_site(project, site, source_date_epoch(), *extra)
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, site)


def run_script(
    project: Path, script: str, *args: str, timeout: float = SCRIPT_TIMEOUT_S
) -> subprocess.CompletedProcess[str]:
    """One of the project's own scripts, run in ``project`` as a contributor runs it, with the
    project's own ``macros`` and ``scripts`` (not this checkout's)."""
    return subprocess.run(
        [sys.executable, "-m", f"scripts.{script.removesuffix('.py')}", *args],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def built_page(site: Path, src_path: str) -> Path:
    """Built HTML file of a docs source path (use_directory_urls)."""
    return html_file(site, page_url(src_path))


def source_pages(drafts: bool = False) -> list[str]:
    """Markdown pages under docs/ as src paths: the published ones, or all with ``drafts``."""
    return sorted(
        p.relative_to(DOCS).as_posix()
        for p in DOCS.rglob("*.md")
        if drafts or not is_draft(p.read_text(encoding="utf-8"), p.as_posix())
    )


def site_url() -> str:
    """The site URL the build uses: ``SITE_URL`` if exported, else mkdocs.yml's default."""
    from macros.data.config import load_config  # resolves `!ENV [SITE_URL, default]` as MkDocs does

    url = str(load_config(ROOT / "mkdocs.yml")["site_url"])
    return url if url.endswith("/") else url + "/"


def read_clipboard(page: object, timeout_ms: int = 5000) -> str:
    """The clipboard's text. Chromium answers only the focused page, and another test's
    page in the same browser may have focus: bring this one to the front, and fail
    after ``timeout_ms`` rather than wait for ever."""
    page.bring_to_front()
    return page.evaluate(
        """ms => Promise.race([navigator.clipboard.readText(),
            new Promise((_, fail) => setTimeout(() => fail(new Error("clipboard read timed out")), ms))])""",
        timeout_ms,
    )


# ── Good edits to a copy of the project, built once (the ``edited`` fixture, tests/conftest.py) ──

MACRO_PAGE = "zz-macro-test.md"  # renders macros; its formulas are full of Jinja-like braces
PLAIN_PAGE = "zz-plain-test.md"  # does not ask for macros
MACRO_PAGE_TEXT = """---
description: 测试页面，用来证明宏渲染不会改动公式里的花括号。这段描述足够长。
render_macros: true
---
# 宏与公式

行内公式 $x^{{2}}$ 和 $\\frac{{a}}{b}$，以及 `{{ not_a_macro }}` 代码。

$$
\\mathcal{L}={{y}}^{{2}}
$$

{{ arch_matrix(fields=["structure"]) }}
"""
PLAIN_PAGE_TEXT = """---
description: 测试页面，没有 render_macros，所以双花括号原样显示。这段描述足够长。
---
# 不渲染宏

{{ literally }}
"""
RENAMED = "（测试改名）"  # appended to the first model of the first family in architectures.yml


def add_to_nav(project: Path, entries: dict[str, str]) -> None:
    """Nav entries (title → docs path) right after the home page in a copy's mkdocs.yml."""
    cfg = project / "mkdocs.yml"
    anchor = "  - 首页: index.md\n"
    text = cfg.read_text(encoding="utf-8")
    assert anchor in text, "mkdocs.yml: the nav no longer starts with 首页: index.md"
    lines = "".join(f"  - {title}: {src}\n" for title, src in entries.items())
    cfg.write_text(text.replace(anchor, anchor + lines), encoding="utf-8")


def make_good_edits(project: Path) -> None:
    """Two test pages in the nav, and one model renamed in the architecture data."""
    for name, text in ((MACRO_PAGE, MACRO_PAGE_TEXT), (PLAIN_PAGE, PLAIN_PAGE_TEXT)):
        (project / "docs" / name).write_text(text, encoding="utf-8")
    add_to_nav(project, {"宏测试": MACRO_PAGE, "无宏测试": PLAIN_PAGE})
    data = project / "docs/data/architectures.yml"
    old = load_site_data(project / "docs").architectures.families[0].models[0].name
    text = data.read_text(encoding="utf-8")
    assert f"name: {old}\n" in text
    data.write_text(text.replace(f"name: {old}\n", f"name: {old}{RENAMED}\n", 1), encoding="utf-8")
