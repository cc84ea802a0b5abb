"""scripts/check_external_links.py, offline: link collection, the checker and its cache.

Nothing here reaches the network: HTML comes from strings and temporary folders,
and every request goes to a local ``http.server`` on 127.0.0.1. A guard fails the
test if the script tries to open a connection anywhere else.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts import check_external_links as cel
from tests.helpers import ROOT, run_script

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No proxies, and no connection to anything but the loopback address."""
    for var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    attempts: list[str] = []
    real = socket.create_connection

    def guarded(address, *args, **kwargs):  # type: ignore[no-untyped-def]
        host = str(address[0])
        if host not in LOOPBACK:
            attempts.append(host)
            raise OSError(f"test guard: no network beyond 127.0.0.1 (tried {host})")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)
    yield
    assert not attempts, f"the test tried to reach {attempts}"


# ── A local server: a good page, a missing one, one that refuses HEAD, redirects ──


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: Counter = Counter()

    def _answer(self, body: bool) -> None:
        type(self).hits[(self.command, self.path)] += 1
        if self.path == "/ok":
            code = 200
        elif self.path == "/no-head":
            code = 405 if self.command == "HEAD" else 200
        elif self.path in ("/moved", "/loop"):
            self.send_response(301)
            self.send_header("Location", "/ok" if self.path == "/moved" else "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        else:
            code = 404
        payload = f"status {code}\n".encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if body:
            self.wfile.write(payload)

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(body=True)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.hits = Counter()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ── Collecting ──────────────────────────────────────────────────────────────

HTML = """<!doctype html><html><head>
<link rel="canonical" href="https://handbook.example/basics/x/">
<link rel="stylesheet" href="https://cdn.example/style.css">
<script src="//cdn.example/app.js"></script>
</head><body>
<a href="https://arxiv.org/abs/2204.05832#S3">paper</a>
<a href="https://arxiv.org/abs/2204.05832">same paper</a>
<a href="HTTP://Example.org?q=1">query</a>
<a href="../other/">relative</a><a href="#short-answer">anchor</a>
<a href="mailto:someone@example.org">mail</a><a href="javascript:void(0)">js</a>
<a>no href</a>
<img src="https://img.example/figure.png" alt="">
<pre><code>https://not-a-link.example/in/code</code></pre>
</body></html>"""


def test_links_in_html_finds_external_links_once() -> None:
    assert cel.links_in_html(HTML) == {
        "https://arxiv.org/abs/2204.05832",  # fragment dropped, duplicates merged
        "http://Example.org/?q=1",  # scheme lower-cased, empty path becomes /
        "https://cdn.example/style.css",
        "https://cdn.example/app.js",  # protocol-relative → https
        "https://img.example/figure.png",
    }


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("https://a.example/p#frag", "https://a.example/p"),
        ("  https://a.example  ", "https://a.example/"),
        ("//a.example/x", "https://a.example/x"),
        ("ftp://a.example/file", None),
        ("/absolute/path", None),
        ("relative.md", None),
        ("https://", None),
    ],
)
def test_normalize(href: str, expected: str | None) -> None:
    assert cel.normalize(href) == expected


def test_to_ascii_encodes_non_ascii_urls() -> None:
    url = cel.to_ascii("https://例子.测试/wiki/大模型?q=注意力")
    assert url.isascii()
    assert url.startswith("https://xn--")
    assert "%E5%A4%A7" in url  # 大


def test_collect_maps_urls_to_pages_and_skips_the_site_itself(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "basics" / "x").mkdir(parents=True)
    (site / "index.html").write_text(
        '<link rel="canonical" href="https://handbook.example/">'
        '<a href="https://handbook.example/basics/x/">self</a><a href="https://a.example/">a</a>',
        encoding="utf-8",
    )
    (site / "basics" / "x" / "index.html").write_text(
        '<a href="https://a.example/">a</a><a href="https://b.example/p">b</a>', encoding="utf-8"
    )
    (site / "404.html").write_text('<a href="https://b.example/p">b</a>', encoding="utf-8")

    base = cel.site_base(site)
    assert base == "https://handbook.example/"
    assert cel.collect(site, [base]) == {
        "https://a.example/": {"/", "basics/x/"},
        "https://b.example/p": {"404.html", "basics/x/"},
    }
    assert "https://handbook.example/basics/x/" in cel.collect(site)


# ── Checking (127.0.0.1 only) ───────────────────────────────────────────────


def test_check_url_head_then_get(server: str) -> None:
    ok = cel.check_url(f"{server}/ok", timeout=5)
    assert (ok.ok, ok.status, ok.error) == (True, 200, None)
    assert _Handler.hits[("HEAD", "/ok")] == 1 and _Handler.hits[("GET", "/ok")] == 0

    missing = cel.check_url(f"{server}/missing", timeout=5)
    assert (missing.ok, missing.status) == (False, 404)
    assert _Handler.hits[("GET", "/missing")] == 1  # a refused HEAD is retried with GET

    no_head = cel.check_url(f"{server}/no-head", timeout=5)
    assert (no_head.ok, no_head.status) == (True, 200)

    moved = cel.check_url(f"{server}/moved", timeout=5)
    assert (moved.ok, moved.status) == (True, 200)
    assert _Handler.hits[("HEAD", "/ok")] == 2  # the redirect was followed with HEAD

    loop = cel.check_url(f"{server}/loop", timeout=5)
    assert (loop.ok, loop.status, loop.error) == (False, 301, "HTTP 301")  # urllib gave up on the loop


def test_check_url_reports_connection_errors() -> None:
    result = cel.check_url(f"http://127.0.0.1:{_closed_port()}/", timeout=5)
    assert not result.ok and result.status is None and result.error
    assert result.label == result.error


# ── Cache ───────────────────────────────────────────────────────────────────


def test_cache_round_trip_and_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "cache.json"
    results = {
        "https://a.example/": cel.Result("https://a.example/", True, 200, None, 1000.0),
        "https://b.example/": cel.Result("https://b.example/", False, 404, "HTTP 404", 1000.0),
        "https://c.example/": cel.Result("https://c.example/", True, 429, None, 1000.0),
    }
    cel.save_cache(path, results)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == cel.CACHE_VERSION
    assert set(data["results"]) == {"https://a.example/", "https://b.example/"}  # rate-limited: not cached
    loaded = cel.load_cache(path)
    assert loaded["https://a.example/"] == results["https://a.example/"]
    assert loaded["https://b.example/"] == results["https://b.example/"]

    assert cel.load_cache(tmp_path / "missing.json") == {}
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    assert cel.load_cache(tmp_path / "broken.json") == {}
    (tmp_path / "old.json").write_text(json.dumps({"version": 0, "results": {}}), encoding="utf-8")
    assert cel.load_cache(tmp_path / "old.json") == {}


def test_is_fresh() -> None:
    now = 100 * cel.DAY
    good = cel.Result("u", True, 200, None, now - 2 * cel.DAY)
    assert cel.is_fresh(good, 7, now)
    assert not cel.is_fresh(good, 1, now)  # older than --max-age
    assert not cel.is_fresh(good, 0, now)  # --max-age 0: always check
    assert not cel.is_fresh(cel.Result("u", False, 404, "HTTP 404", now), 7, now)  # broken: check again
    assert not cel.is_fresh(cel.Result("u", True, 429, None, now), 7, now)  # rate-limited: unknown
    assert not cel.is_fresh(cel.Result("u", True, 200, None, now + cel.DAY), 7, now)  # from the future
    assert not cel.is_fresh(None, 7, now)


def test_check_all_reuses_only_fresh_good_results(server: str) -> None:
    now = time.time()
    ok, missing, stale = f"{server}/ok", f"{server}/missing", f"{server}/no-head"
    cache = {
        ok: cel.Result(ok, True, 200, None, now - cel.DAY),
        missing: cel.Result(missing, False, 404, "HTTP 404", now - cel.DAY),
        stale: cel.Result(stale, True, 200, None, now - 30 * cel.DAY),
    }
    results, reused = cel.check_all([ok, missing, stale, ok], cache, max_age_days=7, workers=2, timeout=5, now=now)
    assert reused == 1
    assert set(results) == {ok, missing, stale}
    assert _Handler.hits[("HEAD", "/ok")] == 0  # served from the cache
    assert _Handler.hits[("HEAD", "/missing")] == 1  # broken entries are always checked again
    assert _Handler.hits[("GET", "/no-head")] == 1  # stale entry checked again
    assert results[stale].checked_at >= now


# ── The command line ────────────────────────────────────────────────────────


def _site(tmp_path: Path, server: str) -> Path:
    site = tmp_path / "site"
    (site / "basics" / "q").mkdir(parents=True)
    (site / "index.html").write_text(f'<a href="{server}/ok">ok</a>', encoding="utf-8")
    (site / "basics" / "q" / "index.html").write_text(
        f'<a href="{server}/ok#x">ok</a> <a href="{server}/missing">gone</a>', encoding="utf-8"
    )
    return site


def test_cli_reports_broken_links_and_exit_codes(
    tmp_path: Path, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _site(tmp_path, server)
    cache, report = tmp_path / "cache" / "cache.json", tmp_path / "reports" / "links.md"
    args = [str(site), "--cache", str(cache), "--report", str(report), "--workers", "2", "--timeout", "5"]

    assert cel.main(args) == 1
    out = capsys.readouterr().out
    broken_lines = [line for line in out.splitlines() if line.startswith("404")]
    assert len(broken_lines) == 1
    assert f"{server}/missing" in broken_lines[0] and "basics/q/" in broken_lines[0]
    assert f"{server}/ok " not in out.split("STATUS", 1)[1]
    assert "| 404 |" in report.read_text(encoding="utf-8")
    assert set(json.loads(cache.read_text(encoding="utf-8"))["results"]) == {f"{server}/ok", f"{server}/missing"}

    # Second run: /ok comes from the cache, /missing is asked again; --report-only exits 0.
    assert cel.main([*args, "--report-only"]) == 0
    assert "reused 1 from the cache, broken 1" in capsys.readouterr().out
    assert _Handler.hits[("HEAD", "/ok")] == 1
    assert _Handler.hits[("HEAD", "/missing")] == 2

    # --no-cache neither reads nor writes it.
    cache.unlink()
    assert cel.main([*args, "--no-cache"]) == 1
    assert not cache.exists()
    assert _Handler.hits[("HEAD", "/ok")] == 2


def test_cli_all_good_exits_0(tmp_path: Path, server: str) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(f'<a href="{server}/ok">ok</a>', encoding="utf-8")
    args = [str(site), "--cache", str(tmp_path / "c.json"), "--report", str(tmp_path / "r.md")]
    assert cel.main(args) == 0
    report = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "1 external links, 0 from the cache; 0 broken." in report
    assert "|" not in report  # no table when nothing is broken


def test_cli_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        cel.main([str(tmp_path / "no-such-site")])
    assert exc.value.code == 2


def test_help_runs_without_network() -> None:
    proc = run_script(ROOT, "check_external_links.py", "--help")
    assert proc.returncode == 0, proc.stderr
    for option in ("--max-age", "--report-only", "--timeout", "--workers", "--cache"):
        assert option in proc.stdout
