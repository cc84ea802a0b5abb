"""Drafts: scaffolded by scripts/new_question.py, previewed but never published, and listed until finished.

A page with ``status: draft`` in its front matter is served by ``mkdocs serve`` and
left out of ``mkdocs build`` (macros/hooks.py). The first test keeps
unfinished pages from being forgotten; the others run the real script in a copy of
the project and build it: the draft builds strictly and stays out of the site. Filling
it in and publishing it is the contributor's journey in tests/test_journey.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest

from macros.data.config import load_config
from macros.data.frontmatter import QuestionMeta, is_question_page, validate_page
from macros.data.sections import nav_order
from macros.stages.anatomy import ANSWER_ANCHORS
from scripts.new_question import TODO_MARK, unfinished_pages
from tests.helpers import DOCS, ROOT, BuildResult, build, built_page, copy_project, run_script, soup

# The scaffolded question lives in the first section, under a slug no real page will use.
SECTION = next(s.split("/")[0] for s in nav_order(load_config(ROOT / "mkdocs.yml")["nav"]) if s.endswith("/index.md"))
SLUG = "zz-draft-question"
SRC = f"{SECTION}/{SLUG}.md"
URL = f"{SECTION}/{SLUG}/"
PUBLISHED = next(
    s for s in sorted(p.relative_to(DOCS).as_posix() for p in (DOCS / SECTION).glob("*.md")) if is_question_page(s)
)
ARGS = [
    "--title",
    "什么是草稿测试题？",
    "--section",
    SECTION,
    "--slug",
    SLUG,
    "--nav-title",
    "草稿测试题",
    "--difficulty",
    "进阶",
    "--tags",
    "注意力,成本",
]


def new_question(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the project's own scripts/new_question.py, as a contributor would."""
    return run_script(project, "new_question.py", *args)


def links_to(site: Path, url: str) -> list[str]:
    """Built HTML files that link to a site URL (like ``basics/some-question/``)."""
    found = []
    for html in sorted(site.rglob("*.html")):
        base = "/" + html.relative_to(site).as_posix()
        for a in soup(html).find_all("a", href=True):
            if urljoin(base, a["href"]).split("#")[0] == "/" + url:
                found.append(html.relative_to(site).as_posix())
                break
    return found


def nav_links(html: Path) -> list[str]:
    return [a["href"] for a in soup(html).select("nav.md-nav a.md-nav__link[href]")]


def search_locations(site: Path) -> set[str]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {doc["location"].split("#")[0] for doc in index["docs"]}


# ── (a) Nothing unfinished in the repository ──────────────────────────────


def test_no_page_is_left_as_a_draft_or_with_todo_placeholders() -> None:
    unfinished = unfinished_pages(DOCS)
    assert not unfinished, (
        "pages not finished (drafts are not published):\n"
        + "\n".join(f"  {u}" for u in unfinished)
        + f"\nReplace every {TODO_MARK} placeholder with real content, and remove `status: draft` when the page "
        "is complete (then register its URLs: python -m scripts.url_registry update, see CONTRIBUTING.md)."
    )


def test_unfinished_pages_are_found(tmp_path: Path) -> None:
    """The check above can fail: a draft flag and a TODO: line are both reported, with line numbers."""
    (tmp_path / "basics").mkdir()
    (tmp_path / "basics" / "a.md").write_text("---\nid: basics-a\nstatus: draft\n---\n# A？\n", encoding="utf-8")
    (tmp_path / "basics" / "b.md").write_text("# B？\n\nTODO: 正文。\n", encoding="utf-8")
    (tmp_path / "basics" / "c.md").write_text("---\nid: basics-c\n---\n# C？\n", encoding="utf-8")
    assert [str(u) for u in unfinished_pages(tmp_path)] == [
        "docs/basics/a.md: status: draft",
        "docs/basics/b.md: TODO: on line(s) 3",
    ]


# ── (b) The scaffold, as a draft and once published ───────────────────────


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult, str]:
    """A project copy with a new question scaffolded by the script, built strictly."""
    project = copy_project(tmp_path_factory.mktemp("draft") / "project")
    shutil.copy2(project / "mkdocs.yml", project.parent / "mkdocs.yml.before")
    proc = new_question(project, *ARGS)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = build(project, project.parent / "site")
    assert result.ok, f"the strict build must pass with a fresh draft in place:\n{result.output}"
    return project, result, proc.stdout


def test_scaffold_has_complete_front_matter_and_page_anatomy(scaffolded: tuple[Path, BuildResult, str]) -> None:
    project, _, stdout = scaffolded
    text = (project / "docs" / SRC).read_text(encoding="utf-8")
    meta = validate_page(text, SRC)  # the build's own schema, id and H1 checks
    assert isinstance(meta, QuestionMeta)
    assert meta.id == f"{SECTION}-{SLUG}" and meta.question == "什么是草稿测试题？"
    assert meta.status == "draft" and meta.render_macros
    assert meta.tags == ["注意力", "成本"] and meta.difficulty == "进阶"
    assert len(meta.related) == 2 and all(r.startswith(f"{SECTION}-") for r in meta.related)
    assert meta.sources and meta.aliases and len(meta.description) >= 20
    assert re.findall(r"^## .+ \{ #([a-z-]+) \}$", text, re.M) == list(ANSWER_ANCHORS)
    assert re.search(r"^## 参考文献 \{ #references \}\n\n\{\{ references\(\) \}\}$", text, re.M)
    assert len(re.findall(r'^\?\?\? question "', text, re.M)) == 2
    assert [str(u).split(":")[0] for u in unfinished_pages(project / "docs")] == [f"docs/{SRC}"]
    # What the contributor is told: what to fill in, how to preview, how to publish.
    for needle in (f"docs/{SRC}", TODO_MARK, "make serve", "status: draft", "scripts.url_registry update"):
        assert needle in stdout, needle


def test_scaffold_adds_one_nav_line_at_the_end_of_its_section(scaffolded: tuple[Path, BuildResult, str]) -> None:
    project, _, _ = scaffolded
    before = (project.parent / "mkdocs.yml.before").read_text(encoding="utf-8").splitlines()
    after = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    added = [line for line in after if line not in before]
    assert added == [f"      - 草稿测试题: {SRC}"], added
    i = after.index(added[0])
    assert after[i - 1].strip().endswith(".md") and f"{SECTION}/" in after[i - 1], "not at the end of its section"
    assert after[:i] + after[i + 1 :] == before, "mkdocs.yml must change by that one line only"


def test_draft_is_built_strictly_but_not_published(scaffolded: tuple[Path, BuildResult, str]) -> None:
    _, result, _ = scaffolded
    assert not built_page(result.site, SRC).exists(), "a draft must not be published"
    assert URL not in search_locations(result.site)


def test_draft_is_not_linked_from_the_built_site(scaffolded: tuple[Path, BuildResult, str]) -> None:
    """Its nav entry must not become a link to a missing page (mkdocs keeps excluded nav entries)."""
    _, result, _ = scaffolded
    assert not links_to(result.site, URL), (
        f"built pages link to the unpublished draft /{URL} (nav, footer): macros/hooks.py "
        "must drop draft pages from the navigation in `mkdocs build`"
    )


def test_new_question_refuses_bad_or_used_slugs(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    cases = {"Bad_Slug": "--slug must be lowercase", PUBLISHED.split("/")[1].removesuffix(".md"): "already exists"}
    for slug, message in cases.items():
        args = [*ARGS]
        args[args.index("--slug") + 1] = slug
        proc = new_question(project, *args)
        assert proc.returncode == 2 and message in proc.stderr, (slug, proc.stderr)
    bad_tag = [*ARGS[:-1], "注意力,不存在的标签"]
    assert new_question(project, *bad_tag).returncode == 2
    no_question_mark = [*ARGS]
    no_question_mark[1] = "草稿测试题"
    assert new_question(project, *no_question_mark).returncode == 2
    assert (project / "mkdocs.yml").read_text(encoding="utf-8") == config, "a refused scaffold must write nothing"
    assert not (project / "docs" / SRC).exists()
    # A published URL is never reused, even after its page is gone.
    (project / "docs" / PUBLISHED).unlink()
    args = [*ARGS]
    args[args.index("--slug") + 1] = PUBLISHED.split("/")[1].removesuffix(".md")
    proc = new_question(project, *args)
    assert proc.returncode == 2 and "never reused" in proc.stderr, proc.stderr
