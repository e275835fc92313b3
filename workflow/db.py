"""``WorkflowDB``: one SQLite file, migrated on open, with short write transactions.

Writers take ``BEGIN IMMEDIATE`` so two processes never both believe they won a race
(the idempotency of approvals and deliveries rests on it); readers see the last commit.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

from core.errors import StoreCorrupt, StoreError, StoreLocked

__all__ = ["WorkflowDB"]

_BUSY_TIMEOUT_MS = 10_000


class WorkflowDB:
    """The workflow database at ``path`` (created and migrated when missing).

    >>> import tempfile, pathlib
    >>> with WorkflowDB(pathlib.Path(tempfile.mkdtemp()) / "w.sqlite3") as db:
    ...     db.applied_versions()[0]
    1
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = sqlite3.connect(
                path,
                timeout=_BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise _translate(exc, path) from exc
        self._con.row_factory = sqlite3.Row
        try:
            self._con.execute("PRAGMA journal_mode=WAL").fetchall()
            self._con.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
            self._con.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.Error as exc:
            self._con.close()
            raise _translate(exc, path) from exc

    def __enter__(self) -> WorkflowDB:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._con.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``): all of it lands, or none."""
        with self._lock:
            try:
                self._con.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _translate(exc, self.path) from exc
            try:
                yield self._con
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            self._con.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Rows of one read."""
        with self._lock:
            try:
                return self._con.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise _translate(exc, self.path) from exc

    def applied_versions(self) -> list[int]:
        rows = self.query("SELECT version FROM schema_migrations ORDER BY version")
        return [int(r["version"]) for r in rows]

    def _migrate(self) -> None:
        folder = resources.files("workflow").joinpath("migrations")
        scripts = sorted(
            (int(e.name[:4]), e.name[5:].removesuffix(".sql"), e.read_text(encoding="utf-8"))
            for e in folder.iterdir()
            if e.name.endswith(".sql") and e.name[:4].isdigit()
        )
        with self.transaction() as con:
            con.execute(scripts[0][2])  # the ledger
            done = {r[0] for r in con.execute("SELECT version FROM schema_migrations")}
            for version, name, sql in scripts:
                if version in done:
                    continue
                for statement in _statements(sql):
                    con.execute(statement)
                con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    (version, name, datetime.now(UTC).isoformat()),
                )


def _statements(script: str) -> list[str]:
    """Split a migration into statements (``executescript`` would commit our transaction)."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    if current.strip() and not current.strip().startswith("--"):
        out.append(current.strip())
    return [s for s in out if s]


def _translate(exc: sqlite3.Error, path: Path) -> StoreError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreLocked(f"The workflow database {path} is locked.", path=str(path))
    if "not a database" in text or "malformed" in text:
        return StoreCorrupt(f"The workflow database {path} is damaged.", path=str(path))
    return StoreError(f"The workflow database {path} failed: {exc}", path=str(path))
