"""The site as the tests read it: a page's front matter, and each built page parsed once per worker."""

from __future__ import annotations

import functools
from pathlib import Path

from bs4 import BeautifulSoup

from macros.data.frontmatter import read_front_matter
from tests.helpers import DOCS, built_page, soup


def front_matter(src: str) -> dict:
    """The front matter of a docs source path, as a dict."""
    return read_front_matter((DOCS / src).read_text(encoding="utf-8"), f"docs/{src}").data or {}


@functools.cache
def parsed(html: Path) -> BeautifulSoup:
    """A built HTML file, parsed once: BeautifulSoup takes seconds for the whole site, and
    many tests read every page. Shared, so never changed: take ``copy.copy`` to edit one."""
    return soup(html)


def page(site: Path, src: str) -> BeautifulSoup:
    """The built page of a docs source path, parsed once (see :func:`parsed`)."""
    return parsed(built_page(site, src))
