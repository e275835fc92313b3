"""Sync runs in the store: where each source's current run is, and its cursor.

A run row is created when a sync starts, advanced in the same transaction as every
page it commits, and closed when the run ends; the next incremental sync asks for
changes since the closed run's start (kept in ``raw.source_state.cursor`` as well).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

from store.batch import utc_naive

__all__ = [
    "SyncRun",
    "advance",
    "clear_derive_pending",
    "derive_pending",
    "finish_run",
    "load_run",
    "mark_stream_done",
    "previous_cursor",
    "start_run",
]

_COLUMNS = (
    "source, sync_id, full_sync, started_at, since, stream, resume_token, "
    "streams_done, pages, records, skipped, derive_pending, finished_at"
)


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


@dataclass
class SyncRun:
    """One source's sync run, as stored."""

    source: str
    sync_id: str
    full: bool
    started_at: datetime
    since: datetime | None
    stream: str | None
    resume: str | None
    streams_done: list[str]
    pages: int
    records: int
    skipped: int
    derive_pending: bool
    finished_at: datetime | None

    @property
    def in_progress(self) -> bool:
        return self.finished_at is None

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> SyncRun:
        return cls(
            row[0],
            row[1],
            bool(row[2]),
            _aware(row[3]) or datetime.now(UTC),
            _aware(row[4]),
            row[5],
            row[6],
            list(row[7] or []),
            int(row[8]),
            int(row[9]),
            int(row[10]),
            bool(row[11]),
            _aware(row[12]),
        )


def load_run(con: duckdb.DuckDBPyConnection, source: str) -> SyncRun | None:
    """The source's current (or last) run, if it ever synced."""
    rows = con.execute(
        f"SELECT {_COLUMNS} FROM raw.sync_runs WHERE source = ?", [source]
    ).fetchall()
    return SyncRun.from_row(rows[0]) if rows else None


def previous_cursor(con: duckdb.DuckDBPyConnection, source: str) -> datetime | None:
    """The start of the source's last finished run: what an incremental sync asks from."""
    rows = con.execute(
        "SELECT started_at FROM raw.sync_runs WHERE source = ? AND finished_at IS NOT NULL",
        [source],
    ).fetchall()
    return _aware(rows[0][0]) if rows else None


def start_run(
    con: duckdb.DuckDBPyConnection,
    source: str,
    *,
    full: bool,
    since: datetime | None,
    started_at: datetime,
) -> SyncRun:
    """Record a new run for ``source``, replacing its previous row."""
    run = SyncRun(
        source, uuid.uuid4().hex, full, started_at, since, None, None, [], 0, 0, 0, False, None
    )
    con.execute(
        f"INSERT OR REPLACE INTO raw.sync_runs ({_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, NULL, NULL, [], 0, 0, 0, false, NULL)",
        [source, run.sync_id, full, utc_naive(started_at), utc_naive(since)],
    )
    return run


def advance(
    con: duckdb.DuckDBPyConnection,
    run: SyncRun,
    stream: str,
    resume: str | None,
    records: int,
    skipped: int,
    *,
    pages: int = 1,
) -> None:
    """Move the run past committed pages (inside their transaction)."""
    con.execute(
        "UPDATE raw.sync_runs SET stream = ?, resume_token = ?, pages = pages + ?, "
        "records = records + ?, skipped = skipped + ?, derive_pending = true "
        "WHERE source = ? AND sync_id = ?",
        [stream, resume, pages, records, skipped, run.source, run.sync_id],
    )
    run.stream, run.resume = stream, resume
    run.pages, run.records, run.skipped = (
        run.pages + pages,
        run.records + records,
        run.skipped + skipped,
    )
    run.derive_pending = True


def mark_stream_done(con: duckdb.DuckDBPyConnection, run: SyncRun, stream: str) -> None:
    con.execute(
        "UPDATE raw.sync_runs SET streams_done = list_append(streams_done, ?), stream = NULL, "
        "resume_token = NULL WHERE source = ? AND sync_id = ?",
        [stream, run.source, run.sync_id],
    )
    run.streams_done.append(stream)
    run.stream, run.resume = None, None


def finish_run(
    con: duckdb.DuckDBPyConnection, run: SyncRun, finished_at: datetime, message: str
) -> None:
    """Close the run and record the source's freshness, cursor and counts."""
    con.execute(
        "UPDATE raw.sync_runs SET finished_at = ? WHERE source = ? AND sync_id = ?",
        [utc_naive(finished_at), run.source, run.sync_id],
    )
    run.finished_at = finished_at
    con.execute(
        "INSERT INTO raw.source_state (source, last_sync_at, cursor, resources_seen, "
        "findings_seen, message) SELECT ?, ?, ?, "
        "(SELECT count(*) FROM raw.resources WHERE list_contains(sources, ?)), "
        "(SELECT count(*) FROM raw.findings WHERE source = ?), ? "
        "ON CONFLICT (source) DO UPDATE SET last_sync_at = excluded.last_sync_at, "
        "cursor = excluded.cursor, resources_seen = excluded.resources_seen, "
        "findings_seen = excluded.findings_seen, message = excluded.message",
        [
            run.source,
            utc_naive(finished_at),
            run.started_at.isoformat(),
            run.source,
            run.source,
            message,
        ],
    )


def clear_derive_pending(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("UPDATE raw.sync_runs SET derive_pending = false WHERE derive_pending")


def derive_pending(con: duckdb.DuckDBPyConnection) -> bool:
    rows = con.execute("SELECT count(*) FROM raw.sync_runs WHERE derive_pending").fetchall()
    return bool(rows[0][0])
