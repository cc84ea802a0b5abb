"""Session fixtures: the site is built once per run, served once per worker, and one
browser is shared by a worker's tests."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from macros.data.frontmatter import is_question_page
from scripts.chromium import CHROME, CHROME_ARGS
from scripts.serve_static import serve
from tests.helpers import ROOT, BuildResult, build, copy_project, make_good_edits, run_script, source_pages
from tests.practice_support import in_nav_order


def once_per_run(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], BuildResult]) -> BuildResult:
    """``make(folder)`` once for the whole run, shared by every xdist worker.

    Workers share the parent of their base temp folder (pytest-xdist's documented
    pattern), which belongs to this run only; the first worker to take the lock builds, the others wait and read the
    result it left. Without xdist the same code runs in one process.
    """
    run_folder = factory.getbasetemp()  # .../pytest-N, or .../pytest-N/popen-gwK under xdist
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run_folder = run_folder.parent
    shared = run_folder / name
    shared.mkdir(exist_ok=True)
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / "result.json"
        if not done.exists():
            result = make(shared)
            done.write_text(
                json.dumps({"returncode": result.returncode, "output": result.output, "site": str(result.site)})
            )
        saved = json.loads(done.read_text())
    return BuildResult(saved["returncode"], saved["output"], Path(saved["site"]))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The real site, built once per run with the strict config."""
    result = once_per_run(tmp_path_factory, "site", lambda folder: build(ROOT, folder / "site"))
    assert result.ok, f"strict build failed:\n{result.output}"
    return result


@pytest.fixture(scope="session")
def site(built: BuildResult) -> Path:
    return built.site


@dataclass(frozen=True)
class Edited:
    site: Path
    moved: tuple[str, str]  # the question page scripts/move_page.py moved: (from, to), docs paths


@pytest.fixture(scope="session")
def edited(tmp_path_factory: pytest.TempPathFactory, question_pages: list[str]) -> Edited:
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
