"""Plain-text rendering for the terminal: aligned tables, no colour codes to strip."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from store import StoreStatus

__all__ = ["format_status", "format_table", "human_bytes"]


def human_bytes(size: int) -> str:
    """A size for people.

    >>> human_bytes(1536)
    '1.5 KiB'
    """
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def format_table(columns: Sequence[str], rows: Sequence[Sequence[object]], width: int = 40) -> str:
    """Columns padded to their widest cell (cut at ``width``).

    >>> print(format_table(["a", "b"], [[1, "x"]]))
    a  b
    -  -
    1  x
    """
    cells = [[_cell(v)[:width] for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths).rstrip())
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


def format_status(status: StoreStatus) -> str:
    """What `posture status` prints: the store, its contents and per-source freshness."""
    kinds = ", ".join(f"{n} {k}s" for k, n in status.resources_by_kind.items()) or "none"
    severities = ", ".join(f"{n} {s}" for s, n in status.open_by_severity.items()) or "none"
    size = human_bytes(status.size_bytes)
    lines = [
        f"store      {status.path} ({size}, schema v{status.schema_version})",
        f"written by {', '.join(status.origins) or 'nobody yet'}",
        f"resources  {sum(status.resources_by_kind.values())}: {kinds}",
        f"findings   {status.findings} ({status.open_findings} open: {severities})",
        f"vulns      {status.vulnerabilities} distinct package vulnerabilities",
        "",
        format_table(
            ["source", "findings", "open", "last seen", "last sync"],
            [
                [s.source, s.findings, s.open_findings, s.last_seen, s.last_sync_at]
                for s in status.sources
            ],
        ),
    ]
    return "\n".join(lines)
