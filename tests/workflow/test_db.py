"""The workflow database: migrations once, atomic transactions, clear errors."""

from __future__ import annotations

import pytest

from core.errors import StoreCorrupt
from workflow import WorkflowDB


def test_migrations_apply_once_and_reopen_cleanly(tmp_path):
    path = tmp_path / "w.sqlite3"
    with WorkflowDB(path) as db:
        first = db.applied_versions()
    with WorkflowDB(path) as db:
        assert db.applied_versions() == first
    assert first[0] == 1


def test_a_failed_transaction_leaves_nothing(tmp_path):
    with WorkflowDB(tmp_path / "w.sqlite3") as db:
        with db.transaction() as con:
            con.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
        with pytest.raises(RuntimeError), db.transaction() as con:
            con.execute("INSERT INTO t VALUES (1)")
            raise RuntimeError("boom")
        assert db.query("SELECT count(*) AS n FROM t")[0]["n"] == 0


def test_a_file_that_is_not_sqlite_is_reported_as_damaged(tmp_path):
    path = tmp_path / "w.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreCorrupt, match="damaged"):
        WorkflowDB(path)
