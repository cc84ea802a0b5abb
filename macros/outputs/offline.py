"""Offline reading: what the service worker keeps, and the worker itself.

A reader who opened the site once can read every page and search it with no network.
The build writes ``sw.js`` at the site's root (its scope is the whole site, wherever the
site lives) from ``macros/outputs/sw.js``, with the list of files to keep: every file in
``site/`` as published, except those in :data:`EXCLUDED`, each with the first digits of
its SHA-256. The worker's version is a hash of that list, so a deploy that changes any
listed file is a new worker: on the reader's next online visit the browser installs it,
which fetches only the changed files, and the old cache is deleted.

Search offline needs three more things than the pages: the index
(``search/search_index.json``), the worker the pages' configuration names (the patched
one, macros/stages/search.py) and the lunr scripts that worker imports for the index's
languages (:func:`lunr_scripts`). The theme ships lunr scripts for every language and
material's unpatched worker too; only the ones in use are kept.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
from pathlib import Path

WORKER = "sw.js"
TEMPLATE = Path(__file__).with_name("sw.js")
REVISION_DIGITS = 16  # of each file's SHA-256 hex digest
SEARCH_INDEX = "search/search_index.json"
LUNR = "assets/javascripts/lunr/"
WORKERS = "assets/javascripts/workers/"

# Files of site/ the reader never needs offline (pattern → why). fnmatch: `*` crosses `/`.
EXCLUDED = {
    "*.map": "source maps, for developer tools only",
    "sitemap.xml": "for search engines",
    "sitemap.xml.gz": "for search engines",
    "assets/og/*": "link-preview pictures (macros/outputs/ogimage.py): fetched by the app showing a pasted link, never by a page",
    "downloads/*.pdf": "the books: several MB each, downloaded on purpose rather than with every visit",
    "downloads/*.epub": "the books: several MB each, downloaded on purpose rather than with every visit",
    WORKER: "the worker itself (the browser keeps it)",
}


def lunr_scripts(langs: list[str]) -> set[str]:
    """The lunr files material's search worker imports for these index languages, as it
    does (``setupSearchLanguages`` in its worker; tests/test_theme_drift.py watches it)."""
    files: set[str] = set()
    for lang in langs:
        if lang == "ja":
            files.add("tinyseg.js")
        elif lang in ("hi", "th"):
            files.add("wordcut.js")
        if lang != "en":
            files.add(f"min/lunr.{lang}.min.js")
    if len(langs) > 1:
        files.add("min/lunr.multi.min.js")
    if files:
        files.add("min/lunr.stemmer.support.min.js")
    return {LUNR + f for f in files}


def is_kept(rel: str, search_worker: str, lunr: set[str]) -> bool:
    """Whether the file at ``rel`` (relative to site/) is kept for offline reading."""
    if any(fnmatch.fnmatchcase(rel, pattern) for pattern in EXCLUDED):
        return False
    if rel.startswith(LUNR):
        return rel in lunr
    if rel.startswith(WORKERS):
        return rel == WORKERS + search_worker
    return True


def url_of(rel: str) -> str:
    """The URL a reader asks for, relative to the site's root: pages by their folder."""
    if rel == "index.html":
        return "./"
    return rel[: -len("index.html")] if rel.endswith("/index.html") else rel


def precache(site: Path, search_worker: str) -> list[tuple[str, str]]:
    """(URL relative to the root, revision) of every file kept, sorted by URL."""
    index = site / SEARCH_INDEX
    langs = json.loads(index.read_text(encoding="utf-8"))["config"]["lang"] if index.is_file() else []
    lunr = lunr_scripts(langs)
    entries = []
    for path in site.rglob("*"):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and is_kept(rel, search_worker, lunr):
            entries.append((url_of(rel), hashlib.sha256(path.read_bytes()).hexdigest()[:REVISION_DIGITS]))
    return sorted(entries)


def version(entries: list[tuple[str, str]]) -> str:
    return hashlib.sha256(json.dumps(entries).encode()).hexdigest()[:16]


def worker_text(entries: list[tuple[str, str]]) -> str:
    files = json.dumps([list(e) for e in entries], separators=(",", ":"))
    text = TEMPLATE.read_text(encoding="utf-8")
    return text.replace('"__VERSION__"', json.dumps(version(entries))).replace("__FILES__", files)


def write_worker(site: Path, search_worker: str) -> list[tuple[str, str]]:
    """Write site/sw.js listing the site's files as they are now; returns the list."""
    entries = precache(site, search_worker)
    (site / WORKER).write_text(worker_text(entries), encoding="utf-8")
    return entries


def refresh_worker(site: Path) -> None:
    """Take each listed file's revision again, after a step that edited published files
    (make books splices the download line into the home and section pages): a stale
    revision would fail the worker's hash check, and the offline copy would not install."""
    worker = site / WORKER
    _, entries = listed(worker.read_text(encoding="utf-8"))
    fresh = []
    for url, _revision in entries:
        rel = "index.html" if url == "./" else url + "index.html" if url.endswith("/") else url
        fresh.append((url, hashlib.sha256((site / rel).read_bytes()).hexdigest()[:REVISION_DIGITS]))
    worker.write_text(worker_text(sorted(fresh)), encoding="utf-8")


# `mkdocs serve` writes this worker instead. A worker that a built copy of the site left
# on the same address would go on answering from its cache; when the browser next looks
# for a new version it gets this one, which deletes that cache, unregisters and reloads
# the open pages from the server.
RETIRED = """/* `mkdocs serve`: no offline copy (macros/outputs/offline.py). */
"use strict";
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const prefix = "handbook " + self.registration.scope + " ";
    for (const name of await caches.keys()) if (name.startsWith(prefix)) await caches.delete(name);
    await self.registration.unregister();
    for (const client of await self.clients.matchAll({ type: "window" })) client.navigate(client.url);
  })());
});
"""


def write_retired_worker(site: Path) -> None:
    (site / WORKER).write_text(RETIRED, encoding="utf-8")


_FILES = re.compile(r"^const FILES = (\[.*\]);", re.M)
_VERSION = re.compile(r'^const VERSION = "([0-9a-f]+)";', re.M)


def listed(worker: str) -> tuple[str, list[tuple[str, str]]]:
    """The version and the list a written worker carries (for checks and tests)."""
    files, ver = _FILES.search(worker), _VERSION.search(worker)
    if not files or not ver:
        raise ValueError(f"{WORKER}: no FILES or VERSION line")
    return ver.group(1), [tuple(e) for e in json.loads(files.group(1))]
