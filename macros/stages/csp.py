"""The Content-Security-Policy of every built page, and a last look at each page as a whole.

GitHub Pages sends no custom headers, so the policy travels in the page:
``<meta http-equiv="Content-Security-Policy">``, first thing after ``<meta charset>``.
Everything the site loads is its own (no CDN, no web fonts, no third-party API),
so every fetch directive is ``'self'``; ``data:`` images are material's icons,
which its stylesheet inlines. Inline scripts run only if their SHA-256 is listed:
the theme's and the site's templates write a few (material's palette and scope,
the lazy search index, the palette toggle; mkdocs-redirects' redirect pages), and
their hashes are computed from the built page itself. Content never carries a
script (macros/stages/sanitize.py refuses it); if one got into a page by any other road,
the browser blocks it because its hash is not listed.

:func:`page_problems` judges the whole built page, template parts included
(title, description, navigation, table of contents): no event handler, no
script-capable URL, no script inside the article.
"""

from __future__ import annotations

import base64
import hashlib
import re

from selectolax.lexbor import LexborHTMLParser

DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",  # plus the hashes of the page's own inline scripts
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "media-src": "'self'",
    "frame-src": "'none'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
# `mkdocs serve` injects its live-reload script inline, with a new number on every
# reload, so no hash can list it: while serving, inline scripts are allowed. What
# is built and published (`mkdocs build`) never has this.
SERVE_SCRIPT_SRC = "'self' 'unsafe-inline'"

_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
_URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data")
_SCRIPT_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.I)
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def inline_scripts(page: str) -> list[str]:
    """The text of every inline script that a browser would run."""
    tree = LexborHTMLParser(page)
    return [
        node.text(deep=True)
        for node in tree.css("script")
        if "src" not in node.attributes and (node.attributes.get("type") or "").strip().lower() in _JS_TYPES
    ]


def policy(page: str, serving: bool = False) -> str:
    directives = dict(DIRECTIVES)
    if serving:
        directives["script-src"] = SERVE_SCRIPT_SRC
    else:
        hashes = sorted({_sha256(s) for s in inline_scripts(page)})
        directives["script-src"] = " ".join(["'self'", *hashes])
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def add_policy(page: str, serving: bool = False) -> str:
    """The page with its policy as the first element after ``<meta charset>``."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(page, serving)}">'
    charset = _CHARSET.search(page)
    if charset is None:  # redirect pages and other bare templates: first thing in <head>
        return re.sub(r"<head>", lambda m: m.group(0) + meta, page, count=1, flags=re.I)
    return page[: charset.end()] + meta + page[charset.end() :]


def page_problems(page: str) -> list[str]:
    """Active markup anywhere in a built page: what no template or stage writes."""
    tree = LexborHTMLParser(page)
    problems = []
    for node in tree.root.traverse() if tree.root else []:
        for name, value in node.attributes.items():
            if name.lower().startswith("on"):
                problems.append(f"<{node.tag} {name}>: event handler")
            elif name.lower() in _URL_ATTRS and value and _SCRIPT_SCHEME.match(re.sub(r"[\x00-\x20\x7f]", "", value)):
                problems.append(f"<{node.tag} {name}={value[:40]!r}>: script-capable URL")
    problems += [f"<script> inside the article: {s[:40]!r}" for s in _article_scripts(tree)]
    return problems


def _article_scripts(tree: LexborHTMLParser) -> list[str]:
    return [node.text(deep=True) for node in tree.css("article script")]
