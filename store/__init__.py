"""The findings store: DuckDB file, idempotent bulk loads, derived risk, semantic views."""

from store.batch import ArrowBatch, Batch, to_arrow
from store.findings_store import DEMO_ORIGIN, FindingsStore
from store.status import LoadReport, SourceFreshness, StoreStatus

__all__ = [
    "DEMO_ORIGIN",
    "ArrowBatch",
    "Batch",
    "FindingsStore",
    "LoadReport",
    "SourceFreshness",
    "StoreStatus",
    "to_arrow",
]
