"""Every page in headless Chromium: no request leaves 127.0.0.1, no console error.

Requests to any other host are recorded and aborted by Playwright's router, so
the test itself never touches the network beyond 127.0.0.1.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.helpers import page_url, source_pages

LOCAL = ("127.0.0.1", "localhost")


def visit(browser, urls: list[str]) -> tuple[list[str], list[str]]:
    """Load each URL; return (requests to other hosts, console errors)."""
    context = browser.new_context()
    foreign: list[str] = []
    errors: list[str] = []

    def route(r) -> None:
        url = r.request.url
        if urlsplit(url).hostname in LOCAL or url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            foreign.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    try:
        for url in urls:
            page.goto(url, wait_until="networkidle")
    finally:
        context.close()
    return foreign, errors


def test_no_request_to_other_hosts(browser, server: str) -> None:
    urls = [server + page_url(src) for src in source_pages()]
    foreign, errors = visit(browser, urls)
    assert not foreign, "requests to other hosts:\n" + "\n".join(sorted(set(foreign)))
    assert not errors, "\n".join(errors)


def test_foreign_request_is_caught(browser, server: str, tmp_path) -> None:
    """The check can fail: a page that loads a font from another host is reported."""
    context_urls = [server + "/"]
    foreign, _ = visit(browser, context_urls)
    assert not foreign
    # Same router, a page with a third-party stylesheet (served inline via a data: URL page).
    html = '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
    foreign, _ = visit(browser, ["data:text/html," + html])
    assert foreign == ["https://fonts.googleapis.com/css?family=Roboto"]
