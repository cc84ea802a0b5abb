"""Chinese search: the words the index keeps whole, and material's query segmenter.

mkdocs-material's search plugin cuts the Chinese text of every page into words with
jieba (default mode) when it writes search/search_index.json. In the browser, its search
worker cuts the reader's query into words it finds in that index (``segment`` in the
worker) and looks each one up as a prefix. Two things kept compound names such as
大语言模型 from their page:

- jieba's dictionary does not know the field's compound names, so the index holds
  大 / 语言 / 模型 and a query matches every page that says 大模型 and 语言.
  ``index_words`` lists the handbook's own names (front matter ``aliases`` and
  docs/data/terms.yml) for the build to add to jieba, so each is one word in the index.
- the worker's segmenter never tries a word that ends at the query's last character (its
  inner loop stops one short), so the last word of every query was dropped or cut:
  大语言模型 → 大, 语言; 混合专家 → 混合; 对齐 → 对. ``patch_search_worker`` fixes that bound.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from macros.data.terms import Terms

# A name written in Han characters only (mixed names such as "KV 缓存" are cut by the
# search separator at the space and by jieba inside each Han run anyway).
HAN_NAME = re.compile(r"[\u3400-\u9fff]{2,}")

# The segmenter's inner loop in material 9.8's minified worker (source:
# src/templates/assets/javascripts/integrations/search/query/segment/index.ts):
#   for (let j = i + 1; j < query.length; j++) if (query.slice(i, j) in index) ...
SEGMENT_LOOP = "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e"
SEGMENT_LOOP_FIXED = "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"
WORKER_NAME = re.compile(r"^search\.[0-9a-f]{8}\.min\.js$")


def index_words(terms: Terms, aliases: Iterable[str]) -> list[str]:
    """The Han-only names of the handbook: aliases, preferred terms and their variants."""
    names = [*aliases, *(name for t in terms.root for name in (t.term, *t.avoid))]
    return sorted({n for n in names if HAN_NAME.fullmatch(n)})


def patch_search_worker(js: str, name: str) -> tuple[str, str]:
    """material's search worker with the segmenter's bound fixed, and a file name for it
    in material's pattern (``search.<8 hex digits of its content>.min.js``)."""
    if js.count(SEGMENT_LOOP) != 1 or not WORKER_NAME.match(name):
        raise ValueError(
            f"mkdocs-material's search worker {name} is not the one macros/stages/search.py patches "
            f"(expected one {SEGMENT_LOOP!r}): re-check the query segmenter after the upgrade"
        )
    fixed = js.replace(SEGMENT_LOOP, SEGMENT_LOOP_FIXED)
    return fixed, f"search.{hashlib.sha256(fixed.encode()).hexdigest()[:8]}.min.js"
