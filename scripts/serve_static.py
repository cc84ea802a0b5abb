"""Serve a built site on 127.0.0.1 as a production static host does, with gzip and cache
headers, so that the audit and the browser tests see realistic transfer sizes.

Hand-written on top of http.server, which has neither: a real server (nginx) would be an
apt install and a config file for a loopback-only measurement.
"""

from __future__ import annotations

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
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")  # (without the slash, http.server redirects)
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "") and COMPRESSIBLE.search(path)
        if not (gzipped and os.path.isfile(path)):
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
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"
