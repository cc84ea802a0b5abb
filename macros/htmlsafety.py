"""Content must not run code in readers' browsers.

Pages are Markdown written by contributors; raw ``<script>``, event-handler
attributes (``onclick=`` …) and ``javascript:`` URLs are refused with file and line.
Code blocks and inline code are ignored (they may show such things as text).
"""

from __future__ import annotations

import re

from .errors import SourceError
from .mathscan import code_spans, mask_spans

FORBIDDEN = [
    (re.compile(r"<\s*script\b", re.I), "raw <script> is not allowed in pages"),
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S), "event-handler attributes (on…=) are not allowed in pages"),
    (re.compile(r"javascript\s*:", re.I), "javascript: URLs are not allowed in pages"),
    (re.compile(r"<\s*(iframe|object|embed)\b", re.I), "embedded <iframe>/<object>/<embed> is not allowed in pages"),
]


def check_source(source: str, path: str) -> None:
    """Raise :class:`SourceError` at the first forbidden construct outside code."""
    masked = mask_spans(source, code_spans(source))
    for pattern, message in FORBIDDEN:
        m = pattern.search(masked)
        if m:
            raise SourceError(path, source.count("\n", 0, m.start()) + 1, message)
