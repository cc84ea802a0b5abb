"""axe-core on every page, in both colour schemes: zero violations.

axe-playwright-python bundles axe-core; material picks its light ("default") or dark
("slate") palette from prefers-color-scheme, which the browser context emulates.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from scripts.viewports import SCHEMES, VIEWPORTS, Viewport
from tests.helpers import page_url, source_pages


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


# MathJax's SVG drawings are aria-hidden (assistive tools read the MathML beside them)
# and hold most of a formula page's nodes; leaving them out halves axe's time.
CONTEXT = {"exclude": [["mjx-container > svg"]]}
# Every default rule, plus WCAG 2.2 target size (off by default in axe-core).
ALL_RULES = {"rules": {"target-size": {"enabled": True}}}


def violations(axe: Axe, page, rules: list[str] | None = None) -> list[str]:
    result = axe.run(page, context=CONTEXT, options={"runOnly": rules} if rules else ALL_RULES)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in result.response["violations"]
    ]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", [VIEWPORTS[1], VIEWPORTS[-1]], ids=lambda v: v.name)
def test_no_axe_violations(browser, server: str, axe: Axe, viewport: Viewport, scheme: str) -> None:
    """At a touch phone and at a desktop: what is reachable, legible and large enough differs."""
    context = browser.new_context(**viewport.context_options(scheme))
    page = context.new_page()
    problems: list[str] = []
    try:
        for src in source_pages():
            page.goto(server + page_url(src), wait_until="load")
            expected = "slate" if scheme == "dark" else "default"
            assert page.get_attribute("body", "data-md-color-scheme") == expected
            # Only colours differ between the palettes: the dark run checks contrast only.
            rules = ["color-contrast", "link-in-text-block"] if scheme == "dark" else None
            where = f"{src} [{viewport.name}, {scheme}]"
            problems += [f"{where}: {v}" for v in violations(axe, page, rules)]
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_axe_can_fail(browser, server: str, axe: Axe) -> None:
    """An image without alt text and low-contrast text are reported."""
    page = browser.new_page()
    try:
        page.goto(server + "/", wait_until="networkidle")
        page.evaluate(
            """() => {
              const a = document.querySelector('article');
              // styled through the CSSOM: the page's Content-Security-Policy blocks style="…" markup
              const p = document.createElement('p');
              p.textContent = '低对比度';
              p.style.color = '#eee';
              p.style.background = '#fff';
              a.prepend(p);
              a.insertAdjacentHTML('afterbegin', '<img src="/assets/questions.json">');
            }"""
        )
        ids = {v.split(" ")[0] for v in violations(axe, page)}
        assert {"image-alt", "color-contrast"} <= ids, ids
    finally:
        page.close()
