"""Find the formulas in a Markdown source, with their line numbers.

This mirrors what pymdownx.arithmatex (generic mode, ``$…$`` inline and ``$$…$$``
blocks only) will see, so that the build and the tests can

* report a malformed formula as ``file:line`` before Markdown swallows it
  (an unclosed ``$$`` otherwise becomes stray text, silently);
* check that the TeX which reaches the page equals the TeX in the source.

The inline pattern is arithmatex's own (imported, not copied). What we add by hand
is the block structure: fenced code, inline code and paragraph boundaries, which
arithmatex gets from Python-Markdown's parser and which has no standalone API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pymdownx.arithmatex import RE_SMART_DOLLAR_INLINE

from macros.data.errors import SourceError

INLINE = re.compile(RE_SMART_DOLLAR_INLINE)
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")
# A closing fence has nothing after it but spaces (```python opens a block, never closes one).
CLOSING_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})[ \t]*$")
INLINE_CODE = re.compile(r"(?<!`)(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)")
DISPLAY = re.compile(r"\A\$\$(?P<tex>.+?)\$\$[ ]*\Z", re.S)
LONE_DOLLAR = re.compile(r"(?<!\\)\$")
# Lines that are blocks of their own even without blank lines around them:
# admonition / details headers and ATX headings.
OWN_BLOCK = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?|#{1,6}[ \t])")
# TeX commands that make MathJax write links, styles, classes, ids or data attributes,
# raw Unicode glyph tricks, tooltips, or load code: the html, unicode, bbox, action
# and require packages (macros/tex/tex2svg.mjs leaves them out too) and base's \mmlToken,
# which sets any MathML attribute. A formula is mathematics, never markup.
FORBIDDEN_TEX = re.compile(
    r"\\(href|style|class|cssId|data|unicode|require|mmlToken|bbox|texttip|mathtip|toggle|fragileBox)(?![A-Za-z])"
)


@dataclass(frozen=True)
class Formula:
    """One formula as written in the source."""

    tex: str
    display: bool
    line: int  # 1-based line in the scanned text (plus the caller's offset)
    start: int  # character offsets of the whole formula, delimiters included
    end: int


def _blank(text: str) -> str:
    """Same length, same newlines, no content: keeps offsets and line numbers valid."""
    return re.sub(r"[^\n]", " ", text)


def front_matter_length(text: str) -> int:
    """Characters taken by a leading YAML front matter block (0 if none)."""
    m = re.match(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", text, re.S)
    return m.end() if m else 0


def fenced_blocks(text: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks: from a line opening with ``` or ~~~ to the line closing
    it with the same character, at least as many times (CommonMark); unclosed runs to the end."""
    spans: list[tuple[int, int]] = []
    pos, open_fence, open_start = 0, "", 0
    for line in text.splitlines(keepends=True):
        m = (CLOSING_FENCE if open_fence else FENCE).match(line.rstrip("\r\n"))
        if open_fence:
            if m and m.group("fence")[0] == open_fence[0] and len(m.group("fence")) >= len(open_fence):
                spans.append((open_start, pos + len(line)))
                open_fence = ""
        elif m:
            open_fence, open_start = m.group("fence"), pos
        pos += len(line)
    if open_fence:
        spans.append((open_start, len(text)))
    return spans


def code_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks and inline code spans (math is not parsed there)."""
    spans = fenced_blocks(text)
    masked = mask_spans(text, spans)
    spans += [(m.start(), m.end()) for m in INLINE_CODE.finditer(masked)]
    return sorted(spans)


def mask_spans(text: str, spans: list[tuple[int, int]]) -> str:
    parts, last = [], 0
    for a, b in sorted(spans):
        parts += [text[last:a], _blank(text[a:b])]
        last = b
    return "".join(parts) + text[last:]


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each run of non-blank lines."""
    out, start, pos = [], None, 0
    for line in text.splitlines(keepends=True):
        if OWN_BLOCK.match(line):
            if start is not None:
                out.append((start, text[start:pos]))
            out.append((pos, line))
            start = None
        elif line.strip():
            if start is None:
                start = pos
        elif start is not None:
            out.append((start, text[start:pos]))
            start = None
        pos += len(line)
    if start is not None:
        out.append((start, text[start:]))
    return out


def _dedent(block: str) -> str:
    lines = block.rstrip("\n").split("\n")
    indent = min(len(ln) - len(ln.lstrip()) for ln in lines if ln.strip())
    return "\n".join(ln[indent:] for ln in lines)


def scan(text: str, path: str, line_offset: int = 0) -> list[Formula]:
    """All formulas in ``text``; raise :class:`SourceError` for malformed math."""
    fm = front_matter_length(text)
    body = text[fm:]
    masked = _blank(text[:fm]) + mask_spans(body, code_spans(body))  # same offsets as `text`

    def line_at(offset: int) -> int:
        return text.count("\n", 0, offset) + 1 + line_offset

    formulas: list[Formula] = []
    for start, para in _paragraphs(masked):
        stripped = para.strip()
        if stripped.startswith("$$"):
            m = DISPLAY.match(_dedent(para))
            if not m:
                raise SourceError(
                    path,
                    line_at(start),
                    "display formula: '$$' must open and close a paragraph of its own "
                    "(closing '$$' missing, or no blank line before the text that follows)",
                )
            tex = m.group("tex")
            formulas.append(Formula(tex.strip(), True, line_at(start), start, start + len(para)))
            lead = len(tex) - len(tex.lstrip())
            _check_commands(tex.lstrip(), line_at(start) + tex.count("\n", 0, lead), path)
            continue
        if "$$" in para:
            at = start + para.index("$$")
            raise SourceError(
                path, line_at(at), "'$$' inside a paragraph: display formulas need blank lines around them"
            )
        last = 0
        for m in INLINE.finditer(para):
            if m.group(2):
                gap = para[last : m.start()]
                if lone := LONE_DOLLAR.search(gap):
                    raise SourceError(
                        path,
                        line_at(start + last + lone.start()),
                        "unpaired '$' (write \\$ for a dollar sign)",
                    )
                formulas.append(
                    Formula(m.group(3), False, line_at(start + m.start()), start + m.start(), start + m.end())
                )
                _check_commands(m.group(3), formulas[-1].line, path)
                last = m.end()
        tail = para[last:]
        bad = LONE_DOLLAR.search(tail)
        if bad:
            raise SourceError(path, line_at(start + last + bad.start()), "unpaired '$' (write \\$ for a dollar sign)")
    return formulas


def _check_commands(tex: str, line: int, path: str) -> None:
    """``line``: the line of ``tex``'s first character."""
    bad = FORBIDDEN_TEX.search(tex)
    if bad:
        raise SourceError(
            path,
            line + tex.count("\n", 0, bad.start()),
            f"TeX command \\{bad.group(1)} is not allowed: formulas may not carry links, styles, classes, ids or"
            " HTML (write the link in the text next to the formula)",
        )
