"""The mask renderer draws the masks as drawn by hand, and every figure on the pages is the renderer's."""

from __future__ import annotations

import re
from pathlib import Path

from macros.outputs import masks
from tests.helpers import DOCS, source_pages
from tests.published import page

# Hand-drawn: row i = query, column j = key, 1-based. A letter marks an allowed cell and
# names its block (S self, P prefix, T target, E encoder self, C cross, D decoder self);
# "·" is a masked cell. Drawn from the definitions in the papers, not from the code:
# at the size attention_mask() draws by default (n=6, k=3), and at smaller sizes; each
# drawing under its kind, n and k.
DRAWINGS = """
causal 6 3  prefix 6 3  encoder_decoder 6 3
S·····      PPP···      EEE···
SS····      PPP···      EEE···
SSS···      PPP···      EEE···
SSSS··      PPPT··      CCCD··
SSSSS·      PPPTT·      CCCDD·
SSSSSS      PPPTTT      CCCDDD

causal 4 0  prefix 5 2  encoder_decoder 5 2
S···        PP···       EE···
SS··        PP···       EE···
SSS·        PPT··       CCD··
SSSS        PPTT·       CCDD·
            PPTTT       CCDDD
"""


def read_drawings() -> dict[tuple[str, int, int], str]:
    """(kind, n, k) → its drawing, rows joined by newlines."""
    out = {}
    for block in DRAWINGS.strip("\n").split("\n\n"):
        header, *rows = block.splitlines()
        for m in re.finditer(r"(\w+) (\d+) (\d+)", header):
            n = int(m[2])
            out[(m[1], n, int(m[3]))] = "\n".join(row[m.start() : m.start() + n] for row in rows[:n])
            assert all(len(row) == n for row in out[(m[1], n, int(m[3]))].splitlines()), m[0]
    return out


HAND_DRAWN = read_drawings()
LETTER = {"self": "S", "prefix": "P", "target": "T", "encoder-self": "E", "cross": "C", "decoder-self": "D"}


def picture(kind: str, n: int, k: int) -> str:
    """The renderer's cells of one figure, drawn like HAND_DRAWN."""
    grid = [["·"] * n for _ in range(n)]
    for c in masks.cells(kind, n, k):
        if c.allowed:
            grid[c.i - 1][c.j - 1] = LETTER[c.block]
    return "\n".join("".join(row) for row in grid)


def differing_cells(a: str, b: str) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, (row_a, row_b) in enumerate(zip(a.splitlines(), b.splitlines(), strict=True), 1)
        for j, (x, y) in enumerate(zip(row_a, row_b, strict=True), 1)
        if x != y
    ]


def test_renderer_draws_the_hand_drawn_masks() -> None:
    for kind, n, k in HAND_DRAWN:
        assert differing_cells(picture(kind, n, k), HAND_DRAWN[(kind, n, k)]) == [], (kind, n, k)
    # The comparison can fail: mask one allowed cell of a drawing, and it names exactly that cell.
    rows = HAND_DRAWN[("prefix", 6, 3)].splitlines()
    rows[3] = rows[3][:3] + "·" + rows[3][4:]  # query 4 may no longer see key 4
    assert differing_cells(picture("prefix", 6, 3), "\n".join(rows)) == [(4, 4)]


def mismatches(figures) -> list[str]:
    out = []
    for src, kind, n, k, cells in figures:
        if len(cells) != n * n:
            out.append(f"{src}: {kind} has {len(cells)} cells")
        if (kind, n, k) in HAND_DRAWN:  # the figure against the drawing, cell by cell
            rows = HAND_DRAWN[(kind, n, k)].splitlines()
            want = {(i, j): rows[i - 1][j - 1] != "·" for i in range(1, n + 1) for j in range(1, n + 1)}
        else:  # a size nobody drew: against the renderer, which the drawings above prove
            want = {(c.i, c.j): c.allowed for c in masks.cells(kind, n, k)}
        out += [f"{src}: {kind} cell ({i},{j})" for (i, j), on in cells.items() if on != want.get((i, j))]
    return out


def test_every_attention_mask_call_draws_its_mask(site: Path) -> None:
    """Each attention_mask() call in a page's source becomes one figure in its built page,
    an accessible picture (a title and a description) whose cells are the mask's."""
    figures = []
    for src in source_pages():
        found = page(site, src).select("figure.mask")
        calls = (DOCS / src).read_text(encoding="utf-8").count("attention_mask(")
        assert len(found) == calls, f"{src}: {calls} attention_mask() call(s), {len(found)} figure(s)"
        for fig in found:
            svg = fig.svg
            ids = svg["aria-labelledby"].split()
            assert svg["role"] == "img", src
            assert svg.find("title", id=ids[0]).get_text() and svg.find("desc", id=ids[1]).get_text(), src
            cells = {
                (int(r["data-i"]), int(r["data-j"])): r["data-allowed"] == "1" for r in fig.select("rect.mask-cell")
            }
            figures.append((src, fig["data-mask"], int(fig["data-n"]), int(fig["data-k"]), cells))
    assert figures, "no page shows a mask figure"
    assert not mismatches(figures), "\n".join(mismatches(figures))
    # The comparison can fail: flip one drawn cell, and it reports exactly that cell.
    src, kind, n, k, cells = figures[0]
    assert mismatches([(src, kind, n, k, {**cells, (1, n): not cells[(1, n)]})]) == [f"{src}: {kind} cell (1,{n})"]
