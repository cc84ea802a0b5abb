"""Practice mode: every published question as a flash card, taken from its own page.

A card is a question page's ``question`` (front matter), its 30 秒回答 and its 常见追问,
cut out of the page's HTML after the HTML stages (macros/stages/pagehtml.py and the rest), so
an answer is never a second copy typed elsewhere: fix the page and the card follows.
The build cuts each page twice, with its formulas as MathJax's SVG (the practice page,
/practice/) and as TeX between ``\\( \\)`` / ``\\[ \\]`` (the Anki deck and the CSV,
macros/outputs/deck.py); both come from the build's own list of the page's formulas
(macros/tex/formulas.py).

**Identity.** Readers' progress (kept in their browser by
docs/assets/javascripts/practice.js) and the Anki notes' GUIDs are keyed by the card's
*key*: the ``id`` its page was first published under. A page moved with
scripts/move_page.py gets a new ``id`` and URL, but redirect_maps in mkdocs.yml keeps its
old path, and lists moves in the order they were made (each new move is appended, and
earlier entries are re-pointed at the page's new path: macros/data/redirects.py,
``with_move``). So the first old path that points at a page is where it began, and its
id is the key; a page never moved is keyed by its own id. A reworded question keeps its
id, hence its key.

**The practice page** (docs/practice.md, a site page) gets the cards as one
``<template>`` of ``<article data-card=…>`` elements (:func:`render_bank`), which
practice.js clones into the page one at a time, and the glyphs their formulas use
(:func:`glyph_ids`); the controls around them are the theme's
(overrides/partials/practice.html). Links inside a card are rewritten for the page
that shows it (:func:`rebase_links`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin

from selectolax.lexbor import LexborNode

from macros.data.errors import SourceError
from macros.data.frontmatter import QuestionMeta, expected_id, is_question_page
from macros.data.urls import relative_url, src_to_url
from macros.stages.anatomy import ANSWER_ANCHORS, SHORT_ANSWER_ID
from macros.stages.html import Tree, append, body, children, classes, insert_before, parse, serialize

PRACTICE_PAGE = "practice.md"  # docs/practice.md, served at /practice/
FOLLOW_UPS_ID = ANSWER_ANCHORS[3]  # "follow-ups"
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")
_GLYPH_REF = re.compile(r'href="#([^"]+)"')


@dataclass(frozen=True)
class FollowUp:
    question: str  # HTML: the <summary>'s content
    answer: str  # HTML: the rest of the follow-up's box


@dataclass(frozen=True)
class Card:
    """One question page as a card. HTML fragments link as they do on their own page."""

    key: str  # the id the page was first published under (see the module's docstring)
    id: str
    src_path: str  # under docs/
    url: str  # site URL, e.g. "/basics/why-decoder-only/"
    question: str  # plain text
    section: str  # the page's folder
    section_title: str
    tags: tuple[str, ...]
    difficulty: str
    answer: str  # formulas as SVG
    follow_ups: tuple[FollowUp, ...]
    answer_tex: str  # formulas as TeX
    follow_ups_tex: tuple[FollowUp, ...]


# ── Cutting a card out of its page ─────────────────────────────────────────


def _section(tree: Tree, h2_id: str) -> list[LexborNode] | None:
    """The nodes after the h2 with this id, up to the next h2 (None: no such h2)."""
    heading = tree.css_first(f'h2[id="{h2_id}"]')
    if heading is None:
        return None
    nodes = []
    node = heading.next
    while node is not None and node.tag != "h2":
        nodes.append(node)
        node = node.next
    return nodes


def _html(nodes: list[LexborNode]) -> str:
    return "".join(n.html or "" for n in nodes).strip()


def card_parts(tree: Tree, path: str) -> tuple[str, tuple[FollowUp, ...]]:
    """The 30 秒回答 and the 常见追问 of a question page's HTML (after the HTML stages).

    The answer is everything between its h2 and the next, without the "显示答案"
    button of interview mode; each follow-up is an outermost ``<details class="question">``
    of its section: the summary is the question, what follows it the answer."""
    answer = _section(tree, SHORT_ANSWER_ID)
    if answer is None:
        raise SourceError(path, None, f"practice cards: no 30 秒回答 section (h2 #{SHORT_ANSWER_ID}) in the HTML")
    answer = [n for n in answer if not (n.tag == "button" and "interview-reveal" in classes(n))]
    follow_ups: list[FollowUp] = []
    for top in _section(tree, FOLLOW_UPS_ID) or []:
        boxes = [top] if top.tag == "details" and "question" in classes(top) else top.css("details.question")
        for box in boxes:
            if any(a.tag == "details" and "question" in classes(a) for a in _ancestors(box, top)):
                continue  # a box inside another box belongs to that box's answer
            parts = list(children(box))
            summary = next((i for i, n in enumerate(parts) if n.tag == "summary"), None)
            if summary is None:
                raise SourceError(path, None, "practice cards: a 常见追问 box without its question (<summary>)")
            follow_ups.append(FollowUp((parts[summary].inner_html or "").strip(), _html(parts[summary + 1 :])))
    return _html(answer), tuple(follow_ups)


def _ancestors(node: LexborNode, top: LexborNode) -> Iterator[LexborNode]:
    """The node's ancestors up to and including ``top``."""
    while node is not top and node.parent is not None:
        node = node.parent
        yield node


def card_keys(src_paths: Iterable[str], redirects: Mapping[str, str]) -> dict[str, str]:
    """Each question page's card key (src path → key): the id of the first old path that
    redirect_maps (mkdocs.yml) points at the page, else the page's own id."""
    keys: dict[str, str] = {}
    owner: dict[str, str] = {}
    for src in src_paths:
        first = next(
            (old for old, new in redirects.items() if new == src and "#" not in old and is_question_page(old)), src
        )
        key = expected_id(first)
        if key in owner:
            raise SourceError(
                "mkdocs.yml",
                None,
                f"practice cards: docs/{src} and docs/{owner[key]} would share the card key '{key}' "
                "(an id was used again after its page moved)",
            )
        keys[src], owner[key] = key, src
    return keys


def make_card(
    key: str, src_path: str, meta: QuestionMeta, section_title: str, svg_page: Tree, tex_page: Tree, path: str
) -> Card:
    """A card from a page's front matter and its HTML twice: formulas as SVG, formulas as TeX."""
    answer, follow_ups = card_parts(svg_page, path)
    answer_tex, follow_ups_tex = card_parts(tex_page, path)
    section = src_path.split("/")[0]
    return Card(
        key=key,
        id=meta.id,
        src_path=src_path,
        url=src_to_url(src_path),
        question=meta.question,
        section=section,
        section_title=section_title or section,
        tags=tuple(meta.tags),
        difficulty=meta.difficulty,
        answer=answer,
        follow_ups=follow_ups,
        answer_tex=answer_tex,
        follow_ups_tex=follow_ups_tex,
    )


# ── Showing a card somewhere else ──────────────────────────────────────────


def rebase_links(fragment: str, page_url: str, to: Callable[[str], str]) -> str:
    """The fragment's links (``<a href>``), written on the page at ``page_url``, for another place:
    each relative link or ``#fragment`` is resolved to a site URL and passed through ``to``
    (e.g. :func:`macros.data.urls.relative_url` for another page, the site URL for the Anki deck).
    Links with a scheme (``https:``) are left alone."""
    tree = parse(fragment)
    for a in tree.css("a[href]"):
        href = a.attributes.get("href") or ""
        if href and not _SCHEME.match(href):
            a.attrs["href"] = to(urljoin(page_url, href))
    return serialize(tree)


def glyph_ids(fragments: Iterable[str]) -> set[str]:
    """The ids of the MathJax glyphs that the fragments' formulas draw (``<use href="#…">``)."""
    return {gid for fragment in fragments for gid in _GLYPH_REF.findall(fragment)}


def shown_fragments(card: Card, page_url: str) -> list[str]:
    """The card's HTML fragments as the page at ``page_url`` shows them: answer, then each
    follow-up's question and answer."""

    def rebased(fragment: str) -> str:
        return rebase_links(fragment, card.url, lambda target: relative_url(target, page_url))

    return [rebased(card.answer)] + [rebased(part) for f in card.follow_ups for part in (f.question, f.answer)]


def render_bank(cards: Sequence[Card], page_url: str) -> str:
    """The cards as the practice page carries them: one ``<article data-card>`` each, for practice.js."""
    out = []
    for card in cards:
        answer, *rest = shown_fragments(card, page_url)
        follow_ups = "".join(
            f'<div class="practice-card__follow-up"><p class="practice-card__follow-up-question">{q}</p>'
            f'<div class="practice-card__follow-up-answer">{a}</div></div>'
            for q, a in zip(rest[::2], rest[1::2], strict=True)
        )
        attrs = {
            "data-card": card.key,
            "data-section": card.section,
            "data-section-title": card.section_title,
            "data-tags": " ".join(card.tags),
            "data-difficulty": card.difficulty,
            "data-url": relative_url(card.url, page_url),
        }
        attr_text = "".join(f' {name}="{html.escape(value)}"' for name, value in attrs.items())
        out.append(
            f'<article class="practice-card"{attr_text}>'
            f'<h2 class="practice-card__question">{html.escape(card.question)}</h2>'
            f'<div class="practice-card__answer">{answer}</div>{follow_ups}</article>'
        )
    return "\n".join(out)


@dataclass(frozen=True)
class Scope:
    """One choice of the practice page's "范围" menu: a section, a tag or a difficulty."""

    kind: str  # "section", "tag" or "difficulty"
    key: str  # the folder, the tag, the difficulty
    label: str
    count: int

    @property
    def value(self) -> str:
        """How practice.js names it: ``section:basics``, ``tag:架构``, ``difficulty:基础``."""
        return f"{self.kind}:{self.key}"


DIFFICULTIES = ("基础", "进阶", "深入")


def scopes(cards: Sequence[Card]) -> dict[str, list[Scope]]:
    """The practice page's scope menu, by group: sections in nav order, tags from the most
    questions to the fewest, difficulties from 基础 to 深入; each with its number of cards."""

    def group(kind: str, values: Iterable[tuple[str, str]]) -> list[Scope]:
        counts: dict[tuple[str, str], int] = {}
        for value in values:
            counts[value] = counts.get(value, 0) + 1
        return [Scope(kind, key, label, n) for (key, label), n in counts.items()]

    tags = group("tag", ((t, t) for c in cards for t in c.tags))
    levels = sorted({c.difficulty for c in cards}, key=DIFFICULTIES.index)
    return {
        "栏目": group("section", ((c.section, c.section_title) for c in cards)),
        "标签": sorted(tags, key=lambda s: -s.count),
        "难度": group("difficulty", ((d, d) for d in levels for c in cards if c.difficulty == d)),
    }


def start_link(page_url: str, practice_url: str, section: str) -> str:
    """Where "练一练" leads from a question page: a session on the page's section."""
    return relative_url(practice_url, page_url) + "?section=" + section


HOME_CLASS = "practice-home"
DUE_CLASS = "practice-due"


def home_line(tree: Tree, practice: str, deck: str, table: str) -> None:
    """The home page's practice line, before its first h2 (links relative to the home page).
    practice.js writes the reader's due count into the hidden span when there is one."""
    line = (
        f'<p class="{HOME_CLASS}"><a href="{html.escape(practice)}">练习</a>：把每页的 30 秒回答当抽认卡，'
        f'按间隔重复复习<span class="{DUE_CLASS}" role="status" hidden></span>；'
        f'也可以下载 <a href="{html.escape(deck)}">Anki 卡组</a> 或 <a href="{html.escape(table)}">CSV 表格</a>。</p>'
    )
    h2 = tree.css_first("h2")
    if h2 is None:
        append(body(tree), line)
    else:
        insert_before(h2, line + "\n")
