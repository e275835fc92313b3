"""Writing a sync into the store: one transaction per page, one rebuild per run.

Rebuilding every derived table and risk score per page is right for a bulk load and
ruinous for thousands of pages. A page therefore commits only its raw rows
(``FindingsStore.load(..., derive=False)``), its seen-list and its checkpoint, in one
``FindingsStore.transaction()``; the derived tables are rebuilt once when the run ends
(or at the end of the next run, if this one died first).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pyarrow as pa

from connectors.base import Mapped
from connectors.checkpoint import SyncRun, advance, clear_derive_pending, derive_pending
from store import ArrowBatch, Batch, FindingsStore, to_arrow
from store.batch import append_tables

__all__ = ["StoreWriter", "mapped_arrow"]


def mapped_arrow(mapped: Mapped) -> ArrowBatch:
    """A mapped page (or group) as the store's Arrow batch: models flattened, tables added."""
    models = Batch(
        resources=tuple(mapped.resources),
        findings=tuple(mapped.findings),
        permissions=tuple(mapped.permissions),
        edges=tuple(mapped.edges),
    )
    return append_tables(
        to_arrow(models),
        findings=mapped.finding_tables,
        vulnerabilities=mapped.vulnerability_tables,
    )


def _note_seen(con: duckdb.DuckDBPyConnection, sync_id: str, finding_ids: pa.ChunkedArray) -> None:
    """Remember what a full sync saw, for ``resolve_unseen`` at its end."""
    sync_ids = pa.repeat(pa.scalar(sync_id), len(finding_ids))
    seen = pa.table({"sync_id": sync_ids, "finding_id": finding_ids})
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
        self.store = store

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One store transaction; a constraint violation becomes ``ValidationFailed``."""
        with self.store.transaction() as con:
            yield con

    def commit_page(
        self,
        run: SyncRun,
        stream: str,
        resume: str | None,
        arrow: ArrowBatch,
        *,
        records: int,
        skipped: int = 0,
        pages: int = 1,
        origin: str,
    ) -> dict[str, int]:
        """Upsert one page (or a group), note its findings as seen (full runs), advance."""
        with self.transaction() as con:
            self.store.load(
                arrow,
                origin=origin,
                note=f"sync {run.sync_id[:8]} {stream}",
                derive=False,
                connection=con,
            )
            if run.full and arrow.findings.num_rows:
                _note_seen(con, run.sync_id, arrow.findings.column("finding_id"))
            advance(con, run, stream, resume, records, skipped, pages=pages)
        return arrow.counts

    def rebuild_if_pending(self) -> bool:
        """Rebuild derived tables and risk if any run committed rows since the last time."""
        with self.transaction() as con:
            if not derive_pending(con):
                return False
            self.store.rebuild(connection=con)
            clear_derive_pending(con)
        return True
