"""The downloadable books (scripts/books.py), made once per session from the built site.

To keep the suite fast the books here hold a sample: the home page, each section's index and
its first two questions, the tag index and the glossary (``--sample 2``), as an A4 PDF and an
EPUB. ``make books`` and the deploy workflow build the full books (all sizes) and run the same
checks on them (``--check``).

Each check is also run once on a broken book (``broken`` below), and must fail there: raw TeX
in the text, a cross-reference landing on the wrong page, a link to nowhere, an answer anchor
missing, a table wider than the page, chapters missing from the outline.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from macros.data.config import load_config
from macros.data.urls import html_file, load_registry
from scripts import books
from tests.helpers import ROOT

# One worker builds the books for all these tests (make test: pytest -n 2 --dist loadgroup).
pytestmark = pytest.mark.xdist_group("books")

SAMPLE = 2  # questions per section
RAW = r"<p>公式没排版：$$\frac{1}{2}$$ 和 \(x\)</p>"
Ref = tuple[books.Chapter, books.Chapter, str]


@pytest.fixture(scope="session")
def made(site: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[books.Book, dict[str, Path]]:
    out = tmp_path_factory.mktemp("books")
    return books.build(site, out, ("pdf", "epub"), sample=SAMPLE, commit="0123456789ab", log=lambda _: None)


@pytest.fixture(scope="session")
def book(made: tuple[books.Book, dict[str, Path]]) -> books.Book:
    return made[0]


@pytest.fixture(scope="session")
def files(made: tuple[books.Book, dict[str, Path]]) -> dict[str, Path]:
    return made[1]


@pytest.fixture(scope="session")
def registry() -> list[str]:
    return load_registry(ROOT / "docs" / "data" / "urls.yml").urls


def anchors_of(registry: list[str], chapter: books.Chapter) -> list[str]:
    """The registered answer anchors of a chapter's page."""
    return [url.partition("#")[2] for url in registry if url.startswith(chapter.url + "#")]


@pytest.fixture(scope="session")
def ref(book: books.Book) -> Ref:
    """A cross-reference to a heading of another question: (from, to, the heading's id)."""
    by_key = {c.key: c for c in book.chapters}
    for ch in book.chapters:
        for a in ch.article.css("a[href]"):
            key, _, frag = (a.attributes.get("href") or "").removeprefix(books.BOOK_LINK).partition("#")
            target = by_key.get(key)
            if target is not None and target is not ch and target.role == "question" and frag.isascii() and frag:
                node = target.article.css_first(f'[id="{frag}"]')
                if node is not None and node.tag in ("h2", "h3"):
                    return ch, target, frag
    pytest.fail("no cross-reference between two questions of the sample (raise SAMPLE?)")


@pytest.fixture(scope="session")
def broken(site: Path, ref: Ref, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The two chapters of ``ref`` as a small book, broken on purpose: raw TeX in a paragraph,
    a table wider than the page, a link to no chapter and one to no anchor, the answer anchors of the target taken
    away in the EPUB, and in the PDF the target heading's id moved to the first chapter."""
    src, dst, frag = ref
    fresh = books.make_book(site, sample=SAMPLE, commit="broken")
    a, b = (next(c for c in fresh.chapters if c.key == k) for k in (src.key, dst.key))
    bad = replace(fresh, chapters=[a, b])
    h1 = a.article.css_first("h1")
    assert h1 is not None
    h1.insert_after(books._fragment(RAW))
    h1.insert_after(books._fragment('<table style="width: 400mm"><tr><td>太宽的表格</td></tr></table>'))
    h1.insert_after(books._fragment(f'<p><a href="{books.BOOK_LINK}no-such-page#x">哪里也去不了</a></p>'))
    h1.insert_after(books._fragment(f'<p><a href="{books.BOOK_LINK}{b.key}#nowhere">没有这个锚点</a></p>'))
    out = tmp_path_factory.mktemp("broken")
    # PDF: the target heading's id sits at the start of the first chapter instead.
    html = books.pdf_html(bad).replace(f'id="{b.key}--{frag}"', "")
    html = re.sub(rf'(<section [^>]*id="{a.key}"[^>]*>)', rf'\1<span id="{b.key}--{frag}"></span>', html, count=1)
    assert f'id="{b.key}--{frag}"' in html
    document = books.render(html)
    document.write_pdf(out / "broken.pdf")
    # EPUB: the answer anchors of the target gone.
    for h in b.article.css("h2[id]"):
        del h.attrs["id"]
    epub = books.epub(bad, out / "broken.epub")
    return {"pdf": out / "broken.pdf", "epub": epub, "document": document}


@pytest.fixture(scope="session")
def epubchecks(files: dict[str, Path], broken: dict[str, Path]) -> dict[str, tuple[int, int, str]]:
    """epubcheck on the sample EPUB and the broken one, side by side (each takes seconds: Java)."""
    procs = {"good": books.start_epubcheck(files["epub"]), "broken": books.start_epubcheck(broken["epub"])}
    return {name: books.epubcheck_result(proc) for name, proc in procs.items()}


# ── What goes in, in which order ─────────────────────────────────────────────


def test_chapters_follow_the_nav_and_leave_out_the_screen_only_parts(book: books.Book) -> None:
    nav = [src for _, _, src in books.nav_pages(load_config(ROOT / "mkdocs.yml")["nav"])]
    positions = [nav.index(c.src) for c in book.chapters]
    assert positions == sorted(positions), "chapters out of nav order"
    roles = {c.role for c in book.chapters}
    assert roles == {"page", "part", "question"}
    for ch in book.chapters:
        html = ch.article.html or ""
        for leftover in ("<button", "mjx-container", "data-tex", "headerlink", "random-question", "<details", "<math"):
            assert leftover not in html, f"{ch.src}: {leftover} left in the book"


def test_formulas_are_self_contained_svg(site: Path, book: books.Book) -> None:
    count = 0
    for ch in book.chapters:
        for svg in ch.article.css(".math > svg, .math-display > svg"):
            count += 1
            ids = {p.attributes.get("id") for p in svg.css("defs path")}
            refs = {(u.attributes.get("xlink:href") or "").lstrip("#") for u in svg.css("use")}
            assert refs <= ids, f"{ch.src}: a formula uses glyphs it does not define"
            assert svg.attributes.get("aria-label"), f"{ch.src}: a formula without a text label"
    pages = [html_file(site, c.url).read_text(encoding="utf-8") for c in book.chapters]
    assert count == sum(len(re.findall(r"<mjx-container\b", p)) for p in pages), "formulas lost on the way"


# ── The checks: the sample passes them, the broken book fails each ───────────


def test_the_sample_books_pass_every_check(
    book: books.Book, files: dict[str, Path], registry: list[str], ref: Ref, epubchecks: dict
) -> None:
    assert books.book_problems(book, files, registry) == []
    errors, warnings, report = epubchecks["good"]
    assert (errors, warnings) == (0, 0), report
    # The checks did look: at the cross-reference of ``ref``, at every answer anchor of the book.
    src, dst, frag = ref
    links, _ = books.pdf_problems(files["pdf"], book, set())
    assert (src.key, f"{dst.key}--{frag}") in links
    checked, _ = books.epub_problems(files["epub"], registry, set())
    assert checked == sum(len(anchors_of(registry, c)) for c in book.chapters) > 0


def test_every_check_fails_on_the_broken_book(
    book: books.Book, broken: dict[str, Path], registry: list[str], ref: Ref, epubchecks: dict
) -> None:
    _, dst, frag = ref
    problems = "\n".join(books.book_problems(book, {"pdf": broken["pdf"], "epub": broken["epub"]}, registry))
    for wanted in (
        r"broken\.pdf: page \d+: raw TeX '.*\$\$",
        r"broken\.epub: \S+: raw TeX '.*\\\\frac",
        r"broken\.pdf: not in the outline: ",
        r"broken\.pdf: not in the text: ",
        rf"broken\.pdf: page \d+: link to #{dst.key}--{frag} does not land on",
        rf"broken\.epub: \S+{dst.key}\.xhtml: no #{anchors_of(registry, dst)[0]} \(registered",
    ):
        assert re.search(wanted, problems), f"not caught: {wanted}\n{problems}"
    # epubcheck: the link to no chapter (RSC-007) and the one to no anchor (RSC-012).
    errors, _, report = epubchecks["broken"]
    assert errors and re.search(r"RSC-007.*no-such-page\.xhtml", report) and "RSC-012" in report, report
    # books.build refuses a PDF with content wider than the page (the sample passed it):
    wide = books.overflowing_boxes(broken["document"])
    assert wide and all("<table>" in w for w in wide), wide


def test_a_broken_link_on_the_site_stops_the_books(site: Path) -> None:
    chapters = books.make_book(site, sample=1).chapters  # resolve_links() leaves a resolved book as it is
    question, other = [c for c in chapters if c.role == "question"][:2]
    h1 = question.article.css_first("h1")
    assert h1 is not None
    h1.insert_after(books._fragment(f'<p><a href="{other.url}#no-such-anchor">x</a> <a href="../../nope/">y</a></p>'))
    broken = books.resolve_links(chapters, site, "https://example.org/")
    assert any("no-such-anchor" in b for b in broken) and any("nope" in b for b in broken), broken


def test_whole_epub_passes_the_checks(site: Path, tmp_path: Path, registry: list[str]) -> None:
    """The PDFs above are made from a sample (they take minutes); the EPUB of every page
    takes seconds, so the checks read the whole handbook's EPUB here."""
    book, files = books.build(site, tmp_path, ("epub",), commit="0123456789ab", log=lambda _: None)
    assert books.book_problems(book, files, registry) == []
    # TeX shown in code is content; the same TeX outside code is still a leak.
    assert books.raw_tex("答案放进 \\boxed{} 里", {"\\boxed{}"}) == []
    assert books.raw_tex("答案放进 \\boxed{x} 里", {"\\boxed{}"}) != []


# ── What the books hold ──────────────────────────────────────────────────────


def test_pdf_outline_fonts_title_page_running_headers_and_links(book: books.Book, files: dict[str, Path]) -> None:
    # The outline: sections at the top, questions under them (book_problems), answer sections under those.
    outline = books.pdf_outline(files["pdf"])
    parts = [c.title for c in book.chapters if c.role == "part"]
    assert parts == [t for d, t in outline if d == 0 and t in parts], "sections missing from the outline's top level"
    question = next(c for c in book.chapters if c.role == "question")
    answer = question.article.css_first("h2")
    assert answer is not None and (2, books._text(answer)) in outline, "answer sections missing from the outline"
    # Fonts: embedded, as subsets (the six-letter tag), Noto Sans CJK among them.
    reader = PdfReader(files["pdf"])
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for d in font.get("/DescendantFonts") or [font]:
                desc = d.get_object().get("/FontDescriptor")
                embedded = desc is not None and any(
                    k in desc.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
                )
                fonts.add((str(font["/BaseFont"]), embedded))
    assert any("CJK" in name for name, _ in fonts)
    assert all(embedded for _, embedded in fonts), fonts
    assert all(re.match(r"/[A-Z]{6}\+", name) for name, _ in fonts), f"not subset: {fonts}"
    # The title page has the edition; a question's short title heads its pages (running header),
    # the page number at the foot (a line of its own: pdftotext may put a table's text after it).
    pages = books.pdf_text(files["pdf"])
    assert book.commit in pages[0] and book.date in pages[0]
    on = [i for i, t in enumerate(pages) if question.short in t]
    assert len(on) >= 2 and question.short != question.title
    assert all(f"\n{i + 1}\n" in t + "\n" for i, t in enumerate(pages) if i in on)
    # External links are clickable.
    uris = {
        str(a.get_object()["/A"].get("/URI"))
        for page in reader.pages
        for a in page.get("/Annots") or []
        if a.get_object().get("/A") is not None and a.get_object()["/A"].get("/S") == "/URI"
    }
    external = {a.attributes["href"] for c in book.chapters for a in c.article.css('a[href^="https://"]')}
    assert uris & external, "external links are not clickable"


def test_epub_has_a_file_per_page_and_the_navigation(
    book: books.Book, files: dict[str, Path], registry: list[str]
) -> None:
    with zipfile.ZipFile(files["epub"]) as z:
        names = z.namelist()
        nav = z.read(next(n for n in names if n.endswith("nav.xhtml"))).decode("utf-8")
    assert all(f"EPUB/{c.key}.xhtml" in names for c in book.chapters), "one file per page"
    for c in (c for c in book.chapters if c.role == "question"):
        assert f'href="{c.key}.xhtml"' in nav and f'href="{c.key}.xhtml#{anchors_of(registry, c)[0]}"' in nav


# ── The site links to the books ──────────────────────────────────────────────


def test_home_and_section_indexes_link_to_the_books(
    site: Path, files: dict[str, Path], book: books.Book, tmp_path: Path
) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    out = copy / "downloads"
    out.mkdir()
    placed = {fmt: Path(shutil.copy2(path, out / path.name)) for fmt, path in files.items()}
    config = load_config(ROOT / "mkdocs.yml")
    before = (copy / "index.html").read_text(encoding="utf-8")
    linked = books.link_pages(copy, config, placed, out, book.date)
    sections = [src for part, _, src in books.nav_pages(config["nav"]) if part and src.endswith("/index.md")]
    assert linked[0] == "/" and len(linked) == 1 + len(sections)
    for url in linked:
        page = (copy / url.lstrip("/") / "index.html").read_text(encoding="utf-8")
        line = re.search(r'<p class="book-downloads">.*?</p>', page)
        assert line is not None, url
        assert book.date in line.group(0)
        for href in re.findall(r'href="([^"]+)"', line.group(0)):
            assert (copy / url.lstrip("/") / href).resolve().is_file(), f"{url}: {href}"
        for fmt in placed:
            assert re.search(rf"{re.escape(books.FORMATS[fmt][0])}，\d", line.group(0)), (fmt, line.group(0))
    # The line is spliced in: every other byte of the page is as it was.
    after = (copy / "index.html").read_text(encoding="utf-8")
    assert re.sub(r'\n<p class="book-downloads">.*?</p>', "", after, count=1) == before
    # A second run replaces the line instead of adding another.
    books.link_pages(copy, config, placed, out, book.date)
    assert (copy / "index.html").read_text(encoding="utf-8").count('class="book-downloads"') == 1
