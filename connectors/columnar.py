"""The set-based path: a page's records parsed and mapped by DuckDB, never one dict each.

A stream with a ``ColumnarMap`` hands its pages here as JSON text (the transport's own
bytes when it kept them, else each record serialised by orjson). One in-memory DuckDB
connection, private to the sync and with no access to the store, parses every record
with ``json_transform_strict`` and maps it with the stream's SQL. DuckDB releases the
GIL while it works, so mapping the next page overlaps committing this one.

The path is exact or it steps aside: a record the SQL marks as rejected (an unusual
shape, a value of the wrong JSON type, anything its rules do not cover) is handed back
to be mapped by the stream's Python mapper, which keeps the precise rules and reasons;
the rest of the page stays set-based.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from connectors.base import ColumnarMap, Mapped, RawPage
from store.batch import FINDING_SCHEMA, VULNERABILITY_SCHEMA

__all__ = ["ColumnarMapper", "ColumnarPage", "page_lines"]

log = logging.getLogger(__name__)


def page_lines(page: RawPage) -> pa.Array:
    """The page's records as one JSON text each."""
    if page.body is not None and not page.records:
        lines = [line for line in page.body.split(b"\n") if line.strip()]
    else:
        lines = [orjson.dumps(record) for record in page.records]
    return pa.array(lines, type=pa.binary()).cast(pa.string())


@dataclass(frozen=True)
class ColumnarPage:
    """What the SQL mapped, and the records (as JSON text) it handed back."""

    mapped: Mapped
    handed_back: list[bytes]


class ColumnarMapper:
    """Maps pages set-based on a private in-memory DuckDB (see the module doc)."""

    def __init__(self, memory_limit: str = "256MB") -> None:
        # a group of pages at a time: a small cap keeps the sync's footprint flat
        config: dict[str, str | bool | int | float | list[str]] = {
            "enable_external_access": False,
            "memory_limit": memory_limit,
        }
        self._con = duckdb.connect(config=config)

    def close(self) -> None:
        self._con.close()

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cursor = self._con.cursor()  # one per call: pages of different streams overlap
        try:
            yield cursor
        finally:
            cursor.close()

    def map_page(self, spec: ColumnarMap, page: RawPage) -> ColumnarPage:
        """The page's mappable records as Arrow tables, the others handed back."""
        lines = page_lines(page)
        if len(lines) == 0:
            return ColumnarPage(Mapped(), [])
        records = pa.table({"n": pa.array(range(len(lines)), pa.int64()), "line": lines})
        with self._cursor() as cursor:
            cursor.register("_records", records)
            try:
                wide = cursor.sql(f"SELECT * FROM ({spec.sql}) ORDER BY n").to_arrow_table()
            except duckdb.Error as exc:  # a record that is not even a JSON object
                log.debug("%s: page not in the expected shape (%s)", page.stream, exc)
                return ColumnarPage(Mapped(), [line.as_py().encode() for line in lines])
        rejected = pc.is_valid(wide.column("reject"))
        if pc.any(rejected).as_py():
            back = pc.take(lines, pc.filter(wide.column("n"), rejected))
            reasons = pc.value_counts(pc.drop_null(wide.column("reject"))).to_pylist()
            log.debug("%s: records handed back to the Python mapper: %s", page.stream, reasons)
            wide = wide.filter(pc.invert(rejected))
            return ColumnarPage(_split(wide), [line.encode() for line in back.to_pylist()])
        return ColumnarPage(_split(wide), [])


def _split(wide: pa.Table) -> Mapped:
    findings = wide.select(FINDING_SCHEMA.names).cast(FINDING_SCHEMA)
    vulns = wide.filter(pc.is_valid(wide.column("v_vulnerability_id")))
    vulns = vulns.select([f"v_{name}" for name in VULNERABILITY_SCHEMA.names])
    vulns = vulns.rename_columns(VULNERABILITY_SCHEMA.names).cast(VULNERABILITY_SCHEMA)
    return Mapped(finding_tables=[findings], vulnerability_tables=[vulns])
