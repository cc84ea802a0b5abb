"""What a page publishes is checked as HTML, the way a reader's browser will parse it.

Contributors write Markdown; readers receive HTML. Many paths turn Markdown into
active markup without a single raw tag in the source (attribute lists, link and
image forms, entities, formulas), so the guards judge the rendered page:

* :func:`check_reserved` reads a page's HTML as Markdown and the macros wrote it,
  before the build's own stages add their controls: content may not set an id,
  class or attribute that the theme's or the site's JavaScript looks up.
* :func:`check_content` runs last, with the formulas' SVG in place: the page's HTML
  goes through nh3 (Ammonia: html5ever parses as browsers do) with the allowlist
  below. If sanitising would change anything, the build fails naming the source
  file, the line the offending text can be traced to, and the tag, attribute or
  URL; nothing is stripped silently. nh3 says *what* it keeps, not what it drops,
  so its output is parsed by selectolax (lexbor, an HTML5 parser too) and compared
  node by node with the page's own tree to find the first difference. The bytes
  readers receive are parsed again at the end of the build, whole page and theme
  included (macros/stages/csp.py, ``page_problems``): no active markup may appear there.

The allowlist holds what Markdown, the enabled extensions (mkdocs.yml), the macros,
the HTML stages and MathJax (SVG with MathML for screen readers) emit; nothing else.
URLs: ``#fragments``, same-site relative links and images, ``https:`` links.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

import nh3
from selectolax.lexbor import LexborNode

from macros.data.errors import SourceError
from macros.stages.html import Tree, body, parse, serialize
from macros.tex.mathscan import front_matter_length

# ── The allowlist ──────────────────────────────────────────────────────────
_MARKDOWN = (
    # Python-Markdown and the extensions enabled in mkdocs.yml (abbr, admonition, def_list,
    # footnotes, md_in_html, tables, toc, pymdownx.details/highlight/inlinehilite/superfences)
    "a abbr b blockquote br caption code dd del details div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img"
    " ins kbd li mark ol p pre s small span strong sub summary sup table tbody td tfoot th thead tr u ul"
)
_STAGES = "button"  # copy-link, interview toggle and "显示答案" (macros/stages/pagehtml.py)
_SVG = "svg g path use defs rect line text title desc"  # MathJax's SVG and the mask figures (macros/outputs/masks.py)
_MATHML = (
    "math mi mn mo ms mtext mspace mrow mfrac msqrt mroot mstyle merror mpadded mphantom menclose msub msup"
    " msubsup munder mover munderover mmultiscripts mprescripts none mtable mtr mtd mlabeledtr semantics annotation"
)
_MATHJAX = "mjx-container mjx-assistive-mml"
TAGS = frozenset(f"{_MARKDOWN} {_STAGES} {_SVG} {_MATHML} {_MATHJAX}".split())

GLOBAL_ATTRS = frozenset(
    "class id title lang tabindex role hidden aria-hidden aria-label aria-labelledby aria-describedby".split()
)
# MathML presentation attributes (MathML Core and what MathJax writes), on every MathML element.
_MATHML_ATTRS = (
    "display xmlns mathvariant mathcolor mathbackground mathsize displaystyle scriptlevel fence separator stretchy"
    " symmetric largeop movablelimits accent accentunder lspace rspace minsize maxsize form linethickness numalign"
    " denomalign bevelled notation width height depth voffset columnalign columnspacing columnlines rowalign"
    " rowspacing rowlines frame framespacing equalrows equalcolumns side minlabelspacing columnspan rowspan align"
    " encoding"
)
# SVG geometry and presentation attributes that MathJax and macros/outputs/masks.py write.
# Ammonia matches a namespaced attribute by its local name: "xlink" is xmlns:xlink,
# and "href" on <use> covers xlink:href.
_SVG_ATTRS = (
    "xmlns xlink viewBox width height x y x1 y1 x2 y2 d transform fill stroke stroke-width stroke-dasharray"
    " focusable text-anchor font-family font-size font-style font-weight"
)
ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "name", "rel"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "data-search-exclude"},
    "td": {"colspan", "rowspan", "align", "data-label"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "details": {"open"},
    "div": {"data-tex", "data-table", "data-families", "data-fields", "data-search-exclude"},
    "span": {"data-tex", "data-difficulty"},
    "figure": {"data-mask", "data-n", "data-k", "data-search-exclude"},
    "button": {"type", "aria-pressed"},
    "use": {"href", "data-c"},
    "g": {"data-mml-node", "data-c", "data-mjx-texclass"},
    "rect": {"data-i", "data-j", "data-allowed", "data-block"},
    "text": {"data-variant"},
    "mjx-container": {"jax", "display", "width"},
    "mjx-assistive-mml": {"display", "unselectable"},
}
for _tag in _SVG.split():
    ATTRIBUTES.setdefault(_tag, set()).update(_SVG_ATTRS.split())
for _tag in _MATHML.split():
    ATTRIBUTES.setdefault(_tag, set()).update(_MATHML_ATTRS.split())
ATTRIBUTES["*"] = set(GLOBAL_ATTRS)
GENERIC_PREFIXES = {"data-mjx-"}  # MathJax's own bookkeeping on MathML and SVG nodes
URL_SCHEMES = {"https"}

# ── Names the theme and the site's scripts look up ─────────────────────────
# material: ids "__…" (its toggles and drawers; pymdownx.highlight's line anchors are
# the one "__" id that content renders), classes "md-…", attributes "data-md-…".
# The site: the classes and attributes that docs/assets/javascripts/handbook.js,
# the HTML stages and the templates use (tests/test_safety.py derives handbook.js's
# selectors and checks that each is listed here).
SITE_CLASSES = frozenset(
    "copy-link interview-controls interview-toggle interview-reveal page-aliases random-question glossary-tip"
    " question-links related-questions question-meta"
    " practice-home practice-due practice-card__answer practice-card__follow-up".split()  # practice.js
)
SITE_ATTRIBUTES = frozenset(
    "data-questions data-copied data-interview data-handbook-palette"
    " data-practice data-card data-grade data-stat".split()  # practice.js
)
_HIGHLIGHT_ID = re.compile(r"__codelineno-\d+-\d+$")


class Problem(ValueError):
    """One thing the allowlist refuses, with the text to look for in the source."""

    def __init__(self, message: str, *needles: str) -> None:
        super().__init__(message)
        self.needles = [n for n in needles if n]


def _url_problem(tag: str, attr: str, value: str) -> str | None:
    """Why a URL is refused, or None. Browsers drop ASCII whitespace and control
    characters inside a scheme and read ``\\`` as ``/``; so does this check."""
    url = re.sub(r"[\x00-\x20\x7f]", "", value).replace("\\", "/")
    if url.startswith("#"):
        return None
    if tag == "use":  # MathJax's glyphs: fragments only
        return "SVG <use> may only point inside the page (#…)"
    scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    foreign = url.startswith("//") or scheme is not None
    if tag == "img" and foreign:
        return "images must be served by the site itself (a relative path)"
    if scheme and scheme.group(1).lower() not in URL_SCHEMES:
        return f"{scheme.group(1).lower()}: URLs are not allowed (links: relative, #fragment or https:)"
    if url.startswith("//"):
        return "links to another host must say https:"
    return None


def _attribute_filter(problems: list[Problem]) -> Callable[[str, str, str], str | None]:
    def keep(tag: str, attr: str, value: str) -> str | None:
        if attr in ("href", "xlink:href", "src"):
            why = _url_problem(tag, attr, value)
            if why:
                problems.append(Problem(f"<{tag} {attr}={value!r}>: {why}", value, value.rpartition(":")[2]))
                return None
        return value

    return keep


def _events(tree: Tree) -> list[tuple[str, ...]]:
    """The parsed tree as a list: one entry per element (tag, sorted attributes) or text."""
    top = body(tree)
    out: list[tuple[str, ...]] = []
    for node in top.traverse(include_text=True):
        if node is top or node.is_comment_node:
            continue
        if node.tag == "-text":
            out.append(("#text", node.text_content or ""))
        else:
            attrs = tuple(sorted(f"{k}={v or ''}" for k, v in node.attributes.items()))
            out.append((node.tag or "", *attrs))
    return out


def _first_difference(before: list[tuple[str, ...]], after: list[tuple[str, ...]]) -> Problem | None:
    for i, event in enumerate(before):
        kept = after[i] if i < len(after) else None
        if event == kept:
            continue
        tag = event[0]
        if tag == "#text":
            return Problem(f"text changed by the sanitiser: {event[1][:60]!r}", event[1].strip()[:20])
        if kept is None or kept[0] != tag:
            attrs = [a.split("=", 1)[0] for a in event[1:]]
            return Problem(f"<{tag}> is not allowed in pages", f"<{tag}", *(f"{a}=" for a in attrs))
        dropped = [a for a in event[1:] if a not in kept[1:]]
        name, _, value = dropped[0].partition("=")
        why = "attribute not allowed on this element"
        if name.startswith("on"):
            why = "event handlers are not allowed"
        elif name in ("href", "xlink:href", "src"):  # nh3 drops a URL with another scheme before any filter
            why = _url_problem(tag, name, value) or why
        return Problem(f"<{tag} {name}={value[:60]!r}>: {why}", value, value.rpartition(":")[2], name)
    if len(after) > len(before):
        return Problem(f"the sanitiser added {after[len(before)]!r}")
    return None


def trace_line(source: str, needles: Iterable[str]) -> int | None:
    """The first line of the page's body (after front matter) that contains one of
    ``needles``, tried in order: where a problem in the HTML can be traced to."""
    start = front_matter_length(source)
    body = source[start:]
    offset = source.count("\n", 0, start)
    for needle in needles:
        needle = needle.strip()
        if len(needle) < 2:
            continue
        for candidate in (needle, html.escape(needle, quote=False)):
            at = body.find(candidate)
            if at >= 0:
                return offset + body.count("\n", 0, at) + 1
    return None


def _error(path: str, source: str, problem: Problem) -> SourceError:
    return SourceError(path, trace_line(source, problem.needles), str(problem))


def clean(fragment: str, problems: list[Problem] | None = None) -> str:
    """The fragment as nh3 publishes it with the site's allowlist."""
    return nh3.clean(
        fragment,
        tags=set(TAGS),
        attributes=ATTRIBUTES,
        generic_attribute_prefixes=GENERIC_PREFIXES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_attribute_filter(problems if problems is not None else []),
        strip_comments=False,
        link_rel=None,
    )


def check_content(tree: Tree, source: str, path: str) -> None:
    """Raise :class:`SourceError` if sanitising the page's HTML would change it."""
    problems: list[Problem] = []
    tree.merge_text_nodes()  # as a parser reads the HTML: stage edits may leave text split in two
    cleaned = clean(serialize(tree), problems)
    difference = _first_difference(_events(tree), _events(parse(cleaned)))
    problem = problems[0] if problems else difference
    if problem is not None:
        raise _error(path, source, problem)


def _reserved(node: LexborNode) -> Problem | None:
    attrs = node.attributes
    ident = attrs.get("id") or ""
    if ident.startswith("__") and not _HIGHLIGHT_ID.match(ident):
        return Problem(f'id "{ident}": ids starting with "__" belong to the theme', ident)
    for cls in (attrs.get("class") or "").split():
        if cls.startswith("md-") or cls in SITE_CLASSES:
            return Problem(f'class "{cls}" is reserved for the theme and the site\'s scripts', cls)
    for name in attrs:
        if name.startswith("data-md-") or name in SITE_ATTRIBUTES:
            return Problem(f'attribute "{name}" is reserved for the theme and the site\'s scripts', name)
    return None


def check_reserved(tree: Tree, source: str, path: str) -> None:
    """Raise :class:`SourceError` at the first element that uses a reserved name."""
    for node in body(tree).traverse():
        problem = _reserved(node)
        if problem:
            raise _error(path, source, problem)
