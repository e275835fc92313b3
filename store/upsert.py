"""Idempotent bulk upserts: one ``MERGE`` per raw table from a registered Arrow table.

Loading the same batch twice leaves the same data: first-seen keeps the earliest value,
last-seen the latest, source lists are sorted unions, and every other column takes the
batch's value. Derived columns (risk, rollups) are never written here.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from store.batch import ArrowBatch

__all__ = ["upsert_arrow"]

# (raw table, natural key columns, columns merged specially)
_TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("resources", ("resource_id",)),
    ("vulnerabilities", ("vulnerability_id",)),
    ("findings", ("finding_id",)),
    ("permissions", ("role_id", "action", "resource_pattern")),
    ("edges", ("from_id", "relation", "to_id")),
)

_SPECIAL: dict[str, str] = {
    "first_seen": "least(t.first_seen, s.first_seen)",
    "last_seen": "greatest(t.last_seen, s.last_seen)",
    "sources": "list_sort(list_distinct(list_concat(t.sources, s.sources)))",
}

_VULN_SPECIAL: dict[str, str] = {
    "in_kev": "t.in_kev OR s.in_kev",
    "exploit_available": "t.exploit_available OR s.exploit_available",
    "cvss_score": "greatest(t.cvss_score, s.cvss_score)",
    "epss": "greatest(t.epss, s.epss)",
    "fixed_version": "coalesce(s.fixed_version, t.fixed_version)",
    "cvss_vector": "coalesce(s.cvss_vector, t.cvss_vector)",
}


def _merge_sql(table: str, key: tuple[str, ...], columns: list[str], staging: str) -> str:
    special = _SPECIAL | (_VULN_SPECIAL if table == "vulnerabilities" else {})
    on = " AND ".join(f"t.{k} = s.{k}" for k in key)
    updates = [f"{c} = {special.get(c, f's.{c}')}" for c in columns if c not in key]
    cols = ", ".join(columns)
    values = ", ".join(f"s.{c}" for c in columns)
    matched = f"WHEN MATCHED THEN UPDATE SET {', '.join(updates)} " if updates else ""
    return (
        f"MERGE INTO raw.{table} AS t USING {staging} AS s ON {on} "
        f"{matched}WHEN NOT MATCHED THEN INSERT ({cols}) VALUES ({values})"
    )


def upsert_arrow(con: duckdb.DuckDBPyConnection, batch: ArrowBatch) -> None:
    """Merge every table of the batch into the raw tables (inside the caller's transaction)."""
    for table, key in _TABLES:
        arrow: pa.Table = getattr(batch, table)
        if arrow.num_rows == 0:
            continue
        staging = f"_staging_{table}"
        con.register(staging, arrow)
        try:
            con.execute(_merge_sql(table, key, arrow.schema.names, staging))
        finally:
            con.unregister(staging)
