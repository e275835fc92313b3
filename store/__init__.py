"""The findings store: DuckDB file, idempotent bulk loads, derived risk, semantic views."""

from store.batch import ArrowBatch, Batch, to_arrow
from store.findings_store import DEMO_ORIGIN, FindingsStore
from store.intel import EPSS_SCHEMA, KEV_SCHEMA, EnrichReport, FeedInfo
from store.status import LoadReport, SourceFreshness, StoreStatus

__all__ = [
    "DEMO_ORIGIN",
    "EPSS_SCHEMA",
    "KEV_SCHEMA",
    "ArrowBatch",
    "Batch",
    "EnrichReport",
    "FeedInfo",
    "FindingsStore",
    "LoadReport",
    "SourceFreshness",
    "StoreStatus",
    "to_arrow",
]
