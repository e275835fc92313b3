"""Apply threat intelligence (CISA KEV, FIRST EPSS) to the stored vulnerabilities.

Set-based: the feeds arrive as Arrow tables and each is one ``UPDATE ... FROM``. KEV
only ever adds (a CNAPP may know of exploitation CISA has not catalogued); EPSS is
replaced by the feed's value, which is the day's score. Risk is recomputed by the caller
in the same transaction, and the changes are counted against a snapshot taken first.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pyarrow as pa
from pydantic import BaseModel, ConfigDict

__all__ = ["EPSS_SCHEMA", "KEV_SCHEMA", "EnrichReport", "FeedInfo", "apply_epss", "apply_kev"]

KEV_SCHEMA = pa.schema(
    [("cve_id", pa.string()), ("date_added", pa.timestamp("us")), ("ransomware", pa.bool_())]
)
EPSS_SCHEMA = pa.schema(
    [("cve_id", pa.string()), ("epss", pa.float64()), ("percentile", pa.float64())]
)


class FeedInfo(BaseModel):
    """One parsed feed: its rows, version and where it came from."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    feed: str
    version: str | None
    origin: str
    table: pa.Table


class EnrichReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    kev_entries: int = 0
    epss_entries: int = 0
    newly_kev: int = 0
    kev_details_updated: int = 0
    epss_updated: int = 0
    risk_changed: int = 0
    risk_raised: int = 0
    scored: int = 0
    elapsed_s: float = 0.0


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(con.execute(sql).fetchall()[0][0])


def _record(con: duckdb.DuckDBPyConnection, info: FeedInfo) -> None:
    con.execute(
        "INSERT INTO raw.intel_feeds VALUES (?, ?, ?, ?, ?) ON CONFLICT (feed) DO UPDATE SET "
        "version = excluded.version, origin = excluded.origin, entries = excluded.entries, "
        "applied_at = excluded.applied_at",
        [
            info.feed,
            info.version,
            info.origin[:1000],
            info.table.num_rows,
            datetime.now(UTC).replace(tzinfo=None),
        ],
    )


def apply_kev(con: duckdb.DuckDBPyConnection, info: FeedInfo) -> tuple[int, int]:
    """Mark catalogued CVEs; returns (newly marked, rows whose KEV details changed)."""
    con.register("_kev", info.table)
    try:
        match = "FROM raw.vulnerabilities v JOIN _kev k ON k.cve_id = v.cve_id"
        newly = _count(con, f"SELECT count(*) {match} WHERE NOT v.in_kev")
        changed = _count(
            con,
            f"SELECT count(*) {match} WHERE NOT v.in_kev "
            "OR v.kev_date_added IS DISTINCT FROM k.date_added "
            "OR v.kev_ransomware IS DISTINCT FROM k.ransomware",
        )
        con.execute(
            "UPDATE raw.vulnerabilities AS v SET in_kev = true, "
            "kev_date_added = k.date_added, kev_ransomware = k.ransomware "
            "FROM _kev k WHERE k.cve_id = v.cve_id"
        )
    finally:
        con.unregister("_kev")
    _record(con, info)
    return newly, changed


def apply_epss(con: duckdb.DuckDBPyConnection, info: FeedInfo) -> int:
    """Set each scored CVE's EPSS and percentile; returns how many rows changed."""
    con.register("_epss", info.table)
    try:
        changed = _count(
            con,
            "SELECT count(*) FROM raw.vulnerabilities v JOIN _epss e ON e.cve_id = v.cve_id "
            "WHERE v.epss IS DISTINCT FROM e.epss "
            "OR v.epss_percentile IS DISTINCT FROM e.percentile",
        )
        con.execute(
            "UPDATE raw.vulnerabilities AS v SET epss = e.epss, epss_percentile = e.percentile "
            "FROM _epss e WHERE e.cve_id = v.cve_id"
        )
    finally:
        con.unregister("_epss")
    _record(con, info)
    return changed
