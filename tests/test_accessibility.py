"""axe-core on every page, in both colour schemes: zero violations.

axe-playwright-python bundles axe-core; material picks its light ("default") or dark
("slate") palette from prefers-color-scheme, which the browser context emulates.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.helpers import page_url, source_pages


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def violations(axe: Axe, page, rules: list[str] | None = None) -> list[str]:
    result = axe.run(page, options={"runOnly": rules} if rules else None)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in result.response["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations(browser, server: str, axe: Axe, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    problems: list[str] = []
    try:
        for src in source_pages():
            page.goto(server + page_url(src), wait_until="networkidle")
            expected = "slate" if scheme == "dark" else "default"
            assert page.get_attribute("body", "data-md-color-scheme") == expected
            # Only colours differ between the palettes: the dark run checks contrast only.
            rules = ["color-contrast", "link-in-text-block"] if scheme == "dark" else None
            problems += [f"{src} [{scheme}]: {v}" for v in violations(axe, page, rules)]
            if scheme == "light":  # WCAG 2.2 target size is off by default in axe-core
                problems += [f"{src} [{scheme}]: {v}" for v in violations(axe, page, ["target-size"])]
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
              a.insertAdjacentHTML('afterbegin',
                '<img src="/assets/questions.json"><p style="color:#eee;background:#fff">低对比度</p>');
            }"""
        )
        ids = {v.split(" ")[0] for v in violations(axe, page)}
        assert {"image-alt", "color-contrast"} <= ids, ids
    finally:
        page.close()
