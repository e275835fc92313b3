"""An Answer for a terminal: summary, what was understood, the rows, freshness, notes."""

from __future__ import annotations

from datetime import datetime

from pipeline import Answer
from posture_cli.render import format_table

__all__ = ["format_answer"]

_MAX_ROWS = 20


def _freshness(answer: Answer) -> str:
    parts = []
    for f in answer.freshness:
        when = f.last_sync_at or f.last_seen
        parts.append(
            f"{f.source} {when:%Y-%m-%d %H:%M}" if isinstance(when, datetime) else f.source
        )
    return "data: " + ", ".join(parts) if parts else "data: no sources synced yet"


def format_answer(answer: Answer, *, show_sql: bool = False) -> str:
    lines = [answer.summary]
    if answer.understood:
        lines.append("understood as: " + " · ".join(answer.understood))
    if answer.clarifications:
        lines += [f"  {i}. {c.label}" for i, c in enumerate(answer.clarifications, start=1)]
    if answer.rows and answer.kind != "count":
        shown = answer.rows[:_MAX_ROWS]
        lines += ["", format_table(answer.columns, shown)]
        if answer.row_count > _MAX_ROWS:
            lines.append(f"... and {answer.row_count - _MAX_ROWS} more (use --json for all)")
    if show_sql and answer.sql:
        lines += ["", answer.sql]
    lines += ["", f"{_freshness(answer)} · {answer.path} · {answer.elapsed_ms:.0f} ms"]
    lines += [f"note: {n}" for n in answer.notes]
    return "\n".join(lines)
