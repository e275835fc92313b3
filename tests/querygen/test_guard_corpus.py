"""The adversarial corpus: every hostile input is refused, or bounded and harmless.

Whatever passes the guard is then run on a real, writable store, and a fingerprint of
every table, view, schema, setting and attached database must come out unchanged.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import sqlglot

import core.errors
from core.errors import QueryRejected
from querygen.catalog import load_catalog
from querygen.validate import validate_sql
from tests.querygen.sql_fixtures import FIXTURES, SqlBlock, load_blocks
from tests.querygen.test_compile import seeded_store

HOSTILE = load_blocks(FIXTURES / "hostile__invalid.sql")
BOUNDED = [b for b in HOSTILE if b.meta.get("expect") == "bounded"]
MAX_LIMIT = 5000
_SETTINGS = (
    "enable_external_access",
    "memory_limit",
    "threads",
    "search_path",
    "autoload_known_extensions",
    "autoinstall_known_extensions",
    "schema",
)


def test_corpus_is_big_and_mostly_refusals() -> None:
    assert len(HOSTILE) >= 200
    assert len(BOUNDED) < len(HOSTILE) // 10
    assert all(
        b.meta.get("error") is None or hasattr(core.errors, b.meta["error"]) for b in HOSTILE
    )


@pytest.mark.parametrize("block", HOSTILE, ids=lambda b: b.id)
def test_hostile_sql_is_refused_or_bounded(block: SqlBlock) -> None:
    if block in BOUNDED:
        checked = validate_sql(block.sql, load_catalog())
        assert checked.row_limit <= MAX_LIMIT
        limit = sqlglot.parse_one(checked.sql, read="duckdb").args["limit"]
        assert int(limit.expression.this) == checked.row_limit
        return
    with pytest.raises(QueryRejected) as info:
        validate_sql(block.sql, load_catalog())
    if "error" in block.meta:
        assert type(info.value).__name__ == block.meta["error"], info.value.message
    assert "\n" not in info.value.one_line()


def fingerprint(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """A content hash per table, plus everything else a statement could change."""
    prints: dict[str, object] = {}
    tables = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL"
    ).fetchall()
    for schema, table in tables:
        prints[f"{schema}.{table}"] = con.execute(
            f"SELECT count(*), md5(coalesce(string_agg(CAST(t AS VARCHAR), chr(10) "
            f'ORDER BY CAST(t AS VARCHAR)), \'\')) FROM "{schema}"."{table}" AS t'
        ).fetchone()
    catalog = {
        "views": "SELECT schema_name, view_name, sql FROM duckdb_views() WHERE NOT internal",
        "schemas": "SELECT database_name, schema_name FROM duckdb_schemas()",
        "databases": "SELECT database_name, path FROM duckdb_databases()",
        "macros": "SELECT function_name FROM duckdb_functions() WHERE NOT internal",
        "sequences": "SELECT sequence_name FROM duckdb_sequences()",
    }
    for key, sql in catalog.items():
        prints[key] = sorted(map(str, con.execute(sql).fetchall()))
    for name in _SETTINGS:
        prints[name] = con.execute(f"SELECT current_setting('{name}')").fetchone()
    return prints


def test_nothing_that_passes_changes_the_store(tmp_path: Path) -> None:
    con = seeded_store(tmp_path / "s.duckdb")
    try:
        before = fingerprint(con)
        assert before["raw.findings"] != (0, "")  # the estate is really there
        passed = []
        for block in HOSTILE:
            try:
                checked = validate_sql(block.sql, load_catalog())
            except QueryRejected:
                continue
            rows = con.execute(checked.sql).fetchmany(checked.row_limit + 1)
            assert len(rows) <= checked.row_limit <= MAX_LIMIT
            passed.append(block)
        assert passed == BOUNDED
        assert fingerprint(con) == before
    finally:
        con.close()


@pytest.mark.parametrize(
    "write",
    [
        "UPDATE raw.findings SET status = 'resolved' WHERE finding_id = 'wiz:1'",
        "INSERT INTO raw.edges VALUES ('a', 'b', 'c')",
        "CREATE VIEW main.pwn AS SELECT 1 AS x",
        "CREATE SCHEMA evil",
        "SET threads = 1",
        "ATTACH ':memory:' AS other",
        "CREATE MACRO twice(a) AS a * 2",
    ],
)
def test_the_fingerprint_sees_a_change(tmp_path: Path, write: str) -> None:
    con = seeded_store(tmp_path / "s.duckdb")
    try:
        before = fingerprint(con)
        con.execute(write)
        assert fingerprint(con) != before
    finally:
        con.close()
