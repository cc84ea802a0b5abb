"""The 30 秒回答 length rule (macros/stages/anatomy.py), in process: every published page
passes, and a page over either limit is refused with file, line and count."""

from __future__ import annotations

import pytest

from macros.data.errors import SourceError
from macros.stages.anatomy import MAX_BULLETS, MAX_UNITS, check_short_answer, units
from tests.helpers import DOCS


def page(bullets: list[str]) -> str:
    items = "\n".join(f"- {b}" for b in bullets)
    return f"---\nid: x\n---\n# 问题？\n\n## 30 秒回答 {{ #short-answer }}\n\n{items}\n\n## 详解 {{ #explanation }}\n\n正文\n"


def test_units_count_words_not_marks() -> None:
    assert units('GPT-3 有 1750 亿参数 {{ cite("brown2020") }}。') == 6  # GPT-3, 有, 1750, 亿, 参, 数
    assert units("[因果解码器](a.md#x) **只看左边**") == 9
    assert units("损失 $L=-\\sum_t \\log p$ 最小") == 5


def test_published_pages_pass(question_pages: list[str]) -> None:
    for src in question_pages:
        check_short_answer((DOCS / src).read_text(encoding="utf-8"), f"docs/{src}")


def test_too_many_bullets_is_refused() -> None:
    with pytest.raises(SourceError) as err:
        check_short_answer(page(["一"] * (MAX_BULLETS + 1)), "docs/s/p.md")
    assert str(err.value).startswith("docs/s/p.md:6: ") and f"{MAX_BULLETS + 1} bullets" in str(err.value)


def test_too_many_units_is_refused() -> None:
    with pytest.raises(SourceError) as err:
        check_short_answer(page(["字" * (MAX_UNITS - 10), "词 " * 11]), "docs/s/p.md")
    assert str(err.value).startswith("docs/s/p.md:6: ") and f"{MAX_UNITS + 1} units" in str(err.value)
