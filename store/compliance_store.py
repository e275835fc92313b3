"""Compliance tables: the framework mappings the views join, and stored snapshots.

Plain rows in, plain rows out, so the store does not depend on the compliance package.
Every write is one transaction on the connection it is given; callers that share a
connection across threads hold its lock around these calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

import duckdb

__all__ = [
    "CheckRow",
    "ControlRow",
    "ResultRow",
    "SnapshotRow",
    "latest_snapshot",
    "record_snapshot",
    "replace_mappings",
    "snapshot_history",
    "snapshot_results",
]


class CheckRow(NamedTuple):
    check_id: str
    title: str
    resource_kinds: list[str]
    sources: list[str]


class ControlRow(NamedTuple):
    framework: str
    control_id: str
    title: str
    section: str | None
    description: str | None
    checks: list[str]


class SnapshotRow(NamedTuple):
    snapshot_id: int  # 0 when recording: the store assigns it
    framework: str
    framework_version: str
    taken_at: datetime  # UTC, naive
    scope_key: str
    environment: str | None
    team: str | None
    cloud: str | None
    account: str | None
    passed: int
    failed: int
    not_assessed: int
    pass_rate: float | None
    sources: list[str]


class ResultRow(NamedTuple):
    control_id: str
    status: str
    reason: str
    failing_findings: int
    failing_resources: int
    max_risk_score: float | None
    risk_total: float


_Statement = tuple[str, list[Any], bool]  # sql, parameters, executemany?


def _run_all(con: duckdb.DuckDBPyConnection, statements: Iterable[_Statement]) -> None:
    """Run the statements in order, inside the caller's transaction."""
    for sql, params, many in statements:
        if many and params:
            con.executemany(sql, params)
        elif not many:
            con.execute(sql, params)


def replace_mappings(
    con: duckdb.DuckDBPyConnection, checks: Sequence[CheckRow], controls: Sequence[ControlRow]
) -> None:
    """Replace the mapping tables with the given rows (inside the caller's transaction)."""
    links = [[c.framework, c.control_id, k] for c in controls for k in c.checks]
    _run_all(
        con,
        [
            ("DELETE FROM raw.compliance_control_checks", [], False),
            ("DELETE FROM raw.compliance_controls", [], False),
            ("DELETE FROM raw.compliance_checks", [], False),
            ("INSERT INTO raw.compliance_checks VALUES (?, ?, ?, ?)", [*map(list, checks)], True),
            (
                "INSERT INTO raw.compliance_controls VALUES (?, ?, ?, ?, ?)",
                [list(c[:5]) for c in controls],
                True,
            ),
            ("INSERT INTO raw.compliance_control_checks VALUES (?, ?, ?)", links, True),
        ],
    )


def record_snapshot(
    con: duckdb.DuckDBPyConnection, snapshot: SnapshotRow, results: Sequence[ResultRow]
) -> int:
    """Store one snapshot and its per-control results (inside the caller's transaction).

    Returns the new snapshot id.
    """
    row = con.execute(
        "SELECT coalesce(max(snapshot_id), 0) + 1 FROM raw.compliance_snapshots"
    ).fetchall()
    snapshot_id = int(row[0][0])
    con.execute(
        f"INSERT INTO raw.compliance_snapshots VALUES ({', '.join('?' * 14)})",
        [snapshot_id, *list(snapshot[1:])],
    )
    if results:
        con.executemany(
            "INSERT INTO raw.compliance_results VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [[snapshot_id, *list(r)] for r in results],
        )
    return snapshot_id


_SNAPSHOT_COLUMNS = (
    "snapshot_id, framework, framework_version, taken_at, scope_key, environment, team, "
    "cloud, account, passed, failed, not_assessed, pass_rate, sources"
)


def snapshot_history(
    con: duckdb.DuckDBPyConnection, framework: str, scope_key: str, limit: int = 365
) -> list[SnapshotRow]:
    """Stored snapshots for one framework and scope, oldest first (the last ``limit``)."""
    rows = con.execute(
        f"SELECT * FROM (SELECT {_SNAPSHOT_COLUMNS} FROM raw.compliance_snapshots "
        "WHERE framework = ? AND scope_key = ? ORDER BY taken_at DESC, snapshot_id DESC "
        "LIMIT ?) ORDER BY taken_at, snapshot_id",
        [framework, scope_key, limit],
    ).fetchall()
    return [SnapshotRow(*r) for r in rows]


def latest_snapshot(
    con: duckdb.DuckDBPyConnection, framework: str, scope_key: str
) -> SnapshotRow | None:
    history = snapshot_history(con, framework, scope_key, limit=1)
    return history[-1] if history else None


def snapshot_results(con: duckdb.DuckDBPyConnection, snapshot_id: int) -> list[ResultRow]:
    rows = con.execute(
        "SELECT control_id, status, reason, failing_findings, failing_resources, "
        "max_risk_score, risk_total FROM raw.compliance_results WHERE snapshot_id = ? "
        "ORDER BY control_id",
        [snapshot_id],
    ).fetchall()
    return [ResultRow(*r) for r in rows]
