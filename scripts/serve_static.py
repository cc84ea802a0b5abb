#!/usr/bin/env python3
"""Serve a built site the way a production static host does: gzip and cache headers.

Used by the audit (scripts/audit.py) so that Lighthouse and the page-weight report
see realistic transfer sizes; binds to 127.0.0.1 only.

Why hand-written: the standard library's http.server has neither compression nor
cache headers, and a real server (nginx) would be an apt install and a config file
for a measurement command; this is ~60 lines on top of http.server and is only
ever used on loopback.

Usage: python -m scripts.serve_static SITE_DIR [--port 8010]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import os
import re
import threading
from pathlib import Path

COMPRESSIBLE = re.compile(r"\.(html|css|js|json|xml|svg|txt|map|mjs)$")
HASHED = re.compile(r"\.[0-9a-f]{8}\.min\.(js|css)$")  # material's fingerprinted bundles


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0]
        if HASHED.search(path):
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        elif path.endswith((".css", ".js", ".json", ".svg", ".png", ".woff2")):
            self.send_header("Cache-Control", "public, max-age=3600")
        else:
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # redirect to the slash URL
            path = os.path.join(path, "index.html")
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and COMPRESSIBLE.search(path) and os.path.isfile(path)):
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path, port: int = 0) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start serving in a background thread; returns the server and its base URL."""
    handler = functools.partial(Handler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--port", type=int, default=8010)
    args = parser.parse_args()
    httpd, url = serve(args.site, args.port)
    print(f"serving {args.site} on {url} (gzip, cache headers); Ctrl-C to stop")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        httpd.shutdown()


if __name__ == "__main__":
    main()
