"""Idempotent bulk upserts: one ``MERGE`` per raw table from a registered Arrow table.

The merge rule exists once, here, as one aggregate per column. The stored row of a key
(if any) and every row of the batch with that key are grouped together and folded by
``RULES``, so duplicates inside a batch and a batch against the store obey the same
rule: first-seen keeps the earliest value, last-seen the latest, source lists are
sorted unions, a vulnerability keeps every fact any source knows (KEV or exploit from
anyone, the highest CVSS and EPSS, the latest known fix, vector and package type), and
every other column takes the batch's last value. Loading the same batch twice leaves
the same data. Derived columns (risk, rollups) are never written here.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from store.batch import ArrowBatch

__all__ = ["RULES", "merge_sql", "upsert_arrow"]

# (raw table, natural key columns)
_TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("resources", ("resource_id",)),
    ("vulnerabilities", ("vulnerability_id",)),
    ("findings", ("finding_id",)),
    ("permissions", ("role_id", "action", "resource_pattern")),
    ("edges", ("from_id", "relation", "to_id")),
)

_ANY_TABLE: dict[str, str] = {
    "first_seen": "min(first_seen)",
    "last_seen": "max(last_seen)",
    "sources": "list_sort(list_distinct(flatten(list(sources))))",
}
_LATEST_KNOWN = "arg_max({c}, _ord)"  # the newest non-null value
_LATEST = "arg_max_null({c}, _ord)"  # the newest value, null or not

# table -> column -> aggregate over the stored row (_ord -1) and the batch's rows
RULES: dict[str, dict[str, str]] = {
    "vulnerabilities": _ANY_TABLE
    | {
        "in_kev": "bool_or(in_kev)",
        "exploit_available": "bool_or(exploit_available)",
        "cvss_score": "max(cvss_score)",
        "epss": "max(epss)",
        "fixed_version": _LATEST_KNOWN.format(c="fixed_version"),
        "cvss_vector": _LATEST_KNOWN.format(c="cvss_vector"),
        "package_type": _LATEST_KNOWN.format(c="package_type"),
    },
}


def _rule(table: str, column: str) -> str:
    rule = RULES.get(table, _ANY_TABLE).get(column)
    return f"{rule} AS {column}" if rule else f"{_LATEST.format(c=column)} AS {column}"


def merge_sql(table: str, key: tuple[str, ...], columns: list[str], staging: str) -> str:
    """The ``MERGE`` of a staging relation (with an ``_ord`` column) into ``raw.<table>``."""
    cols = ", ".join(columns)
    on_staging = " AND ".join(f"t.{k} = s.{k}" for k in key)
    folded = ", ".join(c if c in key else _rule(table, c) for c in columns)
    source = (
        f"SELECT {folded} FROM ("
        f"SELECT {', '.join(f't.{c}' for c in columns)}, -1 AS _ord FROM raw.{table} t "
        f"SEMI JOIN {staging} s ON {on_staging} "
        f"UNION ALL SELECT {cols}, _ord FROM {staging}"
        f") GROUP BY {', '.join(key)}"
    )
    updates = ", ".join(f"{c} = s.{c}" for c in columns if c not in key)
    matched = f"WHEN MATCHED THEN UPDATE SET {updates} " if updates else ""
    values = ", ".join(f"s.{c}" for c in columns)
    return (
        f"MERGE INTO raw.{table} AS t USING ({source}) AS s ON {on_staging} "
        f"{matched}WHEN NOT MATCHED THEN INSERT ({cols}) VALUES ({values})"
    )


def upsert_arrow(con: duckdb.DuckDBPyConnection, batch: ArrowBatch) -> None:
    """Merge every table of the batch into the raw tables (inside the caller's transaction)."""
    for table, key in _TABLES:
        arrow: pa.Table = getattr(batch, table)
        if arrow.num_rows == 0:
            continue
        columns = arrow.schema.names
        staging = f"_staging_{table}"
        con.register(staging, arrow.append_column("_ord", pa.array(range(arrow.num_rows))))
        try:
            con.execute(merge_sql(table, key, columns, staging))
        finally:
            con.unregister(staging)
