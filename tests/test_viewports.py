"""Every published page at every viewport, in both palettes, as readers see it.

One pass loads each page once per viewport (two touch phones, a tablet, a desktop:
scripts/viewports.py) and, on that load, in the light palette and again after
switching to the dark one in place (the palette toggle only changes colours):
- the layout checks inside the page (scripts/page_checks.js): formulas and figures
  at natural size or in a scroll box, no sideways page scroll, no running text
  squeezed into a narrow column, tap targets of at least 24 px on touch screens;
- axe-core at a touch phone and at the desktop (every rule in light, contrast in dark;
  axe is injected once per load);
- no request to any host but 127.0.0.1 (Playwright's router records and aborts it),
  no console error, no uncaught error, no Content-Security-Policy violation.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from macros.data.frontmatter import read_front_matter
from scripts.serve_static import serve
from scripts.viewports import SCHEMES, VIEWPORTS, Viewport
from tests.helpers import DOCS, ROOT, built_page, page_url, read_clipboard, run_script, source_pages

CHECKS = (ROOT / "scripts" / "page_checks.js").read_text(encoding="utf-8")
TIMEOUT_MS = 15_000
LOCAL = ("127.0.0.1", "localhost")
# Content-Security-Policy violations (macros/stages/csp.py), recorded by the page itself from its first moment.
CSP_LISTENER = """window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} ${e.sample || ""}`));"""
# axe at a touch phone and at the desktop: what is reachable, legible and large enough differs.
AXE_AT = (VIEWPORTS[1].name, VIEWPORTS[-1].name)
# MathJax's SVG drawings are aria-hidden (assistive tools read the MathML beside them)
# and hold most of a formula page's nodes; leaving them out halves axe's time.
AXE_CONTEXT = {"exclude": [["mjx-container > svg"]]}
# Every default rule, plus WCAG 2.2 target size (off by default in axe-core). Only violations
# are reported in full ("resultTypes"): that takes about a third off each run.
AXE_ALL_RULES = {"rules": {"target-size": {"enabled": True}}, "resultTypes": ["violations"]}
# Only colours differ between the palettes: the dark pass checks contrast only.
AXE_DARK_RULES = {"runOnly": ["color-contrast", "link-in-text-block"], "resultTypes": ["violations"]}
BODY_SCHEME = {"light": "default", "dark": "slate"}
# The reader's toggle (overrides/partials/palette.html, handbook.js): the other radio input.
SWITCH_PALETTE = "document.querySelector('form[data-handbook-palette] input:not(:checked)')?.click()"
# The new colours are in place: the switch's frame is over and no colour transition runs.
SETTLED = """() => !document.body.hasAttribute("data-md-color-switching")
  && document.getAnimations().every((a) => a.playState !== "running")"""


def axe_violations(page, options: dict) -> list[str]:
    """axe.run on the page, where axe was injected once after the load."""
    result = page.evaluate("([context, options]) => axe.run(context, options)", [AXE_CONTEXT, options])
    return [
        f"axe {v['id']} ({v['impact']}): {v['help']} — {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in result["violations"]
    ]


def page_problems(browser, server: str, viewport: Viewport, paths: list[str], axe: bool = False) -> list[str]:
    """Load each path once; check it in both palettes. Returns one line per problem."""
    context = browser.new_context(**viewport.context_options(SCHEMES[0]))
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(CSP_LISTENER)
    problems: list[str] = []

    def route(r) -> None:
        url = r.request.url
        if urlsplit(url).hostname in LOCAL or url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            problems.append(f"request to another host: {url}")
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda exc: problems.append(f"{page.url}: uncaught {exc}"))
    page.on("console", lambda m: problems.append(f"{page.url}: console {m.text}") if m.type == "error" else None)
    try:
        for path in paths:
            page.goto(server + path, wait_until="load")
            if axe:
                page.evaluate(Axe().axe_script)
            for n, scheme in enumerate(SCHEMES):
                if n:
                    page.evaluate(SWITCH_PALETTE)
                    page.wait_for_function(SETTLED)
                where = f"{path} [{scheme}]"
                body = page.get_attribute("body", "data-md-color-scheme")
                if body != BODY_SCHEME[scheme]:
                    problems.append(f"{where}: body palette is {body}")
                checks = page.evaluate(CHECKS, {"touch": viewport.touch, "width": viewport.width})
                problems += [f"{where}: {p}" for p in checks]
                if axe:
                    problems += [f"{where}: {v}" for v in axe_violations(page, AXE_DARK_RULES if n else AXE_ALL_RULES)]
            page.evaluate("localStorage.clear()")  # the next page starts from the system palette again
            problems += [f"{path}: CSP violation: {v}" for v in page.evaluate("window.__csp")]
    finally:
        context.close()
    return problems


def folder(src: str) -> str:
    return src.rpartition("/")[0] or "(top)"


# One test per viewport and docs folder, so that the two test workers share the pages evenly.
FOLDERS = sorted({folder(src) for src in source_pages()})


@pytest.mark.parametrize("where", FOLDERS)
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: v.name)
def test_every_page_reads_well(browser, server: str, viewport: Viewport, where: str) -> None:
    paths = [page_url(src) for src in source_pages() if folder(src) == where]
    assert paths
    problems = page_problems(browser, server, viewport, paths, axe=viewport.name in AXE_AT)
    assert not problems, f"{viewport.name}:\n" + "\n".join(problems)


BAD_PAGE = """<!doctype html><meta charset="utf-8"><meta name=viewport content="width=device-width">
<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">
<body data-md-color-scheme="default"><div class="md-content md-typeset"><article>
<img src="/x.png"><p style="color:#eee;background:#fff">低对比度的文字</p>
<p><a href="#x" style="display:inline-block;width:12px;height:12px">x</a></p>
<div class="arithmatex" style="width:min-content"><mjx-container data-tex="x^2">
<svg width="60ex" height="2ex" style="max-width:100%"><rect width="10" height="10"/></svg></mjx-container></div>
<div style="width:900px">wide</div>
<p style="width:3em">一段挤在窄栏里的文字，每行只能放下两三个字</p>
<script>setTimeout(() => { throw new Error("boom") }, 0)</script>
</article></div></body>"""


def test_checks_can_fail(browser, tmp_path: Path) -> None:
    """A collapsed formula, a wide block, a 12 px link, text squeezed into a narrow column,
    an image without alt text, low-contrast text, a third-party stylesheet, a palette that does not switch
    and an uncaught error are all reported."""
    (tmp_path / "bad.html").write_text(BAD_PAGE, encoding="utf-8")
    httpd, url = serve(tmp_path)
    try:
        problems = page_problems(browser, url, VIEWPORTS[0], ["/bad.html"], axe=True)
    finally:
        httpd.shutdown()
    text = "\n".join(problems)
    assert "instead of" in text or "not drawn" in text  # collapsed formula
    assert "page scrolls sideways" in text
    assert "tap target 12×12" in text
    assert "text squeezed into a" in text and "一段挤在窄栏里" in text
    assert "uncaught" in text and "boom" in text
    assert "axe image-alt" in text and "axe color-contrast" in text
    assert "request to another host: https://fonts.googleapis.com/" in text
    assert "[dark]: body palette is default" in text


def test_policy_blocks_an_injected_script(browser, site: Path, tmp_path: Path) -> None:
    """A script or inline style that reached a built page by any road is blocked and reported."""
    src = source_pages()[0]
    text = built_page(site, src).read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in text
    injected = text.replace(
        "</article>", '<script>window.__injected = 1</script><p style="color:red">x</p></article>', 1
    )
    (tmp_path / "page.html").write_text(injected, encoding="utf-8")
    (tmp_path / "assets").symlink_to(site / "assets")
    httpd, url = serve(tmp_path)
    try:
        problems = page_problems(browser, url, VIEWPORTS[0], ["/page.html"])
        context = browser.new_context()
        page = context.new_page()
        page.goto(url + "/page.html", wait_until="load")
        ran = page.evaluate("window.__injected")
        context.close()
    finally:
        httpd.shutdown()
    assert ran is None, "the injected script ran"
    text = "\n".join(problems)
    assert "CSP violation: script-src" in text and "CSP violation: style-src" in text, text


TOUCH = [v for v in VIEWPORTS if v.touch]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", TOUCH, ids=lambda v: v.name)
def test_reader_features_work_by_tap(
    browser, server: str, site: Path, viewport: Viewport, scheme: str, question_pages: list[str]
) -> None:
    """On a touch phone: interview mode, copy-link, glossary, search and random question, by tap."""
    with_term = [src for src in question_pages if "<abbr" in built_page(site, src).read_text(encoding="utf-8")]
    assert with_term, "no question page shows a glossary term"
    start = page_url(with_term[0])
    context = browser.new_context(**viewport.context_options(scheme), permissions=["clipboard-read", "clipboard-write"])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(server + start, wait_until="load")
        answer = page.locator("h2#short-answer ~ ul").first
        page.tap("button.interview-toggle")
        expect(answer).to_be_hidden()
        page.tap("button.interview-reveal")
        expect(answer).to_be_visible()
        page.tap("button.interview-toggle")  # back to reading mode (the choice is remembered)
        expect(page.locator("button.interview-toggle")).to_have_attribute("aria-pressed", "false")
        expect(page.locator("h2#explanation ~ p").first).to_be_visible()

        page.tap("h2#short-answer button.copy-link")
        assert read_clipboard(page) == server + start + "#short-answer"

        term = page.locator("article abbr").first
        term.scroll_into_view_if_needed()
        term.tap()
        tip = page.locator(".glossary-tip")
        expect(tip).to_be_visible()
        title = term.get_attribute("title")
        assert title, "a glossary term without its definition"
        expect(tip).to_contain_text(title)
        tip.locator("a").wait_for()  # the link to the term's page arrives with glossary.json
        box = tip.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport.width
        page.locator("article").tap(position={"x": 1, "y": 1})  # a tap elsewhere closes it
        expect(tip).to_have_count(0)

        alias = first_alias(question_pages[-1])
        page.tap("label.md-header__button[for='__search']")
        page.locator("input.md-search__input").fill(alias)
        page.keyboard.press("End")
        hit = page.locator(f"li.md-search-result__item a[href*='{page_url(question_pages[-1]).strip('/')}']").first
        hit.wait_for()
        assert "\\[" not in page.locator(".md-search-result").inner_text()
        page.keyboard.press("Escape")

        page.goto(server + start, wait_until="load")
        page.locator("a.random-question").scroll_into_view_if_needed()
        page.tap("a.random-question")
        page.wait_for_url(lambda url: urlsplit(url).path != start)  # not the #section navigation.tracking writes
        assert page.url.removeprefix(server) in {page_url(src) for src in question_pages}
    finally:
        context.close()
    assert not errors, errors


def first_alias(src: str) -> str:
    meta = read_front_matter((DOCS / src).read_text(encoding="utf-8"), src).data or {}
    return str(meta["aliases"][0])


def test_contact_sheet_command(site: Path, tmp_path: Path) -> None:
    """The README's contact-sheet command writes one screenshot per viewport and palette, and an index."""
    out = tmp_path / "sheet"
    proc = run_script(ROOT, "contact_sheet.py", str(site), "--out", str(out), "--pages", "1", timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    shots = sorted(out.glob("*/*.png"))
    assert len(shots) == len(VIEWPORTS) * len(SCHEMES), shots
    assert all(p.stat().st_size > 1000 for p in shots)
    assert all(f'src="{p.parent.name}/{p.name}"' in (out / "index.html").read_text(encoding="utf-8") for p in shots)
    bad = run_script(ROOT, "contact_sheet.py", str(tmp_path))
    assert bad.returncode == 2 and "not a built site" in bad.stderr
