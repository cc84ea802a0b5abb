"""Raw HTML in pages: an allowlist, so content can never run code, restyle the site,
collect input or load anything from another host.

Pages are Markdown written by contributors. Outside code and formulas, every raw
HTML tag must be one of ``ALLOWED_TAGS`` with attributes from ``ALLOWED_ATTRS``;
links may not use ``javascript:`` or ``data:``; images (HTML or Markdown) must come
from the site itself. Anything else is refused with file and line. The tags are
read by the standard library's HTML parser, not by patterns.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from .errors import SourceError
from .mathscan import code_spans, front_matter_length, mask_spans, scan

# What Markdown pages may need that Markdown itself does not write: line breaks,
# sub/superscripts, keyboard keys, and md_in_html containers.
ALLOWED_TAGS = frozenset(
    "a abbr b br code del details div em figcaption figure i img ins kbd mark p small span strong sub summary sup"
    " table tbody td th thead tr u".split()
)
ALLOWED_ATTRS = frozenset("alt class colspan href id lang markdown rowspan src title width height".split())
BAD_SCHEMES = ("javascript", "data", "vbscript")
# Markdown images: ![alt](src …)
MD_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
MD_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)")


def _scheme(url: str) -> str:
    return urlsplit(url.strip()).scheme.lower()


def _foreign(url: str) -> bool:
    """True for a URL on another host (``https://…``, ``//…``)."""
    parts = urlsplit(url.strip())
    return bool(parts.scheme or parts.netloc)


class _TagReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag not in ALLOWED_TAGS:
            self.problems.append(
                (line, f"raw <{tag}> is not allowed in pages (allowed: {', '.join(sorted(ALLOWED_TAGS))})")
            )
            return
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(
                    (line, f"event-handler attributes (on…=) are not allowed in pages: <{tag} {name}>")
                )
            elif name not in ALLOWED_ATTRS:
                self.problems.append((line, f"attribute '{name}' is not allowed on <{tag}> in pages"))
            elif name in ("href", "src") and value and _scheme(value) in BAD_SCHEMES:
                self.problems.append((line, f"{_scheme(value)}: URLs are not allowed in pages"))
            elif name == "src" and value and _foreign(value):
                self.problems.append((line, f"images must be served by the site itself, not {value}"))

    handle_startendtag = handle_starttag


def check_source(source: str, path: str) -> None:
    """Raise :class:`SourceError` at the first construct outside the allowlist."""
    fm = front_matter_length(source)
    spans = [(f.start, f.end) for f in scan(source, path)] + [(fm + a, fm + b) for a, b in code_spans(source[fm:])]
    masked = mask_spans(source[:fm], [(0, fm)]) + mask_spans(source, spans)[fm:]
    reader = _TagReader()
    reader.feed(masked)
    reader.close()
    problems = list(reader.problems)
    for m in MD_IMAGE.finditer(masked):
        url = m.group(1)
        if _foreign(url) or _scheme(url) in BAD_SCHEMES:
            problems.append(
                (masked.count("\n", 0, m.start()) + 1, f"images must be served by the site itself, not {url}")
            )
    for m in MD_LINK.finditer(masked):
        if _scheme(m.group(1)) in BAD_SCHEMES:
            problems.append(
                (masked.count("\n", 0, m.start()) + 1, f"{_scheme(m.group(1))}: URLs are not allowed in pages")
            )
    if problems:
        line, message = min(problems)
        raise SourceError(path, line, message)
