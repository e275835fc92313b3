"""`/posture status`: what the store holds and how fresh each source is."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import messages
from bot.views.common import ago, code_block, finish, header, section
from bot.views.table import text_table
from store import StoreStatus

__all__ = ["status_blocks"]

_SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")


def status_blocks(status: StoreStatus, *, now: datetime) -> list[dict[str, Any]]:
    """Totals, open findings by severity, and one line per source."""
    by_severity = sorted(
        status.open_by_severity.items(),
        key=lambda kv: (
            _SEVERITY_ORDER.index(kv[0]) if kv[0] in _SEVERITY_ORDER else len(_SEVERITY_ORDER)
        ),
    )
    severities = ", ".join(f"{n:,} {s}" for s, n in by_severity) or "none"
    summary = messages.STATUS_SUMMARY.format(
        resources=sum(status.resources_by_kind.values()),
        findings=status.findings,
        open=status.open_findings,
        severities=severities,
    )
    blocks = [header(messages.STATUS_HEADER), section(summary)]
    if not status.sources:
        blocks.append(section(messages.STATUS_NO_SOURCES))
        return finish(blocks)
    rows = []
    for s in status.sources:
        when = s.last_sync_at or s.last_seen
        rows.append([s.source, s.findings, s.open_findings, ago(when, now) if when else "never"])
    table = text_table(list(messages.STATUS_COLUMNS), rows)
    blocks += [section(messages.STATUS_SOURCES), section(code_block(table.text))]
    return finish(blocks)
