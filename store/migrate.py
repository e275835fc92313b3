"""Versioned migrations from an empty file, then the derived tables and semantic views.

Migrations are ``store/migrations/NNNN_name.sql``, applied in order once each and
recorded in ``raw.schema_migrations``. Derived tables and views are not migrated: they
are rebuilt from the code on every writable open, so they always match it.
"""

from __future__ import annotations

from importlib import resources
from typing import NamedTuple

import duckdb

__all__ = ["Migration", "applied_versions", "available_migrations", "migrate", "run_script"]


class Migration(NamedTuple):
    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    """Every migration shipped with the package, oldest first."""
    folder = resources.files("store").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        stem, _, ext = entry.name.partition(".")
        if ext == "sql" and stem[:4].isdigit():
            found.append(Migration(int(stem[:4]), stem[5:], entry.read_text(encoding="utf-8")))
    return sorted(found)


def applied_versions(con: duckdb.DuckDBPyConnection) -> list[int]:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'raw' AND table_name = 'schema_migrations'"
    ).fetchall()
    if not exists[0][0]:
        return []
    rows = con.execute("SELECT version FROM raw.schema_migrations ORDER BY 1").fetchall()
    return [int(v) for (v,) in rows]


def run_script(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Run one of the package's SQL scripts (DuckDB runs every statement in it, in order)."""
    con.execute(resources.files("store").joinpath(name).read_text(encoding="utf-8"))


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Bring the file to the newest schema in one transaction; returns what was applied."""
    done = set(applied_versions(con))
    todo = [m for m in available_migrations() if m.version not in done]
    con.execute("BEGIN TRANSACTION")
    try:
        for migration in todo:
            con.execute(migration.sql)
            if migration.version == 1:
                con.execute(
                    "CREATE TABLE raw.schema_migrations (version INTEGER PRIMARY KEY, "
                    "name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
                )
            con.execute(
                "INSERT INTO raw.schema_migrations VALUES (?, ?, current_localtimestamp())",
                [migration.version, migration.name],
            )
        if todo or not _has_derived(con):
            run_script(con, "derive.sql")
            run_script(con, "rollup.sql")
        run_script(con, "views.sql")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return [m.version for m in todo]


def _has_derived(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'derived' AND table_name = 'open_type_rollup'"
    ).fetchall()
    return bool(row[0][0])
