"""Hook: pages with ``status: draft`` in front matter are drafts.

The same mechanism as mkdocs 1.6 ``draft_docs`` (the file's inclusion level becomes
DRAFT: shown by ``mkdocs serve``, left out of ``mkdocs build``), but decided by the
page's front matter instead of a file pattern, so ``scripts/new_question.py`` can
scaffold a page anywhere and the contributor publishes it by deleting one line.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from macros.frontmatter import read_front_matter
from macros.mathscan import front_matter_length

MAYBE_DRAFT = re.compile(r"^status:", re.M)


def on_files(files: Files, config: Any) -> Files:
    for file in files.documentation_pages():
        source = file.content_string
        head = source[: front_matter_length(source)]
        if not MAYBE_DRAFT.search(head):  # cheap test first: most pages are not drafts
            continue
        meta = read_front_matter(source, "docs/" + file.src_path).data or {}
        if meta.get("status") == "draft":
            file.inclusion = InclusionLevel.DRAFT
    return files


def on_nav(nav: Navigation, config: Any, files: Files) -> Navigation:
    """Drop excluded drafts from the navigation.

    mkdocs keeps a nav entry whose file is excluded, so without this every page's
    sidebar (and the neighbours' footer) would link to the unpublished draft.
    Under `mkdocs serve` drafts are not excluded, so the preview shows them in place.
    """

    def published(item: Any) -> bool:
        return not (item.is_page and item.file.inclusion.is_excluded())

    def prune(items: list[Any]) -> list[Any]:
        kept = []
        for item in items:
            if item.is_section:
                item.children = prune(item.children)
                if not item.children:
                    continue
            if published(item):
                kept.append(item)
        return kept

    nav.items = prune(nav.items)
    nav.pages = [page for page in nav.pages if published(page)]
    for i, page in enumerate(nav.pages):  # previous/next links in the footer skip the drafts
        page.previous_page = nav.pages[i - 1] if i else None
        page.next_page = nav.pages[i + 1] if i + 1 < len(nav.pages) else None
    return nav
