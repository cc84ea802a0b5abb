"""Where Chromium is and how to start it here: one definition for the tests, the audit
and the trace script.

Playwright's own browser download is not used (it needs a host this project's CI may
not reach), so everything drives Debian's Chromium (`CHROME_PATH` overrides the path, as for Lighthouse).
"""

from __future__ import annotations

import os

CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# Without the background-networking flags Chromium contacts Google hosts at start-up;
# the tests allow no request beyond 127.0.0.1, and a CI runner may have no network.
CHROME_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
