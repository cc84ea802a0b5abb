"""The build pipeline: every step this site adds to MkDocs, in the order it runs.

This is the only hooks module (mkdocs.yml ``hooks:``) and, with ``entry.py`` (the
mkdocs-macros entry), the only module of ``macros`` that imports MkDocs. Each MkDocs
event below calls plain functions of the other modules, which import nothing from it;
this file hands them MkDocs' objects, keeps what one build learns for later events
(``_Build``), and turns ``SourceError`` (file:line) into MkDocs' ``PluginError``.
A page goes through:

    Markdown + docs/data  →  mkdocs-macros (macros/entry.py: tables, citations, figures)
    → Markdown stages (on_page_markdown)  →  Python-Markdown renders HTML
    → HTML stages (on_page_content)  →  search indexes the page
    → MathJax SVG filled in (on_page_context)  →  theme  →  site/

Stages and what each reads and writes:

  on_config         redirects: mkdocs.yml's redirect_maps, every path checked (the plugin reads the map itself)
                    data: docs/data/*.yml, validated (macros/data/sitedata.py; shared with the macros)
                    search worker: material's, with its query segmenter fixed (macros/stages/search.py)
  on_pre_build      start one MathJax (Node) process for the whole build
  on_files/on_nav   drafts: ``status: draft`` pages are served by ``mkdocs serve``, never built
  on_startup        whether this is `mkdocs serve` (its live-reload script is inline: see macros/stages/csp.py)
  on_page_markdown  1. check the page source (front matter, 30 秒回答, terms);
                       a question's id must be new (→ _Build.questions)
                    2. scan its formulas with their lines (→ _Build.formulas); stream them to MathJax
                    3. append the glossary's abbreviation definitions
  on_page_content   (4-9a edit one parsed tree of the page, written out once: macros/stages/html.py)
                    4. reserved names: no id, class or attribute the theme or the site's scripts use
                       (→ _Build.problems, reported at the end of the build)
                    5. formulas: check the HTML's against _Build.formulas, move TeX to data-tex
                    6. glossary terms focusable
                    7. title block: aliases line and interview toggle under the h1
                    8. copy-link buttons in h2/h3
                    9. the hidden "显示答案" button after the 30 秒回答 heading
                    9a. the home page's practice line (macros/outputs/practice.py)
  on_env            10. checks across pages (_Build.questions): ``related``, ``sources``,
                       every reference cited somewhere
                    11. collect MathJax's results; a TeX error stops the build at file:line
                    12. published pages by id, each glossary term's page, the first section (→ _Build)
                    12a. practice cards: each published question's 30 秒回答 and 常见追问, cut from its
                        HTML with formulas as SVG and as TeX (macros/outputs/practice.py); the Anki deck and
                        CSV made from them (macros/outputs/deck.py) (→ _Build)
                    13. search: the handbook's Chinese names become words of jieba's dictionary
                        before the search plugin segments any page; templates get the worker
  on_page_context   (15 and 16 share one parsed tree of the page)
                    14. related questions and question links for the template
                    14a. question pages: the link-preview picture's URL and text (→ _Build.previews)
                    14b. practice: "练一练" on question pages; on the practice page the cards, each
                        checked like 16, and the glyphs their formulas use (overrides/partials/practice.html)
                    15. formulas: MathJax's SVG into each, from _Build.formulas (after search
                        read the page)
                    16. sanitise: the page's HTML through nh3's allowlist must come out unchanged
                        (→ _Build.problems)
  on_post_page      (the page's output file ↔ its source, for messages)
  on_post_build     17. assets/glossary.json, assets/questions.json, MathJax's stylesheet,
                        the patched search worker, the Anki deck and CSV (assets/downloads/)
                    18. every built HTML file: no active markup anywhere in it (→ _Build.problems),
                        then its Content-Security-Policy; any problem of 4, 16 or 18 fails the
                        build, all of them listed with file and line
                    19. link-preview pictures, drawn or taken from .cache/og (macros/outputs/ogimage.py)
                    20. the offline service worker, listing site/ as published (macros/outputs/offline.py):
                        keep it last
  (`mkdocs serve` skips 19, and 20 writes a worker that removes an offline copy instead.)
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jieba
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_timestamp, get_relative_url

# MkDocs imports this file by its path, and nothing is pip-installed: put the
# checkout (the folder above macros/) on the import path so `macros.*` resolves.
_CHECKOUT = str(Path(__file__).resolve().parents[1])
if _CHECKOUT not in sys.path:
    sys.path.insert(0, _CHECKOUT)

from macros.data.bibliography import check_all_cited
from macros.data.errors import SourceError, first_errors
from macros.data.frontmatter import (
    QuestionMeta,
    Questions,
    check_cross_references,
    is_draft,
    register_question,
    validate_page,
)
from macros.data.glossary import abbreviation_definitions, links_json
from macros.data.redirects import load_redirects
from macros.data.sections import first_section, nav_sorted, question_index, section_titles
from macros.data.sitedata import SiteData, cited_keys, load_site_data
from macros.data.terms import check_terms
from macros.data.urls import relative_url
from macros.outputs import offline, ogimage
from macros.outputs.deck import APKG, CSV, apkg_bytes, csv_text, notes
from macros.outputs.practice import (
    PRACTICE_PAGE,
    Card,
    card_keys,
    glyph_ids,
    home_line,
    make_card,
    render_bank,
    scopes,
    shown_fragments,
    start_link,
)
from macros.stages import csp
from macros.stages.anatomy import check_short_answer
from macros.stages.html import parse, serialize
from macros.stages.pagehtml import answer_reveal, copy_buttons, focusable_terms, title_block
from macros.stages.sanitize import check_content, check_reserved
from macros.stages.search import index_words, patch_search_worker
from macros.tex import mathjax
from macros.tex.formulas import detach_tex, fill_formulas, formulas_as_tex, tex_errors
from macros.tex.mathscan import Formula, scan

GLOSSARY_JSON = "assets/glossary.json"
OG_IMAGES = "assets/og"
QUESTIONS_JSON = "assets/questions.json"
MATHJAX_CSS = "assets/stylesheets/mathjax.css"
WORKERS = "assets/javascripts/workers"


@dataclass
class _Build:
    """What one build learns page by page and needs again later."""

    data: SiteData | None = None
    mathjax: mathjax.Session | None = None
    formulas: dict[str, list[Formula]] = field(default_factory=dict)  # docs path → formulas, source order
    questions: Questions = field(default_factory=dict)  # id → (docs path, front matter)
    pages_by_id: dict[str, Page] = field(default_factory=dict)  # published question pages
    glossary_json: str = "{}"
    first_section: str = ""  # where "随机一题" leads from pages outside a section
    search_worker: tuple[str, str, str] = ("", "", "")  # material's file name, patched name, patched text
    problems: list[SourceError] = field(default_factory=list)  # unsafe output, reported together at the end
    sources: dict[str, str] = field(default_factory=dict)  # output file (under site/) → docs path
    serving: bool = False
    previews: dict[str, ogimage.Card] = field(default_factory=dict)  # picture file (under site/) → what it shows
    redirects: dict[str, str] = field(default_factory=dict)  # redirect_maps in mkdocs.yml, in move order
    cards: list[Card] = field(default_factory=list)  # practice cards, in nav order
    glyphs: dict[str, str] = field(default_factory=dict)  # MathJax glyph id → path, of every card's page
    practice_url: str = ""  # the practice page's site URL ("/practice/"), if it is built
    deck: tuple[bytes, str] = (b"", "")  # the Anki package and the CSV


_build = _Build()
_serving = False  # on_startup runs once, before on_config makes a new _Build


@contextmanager
def _source_errors() -> Iterator[None]:
    """Content errors (SourceError: file, line, message) stop the build as MkDocs errors."""
    try:
        yield
    except (SourceError, mathjax.MathJaxUnavailable) as exc:
        raise PluginError(str(exc)) from None


def _path(page: Page) -> str:
    return "docs/" + page.file.src_path


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def _collect(page: Page, check: Any, tree: Any) -> None:
    """Run an output check on a page's tree; its error joins the others, reported when the build ends."""
    try:
        check(tree, page.file.content_string, _path(page))
    except SourceError as exc:
        _build.problems.append(exc)


def on_config(config: Any) -> Any:
    global _build
    _build = _Build(serving=_serving)
    with _source_errors():
        # redirect_maps, checked; in move order (the practice cards' first-published ids)
        _build.redirects = load_redirects(Path(config["config_file_path"]).parent)
        _build.data = load_site_data(Path(config["docs_dir"]))
    workers = [p for d in config["theme"].dirs for p in sorted(Path(d, WORKERS).glob("search.*.min.js"))]
    if len(workers) != 1:
        raise PluginError(f"expected one search worker in the theme's {WORKERS}, found {workers}")
    try:
        text, name = patch_search_worker(workers[0].read_text("utf-8"), workers[0].name)
    except ValueError as exc:
        raise PluginError(str(exc)) from None
    _build.search_worker = (workers[0].name, name, text)
    return config


def on_pre_build(config: Any) -> None:
    _build.formulas.clear()
    _build.questions.clear()
    with _source_errors():
        _build.mathjax = mathjax.Session(Path(config["config_file_path"]).parent)


def on_files(files: Files, config: Any) -> Files:
    """Drafts: the same mechanism as mkdocs' ``draft_docs`` (shown by ``mkdocs serve``,
    left out of ``mkdocs build``), decided by front matter instead of a file pattern."""
    with _source_errors():
        for file in files.documentation_pages():
            if is_draft(file.content_string, "docs/" + file.src_path):
                file.inclusion = InclusionLevel.DRAFT
    return files


def on_nav(nav: Navigation, config: Any, files: Files) -> Navigation:
    """Drop excluded drafts from the navigation: mkdocs keeps a nav entry whose file is
    excluded, so every sidebar and the neighbours' footers would link to the draft."""

    def published(item: Any) -> bool:
        return not (item.is_page and item.file.inclusion.is_excluded())

    def prune(items: list[Any]) -> list[Any]:
        kept = []
        for item in items:
            if item.is_section:
                item.children = prune(item.children)
                if not item.children:
                    continue
            if published(item):
                kept.append(item)
        return kept

    nav.items = prune(nav.items)
    nav.pages = [page for page in nav.pages if published(page)]
    for i, page in enumerate(nav.pages):  # previous/next links in the footer skip the drafts
        page.previous_page = nav.pages[i - 1] if i else None
        page.next_page = nav.pages[i + 1] if i + 1 < len(nav.pages) else None
    return nav


def on_page_markdown(markdown: str, page: Page, config: Any, files: Any) -> str:
    assert _build.data is not None
    source, path = page.file.content_string, _path(page)
    with _source_errors():
        # 1. the page source
        meta = validate_page(source, page.file.src_path, parsed=page.meta)
        if isinstance(meta, QuestionMeta) and meta.status != "draft":
            check_short_answer(source, path)
        check_terms(source, path, _build.data.terms)
        if isinstance(meta, QuestionMeta):
            register_question(_build.questions, path, meta)
        # 2. formulas, typeset by Node while MkDocs goes on reading pages
        formulas = scan(source, path)
    _build.formulas[path] = formulas
    if _build.mathjax is not None:
        _build.mathjax.submit([(f.tex, f.display) for f in formulas])
    # 3. glossary
    return f"{markdown}\n\n{abbreviation_definitions(_build.data.glossary)}\n"


def on_page_content(content: str, page: Page, config: Any, files: Any) -> str:
    tree = parse(content)  # one tree for steps 4-9a, written out once
    _collect(page, check_reserved, tree)  # 4, before the stages add the site's own controls
    with _source_errors():
        detach_tex(tree, _build.formulas.get(_path(page), []), _path(page))  # 5
    focusable_terms(tree)  # 6
    title_block(tree, page.meta.get("aliases") or [])  # 7
    copy_buttons(tree)  # 8
    answer_reveal(tree)  # 9
    practice = files.get_file_from_path(PRACTICE_PAGE)
    if page.is_homepage and practice is not None:  # 9a
        here = _site_url(page)
        home_line(
            tree,
            relative_url("/" + practice.url, here),
            relative_url("/" + APKG, here),
            relative_url("/" + CSV, here),
        )
    return serialize(tree)


def on_env(env: Any, config: Any, files: Files) -> Any:
    assert _build.data is not None
    docs = Path(config["docs_dir"])
    bibliography = _build.data.bibliography
    with _source_errors():
        # 10. across pages
        check_all_cited(docs / "data" / "bibliography.yml", cited_keys(docs, _build.data), "docs/data/bibliography.yml")
        check_cross_references(_build.questions, lambda key: bibliography.get(key) is not None)
        # 11. MathJax's results
        if _build.mathjax is not None:
            _build.mathjax.finish()
            _build.mathjax = None
    errors = tex_errors(_build.formulas, mathjax.cached)
    if errors:
        raise PluginError("MathJax could not parse formulas:\n" + first_errors(errors))
    # 12. what the page contexts and the JSON files need: published pages only
    _build.pages_by_id = {
        f.page.meta["id"]: f.page for f in files.documentation_pages() if f.page is not None and f.page.meta.get("id")
    }

    def published(src_path: str) -> tuple[str, str] | None:
        target = files.get_file_from_path(src_path)
        if target is None or target.page is None:
            return None
        return target.url, str(target.page.meta.get("question") or target.page.title or "")

    glossary_page = files.get_file_from_path("glossary.md")
    _build.glossary_json = links_json(_build.data.glossary, published, glossary_page.url if glossary_page else None)
    _build.first_section = first_section(config["nav"])
    # 12a. practice cards, and the Anki deck and CSV made from them
    practice = files.get_file_from_path(PRACTICE_PAGE)
    _build.practice_url = "/" + practice.url if practice is not None and practice.page is not None else ""
    with _source_errors():
        _build.cards = _practice_cards(config)
    rows = notes(_build.cards, config["site_url"] or "")
    _build.deck = (apkg_bytes(rows, get_build_timestamp()), csv_text(rows))
    # 13. search (the search plugin segments each page in on_page_context, after this)
    aliases = (alias for _, meta in _build.questions.values() for alias in meta.aliases)
    for word in index_words(_build.data.terms, aliases):
        jieba.add_word(word)
    material, patched, _ = _build.search_worker
    env.globals["search_worker"] = {"material": material, "patched": patched}
    env.globals["offline_worker"] = "" if _build.serving else offline.WORKER
    return env


def on_page_context(context: dict[str, Any], page: Page, config: Any, nav: Any) -> dict[str, Any]:
    # 14. links to other questions (``related`` ids were checked in step 10)
    related = [_build.pages_by_id[i] for i in page.meta.get("related", []) if i in _build.pages_by_id]
    context["related_questions"] = [
        {
            "title": p.meta.get("question") or p.title,
            "url": get_relative_url(p.url, page.url),
            "difficulty": p.meta.get("difficulty"),
        }
        for p in related
    ]
    # "随机一题" fetches assets/questions.json when clicked; without JavaScript it opens a question list.
    context["questions_json"] = get_relative_url(QUESTIONS_JSON, page.url)
    context["question_index"] = get_relative_url(question_index(page.file.src_path, _build.first_section), page.url)
    context["og_image"] = _preview_picture(page, config)  # 14a
    # 14b. practice
    if _build.practice_url and page.meta.get("id") in _build.pages_by_id:
        context["practice_start"] = start_link(_site_url(page), _build.practice_url, page.file.src_path.split("/")[0])
    if page.file.src_path == PRACTICE_PAGE:
        context["practice"] = _practice_context(page)
    # 15. formulas (the search plugin has read the page text by now, without TeX)
    if page.content:
        tree = parse(page.content)  # one tree for steps 15 and 16
        with _source_errors():
            fill_formulas(tree, _build.formulas.get(_path(page), []), _path(page), mathjax.cached)
        _collect(page, check_content, tree)  # 16
        page.content = serialize(tree)
    return context


def _preview_picture(page: Page, config: Any) -> dict[str, Any] | None:
    """A question page's link-preview picture: its tags' values; what it shows → _Build.previews."""
    question, page_id, site_url = page.meta.get("question"), page.meta.get("id"), config.get("site_url")
    if not (question and page_id and site_url):
        return None
    section = page.parent.title if page.parent is not None and page.parent.title else ""
    rel = f"{OG_IMAGES}/{page_id}.png"
    _build.previews[rel] = ogimage.Card(str(question), section, config["site_name"], urlsplit(site_url).netloc)
    return {
        "url": site_url.rstrip("/") + "/" + rel,
        "width": ogimage.WIDTH,
        "height": ogimage.HEIGHT,
        "alt": f"{question}（{config['site_name']} · {section}）"
        if section
        else f"{question}（{config['site_name']}）",
    }


def _site_url(page: Page) -> str:
    return "/" + page.url


def _practice_cards(config: Any) -> list[Card]:
    """12a: every published question page as a card, in nav order (macros/outputs/practice.py)."""
    pages = nav_sorted(_build.pages_by_id.values(), config["nav"], lambda p: p.file.src_path)
    keys = card_keys((p.file.src_path for p in pages), _build.redirects)
    titles = section_titles(config["nav"])
    cards = []
    for page in pages:
        src, path = page.file.src_path, _path(page)
        if page.meta["id"] not in _build.questions or not page.content:
            continue
        formulas = _build.formulas.get(path, [])
        for f in formulas:
            _build.glyphs.update(mathjax.cached((f.tex, f.display)).glyphs)
        svg, tex = parse(page.content), parse(page.content)
        fill_formulas(svg, formulas, path, mathjax.cached)
        formulas_as_tex(tex, formulas, path)
        meta = _build.questions[page.meta["id"]][1]
        cards.append(make_card(keys[src], src, meta, titles.get(src.split("/")[0], ""), svg, tex, path))
    return cards


def _practice_context(page: Page) -> dict[str, Any]:
    """14b: what overrides/partials/practice.html shows. Each card's HTML, as this page shows
    it, passes the sanitiser's check (16) at its own page's file and line."""
    here = _site_url(page)
    shown = []
    for card in _build.cards:
        source = _build.pages_by_id[card.id]
        for fragment in shown_fragments(card, here):
            shown.append(fragment)
            try:
                check_content(parse(fragment), source.file.content_string, _path(source))
            except SourceError as exc:
                _build.problems.append(exc)
    needed = {gid: _build.glyphs[gid] for gid in glyph_ids(shown) if gid in _build.glyphs}
    return {
        "count": len(_build.cards),
        "scopes": scopes(_build.cards),
        "bank": render_bank(_build.cards, here),
        "glyphs": mathjax.glyph_defs([mathjax.Typeset(None, None, needed)]),
        "deck": relative_url("/" + APKG, here),
        "csv": relative_url("/" + CSV, here),
        "deck_kb": max(1, round(len(_build.deck[0]) / 1024)),
    }


def on_post_page(output: str, page: Page, config: Any) -> str:
    _build.sources[page.file.dest_path] = _path(page)
    return output


def on_post_build(config: Any) -> None:
    # 17. files the pages fetch
    site = Path(config["site_dir"])
    questions = sorted(p.url for p in _build.pages_by_id.values())
    _, worker_name, worker_text = _build.search_worker
    for rel, text in (
        (GLOSSARY_JSON, _build.glossary_json),
        (QUESTIONS_JSON, json.dumps(questions, ensure_ascii=False)),
        (MATHJAX_CSS, mathjax.stylesheet(Path(config["config_file_path"]).parent)),
        (f"{WORKERS}/{worker_name}", worker_text),
    ):
        out = site / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    apkg, table = _build.deck
    (site / APKG).parent.mkdir(parents=True, exist_ok=True)
    (site / APKG).write_bytes(apkg)
    (site / CSV).write_bytes(table.encode("utf-8"))
    # 18. every HTML file, the theme's parts and the redirect pages included
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        page = file.read_text(encoding="utf-8")
        where = _build.sources.get(rel, f"{config['site_dir']}/{rel}")
        if not any(p.path == where for p in _build.problems):  # a page's content problems say more
            _build.problems += [SourceError(where, None, problem) for problem in csp.page_problems(page)]
        file.write_text(csp.add_policy(page, serving=_build.serving), encoding="utf-8")
    if _build.problems:
        raise PluginError("unsafe output, nothing may be published:\n" + first_errors(_build.problems, limit=200))
    if _build.serving:  # no pictures; a worker that removes an offline copy left on this address
        offline.write_retired_worker(site)
    else:
        _draw_pictures(config, site)  # 19
        offline.write_worker(site, worker_name)  # 20: every file in site/ is final now


def _draw_pictures(config: Any, site: Path) -> None:
    """Step 19: each question's link-preview picture, from a cache keyed by what it shows
    (shared by project copies: scripts/project.py sets OG_CACHE_DIR)."""
    cache = Path(os.environ.get("OG_CACHE_DIR") or Path(config["config_file_path"]).parent / ".cache" / "og")
    try:
        for rel, card in sorted(_build.previews.items()):
            ogimage.render(card, site / rel, cache)
    except ogimage.FontMissing as exc:
        raise PluginError(str(exc)) from None
