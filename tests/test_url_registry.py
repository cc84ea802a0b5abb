"""Published URLs are permanent: docs/data/urls.yml lists every one, and every one keeps working.

A registered URL works when the built site serves its page (and, for ``#anchor`` URLs,
the page has that id), or when the page has moved and redirect_maps in mkdocs.yml
sends the old address to a page that has the anchor. Every page of the built site
must be registered, so a new page cannot ship without joining the registry. The last
tests prove the mechanism on copies of the project: a page renamed by hand breaks
its published URLs; the same rename with scripts/move_page.py keeps them working.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from macros.data.errors import SourceError
from macros.data.frontmatter import expected_id, is_question_page
from macros.data.redirects import load_redirects, with_move, write_redirects
from macros.data.urls import (
    REGISTRY,
    Registry,
    check_registry,
    load_registry,
    page_of,
    read_page,
    render_registry,
    save_registry,
    src_to_url,
    unregistered,
)
from macros.stages.anatomy import ANSWER_ANCHORS
from scripts.move_page import MoveError, plan_move
from tests.helpers import ROOT, build, copy_project, page_url, run_script, source_pages

# The page the move tests use: a published question page (the last in file order), and
# a new name in its folder that no real page will have.
_QUESTIONS = [src for src in source_pages() if is_question_page(src)]
OLD = _QUESTIONS[-1]
SECTION, OLD_STEM = OLD.split("/")[0], OLD.split("/")[1].removesuffix(".md")
NEW = f"{SECTION}/zz-moved-{OLD_STEM}.md"
OTHER = next(src for src in _QUESTIONS if src != OLD)
OLD_URL, NEW_URL = src_to_url(OLD), src_to_url(NEW)


def registered(project: Path = ROOT) -> list[str]:
    return load_registry(project / REGISTRY).urls


def url_registry(project: Path, command: str, site: Path) -> subprocess.CompletedProcess[str]:
    """The project's own scripts/url_registry.py, as documented."""
    return run_script(project, "url_registry.py", command, str(site))


# ── The registry of this repository ───────────────────────────────────────


def test_registry_is_well_formed_and_generated(question_pages: list[str]) -> None:
    urls = registered()
    assert "/" in urls and "/tags/" in urls and "/glossary/" in urls
    assert (ROOT / REGISTRY).read_text(encoding="utf-8") == render_registry(urls), (
        f"{REGISTRY} is not in the generated form: regenerate it with make register"
    )
    for src in question_pages:
        for anchor in ("", *(f"#{a}" for a in ANSWER_ANCHORS)):
            assert page_url(src) + anchor in urls, f"{page_url(src)}{anchor} is not in {REGISTRY}"


def test_every_registered_url_works_and_every_page_is_registered(site: Path) -> None:
    """`url_registry check`: check_registry and unregistered, both shown failing in the tests below."""
    check = url_registry(ROOT, "check", site)
    assert check.returncode == 0, (
        f"{check.stdout}{check.stderr}\nNever rename or move a published page by hand: "
        "use scripts/move_page.py OLD.md NEW.md (adds the redirect)."
    )


def test_registry_check_can_fail(site: Path) -> None:
    """A missing anchor, a missing page, and a page gone with only half a redirect are all reported."""
    gone = f"/{SECTION}/zz-gone/"
    urls = [f"{OLD_URL}#no-such-section", gone, f"{gone}#short-answer"]
    problems = check_registry(site, urls, load_redirects(ROOT))
    assert [p.url for p in problems] == urls
    assert "no id 'no-such-section'" in problems[0].problem
    assert "redirect_maps" in problems[1].problem and "move_page.py" in problems[1].problem
    # Configured but never built (the redirect page is missing): still broken.
    problems = check_registry(site, [gone], {f"{SECTION}/zz-gone.md": OLD})
    assert "no redirect page" in problems[0].problem


def test_registry_shape_is_validated(tmp_path: Path) -> None:
    for bad in (["basics/x/"], ["/basics/x"], ["/a/", "/a/"], ["/a/#Bad_Anchor"], ["/a/#short-answer"]):
        with pytest.raises(ValueError):
            Registry(urls=bad)
    save_registry(tmp_path / "urls.yml", ["/b/#references", "/b/", "/", "/b/#short-answer"])
    assert load_registry(tmp_path / "urls.yml").urls == ["/", "/b/", "/b/#short-answer", "/b/#references"]
    (tmp_path / "bad.yml").write_text("urls: [/x/]\nextra: 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.yml"):
        load_registry(tmp_path / "bad.yml")


# ── The redirect data (no build) ──────────────────────────────────────────


def test_with_move_keeps_redirects_flat(tmp_path: Path) -> None:
    first = with_move({}, "x/old.md", "x/new.md")
    assert first == {"x/old.md": "x/new.md"}
    # Moving again: the earlier redirect follows the page (no chains); anchors are kept.
    second = with_move({**first, "a.md": "x/new.md#s"}, "x/new.md", "y/newer.md")
    assert second == {"x/old.md": "y/newer.md", "a.md": "y/newer.md#s", "x/new.md": "y/newer.md"}
    # Moving back to an old address: that address is a page again, not a redirect.
    back = with_move(second, "y/newer.md", "x/old.md")
    assert back == {"a.md": "x/old.md#s", "x/new.md": "x/old.md", "y/newer.md": "x/old.md"}
    # Written into mkdocs.yml, the map reads back the same (the rest of the file is kept),
    # and a bad path is refused with its line.
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(write_redirects(config, back), encoding="utf-8")
    assert load_redirects(tmp_path) == back
    assert write_redirects(write_redirects(config, back), {}) == config
    (tmp_path / "mkdocs.yml").write_text(write_redirects(config, {**back, "Bad Path": "x.md"}), encoding="utf-8")
    with pytest.raises(SourceError, match=r"mkdocs.yml:\d+: redirect_maps: 'Bad Path'"):
        load_redirects(tmp_path)


def test_move_page_plans_and_refuses() -> None:
    """Planning writes nothing, so this runs on the repository itself."""
    plan = plan_move(ROOT, f"docs/{OLD}", NEW)  # `docs/` prefix or not, both work
    assert {f"docs/{NEW}", "mkdocs.yml", REGISTRY.as_posix()} <= {p.relative_to(ROOT).as_posix() for p in plan.writes}
    assert f"id: {expected_id(OLD)} → {expected_id(NEW)}" in plan.notes
    for new, message in (
        (OTHER, "already exists"),
        (f"{SECTION}/Bad_Name.md", "lowercase"),
        (f"{SECTION}/zz-new/index.md", "question page must stay"),
        (OLD, "same page"),
    ):
        with pytest.raises(MoveError, match=message):
            plan_move(ROOT, OLD, new)
    with pytest.raises(MoveError, match="does not exist"):
        plan_move(ROOT, f"{SECTION}/zz-no-such-page.md", NEW)


# ── The mechanism, end to end, on copies of the project ───────────────────


def rename_by_hand(project: Path) -> None:
    """What a contributor might do without the script: rename the file, search-and-replace name and id."""
    docs = project / "docs"
    (docs / OLD).rename(docs / NEW)
    for path in [*docs.rglob("*.md"), *(docs / "data").glob("*.yml"), project / "mkdocs.yml"]:
        if path == project / REGISTRY:
            continue
        text = path.read_text(encoding="utf-8")
        new = re.sub(rf"(?<![\w-]){OLD_STEM}\.md", f"zz-moved-{OLD_STEM}.md", text)
        new = re.sub(rf"(?<![\w-]){expected_id(OLD)}(?![\w-])", expected_id(NEW), new)
        if new != text:
            path.write_text(new, encoding="utf-8")


def test_renaming_a_page_by_hand_breaks_its_published_urls(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    rename_by_hand(project)
    result = build(project, tmp_path / "site")
    assert result.ok, f"the hand rename is otherwise complete (links, nav, ids):\n{result.output}"
    # The new page is not registered yet; even once it is (`update`), the old URLs are broken.
    assert [p.url for p in unregistered(result.site, registered(project))] == [
        NEW_URL,
        *(f"{NEW_URL}#{a}" for a in ANSWER_ANCHORS),
    ]
    update = url_registry(project, "update", result.site)
    assert update.returncode == 0 and f"+ {NEW_URL}\n" in update.stdout, update.stdout + update.stderr
    problems = check_registry(result.site, registered(project), load_redirects(project))
    assert sorted(p.url for p in problems) == sorted(u for u in registered() if page_of(u) == OLD_URL)
    assert all("redirect_maps" in p.problem for p in problems)
    check = url_registry(project, "check", result.site)
    assert check.returncode == 1 and f"{OLD_URL}: " in check.stdout, check.stdout + check.stderr


def test_move_page_keeps_every_old_url_working(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    config_before = (project / "mkdocs.yml").read_text(encoding="utf-8")
    proc = run_script(project, "move_page.py", f"docs/{OLD}", NEW)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not (project / "docs" / OLD).exists() and (project / "docs" / NEW).is_file()
    assert f"id: {expected_id(NEW)}\n" in (project / "docs" / NEW).read_text(encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert load_redirects(project) == with_move(load_redirects(ROOT), OLD, NEW)
    # Besides the redirect block, only the nav line changed.
    without = write_redirects(config, {}).splitlines()
    changed = [line for line in without if line not in config_before.splitlines()]
    assert len(without) == len(config_before.splitlines()) and len(changed) == 1 and changed[0].endswith(f": {NEW}")

    urls = registered(project)
    assert set(registered()) < set(urls), "old URLs stay registered"
    assert {NEW_URL, *(f"{NEW_URL}#{a}" for a in ANSWER_ANCHORS)} <= set(urls)

    result = build(project, tmp_path / "site")
    assert result.ok, result.output
    redirect = read_page(result.site / OLD_URL.strip("/") / "index.html").redirect
    assert redirect == f"../zz-moved-{OLD_STEM}/", f"the old URL must redirect to the new page, found {redirect!r}"

    check = url_registry(project, "check", result.site)
    assert check.returncode == 0, check.stdout + check.stderr
