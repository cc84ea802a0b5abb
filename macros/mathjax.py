"""Typeset TeX with MathJax in Node (``scripts/tex2svg.mjs``), in one batch per build.

Results are cached in memory by (TeX, display), so ``mkdocs serve`` only sends the
formulas it has not seen before, and a thousand pages that share formulas cost one
typesetting each.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "tex2svg.mjs"


class MathJaxUnavailable(RuntimeError):
    """Node or the pinned mathjax-full package is missing: say how to install it."""


@dataclass(frozen=True)
class Typeset:
    """One formula's outcome: HTML (an <mjx-container>) or MathJax's error message.

    ``glyphs`` maps the ids the SVG's ``<use>`` elements refer to onto path data;
    the page must define them once (see :func:`glyph_defs`).
    """

    html: str | None
    error: str | None
    glyphs: dict[str, str] = field(default_factory=dict)


_cache: dict[tuple[str, bool], Typeset] = {}
_css: str = ""


def typeset(items: list[tuple[str, bool]]) -> dict[tuple[str, bool], Typeset]:
    """Typeset (tex, display) pairs; returns a result for each distinct pair."""
    global _css
    todo = sorted({it for it in items if it not in _cache})
    if todo or not _css:
        node = shutil.which("node")
        if node is None:
            raise MathJaxUnavailable("node is not on PATH: install Node 20 (see README)")
        if not (ROOT / "node_modules" / "mathjax-full").is_dir():
            raise MathJaxUnavailable("node_modules/mathjax-full is missing: run `npm ci` in the repository root")
        payload = json.dumps([{"tex": t, "display": d} for t, d in todo])
        proc = subprocess.run([node, str(SCRIPT)], input=payload, capture_output=True, text=True, cwd=ROOT, check=False)
        if proc.returncode != 0:
            raise MathJaxUnavailable(f"{SCRIPT.name} failed: {proc.stderr.strip()[-2000:]}")
        out = json.loads(proc.stdout)
        _css = out["css"]
        for key, res in zip(todo, out["results"], strict=True):
            _cache[key] = Typeset(res["html"], res["error"], res["glyphs"])
    return {it: _cache[it] for it in set(items)}


def glyph_defs(results: list[Typeset]) -> str:
    """One hidden SVG defining every glyph the given formulas use, sorted by id (reproducible)."""
    glyphs: dict[str, str] = {}
    for r in results:
        glyphs.update(r.glyphs)
    if not glyphs:
        return ""
    paths = "".join(f'<path id="{gid}" d="{glyphs[gid]}"></path>' for gid in sorted(glyphs))
    # MathJax's own id and markup for its global font cache.
    return f'<svg id="MJX-SVG-global-cache" style="display: none;" xmlns="http://www.w3.org/2000/svg"><defs>{paths}</defs></svg>'


def stylesheet() -> str:
    """MathJax's CSS for its SVG output (available after the first ``typeset`` call)."""
    if not _css:
        typeset([])
    return _css
