"""The contributor journeys of CONTRIBUTING.md, run in temporary copies of the project:
a new question in an existing section, and a new section with its first question.
Each must reach every list readers use: the section index, the nav, the tags page,
the sitemap, the random-question list and search; and the published URLs must be
registered and working."""

from __future__ import annotations

import json
from pathlib import Path

from macros.data.config import load_config
from macros.data.sections import section_titles
from macros.data.urls import REGISTRY, load_registry
from scripts.journey import publish_question
from scripts.new_question import unfinished_pages
from tests.helpers import copy_project, run_script, soup


def sections(project: Path) -> list[str]:
    return list(section_titles(load_config(project / "mkdocs.yml")["nav"]))


def assert_reaches_readers(project: Path, site: Path, section: str, slug: str) -> None:
    url = f"/{section}/{slug}/"
    index = soup(site / section / "index.html")
    assert any(a.get("href") == f"{slug}/" for a in index.select(".section-index a")), "missing from the section index"
    page = soup(site / section / slug / "index.html")
    assert page.select_one(f'nav.md-nav a[href="./"], nav.md-nav a[href="../{slug}/"]'), "missing from the nav"
    tags = soup(site / "tags" / "index.html")
    assert any(a.get("href", "").split("#")[0].endswith(f"{section}/{slug}/") for a in tags.select("article a")), "tags"
    assert url in (site / "sitemap.xml").read_text(encoding="utf-8"), "missing from the sitemap"
    assert url.lstrip("/") in json.loads((site / "assets" / "questions.json").read_text(encoding="utf-8"))
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert any(d["location"].startswith(url.lstrip("/")) and f"journey-{slug}" in d["text"] for d in docs), "search"
    urls = load_registry(project / REGISTRY).urls
    assert url in urls and f"{url}#short-answer" in urls
    check = run_script(project, "url_registry.py", "check", str(site))  # every URL registered and working
    assert check.returncode == 0, check.stdout + check.stderr


def test_new_question_in_an_existing_section(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    section = sections(project)[-1]
    site = publish_question(project, section, "zz-journey-question")
    assert unfinished_pages(project / "docs") == [], "the filled-in page still counts as unfinished"
    assert_reaches_readers(project, site, section, "zz-journey-question")


def test_new_section_with_its_first_question(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    proc = run_script(
        project, "new_section.py", "--slug", "zz-journey", "--title", "旅程测试栏目",
        "--description", "只用于测试新增栏目的流程：导航、索引、标签、搜索和网址登记都要自动跟上。",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sections(project)[-1] == "zz-journey"
    site = publish_question(project, "zz-journey", "zz-first-question")
    assert_reaches_readers(project, site, "zz-journey", "zz-first-question")
    assert "/zz-journey/" in load_registry(project / REGISTRY).urls
