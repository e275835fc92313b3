"""FindingsStore: the DuckDB file every part of the product reads and writes.

Writers call ``load(batch)``: one transaction that merges the batch, rebuilds the
derived tables and risk scores, and records the load, so a crash mid-load leaves the
last good state. A sync writes many pages with ``load(..., derive=False)`` inside its
own ``transaction()`` (rows and checkpoint together) and calls ``rebuild()`` once.
Readers call ``query(ValidatedQuery)``: a read-only transaction on a
connection with external access off and configuration locked, interrupted at the time
limit.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

import duckdb
import pyarrow as pa

from core.errors import LimitExceeded, QueryRejected, StoreError, ValidationFailed
from core.query import QueryResult, ValidatedQuery
from store.batch import ArrowBatch, Batch, to_arrow
from store.connection import open_database
from store.derive import rebuild_derived
from store.intel import EnrichReport, FeedInfo, apply_epss, apply_kev
from store.migrate import available_migrations, migrate
from store.status import LoadReport, StoreStatus, read_status
from store.upsert import upsert_arrow

__all__ = ["DEMO_ORIGIN", "FindingsStore"]

DEMO_ORIGIN = "demo"
_HASHED_TABLES = ("resources", "vulnerabilities", "findings", "permissions", "edges")


class FindingsStore:
    """The findings store on one DuckDB file.

    Args:
        path: the ``.duckdb`` file; created with its schema when missing (unless read-only).
        read_only: open for queries only; several processes may do so at once.
        memory_limit: DuckDB's memory cap for this process.
        query_timeout_s: wall-clock limit for one ``query``.
    """

    def __init__(
        self,
        path: Path,
        *,
        read_only: bool = False,
        memory_limit: str = "4GB",
        query_timeout_s: float = 10.0,
    ) -> None:
        self.path = path
        self.read_only = read_only
        self.query_timeout_s = query_timeout_s
        self._con = open_database(path, read_only=read_only, memory_limit=memory_limit)
        try:
            self._prepare()
        except BaseException:
            self._con.close()
            raise
        self._lock = threading.Lock()

    def _prepare(self) -> None:
        if self.read_only:
            self._check_schema()
        else:
            migrate(self._con)
        self._con.execute("SET lock_configuration = true")

    def _check_schema(self) -> None:
        newest = max(m.version for m in available_migrations())
        try:
            rows = self._con.execute("SELECT max(version) FROM raw.schema_migrations").fetchall()
        except duckdb.CatalogException:
            rows = []
        if not rows or rows[0][0] != newest:
            raise StoreError(
                f"The findings store {self.path} has an older schema.",
                path=str(self.path),
                remediation="Run `posture migrate` once (while no other posture process runs).",
            )

    # -- lifecycle -------------------------------------------------------------------

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> FindingsStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One write transaction on the store's connection, for writers beside ``load``.

        ``load(..., connection=con)`` and ``rebuild(connection=con)`` join it, so a sync
        commits a page's rows with its checkpoint atomically.

        Raises:
            StoreError: the store is read-only; ValidationFailed: a constraint broke
            (everything in the transaction was rolled back).
        """
        self._writable()
        with self._lock:
            self._con.execute("BEGIN TRANSACTION")
            try:
                yield self._con
                self._con.execute("COMMIT")
            except duckdb.ConstraintException as exc:
                self._con.execute("ROLLBACK")
                raise ValidationFailed(
                    f"The batch breaks a store constraint: {str(exc).splitlines()[0]}"
                ) from exc
            except BaseException:
                self._con.execute("ROLLBACK")
                raise

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A fresh cursor for trusted internal reads (never for user SQL: use ``query``)."""
        return self._con.cursor()

    def load(
        self,
        batch: Batch | ArrowBatch,
        *,
        origin: str,
        note: str | None = None,
        derive: bool = True,
        freshness: bool | None = None,
        connection: duckdb.DuckDBPyConnection | None = None,
    ) -> LoadReport:
        """Merge a batch and record the load; with ``derive``, rebuild derived tables too.

        Without ``connection`` it is one transaction of its own; with the connection of
        an open ``transaction()`` it joins that one. ``derive=False`` (one page of a sync)
        leaves risk and rollups stale until ``rebuild()``. ``freshness`` (default: as
        ``derive``) marks the loaded sources as just synced; a sync's pages leave that to
        the sync engine, which records it when the run finishes.

        Raises:
            StoreError: the store is read-only; ValidationFailed: the batch breaks a
            constraint. Either way nothing was written.
        """
        started = time.perf_counter()
        arrow = to_arrow(batch) if isinstance(batch, Batch) else batch
        fresh = derive if freshness is None else freshness
        if connection is None:
            with self.transaction() as con:
                scored = self._load(con, arrow, origin, note, derive, fresh)
        else:
            scored = self._load(connection, arrow, origin, note, derive, fresh)
        return LoadReport(
            origin=origin,
            counts=arrow.counts,
            scored=scored,
            elapsed_s=round(time.perf_counter() - started, 3),
        )

    def enrich(self, kev: FeedInfo | None = None, epss: FeedInfo | None = None) -> EnrichReport:
        """Apply KEV and/or EPSS to the vulnerabilities and re-score, in one transaction."""
        if self.read_only:
            raise StoreError("This store was opened read-only.", path=str(self.path))
        started = time.perf_counter()
        newly = details = epss_changed = 0
        with self._lock:
            self._con.execute("BEGIN TRANSACTION")
            try:
                self._con.execute(
                    "CREATE OR REPLACE TEMP TABLE _risk_before AS "
                    "SELECT finding_id, risk_score FROM raw.findings WHERE status = 'open'"
                )
                if kev is not None:
                    newly, details = apply_kev(self._con, kev)
                if epss is not None:
                    epss_changed = apply_epss(self._con, epss)
                scored = rebuild_derived(self._con)
                changed, raised = self._con.execute(
                    "SELECT count(*) FILTER (WHERE f.risk_score IS DISTINCT FROM b.risk_score), "
                    "count(*) FILTER (WHERE f.risk_score > b.risk_score) FROM raw.findings f "
                    "JOIN _risk_before b USING (finding_id)"
                ).fetchall()[0]
                self._con.execute("DROP TABLE _risk_before")
                self._con.execute("COMMIT")
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
        return EnrichReport(
            kev_entries=kev.table.num_rows if kev else 0,
            epss_entries=epss.table.num_rows if epss else 0,
            newly_kev=newly,
            kev_details_updated=details,
            epss_updated=epss_changed,
            risk_changed=int(changed),
            risk_raised=int(raised),
            scored=scored,
            elapsed_s=round(time.perf_counter() - started, 3),
        )

    def _load(
        self,
        con: duckdb.DuckDBPyConnection,
        arrow: ArrowBatch,
        origin: str,
        note: str | None,
        derive: bool,
        freshness: bool,
    ) -> int:
        upsert_arrow(con, arrow)
        scored = rebuild_derived(con) if derive else 0
        self._record_load(con, arrow, origin, note, freshness=freshness)
        return scored

    def rebuild(self, *, connection: duckdb.DuckDBPyConnection | None = None) -> int:
        """Rebuild derived tables, risk scores and rollups; returns how many findings scored."""
        if connection is not None:
            return rebuild_derived(connection)
        with self.transaction() as con:
            return rebuild_derived(con)

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError("This store was opened read-only.", path=str(self.path))

    @staticmethod
    def _record_load(
        con: duckdb.DuckDBPyConnection,
        arrow: ArrowBatch,
        origin: str,
        note: str | None,
        *,
        freshness: bool,
    ) -> None:
        """Log the load; a complete load (not one page of a sync) also marks freshness."""
        now = datetime.now(UTC).replace(tzinfo=None)
        con.execute(
            "INSERT INTO raw.loads SELECT coalesce(max(load_id), 0) + 1, ?, ?, ?, ?, ? "
            "FROM raw.loads",
            [origin, now, arrow.counts.get("resources", 0), arrow.counts.get("findings", 0), note],
        )
        if not freshness:
            return  # the sync engine records freshness when the run finishes
        con.execute(
            "INSERT INTO raw.source_state (source, last_sync_at, resources_seen, findings_seen) "
            "SELECT source, ?, NULL, count(*) FROM raw.findings GROUP BY source "
            "ON CONFLICT (source) DO UPDATE SET last_sync_at = excluded.last_sync_at, "
            "findings_seen = excluded.findings_seen",
            [now],
        )

    # -- reading ---------------------------------------------------------------------

    def origins(self) -> set[str]:
        """Who has written to this store: 'demo' and/or source names."""
        rows = self._con.execute("SELECT DISTINCT origin FROM raw.loads").fetchall()
        return {r[0] for r in rows}

    def existing_ids(self, table: str, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` the store holds in ``resources`` (resource_id) or ``findings``.

        Importers ask this so a scanner's thin record never overwrites a CNAPP's richer one.
        """
        column = {"resources": "resource_id", "findings": "finding_id"}[table]
        wanted = pa.table({"id": pa.array(sorted(set(ids)), pa.string())})
        with self._lock:
            cursor = self._con.cursor()
            try:
                cursor.register("_wanted_ids", wanted)
                rows = cursor.execute(
                    f"SELECT w.id FROM _wanted_ids w JOIN raw.{table} t ON t.{column} = w.id"
                ).fetchall()
            finally:
                cursor.close()
        return {r[0] for r in rows}

    def holds_non_demo_data(self) -> bool:
        return bool(self.origins() - {DEMO_ORIGIN})

    def status(self) -> StoreStatus:
        return read_status(self._con.cursor(), self.path)

    def content_hash(self) -> str:
        """A hash of every loaded and derived value, independent of physical layout."""
        digest = hashlib.sha256()
        for table in _HASHED_TABLES:
            row = self._con.execute(
                f"SELECT md5(coalesce(string_agg(t::VARCHAR, '\n' ORDER BY t::VARCHAR), '')) "
                f"FROM raw.{table} t"
            ).fetchall()
            digest.update(f"{table}:{row[0][0]}".encode())
        return digest.hexdigest()

    def query(self, query: ValidatedQuery) -> QueryResult:
        """Run guarded SQL in a read-only transaction, interrupted after the time limit.

        Raises:
            LimitExceeded: the query ran past ``query_timeout_s``.
        """
        if not isinstance(query, ValidatedQuery):
            raise TypeError("FindingsStore.query accepts only a ValidatedQuery")
        cursor = self._con.cursor()
        timer = threading.Timer(self.query_timeout_s, cursor.interrupt)
        started = time.perf_counter()
        cursor.execute("BEGIN TRANSACTION READ ONLY")
        timer.start()
        try:
            result = cursor.execute(query.sql)
            columns = tuple(d[0] for d in result.description or ())
            rows = result.fetchmany(query.row_limit + 1)
        except duckdb.InterruptException as exc:
            raise LimitExceeded(
                f"The query ran past {self.query_timeout_s:g} s and was stopped.",
                limit=int(self.query_timeout_s),
                remediation="Narrow the question (a team, an environment, a time window).",
            ) from exc
        finally:
            timer.cancel()
            cursor.execute("ROLLBACK")
            cursor.close()
        truncated = len(rows) > query.row_limit
        return QueryResult(
            columns=columns,
            rows=tuple(tuple(r) for r in rows[: query.row_limit]),
            elapsed_ms=round((time.perf_counter() - started) * 1000, 3),
            truncated=truncated,
        )

    def explain(self, query: ValidatedQuery) -> None:
        """Plan the query without running it: a dry run for SQL written by a model.

        Raises:
            QueryRejected: DuckDB cannot bind or plan it (unknown column, bad types, ...).
        """
        cursor = self._con.cursor()
        try:
            cursor.execute("BEGIN TRANSACTION READ ONLY")
            cursor.execute("EXPLAIN " + query.sql).fetchall()
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0]
            raise QueryRejected(f"DuckDB cannot plan the query: {first}") from exc
        finally:
            cursor.execute("ROLLBACK")
            cursor.close()

    def distinct_values(self, view: str, column: str, limit: int = 5000) -> list[str]:
        """Distinct non-null values of a catalog column, for grounding named values.

        ``view`` and ``column`` must be identifiers; callers pass catalog names only.
        """
        if not (view.isidentifier() and column.isidentifier()):
            raise ValueError("view and column must be identifiers")
        rows = (
            self._con.cursor()
            .execute(
                f'SELECT DISTINCT "{column}"::VARCHAR FROM main."{view}" '
                f'WHERE "{column}" IS NOT NULL ORDER BY 1 LIMIT {int(limit)}'
            )
            .fetchall()
        )
        return [r[0] for r in rows]
