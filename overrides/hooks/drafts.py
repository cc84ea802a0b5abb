"""Hook: pages with ``status: draft`` in front matter are drafts.

The same mechanism as mkdocs 1.6 ``draft_docs`` (the file's inclusion level becomes
DRAFT: shown by ``mkdocs serve``, left out of ``mkdocs build``), but decided by the
page's front matter instead of a file pattern, so ``scripts/new_question.py`` can
scaffold a page anywhere and the contributor publishes it by deleting one line.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import Files, InclusionLevel

from macros.frontmatter import read_front_matter


def on_files(files: Files, config: Any) -> Files:
    for file in files.documentation_pages():
        meta = read_front_matter(file.content_string, "docs/" + file.src_path).data or {}
        if meta.get("status") == "draft":
            file.inclusion = InclusionLevel.DRAFT
    return files
