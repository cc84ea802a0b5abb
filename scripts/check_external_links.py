#!/usr/bin/env python3
"""Check every external http(s) link of the built site (opt-in: needs the network).

    make links-external                      # builds the site, then runs this on site/
    .venv/bin/python -m scripts.check_external_links site [--report-only] [--max-age 7]

What it does:

1. collects every external ``http(s)://`` link from the HTML files under the site
   folder (``<a href>``, ``<img src>``, ``<script src>``, ``<source src>``, and
   ``<link href>`` except canonical/alternate links), with the pages that contain it;
   links into the site itself (the canonical base of ``index.html``) are skipped,
   because the strict build already validates internal links;
2. checks each URL once: HEAD first, GET if HEAD is refused or fails (many servers
   answer HEAD with 403/404/405), with a timeout, in a small thread pool;
3. keeps a JSON cache in ``.cache/external-links/cache.json``: a URL that was fine
   less than ``--max-age`` days ago is not requested again; broken URLs are always
   checked again, so a fixed link is never reported from a stale cache entry;
4. prints a table of broken links and the pages that contain them, writes the
   same as Markdown to ``reports/external-links.md`` (for CI summaries and issues),
   and exits 1 if any link is broken (0 with ``--report-only``).

Exit codes: 0 no broken link (or ``--report-only``), 1 broken links, 2 usage error.

This script is never run by the test suite against the network: the tests exercise
it on HTML strings and on a local ``http.server`` bound to 127.0.0.1.

The HTTP client is ``urllib.request`` from the standard library: it follows
redirects (keeping HEAD as HEAD), honours the usual ``*_proxy`` environment
variables and verifies TLS with the system's certificates, which is all a link
checker needs, so no HTTP package is added to the project for this opt-in tool.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = ROOT / ".cache" / "external-links" / "cache.json"
DEFAULT_REPORT = ROOT / "reports" / "external-links.md"
CACHE_VERSION = 1
DAY = 86400.0
USER_AGENT = (
    "Mozilla/5.0 (compatible; llm-basics-handbook-linkcheck/1.0; "
    "+https://github.com/llm-basics-handbook/llm-basics-handbook)"
)
# Statuses that say "the server is there but will not answer a robot right now";
# they are not reported as broken and not cached.
TRANSIENT_OK = {429}
# (tag, attribute) pairs whose URLs are links a reader or the page depends on.
LINK_ATTRS = [("a", "href"), ("img", "src"), ("script", "src"), ("source", "src"), ("link", "href")]
# <link rel=...> values that name this page itself, not a resource.
SELF_RELS = {"canonical", "alternate", "prev", "next"}


# ── Collecting ──────────────────────────────────────────────────────────────


def normalize(url: str) -> str | None:
    """The URL to check for one href, or None if it is not an external http(s) link."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    # The fragment is never sent to the server: one check covers every #anchor.
    return urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", parts.query, ""))


def links_in_html(html: str) -> set[str]:
    """Every external http(s) URL in one HTML document (normalized, without fragments)."""
    soup = BeautifulSoup(html, "lxml")
    found: set[str] = set()
    for tag, attr in LINK_ATTRS:
        for el in soup.find_all(tag, attrs={attr: True}):
            if tag == "link" and SELF_RELS & {r.lower() for r in (el.get("rel") or [])}:
                continue
            url = normalize(str(el[attr]))
            if url:
                found.add(url)
    return found


def site_base(site: Path) -> str | None:
    """The site's own canonical base URL (from index.html), to skip links into the site."""
    index = site / "index.html"
    if not index.is_file():
        return None
    link = BeautifulSoup(index.read_text(encoding="utf-8"), "lxml").find("link", rel="canonical")
    href = normalize(str(link["href"])) if link and link.get("href") else None
    return href if href and href.endswith("/") else None


def page_name(site: Path, html_file: Path) -> str:
    """``basics/why-decoder-only/index.html`` → ``basics/why-decoder-only/`` (as readers see it)."""
    rel = html_file.relative_to(site).as_posix()
    if rel.endswith("index.html"):
        return rel[: -len("index.html")] or "/"
    return rel


def collect(site: Path, skip_prefixes: Iterable[str] = ()) -> dict[str, set[str]]:
    """Map each external URL of the built site to the pages (site-relative) that link to it."""
    skip = tuple(skip_prefixes)
    links: dict[str, set[str]] = {}
    for html_file in sorted(site.rglob("*.html")):
        page = page_name(site, html_file)
        for url in links_in_html(html_file.read_text(encoding="utf-8", errors="replace")):
            if skip and url.startswith(skip):
                continue
            links.setdefault(url, set()).add(page)
    return links


# ── Checking ────────────────────────────────────────────────────────────────


@dataclass
class Result:
    url: str
    ok: bool
    status: int | None  # the final HTTP status, None if no answer
    error: str | None  # why it failed, or None
    checked_at: float  # seconds since the epoch

    @property
    def label(self) -> str:
        return str(self.status) if self.status is not None else (self.error or "error")


def to_ascii(url: str) -> str:
    """Percent-encode non-ASCII paths and IDNA-encode hosts (urllib sends ASCII only)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    try:
        host_ascii = host.encode("idna").decode("ascii")
    except UnicodeError:
        host_ascii = host
    netloc = parts.netloc.replace(host, host_ascii) if host else parts.netloc
    path = urllib.parse.quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    query = urllib.parse.quote(parts.query, safe="=&%/:?+,;@!$'()*-._~")
    return urllib.parse.urlunsplit((parts.scheme, netloc, path, query, ""))


class _KeepHeadOnRedirect(urllib.request.HTTPRedirectHandler):
    """Follow redirects of a HEAD request with HEAD (Python 3.11's handler switches to GET)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":
            new.method = "HEAD"
        return new


def _request(url: str, method: str, timeout: float) -> int:
    req = urllib.request.Request(to_ascii(url), method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    # A new opener per request: it reads the *_proxy variables as they are now.
    opener = urllib.request.build_opener(_KeepHeadOnRedirect)
    with opener.open(req, timeout=timeout) as resp:
        if method == "GET":
            resp.read(1)
        return resp.status


def _attempt(url: str, method: str, timeout: float) -> tuple[int | None, str | None]:
    try:
        return _request(url, method, timeout), None
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            return None, "timeout"
        return None, str(reason)
    except TimeoutError:
        return None, "timeout"
    except (OSError, ValueError) as exc:  # connection reset, bad status line, malformed URL …
        return None, f"{type(exc).__name__}: {exc}"


def check_url(url: str, timeout: float = 15.0) -> Result:
    """Check one URL: HEAD, then GET when HEAD did not give a good answer."""
    status, error = _attempt(url, "HEAD", timeout)
    if error is not None:
        status, error = _attempt(url, "GET", timeout)
    # An HTTPError below 400 is a redirect urllib gave up on (a loop): broken too.
    ok = status in TRANSIENT_OK or (error is None and status is not None and status < 400)
    return Result(url, ok, status, None if ok else error, time.time())


# ── Cache ───────────────────────────────────────────────────────────────────


def load_cache(path: Path) -> dict[str, Result]:
    """Previous results by URL; a missing, unreadable or old-format cache is empty."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return {}
    results = {}
    for url, entry in (data.get("results") or {}).items():
        try:
            results[url] = Result(
                url, bool(entry["ok"]), entry.get("status"), entry.get("error"), float(entry["checked_at"])
            )
        except (KeyError, TypeError, ValueError):
            continue
    return results


def save_cache(path: Path, results: dict[str, Result]) -> None:
    """Write the cache atomically (a killed run never leaves half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = {}
    for url, r in sorted(results.items()):
        if r.ok and r.status in TRANSIENT_OK:
            continue  # rate-limited: we do not actually know, ask again next time
        entry = asdict(r)
        del entry["url"]
        entries[url] = entry
    payload = json.dumps({"version": CACHE_VERSION, "results": entries}, ensure_ascii=False, indent=1)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cache-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(payload + "\n")
    os.replace(tmp, path)


def is_fresh(result: Result | None, max_age_days: float, now: float) -> bool:
    """A cached result is reused only if it was fine and younger than max_age_days."""
    return (
        result is not None
        and result.ok
        and result.status not in TRANSIENT_OK
        and 0 <= now - result.checked_at < max_age_days * DAY
    )


def check_all(
    urls: Iterable[str],
    cache: dict[str, Result],
    *,
    max_age_days: float = 7.0,
    workers: int = 8,
    timeout: float = 15.0,
    now: float | None = None,
    checker: Callable[[str, float], Result] = check_url,
) -> tuple[dict[str, Result], int]:
    """Results for every URL (fresh cache entries reused, the rest checked); and how many came from the cache."""
    now = time.time() if now is None else now
    urls = sorted(set(urls))
    results = {u: cache[u] for u in urls if is_fresh(cache.get(u), max_age_days, now)}
    todo = [u for u in urls if u not in results]
    reused = len(results)
    if todo:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            for result in pool.map(lambda u: checker(u, timeout), todo):
                results[result.url] = result
    return results, reused


# ── Reporting ───────────────────────────────────────────────────────────────


def _pages(pages: set[str], limit: int = 5) -> str:
    shown = sorted(pages)[:limit]
    more = len(pages) - len(shown)
    return ", ".join(shown) + (f" (+{more} more)" if more > 0 else "")


def text_table(broken: list[Result], links: dict[str, set[str]]) -> str:
    rows = [("STATUS", "URL", "FOUND ON")] + [(r.label, r.url, _pages(links[r.url])) for r in broken]
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    return "\n".join(f"{a:<{w0}}  {b:<{w1}}  {c}" for a, b, c in rows)


def markdown_report(broken: list[Result], links: dict[str, set[str]], checked: int, reused: int) -> str:
    lines = ["# 外部链接检查 / External link check", ""]
    lines.append(f"{checked} 个外部链接，{reused} 个来自缓存；失效 {len(broken)} 个。")
    lines.append(f"{checked} external links, {reused} from the cache; {len(broken)} broken.")
    if broken:
        lines += ["", "| 状态 Status | 链接 URL | 所在页面 Found on |", "|---|---|---|"]
        for r in broken:
            pages = ", ".join(f"`{p}`" for p in sorted(links[r.url]))
            lines.append(f"| {r.label.replace('|', '/')} | <{r.url}> | {pages} |")
    return "\n".join(lines) + "\n"


# ── CLI ─────────────────────────────────────────────────────────────────────


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="check_external_links.py",
        description=(
            "Check every external http(s) link in a built site (needs the network; opt-in, "
            "never part of `make test`). HEAD, falling back to GET; results of links that "
            "were fine are cached for --max-age days."
        ),
        epilog="Exit status: 0 all links fine (or --report-only), 1 broken links found, 2 usage error.",
    )
    p.add_argument("site", type=Path, help="the built site folder (e.g. site/ from `make build`)")
    p.add_argument(
        "--max-age", type=float, default=7.0, metavar="DAYS", help="reuse good results younger than this (default: 7)"
    )
    p.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS", help="per request (default: 15)")
    p.add_argument("--workers", type=int, default=8, metavar="N", help="parallel requests (default: 8)")
    p.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE,
        metavar="FILE",
        help="JSON cache (default: .cache/external-links/cache.json)",
    )
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    p.add_argument(
        "--report",
        type=Path,
        default=DEFAULT_REPORT,
        metavar="FILE",
        help="Markdown report (default: reports/external-links.md)",
    )
    p.add_argument(
        "--ignore", action="append", default=[], metavar="PREFIX", help="skip URLs starting with PREFIX (repeatable)"
    )
    p.add_argument("--report-only", action="store_true", help="print the report but exit 0 even if links are broken")
    args = p.parse_args(argv)
    if not args.site.is_dir():
        p.error(f"site folder not found: {args.site} (run `make build` first)")
    if args.max_age < 0 or args.timeout <= 0 or args.workers < 1:
        p.error("--max-age must be >= 0, --timeout > 0 and --workers >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    skip = list(args.ignore)
    base = site_base(args.site)
    if base:
        skip.append(base)
    links = collect(args.site, skip)
    cache = {} if args.no_cache else load_cache(args.cache)
    print(f"{len(links)} external links in {args.site}" + (f" (skipping the site itself: {base})" if base else ""))

    results, reused = check_all(links, cache, max_age_days=args.max_age, workers=args.workers, timeout=args.timeout)
    if not args.no_cache:
        save_cache(args.cache, results)  # only the links the site still has

    broken = sorted((r for r in results.values() if not r.ok), key=lambda r: r.url)
    print(f"checked {len(results) - reused}, reused {reused} from the cache, broken {len(broken)}")
    if broken:
        print()
        print(text_table(broken, links))
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(markdown_report(broken, links, len(results), reused), encoding="utf-8")
        print(f"\nreport: {args.report}")
    return 1 if broken and not args.report_only else 0


if __name__ == "__main__":
    sys.exit(main())
