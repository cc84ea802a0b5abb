"""The handbook as books, made from the built site: a PDF (A4 and phone-sized pages) and an EPUB 3.

usage: python -m scripts.books SITE [--out DIR] [--formats pdf,phone,epub] [--sample N] [--check] [--link-pages]

make_book() reads the built pages' <article>s in mkdocs.yml's nav order (drafts are not built) and runs
formulas() (MathJax's SVG, self-contained), printable() (what only works on screen removed or printed)
and resolve_links() (internal links into the book, ``book:KEY#id``, or to the website; a broken one stops
the build); pdf_html() feeds WeasyPrint, epub() ebooklib; link_pages() links the site's home page and
section indexes to the books. Checks (--check, tests/test_books.py): epubcheck, book_problems(), and
overflowing_boxes() on every PDF.
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
import uuid
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from ebooklib import epub as eb
from lxml import etree
from PIL import Image, ImageDraw
from pypdf import PdfReader
from selectolax.lexbor import LexborHTMLParser, LexborNode

from macros.data.config import load_config
from macros.data.frontmatter import is_question_page
from macros.data.sections import nav_pages
from macros.data.urls import html_file, load_registry, src_to_url
from macros.outputs import offline, ogimage
from macros.outputs.practice import PRACTICE_PAGE

ROOT = Path(__file__).resolve().parent.parent
STYLES = Path(__file__).resolve().parent / "templates"
FIGURES_CSS = STYLES / "book-figures.css"  # the site's SVG figures, in both books
# Page boxes of the two PDF sizes (the rest of the style is shared, book-pdf.css).
PAGE_SIZES = {
    "pdf": "@page { size: A4; margin: 20mm 18mm 20mm 18mm; } html { font-size: 10.5pt; }",
    # A 6.1-inch phone held upright shows about 65 × 140 mm; a little margin, no wasted border.
    "phone": "@page { size: 90mm 160mm; margin: 11mm 5mm 10mm 5mm; } html { font-size: 9pt; }"
    " table { overflow-wrap: anywhere; }",  # narrow pages: any word in a cell may break
}
# format → (its label on the site's pages, its file name)
FORMATS = {"pdf": ("PDF（A4）", "{}.pdf"), "phone": ("PDF（手机版）", "{}-phone.pdf"), "epub": ("EPUB", "{}.epub")}
XHTML, SVG, XLINK = "http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"
BOOK_LINK = "book:"  # a link into the book, from resolve_links() until pdf_html()/epub(): ``book:KEY#id``
# TeX that must never reach a reader: display delimiters, \( \[ and control words (\frac …).
RAW_TEX = re.compile(r"\$\$|\\\(|\\\[|\\[A-Za-z]{2,}")
# Removed by printable(), one selector at a time (a node inside one already removed is gone with it):
# the glyph store (read by formulas()), edit links, "#" permalinks, buttons (copy link, interview
# toggle, "显示答案"), the interview controls, hidden nodes, link_pages()' line if the pages had it.
SCREEN_ONLY = "svg.mjx-glyphs a.md-content__button a.headerlink button .interview-controls [hidden] .book-downloads"


class BookError(Exception):
    """The books cannot be made as they are (a broken link, a page missing from the site)."""


@dataclass
class Chapter:
    src: str  # docs path: basics/training-objectives.md
    url: str  # /basics/training-objectives/
    key: str  # basics-training-objectives: the EPUB file name and the PDF id prefix
    role: str  # "part" (a section's index), "question", or "page" (home, glossary …)
    part: str  # the nav section's title, "" outside sections
    short: str  # the page's title in the nav (the PDF's running header), "" if it has none
    article: LexborNode  # a copy of the page's <article>, being made printable

    @property
    def title(self) -> str:
        h1 = self.article.css_first("h1")
        return _text(h1) if h1 is not None else self.src

    @property
    def running_title(self) -> str:  # what the PDF's running header shows on its pages (book-pdf.css)
        return (self.short or self.title) if self.role == "question" else self.title


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


def _text(node: LexborNode) -> str:
    return re.sub(r"\s+", " ", node.text(deep=True)).strip()


def _fragment(html: str) -> LexborNode:
    """One element parsed from HTML, to insert into a tree."""
    return LexborHTMLParser(f"<body>{html}</body>").body.child


def chapter_key(url: str) -> str:
    """``/basics/x/`` → ``basics-x``; the home page is ``home``."""
    return url.strip("/").replace("/", "-") or "home"


def term_id(abbr: str) -> str:
    return "term-" + re.sub(r"[^A-Za-z0-9]+", "-", abbr).strip("-")


def safe_id(value: str) -> str:
    """An id as an XML name (EPUB readers and epubcheck want one): kept when it already is one,
    else ``x-`` and a short hash (tag anchors such as ``tag:训练目标``)."""
    ok = re.match(r"^[A-Za-z_][A-Za-z0-9_.-]*$", value)
    return value if ok else "x-" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:10]


def human_size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()


def make_book(
    site: Path, config_path: Path = ROOT / "mkdocs.yml", commit: str | None = None, sample: int | None = None
) -> Book:
    """The nav's built pages, printable, links resolved; ``sample``: only the first N questions of each
    section. The edition date is SOURCE_DATE_EPOCH's (make books: the last commit's time)."""
    config = load_config(config_path)
    site_url = str(config.get("site_url") or "/")  # SITE_URL if exported (mkdocs.yml's !ENV)
    chapters: list[Chapter] = []
    questions: Counter[str] = Counter()
    for part, short, src in nav_pages(config.get("nav") or []):
        file = html_file(site, src_to_url(src)) if src.endswith(".md") else None  # else an external link
        # Left out: drafts (not built) and the practice page (an app; the Anki deck is its offline form).
        if file is None or not file.exists() or src == PRACTICE_PAGE:
            continue
        question = is_question_page(src)
        questions[part] += question
        if question and sample is not None and questions[part] > sample:
            continue
        article = LexborHTMLParser(file.read_text(encoding="utf-8")).css_first("article")
        if article is None:
            raise BookError(f"{file}: no <article> (not a page of this theme?)")
        role = "question" if question else ("part" if part and src.endswith("index.md") else "page")
        url = src_to_url(src)
        copy = LexborHTMLParser(article.html).css_first("article")
        chapters.append(Chapter(src, url, chapter_key(url), role, part, short, copy))
    mathjax_css = (site / "assets" / "stylesheets" / "mathjax.css").read_text(encoding="utf-8")
    valigns = dict(re.findall(r"svg\.(mjx-va-[\w-]+)\{vertical-align:([^}]+)\}", mathjax_css))
    # Abbreviation → ``book:KEY#term-…``: the row of the glossary table printable() links it to.
    glossary = ((ch, s) for ch in chapters for s in ch.article.css(".glossary-table tr td:first-child strong"))
    terms = {_text(s): f"{BOOK_LINK}{ch.key}#{term_id(_text(s))}" for ch, s in glossary}
    for ch in chapters:
        formulas(ch, valigns)
        printable(ch, terms)
    broken = resolve_links(chapters, site, site_url)
    if broken:
        raise BookError("broken internal links:\n  " + "\n  ".join(broken))
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or _git("log", "-1", "--format=%ct") or str(int(time.time()))
    return Book(
        title=str(config.get("site_name") or ""),
        description=re.sub(r"\s+", "", str(config.get("site_description") or "")),
        site_url=site_url,
        license=str(config.get("copyright") or ""),
        name=str(config.get("repo_name") or "handbook"),
        date=datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%d"),
        commit=commit or _git("rev-parse", "--short=12", "HEAD") or "unknown",
        chapters=chapters,
    )


def formulas(chapter: Chapter, valigns: dict[str, str]) -> None:
    """Replace each MathJax container by its SVG, made to stand alone: the glyphs it uses from the
    page's glyph store in its own <defs> (a book has no page-wide store, and a PDF engine draws each
    SVG on its own), its vertical alignment inline (``valigns``: class → CSS value, the site's
    mathjax.css), a text label from MathJax's MathML."""
    glyphs = {p.attributes["id"]: p.attributes.get("d") or "" for p in chapter.article.css("svg.mjx-glyphs path[id]")}
    for count, container in enumerate(chapter.article.css("mjx-container"), 1):
        svg, math = container.css_first("svg"), container.css_first("math")
        if svg is None:
            raise BookError(f"{chapter.src}: a formula without SVG")
        used = {}
        for use in svg.css("use"):
            ref = (use.attributes.get("xlink:href") or use.attributes.get("href") or "").lstrip("#")
            if ref not in glyphs:
                raise BookError(f"{chapter.src}: formula glyph {ref!r} not in the page's glyph store")
            used[ref] = glyphs[ref]
            use.attrs["xlink:href"] = f"#mjx{count}-{ref}"
        if used:
            paths = "".join(f'<path id="mjx{count}-{gid}" d="{d}"></path>' for gid, d in sorted(used.items()))
            svg.insert_child(LexborHTMLParser(f"<svg><defs>{paths}</defs></svg>").css_first("defs"))
        for cls in (svg.attributes.get("class") or "").split():
            if cls in valigns:
                svg.attrs["style"] = f"vertical-align: {valigns[cls]}"
        for attr in ("class", "aria-hidden", "focusable"):
            if attr in svg.attributes:
                del svg.attrs[attr]
        svg.attrs["role"] = "img"
        svg.attrs["aria-label"] = _text(math) if math is not None else ""
        tag, cls = ("div", "math-display") if container.attributes.get("display") == "true" else ("span", "math")
        container.replace_with(_fragment(f'<{tag} class="{cls}">{svg.html}</{tag}>'))


def printable(chapter: Chapter, glossary_terms: dict[str, str]) -> None:
    """Remove what only works on screen and turn the rest into print, in place. ``glossary_terms``:
    abbreviation → ``book:KEY#id`` of its glossary row (empty if the glossary is not in the book)."""
    article = chapter.article
    for node in (node for selector in SCREEN_ONLY.split() for node in article.css(selector)):
        node.decompose()
    for node in article.css("a.random-question"):  # "随机一题" needs JavaScript
        (node.parent if node.parent.tag == "p" else node).decompose()
    for node in article.css("a[id][href]"):  # empty self-links (code line anchors): nothing to print
        if node.attributes["href"] == "#" + node.attributes["id"] and not _text(node):
            node.decompose()
    for nav in article.css("nav.md-tags"):  # the tag chips: one line of links to the tag index
        nav.replace_with(_fragment(f'<p class="page-tags">标签：{" · ".join(a.html for a in nav.css("a"))}</p>'))
    for details in article.css("details"):  # follow-ups: open, the question as a bold paragraph
        summary, head = details.css_first("summary"), ""
        if summary is not None:
            head = f'<p class="details-title">{summary.inner_html}</p>'
            summary.decompose()
        cls = " ".join(["details", *(details.attributes.get("class") or "").split()])
        details.replace_with(_fragment(f'<div class="{escape(cls)}">{head}{details.inner_html}</div>'))
    # Glossary abbreviations: the hover text cannot be printed, a link to the glossary can.
    for abbr in article.css("abbr:not(:is(a, h1, h2, h3, h4, h5, h6) abbr)"):
        if href := glossary_terms.get(_text(abbr)):
            abbr.replace_with(_fragment(f'<a class="term" href="{escape(href)}">{abbr.html}</a>'))
    for row in article.css(".glossary-table tr"):  # ids for the rows those links land on
        first = row.css_first("td strong")
        if first is not None:
            row.attrs["id"] = term_id(_text(first))
    # Attributes only the site's scripts and styles use, or that XHTML no longer has: data-* (the
    # TeX of each formula among them), tabindex, a@name, align (→ a class).
    for node in article.traverse():
        for attr in list(node.attributes if node.is_element_node else ()):
            if attr.startswith("data-") or attr in ("tabindex", "unselectable") or (attr == "name" and node.tag == "a"):
                del node.attrs[attr]
            elif attr == "align" and node.tag in ("td", "th"):
                align = node.attributes["align"]
                del node.attrs["align"]
                node.attrs["class"] = " ".join([*(node.attributes.get("class") or "").split(), f"align-{align}"])


def resolve_links(chapters: list[Chapter], site: Path, site_url: str) -> list[str]:
    """Point every internal link into the book (``book:KEY#id``), or to the website for a page the
    book leaves out; make ids XML-safe. Returns the broken links ("file: href (why)")."""
    by_url = {c.url: c for c in chapters}
    site_ids = functools.cache(
        lambda f: {n.attributes["id"] for n in LexborHTMLParser(f.read_text("utf-8")).css("[id]")}
    )
    for ch in chapters:
        for node in ch.article.css("[id]"):
            node.attrs["id"] = safe_id(node.attributes["id"] or "")
        for attr in ("aria-labelledby", "aria-describedby"):
            for node in ch.article.css(f"[{attr}]"):
                node.attrs[attr] = " ".join(safe_id(v) for v in (node.attributes[attr] or "").split())
    ids = {ch.key: {node.attributes["id"] for node in ch.article.css("[id]")} for ch in chapters}
    broken: list[str] = []
    for ch in chapters:
        for a in ch.article.css("a[href]"):
            href = a.attributes["href"] or ""
            if href.startswith(BOOK_LINK):  # a glossary link made by printable()
                key, _, frag = href.removeprefix(BOOK_LINK).partition("#")
                if frag and frag not in ids.get(key, set()):
                    broken.append(f"{ch.src}: glossary link {href}")
                continue
            if urlsplit(href).scheme or urlsplit(href).netloc:
                continue  # external
            target = urljoin("http://book" + ch.url, href)
            path, frag = unquote(urlsplit(target).path), unquote(urlsplit(target).fragment)
            page, other, anchor = html_file(site, path), by_url.get(path), safe_id(frag) if frag else ""
            if other is not None and anchor and anchor not in ids[other.key]:
                broken.append(f"{ch.src}: {href} (no #{frag} in {other.src})")
            elif other is not None:
                a.attrs["href"] = f"{BOOK_LINK}{other.key}" + (f"#{anchor}" if anchor else "")
            elif not page.exists() and not (site / path.lstrip("/")).is_file():
                broken.append(f"{ch.src}: {href} (no such page on the site)")
            elif frag and page.exists() and frag not in site_ids(page):
                broken.append(f"{ch.src}: {href} (no #{frag} on the site's page)")
            else:  # a page the book leaves out: the link goes to the website
                a.attrs["href"] = site_url.rstrip("/") + target.removeprefix("http://book")
    return broken


def rewrite_book_links(html: str, link: Callable[[str, str], str]) -> str:
    """``href="book:KEY#id"`` → the output format's own link (``link(key, id)``)."""
    return re.sub(
        f'href="{BOOK_LINK}([^"]*)"', lambda m: f'href="{escape(link(*unquote(m[1]).partition("#")[::2]))}"', html
    )


def title_page(book: Book) -> str:
    return (
        f'<section class="title-page"><p class="book-title">{escape(book.title)}</p>'
        f'<p class="book-subtitle">{escape(book.description)}</p><dl class="edition">'
        f"<dt>版本</dt><dd>{book.date}（提交 <code>{escape(book.commit)}</code>）</dd>"
        f'<dt>网站</dt><dd><a href="{escape(book.site_url)}">{escape(book.site_url)}</a></dd>'
        f"<dt>许可</dt><dd>{escape(book.license)}</dd></dl>"
        '<p class="edition-note">本书由网站的页面自动生成，内容与同日的网站一致；最新版本请看网站。</p></section>'
    )


def pdf_html(book: Book, size: str = "pdf") -> str:
    """The whole book as one HTML document for WeasyPrint; as one document holds every chapter,
    ids (and the references to them) get the chapter's key: ``KEY--id``."""
    toc, body = [], []
    # Comments out: in an SVG <style> a "<" would start markup.
    figure_css = re.sub(r"/\*.*?\*/", "", FIGURES_CSS.read_text(encoding="utf-8"), flags=re.S).strip()
    for ch in book.chapters:
        toc.append(f'<li class="toc-{ch.role}"><a href="#{ch.key}">{escape(ch.title)}</a></li>')
        article = LexborHTMLParser(ch.article.html).css_first("article")
        # WeasyPrint draws an inline SVG with the styles inside it only: figures get theirs.
        for svg in article.css("svg:not(.math svg):not(.math-display svg)"):
            svg.insert_child(_fragment(f"<svg><style>{figure_css}</style></svg>").css_first("style"))
        ids = r'(\s(?:id|aria-labelledby|aria-describedby)="|(?:xlink:href|href)="#)([^"]*)"'
        inner = re.sub(ids, lambda m, k=ch.key: m[1] + re.sub(r"(\S+)", rf"{k}--\1", m[2]) + '"', article.inner_html)
        inner = rewrite_book_links(inner, lambda key, frag: f"#{key}--{frag}" if frag else f"#{key}")
        # The running header shows the page's short nav title (a question's own title can fill two lines).
        short = escape(ch.short or ch.title)
        body.append(f'<section class="chapter {ch.role}" id="{ch.key}" data-short="{short}">{inner}</section>')
    css = (STYLES / "book-pdf.css").read_text(encoding="utf-8") + "\n" + PAGE_SIZES[size]
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(book.title)}</title>'
        f'<meta name="author" content="{escape(book.title)}贡献者">'
        f'<meta name="dcterms.created" content="{book.date}T00:00:00Z">'
        f'<meta name="dcterms.modified" content="{book.date}T00:00:00Z">'
        f'<meta name="generator" content="{escape(book.name)} {escape(book.commit)}">'
        f"<style>{css}</style></head><body>{title_page(book)}"
        f'<nav class="toc"><h1 class="toc-title">目录</h1><ul>{"".join(toc)}</ul></nav>{"".join(body)}</body></html>'
    )


def render(html: str) -> Any:
    """WeasyPrint's laid-out document: pages and boxes (:func:`overflowing_boxes`), ``write_pdf``."""
    from weasyprint import HTML  # imported here: the EPUB and the checks do not need it

    return HTML(string=html, base_url=str(ROOT)).render()


def overflowing_boxes(document: Any, slack_px: float = 1.0) -> list[str]:
    """Boxes that stick out of the page's content area to the right (a table, formula, figure
    or code line too wide for the page), as "page N: <tag> … too wide"."""
    problems = []
    for number, page in enumerate(document.pages, 1):
        root = page._page_box  # WeasyPrint's box tree (no public name; the version is pinned)
        right, stack = root.content_box_x() + root.width + slack_px, [root]
        while stack:
            box = stack.pop()
            over = box.position_x + box.margin_width() - right
            if getattr(box, "element_tag", None) in ("table", "svg", "pre", "img", "figure") and over > 0:
                problems.append(f"page {number}: <{box.element_tag}> {int(over)} px too wide")
            stack.extend(getattr(box, "children", []))
    return problems


def xhtml_page(title: str, html: str, epub_type: str) -> bytes:
    """An XHTML file of the EPUB, SVG in its own namespace: ``html`` parsed by selectolax (an HTML5
    parser: SVG's camelCase names such as viewBox survive) and copied here into lxml to be written.
    Hand-written because lxml's HTML parser (ebooklib's EpubHtml uses it) lower-cases SVG's names,
    which breaks every formula, and tinyhtml5 takes six times as long on the whole book."""

    def copy(node: LexborNode, parent: Any, ns: str) -> None:
        last = None
        for child in node.iter(include_text=True):
            if child.is_text_node and last is None:
                parent.text = (parent.text or "") + (child.text_content or "")
            elif child.is_text_node:
                last.tail = (last.tail or "") + (child.text_content or "")
            elif child.is_element_node:
                inner = SVG if child.tag == "svg" else ns
                names = {k: f"{{{XLINK}}}{k[6:]}" if k.startswith("xlink:") else k for k in child.attributes}
                attrs = {names[k]: v or "" for k, v in child.attributes.items() if not k.startswith("xmlns")}
                nsmap = {None: SVG, "xlink": XLINK} if inner != ns else None
                last = etree.SubElement(parent, f"{{{inner}}}{child.tag}", attrs, nsmap=nsmap)
                copy(child, last, inner)

    root = etree.Element(f"{{{XHTML}}}div", nsmap={None: XHTML})
    copy(LexborHTMLParser(f"<body>{html}</body>").body, root, XHTML)
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="{XHTML}" xmlns:epub="http://www.idpf.org/2007/ops" lang="zh-CN" xml:lang="zh-CN">'
        f'<head><meta charset="utf-8"/><title>{escape(title)}</title><link rel="stylesheet" type="text/css"'
        f' href="style.css"/></head><body><section epub:type="{epub_type}">{escape(root.text or "", quote=False)}'
    )
    content = b"".join(etree.tostring(child, encoding="utf-8") for child in root)
    return head.encode() + content + b"</section></body></html>"


def cover_png(book: Book, width: int = 1200, height: int = 1800) -> bytes:
    """A generated cover: title, subtitle and edition in the site's CJK font (found and wrapped as
    for the link-preview pictures, macros/outputs/ogimage.py)."""
    try:
        title, body, edition, host = (
            ogimage.font(*f) for f in (("Bold", 128), ("Regular", 48), ("Regular", 56), ("Regular", 40))
        )
    except ogimage.FontMissing as exc:
        raise BookError(str(exc)) from None
    img = Image.new("RGB", (width, height), (63, 81, 181))  # the site's indigo
    draw, margin, band = ImageDraw.Draw(img), 110, int(height * 0.62)
    draw.rectangle((0, band, width, height), fill=(40, 53, 147))
    draw.text((margin, 360), book.title, font=title, fill="white")
    for i, line in enumerate(ogimage.wrap(book.description, width - 2 * margin, body.getlength)):
        draw.text((margin, 560 + 72 * i), line, font=body, fill=(232, 234, 246))
    draw.text((margin, band + 120), f"{book.date} 版", font=edition, fill="white")
    draw.text((margin, band + 210), book.site_url, font=host, fill=(197, 202, 233))
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def epub(book: Book, path: Path) -> Path:
    """One XHTML file per page, the navigation document (sections → questions → answer sections),
    an NCX for older readers, a generated cover and a title page with the edition."""
    b = eb.EpubBook()
    b.set_identifier("urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, book.site_url)))
    b.set_title(book.title)
    b.set_language("zh-CN")
    b.add_author(f"{book.title}贡献者")
    for name, value in {"description": book.description, "rights": book.license, "date": book.date}.items():
        b.add_metadata("DC", name, value)
    b.add_metadata("DC", "source", book.site_url)
    b.set_cover("cover.png", cover_png(book))
    css = (STYLES / "book-epub.css").read_bytes() + b"\n" + FIGURES_CSS.read_bytes()
    b.add_item(eb.EpubItem(uid="style", file_name="style.css", media_type="text/css", content=css))
    items, pages = [], [("title-page", book.title, title_page(book), "titlepage")]
    for c in book.chapters:
        pages.append((c.key, c.title, f'<div class="chapter {c.role}">{c.article.inner_html}</div>', "chapter"))
    for key, title, html, epub_type in pages:
        html = rewrite_book_links(html, lambda key, frag: f"{key}.xhtml" + (f"#{frag}" if frag else ""))
        content = xhtml_page(title, html, epub_type)
        items.append(eb.EpubItem(key, f"{key}.xhtml", "application/xhtml+xml", content))
        items[-1].properties = ["svg"] if b"<svg" in content else []  # EPUB 3: files with inline SVG say so
        b.add_item(items[-1])
    b.spine = ["cover", items[0], "nav", *items[1:]]
    # The contents: each entry (heading, what goes under it, the plain link it is when nothing goes
    # under it: an empty list is invalid there).
    toc: list[Any] = []
    under = toc
    for ch in book.chapters:
        file = f"{ch.key}.xhtml"
        heads = [] if ch.role == "part" else ch.article.css("h2[id]")
        links = [eb.Link(f"{file}#{h.attributes['id']}", _text(h), f"{ch.key}-{h.attributes['id']}") for h in heads]
        (under if ch.part and ch.role != "part" else toc).append(
            (eb.Section(ch.title, file), links, eb.Link(file, ch.title, ch.key))
        )
        under = links if ch.role == "part" else under

    def tidy(e: Any) -> Any:
        return e if isinstance(e, eb.Link) else ((e[0], [tidy(c) for c in e[1]]) if e[1] else e[2])

    b.toc = [eb.Link("title-page.xhtml", "版本信息", "toc-title-page"), *map(tidy, toc)]
    b.add_item(eb.EpubNcx())
    b.add_item(eb.EpubNav(title="目录"))
    mtime = datetime.strptime(book.date, "%Y-%m-%d").replace(tzinfo=UTC)
    eb.write_epub(str(path), b, {"mtime": mtime, "epub3_pages": False})
    return path


def link_pages(site: Path, config: dict[str, Any], files: dict[str, Path], out: Path, date: str) -> list[str]:
    """Put the download line into the home page and each section index, after the first paragraph
    under the title: plain links (nothing the page's Content-Security-Policy would refuse), each
    patched page checked again. Returns the URLs."""
    from macros.stages import csp

    if not out.resolve().is_relative_to(site.resolve()):
        raise BookError(f"{out} is not inside {site}: the site cannot link to books it does not publish")
    out_url = "/" + out.resolve().relative_to(site.resolve()).as_posix().strip("/") + "/"
    entries = [(part, src) for part, _, src in nav_pages(config.get("nav") or []) if src.endswith(".md")]
    home_and_sections = [entries[0][1]] + [src for part, src in entries if part and src.endswith("/index.md")]
    done = []
    for url in dict.fromkeys(map(src_to_url, home_and_sections)):
        file = html_file(site, url)
        if not file.exists():
            continue
        links = " · ".join(
            f'<a href="{escape(posixpath.relpath(out_url + path.name, url))}" download>'
            f"{FORMATS[fmt][0]}，{human_size(path.stat().st_size)}</a>"
            for fmt, path in files.items()
        )
        line = f'<p class="book-downloads"><strong>下载全书</strong>（{date} 版）：{links}</p>'
        # Every other byte stays as it was: the line (a second run takes out the one it added
        # before) goes into the page's text after the paragraph, found by selectolax and, in the
        # text, by its serialisation (the same bytes for the paragraphs Python-Markdown writes).
        text = re.sub(r'\n<p class="book-downloads">.*?</p>', "", file.read_text(encoding="utf-8"), count=1)
        after = LexborHTMLParser(text).css_first("h1 ~ p")
        end = text.find(after.html) + len(after.html) if after is not None and after.html in text else -1
        if end < 0:
            raise BookError(f"{file}: no paragraph after the title to put the download links under")
        html = f"{text[:end]}\n{line}{text[end:]}"
        problems = csp.page_problems(html)
        if problems:
            raise BookError(f"{file}: " + "; ".join(problems))
        file.write_text(html, encoding="utf-8")
        done.append(url)
    return done


def raw_tex(text: str, shown: Iterable[str] = ()) -> list[str]:
    """TeX that reached the reader's text (``$$``, ``\\(``, ``\\frac`` …), with a little context.
    ``shown``: the text of the pages' code spans, which may show TeX on purpose (a page quoting
    ``\\boxed{}``); it is taken out before the search."""
    for code in shown:
        if RAW_TEX.search(code):
            text = text.replace(code, " ")
    return [text[max(0, m.start() - 20) : m.end() + 20] for m in RAW_TEX.finditer(text)]


def epub_problems(path: Path, registry: Iterable[str], shown: set[str]) -> tuple[int, list[str]]:
    """Raw TeX in the EPUB's text, and every registered answer anchor (docs/data/urls.yml:
    ``/basics/x/#short-answer``) of a page in the book an id of its chapter (links inside the book
    are epubcheck's). Returns (answer anchors checked, problems)."""
    with zipfile.ZipFile(path) as z:
        pages = {n: LexborHTMLParser(z.read(n).decode()) for n in z.namelist() if n.endswith(".xhtml")}
    problems = [f"{name}: raw TeX {hit!r}" for name, tree in pages.items() for hit in raw_tex(tree.body.text(), shown)]
    by_key = {posixpath.basename(n).removesuffix(".xhtml"): n for n in pages}
    anchors = [(by_key.get(chapter_key(url.partition("#")[0])), url.partition("#")[2], url) for url in registry]
    anchors = [(name, anchor, url) for name, anchor, url in anchors if name and anchor]
    for name, anchor, url in anchors:
        if pages[name].css_first(f'[id="{safe_id(anchor)}"]') is None:
            problems.append(f"{name}: no #{anchor} (registered {url})")
    return len(anchors), problems


def pdf_text(path: Path) -> list[str]:
    """The text of each page, running headers and page numbers included (poppler's pdftotext:
    pypdf leaves out the text of WeasyPrint's page margins, and takes minutes on a whole book)."""
    if shutil.which("pdftotext") is None:
        raise BookError("pdftotext not found: apt-get install poppler-utils (make test and make books install it)")
    proc = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True)
    return proc.stdout.split("\f")[:-1]  # each page ends with a form feed


def pdf_outline(path: Path) -> list[tuple[int, str]]:
    """The PDF's outline as (depth, title), depth first."""

    def walk(items: list[Any], depth: int) -> list[tuple[int, str]]:
        return [e for i in items for e in (walk(i, depth + 1) if isinstance(i, list) else [(depth, str(i.title))])]

    return walk(PdfReader(path).outline, 0)


def pdf_problems(path: Path, book: Book, shown: set[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Raw TeX in the PDF's text; each question's title in the text and in the outline, under its
    section; each link from one chapter to another landing on a page that shows the target chapter's
    running title and, for a heading, the heading. A link's target is its named destination (``KEY--id``
    or ``KEY``, see pdf_html), its chapter the last one that starts on or before its page. Returns (the
    links checked as (chapter key, destination), problems)."""
    text, squash = pdf_text(path), functools.partial(re.sub, r"\s+", "")
    problems = [f"page {i}: raw TeX {hit!r}" for i, t in enumerate(text, 1) for hit in raw_tex(t, shown)]
    pages = [squash(t) for t in text]
    depths = {squash(title): depth for depth, title in pdf_outline(path)}
    for ch in (c for c in book.chapters if c.role == "question"):
        depth = depths.get(squash(ch.title))
        if depth != 1:
            problems.append(f"{'not' if depth is None else f'at depth {depth}'} in the outline: {ch.title}")
        if squash(ch.title) not in "".join(pages):
            problems.append(f"not in the text: {ch.title}")
    reader = PdfReader(path)
    named = {str(name): reader.get_destination_page_number(d) + 1 for name, d in reader.named_destinations.items()}
    by_key = {c.key: c for c in book.chapters}
    starts = sorted((named[c.key], c.key) for c in book.chapters if c.key in named)
    checked = []
    for number, page in enumerate(reader.pages, 1):
        source = next((key for start, key in reversed(starts) if start <= number), None)
        for dest in (str(a.get_object().get("/Dest") or "") for a in page.get("/Annots") or []):
            key, _, frag = dest.partition("--")
            if source is None or key == source or dest not in named:
                continue  # on the title or contents pages, inside a chapter, or not a link into the book
            target = by_key[key]
            node = target.article.css_first(f'[id="{frag}"]') if frag else None
            heading = _text(node) if node is not None and node.tag in ("h1", "h2", "h3", "h4") else ""
            checked.append((source, dest))
            landing = pages[named[dest] - 1]
            if squash(target.running_title) not in landing or squash(heading) not in landing:
                problems.append(f"page {number}: link to #{dest} does not land on {target.running_title!r} {heading!r}")
    return checked, problems + ([] if checked else ["no link between chapters found"])


def book_problems(book: Book, files: dict[str, Path], registry: Iterable[str] = ()) -> list[str]:
    """The checks that need no engine run (:func:`pdf_problems`, :func:`epub_problems`); the text
    of the book's code, which may show TeX on purpose, is not raw TeX."""
    shown = {node.text() for chapter in book.chapters for node in chapter.article.css("code")}
    found = {
        p: epub_problems(p, registry, shown) if p.suffix == ".epub" else pdf_problems(p, book, shown)
        for p in files.values()
    }
    return [f"{path.name}: {p}" for path, (_, problems) in found.items() for p in problems]


def start_epubcheck(path: Path) -> subprocess.Popen[str]:
    """Start Debian's epubcheck on a book (Java: it takes a while); :func:`epubcheck_result` reads it."""
    found = shutil.which("epubcheck")
    if found is None:
        raise BookError("epubcheck not found: apt-get install epubcheck (make test and make books install it)")
    jar = os.path.realpath(found)  # Debian's /usr/bin/epubcheck links to the jar, runnable only through binfmt
    command = ["java", "-jar", jar] if jar.endswith(".jar") else [found]
    return subprocess.Popen(
        [*command, "--quiet", str(path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def epubcheck_result(proc: subprocess.Popen[str]) -> tuple[int, int, str]:
    """(errors, warnings, report) of a finished epubcheck; fatal errors count as errors, and so
    does a failure without a message in the usual form."""
    report, _ = proc.communicate(timeout=600)
    errors = len(re.findall(r"^(?:ERROR|FATAL)", report, re.M)) or int(proc.returncode != 0)
    return errors, len(re.findall(r"^WARNING", report, re.M)), report


def build(
    site: Path, out: Path, formats: Iterable[str] = tuple(FORMATS), log: Callable[[str], None] = print, **options: Any
) -> tuple[Book, dict[str, Path]]:
    """The books of a built site, into ``out`` (``options``: make_book's): the book and {format: file}.
    One process per PDF size (WeasyPrint is single-threaded), while this one makes the EPUB."""
    started = time.monotonic()
    book = make_book(site, **options)
    log(f"books: {len(book.chapters)} pages read ({time.monotonic() - started:.1f} s)")
    out.mkdir(parents=True, exist_ok=True)
    files = {fmt: out / FORMATS[fmt][1].format(book.name) for fmt in formats}
    pdfs = [fmt for fmt in files if fmt != "epub"]
    with concurrent.futures.ProcessPoolExecutor(max(1, min(len(pdfs), os.cpu_count() or 1))) as pool:
        jobs = {fmt: pool.submit(_pdf_job, pdf_html(book, fmt), files[fmt]) for fmt in pdfs}
        for fmt in sorted(files, key=lambda fmt: fmt in jobs):  # the EPUB first
            t0 = time.monotonic()
            if fmt == "epub":
                epub(book, files[fmt])
            seconds = jobs[fmt].result() if fmt in jobs else time.monotonic() - t0
            log(f"books: {files[fmt]} {human_size(files[fmt].stat().st_size)} ({seconds:.1f} s)")
    return book, files


def _pdf_job(html: str, path: Path) -> float:
    """Lay out one PDF and write it; refuses content wider than the page. Returns the seconds taken."""
    t0 = time.monotonic()
    document = render(html)
    wide = overflowing_boxes(document)
    if wide:
        raise BookError(f"{path.name}: content wider than the page:\n  " + "\n  ".join(wide[:20]))
    document.write_pdf(path)
    return time.monotonic() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site (make build: site/)")
    parser.add_argument("--out", type=Path, help="where the books go (default: SITE/downloads)")
    parser.add_argument("--formats", default="pdf,phone,epub", help="comma-separated: pdf (A4), phone, epub")
    parser.add_argument("--sample", type=int, help="only the first N questions of each section (quick checks)")
    parser.add_argument("--link-pages", action="store_true", help="link the home page and section indexes to the books")
    parser.add_argument("--check", action="store_true", help="check the books (epubcheck, raw TeX, outline, links)")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml")
    args = parser.parse_args(argv)
    formats = [f for f in args.formats.split(",") if f]
    if set(formats) - set(FORMATS):
        parser.error(f"unknown formats: {', '.join(sorted(set(formats) - set(FORMATS)))}")
    out = args.out or args.site / "downloads"
    try:
        book, files = build(args.site, out, formats, sample=args.sample, config_path=args.config)
        if args.check:
            t0 = time.monotonic()
            check = start_epubcheck(files["epub"]) if "epub" in files else None
            problems = book_problems(book, files, load_registry(args.config.parent / "docs" / "data" / "urls.yml").urls)
            if check is not None:
                errors, warnings, report = epubcheck_result(check)
                print(f"epubcheck: {errors} errors, {warnings} warnings")
                problems += [f"epubcheck:\n{report}"] if errors or warnings else []
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
