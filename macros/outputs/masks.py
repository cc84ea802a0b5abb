"""Attention masks of the three families: the definition, and an inline SVG figure.

The definition (``allowed``), with 1-based positions:

* causal:  query i may attend key j  iff  j <= i
* prefix:  iff  j <= k  or  j <= i        (k = prefix length)
* encoder-decoder, drawn as one block matrix over [source; target] positions:
  encoder rows see every source column and no target column (bidirectional self-attention);
  decoder rows see every source column (cross-attention) and target columns j <= i (causal).

The figure is drawn from ``allowed`` so that drawing and definition cannot drift,
and tests compare its cells with masks drawn by hand (tests/test_masks.py).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Literal

MaskKind = Literal["causal", "prefix", "encoder_decoder"]


@dataclass(frozen=True)
class Cell:
    """One query/key pair of the figure."""

    i: int  # query position, 1-based over the whole drawn sequence
    j: int  # key position
    allowed: bool
    block: str  # which attention the cell belongs to (for styling and tests)


def allowed(kind: MaskKind, i: int, j: int, k: int) -> bool:
    """Whether query ``i`` attends key ``j``. ``k`` = prefix / source length."""
    if kind == "causal":
        return j <= i
    if kind == "prefix":
        return j <= k or j <= i
    if kind == "encoder_decoder":
        if i <= k:  # encoder row: full self-attention over the source only
            return j <= k
        return j <= k or j <= i  # decoder row: cross-attention to all source + causal self
    raise ValueError(f"unknown mask kind '{kind}'")


def block_of(kind: MaskKind, i: int, j: int, k: int) -> str:
    """Name of the attention block a cell belongs to."""
    if kind == "causal":
        return "self"
    in_i, in_j = i <= k, j <= k
    if kind == "prefix":
        return "prefix" if in_j else "target"
    if in_i:
        return "encoder-self" if in_j else "none"
    return "cross" if in_j else "decoder-self"


def cells(kind: MaskKind, n: int, k: int) -> list[Cell]:
    """All n×n cells of a figure."""
    return [
        Cell(i, j, allowed(kind, i, j, k), block_of(kind, i, j, k)) for i in range(1, n + 1) for j in range(1, n + 1)
    ]


TITLES = {
    "causal": "因果解码器的注意力掩码",
    "prefix": "前缀解码器的注意力掩码",
    "encoder_decoder": "编码器-解码器的注意力掩码",
}


def describe(kind: MaskKind, n: int, k: int) -> str:
    """Text alternative: what the grid shows, for screen readers and search."""
    if kind == "causal":
        return f"{n}×{n} 网格，行是查询位置 i，列是键位置 j。下三角（含对角线）为可见：位置 i 只能看到 j ≤ i 的 token。"
    if kind == "prefix":
        return (
            f"{n}×{n} 网格，前 {k} 个位置是前缀。前缀列对所有行可见（前缀内部双向），"
            f"其余部分为下三角：目标位置 i 能看到整个前缀和 j ≤ i 的目标 token；前缀位置看不到目标。"
        )
    return (
        f"{n}×{n} 分块网格，前 {k} 个位置是源序列（编码器），后 {n - k} 个是目标序列（解码器）。"
        "编码器行看到全部源位置（双向自注意力）；解码器行看到全部源位置（交叉注意力）"
        "以及 j ≤ i 的目标位置（因果自注意力）。"
    )


def render_svg(kind: MaskKind, n: int = 6, k: int = 3, uid: str = "mask") -> str:
    """Inline SVG with <title>/<desc>; colours come from CSS classes (light and dark)."""
    if not 1 <= k < n <= 16:
        raise ValueError("need 1 <= k < n <= 16")
    size, pad = 28, 34  # cell size and room for axis labels
    width = height = pad + n * size + 4
    labels = [f"x{p}" if kind != "encoder_decoder" else (f"s{p}" if p <= k else f"t{p - k}") for p in range(1, n + 1)]
    title_id, desc_id = f"{uid}-title", f"{uid}-desc"
    out = [
        f'<svg class="mask-figure mask-{kind}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{html.escape(TITLES[kind])}</title>',
        f'<desc id="{desc_id}">{html.escape(describe(kind, n, k))}</desc>',
    ]
    for p, label in enumerate(labels):
        x = pad + p * size + size / 2
        y = pad + p * size + size / 2
        out.append(f'<text class="mask-label" x="{x}" y="{pad - 8}" text-anchor="middle">{label}</text>')
        out.append(f'<text class="mask-label" x="{pad - 6}" y="{y + 4}" text-anchor="end">{label}</text>')
    for c in cells(kind, n, k):
        x, y = pad + (c.j - 1) * size, pad + (c.i - 1) * size
        state = "on" if c.allowed else "off"
        out.append(
            f'<rect class="mask-cell mask-{state} mask-block-{c.block}" x="{x}" y="{y}" width="{size}" height="{size}" '
            f'data-i="{c.i}" data-j="{c.j}" data-allowed="{int(c.allowed)}" data-block="{c.block}"/>'
        )
    if kind != "causal":  # outline the prefix / source part
        out.append(f'<rect class="mask-prefix" x="{pad}" y="{pad}" width="{k * size}" height="{n * size}"/>')
    out.append("</svg>")
    return "".join(out)


LEGENDS = {
    "causal": "实心格 = 可以看到（j ≤ i），空格 = 被掩码屏蔽。",
    "prefix": "实心格 = 可以看到；粗框 = 前缀（输入）列，前缀内部双向可见。",
    "encoder_decoder": "s = 源序列（编码器），t = 目标序列（解码器）。粗框 = 编码器输出；左下块是交叉注意力，右下块是解码器的因果自注意力。",
}


def render_figure(kind: MaskKind, n: int = 6, k: int = 3, uid: str = "mask") -> str:
    """The SVG inside a <figure> with a visible caption (HTML, safe in Markdown)."""
    return (
        f'<figure class="mask" data-search-exclude data-mask="{kind}" data-n="{n}" data-k="{k}">'
        + render_svg(kind, n, k, uid)
        + f"<figcaption>{html.escape(TITLES[kind])}：{html.escape(LEGENDS[kind])}</figcaption></figure>"
    )
