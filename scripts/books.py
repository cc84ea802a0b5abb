"""The handbook as books: a PDF (A4, and a phone-sized page) and an EPUB 3, made from the built site.

usage: python -m scripts.books SITE [--out DIR] [--formats pdf,phone,epub] [--sample N]
                                    [--check] [--link-pages]

    make books   =   make build, then
                     python -m scripts.books site --check --link-pages   (books into site/downloads/)

The books take their content from the built site's HTML, the same pages readers get, in the
order of mkdocs.yml's ``nav`` (drafts are not built, so they are not in the books either).
There is no second typesetting path: formulas are MathJax's SVG from the site, tables and
figures the site's own markup. What happens, in order (each step a plain function over HTML,
independent of the engine that lays the book out):

  1. chapters()      nav order → each built page's <article>, parsed (selectolax)
  2. printable()     interactive parts out or turned into print: copy-link buttons, "显示答案",
                     the interview toggle, edit links and "随机一题" removed; follow-ups
                     (<details>) opened; glossary abbreviations become links to the glossary
  3. formulas()      each formula one self-contained SVG (the page's glyph store copied into
                     its <defs>), MathJax's assistive MathML and the TeX attribute dropped
  4. resolve_links() every internal link points into the book (a page left out of the book:
                     the website); ids made XML-safe; a broken link or anchor stops the build
  5. pdf_html()      one HTML document: title page, contents, chapters → WeasyPrint (outline
                     from bookmark-level, running headers, page numbers, clickable links)
  6. epub()          one XHTML file per page, navigation document, generated cover → ebooklib
  7. link_pages()    the home page and each section index link to the books, size and date

Checks, used by ``--check`` (make books) and tests/test_books.py: :func:`epubcheck`, and
:func:`book_problems`: no raw TeX in either book's text (:func:`raw_tex`), every question in the
PDF's outline and text, cross-references landing on the right PDF page, every EPUB link and
answer anchor resolving inside the book. :func:`overflowing_boxes` (nothing wider than the
page) runs on every PDF build.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import functools
import hashlib
import io
import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from macros.data.config import load_config
from macros.data.frontmatter import is_question_page
from macros.data.sections import nav_pages
from macros.data.urls import html_file, load_registry, src_to_url
from macros.outputs import offline, ogimage
from macros.outputs.practice import PRACTICE_PAGE
from macros.stages import html as htmlfind

ROOT = Path(__file__).resolve().parent.parent
STYLES = Path(__file__).resolve().parent / "templates"
PDF_CSS = STYLES / "book-pdf.css"
EPUB_CSS = STYLES / "book-epub.css"
FIGURES_CSS = STYLES / "book-figures.css"  # the site's SVG figures, in both books
# Page boxes of the two PDF sizes (the rest of the style is shared, book-pdf.css).
PAGE_SIZES = {
    "pdf": "@page { size: A4; margin: 20mm 18mm 20mm 18mm; } html { font-size: 10.5pt; }",
    # A 6.1-inch phone held upright shows about 65 × 140 mm; a little margin, no wasted border.
    "phone": "@page { size: 90mm 160mm; margin: 11mm 5mm 10mm 5mm; } html { font-size: 9pt; }"
    " table { overflow-wrap: anywhere; }",  # narrow pages: any word in a cell may break
}
XHTML = "http://www.w3.org/1999/xhtml"
SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
EPUB_NS = "http://www.idpf.org/2007/ops"
BOOK_LINK = "book:"  # internal links between steps 4 and 5/6: ``book:KEY#id``
SAFE_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
# TeX that must never reach a reader: display delimiters, \( \[ and control words (\frac …).
RAW_TEX = re.compile(r"\$\$|\\\(|\\\[|\\[A-Za-z]{2,}")


class BookError(Exception):
    """The books cannot be made as they are (a broken link, a page missing from the site)."""


# ── 1. Chapters in nav order ─────────────────────────────────────────────────


@dataclass
class Chapter:
    src: str  # docs path: basics/training-objectives.md
    url: str  # /basics/training-objectives/
    key: str  # basics-training-objectives: the EPUB file name and the PDF id prefix
    role: str  # "part" (a section's index), "question", or "page" (home, glossary …)
    part: str  # the nav section's title, "" outside sections
    short: str  # the page's title in the nav (the PDF's running header), "" if it has none
    tree: LexborHTMLParser  # the page's <article>, being made printable
    glyphs: dict[str, str] = field(default_factory=dict)  # MathJax glyph id → path data

    @property
    def article(self) -> LexborNode:
        node = self.tree.css_first("article")
        assert node is not None
        return node

    @property
    def title(self) -> str:
        h1 = self.article.css_first("h1")
        return _text(h1) if h1 is not None else self.src

    @property
    def running_title(self) -> str:
        """What the PDF's running header shows on this chapter's pages (book-pdf.css)."""
        return (self.short or self.title) if self.role == "question" else self.title

    def headings(self, levels: str = "h2") -> list[tuple[str, str, str]]:
        """(tag, id, text) of the chapter's headings of the given tags, in order."""
        return [(h.tag, h.attributes.get("id") or "", _text(h)) for h in self.article.css(levels)]


@dataclass
class Book:
    title: str
    description: str
    site_url: str
    license: str
    name: str  # file name stem of the downloads
    date: str  # edition date, YYYY-MM-DD
    commit: str
    chapters: list[Chapter]

    @property
    def epoch(self) -> datetime:
        return datetime.strptime(self.date, "%Y-%m-%d").replace(tzinfo=UTC)


def _text(node: LexborNode) -> str:
    return re.sub(r"\s+", " ", node.text(deep=True)).strip()


def chapter_key(url: str) -> str:
    """``/basics/x/`` → ``basics-x``; the home page is ``home``."""
    key = url.strip("/").replace("/", "-")
    return key or "home"


def chapters(site: Path, config: dict[str, Any], sample: int | None = None) -> list[Chapter]:
    """The built pages of the nav, in order. Pages that were not built (drafts) are skipped;
    ``sample`` keeps only the first N questions of each section (for quick test builds)."""
    out: list[Chapter] = []
    per_part: dict[str, int] = {}
    for part, short, src in nav_pages(config.get("nav") or []):
        if not src.endswith(".md"):
            continue  # an external link in the nav
        url = src_to_url(src)
        file = html_file(site, url)
        if not file.exists():
            continue  # a draft: mkdocs build leaves it out
        if src == PRACTICE_PAGE:
            continue  # an app, not reading matter: the Anki deck is its offline form
        question = is_question_page(src)
        if question and sample is not None:
            per_part[part] = per_part.get(part, 0) + 1
            if per_part[part] > sample:
                continue
        page = LexborHTMLParser(file.read_text(encoding="utf-8"))
        article = page.css_first("article")
        if article is None:
            raise BookError(f"{file}: no <article> (not a page of this theme?)")
        role = "question" if question else ("part" if part and src.endswith("index.md") else "page")
        out.append(Chapter(src, url, chapter_key(url), role, part, short, LexborHTMLParser(article.html or "")))
    keys = [c.key for c in out]
    if len(set(keys)) != len(keys):
        raise BookError(f"two pages map to the same chapter key: {sorted(k for k in keys if keys.count(k) > 1)}")
    return out


# ── 2. Printable: the interactive parts out or turned into print ─────────────


def printable(chapter: Chapter, glossary_terms: dict[str, str]) -> None:
    """Remove what only works on screen; turn the rest into print (in place).

    ``glossary_terms``: abbreviation → ``book:KEY#id`` of its glossary row (empty if the
    glossary is not in the book)."""
    article = chapter.article
    # The glyph store is read by step 3, then goes with the other hidden parts.
    store = article.css_first("svg.mjx-glyphs")
    if store is not None:
        chapter.glyphs = {p.attributes["id"] or "": p.attributes.get("d") or "" for p in store.css("path[id]")}
    for selector in (
        "svg.mjx-glyphs",
        "a.md-content__button",  # edit / view source
        "a.headerlink",  # the "#" permalinks
        "button",  # copy-link buttons, interview toggle, "显示答案"
        ".interview-controls",
        "[hidden]",
        ".book-downloads",  # the site's links to the books (step 7), if the pages had them already
    ):
        for node in article.css(selector):
            node.decompose()
    for node in article.css("a.random-question"):  # "随机一题" needs JavaScript
        (node.parent if node.parent is not None and node.parent.tag == "p" else node).decompose()
    # Empty self-links (code line anchors) carry nothing to print.
    for node in article.css("a[id][href]"):
        if node.attributes.get("href") == "#" + (node.attributes.get("id") or "") and not _text(node):
            node.decompose()
    # The tag chips become one line of links to the tag index.
    for nav in article.css("nav.md-tags"):
        links = " · ".join(a.html or "" for a in nav.css("a"))
        nav.replace_with(_fragment(f'<p class="page-tags">标签：{links}</p>'))
    # Follow-ups: open, the question as a bold paragraph.
    for details in article.css("details"):
        summary = details.css_first("summary")
        head = f'<p class="details-title">{summary.inner_html or ""}</p>' if summary is not None else ""
        if summary is not None:
            summary.decompose()
        cls = " ".join(["details", *(details.attributes.get("class") or "").split()])
        details.replace_with(_fragment(f'<div class="{escape(cls)}">{head}{details.inner_html or ""}</div>'))
    # Glossary abbreviations: the hover text cannot be printed, a link to the glossary can.
    for abbr in article.css("abbr"):
        target = glossary_terms.get(_text(abbr))
        if target and not _inside(abbr, ("a", "h1", "h2", "h3", "h4", "h5", "h6")):
            abbr.replace_with(_fragment(f'<a class="term" href="{escape(target)}">{abbr.html}</a>'))
    # The glossary's rows get ids, so that the links above land on the term.
    for row in article.css(".glossary-table tr"):
        first = row.css_first("td strong")
        if first is not None:
            row.attrs["id"] = term_id(_text(first))


def _inside(node: LexborNode, tags: tuple[str, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def _fragment(html: str) -> LexborNode:
    """One element parsed from HTML, to insert into a tree."""
    body = LexborHTMLParser(f"<body>{html}</body>").body
    assert body is not None and body.child is not None
    return body.child


def term_id(abbr: str) -> str:
    return "term-" + re.sub(r"[^A-Za-z0-9]+", "-", abbr).strip("-")


def glossary_targets(book_chapters: list[Chapter]) -> dict[str, str]:
    """Abbreviation → ``book:KEY#term-…`` for the chapter holding the glossary table."""
    for ch in book_chapters:
        rows = ch.article.css(".glossary-table tr td:first-child strong")
        if rows:
            return {_text(s): f"{BOOK_LINK}{ch.key}#{term_id(_text(s))}" for s in rows}
    return {}


# ── 3. Formulas: one self-contained SVG each ─────────────────────────────────


def vertical_aligns(site: Path) -> dict[str, str]:
    """The site's rules that replaced MathJax's inline vertical-align (class → CSS value)."""
    css = (site / "assets" / "stylesheets" / "mathjax.css").read_text(encoding="utf-8")
    return dict(re.findall(r"svg\.(mjx-va-[\w-]+)\{vertical-align:([^}]+)\}", css))


def formulas(chapter: Chapter, valigns: dict[str, str]) -> int:
    """Replace each MathJax container by its SVG, made to stand alone: the glyphs it uses
    copied into its own <defs> (books have no page-wide glyph store, and a PDF engine draws
    each SVG on its own), its vertical alignment inline, a text label from the MathML.
    Returns the number of formulas."""
    count = 0
    for container in chapter.article.css("mjx-container"):
        svg = container.css_first("svg")
        if svg is None:
            raise BookError(f"{chapter.src}: a formula without SVG")
        count += 1
        prefix = f"mjx{count}-"
        used: dict[str, str] = {}
        for use in svg.css("use"):
            ref = (use.attributes.get("xlink:href") or use.attributes.get("href") or "").lstrip("#")
            if ref not in chapter.glyphs:
                raise BookError(f"{chapter.src}: formula glyph {ref!r} not in the page's glyph store")
            used[ref] = chapter.glyphs[ref]
            use.attrs["xlink:href"] = f"#{prefix}{ref}"
        if used:
            paths = "".join(f'<path id="{prefix}{gid}" d="{d}"></path>' for gid, d in sorted(used.items()))
            defs = LexborHTMLParser(f"<svg><defs>{paths}</defs></svg>").css_first("defs")
            assert defs is not None
            svg.insert_child(defs)
        label = _formula_label(container)
        for mml in container.css("mjx-assistive-mml"):  # MathJax's MathML copy: the SVG gets its text as a label
            mml.decompose()
        classes = (svg.attributes.get("class") or "").split()
        for cls in classes:
            if cls in valigns:
                svg.attrs["style"] = f"vertical-align: {valigns[cls]}"
        for attr in ("class", "aria-hidden", "focusable"):
            if attr in svg.attributes:
                del svg.attrs[attr]
        svg.attrs["role"] = "img"
        svg.attrs["aria-label"] = label
        display = container.attributes.get("display") == "true"
        wrapper = "div" if display else "span"
        container.replace_with(
            _fragment(f'<{wrapper} class="{"math-display" if display else "math"}">{svg.html}</{wrapper}>')
        )
    return count


def _formula_label(container: LexborNode) -> str:
    math = container.css_first("math")
    return _text(math) if math is not None else ""


# ── 4. Links and ids ─────────────────────────────────────────────────────────


def safe_id(value: str) -> str:
    """An id as an XML name (EPUB readers and epubcheck want one): kept when it already is,
    else ``x-`` and a short hash (tag anchors such as ``tag:训练目标``)."""
    if SAFE_ID.match(value):
        return value
    return "x-" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:10]


IDREF_ATTRS = ("aria-labelledby", "aria-describedby")


def resolve_links(book_chapters: list[Chapter], site: Path, site_url: str) -> list[str]:
    """Make every internal link point into the book (``book:KEY#id``), or to the website for a
    page the book leaves out; make ids XML-safe. Returns the broken links (file: href)."""
    by_url = {c.url: c for c in book_chapters}
    ids: dict[str, set[str]] = {}
    for ch in book_chapters:
        for node in ch.article.css("[id]"):
            node.attrs["id"] = safe_id(node.attributes.get("id") or "")
        for node in ch.article.css(",".join(f"[{a}]" for a in IDREF_ATTRS)):
            for attr in IDREF_ATTRS:
                if attr in node.attributes:
                    node.attrs[attr] = " ".join(safe_id(v) for v in (node.attributes.get(attr) or "").split())
        ids[ch.key] = {node.attributes.get("id") or "" for node in ch.article.css("[id]")}
    broken: list[str] = []
    for ch in book_chapters:
        for a in ch.article.css("a[href]"):
            href = a.attributes.get("href") or ""
            if href.startswith(BOOK_LINK):  # a glossary link made in step 2
                key, _, frag = href[len(BOOK_LINK) :].partition("#")
                if frag and frag not in ids.get(key, set()):
                    broken.append(f"{ch.src}: glossary link {href}")
                continue
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue  # external
            target = urljoin("http://book" + ch.url, href)
            path, frag = urlsplit(target).path, unquote(urlsplit(target).fragment)
            path = unquote(path)
            if path in by_url:
                other = by_url[path]
                anchor = safe_id(frag) if frag else ""
                if anchor and anchor not in ids[other.key]:
                    broken.append(f"{ch.src}: {href} (no #{frag} in {other.src})")
                    continue
                a.attrs["href"] = f"{BOOK_LINK}{other.key}" + (f"#{anchor}" if anchor else "")
            elif html_file(site, path).exists() or (site / path.lstrip("/")).is_file():
                # A page the book leaves out: a link to the website, whose anchor must exist too.
                if frag and html_file(site, path).exists() and frag not in _site_ids(html_file(site, path)):
                    broken.append(f"{ch.src}: {href} (no #{frag} on the site's page)")
                    continue
                a.attrs["href"] = site_url.rstrip("/") + target.removeprefix("http://book")
            else:
                broken.append(f"{ch.src}: {href} (no such page on the site)")
    return broken


_ids_cache: dict[Path, set[str]] = {}


def _site_ids(file: Path) -> set[str]:
    if file not in _ids_cache:
        tree = LexborHTMLParser(file.read_text(encoding="utf-8"))
        _ids_cache[file] = {n.attributes.get("id") or "" for n in tree.css("[id]")}
    return _ids_cache[file]


def tidy_attributes(chapter: Chapter) -> None:
    """Attributes only the site's scripts and styles use, or that XHTML no longer has:
    data-* (the TeX of each formula among them), tabindex, a@name, align (→ a class)."""
    for node in chapter.article.traverse():
        if not node.is_element_node:
            continue
        for attr in list(node.attributes):
            if attr.startswith("data-") or attr in ("tabindex", "unselectable") or (attr == "name" and node.tag == "a"):
                del node.attrs[attr]
            elif attr == "align" and node.tag in ("td", "th"):
                value = node.attributes.get("align") or ""
                del node.attrs["align"]
                node.attrs["class"] = " ".join([*(node.attributes.get("class") or "").split(), f"align-{value}"])


def make_book(
    site: Path,
    config_path: Path = ROOT / "mkdocs.yml",
    date: str | None = None,
    commit: str | None = None,
    sample: int | None = None,
) -> Book:
    """Steps 1–4: the book's chapters from the built site, printable, links resolved."""
    config = load_config(config_path)
    site_url = os.environ.get("SITE_URL") or str(config.get("site_url") or "/")
    book_chapters = chapters(site, config, sample)
    terms = glossary_targets(book_chapters)
    valigns = vertical_aligns(site)
    for ch in book_chapters:
        printable(ch, terms)
        formulas(ch, valigns)
        tidy_attributes(ch)
    broken = resolve_links(book_chapters, site, site_url)
    if broken:
        raise BookError("broken internal links:\n  " + "\n  ".join(broken))
    return Book(
        title=str(config.get("site_name") or ""),
        description=re.sub(r"\s+", "", str(config.get("site_description") or "")),
        site_url=site_url,
        license=str(config.get("copyright") or ""),
        name=str(config.get("repo_name") or "handbook"),
        date=date or edition_date(),
        commit=commit or git_commit(),
        chapters=book_chapters,
    )


def edition_date() -> str:
    """The build's date: SOURCE_DATE_EPOCH (the Makefile sets it to the last commit's time)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        proc = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, check=False
        )
        epoch = proc.stdout.strip() or str(int(time.time()))
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%d")


def git_commit() -> str:
    proc = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return proc.stdout.strip() or "unknown"


def rewrite_book_links(html: str, fmt: Callable[[str, str], str]) -> str:
    """``href="book:KEY#id"`` → the output format's own link (``fmt(key, id)``)."""

    def sub(m: re.Match[str]) -> str:
        key, _, frag = unquote(m.group(1)).partition("#")
        return f'href="{escape(fmt(key, frag))}"'

    return re.sub(r'href="' + BOOK_LINK + r'([^"]*)"', sub, html)


# ── 5. PDF (WeasyPrint) ──────────────────────────────────────────────────────


def title_page(book: Book) -> str:
    return (
        '<section class="title-page">'
        f'<p class="book-title">{escape(book.title)}</p>'
        f'<p class="book-subtitle">{escape(book.description)}</p>'
        '<dl class="edition">'
        f"<dt>版本</dt><dd>{book.date}（提交 <code>{escape(book.commit)}</code>）</dd>"
        f'<dt>网站</dt><dd><a href="{escape(book.site_url)}">{escape(book.site_url)}</a></dd>'
        f"<dt>许可</dt><dd>{escape(book.license)}</dd>"
        "</dl>"
        '<p class="edition-note">本书由网站的页面自动生成，内容与同日的网站一致；最新版本请看网站。</p>'
        "</section>"
    )


def pdf_html(book: Book, size: str = "pdf") -> str:
    """The whole book as one HTML document for the PDF engine: ids prefixed by chapter."""

    def link(key: str, frag: str) -> str:
        return f"#{key}--{frag}" if frag else f"#{key}"

    toc = ['<nav class="toc"><h1 class="toc-title">目录</h1><ul>']
    body = []
    # Comments out: in an SVG <style> a "<" would start markup.
    figure_css = re.sub(r"/\*.*?\*/", "", FIGURES_CSS.read_text(encoding="utf-8"), flags=re.S).strip()
    for ch in book.chapters:
        toc.append(f'<li class="toc-{ch.role}"><a href="#{ch.key}">{escape(ch.title)}</a></li>')
        article = LexborHTMLParser(ch.article.html or "").css_first("article")
        assert article is not None
        # WeasyPrint draws an inline SVG with the styles inside it only: figures get theirs.
        for svg in article.css("svg"):
            if not _inside_formula(svg):
                svg.insert_child(_fragment(f"<svg><style>{figure_css}</style></svg>").css_first("style"))
        inner = _prefix_chapter_ids(article.inner_html or "", ch.key)
        inner = rewrite_book_links(inner, link)
        # The running header shows the page's short nav title (a question's own title can fill two lines).
        short = escape(ch.short or ch.title)
        body.append(f'<section class="chapter {ch.role}" id="{ch.key}" data-short="{short}">{inner}</section>')
    toc.append("</ul></nav>")
    css = PDF_CSS.read_text(encoding="utf-8") + "\n" + PAGE_SIZES[size]
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(book.title)}</title>'
        f'<meta name="author" content="{escape(book.title)}贡献者">'
        f'<meta name="dcterms.created" content="{book.date}T00:00:00Z">'
        f'<meta name="dcterms.modified" content="{book.date}T00:00:00Z">'
        f'<meta name="generator" content="{escape(book.name)} {escape(book.commit)}">'
        f"<style>{css}</style></head><body>{title_page(book)}{''.join(toc)}{''.join(body)}</body></html>"
    )


def _inside_formula(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in ("span", "div") and (parent.attributes.get("class") or "") in ("math", "math-display"):
            return True
        parent = parent.parent
    return False


def _prefix_chapter_ids(html: str, key: str) -> str:
    """One document holds every chapter: ids (and the references to them) get the chapter's key."""
    html = re.sub(
        r'(\s(?:id|aria-labelledby|aria-describedby))="([^"]*)"',
        lambda m: f'{m.group(1)}="' + " ".join(f"{key}--{v}" for v in m.group(2).split()) + '"',
        html,
    )
    return re.sub(r'(xlink:href|href)="#([^"]*)"', lambda m: f'{m.group(1)}="#{key}--{m.group(2)}"', html)


def render_pdf(book: Book, size: str = "pdf") -> Any:
    """WeasyPrint's laid-out document (pages and boxes: :func:`overflowing_boxes` reads them)."""
    return render_html(pdf_html(book, size))


def render_html(html: str) -> Any:
    from weasyprint import HTML  # imported here: the EPUB and the checks do not need it

    return HTML(string=html, base_url=str(ROOT)).render()


def write_pdf(document: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    document.write_pdf(path, uncompressed_pdf=False)
    return path


def overflowing_boxes(document: Any, slack_px: float = 1.0) -> list[str]:
    """Boxes that stick out of the page's content area to the right (a table, formula, figure
    or code line too wide for the page), as "page N: tag text…"."""
    problems = []
    for number, page in enumerate(document.pages, 1):
        root = page._page_box  # WeasyPrint's box tree (no public name; the version is pinned)
        right = root.content_box_x() + root.width + slack_px
        stack = [root]
        while stack:
            box = stack.pop()
            tag = getattr(box, "element_tag", None)
            if tag in ("table", "svg", "pre", "img", "figure") and box.position_x + box.margin_width() > right:
                problems.append(
                    f"page {number}: <{tag}> {int(box.position_x + box.margin_width() - right)} px too wide"
                )
            stack.extend(getattr(box, "children", []))
    return problems


# ── 6. EPUB 3 (ebooklib) ─────────────────────────────────────────────────────


def to_xhtml(html: str) -> bytes:
    """Serialise an HTML fragment as XHTML body content (lxml), SVG in its own namespace.

    The fragment is parsed by selectolax (an HTML5 parser: SVG's camelCase names such as
    viewBox survive); lxml writes the XML. ebooklib's own EpubHtml is not used for the
    chapters because it re-parses content with libxml2's HTML parser, which lower-cases
    SVG attributes (viewBox → viewbox) and so breaks every formula."""
    from lxml import etree

    body = LexborHTMLParser(f"<body>{html}</body>").body
    assert body is not None
    root = etree.Element(f"{{{XHTML}}}div", nsmap={None: XHTML})
    _copy_children(body, root, XHTML)
    out = b"".join(etree.tostring(child, encoding="utf-8") for child in root)
    if root.text:
        out = escape(root.text, quote=False).encode("utf-8") + out
    return out


SVG_CASE = {t.lower(): t for t in ("clipPath", "linearGradient", "radialGradient", "foreignObject", "textPath")}


def _copy_children(src: LexborNode, dest: Any, ns: str) -> None:
    from lxml import etree

    last = None
    for node in src.iter(include_text=True):
        if node.is_text_node:
            text = node.text_content or ""
            if last is None:
                dest.text = (dest.text or "") + text
            else:
                last.tail = (last.tail or "") + text
            continue
        if not node.is_element_node:
            continue
        tag = node.tag or "span"
        child_ns = SVG if tag == "svg" else ("http://www.w3.org/1998/Math/MathML" if tag == "math" else ns)
        name = SVG_CASE.get(tag, tag) if child_ns == SVG else tag
        attrs: dict[str, str] = {}
        for key, value in node.attributes.items():
            if key in ("xmlns", "xmlns:xlink"):
                continue
            if key.startswith("xlink:"):
                attrs[f"{{{XLINK}}}{key[6:]}"] = value or ""
            elif key == "xml:lang":
                attrs["{http://www.w3.org/XML/1998/namespace}lang"] = value or ""
            else:
                attrs[key] = value or ""
        nsmap = {None: SVG, "xlink": XLINK} if tag == "svg" and ns != SVG else None
        el = etree.SubElement(dest, f"{{{child_ns}}}{name}", attrs, nsmap=nsmap)
        _copy_children(node, el, child_ns)
        last = el


def xhtml_page(title: str, body: bytes, css: str = "style.css", epub_type: str = "") -> bytes:
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="{XHTML}" xmlns:epub="{EPUB_NS}" lang="zh-CN" xml:lang="zh-CN">'
        f'<head><meta charset="utf-8"/><title>{escape(title)}</title>'
        f'<link rel="stylesheet" type="text/css" href="{css}"/></head><body>'
    )
    section = f'<section epub:type="{epub_type}">' if epub_type else "<section>"
    return head.encode("utf-8") + section.encode() + body + b"</section></body></html>"


def cover_png(book: Book, width: int = 1200, height: int = 1800) -> bytes:
    """A generated cover: the title, the subtitle and the edition, in the site's CJK font
    (found and wrapped as for the link-preview pictures, macros/outputs/ogimage.py)."""
    from PIL import Image, ImageDraw

    try:
        title, body, edition, host = (
            ogimage.font(*f) for f in (("Bold", 128), ("Regular", 48), ("Regular", 56), ("Regular", 40))
        )
    except ogimage.FontMissing as exc:
        raise BookError(str(exc)) from None
    img = Image.new("RGB", (width, height), (63, 81, 181))  # the site's indigo
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, int(height * 0.62), width, height), fill=(40, 53, 147))
    margin = 110
    draw.text((margin, 360), book.title, font=title, fill="white")
    y = 560
    for line in ogimage.wrap(book.description, width - 2 * margin, body.getlength):
        draw.text((margin, y), line, font=body, fill=(232, 234, 246))
        y += 72
    draw.text((margin, int(height * 0.62) + 120), f"{book.date} 版", font=edition, fill="white")
    draw.text((margin, int(height * 0.62) + 210), book.site_url, font=host, fill=(197, 202, 233))
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def epub(book: Book, path: Path) -> Path:
    """One XHTML file per page, the navigation document (parts → questions → answer sections),
    an NCX for older readers, a generated cover and a title page with the edition."""
    from ebooklib import epub as eb

    def link(key: str, frag: str) -> str:
        return f"{key}.xhtml" + (f"#{frag}" if frag else "")

    b = eb.EpubBook()
    b.set_identifier("urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, book.site_url)))
    b.set_title(book.title)
    b.set_language("zh-CN")
    b.add_author(f"{book.title}贡献者")
    b.add_metadata("DC", "description", book.description)
    b.add_metadata("DC", "rights", book.license)
    b.add_metadata("DC", "date", book.date)
    b.add_metadata("DC", "source", book.site_url)
    b.set_cover("cover.png", cover_png(book), create_page=True)
    css = eb.EpubItem(
        uid="style",
        file_name="style.css",
        media_type="text/css",
        content=EPUB_CSS.read_bytes() + b"\n" + FIGURES_CSS.read_bytes(),
    )
    b.add_item(css)
    title = eb.EpubItem(
        uid="title-page",
        file_name="title-page.xhtml",
        media_type="application/xhtml+xml",
        content=xhtml_page(book.title, to_xhtml(title_page(book)), epub_type="titlepage"),
    )
    b.add_item(title)
    spine: list[Any] = ["cover", title, "nav"]
    toc: list[Any] = [eb.Link("title-page.xhtml", "版本信息", "toc-title-page")]
    part_entries: dict[str, list[Any]] = {}
    part_key = ""
    for ch in book.chapters:
        inner = rewrite_book_links(ch.article.inner_html or "", link)
        item = eb.EpubItem(
            uid=ch.key,
            file_name=f"{ch.key}.xhtml",
            media_type="application/xhtml+xml",
            content=xhtml_page(
                ch.title, to_xhtml(f'<div class="chapter {ch.role}">{inner}</div>'), epub_type="chapter"
            ),
        )
        if b"<svg" in item.content:
            item.properties = ["svg"]  # EPUB 3: content documents with inline SVG say so
        b.add_item(item)
        spine.append(item)
        sections = [
            eb.Link(f"{ch.key}.xhtml#{hid}", text, f"{ch.key}-{hid}") for _, hid, text in ch.headings("h2") if hid
        ]
        entry: Any = (
            (eb.Section(ch.title, f"{ch.key}.xhtml"), sections)
            if sections
            else eb.Link(f"{ch.key}.xhtml", ch.title, ch.key)
        )
        if ch.role == "part":
            part_entries[ch.key] = []
            toc.append(ch.key)  # filled in below, once its questions are known
            part_key = ch.key
        elif ch.part and part_key in part_entries:
            part_entries[part_key].append(entry)
        else:
            toc.append(entry)
    # A section's entry holds its questions; one without published questions is a plain link
    # (an empty list is invalid in the navigation document).
    by_key = {ch.key: ch for ch in book.chapters}
    b.toc = [
        (
            (eb.Section(by_key[e].title, f"{e}.xhtml"), part_entries[e])
            if part_entries[e]
            else eb.Link(f"{e}.xhtml", by_key[e].title, e)
        )
        if isinstance(e, str)
        else e
        for e in toc
    ]
    b.spine = spine
    b.add_item(eb.EpubNcx())
    b.add_item(eb.EpubNav(title="目录"))
    path.parent.mkdir(parents=True, exist_ok=True)
    eb.write_epub(str(path), b, {"mtime": book.epoch, "epub3_pages": False})
    return path


# ── 7. Links from the site to the books ──────────────────────────────────────


LABELS = {"pdf": "PDF（A4）", "phone": "PDF（手机版）", "epub": "EPUB"}


def file_name(book_name: str, fmt: str) -> str:
    return {"pdf": f"{book_name}.pdf", "phone": f"{book_name}-phone.pdf", "epub": f"{book_name}.epub"}[fmt]


def human_size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def downloads_html(files: dict[str, Path], page_url: str, out_url: str, date: str) -> str:
    links = " · ".join(
        f'<a href="{escape(posixpath.relpath(out_url + path.name, page_url))}" download>'
        f"{LABELS[fmt]}，{human_size(path.stat().st_size)}</a>"
        for fmt, path in files.items()
    )
    return f'<p class="book-downloads"><strong>下载全书</strong>（{date} 版）：{links}</p>'


def link_pages(site: Path, config: dict[str, Any], files: dict[str, Path], out: Path, date: str) -> list[str]:
    """Insert the download line into the home page and each section index, after the first
    paragraph that follows the title. The line is plain links (nothing the page's
    Content-Security-Policy would refuse); each patched page is checked again. Returns the URLs."""
    from macros.stages import csp

    if not out.resolve().is_relative_to(site.resolve()):
        raise BookError(f"{out} is not inside {site}: the site cannot link to books it does not publish")
    out_url = "/" + out.resolve().relative_to(site.resolve()).as_posix().strip("/") + "/"
    entries = nav_pages(config.get("nav") or [])
    pages = [src for _, _, src in entries if src.endswith(".md")]
    targets = [pages[0]] + [src for part, _, src in entries if part and src.endswith("/index.md")]
    done = []
    for src in dict.fromkeys(targets):
        url = src_to_url(src)
        file = html_file(site, url)
        if not file.exists():
            continue
        text = file.read_text(encoding="utf-8")
        line = downloads_html(files, url, out_url, date)
        # Spliced into the page's text (macros/stages/html.py), every other byte left as it was.
        old = htmlfind.first(text, lambda tag, attrs: tag == "p" and attrs.get("class") == "book-downloads")
        if old is not None:  # a second run replaces the line
            html = htmlfind.splice(text, [(old.start, old.end, line)])
        else:
            h1 = htmlfind.first(text, lambda tag, attrs: tag == "h1")
            after = [
                e for e in htmlfind.find(text, lambda tag, attrs: tag == "p") if h1 is not None and e.start >= h1.end
            ]
            if not after:
                raise BookError(f"{file}: no paragraph after the title to put the download links under")
            html = htmlfind.splice(text, [(after[0].end, after[0].end, "\n" + line)])
        problems = csp.page_problems(html)
        if problems:
            raise BookError(f"{file}: " + "; ".join(problems))
        file.write_text(html, encoding="utf-8")
        done.append(url)
    return done


# ── Checks ───────────────────────────────────────────────────────────────────


def raw_tex(text: str, shown: Iterable[str] = ()) -> list[str]:
    """TeX that reached the reader's text (``$$``, ``\\(``, ``\\frac`` …), with a little context.
    ``shown``: the text of the pages' code spans, which may show TeX on purpose (a page
    quoting ``\\boxed{}``); it is taken out before the search."""
    for code in shown:
        if RAW_TEX.search(code):
            text = text.replace(code, " ")
    return [text[max(0, m.start() - 20) : m.end() + 20] for m in RAW_TEX.finditer(text)]


def code_texts(book: Book) -> set[str]:
    """The text of every code span and block in the book's chapters."""
    return {node.text() for chapter in book.chapters for node in chapter.tree.css("code")}


def epub_texts(path: Path) -> dict[str, str]:
    """Each XHTML file of an EPUB → its text (what a reader sees: no attributes)."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xhtml"):
                tree = LexborHTMLParser(z.read(name).decode("utf-8"))
                out[name] = tree.body.text(deep=True) if tree.body is not None else ""
    return out


def epub_link_problems(path: Path) -> list[str]:
    """Every link inside the EPUB lands on a file of the book and, with a fragment, on an id in it."""
    problems = []
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml")}
    ids = {n: set(re.findall(r'\sid="([^"]+)"', t)) for n, t in files.items()}
    for name, text in files.items():
        for href in re.findall(r'<a\s[^>]*?href="([^"]+)"', text):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue
            target = (
                posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(parts.path))) if parts.path else name
            )
            if target not in files:
                problems.append(f"{name}: {href} (no such file in the book)")
            elif parts.fragment and unquote(parts.fragment) not in ids[target]:
                problems.append(f"{name}: {href} (no such id)")
    return problems


def start_epubcheck(path: Path) -> subprocess.Popen[str]:
    """Start Debian's epubcheck on a book (it takes a while: Java). :func:`epubcheck_result` reads it."""
    found = shutil.which("epubcheck")
    if found is None:
        raise BookError("epubcheck not found: apt-get install epubcheck (make test and make books install it)")
    # Debian installs /usr/bin/epubcheck as a link to the jar, runnable only through binfmt.
    jar = os.path.realpath(found)
    command = ["java", "-jar", jar] if jar.endswith(".jar") else [found]
    return subprocess.Popen(
        [*command, "--quiet", str(path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def epubcheck_result(proc: subprocess.Popen[str]) -> tuple[int, int, str]:
    """(errors, warnings, report) of a finished epubcheck; fatal errors count as errors."""
    report, _ = proc.communicate(timeout=600)
    errors = len(re.findall(r"^(?:ERROR|FATAL)", report, re.M))
    warnings = len(re.findall(r"^WARNING", report, re.M))
    if proc.returncode != 0 and errors == 0:
        errors = 1  # failed without saying why in the usual form
    return errors, warnings, report


def epubcheck(path: Path) -> tuple[int, int, str]:
    """Run epubcheck on a book: (errors, warnings, its report)."""
    return epubcheck_result(start_epubcheck(path))


def answer_anchor_problems(path: Path, urls: Iterable[str]) -> tuple[int, list[str]]:
    """Every registered answer anchor (docs/data/urls.yml: ``/basics/x/#short-answer``) of a page
    that is in the EPUB is an id of that page's chapter. Returns (anchors checked, problems)."""
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml")}
    by_key = {posixpath.basename(n).removesuffix(".xhtml"): n for n in files}
    checked, problems = 0, []
    for url in urls:
        page, _, anchor = url.partition("#")
        name = by_key.get(chapter_key(page))
        if not anchor or name is None:
            continue
        checked += 1
        if f'id="{safe_id(anchor)}"' not in files[name]:
            problems.append(f"{name}: no #{anchor} (registered {url})")
    return checked, problems


def cross_references(book: Book) -> list[tuple[str, str, str, str]]:
    """Links from one chapter to another: (link text, its chapter's running title, the target
    chapter's running title, the heading the link lands on, or "" for the top of the chapter
    or a glossary row)."""
    by_key = {c.key: c for c in book.chapters}
    out = []
    for ch in book.chapters:
        for a in ch.article.css("a[href]"):
            href = a.attributes.get("href") or ""
            if not href.startswith(BOOK_LINK):
                continue
            key, _, frag = href[len(BOOK_LINK) :].partition("#")
            if key == ch.key or key not in by_key:
                continue
            target = by_key[key]
            node = target.article.css_first(f'[id="{frag}"]') if frag else None
            heading = _text(node) if node is not None and node.tag in ("h1", "h2", "h3", "h4") else ""
            out.append((_text(a), ch.running_title, target.running_title, heading))
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_cross_reference_problems(path: Path, refs: list[tuple[str, str, str, str]]) -> tuple[int, list[str]]:
    """Each cross-reference (see :func:`cross_references`) found among the PDF's links lands on a
    page that shows the target chapter's running title (its header) and the heading itself. A PDF link is matched by its text, on a page of the chapter it comes from (one
    that shows that chapter's title). Returns (references checked, problems)."""
    links = pdf_link_targets(path)
    pages = [_squash(t) for t in pdf_text(path)]
    checked, problems = 0, []
    for text, source, title, heading in refs:
        want = _squash(text)
        if len(want) < 2:
            continue
        found = [
            (src, dest)
            for src, dest, t in links
            if len(_squash(t)) >= 2 and (_squash(t) in want or want in _squash(t)) and _squash(source) in pages[src - 1]
        ]
        if not found:
            continue
        checked += 1
        if not any(_squash(title) in pages[dest - 1] and _squash(heading) in pages[dest - 1] for _, dest in found):
            where = ", ".join(f"page {src} → {dest}" for src, dest in found[:3])
            problems.append(f"link {text!r} ({where}) does not land on {title!r} {heading!r}")
    return checked, problems


def pdf_title_problems(path: Path, book: Book) -> list[str]:
    """Every question's title is in the PDF's outline, under its section, and in its text."""
    outline = pdf_outline(path)
    text = _squash("".join(pdf_text(path)))
    entries = {_squash(title): depth for depth, title, _ in outline}
    problems = []
    for ch in book.chapters:
        if ch.role != "question":
            continue
        depth = entries.get(_squash(ch.title))
        if depth is None:
            problems.append(f"not in the outline: {ch.title}")
        elif depth != 1:
            problems.append(f"in the outline at depth {depth}, not under its section: {ch.title}")
        if _squash(ch.title) not in text:
            problems.append(f"not in the text: {ch.title}")
    return problems


def book_problems(book: Book, files: dict[str, Path], registry: Iterable[str] = ()) -> list[str]:
    """The checks that need no engine run: raw TeX in either book's text, the PDF's outline
    and titles, its cross-references, the EPUB's links and answer anchors."""
    problems = []
    shown = code_texts(book)
    for fmt, path in files.items():
        texts = epub_texts(path) if fmt == "epub" else {f"page {i}": t for i, t in enumerate(pdf_text(path), 1)}
        problems += [
            f"{path.name}, {where}: raw TeX {hit!r}" for where, t in texts.items() for hit in raw_tex(t, shown)
        ]
        if fmt == "epub":
            problems += [f"{path.name}: {p}" for p in epub_link_problems(path)]
            problems += [f"{path.name}: {p}" for p in answer_anchor_problems(path, registry)[1]]
        else:
            problems += [f"{path.name}: {p}" for p in pdf_title_problems(path, book)]
            checked, wrong = pdf_cross_reference_problems(path, cross_references(book))
            problems += [f"{path.name}: {p}" for p in wrong]
            if not checked:
                problems.append(f"{path.name}: no cross-reference between chapters found among its links")
    return problems


def pdf_outline(path: Path) -> list[tuple[int, str, int]]:
    """The PDF's outline as (depth, title, page number), depth first."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    out: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, str(item.title), reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return out


def pdf_text(path: Path) -> list[str]:
    """The text of each page, running headers and page numbers included (poppler's pdftotext:
    pypdf leaves out the text of WeasyPrint's page margins, and takes minutes on a whole book)."""
    return list(_pdf_text(str(path), path.stat().st_mtime_ns))


def _pdftotext(*args: str) -> str:
    if shutil.which("pdftotext") is None:
        raise BookError("pdftotext not found: apt-get install poppler-utils (make test and make books install it)")
    proc = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args], capture_output=True, text=True, check=True, timeout=300
    )
    return proc.stdout


@functools.lru_cache(maxsize=8)
def _pdf_text(path: str, mtime_ns: int) -> tuple[str, ...]:
    pages = _pdftotext(path, "-").split("\f")
    return tuple(pages[:-1] if pages and not pages[-1].strip() else pages)


def _clip(word: tuple[float, float, float, float, str], x0: float, x1: float) -> str:
    """The characters of a word that lie between x0 and x1 (pdftotext gives boxes of words, and
    a CJK line without spaces is one word): each character's place estimated from its width,
    a full em for CJK, about half for Latin letters and digits."""
    wx0, _, wx1, _, text = word
    if not text or wx1 <= x0 or wx0 >= x1:
        return ""
    widths = [1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text]
    scale, left, out = (wx1 - wx0) / sum(widths), wx0, []
    for c, w in zip(text, widths, strict=True):
        if x0 <= left + w * scale / 2 <= x1:
            out.append(c)
        left += w * scale
    return "".join(out)


def pdf_link_targets(path: Path) -> list[tuple[int, int, str]]:
    """Internal links: (page the link is on, page it lands on, the text under the link), via the
    named destinations WeasyPrint writes (pypdf) and the words' boxes (pdftotext -bbox)."""
    return list(_pdf_link_targets(str(path), path.stat().st_mtime_ns))


@functools.lru_cache(maxsize=8)
def _pdf_link_targets(path: str, mtime_ns: int) -> tuple[tuple[int, int, str], ...]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    named = {name: reader.get_destination_page_number(dest) + 1 for name, dest in reader.named_destinations.items()}
    boxes = LexborHTMLParser(_pdftotext("-bbox", path, "-"))
    pages = boxes.css("page")
    out = []
    for number, page in enumerate(reader.pages, 1):
        annots = [a.get_object() for a in page.get("/Annots") or []]
        links = [a for a in annots if a.get("/Subtype") == "/Link"]
        if not links:
            continue
        height = float(page.mediabox.height)
        words = [
            (*(float(w.attributes.get(k) or 0) for k in ("xmin", "ymin", "xmax", "ymax")), w.text())
            for w in pages[number - 1].css("word")
        ]
        for annot in links:
            action = annot.get("/A")
            dest = action.get("/D") if action is not None and action.get("/S") == "/GoTo" else annot.get("/Dest")
            if dest is None or str(dest) not in named:
                continue
            xa, ya, xb, yb = (float(v) for v in annot["/Rect"])
            # PDF space has its origin at the bottom left, pdftotext's boxes at the top left.
            x0, x1, top, bottom = min(xa, xb), max(xa, xb), height - max(ya, yb), height - min(ya, yb)
            text = "".join(_clip(word, x0, x1) for word in words if word[1] < bottom - 1 and word[3] > top + 1)
            out.append((number, named[str(dest)], text.strip()))
    return tuple(out)


# ── Command line ─────────────────────────────────────────────────────────────


def build(
    site: Path,
    out: Path,
    formats: Iterable[str] = ("pdf", "phone", "epub"),
    sample: int | None = None,
    date: str | None = None,
    commit: str | None = None,
    config_path: Path = ROOT / "mkdocs.yml",
    log: Callable[[str], None] = print,
) -> tuple[Book, dict[str, Path]]:
    """Make the books of a built site into ``out``; returns the book and {format: file}."""
    started = time.monotonic()
    book = make_book(site, config_path, date=date, commit=commit, sample=sample)
    log(f"books: {len(book.chapters)} pages read ({time.monotonic() - started:.1f} s)")
    files: dict[str, Path] = {}
    pdfs = [fmt for fmt in formats if fmt != "epub"]
    # The PDF sizes are laid out side by side, one process each (WeasyPrint is single-threaded);
    # each process reads the site again, which takes a second.
    jobs = {
        fmt: (site, out / file_name(book.name, fmt), fmt, config_path, book.date, book.commit, sample) for fmt in pdfs
    }
    if len(jobs) > 1 and (os.cpu_count() or 1) > 1:
        with concurrent.futures.ProcessPoolExecutor(min(len(jobs), os.cpu_count() or 1)) as pool:
            done = {fmt: pool.submit(_pdf_job, *job) for fmt, job in jobs.items()}
            results = {fmt: future.result() for fmt, future in done.items()}
    else:
        results = {fmt: _pdf_job(*job, book=book) for fmt, job in jobs.items()}
    for fmt in formats:
        t0 = time.monotonic()
        if fmt == "epub":
            path = epub(book, out / file_name(book.name, fmt))
        else:
            path, seconds = results[fmt]
            t0 -= seconds
        files[fmt] = path
        log(f"books: {path} {human_size(path.stat().st_size)} ({time.monotonic() - t0:.1f} s)")
    return book, files


def _pdf_job(
    site: Path,
    path: Path,
    size: str,
    config_path: Path,
    date: str,
    commit: str,
    sample: int | None,
    book: Book | None = None,
) -> tuple[Path, float]:
    """Lay out one PDF size and write it; refuses content wider than the page. (path, seconds)"""
    t0 = time.monotonic()
    if book is None:
        book = make_book(site, config_path, date=date, commit=commit, sample=sample)
    document = render_pdf(book, size)
    wide = overflowing_boxes(document)
    if wide:
        raise BookError(f"{size}: content wider than the page:\n  " + "\n  ".join(wide[:20]))
    return write_pdf(document, path), time.monotonic() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("site", type=Path, help="the built site (make build: site/)")
    parser.add_argument("--out", type=Path, help="where the books go (default: SITE/downloads)")
    parser.add_argument("--formats", default="pdf,phone,epub", help="comma-separated: pdf (A4), phone, epub")
    parser.add_argument("--sample", type=int, help="only the first N questions of each section (quick checks)")
    parser.add_argument("--link-pages", action="store_true", help="link the home page and section indexes to the books")
    parser.add_argument(
        "--check", action="store_true", help="check the books (epubcheck, raw TeX, outline, links): any problem fails"
    )
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml")
    args = parser.parse_args(argv)
    out = args.out or args.site / "downloads"
    formats = [f for f in args.formats.split(",") if f]
    unknown = set(formats) - set(LABELS)
    if unknown:
        parser.error(f"unknown formats: {', '.join(sorted(unknown))}")
    try:
        book, files = build(args.site, out, formats, sample=args.sample, config_path=args.config)
        if args.check:
            t0 = time.monotonic()
            check = start_epubcheck(files["epub"]) if "epub" in files else None
            registry = load_registry(args.config.parent / "docs" / "data" / "urls.yml").urls
            problems = book_problems(book, files, registry)
            if check is not None:
                errors, warnings, report = epubcheck_result(check)
                print(f"epubcheck: {errors} errors, {warnings} warnings")
                if errors or warnings:
                    problems.append("epubcheck:\n" + report)
            print(f"books: checked ({time.monotonic() - t0:.1f} s)")
            if problems:
                raise BookError("the books have problems:\n  " + "\n  ".join(problems))
        if args.link_pages:
            linked = link_pages(args.site, load_config(args.config), files, out, book.date)
            print(f"books: linked from {', '.join(linked)}")
            if (args.site / offline.WORKER).is_file():  # those pages changed: the offline copy must fetch them again
                offline.refresh_worker(args.site)
    except BookError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
