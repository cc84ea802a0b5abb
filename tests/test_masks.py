"""The mask renderer draws the masks as drawn by hand, and every figure on the pages is the renderer's."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.outputs import masks
from tests.helpers import DOCS, built_page, soup, source_pages

# Hand-drawn: row i = query, column j = key, 1-based. A letter marks an allowed cell and
# names its block (S self, P prefix, T target, E encoder self, C cross, D decoder self);
# "·" is a masked cell. Drawn from the definitions in the papers, not from the code:
# at the size attention_mask() draws by default (n=6, k=3), and at smaller sizes.
HAND_DRAWN = {
    ("causal", 6, 3): """
        S·····
        SS····
        SSS···
        SSSS··
        SSSSS·
        SSSSSS
    """,
    ("prefix", 6, 3): """
        PPP···
        PPP···
        PPP···
        PPPT··
        PPPTT·
        PPPTTT
    """,
    ("encoder_decoder", 6, 3): """
        EEE···
        EEE···
        EEE···
        CCCD··
        CCCDD·
        CCCDDD
    """,
    ("causal", 4, 0): """
        S···
        SS··
        SSS·
        SSSS
    """,
    ("prefix", 5, 2): """
        PP···
        PP···
        PPT··
        PPTT·
        PPTTT
    """,
    ("encoder_decoder", 5, 2): """
        EE···
        EE···
        CCD··
        CCDD·
        CCDDD
    """,
}
LETTER = {"self": "S", "prefix": "P", "target": "T", "encoder-self": "E", "cross": "C", "decoder-self": "D"}


def picture(kind: str, n: int, k: int) -> str:
    """The renderer's cells of one figure, drawn like HAND_DRAWN."""
    grid = [["·"] * n for _ in range(n)]
    for c in masks.cells(kind, n, k):
        if c.allowed:
            grid[c.i - 1][c.j - 1] = LETTER[c.block]
    return "\n".join("".join(row) for row in grid)


def hand_drawn(kind: str, n: int, k: int) -> str:
    return "\n".join(line.strip() for line in HAND_DRAWN[(kind, n, k)].strip().splitlines())


def differing_cells(a: str, b: str) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, (row_a, row_b) in enumerate(zip(a.splitlines(), b.splitlines(), strict=True), 1)
        for j, (x, y) in enumerate(zip(row_a, row_b, strict=True), 1)
        if x != y
    ]


@pytest.mark.parametrize(("kind", "n", "k"), list(HAND_DRAWN))
def test_renderer_draws_the_hand_drawn_mask(kind: str, n: int, k: int) -> None:
    assert differing_cells(picture(kind, n, k), hand_drawn(kind, n, k)) == []


def test_hand_drawn_comparison_can_fail() -> None:
    """Mask one allowed cell of a drawing: the comparison names exactly that cell."""
    rows = hand_drawn("prefix", 6, 3).splitlines()
    rows[3] = rows[3][:3] + "·" + rows[3][4:]  # query 4 may no longer see key 4
    assert differing_cells(picture("prefix", 6, 3), "\n".join(rows)) == [(4, 4)]


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
        if (kind, n, k) in HAND_DRAWN:  # the figure against the drawing, cell by cell
            rows = hand_drawn(kind, n, k).splitlines()
            want = {(i, j): rows[i - 1][j - 1] != "·" for i in range(1, n + 1) for j in range(1, n + 1)}
        else:  # a size nobody drew: against the renderer, which the drawings above prove
            want = {(c.i, c.j): c.allowed for c in masks.cells(kind, n, k)}
        out += [f"{src}: {kind} cell ({i},{j})" for (i, j), on in cells.items() if on != want.get((i, j))]
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
