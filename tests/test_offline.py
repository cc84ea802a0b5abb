"""Offline reading (macros/outputs/offline.py, macros/outputs/sw.js, assets/javascripts/offline.js).

A reader who opened the site once reads every page and searches with no network; the
next online visit brings the new version. The list the worker keeps is checked against
what the built pages load; the worker itself runs in Chromium at a touch phone's size,
with the network cut (Playwright's offline mode, and the server stopped), the site
served under a sub-path as on a project's GitHub Pages. The pages and
the search query come from the nav and the front matter. Each check is also run once
on a broken input and must fail.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from macros.data.frontmatter import read_front_matter
from macros.outputs import offline
from scripts.serve_static import serve
from scripts.viewports import VIEWPORTS
from tests.helpers import DOCS, page_url, soup

PHONE = VIEWPORTS[0]  # 360×740, touch
SUB_PATH = "/handbook/"  # where offline_problems serves the site
TIMEOUT_MS = 20_000
CSP_LISTENER = """window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`));"""
# The number of entries in the complete cache of this site (0 while none is complete).
CACHED = """async () => {
  const out = {};
  for (const name of await caches.keys()) {
    if (name.startsWith("handbook ")) out[name] = (await (await caches.open(name)).keys()).length;
  }
  return out;
}"""


def front_matter(src: str) -> dict:
    return read_front_matter((DOCS / src).read_text(encoding="utf-8"), src).data or {}


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
    page = soup(html)
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


def test_worker_keeps_every_page_and_what_it_loads(site: Path) -> None:
    version, entries = worker_list(site)
    problems = list_problems(site, entries, version)
    assert not problems, "\n".join(problems)


def test_list_check_can_fail(site: Path, question_pages: list[str]) -> None:
    """A page dropped from the list, a stale revision and an off-site URL are reported."""
    version, entries = worker_list(site)
    dropped = page_url(question_pages[0]).lstrip("/")
    broken = [(u, "0" * 16 if u == offline.SEARCH_INDEX else r) for u, r in entries if u != dropped]
    broken.append(("//cdn.example.com/x.js", "0" * 16))
    text = "\n".join(list_problems(site, broken, version))
    assert f"page {dropped} is not kept" in text
    assert f"{offline.SEARCH_INDEX}: listed at revision" in text
    assert "//cdn.example.com/x.js: not a URL of the site" in text
    assert "is not the hash of the list" in text


def test_version_follows_the_files(site: Path, tmp_path: Path) -> None:
    """A changed file is a new version; an unchanged site is the same version."""
    version, entries = worker_list(site)
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    name = search_worker(entries)
    assert offline.write_worker(copy, name) == entries
    page = copy / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = offline.write_worker(copy, name)
    assert offline.version(again) != version and len(again) == len(entries)


# ── In the browser ───────────────────────────────────────────────────────────


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


def offline_problems(
    browser, site: Path, first: str, others: dict[str, str], query: str, hit: str, shots: Path | None = None
) -> list[str]:
    """Open ``first`` online, cut the network, then open ``others`` (path → its h1) and
    search ``query`` on the last one, expecting a result linking to ``hit``. The site is
    served under a sub-path, as on a project's GitHub Pages."""
    _, entries = worker_list(site)
    root = Path(tempfile.mkdtemp())
    (root / SUB_PATH.strip("/")).symlink_to(site.resolve())
    httpd, host = serve(root)
    server = host + SUB_PATH.rstrip("/")
    origin = host + "/"
    context = browser.new_context(**PHONE.context_options("light"))
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(CSP_LISTENER)
    problems: list[str] = []
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url))
    page = context.new_page()
    page.on("pageerror", lambda exc: problems.append(f"{page.url}: uncaught {exc}"))
    try:
        page.goto(server + first, wait_until="load")
        caches = wait_until_kept(page, entries)
        if list(caches.values()) != [len(entries) + 1]:
            return [f"the worker did not keep the {len(entries)} files: caches {caches}"]
        problems += [f"{first}: CSP violation: {v}" for v in page.evaluate("window.__csp")]
        context.set_offline(True)
        httpd.shutdown()
        httpd.server_close()
        failed: list[str] = []
        page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
        for path, h1 in others.items():
            try:
                page.goto(server + path, wait_until="load")
            except PlaywrightError as exc:
                problems.append(f"{path}: not readable offline ({str(exc).splitlines()[0]})")
                continue
            title = page.locator("article h1").first.inner_text().strip().removesuffix("#")  # its permalink
            if title.strip() != h1:
                problems.append(f"{path}: h1 {title!r}, want {h1!r}")
            problems += [f"{path}: CSP violation: {v}" for v in page.evaluate("window.__csp")]
        if shots:
            page.screenshot(path=str(shots / "offline-page.png"))
        if not problems:
            page.tap("label.md-header__button[for='__search']")
            page.locator("input.md-search__input").fill(query)
            page.keyboard.press("End")
            link = page.locator(f"li.md-search-result__item a[href*='{hit.strip('/')}']").first
            try:
                link.wait_for()
            except PlaywrightError:
                problems.append(f"search {query!r} offline: no result linking to {hit}")
            if shots:
                page.screenshot(path=str(shots / "offline-search.png"))
        problems += failed
    finally:
        context.close()
        httpd.server_close()
        shutil.rmtree(root)
    problems += [f"request off the site: {u}" for u in seen if not u.startswith(origin) and not u.startswith("data:")]
    return problems


def offline_walk(question_pages: list[str]) -> tuple[str, dict[str, str], str, str]:
    """The home page first; then a question of the first section and one of the last
    (nav order); a third question's first alias as the query."""
    others = {page_url(src): str(front_matter(src)["question"]) for src in (question_pages[0], question_pages[-1])}
    target = question_pages[len(question_pages) // 2]
    return page_url("index.md"), others, str(front_matter(target)["aliases"][0]), page_url(target)


def test_read_and_search_offline(browser, site: Path, question_pages: list[str]) -> None:
    first, others, query, hit = offline_walk(question_pages)
    problems = offline_problems(browser, site, first, others, query, hit)
    assert not problems, "\n".join(problems)


def test_offline_check_can_fail(browser, site: Path, tmp_path: Path, question_pages: list[str]) -> None:
    """A worker whose list misses one of the pages: that page is reported unreadable offline."""
    first, others, query, hit = offline_walk(question_pages)
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    _, entries = worker_list(site)
    dropped = next(iter(others)).lstrip("/")
    kept = [e for e in entries if e[0] != dropped]
    assert len(kept) == len(entries) - 1
    (copy / offline.WORKER).write_text(offline.worker_text(kept), encoding="utf-8")
    problems = offline_problems(browser, copy, first, others, query, hit)
    assert any(p.startswith(f"/{dropped}: not readable offline") for p in problems), problems


MARKER = '<p id="offline-update-marker">新版本</p>'


def update_problems(browser, site: Path, first: str, changed: str, new_worker: bool = True) -> list[str]:
    """Open ``first`` online; deploy a version in which only the page ``changed`` differs
    (and, unless told otherwise, the worker listing it); open ``first`` again online. The
    new version must replace the old cache, fetching that one page only, and show the new
    page with the network cut."""
    _, entries = worker_list(site)
    httpd, server = serve(site)
    context = browser.new_context(**PHONE.context_options("light"))
    context.set_default_timeout(TIMEOUT_MS)
    fetched: list[str] = []
    context.on("request", lambda r: fetched.append(r.url.removeprefix(server)) if r.service_worker else None)
    page = context.new_page()
    problems: list[str] = []
    try:
        page.goto(server + first, wait_until="load")
        old = wait_until_kept(page, entries)
        html = site / changed.lstrip("/") / "index.html"
        html.write_text(html.read_text(encoding="utf-8").replace("</article>", MARKER + "</article>", 1), "utf-8")
        new_entries = offline.precache(site, search_worker(entries))
        if new_worker:
            (site / offline.WORKER).write_text(offline.worker_text(new_entries), encoding="utf-8")
        fetched.clear()
        page.goto(server + first, wait_until="load")  # the next online visit: the browser looks for a new worker
        new = wait_until_kept(page, new_entries, timeout_s=TIMEOUT_MS / 1000 if new_worker else 3)
        want = f"handbook {server}/ {offline.version(new_entries)}"
        if list(new) != [want]:
            problems.append(f"caches after the update: {new}, before: {old}; want only {want!r}")
        downloads = sorted({u for u in fetched if not u.endswith("/" + offline.WORKER)})
        if downloads != [changed]:
            problems.append(f"the update fetched {downloads}, want only the changed page {changed}")
        context.set_offline(True)
        httpd.shutdown()
        page.goto(server + changed, wait_until="load")
        if page.locator("#offline-update-marker").count() != 1:
            problems.append(f"{changed} offline: still the old version")
    finally:
        context.close()
        httpd.server_close()
    return problems


def test_next_online_visit_updates(browser, site: Path, tmp_path: Path, question_pages: list[str]) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    problems = update_problems(browser, copy, page_url("index.md"), page_url(question_pages[-1]))
    assert not problems, "\n".join(problems)


def test_update_check_can_fail(browser, site: Path, tmp_path: Path, question_pages: list[str]) -> None:
    """A deploy that changes a page but not the worker's list: the reader keeps the old page."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    changed = page_url(question_pages[-1])
    problems = update_problems(browser, copy, page_url("index.md"), changed, new_worker=False)
    assert any(p.startswith("caches after the update") for p in problems), problems
    assert f"{changed} offline: still the old version" in problems, problems


@pytest.mark.parametrize("retired", [True, False], ids=["serve-worker", "check-can-fail"])
def test_mkdocs_serve_removes_an_offline_copy(browser, site: Path, tmp_path: Path, retired: bool) -> None:
    """A built site's worker on an address where `mkdocs serve` then runs: the worker that
    serve writes removes it and its cache. With the ordinary worker in its place (the
    broken input) the offline copy stays, and the check says so."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    _, entries = worker_list(site)
    httpd, server = serve(copy)
    context = browser.new_context(**PHONE.context_options("light"))
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(server + "/", wait_until="load")
        wait_until_kept(page, entries)
        if retired:  # what `mkdocs serve` writes: the retiring worker, pages naming no worker
            offline.write_retired_worker(copy)
            for html in copy.rglob("*.html"):
                text = html.read_text(encoding="utf-8")
                html.write_text(re.sub(r' data-worker="[^"]*"', "", text), encoding="utf-8")
        else:
            page_file = copy / "index.html"  # a new version, as an edit under serve would be
            page_file.write_text(page_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")
            offline.write_worker(copy, search_worker(entries))
        page.goto(server + "/", wait_until="load")
        deadline = time.monotonic() + (10 if retired else 3)  # the broken input never gets there
        while time.monotonic() < deadline:
            left = page.evaluate("navigator.serviceWorker.getRegistrations().then((r) => r.length)")
            caches = page.evaluate(CACHED)
            if not left and not caches:
                break
            time.sleep(0.2)
    finally:
        context.close()
        httpd.shutdown()
        httpd.server_close()
    if retired:
        assert (left, caches) == (0, {}), f"after `mkdocs serve`: {left} workers, caches {caches}"
    else:
        assert left == 1 and len(caches) == 1, (left, caches)


def test_refresh_takes_an_edited_page_again(site: Path, tmp_path: Path) -> None:
    """make books edits the home and section pages after the build; refresh_worker must
    give exactly those pages new revisions (a stale one fails the worker's hash check)."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    _, before = offline.listed((copy / offline.WORKER).read_text(encoding="utf-8"))
    home = copy / "index.html"
    home.write_text(home.read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    offline.refresh_worker(copy)
    _, after = offline.listed((copy / offline.WORKER).read_text(encoding="utf-8"))
    assert [url for url, _ in before] == [url for url, _ in after]
    assert {url for (url, old), (_, new) in zip(before, after, strict=True) if old != new} == {"./"}
