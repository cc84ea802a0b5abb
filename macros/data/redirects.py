"""Moved pages keep their old URLs: the mkdocs-redirects plugin's ``redirect_maps`` in
mkdocs.yml maps each old page (path under docs/) to where it lives now. The map is
plain engine configuration, read by the plugin itself (and by Zensical, which reads
the same setting); no hook is involved. scripts/move_page.py is the only writer;
this module is the one reader and the one writer of that block.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from macros.data.config import parse_config
from macros.data.errors import SourceError

CONFIG = "mkdocs.yml"
MD_PATH = r"^[a-z0-9][a-z0-9/\-]*\.md(#[A-Za-z0-9_\-:]+)?$"
# The plugin's entry in mkdocs.yml's `plugins:` list, with its indented options, if any.
BLOCK = re.compile(r"^(?P<indent>[ ]*)- redirects(?::[^\n]*)?\n(?:(?P=indent)[ ]{2,}[^\n]*\n|[ \t]*\n)*", re.M)


def redirect_maps(config: dict[str, Any]) -> dict[str, str]:
    for plugin in config.get("plugins") or []:
        if plugin == "redirects":
            return {}
        if isinstance(plugin, dict) and "redirects" in plugin:
            return dict((plugin["redirects"] or {}).get("redirect_maps") or {})
    raise SourceError(CONFIG, None, "the `redirects` plugin is missing from `plugins:` (moved pages need it)")


def load_redirects(project: Path) -> dict[str, str]:
    """The redirect map of a project folder, every path checked."""
    text = (project / CONFIG).read_text(encoding="utf-8")
    maps = redirect_maps(parse_config(text, CONFIG))
    for old, new in maps.items():
        for value in (old, new):
            if not isinstance(value, str) or not re.match(MD_PATH, value):
                line = next((n for n, s in enumerate(text.splitlines(), 1) if str(value) in s), None)
                raise SourceError(CONFIG, line, f"redirect_maps: '{value}' is not a page path under docs/ (x/y.md)")
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


def write_redirects(config_text: str, maps: dict[str, str]) -> str:
    """mkdocs.yml's text with the plugin's block replaced (a text edit: the file's
    comments and layout stay; the result is parsed again by the caller)."""
    match = BLOCK.search(config_text)
    if match is None:
        raise SourceError(CONFIG, None, "the `redirects` plugin is missing from `plugins:` (moved pages need it)")

    def scalar(text: str) -> str:
        return (
            text if all(c.isalnum() or c in "/-_.#:" for c in text) and not text.startswith("#") else json.dumps(text)
        )

    pad = match.group("indent")
    block = f"{pad}- redirects:\n{pad}    redirect_maps:\n" + "".join(
        f"{pad}      {scalar(k)}: {scalar(v)}\n" for k, v in maps.items()
    )
    return config_text[: match.start()] + (block if maps else f"{pad}- redirects\n") + config_text[match.end() :]
