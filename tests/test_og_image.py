"""Link-preview pictures (macros/outputs/ogimage.py): every question page names a 1200×630 PNG
that the build wrote, with its size, its alt text and the large Twitter card; the
picture is drawn once per text (cache); long Chinese questions break where Chinese
text may break. Pages come from the front matter; each check fails once on a broken input."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from PIL import Image

from macros.data.frontmatter import read_front_matter
from macros.outputs import ogimage
from tests.helpers import DOCS, built_page, site_url, soup

SITE_URL = site_url()
SIZE = (1200, 630)  # what the link-preview apps expect (Open Graph's large picture), not the module's constants


def meta(page, attr: str, name: str) -> str | None:
    el = page.find("meta", attrs={attr: name})
    return el.get("content") if el else None


def picture_problems(site: Path, page, src: str) -> list[str]:
    fm = read_front_matter((DOCS / src).read_text(encoding="utf-8"), src).data or {}
    url = meta(page, "property", "og:image") or ""
    want = {
        ("property", "og:image"): f"{SITE_URL}assets/og/{fm['id']}.png",
        ("property", "og:image:type"): "image/png",
        ("property", "og:image:width"): str(SIZE[0]),
        ("property", "og:image:height"): str(SIZE[1]),
        ("name", "twitter:card"): "summary_large_image",
        ("name", "twitter:image"): url,
    }
    problems = [f"{src}: {k[1]} = {meta(page, *k)!r}, want {v!r}" for k, v in want.items() if meta(page, *k) != v]
    for key in (("property", "og:image:alt"), ("name", "twitter:image:alt")):
        if fm["question"] not in (meta(page, *key) or ""):
            problems.append(f"{src}: {key[1]} = {meta(page, *key)!r} does not say the question")
    if not url.startswith(SITE_URL):
        return problems
    png = site / url.removeprefix(SITE_URL)
    if not png.is_file():
        return [*problems, f"{src}: {png.relative_to(site)} was not written"]
    with Image.open(png) as image:
        if (image.format, image.size) != ("PNG", SIZE):
            problems.append(
                f"{src}: {png.name} is a {image.format} of {image.size[0]}×{image.size[1]}, want PNG 1200×630"
            )
    return problems


def test_every_question_page_has_its_picture(site: Path, question_pages: list[str]) -> None:
    assert question_pages
    problems = [p for src in question_pages for p in picture_problems(site, soup(built_page(site, src)), src)]
    assert not problems, "\n".join(problems)


def test_other_pages_keep_the_small_card(site: Path) -> None:
    home = soup(site / "index.html")
    assert meta(home, "property", "og:image") is None
    assert meta(home, "name", "twitter:card") == "summary"


def test_picture_check_can_fail(site: Path, tmp_path: Path, question_pages: list[str]) -> None:
    """A picture of the wrong size, a missing width and a card left small are reported."""
    src = question_pages[0]
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    page = soup(built_page(copy, src))
    png = copy / meta(page, "property", "og:image").removeprefix(SITE_URL)
    Image.new("RGB", (1200, 600)).save(png)
    page.find("meta", attrs={"property": "og:image:width"}).decompose()
    page.find("meta", attrs={"name": "twitter:card"})["content"] = "summary"
    text = "\n".join(picture_problems(copy, page, src))
    assert "1200×600, want PNG 1200×630" in text
    assert "og:image:width = None" in text
    assert "twitter:card = 'summary'" in text


def test_an_unchanged_picture_costs_nothing(tmp_path: Path) -> None:
    """The second build of the same text copies the cached file; a new text is drawn."""
    card = ogimage.Card("为什么缓存命中时不用重画？", "测试栏目", "测试站点", "example.org")
    cache = tmp_path / "cache"
    assert ogimage.render(card, tmp_path / "a.png", cache) is False
    start = time.perf_counter()
    assert ogimage.render(card, tmp_path / "b.png", cache) is True
    hit = time.perf_counter() - start
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert hit < 0.05, f"a cache hit took {hit * 1000:.0f} ms"
    changed = ogimage.Card(card.question + "再改一字", card.section, card.site_name, card.host)
    assert ogimage.render(changed, tmp_path / "c.png", cache) is False
    assert len(list(cache.glob("*.png"))) == 2


NO_START = "，。、；：？！）》」”"
NO_END = "（《「“"


def line_problems(lines: list[str], text: str, width: float, measure) -> list[str]:  # type: ignore[no-untyped-def]
    problems = [f"{line!r} is {measure(line):.0f} px, wider than {width}" for line in lines if measure(line) > width]
    problems += [f"{line!r} starts or ends with a space" for line in lines if line != line.strip()]
    problems += [f"{line!r} starts with closing punctuation" for line in lines[1:] if line[0] in NO_START]
    problems += [f"{line!r} ends with opening punctuation" for line in lines[:-1] if line[-1] in NO_END]
    problems += [
        f"{a!r} / {b!r} cuts a Latin word"
        for a, b in zip(lines, lines[1:], strict=False)
        if (a[-1:] + b[:1]).isascii() and (a[-1:] + b[:1]).isalnum() and a[-3:] + b[:3] in text  # no space between
    ]
    if "".join(lines).replace(" ", "") != text.replace(" ", ""):
        problems.append(f"{lines} lost text of {text!r}")
    return problems


def longest_question(question_pages: list[str]) -> str:
    questions = [
        str((read_front_matter((DOCS / s).read_text(encoding="utf-8"), s).data or {})["question"])
        for s in question_pages
    ]
    return max(questions, key=len)


@pytest.mark.parametrize("width", [300, 500, 700])
def test_long_questions_break_where_chinese_may(question_pages: list[str], width: int) -> None:
    text = longest_question(question_pages)
    font = ogimage.font("Bold", 48)
    lines = ogimage.wrap(text, width, font.getlength)
    assert len(lines) > 1, lines
    assert not line_problems(lines, text, width, font.getlength)
    greedy = ogimage._greedy(ogimage._units(text), width, font.getlength)
    assert len(lines) == len(greedy)  # balanced, never longer


def test_every_question_fits_its_picture(question_pages: list[str]) -> None:
    """At the size the picture uses, each question's lines fit and break correctly."""
    problems = []
    for src in question_pages:
        question = str((read_front_matter((DOCS / src).read_text(encoding="utf-8"), src).data or {})["question"])
        size, lines = ogimage.question_lines(question)
        measure = ogimage.font("Bold", size).getlength
        problems += [f"{src}: {p}" for p in line_problems(lines, question, ogimage.WIDTH - 2 * ogimage.MARGIN, measure)]
    assert not problems, "\n".join(problems)


def test_line_check_can_fail() -> None:
    def measure(s: str) -> float:
        return len(s) * 10.0

    bad = ["一二三（", "，四五 Dec", "oder 六", " 七"]
    text = "\n".join(line_problems(bad, "一二三（，四五 Decoder 六 七", 35, measure))
    assert "wider than 35" in text and "starts with closing" in text and "ends with opening" in text
    assert "cuts a Latin word" in text and "' 七' starts or ends with a space" in text


def test_missing_font_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ogimage, "FAMILY", "No Such Font CJK")
    ogimage.font_file.cache_clear()
    try:
        with pytest.raises(ogimage.FontMissing, match="apt-get install fonts-noto-cjk"):
            ogimage.font_file("Bold")
    finally:
        ogimage.font_file.cache_clear()
