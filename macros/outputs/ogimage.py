"""Link-preview pictures: one 1200×630 PNG per question page (``og:image``).

A pasted link (WeChat, Weibo, Slack, X …) shows the picture large: the question in
bold, its section and the site name, white on the site's indigo. It is drawn at build
time with Pillow in the system's Noto Sans CJK (Debian's ``fonts-noto-cjk``; the site
ships no font), offline, and kept in a cache keyed by everything that decides its
pixels (:func:`card_key`): a page whose question did not change costs one file copy.

Chinese lines break between any two characters, but not before closing punctuation
(，。？）…) nor after opening punctuation (（《“…); Latin words (``RoPE``, ``KV``) stay
whole, and a hyphenated one breaks only after its hyphen (``Encoder-`` / ``Decoder``). The question takes the largest size at which it fits in its lines,
and its lines are balanced (the last one is not left with a single character).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

WIDTH, HEIGHT = 1200, 630
# The renderer's version is this file's own text: any change to the drawing or the line
# breaking draws every picture again, with no version number to forget.
RENDERER_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
FAMILY = "Noto Sans CJK SC"
# Where Debian's fonts-noto-cjk puts the two weights, if fontconfig cannot be asked.
KNOWN_FILES = {
    "Regular": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    "Bold": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
}

BACKGROUND = (64, 81, 181)  # material's indigo (--md-primary-fg-color, #4051b5)
BAND = (48, 63, 159)  # the darker strip at the bottom (#303f9f)
WHITE = (255, 255, 255)
MUTED = (220, 225, 247)
MARGIN = 72
QUESTION_TOP, QUESTION_BOTTOM = 150, 520  # the question's box, vertically centred in it
QUESTION_SIZES = (76, 68, 60, 54, 48)  # tried from the largest down
LINE_HEIGHT = 1.32

NO_LINE_START = set("，。、；：？！）》」』】〕”’…—·%)]},.;:?!")
NO_LINE_END = set("（《「『【〔“‘([{")
# A Latin word or number (a line may break after its hyphen: Encoder- / Decoder), spaces, one character.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_/²³]*-?|\s+|.", re.S)


class FontMissing(RuntimeError):
    """The CJK font is not installed: the message says how to install it."""


@dataclass(frozen=True)
class Card:
    """What a picture shows."""

    question: str
    section: str
    site_name: str
    host: str


# ── Fonts ───────────────────────────────────────────────────────────────────


def _fc_match(style: str) -> Path | None:
    try:
        proc = subprocess.run(
            ["fc-match", "-f", "%{file}\t%{family}", f"{FAMILY}:style={style}"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    file, _, families = proc.stdout.partition("\t")
    # fc-match always answers: with another font when Noto CJK is missing.
    return Path(file) if proc.returncode == 0 and FAMILY in families.split(",") else None


@cache
def font_file(style: str) -> tuple[Path, int]:
    """The font file of ``FAMILY`` in ``style`` (Regular, Bold) and the face's index in it."""
    from PIL import ImageFont

    for path in (_fc_match(style), KNOWN_FILES[style]):
        if path is None or not path.is_file():
            continue
        for index in range(16):  # a .ttc holds several faces (JP, KR, SC, TC, HK …)
            try:
                name = ImageFont.truetype(str(path), 12, index=index).getname()
            except OSError:
                break
            if name == (FAMILY, style):
                return path, index
    raise FontMissing(
        f"link-preview pictures (og:image) are drawn in {FAMILY} {style}, which is not installed: "
        "install Debian's fonts-noto-cjk (`apt-get install fonts-noto-cjk`; `make build` and `make test` do it)"
    )


@cache
def font(style: str, size: int):
    """Noto Sans CJK SC in ``style`` (Regular, Bold) at ``size`` px (also the books' cover)."""
    from PIL import ImageFont

    path, index = font_file(style)
    return ImageFont.truetype(str(path), size, index=index, layout_engine=ImageFont.Layout.BASIC)


@cache
def _file_digest(path: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def card_key(card: Card) -> str:
    """Everything that decides the picture's pixels: its text, the font files (their
    bytes), this module's text, Pillow's and FreeType's versions."""
    import PIL
    from PIL import features

    fonts = []
    for style in ("Regular", "Bold"):
        path, index = font_file(style)
        st = path.stat()
        fonts.append([_file_digest(path, st.st_size, st.st_mtime_ns), index])
    what = {
        "renderer": RENDERER_VERSION,
        "pillow": PIL.__version__,
        "freetype": features.version("freetype2"),
        "fonts": fonts,
        "card": [card.question, card.section, card.site_name, card.host],
    }
    return hashlib.sha256(json.dumps(what, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


# ── Line breaking ───────────────────────────────────────────────────────────


def _units(text: str) -> list[str]:
    """Pieces a line may not be broken inside: a Latin word or number, a run of spaces,
    one Han character; closing punctuation is glued to what precedes it, opening
    punctuation to what follows."""
    units: list[str] = []
    glue_next = False
    for token in _TOKEN.findall(text):
        if units and (glue_next or token[0] in NO_LINE_START) and not token.isspace():
            units[-1] += token
        else:
            units.append(token)
        glue_next = token[-1] in NO_LINE_END
    return units


def _greedy(units: list[str], width: float, measure) -> list[str]:
    lines: list[str] = []
    line = ""
    for unit in units:
        if not line and unit.isspace():
            continue
        if line and measure((line + unit).rstrip()) > width:
            lines.append(line.rstrip())
            line = "" if unit.isspace() else unit
        else:
            line += unit
        while measure(line.rstrip()) > width and len(line.rstrip()) > 1:  # one unit wider than the line: cut it
            cut = len(line)
            while cut > 1 and measure(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:].lstrip()
    if line.strip():
        lines.append(line.rstrip())
    return lines


def wrap(text: str, width: float, measure) -> list[str]:
    """``text`` in as few lines of at most ``width`` as possible, with lines as even as
    that number of lines allows. ``measure`` gives a string's width."""
    units = _units(" ".join(text.split()))
    lines = _greedy(units, width, measure)
    if len(lines) < 2:
        return lines
    low, high = width / 2, width  # the narrowest width that still needs no more lines
    while high - low > 1:
        mid = (low + high) / 2
        if len(_greedy(units, mid, measure)) <= len(lines):
            high = mid
        else:
            low = mid
    return _greedy(units, high, measure)


def question_lines(question: str) -> tuple[int, list[str]]:
    """The question's font size and lines: the largest size whose lines fit the box;
    at the smallest size, the last line that fits ends with an ellipsis."""
    width = WIDTH - 2 * MARGIN
    for size in QUESTION_SIZES:
        face = font("Bold", size)
        lines = wrap(question, width, face.getlength)
        if len(lines) * size * LINE_HEIGHT <= QUESTION_BOTTOM - QUESTION_TOP:
            return size, lines
    keep = int((QUESTION_BOTTOM - QUESTION_TOP) // (size * LINE_HEIGHT))
    last = lines[keep - 1]
    while last and face.getlength(last + "…") > width:
        last = last[:-1]
    return size, [*lines[: keep - 1], last + "…"]


# ── Drawing ─────────────────────────────────────────────────────────────────


def draw(card: Card):
    """The picture, as a Pillow image."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    pen = ImageDraw.Draw(image)
    pen.text((MARGIN, 96), card.site_name, font=font("Bold", 36), fill=MUTED, anchor="ls")
    size, lines = question_lines(card.question)
    step = size * LINE_HEIGHT
    top = QUESTION_TOP + (QUESTION_BOTTOM - QUESTION_TOP - step * len(lines)) / 2
    for i, line in enumerate(lines):
        # baseline at ~0.8 of the first line's height below its top (CJK ascent)
        pen.text((MARGIN, top + i * step + size * 1.02), line, font=font("Bold", size), fill=WHITE, anchor="ls")
    pen.rectangle((0, 548, WIDTH, HEIGHT), fill=BAND)
    pen.text((MARGIN, 602), card.section, font=font("Regular", 32), fill=WHITE, anchor="ls")
    pen.text((WIDTH - MARGIN, 602), card.host, font=font("Regular", 28), fill=MUTED, anchor="rs")
    return image


def render(card: Card, out: Path, cache_dir: Path) -> bool:
    """Write the picture of ``card`` to ``out``, from ``cache_dir`` if it was drawn before.
    Returns whether it came from the cache."""
    cached = cache_dir / f"{card_key(card)[:32]}.png"
    hit = cached.is_file()
    if not hit:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        # A palette of 64 colours keeps the antialiased text smooth at half the RGB size
        # (≈ 25 KB instead of ≈ 60 KB); zlib's "optimize" would save 10 % more at twice the time.
        draw(card).quantize(64, dither=0).save(tmp, "PNG")
        tmp.replace(cached)  # atomic: parallel builds never read half a file
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, out)
    return hit
