"""The pass-rate trend as a PNG, drawn with a tiny rasteriser (zlib + struct, no numpy).

Why not matplotlib: one line chart does not justify ~60 MB of numpy, matplotlib and
Pillow in the bot's image, a second of import time, or font-dependent output; this one
is byte-for-byte deterministic, so tests can pin it. Labels use a 3x5 bitmap font for
digits, ``%``, ``-`` and ``:``; the title goes in the Slack message or the report.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from datetime import datetime

__all__ = ["Canvas", "encode_png", "trend_png"]

Colour = tuple[int, int, int]
WHITE: Colour = (255, 255, 255)
GRID: Colour = (225, 225, 225)
AXIS: Colour = (120, 120, 120)
LINE: Colour = (25, 100, 200)
TEXT: Colour = (60, 60, 60)

# 3x5 glyphs, row by row, '#' = ink
_FONT = {
    "0": "###,#.#,#.#,#.#,###",
    "1": ".#.,##.,.#.,.#.,###",
    "2": "###,..#,###,#..,###",
    "3": "###,..#,.##,..#,###",
    "4": "#.#,#.#,###,..#,..#",
    "5": "###,#..,###,..#,###",
    "6": "###,#..,###,#.#,###",
    "7": "###,..#,.#.,.#.,.#.",
    "8": "###,#.#,###,#.#,###",
    "9": "###,#.#,###,..#,###",
    "%": "#.#,..#,.#.,#..,#.#",
    "-": "...,...,###,...,...",
    ":": "...,.#.,...,.#.,...",
    " ": "...,...,...,...,...",
}


class Canvas:
    """An RGB raster with just enough drawing for a line chart."""

    def __init__(self, width: int, height: int, background: Colour = WHITE) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(background) * (width * height))

    def set(self, x: int, y: int, colour: Colour) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            i = (y * self.width + x) * 3
            self.pixels[i : i + 3] = bytes(colour)

    def rect(self, x0: int, y0: int, x1: int, y1: int, colour: Colour) -> None:
        for y in range(min(y0, y1), max(y0, y1) + 1):
            for x in range(min(x0, x1), max(x0, x1) + 1):
                self.set(x, y, colour)

    def line(self, x0: int, y0: int, x1: int, y1: int, colour: Colour, width: int = 1) -> None:
        """Bresenham, thickened by drawing a small square at each step."""
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        err, half = dx + dy, width // 2
        while True:
            self.rect(x0 - half, y0 - half, x0 - half + width - 1, y0 - half + width - 1, colour)
            if x0 == x1 and y0 == y1:
                return
            e2 = 2 * err
            if e2 >= dy:
                err, x0 = err + dy, x0 + sx
            if e2 <= dx:
                err, y0 = err + dx, y0 + sy

    def text(self, x: int, y: int, text: str, colour: Colour = TEXT, scale: int = 2) -> None:
        for n, char in enumerate(text):
            rows = _FONT.get(char, _FONT[" "]).split(",")
            for ry, row in enumerate(rows):
                for rx, ink in enumerate(row):
                    if ink == "#":
                        px, py = x + (n * 4 + rx) * scale, y + ry * scale
                        self.rect(px, py, px + scale - 1, py + scale - 1, colour)


def encode_png(canvas: Canvas) -> bytes:
    """An 8-bit RGB PNG of the canvas (filter 0 on every row)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    stride = canvas.width * 3
    raw = b"".join(
        b"\x00" + bytes(canvas.pixels[y * stride : (y + 1) * stride]) for y in range(canvas.height)
    )
    header = struct.pack(">IIBBBBB", canvas.width, canvas.height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def trend_png(
    points: Sequence[tuple[datetime, float | None]], width: int = 640, height: int = 320
) -> bytes:
    """Pass rate (0-1) over time as a PNG; ``None`` rates (nothing assessed) leave a gap.

    Args:
        points: (taken_at, pass_rate) oldest first; one point draws a dot.
        width, height: pixels.

    Returns:
        The PNG bytes.
    """
    canvas = Canvas(width, height)
    left, right, top, bottom = 56, width - 16, 16, height - 36
    for pct in (0, 25, 50, 75, 100):
        y = bottom - (bottom - top) * pct // 100
        canvas.line(left, y, right, y, GRID if pct else AXIS)
        canvas.text(4, y - 5, f"{pct:>3}%")
    canvas.line(left, top, left, bottom, AXIS)
    if not points:
        return encode_png(canvas)
    span = max((points[-1][0] - points[0][0]).total_seconds(), 1.0)

    def place(when: datetime, rate: float) -> tuple[int, int]:
        x = left + round((right - left) * (when - points[0][0]).total_seconds() / span)
        if len(points) == 1:
            x = (left + right) // 2
        return x, bottom - round((bottom - top) * max(0.0, min(1.0, rate)))

    previous: tuple[int, int] | None = None
    for when, rate in points:
        if rate is None:
            previous = None
            continue
        here = place(when, rate)
        if previous:
            canvas.line(*previous, *here, LINE, width=3)
        canvas.rect(here[0] - 3, here[1] - 3, here[0] + 3, here[1] + 3, LINE)
        previous = here
    canvas.text(left, bottom + 12, points[0][0].strftime("%Y-%m-%d"))
    last = points[-1][0].strftime("%Y-%m-%d")
    canvas.text(right - len(last) * 8, bottom + 12, last)
    return encode_png(canvas)
