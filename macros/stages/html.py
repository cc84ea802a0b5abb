"""Find elements in generated HTML with a real parser, and edit the HTML in place.

The HTML stages of the build (macros/stages/pagehtml.py, macros/tex/formulas.py) change a few
elements of a page and must leave every other byte alone: the site is compared
byte for byte before and after each refactoring (scripts/compare_builds.py), and
MathJax's SVG is case-sensitive (``viewBox``). Parsers that build a tree and
serialise it again (BeautifulSoup, lxml) rewrite untouched markup: attribute
quotes, entity forms, ``<br>`` versus ``<br/>``, and the case of SVG attributes
with ``html.parser``. So the standard library's tokenizer locates the elements,
with their offsets in the source, and edits are spliced into the original text.

It reads the HTML that Python-Markdown and its extensions write, which closes every
element it opens. Not handled, because that HTML never has them: elements whose end
tag HTML lets one leave out (``<p>``, ``<li>``: such an element is not found), and
``<div/>`` on a non-void element (taken as empty, where a browser opens it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

# Elements that never have an end tag (HTML's void elements).
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


@dataclass(frozen=True)
class Element:
    """One element, located in the text it was parsed from.

    ``text[start:inner_start]`` is its start tag, ``text[inner_start:inner_end]`` its
    content and ``text[inner_end:end]`` its end tag (empty for void and ``<x/>``).
    """

    tag: str
    attrs: dict[str, str | None]
    start: int
    inner_start: int
    inner_end: int
    end: int


Match = Callable[[str, dict[str, str | None]], bool]


class _Locator(HTMLParser):
    def __init__(self, text: str, match: Match) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.match = match
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.open: list[tuple[str, dict[str, str | None], int, int, bool]] = []
        self.found: list[Element] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        inner = start + len(self.get_starttag_text() or "")
        wanted = self.match(tag, dict(attrs))
        if tag in VOID:
            if wanted:
                self.found.append(Element(tag, dict(attrs), start, inner, inner, inner))
            return
        self.open.append((tag, dict(attrs), start, inner, wanted))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.match(tag, dict(attrs)):
            start = self._offset()
            end = start + len(self.get_starttag_text() or "")
            self.found.append(Element(tag, dict(attrs), start, end, end, end))

    def handle_endtag(self, tag: str) -> None:
        # Close the innermost open element of this name (and any left open inside it).
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                name, attrs, start, inner, wanted = self.open[i]
                del self.open[i:]
                if wanted:
                    inner_end = self._offset()
                    end = self.text.index(">", inner_end) + 1
                    self.found.append(Element(name, attrs, start, inner, inner_end, end))
                return


def find(text: str, match: Match) -> list[Element]:
    """The elements for which ``match(tag, attrs)`` is true, in document order."""
    locator = _Locator(text, match)
    locator.feed(text)
    locator.close()
    return sorted(locator.found, key=lambda e: e.start)


def first(text: str, match: Match) -> Element | None:
    found = find(text, match)
    return found[0] if found else None


Edit = tuple[int, int, str]  # replace text[start:end] with the string


def splice(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (insertions are edits with start == end)."""
    out: list[str] = []
    pos = 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < pos:
            raise ValueError(f"overlapping HTML edits at offset {start}")
        out += [text[pos:start], new]
        pos = end
    out.append(text[pos:])
    return "".join(out)
