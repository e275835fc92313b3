"""Loading the gold answers and running them on a store: shared by the benchmark and tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from core.query import ValidatedQuery
from store import FindingsStore

__all__ = ["GOLD_PATH", "GoldEntry", "gold_rows", "load_gold", "now_literal"]

GOLD_PATH = Path(__file__).with_name("gold.yaml")
Compare = Literal["set", "count", "groups", "ranked", "yes_no", "pending"]


class GoldEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    q: str
    compare: Compare
    key: str | None = None
    gold: str | None = None
    pending: str | None = None
    paraphrases: list[str] = Field(min_length=2)


def load_gold(path: Path = GOLD_PATH) -> list[GoldEntry]:
    return [GoldEntry.model_validate(e) for e in yaml.safe_load(path.read_text("utf-8"))]


def now_literal(now: datetime) -> str:
    """The benchmark clock as a DuckDB TIMESTAMP literal (UTC, no zone)."""
    return f"TIMESTAMP '{now.replace(tzinfo=None).isoformat(sep=' ')}'"


def gold_rows(store: FindingsStore, entry: GoldEntry, now: datetime) -> list[tuple[Any, ...]]:
    """Run the hand-written gold SQL (trusted: it is ours, so it skips the guard)."""
    assert entry.gold is not None
    sql = entry.gold.replace("{now}", now_literal(now))
    return [tuple(r) for r in store.query(ValidatedQuery(sql=sql, row_limit=1_000_000)).rows]
