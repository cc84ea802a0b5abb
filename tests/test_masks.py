"""The mask figures drawn on the pages equal the mask definitions (macros/masks.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros import masks
from tests.helpers import DOCS, built_page, soup, source_pages


def expected(kind: str, i: int, j: int, k: int) -> bool:
    """An independent restatement of the definitions, 1-based, k = prefix / source length."""
    if kind == "causal":
        return j <= i
    if kind == "prefix":
        return j <= k or j <= i
    # encoder-decoder over [source; target]: encoder rows full over the source only,
    # decoder rows: cross-attention to the whole source, causal over the target.
    encoder_row, source_col = i <= k, j <= k
    if encoder_row:
        return source_col
    return source_col or j <= i


def drawn_figures(site: Path) -> list[tuple[str, str, int, int, dict[tuple[int, int], bool]]]:
    out = []
    for src in source_pages():
        for fig in soup(built_page(site, src)).select("figure.mask"):
            cells = {
                (int(r["data-i"]), int(r["data-j"])): r["data-allowed"] == "1" for r in fig.select("rect.mask-cell")
            }
            out.append((src, fig["data-mask"], int(fig["data-n"]), int(fig["data-k"]), cells))
    return out


def test_every_attention_mask_call_draws_a_figure(site: Path) -> None:
    """Each attention_mask() call in a page's source becomes one figure in its built page."""
    calls = {src: (DOCS / src).read_text(encoding="utf-8").count("attention_mask(") for src in source_pages()}
    assert any(calls.values()), "no page shows a mask figure"
    drawn: dict[str, int] = {}
    for src, *_ in drawn_figures(site):
        drawn[src] = drawn.get(src, 0) + 1
    for src, n in calls.items():
        assert drawn.get(src, 0) == n, f"{src}: {n} attention_mask() call(s), {drawn.get(src, 0)} figure(s)"


def mismatches(figures) -> list[str]:
    out = []
    for src, kind, n, k, cells in figures:
        if len(cells) != n * n:
            out.append(f"{src}: {kind} has {len(cells)} cells")
        out += [f"{src}: {kind} cell ({i},{j})" for (i, j), on in cells.items() if on != expected(kind, i, j, k)]
    return out


def test_drawn_cells_equal_definition(site: Path) -> None:
    figures = drawn_figures(site)
    assert figures
    assert not mismatches(figures), "\n".join(mismatches(figures))


def test_comparison_can_fail(site: Path) -> None:
    """Flip one drawn cell: the comparison reports exactly that cell."""
    src, kind, n, k, cells = drawn_figures(site)[0]
    cells = dict(cells)
    cells[(1, n)] = not cells[(1, n)]
    assert mismatches([(src, kind, n, k, cells)]) == [f"{src}: {kind} cell (1,{n})"]


def test_figures_are_accessible(site: Path) -> None:
    for src in source_pages():
        for svg in soup(built_page(site, src)).select("figure.mask svg"):
            ids = svg["aria-labelledby"].split()
            assert svg["role"] == "img"
            assert svg.find("title", id=ids[0]).get_text() and svg.find("desc", id=ids[1]).get_text()


@pytest.mark.parametrize("kind", ["causal", "prefix", "encoder_decoder"])
def test_renderer_against_definition_for_other_sizes(kind: str) -> None:
    for n, k in [(2, 1), (5, 2), (8, 5)]:
        for c in masks.cells(kind, n, k):  # type: ignore[arg-type]
            assert c.allowed == expected(kind, c.i, c.j, k)
