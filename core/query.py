"""The one type the store's read path accepts: SQL the guard has passed.

Only ``querygen``'s validator builds these (after parsing, the allow-list and the forced
LIMIT); the store refuses plain strings, so an unchecked string cannot reach DuckDB
through the query surface by accident.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["QueryResult", "ValidatedQuery"]


class ValidatedQuery(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    sql: str = Field(min_length=1)
    views: tuple[str, ...] = ()  # the semantic views it reads, for freshness and audit
    row_limit: int = Field(default=1000, ge=1)


class QueryResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    elapsed_ms: float
    truncated: bool = False
