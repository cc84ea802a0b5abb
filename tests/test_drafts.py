"""Drafts: scaffolded by scripts/new_question.py, previewed but never published, and listed until finished.

A page with ``status: draft`` in its front matter is served by ``mkdocs serve`` and left
out of ``mkdocs build`` (macros/hooks.py). The first tests keep unfinished pages from being
forgotten; the others run the real script in a copy of the project and build it: the draft
builds strictly and stays out of the site. Filling it in and publishing it is the
contributor's journey in tests/test_journey.py.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest

from macros.data.config import load_config
from macros.data.frontmatter import QuestionMeta, is_question_page, validate_page
from macros.data.sections import first_section
from macros.stages.anatomy import ANSWER_ANCHORS
from scripts.new_question import TODO_MARK, unfinished_pages
from tests.helpers import DOCS, ROOT, BuildResult, build, built_page, copy_project, run_script, soup

# The scaffolded question lives in the first section, under a slug no real page will use.
SECTION = first_section(load_config(ROOT / "mkdocs.yml")["nav"]).rstrip("/")
SLUG = "zz-draft-question"
SRC, URL = f"{SECTION}/{SLUG}.md", f"/{SECTION}/{SLUG}/"
PUBLISHED = min(src for src in (f"{SECTION}/{p.name}" for p in (DOCS / SECTION).glob("*.md")) if is_question_page(src))
ARGS = {"--title": "什么是草稿测试题？", "--section": SECTION, "--slug": SLUG, "--nav-title": "草稿测试题"}
ARGS |= {"--difficulty": "进阶", "--tags": "注意力,成本"}


def new_question(project: Path, **changes: str) -> subprocess.CompletedProcess[str]:
    """The project's own scripts/new_question.py, run as a contributor would (``slug="x"`` changes --slug)."""
    args = {**ARGS, **{f"--{k.replace('_', '-')}": v for k, v in changes.items()}}
    return run_script(project, "new_question.py", *(part for pair in args.items() for part in pair))


def test_no_page_is_left_as_a_draft_or_with_todo_placeholders() -> None:
    unfinished = unfinished_pages(DOCS)
    assert not unfinished, (
        "pages not finished (drafts are not published):\n  "
        + "\n  ".join(unfinished)
        + f"\nReplace every {TODO_MARK} placeholder with real content, and remove `status: draft` when the page "
        "is complete (then register its URLs: make register, see CONTRIBUTING.md)."
    )


def test_unfinished_pages_are_found(tmp_path: Path) -> None:
    """The check above can fail: a draft flag and a TODO: line are both reported, with line numbers."""
    (tmp_path / "basics").mkdir()
    (tmp_path / "basics" / "a.md").write_text("---\nid: basics-a\nstatus: draft\n---\n# A？\n", encoding="utf-8")
    (tmp_path / "basics" / "b.md").write_text("# B？\n\nTODO: 正文。\n", encoding="utf-8")
    (tmp_path / "basics" / "c.md").write_text("---\nid: basics-c\n---\n# C？\n", encoding="utf-8")
    assert unfinished_pages(tmp_path) == ["docs/basics/a.md: status: draft", "docs/basics/b.md: TODO: on line(s) 3"]


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult, str, str]:
    """A project copy with a new question scaffolded by the script, built strictly; and mkdocs.yml before."""
    project = copy_project(tmp_path_factory.mktemp("draft") / "project")
    config_before = (project / "mkdocs.yml").read_text(encoding="utf-8")
    proc = new_question(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = build(project, project.parent / "site")
    assert result.ok, f"the strict build must pass with a fresh draft in place:\n{result.output}"
    return project, result, proc.stdout, config_before


def test_scaffold_has_complete_front_matter_and_page_anatomy(scaffolded: tuple[Path, BuildResult, str, str]) -> None:
    project, _, stdout, _ = scaffolded
    text = (project / "docs" / SRC).read_text(encoding="utf-8")
    meta = validate_page(text, SRC)  # the build's own schema, id and H1 checks
    assert isinstance(meta, QuestionMeta)
    assert meta.id == f"{SECTION}-{SLUG}" and meta.question == ARGS["--title"]
    assert meta.status == "draft" and meta.render_macros
    assert meta.tags == ARGS["--tags"].split(",") and meta.difficulty == ARGS["--difficulty"]
    assert len(meta.related) == 2 and all(r.startswith(f"{SECTION}-") for r in meta.related)
    assert meta.sources and meta.aliases and len(meta.description) >= 20
    assert re.findall(r"^## .+ \{ #([a-z-]+) \}$", text, re.M) == list(ANSWER_ANCHORS)
    assert re.search(r"^## 参考文献 \{ #references \}\n\n\{\{ references\(\) \}\}$", text, re.M)
    assert len(re.findall(r'^\?\?\? question "', text, re.M)) == 2
    assert [u.split(":")[0] for u in unfinished_pages(project / "docs")] == [f"docs/{SRC}"]
    # What the contributor is told: what to fill in, how to preview, how to publish.
    for needle in (f"docs/{SRC}", TODO_MARK, "make serve", "status: draft", "make register"):
        assert needle in stdout, needle


def test_scaffold_adds_one_nav_line_at_the_end_of_its_section(scaffolded: tuple[Path, BuildResult, str, str]) -> None:
    project, _, _, config_before = scaffolded
    before = config_before.splitlines()
    after = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    added = [line for line in after if line not in before]
    assert added == [f"      - {ARGS['--nav-title']}: {SRC}"], added
    i = after.index(added[0])
    assert after[i - 1].strip().endswith(".md") and f"{SECTION}/" in after[i - 1], "not at the end of its section"
    assert f"{SECTION}/" not in after[i + 1], "not at the end of its section"
    assert after[:i] + after[i + 1 :] == before, "mkdocs.yml must change by that one line only"


def test_draft_is_built_strictly_but_neither_published_nor_linked(
    scaffolded: tuple[Path, BuildResult, str, str],
) -> None:
    """Nor is its nav entry a link to a missing page (mkdocs keeps excluded nav entries)."""
    site = scaffolded[1].site
    assert not built_page(site, SRC).exists(), "a draft must not be published"
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert URL.lstrip("/") not in {doc["location"].split("#")[0] for doc in index["docs"]}
    linking = [
        html.relative_to(site).as_posix()
        for html in sorted(site.rglob("*.html"))
        if any(
            urljoin("/" + html.relative_to(site).as_posix(), a["href"]).split("#")[0] == URL
            for a in soup(html).find_all("a", href=True)
        )
    ]
    assert not linking, f"built pages link to the unpublished draft {URL} (nav, footer): {linking}"


def test_new_question_refuses_bad_or_used_slugs(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    used = PUBLISHED.split("/")[1].removesuffix(".md")
    for change, message in (
        ({"slug": "Bad_Slug"}, "must be lowercase"),
        ({"slug": used}, "already exists"),
        ({"tags": "注意力,不存在的标签"}, "unknown tag"),
        ({"title": "草稿测试题"}, "ending with '？'"),
    ):
        proc = new_question(project, **change)
        assert proc.returncode == 2 and message in proc.stderr, (change, proc.stderr)
    assert (project / "mkdocs.yml").read_text(encoding="utf-8") == config, "a refused scaffold must write nothing"
    assert not (project / "docs" / SRC).exists()
    # A published URL is never reused, even after its page is gone.
    (project / "docs" / PUBLISHED).unlink()
    proc = new_question(project, slug=used)
    assert proc.returncode == 2 and "never reused" in proc.stderr, proc.stderr
