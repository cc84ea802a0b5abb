"""Offline reading (macros/outputs/offline.py, macros/outputs/sw.js, assets/javascripts/offline.js).

A reader who opened the site once reads every page and searches with no network; the
next online visit brings the new version; `mkdocs serve` on the same address then
removes the offline copy. The list the worker keeps is checked against what the built
pages load; the worker itself runs in Chromium at a touch phone's size, with the network
cut (Playwright's offline mode, and the server stopped), the site served under a
sub-path as on a project's GitHub Pages. The pages and the search query come from the
nav and the front matter. Each check is also run once on a broken input and must fail:
one reader's visits carry a broken input for each step, each reported on its own.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
import shutil
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Error as PlaywrightError

from macros.outputs import offline
from scripts.serve_static import serve
from scripts.viewports import VIEWPORTS
from tests.helpers import page_url
from tests.published import front_matter, parsed
from tests.test_viewports import CSP_LISTENER

PHONE = VIEWPORTS[0]  # 360×740, touch
SUB_PATH = "/handbook/"  # where the browser tests serve the site
TIMEOUT_MS = 20_000
# The number of entries in the complete cache of this site (0 while none is complete).
CACHED = """async () => {
  const out = {};
  for (const name of await caches.keys()) {
    if (name.startsWith("handbook ")) out[name] = (await (await caches.open(name)).keys()).length;
  }
  return out;
}"""


def worker_list(site: Path) -> tuple[str, list[tuple[str, str]]]:
    return offline.listed((site / offline.WORKER).read_text(encoding="utf-8"))


def search_worker(entries: list[tuple[str, str]]) -> str:
    (name,) = [u.removeprefix(offline.WORKERS) for u, _ in entries if u.startswith(offline.WORKERS)]
    return name


# ── The list ─────────────────────────────────────────────────────────────────


def page_needs(site: Path, html: Path) -> set[str]:
    """Site-relative URLs of what a built page loads: scripts, stylesheets, icons, images,
    the search worker its configuration names; ``//`` marks a URL off the site."""
    rel = html.relative_to(site).as_posix()
    base = "https://site.invalid/" + offline.url_of(rel).removeprefix("./")
    page = parsed(html)
    refs = [s["src"] for s in page.find_all("script", src=True)]
    refs += [link["href"] for link in page.find_all("link", href=True) if {"stylesheet", "icon"} & set(link["rel"])]
    refs += [img["src"] for img in page.find_all("img", src=True) if not img["src"].startswith("data:")]
    config = page.find("script", id="__config")
    if config is not None:
        refs.append(json.loads(config.get_text())["search"])
    needs = set()
    for ref in refs:
        url = urlsplit(urljoin(base, ref))
        needs.add(url.path.lstrip("/") if url.netloc == "site.invalid" else "//" + url.netloc + url.path)
    return needs


def list_problems(site: Path, entries: list[tuple[str, str]], version: str) -> list[str]:
    """What a reader offline would miss, or what the list must not hold."""
    listed = {url for url, _ in entries}
    problems = [
        f"page {offline.url_of(p.relative_to(site).as_posix())} is not kept"
        for p in sorted(site.rglob("*.html"))
        if offline.url_of(p.relative_to(site).as_posix()) not in listed
    ]
    needs = {n for p in site.rglob("*.html") for n in page_needs(site, p)}
    needs.add(offline.SEARCH_INDEX)
    langs = json.loads((site / offline.SEARCH_INDEX).read_text(encoding="utf-8"))["config"]["lang"]
    needs |= offline.lunr_scripts(langs)
    problems += [f"{n}: loaded by the pages but not kept" for n in sorted(needs - listed)]
    problems += [f"{u}: not a URL of the site" for u in sorted(listed) if "//" in u or u.startswith("/") or ":" in u]
    for url, rev in entries:
        path = site / (url.removeprefix("./") + "index.html" if url.endswith("/") else url)
        if not path.is_file():
            problems.append(f"{url}: listed, but no such file")
        elif not hashlib.sha256(path.read_bytes()).hexdigest().startswith(rev):
            problems.append(f"{url}: listed at revision {rev}, the file differs")
    if version != offline.version(entries):
        problems.append(f"version {version} is not the hash of the list ({offline.version(entries)})")
    for pattern in offline.EXCLUDED:
        problems += [
            f"{u}: kept, but excluded by {pattern!r}" for u in sorted(listed) if fnmatch.fnmatchcase(u, pattern)
        ]
    return problems


def test_worker_keeps_every_page_and_what_it_loads(site: Path, question_pages: list[str]) -> None:
    version, entries = worker_list(site)
    problems = list_problems(site, entries, version)
    assert not problems, "\n".join(problems)
    # The check can fail: a page dropped from the list, a stale revision and an off-site URL are reported.
    dropped = page_url(question_pages[0]).lstrip("/")
    broken = [(u, "0" * 16 if u == offline.SEARCH_INDEX else r) for u, r in entries if u != dropped]
    broken.append(("//cdn.example.com/x.js", "0" * 16))
    text = "\n".join(list_problems(site, broken, version))
    assert f"page {dropped} is not kept" in text
    assert f"{offline.SEARCH_INDEX}: listed at revision" in text
    assert "//cdn.example.com/x.js: not a URL of the site" in text
    assert "is not the hash of the list" in text


def test_version_follows_the_files_and_refresh_takes_an_edited_page_again(site: Path, tmp_path: Path) -> None:
    """An unchanged site is the same version. make books edits the home and section pages
    after the build; refresh_worker must give exactly those pages new revisions (a stale
    one fails the worker's hash check), a new version, as writing the worker again does."""
    version, before = worker_list(site)
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    name = search_worker(before)
    assert offline.write_worker(copy, name) == before
    home = copy / "index.html"
    home.write_text(home.read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    offline.refresh_worker(copy)
    again, after = worker_list(copy)
    assert [url for url, _ in before] == [url for url, _ in after]
    assert {url for (url, old), (_, new) in zip(before, after, strict=True) if old != new} == {"./"}
    assert again != version and offline.write_worker(copy, name) == after


# ── In the browser ───────────────────────────────────────────────────────────

MARKER = '<p id="offline-update-marker">新版本</p>'


class Reader:
    """A phone's browser context on a copy of the site, served under SUB_PATH; the server
    stops to cut the network and starts again on the same port (one origin: one worker)."""

    def __init__(self, browser, site: Path) -> None:
        self.site, self.root = site, site.parent / "root"
        self.root.mkdir()
        (self.root / SUB_PATH.strip("/")).symlink_to(site.resolve())
        self.httpd, host = serve(self.root)
        self.port, self.origin, self.server = self.httpd.server_address[1], host + "/", host + SUB_PATH.rstrip("/")
        self.context = browser.new_context(**PHONE.context_options("light"))
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.add_init_script(CSP_LISTENER)
        self.seen: list[str] = []  # every request
        self.fetched: list[str] = []  # the worker's, on the site
        self.context.on("request", self.request)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("pageerror", lambda exc: self.problems.append(f"{self.page.url}: uncaught {exc}"))

    def request(self, r) -> None:
        self.seen.append(r.url)
        if r.service_worker:
            self.fetched.append(r.url.removeprefix(self.server))

    def online(self) -> None:
        if self.httpd is None:
            self.httpd, _ = serve(self.root, self.port)
        self.context.set_offline(False)

    def offline(self) -> None:
        self.context.set_offline(True)
        self.httpd.shutdown()
        self.httpd.server_close()
        self.httpd = None

    def csp(self, path: str) -> list[str]:
        return [f"{path}: CSP violation: {v}" for v in self.page.evaluate("window.__csp")]

    def close(self) -> list[str]:
        """Close; what went wrong on the way, and any request off the site."""
        self.context.close()
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
        off = [u for u in self.seen if not u.startswith(self.origin) and not u.startswith("data:")]
        return self.problems + [f"request off the site: {u}" for u in off]


def wait_until_kept(page, entries: list[tuple[str, str]], timeout_s: float = TIMEOUT_MS / 1000) -> dict[str, int]:
    """Wait until the worker controls the page and the only cache of the site is the
    complete one of this list's version (its files and its manifest)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    deadline = time.monotonic() + timeout_s
    while True:
        caches = page.evaluate(CACHED)
        done = [
            n for n, count in caches.items() if n.endswith(" " + offline.version(entries)) and count == len(entries) + 1
        ]
        if (done and len(caches) == 1) or time.monotonic() > deadline:
            return caches
        time.sleep(0.1)


def read_offline(reader: Reader, first: str, others: dict[str, str], query: str, hit: str) -> list[str]:
    """Open ``first`` online, cut the network, then open ``others`` (path → its h1) and
    search ``query`` on the last one, expecting a result linking to ``hit``."""
    _, entries = worker_list(reader.site)
    reader.page.goto(reader.server + first, wait_until="load")
    caches = wait_until_kept(reader.page, entries)
    if list(caches.values()) != [len(entries) + 1]:
        return [f"the worker did not keep the {len(entries)} files: caches {caches}"]
    problems = reader.csp(first)
    reader.offline()
    failed: list[str] = []

    def on_failed(r) -> None:
        failed.append(f"{r.url}: {r.failure}")

    reader.page.on("requestfailed", on_failed)
    for path, h1 in others.items():
        try:
            reader.page.goto(reader.server + path, wait_until="load")
        except PlaywrightError as exc:
            problems.append(f"{path}: not readable offline ({str(exc).splitlines()[0]})")
            continue
        title = reader.page.locator("article h1").first.inner_text().strip().removesuffix("#")  # its permalink
        if title.strip() != h1:
            problems.append(f"{path}: h1 {title!r}, want {h1!r}")
        problems += reader.csp(path)
    if not problems:
        reader.page.tap("label.md-header__button[for='__search']")
        reader.page.locator("input.md-search__input").fill(query)
        reader.page.keyboard.press("End")
        try:
            reader.page.locator(f"li.md-search-result__item a[href*='{hit.strip('/')}']").first.wait_for()
        except PlaywrightError:
            problems.append(f"search {query!r} offline: no result linking to {hit}")
    reader.page.remove_listener("requestfailed", on_failed)
    return problems + failed


def update(reader: Reader, first: str, changed: str, new_worker: bool) -> list[str]:
    """Deploy a version in which only the page ``changed`` differs (and the worker listing
    it, if ``new_worker``); open ``first`` again online. The new version must replace the
    old cache, fetching that one page only, and show the new page with the network cut."""
    reader.online()
    _, entries = worker_list(reader.site)
    old = reader.page.evaluate(CACHED)
    html = reader.site / changed.lstrip("/") / "index.html"
    html.write_text(html.read_text(encoding="utf-8").replace("</article>", MARKER + "</article>", 1), "utf-8")
    new_entries = offline.precache(reader.site, search_worker(entries))
    if new_worker:
        (reader.site / offline.WORKER).write_text(offline.worker_text(new_entries), encoding="utf-8")
    reader.fetched.clear()  # the next online visit: the browser looks for a new worker
    reader.page.goto(reader.server + first, wait_until="load")
    new = wait_until_kept(reader.page, new_entries, timeout_s=TIMEOUT_MS / 1000 if new_worker else 3)
    problems = []
    want = f"handbook {reader.server}/ {offline.version(new_entries)}"
    if list(new) != [want]:
        problems.append(f"caches after the update: {new}, before: {old}; want only {want!r}")
    downloads = sorted({u for u in reader.fetched if not u.endswith("/" + offline.WORKER)})
    if downloads != [changed]:
        problems.append(f"the update fetched {downloads}, want only the changed page {changed}")
    reader.offline()
    reader.page.goto(reader.server + changed, wait_until="load")
    if reader.page.locator("#offline-update-marker").count() != 1:
        problems.append(f"{changed} offline: still the old version")
    return problems


def mkdocs_serve(reader: Reader, retired: bool) -> list[str]:
    """`mkdocs serve` on the same address: the worker it writes removes the offline copy.
    With the ordinary worker of a new version in its place (``retired`` false) the copy stays."""
    reader.online()
    if retired:  # what `mkdocs serve` writes: the retiring worker, pages naming no worker
        offline.write_retired_worker(reader.site)
        for html in reader.site.rglob("*.html"):
            text = html.read_text(encoding="utf-8")
            html.write_text(re.sub(r' data-worker="[^"]*"', "", text), encoding="utf-8")
    else:
        page_file = reader.site / "index.html"  # a new version, as an edit under serve would be
        page_file.write_text(page_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        offline.write_worker(reader.site, search_worker(worker_list(reader.site)[1]))
    reader.page.goto(reader.server + "/", wait_until="load")
    deadline = time.monotonic() + (10 if retired else 3)  # the broken input never gets there
    left, caches = -1, {}
    while time.monotonic() < deadline and (left or caches):
        try:
            left = reader.page.evaluate("navigator.serviceWorker.getRegistrations().then((r) => r.length)")
            caches = reader.page.evaluate(CACHED)
        except PlaywrightError:  # the retiring worker reloads the page
            pass
        time.sleep(0.2)
    return [f"after `mkdocs serve`: {left} workers, caches {caches}"] if left or caches else []


def reader_story(browser, site: Path, tmp_path: Path, question_pages: list[str], broken: bool) -> dict[str, list[str]]:
    """One reader on a copy of the site: reads offline and searches; the next online visit
    updates a page; then `mkdocs serve` runs on the address. The home page first; a question
    of the first section and one of the last (nav order) read offline; a third question's
    first alias as the query; the last question updated. ``broken``: the worker's list
    misses the first of those pages, the update leaves the worker as it was, and serve
    writes the ordinary worker. Returns each step's problems."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    others = {page_url(src): str(front_matter(src)["question"]) for src in (question_pages[0], question_pages[-1])}
    target = question_pages[len(question_pages) // 2]
    if broken:
        _, entries = worker_list(site)
        kept = [e for e in entries if e[0] != next(iter(others)).lstrip("/")]
        assert len(kept) == len(entries) - 1
        (copy / offline.WORKER).write_text(offline.worker_text(kept), encoding="utf-8")
    reader = Reader(browser, copy)
    home = page_url("index.md")
    steps = {}
    try:
        steps["offline"] = read_offline(reader, home, others, str(front_matter(target)["aliases"][0]), page_url(target))
        steps["update"] = update(reader, home, page_url(question_pages[-1]), new_worker=not broken)
        steps["serve"] = mkdocs_serve(reader, retired=not broken)
    finally:
        steps["visits"] = reader.close()
    return steps


def test_read_offline_update_and_serve(browser, site: Path, tmp_path: Path, question_pages: list[str]) -> None:
    steps = reader_story(browser, site, tmp_path, question_pages, broken=False)
    assert not any(steps.values()), "\n".join(f"{step}: {p}" for step, ps in steps.items() for p in ps)


def test_offline_checks_can_fail(browser, site: Path, tmp_path: Path, question_pages: list[str]) -> None:
    steps = reader_story(browser, site, tmp_path, question_pages, broken=True)
    missing, changed = page_url(question_pages[0]), page_url(question_pages[-1])
    assert any(p.startswith(f"{missing}: not readable offline") for p in steps["offline"]), steps
    assert any(p.startswith("caches after the update") for p in steps["update"]), steps
    assert f"{changed} offline: still the old version" in steps["update"], steps
    assert [p for p in steps["serve"] if p.startswith("after `mkdocs serve`: 1 workers, caches {'handbook ")], steps
