"""Hide formulas and code from Jinja while mkdocs-macros renders a page.

With default settings mkdocs-macros renders the whole page through Jinja, so
``$x^{{2}}$`` silently becomes ``$x^2$``. We swap every formula and code region for
an opaque placeholder before rendering (``on_pre_page_macros``) and put the exact
original text back afterwards (``on_post_page_macros``). Placeholders keep the
region's newlines so Jinja's error line numbers still match the file; the newlines
sit inside the placeholder, never at its end, because Jinja drops a template's
last newline (a fenced block at the end of a page would otherwise lose its
placeholder's newline, and with it the whole block). A placeholder that does not
come back is an error, never a silent loss.
"""

from __future__ import annotations

from macros.data.errors import SourceError
from macros.tex.mathscan import code_spans, scan

OPEN, CLOSE = "\ue000", "\ue001"  # private-use characters: never in real content


def protect(markdown: str, path: str, line_offset: int = 0) -> tuple[str, dict[str, str]]:
    """Return the markdown with placeholders, and the placeholder → original map."""
    spans = code_spans(markdown) + [(f.start, f.end) for f in scan(markdown, path, line_offset)]
    spans.sort()
    saved: dict[str, str] = {}
    parts, last = [], 0
    for n, (a, b) in enumerate(spans):
        if a < last:  # nested in a region already protected
            continue
        original = markdown[a:b]
        token = f"{OPEN}{n}" + "\n" * original.count("\n") + CLOSE
        saved[token] = original
        parts += [markdown[last:a], token]
        last = b
    parts.append(markdown[last:])
    return "".join(parts), saved


def restore(markdown: str, saved: dict[str, str], path: str) -> str:
    """Put the protected regions back, exactly; every one of them, or an error."""
    # Tokens end with CLOSE, so token 1 can never match inside token 12.
    for token, original in saved.items():
        if token not in markdown:
            raise SourceError(path, None, f"a formula or code block was lost while rendering macros: {original[:60]!r}")
        markdown = markdown.replace(token, original)
    return markdown
