"""Every page carries what a pasted link needs to preview well: title, description,
canonical URL, Open Graph and Twitter card tags. A question page names a 1200×630 PNG
(macros/outputs/ogimage.py) that the build wrote, with its size, its alt text and the
large Twitter card; other pages keep the small card. The picture is drawn once per text
(cache); long Chinese questions break where Chinese text may break. Expectations come
from the front matter and mkdocs.yml; each check fails once on a broken input."""

from __future__ import annotations

import copy
import time
from pathlib import Path

import pytest
from PIL import Image

from macros.data.config import load_config
from macros.outputs import ogimage
from tests.helpers import ROOT, page_url, site_url, source_pages
from tests.published import front_matter, page

SITE_URL = site_url()
SITE_NAME = load_config(ROOT / "mkdocs.yml")["site_name"]
SIZE = (1200, 630)  # what the link-preview apps expect (Open Graph's large picture), not the module's constants


def meta(html, attr: str, name: str) -> str | None:
    el = html.find("meta", attrs={attr: name})
    return el.get("content") if el else None


def preview_problems(site: Path, html, src: str) -> list[str]:
    fm = front_matter(src)
    url = SITE_URL.rstrip("/") + page_url(src)
    question = fm.get("question")
    want = {
        ("property", "og:url"): url,
        ("property", "og:locale"): "zh_CN",
        ("property", "og:site_name"): SITE_NAME,
        # question pages have a picture, so the large card
        ("name", "twitter:card"): "summary_large_image" if question else "summary",
        ("property", "og:image"): f"{SITE_URL}assets/og/{fm['id']}.png" if question else None,
    }
    for key in (("name", "description"), ("property", "og:description"), ("name", "twitter:description")):
        if fm.get("description"):
            want[key] = fm["description"].strip()
    if question:
        want |= {("property", "og:title"): question, ("name", "twitter:title"): question}
        want |= {
            ("property", "og:image:type"): "image/png",
            ("name", "twitter:image"): meta(html, "property", "og:image"),
        }
        want |= {("property", "og:image:width"): str(SIZE[0]), ("property", "og:image:height"): str(SIZE[1])}
    problems = [f"{src}: {k[1]} = {meta(html, *k)!r}, want {v!r}" for k, v in want.items() if meta(html, *k) != v]
    canonical = html.find("link", rel="canonical")
    if not canonical or canonical.get("href") != url:
        problems.append(f"{src}: canonical {canonical and canonical.get('href')!r}, want {url!r}")
    if not (html.title and html.title.get_text(strip=True)):
        problems.append(f"{src}: empty <title>")
    for key in (("property", "og:title"), ("property", "og:description"), ("name", "description")):
        if not meta(html, *key):
            problems.append(f"{src}: missing {key[1]}")
    if not question:
        return problems
    for key in (("property", "og:image:alt"), ("name", "twitter:image:alt")):
        if question not in (meta(html, *key) or ""):
            problems.append(f"{src}: {key[1]} = {meta(html, *key)!r} does not say the question")
    png = site / want[("property", "og:image")].removeprefix(SITE_URL)
    if not png.is_file():
        return [*problems, f"{src}: {png.relative_to(site)} was not written"]
    with Image.open(png) as image:
        if (image.format, image.size) != ("PNG", SIZE):
            problems.append(
                f"{src}: {png.name} is a {image.format} of {image.size[0]}×{image.size[1]}, want PNG 1200×630"
            )
    return problems


def test_every_page_previews(site: Path, question_pages: list[str], tmp_path: Path) -> None:
    assert question_pages
    problems = [p for src in source_pages() for p in preview_problems(site, page(site, src), src)]
    assert not problems, "\n".join(problems)
    # The check can fail: a picture of the wrong size, a missing width and locale, a card left small, another canonical.
    src = question_pages[0]
    html = copy.copy(page(site, src))
    png = tmp_path / meta(html, "property", "og:image").removeprefix(SITE_URL)
    png.parent.mkdir(parents=True)
    Image.new("RGB", (1200, 600)).save(png)
    for attrs in ({"property": "og:image:width"}, {"property": "og:locale"}):
        html.find("meta", attrs=attrs).decompose()
    html.find("meta", attrs={"name": "twitter:card"})["content"] = "summary"
    html.find("link", rel="canonical")["href"] = "https://example.com/"
    text = "\n".join(preview_problems(tmp_path, html, src))
    for expected in ("1200×600, want PNG 1200×630", "og:image:width = None", "og:locale = None", "canonical 'https"):
        assert expected in text, text
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


@pytest.mark.parametrize("width", [300, 500, 700])
def test_long_questions_break_where_chinese_may(question_pages: list[str], width: int) -> None:
    text = max((str(front_matter(src)["question"]) for src in question_pages), key=len)
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
        question = str(front_matter(src)["question"])
        size, lines = ogimage.question_lines(question)
        measure = ogimage.font("Bold", size).getlength
        problems += [f"{src}: {p}" for p in line_problems(lines, question, ogimage.WIDTH - 2 * ogimage.MARGIN, measure)]
    assert not problems, "\n".join(problems)
    # The check can fail.
    bad = ["一二三（", "，四五 Dec", "oder 六", " 七"]
    text = "\n".join(line_problems(bad, "一二三（，四五 Decoder 六 七", 35, lambda s: len(s) * 10.0))
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
