"""What is in the store and how fresh it is: the data behind `posture status`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
from pydantic import BaseModel, ConfigDict

__all__ = ["LoadReport", "SourceFreshness", "StoreStatus", "read_status"]


class LoadReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    origin: str
    counts: dict[str, int]
    scored: int
    elapsed_s: float


class SourceFreshness(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    findings: int
    open_findings: int
    last_seen: datetime | None
    last_sync_at: datetime | None


class StoreStatus(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    size_bytes: int
    schema_version: int
    origins: list[str]
    resources_by_kind: dict[str, int]
    findings: int
    open_findings: int
    open_by_severity: dict[str, int]
    vulnerabilities: int
    sources: list[SourceFreshness]
    last_load_at: datetime | None


def _pairs(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, int]:
    return {str(k): int(v) for k, v in con.execute(sql).fetchall()}


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    rows = con.execute(sql).fetchall()
    return rows[0][0] if rows else None


def read_status(con: duckdb.DuckDBPyConnection, path: Path) -> StoreStatus:
    """Counts per kind and per source, and when each source was last seen and synced."""
    sources = [
        SourceFreshness(
            source=r[0], findings=r[1], open_findings=r[2], last_seen=r[3], last_sync_at=r[4]
        )
        for r in con.execute(
            "SELECT f.source, count(*), count(*) FILTER (WHERE f.status = 'open'), "
            "max(f.last_seen), any_value(s.last_sync_at) FROM raw.findings f "
            "LEFT JOIN raw.source_state s ON s.source = f.source GROUP BY f.source ORDER BY 1"
        ).fetchall()
    ]
    origins = [
        r[0] for r in con.execute("SELECT DISTINCT origin FROM raw.loads ORDER BY 1").fetchall()
    ]
    last_load = _scalar(con, "SELECT max(loaded_at) FROM raw.loads")
    return StoreStatus(
        path=str(path),
        size_bytes=path.stat().st_size if path.exists() else 0,
        schema_version=int(str(_scalar(con, "SELECT max(version) FROM raw.schema_migrations"))),
        origins=origins,
        resources_by_kind=_pairs(
            con, "SELECT kind, count(*) FROM raw.resources GROUP BY kind ORDER BY kind"
        ),
        findings=int(str(_scalar(con, "SELECT count(*) FROM raw.findings"))),
        open_findings=int(
            str(_scalar(con, "SELECT count(*) FROM raw.findings WHERE status = 'open'"))
        ),
        open_by_severity=_pairs(
            con,
            "SELECT severity, count(*) FROM raw.findings WHERE status = 'open' "
            "GROUP BY severity ORDER BY 2 DESC",
        ),
        vulnerabilities=int(str(_scalar(con, "SELECT count(*) FROM raw.vulnerabilities"))),
        sources=sources,
        last_load_at=last_load if isinstance(last_load, datetime) else None,
    )
