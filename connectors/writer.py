"""Writing a sync into the store: one transaction per page, one rebuild per run.

``FindingsStore.load`` rebuilds every derived table and risk score in each call, which
is right for a bulk load and ruinous for thousands of pages (a 500-row page into a
200,000-finding store takes seconds). A page therefore commits only its raw rows, its
seen-list and its checkpoint, atomically; the derived tables are rebuilt once when the
run ends (or at the end of the next run, if this one died first).

This module reaches into the store's write connection (``FindingsStore._con``); it is
the one place that does, until the store grows ``load(..., derive=False)``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from connectors.base import Mapped
from connectors.checkpoint import SyncRun, advance, clear_derive_pending, derive_pending
from core.errors import ValidationFailed
from store import Batch, FindingsStore, to_arrow
from store.batch import utc_naive
from store.derive import rebuild_derived
from store.upsert import upsert_arrow

__all__ = ["StoreWriter"]


def _note_seen(con: duckdb.DuckDBPyConnection, sync_id: str, finding_ids: list[str]) -> None:
    """Remember what a full sync saw, for ``resolve_unseen`` at its end."""
    seen = pa.table({"sync_id": [sync_id] * len(finding_ids), "finding_id": finding_ids})
    con.register("_seen", seen)
    try:
        con.execute("INSERT INTO raw.sync_seen SELECT * FROM _seen")
    finally:
        con.unregister("_seen")


class StoreWriter:
    """Transactions on a writable ``FindingsStore`` for the sync engine."""

    def __init__(self, store: FindingsStore) -> None:
        if store.read_only:
            raise ValueError("a sync needs a writable store")
        self.con: duckdb.DuckDBPyConnection = store._con  # noqa: SLF001 - see module doc
        self._lock: threading.Lock = store._lock  # noqa: SLF001

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One DuckDB transaction; a constraint violation becomes ``ValidationFailed``."""
        with self._lock:
            self.con.execute("BEGIN TRANSACTION")
            try:
                yield self.con
                self.con.execute("COMMIT")
            except duckdb.ConstraintException as exc:
                self.con.execute("ROLLBACK")
                raise ValidationFailed(
                    f"A page breaks a store constraint: {str(exc).splitlines()[0]}"
                ) from exc
            except BaseException:
                self.con.execute("ROLLBACK")
                raise

    def commit_page(
        self,
        run: SyncRun,
        stream: str,
        resume: str | None,
        mapped: Mapped,
        *,
        records: int,
        pages: int = 1,
        origin: str,
    ) -> dict[str, int]:
        """Upsert one page (or a group), note its findings as seen (full runs), advance."""
        arrow = to_arrow(
            Batch(
                resources=tuple(mapped.resources),
                findings=tuple(mapped.findings),
                permissions=tuple(mapped.permissions),
                edges=tuple(mapped.edges),
            )
        )
        with self.transaction() as con:
            upsert_arrow(con, arrow)
            if run.full and mapped.findings:
                _note_seen(con, run.sync_id, [f.finding_id for f in mapped.findings])
            advance(con, run, stream, resume, records, mapped.skipped, pages=pages)
            con.execute(
                "INSERT INTO raw.loads SELECT coalesce(max(load_id), 0) + 1, ?, ?, ?, ?, ? "
                "FROM raw.loads",
                [
                    origin,
                    utc_naive(datetime.now(UTC)),
                    arrow.counts.get("resources", 0),
                    arrow.counts.get("findings", 0),
                    f"sync {run.sync_id[:8]} {stream}",
                ],
            )
        return arrow.counts

    def rebuild_if_pending(self) -> bool:
        """Rebuild derived tables and risk if any run committed rows since the last time."""
        with self.transaction() as con:
            if not derive_pending(con):
                return False
            rebuild_derived(con)
            clear_derive_pending(con)
        return True
