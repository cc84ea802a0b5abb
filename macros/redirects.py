"""Moved pages keep their old URLs: ``docs/data/redirects.yml`` maps each old page
(path under docs/) to where it lives now, and a hook feeds the map to the
mkdocs-redirects plugin (by macros/hooks.py). scripts/move_page.py is the
only writer; this module is the one reader and the one writer of the format.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import Field, RootModel

from .errors import SourceError
from .validation import validate_located
from .yamlfile import load_yaml

REDIRECTS = Path("docs/data/redirects.yml")
MD_PATH = r"^[a-z0-9][a-z0-9/\-]*\.md(#[A-Za-z0-9_\-:]+)?$"
HEADER = """\
# Published URLs are permanent: each moved page's old path (under docs/) → its new
# path. Fed to the mkdocs-redirects plugin by macros/hooks.py. Written by
# scripts/move_page.py (never by hand); checked against docs/data/urls.yml by the tests.
"""


class Redirects(RootModel[dict[str, str]]):
    root: dict[str, str] = Field(default_factory=dict)


def load_redirects(project: Path) -> dict[str, str]:
    """The redirect map of a project folder ({} when the file does not exist yet)."""
    path = project / REDIRECTS
    if not path.exists():
        return {}
    doc = load_yaml(path, REDIRECTS.as_posix())
    maps = validate_located(Redirects, doc, doc.data or {}).root
    for old, new in maps.items():
        for value in (old, new):
            if not re.match(MD_PATH, value):
                raise SourceError(doc.path, doc.line_of([old]), f"'{value}' is not a page path under docs/ (x/y.md)")
    return maps


def with_move(maps: dict[str, str], old: str, new: str) -> dict[str, str]:
    """The map after moving ``old`` to ``new``: earlier redirects follow the page (no
    chains), and a page moved back to an old address is a page there again."""
    out: dict[str, str] = {}
    for source, target in maps.items():
        path, sep, frag = target.partition("#")
        if source == new:
            continue
        out[source] = new + sep + frag if path == old else target
    out[old] = new
    return out


def render_redirects(maps: dict[str, str]) -> str:
    """The data file's text: the header, then one ``old: new`` line per redirect."""

    def scalar(text: str) -> str:
        return (
            text if all(c.isalnum() or c in "/-_.#:" for c in text) and not text.startswith("#") else json.dumps(text)
        )

    return HEADER + ("".join(f"{scalar(k)}: {scalar(v)}\n" for k, v in maps.items()) or "{}\n")
