"""Counts and groupings as a compact aligned table inside a code block."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.views.common import cut, number

__all__ = ["Table", "text_table"]

_CELL = 40
_MAX_ROWS = 40
_MAX_CHARS = 2800


@dataclass(frozen=True)
class Table:
    text: str
    left_out: int  # rows that did not fit


def _cell(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return cut(", ".join(str(v) for v in value), _CELL)
    return cut(number(value), _CELL)


def text_table(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], *, value_header: str = "value"
) -> Table:
    """Rows padded into columns, numbers right-aligned, cut to fit one Slack section.

    >>> print(text_table(["team", "value"], [["payments", 330], ["data", 85]]).text)
    team      value
    payments    330
    data         85
    """
    heads = [value_header if c == "value" else c for c in columns]
    cells = [[_cell(v) for v in row] for row in rows]
    numeric = [
        bool(rows) and all(isinstance(r[i], int | float) for r in rows) for i in range(len(columns))
    ]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(heads)]

    def line(values: Sequence[str]) -> str:
        padded = [
            v.rjust(w) if numeric[i] else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    lines = [line(heads)]
    size = len(lines[0])
    for row in cells[:_MAX_ROWS]:
        text = line(row)
        if size + len(text) + 1 > _MAX_CHARS:
            break
        lines.append(text)
        size += len(text) + 1
    return Table(text="\n".join(lines), left_out=len(cells) - (len(lines) - 1))
