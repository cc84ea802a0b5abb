"""Hook: render the reader controls into the HTML, so nothing shifts when scripts run.

* a "copy link" button in every h2/h3 that has an id;
* on question pages, the interview-mode toggle under the title and the (hidden)
  "显示答案" button under the 30-second answer.

docs/assets/javascripts/handbook.js only binds behaviour to them; without
JavaScript they are hidden by a <noscript> style (overrides/main.html).
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.structure.pages import Page

# material's "link" icon (Apache-2.0, Material Design Icons), inline: emoji fonts are missing on many systems.
LINK_ICON = (
    '<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">'
    '<path fill="currentColor" d="M3.9 12c0-1.71 1.39-3.1 3.1-3.1h4V7H7a5 5 0 0 0-5 5 5 5 0 0 0 5 5h4v-1.9H7'
    "c-1.71 0-3.1-1.39-3.1-3.1M8 13h8v-2H8zm9-6h-4v1.9h4c1.71 0 3.1 1.39 3.1 3.1s-1.39 3.1-3.1 3.1h-4V17h4"
    'a5 5 0 0 0 5-5 5 5 0 0 0-5-5"/></svg>'
)
COPY_BUTTON = (
    f'<button type="button" class="copy-link" aria-label="复制本节链接" title="复制本节链接">{LINK_ICON}</button>'
)
HEADING_END = re.compile(r'(<h([23]) id="[^"]+"[^>]*>.*?)(</h\2>)', re.S)
TOGGLE = '<p class="interview-controls"><button type="button" class="interview-toggle md-button" aria-pressed="false">面试模式：先自己答</button></p>'
REVEAL = '<button type="button" class="interview-reveal md-button md-button--primary" hidden>显示答案</button>'


def on_page_content(content: str, page: Page, config: Any, files: Any) -> str:
    content = HEADING_END.sub(lambda m: m.group(1) + COPY_BUTTON + m.group(3), content)
    if '<h2 id="short-answer">' in content:
        # Under the title and its keyword line (search_aliases.py), above the answer.
        anchor = re.search(r'<p class="page-aliases">.*?</p>', content, re.S) or re.search(r"</h1>", content)
        if anchor:
            content = content[: anchor.end()] + TOGGLE + content[anchor.end() :]
        content = re.sub(
            r'(<h2 id="short-answer">.*?</h2>)', lambda m: m.group(1) + REVEAL, content, count=1, flags=re.S
        )
    return content
