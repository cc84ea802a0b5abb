"""Typeset TeX with MathJax in Node (``tex2svg.mjs``, beside this file).

Two ways in, same results:

* :func:`typeset` — a batch, for scripts and tests;
* :class:`Session` — the build streams each page's formulas to one Node process
  while it is still reading pages, so typesetting runs on the other core; the
  results are collected at the end (:meth:`Session.finish`).

Results are cached in memory by (TeX, display): ``mkdocs serve`` only sends the
formulas it has not seen before, and formulas shared by many pages cost one
typesetting each. A formula's output depends only on its TeX, so the cache cannot
change what a page looks like.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "tex2svg.mjs"

Key = tuple[str, bool]  # (TeX, display)
TIMEOUT_S = 300  # a whole site's formulas take a few seconds


class MathJaxUnavailable(RuntimeError):
    """Node or the pinned mathjax-full package is missing, or Node failed: say how to fix it."""


@dataclass(frozen=True)
class Typeset:
    """One formula's outcome: HTML (an <mjx-container>) or MathJax's error message.

    ``glyphs`` maps the ids the SVG's ``<use>`` elements refer to onto path data;
    the page must define them once (see :func:`glyph_defs`).
    """

    html: str | None
    error: str | None
    glyphs: dict[str, str] = field(default_factory=dict)
    valign: tuple[str, str] | None = None  # (class, CSS value) that replaced MathJax's inline style


_cache: dict[Key, Typeset] = {}
_css: str = ""


def _node(project: Path) -> str:
    """Node, once it is known that ``project`` (where Node runs) can load the pinned MathJax."""
    node = shutil.which("node")
    if node is None:
        raise MathJaxUnavailable("node is not on PATH: install Node 20 (see README)")
    if not any((folder / "node_modules" / "mathjax-full").is_dir() for folder in (project, *project.parents)):
        raise MathJaxUnavailable(f"node_modules/mathjax-full is missing: run `npm ci` in {project}")
    return node


def _result(res: dict) -> Typeset:
    valign = res.get("valign")
    return Typeset(res["html"], res["error"], res["glyphs"], (valign["class"], valign["value"]) if valign else None)


class Session:
    """One streaming Node process: :meth:`submit` as pages are read, :meth:`finish` once."""

    def __init__(self, project: Path) -> None:
        # Node's messages go to a file, not a pipe: a pipe nobody reads until the end
        # could fill up and stall Node.
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        self._proc = subprocess.Popen(
            [_node(project), str(SCRIPT), "--stream"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
            cwd=project,
        )
        self._pending: deque[Key] = deque()
        self._sent: set[Key] = set()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        global _css
        assert self._proc.stdout is not None
        header = self._proc.stdout.readline()
        if header:
            _css = json.loads(header)["css"]
        for line in self._proc.stdout:
            with self._lock:
                key = self._pending.popleft()
            _cache[key] = _result(json.loads(line))

    def submit(self, items: list[Key]) -> None:
        """Queue formulas not typeset yet (duplicates and cached ones are skipped)."""
        assert self._proc.stdin is not None
        lines = []
        for key in items:
            if key in _cache or key in self._sent:
                continue
            self._sent.add(key)
            with self._lock:
                self._pending.append(key)
            lines.append(json.dumps({"tex": key[0], "display": key[1]}) + "\n")
        if lines:
            self._proc.stdin.write("".join(lines))
            self._proc.stdin.flush()

    def finish(self) -> None:
        """Wait for every submitted formula; raise if Node failed."""
        assert self._proc.stdin is not None
        self._proc.stdin.close()
        try:
            code = self._proc.wait(TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
            raise MathJaxUnavailable(f"{SCRIPT.name} did not finish within {TIMEOUT_S} s") from None
        self._reader.join(TIMEOUT_S)  # its stdout has ended with the process
        self._stderr.seek(0)
        stderr = self._stderr.read()
        self._stderr.close()
        if code != 0 or self._pending:
            raise MathJaxUnavailable(f"{SCRIPT.name} failed (exit {code}): {stderr.strip()[-2000:]}")


def typeset(items: list[Key], project: Path | None = None) -> dict[Key, Typeset]:
    """Typeset (tex, display) pairs in one batch; returns a result for each distinct pair.

    ``project`` is where Node looks for mathjax-full (default: the working directory)."""
    global _css
    todo = sorted({it for it in items if it not in _cache})
    if todo or not _css:
        payload = json.dumps([{"tex": t, "display": d} for t, d in todo])
        try:
            proc = subprocess.run(
                [_node(project or Path.cwd()), str(SCRIPT)],
                input=payload,
                capture_output=True,
                text=True,
                cwd=project or Path.cwd(),
                check=False,
                timeout=TIMEOUT_S,
            )
        except subprocess.TimeoutExpired:
            raise MathJaxUnavailable(f"{SCRIPT.name} did not answer within {TIMEOUT_S} s") from None
        if proc.returncode != 0:
            raise MathJaxUnavailable(f"{SCRIPT.name} failed: {proc.stderr.strip()[-2000:]}")
        out = json.loads(proc.stdout)
        _css = out["css"]
        for key, res in zip(todo, out["results"], strict=True):
            _cache[key] = _result(res)
    return {it: _cache[it] for it in set(items)}


def cached(key: Key) -> Typeset:
    """A result already typeset (by :func:`typeset` or a finished :class:`Session`)."""
    return _cache[key]


def glyph_defs(results: list[Typeset]) -> str:
    """One hidden SVG defining every glyph the given formulas use, sorted by id (reproducible)."""
    glyphs: dict[str, str] = {}
    for r in results:
        glyphs.update(r.glyphs)
    if not glyphs:
        return ""
    paths = "".join(f'<path id="{gid}" d="{glyphs[gid]}"></path>' for gid in sorted(glyphs))
    # MathJax's own id and markup for its global font cache.
    return f'<svg id="MJX-SVG-global-cache" class="mjx-glyphs" xmlns="http://www.w3.org/2000/svg"><defs>{paths}</defs></svg>'


def stylesheet(project: Path | None = None) -> str:
    """MathJax's CSS for its SVG output (sent by Node with the first results), and
    the rules that replace its inline styles (tex2svg.mjs, ``moveStyles``): the
    container's position, the glyph store hidden, one rule per vertical alignment."""
    if not _css:
        typeset([], project)
    valigns = sorted({r.valign for r in _cache.values() if r.valign})
    rules = "".join(f"\nsvg.{name}{{vertical-align:{value}}}" for name, value in valigns)
    return _css + '\nmjx-container[jax="SVG"]{position:relative}\nsvg.mjx-glyphs{display:none}' + rules + "\n"
