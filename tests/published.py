"""The site as the tests read it: a page's front matter, each built page parsed once per
worker, and the edited copy of the project (the ``edited`` fixture)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from macros.data.frontmatter import read_front_matter
from tests.conftest import once_per_run
from tests.helpers import DOCS, BuildResult, build, built_page, copy_project, make_good_edits, run_script, soup
from tests.practice_support import in_nav_order


def front_matter(src: str) -> dict:
    """The front matter of a docs source path, as a dict."""
    return read_front_matter((DOCS / src).read_text(encoding="utf-8"), f"docs/{src}").data or {}


@functools.cache
def parsed(html: Path) -> BeautifulSoup:
    """A built HTML file, parsed once: BeautifulSoup takes seconds for the whole site, and
    many tests read every page. Shared, so never changed: take ``copy.copy`` to edit one."""
    return soup(html)


def page(site: Path, src: str) -> BeautifulSoup:
    """The built page of a docs source path, parsed once (see :func:`parsed`)."""
    return parsed(built_page(site, src))


@dataclass(frozen=True)
class Edited:
    site: Path
    moved: tuple[str, str]  # the question page scripts/move_page.py moved: (from, to), docs paths


@pytest.fixture(scope="session", name="edited")  # a test module imports it as edited_fixture
def edited_fixture(tmp_path_factory: pytest.TempPathFactory, question_pages: list[str]) -> Edited:
    """A copy of the project with the good edits (tests/helpers.py: make_good_edits) and
    its first question page (nav order) moved within its section, built once per run: one
    build serves the tests of an edited data file, of macro pages and of a moved page."""
    src = in_nav_order(question_pages)[0]
    moved = (src, f"{src.split('/')[0]}/zz-moved-{Path(src).stem}.md")

    def make(folder: Path) -> BuildResult:
        project = copy_project(folder / "project")
        make_good_edits(project)
        proc = run_script(project, "move_page.py", *moved)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return build(project, folder / "site")

    result = once_per_run(tmp_path_factory, "edited-and-moved", make)
    assert result.ok, f"strict build of the edited copy failed:\n{result.output}"
    return Edited(result.site, moved)
