"""Debian's Chromium (``CHROME_PATH`` overrides the path, as for Lighthouse), for the tests,
the audit, the trace and the contact sheet: Playwright's own browser download needs a
host this project's CI may not reach."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scripts.serve_static import serve

CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# Without the background-networking flags Chromium contacts Google hosts at start-up;
# the tests allow no request beyond 127.0.0.1, and a CI runner may have no network.
CHROME_ARGS = [
    *"--headless --no-sandbox --disable-gpu --disable-quic --no-first-run".split(),
    *"--disable-background-networking --disable-component-update --disable-sync".split(),
]


@contextmanager
def browse(site: Path) -> Iterator[tuple[Any, str]]:
    """A built site served on 127.0.0.1 (scripts/serve_static.py) and a headless Chromium:
    yields (Playwright browser, base URL)."""
    from playwright.sync_api import sync_playwright

    httpd, base = serve(site)
    try:
        with sync_playwright() as pw:
            yield pw.chromium.launch(executable_path=CHROME, args=CHROME_ARGS), base
    finally:
        httpd.shutdown()
