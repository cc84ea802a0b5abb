"""Session fixtures: the site is built once, served once, and one browser is shared."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from macros.frontmatter import is_question_page
from scripts.chromium import CHROME, CHROME_ARGS
from scripts.serve_static import serve
from tests.helpers import ROOT, BuildResult, build, copy_project, make_good_edits, source_pages


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The real site, built once per session with the strict config."""
    result = build(ROOT, tmp_path_factory.mktemp("site") / "site")
    assert result.ok, f"strict build failed:\n{result.output}"
    return result


@pytest.fixture(scope="session")
def site(built: BuildResult) -> Path:
    return built.site


@pytest.fixture(scope="session")
def edited_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with good edits (tests/helpers.py: make_good_edits), built once."""
    project = copy_project(tmp_path_factory.mktemp("edited") / "project")
    make_good_edits(project)
    result = build(project, project.parent / "site")
    assert result.ok, f"strict build of the edited copy failed:\n{result.output}"
    return result.site


@pytest.fixture(scope="session")
def question_pages() -> list[str]:
    return [p for p in source_pages() if is_question_page(p)]


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The built site on 127.0.0.1, served as a production static host does (scripts/serve_static.py)."""
    httpd, url = serve(site)
    yield url
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the session. Missing Chromium is a failure, never a skip."""
    from playwright.sync_api import sync_playwright

    executable = CHROME if Path(CHROME).exists() else shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium not found: run `make test` (it installs Debian's chromium) or `apt-get install chromium`")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=CHROME_ARGS)
        yield b
        b.close()
