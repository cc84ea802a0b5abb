"""Every page carries what a pasted link needs to preview well: title, description,
canonical URL, Open Graph and Twitter card tags."""

from __future__ import annotations

from pathlib import Path

from macros.data.frontmatter import read_front_matter
from tests.helpers import DOCS, built_page, page_url, site_url, soup, source_pages

SITE_URL = site_url().rstrip("/")


def meta(page, attr: str, name: str) -> str | None:
    el = page.find("meta", attrs={attr: name})
    return el.get("content") if el else None


def front_matter(src: str) -> dict:
    return read_front_matter((DOCS / src).read_text(encoding="utf-8"), f"docs/{src}").data or {}


def preview_problems(page, src: str) -> list[str]:
    fm = front_matter(src)
    url = SITE_URL + page_url(src)
    want = {
        ("property", "og:url"): url,
        ("property", "og:locale"): "zh_CN",
        ("property", "og:site_name"): "大模型基础手册",
        # question pages have a picture (tests/test_og_image.py), so the large card
        ("name", "twitter:card"): "summary_large_image" if fm.get("question") else "summary",
    }
    if fm.get("description"):
        want[("name", "description")] = fm["description"].strip()
        want[("property", "og:description")] = fm["description"].strip()
        want[("name", "twitter:description")] = fm["description"].strip()
    if fm.get("question"):
        want[("property", "og:title")] = fm["question"]
        want[("name", "twitter:title")] = fm["question"]
    problems = [f"{src}: {k[1]} = {meta(page, *k)!r}, want {v!r}" for k, v in want.items() if meta(page, *k) != v]
    canonical = page.find("link", rel="canonical")
    if not canonical or canonical.get("href") != url:
        problems.append(f"{src}: canonical {canonical and canonical.get('href')!r}, want {url!r}")
    if not (page.title and page.title.get_text(strip=True)):
        problems.append(f"{src}: empty <title>")
    for key in (("property", "og:title"), ("property", "og:description"), ("name", "description")):
        if not meta(page, *key):
            problems.append(f"{src}: missing {key[1]}")
    return problems


def test_every_page_previews(site: Path) -> None:
    problems = [p for src in source_pages() for p in preview_problems(soup(built_page(site, src)), src)]
    assert not problems, "\n".join(problems)


def test_preview_check_can_fail(site: Path, question_pages: list[str]) -> None:
    page = soup(built_page(site, question_pages[0]))
    page.find("meta", attrs={"property": "og:locale"}).decompose()
    page.find("link", rel="canonical")["href"] = "https://example.com/"
    problems = preview_problems(page, question_pages[0])
    assert len(problems) == 2, problems
