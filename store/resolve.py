"""Resolving what a full sync no longer sees: findings are never deleted, only resolved.

A platform stops listing a finding once it is fixed (or the resource is gone). After a
full sync has walked every page, the source's findings it did not see are marked
``resolved`` as of the sync's start; their history stays queryable.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from store.batch import utc_naive

__all__ = ["resolve_unseen"]


def resolve_unseen(
    con: duckdb.DuckDBPyConnection, source: str, sync_id: str, resolved_at: datetime
) -> int:
    """Resolve ``source``'s unresolved findings that sync ``sync_id`` did not see.

    Runs inside the caller's transaction. ``resolved_at`` never precedes a finding's
    ``first_seen``. The sync's seen-list is cleared afterwards.

    Args:
        con: the store's write connection.
        source: the source name ("wiz").
        sync_id: the full sync whose pages were recorded in ``raw.sync_seen``.
        resolved_at: when the sync started.

    Returns:
        How many findings were resolved.
    """
    rows = con.execute(
        "UPDATE raw.findings AS f SET status = 'resolved', "
        "resolved_at = greatest(f.first_seen, ?::TIMESTAMP) "
        "WHERE f.source = ? AND f.status <> 'resolved' AND NOT EXISTS ("
        "  SELECT 1 FROM raw.sync_seen s WHERE s.sync_id = ? AND s.finding_id = f.finding_id)",
        [utc_naive(resolved_at), source, sync_id],
    ).fetchall()
    con.execute("DELETE FROM raw.sync_seen WHERE sync_id = ?", [sync_id])
    return int(rows[0][0]) if rows else 0
